/*
 * rf-stall-monitor.h
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

#include <glib.h>

G_BEGIN_DECLS

/* Profiling aid for the GUI (issue 6): with REFINERY_PROFILE=1 in the
 * environment, every main-loop iteration whose dispatch phase (all the
 * callbacks it ran, painting included) takes longer than the threshold is
 * logged as "stall N ms" with where its time went (on the CPU, waiting
 * for a core, blocking waits, page faults), and the worst is kept. Costs
 * nothing when off, and three system calls per iteration when on. One per
 * process. */

#define RF_STALL_MONITOR_DEFAULT_THRESHOLD_MS 16.0

/* Starts the monitor on @context (NULL: the global default context) when
 * REFINERY_PROFILE=1; returns whether it runs. Call once at startup. */
gboolean rf_stall_monitor_start_if_enabled (GMainContext *context);
/* Starts it unconditionally. */
void     rf_stall_monitor_start            (GMainContext *context,
                                            double        threshold_ms);
/* Logs the summary ("worst stall N ms …") and stops. */
void     rf_stall_monitor_stop             (void);
gboolean rf_stall_monitor_is_running       (void);
/* A run starts: stalls until then (the window's first paint) are logged
 * as "startup stall N ms" and kept apart from the worst stall. */
void     rf_stall_monitor_stream_started   (void);
/* The run ended: logs the CPU time the calling (UI) thread spent since it
 * started ("the UI thread ran N ms of CPU time while it streamed"), a
 * figure that moves far less between runs than the stalls do. Once per
 * run; nothing when the monitor is off or no run started. */
void     rf_stall_monitor_stream_finished  (void);
/* Adds @usec to the part of this iteration called @name (a static
 * string), so that a stall lists where its time went. Main thread only;
 * does nothing while the monitor is off. */
void     rf_stall_monitor_add_phase        (const char   *name,
                                            gint64        usec);
double   rf_stall_monitor_get_worst_ms     (void);
guint    rf_stall_monitor_get_n_stalls     (void);
/* The frame whose event's last byte arrived @frame_t_ms after
 * @session_start_usec (monotonic µs) is now on screen: logs the latency
 * ("frame N on screen M ms after its event") and keeps the worst. */
void     rf_stall_monitor_frame_shown      (guint         frame_index,
                                            gint64        session_start_usec,
                                            gint64        frame_t_ms);

G_END_DECLS
