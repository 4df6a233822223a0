/*
 * rf-event-formats.c
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

#define G_LOG_DOMAIN "rf-event-formats"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "rf-event-private.h"

/* The image streams that are not OpenAI's typed events: chat completion
 * chunks (OpenRouter's image modalities put data URLs in
 * choices[].delta.images[]) and Gemini's streamGenerateContent
 * responses (candidates[].content.parts[].inlineData). Neither has a
 * "type": each is recognised by its members. The payloads were cut out of
 * the text before json-glib parsed it (rf-event-parse.c), so the trees here are
 * small; their values are markers that _rf_event_payload_image() turns
 * back into slices of the data. */

/* json-glib writes every double with 17 significant digits, so 0.0387
 * comes out as 0.038699999999999998. Each number with a fraction or an
 * exponent is written again in the fewest digits that read back as the
 * same double: usage "as sent", decode times as measured. */
char *
rf_json_shorten_numbers (char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean in_string = FALSE;
  const char *p = text;

  while (*p != 0)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != 0)
            {
              g_string_append_len (out, p, 2);
              p += 2;
              continue;
            }
          if (*p == '"')
            in_string = FALSE;
          g_string_append_c (out, *p++);
        }
      else if (*p == '"')
        {
          in_string = TRUE;
          g_string_append_c (out, *p++);
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          const char *start = p;
          gboolean fraction = FALSE;

          while (*p == '-' || *p == '+' || *p == '.' || *p == 'e' || *p == 'E' || g_ascii_isdigit (*p))
            {
              if (*p == '.' || *p == 'e' || *p == 'E')
                fraction = TRUE;
              p++;
            }

          if (fraction)
            {
              double d = g_ascii_strtod (start, NULL);
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              static const char * const formats[] = {
                "%.1g", "%.2g", "%.3g", "%.4g", "%.5g", "%.6g", "%.7g", "%.8g", "%.9g",
                "%.10g", "%.11g", "%.12g", "%.13g", "%.14g", "%.15g", "%.16g", "%.17g",
              };

              for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
                {
                  g_ascii_formatd (buf, sizeof buf, formats[k], d);
                  if (g_ascii_strtod (buf, NULL) == d)
                    break;
                }
              /* "1e+20" and "5" are valid JSON numbers too, but keep a
               * double recognisable as one. */
              if (strpbrk (buf, ".eEn") == NULL)
                g_strlcat (buf, ".0", sizeof buf);
              g_string_append (out, buf);
            }
          else
            g_string_append_len (out, start, p - start);
        }
      else
        g_string_append_c (out, *p++);
    }

  g_free (text);
  return g_string_free (out, FALSE);
}

static JsonNode *
member (JsonObject *obj,
        const char *name)
{
  return obj != NULL ? json_object_get_member (obj, name) : NULL;
}

static const char *
string_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = member (obj, name);

  /* json-glib 1.6 can hand back invalid UTF-8 for malformed escapes: such
   * a string is treated as absent. */
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      !g_utf8_validate (json_node_get_string (node), -1, NULL))
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = member (obj, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *obj,
              const char *name)
{
  JsonNode *node = member (obj, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* A non-negative integer member (integral floats accepted), else
 * @fallback: positions in arrays stand in for missing indexes. */
static gint64
index_member (JsonObject *obj,
              const char *name,
              gint64      fallback)
{
  JsonNode *node = member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  if (json_node_get_value_type (node) == G_TYPE_INT64 && json_node_get_int (node) >= 0)
    return json_node_get_int (node);

  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d >= 0 && d < 1e9 && d == (double) (gint64) d)
        return (gint64) d;
    }

  return fallback;
}

