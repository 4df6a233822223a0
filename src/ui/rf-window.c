/*
 * rf-window.c
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

#define G_LOG_DOMAIN "rf-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rf-demo-source.h"
#include "rf-diagnostic.h"
#include "rf-error-toast.h"
#include "rf-event.h"
#include "rf-file-source.h"
#include "rf-frame.h"
#include "rf-http-source.h"
#include "rf-lane.h"
#include "rf-renderer.h"
#include "rf-sched.h"
#include "rf-window-private.h"
#include "rf-text.h"

G_DEFINE_FINAL_TYPE (RfWindow, rf_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SHOW_EVENT_LOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Widths at which the window changes its layout (libadwaita 1.2 has no
 * breakpoints): below WIDE the inspector folds over the content (it
 * takes 340 px a canvas needs more), below NARROW the header bar sheds
 * its labels, so the window goes down to half of a small screen. */
#define LAYOUT_WIDE_PX   1000
#define LAYOUT_NARROW_PX 760

enum {
  LAYOUT_UNSET = -1,
  LAYOUT_WIDE,
  LAYOUT_FOLDED,
  LAYOUT_NARROW,
};

static void
update_run_state (RfWindow *self)
{
  g_autofree char *frames = NULL;
  g_autofree char *text = NULL;
  RfSessionState state;
  gboolean running;
  guint n_frames;
  double seconds;

  if (self->session == NULL)
    {
      gtk_widget_set_visible (self->run_box, FALSE);
      return;
    }

  state = rf_session_get_state (self->session);
  running = rf_session_is_receiving (self->session) || !rf_session_get_finished (self->session);
  if (state == RF_SESSION_STATE_FAILED || state == RF_SESSION_STATE_CANCELLED)
    running = FALSE;
  n_frames = g_list_model_get_n_items (rf_session_get_frames (self->session));
  seconds = rf_session_get_elapsed_ms (self->session) / 1000.0;

  frames = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u frame", "%u frames", n_frames),
                            n_frames);
  /* A narrow header bar keeps the count; the spinner, the buttons and
   * the inspector say the rest. While a run streams the spinner, the
   * Follow Live and Cancel buttons share the header bar with the label:
   * the spinner says the state (tooltip, accessible name), so the label
   * leaves it out and the window stays as narrow in a longer language as
   * in English. */
  if (self->layout == LAYOUT_NARROW)
    text = g_strdup (frames);
  else if (running)
    /* TRANSLATORS: run progress in the header bar while receiving, beside
     * a spinner: "2.4 s · 3 frames" */
    text = g_strdup_printf (_("%.1f s · %s"), seconds, frames);
  else
    /* TRANSLATORS: run state in the header bar once the run has ended:
     * "Finished · 5.2 s · 4 frames" */
    text = g_strdup_printf (_("%s · %.1f s · %s"), rf_session_state_to_display (state), seconds,
                            frames);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_label), rf_session_state_to_display (state));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->spinner), rf_session_state_to_display (state));

  gtk_widget_set_visible (self->run_box, TRUE);
  gtk_label_set_label (self->run_label, text);
  /* The header bar gives its end a label's minimum width: a short state
   * asks for its whole width, a long one wraps onto a second line. */
  gtk_label_set_width_chars (self->run_label,
                             MIN ((int) g_utf8_strlen (text, -1), self->layout == LAYOUT_NARROW ? 8 : 24));
  /* Narrow and streaming, the spinner and the two buttons take the room:
   * the timeline counts the frames. */
  gtk_widget_set_visible (GTK_WIDGET (self->run_label), !(running && self->layout == LAYOUT_NARROW));
  rf_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  /* Cancelling a tapped stream would only stop watching it. */
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running && self->session_owned);
  gtk_widget_set_visible (GTK_WIDGET (self->follow_button), running);
  gtk_widget_set_visible (self->retry_button,
                          state == RF_SESSION_STATE_FAILED && self->run_request != NULL);

  if (!running)
    g_clear_handle_id (&self->tick_source, g_source_remove);

  _rf_window_actions_update (self);
}

/* The run label changes size with its text: it changes with the pacer's
 * updates, in the frame that lays out the other widgets' changes. */
static void
queue_run_state (RfWindow *self)
{
  self->run_state_dirty = TRUE;
  rf_pacer_queue_update (self->pacer);
}

static void
pacer_update_cb (RfWindow *self,
                 RfPacer  *pacer)
{
  gint64 start = g_get_monotonic_time ();

  if (!self->run_state_dirty)
    return;

  self->run_state_dirty = FALSE;
  update_run_state (self);
  rf_stall_monitor_add_phase ("header", g_get_monotonic_time () - start);
}

static gboolean
tick_cb (gpointer user_data)
{
  queue_run_state (user_data);

  return G_SOURCE_CONTINUE;
}

static void
session_state_changed_cb (RfWindow   *self,
                          GParamSpec *pspec,
                          RfSession  *session)
{
  RfSessionState state = rf_session_get_state (session);

  if (state == RF_SESSION_STATE_FAILED)
    {
      const GError *error = rf_session_get_error (session);
      const char *message = rf_session_get_failure_message (session);

      if (error != NULL)
        message = error->message;
      if (message == NULL)
        message = _("The stream ended with an error");
      /* TRANSLATORS: toast when a run ends in failure; its Details button
       * shows the server's or the system's message */
      rf_window_add_error_toast (self, _("The run failed"), message);
    }

  queue_run_state (self);
}

/* The start page as the template has it, for the next run after one
 * that showed "no images" there. */
static void
restore_start_page (RfWindow *self)
{
  if (self->start_title == NULL)
    {
      self->start_title = g_strdup (adw_status_page_get_title (self->status_page));
      self->start_description = g_strdup (adw_status_page_get_description (self->status_page));
      self->start_icon = g_strdup (adw_status_page_get_icon_name (self->status_page));
      return;
    }
  adw_status_page_set_icon_name (self->status_page, self->start_icon);
  adw_status_page_set_title (self->status_page, self->start_title);
  adw_status_page_set_description (self->status_page, self->start_description);
}

/* The "no-images" diagnostic of a run that ended without a single frame
 * ("OpenAI chat completions, text only: no image in this stream", "not
 * an image event stream: …"), or NULL. */
