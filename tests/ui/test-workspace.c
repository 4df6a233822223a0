/*
 * test-workspace.c
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

/* The main window as a daily tool: a run with many images, the timeline
 * under it, and the window's remembered state. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-error-toast.h"
#include "rf-frame.h"
#include "rf-generate-dialog.h"
#include "rf-image.h"
#include "rf-journal.h"
#include "rf-lane.h"
#include "rf-player.h"
#include "rf-test-util.h"
#include "rf-ui-test-util.h"
#include "rf-timeline-private.h"
#include "rf-window-private.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#define N_IMAGES 5
#define N_PARTIALS 2

static gboolean
session_finished (gpointer data)
{
  RfSession *session = rf_window_get_session (data);

  return session != NULL && rf_session_get_finished (session);
}

/* A recording of one response with five images, each two partials and
 * its final, one after the other. */
static char *
write_five_image_recording (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) bytes = NULL;
  guint seed = 0;

  rf_test_stream_created (s, "resp_5", N_PARTIALS);
  rf_test_stream_in_progress (s);
  for (int i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *id = g_strdup_printf ("ig_%d", i);
      GBytes *partials[N_PARTIALS];
      g_autoptr(GBytes) final = NULL;

      for (int p = 0; p < N_PARTIALS; p++)
        partials[p] = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, FALSE, seed++);
      final = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, FALSE, seed++);
      rf_test_stream_image_call (s, i, id, partials, N_PARTIALS, final, NULL);
      for (int p = 0; p < N_PARTIALS; p++)
        g_bytes_unref (partials[p]);
    }
  rf_test_stream_completed (s, NULL, NULL, NULL);

  bytes = rf_test_stream_to_bytes (s);
  return rf_test_write_temp_file (bytes, ".sse");
}

