/*
 * test-formats.c
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

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-event.h"
#include "rf-test-util.h"

/* Every wire format Refinery recognises by content, end to end through
 * refinery-inspect: the frames it makes, their pixels, the exit status
 * and the diagnostics. The streams are written here in each format's
 * wire shape (docs/FORMATS.md) around images made by the test, so the
 * pixels to expect are known. */

typedef struct
{
  int        status;
  char      *out;
  char      *err;
  JsonNode  *json;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
  g_clear_pointer (&r->json, json_node_unref);
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

static char *
bytes_to_string (GBytes *bytes)
{
  gsize len = bytes ? g_bytes_get_size (bytes) : 0;
  char *s = g_malloc (len + 1);

  if (len > 0)
    memcpy (s, g_bytes_get_data (bytes, NULL), len);
  s[len] = 0;
  return s;
}

static void run_mode (Result *r, const char *mode, const char *path, const char *extra);

/* refinery-inspect --json [@extra] @path; the document is parsed. */
static void
run_json (Result     *r,
          const char *path,
          const char *extra)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  run_mode (r, "--json", path, extra);
  json_parser_load_from_data (parser, r->out, -1, &error);
  g_assert_no_error (error);
  r->json = json_node_copy (json_parser_get_root (parser));
}

static void
run_mode (Result     *r,
          const char *mode,
          const char *path,
          const char *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[5] = { g_getenv ("REFINERY_INSPECT"), mode, NULL, NULL, NULL };

  if (extra != NULL)
    {
      argv[2] = extra;
      argv[3] = path;
    }
  else
    argv[2] = path;

  g_subprocess_launcher_unsetenv (launcher, "REFINERY_API_KEY");
  g_subprocess_launcher_unsetenv (launcher, "OPENAI_API_KEY");
  g_subprocess_launcher_unsetenv (launcher, "OPENROUTER_API_KEY");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", rf_test_get_temp_dir (), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  r->status = g_subprocess_get_exit_status (process);
  r->out = bytes_to_string (out);
  r->err = bytes_to_string (err);
  g_test_message ("exit %d; stderr: %s", r->status, r->err);
}

static JsonObject *
doc (Result *r)
{
  return json_node_get_object (r->json);
}

static JsonArray *
frames (Result *r)
{
  return json_object_get_array_member (doc (r), "frames");
}

static JsonObject *
frame (Result *r,
       guint   i)
{
  return json_array_get_object_element (frames (r), i);
}

/* The diagnostic codes, space-separated, in order. */
static char *
diagnostic_codes (Result *r)
{
  JsonArray *diags = json_object_get_array_member (doc (r), "diagnostics");
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (diags); i++)
    {
      JsonObject *d = json_array_get_object_element (diags, i);
      g_string_append_printf (s, "%s%s", s->len ? " " : "", json_object_get_string_member (d, "code"));
    }
  return g_string_free (s, FALSE);
}

static const char *
diagnostic_message (Result     *r,
                    const char *code)
{
  JsonArray *diags = json_object_get_array_member (doc (r), "diagnostics");

  for (guint i = 0; i < json_array_get_length (diags); i++)
    {
      JsonObject *d = json_array_get_object_element (diags, i);
      if (g_str_equal (json_object_get_string_member (d, "code"), code))
        return json_object_get_string_member (d, "message");
    }
  return NULL;
}

static char *
write_stream (GString    *s,
              const char *suffix)
{
  g_autoptr(GBytes) bytes = g_bytes_new (s->str, s->len);
  return rf_test_write_temp_file (bytes, suffix);
}

static char *
b64 (GBytes *image)
{
  return rf_test_base64 (image);
}

/* The frame @i, exported by refinery-inspect --export into @dir, has the
 * pixels of @image. */
static void
assert_exported_pixels (const char *dir,
                        const char *file,
                        GBytes     *image)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) got = gdk_pixbuf_new_from_file (path, &error);
  g_autoptr(GdkPixbuf) want = rf_test_decode (image);

  g_assert_no_error (error);
  g_assert_true (rf_test_pixbufs_equal (got, want));
}

static char *
export_dir (const char *name)
{
  return g_build_filename (rf_test_get_temp_dir (), name, NULL);
}

/* OpenRouter chat completions with image modalities: a comment, a role
 * chunk, text, two images in one delta and one on a second choice, the
 * finish chunk with usage and cost, [DONE]. */
