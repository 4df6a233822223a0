/*
 * rf-canvas-private.h
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

#include <adwaita.h>

#include "rf-canvas.h"
#include "rf-sched.h"
#include "rf-zoom.h"

G_BEGIN_DECLS

/* The canvas is one widget split by concern across six files; they share
 * its struct and the functions below. Main thread only, but for the
 * scaling and heat-map workers in rf-canvas-cache.c and
 * rf-canvas-compare.c, which touch copies of pixels only. */

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
  RfFrame    *a;
  RfFrame    *b;
  GdkTexture *texture;
  double      gain;   /* the amplification it was drawn with */
  double      mean;   /* mean of the per-pixel differences, 0–255 */
} DiffEntry;

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
  double         difference_gain;

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

  /* A live frame still arriving, following the newest: its rows decoded
   * so far (::frame-arriving), drawn top-down over the frame before it
   * until the frame itself is decoded. */
  GdkTexture    *arriving;
  gint64         arriving_index;    /* its output_index, -1 unknown */
  int            arriving_height;   /* the whole image's */

  /* GtkScrollable: written from the zoom model (rf-canvas-scroll.c). */
  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;
  guint          syncing_adjustments : 1;

  guint          has_pointer : 1;
  guint          dragging_wipe : 1;
  guint          panning : 1;
  guint          draw_queued : 1;
};

/* rf-canvas.c: the widget, its session and properties */
double _rf_canvas_get_pane_offset (RfCanvas *self,
                                   guint pane);
void _rf_canvas_get_pane_size (RfCanvas *self,
                               double *width,
                               double *height);
void _rf_canvas_queue_draw (RfCanvas *self);
void _rf_canvas_show (RfCanvas *self,
                      CachedImage *image);
void _rf_canvas_to_pane_coords (RfCanvas *self,
                                double x,
                                double y,
                                double *px,
                                double *py);
void _rf_canvas_update (RfCanvas *self);

/* rf-canvas-cache.c: decoded pixels as textures, their scaled copies */
void _rf_canvas_cached_image_cancel_scaled (CachedImage *image);
void _rf_canvas_cached_image_free (gpointer data);
cairo_surface_t *_rf_canvas_cached_image_get_surface (CachedImage *image);
gboolean _rf_canvas_cached_image_has_scaled (CachedImage *image,
                                             int width,
                                             int height);
void _rf_canvas_cached_image_request_scaled (RfCanvas *self,
                                             CachedImage *image,
                                             int width,
                                             int height);
gboolean _rf_canvas_get_scaled_size (RfCanvas *self,
                                     CachedImage *image,
                                     double dest_width,
                                     double dest_height,
                                     int *width,
                                     int *height);
CachedImage *_rf_canvas_lookup_image (RfCanvas *self,
                                      RfFrame *frame);
gboolean _rf_canvas_needs_scaled (RfCanvas *self,
                                  CachedImage *image,
                                  int *width,
                                  int *height);
void _rf_canvas_scale_done (RfMailboxLink *item,
                            gpointer user_data);
void _rf_canvas_scale_job_free (gpointer data);

/* rf-canvas-compare.c: the compare frame and the difference heat map */
void _rf_canvas_cancel_diff (RfCanvas *self);
void _rf_canvas_diff_entry_free (gpointer data);
RfFrame *_rf_canvas_find_compare_frame (RfCanvas *self);
DiffEntry *_rf_canvas_find_diff (RfCanvas *self,
                                 RfFrame *a,
                                 RfFrame *b);
void _rf_canvas_queue_diff (RfCanvas *self);

/* rf-canvas-draw.c: drawing */
void _rf_canvas_get_image_rect (RfCanvas *self,
                                graphene_rect_t *rect);
void _rf_canvas_snapshot (GtkWidget *widget,
                          GtkSnapshot *snapshot);

/* rf-canvas-input.c: zoom animation, pointer, gestures and actions */
void _rf_canvas_class_init_input (GtkWidgetClass *widget_class);
void _rf_canvas_init_input (RfCanvas *self);
void _rf_canvas_stop_zoom_animation (RfCanvas *self);
void _rf_canvas_update_cursor (RfCanvas *self);

/* rf-canvas-scroll.c: GtkScrollable's adjustments, kept in step with the
 * zoom model */
void _rf_canvas_clear_adjustments (RfCanvas *self);
void _rf_canvas_set_adjustment (RfCanvas *self,
                                GtkOrientation orientation,
                                GtkAdjustment *adjustment);
void _rf_canvas_sync_adjustments (RfCanvas *self);

/* For tests: the zoom model, whether a zoom animation runs, and the
 * double-click toggle at a widget point. */
RfZoom   *_rf_canvas_get_zoom_model (RfCanvas *self);
gboolean  _rf_canvas_is_animating   (RfCanvas *self);
void      _rf_canvas_toggle_zoom_at (RfCanvas *self,
                                     double    x,
                                     double    y);
/* Whether @frame's scaled copy is being made, or exists. */
gboolean  _rf_canvas_is_scaling     (RfCanvas *self,
                                     RfFrame  *frame);
gboolean  _rf_canvas_has_scaled     (RfCanvas *self,
                                     RfFrame  *frame);

G_END_DECLS