static RfWindow *
open_five_images (int width,
                  int height)
{
  g_autofree char *path = write_five_image_recording ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  RfWindow *window = rf_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  rf_window_open_file (window, file);
  g_assert_true (rf_test_wait_until (session_finished, window, 30000));
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_lanes (rf_window_get_session (window))), ==, N_IMAGES);

  return window;
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_rf_window_export_finish (RF_WINDOW (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
toast_shown (gpointer data)
{
  return RF_WINDOW (data)->last_toast != NULL;
}

static gboolean
scale_named (GtkWidget  *widget,
             const char *tooltip)
{
  return GTK_IS_SCALE (widget) && rf_ui_test_tooltip_is (widget, tooltip);
}

static GSettings *
new_test_settings (void)
{
  const char *dir = g_getenv ("REFINERY_TEST_SCHEMA_DIR");
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return NULL;

  source = g_settings_schema_source_new_from_directory (dir, NULL, FALSE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, APP_ID, FALSE);
  g_assert_nonnull (schema);

  /* GSETTINGS_BACKEND is "memory": nothing reaches the user's settings. */
  return g_settings_new_full (schema, NULL, NULL);
}

static gboolean
lanes_overflow (gpointer data)
{
  GtkAdjustment *adj = rf_timeline_get_lanes_adjustment (data);

  return gtk_adjustment_get_page_size (adj) > 0 &&
         gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) + 1;
}

/* The ruler's place in the window, and that it lies inside it. */
static graphene_rect_t
ruler_bounds (RfWindow *window)
{
  GtkWidget *ruler = rf_ui_test_find_descendant (GTK_WIDGET (window->timeline), RF_TYPE_TIMELINE_RULER);
  graphene_rect_t bounds;

  g_assert_nonnull (ruler);
  g_assert_true (gtk_widget_get_mapped (ruler));
  g_assert_true (gtk_widget_compute_bounds (ruler, GTK_WIDGET (window), &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (window)));
  g_assert_cmpfloat (bounds.size.height, ==, RF_TIMELINE_HEADER_HEIGHT);

  return bounds;
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
widget_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

static int
lanes_height (RfWindow *window)
{
  return gtk_widget_get_height (rf_ui_test_find_descendant (GTK_WIDGET (window->timeline), RF_TYPE_TIMELINE_LANES));
}

typedef struct
{
  RfWindow *window;
  int       height;
} HeightWait;

static gboolean
lanes_height_is (gpointer data)
{
  HeightWait *wait = data;

  return lanes_height (wait->window) == wait->height;
}

static gboolean
timeline_height_is (gpointer data)
{
  HeightWait *wait = data;

  return gtk_widget_get_height (GTK_WIDGET (wait->window->timeline)) == wait->height;
}

/* With five images the lanes scroll under the ruler and the events row,
 * which stay where they are; a lane folds to one line; zoomed in, a
 * scrollbar shows and moves the visible part of the run. */
static void
test_timeline_many_images (void)
{
  RfWindow *window = open_five_images (1280, 800);
  RfTimeline *timeline = window->timeline;
  GtkAdjustment *lanes_adj = rf_timeline_get_lanes_adjustment (timeline);
  GtkAdjustment *axis_adj = rf_timeline_get_axis_adjustment (timeline);
  GtkWidget *axis_scrollbar = NULL;
  graphene_rect_t before, after;
  RfFrame *selected;
  HeightWait wait;

  g_assert_true (rf_test_wait_until (lanes_overflow, timeline, 10000));
  /* The window shares its height out once the lanes are in. */
  rf_test_spin (400);

  /* Following the run selected the last image's final; the time axis is
   * in view all the same. */
  selected = rf_session_get_selected_frame (rf_window_get_session (window));
  g_assert_cmpuint (rf_frame_get_lane_index (selected), ==, N_IMAGES - 1);
  before = ruler_bounds (window);

  /* Scrolled to the first image and back to the last: the ruler stays. */
  gtk_adjustment_set_value (lanes_adj, 0);
  rf_test_spin (100);
  after = ruler_bounds (window);
  g_assert_cmpfloat (after.origin.y, ==, before.origin.y);
  gtk_adjustment_set_value (lanes_adj, gtk_adjustment_get_upper (lanes_adj));
  rf_test_spin (100);
  after = ruler_bounds (window);
  g_assert_cmpfloat (after.origin.y, ==, before.origin.y);

  /* Folding the selected frame's lane leaves a line for it. */
  g_assert_false (rf_timeline_get_lane_collapsed (timeline, N_IMAGES - 1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.toggle-lane", NULL));
  g_assert_true (rf_timeline_get_lane_collapsed (timeline, N_IMAGES - 1));
  wait = (HeightWait) { window, (int) ((N_IMAGES - 1) * LANE_HEIGHT + COLLAPSED_LANE_HEIGHT + 1) };
  g_assert_true (rf_test_wait_until (lanes_height_is, &wait, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.toggle-lane", NULL));
  g_assert_false (rf_timeline_get_lane_collapsed (timeline, N_IMAGES - 1));
  wait.height = (int) (N_IMAGES * LANE_HEIGHT + 1);
  g_assert_true (rf_test_wait_until (lanes_height_is, &wait, 5000));

  /* Fitted, no axis scrollbar; zoomed in, one that covers part of the run. */
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (timeline)); w; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_SCROLLBAR (w))
      axis_scrollbar = w;
  g_assert_nonnull (axis_scrollbar);
  g_assert_true (gtk_scrollbar_get_adjustment (GTK_SCROLLBAR (axis_scrollbar)) == axis_adj);
  g_assert_false (gtk_widget_get_visible (axis_scrollbar));
  for (int i = 0; i < 4; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.zoom-in", NULL));
  g_assert_true (rf_test_wait_until (widget_visible, axis_scrollbar, 5000));
  g_assert_cmpfloat (gtk_adjustment_get_page_size (axis_adj), <, gtk_adjustment_get_upper (axis_adj) / 2);

  /* Moving the scrollbar moves the axis: to the run's start, and its end. */
  gtk_adjustment_set_value (axis_adj, 0);
  g_assert_cmpfloat (fabs (rf_timeline_time_at_x (timeline, RF_TIMELINE_AREA_START)), <, 1);
  gtk_adjustment_set_value (axis_adj, gtk_adjustment_get_upper (axis_adj) - gtk_adjustment_get_page_size (axis_adj));
  g_assert_cmpfloat (fabs (rf_timeline_time_at_x (timeline, RF_TIMELINE_AREA_START) -
                           (gtk_adjustment_get_upper (axis_adj) - gtk_adjustment_get_page_size (axis_adj))), <, 1);

  /* Zoomed out to the whole run, it goes. */
  for (int i = 0; i < 8; i++)
    gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.zoom-out", NULL);
  g_assert_true (rf_test_wait_until (widget_hidden, axis_scrollbar, 5000));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The timeline's height is dragged with the handle above the event log;
 * a new window starts with the height the last one closed with. */
static void
test_timeline_height_remembered (void)
{
  g_autoptr(GSettings) settings = new_test_settings ();
  RfWindow *window;
  HeightWait wait;
  gboolean handled = FALSE;
  int fitted;

  if (settings == NULL)
    {
      g_test_skip ("REFINERY_TEST_SCHEMA_DIR is not set");
      return;
    }

  /* Taller than the one lane of the demo needs, which it gets unless told. */
  window = open_five_images (1280, 800);
  /* Not moved by hand: nothing is kept. */
  _rf_window_save_state (window, settings);
  g_assert_cmpint (g_settings_get_int (settings, "timeline-height"), ==, -1);
  /* The handle moved with the keyboard (F8, arrows, Enter). */
  gtk_paned_set_position (window->timeline_paned, 200);
  g_signal_emit_by_name (window->timeline_paned, "accept-position", &handled);
  wait = (HeightWait) { window, 200 };
  g_assert_true (rf_test_wait_until (timeline_height_is, &wait, 5000));
  _rf_window_save_state (window, settings);
  g_assert_cmpint (g_settings_get_int (settings, "timeline-height"), ==, 200);
  gtk_window_destroy (GTK_WINDOW (window));

  window = rf_window_new (NULL);
  _rf_window_restore_state (window, settings);
  gtk_window_present (GTK_WINDOW (window));
  rf_window_start_demo (window, 0);
  g_assert_true (rf_test_wait_until (session_finished, window, 60000));
  wait = (HeightWait) { window, 200 };
  g_assert_true (rf_test_wait_until (timeline_height_is, &wait, 5000));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Without a kept height, the demo's one lane gets the timeline it needs:
   * the ruler and the lane, less than that. */
  window = rf_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  rf_window_start_demo (window, 0);
  g_assert_true (rf_test_wait_until (session_finished, window, 60000));
  rf_test_spin (300);
  fitted = gtk_widget_get_height (GTK_WIDGET (window->timeline));
  g_test_message ("fitted timeline: %d px", fitted);
  g_assert_cmpint (fitted, >=, RF_TIMELINE_HEADER_HEIGHT + LANE_HEIGHT);
  g_assert_cmpint (fitted, <, 200);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  RfWindow   *window;
  const char *title;
} TitleWait;

static gboolean
start_page_title_is (gpointer data)
{
  TitleWait *wait = data;

  return g_strcmp0 (adw_status_page_get_title (wait->window->status_page), wait->title) == 0;
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;

  return n;
}

/* Opens @path in a new window and waits for the start page to say why it
 * cannot; returns what it says. No run starts. */
static char *
open_refused (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  RfWindow *window = rf_window_new (NULL);
  TitleWait wait = { window, "Cannot Open This File" };
  char *description;

  gtk_window_present (GTK_WINDOW (window));
  rf_window_open_file (window, file);
  g_assert_true (rf_test_wait_until (start_page_title_is, &wait, 10000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "empty");
  g_assert_null (rf_window_get_session (window));
  description = g_strdup (adw_status_page_get_description (window->status_page));
  gtk_window_destroy (GTK_WINDOW (window));

  return description;
}

/* A file is checked before it is opened: a text file, an image renamed
 * .sse and a missing path keep the start page, which says plainly what
 * the file is; the missing path is named once. */
static void
test_open_checks_file (void)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("Shopping list\nmilk\neggs\n", 24);
  g_autoptr(GBytes) png = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 1);
  g_autofree char *text_path = rf_test_write_temp_file (text, ".sse");
  g_autofree char *png_path = rf_test_write_temp_file (png, ".sse");
  g_autofree char *missing = g_build_filename (rf_test_get_temp_dir (), "no-such-run.sse", NULL);
  g_autofree char *text_name = g_path_get_basename (text_path);
  g_autofree char *png_name = g_path_get_basename (png_path);
  g_autofree char *expected = NULL;
  g_autofree char *said = NULL;

  said = open_refused (text_path);
  expected = g_strdup_printf ("%s is not an event stream: it is text without “data:” or “event:” lines", text_name);
  g_assert_cmpstr (said, ==, expected);
  g_clear_pointer (&said, g_free);
  g_clear_pointer (&expected, g_free);

  said = open_refused (png_path);
  expected = g_strdup_printf ("%s is not an event stream: it is a PNG image", png_name);
  g_assert_cmpstr (said, ==, expected);
  g_clear_pointer (&said, g_free);
  g_clear_pointer (&expected, g_free);

  said = open_refused (missing);
  expected = g_strdup_printf ("%s does not exist", missing);
  g_assert_cmpstr (said, ==, expected);
  g_assert_cmpuint (count_occurrences (said, "no-such-run.sse"), ==, 1);
}

/* Over a run, a file that cannot be opened leaves the run in place and
 * says why in a toast. */
static void
test_open_bad_file_keeps_run (void)
{
  g_autoptr(GBytes) png = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 2);
  g_autofree char *png_path = rf_test_write_temp_file (png, ".sse");
  g_autoptr(GFile) file = g_file_new_for_path (png_path);
  RfWindow *window = open_five_images (1280, 800);
  RfSession *session = rf_window_get_session (window);

  rf_window_open_file (window, file);
  g_assert_true (rf_test_wait_until (toast_shown, window, 10000));
  g_assert_true (rf_window_get_session (window) == session);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "session");
  g_assert_nonnull (strstr (window->last_toast, "is not an event stream: it is a PNG image"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
overview_filled (gpointer data)
{
  RfWindow *window = data;

  if (rf_overview_get_n_tiles (window->overview) != N_IMAGES)
    return FALSE;
  for (guint i = 0; i < N_IMAGES; i++)
    if (rf_overview_get_tile_paintable (window->overview, i) == NULL)
      return FALSE;

  return TRUE;
}

/* The overview shows every image's newest frame, its own thumbnail; a
 * tile chosen shows that image's newest frame on the canvas. */
static void
test_overview (void)
{
  RfWindow *window = open_five_images (1280, 800);
  RfSession *session = rf_window_get_session (window);

  rf_test_spin (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->overview_button)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-overview", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->view_stack), ==, "overview");
  g_assert_true (rf_test_wait_until (overview_filled, window, 10000));

  for (guint i = 0; i < N_IMAGES; i++)
    {
      RfLane *lane = rf_session_get_lane (session, i);
      GListModel *frames = rf_lane_get_frames (lane);
      g_autoptr(RfFrame) newest = g_list_model_get_item (frames, g_list_model_get_n_items (frames) - 1);
      GdkPixbuf *thumbnail = rf_frame_get_thumbnail (newest);
      GdkPaintable *shown = rf_overview_get_tile_paintable (window->overview, i);

      g_assert_nonnull (thumbnail);
      g_assert_cmpint (rf_frame_get_kind (newest), ==, RF_FRAME_KIND_FINAL);
      g_assert_cmpint (gdk_paintable_get_intrinsic_width (shown), ==, gdk_pixbuf_get_width (thumbnail));
      /* The tile's pixels are the thumbnail's. */
      {
        int w = gdk_pixbuf_get_width (thumbnail), h = gdk_pixbuf_get_height (thumbnail);
        g_autofree guchar *data = g_malloc ((gsize) w * h * 4);

        gdk_texture_download (GDK_TEXTURE (shown), data, (gsize) w * 4);
        /* Downloads are B8G8R8A8 premultiplied on this little-endian
         * machine; the frames are opaque. The middle pixel: */
        {
          const guchar *t = gdk_pixbuf_get_pixels (thumbnail) + (h / 2) * gdk_pixbuf_get_rowstride (thumbnail) +
                            (w / 2) * gdk_pixbuf_get_n_channels (thumbnail);
          const guchar *d = data + ((gsize) (h / 2) * w + w / 2) * 4;

          g_assert_cmpint (d[2], ==, t[0]);
          g_assert_cmpint (d[1], ==, t[1]);
          g_assert_cmpint (d[0], ==, t[2]);
        }
      }
    }

  /* The third tile: the third image's final, on the canvas. */
  g_signal_emit_by_name (rf_overview_get_tile (window->overview, 2), "clicked");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->view_stack), ==, "canvas");
  g_assert_cmpuint (rf_frame_get_lane_index (rf_session_get_selected_frame (session)), ==, 2);
  g_assert_cmpint (rf_frame_get_kind (rf_session_get_selected_frame (session)), ==, RF_FRAME_KIND_FINAL);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The contact sheet of a run of several images covers all of them, a
 * row each. */
static void
test_contact_sheet_every_image (void)
{
  RfWindow *window = open_five_images (1280, 800);
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "every-image.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkPixbuf) sheet = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  _rf_window_export_contact_sheet_async (window, file, export_done_cb, &done);
  g_assert_true (rf_test_wait_until (flag_set, &done, 30000));
  sheet = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  /* Three frames a row, five rows (rf-contact-sheet.c: 24 px margins,
   * 16 px gaps, 256 px cells over 48 px labels). */
  g_assert_cmpint (gdk_pixbuf_get_width (sheet), ==, 2 * 24 + 3 * 256 + 2 * 16);
  g_assert_cmpint (gdk_pixbuf_get_height (sheet), ==, 2 * 24 + 5 * (256 + 48) + 4 * 16);

  /* The first cell of each row is that image's first frame. */
  for (guint i = 0; i < N_IMAGES; i++)
    {
      RfLane *lane = rf_session_get_lane (rf_window_get_session (window), i);
      g_autoptr(RfFrame) first = g_list_model_get_item (rf_lane_get_frames (lane), 0);
      g_autoptr(GdkPixbuf) pixels = rf_frame_decode_pixbuf (first, NULL);
      g_autoptr(GdkPixbuf) scaled = gdk_pixbuf_scale_simple (pixels, 256, 256, GDK_INTERP_BILINEAR);
      g_autoptr(GdkPixbuf) cell = gdk_pixbuf_new_subpixbuf (sheet, 24, 24 + i * (256 + 48 + 16), 256, 256);

      g_assert_cmpfloat (rf_test_pixbufs_mean_diff (cell, scaled), <, 6.0);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static double
expected_mean_difference (RfFrame *a,
                          RfFrame *b)
{
  g_autoptr(GdkPixbuf) pa = rf_frame_decode_pixbuf (a, NULL);
  g_autoptr(GdkPixbuf) pb = rf_frame_decode_pixbuf (b, NULL);
  int w = gdk_pixbuf_get_width (pa), h = gdk_pixbuf_get_height (pa);
  int na = gdk_pixbuf_get_n_channels (pa), nb = gdk_pixbuf_get_n_channels (pb);
  double sum = 0;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guchar *ca = gdk_pixbuf_get_pixels (pa) + y * gdk_pixbuf_get_rowstride (pa) + x * na;
        const guchar *cb = gdk_pixbuf_get_pixels (pb) + y * gdk_pixbuf_get_rowstride (pb) + x * nb;
        int d = 0;

        for (int c = 0; c < 3; c++)
          d = MAX (d, ABS ((int) ca[c] - (int) cb[c]));
        sum += d;
      }

  return sum / (w * h);
}

typedef struct
{
  RfCanvas *canvas;
  double    mean;
} MeanWait;

static gboolean
mean_known (gpointer data)
{
  MeanWait *wait = data;

  wait->mean = rf_canvas_get_difference_mean (wait->canvas);
  return wait->mean >= 0;
}

static gboolean
frame_shown (gpointer data)
{
  RfWindow *window = data;
  g_autoptr(RfFrame) other = rf_canvas_dup_effective_compare_frame (window->canvas);

  return other != NULL;
}

/* Compare: by default with the frame before; the list of frames grouped
 * by image; the difference mode's mean difference is the pixels' own,
 * and its gain is the bar's slider. */
static void
test_compare_defaults_and_difference (void)
{
  RfWindow *window = open_five_images (1280, 800);
  RfSession *session = rf_window_get_session (window);
  RfLane *lane = rf_session_get_lane (session, 3);
  g_autoptr(RfFrame) first = g_list_model_get_item (rf_lane_get_frames (lane), 0);
  g_autoptr(RfFrame) second = g_list_model_get_item (rf_lane_get_frames (lane), 1);
  g_autoptr(RfFrame) effective = NULL;
  g_autoptr(RfFrame) final = g_object_ref (rf_lane_get_final (lane));
  GListModel *names;
  MeanWait wait = { window->canvas, -1 };
  double expected;

  rf_player_select_frame (rf_timeline_get_player (window->timeline), second);
  rf_canvas_set_compare_mode (window->canvas, RF_COMPARE_DIFFERENCE);
  g_assert_true (rf_test_wait_until (frame_shown, window, 5000));
  effective = rf_canvas_dup_effective_compare_frame (window->canvas);
  g_assert_true (effective == first);
  g_clear_object (&effective);

  /* An image's first frame: with its final. */
  rf_player_select_frame (rf_timeline_get_player (window->timeline), first);
  effective = rf_canvas_dup_effective_compare_frame (window->canvas);
  g_assert_true (effective == final);
  g_clear_object (&effective);

  /* The list: the default, then each image's frames together. */
  names = rf_compare_bar_get_frame_names (window->compare_bar);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, 1 + N_IMAGES * (N_PARTIALS + 1));
  {
    g_autoptr(GtkStringObject) name = g_list_model_get_item (names, 0);

    g_assert_cmpstr (gtk_string_object_get_string (name), ==, "Previous Frame (Default)");
  }
  for (guint i = 1; i < g_list_model_get_n_items (names); i++)
    {
      g_autoptr(GtkStringObject) name = g_list_model_get_item (names, i);
      g_autofree char *prefix = g_strdup_printf ("Image %u · ", (i - 1) / (N_PARTIALS + 1) + 1);

      g_assert_true (g_str_has_prefix (gtk_string_object_get_string (name), prefix));
    }

  /* The mean difference of the first frame and the final. */
  expected = expected_mean_difference (first, final);
  g_assert_true (rf_test_wait_until (mean_known, &wait, 10000));
  g_test_message ("mean difference %.3f, expected %.3f", wait.mean, expected);
  g_assert_cmpfloat (fabs (wait.mean - expected), <, 0.01);
  {
    g_autofree char *text = g_strdup_printf ("%.1f %%", 100.0 * expected / 255.0);
    GtkWidget *label = rf_ui_test_find (GTK_WIDGET (window->compare_bar), rf_ui_test_label_is, text);

    g_assert_nonnull (label);
    g_assert_true (gtk_widget_get_mapped (label));
  }

  /* The gain slider sets the canvas's gain; the mean stays the pixels'. */
  {
    GtkWidget *scale = rf_ui_test_find (GTK_WIDGET (window->compare_bar), scale_named, "Amplify Small Differences");

    g_assert_nonnull (scale);
    gtk_range_set_value (GTK_RANGE (scale), 8);
    g_assert_cmpfloat (rf_canvas_get_difference_gain (window->canvas), ==, 8);
    wait.mean = -1;
    g_assert_true (rf_test_wait_until (mean_known, &wait, 10000));
    g_assert_cmpfloat (fabs (wait.mean - expected), <, 0.01);
    g_assert_nonnull (rf_ui_test_find (GTK_WIDGET (window->compare_bar), rf_ui_test_label_is, "×8"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_mapped (window))
        return window;
    }

  return NULL;
}

static gboolean
file_chooser_shown (gpointer data)
{
  return find_file_chooser () != NULL;
}

static gboolean
chooser_has_folder (gpointer data)
{
  g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (data);

  return folder != NULL;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
last_toast_is (gpointer data)
{
  RfWindow *window = data;

  return g_strcmp0 (window->last_toast, "Export finished") == 0;
}

/* An export's folder is kept: the next export dialog opens there, and
 * the toast after it offers to open the folder. */
static void
test_export_remembers_folder (void)
{
  g_autoptr(GSettings) settings = new_test_settings ();
  g_autofree char *folder = g_build_filename (rf_test_get_temp_dir (), "exports", NULL);
  g_autofree char *path = g_build_filename (folder, "chosen.png", NULL);
  g_autoptr(GFile) folder_file = g_file_new_for_path (folder);
  g_autoptr(GFile) current = NULL;
  g_autofree char *uri = g_file_get_uri (folder_file);
  g_autoptr(GdkPixbuf) written = NULL;
  g_autoptr(GdkPixbuf) expected = NULL;
  RfWindow *window;
  GtkWidget *chooser;

  if (settings == NULL)
    {
      g_test_skip ("REFINERY_TEST_SCHEMA_DIR is not set");
      return;
    }

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  window = open_five_images (1280, 800);
  g_set_object (&window->settings, settings);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-frame", NULL));
  g_assert_true (rf_test_wait_until (file_chooser_shown, NULL, 10000));
  chooser = find_file_chooser ();
  /* The dialog as a person uses it: to the folder, then the name. */
  rf_test_spin (300);
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder_file, NULL));
  rf_test_spin (300);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "chosen.png");
  rf_test_spin (100);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);

  rf_test_wait_until (last_toast_is, window, 20000);
  g_test_message ("toast: %s", window->last_toast);
  g_assert_true (last_toast_is (window));
  g_assert_true (file_exists (path));
  written = gdk_pixbuf_new_from_file (path, NULL);
  expected = rf_frame_decode_pixbuf (rf_session_get_selected_frame (rf_window_get_session (window)), NULL);
  g_assert_true (rf_test_pixbufs_equal (written, expected));
  g_assert_cmpstr (window->last_toast_uri, ==, uri);
  {
    g_autofree char *kept = g_settings_get_string (settings, "export-folder");

    g_assert_cmpstr (kept, ==, folder);
  }

  /* The next export dialog opens in that folder. */
  rf_test_spin (200);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-contact-sheet", NULL));
  g_assert_true (rf_test_wait_until (file_chooser_shown, NULL, 10000));
  chooser = find_file_chooser ();
  g_assert_true (rf_test_wait_until (chooser_has_folder, chooser, 5000));
  current = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
  g_assert_true (g_file_equal (current, folder_file));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);

  /* An animation is named by its image as the app numbers it, from 1. */
  rf_test_spin (200);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-webp", NULL));
  g_assert_true (rf_test_wait_until (file_chooser_shown, NULL, 10000));
  chooser = find_file_chooser ();
  {
    RfFrame *selected = rf_session_get_selected_frame (rf_window_get_session (window));
    g_autofree char *name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
    g_autofree char *expected_name = g_strdup_printf ("image-%u-progression.webp", rf_frame_get_lane_index (selected) + 1);

    g_test_message ("suggested: %s", name);
    g_assert_cmpstr (name, ==, expected_name);
  }
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The Export button says why what is greyed out is. */
static void
test_export_says_why_disabled (void)
{
  RfWindow *window = rf_window_new (NULL);
  RfSession *session;
  RfLane *lane;
  g_autoptr(RfFrame) first = NULL;
  const char *tooltip;

  gtk_window_present (GTK_WINDOW (window));
  rf_window_start_demo (window, 0);
  g_assert_true (rf_test_wait_until (session_finished, window, 60000));
  session = rf_window_get_session (window);
  lane = rf_session_get_lane (session, 0);
  first = g_list_model_get_item (rf_lane_get_frames (lane), 0);
  rf_player_select_frame (rf_timeline_get_player (window->timeline), first);
  rf_test_spin (300);

  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (window->export_button));
  g_test_message ("%s", tooltip);
  g_assert_nonnull (strstr (tooltip, "Where the Frame Changed: the selected frame is its image’s first"));
  /* The demo is recorded: its raw recording can be saved. */
  g_assert_null (strstr (tooltip, "Raw Recording"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-heat-map", NULL) &&
                  window->last_toast != NULL);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* @widget as it is drawn now. */
static GdkTexture *
widget_texture (GtkWidget *widget)
{
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gsk_renderer_unrealize (renderer);

  return texture;
}

/* How much the left edge (2 px wide, the middle half of the height)
 * differs between two drawings, 0–255. */
static double
left_edge_difference (GdkTexture *a,
                      GdkTexture *b)
{
  int w = gdk_texture_get_width (a), h = gdk_texture_get_height (a);
  g_autofree guchar *pa = g_malloc ((gsize) w * h * 4);
  g_autofree guchar *pb = g_malloc ((gsize) w * h * 4);
  double sum = 0;
  guint n = 0;

  gdk_texture_download (a, pa, (gsize) w * 4);
  gdk_texture_download (b, pb, (gsize) w * 4);
  for (int y = h / 4; y < 3 * h / 4; y++)
    for (int x = 0; x < 2; x++)
      for (int c = 0; c < 4; c++, n++)
        sum += ABS ((int) pa[((gsize) y * w + x) * 4 + c] - (int) pb[((gsize) y * w + x) * 4 + c]);

  return sum / MAX (1, n);
}

/* The widget's drawing once it stopped changing: the focus ring comes
 * and goes with a transition driven by the frame clock, which a loaded
 * machine runs late, so one drawing 100 ms after a focus change may show
 * the ring half drawn, or the previous focus's. At least 300 ms (past the
 * transition), then until two drawings 50 ms apart are the same. */
static GdkTexture *
settled_texture (GtkWidget *widget)
{
  GdkTexture *texture;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  rf_test_spin (300);
  texture = widget_texture (widget);
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GdkTexture) next = NULL;

      rf_test_spin (50);
      next = widget_texture (widget);
      if (left_edge_difference (texture, next) == 0)
        break;
      g_set_object (&texture, next);
    }

  return texture;
}

static gboolean
focus_visible_on (gpointer data)
{
  return (gtk_widget_get_state_flags (data) & GTK_STATE_FLAG_FOCUS_VISIBLE) != 0;
}

/* Reached by the keyboard, the canvas and the timeline show a focus ring;
 * the wipe divider moves with Shift+Left and Shift+Right. */
static void
test_focus_rings_and_wipe_keys (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  RfWindow *window = open_five_images (1280, 800);
  GtkWidget *parts[] = { GTK_WIDGET (window->canvas), GTK_WIDGET (window->timeline) };

  /* The app's style sheet, which AdwApplication loads in the app. */
  gtk_css_provider_load_from_resource (css, "/io/github/refinery/Refinery/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autoptr(GdkTexture) without = NULL;
      g_autoptr(GdkTexture) with = NULL;
      double difference;

      g_assert_true (gtk_widget_grab_focus (parts[1 - i]));
      without = settled_texture (parts[i]);
      g_assert_true (gtk_widget_grab_focus (parts[i]));
      g_assert_true (rf_test_wait_until (focus_visible_on, parts[i], 2000));
      with = settled_texture (parts[i]);
      difference = left_edge_difference (without, with);
      g_test_message ("%s: left edge changes by %.1f with the focus", G_OBJECT_TYPE_NAME (parts[i]), difference);
      g_assert_cmpfloat (difference, >, 10);
    }

  /* Not in wipe mode: the keys are free, the divider stays. */
  rf_canvas_set_wipe_position (window->canvas, 0.5);
  gtk_widget_activate_action (GTK_WIDGET (window->canvas), "canvas.move-wipe", "d", 0.05);
  g_assert_cmpfloat (rf_canvas_get_wipe_position (window->canvas), ==, 0.5);
  rf_canvas_set_compare_mode (window->canvas, RF_COMPARE_WIPE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->canvas), "canvas.move-wipe", "d", 0.05));
  g_assert_cmpfloat (fabs (rf_canvas_get_wipe_position (window->canvas) - 0.55), <, 1e-9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->canvas), "canvas.move-wipe", "d", -0.05));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->canvas), "canvas.move-wipe", "d", -0.05));
  g_assert_cmpfloat (fabs (rf_canvas_get_wipe_position (window->canvas) - 0.45), <, 1e-9);

  gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
