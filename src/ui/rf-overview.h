/*
 * rf-overview.h
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

#include "rf-types.h"

G_BEGIN_DECLS

#define RF_TYPE_OVERVIEW (rf_overview_get_type())

G_DECLARE_FINAL_TYPE (RfOverview, rf_overview, RF, OVERVIEW, GtkWidget)

/* Every image of a run at a glance: a grid of tiles, each its image's
 * newest frame (the decode workers' thumbnail) with its name and frame
 * count, kept up as frames arrive. Choosing a tile emits
 * ::lane-activated with the image's index. Main thread only. */
GtkWidget    *rf_overview_new                (void);
/* @session: (nullable) */
void          rf_overview_set_session        (RfOverview *self,
                                              RfSession  *session);
guint         rf_overview_get_n_tiles        (RfOverview *self);
/* The tile of @lane (a button), or NULL. (transfer none) */
GtkWidget    *rf_overview_get_tile           (RfOverview *self,
                                              guint       lane);
/* What the tile of @lane shows, or NULL. (transfer none) */
GdkPaintable *rf_overview_get_tile_paintable (RfOverview *self,
                                              guint       lane);

G_END_DECLS
