/*
 * rf-event-summary.c
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

/* An event in one line of the user's language: the event log's rows and
 * the timeline's tooltips both show this text. */

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
          g_string_append_len (str, self->meta.text, _rf_event_utf8_prefix_len (self->meta.text, 160));
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
        g_autofree char *json = g_strndup (self->elided_json, _rf_event_utf8_prefix_len (self->elided_json, 160));

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
