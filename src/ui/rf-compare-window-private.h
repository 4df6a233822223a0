/*
 * rf-compare-window-private.h
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

#include "rf-compare-view.h"
#include "rf-compare-window.h"
#include "rf-convergence-plot.h"
#include "rf-session.h"

G_BEGIN_DECLS

/* What the compare window's two files share: rf-compare-window.c (the
 * window) and rf-compare-window-export.c (its exports). Main thread. */

struct _RfCompareWindow
{
  AdwWindow          parent_instance;

  GFile             *files[2];
  RfSession         *sessions[2];
  GPtrArray         *pairs;
  RfCompareAlign     align;
  gboolean           ready;
  GCancellable      *cancellable;      /* reading and measuring */
  GCancellable      *show_cancellable; /* the pair shown */
  GPtrArray         *history;          /* journal paths, newest first */
  GFile             *wanted_a;
  gboolean           filling;
  /* The image chosen in each picker, G_MAXUINT for "All Images". Both
   * all: every image with the image of the same number; one chosen and
   * the other all: that image in both runs; two chosen: those two (they
   * may be two images of one run). */
  guint              lanes[2];

  GtkDropDown       *a_drop;
  GtkDropDown       *b_drop;
  GtkDropDown       *a_lane_drop;
  GtkDropDown       *b_lane_drop;
  GtkDropDown       *align_drop;
  GtkToggleButton   *side_button;
  GtkToggleButton   *wipe_button;
  GtkToggleButton   *difference_button;
  GtkMenuButton     *export_button;
  GtkStack          *stack;
  AdwStatusPage     *status_page;
  GtkListBox        *pairs_list;
  RfCompareView     *view;
  RfConvergencePlot *plot;
  GtkGrid           *summary_grid;
};

/* compare.export-grid and compare.export-json: asks for a file, exports. */
void _rf_compare_window_export_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *param);

G_END_DECLS
