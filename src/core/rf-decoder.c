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
  /* One thread for the frames decoded while they arrive, made when the
   * first one begins. It keeps its priority: its work comes a few
   * milliseconds at a time, spread over the event's arrival, and the
   * first pixel waits for it (a worker behind the UI thread, on a busy
   * machine, fell 150 ms behind a 300 ms event). */
  GThreadPool         *stream_pool;
  RfKeptBytes         *kept;      /* where the frames' image bytes go */
  RfDecodeLimits       limits;
  RfDecoderResultFunc  func;
  gpointer             user_data;
  guint                n_workers;
  guint                max_queued;
  gboolean             keep_pixbufs;
  gboolean             yield_cpu;
  /* Results carry the pixels for the analyzer, not for a cache. */
  gboolean             pass_pixbufs;
  /* The pool's threads are its own: their priority may be changed. */
  gboolean             exclusive;

  GMutex               mutex;
  GCond                cond;
  guint                in_flight;
  gboolean             cancelled;

  /* The streamed decode's buffers, kept from one image to the next (one
   * stream at a time per pool): an image's bytes go to pages written
   * before rather than new ones. */
  GByteArray          *stream_text;
  GByteArray          *stream_decoded;
};

/* A frame decoded while its event arrives (rf_decoder_stream_begin()).
 * The ingest thread appends base64 text, a worker decodes it as it comes;
 * both hold a reference. Guarded by the decoder's mutex. */
struct _RfDecodeStream
{
  gatomicrefcount  refs;
  RfDecoder       *decoder;
  GByteArray      *pending;      /* text not yet taken by the worker */
  gboolean         given_up;     /* the worker wants no more text */
  gboolean         finished;     /* @frame and @b64 are set */
  gboolean         aborted;
  RfFrame         *frame;
  GBytes          *b64;
  RfDecodeProgressFunc progress;
  gpointer         progress_data;
  GDestroyNotify   progress_destroy;
};

typedef struct
{
  RfFrame        *frame;
  GBytes         *b64;
  GBytes         *encoded;
  RfDecodeStream *stream;
} Job;

/* Text the ingest thread may be ahead of the worker by: past it, reading
 * waits (a stream job queued behind whole frames catches up). */
#define STREAM_MAX_PENDING (8 * 1024 * 1024)

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