visible_with_class (GtkWidget  *widget,
                    const char *css_class)
{
  return gtk_widget_has_css_class (widget, css_class) && gtk_widget_get_visible (widget);
}

/* The one visible error label, and the one other widget in the error
 * style: the field it is about. */
static void
find_error (GtkWidget  *dialog,
            GtkLabel  **label,
            GtkWidget **field)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  *label = NULL;
  *field = NULL;
  rf_ui_test_collect (dialog, visible_with_class, "error", found);
  for (guint i = 0; i < found->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (found, i);

      if (GTK_IS_LABEL (widget))
        {
          g_assert_null (*label);
          *label = GTK_LABEL (widget);
        }
      else
        {
          g_assert_null (*field);
          *field = widget;
        }
    }
}

/* The New Generation dialog says what stops it above the form, in full,
 * with the field in the error style and focused (so scrolled into view). */
static void
test_generate_dialog_inline_errors (void)
{
  RfGenerateDialog *dialog;
  GtkLabel *label;
  GtkWidget *field;
  GtkWidget *focus;
  GtkTextView *prompt;

  g_unsetenv ("REFINERY_API_KEY");
  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("OPENROUTER_API_KEY");
  dialog = rf_generate_dialog_new (NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  rf_test_spin (200);

  /* No prompt. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "generate.start", NULL));
  find_error (GTK_WIDGET (dialog), &label, &field);
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_label (label), ==, "Describe the image to generate");
  g_assert_true (gtk_label_get_wrap (label));
  g_assert_cmpint (gtk_label_get_ellipsize (label), ==, PANGO_ELLIPSIZE_NONE);
  g_assert_nonnull (field);
  focus = gtk_root_get_focus (GTK_ROOT (dialog));
  g_assert_true (GTK_IS_TEXT_VIEW (focus));
  g_assert_true (gtk_widget_is_ancestor (focus, field));
  prompt = GTK_TEXT_VIEW (focus);

  /* A prompt, no API key: the key's row now, the prompt no longer. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (prompt), "a red fox in the snow", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "generate.start", NULL));
  find_error (GTK_WIDGET (dialog), &label, &field);
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_label (label), ==, "An API key is needed: type one or set REFINERY_API_KEY");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (field));
  rf_test_spin (300);
  focus = gtk_root_get_focus (GTK_ROOT (dialog));
  g_assert_nonnull (focus);
  g_assert_true (focus == field || gtk_widget_is_ancestor (focus, field));
  /* Shown whole: its height is as tall as its wrapped lines need
   * (measured with its margins). */
  {
    int min_height;

    gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (GTK_WIDGET (label)),
                        &min_height, NULL, NULL, NULL);
    min_height -= gtk_widget_get_margin_top (GTK_WIDGET (label)) + gtk_widget_get_margin_bottom (GTK_WIDGET (label));
    g_test_message ("error label %d×%d, needs %d", gtk_widget_get_width (GTK_WIDGET (label)),
                    gtk_widget_get_height (GTK_WIDGET (label)), min_height);
    g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (label)), >=, min_height);
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
}

