/*
 * rf-image.c
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

#define G_LOG_DOMAIN "rf-image"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "rf-image.h"

void
rf_decode_limits_init_default (RfDecodeLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_encoded_bytes = 64 * 1024 * 1024;
  limits->max_side = 16384;
  limits->max_pixels = 100 * 1000 * 1000;
}

/* The end of @what in data[pos..len), or 0 when it does not come. */
static gsize
skip_past (const guint8 *data,
           gsize         len,
           gsize         pos,
           const char   *what)
{
  gsize n = strlen (what);

  for (gsize i = pos; i + n <= len; i++)
    if (memcmp (data + i, what, n) == 0)
      return i + n;
  return 0;
}

/* An SVG document: its first element, after an XML declaration, comments
 * and a doctype, is <svg>. Only the first 4 KiB are looked at. */
static gboolean
looks_like_svg (const guint8 *data,
                gsize         len)
{
  gsize pos = 0;

  len = MIN (len, 4096);
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;

  while (pos < len)
    {
      if (g_ascii_isspace (data[pos]))
        {
          pos++;
          continue;
        }
      if (data[pos] != '<' || pos + 4 >= len)
        return FALSE;
      if (data[pos + 1] == '?')
        pos = skip_past (data, len, pos, "?>");
      else if (memcmp (data + pos, "<!--", 4) == 0)
        pos = skip_past (data, len, pos, "-->");
      else if (data[pos + 1] == '!')
        {
          gsize gt = skip_past (data, len, pos, ">");
          gsize bracket = skip_past (data, len, pos, "[");

          pos = bracket != 0 && bracket < gt ? skip_past (data, len, pos, "]>") : gt;
        }
      else
        return memcmp (data + pos, "<svg", 4) == 0 &&
               (g_ascii_isspace (data[pos + 4]) || data[pos + 4] == '>' || data[pos + 4] == '/');
      if (pos == 0)
        return FALSE;
    }

  return FALSE;
}

RfImageFormat
rf_image_format_sniff (const guint8 *data,
                       gsize         len)
{
  g_return_val_if_fail (data != NULL || len == 0, RF_IMAGE_FORMAT_UNKNOWN);

  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return RF_IMAGE_FORMAT_PNG;
  if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
    return RF_IMAGE_FORMAT_JPEG;
  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return RF_IMAGE_FORMAT_WEBP;
  if (looks_like_svg (data, len))
    return RF_IMAGE_FORMAT_SVG;
  return RF_IMAGE_FORMAT_UNKNOWN;
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint32
le24 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16);
}

