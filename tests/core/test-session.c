/*
 * test-session.c
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

#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-file-source.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-session.h"
#include "rf-sse-parser.h"
#include "rf-test-util.h"

/* The model's rules (DESIGN.md "Rules the model follows") and the pitfalls
 * of PROTOCOL.md §10, each run through a whole RfSession. */

typedef struct
{
  GMainLoop *loop;
  guint      n_finished;
  guint      n_added;
  guint      n_decoded;
  guint      max_pending;
  guint      n_pixbuf_ready;
} Run;

static void
finished_cb (RfSession *session,
             Run       *run)
{
  run->n_finished++;
  g_main_loop_quit (run->loop);
}

static void
frame_added_cb (RfSession *session,
                RfFrame   *frame,
                Run       *run)
{
  run->n_added++;
  run->max_pending = MAX (run->max_pending, run->n_added - run->n_decoded);
}

static void
frame_decoded_cb (RfSession *session,
                  RfFrame   *frame,
                  Run       *run)
{
  run->n_decoded++;
  g_assert_cmpint (rf_frame_get_decode_status (frame), !=, RF_DECODE_PENDING);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("the session did not finish in time");
  return G_SOURCE_REMOVE;
}

static void
run_until_finished (RfSession *session,
                    RfSource  *source,
                    Run       *run)
{
  guint timeout_id;

  run->loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (session, "finished", G_CALLBACK (finished_cb), run);
  g_signal_connect (session, "frame-added", G_CALLBACK (frame_added_cb), run);
  g_signal_connect (session, "frame-decoded", G_CALLBACK (frame_decoded_cb), run);

  timeout_id = g_timeout_add_seconds (30, timeout_cb, NULL);
  rf_session_start (session, source);
  if (!rf_session_get_finished (session))
    g_main_loop_run (run->loop);
  g_source_remove (timeout_id);
  g_clear_pointer (&run->loop, g_main_loop_unref);

  g_assert_true (rf_session_get_finished (session));
  g_assert_cmpuint (run->n_finished, ==, 1);
  g_assert_cmpuint (run->n_decoded, ==, run->n_added);
}

static RfSource *
memory_source (GBytes *bytes)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

  return rf_file_source_new_for_stream (stream, "test");
}

/* Runs @bytes through a new session with default options. */
static RfSession *
run_bytes (GBytes *bytes)
{
  RfSession *session = rf_session_new ();
  g_autoptr(RfSource) source = memory_source (bytes);
  Run run = { 0 };

  rf_session_set_n_workers (session, 2);
  run_until_finished (session, source, &run);

  return session;
}

static RfSession *
run_stream (RfTestStream *s)
{
  g_autoptr(GBytes) bytes = rf_test_stream_to_bytes (s);

  return run_bytes (bytes);
}

static guint
n_frames (RfSession *session)
{
  return g_list_model_get_n_items (rf_session_get_frames (session));
}

static guint
n_lanes (RfSession *session)
{
  return g_list_model_get_n_items (rf_session_get_lanes (session));
}

/* Borrowed: the session's store keeps it. */
static RfFrame *
get_frame (RfSession *session,
           guint      i)
{
  g_autoptr(RfFrame) frame = g_list_model_get_item (rf_session_get_frames (session), i);

  g_assert_nonnull (frame);
  return frame;
}

static RfLane *
get_lane (RfSession *session,
          guint      i)
{
  RfLane *lane = rf_session_get_lane (session, i);

  g_assert_nonnull (lane);
  return lane;
}

/* The first diagnostic with @code, or NULL. Borrowed. */
static RfDiagnostic *
find_diagnostic (RfSession  *session,
                 const char *code)
{
  GListModel *model = rf_session_get_diagnostics (session);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RfDiagnostic) d = g_list_model_get_item (model, i);

      if (g_strcmp0 (rf_diagnostic_get_code (d), code) == 0)
        return d;
    }

  return NULL;
}

static guint
count_diagnostics (RfSession  *session,
                   const char *code)
{
  GListModel *model = rf_session_get_diagnostics (session);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RfDiagnostic) d = g_list_model_get_item (model, i);

      if (code == NULL || g_strcmp0 (rf_diagnostic_get_code (d), code) == 0)
        n++;
    }

  return n;
}

static void
dump_diagnostics (RfSession *session)
{
  GListModel *model = rf_session_get_diagnostics (session);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RfDiagnostic) d = g_list_model_get_item (model, i);

      g_test_message ("diagnostic %s [%s] seq %" G_GINT64_FORMAT ": %s",
                      rf_severity_to_string (rf_diagnostic_get_severity (d)),
                      rf_diagnostic_get_code (d), rf_diagnostic_get_sequence_number (d),
                      rf_diagnostic_get_message (d));
    }
}

static RfDiagnostic *
expect_diagnostic (RfSession  *session,
                   const char *code,
                   RfSeverity  severity,
                   gint64      seq)
{
  RfDiagnostic *d;

  dump_diagnostics (session);
  d = find_diagnostic (session, code);
  if (d == NULL)
    g_error ("no “%s” diagnostic", code);
  g_assert_cmpint (rf_diagnostic_get_severity (d), ==, severity);
  if (seq >= 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

      g_assert_cmpint (rf_diagnostic_get_sequence_number (d), ==, seq);
      /* The message names the event too. */
      g_assert_nonnull (strstr (rf_diagnostic_get_message (d), number));
    }

  return d;
}

/* No diagnostic at all, or only those with the given codes. */
static void
assert_clean (RfSession *session)
{
  dump_diagnostics (session);
  g_assert_cmpuint (count_diagnostics (session, NULL), ==, 0);
  g_assert_false (rf_session_has_errors (session));
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_null (rf_session_get_failure_message (session));
  g_assert_null (rf_session_get_error (session));
}

/* Frame @i has the expected identity and decoded exactly like an
 * independent decode of @image. */
static void
assert_frame (RfSession   *session,
              guint        i,
              guint        lane,
              RfFrameKind  kind,
              gint64       partial_index,
              gint64       seq,
              GBytes      *image)
{
  RfFrame *frame = get_frame (session, i);
  g_autoptr(GdkPixbuf) expected = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;

  g_assert_cmpuint (rf_frame_get_index (frame), ==, i);
  g_assert_cmpuint (rf_frame_get_lane_index (frame), ==, lane);
  g_assert_cmpint (rf_frame_get_kind (frame), ==, kind);
  g_assert_cmpint (rf_frame_get_partial_index (frame), ==, partial_index);
  if (seq != G_MININT64)
    g_assert_cmpint (rf_frame_get_sequence_number (frame), ==, seq);

  if (image == NULL)
    return;

  g_assert_cmpint (rf_frame_get_decode_status (frame), ==, RF_DECODE_OK);
  g_assert_null (rf_frame_get_decode_error (frame));
  g_assert_nonnull (rf_frame_get_encoded (frame));
  g_assert_true (g_bytes_equal (rf_frame_get_encoded (frame), image));
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image);
  g_assert_cmpstr (rf_frame_get_sha256 (frame), ==, sha256);
  g_assert_nonnull (rf_frame_get_thumbnail (frame));

  expected = rf_test_decode (image);
  g_assert_cmpint (rf_frame_get_width (frame), ==, gdk_pixbuf_get_width (expected));
  g_assert_cmpint (rf_frame_get_height (frame), ==, gdk_pixbuf_get_height (expected));
  g_assert_cmpint (rf_frame_get_declared_width (frame), ==, gdk_pixbuf_get_width (expected));
  g_assert_cmpint (rf_frame_get_has_alpha (frame), ==, gdk_pixbuf_get_has_alpha (expected));

  decoded = rf_frame_decode_pixbuf (frame, &error);
  g_assert_no_error (error);
  g_assert_true (rf_test_pixbufs_equal (decoded, expected));

  /* The cached pixels, when the cache kept them, are the same. */
  {
    GdkPixbuf *cached = rf_session_lookup_pixbuf (session, frame);

    if (cached != NULL)
      g_assert_true (rf_test_pixbufs_equal (cached, expected));
  }
}

static GBytes *
image (guint seed)
{
  return rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, seed);
}

/* Rule: the final image comes from output_item.done, and
 * response.completed repeating it adds no second final. */