typedef struct
{
  RfWindow *window;
  int       min_width;
} WidthWait;

static gboolean
narrow_layout (gpointer data)
{
  WidthWait *wait = data;

  gtk_widget_measure (GTK_WIDGET (wait->window), GTK_ORIENTATION_HORIZONTAL, -1, &wait->min_width, NULL, NULL, NULL);
  return adw_flap_get_folded (wait->window->flap);
}

/* In a narrow window the difference mode's controls take no more width
 * than compare off does: the labels and the colour scale step aside. */
static void
test_compare_bar_narrow (void)
{
  RfWindow *window = rf_window_new (NULL);
  WidthWait wait = { window, 0 };
  int off_width;

  gtk_window_set_default_size (GTK_WINDOW (window), 620, 500);
  gtk_window_present (GTK_WINDOW (window));
  rf_window_start_demo (window, 0);
  g_assert_true (rf_test_wait_until (session_finished, window, 60000));
  g_assert_true (rf_test_wait_until (narrow_layout, &wait, 10000));
  rf_test_spin (200);
  narrow_layout (&wait);
  off_width = wait.min_width;

  rf_canvas_set_compare_mode (window->canvas, RF_COMPARE_DIFFERENCE);
  rf_test_spin (300);
  narrow_layout (&wait);
  g_test_message ("minimum width: %d with compare off, %d in difference mode", off_width, wait.min_width);
  g_assert_cmpint (wait.min_width, <=, off_width);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
demo_run_listed (gpointer data)
{
  return rf_runs_get_n_runs (data) >= 1;
}

/* A demo run is journalled as a live run is: it is in the history, and
 * reopened from there it has the demo's four frames and its prompt. */
static void
test_demo_in_history (void)
{
  g_autofree char *runs_dir = rf_journal_dup_runs_dir ();
  RfRuns *runs = RF_RUNS (rf_runs_new ());
  RfWindow *window = rf_window_new (NULL);
  g_autoptr(GFile) journal = NULL;
  RfWindow *replay;

  g_object_ref_sink (runs);
  gtk_window_present (GTK_WINDOW (window));
  rf_window_start_demo (window, 0);
  g_assert_true (rf_test_wait_until (session_finished, window, 60000));
  journal = _rf_window_dup_journal (window);
  g_assert_nonnull (journal);
  g_assert_true (g_str_has_prefix (g_file_peek_path (journal), runs_dir));

  rf_runs_set_directory (runs, runs_dir);
  g_assert_true (rf_test_wait_until (demo_run_listed, runs, 30000));

  replay = rf_window_new (NULL);
  gtk_window_present (GTK_WINDOW (replay));
  rf_window_open_file (replay, journal);
  g_assert_true (rf_test_wait_until (session_finished, replay, 30000));
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_frames (rf_window_get_session (replay))), ==, 4);

  gtk_window_destroy (GTK_WINDOW (replay));
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (runs);
}

