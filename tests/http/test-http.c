/*
 * test-http.c
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

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rf-diagnostic.h"
#include "rf-file-source.h"
#include "rf-frame.h"
#include "rf-http-source.h"
#include "rf-http-test-util.h"
#include "rf-journal.h"
#include "rf-recorder.h"
#include "rf-request.h"
#include "rf-session.h"
#include "rf-test-util.h"

#define KEY "sk-test-Zq8dW3vPs-never-show-me-4f2a9c"

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_finished (RfSession *session)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, wake_cb, NULL);

  while (!rf_session_get_finished (session))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
}

static RfSession *
run_source (RfSource *source)
{
  RfSession *session = rf_session_new ();

  rf_session_start (session, source);
  wait_finished (session);

  return session;
}

static RfRequest *
mock_request (RfMockServer *server)
{
  RfRequest *req = rf_request_new ();
  g_autofree char *base = rf_mock_server_dup_url (server, "/v1");

  g_assert_true (rf_request_set_option (req, "provider", "custom", NULL));
  g_assert_true (rf_request_set_option (req, "base-url", base, NULL));
  g_assert_true (rf_request_set_option (req, "prompt", "A river of owl feathers", NULL));
  g_assert_true (rf_request_set_option (req, "partial-images", "2", NULL));

  return req;
}

static RfSource *
mock_source (RfMockServer *server,
             RfRequest    *req)
{
  RfSource *source = rf_http_source_new_for_request (req, KEY);

  /* Quick retries; Retry-After tests raise the cap. */
  rf_http_source_set_retry_delays (RF_HTTP_SOURCE (source), 10, 3000);
  return source;
}

static GBytes *
stream_with_images (RfTestFlavor  flavor,
                    guint         n_partials,
                    GPtrArray   **images)
{
  return rf_test_build_stream (flavor, n_partials, RF_IMAGE_FORMAT_PNG, FALSE, images);
}

static RfMockResponse *
json_error (guint       status,
            const char *json)
{
  RfMockResponse *resp = rf_mock_response_new (status);

  rf_mock_response_set_body (resp, "application/json", json);
  return resp;
}

/* POST {base}/responses with the key, the SSE Accept header and the
 * request body; the frames stream in. */
static void
test_post_request (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_RESPONSES, 2, &images);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const RfMockRequest *r;
  JsonObject *body, *tool;

  rf_mock_server_enqueue (server, rf_http_test_sse_response (stream));
  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_null (rf_session_get_error (session));
  g_assert_false (rf_session_has_errors (session));
  rf_http_test_assert_frames (session, images, 3);

  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
  r = rf_mock_server_get_request (server, 0);
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->path, ==, "/v1/responses");
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "authorization"), ==, "Bearer " KEY);
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "accept"), ==, "text/event-stream");
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (r->headers, "content-type"),
                                   "application/json"));
  g_assert_null (g_hash_table_lookup (r->headers, "http-referer"));

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (r->body, NULL),
                                             g_bytes_get_size (r->body), NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_cmpstr (json_object_get_string_member (body, "input"), ==, "A river of owl feathers");
  tool = json_array_get_object_element (json_object_get_array_member (body, "tools"), 0);
  g_assert_cmpint (json_object_get_int_member (tool, "partial_images"), ==, 2);

  g_assert_cmpint (rf_session_get_requested_partials (session), ==, 2);
  rf_http_test_assert_no_secret (session, KEY);
}

static void
test_images_api (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_IMAGES, 1, &images);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfSession) session = NULL;

  rf_request_set_api (req, RF_REQUEST_API_IMAGES);
  source = mock_source (server, req);
  rf_mock_server_enqueue (server, rf_http_test_sse_response (stream));
  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  rf_http_test_assert_frames (session, images, 2);
  g_assert_cmpstr (rf_mock_server_get_request (server, 0)->path, ==, "/v1/images/generations");
}

static void
test_openrouter_headers (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_OPENROUTER, 1, &images);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfSession) session = NULL;
  g_autofree char *base = rf_mock_server_dup_url (server, "/api/v1");
  const RfMockRequest *r;

  rf_request_set_provider (req, RF_PROVIDER_OPENROUTER);
  rf_request_set_base_url (req, base);
  source = mock_source (server, req);
  rf_mock_server_enqueue (server, rf_http_test_sse_response (stream));
  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  rf_http_test_assert_frames (session, images, 2);

  r = rf_mock_server_get_request (server, 0);
  g_assert_cmpstr (r->path, ==, "/api/v1/responses");
  g_assert_nonnull (g_hash_table_lookup (r->headers, "http-referer"));
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "x-title"), ==, "Refinery");
}

typedef struct
{
  RfSession *session;
  gint64     first_frame_elapsed;
  gboolean   first_while_streaming;
  guint      n_frames;
} FrameWatch;

static void
frame_added_cb (RfSession  *session,
                RfFrame    *frame,
                FrameWatch *watch)
{
  if (watch->n_frames++ == 0)
    {
      watch->first_frame_elapsed = rf_session_get_elapsed_ms (session);
      watch->first_while_streaming = !rf_session_get_finished (session) &&
                                     rf_session_get_state (session) == RF_SESSION_STATE_STREAMING;
    }
}

/* Chunks that split lines, CRLFs and the base64 anywhere; the first
 * frame shows while the rest is still on its way. */
static void
test_drip_fed (void)
{
  static const char * const newlines[] = { "\n", "\r\n", "\r" };

  for (guint n = 0; n < G_N_ELEMENTS (newlines); n++)
    {
      g_autoptr(RfMockServer) server = rf_mock_server_new ();
      g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
      g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      g_autoptr(RfRequest) req = mock_request (server);
      g_autoptr(RfSource) source = mock_source (server, req);
      g_autoptr(RfSession) session = rf_session_new ();
      RfMockResponse *resp = rf_mock_response_new (200);
      FrameWatch watch = { session };
      const char *text;
      gsize first_len, len;

      for (guint i = 0; i < 3; i++)
        g_ptr_array_add (images, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 10 + i));

      rf_test_stream_set_newline (s, newlines[n]);
      rf_test_stream_created (s, "resp_1", 2);
      rf_test_stream_partial (s, 0, "ig_1", 0, g_ptr_array_index (images, 0));
      rf_test_stream_peek (s, &first_len);
      rf_test_stream_partial (s, 0, "ig_1", 1, g_ptr_array_index (images, 1));
      rf_test_stream_item_done (s, 0, "ig_1", g_ptr_array_index (images, 2), NULL);
      rf_test_stream_completed (s, NULL, "ig_1", g_ptr_array_index (images, 2));
      text = rf_test_stream_peek (s, &len);

      /* Everything through the first partial in 7-byte pieces, then a
       * pause, then the rest in odd pieces. */
      rf_mock_response_add_drip (resp, 0, text, first_len, 7);
      rf_mock_response_add_chunk (resp, 600, text + first_len, 5);
      rf_mock_response_add_drip (resp, 1, text + first_len + 5, len - first_len - 5, 997);
      rf_mock_server_enqueue (server, resp);

      g_signal_connect (session, "frame-added", G_CALLBACK (frame_added_cb), &watch);
      rf_session_start (session, source);
      wait_finished (session);

      g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
      rf_http_test_assert_frames (session, images, 3);
      g_assert_true (watch.first_while_streaming);
      g_assert_cmpint (watch.first_frame_elapsed + 400, <, rf_session_get_duration_ms (session));
      g_assert_cmpuint (rf_session_get_bytes_received (session), ==, len);
    }
}

