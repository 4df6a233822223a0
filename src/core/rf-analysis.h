/*
 * rf-analysis.h
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

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* How a frame refines, measured on 8-bit pixels (see docs/refinery-inspect.1):
 *
 * - diff_prev: mean absolute difference over all pixels and the R, G, B
 *   channels (0–255) between a frame and the one before it in its lane,
 *   both composited over black, the earlier one resampled bilinearly to
 *   this one's size when they differ;
 * - ssim_final: SSIM of the luma Y = 0.299 R + 0.587 G + 0.114 B against the
 *   lane's final frame (Gaussian window σ = 1.5 truncated at 3.5σ, K1 = 0.01,
 *   K2 = 0.03, L = 255, population covariances, averaged over the pixels
 *   whose window lies inside the image), as scikit-image's
 *   structural_similarity (gaussian_weights=True, sigma=1.5,
 *   use_sample_covariance=False, data_range=255).
 *
 * Everything here runs on any thread and touches no shared state. */

/* The planes the measures read: RGB composited over black (3 bytes a
 * pixel, no padding) and its luma (1 byte a pixel). */
typedef struct
{
  int     width;
  int     height;
  guint8 *rgb;
  guint8 *luma;
} RfAnalysisImage;

/* Side of the SSIM window: images smaller than this have no SSIM. */
#define RF_ANALYSIS_SSIM_WINDOW 11

/* Returns: (transfer full) */
RfAnalysisImage *rf_analysis_image_new       (GdkPixbuf             *pixbuf);
/* Only the luma plane (rgb stays NULL).
 * Returns: (transfer full) */
RfAnalysisImage *rf_analysis_image_new_luma  (GdkPixbuf             *pixbuf);
void             rf_analysis_image_free      (RfAnalysisImage       *image);
gsize            rf_analysis_image_get_size  (const RfAnalysisImage *image);

/* Bilinear resampling of an 8-bit plane of @channels channels, pixel
 * centres aligned, rounded to the nearest value.
 * Returns: (transfer full) */
guint8          *rf_analysis_resample        (const guint8          *src,
                                              int                    width,
                                              int                    height,
                                              int                    channels,
                                              int                    new_width,
                                              int                    new_height);

/* Mean absolute difference of two RGB planes of @n_pixels pixels: over
 * everything in @mean, per channel in @per_channel (nullable). */
void             rf_analysis_mean_abs_diff   (const guint8          *a,
                                              const guint8          *b,
                                              gsize                  n_pixels,
                                              double                *mean,
                                              double                *per_channel);
/* diff_prev of @image against @previous (resampled when sizes differ). */
void             rf_analysis_diff_prev       (const RfAnalysisImage *previous,
                                              const RfAnalysisImage *image,
                                              double                *mean,
                                              double                *per_channel);

/* Mean SSIM of two luma planes of the same size; NAN when a side is
 * shorter than RF_ANALYSIS_SSIM_WINDOW. */
double           rf_analysis_ssim            (const guint8          *x,
                                              const guint8          *y,
                                              int                    width,
                                              int                    height);
/* ssim_final of @image against @final (@image resampled when sizes differ). */
double           rf_analysis_ssim_final      (const RfAnalysisImage *image,
                                              const RfAnalysisImage *final);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfAnalysisImage, rf_analysis_image_free)

G_END_DECLS
