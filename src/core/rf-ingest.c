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
#include "rf-ingest-private.h"
#include "rf-journal.h"
#include "rf-lane.h"
#include "rf-source.h"
#include "rf-sse-parser.h"
#include "rf-stall-monitor.h"
#include "rf-thread.h"

/* Time budget of one main-loop dispatch that applies messages: more waits
 * for the next iteration, so the UI never stalls behind a burst. */
#define APPLY_BUDGET_USEC 6000

/* Messages posted and not yet applied: past this the ingest thread waits
 * for the session's thread before it reads on, so a stream that the UI
 * cannot keep up with (a flood of tiny events) waits in the socket or the
 * file, not in memory. About 1 KiB a message. */
#define MAX_IN_FLIGHT 4096

typedef struct
{
  RfFrame        *frame;
  GBytes         *b64;
  /* Its decode began while the event arrived. */
  RfDecodeStream *stream;
} PendingDecode;

/* Where the event arriving stands with its image value (live runs). */
typedef enum
{
  VALUE_NONE,        /* not looked for, or none is coming */
  VALUE_LOOKING,     /* the first data line grows: look for the key */
  VALUE_FEEDING,     /* the value grows: its text goes to the worker */
  VALUE_ENDED,       /* its closing quote came, or the worker gave up */
} ValueState;

#define DONE_TYPE "\"response.output_item.done\""

/* How far into an event's line its image key is looked for. */
#define VALUE_KEY_MAX (64 * 1024)

struct _RfIngest
{
  gatomicrefcount    ref_count;

  GWeakRef           session;
  RfIngestApplyFunc  apply;
  GMainContext      *context;
  RfSource          *source;
  GCancellable      *cancellable;
  GThread           *thread;
  RfIngestOptions    options;

  /* Ingest thread only. */
  RfSseParser       *parser;
  RfAssembler       *assembler;
  RfDecoder         *decoder;
  GPtrArray         *collected;      /* RfIngestMsg, during one event */
  GArray            *to_decode;      /* PendingDecode, during one event */
  gint64             chunk_t_ms;
  gint64             recorded_t_ms;
  /* The current event's first byte, on the run's clock. */
  gint64             event_first_t_ms;
  /* When the event being handed out ended (monotonic µs): a frame's
   * decode is timed from it. */
  gint64             event_end_usec;
  /* A live run decodes a frame while its event arrives, so that only
   * its last rows are left when it ends. Replays and the demo deliver
   * each event's line at once: nothing to gain there. */
  gboolean           paced;
  RfDecodeStream    *stream;
  ValueState         value_state;
  gsize              value_start;    /* in the line, "data:" included */
  gsize              value_fed;
  gsize              line_prefix;    /* "data:" or "data: " */
  /* The data of the event being handed out (sse_event_cb), to find the
   * value read early in it. */
  const char        *event_data;
  double             speed;
  guint              n_events;
  guint64            bytes;
  RfIngestTapFunc    tap;
  gpointer           tap_data;
  gboolean           streaming;
  /* A live run ends at an event over the limit; once it has, nothing
   * more is read, parsed or journalled. */
  gboolean           live;
  gboolean           stopped;
  /* A replayed journal's recorded outcome (RfRecorder): why the live
   * run ended, when its bytes cannot tell. */
  char              *outcome_code;
  char              *outcome_message;

  gint64             start_time;     /* monotonic µs */

  /* Messages to the session's thread: taken there without a lock the
   * workers hold, so a worker preempted while posting (they run behind
   * the UI thread) never holds up the UI. */
  RfMailbox         *mailbox;
  gint               in_flight;      /* atomic */

  GMutex             mutex;
  GCond              cond;
  gboolean           cancelled;
};

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

static RfIngestMsg *
msg_new (RfIngestMsgKind  kind,
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

  if (session != NULL)
    self->apply (session, msg);
  else if (msg->kind == RF_INGEST_MSG_DECODED && self->decoder != NULL)
    rf_decoder_release (self->decoder);

  rf_ingest_msg_free (msg);
  rf_stall_monitor_add_phase ("apply", g_get_monotonic_time () - start);
}

/* Any thread. */
static void
post (RfIngest    *self,
      RfIngestMsg *msg)
{
  g_atomic_int_inc (&self->in_flight);
  rf_mailbox_post (self->mailbox, &msg->link);
}

/* During one event, messages are collected so the event itself is posted
 * first and its lanes, frames and diagnostics follow it. */
static void
emit (RfIngest    *self,
      RfIngestMsg *msg)
{
  msg->bytes = self->bytes;

  if (self->collected != NULL)
    g_ptr_array_add (self->collected, msg);
  else
    post (self, msg);
}

