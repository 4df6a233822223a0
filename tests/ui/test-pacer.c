/*
 * test-pacer.c
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

#include <malloc.h>
#include <sys/resource.h>

#include "rf-pacer.h"
#include "rf-renderer.h"
#include "rf-test-util.h"

/* What the pacer emitted, and how many frames had been painted then. */
typedef struct
{
  GtkWidget *window;
  RfPacer   *pacer;
  guint      paints;
  guint      n_image;
  guint      n_update;
  guint      n_rows;
  guint      paints_at_image;
  guint      paints_at_update;
  guint      paints_at_rows;
  gint64     update_times [4];
  gboolean   queue_others;  /* the update handler asks for the others */
  gboolean   image_at_once; /* ::image came inside rf_pacer_queue_image() */
} Fixture;

static void
after_paint_cb (GdkFrameClock *clock,
                Fixture       *f)
{
  f->paints++;
}

static void
image_cb (RfPacer *pacer,
          Fixture *f)
{
  f->paints_at_image = f->paints;
  f->n_image++;
  /* Something to paint, as the canvas has. */
  gtk_widget_queue_draw (f->window);
}

static void
update_cb (RfPacer *pacer,
           Fixture *f)
{
  if (f->n_update < G_N_ELEMENTS (f->update_times))
    f->update_times[f->n_update] = g_get_monotonic_time ();
  f->paints_at_update = f->paints;
  f->n_update++;

  if (f->queue_others)
    {
      guint before = f->n_image;

      f->queue_others = FALSE;
      rf_pacer_queue_rows (pacer);
      rf_pacer_queue_image (pacer);
      f->image_at_once = f->n_image != before;
    }
}

static void
rows_cb (RfPacer *pacer,
         Fixture *f)
{
  f->paints_at_rows = f->paints;
  f->n_rows++;
}

static gboolean
painted (gpointer data)
{
  Fixture *f = data;

  return f->paints > 0;
}

/* Has the window painted once more, and waits for it. */
static void
paint_once (Fixture *f)
{
  guint paints = f->paints;
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  gtk_widget_queue_draw (f->window);
  while (f->paints == paints && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (f->paints, >, paints);
}

static void
fixture_setup (Fixture *f,
               gboolean show)
{
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 320, 240);
  gtk_window_set_child (GTK_WINDOW (f->window), gtk_label_new ("Refinery"));

  f->pacer = rf_pacer_get_for_widget (f->window);
  g_assert_nonnull (f->pacer);
  g_assert_true (rf_pacer_get_for_widget (f->window) == f->pacer);
  g_signal_connect (f->pacer, "image", G_CALLBACK (image_cb), f);
  g_signal_connect (f->pacer, "update", G_CALLBACK (update_cb), f);
  g_signal_connect (f->pacer, "rows", G_CALLBACK (rows_cb), f);

  if (show)
    {
      gtk_window_present (GTK_WINDOW (f->window));
      g_signal_connect (gtk_widget_get_frame_clock (f->window), "after-paint",
                        G_CALLBACK (after_paint_cb), f);
      g_assert_true (rf_test_wait_until (painted, f, 5000));
    }
}

static void
fixture_teardown (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
}

static gboolean
all_three (gpointer data)
{
  Fixture *f = data;

  return f->n_update > 0 && f->n_image > 0 && f->n_rows > 0;
}

/* Asked for in the same moment, the three kinds come in frames of their
 * own: each one only after the frame of the one before was painted. */
static void
test_kinds_take_turns (void)
{
  Fixture f = { 0 };

  fixture_setup (&f, TRUE);
  f.queue_others = TRUE;
  rf_pacer_queue_update (f.pacer);

  g_assert_true (rf_test_wait_until (all_three, &f, 5000));
  /* The update's frame was not painted yet: the image waited. */
  g_assert_false (f.image_at_once);
  g_assert_cmpuint (f.paints_at_image, >, f.paints_at_update);
  g_assert_cmpuint (f.paints_at_rows, >, f.paints_at_update);
  g_assert_cmpuint (f.paints_at_rows, !=, f.paints_at_image);

  /* With nothing in a frame, an image comes at once. */
  paint_once (&f);
  paint_once (&f);
  {
    guint n_image = f.n_image;

    rf_pacer_queue_image (f.pacer);
    g_assert_cmpuint (f.n_image, ==, n_image + 1);
  }

  fixture_teardown (&f);
}

static gboolean
two_updates (gpointer data)
{
  Fixture *f = data;

  return f->n_update >= 2;
}

