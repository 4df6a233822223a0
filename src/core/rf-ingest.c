/*
 * rf-ingest.c
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

#define G_LOG_DOMAIN "rf-ingest"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "rf-assembler.h"
#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-frame-private.h"
#include "rf-ingest-internal.h"
#include "rf-lane.h"
#include "rf-source.h"
#include "rf-sse-parser.h"
#include "rf-stall-monitor.h"
#include "rf-thread.h"

/* RfIngest: the object and its thread. It starts the ingest thread that
 * runs a source, posts what the run makes to the session's thread through
 * a mailbox (applied there within a time budget), and takes the calls
 * sources make. Threads: the calls of sources (rf-ingest.h) and the
 * thread's own body run on the ingest thread; _rf_ingest_start() and the
 * other calls of rf-ingest-private.h, and apply_cb(), on the session's
 * thread; decoded_cb() on a decode worker; posting on any thread. What
 * the ingest thread does with the parser's events is in
 * rf-ingest-events.c. */

/* Time budget of one main-loop dispatch that applies messages: more waits
 * for the next iteration, so the UI never stalls behind a burst. */
#define APPLY_BUDGET_USEC 6000

static RfIngest *
rf_ingest_ref (RfIngest *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

static void
rf_ingest_unref (RfIngest *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_assert (self->thread == NULL);

  g_weak_ref_clear (&self->session);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->source);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->parser, rf_sse_parser_free);
  g_clear_pointer (&self->assembler, rf_assembler_free);
  g_clear_pointer (&self->stream, rf_decoder_stream_abort);
  /* The workers are done: nothing posts any more. */
  g_clear_pointer (&self->decoder, rf_decoder_free);
  g_clear_pointer (&self->mailbox, rf_mailbox_free);
  g_clear_pointer (&self->collected, g_ptr_array_unref);
  g_clear_pointer (&self->to_decode, g_array_unref);
  g_clear_pointer (&self->outcome_code, g_free);
  g_clear_pointer (&self->outcome_message, g_free);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

void
rf_ingest_msg_free (RfIngestMsg *msg)
{
  if (msg == NULL)
    return;

  g_clear_object (&msg->object);
  g_clear_pointer (&msg->result, rf_decode_result_free);
  g_free (msg->text);
  g_free (msg->text2);
  g_free (msg->text3);
  g_clear_pointer (&msg->sse_event, g_bytes_unref);
  g_clear_pointer (&msg->sse_data, g_bytes_unref);
  g_clear_error (&msg->error);
  g_free (msg);
}

RfIngestMsg *
_rf_ingest_msg_new (RfIngestMsgKind  kind,
                    gpointer         object)
{
  RfIngestMsg *msg = g_new0 (RfIngestMsg, 1);

  msg->kind = kind;
  msg->object = object ? g_object_ref (object) : NULL;

  return msg;
}

/* The session's thread, for each message in the order posted. Applying
 * one can stop this ingest and drop its last reference: nothing here
 * touches @self after that. */
static void
apply_cb (RfMailboxLink *item,
          gpointer       user_data)
{
  RfIngest *self = user_data;
  RfIngestMsg *msg = (RfIngestMsg *) item;
  g_autoptr(GObject) session = g_weak_ref_get (&self->session);
  gint64 start = g_get_monotonic_time ();

  g_atomic_int_dec_and_test (&self->in_flight);
  if (msg->kind == RF_INGEST_MSG_ARRIVING)
    g_atomic_int_dec_and_test (&self->arriving_in_flight);

  if (session != NULL)
    self->apply (session, msg);
  else if (msg->kind == RF_INGEST_MSG_DECODED && self->decoder != NULL)
    rf_decoder_release (self->decoder);

  rf_ingest_msg_free (msg);
  rf_stall_monitor_add_phase ("apply", g_get_monotonic_time () - start);
}

/* Any thread. */
void
_rf_ingest_post (RfIngest    *self,
                 RfIngestMsg *msg)
{
  g_atomic_int_inc (&self->in_flight);
  rf_mailbox_post (self->mailbox, &msg->link);
}

/* During one event, messages are collected so the event itself is posted
 * first and its lanes, frames and diagnostics follow it. */
