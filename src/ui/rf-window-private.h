/*
 * rf-window-private.h
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

#include "rf-canvas.h"
#include "rf-compare-bar.h"
#include "rf-control-bar.h"
#include "rf-event-log.h"
#include "rf-inspector.h"
#include "rf-listen-panel.h"
#include "rf-recorder.h"
#include "rf-request.h"
#include "rf-sched.h"
#include "rf-runs.h"
#include "rf-spinner.h"
#include "rf-timeline.h"
#include "rf-overview.h"
#include "rf-window.h"

G_BEGIN_DECLS

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

/* Below this window height the event log folds away, so that the canvas
 * keeps a useful share of a 1024×600 screen. */
#define SHORT_PX 700

/* Threads: main thread only. */

struct _RfWindow
{
  AdwApplicationWindow  parent_instance;

  RfSession            *session;
  GSignalGroup         *session_signals;
  GFile                *journal;
  RfRecorder           *recorder;
  /* The request of the run shown when it is a generation, and its key:
   * Try Again sends it once more. The key is wiped when dropped. */
  RfRequest            *run_request;
  char                 *run_api_key;
  GCancellable         *export_cancellable;
  guint                 tick_source;
  /* The header's run state changes with the pacer's updates. */
  RfPacer              *pacer;
  gboolean              run_state_dirty;
  /* The source of a run opened before the window was first drawn. */
  RfSource             *deferred_source;
  guint                 settle_source;
  gint64                first_paint_usec;
  GBinding             *follow_binding;
  /* A tapped stream's session is the tap's: shown, never cancelled. */
  RfTapRun             *tap_run;
  gboolean              session_owned;
  /* Whether the newest tapped stream replaces the one shown: until the
   * user looks at something else. */
  gboolean              follow_tap;
  char                 *last_toast;   /* for tests */
  AdwToast             *shown_toast;  /* the last toast added, while it is */
  char                 *last_toast_uri; /* the folder its button opens */
  /* The folder of the export under way: its toast opens it. */
  GFile                *export_folder;
  /* Where the window keeps what it remembers (the application's
   * settings; tests give their own). */
  GSettings            *settings;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkMenuButton        *history_button;
  GtkMenuButton        *listen_button;
  RfListenPanel        *listen_panel;
  GtkMenuButton        *export_button;
  GtkMenuButton        *primary_menu_button;
  /* Where the focus was when a header bar menu opened: it goes back
   * there when the menu closes, so Space plays rather than reopening
   * the menu. */
  GtkWidget            *focus_before_menu;
  GtkWidget            *last_focus;
  GtkWidget            *content_focus;
  GtkToggleButton      *inspector_button;
  GtkWidget            *run_box;
  RfSpinner            *spinner;
  GtkLabel             *run_label;
  AdwButtonContent     *new_button_content;
  char                 *new_button_label;
  char                 *cancel_button_label;
  /* The layout chosen for the window's width (RfWindowLayout). */
  int                   layout;
  guint                 layout_idle;
  /* The check of the file being opened (rf_window_open_file()). */
  GCancellable         *open_cancellable;
  /* The timeline fits its lanes (leaving the log room) until its handle
   * is dragged or a height is restored. */
  guint                 fit_timeline_idle;
  int                   timeline_height;
  guint                 timeline_height_set : 1;
  guint                 dragging_timeline_handle : 1;
  /* The canvas keeps its share of a short window until the handle above
   * the timeline is dragged. */
  guint                 canvas_height_set : 1;
  guint                 dragging_canvas_handle : 1;
  /* Below SHORT_PX of height the event log folds away (the control bar's
   * toggle shows it); a choice made with the toggle holds until the
   * window crosses that height again. */
  guint                 short_layout : 1;
  guint                 log_chosen : 1;
  guint                 log_shown : 1;
  GtkToggleButton      *follow_button;
  GtkButton            *cancel_button;
  GtkWidget            *retry_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  AdwStatusPage        *status_page;
  /* The start page's own texts, while it shows why a run had no image. */
  char                 *start_title;
  char                 *start_description;
  char                 *start_icon;
  AdwFlap              *flap;
  GtkPaned             *paned;
  GtkPaned             *timeline_paned;
  GtkStack             *view_stack;
  RfOverview           *overview;
  GtkToggleButton      *overview_button;
  RfCanvas             *canvas;
  RfCompareBar         *compare_bar;
  RfControlBar         *control_bar;
  RfTimeline           *timeline;
  RfEventLog           *event_log;
  RfInspector          *inspector;
  RfRuns               *runs;
};

