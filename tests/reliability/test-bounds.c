/*
 * test-bounds.c
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
#include <unistd.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

#ifdef HAVE_LIBWEBP
#include <webp/encode.h>
#include <webp/mux.h>
#endif

#include "rf-assembler.h"
#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-frame.h"
#include "rf-gen-stream.h"
#include "rf-reliability-util.h"

/* ThreadSanitizer's shadow memory grows with every byte a case touches
 * (10 MB of event text: 127 MiB against 120 plain): its memory bounds are
 * twice the others. */
#if defined(__SANITIZE_THREAD__)
#define TSAN_MEM(mib) ((mib) * 2)
#else
#define TSAN_MEM(mib) (mib)
#endif
#include "rf-session.h"
#include "rf-test-util.h"
#include "rf-text.h"

/* Memory and time bounded by the limits, not by the input's shape, and
 * strange values read right: each case checks what a user would see (the
 * frame, its label, the diagnostic, the exit status) and, where the input
 * is large, the time or memory it took. */

static RfEvent *
event_from_text (const char *text,
                 gsize       len)
{
  g_autoptr(GBytes) data = g_bytes_new (text, len);

  return rf_event_new_from_sse ("message", data, NULL, 0);
}

/* An event holding @n image strings, each with an escape, so the whole
 * event takes the slow (exact) path. */
static GString *
escaped_images_event (guint n)
{
  GString *s = g_string_new ("{\"type\":\"response.completed\",\"response\":{\"id\":\"r\","
                             "\"status\":\"completed\",\"output\":[");

  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (s, "%s{\"type\":\"image_generation_call\",\"id\":\"ig_%u\","
                              "\"result\":\"", i ? "," : "", i);
      for (guint k = 0; k < 24; k++)
        g_string_append (s, "iVBORw\\/");
      g_string_append_printf (s, "%08u\"}", i);
    }
  g_string_append (s, "]}}");

  return s;
}

static double
time_event (GString *text)
{
  double best = G_MAXDOUBLE;

  for (guint run = 0; run < 3; run++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(RfEvent) event = event_from_text (text->str, text->len);
      double seconds = (g_get_monotonic_time () - start) / 1e6;
      const char *elided = rf_event_get_elided_json (event);

      g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_RESPONSE_COMPLETED);
      g_assert_nonnull (strstr (elided, "[base64: "));
      g_assert_null (strstr (elided, "iVBORw"));
      g_assert_cmpuint (strlen (elided), <=, 4200);
      best = MIN (best, seconds);
    }

  return best;
}

/* The escaped-image path once replaced each image by searching the whole
 * text for it: time in the square of the event's size (8 MB took 30 s).
 * Four times the event must take about four times as long: sixteen is
 * quadratic, and the gap leaves room for a busy machine's noise. */
static void
test_escaped_images_linear (void)
{
  guint n = rf_rel_scale (16000, 4000);
  g_autoptr(GString) small = escaped_images_event (n);
  g_autoptr(GString) large = escaped_images_event (4 * n);
  double t_small = time_event (small);
  double t_large = time_event (large);

  g_test_message ("%" G_GSIZE_FORMAT " bytes: %.3f s; %" G_GSIZE_FORMAT " bytes: %.3f s",
                  small->len, t_small, large->len, t_large);
  g_printerr ("FIGURES escaped_small_bytes=%" G_GSIZE_FORMAT " t=%.3f escaped_large_bytes=%"
              G_GSIZE_FORMAT " t=%.3f\n", small->len, t_small, large->len, t_large);
  g_assert_cmpfloat (t_large, <, 9.0 * t_small + 0.1);
  g_assert_cmpfloat (t_large, <, rf_rel_scale (10, 40));
}

/* A short partial_image_b64 that spells the marker put in place of
 * another field's long image must be read as what it is (and fail to
 * decode), never as that other image. */
