/*
 * rf-analyzer.c
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

#define G_LOG_DOMAIN "rf-analyzer"

#include "config.h"

#include <math.h>

#include "rf-analysis.h"
#include "rf-analyzer.h"
#include "rf-frame.h"
#include "rf-thread.h"

/* Decoded images handed over but not measured yet: beyond this, frames
 * are handed over without pixels and decoded again from their bytes. */
#define MAX_QUEUED_PIXBUF_BYTES ((gsize) 64 * 1024 * 1024)
/* Planes kept for later measures (each lane's previous frame, the frames
 * that wait for their final, the finals). Beyond this a frame keeps only
 * its reference and is decoded again when it is needed. */
#define MAX_KEPT_BYTES ((gsize) 96 * 1024 * 1024)

typedef struct
{
  RfFrame   *frame;
  guint      position;
  gboolean   decoded;
  GdkPixbuf *pixbuf;
  gsize      pixbuf_bytes;
} Job;

/* A frame kept for a later measure: its planes, or only the frame when
 * they did not fit. */
typedef struct
{
  RfFrame         *frame;
  RfAnalysisImage *image;
} Kept;

typedef struct
{
  GHashTable *waiting;      /* position → Job, decoded out of lane order */
  guint       next;         /* position measured next */
  Kept       *previous;     /* NULL: none, or it did not decode */
  GPtrArray  *pending;      /* Kept, waiting for the final */
  Kept       *final;
} Lane;

struct _RfAnalyzer
{
  GThreadPool          *pool;
  RfMailbox            *mailbox;
  RfAnalyzerResultFunc  func;
  gpointer              user_data;
  gboolean              low_priority;
  gboolean              exclusive;
  gsize                 queued_pixbuf_bytes;   /* atomic */
  gint                  cancelled;             /* atomic */

  /* Worker thread only. */
  GPtrArray            *lanes;                 /* Lane, by lane index */
  gsize                 kept_bytes;
};

static void
job_free (Job *job)
{
  g_clear_object (&job->frame);
  g_clear_object (&job->pixbuf);
  g_free (job);
}

static void
result_free (RfAnalysisResult *result)
{
  g_clear_object (&result->frame);
  g_free (result);
}

static void
kept_free (RfAnalyzer *self,
           Kept       *kept)
{
  if (kept == NULL)
    return;

  if (kept->image != NULL)
    self->kept_bytes -= rf_analysis_image_get_size (kept->image);
  rf_analysis_image_free (kept->image);
  g_clear_object (&kept->frame);
  g_free (kept);
}

static Kept *
kept_new (RfAnalyzer      *self,
          RfFrame         *frame,
          RfAnalysisImage *image)
{
  Kept *kept = g_new0 (Kept, 1);

  kept->frame = g_object_ref (frame);
  if (image != NULL && self->kept_bytes + rf_analysis_image_get_size (image) <= MAX_KEPT_BYTES)
    {
      kept->image = image;
      self->kept_bytes += rf_analysis_image_get_size (image);
    }
  else
    {
      rf_analysis_image_free (image);
    }

  return kept;
}

static void
lane_free (RfAnalyzer *self,
           Lane       *lane)
{
  g_hash_table_unref (lane->waiting);
  kept_free (self, lane->previous);
  kept_free (self, lane->final);
  for (guint i = 0; i < lane->pending->len; i++)
    kept_free (self, g_ptr_array_index (lane->pending, i));
  g_ptr_array_unref (lane->pending);
  g_free (lane);
}

static Lane *
get_lane (RfAnalyzer *self,
          guint       index)
{
  while (self->lanes->len <= index)
    {
      Lane *lane = g_new0 (Lane, 1);

      lane->waiting = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) job_free);
      lane->pending = g_ptr_array_new ();
      g_ptr_array_add (self->lanes, lane);
    }

  return g_ptr_array_index (self->lanes, index);
}

static gboolean
measurable (RfFrame *frame)
{
  return (gint64) rf_frame_get_width (frame) * rf_frame_get_height (frame) <= RF_ANALYZER_MAX_PIXELS;
}

static RfAnalysisImage *
image_for_frame (RfFrame   *frame,
                 GdkPixbuf *pixbuf)
{
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GError) error = NULL;

  if (pixbuf == NULL)
    {
      decoded = rf_frame_decode_pixbuf (frame, &error);
      if (decoded == NULL)
        {
          g_debug ("Frame %u could not be decoded again to be measured: %s",
                   rf_frame_get_index (frame), error->message);
          return NULL;
        }
      pixbuf = decoded;
    }

  return rf_analysis_image_new (pixbuf);
}

