/*
 * rf-timeline.c
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

#define G_LOG_DOMAIN "rf-timeline"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "rf-event.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-player.h"
#include "rf-sched.h"
#include "rf-session.h"
#include "rf-timeline.h"
#include "rf-zoom.h"

#define RULER_HEIGHT   24.0
#define EVENTS_HEIGHT  20.0
#define LANE_HEIGHT    58.0
#define GUTTER_WIDTH   96.0
#define AREA_PAD_START 14.0
#define AREA_PAD_END   18.0
#define THUMB_SIZE     40.0
#define MARKER_WIDTH   8.0
#define LABEL_SPACING  72.0

struct _RfTimeline
{
  GtkWidget      parent_instance;

  RfSession     *session;
  GSignalGroup  *session_signals;

  GskRenderNode *rendered;
  GHashTable    *thumbnails;    /* RfFrame* → GdkTexture* */
  GHashTable    *layouts;       /* "bold|width|text" → PangoLayout* */

  /* The time axis, the selection moves and the playback clock; the
   * widget drives its clock from the frame clock while it plays. */
  RfPlayer      *player;
  guint          play_tick;

  double         hover_x;
  double         hover_y;
  int            scrub_lane;

  /* New lanes change its height, and a live run's selection scrolls its
   * scrolled window: both with the window pacer's updates. */
  RfPacer       *pacer;
  guint          n_lanes_sized;

  guint          hovering : 1;
  guint          scroll_pending : 1;
};

G_DEFINE_FINAL_TYPE (RfTimeline, rf_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PLAYING,
  PROP_SPEED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef struct
{
  GdkRGBA fg;
  GdkRGBA dim;
  GdkRGBA faint;
  GdkRGBA partial;
  GdkRGBA final;
  GdkRGBA failed;
  GdkRGBA playhead;
} Colours;

/* Geometry */

static double
area_start (RfTimeline *self)
{
  return GUTTER_WIDTH + AREA_PAD_START;
}

static double
area_width (RfTimeline *self)
{
  return MAX (1.0, gtk_widget_get_width (GTK_WIDGET (self)) - area_start (self) - AREA_PAD_END);
}

static double
lanes_top (void)
{
  return RULER_HEIGHT + EVENTS_HEIGHT;
}

static guint
get_n_lanes (RfTimeline *self)
{
  if (self->session == NULL)
    return 0;

  return g_list_model_get_n_items (rf_session_get_lanes (self->session));
}

double
rf_timeline_x_for_time (RfTimeline *self,
                        double      t_ms)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), 0);

  return area_start (self) + rf_player_x_for_time (self->player, t_ms);
}

double
rf_timeline_time_at_x (RfTimeline *self,
                       double      x)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), 0);

  return rf_player_time_at_x (self->player, x - area_start (self));
}

static int
lane_at_y (RfTimeline *self,
           double      y)
{
  int lane;

  if (y < lanes_top ())
    return -1;

  lane = (int) ((y - lanes_top ()) / LANE_HEIGHT);
  return lane < (int) get_n_lanes (self) ? lane : -1;
}

static void
rf_timeline_invalidate (RfTimeline *self)
{
  g_clear_pointer (&self->rendered, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Model helpers */

static RfFrame *
get_selected (RfTimeline *self)
{
  return self->session ? rf_session_get_selected_frame (self->session) : NULL;
}

static GdkTexture *
get_thumbnail (RfTimeline *self,
               RfFrame    *frame)
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

/* Colours from the style: dark and light alike. */
static void
get_colours (RfTimeline *self,
             Colours    *c)
{
  GtkStyleContext *style;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  style = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (style, &c->fg);
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &c->partial))
    gdk_rgba_parse (&c->partial, "#3584e4");
  if (!gtk_style_context_lookup_color (style, "success_bg_color", &c->final))
    gdk_rgba_parse (&c->final, "#2ec27e");
  if (!gtk_style_context_lookup_color (style, "error_bg_color", &c->failed))
    gdk_rgba_parse (&c->failed, "#e01b24");
  if (!gtk_style_context_lookup_color (style, "accent_color", &c->playhead))
    c->playhead = c->partial;
  G_GNUC_END_IGNORE_DEPRECATIONS

  c->dim = c->fg;
  c->dim.alpha *= 0.55;
  c->faint = c->fg;
  c->faint.alpha *= 0.08;
}

static const GdkRGBA *
frame_colour (const Colours *c,
              RfFrame       *frame)
{
  if (rf_frame_get_decode_status (frame) == RF_DECODE_FAILED)
    return &c->failed;
  if (rf_frame_get_kind (frame) == RF_FRAME_KIND_FINAL)
    return &c->final;
  return &c->partial;
}

