/*
 * rf-error-toast.h
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

#include <adwaita.h>

G_BEGIN_DECLS

/* How long a toast covers the bottom of the window: what it says stays
 * in the header bar, the inspector or the start page. */
#define RF_TOAST_TIMEOUT_S 6

/* The most lines a toast's text takes before it is shortened. */
#define RF_TOAST_MAX_LINES 2

/* A toast for @text, shown in @overlay, whose text is never cut off:
 * it wraps onto a second line when the window is narrow; a longer text
 * is shortened at a word and, unless @keep_button (the toast has a
 * button of its own), the toast gets a Details button that activates
 * win.show-error with (@heading, @full_text): a dialog with all of it.
 * @heading may be "" (the dialog then has only the text). */
AdwToast *rf_error_toast_new (GtkWidget  *overlay,
                              const char *text,
                              const char *heading,
                              const char *full_text,
                              gboolean    keep_button);

/* Whether @toast's text was shortened to fit. */
gboolean  rf_error_toast_is_shortened (AdwToast *toast);

G_END_DECLS
