/*
 * test-pseudo-ui.c
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

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "rf-application.h"
#include "rf-compare-window.h"
#include "rf-generate-dialog.h"
#include "rf-preferences.h"
#include "rf-pseudo-check.h"
#include "rf-test-util.h"
#include "rf-ui-test-util.h"
#include "rf-window-private.h"

/* The app in the pseudo-locale: every window and dialog is opened and its
 * widget tree walked, and every string a person sees or hears — labels,
 * button labels, tooltips, accessible names and descriptions,
 * placeholders, column titles, list items, menu items, window titles — must
 * be made of translated messages and data (rf_pseudo_find_untranslated()
 * says which words are data). A label the default window size cuts with
 * "…" fails too: its translation does not fit.
 *
 * What GTK and libadwaita draw from their own catalogs (a file chooser's
 * places, key names, the About window's pages) is theirs to translate and
 * is left out, by widget (see is_toolkit_widget()). */

/* Names of products and services: the same in every language. */
static const char * const names[] = {
  "OpenAI", "OpenRouter", "Google", "Gemini", NULL
};

/* Strings GTK and libadwaita set from their own catalogs in the widgets
 * Refinery places: the text, and the toolkit widget it is found in. */
static const struct
{
  const char *ancestor;
  const char *text;
} toolkit_texts[] = {
  { "AdwAboutWindow", "Details" },
  { "AdwAboutWindow", "Credits" },
  { "AdwAboutWindow", "Legal" },
  { "AdwAboutWindow", "Back" },
  { "GtkShortcutsWindow", "Shortcuts" },
  { "AdwPasswordEntryRow", "Show Text" },
  { "AdwPasswordEntryRow", "Hide Text" },
};

static gboolean
is_toolkit_text (GtkWidget  *widget,
                 const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (toolkit_texts); i++)
    if (g_str_equal (text, toolkit_texts[i].text) &&
        gtk_widget_get_ancestor (widget, g_type_from_name (toolkit_texts[i].ancestor)) != NULL)
      return TRUE;

  return FALSE;
}

typedef struct
{
  const char *where;
  GPtrArray  *problems;
  gboolean    check_ellipsis;
  /* Inside a widget with the style class "rf-data": text of the stream
   * (a prompt, a request) shown as it was sent, never translated. */
  gboolean    in_data;
} Walk;

static void
check_text (Walk       *walk,
            GObject    *object,
            const char *what,
            const char *text)
{
  g_autofree char *word = NULL;

  if (text == NULL || text[0] == '\0' || walk->in_data ||
      (GTK_IS_WIDGET (object) && is_toolkit_text (GTK_WIDGET (object), text)))
    return;

  word = rf_pseudo_find_untranslated (text, names);
  if (word != NULL)
    g_ptr_array_add (walk->problems,
                     g_strdup_printf ("%s: %s %s “%s”: “%s” is not translated",
                                      walk->where, G_OBJECT_TYPE_NAME (object), what, text, word));
}

static void
check_menu (Walk       *walk,
            GObject    *owner,
            GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuLinkIter) links = NULL;
      const char *name;
      GMenuModel *link;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        check_text (walk, owner, "menu item", label);

      links = g_menu_model_iterate_item_links (menu, i);
      while (g_menu_link_iter_get_next (links, &name, &link))
        {
          check_menu (walk, owner, link);
          g_object_unref (link);
        }
    }
}

/* Items a drop-down or combo row lists when it is opened. */
static void
check_string_list (Walk       *walk,
                   GObject    *owner,
                   GListModel *model)
{
  if (!GTK_IS_STRING_LIST (model))
    return;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    check_text (walk, owner, "list item",
                gtk_string_list_get_string (GTK_STRING_LIST (model), i));
}

/* An accessible property as the test AT context (GTK_A11Y=test) holds
 * it: gtk_test_accessible_check_property() returns the value it has when
 * it is not the one asked for, and nothing is ever set to "\x01". */
static char *
dup_accessible_property (GtkWidget             *widget,
                         GtkAccessibleProperty  property)
{
  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return NULL;

  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, "\x01");
}

/* Widgets whose text comes from GTK's or libadwaita's own catalog. */
static gboolean
is_toolkit_widget (GtkWidget *widget)
{
  return GTK_IS_SHORTCUT_LABEL (widget) || GTK_IS_FILE_CHOOSER_WIDGET (widget) ||
         GTK_IS_WINDOW_CONTROLS (widget);
}

/* Whether part of @widget lies outside an ancestor that hides what
 * overflows it (a column's header, a scrolled view's edge excepted: what
 * scrolls is not cut). */
