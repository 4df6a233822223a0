/*
 * rf-timeline-private.h
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

#include <gtk/gtk.h>

#include "rf-player.h"
#include "rf-sched.h"
#include "rf-timeline.h"
#include "rf-timeline-lanes.h"
#include "rf-timeline-ruler.h"
#include "rf-types.h"

G_BEGIN_DECLS

/* What the timeline's parts share: one geometry, one palette, the text
 * cache and the tooltip texts. The timeline (rf-timeline.c) stacks a
 * ruler (the time scale and the events row, rf-timeline-ruler.c) over
 * the lanes (one row of frames per image, rf-timeline-lanes.c); both
 * draw along the same axis, the RfPlayer's, from x = GUTTER_WIDTH +
 * AREA_PAD_START. Main thread only. */

#define RULER_HEIGHT   24.0
#define EVENTS_HEIGHT  20.0
/* A lane: its thumbnails, then its convergence strip (SSIM to the final
 * as a line, change from the frame before as bars), on the same axis. */
#define THUMB_ROW_HEIGHT 58.0
#define STRIP_HEIGHT   18.0
#define LANE_HEIGHT    (THUMB_ROW_HEIGHT + STRIP_HEIGHT)
/* A folded lane: its name and one line of markers. */
#define COLLAPSED_LANE_HEIGHT 26.0
#define GUTTER_WIDTH   96.0
#define AREA_PAD_START 14.0
#define AREA_PAD_END   18.0
#define THUMB_SIZE     40.0
#define MARKER_WIDTH   8.0
#define LABEL_SPACING  72.0

/* The ruler's height: time scale and events row. */
#define RF_TIMELINE_HEADER_HEIGHT (RULER_HEIGHT + EVENTS_HEIGHT)
#define RF_TIMELINE_AREA_START    (GUTTER_WIDTH + AREA_PAD_START)

typedef struct
{
  GdkRGBA fg;
  GdkRGBA dim;
  GdkRGBA faint;
  GdkRGBA partial;
  GdkRGBA final;
  GdkRGBA failed;
  GdkRGBA playhead;
} RfTimelineColours;

double         rf_timeline_area_x_for_time     (RfPlayer          *player,
                                                double             t_ms);
double         rf_timeline_area_time_at_x      (RfPlayer          *player,
                                                double             x);
void           rf_timeline_get_colours         (GtkWidget         *widget,
                                                RfTimelineColours *c);
const GdkRGBA *rf_timeline_frame_colour        (const RfTimelineColours *c,
                                                RfFrame           *frame);
const GdkRGBA *rf_timeline_event_colour        (const RfTimelineColours *c,
                                                RfEvent           *event);
/* A new layout in the timeline's small type. */
PangoLayout   *rf_timeline_create_small_layout (GtkWidget         *widget,
                                                const char        *text,
                                                gboolean           bold);
/* The same from @cache ("bold|width|text" → layout): shaped once.
 * Returns: (transfer full) */
PangoLayout   *rf_timeline_get_small_layout    (GtkWidget         *widget,
                                                GHashTable        *cache,
                                                const char        *text,
                                                gboolean           bold,
                                                int                width);
GHashTable    *rf_timeline_layout_cache_new    (void);
void           rf_timeline_append_layout_at    (GtkSnapshot       *snapshot,
                                                PangoLayout       *layout,
                                                double             x,
                                                double             y,
                                                const GdkRGBA     *colour);
void           rf_timeline_append_rounded      (GtkSnapshot           *snapshot,
                                                const graphene_rect_t *rect,
                                                double                 radius,
                                                const GdkRGBA         *colour);
/* A row's name (and @subtitle, nullable) in the gutter. */
void           rf_timeline_snapshot_gutter_label (GtkWidget         *widget,
                                                  GHashTable        *cache,
                                                  GtkSnapshot       *snapshot,
                                                  const char        *title,
                                                  const char        *subtitle,
                                                  double             y,
                                                  double             row_height,
                                                  const RfTimelineColours *c);
/* The ruler's major ticks as grid lines from @y0 to @y1 of @widget. With
 * @with_scale, also its minor ticks and labels, above RULER_HEIGHT. */
void           rf_timeline_snapshot_grid       (GtkWidget         *widget,
                                                GHashTable        *cache,
                                                RfPlayer          *player,
                                                GtkSnapshot       *snapshot,
                                                const RfTimelineColours *c,
                                                double             y0,
                                                double             y1,
                                                gboolean           with_scale);