void
_rf_ingest_emit (RfIngest    *self,
                 RfIngestMsg *msg)
{
  msg->bytes = self->bytes;

  if (self->collected != NULL)
    g_ptr_array_add (self->collected, msg);
  else
    _rf_ingest_post (self, msg);
}

static void
post_state (RfIngest       *self,
            RfSessionState  state)
{
  RfIngestMsg *msg = _rf_ingest_msg_new (RF_INGEST_MSG_STATE, NULL);

  msg->number = state;
  _rf_ingest_emit (self, msg);
}

static void
lane_added_cb (RfLane   *lane,
               gpointer  user_data)
{
  _rf_ingest_emit (user_data, _rf_ingest_msg_new (RF_INGEST_MSG_LANE, lane));
}

static void
frame_added_cb (RfFrame  *frame,
                GBytes   *b64,
                gpointer  user_data)
{
  RfIngest *self = user_data;
  PendingDecode pd = { g_object_ref (frame), g_bytes_ref (b64), NULL };
  gsize len;
  const char *value = g_bytes_get_data (b64, &len);

  /* The value decoded early is this frame's only if it was cut from
   * where it was read: the same bytes of the same buffer. A value that
   * had escapes, was repaired, or sits elsewhere is decoded whole. */
  if (self->stream != NULL && self->event_data != NULL &&
      self->value_start >= self->line_prefix &&
      value == self->event_data + (self->value_start - self->line_prefix) &&
      len >= self->value_fed)
    pd.stream = g_steal_pointer (&self->stream);

  _rf_frame_set_limits (frame, &self->options.limits);
  _rf_frame_set_arrival (frame, self->event_first_t_ms, self->event_end_usec);
  _rf_ingest_emit (self, _rf_ingest_msg_new (RF_INGEST_MSG_FRAME, frame));
  g_array_append_val (self->to_decode, pd);
}

static void
diagnostic_cb (RfDiagnostic *diagnostic,
               gpointer      user_data)
{
  _rf_ingest_emit (user_data, _rf_ingest_msg_new (RF_INGEST_MSG_DIAGNOSTIC, diagnostic));
}

/* A message that carries a text (a copy of @text). */
static void
emit_text (RfIngest        *self,
           RfIngestMsgKind  kind,
           gpointer         object,
           const char      *text)
{
  RfIngestMsg *msg = _rf_ingest_msg_new (kind, object);

  msg->text = g_strdup (text);
  _rf_ingest_emit (self, msg);
}

static void
revised_prompt_cb (RfLane     *lane,
                   const char *revised_prompt,
                   gpointer    user_data)
{
  emit_text (user_data, RF_INGEST_MSG_REVISED_PROMPT, lane, revised_prompt);
}

static void
response_id_cb (const char *response_id,
                gpointer    user_data)
{
  emit_text (user_data, RF_INGEST_MSG_RESPONSE_ID, NULL, response_id);
}

static void
failure_cb (const char *message,
            gpointer    user_data)
{
  emit_text (user_data, RF_INGEST_MSG_FAILURE, NULL, message);
}

static const RfAssemblerSink assembler_sink = {
  lane_added_cb,
  frame_added_cb,
  diagnostic_cb,
  revised_prompt_cb,
  response_id_cb,
  failure_cb,
};

/* Worker thread. */
static void
decoded_cb (RfFrame        *frame,
            RfDecodeResult *result,
            gpointer        user_data)
{
  RfIngest *self = user_data;
  RfIngestMsg *msg = _rf_ingest_msg_new (RF_INGEST_MSG_DECODED, frame);

  result->done_usec = g_get_monotonic_time ();
  msg->result = result;
  _rf_ingest_post (self, msg);
}

gboolean
_rf_ingest_is_cancelled (RfIngest *self)
{
  gboolean cancelled;

  g_mutex_lock (&self->mutex);
  cancelled = self->cancelled;
  g_mutex_unlock (&self->mutex);

  return cancelled;
}

void
_rf_ingest_wait_until (RfIngest *self,
                       gint64    target_usec)
{
  g_mutex_lock (&self->mutex);
  while (!self->cancelled && g_get_monotonic_time () < target_usec)
    g_cond_wait_until (&self->cond, &self->mutex, target_usec);
  g_mutex_unlock (&self->mutex);
}

