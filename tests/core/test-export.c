/*
 * test-export.c
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
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "rf-diagnostic.h"
#include "rf-export.h"
#include "rf-file-source.h"
#include "rf-frame.h"
#include "rf-session.h"
#include "rf-test-util.h"

/* rf_export_frames: PNG sequence + manifest.json, pixels exactly as
 * decoded (DESIGN.md "--export=DIR"). */

static void
finished_cb (RfSession *session,
             GMainLoop *loop)
{
  g_main_loop_quit (loop);
}

static RfSession *
run_bytes (GBytes *bytes)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(RfSource) source = rf_file_source_new_for_stream (stream, "test");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  RfSession *session = rf_session_new ();

  g_signal_connect (session, "finished", G_CALLBACK (finished_cb), loop);
  rf_session_start (session, source);
  g_main_loop_run (loop);
  g_assert_true (rf_session_get_finished (session));

  return session;
}

static GPtrArray *
model_to_array (GListModel *model)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (array, g_list_model_get_item (model, i));

  return array;
}

static char *
new_export_dir (const char *name)
{
  char *dir = g_build_filename (rf_test_get_temp_dir (), name, NULL);

  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  return dir;
}

static void
export_session (RfSession  *session,
                const char *dir)
{
  g_autoptr(GPtrArray) frames = model_to_array (rf_session_get_frames (session));
  g_autoptr(GPtrArray) diagnostics = model_to_array (rf_session_get_diagnostics (session));
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_export_frames (frames, diagnostics, file, NULL, &error));
  g_assert_no_error (error);
}

/* Sorted names of the files in @dir. */
static GPtrArray *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));

  return names;
}

static int
cmp_names (gconstpointer a,
           gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static char *
join_names (const char *dir)
{
  g_autoptr(GPtrArray) names = list_dir (dir);

  g_ptr_array_sort (names, cmp_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static JsonObject *
load_manifest (const char *dir,
               JsonParser *parser)
{
  g_autofree char *path = g_build_filename (dir, "manifest.json", NULL);
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_node_get_object (root);
}

/* The exported PNG holds exactly the pixels of an independent decode of
 * the original bytes, as 8-bit RGBA (or RGB when opaque). */
static void
assert_png_matches (const char *dir,
                    const char *name,
                    GBytes     *original)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) exported = gdk_pixbuf_new_from_file (path, &error);
  g_autoptr(GdkPixbuf) expected = rf_test_decode (original);
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 8);
  g_assert_true (memcmp (contents, "\x89PNG\r\n\x1a\n", 8) == 0);
  g_assert_cmpint (gdk_pixbuf_get_bits_per_sample (exported), ==, 8);
  if (gdk_pixbuf_get_has_alpha (expected))
    g_assert_true (gdk_pixbuf_get_has_alpha (exported));
  g_assert_true (rf_test_pixbufs_equal (exported, expected));
}

