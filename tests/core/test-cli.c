/*
 * test-cli.c
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

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-sse-parser.h"
#include "rf-analysis.h"
#include "rf-test-util.h"

/* refinery-inspect as users and CI run it: the contract of DESIGN.md
 * "The headless CLI" (output modes, file names, exit statuses, messages). */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static const char *
inspect_path (void)
{
  return g_getenv ("REFINERY_INSPECT");
}

static gboolean
check_binary (void)
{
  if (inspect_path () == NULL || !g_file_test (inspect_path (), G_FILE_TEST_IS_EXECUTABLE))
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

/* Runs refinery-inspect with the NULL-terminated @args; @stdin_path may be
 * NULL (then stdin is empty). */
static void
run_argv (Result      *r,
          const char  *stdin_path,
          const char **args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                                                        (stdin_path ? 0 : G_SUBPROCESS_FLAGS_STDIN_PIPE));
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) inspect_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  /* No key may leak into a test, and none is needed. */
  g_subprocess_launcher_unsetenv (launcher, "REFINERY_API_KEY");
  g_subprocess_launcher_unsetenv (launcher, "OPENAI_API_KEY");
  g_subprocess_launcher_unsetenv (launcher, "OPENROUTER_API_KEY");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", rf_test_get_temp_dir (), TRUE);
  if (stdin_path != NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

    g_subprocess_communicate (process, stdin_path ? NULL : empty, NULL, &out, &err, &error);
  }
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (process));
  r->status = g_subprocess_get_exit_status (process);
  r->out = bytes_to_string (out);
  r->err = bytes_to_string (err);

  g_test_message ("refinery-inspect exit %d, %zu bytes out; stderr: %s", r->status, strlen (r->out), r->err);
}

static void
run (Result     *r,
     const char *first,
     ...) G_GNUC_NULL_TERMINATED;

static void
run (Result     *r,
     const char *first,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  run_argv (r, NULL, (const char **) args->pdata);
}

/* Fixtures, written once per run into the temp dir. */

typedef enum
{
  FIXTURE_OK,
  FIXTURE_ERROR,
  FIXTURE_FAILED,
  FIXTURE_TRUNCATED,
  FIXTURE_DECODE,
  N_FIXTURES
} Fixture;

static char *fixture_paths[N_FIXTURES];
static GPtrArray *ok_images;
static guint ok_n_sse_events;

static GBytes *
build_fixture (Fixture f)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  GBytes **images = (GBytes **) ok_images->pdata;

  rf_test_stream_created (s, "resp_1", 2);                        /* 0 */
  rf_test_stream_keepalive (s);                                   /* 1 */
  rf_test_stream_add_eventf (s, "{\"type\":\"response.output_text.delta\",\"sequence_number\":%" G_GINT64_FORMAT
                             ",\"item_id\":\"msg_1\",\"output_index\":1,\"content_index\":0,\"delta\":\"Hi\"}",
                             rf_test_stream_get_seq (s));         /* 2 */
  rf_test_stream_item_added (s, 0, "ig_1");                       /* 3 */
  rf_test_stream_partial (s, 0, "ig_1", 0, images[0]);            /* 4 */

  switch (f)
    {
    case FIXTURE_OK:
      rf_test_stream_partial (s, 0, "ig_1", 1, images[1]);        /* 5 */
      rf_test_stream_item_done (s, 0, "ig_1", images[2], NULL);   /* 6 */
      rf_test_stream_completed (s, NULL, "ig_1", images[2]);      /* 7 */
      rf_test_stream_done (s);
      break;

    case FIXTURE_ERROR:
      rf_test_stream_error_nested (s, "server_error", NULL, "Sorry, something went wrong."); /* 5 */
      break;

    case FIXTURE_FAILED:
      rf_test_stream_failed (s, "server_error", "The server gave up.");   /* 5 */
      break;

    case FIXTURE_TRUNCATED:
      rf_test_stream_partial (s, 0, "ig_1", 1, images[1]);        /* 5 */
      break;

    case FIXTURE_DECODE:
      rf_test_stream_add_eventf (s, "{\"type\":\"response.image_generation_call.partial_image\","
                                 "\"sequence_number\":5,\"output_index\":0,\"item_id\":\"ig_1\","
                                 "\"partial_image_index\":1,\"partial_image_b64\":\"bm90IGFuIGltYWdl\"}");
      rf_test_stream_item_done (s, 0, "ig_1", images[2], NULL);
      rf_test_stream_completed (s, NULL, "ig_1", images[2]);
      break;

    case N_FIXTURES:
    default:
      g_assert_not_reached ();
    }

  return rf_test_stream_to_bytes (s);
}

static void
count_cb (RfSseParser *parser,
          const char  *event_type,
          const char  *data,
          gsize        data_len,
          const char  *id,
          gpointer     user_data)
{
  (*(guint *) user_data)++;
}

