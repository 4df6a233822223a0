/*
 * rf-canvas.c
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
#include "rf-sched.h"
#include "rf-session.h"
#include "rf-zoom.h"

/* Textures kept besides the session's pixbuf LRU: enough for a compare
 * pair, the previous frame and some scrubbing back and forth. */
#define TEXTURE_CACHE_SIZE 8
#define DIFF_CACHE_SIZE    4
#define PANE_GAP           12.0
#define WIPE_GRAB_DISTANCE 14.0
#define CHECKER_SIZE       8.0
#define ZOOM_ANIMATION_MS  200
#define ZOOM_STEP          1.5

typedef struct
{
  RfFrame         *frame;
  GdkPixbuf       *pixbuf;
  GdkTexture      *texture;  /* wraps @pixbuf: no copy */
  cairo_surface_t *surface;  /* made on first use, for nearest-neighbour */
  /* The image scaled down to the device pixels it covers on screen, made
   * off the main thread. GTK 4.8's cairo renderer filters a scaled
   * texture anew at every frame (15 ms for 1024² shown at 700² on the
   * project machine) but copies one drawn at its own size (0.4 ms). */
  GdkTexture      *scaled;
  GCancellable    *scaling;  /* the job making a scaled image, or NULL */
  int              scaling_width;
  int              scaling_height;
  int              width;
  int              height;
  guint            has_alpha : 1;
} CachedImage;

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

typedef struct
{
  RfFrame    *a;
  RfFrame    *b;
  GdkTexture *texture;
} DiffEntry;

typedef struct
{
  RfFrame *a;
  RfFrame *b;
  GBytes  *a_pixels;
  GBytes  *b_pixels;
  int      a_width, a_height;
  int      b_width, b_height;
} DiffJob;

typedef struct
{
  GBytes *pixels;
  int     width;
  int     height;
} DiffResult;

struct _RfCanvas
{
  GtkWidget      parent_instance;

  RfSession     *session;
  GSignalGroup  *session_signals;
  RfZoom        *zoom;

  /* What is on screen: the selected frame once its pixels are ready,
   * the previous one until then, so the view never blanks. */
  CachedImage   *shown;
  CachedImage   *other;
  /* The selected frame once decoded, while its scaled image is made: it
   * replaces @shown when that is ready, so no frame is drawn the slow way. */
  CachedImage   *pending;

  GHashTable    *images;        /* RfFrame* → CachedImage* */
  GQueue         lru;           /* CachedImage*, most recent first */

  RfFrame       *compare_frame; /* chosen by the user, or NULL */
  RfCompareMode  compare_mode;
  double         crossfade;
  double         wipe_position;

  /* Scaled images from the scaling thread. */
  RfMailbox     *scale_mailbox;

  GPtrArray     *diffs;         /* DiffEntry*, most recent last */
  GCancellable  *diff_cancellable;
  RfFrame       *diff_pending_a;
  RfFrame       *diff_pending_b;

  double         pointer_x;
  double         pointer_y;
  double         drag_start_x;
  double         drag_start_y;
  double         gesture_start_zoom;

  /* Animated zoom: the image point under the anchor stays put. */
  AdwAnimation  *zoom_animation;
  double         anim_from_zoom;
  double         anim_to_zoom;
  double         anim_anchor_x;
  double         anim_anchor_y;
  double         anim_image_x;
  double         anim_image_y;
  guint          anim_to_fit : 1;
  guint          animating : 1;

  /* Repaints go through the window's pacer: a new image never lands in
   * the frame that lays out the other widgets' changes. */
  RfPacer       *pacer;
  /* The frame last painted, for REFINERY_PROFILE=1's "on screen". */
  RfFrame       *painted;

  guint          has_pointer : 1;
  guint          dragging_wipe : 1;
  guint          panning : 1;
  guint          draw_queued : 1;
};

G_DEFINE_FINAL_TYPE (RfCanvas, rf_canvas, GTK_TYPE_WIDGET)

/* A new image repaints most of the window: through the pacer, it waits
 * for the frame that lays out the other widgets' changes to be painted
 * (a frame, 17 ms, at most) instead of making that frame twice as long. */
static void
rf_canvas_queue_draw (RfCanvas *self)
{
  if (self->pacer == NULL)
    {
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  self->draw_queued = TRUE;
  rf_pacer_queue_image (self->pacer);
}

static void
pacer_image_cb (RfCanvas *self,
                RfPacer  *pacer)
{
  if (!self->draw_queued)
    return;

  self->draw_queued = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

enum {
  PROP_0,
  PROP_SESSION,
  PROP_COMPARE_MODE,
  PROP_COMPARE_FRAME,
  PROP_CROSSFADE,
  PROP_WIPE_POSITION,
  PROP_ZOOM,
  PROP_BEST_FIT,
  PROP_COMPUTING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void rf_canvas_update (RfCanvas *self);
static void rf_canvas_update_cursor (RfCanvas *self);

static void
cached_image_cancel_scaled (CachedImage *image)
{
  if (image->scaling == NULL)
    return;

  g_cancellable_cancel (image->scaling);
  g_clear_object (&image->scaling);
}

static void
cached_image_free (gpointer data)
{
  CachedImage *image = data;

  cached_image_cancel_scaled (image);
  g_clear_object (&image->scaled);
  g_clear_object (&image->frame);
  g_clear_object (&image->texture);
  g_clear_object (&image->pixbuf);
  g_clear_pointer (&image->surface, cairo_surface_destroy);
  g_free (image);
}

static void
scale_job_free (gpointer data)
{
  ScaleJob *job = data;

  g_clear_pointer (&job->mailbox, rf_mailbox_unref);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->frame);
  g_clear_object (&job->pixbuf);
  g_clear_object (&job->texture);
  g_free (job);
}

static void
diff_entry_free (gpointer data)
{
  DiffEntry *entry = data;

  g_clear_object (&entry->a);
  g_clear_object (&entry->b);
  g_clear_object (&entry->texture);
  g_free (entry);
}

static void
diff_job_free (gpointer data)
{
  DiffJob *job = data;

  g_clear_object (&job->a);
  g_clear_object (&job->b);
  g_clear_pointer (&job->a_pixels, g_bytes_unref);
  g_clear_pointer (&job->b_pixels, g_bytes_unref);
  g_free (job);
}

static void
diff_result_free (gpointer data)
{
  DiffResult *result = data;

  g_clear_pointer (&result->pixels, g_bytes_unref);
  g_free (result);
}

static gboolean
is_split (RfCanvas *self)
{
  return self->compare_mode == RF_COMPARE_SIDE_BY_SIDE;
}

static gboolean
is_comparing (RfCanvas *self)
{
  return self->compare_mode != RF_COMPARE_NONE;
}

/* The area one image is laid out in: the whole widget, or one of the two
 * panes side by side. */
static void
get_pane_size (RfCanvas *self,
               double   *width,
               double   *height)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));

  if (is_split (self))
    w = MAX (0, (w - PANE_GAP) / 2.0);

  *width = w;
  *height = h;
}

static double
get_pane_offset (RfCanvas *self,
                 guint     pane)
{
  double w, h;

  if (pane == 0)
    return 0;

  get_pane_size (self, &w, &h);
  return w + PANE_GAP;
}

