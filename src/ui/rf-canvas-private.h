/*
 * rf-canvas-private.h
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

#include "rf-canvas.h"
#include "rf-zoom.h"

G_BEGIN_DECLS

/* For tests: the zoom model, whether a zoom animation runs, and the
 * double-click toggle at a widget point. */
RfZoom   *_rf_canvas_get_zoom_model (RfCanvas *self);
gboolean  _rf_canvas_is_animating   (RfCanvas *self);
void      _rf_canvas_toggle_zoom_at (RfCanvas *self,
                                     double    x,
                                     double    y);
/* Whether @frame's scaled copy is being made, or exists. */
gboolean  _rf_canvas_is_scaling     (RfCanvas *self,
                                     RfFrame  *frame);
gboolean  _rf_canvas_has_scaled     (RfCanvas *self,
                                     RfFrame  *frame);

G_END_DECLS
