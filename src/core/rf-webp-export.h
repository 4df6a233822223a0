/*
 * rf-webp-export.h
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

#include <gio/gio.h>

#include "rf-types.h"

G_BEGIN_DECLS

/* Threads: rf_webp_export_animation () blocks and reads only the
 * frames' kept bytes: any thread, and the _async form runs it in a
 * worker; call the _async and _finish functions on the main thread. */

/* TRUE when this build can write animated WebP (libwebp's encoder). */
gboolean  rf_webp_export_is_supported       (void);

/* Writes @frames (RfFrame, in order) as a looping animated WebP at
 * @path: one animation frame per decoded frame, lossless, at the size of
 * the last frame (others are scaled to it). Each frame shows for
 * @frame_duration_ms, or when that is 0 or less, until the next frame
 * arrived (clamped to 80 ms … 3 s); the last one holds for 1.5 s.
 * Identical consecutive frames may be merged by the encoder. */
gboolean  rf_webp_export_animation          (GPtrArray           *frames,
                                             int                  frame_duration_ms,
                                             const char          *path,
                                             GError             **error);
void      rf_webp_export_animation_async    (GPtrArray           *frames,
                                             int                  frame_duration_ms,
                                             const char          *path,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  rf_webp_export_animation_finish   (GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
