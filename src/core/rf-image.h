/*
 * rf-image.h
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

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

#include "rf-types.h"

G_BEGIN_DECLS

/* One compressed image: what it is, how large it says it is, and its
 * pixels. Pure functions, safe on any thread; the decode pool
 * (rf-decoder-private.h) calls them on its workers, and the main thread
 * never calls rf_image_decode() on a stream's payload. */

typedef struct
{
  gsize   max_encoded_bytes;   /* 64 MiB */
  guint   max_side;            /* 16384 */
  guint64 max_pixels;          /* 100 megapixels */
} RfDecodeLimits;

void           rf_decode_limits_init_default (RfDecodeLimits       *limits);

/* Identify PNG/JPEG/WebP by magic bytes. */
RfImageFormat  rf_image_format_sniff         (const guint8         *data,
                                              gsize                 len);
/* Width/height declared by the image header, without decoding pixels.
 * FALSE (and 0 × 0) when the header cannot be read. @width and @height
 * are (out) (optional). */
gboolean       rf_image_read_header_size     (const guint8         *data,
                                              gsize                 len,
                                              int                  *width,
                                              int                  *height);
/* TRUE when the installed GdkPixbuf loaders can decode @format. */
gboolean       rf_image_format_is_supported  (RfImageFormat         format);
/* Decode compressed image bytes, checking @limits ((nullable): the
 * defaults) from the header before any pixel buffer is allocated.
 * Returns: (transfer full) (nullable): the pixels, or NULL with @error
 * set. */
GdkPixbuf     *rf_image_decode               (GBytes               *encoded,
                                              const RfDecodeLimits *limits,
                                              GError              **error);
/* An image decoded while its bytes arrive: one thread at a time. */
typedef struct _RfImageStream RfImageStream;

RfImageStream *rf_image_stream_new           (const RfDecodeLimits *limits);
void           rf_image_stream_free          (RfImageStream        *self);
/* @data: all of the image's bytes so far (each call repeats the bytes
 * of the one before and adds to them). FALSE once the stream has given
 * up: not a PNG or JPEG, a size over the limits (checked from the
 * header, and again when the loader reads it, before it allocates), a
 * damaged file. The image is then decoded whole with rf_image_decode(),
 * which says why. */
gboolean       rf_image_stream_feed          (RfImageStream        *self,
                                              const guint8         *data,
                                              gsize                 len);
/* @encoded: the whole image. Returns: (transfer full) (nullable): the
 * pixels, or NULL when rf_image_decode() is to decode it instead (its
 * checks fail on the whole bytes, or the stream gave up). */
GdkPixbuf     *rf_image_stream_finish        (RfImageStream        *self,
                                              GBytes               *encoded);
/* Returns: (transfer none) (nullable): the pixels being filled, of which
 * the first @rows_done rows are decoded; only on the feeding thread. */
GdkPixbuf     *rf_image_stream_peek          (RfImageStream        *self,
                                              int                  *rows_done);
/* The one way Refinery makes a thumbnail: @pixbuf scaled to fit @size
 * pixels a side (never enlarged). Returns: (transfer full). */
GdkPixbuf     *rf_image_scale_thumbnail      (GdkPixbuf            *pixbuf,
                                              int                   size);
/* Returns: (transfer full): the lower-case hex SHA-256 of @bytes. */
char          *rf_sha256_hex                 (GBytes               *bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfImageStream, rf_image_stream_free)

G_END_DECLS