static gboolean
is_clipped_by_ancestor (GtkWidget *widget)
{
  for (GtkWidget *ancestor = gtk_widget_get_parent (widget);
       ancestor != NULL && !GTK_IS_SCROLLABLE (ancestor) && !GTK_IS_WINDOW (ancestor);
       ancestor = gtk_widget_get_parent (ancestor))
    {
      graphene_rect_t bounds;

      if (gtk_widget_get_overflow (ancestor) != GTK_OVERFLOW_HIDDEN)
        continue;
      if (!gtk_widget_compute_bounds (widget, ancestor, &bounds))
        continue;
      if (bounds.origin.x < -0.5 ||
          bounds.origin.x + bounds.size.width > gtk_widget_get_width (ancestor) + 0.5)
        return TRUE;
    }

  return FALSE;
}

static void walk_widget (Walk      *walk,
                         GtkWidget *widget);

static void
walk_one (Walk      *walk,
          GtkWidget *widget)
{
  GObject *object = G_OBJECT (widget);
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;

  if (!gtk_widget_get_mapped (widget) || is_toolkit_widget (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      GtkLabel *label = GTK_LABEL (widget);

      int min_width;

      check_text (walk, object, "label", gtk_label_get_text (label));

      /* Cut with "…": allowed only for data shown whole in a tooltip. */
      if (walk->check_ellipsis && gtk_label_get_ellipsize (label) != PANGO_ELLIPSIZE_NONE &&
          pango_layout_is_ellipsized (gtk_label_get_layout (label)) &&
          !(walk->in_data && gtk_widget_get_has_tooltip (widget)))
        g_ptr_array_add (walk->problems,
                         g_strdup_printf ("%s: label “%s” is ellipsized (%d px wide)",
                                          walk->where, gtk_label_get_text (label),
                                          gtk_widget_get_width (widget)));

      /* Given less than it needs, or reaching out of a parent that
       * clips, a label is cut off without a "…". */
      pango_layout_get_pixel_size (gtk_label_get_layout (label), &min_width, NULL);
      if (walk->check_ellipsis && gtk_widget_get_width (widget) < min_width)
        g_ptr_array_add (walk->problems,
                         g_strdup_printf ("%s: label “%s” is clipped (%d of %d px)",
                                          walk->where, gtk_label_get_text (label),
                                          gtk_widget_get_width (widget), min_width));
      else if (walk->check_ellipsis && is_clipped_by_ancestor (widget))
        g_ptr_array_add (walk->problems,
                         g_strdup_printf ("%s: label “%s” is clipped by its parent",
                                          walk->where, gtk_label_get_text (label)));
    }

  /* Cells of the event log: cut to their column by design, the whole
   * event is a click away; only their words are checked. */
  if (GTK_IS_INSCRIPTION (widget))
    check_text (walk, object, "cell", gtk_inscription_get_text (GTK_INSCRIPTION (widget)));

  if (GTK_IS_TEXT (widget))
    check_text (walk, object, "placeholder",
                gtk_text_get_placeholder_text (GTK_TEXT (widget)));

  if (GTK_IS_WINDOW (widget))
    check_text (walk, object, "title", gtk_window_get_title (GTK_WINDOW (widget)));

  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)))
    check_menu (walk, object, gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)));

  if (GTK_IS_DROP_DOWN (widget))
    check_string_list (walk, object, gtk_drop_down_get_model (GTK_DROP_DOWN (widget)));
  if (ADW_IS_COMBO_ROW (widget))
    check_string_list (walk, object, adw_combo_row_get_model (ADW_COMBO_ROW (widget)));

  if (GTK_IS_COLUMN_VIEW (widget))
    {
      GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (widget));

      for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
        {
          g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

          check_text (walk, object, "column title", gtk_column_view_column_get_title (column));
        }
    }

  check_text (walk, object, "tooltip", gtk_widget_get_tooltip_text (widget));

  name = dup_accessible_property (widget, GTK_ACCESSIBLE_PROPERTY_LABEL);
  check_text (walk, object, "accessible name", name);
  description = dup_accessible_property (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  check_text (walk, object, "accessible description", description);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk_widget (walk, child);
}

static void
walk_widget (Walk      *walk,
             GtkWidget *widget)
{
  gboolean was_data = walk->in_data;

  walk->in_data = was_data || gtk_widget_has_css_class (widget, "rf-data");
  walk_one (walk, widget);
  walk->in_data = was_data;
}

/* Walks @window once it has been drawn and fails with every problem
 * found. @check_ellipsis: the window is at its default size. */
