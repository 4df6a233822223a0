/*
 * test-live-formats.c
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

/* Live generations in the two formats that are not OpenAI's image APIs:
 * OpenRouter chat completions with image output, and Google's Gemini
 * streamGenerateContent. What is sent (path, headers, body), what the
 * answer becomes (frames, pixels, exit status), and that the key is
 * nowhere but in its header. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "rf-frame.h"
#include "rf-http-source.h"
#include "rf-http-test-util.h"
#include "rf-journal.h"
#include "rf-recorder.h"
#include "rf-request.h"
#include "rf-session.h"
#include "rf-test-util.h"

#define KEY "AIzaSy-test-Kq7vB2mXr9-never-show-me-8d1e"

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static RfSession *
run_source (RfSource *source)
{
  RfSession *session = rf_session_new ();
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, wake_cb, NULL);

  rf_session_start (session, source);
  while (!rf_session_get_finished (session))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);

  return session;
}

static RfSource *
new_source (RfRequest *req)
{
  RfSource *source = rf_http_source_new_for_request (req, KEY);

  rf_http_source_set_retry_delays (RF_HTTP_SOURCE (source), 10, 100);
  return source;
}

static JsonObject *
parse_object (GBytes     *bytes,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* Two images of 24×16 and 16×24 pixels, different in every pixel. */
static GPtrArray *
make_images (void)
{
  GPtrArray *images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_ptr_array_add (images, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 16, TRUE, 11));
  g_ptr_array_add (images, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 24, FALSE, 12));
  return images;
}

/* OpenRouter's chat completions stream: a processing comment, text, one
 * image per chunk, the usage chunk with its cost, [DONE]. */
static GBytes *
chat_stream (GPtrArray *images)
{
  GString *s = g_string_new (": OPENROUTER PROCESSING\n\n");
  const char *head = "{\"id\":\"gen-1757000000-live\",\"provider\":\"Google\","
                     "\"model\":\"google/gemini-2.5-flash-image\","
                     "\"object\":\"chat.completion.chunk\",\"created\":1757000000,";

  g_string_append_printf (s, "data: %s\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                          "\"content\":\"A lighthouse at dusk.\"},\"finish_reason\":null}]}\n\n", head);
  for (guint i = 0; i < images->len; i++)
    {
      g_autofree char *b64 = rf_test_base64 (g_ptr_array_index (images, i));

      g_string_append_printf (s, "data: %s\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                              "\"content\":\"\",\"images\":[{\"type\":\"image_url\",\"image_url\":"
                              "{\"url\":\"data:image/png;base64,%s\"},\"index\":%u}]},"
                              "\"finish_reason\":null}]}\n\n", head, b64, i);
      g_string_append (s, ": OPENROUTER PROCESSING\n\n");
    }
  g_string_append_printf (s, "data: %s\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                          "\"content\":\"\"},\"finish_reason\":\"stop\",\"native_finish_reason\":\"STOP\"}],"
                          "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2580,\"total_tokens\":2589,"
                          "\"cost\":0.0774,\"completion_tokens_details\":{\"image_tokens\":2580}}}\n\n", head);
  g_string_append (s, "data: [DONE]\n\n");

  return g_string_free_to_bytes (s);
}

/* Gemini's stream: CRLF, data lines only, no [DONE]; a thought image
 * (a preview) and then the answer's image; the last chunk finishes. */
static GBytes *
gemini_stream (GPtrArray *images)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < images->len; i++)
    {
      g_autofree char *b64 = rf_test_base64 (g_ptr_array_index (images, i));
      gboolean last = i + 1 == images->len;

      g_string_append_printf (s, "data: {\"candidates\": [{\"content\": {\"parts\": [{\"inlineData\": "
                              "{\"mimeType\": \"image/png\",\"data\": \"%s\"}%s}],\"role\": \"model\"},"
                              "%s\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 7,"
                              "\"totalTokenCount\": %u},\"modelVersion\": \"gemini-2.5-flash-image\","
                              "\"responseId\": \"Xk3aaPqLBbGv1dkP\"}\r\n\r\n",
                              b64, last ? "" : ", \"thought\": true",
                              last ? "\"finishReason\": \"STOP\"," : "", 7 + 1290 * (i + 1));
    }

  return g_string_free_to_bytes (s);
}