static const GdkRGBA *
event_colour (const Colours *c,
              RfEvent       *event)
{
  switch (rf_event_get_kind (event))
    {
    case RF_EVENT_IMAGE_CALL_PARTIAL:
    case RF_EVENT_IMAGES_PARTIAL:
      return &c->partial;

    case RF_EVENT_OUTPUT_ITEM_DONE:
    case RF_EVENT_IMAGES_COMPLETED:
    case RF_EVENT_RESPONSE_COMPLETED:
      return &c->final;

    case RF_EVENT_ERROR:
    case RF_EVENT_INVALID:
    case RF_EVENT_RESPONSE_FAILED:
    case RF_EVENT_RESPONSE_INCOMPLETE:
      return &c->failed;

    case RF_EVENT_OTHER:
    case RF_EVENT_DONE:
    case RF_EVENT_KEEPALIVE:
    case RF_EVENT_RESPONSE_CREATED:
    case RF_EVENT_RESPONSE_QUEUED:
    case RF_EVENT_RESPONSE_IN_PROGRESS:
    case RF_EVENT_OUTPUT_ITEM_ADDED:
    case RF_EVENT_IMAGE_CALL_IN_PROGRESS:
    case RF_EVENT_IMAGE_CALL_GENERATING:
    case RF_EVENT_IMAGE_CALL_COMPLETED:
    case RF_EVENT_IMAGES_TEXT_CHUNK:
    case RF_EVENT_CHAT_CHUNK:
    case RF_EVENT_GEMINI_CHUNK:
    default:
      return &c->dim;
    }
}

static PangoLayout *
create_small_layout (RfTimeline *self,
                     const char *text,
                     gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.8));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  return layout;
}

/* The timeline is drawn anew for every frame that arrives; its texts (lane
 * titles, ruler labels) are shaped once and kept, as shaping them all
 * again cost a few milliseconds of each frame. Lanes and ruler steps are
 * few; the cache is emptied if it grows large anyway. */
static PangoLayout *
get_small_layout (RfTimeline *self,
                  const char *text,
                  gboolean    bold,
                  int         width)
{
  g_autofree char *key = g_strdup_printf ("%d|%d|%s", bold, width, text);
  PangoLayout *layout = g_hash_table_lookup (self->layouts, key);

  if (layout == NULL)
    {
      if (g_hash_table_size (self->layouts) >= 512)
        g_hash_table_remove_all (self->layouts);

      layout = create_small_layout (self, text, bold);
      if (width > 0)
        {
          pango_layout_set_width (layout, width * PANGO_SCALE);
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
        }
      g_hash_table_insert (self->layouts, g_steal_pointer (&key), layout);
    }

  return g_object_ref (layout);
}

static void
append_layout_at (GtkSnapshot   *snapshot,
                  PangoLayout   *layout,
                  double         x,
                  double         y,
                  const GdkRGBA *colour)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x), round (y)));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
}

static void
append_rounded (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                double                 radius,
                const GdkRGBA         *colour)
{
  GskRoundedRect rounded;

  gsk_rounded_rect_init_from_rect (&rounded, rect, radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, colour, rect);
  gtk_snapshot_pop (snapshot);
}

/* Drawing: the static layer */

static void
snapshot_ruler (RfTimeline    *self,
                GtkSnapshot   *snapshot,
                const Colours *c)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double x0 = area_start (self);
  double t_start = rf_timeline_time_at_x (self, x0 - AREA_PAD_START);
  double t_end = rf_timeline_time_at_x (self, width);
  double step = rf_time_scale_pick_step (rf_player_get_ms_per_px (self->player), LABEL_SPACING);
  double minor = step / 5.0;
  double last_label_end = -G_MAXDOUBLE;

  /* Minor ticks, then major ticks with labels that never overlap. */
  for (double t = floor (MAX (0, t_start) / minor) * minor; t <= t_end; t += minor)
    {
      double x = round (rf_timeline_x_for_time (self, t));

      if (x < x0 - 0.5)
        continue;

      if (fmod (t + minor / 2, step) < minor)
        {
          g_autofree char *text = rf_time_scale_format (t, step);
          g_autoptr(PangoLayout) layout = get_small_layout (self, text, FALSE, 0);
          PangoRectangle logical;

          gtk_snapshot_append_color (snapshot, &c->dim, &GRAPHENE_RECT_INIT (x, RULER_HEIGHT - 8, 1, 8));
          gtk_snapshot_append_color (snapshot, &c->faint, &GRAPHENE_RECT_INIT (x, RULER_HEIGHT, 1, height - RULER_HEIGHT));

          pango_layout_get_pixel_extents (layout, NULL, &logical);
          if (x + 4 > last_label_end + 8 && x + 4 + logical.width < width)
            {
              append_layout_at (snapshot, layout, x + 4, (RULER_HEIGHT - 8 - logical.height) / 2 + 1, &c->dim);
              last_label_end = x + 4 + logical.width;
            }
        }
      else
        {
          gtk_snapshot_append_color (snapshot, &c->faint, &GRAPHENE_RECT_INIT (x, RULER_HEIGHT - 4, 1, 4));
        }
    }

  gtk_snapshot_append_color (snapshot, &c->faint, &GRAPHENE_RECT_INIT (0, RULER_HEIGHT - 1, width, 1));
}

