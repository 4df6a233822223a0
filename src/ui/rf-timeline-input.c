/*
 * rf-timeline-input.c
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

#define G_LOG_DOMAIN "rf-timeline"

#include "config.h"

#include <math.h>

#include "rf-frame.h"
#include "rf-player.h"
#include "rf-session.h"
#include "rf-timeline.h"
#include "rf-timeline-private.h"

/* What the timeline takes from the pointer and the keyboard, main thread
 * only: the pointer's line over both parts, scrubbing along a lane (a
 * click on a lane's name folds it), zooming the time axis with
 * Ctrl+scroll and scrolling it sideways, and the timeline.* actions with
 * their keys. Its controllers are declared in rf-timeline.ui; the widget,
 * its parts and the playback clock are in rf-timeline.c. */

/* The row of the lanes at @y of the timeline, through their scrolled
 * window; -1 over the ruler, below the last lane or outside the view. */
static int
lane_at_y (RfTimeline *self,
           double      y)
{
  double sx, sy, lx, ly;

  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self), self->lanes_scroller, 0, y, &sx, &sy) ||
      sy < 0 || sy >= gtk_widget_get_height (self->lanes_scroller))
    return -1;
  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self), GTK_WIDGET (self->lanes), 0, y, &lx, &ly))
    return -1;

  return rf_timeline_lanes_row_at_y (self->lanes, ly);
}

/* Input, from the controllers in the template */

static void
motion_cb (RfTimeline               *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  self->hover_x = x;
  self->hover_y = y;
  self->hovering = TRUE;
  rf_timeline_ruler_set_hover (self->ruler, x);
  rf_timeline_lanes_set_hover (self->lanes, x);
}

static void
leave_cb (RfTimeline               *self,
          GtkEventControllerMotion *motion)
{
  self->hovering = FALSE;
  rf_timeline_ruler_set_hover (self->ruler, -1);
  rf_timeline_lanes_set_hover (self->lanes, -1);
}

/* Scrubbing */

static void
scrub_to (RfTimeline *self,
          double      x)
{
  RfFrame *frame;

  if (self->scrub_lane < 0)
    return;

  frame = rf_player_get_nearest_frame (self->player, self->scrub_lane, rf_timeline_time_at_x (self, x));
  if (frame != NULL && frame != _rf_timeline_get_selected (self))
    rf_player_select_frame (self->player, frame);
}

static void
drag_begin_cb (RfTimeline     *self,
               double          x,
               double          y,
               GtkGestureDrag *drag)
{
  RfFrame *selected;

  if (self->session == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  /* A lane's name folds it to one line, or opens it again. */
  if (x < GUTTER_WIDTH)
    {
      int lane = lane_at_y (self, y);

      if (lane >= 0)
        rf_timeline_set_lane_collapsed (self, lane, !rf_timeline_get_lane_collapsed (self, lane));
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self));
  rf_player_set_playing (self->player, FALSE);

  /* Over a lane: that lane; over the ruler or events: the lane of the
   * selected frame. */
  self->scrub_lane = lane_at_y (self, y);
  if (self->scrub_lane < 0 && (selected = _rf_timeline_get_selected (self)))
    self->scrub_lane = rf_frame_get_lane_index (selected);
  if (self->scrub_lane < 0 && _rf_timeline_get_n_lanes (self) > 0)
    self->scrub_lane = 0;

  gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_CLAIMED);
  scrub_to (self, x);
}

static void
drag_update_cb (RfTimeline     *self,
                double          offset_x,
                double          offset_y,
                GtkGestureDrag *drag)
{
  double start_x, start_y;

  gtk_gesture_drag_get_start_point (drag, &start_x, &start_y);
  scrub_to (self, start_x + offset_x);
}

static void
drag_end_cb (RfTimeline     *self,
             double          offset_x,
             double          offset_y,
             GtkGestureDrag *drag)
{
  self->scrub_lane = -1;
}

/* Time axis zoom */

static void
zoom_axis_at (RfTimeline *self,
              double      factor,
              double      x)
{
  rf_player_zoom_axis_at (self->player, factor, x - RF_TIMELINE_AREA_START);
}

static double
focus_x (RfTimeline *self)
{
  RfFrame *selected = _rf_timeline_get_selected (self);

  if (selected != NULL)
    return rf_timeline_x_for_time (self, rf_frame_get_t_ms (selected));

  return RF_TIMELINE_AREA_START + _rf_timeline_area_width (self) / 2;
}

