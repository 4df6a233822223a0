/*
 * rf-pseudo-check.h
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

/* The pseudo-locale (build-aux/make-pseudo-locale.py) wraps every message
 * in "[" … "·]". Text on screen made only of such messages, numbers,
 * punctuation and data (ids from the stream, file names, hashes, format
 * names) was translated; a word outside them never reached gettext, and a
 * message without its closing "·]" was cut short.
 *
 * Returns NULL when @text passes, else the first offending word. @data,
 * NULL-terminated and may be NULL, lists more words that are data here. */
char     *rf_pseudo_find_untranslated (const char         *text,
                                       const char * const *data);

/* Points REFINERY_LOCALEDIR at a temporary locale tree holding the
 * pseudo-locale's catalog ($REFINERY_PSEUDO_MO) as "en_XA" and selects it
 * with LANGUAGE. FALSE (the test skips) when the catalog was not built. */
gboolean  rf_pseudo_setup_env         (void);

G_END_DECLS
