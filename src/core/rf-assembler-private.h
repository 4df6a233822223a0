/*
 * rf-assembler-private.h
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

#include "rf-assembler.h"
#include "rf-diagnostic.h"
#include "rf-event.h"

G_BEGIN_DECLS

/* What rf-assembler.c (the rules for each event) shares with
 * rf-assembler-finish.c (what the end of a stream says). Ingest thread. */

typedef struct
{
  RfLane     *lane;
  char       *item_id;
  gint64      output_index;
  guint       n_partials;
  gboolean    has_final;
  gboolean    failed;
  gboolean    unannounced;
  GHashTable *partial_indexes;
} LaneInfo;

struct _RfAssembler
{
  RfAssemblerSink  sink;
  gpointer         user_data;

  GPtrArray       *lanes;           /* LaneInfo */
  GHashTable      *by_item_id;      /* char* → LaneInfo */
  GHashTable      *by_output_index; /* gint64* → LaneInfo */
  GHashTable      *announced_items; /* item ids of output_item.added */
  GHashTable      *seen_seqs;       /* gint64 set, the last SEEN_WINDOW */
  gint64          *seen_ring;       /* the same, oldest at seen_head */
  guint            seen_head;
  guint            seen_len;
  GHashTable      *by_key;          /* char* lane key → LaneInfo (chat, Gemini) */

  /* What the stream turned out to be: the first format recognised, and
   * how its first event looked (for a stream in no known format). */
  RfStreamFormat   format;
  char            *first_event;
  char            *first_problem; /* why the first event could not be read */
  char            *finish_reason;
  guint            n_oversized;
  /* Of those, the ones whose start names a partial image (or that name
   * nothing): a partial may have been among them. */
  guint            n_oversized_partials;

  char            *response_id;
  gint64           max_seq;
  gint64           resume_after;
  int              requested_partials;
  guint            n_frames;
  guint            n_events;
  guint            n_after_end;
  guint            n_replays_dropped;
  guint            n_lanes_refused;  /* past RF_ASSEMBLER_MAX_LANES */

  guint            ended : 1;
  guint            failed : 1;
  guint            saw_images_api : 1;
  guint            resuming : 1;
  guint            saw_text : 1;
  /* Chat and Gemini streams end with a finish reason, and Gemini's with
   * nothing after it: a stream that sent one is complete. */
  guint            saw_finish : 1;
};

void  _rf_assembler_diagnose   (RfAssembler *self,
                                RfSeverity   severity,
                                const char  *code,
                                gint64       seq,
                                int          lane,
                                const char  *format,
                                ...) G_GNUC_PRINTF (6, 7);
/* Ends the run with @message as its failure. */
void  _rf_assembler_fail       (RfAssembler *self,
                                const char  *message);
/* "message (code)" of an error event, or @fallback.
 * Returns: (transfer full) */
char *_rf_assembler_error_text (RfEvent     *event,
                                const char  *fallback);

G_END_DECLS