static void
write_fixtures (void)
{
  static const char *names[] = { "ok", "error", "failed", "truncated", "decode" };

  ok_images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (ok_images, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, TRUE, i));

  for (guint f = 0; f < N_FIXTURES; f++)
    {
      g_autoptr(GBytes) bytes = build_fixture (f);
      g_autoptr(GError) error = NULL;

      fixture_paths[f] = g_strdup_printf ("%s/%s.sse", rf_test_get_temp_dir (), names[f]);
      g_file_set_contents (fixture_paths[f], g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
      g_assert_no_error (error);

      if (f == FIXTURE_OK)
        {
          g_autoptr(RfSseParser) parser = rf_sse_parser_new (count_cb, NULL, NULL, &ok_n_sse_events);

          rf_sse_parser_push (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
          rf_sse_parser_finish (parser);
        }
    }
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static char **
stdout_lines (Result *r)
{
  g_assert_true (g_str_has_suffix (r->out, "\n"));
  r->out[strlen (r->out) - 1] = 0;
  return g_strsplit (r->out, "\n", -1);
}

/* Summary: one line per lane and frame, diagnostics, state. */
static void
test_summary (void)
{
  g_auto(Result) r = { 0 };

  if (!check_binary ())
    return;

  run (&r, fixture_paths[FIXTURE_OK], NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_nonnull (strstr (r.out, "Lane 0: item ig_1, output 0"));
  g_assert_nonnull (strstr (r.out, "\n  partial 0  seq 4 "));
  g_assert_nonnull (strstr (r.out, "\n  partial 1  seq 5 "));
  g_assert_nonnull (strstr (r.out, "\n  final      seq 6 "));
  g_assert_nonnull (strstr (r.out, "16×16"));
  g_assert_nonnull (strstr (r.out, " png "));
  g_assert_nonnull (strstr (r.out, "Requested partial images: 2"));
  g_assert_nonnull (strstr (r.out, "State: Finished"));
  g_assert_null (strstr (r.out, "Diagnostics:"));
}

static void
test_summary_diagnostics (void)
{
  g_auto(Result) r = { 0 };

  if (!check_binary ())
    return;

  run (&r, fixture_paths[FIXTURE_DECODE], NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "Diagnostics:"));
  g_assert_nonnull (strstr (r.out, "[decode-failed]"));
  g_assert_nonnull (strstr (r.out, "NOT DECODED"));
  /* The cause reaches stderr with the event's sequence number. */
  g_assert_nonnull (strstr (r.err, "event 5"));
}

static void
test_json (void)
{
  g_auto(Result) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;
  JsonArray *frames;

  if (!check_binary ())
    return;

  run (&r, "--json", fixture_paths[FIXTURE_OK], NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  obj = json_node_get_object (root);

  g_assert_cmpstr (json_object_get_string_member (obj, "state"), ==, "finished");
  g_assert_true (json_object_has_member (obj, "request"));
  g_assert_true (json_object_has_member (obj, "diagnostics"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "diagnostics")), ==, 0);
  frames = json_object_get_array_member (obj, "frames");
  g_assert_cmpuint (json_array_get_length (frames), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *f = json_array_get_object_element (frames, i);
      g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, ok_images->pdata[i]);
      const char *members[] = { "file", "lane", "kind", "partial_image_index", "sequence_number",
                                "item_id", "output_index", "t_ms", "first_byte_t_ms", "decoded_t_ms", "format", "width", "height",
                                "bytes", "sha256" };

      for (guint m = 0; m < G_N_ELEMENTS (members); m++)
        g_assert_true (json_object_has_member (f, members[m]));
      g_assert_cmpstr (json_object_get_string_member (f, "kind"), ==, i < 2 ? "partial" : "final");
      g_assert_cmpstr (json_object_get_string_member (f, "sha256"), ==, sha);
      g_assert_cmpint (json_object_get_int_member (f, "sequence_number"), ==, 4 + i);
      g_assert_cmpint (json_object_get_int_member (f, "width"), ==, 16);
    }
}

/* --dump=sse: one {"event","data","id"} object per SSE event and nothing
 * else on stdout. */
static void
test_dump_sse (void)
{
  g_auto(Result) r = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autofree char *contents = NULL;

  if (!check_binary ())
    return;

  run (&r, "--dump=sse", fixture_paths[FIXTURE_OK], NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = stdout_lines (&r);
  g_assert_cmpuint (g_strv_length (lines), ==, ok_n_sse_events);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = parse_json (lines[i]);
      JsonObject *obj;

      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      obj = json_node_get_object (node);
      g_assert_cmpuint (json_object_get_size (obj), ==, 3);
      g_assert_nonnull (json_object_get_string_member (obj, "event"));
      g_assert_nonnull (json_object_get_string_member (obj, "data"));
      g_assert_cmpstr (json_object_get_string_member (obj, "id"), ==, "");
    }

  g_assert_true (g_str_has_prefix (lines[0], "{\"event\":\"response.created\",\"data\":\"{"));
  /* [DONE] has no event: line, so its event is "message". */
  g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, "{\"event\":\"message\",\"data\":\"[DONE]\",\"id\":\"\"}");
}

/* The --dump=sse output is itself a recording (JSON lines). */
static void
test_dump_sse_replay (void)
{
  g_auto(Result) r = { 0 };
  g_auto(Result) replay = { 0 };
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "replay.jsonl", NULL);
  g_autoptr(JsonNode) root = NULL;

  if (!check_binary ())
    return;

  run (&r, "--dump", "sse", fixture_paths[FIXTURE_OK], NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_set_contents (path, r.out, -1, NULL));

  run (&replay, "--json", path, NULL);
  g_assert_cmpint (replay.status, ==, 0);
  root = parse_json (replay.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "frames")), ==, 3);
}

static void
assert_event_line (JsonObject *obj)
{
  const char *members[] = { "type", "sequence_number", "item_id", "output_index", "partial_image_index",
                            "image_bytes", "image_sha256", "t_ms" };

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    if (!json_object_has_member (obj, members[m]))
      g_error ("--dump=events line without “%s”", members[m]);
}

/* --dump=events: every protocol event with every field, null when absent;
 * keepalives, unknown types and [DONE] included; diagnostics as lines. */