/* Pointer position in the coordinates of the pane it is over. */
static void
to_pane_coords (RfCanvas *self,
                double    x,
                double    y,
                double   *px,
                double   *py)
{
  if (is_split (self) && x >= get_pane_offset (self, 1))
    x -= get_pane_offset (self, 1);

  *px = x;
  *py = y;
}

static void
rf_canvas_update_view_size (RfCanvas *self)
{
  double w, h;

  get_pane_size (self, &w, &h);
  rf_zoom_set_view_size (self->zoom, w, h);
}

static void
rf_canvas_update_actions (RfCanvas *self)
{
  gboolean has_image = self->shown != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-in",
                                 has_image && rf_zoom_can_zoom_in (self->zoom));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-out",
                                 has_image && rf_zoom_can_zoom_out (self->zoom));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-fit", has_image);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.zoom-1", has_image);
}

/* The pixels of @frame as a texture, from our cache or from the session's
 * pixbuf cache; NULL while they are not decoded (the session then decodes
 * them again and emits ::frame-decoded). */
static CachedImage *
rf_canvas_lookup_image (RfCanvas *self,
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

static cairo_surface_t *
cached_image_get_surface (CachedImage *image)
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

static RfFrame *
find_compare_frame (RfCanvas *self)
{
  RfFrame *selected;
  GListModel *frames;
  guint n;

  if (self->compare_frame != NULL)
    return g_object_ref (self->compare_frame);

  if (self->session == NULL)
    return NULL;

  if ((selected = rf_session_get_selected_frame (self->session)))
    {
      RfLane *lane = rf_session_get_lane (self->session, rf_frame_get_lane_index (selected));
      RfFrame *final = lane ? rf_lane_get_final (lane) : NULL;

      if (final != NULL)
        return g_object_ref (final);
    }

  frames = rf_session_get_frames (self->session);
  n = g_list_model_get_n_items (frames);

  return n > 0 ? g_list_model_get_item (frames, n - 1) : NULL;
}

static DiffEntry *
find_diff (RfCanvas *self,
           RfFrame  *a,
           RfFrame  *b)
{
  for (guint i = 0; i < self->diffs->len; i++)
    {
      DiffEntry *entry = g_ptr_array_index (self->diffs, i);

      if (entry->a == a && entry->b == b)
        return entry;
    }

  return NULL;
}

/* A perceptual ramp from black (equal) through violet, red and orange to
 * pale yellow (opposite); the square root lifts small differences. */
static void
heat_colour (guint   d,
             guint8 *rgb)
{
  static const struct { double t, r, g, b; } stops[] = {
    { 0.00,   0,   0,   0 },
    { 0.25,  60,  15, 110 },
    { 0.50, 190,  35,  75 },
    { 0.75, 245, 130,  25 },
    { 1.00, 255, 250, 190 },
  };
  double t = sqrt (d / 255.0);

  for (guint i = 1; i < G_N_ELEMENTS (stops); i++)
    {
      if (t <= stops[i].t)
        {
          double f = (t - stops[i - 1].t) / (stops[i].t - stops[i - 1].t);

          rgb[0] = stops[i - 1].r + f * (stops[i].r - stops[i - 1].r);
          rgb[1] = stops[i - 1].g + f * (stops[i].g - stops[i - 1].g);
          rgb[2] = stops[i - 1].b + f * (stops[i].b - stops[i - 1].b);
          return;
        }
    }

  rgb[0] = 255, rgb[1] = 250, rgb[2] = 190;
}

/* Runs in a worker: per pixel the largest channel difference (alpha
 * included, premultiplied) mapped to a heat colour. A second image of
 * another size is sampled at the same relative position. */
static void
diff_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DiffJob *job = task_data;
  const guint8 *a = g_bytes_get_data (job->a_pixels, NULL);
  const guint8 *b = g_bytes_get_data (job->b_pixels, NULL);
  guint8 lut[256][3];
  DiffResult *result;
  guint8 *out;
  gsize stride = (gsize) job->a_width * 3;

  for (guint i = 0; i < 256; i++)
    heat_colour (i, lut[i]);

  out = g_malloc (stride * job->a_height);

  for (int y = 0; y < job->a_height; y++)
    {
      const guint8 *arow = a + (gsize) y * job->a_width * 4;
      const guint8 *brow = b + (gsize) ((gint64) y * job->b_height / job->a_height) * job->b_width * 4;
      guint8 *orow = out + y * stride;

      if ((y & 63) == 0 && g_task_return_error_if_cancelled (task))
        {
          g_free (out);
          return;
        }

      for (int x = 0; x < job->a_width; x++)
        {
          const guint8 *pa = arow + x * 4;
          const guint8 *pb = brow + ((gint64) x * job->b_width / job->a_width) * 4;
          guint d = 0;

          for (guint c = 0; c < 4; c++)
            d = MAX (d, (guint) ABS ((int) pa[c] - (int) pb[c]));

          memcpy (orow + x * 3, lut[d], 3);
        }
    }

  result = g_new0 (DiffResult, 1);
  result->width = job->a_width;
  result->height = job->a_height;
  result->pixels = g_bytes_new_take (out, stride * job->a_height);
  g_task_return_pointer (task, result, diff_result_free);
}

static void
diff_done_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  RfCanvas *self = RF_CANVAS (object);
  DiffJob *job = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  DiffResult *result;
  DiffEntry *entry;

  if (!(result = g_task_propagate_pointer (G_TASK (res), &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not compute the difference: %s", error->message);
      else
        g_debug ("Difference cancelled");
      return;
    }

  entry = g_new0 (DiffEntry, 1);
  entry->a = g_object_ref (job->a);
  entry->b = g_object_ref (job->b);
  entry->texture = gdk_memory_texture_new (result->width, result->height,
                                           GDK_MEMORY_R8G8B8,
                                           result->pixels,
                                           (gsize) result->width * 3);
  diff_result_free (result);

  g_ptr_array_add (self->diffs, entry);
  while (self->diffs->len > DIFF_CACHE_SIZE)
    g_ptr_array_remove_index (self->diffs, 0);

  if (self->diff_pending_a == job->a && self->diff_pending_b == job->b)
    {
      self->diff_pending_a = NULL;
      self->diff_pending_b = NULL;
      g_clear_object (&self->diff_cancellable);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMPUTING]);
    }

  rf_canvas_queue_draw (self);
}

static GBytes *
download_texture (CachedImage *image)
{
  gsize stride = (gsize) image->width * 4;
  guint8 *data = g_malloc (stride * image->height);

  gdk_texture_download (image->texture, data, stride);
  return g_bytes_new_take (data, stride * image->height);
}

static void
rf_canvas_cancel_diff (RfCanvas *self)
{
  if (self->diff_cancellable == NULL)
    return;

  g_cancellable_cancel (self->diff_cancellable);
  g_clear_object (&self->diff_cancellable);
  self->diff_pending_a = NULL;
  self->diff_pending_b = NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMPUTING]);
}

/* Starts computing the heat map of the pair on screen unless it is
 * cached or already being computed. */
