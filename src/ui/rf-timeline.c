/*
 * rf-timeline.c
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
#include <glib/gi18n.h>

#include "rf-event.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-player.h"
#include "rf-sched.h"
#include "rf-session.h"
#include "rf-timeline.h"
#include "rf-timeline-private.h"

struct _RfTimeline
{
  GtkWidget      parent_instance;

  RfSession     *session;
  GSignalGroup  *session_signals;

  /* Template children: the scale and events row over the lanes. */
  RfTimelineRuler *ruler;
  RfTimelineLanes *lanes;
  GtkWidget       *lanes_scroller;
  GtkWidget       *axis_scrollbar;
  GtkAdjustment   *axis_adjustment;
  guint            axis_scrollbar_idle;

  /* The time axis, the selection moves and the playback clock; the
   * widget drives its clock from the frame clock while it plays. */
  RfPlayer      *player;
  guint          play_tick;

  double         hover_x;
  double         hover_y;
  int            scrub_lane;

  /* New lanes change its height, and a live run's selection scrolls its
   * scrolled window: both with the window pacer's updates. */
  RfPacer       *pacer;
  guint          n_lanes_sized;

  guint          hovering : 1;
  guint          scroll_pending : 1;
  guint          syncing_axis : 1;
};

G_DEFINE_FINAL_TYPE (RfTimeline, rf_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PLAYING,
  PROP_SPEED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Geometry */

static double
area_start (RfTimeline *self)
{
  return RF_TIMELINE_AREA_START;
}

static double
area_width (RfTimeline *self)
{
  return MAX (1.0, gtk_widget_get_width (GTK_WIDGET (self)) - area_start (self) - AREA_PAD_END);
}

static guint
get_n_lanes (RfTimeline *self)
{
  if (self->session == NULL)
    return 0;

  return g_list_model_get_n_items (rf_session_get_lanes (self->session));
}

double
rf_timeline_x_for_time (RfTimeline *self,
                        double      t_ms)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), 0);

  return area_start (self) + rf_player_x_for_time (self->player, t_ms);
}

double
rf_timeline_time_at_x (RfTimeline *self,
                       double      x)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), 0);

  return rf_player_time_at_x (self->player, x - area_start (self));
}

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

static void
rf_timeline_invalidate (RfTimeline *self)
{
  rf_timeline_ruler_invalidate (self->ruler);
  rf_timeline_lanes_invalidate (self->lanes);
}

/* The playhead, the selection and the pointer are drawn over the parts'
 * static layers. */
static void
redraw (RfTimeline *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->ruler));
  gtk_widget_queue_draw (GTK_WIDGET (self->lanes));
}

/* Model helpers */

static RfFrame *
get_selected (RfTimeline *self)
{
  return self->session ? rf_session_get_selected_frame (self->session) : NULL;
}

/* Hover */

/* The parts answer the pointer; the timeline, the keyboard's focus. */
static gboolean
rf_timeline_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip)
{
  RfTimeline *self = RF_TIMELINE (widget);
  RfFrame *selected = get_selected (self);
  g_autofree char *markup = NULL;

  if (!keyboard_mode || selected == NULL)
    return FALSE;

  markup = rf_timeline_dup_frame_tooltip (self->session, selected);
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
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
  if (frame != NULL && frame != get_selected (self))
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
  if (self->scrub_lane < 0 && (selected = get_selected (self)))
    self->scrub_lane = rf_frame_get_lane_index (selected);
  if (self->scrub_lane < 0 && get_n_lanes (self) > 0)
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
  rf_player_zoom_axis_at (self->player, factor, x - area_start (self));
}

