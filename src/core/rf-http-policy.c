/*
 * rf-http-policy.c
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

#define G_LOG_DOMAIN "rf-http-source"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "rf-event.h"
#include "rf-http-source-private.h"

/* What RfHttpSource decides from an answer, apart from running requests
 * (rf-http-source.c): which failures are asked again and after how long,
 * what an error answer says, and where a redirect may go. Pure functions
 * of the answer; any thread. */

#define ERROR_BODY_MAX     (64 * 1024)

gboolean
_rf_http_status_is_retryable (guint status)
{
  return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

gboolean
_rf_http_error_is_retryable (const GError *error)
{
  /* A bad certificate does not get better by asking again. A response
   * that could not be read ("Header too big", a garbled status line) came
   * from a server that had the request: a POST sent again could start a
   * second paid generation. Only failures to connect or to get any answer
   * are retried. */
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
         error->domain != G_TLS_ERROR &&
         error->domain != SOUP_SESSION_ERROR &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
}

/* Retry-After: delta-seconds or an HTTP date. -1 when absent or bad. */
gint64
_rf_http_parse_retry_after (SoupMessage *msg)
{
  const char *value;
  guint64 seconds;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;

  value = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  if (value == NULL)
    return -1;

  while (g_ascii_isspace (*value))
    value++;

  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &seconds, NULL))
    return (gint64) seconds * 1000;

  if (!(date = soup_date_time_new_from_http_string (value)))
    return -1;

  now = g_date_time_new_now_utc ();
  return MAX (0, g_date_time_difference (date, now) / 1000);
}

GBytes *
_rf_http_read_error_body (GInputStream *stream,
                          GCancellable *cancellable)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  guint8 chunk[4096];

  while (buf->len < ERROR_BODY_MAX)
    {
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable, NULL);

      if (n <= 0)
        break;
      g_byte_array_append (buf, chunk, MIN ((gsize) n, ERROR_BODY_MAX - buf->len));
    }

  g_input_stream_close (stream, NULL, NULL);

  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

static char *
member_to_string (JsonObject *obj,
                  const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  /* OpenRouter puts the HTTP status in "code" as a number. */
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  return NULL;
}

/* Google's errors say why in error.details[].reason (an ErrorInfo):
 * "API_KEY_INVALID", "RATE_LIMIT_EXCEEDED"… */
static char *
google_reason (JsonObject *err)
{
  JsonNode *details = json_object_get_member (err, "details");
  JsonArray *array;

  if (details == NULL || !JSON_NODE_HOLDS_ARRAY (details))
    return NULL;

  array = json_node_get_array (details);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      char *reason;

      if (JSON_NODE_HOLDS_OBJECT (item) &&
          (reason = member_to_string (json_node_get_object (item), "reason")) != NULL)
        return reason;
    }

  return NULL;
}

/* The parsed error object of an error body: {"error":{…}} or the body's
 * own object; *@message is set when "error" is a plain string. */
static JsonObject *
error_object (JsonParser  *parser,
              GBytes      *body,
              char       **message)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonObject *obj;
  JsonNode *err;

  /* An error body is untrusted: too deep a nesting would overflow the
   * parser's stack. */
  if (len == 0 || !rf_json_safe_to_parse (data, len, RF_JSON_MAX_DEPTH) ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  obj = json_node_get_object (json_parser_get_root (parser));
  err = json_object_get_member (obj, "error");

  if (err != NULL && JSON_NODE_HOLDS_OBJECT (err))
    return json_node_get_object (err);
  if (err != NULL && JSON_NODE_HOLDS_VALUE (err) && message != NULL)
    *message = member_to_string (obj, "error");

  return obj;
}

/* "HTTP 401: Incorrect API key provided (invalid_api_key)" from an
 * {"error":{"message","type","code","param"}} body (Google's: "message",
 * "status" and details[].reason), else from the body text or the reason
 * phrase. */
