/*
 * rf-pacer.c
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

#define G_LOG_DOMAIN "rf-pacer"

#include "config.h"

#include "rf-pacer.h"

/* A frame that was waited for but never painted (its widgets were hidden
 * meanwhile, say) lets the other kinds of change through after this. */
#define FRAME_TIMEOUT_MS 100

typedef enum {
  KIND_IMAGE,
  KIND_UPDATE,
  KIND_ROWS,
  N_KINDS
} Kind;

typedef struct
{
  gint64 last;       /* monotonic µs of the last emission */
  guint  source;     /* the interval's timer */
  guint  waiting : 1; /* due, held back by another kind's frame */
} KindState;

struct _RfPacer
{
  GObject        parent_instance;

  GtkWidget     *root;            /* weak; the pacer is its data */
  GdkFrameClock *clock;           /* the root's, while it is realized */
  gulong         after_paint_id;

  KindState      kinds [N_KINDS];
  int            in_frame;        /* the kind whose frame is still to be
                                   * painted, or -1 */
  Kind           next_release;    /* which goes first when several wait */
  guint          release_source;  /* what waited, once a frame is painted */
  guint          timeout_source;
};

G_DEFINE_FINAL_TYPE (RfPacer, rf_pacer, G_TYPE_OBJECT)

static guint signals [N_KINDS];

static gboolean
tracks_frames (RfPacer *self)
{
  return self->clock != NULL && self->root != NULL && gtk_widget_get_mapped (self->root);
}

static void frame_done (RfPacer *self);

static gboolean
frame_timeout_cb (gpointer data)
{
  RfPacer *self = data;

  self->timeout_source = 0;
  g_debug ("No frame came in %d ms: what waited goes on", FRAME_TIMEOUT_MS);
  frame_done (self);

  return G_SOURCE_REMOVE;
}