static void
snapshot_gutter_label (RfTimeline    *self,
                       GtkSnapshot   *snapshot,
                       const char    *title,
                       const char    *subtitle,
                       double         y,
                       double         row_height,
                       const Colours *c)
{
  g_autoptr(PangoLayout) layout = get_small_layout (self, title, TRUE, GUTTER_WIDTH - 16);
  PangoRectangle logical;
  double total;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  total = logical.height;

  if (subtitle != NULL)
    {
      g_autoptr(PangoLayout) sub = get_small_layout (self, subtitle, FALSE, GUTTER_WIDTH - 16);
      PangoRectangle sub_logical;

      pango_layout_get_pixel_extents (sub, NULL, &sub_logical);
      total += sub_logical.height;
      append_layout_at (snapshot, sub, 12, y + (row_height - total) / 2 + logical.height, &c->dim);
    }

  append_layout_at (snapshot, layout, 12, y + (row_height - total) / 2, &c->fg);
}

static void
snapshot_events (RfTimeline    *self,
                 GtkSnapshot   *snapshot,
                 const Colours *c)
{
  GListModel *events = rf_session_get_events (self->session);
  guint n = g_list_model_get_n_items (events);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double x0 = area_start (self) - AREA_PAD_START;

  snapshot_gutter_label (self, snapshot, _("Events"), NULL, RULER_HEIGHT, EVENTS_HEIGHT, c);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (x0, RULER_HEIGHT, width - x0, EVENTS_HEIGHT));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfEvent) event = g_list_model_get_item (events, i);
      double x = floor (rf_timeline_x_for_time (self, rf_event_get_t_ms (event)));
      const GdkRGBA *colour = event_colour (c, event);
      double h = colour == &c->dim ? 8 : 12;

      gtk_snapshot_append_color (snapshot, colour,
                                 &GRAPHENE_RECT_INIT (x, RULER_HEIGHT + (EVENTS_HEIGHT - h) / 2, 1, h));
    }
  gtk_snapshot_pop (snapshot);
}

static void
snapshot_frame (RfTimeline    *self,
                GtkSnapshot   *snapshot,
                RfFrame       *frame,
                double         x,
                double         row_y,
                gboolean       with_thumbnail,
                const Colours *c)
{
  const GdkRGBA *colour = frame_colour (c, frame);
  GdkTexture *thumb = with_thumbnail ? get_thumbnail (self, frame) : NULL;
  double cy = row_y + LANE_HEIGHT / 2;

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
      append_rounded (snapshot,
                      &GRAPHENE_RECT_INIT (rect.origin.x, rect.origin.y + th + 3, tw, 3),
                      1.5, colour);
    }
  else
    {
      append_rounded (snapshot,
                      &GRAPHENE_RECT_INIT (round (x - MARKER_WIDTH / 2), cy - 14, MARKER_WIDTH, 28),
                      MARKER_WIDTH / 2, colour);
    }
}

