/*
 * rf-compare.c
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

#define G_LOG_DOMAIN "rf-compare"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "rf-analysis.h"
#include "rf-compare.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-run-summary.h"
#include "rf-session.h"
#include "rf-source.h"

static void
pair_free (RfComparePair *pair)
{
  g_clear_object (&pair->a);
  g_clear_object (&pair->b);
  g_free (pair);
}

gboolean
rf_compare_align_from_string (const char     *text,
                              RfCompareAlign *align)
{
  if (g_strcmp0 (text, "index") == 0)
    *align = RF_COMPARE_ALIGN_INDEX;
  else if (g_strcmp0 (text, "time") == 0)
    *align = RF_COMPARE_ALIGN_TIME;
  else
    return FALSE;

  return TRUE;
}

const char *
rf_compare_align_to_string (RfCompareAlign align)
{
  return align == RF_COMPARE_ALIGN_TIME ? "time" : "index";
}

static RfComparePair *
pair_new (guint    lane,
          guint    lane_b,
          RfFrame *a,
          RfFrame *b)
{
  RfComparePair *pair = g_new0 (RfComparePair, 1);

  pair->lane = lane;
  pair->lane_b = lane_b;
  pair->a = a ? g_object_ref (a) : NULL;
  pair->b = b ? g_object_ref (b) : NULL;
  pair->ssim = NAN;

  return pair;
}

static gboolean
same_place (RfFrame *a,
            RfFrame *b)
{
  if (rf_frame_get_kind (a) != rf_frame_get_kind (b))
    return FALSE;
  return rf_frame_get_kind (a) == RF_FRAME_KIND_FINAL ||
         rf_frame_get_partial_index (a) == rf_frame_get_partial_index (b);
}

GPtrArray *
rf_compare_pair_lanes (RfLane         *a,
                       guint           lane_a,
                       RfLane         *b,
                       guint           lane_b,
                       RfCompareAlign  align)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) pair_free);
  GListModel *fa = a ? rf_lane_get_frames (a) : NULL;
  GListModel *fb = b ? rf_lane_get_frames (b) : NULL;
  guint na = fa ? g_list_model_get_n_items (fa) : 0;
  guint nb = fb ? g_list_model_get_n_items (fb) : 0;
  g_autofree gboolean *used = g_new0 (gboolean, nb + 1);

  for (guint i = 0; i < na; i++)
    {
      g_autoptr(RfFrame) fa_i = g_list_model_get_item (fa, i);
      g_autoptr(RfFrame) match = NULL;

      for (guint j = 0; j < nb; j++)
        {
          g_autoptr(RfFrame) fb_j = g_list_model_get_item (fb, j);

          if (align == RF_COMPARE_ALIGN_INDEX)
            {
              if (!used[j] && same_place (fa_i, fb_j))
                {
                  used[j] = TRUE;
                  g_set_object (&match, fb_j);
                  break;
                }
            }
          else if (rf_frame_get_t_ms (fb_j) <= rf_frame_get_t_ms (fa_i))
            {
              used[j] = TRUE;
              g_set_object (&match, fb_j);
            }
        }

      g_ptr_array_add (pairs, pair_new (lane_a, lane_b, fa_i, match));
    }

  /* By index, what B has and A lacks is a row too. */
  if (align == RF_COMPARE_ALIGN_INDEX)
    for (guint j = 0; j < nb; j++)
      if (!used[j])
        {
          g_autoptr(RfFrame) fb_j = g_list_model_get_item (fb, j);

          g_ptr_array_add (pairs, pair_new (lane_a, lane_b, NULL, fb_j));
        }

  return pairs;
}

