/*
 * rf-analysis.c
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

#define G_LOG_DOMAIN "rf-analysis"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-analysis.h"

#define SSIM_SIGMA    1.5
#define SSIM_RADIUS   5      /* int (3.5 σ + 0.5), as scipy truncates */
#define SSIM_K1       0.01
#define SSIM_K2       0.03
#define SSIM_L        255.0

G_STATIC_ASSERT (RF_ANALYSIS_SSIM_WINDOW == 2 * SSIM_RADIUS + 1);

static inline guint8
luma_of (guint r,
         guint g,
         guint b)
{
  /* Y = 0.299 R + 0.587 G + 0.114 B, rounded half up. */
  return (guint8) ((299 * r + 587 * g + 114 * b + 500) / 1000);
}

static RfAnalysisImage *
image_new (GdkPixbuf *pixbuf,
           gboolean   with_rgb)
{
  RfAnalysisImage *image;
  const guint8 *pixels;
  int n_channels, rowstride;
  gboolean alpha;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);
  g_return_val_if_fail (gdk_pixbuf_get_bits_per_sample (pixbuf) == 8, NULL);

  n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  g_return_val_if_fail (n_channels == (alpha ? 4 : 3), NULL);

  image = g_new0 (RfAnalysisImage, 1);
  image->width = gdk_pixbuf_get_width (pixbuf);
  image->height = gdk_pixbuf_get_height (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  pixels = gdk_pixbuf_read_pixels (pixbuf);

  image->luma = g_malloc ((gsize) image->width * image->height);
  if (with_rgb)
    image->rgb = g_malloc ((gsize) image->width * image->height * 3);

  for (int y = 0; y < image->height; y++)
    {
      const guint8 *p = pixels + (gsize) y * rowstride;
      guint8 *luma = image->luma + (gsize) y * image->width;
      guint8 *rgb = image->rgb ? image->rgb + (gsize) y * image->width * 3 : NULL;

      /* One loop per case, so that none tests per pixel. */
      if (alpha)
        {
          for (int x = 0; x < image->width; x++, p += 4)
            {
              /* GdkPixbuf keeps straight (not premultiplied) alpha. */
              guint a = p[3];
              guint r = (p[0] * a + 127) / 255;
              guint g = (p[1] * a + 127) / 255;
              guint b = (p[2] * a + 127) / 255;

              luma[x] = luma_of (r, g, b);
              if (rgb != NULL)
                {
                  rgb[3 * x] = r;
                  rgb[3 * x + 1] = g;
                  rgb[3 * x + 2] = b;
                }
            }
        }
      else
        {
          for (int x = 0; x < image->width; x++)
            luma[x] = luma_of (p[3 * x], p[3 * x + 1], p[3 * x + 2]);
          if (rgb != NULL)
            memcpy (rgb, p, (gsize) image->width * 3);
        }
    }

  return image;
}

RfAnalysisImage *
rf_analysis_image_new (GdkPixbuf *pixbuf)
{
  return image_new (pixbuf, TRUE);
}

RfAnalysisImage *
rf_analysis_image_new_luma (GdkPixbuf *pixbuf)
{
  return image_new (pixbuf, FALSE);
}

void
rf_analysis_image_free (RfAnalysisImage *image)
{
  if (image == NULL)
    return;

  g_free (image->rgb);
  g_free (image->luma);
  g_free (image);
}

gsize
rf_analysis_image_get_size (const RfAnalysisImage *image)
{
  gsize n = (gsize) image->width * image->height;

  return (image->luma ? n : 0) + (image->rgb ? 3 * n : 0);
}

typedef struct
{
  int   i0, i1;
  float f;
} Tap;

static Tap *
bilinear_taps (int src,
               int dst)
{
  Tap *taps = g_new (Tap, dst);
  double scale = (double) src / dst;

  for (int i = 0; i < dst; i++)
    {
      double s = (i + 0.5) * scale - 0.5;
      int i0;

      s = CLAMP (s, 0.0, (double) (src - 1));
      i0 = (int) s;
      taps[i].i0 = i0;
      taps[i].i1 = MIN (i0 + 1, src - 1);
      taps[i].f = (float) (s - i0);
    }

  return taps;
}