static void
test_marker_collision (void)
{
  g_autoptr(GBytes) png = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 5);
  g_autofree char *b64 = rf_test_base64 (png);
  g_autofree char *marker = g_strdup_printf ("[base64: %" G_GSIZE_FORMAT " chars #0]", strlen (b64));
  g_autofree char *text = g_strdup_printf ("{\"type\":\"response.image_generation_call.partial_image\","
                                           "\"extra\":{\"result\":\"%s\"},"
                                           "\"sequence_number\":4,\"output_index\":0,\"item_id\":\"ig_1\","
                                           "\"partial_image_index\":1,\"partial_image_b64\":\"%s\"}",
                                           b64, marker);
  g_autoptr(RfEvent) event = event_from_text (text, strlen (text));
  const RfEventImage *image;
  gsize len;
  const char *data;

  g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_IMAGE_CALL_PARTIAL);
  g_assert_cmpuint (rf_event_get_n_images (event), ==, 1);
  image = rf_event_get_image (event, 0);
  data = g_bytes_get_data (image->b64, &len);
  g_assert_cmpmem (data, len, marker, strlen (marker));

  /* The same through a session: the partial does not decode, and no
   * frame shows the other field's image. */
  {
    g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
    g_autoptr(GBytes) first = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 1);
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(RfSession) session = NULL;
    g_autofree char *png_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
    GListModel *frames;

    rf_test_stream_created (s, "resp_marker", 2);
    rf_test_stream_in_progress (s);
    rf_test_stream_item_added (s, 0, "ig_1");
    rf_test_stream_partial (s, 0, "ig_1", 0, first);
    rf_test_stream_add_event (s, text);
    bytes = rf_test_stream_to_bytes (s);
    session = rf_rel_run_bytes (bytes, 1, 30);
    frames = rf_session_get_frames (session);

    g_assert_cmpuint (g_list_model_get_n_items (frames), ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
        g_autofree char *sha = rf_rel_frame_sha256 (frame);

        g_assert_cmpstr (sha, !=, png_sha);
        g_assert_cmpint (rf_frame_get_decode_status (frame), ==, i == 0 ? RF_DECODE_OK : RF_DECODE_FAILED);
      }
    g_assert_nonnull (rf_rel_find_diagnostic (session, "decode-failed"));
  }
}

/* Runs a stream with a partial 0 and one partial whose index is written
 * as @index; returns the session. */
static RfSession *
run_with_index (const char *index)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) first = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 1);
  g_autoptr(GBytes) second = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 2);
  g_autofree char *b64 = rf_test_base64 (second);
  g_autoptr(GBytes) bytes = NULL;

  rf_test_stream_created (s, "resp_index", 3);
  rf_test_stream_in_progress (s);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, first);
  rf_test_stream_add_eventf (s, "{\"type\":\"response.image_generation_call.partial_image\","
                             "\"sequence_number\":4,\"output_index\":0,\"item_id\":\"ig_1\","
                             "\"partial_image_index\":%s,\"partial_image_b64\":\"%s\"}", index, b64);
  bytes = rf_test_stream_to_bytes (s);

  return rf_rel_run_bytes (bytes, 1, 30);
}

static char *
second_label (RfSession *session)
{
  g_autoptr(RfFrame) frame = g_list_model_get_item (rf_session_get_frames (session), 1);

  g_assert_nonnull (frame);
  return rf_frame_dup_label (frame);
}

