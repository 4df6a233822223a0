/*
 * test-synth.c
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

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "rf-synth.h"
#include "rf-test-util.h"

static gboolean
have_webp (void)
{
  g_autoptr(GSList) formats = gdk_pixbuf_get_formats ();

  for (const GSList *l = formats; l != NULL; l = l->next)
    {
      g_autofree char *name = gdk_pixbuf_format_get_name (l->data);

      if (g_strcmp0 (name, "webp") == 0)
        return TRUE;
    }

  return FALSE;
}

static void
test_determinism (void)
{
  for (guint alpha = 0; alpha < 2; alpha++)
    for (guint step = 0; step < 4; step++)
      {
        g_autoptr(GdkPixbuf) a = rf_synth_render (96, 64, 7, step, 4, alpha);
        g_autoptr(GdkPixbuf) b = rf_synth_render (96, 64, 7, step, 4, alpha);
        g_autoptr(GdkPixbuf) c = rf_synth_render (96, 64, 8, step, 4, alpha);

        g_assert_cmpint (gdk_pixbuf_get_width (a), ==, 96);
        g_assert_cmpint (gdk_pixbuf_get_height (a), ==, 64);
        g_assert_cmpint (gdk_pixbuf_get_has_alpha (a), ==, alpha);
        g_assert_true (rf_test_pixbufs_equal (a, b));
        g_assert_false (rf_test_pixbufs_equal (a, c));
        g_assert_cmpfloat (rf_test_pixbufs_mean_diff (a, c), >, 1.0);
      }
}

static void
test_progression (void)
{
  for (guint alpha = 0; alpha < 2; alpha++)
    for (guint seed = 0; seed < 5; seed++)
      {
        g_autoptr(GdkPixbuf) final = rf_synth_render (256, 256, seed, 3, 4, alpha);
        double previous = G_MAXDOUBLE;

        for (guint step = 0; step < 4; step++)
          {
            g_autoptr(GdkPixbuf) frame = rf_synth_render (256, 256, seed, step, 4, alpha);
            double diff = rf_test_pixbufs_mean_diff (frame, final);

            g_test_message ("alpha %u seed %u step %u: mean diff %.3f", alpha, seed, step, diff);
            g_assert_cmpfloat (diff, >=, 0);
            g_assert_cmpfloat (diff, <, previous);
            previous = diff;
          }
        g_assert_cmpfloat (previous, ==, 0);
      }
}

static void
test_single_step (void)
{
  /* One step is the sharp image itself. */
  g_autoptr(GdkPixbuf) a = rf_synth_render (64, 48, 3, 0, 1, FALSE);
  g_autoptr(GdkPixbuf) b = rf_synth_render (64, 48, 3, 5, 6, FALSE);
  g_autoptr(GdkPixbuf) tiny = rf_synth_render (1, 1, 3, 0, 4, TRUE);

  g_assert_true (rf_test_pixbufs_equal (a, b));
  g_assert_nonnull (tiny);
  g_assert_cmpint (gdk_pixbuf_get_width (tiny), ==, 1);
}

static void
test_alpha_shape (void)
{
  g_autoptr(GdkPixbuf) pixbuf = rf_synth_render (128, 128, 11, 3, 4, TRUE);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  guint transparent = 0, opaque = 0, soft = 0;

  for (int y = 0; y < 128; y++)
    for (int x = 0; x < 128; x++)
      {
        guint8 a = pixels[y * rowstride + x * 4 + 3];

        if (a == 0)
          transparent++;
        else if (a == 255)
          opaque++;
        else
          soft++;
      }

  g_assert_cmpuint (pixels[3], ==, 0);                       /* corner */
  g_assert_cmpuint (pixels[64 * rowstride + 64 * 4 + 3], ==, 255); /* centre */
  g_assert_cmpuint (transparent, >, 128 * 128 / 10);
  g_assert_cmpuint (opaque, >, 128 * 128 / 10);
  g_assert_cmpuint (soft, >, 100);
}

