/*
 * test-workspace.c
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

/* The main window as a daily tool: a run with many images, the timeline
 * under it, and the window's remembered state. */

#include "config.h"

#include <math.h>

#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-test-util.h"
#include "rf-timeline-private.h"
#include "rf-window-private.h"

#define N_IMAGES 5
#define N_PARTIALS 2

static gboolean
session_finished (gpointer data)
{
  RfSession *session = rf_window_get_session (data);

  return session != NULL && rf_session_get_finished (session);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A recording of one response with five images, each two partials and
 * its final, one after the other. */
static char *
write_five_image_recording (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) bytes = NULL;
  guint seed = 0;

  rf_test_stream_created (s, "resp_5", N_PARTIALS);
  rf_test_stream_in_progress (s);
  for (int i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *id = g_strdup_printf ("ig_%d", i);
      GBytes *partials[N_PARTIALS];
      g_autoptr(GBytes) final = NULL;

      for (int p = 0; p < N_PARTIALS; p++)
        partials[p] = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, FALSE, seed++);
      final = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, FALSE, seed++);
      rf_test_stream_image_call (s, i, id, partials, N_PARTIALS, final, NULL);
      for (int p = 0; p < N_PARTIALS; p++)
        g_bytes_unref (partials[p]);
    }
  rf_test_stream_completed (s, NULL, NULL, NULL);

  bytes = rf_test_stream_to_bytes (s);
  return rf_test_write_temp_file (bytes, ".sse");
}

static RfWindow *
open_five_images (int width,
                  int height)
{
  g_autofree char *path = write_five_image_recording ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  RfWindow *window = rf_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  rf_window_open_file (window, file);
  g_assert_true (rf_test_wait_until (session_finished, window, 30000));
  g_assert_cmpuint (g_list_model_get_n_items (rf_session_get_lanes (rf_window_get_session (window))), ==, N_IMAGES);

  return window;
}

static GSettings *
new_test_settings (void)
{
  const char *dir = g_getenv ("REFINERY_TEST_SCHEMA_DIR");
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return NULL;

  source = g_settings_schema_source_new_from_directory (dir, NULL, FALSE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, APP_ID, FALSE);
  g_assert_nonnull (schema);

  /* GSETTINGS_BACKEND is "memory": nothing reaches the user's settings. */
  return g_settings_new_full (schema, NULL, NULL);
}

static gboolean
lanes_overflow (gpointer data)
{
  GtkAdjustment *adj = rf_timeline_get_lanes_adjustment (data);

  return gtk_adjustment_get_page_size (adj) > 0 &&
         gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) + 1;
}