static void
assert_frame_entry (JsonObject *entry,
                    const char *file,
                    gint64      lane,
                    const char *kind,
                    gint64      partial_index,
                    const char *item_id,
                    gint64      output_index,
                    GBytes     *original,
                    const char *format)
{
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, original);
  g_autoptr(GdkPixbuf) expected = rf_test_decode (original);
  const char *members[] = { "file", "lane", "image", "kind", "partial_image_index", "sequence_number",
                            "item_id", "output_index", "t_ms", "first_byte_t_ms", "decoded_t_ms", "format", "width", "height",
                            "bytes", "sha256" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (!json_object_has_member (entry, members[i]))
      g_error ("manifest frame without “%s”", members[i]);

  g_assert_cmpstr (json_object_get_string_member (entry, "file"), ==, file);
  g_assert_cmpint (json_object_get_int_member (entry, "lane"), ==, lane);
  /* The number people see, which the file is named by. */
  g_assert_cmpint (json_object_get_int_member (entry, "image"), ==, lane + 1);
  {
    g_autofree char *prefix = g_strdup_printf ("image-%" G_GINT64_FORMAT "-", lane + 1);

    g_assert_true (g_str_has_prefix (file, prefix));
  }
  g_assert_cmpstr (json_object_get_string_member (entry, "kind"), ==, kind);
  if (partial_index < 0)
    g_assert_true (json_object_get_null_member (entry, "partial_image_index"));
  else
    g_assert_cmpint (json_object_get_int_member (entry, "partial_image_index"), ==, partial_index);
  if (item_id == NULL)
    g_assert_true (json_object_get_null_member (entry, "item_id"));
  else
    g_assert_cmpstr (json_object_get_string_member (entry, "item_id"), ==, item_id);
  if (output_index < 0)
    g_assert_true (json_object_get_null_member (entry, "output_index"));
  else
    g_assert_cmpint (json_object_get_int_member (entry, "output_index"), ==, output_index);
  g_assert_cmpstr (json_object_get_string_member (entry, "format"), ==, format);
  g_assert_cmpint (json_object_get_int_member (entry, "width"), ==, gdk_pixbuf_get_width (expected));
  g_assert_cmpint (json_object_get_int_member (entry, "height"), ==, gdk_pixbuf_get_height (expected));
  g_assert_cmpint (json_object_get_int_member (entry, "bytes"), ==, g_bytes_get_size (original));
  g_assert_cmpstr (json_object_get_string_member (entry, "sha256"), ==, sha256);
  g_assert_cmpint (json_object_get_int_member (entry, "t_ms"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (entry, "first_byte_t_ms"), <=,
                   json_object_get_int_member (entry, "t_ms"));
  g_assert_cmpint (json_object_get_int_member (entry, "decoded_t_ms"), >=,
                   json_object_get_int_member (entry, "t_ms"));
}

static void
test_png_sequence (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG, TRUE, &images);
  g_autoptr(RfSession) session = run_bytes (bytes);
  g_autofree char *dir = new_export_dir ("png");
  g_autofree char *names = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest;
  JsonArray *frames;
  JsonObject *entry;

  export_session (session, dir);

  names = join_names (dir);
  g_assert_cmpstr (names, ==, "image-1-final.png image-1-partial-0.png image-1-partial-1.png manifest.json original");
  {
    g_autofree char *original = g_build_filename (dir, "original", NULL);
    g_autofree char *original_names = join_names (original);

    /* The payloads as they arrived, under the same names. */
    g_assert_cmpstr (original_names, ==, "image-1-final.png image-1-partial-0.png image-1-partial-1.png");
  }

  assert_png_matches (dir, "image-1-partial-0.png", images->pdata[0]);
  assert_png_matches (dir, "image-1-partial-1.png", images->pdata[1]);
  assert_png_matches (dir, "image-1-final.png", images->pdata[2]);

  manifest = load_manifest (dir, parser);
  frames = json_object_get_array_member (manifest, "frames");
  g_assert_cmpuint (json_array_get_length (frames), ==, 3);
  g_assert_true (json_object_has_member (manifest, "diagnostics"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (manifest, "diagnostics")), ==, 0);

  assert_frame_entry (json_array_get_object_element (frames, 0), "image-1-partial-0.png", 0, "partial", 0,
                      "ig_1", 0, images->pdata[0], "png");
  assert_frame_entry (json_array_get_object_element (frames, 1), "image-1-partial-1.png", 0, "partial", 1,
                      "ig_1", 0, images->pdata[1], "png");
  assert_frame_entry (json_array_get_object_element (frames, 2), "image-1-final.png", 0, "final", -1,
                      "ig_1", 0, images->pdata[2], "png");

  /* Sequence numbers of the carrying events: partials at 5 and 6, the
   * final in output_item.done at 8 (see rf_test_build_stream). */
  entry = json_array_get_object_element (frames, 0);
  g_assert_cmpint (json_object_get_int_member (entry, "sequence_number"), ==, 5);
  entry = json_array_get_object_element (frames, 2);
  g_assert_cmpint (json_object_get_int_member (entry, "sequence_number"), ==, 8);
}

/* JPEG frames are exported as the pixels they decode to; Images API
 * frames have no item id, output index or sequence number. */
static void
test_jpeg_images_api (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = rf_test_build_stream (RF_TEST_FLAVOR_IMAGES, 1, RF_IMAGE_FORMAT_JPEG, FALSE, &images);
  g_autoptr(RfSession) session = run_bytes (bytes);
  g_autofree char *dir = new_export_dir ("jpeg");
  g_autofree char *names = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *frames;

  export_session (session, dir);
  names = join_names (dir);
  g_assert_cmpstr (names, ==, "image-1-final.png image-1-partial-0.png manifest.json original");
  {
    g_autofree char *original = g_build_filename (dir, "original", NULL);
    g_autofree char *original_names = join_names (original);

    /* JPEG payloads keep their own extension. */
    g_assert_cmpstr (original_names, ==, "image-1-final.jpg image-1-partial-0.jpg");
  }
  assert_png_matches (dir, "image-1-partial-0.png", images->pdata[0]);
  assert_png_matches (dir, "image-1-final.png", images->pdata[1]);

  frames = json_object_get_array_member (load_manifest (dir, parser), "frames");
  assert_frame_entry (json_array_get_object_element (frames, 0), "image-1-partial-0.png", 0, "partial", 0,
                      NULL, -1, images->pdata[0], "jpeg");
  assert_frame_entry (json_array_get_object_element (frames, 1), "image-1-final.png", 0, "final", -1,
                      NULL, -1, images->pdata[1], "jpeg");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (frames, 0), "sequence_number"));
}

