/*
 * rf-base64.h
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

/* Base64 → bytes, standard or URL-safe alphabet, whitespace skipped.
 * Safe on any thread. Returns: (transfer full) (nullable): the bytes, or
 * NULL with @error set (invalid input, empty, or over @max_decoded). */
GBytes        *rf_base64_decode_bytes        (const char           *b64,
                                              gsize                 len,
                                              gsize                 max_decoded,
                                              GError              **error);
/* Where bytes kept as long as a frame go: blocks of memory shared by the
 * frames decoded through it, which costs far fewer page faults than
 * memory of their own. Any thread; a block stays while any bytes in it
 * do, the RfKeptBytes itself need not. */
typedef struct _RfKeptBytes RfKeptBytes;

/* Returns: (transfer full) */
RfKeptBytes   *rf_kept_bytes_new             (void);
void           rf_kept_bytes_free            (RfKeptBytes          *self);

/* rf_base64_decode_bytes() into @kept: not for short-lived bytes.
 * Returns: (transfer full) (nullable): NULL with @error set */
GBytes        *rf_base64_decode_kept         (const char           *b64,
                                              gsize                 len,
                                              gsize                 max_decoded,
                                              RfKeptBytes          *kept,
                                              GError              **error);

/* A copy of @len bytes at @data into @kept. */
GBytes        *rf_kept_bytes_copy            (RfKeptBytes          *kept,
                                              const guint8         *data,
                                              gsize                 len);

/* Decodes the longest prefix of @b64 made of whole quads of alphabet
 * characters (no padding, no white space) into @out, which has room for
 * @len / 4 * 3 + 1 bytes (the fast path stores 4 bytes to write 3).
 * Returns the characters consumed, a multiple of 4; the bytes written
 * are that / 4 * 3. For a payload that arrives in pieces. */
gsize          rf_base64_decode_quads        (const char           *b64,
                                              gsize                 len,
                                              guint8               *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfKeptBytes, rf_kept_bytes_free)

G_END_DECLS
