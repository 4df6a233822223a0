/*
 * rf-event.c
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

#include "rf-base64.h"
#include "rf-event-private.h"
#include "rf-image.h"
#include "rf-text.h"

/* Image payloads are megabytes of base64 on one line. Rather than run a
 * JSON parser over them, their values are cut out of the text by a memchr
 * scan and replaced with short markers; json-glib then parses only the
 * small remainder. Values with escapes take the slow, exact path. */

#define MIN_CUT_LEN 128
#define MARKER_PREFIX "[base64: "

struct _RfEvent
{
  GObject     parent_instance;

  RfEventKind kind;
  char       *type_name;
  char       *sse_event;
  char       *sse_id;
  char       *elided_json;
  char       *problem;
  gsize       data_size;
  gint64      t_ms;
  guint       position;

  gint64      sequence_number;
  gint64      output_index;
  gint64      partial_image_index;
  char       *item_id;

  char       *error_code;
  char       *error_message;
  char       *error_type;
  char       *error_param;

  char       *response_id;
  char       *response_status;
  char       *item_type;
  char       *item_status;
  char       *revised_prompt;
  gint64      echoed_partial_images;

  GArray     *images;        /* RfEventImage */
  RfEventMeta meta;
  gint64      image_bytes;
  char       *image_sha256;
};

G_DEFINE_FINAL_TYPE (RfEvent, rf_event, G_TYPE_OBJECT)

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

static void
clear_image (gpointer data)
{
  RfEventImage *image = data;

  g_clear_pointer (&image->b64, g_bytes_unref);
  g_clear_pointer (&image->item_id, g_free);
  g_clear_pointer (&image->lane_key, g_free);
  g_clear_pointer (&image->mime_type, g_free);
}

static void
rf_event_finalize (GObject *object)
{
  RfEvent *self = (RfEvent *)object;

  g_free (self->type_name);
  g_free (self->sse_event);
  g_free (self->sse_id);
  g_free (self->elided_json);
  g_free (self->problem);
  g_free (self->item_id);
  g_free (self->error_code);
  g_free (self->error_message);
  g_free (self->error_type);
  g_free (self->error_param);
  g_free (self->response_id);
  g_free (self->response_status);
  g_free (self->item_type);
  g_free (self->item_status);
  g_free (self->revised_prompt);
  g_free (self->image_sha256);
  g_free (self->meta.text);
  g_free (self->meta.finish_reason);
  g_free (self->meta.model);
  g_free (self->meta.provider);
  g_free (self->meta.usage_json);
  g_clear_pointer (&self->images, g_array_unref);

  G_OBJECT_CLASS (rf_event_parent_class)->finalize (object);
}

static void
rf_event_class_init (RfEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rf_event_finalize;
}

static void
rf_event_init (RfEvent *self)
{
  self->sequence_number = -1;
  self->output_index = -1;
  self->partial_image_index = -1;
  self->echoed_partial_images = -1;
  self->image_bytes = -1;
  self->images = g_array_new (FALSE, TRUE, sizeof (RfEventImage));
  g_array_set_clear_func (self->images, clear_image);
}

#define add_problem _rf_event_add_problem

void
_rf_event_add_problem (RfEvent    *self,
                       const char *format,
                       ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);

  /* Parser messages quote the input and may cut a character in two. */
  if (!g_utf8_validate (msg, -1, NULL))
    {
      char *valid = g_utf8_make_valid (msg, -1);
      g_free (msg);
      msg = valid;
    }

  if (self->problem == NULL)
    {
      self->problem = g_steal_pointer (&msg);
    }
  else
    {
      char *joined = g_strconcat (self->problem, "; ", msg, NULL);
      g_free (self->problem);
      self->problem = joined;
    }
}

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

static GBytes *
image_from_value (Payload    *payload,
                  const char *value)
{
  return _rf_event_payload_image (payload, value, NULL);
}

static void
add_image (RfEvent    *self,
           GBytes     *b64,
           const char *item_id,
           gint64      output_index)
{
  RfEventImage image = { 0 };

  if (b64 == NULL)
    return;

  image.b64 = b64;
  image.item_id = g_strdup (item_id);
  image.output_index = output_index;
  g_array_append_val (self->images, image);
}

/* The number written for member @name in the event's text, when one is
 * written without a minus sign (at most 40 characters of it), else NULL.
 * json-glib 1.6 wraps integers past 2^63 around (2^63 reads as -2^63, 2^64
 * and beyond as -1), so a negative value read may be a huge one written.
 * Linear; only called for such values. */
static char *
positive_literal (Payload    *payload,
                  const char *name)
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