static void
post_state (RfIngest       *self,
            RfSessionState  state)
{
  RfIngestMsg *msg = msg_new (RF_INGEST_MSG_STATE, NULL);

  msg->number = state;
  emit (self, msg);
}

static void
lane_added_cb (RfLane   *lane,
               gpointer  user_data)
{
  emit (user_data, msg_new (RF_INGEST_MSG_LANE, lane));
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
  emit (self, msg_new (RF_INGEST_MSG_FRAME, frame));
  g_array_append_val (self->to_decode, pd);
}

static void
diagnostic_cb (RfDiagnostic *diagnostic,
               gpointer      user_data)
{
  emit (user_data, msg_new (RF_INGEST_MSG_DIAGNOSTIC, diagnostic));
}

static void
revised_prompt_cb (RfLane     *lane,
                   const char *revised_prompt,
                   gpointer    user_data)
{
  RfIngestMsg *msg = msg_new (RF_INGEST_MSG_REVISED_PROMPT, lane);

  msg->text = g_strdup (revised_prompt);
  emit (user_data, msg);
}

static void
response_id_cb (const char *response_id,
                gpointer    user_data)
{
  RfIngestMsg *msg = msg_new (RF_INGEST_MSG_RESPONSE_ID, NULL);

  msg->text = g_strdup (response_id);
  emit (user_data, msg);
}

static void
failure_cb (const char *message,
            gpointer    user_data)
{
  RfIngestMsg *msg = msg_new (RF_INGEST_MSG_FAILURE, NULL);

  msg->text = g_strdup (message);
  emit (user_data, msg);
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
  RfIngestMsg *msg = msg_new (RF_INGEST_MSG_DECODED, frame);

  result->done_usec = g_get_monotonic_time ();
  msg->result = result;
  post (self, msg);
}

static gboolean
is_cancelled (RfIngest *self)
{
  gboolean cancelled;

  g_mutex_lock (&self->mutex);
  cancelled = self->cancelled;
  g_mutex_unlock (&self->mutex);

  return cancelled;
}

/* The value being decoded early, if any, made no frame. */
static void
stream_drop (RfIngest *self)
{
  g_clear_pointer (&self->stream, rf_decoder_stream_abort);
  self->value_state = VALUE_NONE;
}

/* Where the image value begins in @line (the event's first data line so
 * far), after the opening quote; 0 when it is not (yet) there. Only
 * events that carry one image are decoded early: a partial image, an
 * Images API image, an image item done. response.completed repeats
 * results that are no new frames. */
static gsize
find_value_start (const guint8 *line,
                  gsize         len)
{
  static const char * const keys[] = { "\"partial_image_b64\"", "\"b64_json\"", "\"result\"" };
  const char *text = (const char *) line;
  gsize head = MIN (len, VALUE_KEY_MAX);

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      gsize key_len = strlen (keys[k]);
      const char *p = memmem (text, head, keys[k], key_len);
      const char *end = text + len;

      if (p == NULL)
        continue;
      if (k == 2 && memmem (text, head, DONE_TYPE, strlen (DONE_TYPE)) == NULL)
        continue;

      p += key_len;
      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p >= end || *p != ':')
        continue;
      p++;
      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p >= end || *p != '"')
        continue;
      return p + 1 - text;
    }

  return 0;
}

/* Ingest thread: the event's first data line grew. */
static void
sse_line_cb (RfSseParser  *parser,
             const guint8 *line,
             gsize         len,
             gpointer      user_data)
{
  RfIngest *self = user_data;
  const guint8 *from;
  const guint8 *quote;
  const guint8 *escape;
  gsize n;

  if (!self->paced)
    return;

  if (self->value_state == VALUE_LOOKING)
    {
      gsize start = find_value_start (line, len);

      if (start == 0)
        {
          if (len > VALUE_KEY_MAX)
            self->value_state = VALUE_NONE;
          return;
        }

      self->stream = rf_decoder_stream_begin (self->decoder, NULL, NULL);
      if (self->stream == NULL)
        {
          self->value_state = VALUE_NONE;
          return;
        }
      self->value_state = VALUE_FEEDING;
      self->value_start = start;
      self->value_fed = 0;
      self->line_prefix = line[5] == ' ' ? 6 : 5;
    }

  if (self->value_state != VALUE_FEEDING || len <= self->value_start + self->value_fed)
    return;

  from = line + self->value_start + self->value_fed;
  n = len - (from - line);
  quote = memchr (from, '"', n);
  escape = memchr (from, '\\', quote != NULL ? (gsize) (quote - from) : n);

  /* A value with escapes is not cut out where it lies: the event's
   * parse makes a copy of it, decoded whole. */
  if (escape != NULL)
    {
      stream_drop (self);
      return;
    }
  if (quote != NULL)
    {
      n = quote - from;
      self->value_state = VALUE_ENDED;
    }
  if (n > 0 && !rf_decoder_stream_feed (self->stream, (const char *) from, n))
    self->value_state = VALUE_ENDED;
  self->value_fed += n;
}

