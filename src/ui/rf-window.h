/*
 * rf-window.h
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

#include "rf-application.h"
#include "rf-session.h"
#include "rf-source.h"

G_BEGIN_DECLS

/* Threads: main thread only, as every widget. */

#define RF_TYPE_WINDOW (rf_window_get_type())

G_DECLARE_FINAL_TYPE (RfWindow, rf_window, RF, WINDOW, AdwApplicationWindow)

RfWindow  *rf_window_new            (RfApplication *app);
/* The run shown, or NULL while the empty state is shown. */
RfSession *rf_window_get_session    (RfWindow      *self);
/* Replaces the run shown by a new session reading @source. @journal is
 * the recording of that run when there is one (raw-recording export). */
void       rf_window_start_source   (RfWindow      *self,
                                     RfSource      *source,
                                     GFile         *journal);
/* Follows the event stream at an http(s) @url live, as refinery-inspect
 * does: a GET, with REFINERY_API_KEY as its bearer key when set. */
void       rf_window_open_url       (RfWindow      *self,
                                     const char    *url);
void       rf_window_open_file      (RfWindow      *self,
                                     GFile         *file);
/* @speed 0 = instant, 1 = real-time pace. */
void       rf_window_start_demo     (RfWindow      *self,
                                     double         speed);
void       rf_window_add_toast      (RfWindow      *self,
                                     const char    *message);
/* A toast short enough to be read whole (@summary, "Could not export the
 * frame") with a Details button that shows @detail, the system's or the
 * server's message, in a dialog. */
void       rf_window_add_error_toast (RfWindow     *self,
                                      const char   *summary,
                                      const char   *detail);

G_END_DECLS