static void
test_final_from_item_done (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) p1 = image (1);
  g_autoptr(GBytes) fin = image (2);
  GBytes *partials[] = { p0, p1 };
  g_autoptr(RfSession) session = NULL;
  RfLane *lane;

  rf_test_stream_created (s, "resp_1", 2);        /* 0 */
  rf_test_stream_in_progress (s);                 /* 1 */
  rf_test_stream_image_call (s, 0, "ig_1", partials, 2, fin, "An owl");
  /* 2 added, 3 in_progress, 4 generating, 5 6 partials, 7 .completed, 8 done */
  rf_test_stream_completed (s, NULL, "ig_1", fin); /* 9 */
  session = run_stream (s);

  assert_clean (session);
  g_assert_cmpuint (n_lanes (session), ==, 1);
  g_assert_cmpuint (n_frames (session), ==, 3);
  assert_frame (session, 0, 0, RF_FRAME_KIND_PARTIAL, 0, 5, p0);
  assert_frame (session, 1, 0, RF_FRAME_KIND_PARTIAL, 1, 6, p1);
  assert_frame (session, 2, 0, RF_FRAME_KIND_FINAL, -1, 8, fin);

  lane = get_lane (session, 0);
  g_assert_cmpstr (rf_lane_get_item_id (lane), ==, "ig_1");
  g_assert_cmpint (rf_lane_get_output_index (lane), ==, 0);
  g_assert_cmpuint (rf_lane_get_n_partials (lane), ==, 2);
  g_assert_true (rf_lane_get_final (lane) == get_frame (session, 2));
  g_assert_cmpstr (rf_lane_get_revised_prompt (lane), ==, "An owl");
  g_assert_cmpstr (rf_session_get_response_id (session), ==, "resp_1");
  g_assert_cmpint (rf_session_get_requested_partials (session), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_events (session)), ==, 10);
  g_assert_cmpstr (rf_frame_get_item_id (get_frame (session, 2)), ==, "ig_1");
  g_assert_cmpint (rf_frame_get_format (get_frame (session, 2)), ==, RF_IMAGE_FORMAT_PNG);
}

/* Rule: never a final from …partial_image or …image_generation_call.completed. */
static void
test_no_final_from_partial (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) p1 = image (1);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);
  rf_test_stream_partial (s, 0, "ig_1", 1, p1);
  rf_test_stream_call_status (s, 0, "ig_1", "completed");
  rf_test_stream_completed (s, NULL, NULL, NULL);
  session = run_stream (s);

  dump_diagnostics (session);
  g_assert_cmpuint (n_frames (session), ==, 2);
  assert_frame (session, 0, 0, RF_FRAME_KIND_PARTIAL, 0, 2, p0);
  assert_frame (session, 1, 0, RF_FRAME_KIND_PARTIAL, 1, 3, p1);
  g_assert_null (rf_lane_get_final (get_lane (session, 0)));
  expect_diagnostic (session, "no-final", RF_SEVERITY_ERROR, -1);
}

/* Rule: response.completed is used when no output_item.done carried the
 * image. */
static void
test_final_from_completed (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) fin = image (5);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 1);         /* 0 */
  rf_test_stream_item_added (s, 0, "ig_1");        /* 1 */
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);    /* 2 */
  rf_test_stream_completed (s, NULL, "ig_1", fin); /* 3 */
  session = run_stream (s);

  assert_clean (session);
  g_assert_cmpuint (n_frames (session), ==, 2);
  assert_frame (session, 0, 0, RF_FRAME_KIND_PARTIAL, 0, 2, p0);
  assert_frame (session, 1, 0, RF_FRAME_KIND_FINAL, -1, 3, fin);
}

/* Rule: a final whose item id differs from the streamed one is matched by
 * output_index (OpenRouter). */
static void
test_final_other_item_id (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_OPENROUTER);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) fin = image (1);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "gen-1", -1);
  rf_test_stream_partial (s, 0, "ig_stream", 0, p0);
  rf_test_stream_item_done (s, 0, "ig_final", fin, NULL);
  rf_test_stream_completed (s, NULL, "ig_final", fin);
  rf_test_stream_done (s);
  session = run_stream (s);

  assert_clean (session);
  g_assert_cmpuint (n_lanes (session), ==, 1);
  g_assert_cmpuint (n_frames (session), ==, 2);
  assert_frame (session, 0, 0, RF_FRAME_KIND_PARTIAL, 0, 1, p0);
  assert_frame (session, 1, 0, RF_FRAME_KIND_FINAL, -1, 2, fin);
}

/* Rule: output 1 may finish before output 0. */
static void
test_output_order (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_OPENROUTER);
  g_autoptr(GBytes) a0 = image (10);
  g_autoptr(GBytes) b0 = image (20);
  g_autoptr(GBytes) a = image (11);
  g_autoptr(GBytes) b = image (21);
  g_autoptr(RfSession) session = NULL;
  RfTestOutput outputs[] = { { 0, "x_a", a, NULL }, { 1, "x_b", b, NULL } };

  rf_test_stream_created (s, "gen-1", -1);       /* 0 */
  rf_test_stream_partial (s, 0, "ig_a", 0, a0);   /* 1 */
  rf_test_stream_partial (s, 1, "ig_b", 0, b0);   /* 2 */
  rf_test_stream_item_done (s, 1, "x_b", b, NULL); /* 3 */
  rf_test_stream_item_done (s, 0, "x_a", a, NULL); /* 4 */
  rf_test_stream_completed_multi (s, NULL, outputs, 2);
  rf_test_stream_done (s);
  session = run_stream (s);

  assert_clean (session);
  g_assert_cmpuint (n_lanes (session), ==, 2);
  g_assert_cmpuint (n_frames (session), ==, 4);
  assert_frame (session, 0, 0, RF_FRAME_KIND_PARTIAL, 0, 1, a0);
  assert_frame (session, 1, 1, RF_FRAME_KIND_PARTIAL, 0, 2, b0);
  assert_frame (session, 2, 1, RF_FRAME_KIND_FINAL, -1, 3, b);
  assert_frame (session, 3, 0, RF_FRAME_KIND_FINAL, -1, 4, a);
  g_assert_cmpint (rf_lane_get_output_index (get_lane (session, 1)), ==, 1);
}

/* Rule: a final identical to the last partial is still a final frame. */
static void
test_final_equals_partial (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) p1 = image (1);
  GBytes *partials[] = { p0, p1 };
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_image_call (s, 0, "ig_1", partials, 2, p1, NULL);
  rf_test_stream_completed (s, NULL, "ig_1", p1);
  session = run_stream (s);

  assert_clean (session);
  g_assert_cmpuint (n_frames (session), ==, 3);
  assert_frame (session, 1, 0, RF_FRAME_KIND_PARTIAL, 1, G_MININT64, p1);
  assert_frame (session, 2, 0, RF_FRAME_KIND_FINAL, -1, G_MININT64, p1);
  g_assert_cmpstr (rf_frame_get_sha256 (get_frame (session, 1)), ==,
                   rf_frame_get_sha256 (get_frame (session, 2)));
}

/* Rule: the format comes from the bytes, not from output_format. */
static void
test_format_sniffed (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) jpeg = rf_test_make_image (RF_IMAGE_FORMAT_JPEG, 16, 16, FALSE, 3);
  g_autoptr(GBytes) png = image (4);
  g_autofree char *jpeg_b64 = rf_test_base64 (jpeg);
  g_autofree char *png_b64 = rf_test_base64 (png);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 1);
  rf_test_stream_add_eventf (s, "{\"type\":\"response.image_generation_call.partial_image\",\"sequence_number\":1,"
                             "\"output_index\":0,\"item_id\":\"ig_1\",\"partial_image_index\":0,"
                             "\"partial_image_b64\":\"%s\",\"output_format\":\"png\"}", jpeg_b64);
  rf_test_stream_add_eventf (s, "{\"type\":\"response.output_item.done\",\"sequence_number\":2,"
                             "\"output_index\":0,\"item\":{\"id\":\"ig_1\",\"type\":\"image_generation_call\","
                             "\"status\":\"completed\",\"output_format\":\"jpeg\",\"result\":\"%s\"}}", png_b64);
  rf_test_stream_completed (s, NULL, NULL, NULL);
  session = run_stream (s);

  assert_clean (session);
  g_assert_cmpuint (n_frames (session), ==, 2);
  assert_frame (session, 0, 0, RF_FRAME_KIND_PARTIAL, 0, 1, jpeg);
  assert_frame (session, 1, 0, RF_FRAME_KIND_FINAL, -1, 2, png);
  g_assert_cmpint (rf_frame_get_format (get_frame (session, 0)), ==, RF_IMAGE_FORMAT_JPEG);
  g_assert_cmpint (rf_frame_get_format (get_frame (session, 1)), ==, RF_IMAGE_FORMAT_PNG);
}