/* Reads an integer member, accepting integral floats (3.0). Mistyped,
 * negative, non-integral or too large values (past 2^53 as a float,
 * where integers are no longer exact, or past 2^63 as an integer) are
 * reported and treated as absent. */
static gint64
get_index (RfEvent    *self,
           Payload    *payload,
           JsonObject *obj,
           const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);
  GType vtype;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return -1;

  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      add_problem (self, _("“%s” is not a number"), name);
      return -1;
    }

  vtype = json_node_get_value_type (node);

  if (vtype == G_TYPE_INT64)
    {
      gint64 v = json_node_get_int (node);

      if (v < 0)
        {
          g_autofree char *written = positive_literal (payload, name);

          if (written != NULL)
            add_problem (self, _("“%s” is too large (%s)"), name, written);
          else
            add_problem (self, _("“%s” is negative (%lld)"), name, (long long) v);
          return -1;
        }
      return v;
    }

  if (vtype == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* 2^53: past it a double no longer holds every integer. */
      if (d >= 9007199254740992.0)
        {
          add_problem (self, _("“%s” is too large (%g)"), name, d);
          return -1;
        }
      if (d >= 0 && d == (double) (gint64) d)
        return (gint64) d;

      add_problem (self, _("“%s” is not a non-negative integer (%g)"), name, d);
      return -1;
    }

  add_problem (self, _("“%s” is not a number"), name);
  return -1;
}

static const char *
get_string (JsonObject *obj,
            const char *name)
{
  JsonNode *node;

  if (obj == NULL)
    return NULL;
  node = json_object_get_member (obj, name);
  /* json-glib 1.6 decodes malformed \u escapes into invalid UTF-8: such a
   * string is treated as absent rather than passed on. */
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      !g_utf8_validate (json_node_get_string (node), -1, NULL))
    return NULL;
  return json_node_get_string (node);
}

/* A scalar as text: strings as they are, numbers printed (OpenRouter's
 * integer error codes). */