static void
snapshot_lanes (RfTimeline    *self,
                GtkSnapshot   *snapshot,
                const Colours *c)
{
  GListModel *lanes = rf_session_get_lanes (self->session);
  guint n_lanes = g_list_model_get_n_items (lanes);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double x0 = area_start (self) - AREA_PAD_START;

  for (guint l = 0; l < n_lanes; l++)
    {
      g_autoptr(RfLane) lane = g_list_model_get_item (lanes, l);
      GListModel *frames = rf_lane_get_frames (lane);
      guint n = g_list_model_get_n_items (frames);
      double row_y = lanes_top () + l * LANE_HEIGHT;
      g_autofree char *title = rf_lane_dup_title (lane);
      g_autofree char *subtitle = NULL;
      double last_thumb_end = -G_MAXDOUBLE;

      gtk_snapshot_append_color (snapshot, &c->faint, &GRAPHENE_RECT_INIT (0, row_y, width, 1));
      if (l % 2 == 1)
        {
          GdkRGBA shade = c->fg;

          shade.alpha *= 0.025;
          gtk_snapshot_append_color (snapshot, &shade, &GRAPHENE_RECT_INIT (0, row_y, width, LANE_HEIGHT));
        }

      /* Translators: under an image's name in the timeline; %u is a count */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u frame", "%u frames", n), n);
      snapshot_gutter_label (self, snapshot, title, subtitle, row_y, LANE_HEIGHT, c);

      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (x0, row_y, width - x0, LANE_HEIGHT));

      /* Thumbnails where they fit, left to right; markers elsewhere. The
       * final always gets its thumbnail when there is room at the end. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
          double x = rf_timeline_x_for_time (self, rf_frame_get_t_ms (frame));
          double next_x = G_MAXDOUBLE;
          gboolean room;

          if (i + 1 < n)
            {
              g_autoptr(RfFrame) next = g_list_model_get_item (frames, i + 1);
              next_x = rf_timeline_x_for_time (self, rf_frame_get_t_ms (next));
            }

          room = x - THUMB_SIZE / 2 >= last_thumb_end + 4 &&
                 (next_x - x >= THUMB_SIZE + 4 || i + 1 == n);

          snapshot_frame (self, snapshot, frame, x, row_y, room, c);
          if (room && g_hash_table_contains (self->thumbnails, frame))
            last_thumb_end = x + THUMB_SIZE / 2;
          else
            last_thumb_end = MAX (last_thumb_end, x + MARKER_WIDTH / 2);
        }

      gtk_snapshot_pop (snapshot);
    }

  gtk_snapshot_append_color (snapshot, &c->faint,
                             &GRAPHENE_RECT_INIT (0, lanes_top () + n_lanes * LANE_HEIGHT, width, 1));
  gtk_snapshot_append_color (snapshot, &c->faint,
                             &GRAPHENE_RECT_INIT (GUTTER_WIDTH, 0, 1, lanes_top () + n_lanes * LANE_HEIGHT));
}

/* Drawing: what changes with the selection, the pointer and playback */

static void
snapshot_selection (RfTimeline    *self,
                    GtkSnapshot   *snapshot,
                    const Colours *c)
{
  RfFrame *selected = get_selected (self);
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double t, x, x0 = area_start (self) - AREA_PAD_START;
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle logical;
  graphene_rect_t pill;

  if (!rf_player_get_playhead_ms (self->player, &t))
    return;

  x = round (rf_timeline_x_for_time (self, t));
  if (x < x0 - 1 || x > gtk_widget_get_width (GTK_WIDGET (self)) + 1)
    return;

  /* The selected frame: a ring in its lane. */
  if (selected != NULL)
    {
      double fx = rf_timeline_x_for_time (self, rf_frame_get_t_ms (selected));
      double row_y = lanes_top () + rf_frame_get_lane_index (selected) * LANE_HEIGHT;
      GdkTexture *thumb = g_hash_table_lookup (self->thumbnails, selected);
      double w = MARKER_WIDTH + 6, h = 34;
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

      graphene_rect_init (&rect, round (fx - w / 2), round (row_y + LANE_HEIGHT / 2 - h / 2), w, h);
      gsk_rounded_rect_init_from_rect (&ring, &rect, thumb ? 6 : w / 2);
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (x0, lanes_top (), gtk_widget_get_width (GTK_WIDGET (self)) - x0, height));
      gtk_snapshot_append_border (snapshot, &ring,
                                  (float[4]) { 2, 2, 2, 2 },
                                  (GdkRGBA[4]) { c->playhead, c->playhead, c->playhead, c->playhead });
      gtk_snapshot_pop (snapshot);
    }

  text = rf_time_scale_format (t, 1.0);
  layout = create_small_layout (self, text, TRUE);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  graphene_rect_init (&pill, x - logical.width / 2.0 - 6, 2, logical.width + 12, RULER_HEIGHT - 4);
  pill.origin.x = CLAMP (pill.origin.x, x0, gtk_widget_get_width (GTK_WIDGET (self)) - pill.size.width - 2);
  append_rounded (snapshot, &pill, pill.size.height / 2, &c->partial);
  append_layout_at (snapshot, layout, pill.origin.x + 6, pill.origin.y + (pill.size.height - logical.height) / 2,
                    &(GdkRGBA) { 1, 1, 1, 1 });
}

static void
snapshot_playhead_line (RfTimeline    *self,
                        GtkSnapshot   *snapshot,
                        const Colours *c)
{
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double t, x;

  if (!rf_player_get_playhead_ms (self->player, &t))
    return;

  x = round (rf_timeline_x_for_time (self, t));
  if (x < area_start (self) - AREA_PAD_START - 1)
    return;

  gtk_snapshot_append_color (snapshot, &c->playhead,
                             &GRAPHENE_RECT_INIT (x - 1, RULER_HEIGHT, 2, height - RULER_HEIGHT));
}

static void
rf_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  RfTimeline *self = RF_TIMELINE (widget);
  Colours c;

  if (self->session == NULL)
    return;

  get_colours (self, &c);

  if (self->rendered == NULL)
    {
      GtkSnapshot *child = gtk_snapshot_new ();

      snapshot_ruler (self, child, &c);
      snapshot_events (self, child, &c);
      snapshot_lanes (self, child, &c);
      self->rendered = gtk_snapshot_free_to_node (child);
    }

  /* The playhead runs behind the thumbnails. */
  snapshot_playhead_line (self, snapshot, &c);

  if (self->rendered != NULL)
    gtk_snapshot_append_node (snapshot, self->rendered);

  if (self->hovering && self->hover_x >= area_start (self) - AREA_PAD_START)
    {
      GdkRGBA hover = c.fg;

      hover.alpha *= 0.25;
      gtk_snapshot_append_color (snapshot, &hover,
                                 &GRAPHENE_RECT_INIT (round (self->hover_x), RULER_HEIGHT, 1,
                                                      gtk_widget_get_height (widget) - RULER_HEIGHT));
    }

  snapshot_selection (self, snapshot, &c);
}