static gboolean
jpeg_header_size (const guint8 *data,
                  gsize         len,
                  int          *width,
                  int          *height)
{
  gsize pos = 2;

  while (pos + 4 <= len)
    {
      guint8 marker;
      gsize seg_len;

      if (data[pos] != 0xFF)
        return FALSE;
      marker = data[pos + 1];
      if (marker == 0xFF)
        {
          pos++;
          continue;
        }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
        {
          pos += 2;
          continue;
        }

      seg_len = ((gsize) data[pos + 2] << 8) | data[pos + 3];
      if (seg_len < 2)
        return FALSE;

      /* Start-of-frame markers, excluding DHT, JPG and DAC. */
      if (marker >= 0xC0 && marker <= 0xCF &&
          marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
        {
          if (pos + 9 > len)
            return FALSE;
          *height = (data[pos + 5] << 8) | data[pos + 6];
          *width = (data[pos + 7] << 8) | data[pos + 8];
          return TRUE;
        }

      pos += 2 + seg_len;
    }

  return FALSE;
}

static gboolean
webp_header_size (const guint8 *data,
                  gsize         len,
                  int          *width,
                  int          *height)
{
  const guint8 *chunk;

  if (len < 30)
    return FALSE;

  chunk = data + 12;

  if (memcmp (chunk, "VP8X", 4) == 0)
    {
      *width = (int) le24 (chunk + 12) + 1;
      *height = (int) le24 (chunk + 15) + 1;
      return TRUE;
    }

  if (memcmp (chunk, "VP8L", 4) == 0)
    {
      const guint8 *b = chunk + 8;
      guint32 bits;

      if (b[0] != 0x2F)
        return FALSE;
      bits = (guint32) b[1] | ((guint32) b[2] << 8) | ((guint32) b[3] << 16) | ((guint32) b[4] << 24);
      *width = (int) (bits & 0x3FFF) + 1;
      *height = (int) ((bits >> 14) & 0x3FFF) + 1;
      return TRUE;
    }

  if (memcmp (chunk, "VP8 ", 4) == 0)
    {
      const guint8 *b = chunk + 8;

      /* Frame tag (3 bytes), start code 9D 01 2A, then 14-bit sizes. */
      if (b[3] != 0x9D || b[4] != 0x01 || b[5] != 0x2A)
        return FALSE;
      *width = ((b[6] | (b[7] << 8)) & 0x3FFF);
      *height = ((b[8] | (b[9] << 8)) & 0x3FFF);
      return TRUE;
    }

  return FALSE;
}

gboolean
rf_image_read_header_size (const guint8 *data,
                           gsize         len,
                           int          *width,
                           int          *height)
{
  int w = 0, h = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  switch (rf_image_format_sniff (data, len))
    {
    case RF_IMAGE_FORMAT_PNG:
      if (len >= 24 && memcmp (data + 12, "IHDR", 4) == 0)
        {
          guint32 pw = be32 (data + 16);
          guint32 ph = be32 (data + 20);

          if (pw <= G_MAXINT && ph <= G_MAXINT)
            {
              w = (int) pw;
              h = (int) ph;
              ok = TRUE;
            }
        }
      break;

    case RF_IMAGE_FORMAT_JPEG:
      ok = jpeg_header_size (data, len, &w, &h);
      break;

    case RF_IMAGE_FORMAT_WEBP:
      ok = webp_header_size (data, len, &w, &h);
      break;

    /* Its size is known only once librsvg has read it: see
     * size_prepared_cb(). */
    case RF_IMAGE_FORMAT_SVG:
    case RF_IMAGE_FORMAT_UNKNOWN:
    default:
      break;
    }

  if (width)
    *width = ok ? w : 0;
  if (height)
    *height = ok ? h : 0;

  return ok;
}

gboolean
rf_image_format_is_supported (RfImageFormat format)
{
  static const char *names[] = { NULL, "png", "jpeg", "webp", "svg" };
  static gsize supported;

  /* Every decoded frame asks; the installed loaders do not change while
   * the process runs, so they are listed once. Bit f set: format f. */
  if (g_once_init_enter (&supported))
    {
      g_autoptr(GSList) formats = gdk_pixbuf_get_formats ();
      gsize bits = 1u << 7;  /* never 0, which means "not yet" */

      for (GSList *l = formats; l != NULL; l = l->next)
        {
          g_autofree char *name = gdk_pixbuf_format_get_name (l->data);

          for (guint f = RF_IMAGE_FORMAT_PNG; f <= RF_IMAGE_FORMAT_SVG; f++)
            if (g_strcmp0 (name, names[f]) == 0)
              bits |= (gsize) 1 << f;
        }

      g_once_init_leave (&supported, bits);
    }

  if (format <= RF_IMAGE_FORMAT_UNKNOWN || format > RF_IMAGE_FORMAT_SVG)
    return FALSE;

  return (supported & ((gsize) 1 << format)) != 0;
}

typedef struct
{
  const RfDecodeLimits *limits;
  gboolean              refused;
  /* A vector image is drawn at its intrinsic size capped at the limits,
   * not refused. */
  gboolean              vector;
  int                   width;
  int                   height;
} SizeCheck;

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  SizeCheck       *check)
{
  check->width = width;
  check->height = height;

  if (check->vector && width > 0 && height > 0)
    {
      double scale = 1.0;

      scale = MIN (scale, (double) check->limits->max_side / width);
      scale = MIN (scale, (double) check->limits->max_side / height);
      scale = MIN (scale, sqrt ((double) check->limits->max_pixels / ((double) width * height)));
      if (scale < 1.0)
        gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale)),
                                    MAX (1, (int) (height * scale)));
      return;
    }

  /* A header that passed our own check but that the loader reads larger:
   * shrink the allocation to nothing and fail afterwards. */
  if ((guint) width > check->limits->max_side || (guint) height > check->limits->max_side ||
      (guint64) width * (guint64) height > check->limits->max_pixels)
    {
      check->refused = TRUE;
      gdk_pixbuf_loader_set_size (loader, 1, 1);
    }
}