static void
test_huge_partial_index (void)
{
  /* Past 2^31 and past 2^53 but within 2^63: exact, shown whole. */
  static const char * const exact[] = { "2147483648", "4294967296", "9007199254740993",
                                        "9223372036854775807" };
  /* Past 2^63 (json-glib wraps these to negative numbers) or past 2^53
   * as a float: a clear "too large", never "negative". */
  static const char * const too_large[] = { "9223372036854775808", "18446744073709551616",
                                            "123456789012345678901234567890", "1e20",
                                            "9007199254740993.0" };

  for (guint i = 0; i < G_N_ELEMENTS (exact); i++)
    {
      g_autoptr(RfSession) session = run_with_index (exact[i]);
      g_autofree char *label = second_label (session);
      g_autofree char *expected = g_strdup_printf ("partial %s", exact[i]);
      g_autoptr(RfFrame) frame = g_list_model_get_item (rf_session_get_frames (session), 1);

      g_assert_cmpstr (label, ==, expected);
      g_assert_cmpint (rf_frame_get_partial_index (frame), ==, g_ascii_strtoll (exact[i], NULL, 10));
      g_assert_null (rf_rel_find_diagnostic (session, "bad-partial-index"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (too_large); i++)
    {
      g_autoptr(RfSession) session = run_with_index (too_large[i]);
      g_autofree char *label = second_label (session);
      g_autofree char *dump = rf_rel_dump_diagnostics (session);
      RfDiagnostic *diagnostic = rf_rel_find_diagnostic (session, "bad-partial-index");

      g_test_message ("%s:\n%s", too_large[i], dump);
      g_assert_nonnull (diagnostic);
      g_assert_nonnull (strstr (dump, "“partial_image_index” is too large"));
      g_assert_null (strstr (dump, "negative"));
      /* Numbered by arrival instead. */
      g_assert_cmpstr (label, ==, "partial 1");
    }
}

/* The CLI's summary shows a large index whole. */
static void
test_huge_partial_index_cli (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *b64 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  rf_test_stream_created (s, "resp_index", 3);
  rf_test_stream_item_added (s, 0, "ig_1");
  b64 = rf_test_base64 (image);
  rf_test_stream_add_eventf (s, "{\"type\":\"response.image_generation_call.partial_image\","
                             "\"sequence_number\":2,\"output_index\":0,\"item_id\":\"ig_1\","
                             "\"partial_image_index\":3000000000,\"partial_image_b64\":\"%s\"}", b64);
  rf_test_stream_item_done (s, 0, "ig_1", image, NULL);
  rf_test_stream_completed (s, NULL, "ig_1", image);
  bytes = rf_test_stream_to_bytes (s);
  path = rf_test_write_temp_file (bytes, ".sse");

  {
    const char *argv[] = { rf_rel_inspect_path (), path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
  }
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_nonnull (strstr (out, "partial 3000000000"));
  g_assert_null (strstr (out, "partial -"));
}

#ifdef HAVE_LIBWEBP
/* An animated WebP of @n_frames frames of @side × @side, each a different
 * colour, so that no two frames merge. */
static GBytes *
make_animated_webp (int   side,
                    guint n_frames)
{
  WebPAnimEncoderOptions options;
  WebPAnimEncoder *encoder;
  WebPConfig config;
  WebPData webp = { 0 };
  GBytes *bytes;
  int timestamp = 0;

  g_assert_true (WebPAnimEncoderOptionsInit (&options));
  g_assert_true (WebPConfigInit (&config));
  config.quality = 10;
  config.method = 0;
  options.allow_mixed = FALSE;
  encoder = WebPAnimEncoderNew (side, side, &options);
  g_assert_nonnull (encoder);

  for (guint f = 0; f < n_frames; f++)
    {
      WebPPicture picture;
      g_autofree guint32 *argb = g_new (guint32, (gsize) side * side);
      guint32 colour = 0xFF000000u | ((f * 37u & 0xFF) << 16) | ((f * 91u & 0xFF) << 8) | (f * 13u & 0xFF);

      for (gsize i = 0; i < (gsize) side * side; i++)
        argb[i] = colour;
      g_assert_true (WebPPictureInit (&picture));
      picture.use_argb = 1;
      picture.width = side;
      picture.height = side;
      picture.argb = argb;
      picture.argb_stride = side;
      g_assert_true (WebPAnimEncoderAdd (encoder, &picture, timestamp, &config));
      timestamp += 100;
    }
  g_assert_true (WebPAnimEncoderAdd (encoder, NULL, timestamp, NULL));
  g_assert_true (WebPAnimEncoderAssemble (encoder, &webp));
  WebPAnimEncoderDelete (encoder);

  bytes = g_bytes_new (webp.bytes, webp.size);
  WebPDataClear (&webp);
  return bytes;
}

/* An animated WebP of a few kilobytes once decoded every frame (120
 * frames: 1.9 GB, 15 s). It is refused with a diagnostic, at once. */
static void
test_animated_webp (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
      g_autoptr(GBytes) first = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 1);
      g_autoptr(GBytes) final = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 9);
      g_autoptr(GBytes) anim = make_animated_webp (1024, rf_rel_scale (120, 30));
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(RfSession) session = NULL;
      g_autoptr(RfFrame) frame = NULL;
      RfDiagnostic *diagnostic;
      guint64 rss_before;
      guint64 growth_mib;
      gint64 start;
      double seconds;

      rf_test_stream_created (s, "resp_anim", 2);
      rf_test_stream_item_added (s, 0, "ig_1");
      rf_test_stream_partial (s, 0, "ig_1", 0, first);
      rf_test_stream_partial (s, 0, "ig_1", 1, anim);
      rf_test_stream_item_done (s, 0, "ig_1", final, NULL);
      rf_test_stream_completed (s, NULL, "ig_1", final);
      bytes = rf_test_stream_to_bytes (s);

      rss_before = rf_rel_rss_kib ();
      start = g_get_monotonic_time ();
      session = rf_rel_run_bytes (bytes, 2, 60);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      growth_mib = (rf_rel_peak_rss_kib () - MIN (rss_before, rf_rel_peak_rss_kib ())) / 1024;
      g_printerr ("FIGURES animated_webp_bytes=%" G_GSIZE_FORMAT " time_s=%.2f peak_growth_mib=%"
                  G_GUINT64_FORMAT "\n", g_bytes_get_size (anim), seconds, growth_mib);

      frame = g_list_model_get_item (rf_session_get_frames (session), 1);
      g_assert_cmpint (rf_frame_get_decode_status (frame), ==, RF_DECODE_FAILED);
      diagnostic = rf_rel_find_diagnostic (session, "decode-failed");
      g_assert_nonnull (diagnostic);
      g_assert_nonnull (strstr (rf_diagnostic_get_message (diagnostic), "animated"));
      g_clear_object (&frame);
      frame = g_list_model_get_item (rf_session_get_frames (session), 2);
      g_assert_cmpint (rf_frame_get_kind (frame), ==, RF_FRAME_KIND_FINAL);
      g_assert_cmpint (rf_frame_get_decode_status (frame), ==, RF_DECODE_OK);
      g_assert_cmpfloat (seconds, <, 5);
      /* The sanitizers' shadow memory counts too. */
      g_assert_cmpuint (growth_mib, <, TSAN_MEM (rf_rel_sanitized () ? 128 : 64));
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}
#endif

/* A stream: created, item added, partial 0, then @hostile (one event's
 * data), then the final image. */
static GBytes *
stream_around (const char *hostile,
               gsize       hostile_len)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) first = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 1);
  g_autoptr(GBytes) final = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 9);
  g_autoptr(GBytes) head = NULL;
  g_autoptr(GBytes) tail = NULL;
  g_autoptr(RfTestStream) t = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  GByteArray *all = g_byte_array_new ();

  rf_test_stream_created (s, "resp_big", 2);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, first);
  head = rf_test_stream_to_bytes (s);
  rf_test_stream_set_seq (t, 4);
  rf_test_stream_item_done (t, 0, "ig_1", final, NULL);
  rf_test_stream_completed (t, NULL, "ig_1", final);
  tail = rf_test_stream_to_bytes (t);

  g_byte_array_append (all, g_bytes_get_data (head, NULL), g_bytes_get_size (head));
  g_byte_array_append (all, (const guint8 *) "data: ", 6);
  g_byte_array_append (all, (const guint8 *) hostile, hostile_len);
  g_byte_array_append (all, (const guint8 *) "\n\n", 2);
  g_byte_array_append (all, g_bytes_get_data (tail, NULL), g_bytes_get_size (tail));

  return g_byte_array_free_to_bytes (all);
}