/* Hover */

static RfEvent *
find_event_near (RfTimeline *self,
                 double      x,
                 guint      *n_near)
{
  GListModel *events = rf_session_get_events (self->session);
  guint n = g_list_model_get_n_items (events);
  RfEvent *best = NULL;
  double best_d = 5.0;

  *n_near = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfEvent) event = g_list_model_get_item (events, i);
      double d = fabs (rf_timeline_x_for_time (self, rf_event_get_t_ms (event)) - x);

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

static char *
dup_frame_tooltip (RfTimeline *self,
                   RfFrame    *frame)
{
  GListModel *events = rf_session_get_events (self->session);
  g_autoptr(RfEvent) event = NULL;
  g_autofree char *label = rf_frame_dup_label (frame);
  g_autofree char *size = g_format_size (rf_frame_get_encoded_size (frame));
  GString *str = g_string_new (NULL);

  if (rf_frame_get_event_position (frame) < g_list_model_get_n_items (events))
    event = g_list_model_get_item (events, rf_frame_get_event_position (frame));

  g_string_append_printf (str, "<b>%s</b>  %.3f s\n", label, rf_frame_get_t_ms (frame) / 1000.0);
  /* Translators: frame tooltip: sequence number */
  g_string_append_printf (str, _("Sequence %lld"), (long long) rf_frame_get_sequence_number (frame));
  if (event != NULL && rf_event_get_type_name (event) != NULL)
    {
      g_autofree char *type = g_markup_escape_text (rf_event_get_type_name (event), -1);
      g_string_append_printf (str, " · <tt>%s</tt>", type);
    }
  g_string_append_c (str, '\n');

  switch (rf_frame_get_decode_status (frame))
    {
    case RF_DECODE_OK:
      g_string_append_printf (str, "%d × %d %s · %s", rf_frame_get_width (frame),
                              rf_frame_get_height (frame),
                              rf_image_format_to_string (rf_frame_get_format (frame)), size);
      break;

    case RF_DECODE_FAILED:
      {
        g_autofree char *why = g_markup_escape_text (rf_frame_get_decode_error (frame) ?
                                                     rf_frame_get_decode_error (frame) : "", -1);
        /* Translators: frame tooltip: the decoder's message follows */
        g_string_append_printf (str, _("Did not decode: %s"), why);
      }
      break;

    case RF_DECODE_PENDING:
    default:
      g_string_append (str, _("Decoding…"));
      break;
    }

  return g_string_free (str, FALSE);
}

static gboolean
rf_timeline_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip)
{
  RfTimeline *self = RF_TIMELINE (widget);
  double t;
  int lane;

  if (self->session == NULL)
    return FALSE;

  if (keyboard_mode)
    {
      RfFrame *selected = get_selected (self);
      g_autofree char *markup = NULL;

      if (selected == NULL)
        return FALSE;
      markup = dup_frame_tooltip (self, selected);
      gtk_tooltip_set_markup (tooltip, markup);
      return TRUE;
    }

  if (x < area_start (self) - AREA_PAD_START)
    return FALSE;

  t = MAX (0, rf_timeline_time_at_x (self, x));

  if ((lane = lane_at_y (self, y)) >= 0)
    {
      RfFrame *frame = rf_player_get_nearest_frame (self->player, lane, t);

      if (frame != NULL &&
          fabs (rf_timeline_x_for_time (self, rf_frame_get_t_ms (frame)) - x) <= THUMB_SIZE / 2)
        {
          g_autofree char *markup = dup_frame_tooltip (self, frame);

          gtk_tooltip_set_markup (tooltip, markup);
          return TRUE;
        }
    }
  else if (y >= RULER_HEIGHT && y < lanes_top ())
    {
      guint n_near = 0;
      g_autoptr(RfEvent) event = find_event_near (self, x, &n_near);

      if (event != NULL)
        {
          g_autofree char *summary = rf_event_dup_summary (event);
          GString *str = g_string_new (NULL);
          g_autofree char *escaped = NULL;

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
          escaped = g_string_free (str, FALSE);
          gtk_tooltip_set_text (tooltip, escaped);
          return TRUE;
        }
    }

  {
    g_autofree char *text = g_strdup_printf ("%.3f s", t / 1000.0);
    gtk_tooltip_set_text (tooltip, text);
  }

  return TRUE;
}