static const char *
no_images_message (RfSession *session)
{
  GListModel *diagnostics = rf_session_get_diagnostics (session);

  if (g_list_model_get_n_items (rf_session_get_frames (session)) > 0)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (diagnostics); i++)
    {
      g_autoptr(RfDiagnostic) diagnostic = g_list_model_get_item (diagnostics, i);

      if (g_strcmp0 (rf_diagnostic_get_code (diagnostic), "no-images") == 0)
        return rf_diagnostic_get_message (diagnostic);
    }

  return NULL;
}

/* The start page again, saying what the stream was, rather than an empty
 * canvas: there is nothing to scrub. The event log stays a click away
 * through the history. */
static void
show_no_images (RfWindow   *self,
                const char *message)
{
  /* AdwStatusPage reads its description as markup; the message quotes
   * the stream. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_status_page_set_icon_name (self->status_page, "image-missing-symbolic");
  adw_status_page_set_title (self->status_page, _("No Images in This Stream"));
  adw_status_page_set_description (self->status_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
session_finished_cb (RfWindow  *self,
                     RfSession *session)
{
  const char *no_images = no_images_message (session);

  if (no_images != NULL)
    show_no_images (self, no_images);
  update_run_state (self);
  rf_stall_monitor_stream_finished ();
}

static void
session_frames_changed_cb (RfWindow   *self,
                           guint       position,
                           guint       removed,
                           guint       added,
                           GListModel *frames)
{
  queue_run_state (self);
}

/* A diagnostic about an event leads to it: the frame it made, or the
 * frame of the selected image shown at its time, and its row in the
 * log. */
static void
diagnostic_activated_cb (RfWindow     *self,
                         RfDiagnostic *diagnostic,
                         RfInspector  *inspector)
{
  gint64 seq = rf_diagnostic_get_sequence_number (diagnostic);
  GListModel *events;
  GListModel *frames;
  RfPlayer *player = rf_timeline_get_player (self->timeline);
  g_autoptr(RfEvent) event = NULL;
  RfFrame *selected;
  RfFrame *target = NULL;
  guint n;

  if (self->session == NULL || seq < 0)
    return;

  events = rf_session_get_events (self->session);
  n = g_list_model_get_n_items (events);
  for (guint i = 0; i < n && event == NULL; i++)
    {
      g_autoptr(RfEvent) candidate = g_list_model_get_item (events, i);

      if (rf_event_get_sequence_number (candidate) == seq)
        event = g_steal_pointer (&candidate);
    }
  if (event == NULL)
    return;

  frames = rf_session_get_frames (self->session);
  n = g_list_model_get_n_items (frames);
  for (guint i = 0; i < n && target == NULL; i++)
    {
      RfFrame *frame = g_list_model_get_item (frames, i);

      if (rf_frame_get_event_position (frame) == rf_event_get_position (event))
        target = frame;
      g_object_unref (frame);
    }
  if (target == NULL)
    {
      selected = rf_session_get_selected_frame (self->session);
      target = rf_player_get_nearest_frame (player, selected ? rf_frame_get_lane_index (selected) : 0,
                                            (double) rf_event_get_t_ms (event));
    }

  rf_session_set_follow (self->session, FALSE);
  if (target != NULL)
    rf_player_select_frame (player, target);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->event_log)))
    _rf_window_set_event_log_shown (self, TRUE);
  rf_event_log_show_event (self->event_log, event);

  /* Folded over the content, the inspector steps aside. */
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

/* The overview: every image's newest frame; a tile chosen shows that
 * image's newest frame on the canvas. */
static void
overview_toggled_cb (RfWindow        *self,
                     GtkToggleButton *button)
{
  gtk_stack_set_visible_child_name (self->view_stack,
                                    gtk_toggle_button_get_active (button) ? "overview" : "canvas");
}

static void
overview_lane_activated_cb (RfWindow   *self,
                            guint       lane_index,
                            RfOverview *overview)
{
  RfLane *lane = self->session ? rf_session_get_lane (self->session, lane_index) : NULL;
  GListModel *frames = lane ? rf_lane_get_frames (lane) : NULL;
  guint n = frames ? g_list_model_get_n_items (frames) : 0;

  if (n > 0)
    {
      g_autoptr(RfFrame) newest = g_list_model_get_item (frames, n - 1);

      rf_player_select_frame (rf_timeline_get_player (self->timeline), newest);
    }
  gtk_toggle_button_set_active (self->overview_button, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
runs_activated_cb (RfWindow *self,
                   GFile    *file,
                   RfRuns   *runs)
{
  gtk_menu_button_popdown (self->history_button);
  rf_window_open_file (self, file);
}

static void
configure_session (RfWindow  *self,
                   RfSession *session)
{
  GSettings *settings = rf_application_get_default_settings ();

  /* The inspector shows how each frame refines (measured off this thread). */
  rf_session_set_analyze (session, TRUE);
  /* A live frame's rows are drawn as they decode, before its event ends. */
  rf_session_set_show_arriving (session, TRUE);
  if (settings != NULL)
    {
      rf_session_set_pixel_cache_size (session,
                                       (gsize) g_settings_get_int (settings, "pixel-cache-mb") << 20);
      if (g_settings_get_int (settings, "decode-workers") > 0)
        rf_session_set_n_workers (session, g_settings_get_int (settings, "decode-workers"));
      rf_session_set_follow (session, g_settings_get_boolean (settings, "follow-live"));
    }
  else
    {
      rf_session_set_pixel_cache_size (session, (gsize) 512 << 20);
      rf_session_set_follow (session, TRUE);
    }
}

/* A stream of the user's app was tapped (its session not started yet):
 * measured like a live run, and shown unless the user looks at another. */
static void
listen_run_started_cb (RfWindow      *self,
                       RfTapRun      *run,
                       RfListenPanel *panel)
{
  configure_session (self, rf_tap_run_get_session (run));

  if (self->session == NULL || self->follow_tap)
    _rf_window_show_tap_run (self, run, TRUE);
}

static void
listen_run_activated_cb (RfWindow      *self,
                         RfTapRun      *run,
                         RfListenPanel *panel)
{
  gtk_menu_button_popdown (self->listen_button);
  /* Choosing the newest one goes on following; an older one stays. */
  _rf_window_show_tap_run (self, run, run == rf_listen_panel_get_newest (panel));
}

static void
listening_changed_cb (RfWindow      *self,
                      GParamSpec    *pspec,
                      RfListenPanel *panel)
{
  if (rf_listen_panel_get_listening (panel))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->listen_button), "suggested-action");
      /* Listening from a window that shows nothing yet: the first stream opens. */
      if (self->session == NULL)
        self->follow_tap = TRUE;
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->listen_button), "suggested-action");
}