static void
assert_window_translated (const char *where,
                          GtkWidget  *window,
                          gboolean    check_ellipsis)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  Walk walk = { where, problems, check_ellipsis, FALSE };

  rf_test_spin (300);
  g_assert_true (gtk_widget_get_mapped (window));
  walk_widget (&walk, window);

  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s\n", (char *) problems->pdata[i]);
  if (problems->len > 0)
    g_test_fail_printf ("%s: %u problems", where, problems->len);
}

static RfApplication *app;

static RfWindow *
get_main_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (RF_IS_WINDOW (l->data))
      return l->data;

  g_assert_not_reached ();
}

typedef struct
{
  GType       type;
  GtkWidget  *found;
} FindWindow;

static gboolean
window_shown (gpointer data)
{
  FindWindow *find = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, find->type) &&
          gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          find->found = GTK_WIDGET (window);
          return TRUE;
        }
    }

  return FALSE;
}

/* The mapped toplevel of @type, waiting for it to appear. */
static GtkWidget *
wait_for_window (GType type)
{
  FindWindow find = { type, NULL };

  g_assert_true (rf_test_wait_until (window_shown, &find, 10000));
  return find.found;
}

static gboolean
session_finished (gpointer data)
{
  RfSession *session = rf_window_get_session (data);

  return session != NULL && rf_session_get_finished (session);
}

static void
test_empty_window (void)
{
  RfWindow *window = get_main_window ();

  assert_window_translated ("empty window", GTK_WIDGET (window), TRUE);
}

static void
test_demo_window (void)
{
  RfWindow *window = get_main_window ();

  rf_window_start_demo (window, 0);
  g_assert_true (rf_test_wait_until (session_finished, window, 60000));
  adw_flap_set_reveal_flap (window->flap, TRUE);
  g_test_message ("main window: %d×%d", gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)));
  assert_window_translated ("demo with the inspector", GTK_WIDGET (window), TRUE);

  /* The compare bar's controls show once a mode is chosen. */
  rf_canvas_set_compare_mode (window->canvas, RF_COMPARE_WIPE);
  assert_window_translated ("compare", GTK_WIDGET (window), TRUE);
  rf_canvas_set_compare_mode (window->canvas, RF_COMPARE_NONE);

  gtk_menu_button_popup (window->history_button);
  assert_window_translated ("history", GTK_WIDGET (window), TRUE);
  gtk_menu_button_popdown (window->history_button);
}

/* Opens a window or dialog by its action and walks it. */
static void
check_dialog (const char *where,
              const char *action,
              GType       type,
              gboolean    check_ellipsis)
{
  RfWindow *window = get_main_window ();
  GtkWidget *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  dialog = wait_for_window (type);
  g_test_message ("%s: %d×%d", where, gtk_widget_get_width (dialog), gtk_widget_get_height (dialog));
  assert_window_translated (where, dialog, check_ellipsis);

  if (GTK_IS_FILE_CHOOSER (dialog))
    {
      g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      Walk walk = { where, problems, FALSE, FALSE };

      for (guint i = 0; i < g_list_model_get_n_items (filters); i++)
        {
          g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);

          check_text (&walk, G_OBJECT (filter), "filter", gtk_file_filter_get_name (filter));
        }
      for (guint i = 0; i < problems->len; i++)
        g_printerr ("%s\n", (char *) problems->pdata[i]);
      if (problems->len > 0)
        g_test_fail_printf ("%s: %u problems", where, problems->len);
      gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
    }
  else
    gtk_window_destroy (GTK_WINDOW (dialog));
  rf_test_spin (100);
}

static void
test_new_generation (void)
{
  check_dialog ("new generation", "win.new-generation", RF_TYPE_GENERATE_DIALOG, TRUE);
}

static void
test_preferences (void)
{
  check_dialog ("preferences", "app.preferences", RF_TYPE_PREFERENCES, TRUE);
}

static void
test_shortcuts (void)
{
  check_dialog ("shortcuts", "win.show-help-overlay", GTK_TYPE_SHORTCUTS_WINDOW, TRUE);
}

static void
test_about (void)
{
  check_dialog ("about", "app.about", ADW_TYPE_ABOUT_WINDOW, TRUE);
}

static gboolean
is_action_button (GtkWidget  *widget,
                  const char *action)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static gboolean
has_error_button (gpointer data)
{
  return rf_ui_test_find (data, is_action_button, "win.show-error") != NULL;
}