/* Every widget shown has at least its minimum size: nothing is cut by a
 * parent that gave it less. Sizes are compared as measured: with the
 * widget's margins, border and padding. */
static void
assert_nothing_clipped (GtkWidget *widget)
{
  int width, height, min_width, min_height;

  /* What scrolls is not cut. */
  if (!gtk_widget_get_mapped (widget) || GTK_IS_SCROLLABLE (widget))
    return;

  width = gtk_widget_get_allocated_width (widget) +
          gtk_widget_get_margin_start (widget) + gtk_widget_get_margin_end (widget);
  height = gtk_widget_get_allocated_height (widget) +
           gtk_widget_get_margin_top (widget) + gtk_widget_get_margin_bottom (widget);
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, &min_height, NULL, NULL, NULL);
  /* A centre box measures its height for a width shared out otherwise
   * than it allocates it: its children are checked instead. */
  if ((width < min_width || height < min_height) && !GTK_IS_CENTER_BOX (widget))
    g_error ("%s (%s, “%s”) is %d×%d, less than its minimum %d×%d", G_OBJECT_TYPE_NAME (widget),
             gtk_widget_get_css_name (widget), gtk_widget_get_tooltip_text (widget),
             width, height, min_width, min_height);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_nothing_clipped (child);
}

typedef struct
{
  RfWindow *window;
  int       width;
  int       height;
} SizeWait;