static void
test_chat (void)
{
  g_autoptr(GBytes) img0 = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 16, TRUE, 1);
  g_autoptr(GBytes) img1 = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 24, FALSE, 2);
  g_autoptr(GBytes) img2 = rf_test_make_image (RF_IMAGE_FORMAT_JPEG, 32, 32, FALSE, 3);
  g_autofree char *b0 = b64 (img0), *b1 = b64 (img1), *b2 = b64 (img2);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *dir = export_dir ("chat");
  g_autofree char *export_arg = g_strdup_printf ("--export=%s", dir);
  g_autofree char *codes = NULL;
  g_auto(Result) r = { 0 };
  const char *head = "{\"id\":\"gen-1757000000-abc\",\"provider\":\"Google\","
                     "\"model\":\"google/gemini-2.5-flash-image-preview\","
                     "\"object\":\"chat.completion.chunk\",\"created\":1757000000,";

  if (!check_binary ())
    return;

  g_string_append (s, ": OPENROUTER PROCESSING\n\n");
  g_string_append_printf (s, "data: %s\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Here are \"},"
                          "\"finish_reason\":null,\"native_finish_reason\":null,\"logprobs\":null}]}\n\n", head);
  g_string_append_printf (s, "data: %s\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
                          "\"images\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,%s\"},\"index\":0},"
                          "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,%s\"},\"index\":1}]},"
                          "\"finish_reason\":null,\"native_finish_reason\":null,\"logprobs\":null}]}\n\n", head, b0, b1);
  g_string_append (s, ": OPENROUTER PROCESSING\n\n");
  g_string_append_printf (s, "data: %s\"choices\":[{\"index\":1,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
                          "\"images\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/jpeg;base64,%s\"},\"index\":0}]},"
                          "\"finish_reason\":null}]}\n\n", head, b2);
  g_string_append_printf (s, "data: %s\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                          "\"finish_reason\":\"stop\",\"native_finish_reason\":\"STOP\",\"logprobs\":null}],"
                          "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1299,\"total_tokens\":1311,"
                          "\"cost\":0.0387,\"completion_tokens_details\":{\"reasoning_tokens\":0,\"image_tokens\":1290}}}\n\n", head);
  g_string_append (s, "data: [DONE]\n\n");
  path = write_stream (s, ".sse");

  run_json (&r, path, export_arg);
  g_assert_cmpint (r.status, ==, 0);
  codes = diagnostic_codes (&r);
  g_assert_cmpstr (codes, ==, "");
  g_assert_cmpstr (json_object_get_string_member (doc (&r), "state"), ==, "finished");
  g_assert_cmpint (json_object_get_int_member (doc (&r), "lanes"), ==, 3);
  g_assert_cmpuint (json_array_get_length (frames (&r)), ==, 3);

  /* One final per image, each in its own lane, in order of arrival. */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpstr (json_object_get_string_member (frame (&r, i), "kind"), ==, "final");
      g_assert_cmpint (json_object_get_int_member (frame (&r, i), "lane"), ==, i);
      g_assert_true (json_object_get_boolean_member (frame (&r, i), "decoded"));
    }
  g_assert_cmpint (json_object_get_int_member (frame (&r, 0), "width"), ==, 24);
  g_assert_cmpint (json_object_get_int_member (frame (&r, 1), "width"), ==, 16);
  g_assert_cmpstr (json_object_get_string_member (frame (&r, 2), "format"), ==, "jpeg");
  /* The second choice's image: its lane says which choice it came from. */
  g_assert_cmpint (json_object_get_int_member (frame (&r, 2), "output_index"), ==, 1);

  assert_exported_pixels (dir, "image-1-final.png", img0);
  assert_exported_pixels (dir, "image-2-final.png", img1);
  /* What the stream says of itself, as sent: the cost keeps its digits. */
  g_assert_cmpstr (json_object_get_string_member (doc (&r), "format"), ==, "OpenAI chat completions");
  g_assert_cmpstr (json_object_get_string_member (doc (&r), "model"), ==, "google/gemini-2.5-flash-image-preview");
  g_assert_cmpstr (json_object_get_string_member (doc (&r), "provider"), ==, "Google");
  g_assert_nonnull (strstr (r.out, "\"cost\" : 0.0387,"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (doc (&r), "usage"),
                                                                              "completion_tokens_details"), "image_tokens"), ==, 1290);
  /* Decode times in milliseconds to the microsecond, never 17 digits. */
  for (guint i = 0; i < 3; i++)
    {
      double ms = json_object_get_double_member (frame (&r, i), "decode_ms");
      g_assert_cmpfloat (fabs (ms * 1000 - round (ms * 1000)), <, 1e-6);
    }
  g_assert_false (g_regex_match_simple ("[0-9]\\.[0-9]{12,}", r.out, 0, 0));
}