static void
rf_canvas_queue_diff (RfCanvas *self)
{
  g_autoptr(GTask) task = NULL;
  DiffJob *job;

  if (self->compare_mode != RF_COMPARE_DIFFERENCE || self->shown == NULL || self->other == NULL)
    return;

  if (find_diff (self, self->shown->frame, self->other->frame))
    return;

  if (self->diff_cancellable != NULL &&
      self->diff_pending_a == self->shown->frame &&
      self->diff_pending_b == self->other->frame)
    return;

  rf_canvas_cancel_diff (self);

  job = g_new0 (DiffJob, 1);
  job->a = g_object_ref (self->shown->frame);
  job->b = g_object_ref (self->other->frame);
  job->a_width = self->shown->width;
  job->a_height = self->shown->height;
  job->b_width = self->other->width;
  job->b_height = self->other->height;
  job->a_pixels = download_texture (self->shown);
  job->b_pixels = download_texture (self->other);

  self->diff_cancellable = g_cancellable_new ();
  self->diff_pending_a = job->a;
  self->diff_pending_b = job->b;

  task = g_task_new (self, self->diff_cancellable, diff_done_cb, NULL);
  g_task_set_source_tag (task, rf_canvas_queue_diff);
  g_task_set_name (task, "[rf-canvas] difference");
  g_task_set_task_data (task, job, diff_job_free);
  g_task_run_in_thread (task, diff_worker);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMPUTING]);
}

/* The device pixels of @image drawn over @dest_width × @dest_height
 * logical pixels; FALSE when that is not smaller than the image, which is
 * then drawn as it is. */
