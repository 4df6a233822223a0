/*
 * rf-timeline-lanes.c
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

#define G_LOG_DOMAIN "rf-timeline-lanes"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-session.h"
#include "rf-timeline-private.h"

/* The timeline's rows: one per image, its frames at their arrival times
 * (thumbnails where they fit, markers elsewhere) and a ring around the
 * selected one. It only draws and answers tooltips; the timeline takes
 * the input and says how many rows to make room for. */
struct _RfTimelineLanes
{
  GtkWidget      parent_instance;

  RfSession     *session;
  RfPlayer      *player;

  RfTimelineLayer layer;
  GHashTable    *thumbnails;    /* RfFrame* → GdkTexture* */
  guint          n_rows;
  /* Lanes folded to one line of markers: lane index → TRUE. A run with
   * many images shows more of them this way. */
  GHashTable    *collapsed;
  /* The scroll of the window the lanes are seen through: only the rows
   * in view are drawn, so a run with a thousand images costs what its
   * few visible lanes cost. NULL draws every row. */
  GtkAdjustment *vadjustment;

  /* A live frame still arriving (::frame-arriving): marked in its lane,
   * where the run is now, filled as far as its rows have come. */
  gboolean       has_arriving;
  gint64         arriving_index;     /* its image's output_index, -1 unknown */
  double         arriving_fraction;
  gint64         arriving_t_ms;      /* on the run's clock */
};

G_DEFINE_FINAL_TYPE (RfTimelineLanes, rf_timeline_lanes, GTK_TYPE_WIDGET)

gboolean
rf_timeline_lanes_get_collapsed (RfTimelineLanes *self,
                                 guint            row)
{
  g_return_val_if_fail (RF_IS_TIMELINE_LANES (self), FALSE);

  return g_hash_table_contains (self->collapsed, GUINT_TO_POINTER (row));
}

double
rf_timeline_lanes_get_row_height (RfTimelineLanes *self,
                                  guint            row)
{
  return rf_timeline_lanes_get_collapsed (self, row) ? COLLAPSED_LANE_HEIGHT : LANE_HEIGHT;
}

double
rf_timeline_lanes_get_row_y (RfTimelineLanes *self,
                             guint            row)
{
  double y = 0;

  g_return_val_if_fail (RF_IS_TIMELINE_LANES (self), 0);

  /* Few lanes are collapsed: walk them instead of every row. */
  y = row * LANE_HEIGHT;
  if (g_hash_table_size (self->collapsed) > 0)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->collapsed);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (GPOINTER_TO_UINT (key) < row)
          y -= LANE_HEIGHT - COLLAPSED_LANE_HEIGHT;
    }

  return y;
}

int
rf_timeline_lanes_row_at_y (RfTimelineLanes *self,
                            double           y)
{
  double top = 0;

  g_return_val_if_fail (RF_IS_TIMELINE_LANES (self), -1);

  if (y < 0)
    return -1;

  if (g_hash_table_size (self->collapsed) == 0)
    {
      guint row = (guint) (y / LANE_HEIGHT);
      return row < self->n_rows ? (int) row : -1;
    }

  for (guint row = 0; row < self->n_rows; row++)
    {
      top += rf_timeline_lanes_get_row_height (self, row);
      if (y < top)
        return (int) row;
    }

  return -1;
}

static double
total_height (RfTimelineLanes *self)
{
  return rf_timeline_lanes_get_row_y (self, MAX (1, self->n_rows));
}