static void
handle_event (RfIngest *self,
              RfEvent  *event)
{
  g_autoptr(GPtrArray) collected = g_ptr_array_new ();
  gboolean keep;

  rf_event_set_position (event, self->n_events);

  if (self->options.hash_images)
    rf_event_hash_images (event);

  self->collected = collected;
  keep = rf_assembler_push (self->assembler, event);
  self->collected = NULL;

  /* A value decoded early that made no frame is dropped first: its
   * queue slot may be the one the frames below wait for. */
  stream_drop (self);

  if (!keep)
    {
      g_ptr_array_foreach (collected, (GFunc) rf_ingest_msg_free, NULL);
      for (guint i = 0; i < self->to_decode->len; i++)
        {
          PendingDecode *pd = &g_array_index (self->to_decode, PendingDecode, i);
          g_clear_object (&pd->frame);
          g_clear_pointer (&pd->b64, g_bytes_unref);
          g_clear_pointer (&pd->stream, rf_decoder_stream_abort);
        }
      g_array_set_size (self->to_decode, 0);
      return;
    }

  self->n_events++;

  /* The payloads now live in the decode jobs only. */
  rf_event_clear_images (event);

  emit (self, msg_new (RF_INGEST_MSG_EVENT, event));
  for (guint i = 0; i < collected->len; i++)
    post (self, g_ptr_array_index (collected, i));

  /* The frame decoding already goes first: it holds a queue slot, and
   * the others may have to wait for one. */
  for (guint i = 0; i < self->to_decode->len; i++)
    {
      PendingDecode *pd = &g_array_index (self->to_decode, PendingDecode, i);

      if (pd->stream != NULL)
        {
          rf_decoder_stream_finish (g_steal_pointer (&pd->stream), pd->frame, pd->b64);
          g_clear_object (&pd->frame);
          g_clear_pointer (&pd->b64, g_bytes_unref);
        }
    }

  for (guint i = 0; i < self->to_decode->len; i++)
    {
      PendingDecode *pd = &g_array_index (self->to_decode, PendingDecode, i);

      if (pd->frame != NULL)
        rf_decoder_submit (self->decoder, pd->frame, pd->b64, NULL);
      g_clear_object (&pd->frame);
      g_clear_pointer (&pd->b64, g_bytes_unref);
    }
  g_array_set_size (self->to_decode, 0);
}

static gint64
event_time (RfIngest *self)
{
  return self->recorded_t_ms >= 0 ? self->recorded_t_ms : self->chunk_t_ms;
}

static void wait_until (RfIngest *self,
                        gint64    target_usec);

/* Ingest thread. Polled: the session's thread signals nothing, so it
 * never takes a lock a preempted worker could hold. */
static void
wait_for_session (RfIngest *self)
{
  while (g_atomic_int_get (&self->in_flight) > MAX_IN_FLIGHT && !is_cancelled (self))
    wait_until (self, g_get_monotonic_time () + 2000);
}

/* @sse_event_bytes: the event type whole, when it may hold U+0000 (from
 * the parser), else NULL. */
static void
dispatch_event (RfIngest   *self,
                const char *sse_event,
                GBytes     *sse_event_bytes,
                GBytes     *data,
                const char *sse_id,
                gint64      first_t_ms,
                gint64      t_ms)
{
  g_autoptr(RfEvent) event = NULL;

  wait_for_session (self);

  self->event_first_t_ms = MIN (first_t_ms, t_ms);
  self->event_end_usec = g_get_monotonic_time ();

  if (self->options.emit_sse)
    {
      RfIngestMsg *msg = msg_new (RF_INGEST_MSG_SSE, NULL);

      /* A reference, not a copy: --dump=sse writes the data whole. */
      msg->sse_data = g_bytes_ref (data);
      msg->sse_event = sse_event_bytes != NULL ? g_bytes_ref (sse_event_bytes)
                                               : g_bytes_new (sse_event, strlen (sse_event));
      msg->text3 = g_strdup (sse_id);
      emit (self, msg);
    }

  event = rf_event_new_from_sse (sse_event, data, sse_id, t_ms);
  handle_event (self, event);
}

