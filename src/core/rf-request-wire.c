/*
 * rf-request-wire.c
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

#define G_LOG_DOMAIN "rf-request"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "rf-request-private.h"

/* What an RfRequest puts on the wire: the JSON body of each API, the
 * endpoint and resume URIs, the extra headers, the redacted copy a
 * journal keeps as its sidecar, and where the API key comes from. The
 * request's fields and their checks are in rf-request.c. */

static void
add_image_fields (RfRequest   *self,
                  JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "partial_images");
  json_builder_add_int_value (builder, self->partial_images);

#define ADD_STRING(name, value) \
  G_STMT_START { \
    if ((value) != NULL) \
      { \
        json_builder_set_member_name (builder, name); \
        json_builder_add_string_value (builder, value); \
      } \
  } G_STMT_END

  ADD_STRING ("size", self->size);
  ADD_STRING ("quality", self->quality);
  ADD_STRING ("output_format", self->output_format);
  if (self->output_compression >= 0)
    {
      json_builder_set_member_name (builder, "output_compression");
      json_builder_add_int_value (builder, self->output_compression);
    }
  ADD_STRING ("background", self->background);
  ADD_STRING ("moderation", self->moderation);

#undef ADD_STRING
}

/* OpenRouter's chat completions with image output:
 * {"model","messages":[{"role":"user","content":prompt}],"stream":true,
 *  "modalities":["image","text"],"image_config":{"aspect_ratio"}}. */
static void
add_chat_body (RfRequest   *self,
               JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, _rf_request_get_call_model (self));
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, self->prompt);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "modalities");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "image");
  json_builder_add_string_value (builder, "text");
  json_builder_end_array (builder);
  if (self->aspect_ratio != NULL)
    {
      json_builder_set_member_name (builder, "image_config");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "aspect_ratio");
      json_builder_add_string_value (builder, self->aspect_ratio);
      json_builder_end_object (builder);
    }
}

/* Gemini's generateContent: the model is in the URL, not the body.
 * {"contents":[{"parts":[{"text":prompt}]}],"generationConfig":
 *  {"responseModalities":["TEXT","IMAGE"],"imageConfig":{"aspectRatio"}}} */
static void
add_gemini_body (RfRequest   *self,
                 JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "contents");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, self->prompt);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "generationConfig");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "responseModalities");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "TEXT");
  json_builder_add_string_value (builder, "IMAGE");
  json_builder_end_array (builder);
  if (self->aspect_ratio != NULL)
    {
      json_builder_set_member_name (builder, "imageConfig");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "aspectRatio");
      json_builder_add_string_value (builder, self->aspect_ratio);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

JsonNode *
_rf_request_build_body_node (RfRequest *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);

  if (self->provider == RF_PROVIDER_GEMINI)
    add_gemini_body (self, builder);
  else if (self->api == RF_REQUEST_API_CHAT)
    add_chat_body (self, builder);
  else if (self->api == RF_REQUEST_API_RESPONSES)
    {
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, rf_request_get_model (self));
      json_builder_set_member_name (builder, "input");
      json_builder_add_string_value (builder, self->prompt);
      json_builder_set_member_name (builder, "stream");
      json_builder_add_boolean_value (builder, TRUE);
      if (self->background_mode)
        {
          json_builder_set_member_name (builder, "background");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_set_member_name (builder, "store");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_set_member_name (builder, "tools");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "image_generation");
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, rf_request_get_image_model (self));
      add_image_fields (self, builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  else
    {
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, rf_request_get_image_model (self));
      json_builder_set_member_name (builder, "prompt");
      json_builder_add_string_value (builder, self->prompt);
      json_builder_set_member_name (builder, "stream");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "n");
      json_builder_add_int_value (builder, 1);
      add_image_fields (self, builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
rf_request_build_body (RfRequest  *self,
                       GError    **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (RF_IS_REQUEST (self), NULL);

  if (!rf_request_validate (self, error))
    return NULL;

  node = _rf_request_build_body_node (self);
  return node_to_string (node);
}

char *
rf_request_dup_endpoint_uri (RfRequest *self)
{
  const char *base;

  g_return_val_if_fail (RF_IS_REQUEST (self), NULL);

  if (!(base = rf_request_get_base_url (self)))
    return NULL;

  if (self->provider == RF_PROVIDER_GEMINI)
    {
      const char *model = _rf_request_get_call_model (self);
      g_autofree char *escaped = NULL;

      /* "models/gemini-…" as the API lists them, or the bare name. */
      if (g_str_has_prefix (model, "models/"))
        model += strlen ("models/");
      escaped = g_uri_escape_string (model, NULL, FALSE);
      /* The key goes in a header: a URL ends up in logs and histories. */
      return g_strconcat (base, "/v1beta/models/", escaped, ":streamGenerateContent?alt=sse", NULL);
    }

  if (self->api == RF_REQUEST_API_CHAT)
    return g_strconcat (base, "/chat/completions", NULL);

  if (self->api == RF_REQUEST_API_RESPONSES)
    return g_strconcat (base, "/responses", NULL);
  else if (self->provider == RF_PROVIDER_OPENROUTER)
    return g_strconcat (base, "/images", NULL);
  else
    return g_strconcat (base, "/images/generations", NULL);
}

char *
rf_request_dup_resume_uri (RfRequest  *self,
                           const char *response_id,
                           gint64      starting_after)
{
  g_autofree char *escaped = NULL;
  const char *base;

  g_return_val_if_fail (RF_IS_REQUEST (self), NULL);
  g_return_val_if_fail (response_id != NULL, NULL);

  if (!(base = rf_request_get_base_url (self)))
    return NULL;

  escaped = g_uri_escape_string (response_id, NULL, FALSE);

  if (starting_after < 0)
    return g_strdup_printf ("%s/responses/%s?stream=true", base, escaped);

  return g_strdup_printf ("%s/responses/%s?stream=true&starting_after=%" G_GINT64_FORMAT,
                          base, escaped, starting_after);
}

char **
rf_request_dup_extra_headers (RfRequest *self)
{
  GStrvBuilder *builder;
  char **ret;

  g_return_val_if_fail (RF_IS_REQUEST (self), NULL);

  builder = g_strv_builder_new ();

  /* OpenRouter's optional app attribution. */
  if (self->provider == RF_PROVIDER_OPENROUTER)
    {
      g_strv_builder_add (builder, "HTTP-Referer");
      g_strv_builder_add (builder, "https://refinery.github.io/");
      g_strv_builder_add (builder, "X-Title");
      g_strv_builder_add (builder, "Refinery");
    }

  ret = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return ret;
}

char *
rf_request_dup_redacted_json (RfRequest *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *uri = NULL;
  g_auto(GStrv) headers = NULL;

  g_return_val_if_fail (RF_IS_REQUEST (self), NULL);

  if (!rf_request_validate (self, NULL))
    return NULL;

  uri = rf_request_dup_endpoint_uri (self);
  headers = rf_request_dup_extra_headers (self);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "POST");
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, uri);
  json_builder_set_member_name (builder, "api");
  json_builder_add_string_value (builder, self->provider == RF_PROVIDER_GEMINI
                                            ? "streamGenerateContent"
                                            : rf_request_api_to_string (self->api));
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, rf_provider_to_string (self->provider));
  json_builder_set_member_name (builder, "partial_images");
  if (_rf_request_is_chat_like (self))
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, self->partial_images);
  json_builder_set_member_name (builder, "background_mode");
  json_builder_add_boolean_value (builder, self->background_mode);
  json_builder_set_member_name (builder, "headers");
  json_builder_begin_object (builder);
  for (guint i = 0; headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      json_builder_set_member_name (builder, headers[i]);
      json_builder_add_string_value (builder, headers[i + 1]);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "body");
  json_builder_add_value (builder, _rf_request_build_body_node (self));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return node_to_string (root);
}

