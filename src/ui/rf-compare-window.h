/*
 * rf-http-test-util.h
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

#include "rf-compare.h"
#include "rf-compare-view.h"

G_BEGIN_DECLS

#define RF_TYPE_COMPARE_WINDOW (rf_compare_window_get_type())

G_DECLARE_FINAL_TYPE (RfCompareWindow, rf_compare_window, RF, COMPARE_WINDOW, AdwWindow)

/* Two runs side by side: picked from the history (or given), read,
 * paired frame by frame (by partial index or by time) and measured off
 * the UI thread; a pair shown side by side, with a wipe or as their
 * difference; both convergence curves on one plot; both summaries in
 * one table; the comparison exported as a PNG grid and as the JSON
 * report of `refinery-inspect --compare --json`. */
RfCompareWindow *rf_compare_window_new          (void);
/* Reads and compares the two recordings. */
void             rf_compare_window_open         (RfCompareWindow  *self,
                                                 GFile            *a,
                                                 GFile            *b);
/* Offers the runs of the history in its two pickers, @a and @b chosen
 * (NULL: the newest two). */
void             rf_compare_window_pick         (RfCompareWindow  *self,
                                                 GFile            *a);
void             rf_compare_window_set_align    (RfCompareWindow  *self,
                                                 RfCompareAlign    align);
/* Compares image @lane_a of A with image @lane_b of B (0 is Image 1; A
 * and B may be one run). G_MAXUINT is "All Images": for both, every image
 * with the image of the same number; for one, the other's number. */
void             rf_compare_window_set_lanes    (RfCompareWindow  *self,
                                                 guint             lane_a,
                                                 guint             lane_b);
/* Both runs read and the pairs measured. */
gboolean         rf_compare_window_get_ready    (RfCompareWindow  *self);
/* (element-type RfComparePair): the measured pairs, or NULL. */
GPtrArray       *rf_compare_window_get_pairs    (RfCompareWindow  *self);
RfSession       *rf_compare_window_get_session  (RfCompareWindow  *self,
                                                 guint             which);
void             rf_compare_window_select_pair  (RfCompareWindow  *self,
                                                 guint             index);
RfCompareView   *rf_compare_window_get_view     (RfCompareWindow  *self);
/* The summary table as text: a line per row, "label|A|B". */
char            *rf_compare_window_dup_summary_text (RfCompareWindow *self);
/* Exports in a worker; the files are replaced as every export is. */
void             rf_compare_window_export_grid_async (RfCompareWindow     *self,
                                                 GFile               *file,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
void             rf_compare_window_export_json_async (RfCompareWindow     *self,
                                                 GFile               *file,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         rf_compare_window_export_finish (RfCompareWindow    *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