static void
sse_event_cb (RfSseParser *parser,
              const char  *event_type,
              const char  *data,
              gsize        data_len,
              const char  *id,
              gpointer     user_data)
{
  RfIngest *self = user_data;
  g_autoptr(GBytes) bytes = rf_sse_parser_steal_data (parser);
  g_autoptr(GBytes) type = NULL;
  gint64 t_ms = event_time (self);
  gsize type_len;
  const char *type_text = rf_sse_parser_get_event_type (parser, &type_len);

  type = g_bytes_new (type_text, type_len);
  self->event_data = data;
  dispatch_event (self, event_type, type, bytes, id,
                  self->event_first_t_ms >= 0 ? self->event_first_t_ms : t_ms, t_ms);
  self->event_data = NULL;
  self->event_first_t_ms = -1;
}

/* The event's first field line begins: in a recording, the time of the
 * chunk it came in is the `: t=` line before it. */
static void
sse_start_cb (RfSseParser *parser,
              gpointer     user_data)
{
  RfIngest *self = user_data;

  self->event_first_t_ms = event_time (self);
  stream_drop (self);
  self->value_state = VALUE_LOOKING;
}

static void
wait_until (RfIngest *self,
            gint64    target_usec)
{
  g_mutex_lock (&self->mutex);
  while (!self->cancelled && g_get_monotonic_time () < target_usec)
    g_cond_wait_until (&self->cond, &self->mutex, target_usec);
  g_mutex_unlock (&self->mutex);
}

/* Recorded times are untrusted input: one past a day is not waited for
 * (scaling it could overflow, and a replay must not hang on it). */
static void
wait_for_recorded (RfIngest *self,
                   gint64    t_ms)
{
  double offset_usec;

  if (t_ms < 0 || t_ms > (gint64) 24 * 3600 * 1000)
    return;

  offset_usec = (double) t_ms * 1000.0 / self->speed;
  wait_until (self, self->start_time + (gint64) MIN (offset_usec, 1e15));
}

/* `: t=<ms>` comments carry a recording's timing. */
static void
sse_comment_cb (RfSseParser *parser,
                const char  *comment,
                gsize        len,
                gpointer     user_data)
{
  RfIngest *self = user_data;
  const char *p = comment;
  char *end = NULL;
  gint64 t;

  while (*p == ' ')
    p++;
  if (strncmp (p, "t=", 2) != 0)
    {
      if (!self->live)
        {
          g_clear_pointer (&self->outcome_code, g_free);
          g_clear_pointer (&self->outcome_message, g_free);
          rf_journal_parse_outcome (comment, len, &self->outcome_code, &self->outcome_message);
        }
      return;
    }

  t = g_ascii_strtoll (p + 2, &end, 10);
  if (end == p + 2 || t < 0)
    return;

  self->recorded_t_ms = t;

  if (self->speed > 0)
    wait_for_recorded (self, t);
}

/* The string value of "@key" in the head of an event's JSON, when it is
 * short and plain (letters, digits, ".", "_", ":", "-"), else NULL. */
static char *
head_string (const char *head,
             const char *key)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", key);
  const char *p = strstr (head, quoted);
  const char *start;

  if (p == NULL)
    return NULL;
  p += strlen (quoted);
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
    p++;
  if (*p++ != ':')
    return NULL;
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
    p++;
  if (*p++ != '"')
    return NULL;
  start = p;
  while (g_ascii_isalnum (*p) || *p == '.' || *p == '_' || *p == ':' || *p == '-')
    p++;
  if (*p != '"' || p == start || p - start > 100)
    return NULL;

  return g_strndup (start, p - start);
}

static gint64
head_number (const char *head,
             const char *key)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", key);
  const char *p = strstr (head, quoted);
  guint64 value;
  char *end;

  if (p == NULL)
    return -1;
  p += strlen (quoted);
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
    p++;
  if (*p++ != ':')
    return -1;
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
    p++;
  if (!g_ascii_isdigit (*p))
    return -1;
  value = g_ascii_strtoull (p, &end, 10);
  if (end - p > 15)
    return -1;

  return (gint64) value;
}

