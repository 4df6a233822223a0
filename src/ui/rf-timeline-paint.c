/*
 * rf-timeline.h
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

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "rf-event.h"
#include "rf-frame.h"
#include "rf-session.h"
#include "rf-timeline-private.h"
#include "rf-zoom.h"

/* The axis in the parts' own coordinates. */

double
rf_timeline_area_x_for_time (RfPlayer *player,
                             double    t_ms)
{
  return RF_TIMELINE_AREA_START + rf_player_x_for_time (player, t_ms);
}

double
rf_timeline_area_time_at_x (RfPlayer *player,
                            double    x)
{
  return rf_player_time_at_x (player, x - RF_TIMELINE_AREA_START);
}

/* Colours from the style: dark and light alike. */
void
rf_timeline_get_colours (GtkWidget         *widget,
                         RfTimelineColours *c)
{
  GtkStyleContext *style;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  style = gtk_widget_get_style_context (widget);
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

const GdkRGBA *
rf_timeline_frame_colour (const RfTimelineColours *c,
                          RfFrame                 *frame)
{
  if (rf_frame_get_decode_status (frame) == RF_DECODE_FAILED)
    return &c->failed;
  if (rf_frame_get_kind (frame) == RF_FRAME_KIND_FINAL)
    return &c->final;
  return &c->partial;
}

const GdkRGBA *
rf_timeline_event_colour (const RfTimelineColours *c,
                          RfEvent                 *event)
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

PangoLayout *
rf_timeline_create_small_layout (GtkWidget  *widget,
                                 const char *text,
                                 gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.8));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  return layout;
}

GHashTable *
rf_timeline_layout_cache_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/* The timeline is drawn anew for every frame that arrives; its texts (lane
 * titles, ruler labels) are shaped once and kept, as shaping them all
 * again cost a few milliseconds of each frame. Lanes and ruler steps are
 * few; the cache is emptied if it grows large anyway. */
PangoLayout *
rf_timeline_get_small_layout (GtkWidget  *widget,
                              GHashTable *cache,
                              const char *text,
                              gboolean    bold,
                              int         width)
{
  g_autofree char *key = g_strdup_printf ("%d|%d|%s", bold, width, text);
  PangoLayout *layout = g_hash_table_lookup (cache, key);

  if (layout == NULL)
    {
      if (g_hash_table_size (cache) >= 512)
        g_hash_table_remove_all (cache);

      layout = rf_timeline_create_small_layout (widget, text, bold);
      if (width > 0)
        {
          pango_layout_set_width (layout, width * PANGO_SCALE);
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
        }
      g_hash_table_insert (cache, g_steal_pointer (&key), layout);
    }

  return g_object_ref (layout);
}