static gboolean
drop_cb (RfWindow      *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  GSList *files;
  GApplication *app = g_application_get_default ();

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;

  rf_window_open_file (self, files->data);

  /* Further recordings open in windows of their own. */
  if (files->next != NULL && app != NULL)
    {
      g_autoptr(GPtrArray) rest = g_ptr_array_new ();

      for (GSList *l = files->next; l; l = l->next)
        g_ptr_array_add (rest, l->data);
      g_application_open (app, (GFile **) rest->pdata, rest->len, "");
    }

  g_slist_free (files);

  return TRUE;
}

/* What a new window takes from the last one closed: its size and the
 * timeline's height. */
void
_rf_window_save_state (RfWindow  *self,
                       GSettings *settings)
{
  GtkWindow *window = GTK_WINDOW (self);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
  /* Only a height the handle was dragged to (or restored at). */
  if (self->timeline_height_set)
    g_settings_set_int (settings, "timeline-height", self->timeline_height);
}

void
_rf_window_restore_state (RfWindow  *self,
                          GSettings *settings)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               MAX (600, g_settings_get_int (settings, "window-width")),
                               MAX (420, g_settings_get_int (settings, "window-height")));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  if (g_settings_get_int (settings, "timeline-height") >= 0)
    {
      self->timeline_height = g_settings_get_int (settings, "timeline-height");
      gtk_paned_set_position (self->timeline_paned, self->timeline_height);
      self->timeline_height_set = TRUE;
    }
}

static gboolean
rf_window_close_request (GtkWindow *window)
{
  GSettings *settings = rf_application_get_default_settings ();

  if (settings != NULL)
    _rf_window_save_state (RF_WINDOW (window), settings);

  return GTK_WINDOW_CLASS (rf_window_parent_class)->close_request (window);
}

static void
rf_window_constructed (GObject *object)
{
  RfWindow *self = RF_WINDOW (object);
  GSettings *settings = rf_application_get_default_settings ();

  G_OBJECT_CLASS (rf_window_parent_class)->constructed (object);

  g_set_object (&self->settings, settings);
  if (settings != NULL)
    {
      g_settings_bind (settings, "replay-speed", self->timeline, "speed", G_SETTINGS_BIND_GET);
      rf_listen_panel_set_settings (self->listen_panel, settings);
      _rf_window_restore_state (self, settings);
    }
}

static void
rf_window_dispose (GObject *object)
{
  RfWindow *self = RF_WINDOW (object);

  if (self->session != NULL && self->session_owned)
    rf_session_cancel (self->session);
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  g_clear_object (&self->deferred_source);
  g_clear_pointer (&self->start_title, g_free);
  g_clear_weak_pointer (&self->focus_before_menu);
  g_clear_weak_pointer (&self->last_focus);
  g_clear_weak_pointer (&self->shown_toast);
  g_clear_weak_pointer (&self->content_focus);
  g_clear_pointer (&self->start_description, g_free);
  g_clear_pointer (&self->start_icon, g_free);
  if (self->follow_binding != NULL)
    g_binding_unbind (self->follow_binding);
  gtk_widget_dispose_template (GTK_WIDGET (self), RF_TYPE_WINDOW);

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  g_clear_object (&self->journal);
  g_clear_object (&self->recorder);
  g_clear_object (&self->export_folder);
  g_clear_pointer (&self->last_toast_uri, g_free);
  g_clear_object (&self->settings);
  g_clear_object (&self->tap_run);
  g_clear_object (&self->export_cancellable);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_handle_id (&self->layout_idle, g_source_remove);
  if (self->open_cancellable != NULL)
    g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  g_clear_handle_id (&self->fit_timeline_idle, g_source_remove);
  g_clear_pointer (&self->new_button_label, g_free);
  g_clear_pointer (&self->cancel_button_label, g_free);
  _rf_window_forget_request (self);

  G_OBJECT_CLASS (rf_window_parent_class)->dispose (object);
}

/* Once the window has painted, it keeps the memory its frames are painted
 * in and sent through (see rf_renderer_keep_frame_memory()): then it has
 * its size, and a run opened with it has not started yet. */
static void
first_paint_cb (RfWindow      *self,
                GdkFrameClock *clock)
{
  g_signal_handlers_disconnect_by_func (clock, first_paint_cb, self);
  rf_renderer_keep_frame_memory (GTK_WIDGET (self));
}

static void
realize_cb (RfWindow *self)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (first_paint_cb), self, G_CONNECT_SWAPPED);
}

/* With REFINERY_PROFILE=1, the frame clock's phases are timed so that a
 * stall says whether layout or painting (snapshot and render) took it. */
static gint64 phase_mark;

static void
frame_phase_start_cb (GdkFrameClock *clock)
{
  phase_mark = g_get_monotonic_time ();
}

static void
frame_layout_done_cb (GdkFrameClock *clock)
{
  gint64 now = g_get_monotonic_time ();

  rf_stall_monitor_add_phase ("layout", now - phase_mark);
  phase_mark = now;
}

static void
frame_paint_done_cb (GdkFrameClock *clock)
{
  rf_stall_monitor_add_phase ("paint", g_get_monotonic_time () - phase_mark);
}

static void
profile_realize_cb (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_connect (clock, "update", G_CALLBACK (frame_phase_start_cb), NULL);
  g_signal_connect_after (clock, "layout", G_CALLBACK (frame_layout_done_cb), NULL);
  g_signal_connect_after (clock, "paint", G_CALLBACK (frame_paint_done_cb), NULL);
}

/* Room the event log keeps under a timeline that fits its lanes, beyond
 * its minimum (tool bar, column titles and a row): two more rows. */
#define LOG_ROWS_PX 40

/* Below this window height the event log folds away, so that the canvas
 * keeps a useful share of a 1024×600 screen. */
#define SHORT_PX 700

/* The most of the height below the header bar that the timeline (and the
 * log, when shown) take before the user drags their handle: the rest is
 * the canvas's, with its compare and control bars. */
#define BOTTOM_SHARE       0.3
#define BOTTOM_SHARE_LOG   0.42

static int
measure_min_height (GtkWidget *widget)
{
  int min = 0;

  if (gtk_widget_get_visible (widget))
    gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, &min, NULL, NULL, NULL);

  return min;
}

/* Shares the height between the canvas, the timeline and the event log:
 * the timeline gets the height its lanes need (or the one its handle was
 * dragged to), the log its room, both within a share of the window, so
 * the canvas is never squeezed to a strip. Handles dragged by the user
 * are left where they are. */
