/*
 * test-image-params.c
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

/* What was asked of each image and what came back, as refinery-inspect
 * --json and the export manifest give them: the request's image fields,
 * the fields the server echoed, the revised prompt, the model and
 * provider; and the warning when an image is not the size it was said
 * to be. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "rf-image-params.h"
#include "rf-journal.h"
#include "rf-test-util.h"

typedef struct
{
  int         status;
  char       *out;
  char       *err;
  JsonParser *parser;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
  g_clear_object (&r->parser);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static gboolean
check_binary (void)
{
  const char *path = g_getenv ("REFINERY_INSPECT");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("REFINERY_INSPECT does not name the built refinery-inspect");
      return FALSE;
    }
  return TRUE;
}

/* refinery-inspect --json [@extra] @path, parsed. */
static void
run_json (Result     *r,
          const char *path,
          const char *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("REFINERY_INSPECT"), "--json", extra ? extra : path, extra ? path : NULL, NULL };

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", rf_test_get_temp_dir (), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  r->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d; stderr: %s", r->status, r->err);

  r->parser = json_parser_new ();
  json_parser_load_from_data (r->parser, r->out, -1, &error);
  g_assert_no_error (error);
}

static JsonObject *
doc (Result *r)
{
  return json_node_get_object (json_parser_get_root (r->parser));
}

static JsonObject *
image (JsonObject *root,
       guint       i)
{
  return json_array_get_object_element (json_object_get_array_member (root, "images"), i);
}

static const char *
field (JsonObject *obj,
       const char *group,
       const char *name)
{
  JsonObject *inner = json_object_get_object_member (obj, group);

  return json_object_get_null_member (inner, name) ? NULL : json_object_get_string_member (inner, name);
}

/* The diagnostic codes, space-separated, in order. */
static char *
codes (JsonObject *root)
{
  JsonArray *diags = json_object_get_array_member (root, "diagnostics");
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (diags); i++)
    g_string_append_printf (s, "%s%s", s->len ? " " : "",
                            json_object_get_string_member (json_array_get_object_element (diags, i), "code"));
  return g_string_free (s, FALSE);
}

static const char *
message (JsonObject *root,
         const char *code)
{
  JsonArray *diags = json_object_get_array_member (root, "diagnostics");

  for (guint i = 0; i < json_array_get_length (diags); i++)
    {
      JsonObject *d = json_array_get_object_element (diags, i);

      if (g_str_equal (json_object_get_string_member (d, "code"), code))
        return json_object_get_string_member (d, "message");
    }
  return NULL;
}

/* @stream written as a journal, with @request (may be NULL) as its
 * request record beside it. */
static char *
write_recording (GBytes     *stream,
                 const char *request)
{
  char *path = rf_test_write_temp_file (stream, ".sse");

  if (request != NULL)
    {
      g_autofree char *sidecar = rf_journal_dup_sidecar_path (path);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (sidecar, request, -1, &error);
      g_assert_no_error (error);
    }

  return path;
}

/* A Responses API run whose server says 1024x1536 of 16×16 pixels: the
 * request's and the echoed fields per image, in --json and in the
 * manifest alike, and one warning naming both sizes. */