/* An error event whose message is @mib MiB of text, with escapes and
 * non-ASCII characters along the way. */
static GString *
big_error_event (guint mib)
{
  GString *s = g_string_new ("{\"type\":\"error\",\"sequence_number\":3,\"error\":{"
                             "\"code\":\"server_error\",\"message\":\"");
  gsize target = (gsize) mib * 1024 * 1024;

  while (s->len < target)
    g_string_append (s, "The server failed \\\"badly\\\" — ünïcödé\\n again and again. ");
  g_string_append (s, "\"}}");
  return s;
}

typedef struct
{
  guint  mib;
  guint  max_mib;     /* peak RSS growth bound */
} BigCase;

static const BigCase big_cases[] = { { 10, 120 }, { 90, 450 } };

/* One valid event of 10 or 90 MB (an error message, no image) under the
 * 96 MiB limit once took 426 MB and 6.3 GB in json-glib's tree. Long
 * strings are cut before parsing: the message kept is its first 4000
 * bytes and its size, the frames around it are intact. */
static void
test_big_text_event (gconstpointer data)
{
  const BigCase *c = data;

  if (g_test_subprocess ())
    {
      guint mib = rf_rel_sanitized () ? MIN (c->mib, 30) : c->mib;
      g_autoptr(GString) event = big_error_event (mib);
      g_autoptr(GBytes) bytes = stream_around (event->str, event->len);
      g_autoptr(RfSession) session = NULL;
      GListModel *events;
      const char *message = NULL;
      guint64 rss_before;
      guint64 growth_mib;
      gint64 start;
      double seconds;

      g_string_free (g_steal_pointer (&event), TRUE);
      rss_before = rf_rel_rss_kib ();
      start = g_get_monotonic_time ();
      session = rf_rel_run_bytes (bytes, 2, 120);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      growth_mib = (rf_rel_peak_rss_kib () - MIN (rss_before, rf_rel_peak_rss_kib ())) / 1024;
      g_printerr ("FIGURES big_text_event_mib=%u time_s=%.2f peak_growth_mib=%" G_GUINT64_FORMAT "\n",
                  mib, seconds, growth_mib);

      events = rf_session_get_events (session);
      for (guint i = 0; i < g_list_model_get_n_items (events); i++)
        {
          g_autoptr(RfEvent) e = g_list_model_get_item (events, i);

          if (rf_event_get_kind (e) == RF_EVENT_ERROR)
            {
              message = rf_event_get_error_message (e);
              g_assert_nonnull (message);
              g_assert_true (g_utf8_validate (message, -1, NULL));
              g_assert_true (g_str_has_prefix (message, "The server failed \"badly\" — ünïcödé\n"));
              g_assert_nonnull (strstr (message, " bytes]"));
              g_assert_cmpuint (strlen (message), <, 4200);
              g_assert_cmpuint (strlen (rf_event_get_elided_json (e)), <, 4200);
            }
        }
      g_assert_nonnull (message);
      rf_rel_assert_texts_valid (session);
      g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_frames (session)), ==, 2);
      g_assert_cmpfloat (seconds, <, rf_rel_scale (10, 60));
      g_assert_cmpuint (growth_mib, <, TSAN_MEM (c->max_mib));
      return;
    }

  g_test_trap_subprocess (NULL, 300 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static guint
count_code (RfSession  *session,
            const char *code)
{
  GListModel *diagnostics = rf_session_get_diagnostics (session);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (diagnostics); i++)
    {
      g_autoptr(RfDiagnostic) d = g_list_model_get_item (diagnostics, i);

      if (g_strcmp0 (rf_diagnostic_get_code (d), code) == 0)
        n++;
    }
  return n;
}

