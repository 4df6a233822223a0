/*
 * rf-redactor.h
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

/* Takes keys out of a byte stream as it passes: each occurrence of one of
 * the secrets becomes "[redacted]", even when it is split across chunks.
 * A tail that could be the start of a secret is held back until the next
 * chunk (or the flush) says whether it is one, so what comes out lags by
 * at most the longest secret. Linear in the bytes fed. One thread at a
 * time. */
typedef struct _RfRedactor RfRedactor;

/* Copies @secrets (strings); none, or only empty ones, pass everything
 * through. Returns: (transfer full) */
RfRedactor *rf_redactor_new   (GPtrArray    *secrets);
/* Appends to @out the redacted bytes of @buf that are known by now. */
void        rf_redactor_feed  (RfRedactor   *self,
                               const guint8 *buf,
                               gsize         len,
                               GByteArray   *out);
/* Appends what was held back: the stream has ended. */
void        rf_redactor_flush (RfRedactor   *self,
                               GByteArray   *out);
void        rf_redactor_free  (RfRedactor   *self);

/* One text at once (an error message, a URI): each of @secrets (strings;
 * empty ones are skipped) becomes "[redacted]". Any thread.
 * Returns: (transfer full) (nullable): the redacted copy, NULL for NULL. */
char       *rf_redactor_redact_text (GPtrArray  *secrets,
                                     const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfRedactor, rf_redactor_free)

G_END_DECLS
