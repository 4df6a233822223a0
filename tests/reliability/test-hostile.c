/*
 * test-hostile.c
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
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include <json-glib/json-glib.h>

#include "rf-base64.h"
#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-file-source.h"
#include "rf-frame.h"
#include "rf-gen-stream.h"
#include "rf-reliability-util.h"
#include "rf-session.h"
#include "rf-sse-parser.h"
#include "rf-test-util.h"

/* The hostile-input suite. Every case is a stream with a valid partial 0
 * (sequence 3), then the hostile part, then a valid final image. Each runs
 * in its own subprocess, which checks: a clear diagnostic (its code, and
 * that its message names the sequence number where there is one), no
 * crash, the session finishes in bounded time, peak memory growth within
 * a bound, the frame before intact and the final after it decoded. Small
 * cases also go through refinery-inspect, which must exit 0 or 1. */

typedef struct
{
  RfTestStream *s;          /* NULL when @gen is used */
  RfGenStream  *gen;
  GBytes       *first;
  GBytes       *final;
  const char   *code;       /* expected diagnostic, NULL for none */
  gint64        seq;        /* the sequence number it must name, or -1 */
  double        max_seconds;
  guint         max_mib;
  guint         n_events;
  gboolean      final_lost; /* the hostile part may hide the final */
} Case;

typedef void (*CaseFunc) (Case *c);

static void
case_clear (Case *c)
{
  g_clear_pointer (&c->s, rf_test_stream_free);
  g_clear_object (&c->gen);
  g_clear_pointer (&c->first, g_bytes_unref);
  g_clear_pointer (&c->final, g_bytes_unref);
}

/* created (0), in_progress (1), item added (2), partial 0 (3). */
static void
prologue (Case *c)
{
  c->first = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 1);
  c->final = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 9);
  c->s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  c->code = NULL;
  c->seq = -1;
  c->max_seconds = 10;
  c->max_mib = 64;

  rf_test_stream_created (c->s, "resp_hostile", 2);
  rf_test_stream_in_progress (c->s);
  rf_test_stream_item_added (c->s, 0, "ig_1");
  rf_test_stream_partial (c->s, 0, "ig_1", 0, c->first);
}

static void
epilogue (RfTestStream *s,
          Case         *c)
{
  rf_test_stream_item_done (s, 0, "ig_1", c->final, NULL);
  rf_test_stream_completed (s, NULL, "ig_1", c->final);
}

static void
add_partial_b64 (Case       *c,
                 gint64      seq,
                 const char *b64)
{
  rf_test_stream_add_eventf (c->s, "{\"type\":\"response.image_generation_call.partial_image\","
                             "\"sequence_number\":%" G_GINT64_FORMAT ",\"output_index\":0,"
                             "\"item_id\":\"ig_1\",\"partial_image_index\":1,"
                             "\"partial_image_b64\":\"%s\"}", seq, b64);
}

static void
add_partial_image (Case   *c,
                   gint64  seq,
                   GBytes *image)
{
  g_autofree char *b64 = rf_test_base64 (image);

  add_partial_b64 (c, seq, b64);
}

/* Cases. */

static void
case_invalid_base64 (Case *c)
{
  GString *junk = g_string_new (NULL);

  prologue (c);
  for (guint i = 0; i < 64; i++)
    g_string_append (junk, "iVB!@#$%");
  add_partial_b64 (c, 4, junk->str);
  g_string_free (junk, TRUE);
  epilogue (c->s, c);
  c->code = "decode-failed";
  c->seq = 4;
}

static void
case_invalid_base64_short (Case *c)
{
  prologue (c);
  add_partial_b64 (c, 4, "iVBORw0K=GgoA");
  epilogue (c->s, c);
  c->code = "decode-failed";
  c->seq = 4;
}

static void
case_not_an_image (Case *c)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("This is plain text, not an image at all. "
                                               "This is plain text, not an image at all.", 82);

  prologue (c);
  add_partial_image (c, 4, text);
  epilogue (c->s, c);
  c->code = "decode-failed";
  c->seq = 4;
}

static void
case_truncated_image (Case *c)
{
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 64, 64, FALSE, 3);
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (image, 0, g_bytes_get_size (image) / 2);

  prologue (c);
  add_partial_image (c, 4, half);
  epilogue (c->s, c);
  c->code = "decode-failed";
  c->seq = 4;
}

static void
case_truncated_jpeg (Case *c)
{
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_JPEG, 64, 64, FALSE, 3);
  g_autoptr(GBytes) part = g_bytes_new_from_bytes (image, 0, 200);

  prologue (c);
  add_partial_image (c, 4, part);
  epilogue (c->s, c);
  c->code = "decode-failed";
  c->seq = 4;
}