/* 3 million tiny events (27 MB, each `data:{}` and an "invalid-field"
 * warning) once took 2.7 GB; 600 000 of them here (the 3 million are in
 * docs/RELIABILITY.md, through refinery-inspect). A run keeps its first events and the first
 * diagnostics of each code, says so once, and counts the rest exactly. */
static void
test_many_tiny_events (void)
{
  if (g_test_subprocess ())
    {
      guint n = rf_rel_scale (600000, 150000);
      g_autoptr(GBytes) around = stream_around ("{\"type\":\"keepalive\"}", 20);
      gsize around_len = g_bytes_get_size (around);
      const char *text = g_bytes_get_data (around, NULL);
      const char *tail = strstr (text, "data: {\"type\":\"keepalive\"}\n\n");
      g_autoptr(RfGenStream) gen = rf_gen_stream_new ();
      g_autoptr(GBytes) head = NULL;
      g_autoptr(GBytes) rest = NULL;
      g_autoptr(RfSession) session = NULL;
      g_autoptr(RfEvent) first = NULL;
      g_autofree char *dump = NULL;
      guint64 rss_before;
      guint64 growth_mib;
      gint64 start;
      double seconds;
      guint n_around;

      /* The valid stream around the flood: its own events are counted too. */
      g_assert_nonnull (tail);
      head = g_bytes_new (text, tail - text);
      rest = g_bytes_new (tail, around_len - (tail - text));
      rf_gen_stream_add_bytes (gen, head);
      rf_gen_stream_add_repeat (gen, "data:{}\n\n", n);
      rf_gen_stream_add_bytes (gen, rest);
      {
        g_autoptr(RfSession) plain = rf_rel_run_bytes (around, 2, 60);
        n_around = rf_session_get_n_events (plain);
      }

      rss_before = rf_rel_rss_kib ();
      start = g_get_monotonic_time ();
      session = rf_rel_run_stream (G_INPUT_STREAM (gen), 2, 600);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      growth_mib = (rf_rel_peak_rss_kib () - MIN (rss_before, rf_rel_peak_rss_kib ())) / 1024;
      g_printerr ("FIGURES many_tiny_events n=%u bytes=%" G_GUINT64_FORMAT " time_s=%.2f peak_growth_mib=%" G_GUINT64_FORMAT "\n",
                  n, rf_gen_stream_get_size (gen), seconds, growth_mib);
      dump = rf_rel_dump_diagnostics (session);
      g_test_message ("%s", dump);

      /* Counted exactly, kept up to the cap, said once. */
      g_assert_cmpuint (rf_session_get_n_events (session), ==, n + n_around);
      g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_events (session)), ==, RF_SESSION_MAX_EVENTS);
      g_assert_cmpuint (count_code (session, "events-not-kept"), ==, 1);
      g_assert_cmpuint (count_code (session, "invalid-field"), ==, RF_SESSION_MAX_DIAGNOSTICS_PER_CODE);
      g_assert_cmpuint (count_code (session, "diagnostics-not-kept"), ==, 1);
      g_assert_cmpuint (rf_session_get_n_diagnostics_dropped (session), ==, n - RF_SESSION_MAX_DIAGNOSTICS_PER_CODE);
      first = g_list_model_get_item (rf_session_get_events (session), 0);
      g_assert_cmpuint (rf_event_get_position (first), ==, 0);
      rf_rel_assert_texts_valid (session);
      /* Both frames, the one after the flood too. */
      g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_frames (session)), ==, 2);
      g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
      /* ASan's quarantine holds what is freed (546 MiB measured). */
      g_assert_cmpuint (growth_mib, <, rf_rel_sanitized () ? 1024 : 160);
      return;
    }

  g_test_trap_subprocess (NULL, 900 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A stream that names 200 000 images (an output_item.added with a new
 * output_index and item id each; 50 000 sanitized): lanes stop at RF_ASSEMBLER_MAX_LANES,
 * one too-many-lanes diagnostic says so, the images inside the cap are
 * kept, every event is counted, and memory and time stay bounded. */
static void
test_many_lanes (void)
{
  if (g_test_subprocess ())
    {
      guint n = rf_rel_scale (200000, 50000);
      g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
      g_autoptr(RfTestStream) t = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
      g_autoptr(GBytes) first = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 1);
      g_autoptr(GBytes) stray = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 5);
      g_autoptr(GBytes) final = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 9);
      g_autoptr(GBytes) head = NULL;
      g_autoptr(GBytes) tail = NULL;
      g_autoptr(GBytes) all = NULL;
      g_autoptr(RfSession) session = NULL;
      g_autoptr(RfSession) plain = NULL;
      g_autofree char *dump = NULL;
      GString *flood = g_string_new (NULL);
      guint n_around;
      guint64 rss_before;
      guint64 growth_mib;
      gint64 start;
      double seconds;

      rf_test_stream_created (s, "resp_lanes", 1);
      rf_test_stream_item_added (s, 0, "ig_0");
      rf_test_stream_partial (s, 0, "ig_0", 0, first);
      head = rf_test_stream_to_bytes (s);
      /* After the flood: a partial of an image past the cap, then the
       * first image's final. */
      rf_test_stream_set_seq (t, 4);
      {
        g_autofree char *past_id = g_strdup_printf ("ig_%u", 2 * RF_ASSEMBLER_MAX_LANES);

        rf_test_stream_partial (t, 2 * RF_ASSEMBLER_MAX_LANES, past_id, 0, stray);
      }
      rf_test_stream_item_done (t, 0, "ig_0", final, NULL);
      rf_test_stream_completed (t, NULL, "ig_0", final);
      tail = rf_test_stream_to_bytes (t);

      g_string_append_len (flood, g_bytes_get_data (head, NULL), g_bytes_get_size (head));
      for (guint i = 1; i <= n; i++)
        g_string_append_printf (flood,
                                "data: {\"type\":\"response.output_item.added\",\"output_index\":%u,"
                                "\"item\":{\"id\":\"ig_%u\",\"type\":\"image_generation_call\","
                                "\"status\":\"in_progress\"}}\n\n", i, i);
      g_string_append_len (flood, g_bytes_get_data (tail, NULL), g_bytes_get_size (tail));
      all = g_string_free_to_bytes (flood);

      {
        g_autoptr(GByteArray) around = g_byte_array_new ();

        g_byte_array_append (around, g_bytes_get_data (head, NULL), g_bytes_get_size (head));
        g_byte_array_append (around, g_bytes_get_data (tail, NULL), g_bytes_get_size (tail));
        plain = rf_rel_run_bytes (g_byte_array_free_to_bytes (g_steal_pointer (&around)), 2, 60);
        n_around = rf_session_get_n_events (plain);
      }

      rss_before = rf_rel_rss_kib ();
      start = g_get_monotonic_time ();
      session = rf_rel_run_bytes (all, 2, 600);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      growth_mib = (rf_rel_peak_rss_kib () - MIN (rss_before, rf_rel_peak_rss_kib ())) / 1024;
      g_printerr ("FIGURES many_lanes n=%u bytes=%" G_GSIZE_FORMAT " time_s=%.2f peak_growth_mib=%" G_GUINT64_FORMAT "\n",
                  n, g_bytes_get_size (all), seconds, growth_mib);
      dump = rf_rel_dump_diagnostics (session);
      g_test_message ("%s", dump);

      g_assert_true (rf_session_get_finished (session));
      g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_lanes (session)), ==, RF_ASSEMBLER_MAX_LANES);
      g_assert_cmpuint (count_code (session, "too-many-lanes"), ==, 1);
      {
        g_autofree char *cap = g_strdup_printf ("%u", RF_ASSEMBLER_MAX_LANES);

        g_assert_nonnull (strstr (dump, cap));
      }
      /* Every event counted; the first image's two frames kept and
       * decoded, nothing of the image past the cap. */
      g_assert_cmpuint (rf_session_get_n_events (session), ==, n + n_around);
      g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_frames (session)), ==, 2);
      for (guint i = 0; i < 2; i++)
        {
          g_autoptr(RfFrame) frame = g_list_model_get_item (rf_session_get_frames (session), i);

          g_assert_cmpuint (rf_frame_get_lane_index (frame), ==, 0);
          g_assert_cmpint (rf_frame_get_decode_status (frame), ==, RF_DECODE_OK);
        }
      rf_rel_assert_texts_valid (session);
      /* Bounds for a loaded 2-core machine; without the cap each image
       * was a lane with its tables, and the timeline a row for each. */
      g_assert_cmpfloat (seconds, <, rf_rel_sanitized () ? 300 : 120);
      g_assert_cmpuint (growth_mib, <, rf_rel_sanitized () ? 1024 : 160);
      return;
    }

  g_test_trap_subprocess (NULL, 900 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* 10 MB of JSON structure (an array of numbers) would be a tree of
 * gigabytes: refused with a diagnostic, at once. */
static void
test_big_structure (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GString) event = g_string_new ("{\"type\":\"response.in_progress\",\"sequence_number\":3,\"x\":[");
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(RfSession) session = NULL;
      g_autofree char *dump = NULL;
      guint64 rss_before;
      guint64 growth_mib;

      while (event->len < 10 * 1024 * 1024)
        g_string_append (event, "0,1,2,3,4,5,6,7,8,9,");
      g_string_append (event, "0]}");
      bytes = stream_around (event->str, event->len);

      rss_before = rf_rel_rss_kib ();
      session = rf_rel_run_bytes (bytes, 2, 60);
      growth_mib = (rf_rel_peak_rss_kib () - MIN (rss_before, rf_rel_peak_rss_kib ())) / 1024;
      dump = rf_rel_dump_diagnostics (session);
      g_test_message ("%s", dump);
      g_printerr ("FIGURES big_structure peak_growth_mib=%" G_GUINT64_FORMAT "\n", growth_mib);

      g_assert_nonnull (strstr (dump, "KiB of JSON structure"));
      g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_frames (session)), ==, 2);
      /* ThreadSanitizer keeps shadow memory for every byte touched. */
      g_assert_cmpuint (growth_mib, <, TSAN_MEM (rf_rel_sanitized () ? 400 : 100));
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A 52 MB error message once froze the app and the terminal: the CLI's
 * summary prints it cut, --dump=sse gives every byte. */