/* The stream of a chat model that answered in words only. */
static void
test_chat_text_only (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *codes = NULL;
  g_auto(Result) r = { 0 };

  if (!check_binary ())
    return;

  g_string_append (s, ": OPENROUTER PROCESSING\n\n");
  g_string_append (s, "data: {\"id\":\"gen-2\",\"provider\":\"OpenAI\",\"model\":\"openai/gpt-5-image\","
                      "\"object\":\"chat.completion.chunk\",\"created\":1757000000,\"choices\":[{\"index\":0,"
                      "\"delta\":{\"role\":\"assistant\",\"content\":\"I can describe it instead.\"},"
                      "\"finish_reason\":null}]}\n\n");
  g_string_append (s, "data: {\"id\":\"gen-2\",\"provider\":\"OpenAI\",\"model\":\"openai/gpt-5-image\","
                      "\"object\":\"chat.completion.chunk\",\"created\":1757000000,\"choices\":[{\"index\":0,"
                      "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":\"stop\"}],"
                      "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":7,\"total_tokens\":16,\"cost\":0.0001}}\n\n");
  g_string_append (s, "data: [DONE]\n\n");
  path = write_stream (s, ".sse");

  run_json (&r, path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  codes = diagnostic_codes (&r);
  g_assert_cmpstr (codes, ==, "no-images");
  g_assert_cmpstr (diagnostic_message (&r, "no-images"), ==,
                   "OpenAI chat completions, text only: no image in this stream");
  g_assert_nonnull (strstr (r.err, "OpenAI chat completions, text only: no image in this stream"));
  g_assert_cmpuint (json_array_get_length (frames (&r)), ==, 0);
}

static void
append_gemini (GString    *s,
               const char *parts,
               const char *finish,
               const char *usage)
{
  g_string_append_printf (s, "data: {\"candidates\": [{\"content\": {\"parts\": [%s],\"role\": \"model\"},"
                          "%s%s%s\"index\": 0}],\"usageMetadata\": %s,"
                          "\"modelVersion\": \"gemini-2.5-flash-image\",\"responseId\": \"Xk3aaPqLBbGv1dkP\"}\r\n\r\n",
                          parts,
                          finish ? "\"finishReason\": \"" : "", finish ? finish : "", finish ? "\"," : "",
                          usage);
}

/* Gemini streamGenerateContent?alt=sse: CRLF, data only, no [DONE]; a
 * thought image (a preview) before the answer's image; camelCase and
 * snake_case inline data. */
static void
test_gemini (void)
{
  g_autoptr(GBytes) thought = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 20, 20, FALSE, 7);
  g_autoptr(GBytes) answer = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 20, 20, TRUE, 8);
  g_autoptr(GBytes) second = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 12, 20, FALSE, 9);
  g_autofree char *bt = b64 (thought), *ba = b64 (answer), *b2 = b64 (second);
  g_autofree char *p1 = g_strdup_printf ("{\"text\": \"Sketching the composition\", \"thought\": true},"
                                         "{\"inlineData\": {\"mimeType\": \"image/png\",\"data\": \"%s\"}, \"thought\": true}", bt);
  g_autofree char *p2 = g_strdup_printf ("{\"text\": \"Here is your lighthouse.\"}");
  g_autofree char *p3 = g_strdup_printf ("{\"inlineData\": {\"mimeType\": \"image/png\",\"data\": \"%s\"}}", ba);
  g_autofree char *p4 = g_strdup_printf ("{\"inline_data\": {\"mime_type\": \"image/png\",\"data\": \"%s\"}}", b2);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *dir = export_dir ("gemini");
  g_autofree char *export_arg = g_strdup_printf ("--export=%s", dir);
  g_autofree char *codes = NULL;
  g_auto(Result) r = { 0 };

  if (!check_binary ())
    return;

  append_gemini (s, p1, NULL, "{\"promptTokenCount\": 11,\"totalTokenCount\": 11}");
  append_gemini (s, p2, NULL, "{\"promptTokenCount\": 11,\"candidatesTokenCount\": 6,\"totalTokenCount\": 17}");
  append_gemini (s, p3, NULL, "{\"promptTokenCount\": 11,\"candidatesTokenCount\": 1296,\"totalTokenCount\": 1307}");
  append_gemini (s, p4, "STOP", "{\"promptTokenCount\": 11,\"candidatesTokenCount\": 2586,\"totalTokenCount\": 2597,"
                                "\"candidatesTokensDetails\": [{\"modality\": \"IMAGE\",\"tokenCount\": 2580}]}");
  path = write_stream (s, ".sse");

  run_json (&r, path, export_arg);
  g_assert_cmpint (r.status, ==, 0);
  codes = diagnostic_codes (&r);
  g_assert_cmpstr (codes, ==, "");
  g_assert_cmpstr (json_object_get_string_member (doc (&r), "state"), ==, "finished");
  g_assert_cmpuint (json_array_get_length (frames (&r)), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (frame (&r, 0), "kind"), ==, "partial");
  g_assert_cmpint (json_object_get_int_member (frame (&r, 0), "partial_image_index"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (frame (&r, 1), "kind"), ==, "final");
  g_assert_cmpint (json_object_get_int_member (frame (&r, 1), "lane"), ==, 0);
  /* A second answer image after the first final: a lane of its own. */
  g_assert_cmpstr (json_object_get_string_member (frame (&r, 2), "kind"), ==, "final");
  g_assert_cmpint (json_object_get_int_member (frame (&r, 2), "lane"), ==, 1);

  assert_exported_pixels (dir, "image-1-partial-0.png", thought);
  assert_exported_pixels (dir, "image-1-final.png", answer);
  assert_exported_pixels (dir, "image-2-final.png", second);
  g_assert_cmpstr (json_object_get_string_member (doc (&r), "model"), ==, "gemini-2.5-flash-image");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (doc (&r), "usage"),
                                               "candidatesTokenCount"), ==, 2586);
  /* The run's summary reads the same usage: Gemini's usageMetadata, the
   * last one sent; no cost was sent and no price is known for it. */
  {
    JsonObject *summary = json_object_get_object_member (doc (&r), "summary");
    JsonObject *usage = json_object_get_object_member (summary, "usage");

    g_assert_nonnull (usage);
    g_assert_cmpint (json_object_get_int_member (usage, "candidatesTokenCount"), ==, 2586);
    g_assert_cmpint (json_object_get_int_member (usage, "totalTokenCount"), ==, 2597);
    g_assert_true (json_node_equal (json_object_get_member (summary, "usage"),
                                    json_object_get_member (doc (&r), "usage")));
    g_assert_true (json_object_get_null_member (summary, "cost"));
    g_assert_true (json_object_get_null_member (summary, "estimated_cost"));
  }
}

/* Without a finishReason the same stream was cut short: the frames stay,
 * the run is truncated. */
static void
test_gemini_truncated (void)
{
  g_autoptr(GBytes) answer = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 20, 20, TRUE, 8);
  g_autofree char *ba = b64 (answer);
  g_autofree char *p = g_strdup_printf ("{\"inlineData\": {\"mimeType\": \"image/png\",\"data\": \"%s\"}, \"thought\": true}", ba);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *codes = NULL;
  g_auto(Result) r = { 0 };

  if (!check_binary ())
    return;

  append_gemini (s, p, NULL, "{\"promptTokenCount\": 11,\"totalTokenCount\": 11}");
  path = write_stream (s, ".sse");

  run_json (&r, path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  codes = diagnostic_codes (&r);
  g_assert_cmpstr (codes, ==, "truncated no-final");
  g_assert_cmpuint (json_array_get_length (frames (&r)), ==, 1);
  g_assert_true (json_object_get_boolean_member (frame (&r, 0), "decoded"));
}

/* A complete Gemini answer in words only, and one stopped by a filter. */
static void
test_gemini_no_image (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GString) s2 = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *path2 = NULL;
  g_auto(Result) r = { 0 };
  g_auto(Result) r2 = { 0 };

  if (!check_binary ())
    return;

  append_gemini (s, "{\"text\": \"I can't draw that, but\"}", NULL, "{\"promptTokenCount\": 5,\"totalTokenCount\": 5}");
  append_gemini (s, "{\"text\": \" here is a poem.\"}", "STOP", "{\"promptTokenCount\": 5,\"totalTokenCount\": 30}");
  path = write_stream (s, ".sse");
  run_json (&r, path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (diagnostic_message (&r, "no-images"), ==,
                   "Gemini streamGenerateContent, text only: no image in this stream");
  g_assert_null (diagnostic_message (&r, "truncated"));

  g_string_append (s2, "data: {\"candidates\": [{\"finishReason\": \"IMAGE_SAFETY\",\"index\": 0}],"
                       "\"usageMetadata\": {\"promptTokenCount\": 5,\"totalTokenCount\": 5},"
                       "\"modelVersion\": \"gemini-2.5-flash-image\"}\r\n\r\n");
  path2 = write_stream (s2, ".sse");
  run_json (&r2, path2, NULL);
  g_assert_cmpint (r2.status, ==, 1);
  g_assert_cmpstr (diagnostic_message (&r2, "no-images"), ==,
                   "Gemini streamGenerateContent: no image in this stream (finish reason IMAGE_SAFETY)");
}