static gpointer
ingest_thread (gpointer data)
{
  RfIngest *self = data;
  g_autoptr(GError) error = NULL;
  RfIngestMsg *msg;
  gboolean discarded;
  gboolean ok;

  ok = rf_source_run (self->source, self, self->cancellable, &error);

  discarded = rf_sse_parser_finish (self->parser);
  _rf_ingest_stream_drop (self);
  /* The event that ended a live run has its own diagnostic. */
  if (self->stopped)
    discarded = FALSE;

  /* A journal of a live run that failed or was cancelled replays as it
   * ended, with its cause, not as a stream cut short. */
  if (ok && self->outcome_code != NULL && !_rf_ingest_is_cancelled (self))
    {
      if (g_str_equal (self->outcome_code, "cancelled"))
        rf_ingest_add_diagnostic (self, RF_SEVERITY_INFO, "cancelled", -1,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               /* TRANSLATORS: a run followed live was
                                                * stopped by the user. A run is one
                                                * stream followed from start to end,
                                                * kept in the history. A frame is one
                                                * step of an image’s refinement: a
                                                * partial image or the final image */
                                               "The live run was cancelled after %u event; every frame received is kept",
                                               "The live run was cancelled after %u events; every frame received is kept",
                                               self->n_events),
                                  self->n_events);
      else
        {
          const char *message = self->outcome_message ? self->outcome_message : self->outcome_code;

          rf_ingest_add_diagnostic (self, RF_SEVERITY_ERROR, self->outcome_code, -1, "%s", message);
          if (self->n_events > 0)
            rf_assembler_finish (self->assembler, discarded);
          g_set_error_literal (&error, RF_ERROR,
                               g_str_equal (self->outcome_code, "http-error") ? RF_ERROR_HTTP : RF_ERROR_IO,
                               message);
        }
    }
  else if (_rf_ingest_is_cancelled (self))
    {
      rf_ingest_add_diagnostic (self, RF_SEVERITY_INFO, "cancelled", -1,
                                g_dngettext (GETTEXT_PACKAGE,
                                             /* TRANSLATORS: a run was stopped by
                                              * the user. An event is one
                                              * server-sent event of the stream. A
                                              * frame is one step of an image’s
                                              * refinement: a partial image or the
                                              * final image */
                                             "Cancelled after %u event; every frame received is kept",
                                             "Cancelled after %u events; every frame received is kept",
                                             self->n_events),
                                self->n_events);
    }
  else if (ok || self->n_events > 0)
    {
      if (!ok && error != NULL)
        rf_ingest_add_diagnostic (self, RF_SEVERITY_ERROR, "connection-lost", -1,
                                  _("The stream broke off: %s"), error->message);
      rf_assembler_finish (self->assembler, discarded);
    }

  msg = _rf_ingest_msg_new (RF_INGEST_MSG_EOF, NULL);
  msg->number = (int) rf_assembler_get_n_frames (self->assembler);
  /* A recording's `: t=` comments say how long the run took, whatever
   * the replay speed; a live server's comments say nothing of the kind. */
  msg->t_ms = self->live ? -1 : self->recorded_t_ms;
  msg->error = g_steal_pointer (&error);
  msg->bytes = self->bytes;
  _rf_ingest_post (self, msg);

  rf_ingest_unref (self);

  return NULL;
}

