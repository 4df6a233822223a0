/*
 * test-canvas.c
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

#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <gtk/gtk.h>

#include "canvas-fixture.h"
#include "rf-canvas-private.h"
#include "rf-compare.h"
#include "rf-image.h"
#include "rf-test-util.h"

#define VIEW_W 320
#define VIEW_H 240
#define IMG_W  96
#define IMG_H  80

typedef struct
{
  RfSession  *session;
  GtkWidget  *window;
  RfCanvas   *canvas;
  guint8     *pixels;   /* last render: cairo ARGB32 (premultiplied BGRA) */
  gsize       stride;
} Fixture;

static gboolean have_display;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  if (!have_display)
    return;

  f->session = fixture_demo_session (IMG_W, IMG_H);
  f->window = gtk_window_new ();
  f->canvas = RF_CANVAS (rf_canvas_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), VIEW_W, VIEW_H);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->canvas));
  gtk_window_present (GTK_WINDOW (f->window));
  rf_canvas_set_session (f->canvas, f->session);

  while (gtk_widget_get_width (GTK_WIDGET (f->canvas)) != VIEW_W)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (!have_display)
    return;

  g_clear_pointer (&f->pixels, g_free);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->session);
}

/* Renders the canvas alone (no CSS background) with the cairo renderer:
 * @width × @height pixels, premultiplied BGRA (cairo's order), @width × 4
 * bytes a row; all zero where it draws nothing. */
static guint8 *
render_canvas (RfCanvas *canvas,
               int       width,
               int       height)
{
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  guint8 *pixels = g_malloc0 ((gsize) width * height * 4);

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (GTK_WIDGET (canvas), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return pixels;

  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_download (texture, pixels, width * 4);
  gsk_renderer_unrealize (renderer);

  return pixels;
}

static void
render (Fixture *f)
{
  g_free (f->pixels);
  f->stride = VIEW_W * 4;
  f->pixels = render_canvas (f->canvas, VIEW_W, VIEW_H);
}

/* Rendered pixel as RGBA (the test frames are opaque). */
static void
rendered_rgba (Fixture *f,
               int      x,
               int      y,
               guint8  *rgba)
{
  const guint8 *p = f->pixels + y * f->stride + x * 4;

  rgba[0] = p[2];
  rgba[1] = p[1];
  rgba[2] = p[0];
  rgba[3] = p[3];
}

static void
image_rgba (GdkPixbuf *pixbuf,
            int        x,
            int        y,
            guint8    *rgba)
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) +
                    x * gdk_pixbuf_get_n_channels (pixbuf);

  rgba[0] = p[0];
  rgba[1] = p[1];
  rgba[2] = p[2];
  rgba[3] = gdk_pixbuf_get_has_alpha (pixbuf) ? p[3] : 255;
}

static gboolean
same (const guint8 *a,
      const guint8 *b,
      int           tolerance)
{
  for (guint c = 0; c < 4; c++)
    if (ABS ((int) a[c] - (int) b[c]) > tolerance)
      return FALSE;
  return TRUE;
}

static GdkPixbuf *
decode (RfFrame *frame)
{
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = rf_frame_decode_pixbuf (frame, &error);

  g_assert_no_error (error);
  return pixbuf;
}

static void
select_and_wait (Fixture *f,
                 RfFrame *frame)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  rf_session_set_selected_frame (f->session, frame);
  while (rf_canvas_get_displayed_frame (f->canvas) != frame && g_get_monotonic_time () < deadline)
    fixture_spin (10);
  g_assert_true (rf_canvas_get_displayed_frame (f->canvas) == frame);
}

