/*
 * rf-http-test-util.h
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

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "rf-compare-window.h"
#include "rf-file-util.h"
#include "rf-frame.h"
#include "rf-journal.h"
#include "rf-session.h"
#include "rf-source.h"
#include "rf-test-util.h"
#include "rf-ui-test-util.h"
#include "rf-window-private.h"

/* A: partials 0 and 1 and a final; B: the same partial 0, the rest
 * different images. */
static GPtrArray *images_a;
static GPtrArray *images_b;
static char *path_a;
static char *path_b;

static GBytes *
stream_of (GPtrArray *images)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  GBytes *partials[2] = { g_ptr_array_index (images, 0), g_ptr_array_index (images, 1) };

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_image_call (s, 0, "ig_1", partials, 2, g_ptr_array_index (images, 2), NULL);
  rf_test_stream_completed (s, NULL, "ig_1", g_ptr_array_index (images, 2));
  return rf_test_stream_to_bytes (s);
}

static void
make_journals (void)
{
  g_autofree char *dir = rf_journal_dup_runs_dir ();
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GError) error = NULL;

  images_a = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  images_b = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (images_a, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, FALSE, 10 + i));
  g_ptr_array_add (images_b, g_bytes_ref (g_ptr_array_index (images_a, 0)));
  g_ptr_array_add (images_b, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, FALSE, 21));
  g_ptr_array_add (images_b, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, FALSE, 22));

  g_assert_true (rf_file_ensure_dir (dir, 0700, &error));
  g_assert_no_error (error);
  path_a = g_build_filename (dir, "20261207T100000Z-a.sse", NULL);
  path_b = g_build_filename (dir, "20261207T110000Z-b.sse", NULL);
  a = stream_of (images_a);
  b = stream_of (images_b);
  g_assert_true (g_file_set_contents (path_a, g_bytes_get_data (a, NULL), g_bytes_get_size (a), NULL));
  g_assert_true (g_file_set_contents (path_b, g_bytes_get_data (b, NULL), g_bytes_get_size (b), NULL));
}

static gboolean
ready (gpointer data)
{
  return rf_compare_window_get_ready (data);
}

static gboolean
view_shows_all (gpointer data)
{
  gboolean a, b, d;

  rf_compare_view_get_shown (rf_compare_window_get_view (data), &a, &b, &d);
  return a && b && d;
}

/* The difference the comparison reports, computed here from the images:
 * mean absolute difference of R, G and B (opaque images: the RGBA mean
 * counts a fourth channel that never differs). */