/* Rule: a stream with 0 partials still shows the final. */
static void
test_zero_partials (void)
{
  const RfTestFlavor flavors[] = { RF_TEST_FLAVOR_RESPONSES, RF_TEST_FLAVOR_OPENROUTER, RF_TEST_FLAVOR_IMAGES };

  for (guint f = 0; f < G_N_ELEMENTS (flavors); f++)
    {
      g_autoptr(GPtrArray) images = NULL;
      g_autoptr(GBytes) bytes = rf_test_build_stream (flavors[f], 0, RF_IMAGE_FORMAT_PNG, FALSE, &images);
      g_autoptr(RfSession) session = run_bytes (bytes);

      assert_clean (session);
      g_assert_cmpuint (n_lanes (session), ==, 1);
      g_assert_cmpuint (n_frames (session), ==, 1);
      assert_frame (session, 0, 0, RF_FRAME_KIND_FINAL, -1, G_MININT64, images->pdata[0]);
    }
}

/* A recording and its request sidecar: run.sse + run.request.json. */
static RfSession *
run_recording (GBytes     *bytes,
               const char *name,
               const char *request_json)
{
  g_autofree char *dir = g_build_filename (rf_test_get_temp_dir (), name, NULL);
  g_autofree char *sse = g_build_filename (dir, "run.sse", NULL);
  g_autofree char *request = g_build_filename (dir, "run.request.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (sse);
  g_autoptr(RfSource) source = NULL;
  g_autoptr(GError) error = NULL;
  RfSession *session = rf_session_new ();
  Run run = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (sse, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  if (request_json != NULL)
    {
      g_file_set_contents (request, request_json, -1, &error);
      g_assert_no_error (error);
    }

  source = rf_file_source_new (file);
  run_until_finished (session, source, &run);

  return session;
}

/* Rule: fewer partials than requested (from the request sidecar) says so. */
static void
test_fewer_partials_sidecar (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_OPENROUTER);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) fin = image (1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfSession) without = NULL;
  RfDiagnostic *d;

  rf_test_stream_created (s, "gen-1", -1);
  rf_test_stream_image_call (s, 0, "ig_1", &p0, 1, fin, NULL);
  rf_test_stream_completed (s, NULL, "ig_1", fin);
  rf_test_stream_done (s);
  bytes = rf_test_stream_to_bytes (s);

  session = run_recording (bytes, "fewer",
                           "{\"model\":\"gpt-5\",\"input\":\"Owls\",\"stream\":true,"
                           "\"tools\":[{\"type\":\"image_generation\",\"partial_images\":3}]}");
  g_assert_cmpint (rf_session_get_requested_partials (session), ==, 3);
  g_assert_nonnull (rf_session_get_request_json (session));
  g_assert_cmpuint (n_frames (session), ==, 2);
  d = expect_diagnostic (session, "fewer-partials", RF_SEVERITY_WARNING, -1);
  g_assert_nonnull (strstr (rf_diagnostic_get_message (d), "1 of 3"));
  g_assert_cmpint (rf_diagnostic_get_lane (d), ==, 0);
  /* Not an error: the stream is complete. */
  g_assert_false (rf_session_has_errors (session));
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);

  /* Without the sidecar nothing is known and nothing is owed. */
  without = run_recording (bytes, "fewer-no-sidecar", NULL);
  assert_clean (without);
  g_assert_cmpint (rf_session_get_requested_partials (without), ==, -1);
}

/* Rule: fewer partials, known from the tool echoed in response.created. */
static void
test_fewer_partials_echo (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) fin = image (1);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 3);
  rf_test_stream_image_call (s, 0, "ig_1", &p0, 1, fin, NULL);
  rf_test_stream_completed (s, NULL, "ig_1", fin);
  session = run_stream (s);

  g_assert_cmpint (rf_session_get_requested_partials (session), ==, 3);
  expect_diagnostic (session, "fewer-partials", RF_SEVERITY_WARNING, -1);
  g_assert_null (find_diagnostic (session, "partials-ignored"));
  g_assert_false (rf_session_has_errors (session));
}

/* Rule: the server ignored partial_images (PROTOCOL.md §10: "0 of N
 * partials" shown). */
static void
test_partials_ignored (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) fin = image (1);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_image_call (s, 0, "ig_1", NULL, 0, fin, NULL);
  rf_test_stream_completed (s, NULL, "ig_1", fin);
  session = run_stream (s);

  g_assert_cmpuint (n_frames (session), ==, 1);
  expect_diagnostic (session, "partials-ignored", RF_SEVERITY_WARNING, -1);
  g_assert_null (find_diagnostic (session, "fewer-partials"));
  g_assert_false (rf_session_has_errors (session));
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
}

/* Rule: frames keep arrival order; a sequence gap is diagnosed, never
 * fatal. */
static void
test_sequence_gap (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) p1 = image (1);
  g_autoptr(GBytes) fin = image (2);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);        /* 0 */
  rf_test_stream_item_added (s, 0, "ig_1");       /* 1 */
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);   /* 2 */
  rf_test_stream_set_seq (s, 6);                  /* 3 4 5 lost */
  rf_test_stream_partial (s, 0, "ig_1", 1, p1);   /* 6 */
  rf_test_stream_item_done (s, 0, "ig_1", fin, NULL); /* 7 */
  rf_test_stream_completed (s, NULL, "ig_1", fin);    /* 8 */
  session = run_stream (s);

  expect_diagnostic (session, "sequence-gap", RF_SEVERITY_WARNING, 6);
  g_assert_nonnull (strstr (rf_diagnostic_get_message (find_diagnostic (session, "sequence-gap")), "3"));
  g_assert_cmpuint (count_diagnostics (session, NULL), ==, 1);
  g_assert_false (rf_session_has_errors (session));
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_cmpuint (n_frames (session), ==, 3);
  assert_frame (session, 1, 0, RF_FRAME_KIND_PARTIAL, 1, 6, p1);
}

static void
test_sequence_duplicate (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) p1 = image (1);
  g_autoptr(GBytes) fin = image (2);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);        /* 0 */
  rf_test_stream_item_added (s, 0, "ig_1");       /* 1 */
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);   /* 2 */
  rf_test_stream_set_seq (s, 2);
  rf_test_stream_partial (s, 0, "ig_1", 1, p1);   /* 2 again */
  rf_test_stream_item_done (s, 0, "ig_1", fin, NULL);
  rf_test_stream_completed (s, NULL, "ig_1", fin);
  session = run_stream (s);

  expect_diagnostic (session, "sequence-duplicate", RF_SEVERITY_WARNING, 2);
  g_assert_false (rf_session_has_errors (session));
  /* Both events are kept: a repeated number is not a replay here. */
  g_assert_cmpuint (n_frames (session), ==, 3);
  assert_frame (session, 1, 0, RF_FRAME_KIND_PARTIAL, 1, 2, p1);
}

static void
test_sequence_out_of_order (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) p1 = image (1);
  g_autoptr(GBytes) fin = image (2);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);        /* 0 */
  rf_test_stream_item_added (s, 0, "ig_1");       /* 1 */
  rf_test_stream_set_seq (s, 3);
  rf_test_stream_partial (s, 0, "ig_1", 1, p1);   /* 3 */
  rf_test_stream_set_seq (s, 2);
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);   /* 2, late */
  rf_test_stream_set_seq (s, 4);
  rf_test_stream_item_done (s, 0, "ig_1", fin, NULL); /* 4 */
  rf_test_stream_completed (s, NULL, "ig_1", fin);    /* 5 */
  session = run_stream (s);

  expect_diagnostic (session, "sequence-order", RF_SEVERITY_WARNING, 2);
  g_assert_false (rf_session_has_errors (session));
  /* Frames keep arrival order. */
  g_assert_cmpuint (n_frames (session), ==, 3);
  assert_frame (session, 0, 0, RF_FRAME_KIND_PARTIAL, 1, 3, p1);
  assert_frame (session, 1, 0, RF_FRAME_KIND_PARTIAL, 0, 2, p0);
}