static char *
dup_scalar (JsonObject *obj,
            const char *name)
{
  JsonNode *node;
  GType vtype;

  if (obj == NULL)
    return NULL;
  node = json_object_get_member (obj, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  vtype = json_node_get_value_type (node);
  if (vtype == G_TYPE_STRING)
    return g_utf8_make_valid (json_node_get_string (node), -1);
  if (vtype == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (vtype == G_TYPE_DOUBLE)
    return g_strdup_printf ("%g", json_node_get_double (node));
  if (vtype == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  return NULL;
}

static JsonObject *
get_object (JsonObject *obj,
            const char *name)
{
  JsonNode *node;

  if (obj == NULL)
    return NULL;
  node = json_object_get_member (obj, name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static JsonArray *
get_array (JsonObject *obj,
           const char *name)
{
  JsonNode *node;

  if (obj == NULL)
    return NULL;
  node = json_object_get_member (obj, name);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static void
read_error (RfEvent    *self,
            JsonObject *e)
{
  /* May run twice for one event (response.error, then a top-level error). */
  g_free (self->error_code);
  g_free (self->error_message);
  g_free (self->error_type);
  g_free (self->error_param);
  self->error_code = dup_scalar (e, "code");
  self->error_message = dup_scalar (e, "message");
  self->error_type = dup_scalar (e, "type");
  self->error_param = dup_scalar (e, "param");
}

static gboolean
is_image_item_type (const char *type)
{
  return g_strcmp0 (type, "image_generation_call") == 0 ||
         g_strcmp0 (type, "openrouter:image_generation") == 0;
}

/* An image generation item's final image: result, else OpenRouter's
 * camelCase fields. A result that is an http(s) URL is not an image. */
static GBytes *
item_image (RfEvent    *self,
            Payload    *payload,
            JsonObject *item)
{
  const char *result = get_string (item, "result");

  if (result == NULL)
    result = get_string (item, "imageB64");
  if (result == NULL)
    result = get_string (item, "imageUrl");
  if (result == NULL || *result == 0)
    return NULL;

  if (g_str_has_prefix (result, "http://") || g_str_has_prefix (result, "https://"))
    {
      add_problem (self, _("the image is given as a URL (%s), which is not fetched"), result);
      return NULL;
    }

  return image_from_value (payload, result);
}

static void
read_item (RfEvent    *self,
           Payload    *payload,
           JsonObject *item,
           gboolean    want_image)
{
  const char *revised;

  g_free (self->item_id);
  self->item_id = g_strdup (get_string (item, "id"));
  self->item_type = g_strdup (get_string (item, "type"));
  self->item_status = g_strdup (get_string (item, "status"));

  revised = get_string (item, "revised_prompt");
  if (revised == NULL)
    revised = get_string (item, "revisedPrompt");
  self->revised_prompt = g_strdup (revised);

  if (want_image && is_image_item_type (self->item_type))
    add_image (self, item_image (self, payload, item), self->item_id, self->output_index);
}

static void
read_response (RfEvent    *self,
               Payload    *payload,
               JsonObject *response)
{
  JsonArray *output;
  JsonArray *tools;
  JsonObject *error;
  JsonObject *details;

  if (response == NULL)
    return;

  self->response_id = g_strdup (get_string (response, "id"));
  self->response_status = g_strdup (get_string (response, "status"));

  error = get_object (response, "error");
  if (error != NULL)
    read_error (self, error);

  details = get_object (response, "incomplete_details");
  if (details != NULL && self->error_message == NULL)
    {
      g_free (self->error_code);
      self->error_code = dup_scalar (details, "reason");
      self->error_message = g_strdup_printf ("incomplete: %s",
                                             self->error_code ? self->error_code : "unknown reason");
    }

  tools = get_array (response, "tools");
  for (guint i = 0; tools != NULL && i < json_array_get_length (tools); i++)
    {
      JsonNode *node = json_array_get_element (tools, i);
      JsonObject *tool;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      tool = json_node_get_object (node);
      if (g_strcmp0 (get_string (tool, "type"), "image_generation") == 0 &&
          json_object_has_member (tool, "partial_images"))
        self->echoed_partial_images = get_index (self, payload, tool, "partial_images");
    }

  /* response.completed repeats each final image in output[]. */
  output = get_array (response, "output");
  for (guint i = 0; output != NULL && i < json_array_get_length (output); i++)
    {
      JsonNode *node = json_array_get_element (output, i);
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      if (is_image_item_type (get_string (item, "type")) || get_string (item, "result") != NULL)
        add_image (self, item_image (self, payload, item), get_string (item, "id"), i);
    }
}

static const struct {
  const char  *name;
  RfEventKind  kind;
} kinds[] = {
  { "keepalive", RF_EVENT_KEEPALIVE },
  { "error", RF_EVENT_ERROR },
  { "response.created", RF_EVENT_RESPONSE_CREATED },
  { "response.queued", RF_EVENT_RESPONSE_QUEUED },
  { "response.in_progress", RF_EVENT_RESPONSE_IN_PROGRESS },
  { "response.completed", RF_EVENT_RESPONSE_COMPLETED },
  { "response.failed", RF_EVENT_RESPONSE_FAILED },
  { "response.incomplete", RF_EVENT_RESPONSE_INCOMPLETE },
  { "response.output_item.added", RF_EVENT_OUTPUT_ITEM_ADDED },
  { "response.output_item.done", RF_EVENT_OUTPUT_ITEM_DONE },
  { "response.image_generation_call.in_progress", RF_EVENT_IMAGE_CALL_IN_PROGRESS },
  { "response.image_generation_call.generating", RF_EVENT_IMAGE_CALL_GENERATING },
  { "response.image_generation_call.partial_image", RF_EVENT_IMAGE_CALL_PARTIAL },
  { "response.image_generation_call.completed", RF_EVENT_IMAGE_CALL_COMPLETED },
  { "image_generation.partial_image", RF_EVENT_IMAGES_PARTIAL },
  { "image_edit.partial_image", RF_EVENT_IMAGES_PARTIAL },
  { "image_generation.completed", RF_EVENT_IMAGES_COMPLETED },
  { "image_edit.completed", RF_EVENT_IMAGES_COMPLETED },
  { "image_generation.text_chunk", RF_EVENT_IMAGES_TEXT_CHUNK },
};

static RfStreamFormat
format_of_type (const char *type)
{
  if (type == NULL)
    return RF_STREAM_FORMAT_UNKNOWN;
  if (g_str_has_prefix (type, "response."))
    return RF_STREAM_FORMAT_RESPONSES;
  if (g_str_has_prefix (type, "image_generation."))
    return RF_STREAM_FORMAT_IMAGES;
  if (g_str_has_prefix (type, "image_edit."))
    return RF_STREAM_FORMAT_IMAGE_EDITS;
  return RF_STREAM_FORMAT_UNKNOWN;
}

static void
read_object (RfEvent    *self,
             Payload    *payload,
             JsonObject *obj)
{
  JsonObject *error;

  self->type_name = g_strdup (get_string (obj, "type"));
  self->kind = RF_EVENT_OTHER;
  self->meta.format = format_of_type (self->type_name);
  _rf_event_read_meta (self, obj);

  /* The formats without a "type": chat completion chunks and Gemini
   * responses, each recognised by its own members. */
  if (self->type_name == NULL && !json_object_has_member (obj, "type") &&
      (_rf_event_read_chat (self, payload, obj) || _rf_event_read_gemini (self, payload, obj)))
    return;

  if (self->type_name == NULL && get_object (obj, "error") != NULL &&
      !json_object_has_member (obj, "type"))
    self->type_name = g_strdup ("error");
  else if (self->type_name == NULL)
    add_problem (self, "%s", json_object_has_member (obj, "type") ? _("“type” is not a string")
                                                                 : _("the event has no “type”"));

  for (guint i = 0; self->type_name != NULL && i < G_N_ELEMENTS (kinds); i++)
    {
      if (strcmp (self->type_name, kinds[i].name) == 0)
        {
          self->kind = kinds[i].kind;
          break;
        }
    }

  self->sequence_number = get_index (self, payload, obj, "sequence_number");
  self->output_index = get_index (self, payload, obj, "output_index");
  self->partial_image_index = get_index (self, payload, obj, "partial_image_index");
  self->item_id = g_strdup (get_string (obj, "item_id"));

  /* A non-null top-level error object is an error whatever the type. */
  error = get_object (obj, "error");
  if (error != NULL && self->kind != RF_EVENT_RESPONSE_FAILED)
    self->kind = RF_EVENT_ERROR;

  switch (self->kind)
    {
    case RF_EVENT_ERROR:
      read_error (self, error != NULL ? error : obj);
      break;

    case RF_EVENT_IMAGE_CALL_PARTIAL:
      {
        const char *b64 = get_string (obj, "partial_image_b64");

        if (b64 == NULL)
          add_problem (self, _("the partial image has no “partial_image_b64” string"));
        else
          add_image (self, image_from_value (payload, b64), self->item_id, self->output_index);
        if (self->partial_image_index < 0 && !json_object_has_member (obj, "partial_image_index"))
          add_problem (self, _("the partial image has no “partial_image_index”"));
      }
      break;

    case RF_EVENT_IMAGES_PARTIAL:
    case RF_EVENT_IMAGES_COMPLETED:
      {
        const char *b64 = get_string (obj, "b64_json");

        /* OpenRouter's /images names the media type (vector models send
         * image/svg+xml). */
        if (b64 == NULL)
          add_problem (self, _("the image event has no “b64_json” string"));
        else
          _rf_event_add_image_full (self, image_from_value (payload, b64), NULL,
                                    get_string (obj, "media_type"), FALSE, -1);
      }
      break;

    case RF_EVENT_OUTPUT_ITEM_ADDED:
    case RF_EVENT_OUTPUT_ITEM_DONE:
      {
        JsonObject *item = get_object (obj, "item");

        if (item == NULL)
          add_problem (self, _("the output item event has no “item” object"));
        else
          read_item (self, payload, item, self->kind == RF_EVENT_OUTPUT_ITEM_DONE);
      }
      break;

    case RF_EVENT_RESPONSE_CREATED:
    case RF_EVENT_RESPONSE_QUEUED:
    case RF_EVENT_RESPONSE_IN_PROGRESS:
    case RF_EVENT_RESPONSE_COMPLETED:
    case RF_EVENT_RESPONSE_FAILED:
    case RF_EVENT_RESPONSE_INCOMPLETE:
      read_response (self, payload, get_object (obj, "response"));
      if (self->kind == RF_EVENT_RESPONSE_FAILED && self->error_message == NULL && error != NULL)
        read_error (self, error);
      break;

    case RF_EVENT_IMAGES_TEXT_CHUNK:
      g_free (self->meta.text);
      self->meta.text = g_strdup (get_string (obj, "text"));
      break;

    case RF_EVENT_IMAGE_CALL_IN_PROGRESS:
    case RF_EVENT_IMAGE_CALL_GENERATING:
    case RF_EVENT_IMAGE_CALL_COMPLETED:
    case RF_EVENT_KEEPALIVE:
    case RF_EVENT_OTHER:
    case RF_EVENT_INVALID:
    case RF_EVENT_DONE:
    case RF_EVENT_CHAT_CHUNK:
    case RF_EVENT_GEMINI_CHUNK:
    default:
      break;
    }
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
static gsize
utf8_prefix_len (const char *s,
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
                          (int) utf8_prefix_len (text, 4000), text, strlen (text));
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
                               (int) utf8_prefix_len (text, 4000), text, len);
  g_free (text);
  return shortened;
}

gboolean
rf_json_safe_to_parse (const char *text,
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
        return FALSE;
      else if (c == '"')
        {
          if (in_literal)
            return FALSE;
          in_string = TRUE;
        }
      else if (c == '[' || c == '{')
        {
          if (in_literal || ++depth > max_depth)
            return FALSE;
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0 && --depth == 0)
            closed = TRUE;
        }
      else if (depth == 0)
        in_literal = TRUE;
    }

  return TRUE;
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

      if (!rf_json_safe_to_parse (text, len, RF_JSON_MAX_DEPTH))
        g_set_error (&error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                     "more than one JSON value, or nested deeper than %u levels",
                     RF_JSON_MAX_DEPTH);

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
  read_object (self, &payload, json_node_get_object (root));

  return g_steal_pointer (&self);
}

RfEventKind
rf_event_get_kind (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), RF_EVENT_OTHER);
  return self->kind;
}

const char *
rf_event_get_kind_nick (RfEvent *self)
{
  switch (self->kind)
    {
    case RF_EVENT_INVALID: return "invalid";
    case RF_EVENT_DONE: return "[DONE]";
    case RF_EVENT_OTHER:
    case RF_EVENT_KEEPALIVE:
    case RF_EVENT_ERROR:
    case RF_EVENT_RESPONSE_CREATED:
    case RF_EVENT_RESPONSE_QUEUED:
    case RF_EVENT_RESPONSE_IN_PROGRESS:
    case RF_EVENT_RESPONSE_COMPLETED:
    case RF_EVENT_RESPONSE_FAILED:
    case RF_EVENT_RESPONSE_INCOMPLETE:
    case RF_EVENT_OUTPUT_ITEM_ADDED:
    case RF_EVENT_OUTPUT_ITEM_DONE:
    case RF_EVENT_IMAGE_CALL_IN_PROGRESS:
    case RF_EVENT_IMAGE_CALL_GENERATING:
    case RF_EVENT_IMAGE_CALL_PARTIAL:
    case RF_EVENT_IMAGE_CALL_COMPLETED:
    case RF_EVENT_IMAGES_PARTIAL:
    case RF_EVENT_IMAGES_COMPLETED:
    case RF_EVENT_IMAGES_TEXT_CHUNK:
    case RF_EVENT_CHAT_CHUNK:
    case RF_EVENT_GEMINI_CHUNK:
    default:
      return self->type_name ? self->type_name : "unknown";
    }
}

const char *
rf_event_get_type_name (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->type_name;
}

const char *
rf_event_get_sse_event (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->sse_event;
}

const char *
rf_event_get_sse_id (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->sse_id;
}

gint64
rf_event_get_sequence_number (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), 0);

  return self->sequence_number;
}