static double
focus_x (RfTimeline *self)
{
  RfFrame *selected = get_selected (self);

  if (selected != NULL)
    return rf_timeline_x_for_time (self, rf_frame_get_t_ms (selected));

  return area_start (self) + area_width (self) / 2;
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

/* The axis scrollbar: the whole run as its range, the visible part as
 * its page. Shown while zoomed in. */
static gboolean
axis_scrollbar_idle_cb (gpointer data)
{
  RfTimeline *self = data;

  self->axis_scrollbar_idle = 0;
  gtk_widget_set_visible (self->axis_scrollbar,
                          self->session != NULL && !rf_player_get_axis_fit (self->player));

  return G_SOURCE_REMOVE;
}

static void
sync_axis_scrollbar (RfTimeline *self)
{
  gboolean zoomed = self->session != NULL && !rf_player_get_axis_fit (self->player);
  double ms_per_px = rf_player_get_ms_per_px (self->player);
  double offset = rf_player_time_at_x (self->player, 0);
  double visible = rf_player_time_at_x (self->player, area_width (self)) - offset;
  double span = MAX (rf_player_get_span_ms (self->player), offset + visible);

  self->syncing_axis = TRUE;
  gtk_adjustment_configure (self->axis_adjustment, offset, 0, span,
                            40 * ms_per_px, visible * 0.9, visible);
  self->syncing_axis = FALSE;

  /* The axis moves while the widgets are allocated: the scrollbar comes
   * and goes after it. */
  if (zoomed != gtk_widget_get_visible (self->axis_scrollbar) && self->axis_scrollbar_idle == 0)
    self->axis_scrollbar_idle = g_idle_add (axis_scrollbar_idle_cb, self);
}

static void
axis_value_changed_cb (RfTimeline    *self,
                       GtkAdjustment *adjustment)
{
  double ms_per_px;

  if (self->syncing_axis)
    return;

  ms_per_px = rf_player_get_ms_per_px (self->player);
  rf_player_scroll_axis (self->player,
                         (gtk_adjustment_get_value (adjustment) - rf_player_time_at_x (self->player, 0)) / ms_per_px);
}

static void
axis_changed_cb (RfTimeline *self)
{
  rf_timeline_invalidate (self);
  sync_axis_scrollbar (self);
}

/* Playback: the player keeps the clock, the frame clock drives it. */

static gboolean
play_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  RfTimeline *self = RF_TIMELINE (widget);

  redraw (self);
  if (rf_player_tick (self->player, gdk_frame_clock_get_frame_time (clock)))
    return G_SOURCE_CONTINUE;

  self->play_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
player_playing_cb (RfTimeline *self)
{
  gboolean playing = rf_player_get_playing (self->player);

  if (playing && self->play_tick == 0)
    self->play_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), play_tick_cb, NULL, NULL);
  else if (!playing && self->play_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->play_tick);
      self->play_tick = 0;
    }

  redraw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PLAYING]);
}

static void
player_speed_cb (RfTimeline *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SPEED]);
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
  RfFrame *selected = get_selected (self);
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

/* Session signals */

static void
data_changed_cb (RfTimeline *self)
{
  rf_timeline_invalidate (self);
}

static void
size_lanes (RfTimeline *self)
{
  if (self->n_lanes_sized == get_n_lanes (self))
    return;

  self->n_lanes_sized = get_n_lanes (self);
  rf_timeline_lanes_set_n_rows (self->lanes, self->n_lanes_sized);
}

static void
lane_added_cb (RfTimeline *self)
{
  if (self->pacer != NULL)
    rf_pacer_queue_update (self->pacer);
  else
    size_lanes (self);
  rf_timeline_invalidate (self);
}

/* Keeps the selected lane in view in the lanes' scrolled window. Returns
 * FALSE when the lane has no room yet. */
static gboolean
scroll_to_selected_lane (RfTimeline *self)
{
  RfFrame *selected = get_selected (self);
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->lanes_scroller));
  double top, bottom, value, page;
  guint row;

  if (selected == NULL)
    return TRUE;
  row = rf_frame_get_lane_index (selected);
  if (row >= self->n_lanes_sized)
    return FALSE;

  top = rf_timeline_lanes_get_row_y (self->lanes, row);
  bottom = top + rf_timeline_lanes_get_row_height (self->lanes, row);
  value = gtk_adjustment_get_value (vadj);
  page = gtk_adjustment_get_page_size (vadj);

  if (page <= 0)
    return TRUE;
  if (top < value)
    gtk_adjustment_set_value (vadj, top);
  else if (bottom > value + page)
    gtk_adjustment_set_value (vadj, bottom - page);

  return TRUE;
}

/* The lanes take their room first; the scroll to a new lane comes with
 * the next update, once it is allocated. */
static void
pacer_update_cb (RfTimeline *self,
                 RfPacer    *pacer)
{
  if (self->scroll_pending && scroll_to_selected_lane (self))
    self->scroll_pending = FALSE;
  size_lanes (self);
  if (self->scroll_pending)
    rf_pacer_queue_update (pacer);
}