static void
test_partial_after_final (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) late = image (7);
  g_autoptr(GBytes) fin = image (2);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_image_call (s, 0, "ig_1", &p0, 1, fin, NULL); /* 1..6 */
  rf_test_stream_partial (s, 0, "ig_1", 1, late);             /* 7 */
  rf_test_stream_completed (s, NULL, "ig_1", fin);
  session = run_stream (s);

  expect_diagnostic (session, "partial-after-final", RF_SEVERITY_WARNING, 7);
  g_assert_false (rf_session_has_errors (session));
  g_assert_cmpuint (n_frames (session), ==, 3);
  assert_frame (session, 2, 0, RF_FRAME_KIND_PARTIAL, 1, 7, late);
  g_assert_true (rf_lane_get_final (get_lane (session, 0)) == get_frame (session, 1));
}

static void
test_unknown_item (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) stray = image (8);
  g_autoptr(GBytes) fin = image (2);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", -1);                    /* 0 */
  rf_test_stream_item_added (s, 0, "ig_1");                    /* 1 */
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);                /* 2 */
  rf_test_stream_partial (s, 5, "ig_ghost", 0, stray);         /* 3 */
  rf_test_stream_item_done (s, 0, "ig_1", fin, NULL);          /* 4 */
  rf_test_stream_completed (s, NULL, "ig_1", fin);             /* 5 */
  session = run_stream (s);

  expect_diagnostic (session, "unknown-item", RF_SEVERITY_WARNING, 3);
  g_assert_nonnull (strstr (rf_diagnostic_get_message (find_diagnostic (session, "unknown-item")), "ig_ghost"));
  /* Recorded as its own frame, never fatal. */
  g_assert_cmpuint (n_frames (session), ==, 3);
  assert_frame (session, 1, 1, RF_FRAME_KIND_PARTIAL, 0, 3, stray);
  assert_frame (session, 2, 0, RF_FRAME_KIND_FINAL, -1, 4, fin);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  /* The stray lane has no final, which is worth a warning, not an error. */
  g_assert_cmpint (rf_diagnostic_get_severity (find_diagnostic (session, "no-final")), ==,
                   RF_SEVERITY_WARNING);
  g_assert_false (rf_session_has_errors (session));
}

static void
test_events_after_end (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) fin = image (2);
  g_autoptr(RfSession) session = NULL;
  gint64 seq;

  rf_test_stream_created (s, "resp_1", 0);
  rf_test_stream_image_call (s, 0, "ig_1", NULL, 0, fin, NULL);
  rf_test_stream_completed (s, NULL, "ig_1", fin);
  seq = rf_test_stream_get_seq (s);
  rf_test_stream_keepalive (s);
  session = run_stream (s);

  expect_diagnostic (session, "after-end", RF_SEVERITY_WARNING, seq);
  g_assert_false (rf_session_has_errors (session));
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_cmpuint (n_frames (session), ==, 1);
}

/* Keepalives take a sequence number and are logged, nothing else;
 * OpenRouter's comment keepalives are not events. */
static void
test_keepalives (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(RfTestStream) or = rf_test_stream_new (RF_TEST_FLAVOR_OPENROUTER);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) fin = image (2);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfSession) or_session = NULL;
  GListModel *events;
  guint n_keepalives = 0;

  rf_test_stream_created (s, "resp_1", 1);
  rf_test_stream_keepalive (s);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_keepalive (s);
  rf_test_stream_keepalive (s);
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);
  rf_test_stream_keepalive (s);
  rf_test_stream_item_done (s, 0, "ig_1", fin, NULL);
  rf_test_stream_completed (s, NULL, "ig_1", fin);
  session = run_stream (s);

  assert_clean (session);
  g_assert_cmpuint (n_frames (session), ==, 2);
  events = rf_session_get_events (session);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 9);
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(RfEvent) event = g_list_model_get_item (events, i);

      g_assert_cmpint (rf_event_get_sequence_number (event), ==, i);
      if (rf_event_get_kind (event) == RF_EVENT_KEEPALIVE)
        n_keepalives++;
    }
  g_assert_cmpuint (n_keepalives, ==, 4);

  rf_test_stream_created (or, "gen-1", -1);
  rf_test_stream_keepalive (or);
  rf_test_stream_partial (or, 0, "ig_1", 0, p0);
  rf_test_stream_keepalive (or);
  rf_test_stream_item_done (or, 0, "ig_1", fin, NULL);
  rf_test_stream_keepalive (or);
  rf_test_stream_done (or);
  or_session = run_stream (or);

  assert_clean (or_session);
  g_assert_cmpuint (n_frames (or_session), ==, 2);
  /* created, partial, done, [DONE] */
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_events (or_session)), ==, 4);
}

static void
assert_failed_keeping (RfSession  *session,
                       const char *message_part,
                       guint       frames)
{
  dump_diagnostics (session);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FAILED);
  g_assert_true (rf_session_has_errors (session));
  g_assert_nonnull (rf_session_get_failure_message (session));
  g_assert_nonnull (strstr (rf_session_get_failure_message (session), message_part));
  /* A stream-level failure, not an I/O error. */
  g_assert_null (rf_session_get_error (session));
  g_assert_cmpuint (n_frames (session), ==, frames);
  for (guint i = 0; i < frames; i++)
    g_assert_cmpint (rf_frame_get_decode_status (get_frame (session, i)), ==, RF_DECODE_OK);
}

/* Rule: error events (both shapes), response.failed and
 * response.incomplete fail the run with their message; frames stay. */
static void
test_error_flat (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);
  rf_test_stream_error_flat (s, "server_error", "Flat went wrong.");   /* 3 */
  session = run_stream (s);

  assert_failed_keeping (session, "Flat went wrong.", 1);
  expect_diagnostic (session, "stream-error", RF_SEVERITY_ERROR, 3);
  g_assert_nonnull (strstr (rf_session_get_failure_message (session), "3"));
  /* The error explains the end: no separate "truncated". */
  g_assert_null (find_diagnostic (session, "truncated"));
}

static void
test_error_nested (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);
  rf_test_stream_error_nested (s, "server_error", NULL, "Sorry, something went wrong."); /* 3 */
  rf_test_stream_failed (s, "server_error", "Sorry, something went wrong.");             /* 4 */
  session = run_stream (s);

  assert_failed_keeping (session, "Sorry, something went wrong.", 1);
  expect_diagnostic (session, "stream-error", RF_SEVERITY_ERROR, 3);
  expect_diagnostic (session, "response-failed", RF_SEVERITY_ERROR, 4);
}

static void
test_response_failed (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);
  rf_test_stream_failed (s, "image_content_policy_violation", "Blocked."); /* 3 */
  session = run_stream (s);

  assert_failed_keeping (session, "Blocked.", 1);
  expect_diagnostic (session, "response-failed", RF_SEVERITY_ERROR, 3);
  g_assert_nonnull (strstr (rf_session_get_failure_message (session), "image_content_policy_violation"));
  g_assert_null (find_diagnostic (session, "truncated"));
}

static void
test_response_incomplete (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);
  rf_test_stream_incomplete (s, "content_filter"); /* 3 */
  session = run_stream (s);

  assert_failed_keeping (session, "content_filter", 1);
  expect_diagnostic (session, "response-incomplete", RF_SEVERITY_ERROR, 3);
}

/* Rule: a connection that drops before the end is shown; frames stay. */
static void
test_truncated_between_events (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) p1 = image (1);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);
  rf_test_stream_partial (s, 0, "ig_1", 1, p1);  /* 3 */
  session = run_stream (s);

  assert_failed_keeping (session, "3", 2);
  expect_diagnostic (session, "truncated", RF_SEVERITY_ERROR, -1);
  g_assert_nonnull (strstr (rf_diagnostic_get_message (find_diagnostic (session, "truncated")), "3"));
}

