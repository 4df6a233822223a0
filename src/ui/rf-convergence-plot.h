/*
 * rf-convergence-plot.h
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

/* Threads: main thread only, as every widget. */

#define RF_TYPE_CONVERGENCE_PLOT (rf_convergence_plot_get_type())

G_DECLARE_FINAL_TYPE (RfConvergencePlot, rf_convergence_plot, RF, CONVERGENCE_PLOT, GtkWidget)

/* How a run converges, against time since its start: each lane's SSIM to
 * its final (solid line, 0 at the bottom, 1 at the top) and its change
 * from the previous frame (bars, scaled to the largest change shown). A
 * second run (RfConvergencePlot:compare-session) is drawn dashed on the
 * same axes. */
GtkWidget *rf_convergence_plot_new                 (void);
void       rf_convergence_plot_set_session         (RfConvergencePlot *self,
                                                    RfSession         *session);
void       rf_convergence_plot_set_compare_session (RfConvergencePlot *self,
                                                    RfSession         *session);
/* Draws only lane @lane_a of the session and lane @lane_b of the compare
 * session (G_MAXUINT: every lane of each), as when two chosen images are
 * compared. */
void       rf_convergence_plot_set_lanes           (RfConvergencePlot *self,
                                                    guint              lane_a,
                                                    guint              lane_b);
/* Number of measured points drawn (frames with a SSIM or a change). */
guint      rf_convergence_plot_get_n_points        (RfConvergencePlot *self);

G_END_DECLS