static void
test_dump_events (void)
{
  g_auto(Result) r = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  guint n_partials = 0;

  if (!check_binary ())
    return;

  run (&r, "--dump=events", fixture_paths[FIXTURE_OK], NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = stdout_lines (&r);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = parse_json (lines[i]);
      JsonObject *obj = json_node_get_object (node);
      const char *type = json_object_get_string_member (obj, "type");

      g_ptr_array_add (types, g_strdup (type));
      assert_event_line (obj);

      if (g_str_equal (type, "response.image_generation_call.partial_image"))
        {
          GBytes *image = ok_images->pdata[n_partials];
          g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image);

          g_assert_cmpint (json_object_get_int_member (obj, "sequence_number"), ==, 4 + n_partials);
          g_assert_cmpstr (json_object_get_string_member (obj, "item_id"), ==, "ig_1");
          g_assert_cmpint (json_object_get_int_member (obj, "output_index"), ==, 0);
          g_assert_cmpint (json_object_get_int_member (obj, "partial_image_index"), ==, n_partials);
          g_assert_cmpint (json_object_get_int_member (obj, "image_bytes"), ==, g_bytes_get_size (image));
          g_assert_cmpstr (json_object_get_string_member (obj, "image_sha256"), ==, sha);
          n_partials++;
        }
      else if (g_str_equal (type, "keepalive"))
        {
          g_assert_cmpint (json_object_get_int_member (obj, "sequence_number"), ==, 1);
          g_assert_true (json_object_get_null_member (obj, "item_id"));
          g_assert_true (json_object_get_null_member (obj, "output_index"));
          g_assert_true (json_object_get_null_member (obj, "partial_image_index"));
          g_assert_true (json_object_get_null_member (obj, "image_bytes"));
          g_assert_true (json_object_get_null_member (obj, "image_sha256"));
        }
      else if (g_str_equal (type, "[DONE]"))
        {
          g_assert_true (json_object_get_null_member (obj, "sequence_number"));
        }
    }

  g_ptr_array_add (types, NULL);
  joined = g_strjoinv (" ", (char **) types->pdata);
  g_assert_cmpstr (joined, ==,
                   "response.created keepalive response.output_text.delta response.output_item.added "
                   "response.image_generation_call.partial_image response.image_generation_call.partial_image "
                   "response.output_item.done response.completed [DONE]");
}

static void
test_dump_events_diagnostics (void)
{
  g_auto(Result) r = { 0 };
  g_auto(GStrv) lines = NULL;
  gboolean saw_truncated = FALSE;

  if (!check_binary ())
    return;

  run (&r, "--dump=events", fixture_paths[FIXTURE_TRUNCATED], NULL);
  g_assert_cmpint (r.status, ==, 1);
  lines = stdout_lines (&r);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = parse_json (lines[i]);
      JsonObject *obj = json_node_get_object (node);

      if (g_str_equal (json_object_get_string_member (obj, "type"), "diagnostic"))
        {
          const char *severity = json_object_get_string_member (obj, "severity");

          g_assert_true (g_str_equal (severity, "info") || g_str_equal (severity, "warning") ||
                         g_str_equal (severity, "error"));
          g_assert_nonnull (json_object_get_string_member (obj, "code"));
          g_assert_nonnull (json_object_get_string_member (obj, "message"));
          if (g_str_equal (json_object_get_string_member (obj, "code"), "truncated"))
            {
              saw_truncated = TRUE;
              g_assert_cmpstr (severity, ==, "error");
              g_assert_nonnull (strstr (json_object_get_string_member (obj, "message"), "5"));
            }
        }
      else
        assert_event_line (obj);
    }

  g_assert_true (saw_truncated);
}

static void
check_export_dir (const char *dir)
{
  const char *files[] = { "image-1-partial-0.png", "image-1-partial-1.png", "image-1-final.png" };
  g_autofree char *manifest_path = g_build_filename (dir, "manifest.json", NULL);
  g_autofree char *manifest = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *frames;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkPixbuf) exported = gdk_pixbuf_new_from_file (path, &error);
      g_autoptr(GdkPixbuf) expected = rf_test_decode (ok_images->pdata[i]);

      g_assert_no_error (error);
      g_assert_true (gdk_pixbuf_get_has_alpha (exported));
      g_assert_true (rf_test_pixbufs_equal (exported, expected));
    }

  g_assert_true (g_file_get_contents (manifest_path, &manifest, NULL, NULL));
  root = parse_json (manifest);
  frames = json_object_get_array_member (json_node_get_object (root), "frames");
  g_assert_cmpuint (json_array_get_length (frames), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (frames, i), "file"), ==, files[i]);
}

static void
test_export (void)
{
  g_auto(Result) r1 = { 0 };
  g_auto(Result) r2 = { 0 };
  g_autofree char *dir1 = g_build_filename (rf_test_get_temp_dir (), "export-eq", NULL);
  g_autofree char *dir2 = g_build_filename (rf_test_get_temp_dir (), "export-space", NULL);
  g_autofree char *opt = g_strdup_printf ("--export=%s", dir1);

  if (!check_binary ())
    return;

  run (&r1, opt, fixture_paths[FIXTURE_OK], NULL);
  g_assert_cmpint (r1.status, ==, 0);
  check_export_dir (dir1);

  run (&r2, "--export", dir2, fixture_paths[FIXTURE_OK], NULL);
  g_assert_cmpint (r2.status, ==, 0);
  check_export_dir (dir2);
}

