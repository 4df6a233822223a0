/*
 * rf-canvas-compare.c
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
#include "rf-compare.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-session.h"

/* Compare modes: which frame the selection is compared with, and the
 * difference heat map of a pair, made in a worker and kept for a few
 * pairs. */

typedef struct
{
  RfFrame *a;
  RfFrame *b;
  GBytes  *a_pixels;
  GBytes  *b_pixels;
  int      a_width, a_height;
  int      b_width, b_height;
  double   gain;
} DiffJob;

typedef struct
{
  GBytes *pixels;
  int     width;
  int     height;
  double  mean;
} DiffResult;

void
_rf_canvas_diff_entry_free (gpointer data)
{
  DiffEntry *entry = data;

  g_clear_object (&entry->a);
  g_clear_object (&entry->b);
  g_clear_object (&entry->texture);
  g_free (entry);
}

static void
diff_job_free (gpointer data)
{
  DiffJob *job = data;

  g_clear_object (&job->a);
  g_clear_object (&job->b);
  g_clear_pointer (&job->a_pixels, g_bytes_unref);
  g_clear_pointer (&job->b_pixels, g_bytes_unref);
  g_free (job);
}

static void
diff_result_free (gpointer data)
{
  DiffResult *result = data;

  g_clear_pointer (&result->pixels, g_bytes_unref);
  g_free (result);
}

RfFrame *
_rf_canvas_find_compare_frame (RfCanvas *self)
{
  RfFrame *selected;
  GListModel *frames;
  guint n;

  if (self->compare_frame != NULL)
    return g_object_ref (self->compare_frame);

  if (self->session == NULL)
    return NULL;

  if ((selected = rf_session_get_selected_frame (self->session)))
    {
      RfLane *lane = rf_session_get_lane (self->session, rf_frame_get_lane_index (selected));
      GListModel *lane_frames = lane ? rf_lane_get_frames (lane) : NULL;
      guint n_lane = lane_frames ? g_list_model_get_n_items (lane_frames) : 0;
      RfFrame *final = lane ? rf_lane_get_final (lane) : NULL;

      /* The frame before it in its image: what this step changed. */
      for (guint i = 1; i < n_lane; i++)
        {
          g_autoptr(RfFrame) frame = g_list_model_get_item (lane_frames, i);

          if (frame == selected)
            return g_list_model_get_item (lane_frames, i - 1);
        }

      /* An image's first frame: against where it ends. */
      if (final != NULL)
        return g_object_ref (final);
    }

  frames = rf_session_get_frames (self->session);
  n = g_list_model_get_n_items (frames);

  return n > 0 ? g_list_model_get_item (frames, n - 1) : NULL;
}

DiffEntry *
_rf_canvas_find_diff (RfCanvas *self,
           RfFrame  *a,
           RfFrame  *b)
{
  for (guint i = 0; i < self->diffs->len; i++)
    {
      DiffEntry *entry = g_ptr_array_index (self->diffs, i);

      if (entry->a == a && entry->b == b && entry->gain == self->difference_gain)
        return entry;
    }

  return NULL;
}

/* Runs in a worker: per pixel the largest channel difference (alpha
 * included, premultiplied), times the gain, mapped to a heat colour; and
 * the mean of the differences, before the gain. A second image of
 * another size is sampled at the same relative position. */
static void
diff_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DiffJob *job = task_data;
  const guint8 *a = g_bytes_get_data (job->a_pixels, NULL);
  const guint8 *b = g_bytes_get_data (job->b_pixels, NULL);
  guint8 lut[256][3];
  DiffResult *result;
  guint8 *out;
  gsize stride = (gsize) job->a_width * 3;
  guint64 sum = 0;

  for (guint i = 0; i < 256; i++)
    rf_compare_heat_colour (MIN (255, (guint) round (i * job->gain)), lut[i]);

  out = g_malloc (stride * job->a_height);

  for (int y = 0; y < job->a_height; y++)
    {
      const guint8 *arow = a + (gsize) y * job->a_width * 4;
      const guint8 *brow = b + (gsize) ((gint64) y * job->b_height / job->a_height) * job->b_width * 4;
      guint8 *orow = out + y * stride;

      if ((y & 63) == 0 && g_task_return_error_if_cancelled (task))
        {
          g_free (out);
          return;
        }

      for (int x = 0; x < job->a_width; x++)
        {
          const guint8 *pa = arow + x * 4;
          const guint8 *pb = brow + ((gint64) x * job->b_width / job->a_width) * 4;
          guint d = 0;

          for (guint c = 0; c < 4; c++)
            d = MAX (d, (guint) ABS ((int) pa[c] - (int) pb[c]));

          sum += d;
          memcpy (orow + x * 3, lut[d], 3);
        }
    }

  result = g_new0 (DiffResult, 1);
  result->width = job->a_width;
  result->height = job->a_height;
  result->mean = (double) sum / MAX (1, (gint64) job->a_width * job->a_height);
  result->pixels = g_bytes_new_take (out, stride * job->a_height);
  g_task_return_pointer (task, result, diff_result_free);
}