guint8 *
rf_analysis_resample (const guint8 *src,
                      int           width,
                      int           height,
                      int           channels,
                      int           new_width,
                      int           new_height)
{
  g_autofree Tap *xs = NULL;
  g_autofree Tap *ys = NULL;
  guint8 *dst;

  g_return_val_if_fail (src != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0 && new_width > 0 && new_height > 0, NULL);

  xs = bilinear_taps (width, new_width);
  ys = bilinear_taps (height, new_height);
  dst = g_malloc ((gsize) new_width * new_height * channels);

  for (int y = 0; y < new_height; y++)
    {
      const guint8 *r0 = src + (gsize) ys[y].i0 * width * channels;
      const guint8 *r1 = src + (gsize) ys[y].i1 * width * channels;
      float fy = ys[y].f;
      guint8 *out = dst + (gsize) y * new_width * channels;

      for (int x = 0; x < new_width; x++)
        {
          int a = xs[x].i0 * channels, b = xs[x].i1 * channels;
          float fx = xs[x].f;

          for (int c = 0; c < channels; c++)
            {
              float top = r0[a + c] + fx * (r0[b + c] - r0[a + c]);
              float bottom = r1[a + c] + fx * (r1[b + c] - r1[a + c]);
              float v = top + fy * (bottom - top);

              out[x * channels + c] = (guint8) CLAMP ((int) (v + 0.5f), 0, 255);
            }
        }
    }

  return dst;
}

void
rf_analysis_mean_abs_diff (const guint8 *a,
                           const guint8 *b,
                           gsize         n_pixels,
                           double       *mean,
                           double       *per_channel)
{
  guint64 sum[3] = { 0, 0, 0 };

  /* Row-sized blocks in 32-bit sums (at most 255 × 2^20 each) keep the
   * inner loop simple enough to vectorise. */
  for (gsize start = 0; start < n_pixels; start += 1 << 20)
    {
      gsize end = MIN (n_pixels, start + ((gsize) 1 << 20));
      guint32 s[3] = { 0, 0, 0 };

      for (gsize i = start; i < end; i++)
        for (int c = 0; c < 3; c++)
          {
            int d = (int) a[3 * i + c] - (int) b[3 * i + c];
            s[c] += (guint32) (d < 0 ? -d : d);
          }

      for (int c = 0; c < 3; c++)
        sum[c] += s[c];
    }

  if (n_pixels == 0)
    {
      *mean = 0;
      if (per_channel)
        per_channel[0] = per_channel[1] = per_channel[2] = 0;
      return;
    }

  *mean = (double) (sum[0] + sum[1] + sum[2]) / (3.0 * n_pixels);
  if (per_channel != NULL)
    for (int c = 0; c < 3; c++)
      per_channel[c] = (double) sum[c] / n_pixels;
}

void
rf_analysis_diff_prev (const RfAnalysisImage *previous,
                       const RfAnalysisImage *image,
                       double                *mean,
                       double                *per_channel)
{
  g_autofree guint8 *resampled = NULL;
  const guint8 *prev_rgb = previous->rgb;

  g_return_if_fail (previous->rgb != NULL && image->rgb != NULL);

  if (previous->width != image->width || previous->height != image->height)
    {
      resampled = rf_analysis_resample (previous->rgb, previous->width, previous->height, 3,
                                        image->width, image->height);
      prev_rgb = resampled;
    }

  rf_analysis_mean_abs_diff (image->rgb, prev_rgb, (gsize) image->width * image->height,
                             mean, per_channel);
}

static const float *
gaussian_weights (void)
{
  static float weights[SSIM_RADIUS + 1];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      double w[SSIM_RADIUS + 1];
      double sum = 0;

      for (int i = 0; i <= SSIM_RADIUS; i++)
        {
          w[i] = exp (-0.5 * (i * i) / (SSIM_SIGMA * SSIM_SIGMA));
          sum += i == 0 ? w[i] : 2 * w[i];
        }
      for (int i = 0; i <= SSIM_RADIUS; i++)
        weights[i] = (float) (w[i] / sum);

      g_once_init_leave (&initialized, 1);
    }

  return weights;
}

/* The five local statistics, filtered along one row. */
enum { S_X, S_Y, S_XX, S_YY, S_XY, N_STATS };

