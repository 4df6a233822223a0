/*
 * rf-ingest-private.h
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
#include "rf-ingest.h"
#include "rf-mailbox.h"

G_BEGIN_DECLS

/* What the ingest thread and the decode workers hand to the session, in
 * order, through a mailbox on the session's main context. */
typedef enum
{
  RF_INGEST_MSG_STATE,
  RF_INGEST_MSG_SSE,
  RF_INGEST_MSG_EVENT,
  RF_INGEST_MSG_LANE,
  RF_INGEST_MSG_FRAME,
  RF_INGEST_MSG_DIAGNOSTIC,
  RF_INGEST_MSG_DECODED,
  RF_INGEST_MSG_REVISED_PROMPT,
  RF_INGEST_MSG_REQUEST,
  RF_INGEST_MSG_RESPONSE_ID,
  RF_INGEST_MSG_FAILURE,
  RF_INGEST_MSG_EOF,
  RF_INGEST_MSG_ARRIVING,
} RfIngestMsgKind;

typedef struct
{
  RfMailboxLink    link;       /* first: posted through an RfMailbox */
  RfIngestMsgKind  kind;
  GObject         *object;     /* event, lane, frame, diagnostic; ARRIVING: the rows done */
  RfDecodeResult  *result;     /* DECODED */
  char            *text;       /* SSE data, prompt, request, id, failure */
  char            *text2;      /* SSE event type */
  char            *text3;      /* SSE id */
  GBytes          *sse_event;  /* SSE: the event type and data as bytes */
  GBytes          *sse_data;   /* with a length (they may hold U+0000) */
  int              number;     /* state, requested partials; ARRIVING: the image's height */
  gint64           index;      /* ARRIVING: the image's output_index, -1 unknown */
  guint64          bytes;      /* bytes received so far */
  GError          *error;      /* EOF: the source's error */
  gint64           t_ms;       /* EOF: a recording's last recorded time, or -1 */
} RfIngestMsg;

void rf_ingest_msg_free (RfIngestMsg *msg);

typedef void (*RfIngestApplyFunc) (gpointer     session,
                                   RfIngestMsg *msg);

typedef struct
{
  RfDecodeLimits limits;
  guint          n_workers;
  gboolean       emit_sse;
  gboolean       hash_images;
  gboolean       keep_pixbufs;
  gboolean       pass_pixbufs;
  gboolean       yield_cpu;
  gboolean       arriving;
  int            requested_partials;
  RfIngestTapFunc tap;
  gpointer       tap_data;
} RfIngestOptions;

/* Starts the ingest thread running @source. @apply is called on
 * @context's thread with each message; @session is held weakly. */
RfIngest *_rf_ingest_start        (GObject               *session,
                                   RfIngestApplyFunc      apply,
                                   RfSource              *source,
                                   const RfIngestOptions *options,
                                   GMainContext          *context);
void      _rf_ingest_cancel       (RfIngest              *self);
/* Main thread: a decode result was applied; frees a queue slot. */
void      _rf_ingest_release_decode (RfIngest            *self);
gint64    _rf_ingest_get_start_time (RfIngest            *self);
guint     _rf_ingest_get_n_workers  (RfIngest            *self);
/* Cancels, joins the thread and drops the reference. */
void      _rf_ingest_stop_and_unref (RfIngest            *self);

G_END_DECLS
