/*
 * rf-session.c
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

#define G_LOG_DOMAIN "rf-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-analyzer.h"
#include "rf-frame-private.h"
#include "rf-ingest-private.h"
#include "rf-lane-private.h"
#include "rf-session-private.h"
#include "rf-source.h"

G_DEFINE_FINAL_TYPE (RfSession, rf_session, G_TYPE_OBJECT)

GParamSpec *_rf_session_properties [N_PROPS];
guint _rf_session_signals [N_SIGNALS];

static gsize
pixbuf_bytes (GdkPixbuf *pixbuf)
{
  return (gsize) gdk_pixbuf_get_rowstride (pixbuf) * gdk_pixbuf_get_height (pixbuf);
}

void
_rf_session_cache_insert (RfSession *self,
                          RfFrame   *frame,
                          GdkPixbuf *pixbuf)
{
  rf_image_cache_insert (self->images, G_OBJECT (frame), NULL, RF_IMAGE_CACHE_PIXELS,
                         G_OBJECT (pixbuf), pixbuf_bytes (pixbuf));
}

void
_rf_session_set_state (RfSession      *self,
                       RfSessionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), _rf_session_properties [PROP_STATE]);
}

void
_rf_session_select_frame (RfSession *self,
                          RfFrame   *frame)
{
  if (g_set_object (&self->selected_frame, frame))
    g_object_notify_by_pspec (G_OBJECT (self), _rf_session_properties [PROP_SELECTED_FRAME]);
}

static void
rf_session_dispose (GObject *object)
{
  RfSession *self = (RfSession *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->ingest, _rf_ingest_stop_and_unref);
  g_clear_pointer (&self->analyzer, rf_analyzer_free);

  G_OBJECT_CLASS (rf_session_parent_class)->dispose (object);
}

static void
rf_session_finalize (GObject *object)
{
  RfSession *self = (RfSession *)object;

  g_clear_object (&self->source);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->lanes);
  g_clear_object (&self->frames);
  g_clear_object (&self->events);
  g_clear_object (&self->diagnostics);
  g_clear_pointer (&self->diagnostic_counts, g_hash_table_unref);
  g_clear_object (&self->selected_frame);
  g_clear_error (&self->error);
  g_clear_pointer (&self->failure_message, g_free);
  g_clear_pointer (&self->request_json, g_free);
  g_clear_pointer (&self->response_id, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->provider, g_free);
  g_clear_pointer (&self->usage_json, g_free);
  g_clear_object (&self->images);
  g_clear_pointer (&self->redecoding, g_hash_table_unref);

  G_OBJECT_CLASS (rf_session_parent_class)->finalize (object);
}

static void
rf_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RfSession *self = RF_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    case PROP_SELECTED_FRAME:
      g_value_set_object (value, self->selected_frame);
      break;

    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;

    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;

    case PROP_N_FRAMES:
      g_value_set_uint (value, g_list_model_get_n_items (G_LIST_MODEL (self->frames)));
      break;

    case PROP_RESPONSE_ID:
      g_value_set_string (value, self->response_id);
      break;

    case PROP_REQUEST_JSON:
      g_value_set_string (value, self->request_json);
      break;

    case PROP_FAILURE_MESSAGE:
      g_value_set_string (value, self->failure_message);
      break;

    case PROP_DURATION_MS:
      g_value_set_int64 (value, self->duration_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  RfSession *self = RF_SESSION (object);

  switch (prop_id)
    {
    case PROP_SELECTED_FRAME:
      rf_session_set_selected_frame (self, g_value_get_object (value));
      break;

    case PROP_FOLLOW:
      rf_session_set_follow (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_session_class_init (RfSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rf_session_dispose;
  object_class->finalize = rf_session_finalize;
  object_class->get_property = rf_session_get_property;
  object_class->set_property = rf_session_set_property;

  _rf_session_properties [PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      RF_SESSION_STATE_IDLE, RF_SESSION_STATE_CANCELLED, RF_SESSION_STATE_IDLE,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _rf_session_properties [PROP_SELECTED_FRAME] =
    g_param_spec_object ("selected-frame", NULL, NULL, RF_TYPE_FRAME,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _rf_session_properties [PROP_FOLLOW] =
    g_param_spec_boolean ("follow", NULL, NULL, TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _rf_session_properties [PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _rf_session_properties [PROP_N_FRAMES] =
    g_param_spec_uint ("n-frames", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _rf_session_properties [PROP_RESPONSE_ID] =
    g_param_spec_string ("response-id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _rf_session_properties [PROP_REQUEST_JSON] =
    g_param_spec_string ("request-json", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _rf_session_properties [PROP_FAILURE_MESSAGE] =
    g_param_spec_string ("failure-message", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _rf_session_properties [PROP_DURATION_MS] =
    g_param_spec_int64 ("duration-ms", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, _rf_session_properties);

  _rf_session_signals [SSE] =
    g_signal_new ("sse", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_BYTES, G_TYPE_BYTES, G_TYPE_STRING);
  _rf_session_signals [EVENT_ADDED] =
    g_signal_new ("event-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RF_TYPE_EVENT);
  _rf_session_signals [LANE_ADDED] =
    g_signal_new ("lane-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RF_TYPE_LANE);
  _rf_session_signals [FRAME_ADDED] =
    g_signal_new ("frame-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RF_TYPE_FRAME);
  _rf_session_signals [FRAME_DECODED] =
    g_signal_new ("frame-decoded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RF_TYPE_FRAME);
  /* A frame's measures came in, or changed (its ssim_final once the
   * lane's final was measured). */
  _rf_session_signals [FRAME_ANALYZED] =
    g_signal_new ("frame-analyzed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RF_TYPE_FRAME);
  /* Pixels of a frame re-decoded after eviction from the cache. */
  _rf_session_signals [PIXBUF_READY] =
    g_signal_new ("pixbuf-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RF_TYPE_FRAME);
  _rf_session_signals [DIAGNOSTIC_ADDED] =
    g_signal_new ("diagnostic-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RF_TYPE_DIAGNOSTIC);
  _rf_session_signals [FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* A live frame's rows decoded so far, while its event still arrives
   * (rf_session_set_show_arriving()): the output_index of its image (-1
   * unknown), a pixbuf of the rows done (its own copy) and the image's
   * whole height. The frame itself follows as ever. */
  _rf_session_signals [FRAME_ARRIVING] =
    g_signal_new ("frame-arriving", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, GDK_TYPE_PIXBUF, G_TYPE_INT);
}

static void
rf_session_init (RfSession *self)
{
  rf_decode_limits_init_default (&self->options.limits);
  self->options.requested_partials = -1;
  self->options.keep_pixbufs = TRUE;
  self->requested_partials = -1;
  self->recorded_ms = -1;
  self->follow = TRUE;
  self->cancellable = g_cancellable_new ();
  self->lanes = g_list_store_new (RF_TYPE_LANE);
  self->frames = g_list_store_new (RF_TYPE_FRAME);
  self->events = g_list_store_new (RF_TYPE_EVENT);
  self->diagnostics = g_list_store_new (RF_TYPE_DIAGNOSTIC);
  self->diagnostic_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->images = rf_image_cache_new (DEFAULT_PIXEL_CACHE);
  self->redecoding = g_hash_table_new (NULL, NULL);
}

RfSession *
rf_session_new (void)
{
  return g_object_new (RF_TYPE_SESSION, NULL);
}

void
rf_session_set_decode_limits (RfSession            *self,
                              const RfDecodeLimits *limits)
{
  g_return_if_fail (RF_IS_SESSION (self));
  g_return_if_fail (limits != NULL);

  self->options.limits = *limits;
}

void
rf_session_set_n_workers (RfSession *self,
                          guint      n_workers)
{
  g_return_if_fail (RF_IS_SESSION (self));

  self->options.n_workers = n_workers;
}

void
rf_session_set_emit_sse (RfSession *self,
                         gboolean   emit_sse)
{
  g_return_if_fail (RF_IS_SESSION (self));

  self->options.emit_sse = !!emit_sse;
}

void
rf_session_set_hash_images (RfSession *self,
                            gboolean   hash_images)
{
  g_return_if_fail (RF_IS_SESSION (self));

  self->options.hash_images = !!hash_images;
}

void
rf_session_set_pixel_cache_size (RfSession *self,
                                 gsize      bytes)
{
  g_return_if_fail (RF_IS_SESSION (self));

  self->options.keep_pixbufs = bytes > 0;
  rf_image_cache_set_budget (self->images, bytes);
}

void
rf_session_set_yield_cpu (RfSession *self,
                          gboolean   yield_cpu)
{
  g_return_if_fail (RF_IS_SESSION (self));

  self->options.yield_cpu = !!yield_cpu;
}

gboolean
rf_session_get_yield_cpu (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), FALSE);

  return self->options.yield_cpu;
}

void
rf_session_set_show_arriving (RfSession *self,
                              gboolean   show_arriving)
{
  g_return_if_fail (RF_IS_SESSION (self));
  g_return_if_fail (self->ingest == NULL);

  self->options.arriving = !!show_arriving;
}

void
rf_session_set_analyze (RfSession *self,
                        gboolean   analyze)
{
  g_return_if_fail (RF_IS_SESSION (self));
  g_return_if_fail (self->ingest == NULL);

  self->analyze = !!analyze;
  self->options.pass_pixbufs = self->analyze;
}

gboolean
rf_session_get_analyze (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), FALSE);

  return self->analyze;
}

