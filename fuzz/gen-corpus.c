/*
 * gen-corpus.c
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

#define G_LOG_DOMAIN "rf-fuzz"

#include "config.h"

#include <glib/gstdio.h>

#include "rf-test-util.h"

/* Writes the seed corpora into DIR/fuzz-sse-parser, DIR/fuzz-event and
 * DIR/fuzz-image-decode from the test fixtures. Usage: gen-corpus DIR */

static const char *out_dir;
static guint counter;

static void
save (const char *harness,
      const char *name,
      const void *data,
      gsize       len)
{
  g_autofree char *dir = g_build_filename (out_dir, harness, NULL);
  g_autofree char *file = g_strdup_printf ("%02u-%s", counter++, name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  if (!g_file_set_contents (path, data, len, &error))
    g_error ("%s", error->message);
}

static void
save_bytes (const char *harness,
            const char *name,
            GBytes     *bytes)
{
  save (harness, name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
save_stream (const char   *name,
             RfTestStream *s)
{
  gsize len;
  const char *text = rf_test_stream_peek (s, &len);

  save ("fuzz-sse-parser", name, text, len);
  save ("fuzz-event", name, text, len);
}

static void
streams (void)
{
  static const struct { RfTestFlavor flavor; const char *name; } flavors[] = {
    { RF_TEST_FLAVOR_RESPONSES, "responses" },
    { RF_TEST_FLAVOR_OPENROUTER, "openrouter" },
    { RF_TEST_FLAVOR_IMAGES, "images" },
  };

  for (guint f = 0; f < G_N_ELEMENTS (flavors); f++)
    {
      for (guint n = 0; n <= 2; n += 2)
        {
          g_autoptr(GBytes) stream = rf_test_build_stream (flavors[f].flavor, n,
                                                           RF_IMAGE_FORMAT_PNG, FALSE, NULL);
          g_autofree char *name = g_strdup_printf ("%s-%u-partials.sse", flavors[f].name, n);

          save ("fuzz-sse-parser", name, g_bytes_get_data (stream, NULL), g_bytes_get_size (stream));
          save ("fuzz-event", name, g_bytes_get_data (stream, NULL), g_bytes_get_size (stream));
        }
    }

  /* Framing variants. */
  {
    g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
    g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_JPEG, 8, 8, FALSE, 3);

    rf_test_stream_set_newline (s, "\r\n");
    rf_test_stream_add_raw (s, "\xEF\xBB\xBF: comment\r\nid: 7\r\nretry: 1500\r\n\r\n");
    rf_test_stream_created (s, "resp_2", 1);
    rf_test_stream_set_newline (s, "\r");
    rf_test_stream_keepalive (s);
    rf_test_stream_partial (s, 0, "ig_2", 0, image);
    rf_test_stream_set_newline (s, "\n");
    rf_test_stream_add_raw (s, "data: {\"type\":\"response.in_progress\",\ndata: \"sequence_number\":3.0}\n\n");
    rf_test_stream_add_raw (s, "event\ndata\n\ndata:  two spaces\nfield without colon\n\n");
    rf_test_stream_item_done (s, 0, "ig_2", image, "revised");
    rf_test_stream_done (s);
    save_stream ("framing-variants.sse", s);
  }

  /* Errors and terminal states. */
  {
    g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);

    rf_test_stream_created (s, "resp_3", 2);
    rf_test_stream_error_flat (s, "server_error", "Flat error");
    rf_test_stream_error_nested (s, "insufficient_quota", "insufficient_quota", "Nested error");
    rf_test_stream_failed (s, "server_error", "It failed");
    save_stream ("errors.sse", s);
  }
  {
    g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);

    rf_test_stream_created (s, "resp_4", 3);
    rf_test_stream_item_added (s, 0, "ig_a");
    rf_test_stream_item_added (s, 1, "ig_b");
    rf_test_stream_incomplete (s, "max_output_tokens");
    save_stream ("incomplete.sse", s);
  }

  /* Odd fields: mistyped, negative, float indexes, not objects, escapes. */
  {
    g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_OPENROUTER);
    g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 8, 8, TRUE, 5);
    g_autofree char *b64 = rf_test_base64 (image);

    rf_test_stream_add_event (s, "[1,2,3]");
    rf_test_stream_add_event (s, "\"just a string\"");
    rf_test_stream_add_event (s, "{\"type\":7,\"sequence_number\":\"x\"}");
    rf_test_stream_add_event (s, "{\"type\":\"keepalive\",\"sequence_number\":-4}");
    rf_test_stream_add_eventf (s, "{\"type\":\"response.image_generation_call.partial_image\","
                               "\"sequence_number\":2.5,\"output_index\":0.0,\"item_id\":\"../x/y\","
                               "\"partial_image_index\":1e3,\"partial_image_b64\":\"%s\"}", b64);
    rf_test_stream_add_eventf (s, "{\"type\":\"image_generation.partial_image\","
                               "\"partial_image_index\":0,\"b64_json\":\"%s\\n\"}", b64);
    rf_test_stream_add_eventf (s, "{\"type\":\"response.output_item.done\",\"sequence_number\":9,"
                               "\"output_index\":1,\"item\":{\"type\":\"openrouter:image_generation\","
                               "\"id\":\"x\",\"imageUrl\":\"data:image/png;base64,%s\"}}", b64);
    rf_test_stream_add_event (s, "{\"type\":\"error\",\"error\":{\"code\":402,\"message\":\"No credits\"}}");
    rf_test_stream_add_event (s, "{\"type\":\"response.completed\",\"sequence_number\":9223372036854775807,"
                              "\"response\":{\"output\":[{\"result\":\"https://example.invalid/x.png\"}]}}");
    rf_test_stream_done (s);
    save_stream ("odd-fields.sse", s);
  }

  /* Truncated in the middle of an event. */
  {
    g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 1,
                                                     RF_IMAGE_FORMAT_PNG, FALSE, NULL);

    save ("fuzz-event", "truncated.sse", g_bytes_get_data (stream, NULL),
          g_bytes_get_size (stream) * 2 / 3);
  }
}

