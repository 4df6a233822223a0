/*
 * rf-http-test-util.h
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

#define G_LOG_DOMAIN "rf-listen-panel"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rf-listen-panel.h"

#define DEFAULT_UPSTREAM "https://api.openai.com"
#define DEFAULT_PORT     8788

struct _RfListenPanel
{
  GtkWidget       parent_instance;

  GSettings      *settings;
  RfTap          *tap;
  GtkSortListModel *sorted;
  char           *hint;
  guint16         port;
  gboolean        port_set;
  gboolean        listening;
  guint           copied_source;

  GtkWidget      *box;
  GtkEntry       *upstream_entry;
  GtkButton      *start_button;
  GtkLabel       *error_label;
  GtkWidget      *address_box;
  GtkLabel       *address_caption;
  GtkLabel       *address_label;
  GtkButton      *copy_button;
  GtkStack       *runs_stack;
  GtkListBox     *runs_list;
  GtkLabel       *passed_label;
};

G_DEFINE_FINAL_TYPE (RfListenPanel, rf_listen_panel, GTK_TYPE_WIDGET)

enum {
  RUN_STARTED,
  RUN_ACTIVATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

enum {
  PROP_0,
  PROP_LISTENING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
update_row (AdwActionRow *row)
{
  RfTapRun *run = g_object_get_data (G_OBJECT (row), "rf-run");
  g_autofree char *frames = NULL;
  g_autofree char *subtitle = NULL;
  const char *model = rf_tap_run_get_model (run);
  guint n_frames = rf_tap_run_get_n_frames (run);

  frames = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u frame", "%u frames", n_frames), n_frames);
  /* Translators: a tapped stream in the Listen panel: model, HTTP status,
   * run state, frames, e.g. "gpt-image-1 · HTTP 200 · Receiving · 2 frames" */
  subtitle = g_strdup_printf (_("%s · HTTP %u · %s · %s"),
                              model != NULL ? model : _("no model named"),
                              rf_tap_run_get_status (run),
                              rf_session_state_to_display (rf_tap_run_get_state (run)),
                              frames);
  adw_action_row_set_subtitle (row, subtitle);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  RfTapRun *run = item;
  RfSession *session = rf_tap_run_get_session (run);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf ("%s %s", rf_tap_run_get_method (run), rf_tap_run_get_path (run));
  g_autofree char *number = g_strdup_printf ("#%u", rf_tap_run_get_index (run));
  GtkWidget *label = gtk_label_new (number);

  g_object_set_data_full (G_OBJECT (row), "rf-run", g_object_ref (run), g_object_unref);
  /* The method and path are the client's: shown as text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), label);

  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::state", G_CALLBACK (update_row), row, G_CONNECT_SWAPPED);
      g_signal_connect_object (rf_session_get_frames (session), "items-changed",
                               G_CALLBACK (update_row), row, G_CONNECT_SWAPPED);
    }
  update_row (ADW_ACTION_ROW (row));

  return row;
}

static int
newest_first (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  guint ia = rf_tap_run_get_index ((RfTapRun *) a);
  guint ib = rf_tap_run_get_index ((RfTapRun *) b);

  return ia < ib ? 1 : ia > ib ? -1 : 0;
}

static void
update_passed (RfListenPanel *self)
{
  g_autofree char *text = NULL;
  guint n = self->tap ? rf_tap_get_n_passed (self->tap) : 0;

  gtk_widget_set_visible (GTK_WIDGET (self->passed_label), n > 0);
  if (n == 0)
    return;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u other request passed through",
                                       "%u other requests passed through", n), n);
  gtk_label_set_label (self->passed_label, text);
}

static void
update_state (RfListenPanel *self)
{
  guint n_runs = self->sorted ? g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) : 0;

  gtk_stack_set_visible_child_name (self->runs_stack, n_runs > 0 ? "list" : "empty");
  gtk_widget_set_visible (self->address_box, self->listening);
  gtk_editable_set_editable (GTK_EDITABLE (self->upstream_entry), !self->listening);
  gtk_button_set_label (self->start_button, self->listening ? _("_Stop") : _("_Listen"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->start_button),
                               self->listening ? _("Stop Listening") : _("Start Listening"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->start_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->listening ? _("Stop Listening") : _("Start Listening"),
                                  -1);
  if (self->listening)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->start_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->start_button), "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->start_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->start_button), "suggested-action");
    }
  update_passed (self);
}

static void
show_error (RfListenPanel *self,
            const char    *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
runs_changed_cb (RfListenPanel *self,
                 guint          position,
                 guint          removed,
                 guint          added,
                 GListModel    *model)
{
  update_state (self);
}

static void
tap_run_started_cb (RfListenPanel *self,
                    RfTapRun      *run,
                    RfTap         *tap)
{
  g_signal_emit (self, signals [RUN_STARTED], 0, run);
}

static void
tap_request_passed_cb (RfListenPanel *self,
                       const char    *method,
                       const char    *path,
                       guint          status,
                       RfTap         *tap)
{
  update_passed (self);
}

static void
row_activated_cb (RfListenPanel *self,
                  GtkListBoxRow *row,
                  GtkListBox    *list_box)
{
  RfTapRun *run = g_object_get_data (G_OBJECT (row), "rf-run");

  if (run != NULL)
    g_signal_emit (self, signals [RUN_ACTIVATED], 0, run);
}

static gboolean
upstream_is_valid (const char  *upstream,
                   GError     **error)
{
  g_autoptr(RfTap) tap = rf_tap_new (upstream, error);

  return tap != NULL;
}

static void
entry_changed_cb (RfListenPanel *self,
                  GtkEditable   *editable)
{
  const char *text = gtk_editable_get_text (editable);
  gboolean valid = upstream_is_valid (text, NULL);

  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->upstream_entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->upstream_entry), "error");
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), valid || self->listening);
  if (!self->listening)
    show_error (self, NULL);
}

static void
start_clicked_cb (RfListenPanel *self)
{
  g_autoptr(GError) error = NULL;

  if (self->listening)
    rf_listen_panel_stop (self);
  else
    rf_listen_panel_start (self, &error);
}

static void
entry_activate_cb (RfListenPanel *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->listening)
    rf_listen_panel_start (self, &error);
}

static gboolean
copied_done_cb (gpointer data)
{
  RfListenPanel *self = data;

  self->copied_source = 0;
  gtk_button_set_icon_name (self->copy_button, "edit-copy-symbolic");

  return G_SOURCE_REMOVE;
}

static void
copy_clicked_cb (RfListenPanel *self)
{
  if (self->hint == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->hint);
  /* A tick for a moment says it was copied. */
  gtk_button_set_icon_name (self->copy_button, "object-select-symbolic");
  g_clear_handle_id (&self->copied_source, g_source_remove);
  self->copied_source = g_timeout_add (1500, copied_done_cb, self);
}

