/*
 * rf-player.c
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

#define G_LOG_DOMAIN "rf-player"

#include "config.h"

#include <math.h>

#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-player.h"
#include "rf-session.h"

#define MIN_MS_PER_PX  0.01
#define MIN_SPAN_MS    1000.0
/* Replays of runs recorded without timing step at this pace. */
#define UNTIMED_STEP_MS 600.0

struct _RfPlayer
{
  GObject        parent_instance;

  RfSession     *session;
  GSignalGroup  *session_signals;

  /* Time axis: @fit follows the run's duration; otherwise the user zoomed
   * to @ms_per_px and scrolled to @offset_ms. */
  double         width_px;
  double         ms_per_px;
  double         offset_ms;

  double         speed;
  double         play_time_ms;
  gint64         play_last_us;
  GPtrArray     *play_frames;   /* the lane being replayed, NULL when stopped */
  GArray        *play_times;

  guint          fit : 1;
};

G_DEFINE_FINAL_TYPE (RfPlayer, rf_player, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PLAYING,
  PROP_SPEED,
  N_PROPS
};

enum {
  AXIS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* Model helpers */

static GListModel *
get_lane_frames (RfPlayer *self,
                 guint     lane_index)
{
  RfLane *lane;

  if (self->session == NULL)
    return NULL;
  if (!(lane = rf_session_get_lane (self->session, lane_index)))
    return NULL;

  return rf_lane_get_frames (lane);
}

static guint
get_n_lanes (RfPlayer *self)
{
  if (self->session == NULL)
    return 0;

  return g_list_model_get_n_items (rf_session_get_lanes (self->session));
}

static RfFrame *
get_selected (RfPlayer *self)
{
  return self->session ? rf_session_get_selected_frame (self->session) : NULL;
}

static guint
frame_position (GListModel *frames,
                RfFrame    *frame)
{
  guint n = g_list_model_get_n_items (frames);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfFrame) item = g_list_model_get_item (frames, i);

      if (item == frame)
        return i;
    }

  return G_MAXUINT;
}

/* Axis */

static double
get_fit_ms_per_px (RfPlayer *self)
{
  return rf_player_get_span_ms (self) / MAX (1.0, self->width_px);
}

static void
clamp_axis (RfPlayer *self)
{
  double fit = get_fit_ms_per_px (self);
  double visible;

  if (self->fit || self->ms_per_px >= fit)
    {
      self->fit = TRUE;
      self->ms_per_px = fit;
      self->offset_ms = 0;
      return;
    }

  self->ms_per_px = MAX (self->ms_per_px, MIN_MS_PER_PX);
  visible = self->ms_per_px * MAX (1.0, self->width_px);
  self->offset_ms = CLAMP (self->offset_ms, 0, MAX (0, rf_player_get_span_ms (self) - visible));
}

static void
axis_changed (RfPlayer *self)
{
  clamp_axis (self);
  g_signal_emit (self, signals [AXIS_CHANGED], 0);
}

/* Playback */

static void
stop (RfPlayer *self)
{
  if (self->play_frames == NULL)
    return;

  g_clear_pointer (&self->play_frames, g_ptr_array_unref);
  g_clear_pointer (&self->play_times, g_array_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PLAYING]);
}

