/*
 * rf-event-parse.c
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

#define G_LOG_DOMAIN "rf-event"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include <json-glib/json-glib.h>

#include "rf-event-private.h"
#include "rf-text.h"

/* From an SSE event's data to a parsed tree: the image payloads cut out
 * of the text before json-glib sees it, the limits on what is parsed, and
 * the elided JSON the log shows. What the tree means is read by the
 * format readers (rf-event-openai.c, rf-event-formats.c). */

/* Image payloads are megabytes of base64 on one line. Rather than run a
 * JSON parser over them, their values are cut out of the text by a memchr
 * scan and replaced with short markers; json-glib then parses only the
 * small remainder. Values with escapes take the slow, exact path. */

#define MIN_CUT_LEN 128
#define MARKER_PREFIX "[base64: "

typedef struct
{
  gsize start;   /* offset of the value's first character (after the quote) */
  gsize len;
  gsize keep;    /* a long text: the bytes kept of it; TEXT_CUT for an image */
} Cut;

/* Any string longer than this (an error message, an id, a key) is cut
 * too, to its first TEXT_KEEP bytes and a note of its size: json-glib then
 * never holds it, and nothing shown from the event is longer. The stream
 * itself (the journal, --dump=sse) keeps every byte. */
#define TEXT_CUT_LEN (64 * 1024)
#define TEXT_KEEP 4000
#define TEXT_CUT G_MAXSIZE

/* JSON outside long strings (objects, arrays, numbers, short strings) is
 * parsed into a tree of about 100 bytes a value: events bigger than this
 * in structure are refused. Protocol events have a few hundred bytes. */
#define MAX_STRUCTURE (4 * 1024 * 1024)

/* The slow path (an image value with escapes, or text the fast path
 * cannot vouch for) gives json-glib the whole text, which holds each
 * long string two or three times over: only up to this size. */
#define MAX_SLOW_PATH (32 * 1024 * 1024)

#define add_problem _rf_event_add_problem

/* "url" is chat completions' image_url.url (cut only when it is a data
 * URL), "data" Gemini's inlineData.data. */
static const char * const image_keys[] = {
  "\"partial_image_b64\"", "\"b64_json\"", "\"result\"", "\"imageB64\"", "\"imageUrl\"",
  "\"url\"", "\"data\"",
};

/* Past the white space, the colon and the white space that follow a
 * JSON key at @q; NULL when no colon follows or nothing comes after it. */
static const char *
skip_colon (const char *q,
            const char *end)
{
  while (q < end && g_ascii_isspace (*q))
    q++;
  if (q >= end || *q != ':')
    return NULL;
  q++;
  while (q < end && g_ascii_isspace (*q))
    q++;
  return q;
}

static gboolean
key_span_is_image_key (const char *name,
                       gsize       len)
{
  for (guint k = 0; k < G_N_ELEMENTS (image_keys); k++)
    if (strlen (image_keys[k]) == len + 2 && memcmp (image_keys[k] + 1, name, len) == 0)
      return TRUE;

  return FALSE;
}

/* Finds the long string values of the image keys. FALSE when a value has
 * an escape (or the text is otherwise odd): the caller then parses it all.
 *
 * One pass from string to string: outside strings JSON has no quotes and
 * base64 has none either, so memchr crosses a multi-megabyte payload in
 * one call (searching the text once per key cost five scans of it). */
/* How many bytes of the string at @s (@len bytes, as written, escapes
 * and all) to keep, at most TEXT_KEEP: never in the middle of an escape
 * or of a UTF-8 character. */
static gsize
text_keep (const char *s,
           gsize       len)
{
  gsize limit = MIN (len, TEXT_KEEP);
  gsize i = 0;

  while (i < limit)
    {
      gsize step = 1;

      if (s[i] == '\\')
        step = i + 1 < len && s[i + 1] == 'u' ? 6 : 2;
      if (i + step > limit)
        break;
      i += step;
    }
  while (i > 0 && ((guchar) s[i] & 0xC0) == 0x80)
    i--;

  return i;
}