static char *
describe_http_error (guint        status,
                     const char  *reason,
                     GBytes      *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *message = NULL;
  g_autofree char *code = NULL;
  g_autofree char *param = NULL;
  g_autofree char *status_text = g_strdup_printf ("%u", status);
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonObject *obj = error_object (parser, body, &message);

  if (obj != NULL)
    {
      if (message == NULL)
        message = member_to_string (obj, "message");
      code = member_to_string (obj, "code");
      /* OpenRouter and Google repeat the HTTP status as the code: it says
       * nothing new. */
      if (g_strcmp0 (code, status_text) == 0)
        g_clear_pointer (&code, g_free);
      if (code == NULL)
        code = google_reason (obj);
      if (code == NULL)
        code = member_to_string (obj, "status");
      if (code == NULL)
        code = member_to_string (obj, "type");
      param = member_to_string (obj, "param");
    }

  if (message == NULL && len > 0 && len <= 512 && g_utf8_validate (data, len, NULL))
    {
      message = g_strndup (data, len);
      g_strstrip (message);
      if (message[0] == '\0' || message[0] == '<')
        g_clear_pointer (&message, g_free);
    }

  /* The reason phrase is whatever bytes the server sent. */
  if (message == NULL)
    message = reason != NULL && reason[0] != '\0' ? g_utf8_make_valid (reason, -1) : g_strdup (_("no message"));

  if (code != NULL && param != NULL)
    return g_strdup_printf ("HTTP %u: %s (%s, %s)", status, message, code, param);
  else if (code != NULL && strstr (message, code) == NULL)
    return g_strdup_printf ("HTTP %u: %s (%s)", status, message, code);
  else
    return g_strdup_printf ("HTTP %u: %s", status, message);
}

gboolean
_rf_http_same_origin (GUri *a,
                      GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

/* The redirect policy: only to http(s), never from https down to http
 * (that would put the key and the request in clear text). */
GUri *
_rf_http_resolve_redirect (GUri        *from,
                           const char  *location,
                           guint        status,
                           GError     **error)
{
  g_autoptr(GUri) next = NULL;

  if (!(next = g_uri_parse_relative (from, location, SOUP_HTTP_URI_FLAGS, NULL)) ||
      (g_ascii_strcasecmp (g_uri_get_scheme (next), "https") != 0 &&
       g_ascii_strcasecmp (g_uri_get_scheme (next), "http") != 0) ||
      g_uri_get_host (next) == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_HTTP,
                   _("HTTP %u: the redirect target is not an http(s) URL"), status);
      return NULL;
    }

  if (g_ascii_strcasecmp (g_uri_get_scheme (from), "https") == 0 &&
      g_ascii_strcasecmp (g_uri_get_scheme (next), "https") != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_HTTP,
                   _("HTTP %u: refusing a redirect from https to http"), status);
      return NULL;
    }

  return g_steal_pointer (&next);
}

char *
rf_http_source_resolve_redirect (const char  *origin,
                                 const char  *from,
                                 const char  *location,
                                 gboolean    *keeps_key,
                                 GError     **error)
{
  g_autoptr(GUri) origin_uri = NULL;
  g_autoptr(GUri) from_uri = NULL;
  g_autoptr(GUri) next = NULL;

  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (from != NULL, NULL);
  g_return_val_if_fail (location != NULL, NULL);

  if (!(origin_uri = g_uri_parse (origin, SOUP_HTTP_URI_FLAGS, error)) ||
      !(from_uri = g_uri_parse (from, SOUP_HTTP_URI_FLAGS, error)) ||
      !(next = _rf_http_resolve_redirect (from_uri, location, 302, error)))
    return NULL;

  if (keeps_key != NULL)
    *keeps_key = _rf_http_same_origin (origin_uri, next);

  return g_uri_to_string (next);
}

gboolean
_rf_http_is_auth_error (guint   status,
                        GBytes *body)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *reason = NULL;
  JsonObject *obj;

  if (status == 401 || status == 403)
    return TRUE;
  if (status != 400 || body == NULL)
    return FALSE;

  /* Google answers a wrong key with 400 INVALID_ARGUMENT. */
  parser = json_parser_new ();
  obj = error_object (parser, body, NULL);
  reason = obj != NULL ? google_reason (obj) : NULL;

  return g_strcmp0 (reason, "API_KEY_INVALID") == 0;
}