static double
expected_diff (GBytes *a,
               GBytes *b)
{
  g_autoptr(GdkPixbuf) pa = rf_test_decode (a);
  g_autoptr(GdkPixbuf) pb = rf_test_decode (b);

  return rf_test_pixbufs_mean_diff (pa, pb) * 4 / 3;
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_compare_window_export_finish (RF_COMPARE_WINDOW (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
export_heat_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = _rf_window_export_finish (RF_WINDOW (object), result, &error);

  if (g_object_get_data (object, "rf-expect-error"))
    {
      g_assert_false (ok);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  *done = TRUE;
}

static void
test_open (void)
{
  RfCompareWindow *window = rf_compare_window_new ();
  g_autoptr(GFile) fa = g_file_new_for_path (path_a);
  g_autoptr(GFile) fb = g_file_new_for_path (path_b);
  g_autofree char *summary = NULL;
  g_autofree char *json_path = g_build_filename (rf_test_get_temp_dir (), "comparison.json", NULL);
  g_autofree char *png_path = g_build_filename (rf_test_get_temp_dir (), "comparison.png", NULL);
  g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
  g_autoptr(GFile) png_file = g_file_new_for_path (png_path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GdkPixbuf) grid = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *pairs_json;
  GPtrArray *pairs;
  gboolean done = FALSE;

  gtk_window_present (GTK_WINDOW (window));
  rf_compare_window_open (window, fa, fb);
  g_assert_true (rf_test_wait_until (ready, window, 30000));

  /* Paired by partial index: partial 0, partial 1, final; the shared
   * partial 0 is identical, the others differ by what the images do. */
  pairs = rf_compare_window_get_pairs (window);
  g_assert_cmpuint (pairs->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      RfComparePair *pair = g_ptr_array_index (pairs, i);

      g_assert_nonnull (pair->a);
      g_assert_nonnull (pair->b);
      g_assert_true (pair->measured);
      g_assert_cmpint (rf_frame_get_partial_index (pair->a), ==, rf_frame_get_partial_index (pair->b));
      g_assert_cmpfloat_with_epsilon (pair->diff, expected_diff (g_ptr_array_index (images_a, i),
                                                                 g_ptr_array_index (images_b, i)), 1e-6);
    }
  g_assert_cmpfloat (((RfComparePair *) g_ptr_array_index (pairs, 0))->diff, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (((RfComparePair *) g_ptr_array_index (pairs, 0))->ssim, 1.0, 1e-9);
  g_assert_cmpfloat (((RfComparePair *) g_ptr_array_index (pairs, 2))->diff, >, 1.0);

  /* Both summaries in one table. */
  summary = rf_compare_window_dup_summary_text (window);
  g_assert_nonnull (strstr (summary, "|A|B\n"));
  g_assert_nonnull (strstr (summary, "Frames|3|3\n"));
  g_assert_nonnull (strstr (summary, "Partials|2|2\n"));

  /* The pair chosen is shown in each mode, its difference made too. */
  rf_compare_window_select_pair (window, 2);
  g_assert_true (rf_test_wait_until (view_shows_all, window, 30000));
  rf_compare_view_set_mode (rf_compare_window_get_view (window), RF_COMPARE_VIEW_WIPE);
  rf_compare_view_set_wipe (rf_compare_window_get_view (window), 0.25);
  rf_test_spin (50);
  rf_compare_view_set_mode (rf_compare_window_get_view (window), RF_COMPARE_VIEW_DIFFERENCE);
  rf_test_spin (50);

  /* The JSON report: the one refinery-inspect --compare --json prints. */
  rf_compare_window_export_json_async (window, json_file, export_done_cb, &done);
  g_assert_true (rf_test_wait_until (is_true, &done, 30000));
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "align"), ==, "index");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (root, "a"),
                                                                              "summary"), "frames"), ==, 3);
  pairs_json = json_object_get_array_member (root, "pairs");
  g_assert_cmpuint (json_array_get_length (pairs_json), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (pairs_json, 0), "diff"), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_array_get_object_element (pairs_json, 2), "diff"),
                                  ((RfComparePair *) g_ptr_array_index (pairs, 2))->diff, 1e-4);

  /* The PNG grid: a row per pair, A, B and their difference; the
   * identical pair's difference is black, the final's is not. */
  done = FALSE;
  rf_compare_window_export_grid_async (window, png_file, export_done_cb, &done);
  g_assert_true (rf_test_wait_until (is_true, &done, 30000));
  grid = gdk_pixbuf_new_from_file (png_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (grid), ==, 3 * 256 + 4 * 4);
  g_assert_cmpint (gdk_pixbuf_get_height (grid), ==, 3 * (256 + 4) + 4);
  {
    const guint8 *px = gdk_pixbuf_read_pixels (grid);
    int stride = gdk_pixbuf_get_rowstride (grid);
    int n = gdk_pixbuf_get_n_channels (grid);
    int x = 3 * 4 + 2 * 256 + 128;
    const guint8 *same = px + (4 + 128) * stride + x * n;
    const guint8 *other = px + (4 + 2 * 260 + 128) * stride + x * n;
    gboolean differs = FALSE;

    g_assert_cmpint (same[0] + same[1] + same[2], ==, 0);
    for (int dx = -100; dx <= 100 && !differs; dx++)
      differs = other[dx * n] > 0;
    g_assert_true (differs);
  }

  /* By time, too. */
  rf_compare_window_set_align (window, RF_COMPARE_ALIGN_TIME);
  g_assert_true (rf_test_wait_until (ready, window, 30000));
  g_assert_cmpuint (rf_compare_window_get_pairs (window)->len, >=, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* From the history: the two runs there are picked, A the one asked for. */
static void
test_pick (void)
{
  RfCompareWindow *window = rf_compare_window_new ();
  g_autoptr(GFile) fa = g_file_new_for_path (path_a);
  g_autofree char *source_a = NULL;

  gtk_window_present (GTK_WINDOW (window));
  rf_compare_window_pick (window, fa);
  g_assert_true (rf_test_wait_until (ready, window, 30000));
  source_a = rf_source_dup_description (rf_session_get_source (rf_compare_window_get_session (window, 0)));
  g_assert_nonnull (strstr (source_a, "20261207T100000Z-a.sse"));
  g_assert_cmpuint (rf_compare_window_get_pairs (window)->len, ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

static GdkPixbuf *
solid (int    width,
       int    height,
       guint8 value)
{
  GdkPixbuf *p = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);

  gdk_pixbuf_fill (p, ((guint32) value << 24) | ((guint32) value << 16) | ((guint32) value << 8) | 0xff);
  return p;
}

/* Where a frame changed, per region: a uniform shift of 10 is 10
 * everywhere; identical frames 0; a change in one corner only there. */
static void
test_change_blocks (void)
{
  g_autoptr(GdkPixbuf) a = solid (40, 24, 100);
  g_autoptr(GdkPixbuf) b = solid (40, 24, 110);
  g_autoptr(GdkPixbuf) c = gdk_pixbuf_copy (a);
  g_autoptr(GdkPixbuf) map = NULL;
  g_autofree double *shift = NULL;
  g_autofree double *same = NULL;
  g_autofree double *corner = NULL;
  int cols, rows;

  shift = rf_compare_change_blocks (a, b, 16, &cols, &rows);
  g_assert_cmpint (cols, ==, 3);
  g_assert_cmpint (rows, ==, 2);
  for (int i = 0; i < cols * rows; i++)
    g_assert_cmpfloat (shift[i], ==, 10.0);

  same = rf_compare_change_blocks (a, a, 16, &cols, &rows);
  for (int i = 0; i < cols * rows; i++)
    g_assert_cmpfloat (same[i], ==, 0.0);

  /* 8x8 pixels changed by 64 in the first region of 16x16: 64/4. */
  gdk_pixbuf_fill (c, 0x646464ff);
  {
    g_autoptr(GdkPixbuf) sub = gdk_pixbuf_new_subpixbuf (c, 0, 0, 8, 8);

    gdk_pixbuf_fill (sub, 0xa4a4a4ff);
  }
  corner = rf_compare_change_blocks (a, c, 16, &cols, &rows);
  g_assert_cmpfloat (corner[0], ==, 16.0);
  for (int i = 1; i < cols * rows; i++)
    g_assert_cmpfloat (corner[i], ==, 0.0);

  /* On the image: the changed region is tinted, the others dim grey. */
  map = rf_compare_change_heat_map (a, c, 16);
  {
    const guint8 *px = gdk_pixbuf_read_pixels (map);
    int stride = gdk_pixbuf_get_rowstride (map);
    const guint8 *hot = px + 12 * stride + 12 * 3;
    const guint8 *cold = px + 20 * stride + 30 * 3;

    guint8 heat[3];

    /* The changed region has the colour of its change, 16: violet. */
    rf_compare_heat_colour (16, heat);
    g_assert_cmpmem (hot, 3, heat, 3);
    g_assert_cmpint (hot[2], >, hot[0]);
    /* The others are the frame at a third of its luma. */
    g_assert_cmpint (cold[0], ==, 33);
    g_assert_cmpint (cold[1], ==, 33);
    g_assert_cmpint (cold[2], ==, 33);
  }
}

static gboolean
session_finished (gpointer data)
{
  RfSession *session = rf_window_get_session (data);

  return session != NULL && rf_session_get_finished (session);
}

/* The window exports where its selected frame changed from the one
 * before: the heat map of those two frames, at the frame's size. */
static void
test_heat_map_export (void)
{
  RfWindow *window = rf_window_new (NULL);
  g_autoptr(GFile) fa = g_file_new_for_path (path_b);
  g_autofree char *png_path = g_build_filename (rf_test_get_temp_dir (), "changes.png", NULL);
  g_autoptr(GFile) png = g_file_new_for_path (png_path);
  g_autoptr(GdkPixbuf) got = NULL;
  g_autoptr(GdkPixbuf) before = NULL;
  g_autoptr(GdkPixbuf) after = NULL;
  g_autoptr(GdkPixbuf) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfFrame) frame = NULL;
  gboolean done = FALSE;

  gtk_window_present (GTK_WINDOW (window));
  rf_window_open_file (window, fa);
  g_assert_true (rf_test_wait_until (session_finished, window, 30000));

  /* B's partial 1: it changed from B's partial 0 (A's image) to seed 21. */
  frame = g_list_model_get_item (rf_session_get_frames (rf_window_get_session (window)), 1);
  rf_session_set_selected_frame (rf_window_get_session (window), frame);
  _rf_window_export_heat_map_async (window, png, export_heat_done_cb, &done);
  g_assert_true (rf_test_wait_until (is_true, &done, 30000));

  got = gdk_pixbuf_new_from_file (png_path, &error);
  g_assert_no_error (error);
  before = rf_test_decode (g_ptr_array_index (images_b, 0));
  after = rf_test_decode (g_ptr_array_index (images_b, 1));
  expected = rf_compare_change_heat_map (before, after, 16);
  g_assert_cmpint (gdk_pixbuf_get_width (got), ==, 32);
  g_assert_true (rf_test_pixbufs_equal (got, expected));

  /* The first frame changed from nothing: said so, nothing written. */
  g_clear_object (&frame);
  frame = g_list_model_get_item (rf_session_get_frames (rf_window_get_session (window)), 0);
  rf_session_set_selected_frame (rf_window_get_session (window), frame);
  done = FALSE;
  g_object_set_data (G_OBJECT (window), "rf-expect-error", GINT_TO_POINTER (TRUE));
  _rf_window_export_heat_map_async (window, png, export_heat_done_cb, &done);
  g_assert_true (rf_test_wait_until (is_true, &done, 30000));

  gtk_window_destroy (GTK_WINDOW (window));
}


static RfCompareWindow *
find_compare_window (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (RF_IS_COMPARE_WINDOW (l->data))
      return l->data;

  return NULL;
}

static gboolean
compare_window_ready (gpointer data)
{
  RfCompareWindow *window = find_compare_window ();

  return window != NULL && rf_compare_window_get_ready (window);
}

static gboolean
status_says (gpointer data)
{
  RfCompareWindow *window = find_compare_window ();
  GtkWidget *page = window ? rf_ui_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE) : NULL;

  return page != NULL && gtk_widget_get_mapped (page) &&
         strstr (adw_status_page_get_description (ADW_STATUS_PAGE (page)), data) != NULL;
}