static void
test_truncated_mid_event (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) p1 = image (1);
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GBytes) cut = NULL;
  g_autoptr(RfSession) session = NULL;
  gsize len;

  rf_test_stream_created (s, "resp_1", 2);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);  /* 2 */
  rf_test_stream_partial (s, 0, "ig_1", 1, p1);  /* 3, cut in the middle */
  whole = rf_test_stream_to_bytes (s);
  len = g_bytes_get_size (whole);
  cut = g_bytes_new_from_bytes (whole, 0, len - 200);
  session = run_bytes (cut);

  assert_failed_keeping (session, "2", 1);
  expect_diagnostic (session, "truncated", RF_SEVERITY_ERROR, -1);
  /* One diagnostic says both what broke and what was kept. */
  g_assert_cmpuint (count_diagnostics (session, "truncated"), ==, 1);
  g_assert_nonnull (strstr (rf_diagnostic_get_message (find_diagnostic (session, "truncated")),
                            "incomplete event"));
  assert_frame (session, 0, 0, RF_FRAME_KIND_PARTIAL, 0, 2, p0);
}

/* Images API: one lane per image, final from *.completed b64_json. */
static void
test_images_api (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = rf_test_build_stream (RF_TEST_FLAVOR_IMAGES, 2, RF_IMAGE_FORMAT_PNG, FALSE, &images);
  g_autoptr(RfSession) session = run_bytes (bytes);

  assert_clean (session);
  g_assert_cmpuint (n_lanes (session), ==, 1);
  g_assert_cmpuint (n_frames (session), ==, 3);
  assert_frame (session, 0, 0, RF_FRAME_KIND_PARTIAL, 0, -1, images->pdata[0]);
  assert_frame (session, 1, 0, RF_FRAME_KIND_PARTIAL, 1, -1, images->pdata[1]);
  assert_frame (session, 2, 0, RF_FRAME_KIND_FINAL, -1, -1, images->pdata[2]);
  g_assert_null (rf_lane_get_item_id (get_lane (session, 0)));
}

static void
test_images_api_two (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_IMAGES);
  g_autoptr(GBytes) a0 = image (1);
  g_autoptr(GBytes) a = image (2);
  g_autoptr(GBytes) b0 = image (3);
  g_autoptr(GBytes) b = image (4);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_images_partial (s, 0, a0);
  rf_test_stream_images_completed (s, a);
  rf_test_stream_images_partial (s, 0, b0);
  rf_test_stream_images_completed (s, b);
  session = run_stream (s);

  assert_clean (session);
  g_assert_cmpuint (n_lanes (session), ==, 2);
  g_assert_cmpuint (n_frames (session), ==, 4);
  assert_frame (session, 0, 0, RF_FRAME_KIND_PARTIAL, 0, -1, a0);
  assert_frame (session, 1, 0, RF_FRAME_KIND_FINAL, -1, -1, a);
  assert_frame (session, 2, 1, RF_FRAME_KIND_PARTIAL, 0, -1, b0);
  assert_frame (session, 3, 1, RF_FRAME_KIND_FINAL, -1, -1, b);
}

/* OpenRouter: data-only framing, comments, [DONE]; and its /images shape. */
static void
test_openrouter (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = rf_test_build_stream (RF_TEST_FLAVOR_OPENROUTER, 2, RF_IMAGE_FORMAT_PNG, FALSE, &images);
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_OPENROUTER);
  g_autoptr(RfSession) images_session = NULL;
  g_autoptr(RfEvent) last = NULL;
  GListModel *events;

  g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), ": OPENROUTER PROCESSING"));
  session = run_bytes (bytes);
  assert_clean (session);
  g_assert_cmpuint (n_lanes (session), ==, 1);
  g_assert_cmpuint (n_frames (session), ==, 3);
  assert_frame (session, 2, 0, RF_FRAME_KIND_FINAL, -1, G_MININT64, images->pdata[2]);
  events = rf_session_get_events (session);
  last = g_list_model_get_item (events, g_list_model_get_n_items (events) - 1);
  g_assert_cmpint (rf_event_get_kind (last), ==, RF_EVENT_DONE);

  rf_test_stream_images_partial (s, 0, images->pdata[0]);
  rf_test_stream_add_event (s, "{\"type\":\"image_generation.text_chunk\",\"text\":\"Sketching\",\"phase\":\"thinking\"}");
  rf_test_stream_images_completed (s, images->pdata[2]);
  rf_test_stream_done (s);
  images_session = run_stream (s);
  assert_clean (images_session);
  g_assert_cmpuint (n_frames (images_session), ==, 2);
  assert_frame (images_session, 1, 0, RF_FRAME_KIND_FINAL, -1, -1, images->pdata[2]);
}

/* The event data of each SSE event of @bytes. */
static void
data_cb (RfSseParser *parser,
         const char  *event_type,
         const char  *data,
         gsize        data_len,
         const char  *id,
         gpointer     user_data)
{
  g_ptr_array_add (user_data, g_strdup (data));
}

static GPtrArray *
split_events (GBytes *bytes)
{
  GPtrArray *datas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(RfSseParser) parser = rf_sse_parser_new (data_cb, NULL, NULL, datas);

  rf_sse_parser_push (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  rf_sse_parser_finish (parser);

  return datas;
}

/* JSON-lines recordings: raw event data per line, and --dump=sse records. */
static void
test_json_lines (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG, TRUE, &images);
  g_autoptr(GPtrArray) datas = split_events (bytes);
  g_autoptr(GString) raw = g_string_new (NULL);
  g_autoptr(GString) records = g_string_new ("\n");

  for (guint i = 0; i < datas->len; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *line = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      const char *type;

      g_assert_true (json_parser_load_from_data (parser, datas->pdata[i], -1, NULL));
      type = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "type");

      g_string_append_printf (raw, "%s%s", (const char *) datas->pdata[i], i % 2 ? "\r\n" : "\n");

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "event");
      json_builder_add_string_value (builder, type);
      json_builder_set_member_name (builder, "data");
      json_builder_add_string_value (builder, datas->pdata[i]);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, "");
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      line = json_to_string (root, FALSE);
      g_string_append_printf (records, "%s\n", line);
    }

  for (guint k = 0; k < 2; k++)
    {
      GString *text = k == 0 ? raw : records;
      g_autoptr(GBytes) jsonl = g_bytes_new (text->str, text->len);
      g_autoptr(RfSession) session = run_bytes (jsonl);

      g_test_message ("%s", k == 0 ? "raw event data" : "--dump=sse records");
      assert_clean (session);
      g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_events (session)), ==, datas->len);
      g_assert_cmpuint (n_frames (session), ==, 3);
      assert_frame (session, 0, 0, RF_FRAME_KIND_PARTIAL, 0, G_MININT64, images->pdata[0]);
      assert_frame (session, 1, 0, RF_FRAME_KIND_PARTIAL, 1, G_MININT64, images->pdata[1]);
      assert_frame (session, 2, 0, RF_FRAME_KIND_FINAL, -1, G_MININT64, images->pdata[2]);
    }
}

/* A stream of created, one partial carrying @payload (base64 text as
 * is), and the end. */
static RfSession *
run_bad_payload (const char *b64,
                 gint64     *seq_out)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) fin = image (1);

  rf_test_stream_created (s, "resp_1", 1);
  rf_test_stream_item_added (s, 0, "ig_1");
  *seq_out = rf_test_stream_get_seq (s);
  rf_test_stream_add_eventf (s, "{\"type\":\"response.image_generation_call.partial_image\","
                             "\"sequence_number\":%" G_GINT64_FORMAT ",\"output_index\":0,\"item_id\":\"ig_1\","
                             "\"partial_image_index\":0,\"partial_image_b64\":\"%s\"}", *seq_out, b64);
  rf_test_stream_item_done (s, 0, "ig_1", fin, NULL);
  rf_test_stream_completed (s, NULL, "ig_1", fin);

  return run_stream (s);
}