/* Opens a stream written for the test; returns once it has ended. */
static void
open_stream (RfWindow     *window,
             RfTestStream *s)
{
  g_autoptr(GBytes) bytes = rf_test_stream_to_bytes (s);
  g_autofree char *path = rf_test_write_temp_file (bytes, ".sse");
  g_autoptr(GFile) file = g_file_new_for_path (path);

  rf_window_open_file (window, file);
  g_assert_true (rf_test_wait_until (session_finished, window, 30000));
}

/* A failed run: a short toast, whose Details show the server's whole
 * message (data: it is shown as sent). */
static void
test_error_toast (void)
{
  RfWindow *window = get_main_window ();
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  GtkWidget *dialog;

  rf_test_stream_created (s, "resp_failed", 1);
  rf_test_stream_in_progress (s);
  rf_test_stream_failed (s, "server_error", "upstream_timeout after req_7f3a");
  open_stream (window, s);

  g_assert_true (rf_test_wait_until (has_error_button, window, 10000));
  assert_window_translated ("error toast", GTK_WIDGET (window), TRUE);

  gtk_widget_activate (rf_ui_test_find (GTK_WIDGET (window), is_action_button, "win.show-error"));
  dialog = wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "upstream_timeout after req_7f3a"));
  assert_window_translated ("error details", dialog, TRUE);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_file_dialogs (void)
{
  static const char * const actions[] = {
    "win.open", "win.export-frame", "win.export-frames", "win.export-contact-sheet",
    "win.export-webp", "win.export-recording",
  };
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) partial = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 1);
  g_autoptr(GBytes) final = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 2);

  /* A recording, so that every export has something to write. */
  rf_test_stream_created (s, "resp_1", 1);
  rf_test_stream_in_progress (s);
  rf_test_stream_image_call (s, 0, "ig_1", &partial, 1, final, NULL);
  rf_test_stream_completed (s, NULL, NULL, NULL);
  open_stream (get_main_window (), s);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    check_dialog (actions[i], actions[i], GTK_TYPE_FILE_CHOOSER_DIALOG, FALSE);
}

static gboolean
is_streaming (gpointer data)
{
  RfSession *session = rf_window_get_session (data);

  return session != NULL && rf_session_is_receiving (session) &&
         g_list_model_get_n_items (rf_session_get_frames (session)) > 0;
}

/* The narrowest the main window can be while a run streams, in
 * @language. */
static int
streaming_min_width (const char *language)
{
  RfWindow *window;
  int min_width;

  g_setenv ("LANGUAGE", language, TRUE);
  window = rf_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  rf_window_start_demo (window, 1.0);
  g_assert_true (rf_test_wait_until (is_streaming, window, 30000));
  rf_test_spin (300);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_width, NULL, NULL, NULL);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (window->run_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, NULL, NULL, NULL);
      g_test_message ("%s: %s %d px", language, G_OBJECT_TYPE_NAME (child), child_min);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  g_setenv ("LANGUAGE", "en_XA", TRUE);

  return min_width;
}

/* German and French fit where English does: the window's minimum width
 * while a run streams is no wider than English's, or 830 px. */
static void
test_languages_fit (void)
{
  int english = streaming_min_width ("C");
  int german = streaming_min_width ("de");
  int french = streaming_min_width ("fr");

  g_test_message ("minimum width while streaming: English %d px, German %d px, French %d px",
                  english, german, french);
  g_assert_cmpint (german, <=, MAX (english, 830));
  g_assert_cmpint (french, <=, MAX (english, 830));
}

/* The sizes the Compare Runs window and the Watch Your App panel are
 * walked at: a large screen's and a small laptop's. */
static const int walk_sizes[][2] = { { 1200, 800 }, { 1024, 600 } };

/* A recording of one image, two partials and a final, in a file. */
static GFile *
write_recording (guint seed)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) first = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, seed);
  g_autoptr(GBytes) second = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, seed + 1);
  GBytes *partials[2] = { first, second };
  g_autoptr(GBytes) final = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, seed + 2);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;

  rf_test_stream_created (s, "resp_compare", 2);
  rf_test_stream_in_progress (s);
  rf_test_stream_image_call (s, 0, "ig_1", partials, 2, final, NULL);
  rf_test_stream_completed (s, NULL, NULL, NULL);
  bytes = rf_test_stream_to_bytes (s);
  path = rf_test_write_temp_file (bytes, ".sse");

  return g_file_new_for_path (path);
}

static gboolean
compare_ready (gpointer data)
{
  return rf_compare_window_get_ready (data);
}

/* The Compare Runs window with two runs read: its pickers, the pair
 * shown, the plot and the summary table, at each size. */