/* Two images, a partial index that arrived twice, an item id that tries
 * to climb out of the folder, and a frame that did not decode. */
static void
test_names (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) a0 = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 1);
  g_autoptr(GBytes) a0b = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 2);
  g_autoptr(GBytes) a = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 3);
  g_autoptr(GBytes) b0 = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 8, TRUE, 4);
  g_autoptr(GBytes) b = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 8, TRUE, 5);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("not an image, not at all", 24);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfSession) session = NULL;
  g_autofree char *dir = new_export_dir ("names");
  g_autofree char *names = NULL;
  g_autofree char *parent = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest;
  JsonArray *frames;
  JsonArray *diagnostics;
  RfTestOutput outputs[] = { { 0, "../../evil", a, NULL }, { 1, "ig_b/../../x", b, NULL } };

  rf_test_stream_created (s, "resp_1", -1);
  rf_test_stream_partial (s, 0, "../../evil", 0, a0);
  rf_test_stream_partial (s, 0, "../../evil", 0, a0b);
  rf_test_stream_partial (s, 1, "ig_b/../../x", 0, b0);
  rf_test_stream_partial (s, 1, "ig_b/../../x", 1, garbage);
  rf_test_stream_item_done (s, 0, "../../evil", a, NULL);
  rf_test_stream_item_done (s, 1, "ig_b/../../x", b, NULL);
  rf_test_stream_completed_multi (s, NULL, outputs, 2);
  bytes = rf_test_stream_to_bytes (s);
  session = run_bytes (bytes);

  parent = g_path_get_dirname (dir);

  export_session (session, dir);

  names = join_names (dir);
  g_assert_cmpstr (names, ==, "image-1-final.png image-1-partial-0-2.png image-1-partial-0.png "
                              "image-2-final.png image-2-partial-0.png manifest.json original");
  assert_png_matches (dir, "image-1-partial-0.png", a0);
  assert_png_matches (dir, "image-1-partial-0-2.png", a0b);
  assert_png_matches (dir, "image-1-final.png", a);
  assert_png_matches (dir, "image-2-partial-0.png", b0);
  assert_png_matches (dir, "image-2-final.png", b);

  /* Nothing appeared next to the folder. */
  {
    g_autofree char *after = NULL;

    after = join_names (parent);
    /* The export folder itself is new. */
    g_assert_nonnull (strstr (after, "names"));
    g_assert_null (strstr (after, "evil"));
    g_assert_null (strstr (after, ".png"));
  }

  manifest = load_manifest (dir, parser);
  frames = json_object_get_array_member (manifest, "frames");
  g_assert_cmpuint (json_array_get_length (frames), ==, 6);
  assert_frame_entry (json_array_get_object_element (frames, 1), "image-1-partial-0-2.png", 0, "partial", 0,
                      "../../evil", 0, a0b, "png");
  /* The frame that did not decode has no file. */
  g_assert_true (json_object_get_null_member (json_array_get_object_element (frames, 3), "file"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (frames, 3), "partial_image_index"), ==, 1);

  diagnostics = json_object_get_array_member (manifest, "diagnostics");
  g_assert_cmpuint (json_array_get_length (diagnostics), >=, 2);
  for (guint i = 0; i < json_array_get_length (diagnostics); i++)
    {
      JsonObject *d = json_array_get_object_element (diagnostics, i);

      g_assert_true (json_object_has_member (d, "severity"));
      g_assert_true (json_object_has_member (d, "code"));
      g_assert_true (json_object_has_member (d, "message"));
      g_assert_true (json_object_has_member (d, "sequence_number"));
    }
}