RfIngest *
_rf_ingest_start (GObject               *session,
                  RfIngestApplyFunc      apply,
                  RfSource              *source,
                  const RfIngestOptions *options,
                  GMainContext          *context)
{
  RfIngest *self = g_new0 (RfIngest, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_weak_ref_init (&self->session, session);
  self->apply = apply;
  self->context = g_main_context_ref (context);
  self->source = g_object_ref (source);
  self->cancellable = g_cancellable_new ();
  self->options = *options;
  self->recorded_t_ms = -1;
  self->event_first_t_ms = -1;
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  /* Above redraw (HIGH_IDLE + 20): when painting takes a whole frame
   * (software rendering), a lower priority would never run. Each
   * dispatch is bounded by APPLY_BUDGET_USEC, so frames still flow. */
  self->mailbox = rf_mailbox_new (context, "[rf-ingest] apply", G_PRIORITY_HIGH_IDLE + 10,
                                  apply_cb, self, (GDestroyNotify) rf_ingest_msg_free);
  rf_mailbox_set_budget (self->mailbox, APPLY_BUDGET_USEC);
  self->to_decode = g_array_new (FALSE, FALSE, sizeof (PendingDecode));

  self->parser = _rf_ingest_new_parser (self);
  self->assembler = rf_assembler_new (&assembler_sink, self);
  if (options->requested_partials >= 0)
    rf_assembler_set_requested_partials (self->assembler, options->requested_partials);
  self->decoder = rf_decoder_new (options->n_workers, &options->limits, decoded_cb, self);
  rf_decoder_set_keep_pixbufs (self->decoder, options->keep_pixbufs);
  rf_decoder_set_pass_pixbufs (self->decoder, options->pass_pixbufs);
  rf_decoder_set_yield_cpu (self->decoder, options->yield_cpu);

  self->tap = options->tap;
  self->tap_data = options->tap_data;
  self->start_time = g_get_monotonic_time ();
  self->thread = g_thread_new ("rf-ingest", ingest_thread, rf_ingest_ref (self));

  return self;
}

void
_rf_ingest_cancel (RfIngest *self)
{
  g_mutex_lock (&self->mutex);
  self->cancelled = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  /* Only reading stops: frames already received still decode (the queue
   * holds at most a few), so none is lost. */
  g_cancellable_cancel (self->cancellable);
}

void
_rf_ingest_release_decode (RfIngest *self)
{
  rf_decoder_release (self->decoder);
}

gint64
_rf_ingest_get_start_time (RfIngest *self)
{
  return self->start_time;
}

guint
_rf_ingest_get_n_workers (RfIngest *self)
{
  return rf_decoder_get_n_workers (self->decoder);
}

void
_rf_ingest_stop_and_unref (RfIngest *self)
{
  GThread *thread;

  if (self == NULL)
    return;

  _rf_ingest_cancel (self);
  rf_decoder_cancel (self->decoder);

  thread = g_steal_pointer (&self->thread);
  if (thread != NULL)
    g_thread_join (thread);

  /* Nothing more reaches the session; what workers still post goes
   * with the last reference. */
  rf_mailbox_close (self->mailbox);

  rf_ingest_unref (self);
}

/* Public API for sources (ingest thread). */

/* Reading and scanning at full speed competes with the UI thread: it
 * runs behind it. At a live pace there is little to do, and an event's
 * end is where the first pixel waits for it (it hands the rest of the
 * image to the decode): it keeps its priority. Live sources say so
 * before their first byte. */
static void
lower_priority (RfIngest *self)
{
  if (self->options.keep_pixbufs && !self->paced)
    rf_thread_lower_priority ();
}

void
rf_ingest_push (RfIngest     *self,
                const guint8 *buf,
                gsize         len)
{
  g_return_if_fail (self != NULL);

  if (len == 0 || self->stopped)
    return;

  lower_priority (self);

  if (!self->streaming)
    rf_ingest_set_streaming (self);

  self->chunk_t_ms = rf_ingest_now_ms (self);
  self->bytes += len;

  if (self->tap != NULL)
    self->tap (buf, len, self->chunk_t_ms, self->tap_data);

  rf_sse_parser_push (self->parser, buf, len);
}

void
rf_ingest_set_paced (RfIngest *self)
{
  g_return_if_fail (self != NULL);

  self->paced = TRUE;
}

void
rf_ingest_set_live (RfIngest *self)
{
  g_return_if_fail (self != NULL);

  self->live = TRUE;
  self->paced = TRUE;
}


gboolean
rf_ingest_is_stopped (RfIngest *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->stopped;
}

void
rf_ingest_push_event (RfIngest   *self,
                      const char *sse_event,
                      GBytes     *data,
                      const char *sse_id,
                      gint64      t_ms)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL);

  if (!self->streaming)
    rf_ingest_set_streaming (self);

  lower_priority (self);
  self->bytes += g_bytes_get_size (data);

  if (t_ms >= 0 && self->speed > 0)
    _rf_ingest_wait_for_recorded (self, t_ms);

  if (t_ms < 0)
    t_ms = rf_ingest_now_ms (self);
  _rf_ingest_dispatch_event (self, sse_event ? sse_event : "message", NULL, data, sse_id ? sse_id : "", t_ms, t_ms);
}

gint64
rf_ingest_now_ms (RfIngest *self)
{
  return (g_get_monotonic_time () - self->start_time) / 1000;
}

