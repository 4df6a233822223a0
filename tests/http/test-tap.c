/*
 * test-tap.c
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
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rf-diagnostic.h"
#include "rf-file-source.h"
#include "rf-frame.h"
#include "rf-journal.h"
#include "rf-http-test-util.h"
#include "rf-recorder.h"
#include "rf-session.h"
#include "rf-tap.h"
#include "rf-test-util.h"

#define KEY "sk-test-Tp7uQ2vRw-never-record-me-81c3e0"

#define STREAM_BODY \
  "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"A heron made of paper\"," \
  "\"tools\":[{\"type\":\"image_generation\",\"partial_images\":2}]}"

typedef struct
{
  RfMockServer *server;
  RfTap        *tap;
  char         *uri;
  GPtrArray    *started;
  GPtrArray    *finished;
  GPtrArray    *passed;
  guint         want;
  gboolean      let_go;   /* keep no session after its run finished */
  guint         finalized; /* sessions gone, when let_go */
} Fixture;

static void
count_finalized (gpointer  data,
                 GObject  *where_the_object_was)
{
  ((Fixture *) data)->finalized++;
}

static void
run_started_cb (RfTap    *tap,
                RfTapRun *run,
                Fixture  *f)
{
  g_assert_nonnull (rf_tap_run_get_session (run));
  g_assert_cmpint (rf_session_get_state (rf_tap_run_get_session (run)), ==, RF_SESSION_STATE_IDLE);
  /* Its decoding steps back for the proxy thread, whose client waits. */
  g_assert_true (rf_session_get_yield_cpu (rf_tap_run_get_session (run)));
  if (f->let_go)
    g_object_weak_ref (G_OBJECT (rf_tap_run_get_session (run)), count_finalized, f);
  g_ptr_array_add (f->started, g_object_ref (run));
}

static void
run_finished_cb (RfTap    *tap,
                 RfTapRun *run,
                 Fixture  *f)
{
  g_assert_true (rf_session_get_finished (rf_tap_run_get_session (run)));
  /* The tap lets go of the session once this returns: the tests keep it
   * to look at, as the app keeps the run it shows. */
  if (!f->let_go)
    g_object_set_data_full (G_OBJECT (run), "rf-test-session",
                            g_object_ref (rf_tap_run_get_session (run)), g_object_unref);
  g_ptr_array_add (f->finished, g_object_ref (run));
}

/* A run's session: the tap's while it streams, the test's after. */
static RfSession *
session_of (RfTapRun *run)
{
  RfSession *session = g_object_get_data (G_OBJECT (run), "rf-test-session");

  return session != NULL ? session : rf_tap_run_get_session (run);
}

static void
request_passed_cb (RfTap      *tap,
                   const char *method,
                   const char *path,
                   guint       status,
                   Fixture    *f)
{
  g_ptr_array_add (f->passed, g_strdup_printf ("%s %s %u", method, path, status));
}

static void
fixture_init (Fixture    *f,
              const char *upstream)
{
  g_autoptr(GError) error = NULL;

  memset (f, 0, sizeof *f);
  f->server = rf_mock_server_new ();
  f->tap = rf_tap_new (upstream ? upstream : rf_mock_server_get_uri (f->server), &error);
  g_assert_no_error (error);
  f->started = g_ptr_array_new_with_free_func (g_object_unref);
  f->finished = g_ptr_array_new_with_free_func (g_object_unref);
  f->passed = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->tap, "run-started", G_CALLBACK (run_started_cb), f);
  g_signal_connect (f->tap, "run-finished", G_CALLBACK (run_finished_cb), f);
  g_signal_connect (f->tap, "request-passed", G_CALLBACK (request_passed_cb), f);
}

static void
fixture_listen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_tap_listen (f->tap, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rf_tap_get_port (f->tap), >, 0);
  f->uri = rf_tap_dup_uri (f->tap);
  g_assert_true (g_str_has_prefix (f->uri, "http://127.0.0.1:"));
}

static void
fixture_clear (Fixture *f)
{
  g_clear_object (&f->tap);
  g_clear_pointer (&f->server, rf_mock_server_free);
  g_clear_pointer (&f->uri, g_free);
  g_clear_pointer (&f->started, g_ptr_array_unref);
  g_clear_pointer (&f->finished, g_ptr_array_unref);
  g_clear_pointer (&f->passed, g_ptr_array_unref);
}

/* A tap listening on loopback in front of its own mock upstream. */
static void
fixture_start (Fixture *f)
{
  fixture_init (f, NULL);
  fixture_listen (f);
}

/* A request to the tap at @path (and query) from a client of the test's
 * own, as rf_http_test_client_request() sends it. Returns: the body the
 * client got. */
static GBytes *
fixture_request (Fixture             *f,
                 const char          *method,
                 const char          *path,
                 const char          *body,
                 const char * const  *headers,
                 guint               *status,
                 SoupMessageHeaders **response_headers)
{
  g_autofree char *url = g_strconcat (f->uri, path, NULL);

  return rf_http_test_client_request (url, method, body, headers, status, response_headers);
}

static gboolean
enough_finished (gpointer data)
{
  Fixture *f = data;

  return f->finished->len >= f->want;
}

static void
wait_runs (Fixture *f,
           guint    n)
{
  f->want = n;
  g_assert_true (rf_test_wait_until (enough_finished, f, 30000));
}

/* Waits for the first run to finish and returns it. */
static RfTapRun *
wait_first_run (Fixture *f)
{
  wait_runs (f, 1);
  return g_ptr_array_index (f->finished, 0);
}

static gboolean
has_passed (gpointer data)
{
  Fixture *f = data;

  return f->passed->len > 0;
}

static gboolean
has_started (gpointer data)
{
  Fixture *f = data;

  return f->started->len > 0;
}

static void
assert_same_bytes (GBytes *a,
                   GBytes *b)
{
  g_assert_cmpuint (g_bytes_get_size (a), ==, g_bytes_get_size (b));
  g_assert_true (g_bytes_equal (a, b));
}

static char *
read_private_file (const char *path)
{
  struct stat st;
  char *contents = NULL;

  g_assert_nonnull (path);
  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));

  return contents;
}

/* The journal and its sidecar are private, hold no key and the journal
 * replays to the frames the run saw. Returns the sidecar's text. */
