/*
 * rf-tap-source.h
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

#include "rf-recorder.h"
#include "rf-source.h"

G_BEGIN_DECLS

#define RF_TYPE_TAP_SOURCE (rf_tap_source_get_type())

G_DECLARE_FINAL_TYPE (RfTapSource, rf_tap_source, RF, TAP_SOURCE, RfSource)

/* The stream of one response that the tap passes through to its client,
 * fed by the tap's thread and read by a session's ingest thread.
 *
 * Feeding never blocks: the client's bytes must not wait for decoding.
 * What is queued for the ingest side is bounded (@max_pending bytes);
 * when the ingest side falls that far behind, the bytes that do not fit
 * are left out of the run (never out of the client's response nor the
 * journal) until the queue has drained, and the run restarts at the next
 * event boundary with a "tap-behind" diagnostic.
 * Returns: (transfer full) */
RfSource *rf_tap_source_new           (const char    *description,
                                       const char    *redacted_request_json,
                                       gsize          max_pending);
/* Renames the journal once the stream names its response id. */
void      rf_tap_source_set_recorder  (RfTapSource   *self,
                                       RfRecorder    *recorder);
/* Any thread, never blocks. */
void      rf_tap_source_push          (RfTapSource   *self,
                                       const guint8  *buf,
                                       gsize          len);
/* A diagnostic the run gets in order with the bytes. */
void      rf_tap_source_add_diagnostic (RfTapSource  *self,
                                       RfSeverity     severity,
                                       const char    *code,
                                       const char    *message);
/* The end of the response. With @error (HTTP status, unreachable
 * upstream) the run fails with it; the message must hold no key. */
void      rf_tap_source_end           (RfTapSource   *self,
                                       const GError  *error);
/* Bytes the ingest side never saw because it fell behind. */
guint64   rf_tap_source_get_n_dropped (RfTapSource   *self);

G_END_DECLS
