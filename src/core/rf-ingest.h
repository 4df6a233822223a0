/*
 * rf-ingest.h
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

#include "rf-types.h"

G_BEGIN_DECLS

/* The ingest side of a session, as seen by an RfSource running on the
 * ingest thread. Everything here is called from that thread only. */

/* Raw bytes of an event stream, parsed as SSE. The arrival time is now. */
void      rf_ingest_push                 (RfIngest       *self,
                                          const guint8   *buf,
                                          gsize           len);
/* A live run (a server, not a recording): an event over the per-event
 * limit ends it with "event-too-large"; from then on pushed bytes are
 * ignored (not parsed, not journalled) and rf_ingest_is_stopped() is
 * TRUE, so the source stops reading. Its frames are decoded while their
 * events arrive, and the ingest thread keeps its priority: call before
 * the first byte. */
void      rf_ingest_set_live             (RfIngest       *self);
/* The bytes come at a live pace, an image's over a while (the demo
 * played at its speed): its frames are decoded while their events
 * arrive, as a live run's are. Call before the first byte. */
void      rf_ingest_set_paced            (RfIngest       *self);
gboolean  rf_ingest_is_stopped           (RfIngest       *self);
/* One already-framed event (JSON-lines recordings): @data is the event's
 * data field. @t_ms < 0 means now. */
void      rf_ingest_push_event           (RfIngest       *self,
                                          const char     *sse_event,
                                          GBytes         *data,
                                          const char     *sse_id,
                                          gint64          t_ms);
/* Milliseconds since the run started (the session's time base). */
gint64    rf_ingest_now_ms               (RfIngest       *self);
/* connecting → streaming, shown in the UI. */
void      rf_ingest_set_connecting       (RfIngest       *self);
void      rf_ingest_set_streaming        (RfIngest       *self);
/* The generation request (body JSON with the key never in it) and how many
 * partial images it asked for (-1 unknown). */
void      rf_ingest_set_request          (RfIngest       *self,
                                          const char     *request_json,
                                          int             requested_partials);
/* Replay `: t=<ms>` timing comments at @speed (0 = as fast as possible). */
void      rf_ingest_set_replay_speed     (RfIngest       *self,
                                          double          speed);
/* A diagnostic from the source itself (retry, HTTP error, resume, …). */
void      rf_ingest_add_diagnostic       (RfIngest       *self,
                                          RfSeverity      severity,
                                          const char     *code,
                                          gint64          sequence_number,
                                          const char     *format,
                                          ...) G_GNUC_PRINTF (5, 6);
/* Resume support: the sequence number of the last complete event (-1 if
 * none), the response id seen in the envelope (or NULL), and whether any
 * event has been dispatched yet (retries are allowed only before). */
gint64    rf_ingest_get_last_sequence_number (RfIngest   *self);
/* Returns: (transfer full) (nullable) */
char     *rf_ingest_dup_response_id      (RfIngest       *self);
guint     rf_ingest_get_n_events         (RfIngest       *self);
gboolean  rf_ingest_get_saw_terminal     (RfIngest       *self);
/* Call before pushing the bytes of a resumed connection: resets the SSE
 * parser (a half-received event is dropped) and drops replayed events
 * whose sequence_number was already seen. */
void      rf_ingest_begin_resume         (RfIngest       *self);
/* Raw bytes tap (the recorder): called for every pushed chunk with its
 * arrival time, before parsing. */
typedef void (*RfIngestTapFunc) (const guint8 *buf,
                                 gsize         len,
                                 gint64        t_ms,
                                 gpointer      user_data);
void      rf_ingest_set_tap              (RfIngest       *self,
                                          RfIngestTapFunc func,
                                          gpointer        user_data);

G_END_DECLS
