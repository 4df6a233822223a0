/*
 * test-analysis.c
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
#include <time.h>

#include <json-glib/json-glib.h>

#include "rf-analysis.h"
#include "rf-diagnostic.h"
#include "rf-file-source.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-session.h"
#include "rf-synth.h"
#include "rf-test-util.h"

/* The measures of rf-analysis against computations written separately
 * here: a direct (not separable), double-precision SSIM over the 11×11
 * window, and values computed with scikit-image by
 * tests/data/analysis/make-ssim-fixtures.py. */

/* The reference: SSIM straight from its definition. */
static double
naive_ssim (const guint8 *x,
            const guint8 *y,
            int           w,
            int           h)
{
  const int r = 5;
  double g[11][11];
  double gsum = 0;
  double c1 = (0.01 * 255) * (0.01 * 255);
  double c2 = (0.03 * 255) * (0.03 * 255);
  double total = 0;
  int n = 0;

  for (int j = -r; j <= r; j++)
    for (int i = -r; i <= r; i++)
      {
        g[j + r][i + r] = exp (-(i * i + j * j) / (2.0 * 1.5 * 1.5));
        gsum += g[j + r][i + r];
      }

  for (int cy = r; cy < h - r; cy++)
    for (int cx = r; cx < w - r; cx++)
      {
        double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
        double vx, vy, vxy;

        for (int j = -r; j <= r; j++)
          for (int i = -r; i <= r; i++)
            {
              double wt = g[j + r][i + r] / gsum;
              double a = x[(cy + j) * w + cx + i];
              double b = y[(cy + j) * w + cx + i];

              mx += wt * a;
              my += wt * b;
              sxx += wt * a * a;
              syy += wt * b * b;
              sxy += wt * a * b;
            }

        vx = sxx - mx * mx;
        vy = syy - my * my;
        vxy = sxy - mx * my;
        total += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        n++;
      }

  return total / n;
}

/* The fixture images: the same integer formula as the Python script. */
static guint8 *
fixture_plane (int   w,
               int   h,
               guint seed,
               guint amp)
{
  guint8 *plane = g_malloc ((gsize) w * h);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 k = ((guint32) x * 73856093u) ^ ((guint32) y * 19349663u) ^ (seed * 83492791u);
        guint32 noise = (k * 2654435761u) >> 24;
        int base = (x * 5 + y * 3) * 255 / (5 * (w - 1) + 3 * (h - 1));
        int v = base + (int) (noise * amp / 64) - 2 * (int) amp;

        plane[y * w + x] = (guint8) CLAMP (v, 0, 255);
      }

  return plane;
}

static GdkPixbuf *
solid_pixbuf (int      w,
              int      h,
              gboolean alpha,
              guint8   r,
              guint8   g,
              guint8   b,
              guint8   a)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, w, h);
  guint32 pixel = ((guint32) r << 24) | ((guint32) g << 16) | ((guint32) b << 8) | a;

  gdk_pixbuf_fill (pixbuf, pixel);
  return pixbuf;
}

/* Identical frames: no difference, SSIM exactly 1. */
static void
test_identical (void)
{
  g_autoptr(GdkPixbuf) pixbuf = rf_synth_render (96, 64, 3, 2, 4, FALSE);
  g_autoptr(RfAnalysisImage) a = rf_analysis_image_new (pixbuf);
  g_autoptr(RfAnalysisImage) b = rf_analysis_image_new (pixbuf);
  double mean = -1, rgb[3] = { -1, -1, -1 };

  rf_analysis_diff_prev (a, b, &mean, rgb);
  g_assert_cmpfloat (mean, ==, 0);
  for (int c = 0; c < 3; c++)
    g_assert_cmpfloat (rgb[c], ==, 0);

  g_assert_cmpfloat_with_epsilon (rf_analysis_ssim_final (a, b), 1.0, 1e-6);
}