static void
add_text_cut (GArray     *cuts,
              const char *data,
              const char *s,
              gsize       len)
{
  Cut cut = { s - data, len, text_keep (s, len) };

  g_array_append_val (cuts, cut);
}

static gboolean
find_cuts (const char *data,
           gsize       len,
           GArray     *cuts)
{
  const char *end = data + len;
  const char *p = data;

  while (p < end && (p = memchr (p, '"', end - p)) != NULL)
    {
      const char *name = p + 1;
      const char *close = name;
      const char *q;
      gboolean escaped = FALSE;
      Cut cut;

      /* The closing quote is the first one after an even number of
       * backslashes. */
      for (;;)
        {
          const char *b;

          close = memchr (close, '"', end - close);
          if (close == NULL)
            return FALSE;
          for (b = close; b > name && b[-1] == '\\'; b--)
            ;
          if (b != close)
            escaped = TRUE;
          if (((close - b) & 1) == 0)
            break;
          close++;
        }
      p = close + 1;

      if ((gsize) (close - name) >= TEXT_CUT_LEN)
        {
          add_text_cut (cuts, data, name, close - name);
          continue;
        }

      if (escaped || !key_span_is_image_key (name, close - name))
        continue;

      if ((q = skip_colon (p, end)) == NULL)
        continue;
      if (q >= end || *q != '"')
        continue;
      q++;

      close = memchr (q, '"', end - q);
      if (close == NULL)
        return FALSE;
      if (memchr (q, '\\', close - q) != NULL)
        return FALSE;

      /* A short value is walked over as an ordinary string, and so is a
       * long URL that is not a data URL. */
      if ((gsize) (close - q) < MIN_CUT_LEN)
        continue;
      if (close - name == 3 && memcmp (name, "url", 3) == 0 && strncmp (q, "data:", 5) != 0)
        continue;

      cut.start = q - data;
      cut.len = close - q;
      cut.keep = TEXT_CUT;
      g_array_append_val (cuts, cut);
      p = close + 1;
    }

  return TRUE;
}

static int
cut_compare (gconstpointer a,
             gconstpointer b)
{
  const Cut *ca = a;
  const Cut *cb = b;

  return ca->start < cb->start ? -1 : ca->start > cb->start;
}

/* Text with each cut replaced by a marker naming its index and length. */
static char *
splice_markers (const char *data,
                gsize       len,
                GArray     *cuts,
                gsize      *out_len)
{
  GString *out = g_string_sized_new (256 + cuts->len * 32);
  gsize pos = 0;

  for (guint i = 0; i < cuts->len; i++)
    {
      const Cut *cut = &g_array_index (cuts, Cut, i);

      g_string_append_len (out, data + pos, cut->start - pos);
      if (cut->keep == TEXT_CUT)
        g_string_append_printf (out, MARKER_PREFIX "%" G_GSIZE_FORMAT " chars #%u]", cut->len, i);
      else
        g_string_append_printf (out, "%.*s… [%" G_GSIZE_FORMAT " bytes]",
                                (int) cut->keep, data + cut->start, cut->len);
      pos = cut->start + cut->len;
    }

  g_string_append_len (out, data + pos, len - pos);
  *out_len = out->len;

  return g_string_free (out, FALSE);
}

/* A marker's cut index, or -1. */
static int
marker_index (const char *s)
{
  const char *hash;

  if (s == NULL || !g_str_has_prefix (s, MARKER_PREFIX))
    return -1;
  hash = strrchr (s, '#');
  if (hash == NULL)
    return -1;
  return (int) g_ascii_strtoll (hash + 1, NULL, 10);
}

/* Counts, in @seen, the string values of @node that look like markers.
 * FALSE when one is not exactly the marker of a cut, or names a cut
 * already seen. */