static char *
assert_journal (RfTapRun  *run,
                GPtrArray *images)
{
  g_autofree char *journal = rf_tap_run_dup_journal_path (run);
  g_autofree char *sidecar = rf_journal_dup_sidecar_path (journal);
  g_autofree char *contents = read_private_file (journal);
  char *request = read_private_file (sidecar);

  g_assert_null (strstr (contents, KEY));
  g_assert_null (strstr (request, KEY));

  if (images != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (journal);
      g_autoptr(RfSource) source = rf_file_source_new (file);
      g_autoptr(RfSession) replay = rf_session_new ();

      rf_session_start (replay, source);
      g_assert_true (rf_test_wait_until ((gboolean (*) (gpointer)) rf_session_get_finished, replay, 30000));
      rf_http_test_assert_frames (replay, images, images->len);
    }

  return request;
}

static void
assert_no_key_anywhere (Fixture *f)
{
  for (guint i = 0; i < f->finished->len; i++)
    {
      RfTapRun *run = g_ptr_array_index (f->finished, i);
      RfSession *session = session_of (run);

      g_assert_null (strstr (rf_tap_run_get_path (run), KEY));
      g_assert_null (strstr (rf_session_get_failure_message (session) ?: "", KEY));
      g_assert_null (strstr (rf_session_get_request_json (session) ?: "", KEY));
      rf_http_test_assert_no_secret (session, KEY);
    }
  g_assert_false (rf_http_test_logs_contain (KEY));
}

static RfMockResponse *
drip_response (GBytes *stream,
               gsize   piece)
{
  RfMockResponse *resp = rf_mock_response_new (200);

  rf_mock_response_add_header (resp, "x-request-id", "req_tap_1");
  rf_mock_response_add_drip (resp, 0, g_bytes_get_data (stream, NULL), g_bytes_get_size (stream), piece);
  return resp;
}

/* A Responses stream: the client gets it byte for byte with its status
 * and headers; upstream gets the request with Host rewritten; the run
 * has every frame and a journal that replays to them. */
static void
test_responses_stream (void)
{
  Fixture f;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG,
                                                   FALSE, &images);
  g_autoptr(GBytes) got = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *host = NULL;
  g_autofree char *request = NULL;
  const char * const client_headers[] = {
    "Authorization", "Bearer " KEY,
    "Accept-Encoding", "gzip, br",
    "OpenAI-Beta", "responses=v1",
    NULL
  };
  const RfMockRequest *seen;
  RfTapRun *run;
  RfSession *session;
  guint status = 0;

  fixture_start (&f);
  rf_mock_server_enqueue (f.server, drip_response (stream, 700));

  got = fixture_request (&f, "POST", "/v1/responses", STREAM_BODY, client_headers, &status, &headers);

  g_assert_cmpuint (status, ==, 200);
  assert_same_bytes (got, stream);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "x-request-id"), ==, "req_tap_1");
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "text/event-stream");

  seen = rf_mock_server_get_request (f.server, 0);
  g_assert_cmpstr (seen->method, ==, "POST");
  g_assert_cmpstr (seen->path, ==, "/v1/responses");
  g_assert_cmpstr (g_hash_table_lookup (seen->headers, "authorization"), ==, "Bearer " KEY);
  g_assert_cmpstr (g_hash_table_lookup (seen->headers, "openai-beta"), ==, "responses=v1");
  /* A stream must reach the tap uncompressed. */
  g_assert_null (g_hash_table_lookup (seen->headers, "accept-encoding"));
  host = g_strdup (rf_mock_server_get_uri (f.server) + strlen ("http://"));
  g_assert_cmpstr (g_hash_table_lookup (seen->headers, "host"), ==, host);
  g_assert_cmpuint (g_bytes_get_size (seen->body), ==, strlen (STREAM_BODY));
  g_assert_cmpmem (g_bytes_get_data (seen->body, NULL), strlen (STREAM_BODY), STREAM_BODY, strlen (STREAM_BODY));

  run = wait_first_run (&f);
  g_assert_cmpuint (f.started->len, ==, 1);
  session = session_of (run);
  g_assert_cmpuint (rf_tap_run_get_index (run), ==, 1);
  g_assert_cmpstr (rf_tap_run_get_method (run), ==, "POST");
  g_assert_cmpstr (rf_tap_run_get_path (run), ==, "/v1/responses");
  g_assert_cmpstr (rf_tap_run_get_model (run), ==, "gpt-5");
  g_assert_cmpuint (rf_tap_run_get_status (run), ==, 200);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_false (rf_session_has_errors (session));
  g_assert_cmpint (rf_session_get_requested_partials (session), ==, 2);
  rf_http_test_assert_frames (session, images, images->len);
  g_assert_cmpuint (rf_session_get_bytes_received (session), ==, g_bytes_get_size (stream));
  g_assert_cmpuint (rf_tap_get_n_passed (f.tap), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rf_tap_get_runs (f.tap)), ==, 1);
  g_assert_cmpuint (rf_tap_get_n_active (f.tap), ==, 0);

  request = assert_journal (run, images);
  g_assert_nonnull (strstr (request, "A heron made of paper"));
  g_assert_nonnull (strstr (request, "\"Authorization\":\"[redacted]\""));
  assert_no_key_anywhere (&f);

  fixture_clear (&f);
}

/* The Images API stream, and OpenRouter's framing of a Responses stream
 * under its own path prefix. */