static void
motion_cb (RfTimeline               *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  self->hover_x = x;
  self->hover_y = y;
  self->hovering = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (RfTimeline               *self,
          GtkEventControllerMotion *motion)
{
  self->hovering = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Scrubbing */

static void
scrub_to (RfTimeline *self,
          double      x)
{
  RfFrame *frame;

  if (self->scrub_lane < 0)
    return;

  frame = rf_player_get_nearest_frame (self->player, self->scrub_lane, rf_timeline_time_at_x (self, x));
  if (frame != NULL && frame != get_selected (self))
    rf_player_select_frame (self->player, frame);
}

static void
drag_begin_cb (RfTimeline     *self,
               double          x,
               double          y,
               GtkGestureDrag *drag)
{
  RfFrame *selected;

  if (self->session == NULL || x < GUTTER_WIDTH)
    {
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self));
  rf_player_set_playing (self->player, FALSE);

  /* Over a lane: that lane; over the ruler or events: the lane of the
   * selected frame. */
  self->scrub_lane = lane_at_y (self, y);
  if (self->scrub_lane < 0 && (selected = get_selected (self)))
    self->scrub_lane = rf_frame_get_lane_index (selected);
  if (self->scrub_lane < 0 && get_n_lanes (self) > 0)
    self->scrub_lane = 0;

  gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_CLAIMED);
  scrub_to (self, x);
}

static void
drag_update_cb (RfTimeline     *self,
                double          offset_x,
                double          offset_y,
                GtkGestureDrag *drag)
{
  double start_x, start_y;

  gtk_gesture_drag_get_start_point (drag, &start_x, &start_y);
  scrub_to (self, start_x + offset_x);
}

static void
drag_end_cb (RfTimeline     *self,
             double          offset_x,
             double          offset_y,
             GtkGestureDrag *drag)
{
  self->scrub_lane = -1;
}

/* Time axis zoom */

static void
zoom_axis_at (RfTimeline *self,
              double      factor,
              double      x)
{
  rf_player_zoom_axis_at (self->player, factor, x - area_start (self));
}

static double
focus_x (RfTimeline *self)
{
  RfFrame *selected = get_selected (self);

  if (selected != NULL)
    return rf_timeline_x_for_time (self, rf_frame_get_t_ms (selected));

  return area_start (self) + area_width (self) / 2;
}

static gboolean
scroll_cb (RfTimeline               *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *scroll)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));
  GdkScrollUnit unit = gtk_event_controller_scroll_get_unit (scroll);
  double step = unit == GDK_SCROLL_UNIT_WHEEL ? 40.0 : 1.0;

  if (self->session == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      double delta = unit == GDK_SCROLL_UNIT_WHEEL ? dy : dy / 20.0;

      zoom_axis_at (self, pow (1.3, delta), self->hovering ? self->hover_x : focus_x (self));
      return TRUE;
    }

  /* Zoomed in: either wheel axis moves along the time axis; fitted, the
   * scrolled window around it scrolls. */
  return rf_player_scroll_axis (self->player, (dx != 0 ? dx : dy) * step);
}

/* Playback: the player keeps the clock, the frame clock drives it. */

static gboolean
play_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  RfTimeline *self = RF_TIMELINE (widget);

  gtk_widget_queue_draw (widget);
  if (rf_player_tick (self->player, gdk_frame_clock_get_frame_time (clock)))
    return G_SOURCE_CONTINUE;

  self->play_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
player_playing_cb (RfTimeline *self)
{
  gboolean playing = rf_player_get_playing (self->player);

  if (playing && self->play_tick == 0)
    self->play_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), play_tick_cb, NULL, NULL);
  else if (!playing && self->play_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->play_tick);
      self->play_tick = 0;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PLAYING]);
}

static void
player_speed_cb (RfTimeline *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SPEED]);
}

/* Actions */

static void
next_frame_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  rf_player_step_frame (RF_TIMELINE (widget)->player, RF_PLAYER_STEP_NEXT);
}

static void
previous_frame_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  rf_player_step_frame (RF_TIMELINE (widget)->player, RF_PLAYER_STEP_PREVIOUS);
}

static void
first_frame_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  rf_player_step_frame (RF_TIMELINE (widget)->player, RF_PLAYER_STEP_FIRST);
}

static void
last_frame_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  rf_player_step_frame (RF_TIMELINE (widget)->player, RF_PLAYER_STEP_LAST);
}

static void
next_lane_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  rf_player_step_lane (RF_TIMELINE (widget)->player, 1);
}

static void
previous_lane_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  rf_player_step_lane (RF_TIMELINE (widget)->player, -1);
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  RfTimeline *self = RF_TIMELINE (widget);

  rf_player_set_playing (self->player, !rf_player_get_playing (self->player));
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  RfTimeline *self = RF_TIMELINE (widget);

  zoom_axis_at (self, 1 / 1.5, focus_x (self));
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  RfTimeline *self = RF_TIMELINE (widget);

  zoom_axis_at (self, 1.5, focus_x (self));
}

/* Session signals */

static void
data_changed_cb (RfTimeline *self)
{
  rf_timeline_invalidate (self);
}