static gboolean
get_scaled_size (RfCanvas    *self,
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

static gboolean
cached_image_has_scaled (CachedImage *image,
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

static void rf_canvas_show (RfCanvas    *self,
                            CachedImage *image);

static void
scale_done (RfMailboxLink *item,
            gpointer       user_data)
{
  RfCanvas *self = user_data;
  ScaleJob *job = (ScaleJob *) item;
  CachedImage *image;

  /* Evicted, or asked again for another size. */
  if (!(image = g_hash_table_lookup (self->images, job->frame)) ||
      image->scaling != job->cancellable)
    {
      scale_job_free (job);
      return;
    }

  g_clear_object (&image->scaling);

  if (job->texture != NULL)
    g_set_object (&image->scaled, job->texture);
  else
    g_debug ("Frame %u was not scaled to %d×%d: out of memory",
             rf_frame_get_index (job->frame), job->width, job->height);
  scale_job_free (job);

  /* Shown even when scaling failed: then drawn the slow way. */
  if (image == self->pending)
    {
      gint64 start = g_get_monotonic_time ();

      rf_canvas_show (self, image);
      rf_canvas_update (self);
      rf_stall_monitor_add_phase ("canvas", g_get_monotonic_time () - start);
    }
  else
    {
      rf_canvas_queue_draw (self);
    }
}

/* Makes @image at @width × @height device pixels in a worker thread;
 * a request for another size replaces the one in flight. */
static void
cached_image_request_scaled (RfCanvas    *self,
                             CachedImage *image,
                             int          width,
                             int          height)
{
  ScaleJob *job;

  if (image->scaling != NULL)
    {
      if (image->scaling_width == width && image->scaling_height == height)
        return;
      cached_image_cancel_scaled (image);
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
static gboolean
needs_scaled (RfCanvas    *self,
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

  return get_scaled_size (self, image, image->width * zoom, image->height * zoom, width, height);
}

static void
rf_canvas_show (RfCanvas    *self,
                CachedImage *image)
{
  self->shown = image;
  self->pending = NULL;
}

/* Brings what is on screen up to date with the session. Images not
 * decoded yet leave the previous ones in place. */
static void
rf_canvas_update (RfCanvas *self)
{
  RfFrame *selected = NULL;
  CachedImage *image;

  if (self->session != NULL)
    selected = rf_session_get_selected_frame (self->session);

  if (selected != NULL && (image = rf_canvas_lookup_image (self, selected)))
    {
      int width, height;

      /* A frame waiting for its scaled copy that another replaces will
       * not be shown: its copy is not made, so that scrubbing across
       * many frames (or frames arriving faster than they scale) does
       * not keep the scaling thread on frames already passed. */
      if (self->pending != NULL && self->pending != image)
        cached_image_cancel_scaled (self->pending);

      if (image != self->shown &&
          needs_scaled (self, image, &width, &height) &&
          !cached_image_has_scaled (image, width, height))
        {
          self->pending = image;
          cached_image_request_scaled (self, image, width, height);
        }
      else
        {
          rf_canvas_show (self, image);
        }
    }

  if (is_comparing (self) && self->session != NULL)
    {
      g_autoptr(RfFrame) other = find_compare_frame (self);

      if (other != NULL && (image = rf_canvas_lookup_image (self, other)))
        self->other = image;
    }

  if (self->shown != NULL)
    rf_zoom_set_image_size (self->zoom, self->shown->width, self->shown->height);

  rf_canvas_queue_diff (self);
  rf_canvas_update_actions (self);
  rf_canvas_queue_draw (self);
}

static void
rf_canvas_clear (RfCanvas *self)
{
  rf_canvas_cancel_diff (self);
  g_clear_object (&self->painted);
  self->shown = NULL;
  self->other = NULL;
  self->pending = NULL;
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->images);
  g_ptr_array_set_size (self->diffs, 0);
}

static void
frame_decoded_cb (RfCanvas  *self,
                  RfFrame   *frame,
                  RfSession *session)
{
  RfFrame *selected = rf_session_get_selected_frame (session);
  g_autoptr(RfFrame) other = NULL;

  if (is_comparing (self))
    other = find_compare_frame (self);

  if (frame == selected || frame == other)
    rf_canvas_update (self);
  else
    rf_canvas_queue_draw (self);
}

static void
frame_added_cb (RfCanvas  *self,
                RfFrame   *frame,
                RfSession *session)
{
  /* The default compare frame (the final, else the last one) moves. */
  if (is_comparing (self) && self->compare_frame == NULL)
    rf_canvas_update (self);
}

static void
zoom_changed_cb (RfCanvas *self,
                 RfZoom   *zoom)
{
  rf_canvas_update_actions (self);
  rf_canvas_queue_draw (self);
}

static void
zoom_notify_cb (RfCanvas   *self,
                GParamSpec *pspec,
                RfZoom     *zoom)
{
  if (g_strcmp0 (pspec->name, "zoom") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
  else if (g_strcmp0 (pspec->name, "best-fit") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BEST_FIT]);
}

/* Zoom animation */

static void
rf_canvas_stop_zoom_animation (RfCanvas *self)
{
  if (!self->animating)
    return;

  /* Cleared first: reset() reports the start value, which must not
   * move the view back. */
  self->animating = FALSE;
  adw_animation_reset (self->zoom_animation);
}

static void
zoom_animation_value_cb (double   value,
                         gpointer user_data)
{
  RfCanvas *self = user_data;
  double zoom;

  if (!self->animating)
    return;

  if (value >= 1.0)
    zoom = self->anim_to_zoom;
  else
    zoom = self->anim_from_zoom * pow (self->anim_to_zoom / self->anim_from_zoom, value);

  rf_zoom_zoom_at (self->zoom, zoom, self->anim_anchor_x, self->anim_anchor_y);
  rf_zoom_set_origin (self->zoom,
                      self->anim_anchor_x - self->anim_image_x * zoom,
                      self->anim_anchor_y - self->anim_image_y * zoom);
}

static void
zoom_animation_done_cb (RfCanvas     *self,
                        AdwAnimation *animation)
{
  if (!self->animating)
    return;

  self->animating = FALSE;
  if (self->anim_to_fit)
    rf_zoom_set_best_fit (self->zoom, TRUE);
  rf_canvas_update_cursor (self);
}

/* Animates to @zoom keeping the pane point (@anchor_x, @anchor_y) fixed,
 * or to best fit (@to_fit, anchor ignored). */
static void
rf_canvas_animate_zoom (RfCanvas *self,
                        double    zoom,
                        gboolean  to_fit,
                        double    anchor_x,
                        double    anchor_y)
{
  double from = rf_zoom_get_zoom (self->zoom);

  rf_canvas_stop_zoom_animation (self);

  if (to_fit)
    {
      double vw, vh, ox, oy, fx, fy, k;
      int w, h;

      rf_zoom_get_image_size (self->zoom, &w, &h);
      rf_zoom_get_view_size (self->zoom, &vw, &vh);
      rf_zoom_get_origin (self->zoom, &ox, &oy);
      zoom = rf_zoom_compute_best_fit (w, h, vw, vh);
      fx = (vw - w * zoom) / 2.0;
      fy = (vh - h * zoom) / 2.0;
      k = zoom / from;

      /* The one point that zooming maps from here to the centred fit;
       * none when only the origin moves, so that jumps. */
      if (fabs (1.0 - k) < 1e-6)
        {
          rf_zoom_set_best_fit (self->zoom, TRUE);
          return;
        }
      anchor_x = (fx - ox * k) / (1.0 - k);
      anchor_y = (fy - oy * k) / (1.0 - k);
    }
  else
    {
      zoom = rf_zoom_clamp (zoom);
    }

  if (zoom == from && !to_fit)
    {
      rf_zoom_zoom_at (self->zoom, zoom, anchor_x, anchor_y);
      return;
    }

  self->anim_from_zoom = from;
  self->anim_to_zoom = zoom;
  self->anim_anchor_x = anchor_x;
  self->anim_anchor_y = anchor_y;
  self->anim_to_fit = !!to_fit;
  rf_zoom_view_to_image (self->zoom, anchor_x, anchor_y, &self->anim_image_x, &self->anim_image_y);
  self->animating = TRUE;
  adw_animation_play (self->zoom_animation);
}

static void
get_pane_centre (RfCanvas *self,
                 double   *x,
                 double   *y)
{
  get_pane_size (self, x, y);
  *x /= 2;
  *y /= 2;
}

/* Drawing */

static gboolean
is_dark (RfCanvas *self)
{
  GtkStyleContext *style;
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  style = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (style, &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  return (fg.red + fg.green + fg.blue) / 3.0 > 0.5;
}

static void
snapshot_checkerboard (RfCanvas              *self,
                       GtkSnapshot           *snapshot,
                       const graphene_rect_t *area)
{
  gboolean dark = is_dark (self);
  GdkRGBA light_sq = dark ? (GdkRGBA) { 0.30, 0.30, 0.32, 1 } : (GdkRGBA) { 0.96, 0.96, 0.96, 1 };
  GdkRGBA dark_sq = dark ? (GdkRGBA) { 0.22, 0.22, 0.24, 1 } : (GdkRGBA) { 0.80, 0.80, 0.81, 1 };

  gtk_snapshot_push_repeat (snapshot, area,
                            &GRAPHENE_RECT_INIT (area->origin.x, area->origin.y,
                                                 CHECKER_SIZE * 2, CHECKER_SIZE * 2));
  gtk_snapshot_append_color (snapshot, &light_sq,
                             &GRAPHENE_RECT_INIT (area->origin.x, area->origin.y,
                                                  CHECKER_SIZE * 2, CHECKER_SIZE * 2));
  gtk_snapshot_append_color (snapshot, &dark_sq,
                             &GRAPHENE_RECT_INIT (area->origin.x, area->origin.y,
                                                  CHECKER_SIZE, CHECKER_SIZE));
  gtk_snapshot_append_color (snapshot, &dark_sq,
                             &GRAPHENE_RECT_INIT (area->origin.x + CHECKER_SIZE,
                                                  area->origin.y + CHECKER_SIZE,
                                                  CHECKER_SIZE, CHECKER_SIZE));
  gtk_snapshot_pop (snapshot);
}

/* Where the image lands in pane coordinates: whole pixels, so that 1:1
 * is exact. */
static void
get_image_rect (RfCanvas        *self,
                graphene_rect_t *rect)
{
  double ox, oy;
  int w, h;
  double zoom = rf_zoom_get_zoom (self->zoom);

  rf_zoom_get_origin (self->zoom, &ox, &oy);
  rf_zoom_get_image_size (self->zoom, &w, &h);

  graphene_rect_init (rect, round (ox), round (oy), w * zoom, h * zoom);
}

/* Draws @texture stretched over @dest, clipped to @clip. Above 1:1 every
 * image pixel becomes a sharp square (cairo's nearest filter: GTK 4.8 has
 * no scaling filter for texture nodes). */
static void
snapshot_texture (RfCanvas              *self,
                  GtkSnapshot           *snapshot,
                  CachedImage           *image,
                  GdkTexture            *texture,
                  const graphene_rect_t *dest,
                  const graphene_rect_t *clip)
{
  graphene_rect_t visible;
  int tw = gdk_texture_get_width (texture);
  int th = gdk_texture_get_height (texture);
  double sx = dest->size.width / tw;
  double sy = dest->size.height / th;

  if (!graphene_rect_intersection (dest, clip, &visible))
    return;

  if (image != NULL && image->has_alpha)
    snapshot_checkerboard (self, snapshot, &visible);

  if (image != NULL && get_scaled_size (self, image, dest->size.width, dest->size.height, &tw, &th))
    {
      if (cached_image_has_scaled (image, tw, th))
        {
          int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

          /* Whole device pixels, as made: drawn without filtering. */
          gtk_snapshot_push_clip (snapshot, &visible);
          gtk_snapshot_append_texture (snapshot, image->scaled,
                                       &GRAPHENE_RECT_INIT (dest->origin.x, dest->origin.y,
                                                            (double) tw / scale, (double) th / scale));
          gtk_snapshot_pop (snapshot);
          return;
        }

      /* Drawn filtered until then; not while the size moves each frame. */
      if (!self->animating)
        cached_image_request_scaled (self, image, tw, th);
      tw = gdk_texture_get_width (texture);
      th = gdk_texture_get_height (texture);
    }

  if (image != NULL && (sx > 1.0001 || sy > 1.0001))
    {
      cairo_t *cr;

      graphene_rect_round_extents (&visible, &visible);
      cr = gtk_snapshot_append_cairo (snapshot, &visible);
      cairo_rectangle (cr, visible.origin.x, visible.origin.y,
                       visible.size.width, visible.size.height);
      cairo_clip (cr);
      cairo_translate (cr, dest->origin.x, dest->origin.y);
      cairo_scale (cr, sx, sy);
      cairo_set_source_surface (cr, cached_image_get_surface (image), 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
      cairo_rectangle (cr, 0, 0, tw, th);
      cairo_fill (cr);
      cairo_destroy (cr);
    }
  else
    {
      gtk_snapshot_push_clip (snapshot, &visible);
      gtk_snapshot_append_texture (snapshot, texture, dest);
      gtk_snapshot_pop (snapshot);
    }
}

static void
snapshot_image (RfCanvas              *self,
                GtkSnapshot           *snapshot,
                CachedImage           *image,
                const graphene_rect_t *dest,
                const graphene_rect_t *clip)
{
  if (image != NULL)
    snapshot_texture (self, snapshot, image, image->texture, dest, clip);
}

typedef enum { ALIGN_START, ALIGN_CENTER, ALIGN_END } PillAlign;

/* A translucent rounded label floating over the image. */
static void
snapshot_pill (RfCanvas    *self,
               GtkSnapshot *snapshot,
               const char  *text,
               double       x,
               double       y,
               PillAlign    align)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoAttrList *attrs;
  PangoRectangle ink, logical;
  GskRoundedRect rounded;
  graphene_rect_t rect;
  double pad_x = 10, pad_y = 4;
  double w, h;

  if (text == NULL || text[0] == '\0')
    return;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_scale_new (0.85));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_extents (layout, &ink, &logical);

  w = logical.width + 2 * pad_x;
  h = logical.height + 2 * pad_y;

  if (align == ALIGN_CENTER)
    x -= w / 2;
  else if (align == ALIGN_END)
    x -= w;

  graphene_rect_init (&rect, round (x), round (y), w, h);
  gsk_rounded_rect_init_from_rect (&rounded, &rect, h / 2);

  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0.65 }, &rect);
  gtk_snapshot_pop (snapshot);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect.origin.x + pad_x,
                                                          rect.origin.y + pad_y));
  gtk_snapshot_append_layout (snapshot, layout, &(GdkRGBA) { 1, 1, 1, 1 });
  gtk_snapshot_restore (snapshot);
}