static void
test_responses_params (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 1);
  g_autoptr(GBytes) fin = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 2);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = g_build_filename (rf_test_get_temp_dir (), "params-export", NULL);
  g_autofree char *export_arg = g_strconcat ("--export=", dir, NULL);
  g_autofree char *manifest_path = g_build_filename (dir, "manifest.json", NULL);
  g_autoptr(JsonParser) manifest = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_auto(Result) r = { 0 };
  GBytes *partials[] = { p0 };
  JsonObject *img, *final_frame;

  if (!check_binary ())
    return;

  rf_test_stream_set_image_params (s, "1024x1536", "high", "opaque");
  rf_test_stream_created (s, "resp_1", 1);
  rf_test_stream_image_call (s, 0, "ig_1", partials, 1, fin, "A red fox in fresh snow, watercolour");
  rf_test_stream_completed (s, NULL, "ig_1", fin);
  bytes = rf_test_stream_to_bytes (s);
  path = write_recording (bytes, "{\"method\":\"POST\",\"url\":\"https://api.openai.com/v1/responses\","
                                 "\"body\":{\"model\":\"gpt-5\",\"input\":\"a fox\",\"stream\":true,"
                                 "\"tools\":[{\"type\":\"image_generation\",\"model\":\"gpt-image-1\","
                                 "\"partial_images\":1,\"size\":\"1024x1536\",\"quality\":\"high\","
                                 "\"output_format\":\"png\"}]}}");

  run_json (&r, path, export_arg);
  /* A warning: the run still succeeded. */
  g_assert_cmpint (r.status, ==, 0);
  found = codes (doc (&r));
  g_assert_cmpstr (found, ==, "size-mismatch");
  g_assert_cmpstr (message (doc (&r), "size-mismatch"), ==,
                   "Image 1: the server gave its size as 1024x1536, but the image is 16×16");

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (doc (&r), "images")), ==, 1);
  img = image (doc (&r), 0);
  g_assert_cmpint (json_object_get_int_member (img, "lane"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (img, "image"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (img, "revised_prompt"), ==, "A red fox in fresh snow, watercolour");
  g_assert_cmpstr (field (img, "requested", "size"), ==, "1024x1536");
  g_assert_cmpstr (field (img, "requested", "quality"), ==, "high");
  g_assert_cmpstr (field (img, "requested", "output_format"), ==, "png");
  g_assert_null (field (img, "requested", "background"));
  g_assert_null (field (img, "requested", "aspect_ratio"));
  g_assert_cmpstr (field (img, "requested", "model"), ==, "gpt-image-1");
  g_assert_cmpstr (field (img, "echoed", "size"), ==, "1024x1536");
  g_assert_cmpstr (field (img, "echoed", "quality"), ==, "high");
  g_assert_cmpstr (field (img, "echoed", "output_format"), ==, "png");
  g_assert_cmpstr (field (img, "echoed", "background"), ==, "opaque");
  g_assert_cmpint (json_object_get_int_member (img, "width"), ==, 16);

  /* Each frame keeps what its own event said. */
  final_frame = json_array_get_object_element (json_object_get_array_member (doc (&r), "frames"), 1);
  g_assert_cmpstr (json_object_get_string_member (final_frame, "kind"), ==, "final");
  g_assert_cmpstr (field (final_frame, "image_params", "size"), ==, "1024x1536");

  /* The manifest says the same. */
  json_parser_load_from_file (manifest, manifest_path, &error);
  g_assert_no_error (error);
  img = image (json_node_get_object (json_parser_get_root (manifest)), 0);
  g_assert_cmpstr (field (img, "echoed", "quality"), ==, "high");
  g_assert_cmpstr (field (img, "requested", "size"), ==, "1024x1536");
  g_assert_cmpstr (json_object_get_string_member (img, "revised_prompt"), ==, "A red fox in fresh snow, watercolour");
}

/* An Images API stream that echoes no size: the request's is checked;
 * an image of the size said raises nothing. */
static void
test_requested_size_checked (void)
{
  g_autoptr(GBytes) fin = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 16, FALSE, 3);
  g_autofree char *b64 = rf_test_base64 (fin);
  g_autofree char *text = g_strdup_printf ("event: image_generation.completed\n"
                                           "data: {\"type\":\"image_generation.completed\",\"b64_json\":\"%s\","
                                           "\"created_at\":1758000000,\"usage\":{\"total_tokens\":5}}\n\n", b64);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autofree char *wrong = write_recording (bytes, "{\"model\":\"gpt-image-1\",\"prompt\":\"a fox\",\"stream\":true,"
                                                   "\"size\":\"1024x1024\"}");
  g_autofree char *right = write_recording (bytes, "{\"model\":\"gpt-image-1\",\"prompt\":\"a fox\",\"stream\":true,"
                                                   "\"size\":\"24x16\"}");
  g_autoptr(GBytes) said = rf_test_build_stream (RF_TEST_FLAVOR_IMAGES, 1, RF_IMAGE_FORMAT_PNG, FALSE, NULL);
  g_autofree char *plain = write_recording (said, NULL);
  g_autofree char *found = NULL;
  g_auto(Result) r1 = { 0 };
  g_auto(Result) r2 = { 0 };
  g_auto(Result) r3 = { 0 };

  if (!check_binary ())
    return;

  run_json (&r1, wrong, NULL);
  g_assert_cmpint (r1.status, ==, 0);
  g_assert_cmpstr (message (doc (&r1), "size-mismatch"), ==,
                   "Image 1: the request asked for 1024x1024, but the image is 24×16");
  g_assert_null (field (image (doc (&r1), 0), "echoed", "size"));
  g_assert_cmpstr (field (image (doc (&r1), 0), "requested", "size"), ==, "1024x1024");
  g_assert_cmpstr (field (image (doc (&r1), 0), "requested", "model"), ==, "gpt-image-1");

  run_json (&r2, right, NULL);
  found = codes (doc (&r2));
  g_assert_cmpstr (found, ==, "");
  g_clear_pointer (&found, g_free);

  /* The Images API echoes each image's own size: nothing to say. */
  run_json (&r3, plain, NULL);
  found = codes (doc (&r3));
  g_assert_cmpstr (found, ==, "");
  g_assert_cmpstr (field (image (doc (&r3), 0), "echoed", "size"), ==, "16x16");
}

/* Chat completions: the model and provider the stream names, the aspect
 * ratio asked for, nothing echoed. */
