/*
 * rf-canvas-draw.c
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

/* Drawing: the checkerboard, the image at its zoom (nearest-neighbour
 * above 1:1), the compare modes and the labels over them. Draws what the
 * cache holds and asks for what it lacks; starts no work of its own but
 * the scaled copy and heat map it needs. */

typedef enum { ALIGN_START, ALIGN_CENTER, ALIGN_END } PillAlign;

static gboolean
is_dark (RfCanvas *self)
{
  GtkStyleContext *style;
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  style = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (style, &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  return (fg.red + fg.green + fg.blue) / 3.0 > 0.5;
}

static void
snapshot_checkerboard (RfCanvas              *self,
                       GtkSnapshot           *snapshot,
                       const graphene_rect_t *area)
{
  gboolean dark = is_dark (self);
  GdkRGBA light_sq = dark ? (GdkRGBA) { 0.30, 0.30, 0.32, 1 } : (GdkRGBA) { 0.96, 0.96, 0.96, 1 };
  GdkRGBA dark_sq = dark ? (GdkRGBA) { 0.22, 0.22, 0.24, 1 } : (GdkRGBA) { 0.80, 0.80, 0.81, 1 };

  gtk_snapshot_push_repeat (snapshot, area,
                            &GRAPHENE_RECT_INIT (area->origin.x, area->origin.y,
                                                 CHECKER_SIZE * 2, CHECKER_SIZE * 2));
  gtk_snapshot_append_color (snapshot, &light_sq,
                             &GRAPHENE_RECT_INIT (area->origin.x, area->origin.y,
                                                  CHECKER_SIZE * 2, CHECKER_SIZE * 2));
  gtk_snapshot_append_color (snapshot, &dark_sq,
                             &GRAPHENE_RECT_INIT (area->origin.x, area->origin.y,
                                                  CHECKER_SIZE, CHECKER_SIZE));
  gtk_snapshot_append_color (snapshot, &dark_sq,
                             &GRAPHENE_RECT_INIT (area->origin.x + CHECKER_SIZE,
                                                  area->origin.y + CHECKER_SIZE,
                                                  CHECKER_SIZE, CHECKER_SIZE));
  gtk_snapshot_pop (snapshot);
}

/* Where the image lands in pane coordinates: whole pixels, so that 1:1
 * is exact. */
void
_rf_canvas_get_image_rect (RfCanvas        *self,
                graphene_rect_t *rect)
{
  double ox, oy;
  int w, h;
  double zoom = rf_zoom_get_zoom (self->zoom);

  rf_zoom_get_origin (self->zoom, &ox, &oy);
  rf_zoom_get_image_size (self->zoom, &w, &h);

  graphene_rect_init (rect, round (ox), round (oy), w * zoom, h * zoom);
}

/* Draws @texture stretched over @dest, clipped to @clip. Above 1:1 every
 * image pixel becomes a sharp square (cairo's nearest filter: GTK 4.8 has
 * no scaling filter for texture nodes). */
static void
snapshot_texture (RfCanvas              *self,
                  GtkSnapshot           *snapshot,
                  CachedImage           *image,
                  GdkTexture            *texture,
                  const graphene_rect_t *dest,
                  const graphene_rect_t *clip)
{
  graphene_rect_t visible;
  int tw = gdk_texture_get_width (texture);
  int th = gdk_texture_get_height (texture);
  double sx = dest->size.width / tw;
  double sy = dest->size.height / th;

  if (!graphene_rect_intersection (dest, clip, &visible))
    return;

  if (image != NULL && image->has_alpha)
    snapshot_checkerboard (self, snapshot, &visible);

  if (image != NULL && _rf_canvas_get_scaled_size (self, image, dest->size.width, dest->size.height, &tw, &th))
    {
      if (_rf_canvas_cached_image_has_scaled (image, tw, th))
        {
          int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

          /* Whole device pixels, as made: drawn without filtering. */
          gtk_snapshot_push_clip (snapshot, &visible);
          gtk_snapshot_append_texture (snapshot, image->scaled,
                                       &GRAPHENE_RECT_INIT (dest->origin.x, dest->origin.y,
                                                            (double) tw / scale, (double) th / scale));
          gtk_snapshot_pop (snapshot);
          return;
        }

      /* Drawn filtered until then; not while the size moves each frame. */
      if (!self->animating)
        _rf_canvas_cached_image_request_scaled (self, image, tw, th);
      tw = gdk_texture_get_width (texture);
      th = gdk_texture_get_height (texture);
    }

  if (image != NULL && (sx > 1.0001 || sy > 1.0001))
    {
      cairo_t *cr;

      graphene_rect_round_extents (&visible, &visible);
      cr = gtk_snapshot_append_cairo (snapshot, &visible);
      cairo_rectangle (cr, visible.origin.x, visible.origin.y,
                       visible.size.width, visible.size.height);
      cairo_clip (cr);
      cairo_translate (cr, dest->origin.x, dest->origin.y);
      cairo_scale (cr, sx, sy);
      cairo_set_source_surface (cr, _rf_canvas_cached_image_get_surface (image), 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
      cairo_rectangle (cr, 0, 0, tw, th);
      cairo_fill (cr);
      cairo_destroy (cr);
    }
  else
    {
      gtk_snapshot_push_clip (snapshot, &visible);
      gtk_snapshot_append_texture (snapshot, texture, dest);
      gtk_snapshot_pop (snapshot);
    }
}

static void
snapshot_image (RfCanvas              *self,
                GtkSnapshot           *snapshot,
                CachedImage           *image,
                const graphene_rect_t *dest,
                const graphene_rect_t *clip)
{
  if (image != NULL)
    snapshot_texture (self, snapshot, image, image->texture, dest, clip);
}

/* A translucent rounded label floating over the image. */
static void
snapshot_pill (RfCanvas    *self,
               GtkSnapshot *snapshot,
               const char  *text,
               double       x,
               double       y,
               PillAlign    align)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoAttrList *attrs;
  PangoRectangle ink, logical;
  GskRoundedRect rounded;
  graphene_rect_t rect;
  double pad_x = 10, pad_y = 4;
  double w, h;

  if (text == NULL || text[0] == '\0')
    return;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_scale_new (0.85));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_extents (layout, &ink, &logical);

  w = logical.width + 2 * pad_x;
  h = logical.height + 2 * pad_y;

  if (align == ALIGN_CENTER)
    x -= w / 2;
  else if (align == ALIGN_END)
    x -= w;

  graphene_rect_init (&rect, round (x), round (y), w, h);
  gsk_rounded_rect_init_from_rect (&rounded, &rect, h / 2);

  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0.65 }, &rect);
  gtk_snapshot_pop (snapshot);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect.origin.x + pad_x,
                                                          rect.origin.y + pad_y));
  gtk_snapshot_append_layout (snapshot, layout, &(GdkRGBA) { 1, 1, 1, 1 });
  gtk_snapshot_restore (snapshot);
}

