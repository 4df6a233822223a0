/*
 * rf-ingest-events.c
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

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>

#include "rf-event.h"
#include "rf-ingest-internal.h"
#include "rf-journal.h"

/* What the ingest thread does with the SSE parser's output, on the ingest
 * thread only: each event to the assembler and its frames on to the
 * decode workers; in a live run, the image value of the event still
 * arriving fed to the streamed decode; a recording's `: t=` times waited
 * for at the replay speed and its recorded outcome kept; an event over
 * the size limit named in a diagnostic. */

#define DONE_TYPE "\"response.output_item.done\""

/* How far into an event's line its image key is looked for. */
#define VALUE_KEY_MAX (64 * 1024)

/* The value being decoded early, if any, made no frame. */
void
_rf_ingest_stream_drop (RfIngest *self)
{
  g_clear_pointer (&self->stream, rf_decoder_stream_abort);
  self->value_state = VALUE_NONE;
}

/* A frame's rows as they decode, for a window to draw: at most this
 * often, and at most two copies on their way to the main thread (a
 * window that stalls gets fewer, not a pile). */
#define ARRIVING_INTERVAL_USEC (66 * 1000)
#define ARRIVING_MAX_IN_FLIGHT 2

typedef struct
{
  RfIngest *ingest;        /* outlives its decoder's workers */
  gint64    output_index;
  gint64    last_usec;
} Arriving;

/* Decode worker: the streamed frame's first @rows rows are done. The rows
 * are copied (the loader goes on writing) and posted like any message. */
static void
arriving_cb (GdkPixbuf *pixbuf,
             int        rows,
             gpointer   user_data)
{
  Arriving *arriving = user_data;
  RfIngest *self = arriving->ingest;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GdkPixbuf) done = NULL;
  RfIngestMsg *msg;

  if (rows <= 0 || now - arriving->last_usec < ARRIVING_INTERVAL_USEC ||
      g_atomic_int_get (&self->arriving_in_flight) >= ARRIVING_MAX_IN_FLIGHT)
    return;
  arriving->last_usec = now;

  done = gdk_pixbuf_new_subpixbuf (pixbuf, 0, 0, gdk_pixbuf_get_width (pixbuf),
                                   MIN (rows, gdk_pixbuf_get_height (pixbuf)));
  msg = _rf_ingest_msg_new (RF_INGEST_MSG_ARRIVING, NULL);
  msg->object = G_OBJECT (gdk_pixbuf_copy (done));
  if (msg->object == NULL)
    {
      rf_ingest_msg_free (msg);
      return;
    }
  msg->number = gdk_pixbuf_get_height (pixbuf);
  msg->index = arriving->output_index;
  g_atomic_int_inc (&self->arriving_in_flight);
  _rf_ingest_post (self, msg);
}

/* Where the value of @key (quoted) begins in @line (@len bytes, not
 * NUL-terminated), after the colon and any white space; the key is
 * looked for in the line's first VALUE_KEY_MAX bytes. NULL when not. */
static const char *
line_value (const guint8 *line,
            gsize         len,
            const char   *key)
{
  const char *text = (const char *) line;
  const char *end = text + len;
  gsize key_len = strlen (key);
  const char *p = memmem (text, MIN (len, VALUE_KEY_MAX), key, key_len);

  if (p == NULL)
    return NULL;
  p += key_len;
  while (p < end && g_ascii_isspace (*p))
    p++;
  if (p >= end || *p != ':')
    return NULL;
  p++;
  while (p < end && g_ascii_isspace (*p))
    p++;

  return p;
}

/* The output_index in the head of an event's line (the Responses API
 * names it before the image), -1 when it is not there. */
