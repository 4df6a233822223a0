/*
 * test-image-cache.c
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

#include "rf-image-cache.h"

static GObject *
new_object (void)
{
  return g_object_new (G_TYPE_OBJECT, NULL);
}

/* The least recently used entry goes first, and its value is released. */
static void
test_evicts_least_recently_used (void)
{
  g_autoptr(RfImageCache) cache = rf_image_cache_new (300);
  g_autoptr(GObject) a = new_object ();
  g_autoptr(GObject) b = new_object ();
  g_autoptr(GObject) c = new_object ();
  g_autoptr(GObject) d = new_object ();
  GObject *value_b = new_object ();
  g_autoptr(GObject) value = new_object ();

  g_object_add_weak_pointer (value_b, (gpointer *) &value_b);

  g_assert_true (rf_image_cache_insert (cache, a, NULL, RF_IMAGE_CACHE_PIXELS, value, 100));
  g_assert_true (rf_image_cache_insert (cache, b, NULL, RF_IMAGE_CACHE_PIXELS, value_b, 100));
  g_object_unref (value_b);
  g_assert_nonnull (value_b);  /* the cache holds it */
  g_assert_true (rf_image_cache_insert (cache, c, NULL, RF_IMAGE_CACHE_PIXELS, value, 100));
  g_assert_cmpuint (rf_image_cache_get_size (cache), ==, 300);
  g_assert_cmpuint (rf_image_cache_get_n_entries (cache), ==, 3);

  /* a is used again: b is now the least recently used. */
  g_assert_true (rf_image_cache_lookup (cache, a, NULL, RF_IMAGE_CACHE_PIXELS) == value);
  g_assert_true (rf_image_cache_insert (cache, d, NULL, RF_IMAGE_CACHE_PIXELS, value, 100));

  g_assert_null (rf_image_cache_lookup (cache, b, NULL, RF_IMAGE_CACHE_PIXELS));
  g_assert_null (value_b);
  g_assert_nonnull (rf_image_cache_lookup (cache, a, NULL, RF_IMAGE_CACHE_PIXELS));
  g_assert_nonnull (rf_image_cache_lookup (cache, c, NULL, RF_IMAGE_CACHE_PIXELS));
  g_assert_nonnull (rf_image_cache_lookup (cache, d, NULL, RF_IMAGE_CACHE_PIXELS));
  g_assert_cmpuint (rf_image_cache_get_size (cache), ==, 300);

  /* One large entry makes room by evicting as many as it needs, oldest
   * first: a, then c (d was looked up last). */
  g_assert_true (rf_image_cache_insert (cache, b, NULL, RF_IMAGE_CACHE_PIXELS, value, 250));
  g_assert_cmpuint (rf_image_cache_get_n_entries (cache), ==, 1);
  g_assert_nonnull (rf_image_cache_lookup (cache, b, NULL, RF_IMAGE_CACHE_PIXELS));
  g_assert_cmpuint (rf_image_cache_get_size (cache), ==, 250);
}

/* An entry over the budget is not kept and evicts nothing; an entry
 * already there is not counted twice. */
static void
test_budget (void)
{
  g_autoptr(RfImageCache) cache = rf_image_cache_new (300);
  g_autoptr(GObject) a = new_object ();
  g_autoptr(GObject) b = new_object ();
  g_autoptr(GObject) value = new_object ();

  g_assert_true (rf_image_cache_insert (cache, a, NULL, RF_IMAGE_CACHE_PIXELS, value, 200));
  g_assert_false (rf_image_cache_insert (cache, b, NULL, RF_IMAGE_CACHE_PIXELS, value, 301));
  g_assert_nonnull (rf_image_cache_lookup (cache, a, NULL, RF_IMAGE_CACHE_PIXELS));
  g_assert_true (rf_image_cache_insert (cache, a, NULL, RF_IMAGE_CACHE_PIXELS, value, 200));
  g_assert_cmpuint (rf_image_cache_get_size (cache), ==, 200);

  /* A smaller budget evicts at once; none keeps nothing. */
  rf_image_cache_set_budget (cache, 100);
  g_assert_cmpuint (rf_image_cache_get_size (cache), ==, 0);
  g_assert_null (rf_image_cache_lookup (cache, a, NULL, RF_IMAGE_CACHE_PIXELS));
  rf_image_cache_set_budget (cache, 0);
  g_assert_false (rf_image_cache_insert (cache, a, NULL, RF_IMAGE_CACHE_PIXELS, value, 1));
  g_assert_cmpuint (rf_image_cache_get_n_entries (cache), ==, 0);
}

/* The kind and the second frame are part of the key: one frame's pixels,
 * scaled copy and thumbnail, and the differences a→b and b→a, are six
 * entries under one budget. */
static void
test_keys (void)
{
  g_autoptr(RfImageCache) cache = rf_image_cache_new (1000);
  g_autoptr(GObject) a = new_object ();
  g_autoptr(GObject) b = new_object ();
  GObject *v[6];

  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    v[i] = new_object ();

  g_assert_true (rf_image_cache_insert (cache, a, NULL, RF_IMAGE_CACHE_PIXELS, v[0], 100));
  g_assert_true (rf_image_cache_insert (cache, a, NULL, RF_IMAGE_CACHE_SCALED, v[1], 100));
  g_assert_true (rf_image_cache_insert (cache, a, NULL, RF_IMAGE_CACHE_THUMBNAIL, v[2], 100));
  g_assert_true (rf_image_cache_insert (cache, b, NULL, RF_IMAGE_CACHE_PIXELS, v[3], 100));
  g_assert_true (rf_image_cache_insert (cache, a, b, RF_IMAGE_CACHE_DIFF, v[4], 100));
  g_assert_true (rf_image_cache_insert (cache, b, a, RF_IMAGE_CACHE_DIFF, v[5], 100));
  g_assert_cmpuint (rf_image_cache_get_n_entries (cache), ==, 6);
  g_assert_cmpuint (rf_image_cache_get_size (cache), ==, 600);

  g_assert_true (rf_image_cache_lookup (cache, a, NULL, RF_IMAGE_CACHE_SCALED) == v[1]);
  g_assert_true (rf_image_cache_lookup (cache, a, NULL, RF_IMAGE_CACHE_THUMBNAIL) == v[2]);
  g_assert_true (rf_image_cache_lookup (cache, a, b, RF_IMAGE_CACHE_DIFF) == v[4]);
  g_assert_true (rf_image_cache_lookup (cache, b, a, RF_IMAGE_CACHE_DIFF) == v[5]);
  g_assert_null (rf_image_cache_lookup (cache, b, NULL, RF_IMAGE_CACHE_SCALED));

  rf_image_cache_clear (cache);
  g_assert_cmpuint (rf_image_cache_get_n_entries (cache), ==, 0);
  g_assert_cmpuint (rf_image_cache_get_size (cache), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    g_object_unref (v[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image-cache/evicts-least-recently-used", test_evicts_least_recently_used);
  g_test_add_func ("/image-cache/budget", test_budget);
  g_test_add_func ("/image-cache/keys", test_keys);

  return g_test_run ();
}