static void
case_png_bomb (Case *c)
{
  g_autoptr(GBytes) bomb = rf_test_make_png_header_bomb (100000, 100000);

  prologue (c);
  add_partial_image (c, 4, bomb);
  epilogue (c->s, c);
  c->code = "decode-failed";
  c->seq = 4;
  c->max_seconds = 5;
  c->max_mib = 32;
}

static void
case_png_area_bomb (Case *c)
{
  /* Each side within the limit, the area (256 megapixels) over it. */
  g_autoptr(GBytes) bomb = rf_test_make_png_header_bomb (16000, 16000);

  prologue (c);
  add_partial_image (c, 4, bomb);
  epilogue (c->s, c);
  c->code = "decode-failed";
  c->seq = 4;
  c->max_seconds = 5;
  c->max_mib = 32;
}

static void
case_jpeg_bomb (Case *c)
{
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_JPEG, 16, 16, FALSE, 4);
  gsize len;
  guint8 *data = g_memdup2 (g_bytes_get_data (image, NULL), g_bytes_get_size (image));
  g_autoptr(GBytes) bomb = NULL;
  gboolean patched = FALSE;

  len = g_bytes_get_size (image);
  for (gsize i = 2; i + 9 < len; i++)
    if (data[i] == 0xFF && (data[i + 1] == 0xC0 || data[i + 1] == 0xC2))
      {
        /* Height and width: 65500 × 65500. */
        data[i + 5] = 0xFF; data[i + 6] = 0xDC;
        data[i + 7] = 0xFF; data[i + 8] = 0xDC;
        patched = TRUE;
        break;
      }
  g_assert_true (patched);
  bomb = g_bytes_new_take (data, len);

  prologue (c);
  add_partial_image (c, 4, bomb);
  epilogue (c->s, c);
  c->code = "decode-failed";
  c->seq = 4;
  c->max_seconds = 5;
  c->max_mib = 32;
}

static void
case_webp_bomb (Case *c)
{
  /* RIFF/WEBP with a VP8X chunk declaring a 16384 × 16384 canvas, then
   * the start of a lossless bitstream: 37 bytes in all. */
  static const guint8 webp[] = {
    'R', 'I', 'F', 'F', 29, 0, 0, 0, 'W', 'E', 'B', 'P',
    'V', 'P', '8', 'X', 10, 0, 0, 0, 0x10, 0, 0, 0,
    0xFF, 0x3F, 0x00, 0xFF, 0x3F, 0x00,
    'V', 'P', '8', 'L', 1, 0, 0, 0,
  };
  g_autoptr(GBytes) bomb = g_bytes_new_static (webp, sizeof webp);

  prologue (c);
  add_partial_image (c, 4, bomb);
  epilogue (c->s, c);
  c->code = "decode-failed";
  c->seq = 4;
  c->max_seconds = 5;
  c->max_mib = 32;
}

static void
case_huge_line (Case *c)
{
  g_autoptr(GBytes) head = NULL;
  g_autoptr(RfTestStream) tail = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);

  /* 100 MiB of base64 on one line: over the 96 MiB per-event limit. It is
   * generated while being read, never held by the test. */
  prologue (c);
  rf_test_stream_add_raw (c->s, "event: response.image_generation_call.partial_image\n"
                          "data: {\"type\":\"response.image_generation_call.partial_image\","
                          "\"sequence_number\":4,\"output_index\":0,\"item_id\":\"ig_1\","
                          "\"partial_image_index\":1,\"partial_image_b64\":\"");
  head = rf_test_stream_to_bytes (c->s);

  c->gen = rf_gen_stream_new ();
  rf_gen_stream_add_bytes (c->gen, head);
  rf_gen_stream_add_run (c->gen, 'A', (guint64) 100 * 1024 * 1024);
  rf_gen_stream_add_text (c->gen, "\"}\n\n");
  rf_test_stream_set_seq (tail, 5);
  epilogue (tail, c);
  {
    g_autoptr(GBytes) rest = rf_test_stream_to_bytes (tail);
    rf_gen_stream_add_bytes (c->gen, rest);
  }
  g_clear_pointer (&c->s, rf_test_stream_free);

  c->code = "event-too-large";
  c->seq = 4;   /* "Event 4 (…partial_image)", read from the line's start */
  c->max_seconds = 60;
  c->max_mib = 400;
}

static void
case_many_events (Case *c)
{
  guint n = rf_rel_scale (200000, 50000);

  prologue (c);
  for (guint i = 0; i < n; i++)
    rf_test_stream_keepalive (c->s);
  epilogue (c->s, c);
  /* Every event counted; past the cap, counted only and said once. */
  c->n_events = n + 6;
  if (c->n_events > RF_SESSION_MAX_EVENTS)
    c->code = "events-not-kept";
  c->max_seconds = 60;
  /* ASan's quarantine holds freed memory: its bound is the old one. */
  c->max_mib = rf_rel_sanitized () ? 400 : 200;
}

