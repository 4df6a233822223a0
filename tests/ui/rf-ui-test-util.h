/*
 * rf-ui-test-util.h
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

typedef enum
{
  RF_UI_TEST_DEFAULT  = 0,
  /* Nothing may come between the test and its loopback servers: no
   * proxy from the environment. */
  RF_UI_TEST_LOOPBACK = 1 << 0,
} RfUiTestFlags;

/* What every widget test's main() does first: the environment of a test
 * under Xvfb (no accessibility or session bus, whose warnings would be
 * fatal; settings in memory; the cairo renderer, as Xvfb has no GPU;
 * journals in a throw-away folder), g_test_init(), then GTK and
 * libadwaita. FALSE when there is no display: a skipped /ui/no-display
 * is then added, and the caller adds only the tests that need none. */
gboolean   rf_ui_test_init            (int           *argc,
                                       char        ***argv,
                                       RfUiTestFlags  flags);

/* The first widget of @type at or below @widget, in drawing order, or
 * NULL. */
GtkWidget *rf_ui_test_find_descendant (GtkWidget     *widget,
                                       GType          type);

/* Widgets are found as a person finds them: by their text, tooltip (and
 * accessible name) or kind, in the order they are drawn. One walk serves
 * every test; each asks with its own match, given @text. */
typedef gboolean (*RfUiTestMatch) (GtkWidget  *widget,
                                   const char *text);

/* Every widget at or below @widget that @match accepts, in drawing order,
 * appended to @found. */
void       rf_ui_test_collect         (GtkWidget     *widget,
                                       RfUiTestMatch  match,
                                       const char    *text,
                                       GPtrArray     *found);
/* The first of them, or NULL. */
GtkWidget *rf_ui_test_find            (GtkWidget     *widget,
                                       RfUiTestMatch  match,
                                       const char    *text);
/* Matches: a GtkLabel whose label is @text; any widget whose tooltip is
 * @text. */
gboolean   rf_ui_test_label_is        (GtkWidget     *widget,
                                       const char    *text);
gboolean   rf_ui_test_tooltip_is      (GtkWidget     *widget,
                                       const char    *text);

G_END_DECLS
