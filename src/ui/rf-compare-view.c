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

#define G_LOG_DOMAIN "rf-compare-view"

#include "config.h"

#include <glib/gi18n.h>

#include "rf-compare-view.h"

#define GAP 8

struct _RfCompareView
{
  GtkWidget          parent_instance;

  GdkTexture        *a;
  GdkTexture        *b;
  GdkTexture        *difference;
  RfCompareViewMode  mode;
  double             wipe;
  double             drag_x;
};

G_DEFINE_FINAL_TYPE (RfCompareView, rf_compare_view, GTK_TYPE_WIDGET)

static GdkTexture *
texture_for (GdkPixbuf *pixbuf)
{
  return pixbuf ? gdk_texture_new_for_pixbuf (pixbuf) : NULL;
}

/* The rectangle @texture takes fitted (never enlarged) and centred in @box. */
static graphene_rect_t
fit (GdkTexture            *texture,
     const graphene_rect_t *box)
{
  double w = gdk_texture_get_width (texture);
  double h = gdk_texture_get_height (texture);
  double scale = MIN (1.0, MIN (box->size.width / w, box->size.height / h));
  graphene_rect_t r;

  graphene_rect_init (&r,
                      box->origin.x + (box->size.width - w * scale) / 2,
                      box->origin.y + (box->size.height - h * scale) / 2,
                      w * scale, h * scale);
  return r;
}

static void
append_label (GtkWidget   *widget,
              GtkSnapshot *snapshot,
              const char  *text,
              double       x,
              double       y)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  GdkRGBA color;
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0.6 },
                             &GRAPHENE_RECT_INIT (x, y, w + 8, h + 4));
  gdk_rgba_parse (&color, "white");
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 4, y + 2));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
append_texture (GtkWidget             *widget,
                GtkSnapshot           *snapshot,
                GdkTexture            *texture,
                const graphene_rect_t *box,
                const char            *label)
{
  graphene_rect_t r;

  if (texture == NULL)
    {
      /* Translators: in the comparison, where one run has no such frame */
      append_label (widget, snapshot, _("No frame"), box->origin.x + 8, box->origin.y + 8);
      return;
    }

  r = fit (texture, box);
  gtk_snapshot_append_texture (snapshot, texture, &r);
  if (label != NULL)
    append_label (widget, snapshot, label, r.origin.x + 8, r.origin.y + 8);
}

static void
rf_compare_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  RfCompareView *self = RF_COMPARE_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  graphene_rect_t all = GRAPHENE_RECT_INIT (0, 0, width, height);

  switch (self->mode)
    {
    case RF_COMPARE_VIEW_SIDE_BY_SIDE:
      {
        double half = (width - GAP) / 2;

        append_texture (widget, snapshot, self->a, &GRAPHENE_RECT_INIT (0, 0, half, height), "A");
        append_texture (widget, snapshot, self->b, &GRAPHENE_RECT_INIT (half + GAP, 0, half, height), "B");
      }
      break;

    case RF_COMPARE_VIEW_WIPE:
      {
        GdkTexture *base = self->a ? self->a : self->b;
        graphene_rect_t r, left, right;
        double split;

        if (base == NULL)
          {
            append_texture (widget, snapshot, NULL, &all, NULL);
            break;
          }

        /* Both in A's place, so that the same pixels line up. */
        r = fit (base, &all);
        split = r.origin.x + r.size.width * self->wipe;
        graphene_rect_init (&left, r.origin.x, r.origin.y, split - r.origin.x, r.size.height);
        graphene_rect_init (&right, split, r.origin.y, r.origin.x + r.size.width - split, r.size.height);

        gtk_snapshot_push_clip (snapshot, &left);
        if (self->a != NULL)
          gtk_snapshot_append_texture (snapshot, self->a, &r);
        gtk_snapshot_pop (snapshot);
        gtk_snapshot_push_clip (snapshot, &right);
        if (self->b != NULL)
          gtk_snapshot_append_texture (snapshot, self->b, &r);
        gtk_snapshot_pop (snapshot);
        gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 0.9 },
                                   &GRAPHENE_RECT_INIT (split - 1, r.origin.y, 2, r.size.height));
        append_label (widget, snapshot, "A", r.origin.x + 8, r.origin.y + 8);
        append_label (widget, snapshot, "B", r.origin.x + r.size.width - 28, r.origin.y + 8);
      }
      break;

    case RF_COMPARE_VIEW_DIFFERENCE:
      if (self->difference != NULL)
        append_texture (widget, snapshot, self->difference, &all, NULL);
      else
        /* Translators: in the comparison, when only one run has the frame */
        append_label (widget, snapshot, _("No difference to show: one run has no such frame"), 8, 8);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