static char *
dup_frame_label (RfFrame *frame)
{
  if (frame == NULL)
    return NULL;

  return rf_frame_dup_label (frame);
}

static void
snapshot_centered_text (RfCanvas    *self,
                        GtkSnapshot *snapshot,
                        const char  *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  GtkStyleContext *style;
  PangoRectangle logical;
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  style = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (style, &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  fg.alpha *= 0.55;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((w - logical.width) / 2,
                                                          (h - logical.height) / 2));
  gtk_snapshot_append_layout (snapshot, layout, &fg);
  gtk_snapshot_restore (snapshot);
}

static void
snapshot_wipe_handle (RfCanvas    *self,
                      GtkSnapshot *snapshot,
                      double       x,
                      double       top,
                      double       height)
{
  GskRoundedRect knob;
  graphene_rect_t rect;
  cairo_t *cr;
  double cy = round (top + height / 2);

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0.35 },
                             &GRAPHENE_RECT_INIT (x - 2, top, 4, height));
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 1 },
                             &GRAPHENE_RECT_INIT (x - 1, top, 2, height));

  graphene_rect_init (&rect, x - 16, cy - 16, 32, 32);
  gsk_rounded_rect_init_from_rect (&knob, &rect, 16);
  gtk_snapshot_append_outset_shadow (snapshot, &knob, &(GdkRGBA) { 0, 0, 0, 0.4 }, 0, 1, 0, 4);
  gtk_snapshot_push_rounded_clip (snapshot, &knob);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 1 }, &rect);
  gtk_snapshot_pop (snapshot);

  /* Two small arrows: drag sideways. */
  cr = gtk_snapshot_append_cairo (snapshot, &rect);
  cairo_set_source_rgba (cr, 0.2, 0.2, 0.22, 1);
  cairo_move_to (cr, x - 3, cy - 5);
  cairo_line_to (cr, x - 9, cy);
  cairo_line_to (cr, x - 3, cy + 5);
  cairo_close_path (cr);
  cairo_move_to (cr, x + 3, cy - 5);
  cairo_line_to (cr, x + 9, cy);
  cairo_line_to (cr, x + 3, cy + 5);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_destroy (cr);
}

