/*
 * test-player.c
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

#include "../canvas/canvas-fixture.h"
#include "rf-player.h"

/* The player needs no display: playback is driven by rf_player_tick ()
 * with made-up clock times, as a widget's frame clock would. */

typedef struct
{
  RfSession *session;
  RfPlayer  *player;
  guint      n_playing_notifies;
  guint      n_axis_changes;
} Fixture;

static void
playing_notified_cb (Fixture *f)
{
  f->n_playing_notifies++;
}

static void
axis_changed_cb (Fixture *f)
{
  f->n_axis_changes++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->session = fixture_two_lane_session ();
  f->player = rf_player_new ();
  rf_player_set_session (f->player, f->session);
  g_signal_connect_swapped (f->player, "notify::playing", G_CALLBACK (playing_notified_cb), f);
  g_signal_connect_swapped (f->player, "axis-changed", G_CALLBACK (axis_changed_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->player);
  g_clear_object (&f->session);
}

static RfFrame *
selected (Fixture *f)
{
  return rf_session_get_selected_frame (f->session);
}

static void
test_steps (Fixture       *f,
            gconstpointer  data)
{
  g_assert_cmpuint (fixture_lane_n_frames (f->session, 0), ==, 3);
  g_assert_cmpuint (fixture_lane_n_frames (f->session, 1), ==, 2);

  rf_player_step_lane (f->player, -1);
  g_assert_cmpuint (rf_frame_get_lane_index (selected (f)), ==, 0);
  g_assert_false (rf_session_get_follow (f->session));

  rf_player_step_frame (f->player, RF_PLAYER_STEP_FIRST);
  g_assert_true (selected (f) == fixture_lane_frame (f->session, 0, 0));
  rf_player_step_frame (f->player, RF_PLAYER_STEP_PREVIOUS);
  g_assert_true (selected (f) == fixture_lane_frame (f->session, 0, 0));
  rf_player_step_frame (f->player, RF_PLAYER_STEP_NEXT);
  rf_player_step_frame (f->player, RF_PLAYER_STEP_NEXT);
  g_assert_true (selected (f) == fixture_lane_frame (f->session, 0, 2));
  rf_player_step_frame (f->player, RF_PLAYER_STEP_NEXT);
  g_assert_true (selected (f) == fixture_lane_frame (f->session, 0, 2));
  rf_player_step_frame (f->player, RF_PLAYER_STEP_PREVIOUS);
  g_assert_true (selected (f) == fixture_lane_frame (f->session, 0, 1));

  /* The run is finished: the last frame is selected, not followed. */
  rf_player_step_frame (f->player, RF_PLAYER_STEP_LAST);
  g_assert_true (selected (f) == fixture_lane_frame (f->session, 0, 2));
  g_assert_false (rf_session_get_follow (f->session));

  rf_player_step_lane (f->player, 1);
  g_assert_cmpuint (rf_frame_get_lane_index (selected (f)), ==, 1);
  rf_player_step_lane (f->player, 1);
  g_assert_cmpuint (rf_frame_get_lane_index (selected (f)), ==, 1);
  rf_player_step_frame (f->player, RF_PLAYER_STEP_FIRST);
  g_assert_true (selected (f) == fixture_lane_frame (f->session, 1, 0));

  /* No lane 2; ties go to the later frame. */
  g_assert_null (rf_player_get_nearest_frame (f->player, 2, 0));
  g_assert_true (rf_player_get_nearest_frame (f->player, 1, G_MAXDOUBLE / 4) ==
                 fixture_lane_frame (f->session, 1, 1));

  rf_player_select_frame (f->player, NULL);
  g_assert_true (selected (f) == fixture_lane_frame (f->session, 1, 0));
  g_assert_false (rf_player_get_playing (f->player));
  g_assert_cmpuint (f->n_playing_notifies, ==, 0);
}

static void
test_speed (Fixture       *f,
            gconstpointer  data)
{
  g_assert_cmpfloat (rf_player_get_speed (f->player), ==, 1.0);
  rf_player_set_speed (f->player, 100);
  g_assert_cmpfloat (rf_player_get_speed (f->player), ==, RF_PLAYER_MAX_SPEED);
  rf_player_set_speed (f->player, 0);
  g_assert_cmpfloat (rf_player_get_speed (f->player), ==, RF_PLAYER_MIN_SPEED);
  g_object_set (f->player, "speed", 2.0, NULL);
  g_assert_cmpfloat (rf_player_get_speed (f->player), ==, 2.0);
}

/* A recording without timing comments replays its frames 600 ms apart,
 * scaled by the speed; the clock's first tick only sets its origin. */
static void
test_play_clock (Fixture       *f,
                 gconstpointer  data)
{
  RfFrame *first = fixture_lane_frame (f->session, 0, 0);
  RfFrame *last = fixture_lane_frame (f->session, 0, 2);
  double t0 = rf_frame_get_t_ms (first);
  double t;
  gint64 origin = 5 * G_USEC_PER_SEC;

  g_assert_cmpfloat (rf_frame_get_t_ms (last) - t0, <, 50);

  /* Playing from the lane's last frame starts over from its first. */
  rf_player_select_frame (f->player, last);
  rf_player_set_speed (f->player, 2.0);
  rf_player_set_playing (f->player, TRUE);
  g_assert_true (rf_player_get_playing (f->player));
  g_assert_cmpuint (f->n_playing_notifies, ==, 1);
  g_assert_true (selected (f) == first);
  g_assert_true (rf_player_get_playhead_ms (f->player, &t));
  g_assert_cmpfloat_with_epsilon (t, t0, 1e-9);

  g_assert_true (rf_player_tick (f->player, origin));
  /* 250 ms at 2×: 500 of 600 ms. */
  g_assert_true (rf_player_tick (f->player, origin + 250 * 1000));
  g_assert_true (selected (f) == first);
  g_assert_true (rf_player_get_playhead_ms (f->player, &t));
  g_assert_cmpfloat_with_epsilon (t, t0 + 500, 1e-6);
  /* 300 ms: 600 ms, the second frame is due. */
  g_assert_true (rf_player_tick (f->player, origin + 300 * 1000));
  g_assert_true (selected (f) == fixture_lane_frame (f->session, 0, 1));
  g_assert_true (rf_player_get_playing (f->player));

  /* Past 1200 ms: the last frame, and playback ends by itself. */
  g_assert_false (rf_player_tick (f->player, origin + 700 * 1000));
  g_assert_true (selected (f) == last);
  g_assert_false (rf_player_get_playing (f->player));
  g_assert_cmpuint (f->n_playing_notifies, ==, 2);
  g_assert_false (rf_player_tick (f->player, origin + 800 * 1000));

  /* The playhead is the selection again. */
  g_assert_true (rf_player_get_playhead_ms (f->player, &t));
  g_assert_cmpfloat (t, ==, rf_frame_get_t_ms (last));
}

static void
test_pause_and_step (Fixture       *f,
                     gconstpointer  data)
{
  rf_player_select_frame (f->player, fixture_lane_frame (f->session, 0, 0));
  g_object_set (f->player, "playing", TRUE, NULL);
  g_assert_true (rf_player_get_playing (f->player));
  g_object_set (f->player, "playing", FALSE, NULL);
  g_assert_false (rf_player_get_playing (f->player));
  g_assert_false (rf_player_tick (f->player, 1));
  g_assert_true (selected (f) == fixture_lane_frame (f->session, 0, 0));

  /* A step stops playback where it is. */
  rf_player_set_playing (f->player, TRUE);
  rf_player_tick (f->player, 1);
  rf_player_step_frame (f->player, RF_PLAYER_STEP_NEXT);
  g_assert_false (rf_player_get_playing (f->player));
  g_assert_true (selected (f) == fixture_lane_frame (f->session, 0, 1));
  g_assert_cmpuint (f->n_playing_notifies, ==, 4);

  /* From the end of the demo's lane playback starts over; a new session
   * stops it, and without one nothing plays. */
  {
    g_autoptr(RfSession) one = fixture_demo_session (32, 32);
    g_autoptr(RfPlayer) player = rf_player_new ();

    rf_player_set_session (player, one);
    rf_player_step_frame (player, RF_PLAYER_STEP_LAST);
    rf_player_set_playing (player, TRUE);
    g_assert_true (rf_player_get_playing (player));
    rf_player_set_session (player, NULL);
    g_assert_false (rf_player_get_playing (player));
    rf_player_set_playing (player, TRUE);
    g_assert_false (rf_player_get_playing (player));
  }
}

static void
test_axis (Fixture       *f,
           gconstpointer  data)
{
  double span = rf_player_get_span_ms (f->player);
  double t200, t600, visible;

  /* A run shorter than a second is drawn a second long. */
  g_assert_cmpfloat (span, ==, 1000.0);

  rf_player_set_axis_width (f->player, 800);
  g_assert_true (rf_player_get_axis_fit (f->player));
  g_assert_cmpfloat_with_epsilon (rf_player_get_ms_per_px (f->player), span / 800, 1e-9);
  g_assert_cmpfloat_with_epsilon (rf_player_x_for_time (f->player, rf_player_time_at_x (f->player, 200)),
                                  200, 1e-9);
  g_assert_cmpfloat_with_epsilon (rf_player_time_at_x (f->player, 0), 0, 1e-9);
  g_assert_false (rf_player_scroll_axis (f->player, 100));

  /* Zooming in keeps the time under the pointer where it is. */
  t200 = rf_player_time_at_x (f->player, 200);
  f->n_axis_changes = 0;
  rf_player_zoom_axis_at (f->player, 1 / 1.5, 200);
  g_assert_cmpuint (f->n_axis_changes, ==, 1);
  g_assert_false (rf_player_get_axis_fit (f->player));
  g_assert_cmpfloat_with_epsilon (rf_player_time_at_x (f->player, 200), t200, 1e-6);
  t600 = rf_player_time_at_x (f->player, 600) - rf_player_time_at_x (f->player, 200);
  g_assert_cmpfloat_with_epsilon (t600, 400 * span / 800 / 1.5, 1e-6);

  /* Scrolling stops at the run's end. */
  g_assert_true (rf_player_scroll_axis (f->player, 1e6));
  visible = rf_player_get_ms_per_px (f->player) * 800;
  g_assert_cmpfloat_with_epsilon (rf_player_time_at_x (f->player, 800), span, 1e-6);
  g_assert_cmpfloat_with_epsilon (rf_player_time_at_x (f->player, 0), span - visible, 1e-6);

  /* A selection out of view is brought into it. */
  rf_player_select_frame (f->player, fixture_lane_frame (f->session, 0, 0));
  {
    double x = rf_player_x_for_time (f->player, rf_frame_get_t_ms (selected (f)));

    g_assert_cmpfloat (x, >=, 0);
    g_assert_cmpfloat (x, <=, 800);
  }

  /* Zooming far in stops at 0.01 ms a pixel; far out, at the whole run. */
  rf_player_zoom_axis_at (f->player, 1e-9, 0);
  g_assert_cmpfloat_with_epsilon (rf_player_get_ms_per_px (f->player), 0.01, 1e-12);
  rf_player_zoom_axis_at (f->player, 1e9, 0);
  g_assert_true (rf_player_get_axis_fit (f->player));
  g_assert_cmpfloat_with_epsilon (rf_player_time_at_x (f->player, 0), 0, 1e-9);

  /* A new width refits; a new session starts fitted. */
  rf_player_zoom_axis_at (f->player, 0.5, 0);
  rf_player_set_axis_width (f->player, 400);
  g_assert_cmpfloat_with_epsilon (rf_player_time_at_x (f->player, 400), 2 * rf_player_time_at_x (f->player, 200), 1e-6);
  rf_player_set_session (f->player, NULL);
  g_assert_true (rf_player_get_axis_fit (f->player));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/player/steps", Fixture, NULL, fixture_setup, test_steps, fixture_teardown);
  g_test_add ("/player/speed", Fixture, NULL, fixture_setup, test_speed, fixture_teardown);
  g_test_add ("/player/play-clock", Fixture, NULL, fixture_setup, test_play_clock, fixture_teardown);
  g_test_add ("/player/pause-and-step", Fixture, NULL, fixture_setup, test_pause_and_step, fixture_teardown);
  g_test_add ("/player/axis", Fixture, NULL, fixture_setup, test_axis, fixture_teardown);

  return g_test_run ();
}
