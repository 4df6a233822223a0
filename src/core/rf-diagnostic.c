/*
 * rf-diagnostic.c
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

#define G_LOG_DOMAIN "rf-diagnostic"

#include "config.h"

#include "rf-diagnostic.h"

struct _RfDiagnostic
{
  GObject     parent_instance;

  RfSeverity  severity;
  char       *code;
  char       *message;
  gint64      sequence_number;
  int         lane;
};

G_DEFINE_FINAL_TYPE (RfDiagnostic, rf_diagnostic, G_TYPE_OBJECT)

static void
rf_diagnostic_finalize (GObject *object)
{
  RfDiagnostic *self = (RfDiagnostic *)object;

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (rf_diagnostic_parent_class)->finalize (object);
}

static void
rf_diagnostic_class_init (RfDiagnosticClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_diagnostic_finalize;
}

static void
rf_diagnostic_init (RfDiagnostic *self)
{
  self->sequence_number = -1;
  self->lane = -1;
}

RfDiagnostic *
rf_diagnostic_new (RfSeverity  severity,
                   const char *code,
                   gint64      sequence_number,
                   const char *message)
{
  RfDiagnostic *self = g_object_new (RF_TYPE_DIAGNOSTIC, NULL);

  self->severity = severity;
  self->code = g_strdup (code);
  self->sequence_number = sequence_number;
  self->message = g_strdup (message);

  return self;
}

RfDiagnostic *
rf_diagnostic_new_valist (RfSeverity  severity,
                          const char *code,
                          gint64      sequence_number,
                          const char *format,
                          va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  return rf_diagnostic_new (severity, code, sequence_number, message);
}

RfDiagnostic *
rf_diagnostic_new_printf (RfSeverity  severity,
                          const char *code,
                          gint64      sequence_number,
                          const char *format,
                          ...)
{
  RfDiagnostic *diagnostic;
  va_list args;

  va_start (args, format);
  diagnostic = rf_diagnostic_new_valist (severity, code, sequence_number, format, args);
  va_end (args);

  return diagnostic;
}

RfSeverity
rf_diagnostic_get_severity (RfDiagnostic *self)
{
  g_return_val_if_fail (RF_IS_DIAGNOSTIC (self), 0);

  return self->severity;
}

const char *
rf_diagnostic_get_code (RfDiagnostic *self)
{
  g_return_val_if_fail (RF_IS_DIAGNOSTIC (self), NULL);

  return self->code;
}

gint64
rf_diagnostic_get_sequence_number (RfDiagnostic *self)
{
  g_return_val_if_fail (RF_IS_DIAGNOSTIC (self), 0);

  return self->sequence_number;
}

const char *
rf_diagnostic_get_message (RfDiagnostic *self)
{
  g_return_val_if_fail (RF_IS_DIAGNOSTIC (self), NULL);

  return self->message;
}

int
rf_diagnostic_get_lane (RfDiagnostic *self)
{
  g_return_val_if_fail (RF_IS_DIAGNOSTIC (self), 0);

  return self->lane;
}

void rf_diagnostic_set_lane (RfDiagnostic *self, int lane) { self->lane = lane; }
