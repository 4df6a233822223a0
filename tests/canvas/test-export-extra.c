/*
 * test-export-extra.c
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

#ifdef HAVE_LIBWEBPDEMUX
# include <webp/demux.h>
#endif

#include "canvas-fixture.h"
#include "rf-contact-sheet.h"
#include "rf-export.h"
#include "rf-file-util.h"
#include "rf-webp-export.h"

/* Layout constants of rf-contact-sheet.c. */
#define MARGIN       24
#define GAP          16
#define LABEL_HEIGHT 48

static GPtrArray *
lane_frames (RfSession *session,
             guint      lane)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = fixture_lane_n_frames (session, lane);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (frames, g_object_ref (fixture_lane_frame (session, lane, i)));

  return frames;
}

static void
test_contact_sheet (void)
{
  g_autoptr(RfSession) session = fixture_demo_session (200, 100);
  g_autoptr(GPtrArray) frames = lane_frames (session, 0);
  g_autoptr(GdkPixbuf) sheet = NULL;
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "sheet.png", NULL);

  g_assert_cmpuint (frames->len, ==, 4);

  /* Default: one row of up to four columns. */
  sheet = rf_contact_sheet_render (frames, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (sheet), ==, 2 * MARGIN + 4 * 100 + 3 * GAP);
  g_assert_cmpint (gdk_pixbuf_get_height (sheet), ==, 2 * MARGIN + 100 + LABEL_HEIGHT);
  g_clear_object (&sheet);

  /* Two columns: two rows. */
  sheet = rf_contact_sheet_render (frames, 2, 128, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (sheet), ==, 2 * MARGIN + 2 * 128 + GAP);
  g_assert_cmpint (gdk_pixbuf_get_height (sheet), ==, 2 * MARGIN + 2 * (128 + LABEL_HEIGHT) + GAP);

  /* The first cell holds the first frame, fitted (200×100 → 128×64),
   * centred vertically: its middle pixel matches the scaled frame. */
  {
    g_autoptr(GdkPixbuf) first = rf_frame_decode_pixbuf (g_ptr_array_index (frames, 0), NULL);
    g_autoptr(GdkPixbuf) scaled = gdk_pixbuf_scale_simple (first, 128, 64, GDK_INTERP_BILINEAR);
    g_autoptr(GdkPixbuf) cell = gdk_pixbuf_new_subpixbuf (sheet, MARGIN, MARGIN + 32, 128, 64);

    g_assert_cmpfloat (rf_test_pixbufs_mean_diff (cell, scaled), <, 4.0);
  }

  g_assert_true (rf_contact_sheet_save_png (frames, 3, 64, path, &error));
  g_assert_no_error (error);
  loaded = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (loaded), ==, 2 * MARGIN + 3 * 64 + 2 * GAP);
  g_assert_cmpint (gdk_pixbuf_get_height (loaded), ==, 2 * MARGIN + 2 * (64 + LABEL_HEIGHT) + GAP);

  /* Nothing to show is an error, not a crash. */
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();
    g_autoptr(GdkPixbuf) empty = rf_contact_sheet_render (none, 0, 0, &error);

    g_assert_null (empty);
    g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_PARAMETER);
  }
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_contact_sheet_save_png_finish (result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_contact_sheet_async (void)
{
  g_autoptr(RfSession) session = fixture_demo_session (64, 64);
  g_autoptr(GPtrArray) frames = lane_frames (session, 0);
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "sheet-async.png", NULL);
  gboolean done = FALSE;

  rf_contact_sheet_save_png_async (frames, 0, 0, path, NULL, save_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_webp_animation (void)
{
#ifdef HAVE_LIBWEBPDEMUX
  g_autoptr(RfSession) session = fixture_demo_session (96, 64);
  g_autoptr(GPtrArray) frames = lane_frames (session, 0);
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "progression.webp", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GdkPixbuf) final = NULL;
  WebPAnimDecoderOptions options;
  WebPAnimDecoder *decoder;
  WebPAnimInfo info;
  WebPData data;
  guint n_frames = 0;
  int last_timestamp = 0;
  uint8_t *last = NULL;
  gsize len;

  if (!rf_webp_export_is_supported ())
    {
      g_test_skip ("Built without libwebp");
      return;
    }

  g_assert_true (rf_webp_export_animation (frames, 0, path, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  data.bytes = (const uint8_t *) contents;
  data.size = len;

  g_assert_true (WebPAnimDecoderOptionsInit (&options));
  options.color_mode = MODE_RGBA;
  decoder = WebPAnimDecoderNew (&data, &options);
  g_assert_nonnull (decoder);
  g_assert_true (WebPAnimDecoderGetInfo (decoder, &info));
  g_assert_cmpuint (info.canvas_width, ==, 96);
  g_assert_cmpuint (info.canvas_height, ==, 64);
  g_assert_cmpuint (info.frame_count, ==, frames->len);
  g_assert_cmpuint (info.loop_count, ==, 0);

  while (WebPAnimDecoderHasMoreFrames (decoder))
    {
      int timestamp;

      g_assert_true (WebPAnimDecoderGetNext (decoder, &last, &timestamp));
      g_assert_cmpint (timestamp, >, last_timestamp);
      last_timestamp = timestamp;
      n_frames++;
    }
  g_assert_cmpuint (n_frames, ==, frames->len);

  /* Lossless: the last animation frame is the final, pixel for pixel. */
  final = rf_frame_decode_pixbuf (g_ptr_array_index (frames, frames->len - 1), &error);
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) bytes = g_bytes_new (last, 96 * 64 * 4);
    g_autoptr(GdkPixbuf) decoded = gdk_pixbuf_new_from_bytes (bytes, GDK_COLORSPACE_RGB, TRUE, 8, 96, 64, 96 * 4);

    g_assert_true (rf_test_pixbufs_equal (decoded, final));
  }

  WebPAnimDecoderDelete (decoder);

  /* A fixed frame duration. */
  g_assert_true (rf_webp_export_animation (frames, 250, path, &error));
  g_assert_no_error (error);
#else
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSession) session = fixture_demo_session (32, 32);
  g_autoptr(GPtrArray) frames = lane_frames (session, 0);
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "progression.webp", NULL);

  if (!rf_webp_export_is_supported ())
    {
      g_assert_false (rf_webp_export_animation (frames, 0, path, &error));
      g_assert_error (error, RF_ERROR, RF_ERROR_UNSUPPORTED_FORMAT);
      return;
    }

  g_test_skip ("No libwebpdemux to check the animation");