static void
test_speed (void)
{
  gint64 start, elapsed;
  g_autoptr(GdkPixbuf) warm = rf_synth_render (256, 256, 1, 3, 4, FALSE);

  (void) warm;

  if (!g_test_perf () && !g_test_thorough ())
    {
      /* Keep a generous bound in ordinary runs (sanitizer builds, -O0);
       * the real target is checked with -m perf. */
      start = g_get_monotonic_time ();
      g_object_unref (rf_synth_render (1024, 1024, 1, 3, 4, FALSE));
      elapsed = g_get_monotonic_time () - start;
      g_test_message ("1024x1024 render: %" G_GINT64_FORMAT " µs", elapsed);
      g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
      return;
    }

  for (guint step = 0; step < 4; step++)
    for (guint alpha = 0; alpha < 2; alpha++)
      {
        start = g_get_monotonic_time ();
        g_object_unref (rf_synth_render (1024, 1024, 1, step, 4, alpha));
        elapsed = g_get_monotonic_time () - start;
        g_test_minimized_result (elapsed / 1000.0, "1024x1024 step %u alpha %u: %.1f ms",
                                 step, alpha, elapsed / 1000.0);
        g_assert_cmpint (elapsed, <, 100 * 1000);
      }
}

static void
check_round_trip (RfImageFormat format,
                  gboolean      alpha)
{
  g_autoptr(GdkPixbuf) pixbuf = rf_synth_render (120, 80, 5, 3, 4, alpha);
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize len;

  bytes = rf_synth_encode (pixbuf, format, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);

  switch (format)
    {
    case RF_IMAGE_FORMAT_PNG:
      g_assert_cmpmem (data, 4, "\x89PNG", 4);
      break;
    case RF_IMAGE_FORMAT_JPEG:
      g_assert_cmpmem (data, 3, "\xff\xd8\xff", 3);
      break;
    case RF_IMAGE_FORMAT_WEBP:
      g_assert_cmpmem (data, 4, "RIFF", 4);
      g_assert_cmpmem (data + 8, 4, "WEBP", 4);
      break;
    case RF_IMAGE_FORMAT_SVG:
    case RF_IMAGE_FORMAT_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  decoded = rf_test_decode (bytes);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded), ==, 120);
  g_assert_cmpint (gdk_pixbuf_get_height (decoded), ==, 80);

  if (format == RF_IMAGE_FORMAT_PNG)
    {
      g_assert_cmpint (gdk_pixbuf_get_has_alpha (decoded), ==, alpha);
      g_assert_true (rf_test_pixbufs_equal (pixbuf, decoded));
    }
  else
    {
      g_assert_cmpfloat (rf_test_pixbufs_mean_diff (pixbuf, decoded), <, 6.0);
      if (format == RF_IMAGE_FORMAT_WEBP && alpha)
        {
          const guint8 *p = gdk_pixbuf_read_pixels (decoded);
          int rowstride = gdk_pixbuf_get_rowstride (decoded);

          g_assert_true (gdk_pixbuf_get_has_alpha (decoded));
          g_assert_cmpuint (p[3], ==, 0);
          g_assert_cmpuint (p[40 * rowstride + 60 * 4 + 3], ==, 255);
        }
    }
}

static void
test_encode_png (void)
{
  check_round_trip (RF_IMAGE_FORMAT_PNG, FALSE);
  check_round_trip (RF_IMAGE_FORMAT_PNG, TRUE);
}

static void
test_encode_jpeg (void)
{
  g_autoptr(GdkPixbuf) alpha = rf_synth_render (32, 32, 1, 3, 4, TRUE);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  check_round_trip (RF_IMAGE_FORMAT_JPEG, FALSE);

  /* Alpha is flattened, not refused. */
  bytes = rf_synth_encode (alpha, RF_IMAGE_FORMAT_JPEG, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
}

static void
test_encode_webp (void)
{
  if (!have_webp ())
    {
      g_test_skip ("WebP loader not installed");
      return;
    }

  check_round_trip (RF_IMAGE_FORMAT_WEBP, FALSE);
  check_round_trip (RF_IMAGE_FORMAT_WEBP, TRUE);
}

static void
test_encode_unknown (void)
{
  g_autoptr(GdkPixbuf) pixbuf = rf_synth_render (8, 8, 1, 0, 1, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = rf_synth_encode (pixbuf, RF_IMAGE_FORMAT_UNKNOWN, &error);

  g_assert_null (bytes);
  g_assert_error (error, RF_ERROR, RF_ERROR_UNSUPPORTED_FORMAT);
}

static void
test_realistic_size (void)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_thorough () && !g_test_perf ())
    {
      g_test_skip ("slow; run with -m thorough");
      return;
    }

  /* A 1024² frame should weigh about what the API sends (≈ 1 MB). */
  pixbuf = rf_synth_render (1024, 1024, 42, 3, 4, FALSE);
  bytes = rf_synth_encode (pixbuf, RF_IMAGE_FORMAT_PNG, &error);
  g_assert_no_error (error);
  g_test_message ("1024² PNG: %" G_GSIZE_FORMAT " bytes", g_bytes_get_size (bytes));
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 400 * 1024);
  g_assert_cmpuint (g_bytes_get_size (bytes), <, 4 * 1024 * 1024);
}

