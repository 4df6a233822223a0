/*
 * rf-player.h
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

#include "rf-types.h"

G_BEGIN_DECLS

#define RF_TYPE_PLAYER (rf_player_get_type())

G_DECLARE_FINAL_TYPE (RfPlayer, rf_player, RF, PLAYER, GObject)

/* What the timeline shows and plays, beside the RfSession it reads: the
 * time axis (which span of the run is visible, at what scale), the
 * selection moves (frame by frame, lane by lane, the nearest frame to a
 * time) and the playback clock (play, pause, speed). It draws nothing and
 * owns no timer: the widget that shows it calls rf_player_tick() from its
 * frame clock while #RfPlayer:playing is TRUE, so it is tested without a
 * display.
 *
 * The axis is measured in pixels from the start of the drawing area:
 * rf_player_set_axis_width() gives its width. It fits the whole run until
 * zoomed in; ::axis-changed says it moved.
 *
 * Main thread only, like the session. */

typedef enum
{
  RF_PLAYER_STEP_FIRST    = -2,
  RF_PLAYER_STEP_PREVIOUS = -1,
  RF_PLAYER_STEP_NEXT     = 1,
  RF_PLAYER_STEP_LAST     = 2,
} RfPlayerStep;

/* Replay speed bounds. */
#define RF_PLAYER_MIN_SPEED 0.25
#define RF_PLAYER_MAX_SPEED 8.0

/* Returns: (transfer full) */
RfPlayer  *rf_player_new              (void);
/* Returns: (transfer none) (nullable) */
RfSession *rf_player_get_session      (RfPlayer     *self);
/* @session: (nullable). Stops playback and fits the axis. */
void       rf_player_set_session      (RfPlayer     *self,
                                       RfSession    *session);

/* Playback replays the selected frame's lane from the selection (from
 * its start when at its end) at the pace the frames arrived, times
 * #RfPlayer:speed; a recording made without timing steps evenly. */
gboolean   rf_player_get_playing      (RfPlayer     *self);
void       rf_player_set_playing      (RfPlayer     *self,
                                       gboolean      playing);
/* Clamped to RF_PLAYER_MIN_SPEED..RF_PLAYER_MAX_SPEED. */
double     rf_player_get_speed        (RfPlayer     *self);
void       rf_player_set_speed        (RfPlayer     *self,
                                       double        speed);
/* Advances the clock to @now_us (any monotonic microseconds; the first
 * tick after play only sets the origin) and selects the frame due. Returns
 * FALSE once playback has ended (then #RfPlayer:playing is FALSE). */
gboolean   rf_player_tick             (RfPlayer     *self,
                                       gint64        now_us);
/* Where the playhead is: the clock while playing, else the selected
 * frame's time. FALSE when there is neither. */
gboolean   rf_player_get_playhead_ms  (RfPlayer     *self,
                                       double       *t_ms);

/* Selection moves; each stops playback. A frame picked by hand stops the
 * session following the newest one; RF_PLAYER_STEP_LAST during a live run
 * follows it again instead. */
void       rf_player_step_frame       (RfPlayer     *self,
                                       RfPlayerStep  step);
void       rf_player_step_lane        (RfPlayer     *self,
                                       int           delta);
/* @frame: (nullable): does nothing when NULL. */
void       rf_player_select_frame     (RfPlayer     *self,
                                       RfFrame      *frame);
/* The frame of @lane nearest to @t_ms, the later of a tie.
 * Returns: (transfer none) (nullable) */
RfFrame   *rf_player_get_nearest_frame (RfPlayer    *self,
                                        guint        lane,
                                        double       t_ms);

/* The time axis. */
void       rf_player_set_axis_width   (RfPlayer     *self,
                                       double        width_px);
/* The run's length as drawn: its last event or frame, with room to
 * breathe, at least a second. */
double     rf_player_get_span_ms      (RfPlayer     *self);
gboolean   rf_player_get_axis_fit     (RfPlayer     *self);
double     rf_player_get_ms_per_px    (RfPlayer     *self);
double     rf_player_x_for_time       (RfPlayer     *self,
                                       double        t_ms);
double     rf_player_time_at_x        (RfPlayer     *self,
                                       double        x);
/* Scales the axis by @factor (< 1 zooms in) keeping the time under @x
 * where it is; out to the whole run at most. */
void       rf_player_zoom_axis_at     (RfPlayer     *self,
                                       double        factor,
                                       double        x);
/* Moves a zoomed-in axis by @dx_px; FALSE (nothing moved) when it fits
 * the whole run. */
gboolean   rf_player_scroll_axis      (RfPlayer     *self,
                                       double        dx_px);

G_END_DECLS
