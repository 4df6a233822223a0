/*
 * rf-tap.h
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

#include <gio/gio.h>

#include "rf-tap-run.h"

G_BEGIN_DECLS

#define RF_TYPE_TAP (rf_tap_get_type())

G_DECLARE_FINAL_TYPE (RfTap, rf_tap, RF, TAP, GObject)

/* Runs kept in rf_tap_get_runs() at most, the oldest finished ones
 * leaving first (their journals stay in the history). */
#define RF_TAP_MAX_RUNS_LISTED 1000
/* Finished runs that keep their sessions (frames and events in memory);
 * older ones let go of them (see RfTapRun). */
#define RF_TAP_MAX_SESSIONS_KEPT 8

/* A pass-through proxy that watches the image streams an application
 * asks for. Every request is forwarded to the upstream URL + the
 * request's path and query (method, body, headers but the hop-by-hop
 * ones; Host rewritten) and its response streamed back chunk by chunk as
 * it arrives, status and headers kept.
 *
 * A response that is an event stream, or the failure of a request that
 * asked for one, is also tapped: it becomes an RfTapRun whose session
 * reads the same bytes, journalled in the runs folder like a live run
 * (the request sidecar keeps the body, keys redacted; Authorization and
 * API key headers are never recorded). Anything else is only counted.
 *
 * The proxy runs in a thread of its own, so a busy main thread never
 * delays the client's bytes; the signals are emitted on the thread that
 * created the tap:
 * - ::run-started (RfTapRun): before the run's session starts, so
 *   handlers can set its options and connect to it;
 * - ::run-finished (RfTapRun): the session finished; once newer runs
 *   have finished, the run lets go of its session (see RfTapRun): a
 *   handler that wants the frames later takes a reference;
 * - ::request-passed (method, path, status): a response that was not
 *   tapped went through.
 * Returns: (transfer full) (nullable): NULL with @error set */
RfTap      *rf_tap_new                (const char   *upstream_uri,
                                       GError      **error);
/* Binds @address (an IP address or "localhost") at @port (0: any free
 * port) and starts serving. */
gboolean    rf_tap_listen             (RfTap        *self,
                                       const char   *address,
                                       guint16       port,
                                       GError      **error);
/* "http://ADDR:PORT" once listening, else NULL.
 * Returns: (transfer full) (nullable): NULL before it listens */
char       *rf_tap_dup_uri            (RfTap        *self);
guint16     rf_tap_get_port           (RfTap        *self);
/* Returns: (transfer none) */
const char *rf_tap_get_upstream       (RfTap        *self);
/* Stops listening and ends the exchanges in flight: their upstream
 * requests are cancelled, their clients' connections closed and their
 * runs end with a "tap-stopped" diagnostic. The runs' sessions finish on
 * their own afterwards (see rf_tap_get_n_active()). */
void        rf_tap_stop               (RfTap        *self);
/* The runs, oldest first (main thread); at most RF_TAP_MAX_RUNS_LISTED
 * plus those still streaming.
 * Returns: (transfer none): a list of RfTapRun */
GListModel *rf_tap_get_runs           (RfTap        *self);
/* Runs announced whose session has not finished yet, those not yet
 * started included. */
guint       rf_tap_get_n_active       (RfTap        *self);
guint       rf_tap_get_n_passed       (RfTap        *self);
/* How many bytes a run's ingest side may fall behind before its decode
 * work is left out (default 32 MiB); set before listening. */
void        rf_tap_set_max_pending    (RfTap        *self,
                                       gsize         max_pending);
/* How many finished runs keep their sessions (default
 * RF_TAP_MAX_SESSIONS_KEPT). */
void        rf_tap_set_max_sessions_kept (RfTap     *self,
                                       guint         max_sessions);
/* The cap of rf_tap_get_runs() (default RF_TAP_MAX_RUNS_LISTED). */
void        rf_tap_set_max_runs_listed (RfTap       *self,
                                       guint         max_runs);

/* TRUE for 127.0.0.0/8, ::1 and "localhost". */
gboolean    rf_tap_address_is_loopback (const char  *address);

G_END_DECLS