static gboolean
window_allocated_at (gpointer data)
{
  SizeWait *wait = data;
  GtkWidget *widget = GTK_WIDGET (wait->window);

  /* The default size includes the client-side shadow's margins. */
  return gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_width (widget) <= wait->width &&
         gtk_widget_get_width (widget) >= wait->width - 20 &&
         gtk_widget_get_height (widget) <= wait->height &&
         gtk_widget_get_height (widget) >= wait->height - 20;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* A short window (1024×600, a small laptop) keeps half its height for the
 * canvas: the event log folds away behind a toggle, the timeline takes no
 * more than its share; shown again, the log is whole. A tall one shows
 * both. */
static void
test_short_window (void)
{
  RfWindow *window = open_five_images (1024, 600);
  SizeWait size = { window, 1024, 600 };
  int canvas, total;

  g_assert_true (rf_test_wait_until (window_allocated_at, &size, 10000));
  rf_test_spin (300);
  canvas = gtk_widget_get_height (GTK_WIDGET (window->canvas));
  total = gtk_widget_get_height (GTK_WIDGET (window));
  g_test_message ("1024×600: canvas %d of %d px, timeline %d px", canvas, total,
                  gtk_widget_get_height (GTK_WIDGET (window->timeline)));
  g_assert_cmpint (canvas * 100, >=, total * 45);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (window->event_log)));
  /* Two lanes of the five are in view, under the ruler and the events. */
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window->timeline)), >=, 140);
  assert_nothing_clipped (gtk_widget_get_first_child (GTK_WIDGET (window)));

  /* The control bar's toggle shows the log, whole; the canvas gives way. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-event-log", NULL));
  g_assert_true (rf_test_wait_until (widget_mapped, window->event_log, 5000));
  rf_test_spin (300);
  g_test_message ("with the log: canvas %d px, timeline %d px, log %d px",
                  gtk_widget_get_height (GTK_WIDGET (window->canvas)),
                  gtk_widget_get_height (GTK_WIDGET (window->timeline)),
                  gtk_widget_get_height (GTK_WIDGET (window->event_log)));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window->canvas)), >=, 120);
  assert_nothing_clipped (gtk_widget_get_first_child (GTK_WIDGET (window)));
  /* Ctrl+F finds the log wherever it is: folded, it comes back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-event-log", NULL));
  rf_test_spin (300);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (window->event_log)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search-events", NULL));
  g_assert_true (rf_test_wait_until (widget_mapped, window->event_log, 5000));
  gtk_window_destroy (GTK_WINDOW (window));

  window = open_five_images (1280, 800);
  size = (SizeWait) { window, 1280, 800 };
  g_assert_true (rf_test_wait_until (window_allocated_at, &size, 10000));
  rf_test_spin (300);
  canvas = gtk_widget_get_height (GTK_WIDGET (window->canvas));
  total = gtk_widget_get_height (GTK_WIDGET (window));
  g_test_message ("1280×800: canvas %d of %d px, log %d px", canvas, total,
                  gtk_widget_get_height (GTK_WIDGET (window->event_log)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->event_log)));
  g_assert_cmpint (canvas * 100, >=, total * 40);
  assert_nothing_clipped (gtk_widget_get_first_child (GTK_WIDGET (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_frames (gpointer data)
{
  RfSession *session = rf_window_get_session (data);

  return session != NULL && g_list_model_get_n_items (rf_session_get_frames (session)) > 0;
}

/* The smallest window, 600×500, is given that size while a run streams
 * (spinner, Follow Live and Cancel in the header bar) and after it, with
 * every control at its full size. */
