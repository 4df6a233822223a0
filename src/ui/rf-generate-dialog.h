/*
 * rf-generate-dialog.h
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

#include "rf-request.h"

G_BEGIN_DECLS

/* Threads: main thread only, as every widget. */

#define RF_TYPE_GENERATE_DIALOG (rf_generate_dialog_get_type())

G_DECLARE_FINAL_TYPE (RfGenerateDialog, rf_generate_dialog, RF, GENERATE_DIALOG, AdwWindow)

/* Asks for the generation parameters and the key; emits
 * ::generate (RfRequest *request, const char *api_key) and closes. The
 * defaults come from @settings (may be NULL), which get the new values
 * back — never the key. */
RfGenerateDialog *rf_generate_dialog_new         (GSettings        *settings);
/* The request the dialog's fields describe; NULL + @error when invalid. */
RfRequest        *rf_generate_dialog_build_request (RfGenerateDialog *self,
                                                  GError          **error);
/* Fills the prompt (a run to edit and retry: the other fields come back
 * from the settings, saved when it started). */
void              rf_generate_dialog_set_prompt  (RfGenerateDialog *self,
                                                  const char       *prompt);

G_END_DECLS