static gboolean
fit_timeline_idle_cb (gpointer data)
{
  RfWindow *self = data;
  GtkWidget *start = gtk_paned_get_start_child (self->paned);
  int height = gtk_widget_get_height (GTK_WIDGET (self->paned));
  int timeline_min, timeline_nat, timeline_want, log_min, start_min;
  int bottom, bottom_min, cap, position;
  gboolean log_shown = gtk_widget_get_visible (GTK_WIDGET (self->event_log));

  self->fit_timeline_idle = 0;
  if (height <= 0)
    return G_SOURCE_REMOVE;

  gtk_widget_measure (GTK_WIDGET (self->timeline), GTK_ORIENTATION_VERTICAL, -1,
                      &timeline_min, &timeline_nat, NULL, NULL);
  timeline_want = self->timeline_height_set ? MAX (timeline_min, self->timeline_height) : timeline_nat;
  log_min = log_shown ? measure_min_height (GTK_WIDGET (self->event_log)) + LOG_ROWS_PX : 0;
  start_min = measure_min_height (start);

  if (!self->canvas_height_set)
    {
      /* A height the timeline's handle was set to is kept whole. */
      bottom_min = (self->timeline_height_set ? timeline_want : timeline_min) + log_min;
      bottom = timeline_want + log_min;
      cap = height * (log_shown ? BOTTOM_SHARE_LOG : BOTTOM_SHARE);
      bottom = MIN (bottom, MAX (cap, bottom_min));
      bottom = MIN (bottom, MAX (bottom_min, height - start_min));
      position = MAX (0, height - bottom);
      if (position != gtk_paned_get_position (self->paned))
        gtk_paned_set_position (self->paned, position);
    }
  else
    {
      bottom = height - gtk_paned_get_position (self->paned);
    }

  if (log_shown)
    {
      position = MAX (timeline_min, MIN (timeline_want, bottom - log_min));
      if (position != gtk_paned_get_position (self->timeline_paned))
        gtk_paned_set_position (self->timeline_paned, position);
    }

  return G_SOURCE_REMOVE;
}

static void
queue_fit_timeline (RfWindow *self)
{
  if (self->fit_timeline_idle == 0)
    self->fit_timeline_idle = g_idle_add (fit_timeline_idle_cb, self);
}

static void
apply_log_shown (RfWindow *self)
{
  gboolean shown = self->log_chosen ? self->log_shown : !self->short_layout;

  if (self->event_log == NULL || shown == gtk_widget_get_visible (GTK_WIDGET (self->event_log)))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->event_log), shown);
  g_object_notify (G_OBJECT (self), "show-event-log");
  queue_fit_timeline (self);
}

/* The control bar's toggle and Ctrl+F show the log whatever the height. */
void
_rf_window_set_event_log_shown (RfWindow *self,
                                gboolean  shown)
{
  self->log_chosen = TRUE;
  self->log_shown = !!shown;
  apply_log_shown (self);
}

/* The handle above the timeline: dragged, it keeps the canvas's height. */
static void
canvas_handle_drag_begin_cb (RfWindow       *self,
                             double          x,
                             double          y,
                             GtkGestureDrag *drag)
{
  GtkWidget *start = gtk_paned_get_start_child (self->paned);
  GtkWidget *end = gtk_paned_get_end_child (self->paned);
  graphene_rect_t top, bottom;

  if (gtk_widget_compute_bounds (start, GTK_WIDGET (self->paned), &top) &&
      gtk_widget_compute_bounds (end, GTK_WIDGET (self->paned), &bottom))
    self->dragging_canvas_handle = y >= top.origin.y + top.size.height - 6 &&
                                   y <= bottom.origin.y + 6;
}

static void
canvas_handle_drag_end_cb (RfWindow       *self,
                           double          x,
                           double          y,
                           GtkGestureDrag *drag)
{
  self->dragging_canvas_handle = FALSE;
}

static void
canvas_position_cb (RfWindow *self)
{
  if (self->dragging_canvas_handle)
    self->canvas_height_set = TRUE;
}

static gboolean
canvas_position_accepted_cb (RfWindow *self)
{
  self->canvas_height_set = TRUE;
  return FALSE;
}

/* The handle's drag, and its keyboard move (F8, arrows, Enter), set the
 * height the window keeps. GtkPaned says neither apart from its own
 * clamping, so a drag is seen starting on the handle. */
static void
timeline_handle_drag_begin_cb (RfWindow       *self,
                               double          x,
                               double          y,
                               GtkGestureDrag *drag)
{
  graphene_rect_t timeline, log;

  if (gtk_widget_compute_bounds (GTK_WIDGET (self->timeline), GTK_WIDGET (self->timeline_paned), &timeline) &&
      gtk_widget_compute_bounds (GTK_WIDGET (self->event_log), GTK_WIDGET (self->timeline_paned), &log))
    self->dragging_timeline_handle = y >= timeline.origin.y + timeline.size.height - 6 &&
                                     y <= log.origin.y + 6;
}

static void
timeline_handle_drag_end_cb (RfWindow       *self,
                             double          x,
                             double          y,
                             GtkGestureDrag *drag)
{
  self->dragging_timeline_handle = FALSE;
}

static void
timeline_position_cb (RfWindow *self)
{
  if (self->dragging_timeline_handle)
    {
      self->timeline_height_set = TRUE;
      self->timeline_height = gtk_paned_get_position (self->timeline_paned);
      queue_fit_timeline (self);
    }
}

static gboolean
timeline_position_accepted_cb (RfWindow *self)
{
  self->timeline_height_set = TRUE;
  self->timeline_height = gtk_paned_get_position (self->timeline_paned);
  queue_fit_timeline (self);
  return FALSE;
}

static void
apply_layout (RfWindow *self)
{
  gboolean narrow = self->layout == LAYOUT_NARROW;

  adw_flap_set_fold_policy (self->flap, self->layout == LAYOUT_WIDE ? ADW_FLAP_FOLD_POLICY_AUTO
                                                                    : ADW_FLAP_FOLD_POLICY_ALWAYS);
  adw_button_content_set_label (self->new_button_content, narrow ? "" : self->new_button_label);
  rf_compare_bar_set_compact (self->compare_bar, narrow);
  if (narrow)
    gtk_button_set_icon_name (self->cancel_button, "process-stop-symbolic");
  else
    gtk_button_set_label (self->cancel_button, self->cancel_button_label);
  apply_log_shown (self);
  update_run_state (self);
}