/* GET of any SSE URL, with no key: no Authorization header. */
static void
test_get_url (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_RESPONSES, 1, &images);
  g_autofree char *url = rf_mock_server_dup_url (server, "/relay/stream?run=3");
  g_autoptr(RfSource) source = rf_http_source_new_get (url, NULL);
  g_autoptr(RfSession) session = NULL;
  g_autofree char *redacted = NULL;
  const RfMockRequest *r;

  rf_mock_server_enqueue (server, rf_http_test_sse_response (stream));
  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  rf_http_test_assert_frames (session, images, 2);

  r = rf_mock_server_get_request (server, 0);
  g_assert_cmpstr (r->method, ==, "GET");
  g_assert_cmpstr (r->path, ==, "/relay/stream");
  g_assert_cmpstr (r->query, ==, "run=3");
  g_assert_null (g_hash_table_lookup (r->headers, "authorization"));
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "accept"), ==, "text/event-stream");

  redacted = rf_http_source_dup_redacted_request_json (RF_HTTP_SOURCE (source));
  g_assert_nonnull (strstr (redacted, "\"GET\""));
}

/* A slow first byte is no failure and no reason to retry. */
static void
test_slow_first_byte (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_RESPONSES, 1, &images);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  RfMockResponse *resp = rf_mock_response_new (200);

  rf_http_source_set_idle_timeout (RF_HTTP_SOURCE (source), 5);
  rf_mock_response_add_chunk (resp, 1500, g_bytes_get_data (stream, NULL), g_bytes_get_size (stream));
  rf_mock_server_enqueue (server, resp);
  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  rf_http_test_assert_frames (session, images, 2);
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
  g_assert_cmpint (rf_session_get_duration_ms (session), >=, 1400);
}

/* 401: an auth error with the server's message, no retry. */
static void
test_http_401 (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  const GError *error;

  rf_mock_server_enqueue (server, json_error (401,
    "{\"error\":{\"message\":\"Incorrect API key provided: sk-tes*****4f2a9c.\","
    "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"));
  session = run_source (source);

  error = rf_session_get_error (session);
  g_assert_error ((GError *) error, RF_ERROR, RF_ERROR_AUTH);
  g_assert_true (g_str_has_prefix (error->message, "HTTP 401: Incorrect API key provided"));
  g_assert_nonnull (strstr (error->message, "invalid_api_key"));
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FAILED);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "http-error"), ==, 1);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "retry"), ==, 0);
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
  rf_http_test_assert_no_secret (session, KEY);
}

/* OpenRouter's numeric code; 4xx other than 408/429 is not retried. */
static void
test_http_402_openrouter (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  const GError *error;

  rf_mock_server_enqueue (server, json_error (402,
    "{\"error\":{\"code\":402,\"message\":\"Insufficient credits\",\"metadata\":{}},\"user_id\":\"u\"}"));
  session = run_source (source);

  error = rf_session_get_error (session);
  g_assert_error ((GError *) error, RF_ERROR, RF_ERROR_HTTP);
  g_assert_true (g_str_has_prefix (error->message, "HTTP 402: Insufficient credits"));
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
}

static void
test_http_400_not_retried (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  const GError *error;

  rf_mock_server_enqueue (server, json_error (400,
    "{\"error\":{\"message\":\"Streaming must have non-zero partial images.\","
    "\"type\":\"image_generation_user_error\",\"param\":\"tools\",\"code\":null}}"));
  session = run_source (source);

  error = rf_session_get_error (session);
  g_assert_error ((GError *) error, RF_ERROR, RF_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "HTTP 400: Streaming must have non-zero partial images."));
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
}

/* 200 with a JSON body instead of a stream: its message, not a
 * silent truncation; another content type only warns. */
static void
test_json_instead_of_stream (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_RESPONSES, 1, &images);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSource) second = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfSession) session2 = NULL;
  RfMockResponse *resp;

  rf_mock_server_enqueue (server, json_error (200, "{\"error\":{\"message\":\"Model not allowed\"}}"));
  session = run_source (source);
  g_assert_error ((GError *) rf_session_get_error (session), RF_ERROR, RF_ERROR_HTTP);
  g_assert_cmpstr (rf_session_get_error (session)->message, ==, "HTTP 200: Model not allowed");

  resp = rf_http_test_sse_response (stream);
  rf_mock_response_add_header (resp, "Content-Type", "text/plain");
  rf_mock_server_enqueue (server, resp);
  session2 = run_source (second);
  g_assert_cmpint (rf_session_get_state (session2), ==, RF_SESSION_STATE_FINISHED);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session2, "content-type"), ==, 1);
  rf_http_test_assert_frames (session2, images, 2);
}

/* 429 with Retry-After in seconds: waits that long, then succeeds. */
static void
test_retry_after_429 (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_RESPONSES, 1, &images);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  RfMockResponse *resp;
  gint64 start;

  resp = json_error (429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                          "\"code\":\"rate_limit_exceeded\",\"param\":null}}");
  rf_mock_response_add_header (resp, "Retry-After", "1");
  rf_mock_server_enqueue (server, resp);
  rf_mock_server_enqueue (server, rf_http_test_sse_response (stream));

  start = g_get_monotonic_time ();
  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_null (rf_session_get_error (session));
  rf_http_test_assert_frames (session, images, 2);
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 2);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "retry"), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 950 * 1000);
}

/* Retry-After as an HTTP date. */
static void
test_retry_after_date (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_RESPONSES, 0, &images);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 2);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  RfMockResponse *resp;
  gint64 start;

  resp = json_error (503, "{\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\"}}");
  rf_mock_response_add_header (resp, "Retry-After", date);
  rf_mock_server_enqueue (server, resp);
  rf_mock_server_enqueue (server, rf_http_test_sse_response (stream));

  start = g_get_monotonic_time ();
  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 2);
  /* The date has a one-second resolution. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
}

/* 500 three times: three attempts, then the error. */
static void
test_retry_exhausted_500 (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  const GError *error;

  for (guint i = 0; i < 4; i++)
    rf_mock_server_enqueue (server, json_error (500,
      "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
  session = run_source (source);

  error = rf_session_get_error (session);
  g_assert_error ((GError *) error, RF_ERROR, RF_ERROR_HTTP);
  g_assert_true (g_str_has_prefix (error->message, "HTTP 500: The server had an error"));
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 3);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "retry"), ==, 2);
}

/* 408 then 502 then success. */
static void
test_retry_408_502 (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_RESPONSES, 1, &images);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;

  rf_mock_server_enqueue (server, json_error (408, "{}"));
  rf_mock_server_enqueue (server, json_error (502, "<html>Bad gateway</html>"));
  rf_mock_server_enqueue (server, rf_http_test_sse_response (stream));
  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  rf_http_test_assert_frames (session, images, 2);
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 3);
}