static gboolean
tally_markers (JsonNode *node,
               GArray   *cuts,
               guint8   *seen,
               guint     depth)
{
  if (node == NULL || depth > RF_JSON_MAX_DEPTH)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      const char *value;
      g_autofree char *expected = NULL;
      int idx;

      if (json_node_get_value_type (node) != G_TYPE_STRING)
        return TRUE;
      value = json_node_get_string (node);
      if (!g_str_has_prefix (value, MARKER_PREFIX))
        return TRUE;
      idx = marker_index (value);
      if (idx < 0 || (guint) idx >= cuts->len || seen[idx] ||
          g_array_index (cuts, Cut, idx).keep != TEXT_CUT)
        return FALSE;
      expected = g_strdup_printf (MARKER_PREFIX "%" G_GSIZE_FORMAT " chars #%u]",
                                  g_array_index (cuts, Cut, idx).len, (guint) idx);
      if (strcmp (value, expected) != 0)
        return FALSE;
      seen[idx] = 1;
      return TRUE;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        if (!tally_markers (member, cuts, seen, depth + 1))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!tally_markers (json_array_get_element (array, i), cuts, seen, depth + 1))
          return FALSE;
    }

  return TRUE;
}

/* TRUE when each cut's marker is in the parsed remainder exactly once and
 * no other string looks like a marker. The input may itself hold a short
 * string spelling a marker (in an image field or anywhere); read as a
 * marker it would resolve to another field's image. Such text, and
 * duplicate keys that hide a cut value, take the slow path, where each
 * value is read from its own field. */
static gboolean
markers_are_own (JsonNode *root,
                 GArray   *cuts)
{
  g_autofree guint8 *seen = g_malloc0 (cuts->len);

  if (!tally_markers (root, cuts, seen, 0))
    return FALSE;
  for (guint i = 0; i < cuts->len; i++)
    if (!seen[i] && g_array_index (cuts, Cut, i).keep == TEXT_CUT)
      return FALSE;
  return TRUE;
}

typedef RfEventPayload Payload;

/* The media type of a data URL head ("data:image/png;base64,"), or NULL
 * when @head is not a base64 data URL. The head is short: the search is
 * bounded so that a payload without one is not scanned whole. */
static const char *
data_url_comma (const char *head,
                gsize       len,
                char      **mime_type)
{
  const char *comma;

  if (len < 5 || strncmp (head, "data:", 5) != 0)
    return NULL;
  comma = g_strstr_len (head, MIN (len, 256), ";base64,");
  if (comma == NULL)
    return NULL;
  if (mime_type != NULL)
    *mime_type = g_ascii_strdown (head + 5, comma - head - 5);
  return comma + strlen (";base64,");
}

GBytes *
_rf_event_payload_image (RfEventPayload  *payload,
                         const char      *value,
                         char           **mime_type)
{
  int idx = marker_index (value);
  const char *b64;

  if (value == NULL)
    return NULL;

  if (payload->cuts != NULL && idx >= 0 && (guint) idx < payload->cuts->len &&
      g_array_index (payload->cuts, Cut, idx).keep == TEXT_CUT)
    {
      const Cut *cut = &g_array_index (payload->cuts, Cut, idx);
      const char *start = (const char *) g_bytes_get_data (payload->data, NULL) + cut->start;

      /* A long data URL is cut out whole: skip its "data:…;base64," head. */
      if (cut->len > 5 && strncmp (start, "data:", 5) == 0)
        {
          b64 = data_url_comma (start, cut->len, mime_type);
          if (b64 == NULL)
            return NULL;
          return g_bytes_new_from_bytes (payload->data, cut->start + (b64 - start),
                                         cut->len - (b64 - start));
        }

      return g_bytes_new_from_bytes (payload->data, cut->start, cut->len);
    }

  /* Data URLs (OpenRouter's imageUrl, chat image_url.url): keep what
   * follows ";base64,". */
  if (g_str_has_prefix (value, "data:"))
    {
      value = data_url_comma (value, strlen (value), mime_type);
      if (value == NULL)
        return NULL;
    }

  return g_bytes_new (value, strlen (value));
}