static GdkTexture *
get_thumbnail (RfTimelineLanes *self,
               RfFrame         *frame)
{
  GdkTexture *texture;
  GdkPixbuf *pixbuf;

  if ((texture = g_hash_table_lookup (self->thumbnails, frame)))
    return texture;

  if (rf_frame_get_decode_status (frame) != RF_DECODE_OK ||
      !(pixbuf = rf_frame_get_thumbnail (frame)))
    return NULL;

  /* At the device pixels it is drawn at, made once: a texture drawn at
   * another size is filtered anew each time the timeline is drawn. */
  {
    int size = (int) THUMB_SIZE * gtk_widget_get_scale_factor (GTK_WIDGET (self));
    int w = gdk_pixbuf_get_width (pixbuf);
    int h = gdk_pixbuf_get_height (pixbuf);
    double scale = (double) size / MAX (w, h);
    g_autoptr(GdkPixbuf) scaled = NULL;

    if (scale < 1.0)
      scaled = gdk_pixbuf_scale_simple (pixbuf, MAX (1, (int) round (w * scale)),
                                        MAX (1, (int) round (h * scale)), GDK_INTERP_BILINEAR);
    texture = gdk_texture_new_for_pixbuf (scaled ? scaled : pixbuf);
  }
  g_hash_table_insert (self->thumbnails, g_object_ref (frame), texture);

  return texture;
}

static void
snapshot_frame (RfTimelineLanes         *self,
                GtkSnapshot             *snapshot,
                RfFrame                 *frame,
                double                   x,
                double                   row_y,
                gboolean                 with_thumbnail,
                double                   row_height,
                const RfTimelineColours *c)
{
  const GdkRGBA *colour = rf_timeline_frame_colour (c, frame);
  GdkTexture *thumb = with_thumbnail ? get_thumbnail (self, frame) : NULL;
  double cy = row_y + MIN (row_height, THUMB_ROW_HEIGHT) / 2;
  double marker_h = MIN (28, row_height - 8);

  if (thumb != NULL)
    {
      double tw = gdk_texture_get_width (thumb);
      double th = gdk_texture_get_height (thumb);
      double scale = THUMB_SIZE / MAX (tw, th);
      graphene_rect_t rect;
      GskRoundedRect rounded;

      tw = round (tw * scale);
      th = round (th * scale);
      graphene_rect_init (&rect, round (x - tw / 2), round (cy - th / 2 - 3), tw, th);
      gsk_rounded_rect_init_from_rect (&rounded, &rect, 4);

      gtk_snapshot_append_outset_shadow (snapshot, &rounded, &(GdkRGBA) { 0, 0, 0, 0.25 }, 0, 1, 0, 2);
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_texture (snapshot, thumb, &rect);
      gtk_snapshot_pop (snapshot);

      /* The kind as a coloured bar under the thumbnail. */
      rf_timeline_append_rounded (snapshot,
                      &GRAPHENE_RECT_INIT (rect.origin.x, rect.origin.y + th + 3, tw, 3),
                      1.5, colour);
    }
  else
    {
      rf_timeline_append_rounded (snapshot,
                      &GRAPHENE_RECT_INIT (round (x - MARKER_WIDTH / 2), cy - marker_h / 2, MARKER_WIDTH, marker_h),
                      MARKER_WIDTH / 2, colour);
    }
}

/* How the lane refines, under its thumbnails: bars for the change from
 * the frame before (scaled to the lane's largest), a line for the SSIM
 * to the final (top = identical). Frames not measured yet are skipped;
 * a lane with no final has no line. */