static gint64
find_output_index (const guint8 *line,
                   gsize         len)
{
  const char *p = line_value (line, len, "\"output_index\"");
  const char *end = (const char *) line + len;
  gint64 value = 0;
  gboolean digits = FALSE;

  if (p == NULL)
    return -1;
  for (; p < end && g_ascii_isdigit (*p) && value < G_MAXINT32; p++, digits = TRUE)
    value = value * 10 + (*p - '0');

  return digits && value < G_MAXINT32 ? value : -1;
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
      const char *p;

      if (k == 2 && memmem (text, head, DONE_TYPE, strlen (DONE_TYPE)) == NULL)
        continue;
      p = line_value (line, len, keys[k]);
      if (p == NULL || p >= text + len || *p != '"')
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

      if (self->options.arriving)
        {
          Arriving *arriving = g_new0 (Arriving, 1);

          arriving->ingest = self;
          arriving->output_index = find_output_index (line, len);
          self->stream = rf_decoder_stream_begin (self->decoder, arriving_cb, arriving, g_free);
        }
      else
        {
          self->stream = rf_decoder_stream_begin (self->decoder, NULL, NULL, NULL);
        }
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
      _rf_ingest_stream_drop (self);
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
  _rf_ingest_stream_drop (self);

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

  _rf_ingest_emit (self, _rf_ingest_msg_new (RF_INGEST_MSG_EVENT, event));
  for (guint i = 0; i < collected->len; i++)
    _rf_ingest_post (self, g_ptr_array_index (collected, i));

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

/* Ingest thread. Polled: the session's thread signals nothing, so it
 * never takes a lock a preempted worker could hold. */
static void
wait_for_session (RfIngest *self)
{
  while (g_atomic_int_get (&self->in_flight) > MAX_IN_FLIGHT && !_rf_ingest_is_cancelled (self))
    _rf_ingest_wait_until (self, g_get_monotonic_time () + 2000);
}

/* @sse_event_bytes: the event type whole, when it may hold U+0000 (from
 * the parser), else NULL. */
void
_rf_ingest_dispatch_event (RfIngest   *self,
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
      RfIngestMsg *msg = _rf_ingest_msg_new (RF_INGEST_MSG_SSE, NULL);

      /* A reference, not a copy: --dump=sse writes the data whole. */
      msg->sse_data = g_bytes_ref (data);
      msg->sse_event = sse_event_bytes != NULL ? g_bytes_ref (sse_event_bytes)
                                               : g_bytes_new (sse_event, strlen (sse_event));
      msg->text3 = g_strdup (sse_id);
      _rf_ingest_emit (self, msg);
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
  _rf_ingest_dispatch_event (self, event_type, type, bytes, id,
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
  _rf_ingest_stream_drop (self);
  self->value_state = VALUE_LOOKING;
}

/* Recorded times are untrusted input: one past a day is not waited for
 * (scaling it could overflow, and a replay must not hang on it). */
void
_rf_ingest_wait_for_recorded (RfIngest *self,
                              gint64    t_ms)
{
  double offset_usec;

  if (t_ms < 0 || t_ms > (gint64) 24 * 3600 * 1000)
    return;

  offset_usec = (double) t_ms * 1000.0 / self->speed;
  _rf_ingest_wait_until (self, self->start_time + (gint64) MIN (offset_usec, 1e15));
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
    _rf_ingest_wait_for_recorded (self, t);
}

/* Where the value of "@key" begins in the head of an event's JSON (after
 * the colon and any white space), or NULL. */
static const char *
head_value (const char *head,
            const char *key)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", key);
  const char *p = strstr (head, quoted);

  if (p == NULL)
    return NULL;
  p += strlen (quoted);
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
    p++;
  if (*p++ != ':')
    return NULL;
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
    p++;

  return p;
}

/* The string value of "@key" in the head of an event's JSON, when it is
 * short and plain (letters, digits, ".", "_", ":", "-"), else NULL. */
static char *
head_string (const char *head,
             const char *key)
{
  const char *p = head_value (head, key);
  const char *start;

  if (p == NULL || *p++ != '"')
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
  const char *p = head_value (head, key);
  guint64 value;
  char *end;

  if (p == NULL || !g_ascii_isdigit (*p))
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
  _rf_ingest_stream_drop (self);

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

RfSseParser *
_rf_ingest_new_parser (RfIngest *self)
{
  RfSseParser *parser = rf_sse_parser_new (sse_event_cb, sse_comment_cb, sse_overflow_cb, self);

  rf_sse_parser_set_start_func (parser, sse_start_cb);
  rf_sse_parser_set_line_func (parser, sse_line_cb);
  return parser;
}