const char *
rf_event_get_item_id (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->item_id;
}

gint64
rf_event_get_output_index (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), 0);

  return self->output_index;
}

gint64
rf_event_get_partial_image_index (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), 0);

  return self->partial_image_index;
}

gint64
rf_event_get_t_ms (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), 0);

  return self->t_ms;
}

void rf_event_set_t_ms (RfEvent *self, gint64 t_ms) { self->t_ms = t_ms; }
guint
rf_event_get_position (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), 0);

  return self->position;
}

void rf_event_set_position (RfEvent *self, guint position) { self->position = position; }
const char *
rf_event_get_elided_json (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->elided_json;
}

gsize
rf_event_get_data_size (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), 0);

  return self->data_size;
}

guint
rf_event_get_n_images (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), 0);

  return self->images->len;
}

gint64
rf_event_get_image_bytes (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), 0);

  return self->image_bytes;
}

const char *
rf_event_get_image_sha256 (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->image_sha256;
}

const char *
rf_event_get_error_code (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->error_code;
}

const char *
rf_event_get_error_message (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->error_message;
}

const char *
rf_event_get_error_type (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->error_type;
}

const char *
rf_event_get_error_param (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->error_param;
}

const char *
rf_event_get_response_id (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->response_id;
}

const char *
rf_event_get_response_status (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->response_status;
}