static void
wait_zoom_animation (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (_rf_canvas_is_animating (f->canvas) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (_rf_canvas_is_animating (f->canvas));
}

static void
test_one_to_one (Fixture       *f,
                 gconstpointer  data)
{
  RfFrame *final;
  g_autoptr(GdkPixbuf) expected = NULL;
  int ox = (VIEW_W - IMG_W) / 2, oy = (VIEW_H - IMG_H) / 2;
  guint mismatches = 0;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  g_assert_cmpuint (fixture_lane_n_frames (f->session, 0), ==, 4);
  final = fixture_lane_frame (f->session, 0, 3);
  select_and_wait (f, final);

  /* Smaller than the view: best fit shows it 1:1, centred. */
  g_assert_true (rf_canvas_get_best_fit (f->canvas));
  g_assert_cmpfloat (rf_canvas_get_zoom (f->canvas), ==, 1.0);

  render (f);
  expected = decode (final);

  for (int y = 0; y < IMG_H; y++)
    for (int x = 0; x < IMG_W; x++)
      {
        guint8 a[4], b[4];

        rendered_rgba (f, ox + x, oy + y, a);
        image_rgba (expected, x, y, b);
        if (!same (a, b, 1))
          mismatches++;
      }

  g_assert_cmpuint (mismatches, ==, 0);

  /* Outside the image: nothing drawn. */
  {
    guint8 a[4];

    rendered_rgba (f, 2, 2, a);
    g_assert_cmpuint (a[3], ==, 0);
  }
}

static void
test_nearest_when_zoomed (Fixture       *f,
                          gconstpointer  data)
{
  RfFrame *final;
  g_autoptr(GdkPixbuf) expected = NULL;
  double ix, iy;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  final = fixture_lane_frame (f->session, 0, 3);
  select_and_wait (f, final);
  expected = decode (final);

  rf_canvas_set_zoom (f->canvas, 4.0);
  g_assert_cmpfloat (rf_canvas_get_zoom (f->canvas), ==, 4.0);
  g_assert_false (rf_canvas_get_best_fit (f->canvas));
  render (f);

  /* Zoomed ×4 around the centre: every image pixel is a sharp 4×4 block
   * of its exact colour. The view centre shows image pixel (48, 40). */
  ix = IMG_W / 2.0 - (VIEW_W / 2.0) / 4.0;
  iy = IMG_H / 2.0 - (VIEW_H / 2.0) / 4.0;
  for (int y = 8; y < VIEW_H - 8; y += 3)
    for (int x = 8; x < VIEW_W - 8; x += 3)
      {
        guint8 a[4], b[4];
        int px = (int) (ix + x / 4.0);
        int py = (int) (iy + y / 4.0);

        rendered_rgba (f, x, y, a);
        image_rgba (expected, px, py, b);
        g_assert_true (same (a, b, 1));
      }

  rf_canvas_set_best_fit (f->canvas, TRUE);
  g_assert_cmpfloat (rf_canvas_get_zoom (f->canvas), ==, 1.0);

  /* The widget actions drive the same model (animated). */
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.zoom-in", NULL);
  wait_zoom_animation (f);
  g_assert_cmpfloat_with_epsilon (rf_canvas_get_zoom (f->canvas), 1.5, 1e-9);
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.zoom-out", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.zoom-out", NULL);
  wait_zoom_animation (f);
  g_assert_cmpfloat_with_epsilon (rf_canvas_get_zoom (f->canvas), 1 / 1.5, 1e-9);
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.zoom-1", NULL);
  wait_zoom_animation (f);
  g_assert_cmpfloat (rf_canvas_get_zoom (f->canvas), ==, 1.0);
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.zoom-fit", NULL);
  wait_zoom_animation (f);
  g_assert_true (rf_canvas_get_best_fit (f->canvas));
}

/* Checks at every frame of the running animation that the image point
 * (@ix, @iy) stays under the pane point (@ax, @ay), then that it ended. */
static guint
follow_zoom_animation (Fixture *f,
                       double   ax,
                       double   ay,
                       double   ix,
                       double   iy)
{
  RfZoom *zoom = _rf_canvas_get_zoom_model (f->canvas);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint steps = 0;

  while (_rf_canvas_is_animating (f->canvas) && g_get_monotonic_time () < deadline)
    {
      double x, y;

      g_main_context_iteration (NULL, TRUE);
      rf_zoom_image_to_view (zoom, ix, iy, &x, &y);
      g_assert_cmpfloat_with_epsilon (x, ax, 1e-6);
      g_assert_cmpfloat_with_epsilon (y, ay, 1e-6);
      steps++;
    }

  g_assert_false (_rf_canvas_is_animating (f->canvas));
  return steps;
}