/* The number written for member @name in the event's text, when one is
 * written without a minus sign (at most 40 characters of it), else NULL.
 * json-glib 1.6 wraps integers past 2^63 around (2^63 reads as -2^63, 2^64
 * and beyond as -1), so a negative value read may be a huge one written.
 * Linear; only called for such values. */
char *
_rf_event_payload_positive_literal (RfEventPayload *payload,
                                    const char     *name)
{
  g_autofree char *key = g_strdup_printf ("\"%s\"", name);
  gsize key_len = strlen (key);
  gsize len;
  const char *text = g_bytes_get_data (payload->data, &len);
  const char *end = text + len;
  const char *p = text;

  while (p != NULL && p < end && (p = memmem (p, end - p, key, key_len)) != NULL)
    {
      const char *q = p + key_len;
      const char *digits;

      p = q;
      if ((q = skip_colon (q, end)) == NULL)
        continue;
      if (q >= end || !g_ascii_isdigit (*q))
        continue;
      digits = q;
      while (q < end && (g_ascii_isdigit (*q) || *q == '.' || *q == 'e' || *q == 'E' ||
                         *q == '+' || *q == '-'))
        q++;
      if (q - digits > 40)
        return g_strdup_printf ("%.40s… (%" G_GSIZE_FORMAT " digits)", digits, (gsize) (q - digits));
      return g_strndup (digits, q - digits);
    }

  return NULL;
}

static gboolean
is_done (const char *data,
         gsize       len)
{
  while (len > 0 && g_ascii_isspace (data[0]))
    data++, len--;
  while (len > 0 && g_ascii_isspace (data[len - 1]))
    len--;
  return len == 6 && memcmp (data, "[DONE]", 6) == 0;
}

/* The length of the longest prefix of @s, at most @max bytes, that does
 * not end inside a UTF-8 character. */
gsize
_rf_event_utf8_prefix_len (const char *s,
                           gsize       max)
{
  gsize len = strlen (s);

  if (len <= max)
    return len;
  while (max > 0 && ((guchar) s[max] & 0xC0) == 0x80)
    max--;
  return max;
}

/* json-glib 1.6 turns an unpaired surrogate escape ("\\ud800") into
 * invalid UTF-8 in the parsed string, which would then reach the log, the
 * diagnostics and the output. Finds them in @s and, if @fix is not NULL,
 * rewrites each one as "\\ufffd" at the same offset in @fix (a copy of
 * @s, or @s itself): same length, so cut offsets stay valid. */
static gboolean
lone_surrogates (const char *s,
                 gsize       len,
                 char       *fix)
{
  gboolean found = FALSE;
  const char *p = s;
  const char *end = s + len;

  while ((p = memchr (p, '\\', end - p)) != NULL)
    {
      guint v = 0;

      if (end - p < 6 || p[1] != 'u')
        {
          p += 2;   /* another escape, or an escaped backslash */
          if (p >= end)
            break;
          continue;
        }

      for (int k = 2; k < 6; k++)
        v = (v << 4) | (guint) (g_ascii_isxdigit (p[k]) ? g_ascii_xdigit_value (p[k]) : 0);

      if (v >= 0xD800 && v <= 0xDBFF && end - p >= 12 && p[6] == '\\' && p[7] == 'u' &&
          g_ascii_strncasecmp (p + 8, "dc", 2) >= 0 && g_ascii_strncasecmp (p + 8, "df", 2) <= 0 &&
          g_ascii_isxdigit (p[10]) && g_ascii_isxdigit (p[11]))
        {
          p += 12;   /* a proper pair */
          continue;
        }

      if (v >= 0xD800 && v <= 0xDFFF)
        {
          found = TRUE;
          if (fix != NULL)
            memcpy (fix + (p - s) + 2, "fffd", 4);
        }
      p += 6;
    }

  return found;
}

/* The end of the JSON string whose first character (after the opening
 * quote) is @s: its closing quote, the first one after an even number of
 * backslashes, or NULL. Each run of backslashes is counted once, by the
 * quote that follows it, so a whole text is crossed in linear time. */
