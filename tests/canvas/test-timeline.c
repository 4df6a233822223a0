/*
 * test-timeline.c
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

#include <gtk/gtk.h>

#include "canvas-fixture.h"
#include "rf-timeline.h"

static gboolean have_display;

typedef struct
{
  RfSession  *session;
  GtkWidget  *window;
  RfTimeline *timeline;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  if (!have_display)
    return;

  f->session = fixture_two_lane_session ();
  f->window = gtk_window_new ();
  f->timeline = RF_TIMELINE (rf_timeline_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 200);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->timeline));
  gtk_window_present (GTK_WINDOW (f->window));
  rf_timeline_set_session (f->timeline, f->session);

  while (gtk_widget_get_width (GTK_WIDGET (f->timeline)) != 800)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (!have_display)
    return;

  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->session);
}

static void
activate (Fixture    *f,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->timeline), action, NULL));
}

static void
test_keyboard_actions (Fixture       *f,
                       gconstpointer  data)
{
  RfFrame *selected;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_lanes (f->session)), ==, 2);
  g_assert_cmpuint (fixture_lane_n_frames (f->session, 0), ==, 3);
  g_assert_cmpuint (fixture_lane_n_frames (f->session, 1), ==, 2);

  /* Following the stream, the newest frame is selected: lane 1's final. */
  g_assert_true (rf_session_get_selected_frame (f->session) == fixture_lane_frame (f->session, 1, 1));
  activate (f, "timeline.previous-lane");
  g_assert_cmpuint (rf_frame_get_lane_index (rf_session_get_selected_frame (f->session)), ==, 0);
  g_assert_false (rf_session_get_follow (f->session));

  activate (f, "timeline.first-frame");
  g_assert_true (rf_session_get_selected_frame (f->session) == fixture_lane_frame (f->session, 0, 0));

  activate (f, "timeline.next-frame");
  g_assert_true (rf_session_get_selected_frame (f->session) == fixture_lane_frame (f->session, 0, 1));
  activate (f, "timeline.next-frame");
  activate (f, "timeline.next-frame");
  /* Stops at the lane's end: the final. */
  selected = rf_session_get_selected_frame (f->session);
  g_assert_true (selected == fixture_lane_frame (f->session, 0, 2));
  g_assert_cmpint (rf_frame_get_kind (selected), ==, RF_FRAME_KIND_FINAL);

  activate (f, "timeline.previous-frame");
  g_assert_true (rf_session_get_selected_frame (f->session) == fixture_lane_frame (f->session, 0, 1));

  activate (f, "timeline.last-frame");
  g_assert_true (rf_session_get_selected_frame (f->session) == fixture_lane_frame (f->session, 0, 2));

  /* Down: the other image, its frame nearest in time (its partial 0 came
   * after lane 0's final, so it is the first of lane 1). */
  activate (f, "timeline.next-lane");
  selected = rf_session_get_selected_frame (f->session);
  g_assert_cmpuint (rf_frame_get_lane_index (selected), ==, 1);
  activate (f, "timeline.next-lane");
  g_assert_cmpuint (rf_frame_get_lane_index (rf_session_get_selected_frame (f->session)), ==, 1);

  activate (f, "timeline.first-frame");
  g_assert_true (rf_session_get_selected_frame (f->session) == fixture_lane_frame (f->session, 1, 0));
  activate (f, "timeline.previous-frame");
  g_assert_true (rf_session_get_selected_frame (f->session) == fixture_lane_frame (f->session, 1, 0));
  activate (f, "timeline.last-frame");
  g_assert_true (rf_session_get_selected_frame (f->session) == fixture_lane_frame (f->session, 1, 1));

  activate (f, "timeline.previous-lane");
  g_assert_cmpuint (rf_frame_get_lane_index (rf_session_get_selected_frame (f->session)), ==, 0);
}

