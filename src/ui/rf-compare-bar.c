/*
 * rf-compare-bar.c
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

#define G_LOG_DOMAIN "rf-compare-bar"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "rf-compare-bar.h"
#include "rf-compare.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-session.h"

struct _RfCompareBar
{
  GtkWidget      parent_instance;

  RfCanvas      *canvas;
  GSignalGroup  *canvas_signals;
  GSignalGroup  *session_signals;
  GBindingGroup *bindings;

  /* Frames behind the frame drop-down's items; item 0 is "the final". */
  GPtrArray     *frames;
  GtkStringList *frame_names;
  guint          updating : 1;
  /* The frame list is only kept up to date while it is shown. */
  guint          frames_stale : 1;

  /* Template widgets */
  GtkDropDown   *mode_dropdown;
  GtkLabel      *with_label;
  GtkWidget     *mode_label;
  gboolean       compact;
  GtkWidget     *difference_box;
  GtkAdjustment *gain_adjustment;
  GtkLabel      *gain_label;
  GtkDrawingArea *legend;
  GtkLabel      *mean_label;
  GtkDropDown   *frame_dropdown;
  GtkScale      *crossfade_scale;
  GtkAdjustment *crossfade_adjustment;
};

G_DEFINE_FINAL_TYPE (RfCompareBar, rf_compare_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CANVAS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
unref_frame (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

static void rf_compare_bar_rebuild_frames (RfCompareBar *self);

static gboolean
frames_shown (RfCompareBar *self)
{
  return self->canvas != NULL && rf_canvas_get_compare_mode (self->canvas) != RF_COMPARE_NONE;
}

static void
rf_compare_bar_sync_visibility (RfCompareBar *self)
{
  RfCompareMode mode = self->canvas ? rf_canvas_get_compare_mode (self->canvas) : RF_COMPARE_NONE;

  if (mode != RF_COMPARE_NONE && self->frames_stale)
    rf_compare_bar_rebuild_frames (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self), self->canvas != NULL);
  gtk_widget_set_visible (self->mode_label, !self->compact);
  gtk_widget_set_visible (GTK_WIDGET (self->with_label), mode != RF_COMPARE_NONE && !self->compact);
  gtk_widget_set_visible (GTK_WIDGET (self->gain_label), !self->compact);
  gtk_widget_set_visible (GTK_WIDGET (self->legend), !self->compact);
  gtk_widget_set_visible (GTK_WIDGET (self->frame_dropdown), mode != RF_COMPARE_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->crossfade_scale), mode == RF_COMPARE_CROSSFADE);
  gtk_widget_set_visible (self->difference_box, mode == RF_COMPARE_DIFFERENCE);
}

/* The colour scale of the map, from equal to the brightest colour; its
 * tooltip says, in numbers, which difference reaches it at this gain. */
static void
legend_draw (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  for (int x = 0; x < width; x++)
    {
      guint8 rgb[3];

      rf_compare_heat_colour (MIN (255, (guint) round (255.0 * x / MAX (1, width - 1))), rgb);
      cairo_set_source_rgb (cr, rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
      cairo_rectangle (cr, x, 0, 1, height);
      cairo_fill (cr);
    }
}

static void
sync_difference (RfCompareBar *self)
{
  double gain = self->canvas ? rf_canvas_get_difference_gain (self->canvas) : 1.0;
  double mean = self->canvas ? rf_canvas_get_difference_mean (self->canvas) : -1.0;
  g_autofree char *gain_text = NULL;
  g_autofree char *legend_text = NULL;
  g_autofree char *mean_text = NULL;

  /* TRANSLATORS: the amplification of the difference map, "×4" */
  gain_text = g_strdup_printf (_("×%.0f"), gain);
  gtk_label_set_label (self->gain_label, gain_text);

  /* TRANSLATORS: tooltip of the difference colour scale; %.0f is the
   * difference (of 255) from which pixels take the brightest colour */
  legend_text = g_strdup_printf (_("Black: no difference. Pale yellow: a difference of %.0f of 255 or more"),
                                 255.0 / gain);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->legend), legend_text);
  gtk_widget_queue_draw (GTK_WIDGET (self->legend));

  if (mean >= 0)
    /* TRANSLATORS: the mean difference of two frames as a percentage, "3.1 %" */
    mean_text = g_strdup_printf (_("%.1f %%"), 100.0 * mean / 255.0);
  else
    mean_text = g_strdup ("–");
  gtk_label_set_label (self->mean_label, mean_text);
}

