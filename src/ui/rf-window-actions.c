/*
 * rf-window-actions.c
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

#define G_LOG_DOMAIN "rf-window-actions"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rf-export.h"
#include "rf-file-util.h"
#include "rf-frame.h"
#include "rf-contact-sheet.h"
#include "rf-generate-dialog.h"
#include "rf-journal.h"
#include "rf-lane.h"
#include "rf-webp-export.h"
#include "rf-compare-window.h"
#include "rf-window-private.h"
#include "rf-text.h"

static void
open_response_cb (RfWindow             *self,
                  int                   response,
                  GtkFileChooserNative *native)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native))) != NULL)
    rf_window_open_file (self, file);

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) streams = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autofree char *runs_dir = rf_journal_dup_runs_dir ();
  g_autoptr(GFile) folder = g_file_new_for_path (runs_dir);

  native = _rf_window_new_chooser (self, _("Open Recording"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));

  gtk_file_filter_set_name (streams, _("Recorded Streams"));
  gtk_file_filter_add_suffix (streams, "sse");
  gtk_file_filter_add_suffix (streams, "jsonl");
  gtk_file_filter_add_suffix (streams, "ndjson");
  gtk_file_filter_add_mime_type (streams, "text/event-stream");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), streams);

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);

  if (g_file_query_exists (folder, NULL))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), folder, NULL);

  g_signal_connect_object (native, "response", G_CALLBACK (open_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
generate_cb (RfWindow         *self,
             RfRequest        *request,
             const char       *api_key,
             RfGenerateDialog *dialog)
{
  _rf_window_start_generation (self, request, api_key);
}

static void
present_generate_dialog (RfWindow   *self,
                         const char *prompt)
{
  RfGenerateDialog *dialog = rf_generate_dialog_new (rf_application_get_default_settings ());

  if (prompt != NULL)
    rf_generate_dialog_set_prompt (dialog, prompt);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "generate", G_CALLBACK (generate_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_generation_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);

  /* The prompt of the generation shown is kept: the usual next step is
   * to change it a little. */
  present_generate_dialog (self, self->run_request ? rf_request_get_prompt (self->run_request) : NULL);
}

/* Try Again: the failed generation's request, as it was, with its key. */
static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);
  g_autoptr(RfRequest) request = NULL;
  g_autofree char *key = NULL;

  if (self->run_request == NULL)
    return;

  /* Starting the run drops the ones kept. */
  request = g_object_ref (self->run_request);
  key = g_strdup (self->run_api_key);
  _rf_window_start_generation (self, request, key);
  if (key != NULL)
    memset (key, 0, strlen (key));
}

static void
edit_retry_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);

  present_generate_dialog (self, self->run_request ? rf_request_get_prompt (self->run_request) : NULL);
}

static void
demo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  rf_window_start_demo (RF_WINDOW (widget), 1.0);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);

  if (self->session != NULL)
    rf_session_cancel (self->session);
}

static void
error_copy_cb (AdwMessageDialog *dialog,
               const char       *response)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (dialog)),
                          g_object_get_data (G_OBJECT (dialog), "rf-detail"));
}

/* An error toast's Details: the message, which a toast would cut. */
static void
show_error_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  const char *summary, *detail;
  g_autofree char *shown = NULL;
  GtkWidget *dialog;

  g_variant_get (param, "(&s&s)", &summary, &detail);
  /* A display copy: a server's message may be megabytes, which Pango
   * would lay out on the main thread; Copy gives it whole. */
  shown = rf_text_shorten (detail, RF_TEXT_SHOW_LONG);
  /* A toast's message shortened to fit has no heading of its own. */
  dialog = adw_message_dialog_new (GTK_WINDOW (widget), *summary != '\0' ? summary : NULL, shown);
  g_object_set_data_full (G_OBJECT (dialog), "rf-detail", g_strdup (detail), g_free);
  /* TRANSLATORS: button of the error dialog: copies the whole message */
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "copy", _("_Copy"));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect (dialog, "response::copy", G_CALLBACK (error_copy_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);
  RfCompareWindow *window = rf_compare_window_new ();
  g_autoptr(GFile) journal = _rf_window_dup_journal (self);

  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  /* The run shown is A, the newest other one B. */
  rf_compare_window_pick (window, journal);
  gtk_window_present (GTK_WINDOW (window));
}

/* Two images of the run shown, side by side: how one request's images
 * refine against each other. The run is read again from its file, as
 * every comparison is. */
