/*
 * rf-canvas.c
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

#define G_LOG_DOMAIN "rf-canvas"

#include "config.h"

#include <math.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "rf-canvas-private.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-session.h"
#include "rf-zoom.h"

G_DEFINE_FINAL_TYPE_WITH_CODE (RfCanvas, rf_canvas, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

/* A new image repaints most of the window: through the pacer, it waits
 * for the frame that lays out the other widgets' changes to be painted
 * (a frame, 17 ms, at most) instead of making that frame twice as long. */
void
_rf_canvas_queue_draw (RfCanvas *self)
{
  if (self->pacer == NULL)
    {
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  self->draw_queued = TRUE;
  rf_pacer_queue_image (self->pacer);
}

static void
pacer_image_cb (RfCanvas *self,
                RfPacer  *pacer)
{
  if (!self->draw_queued)
    return;

  self->draw_queued = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

enum {
  PROP_0,
  PROP_SESSION,
  PROP_COMPARE_MODE,
  PROP_COMPARE_FRAME,
  PROP_CROSSFADE,
  PROP_WIPE_POSITION,
  PROP_ZOOM,
  PROP_BEST_FIT,
  PROP_COMPUTING,
  PROP_DIFFERENCE_GAIN,
  PROP_DIFFERENCE_MEAN,
  N_PROPS,

  /* GtkScrollable's */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties [N_PROPS];

static gboolean
is_split (RfCanvas *self)
{
  return self->compare_mode == RF_COMPARE_SIDE_BY_SIDE;
}

static gboolean
is_comparing (RfCanvas *self)
{
  return self->compare_mode != RF_COMPARE_NONE;
}

/* The area one image is laid out in: the whole widget, or one of the two
 * panes side by side. */
void
_rf_canvas_get_pane_size (RfCanvas *self,
               double   *width,
               double   *height)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));

  if (is_split (self))
    w = MAX (0, (w - PANE_GAP) / 2.0);

  *width = w;
  *height = h;
}

double
_rf_canvas_get_pane_offset (RfCanvas *self,
                 guint     pane)
{
  double w, h;

  if (pane == 0)
    return 0;

  _rf_canvas_get_pane_size (self, &w, &h);
  return w + PANE_GAP;
}

/* Pointer position in the coordinates of the pane it is over. */
void
_rf_canvas_to_pane_coords (RfCanvas *self,
                double    x,
                double    y,
                double   *px,
                double   *py)
{
  if (is_split (self) && x >= _rf_canvas_get_pane_offset (self, 1))
    x -= _rf_canvas_get_pane_offset (self, 1);

  *px = x;
  *py = y;
}

static void
rf_canvas_update_view_size (RfCanvas *self)
{
  double w, h;

  _rf_canvas_get_pane_size (self, &w, &h);
  rf_zoom_set_view_size (self->zoom, w, h);
}

static void
rf_canvas_update_actions (RfCanvas *self)
{
  gboolean has_image = self->shown != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-in",
                                 has_image && rf_zoom_can_zoom_in (self->zoom));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-out",
                                 has_image && rf_zoom_can_zoom_out (self->zoom));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-fit", has_image);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-1", has_image);
}

void
_rf_canvas_show (RfCanvas    *self,
                CachedImage *image)
{
  self->shown = image;
  self->pending = NULL;
}

/* Brings what is on screen up to date with the session. Images not
 * decoded yet leave the previous ones in place. */
void
_rf_canvas_update (RfCanvas *self)
{
  RfFrame *selected = NULL;
  CachedImage *image;

  if (self->session != NULL)
    selected = rf_session_get_selected_frame (self->session);

  if (selected != NULL && (image = _rf_canvas_lookup_image (self, selected)))
    {
      int width, height;

      /* A frame waiting for its scaled copy that another replaces will
       * not be shown: its copy is not made, so that scrubbing across
       * many frames (or frames arriving faster than they scale) does
       * not keep the scaling thread on frames already passed. */
      if (self->pending != NULL && self->pending != image)
        _rf_canvas_cached_image_cancel_scaled (self->pending);

      if (image != self->shown &&
          _rf_canvas_needs_scaled (self, image, &width, &height) &&
          !_rf_canvas_cached_image_has_scaled (image, width, height))
        {
          self->pending = image;
          _rf_canvas_cached_image_request_scaled (self, image, width, height);
        }
      else
        {
          _rf_canvas_show (self, image);
        }
    }

  if (is_comparing (self) && self->session != NULL)
    {
      g_autoptr(RfFrame) other = _rf_canvas_find_compare_frame (self);

      if (other != NULL && (image = _rf_canvas_lookup_image (self, other)))
        self->other = image;
    }

  if (self->shown != NULL)
    rf_zoom_set_image_size (self->zoom, self->shown->width, self->shown->height);
  _rf_canvas_sync_adjustments (self);

  _rf_canvas_queue_diff (self);
  rf_canvas_update_actions (self);
  _rf_canvas_queue_draw (self);
}

