/*
 * rf-webp-export.c
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

#define G_LOG_DOMAIN "rf-webp-export"

#include "config.h"

#include <string.h>

#ifdef HAVE_LIBWEBP
# include <webp/encode.h>
# include <webp/mux.h>
#endif

#include "rf-export.h"
#include "rf-file-util.h"
#include "rf-frame.h"
#include "rf-webp-export.h"

#define MIN_FRAME_MS  80
#define MAX_FRAME_MS  3000
#define LAST_FRAME_MS 1500

typedef struct
{
  GPtrArray *frames;
  int        frame_duration_ms;
  char      *path;
} ExportJob;

gboolean
rf_webp_export_is_supported (void)
{
#ifdef HAVE_LIBWEBP
  return TRUE;
#else
  return FALSE;
#endif
}

#ifdef HAVE_LIBWEBP
/* RGBA at exactly @width × @height: frames of another size are scaled. */
static GdkPixbuf *
prepare_pixbuf (GdkPixbuf *pixbuf,
                int        width,
                int        height)
{
  g_autoptr(GdkPixbuf) scaled = NULL;

  if (gdk_pixbuf_get_width (pixbuf) != width || gdk_pixbuf_get_height (pixbuf) != height)
    pixbuf = scaled = gdk_pixbuf_scale_simple (pixbuf, width, height, GDK_INTERP_BILINEAR);

  if (!gdk_pixbuf_get_has_alpha (pixbuf))
    return gdk_pixbuf_add_alpha (pixbuf, FALSE, 0, 0, 0);

  return g_object_ref (pixbuf);
}

static int
frame_duration (GPtrArray *frames,
                GPtrArray *pixbufs,
                guint      i,
                int        fixed_ms)
{
  gint64 delta;

  if (i + 1 == frames->len)
    return MAX (fixed_ms, LAST_FRAME_MS);

  if (fixed_ms > 0)
    return fixed_ms;

  delta = rf_frame_get_t_ms (g_ptr_array_index (frames, i + 1)) -
          rf_frame_get_t_ms (g_ptr_array_index (frames, i));

  return CLAMP (delta, MIN_FRAME_MS, MAX_FRAME_MS);
}
#endif

gboolean
rf_webp_export_animation (GPtrArray   *frames,
                          int          frame_duration_ms,
                          const char  *path,
                          GError     **error)
{
#ifdef HAVE_LIBWEBP
  g_autoptr(GPtrArray) decoded = NULL;
  g_autoptr(GPtrArray) pixbufs = NULL;
  WebPAnimEncoderOptions options;
  WebPAnimEncoder *encoder = NULL;
  WebPData data = { NULL, 0 };
  WebPConfig config;
  gboolean ret = FALSE;
  int width, height;
  int timestamp = 0;

  g_return_val_if_fail (frames != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* Frames that do not decode are left out of the animation. */
  decoded = g_ptr_array_new ();
  pixbufs = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < frames->len; i++)
    {
      RfFrame *frame = g_ptr_array_index (frames, i);
      g_autoptr(GError) local_error = NULL;
      GdkPixbuf *pixbuf = rf_frame_decode_pixbuf (frame, &local_error);

      if (pixbuf == NULL)
        {
          g_debug ("Frame %u left out of the animation: %s", i, local_error->message);
          continue;
        }

      g_ptr_array_add (decoded, frame);
      g_ptr_array_add (pixbufs, pixbuf);
    }

  if (pixbufs->len == 0)
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_DECODE,
                           "No frame could be decoded for the animation");
      return FALSE;
    }

  width = gdk_pixbuf_get_width (g_ptr_array_index (pixbufs, pixbufs->len - 1));
  height = gdk_pixbuf_get_height (g_ptr_array_index (pixbufs, pixbufs->len - 1));

  if (!WebPAnimEncoderOptionsInit (&options) || !WebPConfigInit (&config))
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_UNSUPPORTED_FORMAT,
                           "The WebP library does not match the version built against");
      return FALSE;
    }

  /* Lossless keeps every pixel as decoded; a low effort keeps it quick. */
  options.anim_params.loop_count = 0;
  options.allow_mixed = 0;
  config.lossless = 1;
  config.quality = 25;
  config.method = 1;

  if (!(encoder = WebPAnimEncoderNew (width, height, &options)))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "Cannot make a %d × %d animated WebP", width, height);
      return FALSE;
    }

  for (guint i = 0; i < pixbufs->len; i++)
    {
      g_autoptr(GdkPixbuf) rgba = prepare_pixbuf (g_ptr_array_index (pixbufs, i), width, height);
      WebPPicture picture;
      gboolean ok;

      if (!WebPPictureInit (&picture))
        goto out;

      picture.use_argb = 1;
      picture.width = width;
      picture.height = height;
      ok = WebPPictureImportRGBA (&picture, gdk_pixbuf_read_pixels (rgba),
                                  gdk_pixbuf_get_rowstride (rgba)) &&
           WebPAnimEncoderAdd (encoder, &picture, timestamp, &config);
      WebPPictureFree (&picture);

      if (!ok)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_IO,
                       "Could not encode frame %u of the animation: %s", i,
                       WebPAnimEncoderGetError (encoder));
          goto out;
        }

      timestamp += frame_duration (decoded, pixbufs, i, frame_duration_ms);
    }

  if (!WebPAnimEncoderAdd (encoder, NULL, timestamp, NULL) ||
      !WebPAnimEncoderAssemble (encoder, &data))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO,
                   "Could not assemble the animation: %s", WebPAnimEncoderGetError (encoder));
      goto out;
    }

  if (!rf_file_replace_contents (path, data.bytes, data.size, 0644, error))
    goto out;

  ret = TRUE;

out:
  WebPDataClear (&data);
  WebPAnimEncoderDelete (encoder);

  return ret;
#else
  g_set_error_literal (error, RF_ERROR, RF_ERROR_UNSUPPORTED_FORMAT,
                       "Animated WebP export is not available: built without libwebp");
  return FALSE;
#endif
}

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_clear_pointer (&job->frames, g_ptr_array_unref);
  g_free (job->path);
  g_free (job);
}

static gboolean
export_job (gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  ExportJob *job = data;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  return rf_webp_export_animation (job->frames, job->frame_duration_ms, job->path, error);
}

void
rf_webp_export_animation_async (GPtrArray           *frames,
                                int                  frame_duration_ms,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  ExportJob *job;

  g_return_if_fail (frames != NULL);
  g_return_if_fail (path != NULL);

  job = g_new0 (ExportJob, 1);
  job->frames = g_ptr_array_ref (frames);
  job->frame_duration_ms = frame_duration_ms;
  job->path = g_strdup (path);

  rf_export_run_job_async (rf_webp_export_animation_async, "[rf-webp-export] animation", export_job, job,
                           export_job_free, cancellable, callback, user_data);
}

gboolean
rf_webp_export_animation_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return rf_export_job_finish (result, error);
}