drag_begin_cb (RfCompareView  *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  self->drag_x = x;
  if (self->mode == RF_COMPARE_VIEW_WIPE)
    rf_compare_view_set_wipe (self, x / MAX (1, gtk_widget_get_width (GTK_WIDGET (self))));
}

static void
drag_update_cb (RfCompareView  *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  if (self->mode == RF_COMPARE_VIEW_WIPE)
    rf_compare_view_set_wipe (self, (self->drag_x + dx) / MAX (1, gtk_widget_get_width (GTK_WIDGET (self))));
}

static void
rf_compare_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 360;
}

static void
rf_compare_view_dispose (GObject *object)
{
  RfCompareView *self = RF_COMPARE_VIEW (object);

  g_clear_object (&self->a);
  g_clear_object (&self->b);
  g_clear_object (&self->difference);

  G_OBJECT_CLASS (rf_compare_view_parent_class)->dispose (object);
}

static void
rf_compare_view_class_init (RfCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_compare_view_dispose;
  widget_class->snapshot = rf_compare_view_snapshot;
  widget_class->measure = rf_compare_view_measure;

  gtk_widget_class_set_css_name (widget_class, "rfcompareview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rf_compare_view_init (RfCompareView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->wipe = 0.5;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  g_signal_connect_object (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (drag_update_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

GtkWidget *
rf_compare_view_new (void)
{
  return g_object_new (RF_TYPE_COMPARE_VIEW, NULL);
}

void
rf_compare_view_set_images (RfCompareView *self,
                            GdkPixbuf     *a,
                            GdkPixbuf     *b,
                            GdkPixbuf     *difference)
{
  g_return_if_fail (RF_IS_COMPARE_VIEW (self));

  g_clear_object (&self->a);
  g_clear_object (&self->b);
  g_clear_object (&self->difference);
  self->a = texture_for (a);
  self->b = texture_for (b);
  self->difference = texture_for (difference);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
rf_compare_view_set_mode (RfCompareView     *self,
                          RfCompareViewMode  mode)
{
  g_return_if_fail (RF_IS_COMPARE_VIEW (self));

  self->mode = mode;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

RfCompareViewMode
rf_compare_view_get_mode (RfCompareView *self)
{
  g_return_val_if_fail (RF_IS_COMPARE_VIEW (self), RF_COMPARE_VIEW_SIDE_BY_SIDE);

  return self->mode;
}

void
rf_compare_view_set_wipe (RfCompareView *self,
                          double         position)
{
  g_return_if_fail (RF_IS_COMPARE_VIEW (self));

  self->wipe = CLAMP (position, 0.0, 1.0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
rf_compare_view_get_wipe (RfCompareView *self)
{
  g_return_val_if_fail (RF_IS_COMPARE_VIEW (self), 0.5);

  return self->wipe;
}

void
rf_compare_view_get_shown (RfCompareView *self,
                           gboolean      *a,
                           gboolean      *b,
                           gboolean      *difference)
{
  g_return_if_fail (RF_IS_COMPARE_VIEW (self));

  *a = self->a != NULL;
  *b = self->b != NULL;
  *difference = self->difference != NULL;
}