static void
rf_canvas_clear (RfCanvas *self)
{
  _rf_canvas_cancel_diff (self);
  g_clear_object (&self->painted);
  g_clear_object (&self->arriving);
  self->shown = NULL;
  self->other = NULL;
  self->pending = NULL;
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->images);
  g_ptr_array_set_size (self->diffs, 0);
  _rf_canvas_sync_adjustments (self);
}

/* A frame's rows as they decode: drawn while the selection follows the
 * newest frame (someone scrubbing the past is not interrupted). */
static void
frame_arriving_cb (RfCanvas  *self,
                   gint64     output_index,
                   GdkPixbuf *rows,
                   int        height,
                   RfSession *session)
{
  if (!rf_session_is_following_live (session) || self->compare_mode != RF_COMPARE_NONE)
    {
      if (self->arriving != NULL)
        {
          g_clear_object (&self->arriving);
          _rf_canvas_queue_draw (self);
        }
      return;
    }

  g_set_object (&self->arriving, NULL);
  self->arriving = gdk_texture_new_for_pixbuf (rows);
  self->arriving_index = output_index;
  self->arriving_height = height;

  /* The first frame of a run: nothing shown yet sets the image's size. */
  if (self->shown == NULL)
    {
      rf_zoom_set_image_size (self->zoom, gdk_pixbuf_get_width (rows), height);
      _rf_canvas_sync_adjustments (self);
    }
  _rf_canvas_queue_draw (self);
}

/* The rows arriving belong to @frame's image: its own pixels replace them. */
static void
drop_arriving_for (RfCanvas *self,
                   RfFrame  *frame)
{
  RfLane *lane;

  if (self->arriving == NULL || self->session == NULL)
    return;

  lane = rf_session_get_lane (self->session, rf_frame_get_lane_index (frame));
  if (self->arriving_index < 0 || lane == NULL ||
      rf_lane_get_output_index (lane) == self->arriving_index)
    g_clear_object (&self->arriving);
}

static void
session_state_cb (RfCanvas  *self,
                  GParamSpec *pspec,
                  RfSession *session)
{
  if (rf_session_get_finished (session))
    g_clear_object (&self->arriving);
  _rf_canvas_queue_draw (self);
}

static void
frame_decoded_cb (RfCanvas  *self,
                  RfFrame   *frame,
                  RfSession *session)
{
  RfFrame *selected = rf_session_get_selected_frame (session);
  g_autoptr(RfFrame) other = NULL;

  drop_arriving_for (self, frame);

  if (is_comparing (self))
    other = _rf_canvas_find_compare_frame (self);

  if (frame == selected || frame == other)
    _rf_canvas_update (self);
  else
    _rf_canvas_queue_draw (self);
}

static void
frame_added_cb (RfCanvas  *self,
                RfFrame   *frame,
                RfSession *session)
{
  /* The default compare frame (the final, else the last one) moves. */
  if (is_comparing (self) && self->compare_frame == NULL)
    _rf_canvas_update (self);
}

static void
zoom_changed_cb (RfCanvas *self,
                 RfZoom   *zoom)
{
  rf_canvas_update_actions (self);
  _rf_canvas_sync_adjustments (self);
  _rf_canvas_queue_draw (self);
}

static void
zoom_notify_cb (RfCanvas   *self,
                GParamSpec *pspec,
                RfZoom     *zoom)
{
  if (g_strcmp0 (pspec->name, "zoom") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
  else if (g_strcmp0 (pspec->name, "best-fit") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BEST_FIT]);
}

/* Zoom animation */

/* Drawing */

/* Input */

/* Actions */

/* GtkWidget */

static void
rf_canvas_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  *minimum = 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 480;
}

static void
rf_canvas_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  rf_canvas_update_view_size (RF_CANVAS (widget));
  /* The page size follows the pane's even when the zoom does not change. */
  _rf_canvas_sync_adjustments (RF_CANVAS (widget));
}