static void
images (void)
{
  static const RfImageFormat formats[] = {
    RF_IMAGE_FORMAT_PNG, RF_IMAGE_FORMAT_JPEG, RF_IMAGE_FORMAT_WEBP,
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      for (guint alpha = 0; alpha <= 1; alpha++)
        {
          g_autoptr(GBytes) image = rf_test_make_image (formats[i], 8 + 4 * alpha, 8, alpha, i);
          g_autofree char *b64 = rf_test_base64 (image);
          g_autofree char *name = g_strdup_printf ("%s-%s.img", rf_image_format_to_string (formats[i]),
                                                   alpha ? "alpha" : "opaque");
          g_autofree char *b64_seed = g_strconcat ("B\x40", b64, NULL);
          g_autofree char *b64_name = g_strconcat (name, ".b64", NULL);

          save_bytes ("fuzz-image-decode", name, image);
          save ("fuzz-image-decode", b64_name, b64_seed, strlen (b64_seed));
        }
    }

  {
    g_autoptr(GBytes) bomb = rf_test_make_png_header_bomb (100000, 100000);
    g_autoptr(GBytes) edge = rf_test_make_png_header_bomb (16384, 6000);

    save_bytes ("fuzz-image-decode", "png-bomb.img", bomb);
    save_bytes ("fuzz-image-decode", "png-edge.img", edge);
  }
}

int
main (int   argc,
      char *argv[])
{
  if (argc != 2)
    {
      g_printerr ("Usage: %s DIR\n", argv[0]);
      return 2;
    }

  out_dir = argv[1];
  streams ();
  images ();

  return 0;
}