static void
rf_compare_bar_sync_frame_selection (RfCompareBar *self)
{
  RfFrame *frame = self->canvas ? rf_canvas_get_compare_frame (self->canvas) : NULL;
  guint position = 0;

  if (frame != NULL)
    {
      for (guint i = 1; i < self->frames->len; i++)
        if (g_ptr_array_index (self->frames, i) == frame)
          position = i;
    }

  self->updating = TRUE;
  gtk_drop_down_set_selected (self->frame_dropdown, position);
  self->updating = FALSE;
}

/* "final", or "Image 2 · partial 1" when there is more than one image. */
static char *
dup_frame_name (RfSession *session,
                RfFrame   *frame)
{
  g_autofree char *label = rf_frame_dup_label (frame);
  RfLane *lane;
  g_autofree char *title = NULL;

  if (g_list_model_get_n_items (rf_session_get_lanes (session)) < 2 ||
      !(lane = rf_session_get_lane (session, rf_frame_get_lane_index (frame))))
    return g_steal_pointer (&label);

  title = rf_lane_dup_title (lane);
  /* Translators: an image's name and a frame of it, e.g. "Image 2 · partial 1" */
  return g_strdup_printf (_("%s · %s"), title, label);
}

static void
rf_compare_bar_rebuild_frames (RfCompareBar *self)
{
  RfSession *session = self->canvas ? rf_canvas_get_session (self->canvas) : NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->frame_names));

  /* Hidden (no compare mode): rebuilt when shown. Each change of the
   * list made the drop-down's rows anew, for every frame of a run. */
  self->frames_stale = !frames_shown (self);
  if (self->frames_stale)
    return;

  g_ptr_array_set_size (self->frames, 0);
  g_ptr_array_add (self->frames, NULL);
  /* Translators: the default frame to compare with: the one before the
   * selected frame in its image (for an image's first frame, its final) */
  g_ptr_array_add (names, g_strdup (_("Previous Frame (Default)")));

  if (session != NULL)
    {
      GListModel *lanes = rf_session_get_lanes (session);

      /* Grouped by image, in the order of their frames. */
      for (guint l = 0; l < g_list_model_get_n_items (lanes); l++)
        {
          g_autoptr(RfLane) lane = g_list_model_get_item (lanes, l);
          GListModel *frames = rf_lane_get_frames (lane);

          for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
            {
              RfFrame *frame = g_list_model_get_item (frames, i);

              g_ptr_array_add (self->frames, frame);
              g_ptr_array_add (names, dup_frame_name (session, frame));
            }
        }
    }

  g_ptr_array_add (names, NULL);

  self->updating = TRUE;
  gtk_string_list_splice (self->frame_names, 0, n_old, (const char * const *) names->pdata);
  self->updating = FALSE;

  rf_compare_bar_sync_frame_selection (self);
}

/* Frames only ever append: one row per new frame instead of rebuilding
 * the whole list while a run streams in. */
static void
session_frame_added_cb (RfCompareBar *self,
                        RfFrame      *frame)
{
  RfSession *session = self->canvas ? rf_canvas_get_session (self->canvas) : NULL;
  g_autofree char *name = NULL;
  guint position;

  if (session == NULL)
    return;

  if (!frames_shown (self))
    {
      self->frames_stale = TRUE;
      return;
    }

  name = dup_frame_name (session, frame);

  /* At the end of its image's group: after the last frame of its image
   * or of one before it. */
  position = self->frames->len;
  while (position > 1)
    {
      RfFrame *before = g_ptr_array_index (self->frames, position - 1);

      if (rf_frame_get_lane_index (before) <= rf_frame_get_lane_index (frame))
        break;
      position--;
    }
  g_ptr_array_insert (self->frames, position, g_object_ref (frame));

  self->updating = TRUE;
  gtk_string_list_splice (self->frame_names, position, 0, (const char * const []) { name, NULL });
  self->updating = FALSE;
}

