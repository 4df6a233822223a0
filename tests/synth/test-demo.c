/*
 * test-demo.c
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

#include "rf-demo-source.h"
#include "rf-diagnostic.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-session.h"
#include "rf-synth.h"
#include "rf-test-util.h"

#define TEST_SIZE 96

/* The stream, without a session */

static GPtrArray *
split_events (const char *text)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) blocks = g_strsplit (text, "\n\n", -1);

  for (guint i = 0; blocks[i] != NULL; i++)
    if (blocks[i][0] != '\0')
      g_ptr_array_add (events, g_strdup (blocks[i]));

  return events;
}

static void
test_stream_shape (void)
{
  static const char *types[] = {
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.image_generation_call.in_progress",
    "response.image_generation_call.generating",
    "response.image_generation_call.partial_image",
    "response.image_generation_call.partial_image",
    "response.image_generation_call.partial_image",
    "response.image_generation_call.completed",
    "response.output_item.done",
    "response.completed",
  };
  g_autoptr(GArray) t_ms = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GBytes) bytes = rf_demo_source_build_stream (TEST_SIZE, TEST_SIZE, t_ms);
  g_autoptr(GBytes) again = rf_demo_source_build_stream (TEST_SIZE, TEST_SIZE, NULL);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GPtrArray) events = split_events (text);
  g_autofree char *final_b64 = NULL;
  guint n_partials = 0;

  g_assert_true (g_bytes_equal (bytes, again));
  g_assert_true (g_str_has_suffix (text, "}\n\n"));
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (types));
  g_assert_cmpuint (t_ms->len, ==, G_N_ELEMENTS (types));

  for (guint i = 0; i < events->len; i++)
    {
      const char *block = events->pdata[i];
      g_autofree char *event_line = g_strdup_printf ("event: %s\ndata: {", types[i]);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;

      if (i > 0)
        g_assert_cmpint (g_array_index (t_ms, gint64, i), >=, g_array_index (t_ms, gint64, i - 1));

      g_assert_true (g_str_has_prefix (block, event_line));
      g_assert_null (strchr (strchr (block, '\n') + 1, '\n'));
      json_parser_load_from_data (parser, strchr (block, '\n') + strlen ("\ndata: "), -1, &error);
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, types[i]);
      g_assert_cmpint (json_object_get_int_member (object, "sequence_number"), ==, i);

      if (g_str_equal (types[i], "response.created"))
        {
          JsonObject *response = json_object_get_object_member (object, "response");
          JsonArray *tools = json_object_get_array_member (response, "tools");
          JsonObject *tool = json_array_get_object_element (tools, 0);

          g_assert_cmpint (json_object_get_int_member (tool, "partial_images"), ==,
                           RF_DEMO_N_PARTIALS);
        }
      else if (g_str_equal (types[i], "response.image_generation_call.partial_image"))
        {
          g_assert_cmpint (json_object_get_int_member (object, "partial_image_index"), ==,
                           n_partials);
          g_assert_cmpstr (json_object_get_string_member (object, "item_id"), !=, NULL);
          n_partials++;
        }
      else if (g_str_equal (types[i], "response.output_item.done"))
        {
          JsonObject *item = json_object_get_object_member (object, "item");

          final_b64 = g_strdup (json_object_get_string_member (item, "result"));
          g_assert_nonnull (json_object_get_string_member (item, "revised_prompt"));
        }
      else if (g_str_equal (types[i], "response.completed"))
        {
          JsonObject *response = json_object_get_object_member (object, "response");
          JsonArray *output = json_object_get_array_member (response, "output");
          JsonObject *item = json_array_get_object_element (output, 0);

          g_assert_cmpstr (json_object_get_string_member (item, "result"), ==, final_b64);
        }
    }

  g_assert_cmpuint (n_partials, ==, RF_DEMO_N_PARTIALS);
  g_assert_nonnull (final_b64);

  /* Partials are 1.2 s apart at speed 1. */
  g_assert_cmpint (g_array_index (t_ms, gint64, 6) - g_array_index (t_ms, gint64, 5), >=, 1000);

  {
    gsize len;
    g_autofree guchar *png = g_base64_decode (final_b64, &len);
    g_autoptr(GBytes) png_bytes = g_bytes_new_take (g_steal_pointer (&png), len);
    g_autoptr(GdkPixbuf) decoded = rf_test_decode (png_bytes);
    g_autoptr(GdkPixbuf) expected = rf_synth_render (TEST_SIZE, TEST_SIZE, RF_DEMO_SEED,
                                                     RF_DEMO_N_PARTIALS,
                                                     RF_DEMO_N_PARTIALS + 1, FALSE);

    g_assert_true (rf_test_pixbufs_equal (decoded, expected));
  }
}