static const char *
string_end (const char *s,
            const char *end)
{
  const char *close = s;

  for (;;)
    {
      const char *b;

      close = memchr (close, '"', end - close);
      if (close == NULL)
        return NULL;
      for (b = close; b > s && b[-1] == '\\'; b--)
        ;
      if (((close - b) & 1) == 0)
        return close;
      close++;
    }
}

/* @text (compact JSON as json_to_string() writes it) with the long string
 * values of image keys replaced by markers, in one pass over the text.
 * Replacing each value by searching the whole text for it took time in
 * the square of the event's size when an event held many of them. */
static char *
replace_image_values (const char *text,
                      gsize       len)
{
  const char *end = text + len;
  const char *p = text;
  const char *copied = text;
  GString *out = g_string_sized_new (MIN (len, 4096) + 64);

  while (p < end && (p = memchr (p, '"', end - p)) != NULL)
    {
      const char *name = p + 1;
      const char *close = string_end (name, end);
      const char *q;
      const char *value_end;

      if (close == NULL)
        break;
      p = close + 1;

      /* Only a key is followed by a colon. */
      q = p;
      while (q < end && g_ascii_isspace (*q))
        q++;
      if (q >= end || *q != ':' || !key_span_is_image_key (name, close - name))
        continue;
      q++;
      while (q < end && g_ascii_isspace (*q))
        q++;
      if (q >= end || *q != '"')
        continue;
      q++;

      value_end = string_end (q, end);
      if (value_end == NULL)
        break;
      p = value_end + 1;
      if ((gsize) (value_end - q) < MIN_CUT_LEN)
        continue;

      g_string_append_len (out, copied, q - copied);
      g_string_append_printf (out, MARKER_PREFIX "%" G_GSIZE_FORMAT " chars]",
                              (gsize) (value_end - q));
      copied = value_end;
    }

  g_string_append_len (out, copied, end - copied);

  return g_string_free (out, FALSE);
}

static char *
elide_slow (JsonNode *root)
{
  /* The slow path (values with escapes) re-serializes the tree: put
   * markers like the fast path's in place of image payloads, then shorten
   * very long strings so the log never holds megabytes per event. */
  g_autofree char *serialized = json_to_string (root, FALSE);
  g_autofree char *text = replace_image_values (serialized, strlen (serialized));

  g_clear_pointer (&serialized, g_free);

  /* Malformed \u escapes come back as invalid UTF-8 (see get_string()). */
  if (!g_utf8_validate (text, -1, NULL))
    {
      char *valid = g_utf8_make_valid (text, -1);
      g_free (text);
      text = valid;
    }

  if (strlen (text) <= 4096)
    return g_steal_pointer (&text);

  return g_strdup_printf ("%.*s… [%" G_GSIZE_FORMAT " bytes]",
                          (int) _rf_event_utf8_prefix_len (text, 4000), text, strlen (text));
}

/* Bytes of @text outside strings of MIN_CUT_LEN bytes or more: what a
 * parser would turn into tree nodes. Linear. */
static gsize
structure_size (const char *text,
                gsize       len)
{
  const char *end = text + len;
  const char *p = text;
  gsize long_strings = 0;

  while (p < end && (p = memchr (p, '"', end - p)) != NULL)
    {
      const char *close = string_end (p + 1, end);

      if (close == NULL)
        break;
      if ((gsize) (close - p - 1) >= MIN_CUT_LEN)
        long_strings += close - p - 1;
      p = close + 1;
    }

  return len - long_strings;
}

/* @text cut to about 4 KiB for the log, with its size. */
static char *
shorten_for_log (char *text,
                 gsize len)
{
  char *shortened;

  if (len <= 4096)
    return text;

  shortened = g_strdup_printf ("%.*s… [%" G_GSIZE_FORMAT " bytes]",
                               (int) _rf_event_utf8_prefix_len (text, 4000), text, len);
  g_free (text);
  return shortened;
}

