/*
 * rf-recorder.h
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

#include <glib-object.h>

#include "rf-types.h"

G_BEGIN_DECLS

#define RF_TYPE_RECORDER (rf_recorder_get_type())

G_DECLARE_FINAL_TYPE (RfRecorder, rf_recorder, RF, RECORDER, GObject)

/* The journal of one live run: the bytes exactly as received, with
 * `: t=<ms>` SSE comment lines inserted at line starts, so the file is
 * still an event stream and replays with its timing. Every chunk is
 * written with write(2) as it arrives: a run killed mid-stream leaves all
 * it received on disk.
 *
 * Files: FILE, and next to it the request sidecar named by
 * rf_journal_dup_sidecar_path() (run.sse → run.request.json), both
 * created new (an existing file is never overwritten) with mode 0600.
 *
 * Default location (@path NULL):
 * $XDG_DATA_HOME/refinery/runs/<UTC time>-run.sse, e.g.
 * 20261125T133038Z-run.sse, renamed to <UTC time>-<response id>.sse (and
 * its sidecar likewise) as soon as the stream names its response id.
 * Returns: (transfer full) (nullable): NULL with @error set */
RfRecorder *rf_recorder_new              (const char    *path,
                                          const char    *redacted_request_json,
                                          GError       **error);
/* Installs the raw-bytes tap on @ingest (rf_ingest_set_tap()); call on
 * the ingest thread, before the first byte is pushed, e.g. at the start
 * of RfSource::run. The recorder must outlive the run. */
void        rf_recorder_attach           (RfRecorder    *self,
                                          RfIngest      *ingest);
/* Call after each rf_ingest_push() (ingest thread, outside the tap):
 * renames a default-named journal once the response id is known and
 * reports a write failure as a "journal-incomplete" warning diagnostic.
 * Kept out of the tap so the tap never calls back into the ingest. */
void        rf_recorder_sync             (RfRecorder    *self,
                                          RfIngest      *ingest);
/* What rf_recorder_sync() does for a source that feeds the journal from
 * another thread than its ingest: renames a default-named journal for
 * @response_id, once. Safe while another thread writes. */
void        rf_recorder_rename_for_response_id (RfRecorder *self,
                                          const char    *response_id);
/* Call before the bytes of a resumed connection (with
 * rf_ingest_begin_resume()): the half event the broken connection left is
 * cut from the journal, as the live parser drops it, and a `: resume`
 * comment marks the spot. */
void        rf_recorder_begin_resume     (RfRecorder    *self);
/* Call at the end of the run (ingest thread): a last sync, then closes
 * the journal. Later chunks are not journalled. */
void        rf_recorder_finish           (RfRecorder    *self,
                                          RfIngest      *ingest);
/* Journals one chunk that arrived at @t_ms: what the tap does. */
/* Records how a live run ended when its bytes cannot tell: a run that
 * could not connect, got an HTTP error or was cancelled. @code is a
 * diagnostic code ("http-error", "connection-lost") or "cancelled";
 * @message (nullable) is already free of the key. Written as an SSE
 * comment, so the journal stays an event stream; RfIngest and
 * rf_journal_read_summary() read it back. Call it before
 * rf_recorder_finish(), from the thread that writes the journal. */
void        rf_recorder_note_outcome     (RfRecorder    *self,
                                          const char    *code,
                                          const char    *message);
void        rf_recorder_write            (RfRecorder    *self,
                                          const guint8  *buf,
                                          gsize          len,
                                          gint64         t_ms);
/* A journal never grows past this (1 GiB; one event is at most 96 MiB):
 * the chunk that would pass it and all after are not written, and the
 * run reports "journal-incomplete". */
#define RF_RECORDER_DEFAULT_MAX_SIZE ((guint64) 1024 * 1024 * 1024)
void        rf_recorder_set_max_size     (RfRecorder    *self,
                                          guint64        max_size);
/* The journal's current path (it changes once with a default name).
 * Returns: (transfer full) (nullable) */
char       *rf_recorder_dup_path         (RfRecorder    *self);
/* Returns: (transfer full) (nullable) */
char       *rf_recorder_dup_request_path (RfRecorder    *self);
/* TRUE when writing failed (disk full…) and the journal stops short. */
gboolean    rf_recorder_get_incomplete   (RfRecorder    *self);
/* Why the journal stopped short, for people ("No space left on device",
 * "the journal reached its size limit of 1024 MiB"); NULL while whole.
 * Any thread.
 * Returns: (transfer full) (nullable) */
char       *rf_recorder_dup_stop_reason  (RfRecorder    *self);
/* Bytes of the stream journalled (timing comments excluded). */
guint64     rf_recorder_get_n_bytes      (RfRecorder    *self);

/* Kept for callers written before rf-journal.h: they forward to
 * rf_journal_dup_sidecar_path() and rf_journal_dup_runs_dir().
 * Returns: (transfer full) */
char       *rf_recorder_dup_sidecar_path (const char    *journal_path);
/* Returns: (transfer full) */
char       *rf_recorder_dup_runs_dir     (void);

G_END_DECLS
