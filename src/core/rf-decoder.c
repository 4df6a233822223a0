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

#include <string.h>

#include <glib/gi18n.h>

#include "rf-decoder-private.h"
#include "rf-frame.h"
#include "rf-thread.h"

#define THUMBNAIL_SIZE 128

struct _RfDecoder
{
  GThreadPool         *pool;
  RfDecodeLimits       limits;
  RfDecoderResultFunc  func;
  gpointer             user_data;
  guint                n_workers;
  guint                max_queued;
  gboolean             keep_pixbufs;
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
rf_decode_limits_init_default (RfDecodeLimits *limits)
{
  limits->max_encoded_bytes = 64 * 1024 * 1024;
  limits->max_side = 16384;
  limits->max_pixels = 100 * 1000 * 1000;
}

RfImageFormat
rf_image_format_sniff (const guint8 *data,
                       gsize         len)
{
  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return RF_IMAGE_FORMAT_PNG;
  if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
    return RF_IMAGE_FORMAT_JPEG;
  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return RF_IMAGE_FORMAT_WEBP;
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
  static const char *names[] = { NULL, "png", "jpeg", "webp" };
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

          for (guint f = RF_IMAGE_FORMAT_PNG; f <= RF_IMAGE_FORMAT_WEBP; f++)
            if (g_strcmp0 (name, names[f]) == 0)
              bits |= (gsize) 1 << f;
        }

      g_once_init_leave (&supported, bits);
    }

  if (format <= RF_IMAGE_FORMAT_UNKNOWN || format > RF_IMAGE_FORMAT_WEBP)
    return FALSE;

  return (supported & ((gsize) 1 << format)) != 0;
}

typedef struct
{
  const RfDecodeLimits *limits;
  gboolean              refused;
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

    case RF_IMAGE_FORMAT_UNKNOWN:
    default:
      return TRUE;
    }
}

GdkPixbuf *
rf_image_decode (GBytes               *encoded,
                 const RfDecodeLimits *limits,
                 GError              **error)
{
  static const char *types[] = { NULL, "png", "jpeg", "webp" };
  g_autoptr(GdkPixbufLoader) loader = NULL;
  RfDecodeLimits defaults;
  SizeCheck check = { 0 };
  const guint8 *data;
  RfImageFormat format;
  gsize len;
  int w, h;

  g_return_val_if_fail (encoded != NULL, NULL);

  if (limits == NULL)
    {
      rf_decode_limits_init_default (&defaults);
      limits = &defaults;
    }

  data = g_bytes_get_data (encoded, &len);

  if (len > limits->max_encoded_bytes)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   _("The image has %lu bytes, over the limit of %lu"),
                   (unsigned long) len, (unsigned long) limits->max_encoded_bytes);
      return NULL;
    }

  format = rf_image_format_sniff (data, len);
  if (format == RF_IMAGE_FORMAT_UNKNOWN)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_UNSUPPORTED_FORMAT,
                   _("The bytes are not a PNG, JPEG or WebP image"));
      return NULL;
    }

  if (!rf_image_format_is_supported (format))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_UNSUPPORTED_FORMAT,
                   format == RF_IMAGE_FORMAT_WEBP
                     ? _("WebP loader missing: install webp-pixbuf-loader to decode WebP frames")
                     : _("No image loader for %s is installed"),
                   rf_image_format_to_string (format));
      return NULL;
    }

  if (!rf_image_read_header_size (data, len, &w, &h))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_DECODE,
                   _("The %s header is truncated or damaged"), rf_image_format_to_string (format));
      return NULL;
    }

  if (!check_limits (limits, w, h, error))
    return NULL;

  if (!looks_complete (format, data, len))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_DECODE,
                   _("The %s image is truncated: its data ends before the end marker"),
                   rf_image_format_to_string (format));
      return NULL;
    }

  check.limits = limits;
  loader = gdk_pixbuf_loader_new_with_type (types[format], error);
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

static const gint8 *
base64_table (void)
{
  static gint8 table[256];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

      memset (table, -1, sizeof table);
      for (int i = 0; i < 64; i++)
        table[(guint8) alphabet[i]] = i;
      /* The URL-safe alphabet decodes too. */
      table['-'] = 62;
      table['_'] = 63;
      g_once_init_leave (&initialized, 1);
    }

  return table;
}

/* Four tables, one per position in a quad, holding each symbol's bits
 * already shifted to where they land in the 3 output bytes (stored
 * little-endian: byte 0 in the low bits). Non-alphabet characters carry
 * bit 24, so one test of the OR of four look-ups rejects the quad. */
#define B64_BAD 0x01000000u

static const guint32 *
base64_quad_tables (void)
{
  static guint32 tables[4][256];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      const gint8 *table = base64_table ();

      for (int c = 0; c < 256; c++)
        {
          gint8 v = table[c];

          if (v < 0)
            {
              tables[0][c] = tables[1][c] = tables[2][c] = tables[3][c] = B64_BAD;
              continue;
            }
          tables[0][c] = (guint32) v << 2;
          tables[1][c] = ((guint32) v >> 4) | (((guint32) v & 0x0F) << 12);
          tables[2][c] = (((guint32) v >> 2) << 8) | (((guint32) v & 0x03) << 22);
          tables[3][c] = (guint32) v << 16;
        }
      g_once_init_leave (&initialized, 1);
    }

  return &tables[0][0];
}

