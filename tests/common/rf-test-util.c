/*
 * rf-test-util.c
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

/* G_LOG_DOMAIN comes from tests/meson.build ("rf-test"). */

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "rf-image.h"
#include "rf-synth.h"
#include "rf-test-util.h"

struct _RfTestStream
{
  RfTestFlavor  flavor;
  GString      *text;
  gint64        seq;
  char         *newline;
  char         *resp_id;
  char         *size;
  char         *quality;
  char         *background;
};

static char *temp_dir;

/* Images */

static guint32
hash32 (guint32 x)
{
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

GdkPixbuf *
rf_test_make_pixbuf (int      width,
                     int      height,
                     gboolean alpha,
                     guint    seed)
{
  GdkPixbuf *pixbuf;
  guint32 h = hash32 (seed * 2654435761U + 12345);
  guint8 base[3] = { h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff };
  guint8 ink[3] = { 255 - base[0], 255 - base[1], 255 - base[2] };
  guint period = 2 + (h >> 24) % 5;
  guint8 *pixels;
  int n_channels;
  int rowstride;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    {
      guint8 *p = pixels + (gsize) y * rowstride;

      for (int x = 0; x < width; x++, p += n_channels)
        {
          /* A diagonal stripe pattern whose period and colours depend on
           * the seed, so two seeds never give the same image. */
          gboolean on = ((guint) (x + y + seed) / period) % 2 == 0;
          const guint8 *c = on ? ink : base;

          p[0] = c[0];
          p[1] = c[1];
          p[2] = c[2];
          if (alpha)
            {
              /* Opaque centre, fading edges, one fully transparent corner. */
              int dx = MIN (x, width - 1 - x);
              int dy = MIN (y, height - 1 - y);
              int d = MIN (dx, dy);

              if (x < width / 4 && y < height / 4)
                p[3] = 0;
              else
                p[3] = (guint8) MIN (255, 64 + d * 48);
            }
        }
    }

  return pixbuf;
}

GBytes *
rf_test_make_image (RfImageFormat format,
                    int           width,
                    int           height,
                    gboolean      alpha,
                    guint         seed)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;
  gboolean ok = FALSE;

  switch (format)
    {
    case RF_IMAGE_FORMAT_PNG:
      pixbuf = rf_test_make_pixbuf (width, height, alpha, seed);
      ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
      break;

    case RF_IMAGE_FORMAT_JPEG:
      pixbuf = rf_test_make_pixbuf (width, height, FALSE, seed);
      ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error,
                                      "quality", "90", NULL);
      break;

    case RF_IMAGE_FORMAT_WEBP:
      {
        GBytes *bytes;

        /* rf_synth_encode falls back to libwebp when the loader cannot save. */
        pixbuf = rf_test_make_pixbuf (width, height, alpha, seed);
        bytes = rf_synth_encode (pixbuf, RF_IMAGE_FORMAT_WEBP, &error);
        if (bytes == NULL)
          g_error ("rf_test_make_image: cannot encode WebP: %s", error->message);
        return bytes;
      }

    case RF_IMAGE_FORMAT_SVG:
    case RF_IMAGE_FORMAT_UNKNOWN:
    default:
      g_error ("rf_test_make_image: unsupported format %d", format);
    }

  if (!ok)
    g_error ("rf_test_make_image: cannot encode: %s", error ? error->message : "?");

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

char *
rf_test_base64 (GBytes *bytes)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return g_base64_encode (data, len);
}

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         len)
{
  static guint32 table[256];
  static gsize initialised;

  if (g_once_init_enter (&initialised))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&initialised, 1);
    }

  crc ^= 0xffffffffU;
  for (gsize i = 0; i < len; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffU;
}

static void
put_be32 (GByteArray *array,
          guint32     v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

  g_byte_array_append (array, b, 4);
}

