/*
 * rf-convergence-plot.c
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

#define G_LOG_DOMAIN "rf-convergence-plot"

#include "config.h"

#include <glib/gi18n.h>

#include "rf-convergence-plot.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-session.h"

#define MARGIN 6.0
#define MIN_HEIGHT 96

struct _RfConvergencePlot
{
  GtkWidget     parent_instance;

  RfSession    *sessions[2];
  GSignalGroup *signals[2];
  guint         lanes[2];     /* G_MAXUINT: every lane */
  guint         n_points;
  /* A plot of thousands of points redrawn with every frame would cost
   * the window more than the frames: past MANY_POINTS it is redrawn at
   * most every REDRAW_INTERVAL_USEC while frames come. */
  gint64        drawn_usec;
  guint         redraw_source;
};

#define MANY_POINTS 200
#define REDRAW_INTERVAL_USEC (250 * G_TIME_SPAN_MILLISECOND)

G_DEFINE_FINAL_TYPE (RfConvergencePlot, rf_convergence_plot, GTK_TYPE_WIDGET)

/* Lane colours (GNOME palette: blue, orange, green, purple, red). */
static const double lane_colors[][3] = {
  { 0.21, 0.52, 0.89 },
  { 0.90, 0.38, 0.00 },
  { 0.18, 0.76, 0.49 },
  { 0.57, 0.25, 0.67 },
  { 0.88, 0.11, 0.14 },
};

static gint64
session_duration (RfSession *session)
{
  GListModel *frames = rf_session_get_frames (session);
  guint n = g_list_model_get_n_items (frames);
  g_autoptr(RfFrame) last = n ? g_list_model_get_item (frames, n - 1) : NULL;

  return last ? rf_frame_get_t_ms (last) : 0;
}

static double
session_max_diff (RfSession *session)
{
  GListModel *frames = rf_session_get_frames (session);
  double max = 0;

  for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
      double diff;

      if (rf_frame_get_diff_prev (frame, &diff, NULL))
        max = MAX (max, diff);
    }

  return max;
}

static void
draw_session (RfConvergencePlot *self,
              cairo_t           *cr,
              RfSession         *session,
              gboolean           dashed,
              double             x0,
              double             y0,
              double             w,
              double             h,
              gint64             duration,
              double             max_diff,
              guint              only_lane)
{
  GListModel *lanes = rf_session_get_lanes (session);
  static const double dash[] = { 4.0, 3.0 };

  for (guint l = 0; l < g_list_model_get_n_items (lanes); l++)
    {
      g_autoptr(RfLane) lane = NULL;
      GListModel *frames;
      const double *c;
      gboolean started = FALSE;

      if (only_lane != G_MAXUINT && l != only_lane)
        continue;
      lane = g_list_model_get_item (lanes, l);
      frames = rf_lane_get_frames (lane);
      c = lane_colors[l % G_N_ELEMENTS (lane_colors)];

      /* Change from the previous frame: thin bars at each frame's time. */
      cairo_set_source_rgba (cr, c[0], c[1], c[2], dashed ? 0.25 : 0.4);
      for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
        {
          g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
          double diff;

          if (rf_frame_get_diff_prev (frame, &diff, NULL) && max_diff > 0)
            {
              double x = x0 + w * rf_frame_get_t_ms (frame) / (double) duration;
              double bh = h * diff / max_diff;

              cairo_rectangle (cr, x - (dashed ? 1.0 : 3.0), y0 + h - bh, dashed ? 2.0 : 4.0, bh);
              self->n_points++;
            }
        }
      /* One fill for the lane's bars, one for its points: a run of a
       * thousand images is a few thousand shapes, not as many fills. */
      cairo_fill (cr);

      /* SSIM to the final: a line through the frames that have it. */
      cairo_set_source_rgb (cr, c[0], c[1], c[2]);
      cairo_set_line_width (cr, 2.0);
      cairo_set_dash (cr, dashed ? dash : NULL, dashed ? 2 : 0, 0);
      for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
        {
          g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
          double ssim;

          if (rf_frame_get_ssim_final (frame, &ssim))
            {
              double x = x0 + w * rf_frame_get_t_ms (frame) / (double) duration;
              double y = y0 + h * (1.0 - CLAMP (ssim, 0.0, 1.0));

              if (!started)
                cairo_move_to (cr, x, y);
              else
                cairo_line_to (cr, x, y);
              started = TRUE;
              self->n_points++;
            }
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);

      for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
        {
          g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
          double ssim;

          if (rf_frame_get_ssim_final (frame, &ssim))
            {
              cairo_new_sub_path (cr);
              cairo_arc (cr, x0 + w * rf_frame_get_t_ms (frame) / (double) duration,
                         y0 + h * (1.0 - CLAMP (ssim, 0.0, 1.0)), dashed ? 2.5 : 3.5, 0, 2 * G_PI);
            }
        }
      cairo_fill (cr);
    }
}