static RfRequest *
chat_request (RfMockServer *server)
{
  RfRequest *req = rf_request_new ();
  g_autofree char *base = rf_mock_server_dup_url (server, "/api/v1");
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_request_set_option (req, "api", "chat", &error));
  g_assert_true (rf_request_set_option (req, "provider", "openrouter", &error));
  g_assert_true (rf_request_set_option (req, "base-url", base, &error));
  g_assert_true (rf_request_set_option (req, "prompt", "A lighthouse at dusk", &error));
  g_assert_true (rf_request_set_option (req, "aspect-ratio", "16:9", &error));
  g_assert_no_error (error);

  return req;
}

static RfRequest *
gemini_request (RfMockServer *server)
{
  RfRequest *req = rf_request_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_request_set_option (req, "provider", "gemini", &error));
  g_assert_true (rf_request_set_option (req, "base-url", rf_mock_server_get_uri (server), &error));
  g_assert_true (rf_request_set_option (req, "prompt", "A lighthouse at dusk", &error));
  g_assert_true (rf_request_set_option (req, "aspect-ratio", "1:1", &error));
  g_assert_no_error (error);

  return req;
}

/* POST {base}/chat/completions with the key as a bearer token, image and
 * text modalities and the aspect ratio; each image is a final frame. */
static void
test_chat_live (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = make_images ();
  g_autoptr(GBytes) stream = chat_stream (images);
  g_autoptr(RfRequest) req = chat_request (server);
  g_autoptr(RfSource) source = new_source (req);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const RfMockRequest *r;
  JsonObject *body, *message;
  JsonArray *modalities;

  rf_mock_server_enqueue (server, rf_mock_response_new_events (stream, 20));
  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_null (rf_session_get_error (session));
  g_assert_false (rf_session_has_errors (session));
  rf_http_test_assert_frames (session, images, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (rf_session_get_frames (session), i);

      g_assert_cmpint (rf_frame_get_kind (frame), ==, RF_FRAME_KIND_FINAL);
      g_assert_cmpint (rf_frame_get_width (frame), ==, i == 0 ? 24 : 16);
    }
  /* Nothing asked for partials: none are missed. */
  g_assert_cmpint (rf_session_get_requested_partials (session), ==, -1);
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "partials-ignored"), ==, 0);

  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
  r = rf_mock_server_get_request (server, 0);
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->path, ==, "/api/v1/chat/completions");
  g_assert_null (r->query);
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "authorization"), ==, "Bearer " KEY);
  g_assert_null (g_hash_table_lookup (r->headers, "x-goog-api-key"));
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "x-title"), ==, "Refinery");

  body = parse_object (r->body, parser);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "google/gemini-2.5-flash-image");
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  modalities = json_object_get_array_member (body, "modalities");
  g_assert_cmpuint (json_array_get_length (modalities), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (modalities, 0), ==, "image");
  g_assert_cmpstr (json_array_get_string_element (modalities, 1), ==, "text");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "messages")), ==, 1);
  message = json_array_get_object_element (json_object_get_array_member (body, "messages"), 0);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, "A lighthouse at dusk");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "image_config"),
                                                  "aspect_ratio"), ==, "16:9");
  /* The Responses and Images APIs' fields are not sent. */
  g_assert_false (json_object_has_member (body, "partial_images"));
  g_assert_false (json_object_has_member (body, "tools"));
  g_assert_false (json_object_has_member (body, "size"));

  rf_http_test_assert_no_secret (session, KEY);
}

/* POST {base}/v1beta/models/{model}:streamGenerateContent?alt=sse with
 * the key in x-goog-api-key only; a thought image is a partial, the
 * answer's image the final. */