void
rf_session_set_tap (RfSession       *self,
                    RfIngestTapFunc  func,
                    gpointer         user_data)
{
  g_return_if_fail (RF_IS_SESSION (self));

  self->options.tap = func;
  self->options.tap_data = user_data;
}

void
rf_session_set_requested_partials (RfSession *self,
                                   int        n)
{
  g_return_if_fail (RF_IS_SESSION (self));

  self->options.requested_partials = n;
  self->requested_partials = n;
}

void
rf_session_start (RfSession *self,
                  RfSource  *source)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  g_return_if_fail (RF_IS_SESSION (self));
  g_return_if_fail (RF_IS_SOURCE (source));
  g_return_if_fail (self->ingest == NULL);

  self->source = g_object_ref (source);
  self->start_time = g_get_monotonic_time ();
  /* Behind the UI thread when the session shows pixels, as the decoders. */
  if (self->analyze)
    self->analyzer = rf_analyzer_new (context, _rf_session_analyzed_cb, self, self->options.keep_pixbufs);
  _rf_session_set_state (self, RF_SESSION_STATE_CONNECTING);
  self->ingest = _rf_ingest_start (G_OBJECT (self), _rf_session_apply_msg, source, &self->options, context);
}

void
rf_session_cancel (RfSession *self)
{
  g_return_if_fail (RF_IS_SESSION (self));

  if (self->ingest == NULL || self->finished)
    return;

  self->cancel_requested = TRUE;
  _rf_ingest_cancel (self->ingest);
}