static gboolean
layout_idle_cb (gpointer data)
{
  RfWindow *self = data;

  self->layout_idle = 0;
  apply_layout (self);

  return G_SOURCE_REMOVE;
}

static int
layout_for_width (int width)
{
  return width >= LAYOUT_WIDE_PX ? LAYOUT_WIDE
       : width >= LAYOUT_NARROW_PX ? LAYOUT_FOLDED
       : LAYOUT_NARROW;
}

/* The size asked for before the window is shown picks its first layout:
 * the wide one's minimum (canvas beside inspector) would otherwise be
 * the window's first size. */
static void
default_width_cb (RfWindow *self)
{
  int width = 0;
  int height = 0;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  /* GTK 4.8 writes both, optional or not. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width <= 0)
    return;

  self->layout = layout_for_width (width);
  self->short_layout = height > 0 && height < SHORT_PX;
  apply_layout (self);
}

static void
rf_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  RfWindow *self = RF_WINDOW (widget);
  int layout = layout_for_width (width);

  GTK_WIDGET_CLASS (rf_window_parent_class)->size_allocate (widget, width, height, baseline);
  queue_fit_timeline (self);

  if ((height < SHORT_PX) != self->short_layout)
    {
      self->short_layout = height < SHORT_PX;
      self->log_chosen = FALSE;
      if (self->layout_idle == 0)
        self->layout_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, layout_idle_cb, self, NULL);
    }

  /* Not while allocating: the change takes effect in the next layout. */
  if (layout != self->layout)
    {
      self->layout = layout;
      if (self->layout_idle == 0)
        self->layout_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, layout_idle_cb, self, NULL);
    }
}

static void
rf_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RfWindow *self = RF_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_EVENT_LOG:
      /* Asked for by the action before the template is built, too. */
      g_value_set_boolean (value, self->event_log == NULL || gtk_widget_get_visible (GTK_WIDGET (self->event_log)));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RfWindow *self = RF_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_EVENT_LOG:
      _rf_window_set_event_log_shown (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_window_class_init (RfWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = rf_window_constructed;
  window_class->close_request = rf_window_close_request;
  object_class->dispose = rf_window_dispose;
  widget_class->size_allocate = rf_window_size_allocate;
  object_class->get_property = rf_window_get_property;
  object_class->set_property = rf_window_set_property;

  /* Whether the event log is shown under the timeline (a short window
   * folds it away); the control bar's toggle is its action. */
  properties[PROP_SHOW_EVENT_LOG] =
    g_param_spec_boolean ("show-event-log", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RF_TYPE_CANVAS);
  g_type_ensure (RF_TYPE_OVERVIEW);
  g_type_ensure (RF_TYPE_COMPARE_BAR);
  g_type_ensure (RF_TYPE_CONTROL_BAR);
  g_type_ensure (RF_TYPE_TIMELINE);
  g_type_ensure (RF_TYPE_EVENT_LOG);
  g_type_ensure (RF_TYPE_INSPECTOR);
  g_type_ensure (RF_TYPE_LISTEN_PANEL);
  g_type_ensure (RF_TYPE_RUNS);
  g_type_ensure (RF_TYPE_SPINNER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/rf-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RfWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, history_button);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, listen_button);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, listen_panel);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, inspector_button);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, run_box);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, run_label);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, new_button_content);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, follow_button);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, timeline_paned);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, overview);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, overview_button);
  gtk_widget_class_bind_template_callback (widget_class, overview_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, overview_lane_activated_cb);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, compare_bar);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, control_bar);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, event_log);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, runs);
  gtk_widget_class_bind_template_callback (widget_class, runs_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, listen_run_started_cb);
  gtk_widget_class_bind_template_callback (widget_class, listen_run_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, listening_changed_cb);

  _rf_window_class_actions_init (klass);
}


/* A header bar menu opened with F10 or a click gives the focus back to
 * the content (the canvas, the timeline, the log: where it was last)
 * when it closes; GTK would leave it on the menu button, where Space
 * opens the menu again instead of playing. A menu opened from its own
 * focused button (Tab, then Space) leaves the focus there. The focus
 * outside popovers is followed, as a menu has taken it by the time it
 * shows. */
static void
focus_widget_cb (RfWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus != NULL && gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL)
    return;
  g_set_weak_pointer (&self->last_focus, focus);
  if (focus == NULL)
    return;
  if (gtk_widget_get_ancestor (focus, ADW_TYPE_HEADER_BAR) == NULL)
    g_set_weak_pointer (&self->content_focus, focus);
}

static void
menu_popover_show_cb (RfWindow   *self,
                      GtkPopover *popover)
{
  GtkWidget *button = gtk_widget_get_parent (GTK_WIDGET (popover));
  GtkWidget *focus = NULL;

  if (self->last_focus == NULL ||
      (self->last_focus != button && !gtk_widget_is_ancestor (self->last_focus, button)))
    focus = self->content_focus != NULL ? self->content_focus : GTK_WIDGET (self->canvas);
  g_set_weak_pointer (&self->focus_before_menu, focus);
}

static void
menu_popover_closed_cb (RfWindow   *self,
                        GtkPopover *popover)
{
  GtkWidget *focus = self->focus_before_menu;

  g_clear_weak_pointer (&self->focus_before_menu);
  /* The popover has handed the focus to its button by now. */
  if (focus != NULL && gtk_widget_get_mapped (focus) &&
      gtk_widget_get_root (focus) == GTK_ROOT (self))
    gtk_widget_grab_focus (focus);
}

/* F10 closes the main menu it opened, as a second click would. */
static gboolean
close_menu_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  gtk_popover_popdown (GTK_POPOVER (widget));
  return TRUE;
}