const char *
rf_event_get_item_type (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->item_type;
}

const char *
rf_event_get_item_status (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->item_status;
}

const char *
rf_event_get_revised_prompt (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->revised_prompt;
}

gint64
rf_event_get_echoed_partial_images (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), 0);

  return self->echoed_partial_images;
}

const char *
rf_event_get_problem (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->problem;
}


const RfEventImage *
rf_event_get_image (RfEvent *self,
                    guint    i)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);
  g_return_val_if_fail (i < self->images->len, NULL);

  return &g_array_index (self->images, RfEventImage, i);
}

static gsize
string_cost (const char *s)
{
  /* The allocator rounds up and keeps a header: about 16 bytes. */
  return s != NULL ? strlen (s) + 1 + 16 : 0;
}

gsize
rf_event_get_kept_size (RfEvent *self)
{
  gsize size = sizeof *self + 16;
  const char *strings[] = {
    self->type_name, self->sse_event, self->sse_id, self->elided_json, self->problem,
    self->item_id, self->error_code, self->error_message, self->error_type,
    self->error_param, self->response_id, self->response_status, self->item_type,
    self->item_status, self->revised_prompt, self->image_sha256, self->meta.text,
    self->meta.finish_reason, self->meta.model, self->meta.provider, self->meta.usage_json,
  };

  g_return_val_if_fail (RF_IS_EVENT (self), 0);

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    size += string_cost (strings[i]);
  if (self->images != NULL)
    size += 32 + (gsize) self->images->len * (sizeof (RfEventImage) + 64);

  return size;
}