static void
sse_overflow_cb (RfSseParser *parser,
                 gsize        limit,
                 gpointer     user_data)
{
  RfIngest *self = user_data;
  gint64 last = rf_assembler_get_last_sequence_number (self->assembler);
  unsigned long mib = (unsigned long) (limit / (1024 * 1024));
  gsize head_len;
  const guint8 *head_data = rf_sse_parser_get_overflow_head (parser, &head_len);
  g_autofree char *head = g_strndup ((const char *) head_data, head_len);
  g_autofree char *type = NULL;
  g_autofree char *what = NULL;
  g_autofree char *message = NULL;
  gint64 seq;

  /* Named from the start of its line, read before the rest is skipped:
   * its type and sequence number come first on every known wire shape.
   * The SSE event name stands in for a type the data does not give. */
  type = head_string (head, "type");
  if (type == NULL)
    type = head_string (head, "object");
  if (type == NULL)
    {
      gsize event_len;
      const char *event = rf_sse_parser_get_event_type (parser, &event_len);
      g_autofree char *name = g_strndup (event, event_len);
      g_autofree char *wrapped = g_strdup_printf ("{\"type\":\"%s\"}", name);

      type = head_string (wrapped, "type");
    }
  seq = head_number (head, "sequence_number");

  if (seq >= 0)
    /* TRANSLATORS: starts a diagnostic about an event that is too large: its
     * sequence number and type. The sequence number is the number the server
     * gives each event, in order */
    what = g_strdup_printf (_("Event %lld (%s)"), (long long) seq, type ? type : _("unknown type"));
  else if (type != NULL && last >= 0)
    /* TRANSLATORS: starts a diagnostic about an event that is too large and
     * has no number of its own. The sequence number is the number the server
     * gives each event, in order */
    what = g_strdup_printf (_("An event of type %s after sequence number %lld"), type, (long long) last);
  else if (type != NULL)
    /* TRANSLATORS: starts a diagnostic about an event that is too large and
     * has no number. An event is one server-sent event of the stream */
    what = g_strdup_printf (_("An event of type %s"), type);
  else if (last >= 0)
    /* TRANSLATORS: starts a diagnostic about an event that is too large; its
     * type is unknown. The sequence number is the number the server gives
     * each event, in order */
    what = g_strdup_printf (_("An event after sequence number %lld"), (long long) last);
  else
    /* TRANSLATORS: starts a diagnostic about an event that is too large,
     * before any numbered event. The sequence number is the number the
     * server gives each event, in order */
    what = g_strdup (_("An event before any sequence number"));

  rf_assembler_note_oversized (self->assembler, type, seq);
  stream_drop (self);

  /* A server that sends one endless event (no blank line, or no newline
   * at all) would otherwise be read, and journalled, for as long as it
   * goes on. A recording is read to its end: the next event may work. */
  if (self->live)
    {
      self->stopped = TRUE;
      /* TRANSLATORS: the first %s names the event, e.g. "Event 4 (response.image_generation_call.partial_image)" */
      message = g_strdup_printf (_("%s is larger than %lu MiB; the run ends here"), what, mib);
    }
  else
    /* TRANSLATORS: the first %s names the event, e.g. "Event 4 (response.image_generation_call.partial_image)" */
    message = g_strdup_printf (_("%s is larger than %lu MiB; it was skipped"), what, mib);

  rf_ingest_add_diagnostic (self, RF_SEVERITY_ERROR, "event-too-large", seq, "%s", message);
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
  stream_drop (self);
  /* The event that ended a live run has its own diagnostic. */
  if (self->stopped)
    discarded = FALSE;

  /* A journal of a live run that failed or was cancelled replays as it
   * ended, with its cause, not as a stream cut short. */
  if (ok && self->outcome_code != NULL && !is_cancelled (self))
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
  else if (is_cancelled (self))
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

  msg = msg_new (RF_INGEST_MSG_EOF, NULL);
  msg->number = (int) rf_assembler_get_n_frames (self->assembler);
  msg->error = g_steal_pointer (&error);
  msg->bytes = self->bytes;
  post (self, msg);

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

  self->parser = rf_sse_parser_new (sse_event_cb, sse_comment_cb, sse_overflow_cb, self);
  rf_sse_parser_set_start_func (self->parser, sse_start_cb);
  rf_sse_parser_set_line_func (self->parser, sse_line_cb);
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
    wait_for_recorded (self, t_ms);

  if (t_ms < 0)
    t_ms = rf_ingest_now_ms (self);
  dispatch_event (self, sse_event ? sse_event : "message", NULL, data, sse_id ? sse_id : "", t_ms, t_ms);
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

  msg = msg_new (RF_INGEST_MSG_REQUEST, NULL);
  msg->text = g_strdup (request_json);
  msg->number = rf_assembler_get_requested_partials (self->assembler);
  emit (self, msg);
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

  emit (self, msg_new (RF_INGEST_MSG_DIAGNOSTIC, diagnostic));
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
  stream_drop (self);
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