char *
rf_request_lookup_api_key (RfProvider provider)
{
  const char *key = g_getenv ("REFINERY_API_KEY");
  char *ret;

  if (key == NULL || key[0] == '\0')
    {
      switch (provider)
        {
        case RF_PROVIDER_OPENAI:
          key = g_getenv ("OPENAI_API_KEY");
          break;
        case RF_PROVIDER_OPENROUTER:
          key = g_getenv ("OPENROUTER_API_KEY");
          break;
        case RF_PROVIDER_GEMINI:
          /* Google's SDKs read both; GEMINI_API_KEY wins, as there. */
          key = g_getenv ("GEMINI_API_KEY");
          if (key == NULL || key[0] == '\0')
            key = g_getenv ("GOOGLE_API_KEY");
          break;
        case RF_PROVIDER_CUSTOM:
        default:
          key = g_getenv ("OPENAI_API_KEY");
          if (key == NULL || key[0] == '\0')
            key = g_getenv ("OPENROUTER_API_KEY");
          break;
        }
    }

  if (key == NULL)
    return NULL;

  /* A stray newline from `export KEY=$(cat file)` would break the header. */
  ret = g_strstrip (g_strdup (key));
  if (ret[0] == '\0')
    g_clear_pointer (&ret, g_free);

  return ret;
}

const char *
rf_request_api_key_variables (RfProvider provider)
{
  switch (provider)
    {
    case RF_PROVIDER_OPENROUTER:
      return "OPENROUTER_API_KEY";
    case RF_PROVIDER_GEMINI:
      return "GEMINI_API_KEY";
    case RF_PROVIDER_OPENAI:
    case RF_PROVIDER_CUSTOM:
    default:
      return "OPENAI_API_KEY";
    }
}

const char *
rf_request_auth_header (RfProvider provider)
{
  return provider == RF_PROVIDER_GEMINI ? "x-goog-api-key" : "Authorization";
}

const char *
rf_request_api_to_string (RfRequestApi api)
{
  switch (api)
    {
    case RF_REQUEST_API_RESPONSES:
      return "responses";
    case RF_REQUEST_API_IMAGES:
      return "images";
    case RF_REQUEST_API_CHAT:
      return "chat";
    default:
      return "unknown";
    }
}

const char *
rf_provider_to_string (RfProvider provider)
{
  switch (provider)
    {
    case RF_PROVIDER_OPENAI:
      return "openai";
    case RF_PROVIDER_OPENROUTER:
      return "openrouter";
    case RF_PROVIDER_CUSTOM:
      return "custom";
    case RF_PROVIDER_GEMINI:
      return "gemini";
    default:
      return "unknown";
    }
}
