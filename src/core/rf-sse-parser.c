/*
 * rf-sse-parser.c
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

#define G_LOG_DOMAIN "rf-sse-parser"

#include "config.h"

#include <string.h>

#include "rf-sse-parser.h"

/* An incremental event-stream parser following the WHATWG rules. Bytes are
 * scanned once with memchr for line ends, so the cost is linear whatever
 * the chunking; a line that spans chunks is accumulated in @line. */

struct _RfSseParser
{
  RfSseEventFunc     event_func;
  RfSseCommentFunc   comment_func;
  RfSseOverflowFunc  overflow_func;
  RfSseStartFunc     start_func;
  RfSseLineFunc      line_func;
  gpointer           user_data;

  GByteArray        *line;
  GByteArray        *data;
  /* Bytes before the data in @data: a line buffer taken over whole keeps
   * its field name in front rather than moving megabytes. */
  gsize              data_offset;
  GString           *event_type;
  char              *last_event_id;
  gint64             retry;
  gsize              max_event_size;
  guint64            consumed;

  /* Bytes of the current event so far (fields included). */
  gsize              event_size;

  /* While the overflow callback runs: the start of the event's data. */
  const guint8      *overflow_head;
  gsize              overflow_head_len;

  guint              bom_checked : 1;
  guint              last_was_cr : 1;
  /* The current event overflowed: skip until its blank line. */
  guint              skipping : 1;
  /* The current line overflowed: drop bytes until its end. */
  guint              skipping_line : 1;
  guint              in_callback : 1;
  guint              data_stolen : 1;
  /* A field line of the current event has begun. */
  guint              event_started : 1;
};

RfSseParser *
rf_sse_parser_new (RfSseEventFunc     event_func,
                   RfSseCommentFunc   comment_func,
                   RfSseOverflowFunc  overflow_func,
                   gpointer           user_data)
{
  RfSseParser *self = g_new0 (RfSseParser, 1);

  self->event_func = event_func;
  self->comment_func = comment_func;
  self->overflow_func = overflow_func;
  self->user_data = user_data;
  self->line = g_byte_array_new ();
  self->data = g_byte_array_new ();
  self->event_type = g_string_new (NULL);
  self->last_event_id = g_strdup ("");
  self->retry = -1;
  self->max_event_size = RF_SSE_DEFAULT_MAX_EVENT_SIZE;

  return self;
}

void
rf_sse_parser_free (RfSseParser *self)
{
  if (self == NULL)
    return;

  g_byte_array_unref (self->line);
  g_byte_array_unref (self->data);
  g_string_free (self->event_type, TRUE);
  g_free (self->last_event_id);
  g_free (self);
}

void
rf_sse_parser_set_start_func (RfSseParser    *self,
                              RfSseStartFunc  start_func)
{
  g_return_if_fail (self != NULL);

  self->start_func = start_func;
}

void
rf_sse_parser_set_line_func (RfSseParser   *self,
                             RfSseLineFunc  line_func)
{
  g_return_if_fail (self != NULL);

  self->line_func = line_func;
}

void
rf_sse_parser_set_max_event_size (RfSseParser *self,
                                  gsize        max_size)
{
  g_return_if_fail (self != NULL);

  self->max_event_size = MAX (max_size, 1024);
}

gint64
rf_sse_parser_get_retry (RfSseParser *self)
{
  return self->retry;
}

const char *
rf_sse_parser_get_event_type (RfSseParser *self,
                              gsize       *len)
{
  g_return_val_if_fail (self->in_callback, NULL);

  if (self->event_type->len == 0)
    {
      *len = strlen ("message");
      return "message";
    }

  *len = self->event_type->len;
  return self->event_type->str;
}

const char *
rf_sse_parser_get_last_event_id (RfSseParser *self)
{
  return self->last_event_id;
}

guint64
rf_sse_parser_get_bytes_consumed (RfSseParser *self)
{
  return self->consumed;
}

GBytes *
rf_sse_parser_steal_data (RfSseParser *self)
{
  GByteArray *stolen;

  g_return_val_if_fail (self->in_callback, NULL);
  g_return_val_if_fail (!self->data_stolen, NULL);

  self->data_stolen = TRUE;
  stolen = self->data;
  /* This array becomes the next long line's buffer (see process_line):
   * sized for a line like this one, it takes the next image's megabytes
   * without growing through every power of two, each step a copy into
   * memory not touched before. Capped, so one huge event does not
   * leave every later buffer huge. */
  self->data = g_byte_array_sized_new (MIN (stolen->len, 16 * 1024 * 1024));

  if (self->data_offset > 0)
    {
      g_autoptr(GBytes) whole = g_byte_array_free_to_bytes (stolen);

      return g_bytes_new_from_bytes (whole, self->data_offset,
                                     g_bytes_get_size (whole) - self->data_offset);
    }

  return g_byte_array_free_to_bytes (stolen);
}

