/*
 * rf-canvas-input.c
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

#include <math.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "rf-canvas-private.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-session.h"

/* Input: the zoom animation, the pointer, wheel and gestures, and the
 * canvas.zoom-* actions with their keys. */

void
_rf_canvas_stop_zoom_animation (RfCanvas *self)
{
  if (!self->animating)
    return;

  /* Cleared first: reset() reports the start value, which must not
   * move the view back. */
  self->animating = FALSE;
  adw_animation_reset (self->zoom_animation);
}

static void
zoom_animation_value_cb (double   value,
                         gpointer user_data)
{
  RfCanvas *self = user_data;
  double zoom;

  if (!self->animating)
    return;

  if (value >= 1.0)
    zoom = self->anim_to_zoom;
  else
    zoom = self->anim_from_zoom * pow (self->anim_to_zoom / self->anim_from_zoom, value);

  rf_zoom_zoom_at (self->zoom, zoom, self->anim_anchor_x, self->anim_anchor_y);
  rf_zoom_set_origin (self->zoom,
                      self->anim_anchor_x - self->anim_image_x * zoom,
                      self->anim_anchor_y - self->anim_image_y * zoom);
}

static void
zoom_animation_done_cb (RfCanvas     *self,
                        AdwAnimation *animation)
{
  if (!self->animating)
    return;

  self->animating = FALSE;
  if (self->anim_to_fit)
    rf_zoom_set_best_fit (self->zoom, TRUE);
  _rf_canvas_update_cursor (self);
}

/* Animates to @zoom keeping the pane point (@anchor_x, @anchor_y) fixed,
 * or to best fit (@to_fit, anchor ignored). */
static void
rf_canvas_animate_zoom (RfCanvas *self,
                        double    zoom,
                        gboolean  to_fit,
                        double    anchor_x,
                        double    anchor_y)
{
  double from = rf_zoom_get_zoom (self->zoom);

  _rf_canvas_stop_zoom_animation (self);

  if (to_fit)
    {
      double vw, vh, ox, oy, fx, fy, k;
      int w, h;

      rf_zoom_get_image_size (self->zoom, &w, &h);
      rf_zoom_get_view_size (self->zoom, &vw, &vh);
      rf_zoom_get_origin (self->zoom, &ox, &oy);
      zoom = rf_zoom_compute_best_fit (w, h, vw, vh);
      fx = (vw - w * zoom) / 2.0;
      fy = (vh - h * zoom) / 2.0;
      k = zoom / from;

      /* The one point that zooming maps from here to the centred fit;
       * none when only the origin moves, so that jumps. */
      if (fabs (1.0 - k) < 1e-6)
        {
          rf_zoom_set_best_fit (self->zoom, TRUE);
          return;
        }
      anchor_x = (fx - ox * k) / (1.0 - k);
      anchor_y = (fy - oy * k) / (1.0 - k);
    }
  else
    {
      zoom = rf_zoom_clamp (zoom);
    }

  if (zoom == from && !to_fit)
    {
      rf_zoom_zoom_at (self->zoom, zoom, anchor_x, anchor_y);
      return;
    }

  self->anim_from_zoom = from;
  self->anim_to_zoom = zoom;
  self->anim_anchor_x = anchor_x;
  self->anim_anchor_y = anchor_y;
  self->anim_to_fit = !!to_fit;
  rf_zoom_view_to_image (self->zoom, anchor_x, anchor_y, &self->anim_image_x, &self->anim_image_y);
  self->animating = TRUE;
  adw_animation_play (self->zoom_animation);
}

static void
get_pane_centre (RfCanvas *self,
                 double   *x,
                 double   *y)
{
  _rf_canvas_get_pane_size (self, x, y);
  *x /= 2;
  *y /= 2;
}

static gboolean
near_wipe_divider (RfCanvas *self,
                   double    x)
{
  return self->compare_mode == RF_COMPARE_WIPE && self->shown != NULL &&
         fabs (x - gtk_widget_get_width (GTK_WIDGET (self)) * self->wipe_position) <= WIPE_GRAB_DISTANCE;
}

