/*
 * rf-diagnostic.h
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

/* Threads: a diagnostic is used by one thread at a time; once in the
 * session, the main thread's. */

#define RF_TYPE_DIAGNOSTIC (rf_diagnostic_get_type())

G_DECLARE_FINAL_TYPE (RfDiagnostic, rf_diagnostic, RF, DIAGNOSTIC, GObject)

/* Returns: (transfer full) */
RfDiagnostic *rf_diagnostic_new                 (RfSeverity    severity,
                                                 const char   *code,
                                                 gint64        sequence_number,
                                                 const char   *message);
/* Returns: (transfer full) */
RfDiagnostic *rf_diagnostic_new_printf          (RfSeverity    severity,
                                                 const char   *code,
                                                 gint64        sequence_number,
                                                 const char   *format,
                                                 ...) G_GNUC_PRINTF (4, 5);
/* Returns: (transfer full) */
RfDiagnostic *rf_diagnostic_new_valist          (RfSeverity    severity,
                                                 const char   *code,
                                                 gint64        sequence_number,
                                                 const char   *format,
                                                 va_list       args) G_GNUC_PRINTF (4, 0);
RfSeverity    rf_diagnostic_get_severity        (RfDiagnostic *self);
/* A stable word: fewer-partials, decode-failed, sequence-gap, truncated…
 * Returns: (transfer none) (nullable) */
const char   *rf_diagnostic_get_code            (RfDiagnostic *self);
/* -1 when the diagnostic concerns no particular event. */
gint64        rf_diagnostic_get_sequence_number (RfDiagnostic *self);
/* Returns: (transfer none) */
const char   *rf_diagnostic_get_message         (RfDiagnostic *self);
/* Lane the diagnostic concerns, or -1. */
int           rf_diagnostic_get_lane            (RfDiagnostic *self);
void          rf_diagnostic_set_lane            (RfDiagnostic *self,
                                                 int           lane);

G_END_DECLS
