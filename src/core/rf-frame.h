/*
 * rf-frame.h
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

#include "rf-types.h"

G_BEGIN_DECLS

#define RF_TYPE_FRAME (rf_frame_get_type())

G_DECLARE_FINAL_TYPE (RfFrame, rf_frame, RF, FRAME, GObject)

/* Threads: every getter may be called from any thread holding a
 * reference, because a frame is immutable once published, piece by
 * piece:
 * - its identity (index … event position) is fixed before the ingest
 *   thread hands the frame out;
 * - its decode result (status, sizes, bytes, error, thumbnail) is written
 *   once, on the main thread, and published by the decode status: until
 *   it leaves RF_DECODE_PENDING the result getters return their empty
 *   values (NULL, 0, -1), afterwards values that never change;
 * - its SHA-256 is computed once, by the first thread to ask;
 * - its measures (diff_prev, ssim_final) arrive later on the main thread
 *   and are read under a lock: a worker sees either none or a whole one.
 * A worker that needs a consistent whole run (export all) takes it from
 * a finished session (rf_session_get_finished()), as the app does. */

/* Identity: fixed when the frame is created on the ingest thread. */
guint           rf_frame_get_index              (RfFrame   *self);
guint           rf_frame_get_lane_index         (RfFrame   *self);
RfFrameKind     rf_frame_get_kind               (RfFrame   *self);
gint64          rf_frame_get_partial_index      (RfFrame   *self);
gint64          rf_frame_get_sequence_number    (RfFrame   *self);
/* Returns: (transfer none) (nullable) */
const char     *rf_frame_get_item_id            (RfFrame   *self);
/* What the frame's event said of its image (size, quality, output_format,
 * background), as sent; NULL when it said nothing.
 * Returns: (transfer none) (nullable) */
const char     *rf_frame_get_image_param        (RfFrame      *self,
                                                 RfImageParam  param);
gint64          rf_frame_get_output_index       (RfFrame   *self);
gint64          rf_frame_get_t_ms               (RfFrame   *self);
gint64          rf_frame_get_first_byte_t_ms    (RfFrame   *self);
gint64          rf_frame_get_decoded_t_ms       (RfFrame   *self);
/* Position in the event log of the event that carried the frame. */
guint           rf_frame_get_event_position     (RfFrame   *self);
/* "partial 1", "final": translated, for display.
 * Returns: (transfer full) */
char           *rf_frame_dup_label              (RfFrame   *self);

/* Decode result: valid once the session emitted RfSession::frame-decoded
 * for this frame (RF_DECODE_PENDING before). */
RfDecodeStatus  rf_frame_get_decode_status      (RfFrame   *self);
/* Returns: (transfer none) (nullable) */
const char     *rf_frame_get_decode_error       (RfFrame   *self);
/* The compressed image bytes (PNG/JPEG/WebP file), kept for every frame.
 * Returns: (transfer none) (nullable) */
GBytes         *rf_frame_get_encoded            (RfFrame   *self);
gsize           rf_frame_get_encoded_size       (RfFrame   *self);
RfImageFormat   rf_frame_get_format             (RfFrame   *self);
/* Returns: (transfer none) (nullable) */
const char     *rf_frame_get_sha256             (RfFrame   *self);
/* Size the image header declares, and the size actually decoded. */
int             rf_frame_get_declared_width     (RfFrame   *self);
int             rf_frame_get_declared_height    (RfFrame   *self);
int             rf_frame_get_width              (RfFrame   *self);
int             rf_frame_get_height             (RfFrame   *self);
gboolean        rf_frame_get_has_alpha          (RfFrame   *self);
double          rf_frame_get_decode_ms          (RfFrame   *self);
/* Small preview made by the decode worker (longest side 128 px). */
/* NULL in a session without a pixel cache (nothing shown, nothing scaled).
 * Returns: (transfer none) (nullable) */
GdkPixbuf      *rf_frame_get_thumbnail          (RfFrame   *self);

/* Decode the kept bytes again, on any thread (export, cache misses).
 * Limits as in RfDecodeLimits; NULL uses the defaults.
 * Returns: (transfer full) (nullable): NULL with @error set */
GdkPixbuf      *rf_frame_decode_pixbuf          (RfFrame   *self,
                                                 GError   **error);

/* Refinement measures (rf-analysis.h), in once RfSession::frame-analyzed
 * fired for the frame; FALSE while unknown (null in JSON). diff_prev:
 * mean absolute difference to the previous frame of the lane, 0–255,
 * and per R, G, B in @per_channel (nullable, 3 values). */
gboolean        rf_frame_get_diff_prev          (RfFrame   *self,
                                                 double    *mean,
                                                 double    *per_channel);
/* SSIM of the luma against the lane's final frame (1 for the final). */
gboolean        rf_frame_get_ssim_final         (RfFrame   *self,
                                                 double    *ssim);

G_END_DECLS