/* Every channel of every pixel 10 higher: diff_prev is 10, per channel too. */
static void
test_uniform_shift (void)
{
  g_autoptr(GdkPixbuf) low = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 50, 30);
  g_autoptr(GdkPixbuf) high = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 50, 30);
  g_autoptr(RfAnalysisImage) a = NULL;
  g_autoptr(RfAnalysisImage) b = NULL;
  double mean, rgb[3];

  for (int y = 0; y < 30; y++)
    for (int x = 0; x < 50; x++)
      for (int c = 0; c < 3; c++)
        {
          guint8 v = (guint8) ((x * 7 + y * 3 + c * 50) % 240);

          gdk_pixbuf_get_pixels (low)[y * gdk_pixbuf_get_rowstride (low) + x * 3 + c] = v;
          gdk_pixbuf_get_pixels (high)[y * gdk_pixbuf_get_rowstride (high) + x * 3 + c] = v + 10;
        }

  a = rf_analysis_image_new (low);
  b = rf_analysis_image_new (high);
  rf_analysis_diff_prev (a, b, &mean, rgb);
  g_assert_cmpfloat (mean, ==, 10);
  for (int c = 0; c < 3; c++)
    g_assert_cmpfloat (rgb[c], ==, 10);

  /* A shift changes the means only: SSIM drops below 1, and the direct
   * computation agrees. */
  g_assert_cmpfloat (rf_analysis_ssim_final (a, b), <, 1.0);
  g_assert_cmpfloat_with_epsilon (rf_analysis_ssim_final (a, b),
                                  naive_ssim (a->luma, b->luma, 50, 30), 1e-5);
}

/* Per channel: only red differs. */
static void
test_per_channel (void)
{
  g_autoptr(GdkPixbuf) p = solid_pixbuf (20, 20, FALSE, 100, 50, 25, 255);
  g_autoptr(GdkPixbuf) q = solid_pixbuf (20, 20, FALSE, 130, 50, 25, 255);
  g_autoptr(RfAnalysisImage) a = rf_analysis_image_new (p);
  g_autoptr(RfAnalysisImage) b = rf_analysis_image_new (q);
  double mean, rgb[3];

  rf_analysis_diff_prev (a, b, &mean, rgb);
  g_assert_cmpfloat (rgb[0], ==, 30);
  g_assert_cmpfloat (rgb[1], ==, 0);
  g_assert_cmpfloat (rgb[2], ==, 0);
  g_assert_cmpfloat (mean, ==, 10);
}

/* Transparent pixels count as black; luma as defined, rounded. */
static void
test_over_black_and_luma (void)
{
  g_autoptr(GdkPixbuf) clear = solid_pixbuf (12, 12, TRUE, 200, 100, 50, 0);
  g_autoptr(GdkPixbuf) half = solid_pixbuf (12, 12, TRUE, 200, 100, 50, 128);
  g_autoptr(GdkPixbuf) black = solid_pixbuf (12, 12, FALSE, 0, 0, 0, 255);
  g_autoptr(RfAnalysisImage) c = rf_analysis_image_new (clear);
  g_autoptr(RfAnalysisImage) h = rf_analysis_image_new (half);
  g_autoptr(RfAnalysisImage) k = rf_analysis_image_new (black);
  double mean, rgb[3];

  rf_analysis_diff_prev (k, c, &mean, rgb);
  g_assert_cmpfloat (mean, ==, 0);

  /* 200 × 128 / 255 = 100.39 → 100; 100 → 50.2 → 50; 50 → 25.1 → 25. */
  g_assert_cmpint (h->rgb[0], ==, 100);
  g_assert_cmpint (h->rgb[1], ==, 50);
  g_assert_cmpint (h->rgb[2], ==, 25);
  /* 0.299 × 100 + 0.587 × 50 + 0.114 × 25 = 62.1 → 62 */
  g_assert_cmpint (h->luma[0], ==, 62);
}

/* Bilinear resampling with aligned pixel centres. */
static void
test_resample (void)
{
  const guint8 src[] = { 0, 100, 200, 40 };   /* 2 × 2, one channel */
  g_autofree guint8 *up = rf_analysis_resample (src, 2, 2, 1, 4, 4);
  g_autofree guint8 *same = rf_analysis_resample (src, 2, 2, 1, 2, 2);
  g_autofree guint8 *down = rf_analysis_resample (src, 2, 2, 1, 1, 1);

  /* Corners keep their values (clamped to the edge). */
  g_assert_cmpint (up[0], ==, 0);
  g_assert_cmpint (up[3], ==, 100);
  g_assert_cmpint (up[12], ==, 200);
  g_assert_cmpint (up[15], ==, 40);
  /* Output x = 1 samples source x = 0.25: 0 + 0.25 × 100 = 25. */
  g_assert_cmpint (up[1], ==, 25);
  /* Output (1, 1) samples (0.25, 0.25): 0.75 (0.75·0 + 0.25·100) + 0.25 (0.75·200 + 0.25·40) = 58.75. */
  g_assert_cmpint (up[5], ==, 59);
  g_assert_cmpmem (same, 4, src, 4);
  /* The centre: the mean of the four. */
  g_assert_cmpint (down[0], ==, 85);
}