gboolean
rf_json_safe_to_parse (const char *text,
                       gssize      len,
                       guint       max_depth)
{
  return rf_json_check_shape (text, len, max_depth) == RF_JSON_SHAPE_OK;
}

RfJsonShape
rf_json_check_shape (const char *text,
                     gssize      len,
                     guint       max_depth)
{
  gsize n = len < 0 ? strlen (text) : (gsize) len;
  gboolean in_string = FALSE;
  gboolean in_literal = FALSE;  /* a top-level number, true, false, null */
  gboolean closed = FALSE;      /* the top-level value has ended */
  guint depth = 0;

  for (gsize i = 0; i < n; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            {
              in_string = FALSE;
              if (depth == 0)
                closed = TRUE;
            }
        }
      else if (g_ascii_isspace (c))
        {
          if (in_literal)
            {
              in_literal = FALSE;
              closed = TRUE;
            }
        }
      else if (closed)
        return RF_JSON_SHAPE_SEVERAL_VALUES;
      else if (c == '"')
        {
          if (in_literal)
            return RF_JSON_SHAPE_SEVERAL_VALUES;
          in_string = TRUE;
        }
      else if (c == '[' || c == '{')
        {
          if (in_literal)
            return RF_JSON_SHAPE_SEVERAL_VALUES;
          if (++depth > max_depth)
            return RF_JSON_SHAPE_TOO_DEEP;
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0 && --depth == 0)
            closed = TRUE;
        }
      else if (depth == 0)
        {
          /* Not the start of any JSON value: the parser fails on its first
           * character and says why better than "two values" would. */
          if (!in_literal && strchr ("-0123456789tfn", c) == NULL)
            return RF_JSON_SHAPE_OK;
          in_literal = TRUE;
        }
    }

  return RF_JSON_SHAPE_OK;
}

