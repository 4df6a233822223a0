/*
 * rf-canvas.h
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

#include "rf-types.h"

G_BEGIN_DECLS

/* Threads: main thread only, as every widget. */

typedef enum
{
  RF_COMPARE_NONE         = 0,
  RF_COMPARE_SIDE_BY_SIDE = 1,
  RF_COMPARE_WIPE         = 2,
  RF_COMPARE_CROSSFADE    = 3,
  RF_COMPARE_DIFFERENCE   = 4,
} RfCompareMode;

#define RF_TYPE_CANVAS (rf_canvas_get_type())

G_DECLARE_FINAL_TYPE (RfCanvas, rf_canvas, RF, CANVAS, GtkWidget)

/* Shows the session's selected frame, zoomable and pannable, alone or
 * compared with another frame. Actions: canvas.zoom-in, canvas.zoom-out,
 * canvas.zoom-fit, canvas.zoom-1. */
GtkWidget     *rf_canvas_new                (void);
RfSession     *rf_canvas_get_session        (RfCanvas      *self);
void           rf_canvas_set_session        (RfCanvas      *self,
                                             RfSession     *session);
RfCompareMode  rf_canvas_get_compare_mode   (RfCanvas      *self);
void           rf_canvas_set_compare_mode   (RfCanvas      *self,
                                             RfCompareMode  mode);
/* The frame compared with the selected one; NULL = the final of the
 * selected frame's lane, else the last frame. */
RfFrame       *rf_canvas_get_compare_frame  (RfCanvas      *self);
void           rf_canvas_set_compare_frame  (RfCanvas      *self,
                                             RfFrame       *frame);
/* Difference mode: each pixel's difference is multiplied by the gain
 * (1 to RF_CANVAS_MAX_DIFFERENCE_GAIN) before it takes its colour
 * (rf_compare_heat_colour(), as in the export), so faint changes show. */
#define RF_CANVAS_MAX_DIFFERENCE_GAIN 16.0
double         rf_canvas_get_difference_gain (RfCanvas     *self);
void           rf_canvas_set_difference_gain (RfCanvas     *self,
                                              double        gain);
/* The mean difference (0–255, the largest channel's per pixel, before the
 * gain) of the pair shown in difference mode; -1 until it is known. */
double         rf_canvas_get_difference_mean (RfCanvas     *self);
double         rf_canvas_get_crossfade      (RfCanvas      *self);
void           rf_canvas_set_crossfade      (RfCanvas      *self,
                                             double         crossfade);
double         rf_canvas_get_wipe_position  (RfCanvas      *self);
void           rf_canvas_set_wipe_position  (RfCanvas      *self,
                                             double         position);
double         rf_canvas_get_zoom           (RfCanvas      *self);
/* Zooms around the view centre (leaves best fit). */
void           rf_canvas_set_zoom           (RfCanvas      *self,
                                             double         zoom);
gboolean       rf_canvas_get_best_fit       (RfCanvas      *self);
void           rf_canvas_set_best_fit       (RfCanvas      *self,
                                             gboolean       best_fit);
/* The frame on screen now (the selected one once its pixels are ready,
 * the previous one until then), or NULL. */
RfFrame       *rf_canvas_get_displayed_frame (RfCanvas     *self);
/* The frame the selected one is compared with, resolved, or NULL. */
RfFrame       *rf_canvas_dup_effective_compare_frame (RfCanvas *self);

G_END_DECLS
