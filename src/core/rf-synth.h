/*
 * rf-synth.h
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

#include "rf-types.h"

G_BEGIN_DECLS

/* Threads: functions of their arguments only: any thread. */

/* Deterministic progressive images: step 0 is a coarse, blurred version of
 * the picture and step @n_steps - 1 is sharp. The same seed always gives
 * the same pixels.
 * Returns: (transfer full) */
GdkPixbuf *rf_synth_render        (int       width,
                                   int       height,
                                   guint     seed,
                                   guint     step,
                                   guint     n_steps,
                                   gboolean  with_alpha);
/* Encode to PNG/JPEG/WebP bytes.
 * Returns: (transfer full) (nullable): NULL with @error set */
GBytes    *rf_synth_encode        (GdkPixbuf     *pixbuf,
                                   RfImageFormat  format,
                                   GError       **error);

G_END_DECLS