/* OpenAI Images API edits: image_edit.partial_image, image_edit.completed. */
static void
test_image_edits (void)
{
  g_autoptr(GBytes) p0 = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, TRUE, 20);
  g_autoptr(GBytes) fin = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, TRUE, 21);
  g_autofree char *b0 = b64 (p0), *bf = b64 (fin);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *dir = export_dir ("edits");
  g_autofree char *export_arg = g_strdup_printf ("--export=%s", dir);
  g_autofree char *codes = NULL;
  g_auto(Result) r = { 0 };

  if (!check_binary ())
    return;

  g_string_append_printf (s, "event: image_edit.partial_image\ndata: {\"type\":\"image_edit.partial_image\",\"b64_json\":\"%s\","
                          "\"created_at\":1758000000,\"size\":\"16x16\",\"quality\":\"low\",\"background\":\"opaque\","
                          "\"output_format\":\"png\",\"partial_image_index\":0}\n\n", b0);
  g_string_append_printf (s, "event: image_edit.completed\ndata: {\"type\":\"image_edit.completed\",\"b64_json\":\"%s\","
                          "\"created_at\":1758000000,\"size\":\"16x16\",\"quality\":\"low\",\"background\":\"opaque\","
                          "\"output_format\":\"png\",\"usage\":{\"total_tokens\":300,\"input_tokens\":200,\"output_tokens\":100,"
                          "\"input_tokens_details\":{\"text_tokens\":20,\"image_tokens\":180}}}\n\n", bf);
  path = write_stream (s, ".sse");

  run_json (&r, path, export_arg);
  g_assert_cmpint (r.status, ==, 0);
  codes = diagnostic_codes (&r);
  g_assert_cmpstr (codes, ==, "");
  g_assert_cmpuint (json_array_get_length (frames (&r)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (frame (&r, 0), "kind"), ==, "partial");
  g_assert_cmpstr (json_object_get_string_member (frame (&r, 1), "kind"), ==, "final");
  assert_exported_pixels (dir, "image-1-partial-0.png", p0);
  assert_exported_pixels (dir, "image-1-final.png", fin);
}

/* OpenRouter /images: data-only events, image_generation.completed with
 * "created", "media_type" and usage.cost, then [DONE]. */
static void
test_openrouter_images (void)
{
  g_autoptr(GBytes) fin = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 30);
  g_autofree char *bf = b64 (fin);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *dir = export_dir ("orimages");
  g_autofree char *export_arg = g_strdup_printf ("--export=%s", dir);
  g_autofree char *codes = NULL;
  g_auto(Result) r = { 0 };

  if (!check_binary ())
    return;

  g_string_append (s, ": OPENROUTER PROCESSING\n\n");
  g_string_append (s, "data: {\"type\":\"image_generation.text_chunk\",\"text\":\"Planning the scene\",\"phase\":\"thinking\"}\n\n");
  g_string_append_printf (s, "data: {\"type\":\"image_generation.completed\",\"b64_json\":\"%s\",\"created\":1758000000,"
                          "\"media_type\":\"image/png\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1290,"
                          "\"total_tokens\":1300,\"cost\":0.039}}\n\n", bf);
  g_string_append (s, "data: [DONE]\n\n");
  path = write_stream (s, ".sse");

  run_json (&r, path, export_arg);
  g_assert_cmpint (r.status, ==, 0);
  codes = diagnostic_codes (&r);
  g_assert_cmpstr (codes, ==, "");
  g_assert_cmpuint (json_array_get_length (frames (&r)), ==, 1);
  assert_exported_pixels (dir, "image-1-final.png", fin);
}

/* The PNG chunk CRC (ISO 3309) over @a then @b. */
static guint32
chunk_crc (const guint8 *a,
           gsize         a_len,
           const guint8 *b,
           gsize         b_len)
{
  guint32 c = 0xffffffffu;

  for (gsize i = 0; i < a_len + b_len; i++)
    {
      c ^= i < a_len ? a[i] : b[i - a_len];
      for (int k = 0; k < 8; k++)
        c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
  return c ^ 0xffffffffu;
}

/* @png with a C2PA-style "caBX" chunk (provenance, ignored by decoders)
 * before its IEND. */
static GBytes *
png_with_provenance (GBytes *png)
{
  static const char payload[] = "c2pa manifest store";
  gsize len;
  const guint8 *data = g_bytes_get_data (png, &len);
  GByteArray *out = g_byte_array_new ();
  guint8 head[8];
  guint32 crc;
  guint8 crc_be[4];

  g_assert_cmpmem (data + len - 8, 4, "IEND", 4);
  g_byte_array_append (out, data, len - 12);
  head[0] = 0; head[1] = 0; head[2] = 0; head[3] = sizeof payload - 1;
  memcpy (head + 4, "caBX", 4);
  g_byte_array_append (out, head, 8);
  g_byte_array_append (out, (const guint8 *) payload, sizeof payload - 1);
  crc = chunk_crc (head + 4, 4, (const guint8 *) payload, sizeof payload - 1);
  crc_be[0] = crc >> 24; crc_be[1] = crc >> 16; crc_be[2] = crc >> 8; crc_be[3] = crc;
  g_byte_array_append (out, crc_be, 4);
  g_byte_array_append (out, data + len - 12, 12);

  return g_byte_array_free_to_bytes (out);
}

static char *
file_sha256 (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

/* --export keeps the bytes that arrived: original/ holds each payload
 * byte for byte under its real extension (a provenance chunk intact), and
 * the manifest tells the payload's hash from the PNG file's. */
static void
test_export_originals (void)
{
  g_autoptr(GBytes) plain = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, TRUE, 40);
  g_autoptr(GBytes) p0 = png_with_provenance (plain);
  g_autoptr(GBytes) fin = rf_test_make_image (RF_IMAGE_FORMAT_JPEG, 16, 16, FALSE, 41);
  g_autofree char *b0 = b64 (p0), *bf = b64 (fin);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *dir = export_dir ("originals");
  g_autofree char *export_arg = g_strdup_printf ("--export=%s", dir);
  g_autofree char *manifest_path = g_build_filename (dir, "manifest.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *list;
  g_auto(Result) r = { 0 };

  if (!check_binary ())
    return;

  g_string_append_printf (s, "event: image_generation.partial_image\ndata: {\"type\":\"image_generation.partial_image\","
                          "\"b64_json\":\"%s\",\"partial_image_index\":0,\"output_format\":\"png\"}\n\n", b0);
  g_string_append_printf (s, "event: image_generation.completed\ndata: {\"type\":\"image_generation.completed\","
                          "\"b64_json\":\"%s\",\"output_format\":\"jpeg\"}\n\n", bf);
  path = write_stream (s, ".sse");

  run_mode (&r, export_arg, path, NULL);
  g_assert_cmpint (r.status, ==, 0);

  {
    g_autofree char *orig0 = g_build_filename (dir, "original", "image-1-partial-0.png", NULL);
    g_autofree char *orig1 = g_build_filename (dir, "original", "image-1-final.jpg", NULL);
    g_autofree char *got0 = NULL, *got1 = NULL;
    gsize len0, len1;

    g_assert_true (g_file_get_contents (orig0, &got0, &len0, NULL));
    g_assert_true (g_file_get_contents (orig1, &got1, &len1, NULL));
    g_assert_cmpmem (got0, len0, g_bytes_get_data (p0, NULL), g_bytes_get_size (p0));
    g_assert_cmpmem (got1, len1, g_bytes_get_data (fin, NULL), g_bytes_get_size (fin));
  }
  assert_exported_pixels (dir, "image-1-partial-0.png", p0);

  json_parser_load_from_file (parser, manifest_path, &error);
  g_assert_no_error (error);
  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "frames");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *f = json_array_get_object_element (list, i);
      GBytes *payload = i == 0 ? p0 : fin;
      g_autofree char *payload_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, payload);
      g_autofree char *png_sha = file_sha256 (dir, json_object_get_string_member (f, "file"));
      g_autofree char *original_sha = file_sha256 (dir, json_object_get_string_member (f, "original"));

      g_assert_cmpstr (json_object_get_string_member (f, "sha256"), ==, payload_sha);
      g_assert_cmpstr (original_sha, ==, payload_sha);
      g_assert_cmpstr (json_object_get_string_member (f, "png_sha256"), ==, png_sha);
      g_assert_cmpstr (png_sha, !=, payload_sha);
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 1), "original"),
                   ==, "original/image-1-final.jpg");
  /* The run's own fields reach the exported manifest too. */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "format"),
                   ==, "OpenAI Images API");
}