static void
test_zoom_animation (Fixture       *f,
                     gconstpointer  data)
{
  RfZoom *zoom;
  double ix, iy, x, y;
  guint steps;
  gint64 start;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  zoom = _rf_canvas_get_zoom_model (f->canvas);
  select_and_wait (f, fixture_lane_frame (f->session, 0, 3));

  /* Zoomed in and panned off centre: the keyboard zoom keeps the view
   * centre, over ~200 ms and several frames. */
  rf_canvas_set_zoom (f->canvas, 4.0);
  rf_zoom_pan (zoom, 30, -20);
  rf_zoom_view_to_image (zoom, VIEW_W / 2.0, VIEW_H / 2.0, &ix, &iy);

  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.zoom-in", NULL);
  g_assert_true (_rf_canvas_is_animating (f->canvas));
  g_assert_cmpfloat (rf_canvas_get_zoom (f->canvas), <, 6.0);
  steps = follow_zoom_animation (f, VIEW_W / 2.0, VIEW_H / 2.0, ix, iy);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
  g_assert_cmpuint (steps, >, 2);
  g_assert_cmpfloat_with_epsilon (rf_canvas_get_zoom (f->canvas), 6.0, 1e-9);
  g_assert_false (rf_canvas_get_best_fit (f->canvas));

  /* Double-click when zoomed in: back to fit. */
  _rf_canvas_toggle_zoom_at (f->canvas, 40, 50);
  wait_zoom_animation (f);
  g_assert_true (rf_canvas_get_best_fit (f->canvas));
  g_assert_cmpfloat (rf_canvas_get_zoom (f->canvas), ==, 1.0);

  /* At fit on an image larger than the view: to 1:1 around the pointer. */
  {
    g_autoptr(RfSession) large = fixture_demo_session (400, 300);
    GListModel *frames = rf_lane_get_frames (rf_session_get_lane (large, 0));
    g_autoptr(RfFrame) frame = g_list_model_get_item (frames, g_list_model_get_n_items (frames) - 1);
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    rf_canvas_set_session (f->canvas, large);
    rf_session_set_selected_frame (large, frame);
    while (rf_canvas_get_displayed_frame (f->canvas) != frame && g_get_monotonic_time () < deadline)
      fixture_spin (10);
    g_assert_cmpfloat_with_epsilon (rf_canvas_get_zoom (f->canvas), 0.8, 1e-9);

    rf_zoom_view_to_image (zoom, 130, 100, &ix, &iy);
    _rf_canvas_toggle_zoom_at (f->canvas, 130, 100);
    follow_zoom_animation (f, 130, 100, ix, iy);
    g_assert_cmpfloat (rf_canvas_get_zoom (f->canvas), ==, 1.0);
    rf_zoom_image_to_view (zoom, ix, iy, &x, &y);
    g_assert_cmpfloat_with_epsilon (x, 130, 1e-6);
    g_assert_cmpfloat_with_epsilon (y, 100, 1e-6);

    rf_canvas_set_session (f->canvas, f->session);
  }

  /* A direct zoom (as the wheel's) is immediate and stops a running
   * animation. */
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.zoom-in", NULL);
  g_assert_true (_rf_canvas_is_animating (f->canvas));
  rf_canvas_set_zoom (f->canvas, 3.0);
  g_assert_false (_rf_canvas_is_animating (f->canvas));
  fixture_spin (300);
  g_assert_cmpfloat (rf_canvas_get_zoom (f->canvas), ==, 3.0);
}

static void
wait_computed (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean computing = TRUE;

  fixture_spin (20);
  while (g_get_monotonic_time () < deadline)
    {
      g_object_get (f->canvas, "computing", &computing, NULL);
      if (!computing)
        break;
      fixture_spin (10);
    }
  g_assert_false (computing);
}

