/*
 * rf-ingest-internal.h
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
#include "rf-ingest-private.h"
#include "rf-sse-parser.h"

G_BEGIN_DECLS

/* What the ingest's own files share (rf-ingest.c, rf-ingest-events.c):
 * its state and the steps each file takes for the other. No other file
 * includes this. Which thread may touch a field is said beside it. */

/* Messages posted and not yet applied: past this the ingest thread waits
 * for the session's thread before it reads on, so a stream that the UI
 * cannot keep up with (a flood of tiny events) waits in the socket or the
 * file, not in memory. About 1 KiB a message. */
#define MAX_IN_FLIGHT 4096

typedef struct
{
  RfFrame        *frame;
  GBytes         *b64;
  /* Its decode began while the event arrived. */
  RfDecodeStream *stream;
} PendingDecode;

/* Where the event arriving stands with its image value (live runs). */
typedef enum
{
  VALUE_NONE,        /* not looked for, or none is coming */
  VALUE_LOOKING,     /* the first data line grows: look for the key */
  VALUE_FEEDING,     /* the value grows: its text goes to the worker */
  VALUE_ENDED,       /* its closing quote came, or the worker gave up */
} ValueState;

struct _RfIngest
{
  gatomicrefcount    ref_count;

  GWeakRef           session;
  RfIngestApplyFunc  apply;
  GMainContext      *context;
  RfSource          *source;
  GCancellable      *cancellable;
  GThread           *thread;
  RfIngestOptions    options;

  /* Ingest thread only. */
  RfSseParser       *parser;
  RfAssembler       *assembler;
  RfDecoder         *decoder;
  GPtrArray         *collected;      /* RfIngestMsg, during one event */
  GArray            *to_decode;      /* PendingDecode, during one event */
  gint64             chunk_t_ms;
  gint64             recorded_t_ms;
  /* The current event's first byte, on the run's clock. */
  gint64             event_first_t_ms;
  /* When the event being handed out ended (monotonic µs): a frame's
   * decode is timed from it. */
  gint64             event_end_usec;
  /* A live run decodes a frame while its event arrives, so that only
   * its last rows are left when it ends. Replays and the demo deliver
   * each event's line at once: nothing to gain there. */
  gboolean           paced;
  RfDecodeStream    *stream;
  ValueState         value_state;
  gsize              value_start;    /* in the line, "data:" included */
  gsize              value_fed;
  gsize              line_prefix;    /* "data:" or "data: " */
  /* The data of the event being handed out (sse_event_cb), to find the
   * value read early in it. */
  const char        *event_data;
  double             speed;
  guint              n_events;
  guint64            bytes;
  RfIngestTapFunc    tap;
  gpointer           tap_data;
  gboolean           streaming;
  /* A live run ends at an event over the limit; once it has, nothing
   * more is read, parsed or journalled. */
  gboolean           live;
  gboolean           stopped;
  /* A replayed journal's recorded outcome (RfRecorder): why the live
   * run ended, when its bytes cannot tell. */
  char              *outcome_code;
  char              *outcome_message;

  gint64             start_time;     /* monotonic µs */

  /* Messages to the session's thread: taken there without a lock the
   * workers hold, so a worker preempted while posting (they run behind
   * the UI thread) never holds up the UI. */
  RfMailbox         *mailbox;
  gint               in_flight;      /* atomic */
  gint               arriving_in_flight; /* atomic: ARRIVING messages not applied yet */

  GMutex             mutex;
  GCond              cond;
  gboolean           cancelled;
};

/* rf-ingest.c. Any thread: a message to the session's thread, posted at
 * once (post) or, during an event, after the event itself (emit). */
RfIngestMsg *_rf_ingest_msg_new           (RfIngestMsgKind  kind,
                                           gpointer         object);
void         _rf_ingest_post              (RfIngest        *self,
                                           RfIngestMsg     *msg);
void         _rf_ingest_emit              (RfIngest        *self,
                                           RfIngestMsg     *msg);
gboolean     _rf_ingest_is_cancelled      (RfIngest        *self);
/* Ingest thread: sleeps until @target_usec (monotonic) or a cancel. */
void         _rf_ingest_wait_until        (RfIngest        *self,
                                           gint64           target_usec);

/* rf-ingest-events.c, the ingest thread. */
RfSseParser *_rf_ingest_new_parser        (RfIngest        *self);
/* The value being decoded early, if any, made no frame. */
void         _rf_ingest_stream_drop       (RfIngest        *self);
/* @sse_event_bytes: the event type whole, when it may hold U+0000 (from
 * the parser), else NULL. */
void         _rf_ingest_dispatch_event    (RfIngest        *self,
                                           const char      *sse_event,
                                           GBytes          *sse_event_bytes,
                                           GBytes          *data,
                                           const char      *sse_id,
                                           gint64           first_t_ms,
                                           gint64           t_ms);
/* Waits until a recording's time @t_ms at the replay speed. */
void         _rf_ingest_wait_for_recorded (RfIngest        *self,
                                           gint64           t_ms);

G_END_DECLS
