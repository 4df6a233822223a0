/*
 * rf-event-private.h
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

#pragma once

#include <json-glib/json-glib.h>

#include "rf-event.h"

G_BEGIN_DECLS

/* What the files of RfEvent share: rf-event.c (the object and its
 * getters), rf-event-parse.c (the data's text to a tree, with the image
 * payloads cut out of the text before json-glib sees it),
 * rf-event-openai.c (OpenAI's typed events), rf-event-formats.c (chat
 * completion chunks, Gemini) and rf-event-summary.c (one line for the
 * log). An event is built on the ingest thread and not changed once it
 * is handed on. */

typedef struct
{
  GBytes *data;
  GArray *cuts;   /* NULL on the slow path */
} RfEventPayload;

typedef struct
{
  RfStreamFormat format;
  char          *text;
  char          *finish_reason;
  char          *model;
  char          *provider;
  char          *usage_json;
} RfEventMeta;

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
  char       *image_params[RF_N_IMAGE_PARAMS];  /* as the server echoes them */
  gint64      echoed_partial_images;

  GArray     *images;        /* RfEventImage */
  RfEventMeta meta;
  gint64      image_bytes;
  char       *image_sha256;
};

/* The base64 of an image value (a cut marker or a plain string); a data
 * URL's head is skipped and its media type returned in @mime_type when
 * not NULL. NULL when the value is a data URL that is not base64. */
GBytes      *_rf_event_payload_image   (RfEventPayload *payload,
                                        const char     *value,
                                        char          **mime_type);
RfEventMeta *_rf_event_get_meta        (RfEvent        *self);
void         _rf_event_set_kind        (RfEvent        *self,
                                        RfEventKind     kind,
                                        const char     *type_name);
void         _rf_event_set_error       (RfEvent        *self,
                                        const char     *code,
                                        const char     *message);
void         _rf_event_add_image_full  (RfEvent        *self,
                                        GBytes         *b64,
                                        const char     *lane_key,
                                        const char     *mime_type,
                                        gboolean        partial,
                                        gint64          output_index);
void         _rf_event_add_problem     (RfEvent        *self,
                                        const char     *format,
                                        ...) G_GNUC_PRINTF (2, 3);

/* rf-event-parse.c: the number written for member @name in the payload's
 * text when it has no minus sign (json-glib 1.6 wraps integers past 2^63
 * around to negative ones), else NULL. */
char        *_rf_event_payload_positive_literal (RfEventPayload *payload,
                                                 const char     *name);
/* The length of the longest prefix of @s, at most @max bytes, that does
 * not end inside a UTF-8 character. */
gsize        _rf_event_utf8_prefix_len (const char     *s,
                                        gsize           max);

/* rf-event-openai.c: the parsed object @obj of an event's data, in any
 * format: OpenAI's typed events here, the others through the readers
 * below. */
void         _rf_event_read_object     (RfEvent        *self,
                                        RfEventPayload *payload,
                                        JsonObject     *obj);

/* rf-event-formats.c: chat completion chunks and Gemini responses. Each
 * returns FALSE when @obj is not of its format. */
gboolean     _rf_event_read_chat       (RfEvent        *self,
                                        RfEventPayload *payload,
                                        JsonObject     *obj);
gboolean     _rf_event_read_gemini     (RfEvent        *self,
                                        RfEventPayload *payload,
                                        JsonObject     *obj);
/* model, provider and usage, wherever the format puts them. */
void         _rf_event_read_meta       (RfEvent        *self,
                                        JsonObject     *obj);

G_END_DECLS