static void
test_gemini_live (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = make_images ();
  g_autoptr(GBytes) stream = gemini_stream (images);
  g_autoptr(RfRequest) req = gemini_request (server);
  g_autoptr(RfSource) source = new_source (req);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *redacted = NULL;
  const RfMockRequest *r;
  JsonObject *body, *config, *content;
  JsonArray *modalities;

  rf_mock_server_enqueue (server, rf_mock_response_new_events (stream, 20));
  session = run_source (source);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_null (rf_session_get_error (session));
  g_assert_false (rf_session_has_errors (session));
  rf_http_test_assert_frames (session, images, 2);
  {
    g_autoptr(RfFrame) first = g_list_model_get_item (rf_session_get_frames (session), 0);
    g_autoptr(RfFrame) last = g_list_model_get_item (rf_session_get_frames (session), 1);

    g_assert_cmpint (rf_frame_get_kind (first), ==, RF_FRAME_KIND_PARTIAL);
    g_assert_cmpint (rf_frame_get_kind (last), ==, RF_FRAME_KIND_FINAL);
    g_assert_cmpint (rf_frame_get_height (last), ==, 24);
  }

  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
  r = rf_mock_server_get_request (server, 0);
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->path, ==, "/v1beta/models/gemini-2.5-flash-image:streamGenerateContent");
  g_assert_cmpstr (r->query, ==, "alt=sse");
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "x-goog-api-key"), ==, KEY);
  g_assert_null (g_hash_table_lookup (r->headers, "authorization"));
  g_assert_null (strstr (r->path, KEY));
  g_assert_null (strstr (r->query, KEY));
  g_assert_null (strstr (r->query, "key="));

  body = parse_object (r->body, parser);
  content = json_array_get_object_element (json_object_get_array_member (body, "contents"), 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (content, "parts"), 0),
                                                  "text"), ==, "A lighthouse at dusk");
  config = json_object_get_object_member (body, "generationConfig");
  modalities = json_object_get_array_member (config, "responseModalities");
  g_assert_cmpuint (json_array_get_length (modalities), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (modalities, 0), ==, "TEXT");
  g_assert_cmpstr (json_array_get_string_element (modalities, 1), ==, "IMAGE");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (config, "imageConfig"),
                                                  "aspectRatio"), ==, "1:1");
  g_assert_false (json_object_has_member (body, "model"));

  /* What a journal keeps of the request: the URL and body, no key. */
  redacted = rf_http_source_dup_redacted_request_json (RF_HTTP_SOURCE (source));
  g_assert_nonnull (strstr (redacted, ":streamGenerateContent?alt=sse"));
  g_assert_null (strstr (redacted, KEY));

  rf_http_test_assert_no_secret (session, KEY);
}

/* Google answers a wrong key with 400 and the reason API_KEY_INVALID: an
 * authentication error that names the reason and where keys come from,
 * asked once; the key it echoes is taken out. */
static void
test_gemini_bad_key (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) req = gemini_request (server);
  g_autoptr(RfSource) source = new_source (req);
  g_autoptr(RfSession) session = NULL;
  RfMockResponse *resp = rf_mock_response_new (400);
  const GError *error;

  rf_mock_response_set_body (resp, "application/json",
    "{\"error\": {\"code\": 400, \"message\": \"API key not valid. Please pass a valid API key. (" KEY ")\","
    "\"status\": \"INVALID_ARGUMENT\", \"details\": [{\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\","
    "\"reason\": \"API_KEY_INVALID\", \"domain\": \"googleapis.com\"}]}}");
  rf_mock_server_enqueue (server, resp);
  session = run_source (source);

  error = rf_session_get_error (session);
  g_assert_error ((GError *) error, RF_ERROR, RF_ERROR_AUTH);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "HTTP 400: API key not valid. Please pass a valid API key."));
  g_assert_nonnull (strstr (error->message, "(API_KEY_INVALID)"));
  g_assert_nonnull (strstr (error->message, "Google refused the API key"));
  g_assert_nonnull (strstr (error->message, "GEMINI_API_KEY"));
  g_assert_null (strstr (error->message, "(400)"));
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
  rf_http_test_assert_no_secret (session, KEY);
}

/* 403 from Google (the API is not enabled for the key's project) and 429
 * from OpenRouter (asked again, then given up): each says who refused
 * and what to check. */