/* Nobody listening: connection failures are retried, then an I/O error. */
static void
test_connection_refused (void)
{
  g_autoptr(RfRequest) req = rf_request_new ();
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfSession) session = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *base = NULL;
  const GError *error;

  /* A port that was free a moment ago and is closed now. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  address = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  base = g_strdup_printf ("http://127.0.0.1:%u/v1",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  rf_request_set_provider (req, RF_PROVIDER_CUSTOM);
  rf_request_set_base_url (req, base);
  rf_request_set_prompt (req, "x");
  source = rf_http_source_new_for_request (req, KEY);
  rf_http_source_set_retry_delays (RF_HTTP_SOURCE (source), 10, 100);
  session = run_source (source);

  error = rf_session_get_error (session);
  g_assert_error ((GError *) error, RF_ERROR, RF_ERROR_IO);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "retry"), ==, 2);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FAILED);
  rf_http_test_assert_no_secret (session, KEY);
}

/* Builds a stream of @n_partials partials + final, with the byte offset
 * where each event ends. */
static GBytes *
stream_with_offsets (guint       n_partials,
                     GPtrArray **images_out,
                     GArray    **ends_out,
                     GPtrArray **events_out)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  GPtrArray *images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GArray *ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  GPtrArray *events = g_ptr_array_new_with_free_func (g_free);
  gsize len, prev = 0;
  const char *text;

#define MARK() \
  G_STMT_START { \
    text = rf_test_stream_peek (s, &len); \
    g_ptr_array_add (events, g_strndup (text + prev, len - prev)); \
    g_array_append_val (ends, len); \
    prev = len; \
  } G_STMT_END

  rf_test_stream_created (s, "resp_bg", n_partials);
  MARK ();
  rf_test_stream_item_added (s, 0, "ig_1");
  MARK ();
  for (guint i = 0; i <= n_partials; i++)
    g_ptr_array_add (images, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 40 + i));
  for (guint i = 0; i < n_partials; i++)
    {
      rf_test_stream_partial (s, 0, "ig_1", i, g_ptr_array_index (images, i));
      MARK ();
      rf_test_stream_keepalive (s);
      MARK ();
    }
  rf_test_stream_item_done (s, 0, "ig_1", g_ptr_array_index (images, n_partials), NULL);
  MARK ();
  rf_test_stream_completed (s, NULL, "ig_1", g_ptr_array_index (images, n_partials));
  MARK ();

#undef MARK

  *images_out = images;
  *ends_out = ends;
  if (events_out)
    *events_out = events;
  else
    g_ptr_array_unref (events);

  return rf_test_stream_to_bytes (s);
}

/* Without background mode a reset ends the run as truncated, every
 * frame kept, no retry and no resume. */
static void
test_reset_truncates (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GBytes) stream = stream_with_offsets (2, &images, &ends, NULL);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  RfMockResponse *resp = rf_mock_response_new (200);
  /* created, item added, partial 0, keepalive, then half of partial 1 */
  gsize cut = g_array_index (ends, gsize, 3) + 100;

  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (stream, NULL), cut);
  rf_mock_response_add_reset (resp, 50);
  rf_mock_server_enqueue (server, resp);
  session = run_source (source);

  g_assert_null (rf_session_get_error (session));
  g_assert_true (rf_session_has_errors (session));
  g_assert_nonnull (rf_session_get_failure_message (session));
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "truncated"), >=, 1);
  rf_http_test_assert_frames (session, images, 1);
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
}

static void
test_response_failed (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 1);
  g_autoptr(GPtrArray) images = g_ptr_array_new ();
  g_autoptr(GBytes) stream = NULL;
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_partial (s, 0, "ig_1", 0, image);
  rf_test_stream_failed (s, "image_content_policy_violation", "The image was blocked.");
  stream = rf_test_stream_to_bytes (s);
  g_ptr_array_add (images, image);

  rf_mock_server_enqueue (server, rf_http_test_sse_response (stream));
  session = run_source (source);

  g_assert_null (rf_session_get_error (session));
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FAILED);
  g_assert_nonnull (strstr (rf_session_get_failure_message (session), "The image was blocked."));
  rf_http_test_assert_frames (session, images, 1);
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
}

static void
test_in_stream_error (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 1);
  g_autoptr(GPtrArray) images = g_ptr_array_new ();
  g_autoptr(GBytes) stream = NULL;
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_partial (s, 0, "ig_1", 0, image);
  rf_test_stream_error_nested (s, "insufficient_quota", "insufficient_quota",
                               "You exceeded your current quota.");
  stream = rf_test_stream_to_bytes (s);
  g_ptr_array_add (images, image);

  rf_mock_server_enqueue (server, rf_http_test_sse_response (stream));
  session = run_source (source);

  g_assert_null (rf_session_get_error (session));
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FAILED);
  g_assert_nonnull (strstr (rf_session_get_failure_message (session), "You exceeded your current quota."));
  rf_http_test_assert_frames (session, images, 1);
}

/* Long silent stretches filled with keepalives never time out. */
static void
test_keepalives (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  RfMockResponse *resp = rf_mock_response_new (200);
  const char *text;
  gsize len, prev = 0;

  g_ptr_array_add (images, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 3));

  rf_http_source_set_idle_timeout (RF_HTTP_SOURCE (source), 1);

  rf_test_stream_created (s, "resp_1", 0);
  rf_test_stream_item_added (s, 0, "ig_1");
  text = rf_test_stream_peek (s, &len);
  rf_mock_response_add_chunk (resp, 0, text, len);
  prev = len;

  /* 2.8 s in all, never 1 s without a byte: events and comments. */
  for (guint i = 0; i < 7; i++)
    {
      if (i % 2 == 0)
        rf_test_stream_keepalive (s);
      else
        rf_test_stream_comment (s, "OPENROUTER PROCESSING");
      text = rf_test_stream_peek (s, &len);
      rf_mock_response_add_chunk (resp, 400, text + prev, len - prev);
      prev = len;
    }

  rf_test_stream_item_done (s, 0, "ig_1", g_ptr_array_index (images, 0), NULL);
  rf_test_stream_completed (s, NULL, "ig_1", g_ptr_array_index (images, 0));
  text = rf_test_stream_peek (s, &len);
  rf_mock_response_add_chunk (resp, 400, text + prev, len - prev);
  rf_mock_server_enqueue (server, resp);

  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "idle-timeout"), ==, 0);
  rf_http_test_assert_frames (session, images, 1);
  g_assert_cmpint (rf_session_get_duration_ms (session), >=, 2800);
}

/* Silence longer than the idle timeout ends the run, frames kept. */
static void
test_idle_timeout (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GBytes) stream = stream_with_offsets (2, &images, &ends, NULL);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  RfMockResponse *resp = rf_mock_response_new (200);
  gint64 start;

  rf_http_source_set_idle_timeout (RF_HTTP_SOURCE (source), 1);
  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (stream, NULL), g_array_index (ends, gsize, 2));
  rf_mock_response_add_hang (resp);
  rf_mock_server_enqueue (server, resp);

  start = g_get_monotonic_time ();
  session = run_source (source);

  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "idle-timeout"), ==, 1);
  g_assert_true (rf_session_has_errors (session));
  rf_http_test_assert_frames (session, images, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
}

