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
#include <epoxy/gl.h>
#include <gtk/gtk.h>

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
