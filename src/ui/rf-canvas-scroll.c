/*
 * rf-canvas-scroll.c
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

#define G_LOG_DOMAIN "rf-canvas"

#include "config.h"

#include "rf-canvas-private.h"

/* The canvas as a GtkScrollable, as loupe's image view is: a
 * GtkScrolledWindow or a pair of GtkScrollbars given its adjustments show
 * where the view is in a zoomed image, and moving them pans it. RfZoom
 * stays the one model of zoom and pan: the adjustments are written from
 * it whenever it changes, and a value the user sets is written back as
 * its origin. In each axis of the pane (one image's area), upper is the
 * image's size on screen (at least the pane's), page size the pane's
 * size, and the value how far the pane's left or top edge is into the
 * image. Main thread only. */

static void
sync_axis (RfCanvas       *self,
           GtkAdjustment  *adjustment,
           double          content,
           double          view,
           double          origin)
{
  double upper;
  double value;

  if (adjustment == NULL)
    return;

  view = MAX (view, 0.0);
  upper = MAX (content, view);
  /* A smaller image is centred: nothing to scroll. */
  value = content > view ? CLAMP (-origin, 0.0, upper - view) : 0.0;

  gtk_adjustment_configure (adjustment, value, 0.0, upper,
                            view * 0.1, view * 0.9, view);
}

/* Writes the zoom model's state into the adjustments. */
void
_rf_canvas_sync_adjustments (RfCanvas *self)
{
  double view_w, view_h, origin_x, origin_y;
  double content_w = 0, content_h = 0;

  if (self->hadjustment == NULL && self->vadjustment == NULL)
    return;

  rf_zoom_get_view_size (self->zoom, &view_w, &view_h);
  rf_zoom_get_origin (self->zoom, &origin_x, &origin_y);
  if (self->shown != NULL)
    {
      int image_w, image_h;
      double zoom = rf_zoom_get_zoom (self->zoom);

      rf_zoom_get_image_size (self->zoom, &image_w, &image_h);
      content_w = image_w * zoom;
      content_h = image_h * zoom;
    }

  self->syncing_adjustments = TRUE;
  sync_axis (self, self->hadjustment, content_w, view_w, origin_x);
  sync_axis (self, self->vadjustment, content_h, view_h, origin_y);
  self->syncing_adjustments = FALSE;
}

/* The user (a scrollbar, a scrolled window) moved an adjustment: pan. */
static void
adjustment_value_changed_cb (RfCanvas      *self,
                             GtkAdjustment *adjustment)
{
  double origin_x, origin_y;

  if (self->syncing_adjustments || self->shown == NULL)
    return;

  /* A pan by the user ends a running zoom animation, as a drag does. */
  _rf_canvas_stop_zoom_animation (self);

  rf_zoom_get_origin (self->zoom, &origin_x, &origin_y);
  if (adjustment == self->hadjustment)
    origin_x = -gtk_adjustment_get_value (adjustment);
  else
    origin_y = -gtk_adjustment_get_value (adjustment);
  rf_zoom_set_origin (self->zoom, origin_x, origin_y);
  /* The model may have clamped the value. */
  _rf_canvas_sync_adjustments (self);
}

void
_rf_canvas_set_adjustment (RfCanvas       *self,
                           GtkOrientation  orientation,
                           GtkAdjustment  *adjustment)
{
  GtkAdjustment **slot = orientation == GTK_ORIENTATION_HORIZONTAL ? &self->hadjustment
                                                                   : &self->vadjustment;

  if (adjustment != NULL && adjustment == *slot)
    return;

  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, adjustment_value_changed_cb, self);
      g_clear_object (slot);
    }

  /* GtkScrollable: a NULL adjustment means one of the widget's own. */
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);

  *slot = g_object_ref_sink (adjustment);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (adjustment_value_changed_cb), self, G_CONNECT_SWAPPED);
  _rf_canvas_sync_adjustments (self);
}

void
_rf_canvas_clear_adjustments (RfCanvas *self)
{
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, adjustment_value_changed_cb, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_value_changed_cb, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
}
