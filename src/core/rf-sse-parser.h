/*
 * rf-sse-parser.h
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

#include "rf-types.h"

G_BEGIN_DECLS

/* Threads: a parser is used by one thread at a time (a run's ingest
 * thread). */

/* Called for every dispatched event. @data is NUL-terminated and valid
 * UTF-8 (invalid sequences became U+FFFD) and may hold U+0000 itself, so
 * @data_len is its length; @event_type stops at a U+0000 it holds
 * (rf_sse_parser_get_event_type() gives it whole); @id is the last-event-ID buffer
 * ("" when never set). @data may be stolen with rf_sse_parser_steal_data()
 * from inside the callback to avoid copying multi-megabyte payloads. */
typedef void (*RfSseEventFunc)   (RfSseParser *parser,
                                  const char  *event_type,
                                  const char  *data,
                                  gsize        data_len,
                                  const char  *id,
                                  gpointer     user_data);
/* Called for every comment line (without the leading ':'). */
typedef void (*RfSseCommentFunc) (RfSseParser *parser,
                                  const char  *comment,
                                  gsize        len,
                                  gpointer     user_data);
/* Called when a single event grows beyond the configured limit; the rest of
 * that event is skipped without being buffered. */
typedef void (*RfSseOverflowFunc) (RfSseParser *parser,
                                   gsize        limit,
                                   gpointer     user_data);

/* Called when the first field line of an event begins to arrive (its
 * first byte, before the rest of the line is known), at most once per
 * event: comments and blank lines start none. */
typedef void (*RfSseStartFunc)   (RfSseParser *parser,
                                  gpointer     user_data);

/* Called when the first data line of an event has grown and has not
 * ended yet: @line is the line so far, field name included (it is not
 * checked for UTF-8 yet). The bytes already given do not change, so a
 * value that begins in them can be read before the event ends. */
typedef void (*RfSseLineFunc)    (RfSseParser  *parser,
                                  const guint8 *line,
                                  gsize         len,
                                  gpointer      user_data);

#define RF_SSE_DEFAULT_MAX_EVENT_SIZE ((gsize) 96 * 1024 * 1024)

/* Returns: (transfer full) */
RfSseParser *rf_sse_parser_new              (RfSseEventFunc     event_func,
                                             RfSseCommentFunc   comment_func,
                                             RfSseOverflowFunc  overflow_func,
                                             gpointer           user_data);
void         rf_sse_parser_free             (RfSseParser       *self);
void         rf_sse_parser_set_max_event_size (RfSseParser     *self,
                                             gsize              max_size);
void         rf_sse_parser_set_start_func   (RfSseParser       *self,
                                             RfSseStartFunc     start_func);
void         rf_sse_parser_set_line_func    (RfSseParser       *self,
                                             RfSseLineFunc      line_func);
void         rf_sse_parser_push             (RfSseParser       *self,
                                             const guint8      *buf,
                                             gsize              len);
/* End of input. Returns TRUE when an unterminated event (bytes after the
 * last blank line that would have formed an event) was discarded. */
gboolean     rf_sse_parser_finish           (RfSseParser       *self);
/* Only valid inside the event callback: takes ownership of the data buffer
 * as GBytes (NUL not included in the size).
 * Returns: (transfer full) */
GBytes      *rf_sse_parser_steal_data       (RfSseParser       *self);
/* Only valid inside the event callback: the event type with its length
 * (it may hold U+0000).
 * Returns: (transfer none) */
const char  *rf_sse_parser_get_event_type   (RfSseParser       *self,
                                             gsize             *len);
/* Only valid inside the overflow callback: the first bytes (at most
 * 4 KiB) of the oversized event's data, to name it by.
 * Returns: (transfer none) */
const guint8 *rf_sse_parser_get_overflow_head (RfSseParser     *self,
                                             gsize             *len);
gint64       rf_sse_parser_get_retry        (RfSseParser       *self);
/* Returns: (transfer none) */
const char  *rf_sse_parser_get_last_event_id (RfSseParser      *self);
guint64      rf_sse_parser_get_bytes_consumed (RfSseParser     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfSseParser, rf_sse_parser_free)

G_END_DECLS