static void
test_compare_window (void)
{
  g_autoptr(GFile) a = write_recording (10);
  g_autoptr(GFile) b = write_recording (20);

  for (guint i = 0; i < G_N_ELEMENTS (walk_sizes); i++)
    {
      RfCompareWindow *window = rf_compare_window_new ();
      g_autofree char *where = g_strdup_printf ("compare runs at %d×%d", walk_sizes[i][0], walk_sizes[i][1]);

      gtk_window_set_default_size (GTK_WINDOW (window), walk_sizes[i][0], walk_sizes[i][1]);
      gtk_window_present (GTK_WINDOW (window));
      rf_compare_window_open (window, a, b);
      g_assert_true (rf_test_wait_until (compare_ready, window, 30000));
      g_test_message ("%s: %d×%d", where, gtk_widget_get_width (GTK_WIDGET (window)),
                      gtk_widget_get_height (GTK_WIDGET (window)));
      assert_window_translated (where, GTK_WIDGET (window), TRUE);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* The Watch Your App panel, opened from the header bar of a window with
 * a run, at each size; and that header bar's run state. */
static void
test_listen_panel (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (walk_sizes); i++)
    {
      RfWindow *window = rf_window_new (app);
      g_autofree char *where = g_strdup_printf ("watch your app at %d×%d", walk_sizes[i][0], walk_sizes[i][1]);

      gtk_window_set_default_size (GTK_WINDOW (window), walk_sizes[i][0], walk_sizes[i][1]);
      gtk_window_present (GTK_WINDOW (window));
      rf_window_start_demo (window, 0);
      g_assert_true (rf_test_wait_until (session_finished, window, 60000));
      /* The run's state, longer here than in any language, wraps onto a
       * second line in the header bar rather than being cut. */
      {
        PangoLayout *layout;

        rf_test_spin (300);
        layout = gtk_label_get_layout (window->run_label);
        g_test_message ("%s: run state “%s” in %d lines", where, gtk_label_get_text (window->run_label),
                        pango_layout_get_line_count (layout));
        g_assert_false (pango_layout_is_ellipsized (layout));
        g_assert_cmpint (pango_layout_get_line_count (layout), <=, 2);
      }
      gtk_menu_button_popup (window->listen_button);
      assert_window_translated (where, GTK_WIDGET (window), TRUE);
      gtk_menu_button_popdown (window->listen_button);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

static void
test_no_display (void)
{
  g_test_skip ("no display");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (!rf_pseudo_setup_env ())
    {
      g_test_skip ("the pseudo-locale was not built");
      return g_test_run ();
    }

  /* The real catalogs beside the pseudo-locale's, for the widths. */
  for (guint i = 0; i < 2; i++)
    {
      const char *language = i == 0 ? "de" : "fr";
      g_autofree char *from = g_build_filename (g_getenv ("REFINERY_BUILT_LOCALEDIR"), language,
                                                "LC_MESSAGES", "refinery.mo", NULL);
      g_autofree char *dir = g_build_filename (g_getenv ("REFINERY_LOCALEDIR"), language,
                                               "LC_MESSAGES", NULL);
      g_autofree char *to = g_build_filename (dir, "refinery.mo", NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (from, &contents, &len, NULL));
      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_assert_true (g_file_set_contents (to, contents, len, NULL));
    }

  /* The accessible properties are read through the test AT context; no
   * session bus (the application runs alone). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
  data_home = g_build_filename (rf_test_get_temp_dir (), "data-home", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  setlocale (LC_ALL, "");
  rf_i18n_init ();
  textdomain (GETTEXT_PACKAGE);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/pseudo-ui/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();

  app = rf_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  g_test_add_func ("/pseudo-ui/empty-window", test_empty_window);
  g_test_add_func ("/pseudo-ui/demo-window", test_demo_window);
  g_test_add_func ("/pseudo-ui/new-generation", test_new_generation);
  g_test_add_func ("/pseudo-ui/preferences", test_preferences);
  g_test_add_func ("/pseudo-ui/shortcuts", test_shortcuts);
  g_test_add_func ("/pseudo-ui/about", test_about);
  g_test_add_func ("/pseudo-ui/error-toast", test_error_toast);
  g_test_add_func ("/pseudo-ui/file-dialogs", test_file_dialogs);
  g_test_add_func ("/pseudo-ui/compare-window", test_compare_window);
  g_test_add_func ("/pseudo-ui/listen-panel", test_listen_panel);
  /* Last: it switches languages. */
  g_test_add_func ("/pseudo-ui/languages-fit", test_languages_fit);

  status = g_test_run ();
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);

  return status;
}