static void
cancel_on_frame_cb (RfSession *session,
                    RfFrame   *frame,
                    gpointer   user_data)
{
  rf_session_cancel (session);
}

/* Cancelling at any moment keeps what arrived. */
static void
test_cancel (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GBytes) stream = stream_with_offsets (2, &images, &ends, NULL);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = rf_session_new ();
  RfMockResponse *resp = rf_mock_response_new (200);
  gint64 start;

  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (stream, NULL), g_array_index (ends, gsize, 2));
  rf_mock_response_add_hang (resp);
  rf_mock_server_enqueue (server, resp);

  /* Cancel once the frame is decoded: the source is then blocked
   * reading a silent connection. */
  g_signal_connect (session, "frame-decoded", G_CALLBACK (cancel_on_frame_cb), NULL);
  start = g_get_monotonic_time ();
  rf_session_start (session, source);
  wait_finished (session);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_CANCELLED);
  g_assert_null (rf_session_get_error (session));
  rf_http_test_assert_frames (session, images, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

/* Cancelling during a Retry-After wait ends at once. */
static void
test_cancel_during_retry (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = rf_session_new ();
  RfMockResponse *resp;
  gint64 start;

  rf_http_source_set_retry_delays (RF_HTTP_SOURCE (source), 10, 60000);
  resp = json_error (429, "{\"error\":{\"message\":\"Slow down\"}}");
  rf_mock_response_add_header (resp, "Retry-After", "30");
  rf_mock_server_enqueue (server, resp);

  start = g_get_monotonic_time ();
  rf_session_start (session, source);
  g_assert_true (rf_mock_server_wait_requests (server, 1, 5000));
  g_usleep (200 * 1000);
  rf_session_cancel (session);
  wait_finished (session);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
}

/* Background mode: the connection drops mid-event; the run resumes with
 * starting_after = the last complete event and ends with every event
 * once. The journal of it replays to the same frames. */
static void
test_background_resume (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GBytes) stream = stream_with_offsets (3, &images, &ends, &events);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfSession) replay = NULL;
  g_autoptr(RfSource) file_source = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "resume.sse", NULL);
  g_autofree char *expected_query = NULL;
  g_autofree char *redacted = NULL;
  RfMockResponse *resp = rf_mock_response_new (200);
  const RfMockRequest *r;
  /* created(0), added(1), partial 0(2), keepalive(3), partial 1(4) complete;
   * the drop comes halfway through the keepalive after it (5). */
  gsize cut = g_array_index (ends, gsize, 4) + 10;

  g_assert_true (rf_request_set_option (req, "background-mode", "true", NULL));
  source = mock_source (server, req);

  redacted = rf_request_dup_redacted_json (req);
  recorder = rf_recorder_new (path, redacted, &error);
  g_assert_no_error (error);
  rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);

  rf_mock_response_add_drip (resp, 5, g_bytes_get_data (stream, NULL), cut, 4096);
  rf_mock_response_add_reset (resp, 50);
  rf_mock_server_enqueue (server, resp);
  rf_mock_server_set_stored_response (server, "resp_bg",
                                      (const char * const *) events->pdata, events->len);

  session = run_source (source);

  g_assert_null (rf_session_get_error (session));
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  rf_http_test_assert_frames (session, images, 4);
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_events (session)), ==, events->len);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "resume"), ==, 1);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "sequence-gap"), ==, 0);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "duplicate-sequence"), ==, 0);
  g_assert_cmpstr (rf_session_get_response_id (session), ==, "resp_bg");

  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 2);
  r = rf_mock_server_get_request (server, 0);
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_nonnull (strstr (g_bytes_get_data (r->body, NULL), "\"background\":true"));
  g_assert_nonnull (strstr (g_bytes_get_data (r->body, NULL), "\"store\":true"));
  r = rf_mock_server_get_request (server, 1);
  g_assert_cmpstr (r->method, ==, "GET");
  g_assert_cmpstr (r->path, ==, "/v1/responses/resp_bg");
  expected_query = g_strdup_printf ("stream=true&starting_after=%d", 4);
  g_assert_cmpstr (r->query, ==, expected_query);
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "authorization"), ==, "Bearer " KEY);

  /* The journal: the half event is cut, the replay is the same run. */
  file = g_file_new_for_path (path);
  file_source = rf_file_source_new (file);
  replay = run_source (file_source);
  g_assert_cmpint (rf_session_get_state (replay), ==, RF_SESSION_STATE_FINISHED);
  rf_http_test_assert_frames (replay, images, 4);
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_events (replay)), ==, events->len);
  g_assert_false (rf_session_has_errors (replay));
  rf_http_test_assert_no_secret (session, KEY);
}

/* Without background mode there is no resume, even with a response id. */
static void
test_no_resume_without_background (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GBytes) stream = stream_with_offsets (2, &images, &ends, &events);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  RfMockResponse *resp = rf_mock_response_new (200);

  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (stream, NULL), g_array_index (ends, gsize, 2) + 5);
  rf_mock_response_add_reset (resp, 20);
  rf_mock_server_enqueue (server, resp);
  rf_mock_server_set_stored_response (server, "resp_bg",
                                      (const char * const *) events->pdata, events->len);
  session = run_source (source);

  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "resume"), ==, 0);
  rf_http_test_assert_frames (session, images, 1);
}

/* A redirect to another origin never carries the key. */
static void
test_redirect_drops_key (void)
{
  g_autoptr(RfMockServer) first = rf_mock_server_new ();
  g_autoptr(RfMockServer) second = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_RESPONSES, 1, &images);
  g_autofree char *target = rf_mock_server_dup_url (second, "/elsewhere");
  g_autofree char *url = rf_mock_server_dup_url (first, "/relay");
  g_autoptr(RfSource) source = rf_http_source_new_get (url, KEY);
  g_autoptr(RfSession) session = NULL;
  RfMockResponse *resp = rf_mock_response_new (307);

  rf_mock_response_add_header (resp, "Location", target);
  rf_mock_server_enqueue (first, resp);
  rf_mock_server_enqueue (second, rf_http_test_sse_response (stream));
  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  rf_http_test_assert_frames (session, images, 2);
  g_assert_cmpstr (g_hash_table_lookup (rf_mock_server_get_request (first, 0)->headers,
                                        "authorization"), ==, "Bearer " KEY);
  g_assert_null (g_hash_table_lookup (rf_mock_server_get_request (second, 0)->headers,
                                      "authorization"));
}

/* A same-origin redirect keeps it. */
static void
test_redirect_same_origin (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_RESPONSES, 1, &images);
  g_autofree char *url = rf_mock_server_dup_url (server, "/old");
  g_autoptr(RfSource) source = rf_http_source_new_get (url, KEY);
  g_autoptr(RfSession) session = NULL;
  RfMockResponse *resp = rf_mock_response_new (308);

  rf_mock_response_add_header (resp, "Location", "/new");
  rf_mock_server_enqueue (server, resp);
  rf_mock_server_enqueue (server, rf_http_test_sse_response (stream));
  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_cmpstr (rf_mock_server_get_request (server, 1)->path, ==, "/new");
  g_assert_cmpstr (g_hash_table_lookup (rf_mock_server_get_request (server, 1)->headers,
                                        "authorization"), ==, "Bearer " KEY);
}