static void
case_invalid_utf8 (Case *c)
{
  g_autofree char *b64 = NULL;
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 2);

  prologue (c);
  b64 = rf_test_base64 (image);
  rf_test_stream_add_eventf (c->s, "{\"type\":\"response.image_generation_call.partial_image\","
                             "\"sequence_number\":4,\"output_index\":0,\"item_id\":\"ig_\xff\xfe\","
                             "\"partial_image_index\":1,\"partial_image_b64\":\"%s\"}", b64);
  rf_test_stream_add_raw (c->s, "event: \xc3\x28\xa0\n"
                          "data: {\"type\":\"response.output_text.delta\",\"sequence_number\":5,"
                          "\"delta\":\"\xed\xa0\x80\xf8\x88\x80\x80\x80 \xc0\xaf\"}\n\n");
  rf_test_stream_add_raw (c->s, ": comment \xff\n\n");
  rf_test_stream_set_seq (c->s, 6);
  epilogue (c->s, c);
  /* The item id, made valid, names no announced item. */
  c->code = "unknown-item";
  c->seq = 4;
}

static void
case_deep_nesting (Case *c)
{
  /* A megabyte of "[" and of {"a": — json-glib recurses per level. */
  GString *deep = g_string_new ("data: ");

  prologue (c);
  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (deep, '[');
  g_string_append (deep, "\n\ndata: {\"type\":\"x\",\"a\":");
  for (guint i = 0; i < 200000; i++)
    g_string_append (deep, "{\"a\":");
  g_string_append (deep, "1\n\n");
  rf_test_stream_add_raw (c->s, deep->str);
  g_string_free (deep, TRUE);
  rf_test_stream_set_seq (c->s, 4);
  epilogue (c->s, c);
  c->code = "invalid-event";
}

static void
case_lone_surrogates (Case *c)
{
  /* Unpaired surrogate escapes: json-glib 1.6 decodes them to invalid
   * UTF-8, which must not reach the log, diagnostics or output. */
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 2);
  g_autofree char *b64 = rf_test_base64 (image);

  prologue (c);
  rf_test_stream_add_eventf (c->s, "{\"type\":\"response.image_generation_call.partial_image\","
                             "\"sequence_number\":4,\"output_index\":0,\"item_id\":\"ig_\\ud800x\","
                             "\"partial_image_index\":1,\"partial_image_b64\":\"%s\"}", b64);
  rf_test_stream_add_event (c->s, "{\"type\":\"error\",\"sequence_number\":5,"
                            "\"message\":\"bad \\udbff\\u0041 \\udc00 \\\\ud800\",\"code\":\"\\ud800\"}");
  rf_test_stream_add_event (c->s, "\"\\ud800 just a string\"");
  rf_test_stream_set_seq (c->s, 6);
  epilogue (c->s, c);
  c->code = "unknown-item";
  c->seq = 4;
}

static void
case_not_object (Case *c)
{
  static const char *values[] = {
    "[1,2,3]", "42", "\"a string\"", "null", "true", "{\"unterminated\":", "{]", "",
  };

  prologue (c);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *raw = g_strdup_printf ("data: %s\n\n", values[i]);
      rf_test_stream_add_raw (c->s, raw);
    }
  rf_test_stream_set_seq (c->s, 4);
  epilogue (c->s, c);
  c->code = "invalid-event";
}

static void
case_missing_fields (Case *c)
{
  prologue (c);
  rf_test_stream_add_event (c->s, "{\"type\":\"response.image_generation_call.partial_image\","
                            "\"sequence_number\":4,\"output_index\":0,\"item_id\":\"ig_1\","
                            "\"partial_image_index\":1}");
  rf_test_stream_add_event (c->s, "{\"sequence_number\":5}");
  rf_test_stream_add_event (c->s, "{\"type\":\"response.output_item.done\",\"sequence_number\":6}");
  epilogue (c->s, c);
  c->code = "invalid-field";
  c->seq = 4;
}

static void
case_mistyped_fields (Case *c)
{
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 2);
  g_autofree char *b64 = rf_test_base64 (image);

  prologue (c);
  rf_test_stream_add_eventf (c->s, "{\"type\":\"response.image_generation_call.partial_image\","
                             "\"sequence_number\":4,\"output_index\":\"zero\",\"item_id\":7,"
                             "\"partial_image_index\":\"1\",\"partial_image_b64\":\"%s\"}", b64);
  rf_test_stream_add_event (c->s, "{\"type\":[\"error\"],\"sequence_number\":5,\"error\":\"text\"}");
  rf_test_stream_add_event (c->s, "{\"type\":\"response.output_item.done\",\"sequence_number\":6,"
                            "\"output_index\":0,\"item\":[1,2]}");
  rf_test_stream_add_event (c->s, "{\"type\":\"image_generation.partial_image\",\"b64_json\":12}");
  rf_test_stream_set_seq (c->s, 7);
  epilogue (c->s, c);
  c->code = "invalid-field";
  c->seq = 4;
}