GBytes *
rf_base64_decode_bytes (const char  *b64,
                        gsize        len,
                        gsize        max_decoded,
                        GError     **error)
{
  const gint8 *table = base64_table ();
  g_autofree guint8 *out = NULL;
  guint32 acc = 0;
  gsize n_out = 0;
  gsize n_sym = 0;
  gsize pad = 0;
  gsize start = 0;

  /* Written so that max_decoded = G_MAXSIZE (no limit) cannot wrap. */
  if (len / 4 * 3 > max_decoded && len / 4 * 3 - max_decoded > 3)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   _("The image payload (%lu base64 characters) is over the limit of %lu bytes"),
                   (unsigned long) len, (unsigned long) max_decoded);
      return NULL;
    }

  /* One spare byte: the fast path stores 4 bytes to write 3. */
  out = g_malloc (len / 4 * 3 + 4);

  /* Fast path: whole quads of alphabet characters, the bulk of any
   * payload. Padding, whitespace and errors stop it; the careful loop
   * below takes over from there (on a quad boundary, so its count of
   * symbols stays in step). */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  {
    const guint32 *t = base64_quad_tables ();
    const guint8 *in = (const guint8 *) b64;

    while (start + 4 <= len)
      {
        guint32 w = t[in[start]] | t[256 + in[start + 1]] |
                    t[512 + in[start + 2]] | t[768 + in[start + 3]];

        if (w & B64_BAD)
          break;
        memcpy (out + n_out, &w, 4);
        n_out += 3;
        start += 4;
      }
  }
#endif

  while (start + 4 <= len)
    {
      gint32 a = table[(guint8) b64[start]];
      gint32 b = table[(guint8) b64[start + 1]];
      gint32 c = table[(guint8) b64[start + 2]];
      gint32 d = table[(guint8) b64[start + 3]];
      guint32 v;

      if ((a | b | c | d) < 0)
        break;

      v = ((guint32) a << 18) | ((guint32) b << 12) | ((guint32) c << 6) | (guint32) d;
      out[n_out] = (v >> 16) & 0xFF;
      out[n_out + 1] = (v >> 8) & 0xFF;
      out[n_out + 2] = v & 0xFF;
      n_out += 3;
      start += 4;
    }

  for (gsize i = start; i < len; i++)
    {
      guint8 c = (guint8) b64[i];
      gint8 v = table[c];

      if (v >= 0)
        {
          if (pad > 0)
            goto invalid;
          acc = (acc << 6) | (guint32) v;
          n_sym++;
          if ((n_sym & 3) == 0)
            {
              out[n_out++] = (acc >> 16) & 0xFF;
              out[n_out++] = (acc >> 8) & 0xFF;
              out[n_out++] = acc & 0xFF;
              acc = 0;
            }
        }
      else if (c == '=')
        {
          pad++;
          if (pad > 2)
            goto invalid;
        }
      else if (c == '\n' || c == '\r' || c == ' ' || c == '\t')
        {
          continue;
        }
      else
        {
          g_set_error (error, RF_ERROR, RF_ERROR_DECODE,
                       _("The image payload is not valid base64 (character 0x%02x at offset %lu)"),
                       c, (unsigned long) i);
          return NULL;
        }
    }

  switch (n_sym & 3)
    {
    case 0:
      if (pad != 0)
        goto invalid;
      break;
    case 2:
      out[n_out++] = (acc >> 4) & 0xFF;
      break;
    case 3:
      out[n_out++] = (acc >> 10) & 0xFF;
      out[n_out++] = (acc >> 2) & 0xFF;
      break;
    default:
      goto invalid;
    }

  if (n_out == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_DECODE, _("The image payload is empty"));
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&out), n_out);

invalid:
  g_set_error (error, RF_ERROR, RF_ERROR_DECODE,
               _("The image payload is not valid base64 (bad length or padding)"));
  return NULL;
}

char *
rf_sha256_hex (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

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

static GdkPixbuf *
make_thumbnail (GdkPixbuf *pixbuf)
{
  int w = gdk_pixbuf_get_width (pixbuf);
  int h = gdk_pixbuf_get_height (pixbuf);
  double scale = (double) THUMBNAIL_SIZE / MAX (w, h);

  int tw, th;

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

RfDecodeResult *
rf_decoder_decode_frame (const RfDecodeLimits *limits,
                         GBytes               *b64,
                         GBytes               *encoded,
                         gboolean              keep_pixbuf)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  RfDecodeResult *result = g_new0 (RfDecodeResult, 1);
  const guint8 *data;
  gsize len;
  gint64 begin;

  result->status = RF_DECODE_FAILED;

  if (encoded != NULL)
    {
      result->encoded = g_bytes_ref (encoded);
    }
  else
    {
      const char *text = g_bytes_get_data (b64, &len);

      result->encoded = rf_base64_decode_bytes (text ? text : "", len, limits->max_encoded_bytes, &error);
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
  result->thumbnail = make_thumbnail (pixbuf);
  /* SHA-256 of 1.5 MB costs a tenth of the image decode. A session that
   * shows pixels (it keeps them) shows the hash too, and must not compute
   * it on its main thread; a headless one has rf_frame_get_sha256()
   * compute it on demand, usually never. A re-decode from kept bytes
   * (@encoded given) has its hash already. */
  if (keep_pixbuf && encoded == NULL)
    result->sha256 = rf_sha256_hex (result->encoded);
  if (keep_pixbuf)
    result->pixbuf = g_steal_pointer (&pixbuf);

  return result;
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
      RfDecodeResult *result = rf_decoder_decode_frame (&self->limits, job->b64, job->encoded,
                                                           self->keep_pixbufs);

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
  RfDecoder *self = g_new0 (RfDecoder, 1);

  if (n_workers == 0)
    n_workers = CLAMP (g_get_num_processors (), 1, 4);

  self->n_workers = n_workers;
  self->max_queued = 2 * n_workers;
  self->keep_pixbufs = TRUE;
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
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}