static void
test_refusals_read_well (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(RfRequest) gemini = gemini_request (server);
  g_autoptr(RfRequest) chat = chat_request (server);
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfSession) session = NULL;
  RfMockResponse *resp;
  const GError *error;

  resp = rf_mock_response_new (403);
  rf_mock_response_set_body (resp, "application/json",
    "{\"error\": {\"code\": 403, \"message\": \"Generative Language API has not been used in project 42 "
    "before or it is disabled.\", \"status\": \"PERMISSION_DENIED\"}}");
  rf_mock_server_enqueue (server, resp);
  source = new_source (gemini);
  session = run_source (source);
  error = rf_session_get_error (session);
  g_assert_error ((GError *) error, RF_ERROR, RF_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==,
                   "HTTP 403: Generative Language API has not been used in project 42 before or it is disabled. "
                   "(PERMISSION_DENIED) — Google refused the API key: check the key typed, or "
                   "REFINERY_API_KEY and GEMINI_API_KEY");
  g_clear_object (&session);
  g_clear_object (&source);

  for (guint i = 0; i < 3; i++)
    {
      resp = rf_mock_response_new (429);
      rf_mock_response_set_body (resp, "application/json",
        "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded: free-models-per-min.\",\"metadata\":{}}}");
      rf_mock_server_enqueue (server, resp);
    }
  source = new_source (chat);
  session = run_source (source);
  error = rf_session_get_error (session);
  g_assert_error ((GError *) error, RF_ERROR, RF_ERROR_HTTP);
  g_assert_cmpstr (error->message, ==,
                   "HTTP 429: Rate limit exceeded: free-models-per-min. — OpenRouter’s rate limit or quota "
                   "was reached: wait, or check the account’s limits");
  g_assert_cmpuint (rf_http_test_count_diagnostics (session, "retry"), ==, 2);
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1 + 3);
}

/* What the options accept and what they refuse, before anything is sent. */
static void
test_options_checked (void)
{
  static const char * const bad_ratios[] = { "16x9", "0:1", "1:0", "1:", ":1", "1:2:3", "101:1", "a:b", "-1:2", " 1:1" };
  g_autoptr(RfRequest) req = rf_request_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_ratios); i++)
    {
      g_assert_false (rf_request_set_option (req, "aspect-ratio", bad_ratios[i], &error));
      g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_PARAMETER);
      g_assert_nonnull (strstr (error->message, "aspect-ratio"));
      g_clear_error (&error);
    }
  g_assert_true (rf_request_set_option (req, "aspect-ratio", "21:9", &error));
  g_assert_no_error (error);

  rf_request_set_prompt (req, "a lighthouse");
  /* An aspect ratio is for chat completions and Gemini only. */
  g_assert_false (rf_request_validate (req, &error));
  g_assert_nonnull (strstr (error->message, "aspect-ratio"));
  g_clear_error (&error);

  /* OpenAI's own chat completions make no images. */
  g_assert_true (rf_request_set_option (req, "api", "chat", &error));
  g_assert_false (rf_request_validate (req, &error));
  g_assert_nonnull (strstr (error->message, "Invalid api"));
  g_clear_error (&error);
  g_assert_true (rf_request_set_option (req, "provider", "openrouter", &error));
  g_assert_true (rf_request_validate (req, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rf_request_get_partial_images (req), ==, -1);

  /* A size would be dropped by these APIs: refused instead. */
  g_assert_true (rf_request_set_option (req, "size", "1024x1024", &error));
  g_assert_false (rf_request_validate (req, &error));
  g_assert_nonnull (strstr (error->message, "Invalid size"));
  g_clear_error (&error);
  rf_request_set_size (req, NULL);

  /* Gemini: its own API, its own key variables, its own default model. */
  g_assert_true (rf_request_set_option (req, "provider", "gemini", &error));
  g_assert_false (rf_request_validate (req, &error));
  g_assert_nonnull (strstr (error->message, "Invalid api"));
  g_clear_error (&error);
  rf_request_set_api (req, RF_REQUEST_API_RESPONSES);
  g_assert_true (rf_request_validate (req, &error));
  g_assert_no_error (error);
  {
    g_autofree char *uri = rf_request_dup_endpoint_uri (req);

    g_assert_cmpstr (uri, ==, "https://generativelanguage.googleapis.com/v1beta/models/"
                              "gemini-2.5-flash-image:streamGenerateContent?alt=sse");
  }
  g_assert_true (rf_request_set_option (req, "image-model", "models/gemini-3-pro-image-preview", &error));
  {
    g_autofree char *uri = rf_request_dup_endpoint_uri (req);

    g_assert_true (g_str_has_suffix (uri, "/v1beta/models/gemini-3-pro-image-preview:streamGenerateContent?alt=sse"));
  }
  g_assert_true (rf_request_set_option (req, "background-mode", NULL, &error));
  g_assert_false (rf_request_validate (req, &error));
  g_clear_error (&error);
}