static void
check_flavor (RfTestFlavor  flavor,
              const char   *path,
              const char   *body,
              const char   *model)
{
  Fixture f;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = rf_test_build_stream (flavor, 3, RF_IMAGE_FORMAT_PNG, TRUE, &images);
  g_autoptr(GBytes) got = NULL;
  const char * const client_headers[] = { "Authorization", "Bearer " KEY, NULL };
  RfTapRun *run;
  guint status = 0;

  fixture_start (&f);
  rf_mock_server_enqueue (f.server, drip_response (stream, 333));

  got = fixture_request (&f, "POST", path, body, client_headers, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_same_bytes (got, stream);
  g_assert_cmpstr (rf_mock_server_get_request (f.server, 0)->path, ==, path);

  run = wait_first_run (&f);
  g_assert_cmpstr (rf_tap_run_get_path (run), ==, path);
  g_assert_cmpstr (rf_tap_run_get_model (run), ==, model);
  g_assert_cmpint (rf_session_get_state (session_of (run)), ==, RF_SESSION_STATE_FINISHED);
  rf_http_test_assert_frames (session_of (run), images, images->len);
  g_free (assert_journal (run, images));
  assert_no_key_anywhere (&f);

  fixture_clear (&f);
}

static void
test_images_stream (void)
{
  check_flavor (RF_TEST_FLAVOR_IMAGES, "/v1/images/generations",
                "{\"model\":\"gpt-image-1\",\"prompt\":\"a fox\",\"stream\":true,\"partial_images\":3}",
                "gpt-image-1");
}

static void
test_openrouter_stream (void)
{
  check_flavor (RF_TEST_FLAVOR_OPENROUTER, "/api/v1/responses",
                "{\"model\":\"openai/gpt-5\",\"stream\": true,\"input\":\"a fox\"}",
                "openai/gpt-5");
}

/* OpenRouter's chat completions with image output: `data:` lines only,
 * processing comments, images as data URLs inside the deltas (cut
 * anywhere by the drip), usage with its cost, [DONE]. */
static void
test_openrouter_chat (void)
{
  Fixture f;
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) stream = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *url = NULL;
  g_autofree char *b0 = NULL, *b1 = NULL;
  g_autofree char *request = NULL;
  const char * const client_headers[] = {
    "Authorization", "Bearer " KEY,
    "HTTP-Referer", "https://example.invalid/my-app",
    NULL
  };
  const char *head = "{\"id\":\"gen-1765000000-tap\",\"provider\":\"Google\","
                     "\"model\":\"google/gemini-2.5-flash-image-preview\","
                     "\"object\":\"chat.completion.chunk\",\"created\":1765000000,";
  const char *body = "{\"model\":\"google/gemini-2.5-flash-image-preview\",\"stream\":true,"
                     "\"modalities\":[\"image\",\"text\"],"
                     "\"messages\":[{\"role\":\"user\",\"content\":\"Two paper cranes\"}]}";
  RfTapRun *run;
  RfSession *session;
  guint status = 0;

  g_ptr_array_add (images, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 16, TRUE, 7));
  g_ptr_array_add (images, rf_test_make_image (RF_IMAGE_FORMAT_JPEG, 32, 32, FALSE, 8));
  b0 = rf_test_base64 (g_ptr_array_index (images, 0));
  b1 = rf_test_base64 (g_ptr_array_index (images, 1));

  g_string_append (text, ": OPENROUTER PROCESSING\n\n");
  g_string_append_printf (text, "data: %s\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Here \"},"
                          "\"finish_reason\":null}]}\n\n", head);
  g_string_append_printf (text, "data: %s\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
                          "\"images\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,%s\"},\"index\":0}]},"
                          "\"finish_reason\":null}]}\n\n", head, b0);
  g_string_append (text, ": OPENROUTER PROCESSING\n\n");
  g_string_append_printf (text, "data: %s\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
                          "\"images\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/jpeg;base64,%s\"},\"index\":1}]},"
                          "\"finish_reason\":null}]}\n\n", head, b1);
  g_string_append_printf (text, "data: %s\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                          "\"finish_reason\":\"stop\",\"native_finish_reason\":\"STOP\"}],"
                          "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2590,\"total_tokens\":2599,"
                          "\"cost\":0.0777,\"completion_tokens_details\":{\"image_tokens\":2580}}}\n\n", head);
  g_string_append (text, "data: [DONE]\n\n");
  stream = g_bytes_new (text->str, text->len);

  fixture_start (&f);
  rf_mock_server_enqueue (f.server, drip_response (stream, 97));

  got = fixture_request (&f, "POST", "/api/v1/chat/completions", body, client_headers, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  assert_same_bytes (got, stream);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "x-request-id"), ==, "req_tap_1");
  g_assert_cmpstr (rf_mock_server_get_request (f.server, 0)->path, ==, "/api/v1/chat/completions");
  g_assert_cmpstr (g_hash_table_lookup (rf_mock_server_get_request (f.server, 0)->headers, "http-referer"),
                   ==, "https://example.invalid/my-app");

  run = wait_first_run (&f);
  session = session_of (run);
  g_assert_cmpstr (rf_tap_run_get_method (run), ==, "POST");
  g_assert_cmpstr (rf_tap_run_get_path (run), ==, "/api/v1/chat/completions");
  g_assert_cmpstr (rf_tap_run_get_model (run), ==, "google/gemini-2.5-flash-image-preview");
  g_assert_cmpuint (rf_tap_run_get_status (run), ==, 200);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_false (rf_session_has_errors (session));
  /* Each image a final frame of its own lane, the payload byte for byte. */
  rf_http_test_assert_frames (session, images, images->len);
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_lanes (session)), ==, 2);
  g_assert_cmpuint (rf_session_get_bytes_received (session), ==, g_bytes_get_size (stream));
  /* The usage as OpenRouter sent it, cost included. */
  g_assert_nonnull (rf_session_get_usage_json (session));
  g_assert_nonnull (strstr (rf_session_get_usage_json (session), "\"cost\":0.0777"));
  g_assert_nonnull (strstr (rf_session_get_usage_json (session), "\"image_tokens\":2580"));

  request = assert_journal (run, images);
  g_assert_nonnull (strstr (request, "Two paper cranes"));
  assert_no_key_anywhere (&f);

  fixture_clear (&f);
}

/* A JSON call passes through untouched (Accept-Encoding included), is
 * counted, and makes no run. */