static gboolean
check_limits (const RfDecodeLimits  *limits,
              int                    width,
              int                    height,
              GError               **error)
{
  if (width <= 0 || height <= 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_DECODE,
                   _("The image declares an invalid size (%d × %d)"), width, height);
      return FALSE;
    }

  if ((guint) width > limits->max_side || (guint) height > limits->max_side ||
      (guint64) width * (guint64) height > limits->max_pixels)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   _("The image declares %d × %d pixels, over the limit of %u px a side "
                     "and %lu megapixels; it was not decoded"),
                   width, height, limits->max_side, (unsigned long) (limits->max_pixels / 1000000));
      return FALSE;
    }

  return TRUE;
}

/* The loaders hand out a partly filled image for a file cut short, with
 * no error: check that the container reaches its end marker first. */
static gboolean
looks_complete (RfImageFormat  format,
                const guint8  *data,
                gsize          len)
{
  switch (format)
    {
    case RF_IMAGE_FORMAT_PNG:
      {
        gsize pos = 8;

        /* Hop from chunk to chunk (length, type, data, CRC) to an empty
         * IEND: a few hundred hops rather than a search through
         * megabytes of compressed data. */
        while (len >= 8 && pos <= len - 8)
          {
            guint32 chunk_len = be32 (data + pos);

            if (memcmp (data + pos + 4, "IEND", 4) == 0)
              return chunk_len == 0;
            if (chunk_len > len - pos - 8)
              return FALSE;
            pos += 8 + (gsize) chunk_len + 4;
          }
        return FALSE;
      }

    case RF_IMAGE_FORMAT_JPEG:
      /* EOI, allowing a little padding after it. */
      for (gsize i = len >= 2 ? len - 2 : 0; len >= 4 && i + 32 >= len && i >= 2; i--)
        if (data[i] == 0xFF && data[i + 1] == 0xD9)
          return TRUE;
      return FALSE;

    case RF_IMAGE_FORMAT_WEBP:
      return len >= 12 && (guint64) le24 (data + 4) + ((guint64) data[7] << 24) + 8 <= len;

    /* librsvg's XML parser refuses a document cut short. */
    case RF_IMAGE_FORMAT_SVG:
    case RF_IMAGE_FORMAT_UNKNOWN:
    default:
      return TRUE;
    }
}

/* TRUE for an animated WebP: the VP8X animation flag, or an ANMF chunk
 * found hopping from chunk to chunk. The WebP loader decodes every frame
 * of an animation (a few kilobytes can hold a hundred full-size frames),
 * so the pixel limits, which count one frame, would not bound the work. */
static gboolean
webp_is_animated (const guint8 *data,
                  gsize         len)
{
  gsize pos = 12;

  while (len >= 8 && pos <= len - 8)
    {
      guint64 chunk_len = (guint64) le24 (data + pos + 4) + ((guint64) data[pos + 7] << 24);

      if (memcmp (data + pos, "ANMF", 4) == 0 || memcmp (data + pos, "ANIM", 4) == 0)
        return TRUE;
      if (memcmp (data + pos, "VP8X", 4) == 0 && chunk_len >= 1 && pos + 8 < len &&
          (data[pos + 8] & 0x02) != 0)
        return TRUE;
      if (chunk_len > len - pos - 8)
        break;
      pos += 8 + chunk_len + (chunk_len & 1);
    }

  return FALSE;
}

/* Everything rf_image_decode() checks before the loader sees a byte,
 * with its messages: the one-shot decode and the end of a streamed one
 * refuse the same images with the same words. */