static void
test_compare_modes (Fixture       *f,
                    gconstpointer  data)
{
  RfFrame *partial0, *final;
  g_autoptr(GdkPixbuf) a = NULL;
  g_autoptr(GdkPixbuf) b = NULL;
  g_autoptr(RfFrame) effective = NULL;
  int ox = (VIEW_W - IMG_W) / 2, oy = (VIEW_H - IMG_H) / 2;
  guint8 px[4], ex[4];

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  partial0 = fixture_lane_frame (f->session, 0, 0);
  final = fixture_lane_frame (f->session, 0, 3);
  select_and_wait (f, partial0);
  a = decode (partial0);
  b = decode (final);
  g_assert_cmpfloat (rf_test_pixbufs_mean_diff (a, b), >, 0.5);

  /* Default: the frame before; for an image's first frame, its final. */
  g_assert_null (rf_canvas_get_compare_frame (f->canvas));
  effective = rf_canvas_dup_effective_compare_frame (f->canvas);
  g_assert_true (effective == final);
  {
    g_autoptr(RfFrame) before = NULL;

    select_and_wait (f, fixture_lane_frame (f->session, 0, 2));
    before = rf_canvas_dup_effective_compare_frame (f->canvas);
    g_assert_true (before == fixture_lane_frame (f->session, 0, 1));
    select_and_wait (f, partial0);
  }

  /* Wipe at 0.5 (x = 160): left of it the selected frame, right the other. */
  g_object_set (f->canvas, "compare-mode", RF_COMPARE_WIPE, "wipe-position", 0.5, NULL);
  render (f);
  rendered_rgba (f, ox + 10, oy + 40, px);
  image_rgba (a, 10, 40, ex);
  g_assert_true (same (px, ex, 1));
  rendered_rgba (f, ox + 85, oy + 40, px);
  image_rgba (b, 85, 40, ex);
  g_assert_true (same (px, ex, 1));

  /* Cross-fade: the ends are the two frames. */
  g_object_set (f->canvas, "compare-mode", RF_COMPARE_CROSSFADE, "crossfade", 0.0, NULL);
  render (f);
  rendered_rgba (f, ox + 30, oy + 60, px);
  image_rgba (a, 30, 60, ex);
  g_assert_true (same (px, ex, 2));
  rf_canvas_set_crossfade (f->canvas, 1.0);
  render (f);
  rendered_rgba (f, ox + 30, oy + 60, px);
  image_rgba (b, 30, 60, ex);
  g_assert_true (same (px, ex, 2));

  /* Side by side: two panes of (320 - 12) / 2 = 154 px, each 1:1. */
  rf_canvas_set_compare_mode (f->canvas, RF_COMPARE_SIDE_BY_SIDE);
  render (f);
  {
    int pane = (VIEW_W - 12) / 2;
    int pox = (pane - IMG_W) / 2;

    rendered_rgba (f, pox + 20, oy + 70, px);
    image_rgba (a, 20, 70, ex);
    g_assert_true (same (px, ex, 1));
    rendered_rgba (f, pane + 12 + pox + 20, oy + 70, px);
    image_rgba (b, 20, 70, ex);
    g_assert_true (same (px, ex, 1));
  }

  /* Difference of different frames: not black everywhere. */
  rf_canvas_set_compare_mode (f->canvas, RF_COMPARE_DIFFERENCE);
  wait_computed (f);
  render (f);
  {
    guint non_black = 0;

    for (int y = 0; y < IMG_H; y++)
      for (int x = 0; x < IMG_W; x++)
        {
          rendered_rgba (f, ox + x, oy + y, px);
          g_assert_cmpuint (px[3], ==, 255);
          if (px[0] || px[1] || px[2])
            non_black++;
        }
    g_assert_cmpuint (non_black, >, IMG_W * IMG_H / 4);
  }

  /* A gain brightens the map: faint differences take brighter colours;
   * the mean difference is the pixels', whatever the gain. */
  {
    guint64 plain = 0, amplified = 0;
    double mean = rf_canvas_get_difference_mean (f->canvas);

    g_assert_cmpfloat (mean, >, 0);
    for (int y = 40; y < IMG_H; y++)
      for (int x = 0; x < IMG_W; x++)
        {
          rendered_rgba (f, ox + x, oy + y, px);
          plain += px[0] + px[1] + px[2];
        }
    rf_canvas_set_difference_gain (f->canvas, 8);
    wait_computed (f);
    render (f);
    for (int y = 40; y < IMG_H; y++)
      for (int x = 0; x < IMG_W; x++)
        {
          rendered_rgba (f, ox + x, oy + y, px);
          amplified += px[0] + px[1] + px[2];
        }
    g_test_message ("difference map brightness: %" G_GUINT64_FORMAT " at gain 1, %" G_GUINT64_FORMAT " at 8",
                    plain, amplified);
    g_assert_cmpuint (amplified, >, plain);
    g_assert_cmpfloat (rf_canvas_get_difference_mean (f->canvas), ==, mean);
    rf_canvas_set_difference_gain (f->canvas, 1);
    wait_computed (f);
  }

  /* Difference of a frame with itself: black (below the floating label). */
  rf_canvas_set_compare_frame (f->canvas, partial0);
  wait_computed (f);
  render (f);
  for (int y = 40; y < IMG_H; y++)
    for (int x = 0; x < IMG_W; x++)
      {
        rendered_rgba (f, ox + x, oy + y, px);
        g_assert_cmpuint (px[0], ==, 0);
        g_assert_cmpuint (px[1], ==, 0);
        g_assert_cmpuint (px[2], ==, 0);
        g_assert_cmpuint (px[3], ==, 255);
      }

  rf_canvas_set_compare_mode (f->canvas, RF_COMPARE_NONE);
  render (f);
  rendered_rgba (f, ox + 5, oy + 5, px);
  image_rgba (a, 5, 5, ex);
  g_assert_true (same (px, ex, 1));
}

static void
test_never_blank (Fixture       *f,
                  gconstpointer  data)
{
  RfFrame *final;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  final = fixture_lane_frame (f->session, 0, 3);
  select_and_wait (f, final);

  /* No selection: the last image stays on screen. */
  rf_session_set_selected_frame (f->session, NULL);
  fixture_spin (20);
  g_assert_true (rf_canvas_get_displayed_frame (f->canvas) == final);
  render (f);
  {
    guint8 px[4];

    rendered_rgba (f, VIEW_W / 2, VIEW_H / 2, px);
    g_assert_cmpuint (px[3], ==, 255);
  }
}

