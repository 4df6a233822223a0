/*
 * canvas-fixture.h
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

#pragma once

#include "rf-demo-source.h"
#include "rf-file-source.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-session.h"
#include "rf-test-util.h"

G_BEGIN_DECLS

static gboolean
fixture_wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs @source (consumed) in a new session until every frame decoded. */
static inline RfSession *
fixture_run (RfSource *source)
{
  RfSession *session = rf_session_new ();
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (20, fixture_wake_cb, NULL);

  rf_session_start (session, source);
  g_object_unref (source);

  while (!rf_session_get_finished (session) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);
  g_assert_true (rf_session_get_finished (session));

  return session;
}

/* The demo (3 partials and the final of one image) at @width × @height. */
static inline RfSession *
fixture_demo_session (int width,
                      int height)
{
  RfSource *source = rf_demo_source_new (0);

  rf_demo_source_set_size (RF_DEMO_SOURCE (source), width, height);
  return fixture_run (source);
}

/* A recorded stream from @bytes (consumed). */
static inline RfSession *
fixture_stream_session (GBytes *bytes)
{
  g_autofree char *path = rf_test_write_temp_file (bytes, ".sse");
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_bytes_unref (bytes);
  return fixture_run (rf_file_source_new (file));
}

/* Two images in one Responses stream: 2 partials + final, 1 partial + final. */
static inline RfSession *
fixture_two_lane_session (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  GBytes *a[3], *b[2];
  RfTestOutput outputs[2];

  for (guint i = 0; i < 3; i++)
    a[i] = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, i);
  for (guint i = 0; i < 2; i++)
    b[i] = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 10 + i);

  rf_test_stream_created (s, "resp_1", -1);
  rf_test_stream_in_progress (s);
  rf_test_stream_image_call (s, 0, "ig_1", a, 2, a[2], NULL);
  rf_test_stream_image_call (s, 1, "ig_2", b, 1, b[1], NULL);
  outputs[0] = (RfTestOutput) { 0, "ig_1", a[2], NULL };
  outputs[1] = (RfTestOutput) { 1, "ig_2", b[1], NULL };
  rf_test_stream_completed_multi (s, NULL, outputs, 2);

  for (guint i = 0; i < 3; i++)
    g_bytes_unref (a[i]);
  for (guint i = 0; i < 2; i++)
    g_bytes_unref (b[i]);

  return fixture_stream_session (rf_test_stream_to_bytes (s));
}

static inline RfFrame *
fixture_lane_frame (RfSession *session,
                    guint      lane,
                    guint      position)
{
  GListModel *frames = rf_lane_get_frames (rf_session_get_lane (session, lane));
  g_autoptr(RfFrame) frame = g_list_model_get_item (frames, position);

  g_assert_nonnull (frame);
  return frame;  /* the lane keeps it alive */
}

static inline guint
fixture_lane_n_frames (RfSession *session,
                       guint      lane)
{
  return g_list_model_get_n_items (rf_lane_get_frames (rf_session_get_lane (session, lane)));
}

static inline void
fixture_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint wake = g_timeout_add (10, fixture_wake_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);
}

G_END_DECLS