/* The status is the same in every output mode. */
static void
test_exit_status (void)
{
  static const int expected[N_FIXTURES] = { 0, 1, 1, 1, 1 };

  if (!check_binary ())
    return;

  for (guint f = 0; f < N_FIXTURES; f++)
    {
      g_autofree char *dir = g_strdup_printf ("%s/status-export-%u", rf_test_get_temp_dir (), f);
      g_autofree char *export_opt = g_strdup_printf ("--export=%s", dir);
      const char *modes[] = { NULL, "--json", "--dump=sse", "--dump=events", export_opt };

      for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
        {
          g_auto(Result) r = { 0 };
          const char *args[3] = { modes[m] ? modes[m] : fixture_paths[f], modes[m] ? fixture_paths[f] : NULL, NULL };

          g_test_message ("%s %s", modes[m] ? modes[m] : "(summary)", fixture_paths[f]);
          run_argv (&r, NULL, args);
          g_assert_cmpint (r.status, ==, expected[f]);
          if (expected[f] != 0)
            g_assert_cmpstr (r.err, !=, "");
        }
    }
}

/* Every error message names its cause. */
static void
test_error_messages (void)
{
  g_auto(Result) error = { 0 };
  g_auto(Result) failed = { 0 };
  g_auto(Result) truncated = { 0 };

  if (!check_binary ())
    return;

  run (&error, fixture_paths[FIXTURE_ERROR], NULL);
  g_assert_cmpint (error.status, ==, 1);
  g_assert_nonnull (strstr (error.err, "Sorry, something went wrong."));
  g_assert_nonnull (strstr (error.err, "event 5"));

  run (&failed, "--json", fixture_paths[FIXTURE_FAILED], NULL);
  g_assert_cmpint (failed.status, ==, 1);
  g_assert_nonnull (strstr (failed.err, "The server gave up."));
  g_assert_nonnull (strstr (failed.err, "5"));
  /* stdout stays a JSON document. */
  {
    g_autoptr(JsonNode) root = parse_json (failed.out);
    JsonObject *obj = json_node_get_object (root);

    g_assert_cmpstr (json_object_get_string_member (obj, "state"), ==, "failed");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "frames")), ==, 1);
  }

  run (&truncated, fixture_paths[FIXTURE_TRUNCATED], NULL);
  g_assert_cmpint (truncated.status, ==, 1);
  g_assert_nonnull (strstr (truncated.err, "5"));
  /* Frames received before are kept and shown. */
  g_assert_nonnull (strstr (truncated.out, "partial 1"));
}

static void
test_usage_errors (void)
{
  g_autofree char *missing = g_build_filename (rf_test_get_temp_dir (), "no-such-recording.sse", NULL);
  const char *folder = rf_test_get_temp_dir ();
  struct {
    const char *args[4];
    const char *stderr_part;
  } cases[] = {
    { { missing, NULL }, "no-such-recording.sse" },
    { { "--json", missing, NULL }, "no-such-recording.sse" },
    { { "--dump=events", missing, NULL }, "no-such-recording.sse" },
    { { folder, NULL }, folder },
    { { "--no-such-option", fixture_paths[FIXTURE_OK], NULL }, "no-such-option" },
    { { fixture_paths[FIXTURE_OK], fixture_paths[FIXTURE_OK], NULL }, "SOURCE" },
    { { "--dump=xml", fixture_paths[FIXTURE_OK], NULL }, "xml" },
    { { "--dump", fixture_paths[FIXTURE_OK], NULL }, NULL },
    { { "--json", "--dump=sse", fixture_paths[FIXTURE_OK], NULL }, NULL },
    { { NULL }, "SOURCE" },
    /* Numbers: a thread per worker, so their count is capped; no NaN. */
    { { "--workers=100000", fixture_paths[FIXTURE_OK], NULL }, "at most 64" },
    { { "--speed=nan", fixture_paths[FIXTURE_OK], NULL }, "--speed takes a number" },
    { { "--idle-timeout=-5", fixture_paths[FIXTURE_OK], NULL }, "cannot be negative" },
    { { "--max-side=-1", fixture_paths[FIXTURE_OK], NULL }, "cannot be negative" },
  };

  if (!check_binary ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) r = { 0 };

      run_argv (&r, NULL, cases[i].args);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.err, !=, "");
      if (cases[i].stderr_part != NULL)
        g_assert_nonnull (strstr (r.err, cases[i].stderr_part));
      /* Machine-readable modes never get an error on stdout. */
      g_assert_null (strstr (r.out, "refinery-inspect:"));
    }
}

static void
test_stdin (void)
{
  g_auto(Result) r = { 0 };
  g_auto(Result) empty = { 0 };
  const char *args[] = { "--json", "-", NULL };
  g_autoptr(JsonNode) root = NULL;

  if (!check_binary ())
    return;

  run_argv (&r, fixture_paths[FIXTURE_OK], args);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "frames")), ==, 3);

  /* Empty stdin: nothing arrived, which is not a complete stream. */
  run_argv (&empty, NULL, args);
  g_assert_cmpint (empty.status, !=, 0);
}

static void
test_demo (void)
{
  g_auto(Result) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *frames;

  if (!check_binary ())
    return;

  run (&r, "--json", "demo", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  frames = json_object_get_array_member (json_node_get_object (root), "frames");
  g_assert_cmpuint (json_array_get_length (frames), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (frames, 3), "kind"), ==, "final");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "state"), ==, "finished");
}

