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

/* The window: its template and properties, the focus its header bar menus
 * give back, the inspector's diagnostics leading to their frame, the
 * overview, the history and listen panels' callbacks, the files dropped
 * on it, its first paint (and frame clock profile), and its toasts. The
 * run it shows is started and followed in rf-window-run.c, its layout in
 * rf-window-layout.c, its actions in rf-window-actions.c and
 * rf-window-export.c, around the struct in rf-window-private.h.
 *
 * Threads: main thread only. */

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

/* A stream of the user's app was tapped (its session not started yet):
 * measured like a live run, and shown unless the user looks at another. */
static void
listen_run_started_cb (RfWindow      *self,
                       RfTapRun      *run,
                       RfListenPanel *panel)
{
  _rf_window_configure_session (self, rf_tap_run_get_session (run));

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

static void
rf_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  RfWindow *self = RF_WINDOW (widget);
  int layout = _rf_window_layout_for_width (width);

  GTK_WIDGET_CLASS (rf_window_parent_class)->size_allocate (widget, width, height, baseline);
  _rf_window_queue_fit_timeline (self);

  if ((height < SHORT_PX) != self->short_layout)
    {
      self->short_layout = height < SHORT_PX;
      self->log_chosen = FALSE;
      if (self->layout_idle == 0)
        self->layout_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, _rf_window_layout_idle_cb, self, NULL);
    }

  /* Not while allocating: the change takes effect in the next layout. */
  if (layout != self->layout)
    {
      self->layout = layout;
      if (self->layout_idle == 0)
        self->layout_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, _rf_window_layout_idle_cb, self, NULL);
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
                                 G_CALLBACK (_rf_window_session_state_changed_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "finished",
                                 G_CALLBACK (_rf_window_session_finished_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "lane-added",
                                 G_CALLBACK (_rf_window_queue_fit_timeline), self,
                                 G_CONNECT_SWAPPED);

  _rf_window_init_layout (self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  g_signal_connect_after (self, "realize", G_CALLBACK (realize_cb), NULL);
  if (rf_stall_monitor_is_running ())
    g_signal_connect_after (self, "realize", G_CALLBACK (profile_realize_cb), NULL);

  /* The window is its own root: its pacer exists from the start. */
  self->pacer = rf_pacer_get_for_widget (GTK_WIDGET (self));
  g_signal_connect_object (self->pacer, "update", G_CALLBACK (_rf_window_pacer_update_cb), self, G_CONNECT_SWAPPED);

  self->new_button_label = g_strdup (adw_button_content_get_label (self->new_button_content));
  self->cancel_button_label = g_strdup (gtk_button_get_label (self->cancel_button));
  self->layout = LAYOUT_UNSET;
  g_signal_connect (self, "notify::default-width", G_CALLBACK (_rf_window_default_width_cb), NULL);
  g_signal_connect (self, "notify::default-height", G_CALLBACK (_rf_window_default_width_cb), NULL);

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