/* The test utilities */

static void
test_util_images (void)
{
  const RfImageFormat formats[] = { RF_IMAGE_FORMAT_PNG, RF_IMAGE_FORMAT_JPEG, RF_IMAGE_FORMAT_WEBP };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    for (guint alpha = 0; alpha < 2; alpha++)
      {
        g_autoptr(GBytes) a = NULL;
        g_autoptr(GBytes) b = NULL;
        g_autoptr(GBytes) a2 = NULL;
        g_autoptr(GdkPixbuf) pa = NULL;
        g_autoptr(GdkPixbuf) pb = NULL;

        if (formats[i] == RF_IMAGE_FORMAT_WEBP && !have_webp ())
          continue;

        a = rf_test_make_image (formats[i], 16, 12, alpha, 1);
        a2 = rf_test_make_image (formats[i], 16, 12, alpha, 1);
        b = rf_test_make_image (formats[i], 16, 12, alpha, 2);
        g_assert_true (g_bytes_equal (a, a2));
        g_assert_false (g_bytes_equal (a, b));
        g_assert_cmpuint (g_bytes_get_size (a), <, 4096);

        pa = rf_test_decode (a);
        pb = rf_test_decode (b);
        g_assert_cmpint (gdk_pixbuf_get_width (pa), ==, 16);
        g_assert_cmpint (gdk_pixbuf_get_height (pa), ==, 12);
        g_assert_false (rf_test_pixbufs_equal (pa, pb));

        if (alpha && formats[i] != RF_IMAGE_FORMAT_JPEG)
          {
            g_assert_true (gdk_pixbuf_get_has_alpha (pa));
            g_assert_cmpuint (gdk_pixbuf_read_pixels (pa)[3], ==, 0);
          }
        if (formats[i] == RF_IMAGE_FORMAT_PNG)
          {
            g_autoptr(GdkPixbuf) expected = rf_test_make_pixbuf (16, 12, alpha, 1);

            g_assert_true (rf_test_pixbufs_equal (pa, expected));
          }
      }
}

static void
test_util_pixbufs_equal (void)
{
  g_autoptr(GdkPixbuf) rgb = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 5, 3);
  g_autoptr(GdkPixbuf) rgba = NULL;
  g_autoptr(GdkPixbuf) other = NULL;

  gdk_pixbuf_fill (rgb, 0x336699ff);
  rgba = gdk_pixbuf_add_alpha (rgb, FALSE, 0, 0, 0);
  g_assert_cmpint (gdk_pixbuf_get_rowstride (rgb), !=, gdk_pixbuf_get_rowstride (rgba));
  g_assert_true (rf_test_pixbufs_equal (rgb, rgba));
  g_assert_cmpfloat (rf_test_pixbufs_mean_diff (rgb, rgba), ==, 0);

  gdk_pixbuf_read_pixels (rgba);
  gdk_pixbuf_get_pixels (rgba)[4 * 4 + 3] = 254;
  g_assert_false (rf_test_pixbufs_equal (rgb, rgba));

  other = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 5, 4);
  gdk_pixbuf_fill (other, 0x336699ff);
  g_assert_false (rf_test_pixbufs_equal (rgb, other));
  g_assert_cmpfloat (rf_test_pixbufs_mean_diff (rgb, other), ==, -1);
}