static void
test_non_stream (void)
{
  Fixture f;
  static const char json[] = "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-image-1\"}]}";
  RfMockResponse *resp = rf_mock_response_new (200);
  g_autoptr(GBytes) got = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  const char * const client_headers[] = {
    "Authorization", "Bearer " KEY,
    "Accept-Encoding", "gzip",
    NULL
  };
  const RfMockRequest *seen;
  guint status = 0;

  fixture_start (&f);
  rf_mock_response_set_body (resp, "application/json", json);
  rf_mock_response_add_header (resp, "openai-processing-ms", "12");
  rf_mock_server_enqueue (f.server, resp);

  got = fixture_request (&f, "GET", "/v1/models?limit=5", NULL, client_headers, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), json, strlen (json));
  g_assert_cmpstr (soup_message_headers_get_one (headers, "openai-processing-ms"), ==, "12");
  g_assert_cmpint (soup_message_headers_get_content_length (headers), ==, strlen (json));

  seen = rf_mock_server_get_request (f.server, 0);
  g_assert_cmpstr (seen->path, ==, "/v1/models");
  g_assert_cmpstr (seen->query, ==, "limit=5");
  g_assert_cmpstr (g_hash_table_lookup (seen->headers, "accept-encoding"), ==, "gzip");

  g_assert_true (rf_test_wait_until (has_passed, &f, 5000));
  rf_test_spin (100);
  g_assert_cmpuint (rf_tap_get_n_passed (f.tap), ==, 1);
  g_assert_cmpuint (f.passed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f.passed, 0), ==, "GET /v1/models?limit=5 200");
  g_assert_cmpuint (f.started->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rf_tap_get_runs (f.tap)), ==, 0);

  fixture_clear (&f);
}

/* Upstream errors reach the client as they were; the run fails with the
 * server's message, the key it echoed redacted. */
static void
check_upstream_error (guint       status_code,
                      int         error_code)
{
  Fixture f;
  g_autofree char *json = g_strdup_printf ("{\"error\":{\"message\":\"Incorrect API key provided: %s\","
                                           "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}",
                                           KEY);
  RfMockResponse *resp = rf_mock_response_new (status_code);
  g_autoptr(GBytes) got = NULL;
  g_autofree char *expected = g_strdup_printf ("HTTP %u", status_code);
  g_autofree char *journal = NULL;
  g_autofree char *contents = NULL;
  const char * const client_headers[] = { "Authorization", "Bearer " KEY, NULL };
  RfTapRun *run;
  RfSession *session;
  guint status = 0;

  fixture_start (&f);
  rf_mock_response_set_body (resp, "application/json", json);
  rf_mock_server_enqueue (f.server, resp);

  got = fixture_request (&f, "POST", "/v1/responses", STREAM_BODY, client_headers, &status, NULL);
  g_assert_cmpuint (status, ==, status_code);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), json, strlen (json));

  run = wait_first_run (&f);
  session = session_of (run);
  g_assert_cmpuint (rf_tap_run_get_status (run), ==, status_code);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FAILED);
  g_assert_error ((GError *) rf_session_get_error (session), RF_ERROR, error_code);
  g_assert_nonnull (strstr (rf_session_get_failure_message (session), expected));
  g_assert_nonnull (strstr (rf_session_get_failure_message (session), "Incorrect API key provided"));
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "http-error"), ==, 1);

  journal = rf_tap_run_dup_journal_path (run);
  contents = read_private_file (journal);
  g_assert_nonnull (strstr (contents, "[redacted]"));
  g_free (assert_journal (run, NULL));
  assert_no_key_anywhere (&f);

  fixture_clear (&f);
}

static void
test_upstream_401 (void)
{
  check_upstream_error (401, RF_ERROR_AUTH);
}

static void
test_upstream_500 (void)
{
  check_upstream_error (500, RF_ERROR_HTTP);
}

/* Nothing listens upstream: 502 for the client, a failed run. */
static void
test_upstream_unreachable (void)
{
  Fixture f;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *upstream = NULL;
  g_autoptr(GBytes) got = NULL;
  guint16 port;
  guint status = 0;
  RfTapRun *run;

  /* A port that was free a moment ago. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_socket_listener_close (listener);
  upstream = g_strdup_printf ("http://127.0.0.1:%u/", port);

  fixture_init (&f, upstream);
  fixture_listen (&f);

  got = fixture_request (&f, "POST", "/v1/responses", STREAM_BODY, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 502);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (got, NULL), g_bytes_get_size (got), "Cannot connect"));

  run = wait_first_run (&f);
  g_assert_cmpuint (rf_tap_run_get_status (run), ==, 502);
  g_assert_cmpint (rf_session_get_state (session_of (run)), ==, RF_SESSION_STATE_FAILED);

  fixture_clear (&f);
}

typedef struct
{
  char   *uri;
  guint   index;
  GBytes *got;
  guint   status;
} Client;

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  g_autofree char *body = g_strdup_printf ("{\"model\":\"gpt-5\",\"stream\":true,\"user\":\"client-%u\"}",
                                           c->index);
  const char * const headers[] = { "Authorization", "Bearer " KEY, NULL };

  c->got = rf_http_test_client_request (c->uri, "POST", body, headers, &c->status, NULL);
  return NULL;
}

/* A client whose response may be cut off. */
static gpointer
client_thread_lenient (gpointer data)
{
  Client *c = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", c->uri);
  g_autoptr(GBytes) body = g_bytes_new_static (STREAM_BODY, strlen (STREAM_BODY));

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  c->got = soup_session_send_and_read (session, msg, NULL, NULL);
  c->status = soup_message_get_status (msg);
  return NULL;
}

/* Six streams at once, each with its own images: every client gets its
 * own bytes and every run its own frames. */
static void
test_concurrent (void)
{
  enum { N = 6 };
  Fixture f;
  GPtrArray *images[N];
  GBytes *streams[N];
  Client clients[N];
  GThread *threads[N];

  fixture_start (&f);

  for (guint i = 0; i < N; i++)
    {
      RfMockResponse *resp = rf_mock_response_new (200);

      streams[i] = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 1 + i % 3, RF_IMAGE_FORMAT_PNG,
                                         i % 2 == 0, &images[i]);
      /* Slow enough that all six overlap. */
      rf_mock_response_add_drip (resp, 5, g_bytes_get_data (streams[i], NULL),
                                 g_bytes_get_size (streams[i]), 2000);
      rf_mock_server_enqueue (f.server, resp);
    }

  for (guint i = 0; i < N; i++)
    {
      clients[i] = (Client) { g_strconcat (f.uri, "/v1/responses", NULL), i, NULL, 0 };
      threads[i] = g_thread_new ("client", client_thread, &clients[i]);
    }
  for (guint i = 0; i < N; i++)
    g_thread_join (threads[i]);

  wait_runs (&f, N);

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *tag = g_strdup_printf ("client-%u", i);
      guint served = G_MAXUINT;

      /* The mock answers in arrival order: find what it sent client i. */
      for (guint j = 0; j < N; j++)
        {
          GBytes *body = rf_mock_server_get_request (f.server, j)->body;

          if (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), tag))
            served = j;
        }
      g_assert_cmpuint (served, <, N);
      g_assert_cmpuint (clients[i].status, ==, 200);
      assert_same_bytes (clients[i].got, streams[served]);
    }

  /* Each run holds exactly the frames of one stream, all different. */
  for (guint i = 0; i < N; i++)
    {
      RfSession *session = session_of (g_ptr_array_index (f.finished, i));
      guint64 received = rf_session_get_bytes_received (session);
      guint matched = 0;

      g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
      for (guint j = 0; j < N; j++)
        {
          if (received == g_bytes_get_size (streams[j]) &&
              g_list_model_get_n_items (rf_session_get_frames (session)) == images[j]->len)
            {
              g_autoptr(RfFrame) first = g_list_model_get_item (rf_session_get_frames (session), 0);
              g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256,
                                                                   g_ptr_array_index (images[j], 0));

              if (g_strcmp0 (sha, rf_frame_get_sha256 (first)) == 0)
                {
                  rf_http_test_assert_frames (session, images[j], images[j]->len);
                  matched++;
                }
            }
        }
      g_assert_cmpuint (matched, ==, 1);
    }
  assert_no_key_anywhere (&f);

  for (guint i = 0; i < N; i++)
    {
      g_free (clients[i].uri);
      g_bytes_unref (clients[i].got);
      g_bytes_unref (streams[i]);
      g_ptr_array_unref (images[i]);
    }
  fixture_clear (&f);
}