/* The planes of a kept frame: its own, or decoded again into @tmp. */
static const RfAnalysisImage *
kept_image (Kept             *kept,
            RfAnalysisImage **tmp)
{
  if (kept->image != NULL)
    return kept->image;

  *tmp = image_for_frame (kept->frame, NULL);
  return *tmp;
}

static void
post (RfAnalyzer       *self,
      RfAnalysisResult *result)
{
  rf_mailbox_post (self->mailbox, &result->link);
}

static double
ssim_against (Kept                  *final,
              const RfAnalysisImage *image)
{
  g_autoptr(RfAnalysisImage) tmp = NULL;
  const RfAnalysisImage *final_image = kept_image (final, &tmp);

  if (final_image == NULL)
    return NAN;

  return rf_analysis_ssim_final (image, final_image);
}

static void
measure (RfAnalyzer *self,
         Lane       *lane,
         Job        *job)
{
  RfAnalysisResult *result = g_new0 (RfAnalysisResult, 1);
  g_autoptr(RfAnalysisImage) image = NULL;
  gboolean is_final = rf_frame_get_kind (job->frame) == RF_FRAME_KIND_FINAL;

  result->frame = g_object_ref (job->frame);
  result->counted = TRUE;

  if (job->decoded && measurable (job->frame))
    image = image_for_frame (job->frame, job->pixbuf);
  else if (job->decoded)
    result->too_large = TRUE;

  if (job->pixbuf != NULL)
    {
      g_atomic_pointer_add (&self->queued_pixbuf_bytes, -(gssize) job->pixbuf_bytes);
      g_clear_object (&job->pixbuf);
    }

  if (image != NULL && lane->previous != NULL)
    {
      g_autoptr(RfAnalysisImage) tmp = NULL;
      const RfAnalysisImage *previous = kept_image (lane->previous, &tmp);

      if (previous != NULL)
        {
          rf_analysis_diff_prev (previous, image, &result->diff_prev, result->diff_prev_rgb);
          result->has_diff_prev = TRUE;
        }
    }

  if (image != NULL && is_final && lane->final == NULL)
    {
      g_autoptr(RfAnalysisImage) final_luma = g_new0 (RfAnalysisImage, 1);

      final_luma->width = image->width;
      final_luma->height = image->height;
      final_luma->luma = g_memdup2 (image->luma, (gsize) image->width * image->height);
      lane->final = kept_new (self, job->frame, g_steal_pointer (&final_luma));

      /* The frames that waited for it first, so their measures are in
       * when the final's own result (the one counted) arrives. */
      for (guint i = 0; i < lane->pending->len; i++)
        {
          Kept *kept = g_ptr_array_index (lane->pending, i);
          g_autoptr(RfAnalysisImage) tmp = NULL;
          const RfAnalysisImage *earlier = kept_image (kept, &tmp);
          double ssim = earlier ? rf_analysis_ssim_final (earlier, image) : NAN;

          if (!isnan (ssim))
            {
              RfAnalysisResult *update = g_new0 (RfAnalysisResult, 1);

              update->frame = g_object_ref (kept->frame);
              update->has_ssim_final = TRUE;
              update->ssim_final = ssim;
              post (self, update);
            }
          kept_free (self, kept);
        }
      g_ptr_array_set_size (lane->pending, 0);

      if (image->width >= RF_ANALYSIS_SSIM_WINDOW && image->height >= RF_ANALYSIS_SSIM_WINDOW)
        {
          result->has_ssim_final = TRUE;
          result->ssim_final = 1.0;
        }
    }
  else if (image != NULL && lane->final != NULL)
    {
      /* A frame after the lane's final (diagnosed elsewhere) is still
       * measured against it. */
      double ssim = ssim_against (lane->final, image);

      if (!isnan (ssim))
        {
          result->has_ssim_final = TRUE;
          result->ssim_final = ssim;
        }
    }
  else if (image != NULL)
    {
      RfAnalysisImage *luma = g_new0 (RfAnalysisImage, 1);

      luma->width = image->width;
      luma->height = image->height;
      luma->luma = g_memdup2 (image->luma, (gsize) image->width * image->height);
      g_ptr_array_add (lane->pending, kept_new (self, job->frame, luma));
    }

  kept_free (self, g_steal_pointer (&lane->previous));
  if (image != NULL)
    {
      /* Only the colour planes are read again, as the next one's previous. */
      g_clear_pointer (&image->luma, g_free);
      lane->previous = kept_new (self, job->frame, g_steal_pointer (&image));
    }

  post (self, result);
}