static void
play (RfPlayer *self)
{
  RfFrame *selected = get_selected (self);
  GListModel *frames;
  guint lane = selected ? rf_frame_get_lane_index (selected) : 0;
  guint n, start;
  double t0, t_last;
  gboolean untimed;
  g_autoptr(GPtrArray) play_frames = NULL;
  g_autoptr(GArray) play_times = NULL;

  if (self->play_frames != NULL || !(frames = get_lane_frames (self, lane)))
    return;
  if ((n = g_list_model_get_n_items (frames)) < 2)
    return;

  start = selected ? frame_position (frames, selected) : 0;
  if (start == G_MAXUINT || start >= n - 1)
    start = 0;

  play_frames = g_ptr_array_new_with_free_func (g_object_unref);
  play_times = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (play_frames, g_list_model_get_item (frames, i));

  t0 = rf_frame_get_t_ms (g_ptr_array_index (play_frames, 0));
  t_last = rf_frame_get_t_ms (g_ptr_array_index (play_frames, n - 1));
  untimed = t_last - t0 < 50;

  for (guint i = 0; i < n; i++)
    {
      double t = untimed ? t0 + i * UNTIMED_STEP_MS
                         : rf_frame_get_t_ms (g_ptr_array_index (play_frames, i));
      g_array_append_val (play_times, t);
    }

  /* Selected before playing starts, so a zoomed-in axis brings the start
   * into view as for any selection. */
  rf_session_set_follow (self->session, FALSE);
  rf_session_set_selected_frame (self->session, g_ptr_array_index (play_frames, start));
  self->play_frames = g_steal_pointer (&play_frames);
  self->play_times = g_steal_pointer (&play_times);
  self->play_time_ms = g_array_index (self->play_times, double, start);
  self->play_last_us = 0;

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PLAYING]);
}

/* Session signals */

/* A selection made outside playback stays in view when zoomed in. */
static void
selection_changed_cb (RfPlayer *self)
{
  RfFrame *selected = get_selected (self);
  double x;

  if (selected == NULL || self->fit || self->play_frames != NULL)
    return;

  x = rf_player_x_for_time (self, rf_frame_get_t_ms (selected));
  if (x < 0 || x > MAX (1.0, self->width_px))
    {
      self->offset_ms = rf_frame_get_t_ms (selected) - MAX (1.0, self->width_px) * self->ms_per_px / 2;
      axis_changed (self);
    }
}

/* GObject */

static void
rf_player_dispose (GObject *object)
{
  RfPlayer *self = RF_PLAYER (object);

  g_clear_pointer (&self->play_frames, g_ptr_array_unref);
  g_clear_pointer (&self->play_times, g_array_unref);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session);
  g_clear_object (&self->session_signals);

  G_OBJECT_CLASS (rf_player_parent_class)->dispose (object);
}

static void
rf_player_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RfPlayer *self = RF_PLAYER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_PLAYING:
      g_value_set_boolean (value, rf_player_get_playing (self));
      break;

    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_player_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RfPlayer *self = RF_PLAYER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      rf_player_set_session (self, g_value_get_object (value));
      break;

    case PROP_PLAYING:
      rf_player_set_playing (self, g_value_get_boolean (value));
      break;

    case PROP_SPEED:
      rf_player_set_speed (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_player_class_init (RfPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rf_player_dispose;
  object_class->get_property = rf_player_get_property;
  object_class->set_property = rf_player_set_property;

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

  /* The visible span or its scale changed. */
  signals [AXIS_CHANGED] =
    g_signal_new ("axis-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
rf_player_init (RfPlayer *self)
{
  self->fit = TRUE;
  self->ms_per_px = 1;
  self->width_px = 1;
  self->speed = 1.0;

  self->session_signals = g_signal_group_new (RF_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::selected-frame",
                                 G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
}

/* Public API */

RfPlayer *
rf_player_new (void)
{
  return g_object_new (RF_TYPE_PLAYER, NULL);
}

RfSession *
rf_player_get_session (RfPlayer *self)
{
  g_return_val_if_fail (RF_IS_PLAYER (self), NULL);

  return self->session;
}

void
rf_player_set_session (RfPlayer  *self,
                       RfSession *session)
{
  g_return_if_fail (RF_IS_PLAYER (self));
  g_return_if_fail (!session || RF_IS_SESSION (session));

  if (self->session == session)
    return;

  stop (self);
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  self->fit = TRUE;
  self->offset_ms = 0;
  axis_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SESSION]);
}

gboolean
rf_player_get_playing (RfPlayer *self)
{
  g_return_val_if_fail (RF_IS_PLAYER (self), FALSE);

  return self->play_frames != NULL;
}

void
rf_player_set_playing (RfPlayer *self,
                       gboolean  playing)
{
  g_return_if_fail (RF_IS_PLAYER (self));

  if (playing)
    play (self);
  else
    stop (self);
}

double
rf_player_get_speed (RfPlayer *self)
{
  g_return_val_if_fail (RF_IS_PLAYER (self), 1.0);

  return self->speed;
}

void
rf_player_set_speed (RfPlayer *self,
                     double    speed)
{
  g_return_if_fail (RF_IS_PLAYER (self));

  speed = CLAMP (speed, RF_PLAYER_MIN_SPEED, RF_PLAYER_MAX_SPEED);
  if (self->speed == speed)
    return;

  self->speed = speed;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SPEED]);
}

