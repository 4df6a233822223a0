/*
 * rf-timeline-ruler.c
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

#define G_LOG_DOMAIN "rf-timeline-ruler"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "rf-event.h"
#include "rf-frame.h"
#include "rf-session.h"
#include "rf-timeline-private.h"
#include "rf-zoom.h"

/* The timeline's top: the time scale with its labels and the selection's
 * time in a pill, then a tick for every event. It only draws and answers
 * tooltips; the timeline takes the input. */
struct _RfTimelineRuler
{
  GtkWidget      parent_instance;

  RfSession     *session;
  RfPlayer      *player;

  RfTimelineLayer layer;
  /* Each event's time and colour, in the session's order: the events row
   * is drawn with every frame of a streaming run, and a run of a
   * thousand images has ten thousand events to go over each time. Events
   * are only appended; a change before the end drops the tail. */
  GListModel    *events;
  GArray        *marks;         /* EventMark */
};

typedef struct
{
  double t_ms;
  guint  colour;                /* an index into the colours below */
} EventMark;

static const GdkRGBA *
mark_colour (const RfTimelineColours *c,
             guint                    colour)
{
  const GdkRGBA *colours[] = { &c->dim, &c->partial, &c->final, &c->failed, &c->fg };

  return colours[MIN (colour, G_N_ELEMENTS (colours) - 1)];
}

static guint
mark_colour_index (const RfTimelineColours *c,
                   const GdkRGBA           *colour)
{
  for (guint i = 0; i < 4; i++)
    if (mark_colour (c, i) == colour)
      return i;

  return 4;
}

static void
update_marks (RfTimelineRuler         *self,
              const RfTimelineColours *c)
{
  guint n = g_list_model_get_n_items (self->events);

  for (guint i = self->marks->len; i < n; i++)
    {
      g_autoptr(RfEvent) event = g_list_model_get_item (self->events, i);
      EventMark mark = { rf_event_get_t_ms (event),
                         mark_colour_index (c, rf_timeline_event_colour (c, event)) };

      g_array_append_val (self->marks, mark);
    }
}

static void
events_changed_cb (RfTimelineRuler *self,
                   guint            position,
                   guint            removed,
                   guint            added)
{
  if (position < self->marks->len)
    g_array_set_size (self->marks, position);
}

G_DEFINE_FINAL_TYPE (RfTimelineRuler, rf_timeline_ruler, GTK_TYPE_WIDGET)

static void
snapshot_events (GtkWidget               *widget,
                 GtkSnapshot             *snapshot,
                 const RfTimelineColours *c)
{
  RfTimelineRuler *self = RF_TIMELINE_RULER (widget);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double x0 = RF_TIMELINE_AREA_START - AREA_PAD_START;
  double column_x = -G_MAXDOUBLE;
  /* The axis once, not for each of thousands of events. */
  double origin_x = rf_timeline_area_x_for_time (self->player, 0);
  double px_per_ms = (rf_timeline_area_x_for_time (self->player, 1000) - origin_x) / 1000;
  guint column_colours = 0;

  rf_timeline_snapshot_gutter_label (GTK_WIDGET (self), self->layer.layouts, snapshot, _("Events"), NULL,
                                     RULER_HEIGHT, EVENTS_HEIGHT, c);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (x0, RULER_HEIGHT, width - x0, EVENTS_HEIGHT));
  update_marks (self, c);
  for (guint i = 0; i < self->marks->len; i++)
    {
      const EventMark *mark = &g_array_index (self->marks, EventMark, i);
      double x = floor (origin_x + mark->t_ms * px_per_ms);
      const GdkRGBA *colour = mark_colour (c, mark->colour);
      double h = colour == &c->dim ? 8 : 12;
      guint colour_bit = 1u << mark->colour;

      /* A run of thousands of events has many to a pixel: each column
       * gets one mark of each colour, so the row costs its width, not
       * its events. Events come in time order, so a column's are
       * together. */
      if (x != column_x)
        {
          column_x = x;
          column_colours = 0;
        }
      if ((column_colours & colour_bit) != 0 || x < x0 - 1 || x > width)
        continue;
      column_colours |= colour_bit;

      gtk_snapshot_append_color (snapshot, colour,
                                 &GRAPHENE_RECT_INIT (x, RULER_HEIGHT + (EVENTS_HEIGHT - h) / 2, 1, h));
    }
  gtk_snapshot_pop (snapshot);
  /* The gutter's edge, down through the scale too. */
  gtk_snapshot_append_color (snapshot, &c->faint,
                             &GRAPHENE_RECT_INIT (GUTTER_WIDTH, 0, 1, gtk_widget_get_height (widget)));
}