static void
rf_canvas_root (GtkWidget *widget)
{
  RfCanvas *self = RF_CANVAS (widget);

  GTK_WIDGET_CLASS (rf_canvas_parent_class)->root (widget);

  self->pacer = rf_pacer_connect (widget, "image", G_CALLBACK (pacer_image_cb));
}

static void
rf_canvas_unroot (GtkWidget *widget)
{
  RfCanvas *self = RF_CANVAS (widget);

  rf_pacer_disconnect (&self->pacer, widget);
  if (self->draw_queued)
    {
      self->draw_queued = FALSE;
      gtk_widget_queue_draw (widget);
    }

  GTK_WIDGET_CLASS (rf_canvas_parent_class)->unroot (widget);
}

static void
rf_canvas_css_changed (GtkWidget         *widget,
                       GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (rf_canvas_parent_class)->css_changed (widget, change);
  _rf_canvas_queue_draw (RF_CANVAS (widget));
}

/* GObject */

static void
rf_canvas_dispose (GObject *object)
{
  RfCanvas *self = RF_CANVAS (object);

  _rf_canvas_cancel_diff (self);
  /* Before the images: nothing is delivered after this. */
  g_clear_pointer (&self->scale_mailbox, rf_mailbox_free);
  if (self->zoom_animation != NULL)
    {
      _rf_canvas_stop_zoom_animation (self);
      g_clear_object (&self->zoom_animation);
    }
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session);
  g_clear_object (&self->arriving);
  g_clear_object (&self->compare_frame);
  g_clear_object (&self->painted);
  self->shown = NULL;
  self->other = NULL;
  g_queue_clear (&self->lru);
  g_clear_pointer (&self->images, g_hash_table_unref);
  g_clear_pointer (&self->diffs, g_ptr_array_unref);
  _rf_canvas_clear_adjustments (self);

  G_OBJECT_CLASS (rf_canvas_parent_class)->dispose (object);
}

static void
rf_canvas_finalize (GObject *object)
{
  RfCanvas *self = RF_CANVAS (object);

  g_clear_object (&self->session_signals);
  g_clear_object (&self->zoom);

  G_OBJECT_CLASS (rf_canvas_parent_class)->finalize (object);
}