/* The policy behind both: never down to http, the key only to the
 * origin first asked. */
static void
test_redirect_policy (void)
{
  static const struct {
    const char *origin;
    const char *from;
    const char *location;
    const char *target;   /* NULL: refused */
    gboolean    keeps_key;
  } cases[] = {
    { "https://api.example.com/v1/x", "https://api.example.com/v1/x", "/v1/y",
      "https://api.example.com/v1/y", TRUE },
    { "https://api.example.com/v1/x", "https://api.example.com/v1/x", "http://api.example.com/v1/y",
      NULL, FALSE },
    { "https://api.example.com/v1/x", "https://api.example.com/v1/x", "https://cdn.example.net/z",
      "https://cdn.example.net/z", FALSE },
    { "https://api.example.com/v1/x", "https://api.example.com/v1/x", "https://api.example.com:8443/y",
      "https://api.example.com:8443/y", FALSE },
    { "http://127.0.0.1:1/a", "http://127.0.0.1:1/a", "https://127.0.0.1:1/b",
      "https://127.0.0.1:1/b", FALSE },
    { "https://cdn.example.net/z", "https://cdn.example.net/z", "https://cdn.example.net/w",
      "https://cdn.example.net/w", TRUE },
    { "https://api.example.com/", "https://api.example.com/", "file:///etc/passwd", NULL, FALSE },
    { "https://api.example.com/", "https://api.example.com/", "ftp://api.example.com/", NULL, FALSE },
    /* Once on another host, a redirect back does not make it the origin. */
    { "https://api.example.com/", "https://cdn.example.net/", "https://api.example.com/k",
      "https://api.example.com/k", TRUE },
    { "https://api.example.com/", "https://cdn.example.net/", "http://api.example.com/k",
      NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *target = NULL;
      gboolean keeps_key = !cases[i].keeps_key;

      target = rf_http_source_resolve_redirect (cases[i].origin, cases[i].from, cases[i].location,
                                                &keeps_key, &error);
      g_assert_cmpstr (target, ==, cases[i].target);
      if (cases[i].target == NULL)
        g_assert_error (error, RF_ERROR, RF_ERROR_HTTP);
      else
        g_assert_cmpint (keeps_key, ==, cases[i].keeps_key);
    }
}

/* Invalid parameters are refused before anything is sent. */
static void
test_invalid_request_not_sent (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfSession) session = NULL;

  rf_request_set_size (req, "999x999");
  source = mock_source (server, req);
  session = run_source (source);

  g_assert_error ((GError *) rf_session_get_error (session), RF_ERROR, RF_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (rf_session_get_error (session)->message, "size"));
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 0);
}

/* The key never shows: not in errors, diagnostics, logs, journal or
 * sidecar, even when the server echoes it. */
static void
test_key_never_shown (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "key.sse", NULL);
  g_autofree char *redacted = rf_http_source_dup_redacted_request_json (RF_HTTP_SOURCE (source));
  g_autofree char *journal = NULL;
  g_autofree char *sidecar = NULL;
  g_autofree char *sidecar_path = NULL;
  RfMockResponse *resp;

  recorder = rf_recorder_new (path, redacted, &error);
  g_assert_no_error (error);
  rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);

  resp = json_error (500, "{\"error\":{\"message\":\"Bad key " KEY " (echoed)\",\"type\":\"server_error\"}}");
  rf_mock_server_enqueue (server, resp);
  resp = json_error (401, "{\"error\":{\"message\":\"Incorrect API key provided: " KEY "\","
                          "\"code\":\"invalid_api_key\"}}");
  rf_mock_server_enqueue (server, resp);
  session = run_source (source);

  g_assert_error ((GError *) rf_session_get_error (session), RF_ERROR, RF_ERROR_AUTH);
  g_assert_nonnull (strstr (rf_session_get_error (session)->message, "[redacted]"));
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "retry"), ==, 1);
  rf_http_test_assert_no_secret (session, KEY);

  g_assert_true (g_file_get_contents (path, &journal, NULL, NULL));
  g_assert_null (strstr (journal, KEY));
  sidecar_path = rf_recorder_dup_request_path (recorder);
  g_assert_true (g_file_get_contents (sidecar_path, &sidecar, NULL, NULL));
  g_assert_null (strstr (sidecar, KEY));
  g_assert_nonnull (strstr (sidecar, "A river of owl feathers"));
}

/* A live run's journal replays to the same frames at the same times. */
static void
test_record_and_replay (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GBytes) stream = stream_with_offsets (2, &images, &ends, NULL);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfSession) replay = NULL;
  g_autoptr(RfSource) file_source = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redacted = rf_http_source_dup_redacted_request_json (RF_HTTP_SOURCE (source));
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "live.sse", NULL);
  g_autofree char *sidecar = NULL;
  g_autofree char *expected_sidecar = g_build_filename (rf_test_get_temp_dir (), "live.request.json", NULL);
  RfMockResponse *resp = rf_mock_response_new (200);
  GListModel *live_frames, *replay_frames;
  GStatBuf st;

  recorder = rf_recorder_new (path, redacted, &error);
  g_assert_no_error (error);
  rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);

  rf_mock_response_add_drip (resp, 40, g_bytes_get_data (stream, NULL), g_bytes_get_size (stream), 333);
  rf_mock_server_enqueue (server, resp);
  session = run_source (source);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  sidecar = rf_recorder_dup_request_path (recorder);
  g_assert_cmpstr (sidecar, ==, expected_sidecar);
  g_assert_cmpint (g_stat (sidecar, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  file = g_file_new_for_path (path);
  file_source = rf_file_source_new (file);
  replay = run_source (file_source);

  g_assert_cmpint (rf_session_get_state (replay), ==, RF_SESSION_STATE_FINISHED);
  g_assert_cmpint (rf_session_get_requested_partials (replay), ==, 2);
  live_frames = rf_session_get_frames (session);
  replay_frames = rf_session_get_frames (replay);
  g_assert_cmpuint (g_list_model_get_n_items (live_frames), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (replay_frames), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(RfFrame) a = g_list_model_get_item (live_frames, i);
      g_autoptr(RfFrame) b = g_list_model_get_item (replay_frames, i);

      g_assert_cmpstr (rf_frame_get_sha256 (a), ==, rf_frame_get_sha256 (b));
      g_assert_cmpint (rf_frame_get_t_ms (a), ==, rf_frame_get_t_ms (b));
      g_assert_cmpint (rf_frame_get_kind (a), ==, rf_frame_get_kind (b));
    }
  rf_http_test_assert_frames (replay, images, 3);
}

/* A live run that failed or was cancelled keeps why in its journal: the
 * history and a replay say "HTTP 401: …", not "ended without a final
 * event after 0 events". */
static RfSession *
replay_journal (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(RfSource) source = rf_file_source_new (file);

  return run_source (source);
}

static void
test_journal_outcome_401 (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfSession) replay = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(RfJournalSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "outcome-401.sse", NULL);
  g_autofree char *contents = NULL;

  recorder = rf_recorder_new (path, "{}", &error);
  g_assert_no_error (error);
  rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);
  rf_mock_server_enqueue (server, json_error (401,
    "{\"error\":{\"message\":\"Incorrect API key provided: " KEY ". \\u001b[2J\\u001b]0;PWN\\u0007\","
    "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
  session = run_source (source);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FAILED);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, KEY));
  g_assert_nonnull (strstr (contents, ": outcome=http-error HTTP 401: Incorrect API key provided"));
  /* Someone will cat the journal: the server's escapes are written as
   * text, never as the bytes a terminal acts on. */
  g_assert_null (strchr (contents, '\x1b'));
  g_assert_null (strchr (contents, '\a'));
  g_assert_nonnull (strstr (contents, "\\x1b[2J"));

  replay = replay_journal (path);
  g_assert_cmpint (rf_session_get_state (replay), ==, RF_SESSION_STATE_FAILED);
  g_assert_true (g_str_has_prefix (rf_session_get_failure_message (replay), "HTTP 401: Incorrect API key provided"));
  g_assert_cmpuint (rf_http_test_count_diagnostics (replay, "http-error"), ==, 1);
  g_assert_cmpuint (rf_http_test_count_diagnostics (replay, "truncated"), ==, 0);
  g_assert_cmpuint (rf_http_test_count_diagnostics (replay, "no-images"), ==, 0);
  rf_http_test_assert_no_secret (replay, KEY);

  summary = rf_journal_read_summary (path, 32, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary->outcome, ==, RF_JOURNAL_OUTCOME_FAILED);
  g_assert_true (g_str_has_prefix (summary->message, "HTTP 401: Incorrect API key provided"));
  g_assert_cmpuint (summary->n_frames, ==, 0);
}

