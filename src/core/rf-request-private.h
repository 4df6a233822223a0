/*
 * rf-request-private.h
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

#include "rf-request.h"

G_BEGIN_DECLS

/* What rf-request.c (the fields, options and checks) shares with
 * rf-request-wire.c (the body, URIs and headers sent). */

struct _RfRequest
{
  GObject       parent_instance;

  RfRequestApi  api;
  RfProvider    provider;
  char         *base_url;
  char         *prompt;
  char         *model;
  char         *image_model;
  char         *size;
  char         *quality;
  char         *output_format;
  char         *background;
  char         *moderation;
  char         *aspect_ratio;
  int           partial_images;
  int           output_compression;
  guint         background_mode : 1;
};

/* Returns: (transfer full): the request's body as a JSON tree; the
 * request is not validated. */
JsonNode   *_rf_request_build_body_node (RfRequest *self);
/* The model a chat completions or Gemini request calls: the image model
 * set, else the text model set, else the provider's default.
 * Returns: (transfer none) */
const char *_rf_request_get_call_model  (RfRequest *self);
/* TRUE for the wire formats without partial_images and the OpenAI image
 * fields: chat completions and Gemini. */
gboolean    _rf_request_is_chat_like    (RfRequest *self);

G_END_DECLS