static void
rf_listen_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RfListenPanel *self = RF_LISTEN_PANEL (object);

  switch (prop_id)
    {
    case PROP_LISTENING:
      g_value_set_boolean (value, self->listening);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_listen_panel_dispose (GObject *object)
{
  RfListenPanel *self = RF_LISTEN_PANEL (object);

  if (self->tap != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tap, self);
      rf_tap_stop (self->tap);
    }
  g_clear_handle_id (&self->copied_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), RF_TYPE_LISTEN_PANEL);
  g_clear_object (&self->sorted);
  g_clear_object (&self->tap);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->hint, g_free);

  G_OBJECT_CLASS (rf_listen_panel_parent_class)->dispose (object);
}

static void
rf_listen_panel_class_init (RfListenPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_listen_panel_dispose;
  object_class->get_property = rf_listen_panel_get_property;

  properties [PROP_LISTENING] =
    g_param_spec_boolean ("listening", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [RUN_STARTED] =
    g_signal_new ("run-started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RF_TYPE_TAP_RUN);
  signals [RUN_ACTIVATED] =
    g_signal_new ("run-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RF_TYPE_TAP_RUN);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/rf-listen-panel.ui");
  /* Bound so that disposing the template unparents it. */
  gtk_widget_class_bind_template_child (widget_class, RfListenPanel, box);
  gtk_widget_class_bind_template_child (widget_class, RfListenPanel, upstream_entry);
  gtk_widget_class_bind_template_child (widget_class, RfListenPanel, start_button);
  gtk_widget_class_bind_template_child (widget_class, RfListenPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, RfListenPanel, address_box);
  gtk_widget_class_bind_template_child (widget_class, RfListenPanel, address_caption);
  gtk_widget_class_bind_template_child (widget_class, RfListenPanel, address_label);
  gtk_widget_class_bind_template_child (widget_class, RfListenPanel, copy_button);
  gtk_widget_class_bind_template_child (widget_class, RfListenPanel, runs_stack);
  gtk_widget_class_bind_template_child (widget_class, RfListenPanel, runs_list);
  gtk_widget_class_bind_template_child (widget_class, RfListenPanel, passed_label);
  gtk_widget_class_bind_template_callback (widget_class, start_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rflistenpanel");
}

static void
rf_listen_panel_init (RfListenPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->port = DEFAULT_PORT;
  gtk_editable_set_text (GTK_EDITABLE (self->upstream_entry), DEFAULT_UPSTREAM);
  update_state (self);
}

GtkWidget *
rf_listen_panel_new (void)
{
  return g_object_new (RF_TYPE_LISTEN_PANEL, NULL);
}

void
rf_listen_panel_set_settings (RfListenPanel *self,
                              GSettings     *settings)
{
  g_autofree char *upstream = NULL;

  g_return_if_fail (RF_IS_LISTEN_PANEL (self));
  g_return_if_fail (!settings || G_IS_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings) || settings == NULL)
    return;

  upstream = g_settings_get_string (settings, "listen-upstream");
  if (!self->listening && upstream[0] != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->upstream_entry), upstream);
}

void
rf_listen_panel_set_upstream (RfListenPanel *self,
                              const char    *upstream)
{
  g_return_if_fail (RF_IS_LISTEN_PANEL (self));
  g_return_if_fail (upstream != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->upstream_entry), upstream);
}