static void
assert_decode_failed (RfSession  *session,
                      gint64      seq,
                      const char *message_part)
{
  RfFrame *frame = get_frame (session, 0);
  RfDiagnostic *d;

  g_assert_cmpuint (n_frames (session), ==, 2);
  g_assert_cmpint (rf_frame_get_decode_status (frame), ==, RF_DECODE_FAILED);
  g_assert_nonnull (rf_frame_get_decode_error (frame));
  d = expect_diagnostic (session, "decode-failed", RF_SEVERITY_ERROR, seq);
  if (message_part != NULL)
    {
      g_assert_nonnull (strstr (rf_frame_get_decode_error (frame), message_part));
      g_assert_nonnull (strstr (rf_diagnostic_get_message (d), message_part));
    }
  g_assert_null (rf_session_lookup_pixbuf (session, frame));
  g_assert_true (rf_session_has_errors (session));
  /* The rest of the stream is unaffected. */
  g_assert_cmpint (rf_frame_get_decode_status (get_frame (session, 1)), ==, RF_DECODE_OK);
}

static void
test_invalid_base64 (void)
{
  gint64 seq;
  g_autoptr(RfSession) session = run_bad_payload ("iVBORw0KGgo!!!!not*base64", &seq);

  assert_decode_failed (session, seq, "base64");
}

static void
test_not_an_image (void)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("This is not an image at all, just some text.", 44);
  g_autofree char *b64 = rf_test_base64 (text);
  gint64 seq;
  g_autoptr(RfSession) session = run_bad_payload (b64, &seq);

  assert_decode_failed (session, seq, NULL);
}

static void
test_truncated_png (void)
{
  g_autoptr(GBytes) png = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, FALSE, 3);
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autofree char *b64 = rf_test_base64 (cut);
  g_autoptr(GBytes) header = g_bytes_new_from_bytes (png, 0, 20);
  g_autofree char *header_b64 = rf_test_base64 (header);
  gint64 seq;
  g_autoptr(RfSession) session = run_bad_payload (b64, &seq);
  g_autoptr(RfSession) header_session = run_bad_payload (header_b64, &seq);

  assert_decode_failed (session, -1, NULL);
  assert_decode_failed (header_session, -1, NULL);
}

/* Bombs are refused from their header, quickly, with the size named. */
static void
run_bomb (GBytes     *bomb,
          const char *size_text)
{
  g_autofree char *b64 = rf_test_base64 (bomb);
  g_autoptr(RfSession) session = NULL;
  gint64 begin = g_get_monotonic_time ();
  gint64 seq;
  double secs;

  session = run_bad_payload (b64, &seq);
  secs = (g_get_monotonic_time () - begin) / 1e6;
  g_test_message ("bomb refused in %.3f s", secs);
  g_assert_cmpfloat (secs, <, 1.0);
  assert_decode_failed (session, seq, size_text);
}

static void
test_png_bomb (void)
{
  g_autoptr(GBytes) bomb = rf_test_make_png_header_bomb (60000, 60000);

  run_bomb (bomb, "60000");
}

static void
test_jpeg_bomb (void)
{
  g_autoptr(GBytes) jpeg = rf_test_make_image (RF_IMAGE_FORMAT_JPEG, 16, 16, FALSE, 5);
  gsize len;
  guint8 *data = g_bytes_unref_to_data (g_bytes_ref (jpeg), &len);
  g_autoptr(GBytes) bomb = NULL;
  gboolean patched = FALSE;

  /* Patch the SOF0/SOF2 frame size to 60000 × 60000. */
  for (gsize i = 2; i + 9 < len; i++)
    {
      if (data[i] == 0xFF && (data[i + 1] == 0xC0 || data[i + 1] == 0xC2))
        {
          data[i + 5] = 60000 >> 8;
          data[i + 6] = 60000 & 0xFF;
          data[i + 7] = 60000 >> 8;
          data[i + 8] = 60000 & 0xFF;
          patched = TRUE;
          break;
        }
    }
  g_assert_true (patched);
  bomb = g_bytes_new_take (data, len);

  run_bomb (bomb, "60000");
}

static void
test_webp_bomb (void)
{
  /* An extended-format header whose canvas is 60000 × 60000. */
  static const guint8 header[] = {
    'R', 'I', 'F', 'F', 30, 0, 0, 0, 'W', 'E', 'B', 'P',
    'V', 'P', '8', 'X', 10, 0, 0, 0,
    0, 0, 0, 0,
    (60000 - 1) & 0xFF, ((60000 - 1) >> 8) & 0xFF, 0,
    (60000 - 1) & 0xFF, ((60000 - 1) >> 8) & 0xFF, 0,
    'V', 'P', '8', 'L', 0, 0, 0, 0,
  };
  g_autoptr(GBytes) bomb = g_bytes_new_static (header, sizeof header);

  if (!rf_image_format_is_supported (RF_IMAGE_FORMAT_WEBP))
    {
      g_test_skip ("the WebP loader is not installed");
      return;
    }

  run_bomb (bomb, "60000");
}

static void
test_webp_frames (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfSession) session = NULL;

  if (!rf_image_format_is_supported (RF_IMAGE_FORMAT_WEBP))
    {
      g_test_skip ("the WebP loader is not installed");
      return;
    }

  bytes = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_WEBP, TRUE, &images);
  session = run_bytes (bytes);

  assert_clean (session);
  g_assert_cmpuint (n_frames (session), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      assert_frame (session, i, 0, i < 2 ? RF_FRAME_KIND_PARTIAL : RF_FRAME_KIND_FINAL,
                    i < 2 ? (gint64) i : -1, G_MININT64, images->pdata[i]);
      g_assert_cmpint (rf_frame_get_format (get_frame (session, i)), ==, RF_IMAGE_FORMAT_WEBP);
    }
}

static void
test_alpha_kept (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 1, RF_IMAGE_FORMAT_PNG, TRUE, &images);
  g_autoptr(RfSession) session = run_bytes (bytes);
  g_autoptr(GdkPixbuf) decoded = NULL;
  gboolean translucent = FALSE;

  assert_clean (session);
  for (guint i = 0; i < 2; i++)
    {
      assert_frame (session, i, 0, i == 0 ? RF_FRAME_KIND_PARTIAL : RF_FRAME_KIND_FINAL,
                    i == 0 ? 0 : -1, G_MININT64, images->pdata[i]);
      g_assert_true (rf_frame_get_has_alpha (get_frame (session, i)));
    }

  decoded = rf_frame_decode_pixbuf (get_frame (session, 1), NULL);
  g_assert_true (gdk_pixbuf_get_has_alpha (decoded));
  for (int y = 0; y < gdk_pixbuf_get_height (decoded); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (decoded); x++)
      {
        guint8 a = gdk_pixbuf_get_pixels (decoded)[y * gdk_pixbuf_get_rowstride (decoded) + x * 4 + 3];
        if (a > 0 && a < 255)
          translucent = TRUE;
      }
  g_assert_true (translucent);
}

/* Cancellation stops reading; frames received stay. */
typedef struct
{
  RfSession *session;
  guint      n_decoded;
} CancelData;

static void
cancel_on_decoded_cb (RfSession  *session,
                      RfFrame    *frame,
                      CancelData *data)
{
  if (++data->n_decoded == 2)
    rf_session_cancel (session);
}

static void
test_cancel (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) p0 = image (0);
  g_autoptr(GBytes) p1 = image (1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfSession) session = rf_session_new ();
  CancelData data = { session, 0 };
  Run run = { 0 };
  int fds[2];

  rf_test_stream_created (s, "resp_1", 3);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, p0);
  rf_test_stream_partial (s, 0, "ig_1", 1, p1);
  bytes = rf_test_stream_to_bytes (s);

  /* A pipe that stays open: without the cancel, reading never ends. */
  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)),
                   ==, (gssize) g_bytes_get_size (bytes));
  stream = g_unix_input_stream_new (fds[0], TRUE);
  source = rf_file_source_new_for_stream (stream, "pipe");

  g_signal_connect (session, "frame-decoded", G_CALLBACK (cancel_on_decoded_cb), &data);
  run_until_finished (session, source, &run);
  close (fds[1]);

  dump_diagnostics (session);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_CANCELLED);
  g_assert_cmpuint (n_frames (session), ==, 2);
  assert_frame (session, 0, 0, RF_FRAME_KIND_PARTIAL, 0, 2, p0);
  assert_frame (session, 1, 0, RF_FRAME_KIND_PARTIAL, 1, 3, p1);
  g_assert_nonnull (find_diagnostic (session, "cancelled"));
  g_assert_null (find_diagnostic (session, "truncated"));
}

