/*
 * rf-zoom.h
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

/* Threads: an RfZoom is used by one thread at a time (the canvas's:
 * the main thread); rf_zoom_clamp (), rf_zoom_compute_best_fit () and
 * rf_time_scale_* () are pure: any thread. */

#define RF_ZOOM_MIN 0.05
#define RF_ZOOM_MAX 20.0

#define RF_TYPE_ZOOM (rf_zoom_get_type())

G_DECLARE_FINAL_TYPE (RfZoom, rf_zoom, RF, ZOOM, GObject)

/* A display-free zoom and pan model of one image in one view.
 *
 * The origin is where the image's top-left corner lands in view
 * coordinates. An image smaller than the view (in an axis) is centred;
 * a larger one is clamped so that no empty space shows at its edges.
 * In best-fit mode the zoom follows the image and view sizes.
 * Returns: (transfer full) */
RfZoom   *rf_zoom_new               (void);
void      rf_zoom_set_image_size    (RfZoom  *self,
                                     int      width,
                                     int      height);
void      rf_zoom_get_image_size    (RfZoom  *self,
                                     int     *width,
                                     int     *height);
void      rf_zoom_set_view_size     (RfZoom  *self,
                                     double   width,
                                     double   height);
void      rf_zoom_get_view_size     (RfZoom  *self,
                                     double  *width,
                                     double  *height);
double    rf_zoom_get_zoom          (RfZoom  *self);
/* Zooms around the view centre; leaves best-fit mode. */
void      rf_zoom_set_zoom          (RfZoom  *self,
                                     double   zoom);
/* Zooms so that the image point under (@view_x, @view_y) stays there. */
void      rf_zoom_zoom_at           (RfZoom  *self,
                                     double   zoom,
                                     double   view_x,
                                     double   view_y);
/* ×1.5 / ÷1.5 around the view centre. */
void      rf_zoom_zoom_in           (RfZoom  *self);
void      rf_zoom_zoom_out          (RfZoom  *self);
/* Wheel: ×1.3^-@delta around the pointer (negative delta zooms in). */
void      rf_zoom_scroll            (RfZoom  *self,
                                     double   delta,
                                     double   view_x,
                                     double   view_y);
gboolean  rf_zoom_get_best_fit      (RfZoom  *self);
void      rf_zoom_set_best_fit      (RfZoom  *self,
                                     gboolean best_fit);
gboolean  rf_zoom_can_zoom_in       (RfZoom  *self);
gboolean  rf_zoom_can_zoom_out      (RfZoom  *self);
/* Moves the image by (@dx, @dy) view pixels, clamped. */
void      rf_zoom_pan               (RfZoom  *self,
                                     double   dx,
                                     double   dy);
/* Puts the origin at (@x, @y), clamped. */
void      rf_zoom_set_origin        (RfZoom  *self,
                                     double   x,
                                     double   y);
void      rf_zoom_get_origin        (RfZoom  *self,
                                     double  *x,
                                     double  *y);
void      rf_zoom_view_to_image     (RfZoom  *self,
                                     double   view_x,
                                     double   view_y,
                                     double  *image_x,
                                     double  *image_y);
void      rf_zoom_image_to_view     (RfZoom  *self,
                                     double   image_x,
                                     double   image_y,
                                     double  *view_x,
                                     double  *view_y);

/* The largest zoom that shows the whole image in the view, never above 1
 * (small images are not enlarged) and clamped to RF_ZOOM_MIN..MAX; 1 when
 * either size is empty. */
double    rf_zoom_compute_best_fit  (int      image_width,
                                     int      image_height,
                                     double   view_width,
                                     double   view_height);
double    rf_zoom_clamp             (double   zoom);

/* Time axis: the smallest "nice" step (1, 2, 5 × 10^k ms, at least 1 ms)
 * that puts @min_px pixels or more between ticks at @ms_per_px. */
double    rf_time_scale_pick_step   (double   ms_per_px,
                                     double   min_px);
/* "0", "250 ms", "1.5 s", "2 min 5 s": a ruler label for @ms given the
 * tick @step_ms (which sets the precision).
 * Returns: (transfer full) */
char     *rf_time_scale_format      (double   ms,
                                     double   step_ms);

G_END_DECLS
