/*
 * rf-tap-run-private.h
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

#include "rf-tap-run.h"
#include "rf-tap-source.h"

G_BEGIN_DECLS

RfTapRun    *_rf_tap_run_new         (guint        index,
                                      const char  *method,
                                      const char  *path,
                                      const char  *model,
                                      guint        status,
                                      gint64       start_time,
                                      RfTapSource *source,
                                      RfRecorder  *recorder);
RfTapSource *_rf_tap_run_get_source  (RfTapRun    *self);
/* Main thread, before the session starts. */
void         _rf_tap_run_set_session (RfTapRun    *self,
                                      RfSession   *session);
/* Main thread, after ::run-finished: the run keeps its state and frame
 * count, and whoever still holds the session keeps it. */
void         _rf_tap_run_release_session (RfTapRun *self);

G_END_DECLS