static void
rf_convergence_plot_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  RfConvergencePlot *self = RF_CONVERGENCE_PLOT (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA fg;
  cairo_t *cr;
  gint64 duration = 1;
  double max_diff = 0;
  double x0, y0, w, h;
  int lw, lh;

  self->n_points = 0;
  self->drawn_usec = g_get_monotonic_time ();
  if (width <= 2 * MARGIN || height <= 2 * MARGIN)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  for (guint k = 0; k < 2; k++)
    if (self->sessions[k] != NULL)
      {
        duration = MAX (duration, session_duration (self->sessions[k]));
        max_diff = MAX (max_diff, session_max_diff (self->sessions[k]));
      }

  /* Axis labels: SSIM 1 at the top, the time span at the right. */
  layout = gtk_widget_create_pango_layout (widget, "1");
  pango_layout_get_pixel_size (layout, &lw, &lh);
  x0 = MARGIN + lw + 4;
  y0 = MARGIN;
  w = width - x0 - MARGIN;
  h = height - 2 * MARGIN - lh - 2;

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.55);
  cairo_move_to (cr, MARGIN, y0 - 2);
  pango_cairo_show_layout (cr, layout);
  pango_layout_set_text (layout, "0", -1);
  cairo_move_to (cr, MARGIN, y0 + h - lh + 2);
  pango_cairo_show_layout (cr, layout);
  {
    /* Translators: the time span of the convergence plot, in seconds */
    g_autofree char *span = g_strdup_printf (_("%.1f s"), duration / 1000.0);

    pango_layout_set_text (layout, span, -1);
    pango_layout_get_pixel_size (layout, &lw, &lh);
    cairo_move_to (cr, x0 + w - lw, y0 + h + 2);
    pango_cairo_show_layout (cr, layout);
    pango_layout_set_text (layout, "0", -1);
    cairo_move_to (cr, x0, y0 + h + 2);
    pango_cairo_show_layout (cr, layout);
  }

  /* The frame of the plot and the SSIM = 1 line. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.15);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, x0 + 0.5, y0 + 0.5, w - 1, h - 1);
  cairo_stroke (cr);

  for (guint k = 0; k < 2; k++)
    if (self->sessions[k] != NULL)
      /* Inset, so the points at the ends stay whole. */
      draw_session (self, cr, self->sessions[k], k == 1, x0 + 4, y0 + 4, w - 8, h - 8, duration, max_diff,
                    self->lanes[k]);

  cairo_destroy (cr);
}

static void
rf_convergence_plot_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = MIN_HEIGHT;
  else
    {
      *minimum = 120;
      *natural = 240;
    }
}

static gboolean
redraw_cb (gpointer data)
{
  RfConvergencePlot *self = data;

  self->redraw_source = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return G_SOURCE_REMOVE;
}

static void
data_changed_cb (RfConvergencePlot *self)
{
  gint64 since = g_get_monotonic_time () - self->drawn_usec;

  if (self->redraw_source != 0)
    return;

  /* Few points: at once, as measures come in one frame at a time. */
  if (self->n_points <= MANY_POINTS || since >= REDRAW_INTERVAL_USEC)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  else
    self->redraw_source = g_timeout_add ((guint) ((REDRAW_INTERVAL_USEC - since) / 1000) + 1, redraw_cb, self);
}

static void
rf_convergence_plot_dispose (GObject *object)
{
  RfConvergencePlot *self = RF_CONVERGENCE_PLOT (object);

  g_clear_handle_id (&self->redraw_source, g_source_remove);

  for (guint k = 0; k < 2; k++)
    {
      g_clear_object (&self->signals[k]);
      g_clear_object (&self->sessions[k]);
    }

  G_OBJECT_CLASS (rf_convergence_plot_parent_class)->dispose (object);
}

static void
rf_convergence_plot_class_init (RfConvergencePlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_convergence_plot_dispose;
  widget_class->snapshot = rf_convergence_plot_snapshot;
  widget_class->measure = rf_convergence_plot_measure;

  gtk_widget_class_set_css_name (widget_class, "convergence-plot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rf_convergence_plot_init (RfConvergencePlot *self)
{
  self->lanes[0] = self->lanes[1] = G_MAXUINT;
  for (guint k = 0; k < 2; k++)
    {
      self->signals[k] = g_signal_group_new (RF_TYPE_SESSION);
      g_signal_group_connect_object (self->signals[k], "frame-analyzed",
                                     G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_group_connect_object (self->signals[k], "frame-added",
                                     G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* TRANSLATORS: accessible name of the
                                   * convergence plot: how fast the frames
                                   * approach the final image. A frame is one
                                   * step of an image’s refinement: a partial
                                   * image or the final image */
                                  _("Convergence: similarity to the final image and change from the previous frame, over time"),
                                  -1);
}

GtkWidget *
rf_convergence_plot_new (void)
{
  return g_object_new (RF_TYPE_CONVERGENCE_PLOT, NULL);
}

static void
set_session (RfConvergencePlot *self,
             guint              k,
             RfSession         *session)
{
  if (g_set_object (&self->sessions[k], session))
    {
      g_signal_group_set_target (self->signals[k], session);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

void
rf_convergence_plot_set_session (RfConvergencePlot *self,
                                 RfSession         *session)
{
  g_return_if_fail (RF_IS_CONVERGENCE_PLOT (self));

  set_session (self, 0, session);
}

void
rf_convergence_plot_set_compare_session (RfConvergencePlot *self,
                                         RfSession         *session)
{
  g_return_if_fail (RF_IS_CONVERGENCE_PLOT (self));

  set_session (self, 1, session);
}

void
rf_convergence_plot_set_lanes (RfConvergencePlot *self,
                               guint              lane_a,
                               guint              lane_b)
{
  g_return_if_fail (RF_IS_CONVERGENCE_PLOT (self));

  self->lanes[0] = lane_a;
  self->lanes[1] = lane_b;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
rf_convergence_plot_get_n_points (RfConvergencePlot *self)
{
  g_return_val_if_fail (RF_IS_CONVERGENCE_PLOT (self), 0);

  return self->n_points;
}