char *
_rf_http_add_hint (const char *problem,
                   guint       status,
                   gboolean    auth,
                   RfProvider  provider)
{
  const char *service = NULL;

  switch (provider)
    {
    case RF_PROVIDER_OPENAI:
      service = "OpenAI";
      break;
    case RF_PROVIDER_OPENROUTER:
      service = "OpenRouter";
      break;
    case RF_PROVIDER_GEMINI:
      service = "Google";
      break;
    case RF_PROVIDER_CUSTOM:
    default:
      break;
    }

  if (auth && service != NULL)
    /* TRANSLATORS: %1$s is an HTTP error ("HTTP 401: …"), %2$s a company
     * (OpenAI, OpenRouter, Google), %3$s an environment variable */
    return g_strdup_printf (_("%1$s — %2$s refused the API key: check the key typed, or REFINERY_API_KEY and %3$s"),
                            problem, service, rf_request_api_key_variables (provider));
  if (auth)
    /* TRANSLATORS: %1$s is an HTTP error ("HTTP 401: …"), %2$s an
     * environment variable */
    return g_strdup_printf (_("%1$s — the server refused the API key: check the key typed, or REFINERY_API_KEY and %2$s"),
                            problem, rf_request_api_key_variables (provider));
  if (status == 429 && service != NULL)
    /* TRANSLATORS: %1$s is an HTTP error ("HTTP 429: …"), %2$s a company
     * (OpenAI, OpenRouter, Google) */
    return g_strdup_printf (_("%1$s — %2$s’s rate limit or quota was reached: wait, or check the account’s limits"),
                            problem, service);
  if (status == 429)
    /* TRANSLATORS: %s is an HTTP error ("HTTP 429: …") */
    return g_strdup_printf (_("%s — the server’s rate limit or quota was reached: wait, or check the account’s limits"),
                            problem);

  return g_strdup (problem);
}

char *
rf_http_describe_error (guint       status,
                        const char *reason,
                        GBytes     *body)
{
  g_autoptr(GBytes) empty = NULL;

  if (body == NULL)
    body = empty = g_bytes_new (NULL, 0);

  return describe_http_error (status, reason, body);
}

/* Query parameters that carry a key or a signature, by name. */
static gboolean
is_secret_param (const char *name,
                 gsize       len)
{
  static const char * const names[] = {
    "key", "api_key", "apikey", "api-key", "x-goog-api-key", "access_token", "token",
    "auth", "authorization", "password", "secret", "client_secret", "sig", "signature",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strlen (names[i]) == len && g_ascii_strncasecmp (name, names[i], len) == 0)
      return TRUE;

  return FALSE;
}

/* Replaces @uri[@start, @end) with the mark, keeping the value as a
 * secret when it is long enough not to match ordinary text. */
static void
redact_range (GString    *out,
              const char *uri,
              gsize       start,
              gsize       end,
              GPtrArray  *secrets)
{
  g_string_append (out, "[redacted]");
  if (secrets != NULL && end - start >= 8)
    g_ptr_array_add (secrets, g_strndup (uri + start, end - start));
}

char *
rf_http_dup_display_uri (const char *uri,
                         GPtrArray  *secrets)
{
  GString *out;
  const char *scheme_end;
  gsize authority, authority_end, at, i, n;

  g_return_val_if_fail (uri != NULL, NULL);

  n = strlen (uri);
  out = g_string_sized_new (n);
  scheme_end = strstr (uri, "://");
  authority = scheme_end != NULL ? (gsize) (scheme_end - uri) + 3 : 0;
  authority_end = authority + strcspn (uri + authority, "/?#");

  /* user:password@host: the password. */
  g_string_append_len (out, uri, authority);
  at = authority;
  for (i = authority; i < authority_end; i++)
    if (uri[i] == '@')
      at = i;
  if (scheme_end != NULL && at > authority)
    {
      const char *colon = memchr (uri + authority, ':', at - authority);

      if (colon != NULL)
        {
          g_string_append_len (out, uri + authority, colon + 1 - (uri + authority));
          redact_range (out, uri, colon + 1 - uri, at, secrets);
          g_string_append_len (out, uri + at, authority_end - at);
        }
      else
        g_string_append_len (out, uri + authority, authority_end - authority);
    }
  else
    g_string_append_len (out, uri + authority, authority_end - authority);

  /* The path as it is, then each query parameter. */
  i = authority_end;
  while (i < n && uri[i] != '?' && uri[i] != '#')
    g_string_append_c (out, uri[i++]);
  if (i < n && uri[i] == '?')
    {
      g_string_append_c (out, uri[i++]);
      while (i < n && uri[i] != '#')
        {
          gsize start = i, eq, end;

          end = start + strcspn (uri + start, "&;#");
          eq = start + strcspn (uri + start, "=&;#");
          if (eq < end && is_secret_param (uri + start, eq - start))
            {
              g_string_append_len (out, uri + start, eq + 1 - start);
              redact_range (out, uri, eq + 1, end, secrets);
            }
          else
            g_string_append_len (out, uri + start, end - start);
          i = end;
          if (i < n && (uri[i] == '&' || uri[i] == ';'))
            g_string_append_c (out, uri[i++]);
        }
    }
  g_string_append (out, uri + i);

  return g_string_free (out, FALSE);
}