static void
test_version (void)
{
  g_auto(Result) r = { 0 };

  if (!check_binary ())
    return;

  run (&r, "--version", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "refinery-inspect "));
  g_assert_nonnull (strstr (r.out, "GLib"));
  g_assert_nonnull (strstr (r.out, "GdkPixbuf"));
  g_assert_nonnull (strstr (r.out, "png=yes"));
  g_assert_nonnull (strstr (r.out, "jpeg="));
  g_assert_nonnull (strstr (r.out, "webp="));
}

static void
test_help (void)
{
  g_auto(Result) r = { 0 };

  if (!check_binary ())
    return;

  run (&r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--dump"));
  g_assert_nonnull (strstr (r.out, "--export"));
  g_assert_nonnull (strstr (r.out, "--json"));
  g_assert_nonnull (strstr (r.out, "Exit status"));
}

/* --json frames carry diff_prev and ssim_final: null for a lane's first
 * frame and 1 for its final, the others as rf-analysis measures them from
 * the decoded frames. */
static void
test_json_measures (void)
{
  g_auto(Result) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *frames;
  RfAnalysisImage *img[3] = { NULL, NULL, NULL };

  if (!check_binary ())
    return;

  run (&r, "--json", fixture_paths[FIXTURE_OK], NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  frames = json_object_get_array_member (json_node_get_object (root), "frames");
  g_assert_cmpuint (json_array_get_length (frames), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = rf_test_decode (g_ptr_array_index (ok_images, i));

      img[i] = rf_analysis_image_new (pixbuf);
    }

  for (guint i = 0; i < 3; i++)
    {
      JsonObject *f = json_array_get_object_element (frames, i);
      double expected_diff, expected_ssim;

      if (i == 0)
        {
          g_assert_true (json_object_get_null_member (f, "diff_prev"));
          g_assert_true (json_object_get_null_member (f, "diff_prev_rgb"));
        }
      else
        {
          rf_analysis_diff_prev (img[i - 1], img[i], &expected_diff, NULL);
          g_assert_cmpfloat_with_epsilon (json_object_get_double_member (f, "diff_prev"), expected_diff, 1e-4);
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (f, "diff_prev_rgb")), ==, 3);
        }

      expected_ssim = i == 2 ? 1.0 : rf_analysis_ssim_final (img[i], img[2]);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (f, "ssim_final"), expected_ssim, 1e-6);
    }
  for (guint i = 0; i < 3; i++)
    rf_analysis_image_free (img[i]);

  /* The run's summary: times, counts, bytes; no usage in this stream. */
  {
    JsonObject *summary = json_object_get_object_member (json_node_get_object (root), "summary");
    JsonObject *f0 = json_array_get_object_element (frames, 0);
    JsonObject *f2 = json_array_get_object_element (frames, 2);

    g_assert_nonnull (summary);
    g_assert_cmpint (json_object_get_int_member (summary, "first_partial_ms"), ==, json_object_get_int_member (f0, "t_ms"));
    g_assert_cmpint (json_object_get_int_member (summary, "final_ms"), ==, json_object_get_int_member (f2, "t_ms"));
    g_assert_cmpint (json_object_get_int_member (summary, "frames"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (summary, "partials"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (summary, "finals"), ==, 1);
    /* The Responses API's usage is the text model's: shown as sent, not
     * priced; the partials are, at the image tool's model's price. */
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (summary, "usage"),
                                                 "output_tokens"), ==, 1612);
    g_assert_true (json_object_get_null_member (summary, "cost"));
    g_assert_true (json_object_get_null_member (summary, "estimated_cost"));
    g_assert_cmpstr (json_object_get_string_member (summary, "model"), ==, "gpt-image-1");
    g_assert_cmpint (json_object_get_int_member (summary, "partial_image_tokens"), ==, 200);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (summary, "partial_image_cost"),
                                    200 * 40.0 / 1e6, 1e-9);
  }

  /* The summary for people shows them too. */
  {
    g_auto(Result) h = { 0 };

    run (&h, fixture_paths[FIXTURE_OK], NULL);
    g_assert_cmpint (h.status, ==, 0);
    g_assert_nonnull (strstr (h.out, "ssim 1.0000\n"));
    g_assert_nonnull (strstr (h.out, "Summary: first partial "));
    g_assert_nonnull (strstr (h.out, "3 frames (2 partial, 1 final)"));
  }
}

/* The manifest carries the measures too. */
static void
test_export_measures (void)
{
  g_auto(Result) r = { 0 };
  g_autofree char *dir = g_build_filename (rf_test_get_temp_dir (), "export-measures", NULL);
  g_autofree char *manifest = g_build_filename (dir, "manifest.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *frames;

  if (!check_binary ())
    return;

  run (&r, "--export", dir, fixture_paths[FIXTURE_OK], NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (manifest, &text, NULL, NULL));
  root = parse_json (text);
  frames = json_object_get_array_member (json_node_get_object (root), "frames");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (frames, 0), "diff_prev"));
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (frames, 1), "diff_prev"), >, 0);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (frames, 2), "ssim_final"), ==, 1.0);
}

