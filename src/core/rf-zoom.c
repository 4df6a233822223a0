/*
 * rf-zoom.c
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

#define G_LOG_DOMAIN "rf-zoom"

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "rf-zoom.h"

struct _RfZoom
{
  GObject  parent_instance;

  int      image_width;
  int      image_height;
  double   view_width;
  double   view_height;

  double   zoom;
  double   origin_x;
  double   origin_y;

  guint    best_fit : 1;
};

G_DEFINE_FINAL_TYPE (RfZoom, rf_zoom, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ZOOM,
  PROP_BEST_FIT,
  PROP_CAN_ZOOM_IN,
  PROP_CAN_ZOOM_OUT,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

#define ZOOM_STEP  1.5
#define WHEEL_STEP 1.3

double
rf_zoom_clamp (double zoom)
{
  if (isnan (zoom))
    return 1.0;
  return CLAMP (zoom, RF_ZOOM_MIN, RF_ZOOM_MAX);
}

double
rf_zoom_compute_best_fit (int    image_width,
                          int    image_height,
                          double view_width,
                          double view_height)
{
  double fit;

  if (image_width <= 0 || image_height <= 0 || view_width <= 0 || view_height <= 0)
    return 1.0;

  fit = MIN (view_width / image_width, view_height / image_height);

  return rf_zoom_clamp (MIN (fit, 1.0));
}

/* Centres the axes where the image is smaller than the view and keeps the
 * others from showing empty space past the image edges. */
static double
clamp_axis (double origin,
            double image_size,
            double view_size)
{
  if (image_size <= view_size)
    return (view_size - image_size) / 2.0;

  return CLAMP (origin, view_size - image_size, 0.0);
}

static void
rf_zoom_clamp_origin (RfZoom *self)
{
  self->origin_x = clamp_axis (self->origin_x, self->image_width * self->zoom, self->view_width);
  self->origin_y = clamp_axis (self->origin_y, self->image_height * self->zoom, self->view_height);
}

/* Applies a new state and tells listeners what changed. */
static void
rf_zoom_update (RfZoom   *self,
                double    zoom,
                double    origin_x,
                double    origin_y,
                gboolean  best_fit)
{
  gboolean could_in = rf_zoom_can_zoom_in (self);
  gboolean could_out = rf_zoom_can_zoom_out (self);
  double old_zoom = self->zoom;
  double old_x = self->origin_x;
  double old_y = self->origin_y;
  gboolean old_fit = self->best_fit;

  self->best_fit = !!best_fit;
  if (self->best_fit)
    zoom = rf_zoom_compute_best_fit (self->image_width, self->image_height,
                                     self->view_width, self->view_height);
  self->zoom = rf_zoom_clamp (zoom);
  self->origin_x = origin_x;
  self->origin_y = origin_y;
  rf_zoom_clamp_origin (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (old_zoom != self->zoom)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
  if (old_fit != self->best_fit)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BEST_FIT]);
  if (could_in != rf_zoom_can_zoom_in (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_ZOOM_IN]);
  if (could_out != rf_zoom_can_zoom_out (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_ZOOM_OUT]);
  g_object_thaw_notify (G_OBJECT (self));

  if (old_zoom != self->zoom || old_x != self->origin_x || old_y != self->origin_y ||
      old_fit != self->best_fit)
    g_signal_emit (self, signals [CHANGED], 0);
}

