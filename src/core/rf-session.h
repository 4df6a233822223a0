/*
 * rf-session.h
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

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

#include "rf-event.h"
#include "rf-image.h"
#include "rf-ingest.h"
#include "rf-types.h"

G_BEGIN_DECLS

#define RF_TYPE_SESSION (rf_session_get_type())

G_DECLARE_FINAL_TYPE (RfSession, rf_session, RF, SESSION, GObject)

/* The model of one run: lives on the thread that created it (the main
 * thread), fed in batches by its ingest thread and decode workers.
 *
 * Signals, in arrival order: ::sse (only with rf_session_set_emit_sse;
 * the event type and data as GBytes, which may hold U+0000, and the id),
 * ::event-added, ::lane-added, ::frame-added, ::diagnostic-added,
 * ::frame-decoded, ::frame-analyzed (with rf_session_set_analyze);
 * notify::state; ::finished once the stream ended and every frame is
 * decoded (and measured).
 * Returns: (transfer full) */
RfSession      *rf_session_new                   (void);
/* Options: set before rf_session_start(). */
void            rf_session_set_decode_limits     (RfSession            *self,
                                                  const RfDecodeLimits *limits);
void            rf_session_set_n_workers         (RfSession            *self,
                                                  guint                 n_workers);
/* Emit ::sse with every raw SSE event (data included): --dump=sse. */
void            rf_session_set_emit_sse          (RfSession            *self,
                                                  gboolean              emit_sse);
/* Compute image_bytes / image_sha256 for every image-carrying event. */
void            rf_session_set_hash_images       (RfSession            *self,
                                                  gboolean              hash_images);
/* Bytes of decoded pixels kept in the LRU cache (0 = keep none). */
void            rf_session_set_pixel_cache_size  (RfSession            *self,
                                                  gsize                 bytes);
/* The session's decode workers step back (a higher nice value, on Linux)
 * for a thread someone is waiting on: the tap sets it, so that its proxy
 * thread passes each chunk on before tapped streams are decoded. Sessions
 * that keep pixels (a window's) always do, for the UI thread. Before
 * rf_session_start(). */
void            rf_session_set_yield_cpu         (RfSession            *self,
                                                  gboolean              yield_cpu);
gboolean        rf_session_get_yield_cpu         (RfSession            *self);
/* Emit ::frame-arriving with the rows of a live frame as they decode,
 * before its event has ended (about 15 times a second at most), for a
 * window to draw. Off by default: the copies cost. Before
 * rf_session_start(). */
void            rf_session_set_show_arriving     (RfSession            *self,
                                                  gboolean              show_arriving);
/* Measure every frame (diff_prev, ssim_final: rf-analysis.h) on a
 * thread of its own; ::frame-analyzed fires as measures come in, and
 * ::finished waits for them. Off by default. */
void            rf_session_set_analyze           (RfSession            *self,
                                                  gboolean              analyze);
gboolean        rf_session_get_analyze           (RfSession            *self);
/* Raw bytes tap (a recorder), called on the ingest thread for every
 * chunk before it is parsed. */
void            rf_session_set_tap               (RfSession            *self,
                                                  RfIngestTapFunc       func,
                                                  gpointer              user_data);
void            rf_session_set_requested_partials (RfSession           *self,
                                                  int                   n);

void            rf_session_start                 (RfSession            *self,
                                                  RfSource             *source);
/* Stops reading; frames received so far stay. */
void            rf_session_cancel                (RfSession            *self);

/* Returns: (transfer none) (nullable) */
RfSource       *rf_session_get_source            (RfSession            *self);
RfSessionState  rf_session_get_state             (RfSession            *self);
/* TRUE once the ingest thread ended and every frame was decoded. */
gboolean        rf_session_get_finished          (RfSession            *self);
/* TRUE while the source is read: connecting or streaming. */
gboolean        rf_session_is_receiving          (RfSession            *self);
/* The error that ended the run (I/O, HTTP, auth: exit status 2), or NULL.
 * Returns: (transfer none) (nullable) */
const GError   *rf_session_get_error             (RfSession            *self);
/* The stream-level failure message (error event, response.failed,
 * truncation), or NULL.
 * Returns: (transfer none) (nullable) */
const char     *rf_session_get_failure_message   (RfSession            *self);
/* TRUE when any diagnostic has severity error or a frame failed. */
gboolean        rf_session_has_errors            (RfSession            *self);

