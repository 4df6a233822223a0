/*
 * rf-timeline.h
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

#include "rf-player.h"
#include "rf-types.h"

G_BEGIN_DECLS

/* Threads: main thread only, as every widget. */

#define RF_TYPE_TIMELINE (rf_timeline_get_type())

G_DECLARE_FINAL_TYPE (RfTimeline, rf_timeline, RF, TIMELINE, GtkWidget)

/* The sequence timeline: a time ruler, a tick for every event, one row
 * per image with its frames at their arrival times, and a playhead at the
 * selected frame. Actions: timeline.next-frame, .previous-frame,
 * .first-frame, .last-frame, .next-lane, .previous-lane, .play,
 * .toggle-lane (folds the selected frame's lane), .zoom-in, .zoom-out.
 * The ruler and events row stay in view; the lanes scroll under them. */
GtkWidget *rf_timeline_new          (void);
RfPlayer  *rf_timeline_get_player   (RfTimeline *self);
RfSession *rf_timeline_get_session  (RfTimeline *self);
void       rf_timeline_set_session  (RfTimeline *self,
                                     RfSession  *session);
gboolean   rf_timeline_get_playing  (RfTimeline *self);
void       rf_timeline_set_playing  (RfTimeline *self,
                                     gboolean    playing);
/* The player's, for settings bindings. Replay speed, 0.25 to 8. */
double     rf_timeline_get_speed    (RfTimeline *self);
void       rf_timeline_set_speed    (RfTimeline *self,
                                     double      speed);
/* Time under the widget x coordinate @x, in ms since the run started. */
double     rf_timeline_time_at_x    (RfTimeline *self,
                                     double      x);
double     rf_timeline_x_for_time   (RfTimeline *self,
                                     double      t_ms);
/* A folded lane is one line of frame markers. */
gboolean   rf_timeline_get_lane_collapsed (RfTimeline *self,
                                           guint       lane);
void       rf_timeline_set_lane_collapsed (RfTimeline *self,
                                           guint       lane,
                                           gboolean    collapsed);
GtkAdjustment *rf_timeline_get_lanes_adjustment (RfTimeline *self);
GtkAdjustment *rf_timeline_get_axis_adjustment  (RfTimeline *self);

G_END_DECLS