/* Names take their image's title once there are two images: only the
 * second lane renames the frames listed so far. */
static void
session_lane_added_cb (RfCompareBar *self,
                       RfLane       *lane)
{
  if (rf_lane_get_index (lane) == 1)
    rf_compare_bar_rebuild_frames (self);
}

static void
frame_selected_cb (RfCompareBar *self,
                   GParamSpec   *pspec,
                   GtkDropDown  *dropdown)
{
  guint position = gtk_drop_down_get_selected (dropdown);

  if (self->updating || self->canvas == NULL)
    return;

  if (position < self->frames->len)
    rf_canvas_set_compare_frame (self->canvas, g_ptr_array_index (self->frames, position));
}

static void
canvas_session_changed_cb (RfCompareBar *self)
{
  g_signal_group_set_target (self->session_signals,
                             self->canvas ? rf_canvas_get_session (self->canvas) : NULL);
  rf_compare_bar_rebuild_frames (self);
}

static gboolean
int_to_uint (GBinding     *binding,
             const GValue *from,
             GValue       *to,
             gpointer      user_data)
{
  g_value_set_uint (to, MAX (0, g_value_get_int (from)));
  return TRUE;
}

static gboolean
uint_to_int (GBinding     *binding,
             const GValue *from,
             GValue       *to,
             gpointer      user_data)
{
  guint value = g_value_get_uint (from);

  if (value == GTK_INVALID_LIST_POSITION || value > RF_COMPARE_DIFFERENCE)
    return FALSE;

  g_value_set_int (to, value);
  return TRUE;
}

static void
rf_compare_bar_dispose (GObject *object)
{
  RfCompareBar *self = RF_COMPARE_BAR (object);

  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  if (self->canvas_signals != NULL)
    g_signal_group_set_target (self->canvas_signals, NULL);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->canvas);

  gtk_widget_dispose_template (GTK_WIDGET (self), RF_TYPE_COMPARE_BAR);

  /* Template children without a bound pointer (labels) are not unparented
   * by gtk_widget_dispose_template(). */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (rf_compare_bar_parent_class)->dispose (object);
}

static void
rf_compare_bar_finalize (GObject *object)
{
  RfCompareBar *self = RF_COMPARE_BAR (object);

  g_clear_object (&self->bindings);
  g_clear_object (&self->canvas_signals);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->frame_names);
  g_clear_pointer (&self->frames, g_ptr_array_unref);

  G_OBJECT_CLASS (rf_compare_bar_parent_class)->finalize (object);
}