static char *
write_stream (const char *name,
              GBytes     *bytes)
{
  char *path = g_build_filename (rf_test_get_temp_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return path;
}

/* Usage as sent; the cost as sent (OpenRouter) or estimated from the price
 * table for an OpenAI image model named by the request; what the
 * partials add. */
static void
test_usage_and_cost (void)
{
  g_autoptr(GBytes) p0 = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 1);
  g_autoptr(GBytes) fin = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 2);
  g_autofree char *openai = NULL;
  g_autofree char *openrouter = NULL;
  g_autofree char *sidecar = NULL;
  g_autoptr(GError) error = NULL;

  if (!check_binary ())
    return;

  {
    g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_IMAGES);
    g_autoptr(GBytes) bytes = NULL;

    rf_test_stream_images_partial (s, 0, p0);
    rf_test_stream_images_completed (s, fin);
    bytes = rf_test_stream_to_bytes (s);
    openai = write_stream ("usage-openai.sse", bytes);
  }
  {
    g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_OPENROUTER);
    g_autoptr(GBytes) bytes = NULL;

    rf_test_stream_images_partial (s, 0, p0);
    rf_test_stream_images_completed (s, fin);
    rf_test_stream_done (s);
    bytes = rf_test_stream_to_bytes (s);
    openrouter = write_stream ("usage-openrouter.sse", bytes);
  }

  /* Without the request, the model is unknown: usage, no estimate. */
  {
    g_auto(Result) r = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *summary, *usage;

    run (&r, "--json", openai, NULL);
    g_assert_cmpint (r.status, ==, 0);
    root = parse_json (r.out);
    summary = json_object_get_object_member (json_node_get_object (root), "summary");
    usage = json_object_get_object_member (summary, "usage");
    g_assert_cmpint (json_object_get_int_member (usage, "output_tokens"), ==, 4170);
    g_assert_true (json_object_get_null_member (summary, "estimated_cost"));
    g_assert_true (json_object_get_null_member (summary, "partial_image_cost"));
    g_assert_cmpint (json_object_get_int_member (summary, "partial_image_tokens"), ==, 100);
  }

  /* A journal's request sidecar names gpt-image-1: 50 text tokens at $5
   * and 4170 output tokens at $40 per million. */
  sidecar = g_build_filename (rf_test_get_temp_dir (), "usage-openai.request.json", NULL);
  g_file_set_contents (sidecar, "{\"method\":\"POST\",\"api\":\"images\",\"body\":{\"model\":\"gpt-image-1\","
                                "\"prompt\":\"x\",\"stream\":true,\"partial_images\":1}}", -1, &error);
  g_assert_no_error (error);
  {
    g_auto(Result) r = { 0 };
    g_auto(Result) h = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *summary, *prices;

    run (&r, "--json", openai, NULL);
    g_assert_cmpint (r.status, ==, 0);
    root = parse_json (r.out);
    summary = json_object_get_object_member (json_node_get_object (root), "summary");
    g_assert_cmpstr (json_object_get_string_member (summary, "model"), ==, "gpt-image-1");
    g_assert_true (json_object_get_null_member (summary, "cost"));
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (summary, "estimated_cost"),
                                    (50 * 5.0 + 4170 * 40.0) / 1e6, 1e-9);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (summary, "partial_image_cost"),
                                    100 * 40.0 / 1e6, 1e-9);
    prices = json_object_get_object_member (summary, "prices");
    g_assert_true (json_object_get_boolean_member (prices, "estimate"));
    g_assert_true (g_str_has_prefix (json_object_get_string_member (prices, "source"), "https://"));

    run (&h, openai, NULL);
    g_assert_nonnull (strstr (h.out, "Cost: ≈ $0.1671, estimated from the gpt-image-1 prices of "));
    g_assert_nonnull (strstr (h.out, "Partial images: 1, adding 100 output tokens (≈ $0.0040, estimate)"));
  }

  /* OpenRouter sends the cost: shown as sent, not estimated. */
  {
    g_auto(Result) r = { 0 };
    g_auto(Result) h = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *summary;

    run (&r, "--json", openrouter, NULL);
    g_assert_cmpint (r.status, ==, 0);
    root = parse_json (r.out);
    summary = json_object_get_object_member (json_node_get_object (root), "summary");
    g_assert_cmpfloat (json_object_get_double_member (summary, "cost"), ==, 0.0112);
    g_assert_true (json_object_get_null_member (summary, "estimated_cost"));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (summary, "usage"),
                                                 "completion_tokens"), ==, 1290);

    run (&h, openrouter, NULL);
    g_assert_nonnull (strstr (h.out, "Cost: $0.0112 (sent by the provider)"));
  }
}

/* --compare A B: both summaries, frames paired by partial index or by
 * time, each pair measured; exit status as the contract says. */