static void
emit (RfPacer *self,
      Kind     kind)
{
  self->kinds[kind].waiting = FALSE;
  self->kinds[kind].last = g_get_monotonic_time ();

  if (tracks_frames (self))
    {
      self->in_frame = kind;
      /* Asked for even when the handlers change nothing, so that a frame
       * comes and lets the other kinds through. */
      gdk_frame_clock_request_phase (self->clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
      if (self->timeout_source == 0)
        self->timeout_source = g_timeout_add (FRAME_TIMEOUT_MS, frame_timeout_cb, self);
    }

  g_signal_emit (self, signals [kind], 0);
}

/* Now, unless another kind's frame is still to be painted or other kinds
 * already wait their turn. */
static void
emit_when_free (RfPacer *self,
                Kind     kind)
{
  if (self->in_frame >= 0 ? self->in_frame != (int) kind : self->release_source != 0)
    self->kinds[kind].waiting = TRUE;
  else
    emit (self, kind);
}

static gboolean
release_cb (gpointer data)
{
  RfPacer *self = data;

  self->release_source = 0;

  if (self->in_frame >= 0)
    return G_SOURCE_REMOVE;

  /* One kind per frame, taking turns, so that none starves the others
   * while frames stream in faster than the interval. */
  for (guint i = 0; i < N_KINDS; i++)
    {
      Kind kind = (self->next_release + i) % N_KINDS;

      if (self->kinds[kind].waiting)
        {
          self->next_release = (kind + 1) % N_KINDS;
          emit (self, kind);
          break;
        }
    }

  return G_SOURCE_REMOVE;
}

static void
frame_done (RfPacer *self)
{
  if (self->in_frame < 0)
    return;

  self->in_frame = -1;
  g_clear_handle_id (&self->timeout_source, g_source_remove);

  /* In an iteration of its own: the one that painted has had its share. */
  for (guint i = 0; i < N_KINDS; i++)
    {
      if (self->kinds[i].waiting && self->release_source == 0)
        self->release_source = g_idle_add_full (G_PRIORITY_DEFAULT, release_cb, self, NULL);
    }
}

static void
after_paint_cb (RfPacer       *self,
                GdkFrameClock *clock)
{
  frame_done (self);
}

static void
detach_clock (RfPacer *self)
{
  if (self->clock != NULL)
    {
      g_clear_signal_handler (&self->after_paint_id, self->clock);
      g_clear_object (&self->clock);
    }

  /* No more frames: nothing waits for one. */
  frame_done (self);
}

static void
root_realize_cb (RfPacer   *self,
                 GtkWidget *root)
{
  detach_clock (self);

  if ((self->clock = gtk_widget_get_frame_clock (root)))
    {
      g_object_ref (self->clock);
      self->after_paint_id = g_signal_connect_object (self->clock, "after-paint",
                                                      G_CALLBACK (after_paint_cb), self,
                                                      G_CONNECT_SWAPPED);
    }
}

static void
rf_pacer_dispose (GObject *object)
{
  RfPacer *self = RF_PACER (object);

  if (self->clock != NULL)
    {
      g_clear_signal_handler (&self->after_paint_id, self->clock);
      g_clear_object (&self->clock);
    }
  for (guint i = 0; i < N_KINDS; i++)
    g_clear_handle_id (&self->kinds[i].source, g_source_remove);
  g_clear_handle_id (&self->release_source, g_source_remove);
  g_clear_handle_id (&self->timeout_source, g_source_remove);
  g_clear_weak_pointer (&self->root);

  G_OBJECT_CLASS (rf_pacer_parent_class)->dispose (object);
}

static void
rf_pacer_class_init (RfPacerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rf_pacer_dispose;

  /**
   * RfPacer::image:
   *
   * The canvas repaints.
   */
  signals [KIND_IMAGE] =
    g_signal_new ("image",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * RfPacer::update:
   *
   * The widgets whose size follows a run (labels, the timeline's lanes)
   * apply what changed since the last one.
   */
  signals [KIND_UPDATE] =
    g_signal_new ("update",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * RfPacer::rows:
   *
   * The lists take the rows that came since the last one.
   */
  signals [KIND_ROWS] =
    g_signal_new ("rows",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
rf_pacer_init (RfPacer *self)
{
  self->in_frame = -1;
}

RfPacer *
rf_pacer_get_for_widget (GtkWidget *widget)
{
  GtkRoot *root;
  RfPacer *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  if (!(root = gtk_widget_get_root (widget)))
    return NULL;

  if ((self = g_object_get_data (G_OBJECT (root), "rf-pacer")))
    return self;

  self = g_object_new (RF_TYPE_PACER, NULL);
  g_set_weak_pointer (&self->root, GTK_WIDGET (root));
  g_object_set_data_full (G_OBJECT (root), "rf-pacer", self, g_object_unref);

  g_signal_connect_object (root, "realize", G_CALLBACK (root_realize_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (root, "unrealize", G_CALLBACK (detach_clock), self, G_CONNECT_SWAPPED);
  if (gtk_widget_get_realized (GTK_WIDGET (root)))
    root_realize_cb (self, GTK_WIDGET (root));

  return self;
}

RfPacer *
rf_pacer_connect (GtkWidget  *widget,
                  const char *signal,
                  GCallback   callback)
{
  RfPacer *self = rf_pacer_get_for_widget (widget);

  g_return_val_if_fail (self != NULL, NULL);

  g_signal_connect_object (self, signal, callback, widget, G_CONNECT_SWAPPED);

  return g_object_ref (self);
}

void
rf_pacer_disconnect (RfPacer   **pacer,
                     GtkWidget  *widget)
{
  g_return_if_fail (pacer != NULL);

  if (*pacer == NULL)
    return;

  g_signal_handlers_disconnect_by_data (*pacer, widget);
  g_clear_object (pacer);
}

static gboolean
update_due_cb (gpointer data)
{
  RfPacer *self = data;

  self->kinds[KIND_UPDATE].source = 0;
  emit_when_free (self, KIND_UPDATE);

  return G_SOURCE_REMOVE;
}

static gboolean
rows_due_cb (gpointer data)
{
  RfPacer *self = data;

  self->kinds[KIND_ROWS].source = 0;
  emit_when_free (self, KIND_ROWS);

  return G_SOURCE_REMOVE;
}

static void
queue_paced (RfPacer     *self,
             Kind         kind,
             GSourceFunc  due_cb)
{
  KindState *state = &self->kinds[kind];
  gint64 wait_ms;

  if (state->source != 0 || state->waiting)
    return;

  /* Through the main loop even when due now: the changes of one burst
   * of signals go together. */
  wait_ms = (state->last - g_get_monotonic_time ()) / 1000 + RF_PACER_INTERVAL_MS;
  state->source = g_timeout_add (CLAMP (wait_ms, 0, RF_PACER_INTERVAL_MS), due_cb, self);
}

void
rf_pacer_queue_update (RfPacer *self)
{
  g_return_if_fail (RF_IS_PACER (self));

  queue_paced (self, KIND_UPDATE, update_due_cb);
}

void
rf_pacer_queue_rows (RfPacer *self)
{
  g_return_if_fail (RF_IS_PACER (self));

  queue_paced (self, KIND_ROWS, rows_due_cb);
}

void
rf_pacer_queue_image (RfPacer *self)
{
  g_return_if_fail (RF_IS_PACER (self));

  if (!self->kinds[KIND_IMAGE].waiting)
    emit_when_free (self, KIND_IMAGE);
}
