/*
 * rf-application.h
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

/* Threads: main thread only, as every widget. */

#define RF_TYPE_APPLICATION (rf_application_get_type())

G_DECLARE_FINAL_TYPE (RfApplication, rf_application, RF, APPLICATION, AdwApplication)

RfApplication *rf_application_new          (void);
/* The app's settings, or NULL when the schema is not installed (running
 * uninstalled without GSETTINGS_SCHEMA_DIR, or in tests). */
GSettings     *rf_application_get_settings (RfApplication *self);

/* Same as above for any caller: the default application's settings. */
GSettings     *rf_application_get_default_settings (void);

G_END_DECLS