static void
snapshot_strip (RfTimelineLanes         *self,
                GtkSnapshot             *snapshot,
                GListModel              *frames,
                double                   row_y,
                double                   width,
                const RfTimelineColours *c)
{
  guint n = g_list_model_get_n_items (frames);
  double top = row_y + THUMB_ROW_HEIGHT + 2;
  double height = STRIP_HEIGHT - 5;
  double max_diff = 0;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  GdkRGBA bar = c->fg;
  GdkRGBA guide = c->faint;
  cairo_t *cr;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
      double diff;

      if (rf_frame_get_diff_prev (frame, &diff, NULL))
        max_diff = MAX (max_diff, diff);
    }

  /* The top line: identical to the final. */
  gtk_snapshot_append_color (snapshot, &guide, &GRAPHENE_RECT_INIT (RF_TIMELINE_AREA_START, top, width, 1));

  bar.alpha *= 0.3;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
      double x = rf_timeline_area_x_for_time (self->player, rf_frame_get_t_ms (frame));
      double diff, ssim;

      if (max_diff > 0 && rf_frame_get_diff_prev (frame, &diff, NULL) && diff > 0)
        {
          double h = MAX (1, height * diff / max_diff);

          gtk_snapshot_append_color (snapshot, &bar,
                                     &GRAPHENE_RECT_INIT (round (x - 1.5), top + height - h + 1, 3, h));
        }
      if (rf_frame_get_ssim_final (frame, &ssim))
        {
          graphene_point_t p = GRAPHENE_POINT_INIT (x, top + 1 + height * (1 - CLAMP (ssim, 0, 1)));

          g_array_append_val (points, p);
        }
    }

  if (points->len == 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (RF_TIMELINE_AREA_START - 4, top - 2,
                                                                 width + 8, height + 5));
  gdk_cairo_set_source_rgba (cr, &c->final);
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < points->len; i++)
    {
      graphene_point_t *p = &g_array_index (points, graphene_point_t, i);

      if (i == 0)
        cairo_move_to (cr, p->x, p->y);
      else
        cairo_line_to (cr, p->x, p->y);
    }
  cairo_stroke (cr);
  for (guint i = 0; i < points->len; i++)
    {
      graphene_point_t *p = &g_array_index (points, graphene_point_t, i);

      cairo_arc (cr, p->x, p->y, 2, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
}

/* The gutter's fold mark: pointing down when the lane is open, right
 * when it is folded to one line. */
static void
snapshot_chevron (GtkSnapshot             *snapshot,
                  double                   row_y,
                  double                   row_height,
                  gboolean                 collapsed,
                  const RfTimelineColours *c)
{
  double cx = 6, cy = round (row_y + MIN (row_height, THUMB_ROW_HEIGHT) / 2) - 0.5;
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, cy - 5, 12, 10));

  gdk_cairo_set_source_rgba (cr, &c->dim);
  cairo_set_line_width (cr, 1.5);
  if (collapsed)
    {
      cairo_move_to (cr, cx - 1.5, cy - 3.5);
      cairo_line_to (cr, cx + 2, cy);
      cairo_line_to (cr, cx - 1.5, cy + 3.5);
    }
  else
    {
      cairo_move_to (cr, cx - 3.5, cy - 1.5);
      cairo_line_to (cr, cx, cy + 2);
      cairo_line_to (cr, cx + 3.5, cy - 1.5);
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
}

/* The rows from @first to @last (inclusive) lie in view; with no
 * scrolled window, all of them. FALSE when there are none. */
static gboolean
get_rows_in_view (RfTimelineLanes *self,
                  guint            n_lanes,
                  guint           *first,
                  guint           *last)
{
  double top, page;
  int row;

  if (n_lanes == 0)
    return FALSE;

  *first = 0;
  *last = n_lanes - 1;
  if (self->vadjustment == NULL || (page = gtk_adjustment_get_page_size (self->vadjustment)) <= 0)
    return TRUE;

  top = gtk_adjustment_get_value (self->vadjustment);
  if ((row = rf_timeline_lanes_row_at_y (self, MAX (0, top))) >= 0)
    *first = MIN ((guint) row, n_lanes - 1);
  else if (top > 0)
    return FALSE;
  if ((row = rf_timeline_lanes_row_at_y (self, top + page)) >= 0)
    *last = MIN ((guint) row, n_lanes - 1);

  return *first <= *last;
}

static gboolean
is_arriving_lane (RfTimelineLanes *self,
                  RfLane          *lane,
                  guint            l,
                  guint            n_lanes)
{
  if (!self->has_arriving)
    return FALSE;
  if (self->arriving_index < 0)
    return l + 1 == n_lanes;
  return rf_lane_get_output_index (lane) == self->arriving_index;
}

/* The frame arriving: an outline where the run is now, its top filled
 * as far as the rows have come, as the canvas draws them. Its lane's
 * tooltip and the canvas say the rest. */