/* An OpenRouter /images completion whose image is an SVG document. */
static char *
write_svg_stream (const char *svg)
{
  g_autoptr(GBytes) bytes = g_bytes_new (svg, strlen (svg));
  g_autofree char *encoded = b64 (bytes);
  g_autoptr(GString) s = g_string_new (NULL);

  g_string_append_printf (s, "data: {\"type\":\"image_generation.completed\",\"b64_json\":\"%s\","
                          "\"created\":1758000000,\"media_type\":\"image/svg+xml\"}\n\n", encoded);
  g_string_append (s, "data: [DONE]\n\n");
  return write_stream (s, ".sse");
}

/* Every pixel of the PNG at @dir/@file is @rgb, opaque. */
static void
assert_exported_colour (const char *dir,
                        const char *file,
                        int         width,
                        int         height,
                        guint32     rgb)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) got = gdk_pixbuf_new_from_file (path, &error);
  int channels;

  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (got), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (got), ==, height);
  channels = gdk_pixbuf_get_n_channels (got);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = gdk_pixbuf_read_pixels (got) + y * gdk_pixbuf_get_rowstride (got) + x * channels;
        guint32 pixel = ((guint32) p[0] << 16) | ((guint32) p[1] << 8) | p[2];

        if (pixel != rgb || (channels == 4 && p[3] != 255))
          g_error ("pixel %d,%d is %06x (alpha %d), not %06x", x, y, pixel,
                   channels == 4 ? p[3] : 255, rgb);
      }
}

