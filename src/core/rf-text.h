/*
 * rf-text.h
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

#include <glib.h>

G_BEGIN_DECLS

/* Threads: functions of their arguments only: any thread. */

/* Text from a stream, made safe to show or write. */

/* Length of the UTF-8 code point at @p (@avail bytes readable) when a
 * terminal could act on it even inside quoted text: C1 controls
 * (U+0080–U+009F; 0x9B is a CSI), the line and paragraph separators and
 * the bidirectional marks, overrides and isolates. 0 for anything else. */
gsize  rf_text_control_len    (const guchar *p,
                               gsize         avail);
/* For a terminal, on one line: C0 controls (ESC, CR, LF, TAB…), DEL and
 * bytes that are not UTF-8 become \\xNN (\\n, \\r, \\t), the
 * controls above \\uNNNN. Appends nothing for NULL. */
void   rf_text_append_escaped (GString      *out,
                               const char   *s);
/* Returns: (transfer full) */
char  *rf_text_escape         (const char   *s);
/* Takes @json (a JSON document) and returns it valid UTF-8 with the
 * controls above escaped; may return @json itself.
 * Returns: (transfer full) (nullable): NULL for NULL */
char  *rf_text_json_safe      (char         *json);

/* Longest text shown whole in one line of the app or the CLI's summary
 * (an id, a type, a code) and in a message: past it, a display copy is
 * cut. The value itself stays whole where it is kept (copy, --dump). */
#define RF_TEXT_SHOW_SHORT 200
#define RF_TEXT_SHOW_LONG  1000

/* A display copy of @s: valid UTF-8, at most @max_bytes of it, cut at a
 * character and followed by "… [N bytes]" when it is longer. Linear in
 * @max_bytes, not in the length of @s beyond a strlen. NULL for NULL.
 * Returns: (transfer full) (nullable): NULL for NULL */
char  *rf_text_shorten        (const char   *s,
                               gsize         max_bytes);
/* rf_text_shorten() then rf_text_escape(): what a terminal is shown of a
 * stream's text (the human output of refinery-inspect). NULL for NULL. */
char  *rf_text_show           (const char   *s,
                               gsize         max_bytes);

/* A copy of @s for a label that wraps: the space between a number and the
 * word after it ("12,3 MB", "418 ms", "3 Teilbilder", "0,01 $") becomes
 * a no-break space (U+00A0), so the two never land on separate lines,
 * whatever the translation or GLib's size format put there. NULL for
 * NULL. */
char  *rf_text_bind_numbers   (const char   *s);

G_END_DECLS
