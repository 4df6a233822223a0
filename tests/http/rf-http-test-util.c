/*
 * rf-http-test-util.c
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

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "rf-diagnostic.h"
#include "rf-frame.h"
#include "rf-http-test-util.h"

static GString *all_logs;
static GMutex logs_mutex;
static char *tolerated_domain;
static char *tolerated_text;

static gboolean
is_tolerated (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields)
{
  const char *domain = NULL;
  const char *message = NULL;

  if (tolerated_text == NULL || !(log_level & G_LOG_LEVEL_WARNING))
    return FALSE;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length >= 0)
        continue;
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }

  return g_strcmp0 (domain, tolerated_domain) == 0 && message != NULL &&
         strstr (message, tolerated_text) != NULL;
}

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  /* Workers log too. */
  g_mutex_lock (&logs_mutex);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length < 0)
        g_string_append (all_logs, fields[i].value);
      else
        g_string_append_len (all_logs, fields[i].value, fields[i].length);
      g_string_append_c (all_logs, '\n');
    }
  g_mutex_unlock (&logs_mutex);

  /* The default writer would abort on it, as on any warning in a test. */
  if (is_tolerated (log_level, fields, n_fields))
    return g_log_writer_standard_streams (log_level & ~G_LOG_FLAG_FATAL, fields, n_fields, user_data);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
rf_http_test_capture_logs (void)
{
  g_assert_null (all_logs);
  all_logs = g_string_new (NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);
}

void
rf_http_test_tolerate_warning (const char *domain,
                               const char *text)
{
  g_free (tolerated_domain);
  g_free (tolerated_text);
  tolerated_domain = g_strdup (domain);
  tolerated_text = g_strdup (text);
}

gboolean
rf_http_test_logs_contain (const char *needle)
{
  gboolean ret;

  g_assert_nonnull (all_logs);
  g_mutex_lock (&logs_mutex);
  ret = strstr (all_logs->str, needle) != NULL;
  g_mutex_unlock (&logs_mutex);

  return ret;
}

void
rf_http_test_assert_frames (RfSession *session,
                            GPtrArray *images,
                            guint      n)
{
  GListModel *frames = rf_session_get_frames (session);

  g_assert_cmpuint (n, <=, images->len);
  g_assert_cmpuint (g_list_model_get_n_items (frames), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
      g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256,
                                                                g_ptr_array_index (images, i));

      g_assert_cmpstr (rf_frame_get_sha256 (frame), ==, expected);
      g_assert_cmpint (rf_frame_get_decode_status (frame), ==, RF_DECODE_OK);
    }
}

guint
rf_http_test_count_diagnostics (RfSession  *session,
                                const char *code)
{
  GListModel *diagnostics = rf_session_get_diagnostics (session);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (diagnostics); i++)
    {
      g_autoptr(RfDiagnostic) d = g_list_model_get_item (diagnostics, i);

      if (*code == '\0' || g_strcmp0 (rf_diagnostic_get_code (d), code) == 0)
        n++;
    }

  return n;
}

void
rf_http_test_assert_no_secret (RfSession  *session,
                               const char *secret)
{
  GListModel *diagnostics = rf_session_get_diagnostics (session);
  const GError *error = rf_session_get_error (session);

  for (guint i = 0; i < g_list_model_get_n_items (diagnostics); i++)
    {
      g_autoptr(RfDiagnostic) d = g_list_model_get_item (diagnostics, i);

      g_assert_null (strstr (rf_diagnostic_get_message (d), secret));
    }

  if (error != NULL)
    g_assert_null (strstr (error->message, secret));
  g_assert_null (strstr (rf_session_get_failure_message (session) ?: "", secret));
  g_assert_null (strstr (rf_session_get_request_json (session) ?: "", secret));
  if (all_logs != NULL)
    g_assert_false (rf_http_test_logs_contain (secret));
}

RfMockResponse *
rf_http_test_sse_response (GBytes *stream)
{
  RfMockResponse *resp = rf_mock_response_new (200);

  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (stream, NULL), g_bytes_get_size (stream));
  return resp;
}

GBytes *
rf_http_test_client_request (const char          *uri,
                             const char          *method,
                             const char          *body,
                             const char * const  *headers,
                             guint               *status,
                             SoupMessageHeaders **response_headers)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  GBytes *ret;

  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  g_assert_nonnull (msg);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg), headers[i], headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  ret = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  /* A message headers copy is a reference: it outlives msg. */
  if (response_headers != NULL)
    *response_headers = g_boxed_copy (SOUP_TYPE_MESSAGE_HEADERS, soup_message_get_response_headers (msg));

  return ret;
}
