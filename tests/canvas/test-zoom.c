/*
 * test-zoom.c
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

#include "rf-zoom.h"

static void
test_best_fit (void)
{
  /* Larger than the view: the limiting axis decides. */
  g_assert_cmpfloat_with_epsilon (rf_zoom_compute_best_fit (1024, 1024, 512, 800), 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (rf_zoom_compute_best_fit (2000, 1000, 1000, 1000), 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (rf_zoom_compute_best_fit (1000, 2000, 1000, 500), 0.25, 1e-9);
  /* Smaller images are not enlarged. */
  g_assert_cmpfloat_with_epsilon (rf_zoom_compute_best_fit (64, 64, 800, 600), 1.0, 1e-9);
  /* Empty sizes and huge images stay in range. */
  g_assert_cmpfloat_with_epsilon (rf_zoom_compute_best_fit (0, 0, 800, 600), 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (rf_zoom_compute_best_fit (100, 100, 0, 0), 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (rf_zoom_compute_best_fit (100000, 100000, 100, 100), RF_ZOOM_MIN, 1e-9);
}

static void
test_fit_follows_sizes (void)
{
  g_autoptr(RfZoom) zoom = rf_zoom_new ();
  double x, y;

  g_assert_true (rf_zoom_get_best_fit (zoom));
  rf_zoom_set_view_size (zoom, 400, 300);
  rf_zoom_set_image_size (zoom, 800, 800);
  g_assert_cmpfloat_with_epsilon (rf_zoom_get_zoom (zoom), 300.0 / 800.0, 1e-9);

  /* Centred in the view. */
  rf_zoom_get_origin (zoom, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, (400 - 300) / 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, 0, 1e-9);

  rf_zoom_set_view_size (zoom, 1000, 1000);
  g_assert_cmpfloat_with_epsilon (rf_zoom_get_zoom (zoom), 1.0, 1e-9);
  rf_zoom_set_image_size (zoom, 2000, 500);
  g_assert_cmpfloat_with_epsilon (rf_zoom_get_zoom (zoom), 0.5, 1e-9);
  rf_zoom_get_origin (zoom, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, (1000 - 250) / 2.0, 1e-9);
}

static void
assert_fixed_point (RfZoom *zoom,
                    double  new_zoom,
                    double  vx,
                    double  vy)
{
  double ix0, iy0, ix1, iy1;

  rf_zoom_view_to_image (zoom, vx, vy, &ix0, &iy0);
  rf_zoom_zoom_at (zoom, new_zoom, vx, vy);
  rf_zoom_view_to_image (zoom, vx, vy, &ix1, &iy1);
  g_assert_cmpfloat_with_epsilon (ix0, ix1, 1e-6);
  g_assert_cmpfloat_with_epsilon (iy0, iy1, 1e-6);
}

static void
test_zoom_around_point (void)
{
  g_autoptr(RfZoom) zoom = rf_zoom_new ();

  rf_zoom_set_view_size (zoom, 500, 400);
  rf_zoom_set_image_size (zoom, 1000, 1000);

  /* Zooming in far enough that the image overflows both axes keeps the
   * image point under the pointer in place. */
  rf_zoom_zoom_at (zoom, 2.0, 400, 300);
  g_assert_false (rf_zoom_get_best_fit (zoom));
  assert_fixed_point (zoom, 3.0, 100, 50);
  assert_fixed_point (zoom, 7.5, 250, 200);
  assert_fixed_point (zoom, 4.0, 499, 399);

  /* Wheel steps are ×1.3, also around the pointer. */
  {
    double before = rf_zoom_get_zoom (zoom);
    double ix0, iy0, ix1, iy1;

    rf_zoom_view_to_image (zoom, 123, 321, &ix0, &iy0);
    rf_zoom_scroll (zoom, -1, 123, 321);
    g_assert_cmpfloat_with_epsilon (rf_zoom_get_zoom (zoom), before * 1.3, 1e-9);
    rf_zoom_view_to_image (zoom, 123, 321, &ix1, &iy1);
    g_assert_cmpfloat_with_epsilon (ix0, ix1, 1e-6);
    g_assert_cmpfloat_with_epsilon (iy0, iy1, 1e-6);
    rf_zoom_scroll (zoom, 2, 123, 321);
    g_assert_cmpfloat_with_epsilon (rf_zoom_get_zoom (zoom), before / 1.3, 1e-9);
  }

  /* Buttons: ×1.5 around the centre. */
  rf_zoom_set_zoom (zoom, 2.0);
  rf_zoom_zoom_in (zoom);
  g_assert_cmpfloat_with_epsilon (rf_zoom_get_zoom (zoom), 3.0, 1e-9);
  rf_zoom_zoom_out (zoom);
  rf_zoom_zoom_out (zoom);
  g_assert_cmpfloat_with_epsilon (rf_zoom_get_zoom (zoom), 2.0 / 1.5, 1e-9);
}

static void
test_clamps (void)
{
  g_autoptr(RfZoom) zoom = rf_zoom_new ();
  double x, y;

  rf_zoom_set_view_size (zoom, 200, 200);
  rf_zoom_set_image_size (zoom, 100, 100);

  rf_zoom_set_zoom (zoom, 1000);
  g_assert_cmpfloat (rf_zoom_get_zoom (zoom), ==, RF_ZOOM_MAX);
  g_assert_false (rf_zoom_can_zoom_in (zoom));
  rf_zoom_zoom_in (zoom);
  g_assert_cmpfloat (rf_zoom_get_zoom (zoom), ==, RF_ZOOM_MAX);

  rf_zoom_set_zoom (zoom, 0.0001);
  g_assert_cmpfloat (rf_zoom_get_zoom (zoom), ==, RF_ZOOM_MIN);
  g_assert_false (rf_zoom_can_zoom_out (zoom));
  g_assert_true (rf_zoom_can_zoom_in (zoom));

  /* Smaller than the view: always centred, panning does nothing. */
  rf_zoom_set_zoom (zoom, 1.0);
  rf_zoom_pan (zoom, 500, -500);
  rf_zoom_get_origin (zoom, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 50, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, 50, 1e-9);

  /* Larger: the pan stops at the image edges. */
  rf_zoom_set_zoom (zoom, 4.0);
  rf_zoom_pan (zoom, 10000, 10000);
  rf_zoom_get_origin (zoom, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, 0, 1e-9);
  rf_zoom_pan (zoom, -100000, -100000);
  rf_zoom_get_origin (zoom, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 200 - 400, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, 200 - 400, 1e-9);
  rf_zoom_pan (zoom, 30, 20);
  rf_zoom_get_origin (zoom, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, -170, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, -180, 1e-9);

  /* Back to best fit. */
  rf_zoom_set_best_fit (zoom, TRUE);
  g_assert_cmpfloat_with_epsilon (rf_zoom_get_zoom (zoom), 1.0, 1e-9);
  rf_zoom_get_origin (zoom, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 50, 1e-9);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_notify (void)
{
  g_autoptr(RfZoom) zoom = rf_zoom_new ();
  guint changed = 0;

  g_signal_connect (zoom, "notify::zoom", G_CALLBACK (count_cb), &changed);

  rf_zoom_set_view_size (zoom, 100, 100);
  rf_zoom_set_image_size (zoom, 400, 400);
  g_assert_cmpuint (changed, ==, 1);
  rf_zoom_set_image_size (zoom, 400, 400);
  g_assert_cmpuint (changed, ==, 1);
  rf_zoom_set_zoom (zoom, 2);
  g_assert_cmpuint (changed, ==, 2);
}

static void
test_time_scale (void)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;

  g_assert_cmpfloat (rf_time_scale_pick_step (10, 60), ==, 1000);
  g_assert_cmpfloat (rf_time_scale_pick_step (1, 60), ==, 100);
  g_assert_cmpfloat (rf_time_scale_pick_step (1, 30), ==, 50);
  g_assert_cmpfloat (rf_time_scale_pick_step (0.01, 30), ==, 1);
  g_assert_cmpfloat (rf_time_scale_pick_step (30, 60), ==, 2000);

  a = rf_time_scale_format (0, 100);
  b = rf_time_scale_format (500, 100);
  c = rf_time_scale_format (1500, 500);
  d = rf_time_scale_format (3000, 1000);
  g_assert_cmpstr (a, ==, "0");
  g_assert_cmpstr (b, ==, "500 ms");
  g_assert_cmpstr (c, ==, "1.5 s");
  g_assert_cmpstr (d, ==, "3 s");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/zoom/best-fit", test_best_fit);
  g_test_add_func ("/zoom/fit-follows-sizes", test_fit_follows_sizes);
  g_test_add_func ("/zoom/around-point", test_zoom_around_point);
  g_test_add_func ("/zoom/clamps", test_clamps);
  g_test_add_func ("/zoom/notify", test_notify);
  g_test_add_func ("/zoom/time-scale", test_time_scale);

  return g_test_run ();
}