static void
put_png_chunk (GByteArray   *array,
               const char   *type,
               const guint8 *data,
               guint32       len)
{
  guint32 crc;

  put_be32 (array, len);
  g_byte_array_append (array, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (array, data, len);
  crc = crc32_update (0, (const guint8 *) type, 4);
  crc = crc32_update (crc, data, len);
  put_be32 (array, crc);
}

GBytes *
rf_test_make_png_header_bomb (guint32 width,
                              guint32 height)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  GByteArray *array = g_byte_array_new ();
  guint8 ihdr[13];
  guint8 idat[2 + 5 + 16 + 4];
  guint32 a = 1, b = 0;

  g_byte_array_append (array, signature, sizeof signature);

  ihdr[0] = width >> 24; ihdr[1] = width >> 16; ihdr[2] = width >> 8; ihdr[3] = width;
  ihdr[4] = height >> 24; ihdr[5] = height >> 16; ihdr[6] = height >> 8; ihdr[7] = height;
  ihdr[8] = 8;   /* bit depth */
  ihdr[9] = 6;   /* RGBA */
  ihdr[10] = 0;  /* deflate */
  ihdr[11] = 0;  /* adaptive filtering */
  ihdr[12] = 0;  /* no interlace */
  put_png_chunk (array, "IHDR", ihdr, sizeof ihdr);

  /* A zlib stream with one final stored block of 16 zero bytes: valid,
   * but far too short for the declared size. */
  idat[0] = 0x78;
  idat[1] = 0x01;
  idat[2] = 0x01;
  idat[3] = 16;
  idat[4] = 0;
  idat[5] = (guint8) ~16;
  idat[6] = 0xff;
  memset (idat + 7, 0, 16);
  for (int i = 0; i < 16; i++)
    {
      a = (a + idat[7 + i]) % 65521;
      b = (b + a) % 65521;
    }
  idat[23] = (b >> 8) & 0xff;
  idat[24] = b & 0xff;
  idat[25] = (a >> 8) & 0xff;
  idat[26] = a & 0xff;
  put_png_chunk (array, "IDAT", idat, sizeof idat);
  put_png_chunk (array, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (array);
}

GdkPixbuf *
rf_test_decode (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, &error) ||
      !gdk_pixbuf_loader_close (loader, &error))
    g_error ("rf_test_decode: %s", error->message);

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_nonnull (pixbuf);
  return g_object_ref (pixbuf);
}

/* Temp files */

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static void
remove_temp_dir (void)
{
  if (temp_dir != NULL && g_getenv ("RF_TEST_KEEP_TEMP") == NULL)
    remove_tree (temp_dir);
  g_clear_pointer (&temp_dir, g_free);
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
rf_test_wait_until (gboolean (*cond) (gpointer),
                    gpointer   data,
                    guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint wake = g_timeout_add (10, wake_cb, NULL);
  gboolean ret;

  while (!(ret = cond (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);

  return ret;
}

void
rf_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  guint wake = g_timeout_add (10, wake_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);
}

const char *
rf_test_get_temp_dir (void)
{
  if (temp_dir == NULL)
    {
      g_autoptr(GError) error = NULL;

      temp_dir = g_dir_make_tmp ("refinery-test-XXXXXX", &error);
      if (temp_dir == NULL)
        g_error ("rf_test_get_temp_dir: %s", error->message);
      atexit (remove_temp_dir);
    }

  return temp_dir;
}

char *
rf_test_write_temp_file (GBytes     *bytes,
                         const char *suffix)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  char *path;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  name = g_strdup_printf ("file-%u%s", counter++, suffix ? suffix : "");
  path = g_build_filename (rf_test_get_temp_dir (), name, NULL);
  if (!g_file_set_contents (path, data ? data : "", len, &error))
    g_error ("rf_test_write_temp_file: %s", error->message);

  return path;
}

/* Pixels */

static inline void
get_rgba (GdkPixbuf *pixbuf,
          int        x,
          int        y,
          guint8     out[4])
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf)
                    + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf)
                    + (gsize) x * gdk_pixbuf_get_n_channels (pixbuf);

  out[0] = p[0];
  out[1] = p[1];
  out[2] = p[2];
  out[3] = gdk_pixbuf_get_has_alpha (pixbuf) ? p[3] : 255;
}

gboolean
rf_test_pixbufs_equal (GdkPixbuf *a,
                       GdkPixbuf *b)
{
  int width, height;

  g_return_val_if_fail (GDK_IS_PIXBUF (a), FALSE);
  g_return_val_if_fail (GDK_IS_PIXBUF (b), FALSE);

  width = gdk_pixbuf_get_width (a);
  height = gdk_pixbuf_get_height (a);
  if (width != gdk_pixbuf_get_width (b) || height != gdk_pixbuf_get_height (b))
    return FALSE;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 pa[4], pb[4];

        get_rgba (a, x, y, pa);
        get_rgba (b, x, y, pb);
        if (memcmp (pa, pb, 4) != 0)
          return FALSE;
      }

  return TRUE;
}

