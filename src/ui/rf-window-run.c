/*
 * rf-window-run.c
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


/* The run the window shows: starting one (a source, a generation, a
 * file checked off the main thread, a URL, the demo), putting its session
 * in every view, following its state in the header (title, run label,
 * spinner, start page), and showing a tapped stream's session.
 *
 * Threads: main thread only, but for open_check_worker(), which runs in
 * a GTask worker and touches nothing of the window. */

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

void
_rf_window_update_run_state (RfWindow *self)
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

void
_rf_window_pacer_update_cb (RfWindow *self,
                            RfPacer  *pacer)
{
  gint64 start = g_get_monotonic_time ();

  if (!self->run_state_dirty)
    return;

  self->run_state_dirty = FALSE;
  _rf_window_update_run_state (self);
  rf_stall_monitor_add_phase ("header", g_get_monotonic_time () - start);
}

static gboolean
tick_cb (gpointer user_data)
{
  queue_run_state (user_data);

  return G_SOURCE_CONTINUE;
}

void
_rf_window_session_state_changed_cb (RfWindow   *self,
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

void
_rf_window_session_finished_cb (RfWindow  *self,
                                RfSession *session)
{
  const char *no_images = no_images_message (session);

  if (no_images != NULL)
    show_no_images (self, no_images);
  _rf_window_update_run_state (self);
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

void
_rf_window_configure_session (RfWindow  *self,
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
  _rf_window_update_run_state (self);
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

  _rf_window_configure_session (self, session);
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