static void
test_transparency (void)
{
  g_autoptr(RfSession) session = NULL;
  g_autofree guint8 *pixels = NULL;
  GtkWidget *window;
  RfCanvas *canvas;
  RfFrame *frame;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  session = fixture_stream_session (rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 1,
                                                          RF_IMAGE_FORMAT_PNG, TRUE, NULL));
  window = gtk_window_new ();
  canvas = RF_CANVAS (rf_canvas_new ());
  gtk_window_set_default_size (GTK_WINDOW (window), 200, 200);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (canvas));
  gtk_window_present (GTK_WINDOW (window));
  rf_canvas_set_session (canvas, session);
  frame = fixture_lane_frame (session, 0, 1);
  rf_session_set_selected_frame (session, frame);
  while (gtk_widget_get_width (GTK_WIDGET (canvas)) != 200 ||
         rf_canvas_get_displayed_frame (canvas) != frame)
    g_main_context_iteration (NULL, TRUE);

  /* Soft alpha sits on a checkerboard: the image area is opaque. */
  pixels = render_canvas (canvas, 200, 200);
  /* 16×16 image centred at 92..108. */
  for (int y = 92; y < 108; y++)
    for (int x = 92; x < 108; x++)
      g_assert_cmpuint (pixels[y * 800 + x * 4 + 3], ==, 255);
  g_assert_cmpuint (pixels[10 * 800 + 10 * 4 + 3], ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
frame_shown (gpointer data)
{
  RfCanvas *canvas = data;

  return rf_canvas_get_displayed_frame (canvas) != NULL &&
         gtk_widget_get_width (GTK_WIDGET (canvas)) == 200;
}

static gboolean
session_finished (gpointer data)
{
  return rf_session_get_finished (data);
}

/* Rendered BGRA at (x, y) of a 200-wide canvas against the image's RGB. */
static void
assert_pixel (const guint8 *pixels,
              int           x,
              int           y,
              const guint8 *rgb)
{
  const guint8 *p = pixels + y * 800 + x * 4;

  g_assert_cmpint (ABS ((int) p[2] - rgb[0]), <=, 2);
  g_assert_cmpint (ABS ((int) p[1] - rgb[1]), <=, 2);
  g_assert_cmpint (ABS ((int) p[0] - rgb[2]), <=, 2);
}

/* While a live run follows its newest frame, the rows of the next frame
 * that have arrived are drawn over the frame before it, top-down; the
 * rest of the frame before stays; once the run is over they are gone. */
static void
test_arriving_rows (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 64, 64, FALSE, 1);
  g_autoptr(GdkPixbuf) first = NULL;
  g_autoptr(GdkPixbuf) rows = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSession) session = rf_session_new ();
  g_autoptr(RfSource) source = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autofree guint8 *pixels = NULL;
  const guint8 red[3] = { 255, 0, 0 };
  guint8 rgba[4];
  GtkWidget *window;
  RfCanvas *canvas;
  gsize len;
  const char *data;
  int fds[2];

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  first = rf_image_decode (image, NULL, &error);
  g_assert_no_error (error);

  /* A stream that stays open after its first partial image. */
  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, image);
  bytes = rf_test_stream_to_bytes (s);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], data, len), ==, (gssize) len);
  in = g_unix_input_stream_new (fds[0], TRUE);
  source = rf_file_source_new_for_stream (in, "test");
  rf_session_set_follow (session, TRUE);

  window = gtk_window_new ();
  canvas = RF_CANVAS (rf_canvas_new ());
  gtk_window_set_default_size (GTK_WINDOW (window), 200, 200);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (canvas));
  gtk_window_present (GTK_WINDOW (window));
  rf_canvas_set_session (canvas, session);
  rf_session_start (session, source);
  g_assert_true (rf_test_wait_until (frame_shown, canvas, 10000));
  g_assert_true (rf_session_is_following_live (session));

  /* 48 of the next frame's 64 rows: red. The image is drawn 1:1 at
   * 68..132. */
  gdk_pixbuf_fill (rows, 0xff0000ff);
  g_signal_emit_by_name (session, "frame-arriving", (gint64) 0, rows, 64);
  pixels = render_canvas (canvas, 200, 200);
  assert_pixel (pixels, 70, 68 + 44, red);
  image_rgba (first, 2, 60, rgba);
  assert_pixel (pixels, 70, 68 + 60, rgba);
  g_clear_pointer (&pixels, g_free);

  /* The run ends: the frame before is whole again. */
  close (fds[1]);
  g_assert_true (rf_test_wait_until (session_finished, session, 10000));
  pixels = render_canvas (canvas, 200, 200);
  image_rgba (first, 2, 44, rgba);
  assert_pixel (pixels, 70, 68 + 44, rgba);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A 640×480 demo session in a 320×240 canvas: best fit is one half,
 * 320×240 at the origin, drawn from scaled copies. */
static RfCanvas *
new_half_size_canvas (RfSession  *session,
                      GtkWidget **window)
{
  RfCanvas *canvas = RF_CANVAS (rf_canvas_new ());

  *window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (*window), VIEW_W, VIEW_H);
  gtk_window_set_child (GTK_WINDOW (*window), GTK_WIDGET (canvas));
  gtk_window_present (GTK_WINDOW (*window));
  rf_canvas_set_session (canvas, session);
  while (gtk_widget_get_width (GTK_WIDGET (canvas)) != VIEW_W)
    g_main_context_iteration (NULL, TRUE);

  return canvas;
}

static void
assert_displayed_soon (RfCanvas *canvas,
                       RfFrame  *frame)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (rf_canvas_get_displayed_frame (canvas) != frame && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (rf_canvas_get_displayed_frame (canvas) == frame);
}