static void
test_frame_file_name (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = rf_test_build_stream (RF_TEST_FLAVOR_OPENROUTER, 3, RF_IMAGE_FORMAT_PNG, FALSE, &images);
  g_autoptr(RfSession) session = run_bytes (bytes);
  GListModel *frames = rf_session_get_frames (session);
  const char *expected[] = { "image-1-partial-0.png", "image-1-partial-1.png", "image-1-partial-2.png",
                             "image-1-final.png" };

  g_assert_cmpuint (g_list_model_get_n_items (frames), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
      g_autofree char *name = rf_export_frame_file_name (frame);

      g_assert_cmpstr (name, ==, expected[i]);
    }
}

static void
test_save_png_alpha (void)
{
  g_autoptr(GdkPixbuf) pixbuf = rf_test_make_pixbuf (20, 10, TRUE, 7);
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "alpha.png", NULL);
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_export_save_png (pixbuf, path, &error));
  g_assert_no_error (error);
  loaded = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_get_has_alpha (loaded));
  g_assert_true (rf_test_pixbufs_equal (loaded, pixbuf));
}

static void
test_unwritable (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 0, RF_IMAGE_FORMAT_PNG, FALSE, &images);
  g_autoptr(RfSession) session = run_bytes (bytes);
  g_autoptr(GPtrArray) frames = model_to_array (rf_session_get_frames (session));
  g_autofree char *blocker = g_build_filename (rf_test_get_temp_dir (), "blocker", NULL);
  g_autofree char *dir = g_build_filename (blocker, "sub", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;

  /* A file where a folder should be. */
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  g_assert_false (rf_export_frames (frames, NULL, file, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "blocker"));
}

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (*result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*result);
  return *result;
}

/* The window's "Export Frame…": one frame's pixels, decoded again in a
 * worker; a path-less file is refused with a message. */
static void
test_frame_png_async (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG, TRUE, &images);
  g_autoptr(RfSession) session = run_bytes (bytes);
  g_autoptr(RfFrame) frame = g_list_model_get_item (rf_session_get_frames (session), 1);
  g_autofree char *dir = new_export_dir ("one-frame");
  g_autofree char *path = g_build_filename (dir, "frame.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) remote = g_file_new_for_uri ("http://127.0.0.1:9/frame.png");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  rf_export_frame_png_async (frame, file, NULL, async_done_cb, &result);
  g_assert_true (rf_export_frame_png_finish (wait_for (&result), &error));
  g_assert_no_error (error);
  assert_png_matches (dir, "frame.png", images->pdata[1]);

  rf_export_frame_png_async (frame, remote, NULL, async_done_cb, &refused);
  g_assert_false (rf_export_frame_png_finish (wait_for (&refused), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

/* "Save Raw Recording": the journal's bytes, private, and a link planted
 * where the copy goes is replaced, its target untouched. */
static void
test_copy_journal_async (void)
{
  g_autofree char *dir = new_export_dir ("journal-copy");
  g_autofree char *src = g_build_filename (dir, "run.sse", NULL);
  g_autofree char *dest = g_build_filename (dir, "copy.sse", NULL);
  g_autofree char *target = g_build_filename (dir, "target", NULL);
  g_autoptr(GFile) src_file = g_file_new_for_path (src);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *untouched = NULL;
  GStatBuf st;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (src, "data: {}\n\n", -1, NULL));
  g_assert_true (g_file_set_contents (target, "keep", -1, NULL));
  g_assert_cmpint (symlink (target, dest), ==, 0);

  rf_export_copy_journal_async (src_file, dest_file, NULL, async_done_cb, &result);
  g_assert_true (rf_export_copy_journal_finish (wait_for (&result), &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (dest, &copied, NULL, NULL));
  g_assert_cmpstr (copied, ==, "data: {}\n\n");
  g_assert_true (g_file_get_contents (target, &untouched, NULL, NULL));
  g_assert_cmpstr (untouched, ==, "keep");
  g_assert_cmpint (g_lstat (dest, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/png-sequence", test_png_sequence);
  g_test_add_func ("/export/jpeg-images-api", test_jpeg_images_api);
  g_test_add_func ("/export/names", test_names);
  g_test_add_func ("/export/frame-file-name", test_frame_file_name);
  g_test_add_func ("/export/save-png-alpha", test_save_png_alpha);
  g_test_add_func ("/export/unwritable", test_unwritable);
  g_test_add_func ("/export/frame-png-async", test_frame_png_async);
  g_test_add_func ("/export/copy-journal-async", test_copy_journal_async);

  return g_test_run ();
}
