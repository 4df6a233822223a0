/*
 * rf-renderer.h
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

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Threads: main thread only. */

/* Picks GTK's cairo renderer when OpenGL is emulated on the CPU, unless
 * the user chose one with GSK_RENDERER. Call after gtk_init(), before
 * the first window is realized; returns whether it chose cairo. */
gboolean rf_renderer_avoid_software_gl (void);

/* Lets the heap keep the buffers frames are painted in from one frame to
 * the next. Call first thing in main(). */
void     rf_renderer_prepare_heap       (void);
/* With cairo: makes the memory @window's frames are painted in and sent
 * to the display server through once, and keeps it. Call once @window
 * has been painted; undone when it unrealizes. */
void     rf_renderer_keep_frame_memory  (GtkWidget *window);

G_END_DECLS