static void
snapshot_arriving (RfTimelineLanes         *self,
                   GtkSnapshot             *snapshot,
                   double                   row_y,
                   double                   row_height,
                   double                   width,
                   const RfTimelineColours *c)
{
  /* Past the time in view (it follows the frames), at its right edge. */
  double x = round (MIN (rf_timeline_area_x_for_time (self->player, self->arriving_t_ms),
                         width - MARKER_WIDTH - 4));
  double cy = row_y + MIN (row_height, THUMB_ROW_HEIGHT) / 2;
  double marker_h = MIN (28, row_height - 8);
  graphene_rect_t box = GRAPHENE_RECT_INIT (x - MARKER_WIDTH / 2 - 1, round (cy - marker_h / 2) - 1,
                                            MARKER_WIDTH + 2, marker_h + 2);
  GdkRGBA outline = c->partial;
  GskRoundedRect rounded;

  gsk_rounded_rect_init_from_rect (&rounded, &box, 2);
  gtk_snapshot_append_border (snapshot, &rounded, (float[4]) { 1, 1, 1, 1 },
                              (GdkRGBA[4]) { outline, outline, outline, outline });
  rf_timeline_append_rounded (snapshot,
                              &GRAPHENE_RECT_INIT (box.origin.x + 1, box.origin.y + 1, MARKER_WIDTH,
                                                   round (marker_h * CLAMP (self->arriving_fraction, 0, 1))),
                              1, &c->partial);
}