static void
test_journal_outcome_cancel (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GBytes) stream = stream_with_offsets (2, &images, &ends, NULL);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = rf_session_new ();
  g_autoptr(RfSession) replay = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(RfJournalSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "outcome-cancel.sse", NULL);
  RfMockResponse *resp = rf_mock_response_new (200);

  recorder = rf_recorder_new (path, "{}", &error);
  g_assert_no_error (error);
  rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);
  /* The first frame's event and half of the next: cut mid-line. */
  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (stream, NULL),
                              g_array_index (ends, gsize, 2) + 40);
  rf_mock_response_add_hang (resp);
  rf_mock_server_enqueue (server, resp);
  g_signal_connect (session, "frame-decoded", G_CALLBACK (cancel_on_frame_cb), NULL);
  rf_session_start (session, source);
  wait_finished (session);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_CANCELLED);

  replay = replay_journal (path);
  g_assert_cmpint (rf_session_get_state (replay), ==, RF_SESSION_STATE_FINISHED);
  g_assert_cmpuint (rf_http_test_count_diagnostics (replay, "cancelled"), ==, 1);
  g_assert_cmpuint (rf_http_test_count_diagnostics (replay, "truncated"), ==, 0);
  rf_http_test_assert_frames (replay, images, 1);

  summary = rf_journal_read_summary (path, 32, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary->outcome, ==, RF_JOURNAL_OUTCOME_CANCELLED);
  g_assert_cmpuint (summary->n_frames, ==, 1);
  g_assert_nonnull (summary->thumbnail);
  g_assert_cmpint (summary->duration_ms, >=, 0);
}

/* A finished run has no outcome line and reads as finished. */
static void
test_journal_outcome_finished (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_RESPONSES, 2, &images);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(RfJournalSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "outcome-ok.sse", NULL);
  g_autofree char *contents = NULL;
  RfMockResponse *resp = rf_mock_response_new (200);

  recorder = rf_recorder_new (path, "{}", &error);
  g_assert_no_error (error);
  rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);
  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (stream, NULL), g_bytes_get_size (stream));
  rf_mock_server_enqueue (server, resp);
  session = run_source (source);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "outcome="));
  summary = rf_journal_read_summary (path, 32, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary->outcome, ==, RF_JOURNAL_OUTCOME_FINISHED);
  g_assert_null (summary->message);
  g_assert_cmpuint (summary->n_frames, ==, 3);
}

/* The default journal name takes the response id once it is known. */
static void
test_default_journal_name (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_RESPONSES, 1, &images);
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redacted = rf_http_source_dup_redacted_request_json (RF_HTTP_SOURCE (source));
  g_autofree char *path = NULL;
  g_autofree char *request_path = NULL;
  g_autofree char *dir = rf_journal_dup_runs_dir ();
  g_autofree char *base = NULL;
  RfMockResponse *resp = rf_mock_response_new (200);
  gsize len = g_bytes_get_size (stream);

  recorder = rf_recorder_new (NULL, redacted, &error);
  g_assert_no_error (error);
  rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);

  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (stream, NULL), len / 2);
  rf_mock_response_add_chunk (resp, 20, (const char *) g_bytes_get_data (stream, NULL) + len / 2,
                              len - len / 2);
  rf_mock_server_enqueue (server, resp);
  session = run_source (source);

  path = rf_recorder_dup_path (recorder);
  request_path = rf_recorder_dup_request_path (recorder);
  base = g_path_get_basename (path);
  g_assert_true (g_str_has_prefix (path, dir));
  g_assert_true (g_regex_match_simple ("^[0-9]{8}T[0-9]{6}Z-resp_1\\.sse$", base, 0, 0));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_suffix (request_path, "-resp_1.request.json"));
  g_assert_true (g_file_test (request_path, G_FILE_TEST_IS_REGULAR));
}

/* A journal that cannot be written (disk full) is reported, and the run
 * goes on. */
static void
test_journal_write_error (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(RfMockServer) server = rf_mock_server_new ();
      g_autoptr(GPtrArray) images = NULL;
      g_autoptr(GBytes) stream = stream_with_images (RF_TEST_FLAVOR_RESPONSES, 2, &images);
      g_autoptr(RfRequest) req = mock_request (server);
      g_autoptr(RfSource) source = mock_source (server, req);
      g_autoptr(RfSession) session = NULL;
      g_autoptr(RfRecorder) recorder = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "full.sse", NULL);
      struct rlimit limit = { 2000, 2000 };

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      recorder = rf_recorder_new (path, "{}", &error);
      g_assert_no_error (error);
      rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);

      rf_mock_server_enqueue (server, rf_http_test_sse_response (stream));
      session = run_source (source);

      g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
      rf_http_test_assert_frames (session, images, 3);
      g_assert_true (rf_recorder_get_incomplete (recorder));
      g_assert_cmpuint (rf_http_test_count_diagnostics (session, "journal-incomplete"), ==, 1);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* refinery-inspect --record=FILE killed with SIGKILL mid-stream leaves a
 * journal that replays to the frames that had arrived. */
