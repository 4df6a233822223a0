/*
 * rf-bench-gen.c
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

#define G_LOG_DOMAIN "rf-bench-gen"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "rf-synth.h"

/* Writes a deterministic Responses-API event stream for the benchmark:
 * N images, each with P partial frames and a final one, all at the same
 * size and format. Grain is added so the PNG frames compress like the
 * photographs the API returns (≈ 1.5 MB for 1024², not the few hundred
 * kilobytes a smooth synthetic scene would give). */

#define ITEM_FMT "ig_bench_%03u"

/* With --pace, every event carries a recording's `: t=<ms>` line just
 * before the blank line that ends it, so a replay at recorded pace
 * delivers image events MS apart, as a live generation does (seconds
 * apart, in fact), and T is the moment of the event's last byte: the
 * payload before it has been received and scanned, as it is when it
 * trickles in over the network. */
static guint pace_ms;
static guint64 now_ms;

static guint32
xorshift (guint32 *state)
{
  guint32 x = *state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

static void
add_grain (GdkPixbuf *pixbuf,
           guint      amplitude,
           guint32    seed)
{
  int w = gdk_pixbuf_get_width (pixbuf);
  int h = gdk_pixbuf_get_height (pixbuf);
  int n = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  guint32 state = seed * 2654435761u + 1;

  if (amplitude == 0)
    return;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + (gsize) x * n;
        /* Luma grain: the same offset on every channel, like film. */
        int d = (int) (xorshift (&state) % (2 * amplitude + 1)) - (int) amplitude;

        for (int c = 0; c < 3; c++)
          p[c] = (guint8) CLAMP (p[c] + d, 0, 255);
      }
}

/* With --photos, the frames are cut from photographs instead: the
 * benchmark must not be tuned to what the synthetic renderer draws. */
static GPtrArray *photos;   /* GdkPixbuf, one per image */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
load_photos (const char *dir,
             guint       n)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  const char *name;

  d = g_dir_open (dir, 0, &error);
  if (d == NULL)
    g_error ("%s", error->message);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".jpg") || g_str_has_suffix (name, ".jpeg") ||
        g_str_has_suffix (name, ".png") || g_str_has_suffix (name, ".webp"))
      g_ptr_array_add (names, g_strdup (name));
  /* Sorted, so the stream is the same on every machine with the same
   * photographs. */
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len && out->len < n; i++)
    {
      g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);
      g_autoptr(GError) load_error = NULL;
      GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, &load_error);

      if (pixbuf == NULL)
        g_error ("%s", load_error->message);
      g_ptr_array_add (out, pixbuf);
    }

  if (out->len < n)
    g_error ("%s holds %u photographs, %u wanted", dir, out->len, n);

  return out;
}

/* Frame @step of @n_steps: a @size square of the photograph at its own
 * resolution (scaling would smooth away the detail that makes photographs
 * weigh what they do), centred for the final frame and each partial 24 px
 * further off (a view settling, as a generation's previews move), made
 * opaque RGB. A photograph smaller than @size is scaled up to fit. */
static GdkPixbuf *
photo_frame (GdkPixbuf *photo,
             int        size,
             guint      step,
             guint      n_steps)
{
  int w = gdk_pixbuf_get_width (photo);
  int h = gdk_pixbuf_get_height (photo);
  double scale = MAX (1.0, (double) size / MIN (w, h));
  int sw = (int) (w * scale), sh = (int) (h * scale);
  int x = (sw - size) / 2 - 24 * (int) (n_steps - 1 - step);
  int y = (sh - size) / 2;
  GdkPixbuf *rgb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, size, size);

  x = CLAMP (x, 0, sw - size);
  gdk_pixbuf_fill (rgb, 0xffffffff);
  gdk_pixbuf_composite (photo, rgb, 0, 0, size, size, -x, -y, scale, scale,
                        GDK_INTERP_BILINEAR, 255);
  return rgb;
}

static char *
render_b64 (int           size,
            guint         image,
            guint         step,
            guint         n_steps,
            RfImageFormat format,
            guint         grain,
            gsize        *encoded_len)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data;

  if (photos != NULL)
    pixbuf = photo_frame (photos->pdata[image], size, step, n_steps);
  else
    {
      pixbuf = rf_synth_render (size, size, 1000 + image, step, n_steps, FALSE);
      add_grain (pixbuf, grain, image * 16 + step);
    }
  bytes = rf_synth_encode (pixbuf, format, &error);
  if (bytes == NULL)
    g_error ("encoding failed: %s", error->message);

  data = g_bytes_get_data (bytes, &len);
  *encoded_len = len;
  return g_base64_encode (data, len);
}

static void
emit (FILE       *out,
      const char *type,
      guint      *seq,
      const char *body_format,
      ...) G_GNUC_PRINTF (4, 5);