/* An SVG result is drawn at its intrinsic size; the frame is an "svg". */
static void
test_svg (void)
{
  g_autofree char *path = write_svg_stream (
    "<?xml version=\"1.0\"?>\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\">"
    "<rect width=\"40\" height=\"30\" fill=\"#00ff00\"/></svg>\n");
  g_autofree char *dir = export_dir ("svg");
  g_autofree char *export_arg = g_strdup_printf ("--export=%s", dir);
  g_autofree char *codes = NULL;
  g_auto(Result) r = { 0 };

  if (!check_binary ())
    return;

  run_json (&r, path, export_arg);
  g_assert_cmpint (r.status, ==, 0);
  codes = diagnostic_codes (&r);
  g_assert_cmpstr (codes, ==, "");
  g_assert_cmpuint (json_array_get_length (frames (&r)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (frame (&r, 0), "format"), ==, "svg");
  g_assert_cmpint (json_object_get_int_member (frame (&r, 0), "width"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (frame (&r, 0), "height"), ==, 30);
  assert_exported_colour (dir, "image-1-final.png", 40, 30, 0x00ff00);
}

/* A vector image larger than the limits is drawn smaller, within them,
 * rather than refused. */
static void
test_svg_capped (void)
{
  g_autofree char *path = write_svg_stream (
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2000\" height=\"1000\">"
    "<rect width=\"2000\" height=\"1000\" fill=\"#0000ff\"/></svg>");
  g_auto(Result) r = { 0 };
  g_auto(Result) area = { 0 };

  if (!check_binary ())
    return;

  run_json (&r, path, "--max-side=100");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (frame (&r, 0), "width"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (frame (&r, 0), "height"), ==, 50);

  /* 5000 pixels: the side scaled by the square root of the ratio. */
  run_json (&area, path, "--max-pixels=5000");
  g_assert_cmpint (area.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (frame (&area, 0), "width"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (frame (&area, 0), "height"), ==, 50);
}

/* No reference outside the payload is followed: an http image, a file
 * image (absolute and relative), a <use> of another file, XInclude and
 * a CSS @import. The files referenced are red and the server listens:
 * the frame must be the green of the SVG's own rectangle, and nobody
 * must have connected. An external entity is not expanded either. */
static void
test_svg_no_external (void)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) red = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 40, 30, FALSE, 1);
  g_autofree char *red_png = NULL;
  g_autofree char *red_svg = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *path = NULL;
  g_autofree char *entity_path = NULL;
  g_autofree char *dir = export_dir ("svg-external");
  g_autofree char *export_arg = g_strdup_printf ("--export=%s", dir);
  g_autofree char *red_png_uri = NULL;
  g_autofree char *red_svg_uri = NULL;
  g_autofree char *secret_uri = NULL;
  guint16 port;
  g_auto(Result) r = { 0 };
  g_auto(Result) e = { 0 };

  if (!check_binary ())
    return;

  /* A listening socket that never accepts: a connection attempt would
   * leave it readable. */
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (listener, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  {
    static const char red_text[] =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\">"
      "<rect id=\"r\" width=\"40\" height=\"30\" fill=\"#ff0000\"/></svg>";
    g_autoptr(GBytes) red_doc = g_bytes_new_static (red_text, sizeof red_text - 1);
    g_autoptr(GBytes) secret_text = g_bytes_new_static ("secret", 6);

    red_png = rf_test_write_temp_file (red, ".png");
    red_svg = rf_test_write_temp_file (red_doc, ".svg");
    secret = rf_test_write_temp_file (secret_text, ".txt");
  }
  red_png_uri = g_filename_to_uri (red_png, NULL, NULL);
  red_svg_uri = g_filename_to_uri (red_svg, NULL, NULL);
  secret_uri = g_filename_to_uri (secret, NULL, NULL);

  svg = g_strdup_printf (
    "<?xml version=\"1.0\"?>\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
    "xmlns:xi=\"http://www.w3.org/2001/XInclude\" width=\"40\" height=\"30\">"
    "<style>@import url(http://127.0.0.1:%u/style.css);</style>"
    "<rect width=\"40\" height=\"30\" fill=\"#00ff00\"/>"
    "<image width=\"40\" height=\"30\" href=\"http://127.0.0.1:%u/red.png\"/>"
    "<image width=\"40\" height=\"30\" xlink:href=\"%s\"/>"
    "<image width=\"40\" height=\"30\" href=\"%s\"/>"
    "<use href=\"%s#r\"/>"
    "<xi:include href=\"%s\"/>"
    "<text x=\"0\" y=\"20\" fill=\"#ff0000\"><xi:include href=\"%s\" parse=\"text\"/></text>"
    "</svg>\n",
    port, port, red_png_uri, red_png, red_svg_uri, red_svg_uri, secret_uri);
  path = write_svg_stream (svg);

  run_json (&r, path, export_arg);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (json_array_get_length (frames (&r)), ==, 1);
  g_assert_true (json_object_get_boolean_member (frame (&r, 0), "decoded"));
  assert_exported_colour (dir, "image-1-final.png", 40, 30, 0x00ff00);
  g_assert_false (g_socket_condition_check (listener, G_IO_IN) & G_IO_IN);

  /* An external entity: refused, and its text never shown. */
  {
    g_autofree char *doc = g_strdup_printf (
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE svg [<!ENTITY ext SYSTEM \"%s\">]>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\">"
      "<rect width=\"40\" height=\"30\" fill=\"#00ff00\"/><text>&ext;</text></svg>\n", secret_uri);

    entity_path = write_svg_stream (doc);
  }
  run_json (&e, entity_path, NULL);
  g_assert_null (strstr (e.out, "secret"));
  g_assert_null (strstr (e.err, "secret"));
  if (json_object_get_boolean_member (frame (&e, 0), "decoded"))
    g_assert_cmpint (e.status, ==, 0);
  else
    g_assert_cmpint (e.status, ==, 1);
}

#define DEEP4 "[[[["
#define DEEP32 DEEP4 DEEP4 DEEP4 DEEP4 DEEP4 DEEP4 DEEP4 DEEP4
#define DEEP DEEP32 DEEP32 DEEP32 DEEP32 "["

/* Streams of another kind are named as such, never called truncated. */
static void
test_unknown_format (void)
{
  static const struct {
    const char *text;
    const char *message;  /* how it starts */
    const char *ending;   /* how it ends, when given */
  } cases[] = {
    { "data: {\"hello\":\"world\",\"n\":1}\n\n",
      "not an image event stream: first event looks like “{\"hello\":\"world\",\"n\":1}”" },
    { "data: plain words\x1b[31m\n\n",
      "not an image event stream: first event looks like “plain words\\u001b[31m” (the data is not valid JSON: " },
    { "<!DOCTYPE html><html><body>Bad gateway</body></html>\n",
      "not an image event stream: it holds no event" },
    /* JSON that could not be read is not said to be of another kind. */
    { "data: {\"type\":\"image_generation.partial_image\",\"x\":" DEEP "}\n\n",
      "no image in this stream: its first event, “{\"type\":\"image_generation.partial_image\",\"x\":[[[",
      "…”, could not be read: the data is not valid JSON: nested deeper than 128 levels" },
    { "data: {\"type\":\"image_generation.partial_image\"} {\"b64_json\":\"AA\"}\n\n",
      "no image in this stream: its first event, “{\"type\":\"image_generation.partial_image\"} {\"b64_json\":\"AA\"}”, "
      "could not be read: the data is not valid JSON: more than one JSON value",
      "more than one JSON value" },
  };

  if (!check_binary ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) s = g_string_new (cases[i].text);
      g_autofree char *path = write_stream (s, ".sse");
      g_auto(Result) r = { 0 };
      const char *message;

      run_json (&r, path, NULL);
      g_assert_cmpint (r.status, ==, 1);
      message = diagnostic_message (&r, "no-images");
      g_assert_nonnull (message);
      g_test_message ("%s", message);
      g_assert_true (g_str_has_prefix (message, cases[i].message));
      if (cases[i].ending != NULL)
        g_assert_true (g_str_has_suffix (message, cases[i].ending));
      g_assert_null (diagnostic_message (&r, "truncated"));
      /* Nothing from the stream reaches the terminal as is. */
      g_assert_null (strchr (r.err, '\x1b'));
    }
}

/* The event reader: a chat chunk's data URL and a Gemini part's data are
 * cut out of the text (the tree json-glib builds stays small) and come
 * back byte for byte. */
static void
test_event_fast_path (void)
{
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 64, 64, TRUE, 40);
  g_autofree char *b = b64 (image);
  g_autofree char *chat = g_strdup_printf ("{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":2,\"delta\":"
                                           "{\"content\":\"hi\",\"images\":[{\"type\":\"image_url\",\"image_url\":"
                                           "{\"url\":\"data:image/png;base64,%s\"},\"index\":3}]}}]}", b);
  g_autofree char *gemini = g_strdup_printf ("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":"
                                             "{\"mimeType\":\"image/png\",\"data\":\"%s\"}}]},\"index\":0}]}", b);
  g_autoptr(RfEvent) e1 = rf_event_new_from_sse ("message", g_bytes_new (chat, strlen (chat)), "", 0);
  g_autoptr(RfEvent) e2 = rf_event_new_from_sse ("message", g_bytes_new (gemini, strlen (gemini)), "", 0);
  const RfEventImage *image1;
  const RfEventImage *image2;

  g_assert_cmpint (rf_event_get_kind (e1), ==, RF_EVENT_CHAT_CHUNK);
  g_assert_cmpint (rf_event_get_format (e1), ==, RF_STREAM_FORMAT_CHAT);
  g_assert_null (rf_event_get_problem (e1));
  g_assert_cmpstr (rf_event_get_text (e1), ==, "hi");
  g_assert_cmpuint (rf_event_get_n_images (e1), ==, 1);
  image1 = rf_event_get_image (e1, 0);
  g_assert_cmpstr (image1->lane_key, ==, "choice 2 image 3");
  g_assert_cmpstr (image1->mime_type, ==, "image/png");
  g_assert_cmpmem (g_bytes_get_data (image1->b64, NULL), g_bytes_get_size (image1->b64), b, strlen (b));
  /* The log keeps a marker, not the payload. */
  g_assert_cmpuint (strlen (rf_event_get_elided_json (e1)), <, 400);

  g_assert_cmpint (rf_event_get_kind (e2), ==, RF_EVENT_GEMINI_CHUNK);
  g_assert_null (rf_event_get_problem (e2));
  g_assert_cmpuint (rf_event_get_n_images (e2), ==, 1);
  image2 = rf_event_get_image (e2, 0);
  g_assert_false (image2->partial);
  g_assert_cmpmem (g_bytes_get_data (image2->b64, NULL), g_bytes_get_size (image2->b64), b, strlen (b));
  g_assert_cmpuint (strlen (rf_event_get_elided_json (e2)), <, 400);
}

