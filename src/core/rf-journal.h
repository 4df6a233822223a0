/*
 * rf-journal.h
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
#include <gio/gio.h>

G_BEGIN_DECLS

/* A journal is the record of one run: the stream's bytes exactly as
 * received, an event stream still, with `: t=<ms>` comment lines that
 * carry its timing (RfRecorder writes them, RfIngest replays them), in a
 * file named *.sse. Next to it, its request sidecar: what was asked for,
 * without the key.
 *
 * These functions block on the file system: call them from a worker
 * thread (or a test); none touches shared state. */

#define RF_JOURNAL_SUFFIX ".sse"

/* How a live run ended when its bytes cannot tell (it never connected,
 * got an HTTP error, was cancelled) is kept in the journal as a comment
 * line `: outcome=<code> <message>`, at most RF_JOURNAL_OUTCOME_MAX
 * bytes, after the stream's bytes. */
#define RF_JOURNAL_OUTCOME_PREFIX "outcome="
#define RF_JOURNAL_OUTCOME_MAX    4096

typedef enum
{
  RF_JOURNAL_OUTCOME_FINISHED,
  RF_JOURNAL_OUTCOME_FAILED,
  RF_JOURNAL_OUTCOME_CANCELLED,
} RfJournalOutcome;

/* What the history list shows of one journal, read cheaply: only the
 * last frame is decoded, and only to its thumbnail. */
typedef struct
{
  char      *path;
  GDateTime *modified;    /* the file's modification time */
  char      *prompt;      /* (nullable): from the sidecar */
  guint      n_frames;
  GdkPixbuf *thumbnail;   /* (nullable): of the last frame */
  RfJournalOutcome outcome;
  char      *message;     /* (nullable): why it failed or was cancelled */
  gint64     duration_ms; /* the recorded time of its last chunk; -1 if none */
} RfJournalSummary;

void              rf_journal_summary_free      (RfJournalSummary *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfJournalSummary, rf_journal_summary_free)

/* The one naming rule for a stream file's request sidecar: run.sse,
 * run.jsonl and run.ndjson → run.request.json; any other name gets
 * .request.json appended. Returns: (transfer full). */
char             *rf_journal_dup_sidecar_path  (const char       *journal_path);
/* Returns: (transfer full): $XDG_DATA_HOME/refinery/runs, where runs are
 * journalled by default. */
char             *rf_journal_dup_runs_dir      (void);
/* The prompt the sidecar of @journal_path asked for (Images API
 * "prompt", Responses API "input" as a string).
 * Returns: (transfer full) (nullable): NULL when there is none. */
char             *rf_journal_dup_prompt        (const char       *journal_path);
/* Reads @path through the same SSE parser and assembler as a replay,
 * counting frames and decoding the last one to a thumbnail of
 * @thumbnail_size pixels a side.
 * Returns: (transfer full) (nullable): NULL with @error set when the
 * file cannot be read. */
RfJournalSummary *rf_journal_read_summary      (const char       *path,
                                                int               thumbnail_size,
                                                GCancellable     *cancellable,
                                                GError          **error);
/* Reads an outcome comment (the text after ": "), as RfRecorder writes
 * it. Returns: TRUE when @comment is one, with @code and @message
 * (nullable) set, (transfer full). */
gboolean          rf_journal_parse_outcome     (const char       *comment,
                                                gsize             len,
                                                char            **code,
                                                char            **message);
/* The journals in @directory, newest first, at most @max_journals, each
 * summarized (one that cannot be read, by its name and sidecar only);
 * stops early when @cancellable is cancelled.
 * Returns: (transfer full) (element-type RfJournalSummary): an array
 * that frees its elements; empty when the folder cannot be read. */
GPtrArray        *rf_journal_list              (const char       *directory,
                                                guint             max_journals,
                                                int               thumbnail_size,
                                                GCancellable     *cancellable);

G_END_DECLS