static void
case_negative_index (Case *c)
{
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 2);
  g_autofree char *b64 = rf_test_base64 (image);

  prologue (c);
  rf_test_stream_add_eventf (c->s, "{\"type\":\"response.image_generation_call.partial_image\","
                             "\"sequence_number\":4,\"output_index\":-1,\"item_id\":\"ig_1\","
                             "\"partial_image_index\":-2,\"partial_image_b64\":\"%s\"}", b64);
  rf_test_stream_add_event (c->s, "{\"type\":\"keepalive\",\"sequence_number\":-7}");
  rf_test_stream_set_seq (c->s, 5);
  epilogue (c->s, c);
  c->code = "bad-partial-index";
  c->seq = 4;
}

static void
case_non_integral_index (Case *c)
{
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 2);
  g_autofree char *b64 = rf_test_base64 (image);

  prologue (c);
  rf_test_stream_add_eventf (c->s, "{\"type\":\"response.image_generation_call.partial_image\","
                             "\"sequence_number\":4.0,\"output_index\":0,\"item_id\":\"ig_1\","
                             "\"partial_image_index\":1.5,\"partial_image_b64\":\"%s\"}", b64);
  rf_test_stream_add_event (c->s, "{\"type\":\"keepalive\",\"sequence_number\":5.25}");
  rf_test_stream_add_event (c->s, "{\"type\":\"keepalive\",\"sequence_number\":1e300}");
  rf_test_stream_set_seq (c->s, 5);
  epilogue (c->s, c);
  c->code = "bad-partial-index";
  c->seq = 4;
}

static void
case_duplicate_seq (Case *c)
{
  prologue (c);
  rf_test_stream_add_event (c->s, "{\"type\":\"keepalive\",\"sequence_number\":3}");
  rf_test_stream_set_seq (c->s, 4);
  epilogue (c->s, c);
  c->code = "sequence-duplicate";
  c->seq = 3;
}

static void
case_out_of_order_seq (Case *c)
{
  prologue (c);
  rf_test_stream_add_event (c->s, "{\"type\":\"keepalive\",\"sequence_number\":10}");
  rf_test_stream_add_event (c->s, "{\"type\":\"keepalive\",\"sequence_number\":6}");
  rf_test_stream_set_seq (c->s, 11);
  epilogue (c->s, c);
  c->code = "sequence-order";
  c->seq = 6;
}


/* The per-event limit, at its boundary: an event of exactly the limit
 * dispatches, one byte more is skipped with an overflow, and in both cases
 * the next event still arrives (a bug once swallowed it), whatever the
 * chunking. */

typedef struct
{
  guint  n_events;
  guint  n_overflows;
  gboolean got_next;
} LimitCapture;

static void
limit_event_cb (RfSseParser *parser,
                const char  *event_type,
                const char  *data,
                gsize        data_len,
                const char  *id,
                gpointer     user_data)
{
  LimitCapture *capture = user_data;

  capture->n_events++;
  if (g_strcmp0 (data, "next") == 0)
    capture->got_next = TRUE;
}

static void
limit_overflow_cb (RfSseParser *parser,
                   gsize        limit,
                   gpointer     user_data)
{
  LimitCapture *capture = user_data;

  capture->n_overflows++;
}

static void
test_event_at_limit (void)
{
  const gsize limit = 1024;

  for (gsize size = limit - 8; size <= limit + 8; size++)
    for (gsize chunk = 1; chunk <= 4096; chunk *= 64)
      {
        g_autoptr(RfSseParser) parser = NULL;
        LimitCapture capture = { 0 };
        GString *text = g_string_new ("data: ");

        /* The event's size counts its lines and their line ends. */
        while (text->len + 1 < size)
          g_string_append_c (text, 'A');
        g_string_append (text, "\n\ndata: next\n\n");

        parser = rf_sse_parser_new (limit_event_cb, NULL, limit_overflow_cb, &capture);
        rf_sse_parser_set_max_event_size (parser, limit);
        for (gsize pos = 0; pos < text->len; pos += chunk)
          rf_sse_parser_push (parser, (const guint8 *) text->str + pos, MIN (chunk, text->len - pos));
        rf_sse_parser_finish (parser);
        g_string_free (text, TRUE);

        g_assert_true (capture.got_next);
        if (size <= limit + 1)
          {
            g_assert_cmpuint (capture.n_events, ==, 2);
            g_assert_cmpuint (capture.n_overflows, ==, 0);
          }
        else
          {
            g_assert_cmpuint (capture.n_events, ==, 1);
            g_assert_cmpuint (capture.n_overflows, ==, 1);
          }
      }
}


/* Regressions of bugs found by this suite, outside the stream cases. */