/* The ruler's place in the window, and that it lies inside it. */
static graphene_rect_t
ruler_bounds (RfWindow *window)
{
  GtkWidget *ruler = find_descendant (GTK_WIDGET (window->timeline), RF_TYPE_TIMELINE_RULER);
  graphene_rect_t bounds;

  g_assert_nonnull (ruler);
  g_assert_true (gtk_widget_get_mapped (ruler));
  g_assert_true (gtk_widget_compute_bounds (ruler, GTK_WIDGET (window), &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (window)));
  g_assert_cmpfloat (bounds.size.height, ==, RF_TIMELINE_HEADER_HEIGHT);

  return bounds;
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
widget_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

static int
lanes_height (RfWindow *window)
{
  return gtk_widget_get_height (find_descendant (GTK_WIDGET (window->timeline), RF_TYPE_TIMELINE_LANES));
}

typedef struct
{
  RfWindow *window;
  int       height;
} HeightWait;

static gboolean
lanes_height_is (gpointer data)
{
  HeightWait *wait = data;

  return lanes_height (wait->window) == wait->height;
}

static gboolean
timeline_height_is (gpointer data)
{
  HeightWait *wait = data;

  return gtk_widget_get_height (GTK_WIDGET (wait->window->timeline)) == wait->height;
}

/* With five images the lanes scroll under the ruler and the events row,
 * which stay where they are; a lane folds to one line; zoomed in, a
 * scrollbar shows and moves the visible part of the run. */
static void
test_timeline_many_images (void)
{
  RfWindow *window = open_five_images (1280, 800);
  RfTimeline *timeline = window->timeline;
  GtkAdjustment *lanes_adj = rf_timeline_get_lanes_adjustment (timeline);
  GtkAdjustment *axis_adj = rf_timeline_get_axis_adjustment (timeline);
  GtkWidget *axis_scrollbar = NULL;
  graphene_rect_t before, after;
  RfFrame *selected;
  HeightWait wait;

  g_assert_true (rf_test_wait_until (lanes_overflow, timeline, 10000));
  rf_test_spin (100);

  /* Following the run selected the last image's final; the time axis is
   * in view all the same. */
  selected = rf_session_get_selected_frame (rf_window_get_session (window));
  g_assert_cmpuint (rf_frame_get_lane_index (selected), ==, N_IMAGES - 1);
  before = ruler_bounds (window);

  /* Scrolled to the first image and back to the last: the ruler stays. */
  gtk_adjustment_set_value (lanes_adj, 0);
  rf_test_spin (100);
  after = ruler_bounds (window);
  g_assert_cmpfloat (after.origin.y, ==, before.origin.y);
  gtk_adjustment_set_value (lanes_adj, gtk_adjustment_get_upper (lanes_adj));
  rf_test_spin (100);
  after = ruler_bounds (window);
  g_assert_cmpfloat (after.origin.y, ==, before.origin.y);

  /* Folding the selected frame's lane leaves a line for it. */
  g_assert_false (rf_timeline_get_lane_collapsed (timeline, N_IMAGES - 1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.toggle-lane", NULL));
  g_assert_true (rf_timeline_get_lane_collapsed (timeline, N_IMAGES - 1));
  wait = (HeightWait) { window, (int) ((N_IMAGES - 1) * LANE_HEIGHT + COLLAPSED_LANE_HEIGHT + 1) };
  g_assert_true (rf_test_wait_until (lanes_height_is, &wait, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.toggle-lane", NULL));
  g_assert_false (rf_timeline_get_lane_collapsed (timeline, N_IMAGES - 1));
  wait.height = (int) (N_IMAGES * LANE_HEIGHT + 1);
  g_assert_true (rf_test_wait_until (lanes_height_is, &wait, 5000));

  /* Fitted, no axis scrollbar; zoomed in, one that covers part of the run. */
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (timeline)); w; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_SCROLLBAR (w))
      axis_scrollbar = w;
  g_assert_nonnull (axis_scrollbar);
  g_assert_true (gtk_scrollbar_get_adjustment (GTK_SCROLLBAR (axis_scrollbar)) == axis_adj);
  g_assert_false (gtk_widget_get_visible (axis_scrollbar));
  for (int i = 0; i < 4; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.zoom-in", NULL));
  g_assert_true (rf_test_wait_until (widget_visible, axis_scrollbar, 5000));
  g_assert_cmpfloat (gtk_adjustment_get_page_size (axis_adj), <, gtk_adjustment_get_upper (axis_adj) / 2);

  /* Moving the scrollbar moves the axis: to the run's start, and its end. */
  gtk_adjustment_set_value (axis_adj, 0);
  g_assert_cmpfloat (fabs (rf_timeline_time_at_x (timeline, RF_TIMELINE_AREA_START)), <, 1);
  gtk_adjustment_set_value (axis_adj, gtk_adjustment_get_upper (axis_adj) - gtk_adjustment_get_page_size (axis_adj));
  g_assert_cmpfloat (fabs (rf_timeline_time_at_x (timeline, RF_TIMELINE_AREA_START) -
                           (gtk_adjustment_get_upper (axis_adj) - gtk_adjustment_get_page_size (axis_adj))), <, 1);

  /* Zoomed out to the whole run, it goes. */
  for (int i = 0; i < 8; i++)
    gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.zoom-out", NULL);
  g_assert_true (rf_test_wait_until (widget_hidden, axis_scrollbar, 5000));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The timeline's height is dragged with the handle above the event log;
 * a new window starts with the height the last one closed with. */
static void
test_timeline_height_remembered (void)
{
  g_autoptr(GSettings) settings = new_test_settings ();
  RfWindow *window;
  HeightWait wait;
  gboolean handled = FALSE;
  int fitted;

  if (settings == NULL)
    {
      g_test_skip ("REFINERY_TEST_SCHEMA_DIR is not set");
      return;
    }

  /* Taller than the one lane of the demo needs, which it gets unless told. */
  window = open_five_images (1280, 800);
  /* Not moved by hand: nothing is kept. */
  _rf_window_save_state (window, settings);
  g_assert_cmpint (g_settings_get_int (settings, "timeline-height"), ==, -1);
  /* The handle moved with the keyboard (F8, arrows, Enter). */
  gtk_paned_set_position (window->timeline_paned, 200);
  g_signal_emit_by_name (window->timeline_paned, "accept-position", &handled);
  wait = (HeightWait) { window, 200 };
  g_assert_true (rf_test_wait_until (timeline_height_is, &wait, 5000));
  _rf_window_save_state (window, settings);
  g_assert_cmpint (g_settings_get_int (settings, "timeline-height"), ==, 200);
  gtk_window_destroy (GTK_WINDOW (window));

  window = rf_window_new (NULL);
  _rf_window_restore_state (window, settings);
  gtk_window_present (GTK_WINDOW (window));
  rf_window_start_demo (window, 0);
  g_assert_true (rf_test_wait_until (session_finished, window, 60000));
  wait = (HeightWait) { window, 200 };
  g_assert_true (rf_test_wait_until (timeline_height_is, &wait, 5000));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Without a kept height, the demo's one lane gets the timeline it needs:
   * the ruler and the lane, less than that. */
  window = rf_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  rf_window_start_demo (window, 0);
  g_assert_true (rf_test_wait_until (session_finished, window, 60000));
  rf_test_spin (300);
  fitted = gtk_widget_get_height (GTK_WIDGET (window->timeline));
  g_test_message ("fitted timeline: %d px", fitted);
  g_assert_cmpint (fitted, >=, RF_TIMELINE_HEADER_HEIGHT + LANE_HEIGHT);
  g_assert_cmpint (fitted, <, 200);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_no_display (void)
{
  g_test_skip ("no display");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  /* As in test-window: no accessibility or session bus under Xvfb, the
   * cairo renderer, and journals and recent files in a throw-away folder. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_test_init (&argc, &argv, NULL);

  data_home = g_build_filename (rf_test_get_temp_dir (), "data-home", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/ui/workspace/timeline-many-images", test_timeline_many_images);
  g_test_add_func ("/ui/workspace/timeline-height-remembered", test_timeline_height_remembered);

  return g_test_run ();
}
