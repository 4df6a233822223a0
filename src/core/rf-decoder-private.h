/*
 * rf-decoder-private.h
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

#include "rf-image.h"

G_BEGIN_DECLS

/* The decode pool: a bounded queue in front of a few worker threads that
 * turn a frame's payload into pixels (rf-base64.h, rf-image.h) and a
 * thumbnail. The ingest thread submits; results are handed to the
 * consumer on the worker; the owner (the ingest) creates, cancels and
 * frees it. */

/* The result of decoding one frame, made on a worker thread and applied
 * to the frame on the main thread. */
typedef struct
{
  RfDecodeStatus status;
  char          *error;
  GBytes        *encoded;
  RfImageFormat  format;
  int            declared_width;
  int            declared_height;
  int            width;
  int            height;
  gboolean       has_alpha;
  char          *sha256;
  double         decode_ms;
  gint64         done_usec;      /* monotonic, when the result was handed over */
  GdkPixbuf     *pixbuf;
  GdkPixbuf     *thumbnail;
} RfDecodeResult;

void rf_decode_result_free (RfDecodeResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfDecodeResult, rf_decode_result_free)

/* Called on a worker thread; takes ownership of @result. The consumer
 * calls rf_decoder_release() once it has taken the result. */
typedef void (*RfDecoderResultFunc) (RfFrame        *frame,
                                     RfDecodeResult *result,
                                     gpointer        user_data);

/* Returns: (transfer full): a pool of @n_workers threads (0: one per
 * processor, at most 4), calling @func with each result. */
RfDecoder *rf_decoder_new      (guint                 n_workers,
                                const RfDecodeLimits *limits,
                                RfDecoderResultFunc   func,
                                gpointer              user_data);
/* Queues a decode of @b64 (base64 text) — or of @encoded bytes when @b64
 * is NULL — for @frame. Blocks while the queue is full, so a fast reader
 * waits for the workers instead of piling up frames. */
void       rf_decoder_submit   (RfDecoder            *self,
                                RfFrame              *frame,
                                GBytes               *b64,
                                GBytes               *encoded);
/* The consumer took a result: frees its queue slot. */
void       rf_decoder_release  (RfDecoder            *self);
void       rf_decoder_cancel   (RfDecoder            *self);
guint      rf_decoder_get_n_workers (RfDecoder       *self);
/* Whether results carry the full pixels (for the cache) or only the
 * thumbnail. Set before the first submit. */
void       rf_decoder_set_keep_pixbufs (RfDecoder    *self,
                                        gboolean      keep_pixbufs);
/* Whether results carry the pixels even when they are not kept (the
 * analyzer measures them). Set before the first submit. */
void       rf_decoder_set_pass_pixbufs (RfDecoder    *self,
                                        gboolean      pass_pixbufs);
/* The workers step back for a thread someone is waiting on (the tap's
 * proxy): see lower_worker_priority(). Before the first frame. */
void       rf_decoder_set_yield_cpu    (RfDecoder    *self,
                                        gboolean      yield_cpu);
/* Stops the workers (pending jobs are dropped) and frees. */
void       rf_decoder_free     (RfDecoder            *self);
/* The whole job of one frame, on the calling thread (any thread).
 * Returns: (transfer full): the result, failed or not. */
RfDecodeResult *rf_decoder_decode_frame (const RfDecodeLimits *limits,
                                         GBytes               *b64,
                                         GBytes               *encoded,
                                         gboolean              keep_pixbuf);

/* A frame decoded while its event arrives. */
typedef struct _RfDecodeStream RfDecodeStream;

/* On the worker, while a streamed frame decodes: @pixbuf is being
 * filled and its first @rows rows are done. Copy what is needed before
 * returning; the pixels change afterwards. */
typedef void (*RfDecodeProgressFunc) (GdkPixbuf *pixbuf,
                                      int        rows,
                                      gpointer   user_data);

/* Starts decoding a frame whose image value has begun to arrive, on a
 * thread that waits for the text (one stream at a time; it does not
 * wait for a queue slot). NULL once cancelled. @progress (nullable) is
 * called on the worker as rows are done, and @progress_destroy frees
 * @progress_data once the stream is gone. The stream ends with exactly one
 * of rf_decoder_stream_finish() and rf_decoder_stream_abort(), which
 * drop the caller's reference. */
RfDecodeStream *rf_decoder_stream_begin  (RfDecoder            *self,
                                          RfDecodeProgressFunc  progress,
                                          gpointer              progress_data,
                                          GDestroyNotify        progress_destroy);
/* The value's next characters (copied). Blocks while the worker is far
 * behind. FALSE once the worker has given up on decoding it early (the
 * frame is then decoded whole when finished): the text is not needed. */
gboolean        rf_decoder_stream_feed   (RfDecodeStream       *stream,
                                          const char           *b64,
                                          gsize                 len);
/* The event ended and made @frame of the image value @b64, whose
 * beginning is the text fed: the frame takes a queue slot (without
 * waiting: one over the bound at most) and the worker decodes the rest
 * and hands the result on like any other frame's. */
void            rf_decoder_stream_finish (RfDecodeStream       *stream,
                                          RfFrame              *frame,
                                          GBytes               *b64);
/* The value was not a frame after all (or reading stopped): the worker
 * drops it and frees the slot. NULL is ignored. */
void            rf_decoder_stream_abort  (RfDecodeStream       *stream);

G_END_DECLS