static void
test_base64_without_limit (void)
{
  /* "No limit" (G_MAXSIZE) once wrapped around in the size check and
   * refused everything: --dump=events then had no image_bytes/sha256. */
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, TRUE, 5);
  g_autofree char *b64 = rf_test_base64 (image);
  g_autoptr(GBytes) decoded = NULL;
  g_autoptr(GError) error = NULL;

  decoded = rf_base64_decode_bytes (b64, strlen (b64), G_MAXSIZE, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (decoded, image));

  g_clear_pointer (&decoded, g_bytes_unref);
  decoded = rf_base64_decode_bytes (b64, strlen (b64), 16, &error);
  g_assert_null (decoded);
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
}

static void
test_event_fast_path_invalid_utf8 (void)
{
  /* The image value is cut out before parsing; the rest was not checked
   * for UTF-8 (JSON lines reach the decoder unvalidated). */
  GString *json = g_string_new ("{\"type\":\"response.image_generation_call.partial_image\","
                                "\"item_id\":\"ig_\xff\xfe\",\"sequence_number\":1,"
                                "\"partial_image_index\":0,\"partial_image_b64\":\"");
  g_autoptr(GBytes) data = NULL;
  g_autoptr(RfEvent) event = NULL;
  g_autofree char *summary = NULL;

  for (guint i = 0; i < 64; i++)
    g_string_append (json, "QUFBQQ==");
  g_string_append (json, "\"}");
  data = g_bytes_new (json->str, json->len);
  g_string_free (json, TRUE);

  event = rf_event_new_from_sse ("message", data, "", 0);
  summary = rf_event_dup_summary (event);
  g_assert_true (g_utf8_validate (rf_event_get_elided_json (event), -1, NULL));
  g_assert_true (g_utf8_validate (summary, -1, NULL));
  if (rf_event_get_item_id (event) != NULL)
    g_assert_true (g_utf8_validate (rf_event_get_item_id (event), -1, NULL));
  if (rf_event_get_problem (event) != NULL)
    g_assert_true (g_utf8_validate (rf_event_get_problem (event), -1, NULL));
}

static void
test_json_lines_mistyped_record (void)
{
  /* A --dump=sse record whose "event" is an object hit a json-glib
   * critical; a t_ms of 1e300 was cast to an integer (undefined). */
  static const char jsonl[] =
    "{\"event\":{},\"data\":\"{\\\"type\\\":\\\"keepalive\\\",\\\"sequence_number\\\":0}\","
    "\"id\":5,\"t_ms\":1e300}\n"
    "{\"event\":[1],\"data\":\"[DONE]\",\"id\":{\"x\":1},\"t_ms\":-1e300}\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (jsonl, sizeof jsonl - 1);
  g_autoptr(RfSession) session = rf_rel_run_bytes (bytes, 1, 20);

  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_events (session)), ==, 2);
  rf_rel_assert_texts_valid (session);
}

static void
test_deep_json_lines_and_sidecar (void)
{
  /* The same nesting in a JSON-lines record and in a request sidecar,
   * which are parsed whole (no crash, the stream still reads). */
  GString *line = g_string_new ("{\"event\":\"message\",\"data\":");
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 1, RF_IMAGE_FORMAT_PNG,
                                                   TRUE, NULL);
  g_autofree char *sse = rf_test_write_temp_file (stream, ".sse");
  g_autofree char *stem = g_strndup (sse, strlen (sse) - strlen (".sse"));
  g_autofree char *sidecar = g_strconcat (stem, ".request.json", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfSession) session = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { rf_rel_inspect_path (), "--json", sse, NULL };
  int status;

  for (guint i = 0; i < 500000; i++)
    g_string_append_c (line, '[');
  g_string_append (line, "\n{\"type\":\"keepalive\",\"sequence_number\":0}\n");
  bytes = g_bytes_new_take (line->str, line->len);
  g_string_free (line, FALSE);
  session = rf_rel_run_bytes (bytes, 1, 20);
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_events (session)), >=, 1);

  {
    GString *deep = g_string_new ("{\"partial_images\":");

    for (guint i = 0; i < 500000; i++)
      g_string_append_c (deep, '[');
    g_assert_true (g_file_set_contents (sidecar, deep->str, deep->len, NULL));
    g_string_free (deep, TRUE);
  }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* A request sidecar is read only after its size is checked, and never
 * past 1 MiB: one of 8 GiB (sparse) used to be read whole before the
 * check, and a FIFO in its place blocked the run for ever. Both are
 * skipped at once; the stream plays as without them. */