static void
test_compare (void)
{
  g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *b_path = NULL;

  if (!check_binary ())
    return;

  /* B: the same stream shape, partial 1 and the final different. */
  {
    g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
    g_autoptr(GBytes) bytes = NULL;
    GBytes *partials[2];

    g_ptr_array_add (other, g_bytes_ref (g_ptr_array_index (ok_images, 0)));
    g_ptr_array_add (other, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, TRUE, 7));
    g_ptr_array_add (other, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, TRUE, 8));
    partials[0] = g_ptr_array_index (other, 0);
    partials[1] = g_ptr_array_index (other, 1);
    rf_test_stream_created (s, "resp_2", 2);
    rf_test_stream_image_call (s, 0, "ig_2", partials, 2, g_ptr_array_index (other, 2), NULL);
    rf_test_stream_completed (s, NULL, "ig_2", g_ptr_array_index (other, 2));
    bytes = rf_test_stream_to_bytes (s);
    b_path = write_stream ("compare-b.sse", bytes);
  }

  /* A with itself: every pair identical. */
  {
    g_auto(Result) r = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *pairs;

    run (&r, "--compare", "--json", fixture_paths[FIXTURE_OK], fixture_paths[FIXTURE_OK], NULL);
    g_assert_cmpint (r.status, ==, 0);
    root = parse_json (r.out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "align"), ==, "index");
    pairs = json_object_get_array_member (json_node_get_object (root), "pairs");
    g_assert_cmpuint (json_array_get_length (pairs), ==, 3);
    for (guint i = 0; i < 3; i++)
      {
        JsonObject *p = json_array_get_object_element (pairs, i);

        g_assert_cmpfloat (json_object_get_double_member (p, "diff"), ==, 0);
        g_assert_cmpfloat (json_object_get_double_member (p, "ssim"), ==, 1);
      }
    g_assert_nonnull (json_object_get_object_member (json_object_get_object_member (json_node_get_object (root), "a"),
                                                     "summary"));
  }

  /* A against B by index: partial 0 the same, the rest measured apart,
   * B's larger final resampled to A's size. */
  {
    g_auto(Result) r = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *pairs;
    g_autoptr(GdkPixbuf) pa = rf_test_decode (g_ptr_array_index (ok_images, 1));
    g_autoptr(GdkPixbuf) pb = rf_test_decode (g_ptr_array_index (other, 1));
    g_autoptr(RfAnalysisImage) ia = rf_analysis_image_new (pa);
    g_autoptr(RfAnalysisImage) ib = rf_analysis_image_new (pb);
    double diff;

    run (&r, "--compare", "--json", fixture_paths[FIXTURE_OK], b_path, NULL);
    g_assert_cmpint (r.status, ==, 0);
    root = parse_json (r.out);
    pairs = json_object_get_array_member (json_node_get_object (root), "pairs");
    g_assert_cmpuint (json_array_get_length (pairs), ==, 3);
    g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (pairs, 0), "diff"), ==, 0);
    rf_analysis_diff_prev (ib, ia, &diff, NULL);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_array_get_object_element (pairs, 1), "diff"),
                                    diff, 1e-4);
    g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (pairs, 2), "ssim"), <, 1);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (pairs, 2), "b"),
                                                    "kind"), ==, "final");
  }

  /* By time: each frame of A meets the latest frame B had received by
   * the same time since its start (none when B had none yet). */
  {
    g_auto(Result) r = { 0 };
    g_auto(Result) h = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *pairs, *b_frames;

    run (&r, "--compare", "--json", "--align=time", fixture_paths[FIXTURE_OK], b_path, NULL);
    g_assert_cmpint (r.status, ==, 0);
    root = parse_json (r.out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "align"), ==, "time");
    pairs = json_object_get_array_member (json_node_get_object (root), "pairs");
    b_frames = json_object_get_array_member (json_object_get_object_member (json_node_get_object (root), "b"),
                                             "frames");
    g_assert_cmpuint (json_array_get_length (pairs), ==, 3);
    for (guint i = 0; i < 3; i++)
      {
        JsonObject *p = json_array_get_object_element (pairs, i);
        gint64 ta = json_object_get_int_member (json_object_get_object_member (p, "a"), "t_ms");
        gint64 latest = -1;
        const char *latest_kind = NULL;

        for (guint j = 0; j < json_array_get_length (b_frames); j++)
          {
            JsonObject *f = json_array_get_object_element (b_frames, j);

            if (json_object_get_int_member (f, "t_ms") <= ta)
              {
                latest = json_object_get_int_member (f, "t_ms");
                latest_kind = json_object_get_string_member (f, "kind");
              }
          }

        if (latest < 0)
          g_assert_true (json_object_get_null_member (p, "b"));
        else
          {
            JsonObject *pb = json_object_get_object_member (p, "b");

            g_assert_cmpint (json_object_get_int_member (pb, "t_ms"), ==, latest);
            g_assert_cmpstr (json_object_get_string_member (pb, "kind"), ==, latest_kind);
          }
      }

    /* For people: both summaries in one table, then the pairs. */
    run (&h, "--compare", fixture_paths[FIXTURE_OK], fixture_paths[FIXTURE_OK], NULL);
    g_assert_cmpint (h.status, ==, 0);
    g_assert_nonnull (strstr (h.out, "Comparison, aligned by partial index"));
    g_assert_nonnull (strstr (h.out, "First partial"));
    g_assert_nonnull (strstr (h.out, "3 (2 partial, 1 final)"));
    g_assert_nonnull (strstr (h.out, "Image 1:"));
    g_assert_nonnull (strstr (h.out, "diff   0.0  ssim 1.0000"));
  }

  /* Two images of one run: image 1 against image 2, which share
   * partial 0 and differ after it; one SOURCE is enough. */
  {
    g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
    g_autoptr(GBytes) bytes = NULL;
    g_autofree char *two_path = NULL;
    GBytes *partials_a[2] = { g_ptr_array_index (ok_images, 0), g_ptr_array_index (ok_images, 1) };
    GBytes *partials_b[2] = { g_ptr_array_index (other, 0), g_ptr_array_index (other, 1) };
    RfTestOutput outputs[2] = {
      { 0, "ig_a", g_ptr_array_index (ok_images, 2), NULL },
      { 1, "ig_b", g_ptr_array_index (other, 2), NULL },
    };
    g_auto(Result) r = { 0 };
    g_auto(Result) h = { 0 };
    g_auto(Result) swapped = { 0 };
    g_auto(Result) absent = { 0 };
    g_auto(Result) bad = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *pairs;
    g_autoptr(GdkPixbuf) pa = rf_test_decode (g_ptr_array_index (ok_images, 1));
    g_autoptr(GdkPixbuf) pb = rf_test_decode (g_ptr_array_index (other, 1));
    g_autoptr(RfAnalysisImage) ia = rf_analysis_image_new (pa);
    g_autoptr(RfAnalysisImage) ib = rf_analysis_image_new (pb);
    double diff;

    rf_test_stream_created (s, "resp_3", 2);
    rf_test_stream_image_call (s, 0, "ig_a", partials_a, 2, g_ptr_array_index (ok_images, 2), NULL);
    rf_test_stream_image_call (s, 1, "ig_b", partials_b, 2, g_ptr_array_index (other, 2), NULL);
    rf_test_stream_completed_multi (s, NULL, outputs, 2);
    bytes = rf_test_stream_to_bytes (s);
    two_path = write_stream ("compare-two-images.sse", bytes);

    run (&r, "--compare", "--json", "--lanes=1,2", two_path, NULL);
    g_assert_cmpint (r.status, ==, 0);
    root = parse_json (r.out);
    pairs = json_object_get_array_member (json_node_get_object (root), "pairs");
    g_assert_cmpuint (json_array_get_length (pairs), ==, 3);
    for (guint i = 0; i < 3; i++)
      {
        JsonObject *p = json_array_get_object_element (pairs, i);

        g_assert_cmpint (json_object_get_int_member (p, "lane"), ==, 0);
        g_assert_cmpint (json_object_get_int_member (p, "lane_b"), ==, 1);
      }
    g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (pairs, 0), "diff"), ==, 0);
    g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (pairs, 0), "ssim"), ==, 1);
    rf_analysis_diff_prev (ib, ia, &diff, NULL);
    g_assert_cmpfloat (diff, >, 0);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_array_get_object_element (pairs, 1), "diff"),
                                    diff, 1e-4);

    /* The other way round measures B against A: the same pairs, B's
     * lane first. */
    run (&swapped, "--compare", "--json", "--lanes", "2,1", two_path, two_path, NULL);
    g_assert_cmpint (swapped.status, ==, 0);
    g_assert_nonnull (strstr (swapped.out, "\"lane\" : 1"));
    g_assert_nonnull (strstr (swapped.out, "\"lane_b\" : 0"));

    run (&h, "--compare", "--lanes=1,2", two_path, NULL);
    g_assert_cmpint (h.status, ==, 0);
    g_assert_nonnull (strstr (h.out, "A: image 1 · B: image 2"));
    g_assert_nonnull (strstr (h.out, "Image 1 of A with image 2 of B:"));
    g_assert_nonnull (strstr (h.out, "diff   0.0  ssim 1.0000"));

    /* An image the run does not have, and numbers that are not two. */
    run (&absent, "--compare", "--lanes=1,5", two_path, NULL);
    g_assert_cmpint (absent.status, ==, 2);
    g_assert_nonnull (strstr (absent.err, "run B has 2 images: there is no image 5"));
    run (&bad, "--compare", "--lanes=0,\x1b[2J", two_path, NULL);
    g_assert_cmpint (bad.status, ==, 2);
    g_assert_nonnull (strstr (bad.err, "--lanes takes two image numbers"));
    g_assert_null (strchr (bad.err, '\x1b'));
  }

  /* A run that broke off: 1; usage and I/O: 2. */
  {
    g_auto(Result) r = { 0 };
    g_auto(Result) missing = { 0 };
    g_auto(Result) one = { 0 };
    g_auto(Result) align = { 0 };
    g_auto(Result) lonely = { 0 };

    run (&r, "--compare", fixture_paths[FIXTURE_OK], fixture_paths[FIXTURE_TRUNCATED], NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "run B"));

    run (&missing, "--compare", fixture_paths[FIXTURE_OK], "/nonexistent/run.sse", NULL);
    g_assert_cmpint (missing.status, ==, 2);
    g_assert_cmpstr (missing.out, ==, "");
    g_assert_nonnull (strstr (missing.err, "/nonexistent/run.sse"));

    run (&one, "--compare", fixture_paths[FIXTURE_OK], NULL);
    g_assert_cmpint (one.status, ==, 2);
    g_assert_nonnull (strstr (one.err, "two SOURCEs"));

    run (&align, "--compare", "--align=sideways", fixture_paths[FIXTURE_OK], b_path, NULL);
    g_assert_cmpint (align.status, ==, 2);
    g_assert_nonnull (strstr (align.err, "sideways"));

    run (&lonely, "--align=time", fixture_paths[FIXTURE_OK], NULL);
    g_assert_cmpint (lonely.status, ==, 2);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  write_fixtures ();

  g_test_add_func ("/cli/summary", test_summary);
  g_test_add_func ("/cli/summary-diagnostics", test_summary_diagnostics);
  g_test_add_func ("/cli/json", test_json);
  g_test_add_func ("/cli/dump-sse", test_dump_sse);
  g_test_add_func ("/cli/dump-sse-replay", test_dump_sse_replay);
  g_test_add_func ("/cli/dump-events", test_dump_events);
  g_test_add_func ("/cli/dump-events-diagnostics", test_dump_events_diagnostics);
  g_test_add_func ("/cli/export", test_export);
  g_test_add_func ("/cli/exit-status", test_exit_status);
  g_test_add_func ("/cli/error-messages", test_error_messages);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/stdin", test_stdin);
  g_test_add_func ("/cli/demo", test_demo);
  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/json-measures", test_json_measures);
  g_test_add_func ("/cli/export-measures", test_export_measures);
  g_test_add_func ("/cli/usage-and-cost", test_usage_and_cost);
  g_test_add_func ("/cli/compare", test_compare);

  status = g_test_run ();

  for (guint f = 0; f < N_FIXTURES; f++)
    g_free (fixture_paths[f]);
  g_clear_pointer (&ok_images, g_ptr_array_unref);

  return status;
}