/* An image URL that is not a data URL is said, never fetched. */
static void
test_event_remote_url (void)
{
  const char *chat = "{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                     "{\"images\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.invalid/a.png\"},"
                     "\"index\":0}]}}]}";
  g_autoptr(RfEvent) e = rf_event_new_from_sse ("message", g_bytes_new (chat, strlen (chat)), "", 0);

  g_assert_cmpint (rf_event_get_kind (e), ==, RF_EVENT_CHAT_CHUNK);
  g_assert_cmpuint (rf_event_get_n_images (e), ==, 0);
  g_assert_nonnull (strstr (rf_event_get_problem (e), "not fetched"));
}

/* --dump=sse writes a U+0000 of a data or event field as \u0000. */
static void
test_dump_sse_nul (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_auto(Result) r = { 0 };
  static const char text[] = "event: a\0b\ndata: {\"x\":\"\0\"}\n\n";


  if (!check_binary ())
    return;

  g_string_append_len (s, text, sizeof text - 1);
  path = write_stream (s, ".sse");
  run_mode (&r, "--dump=sse", path, NULL);
  g_assert_cmpstr (r.out, ==, "{\"event\":\"a\\u0000b\",\"data\":\"{\\\"x\\\":\\\"\\u0000\\\"}\",\"id\":\"\"}\n");
  /* Not an image stream, and said so without the NUL. */
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "it holds U+0000"));
}

/* The shape Gemini 3 Pro Image streams, as recorded in public SDK test
 * fixtures (with images of the test's own): the image part carries a
 * thoughtSignature but is no thought, its chunk has no finishReason, and
 * a last chunk with an empty text part finishes. One final image. */
static void
test_shape_gemini3_image (void)
{
  g_autoptr(GBytes) img = rf_test_make_image (RF_IMAGE_FORMAT_JPEG, 40, 24, FALSE, 31);
  g_autofree char *data = b64 (img);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *dir = export_dir ("shape-gemini3");
  g_autofree char *export_arg = g_strdup_printf ("--export=%s", dir);
  g_autofree char *codes = NULL;
  g_auto(Result) r = { 0 };
  const char *usage = "\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":1219,\"totalTokenCount\":1394,"
                      "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":8}],"
                      "\"candidatesTokensDetails\":[{\"modality\":\"IMAGE\",\"tokenCount\":1120}],"
                      "\"thoughtsTokenCount\":167,\"serviceTier\":\"standard\"},"
                      "\"modelVersion\":\"gemini-3-pro-image-preview\",\"responseId\":\"r-1\"}";

  if (!check_binary ())
    return;

  g_string_append_printf (s, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/jpeg\","
                          "\"data\":\"%s\"},\"thoughtSignature\":\"c2lnbmF0dXJl\"}],\"role\":\"model\"},\"index\":0}],%s\r\n\r\n",
                          data, usage);
  g_string_append_printf (s, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},"
                          "\"finishReason\":\"STOP\",\"index\":0}],%s\r\n\r\n", usage);
  path = write_stream (s, ".sse");

  run_json (&r, path, export_arg);
  g_assert_cmpint (r.status, ==, 0);
  codes = diagnostic_codes (&r);
  g_assert_cmpstr (codes, ==, "");
  g_assert_cmpstr (json_object_get_string_member (doc (&r), "state"), ==, "finished");
  g_assert_cmpuint (json_array_get_length (frames (&r)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (frame (&r, 0), "kind"), ==, "final");
  g_assert_cmpstr (json_object_get_string_member (frame (&r, 0), "format"), ==, "jpeg");
  g_assert_cmpint (json_object_get_int_member (frame (&r, 0), "width"), ==, 40);
  assert_exported_pixels (dir, "image-1-final.png", img);
  g_assert_cmpstr (json_object_get_string_member (doc (&r), "model"), ==, "gemini-3-pro-image-preview");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (doc (&r), "usage"),
                                               "thoughtsTokenCount"), ==, 167);
}

/* The shape of a Responses API run with the image tool, as SDK fixtures
 * record it, written as JSON lines: a reasoning item before the image
 * (output index 1), a WebP partial and final echoing size, quality,
 * background and format, a revised prompt, an empty message after. */