static void
test_util_base64_and_temp (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("hello", 5);
  g_autofree char *b64 = rf_test_base64 (bytes);
  g_autofree char *path = rf_test_write_temp_file (bytes, ".sse");
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_cmpstr (b64, ==, "aGVsbG8=");
  g_assert_true (g_str_has_suffix (path, ".sse"));
  g_assert_true (g_str_has_prefix (path, rf_test_get_temp_dir ()));
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, "hello", 5);
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
bomb_size_prepared_cb (GdkPixbufLoader *loader,
                       int              width,
                       int              height,
                       gpointer         user_data)
{
  int *size = user_data;

  size[0] = width;
  size[1] = height;
  /* Zero makes the loader stop before it allocates the pixels. */
  gdk_pixbuf_loader_set_size (loader, 0, 0);
}

static void
test_util_png_bomb (void)
{
  g_autoptr(GBytes) bomb = rf_test_make_png_header_bomb (60000, 50000);
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bomb, &len);
  int size[2] = { 0, 0 };

  g_assert_cmpuint (len, <, 200);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  g_assert_cmpuint (be32 (data + 16), ==, 60000);
  g_assert_cmpuint (be32 (data + 20), ==, 50000);

  /* The PNG reader checks the IHDR CRC before it reports the size. */
  g_signal_connect (loader, "size-prepared", G_CALLBACK (bomb_size_prepared_cb), size);
  if (gdk_pixbuf_loader_write_bytes (loader, bomb, &error))
    gdk_pixbuf_loader_close (loader, &error);
  g_assert_nonnull (error);
  g_assert_cmpint (size[0], ==, 60000);
  g_assert_cmpint (size[1], ==, 50000);
}


/* Stream builder */

typedef struct
{
  char       *event;   /* NULL without an event: line */
  char       *data;
  JsonObject *object;  /* NULL unless data is a JSON object */
} Block;

static void
block_free (Block *b)
{
  g_free (b->event);
  g_free (b->data);
  g_clear_pointer (&b->object, json_object_unref);
  g_free (b);
}

/* A minimal reader for what the builder writes: blocks separated by a
 * blank line, one optional event: line and one data: line; comment
 * blocks are returned with data = the comment. */
static GPtrArray *
parse_blocks (const char *text,
              const char *newline)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  g_autofree char *sep = g_strconcat (newline, newline, NULL);
  g_auto(GStrv) parts = g_strsplit (text, sep, -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) lines = NULL;
      Block *b;

      if (parts[i][0] == '\0')
        continue;

      b = g_new0 (Block, 1);
      lines = g_strsplit (parts[i], newline, -1);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          if (g_str_has_prefix (lines[j], "event: "))
            b->event = g_strdup (lines[j] + 7);
          else if (g_str_has_prefix (lines[j], "data: "))
            b->data = g_strdup (lines[j] + 6);
          else if (g_str_has_prefix (lines[j], ": "))
            b->data = g_strdup (lines[j]);
          else
            g_error ("unexpected line %s", lines[j]);
        }
      g_assert_nonnull (b->data);

      if (b->data[0] == '{')
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (json_parser_load_from_data (parser, b->data, -1, NULL))
            b->object = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
        }
      g_ptr_array_add (blocks, b);
    }

  return blocks;
}

static Block *
block_at (GPtrArray *blocks,
          guint      i)
{
  g_assert_cmpuint (i, <, blocks->len);
  return blocks->pdata[i];
}

