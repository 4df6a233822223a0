/*
 * rf-timeline-ruler.h
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

/* The timeline's top part: the time scale, the playhead's time and the
 * events row. Draws only; RfTimeline hands it its session, player and
 * pointer. Main thread only. */

#define RF_TYPE_TIMELINE_RULER (rf_timeline_ruler_get_type())

G_DECLARE_FINAL_TYPE (RfTimelineRuler, rf_timeline_ruler, RF, TIMELINE_RULER, GtkWidget)

void           rf_timeline_ruler_set_model     (RfTimelineRuler   *self,
                                                RfSession         *session,
                                                RfPlayer          *player);
/* @hover_x < 0: no pointer. */
void           rf_timeline_ruler_set_hover     (RfTimelineRuler   *self,
                                                double             hover_x);
/* The static layer is made anew on the next draw. */
void           rf_timeline_ruler_invalidate    (RfTimelineRuler   *self);

G_END_DECLS
