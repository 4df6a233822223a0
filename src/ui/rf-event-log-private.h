/*
 * rf-event-log-private.h
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

#include "rf-event.h"
#include "rf-event-log.h"
#include "rf-sched.h"

G_BEGIN_DECLS

/* What the event log's two files share (rf-event-log.c, the widget;
 * rf-event-log-columns.c, what it shows of an event). Main thread only. */

struct _RfEventLog
{
  GtkWidget           parent_instance;

  RfSession          *session;
  GSignalGroup       *session_signals;
  GtkStringList      *types;
  GHashTable         *seen_types;
  GtkCustomFilter    *filter;
  RfBatchModel       *batch;        /* the session's events, in batches */
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkSingleSelection *selection;
  GMenuModel         *context_menu;
  GtkWidget          *context_popover;
  char               *type_filter;
  char               *search_text;
  /* New rows, the scroll to them and a live run's selection change in
   * the window pacer's frames for rows. */
  RfPacer            *pacer;
  guint               scroll_row_source;
  guint               scroll_row;
  guint               pending_select;  /* an event position not in @batch yet */
  guint               has_pending_select : 1;
  guint               scroll_to_end_pending : 1;
  guint               live_select_pending : 1;
  guint               taking_rows : 1;
  guint               syncing : 1;
  guint               follow : 1;

  GtkWidget          *box;
  GtkDropDown        *type_dropdown;
  GtkSearchEntry     *search_entry;
  GtkLabel           *count_label;
  GtkWidget          *placeholder_label;
  GtkToggleButton    *follow_button;
  GtkScrolledWindow  *scroller;
  GtkColumnView      *column_view;
};

/* The event's type as the log names it: the stream's type, else its kind. */
const char *_rf_event_log_type_name     (RfEvent    *event);
/* Adds the columns to the column view, each with its cells and sorter. */
void        _rf_event_log_add_columns   (RfEventLog *self);
/* The filter on the type and the search text (@user_data: the log). */
gboolean    _rf_event_log_filter_func   (gpointer    item,
                                         gpointer    user_data);
/* What Copy Event JSON (@json) or Copy Summary puts on the clipboard.
 * Returns: (transfer full) */
char       *_rf_event_log_dup_copy_text (RfEvent    *event,
                                         gboolean    json);

G_END_DECLS