/* The key's variables: GEMINI_API_KEY, else GOOGLE_API_KEY; REFINERY_API_KEY
 * before both. */
static void
test_gemini_key_lookup (void)
{
  g_autofree char *key = NULL;

  g_unsetenv ("REFINERY_API_KEY");
  g_setenv ("GOOGLE_API_KEY", "google-key", TRUE);
  g_unsetenv ("GEMINI_API_KEY");
  key = rf_request_lookup_api_key (RF_PROVIDER_GEMINI);
  g_assert_cmpstr (key, ==, "google-key");
  g_clear_pointer (&key, g_free);

  g_setenv ("GEMINI_API_KEY", "gemini-key\n", TRUE);
  key = rf_request_lookup_api_key (RF_PROVIDER_GEMINI);
  g_assert_cmpstr (key, ==, "gemini-key");
  g_clear_pointer (&key, g_free);

  g_setenv ("REFINERY_API_KEY", "refinery-key", TRUE);
  key = rf_request_lookup_api_key (RF_PROVIDER_GEMINI);
  g_assert_cmpstr (key, ==, "refinery-key");
  g_clear_pointer (&key, g_free);

  g_unsetenv ("REFINERY_API_KEY");
  g_unsetenv ("GEMINI_API_KEY");
  g_unsetenv ("GOOGLE_API_KEY");
  g_assert_null (rf_request_lookup_api_key (RF_PROVIDER_GEMINI));
}

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* refinery-inspect @args with only @key_var set to the key. */
static void
run_inspect (Run                *r,
             const char         *key_var,
             const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  static const char * const vars[] = {
    "REFINERY_API_KEY", "OPENAI_API_KEY", "OPENROUTER_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY",
  };

  g_ptr_array_add (argv, (char *) g_getenv ("REFINERY_INSPECT"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    g_subprocess_launcher_unsetenv (launcher, vars[i]);
  g_subprocess_launcher_setenv (launcher, key_var, KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", rf_test_get_temp_dir (), TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  r->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d; stderr: %s", r->status, r->err);
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

static gboolean
file_holds (const char *path,
            const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_strstr_len (contents, len, needle) != NULL;
}

static void
assert_exported (const char *dir,
                 const char *name,
                 GBytes     *image)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) got = gdk_pixbuf_new_from_file (path, &error);
  g_autoptr(GdkPixbuf) want = rf_test_decode (image);

  g_assert_no_error (error);
  g_assert_true (rf_test_pixbufs_equal (got, want));
}

/* refinery-inspect --prompt --provider gemini, the key in GOOGLE_API_KEY:
 * exit 0, the frames and their pixels, a journal and its request record
 * without the key, and no key printed. */
static void
test_inspect_gemini (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = make_images ();
  g_autoptr(GBytes) stream = gemini_stream (images);
  g_autofree char *journal = g_build_filename (rf_test_get_temp_dir (), "gemini-live.sse", NULL);
  g_autofree char *dir = g_build_filename (rf_test_get_temp_dir (), "gemini-live", NULL);
  g_autofree char *record_arg = g_strconcat ("--record=", journal, NULL);
  g_autofree char *export_arg = g_strconcat ("--export=", dir, NULL);
  g_autofree char *sidecar = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Run) r = { 0 };
  const RfMockRequest *sent;
  JsonArray *frames;

  if (!have_inspect ())
    return;

  rf_mock_server_enqueue (server, rf_mock_response_new_events (stream, 20));
  run_inspect (&r, "GOOGLE_API_KEY", (const char *[]) {
    "--json", "--prompt", "A lighthouse at dusk", "--provider", "gemini",
    "--base-url", rf_mock_server_get_uri (server), "--aspect-ratio", "3:2",
    record_arg, export_arg, NULL });

  g_assert_cmpint (r.status, ==, 0);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  frames = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "frames");
  g_assert_cmpuint (json_array_get_length (frames), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (frames, 0), "kind"), ==, "partial");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (frames, 1), "kind"), ==, "final");
  assert_exported (dir, "image-1-partial-0.png", g_ptr_array_index (images, 0));
  assert_exported (dir, "image-1-final.png", g_ptr_array_index (images, 1));

  sent = rf_mock_server_get_request (server, 0);
  g_assert_cmpstr (g_hash_table_lookup (sent->headers, "x-goog-api-key"), ==, KEY);
  g_assert_cmpstr (sent->query, ==, "alt=sse");
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (sent->body, NULL), g_bytes_get_size (sent->body),
                                  "\"aspectRatio\":\"3:2\""));

  g_assert_null (strstr (r.out, KEY));
  g_assert_null (strstr (r.err, KEY));
  g_assert_false (file_holds (journal, KEY));
  sidecar = rf_journal_dup_sidecar_path (journal);
  g_assert_true (file_holds (sidecar, ":streamGenerateContent?alt=sse"));
  g_assert_true (file_holds (sidecar, "A lighthouse at dusk"));
  g_assert_false (file_holds (sidecar, KEY));
  g_assert_false (file_holds (sidecar, "x-goog-api-key"));
}

