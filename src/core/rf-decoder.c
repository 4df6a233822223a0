/*
 * rf-decoder.c
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

#define G_LOG_DOMAIN "rf-decoder"

#include "config.h"

#include "rf-base64.h"
#include "rf-decoder-private.h"
#include "rf-frame.h"
#include "rf-thread.h"

#define THUMBNAIL_SIZE 128

struct _RfDecoder
{
  GThreadPool         *pool;
  RfKeptBytes         *kept;      /* where the frames' image bytes go */
  RfDecodeLimits       limits;
  RfDecoderResultFunc  func;
  gpointer             user_data;
  guint                n_workers;
  guint                max_queued;
  gboolean             keep_pixbufs;
  /* Results carry the pixels for the analyzer, not for a cache. */
  gboolean             pass_pixbufs;
  /* The pool's threads are its own: their priority may be changed. */
  gboolean             exclusive;

  GMutex               mutex;
  GCond                cond;
  guint                in_flight;
  gboolean             cancelled;
};

typedef struct
{
  RfFrame *frame;
  GBytes  *b64;
  GBytes  *encoded;
} Job;

void
rf_decode_result_free (RfDecodeResult *result)
{
  if (result == NULL)
    return;

  g_free (result->error);
  g_free (result->sha256);
  g_clear_pointer (&result->encoded, g_bytes_unref);
  g_clear_object (&result->pixbuf);
  g_clear_object (&result->thumbnail);
  g_free (result);
}

static RfDecodeResult *
decode_frame (const RfDecodeLimits *limits,
              GBytes               *b64,
              GBytes               *encoded,
              RfKeptBytes          *kept,
              gboolean              keep_pixbuf,
              gboolean              pass_pixbuf)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  RfDecodeResult *result;
  const guint8 *data;
  gsize len;
  gint64 begin;

  g_assert (limits != NULL);
  g_assert (b64 != NULL || encoded != NULL);

  result = g_new0 (RfDecodeResult, 1);
  result->status = RF_DECODE_FAILED;

  if (encoded != NULL)
    {
      result->encoded = g_bytes_ref (encoded);
    }
  else
    {
      const char *text = g_bytes_get_data (b64, &len);

      result->encoded = kept != NULL
        ? rf_base64_decode_kept (text ? text : "", len, limits->max_encoded_bytes, kept, &error)
        : rf_base64_decode_bytes (text ? text : "", len, limits->max_encoded_bytes, &error);
      if (result->encoded == NULL)
        {
          result->error = g_strdup (error->message);
          return result;
        }
    }

  data = g_bytes_get_data (result->encoded, &len);
  result->format = rf_image_format_sniff (data, len);
  rf_image_read_header_size (data, len, &result->declared_width, &result->declared_height);

  begin = g_get_monotonic_time ();
  pixbuf = rf_image_decode (result->encoded, limits, &error);
  result->decode_ms = (g_get_monotonic_time () - begin) / 1000.0;

  if (pixbuf == NULL)
    {
      result->error = g_strdup (error->message);
      return result;
    }

  result->status = RF_DECODE_OK;
  result->width = gdk_pixbuf_get_width (pixbuf);
  result->height = gdk_pixbuf_get_height (pixbuf);
  result->has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  /* Only a session that shows pixels shows thumbnails: a headless one
   * saves the scaling (2% of its CPU time). */
  if (keep_pixbuf)
    result->thumbnail = rf_image_scale_thumbnail (pixbuf, THUMBNAIL_SIZE);
  /* SHA-256 of 1.5 MB costs a tenth of the image decode. A session that
   * shows pixels (it keeps them) shows the hash too, and must not compute
   * it on its main thread; a headless one has rf_frame_get_sha256()
   * compute it on demand, usually never. A re-decode from kept bytes
   * (@encoded given) has its hash already. */
  if (keep_pixbuf && encoded == NULL)
    result->sha256 = rf_sha256_hex (result->encoded);
  if (keep_pixbuf || pass_pixbuf)
    result->pixbuf = g_steal_pointer (&pixbuf);

  return result;
}

RfDecodeResult *
rf_decoder_decode_frame (const RfDecodeLimits *limits,
                         GBytes               *b64,
                         GBytes               *encoded,
                         gboolean              keep_pixbuf)
{
  g_return_val_if_fail (limits != NULL, NULL);
  g_return_val_if_fail (b64 != NULL || encoded != NULL, NULL);

  return decode_frame (limits, b64, encoded, NULL, keep_pixbuf, FALSE);
}

