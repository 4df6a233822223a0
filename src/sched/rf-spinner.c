/*
 * rf-spinner.c
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

#define G_LOG_DOMAIN "rf-spinner"

#include "config.h"

#include "rf-spinner.h"

/* GtkSpinner turns with a CSS animation: its style changes on every frame
 * of the display, and in GTK 4.8 each restyle asks for a layout of the
 * whole window, which on X11 also costs GDK about a dozen round trips to
 * the display server. While a run streamed, that was a layout per frame
 * for the spinner alone; with the built-in demo the app used 39-44 ticks
 * of CPU time in 3 s with it, 25 without it. Twelve steps a turn, one
 * turn a second, as GtkSpinner turns. */
#define N_STEPS  12
#define STEP_MS  (1000 / N_STEPS)
#define ICON_SIZE 16

struct _RfSpinner
{
  GtkWidget         parent_instance;

  GtkIconPaintable *icon;     /* for the current theme and scale */
  guint             step;
  guint             step_source;
  guint             spinning : 1;
};

G_DEFINE_FINAL_TYPE (RfSpinner, rf_spinner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPINNING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
step_cb (gpointer user_data)
{
  RfSpinner *self = user_data;

  self->step = (self->step + 1) % N_STEPS;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return G_SOURCE_CONTINUE;
}

/* Turns only while someone can see it. */
static void
update_stepping (RfSpinner *self)
{
  gboolean step = self->spinning && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (step && self->step_source == 0)
    {
      self->step_source = g_timeout_add (STEP_MS, step_cb, self);
      g_source_set_name_by_id (self->step_source, "[rf-spinner] step");
    }
  else if (!step)
    g_clear_handle_id (&self->step_source, g_source_remove);
}

static GtkIconPaintable *
get_icon (RfSpinner *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  if (self->icon == NULL)
    self->icon = gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (widget)),
                                             "process-working-symbolic", NULL, ICON_SIZE,
                                             gtk_widget_get_scale_factor (widget),
                                             gtk_widget_get_direction (widget), 0);

  return self->icon;
}

static void
rf_spinner_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  RfSpinner *self = RF_SPINNER (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float size = MIN (width, height);
  GtkIconPaintable *icon;
  GdkRGBA color;

  if (!self->spinning || size <= 0 || (icon = get_icon (self)) == NULL)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width / 2, height / 2));
  gtk_snapshot_rotate (snapshot, self->step * 360.f / N_STEPS);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-size / 2, -size / 2));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                            size, size, &color, 1);
  gtk_snapshot_restore (snapshot);
}

static void
rf_spinner_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  *minimum = *natural = ICON_SIZE;
}

/* A new theme, colour or scale: the icon is looked up again. */
static void
rf_spinner_css_changed (GtkWidget         *widget,
                        GtkCssStyleChange *change)
{
  RfSpinner *self = RF_SPINNER (widget);

  GTK_WIDGET_CLASS (rf_spinner_parent_class)->css_changed (widget, change);

  g_clear_object (&self->icon);
  gtk_widget_queue_draw (widget);
}

static void
scale_factor_changed_cb (RfSpinner *self)
{
  g_clear_object (&self->icon);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
rf_spinner_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rf_spinner_parent_class)->map (widget);
  update_stepping (RF_SPINNER (widget));
}

static void
rf_spinner_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rf_spinner_parent_class)->unmap (widget);
  update_stepping (RF_SPINNER (widget));
}

static void
rf_spinner_dispose (GObject *object)
{
  RfSpinner *self = RF_SPINNER (object);

  g_clear_handle_id (&self->step_source, g_source_remove);
  g_clear_object (&self->icon);

  G_OBJECT_CLASS (rf_spinner_parent_class)->dispose (object);
}

static void
rf_spinner_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RfSpinner *self = RF_SPINNER (object);

  switch (prop_id)
    {
    case PROP_SPINNING:
      g_value_set_boolean (value, self->spinning);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_spinner_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  RfSpinner *self = RF_SPINNER (object);

  switch (prop_id)
    {
    case PROP_SPINNING:
      rf_spinner_set_spinning (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_spinner_class_init (RfSpinnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_spinner_dispose;
  object_class->get_property = rf_spinner_get_property;
  object_class->set_property = rf_spinner_set_property;

  widget_class->snapshot = rf_spinner_snapshot;
  widget_class->measure = rf_spinner_measure;
  widget_class->css_changed = rf_spinner_css_changed;
  widget_class->map = rf_spinner_map;
  widget_class->unmap = rf_spinner_unmap;

  properties [PROP_SPINNING] =
    g_param_spec_boolean ("spinning", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "rfspinner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
rf_spinner_init (RfSpinner *self)
{
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), NULL);
}

GtkWidget *
rf_spinner_new (void)
{
  return g_object_new (RF_TYPE_SPINNER, NULL);
}

gboolean
rf_spinner_get_spinning (RfSpinner *self)
{
  g_return_val_if_fail (RF_IS_SPINNER (self), FALSE);

  return self->spinning;
}

void
rf_spinner_set_spinning (RfSpinner *self,
                         gboolean   spinning)
{
  g_return_if_fail (RF_IS_SPINNER (self));

  spinning = !!spinning;
  if (self->spinning == spinning)
    return;

  self->spinning = spinning;
  self->step = 0;
  update_stepping (self);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, spinning, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SPINNING]);
}
