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

#include "rf-base64.h"
#include "rf-event-private.h"
#include "rf-image.h"

/* The event model: an event's fields as read from its data, and their
 * getters. Reading the data is in rf-event-parse.c and the format readers;
 * the one-line summary in rf-event-summary.c. */

G_DEFINE_FINAL_TYPE (RfEvent, rf_event, G_TYPE_OBJECT)

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
  for (guint i = 0; i < RF_N_IMAGE_PARAMS; i++)
    g_free (self->image_params[i]);
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
rf_event_get_image_param (RfEvent      *self,
                          RfImageParam  param)
{
  g_return_val_if_fail (RF_IS_EVENT (self), NULL);
  g_return_val_if_fail (param < RF_N_IMAGE_PARAMS, NULL);

  return self->image_params[param];
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
  for (guint i = 0; i < RF_N_IMAGE_PARAMS; i++)
    size += string_cost (self->image_params[i]);
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
