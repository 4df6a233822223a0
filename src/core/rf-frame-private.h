/*
 * rf-frame-private.h
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

#include "rf-decoder-private.h"
#include "rf-frame.h"

G_BEGIN_DECLS

RfFrame *_rf_frame_new          (guint                 index,
                                 guint                 lane_index,
                                 RfFrameKind           kind,
                                 gint64                partial_index,
                                 gint64                sequence_number,
                                 const char           *item_id,
                                 gint64                output_index,
                                 gint64                t_ms,
                                 guint                 event_position);
/* Ingest thread, before the frame is handed on. */
void     _rf_frame_set_image_param (RfFrame           *self,
                                    RfImageParam       param,
                                    const char        *value);
/* Main thread: takes the decode result's metadata (not its pixels). */
void     _rf_frame_apply_result (RfFrame              *self,
                                 const RfDecodeResult *result);
void     _rf_frame_set_arrival  (RfFrame              *self,
                                 gint64                first_byte_t_ms,
                                 gint64                event_end_usec);
void     _rf_frame_set_limits   (RfFrame              *self,
                                 const RfDecodeLimits *limits);
/* Main thread: the analyzer's measures. */
void     _rf_frame_set_diff_prev  (RfFrame            *self,
                                   double              mean,
                                   const double       *per_channel);
void     _rf_frame_set_ssim_final (RfFrame            *self,
                                   double              ssim);

G_END_DECLS