static void
test_big_message_cli (void)
{
  guint mib = rf_rel_scale (52, 20);
  g_autoptr(GString) event = big_error_event (mib);
  g_autoptr(GBytes) bytes = stream_around (event->str, event->len);
  g_autofree char *path = rf_test_write_temp_file (bytes, ".sse");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int status;

  {
    const char *argv[] = { rf_rel_inspect_path (), path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
  }
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (out, "The server failed"));
  g_assert_cmpuint (strlen (out) + strlen (err), <, 64 * 1024);
  /* Each line a display copy (rf_text_show: 1000 bytes and the note of
   * the size the message had, after the line's own words). */
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
    g_auto(GStrv) err_lines = g_strsplit (err, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      g_assert_cmpuint (strlen (lines[i]), <, RF_TEXT_SHOW_LONG + 200);
    for (guint i = 0; err_lines[i] != NULL; i++)
      g_assert_cmpuint (strlen (err_lines[i]), <, RF_TEXT_SHOW_LONG + 200);
    g_assert_nonnull (strstr (out, " bytes]"));
  }
  g_assert_cmpfloat ((g_get_monotonic_time () - start) / 1e6, <, rf_rel_scale (20, 60));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The full text on demand. */
  {
    const char *argv[] = { rf_rel_inspect_path (), "--dump=sse", path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
  }
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (out), >, event->len);
  g_unlink (path);
}

