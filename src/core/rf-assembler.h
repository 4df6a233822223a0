/*
 * rf-assembler.h
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

#include "rf-event.h"
#include "rf-types.h"

G_BEGIN_DECLS

/* The model's rules, applied to protocol events in arrival order on the
 * ingest thread: which events make lanes and frames, which final image
 * counts, and what deserves a diagnostic. Pure logic, no threads. */

/* Most lanes (images) one run keeps: a request asks for a few (the APIs
 * allow 10) and a batch or a benchmark a thousand, which the window draws
 * at the cost of the lanes in view; but a stream that names millions of
 * output indexes or item ids must not make a lane, a timeline row and its
 * tables for each. Past it the images of new lanes are dropped, their
 * events still counted and logged, and one "too-many-lanes" diagnostic
 * says so. */
#define RF_ASSEMBLER_MAX_LANES 1024

typedef struct
{
  void (*lane_added)      (RfLane       *lane,
                           gpointer      user_data);
  /* @b64 is the frame's base64 payload, to decode. */
  void (*frame_added)     (RfFrame      *frame,
                           GBytes       *b64,
                           gpointer      user_data);
  void (*diagnostic)      (RfDiagnostic *diagnostic,
                           gpointer      user_data);
  void (*revised_prompt)  (RfLane       *lane,
                           const char   *revised_prompt,
                           gpointer      user_data);
  void (*response_id)     (const char   *response_id,
                           gpointer      user_data);
  /* The stream reported a failure (error event, response.failed, …). */
  void (*failure)         (const char   *message,
                           gpointer      user_data);
} RfAssemblerSink;

/* Returns: (transfer full) */
RfAssembler *rf_assembler_new                   (const RfAssemblerSink *sink,
                                                 gpointer               user_data);
void         rf_assembler_free                  (RfAssembler           *self);
void         rf_assembler_set_requested_partials (RfAssembler          *self,
                                                 int                    n);
int          rf_assembler_get_requested_partials (RfAssembler          *self);
/* After a reconnection: events up to the last sequence number seen are
 * replays and are dropped. */
void         rf_assembler_begin_resume          (RfAssembler           *self);
/* FALSE when the event is a replayed duplicate to drop entirely. */
gboolean     rf_assembler_push                  (RfAssembler           *self,
                                                 RfEvent               *event);
/* End of input. @discarded_bytes: the parser dropped an unterminated event. */
void         rf_assembler_finish                (RfAssembler           *self,
                                                 gboolean               discarded_event);
gboolean     rf_assembler_get_ended             (RfAssembler           *self);
gboolean     rf_assembler_get_failed            (RfAssembler           *self);
gint64       rf_assembler_get_last_sequence_number (RfAssembler        *self);
/* Returns: (transfer none) (nullable) */
const char  *rf_assembler_get_response_id       (RfAssembler           *self);
guint        rf_assembler_get_n_frames          (RfAssembler           *self);
/* The wire format recognised from the events so far. */
RfStreamFormat rf_assembler_get_format          (RfAssembler           *self);
/* The parser skipped an event over the size limit; @type and
 * @sequence_number as read from its start (NULL / -1 when unknown). */
void         rf_assembler_note_oversized        (RfAssembler           *self,
                                                 const char            *type,
                                                 gint64                 sequence_number);

G_END_DECLS