static void
selection_changed_cb (RfTimeline *self)
{
  /* The player keeps the selection in view along the time axis; down to
   * its lane, scrolling lays the window out: a live run's selection,
   * which moves with every frame, scrolls with the window's updates; the
   * user's at once. */
  if (self->pacer != NULL && self->session != NULL && rf_session_is_following_live (self->session))
    {
      self->scroll_pending = TRUE;
      rf_pacer_queue_update (self->pacer);
    }
  else if (!scroll_to_selected_lane (self))
    {
      /* Its lane has no room yet. */
      self->scroll_pending = TRUE;
      if (self->pacer != NULL)
        rf_pacer_queue_update (self->pacer);
    }

  redraw (self);
}

/* GtkWidget */

static void
rf_timeline_root (GtkWidget *widget)
{
  RfTimeline *self = RF_TIMELINE (widget);

  GTK_WIDGET_CLASS (rf_timeline_parent_class)->root (widget);

  self->pacer = rf_pacer_connect (widget, "update", G_CALLBACK (pacer_update_cb));
  if (self->n_lanes_sized != get_n_lanes (self) || self->scroll_pending)
    rf_pacer_queue_update (self->pacer);
}

static void
rf_timeline_unroot (GtkWidget *widget)
{
  RfTimeline *self = RF_TIMELINE (widget);

  rf_player_set_playing (self->player, FALSE);
  rf_pacer_disconnect (&self->pacer, widget);
  size_lanes (self);

  GTK_WIDGET_CLASS (rf_timeline_parent_class)->unroot (widget);
}

/* GObject */

static void
rf_timeline_dispose (GObject *object)
{
  RfTimeline *self = RF_TIMELINE (object);

  if (self->player != NULL)
    {
      rf_player_set_playing (self->player, FALSE);
      g_signal_handlers_disconnect_by_data (self->player, self);
      rf_player_set_session (self->player, NULL);
    }
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session);
  g_clear_handle_id (&self->axis_scrollbar_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), RF_TYPE_TIMELINE);

  G_OBJECT_CLASS (rf_timeline_parent_class)->dispose (object);
}

static void
rf_timeline_finalize (GObject *object)
{
  RfTimeline *self = RF_TIMELINE (object);

  g_clear_object (&self->session_signals);
  g_clear_object (&self->player);

  G_OBJECT_CLASS (rf_timeline_parent_class)->finalize (object);
}