static gboolean
can_pan (RfCanvas *self)
{
  graphene_rect_t rect;
  double pw, ph;

  if (self->shown == NULL)
    return FALSE;

  _rf_canvas_get_pane_size (self, &pw, &ph);
  _rf_canvas_get_image_rect (self, &rect);

  return rect.size.width > pw + 0.5 || rect.size.height > ph + 0.5;
}

void
_rf_canvas_update_cursor (RfCanvas *self)
{
  const char *name = NULL;

  if (self->dragging_wipe || (self->has_pointer && near_wipe_divider (self, self->pointer_x)))
    name = "col-resize";
  else if (self->panning)
    name = "grabbing";
  else if (can_pan (self))
    name = "grab";

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

static void
motion_cb (RfCanvas                 *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->has_pointer = TRUE;
  _rf_canvas_update_cursor (self);
}

static void
leave_cb (RfCanvas                 *self,
          GtkEventControllerMotion *motion)
{
  self->has_pointer = FALSE;
}

static gboolean
scroll_cb (RfCanvas                 *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *scroll)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));
  GdkScrollUnit unit = gtk_event_controller_scroll_get_unit (scroll);
  double px, py;

  if (self->shown == NULL)
    return FALSE;

  _rf_canvas_stop_zoom_animation (self);

  /* A mouse wheel (or Ctrl + touchpad) zooms around the pointer; a
   * touchpad alone pans. */
  if (unit == GDK_SCROLL_UNIT_WHEEL || (state & GDK_CONTROL_MASK) != 0)
    {
      double delta = unit == GDK_SCROLL_UNIT_WHEEL ? dy : dy / 20.0;

      if (self->has_pointer)
        {
          _rf_canvas_to_pane_coords (self, self->pointer_x, self->pointer_y, &px, &py);
        }
      else
        {
          _rf_canvas_get_pane_size (self, &px, &py);
          px /= 2;
          py /= 2;
        }

      rf_zoom_scroll (self->zoom, delta, px, py);
    }
  else
    {
      rf_zoom_pan (self->zoom, -dx, -dy);
    }

  _rf_canvas_update_cursor (self);
  return TRUE;
}

static void
drag_begin_cb (RfCanvas       *self,
               double          x,
               double          y,
               GtkGestureDrag *drag)
{
  if (near_wipe_divider (self, x))
    {
      self->dragging_wipe = TRUE;
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_CLAIMED);
    }
  else if (can_pan (self))
    {
      _rf_canvas_stop_zoom_animation (self);
      self->panning = TRUE;
      rf_zoom_get_origin (self->zoom, &self->drag_start_x, &self->drag_start_y);
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_CLAIMED);
    }
  else
    {
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_DENIED);
    }

  _rf_canvas_update_cursor (self);
}

static void
drag_update_cb (RfCanvas       *self,
                double          offset_x,
                double          offset_y,
                GtkGestureDrag *drag)
{
  double start_x, start_y;

  gtk_gesture_drag_get_start_point (drag, &start_x, &start_y);

  if (self->dragging_wipe)
    {
      double width = gtk_widget_get_width (GTK_WIDGET (self));

      if (width > 0)
        rf_canvas_set_wipe_position (self, (start_x + offset_x) / width);
    }
  else if (self->panning)
    {
      rf_zoom_set_origin (self->zoom, self->drag_start_x + offset_x, self->drag_start_y + offset_y);
    }
}

static void
drag_end_cb (RfCanvas       *self,
             double          offset_x,
             double          offset_y,
             GtkGestureDrag *drag)
{
  self->dragging_wipe = FALSE;
  self->panning = FALSE;
  _rf_canvas_update_cursor (self);
}

static void
click_pressed_cb (RfCanvas        *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *click)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (n_press != 2 || self->shown == NULL || near_wipe_divider (self, x))
    return;

  _rf_canvas_toggle_zoom_at (self, x, y);
}

