/*
 * rf-request.h
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

#include <glib-object.h>

#include "rf-types.h"

G_BEGIN_DECLS

/* Threads: an RfRequest is used by one thread at a time; the functions
 * without one are pure: any thread. */

typedef enum
{
  RF_REQUEST_API_RESPONSES,  /* POST {base}/responses + image_generation tool */
  RF_REQUEST_API_IMAGES,     /* POST {base}/images/generations, stream: true */
  RF_REQUEST_API_CHAT,       /* POST {base}/chat/completions, modalities image+text */
} RfRequestApi;

typedef enum
{
  RF_PROVIDER_OPENAI,
  RF_PROVIDER_OPENROUTER,
  RF_PROVIDER_CUSTOM,        /* any base URL speaking the OpenAI API */
  RF_PROVIDER_GEMINI,        /* Google's Generative Language API: its own wire
                              * format, whatever the RfRequestApi */
} RfProvider;

#define RF_REQUEST_OPENAI_BASE_URL     "https://api.openai.com/v1"
#define RF_REQUEST_OPENROUTER_BASE_URL "https://openrouter.ai/api/v1"
#define RF_REQUEST_GEMINI_BASE_URL     "https://generativelanguage.googleapis.com"

#define RF_TYPE_REQUEST (rf_request_get_type())

G_DECLARE_FINAL_TYPE (RfRequest, rf_request, RF, REQUEST, GObject)

/* Generation parameters. Never holds the API key: the key is handed to
 * the HTTP source separately, so nothing serialised from here can leak
 * it. Unset optional fields (NULL strings, -1 numbers) are left out of
 * the body so the server applies its own defaults.
 * Returns: (transfer full) */
RfRequest    *rf_request_new                  (void);
/* Returns: (transfer full) */
RfRequest    *rf_request_copy                 (RfRequest    *self);

RfRequestApi  rf_request_get_api              (RfRequest    *self);
void          rf_request_set_api              (RfRequest    *self,
                                               RfRequestApi  api);
RfProvider    rf_request_get_provider         (RfRequest    *self);
void          rf_request_set_provider         (RfRequest    *self,
                                               RfProvider    provider);
/* The base URL in effect: the one set, else the provider's. NULL for a
 * custom provider without a base URL.
 * Returns: (transfer none) (nullable): NULL for a custom provider without one */
const char   *rf_request_get_base_url         (RfRequest    *self);
/* NULL or "" = the provider's default. */
void          rf_request_set_base_url         (RfRequest    *self,
                                               const char   *base_url);
/* Returns: (transfer none) (nullable) */
const char   *rf_request_get_prompt           (RfRequest    *self);
void          rf_request_set_prompt           (RfRequest    *self,
                                               const char   *prompt);
/* Text model of a Responses request (default gpt-5, openai/gpt-5 on
 * OpenRouter).
 * Returns: (transfer none) */
const char   *rf_request_get_model            (RfRequest    *self);
void          rf_request_set_model            (RfRequest    *self,
                                               const char   *model);
/* Image model (default gpt-image-1; openai/gpt-image-1 for OpenRouter's
 * Images API). Chat completions and Gemini call it as the request's
 * model: google/gemini-2.5-flash-image and gemini-2.5-flash-image by
 * default, or the text model when only that was set.
 * Returns: (transfer none) */
const char   *rf_request_get_image_model      (RfRequest    *self);
void          rf_request_set_image_model      (RfRequest    *self,
                                               const char   *image_model);
/* 0–3 (default 3); -1 for chat completions and Gemini, which take no
 * partial_images (the property keeps the value set). */
int           rf_request_get_partial_images   (RfRequest    *self);
void          rf_request_set_partial_images   (RfRequest    *self,
                                               int           partial_images);
/* "1024x1024", "1024x1536", "1536x1024", "auto", or a free WxH (multiples
 * of 16, sides 16–3840, at most 3840x2160 pixels, aspect within 3:1).
 * Returns: (transfer none) (nullable) */
const char   *rf_request_get_size             (RfRequest    *self);
void          rf_request_set_size             (RfRequest    *self,
                                               const char   *size);
/* low, medium, high, auto.
 * Returns: (transfer none) (nullable) */
const char   *rf_request_get_quality          (RfRequest    *self);
void          rf_request_set_quality          (RfRequest    *self,
                                               const char   *quality);
/* png, webp, jpeg.
 * Returns: (transfer none) (nullable) */
const char   *rf_request_get_output_format    (RfRequest    *self);
void          rf_request_set_output_format    (RfRequest    *self,
                                               const char   *output_format);
/* 0–100 (jpeg and webp only), -1 = unset. */
int           rf_request_get_output_compression (RfRequest  *self);
void          rf_request_set_output_compression (RfRequest  *self,
                                               int           compression);