gboolean
rf_player_tick (RfPlayer *self,
                gint64    now_us)
{
  RfFrame *current = NULL;
  guint n;

  g_return_val_if_fail (RF_IS_PLAYER (self), FALSE);

  if (self->play_frames == NULL)
    return FALSE;

  if (self->play_last_us != 0)
    self->play_time_ms += (now_us - self->play_last_us) / 1000.0 * self->speed;
  self->play_last_us = now_us;

  n = self->play_frames->len;
  for (guint i = 0; i < n; i++)
    if (g_array_index (self->play_times, double, i) <= self->play_time_ms)
      current = g_ptr_array_index (self->play_frames, i);

  if (current != NULL && current != get_selected (self))
    rf_session_set_selected_frame (self->session, current);

  if (self->play_time_ms >= g_array_index (self->play_times, double, n - 1))
    {
      stop (self);
      return FALSE;
    }

  return TRUE;
}

gboolean
rf_player_get_playhead_ms (RfPlayer *self,
                           double   *t_ms)
{
  RfFrame *selected;

  g_return_val_if_fail (RF_IS_PLAYER (self), FALSE);
  g_return_val_if_fail (t_ms != NULL, FALSE);

  selected = get_selected (self);
  if (self->play_frames != NULL)
    *t_ms = self->play_time_ms;
  else if (selected != NULL)
    *t_ms = rf_frame_get_t_ms (selected);
  else
    return FALSE;

  return TRUE;
}

void
rf_player_select_frame (RfPlayer *self,
                        RfFrame  *frame)
{
  g_return_if_fail (RF_IS_PLAYER (self));
  g_return_if_fail (!frame || RF_IS_FRAME (frame));

  if (self->session == NULL || frame == NULL)
    return;

  rf_session_set_follow (self->session, FALSE);
  rf_session_set_selected_frame (self->session, frame);
}

void
rf_player_step_frame (RfPlayer     *self,
                      RfPlayerStep  step)
{
  RfFrame *selected;
  GListModel *frames;
  guint lane, n, pos, target;
  g_autoptr(RfFrame) frame = NULL;

  g_return_if_fail (RF_IS_PLAYER (self));

  selected = get_selected (self);
  lane = selected ? rf_frame_get_lane_index (selected) : 0;
  if (!(frames = get_lane_frames (self, lane)) || !(n = g_list_model_get_n_items (frames)))
    return;

  stop (self);

  if (step == RF_PLAYER_STEP_LAST && !rf_session_get_finished (self->session))
    {
      rf_session_set_follow (self->session, TRUE);
      return;
    }

  pos = selected ? frame_position (frames, selected) : G_MAXUINT;

  switch (step)
    {
    case RF_PLAYER_STEP_FIRST: target = 0; break;
    case RF_PLAYER_STEP_LAST: target = n - 1; break;
    case RF_PLAYER_STEP_NEXT: target = pos == G_MAXUINT ? 0 : MIN (pos + 1, n - 1); break;
    case RF_PLAYER_STEP_PREVIOUS: target = pos == G_MAXUINT ? 0 : (pos > 0 ? pos - 1 : 0); break;
    default: g_return_if_reached ();
    }

  /* Going back is leaving the live edge, even to the frame shown (the
   * run's only frame so far): selecting it again changes nothing else. */
  if (step == RF_PLAYER_STEP_FIRST || step == RF_PLAYER_STEP_PREVIOUS)
    rf_session_set_follow (self->session, FALSE);

  frame = g_list_model_get_item (frames, target);
  rf_player_select_frame (self, frame);
}