void
_rf_canvas_toggle_zoom_at (RfCanvas *self,
                           double    x,
                           double    y)
{
  double px, py;

  g_return_if_fail (RF_IS_CANVAS (self));

  _rf_canvas_to_pane_coords (self, x, y, &px, &py);

  /* Fit ↔ 1:1 (images already shown 1:1 at best fit get enlarged). */
  if (rf_zoom_get_best_fit (self->zoom) && !self->animating)
    {
      double zoom = rf_zoom_get_zoom (self->zoom);

      rf_canvas_animate_zoom (self, zoom < 1.0 ? 1.0 : zoom * 2.5, FALSE, px, py);
    }
  else
    {
      rf_canvas_animate_zoom (self, 0, TRUE, 0, 0);
    }

  _rf_canvas_update_cursor (self);
}

static void
zoom_gesture_begin_cb (RfCanvas       *self,
                       GdkEventSequence *sequence,
                       GtkGestureZoom *gesture)
{
  _rf_canvas_stop_zoom_animation (self);
  self->gesture_start_zoom = rf_zoom_get_zoom (self->zoom);
}

static void
zoom_gesture_scale_changed_cb (RfCanvas       *self,
                               double          scale,
                               GtkGestureZoom *gesture)
{
  double cx, cy, px, py;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    return;

  _rf_canvas_to_pane_coords (self, cx, cy, &px, &py);
  rf_zoom_zoom_at (self->zoom, self->gesture_start_zoom * scale, px, py);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  RfCanvas *self = RF_CANVAS (widget);
  double cx, cy, zoom;

  /* Repeated presses compound from where the running animation heads. */
  zoom = self->animating && !self->anim_to_fit ? self->anim_to_zoom : rf_zoom_get_zoom (self->zoom);
  get_pane_centre (self, &cx, &cy);
  rf_canvas_animate_zoom (self, zoom * ZOOM_STEP, FALSE, cx, cy);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  RfCanvas *self = RF_CANVAS (widget);
  double cx, cy, zoom;

  zoom = self->animating && !self->anim_to_fit ? self->anim_to_zoom : rf_zoom_get_zoom (self->zoom);
  get_pane_centre (self, &cx, &cy);
  rf_canvas_animate_zoom (self, zoom / ZOOM_STEP, FALSE, cx, cy);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  rf_canvas_animate_zoom (RF_CANVAS (widget), 0, TRUE, 0, 0);
}

static void
zoom_1_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  RfCanvas *self = RF_CANVAS (widget);
  double cx, cy;

  get_pane_centre (self, &cx, &cy);
  rf_canvas_animate_zoom (self, 1.0, FALSE, cx, cy);
}

/* The wipe's divider by keys: Shift+Left and Shift+Right move it by a
 * twentieth of the width. Enabled in wipe mode only, so the keys are
 * free otherwise. */
static void
move_wipe_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  RfCanvas *self = RF_CANVAS (widget);

  rf_canvas_set_wipe_position (self, rf_canvas_get_wipe_position (self) + g_variant_get_double (param));
}

void
_rf_canvas_class_init_input (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "canvas.move-wipe", "d", move_wipe_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_SHIFT_MASK, "canvas.move-wipe", "d", -0.05);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, GDK_SHIFT_MASK, "canvas.move-wipe", "d", -0.05);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_SHIFT_MASK, "canvas.move-wipe", "d", 0.05);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Right, GDK_SHIFT_MASK, "canvas.move-wipe", "d", 0.05);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-1", NULL, zoom_1_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "canvas.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "canvas.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "canvas.zoom-1", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1, GDK_CONTROL_MASK, "canvas.zoom-1", NULL);
}

void
_rf_canvas_init_input (RfCanvas *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->zoom_animation =
    adw_timed_animation_new (GTK_WIDGET (self), 0.0, 1.0, ZOOM_ANIMATION_MS,
                             adw_callback_animation_target_new (zoom_animation_value_cb, self, NULL));
  adw_timed_animation_set_easing (ADW_TIMED_ANIMATION (self->zoom_animation), ADW_EASE_OUT_CUBIC);
  g_signal_connect_object (self->zoom_animation, "done", G_CALLBACK (zoom_animation_done_cb), self, G_CONNECT_SWAPPED);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "enter", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect_object (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-update", G_CALLBACK (drag_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-end", G_CALLBACK (drag_end_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (click_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_object (gesture, "begin", G_CALLBACK (zoom_gesture_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "scale-changed", G_CALLBACK (zoom_gesture_scale_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}