static void
rf_canvas_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RfCanvas *self = RF_CANVAS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_COMPARE_MODE:
      g_value_set_int (value, self->compare_mode);
      break;

    case PROP_COMPARE_FRAME:
      g_value_set_object (value, self->compare_frame);
      break;

    case PROP_CROSSFADE:
      g_value_set_double (value, self->crossfade);
      break;

    case PROP_WIPE_POSITION:
      g_value_set_double (value, self->wipe_position);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, rf_zoom_get_zoom (self->zoom));
      break;

    case PROP_BEST_FIT:
      g_value_set_boolean (value, rf_zoom_get_best_fit (self->zoom));
      break;

    case PROP_DIFFERENCE_GAIN:
      g_value_set_double (value, self->difference_gain);
      break;

    case PROP_DIFFERENCE_MEAN:
      g_value_set_double (value, rf_canvas_get_difference_mean (self));
      break;

    case PROP_COMPUTING:
      g_value_set_boolean (value, self->diff_cancellable != NULL);
      break;

    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;

    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;

    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;

    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_canvas_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RfCanvas *self = RF_CANVAS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      rf_canvas_set_session (self, g_value_get_object (value));
      break;

    case PROP_COMPARE_MODE:
      rf_canvas_set_compare_mode (self, g_value_get_int (value));
      break;

    case PROP_COMPARE_FRAME:
      rf_canvas_set_compare_frame (self, g_value_get_object (value));
      break;

    case PROP_DIFFERENCE_GAIN:
      rf_canvas_set_difference_gain (self, g_value_get_double (value));
      break;

    case PROP_CROSSFADE:
      rf_canvas_set_crossfade (self, g_value_get_double (value));
      break;

    case PROP_WIPE_POSITION:
      rf_canvas_set_wipe_position (self, g_value_get_double (value));
      break;

    case PROP_ZOOM:
      rf_canvas_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_BEST_FIT:
      rf_canvas_set_best_fit (self, g_value_get_boolean (value));
      break;

    case PROP_HADJUSTMENT:
      _rf_canvas_set_adjustment (self, GTK_ORIENTATION_HORIZONTAL, g_value_get_object (value));
      break;

    case PROP_VADJUSTMENT:
      _rf_canvas_set_adjustment (self, GTK_ORIENTATION_VERTICAL, g_value_get_object (value));
      break;

    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_canvas_class_init (RfCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_canvas_dispose;
  object_class->finalize = rf_canvas_finalize;
  object_class->get_property = rf_canvas_get_property;
  object_class->set_property = rf_canvas_set_property;

  widget_class->snapshot = _rf_canvas_snapshot;
  widget_class->measure = rf_canvas_measure;
  widget_class->size_allocate = rf_canvas_size_allocate;
  widget_class->css_changed = rf_canvas_css_changed;
  widget_class->root = rf_canvas_root;
  widget_class->unroot = rf_canvas_unroot;

  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         RF_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_COMPARE_MODE] =
    g_param_spec_int ("compare-mode", NULL, NULL,
                      RF_COMPARE_NONE, RF_COMPARE_DIFFERENCE, RF_COMPARE_NONE,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_COMPARE_FRAME] =
    g_param_spec_object ("compare-frame", NULL, NULL,
                         RF_TYPE_FRAME,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CROSSFADE] =
    g_param_spec_double ("crossfade", NULL, NULL,
                         0.0, 1.0, 0.5,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_WIPE_POSITION] =
    g_param_spec_double ("wipe-position", NULL, NULL,
                         0.0, 1.0, 0.5,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         RF_ZOOM_MIN, RF_ZOOM_MAX, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_BEST_FIT] =
    g_param_spec_boolean ("best-fit", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_DIFFERENCE_GAIN] =
    g_param_spec_double ("difference-gain", NULL, NULL,
                         1.0, RF_CANVAS_MAX_DIFFERENCE_GAIN, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_DIFFERENCE_MEAN] =
    g_param_spec_double ("difference-mean", NULL, NULL,
                         -1.0, 255.0, -1.0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_COMPUTING] =
    g_param_spec_boolean ("computing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  _rf_canvas_class_init_input (widget_class);

  gtk_widget_class_set_css_name (widget_class, "rfcanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rf_canvas_init (RfCanvas *self)
{
  self->crossfade = 0.5;
  self->difference_gain = 1.0;
  self->wipe_position = 0.5;
  self->images = g_hash_table_new_full (NULL, NULL, NULL, _rf_canvas_cached_image_free);
  self->diffs = g_ptr_array_new_with_free_func (_rf_canvas_diff_entry_free);
  self->scale_mailbox = rf_mailbox_new (NULL, "[rf-canvas] scaled", G_PRIORITY_DEFAULT,
                                        _rf_canvas_scale_done, self, _rf_canvas_scale_job_free);

  self->zoom = rf_zoom_new ();
  g_signal_connect_object (self->zoom, "changed", G_CALLBACK (zoom_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->zoom, "notify", G_CALLBACK (zoom_notify_cb), self, G_CONNECT_SWAPPED);

  self->session_signals = g_signal_group_new (RF_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::selected-frame",
                                 G_CALLBACK (_rf_canvas_update), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-decoded",
                                 G_CALLBACK (frame_decoded_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "pixbuf-ready",
                                 G_CALLBACK (frame_decoded_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-added",
                                 G_CALLBACK (frame_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::state",
                                 G_CALLBACK (session_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-arriving",
                                 G_CALLBACK (frame_arriving_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.move-wipe", FALSE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  /* TRANSLATORS: accessible name of the
                                   * image view. A frame is one step of an
                                   * image’s refinement: a partial image or
                                   * the final image */
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Frame"),
                                  -1);

  _rf_canvas_init_input (self);

  rf_canvas_update_actions (self);
}

GtkWidget *
rf_canvas_new (void)
{
  return g_object_new (RF_TYPE_CANVAS, NULL);
}

RfSession *
rf_canvas_get_session (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), NULL);

  return self->session;
}

void
rf_canvas_set_session (RfCanvas  *self,
                       RfSession *session)
{
  g_return_if_fail (RF_IS_CANVAS (self));
  g_return_if_fail (!session || RF_IS_SESSION (session));

  if (self->session == session)
    return;

  _rf_canvas_stop_zoom_animation (self);
  rf_canvas_clear (self);
  g_set_object (&self->session, session);
  g_clear_object (&self->compare_frame);
  g_signal_group_set_target (self->session_signals, session);
  rf_zoom_set_best_fit (self->zoom, TRUE);
  _rf_canvas_update (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SESSION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMPARE_FRAME]);
}

RfCompareMode
rf_canvas_get_compare_mode (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), RF_COMPARE_NONE);

  return self->compare_mode;
}

void
rf_canvas_set_compare_mode (RfCanvas      *self,
                            RfCompareMode  mode)
{
  g_return_if_fail (RF_IS_CANVAS (self));
  g_return_if_fail (mode >= RF_COMPARE_NONE && mode <= RF_COMPARE_DIFFERENCE);

  if (self->compare_mode == mode)
    return;

  self->compare_mode = mode;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.move-wipe", mode == RF_COMPARE_WIPE);
  if (mode != RF_COMPARE_DIFFERENCE)
    _rf_canvas_cancel_diff (self);
  if (mode == RF_COMPARE_NONE)
    self->other = NULL;

  rf_canvas_update_view_size (self);
  _rf_canvas_update (self);
  _rf_canvas_update_cursor (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMPARE_MODE]);
}

RfFrame *
rf_canvas_get_compare_frame (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), NULL);

  return self->compare_frame;
}