double
rf_test_pixbufs_mean_diff (GdkPixbuf *a,
                           GdkPixbuf *b)
{
  int width, height;
  guint64 sum = 0;

  g_return_val_if_fail (GDK_IS_PIXBUF (a), -1);
  g_return_val_if_fail (GDK_IS_PIXBUF (b), -1);

  width = gdk_pixbuf_get_width (a);
  height = gdk_pixbuf_get_height (a);
  if (width != gdk_pixbuf_get_width (b) || height != gdk_pixbuf_get_height (b))
    return -1;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 pa[4], pb[4];

        get_rgba (a, x, y, pa);
        get_rgba (b, x, y, pb);
        for (int c = 0; c < 4; c++)
          sum += ABS ((int) pa[c] - (int) pb[c]);
      }

  return (double) sum / ((double) width * height * 4);
}

/* Streams */

static void
append_json_string (GString    *out,
                    const char *str)
{
  if (str == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) str; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_b64 (GString *out,
            GBytes  *image)
{
  g_autofree char *b64 = NULL;

  if (image == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  b64 = rf_test_base64 (image);
  g_string_append_c (out, '"');
  g_string_append (out, b64);
  g_string_append_c (out, '"');
}

/* The size set with rf_test_stream_set_image_params(), else the image's
 * own, as a server that keeps its word echoes it; 1024x1024 for bytes
 * that are no image. */
static void
append_size (RfTestStream *s,
             GString      *json,
             GBytes       *image)
{
  g_autofree char *own = NULL;
  int width, height;

  if (s->size == NULL && image != NULL &&
      rf_image_read_header_size (g_bytes_get_data (image, NULL), g_bytes_get_size (image), &width, &height))
    own = g_strdup_printf ("%dx%d", width, height);

  append_json_string (json, s->size != NULL ? s->size : own != NULL ? own : "1024x1024");
}

static const char *
sniff_format (GBytes *image)
{
  gsize len = 0;
  const guint8 *d;

  if (image == NULL)
    return "png";

  d = g_bytes_get_data (image, &len);
  if (len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
    return "jpeg";
  if (len >= 12 && memcmp (d, "RIFF", 4) == 0 && memcmp (d + 8, "WEBP", 4) == 0)
    return "webp";
  return "png";
}

RfTestStream *
rf_test_stream_new (RfTestFlavor flavor)
{
  RfTestStream *s = g_new0 (RfTestStream, 1);

  s->flavor = flavor;
  s->text = g_string_new (NULL);
  s->newline = g_strdup ("\n");
  s->resp_id = g_strdup (flavor == RF_TEST_FLAVOR_OPENROUTER ? "gen-1" : "resp_1");
  /* The size stays unset: each image's own is echoed (see append_size). */
  s->quality = g_strdup ("low");
  s->background = g_strdup ("opaque");

  if (flavor == RF_TEST_FLAVOR_OPENROUTER)
    rf_test_stream_comment (s, "OPENROUTER PROCESSING");

  return s;
}

void
rf_test_stream_free (RfTestStream *s)
{
  if (s == NULL)
    return;

  g_string_free (s->text, TRUE);
  g_free (s->newline);
  g_free (s->resp_id);
  g_free (s->size);
  g_free (s->quality);
  g_free (s->background);
  g_free (s);
}

RfTestFlavor
rf_test_stream_get_flavor (RfTestStream *s)
{
  return s->flavor;
}

void
rf_test_stream_set_newline (RfTestStream *s,
                            const char   *newline)
{
  g_return_if_fail (newline != NULL);

  g_free (s->newline);
  s->newline = g_strdup (newline);
}

static void
replace_str (char       **field,
             const char  *value)
{
  if (value != NULL)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

void
rf_test_stream_set_image_params (RfTestStream *s,
                                 const char   *size,
                                 const char   *quality,
                                 const char   *background)
{
  replace_str (&s->size, size);
  replace_str (&s->quality, quality);
  replace_str (&s->background, background);
}

gint64
rf_test_stream_get_seq (RfTestStream *s)
{
  return s->seq;
}

void
rf_test_stream_set_seq (RfTestStream *s,
                        gint64        seq)
{
  s->seq = seq;
}

gint64
rf_test_stream_next_seq (RfTestStream *s)
{
  return s->seq++;
}

void
rf_test_stream_add_raw (RfTestStream *s,
                        const char   *text)
{
  g_string_append (s->text, text);
}

void
rf_test_stream_comment (RfTestStream *s,
                        const char   *text)
{
  g_string_append (s->text, ": ");
  g_string_append (s->text, text);
  g_string_append (s->text, s->newline);
  g_string_append (s->text, s->newline);
}

/* Frames one event; @type NULL writes no event: line. */
static void
write_event (RfTestStream *s,
             const char   *type,
             const char   *json)
{
  if (type != NULL && s->flavor != RF_TEST_FLAVOR_OPENROUTER)
    {
      g_string_append (s->text, "event: ");
      g_string_append (s->text, type);
      g_string_append (s->text, s->newline);
    }
  g_string_append (s->text, "data: ");
  g_string_append (s->text, json);
  g_string_append (s->text, s->newline);
  g_string_append (s->text, s->newline);
}

void
rf_test_stream_add_event (RfTestStream *s,
                          const char   *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *type = NULL;

  if (json_parser_load_from_data (parser, json, -1, NULL))
    {
      JsonNode *root = json_parser_get_root (parser);

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *object = json_node_get_object (root);
          JsonNode *node;

          node = json_object_get_member (object, "type");
          if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_STRING)
            type = g_strdup (json_node_get_string (node));

          node = json_object_get_member (object, "sequence_number");
          if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_INT64)
            s->seq = json_node_get_int (node) + 1;
        }
    }

  write_event (s, type, json);
}

void
rf_test_stream_add_eventf (RfTestStream *s,
                           const char   *format,
                           ...)
{
  g_autofree char *json = NULL;
  va_list args;

  va_start (args, format);
  json = g_strdup_vprintf (format, args);
  va_end (args);

  rf_test_stream_add_event (s, json);
}

static GString *
begin_event (RfTestStream *s,
             const char   *type,
             gboolean      with_seq)
{
  GString *json = g_string_new ("{\"type\":");

  append_json_string (json, type);
  if (with_seq)
    g_string_append_printf (json, ",\"sequence_number\":%" G_GINT64_FORMAT, s->seq++);
  return json;
}

static void
end_event (RfTestStream *s,
           const char   *type,
           GString      *json)
{
  g_string_append_c (json, '}');
  write_event (s, type, json->str);
  g_string_free (json, TRUE);
}

static gboolean
is_openai (RfTestStream *s)
{
  return s->flavor != RF_TEST_FLAVOR_OPENROUTER;
}

static void
append_response (RfTestStream *s,
                 GString      *json,
                 const char   *status,
                 int           partial_images)
{
  g_string_append (json, ",\"response\":{\"id\":");
  append_json_string (json, s->resp_id);
  g_string_append (json, ",\"object\":\"response\",\"created_at\":1758000000,\"status\":");
  append_json_string (json, status);
  if (is_openai (s))
    g_string_append (json, ",\"background\":false");
  g_string_append (json, ",\"error\":null,\"incomplete_details\":null"
                         ",\"instructions\":null,\"model\":\"gpt-5\",\"output\":[]"
                         ",\"parallel_tool_calls\":true,\"store\":");
  g_string_append (json, is_openai (s) ? "true" : "false");
  g_string_append (json, ",\"tool_choice\":\"auto\",\"tools\":[{\"type\":\"image_generation\""
                         ",\"background\":\"auto\",\"moderation\":\"auto\",\"n\":1"
                         ",\"output_compression\":100,\"output_format\":\"png\"");
  if (partial_images >= 0)
    g_string_append_printf (json, ",\"partial_images\":%d", partial_images);
  g_string_append (json, ",\"quality\":\"auto\",\"size\":\"auto\"}],\"usage\":null}");
}

void
rf_test_stream_created (RfTestStream *s,
                        const char   *resp_id,
                        int           partial_images)
{
  GString *json;

  replace_str (&s->resp_id, resp_id);
  json = begin_event (s, "response.created", TRUE);
  append_response (s, json, "in_progress", partial_images);
  end_event (s, "response.created", json);
}

void
rf_test_stream_in_progress (RfTestStream *s)
{
  GString *json = begin_event (s, "response.in_progress", TRUE);

  append_response (s, json, "in_progress", -1);
  end_event (s, "response.in_progress", json);
}

void
rf_test_stream_item_added (RfTestStream *s,
                           int           output_index,
                           const char   *item_id)
{
  GString *json = begin_event (s, "response.output_item.added", TRUE);

  g_string_append_printf (json, ",\"output_index\":%d,\"item\":{\"id\":", output_index);
  append_json_string (json, item_id);
  g_string_append (json, ",\"type\":\"image_generation_call\",\"status\":\"in_progress\"}");
  end_event (s, "response.output_item.added", json);
}

void
rf_test_stream_call_status (RfTestStream *s,
                            int           output_index,
                            const char   *item_id,
                            const char   *status)
{
  g_autofree char *type = g_strconcat ("response.image_generation_call.", status, NULL);
  GString *json = begin_event (s, type, TRUE);

  g_string_append_printf (json, ",\"output_index\":%d,\"item_id\":", output_index);
  append_json_string (json, item_id);
  end_event (s, type, json);
}

void
rf_test_stream_partial (RfTestStream *s,
                        int           output_index,
                        const char   *item_id,
                        int           partial_index,
                        GBytes       *image)
{
  const char *type = "response.image_generation_call.partial_image";
  GString *json = begin_event (s, type, TRUE);

  g_string_append_printf (json, ",\"output_index\":%d,\"item_id\":", output_index);
  append_json_string (json, item_id);
  g_string_append_printf (json, ",\"partial_image_index\":%d,\"partial_image_b64\":", partial_index);
  append_b64 (json, image);
  if (is_openai (s))
    {
      g_string_append (json, ",\"size\":");
      append_size (s, json, image);
      g_string_append (json, ",\"quality\":");
      append_json_string (json, s->quality);
      g_string_append (json, ",\"background\":");
      append_json_string (json, s->background);
      g_string_append (json, ",\"output_format\":");
      append_json_string (json, sniff_format (image));
    }
  end_event (s, type, json);
}

static void
append_image_item (RfTestStream *s,
                   GString      *json,
                   const char   *item_id,
                   GBytes       *image,
                   const char   *revised_prompt)
{
  g_string_append (json, "{\"id\":");
  append_json_string (json, item_id);
  g_string_append (json, ",\"type\":\"image_generation_call\",\"status\":");
  append_json_string (json, image != NULL ? "completed" : "failed");
  if (is_openai (s))
    {
      g_string_append (json, ",\"background\":");
      append_json_string (json, s->background);
      g_string_append (json, ",\"output_format\":");
      append_json_string (json, sniff_format (image));
      g_string_append (json, ",\"quality\":");
      append_json_string (json, s->quality);
    }
  g_string_append (json, ",\"result\":");
  append_b64 (json, image);
  if (revised_prompt != NULL)
    {
      g_string_append (json, ",\"revised_prompt\":");
      append_json_string (json, revised_prompt);
    }
  if (is_openai (s))
    {
      g_string_append (json, ",\"size\":");
      append_size (s, json, image);
    }
  g_string_append_c (json, '}');
}

void
rf_test_stream_item_done (RfTestStream *s,
                          int           output_index,
                          const char   *item_id,
                          GBytes       *final_image,
                          const char   *revised_prompt)
{
  GString *json = begin_event (s, "response.output_item.done", TRUE);

  g_string_append_printf (json, ",\"output_index\":%d,\"item\":", output_index);
  append_image_item (s, json, item_id, final_image, revised_prompt);
  end_event (s, "response.output_item.done", json);
}

void
rf_test_stream_image_call (RfTestStream  *s,
                           int            output_index,
                           const char    *item_id,
                           GBytes       **partials,
                           guint          n_partials,
                           GBytes        *final_image,
                           const char    *revised_prompt)
{
  rf_test_stream_item_added (s, output_index, item_id);
  rf_test_stream_call_status (s, output_index, item_id, "in_progress");
  rf_test_stream_call_status (s, output_index, item_id, "generating");
  for (guint i = 0; i < n_partials; i++)
    rf_test_stream_partial (s, output_index, item_id, i, partials[i]);
  rf_test_stream_call_status (s, output_index, item_id, "completed");
  rf_test_stream_item_done (s, output_index, item_id, final_image, revised_prompt);
}

void
rf_test_stream_completed_multi (RfTestStream       *s,
                                const char         *resp_id,
                                const RfTestOutput *outputs,
                                guint               n_outputs)
{
  GString *json = begin_event (s, "response.completed", TRUE);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  replace_str (&s->resp_id, resp_id);
  g_string_append (json, ",\"response\":{\"id\":");
  append_json_string (json, s->resp_id);
  g_string_append (json, ",\"object\":\"response\",\"created_at\":1758000000"
                         ",\"status\":\"completed\"");
  if (is_openai (s))
    g_string_append (json, ",\"background\":false");
  g_string_append (json, ",\"error\":null,\"incomplete_details\":null"
                         ",\"model\":\"gpt-5\",\"output\":[");

  /* output[] is ordered by output_index. */
  for (guint i = 0; i < n_outputs; i++)
    g_ptr_array_add (sorted, (gpointer) &outputs[i]);
  for (guint i = 0; i < sorted->len; i++)
    for (guint j = i + 1; j < sorted->len; j++)
      if (((RfTestOutput *) sorted->pdata[j])->output_index <
          ((RfTestOutput *) sorted->pdata[i])->output_index)
        {
          gpointer tmp = sorted->pdata[i];

          sorted->pdata[i] = sorted->pdata[j];
          sorted->pdata[j] = tmp;
        }

  for (guint i = 0; i < sorted->len; i++)
    {
      const RfTestOutput *o = sorted->pdata[i];

      if (i > 0)
        g_string_append_c (json, ',');
      append_image_item (s, json, o->item_id, o->image, o->revised_prompt);
    }

  g_string_append (json, "],\"usage\":{\"input_tokens\":58,\"output_tokens\":1612"
                         ",\"total_tokens\":1670}}");
  end_event (s, "response.completed", json);
}

void
rf_test_stream_completed (RfTestStream *s,
                          const char   *resp_id,
                          const char   *item_id,
                          GBytes       *final_image)
{
  RfTestOutput output = { 0, item_id, final_image, NULL };

  rf_test_stream_completed_multi (s, resp_id, &output, item_id != NULL ? 1 : 0);
}

void
rf_test_stream_failed (RfTestStream *s,
                       const char   *code,
                       const char   *message)
{
  GString *json = begin_event (s, "response.failed", TRUE);

  g_string_append (json, ",\"response\":{\"id\":");
  append_json_string (json, s->resp_id);
  g_string_append (json, ",\"object\":\"response\",\"created_at\":1758000000"
                         ",\"status\":\"failed\",\"error\":{\"code\":");
  append_json_string (json, code);
  g_string_append (json, ",\"message\":");
  append_json_string (json, message);
  g_string_append (json, "},\"incomplete_details\":null,\"model\":\"gpt-5\",\"output\":[]}");
  end_event (s, "response.failed", json);
}

void
rf_test_stream_incomplete (RfTestStream *s,
                           const char   *reason)
{
  GString *json = begin_event (s, "response.incomplete", TRUE);

  g_string_append (json, ",\"response\":{\"id\":");
  append_json_string (json, s->resp_id);
  g_string_append (json, ",\"object\":\"response\",\"created_at\":1758000000"
                         ",\"status\":\"incomplete\",\"error\":null"
                         ",\"incomplete_details\":{\"reason\":");
  append_json_string (json, reason);
  g_string_append (json, "},\"model\":\"gpt-5\",\"output\":[]}");
  end_event (s, "response.incomplete", json);
}

void
rf_test_stream_error_flat (RfTestStream *s,
                           const char   *code,
                           const char   *message)
{
  GString *json = g_string_new ("{\"type\":\"error\",\"code\":");

  append_json_string (json, code);
  g_string_append (json, ",\"message\":");
  append_json_string (json, message);
  g_string_append (json, ",\"param\":null");
  if (s->flavor != RF_TEST_FLAVOR_IMAGES)
    g_string_append_printf (json, ",\"sequence_number\":%" G_GINT64_FORMAT, s->seq++);
  end_event (s, "error", json);
}

void
rf_test_stream_error_nested (RfTestStream *s,
                             const char   *type,
                             const char   *code,
                             const char   *message)
{
  GString *json = begin_event (s, "error", s->flavor != RF_TEST_FLAVOR_IMAGES);

  g_string_append (json, ",\"error\":{\"type\":");
  append_json_string (json, type);
  g_string_append (json, ",\"code\":");
  append_json_string (json, code);
  g_string_append (json, ",\"message\":");
  append_json_string (json, message);
  g_string_append (json, ",\"param\":null}");
  end_event (s, "error", json);
}

void
rf_test_stream_keepalive (RfTestStream *s)
{
  if (s->flavor == RF_TEST_FLAVOR_OPENROUTER)
    rf_test_stream_comment (s, "OPENROUTER PROCESSING");
  else
    end_event (s, "keepalive", begin_event (s, "keepalive", TRUE));
}

void
rf_test_stream_done (RfTestStream *s)
{
  g_string_append (s->text, "data: [DONE]");
  g_string_append (s->text, s->newline);
  g_string_append (s->text, s->newline);
}

static void
append_images_params (RfTestStream *s,
                      GString      *json,
                      GBytes       *image)
{
  g_string_append (json, ",\"created_at\":1758000000,\"size\":");
  append_size (s, json, image);
  g_string_append (json, ",\"quality\":");
  append_json_string (json, s->quality);
  g_string_append (json, ",\"background\":");
  append_json_string (json, s->background);
  g_string_append (json, ",\"output_format\":");
  append_json_string (json, sniff_format (image));
}

void
rf_test_stream_images_partial (RfTestStream *s,
                               int           partial_index,
                               GBytes       *image)
{
  const char *type = "image_generation.partial_image";
  GString *json = begin_event (s, type, FALSE);

  if (s->flavor == RF_TEST_FLAVOR_OPENROUTER)
    {
      g_string_append_printf (json, ",\"partial_image_index\":%d,\"b64_json\":", partial_index);
      append_b64 (json, image);
    }
  else
    {
      g_string_append (json, ",\"b64_json\":");
      append_b64 (json, image);
      g_string_append_printf (json, ",\"partial_image_index\":%d", partial_index);
      append_images_params (s, json, image);
    }
  end_event (s, type, json);
}

void
rf_test_stream_images_completed (RfTestStream *s,
                                 GBytes       *image)
{
  const char *type = "image_generation.completed";
  GString *json = begin_event (s, type, FALSE);

  g_string_append (json, ",\"b64_json\":");
  append_b64 (json, image);
  if (s->flavor == RF_TEST_FLAVOR_OPENROUTER)
    {
      g_string_append (json, ",\"created\":1758000000,\"media_type\":\"image/");
      g_string_append (json, sniff_format (image));
      g_string_append (json, "\",\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1290"
                             ",\"total_tokens\":1302,\"cost\":0.0112}");
    }
  else
    {
      append_images_params (s, json, image);
      g_string_append (json, ",\"usage\":{\"total_tokens\":4220,\"input_tokens\":50"
                             ",\"output_tokens\":4170,\"input_tokens_details\":"
                             "{\"text_tokens\":50,\"image_tokens\":0}}");
    }
  end_event (s, type, json);
}

const char *
rf_test_stream_peek (RfTestStream *s,
                     gsize        *len)
{
  if (len != NULL)
    *len = s->text->len;
  return s->text->str;
}

GBytes *
rf_test_stream_to_bytes (RfTestStream *s)
{
  return g_bytes_new (s->text->str, s->text->len);
}

GBytes *
rf_test_build_stream (RfTestFlavor   flavor,
                      guint          n_partials,
                      RfImageFormat  format,
                      gboolean       alpha,
                      GPtrArray    **images_out)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (flavor);
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GBytes *final_image;

  for (guint i = 0; i <= n_partials; i++)
    g_ptr_array_add (images, rf_test_make_image (format, 16, 16, alpha, i));
  final_image = images->pdata[n_partials];

  if (flavor == RF_TEST_FLAVOR_IMAGES)
    {
      for (guint i = 0; i < n_partials; i++)
        rf_test_stream_images_partial (s, i, images->pdata[i]);
      rf_test_stream_images_completed (s, final_image);
    }
  else
    {
      rf_test_stream_created (s, flavor == RF_TEST_FLAVOR_OPENROUTER ? "gen-1" : "resp_1",
                              flavor == RF_TEST_FLAVOR_OPENROUTER ? -1 : (int) n_partials);
      rf_test_stream_in_progress (s);
      rf_test_stream_image_call (s, 0, "ig_1", (GBytes **) images->pdata, n_partials,
                                 final_image, "A test image");
      rf_test_stream_completed (s, NULL, "ig_1", final_image);
      if (flavor == RF_TEST_FLAVOR_OPENROUTER)
        rf_test_stream_done (s);
    }

  if (images_out != NULL)
    *images_out = g_steal_pointer (&images);

  return rf_test_stream_to_bytes (s);
}