/* The rows of a frame still arriving, top-down over @dest (where the
 * frame before it is drawn), with a line under the last row done and a
 * label that says how far it is. */
static void
snapshot_arriving (RfCanvas              *self,
                   GtkSnapshot           *snapshot,
                   const graphene_rect_t *dest,
                   const graphene_rect_t *view)
{
  int rows = gdk_texture_get_height (self->arriving);
  double fraction = (double) rows / MAX (1, self->arriving_height);
  graphene_rect_t done = GRAPHENE_RECT_INIT (dest->origin.x, dest->origin.y,
                                             dest->size.width, dest->size.height * fraction);
  graphene_rect_t visible;
  g_autofree char *text = NULL;
  GdkRGBA accent = { 0.21, 0.52, 0.89, 0.9 };  /* libadwaita's blue accent */

  if (!graphene_rect_intersection (&done, view, &visible))
    return;

  gtk_snapshot_push_clip (snapshot, &visible);
  gtk_snapshot_append_texture (snapshot, self->arriving, &done);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_color (snapshot, &accent,
                             &GRAPHENE_RECT_INIT (visible.origin.x, done.origin.y + done.size.height - 1,
                                                  visible.size.width, 2));

  /* TRANSLATORS: a label over the image while a frame's pixels come in;
   * %d is how much of it has arrived, in percent. A frame is one step of
   * an image’s refinement: a partial image or the final image */
  text = g_strdup_printf (_("Next frame arriving · %d %%"), (int) (fraction * 100));
  snapshot_pill (self, snapshot, text, visible.origin.x + visible.size.width / 2,
                 MAX (view->origin.y, dest->origin.y) + 12, ALIGN_CENTER);
}

