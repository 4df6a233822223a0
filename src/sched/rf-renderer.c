/*
 * rf-renderer.c
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

#define G_LOG_DOMAIN "rf-renderer"

#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <epoxy/gl.h>
#include <gtk/gtk.h>
#if defined(GDK_WINDOWING_X11) && defined(HAVE_CAIRO_XLIB)
#include <gdk/x11/gdkx.h>
#include <cairo-xlib.h>
#endif

#include "rf-renderer.h"

/* GTK 4.8 renders with OpenGL wherever OpenGL exists, even when Mesa
 * emulates it on the CPU (llvmpipe: machines without a GPU, virtual
 * machines, virtual displays). There each frame of Refinery's window
 * takes about 35 ms of CPU time on the project machine, taken from the
 * threads that decode frames, and the main loop stalls for as long; the
 * cairo renderer draws the same frame in 4 ms. */

static gboolean
is_software_gl (const char *renderer)
{
  static const char * const names[] = { "llvmpipe", "softpipe", "swrast", "SWR", "Software Rasterizer" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strstr (renderer, names[i]) != NULL)
      return TRUE;

  return FALSE;
}

gboolean
rf_renderer_avoid_software_gl (void)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *renderer = NULL;
  GdkDisplay *display;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return FALSE;

  if (!(display = gdk_display_get_default ()))
    return FALSE;

  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      /* GTK falls back to cairo by itself then. */
      g_debug ("No OpenGL: %s", error ? error->message : "unknown error");
      return FALSE;
    }

  gdk_gl_context_make_current (context);
  renderer = g_strdup ((const char *) glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();

  if (renderer == NULL || !is_software_gl (renderer))
    return FALSE;

  g_debug ("OpenGL is emulated (%s): drawing with cairo", renderer);
  /* Nothing else runs yet: main() calls this before the application
   * starts its threads. GTK reads the variable when it makes the
   * renderer of each window. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);

  return TRUE;
}

/* With cairo, GTK 4.8 paints each frame into a new buffer the size of the
 * area that changed (6 MB for the whole of a 1600×1000 window). glibc
 * maps a buffer as large as the largest one freed before it afresh from
 * the kernel every time, so each repaint of the whole window took 1,600
 * page faults, 4 ms on the project machine, inside its frame. Served from
 * the heap, and from memory already written once, such buffers reuse
 * pages already there. The heap keeps up to HEAP_KEEP_BYTES free at its
 * end for that. */
#define HEAP_KEEP_BYTES (32 << 20)

void
rf_renderer_prepare_heap (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, HEAP_KEEP_BYTES);
  mallopt (M_TRIM_THRESHOLD, HEAP_KEEP_BYTES);
#endif
}

/* Two frames' worth, written a page at a time so that the kernel maps
 * every page now; freed, it stays with the heap. */
static void
warm_heap (gsize bytes)
{
  volatile char *warm;

  bytes = MIN (bytes, HEAP_KEEP_BYTES / 2);
  if (!(warm = g_try_malloc (bytes)))
    return;

  for (gsize i = 0; i < bytes; i += 4096)
    warm[i] = 0;
  g_free ((gpointer) warm);
}

/* On X11 each frame then goes to the display server through a block of
 * cairo's shared memory pool. cairo destroys a pool as soon as nothing in
 * it is in use, between two frames, so a frame that needed a larger
 * block than the last one got a new segment, and every page of it
 * faulted in while the frame was drawn: 1,400 page faults, about 4 ms,
 * for the first frame that repainted the whole window while a run
 * streamed in. A small image kept in the pool keeps it alive, and the
 * window-sized block written here is the one later frames reuse (the
 * pool hands out the block freed last first). */
#define KEEP_KEY "rf-renderer-frame-memory"

#if defined(GDK_WINDOWING_X11) && defined(HAVE_CAIRO_XLIB)
static void
window_unrealize_cb (GtkWidget *window)
{
  g_signal_handlers_disconnect_by_func (window, window_unrealize_cb, NULL);
  g_object_set_data (G_OBJECT (window), KEEP_KEY, NULL);
}

static void
keep_upload_memory (GtkWidget *window,
                    int        width,
                    int        height)
{
  GdkDisplay *display = gtk_widget_get_display (window);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  cairo_surface_t *target;
  cairo_surface_t *block;
  cairo_surface_t *keep;
  XWindowAttributes attrs;
  Display *xdisplay;

  if (!GDK_IS_X11_DISPLAY (display) || g_object_get_data (G_OBJECT (window), KEEP_KEY) != NULL)
    return;

  xdisplay = gdk_x11_display_get_xdisplay (display);
  if (!XGetWindowAttributes (xdisplay, gdk_x11_surface_get_xid (surface), &attrs))
    return;

  target = cairo_xlib_surface_create (xdisplay, gdk_x11_surface_get_xid (surface),
                                      attrs.visual, width, height);
  /* Cleared by cairo as it is made: every page is written once now. */
  block = cairo_surface_create_similar_image (target, CAIRO_FORMAT_RGB24, width, height);
  keep = cairo_surface_create_similar_image (target, CAIRO_FORMAT_RGB24, 64, 64);
  cairo_surface_destroy (block);
  cairo_surface_destroy (target);

  g_object_set_data_full (G_OBJECT (window), KEEP_KEY, keep,
                          (GDestroyNotify) cairo_surface_destroy);
  /* Before the display connection goes. */
  g_signal_connect (window, "unrealize", G_CALLBACK (window_unrealize_cb), NULL);
}
#endif

void
rf_renderer_keep_frame_memory (GtkWidget *window)
{
  GdkSurface *surface;
  int width, height;

  g_return_if_fail (GTK_IS_NATIVE (window));

  if (!gtk_widget_get_realized (window) ||
      !GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (window))))
    return;

  surface = gtk_native_get_surface (GTK_NATIVE (window));
  width = gdk_surface_get_width (surface) * gdk_surface_get_scale_factor (surface);
  height = gdk_surface_get_height (surface) * gdk_surface_get_scale_factor (surface);
  g_debug ("Keeping the memory for frames of %d×%d", width, height);

  warm_heap ((gsize) width * height * 4 * 2);
#if defined(GDK_WINDOWING_X11) && defined(HAVE_CAIRO_XLIB)
  keep_upload_memory (window, width, height);
#endif
}