static void
compare_images_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);
  g_autoptr(GFile) journal = _rf_window_dup_journal (self);
  RfCompareWindow *window;

  if (journal == NULL)
    {
      /* TRANSLATORS: a run is one stream followed from start to end; the
       * demo, for one, is not recorded */
      rf_window_add_toast (self, _("Only a run kept in a file can be compared: this one was not recorded"));
      return;
    }

  window = rf_compare_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  rf_compare_window_set_lanes (window, 0, 1);
  rf_compare_window_open (window, journal, journal);
  gtk_window_present (GTK_WINDOW (window));
}

static void
listen_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);

  gtk_menu_button_popup (self->listen_button);
}

static void
toggle_inspector_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

/* The button of an export's toast: the folder in the file manager. */
static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  gtk_show_uri (GTK_WINDOW (widget), g_variant_get_string (param, NULL), GDK_CURRENT_TIME);
}

static void
toggle_overview_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);

  if (gtk_widget_get_visible (GTK_WIDGET (self->overview_button)))
    gtk_toggle_button_set_active (self->overview_button,
                                  !gtk_toggle_button_get_active (self->overview_button));
}

static void
search_events_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);

  if (self->session == NULL)
    return;
  if (!gtk_widget_get_visible (GTK_WIDGET (self->event_log)))
    _rf_window_set_event_log_shown (self, TRUE);
  rf_event_log_focus_search (self->event_log);
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);

  rf_runs_reload (self->runs);
  gtk_menu_button_popup (self->history_button);
}

/* Keys that work wherever the focus is: forwarded to the canvas and the
 * timeline, whose own actions only resolve from inside them. */
static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);
  const char *name = strchr (action_name, '.') + 1;
  g_autofree char *target = NULL;

  if (self->session == NULL)
    return;

  if (g_str_has_prefix (name, "zoom-"))
    {
      target = g_strconcat ("canvas.", name, NULL);
      gtk_widget_activate_action (GTK_WIDGET (self->canvas), target, NULL);
    }
  else
    {
      target = g_strconcat ("timeline.", name, NULL);
      gtk_widget_activate_action (GTK_WIDGET (self->timeline), target, NULL);
    }
}

void
_rf_window_class_actions_init (RfWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const forwarded[] = {
    "win.zoom-in", "win.zoom-out", "win.zoom-fit", "win.zoom-1",
    "win.next-frame", "win.previous-frame", "win.first-frame", "win.last-frame",
    "win.next-lane", "win.previous-lane", "win.play",
  };

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.new-generation", NULL, new_generation_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.edit-retry", NULL, edit_retry_action);
  gtk_widget_class_install_action (widget_class, "win.demo", NULL, demo_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.listen", NULL, listen_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "win.compare-images", NULL, compare_images_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-inspector", NULL,
                                   toggle_inspector_action);
  gtk_widget_class_install_action (widget_class, "win.open-folder", "s", open_folder_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-overview", NULL,
                                   toggle_overview_action);
  gtk_widget_class_install_action (widget_class, "win.history", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "win.search-events", NULL, search_events_action);
  gtk_widget_class_install_property_action (widget_class, "win.show-event-log", "show-event-log");
  gtk_widget_class_install_action (widget_class, "win.show-error", "(ss)", show_error_action);
  gtk_widget_class_install_action (widget_class, "win.export-frame", NULL, _rf_window_export_frame_action);
  gtk_widget_class_install_action (widget_class, "win.export-frames", NULL, _rf_window_export_frames_action);
  gtk_widget_class_install_action (widget_class, "win.export-contact-sheet", NULL,
                                   _rf_window_export_contact_sheet_action);
  gtk_widget_class_install_action (widget_class, "win.export-webp", NULL, _rf_window_export_webp_action);
  gtk_widget_class_install_action (widget_class, "win.export-heat-map", NULL, _rf_window_export_heat_map_action);
  gtk_widget_class_install_action (widget_class, "win.export-recording", NULL,
                                   _rf_window_export_recording_action);
  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    gtk_widget_class_install_action (widget_class, forwarded[i], NULL, forward_action);

}

void
_rf_window_actions_init (RfWindow *self)
{
  static const struct {
    guint       keyval;
    const char *action;
  } keys[] = {
    { GDK_KEY_Right, "win.next-frame" },
    { GDK_KEY_Left, "win.previous-frame" },
    { GDK_KEY_Home, "win.first-frame" },
    { GDK_KEY_End, "win.last-frame" },
    { GDK_KEY_Down, "win.next-lane" },
    { GDK_KEY_Up, "win.previous-lane" },
    { GDK_KEY_space, "win.play" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  /* Bubble phase, so a focused entry or list keeps its own keys; an own
   * controller, because the window class's arrow bindings (focus moves)
   * would run before any subclass binding. */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_BUBBLE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].keyval, 0),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  self->export_cancellable = g_cancellable_new ();
}