/* Takes @pixbuf. */
static void
result_set_pixels (RfDecodeResult *result,
                   GdkPixbuf      *pixbuf,
                   gboolean        keep_pixbuf,
                   gboolean        pass_pixbuf)
{
  result->status = RF_DECODE_OK;
  result->width = gdk_pixbuf_get_width (pixbuf);
  result->height = gdk_pixbuf_get_height (pixbuf);
  result->has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  /* Only a session that shows pixels shows thumbnails: a headless one
   * saves the scaling (2% of its CPU time). */
  if (keep_pixbuf)
    result->thumbnail = rf_image_scale_thumbnail (pixbuf, THUMBNAIL_SIZE);
  if (keep_pixbuf || pass_pixbuf)
    result->pixbuf = pixbuf;
  else
    g_object_unref (pixbuf);
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

  /* SHA-256 of 1.5 MB costs a tenth of the image decode. A session that
   * shows pixels (it keeps them) shows the hash too, and must not compute
   * it on its main thread; a headless one has rf_frame_get_sha256()
   * compute it on demand, usually never. A re-decode from kept bytes
   * (@encoded given) has its hash already. */
  if (keep_pixbuf && encoded == NULL)
    result->sha256 = rf_sha256_hex (result->encoded);
  result_set_pixels (result, g_steal_pointer (&pixbuf), keep_pixbuf, pass_pixbuf);

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

/* Headless sessions keep full priority: throughput is all they need,
 * unless a thread waits on the same cores for something more urgent (the
 * tap's proxy, whose client waits for every chunk). Shared pool threads
 * (no own threads could be made) stay as they are. */
static void
lower_worker_priority (RfDecoder *self)
{
  if ((self->keep_pixbufs || self->yield_cpu) && self->exclusive)
    rf_thread_lower_priority ();
}

static void stream_run (RfDecoder      *self,
                        RfDecodeStream *stream);
static void rf_decode_stream_unref (RfDecodeStream *stream);

static void
worker_func (gpointer data,
             gpointer user_data)
{
  RfDecoder *self = user_data;
  Job *job = data;
  gboolean cancelled;

  if (job->stream != NULL)
    {
      stream_run (self, job->stream);
      rf_decode_stream_unref (job->stream);
      g_free (job);
      return;
    }

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
  self->stream_text = g_byte_array_new ();
  self->stream_decoded = g_byte_array_new ();
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
rf_decoder_set_yield_cpu (RfDecoder *self,
                          gboolean   yield_cpu)
{
  self->yield_cpu = yield_cpu;
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
  if (self->stream_pool != NULL)
    g_thread_pool_free (self->stream_pool, FALSE, TRUE);
  rf_kept_bytes_free (self->kept);
  g_byte_array_unref (self->stream_text);
  g_byte_array_unref (self->stream_decoded);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

/* Streamed decodes. */

static void
rf_decode_stream_unref (RfDecodeStream *stream)
{
  if (stream == NULL || !g_atomic_ref_count_dec (&stream->refs))
    return;

  g_byte_array_unref (stream->pending);
  g_clear_object (&stream->frame);
  g_clear_pointer (&stream->b64, g_bytes_unref);
  if (stream->progress_destroy != NULL)
    stream->progress_destroy (stream->progress_data);
  g_free (stream);
}

/* Never waits for a queue slot: one stream at a time is bounded by
 * itself, and the ingest thread waiting for older frames in the middle
 * of an arriving image let its bytes pile up (the first pixel then
 * waited for all of them). The frame takes a slot when its event ends
 * (rf_decoder_stream_finish()), which its result releases as any
 * other's. */
RfDecodeStream *
rf_decoder_stream_begin (RfDecoder            *self,
                         RfDecodeProgressFunc  progress,
                         gpointer              progress_data,
                         GDestroyNotify        progress_destroy)
{
  RfDecodeStream *stream;
  gboolean cancelled;
  Job *job;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->mutex);
  cancelled = self->cancelled;
  g_mutex_unlock (&self->mutex);
  if (cancelled)
    {
      if (progress_destroy != NULL)
        progress_destroy (progress_data);
      return NULL;
    }

  stream = g_new0 (RfDecodeStream, 1);
  g_atomic_ref_count_init (&stream->refs);
  stream->decoder = self;
  stream->pending = g_byte_array_new ();
  stream->progress = progress;
  stream->progress_data = progress_data;
  stream->progress_destroy = progress_destroy;

  /* Only the ingest thread begins streams: no race to make the pool. */
  /* A thread of its own: a shared one may have been lowered. */
  if (self->stream_pool == NULL)
    self->stream_pool = g_thread_pool_new (worker_func, self, 1, TRUE, NULL);
  if (self->stream_pool == NULL)
    self->stream_pool = g_thread_pool_new (worker_func, self, 1, FALSE, NULL);

  job = g_new0 (Job, 1);
  g_atomic_ref_count_inc (&stream->refs);
  job->stream = stream;
  g_thread_pool_push (self->stream_pool, job, NULL);

  return stream;
}

gboolean
rf_decoder_stream_feed (RfDecodeStream *stream,
                        const char     *b64,
                        gsize           len)
{
  RfDecoder *self = stream->decoder;
  gboolean going;

  g_mutex_lock (&self->mutex);
  while (stream->pending->len >= STREAM_MAX_PENDING && !stream->given_up && !self->cancelled)
    g_cond_wait (&self->cond, &self->mutex);
  going = !stream->given_up && !self->cancelled;
  if (going && len > 0)
    {
      g_byte_array_append (stream->pending, (const guint8 *) b64, len);
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->mutex);

  return going;
}

void
rf_decoder_stream_finish (RfDecodeStream *stream,
                          RfFrame        *frame,
                          GBytes         *b64)
{
  RfDecoder *self = stream->decoder;

  g_mutex_lock (&self->mutex);
  /* Beyond the queue's bound by one at most: the frame is decoded
   * already but for its last piece. */
  self->in_flight++;
  stream->frame = g_object_ref (frame);
  stream->b64 = g_bytes_ref (b64);
  stream->finished = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  rf_decode_stream_unref (stream);
}

void
rf_decoder_stream_abort (RfDecodeStream *stream)
{
  RfDecoder *self;

  if (stream == NULL)
    return;

  self = stream->decoder;
  g_mutex_lock (&self->mutex);
  stream->aborted = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  rf_decode_stream_unref (stream);
}

/* Decodes the whole quads of @text[*used…] onto @decoded. */
static void
decode_quads (GByteArray  *decoded,
              const char  *text,
              gsize        len,
              gsize       *used)
{
  gsize old = decoded->len;
  gsize n;

  g_byte_array_set_size (decoded, old + len / 4 * 3 + 4);
  n = rf_base64_decode_quads (text, len, decoded->data + old);
  g_byte_array_set_size (decoded, old + n / 4 * 3);
  *used = n;
}

/* The worker's side of a streamed decode: base64 and the image loader
 * take the text as it comes, so that when the event ends only its last
 * piece is left to decode. */
static void
stream_run (RfDecoder      *self,
            RfDecodeStream *stream)
{
  g_autoptr(RfImageStream) image = rf_image_stream_new (&self->limits);
  g_autoptr(GChecksum) sum = self->keep_pixbufs ? g_checksum_new (G_CHECKSUM_SHA256) : NULL;
  GByteArray *text = self->stream_text;       /* taken from @pending, not yet decoded */
  GByteArray *decoded = self->stream_decoded;
  GBytes *b64 = NULL;
  RfFrame *frame = NULL;
  RfDecodeResult *result = NULL;
  gboolean ok = TRUE;
  gsize text_done = 0;                        /* characters decoded so far */
  gsize hashed = 0;
  double decode_ms = 0;
  gboolean has_slot = FALSE;
  gboolean text_ended = FALSE;

  g_byte_array_set_size (text, 0);
  g_byte_array_set_size (decoded, 0);

  for (;;)
    {
      gboolean finished;
      gsize used;
      gint64 begin;

      g_mutex_lock (&self->mutex);
      while (stream->pending->len == 0 && !stream->finished && !stream->aborted && !self->cancelled)
        g_cond_wait (&self->cond, &self->mutex);
      if (stream->aborted || self->cancelled)
        {
          has_slot = stream->finished;
          g_mutex_unlock (&self->mutex);
          break;
        }
      /* Taken whole: the ingest thread appends to an empty array while
       * this one decodes. */
      if (ok && !text_ended)
        g_byte_array_append (text, stream->pending->data, stream->pending->len);
      g_byte_array_set_size (stream->pending, 0);
      finished = stream->finished;
      if (finished)
        {
          frame = g_object_ref (stream->frame);
          b64 = g_bytes_ref (stream->b64);
        }
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);

      if (finished)
        break;
      if (!ok || text_ended)
        {
          g_byte_array_set_size (text, 0);
          continue;
        }

      begin = g_get_monotonic_time ();
      decode_quads (decoded, (const char *) text->data, text->len, &used);
      text_done += used;
      g_byte_array_remove_range (text, 0, used);
      /* A quad that is not four alphabet characters is the value's
       * padded end, or not plain base64: either way no more text is
       * needed here. The rest is decoded from the event at its end,
       * which says what is wrong with it, if anything. */
      if (text->len >= 4)
        {
          text_ended = TRUE;
          g_byte_array_set_size (text, 0);
          g_mutex_lock (&self->mutex);
          stream->given_up = TRUE;
          g_cond_broadcast (&self->cond);
          g_mutex_unlock (&self->mutex);
        }
      if (sum != NULL)
        {
          g_checksum_update (sum, decoded->data + hashed, decoded->len - hashed);
          hashed = decoded->len;
        }
      if (ok)
        ok = rf_image_stream_feed (image, decoded->data, decoded->len);
      decode_ms += (g_get_monotonic_time () - begin) / 1000.0;

      if (ok && stream->progress != NULL)
        {
          int rows;
          GdkPixbuf *pixbuf = rf_image_stream_peek (image, &rows);

          if (pixbuf != NULL)
            stream->progress (pixbuf, rows, stream->progress_data);
        }

      if (!ok)
        {
          g_mutex_lock (&self->mutex);
          stream->given_up = TRUE;
          g_cond_broadcast (&self->cond);
          g_mutex_unlock (&self->mutex);
        }
    }

  if (frame == NULL)
    {
      /* Aborted (the event was not a frame after all, or the run
       * stopped): a slot taken goes back now, nobody will release it. */
      if (has_slot)
        rf_decoder_release (self);
      return;
    }

  if (ok)
    {
      gsize b64_len;
      const char *all = g_bytes_get_data (b64, &b64_len);
      gint64 begin = g_get_monotonic_time ();
      g_autoptr(GBytes) encoded = NULL;
      g_autoptr(GdkPixbuf) pixbuf = NULL;

      /* The rest of the value comes from the event itself: the last
       * piece was never fed. What was fed is its beginning (the ingest
       * checked that the value is where it was read). */
      if (text_done > b64_len ||
          (b64_len / 4 * 3 > self->limits.max_encoded_bytes &&
           b64_len / 4 * 3 - self->limits.max_encoded_bytes > 3))
        ok = FALSE;
      else
        {
          gsize used;

          decode_quads (decoded, all + text_done, b64_len - text_done, &used);
          text_done += used;
          if (text_done < b64_len)
            {
              g_autoptr(GBytes) tail = rf_base64_decode_bytes (all + text_done, b64_len - text_done,
                                                               G_MAXSIZE, NULL);

              if (tail == NULL)
                ok = FALSE;
              else
                g_byte_array_append (decoded, g_bytes_get_data (tail, NULL), g_bytes_get_size (tail));
            }
        }

      if (ok && decoded->len > 0)
        {
          encoded = rf_kept_bytes_copy (self->kept, decoded->data, decoded->len);
          pixbuf = rf_image_stream_finish (image, encoded);
        }
      decode_ms += (g_get_monotonic_time () - begin) / 1000.0;

      if (pixbuf != NULL)
        {
          const guint8 *data = g_bytes_get_data (encoded, NULL);

          result = g_new0 (RfDecodeResult, 1);
          result->encoded = g_steal_pointer (&encoded);
          result->format = rf_image_format_sniff (data, decoded->len);
          rf_image_read_header_size (data, decoded->len, &result->declared_width, &result->declared_height);
          result->decode_ms = decode_ms;
          if (sum != NULL)
            {
              g_checksum_update (sum, data + hashed, decoded->len - hashed);
              result->sha256 = g_strdup (g_checksum_get_string (sum));
            }
          result_set_pixels (result, g_steal_pointer (&pixbuf), self->keep_pixbufs, self->pass_pixbufs);
        }
    }

  /* Anything odd, and anything the loader refused: the whole decode,
   * which fails with the words of a frame decoded at its end. */
  if (result == NULL)
    result = decode_frame (&self->limits, b64, NULL, self->kept, self->keep_pixbufs, self->pass_pixbufs);

  self->func (frame, result, self->user_data);

  g_object_unref (frame);
  g_bytes_unref (b64);
}