static void
test_sigkill_journal (void)
{
  const char *inspect = g_getenv ("REFINERY_INSPECT");
  g_autoptr(RfMockServer) server = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GBytes) stream = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(RfSession) replay = NULL;
  g_autoptr(RfSource) file_source = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "killed.sse", NULL);
  g_autofree char *record = g_strconcat ("--record=", path, NULL);
  g_autofree char *journal = NULL;
  g_autoptr(GRegex) timing = g_regex_new (": t=[0-9]+\n", 0, 0, NULL);
  RfMockResponse *resp = rf_mock_response_new (200);
  gint64 deadline;
  gsize sent;

  if (inspect == NULL || !g_file_test (inspect, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("REFINERY_INSPECT is not set");
      rf_mock_response_free (resp);
      return;
    }

  server = rf_mock_server_new ();
  stream = stream_with_offsets (3, &images, &ends, NULL);
  url = rf_mock_server_dup_url (server, "/stream");

  /* created, added, partial 0, keepalive, partial 1, then a third of
   * partial 2 — and then nothing, until the process is killed. */
  sent = g_array_index (ends, gsize, 4);
  rf_mock_response_add_drip (resp, 20, g_bytes_get_data (stream, NULL), sent, 1000);
  rf_mock_response_add_chunk (resp, 20, (const char *) g_bytes_get_data (stream, NULL) + sent,
                              (g_array_index (ends, gsize, 5) - sent) / 3);
  sent += (g_array_index (ends, gsize, 5) - sent) / 3;
  rf_mock_response_add_hang (resp);
  rf_mock_server_enqueue (server, resp);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "REFINERY_API_KEY", KEY, TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, inspect, record, url, NULL);
  g_assert_no_error (error);

  /* Wait until every byte sent is on disk. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  for (;;)
    {
      GStatBuf st;

      if (g_stat (path, &st) == 0 && (gsize) st.st_size >= sent)
        {
          g_autofree char *contents = NULL;
          g_autofree char *stripped = NULL;

          /* The journal minus its timing lines is the bytes received. */
          g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
          stripped = g_regex_replace_literal (timing, contents, -1, 0, "", 0, NULL);
          if (strlen (stripped) == sent)
            {
              g_assert_true (memcmp (stripped, g_bytes_get_data (stream, NULL), sent) == 0);
              break;
            }
          g_assert_cmpuint (strlen (stripped), <, sent);
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }

  g_subprocess_send_signal (proc, SIGKILL);
  g_subprocess_wait (proc, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);

  g_assert_true (g_file_get_contents (path, &journal, NULL, NULL));
  g_assert_null (strstr (journal, KEY));

  file = g_file_new_for_path (path);
  file_source = rf_file_source_new (file);
  replay = run_source (file_source);
  rf_http_test_assert_frames (replay, images, 2);
  g_assert_cmpuint (rf_http_test_count_diagnostics (replay, "truncated"), >=, 1);
}

/* refinery-inspect against the mock server, with the key in the
 * environment: its exit status, stdout and stderr. */
static int
run_inspect (const char * const *args,
             char              **out,
             char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, (char *) g_getenv ("REFINERY_INSPECT"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  env = g_environ_setenv (env, "REFINERY_API_KEY", KEY, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", rf_test_get_temp_dir (), TRUE);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static gboolean
have_inspect (void)
{
  const char *inspect = g_getenv ("REFINERY_INSPECT");

  if (inspect == NULL || !g_file_test (inspect, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("REFINERY_INSPECT is not set");
      return FALSE;
    }
  return TRUE;
}

/* A key the server echoes inside the stream (the response id, an error
 * event), split across reads: it is redacted before anything parses or
 * journals it, so it is in no message, no id, no journal byte and no
 * journal name, and refinery-inspect never prints it. */
static void
test_key_echoed_in_stream (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfTestStream) ts = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 8, 8, FALSE, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *dir = rf_recorder_dup_runs_dir ();
  RfMockResponse *resp;

  rf_test_stream_created (ts, "resp_" KEY, 1);
  rf_test_stream_item_added (ts, 0, "ig_1");
  rf_test_stream_partial (ts, 0, "ig_1", 0, image);
  rf_test_stream_error_flat (ts, "bad_key", "Your key " KEY " was refused");
  bytes = rf_test_stream_to_bytes (ts);

  recorder = rf_recorder_new (NULL, NULL, &error);
  g_assert_no_error (error);
  rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);
  resp = rf_mock_response_new (200);
  rf_mock_response_add_header (resp, "Content-Type", "text/event-stream");
  rf_mock_response_add_drip (resp, 1, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), 7);
  rf_mock_server_enqueue (server, resp);
  session = run_source (source);

  rf_http_test_assert_no_secret (session, KEY);
  g_assert_nonnull (strstr (rf_session_get_response_id (session), "[redacted]"));
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_frames (session)), ==, 1);
  path = rf_recorder_dup_path (recorder);
  g_assert_true (g_str_has_prefix (path, dir));
  g_assert_null (strstr (path, "Zq8dW3vPs"));
  g_assert_true (g_file_get_contents (path, &journal, NULL, NULL));
  g_assert_null (strstr (journal, KEY));
  g_assert_null (strstr (journal, "Zq8dW3vPs"));
  g_assert_nonnull (strstr (journal, "Your key [redacted] was refused"));
  g_assert_false (rf_http_test_logs_contain (KEY));

  if (!have_inspect ())
    return;

  /* The same stream to refinery-inspect, in each output mode. */
  {
    static const char *modes[] = { "--json", "--dump=events", "--dump=sse", "--bench", "" };

    for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
      {
        g_autofree char *url = rf_mock_server_dup_url (server, "/stream");
        g_autofree char *record = g_strdup_printf ("--record=%s/echo-%u.sse", rf_test_get_temp_dir (), i);
        g_autofree char *recorded = NULL;
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;
        const char *args[] = { record, url, modes[i][0] ? modes[i] : NULL, NULL };

        resp = rf_mock_response_new (200);
        rf_mock_response_add_header (resp, "Content-Type", "text/event-stream");
        rf_mock_response_add_drip (resp, 0, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), 5);
        rf_mock_server_enqueue (server, resp);

        g_assert_cmpint (run_inspect (args, &out, &err), ==, 1);
        g_assert_null (strstr (out, "Zq8dW3vPs"));
        g_assert_null (strstr (err, "Zq8dW3vPs"));
        g_assert_true (g_file_get_contents (record + strlen ("--record="), &recorded, NULL, NULL));
        g_assert_null (strstr (recorded, "Zq8dW3vPs"));
      }
  }
}

/* The key echoed in the stream and cut between two reads at each of its
 * bytes, after a false start of itself: the redactor holds back only
 * what could still be the key, so the journal (what the parser got) has
 * the key as "[redacted]" and every other byte as the server sent it. */
static void
test_key_echoed_every_split (void)
{
  static const char false_start[] = "sk-test-Zq8";
  g_autoptr(RfTestStream) ts = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  const char *key_at;
  gsize len;

  rf_test_stream_created (ts, "resp_split", 1);
  rf_test_stream_error_flat (ts, "bad_key", "Your key " "sk-test-Zq8" " then " KEY " was refused");
  bytes = rf_test_stream_to_bytes (ts);
  data = g_bytes_get_data (bytes, &len);
  key_at = strstr (data, KEY);
  g_assert_nonnull (key_at);
  g_assert_nonnull (strstr (data, false_start));

  for (gsize cut = 1; cut < strlen (KEY); cut++)
    {
      g_autoptr(RfMockServer) server = rf_mock_server_new ();
      g_autoptr(RfRequest) req = mock_request (server);
      g_autoptr(RfSource) source = mock_source (server, req);
      g_autoptr(RfSession) session = NULL;
      g_autoptr(RfRecorder) recorder = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *journal = NULL;
      gsize first = (key_at - data) + cut;
      RfMockResponse *resp;

      recorder = rf_recorder_new (NULL, NULL, &error);
      g_assert_no_error (error);
      rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);
      resp = rf_mock_response_new (200);
      rf_mock_response_add_header (resp, "Content-Type", "text/event-stream");
      rf_mock_response_add_chunk (resp, 0, data, first);
      /* Long enough that the client reads the first part on its own. */
      rf_mock_response_add_chunk (resp, 30, data + first, len - first);
      rf_mock_server_enqueue (server, resp);
      session = run_source (source);

      rf_http_test_assert_no_secret (session, KEY);
      path = rf_recorder_dup_path (recorder);
      g_assert_true (g_file_get_contents (path, &journal, NULL, NULL));
      g_assert_null (strstr (journal, KEY));
      g_assert_nonnull (strstr (journal, "Your key sk-test-Zq8 then [redacted] was refused"));
      g_assert_nonnull (strstr (journal, "resp_split"));
    }
}