void
rf_event_clear_images (RfEvent *self)
{
  g_return_if_fail (RF_IS_EVENT (self));

  g_array_set_size (self->images, 0);
}

void
rf_event_hash_images (RfEvent *self)
{
  const RfEventImage *image;
  g_autoptr(GBytes) decoded = NULL;
  const char *b64;
  gsize len;

  g_return_if_fail (RF_IS_EVENT (self));

  if (self->images->len == 0 || self->image_sha256 != NULL)
    return;

  image = &g_array_index (self->images, RfEventImage, 0);
  b64 = g_bytes_get_data (image->b64, &len);
  decoded = rf_base64_decode_bytes (b64, len, G_MAXSIZE, NULL);
  if (decoded == NULL)
    return;

  self->image_bytes = g_bytes_get_size (decoded);
  self->image_sha256 = rf_sha256_hex (decoded);
}

RfStreamFormat
rf_event_get_format (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), 0);

  return self->meta.format;
}

const char *
rf_event_get_text (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->meta.text;
}

const char *
rf_event_get_finish_reason (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->meta.finish_reason;
}

const char *
rf_event_get_model (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->meta.model;
}

const char *
rf_event_get_provider (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->meta.provider;
}

const char *
rf_event_get_usage_json (RfEvent *self)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  return self->meta.usage_json;
}


RfEventMeta *
_rf_event_get_meta (RfEvent *self)
{
  return &self->meta;
}

void
_rf_event_set_kind (RfEvent     *self,
                    RfEventKind  kind,
                    const char  *type_name)
{
  self->kind = kind;
  g_free (self->type_name);
  self->type_name = g_strdup (type_name);
}

void
_rf_event_set_error (RfEvent    *self,
                     const char *code,
                     const char *message)
{
  g_free (self->error_code);
  g_free (self->error_message);
  self->error_code = g_strdup (code);
  self->error_message = g_strdup (message);
}

void
_rf_event_add_image_full (RfEvent    *self,
                          GBytes     *b64,
                          const char *lane_key,
                          const char *mime_type,
                          gboolean    partial,
                          gint64      output_index)
{
  RfEventImage image = { 0 };

  if (b64 == NULL)
    return;

  image.b64 = b64;
  image.output_index = output_index;
  image.lane_key = g_strdup (lane_key);
  image.mime_type = g_strdup (mime_type);
  image.partial = partial;
  g_array_append_val (self->images, image);
}

const char *
rf_stream_format_to_string (RfStreamFormat format)
{
  switch (format)
    {
    case RF_STREAM_FORMAT_RESPONSES: return "OpenAI Responses API";
    case RF_STREAM_FORMAT_IMAGES: return "OpenAI Images API";
    case RF_STREAM_FORMAT_IMAGE_EDITS: return "OpenAI Images API edits";
    case RF_STREAM_FORMAT_CHAT: return "OpenAI chat completions";
    case RF_STREAM_FORMAT_GEMINI: return "Gemini streamGenerateContent";
    case RF_STREAM_FORMAT_UNKNOWN:
    default:
      return "unknown";
    }
}

gboolean
rf_event_is_image_event (RfEvent *self)
{
  return self->images->len > 0 ||
         self->kind == RF_EVENT_IMAGE_CALL_PARTIAL ||
         self->kind == RF_EVENT_IMAGES_PARTIAL ||
         self->kind == RF_EVENT_IMAGES_COMPLETED;
}

gboolean
rf_event_is_terminal (RfEvent *self)
{
  return self->kind == RF_EVENT_RESPONSE_COMPLETED ||
         self->kind == RF_EVENT_RESPONSE_FAILED ||
         self->kind == RF_EVENT_RESPONSE_INCOMPLETE ||
         self->kind == RF_EVENT_DONE;
}