static gboolean
precheck (const guint8          *data,
          gsize                  len,
          const RfDecodeLimits  *limits,
          RfImageFormat         *out_format,
          GError               **error)
{
  RfImageFormat format;
  int w, h;

  if (len > limits->max_encoded_bytes)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   _("The image has %lu bytes, over the limit of %lu"),
                   (unsigned long) len, (unsigned long) limits->max_encoded_bytes);
      return FALSE;
    }

  format = rf_image_format_sniff (data, len);
  if (format == RF_IMAGE_FORMAT_UNKNOWN)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_UNSUPPORTED_FORMAT,
                   _("The bytes are not a PNG, JPEG, WebP or SVG image"));
      return FALSE;
    }

  if (!rf_image_format_is_supported (format))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_UNSUPPORTED_FORMAT,
                   format == RF_IMAGE_FORMAT_WEBP
                     /* TRANSLATORS: webp-pixbuf-loader is a package name:
                      * keep it. A frame is one step of an image’s
                      * refinement: a partial image or the final image */
                     ? _("WebP loader missing: install webp-pixbuf-loader to decode WebP frames")
                     : format == RF_IMAGE_FORMAT_SVG
                     /* TRANSLATORS: librsvg2-common is a package name: keep
                      * it. A frame is one step of an image’s refinement: a
                      * partial image or the final image */
                     ? _("SVG loader missing: install librsvg2-common to draw SVG frames")
                     : _("No image loader for %s is installed"),
                   rf_image_format_to_string (format));
      return FALSE;
    }

  /* The SVG loader (librsvg, given bytes and no base file) resolves no
   * reference but data: URLs: nothing outside the payload is read or
   * fetched. Its size comes with size-prepared. */
  if (format != RF_IMAGE_FORMAT_SVG && !rf_image_read_header_size (data, len, &w, &h))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_DECODE,
                   _("The %s header is truncated or damaged"), rf_image_format_to_string (format));
      return FALSE;
    }

  if (format != RF_IMAGE_FORMAT_SVG && !check_limits (limits, w, h, error))
    return FALSE;

  if (!looks_complete (format, data, len))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_DECODE,
                   _("The %s image is truncated: its data ends before the end marker"),
                   rf_image_format_to_string (format));
      return FALSE;
    }

  if (format == RF_IMAGE_FORMAT_WEBP && webp_is_animated (data, len))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_DECODE,
                   _("The WebP image is animated; only still images are decoded"));
      return FALSE;
    }

  *out_format = format;
  return TRUE;
}

static const char * const loader_types[] = { NULL, "png", "jpeg", "webp", "svg" };

GdkPixbuf *
rf_image_decode (GBytes               *encoded,
                 const RfDecodeLimits *limits,
                 GError              **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  RfDecodeLimits defaults;
  SizeCheck check = { 0 };
  const guint8 *data;
  RfImageFormat format;
  gsize len;

  g_return_val_if_fail (encoded != NULL, NULL);

  if (limits == NULL)
    {
      rf_decode_limits_init_default (&defaults);
      limits = &defaults;
    }

  data = g_bytes_get_data (encoded, &len);

  if (!precheck (data, len, limits, &format, error))
    return NULL;

  check.limits = limits;
  check.vector = format == RF_IMAGE_FORMAT_SVG;
  loader = gdk_pixbuf_loader_new_with_type (loader_types[format], error);
  if (loader == NULL)
    return NULL;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &check);

  if (!gdk_pixbuf_loader_write (loader, data, len, error))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }

  if (!gdk_pixbuf_loader_close (loader, error))
    return NULL;

  if (check.refused)
    {
      check_limits (limits, check.width, check.height, error);
      return NULL;
    }

  if (gdk_pixbuf_loader_get_pixbuf (loader) == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_DECODE, _("The image did not decode"));
      return NULL;
    }

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* A decode that starts before the image's last byte is known. Only
 * PNG and JPEG are decoded as they arrive (their loaders work row by
 * row; the WebP loader waits for the whole file, SVG needs the whole
 * document): anything else, or anything odd, gives up, and the image is
 * then decoded whole once complete, with rf_image_decode()'s checks and
 * messages. */
struct _RfImageStream
{
  RfDecodeLimits   limits;
  GdkPixbufLoader *loader;
  SizeCheck        check;
  gsize            written;      /* bytes handed to the loader */
  gboolean         gave_up;
  /* Rows the loader has filled so far (area-updated), for a preview. */
  gint             rows_done;    /* atomic */
};

/* A header larger than this that still does not give the image's size
 * (a JPEG's metadata before its frame header) is not waited for. */
#define STREAM_HEADER_MAX (256 * 1024)

RfImageStream *
rf_image_stream_new (const RfDecodeLimits *limits)
{
  RfImageStream *self = g_new0 (RfImageStream, 1);

  if (limits != NULL)
    self->limits = *limits;
  else
    rf_decode_limits_init_default (&self->limits);
  self->check.limits = &self->limits;

  return self;
}

void
rf_image_stream_free (RfImageStream *self)
{
  if (self == NULL)
    return;

  if (self->loader != NULL)
    {
      /* Closing a loader cut short reports an error, not kept. */
      gdk_pixbuf_loader_close (self->loader, NULL);
      g_clear_object (&self->loader);
    }
  g_free (self);
}

static void
area_updated_cb (GdkPixbufLoader *loader,
                 int              x,
                 int              y,
                 int              width,
                 int              height,
                 RfImageStream   *self)
{
  if (y + height > g_atomic_int_get (&self->rows_done))
    g_atomic_int_set (&self->rows_done, y + height);
}