/* Menu items have no tooltips: the Export button says why the items
 * that are greyed out are. */
static void
update_export_tooltip (RfWindow *self,
                       gboolean  have_frames,
                       gboolean  have_selection,
                       gboolean  have_journal)
{
  g_autoptr(GString) text = NULL;
  RfFrame *selected = have_selection ? rf_session_get_selected_frame (self->session) : NULL;

  if (!have_frames && !have_journal)
    {
      /* TRANSLATORS: tooltip of the Export button while it is greyed out.
       * A frame is one step of an image’s refinement: a partial image or
       * the final image */
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->export_button), _("Export: nothing yet, no frame has arrived"));
      return;
    }

  text = g_string_new (_("Export"));
  if (!have_frames)
    /* TRANSLATORS: tooltip line under "Export": why the image exports are
     * greyed out. A frame is one step of an image’s refinement */
    g_string_append_printf (text, "\n%s", _("Frames, contact sheet, animation: no frame has arrived"));
  else if (!rf_webp_export_is_supported ())
    /* TRANSLATORS: tooltip line under "Export": why Animated WebP is greyed out */
    g_string_append_printf (text, "\n%s", _("Animated WebP: this system has no WebP encoder"));
  if (have_frames && selected != NULL && rf_frame_get_partial_index (selected) == 0)
    /* TRANSLATORS: tooltip line under "Export": why "Where the Frame
     * Changed" is greyed out. A frame is one step of an image’s refinement;
     * the first partial image changed from nothing */
    g_string_append_printf (text, "\n%s", _("Where the Frame Changed: the selected frame is its image’s first"));
  if (!have_journal)
    /* TRANSLATORS: tooltip line under "Export": why Raw Recording is greyed
     * out (its journal could not be written). A run is one generation */
    g_string_append_printf (text, "\n%s", _("Raw Recording: this run was not recorded"));

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->export_button), text->str);
}

void
_rf_window_actions_update (RfWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean have_session = self->session != NULL;
  gboolean have_frames = have_session &&
                         g_list_model_get_n_items (rf_session_get_frames (self->session)) > 0;
  gboolean have_selection = have_session && rf_session_get_selected_frame (self->session) != NULL;
  gboolean whole_run = have_frames && rf_session_get_finished (self->session);
  g_autoptr(GFile) journal = _rf_window_dup_journal (self);
  gboolean running = FALSE;
  static const char * const view_actions[] = {
    "win.zoom-in", "win.zoom-out", "win.zoom-fit", "win.zoom-1",
    "win.next-frame", "win.previous-frame", "win.first-frame", "win.last-frame",
    "win.next-lane", "win.previous-lane", "win.play",
  };

  if (have_session)
    running = rf_session_is_receiving (self->session);

  gtk_widget_action_set_enabled (widget, "win.cancel", running && self->session_owned);
  gtk_widget_action_set_enabled (widget, "win.export-frame", have_selection);
  /* The whole-run exports wait for the run to end: mid-run they would
   * write a half-built run (frames still decoding, measures missing). */
  gtk_widget_action_set_enabled (widget, "win.export-frames", whole_run);
  gtk_widget_action_set_enabled (widget, "win.export-contact-sheet", whole_run);
  gtk_widget_action_set_enabled (widget, "win.export-webp",
                                 whole_run && rf_webp_export_is_supported ());
  /* An image's first frame changed from nothing. */
  gtk_widget_action_set_enabled (widget, "win.export-heat-map",
                                 have_selection &&
                                 rf_frame_get_partial_index (rf_session_get_selected_frame (self->session)) != 0);
  gtk_widget_action_set_enabled (widget, "win.export-recording", journal != NULL);
  gtk_widget_action_set_enabled (widget, "win.toggle-inspector", have_session);
  /* The overview is for runs of several images. */
  {
    gboolean several = have_session && g_list_model_get_n_items (rf_session_get_lanes (self->session)) > 1;

    gtk_widget_action_set_enabled (widget, "win.toggle-overview", several);
    gtk_widget_set_visible (GTK_WIDGET (self->overview_button), several);
    if (!several)
      gtk_toggle_button_set_active (self->overview_button, FALSE);
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), have_frames || journal != NULL);
  update_export_tooltip (self, have_frames, have_selection, journal != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->export_button), have_session);
  gtk_widget_set_visible (GTK_WIDGET (self->inspector_button), have_session);
  for (guint i = 0; i < G_N_ELEMENTS (view_actions); i++)
    gtk_widget_action_set_enabled (widget, view_actions[i], have_frames);
}
