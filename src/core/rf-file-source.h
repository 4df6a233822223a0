/*
 * rf-file-source.h
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

#include "rf-source.h"

G_BEGIN_DECLS

/* Threads: made and set up on the main thread before the run starts;
 * it then runs on the run's ingest thread (rf-source.h). */

#define RF_TYPE_FILE_SOURCE (rf_file_source_get_type())

G_DECLARE_FINAL_TYPE (RfFileSource, rf_file_source, RF, FILE_SOURCE, RfSource)

/* A recording: raw SSE (with optional `: t=<ms>` timing comments) or JSON
 * lines, told apart by content. @file NULL = standard input. The request
 * sidecar, named by rf_journal_dup_sidecar_path(), is read when present.
 * Returns: (transfer full) */
RfSource *rf_file_source_new        (GFile        *file);
/* Returns: (transfer full) */
RfSource *rf_file_source_new_stdin  (void);
/* Returns: (transfer full) */
RfSource *rf_file_source_new_for_stream (GInputStream *stream,
                                         const char   *description);
/* 0 = as fast as possible (default); 1 = recorded pace; 2 = twice as fast. */
void      rf_file_source_set_speed  (RfFileSource *self,
                                     double        speed);

/* Whether the first bytes of a file (@head, @len; a few KiB) can start
 * an event stream: SSE (a field or comment line among them), JSON lines
 * or a JSON array. If not, @what (optional, out) says in words what they
 * are instead ("a PNG image", "an empty file", "binary data"). */
gboolean  rf_file_source_sniff      (const guint8 *head,
                                     gsize         len,
                                     char        **what);
/* Reads the first bytes of @file (blocking: in a worker) and checks them
 * with rf_file_source_sniff(). FALSE with @error in one sentence that
 * names the file once: "/tmp/run.sse does not exist", "photo.sse is not
 * an event stream: it is a PNG image". */
gboolean  rf_file_source_check      (GFile        *file,
                                     GCancellable *cancellable,
                                     GError      **error);

G_END_DECLS
