/*
 * rf-control-bar.h
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

#include "rf-player.h"

G_BEGIN_DECLS

#define RF_TYPE_CONTROL_BAR (rf_control_bar_get_type())

G_DECLARE_FINAL_TYPE (RfControlBar, rf_control_bar, RF, CONTROL_BAR, GtkWidget)

/* The bar between canvas and timeline: previous frame, play/pause, next
 * frame, replay speed and the playhead's time (from an RfPlayer), then
 * the canvas's zoom: out, the percentage, in, Fit and 1:1. Its buttons
 * activate the window's actions (win.play, win.zoom-in…), so they do
 * what the keys do. Main thread only. */
GtkWidget *rf_control_bar_new        (void);
/* @player: (nullable) */
void       rf_control_bar_set_player (RfControlBar *self,
                                      RfPlayer     *player);
/* @zoomable: (nullable): an object with "zoom" (double, 1 = 1:1) and
 * "best-fit" (boolean) properties: the canvas. */
void       rf_control_bar_set_zoomable (RfControlBar *self,
                                        GObject      *zoomable);
/* What the bar shows, for tests and screen readers. (transfer none) */
const char *rf_control_bar_get_time_text (RfControlBar *self);
const char *rf_control_bar_get_zoom_text (RfControlBar *self);

G_END_DECLS
