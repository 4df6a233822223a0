/*
 * rf-analyzer.h
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

#include "rf-mailbox.h"
#include "rf-types.h"

G_BEGIN_DECLS

/* Measures every frame of a run (rf-analysis.h) on a thread of its own,
 * after the frame was decoded, so that neither the decode workers (the
 * first pixel waits for them) nor the main thread spend time on it.
 *
 * The session pushes each frame once its decode result was applied, with
 * its position in its lane; frames of a lane are measured in lane order
 * whatever order their decodes finished in. Results come back on the
 * session's main context in the order they were made: a frame's own result
 * (counted = TRUE) comes once for each frame pushed, and when a lane's final
 * frame arrives, the ssim_final of the lane's earlier frames (counted =
 * FALSE) comes before the final's own result. */
typedef struct _RfAnalyzer RfAnalyzer;

typedef struct
{
  RfMailboxLink  link;
  RfFrame       *frame;
  gboolean       counted;
  gboolean       has_diff_prev;
  double         diff_prev;
  double         diff_prev_rgb[3];
  gboolean       has_ssim_final;
  double         ssim_final;
  gboolean       too_large;     /* decoded, but over RF_ANALYZER_MAX_PIXELS */
} RfAnalysisResult;

/* Main context's thread; the callback owns nothing (the result is freed
 * after it returns). */
typedef void (*RfAnalyzerResultFunc) (RfAnalysisResult *result,
                                      gpointer          user_data);

/* Pixels above this (per frame) are not measured: their measures stay null. */
#define RF_ANALYZER_MAX_PIXELS (40 * 1000 * 1000)

/* Returns: (transfer full) */
RfAnalyzer *rf_analyzer_new   (GMainContext         *context,
                               RfAnalyzerResultFunc  func,
                               gpointer              user_data,
                               gboolean              low_priority);
/* Main thread. @pixbuf is the decoded image when at hand (NULL: decoded
 * again from the frame's bytes when needed); @decoded FALSE for a frame
 * that did not decode. */
void        rf_analyzer_push  (RfAnalyzer           *self,
                               RfFrame              *frame,
                               guint                 lane_position,
                               gboolean              decoded,
                               GdkPixbuf            *pixbuf);
/* Stops (waiting for the frame being measured) and frees; results not
 * delivered yet are dropped. */
void        rf_analyzer_free  (RfAnalyzer           *self);

G_END_DECLS