static void
test_sidecar_bounded (void)
{
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 1, RF_IMAGE_FORMAT_PNG,
                                                   TRUE, NULL);
  g_autofree char *sse = rf_test_write_temp_file (stream, ".sse");
  g_autofree char *stem = g_strndup (sse, strlen (sse) - strlen (".sse"));
  g_autofree char *sidecar = g_strconcat (stem, ".request.json", NULL);
  const char *argv[] = { rf_rel_inspect_path (), "--json", sse, NULL };

  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start;
      double seconds;
      int status;

      g_unlink (sidecar);
      if (round == 0)
        {
          int fd = open (sidecar, O_WRONLY | O_CREAT | O_EXCL, 0600);

          g_assert_cmpint (fd, >=, 0);
          g_assert_cmpint (ftruncate (fd, (off_t) 8 * 1024 * 1024 * 1024), ==, 0);
          close (fd);
        }
      else
        g_assert_cmpint (mkfifo (sidecar, 0600), ==, 0);

      start = g_get_monotonic_time ();
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                   &out, NULL, &status, &error));
      seconds = (g_get_monotonic_time () - start) / 1e6;
      g_assert_no_error (error);
      g_test_message ("%s sidecar: %.2f s", round == 0 ? "8 GiB" : "FIFO", seconds);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
      g_assert_nonnull (strstr (out, "\"request\" : null"));
      g_assert_cmpfloat (seconds, <, 20);
    }
  g_unlink (sidecar);
}

static void
test_replay_bogus_time (void)
{
  /* A recorded t of 2^63-1 ms was scaled into an overflowing cast; replay
   * at the recorded pace must neither misbehave nor hang on it. */
  static const char text[] = ": t=9223372036854775807\n"
                             "data: {\"type\":\"keepalive\",\"sequence_number\":0}\n\n"
                             ": t=5\n"
                             "data: [DONE]\n\n";
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, sizeof text - 1, NULL);
  g_autoptr(RfSource) source = rf_file_source_new_for_stream (stream, "bogus time");
  g_autoptr(RfSession) session = rf_session_new ();
  gint64 start = g_get_monotonic_time ();

  rf_file_source_set_speed (RF_FILE_SOURCE (source), 1.0);
  rf_session_start (session, source);
  while (!rf_session_get_finished (session))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      if (g_get_monotonic_time () - start > 10 * G_USEC_PER_SEC)
        g_error ("the replay hangs on a bogus recorded time");
    }
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_events (session)), ==, 2);
}

static void
test_two_json_values (void)
{
  /* Two data lines, two JSON objects: json-glib 1.6 accepted the text,
   * kept the last object and leaked the first. Refused now. */
  static const char *texts[] = {
    "{\"type\":\"error\",\"error\":{\"code\":402}}\n{\"type\":\"keepalive\",\"sequence_number\":1}",
    "[1,2] [3]",
    "{\"type\":\"keepalive\"} {",
    "\"b64_json\"\n\"b64_json\"{\"type\":\"response.in_progress\"}",
    "5 {\"a\":[1]}",
    "\"x\" 7",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) data = g_bytes_new_static (texts[i], strlen (texts[i]));
      g_autoptr(RfEvent) event = rf_event_new_from_sse ("message", data, "", 0);

      g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_INVALID);
      g_assert_nonnull (rf_event_get_problem (event));
    }
}

static void
test_oversized_only_partial (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(RfTestStream) tail = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) final = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 9);
  g_autoptr(GBytes) head = NULL;
  g_autoptr(GBytes) rest = NULL;
  g_autoptr(RfGenStream) gen = rf_gen_stream_new ();
  g_autoptr(RfSession) session = NULL;
  g_autofree char *dump = NULL;
  RfDiagnostic *too_large;
  RfDiagnostic *fewer;
  GListModel *frames;

  /* One partial asked for, and the one that came is over the 96 MiB
   * limit: the message names it by the number and type at the start of
   * its line, and the server is not said to have ignored partial_images. */
  rf_test_stream_created (s, "resp_big", 1);
  rf_test_stream_in_progress (s);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_add_raw (s, "event: response.image_generation_call.partial_image\n"
                          "data: {\"type\":\"response.image_generation_call.partial_image\","
                          "\"sequence_number\":3,\"output_index\":0,\"item_id\":\"ig_1\","
                          "\"partial_image_index\":0,\"partial_image_b64\":\"");
  head = rf_test_stream_to_bytes (s);
  rf_gen_stream_add_bytes (gen, head);
  rf_gen_stream_add_run (gen, 'A', (guint64) 100 * 1024 * 1024);
  rf_gen_stream_add_text (gen, "\"}\n\n");
  rf_test_stream_set_seq (tail, 4);
  rf_test_stream_item_done (tail, 0, "ig_1", final, NULL);
  rf_test_stream_completed (tail, "resp_big", "ig_1", final);
  rest = rf_test_stream_to_bytes (tail);
  rf_gen_stream_add_bytes (gen, rest);

  session = rf_rel_run_stream (G_INPUT_STREAM (gen), 2, 60);
  dump = rf_rel_dump_diagnostics (session);
  g_test_message ("diagnostics:\n%s", dump);

  too_large = rf_rel_find_diagnostic (session, "event-too-large");
  g_assert_nonnull (too_large);
  g_assert_nonnull (strstr (rf_diagnostic_get_message (too_large),
                            "3 (response.image_generation_call.partial_image)"));
  g_assert_cmpint (rf_diagnostic_get_sequence_number (too_large), ==, 3);
  g_assert_null (rf_rel_find_diagnostic (session, "partials-ignored"));
  g_assert_null (rf_rel_find_diagnostic (session, "sequence-gap"));
  fewer = rf_rel_find_diagnostic (session, "fewer-partials");
  g_assert_nonnull (fewer);
  g_assert_nonnull (strstr (rf_diagnostic_get_message (fewer), "0 of 1"));
  g_assert_nonnull (strstr (rf_diagnostic_get_message (fewer), "size limit"));

  frames = rf_session_get_frames (session);
  g_assert_cmpuint (g_list_model_get_n_items (frames), ==, 1);
  {
    g_autoptr(RfFrame) frame = g_list_model_get_item (frames, 0);
    g_autofree char *sha = rf_rel_frame_sha256 (frame);
    g_autofree char *final_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, final);

    g_assert_cmpint (rf_frame_get_kind (frame), ==, RF_FRAME_KIND_FINAL);
    g_assert_cmpstr (sha, ==, final_sha);
  }
}

