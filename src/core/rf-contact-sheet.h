/*
 * rf-contact-sheet.h
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

/* A contact sheet: @frames (RfFrame) in a grid of @columns (0 = up to 4)
 * cells of @cell_size px (0 = 256), each image fitted into its cell and
 * labelled "partial K" / "final" with its sequence number and arrival
 * time. Frames of several images are grouped by image, each image
 * starting a row, and labelled "image N partial K" (N from 1). Frames
 * are decoded again from their kept bytes, so this runs on any thread. A
 * frame that does not decode gets a marked empty cell.
 * Returns: (transfer full) (nullable): NULL with @error set */
GdkPixbuf *rf_contact_sheet_render          (GPtrArray           *frames,
                                             int                  columns,
                                             int                  cell_size,
                                             GError             **error);
gboolean   rf_contact_sheet_save_png        (GPtrArray           *frames,
                                             int                  columns,
                                             int                  cell_size,
                                             const char          *path,
                                             GError             **error);
/* The same in a worker thread; @frames is referenced, not copied. */
void       rf_contact_sheet_save_png_async  (GPtrArray           *frames,
                                             int                  columns,
                                             int                  cell_size,
                                             const char          *path,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean   rf_contact_sheet_save_png_finish (GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