void
rf_canvas_set_compare_frame (RfCanvas *self,
                             RfFrame  *frame)
{
  g_return_if_fail (RF_IS_CANVAS (self));
  g_return_if_fail (!frame || RF_IS_FRAME (frame));

  if (g_set_object (&self->compare_frame, frame))
    {
      _rf_canvas_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMPARE_FRAME]);
    }
}

double
rf_canvas_get_crossfade (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), 0.0);

  return self->crossfade;
}

void
rf_canvas_set_crossfade (RfCanvas *self,
                         double    crossfade)
{
  g_return_if_fail (RF_IS_CANVAS (self));

  crossfade = CLAMP (crossfade, 0.0, 1.0);
  if (self->crossfade == crossfade)
    return;

  self->crossfade = crossfade;
  _rf_canvas_queue_draw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CROSSFADE]);
}

double
rf_canvas_get_difference_gain (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), 1.0);

  return self->difference_gain;
}

/* The heat map is made again, in the worker, for the new gain. */
void
rf_canvas_set_difference_gain (RfCanvas *self,
                               double    gain)
{
  g_return_if_fail (RF_IS_CANVAS (self));

  gain = CLAMP (gain, 1.0, RF_CANVAS_MAX_DIFFERENCE_GAIN);
  if (self->difference_gain == gain)
    return;

  self->difference_gain = gain;
  _rf_canvas_queue_diff (self);
  _rf_canvas_queue_draw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DIFFERENCE_GAIN]);
}

double
rf_canvas_get_difference_mean (RfCanvas *self)
{
  DiffEntry *entry;

  g_return_val_if_fail (RF_IS_CANVAS (self), -1.0);

  if (self->compare_mode != RF_COMPARE_DIFFERENCE || self->shown == NULL || self->other == NULL ||
      !(entry = _rf_canvas_find_diff (self, self->shown->frame, self->other->frame)))
    return -1.0;

  return entry->mean;
}

double
rf_canvas_get_wipe_position (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), 0.5);

  return self->wipe_position;
}

void
rf_canvas_set_wipe_position (RfCanvas *self,
                             double    position)
{
  g_return_if_fail (RF_IS_CANVAS (self));

  position = CLAMP (position, 0.0, 1.0);
  if (self->wipe_position == position)
    return;

  self->wipe_position = position;
  _rf_canvas_queue_draw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_WIPE_POSITION]);
}

double
rf_canvas_get_zoom (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), 1.0);

  return rf_zoom_get_zoom (self->zoom);
}

void
rf_canvas_set_zoom (RfCanvas *self,
                    double    zoom)
{
  g_return_if_fail (RF_IS_CANVAS (self));

  _rf_canvas_stop_zoom_animation (self);
  rf_zoom_set_zoom (self->zoom, zoom);
}

gboolean
rf_canvas_get_best_fit (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), TRUE);

  return rf_zoom_get_best_fit (self->zoom);
}

void
rf_canvas_set_best_fit (RfCanvas *self,
                        gboolean  best_fit)
{
  g_return_if_fail (RF_IS_CANVAS (self));

  _rf_canvas_stop_zoom_animation (self);
  rf_zoom_set_best_fit (self->zoom, best_fit);
}

RfFrame *
rf_canvas_get_displayed_frame (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), NULL);

  return self->shown ? self->shown->frame : NULL;
}

RfFrame *
rf_canvas_dup_effective_compare_frame (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), NULL);

  return _rf_canvas_find_compare_frame (self);
}

RfZoom *
_rf_canvas_get_zoom_model (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), NULL);

  return self->zoom;
}

gboolean
_rf_canvas_is_animating (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), FALSE);

  return self->animating;
}

