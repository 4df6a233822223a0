/*
 * main.c
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

#define G_LOG_DOMAIN "refinery"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "rf-application.h"
#include "rf-renderer.h"
#include "rf-types.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RfApplication) app = NULL;

  rf_renderer_prepare_heap ();
  setlocale (LC_ALL, "");
  rf_i18n_init ();
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Refinery"));

  /* Before any thread or window exists. Without a display the
   * application reports that itself. */
  if (gtk_init_check ())
    rf_renderer_avoid_software_gl ();

  app = rf_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