static char *
dup_frame_label (RfFrame *frame)
{
  if (frame == NULL)
    return NULL;

  return rf_frame_dup_label (frame);
}

static void
snapshot_centered_text (RfCanvas    *self,
                        GtkSnapshot *snapshot,
                        const char  *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  GtkStyleContext *style;
  PangoRectangle logical;
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  style = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (style, &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  fg.alpha *= 0.55;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((w - logical.width) / 2,
                                                          (h - logical.height) / 2));
  gtk_snapshot_append_layout (snapshot, layout, &fg);
  gtk_snapshot_restore (snapshot);
}

static void
snapshot_wipe_handle (RfCanvas    *self,
                      GtkSnapshot *snapshot,
                      double       x,
                      double       top,
                      double       height)
{
  GskRoundedRect knob;
  graphene_rect_t rect;
  cairo_t *cr;
  double cy = round (top + height / 2);

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0.35 },
                             &GRAPHENE_RECT_INIT (x - 2, top, 4, height));
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 1 },
                             &GRAPHENE_RECT_INIT (x - 1, top, 2, height));

  graphene_rect_init (&rect, x - 16, cy - 16, 32, 32);
  gsk_rounded_rect_init_from_rect (&knob, &rect, 16);
  gtk_snapshot_append_outset_shadow (snapshot, &knob, &(GdkRGBA) { 0, 0, 0, 0.4 }, 0, 1, 0, 4);
  gtk_snapshot_push_rounded_clip (snapshot, &knob);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 1 }, &rect);
  gtk_snapshot_pop (snapshot);

  /* Two small arrows: drag sideways. */
  cr = gtk_snapshot_append_cairo (snapshot, &rect);
  cairo_set_source_rgba (cr, 0.2, 0.2, 0.22, 1);
  cairo_move_to (cr, x - 3, cy - 5);
  cairo_line_to (cr, x - 9, cy);
  cairo_line_to (cr, x - 3, cy + 5);
  cairo_close_path (cr);
  cairo_move_to (cr, x + 3, cy - 5);
  cairo_line_to (cr, x + 9, cy);
  cairo_line_to (cr, x + 3, cy + 5);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_destroy (cr);
}

