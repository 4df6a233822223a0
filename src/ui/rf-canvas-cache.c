/*
 * rf-canvas-cache.c
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

#define G_LOG_DOMAIN "rf-canvas"

#include "config.h"

#include <math.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "rf-canvas-private.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-session.h"

/* The canvas's images: decoded pixels as textures (a small LRU besides the
 * session's pixbuf cache) and, made by one scaling thread shared by every
 * canvas, copies at the device pixels they cover on screen. */

typedef struct
{
  RfMailboxLink  link;         /* first: handed back through a mailbox */
  RfMailbox     *mailbox;      /* until handed back */
  GCancellable  *cancellable;  /* the request's identity; cancelled when stale */
  RfFrame       *frame;
  GdkPixbuf     *pixbuf;
  GdkTexture    *texture;      /* the result; NULL when stale or failed */
  int            width;
  int            height;
} ScaleJob;

void
_rf_canvas_cached_image_cancel_scaled (CachedImage *image)
{
  if (image->scaling == NULL)
    return;

  g_cancellable_cancel (image->scaling);
  g_clear_object (&image->scaling);
}

void
_rf_canvas_cached_image_free (gpointer data)
{
  CachedImage *image = data;

  _rf_canvas_cached_image_cancel_scaled (image);
  g_clear_object (&image->scaled);
  g_clear_object (&image->frame);
  g_clear_object (&image->texture);
  g_clear_object (&image->pixbuf);
  g_clear_pointer (&image->surface, cairo_surface_destroy);
  g_free (image);
}

void
_rf_canvas_scale_job_free (gpointer data)
{
  ScaleJob *job = data;

  g_clear_pointer (&job->mailbox, rf_mailbox_unref);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->frame);
  g_clear_object (&job->pixbuf);
  g_clear_object (&job->texture);
  g_free (job);
}

/* The pixels of @frame as a texture, from our cache or from the session's
 * pixbuf cache; NULL while they are not decoded (the session then decodes
 * them again and emits ::frame-decoded). */
CachedImage *
_rf_canvas_lookup_image (RfCanvas *self,
                        RfFrame  *frame)
{
  CachedImage *image;
  GdkPixbuf *pixbuf;

  if (frame == NULL)
    return NULL;

  if ((image = g_hash_table_lookup (self->images, frame)))
    {
      g_queue_remove (&self->lru, image);
      g_queue_push_head (&self->lru, image);
      return image;
    }

  if (self->session == NULL || rf_frame_get_decode_status (frame) != RF_DECODE_OK)
    return NULL;

  if (!(pixbuf = rf_session_lookup_pixbuf (self->session, frame)))
    return NULL;

  image = g_new0 (CachedImage, 1);
  image->frame = g_object_ref (frame);
  image->pixbuf = g_object_ref (pixbuf);
  image->texture = gdk_texture_new_for_pixbuf (pixbuf);
  image->width = gdk_pixbuf_get_width (pixbuf);
  image->height = gdk_pixbuf_get_height (pixbuf);
  image->has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);

  g_hash_table_insert (self->images, frame, image);
  g_queue_push_head (&self->lru, image);

  /* The images on screen stay alive through their own references. */
  while (self->lru.length > TEXTURE_CACHE_SIZE)
    {
      CachedImage *old = g_queue_peek_tail (&self->lru);

      if (old == self->shown || old == self->other || old == self->pending)
        {
          g_queue_pop_tail (&self->lru);
          g_queue_push_head (&self->lru, old);
          continue;
        }

      g_queue_pop_tail (&self->lru);
      g_hash_table_remove (self->images, old->frame);
    }

  return image;
}

cairo_surface_t *
_rf_canvas_cached_image_get_surface (CachedImage *image)
{
  if (image->surface == NULL)
    {
      cairo_surface_t *surface;

      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, image->width, image->height);
      cairo_surface_flush (surface);
      /* Downloads are in CAIRO_FORMAT_ARGB32 layout. */
      gdk_texture_download (image->texture,
                            cairo_image_surface_get_data (surface),
                            cairo_image_surface_get_stride (surface));
      cairo_surface_mark_dirty (surface);
      image->surface = surface;
    }

  return image->surface;
}

/* The device pixels of @image drawn over @dest_width × @dest_height
 * logical pixels; FALSE when that is not smaller than the image, which is
 * then drawn as it is. */
gboolean
_rf_canvas_get_scaled_size (RfCanvas    *self,
                 CachedImage *image,
                 double       dest_width,
                 double       dest_height,
                 int         *width,
                 int         *height)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  *width = (int) round (dest_width * scale);
  *height = (int) round (dest_height * scale);

  return *width >= 1 && *height >= 1 &&
         *width < image->width && *height < image->height;
}

gboolean
_rf_canvas_cached_image_has_scaled (CachedImage *image,
                         int          width,
                         int          height)
{
  return image->scaled != NULL &&
         gdk_texture_get_width (image->scaled) == width &&
         gdk_texture_get_height (image->scaled) == height;
}