/* Cancelling while frames are still queued for decoding still finishes. */
static void
test_cancel_busy (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) big = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 512, 512, TRUE, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfSession) session = rf_session_new ();
  CancelData data = { session, 0 };
  Run run = { 0 };

  rf_test_stream_created (s, "resp_1", 3);
  rf_test_stream_item_added (s, 0, "ig_1");
  for (guint i = 0; i < 30; i++)
    rf_test_stream_partial (s, 0, "ig_1", i, big);
  bytes = rf_test_stream_to_bytes (s);
  source = memory_source (bytes);

  rf_session_set_n_workers (session, 1);
  g_signal_connect (session, "frame-decoded", G_CALLBACK (cancel_on_decoded_cb), &data);
  run_until_finished (session, source, &run);

  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_CANCELLED);
  g_assert_cmpuint (n_frames (session), >=, 2);
  g_assert_cmpuint (n_frames (session), <=, 30);
  /* Every frame received (a chunk already read still parses) decodes. */
  for (guint i = 0; i < n_frames (session); i++)
    {
      g_assert_cmpint (rf_frame_get_partial_index (get_frame (session, i)), ==, i);
      g_assert_cmpint (rf_frame_get_decode_status (get_frame (session, i)), ==, RF_DECODE_OK);
    }
}

/* The decode queue is bounded: with one worker the reader never runs more
 * than 2 jobs (+ the one it is handing over) ahead of the decoded frames. */
static void
test_bounded_queue (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) big = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 384, 384, FALSE, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfSession) session = rf_session_new ();
  Run run = { 0 };

  rf_test_stream_created (s, "resp_1", -1);
  rf_test_stream_item_added (s, 0, "ig_1");
  for (guint i = 0; i < 40; i++)
    rf_test_stream_partial (s, 0, "ig_1", i, big);
  rf_test_stream_item_done (s, 0, "ig_1", big, NULL);
  rf_test_stream_completed (s, NULL, "ig_1", big);
  bytes = rf_test_stream_to_bytes (s);
  source = memory_source (bytes);

  rf_session_set_n_workers (session, 1);
  rf_session_set_pixel_cache_size (session, 0);
  run_until_finished (session, source, &run);

  g_test_message ("at most %u frames waited for their decode", run.max_pending);
  g_assert_cmpuint (run.n_added, ==, 41);
  g_assert_cmpuint (rf_session_get_n_workers (session), ==, 1);
  g_assert_cmpuint (run.max_pending, <=, 2 * 1 + 1);
  assert_clean (session);
}

static void
pixbuf_ready_cb (RfSession *session,
                 RfFrame   *frame,
                 Run       *run)
{
  run->n_pixbuf_ready++;
  g_main_loop_quit (run->loop);
}

/* A frame is read by workers (exports, the analyzer) while the main
 * thread fills in its decode result: a reader that sees the result
 * published sees all of it, and the lazily computed SHA-256 is one value
 * whichever thread computes it first. Under ThreadSanitizer (.ci/run)
 * any unguarded field shows up as a race here. */
typedef struct
{
  RfFrame  *frame;
  gboolean  whole;
  char     *sha256;
  const char *sha256_ptr;
} FrameReader;

static gpointer
frame_reader_thread (gpointer data)
{
  FrameReader *reader = data;
  double mean = 0;

  /* Spins until the main thread publishes the result (bounded by the
   * session's 30 s timeout in the main loop). */
  while (rf_frame_get_decode_status (reader->frame) == RF_DECODE_PENDING)
    g_thread_yield ();

  reader->whole = rf_frame_get_decode_status (reader->frame) == RF_DECODE_OK &&
                  rf_frame_get_encoded (reader->frame) != NULL &&
                  rf_frame_get_width (reader->frame) > 0 &&
                  rf_frame_get_height (reader->frame) > 0 &&
                  rf_frame_get_format (reader->frame) == RF_IMAGE_FORMAT_PNG &&
                  rf_frame_get_decoded_t_ms (reader->frame) >= 0;
  reader->sha256_ptr = rf_frame_get_sha256 (reader->frame);
  reader->sha256 = g_strdup (reader->sha256_ptr);
  rf_frame_get_diff_prev (reader->frame, &mean, NULL);

  return NULL;
}

static void
start_reader_cb (RfSession *session,
                 RfFrame   *frame,
                 GPtrArray *threads)
{
  FrameReader *reader = g_new0 (FrameReader, 1);

  g_assert_cmpint (rf_frame_get_decode_status (frame), ==, RF_DECODE_PENDING);
  reader->frame = g_object_ref (frame);
  g_ptr_array_add (threads, reader);
  g_ptr_array_add (threads, g_thread_new ("frame-reader", frame_reader_thread, reader));
}

static void
test_frame_shared_with_workers (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 3, RF_IMAGE_FORMAT_PNG, TRUE, &images);
  g_autoptr(RfSource) source = memory_source (bytes);
  g_autoptr(RfSession) session = rf_session_new ();
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  Run run = { 0 };

  rf_session_set_n_workers (session, 2);
  g_signal_connect (session, "frame-added", G_CALLBACK (start_reader_cb), threads);
  run_until_finished (session, source, &run);
  assert_clean (session);
  g_assert_cmpuint (n_frames (session), ==, 4);
  g_assert_cmpuint (threads->len, ==, 2 * 4);

  for (guint i = 0; i < threads->len; i += 2)
    {
      FrameReader *reader = threads->pdata[i];
      g_autofree char *expected = NULL;

      g_thread_join (threads->pdata[i + 1]);
      expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, rf_frame_get_encoded (reader->frame));
      g_assert_true (reader->whole);
      g_assert_cmpstr (reader->sha256, ==, expected);
      /* One string, kept: whoever asks later gets the very same one. */
      g_assert_true (rf_frame_get_sha256 (reader->frame) == reader->sha256_ptr);

      g_object_unref (reader->frame);
      g_free (reader->sha256);
      g_free (reader);
    }
}

/* The pixel cache keeps what fits, evicts the least recently used, and
 * re-decodes on demand. */
static void
test_pixel_cache (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 3, RF_IMAGE_FORMAT_PNG, TRUE, &images);
  g_autoptr(RfSource) source = memory_source (bytes);
  g_autoptr(RfSession) session = rf_session_new ();
  g_autoptr(GdkPixbuf) expected0 = rf_test_decode (images->pdata[0]);
  Run run = { 0 };
  GdkPixbuf *pixbuf;
  gsize frame_bytes = (gsize) gdk_pixbuf_get_rowstride (expected0) * gdk_pixbuf_get_height (expected0);
  guint timeout_id;

  /* Room for two frames of the four; one worker decodes in order. */
  rf_session_set_n_workers (session, 1);
  rf_session_set_pixel_cache_size (session, 2 * frame_bytes + frame_bytes / 2);
  run_until_finished (session, source, &run);
  assert_clean (session);
  g_assert_cmpuint (n_frames (session), ==, 4);

  /* The newest two are cached. */
  g_assert_nonnull (rf_session_lookup_pixbuf (session, get_frame (session, 3)));
  g_assert_nonnull (rf_session_lookup_pixbuf (session, get_frame (session, 2)));

  /* The oldest was evicted: NULL now, ::pixbuf-ready later. */
  g_assert_null (rf_session_lookup_pixbuf (session, get_frame (session, 0)));
  /* Asking twice schedules one re-decode. */
  g_assert_null (rf_session_lookup_pixbuf (session, get_frame (session, 0)));

  run.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (session, "pixbuf-ready", G_CALLBACK (pixbuf_ready_cb), &run);
  timeout_id = g_timeout_add_seconds (10, timeout_cb, NULL);
  g_main_loop_run (run.loop);
  g_source_remove (timeout_id);
  g_clear_pointer (&run.loop, g_main_loop_unref);
  g_assert_cmpuint (run.n_pixbuf_ready, ==, 1);

  pixbuf = rf_session_lookup_pixbuf (session, get_frame (session, 0));
  g_assert_nonnull (pixbuf);
  g_assert_true (rf_test_pixbufs_equal (pixbuf, expected0));

  /* Frame 0 entered the cache; the least recently used (3, looked up
   * before 2) left it. */
  g_assert_nonnull (rf_session_lookup_pixbuf (session, get_frame (session, 2)));
  g_assert_null (rf_session_lookup_pixbuf (session, get_frame (session, 3)));

  /* Let the re-decode of frame 3 finish before the session goes. */
  run.loop = g_main_loop_new (NULL, FALSE);
  timeout_id = g_timeout_add_seconds (10, timeout_cb, NULL);
  g_main_loop_run (run.loop);
  g_source_remove (timeout_id);
  g_clear_pointer (&run.loop, g_main_loop_unref);
}