static void
rf_compare_bar_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RfCompareBar *self = RF_COMPARE_BAR (object);

  switch (prop_id)
    {
    case PROP_CANVAS:
      g_value_set_object (value, self->canvas);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_compare_bar_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RfCompareBar *self = RF_COMPARE_BAR (object);

  switch (prop_id)
    {
    case PROP_CANVAS:
      rf_compare_bar_set_canvas (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_compare_bar_class_init (RfCompareBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_compare_bar_dispose;
  object_class->finalize = rf_compare_bar_finalize;
  object_class->get_property = rf_compare_bar_get_property;
  object_class->set_property = rf_compare_bar_set_property;

  properties [PROP_CANVAS] =
    g_param_spec_object ("canvas", NULL, NULL,
                         RF_TYPE_CANVAS,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/refinery/Refinery/ui/rf-compare-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, RfCompareBar, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RfCompareBar, with_label);
  gtk_widget_class_bind_template_child (widget_class, RfCompareBar, mode_label);
  gtk_widget_class_bind_template_child (widget_class, RfCompareBar, difference_box);
  gtk_widget_class_bind_template_child (widget_class, RfCompareBar, gain_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RfCompareBar, gain_label);
  gtk_widget_class_bind_template_child (widget_class, RfCompareBar, legend);
  gtk_widget_class_bind_template_child (widget_class, RfCompareBar, mean_label);
  gtk_widget_class_bind_template_child (widget_class, RfCompareBar, frame_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RfCompareBar, crossfade_scale);
  gtk_widget_class_bind_template_child (widget_class, RfCompareBar, crossfade_adjustment);

  gtk_widget_class_set_css_name (widget_class, "rfcomparebar");
}

static void
rf_compare_bar_init (RfCompareBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->frames = g_ptr_array_new_with_free_func (unref_frame);
  self->frame_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->frame_dropdown, G_LIST_MODEL (self->frame_names));
  g_signal_connect_object (self->frame_dropdown, "notify::selected",
                           G_CALLBACK (frame_selected_cb), self, G_CONNECT_SWAPPED);

  self->bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->bindings, "compare-mode",
                             self->mode_dropdown, "selected",
                             G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL,
                             int_to_uint, uint_to_int, NULL, NULL);
  g_binding_group_bind (self->bindings, "crossfade",
                        self->crossfade_adjustment, "value",
                        G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_binding_group_bind (self->bindings, "difference-gain",
                        self->gain_adjustment, "value",
                        G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  gtk_drawing_area_set_draw_func (self->legend, legend_draw, self, NULL);

  self->canvas_signals = g_signal_group_new (RF_TYPE_CANVAS);
  g_signal_group_connect_object (self->canvas_signals, "notify::compare-mode",
                                 G_CALLBACK (rf_compare_bar_sync_visibility), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->canvas_signals, "notify::compare-frame",
                                 G_CALLBACK (rf_compare_bar_sync_frame_selection), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->canvas_signals, "notify::session",
                                 G_CALLBACK (canvas_session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->canvas_signals, "notify::difference-gain",
                                 G_CALLBACK (sync_difference), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->canvas_signals, "notify::difference-mean",
                                 G_CALLBACK (sync_difference), self, G_CONNECT_SWAPPED);

  self->session_signals = g_signal_group_new (RF_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "frame-added",
                                 G_CALLBACK (session_frame_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "lane-added",
                                 G_CALLBACK (session_lane_added_cb), self, G_CONNECT_SWAPPED);

  rf_compare_bar_rebuild_frames (self);
  rf_compare_bar_sync_visibility (self);
  sync_difference (self);
}

GtkWidget *
rf_compare_bar_new (void)
{
  return g_object_new (RF_TYPE_COMPARE_BAR, NULL);
}

RfCanvas *
rf_compare_bar_get_canvas (RfCompareBar *self)
{
  g_return_val_if_fail (RF_IS_COMPARE_BAR (self), NULL);

  return self->canvas;
}

void
rf_compare_bar_set_canvas (RfCompareBar *self,
                           RfCanvas     *canvas)
{
  g_return_if_fail (RF_IS_COMPARE_BAR (self));
  g_return_if_fail (!canvas || RF_IS_CANVAS (canvas));

  if (!g_set_object (&self->canvas, canvas))
    return;

  g_binding_group_set_source (self->bindings, canvas);
  g_signal_group_set_target (self->canvas_signals, canvas);
  canvas_session_changed_cb (self);
  rf_compare_bar_sync_visibility (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CANVAS]);
}

GListModel *
rf_compare_bar_get_frame_names (RfCompareBar *self)
{
  g_return_val_if_fail (RF_IS_COMPARE_BAR (self), NULL);

  return G_LIST_MODEL (self->frame_names);
}

void
rf_compare_bar_set_compact (RfCompareBar *self,
                            gboolean      compact)
{
  g_return_if_fail (RF_IS_COMPARE_BAR (self));

  self->compact = !!compact;
  rf_compare_bar_sync_visibility (self);
}