/* The playhead's time in a pill on the scale. */
static void
snapshot_pill (RfTimelineRuler         *self,
               GtkSnapshot             *snapshot,
               const RfTimelineColours *c)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double t, x, x0 = RF_TIMELINE_AREA_START - AREA_PAD_START;
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle logical;
  graphene_rect_t pill;

  if (!rf_player_get_playhead_ms (self->player, &t))
    return;

  x = round (rf_timeline_area_x_for_time (self->player, t));
  if (x < x0 - 1 || x > width + 1)
    return;

  text = rf_time_scale_format (t, 1.0);
  layout = rf_timeline_create_small_layout (GTK_WIDGET (self), text, TRUE);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  graphene_rect_init (&pill, x - logical.width / 2.0 - 6, 2, logical.width + 12, RULER_HEIGHT - 4);
  pill.origin.x = CLAMP (pill.origin.x, x0, width - pill.size.width - 2);
  rf_timeline_append_rounded (snapshot, &pill, pill.size.height / 2, &c->partial);
  rf_timeline_append_layout_at (snapshot, layout, pill.origin.x + 6,
                                pill.origin.y + (pill.size.height - logical.height) / 2,
                                &(GdkRGBA) { 1, 1, 1, 1 });
}

static RfEvent *
find_event_near (RfTimelineRuler *self,
                 double           x,
                 guint           *n_near)
{
  GListModel *events = rf_session_get_events (self->session);
  guint n = g_list_model_get_n_items (events);
  RfEvent *best = NULL;
  double best_d = 5.0;

  *n_near = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfEvent) event = g_list_model_get_item (events, i);
      double d = fabs (rf_timeline_area_x_for_time (self->player, rf_event_get_t_ms (event)) - x);

      if (d <= 5.0)
        (*n_near)++;
      if (d < best_d)
        {
          best_d = d;
          g_set_object (&best, event);
        }
    }

  return best;
}

/* GtkWidget */

static void
rf_timeline_ruler_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  RfTimelineRuler *self = RF_TIMELINE_RULER (widget);
  RfTimelineColours c;

  if (self->session == NULL || self->player == NULL)
    return;

  rf_timeline_get_colours (widget, &c);
  rf_timeline_layer_snapshot (&self->layer, widget, self->player, snapshot, &c, RULER_HEIGHT, TRUE, snapshot_events);
  snapshot_pill (self, snapshot, &c);
}

static void
rf_timeline_ruler_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = GUTTER_WIDTH + 200;
      *natural = GUTTER_WIDTH + 600;
    }
  else
    {
      *minimum = *natural = RF_TIMELINE_HEADER_HEIGHT;
    }
}

static void
rf_timeline_ruler_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  RfTimelineRuler *self = RF_TIMELINE_RULER (widget);

  /* The parts share the timeline's width: the ruler gives it to the axis. */
  if (self->player != NULL)
    rf_player_set_axis_width (self->player, width - RF_TIMELINE_AREA_START - AREA_PAD_END);
  rf_timeline_ruler_invalidate (self);
}

static void
rf_timeline_ruler_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  RfTimelineRuler *self = RF_TIMELINE_RULER (widget);

  GTK_WIDGET_CLASS (rf_timeline_ruler_parent_class)->css_changed (widget, change);
  rf_timeline_layer_css_changed (&self->layer, widget);
}