/* Drawn smaller than its size, a frame is shown through a copy scaled
 * off the main thread, drawn without filtering: the pixels on screen are
 * exactly gdk-pixbuf's bilinear scaling of the frame, and the frame
 * before stays on screen until that copy exists. */
static void
test_scaled_when_fit (void)
{
  g_autoptr(RfSession) session = NULL;
  g_autoptr(GdkPixbuf) expected = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autofree guint8 *pixels = NULL;
  GtkWidget *window;
  RfCanvas *canvas;
  RfFrame *first, *final;
  guint mismatches = 0;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  session = fixture_demo_session (640, 480);
  canvas = new_half_size_canvas (session, &window);

  /* Neither shown yet (the session selected the final). */
  first = fixture_lane_frame (session, 0, 0);
  final = fixture_lane_frame (session, 0, 2);

  rf_session_set_selected_frame (session, first);
  assert_displayed_soon (canvas, first);

  /* The next frame replaces it once its scaled copy is made, not before. */
  rf_session_set_selected_frame (session, final);
  g_assert_true (rf_canvas_get_displayed_frame (canvas) == first);
  assert_displayed_soon (canvas, final);
  g_assert_cmpfloat_with_epsilon (rf_canvas_get_zoom (canvas), 0.5, 1e-9);

  pixels = render_canvas (canvas, VIEW_W, VIEW_H);

  decoded = decode (final);
  expected = gdk_pixbuf_scale_simple (decoded, 320, 240, GDK_INTERP_BILINEAR);
  for (int y = 0; y < 240; y++)
    for (int x = 0; x < 320; x++)
      {
        const guint8 *p = pixels + y * VIEW_W * 4 + x * 4;
        guint8 a[4] = { p[2], p[1], p[0], p[3] };
        guint8 b[4];

        image_rgba (expected, x, y, b);
        if (!same (a, b, 1))
          mismatches++;
      }
  g_assert_cmpuint (mismatches, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A frame still waiting for its scaled copy when a newer one is selected
 * will never be shown: its copy is not made (nor kept, if the scaling
 * thread had begun it), and the newer frame is shown once scaled. */
static void
test_stale_scaling_cancelled (void)
{
  g_autoptr(RfSession) session = NULL;
  GtkWidget *window;
  RfCanvas *canvas;
  RfFrame *first, *second, *final;
  gint64 deadline;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  session = fixture_demo_session (640, 480);
  canvas = new_half_size_canvas (session, &window);

  first = fixture_lane_frame (session, 0, 0);
  second = fixture_lane_frame (session, 0, 1);
  final = fixture_lane_frame (session, 0, 2);

  rf_session_set_selected_frame (session, first);
  assert_displayed_soon (canvas, first);

  /* No main-loop iteration in between: the second's copy is requested,
   * then given up for the final's. */
  rf_session_set_selected_frame (session, second);
  g_assert_true (_rf_canvas_is_scaling (canvas, second));
  rf_session_set_selected_frame (session, final);
  g_assert_false (_rf_canvas_is_scaling (canvas, second));
  g_assert_true (_rf_canvas_is_scaling (canvas, final));

  assert_displayed_soon (canvas, final);
  g_assert_true (_rf_canvas_has_scaled (canvas, final));

  /* Whatever the scaling thread did with the second comes back unused. */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (_rf_canvas_has_scaled (canvas, second));
  g_assert_false (_rf_canvas_is_scaling (canvas, second));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The canvas is a GtkScrollable: its adjustments say where the pane is
 * in the zoomed image, and moving one pans the image. */
static void
test_scrollable (Fixture       *f,
                 gconstpointer  data)
{
  RfFrame *final;
  RfZoom *zoom;
  GtkAdjustment *h;
  GtkAdjustment *v;
  g_autoptr(GdkPixbuf) expected = NULL;
  double ox, oy;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  g_assert_true (GTK_IS_SCROLLABLE (f->canvas));
  final = fixture_lane_frame (f->session, 0, 3);
  select_and_wait (f, final);
  expected = decode (final);
  zoom = _rf_canvas_get_zoom_model (f->canvas);

  h = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  v = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  gtk_scrollable_set_hadjustment (GTK_SCROLLABLE (f->canvas), h);
  gtk_scrollable_set_vadjustment (GTK_SCROLLABLE (f->canvas), v);
  g_assert_true (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (f->canvas)) == h);

  /* Best fit: the 96×80 image is smaller than the 320×240 view and
   * centred: one page, nothing to scroll. */
  g_assert_cmpfloat (gtk_adjustment_get_page_size (h), ==, VIEW_W);
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), ==, VIEW_W);
  g_assert_cmpfloat (gtk_adjustment_get_value (h), ==, 0);
  g_assert_cmpfloat (gtk_adjustment_get_page_size (v), ==, VIEW_H);
  g_assert_cmpfloat (gtk_adjustment_get_upper (v), ==, VIEW_H);

  /* ×4 around the centre: 384×320 on screen, the view in its middle. */
  rf_canvas_set_zoom (f->canvas, 4.0);
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), ==, IMG_W * 4);
  g_assert_cmpfloat (gtk_adjustment_get_page_size (h), ==, VIEW_W);
  g_assert_cmpfloat (gtk_adjustment_get_value (h), ==, (IMG_W * 4 - VIEW_W) / 2);
  g_assert_cmpfloat (gtk_adjustment_get_upper (v), ==, IMG_H * 4);
  g_assert_cmpfloat (gtk_adjustment_get_page_size (v), ==, VIEW_H);
  g_assert_cmpfloat (gtk_adjustment_get_value (v), ==, (IMG_H * 4 - VIEW_H) / 2);

  /* Moving the adjustments pans: the image's top-left corner comes to
   * the view's top-left corner, and is drawn there. */
  gtk_adjustment_set_value (h, 0);
  gtk_adjustment_set_value (v, 0);
  rf_zoom_get_origin (zoom, &ox, &oy);
  g_assert_cmpfloat (ox, ==, 0);
  g_assert_cmpfloat (oy, ==, 0);
  render (f);
  for (int y = 0; y < 40; y += 3)
    for (int x = 0; x < 40; x += 3)
      {
        guint8 a[4], b[4];

        rendered_rgba (f, x, y, a);
        image_rgba (expected, x / 4, y / 4, b);
        g_assert_true (same (a, b, 1));
      }

  /* The far end: the adjustment stops at upper - page, the image's
   * bottom-right corner at the view's. */
  gtk_adjustment_set_value (h, 10000);
  gtk_adjustment_set_value (v, 10000);
  rf_zoom_get_origin (zoom, &ox, &oy);
  g_assert_cmpfloat (ox, ==, VIEW_W - IMG_W * 4);
  g_assert_cmpfloat (oy, ==, VIEW_H - IMG_H * 4);

  /* A pan by other means (a drag) moves the adjustments. */
  rf_zoom_pan (zoom, 10, 20);
  g_assert_cmpfloat (gtk_adjustment_get_value (h), ==, IMG_W * 4 - VIEW_W - 10);
  g_assert_cmpfloat (gtk_adjustment_get_value (v), ==, IMG_H * 4 - VIEW_H - 20);

  /* Back to best fit: one page again. */
  rf_canvas_set_best_fit (f->canvas, TRUE);
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), ==, VIEW_W);
  g_assert_cmpfloat (gtk_adjustment_get_value (h), ==, 0);
  g_assert_cmpfloat (gtk_adjustment_get_upper (v), ==, VIEW_H);
}

