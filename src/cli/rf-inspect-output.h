/*
 * rf-inspect-output.h
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

/* JSON string literal for @len bytes of UTF-8 @s, appended to @out.
 * Long base64 runs are copied in blocks rather than char by char. */
void  rf_inspect_append_json_string (GString      *out,
                                     const char   *s,
                                     gsize         len);
/* --dump=sse: one line per dispatched SSE event. */
void  rf_inspect_print_sse          (GString      *out,
                                     GBytes       *event,
                                     GBytes       *data,
                                     const char   *id);
/* --dump=events: one line per protocol event or diagnostic. */
void  rf_inspect_print_event        (GString      *out,
                                     RfEvent      *event);
void  rf_inspect_print_diagnostic   (GString      *out,
                                     RfDiagnostic *diagnostic);
/* Columns are counted in what a terminal shows, not in bytes: "×", "é"
 * take two bytes and one cell, CJK characters one character and two cells,
 * combining marks none. */
guint rf_inspect_display_width      (const char   *s);
/* @s, then spaces up to @width columns. */
void  rf_inspect_append_padded      (GString      *out,
                                     const char   *s,
                                     guint         width);
/* The human summary of a finished session. */
void  rf_inspect_print_summary      (GString      *out,
                                     RfSession    *session);

/* refinery-inspect's exit status for a finished run: 2 for errors outside
 * the stream (usage, I/O, HTTP, auth), 1 for a stream that carried an
 * error, failed, broke off or had a frame that did not decode, else 0. */
int   rf_inspect_exit_status        (RfSession    *session);

G_END_DECLS