static void
snapshot_lanes (GtkWidget               *widget,
                GtkSnapshot             *snapshot,
                const RfTimelineColours *c)
{
  RfTimelineLanes *self = RF_TIMELINE_LANES (widget);
  GListModel *lanes = rf_session_get_lanes (self->session);
  guint n_lanes = g_list_model_get_n_items (lanes);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double x0 = RF_TIMELINE_AREA_START - AREA_PAD_START;
  guint first = 0, last = 0;
  gboolean any = get_rows_in_view (self, n_lanes, &first, &last);

  for (guint l = first; any && l <= last; l++)
    {
      g_autoptr(RfLane) lane = g_list_model_get_item (lanes, l);
      GListModel *frames = rf_lane_get_frames (lane);
      guint n = g_list_model_get_n_items (frames);
      double row_y = rf_timeline_lanes_get_row_y (self, l);
      gboolean collapsed = rf_timeline_lanes_get_collapsed (self, l);
      double row_height = collapsed ? COLLAPSED_LANE_HEIGHT : LANE_HEIGHT;
      g_autofree char *title = rf_lane_dup_title (lane);
      g_autofree char *subtitle = NULL;
      double last_thumb_end = -G_MAXDOUBLE;

      gtk_snapshot_append_color (snapshot, &c->faint, &GRAPHENE_RECT_INIT (0, row_y, width, 1));
      if (l % 2 == 1)
        {
          GdkRGBA shade = c->fg;

          shade.alpha *= 0.025;
          gtk_snapshot_append_color (snapshot, &shade, &GRAPHENE_RECT_INIT (0, row_y, width, row_height));
        }
      snapshot_chevron (snapshot, row_y, row_height, collapsed, c);

      /* Translators: under an image's name in the timeline; %u is a count */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u frame", "%u frames", n), n);
      /* A finished run whose image never got its final says so. */
      if (rf_session_get_finished (self->session) && rf_lane_get_final (lane) == NULL)
        {
          g_autofree char *frames_text = g_steal_pointer (&subtitle);

          /* TRANSLATORS: under an image's name in the timeline: "3 frames", then that
           * the run ended before the image's final frame came */
          subtitle = g_strdup_printf (_("%s · no final"), frames_text);
        }
      /* Folded, the name alone fits its line. */
      rf_timeline_snapshot_gutter_label (GTK_WIDGET (self), self->layer.layouts, snapshot, title,
                                         collapsed ? NULL : subtitle, row_y, row_height, c);

      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (x0, row_y, width - x0, row_height));

      /* Thumbnails where they fit, left to right; markers elsewhere. The
       * final always gets its thumbnail when there is room at the end. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
          double x = rf_timeline_area_x_for_time (self->player, rf_frame_get_t_ms (frame));
          double next_x = G_MAXDOUBLE;
          gboolean room;

          if (i + 1 < n)
            {
              g_autoptr(RfFrame) next = g_list_model_get_item (frames, i + 1);
              next_x = rf_timeline_area_x_for_time (self->player, rf_frame_get_t_ms (next));
            }

          room = !collapsed && x - THUMB_SIZE / 2 >= last_thumb_end + 4 &&
                 (next_x - x >= THUMB_SIZE + 4 || i + 1 == n);

          snapshot_frame (self, snapshot, frame, x, row_y, room, row_height, c);
          if (room && g_hash_table_contains (self->thumbnails, frame))
            last_thumb_end = x + THUMB_SIZE / 2;
          else
            last_thumb_end = MAX (last_thumb_end, x + MARKER_WIDTH / 2);
        }

      if (is_arriving_lane (self, lane, l, n_lanes))
        snapshot_arriving (self, snapshot, row_y, row_height, width, c);

      if (!collapsed)
        snapshot_strip (self, snapshot, frames, row_y, width - RF_TIMELINE_AREA_START, c);

      gtk_snapshot_pop (snapshot);
    }

  gtk_snapshot_append_color (snapshot, &c->faint,
                             &GRAPHENE_RECT_INIT (0, rf_timeline_lanes_get_row_y (self, n_lanes), width, 1));
  gtk_snapshot_append_color (snapshot, &c->faint,
                             &GRAPHENE_RECT_INIT (GUTTER_WIDTH, 0, 1, rf_timeline_lanes_get_row_y (self, n_lanes)));
}

/* The selected frame: a ring in its lane, while the playhead is in view. */
static void
snapshot_selection (RfTimelineLanes         *self,
                    GtkSnapshot             *snapshot,
                    const RfTimelineColours *c)
{
  RfFrame *selected = rf_session_get_selected_frame (self->session);
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double t, x, x0 = RF_TIMELINE_AREA_START - AREA_PAD_START;

  if (!rf_player_get_playhead_ms (self->player, &t))
    return;

  x = round (rf_timeline_area_x_for_time (self->player, t));
  if (x < x0 - 1 || x > gtk_widget_get_width (GTK_WIDGET (self)) + 1)
    return;

  if (selected != NULL)
    {
      double fx = rf_timeline_area_x_for_time (self->player, rf_frame_get_t_ms (selected));
      guint row = rf_frame_get_lane_index (selected);
      double row_y = rf_timeline_lanes_get_row_y (self, row);
      double row_height = rf_timeline_lanes_get_row_height (self, row);
      gboolean collapsed = rf_timeline_lanes_get_collapsed (self, row);
      GdkTexture *thumb = collapsed ? NULL : g_hash_table_lookup (self->thumbnails, selected);
      double w = MARKER_WIDTH + 6, h = MIN (28, row_height - 8) + 6;
      GskRoundedRect ring;
      graphene_rect_t rect;

      if (thumb != NULL)
        {
          double tw = gdk_texture_get_width (thumb);
          double th = gdk_texture_get_height (thumb);
          double scale = THUMB_SIZE / MAX (tw, th);
          w = round (tw * scale) + 8;
          h = round (th * scale) + 14;
        }

      graphene_rect_init (&rect, round (fx - w / 2), round (row_y + MIN (row_height, THUMB_ROW_HEIGHT) / 2 - h / 2), w, h);
      gsk_rounded_rect_init_from_rect (&ring, &rect, thumb ? 6 : w / 2);
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (x0, 0, gtk_widget_get_width (GTK_WIDGET (self)) - x0, height));
      gtk_snapshot_append_border (snapshot, &ring,
                                  (float[4]) { 2, 2, 2, 2 },
                                  (GdkRGBA[4]) { c->playhead, c->playhead, c->playhead, c->playhead });
      gtk_snapshot_pop (snapshot);
    }
}

/* GtkWidget */

static void
rf_timeline_lanes_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  RfTimelineLanes *self = RF_TIMELINE_LANES (widget);
  RfTimelineColours c;

  if (self->session == NULL || self->player == NULL)
    return;

  rf_timeline_get_colours (widget, &c);
  rf_timeline_layer_snapshot (&self->layer, widget, self->player, snapshot, &c, 0, FALSE, snapshot_lanes);
  snapshot_selection (self, snapshot, &c);
}

