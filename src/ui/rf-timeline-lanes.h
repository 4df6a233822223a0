/*
 * rf-timeline-lanes.h
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

/* The timeline's rows, one per image, with their frames. Draws only;
 * RfTimeline hands it its session, player, pointer and row count. Main
 * thread only. */

#define RF_TYPE_TIMELINE_LANES (rf_timeline_lanes_get_type())

G_DECLARE_FINAL_TYPE (RfTimelineLanes, rf_timeline_lanes, RF, TIMELINE_LANES, GtkWidget)

void           rf_timeline_lanes_set_model     (RfTimelineLanes   *self,
                                                RfSession         *session,
                                                RfPlayer          *player);
void           rf_timeline_lanes_set_hover     (RfTimelineLanes   *self,
                                                double             hover_x);
/* The rows it asks room for: the timeline sizes new lanes with the
 * window's updates. */
void           rf_timeline_lanes_set_n_rows    (RfTimelineLanes   *self,
                                                guint              n_rows);
void           rf_timeline_lanes_invalidate    (RfTimelineLanes   *self);
/* The vertical scroll the lanes are seen through: only the rows in its
 * page are drawn. */
void           rf_timeline_lanes_set_vadjustment (RfTimelineLanes *self,
                                                  GtkAdjustment   *vadjustment);

/* A folded lane is one line of frame markers, without thumbnails or its
 * convergence strip. */
gboolean       rf_timeline_lanes_get_collapsed (RfTimelineLanes   *self,
                                                guint              row);
void           rf_timeline_lanes_set_collapsed (RfTimelineLanes   *self,
                                                guint              row,
                                                gboolean           collapsed);
/* Rows in the lanes' own coordinates. */
double         rf_timeline_lanes_get_row_y     (RfTimelineLanes   *self,
                                                guint              row);
double         rf_timeline_lanes_get_row_height (RfTimelineLanes  *self,
                                                 guint             row);
/* The row at @y, or -1 when there is none. */
int            rf_timeline_lanes_row_at_y      (RfTimelineLanes   *self,
                                                double             y);

G_END_DECLS
