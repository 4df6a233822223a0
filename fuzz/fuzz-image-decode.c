/*
 * fuzz-image-decode.c
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

#define G_LOG_DOMAIN "rf-fuzz"

#include "config.h"

#include <string.h>

#include "fuzz-warm-up.h"
#include "rf-base64.h"
#include "rf-image.h"

/* Image bytes through the decode path with the default limits, and the
 * same bytes read as base64. The first byte chooses which. */

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_warm_up ();
  return 0;
}

static void
decode_image (GBytes *bytes)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  RfDecodeLimits limits;
  const guint8 *p;
  gsize len;
  int w = 0, h = 0;

  rf_decode_limits_init_default (&limits);
  p = g_bytes_get_data (bytes, &len);

  (void) rf_image_format_sniff (p, len);
  if (rf_image_read_header_size (p, len, &w, &h))
    g_assert (w >= 0 && h >= 0);

  pixbuf = rf_image_decode (bytes, &limits, &error);
  if (pixbuf == NULL)
    {
      g_assert (error != NULL);
      g_assert (error->domain == RF_ERROR || error->domain == GDK_PIXBUF_ERROR ||
                error->domain == G_IO_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }
  else
    {
      g_assert (error == NULL);
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), <=, (int) limits.max_side);
      g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), <=, (int) limits.max_side);
      g_assert_cmpuint ((guint64) gdk_pixbuf_get_width (pixbuf) * gdk_pixbuf_get_height (pixbuf),
                        <=, limits.max_pixels);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = NULL;

  if (size < 1)
    return 0;

  if (data[0] == 'B')
    {
      g_autoptr(GBytes) decoded = NULL;
      g_autoptr(GError) error = NULL;
      gsize max = size > 1 ? data[1] * 16 : 0;

      /* A copy without terminator: reads past the end are caught. */
      g_autofree char *b64 = g_memdup2 (data + 2 > data + size ? data + size : data + 2,
                                        size >= 2 ? size - 2 : 0);

      decoded = rf_base64_decode_bytes (b64, size >= 2 ? size - 2 : 0, G_MAXSIZE, &error);
      if (decoded != NULL)
        {
          g_autoptr(GBytes) limited = NULL;
          g_autoptr(GError) limit_error = NULL;

          g_assert (error == NULL);
          g_assert_cmpuint (g_bytes_get_size (decoded), <=, (size - 2) / 4 * 3 + 2);
          limited = rf_base64_decode_bytes (b64, size - 2, max, &limit_error);
          g_assert (limited != NULL || limit_error != NULL);
          if (limited != NULL)
            g_assert (g_bytes_equal (limited, decoded));
          decode_image (decoded);
        }
      else
        {
          g_assert (error != NULL);
        }
      return 0;
    }

  bytes = g_bytes_new (data, size);
  decode_image (bytes);

  return 0;
}