static gboolean
scroll_cb (RfTimeline               *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *scroll)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));
  GdkScrollUnit unit = gtk_event_controller_scroll_get_unit (scroll);
  double step = unit == GDK_SCROLL_UNIT_WHEEL ? 40.0 : 1.0;

  if (self->session == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      double delta = unit == GDK_SCROLL_UNIT_WHEEL ? dy : dy / 20.0;

      zoom_axis_at (self, pow (1.3, delta), self->hovering ? self->hover_x : focus_x (self));
      return TRUE;
    }

  /* Sideways (or Shift) moves a zoomed-in axis; up and down scroll the
   * lanes while they overflow, else move the axis too. */
  if (dx != 0)
    return rf_player_scroll_axis (self->player, dx * step);
  if (state & GDK_SHIFT_MASK)
    return rf_player_scroll_axis (self->player, dy * step);
  {
    GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->lanes_scroller));

    if (gtk_adjustment_get_upper (vadj) - gtk_adjustment_get_lower (vadj) > gtk_adjustment_get_page_size (vadj) + 0.5)
      return FALSE;
  }
  return rf_player_scroll_axis (self->player, dy * step);
}

/* Actions */

static void
next_frame_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  rf_player_step_frame (RF_TIMELINE (widget)->player, RF_PLAYER_STEP_NEXT);
}

static void
previous_frame_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  rf_player_step_frame (RF_TIMELINE (widget)->player, RF_PLAYER_STEP_PREVIOUS);
}

static void
first_frame_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  rf_player_step_frame (RF_TIMELINE (widget)->player, RF_PLAYER_STEP_FIRST);
}

static void
last_frame_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  rf_player_step_frame (RF_TIMELINE (widget)->player, RF_PLAYER_STEP_LAST);
}

static void
next_lane_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  rf_player_step_lane (RF_TIMELINE (widget)->player, 1);
}

static void
previous_lane_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  rf_player_step_lane (RF_TIMELINE (widget)->player, -1);
}

static void
toggle_lane_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  RfTimeline *self = RF_TIMELINE (widget);
  RfFrame *selected = _rf_timeline_get_selected (self);
  guint lane;

  if (selected == NULL)
    return;

  lane = rf_frame_get_lane_index (selected);
  rf_timeline_set_lane_collapsed (self, lane, !rf_timeline_get_lane_collapsed (self, lane));
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  RfTimeline *self = RF_TIMELINE (widget);

  rf_player_set_playing (self->player, !rf_player_get_playing (self->player));
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  RfTimeline *self = RF_TIMELINE (widget);

  zoom_axis_at (self, 1 / 1.5, focus_x (self));
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  RfTimeline *self = RF_TIMELINE (widget);

  zoom_axis_at (self, 1.5, focus_x (self));
}

void
_rf_timeline_class_init_input (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "timeline.next-frame", NULL, next_frame_action);
  gtk_widget_class_install_action (widget_class, "timeline.previous-frame", NULL, previous_frame_action);
  gtk_widget_class_install_action (widget_class, "timeline.first-frame", NULL, first_frame_action);
  gtk_widget_class_install_action (widget_class, "timeline.last-frame", NULL, last_frame_action);
  gtk_widget_class_install_action (widget_class, "timeline.next-lane", NULL, next_lane_action);
  gtk_widget_class_install_action (widget_class, "timeline.previous-lane", NULL, previous_lane_action);
  gtk_widget_class_install_action (widget_class, "timeline.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "timeline.toggle-lane", NULL, toggle_lane_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-out", NULL, zoom_out_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "timeline.next-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Right, 0, "timeline.next-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "timeline.previous-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, 0, "timeline.previous-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "timeline.first-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "timeline.last-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "timeline.next-lane", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "timeline.previous-lane", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "timeline.play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "timeline.toggle-lane", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "timeline.toggle-lane", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "timeline.zoom-out", NULL);

  gtk_widget_class_bind_template_callback (widget_class, motion_cb);
  gtk_widget_class_bind_template_callback (widget_class, leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, scroll_cb);
  gtk_widget_class_bind_template_callback (widget_class, drag_begin_cb);
  gtk_widget_class_bind_template_callback (widget_class, drag_update_cb);
  gtk_widget_class_bind_template_callback (widget_class, drag_end_cb);
}