/* The same scripted response, once directly and once through the tap:
 * the bytes and the end-to-end headers are the same. */
static void
test_byte_identical (void)
{
  Fixture f;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 3, RF_IMAGE_FORMAT_PNG,
                                                   TRUE, &images);
  g_autoptr(GBytes) direct = NULL;
  g_autoptr(GBytes) tapped = NULL;
  g_autoptr(SoupMessageHeaders) direct_headers = NULL;
  g_autoptr(SoupMessageHeaders) tapped_headers = NULL;
  g_autofree char *direct_url = NULL;
  guint direct_status = 0;
  guint tapped_status = 0;

  fixture_start (&f);

  for (guint i = 0; i < 2; i++)
    {
      RfMockResponse *resp = drip_response (stream, 4093);

      rf_mock_response_add_header (resp, "openai-processing-ms", "1234");
      rf_mock_server_enqueue (f.server, resp);
    }

  direct_url = rf_mock_server_dup_url (f.server, "/v1/responses");
  direct = rf_http_test_client_request (direct_url, "POST", STREAM_BODY, NULL, &direct_status, &direct_headers);
  tapped = fixture_request (&f, "POST", "/v1/responses", STREAM_BODY, NULL, &tapped_status, &tapped_headers);

  g_assert_cmpuint (tapped_status, ==, direct_status);
  assert_same_bytes (tapped, direct);
  assert_same_bytes (tapped, stream);
  for (guint i = 0; i < 3; i++)
    {
      const char *name = (const char *[]) { "Content-Type", "x-request-id", "openai-processing-ms" }[i];

      g_assert_cmpstr (soup_message_headers_get_one (tapped_headers, name), ==,
                       soup_message_headers_get_one (direct_headers, name));
    }

  rf_http_test_assert_frames (session_of (wait_first_run (&f)), images, images->len);

  fixture_clear (&f);
}

/* Gemini puts the key in the query or in x-goog-api-key: upstream gets
 * it, the run's path, its journal and its sidecar never do. */
static void
test_key_in_query (void)
{
  Fixture f;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 1, RF_IMAGE_FORMAT_PNG,
                                                   FALSE, &images);
  g_autoptr(GBytes) got = NULL;
  g_autofree char *url = NULL;
  g_autofree char *request = NULL;
  const char * const headers[] = { "x-goog-api-key", KEY, NULL };
  RfTapRun *run;
  guint status = 0;

  fixture_start (&f);
  rf_mock_server_enqueue (f.server, drip_response (stream, 1000));

  url = g_strconcat (f.uri, "/v1beta/models/gemini-2.5-flash-image:streamGenerateContent?alt=sse&key=",
                     KEY, NULL);
  got = rf_http_test_client_request (url, "POST", "{\"contents\":[{\"parts\":[{\"text\":\"" KEY "\"}]}]}",
                        headers, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_same_bytes (got, stream);
  g_assert_cmpstr (rf_mock_server_get_request (f.server, 0)->query, ==, "alt=sse&key=" KEY);
  g_assert_cmpstr (g_hash_table_lookup (rf_mock_server_get_request (f.server, 0)->headers, "x-goog-api-key"),
                   ==, KEY);

  run = wait_first_run (&f);
  g_assert_cmpstr (rf_tap_run_get_path (run), ==,
                   "/v1beta/models/gemini-2.5-flash-image:streamGenerateContent?alt=sse&key=[redacted]");
  g_assert_cmpstr (rf_tap_run_get_model (run), ==, "gemini-2.5-flash-image");
  request = assert_journal (run, images);
  g_assert_nonnull (strstr (request, "\"x-goog-api-key\":\"[redacted]\""));
  assert_no_key_anywhere (&f);

  fixture_clear (&f);
}

/* A server that echoes the client's key back inside the stream (an error
 * message, a response id): the client gets the bytes as they came, the
 * journal, its name and the run get them with the key taken out, even
 * when the key arrives split across chunks. */
static void
test_key_echoed (void)
{
  Fixture f;
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) stream = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *contents = NULL;
  const char * const headers[] = { "Authorization", "Bearer " KEY, NULL };
  RfTapRun *run;
  guint status = 0;

  rf_test_stream_created (s, "resp_" KEY, 1);
  rf_test_stream_error_flat (s, "invalid_api_key", "Incorrect API key provided: " KEY ". Check it.");
  stream = rf_test_stream_to_bytes (s);

  fixture_start (&f);
  /* Seven-byte pieces: the key is split across many reads. */
  rf_mock_server_enqueue (f.server, drip_response (stream, 7));

  got = fixture_request (&f, "POST", "/v1/responses", STREAM_BODY, headers, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_same_bytes (got, stream);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (got, NULL), g_bytes_get_size (got), KEY));

  run = wait_first_run (&f);
  journal = rf_tap_run_dup_journal_path (run);
  g_assert_null (strstr (journal, KEY));
  contents = read_private_file (journal);
  g_assert_null (strstr (contents, KEY));
  g_assert_nonnull (strstr (contents, "Incorrect API key provided: [redacted]. Check it."));
  g_assert_nonnull (strstr (contents, "\"resp_[redacted]\""));
  g_assert_true (rf_session_has_errors (session_of (run)));
  assert_no_key_anywhere (&f);

  fixture_clear (&f);
}

