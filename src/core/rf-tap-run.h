/*
 * rf-tap-run.h
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

#include "rf-recorder.h"
#include "rf-session.h"

G_BEGIN_DECLS

#define RF_TYPE_TAP_RUN (rf_tap_run_get_type())

G_DECLARE_FINAL_TYPE (RfTapRun, rf_tap_run, RF, TAP_RUN, GObject)

/* One response the tap recognised as an event stream (or the failure of
 * a request that asked for one), as the main thread sees it: what the
 * client asked, what upstream answered, and the session that follows
 * the stream. Immutable but for the session, set before ::run-started
 * is emitted.
 *
 * Memory: the run holds its session (frames, events) while the stream is
 * read and while it is one of the newest few finished runs
 * (RF_TAP_MAX_SESSIONS_KEPT); then the tap lets go of it, so a Listen
 * session that taps streams for hours keeps only those and the runs
 * someone still shows. The run's frames stay in its journal. Take a
 * reference in ::run-started or ::run-finished to keep one. */
guint        rf_tap_run_get_index         (RfTapRun *self);
/* Returns: (transfer none) */
const char  *rf_tap_run_get_method        (RfTapRun *self);
/* Path and query as the client sent them, a key in the query redacted.
 * Returns: (transfer none) */
const char  *rf_tap_run_get_path          (RfTapRun *self);
/* The "model" of the request body (or of a Gemini path), or NULL.
 * Returns: (transfer none) (nullable) */
const char  *rf_tap_run_get_model         (RfTapRun *self);
/* The upstream HTTP status, or 502 when upstream could not be reached. */
guint        rf_tap_run_get_status        (RfTapRun *self);
/* Wall-clock time the request arrived, µs since the epoch. */
gint64       rf_tap_run_get_start_time    (RfTapRun *self);
/* NULL once the run has finished and been let go of.
 * Returns: (transfer none) (nullable) */
RfSession   *rf_tap_run_get_session       (RfTapRun *self);
/* The session's state and frame count, kept when it is let go. */
RfSessionState rf_tap_run_get_state       (RfTapRun *self);
guint        rf_tap_run_get_n_frames      (RfTapRun *self);
/* The journal (NULL when it could not be created).
 * Returns: (transfer full) (nullable) */
char        *rf_tap_run_dup_journal_path  (RfTapRun *self);

G_END_DECLS