/* Checks. */

static gboolean
names_number (const char *message,
              gint64      seq)
{
  g_autofree char *pattern = g_strdup_printf ("\\b%" G_GINT64_FORMAT "\\b", seq);

  return g_regex_match_simple (pattern, message, 0, 0);
}

static void
check_session (Case      *c,
               RfSession *session)
{
  GListModel *frames = rf_session_get_frames (session);
  g_autofree char *dump = rf_rel_dump_diagnostics (session);
  g_autofree char *first_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, c->first);
  g_autofree char *final_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, c->final);
  RfSessionState state = rf_session_get_state (session);
  guint n = g_list_model_get_n_items (frames);

  g_test_message ("diagnostics:\n%s", dump);

  g_assert_true (state == RF_SESSION_STATE_FINISHED || state == RF_SESSION_STATE_FAILED);
  rf_rel_assert_texts_valid (session);

  /* The frame before the hostile part is intact. */
  g_assert_cmpuint (n, >=, 1);
  {
    g_autoptr(RfFrame) frame = g_list_model_get_item (frames, 0);
    g_autofree char *sha = rf_rel_frame_sha256 (frame);

    g_assert_cmpint (rf_frame_get_kind (frame), ==, RF_FRAME_KIND_PARTIAL);
    g_assert_cmpint (rf_frame_get_sequence_number (frame), ==, 3);
    g_assert_cmpint (rf_frame_get_decode_status (frame), ==, RF_DECODE_OK);
    g_assert_cmpstr (sha, ==, first_sha);
  }

  /* The final after it still works. */
  if (!c->final_lost)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, n - 1);
      g_autofree char *sha = rf_rel_frame_sha256 (frame);

      g_assert_cmpint (rf_frame_get_kind (frame), ==, RF_FRAME_KIND_FINAL);
      g_assert_cmpint (rf_frame_get_decode_status (frame), ==, RF_DECODE_OK);
      g_assert_cmpstr (sha, ==, final_sha);
    }

  if (c->code != NULL)
    {
      RfDiagnostic *diagnostic = rf_rel_find_diagnostic (session, c->code);

      if (diagnostic == NULL)
        g_error ("no “%s” diagnostic; got:\n%s", c->code, dump);
      if (c->seq >= 0 && !names_number (rf_diagnostic_get_message (diagnostic), c->seq))
        g_error ("“%s” does not name sequence number %" G_GINT64_FORMAT,
                 rf_diagnostic_get_message (diagnostic), c->seq);
    }

  if (c->n_events > 0)
    {
      g_assert_cmpuint (rf_session_get_n_events (session), ==, c->n_events);
      g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_events (session)), ==,
                        MIN (c->n_events, RF_SESSION_MAX_EVENTS));
    }
}

