/*
 * rf-window-layout.c
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


/* The window's layout: the height shared between the canvas, the
 * timeline and the event log (and the handles the user drags), the
 * folding of a short window's log, the layouts chosen for the window's
 * width, and the size and timeline height a new window starts with.
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

/* Room the event log keeps under a timeline that fits its lanes, beyond
 * its minimum (tool bar, column titles and a row): two more rows. */
#define LOG_ROWS_PX 40

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

void
_rf_window_queue_fit_timeline (RfWindow *self)
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
  _rf_window_queue_fit_timeline (self);
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
      _rf_window_queue_fit_timeline (self);
    }
}

static gboolean
timeline_position_accepted_cb (RfWindow *self)
{
  self->timeline_height_set = TRUE;
  self->timeline_height = gtk_paned_get_position (self->timeline_paned);
  _rf_window_queue_fit_timeline (self);
  return FALSE;
}

/* The two handles: the one above the timeline keeps the canvas's height,
 * the one below it the timeline's (see the callbacks above). */
void
_rf_window_init_layout (RfWindow *self)
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
  _rf_window_update_run_state (self);
}

gboolean
_rf_window_layout_idle_cb (gpointer data)
{
  RfWindow *self = data;

  self->layout_idle = 0;
  apply_layout (self);

  return G_SOURCE_REMOVE;
}

int
_rf_window_layout_for_width (int width)
{
  return width >= LAYOUT_WIDE_PX ? LAYOUT_WIDE
       : width >= LAYOUT_NARROW_PX ? LAYOUT_FOLDED
       : LAYOUT_NARROW;
}

/* The size asked for before the window is shown picks its first layout:
 * the wide one's minimum (canvas beside inspector) would otherwise be
 * the window's first size. */
void
_rf_window_default_width_cb (RfWindow *self)
{
  int width = 0;
  int height = 0;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  /* GTK 4.8 writes both, optional or not. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width <= 0)
    return;

  self->layout = _rf_window_layout_for_width (width);
  self->short_layout = height > 0 && height < SHORT_PX;
  apply_layout (self);
}