/* transparent (png/webp only), opaque, auto.
 * Returns: (transfer none) (nullable) */
const char   *rf_request_get_background       (RfRequest    *self);
void          rf_request_set_background       (RfRequest    *self,
                                               const char   *background);
/* auto, low.
 * Returns: (transfer none) (nullable) */
const char   *rf_request_get_moderation       (RfRequest    *self);
void          rf_request_set_moderation       (RfRequest    *self,
                                               const char   *moderation);
/* Responses API on OpenAI only: "background": true, "store": true, so a
 * dropped stream can be resumed with starting_after. */
gboolean      rf_request_get_background_mode  (RfRequest    *self);
void          rf_request_set_background_mode  (RfRequest    *self,
                                               gboolean      background_mode);
/* W:H with whole numbers from 1 to 100, e.g. 16:9: chat completions'
 * image_config.aspect_ratio and Gemini's imageConfig.aspectRatio.
 * Returns: (transfer none) (nullable) */
const char   *rf_request_get_aspect_ratio     (RfRequest    *self);
void          rf_request_set_aspect_ratio     (RfRequest    *self,
                                               const char   *aspect_ratio);
/* Always 1: how several images map onto one stream is not documented. */
int           rf_request_get_n                (RfRequest    *self);

/* Sets one parameter from its command-line option name, without the
 * dashes: "prompt", "api", "provider", "base-url", "model", "image-model",
 * "partial-images", "size", "quality", "format", "compression",
 * "background", "moderation", "aspect-ratio", "background-mode" (value
 * NULL = true).
 * Checks the value; the error names the option. */
gboolean      rf_request_set_option           (RfRequest    *self,
                                               const char   *name,
                                               const char   *value,
                                               GError      **error);
/* Checks the whole request before anything is sent; the error
 * (RF_ERROR_INVALID_PARAMETER) names the offending field. */
gboolean      rf_request_validate             (RfRequest    *self,
                                               GError      **error);
/* The JSON body to POST (validates first).
 * Returns: (transfer full) (nullable): NULL with @error set */
char         *rf_request_build_body           (RfRequest    *self,
                                               GError      **error);
/* {base}/responses, {base}/images/generations, OpenRouter's {base}/images,
 * {base}/chat/completions, or Gemini's
 * {base}/v1beta/models/{model}:streamGenerateContent?alt=sse (never with
 * the key). NULL when there is no base URL.
 * Returns: (transfer full) (nullable) */
char         *rf_request_dup_endpoint_uri     (RfRequest    *self);
/* {base}/responses/{id}?stream=true&starting_after={n} (n < 0: from the
 * start).
 * Returns: (transfer full) (nullable) */
char         *rf_request_dup_resume_uri       (RfRequest    *self,
                                               const char   *response_id,
                                               gint64        starting_after);
/* What a journal's request sidecar holds (the key is never in it):
 * {"method":"POST","url":…,"api":…,"provider":…,"partial_images":N,
 *  "background_mode":b,"headers":{extra non-secret headers},"body":{…}}.
 * NULL when the body cannot be built.
 * Returns: (transfer full) (nullable): NULL when the request is not valid */
char         *rf_request_dup_redacted_json    (RfRequest    *self);
/* Extra request headers as a NULL-terminated name, value, name, value…
 * list: OpenRouter's attribution headers (HTTP-Referer, X-Title).
 * Returns: (transfer full) (array zero-terminated=1) */
char        **rf_request_dup_extra_headers    (RfRequest    *self);

/* The key from the environment: REFINERY_API_KEY, else OPENAI_API_KEY,
 * OPENROUTER_API_KEY or GEMINI_API_KEY then GOOGLE_API_KEY by provider
 * (OpenAI's or OpenRouter's for a custom provider). NULL when none is set
 * or it is empty.
 * Returns: (transfer full) (nullable) */
char         *rf_request_lookup_api_key       (RfProvider    provider);
/* The variable to name in a message about a missing or refused key:
 * "OPENAI_API_KEY", "OPENROUTER_API_KEY" or "GEMINI_API_KEY".
 * Returns: (transfer none) */
const char   *rf_request_api_key_variables    (RfProvider    provider);
/* The request header that carries the key: "x-goog-api-key" for Gemini
 * (its value is the key itself), else "Authorization" ("Bearer KEY").
 * Returns: (transfer none) */
const char   *rf_request_auth_header          (RfProvider    provider);

/* Returns: (transfer none) */
const char   *rf_request_api_to_string        (RfRequestApi  api);
/* Returns: (transfer none) */
const char   *rf_provider_to_string           (RfProvider    provider);

G_END_DECLS