static void
check_cli (Case *c)
{
  g_autoptr(GBytes) bytes = rf_test_stream_to_bytes (c->s);
  g_autofree char *path = rf_test_write_temp_file (bytes, ".sse");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { rf_rel_inspect_path (), "--dump=events", path, NULL };
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), <=, 1);
  g_assert_true (g_utf8_validate (out, -1, NULL));
  g_assert_true (g_utf8_validate (err, -1, NULL));

  /* Line by line with memchr: strstr-based splitting is quadratic under
   * AddressSanitizer, whose interceptor measures the whole rest each time. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    const char *p = out;
    const char *end = out + strlen (out);

    while (p < end)
      {
        const char *nl = memchr (p, '\n', end - p);
        gsize line_len = nl != NULL ? (gsize) (nl - p) : (gsize) (end - p);

        if (line_len > 0 && !json_parser_load_from_data (parser, p, line_len, NULL))
          g_error ("refinery-inspect printed a line that is not JSON: %.*s", (int) line_len, p);
        p += line_len + 1;
      }
  }
}

static void
warm_up (void)
{
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 1, RF_IMAGE_FORMAT_PNG,
                                                   TRUE, NULL);
  g_autoptr(RfSession) session = rf_rel_run_bytes (stream, 2, 30);
}

static void
run_case (gconstpointer data)
{
  CaseFunc func = (CaseFunc) data;

  if (g_test_subprocess ())
    {
      Case c = { 0 };
      g_autoptr(RfSession) session = NULL;
      g_autoptr(GInputStream) stream = NULL;
      guint64 rss_before;
      guint64 growth_mib;
      gint64 start;
      double seconds;

      warm_up ();
      func (&c);

      if (c.gen != NULL)
        stream = g_object_ref (G_INPUT_STREAM (c.gen));
      else
        {
          g_autoptr(GBytes) bytes = rf_test_stream_to_bytes (c.s);
          stream = g_memory_input_stream_new_from_bytes (bytes);
        }

      rss_before = rf_rel_rss_kib ();
      start = g_get_monotonic_time ();
      session = rf_rel_run_stream (stream, 2, c.max_seconds * 3);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      growth_mib = (rf_rel_peak_rss_kib () - MIN (rss_before, rf_rel_peak_rss_kib ())) / 1024;

      g_test_message ("%.2f s, peak RSS growth %" G_GUINT64_FORMAT " MiB (bounds %.0f s, %u MiB)",
                      seconds, growth_mib, c.max_seconds, c.max_mib);
      /* Machine-readable figures for docs/RELIABILITY.md. */
      g_printerr ("FIGURES time_s=%.2f peak_growth_mib=%" G_GUINT64_FORMAT "\n", seconds, growth_mib);

      check_session (&c, session);
      g_assert_cmpfloat (seconds, <, c.max_seconds);
      g_assert_cmpuint (growth_mib, <, c.max_mib);

      g_clear_object (&session);
      if (c.s != NULL)
        check_cli (&c);

      case_clear (&c);
      return;
    }

  g_test_trap_subprocess (NULL, 300 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  static const struct { const char *path; CaseFunc func; } cases[] = {
    { "/hostile/invalid-base64", case_invalid_base64 },
    { "/hostile/invalid-base64-short", case_invalid_base64_short },
    { "/hostile/not-an-image", case_not_an_image },
    { "/hostile/truncated-png", case_truncated_image },
    { "/hostile/truncated-jpeg", case_truncated_jpeg },
    { "/hostile/bomb/png", case_png_bomb },
    { "/hostile/bomb/png-area", case_png_area_bomb },
    { "/hostile/bomb/jpeg", case_jpeg_bomb },
    { "/hostile/bomb/webp", case_webp_bomb },
    { "/hostile/huge-line", case_huge_line },
    { "/hostile/many-events", case_many_events },
    { "/hostile/invalid-utf8", case_invalid_utf8 },
    { "/hostile/not-an-object", case_not_object },
    { "/hostile/deep-nesting", case_deep_nesting },
    { "/hostile/lone-surrogates", case_lone_surrogates },
    { "/hostile/missing-fields", case_missing_fields },
    { "/hostile/mistyped-fields", case_mistyped_fields },
    { "/hostile/negative-index", case_negative_index },
    { "/hostile/non-integral-index", case_non_integral_index },
    { "/hostile/duplicate-sequence", case_duplicate_seq },
    { "/hostile/out-of-order-sequence", case_out_of_order_seq },
  };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, cases[i].func, run_case);
  g_test_add_func ("/hostile/parser/event-at-limit", test_event_at_limit);
  g_test_add_func ("/hostile/regression/base64-without-limit", test_base64_without_limit);
  g_test_add_func ("/hostile/regression/event-fast-path-invalid-utf8", test_event_fast_path_invalid_utf8);
  g_test_add_func ("/hostile/regression/json-lines-mistyped-record", test_json_lines_mistyped_record);
  g_test_add_func ("/hostile/regression/deep-json-lines-and-sidecar", test_deep_json_lines_and_sidecar);
  g_test_add_func ("/hostile/regression/sidecar-bounded", test_sidecar_bounded);
  g_test_add_func ("/hostile/regression/replay-bogus-time", test_replay_bogus_time);
  g_test_add_func ("/hostile/regression/two-json-values", test_two_json_values);
  g_test_add_func ("/hostile/regression/oversized-only-partial", test_oversized_only_partial);

  return g_test_run ();
}