static void
size_lanes (RfTimeline *self)
{
  if (self->n_lanes_sized == get_n_lanes (self))
    return;

  self->n_lanes_sized = get_n_lanes (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
lane_added_cb (RfTimeline *self)
{
  if (self->pacer != NULL)
    rf_pacer_queue_update (self->pacer);
  else
    size_lanes (self);
  rf_timeline_invalidate (self);
}

/* Inside a scrolled window (many lanes), keeps the selected lane in view,
 * below the ruler rows it scrolls with. Returns FALSE when the lane has
 * no room yet. */
static gboolean
scroll_to_selected_lane (RfTimeline *self)
{
  RfFrame *selected = get_selected (self);
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *vadj = scroller ? gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)) : NULL;
  double top, bottom, value, page;

  if (selected == NULL || vadj == NULL)
    return TRUE;
  if (rf_frame_get_lane_index (selected) >= self->n_lanes_sized)
    return FALSE;

  top = lanes_top () + rf_frame_get_lane_index (selected) * LANE_HEIGHT;
  bottom = top + LANE_HEIGHT;
  value = gtk_adjustment_get_value (vadj);
  page = gtk_adjustment_get_page_size (vadj);

  if (top - lanes_top () < value)
    gtk_adjustment_set_value (vadj, top - lanes_top ());
  else if (bottom > value + page)
    gtk_adjustment_set_value (vadj, bottom - page);

  return TRUE;
}

/* The lanes take their room first; the scroll to a new lane comes with
 * the next update, once it is allocated. */
static void
pacer_update_cb (RfTimeline *self,
                 RfPacer    *pacer)
{
  if (self->scroll_pending && scroll_to_selected_lane (self))
    self->scroll_pending = FALSE;
  size_lanes (self);
  if (self->scroll_pending)
    rf_pacer_queue_update (pacer);
}

static void
selection_changed_cb (RfTimeline *self)
{
  /* The player keeps the selection in view along the time axis; down to
   * its lane, scrolling lays the window out: a live run's selection,
   * which moves with every frame, scrolls with the window's updates; the
   * user's at once. */
  if (self->pacer != NULL && self->session != NULL && rf_session_is_following_live (self->session))
    {
      self->scroll_pending = TRUE;
      rf_pacer_queue_update (self->pacer);
    }
  else if (!scroll_to_selected_lane (self))
    {
      /* Its lane has no room yet. */
      self->scroll_pending = TRUE;
      if (self->pacer != NULL)
        rf_pacer_queue_update (self->pacer);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* GtkWidget */

static void
rf_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  RfTimeline *self = RF_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = GUTTER_WIDTH + 200;
      *natural = GUTTER_WIDTH + 600;
    }
  else
    {
      *minimum = lanes_top () + MAX (1, self->n_lanes_sized) * LANE_HEIGHT + 1;
      *natural = *minimum;
    }
}

static void
rf_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  RfTimeline *self = RF_TIMELINE (widget);

  rf_player_set_axis_width (self->player, width - area_start (self) - AREA_PAD_END);
  rf_timeline_invalidate (self);
}

static void
scale_factor_changed_cb (RfTimeline *self)
{
  /* Thumbnails are made for the device pixels. */
  g_hash_table_remove_all (self->thumbnails);
  rf_timeline_invalidate (self);
}

static void
rf_timeline_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (rf_timeline_parent_class)->css_changed (widget, change);
  if (RF_TIMELINE (widget)->layouts != NULL)
    g_hash_table_remove_all (RF_TIMELINE (widget)->layouts);
  rf_timeline_invalidate (RF_TIMELINE (widget));
}

static void
rf_timeline_root (GtkWidget *widget)
{
  RfTimeline *self = RF_TIMELINE (widget);

  GTK_WIDGET_CLASS (rf_timeline_parent_class)->root (widget);

  self->pacer = rf_pacer_connect (widget, "update", G_CALLBACK (pacer_update_cb));
  if (self->n_lanes_sized != get_n_lanes (self) || self->scroll_pending)
    rf_pacer_queue_update (self->pacer);
}

static void
rf_timeline_unroot (GtkWidget *widget)
{
  RfTimeline *self = RF_TIMELINE (widget);

  rf_player_set_playing (self->player, FALSE);
  rf_pacer_disconnect (&self->pacer, widget);
  size_lanes (self);

  GTK_WIDGET_CLASS (rf_timeline_parent_class)->unroot (widget);
}

/* GObject */

static void
rf_timeline_dispose (GObject *object)
{
  RfTimeline *self = RF_TIMELINE (object);

  if (self->player != NULL)
    {
      rf_player_set_playing (self->player, FALSE);
      g_signal_handlers_disconnect_by_data (self->player, self);
      rf_player_set_session (self->player, NULL);
    }
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session);
  g_clear_pointer (&self->rendered, gsk_render_node_unref);
  g_clear_pointer (&self->thumbnails, g_hash_table_unref);
  g_clear_pointer (&self->layouts, g_hash_table_unref);

  G_OBJECT_CLASS (rf_timeline_parent_class)->dispose (object);
}

static void
rf_timeline_finalize (GObject *object)
{
  RfTimeline *self = RF_TIMELINE (object);

  g_clear_object (&self->session_signals);
  g_clear_object (&self->player);

  G_OBJECT_CLASS (rf_timeline_parent_class)->finalize (object);
}