/* One event: "event:" line, one "data:" line of JSON, blank line. */
static void
emit (FILE       *out,
      const char *type,
      guint      *seq,
      const char *body_format,
      ...)
{
  va_list args;

  if (pace_ms > 0)
    now_ms += strstr (type, "partial_image") || strstr (type, "output_item.done") ? pace_ms : 1;

  fprintf (out, "event: %s\ndata: {\"type\":\"%s\",\"sequence_number\":%u", type, type, (*seq)++);
  va_start (args, body_format);
  vfprintf (out, body_format, args);
  va_end (args);
  fputs ("}\n", out);
  if (pace_ms > 0)
    fprintf (out, ": t=%" G_GUINT64_FORMAT "\n", now_ms);
  fputs ("\n", out);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *photo_dir = NULL;
  int images = 25;
  int partials = 3;
  int size = 1024;
  int grain = 13;
  int pace = 0;
  RfImageFormat format;
  guint64 total_encoded = 0;
  guint seq = 0;
  FILE *out;
  const GOptionEntry entries[] = {
    { "images", 'n', 0, G_OPTION_ARG_INT, &images, "Images in the stream (25)", "N" },
    { "partials", 'p', 0, G_OPTION_ARG_INT, &partials, "Partial frames per image (3)", "N" },
    { "size", 's', 0, G_OPTION_ARG_INT, &size, "Side of the square images (1024)", "PX" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "png, jpeg or webp (png)", "FORMAT" },
    { "grain", 'g', 0, G_OPTION_ARG_INT, &grain, "Grain amplitude (13)", "N" },
    { "pace", 0, 0, G_OPTION_ARG_INT, &pace, "Write recording timing: image events MS apart (0: none)", "MS" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Stream file to write", "FILE" },
    { "photos", 0, 0, G_OPTION_ARG_FILENAME, &photo_dir, "Cut the frames from the photographs in DIR (no grain)", "DIR" },
    { NULL }
  };

  context = g_option_context_new ("— write a benchmark event stream");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("rf-bench-gen: %s\n", error->message);
      return 2;
    }
  if (output == NULL || images < 1 || partials < 0 || size < 16 || grain < 0 || grain > 64 || pace < 0)
    {
      g_printerr ("rf-bench-gen: give --output FILE and sane numbers\n");
      return 2;
    }

  if (format_name == NULL || g_str_equal (format_name, "png"))
    format = RF_IMAGE_FORMAT_PNG;
  else if (g_str_equal (format_name, "jpeg"))
    format = RF_IMAGE_FORMAT_JPEG;
  else if (g_str_equal (format_name, "webp"))
    format = RF_IMAGE_FORMAT_WEBP;
  else
    {
      g_printerr ("rf-bench-gen: unknown format %s\n", format_name);
      return 2;
    }

  pace_ms = pace;
  if (photo_dir != NULL)
    photos = load_photos (photo_dir, images);
  out = fopen (output, "wb");
  if (out == NULL)
    {
      g_printerr ("rf-bench-gen: cannot write %s\n", output);
      return 2;
    }

  emit (out, "response.created", &seq,
        ",\"response\":{\"id\":\"resp_bench\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}");
  emit (out, "response.in_progress", &seq,
        ",\"response\":{\"id\":\"resp_bench\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}");

  for (guint i = 0; i < (guint) images; i++)
    {
      const char *fmt = rf_image_format_to_string (format);

      emit (out, "response.output_item.added", &seq,
            ",\"output_index\":%u,\"item\":{\"id\":\"" ITEM_FMT "\",\"type\":\"image_generation_call\",\"status\":\"in_progress\"}",
            i, i);
      emit (out, "response.image_generation_call.in_progress", &seq,
            ",\"output_index\":%u,\"item_id\":\"" ITEM_FMT "\"", i, i);
      emit (out, "response.image_generation_call.generating", &seq,
            ",\"output_index\":%u,\"item_id\":\"" ITEM_FMT "\"", i, i);

      for (guint step = 0; step <= (guint) partials; step++)
        {
          gsize encoded_len;
          g_autofree char *b64 = render_b64 (size, i, step, partials + 1, format, grain, &encoded_len);

          total_encoded += encoded_len;
          if (step < (guint) partials)
            emit (out, "response.image_generation_call.partial_image", &seq,
                  ",\"output_index\":%u,\"item_id\":\"" ITEM_FMT "\",\"partial_image_index\":%u,"
                  "\"partial_image_b64\":\"%s\",\"size\":\"%dx%d\",\"quality\":\"high\","
                  "\"background\":\"opaque\",\"output_format\":\"%s\"",
                  i, i, step, b64, size, size, fmt);
          else
            {
              emit (out, "response.image_generation_call.completed", &seq,
                    ",\"output_index\":%u,\"item_id\":\"" ITEM_FMT "\"", i, i);
              emit (out, "response.output_item.done", &seq,
                    ",\"output_index\":%u,\"item\":{\"id\":\"" ITEM_FMT "\",\"type\":\"image_generation_call\","
                    "\"status\":\"completed\",\"background\":\"opaque\",\"output_format\":\"%s\","
                    "\"quality\":\"high\",\"result\":\"%s\",\"revised_prompt\":\"Benchmark image %u\","
                    "\"size\":\"%dx%d\"}",
                    i, i, fmt, b64, i, size, size);
            }
        }
    }

  /* The response repeats no image: every frame is in the stream once. */
  emit (out, "response.completed", &seq,
        ",\"response\":{\"id\":\"resp_bench\",\"object\":\"response\",\"status\":\"completed\",\"output\":[]}");

  if (fclose (out) != 0)
    {
      g_printerr ("rf-bench-gen: writing %s failed\n", output);
      return 2;
    }

  g_print ("%s: %d images x %d frames, %" G_GUINT64_FORMAT " encoded image bytes\n",
           output, images, partials + 1, total_encoded);
  g_clear_pointer (&photos, g_ptr_array_unref);
  return 0;
}
