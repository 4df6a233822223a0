/*
 * rf-event-log.h
 *
 * Copyright 2026 The Refinery authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program.  If not, see <http://www.gnu.org/licenses/>.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "rf-session.h"

G_BEGIN_DECLS

/* Threads: main thread only, as every widget. */

#define RF_TYPE_EVENT_LOG (rf_event_log_get_type())

G_DECLARE_FINAL_TYPE (RfEventLog, rf_event_log, RF, EVENT_LOG, GtkWidget)

GtkWidget  *rf_event_log_new          (void);
void        rf_event_log_set_session  (RfEventLog *self,
                                       RfSession  *session);
/* The rows shown: the session's events after filter and sort. */
GListModel *rf_event_log_get_model    (RfEventLog *self);
/* Filters by JSON type (NULL = all) and by text. */
void        rf_event_log_set_filter   (RfEventLog *self,
                                       const char *type_name,
                                       const char *search_text);
/* The count in the log's bar: "203 events", or "12 of 203" filtered. */
const char *rf_event_log_get_count_text (RfEventLog *self);
/* Selects @event's row and scrolls to it, clearing a filter that hides
 * it; the frame selection is left as it is. */
void        rf_event_log_show_event   (RfEventLog *self,
                                       RfEvent    *event);
/* Moves the keyboard focus to the search field (Ctrl+F). */
void        rf_event_log_focus_search (RfEventLog *self);
gboolean    rf_event_log_get_follow   (RfEventLog *self);
void        rf_event_log_set_follow   (RfEventLog *self,
                                       gboolean    follow);

G_END_DECLS
