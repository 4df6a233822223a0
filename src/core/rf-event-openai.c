/*
 * rf-event-openai.c
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

#include "rf-event-private.h"

/* OpenAI's typed events ("type": "response.…", "image_generation.…"),
 * and the dispatch to the readers of the formats without a "type"
 * (rf-event-formats.c). The payload's image values were cut out of the
 * text before parsing (rf-event-parse.c). */

typedef RfEventPayload Payload;

#define add_problem _rf_event_add_problem

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
          g_autofree char *written = _rf_event_payload_positive_literal (payload, name);

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

/* The image fields OpenAI echoes on an image item and on the Images
 * API's and partial image events. Strings only, as sent. */
static void
read_image_params (RfEvent    *self,
                   JsonObject *obj)
{
  for (guint i = 0; i < RF_IMAGE_PARAM_ASPECT_RATIO; i++)
    {
      const char *value = get_string (obj, rf_image_param_to_string (i));

      if (value != NULL)
        {
          g_free (self->image_params[i]);
          self->image_params[i] = g_strdup (value);
        }
    }
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
  read_image_params (self, item);

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

void
_rf_event_read_object (RfEvent        *self,
                       RfEventPayload *payload,
                       JsonObject     *obj)
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
                                                                 /* TRANSLATORS: why an event was
                                                                  * skipped; “type” is a JSON field
                                                                  * name: keep it. An event is one
                                                                  * server-sent event of the stream */
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

        read_image_params (self, obj);
        if (b64 == NULL)
          /* TRANSLATORS: why an event was skipped; partial_image_b64 is a
           * JSON field name: keep it. A partial image is a blurry preview
           * the server streams before the final image */
          add_problem (self, _("the partial image has no “partial_image_b64” string"));
        else
          add_image (self, image_from_value (payload, b64), self->item_id, self->output_index);
        if (self->partial_image_index < 0 && !json_object_has_member (obj, "partial_image_index"))
          /* TRANSLATORS: why an event was skipped; partial_image_index is a
           * JSON field name: keep it. A partial image is a blurry preview
           * the server streams before the final image */
          add_problem (self, _("the partial image has no “partial_image_index”"));
      }
      break;

    case RF_EVENT_IMAGES_PARTIAL:
    case RF_EVENT_IMAGES_COMPLETED:
      {
        const char *b64 = get_string (obj, "b64_json");

        read_image_params (self, obj);
        /* OpenRouter's /images names the media type (vector models send
         * image/svg+xml). */
        if (b64 == NULL)
          /* TRANSLATORS: why an event was skipped; b64_json is a JSON field
           * name: keep it. An event is one server-sent event of the stream */
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
          /* TRANSLATORS: why an event was skipped; “output item” is the
           * API’s name for one result of a response, “item” a JSON field
           * name: keep it. An event is one server-sent event of the stream */
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