static void
test_smallest_window (void)
{
  RfWindow *window = rf_window_new (NULL);
  SizeWait size = { window, 600, 500 };
  int min_width;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 500);
  gtk_window_present (GTK_WINDOW (window));
  rf_window_start_demo (window, 1.0);
  g_assert_true (rf_test_wait_until (has_frames, window, 60000));
  g_assert_true (rf_test_wait_until (window_allocated_at, &size, 10000));
  g_assert_false (rf_session_get_finished (rf_window_get_session (window)));
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_test_message ("streaming: %d×%d, minimum width %d", gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)), min_width);
  g_assert_cmpint (min_width, <=, 600);
  assert_nothing_clipped (gtk_widget_get_first_child (GTK_WIDGET (window)));

  g_assert_true (rf_test_wait_until (session_finished, window, 60000));
  rf_test_spin (300);
  g_assert_true (window_allocated_at (&size));
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 600);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window->canvas)), >=, 200);
  assert_nothing_clipped (gtk_widget_get_first_child (GTK_WIDGET (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
focus_in_canvas (gpointer data)
{
  RfWindow *window = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == GTK_WIDGET (window->canvas) ||
                           gtk_widget_is_ancestor (focus, GTK_WIDGET (window->canvas)));
}

static gboolean
widget_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

#ifdef GDK_WINDOWING_X11
static void
subprocess_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      data)
{
  gboolean *done = data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}
#endif

/* Presses @keys (xdotool's names) in @window, as a person would: through
 * the X server. FALSE when xdotool or X11 is missing. */
static gboolean
press_keys (RfWindow   *window,
            const char *keys)
{
#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autofree char *xid = NULL;
  g_auto(GStrv) names = g_strsplit (keys, " ", -1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  gboolean done = FALSE;

  if (xdotool == NULL || !GDK_IS_X11_SURFACE (surface))
    return FALSE;

  xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  g_ptr_array_add (argv, xdotool);
  g_ptr_array_add (argv, (char *) "windowfocus");
  g_ptr_array_add (argv, xid);
  g_ptr_array_add (argv, (char *) "key");
  g_ptr_array_add (argv, (char *) "--window");
  g_ptr_array_add (argv, xid);
  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (argv, names[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  /* xdotool may wait for a focus it does not get: not for long. Waited
   * for with GSubprocess's own wait: polling its identifier reads a field
   * its exit handler writes on GLib's worker thread. */
  g_subprocess_wait_async (process, NULL, subprocess_done_cb, &done);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!done && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
  if (!done)
    {
      g_subprocess_force_exit (process);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      return FALSE;
    }
  if (!g_subprocess_get_successful (process))
    return FALSE;
  /* Let the keys arrive. */
  rf_test_spin (300);
  return TRUE;
#else
  return FALSE;
#endif
}

static void
count_play_starts (guint    *count,
                   GParamSpec *pspec,
                   RfPlayer *player)
{
  if (rf_player_get_playing (player))
    (*count)++;
}

/* Closing the main menu gives the keys back to the canvas: Space plays
 * rather than opening the menu again; F10 closes the menu F10 opened.
 * A menu opened from its own focused button leaves the focus there. */
static void
test_menu_gives_keys_back (void)
{
  RfWindow *window = rf_window_new (NULL);
  GtkPopover *menu = gtk_menu_button_get_popover (window->primary_menu_button);
  RfPlayer *player = rf_timeline_get_player (window->timeline);
  guint play_starts = 0;
  GtkWidget *focus;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  rf_window_start_demo (window, 0);
  g_assert_true (rf_test_wait_until (session_finished, window, 60000));
  rf_test_spin (200);

  /* Opened over the canvas, closed: the canvas has the keys again. */
  gtk_widget_grab_focus (GTK_WIDGET (window->canvas));
  gtk_menu_button_popup (window->primary_menu_button);
  g_assert_true (rf_test_wait_until (widget_mapped, menu, 5000));
  gtk_popover_popdown (menu);
  g_assert_true (rf_test_wait_until (widget_unmapped, menu, 5000));
  g_assert_true (rf_test_wait_until (focus_in_canvas, window, 5000));

  /* Tabbed to the button and opened there, the focus stays on it. */
  gtk_widget_grab_focus (GTK_WIDGET (window->primary_menu_button));
  gtk_menu_button_popup (window->primary_menu_button);
  g_assert_true (rf_test_wait_until (widget_mapped, menu, 5000));
  gtk_popover_popdown (menu);
  g_assert_true (rf_test_wait_until (widget_unmapped, menu, 5000));
  rf_test_spin (100);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (window->primary_menu_button)));

  /* The same with real keys, the focus nowhere in particular: F10
   * opens, F10 closes, F10 and Escape, then Space plays. */
  gtk_root_set_focus (GTK_ROOT (window), NULL);
  /* Tests running beside this one on the same display may take the
   * keyboard focus: the keys are only pressed once F10 is seen. */
  for (int attempt = 0; attempt < 3 && !gtk_widget_get_mapped (GTK_WIDGET (menu)); attempt++)
    {
      if (!press_keys (window, "F10"))
        break;
      rf_test_wait_until (widget_mapped, menu, 2000);
    }
  if (!gtk_widget_get_mapped (GTK_WIDGET (menu)))
    {
      g_test_message ("no xdotool, no X11 or no keyboard focus: the keys were not pressed");
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }
  press_keys (window, "F10");
  g_assert_true (rf_test_wait_until (widget_unmapped, menu, 5000));
  press_keys (window, "F10 Escape");
  g_assert_true (rf_test_wait_until (widget_unmapped, menu, 5000));
  g_assert_true (focus_in_canvas (window));
  /* The demo plays back in a moment: each start of playback is counted. */
  g_signal_connect_swapped (player, "notify::playing", G_CALLBACK (count_play_starts), &play_starts);
  press_keys (window, "space");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (menu)));
  g_assert_cmpuint (play_starts, ==, 1);
  g_signal_handlers_disconnect_by_func (player, count_play_starts, &play_starts);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
toast_title_mapped (gpointer data)
{
  AdwToast *toast = data;
  GtkWidget *title = adw_toast_get_custom_title (toast);

  return title != NULL && gtk_widget_get_mapped (title) && gtk_widget_get_width (title) > 0;
}

/* @toast's text is on screen whole: in the window, not ellipsized, in
 * at most @max_lines lines (0: any). */
static void
assert_toast_whole (RfWindow *window,
                    AdwToast *toast,
                    int       max_lines)
{
  GtkWidget *title = adw_toast_get_custom_title (toast);
  GtkWidget *widget = gtk_widget_get_ancestor (title, gtk_widget_get_type ());
  PangoLayout *layout;
  graphene_rect_t bounds;

  g_assert_true (rf_test_wait_until (toast_title_mapped, toast, 5000));
  rf_test_spin (300);
  layout = gtk_label_get_layout (GTK_LABEL (title));
  g_test_message ("toast “%s”: %d lines, %d px wide", gtk_label_get_label (GTK_LABEL (title)),
                  pango_layout_get_line_count (layout), gtk_widget_get_width (title));
  g_assert_false (pango_layout_is_ellipsized (layout));
  if (max_lines > 0)
    g_assert_cmpint (pango_layout_get_line_count (layout), <=, max_lines);
  /* The toast (the title's parent) is inside the window, nothing of it
   * cut. */
  widget = gtk_widget_get_parent (title);
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (window), &bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (window)));
  assert_nothing_clipped (widget);
  g_assert_cmpuint (adw_toast_get_timeout (toast), <=, 6);
}