GPtrArray *
rf_compare_pair_sessions (RfSession      *a,
                          RfSession      *b,
                          RfCompareAlign  align)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) pair_free);
  guint na = g_list_model_get_n_items (rf_session_get_lanes (a));
  guint nb = g_list_model_get_n_items (rf_session_get_lanes (b));

  for (guint lane = 0; lane < MAX (na, nb); lane++)
    {
      g_autoptr(GPtrArray) lane_pairs = rf_compare_pair_lanes (rf_session_get_lane (a, lane), lane,
                                                               rf_session_get_lane (b, lane), lane,
                                                               align);

      for (guint i = 0; i < lane_pairs->len; i++)
        g_ptr_array_add (pairs, g_ptr_array_steal_index (lane_pairs, i--));
    }

  return pairs;
}

GPtrArray *
rf_compare_pair_chosen_lanes (RfSession      *a,
                              guint           lane_a,
                              RfSession      *b,
                              guint           lane_b,
                              RfCompareAlign  align)
{
  g_return_val_if_fail (RF_IS_SESSION (a), NULL);
  g_return_val_if_fail (RF_IS_SESSION (b), NULL);

  return rf_compare_pair_lanes (rf_session_get_lane (a, lane_a), lane_a,
                                rf_session_get_lane (b, lane_b), lane_b, align);
}

void
rf_compare_measure (RfComparePair *pair)
{
  g_autoptr(GdkPixbuf) pa = NULL;
  g_autoptr(GdkPixbuf) pb = NULL;
  g_autoptr(RfAnalysisImage) ia = NULL;
  g_autoptr(RfAnalysisImage) ib = NULL;

  pair->measured = FALSE;
  if (pair->a == NULL || pair->b == NULL ||
      rf_frame_get_decode_status (pair->a) != RF_DECODE_OK ||
      rf_frame_get_decode_status (pair->b) != RF_DECODE_OK)
    return;

  pa = rf_frame_decode_pixbuf (pair->a, NULL);
  pb = rf_frame_decode_pixbuf (pair->b, NULL);
  if (pa == NULL || pb == NULL)
    return;

  ia = rf_analysis_image_new (pa);
  ib = rf_analysis_image_new (pb);
  /* B is brought to A's size, as the earlier frame is for diff_prev. */
  rf_analysis_diff_prev (ib, ia, &pair->diff, NULL);
  pair->ssim = rf_analysis_ssim_final (ib, ia);
  pair->measured = TRUE;
}

static void
add_frame_ref (JsonBuilder *builder,
               const char  *name,
               RfFrame     *frame)
{
  json_builder_set_member_name (builder, name);
  if (frame == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, rf_frame_kind_to_string (rf_frame_get_kind (frame)));
  json_builder_set_member_name (builder, "partial_image_index");
  if (rf_frame_get_partial_index (frame) >= 0)
    json_builder_add_int_value (builder, rf_frame_get_partial_index (frame));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "t_ms");
  json_builder_add_int_value (builder, rf_frame_get_t_ms (frame));
  json_builder_end_object (builder);
}

static void
add_run (JsonBuilder *builder,
         RfSession   *session)
{
  GListModel *frames = rf_session_get_frames (session);
  g_autoptr(RfRunSummary) summary = rf_run_summary_new (session);
  g_autofree char *source = rf_session_get_source (session)
    ? rf_source_dup_description (rf_session_get_source (session)) : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, source ? source : "");
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, rf_session_state_to_string (rf_session_get_state (session)));
  json_builder_set_member_name (builder, "summary");
  rf_run_summary_add_json (summary, builder);
  json_builder_set_member_name (builder, "frames");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
      double diff, ssim;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "lane");
      json_builder_add_int_value (builder, rf_frame_get_lane_index (frame));
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, rf_frame_kind_to_string (rf_frame_get_kind (frame)));
      json_builder_set_member_name (builder, "partial_image_index");
      if (rf_frame_get_partial_index (frame) >= 0)
        json_builder_add_int_value (builder, rf_frame_get_partial_index (frame));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "t_ms");
      json_builder_add_int_value (builder, rf_frame_get_t_ms (frame));
      json_builder_set_member_name (builder, "diff_prev");
      if (rf_frame_get_diff_prev (frame, &diff, NULL))
        json_builder_add_double_value (builder, round (diff * 1e4) / 1e4);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "ssim_final");
      if (rf_frame_get_ssim_final (frame, &ssim))
        json_builder_add_double_value (builder, round (ssim * 1e6) / 1e6);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