/* Through a session */

typedef struct
{
  GMainLoop *loop;
  gboolean   finished;
  gboolean   timed_out;
} Waiter;

static void
finished_cb (RfSession *session,
             Waiter    *w)
{
  w->finished = TRUE;
  g_main_loop_quit (w->loop);
}

static void
state_cb (RfSession  *session,
          GParamSpec *pspec,
          Waiter     *w)
{
  RfSessionState state = rf_session_get_state (session);

  if (state == RF_SESSION_STATE_CANCELLED || state == RF_SESSION_STATE_FAILED)
    g_main_loop_quit (w->loop);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Waiter *w = user_data;

  w->timed_out = TRUE;
  g_main_loop_quit (w->loop);
  return G_SOURCE_REMOVE;
}

static void
run_session (RfSession *session,
             guint      timeout_ms)
{
  Waiter w = { g_main_loop_new (NULL, FALSE), FALSE, FALSE };
  guint timeout_id;
  gulong finished_id, state_id;

  finished_id = g_signal_connect (session, "finished", G_CALLBACK (finished_cb), &w);
  state_id = g_signal_connect (session, "notify::state", G_CALLBACK (state_cb), &w);
  timeout_id = g_timeout_add (timeout_ms, timeout_cb, &w);

  if (!rf_session_get_finished (session))
    g_main_loop_run (w.loop);

  g_assert_false (w.timed_out);
  g_source_remove (timeout_id);
  g_signal_handler_disconnect (session, finished_id);
  g_signal_handler_disconnect (session, state_id);
  g_main_loop_unref (w.loop);
}

static RfSource *
make_demo (double speed)
{
  RfSource *source = rf_demo_source_new (speed);

  rf_demo_source_set_size (RF_DEMO_SOURCE (source), TEST_SIZE, TEST_SIZE);
  return source;
}