/* The playhead (under the static layer) and the pointer's line (over it),
 * from @y0 to @y1; nothing when they lie left of the drawing area. */
void           rf_timeline_snapshot_playhead   (RfPlayer          *player,
                                                GtkSnapshot       *snapshot,
                                                const RfTimelineColours *c,
                                                double             y0,
                                                double             y1);
void           rf_timeline_snapshot_hover      (GtkSnapshot       *snapshot,
                                                const RfTimelineColours *c,
                                                double             hover_x,
                                                double             y0,
                                                double             y1);
/* What each part keeps between frames: its static layer (the grid and
 * what the part draws on it, made again after
 * rf_timeline_layer_invalidate()), its text cache and the pointer's x
 * (-1 when the pointer is away). */
typedef struct
{
  GskRenderNode *rendered;
  GHashTable    *layouts;
  double         hover_x;
} RfTimelineLayer;

/* Draws a part's own content on its static layer, over the grid. */
typedef void (*RfTimelineLayerFunc) (GtkWidget               *widget,
                                     GtkSnapshot             *snapshot,
                                     const RfTimelineColours *c);

void           rf_timeline_layer_init          (RfTimelineLayer   *layer);
void           rf_timeline_layer_clear         (RfTimelineLayer   *layer);
/* The static layer is drawn again at the next frame. */
void           rf_timeline_layer_invalidate    (RfTimelineLayer   *layer,
                                                GtkWidget         *widget);
void           rf_timeline_layer_set_hover     (RfTimelineLayer   *layer,
                                                GtkWidget         *widget,
                                                double             hover_x);
/* The style changed: texts are shaped again, the layer drawn again. */
void           rf_timeline_layer_css_changed   (RfTimelineLayer   *layer,
                                                GtkWidget         *widget);
/* The playhead behind the static layer; the layer (the grid from @y0 to
 * the widget's height, with the scale above @y0 when @with_scale, then
 * @draw); the pointer's line over it. */
void           rf_timeline_layer_snapshot      (RfTimelineLayer   *layer,
                                                GtkWidget         *widget,
                                                RfPlayer          *player,
                                                GtkSnapshot       *snapshot,
                                                const RfTimelineColours *c,
                                                double             y0,
                                                gboolean           with_scale,
                                                RfTimelineLayerFunc draw);
/* What a part's tooltip says where nothing is under the pointer: the
 * time at it. */
void           rf_timeline_set_time_tooltip    (GtkTooltip        *tooltip,
                                                double             t_ms);
/* Markup for a frame's tooltip: its label, time, sequence, event type,
 * size and format, or why it did not decode.
 * Returns: (transfer full) */
char          *rf_timeline_dup_frame_tooltip   (RfSession         *session,
                                                RfFrame           *frame);

/* The timeline itself: rf-timeline.c (the widget, its parts, the player
 * and its clock) and rf-timeline-input.c (pointer, keys, actions). */
struct _RfTimeline
{
  GtkWidget      parent_instance;

  RfSession     *session;
  GSignalGroup  *session_signals;

  /* Template children: the scale and events row over the lanes. */
  RfTimelineRuler *ruler;
  RfTimelineLanes *lanes;
  GtkWidget       *lanes_scroller;
  GtkWidget       *axis_scrollbar;
  GtkAdjustment   *axis_adjustment;
  guint            axis_scrollbar_idle;

  /* The time axis, the selection moves and the playback clock; the
   * widget drives its clock from the frame clock while it plays. */
  RfPlayer      *player;
  guint          play_tick;

  double         hover_x;
  double         hover_y;
  int            scrub_lane;

  /* New lanes change its height, and a live run's selection scrolls its
   * scrolled window: both with the window pacer's updates. */
  RfPacer       *pacer;
  guint          n_lanes_sized;

  guint          hovering : 1;
  guint          scroll_pending : 1;
  guint          syncing_axis : 1;
};

RfFrame       *_rf_timeline_get_selected       (RfTimeline        *self);
guint          _rf_timeline_get_n_lanes        (RfTimeline        *self);
/* The width of the drawing area, right of the gutter. */
double         _rf_timeline_area_width         (RfTimeline        *self);
/* Installs the actions and keys and binds the template's callbacks. */
void           _rf_timeline_class_init_input   (GtkWidgetClass    *widget_class);

G_END_DECLS