RfSource *
rf_session_get_source (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return self->source;
}

RfSessionState
rf_session_get_state (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), 0);

  return self->state;
}

gboolean
rf_session_get_finished (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), FALSE);

  return self->finished;
}

const GError *
rf_session_get_error (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return self->error;
}

const char *
rf_session_get_failure_message (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return self->failure_message;
}

GListModel *
rf_session_get_lanes (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return G_LIST_MODEL (self->lanes);
}

GListModel *
rf_session_get_frames (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return G_LIST_MODEL (self->frames);
}

GListModel *
rf_session_get_events (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return G_LIST_MODEL (self->events);
}

GListModel *
rf_session_get_diagnostics (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return G_LIST_MODEL (self->diagnostics);
}

RfFrame *
rf_session_get_selected_frame (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return self->selected_frame;
}

gboolean
rf_session_get_follow (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), FALSE);

  return self->follow;
}

gint64
rf_session_get_duration_ms (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), 0);

  return self->duration_ms;
}

gint64
rf_session_get_start_time (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), 0);

  return self->start_time;
}

int
rf_session_get_requested_partials (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), 0);

  return self->requested_partials;
}

const char *
rf_session_get_request_json (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return self->request_json;
}

const char *
rf_session_get_response_id (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return self->response_id;
}

RfStreamFormat
rf_session_get_stream_format (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), 0);

  return self->stream_format;
}

const char *
rf_session_get_model (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return self->model;
}

const char *
rf_session_get_provider (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return self->provider;
}

const char *
rf_session_get_usage_json (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  return self->usage_json;
}

guint64
rf_session_get_bytes_received (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), 0);

  return self->bytes_received;
}


guint
rf_session_get_n_events (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), 0);

  return self->n_events;
}

guint
rf_session_get_n_diagnostics_dropped (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), 0);

  return self->n_diagnostics_dropped;
}