/* diff_prev of frames of different sizes: the previous one is resampled. */
static void
test_diff_different_sizes (void)
{
  g_autoptr(GdkPixbuf) small = solid_pixbuf (16, 16, FALSE, 40, 40, 40, 255);
  g_autoptr(GdkPixbuf) big = solid_pixbuf (64, 48, FALSE, 50, 60, 70, 255);
  g_autoptr(RfAnalysisImage) a = rf_analysis_image_new (small);
  g_autoptr(RfAnalysisImage) b = rf_analysis_image_new (big);
  double mean, rgb[3];

  rf_analysis_diff_prev (a, b, &mean, rgb);
  g_assert_cmpfloat (rgb[0], ==, 10);
  g_assert_cmpfloat (rgb[1], ==, 20);
  g_assert_cmpfloat (rgb[2], ==, 30);
  g_assert_cmpfloat (mean, ==, 20);
}

/* SSIM against the direct computation on images with structure. */
static void
test_ssim_against_naive (void)
{
  static const struct { int w, h; guint sa, aa, sb, ab; } cases[] = {
    { 64, 48, 1, 16, 2, 8 },
    { 97, 33, 3, 40, 3, 10 },
    { 11, 11, 4, 30, 5, 30 },
    { 40, 40, 6, 64, 7, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree guint8 *a = fixture_plane (cases[i].w, cases[i].h, cases[i].sa, cases[i].aa);
      g_autofree guint8 *b = fixture_plane (cases[i].w, cases[i].h, cases[i].sb, cases[i].ab);
      double fast = rf_analysis_ssim (a, b, cases[i].w, cases[i].h);
      double slow = naive_ssim (a, b, cases[i].w, cases[i].h);

      g_test_message ("%d×%d: %.8f (direct %.8f)", cases[i].w, cases[i].h, fast, slow);
      g_assert_cmpfloat_with_epsilon (fast, slow, 1e-6);
      g_assert_cmpfloat (fast, <, 1.0);
    }

  /* Synthetic frames: a blurred step against the sharp one. */
  {
    g_autoptr(GdkPixbuf) p = rf_synth_render (128, 96, 9, 0, 4, FALSE);
    g_autoptr(GdkPixbuf) q = rf_synth_render (128, 96, 9, 3, 4, FALSE);
    g_autoptr(RfAnalysisImage) a = rf_analysis_image_new (p);
    g_autoptr(RfAnalysisImage) b = rf_analysis_image_new (q);

    g_assert_cmpfloat_with_epsilon (rf_analysis_ssim_final (a, b),
                                    naive_ssim (a->luma, b->luma, 128, 96), 2e-5);
  }

  /* Too small for the window: no value. */
  {
    g_autofree guint8 *a = fixture_plane (10, 40, 1, 4);

    g_assert_true (isnan (rf_analysis_ssim (a, a, 10, 40)));
  }
}

/* SSIM against scikit-image's structural_similarity on the same planes. */
static void
test_ssim_against_skimage (void)
{
  const char *data = g_getenv ("REFINERY_TEST_DATA");
  g_autofree char *path = data != NULL
    ? g_build_filename (data, "analysis", "ssim-fixtures.json", NULL)
    : g_test_build_filename (G_TEST_DIST, "..", "data", "analysis", "ssim-fixtures.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *cases;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  cases = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "cases");
  g_assert_cmpuint (json_array_get_length (cases), >=, 5);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      int w = json_object_get_int_member (c, "width");
      int h = json_object_get_int_member (c, "height");
      JsonArray *pa = json_object_get_array_member (c, "a");
      JsonArray *pb = json_object_get_array_member (c, "b");
      g_autofree guint8 *a = fixture_plane (w, h, json_array_get_int_element (pa, 0),
                                            json_array_get_int_element (pa, 1));
      g_autofree guint8 *b = fixture_plane (w, h, json_array_get_int_element (pb, 0),
                                            json_array_get_int_element (pb, 1));
      double expected = json_object_get_double_member (c, "ssim");
      double got;

      if (json_object_get_boolean_member_with_default (c, "invert_b", FALSE))
        for (int k = 0; k < w * h; k++)
          b[k] = 255 - b[k];

      got = rf_analysis_ssim (a, b, w, h);
      g_test_message ("case %u (%d×%d): %.8f, scikit-image %.8f", i, w, h, got, expected);
      g_assert_cmpfloat_with_epsilon (got, expected, 1e-6);
    }
}

/* A whole run: every frame measured once decoded, each value the same as
 * computed here from the frames' own pixels. */
typedef struct
{
  GMainLoop *loop;
  guint      n_analyzed;
} Run;

static void
finished_cb (RfSession *session,
             Run       *run)
{
  g_main_loop_quit (run->loop);
}

static void
analyzed_cb (RfSession *session,
             RfFrame   *frame,
             Run       *run)
{
  run->n_analyzed++;
}

static RfSession *
run_analyzed (GBytes *bytes,
              guint   n_workers,
              Run    *run)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(RfSource) source = rf_file_source_new_for_stream (stream, "test");
  RfSession *session = rf_session_new ();

  rf_session_set_n_workers (session, n_workers);
  rf_session_set_pixel_cache_size (session, 0);
  rf_session_set_analyze (session, TRUE);
  run->loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (session, "finished", G_CALLBACK (finished_cb), run);
  g_signal_connect (session, "frame-analyzed", G_CALLBACK (analyzed_cb), run);
  rf_session_start (session, source);
  if (!rf_session_get_finished (session))
    g_main_loop_run (run->loop);
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_assert_true (rf_session_get_finished (session));

  return session;
}