static void
reset_event (RfSseParser *self)
{
  g_byte_array_set_size (self->data, 0);
  self->data_offset = 0;
  g_string_truncate (self->event_type, 0);
  self->event_size = 0;
  self->skipping = FALSE;
  self->event_started = FALSE;
}

static void
dispatch (RfSseParser *self)
{
  gsize len;

  if (self->skipping || self->data->len == 0)
    {
      reset_event (self);
      return;
    }

  /* The trailing LF added after the last data line becomes the NUL that
   * terminates the buffer for the callback; it is not counted. */
  self->data->data[self->data->len - 1] = 0;
  g_byte_array_set_size (self->data, self->data->len - 1);
  len = self->data->len - self->data_offset;

  if (self->event_func != NULL)
    {
      self->in_callback = TRUE;
      self->data_stolen = FALSE;
      self->event_func (self,
                        self->event_type->len > 0 ? self->event_type->str : "message",
                        (const char *) self->data->data + self->data_offset,
                        len,
                        self->last_event_id,
                        self->user_data);
      self->in_callback = FALSE;
    }

  self->data_stolen = FALSE;
  reset_event (self);
}

/* Replace invalid UTF-8 with U+FFFD. Only the rare invalid line pays for a
 * copy; valid lines (the multi-megabyte base64 ones) are validated once. */
/* Eight bytes at a time: no byte with its high bit set, and no NUL (the
 * zero-byte test may also fire on bytes ≥ 0x80, which fail anyway). */
static gboolean
is_plain_ascii (const guint8 *s,
                gsize         len)
{
  const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080);
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 v;

      memcpy (&v, s + i, 8);
      if ((v | ((v - ones) & ~v)) & high)
        return FALSE;
    }

  for (; i < len; i++)
    if (s[i] == 0 || s[i] >= 0x80)
      return FALSE;

  return TRUE;
}

/* U+0000 is a character like any other in an event stream: GLib's
 * validation refuses it, so the text is validated (and repaired) between
 * NULs, which are kept. */
static gboolean
utf8_valid_with_nul (const guint8 *s,
                     gsize         len)
{
  const guint8 *end = s + len;

  while (s < end)
    {
      const guint8 *nul = memchr (s, 0, end - s);
      gsize seg = (nul != NULL ? nul : end) - s;

      if (!g_utf8_validate_len ((const char *) s, seg, NULL))
        return FALSE;
      s += seg + (nul != NULL ? 1 : 0);
    }

  return TRUE;
}

static const guint8 *
ensure_utf8 (const guint8  *line,
             gsize          len,
             char         **tmp,
             gsize         *out_len)
{
  GString *out;
  const guint8 *p = line;
  const guint8 *end = line + len;

  /* Base64 lines are plain ASCII: a word-wide check is several times
   * faster than full UTF-8 validation. */
  if (is_plain_ascii (line, len) || utf8_valid_with_nul (line, len))
    {
      *out_len = len;
      return line;
    }

  out = g_string_sized_new (len + 16);
  while (p < end)
    {
      const guint8 *nul = memchr (p, 0, end - p);
      gsize seg = (nul != NULL ? nul : end) - p;
      g_autofree char *valid = g_utf8_make_valid ((const char *) p, seg);

      g_string_append (out, valid);
      if (nul != NULL)
        g_string_append_len (out, "", 1);
      p += seg + (nul != NULL ? 1 : 0);
    }

  *out_len = out->len;
  *tmp = g_string_free (out, FALSE);
  return (const guint8 *) *tmp;
}

static gboolean
has_nul (const guint8 *s,
         gsize         len)
{
  return memchr (s, 0, len) != NULL;
}

static void
process_line (RfSseParser  *self,
              const guint8 *raw,
              gsize         raw_len)
{
  g_autofree char *tmp = NULL;
  const guint8 *line;
  const guint8 *colon;
  const guint8 *value;
  gsize len;
  gsize name_len;
  gsize value_len;

  if (raw_len == 0)
    {
      dispatch (self);
      return;
    }

  if (self->skipping)
    return;

  line = ensure_utf8 (raw, raw_len, &tmp, &len);

  if (line[0] == ':')
    {
      if (self->comment_func != NULL)
        {
          g_autofree char *comment = g_strndup ((const char *) line + 1, len - 1);
          self->comment_func (self, comment, len - 1, self->user_data);
        }
      return;
    }

  colon = memchr (line, ':', len);
  if (colon != NULL)
    {
      name_len = colon - line;
      value = colon + 1;
      value_len = len - name_len - 1;
      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }
    }
  else
    {
      name_len = len;
      value = line + len;
      value_len = 0;
    }