static void
scale_thread_func (gpointer data,
                   gpointer user_data)
{
  ScaleJob *job = data;
  RfMailbox *mailbox = g_steal_pointer (&job->mailbox);

  rf_thread_lower_priority ();

  if (!g_cancellable_is_cancelled (job->cancellable))
    {
      /* gdk-pixbuf's bilinear filter averages every source pixel when it
       * scales down, so fine detail does not alias. */
      g_autoptr(GdkPixbuf) scaled = gdk_pixbuf_scale_simple (job->pixbuf, job->width, job->height,
                                                             GDK_INTERP_BILINEAR);

      if (scaled != NULL)
        job->texture = gdk_texture_new_for_pixbuf (scaled);
    }

  /* Through a mailbox rather than a GTask: returning a GTask takes the
   * main context's lock, and this thread, behind the UI thread, could be
   * preempted holding it while the UI thread waits. Stale jobs go back
   * too, so that every job ends on the UI thread. */
  rf_mailbox_post (mailbox, &job->link);
  rf_mailbox_unref (mailbox);
}

/* One thread of its own scales for every canvas, behind the UI thread:
 * at the same priority it took half of a core from the layout of the
 * first frame. Requests wait their turn; stale ones end at once. */
static GThreadPool *
get_scale_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      g_autoptr(GError) error = NULL;
      GThreadPool *new_pool = g_thread_pool_new (scale_thread_func, NULL, 1, TRUE, &error);

      if (new_pool == NULL)
        g_error ("Cannot start the scaling thread: %s", error->message);
      g_once_init_leave (&pool, new_pool);
    }

  return pool;
}

void
_rf_canvas_scale_done (RfMailboxLink *item,
            gpointer       user_data)
{
  RfCanvas *self = user_data;
  ScaleJob *job = (ScaleJob *) item;
  CachedImage *image;

  /* Evicted, or asked again for another size. */
  if (!(image = g_hash_table_lookup (self->images, job->frame)) ||
      image->scaling != job->cancellable)
    {
      _rf_canvas_scale_job_free (job);
      return;
    }

  g_clear_object (&image->scaling);

  if (job->texture != NULL)
    g_set_object (&image->scaled, job->texture);
  else
    g_debug ("Frame %u was not scaled to %d×%d: out of memory",
             rf_frame_get_index (job->frame), job->width, job->height);
  _rf_canvas_scale_job_free (job);

  /* Shown even when scaling failed: then drawn the slow way. */
  if (image == self->pending)
    {
      gint64 start = g_get_monotonic_time ();

      _rf_canvas_show (self, image);
      _rf_canvas_update (self);
      rf_stall_monitor_add_phase ("canvas", g_get_monotonic_time () - start);
    }
  else
    {
      _rf_canvas_queue_draw (self);
    }
}

/* Makes @image at @width × @height device pixels in a worker thread;
 * a request for another size replaces the one in flight. */
void
_rf_canvas_cached_image_request_scaled (RfCanvas    *self,
                             CachedImage *image,
                             int          width,
                             int          height)
{
  ScaleJob *job;

  if (image->scaling != NULL)
    {
      if (image->scaling_width == width && image->scaling_height == height)
        return;
      _rf_canvas_cached_image_cancel_scaled (image);
    }

  image->scaling = g_cancellable_new ();
  image->scaling_width = width;
  image->scaling_height = height;

  job = g_new0 (ScaleJob, 1);
  job->mailbox = rf_mailbox_ref (self->scale_mailbox);
  job->cancellable = g_object_ref (image->scaling);
  job->frame = g_object_ref (image->frame);
  job->pixbuf = g_object_ref (image->pixbuf);
  job->width = width;
  job->height = height;

  g_thread_pool_push (get_scale_pool (), job, NULL);
}

/* Whether @image, once shown, is drawn smaller than its size: then its
 * scaled image is made first. */
gboolean
_rf_canvas_needs_scaled (RfCanvas    *self,
              CachedImage *image,
              int         *width,
              int         *height)
{
  double view_width, view_height;
  double zoom;

  if (self->animating || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;

  rf_zoom_get_view_size (self->zoom, &view_width, &view_height);
  if (view_width < 1 || view_height < 1)
    return FALSE;

  if (rf_zoom_get_best_fit (self->zoom))
    zoom = rf_zoom_compute_best_fit (image->width, image->height, view_width, view_height);
  else
    zoom = rf_zoom_get_zoom (self->zoom);

  return _rf_canvas_get_scaled_size (self, image, image->width * zoom, image->height * zoom, width, height);
}

static CachedImage *
peek_image (RfCanvas *self,
            RfFrame  *frame)
{
  return self->images ? g_hash_table_lookup (self->images, frame) : NULL;
}

gboolean
_rf_canvas_is_scaling (RfCanvas *self,
                       RfFrame  *frame)
{
  CachedImage *image;

  g_return_val_if_fail (RF_IS_CANVAS (self), FALSE);

  return (image = peek_image (self, frame)) != NULL && image->scaling != NULL;
}

gboolean
_rf_canvas_has_scaled (RfCanvas *self,
                       RfFrame  *frame)
{
  CachedImage *image;

  g_return_val_if_fail (RF_IS_CANVAS (self), FALSE);

  return (image = peek_image (self, frame)) != NULL && image->scaled != NULL;
}
