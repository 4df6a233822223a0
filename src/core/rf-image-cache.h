/*
 * rf-image-cache.h
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

#include <glib-object.h>

G_BEGIN_DECLS

#define RF_TYPE_IMAGE_CACHE (rf_image_cache_get_type())

G_DECLARE_FINAL_TYPE (RfImageCache, rf_image_cache, RF, IMAGE_CACHE, GObject)

/* What an entry holds for its key frame (and, for a difference, its
 * second frame). */
typedef enum
{
  RF_IMAGE_CACHE_PIXELS,     /* the frame's decoded pixels (a GdkPixbuf) */
  RF_IMAGE_CACHE_SCALED,     /* a copy scaled to its size on screen */
  RF_IMAGE_CACHE_DIFF,       /* the difference of two frames */
  RF_IMAGE_CACHE_THUMBNAIL,  /* a small preview */
} RfImageCacheKind;

/* Decoded pixels kept for a run under one policy: entries cost their
 * bytes against one budget, and when an entry would not fit, the least
 * recently used ones go first. An entry holds a reference on its value
 * and on its key objects. An entry larger than the whole budget is not
 * kept, and a budget of 0 keeps nothing.
 *
 * Threads: main thread only (the session's). */
/* Returns: (transfer full) */
RfImageCache *rf_image_cache_new          (gsize             budget);
gsize         rf_image_cache_get_budget   (RfImageCache     *self);
/* Evicts down to the new budget at once. */
void          rf_image_cache_set_budget   (RfImageCache     *self,
                                           gsize             budget);
/* Bytes held, never over the budget. */
gsize         rf_image_cache_get_size     (RfImageCache     *self);
guint         rf_image_cache_get_n_entries (RfImageCache    *self);
/* Keeps @value for (@frame, @other, @kind), costing @bytes; @other is
 * NULL but for a difference. An entry already there is kept (and becomes
 * the most recently used). FALSE when nothing is kept: @bytes is over
 * the budget. */
gboolean      rf_image_cache_insert       (RfImageCache     *self,
                                           GObject          *frame,
                                           GObject          *other,
                                           RfImageCacheKind  kind,
                                           GObject          *value,
                                           gsize             bytes);
/* The value kept for the key, which becomes the most recently used.
 * Returns: (transfer none) (nullable) */
gpointer      rf_image_cache_lookup       (RfImageCache     *self,
                                           GObject          *frame,
                                           GObject          *other,
                                           RfImageCacheKind  kind);
void          rf_image_cache_clear        (RfImageCache     *self);

G_END_DECLS