static void
diff_done_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  RfCanvas *self = RF_CANVAS (object);
  DiffJob *job = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  DiffResult *result;
  DiffEntry *entry;

  if (!(result = g_task_propagate_pointer (G_TASK (res), &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not compute the difference: %s", error->message);
      else
        g_debug ("Difference cancelled");
      return;
    }

  entry = g_new0 (DiffEntry, 1);
  entry->a = g_object_ref (job->a);
  entry->b = g_object_ref (job->b);
  entry->gain = job->gain;
  entry->mean = result->mean;
  entry->texture = gdk_memory_texture_new (result->width, result->height,
                                           GDK_MEMORY_R8G8B8,
                                           result->pixels,
                                           (gsize) result->width * 3);
  diff_result_free (result);

  g_ptr_array_add (self->diffs, entry);
  while (self->diffs->len > DIFF_CACHE_SIZE)
    g_ptr_array_remove_index (self->diffs, 0);

  if (self->diff_pending_a == job->a && self->diff_pending_b == job->b)
    {
      self->diff_pending_a = NULL;
      self->diff_pending_b = NULL;
      g_clear_object (&self->diff_cancellable);
      g_object_notify (G_OBJECT (self), "computing");
    }

  g_object_notify (G_OBJECT (self), "difference-mean");
  _rf_canvas_queue_draw (self);
}

static GBytes *
download_texture (CachedImage *image)
{
  gsize stride = (gsize) image->width * 4;
  guint8 *data = g_malloc (stride * image->height);

  gdk_texture_download (image->texture, data, stride);
  return g_bytes_new_take (data, stride * image->height);
}

void
_rf_canvas_cancel_diff (RfCanvas *self)
{
  if (self->diff_cancellable == NULL)
    return;

  g_cancellable_cancel (self->diff_cancellable);
  g_clear_object (&self->diff_cancellable);
  self->diff_pending_a = NULL;
  self->diff_pending_b = NULL;
  g_object_notify (G_OBJECT (self), "computing");
}

/* Starts computing the heat map of the pair on screen unless it is
 * cached or already being computed. */
void
_rf_canvas_queue_diff (RfCanvas *self)
{
  g_autoptr(GTask) task = NULL;
  DiffJob *job;

  if (self->compare_mode != RF_COMPARE_DIFFERENCE || self->shown == NULL || self->other == NULL)
    return;

  /* The pair changed: its mean is known at once when cached, else once
   * made. */
  g_object_notify (G_OBJECT (self), "difference-mean");
  if (_rf_canvas_find_diff (self, self->shown->frame, self->other->frame))
    return;

  if (self->diff_cancellable != NULL &&
      self->diff_pending_a == self->shown->frame &&
      self->diff_pending_b == self->other->frame)
    return;

  _rf_canvas_cancel_diff (self);

  job = g_new0 (DiffJob, 1);
  job->a = g_object_ref (self->shown->frame);
  job->b = g_object_ref (self->other->frame);
  job->a_width = self->shown->width;
  job->a_height = self->shown->height;
  job->b_width = self->other->width;
  job->b_height = self->other->height;
  job->gain = self->difference_gain;
  job->a_pixels = download_texture (self->shown);
  job->b_pixels = download_texture (self->other);

  self->diff_cancellable = g_cancellable_new ();
  self->diff_pending_a = job->a;
  self->diff_pending_b = job->b;

  task = g_task_new (self, self->diff_cancellable, diff_done_cb, NULL);
  g_task_set_source_tag (task, _rf_canvas_queue_diff);
  g_task_set_name (task, "[rf-canvas] difference");
  g_task_set_task_data (task, job, diff_job_free);
  g_task_run_in_thread (task, diff_worker);

  g_object_notify (G_OBJECT (self), "computing");
}