static void
rf_timeline_lanes_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  RfTimelineLanes *self = RF_TIMELINE_LANES (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = GUTTER_WIDTH + 200;
      *natural = GUTTER_WIDTH + 600;
    }
  else
    {
      *minimum = total_height (self) + 1;
      *natural = *minimum;
    }
}

static void
rf_timeline_lanes_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  rf_timeline_lanes_invalidate (RF_TIMELINE_LANES (widget));
}

static void
rf_timeline_lanes_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  RfTimelineLanes *self = RF_TIMELINE_LANES (widget);

  GTK_WIDGET_CLASS (rf_timeline_lanes_parent_class)->css_changed (widget, change);
  rf_timeline_layer_css_changed (&self->layer, widget);
}

/* The frame under the pointer, else the time under it. */
static gboolean
rf_timeline_lanes_query_tooltip (GtkWidget  *widget,
                                 int         x,
                                 int         y,
                                 gboolean    keyboard_mode,
                                 GtkTooltip *tooltip)
{
  RfTimelineLanes *self = RF_TIMELINE_LANES (widget);
  guint n_lanes;
  double t;
  int lane;

  if (self->session == NULL || keyboard_mode || x < GUTTER_WIDTH)
    return FALSE;

  t = MAX (0, rf_timeline_area_time_at_x (self->player, x));
  n_lanes = g_list_model_get_n_items (rf_session_get_lanes (self->session));
  lane = rf_timeline_lanes_row_at_y (self, y);

  if (lane >= 0 && lane < (int) n_lanes)
    {
      RfFrame *frame = rf_player_get_nearest_frame (self->player, lane, t);

      if (frame != NULL &&
          fabs (rf_timeline_area_x_for_time (self->player, rf_frame_get_t_ms (frame)) - x) <= THUMB_SIZE / 2)
        {
          g_autofree char *markup = rf_timeline_dup_frame_tooltip (self->session, frame);

          gtk_tooltip_set_markup (tooltip, markup);
          return TRUE;
        }
    }

  rf_timeline_set_time_tooltip (tooltip, t);
  return TRUE;
}

static void
scale_factor_changed_cb (RfTimelineLanes *self)
{
  /* Thumbnails are made for the device pixels. */
  g_hash_table_remove_all (self->thumbnails);
  rf_timeline_lanes_invalidate (self);
}

/* GObject */

static void
frame_arriving_cb (RfTimelineLanes *self,
                   gint64           output_index,
                   GdkPixbuf       *rows,
                   int              height,
                   RfSession       *session)
{
  self->has_arriving = TRUE;
  self->arriving_index = output_index;
  self->arriving_fraction = (double) gdk_pixbuf_get_height (rows) / MAX (1, height);
  self->arriving_t_ms = (g_get_monotonic_time () - rf_session_get_start_time (session)) / 1000;
  rf_timeline_lanes_invalidate (self);
}

/* The frame arrived whole, or the run is over: no more mark. */
static void
arriving_over_cb (RfTimelineLanes *self)
{
  if (!self->has_arriving)
    return;
  self->has_arriving = FALSE;
  rf_timeline_lanes_invalidate (self);
}

static void
rf_timeline_lanes_dispose (GObject *object)
{
  RfTimelineLanes *self = RF_TIMELINE_LANES (object);

  rf_timeline_lanes_set_vadjustment (self, NULL);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->player);
  rf_timeline_layer_clear (&self->layer);
  g_clear_pointer (&self->thumbnails, g_hash_table_unref);
  g_clear_pointer (&self->collapsed, g_hash_table_unref);

  G_OBJECT_CLASS (rf_timeline_lanes_parent_class)->dispose (object);
}

static void
rf_timeline_lanes_class_init (RfTimelineLanesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_timeline_lanes_dispose;

  widget_class->snapshot = rf_timeline_lanes_snapshot;
  widget_class->measure = rf_timeline_lanes_measure;
  widget_class->size_allocate = rf_timeline_lanes_size_allocate;
  widget_class->css_changed = rf_timeline_lanes_css_changed;
  widget_class->query_tooltip = rf_timeline_lanes_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "rftimelinelanes");
}

