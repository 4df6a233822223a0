/*
 * fuzz-warm-up.h
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

#pragma once

#include "rf-image.h"

/* Loads every image loader and decodes a tiny image with each before the
 * first input, so that their one-time allocations (module tables, codec
 * state) are not reported as leaks of whichever input first used them. */
static inline void
fuzz_warm_up (void)
{
  static const char *types[] = { "png", "jpeg", "webp" };
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 4, 4);

  gdk_pixbuf_fill (pixbuf, 0x80402010);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      char *buf = NULL;
      gsize len = 0;

      if (gdk_pixbuf_save_to_buffer (pixbuf, &buf, &len, types[i], NULL, NULL))
        {
          g_autoptr(GBytes) bytes = g_bytes_new_take (buf, len);
          g_autoptr(GBytes) garbage = g_bytes_new ("\x89PNG\r\n\x1a\n", 8);
          GdkPixbuf *decoded = rf_image_decode (bytes, NULL, NULL);

          g_clear_object (&decoded);
          decoded = rf_image_decode (garbage, NULL, NULL);
          g_clear_object (&decoded);
        }
    }
}