static gboolean
bool_member (JsonObject *obj,
             const char *name)
{
  JsonNode *node = member (obj, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static void
append_text (RfEventMeta *meta,
             const char  *text)
{
  char *joined;

  if (text == NULL || *text == 0)
    return;
  /* An event of many text parts keeps the first 16 KB of them: joining
   * them all would cost the square of their number, and an event's kept
   * size must stay bounded. */
  if (meta->text != NULL && strlen (meta->text) >= 16000)
    return;

  joined = g_strconcat (meta->text ? meta->text : "", text, NULL);
  g_free (meta->text);
  meta->text = joined;
}

static void
set_string (char       **field,
            const char  *value)
{
  if (value == NULL)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static char *
usage_to_json (JsonObject *usage)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, usage);
  return rf_json_shorten_numbers (json_to_string (node, FALSE));
}

void
_rf_event_read_meta (RfEvent    *self,
                     JsonObject *obj)
{
  RfEventMeta *meta = _rf_event_get_meta (self);
  JsonObject *response = object_member (obj, "response");
  JsonObject *usage;

  /* usage: chat chunks, Images API and OpenRouter /images completions;
   * response.usage: the Responses API; usageMetadata: Gemini. */
  usage = object_member (obj, "usage");
  if (usage == NULL)
    usage = object_member (response, "usage");
  if (usage == NULL)
    usage = object_member (obj, "usageMetadata");
  if (usage != NULL)
    meta->usage_json = usage_to_json (usage);

  set_string (&meta->model, string_member (obj, "model"));
  set_string (&meta->model, string_member (obj, "modelVersion"));
  set_string (&meta->model, string_member (response, "model"));
  set_string (&meta->provider, string_member (obj, "provider"));
}

/* An image given as a URL: kept as a frame only when it is a base64 data
 * URL; anything else is said, never fetched. */
static void
add_url_image (RfEvent        *self,
               RfEventPayload *payload,
               const char     *url,
               const char     *lane_key,
               gint64          output_index)
{
  g_autofree char *mime = NULL;
  GBytes *b64;

  if (url == NULL)
    {
      _rf_event_add_problem (self, _("%s has no image URL"), lane_key);
      return;
    }

  if (!g_str_has_prefix (url, "data:") && !g_str_has_prefix (url, "[base64: "))
    {
      _rf_event_add_problem (self, _("%s is given as a URL, which is not fetched"), lane_key);
      return;
    }

  b64 = _rf_event_payload_image (payload, url, &mime);
  if (b64 == NULL)
    {
      _rf_event_add_problem (self, _("%s is a data URL that is not base64"), lane_key);
      return;
    }

  _rf_event_add_image_full (self, b64, lane_key, mime, FALSE, output_index);
}

/* {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{
 *   "content":"…","images":[{"type":"image_url","image_url":{"url":
 *   "data:image/png;base64,…"},"index":0}]},"finish_reason":null}],…} */
gboolean
_rf_event_read_chat (RfEvent        *self,
                     RfEventPayload *payload,
                     JsonObject     *obj)
{
  RfEventMeta *meta = _rf_event_get_meta (self);
  const char *object = string_member (obj, "object");
  JsonArray *choices = array_member (obj, "choices");
  JsonObject *error = object_member (obj, "error");

  if (g_strcmp0 (object, "chat.completion.chunk") != 0 &&
      g_strcmp0 (object, "chat.completion") != 0 &&
      (choices == NULL || object != NULL))
    return FALSE;

  _rf_event_set_kind (self, RF_EVENT_CHAT_CHUNK, object ? object : "chat.completion.chunk");
  meta->format = RF_STREAM_FORMAT_CHAT;

  for (guint i = 0; choices != NULL && i < json_array_get_length (choices); i++)
    {
      JsonNode *node = json_array_get_element (choices, i);
      JsonObject *choice;
      JsonObject *delta;
      JsonArray *images;
      gint64 choice_index;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      choice = json_node_get_object (node);
      choice_index = index_member (choice, "index", i);

      /* A non-streamed chat.completion has a message instead. */
      delta = object_member (choice, "delta");
      if (delta == NULL)
        delta = object_member (choice, "message");

      append_text (meta, string_member (delta, "content"));
      set_string (&meta->finish_reason, string_member (choice, "finish_reason"));

      images = array_member (delta, "images");
      for (guint j = 0; images != NULL && j < json_array_get_length (images); j++)
        {
          JsonNode *image_node = json_array_get_element (images, j);
          JsonObject *image;
          JsonNode *url_node;
          const char *url = NULL;
          g_autofree char *key = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (image_node))
            continue;
          image = json_node_get_object (image_node);
          /* TRANSLATORS: the key of a chat completion's image lane, shown
           * in event summaries and messages: the choice's index, the image's */
          key = g_strdup_printf (_("choice %lld image %lld"),
                                 (long long) choice_index, (long long) index_member (image, "index", j));

          /* image_url is an object with a url; some relays flatten it. */
          url_node = member (image, "image_url");
          if (url_node != NULL && JSON_NODE_HOLDS_OBJECT (url_node))
            url = string_member (json_node_get_object (url_node), "url");
          else
            url = string_member (image, "image_url");

          add_url_image (self, payload, url, key, choice_index);
        }
    }

  /* OpenRouter's mid-stream error: the chunk carries "error" and a
   * finish_reason of "error". */
  if (error != NULL)
    {
      JsonNode *code = member (error, "code");
      g_autofree char *code_text = NULL;

      if (code != NULL && JSON_NODE_HOLDS_VALUE (code))
        code_text = json_node_get_value_type (code) == G_TYPE_STRING
                      ? g_strdup (json_node_get_string (code))
                      : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (code));
      _rf_event_set_error (self, code_text, string_member (error, "message"));
    }

  return TRUE;
}

