/*
 * rf-spinner.h
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

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Threads: main thread only, as every widget. */

#define RF_TYPE_SPINNER (rf_spinner_get_type())

G_DECLARE_FINAL_TYPE (RfSpinner, rf_spinner, RF, SPINNER, GtkWidget)

/* A busy indicator for the header bar: the theme's
 * process-working-symbolic icon, turned a step at a time while spinning
 * and mapped. Unlike GtkSpinner it never restyles, so it only repaints
 * itself, about twelve times a second. */
GtkWidget *rf_spinner_new          (void);
gboolean   rf_spinner_get_spinning (RfSpinner *self);
void       rf_spinner_set_spinning (RfSpinner *self,
                                    gboolean   spinning);

G_END_DECLS