/* Events under the pointer, else the time under it. */
static gboolean
rf_timeline_ruler_query_tooltip (GtkWidget  *widget,
                                 int         x,
                                 int         y,
                                 gboolean    keyboard_mode,
                                 GtkTooltip *tooltip)
{
  RfTimelineRuler *self = RF_TIMELINE_RULER (widget);
  double t;

  if (self->session == NULL || keyboard_mode || x < GUTTER_WIDTH)
    return FALSE;

  t = MAX (0, rf_timeline_area_time_at_x (self->player, x));

  if (y >= RULER_HEIGHT)
    {
      guint n_near = 0;
      g_autoptr(RfEvent) event = find_event_near (self, x, &n_near);

      if (event != NULL)
        {
          g_autofree char *summary = rf_event_dup_summary (event);
          GString *str = g_string_new (NULL);
          g_autofree char *text = NULL;

          g_string_append_printf (str, "%.3f s · ", rf_event_get_t_ms (event) / 1000.0);
          if (rf_event_get_sequence_number (event) >= 0)
            /* Translators: event tooltip: sequence number */
            g_string_append_printf (str, _("seq %lld · "), (long long) rf_event_get_sequence_number (event));
          g_string_append (str, summary ? summary : "");
          if (n_near > 1)
            {
              g_string_append_c (str, '\n');
              g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE,
                                                        /* Translators: more events under the pointer */
                                                        "and %u more event here",
                                                        "and %u more events here", n_near - 1),
                                      n_near - 1);
            }
          text = g_string_free (str, FALSE);
          gtk_tooltip_set_text (tooltip, text);
          return TRUE;
        }
    }

  rf_timeline_set_time_tooltip (tooltip, t);
  return TRUE;
}

/* GObject */

static void
set_events (RfTimelineRuler *self,
            GListModel      *events)
{
  if (self->events == events)
    return;

  if (self->events != NULL)
    g_signal_handlers_disconnect_by_func (self->events, events_changed_cb, self);
  g_set_object (&self->events, events);
  if (events != NULL)
    g_signal_connect_object (events, "items-changed", G_CALLBACK (events_changed_cb), self, G_CONNECT_SWAPPED);
  g_array_set_size (self->marks, 0);
}

static void
rf_timeline_ruler_dispose (GObject *object)
{
  RfTimelineRuler *self = RF_TIMELINE_RULER (object);

  set_events (self, NULL);
  g_clear_object (&self->session);
  g_clear_object (&self->player);
  rf_timeline_layer_clear (&self->layer);

  G_OBJECT_CLASS (rf_timeline_ruler_parent_class)->dispose (object);
}

static void
rf_timeline_ruler_finalize (GObject *object)
{
  RfTimelineRuler *self = RF_TIMELINE_RULER (object);

  g_clear_pointer (&self->marks, g_array_unref);

  G_OBJECT_CLASS (rf_timeline_ruler_parent_class)->finalize (object);
}

static void
rf_timeline_ruler_class_init (RfTimelineRulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_timeline_ruler_dispose;
  object_class->finalize = rf_timeline_ruler_finalize;

  widget_class->snapshot = rf_timeline_ruler_snapshot;
  widget_class->measure = rf_timeline_ruler_measure;
  widget_class->size_allocate = rf_timeline_ruler_size_allocate;
  widget_class->css_changed = rf_timeline_ruler_css_changed;
  widget_class->query_tooltip = rf_timeline_ruler_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "rftimelineruler");
}

static void
rf_timeline_ruler_init (RfTimelineRuler *self)
{
  rf_timeline_layer_init (&self->layer);
  self->marks = g_array_new (FALSE, FALSE, sizeof (EventMark));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

void
rf_timeline_ruler_set_model (RfTimelineRuler *self,
                             RfSession       *session,
                             RfPlayer        *player)
{
  g_return_if_fail (RF_IS_TIMELINE_RULER (self));
  g_return_if_fail (!session || RF_IS_SESSION (session));
  g_return_if_fail (!player || RF_IS_PLAYER (player));

  g_set_object (&self->session, session);
  set_events (self, session != NULL ? rf_session_get_events (session) : NULL);
  g_set_object (&self->player, player);
  if (player != NULL && gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    rf_player_set_axis_width (player, gtk_widget_get_width (GTK_WIDGET (self)) - RF_TIMELINE_AREA_START - AREA_PAD_END);
  rf_timeline_ruler_invalidate (self);
}

void
rf_timeline_ruler_set_hover (RfTimelineRuler *self,
                             double           hover_x)
{
  g_return_if_fail (RF_IS_TIMELINE_RULER (self));

  rf_timeline_layer_set_hover (&self->layer, GTK_WIDGET (self), hover_x);
}

void
rf_timeline_ruler_invalidate (RfTimelineRuler *self)
{
  g_return_if_fail (RF_IS_TIMELINE_RULER (self));

  rf_timeline_layer_invalidate (&self->layer, GTK_WIDGET (self));
}