/* In a GtkScrolledWindow, its scrollbars follow the zoom. */
static void
test_in_scrolled_window (void)
{
  g_autoptr(RfSession) session = NULL;
  GtkWidget *window;
  GtkWidget *scrolled;
  RfCanvas *canvas;
  GtkAdjustment *h;
  gint64 deadline;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  session = fixture_demo_session (IMG_W, IMG_H);
  window = gtk_window_new ();
  scrolled = gtk_scrolled_window_new ();
  canvas = RF_CANVAS (rf_canvas_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (canvas));
  gtk_window_set_default_size (GTK_WINDOW (window), VIEW_W, VIEW_H);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_present (GTK_WINDOW (window));
  rf_canvas_set_session (canvas, session);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((gtk_widget_get_width (GTK_WIDGET (canvas)) != VIEW_W ||
          rf_canvas_get_displayed_frame (canvas) == NULL) &&
         g_get_monotonic_time () < deadline)
    fixture_spin (10);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (canvas)), ==, VIEW_W);

  h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_true (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (canvas)) == h);

  rf_canvas_set_zoom (canvas, 8.0);
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), ==, IMG_W * 8);
  g_assert_cmpfloat (gtk_adjustment_get_page_size (h), ==, VIEW_W);
  g_assert_cmpfloat (gtk_adjustment_get_value (h), ==, (IMG_W * 8 - VIEW_W) / 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An opaque grey PNG of @value. */
static GBytes *
grey_png (int    size,
          guint8 value)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, size, size);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, ((guint32) value << 24) | ((guint32) value << 16) | ((guint32) value << 8) | 0xff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, len);
}

/* The same difference has the same colour on the canvas (difference
 * mode, no gain) and in the export of where a frame changed: greys
 * that differ by each of several amounts, against the first. */
