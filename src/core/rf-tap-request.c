/*
 * rf-tap-request.c
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

#define G_LOG_DOMAIN "rf-tap"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "rf-event.h"
#include "rf-redactor.h"
#include "rf-tap-private.h"

/* What the tap reads from a client's request before passing it on: which
 * headers are the connection's own, which carry a key and what to redact,
 * whether a stream is asked for, and the request sidecar a run's journal
 * keeps. Pure functions of the request: on the proxy's thread. */

/* Request bodies larger than this (edits with inline images) are kept in
 * the sidecar by size only: parsing them would hold up the other
 * exchanges. */
#define SIDECAR_BODY_MAX    (1024 * 1024)

gboolean
_rf_tap_is_hop_by_hop (const char *name,
                       const char *connection)
{
  static const char * const names[] = {
    "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection",
    "TE", "Trailer", "Trailers", "Transfer-Encoding", "Upgrade",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return TRUE;

  return connection != NULL && soup_header_contains (connection, name);
}

gboolean
_rf_tap_is_secret_header (const char *name)
{
  static const char * const names[] = {
    "Authorization", "Proxy-Authorization", "x-goog-api-key", "api-key", "x-api-key",
    "Cookie", "Set-Cookie",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return TRUE;

  return FALSE;
}

void
_rf_tap_add_secret (GPtrArray  *secrets,
                    const char *value)
{
  g_autofree char *copy = NULL;

  if (value == NULL)
    return;

  copy = g_strstrip (g_strdup (value));
  /* Too short a value would redact ordinary text. */
  if (strlen (copy) >= 8)
    g_ptr_array_add (secrets, g_steal_pointer (&copy));
}

/* The query's key=… (Gemini) goes, whatever else the string holds. */
char *
_rf_tap_redact_path (GPtrArray  *secrets,
                     const char *path,
                     const char *query)
{
  g_autofree char *redacted_query = NULL;
  g_autofree char *joined = NULL;

  if (query != NULL)
    {
      g_auto(GStrv) params = g_strsplit (query, "&", -1);

      for (guint i = 0; params[i] != NULL; i++)
        {
          if (g_str_has_prefix (params[i], "key=") || g_str_has_prefix (params[i], "api_key="))
            {
              char *eq = strchr (params[i], '=');
              char *clean = g_strdup_printf ("%.*s[redacted]", (int) (eq - params[i] + 1), params[i]);

              g_free (params[i]);
              params[i] = clean;
            }
        }
      redacted_query = g_strjoinv ("&", params);
    }

  joined = g_strconcat (path, redacted_query ? "?" : "", redacted_query ? redacted_query : "", NULL);
  return rf_redactor_redact_text (secrets, joined);
}

static gboolean
body_asks_for_stream (GBytes *body)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  const char *end = data + len;
  const char *p = data;

  /* A cheap scan, not a parse: the body may be MBs of inline image. */
  while (p < end && (p = memmem (p, end - p, "\"stream\"", 8)) != NULL)
    {
      p += 8;
      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p < end && *p == ':')
        {
          p++;
          while (p < end && g_ascii_isspace (*p))
            p++;
          if (end - p >= 4 && memcmp (p, "true", 4) == 0)
            return TRUE;
        }
    }

  return FALSE;
}

gboolean
_rf_tap_request_asks_for_stream (SoupServerMessage *msg,
                                 const char        *path,
                                 const char        *query,
                                 GBytes            *body)
{
  const char *accept = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Accept");

  return (accept != NULL && strstr (accept, "text/event-stream") != NULL) ||
         strstr (path, ":streamGenerateContent") != NULL ||
         (query != NULL && strstr (query, "alt=sse") != NULL) ||
         body_asks_for_stream (body);
}

static char *
model_from_path (const char *path)
{
  const char *p = strstr (path, "/models/");
  const char *end;

  if (p == NULL)
    return NULL;

  p += strlen ("/models/");
  end = p + strcspn (p, ":/?");

  return end > p ? g_strndup (p, end - p) : NULL;
}

/* The request sidecar: what the client asked, keys redacted. Returns the
 * model named by the body or the path. */
char *
_rf_tap_build_sidecar (SoupServerMessage  *msg,
                       const char         *method,
                       const char         *target,
                       const char         *path,
                       GBytes             *body,
                       GPtrArray          *secrets,
                       char              **model_out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  JsonNode *body_node = NULL;
  char *model = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, target);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "tap");
  json_builder_add_boolean_value (builder, TRUE);

  json_builder_set_member_name (builder, "headers");
  json_builder_begin_object (builder);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *clean = NULL;

      if (_rf_tap_is_hop_by_hop (name, NULL))
        continue;
      json_builder_set_member_name (builder, name);
      if (_rf_tap_is_secret_header (name))
        json_builder_add_string_value (builder, "[redacted]");
      else
        {
          clean = rf_redactor_redact_text (secrets, value);
          json_builder_add_string_value (builder, clean);
        }
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "body");
  if (len > 0 && len <= SIDECAR_BODY_MAX && g_utf8_validate (data, len, NULL))
    {
      g_autofree char *text = g_strndup (data, len);
      g_autofree char *clean = rf_redactor_redact_text (secrets, text);

      if (rf_json_safe_to_parse (clean, -1, RF_JSON_MAX_DEPTH) &&
          json_parser_load_from_data (parser, clean, -1, NULL))
        {
          body_node = json_node_copy (json_parser_get_root (parser));

          if (JSON_NODE_HOLDS_OBJECT (body_node))
            {
              JsonObject *obj = json_node_get_object (body_node);
              JsonNode *m = json_object_get_member (obj, "model");

              if (m != NULL && JSON_NODE_HOLDS_VALUE (m) &&
                  json_node_get_value_type (m) == G_TYPE_STRING)
                model = g_strdup (json_node_get_string (m));
            }
        }
      else
        {
          body_node = json_node_new (JSON_NODE_VALUE);
          json_node_set_string (body_node, clean);
        }
    }
  else
    body_node = json_node_new (JSON_NODE_NULL);
  json_builder_add_value (builder, body_node);

  if (len > SIDECAR_BODY_MAX)
    {
      json_builder_set_member_name (builder, "body_bytes");
      json_builder_add_int_value (builder, len);
    }
  json_builder_end_object (builder);

  if (model == NULL)
    model = model_from_path (path);
  *model_out = model;

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