void
rf_player_step_lane (RfPlayer *self,
                     int       delta)
{
  RfFrame *selected;
  guint n_lanes;
  int lane;

  g_return_if_fail (RF_IS_PLAYER (self));

  if ((n_lanes = get_n_lanes (self)) == 0)
    return;

  stop (self);

  selected = get_selected (self);
  lane = selected ? (int) rf_frame_get_lane_index (selected) + delta : 0;
  lane = CLAMP (lane, 0, (int) n_lanes - 1);

  /* The frame of the other lane closest in time. */
  rf_player_select_frame (self, rf_player_get_nearest_frame (self, lane,
                                                             selected ? rf_frame_get_t_ms (selected) : 0));
}

RfFrame *
rf_player_get_nearest_frame (RfPlayer *self,
                             guint     lane,
                             double    t_ms)
{
  GListModel *frames;
  RfFrame *best = NULL;
  double best_d = G_MAXDOUBLE;
  guint n;

  g_return_val_if_fail (RF_IS_PLAYER (self), NULL);

  if (!(frames = get_lane_frames (self, lane)))
    return NULL;

  n = g_list_model_get_n_items (frames);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
      double d = fabs (rf_frame_get_t_ms (frame) - t_ms);

      /* Ties go to the later frame: the newer of equal arrivals. The lane
       * keeps its frames, so the pointer outlives this reference. */
      if (d <= best_d)
        {
          best_d = d;
          best = frame;
        }
    }

  return best;
}

void
rf_player_set_axis_width (RfPlayer *self,
                          double    width_px)
{
  g_return_if_fail (RF_IS_PLAYER (self));

  width_px = MAX (1.0, width_px);
  if (self->width_px == width_px)
    return;

  self->width_px = width_px;
  axis_changed (self);
}

double
rf_player_get_span_ms (RfPlayer *self)
{
  double duration = 0;

  g_return_val_if_fail (RF_IS_PLAYER (self), MIN_SPAN_MS);

  if (self->session != NULL)
    {
      GListModel *frames = rf_session_get_frames (self->session);
      guint n = g_list_model_get_n_items (frames);

      duration = rf_session_get_duration_ms (self->session);
      if (n > 0)
        {
          g_autoptr(RfFrame) last = g_list_model_get_item (frames, n - 1);
          duration = MAX (duration, rf_frame_get_t_ms (last));
        }
    }

  return MAX (MIN_SPAN_MS, duration * 1.04);
}

gboolean
rf_player_get_axis_fit (RfPlayer *self)
{
  g_return_val_if_fail (RF_IS_PLAYER (self), TRUE);

  clamp_axis (self);
  return self->fit;
}

double
rf_player_get_ms_per_px (RfPlayer *self)
{
  g_return_val_if_fail (RF_IS_PLAYER (self), 1.0);

  clamp_axis (self);
  return self->ms_per_px;
}

double
rf_player_x_for_time (RfPlayer *self,
                      double    t_ms)
{
  g_return_val_if_fail (RF_IS_PLAYER (self), 0);

  clamp_axis (self);
  return (t_ms - self->offset_ms) / self->ms_per_px;
}

double
rf_player_time_at_x (RfPlayer *self,
                     double    x)
{
  g_return_val_if_fail (RF_IS_PLAYER (self), 0);

  clamp_axis (self);
  return self->offset_ms + x * self->ms_per_px;
}

void
rf_player_zoom_axis_at (RfPlayer *self,
                        double    factor,
                        double    x)
{
  double t, fit;

  g_return_if_fail (RF_IS_PLAYER (self));
  g_return_if_fail (factor > 0);

  t = rf_player_time_at_x (self, x);
  fit = get_fit_ms_per_px (self);
  self->ms_per_px = CLAMP (self->ms_per_px * factor, MIN_MS_PER_PX, fit);
  self->fit = self->ms_per_px >= fit;
  self->offset_ms = t - x * self->ms_per_px;
  axis_changed (self);
}

gboolean
rf_player_scroll_axis (RfPlayer *self,
                       double    dx_px)
{
  g_return_val_if_fail (RF_IS_PLAYER (self), FALSE);

  clamp_axis (self);
  if (self->fit)
    return FALSE;

  self->offset_ms += dx_px * self->ms_per_px;
  axis_changed (self);
  return TRUE;
}