static RfAnalysisImage *
frame_image (RfFrame *frame)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = rf_frame_decode_pixbuf (frame, &error);

  g_assert_no_error (error);
  return rf_analysis_image_new (pixbuf);
}

static void
check_lane (RfLane *lane)
{
  GListModel *frames = rf_lane_get_frames (lane);
  guint n = g_list_model_get_n_items (frames);
  g_autoptr(RfFrame) final = g_list_model_get_item (frames, n - 1);
  g_autoptr(RfAnalysisImage) final_image = frame_image (final);

  g_assert_cmpint (rf_frame_get_kind (final), ==, RF_FRAME_KIND_FINAL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
      g_autoptr(RfAnalysisImage) image = frame_image (frame);
      double diff, rgb[3], ssim;

      if (i == 0)
        g_assert_false (rf_frame_get_diff_prev (frame, &diff, rgb));
      else
        {
          g_autoptr(RfFrame) prev = g_list_model_get_item (frames, i - 1);
          g_autoptr(RfAnalysisImage) prev_image = frame_image (prev);
          g_autofree guint8 *resampled = NULL;
          guint64 sum = 0;

          g_assert_true (rf_frame_get_diff_prev (frame, &diff, rgb));
          /* Independently: resample (when needed), then sum here. */
          if (prev_image->width != image->width || prev_image->height != image->height)
            resampled = rf_analysis_resample (prev_image->rgb, prev_image->width, prev_image->height,
                                              3, image->width, image->height);
          for (gsize k = 0; k < (gsize) image->width * image->height * 3; k++)
            sum += ABS ((int) image->rgb[k] - (int) (resampled ? resampled : prev_image->rgb)[k]);
          g_assert_cmpfloat_with_epsilon (diff, (double) sum / (image->width * image->height * 3.0), 1e-9);
          g_assert_cmpfloat (diff, >, 0);
        }

      g_assert_true (rf_frame_get_ssim_final (frame, &ssim));
      if (frame == final)
        g_assert_cmpfloat (ssim, ==, 1.0);
      else
        {
          g_autofree guint8 *luma = image->width == final_image->width && image->height == final_image->height
            ? g_memdup2 (image->luma, (gsize) image->width * image->height)
            : rf_analysis_resample (image->luma, image->width, image->height, 1,
                                    final_image->width, final_image->height);

          g_assert_cmpfloat_with_epsilon (ssim, naive_ssim (luma, final_image->luma,
                                                            final_image->width, final_image->height), 2e-5);
          g_assert_cmpfloat (ssim, <, 1.0);
        }
    }
}