static void
test_heat_colours_match_export (void)
{
  static const guint diffs[] = { 0, 3, 16, 40, 90, 155 };
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(GdkPixbuf) base = NULL;
  GBytes *images[G_N_ELEMENTS (diffs)];
  const int size = 64;
  GtkWidget *window;
  RfCanvas *canvas;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (diffs); i++)
    images[i] = grey_png (size, 60 + diffs[i]);
  rf_test_stream_created (s, "resp_heat", -1);
  rf_test_stream_in_progress (s);
  rf_test_stream_image_call (s, 0, "ig_1", images, G_N_ELEMENTS (diffs) - 1,
                             images[G_N_ELEMENTS (diffs) - 1], NULL);
  rf_test_stream_completed (s, NULL, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (diffs); i++)
    g_bytes_unref (images[i]);
  session = fixture_stream_session (rf_test_stream_to_bytes (s));
  g_assert_cmpuint (fixture_lane_n_frames (session, 0), ==, G_N_ELEMENTS (diffs));

  window = gtk_window_new ();
  canvas = RF_CANVAS (rf_canvas_new ());
  gtk_window_set_default_size (GTK_WINDOW (window), 200, 200);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (canvas));
  gtk_window_present (GTK_WINDOW (window));
  rf_canvas_set_session (canvas, session);
  while (gtk_widget_get_width (GTK_WIDGET (canvas)) != 200)
    g_main_context_iteration (NULL, TRUE);

  base = decode (fixture_lane_frame (session, 0, 0));
  rf_canvas_set_compare_mode (canvas, RF_COMPARE_DIFFERENCE);
  rf_canvas_set_compare_frame (canvas, fixture_lane_frame (session, 0, 0));
  g_assert_cmpfloat (rf_canvas_get_difference_gain (canvas), ==, 1.0);

  for (guint i = 0; i < G_N_ELEMENTS (diffs); i++)
    {
      RfFrame *frame = fixture_lane_frame (session, 0, i);
      g_autoptr(GdkPixbuf) pixbuf = decode (frame);
      g_autoptr(GdkPixbuf) map = rf_compare_change_heat_map (base, pixbuf, 16);
      g_autofree guint8 *pixels = NULL;
      gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      gboolean computing = TRUE;
      guint8 on_canvas[4], exported[4], ramp[3];

      rf_session_set_selected_frame (session, frame);
      assert_displayed_soon (canvas, frame);
      fixture_spin (20);
      while (computing && g_get_monotonic_time () < deadline)
        {
          g_object_get (canvas, "computing", &computing, NULL);
          fixture_spin (10);
        }
      g_assert_false (computing);
      g_assert_cmpfloat (rf_canvas_get_difference_mean (canvas), ==, diffs[i]);

      /* The 64×64 image is centred at 68..132; its lower half is clear
       * of the floating label. */
      pixels = render_canvas (canvas, 200, 200);
      on_canvas[0] = pixels[120 * 800 + 100 * 4 + 2];
      on_canvas[1] = pixels[120 * 800 + 100 * 4 + 1];
      on_canvas[2] = pixels[120 * 800 + 100 * 4 + 0];
      on_canvas[3] = 255;
      image_rgba (map, 32, 52, exported);
      rf_compare_heat_colour (diffs[i], ramp);
      g_test_message ("difference %u: canvas %u,%u,%u, export %u,%u,%u", diffs[i],
                      on_canvas[0], on_canvas[1], on_canvas[2], exported[0], exported[1], exported[2]);
      if (diffs[i] == 0)
        {
          /* Nothing changed: black on the canvas, the frame dimmed in the export. */
          g_assert_cmpmem (on_canvas, 3, ramp, 3);
          continue;
        }
      g_assert_cmpmem (exported, 3, ramp, 3);
      g_assert_true (same (on_canvas, exported, 1));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* No accessibility bus under Xvfb: its warning would be fatal. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check ();

  g_test_add ("/canvas/one-to-one", Fixture, NULL, fixture_setup, test_one_to_one, fixture_teardown);
  g_test_add ("/canvas/nearest-when-zoomed", Fixture, NULL, fixture_setup, test_nearest_when_zoomed, fixture_teardown);
  g_test_add ("/canvas/zoom-animation", Fixture, NULL, fixture_setup, test_zoom_animation, fixture_teardown);
  g_test_add ("/canvas/compare-modes", Fixture, NULL, fixture_setup, test_compare_modes, fixture_teardown);
  g_test_add ("/canvas/never-blank", Fixture, NULL, fixture_setup, test_never_blank, fixture_teardown);
  g_test_add_func ("/canvas/transparency", test_transparency);
  g_test_add_func ("/canvas/scaled-when-fit", test_scaled_when_fit);
  g_test_add_func ("/canvas/stale-scaling-cancelled", test_stale_scaling_cancelled);
  g_test_add ("/canvas/scrollable", Fixture, NULL, fixture_setup, test_scrollable, fixture_teardown);
  g_test_add_func ("/canvas/in-scrolled-window", test_in_scrolled_window);
  g_test_add_func ("/canvas/heat-colours-match-export", test_heat_colours_match_export);
  g_test_add_func ("/canvas/arriving-rows", test_arriving_rows);

  return g_test_run ();
}