static void
test_util_stream_responses (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 8, 8, FALSE, 1);
  g_autoptr(GBytes) p1 = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 8, 8, FALSE, 2);
  g_autoptr(GBytes) final = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 8, 8, FALSE, 3);
  GBytes *partials[] = { p0, p1 };
  g_autofree char *final_b64 = rf_test_base64 (final);
  g_autofree char *p1_b64 = rf_test_base64 (p1);
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *text;
  gsize len;
  JsonObject *o, *item;

  rf_test_stream_created (s, "resp_x", 2);
  rf_test_stream_in_progress (s);
  rf_test_stream_image_call (s, 0, "ig_a", partials, 2, final, "A revised prompt");
  rf_test_stream_keepalive (s);
  rf_test_stream_completed (s, NULL, "ig_a", final);

  text = rf_test_stream_peek (s, &len);
  bytes = rf_test_stream_to_bytes (s);
  g_assert_cmpmem (text, len, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_cmpuint (strlen (text), ==, len);
  g_assert_null (strstr (text, "[DONE]"));
  g_assert_true (g_str_has_prefix (text, "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,"));
  g_assert_true (g_str_has_suffix (text, "}\n\n"));

  blocks = parse_blocks (text, "\n");
  /* created, in_progress, added, in_progress, generating, 2 partials,
   * completed, done, keepalive, response.completed */
  g_assert_cmpuint (blocks->len, ==, 11);
  g_assert_cmpint (rf_test_stream_get_seq (s), ==, 11);

  for (guint i = 0; i < blocks->len; i++)
    {
      Block *b = block_at (blocks, i);

      g_assert_nonnull (b->object);
      g_assert_cmpstr (b->event, ==, json_object_get_string_member (b->object, "type"));
      g_assert_cmpint (json_object_get_int_member (b->object, "sequence_number"), ==, i);
    }

  o = block_at (blocks, 0)->object;
  item = json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (o, "response"), "tools"), 0);
  g_assert_cmpint (json_object_get_int_member (item, "partial_images"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "response"), "id"), ==, "resp_x");

  g_assert_cmpstr (block_at (blocks, 2)->event, ==, "response.output_item.added");
  g_assert_cmpstr (block_at (blocks, 3)->event, ==, "response.image_generation_call.in_progress");
  g_assert_cmpstr (block_at (blocks, 4)->event, ==, "response.image_generation_call.generating");

  o = block_at (blocks, 6)->object;
  g_assert_cmpstr (block_at (blocks, 6)->event, ==, "response.image_generation_call.partial_image");
  g_assert_cmpstr (json_object_get_string_member (o, "item_id"), ==, "ig_a");
  g_assert_cmpint (json_object_get_int_member (o, "output_index"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "partial_image_index"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "partial_image_b64"), ==, p1_b64);
  g_assert_cmpstr (json_object_get_string_member (o, "size"), ==, "8x8");
  g_assert_cmpstr (json_object_get_string_member (o, "quality"), ==, "low");
  g_assert_cmpstr (json_object_get_string_member (o, "background"), ==, "opaque");
  g_assert_cmpstr (json_object_get_string_member (o, "output_format"), ==, "png");

  g_assert_cmpstr (block_at (blocks, 7)->event, ==, "response.image_generation_call.completed");
  o = block_at (blocks, 8)->object;
  item = json_object_get_object_member (o, "item");
  g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, "ig_a");
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (item, "result"), ==, final_b64);
  g_assert_cmpstr (json_object_get_string_member (item, "revised_prompt"), ==, "A revised prompt");

  g_assert_cmpstr (block_at (blocks, 9)->event, ==, "keepalive");

  o = json_object_get_object_member (block_at (blocks, 10)->object, "response");
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, "resp_x");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "completed");
  item = json_array_get_object_element (json_object_get_array_member (o, "output"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "result"), ==, final_b64);
}

static void
test_util_stream_openrouter (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_OPENROUTER);
  g_autoptr(GBytes) img = rf_test_make_image (RF_IMAGE_FORMAT_WEBP, 8, 8, TRUE, 1);
  g_autoptr(GPtrArray) blocks = NULL;
  const char *text;
  JsonObject *o;

  rf_test_stream_created (s, "gen-42", -1);
  rf_test_stream_partial (s, 1, "ig_b", 0, img);
  rf_test_stream_keepalive (s);
  rf_test_stream_item_done (s, 1, "ig_other", img, NULL);
  rf_test_stream_done (s);

  text = rf_test_stream_peek (s, NULL);
  g_assert_true (g_str_has_prefix (text, ": OPENROUTER PROCESSING\n\ndata: {\"type\":\"response.created\""));
  g_assert_true (g_str_has_suffix (text, "\n\ndata: [DONE]\n\n"));
  g_assert_null (strstr (text, "event:"));
  g_assert_null (strstr (text, "partial_images"));

  blocks = parse_blocks (text, "\n");
  g_assert_cmpuint (blocks->len, ==, 6);
  g_assert_cmpstr (block_at (blocks, 0)->data, ==, ": OPENROUTER PROCESSING");
  g_assert_cmpstr (block_at (blocks, 3)->data, ==, ": OPENROUTER PROCESSING");
  g_assert_cmpstr (block_at (blocks, 5)->data, ==, "[DONE]");

  o = block_at (blocks, 2)->object;
  g_assert_cmpint (json_object_get_int_member (o, "sequence_number"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "output_index"), ==, 1);
  g_assert_false (json_object_has_member (o, "size"));
  g_assert_false (json_object_has_member (o, "output_format"));

  o = json_object_get_object_member (block_at (blocks, 4)->object, "item");
  g_assert_cmpint (json_object_get_int_member (block_at (blocks, 4)->object, "sequence_number"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, "ig_other");
  g_assert_false (json_object_has_member (o, "revised_prompt"));
  g_assert_false (json_object_has_member (o, "size"));
}

