/*
 * rf-session-private.h
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

#include "rf-analyzer.h"
#include "rf-image-cache.h"
#include "rf-ingest-private.h"
#include "rf-session.h"

G_BEGIN_DECLS

/* What rf-session.c (the model, its properties and getters, the pixel
 * cache) shares with rf-session-apply.c (the ingest's messages applied
 * to the model). Main thread (the session's) only. */

#define DEFAULT_PIXEL_CACHE (192 * 1024 * 1024)

struct _RfSession
{
  GObject          parent_instance;

  RfIngestOptions  options;

  RfSource        *source;
  RfIngest        *ingest;
  GCancellable    *cancellable;
  RfAnalyzer      *analyzer;

  GListStore      *lanes;
  GListStore      *frames;
  GListStore      *events;
  GListStore      *diagnostics;
  /* Every event and diagnostic is counted; the first ones are kept,
   * within the caps of rf-session.h. */
  guint            n_events;
  gsize            kept_event_bytes;
  GHashTable      *diagnostic_counts;  /* code → count */
  guint            n_diagnostics_dropped;
  guint            events_capped : 1;

  RfSessionState   state;
  RfFrame         *selected_frame;
  GError          *error;
  char            *failure_message;
  char            *request_json;
  char            *response_id;
  /* What the stream says of itself: its wire format, the model and
   * provider it names, and the last usage object it sent, as sent. */
  RfStreamFormat   stream_format;
  char            *model;
  char            *provider;
  char            *usage_json;
  int              requested_partials;
  gint64           duration_ms;
  gint64           recorded_ms;    /* a recording's duration by its timestamps, or -1 */
  gint64           start_time;
  gint64           end_time;
  guint64          bytes_received;
  guint            n_frames_total;
  guint            n_decoded;
  guint            n_to_analyze;
  guint            n_analyzed;
  gboolean         noted_unmeasured;

  /* Decoded pixels, least recently used last. */
  RfImageCache    *images;
  GHashTable      *redecoding;     /* RfFrame set */

  guint            analyze : 1;
  guint            follow : 1;
  guint            has_errors : 1;
  guint            eof : 1;
  guint            finished : 1;
  guint            cancel_requested : 1;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_SELECTED_FRAME,
  PROP_FOLLOW,
  PROP_FINISHED,
  PROP_N_FRAMES,
  PROP_RESPONSE_ID,
  PROP_REQUEST_JSON,
  PROP_FAILURE_MESSAGE,
  PROP_DURATION_MS,
  N_PROPS
};

enum {
  SSE,
  EVENT_ADDED,
  LANE_ADDED,
  FRAME_ADDED,
  FRAME_DECODED,
  FRAME_ANALYZED,
  PIXBUF_READY,
  DIAGNOSTIC_ADDED,
  FINISHED,
  FRAME_ARRIVING,
  N_SIGNALS
};

extern GParamSpec *_rf_session_properties [N_PROPS];
extern guint       _rf_session_signals [N_SIGNALS];

/* rf-session.c */
void _rf_session_set_state    (RfSession      *self,
                               RfSessionState  state);
void _rf_session_select_frame (RfSession      *self,
                               RfFrame        *frame);
/* Keeps @pixbuf for @frame within the cache's byte budget. */
void _rf_session_cache_insert (RfSession      *self,
                               RfFrame        *frame,
                               GdkPixbuf      *pixbuf);

/* rf-session-apply.c */
/* g_set_str() is GLib 2.76. */
void _rf_session_set_str      (char          **field,
                               const char     *value);
void _rf_session_apply_msg    (gpointer        data,
                               RfIngestMsg    *msg);
void _rf_session_analyzed_cb  (RfAnalysisResult *result,
                               gpointer          user_data);

G_END_DECLS