static void
rf_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RfTimeline *self = RF_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_PLAYING:
      g_value_set_boolean (value, rf_player_get_playing (self->player));
      break;

    case PROP_SPEED:
      g_value_set_double (value, rf_player_get_speed (self->player));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  RfTimeline *self = RF_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      rf_timeline_set_session (self, g_value_get_object (value));
      break;

    case PROP_PLAYING:
      rf_timeline_set_playing (self, g_value_get_boolean (value));
      break;

    case PROP_SPEED:
      rf_timeline_set_speed (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_timeline_class_init (RfTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_timeline_dispose;
  object_class->finalize = rf_timeline_finalize;
  object_class->get_property = rf_timeline_get_property;
  object_class->set_property = rf_timeline_set_property;

  widget_class->snapshot = rf_timeline_snapshot;
  widget_class->measure = rf_timeline_measure;
  widget_class->size_allocate = rf_timeline_size_allocate;
  widget_class->css_changed = rf_timeline_css_changed;
  widget_class->query_tooltip = rf_timeline_query_tooltip;
  widget_class->root = rf_timeline_root;
  widget_class->unroot = rf_timeline_unroot;

  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         RF_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL,
                         RF_PLAYER_MIN_SPEED, RF_PLAYER_MAX_SPEED, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "timeline.next-frame", NULL, next_frame_action);
  gtk_widget_class_install_action (widget_class, "timeline.previous-frame", NULL, previous_frame_action);
  gtk_widget_class_install_action (widget_class, "timeline.first-frame", NULL, first_frame_action);
  gtk_widget_class_install_action (widget_class, "timeline.last-frame", NULL, last_frame_action);
  gtk_widget_class_install_action (widget_class, "timeline.next-lane", NULL, next_lane_action);
  gtk_widget_class_install_action (widget_class, "timeline.previous-lane", NULL, previous_lane_action);
  gtk_widget_class_install_action (widget_class, "timeline.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-out", NULL, zoom_out_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "timeline.next-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Right, 0, "timeline.next-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "timeline.previous-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, 0, "timeline.previous-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "timeline.first-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "timeline.last-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "timeline.next-lane", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "timeline.previous-lane", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "timeline.play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "timeline.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "timeline.zoom-out", NULL);

  gtk_widget_class_set_css_name (widget_class, "rftimeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
rf_timeline_init (RfTimeline *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->player = rf_player_new ();
  g_signal_connect_object (self->player, "notify::playing", G_CALLBACK (player_playing_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->player, "notify::speed", G_CALLBACK (player_speed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->player, "axis-changed", G_CALLBACK (rf_timeline_invalidate), self, G_CONNECT_SWAPPED);
  self->scrub_lane = -1;
  self->thumbnails = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), NULL);

  self->session_signals = g_signal_group_new (RF_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::selected-frame",
                                 G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-added",
                                 G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-decoded",
                                 G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "event-added",
                                 G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "lane-added",
                                 G_CALLBACK (lane_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "finished",
                                 G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sequence timeline"),
                                  -1);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "enter", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect_object (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-update", G_CALLBACK (drag_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-end", G_CALLBACK (drag_end_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

GtkWidget *
rf_timeline_new (void)
{
  return g_object_new (RF_TYPE_TIMELINE, NULL);
}

RfSession *
rf_timeline_get_session (RfTimeline *self)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), NULL);

  return self->session;
}

void
rf_timeline_set_session (RfTimeline *self,
                         RfSession  *session)
{
  g_return_if_fail (RF_IS_TIMELINE (self));
  g_return_if_fail (!session || RF_IS_SESSION (session));

  if (self->session == session)
    return;

  g_hash_table_remove_all (self->thumbnails);
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  rf_player_set_session (self->player, session);
  self->scroll_pending = FALSE;
  self->n_lanes_sized = get_n_lanes (self);

  gtk_widget_queue_resize (GTK_WIDGET (self));
  rf_timeline_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SESSION]);
}

/**
 * rf_timeline_get_player:
 *
 * Returns: (transfer none): the time axis, selection moves and playback
 *   clock the timeline shows
 */
RfPlayer *
rf_timeline_get_player (RfTimeline *self)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), NULL);

  return self->player;
}

gboolean
rf_timeline_get_playing (RfTimeline *self)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), FALSE);

  return rf_player_get_playing (self->player);
}

void
rf_timeline_set_playing (RfTimeline *self,
                         gboolean    playing)
{
  g_return_if_fail (RF_IS_TIMELINE (self));

  rf_player_set_playing (self->player, playing);
}

double
rf_timeline_get_speed (RfTimeline *self)
{
  g_return_val_if_fail (RF_IS_TIMELINE (self), 1.0);

  return rf_player_get_speed (self->player);
}

void
rf_timeline_set_speed (RfTimeline *self,
                       double      speed)
{
  g_return_if_fail (RF_IS_TIMELINE (self));

  rf_player_set_speed (self->player, speed);
}