/* In the smallest window, a toast's text is never cut: a long error's
 * summary wraps, a message too long for two lines is shortened and the
 * toast's Details button shows all of it; a toast goes within 6 s. */
static void
test_toasts_never_cut (void)
{
  RfWindow *window = rf_window_new (NULL);
  g_autoptr(GString) very_long = g_string_new ("The recording could not be written");
  const char *target_heading, *target_text;
  AdwToast *toast;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 500);
  gtk_window_present (GTK_WINDOW (window));
  rf_window_start_demo (window, 0);
  g_assert_true (rf_test_wait_until (session_finished, window, 60000));

  rf_window_add_error_toast (window, "Die Aufnahme konnte nicht in den gewählten Ordner geschrieben werden",
                             "Error writing to file: No space left on device");
  toast = g_object_ref (window->shown_toast);
  assert_toast_whole (window, toast, 2);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Details");
  g_variant_get (adw_toast_get_action_target_value (toast), "(&s&s)", &target_heading, &target_text);
  g_assert_cmpstr (target_text, ==, "Error writing to file: No space left on device");
  adw_toast_dismiss (toast);
  g_object_unref (toast);

  for (int i = 0; i < 20; i++)
    g_string_append (very_long, ", and then something else went wrong as well");
  g_string_append (very_long, ": the end");
  rf_window_add_toast (window, very_long->str);
  toast = g_object_ref (window->shown_toast);
  assert_toast_whole (window, toast, 2);
  g_assert_true (rf_error_toast_is_shortened (toast));
  g_assert_true (g_str_has_suffix (gtk_label_get_label (GTK_LABEL (adw_toast_get_custom_title (toast))), "…"));
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Details");
  g_variant_get (adw_toast_get_action_target_value (toast), "(&s&s)", &target_heading, &target_text);
  g_assert_cmpstr (target_text, ==, very_long->str);
  /* The Details dialog has the end of it. */
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-error",
                                                     adw_toast_get_action_target_value (toast)));
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    AdwMessageDialog *dialog = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (item))
          dialog = ADW_MESSAGE_DIALOG (item);
      }
    g_assert_nonnull (dialog);
    g_assert_true (g_str_has_suffix (adw_message_dialog_get_body (dialog), ": the end"));
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  adw_toast_dismiss (toast);
  g_object_unref (toast);

  /* A short message is whole on one line, with no button. */
  rf_window_add_toast (window, "Copied");
  toast = g_object_ref (window->shown_toast);
  assert_toast_whole (window, toast, 1);
  g_assert_false (rf_error_toast_is_shortened (toast));
  adw_toast_dismiss (toast);
  g_object_unref (toast);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!rf_ui_test_init (&argc, &argv, RF_UI_TEST_DEFAULT))
    return g_test_run ();

  g_test_add_func ("/ui/workspace/timeline-many-images", test_timeline_many_images);
  g_test_add_func ("/ui/workspace/timeline-height-remembered", test_timeline_height_remembered);
  g_test_add_func ("/ui/workspace/open-checks-file", test_open_checks_file);
  g_test_add_func ("/ui/workspace/open-bad-file-keeps-run", test_open_bad_file_keeps_run);
  g_test_add_func ("/ui/workspace/overview", test_overview);
  g_test_add_func ("/ui/workspace/contact-sheet-every-image", test_contact_sheet_every_image);
  g_test_add_func ("/ui/workspace/compare-defaults-and-difference", test_compare_defaults_and_difference);
  g_test_add_func ("/ui/workspace/export-remembers-folder", test_export_remembers_folder);
  g_test_add_func ("/ui/workspace/export-says-why-disabled", test_export_says_why_disabled);
  g_test_add_func ("/ui/workspace/focus-rings-and-wipe-keys", test_focus_rings_and_wipe_keys);
  g_test_add_func ("/ui/workspace/generate-dialog-inline-errors", test_generate_dialog_inline_errors);
  g_test_add_func ("/ui/workspace/compare-bar-narrow", test_compare_bar_narrow);
  g_test_add_func ("/ui/workspace/demo-in-history", test_demo_in_history);
  g_test_add_func ("/ui/workspace/short-window", test_short_window);
  g_test_add_func ("/ui/workspace/smallest-window", test_smallest_window);
  g_test_add_func ("/ui/workspace/menu-gives-keys-back", test_menu_gives_keys_back);
  g_test_add_func ("/ui/workspace/toasts-never-cut", test_toasts_never_cut);

  return g_test_run ();
}