void
rf_listen_panel_set_port (RfListenPanel *self,
                          guint16        port)
{
  g_return_if_fail (RF_IS_LISTEN_PANEL (self));

  self->port = port;
  self->port_set = TRUE;
}

char *
rf_listen_panel_hint_for (const char *upstream,
                          const char *tap_uri)
{
  g_autoptr(GUri) uri = g_uri_parse (upstream, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  const char *path = uri ? g_uri_get_path (uri) : "";
  /* An upstream that names its API's path already takes the SDK's
   * paths as they are. */
  gboolean bare = path[0] == '\0' || strcmp (path, "/") == 0;

  if (host != NULL && g_str_has_suffix (host, "googleapis.com"))
    return g_strdup (tap_uri);
  if (host != NULL && g_str_has_suffix (host, "openrouter.ai"))
    return g_strdup_printf ("OPENAI_BASE_URL=%s%s", tap_uri, bare ? "/api/v1" : "");

  return g_strdup_printf ("OPENAI_BASE_URL=%s%s", tap_uri, bare ? "/v1" : "");
}

gboolean
rf_listen_panel_start (RfListenPanel  *self,
                       GError        **error)
{
  g_autoptr(RfTap) tap = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;
  const char *upstream;
  guint16 port = self->port;

  g_return_val_if_fail (RF_IS_LISTEN_PANEL (self), FALSE);

  if (self->listening)
    return TRUE;

  upstream = gtk_editable_get_text (GTK_EDITABLE (self->upstream_entry));
  if (self->settings != NULL && !self->port_set)
    port = (guint16) CLAMP (g_settings_get_int (self->settings, "listen-port"), 0, G_MAXUINT16);

  if (!(tap = rf_tap_new (upstream, &local_error)) ||
      !rf_tap_listen (tap, "127.0.0.1", port, &local_error))
    {
      g_autofree char *text = NULL;

      /* Translators: the Listen panel could not start; %s says why */
      text = g_strdup_printf (_("Cannot listen: %s"), local_error->message);
      show_error (self, text);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* The streams of an earlier listening stay in the list until now. */
  if (self->tap != NULL)
    g_signal_handlers_disconnect_by_data (self->tap, self);
  g_set_object (&self->tap, tap);
  g_signal_connect_object (tap, "run-started", G_CALLBACK (tap_run_started_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (tap, "request-passed", G_CALLBACK (tap_request_passed_cb), self, G_CONNECT_SWAPPED);

  g_clear_object (&self->sorted);
  self->sorted = gtk_sort_list_model_new (g_object_ref (rf_tap_get_runs (tap)),
                                          GTK_SORTER (gtk_custom_sorter_new (newest_first, NULL, NULL)));
  g_signal_connect_object (self->sorted, "items-changed", G_CALLBACK (runs_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->runs_list, G_LIST_MODEL (self->sorted), create_row, NULL, NULL);

  uri = rf_tap_dup_uri (tap);
  g_free (self->hint);
  self->hint = rf_listen_panel_hint_for (rf_tap_get_upstream (tap), uri);
  gtk_label_set_label (self->address_label, self->hint);
  gtk_label_set_label (self->address_caption,
                       g_str_has_prefix (self->hint, "OPENAI_BASE_URL=")
                       /* TRANSLATORS: “run” is the verb: start the app */
                       ? _("Set this in your app’s environment, then run it:")
                       /* TRANSLATORS: “run” is the verb: start the client */
                       : _("Set this as your client’s base URL, then run it:"));

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "listen-upstream", rf_tap_get_upstream (tap));

  self->listening = TRUE;
  show_error (self, NULL);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LISTENING]);

  return TRUE;
}

void
rf_listen_panel_stop (RfListenPanel *self)
{
  g_return_if_fail (RF_IS_LISTEN_PANEL (self));

  if (!self->listening)
    return;

  /* The tap and its runs stay, so the list does too. */
  rf_tap_stop (self->tap);
  self->listening = FALSE;
  g_clear_pointer (&self->hint, g_free);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LISTENING]);
}

gboolean
rf_listen_panel_get_listening (RfListenPanel *self)
{
  g_return_val_if_fail (RF_IS_LISTEN_PANEL (self), FALSE);

  return self->listening;
}

RfTap *
rf_listen_panel_get_tap (RfListenPanel *self)
{
  g_return_val_if_fail (RF_IS_LISTEN_PANEL (self), NULL);

  return self->listening ? self->tap : NULL;
}

const char *
rf_listen_panel_get_hint (RfListenPanel *self)
{
  g_return_val_if_fail (RF_IS_LISTEN_PANEL (self), NULL);

  return self->hint;
}

RfTapRun *
rf_listen_panel_get_newest (RfListenPanel *self)
{
  g_autoptr(RfTapRun) run = NULL;

  g_return_val_if_fail (RF_IS_LISTEN_PANEL (self), NULL);

  if (self->sorted == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) == 0)
    return NULL;

  /* The tap's list keeps it alive. */
  run = g_list_model_get_item (G_LIST_MODEL (self->sorted), 0);
  return run;
}