/* {"candidates":[{"content":{"parts":[{"text":"…"},{"inlineData":{
 *   "mimeType":"image/png","data":"…"}}],"role":"model"},
 *   "finishReason":"STOP","index":0}],"usageMetadata":{…},
 *   "modelVersion":"…","responseId":"…"} */
gboolean
_rf_event_read_gemini (RfEvent        *self,
                       RfEventPayload *payload,
                       JsonObject     *obj)
{
  RfEventMeta *meta = _rf_event_get_meta (self);
  JsonArray *candidates = array_member (obj, "candidates");
  JsonObject *feedback = object_member (obj, "promptFeedback");
  JsonObject *error = object_member (obj, "error");

  if (candidates == NULL && feedback == NULL && object_member (obj, "usageMetadata") == NULL)
    return FALSE;

  _rf_event_set_kind (self, RF_EVENT_GEMINI_CHUNK, "GenerateContentResponse");
  meta->format = RF_STREAM_FORMAT_GEMINI;

  for (guint i = 0; candidates != NULL && i < json_array_get_length (candidates); i++)
    {
      JsonNode *node = json_array_get_element (candidates, i);
      JsonObject *candidate;
      JsonArray *parts;
      gint64 index;
      g_autofree char *key = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      candidate = json_node_get_object (node);
      index = index_member (candidate, "index", i);
      /* TRANSLATORS: the key of a Gemini candidate's image lane, shown in
       * event summaries and messages */
      key = g_strdup_printf (_("candidate %lld"), (long long) index);

      set_string (&meta->finish_reason, string_member (candidate, "finishReason"));

      parts = array_member (object_member (candidate, "content"), "parts");
      for (guint j = 0; parts != NULL && j < json_array_get_length (parts); j++)
        {
          JsonNode *part_node = json_array_get_element (parts, j);
          JsonObject *part;
          JsonObject *inline_data;
          const char *mime;
          const char *data;
          gboolean thought;

          if (!JSON_NODE_HOLDS_OBJECT (part_node))
            continue;
          part = json_node_get_object (part_node);
          thought = bool_member (part, "thought");

          /* Thought text is the model's reasoning: logged like the rest. */
          append_text (meta, string_member (part, "text"));

          /* The REST API writes camelCase; some SDKs and relays snake_case. */
          inline_data = object_member (part, "inlineData");
          if (inline_data == NULL)
            inline_data = object_member (part, "inline_data");
          if (inline_data == NULL)
            continue;

          mime = string_member (inline_data, "mimeType");
          if (mime == NULL)
            mime = string_member (inline_data, "mime_type");
          data = string_member (inline_data, "data");

          if (mime != NULL && !g_str_has_prefix (mime, "image/"))
            {
              _rf_event_add_problem (self, _("%s: inline data of type %s is not an image"), key, mime);
              continue;
            }
          if (data == NULL)
            {
              _rf_event_add_problem (self, _("%s: inline data without “data”"), key);
              continue;
            }

          _rf_event_add_image_full (self, _rf_event_payload_image (payload, data, NULL),
                                    key, mime, thought, index);
        }
    }

  /* A prompt refused outright: no candidates, a block reason. */
  if (feedback != NULL && string_member (feedback, "blockReason") != NULL)
    {
      /* TRANSLATORS: %s is Gemini's block reason as sent, e.g. "SAFETY" */
      g_autofree char *message = g_strdup_printf (_("the prompt was blocked (%s)"),
                                                  string_member (feedback, "blockReason"));
      _rf_event_set_error (self, string_member (feedback, "blockReason"), message);
    }

  if (error != NULL)
    _rf_event_set_error (self, string_member (error, "status"), string_member (error, "message"));

  return TRUE;
}