static void
rf_canvas_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  RfCanvas *self = RF_CANVAS (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  g_autofree char *label_a = NULL;
  g_autofree char *label_b = NULL;
  graphene_rect_t view, dest, vis;
  RfFrame *selected = NULL;
  double pw, ph;

  if (self->session != NULL)
    selected = rf_session_get_selected_frame (self->session);

  if (self->shown == NULL)
    {
      if (self->session != NULL && selected != NULL &&
          rf_frame_get_decode_status (selected) == RF_DECODE_FAILED)
        snapshot_centered_text (self, snapshot, _("This frame could not be decoded"));
      else if (self->session != NULL && g_list_model_get_n_items (rf_session_get_frames (self->session)) == 0 &&
               (rf_session_get_state (self->session) == RF_SESSION_STATE_FAILED ||
                rf_session_get_state (self->session) == RF_SESSION_STATE_CANCELLED ||
                rf_session_get_finished (self->session)))
        snapshot_centered_text (self, snapshot, _("No frames were received"));
      else if (self->session != NULL)
        snapshot_centered_text (self, snapshot, _("Waiting for the first frame…"));
      return;
    }

  /* With REFINERY_PROFILE=1: how long after its event a frame is painted. */
  if (self->shown->frame != self->painted && rf_stall_monitor_is_running ())
    {
      g_set_object (&self->painted, self->shown->frame);
      rf_stall_monitor_frame_shown (rf_frame_get_index (self->painted),
                                    rf_session_get_start_time (self->session),
                                    rf_frame_get_t_ms (self->painted));
    }

  graphene_rect_init (&view, 0, 0, width, height);
  gtk_snapshot_push_clip (snapshot, &view);

  get_pane_size (self, &pw, &ph);
  get_image_rect (self, &dest);

  /* Labels float over the visible part of the image. */
  if (!graphene_rect_intersection (&dest, &view, &vis))
    vis = view;

  label_a = dup_frame_label (self->shown->frame);
  if (self->other != NULL)
    label_b = dup_frame_label (self->other->frame);

  switch (self->compare_mode)
    {
    case RF_COMPARE_SIDE_BY_SIDE:
      {
        graphene_rect_t pane = GRAPHENE_RECT_INIT (0, 0, pw, ph);
        graphene_rect_t pvis;

        if (!graphene_rect_intersection (&dest, &pane, &pvis))
          pvis = pane;

        snapshot_image (self, snapshot, self->shown, &dest, &pane);
        snapshot_pill (self, snapshot, label_a, pw / 2, pvis.origin.y + 12, ALIGN_CENTER);

        gtk_snapshot_save (snapshot);
        gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (get_pane_offset (self, 1), 0));
        snapshot_image (self, snapshot, self->other, &dest, &pane);
        snapshot_pill (self, snapshot, label_b, pw / 2, pvis.origin.y + 12, ALIGN_CENTER);
        gtk_snapshot_restore (snapshot);
      }
      break;

    case RF_COMPARE_WIPE:
      {
        double x = round (width * self->wipe_position);

        snapshot_image (self, snapshot, self->other ? self->other : self->shown, &dest, &view);
        gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, x, height));
        snapshot_image (self, snapshot, self->shown, &dest, &view);
        gtk_snapshot_pop (snapshot);
        snapshot_wipe_handle (self, snapshot, x, vis.origin.y, vis.size.height);
        snapshot_pill (self, snapshot, label_a, vis.origin.x + 12, vis.origin.y + 12, ALIGN_START);
        snapshot_pill (self, snapshot, label_b, vis.origin.x + vis.size.width - 12, vis.origin.y + 12, ALIGN_END);
      }
      break;

    case RF_COMPARE_CROSSFADE:
      {
        g_autofree char *text = NULL;

        gtk_snapshot_push_cross_fade (snapshot, self->crossfade);
        snapshot_image (self, snapshot, self->shown, &dest, &view);
        gtk_snapshot_pop (snapshot);
        snapshot_image (self, snapshot, self->other ? self->other : self->shown, &dest, &view);
        gtk_snapshot_pop (snapshot);

        /* Translators: cross-fade label, e.g. "partial 0 → final · 40 %" */
        text = g_strdup_printf (_("%s → %s · %.0f %%"), label_a, label_b ? label_b : label_a,
                                self->crossfade * 100);
        snapshot_pill (self, snapshot, text, vis.origin.x + vis.size.width / 2, vis.origin.y + 12, ALIGN_CENTER);
      }
      break;

    case RF_COMPARE_DIFFERENCE:
      {
        DiffEntry *entry = NULL;
        g_autofree char *text = NULL;

        if (self->other != NULL)
          entry = find_diff (self, self->shown->frame, self->other->frame);

        if (entry != NULL)
          {
            snapshot_texture (self, snapshot, NULL, entry->texture, &dest, &view);
            /* Translators: difference heat map label, e.g. "Difference: partial 0 ↔ final" */
            text = g_strdup_printf (_("Difference: %s ↔ %s"), label_a, label_b);
          }
        else
          {
            snapshot_image (self, snapshot, self->shown, &dest, &view);
            text = g_strdup (_("Computing difference…"));
          }
        snapshot_pill (self, snapshot, text, vis.origin.x + vis.size.width / 2, vis.origin.y + 12, ALIGN_CENTER);
      }
      break;

    case RF_COMPARE_NONE:
    default:
      snapshot_image (self, snapshot, self->shown, &dest, &view);
      break;
    }

  /* The selected frame failed: say so over the last good image. */
  if (selected != NULL && rf_frame_get_decode_status (selected) == RF_DECODE_FAILED)
    snapshot_pill (self, snapshot, _("This frame could not be decoded"),
                   width / 2, height - 40, ALIGN_CENTER);

  gtk_snapshot_pop (snapshot);
}

/* Input */

static gboolean
near_wipe_divider (RfCanvas *self,
                   double    x)
{
  return self->compare_mode == RF_COMPARE_WIPE && self->shown != NULL &&
         fabs (x - gtk_widget_get_width (GTK_WIDGET (self)) * self->wipe_position) <= WIPE_GRAB_DISTANCE;
}

static gboolean
can_pan (RfCanvas *self)
{
  graphene_rect_t rect;
  double pw, ph;

  if (self->shown == NULL)
    return FALSE;

  get_pane_size (self, &pw, &ph);
  get_image_rect (self, &rect);

  return rect.size.width > pw + 0.5 || rect.size.height > ph + 0.5;
}

static void
rf_canvas_update_cursor (RfCanvas *self)
{
  const char *name = NULL;

  if (self->dragging_wipe || (self->has_pointer && near_wipe_divider (self, self->pointer_x)))
    name = "col-resize";
  else if (self->panning)
    name = "grabbing";
  else if (can_pan (self))
    name = "grab";

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

static void
motion_cb (RfCanvas                 *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->has_pointer = TRUE;
  rf_canvas_update_cursor (self);
}

static void
leave_cb (RfCanvas                 *self,
          GtkEventControllerMotion *motion)
{
  self->has_pointer = FALSE;
}

static gboolean
scroll_cb (RfCanvas                 *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *scroll)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));
  GdkScrollUnit unit = gtk_event_controller_scroll_get_unit (scroll);
  double px, py;

  if (self->shown == NULL)
    return FALSE;

  rf_canvas_stop_zoom_animation (self);

  /* A mouse wheel (or Ctrl + touchpad) zooms around the pointer; a
   * touchpad alone pans. */
  if (unit == GDK_SCROLL_UNIT_WHEEL || (state & GDK_CONTROL_MASK) != 0)
    {
      double delta = unit == GDK_SCROLL_UNIT_WHEEL ? dy : dy / 20.0;

      if (self->has_pointer)
        {
          to_pane_coords (self, self->pointer_x, self->pointer_y, &px, &py);
        }
      else
        {
          get_pane_size (self, &px, &py);
          px /= 2;
          py /= 2;
        }

      rf_zoom_scroll (self->zoom, delta, px, py);
    }
  else
    {
      rf_zoom_pan (self->zoom, -dx, -dy);
    }

  rf_canvas_update_cursor (self);
  return TRUE;
}

static void
drag_begin_cb (RfCanvas       *self,
               double          x,
               double          y,
               GtkGestureDrag *drag)
{
  if (near_wipe_divider (self, x))
    {
      self->dragging_wipe = TRUE;
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_CLAIMED);
    }
  else if (can_pan (self))
    {
      rf_canvas_stop_zoom_animation (self);
      self->panning = TRUE;
      rf_zoom_get_origin (self->zoom, &self->drag_start_x, &self->drag_start_y);
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_CLAIMED);
    }
  else
    {
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_DENIED);
    }

  rf_canvas_update_cursor (self);
}

static void
drag_update_cb (RfCanvas       *self,
                double          offset_x,
                double          offset_y,
                GtkGestureDrag *drag)
{
  double start_x, start_y;

  gtk_gesture_drag_get_start_point (drag, &start_x, &start_y);

  if (self->dragging_wipe)
    {
      double width = gtk_widget_get_width (GTK_WIDGET (self));

      if (width > 0)
        rf_canvas_set_wipe_position (self, (start_x + offset_x) / width);
    }
  else if (self->panning)
    {
      rf_zoom_set_origin (self->zoom, self->drag_start_x + offset_x, self->drag_start_y + offset_y);
    }
}

static void
drag_end_cb (RfCanvas       *self,
             double          offset_x,
             double          offset_y,
             GtkGestureDrag *drag)
{
  self->dragging_wipe = FALSE;
  self->panning = FALSE;
  rf_canvas_update_cursor (self);
}

static void
click_pressed_cb (RfCanvas        *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *click)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (n_press != 2 || self->shown == NULL || near_wipe_divider (self, x))
    return;

  _rf_canvas_toggle_zoom_at (self, x, y);
}