static void
test_chat_params (void)
{
  g_autoptr(GBytes) img = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 18, FALSE, 4);
  g_autofree char *b64 = rf_test_base64 (img);
  g_autofree char *text = g_strdup_printf (
    "data: {\"id\":\"gen-1\",\"provider\":\"Google\",\"model\":\"google/gemini-2.5-flash-image\","
    "\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
    "\"images\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,%s\"},\"index\":0}]},"
    "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1290,\"cost\":0.0387}}\n\n"
    "data: [DONE]\n\n", b64);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autofree char *path = write_recording (bytes, "{\"method\":\"POST\",\"url\":\"https://openrouter.ai/api/v1/chat/completions\","
                                                  "\"body\":{\"model\":\"google/gemini-2.5-flash-image\",\"stream\":true,"
                                                  "\"messages\":[{\"role\":\"user\",\"content\":\"a fox\"}],"
                                                  "\"modalities\":[\"image\",\"text\"],\"image_config\":{\"aspect_ratio\":\"16:9\"}}}");
  g_autofree char *found = NULL;
  g_auto(Result) r = { 0 };
  JsonObject *i0;

  if (!check_binary ())
    return;

  run_json (&r, path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  found = codes (doc (&r));
  g_assert_cmpstr (found, ==, "");
  i0 = image (doc (&r), 0);
  g_assert_cmpstr (json_object_get_string_member (i0, "model"), ==, "google/gemini-2.5-flash-image");
  g_assert_cmpstr (json_object_get_string_member (i0, "provider"), ==, "Google");
  g_assert_cmpstr (field (i0, "requested", "aspect_ratio"), ==, "16:9");
  g_assert_null (field (i0, "requested", "size"));
  g_assert_null (field (i0, "echoed", "size"));
  g_assert_cmpint (json_object_get_int_member (i0, "height"), ==, 18);
  /* The run's usage as sent, its cost with its digits. */
  g_assert_nonnull (strstr (r.out, "\"cost\" : 0.0387"));
}

/* The request's fields, wherever a source keeps them. */
static void
test_requested_lookup (void)
{
  static const struct {
    const char  *json;
    RfImageParam param;
    const char  *want;
  } cases[] = {
    { "{\"tools\":[{\"type\":\"web_search\"},{\"type\":\"image_generation\",\"size\":\"1536x1024\"}]}", RF_IMAGE_PARAM_SIZE, "1536x1024" },
    { "{\"body\":{\"size\":\"auto\",\"background\":\"transparent\"}}", RF_IMAGE_PARAM_BACKGROUND, "transparent" },
    { "{\"request\":{\"quality\":\"low\"}}", RF_IMAGE_PARAM_QUALITY, "low" },
    { "{\"contents\":[],\"generationConfig\":{\"imageConfig\":{\"aspectRatio\":\"9:16\"}}}", RF_IMAGE_PARAM_ASPECT_RATIO, "9:16" },
    { "{\"size\":1024}", RF_IMAGE_PARAM_SIZE, NULL },
    { "not json", RF_IMAGE_PARAM_SIZE, NULL },
    { "[\"size\"]", RF_IMAGE_PARAM_SIZE, NULL },
  };
  int w = 0, h = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = rf_image_params_dup_requested (cases[i].json, cases[i].param);

      g_assert_cmpstr (got, ==, cases[i].want);
    }
  g_assert_null (rf_image_params_dup_requested (NULL, RF_IMAGE_PARAM_SIZE));

  g_assert_true (rf_image_params_parse_size ("1024x1536", &w, &h));
  g_assert_cmpint (w, ==, 1024);
  g_assert_cmpint (h, ==, 1536);
  g_assert_false (rf_image_params_parse_size ("auto", &w, &h));
  g_assert_false (rf_image_params_parse_size ("0x5", &w, &h));
  g_assert_false (rf_image_params_parse_size ("10x10x10", &w, &h));
  g_assert_false (rf_image_params_parse_size ("-1x5", &w, &h));
}

/* A recording whose timestamps span 6.2 s, read as fast as possible:
 * its duration is 6.2 s in --json, its summary and the text summary,
 * not the moment it took to read. */
static char *
write_timed_recording (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 5);
  g_autoptr(GBytes) fin = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 6);
  g_autoptr(GBytes) bytes = NULL;

  rf_test_stream_comment (s, "t=0");
  rf_test_stream_created (s, "resp_1", 1);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_comment (s, "t=1800");
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);
  rf_test_stream_comment (s, "t=5900");
  rf_test_stream_item_done (s, 0, "ig_1", fin, NULL);
  rf_test_stream_comment (s, "t=6200");
  rf_test_stream_completed (s, NULL, "ig_1", fin);
  bytes = rf_test_stream_to_bytes (s);

  return write_recording (bytes, NULL);
}

static void
test_recorded_duration (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GSubprocess) text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(Result) r = { 0 };
  JsonObject *summary;

  if (!check_binary ())
    return;

  path = write_timed_recording ();
  run_json (&r, path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (doc (&r), "duration_ms"), ==, 6200);
  summary = json_object_get_object_member (doc (&r), "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "duration_ms"), ==, 6200);
  g_assert_cmpint (json_object_get_int_member (summary, "first_partial_ms"), ==, 1800);
  g_assert_cmpint (json_object_get_int_member (summary, "final_ms"), ==, 5900);

  text = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("REFINERY_INSPECT"), path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (text, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, " in 6.20 s\n"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image-params/responses", test_responses_params);
  g_test_add_func ("/image-params/requested-size", test_requested_size_checked);
  g_test_add_func ("/image-params/chat", test_chat_params);
  g_test_add_func ("/image-params/requested-lookup", test_requested_lookup);
  g_test_add_func ("/run/recorded-duration", test_recorded_duration);

  return g_test_run ();
}