void
rf_ingest_set_connecting (RfIngest *self)
{
  post_state (self, RF_SESSION_STATE_CONNECTING);
}

void
rf_ingest_set_streaming (RfIngest *self)
{
  if (self->streaming)
    return;
  self->streaming = TRUE;
  post_state (self, RF_SESSION_STATE_STREAMING);
}

/* partial_images from a request body or a sidecar that wraps it. */
static int
find_partial_images (JsonNode *node,
                     int       depth)
{
  JsonObject *obj;
  JsonNode *member;

  if (node == NULL || depth > 3 || !JSON_NODE_HOLDS_OBJECT (node))
    return -1;

  obj = json_node_get_object (node);
  member = json_object_get_member (obj, "partial_images");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member))
    {
      GType t = json_node_get_value_type (member);
      if (t == G_TYPE_INT64)
        return (int) CLAMP (json_node_get_int (member), -1, 1000);
      if (t == G_TYPE_DOUBLE)
        return (int) CLAMP (json_node_get_double (member), -1, 1000);
    }

  member = json_object_get_member (obj, "tools");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *tools = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (tools); i++)
        {
          int n = find_partial_images (json_array_get_element (tools, i), depth + 1);
          if (n >= 0)
            return n;
        }
    }

  member = json_object_get_member (obj, "body");
  if (member != NULL)
    return find_partial_images (member, depth + 1);
  member = json_object_get_member (obj, "request");
  if (member != NULL)
    return find_partial_images (member, depth + 1);

  return -1;
}

void
rf_ingest_set_request (RfIngest   *self,
                       const char *request_json,
                       int         requested_partials)
{
  RfIngestMsg *msg;

  g_return_if_fail (self != NULL);

  if (requested_partials < 0 && request_json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      if (rf_json_safe_to_parse (request_json, -1, RF_JSON_MAX_DEPTH) &&
          json_parser_load_from_data (parser, request_json, -1, NULL))
        requested_partials = find_partial_images (json_parser_get_root (parser), 0);
    }

  if (self->options.requested_partials < 0 && requested_partials >= 0)
    rf_assembler_set_requested_partials (self->assembler, requested_partials);

  msg = _rf_ingest_msg_new (RF_INGEST_MSG_REQUEST, NULL);
  msg->text = g_strdup (request_json);
  msg->number = rf_assembler_get_requested_partials (self->assembler);
  _rf_ingest_emit (self, msg);
}

void
rf_ingest_set_replay_speed (RfIngest *self,
                            double    speed)
{
  self->speed = MAX (speed, 0.0);
}

void
rf_ingest_add_diagnostic (RfIngest   *self,
                          RfSeverity  severity,
                          const char *code,
                          gint64      sequence_number,
                          const char *format,
                          ...)
{
  g_autoptr(RfDiagnostic) diagnostic = NULL;
  va_list args;

  va_start (args, format);
  diagnostic = rf_diagnostic_new_valist (severity, code, sequence_number, format, args);
  va_end (args);

  _rf_ingest_emit (self, _rf_ingest_msg_new (RF_INGEST_MSG_DIAGNOSTIC, diagnostic));
}

gint64
rf_ingest_get_last_sequence_number (RfIngest *self)
{
  return rf_assembler_get_last_sequence_number (self->assembler);
}

char *
rf_ingest_dup_response_id (RfIngest *self)
{
  return g_strdup (rf_assembler_get_response_id (self->assembler));
}

guint
rf_ingest_get_n_events (RfIngest *self)
{
  return self->n_events;
}

gboolean
rf_ingest_get_saw_terminal (RfIngest *self)
{
  return rf_assembler_get_ended (self->assembler) || rf_assembler_get_failed (self->assembler);
}

void
rf_ingest_begin_resume (RfIngest *self)
{
  /* A half-received event of the broken connection is dropped. */
  rf_sse_parser_finish (self->parser);
  _rf_ingest_stream_drop (self);
  self->event_first_t_ms = -1;
  rf_assembler_begin_resume (self->assembler);
}

void
rf_ingest_set_tap (RfIngest        *self,
                   RfIngestTapFunc  func,
                   gpointer         user_data)
{
  self->tap = func;
  self->tap_data = user_data;
}
