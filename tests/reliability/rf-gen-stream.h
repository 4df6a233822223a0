/*
 * rf-gen-stream.h
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

G_BEGIN_DECLS

/* An input stream made of pieces, some of them generated as they are
 * read (a run of one byte), so that a test can feed a 100 MB line without
 * holding it in memory. */

#define RF_TYPE_GEN_STREAM (rf_gen_stream_get_type())

G_DECLARE_FINAL_TYPE (RfGenStream, rf_gen_stream, RF, GEN_STREAM, GInputStream)

RfGenStream *rf_gen_stream_new         (void);
void         rf_gen_stream_add_bytes   (RfGenStream *self,
                                        GBytes      *bytes);
void         rf_gen_stream_add_text    (RfGenStream *self,
                                        const char  *text);
void         rf_gen_stream_add_run     (RfGenStream *self,
                                        guint8       byte,
                                        guint64      count);
/* @text, @count times over, generated as it is read. */
void         rf_gen_stream_add_repeat  (RfGenStream *self,
                                        const char  *text,
                                        guint64      count);
guint64      rf_gen_stream_get_size    (RfGenStream *self);

G_END_DECLS