#define FIELD_IS(lit) (name_len == strlen (lit) && memcmp (line, lit, name_len) == 0)

  if (FIELD_IS ("data"))
    {
      /* The first data line of an event, accumulated across reads: take
       * the line buffer over instead of copying megabytes out of it. */
      if (self->data->len == 0 && line == self->line->data && len == self->line->len)
        {
          GByteArray *empty = self->data;

          self->data = self->line;
          self->line = empty;
          self->data_offset = value - line;
          g_byte_array_append (self->data, (const guint8 *) "\n", 1);
          return;
        }
      g_byte_array_append (self->data, value, value_len);
      g_byte_array_append (self->data, (const guint8 *) "\n", 1);
    }
  else if (FIELD_IS ("event"))
    {
      g_string_truncate (self->event_type, 0);
      g_string_append_len (self->event_type, (const char *) value, value_len);
    }
  else if (FIELD_IS ("id"))
    {
      /* Check the raw bytes: the UTF-8 repair above turns a NUL into
       * U+FFFD, which would hide it. */
      if (!has_nul (raw, raw_len))
        {
          g_free (self->last_event_id);
          self->last_event_id = g_strndup ((const char *) value, value_len);
        }
    }
  else if (FIELD_IS ("retry"))
    {
      gboolean digits = value_len > 0 && value_len < 19;

      for (gsize i = 0; digits && i < value_len; i++)
        digits = g_ascii_isdigit (value[i]);

      if (digits)
        {
          g_autofree char *s = g_strndup ((const char *) value, value_len);
          self->retry = g_ascii_strtoll (s, NULL, 10);
        }
    }

#undef FIELD_IS
}

/* How much of an oversized event is kept to name it: its type and
 * sequence number come first on every known wire shape. */
#define OVERFLOW_HEAD_MAX 4096

static void
overflow (RfSseParser  *self,
          const guint8 *pending,
          gsize         pending_len)
{
  g_autoptr(GByteArray) head = g_byte_array_new ();

  /* The start of the event's data, read before any of it is dropped:
   * data lines already joined, else the line being read (held bytes,
   * then those of this chunk) without its field name. */
  if (self->data->len > self->data_offset)
    g_byte_array_append (head, self->data->data + self->data_offset,
                         MIN (self->data->len - self->data_offset, OVERFLOW_HEAD_MAX));
  else
    {
      g_byte_array_append (head, self->line->data, MIN (self->line->len, OVERFLOW_HEAD_MAX));
      if (head->len < OVERFLOW_HEAD_MAX)
        g_byte_array_append (head, pending, MIN (pending_len, OVERFLOW_HEAD_MAX - head->len));
      if (head->len >= 5 && memcmp (head->data, "data:", 5) == 0)
        g_byte_array_remove_range (head, 0, head->len > 5 && head->data[5] == ' ' ? 6 : 5);
      else
        g_byte_array_set_size (head, 0);
    }

  self->skipping = TRUE;
  self->skipping_line = TRUE;
  /* New arrays rather than emptied ones: the old ones grew to the limit
   * (up to 96 MiB) and would keep that memory for the rest of the run. */
  g_byte_array_unref (self->line);
  self->line = g_byte_array_new ();
  g_byte_array_unref (self->data);
  self->data = g_byte_array_new ();
  self->data_offset = 0;

  if (self->overflow_func != NULL)
    {
      /* The overflowing event's name is readable from the callback, as
       * in the event callback. */
      self->overflow_head = head->data;
      self->overflow_head_len = head->len;
      self->in_callback = TRUE;
      self->overflow_func (self, self->max_event_size, self->user_data);
      self->in_callback = FALSE;
      self->overflow_head = NULL;
      self->overflow_head_len = 0;
    }
}

const guint8 *
rf_sse_parser_get_overflow_head (RfSseParser *self,
                                 gsize       *len)
{
  g_return_val_if_fail (self != NULL, NULL);

  *len = self->overflow_head_len;
  return self->overflow_head != NULL ? self->overflow_head : (const guint8 *) "";
}

/* Called with a complete line: either straight from the chunk, or from
 * the accumulated @line buffer. */
static void
end_line (RfSseParser  *self,
          const guint8 *seg,
          gsize         seg_len)
{
  if (self->skipping_line)
    {
      self->skipping_line = FALSE;
      g_byte_array_set_size (self->line, 0);
      return;
    }

  if (self->line->len > 0)
    {
      g_byte_array_append (self->line, seg, seg_len);
      process_line (self, self->line->data, self->line->len);
      g_byte_array_set_size (self->line, 0);
    }
  else
    {
      process_line (self, seg, seg_len);
    }
}