/* rf-window-actions.c */
void  _rf_window_class_actions_init  (RfWindowClass *klass);
void  _rf_window_actions_init        (RfWindow      *self);
void  _rf_window_actions_update      (RfWindow      *self);

/* rf-window-export.c */
/* Exports run in a worker; @callback gets a GTask whose result is a
 * boolean. Used by the actions and by the tests. */
void  _rf_window_export_frame_async  (RfWindow            *self,
                                      RfFrame             *frame,
                                      GFile               *file,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
void  _rf_window_export_frames_async (RfWindow            *self,
                                      GFile               *dir,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
/* The selected frame's image: a contact sheet PNG, an animated WebP. */
void  _rf_window_export_contact_sheet_async (RfWindow            *self,
                                             GFile               *file,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
void  _rf_window_export_webp_async   (RfWindow            *self,
                                      GFile               *file,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
/* Where the selected frame changed from the one before it in its image,
 * per region, as a PNG heat map (rf_compare_change_heat_map()). */
void  _rf_window_export_heat_map_async (RfWindow            *self,
                                        GFile               *file,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean _rf_window_export_finish    (RfWindow            *self,
                                      GAsyncResult        *result,
                                      GError             **error);
/* Shared by the window's files (rf-window.c, -run.c, -layout.c). */

/* The recording of the run shown (opened file or live journal), or NULL. */
GFile *_rf_window_dup_journal        (RfWindow            *self);
void  _rf_window_start_generation    (RfWindow            *self,
                                      RfRequest           *request,
                                      const char          *api_key);
RfEventLog *_rf_window_get_event_log (RfWindow            *self);
void     _rf_window_set_event_log_shown (RfWindow         *self,
                                         gboolean          shown);
RfTimeline *_rf_window_get_timeline  (RfWindow            *self);
RfInspector *_rf_window_get_inspector (RfWindow           *self);
/* Shows a tapped stream's session (running or not); @follow: the next
 * tapped stream replaces it. */
void  _rf_window_show_tap_run        (RfWindow            *self,
                                      RfTapRun            *run,
                                      gboolean             follow);
RfTapRun *_rf_window_get_tap_run     (RfWindow            *self);

/* Drops the shown run's request and wipes its key. */
void        _rf_window_forget_request            (RfWindow            *self);
void        _rf_window_add_folder_toast          (RfWindow            *self,
                                                  const char          *message,
                                                  GFile               *folder);
/* The window size and timeline height a new window starts with. */
void        _rf_window_save_state                (RfWindow            *self,
                                                  GSettings           *settings);
void        _rf_window_restore_state             (RfWindow            *self,
                                                  GSettings           *settings);

/* rf-window-layout.c */
void        _rf_window_init_layout               (RfWindow            *self);
void        _rf_window_queue_fit_timeline        (RfWindow            *self);
gboolean    _rf_window_layout_idle_cb            (gpointer             data);
int         _rf_window_layout_for_width          (int                  width);
void        _rf_window_default_width_cb          (RfWindow            *self);

/* rf-window-run.c */
void        _rf_window_update_run_state          (RfWindow            *self);
void        _rf_window_pacer_update_cb           (RfWindow            *self,
                                                  RfPacer             *pacer);
void        _rf_window_session_state_changed_cb  (RfWindow            *self,
                                                  GParamSpec          *pspec,
                                                  RfSession           *session);
void        _rf_window_session_finished_cb       (RfWindow            *self,
                                                  RfSession           *session);
void        _rf_window_configure_session         (RfWindow            *self,
                                                  RfSession           *session);

/* rf-window-export.c: its actions, and the file dialog the open action
 * shares with them. */
GtkFileChooserNative *_rf_window_new_chooser     (RfWindow             *self,
                                                  const char           *title,
                                                  GtkFileChooserAction  action,
                                                  const char           *accept);
void        _rf_window_export_frame_action       (GtkWidget           *widget,
                                                  const char          *action_name,
                                                  GVariant            *parameter);
void        _rf_window_export_frames_action      (GtkWidget           *widget,
                                                  const char          *action_name,
                                                  GVariant            *parameter);
void        _rf_window_export_recording_action   (GtkWidget           *widget,
                                                  const char          *action_name,
                                                  GVariant            *parameter);
void        _rf_window_export_contact_sheet_action (GtkWidget         *widget,
                                                    const char        *action_name,
                                                    GVariant          *parameter);
void        _rf_window_export_webp_action        (GtkWidget           *widget,
                                                  const char          *action_name,
                                                  GVariant            *parameter);
void        _rf_window_export_heat_map_action    (GtkWidget           *widget,
                                                  const char          *action_name,
                                                  GVariant            *parameter);

G_END_DECLS