/* A raw client that reads the first bytes of the response, then hangs
 * up. */
static void
hang_up_after_first_bytes (const char *tap_uri)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (tap_uri, G_URI_FLAGS_NONE, NULL);
  g_autofree char *request = NULL;
  char buf[4096];
  gsize total = 0;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  request = g_strdup_printf ("POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                             strlen (STREAM_BODY), STREAM_BODY);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                            request, strlen (request), NULL, NULL, &error));
  g_assert_no_error (error);

  /* Headers and the first chunk. */
  while (total < 200)
    {
      gssize n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                      buf, sizeof buf, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      total += n;
    }

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

/* A client that hangs up mid-stream cancels the upstream request: the
 * mock sees its response cut off, and the run says why it ended. */
static void
test_client_disconnect (void)
{
  Fixture f;
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 3, RF_IMAGE_FORMAT_PNG,
                                                   FALSE, NULL);
  RfMockResponse *resp = rf_mock_response_new (200);
  RfSession *session;

  fixture_start (&f);
  /* Takes 20 s if nobody stops it. */
  rf_mock_response_add_drip (resp, 0, g_bytes_get_data (stream, NULL), 300, 300);
  rf_mock_response_add_drip (resp, 100, (const char *) g_bytes_get_data (stream, NULL) + 300,
                             MIN (g_bytes_get_size (stream) - 300, 200 * 10), 10);
  rf_mock_server_enqueue (f.server, resp);

  hang_up_after_first_bytes (f.uri);

  g_assert_true (rf_mock_server_wait_aborted (f.server, 1, 5000));
  session = session_of (wait_first_run (&f));
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "client-closed"), ==, 1);

  fixture_clear (&f);
}

/* While an image renders upstream may send nothing for many seconds: a
 * client that hangs up then is noticed at once, not at the next byte. */
static void
test_client_disconnect_silent (void)
{
  Fixture f;
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 1, RF_IMAGE_FORMAT_PNG,
                                                   FALSE, NULL);
  RfMockResponse *resp = rf_mock_response_new (200);
  gint64 start;

  fixture_start (&f);
  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (stream, NULL), 300);
  rf_mock_response_add_chunk (resp, 20000, (const char *) g_bytes_get_data (stream, NULL) + 300, 10);
  rf_mock_server_enqueue (f.server, resp);

  start = g_get_monotonic_time ();
  hang_up_after_first_bytes (f.uri);
  wait_runs (&f, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session_of (g_ptr_array_index (f.finished, 0)),
                                       "client-closed"), ==, 1);

  fixture_clear (&f);
}

/* The decoding side may fall behind, never the client: with a tiny
 * queue and a session that cannot start while the client reads (this
 * thread is busy in it), the client still gets every byte, the journal
 * keeps them all and the run says what it left out. */
static void
test_decode_behind (void)
{
  Fixture f;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 3, RF_IMAGE_FORMAT_PNG,
                                                   TRUE, &images);
  g_autoptr(GBytes) got = NULL;
  RfTapRun *run;
  RfSession *session;
  guint status = 0;

  fixture_init (&f, NULL);
  rf_tap_set_max_pending (f.tap, 2048);
  fixture_listen (&f);
  rf_mock_server_enqueue (f.server, drip_response (stream, 512));

  got = fixture_request (&f, "POST", "/v1/responses", STREAM_BODY, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_same_bytes (got, stream);

  run = wait_first_run (&f);
  session = session_of (run);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "tap-behind"), >=, 1);
  g_assert_cmpuint (rf_session_get_bytes_received (session), <, g_bytes_get_size (stream));
  /* The journal has it all. */
  g_free (assert_journal (run, images));

  fixture_clear (&f);
}

static void
test_bad_upstream (void)
{
  const char *bad[] = { "ftp://example.com", "not a url", "http://", "https://api.openai.com/v1?x=1" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RfTap) tap = rf_tap_new (bad[i], &error);

      g_assert_null (tap);
      g_assert_error (error, RF_ERROR, RF_ERROR_USAGE);
    }

  g_assert_true (rf_tap_address_is_loopback ("127.0.0.1"));
  g_assert_true (rf_tap_address_is_loopback ("127.8.0.1"));
  g_assert_true (rf_tap_address_is_loopback ("::1"));
  g_assert_true (rf_tap_address_is_loopback ("localhost"));
  g_assert_false (rf_tap_address_is_loopback ("0.0.0.0"));
  g_assert_false (rf_tap_address_is_loopback ("192.168.1.4"));
}

/* Stopping with a stream in flight ends its run with what it received. */
static void
test_stop_mid_stream (void)
{
  Fixture f;
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG,
                                                   FALSE, NULL);
  RfMockResponse *resp = rf_mock_response_new (200);
  g_autofree char *journal = NULL;
  g_autofree char *contents = NULL;
  GThread *thread;
  Client client;
  RfSession *session;

  fixture_start (&f);
  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (stream, NULL), 400);
  rf_mock_response_add_hang (resp);
  rf_mock_server_enqueue (f.server, resp);

  client = (Client) { g_strconcat (f.uri, "/v1/responses", NULL), 0, NULL, 0 };
  thread = g_thread_new ("client", (GThreadFunc) client_thread_lenient, &client);
  g_assert_true (rf_mock_server_wait_requests (f.server, 1, 5000));
  g_assert_true (rf_test_wait_until (has_started, &f, 5000));
  rf_test_spin (200);

  rf_tap_stop (f.tap);
  g_thread_join (thread);
  session = session_of (wait_first_run (&f));
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "tap-stopped"), ==, 1);
  g_assert_cmpuint (rf_session_get_bytes_received (session), ==, 400);
  journal = rf_tap_run_dup_journal_path (g_ptr_array_index (f.finished, 0));
  contents = read_private_file (journal);
  g_assert_nonnull (g_strstr_len (contents, -1, "response.created"));

  g_free (client.uri);
  g_clear_pointer (&client.got, g_bytes_unref);
  fixture_clear (&f);
}

