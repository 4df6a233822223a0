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

/* What rf-event.c shares with the readers of the other wire formats
 * (rf-event-formats.c): the payload being read, whose image values may
 * have been cut out of the text before json-glib saw it, and the fields
 * every format can fill. */

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
