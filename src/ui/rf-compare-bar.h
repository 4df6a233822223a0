/*
 * rf-compare-bar.h
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

#include "rf-canvas.h"

G_BEGIN_DECLS

/* Threads: main thread only, as every widget. */

#define RF_TYPE_COMPARE_BAR (rf_compare_bar_get_type())

G_DECLARE_FINAL_TYPE (RfCompareBar, rf_compare_bar, RF, COMPARE_BAR, GtkWidget)

/* Controls for a canvas's compare mode: the mode, the frame compared with
 * and the cross-fade amount. */
GtkWidget *rf_compare_bar_new         (void);
RfCanvas  *rf_compare_bar_get_canvas  (RfCompareBar *self);
void       rf_compare_bar_set_canvas  (RfCompareBar *self,
                                       RfCanvas     *canvas);
/* The names the frame drop-down lists (GtkStringObject items): the
 * default first, then every frame. Kept up to date while it is shown. */
GListModel *rf_compare_bar_get_frame_names (RfCompareBar *self);
/* Compact, for a narrow window: the labels around the drop-downs, the
 * gain's number and the colour scale are left out. */
void       rf_compare_bar_set_compact (RfCompareBar *self,
                                       gboolean      compact);

G_END_DECLS
