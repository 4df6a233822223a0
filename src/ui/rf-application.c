/*
 * rf-application.c
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

#define G_LOG_DOMAIN "rf-application"

#include "config.h"

#include <glib/gi18n.h>

#include "rf-application.h"
#include "rf-sched.h"
#include "rf-preferences.h"
#include "rf-window.h"

struct _RfApplication
{
  AdwApplication  parent_instance;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (RfApplication, rf_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 'd', 0, G_OPTION_ARG_NONE, NULL,
    N_("Start the built-in demo stream (no key, no network)"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print version information and exit"), NULL },
  { NULL }
};

static RfWindow *
get_window (RfApplication *self,
            gboolean       want_empty)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (RF_IS_WINDOW (window) && (!want_empty || rf_window_get_session (RF_WINDOW (window)) == NULL))
    return RF_WINDOW (window);

  /* A window that shows a run is left alone: a second run gets its own. */
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (RF_IS_WINDOW (l->data) && rf_window_get_session (l->data) == NULL)
        return l->data;
    }

  return rf_window_new (self);
}

static void
print_version (void)
{
  g_autoptr(GString) formats = g_string_new (NULL);
  GSList *list = gdk_pixbuf_get_formats ();

  for (GSList *l = list; l; l = l->next)
    {
      if (formats->len)
        g_string_append (formats, ", ");
      g_string_append (formats, gdk_pixbuf_format_get_name (l->data));
    }
  g_slist_free (list);

  g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
  g_print ("  GLib         %u.%u.%u (compiled against %u.%u.%u)\n",
           glib_major_version, glib_minor_version, glib_micro_version,
           GLIB_MAJOR_VERSION, GLIB_MINOR_VERSION, GLIB_MICRO_VERSION);
  g_print ("  GTK          %u.%u.%u (compiled against %u.%u.%u)\n",
           gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
           GTK_MAJOR_VERSION, GTK_MINOR_VERSION, GTK_MICRO_VERSION);
  g_print ("  libadwaita   %u.%u.%u (compiled against %u.%u.%u)\n",
           adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version (),
           ADW_MAJOR_VERSION, ADW_MINOR_VERSION, ADW_MICRO_VERSION);
  g_print ("  Image loaders: %s\n", formats->str);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  RfApplication *self = user_data;

  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_destroy (window);
    }
}

static void
demo_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  RfApplication *self = user_data;
  RfWindow *window = get_window (self, TRUE);

  rf_window_start_demo (window, 1.0);
  gtk_window_present (GTK_WINDOW (window));
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  RfApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (rf_window_new (self)));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  RfApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  RfPreferences *prefs = rf_preferences_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  RfApplication *self = user_data;
  static const char *developers[] = { "The Refinery authors", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        /* TRANSLATORS: title of the About window */
                        "title", _("About Refinery"),
                        "application-icon", APP_ID,
                        "application-name", _("Refinery"),
                        "developer-name", _("The Refinery authors"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        /* TRANSLATORS: the About window’s description. A
                         * frame is one step of an image’s refinement: a
                         * partial image or the final image */
                        "comments", _("Watch AI images sharpen while they are generated: "
                                      "every partial frame of a streamed generation, "
                                      "on a timeline you can scrub, compare and export."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", _("© 2026 The Refinery authors"),
                        /* Translators: replace with your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "demo", demo_action },
  { "new-window", new_window_action },
  { "preferences", preferences_action },
  { "about", about_action },
};

static int
rf_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      print_version ();
      return EXIT_SUCCESS;
    }

  if (g_variant_dict_contains (options, "demo"))
    {
      /* Forward to the primary instance, which may be another process. */
      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
      /* The primary instance keeps running; a remote one is done. */
      return g_application_get_is_remote (app) ? EXIT_SUCCESS : -1;
    }

  return -1;
}

static void
rf_application_activate (GApplication *app)
{
  RfApplication *self = RF_APPLICATION (app);
  RfWindow *window = get_window (self, FALSE);

  gtk_window_present (GTK_WINDOW (window));
}

static void
rf_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  RfApplication *self = RF_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      RfWindow *window = get_window (self, TRUE);

      /* An event stream's URL is followed live, not read as a file. */
      if (g_file_has_uri_scheme (files[i], "http") || g_file_has_uri_scheme (files[i], "https"))
        {
          g_autofree char *uri = g_file_get_uri (files[i]);

          rf_window_open_url (window, uri);
        }
      else
        {
          rf_window_open_file (window, files[i]);
        }
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
rf_application_startup (GApplication *app)
{
  RfApplication *self = RF_APPLICATION (app);
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.new-generation", { "<Control>n", NULL } },
    { "win.cancel", { "Escape", NULL } },
    { "win.toggle-inspector", { "F9", NULL } },
    { "win.toggle-overview", { "<Control>g", NULL } },
    { "win.history", { "<Control>h", NULL } },
    { "win.search-events", { "<Control>f", NULL } },
    { "win.listen", { "<Control>l", NULL } },
    { "win.export-frame", { "<Control>e", NULL } },
    { "win.export-frames", { "<Control><Shift>e", NULL } },
    { "win.show-help-overlay", { "<Control>question", "<Control>F1", NULL } },
    { "canvas.zoom-in", { "<Control>plus", "<Control>equal", NULL } },
    { "canvas.zoom-out", { "<Control>minus", NULL } },
    { "canvas.zoom-fit", { "<Control>0", NULL } },
    { "canvas.zoom-1", { "<Control>1", NULL } },
  };

  G_APPLICATION_CLASS (rf_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);

  gtk_window_set_default_icon_name (APP_ID);

  /* REFINERY_PROFILE=1 logs main-loop stalls and frame latencies. */
  rf_stall_monitor_start_if_enabled (NULL);
}

static void
rf_application_shutdown (GApplication *app)
{
  rf_stall_monitor_stop ();

  G_APPLICATION_CLASS (rf_application_parent_class)->shutdown (app);
}

static void
rf_application_dispose (GObject *object)
{
  RfApplication *self = RF_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rf_application_parent_class)->dispose (object);
}

static void
rf_application_class_init (RfApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = rf_application_dispose;

  app_class->activate = rf_application_activate;
  app_class->open = rf_application_open;
  app_class->startup = rf_application_startup;
  app_class->shutdown = rf_application_shutdown;
  app_class->handle_local_options = rf_application_handle_local_options;
}

static void
rf_application_init (RfApplication *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[RECORDING…]"));

  /* Uninstalled runs and tests may lack the schema: then the app works
   * with built-in defaults instead of aborting in g_settings_new(). */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new_full (schema, NULL, NULL);
  else
    g_debug ("Schema %s not found: using defaults", APP_ID);
}

RfApplication *
rf_application_new (void)
{
  return g_object_new (RF_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

GSettings *
rf_application_get_settings (RfApplication *self)
{
  g_return_val_if_fail (RF_IS_APPLICATION (self), NULL);

  return self->settings;
}

GSettings *
rf_application_get_default_settings (void)
{
  GApplication *app = g_application_get_default ();

  if (RF_IS_APPLICATION (app))
    return RF_APPLICATION (app)->settings;

  return NULL;
}