/* A reason phrase that is not UTF-8 still gives valid UTF-8 JSON, and
 * the run exits 2 (an HTTP error). */
static void
test_reason_not_utf8 (void)
{
  g_autoptr(RfMockServer) server = NULL;

  if (!have_inspect ())
    return;

  server = rf_mock_server_new ();
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *url = rf_mock_server_dup_url (server, "/stream");
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char *args[] = { url, i == 0 ? "--json" : "--dump=events", NULL };
      RfMockResponse *resp = rf_mock_response_new (400);
      g_auto(GStrv) lines = NULL;

      rf_mock_response_set_reason (resp, "Bad \xff\xfe Request \xc3");
      rf_mock_server_enqueue (server, resp);

      g_assert_cmpint (run_inspect (args, &out, &err), ==, 2);
      g_assert_true (g_utf8_validate (out, -1, NULL));
      g_assert_nonnull (strstr (out, "HTTP 400: Bad"));
      lines = i == 0 ? g_strdupv ((char *[]) { out, NULL }) : g_strsplit (out, "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;

          if (lines[j][0] == '\0')
            continue;
          json_parser_load_from_data (parser, lines[j], -1, &error);
          g_assert_no_error (error);
        }
    }
}

/* Response headers too big to read: the server had the POST, so it is
 * not sent again (that could start a second paid generation). */
static void
test_header_too_big_not_resent (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) req = mock_request (server);
  g_autoptr(RfSource) source = mock_source (server, req);
  g_autoptr(RfSession) session = NULL;
  g_autofree char *big = g_strnfill (512 * 1024, 'x');

  for (guint i = 0; i < 3; i++)
    {
      RfMockResponse *resp = rf_mock_response_new (200);

      rf_mock_response_add_header (resp, "X-Padding", big);
      rf_mock_response_set_body (resp, "text/event-stream", "data: {}\n\n");
      rf_mock_server_enqueue (server, resp);
    }
  session = run_source (source);

  g_assert_nonnull (rf_session_get_error (session));
  g_test_message ("%s", rf_session_get_error (session)->message);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "retry"), ==, 0);
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
}

/* 200 with a web page (a portal, a wrong base URL): exit 2, and the
 * message says what came. */
static void
test_html_200 (void)
{
  g_autoptr(RfMockServer) server = NULL;
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  RfMockResponse *resp;

  if (!have_inspect ())
    return;

  server = rf_mock_server_new ();
  url = rf_mock_server_dup_url (server, "/stream");
  resp = rf_mock_response_new (200);
  rf_mock_response_set_body (resp, "text/html", "<html><body>Sign in to the Wi-Fi</body></html>");
  rf_mock_server_enqueue (server, resp);

  {
    const char *args[] = { url, NULL };

    g_assert_cmpint (run_inspect (args, &out, &err), ==, 2);
  }
  g_assert_nonnull (strstr (err, "web page"));
  g_assert_nonnull (strstr (err, "text/html"));
}

int
main (int   argc,
      char *argv[])
{
  rf_http_test_capture_logs ();

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/http/post-request", test_post_request);
  g_test_add_func ("/http/images-api", test_images_api);
  g_test_add_func ("/http/openrouter-headers", test_openrouter_headers);
  g_test_add_func ("/http/drip-fed", test_drip_fed);
  g_test_add_func ("/http/get-url", test_get_url);
  g_test_add_func ("/http/slow-first-byte", test_slow_first_byte);
  g_test_add_func ("/http/error/401", test_http_401);
  g_test_add_func ("/http/journal-outcome/401", test_journal_outcome_401);
  g_test_add_func ("/http/journal-outcome/cancel", test_journal_outcome_cancel);
  g_test_add_func ("/http/journal-outcome/finished", test_journal_outcome_finished);
  g_test_add_func ("/http/error/402-openrouter", test_http_402_openrouter);
  g_test_add_func ("/http/error/400-not-retried", test_http_400_not_retried);
  g_test_add_func ("/http/error/json-instead-of-stream", test_json_instead_of_stream);
  g_test_add_func ("/http/retry/429-retry-after", test_retry_after_429);
  g_test_add_func ("/http/retry/retry-after-date", test_retry_after_date);
  g_test_add_func ("/http/retry/500-exhausted", test_retry_exhausted_500);
  g_test_add_func ("/http/retry/408-502", test_retry_408_502);
  g_test_add_func ("/http/retry/connection-refused", test_connection_refused);
  g_test_add_func ("/http/reset-truncates", test_reset_truncates);
  g_test_add_func ("/http/response-failed", test_response_failed);
  g_test_add_func ("/http/in-stream-error", test_in_stream_error);
  g_test_add_func ("/http/keepalives", test_keepalives);
  g_test_add_func ("/http/idle-timeout", test_idle_timeout);
  g_test_add_func ("/http/cancel", test_cancel);
  g_test_add_func ("/http/cancel-during-retry", test_cancel_during_retry);
  g_test_add_func ("/http/background-resume", test_background_resume);
  g_test_add_func ("/http/no-resume-without-background", test_no_resume_without_background);
  g_test_add_func ("/http/redirect/other-origin", test_redirect_drops_key);
  g_test_add_func ("/http/redirect/same-origin", test_redirect_same_origin);
  g_test_add_func ("/http/redirect/policy", test_redirect_policy);
  g_test_add_func ("/http/invalid-request-not-sent", test_invalid_request_not_sent);
  g_test_add_func ("/http/key-never-shown", test_key_never_shown);
  g_test_add_func ("/http/key-echoed-in-stream", test_key_echoed_in_stream);
  g_test_add_func ("/http/key-echoed-every-split", test_key_echoed_every_split);
  g_test_add_func ("/http/error/reason-not-utf8", test_reason_not_utf8);
  g_test_add_func ("/http/error/header-too-big-not-resent", test_header_too_big_not_resent);
  g_test_add_func ("/http/error/html-200", test_html_200);
  g_test_add_func ("/http/record-and-replay", test_record_and_replay);
  g_test_add_func ("/http/default-journal-name", test_default_journal_name);
  g_test_add_func ("/http/journal-write-error", test_journal_write_error);
  g_test_add_func ("/http/sigkill-journal", test_sigkill_journal);

  return g_test_run ();
}