/* Returns: (transfer none): a list of RfLane */
GListModel     *rf_session_get_lanes             (RfSession            *self);
/* All frames in arrival order.
 * Returns: (transfer none): a list of RfFrame */
GListModel     *rf_session_get_frames            (RfSession            *self);
/* What a run keeps, whatever its length: the first events up to
 * RF_SESSION_MAX_EVENTS or RF_SESSION_MAX_EVENT_BYTES (by
 * rf_event_get_kept_size(), each a few KiB at most), and up to
 * RF_SESSION_MAX_DIAGNOSTICS_PER_CODE diagnostics of each code. Past a
 * cap, one "events-not-kept" or "diagnostics-not-kept" diagnostic says
 * so, and the rest are counted only. */
#define RF_SESSION_MAX_EVENTS               100000
#define RF_SESSION_MAX_EVENT_BYTES          (64 * 1024 * 1024)
#define RF_SESSION_MAX_DIAGNOSTICS_PER_CODE 100

/* The events kept, in arrival order: the one at position i is the
 * stream's event i.
 * Returns: (transfer none): a list of RfEvent */
GListModel     *rf_session_get_events            (RfSession            *self);
/* Every event of the run, kept or not. */
guint           rf_session_get_n_events          (RfSession            *self);
/* Returns: (transfer none): a list of RfDiagnostic */
GListModel     *rf_session_get_diagnostics       (RfSession            *self);
/* Diagnostics counted but not kept (past the cap of their code). */
guint           rf_session_get_n_diagnostics_dropped (RfSession        *self);
/* Returns: (transfer none) (nullable) */
RfLane         *rf_session_get_lane              (RfSession            *self,
                                                  guint                 index);

/* Returns: (transfer none) (nullable) */
RfFrame        *rf_session_get_selected_frame    (RfSession            *self);
void            rf_session_set_selected_frame    (RfSession            *self,
                                                  RfFrame              *frame);
/* Whether selection follows the newest frame (live view). Selecting a
 * frame by hand turns it off. */
gboolean        rf_session_get_follow            (RfSession            *self);
void            rf_session_set_follow            (RfSession            *self,
                                                  gboolean              follow);
/* TRUE while the selection follows the newest frame of a run that has
 * not finished: it then moves with every frame that arrives. */
gboolean        rf_session_is_following_live     (RfSession            *self);

/* Decoded pixels from the cache, or NULL: then a re-decode is scheduled
 * and ::frame-decoded fires when it is ready.
 * Returns: (transfer none) (nullable) */
GdkPixbuf      *rf_session_lookup_pixbuf         (RfSession            *self,
                                                  RfFrame              *frame);

/* Monotonic time (µs) the run started: event and frame times count from it. */
gint64          rf_session_get_start_time        (RfSession            *self);
/* Time of the last event (ms since start). */
gint64          rf_session_get_duration_ms       (RfSession            *self);
/* The run's duration, the one every view gives: wall-clock ms since the
 * run started while it runs; once finished, a recording's recorded
 * duration (its last `: t=` timestamp) when it has timestamps, else the
 * wall-clock time from start to end. */
gint64          rf_session_get_elapsed_ms        (RfSession            *self);
int             rf_session_get_requested_partials (RfSession           *self);
/* Returns: (transfer none) (nullable) */
const char     *rf_session_get_request_json      (RfSession            *self);
/* Returns: (transfer none) (nullable) */
const char     *rf_session_get_response_id       (RfSession            *self);
/* The wire format recognised (RF_STREAM_FORMAT_UNKNOWN until one is). */
RfStreamFormat  rf_session_get_stream_format     (RfSession            *self);
/* The model ("model", "modelVersion", response.model) and OpenRouter's
 * "provider" the stream names, or NULL.
 * Returns: (transfer none) (nullable) */
const char     *rf_session_get_model             (RfSession            *self);
/* Returns: (transfer none) (nullable) */
const char     *rf_session_get_provider          (RfSession            *self);
/* The last usage object the stream sent, serialized as sent (tokens,
 * image tokens, OpenRouter's "cost"): usage, response.usage or Gemini's
 * usageMetadata. NULL when none came.
 * Returns: (transfer none) (nullable) */
const char     *rf_session_get_usage_json        (RfSession            *self);
/* Total bytes received from the source. */
guint64         rf_session_get_bytes_received    (RfSession            *self);
guint           rf_session_get_n_workers         (RfSession            *self);

G_END_DECLS