void
_rf_canvas_toggle_zoom_at (RfCanvas *self,
                           double    x,
                           double    y)
{
  double px, py;

  g_return_if_fail (RF_IS_CANVAS (self));

  to_pane_coords (self, x, y, &px, &py);

  /* Fit ↔ 1:1 (images already shown 1:1 at best fit get enlarged). */
  if (rf_zoom_get_best_fit (self->zoom) && !self->animating)
    {
      double zoom = rf_zoom_get_zoom (self->zoom);

      rf_canvas_animate_zoom (self, zoom < 1.0 ? 1.0 : zoom * 2.5, FALSE, px, py);
    }
  else
    {
      rf_canvas_animate_zoom (self, 0, TRUE, 0, 0);
    }

  rf_canvas_update_cursor (self);
}

static void
zoom_gesture_begin_cb (RfCanvas       *self,
                       GdkEventSequence *sequence,
                       GtkGestureZoom *gesture)
{
  rf_canvas_stop_zoom_animation (self);
  self->gesture_start_zoom = rf_zoom_get_zoom (self->zoom);
}

static void
zoom_gesture_scale_changed_cb (RfCanvas       *self,
                               double          scale,
                               GtkGestureZoom *gesture)
{
  double cx, cy, px, py;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    return;

  to_pane_coords (self, cx, cy, &px, &py);
  rf_zoom_zoom_at (self->zoom, self->gesture_start_zoom * scale, px, py);
}

/* Actions */

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  RfCanvas *self = RF_CANVAS (widget);
  double cx, cy, zoom;

  /* Repeated presses compound from where the running animation heads. */
  zoom = self->animating && !self->anim_to_fit ? self->anim_to_zoom : rf_zoom_get_zoom (self->zoom);
  get_pane_centre (self, &cx, &cy);
  rf_canvas_animate_zoom (self, zoom * ZOOM_STEP, FALSE, cx, cy);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  RfCanvas *self = RF_CANVAS (widget);
  double cx, cy, zoom;

  zoom = self->animating && !self->anim_to_fit ? self->anim_to_zoom : rf_zoom_get_zoom (self->zoom);
  get_pane_centre (self, &cx, &cy);
  rf_canvas_animate_zoom (self, zoom / ZOOM_STEP, FALSE, cx, cy);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  rf_canvas_animate_zoom (RF_CANVAS (widget), 0, TRUE, 0, 0);
}

static void
zoom_1_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  RfCanvas *self = RF_CANVAS (widget);
  double cx, cy;

  get_pane_centre (self, &cx, &cy);
  rf_canvas_animate_zoom (self, 1.0, FALSE, cx, cy);
}

/* GtkWidget */

static void
rf_canvas_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  *minimum = 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 480;
}

static void
rf_canvas_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  rf_canvas_update_view_size (RF_CANVAS (widget));
}

static void
rf_canvas_root (GtkWidget *widget)
{
  RfCanvas *self = RF_CANVAS (widget);

  GTK_WIDGET_CLASS (rf_canvas_parent_class)->root (widget);

  self->pacer = rf_pacer_connect (widget, "image", G_CALLBACK (pacer_image_cb));
}

static void
rf_canvas_unroot (GtkWidget *widget)
{
  RfCanvas *self = RF_CANVAS (widget);

  rf_pacer_disconnect (&self->pacer, widget);
  if (self->draw_queued)
    {
      self->draw_queued = FALSE;
      gtk_widget_queue_draw (widget);
    }

  GTK_WIDGET_CLASS (rf_canvas_parent_class)->unroot (widget);
}

static void
rf_canvas_css_changed (GtkWidget         *widget,
                       GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (rf_canvas_parent_class)->css_changed (widget, change);
  rf_canvas_queue_draw (RF_CANVAS (widget));
}

/* GObject */

static void
rf_canvas_dispose (GObject *object)
{
  RfCanvas *self = RF_CANVAS (object);

  rf_canvas_cancel_diff (self);
  /* Before the images: nothing is delivered after this. */
  g_clear_pointer (&self->scale_mailbox, rf_mailbox_free);
  if (self->zoom_animation != NULL)
    {
      rf_canvas_stop_zoom_animation (self);
      g_clear_object (&self->zoom_animation);
    }
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session);
  g_clear_object (&self->compare_frame);
  g_clear_object (&self->painted);
  self->shown = NULL;
  self->other = NULL;
  g_queue_clear (&self->lru);
  g_clear_pointer (&self->images, g_hash_table_unref);
  g_clear_pointer (&self->diffs, g_ptr_array_unref);

  G_OBJECT_CLASS (rf_canvas_parent_class)->dispose (object);
}

static void
rf_canvas_finalize (GObject *object)
{
  RfCanvas *self = RF_CANVAS (object);

  g_clear_object (&self->session_signals);
  g_clear_object (&self->zoom);

  G_OBJECT_CLASS (rf_canvas_parent_class)->finalize (object);
}

