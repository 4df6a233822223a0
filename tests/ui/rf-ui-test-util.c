/*
 * rf-ui-test-util.c
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

#include "config.h"

#include <adwaita.h>

#include "rf-test-util.h"
#include "rf-ui-test-util.h"

static void
test_no_display (void)
{
  g_test_skip ("no display");
}

gboolean
rf_ui_test_init (int           *argc,
                 char        ***argv,
                 RfUiTestFlags  flags)
{
  g_autofree char *data_home = NULL;

  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* The GL renderer on Xvfb's software rasteriser spends tens of ms a
   * frame while the spinner animates; cairo keeps the tests quick. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  if (flags & RF_UI_TEST_LOOPBACK)
    {
      g_setenv ("no_proxy", "*", TRUE);
      g_unsetenv ("http_proxy");
      g_unsetenv ("https_proxy");
      g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
    }
  g_test_init (argc, argv, NULL);

  /* Journals of test runs go to a throw-away folder. */
  data_home = g_build_filename (rf_test_get_temp_dir (), "data-home", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/no-display", test_no_display);
      return FALSE;
    }

  adw_init ();
  return TRUE;
}

GtkWidget *
rf_ui_test_find_descendant (GtkWidget *widget,
                            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = rf_ui_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

void
rf_ui_test_collect (GtkWidget     *widget,
                    RfUiTestMatch  match,
                    const char    *text,
                    GPtrArray     *found)
{
  if (match (widget, text))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    rf_ui_test_collect (child, match, text, found);
}

GtkWidget *
rf_ui_test_find (GtkWidget     *widget,
                 RfUiTestMatch  match,
                 const char    *text)
{
  if (match (widget, text))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = rf_ui_test_find (child, match, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

gboolean
rf_ui_test_label_is (GtkWidget  *widget,
                     const char *text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

gboolean
rf_ui_test_tooltip_is (GtkWidget  *widget,
                       const char *text)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0;
}