static void
close_stdin (gpointer data)
{
  close (STDIN_FILENO);
}

/* refinery-inspect - with stdin closed once waited forever. */
static void
test_stdin_closed (void)
{
  const char *argv[] = { rf_rel_inspect_path (), "-", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, close_stdin, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "Standard input is closed"));
  g_assert_cmpfloat ((g_get_monotonic_time () - start) / 1e6, <, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bounds/escaped-images-linear", test_escaped_images_linear);
  g_test_add_func ("/bounds/marker-collision", test_marker_collision);
  g_test_add_func ("/bounds/huge-partial-index", test_huge_partial_index);
  g_test_add_func ("/bounds/huge-partial-index-cli", test_huge_partial_index_cli);
  g_test_add_func ("/bounds/stdin-closed", test_stdin_closed);
  g_test_add_data_func ("/bounds/big-text-event/10MB", &big_cases[0], test_big_text_event);
  g_test_add_data_func ("/bounds/big-text-event/90MB", &big_cases[1], test_big_text_event);
  g_test_add_func ("/bounds/big-structure", test_big_structure);
  g_test_add_func ("/bounds/many-tiny-events", test_many_tiny_events);
  g_test_add_func ("/bounds/many-lanes", test_many_lanes);
  g_test_add_func ("/bounds/big-message-cli", test_big_message_cli);
#ifdef HAVE_LIBWEBP
  g_test_add_func ("/bounds/animated-webp", test_animated_webp);
#endif

  return g_test_run ();
}