gboolean
rf_session_is_receiving (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), FALSE);

  return self->state == RF_SESSION_STATE_CONNECTING || self->state == RF_SESSION_STATE_STREAMING;
}

gboolean
rf_session_is_following_live (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), FALSE);

  return self->follow && !self->finished;
}

gboolean
rf_session_has_errors (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), FALSE);

  return self->has_errors || self->failure_message != NULL;
}

guint
rf_session_get_n_workers (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), 0);

  return self->ingest ? _rf_ingest_get_n_workers (self->ingest) : self->options.n_workers;
}

RfLane *
rf_session_get_lane (RfSession *self,
                     guint      index)
{
  g_autoptr(RfLane) lane = NULL;

  g_return_val_if_fail (RF_IS_SESSION (self), NULL);

  lane = g_list_model_get_item (G_LIST_MODEL (self->lanes), index);

  /* The store keeps the lane alive. */
  return lane;
}

void
rf_session_set_selected_frame (RfSession *self,
                               RfFrame   *frame)
{
  g_return_if_fail (RF_IS_SESSION (self));
  g_return_if_fail (frame == NULL || RF_IS_FRAME (frame));

  if (frame == self->selected_frame)
    return;

  rf_session_set_follow (self, FALSE);
  _rf_session_select_frame (self, frame);
}

void
rf_session_set_follow (RfSession *self,
                       gboolean   follow)
{
  g_return_if_fail (RF_IS_SESSION (self));

  follow = !!follow;
  if (self->follow == follow)
    return;

  self->follow = follow;
  g_object_notify_by_pspec (G_OBJECT (self), _rf_session_properties [PROP_FOLLOW]);

  if (follow)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->frames));

      /* Jump to the newest frame that has pixels. */
      for (guint i = n; i > 0; i--)
        {
          g_autoptr(RfFrame) frame = g_list_model_get_item (G_LIST_MODEL (self->frames), i - 1);

          if (rf_frame_get_decode_status (frame) == RF_DECODE_OK)
            {
              _rf_session_select_frame (self, frame);
              break;
            }
        }
    }
}

gint64
rf_session_get_elapsed_ms (RfSession *self)
{
  g_return_val_if_fail (RF_IS_SESSION (self), 0);

  if (self->start_time == 0)
    return 0;
  /* A recording took as long as its timestamps say, not as long as it
   * took to read. */
  if (self->finished && self->recorded_ms >= 0)
    return self->recorded_ms;
  if (self->finished)
    return (self->end_time - self->start_time) / 1000;
  return (g_get_monotonic_time () - self->start_time) / 1000;
}

static void
redecode_worker (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  RfFrame *frame = task_data;
  GError *error = NULL;
  GdkPixbuf *pixbuf = rf_frame_decode_pixbuf (frame, &error);

  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pixbuf, g_object_unref);
}

static void
redecode_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RfSession *self = RF_SESSION (object);
  RfFrame *frame = g_task_get_task_data (G_TASK (result));
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_remove (self->redecoding, frame);

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  if (pixbuf == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Re-decoding frame %u failed: %s", rf_frame_get_index (frame), error->message);
      return;
    }

  _rf_session_cache_insert (self, frame, pixbuf);
  g_signal_emit (self, _rf_session_signals [PIXBUF_READY], 0, frame);
}

GdkPixbuf *
rf_session_lookup_pixbuf (RfSession *self,
                          RfFrame   *frame)
{
  g_autoptr(GTask) task = NULL;
  GdkPixbuf *pixbuf;

  g_return_val_if_fail (RF_IS_SESSION (self), NULL);
  g_return_val_if_fail (RF_IS_FRAME (frame), NULL);

  pixbuf = rf_image_cache_lookup (self->images, G_OBJECT (frame), NULL, RF_IMAGE_CACHE_PIXELS);
  if (pixbuf != NULL)
    return pixbuf;

  if (rf_frame_get_decode_status (frame) != RF_DECODE_OK ||
      g_hash_table_contains (self->redecoding, frame))
    return NULL;

  g_hash_table_add (self->redecoding, frame);
  task = g_task_new (self, self->cancellable, redecode_cb, NULL);
  g_task_set_source_tag (task, rf_session_lookup_pixbuf);
  g_task_set_task_data (task, g_object_ref (frame), g_object_unref);
  g_task_run_in_thread (task, redecode_worker);

  return NULL;
}