/* Two images of one run, from the main window's menu: image 1 against
 * image 2, frame by frame; the pickers choose others, and an image the
 * run does not have is said, not shown empty. */
static void
test_two_images (void)
{
  RfWindow *window = rf_window_new (NULL);
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "two-images.sse", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GBytes *partials_a[2] = { g_ptr_array_index (images_a, 0), g_ptr_array_index (images_a, 1) };
  GBytes *partials_b[2] = { g_ptr_array_index (images_b, 0), g_ptr_array_index (images_b, 1) };
  RfTestOutput outputs[2] = {
    { 0, "ig_a", g_ptr_array_index (images_a, 2), NULL },
    { 1, "ig_b", g_ptr_array_index (images_b, 2), NULL },
  };
  RfCompareWindow *compare;
  GtkDropDown *a_lane, *b_lane;
  GPtrArray *pairs;

  rf_test_stream_created (s, "resp_two", 2);
  rf_test_stream_image_call (s, 0, "ig_a", partials_a, 2, g_ptr_array_index (images_a, 2), NULL);
  rf_test_stream_image_call (s, 1, "ig_b", partials_b, 2, g_ptr_array_index (images_b, 2), NULL);
  rf_test_stream_completed_multi (s, NULL, outputs, 2);
  bytes = rf_test_stream_to_bytes (s);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));

  gtk_window_present (GTK_WINDOW (window));
  rf_window_open_file (window, file);
  g_assert_true (rf_test_wait_until (session_finished, window, 30000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare-images", NULL));
  g_assert_true (rf_test_wait_until (compare_window_ready, NULL, 30000));
  compare = find_compare_window ();

  pairs = rf_compare_window_get_pairs (compare);
  g_assert_cmpuint (pairs->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      RfComparePair *pair = g_ptr_array_index (pairs, i);

      g_assert_cmpuint (pair->lane, ==, 0);
      g_assert_cmpuint (pair->lane_b, ==, 1);
      g_assert_true (pair->measured);
      g_assert_cmpuint (rf_frame_get_lane_index (pair->a), ==, 0);
      g_assert_cmpuint (rf_frame_get_lane_index (pair->b), ==, 1);
      g_assert_cmpfloat_with_epsilon (pair->diff, expected_diff (g_ptr_array_index (images_a, i),
                                                                 g_ptr_array_index (images_b, i)), 1e-6);
    }
  g_assert_cmpfloat (((RfComparePair *) g_ptr_array_index (pairs, 0))->diff, ==, 0.0);

  /* The pickers show the choice: image 1 and image 2 of the run. */
  a_lane = GTK_DROP_DOWN (rf_ui_test_find (GTK_WIDGET (compare), rf_ui_test_tooltip_is, "Image of Run A"));
  b_lane = GTK_DROP_DOWN (rf_ui_test_find (GTK_WIDGET (compare), rf_ui_test_tooltip_is, "Image of Run B"));
  g_assert_cmpuint (gtk_drop_down_get_selected (a_lane), ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (b_lane), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (b_lane)), ==, 3);

  /* Image 2 against itself: every pair the same. */
  gtk_drop_down_set_selected (a_lane, 2);
  g_assert_true (rf_test_wait_until (compare_window_ready, NULL, 30000));
  pairs = rf_compare_window_get_pairs (compare);
  g_assert_cmpuint (pairs->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      RfComparePair *pair = g_ptr_array_index (pairs, i);

      g_assert_cmpuint (pair->lane, ==, 1);
      g_assert_cmpfloat (pair->diff, ==, 0.0);
    }

  /* An image the run lacks. */
  rf_compare_window_set_lanes (compare, 0, 4);
  g_assert_false (rf_compare_window_get_ready (compare));
  g_assert_true (rf_test_wait_until (status_says, (gpointer) "Run B has 2 images: there is no image 5", 30000));

  /* Back to every image by its number: image 1 with image 1, 2 with 2. */
  gtk_drop_down_set_selected (a_lane, 0);
  gtk_drop_down_set_selected (b_lane, 0);
  g_assert_true (rf_test_wait_until (compare_window_ready, NULL, 30000));
  g_assert_cmpuint (rf_compare_window_get_pairs (compare)->len, ==, 6);

  gtk_window_destroy (GTK_WINDOW (compare));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!rf_ui_test_init (&argc, &argv, RF_UI_TEST_DEFAULT))
    return g_test_run ();

  make_journals ();

  g_test_add_func ("/ui/compare/open", test_open);
  g_test_add_func ("/ui/compare/pick", test_pick);
  g_test_add_func ("/ui/compare/change-blocks", test_change_blocks);
  g_test_add_func ("/ui/compare/heat-map-export", test_heat_map_export);
  g_test_add_func ("/ui/compare/two-images", test_two_images);

  return g_test_run ();
}