/* A session that goes away mid-stream stops cleanly. */
static void
test_dispose_while_running (void)
{
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) bytes = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 3, RF_IMAGE_FORMAT_PNG, TRUE, &images);
  g_autoptr(RfSource) source = memory_source (bytes);
  RfSession *session = rf_session_new ();

  rf_session_start (session, source);
  g_object_unref (session);

  /* Anything still queued for the main loop finds no session. */
  for (guint i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* A file that cannot be read is an I/O error (exit status 2), not a
 * stream failure. */
static void
test_missing_file (void)
{
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "does-not-exist.sse", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(RfSource) source = rf_file_source_new (file);
  g_autoptr(RfSession) session = rf_session_new ();
  const GError *error;
  Run run = { 0 };

  run_until_finished (session, source, &run);
  error = rf_session_get_error (session);
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, RF_ERROR, RF_ERROR_IO));
  g_assert_nonnull (strstr (error->message, "does-not-exist.sse"));
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FAILED);
  g_assert_cmpuint (n_frames (session), ==, 0);
}

/* Data that is not JSON, or not an object, is diagnosed and skipped. */
static void
test_invalid_events (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) fin = image (1);
  g_autoptr(RfSession) session = NULL;

  rf_test_stream_created (s, "resp_1", 0);
  rf_test_stream_add_raw (s, "data: {not json\n\ndata: [1,2,3]\n\ndata: \xFF\xFE\n\n");
  rf_test_stream_add_event (s, "{\"type\":\"response.image_generation_call.partial_image\",\"sequence_number\":1,"
                               "\"output_index\":0,\"item_id\":\"ig_1\",\"partial_image_index\":-2,"
                               "\"partial_image_b64\":\"iVBORw0KGgo=\"}");
  rf_test_stream_set_seq (s, 2);
  rf_test_stream_image_call (s, 0, "ig_1", NULL, 0, fin, NULL);
  rf_test_stream_completed (s, NULL, "ig_1", fin);
  session = run_stream (s);

  dump_diagnostics (session);
  g_assert_cmpuint (count_diagnostics (session, "invalid-event"), ==, 3);
  g_assert_nonnull (find_diagnostic (session, "invalid-field"));
  g_assert_nonnull (find_diagnostic (session, "bad-partial-index"));
  g_assert_nonnull (rf_lane_get_final (get_lane (session, 0)));
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_true (rf_session_has_errors (session));
}

/* A stream cut in the middle of an event before any sequence number
 * (events without numbers): the message says so, never "after sequence
 * number -1". */
static void
test_truncated_before_numbers (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 8, 8, FALSE, 1);
  g_autofree char *b64 = rf_test_base64 (image);
  g_autoptr(RfSession) session = NULL;
  GListModel *diagnostics;
  gboolean said = FALSE;

  rf_test_stream_add_event (s, "{\"type\":\"response.output_item.added\",\"output_index\":0,"
                            "\"item\":{\"id\":\"ig_1\",\"type\":\"image_generation_call\"}}");
  rf_test_stream_add_eventf (s, "{\"type\":\"response.image_generation_call.partial_image\","
                             "\"output_index\":0,\"item_id\":\"ig_1\",\"partial_image_index\":0,"
                             "\"partial_image_b64\":\"%s\"}", b64);
  rf_test_stream_add_raw (s, "event: response.image_generation_call.partial_image\n"
                          "data: {\"type\":\"response.image_generation_call.partial_image\",\"output_in");
  session = run_stream (s);

  g_assert_cmpuint (n_frames (session), ==, 1);
  diagnostics = rf_session_get_diagnostics (session);
  for (guint i = 0; i < g_list_model_get_n_items (diagnostics); i++)
    {
      g_autoptr(RfDiagnostic) d = g_list_model_get_item (diagnostics, i);

      g_test_message ("%s: %s", rf_diagnostic_get_code (d), rf_diagnostic_get_message (d));
      g_assert_null (strstr (rf_diagnostic_get_message (d), "-1"));
      if (g_str_equal (rf_diagnostic_get_code (d), "truncated"))
        {
          g_assert_nonnull (strstr (rf_diagnostic_get_message (d), "before the first numbered"));
          said = TRUE;
        }
    }
  g_assert_true (said);
  g_assert_null (strstr (rf_session_get_failure_message (session), "-1"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/truncated-before-numbers", test_truncated_before_numbers);
  g_test_add_func ("/session/final/from-item-done", test_final_from_item_done);
  g_test_add_func ("/session/final/not-from-partial", test_no_final_from_partial);
  g_test_add_func ("/session/final/from-completed", test_final_from_completed);
  g_test_add_func ("/session/final/other-item-id", test_final_other_item_id);
  g_test_add_func ("/session/final/output-order", test_output_order);
  g_test_add_func ("/session/final/equals-partial", test_final_equals_partial);
  g_test_add_func ("/session/final/format-sniffed", test_format_sniffed);
  g_test_add_func ("/session/partials/zero", test_zero_partials);
  g_test_add_func ("/session/partials/fewer-sidecar", test_fewer_partials_sidecar);
  g_test_add_func ("/session/partials/fewer-echo", test_fewer_partials_echo);
  g_test_add_func ("/session/partials/ignored", test_partials_ignored);
  g_test_add_func ("/session/sequence/gap", test_sequence_gap);
  g_test_add_func ("/session/sequence/duplicate", test_sequence_duplicate);
  g_test_add_func ("/session/sequence/out-of-order", test_sequence_out_of_order);
  g_test_add_func ("/session/sequence/partial-after-final", test_partial_after_final);
  g_test_add_func ("/session/sequence/unknown-item", test_unknown_item);
  g_test_add_func ("/session/sequence/after-end", test_events_after_end);
  g_test_add_func ("/session/sequence/keepalives", test_keepalives);
  g_test_add_func ("/session/errors/flat", test_error_flat);
  g_test_add_func ("/session/errors/nested", test_error_nested);
  g_test_add_func ("/session/errors/response-failed", test_response_failed);
  g_test_add_func ("/session/errors/response-incomplete", test_response_incomplete);
  g_test_add_func ("/session/errors/truncated", test_truncated_between_events);
  g_test_add_func ("/session/errors/truncated-mid-event", test_truncated_mid_event);
  g_test_add_func ("/session/errors/invalid-events", test_invalid_events);
  g_test_add_func ("/session/errors/missing-file", test_missing_file);
  g_test_add_func ("/session/flavors/images-api", test_images_api);
  g_test_add_func ("/session/flavors/images-api-two", test_images_api_two);
  g_test_add_func ("/session/flavors/openrouter", test_openrouter);
  g_test_add_func ("/session/flavors/json-lines", test_json_lines);
  g_test_add_func ("/session/decode/invalid-base64", test_invalid_base64);
  g_test_add_func ("/session/decode/not-an-image", test_not_an_image);
  g_test_add_func ("/session/decode/truncated-png", test_truncated_png);
  g_test_add_func ("/session/decode/png-bomb", test_png_bomb);
  g_test_add_func ("/session/decode/jpeg-bomb", test_jpeg_bomb);
  g_test_add_func ("/session/decode/webp-bomb", test_webp_bomb);
  g_test_add_func ("/session/decode/webp", test_webp_frames);
  g_test_add_func ("/session/decode/alpha", test_alpha_kept);
  g_test_add_func ("/session/run/cancel", test_cancel);
  g_test_add_func ("/session/run/cancel-busy", test_cancel_busy);
  g_test_add_func ("/session/run/bounded-queue", test_bounded_queue);
  g_test_add_func ("/session/run/frame-shared-with-workers", test_frame_shared_with_workers);
  g_test_add_func ("/session/run/pixel-cache", test_pixel_cache);
  g_test_add_func ("/session/run/dispose-while-running", test_dispose_while_running);

  return g_test_run ();
}