static void
worker_func (gpointer data,
             gpointer user_data)
{
  RfAnalyzer *self = user_data;
  Job *job = data;
  guint lane_index = rf_frame_get_lane_index (job->frame);
  Lane *lane;

  if (self->low_priority && self->exclusive)
    rf_thread_lower_priority ();

  if (g_atomic_int_get (&self->cancelled))
    {
      if (job->pixbuf != NULL)
        g_atomic_pointer_add (&self->queued_pixbuf_bytes, -(gssize) job->pixbuf_bytes);
      job_free (job);
      return;
    }

  lane = get_lane (self, lane_index);
  g_hash_table_insert (lane->waiting, GUINT_TO_POINTER (job->position), job);

  while ((job = g_hash_table_lookup (lane->waiting, GUINT_TO_POINTER (lane->next))) != NULL)
    {
      g_hash_table_steal (lane->waiting, GUINT_TO_POINTER (lane->next));
      lane->next++;
      if (!g_atomic_int_get (&self->cancelled))
        measure (self, lane, job);
      job_free (job);
    }
}

static void
deliver_cb (RfMailboxLink *item,
            gpointer       user_data)
{
  RfAnalyzer *self = user_data;
  RfAnalysisResult *result = (RfAnalysisResult *) item;

  self->func (result, self->user_data);
  result_free (result);
}

RfAnalyzer *
rf_analyzer_new (GMainContext         *context,
                 RfAnalyzerResultFunc  func,
                 gpointer              user_data,
                 gboolean              low_priority)
{
  RfAnalyzer *self = g_new0 (RfAnalyzer, 1);

  self->func = func;
  self->user_data = user_data;
  self->low_priority = low_priority;
  self->lanes = g_ptr_array_new ();
  self->mailbox = rf_mailbox_new (context, "[rf-analyzer] results", G_PRIORITY_DEFAULT_IDLE,
                                  deliver_cb, self, (GDestroyNotify) result_free);
  /* One thread: a lane's frames are measured one after the other. */
  self->pool = g_thread_pool_new (worker_func, self, 1, TRUE, NULL);
  self->exclusive = self->pool != NULL;
  if (self->pool == NULL)
    self->pool = g_thread_pool_new (worker_func, self, 1, FALSE, NULL);

  return self;
}

void
rf_analyzer_push (RfAnalyzer *self,
                  RfFrame    *frame,
                  guint       lane_position,
                  gboolean    decoded,
                  GdkPixbuf  *pixbuf)
{
  Job *job;

  g_return_if_fail (self != NULL);
  g_return_if_fail (RF_IS_FRAME (frame));

  job = g_new0 (Job, 1);
  job->frame = g_object_ref (frame);
  job->position = lane_position;
  job->decoded = decoded;

  if (pixbuf != NULL && decoded)
    {
      gsize bytes = (gsize) gdk_pixbuf_get_rowstride (pixbuf) * gdk_pixbuf_get_height (pixbuf);

      /* Only this thread adds, so the check and the add cannot race past
       * the limit. */
      if (g_atomic_pointer_get (&self->queued_pixbuf_bytes) + bytes <= MAX_QUEUED_PIXBUF_BYTES)
        {
          g_atomic_pointer_add (&self->queued_pixbuf_bytes, (gssize) bytes);
          job->pixbuf = g_object_ref (pixbuf);
          job->pixbuf_bytes = bytes;
        }
    }

  g_thread_pool_push (self->pool, job, NULL);
}

void
rf_analyzer_free (RfAnalyzer *self)
{
  if (self == NULL)
    return;

  g_atomic_int_set (&self->cancelled, 1);
  /* Waits for the frame being measured; queued jobs are dropped by the
   * worker as it sees the flag. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  rf_mailbox_free (self->mailbox);

  for (guint i = 0; i < self->lanes->len; i++)
    lane_free (self, g_ptr_array_index (self->lanes, i));
  g_ptr_array_unref (self->lanes);
  g_free (self);
}