#endif
}

/* The contact sheet, the animation, a single frame and the recording
 * copy all write through the same helper: a link planted at the chosen
 * name is replaced by the new file and its target keeps bytes and mode. */
static void
assert_link_replaced (const char *link,
                      const char *target)
{
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
}

static char *
plant_link (const char *name,
            const char *target)
{
  char *link = g_build_filename (rf_test_get_temp_dir (), name, NULL);

  g_assert_true (g_file_set_contents (target, "keep me", -1, NULL));
  g_assert_cmpint (g_chmod (target, 0600), ==, 0);
  g_assert_cmpint (symlink (target, link), ==, 0);

  return link;
}

static void
test_no_follow (void)
{
  g_autoptr(RfSession) session = fixture_demo_session (32, 32);
  g_autoptr(GPtrArray) frames = lane_frames (session, 0);
  g_autofree char *target = g_build_filename (rf_test_get_temp_dir (), "victim", NULL);
  g_autoptr(GError) error = NULL;

  {
    g_autofree char *link = plant_link ("sheet-link.png", target);
    g_autoptr(GdkPixbuf) loaded = NULL;

    g_assert_true (rf_contact_sheet_save_png (frames, 0, 32, link, &error));
    g_assert_no_error (error);
    assert_link_replaced (link, target);
    loaded = gdk_pixbuf_new_from_file (link, &error);
    g_assert_no_error (error);
    g_unlink (target);
  }

  {
    g_autofree char *link = plant_link ("frame-link.png", target);
    g_autoptr(GdkPixbuf) pixbuf = rf_frame_decode_pixbuf (g_ptr_array_index (frames, 0), NULL);
    g_autoptr(GdkPixbuf) loaded = NULL;

    g_assert_true (rf_export_save_png (pixbuf, link, &error));
    g_assert_no_error (error);
    assert_link_replaced (link, target);
    loaded = gdk_pixbuf_new_from_file (link, &error);
    g_assert_no_error (error);
    g_assert_true (rf_test_pixbufs_equal (loaded, pixbuf));
    g_unlink (target);
  }

  {
    g_autofree char *link = plant_link ("copy-link.sse", target);
    g_autofree char *src = g_build_filename (rf_test_get_temp_dir (), "journal.sse", NULL);
    g_autofree char *copied = NULL;
    GStatBuf st;

    g_assert_true (g_file_set_contents (src, "data: {}\n\n", -1, NULL));
    g_assert_true (rf_file_replace_with_copy (link, src, 0600, NULL, &error));
    g_assert_no_error (error);
    assert_link_replaced (link, target);
    g_assert_true (g_file_get_contents (link, &copied, NULL, NULL));
    g_assert_cmpstr (copied, ==, "data: {}\n\n");
    g_assert_cmpint (g_stat (link, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0077, ==, 0);
    g_unlink (target);
  }

  if (rf_webp_export_is_supported ())
    {
      g_autofree char *link = plant_link ("anim-link.webp", target);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (rf_webp_export_animation (frames, 0, link, &error));
      g_assert_no_error (error);
      assert_link_replaced (link, target);
      g_assert_true (g_file_get_contents (link, &contents, &len, NULL));
      g_assert_cmpuint (len, >, 12);
      g_assert_cmpint (memcmp (contents + 8, "WEBP", 4), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export-extra/contact-sheet", test_contact_sheet);
  g_test_add_func ("/export-extra/no-follow", test_no_follow);
  g_test_add_func ("/export-extra/contact-sheet-async", test_contact_sheet_async);
  g_test_add_func ("/export-extra/webp-animation", test_webp_animation);

  return g_test_run ();
}