static void
test_util_stream_images (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_IMAGES);
  g_autoptr(RfTestStream) r = rf_test_stream_new (RF_TEST_FLAVOR_OPENROUTER);
  g_autoptr(GBytes) img = rf_test_make_image (RF_IMAGE_FORMAT_JPEG, 8, 8, FALSE, 1);
  g_autofree char *b64 = rf_test_base64 (img);
  g_autoptr(GPtrArray) blocks = NULL;
  JsonObject *o;

  rf_test_stream_images_partial (s, 0, img);
  rf_test_stream_images_completed (s, img);
  g_assert_cmpint (rf_test_stream_get_seq (s), ==, 0);

  blocks = parse_blocks (rf_test_stream_peek (s, NULL), "\n");
  g_assert_cmpuint (blocks->len, ==, 2);
  g_assert_cmpstr (block_at (blocks, 0)->event, ==, "image_generation.partial_image");
  o = block_at (blocks, 0)->object;
  g_assert_cmpstr (json_object_get_string_member (o, "b64_json"), ==, b64);
  g_assert_cmpint (json_object_get_int_member (o, "partial_image_index"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "output_format"), ==, "jpeg");
  g_assert_false (json_object_has_member (o, "sequence_number"));
  g_assert_cmpstr (block_at (blocks, 1)->event, ==, "image_generation.completed");
  o = block_at (blocks, 1)->object;
  g_assert_true (json_object_has_member (o, "usage"));
  g_assert_false (json_object_has_member (o, "partial_image_index"));

  /* OpenRouter's /images: data only, "created" instead of "created_at". */
  rf_test_stream_images_partial (r, 0, img);
  rf_test_stream_images_completed (r, img);
  rf_test_stream_done (r);
  g_clear_pointer (&blocks, g_ptr_array_unref);
  blocks = parse_blocks (rf_test_stream_peek (r, NULL), "\n");
  g_assert_cmpuint (blocks->len, ==, 4);
  g_assert_null (block_at (blocks, 1)->event);
  g_assert_false (json_object_has_member (block_at (blocks, 1)->object, "size"));
  g_assert_true (json_object_has_member (block_at (blocks, 2)->object, "created"));
}

