/*
 * test-generate.c
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

#include <glib/gstdio.h>
#include <string.h>

#include "rf-frame.h"
#include "rf-mock-server.h"
#include "rf-journal.h"
#include "rf-generate-dialog.h"
#include "rf-recorder.h"
#include "rf-request.h"
#include "rf-test-util.h"
#include "rf-ui-test-util.h"
#include "rf-window-private.h"

#define KEY "sk-test-never-shown-0123456789abcdef"

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
session_ended (RfWindow *window)
{
  RfSession *session = rf_window_get_session (window);
  RfSessionState state = session ? rf_session_get_state (session) : RF_SESSION_STATE_IDLE;

  return (state == RF_SESSION_STATE_FINISHED && rf_session_get_finished (session)) ||
         state == RF_SESSION_STATE_FAILED || state == RF_SESSION_STATE_CANCELLED;
}

static RfRequest *
mock_request (RfMockServer *server)
{
  RfRequest *request = rf_request_new ();
  g_autofree char *base = rf_mock_server_dup_url (server, "/v1");
  g_autoptr(GError) error = NULL;

  rf_request_set_prompt (request, "a lighthouse at dusk");
  rf_request_set_provider (request, RF_PROVIDER_CUSTOM);
  rf_request_set_base_url (request, base);
  rf_request_set_partial_images (request, 2);
  g_assert_true (rf_request_validate (request, &error));
  g_assert_no_error (error);

  return request;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));

  return g_strstr_len (contents, len, needle) != NULL;
}

static void
selected_changed_cb (RfSession  *session,
                     GParamSpec *pspec,
                     GPtrArray  *seen)
{
  RfFrame *frame = rf_session_get_selected_frame (session);

  if (frame != NULL && (seen->len == 0 || g_ptr_array_index (seen, seen->len - 1) != frame))
    g_ptr_array_add (seen, g_object_ref (frame));
}

static void
test_generate_streams (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) request = mock_request (server);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_autoptr(GFile) journal = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sidecar = NULL;
  GBytes *stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG, FALSE, NULL);
  RfWindow *window = rf_window_new (NULL);
  const RfMockRequest *sent;
  const char *request_text;
  RfSession *session;
  GStatBuf st;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (10, tick_cb, NULL);

  rf_mock_server_enqueue (server, rf_mock_response_new_events (stream, 120));
  g_bytes_unref (stream);

  gtk_window_present (GTK_WINDOW (window));
  _rf_window_start_generation (window, request, KEY);
  session = rf_window_get_session (window);
  g_assert_nonnull (session);
  g_assert_true (rf_session_get_follow (session));
  g_signal_connect (session, "notify::selected-frame", G_CALLBACK (selected_changed_cb), seen);

  /* While streaming, the canvas shows each new frame as it arrives. */
  while (!session_ended (window) && g_get_monotonic_time () < deadline)
    {
      RfFrame *frame;

      g_main_context_iteration (NULL, TRUE);
      frame = rf_canvas_get_displayed_frame (window->canvas);
      if (frame != NULL && (shown->len == 0 || g_ptr_array_index (shown, shown->len - 1) != frame))
        g_ptr_array_add (shown, frame);
    }
  g_source_remove (tick);
  g_signal_handlers_disconnect_by_func (session, selected_changed_cb, seen);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_false (rf_session_has_errors (session));
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_frames (session)), ==, 3);

  /* Followed: partial 0, partial 1, then the final, in order. */
  g_assert_cmpuint (seen->len, ==, 3);
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpuint (rf_frame_get_index (g_ptr_array_index (seen, i)), ==, i);
  g_assert_cmpuint (shown->len, >=, 2);
  g_assert_true (rf_canvas_get_displayed_frame (window->canvas) ==
                 g_ptr_array_index (seen, seen->len - 1));

  /* The key went to the server, and only there. */
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
  sent = rf_mock_server_get_request (server, 0);
  g_assert_cmpstr (sent->path, ==, "/v1/responses");
  g_assert_nonnull (strstr (g_hash_table_lookup (sent->headers, "authorization"), KEY));

  /* Journalled, private, without the key. */
  journal = _rf_window_dup_journal (window);
  g_assert_nonnull (journal);
  path = g_file_get_path (journal);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (st.st_size, >, 0);
  g_assert_false (file_contains (path, KEY));
  g_assert_true (file_contains (path, "response.image_generation_call.partial_image"));
  sidecar = rf_journal_dup_sidecar_path (path);
  if (g_file_test (sidecar, G_FILE_TEST_EXISTS))
    g_assert_false (file_contains (sidecar, KEY));

  /* The inspector shows the request, and no key. */
  request_text = rf_inspector_get_value (window->inspector, "request");
  g_assert_nonnull (request_text);
  g_assert_nonnull (strstr (request_text, "a lighthouse at dusk"));
  g_assert_null (strstr (request_text, KEY));
  g_assert_cmpstr (rf_inspector_get_value (window->inspector, "state"), ==, "Finished");
  g_assert_null (rf_inspector_get_value (window->inspector, "error"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_generate_401 (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) request = mock_request (server);
  RfMockResponse *resp = rf_mock_response_new (401);
  RfWindow *window = rf_window_new (NULL);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (10, tick_cb, NULL);
  const char *card;

  rf_mock_response_set_body (resp, "application/json",
                             "{\"error\":{\"message\":\"Incorrect API key provided: sk-tes*****cdef.\","
                             "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");
  rf_mock_server_enqueue (server, resp);

  gtk_window_present (GTK_WINDOW (window));
  _rf_window_start_generation (window, request, KEY);
  while (!session_ended (window) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  g_assert_cmpint (rf_session_get_state (rf_window_get_session (window)), ==, RF_SESSION_STATE_FAILED);
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);

  /* The toast and the persistent error card: status, server message. */
  g_assert_nonnull (window->last_toast);
  g_assert_nonnull (strstr (window->last_toast, "401"));
  g_assert_nonnull (strstr (window->last_toast, "Incorrect API key provided"));
  g_assert_null (strstr (window->last_toast, KEY));

  card = rf_inspector_get_value (window->inspector, "error");
  g_assert_nonnull (card);
  g_assert_nonnull (strstr (card, "401"));
  g_assert_nonnull (strstr (card, "Incorrect API key provided"));
  g_assert_null (strstr (card, KEY));
  g_assert_cmpstr (rf_inspector_get_value (window->inspector, "state"), ==, "Failed");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A failed generation keeps its request: Try Again sends it once more,
 * with its key, and shows the new run; Edit and Retry opens the dialog
 * with the prompt filled in. */
static void
test_generate_retry (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) request = mock_request (server);
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 1, RF_IMAGE_FORMAT_PNG, FALSE, NULL);
  RfMockResponse *resp = rf_mock_response_new (400);
  RfWindow *window = rf_window_new (NULL);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (10, tick_cb, NULL);
  const RfMockRequest *first, *second;
  GListModel *toplevels;
  RfGenerateDialog *dialog = NULL;
  GtkTextBuffer *buffer;
  g_autofree char *prompt = NULL;
  GtkTextIter start, end;

  rf_mock_response_set_body (resp, "application/json", "{\"error\":{\"message\":\"Invalid size\"}}");
  rf_mock_server_enqueue (server, resp);
  rf_mock_server_enqueue (server, rf_mock_response_new_events (stream, 5));

  gtk_window_present (GTK_WINDOW (window));
  _rf_window_start_generation (window, request, KEY);
  while (!session_ended (window) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (rf_session_get_state (rf_window_get_session (window)), ==, RF_SESSION_STATE_FAILED);
  g_assert_true (gtk_widget_get_visible (window->retry_button));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "a lighthouse at dusk");

  /* Try Again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.retry", NULL));
  while ((rf_mock_server_get_n_requests (server) < 2 || !session_ended (window)) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  g_assert_cmpint (rf_session_get_state (rf_window_get_session (window)), ==, RF_SESSION_STATE_FINISHED);
  g_assert_false (gtk_widget_get_visible (window->retry_button));
  first = rf_mock_server_get_request (server, 0);
  second = rf_mock_server_get_request (server, 1);
  g_assert_cmpstr (first->path, ==, second->path);
  g_assert_true (g_bytes_equal (first->body, second->body));
  g_assert_nonnull (strstr (g_hash_table_lookup (second->headers, "authorization"), KEY));

  /* Edit and Retry: the dialog, with the prompt. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-retry", NULL));
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (RF_IS_GENERATE_DIALOG (item))
        dialog = RF_GENERATE_DIALOG (item);
    }
  g_assert_nonnull (dialog);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (rf_ui_test_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW)));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  prompt = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (prompt, ==, "a lighthouse at dusk");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A Gemini generation from the app: the key goes in x-goog-api-key and
 * nowhere else (not the URL, the journal, its request record nor the
 * inspector); the thought image and the answer arrive as frames. */
static void
test_generate_gemini (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) request = rf_request_new ();
  g_autoptr(GBytes) thought = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 20, 12, FALSE, 41);
  g_autoptr(GBytes) answer = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 20, 12, FALSE, 42);
  g_autofree char *bt = rf_test_base64 (thought);
  g_autofree char *ba = rf_test_base64 (answer);
  g_autofree char *text = g_strdup_printf (
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"inlineData\": {\"mimeType\": \"image/png\",\"data\": \"%s\"},"
    " \"thought\": true}],\"role\": \"model\"},\"index\": 0}],\"modelVersion\": \"gemini-2.5-flash-image\"}\r\n\r\n"
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"inlineData\": {\"mimeType\": \"image/png\",\"data\": \"%s\"}}],"
    "\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 6,"
    "\"totalTokenCount\": 1296},\"modelVersion\": \"gemini-2.5-flash-image\"}\r\n\r\n", bt, ba);
  g_autoptr(GBytes) stream = g_bytes_new (text, strlen (text));
  g_autoptr(GFile) journal = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sidecar = NULL;
  g_autoptr(GError) error = NULL;
  RfWindow *window = rf_window_new (NULL);
  const RfMockRequest *sent;
  RfSession *session;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (10, tick_cb, NULL);

  g_assert_true (rf_request_set_option (request, "provider", "gemini", &error));
  g_assert_true (rf_request_set_option (request, "base-url", rf_mock_server_get_uri (server), &error));
  g_assert_true (rf_request_set_option (request, "prompt", "a lighthouse at dusk", &error));
  g_assert_true (rf_request_set_option (request, "aspect-ratio", "4:3", &error));
  g_assert_no_error (error);
  rf_mock_server_enqueue (server, rf_mock_response_new_events (stream, 50));

  gtk_window_present (GTK_WINDOW (window));
  _rf_window_start_generation (window, request, KEY);
  session = rf_window_get_session (window);
  while (!session_ended (window) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_false (rf_session_has_errors (session));
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_frames (session)), ==, 2);

  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
  sent = rf_mock_server_get_request (server, 0);
  g_assert_cmpstr (sent->path, ==, "/v1beta/models/gemini-2.5-flash-image:streamGenerateContent");
  g_assert_cmpstr (sent->query, ==, "alt=sse");
  g_assert_cmpstr (g_hash_table_lookup (sent->headers, "x-goog-api-key"), ==, KEY);
  g_assert_null (g_hash_table_lookup (sent->headers, "authorization"));

  journal = _rf_window_dup_journal (window);
  g_assert_nonnull (journal);
  path = g_file_get_path (journal);
  g_assert_false (file_contains (path, KEY));
  g_assert_true (file_contains (path, "inlineData"));
  sidecar = rf_journal_dup_sidecar_path (path);
  g_assert_true (file_contains (sidecar, "\"aspectRatio\":\"4:3\""));
  g_assert_false (file_contains (sidecar, KEY));
  g_assert_null (strstr (rf_inspector_get_value (window->inspector, "request"), KEY));
  g_assert_cmpstr (rf_inspector_get_value (window->inspector, "model"), ==, "gemini-2.5-flash-image");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!rf_ui_test_init (&argc, &argv, RF_UI_TEST_LOOPBACK))
    return g_test_run ();

  g_test_add_func ("/ui/generate/streams", test_generate_streams);
  g_test_add_func ("/ui/generate/401", test_generate_401);
  g_test_add_func ("/ui/generate/retry", test_generate_retry);
  g_test_add_func ("/ui/generate/gemini", test_generate_gemini);

  return g_test_run ();
}
