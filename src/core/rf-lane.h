/*
 * rf-lane.h
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

#include <gio/gio.h>

#include "rf-types.h"

G_BEGIN_DECLS

/* Threads: main thread only, as the session that holds it. */

#define RF_TYPE_LANE (rf_lane_get_type())

G_DECLARE_FINAL_TYPE (RfLane, rf_lane, RF, LANE, GObject)

guint        rf_lane_get_index         (RfLane *self);
/* The image generation call's item id, or NULL (Images API).
 * Returns: (transfer none) (nullable) */
const char  *rf_lane_get_item_id       (RfLane *self);
gint64       rf_lane_get_output_index  (RfLane *self);
/* Frames of this lane, in arrival order (GListModel of RfFrame).
 * Returns: (transfer none) */
GListModel  *rf_lane_get_frames        (RfLane *self);
guint        rf_lane_get_n_partials    (RfLane *self);
/* Returns: (transfer none) (nullable) */
RfFrame     *rf_lane_get_final         (RfLane *self);
/* Returns: (transfer none) (nullable) */
const char  *rf_lane_get_revised_prompt (RfLane *self);
/* Returns: (transfer full) */
char        *rf_lane_dup_title         (RfLane *self);

G_END_DECLS