static GBytes *
synth_png (int      w,
           int      h,
           guint    seed,
           guint    step,
           gboolean alpha)
{
  g_autoptr(GdkPixbuf) pixbuf = rf_synth_render (w, h, seed, step, 4, alpha);

  return rf_synth_encode (pixbuf, RF_IMAGE_FORMAT_PNG, NULL);
}

static void
test_session_measures (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) fin0 = synth_png (96, 64, 1, 3, FALSE);
  g_autoptr(GBytes) fin1 = synth_png (80, 80, 2, 3, TRUE);
  GBytes *p0[3], *p1[2];
  g_autoptr(RfSession) session = NULL;
  Run run = { 0 };

  for (guint i = 0; i < 3; i++)
    p0[i] = synth_png (96, 64, 1, i, FALSE);
  /* Lane 1 starts small: partials at another size than the final. */
  for (guint i = 0; i < 2; i++)
    p1[i] = synth_png (i == 0 ? 40 : 80, i == 0 ? 40 : 80, 2, i + 1, TRUE);

  rf_test_stream_created (s, "resp_1", 3);
  rf_test_stream_image_call (s, 0, "ig_a", p0, 3, fin0, NULL);
  rf_test_stream_image_call (s, 1, "ig_b", p1, 2, fin1, NULL);
  rf_test_stream_completed (s, NULL, NULL, NULL);

  {
    g_autoptr(GBytes) bytes = rf_test_stream_to_bytes (s);

    session = run_analyzed (bytes, 3, &run);
  }

  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_lanes (session)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_frames (session)), ==, 7);
  /* Each frame's own result, and the two partials of lane 1 and three of
   * lane 0 once more for their SSIM. */
  g_assert_cmpuint (run.n_analyzed, ==, 7 + 5);
  check_lane (rf_session_get_lane (session, 0));
  check_lane (rf_session_get_lane (session, 1));

  for (guint i = 0; i < 3; i++)
    g_bytes_unref (p0[i]);
  for (guint i = 0; i < 2; i++)
    g_bytes_unref (p1[i]);
}

/* No final: diff_prev only, ssim_final stays null; a frame that did not
 * decode has neither and leaves the next without a diff. */
static void
test_session_no_final (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) a = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, FALSE, 1);
  g_autoptr(GBytes) bad = g_bytes_new_static ("not an image at all", 19);
  g_autoptr(GBytes) c = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, FALSE, 2);
  g_autoptr(GBytes) d = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, FALSE, 3);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfSession) session = NULL;
  RfLane *lane;
  Run run = { 0 };
  double v;

  rf_test_stream_created (s, "resp_1", 3);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, a);
  rf_test_stream_partial (s, 0, "ig_1", 1, bad);
  rf_test_stream_partial (s, 0, "ig_1", 2, c);
  rf_test_stream_partial (s, 0, "ig_1", 3, d);
  bytes = rf_test_stream_to_bytes (s);
  session = run_analyzed (bytes, 2, &run);

  lane = rf_session_get_lane (session, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rf_lane_get_frames (lane)), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (rf_lane_get_frames (lane), i);

      g_assert_false (rf_frame_get_ssim_final (frame, &v));
      g_assert_cmpint (rf_frame_get_diff_prev (frame, &v, NULL), ==, i == 3);
    }
  g_assert_cmpuint (run.n_analyzed, ==, 4);
}

/* Frames over the measuring limit decode and show, but are not measured:
 * the run says so once, whatever their number. */