void
rf_compare_add_json (JsonBuilder    *builder,
                     RfSession      *a,
                     RfSession      *b,
                     RfCompareAlign  align,
                     GPtrArray      *pairs)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "align");
  json_builder_add_string_value (builder, rf_compare_align_to_string (align));
  json_builder_set_member_name (builder, "a");
  add_run (builder, a);
  json_builder_set_member_name (builder, "b");
  add_run (builder, b);
  json_builder_set_member_name (builder, "pairs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < pairs->len; i++)
    {
      RfComparePair *pair = g_ptr_array_index (pairs, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "lane");
      json_builder_add_int_value (builder, pair->lane);
      json_builder_set_member_name (builder, "lane_b");
      json_builder_add_int_value (builder, pair->lane_b);
      add_frame_ref (builder, "a", pair->a);
      add_frame_ref (builder, "b", pair->b);
      json_builder_set_member_name (builder, "diff");
      if (pair->measured)
        json_builder_add_double_value (builder, round (pair->diff * 1e4) / 1e4);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "ssim");
      if (pair->measured && !isnan (pair->ssim))
        json_builder_add_double_value (builder, round (pair->ssim * 1e6) / 1e6);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

char *
rf_compare_dup_json (RfSession      *a,
                     RfSession      *b,
                     RfCompareAlign  align,
                     GPtrArray      *pairs)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  rf_compare_add_json (builder, a, b, align, pairs);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}

/* 8-bit RGB over black, as the measures see a frame. */
static GdkPixbuf *
flatten (GdkPixbuf *pixbuf,
         int        width,
         int        height)
{
  GdkPixbuf *out = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);

  gdk_pixbuf_fill (out, 0x000000ff);
  if (gdk_pixbuf_get_width (pixbuf) == width && gdk_pixbuf_get_height (pixbuf) == height &&
      !gdk_pixbuf_get_has_alpha (pixbuf))
    gdk_pixbuf_copy_area (pixbuf, 0, 0, width, height, out, 0, 0);
  else
    gdk_pixbuf_composite (pixbuf, out, 0, 0, width, height, 0, 0,
                          (double) width / gdk_pixbuf_get_width (pixbuf),
                          (double) height / gdk_pixbuf_get_height (pixbuf),
                          GDK_INTERP_BILINEAR, 255);

  return out;
}

GdkPixbuf *
rf_compare_difference_pixbuf (GdkPixbuf *a,
                              GdkPixbuf *b)
{
  int width, height;
  g_autoptr(GdkPixbuf) fa = NULL;
  g_autoptr(GdkPixbuf) fb = NULL;
  GdkPixbuf *out;
  int sa, sb, so;
  const guint8 *pa, *pb;
  guint8 *po;

  g_return_val_if_fail (GDK_IS_PIXBUF (a), NULL);
  g_return_val_if_fail (GDK_IS_PIXBUF (b), NULL);

  width = gdk_pixbuf_get_width (a);
  height = gdk_pixbuf_get_height (a);
  fa = flatten (a, width, height);
  fb = flatten (b, width, height);
  out = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  sa = gdk_pixbuf_get_rowstride (fa);
  sb = gdk_pixbuf_get_rowstride (fb);
  so = gdk_pixbuf_get_rowstride (out);
  pa = gdk_pixbuf_read_pixels (fa);
  pb = gdk_pixbuf_read_pixels (fb);
  po = gdk_pixbuf_get_pixels (out);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *ca = pa + (gsize) y * sa + x * 3;
        const guint8 *cb = pb + (gsize) y * sb + x * 3;
        guint8 *co = po + (gsize) y * so + x * 3;
        int d = (ABS (ca[0] - cb[0]) + ABS (ca[1] - cb[1]) + ABS (ca[2] - cb[2])) * 4 / 3;

        co[0] = co[1] = co[2] = (guint8) MIN (d, 255);
      }

  return out;
}