static void
rf_timeline_lanes_init (RfTimelineLanes *self)
{
  rf_timeline_layer_init (&self->layer);
  self->thumbnails = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->collapsed = g_hash_table_new (NULL, NULL);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

void
rf_timeline_lanes_set_model (RfTimelineLanes *self,
                             RfSession       *session,
                             RfPlayer        *player)
{
  g_return_if_fail (RF_IS_TIMELINE_LANES (self));
  g_return_if_fail (!session || RF_IS_SESSION (session));
  g_return_if_fail (!player || RF_IS_PLAYER (player));

  if (self->session != session)
    {
      g_hash_table_remove_all (self->thumbnails);
      g_hash_table_remove_all (self->collapsed);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      if (self->session != NULL)
        g_signal_handlers_disconnect_by_data (self->session, self);
      self->has_arriving = FALSE;
      if (session != NULL)
        {
          g_signal_connect_object (session, "frame-arriving", G_CALLBACK (frame_arriving_cb),
                                   self, G_CONNECT_SWAPPED);
          g_signal_connect_object (session, "frame-decoded", G_CALLBACK (arriving_over_cb),
                                   self, G_CONNECT_SWAPPED);
          g_signal_connect_object (session, "finished", G_CALLBACK (arriving_over_cb),
                                   self, G_CONNECT_SWAPPED);
        }
    }
  g_set_object (&self->session, session);
  g_set_object (&self->player, player);
  rf_timeline_lanes_invalidate (self);
}

void
rf_timeline_lanes_set_hover (RfTimelineLanes *self,
                             double           hover_x)
{
  g_return_if_fail (RF_IS_TIMELINE_LANES (self));

  rf_timeline_layer_set_hover (&self->layer, GTK_WIDGET (self), hover_x);
}

void
rf_timeline_lanes_set_n_rows (RfTimelineLanes *self,
                              guint            n_rows)
{
  g_return_if_fail (RF_IS_TIMELINE_LANES (self));

  if (self->n_rows == n_rows)
    return;

  self->n_rows = n_rows;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
rf_timeline_lanes_invalidate (RfTimelineLanes *self)
{
  g_return_if_fail (RF_IS_TIMELINE_LANES (self));

  rf_timeline_layer_invalidate (&self->layer, GTK_WIDGET (self));
}

void
rf_timeline_lanes_set_collapsed (RfTimelineLanes *self,
                                 guint            row,
                                 gboolean         collapsed)
{
  g_return_if_fail (RF_IS_TIMELINE_LANES (self));

  if (collapsed == rf_timeline_lanes_get_collapsed (self, row))
    return;

  if (collapsed)
    g_hash_table_add (self->collapsed, GUINT_TO_POINTER (row));
  else
    g_hash_table_remove (self->collapsed, GUINT_TO_POINTER (row));

  rf_timeline_lanes_invalidate (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
vadjustment_changed_cb (RfTimelineLanes *self)
{
  /* Other rows came into view. */
  rf_timeline_lanes_invalidate (self);
}

void
rf_timeline_lanes_set_vadjustment (RfTimelineLanes *self,
                                   GtkAdjustment   *vadjustment)
{
  g_return_if_fail (RF_IS_TIMELINE_LANES (self));
  g_return_if_fail (!vadjustment || GTK_IS_ADJUSTMENT (vadjustment));

  if (self->vadjustment == vadjustment)
    return;

  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, vadjustment_changed_cb, self);
  g_set_object (&self->vadjustment, vadjustment);
  if (vadjustment != NULL)
    {
      g_signal_connect_object (vadjustment, "value-changed",
                               G_CALLBACK (vadjustment_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (vadjustment, "changed",
                               G_CALLBACK (vadjustment_changed_cb), self, G_CONNECT_SWAPPED);
    }
  rf_timeline_lanes_invalidate (self);
}
