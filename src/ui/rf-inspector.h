/*
 * rf-inspector.h
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

#include <adwaita.h>

#include "rf-convergence-plot.h"
#include "rf-session.h"

G_BEGIN_DECLS

/* Threads: main thread only, as every widget. */

#define RF_TYPE_INSPECTOR (rf_inspector_get_type())

G_DECLARE_FINAL_TYPE (RfInspector, rf_inspector, RF, INSPECTOR, GtkWidget)

GtkWidget *rf_inspector_new          (void);
void       rf_inspector_set_session  (RfInspector *self,
                                      RfSession   *session);
/* The value shown in the row named @key ("lane", "kind", "sha256"…, and
 * "error" for the error card, "request" for the request), for tests;
 * NULL when there is no such row or it is hidden. */
const char *rf_inspector_get_value   (RfInspector *self,
                                      const char  *key);

/* The plot of the run's convergence the inspector shows. */
RfConvergencePlot *rf_inspector_get_convergence_plot (RfInspector *self);

G_END_DECLS
