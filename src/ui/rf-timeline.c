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

/* RfTimeline: a thin widget that stacks the ruler over the lanes (in a
 * scrolled window of their own) with an axis scrollbar, holds the
 * RfPlayer and drives its playback clock from the frame clock, and
 * follows the session: new lanes size it, the selection scrolls its lane
 * into view. Main thread only. What it takes from the pointer and the
 * keys is in rf-timeline-input.c. */

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

double
_rf_timeline_area_width (RfTimeline *self)
{
  return MAX (1.0, gtk_widget_get_width (GTK_WIDGET (self)) - area_start (self) - AREA_PAD_END);
}

guint
_rf_timeline_get_n_lanes (RfTimeline *self)
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

RfFrame *
_rf_timeline_get_selected (RfTimeline *self)
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
  RfFrame *selected = _rf_timeline_get_selected (self);
  g_autofree char *markup = NULL;

  if (!keyboard_mode || selected == NULL)
    return FALSE;

  markup = rf_timeline_dup_frame_tooltip (self->session, selected);
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
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
  double visible = rf_player_time_at_x (self->player, _rf_timeline_area_width (self)) - offset;
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

/* Session signals */

static void
data_changed_cb (RfTimeline *self)
{
  rf_timeline_invalidate (self);
}

static void
size_lanes (RfTimeline *self)
{
  if (self->n_lanes_sized == _rf_timeline_get_n_lanes (self))
    return;

  self->n_lanes_sized = _rf_timeline_get_n_lanes (self);
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
  RfFrame *selected = _rf_timeline_get_selected (self);
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
  if (self->n_lanes_sized != _rf_timeline_get_n_lanes (self) || self->scroll_pending)
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

  g_type_ensure (RF_TYPE_TIMELINE_RULER);
  g_type_ensure (RF_TYPE_TIMELINE_LANES);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/refinery/Refinery/ui/rf-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, RfTimeline, ruler);
  gtk_widget_class_bind_template_child (widget_class, RfTimeline, lanes);
  gtk_widget_class_bind_template_child (widget_class, RfTimeline, lanes_scroller);
  gtk_widget_class_bind_template_child (widget_class, RfTimeline, axis_scrollbar);
  gtk_widget_class_bind_template_child (widget_class, RfTimeline, axis_adjustment);
  gtk_widget_class_bind_template_callback (widget_class, axis_value_changed_cb);
  /* The pointer's controllers in the template, the actions and keys. */
  _rf_timeline_class_init_input (widget_class);

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
  self->n_lanes_sized = _rf_timeline_get_n_lanes (self);
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

  if (lane >= _rf_timeline_get_n_lanes (self))
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