void
rf_timeline_append_layout_at (GtkSnapshot   *snapshot,
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

void
rf_timeline_append_rounded (GtkSnapshot           *snapshot,
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

/* The scale and its grid */

void
rf_timeline_snapshot_grid (GtkWidget               *widget,
                           GHashTable              *cache,
                           RfPlayer                *player,
                           GtkSnapshot             *snapshot,
                           const RfTimelineColours *c,
                           double                   y0,
                           double                   y1,
                           gboolean                 with_scale)
{
  double width = gtk_widget_get_width (widget);
  double x0 = RF_TIMELINE_AREA_START;
  double t_start = rf_timeline_area_time_at_x (player, x0 - AREA_PAD_START);
  double t_end = rf_timeline_area_time_at_x (player, width);
  double step = rf_time_scale_pick_step (rf_player_get_ms_per_px (player), LABEL_SPACING);
  double minor = step / 5.0;
  double last_label_end = -G_MAXDOUBLE;

  /* Minor ticks, then major ticks with labels that never overlap. */
  for (double t = floor (MAX (0, t_start) / minor) * minor; t <= t_end; t += minor)
    {
      double x = round (rf_timeline_area_x_for_time (player, t));

      if (x < x0 - 0.5)
        continue;

      if (fmod (t + minor / 2, step) < minor)
        {
          g_autofree char *text = NULL;
          g_autoptr(PangoLayout) layout = NULL;
          PangoRectangle logical;

          if (!with_scale)
            {
              gtk_snapshot_append_color (snapshot, &c->faint, &GRAPHENE_RECT_INIT (x, y0, 1, y1 - y0));
              continue;
            }

          text = rf_time_scale_format (t, step);
          layout = rf_timeline_get_small_layout (widget, cache, text, FALSE, 0);
          gtk_snapshot_append_color (snapshot, &c->dim, &GRAPHENE_RECT_INIT (x, RULER_HEIGHT - 8, 1, 8));
          gtk_snapshot_append_color (snapshot, &c->faint, &GRAPHENE_RECT_INIT (x, y0, 1, y1 - y0));

          pango_layout_get_pixel_extents (layout, NULL, &logical);
          if (x + 4 > last_label_end + 8 && x + 4 + logical.width < width)
            {
              rf_timeline_append_layout_at (snapshot, layout, x + 4, (RULER_HEIGHT - 8 - logical.height) / 2 + 1, &c->dim);
              last_label_end = x + 4 + logical.width;
            }
        }
      else if (with_scale)
        {
          gtk_snapshot_append_color (snapshot, &c->faint, &GRAPHENE_RECT_INIT (x, RULER_HEIGHT - 4, 1, 4));
        }
    }

  if (with_scale)
    gtk_snapshot_append_color (snapshot, &c->faint, &GRAPHENE_RECT_INIT (0, RULER_HEIGHT - 1, width, 1));
}

void
rf_timeline_snapshot_gutter_label (GtkWidget               *widget,
                                   GHashTable              *cache,
                                   GtkSnapshot             *snapshot,
                                   const char              *title,
                                   const char              *subtitle,
                                   double                   y,
                                   double                   row_height,
                                   const RfTimelineColours *c)
{
  g_autoptr(PangoLayout) layout = rf_timeline_get_small_layout (widget, cache, title, TRUE, GUTTER_WIDTH - 16);
  PangoRectangle logical;
  double total;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  total = logical.height;

  if (subtitle != NULL)
    {
      g_autoptr(PangoLayout) sub = rf_timeline_get_small_layout (widget, cache, subtitle, FALSE, GUTTER_WIDTH - 16);
      PangoRectangle sub_logical;

      pango_layout_get_pixel_extents (sub, NULL, &sub_logical);
      total += sub_logical.height;
      rf_timeline_append_layout_at (snapshot, sub, 12, y + (row_height - total) / 2 + logical.height, &c->dim);
    }

  rf_timeline_append_layout_at (snapshot, layout, 12, y + (row_height - total) / 2, &c->fg);
}

/* What changes with the selection, the pointer and playback */

void
rf_timeline_snapshot_playhead (RfPlayer                *player,
                               GtkSnapshot             *snapshot,
                               const RfTimelineColours *c,
                               double                   y0,
                               double                   y1)
{
  double t, x;

  if (!rf_player_get_playhead_ms (player, &t))
    return;

  x = round (rf_timeline_area_x_for_time (player, t));
  if (x < RF_TIMELINE_AREA_START - AREA_PAD_START - 1)
    return;

  gtk_snapshot_append_color (snapshot, &c->playhead, &GRAPHENE_RECT_INIT (x - 1, y0, 2, y1 - y0));
}

void
rf_timeline_snapshot_hover (GtkSnapshot             *snapshot,
                            const RfTimelineColours *c,
                            double                   hover_x,
                            double                   y0,
                            double                   y1)
{
  GdkRGBA hover = c->fg;

  if (hover_x < RF_TIMELINE_AREA_START - AREA_PAD_START)
    return;

  hover.alpha *= 0.25;
  gtk_snapshot_append_color (snapshot, &hover, &GRAPHENE_RECT_INIT (round (hover_x), y0, 1, y1 - y0));
}

/* The parts' static layers */

void
rf_timeline_layer_init (RfTimelineLayer *layer)
{
  layer->rendered = NULL;
  layer->layouts = rf_timeline_layout_cache_new ();
  layer->hover_x = -1;
}

void
rf_timeline_layer_clear (RfTimelineLayer *layer)
{
  g_clear_pointer (&layer->rendered, gsk_render_node_unref);
  g_clear_pointer (&layer->layouts, g_hash_table_unref);
}

void
rf_timeline_layer_invalidate (RfTimelineLayer *layer,
                              GtkWidget       *widget)
{
  g_clear_pointer (&layer->rendered, gsk_render_node_unref);
  gtk_widget_queue_draw (widget);
}

void
rf_timeline_layer_set_hover (RfTimelineLayer *layer,
                             GtkWidget       *widget,
                             double           hover_x)
{
  layer->hover_x = hover_x;
  gtk_widget_queue_draw (widget);
}

void
rf_timeline_layer_css_changed (RfTimelineLayer *layer,
                               GtkWidget       *widget)
{
  g_hash_table_remove_all (layer->layouts);
  rf_timeline_layer_invalidate (layer, widget);
}

void
rf_timeline_layer_snapshot (RfTimelineLayer         *layer,
                            GtkWidget               *widget,
                            RfPlayer                *player,
                            GtkSnapshot             *snapshot,
                            const RfTimelineColours *c,
                            double                   y0,
                            gboolean                 with_scale,
                            RfTimelineLayerFunc      draw)
{
  double height = gtk_widget_get_height (widget);

  if (layer->rendered == NULL)
    {
      GtkSnapshot *child = gtk_snapshot_new ();

      rf_timeline_snapshot_grid (widget, layer->layouts, player, child, c, y0, height, with_scale);
      draw (widget, child, c);
      layer->rendered = gtk_snapshot_free_to_node (child);
    }

  /* The playhead runs behind the static layer. */
  rf_timeline_snapshot_playhead (player, snapshot, c, y0, height);
  if (layer->rendered != NULL)
    gtk_snapshot_append_node (snapshot, layer->rendered);
  rf_timeline_snapshot_hover (snapshot, c, layer->hover_x, y0, height);
}

/* Tooltips */

void
rf_timeline_set_time_tooltip (GtkTooltip *tooltip,
                              double      t_ms)
{
  g_autofree char *text = g_strdup_printf ("%.3f s", t_ms / 1000.0);

  gtk_tooltip_set_text (tooltip, text);
}

char *
rf_timeline_dup_frame_tooltip (RfSession *session,
                               RfFrame   *frame)
{
  GListModel *events = rf_session_get_events (session);
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

  /* The lane's convergence strip, in numbers. */
  {
    double ssim, diff;
    gboolean has_ssim = rf_frame_get_ssim_final (frame, &ssim);
    gboolean has_diff = rf_frame_get_diff_prev (frame, &diff, NULL);

    if (has_ssim || has_diff)
      g_string_append_c (str, '\n');
    if (has_ssim)
      /* TRANSLATORS: frame tooltip: structural similarity (0–1) to the image's final frame */
      g_string_append_printf (str, _("SSIM to final %.3f"), ssim);
    if (has_ssim && has_diff)
      g_string_append (str, " · ");
    if (has_diff)
      /* TRANSLATORS: frame tooltip: mean change (0–255) from the image's frame before */
      g_string_append_printf (str, _("changed %.1f from the frame before"), diff);
  }

  return g_string_free (str, FALSE);
}