static void
test_shape_responses_jsonl (void)
{
  g_autoptr(GBytes) partial = rf_test_make_image (RF_IMAGE_FORMAT_WEBP, 48, 32, FALSE, 32);
  g_autoptr(GBytes) fin = rf_test_make_image (RF_IMAGE_FORMAT_WEBP, 48, 32, FALSE, 33);
  g_autofree char *bp = b64 (partial), *bf = b64 (fin);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *codes = NULL;
  g_auto(Result) r = { 0 };
  const char *tools = "\"tools\":[{\"type\":\"image_generation\",\"background\":\"auto\",\"moderation\":\"auto\",\"n\":1,"
                      "\"output_compression\":100,\"output_format\":\"webp\",\"quality\":\"low\",\"size\":\"auto\"}]";
  JsonObject *image;

  if (!check_binary ())
    return;

  g_string_append_printf (s, "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\","
                          "\"object\":\"response\",\"status\":\"in_progress\",\"model\":\"gpt-5-2025-08-07\",\"output\":[],%s}}\n", tools);
  g_string_append (s, "{\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,"
                      "\"item\":{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[]}}\n");
  g_string_append (s, "{\"type\":\"response.output_item.done\",\"sequence_number\":2,\"output_index\":0,"
                      "\"item\":{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[]}}\n");
  g_string_append (s, "{\"type\":\"response.output_item.added\",\"sequence_number\":3,\"output_index\":1,"
                      "\"item\":{\"id\":\"ig_1\",\"type\":\"image_generation_call\",\"status\":\"in_progress\"}}\n");
  g_string_append (s, "{\"type\":\"response.image_generation_call.generating\",\"sequence_number\":4,\"output_index\":1,\"item_id\":\"ig_1\"}\n");
  g_string_append_printf (s, "{\"type\":\"response.image_generation_call.partial_image\",\"sequence_number\":5,\"output_index\":1,"
                          "\"item_id\":\"ig_1\",\"partial_image_index\":0,\"partial_image_b64\":\"%s\",\"size\":\"48x32\","
                          "\"quality\":\"low\",\"background\":\"opaque\",\"output_format\":\"webp\"}\n", bp);
  g_string_append (s, "{\"type\":\"response.image_generation_call.completed\",\"sequence_number\":6,\"output_index\":1,\"item_id\":\"ig_1\"}\n");
  g_string_append_printf (s, "{\"type\":\"response.output_item.done\",\"sequence_number\":7,\"output_index\":1,\"item\":{\"id\":\"ig_1\","
                          "\"type\":\"image_generation_call\",\"status\":\"completed\",\"background\":\"opaque\",\"output_format\":\"webp\","
                          "\"quality\":\"low\",\"result\":\"%s\",\"revised_prompt\":\"An echidna swimming across a channel, golden hour\","
                          "\"size\":\"48x32\"}}\n", bf);
  g_string_append (s, "{\"type\":\"response.output_item.done\",\"sequence_number\":8,\"output_index\":2,\"item\":{\"id\":\"msg_1\","
                      "\"type\":\"message\",\"status\":\"completed\",\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"text\":\"\"}],"
                      "\"role\":\"assistant\"}}\n");
  g_string_append_printf (s, "{\"type\":\"response.completed\",\"sequence_number\":9,\"response\":{\"id\":\"resp_1\",\"object\":\"response\","
                          "\"status\":\"completed\",\"model\":\"gpt-5-2025-08-07\",\"output\":[{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[]},"
                          "{\"id\":\"ig_1\",\"type\":\"image_generation_call\",\"status\":\"completed\",\"result\":\"%s\",\"size\":\"48x32\"}],%s,"
                          "\"usage\":{\"input_tokens\":2941,\"output_tokens\":1249,\"total_tokens\":4190}}}\n", bf, tools);
  path = write_stream (s, ".jsonl");

  run_json (&r, path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  codes = diagnostic_codes (&r);
  g_assert_cmpstr (codes, ==, "");
  g_assert_cmpuint (json_array_get_length (frames (&r)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (frame (&r, 0), "kind"), ==, "partial");
  g_assert_cmpstr (json_object_get_string_member (frame (&r, 1), "kind"), ==, "final");
  g_assert_cmpint (json_object_get_int_member (frame (&r, 1), "output_index"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (frame (&r, 1), "format"), ==, "webp");
  g_assert_true (json_object_get_boolean_member (frame (&r, 1), "decoded"));

  image = json_array_get_object_element (json_object_get_array_member (doc (&r), "images"), 0);
  g_assert_cmpstr (json_object_get_string_member (image, "revised_prompt"), ==,
                   "An echidna swimming across a channel, golden hour");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (image, "echoed"), "output_format"), ==, "webp");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (image, "echoed"), "quality"), ==, "low");
  g_assert_cmpstr (json_object_get_string_member (doc (&r), "model"), ==, "gpt-5-2025-08-07");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/formats/chat", test_chat);
  g_test_add_func ("/formats/chat-text-only", test_chat_text_only);
  g_test_add_func ("/formats/gemini", test_gemini);
  g_test_add_func ("/formats/gemini-truncated", test_gemini_truncated);
  g_test_add_func ("/formats/gemini-no-image", test_gemini_no_image);
  g_test_add_func ("/formats/image-edits", test_image_edits);
  g_test_add_func ("/formats/openrouter-images", test_openrouter_images);
  g_test_add_func ("/formats/export-originals", test_export_originals);
  g_test_add_func ("/formats/svg", test_svg);
  g_test_add_func ("/formats/svg-capped", test_svg_capped);
  g_test_add_func ("/formats/svg-no-external", test_svg_no_external);
  g_test_add_func ("/formats/unknown", test_unknown_format);
  g_test_add_func ("/formats/event-fast-path", test_event_fast_path);
  g_test_add_func ("/formats/event-remote-url", test_event_remote_url);
  g_test_add_func ("/formats/dump-sse-nul", test_dump_sse_nul);
  g_test_add_func ("/formats/shape/gemini3-image", test_shape_gemini3_image);
  g_test_add_func ("/formats/shape/responses-jsonl", test_shape_responses_jsonl);

  return g_test_run ();
}