static void
strip_bom (RfSseParser   *self,
           const guint8 **buf,
           gsize         *len)
{
  static const guint8 bom[] = { 0xEF, 0xBB, 0xBF };
  gsize have = self->line->len;

  /* The BOM may itself be split across chunks: hold its first bytes in
   * @line until we know. */
  while (have < 3 && *len > 0)
    {
      if ((*buf)[0] != bom[have])
        break;
      g_byte_array_append (self->line, *buf, 1);
      (*buf)++;
      (*len)--;
      have++;
    }

  if (have == 3)
    {
      g_byte_array_set_size (self->line, 0);
      self->bom_checked = TRUE;
      return;
    }

  if (*len == 0)
    return;

  /* Not a BOM: bytes held so far stay in @line as ordinary content. */
  self->bom_checked = TRUE;
}

void
rf_sse_parser_push (RfSseParser  *self,
                    const guint8 *buf,
                    gsize         len)
{
  const guint8 *next_lf;
  gboolean lf_known;

  g_return_if_fail (self != NULL);
  g_return_if_fail (buf != NULL || len == 0);

  self->consumed += len;

  if (!self->bom_checked)
    {
      strip_bom (self, &buf, &len);
      if (!self->bom_checked)
        return;
    }

  /* The next LF of the chunk, kept across lines: with lone-CR line ends
   * and no LF at all, searching the rest of the chunk for an LF on every
   * line would be quadratic. */
  next_lf = NULL;
  lf_known = FALSE;

  while (len > 0)
    {
      const guint8 *cr;
      const guint8 *lf;
      const guint8 *end;
      gsize seg_len;

      if (self->last_was_cr)
        {
          self->last_was_cr = FALSE;
          if (buf[0] == '\n')
            {
              buf++;
              len--;
              continue;
            }
        }

      /* A line that begins here (nothing held from an earlier chunk)
       * with a field, not a comment or the blank line, starts the event. */
      if (!self->event_started && self->line->len == 0 && buf[0] != ':' &&
          buf[0] != '\n' && buf[0] != '\r')
        {
          self->event_started = TRUE;
          if (self->start_func != NULL)
            self->start_func (self, self->user_data);
        }

      /* Find the nearer of CR and LF; the CR search is bounded by the
       * next LF, which is searched for again only once passed. */
      if (!lf_known || (next_lf != NULL && next_lf < buf))
        {
          next_lf = memchr (buf, '\n', len);
          lf_known = TRUE;
        }
      lf = next_lf;
      cr = memchr (buf, '\r', lf != NULL ? (gsize) (lf - buf) : len);
      end = cr != NULL ? cr : lf;

      if (end == NULL)
        {
          /* No line end in this chunk: accumulate, within the limit. A
           * line of a skipped event is only remembered as non-empty. */
          if (!self->skipping &&
              self->event_size + self->line->len + len > self->max_event_size)
            overflow (self, buf, len);

          if (self->skipping || self->skipping_line)
            self->skipping_line = TRUE;
          else
            {
              g_byte_array_append (self->line, buf, len);
              /* Only the event's first data line: it becomes the
               * event's data buffer as it is (process_line()). */
              if (self->line_func != NULL && self->data->len == 0 &&
                  self->line->len > 5 && memcmp (self->line->data, "data:", 5) == 0)
                self->line_func (self, self->line->data, self->line->len, self->user_data);
            }
          return;
        }

      seg_len = end - buf;

      /* A blank line adds nothing: it dispatches. Were it to overflow, it
       * would be swallowed and the next event skipped with this one. */
      if (!self->skipping && (seg_len > 0 || self->line->len > 0) &&
          self->event_size + self->line->len + seg_len > self->max_event_size)
        overflow (self, buf, seg_len);

      self->event_size += self->line->len + seg_len + 1;
      end_line (self, buf, seg_len);

      if (*end == '\r')
        self->last_was_cr = TRUE;

      buf = end + 1;
      len -= seg_len + 1;
    }
}

gboolean
rf_sse_parser_finish (RfSseParser *self)
{
  gboolean discarded;

  g_return_val_if_fail (self != NULL, FALSE);

  /* Only an event that would have dispatched counts: buffered data, or a
   * pending data line that never got its line end. */
  discarded = self->data->len > 0 || self->skipping ||
              (self->line->len >= 4 && memcmp (self->line->data, "data", 4) == 0);

  g_byte_array_set_size (self->line, 0);
  reset_event (self);
  self->skipping_line = FALSE;
  self->last_was_cr = FALSE;

  return discarded;
}