/* Headless sessions keep full priority: throughput is all they need.
 * Shared pool threads (no own threads could be made) stay as they are. */
static void
lower_worker_priority (RfDecoder *self)
{
  if (self->keep_pixbufs && self->exclusive)
    rf_thread_lower_priority ();
}

static void
worker_func (gpointer data,
             gpointer user_data)
{
  RfDecoder *self = user_data;
  Job *job = data;
  gboolean cancelled;

  lower_worker_priority (self);

  g_mutex_lock (&self->mutex);
  cancelled = self->cancelled;
  g_mutex_unlock (&self->mutex);

  if (!cancelled)
    {
      RfDecodeResult *result = decode_frame (&self->limits, job->b64, job->encoded, self->kept,
                                             self->keep_pixbufs, self->pass_pixbufs);

      /* The slot is freed by rf_decoder_release() once the result was
       * consumed, so results cannot pile up behind a busy consumer. */
      self->func (job->frame, result, self->user_data);
    }
  else
    {
      rf_decoder_release (self);
    }

  g_clear_pointer (&job->b64, g_bytes_unref);
  g_clear_pointer (&job->encoded, g_bytes_unref);
  g_clear_object (&job->frame);
  g_free (job);
}

void
rf_decoder_release (RfDecoder *self)
{
  g_mutex_lock (&self->mutex);
  g_assert (self->in_flight > 0);
  self->in_flight--;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

RfDecoder *
rf_decoder_new (guint                 n_workers,
                const RfDecodeLimits *limits,
                RfDecoderResultFunc   func,
                gpointer              user_data)
{
  RfDecoder *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (RfDecoder, 1);
  if (n_workers == 0)
    n_workers = CLAMP (g_get_num_processors (), 1, 4);

  self->n_workers = n_workers;
  self->max_queued = 2 * n_workers;
  self->keep_pixbufs = TRUE;
  self->kept = rf_kept_bytes_new ();
  self->func = func;
  self->user_data = user_data;
  if (limits != NULL)
    self->limits = *limits;
  else
    rf_decode_limits_init_default (&self->limits);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  /* Own threads (started now, a few per session) rather than shared
   * ones, so that lowering their priority touches nothing else. */
  self->pool = g_thread_pool_new (worker_func, self, n_workers, TRUE, NULL);
  self->exclusive = self->pool != NULL;
  if (self->pool == NULL)
    self->pool = g_thread_pool_new (worker_func, self, n_workers, FALSE, NULL);

  return self;
}

void
rf_decoder_set_keep_pixbufs (RfDecoder *self,
                             gboolean   keep_pixbufs)
{
  self->keep_pixbufs = keep_pixbufs;
}

void
rf_decoder_set_pass_pixbufs (RfDecoder *self,
                             gboolean   pass_pixbufs)
{
  self->pass_pixbufs = pass_pixbufs;
}

guint
rf_decoder_get_n_workers (RfDecoder *self)
{
  return self->n_workers;
}

void
rf_decoder_submit (RfDecoder *self,
                   RfFrame   *frame,
                   GBytes    *b64,
                   GBytes    *encoded)
{
  Job *job;

  g_return_if_fail (self != NULL);
  g_return_if_fail (b64 != NULL || encoded != NULL);

  g_mutex_lock (&self->mutex);
  while (self->in_flight >= self->max_queued && !self->cancelled)
    g_cond_wait (&self->cond, &self->mutex);
  if (self->cancelled)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  self->in_flight++;
  g_mutex_unlock (&self->mutex);

  job = g_new0 (Job, 1);
  job->frame = g_object_ref (frame);
  job->b64 = b64 ? g_bytes_ref (b64) : NULL;
  job->encoded = encoded ? g_bytes_ref (encoded) : NULL;
  g_thread_pool_push (self->pool, job, NULL);
}

void
rf_decoder_cancel (RfDecoder *self)
{
  g_mutex_lock (&self->mutex);
  self->cancelled = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
rf_decoder_free (RfDecoder *self)
{
  if (self == NULL)
    return;

  rf_decoder_cancel (self);
  g_thread_pool_free (self->pool, FALSE, TRUE);
  rf_kept_bytes_free (self->kept);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}