/* Updates asked for in a burst come once; the next one no sooner than
 * the interval after it. */
static void
test_update_interval (void)
{
  Fixture f = { 0 };

  fixture_setup (&f, TRUE);

  rf_pacer_queue_update (f.pacer);
  rf_pacer_queue_update (f.pacer);
  g_assert_cmpuint (f.n_update, ==, 0);
  while (f.n_update == 0)
    g_main_context_iteration (NULL, TRUE);

  rf_pacer_queue_update (f.pacer);
  rf_pacer_queue_update (f.pacer);
  g_assert_true (rf_test_wait_until (two_updates, &f, 5000));
  g_assert_cmpuint (f.n_update, ==, 2);
  /* A timer may fire a little early; not by a tenth. */
  g_assert_cmpint (f.update_times[1] - f.update_times[0], >=,
                   RF_PACER_INTERVAL_MS * 900);

  fixture_teardown (&f);
}

static gboolean
one_update (gpointer data)
{
  Fixture *f = data;

  return f->n_update > 0;
}

/* A window never shown paints no frames: nothing waits for one. */
static void
test_hidden_window (void)
{
  Fixture f = { 0 };
  GtkWidget *label = gtk_label_new (NULL);

  g_object_ref_sink (label);
  g_assert_null (rf_pacer_get_for_widget (label));
  g_object_unref (label);

  fixture_setup (&f, FALSE);
  rf_pacer_queue_update (f.pacer);
  g_assert_true (rf_test_wait_until (one_update, &f, 5000));
  rf_pacer_queue_image (f.pacer);
  g_assert_cmpuint (f.n_image, ==, 1);
  rf_pacer_queue_image (f.pacer);
  g_assert_cmpuint (f.n_image, ==, 2);

  fixture_teardown (&f);
}

static glong
minor_faults (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);

  return usage.ru_minflt;
}

/* GTK 4.8 with cairo paints each frame into a new buffer the size of what
 * changed; mapped afresh from the kernel each time, a repaint of a
 * 1600×1000 window faulted in 1,500 pages. Once the frame memory is kept,
 * the heap holds a frame's worth and more at its end, written once,
 * through repaints that free and take it again. */
static void
test_frame_memory (void)
{
  Fixture f = { 0 };
  struct mallinfo2 info;
  gsize frame_bytes;
  GdkSurface *surface;
  glong faults;

  /* Both sanitizers replace malloc: mallinfo2() then says nothing of the
   * heap (the compiler defines __SANITIZE_ADDRESS__ or
   * __SANITIZE_THREAD__ in those builds). */
#if defined (__SANITIZE_ADDRESS__) || defined (__SANITIZE_THREAD__)
  g_test_skip ("AddressSanitizer and ThreadSanitizer have allocators of their own");
  return;
#endif

  fixture_setup (&f, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (f.window), 1200, 900);
  gtk_window_present (GTK_WINDOW (f.window));
  g_signal_connect (gtk_widget_get_frame_clock (f.window), "after-paint",
                    G_CALLBACK (after_paint_cb), &f);
  g_assert_true (rf_test_wait_until (painted, &f, 5000));

  if (!GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (f.window))))
    {
      g_test_skip ("Not drawing with cairo");
      fixture_teardown (&f);
      return;
    }

  surface = gtk_native_get_surface (GTK_NATIVE (f.window));
  frame_bytes = (gsize) gdk_surface_get_width (surface) * gdk_surface_get_height (surface) * 4;

  rf_renderer_keep_frame_memory (f.window);
  info = mallinfo2 ();
  g_assert_cmpuint (info.keepcost, >=, frame_bytes);

  for (guint i = 0; i < 3; i++)
    {
      faults = minor_faults ();
      paint_once (&f);
      faults = minor_faults () - faults;
      g_test_message ("Repaint %u of the whole window faulted in %ld pages", i + 1, faults);
    }

  /* Still there after the repaints. */
  info = mallinfo2 ();
  g_assert_cmpuint (info.keepcost, >=, frame_bytes);
  g_assert_cmpint (faults, <, (glong) (frame_bytes / 4096 / 4));

  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  /* As the application does, first thing. */
  rf_renderer_prepare_heap ();

  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("No display");
      return g_test_run ();
    }

  g_test_add_func ("/pacer/kinds-take-turns", test_kinds_take_turns);
  g_test_add_func ("/pacer/update-interval", test_update_interval);
  g_test_add_func ("/pacer/hidden-window", test_hidden_window);
  g_test_add_func ("/renderer/frame-memory", test_frame_memory);

  return g_test_run ();
}