static void
watch_menu_popover (RfWindow   *self,
                    GtkPopover *popover)
{
  g_signal_connect_object (popover, "show", G_CALLBACK (menu_popover_show_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (popover, "closed", G_CALLBACK (menu_popover_closed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

static void
rf_window_init (RfWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

#ifdef DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  rf_compare_bar_set_canvas (self->compare_bar, self->canvas);
  {
    GtkMenuButton *menus[] = { self->primary_menu_button, self->export_button,
                               self->history_button, self->listen_button };
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();
    GtkPopover *primary = gtk_menu_button_get_popover (self->primary_menu_button);

    g_signal_connect_object (self, "notify::focus-widget", G_CALLBACK (focus_widget_cb), self, G_CONNECT_SWAPPED);
    for (guint i = 0; i < G_N_ELEMENTS (menus); i++)
      watch_menu_popover (self, gtk_menu_button_get_popover (menus[i]));
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F10, 0),
                                                            gtk_callback_action_new (close_menu_cb, NULL, NULL)));
    gtk_widget_add_controller (GTK_WIDGET (primary), shortcuts);
  }
  g_signal_connect_object (self->inspector, "diagnostic-activated",
                           G_CALLBACK (diagnostic_activated_cb), self, G_CONNECT_SWAPPED);
  rf_control_bar_set_player (self->control_bar, rf_timeline_get_player (self->timeline));
  rf_control_bar_set_zoomable (self->control_bar, G_OBJECT (self->canvas));

  self->session_signals = g_signal_group_new (RF_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::state",
                                 G_CALLBACK (session_state_changed_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "finished",
                                 G_CALLBACK (session_finished_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "lane-added",
                                 G_CALLBACK (queue_fit_timeline), self,
                                 G_CONNECT_SWAPPED);

  {
    GtkGesture *handle_drag = gtk_gesture_drag_new ();

    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (handle_drag), GTK_PHASE_CAPTURE);
    g_signal_connect_object (handle_drag, "drag-begin", G_CALLBACK (timeline_handle_drag_begin_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (handle_drag, "drag-end", G_CALLBACK (timeline_handle_drag_end_cb), self, G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->timeline_paned), GTK_EVENT_CONTROLLER (handle_drag));
    g_signal_connect_object (self->timeline_paned, "notify::position", G_CALLBACK (timeline_position_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (self->timeline_paned, "accept-position", G_CALLBACK (timeline_position_accepted_cb), self, G_CONNECT_SWAPPED);

    handle_drag = gtk_gesture_drag_new ();
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (handle_drag), GTK_PHASE_CAPTURE);
    g_signal_connect_object (handle_drag, "drag-begin", G_CALLBACK (canvas_handle_drag_begin_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (handle_drag, "drag-end", G_CALLBACK (canvas_handle_drag_end_cb), self, G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->paned), GTK_EVENT_CONTROLLER (handle_drag));
    g_signal_connect_object (self->paned, "notify::position", G_CALLBACK (canvas_position_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (self->paned, "accept-position", G_CALLBACK (canvas_position_accepted_cb), self, G_CONNECT_SWAPPED);
  }

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  g_signal_connect_after (self, "realize", G_CALLBACK (realize_cb), NULL);
  if (rf_stall_monitor_is_running ())
    g_signal_connect_after (self, "realize", G_CALLBACK (profile_realize_cb), NULL);

  /* The window is its own root: its pacer exists from the start. */
  self->pacer = rf_pacer_get_for_widget (GTK_WIDGET (self));
  g_signal_connect_object (self->pacer, "update", G_CALLBACK (pacer_update_cb), self, G_CONNECT_SWAPPED);

  self->new_button_label = g_strdup (adw_button_content_get_label (self->new_button_content));
  self->cancel_button_label = g_strdup (gtk_button_get_label (self->cancel_button));
  self->layout = LAYOUT_UNSET;
  g_signal_connect (self, "notify::default-width", G_CALLBACK (default_width_cb), NULL);
  g_signal_connect (self, "notify::default-height", G_CALLBACK (default_width_cb), NULL);

  _rf_window_actions_init (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  _rf_window_actions_update (self);
}

RfWindow *
rf_window_new (RfApplication *app)
{
  return g_object_new (RF_TYPE_WINDOW,
                       "application", app,
                       NULL);
}

RfSession *
rf_window_get_session (RfWindow *self)
{
  g_return_val_if_fail (RF_IS_WINDOW (self), NULL);

  return self->session;
}

/* A run opened with the window (from the command line, say) starts once
 * the window has settled on screen: its first paint (fonts, icons, round
 * trips to the display server: about 20 ms) then holds up no frame, and
 * the first frames do not hold up the window. Settled means no repaint
 * for SETTLE_QUIET_MS: right after the first paint, GTK 4.8 still applies
 * the icon theme change that GtkApplication's startup queued (adding its
 * icon resource path once the theme had loaded in a thread), which
 * restyles and lays out every icon in the window. Started before that
 * repaint, a run met it in its first frames. */
#define SETTLE_QUIET_MS 30
#define SETTLE_MAX_MS   250

static void
start_deferred_run (RfWindow *self)
{
  g_autoptr(RfSource) source = g_steal_pointer (&self->deferred_source);

  if (source == NULL || self->session == NULL)
    return;

  rf_stall_monitor_stream_started ();
  rf_session_start (self->session, source);
}

static void window_painted_cb (RfWindow      *self,
                               GdkFrameClock *clock);

static gboolean
settled_cb (gpointer data)
{
  RfWindow *self = data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  self->settle_source = 0;
  if (clock != NULL)
    g_signal_handlers_disconnect_by_func (clock, window_painted_cb, self);
  start_deferred_run (self);

  return G_SOURCE_REMOVE;
}

static void
window_painted_cb (RfWindow      *self,
                   GdkFrameClock *clock)
{
  gint64 now = g_get_monotonic_time ();
  guint wait_ms = SETTLE_QUIET_MS;

  if (self->first_paint_usec == 0)
    self->first_paint_usec = now;

  /* A window that keeps repainting starts its run all the same. */
  if (now - self->first_paint_usec > SETTLE_MAX_MS * G_TIME_SPAN_MILLISECOND)
    wait_ms = 0;

  g_clear_handle_id (&self->settle_source, g_source_remove);
  self->settle_source = g_timeout_add (wait_ms, settled_cb, self);
}

static void
first_map_cb (RfWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, first_map_cb, NULL);
  self->first_paint_usec = 0;
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (window_painted_cb), self, G_CONNECT_SWAPPED);
}

static void
start_session (RfWindow *self,
               RfSource *source)
{
  gboolean waiting = self->deferred_source != NULL;

  g_set_object (&self->deferred_source, source);

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_deferred_run (self);
  else if (!waiting)
    g_signal_connect (self, "map", G_CALLBACK (first_map_cb), NULL);
}

/* Each window is titled by what it shows, as a document is: the file's
 * name (its folder below), or the source (a URL, the demo). A
 * generation's title is set again from its prompt. */
static void
set_titles (RfWindow *self,
            RfSource *source,
            GFile    *file)
{
  g_autofree char *description = rf_source_dup_display_name (source);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (file != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (file);

      title = g_file_get_basename (file);
      subtitle = parent ? g_file_get_parse_name (parent) : g_strdup (description);
    }
  else if (RF_IS_DEMO_SOURCE (source))
    {
      /* TRANSLATORS: window title while the built-in demonstration runs */
      title = g_strdup (_("Demo"));
      subtitle = g_strdup (_("Refinery"));
    }
  else
    {
      title = g_strdup (_("Refinery"));
      subtitle = g_strdup (description);
    }

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

/* Puts @session in every view. @owned: the window started it and stops
 * it when another replaces it; a tapped stream's session is the tap's. */
static void
show_session (RfWindow   *self,
              RfSession  *session,
              gboolean    owned)
{
  /* A run of the window's own still receiving is stopped: its frames go
   * with it. */
  if (self->session != NULL)
    {
      if (self->session_owned)
        rf_session_cancel (self->session);
      g_signal_handlers_disconnect_by_func (rf_session_get_frames (self->session),
                                            session_frames_changed_cb, self);
    }

  /* Weak: the binding goes away with the session or the button. */
  if (self->follow_binding != NULL)
    g_binding_unbind (self->follow_binding);
  g_set_weak_pointer (&self->follow_binding,
                      g_object_bind_property (session, "follow", self->follow_button, "active",
                                              G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL));
  g_set_object (&self->session, session);
  self->session_owned = owned;

  _rf_window_forget_request (self);
  g_signal_group_set_target (self->session_signals, session);
  g_signal_connect_object (rf_session_get_frames (session), "items-changed",
                           G_CALLBACK (session_frames_changed_cb), self, G_CONNECT_SWAPPED);

  rf_canvas_set_session (self->canvas, session);
  rf_overview_set_session (self->overview, session);
  gtk_toggle_button_set_active (self->overview_button, FALSE);
  rf_timeline_set_session (self->timeline, session);
  rf_event_log_set_session (self->event_log, session);
  rf_inspector_set_session (self->inspector, session);

  restore_start_page (self);
  gtk_stack_set_visible_child_name (self->stack, "session");

  g_clear_handle_id (&self->tick_source, g_source_remove);
  self->tick_source = g_timeout_add (100, tick_cb, self);
  update_run_state (self);
}

static void
start_run (RfWindow   *self,
           RfSource   *source,
           GFile      *journal,
           RfRecorder *recorder,
           int         requested_partials)
{
  g_autoptr(RfSession) session = rf_session_new ();

  /* The user looks at something else now: tapped streams wait in the list. */
  self->follow_tap = FALSE;
  g_clear_object (&self->tap_run);

  configure_session (self, session);
  if (requested_partials >= 0)
    rf_session_set_requested_partials (session, requested_partials);

  g_set_object (&self->journal, journal);
  g_set_object (&self->recorder, recorder);
  show_session (self, session, TRUE);
  set_titles (self, source, journal);

  start_session (self, source);
}

void
rf_window_start_source (RfWindow *self,
                        RfSource *source,
                        GFile    *journal)
{
  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (RF_IS_SOURCE (source));
  g_return_if_fail (!journal || G_IS_FILE (journal));

  start_run (self, source, journal, NULL, -1);
}

void
_rf_window_start_generation (RfWindow   *self,
                             RfRequest  *request,
                             const char *api_key)
{
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redacted = NULL;
  GSettings *settings = rf_application_get_default_settings ();

  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (RF_IS_REQUEST (request));

  source = rf_http_source_new_for_request (request, api_key);
  if (settings != NULL)
    rf_http_source_set_idle_timeout (RF_HTTP_SOURCE (source),
                                     g_settings_get_int (settings, "idle-timeout-s"));

  /* Every live run is journalled, so it can be replayed from the history. */
  redacted = rf_http_source_dup_redacted_request_json (RF_HTTP_SOURCE (source));
  if ((recorder = rf_recorder_new (NULL, redacted, &error)))
    rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);
  else
    {
      /* TRANSLATORS: toast; the run goes on but will not be in the history */
      rf_window_add_error_toast (self, _("This run is not recorded"), error->message);
    }

  start_run (self, source, NULL, recorder, rf_request_get_partial_images (request));
  self->run_request = g_object_ref (request);
  if (rf_request_get_prompt (request) != NULL)
    {
      g_autofree char *title = NULL;
      const char *prompt = rf_request_get_prompt (request);

      /* A prompt is a paragraph at times: its first words name the run. */
      if (g_utf8_strlen (prompt, -1) > 60)
        {
          g_autofree char *head = g_utf8_substring (prompt, 0, 59);

          title = g_strconcat (head, "…", NULL);
        }
      else
        title = g_strdup (prompt);
      g_strdelimit (title, "\r\n\t", ' ');
      adw_window_title_set_title (self->window_title, title);
      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  self->run_api_key = g_strdup (api_key);
}

void
_rf_window_forget_request (RfWindow *self)
{
  g_clear_object (&self->run_request);
  if (self->run_api_key != NULL)
    memset (self->run_api_key, 0, strlen (self->run_api_key));
  g_clear_pointer (&self->run_api_key, g_free);
}

/* A file that is no recording: the start page says what it is, or,
 * over a run, a toast does; the run stays. */
static void
show_cannot_open (RfWindow   *self,
                  const char *message)
{
  if (self->session == NULL || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0)
    {
      /* AdwStatusPage reads its description as markup. */
      g_autofree char *escaped = g_markup_escape_text (message, -1);

      restore_start_page (self);
      adw_status_page_set_icon_name (self->status_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->status_page, _("Cannot Open This File"));
      adw_status_page_set_description (self->status_page, escaped);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    rf_window_add_error_toast (self, _("Cannot open the file"), message);
}

static void
open_checked_file (RfWindow *self,
                   GFile    *file)
{
  g_autoptr(RfSource) source = NULL;

  /* Recordings load as fast as they decode; the timeline replays them
   * at the chosen pace. */
  source = rf_file_source_new (file);
  rf_window_start_source (self, source, file);
  rf_runs_add_recent (file);
}

static void
open_check_worker (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;

  if (rf_file_source_check (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
open_check_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RfWindow *self = RF_WINDOW (object);
  GFile *file = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* A window closed meanwhile, or another file opened, cancelled it. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_cannot_open (self, error->message);
      return;
    }

  g_clear_object (&self->open_cancellable);
  open_checked_file (self, file);
}

void
rf_window_open_file (RfWindow *self,
                     GFile    *file)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* Its first bytes (4 KiB) are read before any run starts: a file that
   * is no event stream leaves the window as it was. A local file's are
   * read at once, so the run starts in this call as it always did; a
   * remote one's (gvfs) in a worker, as the network may be slow. */
  if (self->open_cancellable != NULL)
    g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);

  if (g_file_is_native (file))
    {
      g_autoptr(GError) error = NULL;

      if (rf_file_source_check (file, NULL, &error))
        open_checked_file (self, file);
      else
        show_cannot_open (self, error->message);
      return;
    }

  self->open_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->open_cancellable, open_check_done_cb, NULL);
  g_task_set_source_tag (task, rf_window_open_file);
  g_task_set_name (task, "[rf-window] check file");
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, open_check_worker);
}

void
rf_window_open_url (RfWindow   *self,
                    const char *url)
{
  g_autofree char *key = g_strdup (g_getenv ("REFINERY_API_KEY"));
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (url != NULL);

  source = rf_http_source_new_get (url, key);
  /* Journalled as any live run, so it is in the history to replay. */
  if ((recorder = rf_recorder_new (NULL, NULL, &error)))
    rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);
  else
    g_debug ("The stream is not recorded: %s", error->message);

  start_run (self, source, NULL, recorder, -1);
}

void
rf_window_start_demo (RfWindow *self,
                      double    speed)
{
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;

  g_return_if_fail (RF_IS_WINDOW (self));

  source = rf_demo_source_new (speed);

  /* Journalled as a live run is, so it is in the history to replay. */
  request = rf_demo_source_dup_sidecar_json (RF_DEMO_SOURCE (source));
  if ((recorder = rf_recorder_new (NULL, request, &error)))
    rf_demo_source_set_recorder (RF_DEMO_SOURCE (source), recorder);
  else
    g_debug ("The demo is not recorded: %s", error->message);

  start_run (self, source, NULL, recorder, -1);
}

static void
show_toast (RfWindow *self,
            AdwToast *toast)
{
  g_set_weak_pointer (&self->shown_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* A toast is never cut: a long message wraps, a longer one is shortened
 * and its Details button shows it all. */
void
rf_window_add_toast (RfWindow   *self,
                     const char *message)
{
  g_autofree char *shown = NULL;

  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  /* A display copy: the toast lays out no more than this. */
  shown = rf_text_shorten (message, RF_TEXT_SHOW_SHORT);
  show_toast (self, rf_error_toast_new (GTK_WIDGET (self->toast_overlay), shown, "", message, FALSE));
}

/* A toast for a file written to @folder (nullable): its button opens
 * the folder. */
void
_rf_window_add_folder_toast (RfWindow   *self,
                             const char *message,
                             GFile      *folder)
{
  AdwToast *toast;
  g_autofree char *uri = folder ? g_file_get_uri (folder) : NULL;

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  g_free (self->last_toast_uri);
  self->last_toast_uri = g_strdup (uri);
  toast = rf_error_toast_new (GTK_WIDGET (self->toast_overlay), message, NULL, NULL, uri != NULL);
  if (uri != NULL)
    {
      /* TRANSLATORS: button of the toast after an export */
      adw_toast_set_button_label (toast, _("_Open Folder"));
      adw_toast_set_action_name (toast, "win.open-folder");
      adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
    }
  show_toast (self, toast);
}

/* What failed, in the toast; why, in the dialog of its Details button. */
void
rf_window_add_error_toast (RfWindow   *self,
                           const char *summary,
                           const char *detail)
{
  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (summary != NULL && detail != NULL);

  g_free (self->last_toast);
  /* TRANSLATORS: an error in full: what failed, then why */
  self->last_toast = g_strdup_printf (_("%s: %s"), summary, detail);
  show_toast (self, rf_error_toast_new (GTK_WIDGET (self->toast_overlay), summary, summary, detail, FALSE));
}

GFile *
_rf_window_dup_journal (RfWindow *self)
{
  g_autofree char *path = NULL;

  if (self->tap_run != NULL)
    {
      path = rf_tap_run_dup_journal_path (self->tap_run);
      return path ? g_file_new_for_path (path) : NULL;
    }

  /* A live journal is renamed once the response id is known. */
  if (self->recorder != NULL && (path = rf_recorder_dup_path (self->recorder)) != NULL)
    return g_file_new_for_path (path);

  return self->journal ? g_object_ref (self->journal) : NULL;
}

RfEventLog *
_rf_window_get_event_log (RfWindow *self)
{
  return self->event_log;
}

RfTimeline *
_rf_window_get_timeline (RfWindow *self)
{
  return self->timeline;
}

RfInspector *
_rf_window_get_inspector (RfWindow *self)
{
  return self->inspector;
}

void
_rf_window_show_tap_run (RfWindow *self,
                         RfTapRun *run,
                         gboolean  follow)
{
  g_autofree char *description = NULL;

  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (RF_IS_TAP_RUN (run));

  self->follow_tap = follow;
  if (self->tap_run == run)
    return;

  /* A finished run the tap has let go of is read back from its journal,
   * as the history would. */
  if (rf_tap_run_get_session (run) == NULL)
    {
      g_autofree char *path = rf_tap_run_dup_journal_path (run);
      g_autoptr(GFile) file = NULL;

      if (path == NULL)
        {
          /* TRANSLATORS: a tapped stream is one the app watched while another
           * app received it (Watch Your App); its frames are the partial and
           * final images it carried */
          rf_window_add_toast (self, _("This tapped stream could not be recorded, and its frames are no longer kept"));
          return;
        }
      file = g_file_new_for_path (path);
      rf_window_open_file (self, file);
      return;
    }

  /* A run waiting for the window's first paint does not start now. */
  g_clear_object (&self->deferred_source);
  g_set_object (&self->tap_run, run);
  g_clear_object (&self->journal);
  g_clear_object (&self->recorder);

  /* Translators: window subtitle for a tapped stream: number, method, path */
  description = g_strdup_printf (_("Tapped #%u: %s %s"), rf_tap_run_get_index (run),
                                 rf_tap_run_get_method (run), rf_tap_run_get_path (run));
  show_session (self, rf_tap_run_get_session (run), FALSE);
  adw_window_title_set_title (self->window_title, _("Refinery"));
  adw_window_title_set_subtitle (self->window_title, description);
  gtk_window_set_title (GTK_WINDOW (self), description);
}

RfTapRun *
_rf_window_get_tap_run (RfWindow *self)
{
  g_return_val_if_fail (RF_IS_WINDOW (self), NULL);

  return self->tap_run;
}