static void
rf_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RfTimeline *self = RF_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_PLAYING:
      g_value_set_boolean (value, rf_player_get_playing (self->player));
      break;

    case PROP_SPEED:
      g_value_set_double (value, rf_player_get_speed (self->player));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  RfTimeline *self = RF_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      rf_timeline_set_session (self, g_value_get_object (value));
      break;

    case PROP_PLAYING:
      rf_timeline_set_playing (self, g_value_get_boolean (value));
      break;

    case PROP_SPEED:
      rf_timeline_set_speed (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_timeline_class_init (RfTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_timeline_dispose;
  object_class->finalize = rf_timeline_finalize;
  object_class->get_property = rf_timeline_get_property;
  object_class->set_property = rf_timeline_set_property;

  widget_class->query_tooltip = rf_timeline_query_tooltip;
  widget_class->root = rf_timeline_root;
  widget_class->unroot = rf_timeline_unroot;

  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         RF_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL,
                         RF_PLAYER_MIN_SPEED, RF_PLAYER_MAX_SPEED, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

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

  g_type_ensure (RF_TYPE_TIMELINE_RULER);
  g_type_ensure (RF_TYPE_TIMELINE_LANES);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/refinery/Refinery/ui/rf-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, RfTimeline, ruler);
  gtk_widget_class_bind_template_child (widget_class, RfTimeline, lanes);
  gtk_widget_class_bind_template_child (widget_class, RfTimeline, lanes_scroller);
  gtk_widget_class_bind_template_child (widget_class, RfTimeline, axis_scrollbar);
  gtk_widget_class_bind_template_child (widget_class, RfTimeline, axis_adjustment);
  gtk_widget_class_bind_template_callback (widget_class, axis_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, motion_cb);
  gtk_widget_class_bind_template_callback (widget_class, leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, scroll_cb);
  gtk_widget_class_bind_template_callback (widget_class, drag_begin_cb);
  gtk_widget_class_bind_template_callback (widget_class, drag_update_cb);
  gtk_widget_class_bind_template_callback (widget_class, drag_end_cb);

  gtk_widget_class_set_css_name (widget_class, "rftimeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
rf_timeline_init (RfTimeline *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->player = rf_player_new ();
  rf_timeline_lanes_set_vadjustment (self->lanes,
                                     gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->lanes_scroller)));
  g_signal_connect_object (self->player, "notify::playing", G_CALLBACK (player_playing_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->player, "notify::speed", G_CALLBACK (player_speed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->player, "axis-changed", G_CALLBACK (axis_changed_cb), self, G_CONNECT_SWAPPED);
  self->scrub_lane = -1;

  self->session_signals = g_signal_group_new (RF_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::selected-frame",
                                 G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-added",
                                 G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-decoded",
                                 G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
  /* The lanes' convergence strips draw the measures as they come. */
  g_signal_group_connect_object (self->session_signals, "frame-analyzed",
                                 G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "event-added",
                                 G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "lane-added",
                                 G_CALLBACK (lane_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "finished",
                                 G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sequence timeline"),
                                  -1);
}

GtkWidget *
rf_timeline_new (void)
{
  return g_object_new (RF_TYPE_TIMELINE, NULL);
}

RfSession *
rf_timeline_get_session (RfTimeline *self)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), NULL);

  return self->session;
}

void
rf_timeline_set_session (RfTimeline *self,
                         RfSession  *session)
{
  g_return_if_fail (RF_IS_TIMELINE (self));
  g_return_if_fail (!session || RF_IS_SESSION (session));

  if (self->session == session)
    return;

  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  rf_player_set_session (self->player, session);
  rf_timeline_ruler_set_model (self->ruler, session, self->player);
  rf_timeline_lanes_set_model (self->lanes, session, self->player);
  self->scroll_pending = FALSE;
  self->n_lanes_sized = get_n_lanes (self);
  rf_timeline_lanes_set_n_rows (self->lanes, self->n_lanes_sized);

  rf_timeline_invalidate (self);
  sync_axis_scrollbar (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SESSION]);
}

/**
 * rf_timeline_get_player:
 *
 * Returns: (transfer none): the time axis, selection moves and playback
 *   clock the timeline shows
 */
RfPlayer *
rf_timeline_get_player (RfTimeline *self)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), NULL);

  return self->player;
}

gboolean
rf_timeline_get_playing (RfTimeline *self)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), FALSE);

  return rf_player_get_playing (self->player);
}

void
rf_timeline_set_playing (RfTimeline *self,
                         gboolean    playing)
{
  g_return_if_fail (RF_IS_TIMELINE (self));

  rf_player_set_playing (self->player, playing);
}

double
rf_timeline_get_speed (RfTimeline *self)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), 1.0);

  return rf_player_get_speed (self->player);
}

void
rf_timeline_set_speed (RfTimeline *self,
                       double      speed)
{
  g_return_if_fail (RF_IS_TIMELINE (self));

  rf_player_set_speed (self->player, speed);
}

gboolean
rf_timeline_get_lane_collapsed (RfTimeline *self,
                                guint       lane)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), FALSE);

  return rf_timeline_lanes_get_collapsed (self->lanes, lane);
}

void
rf_timeline_set_lane_collapsed (RfTimeline *self,
                                guint       lane,
                                gboolean    collapsed)
{
  g_return_if_fail (RF_IS_TIMELINE (self));

  if (lane >= get_n_lanes (self))
    return;

  rf_timeline_lanes_set_collapsed (self->lanes, lane, collapsed);
  self->scroll_pending = TRUE;
  if (self->pacer != NULL)
    rf_pacer_queue_update (self->pacer);
}

/**
 * rf_timeline_get_lanes_adjustment:
 *
 * Returns: (transfer none): the vertical scroll of the lanes under the
 *   pinned ruler
 */
GtkAdjustment *
rf_timeline_get_lanes_adjustment (RfTimeline *self)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), NULL);

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->lanes_scroller));
}

/**
 * rf_timeline_get_axis_adjustment:
 *
 * Returns: (transfer none): the visible part of the time axis, in ms of
 *   the run; its scrollbar shows while zoomed in
 */
GtkAdjustment *
rf_timeline_get_axis_adjustment (RfTimeline *self)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), NULL);

  return self->axis_adjustment;
}