/* What a client reads before the response ends or breaks: the bytes,
 * and whether it broke. */
static GBytes *
read_until_end (const char *url,
                gboolean   *broke)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new_static (STREAM_BODY, strlen (STREAM_BODY));
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 buf[4096];
  gssize n;

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  in = soup_session_send (session, msg, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (in, buf, sizeof buf, NULL, &error)) > 0)
    g_byte_array_append (all, buf, n);
  *broke = n < 0;

  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

/* Upstream breaks off mid-stream: the client sees what it would see
 * directly, and the run keeps what arrived and says the connection was
 * lost. */
static gboolean
all_finalized (gpointer data)
{
  Fixture *f = data;

  return f->finalized + 2 == f->finished->len;
}

/* A Listen session that taps stream after stream for hours keeps only
 * the newest few finished runs' sessions and what someone shows: older
 * sessions (their frames and events) are let go of, the run keeps its
 * state and frame count, and the list of runs stays under its cap, the
 * newest kept. */
static void
test_long_listen (void)
{
  Fixture f;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG,
                                                   FALSE, &images);
  g_autofree char *url = NULL;
  GListModel *runs;
  const guint n_runs = 24;
  const guint cap = 10;
  const guint kept = 2;

  fixture_init (&f, NULL);
  f.let_go = TRUE;
  rf_tap_set_max_runs_listed (f.tap, cap);
  rf_tap_set_max_sessions_kept (f.tap, kept);
  fixture_listen (&f);
  url = g_strconcat (f.uri, "/v1/responses", NULL);

  for (guint i = 0; i < n_runs; i++)
    {
      g_autoptr(GBytes) got = NULL;
      guint status = 0;

      rf_mock_server_enqueue (f.server, drip_response (stream, 4096));
      got = rf_http_test_client_request (url, "POST", STREAM_BODY, NULL, &status, NULL);
      g_assert_cmpuint (status, ==, 200);
      assert_same_bytes (got, stream);
      wait_runs (&f, i + 1);
    }

  /* Every run, but only the newest two sessions: the others are gone. */
  g_assert_cmpuint (f.finished->len, ==, n_runs);
  g_assert_true (rf_test_wait_until (all_finalized, &f, 30000));
  for (guint i = 0; i < n_runs; i++)
    {
      RfTapRun *run = g_ptr_array_index (f.finished, i);

      if (i < n_runs - kept)
        g_assert_null (rf_tap_run_get_session (run));
      else
        rf_http_test_assert_frames (rf_tap_run_get_session (run), images, images->len);
      g_assert_cmpint (rf_tap_run_get_state (run), ==, RF_SESSION_STATE_FINISHED);
      g_assert_cmpuint (rf_tap_run_get_n_frames (run), ==, images->len);
    }

  /* The list: the newest @cap runs. */
  runs = rf_tap_get_runs (f.tap);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, cap);
  for (guint i = 0; i < cap; i++)
    {
      g_autoptr(RfTapRun) run = g_list_model_get_item (runs, i);

      g_assert_cmpuint (rf_tap_run_get_index (run), ==, rf_tap_run_get_index (g_ptr_array_index (f.finished, n_runs - cap + i)));
    }

  fixture_clear (&f);
}

static void
test_upstream_drop (void)
{
  Fixture f;
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG,
                                                   FALSE, NULL);
  g_autoptr(GBytes) direct = NULL;
  g_autoptr(GBytes) tapped = NULL;
  g_autofree char *url = NULL;
  g_autofree char *direct_url = NULL;
  gboolean direct_broke = FALSE;
  gboolean tapped_broke = FALSE;
  RfSession *run_session;

  fixture_start (&f);
  for (guint i = 0; i < 2; i++)
    {
      RfMockResponse *resp = rf_mock_response_new (200);

      rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (stream, NULL), g_bytes_get_size (stream) / 2);
      rf_mock_response_add_reset (resp, 50);
      rf_mock_server_enqueue (f.server, resp);
    }

  direct_url = rf_mock_server_dup_url (f.server, "/v1/responses");
  url = g_strconcat (f.uri, "/v1/responses", NULL);
  direct = read_until_end (direct_url, &direct_broke);
  tapped = read_until_end (url, &tapped_broke);
  g_assert_cmpint (tapped_broke, ==, direct_broke);
  assert_same_bytes (tapped, direct);
  g_assert_cmpuint (g_bytes_get_size (tapped), ==, g_bytes_get_size (stream) / 2);

  run_session = session_of (wait_first_run (&f));
  g_assert_cmpuint (rf_session_get_bytes_received (run_session), ==, g_bytes_get_size (stream) / 2);
  g_assert_cmpuint (rf_http_test_count_diagnostics (run_session, "truncated"), >=, 1);

  fixture_clear (&f);
}

static char *
read_line (GDataInputStream *in)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);

  g_assert_no_error (error);
  return line;
}

