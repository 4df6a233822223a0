/*
 * rf-reliability-util.h
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

#include <gio/gio.h>

#include "rf-types.h"

G_BEGIN_DECLS

/* TRUE when built with AddressSanitizer or when RF_TEST_SANITIZED=1: heavy
 * cases then run fewer iterations. */
gboolean      rf_rel_sanitized          (void);
/* @plain, or @sanitized under sanitizers. */
guint         rf_rel_scale              (guint          plain,
                                         guint          sanitized);
/* Peak resident set size of this process so far (VmHWM), in KiB. */
guint64       rf_rel_peak_rss_kib       (void);
/* Current resident set size (VmRSS), in KiB. */
guint64       rf_rel_rss_kib            (void);

/* Runs @stream through a fresh RfSession (file source over the stream,
 * @n_workers decode workers) until it finishes; fails the test if it does
 * not within @timeout_s seconds. */
RfSession    *rf_rel_run_stream         (GInputStream  *stream,
                                         guint          n_workers,
                                         double         timeout_s);
RfSession    *rf_rel_run_bytes          (GBytes        *bytes,
                                         guint          n_workers,
                                         double         timeout_s);

/* The sha256 of a frame's encoded bytes, NULL if it has none. */
char         *rf_rel_frame_sha256       (RfFrame       *frame);
/* The first diagnostic with @code, or NULL (borrowed). */
RfDiagnostic *rf_rel_find_diagnostic    (RfSession     *session,
                                         const char    *code);
/* Every diagnostic, event summary and failure text is valid UTF-8 and
 * every diagnostic has a code. */
void          rf_rel_assert_texts_valid (RfSession     *session);
/* "code: message" of every diagnostic, for failure messages. */
char         *rf_rel_dump_diagnostics   (RfSession     *session);

/* Offsets in @stream at which each dispatched SSE event is complete: the
 * n-th dispatched event (the session's event position n) ends at
 * element n. */
GArray       *rf_rel_event_end_offsets  (GBytes        *stream);

/* The refinery-inspect binary of this build. */
const char   *rf_rel_inspect_path       (void);

G_END_DECLS