static void
filter_row (const guint8 *restrict x,
            const guint8 *restrict y,
            int                    width,
            float        *restrict tmp,
            float        *restrict out)
{
  const float *w = gaussian_weights ();
  int n = width - 2 * SSIM_RADIUS;

  /* Centred on 128: the variances come from differences of squares, and
   * smaller squares lose less to float rounding. SSIM's variances and
   * covariance do not change; the means get 128 back. */
  for (int i = 0; i < width; i++)
    {
      float a = (float) x[i] - 128.0f;
      float b = (float) y[i] - 128.0f;

      tmp[S_X * width + i] = a;
      tmp[S_Y * width + i] = b;
      tmp[S_XX * width + i] = a * a;
      tmp[S_YY * width + i] = b * b;
      tmp[S_XY * width + i] = a * b;
    }

  for (int s = 0; s < N_STATS; s++)
    {
      const float *restrict v = tmp + (gsize) s * width + SSIM_RADIUS;
      float *restrict o = out + (gsize) s * n;

      for (int i = 0; i < n; i++)
        o[i] = w[0] * v[i];
      for (int k = 1; k <= SSIM_RADIUS; k++)
        {
          float wk = w[k];

          for (int i = 0; i < n; i++)
            o[i] += wk * (v[i - k] + v[i + k]);
        }
    }
}

double
rf_analysis_ssim (const guint8 *x,
                  const guint8 *y,
                  int           width,
                  int           height)
{
  const float *w = gaussian_weights ();
  const float c1 = (float) ((SSIM_K1 * SSIM_L) * (SSIM_K1 * SSIM_L));
  const float c2 = (float) ((SSIM_K2 * SSIM_L) * (SSIM_K2 * SSIM_L));
  g_autofree float *ring = NULL;
  g_autofree float *tmp = NULL;
  g_autofree float *acc_buf = NULL;
  float *restrict acc;
  double total = 0;
  int n;

  g_return_val_if_fail (x != NULL && y != NULL, NAN);

  if (width < RF_ANALYSIS_SSIM_WINDOW || height < RF_ANALYSIS_SSIM_WINDOW)
    return NAN;

  /* Separable: each image row is filtered horizontally once into a ring
   * of the window's 11 rows, and each output row sums the ring
   * vertically. Only pixels whose window lies inside the image count, so
   * no border handling is needed. */
  n = width - 2 * SSIM_RADIUS;
  ring = g_new (float, (gsize) RF_ANALYSIS_SSIM_WINDOW * N_STATS * n);
  tmp = g_new (float, (gsize) N_STATS * width);
  acc = acc_buf = g_new (float, (gsize) N_STATS * n);

  for (int row = 0; row < height; row++)
    {
      int out_row = row - SSIM_RADIUS;
      double row_sum = 0;

      filter_row (x + (gsize) row * width, y + (gsize) row * width, width, tmp,
                  ring + (gsize) (row % RF_ANALYSIS_SSIM_WINDOW) * N_STATS * n);

      if (row < 2 * SSIM_RADIUS)
        continue;

      /* Rows out_row - r … out_row + r are in the ring. */
      {
        const float *mid = ring + (gsize) (out_row % RF_ANALYSIS_SSIM_WINDOW) * N_STATS * n;

        for (int i = 0; i < N_STATS * n; i++)
          acc[i] = w[0] * mid[i];
      }
      for (int k = 1; k <= SSIM_RADIUS; k++)
        {
          const float *restrict up = ring + (gsize) ((out_row - k) % RF_ANALYSIS_SSIM_WINDOW) * N_STATS * n;
          const float *restrict down = ring + (gsize) ((out_row + k) % RF_ANALYSIS_SSIM_WINDOW) * N_STATS * n;
          float wk = w[k];

          for (int i = 0; i < N_STATS * n; i++)
            acc[i] += wk * (up[i] + down[i]);
        }

      for (int i = 0; i < n; i++)
        {
          float ma = acc[S_X * n + i], mb = acc[S_Y * n + i];
          float vx = acc[S_XX * n + i] - ma * ma;
          float vy = acc[S_YY * n + i] - mb * mb;
          float vxy = acc[S_XY * n + i] - ma * mb;
          float mx = ma + 128.0f, my = mb + 128.0f;

          row_sum += (double) (((2.0f * mx * my + c1) * (2.0f * vxy + c2)) /
                               ((mx * mx + my * my + c1) * (vx + vy + c2)));
        }

      total += row_sum;
    }

  return total / ((double) n * (height - 2 * SSIM_RADIUS));
}

double
rf_analysis_ssim_final (const RfAnalysisImage *image,
                        const RfAnalysisImage *final)
{
  g_autofree guint8 *resampled = NULL;
  const guint8 *luma = image->luma;

  g_return_val_if_fail (image->luma != NULL && final->luma != NULL, NAN);

  if (image->width != final->width || image->height != final->height)
    {
      resampled = rf_analysis_resample (image->luma, image->width, image->height, 1,
                                        final->width, final->height);
      luma = resampled;
    }

  return rf_analysis_ssim (luma, final->luma, final->width, final->height);
}