static JsonObject *
parse_object (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (line);
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* refinery-inspect --listen=127.0.0.1:0 --json: the first line says
 * where it listens, then one JSON document per finished run; SIGTERM
 * ends a run in flight with its journal complete, and the exit status
 * is 0. */
static void
test_cli (void)
{
  const char *inspect = g_getenv ("REFINERY_INSPECT");
  g_autoptr(RfMockServer) server = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG,
                                                   FALSE, &images);
  g_autoptr(GBytes) got = NULL;
  g_autoptr(JsonObject) hello = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autofree char *data_dir = g_build_filename (rf_test_get_temp_dir (), "cli-data", NULL);
  g_autofree char *upstream = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sidecar = NULL;
  g_autofree char *sidecar_text = NULL;
  const char * const headers[] = { "Authorization", "Bearer " KEY, NULL };
  RfMockResponse *resp;
  JsonArray *diagnostics;
  gboolean stopped = FALSE;
  Client client;
  GThread *thread;
  guint status = 0;

  if (inspect == NULL)
    {
      g_test_skip ("REFINERY_INSPECT is not set");
      return;
    }

  server = rf_mock_server_new ();
  rf_mock_server_enqueue (server, drip_response (stream, 1000));
  resp = rf_mock_response_new (200);
  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (stream, NULL), 500);
  rf_mock_response_add_hang (resp);
  rf_mock_server_enqueue (server, resp);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_dir, TRUE);
  upstream = g_strconcat ("--upstream=", rf_mock_server_get_uri (server), NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, inspect, "--listen=127.0.0.1:0",
                                         upstream, "--json", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  line = read_line (out);
  hello = parse_object (line);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (hello, "listening"), "http://127.0.0.1:"));
  g_assert_cmpstr (json_object_get_string_member (hello, "upstream"), ==, rf_mock_server_get_uri (server));

  url = g_strconcat (json_object_get_string_member (hello, "listening"), "/v1/responses", NULL);
  got = rf_http_test_client_request (url, "POST", STREAM_BODY, headers, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_same_bytes (got, stream);

  g_free (line);
  line = read_line (out);
  first = parse_object (line);
  g_assert_null (strstr (line, KEY));
  g_assert_cmpstr (json_object_get_string_member (first, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (first, "path"), ==, "/v1/responses");
  g_assert_cmpint (json_object_get_int_member (first, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (first, "model"), ==, "gpt-5");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "frames")), ==, images->len);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (first, "journal"), data_dir));

  /* A second stream stays open until the signal. */
  client = (Client) { g_strdup (url), 0, NULL, 0 };
  thread = g_thread_new ("client", client_thread_lenient, &client);
  g_assert_true (rf_mock_server_wait_requests (server, 2, 10000));
  rf_test_spin (300);
  g_subprocess_send_signal (process, SIGTERM);

  g_free (line);
  line = read_line (out);
  second = parse_object (line);
  g_assert_cmpint (json_object_get_int_member (second, "status"), ==, 200);
  diagnostics = json_object_get_array_member (second, "diagnostics");
  for (guint i = 0; i < json_array_get_length (diagnostics); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (diagnostics, i), "code"),
                   "tap-stopped") == 0)
      stopped = TRUE;
  g_assert_true (stopped);

  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_thread_join (thread);

  /* The journal of the run cut short holds all that arrived. */
  contents = read_private_file (json_object_get_string_member (second, "journal"));
  g_assert_nonnull (strstr (contents, "response.created"));
  g_assert_null (strstr (contents, KEY));
  sidecar = rf_journal_dup_sidecar_path (json_object_get_string_member (second, "journal"));
  sidecar_text = read_private_file (sidecar);
  g_assert_null (strstr (sidecar_text, KEY));

  g_free (client.uri);
  g_clear_pointer (&client.got, g_bytes_unref);
}

/* Usage errors exit 2 with a message. */
static void
test_cli_usage (void)
{
  const char *inspect = g_getenv ("REFINERY_INSPECT");
  const char *cases[][3] = {
    { "--listen", NULL, NULL },
    { "--upstream=http://127.0.0.1:1", NULL, NULL },
    { "--listen=127.0.0.1:99999", "--upstream=http://127.0.0.1:1", NULL },
    { "--listen", "--upstream=ftp://example.com", NULL },
    { "--listen", "--upstream=http://127.0.0.1:1", "demo" },
  };

  if (inspect == NULL)
    {
      g_test_skip ("REFINERY_INSPECT is not set");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;
      const char *argv[5] = { inspect, cases[i][0], cases[i][1], cases[i][2], NULL };

      process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                   &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      g_assert_true (g_str_has_prefix (err, "refinery-inspect: "));
    }
}

/* A non-loopback address is allowed when asked for, with a warning. */
static void
test_cli_non_loopback_warns (void)
{
  const char *inspect = g_getenv ("REFINERY_INSPECT");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GBytes) err_bytes = NULL;

  if (inspect == NULL)
    {
      g_test_skip ("REFINERY_INSPECT is not set");
      return;
    }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              inspect, "--listen=0.0.0.0:0", "--upstream=http://127.0.0.1:1", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = read_line (out);
  g_assert_true (g_str_has_prefix (line, "Listening on http://0.0.0.0:"));
  g_subprocess_send_signal (process, SIGINT);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  err_bytes = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (process), 4096, NULL, &error);
  g_assert_no_error (error);
  err = g_strndup (g_bytes_get_data (err_bytes, NULL), g_bytes_get_size (err_bytes));
  g_assert_nonnull (strstr (err, "not a loopback address"));
}

int
main (int   argc,
      char *argv[])
{
  rf_http_test_capture_logs ();

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/tap/responses-stream", test_responses_stream);
  g_test_add_func ("/tap/images-stream", test_images_stream);
  g_test_add_func ("/tap/openrouter-stream", test_openrouter_stream);
  g_test_add_func ("/tap/openrouter-chat", test_openrouter_chat);
  g_test_add_func ("/tap/non-stream", test_non_stream);
  g_test_add_func ("/tap/upstream-401", test_upstream_401);
  g_test_add_func ("/tap/key-echoed", test_key_echoed);
  g_test_add_func ("/tap/long-listen", test_long_listen);
  g_test_add_func ("/tap/upstream-500", test_upstream_500);
  g_test_add_func ("/tap/upstream-unreachable", test_upstream_unreachable);
  g_test_add_func ("/tap/concurrent", test_concurrent);
  g_test_add_func ("/tap/byte-identical", test_byte_identical);
  g_test_add_func ("/tap/key-in-query", test_key_in_query);
  g_test_add_func ("/tap/client-disconnect", test_client_disconnect);
  g_test_add_func ("/tap/client-disconnect-silent", test_client_disconnect_silent);
  g_test_add_func ("/tap/decode-behind", test_decode_behind);
  g_test_add_func ("/tap/bad-upstream", test_bad_upstream);
  g_test_add_func ("/tap/stop-mid-stream", test_stop_mid_stream);
  g_test_add_func ("/tap/upstream-drop", test_upstream_drop);
  g_test_add_func ("/tap/cli/json-and-sigterm", test_cli);
  g_test_add_func ("/tap/cli/usage", test_cli_usage);
  g_test_add_func ("/tap/cli/non-loopback-warns", test_cli_non_loopback_warns);

  return g_test_run ();
}