static void
test_session_instant (void)
{
  g_autoptr(RfSession) session = rf_session_new ();
  g_autoptr(RfSource) source = make_demo (0);
  g_autoptr(GdkPixbuf) expected = NULL;
  GListModel *lanes, *frames, *diagnostics;
  RfLane *lane;

  rf_session_start (session, source);
  run_session (session, 30000);

  g_assert_true (rf_session_get_finished (session));
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);
  g_assert_null (rf_session_get_error (session));
  g_assert_false (rf_session_has_errors (session));
  g_assert_cmpint (rf_session_get_requested_partials (session), ==, RF_DEMO_N_PARTIALS);

  diagnostics = rf_session_get_diagnostics (session);
  for (guint i = 0; i < g_list_model_get_n_items (diagnostics); i++)
    {
      g_autoptr(RfDiagnostic) d = g_list_model_get_item (diagnostics, i);

      g_test_message ("diagnostic: %s %s", rf_diagnostic_get_code (d),
                      rf_diagnostic_get_message (d));
      g_assert_cmpint (rf_diagnostic_get_severity (d), ==, RF_SEVERITY_INFO);
    }

  lanes = rf_session_get_lanes (session);
  g_assert_cmpuint (g_list_model_get_n_items (lanes), ==, 1);
  lane = rf_session_get_lane (session, 0);
  g_assert_nonnull (lane);
  g_assert_cmpuint (rf_lane_get_n_partials (lane), ==, RF_DEMO_N_PARTIALS);
  g_assert_nonnull (rf_lane_get_final (lane));
  g_assert_nonnull (rf_lane_get_revised_prompt (lane));

  frames = rf_session_get_frames (session);
  g_assert_cmpuint (g_list_model_get_n_items (frames), ==, RF_DEMO_N_PARTIALS + 1);

  expected = rf_synth_render (TEST_SIZE, TEST_SIZE, RF_DEMO_SEED, RF_DEMO_N_PARTIALS,
                              RF_DEMO_N_PARTIALS + 1, FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autoptr(GdkPixbuf) step = NULL;
      g_autoptr(GError) error = NULL;
      gboolean is_final = i == RF_DEMO_N_PARTIALS;

      g_assert_cmpint (rf_frame_get_decode_status (frame), ==, RF_DECODE_OK);
      g_assert_cmpint (rf_frame_get_kind (frame), ==,
                       is_final ? RF_FRAME_KIND_FINAL : RF_FRAME_KIND_PARTIAL);
      if (!is_final)
        g_assert_cmpint (rf_frame_get_partial_index (frame), ==, i);
      g_assert_cmpint (rf_frame_get_format (frame), ==, RF_IMAGE_FORMAT_PNG);
      g_assert_cmpint (rf_frame_get_width (frame), ==, TEST_SIZE);
      g_assert_cmpint (rf_frame_get_height (frame), ==, TEST_SIZE);
      g_assert_cmpint (rf_frame_get_lane_index (frame), ==, 0);

      pixbuf = rf_frame_decode_pixbuf (frame, &error);
      g_assert_no_error (error);
      step = rf_synth_render (TEST_SIZE, TEST_SIZE, RF_DEMO_SEED, MIN (i, RF_DEMO_N_PARTIALS),
                              RF_DEMO_N_PARTIALS + 1, FALSE);
      g_assert_true (rf_test_pixbufs_equal (pixbuf, step));
      if (is_final)
        g_assert_true (rf_test_pixbufs_equal (pixbuf, expected));
      else
        g_assert_false (rf_test_pixbufs_equal (pixbuf, expected));
    }
}

static void
test_session_paced (void)
{
  g_autoptr(RfSession) session = rf_session_new ();
  g_autoptr(RfSource) source = make_demo (20.0);
  GListModel *frames;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed_ms;

  rf_session_start (session, source);
  run_session (session, 30000);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  /* 5.15 s of stream at 20x. */
  g_test_message ("paced demo took %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, >=, 230);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_FINISHED);

  frames = rf_session_get_frames (session);
  g_assert_cmpuint (g_list_model_get_n_items (frames), ==, RF_DEMO_N_PARTIALS + 1);
  for (guint i = 1; i < RF_DEMO_N_PARTIALS; i++)
    {
      g_autoptr(RfFrame) a = g_list_model_get_item (frames, i - 1);
      g_autoptr(RfFrame) b = g_list_model_get_item (frames, i);

      /* 1.2 s apart at 1x, 60 ms at 20x. */
      g_assert_cmpint (rf_frame_get_t_ms (b) - rf_frame_get_t_ms (a), >=, 40);
    }
}

static gboolean
cancel_cb (gpointer user_data)
{
  rf_session_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_session_cancel (void)
{
  g_autoptr(RfSession) session = rf_session_new ();
  g_autoptr(RfSource) source = make_demo (1.0);
  gint64 start;
  gint64 elapsed_ms;

  rf_session_start (session, source);
  g_timeout_add (300, cancel_cb, session);
  start = g_get_monotonic_time ();
  run_session (session, 10000);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  /* The first partial is due at 1.5 s: the wait must end on cancel. */
  g_test_message ("cancel took effect after %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, <, 1200);
  g_assert_cmpint (rf_session_get_state (session), ==, RF_SESSION_STATE_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_frames (session)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/stream-shape", test_stream_shape);
  g_test_add_func ("/demo/session/instant", test_session_instant);
  g_test_add_func ("/demo/session/paced", test_session_paced);
  g_test_add_func ("/demo/session/cancel", test_session_cancel);

  return g_test_run ();
}