static void
test_util_stream_raw (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GPtrArray) blocks = NULL;
  JsonObject *o;

  rf_test_stream_add_raw (s, ": hello\r\n\r\n");
  rf_test_stream_set_newline (s, "\r\n");
  rf_test_stream_add_event (s, "{\"type\":\"response.custom\",\"sequence_number\":41}");
  rf_test_stream_keepalive (s);
  rf_test_stream_add_event (s, "not json");
  rf_test_stream_add_eventf (s, "{\"type\":\"x\",\"sequence_number\":%d}", 7);
  rf_test_stream_error_flat (s, NULL, "Flat \"quoted\"");
  rf_test_stream_error_nested (s, "server_error", "server_error", "Nested");
  rf_test_stream_failed (s, "server_error", "Sorry");
  rf_test_stream_incomplete (s, "content_filter");
  g_assert_cmpint (rf_test_stream_next_seq (s), ==, 12);
  g_assert_cmpint (rf_test_stream_get_seq (s), ==, 13);
  rf_test_stream_set_seq (s, 100);
  rf_test_stream_keepalive (s);

  blocks = parse_blocks (rf_test_stream_peek (s, NULL), "\r\n");
  g_assert_cmpuint (blocks->len, ==, 10);
  g_assert_cmpstr (block_at (blocks, 1)->event, ==, "response.custom");
  g_assert_cmpint (json_object_get_int_member (block_at (blocks, 2)->object, "sequence_number"), ==, 42);
  g_assert_null (block_at (blocks, 3)->event);
  g_assert_cmpstr (block_at (blocks, 3)->data, ==, "not json");

  o = block_at (blocks, 5)->object;
  g_assert_cmpstr (block_at (blocks, 5)->event, ==, "error");
  g_assert_true (json_object_get_null_member (o, "code"));
  g_assert_cmpstr (json_object_get_string_member (o, "message"), ==, "Flat \"quoted\"");
  g_assert_cmpint (json_object_get_int_member (o, "sequence_number"), ==, 8);

  o = block_at (blocks, 6)->object;
  g_assert_cmpint (json_object_get_int_member (o, "sequence_number"), ==, 9);
  o = json_object_get_object_member (o, "error");
  g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "server_error");
  g_assert_cmpstr (json_object_get_string_member (o, "message"), ==, "Nested");

  o = json_object_get_object_member (block_at (blocks, 7)->object, "response");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "error"), "message"), ==, "Sorry");

  o = json_object_get_object_member (block_at (blocks, 8)->object, "response");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "incomplete_details"), "reason"), ==, "content_filter");

  g_assert_cmpint (json_object_get_int_member (block_at (blocks, 9)->object, "sequence_number"), ==, 100);
}

static void
test_util_build_stream (void)
{
  const RfTestFlavor flavors[] = { RF_TEST_FLAVOR_RESPONSES, RF_TEST_FLAVOR_OPENROUTER, RF_TEST_FLAVOR_IMAGES };

  for (guint f = 0; f < G_N_ELEMENTS (flavors); f++)
    {
      g_autoptr(GPtrArray) images = NULL;
      g_autoptr(GBytes) bytes = rf_test_build_stream (flavors[f], 2, RF_IMAGE_FORMAT_PNG, TRUE, &images);
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_autofree char *final_b64 = NULL;

      g_assert_cmpuint (images->len, ==, 3);
      final_b64 = rf_test_base64 (images->pdata[2]);
      g_assert_nonnull (strstr (text, final_b64));
      g_assert_cmpint (g_str_has_suffix (text, "data: [DONE]\n\n"), ==,
                       flavors[f] == RF_TEST_FLAVOR_OPENROUTER);
      if (flavors[f] == RF_TEST_FLAVOR_IMAGES)
        g_assert_nonnull (strstr (text, "event: image_generation.completed\n"));
      else
        g_assert_nonnull (strstr (text, "\"partial_image_index\":1,"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/synth/determinism", test_determinism);
  g_test_add_func ("/synth/progression", test_progression);
  g_test_add_func ("/synth/single-step", test_single_step);
  g_test_add_func ("/synth/alpha-shape", test_alpha_shape);
  g_test_add_func ("/synth/speed", test_speed);
  g_test_add_func ("/synth/encode/png", test_encode_png);
  g_test_add_func ("/synth/encode/jpeg", test_encode_jpeg);
  g_test_add_func ("/synth/encode/webp", test_encode_webp);
  g_test_add_func ("/synth/encode/unknown", test_encode_unknown);
  g_test_add_func ("/synth/encode/realistic-size", test_realistic_size);
  g_test_add_func ("/test-util/images", test_util_images);
  g_test_add_func ("/test-util/pixbufs-equal", test_util_pixbufs_equal);
  g_test_add_func ("/test-util/base64-temp", test_util_base64_and_temp);
  g_test_add_func ("/test-util/png-bomb", test_util_png_bomb);
  g_test_add_func ("/test-util/stream/responses", test_util_stream_responses);
  g_test_add_func ("/test-util/stream/openrouter", test_util_stream_openrouter);
  g_test_add_func ("/test-util/stream/images", test_util_stream_images);
  g_test_add_func ("/test-util/stream/raw", test_util_stream_raw);
  g_test_add_func ("/test-util/stream/build", test_util_build_stream);

  return g_test_run ();
}