/* refinery-inspect --prompt --api chat --provider openrouter: exit 0 and
 * the images; without a key, exit 2 naming the variable to set. */
static void
test_inspect_chat (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = make_images ();
  g_autoptr(GBytes) stream = chat_stream (images);
  g_autofree char *base = rf_mock_server_dup_url (server, "/api/v1");
  g_autofree char *dir = g_build_filename (rf_test_get_temp_dir (), "chat-live", NULL);
  g_autofree char *export_arg = g_strconcat ("--export=", dir, NULL);
  g_auto(Run) r = { 0 };
  g_auto(Run) nokey = { 0 };
  g_auto(Run) bad = { 0 };

  if (!have_inspect ())
    return;

  rf_mock_server_enqueue (server, rf_mock_response_new_events (stream, 20));
  run_inspect (&r, "OPENROUTER_API_KEY", (const char *[]) {
    "--prompt", "A lighthouse at dusk", "--api", "chat", "--provider", "openrouter",
    "--base-url", base, export_arg, NULL });
  g_assert_cmpint (r.status, ==, 0);
  assert_exported (dir, "image-1-final.png", g_ptr_array_index (images, 0));
  assert_exported (dir, "image-2-final.png", g_ptr_array_index (images, 1));
  g_assert_cmpstr (rf_mock_server_get_request (server, 0)->path, ==, "/api/v1/chat/completions");
  g_assert_null (strstr (r.out, KEY));
  g_assert_null (strstr (r.err, KEY));

  /* Only a Gemini key is set: not OpenRouter's, so nothing is sent. */
  run_inspect (&nokey, "GEMINI_API_KEY", (const char *[]) {
    "--prompt", "A lighthouse at dusk", "--api", "chat", "--provider", "openrouter",
    "--base-url", base, NULL });
  g_assert_cmpint (nokey.status, ==, 2);
  g_assert_nonnull (strstr (nokey.err, "OPENROUTER_API_KEY"));
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);

  run_inspect (&bad, "OPENROUTER_API_KEY", (const char *[]) {
    "--prompt", "A lighthouse at dusk", "--api", "chat", "--provider", "openrouter",
    "--aspect-ratio", "16x9", NULL });
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "Invalid aspect-ratio"));
  g_assert_cmpuint (rf_mock_server_get_n_requests (server), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  rf_http_test_capture_logs ();

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/live-formats/chat", test_chat_live);
  g_test_add_func ("/live-formats/gemini", test_gemini_live);
  g_test_add_func ("/live-formats/gemini-bad-key", test_gemini_bad_key);
  g_test_add_func ("/live-formats/refusals", test_refusals_read_well);
  g_test_add_func ("/live-formats/options", test_options_checked);
  g_test_add_func ("/live-formats/gemini-key-lookup", test_gemini_key_lookup);
  g_test_add_func ("/live-formats/inspect-gemini", test_inspect_gemini);
  g_test_add_func ("/live-formats/inspect-chat", test_inspect_chat);

  return g_test_run ();
}