static void
put_fitted (GdkPixbuf *grid,
            GdkPixbuf *image,
            int        x,
            int        y,
            int        cell)
{
  int w = gdk_pixbuf_get_width (image);
  int h = gdk_pixbuf_get_height (image);
  double scale = MIN ((double) cell / w, (double) cell / h);
  int sw = MAX (1, (int) round (w * scale));
  int sh = MAX (1, (int) round (h * scale));
  int ox = x + (cell - sw) / 2;
  int oy = y + (cell - sh) / 2;

  gdk_pixbuf_composite (image, grid, ox, oy, sw, sh, ox, oy, scale, scale, GDK_INTERP_BILINEAR, 255);
}

GdkPixbuf *
rf_compare_render_grid (GPtrArray     *pairs,
                        int            cell,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GdkPixbuf) grid = NULL;
  const int gap = 4;

  g_return_val_if_fail (pairs != NULL, NULL);
  g_return_val_if_fail (cell > 0 && cell <= 4096, NULL);

  if (pairs->len == 0)
    {
      /* TRANSLATORS: comparing two runs. A frame is one step of an image’s
       * refinement: a partial image or the final image */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("There are no frames to compare"));
      return NULL;
    }
  /* A grid past 100 megapixels is not an image anyone can look at. */
  if ((gint64) (3 * cell + 4 * gap) * (pairs->len * (gint64) (cell + gap) + gap) > 100 * 1000 * 1000)
    {
      /* TRANSLATORS: comparing two runs: the contact sheet of the compared
       * frames would be too large. A frame is one step of an image’s
       * refinement: a partial image or the final image */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, _("The comparison has too many frames for one image"));
      return NULL;
    }

  grid = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 3 * cell + 4 * gap, pairs->len * (cell + gap) + gap);
  gdk_pixbuf_fill (grid, 0x303030ff);

  for (guint i = 0; i < pairs->len; i++)
    {
      RfComparePair *pair = g_ptr_array_index (pairs, i);
      g_autoptr(GdkPixbuf) pa = NULL;
      g_autoptr(GdkPixbuf) pb = NULL;
      int y = gap + i * (cell + gap);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      if (pair->a != NULL && rf_frame_get_decode_status (pair->a) == RF_DECODE_OK)
        pa = rf_frame_decode_pixbuf (pair->a, NULL);
      if (pair->b != NULL && rf_frame_get_decode_status (pair->b) == RF_DECODE_OK)
        pb = rf_frame_decode_pixbuf (pair->b, NULL);

      if (pa != NULL)
        put_fitted (grid, pa, gap, y, cell);
      if (pb != NULL)
        put_fitted (grid, pb, 2 * gap + cell, y, cell);
      if (pa != NULL && pb != NULL)
        {
          g_autoptr(GdkPixbuf) diff = rf_compare_difference_pixbuf (pa, pb);

          put_fitted (grid, diff, 3 * gap + 2 * cell, y, cell);
        }
    }

  return g_steal_pointer (&grid);
}