/* Protocol values in words; a value Refinery does not know is shown as
 * it came, quoted, as data from the stream. */
static char *
dup_item_phrase (const char *type)
{
  if (type == NULL)
    return g_strdup (_("output item"));
  if (strcmp (type, "image_generation_call") == 0)
    /* TRANSLATORS: an output item of the response: the image generation tool's call */
    return g_strdup (_("image generation"));
  if (strcmp (type, "message") == 0)
    /* TRANSLATORS: an output item of the response: the model's text answer */
    return g_strdup (_("text message"));
  if (strcmp (type, "reasoning") == 0)
    return g_strdup (_("reasoning"));
  /* TRANSLATORS: an output item of a type Refinery does not know; %s is the type as received */
  return g_strdup_printf (_("output item “%s”"), type);
}

static char *
dup_status_phrase (const char *status)
{
  static const struct { const char *value; const char *phrase; } phrases[] = {
    /* TRANSLATORS: statuses the server gives a response or an output item */
    { "queued", N_("queued") },
    { "in_progress", N_("in progress") },
    { "generating", N_("generating") },
    { "completed", N_("completed") },
    { "failed", N_("failed") },
    { "incomplete", N_("incomplete") },
    { "cancelled", N_("cancelled") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    if (strcmp (status, phrases[i].value) == 0)
      return g_strdup (_(phrases[i].phrase));

  /* TRANSLATORS: a status Refinery does not know; %s is the status as received */
  return g_strdup_printf (_("status “%s”"), status);
}

/* In the user's language: raw protocol values stay in the elided JSON. */
char *
rf_event_dup_summary (RfEvent *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (RF_IS_EVENT (self), NULL);

  switch (self->kind)
    {
    case RF_EVENT_IMAGE_CALL_PARTIAL:
    case RF_EVENT_IMAGES_PARTIAL:
      /* TRANSLATORS: event summary: a partial image (one of the blurry
       * images streamed before the final one) and its index, from 0 */
      text = g_strdup_printf (_("partial image %lld"), (long long) self->partial_image_index);
      break;

    case RF_EVENT_IMAGES_COMPLETED:
      text = g_strdup (_("final image"));
      break;

    case RF_EVENT_OUTPUT_ITEM_ADDED:
    case RF_EVENT_OUTPUT_ITEM_DONE:
      {
        g_autofree char *item = dup_item_phrase (self->item_type);
        g_autofree char *status = self->item_status ? dup_status_phrase (self->item_status) : NULL;

        if (self->kind == RF_EVENT_OUTPUT_ITEM_ADDED)
          /* TRANSLATORS: event summary: "image generation added" */
          text = g_strdup_printf (_("%s added"), item);
        else
          /* TRANSLATORS: event summary: "image generation done" */
          text = g_strdup_printf (_("%s done"), item);
        if (status != NULL)
          {
            g_autofree char *with_status = g_steal_pointer (&text);

            /* TRANSLATORS: event summary: "image generation done, completed" */
            text = g_strdup_printf (_("%s, %s"), with_status, status);
          }
        if (self->images->len > 0)
          {
            g_autofree char *with_image = g_steal_pointer (&text);

            /* TRANSLATORS: event summary: the output item carries the final image */
            text = g_strdup_printf (_("%s, with the final image"), with_image);
          }
      }
      break;

    case RF_EVENT_ERROR:
    case RF_EVENT_RESPONSE_FAILED:
    case RF_EVENT_RESPONSE_INCOMPLETE:
      {
        g_autofree char *detail = g_strdup_printf ("%s%s%s",
                                                   self->error_code ? self->error_code : "",
                                                   self->error_code && self->error_message ? ": " : "",
                                                   self->error_message ? self->error_message : "");
        const char *what = self->kind == RF_EVENT_ERROR ? _("error")
                         : self->kind == RF_EVENT_RESPONSE_FAILED ? _("response failed")
                         : _("response incomplete");

        if (*detail != '\0')
          /* TRANSLATORS: event summary: "error", "response failed"… and the
           * server's code and message, as received */
          text = g_strdup_printf (_("%s: %s"), what, detail);
        else
          text = g_strdup (what);
      }
      break;

    case RF_EVENT_RESPONSE_CREATED:
    case RF_EVENT_RESPONSE_QUEUED:
    case RF_EVENT_RESPONSE_IN_PROGRESS:
    case RF_EVENT_RESPONSE_COMPLETED:
      {
        const char *what = self->kind == RF_EVENT_RESPONSE_CREATED ? _("response created")
                         : self->kind == RF_EVENT_RESPONSE_QUEUED ? _("response queued")
                         : self->kind == RF_EVENT_RESPONSE_IN_PROGRESS ? _("response in progress")
                         : _("response completed");

        if (self->response_status != NULL)
          {
            g_autofree char *status = dup_status_phrase (self->response_status);

            /* TRANSLATORS: event summary: "response created, in progress" */
            text = g_strdup_printf (_("%s, %s"), what, status);
          }
        else
          text = g_strdup (what);

        if (self->images->len > 0)
          {
            g_autofree char *before = g_steal_pointer (&text);
            g_autofree char *images = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                    "repeats %u image",
                                                                    "repeats %u images",
                                                                    self->images->len),
                                                       self->images->len);

            /* TRANSLATORS: event summary: "response completed, completed" and "repeats 1 image" */
            text = g_strdup_printf (_("%s · %s"), before, images);
          }
        if (self->response_id != NULL)
          {
            g_autofree char *before = g_steal_pointer (&text);

            /* TRANSLATORS: event summary and the response's id */
            text = g_strdup_printf (_("%s · %s"), before, self->response_id);
          }
      }
      break;

    case RF_EVENT_INVALID:
      text = g_strdup (self->problem ? self->problem : _("invalid data"));
      break;

    case RF_EVENT_CHAT_CHUNK:
    case RF_EVENT_GEMINI_CHUNK:
    case RF_EVENT_IMAGES_TEXT_CHUNK:
      {
        /* The text the model wrote, as the log's summary. */
        GString *str = g_string_new (NULL);

        if (self->meta.text != NULL)
          g_string_append_len (str, self->meta.text, utf8_prefix_len (self->meta.text, 160));
        for (guint i = 0; i < self->images->len; i++)
          {
            const RfEventImage *image = &g_array_index (self->images, RfEventImage, i);

            if (str->len > 0)
              g_string_append (str, ", ");
            if (image->lane_key != NULL)
              g_string_append_printf (str,
                                      /* TRANSLATORS: event summary: an image of a chat or
                                       * Gemini chunk and the key of its lane (the row of
                                       * frames of one image); a "thought image" is a draft
                                       * the model showed while thinking */
                                      image->partial ? _("thought image %s") : _("image %s"),
                                      image->lane_key);
            else
              g_string_append (str, image->partial ? _("thought image") : _("image"));
          }
        if (self->meta.finish_reason != NULL)
          {
            if (str->len > 0)
              g_string_append (str, ", ");
            /* TRANSLATORS: event summary: why the model stopped, as received ("stop") */
            g_string_append_printf (str, _("finish: %s"), self->meta.finish_reason);
          }
        if (self->error_message != NULL)
          g_string_append_printf (str, "%s%s", str->len > 0 ? ", " : "", self->error_message);
        if (str->len == 0 && self->meta.usage_json != NULL)
          /* TRANSLATORS: event summary: the event only counts tokens used */
          g_string_append (str, _("usage"));
        text = g_string_free (str, FALSE);
      }
      break;

    case RF_EVENT_DONE:
      text = g_strdup (_("end of stream"));
      break;

    case RF_EVENT_KEEPALIVE:
      /* TRANSLATORS: an event that only keeps the connection open */
      text = g_strdup (_("keep-alive"));
      break;

    case RF_EVENT_IMAGE_CALL_IN_PROGRESS:
      text = g_strdup (_("image generation started"));
      break;

    case RF_EVENT_IMAGE_CALL_GENERATING:
      text = g_strdup (_("generating"));
      break;

    case RF_EVENT_IMAGE_CALL_COMPLETED:
      text = g_strdup (_("image generation completed"));
      break;

    case RF_EVENT_OTHER:
    default:
      {
        g_autofree char *json = g_strndup (self->elided_json, utf8_prefix_len (self->elided_json, 160));

        /* TRANSLATORS: event summary of an event Refinery does not use:
         * %s is its data (JSON) as received, shortened */
        text = g_strdup_printf (_("not used: %s"), json);
      }
      break;
    }

  if (self->images->len > 0)
    {
      const RfEventImage *image = &g_array_index (self->images, RfEventImage, 0);
      gsize n = g_bytes_get_size (image->b64);
      g_autofree char *before = g_steal_pointer (&text);

      /* TRANSLATORS: event summary and the size of its image as base64 text */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s (%lu base64 character)",
                                           "%s (%lu base64 characters)",
                                           n),
                              before, (unsigned long) n);
    }

  return g_strstrip (g_steal_pointer (&text));
}