static void
test_play (Fixture       *f,
           gconstpointer  data)
{
  gint64 deadline;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  rf_timeline_set_speed (f->timeline, 100);
  g_assert_cmpfloat (rf_timeline_get_speed (f->timeline), ==, 8.0);
  rf_timeline_set_speed (f->timeline, 0);
  g_assert_cmpfloat (rf_timeline_get_speed (f->timeline), ==, 0.25);
  g_object_set (f->timeline, "speed", 8.0, NULL);

  rf_session_set_selected_frame (f->session, fixture_lane_frame (f->session, 0, 0));
  activate (f, "timeline.play");
  g_assert_true (rf_timeline_get_playing (f->timeline));

  /* Plays through the lane to its final, then stops by itself. */
  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (rf_timeline_get_playing (f->timeline) && g_get_monotonic_time () < deadline)
    fixture_spin (10);

  g_assert_false (rf_timeline_get_playing (f->timeline));
  g_assert_true (rf_session_get_selected_frame (f->session) == fixture_lane_frame (f->session, 0, 2));

  /* Space again toggles: play, then pause. */
  activate (f, "timeline.play");
  g_assert_true (rf_timeline_get_playing (f->timeline));
  activate (f, "timeline.play");
  g_assert_false (rf_timeline_get_playing (f->timeline));
}

static void
test_render_and_zoom (Fixture       *f,
                      gconstpointer  data)
{
  GtkSnapshot *snapshot;
  g_autoptr(GskRenderNode) node = NULL;
  double t0, t1;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  activate (f, "timeline.first-frame");
  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (f->timeline)->snapshot (GTK_WIDGET (f->timeline), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  /* Fitted, the run spans the drawing area: from after the lane names
   * (96 px and 14 of padding) to 18 px short of the right edge. */
  g_assert_cmpfloat_with_epsilon (rf_timeline_time_at_x (f->timeline, 110), 0, 1e-6);
  g_assert_cmpfloat_with_epsilon (rf_timeline_time_at_x (f->timeline, 800 - 18),
                                  rf_player_get_span_ms (rf_timeline_get_player (f->timeline)), 1e-6);

  /* The time axis maps back and forth; zooming in shows less time. */
  t0 = rf_timeline_time_at_x (f->timeline, 200);
  g_assert_cmpfloat_with_epsilon (rf_timeline_x_for_time (f->timeline, t0), 200, 1e-6);
  t1 = rf_timeline_time_at_x (f->timeline, 600) - rf_timeline_time_at_x (f->timeline, 200);
  activate (f, "timeline.zoom-in");
  g_assert_cmpfloat (rf_timeline_time_at_x (f->timeline, 600) - rf_timeline_time_at_x (f->timeline, 200), <, t1);
  activate (f, "timeline.zoom-out");
  activate (f, "timeline.zoom-out");
  g_assert_cmpfloat_with_epsilon (rf_timeline_time_at_x (f->timeline, 600) - rf_timeline_time_at_x (f->timeline, 200), t1, 1e-6);
}

static guint8 *
render_pixels (GtkWidget *widget,
               int       *size)
{
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GdkTexture) texture = NULL;
  guint8 *pixels = g_malloc0 ((gsize) w * h * 4);

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gsk_renderer_unrealize (renderer);
  gdk_texture_download (texture, pixels, (gsize) w * 4);
  *size = w * h * 4;

  return pixels;
}

/* A frame arriving is marked in its lane until a frame is decoded or the
 * run is over. */
static void
test_arriving_mark (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GdkPixbuf) rows = NULL;
  g_autofree guint8 *before = NULL;
  g_autofree guint8 *marked = NULL;
  g_autofree guint8 *after = NULL;
  int size;

  if (!have_display)
    {
      g_test_skip ("No display");
      return;
    }

  rows = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 16, 8);
  gdk_pixbuf_fill (rows, 0x808080ff);
  before = render_pixels (GTK_WIDGET (f->timeline), &size);

  g_signal_emit_by_name (f->session, "frame-arriving", (gint64) 0, rows, 16);
  marked = render_pixels (GTK_WIDGET (f->timeline), &size);
  g_assert_cmpint (memcmp (before, marked, size), !=, 0);

  g_signal_emit_by_name (f->session, "finished");
  after = render_pixels (GTK_WIDGET (f->timeline), &size);
  g_assert_cmpint (memcmp (before, after, size), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* No accessibility bus under Xvfb: its warning would be fatal. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check ();

  g_test_add ("/timeline/keyboard-actions", Fixture, NULL, fixture_setup, test_keyboard_actions, fixture_teardown);
  g_test_add ("/timeline/play", Fixture, NULL, fixture_setup, test_play, fixture_teardown);
  g_test_add ("/timeline/render-and-zoom", Fixture, NULL, fixture_setup, test_render_and_zoom, fixture_teardown);
  g_test_add ("/timeline/arriving-mark", Fixture, NULL, fixture_setup, test_arriving_mark, fixture_teardown);

  return g_test_run ();
}