gboolean
rf_image_stream_feed (RfImageStream *self,
                      const guint8  *data,
                      gsize          len)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->gave_up)
    return FALSE;

  if (self->loader == NULL)
    {
      RfImageFormat format;
      int w, h;

      if (len < 32)
        return TRUE;

      format = rf_image_format_sniff (data, len);
      if (format != RF_IMAGE_FORMAT_PNG && format != RF_IMAGE_FORMAT_JPEG)
        goto give_up;
      if (!rf_image_format_is_supported (format))
        goto give_up;
      if (!rf_image_read_header_size (data, len, &w, &h))
        {
          if (len > STREAM_HEADER_MAX)
            goto give_up;
          return TRUE;
        }
      /* Over the limits, no pixel buffer is made: the whole image's
       * decode says why. */
      if (!check_limits (&self->limits, w, h, NULL))
        goto give_up;

      self->loader = gdk_pixbuf_loader_new_with_type (loader_types[format], NULL);
      if (self->loader == NULL)
        goto give_up;
      /* The loader's own reading of the size is checked too, before it
       * allocates. */
      g_signal_connect (self->loader, "size-prepared", G_CALLBACK (size_prepared_cb), &self->check);
      g_signal_connect (self->loader, "area-updated", G_CALLBACK (area_updated_cb), self);
    }

  if (len > self->limits.max_encoded_bytes)
    goto give_up;

  if (len > self->written)
    {
      if (!gdk_pixbuf_loader_write (self->loader, data + self->written, len - self->written, &error))
        goto give_up;
      self->written = len;
    }

  if (self->check.refused)
    goto give_up;

  return TRUE;

give_up:
  self->gave_up = TRUE;
  return FALSE;
}

GdkPixbuf *
rf_image_stream_finish (RfImageStream *self,
                        GBytes        *encoded)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  RfImageFormat format;
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (encoded != NULL, NULL);

  data = g_bytes_get_data (encoded, &len);

  /* The checks of a whole decode, on the whole bytes: an image one of
   * them refuses is decoded again whole, which says why. */
  if (!rf_image_stream_feed (self, data, len) || self->loader == NULL ||
      !precheck (data, len, &self->limits, &format, NULL))
    return NULL;

  loader = g_steal_pointer (&self->loader);
  if (!gdk_pixbuf_loader_close (loader, NULL) || self->check.refused ||
      gdk_pixbuf_loader_get_pixbuf (loader) == NULL)
    return NULL;

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

GdkPixbuf *
rf_image_stream_peek (RfImageStream *self,
                      int           *rows_done)
{
  g_return_val_if_fail (self != NULL, NULL);

  *rows_done = g_atomic_int_get (&self->rows_done);
  if (self->loader == NULL || *rows_done == 0)
    return NULL;

  return gdk_pixbuf_loader_get_pixbuf (self->loader);
}

GdkPixbuf *
rf_image_scale_thumbnail (GdkPixbuf *pixbuf,
                          int        size)
{
  int w, h;
  double scale;
  int tw, th;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);
  g_return_val_if_fail (size > 0, NULL);

  w = gdk_pixbuf_get_width (pixbuf);
  h = gdk_pixbuf_get_height (pixbuf);
  scale = (double) size / MAX (w, h);

  if (scale >= 1.0)
    return g_object_ref (pixbuf);

  tw = MAX (1, (int) (w * scale + 0.5));
  th = MAX (1, (int) (h * scale + 0.5));

  /* A bilinear filter over the whole image costs 1.4 ms for 1024²;
   * sampling down to twice the size first and filtering only that
   * costs 0.3 ms and looks the same at thumbnail size. */
  if (scale < 0.25)
    {
      g_autoptr(GdkPixbuf) sampled = gdk_pixbuf_scale_simple (pixbuf, 2 * tw, 2 * th,
                                                              GDK_INTERP_NEAREST);

      if (sampled != NULL)
        return gdk_pixbuf_scale_simple (sampled, tw, th, GDK_INTERP_BILINEAR);
    }

  return gdk_pixbuf_scale_simple (pixbuf, tw, th, GDK_INTERP_BILINEAR);
}

char *
rf_sha256_hex (GBytes *bytes)
{
  g_return_val_if_fail (bytes != NULL, NULL);

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}