void
_rf_canvas_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  RfCanvas *self = RF_CANVAS (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  g_autofree char *label_a = NULL;
  g_autofree char *label_b = NULL;
  graphene_rect_t view, dest, vis;
  RfFrame *selected = NULL;
  double pw, ph;

  if (self->session != NULL)
    selected = rf_session_get_selected_frame (self->session);

  if (self->shown == NULL && self->arriving != NULL)
    {
      /* The run's first frame, still coming: its rows alone. */
      graphene_rect_init (&view, 0, 0, width, height);
      _rf_canvas_get_image_rect (self, &dest);
      gtk_snapshot_push_clip (snapshot, &view);
      snapshot_arriving (self, snapshot, &dest, &view);
      gtk_snapshot_pop (snapshot);
      return;
    }

  if (self->shown == NULL)
    {
      if (self->session != NULL && selected != NULL &&
          rf_frame_get_decode_status (selected) == RF_DECODE_FAILED)
        /* TRANSLATORS: shown on the canvas. A frame is one step of an
         * image’s refinement: a partial image or the final image */
        snapshot_centered_text (self, snapshot, _("This frame could not be decoded"));
      else if (self->session != NULL && g_list_model_get_n_items (rf_session_get_frames (self->session)) == 0 &&
               (rf_session_get_state (self->session) == RF_SESSION_STATE_FAILED ||
                rf_session_get_state (self->session) == RF_SESSION_STATE_CANCELLED ||
                rf_session_get_finished (self->session)))
        /* TRANSLATORS: shown on the canvas when a run ended without images.
         * A frame is one step of an image’s refinement: a partial image or
         * the final image */
        snapshot_centered_text (self, snapshot, _("No frames were received"));
      else if (self->session != NULL)
        /* TRANSLATORS: shown on the canvas while a run starts. A frame is
         * one step of an image’s refinement: a partial image or the final
         * image */
        snapshot_centered_text (self, snapshot, _("Waiting for the first frame…"));
      return;
    }

  /* With REFINERY_PROFILE=1: how long after its event a frame is painted. */
  if (self->shown->frame != self->painted && rf_stall_monitor_is_running ())
    {
      g_set_object (&self->painted, self->shown->frame);
      rf_stall_monitor_frame_shown (rf_frame_get_index (self->painted),
                                    rf_session_get_start_time (self->session),
                                    rf_frame_get_t_ms (self->painted));
    }

  graphene_rect_init (&view, 0, 0, width, height);
  gtk_snapshot_push_clip (snapshot, &view);

  _rf_canvas_get_pane_size (self, &pw, &ph);
  _rf_canvas_get_image_rect (self, &dest);

  /* Labels float over the visible part of the image. */
  if (!graphene_rect_intersection (&dest, &view, &vis))
    vis = view;

  label_a = dup_frame_label (self->shown->frame);
  if (self->other != NULL)
    label_b = dup_frame_label (self->other->frame);

  switch (self->compare_mode)
    {
    case RF_COMPARE_SIDE_BY_SIDE:
      {
        graphene_rect_t pane = GRAPHENE_RECT_INIT (0, 0, pw, ph);
        graphene_rect_t pvis;

        if (!graphene_rect_intersection (&dest, &pane, &pvis))
          pvis = pane;

        snapshot_image (self, snapshot, self->shown, &dest, &pane);
        snapshot_pill (self, snapshot, label_a, pw / 2, pvis.origin.y + 12, ALIGN_CENTER);

        gtk_snapshot_save (snapshot);
        gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (_rf_canvas_get_pane_offset (self, 1), 0));
        snapshot_image (self, snapshot, self->other, &dest, &pane);
        snapshot_pill (self, snapshot, label_b, pw / 2, pvis.origin.y + 12, ALIGN_CENTER);
        gtk_snapshot_restore (snapshot);
      }
      break;

    case RF_COMPARE_WIPE:
      {
        double x = round (width * self->wipe_position);

        snapshot_image (self, snapshot, self->other ? self->other : self->shown, &dest, &view);
        gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, x, height));
        snapshot_image (self, snapshot, self->shown, &dest, &view);
        gtk_snapshot_pop (snapshot);
        snapshot_wipe_handle (self, snapshot, x, vis.origin.y, vis.size.height);
        snapshot_pill (self, snapshot, label_a, vis.origin.x + 12, vis.origin.y + 12, ALIGN_START);
        snapshot_pill (self, snapshot, label_b, vis.origin.x + vis.size.width - 12, vis.origin.y + 12, ALIGN_END);
      }
      break;

    case RF_COMPARE_CROSSFADE:
      {
        g_autofree char *text = NULL;

        gtk_snapshot_push_cross_fade (snapshot, self->crossfade);
        snapshot_image (self, snapshot, self->shown, &dest, &view);
        gtk_snapshot_pop (snapshot);
        snapshot_image (self, snapshot, self->other ? self->other : self->shown, &dest, &view);
        gtk_snapshot_pop (snapshot);

        /* Translators: cross-fade label, e.g. "partial 0 → final · 40 %" */
        text = g_strdup_printf (_("%s → %s · %.0f %%"), label_a, label_b ? label_b : label_a,
                                self->crossfade * 100);
        snapshot_pill (self, snapshot, text, vis.origin.x + vis.size.width / 2, vis.origin.y + 12, ALIGN_CENTER);
      }
      break;

    case RF_COMPARE_DIFFERENCE:
      {
        DiffEntry *entry = NULL;
        g_autofree char *text = NULL;

        if (self->other != NULL)
          entry = _rf_canvas_find_diff (self, self->shown->frame, self->other->frame);

        if (entry != NULL)
          {
            snapshot_texture (self, snapshot, NULL, entry->texture, &dest, &view);
            /* Translators: difference heat map label, e.g. "Difference: partial 0 ↔ final" */
            text = g_strdup_printf (_("Difference: %s ↔ %s"), label_a, label_b);
          }
        else
          {
            snapshot_image (self, snapshot, self->shown, &dest, &view);
            text = g_strdup (_("Computing difference…"));
          }
        snapshot_pill (self, snapshot, text, vis.origin.x + vis.size.width / 2, vis.origin.y + 12, ALIGN_CENTER);
      }
      break;

    case RF_COMPARE_NONE:
    default:
      snapshot_image (self, snapshot, self->shown, &dest, &view);
      if (self->arriving != NULL)
        snapshot_arriving (self, snapshot, &dest, &view);
      break;
    }

  /* The selected frame failed: say so over the last good image. */
  if (selected != NULL && rf_frame_get_decode_status (selected) == RF_DECODE_FAILED)
    snapshot_pill (self, snapshot, _("This frame could not be decoded"),
                   width / 2, height - 40, ALIGN_CENTER);

  gtk_snapshot_pop (snapshot);
}