RfEvent *
rf_event_new_from_sse (const char *sse_event,
                       GBytes     *data,
                       const char *sse_id,
                       gint64      t_ms)
{
  g_autoptr(RfEvent) self = g_object_new (RF_TYPE_EVENT, NULL);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (Cut));
  g_autoptr(GError) error = NULL;
  g_autofree char *reduced = NULL;
  g_autofree char *fixed = NULL;
  gsize reduced_len = 0;
  Payload payload = { data, NULL };
  const char *text;
  gsize len;
  JsonNode *root;

  g_return_val_if_fail (data != NULL, NULL);

  text = g_bytes_get_data (data, &len);
  if (text == NULL)
    text = "";

  /* The event: and id: fields may be as long as the event limit: the
   * event keeps a bounded copy (the stream, --dump=sse, has them whole). */
  self->sse_event = rf_text_shorten (sse_event ? sse_event : "message", TEXT_KEEP);
  self->sse_id = rf_text_shorten (sse_id ? sse_id : "", TEXT_KEEP);
  self->t_ms = t_ms;
  self->data_size = len;

  if (is_done (text, len))
    {
      self->kind = RF_EVENT_DONE;
      self->type_name = g_strdup ("[DONE]");
      self->elided_json = g_strdup ("[DONE]");
      return g_steal_pointer (&self);
    }

  /* A tree costs about 100 bytes a value: a few megabytes of numbers or
   * short strings would take gigabytes. Long strings are cut out below. */
  if (len > MAX_STRUCTURE && structure_size (text, len) > MAX_STRUCTURE)
    {
      g_autofree char *shown = g_utf8_make_valid (text, 200);

      self->kind = RF_EVENT_INVALID;
      self->elided_json = g_strdup_printf ("%s… [%" G_GSIZE_FORMAT " bytes]", shown, len);
      add_problem (self, "the event holds %" G_GSIZE_FORMAT " KiB of JSON structure outside "
                   "its long strings, over the limit of %u KiB; it was not read",
                   structure_size (text, len) / 1024, MAX_STRUCTURE / 1024);
      return g_steal_pointer (&self);
    }

  parser = json_parser_new_immutable ();

  if (find_cuts (text, len, cuts) && cuts->len > 0)
    {
      g_array_sort (cuts, cut_compare);
      reduced = splice_markers (text, len, cuts, &reduced_len);
      lone_surrogates (reduced, reduced_len, reduced);
      /* Only the small remainder is checked here; invalid UTF-8 or a NUL
       * (which would end the text early) takes the slow path, which
       * reports it. */
      if (g_utf8_validate_len (reduced, reduced_len, NULL) &&
          strlen (reduced) == reduced_len &&
          rf_json_safe_to_parse (reduced, reduced_len, RF_JSON_MAX_DEPTH) &&
          json_parser_load_from_data (parser, reduced, reduced_len, NULL) &&
          markers_are_own (json_parser_get_root (parser), cuts))
        payload.cuts = cuts;
      else
        g_clear_pointer (&reduced, g_free);
    }

  if (payload.cuts == NULL && len > MAX_SLOW_PATH)
    {
      g_autofree char *shown = g_utf8_make_valid (text, 200);

      self->kind = RF_EVENT_INVALID;
      self->elided_json = g_strdup_printf ("%s… [%" G_GSIZE_FORMAT " bytes]", shown, len);
      add_problem (self, "the event (%" G_GSIZE_FORMAT " MiB) has an escaped image or text "
                   "that is not valid UTF-8, and is too large to read exactly (limit %u MiB)",
                   len / (1024 * 1024), MAX_SLOW_PATH / (1024 * 1024));
      return g_steal_pointer (&self);
    }

  if (payload.cuts == NULL)
    {
      /* Rare: only then is the text copied. */
      if (lone_surrogates (text, len, NULL))
        {
          fixed = g_memdup2 (text, len);
          lone_surrogates (text, len, fixed);
          text = fixed;
        }

      switch (rf_json_check_shape (text, len, RF_JSON_MAX_DEPTH))
        {
        case RF_JSON_SHAPE_TOO_DEEP:
          /* TRANSLATORS: why an event's JSON is not read; %u is a number of
           * levels of arrays and objects inside each other */
          g_set_error (&error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                       _("nested deeper than %u levels"), RF_JSON_MAX_DEPTH);
          break;
        case RF_JSON_SHAPE_SEVERAL_VALUES:
          /* TRANSLATORS: why an event's JSON is not read: its data holds
           * something after the first value */
          g_set_error_literal (&error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                               _("more than one JSON value"));
          break;
        case RF_JSON_SHAPE_OK:
        default:
          break;
        }

      if (error != NULL || !g_utf8_validate_len (text, len, NULL) ||
          !json_parser_load_from_data (parser, text, len, &error))
        {
          g_autofree char *shown = g_utf8_make_valid (text, MIN (len, 200));

          self->kind = RF_EVENT_INVALID;
          self->elided_json = len > 200 ? g_strdup_printf ("%s… [%" G_GSIZE_FORMAT " bytes]", shown, len)
                                        : g_steal_pointer (&shown);
          /* U+0000 is data in an event stream, but never raw in JSON. */
          if (error == NULL && memchr (text, 0, len) != NULL)
            add_problem (self, _("the data is not valid JSON: it holds U+0000"));
          else
            add_problem (self, _("the data is not valid JSON: %s"),
                         error ? error->message : _("invalid UTF-8"));
          return g_steal_pointer (&self);
        }
    }

  root = json_parser_get_root (parser);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      self->kind = RF_EVENT_INVALID;
      self->elided_json = root ? elide_slow (root) : g_strdup ("");
      add_problem (self, _("the data is JSON but not an object"));
      return g_steal_pointer (&self);
    }

  self->elided_json = reduced != NULL ? shorten_for_log (g_steal_pointer (&reduced), reduced_len)
                                      : elide_slow (root);
  _rf_event_read_object (self, &payload, json_node_get_object (root));

  return g_steal_pointer (&self);
}
