/*
 * rf-compare.h
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

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

#include "rf-types.h"

G_BEGIN_DECLS

/* Two runs (or two lanes) frame by frame: which frame of one goes with
 * which of the other, and how far apart the two are. */
typedef enum
{
  /* Partial k with partial k, final with final. */
  RF_COMPARE_ALIGN_INDEX,
  /* Each frame of A with the frame of B on screen at the same time since
   * the start of its run: B's latest frame that arrived no later. */
  RF_COMPARE_ALIGN_TIME,
} RfCompareAlign;

typedef struct
{
  guint     lane;          /* lane number in A */
  guint     lane_b;        /* lane number in B: the same as lane unless two
                            * chosen lanes are compared */
  RfFrame  *a;             /* NULL: only B has this frame */
  RfFrame  *b;             /* NULL: only A has it (or nothing of B yet) */
  gboolean  measured;      /* both decoded and measured */
  double    diff;          /* mean absolute RGB difference, 0–255 */
  double    ssim;          /* SSIM of the luma; NAN for frames too small */
} RfComparePair;

gboolean      rf_compare_align_from_string (const char     *text,
                                            RfCompareAlign *align);
/* Returns: (transfer none) */
const char   *rf_compare_align_to_string   (RfCompareAlign  align);

/* Pairs of frames of two lanes, in A's order (B's unmatched frames after,
 * aligned by index). Array of RfComparePair, not measured yet.
 * Returns: (transfer full) (element-type RfComparePair) */
GPtrArray    *rf_compare_pair_lanes        (RfLane         *a,
                                            guint           lane_a,
                                            RfLane         *b,
                                            guint           lane_b,
                                            RfCompareAlign  align);
/* The same for every lane number of two runs.
 * Returns: (transfer full) (element-type RfComparePair) */
GPtrArray    *rf_compare_pair_sessions     (RfSession      *a,
                                            RfSession      *b,
                                            RfCompareAlign  align);
/* One chosen lane of A against one chosen lane of B; A and B may be the
 * same run, to see how two images of one request refine. A lane a run
 * does not have pairs as empty. */
GPtrArray    *rf_compare_pair_chosen_lanes (RfSession      *a,
                                            guint           lane_a,
                                            RfSession      *b,
                                            guint           lane_b,
                                            RfCompareAlign  align);
/* Decodes both frames and measures them as diff_prev and ssim_final are
 * measured (rf-analysis.h), B resampled to A's size; any thread. */
void          rf_compare_measure           (RfComparePair  *pair);
/* The report: both runs' summaries and frames, and the pairs. */
void          rf_compare_add_json          (JsonBuilder    *builder,
                                            RfSession      *a,
                                            RfSession      *b,
                                            RfCompareAlign  align,
                                            GPtrArray      *pairs);

/* The same report as text, as `refinery-inspect --compare --json` prints it.
 * Returns: (transfer full) */
char         *rf_compare_dup_json          (RfSession      *a,
                                            RfSession      *b,
                                            RfCompareAlign  align,
                                            GPtrArray      *pairs);
/* Where two frames differ: each pixel the mean absolute difference of
 * its R, G and B (composited over black), amplified 4× and clamped, in
 * grey; B resampled bilinearly to A's size. Any thread.
 * Returns: (transfer full) */
GdkPixbuf    *rf_compare_difference_pixbuf (GdkPixbuf      *a,
                                            GdkPixbuf      *b);
/* A grid of the pairs for export: a row per pair, its A, B and their
 * difference, each fitted in @cell × @cell pixels (an empty cell where a
 * side has no frame). Decodes the frames: any thread but the UI's.
 * Returns: (transfer full) (nullable): NULL with @error set */
GdkPixbuf    *rf_compare_render_grid       (GPtrArray      *pairs,
                                            int             cell,
                                            GCancellable   *cancellable,
                                            GError        **error);

/* Where a frame changed from the one before, per @block × @block pixel
 * region: the mean absolute difference of R, G and B (0–255, both over
 * black, @before resampled to @after's size), row by row; @n_cols and
 * @n_rows get the grid's size. Any thread.
 * Returns: (transfer full) */
double       *rf_compare_change_blocks     (GdkPixbuf      *before,
                                            GdkPixbuf      *after,
                                            int             block,
                                            int            *n_cols,
                                            int            *n_rows);
/* The same as an image of @after's size: where a region changed, the
 * colour of its change (rf_compare_heat_colour() of the mean rounded);
 * where nothing changed, @after in dim grey. Any thread.
 * Returns: (transfer full) */
GdkPixbuf    *rf_compare_change_heat_map   (GdkPixbuf      *before,
                                            GdkPixbuf      *after,
                                            int             block);

/* The colour of difference @d (0–255; the canvas multiplies it by its
 * gain first) in a heat map: black where equal, then violet, red and
 * orange to pale yellow. The canvas's difference mode, its compare bar's
 * scale and the export of where a frame changed all draw with it. @rgb
 * gets 3 bytes. Any thread. */
void          rf_compare_heat_colour       (guint           d,
                                            guint8         *rgb);

G_END_DECLS
