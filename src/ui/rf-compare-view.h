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

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  RF_COMPARE_VIEW_SIDE_BY_SIDE,
  RF_COMPARE_VIEW_WIPE,
  RF_COMPARE_VIEW_DIFFERENCE,
} RfCompareViewMode;

#define RF_TYPE_COMPARE_VIEW (rf_compare_view_get_type())

G_DECLARE_FINAL_TYPE (RfCompareView, rf_compare_view, RF, COMPARE_VIEW, GtkWidget)

/* Two frames of two runs, fitted to the widget: side by side, A and B
 * split by a wipe that follows the pointer's drags, or where they differ
 * (a difference image made off the UI thread). */
GtkWidget         *rf_compare_view_new          (void);
/* Either may be NULL (that run has no such frame). */
void               rf_compare_view_set_images   (RfCompareView     *self,
                                                 GdkPixbuf         *a,
                                                 GdkPixbuf         *b,
                                                 GdkPixbuf         *difference);
void               rf_compare_view_set_mode     (RfCompareView     *self,
                                                 RfCompareViewMode  mode);
RfCompareViewMode  rf_compare_view_get_mode     (RfCompareView     *self);
/* 0 (all B) … 1 (all A). */
void               rf_compare_view_set_wipe     (RfCompareView     *self,
                                                 double             position);
double             rf_compare_view_get_wipe     (RfCompareView     *self);
/* Whether A, B and their difference are there to draw. */
void               rf_compare_view_get_shown    (RfCompareView     *self,
                                                 gboolean          *a,
                                                 gboolean          *b,
                                                 gboolean          *difference);

G_END_DECLS