static void
rf_zoom_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RfZoom *self = RF_ZOOM (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_BEST_FIT:
      g_value_set_boolean (value, self->best_fit);
      break;

    case PROP_CAN_ZOOM_IN:
      g_value_set_boolean (value, rf_zoom_can_zoom_in (self));
      break;

    case PROP_CAN_ZOOM_OUT:
      g_value_set_boolean (value, rf_zoom_can_zoom_out (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_zoom_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  RfZoom *self = RF_ZOOM (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      rf_zoom_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_BEST_FIT:
      rf_zoom_set_best_fit (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_zoom_class_init (RfZoomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = rf_zoom_get_property;
  object_class->set_property = rf_zoom_set_property;

  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         RF_ZOOM_MIN, RF_ZOOM_MAX, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_BEST_FIT] =
    g_param_spec_boolean ("best-fit", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CAN_ZOOM_IN] =
    g_param_spec_boolean ("can-zoom-in", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_CAN_ZOOM_OUT] =
    g_param_spec_boolean ("can-zoom-out", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Any change of zoom or origin: the view redraws. */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
rf_zoom_init (RfZoom *self)
{
  self->zoom = 1.0;
  self->best_fit = TRUE;
}

RfZoom *
rf_zoom_new (void)
{
  return g_object_new (RF_TYPE_ZOOM, NULL);
}

void
rf_zoom_set_image_size (RfZoom *self,
                        int     width,
                        int     height)
{
  double cx, cy;
  double ix = 0, iy = 0;

  g_return_if_fail (RF_IS_ZOOM (self));

  width = MAX (width, 0);
  height = MAX (height, 0);

  if (width == self->image_width && height == self->image_height)
    return;

  /* Keep the same relative image point in the view centre, so a new frame
   * of another size does not jump. */
  cx = self->view_width / 2.0;
  cy = self->view_height / 2.0;
  if (self->image_width > 0 && self->image_height > 0)
    {
      rf_zoom_view_to_image (self, cx, cy, &ix, &iy);
      ix /= self->image_width;
      iy /= self->image_height;
    }

  self->image_width = width;
  self->image_height = height;

  rf_zoom_update (self, self->zoom,
                  cx - ix * width * self->zoom,
                  cy - iy * height * self->zoom,
                  self->best_fit);
}

void
rf_zoom_get_image_size (RfZoom *self,
                        int    *width,
                        int    *height)
{
  g_return_if_fail (RF_IS_ZOOM (self));

  if (width)
    *width = self->image_width;
  if (height)
    *height = self->image_height;
}

void
rf_zoom_set_view_size (RfZoom *self,
                       double  width,
                       double  height)
{
  double dx, dy;

  g_return_if_fail (RF_IS_ZOOM (self));

  width = MAX (width, 0);
  height = MAX (height, 0);

  if (width == self->view_width && height == self->view_height)
    return;

  /* Resizing keeps the image point at the view centre where it was. */
  dx = (width - self->view_width) / 2.0;
  dy = (height - self->view_height) / 2.0;
  self->view_width = width;
  self->view_height = height;

  rf_zoom_update (self, self->zoom, self->origin_x + dx, self->origin_y + dy, self->best_fit);
}

void
rf_zoom_get_view_size (RfZoom *self,
                       double *width,
                       double *height)
{
  g_return_if_fail (RF_IS_ZOOM (self));

  if (width)
    *width = self->view_width;
  if (height)
    *height = self->view_height;
}

double
rf_zoom_get_zoom (RfZoom *self)
{
  g_return_val_if_fail (RF_IS_ZOOM (self), 1.0);

  return self->zoom;
}

void
rf_zoom_zoom_at (RfZoom *self,
                 double  zoom,
                 double  view_x,
                 double  view_y)
{
  double ix, iy;

  g_return_if_fail (RF_IS_ZOOM (self));

  zoom = rf_zoom_clamp (zoom);
  rf_zoom_view_to_image (self, view_x, view_y, &ix, &iy);
  rf_zoom_update (self, zoom, view_x - ix * zoom, view_y - iy * zoom, FALSE);
}

void
rf_zoom_set_zoom (RfZoom *self,
                  double  zoom)
{
  g_return_if_fail (RF_IS_ZOOM (self));

  rf_zoom_zoom_at (self, zoom, self->view_width / 2.0, self->view_height / 2.0);
}

void
rf_zoom_zoom_in (RfZoom *self)
{
  g_return_if_fail (RF_IS_ZOOM (self));

  rf_zoom_set_zoom (self, self->zoom * ZOOM_STEP);
}

void
rf_zoom_zoom_out (RfZoom *self)
{
  g_return_if_fail (RF_IS_ZOOM (self));

  rf_zoom_set_zoom (self, self->zoom / ZOOM_STEP);
}

void
rf_zoom_scroll (RfZoom *self,
                double  delta,
                double  view_x,
                double  view_y)
{
  g_return_if_fail (RF_IS_ZOOM (self));

  rf_zoom_zoom_at (self, self->zoom * pow (WHEEL_STEP, -delta), view_x, view_y);
}

gboolean
rf_zoom_get_best_fit (RfZoom *self)
{
  g_return_val_if_fail (RF_IS_ZOOM (self), FALSE);

  return self->best_fit;
}

void
rf_zoom_set_best_fit (RfZoom   *self,
                      gboolean  best_fit)
{
  g_return_if_fail (RF_IS_ZOOM (self));

  rf_zoom_update (self, self->zoom, self->origin_x, self->origin_y, best_fit);
}

gboolean
rf_zoom_can_zoom_in (RfZoom *self)
{
  g_return_val_if_fail (RF_IS_ZOOM (self), FALSE);

  return self->zoom < RF_ZOOM_MAX;
}

gboolean
rf_zoom_can_zoom_out (RfZoom *self)
{
  g_return_val_if_fail (RF_IS_ZOOM (self), FALSE);

  return self->zoom > RF_ZOOM_MIN;
}

void
rf_zoom_pan (RfZoom *self,
             double  dx,
             double  dy)
{
  g_return_if_fail (RF_IS_ZOOM (self));

  rf_zoom_update (self, self->zoom, self->origin_x + dx, self->origin_y + dy, self->best_fit);
}

void
rf_zoom_set_origin (RfZoom *self,
                    double  x,
                    double  y)
{
  g_return_if_fail (RF_IS_ZOOM (self));

  rf_zoom_update (self, self->zoom, x, y, self->best_fit);
}

void
rf_zoom_get_origin (RfZoom *self,
                    double *x,
                    double *y)
{
  g_return_if_fail (RF_IS_ZOOM (self));

  if (x)
    *x = self->origin_x;
  if (y)
    *y = self->origin_y;
}

void
rf_zoom_view_to_image (RfZoom *self,
                       double  view_x,
                       double  view_y,
                       double *image_x,
                       double *image_y)
{
  g_return_if_fail (RF_IS_ZOOM (self));

  if (image_x)
    *image_x = (view_x - self->origin_x) / self->zoom;
  if (image_y)
    *image_y = (view_y - self->origin_y) / self->zoom;
}

void
rf_zoom_image_to_view (RfZoom *self,
                       double  image_x,
                       double  image_y,
                       double *view_x,
                       double *view_y)
{
  g_return_if_fail (RF_IS_ZOOM (self));

  if (view_x)
    *view_x = self->origin_x + image_x * self->zoom;
  if (view_y)
    *view_y = self->origin_y + image_y * self->zoom;
}

double
rf_time_scale_pick_step (double ms_per_px,
                         double min_px)
{
  static const double mantissas[] = { 1, 2, 5 };
  double min_ms;
  double decade;

  if (!(ms_per_px > 0) || !(min_px > 0))
    return 1000.0;

  min_ms = ms_per_px * min_px;

  for (decade = 1.0; decade < 1e12; decade *= 10.0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
        {
          double step = mantissas[i] * decade;

          if (step >= min_ms)
            return step;
        }
    }

  return 1e12;
}

char *
rf_time_scale_format (double ms,
                      double step_ms)
{
  if (fabs (ms) < 0.5)
    return g_strdup ("0");

  if (step_ms < 1000.0)
    {
      if (fabs (ms) < 1000.0)
        /* Translators: a time in milliseconds on the timeline ruler */
        return g_strdup_printf (_("%.0f ms"), ms);

      if (step_ms < 10.0)
        /* Translators: a time in seconds on the timeline ruler */
        return g_strdup_printf (_("%.3f s"), ms / 1000.0);
      if (step_ms < 100.0)
        return g_strdup_printf (_("%.2f s"), ms / 1000.0);
      return g_strdup_printf (_("%.1f s"), ms / 1000.0);
    }

  if (ms < 60000.0 || step_ms < 60000.0)
    {
      if (fmod (ms, 1000.0) == 0)
        return g_strdup_printf (_("%.0f s"), ms / 1000.0);
      return g_strdup_printf (_("%.1f s"), ms / 1000.0);
    }

  /* Translators: minutes and seconds on the timeline ruler */
  return g_strdup_printf (_("%d min %d s"), (int) (ms / 60000.0), ((int) (ms / 1000.0)) % 60);
}