static void
rf_canvas_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RfCanvas *self = RF_CANVAS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_COMPARE_MODE:
      g_value_set_int (value, self->compare_mode);
      break;

    case PROP_COMPARE_FRAME:
      g_value_set_object (value, self->compare_frame);
      break;

    case PROP_CROSSFADE:
      g_value_set_double (value, self->crossfade);
      break;

    case PROP_WIPE_POSITION:
      g_value_set_double (value, self->wipe_position);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, rf_zoom_get_zoom (self->zoom));
      break;

    case PROP_BEST_FIT:
      g_value_set_boolean (value, rf_zoom_get_best_fit (self->zoom));
      break;

    case PROP_COMPUTING:
      g_value_set_boolean (value, self->diff_cancellable != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_canvas_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  RfCanvas *self = RF_CANVAS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      rf_canvas_set_session (self, g_value_get_object (value));
      break;

    case PROP_COMPARE_MODE:
      rf_canvas_set_compare_mode (self, g_value_get_int (value));
      break;

    case PROP_COMPARE_FRAME:
      rf_canvas_set_compare_frame (self, g_value_get_object (value));
      break;

    case PROP_CROSSFADE:
      rf_canvas_set_crossfade (self, g_value_get_double (value));
      break;

    case PROP_WIPE_POSITION:
      rf_canvas_set_wipe_position (self, g_value_get_double (value));
      break;

    case PROP_ZOOM:
      rf_canvas_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_BEST_FIT:
      rf_canvas_set_best_fit (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_canvas_class_init (RfCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_canvas_dispose;
  object_class->finalize = rf_canvas_finalize;
  object_class->get_property = rf_canvas_get_property;
  object_class->set_property = rf_canvas_set_property;

  widget_class->snapshot = rf_canvas_snapshot;
  widget_class->measure = rf_canvas_measure;
  widget_class->size_allocate = rf_canvas_size_allocate;
  widget_class->css_changed = rf_canvas_css_changed;
  widget_class->root = rf_canvas_root;
  widget_class->unroot = rf_canvas_unroot;

  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         RF_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_COMPARE_MODE] =
    g_param_spec_int ("compare-mode", NULL, NULL,
                      RF_COMPARE_NONE, RF_COMPARE_DIFFERENCE, RF_COMPARE_NONE,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_COMPARE_FRAME] =
    g_param_spec_object ("compare-frame", NULL, NULL,
                         RF_TYPE_FRAME,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CROSSFADE] =
    g_param_spec_double ("crossfade", NULL, NULL,
                         0.0, 1.0, 0.5,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_WIPE_POSITION] =
    g_param_spec_double ("wipe-position", NULL, NULL,
                         0.0, 1.0, 0.5,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         RF_ZOOM_MIN, RF_ZOOM_MAX, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_BEST_FIT] =
    g_param_spec_boolean ("best-fit", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_COMPUTING] =
    g_param_spec_boolean ("computing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-1", NULL, zoom_1_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "canvas.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "canvas.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "canvas.zoom-1", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1, GDK_CONTROL_MASK, "canvas.zoom-1", NULL);

  gtk_widget_class_set_css_name (widget_class, "rfcanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rf_canvas_init (RfCanvas *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->crossfade = 0.5;
  self->wipe_position = 0.5;
  self->images = g_hash_table_new_full (NULL, NULL, NULL, cached_image_free);
  self->diffs = g_ptr_array_new_with_free_func (diff_entry_free);
  self->scale_mailbox = rf_mailbox_new (NULL, "[rf-canvas] scaled", G_PRIORITY_DEFAULT,
                                        scale_done, self, scale_job_free);

  self->zoom = rf_zoom_new ();
  g_signal_connect_object (self->zoom, "changed", G_CALLBACK (zoom_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->zoom, "notify", G_CALLBACK (zoom_notify_cb), self, G_CONNECT_SWAPPED);

  self->zoom_animation =
    adw_timed_animation_new (GTK_WIDGET (self), 0.0, 1.0, ZOOM_ANIMATION_MS,
                             adw_callback_animation_target_new (zoom_animation_value_cb, self, NULL));
  adw_timed_animation_set_easing (ADW_TIMED_ANIMATION (self->zoom_animation), ADW_EASE_OUT_CUBIC);
  g_signal_connect_object (self->zoom_animation, "done", G_CALLBACK (zoom_animation_done_cb), self, G_CONNECT_SWAPPED);

  self->session_signals = g_signal_group_new (RF_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::selected-frame",
                                 G_CALLBACK (rf_canvas_update), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-decoded",
                                 G_CALLBACK (frame_decoded_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "pixbuf-ready",
                                 G_CALLBACK (frame_decoded_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-added",
                                 G_CALLBACK (frame_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::state",
                                 G_CALLBACK (rf_canvas_queue_draw), self, G_CONNECT_SWAPPED);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Frame"),
                                  -1);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "enter", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect_object (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-update", G_CALLBACK (drag_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "drag-end", G_CALLBACK (drag_end_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (click_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_object (gesture, "begin", G_CALLBACK (zoom_gesture_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "scale-changed", G_CALLBACK (zoom_gesture_scale_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  rf_canvas_update_actions (self);
}

GtkWidget *
rf_canvas_new (void)
{
  return g_object_new (RF_TYPE_CANVAS, NULL);
}

RfSession *
rf_canvas_get_session (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), NULL);

  return self->session;
}

void
rf_canvas_set_session (RfCanvas  *self,
                       RfSession *session)
{
  g_return_if_fail (RF_IS_CANVAS (self));
  g_return_if_fail (!session || RF_IS_SESSION (session));

  if (self->session == session)
    return;

  rf_canvas_stop_zoom_animation (self);
  rf_canvas_clear (self);
  g_set_object (&self->session, session);
  g_clear_object (&self->compare_frame);
  g_signal_group_set_target (self->session_signals, session);
  rf_zoom_set_best_fit (self->zoom, TRUE);
  rf_canvas_update (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SESSION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMPARE_FRAME]);
}

RfCompareMode
rf_canvas_get_compare_mode (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), RF_COMPARE_NONE);

  return self->compare_mode;
}

void
rf_canvas_set_compare_mode (RfCanvas      *self,
                            RfCompareMode  mode)
{
  g_return_if_fail (RF_IS_CANVAS (self));
  g_return_if_fail (mode >= RF_COMPARE_NONE && mode <= RF_COMPARE_DIFFERENCE);

  if (self->compare_mode == mode)
    return;

  self->compare_mode = mode;
  if (mode != RF_COMPARE_DIFFERENCE)
    rf_canvas_cancel_diff (self);
  if (mode == RF_COMPARE_NONE)
    self->other = NULL;

  rf_canvas_update_view_size (self);
  rf_canvas_update (self);
  rf_canvas_update_cursor (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMPARE_MODE]);
}

RfFrame *
rf_canvas_get_compare_frame (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), NULL);

  return self->compare_frame;
}

void
rf_canvas_set_compare_frame (RfCanvas *self,
                             RfFrame  *frame)
{
  g_return_if_fail (RF_IS_CANVAS (self));
  g_return_if_fail (!frame || RF_IS_FRAME (frame));

  if (g_set_object (&self->compare_frame, frame))
    {
      rf_canvas_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMPARE_FRAME]);
    }
}

double
rf_canvas_get_crossfade (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), 0.0);

  return self->crossfade;
}

void
rf_canvas_set_crossfade (RfCanvas *self,
                         double    crossfade)
{
  g_return_if_fail (RF_IS_CANVAS (self));

  crossfade = CLAMP (crossfade, 0.0, 1.0);
  if (self->crossfade == crossfade)
    return;

  self->crossfade = crossfade;
  rf_canvas_queue_draw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CROSSFADE]);
}

double
rf_canvas_get_wipe_position (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), 0.5);

  return self->wipe_position;
}

void
rf_canvas_set_wipe_position (RfCanvas *self,
                             double    position)
{
  g_return_if_fail (RF_IS_CANVAS (self));

  position = CLAMP (position, 0.0, 1.0);
  if (self->wipe_position == position)
    return;

  self->wipe_position = position;
  rf_canvas_queue_draw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_WIPE_POSITION]);
}

double
rf_canvas_get_zoom (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), 1.0);

  return rf_zoom_get_zoom (self->zoom);
}

void
rf_canvas_set_zoom (RfCanvas *self,
                    double    zoom)
{
  g_return_if_fail (RF_IS_CANVAS (self));

  rf_canvas_stop_zoom_animation (self);
  rf_zoom_set_zoom (self->zoom, zoom);
}

gboolean
rf_canvas_get_best_fit (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), TRUE);

  return rf_zoom_get_best_fit (self->zoom);
}

void
rf_canvas_set_best_fit (RfCanvas *self,
                        gboolean  best_fit)
{
  g_return_if_fail (RF_IS_CANVAS (self));

  rf_canvas_stop_zoom_animation (self);
  rf_zoom_set_best_fit (self->zoom, best_fit);
}

RfFrame *
rf_canvas_get_displayed_frame (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), NULL);

  return self->shown ? self->shown->frame : NULL;
}

RfFrame *
rf_canvas_dup_effective_compare_frame (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), NULL);

  return find_compare_frame (self);
}

RfZoom *
_rf_canvas_get_zoom_model (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), NULL);

  return self->zoom;
}

gboolean
_rf_canvas_is_animating (RfCanvas *self)
{
  g_return_val_if_fail (RF_IS_CANVAS (self), FALSE);

  return self->animating;
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