static void
test_session_too_large (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  /* 6400×6300: 40.3 megapixels, under the decode limit (100). */
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 6400, 6300);
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GBytes) small = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, FALSE, 2);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfFrame) first = NULL;
  g_autoptr(RfFrame) second = NULL;
  GListModel *diagnostics;
  guint n_notes = 0;
  char *buffer;
  gsize size;
  double v;
  Run run = { 0 };

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", NULL, "compression", "1", NULL));
  big = g_bytes_new_take (buffer, size);
  g_clear_object (&pixbuf);

  rf_test_stream_created (s, "resp_1", 3);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, big);
  rf_test_stream_partial (s, 0, "ig_1", 1, big);
  rf_test_stream_partial (s, 0, "ig_1", 2, small);
  bytes = rf_test_stream_to_bytes (s);
  session = run_analyzed (bytes, 2, &run);

  g_assert_cmpuint (run.n_analyzed, ==, 3);
  first = g_list_model_get_item (rf_lane_get_frames (rf_session_get_lane (session, 0)), 0);
  second = g_list_model_get_item (rf_lane_get_frames (rf_session_get_lane (session, 0)), 1);
  g_assert_cmpint (rf_frame_get_width (first), ==, 6400);
  g_assert_false (rf_frame_get_diff_prev (second, &v, NULL));

  diagnostics = rf_session_get_diagnostics (session);
  for (guint i = 0; i < g_list_model_get_n_items (diagnostics); i++)
    {
      g_autoptr(RfDiagnostic) d = g_list_model_get_item (diagnostics, i);

      if (g_strcmp0 (rf_diagnostic_get_code (d), "not-measured") == 0)
        {
          g_test_message ("%s", rf_diagnostic_get_message (d));
          g_assert_nonnull (strstr (rf_diagnostic_get_message (d), "6400×6300"));
          g_assert_nonnull (strstr (rf_diagnostic_get_message (d), "40 megapixels"));
          n_notes++;
        }
    }
  g_assert_cmpuint (n_notes, ==, 1);
}

/* CPU time of this thread (µs): the machine may be shared, and wall time
 * would count the waits for a core. */
static gint64
thread_cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The cost of the measures on a 1024² frame, for the record. */
static void
test_cost (void)
{
  g_autoptr(GdkPixbuf) p = rf_synth_render (1024, 1024, 5, 2, 4, FALSE);
  g_autoptr(GdkPixbuf) q = rf_synth_render (1024, 1024, 5, 3, 4, FALSE);
  g_autoptr(RfAnalysisImage) a = NULL;
  g_autoptr(RfAnalysisImage) b = NULL;
  double mean, ssim;
  gint64 t0, t1, t2, t3;

  if (!g_test_perf () && g_getenv ("RF_TEST_SANITIZED") != NULL)
    {
      g_test_skip ("timing is meaningless under sanitizers");
      return;
    }

  t0 = thread_cpu_usec ();
  a = rf_analysis_image_new (p);
  b = rf_analysis_image_new (q);
  t1 = thread_cpu_usec ();
  rf_analysis_diff_prev (a, b, &mean, NULL);
  t2 = thread_cpu_usec ();
  ssim = rf_analysis_ssim_final (a, b);
  t3 = thread_cpu_usec ();

  g_test_message ("1024², CPU time: planes %.1f ms (two frames), diff_prev %.1f ms, ssim %.1f ms (diff %.2f, ssim %.4f)",
                  (t1 - t0) / 1000.0, (t2 - t1) / 1000.0, (t3 - t2) / 1000.0, mean, ssim);
  g_assert_cmpfloat (ssim, >, 0);
  g_assert_cmpfloat (ssim, <, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/analysis/identical", test_identical);
  g_test_add_func ("/analysis/uniform-shift", test_uniform_shift);
  g_test_add_func ("/analysis/per-channel", test_per_channel);
  g_test_add_func ("/analysis/over-black-and-luma", test_over_black_and_luma);
  g_test_add_func ("/analysis/resample", test_resample);
  g_test_add_func ("/analysis/diff-different-sizes", test_diff_different_sizes);
  g_test_add_func ("/analysis/ssim-against-direct", test_ssim_against_naive);
  g_test_add_func ("/analysis/ssim-against-scikit-image", test_ssim_against_skimage);
  g_test_add_func ("/analysis/session-measures", test_session_measures);
  g_test_add_func ("/analysis/session-no-final", test_session_no_final);
  g_test_add_func ("/analysis/session-too-large", test_session_too_large);
  g_test_add_func ("/analysis/cost", test_cost);

  return g_test_run ();
}