double *
rf_compare_change_blocks (GdkPixbuf *before,
                          GdkPixbuf *after,
                          int        block,
                          int       *n_cols,
                          int       *n_rows)
{
  int width, height, cols, rows, sa, sb;
  g_autoptr(GdkPixbuf) fa = NULL;
  g_autoptr(GdkPixbuf) fb = NULL;
  g_autofree guint64 *sums = NULL;
  g_autofree guint64 *counts = NULL;
  const guint8 *pa, *pb;
  double *values;

  g_return_val_if_fail (GDK_IS_PIXBUF (before), NULL);
  g_return_val_if_fail (GDK_IS_PIXBUF (after), NULL);
  g_return_val_if_fail (block > 0, NULL);

  width = gdk_pixbuf_get_width (after);
  height = gdk_pixbuf_get_height (after);
  cols = (width + block - 1) / block;
  rows = (height + block - 1) / block;
  fa = flatten (after, width, height);
  fb = flatten (before, width, height);
  sa = gdk_pixbuf_get_rowstride (fa);
  sb = gdk_pixbuf_get_rowstride (fb);
  pa = gdk_pixbuf_read_pixels (fa);
  pb = gdk_pixbuf_read_pixels (fb);
  sums = g_new0 (guint64, (gsize) cols * rows);
  counts = g_new0 (guint64, (gsize) cols * rows);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *ca = pa + (gsize) y * sa + x * 3;
        const guint8 *cb = pb + (gsize) y * sb + x * 3;
        gsize i = (gsize) (y / block) * cols + x / block;

        sums[i] += ABS (ca[0] - cb[0]) + ABS (ca[1] - cb[1]) + ABS (ca[2] - cb[2]);
        counts[i] += 3;
      }

  values = g_new (double, (gsize) cols * rows);
  for (gsize i = 0; i < (gsize) cols * rows; i++)
    values[i] = (double) sums[i] / counts[i];

  *n_cols = cols;
  *n_rows = rows;

  return values;
}

/* A perceptual ramp; the square root lifts small differences, which
 * are what a partial image's change from the one before mostly is. */
void
rf_compare_heat_colour (guint   d,
                        guint8 *rgb)
{
  static const struct { double t, r, g, b; } stops[] = {
    { 0.00,   0,   0,   0 },
    { 0.25,  60,  15, 110 },
    { 0.50, 190,  35,  75 },
    { 0.75, 245, 130,  25 },
    { 1.00, 255, 250, 190 },
  };
  double t = sqrt (MIN (d, 255) / 255.0);

  g_return_if_fail (rgb != NULL);

  for (guint i = 1; i < G_N_ELEMENTS (stops); i++)
    {
      if (t <= stops[i].t)
        {
          double f = (t - stops[i - 1].t) / (stops[i].t - stops[i - 1].t);

          rgb[0] = stops[i - 1].r + f * (stops[i].r - stops[i - 1].r);
          rgb[1] = stops[i - 1].g + f * (stops[i].g - stops[i - 1].g);
          rgb[2] = stops[i - 1].b + f * (stops[i].b - stops[i - 1].b);
          return;
        }
    }

  rgb[0] = 255, rgb[1] = 250, rgb[2] = 190;
}

GdkPixbuf *
rf_compare_change_heat_map (GdkPixbuf *before,
                            GdkPixbuf *after,
                            int        block)
{
  g_autofree double *values = NULL;
  g_autoptr(GdkPixbuf) flat = NULL;
  GdkPixbuf *out;
  int width, height, cols, rows, sf, so;
  const guint8 *pf;
  guint8 *po;

  g_return_val_if_fail (GDK_IS_PIXBUF (before), NULL);
  g_return_val_if_fail (GDK_IS_PIXBUF (after), NULL);
  g_return_val_if_fail (block > 0, NULL);

  values = rf_compare_change_blocks (before, after, block, &cols, &rows);
  width = gdk_pixbuf_get_width (after);
  height = gdk_pixbuf_get_height (after);
  flat = flatten (after, width, height);
  out = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  sf = gdk_pixbuf_get_rowstride (flat);
  so = gdk_pixbuf_get_rowstride (out);
  pf = gdk_pixbuf_read_pixels (flat);
  po = gdk_pixbuf_get_pixels (out);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *c = pf + (gsize) y * sf + x * 3;
        guint8 *o = po + (gsize) y * so + x * 3;
        guint d = (guint) round (CLAMP (values[(gsize) (y / block) * cols + x / block], 0, 255));

        /* A change has the colour the canvas shows for it; where nothing
         * changed, the frame stays recognisable: a third of its luma. */
        if (d > 0)
          rf_compare_heat_colour (d, o);
        else
          o[0] = o[1] = o[2] = (guint8) round ((0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 3.0);
      }

  return out;
}
