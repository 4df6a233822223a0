/*
 * rf-tap-source.c
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

#define G_LOG_DOMAIN "rf-tap-source"

#include "config.h"

#include <glib/gi18n-lib.h>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "rf-ingest.h"
#include "rf-tap-source.h"

typedef enum
{
  ITEM_DATA,
  ITEM_GAP,
  ITEM_DIAGNOSTIC,
  ITEM_END,
} ItemKind;

typedef struct
{
  ItemKind    kind;
  GBytes     *bytes;
  RfSeverity  severity;
  char       *code;
  char       *message;
  GError     *error;
  guint64     n_dropped;
} Item;

struct _RfTapSource
{
  RfSource    parent_instance;

  char       *description;
  char       *request_json;
  RfRecorder *recorder;
  gsize       max_pending;

  GMutex      mutex;
  GCond       cond;
  GQueue      items;
  gsize       pending;
  guint64     n_dropped;
  guint64     gap_dropped;
  guint8      last_byte;
  guint       dropping : 1;
  guint       closed : 1;
  guint       ended : 1;
  guint       cancelled : 1;
};

G_DEFINE_FINAL_TYPE (RfTapSource, rf_tap_source, RF_TYPE_SOURCE)

static void
item_free (Item *item)
{
  g_clear_pointer (&item->bytes, g_bytes_unref);
  g_clear_pointer (&item->code, g_free);
  g_clear_pointer (&item->message, g_free);
  g_clear_error (&item->error);
  g_free (item);
}

/* Called with the mutex held. */
static void
enqueue (RfTapSource *self,
         Item        *item)
{
  if (item->bytes != NULL)
    self->pending += g_bytes_get_size (item->bytes);
  g_queue_push_tail (&self->items, item);
  g_cond_signal (&self->cond);
}

/* Where the next event starts in @buf: after the first empty line, or 0
 * when the previous chunk ended a line and @buf begins with an empty one.
 * -1 when @buf holds no event boundary. Bytes that follow a boundary are
 * a clean start for the parser. */
static gssize
find_event_start (const guint8 *buf,
                  gsize         len,
                  guint8        last_byte)
{
  gboolean line_empty = last_byte == '\n' || last_byte == '\r';

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = buf[i];

      if (c == '\n' || c == '\r')
        {
          if (line_empty)
            return i + 1;
          line_empty = TRUE;
          /* CRLF ends one line, not two. */
          if (c == '\r' && i + 1 < len && buf[i + 1] == '\n')
            i++;
        }
      else
        line_empty = FALSE;
    }

  return -1;
}

static void
wake_cb (GCancellable *cancellable,
         RfTapSource  *self)
{
  g_mutex_lock (&self->mutex);
  self->cancelled = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static void
maybe_rename (RfTapSource *self,
              RfIngest    *ingest,
              gboolean    *renamed)
{
  g_autofree char *response_id = NULL;

  if (*renamed || self->recorder == NULL)
    return;

  if ((response_id = rf_ingest_dup_response_id (ingest)))
    {
      rf_recorder_rename_for_response_id (self->recorder, response_id);
      *renamed = TRUE;
    }
}

static gboolean
rf_tap_source_run (RfSource      *source,
                   RfIngest      *ingest,
                   GCancellable  *cancellable,
                   GError       **error)
{
  RfTapSource *self = RF_TAP_SOURCE (source);
  gboolean renamed = FALSE;
  gboolean ret = TRUE;
  gulong handler = 0;

#ifdef __linux__
  /* On Linux a thread has its own nice value: the run's parsing yields
   * the CPU to the proxy thread, whose bytes a client is waiting for. */
  (void) setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
#endif

  rf_ingest_set_live (ingest);
  if (self->request_json != NULL)
    rf_ingest_set_request (ingest, self->request_json, -1);
  rf_ingest_set_streaming (ingest);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake_cb), self, NULL);

  for (;;)
    {
      Item *item;

      g_mutex_lock (&self->mutex);
      while (g_queue_is_empty (&self->items) && !self->cancelled)
        g_cond_wait (&self->cond, &self->mutex);
      if (self->cancelled)
        {
          g_mutex_unlock (&self->mutex);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
          ret = FALSE;
          break;
        }
      item = g_queue_pop_head (&self->items);
      if (item->bytes != NULL)
        self->pending -= g_bytes_get_size (item->bytes);
      g_mutex_unlock (&self->mutex);

      switch (item->kind)
        {
        case ITEM_DATA:
          {
            gsize len;
            const guint8 *data = g_bytes_get_data (item->bytes, &len);

            rf_ingest_push (ingest, data, len);
            maybe_rename (self, ingest, &renamed);
            /* An event over the limit ended the run; the client's
             * stream goes on through the tap regardless. */
            if (rf_ingest_is_stopped (ingest))
              {
                item_free (item);
                goto out;
              }
          }
          break;

        case ITEM_GAP:
          {
            g_autofree char *size = g_format_size (item->n_dropped);

            rf_ingest_begin_resume (ingest);
            rf_ingest_add_diagnostic (ingest, RF_SEVERITY_WARNING, "tap-behind", -1,
                                      /* Translators: %s is a size, e.g. "3.1 MB" */
                                      _("Decoding fell behind the stream: %s of it were left out "
                                        "of this run; the client and the journal got every byte"),
                                      size);
          }
          break;

        case ITEM_DIAGNOSTIC:
          rf_ingest_add_diagnostic (ingest, item->severity, item->code, -1, "%s", item->message);
          break;

        case ITEM_END:
        default:
          maybe_rename (self, ingest, &renamed);
          if (item->error != NULL)
            {
              rf_ingest_add_diagnostic (ingest, RF_SEVERITY_ERROR, "http-error", -1,
                                        "%s", item->error->message);
              g_propagate_error (error, g_steal_pointer (&item->error));
              ret = FALSE;
            }
          item_free (item);
          goto out;
        }

      item_free (item);
    }

out:
  g_cancellable_disconnect (cancellable, handler);

  /* Nobody reads any more: what the tap still pushes is not kept. */
  g_mutex_lock (&self->mutex);
  self->closed = TRUE;
  g_queue_clear_full (&self->items, (GDestroyNotify) item_free);
  self->pending = 0;
  g_mutex_unlock (&self->mutex);

  return ret;
}

static char *
rf_tap_source_dup_description (RfSource *source)
{
  return g_strdup (RF_TAP_SOURCE (source)->description);
}

static void
rf_tap_source_finalize (GObject *object)
{
  RfTapSource *self = (RfTapSource *)object;

  g_queue_clear_full (&self->items, (GDestroyNotify) item_free);
  g_clear_object (&self->recorder);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->request_json, g_free);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (rf_tap_source_parent_class)->finalize (object);
}

static void
rf_tap_source_class_init (RfTapSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RfSourceClass *source_class = RF_SOURCE_CLASS (klass);

  object_class->finalize = rf_tap_source_finalize;

  source_class->run = rf_tap_source_run;
  source_class->dup_description = rf_tap_source_dup_description;
}

static void
rf_tap_source_init (RfTapSource *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->items);
  self->last_byte = '\n';
}

RfSource *
rf_tap_source_new (const char *description,
                   const char *redacted_request_json,
                   gsize       max_pending)
{
  RfTapSource *self;

  g_return_val_if_fail (description != NULL, NULL);
  g_return_val_if_fail (max_pending > 0, NULL);

  self = g_object_new (RF_TYPE_TAP_SOURCE, NULL);
  self->description = g_strdup (description);
  self->request_json = g_strdup (redacted_request_json);
  self->max_pending = max_pending;

  return RF_SOURCE (self);
}

void
rf_tap_source_set_recorder (RfTapSource *self,
                            RfRecorder  *recorder)
{
  g_return_if_fail (RF_IS_TAP_SOURCE (self));

  g_set_object (&self->recorder, recorder);
}

void
rf_tap_source_push (RfTapSource  *self,
                    const guint8 *buf,
                    gsize         len)
{
  g_return_if_fail (RF_IS_TAP_SOURCE (self));

  if (len == 0)
    return;

  g_mutex_lock (&self->mutex);

  if (self->closed || self->ended)
    ;
  else if (self->dropping)
    {
      gssize start = -1;

      /* Start again only once the backlog has halved, and at an event
       * boundary, so the parser never sees half an event. */
      if (self->pending <= self->max_pending / 2)
        start = find_event_start (buf, len, self->last_byte);

      if (start < 0)
        {
          self->n_dropped += len;
          self->gap_dropped += len;
        }
      else
        {
          Item *gap = g_new0 (Item, 1);

          self->n_dropped += start;
          gap->kind = ITEM_GAP;
          gap->n_dropped = self->gap_dropped + start;
          enqueue (self, gap);
          self->gap_dropped = 0;
          self->dropping = FALSE;

          if ((gsize) start < len)
            {
              Item *item = g_new0 (Item, 1);

              item->kind = ITEM_DATA;
              item->bytes = g_bytes_new (buf + start, len - start);
              enqueue (self, item);
            }
        }
    }
  else if (self->pending + len > self->max_pending)
    {
      /* The decoding side is this far behind: leave its work out rather
       * than hold the client's bytes or grow without bound. */
      self->dropping = TRUE;
      self->n_dropped += len;
      self->gap_dropped = len;
    }
  else
    {
      Item *item = g_new0 (Item, 1);

      item->kind = ITEM_DATA;
      item->bytes = g_bytes_new (buf, len);
      enqueue (self, item);
    }

  self->last_byte = buf[len - 1];
  g_mutex_unlock (&self->mutex);
}

void
rf_tap_source_add_diagnostic (RfTapSource *self,
                              RfSeverity   severity,
                              const char  *code,
                              const char  *message)
{
  Item *item;

  g_return_if_fail (RF_IS_TAP_SOURCE (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (message != NULL);

  item = g_new0 (Item, 1);
  item->kind = ITEM_DIAGNOSTIC;
  item->severity = severity;
  item->code = g_strdup (code);
  item->message = g_strdup (message);

  g_mutex_lock (&self->mutex);
  if (self->closed || self->ended)
    item_free (item);
  else
    enqueue (self, item);
  g_mutex_unlock (&self->mutex);
}

void
rf_tap_source_end (RfTapSource  *self,
                   const GError *error)
{
  Item *item;

  g_return_if_fail (RF_IS_TAP_SOURCE (self));

  item = g_new0 (Item, 1);
  item->kind = ITEM_END;
  item->error = error ? g_error_copy (error) : NULL;

  g_mutex_lock (&self->mutex);
  if (self->closed || self->ended)
    item_free (item);
  else
    {
      if (self->dropping)
        {
          Item *gap = g_new0 (Item, 1);

          gap->kind = ITEM_GAP;
          gap->n_dropped = self->gap_dropped;
          enqueue (self, gap);
          self->dropping = FALSE;
        }
      self->ended = TRUE;
      enqueue (self, item);
    }
  g_mutex_unlock (&self->mutex);
}

guint64
rf_tap_source_get_n_dropped (RfTapSource *self)
{
  guint64 ret;

  g_return_val_if_fail (RF_IS_TAP_SOURCE (self), 0);

  g_mutex_lock (&self->mutex);
  ret = self->n_dropped;
  g_mutex_unlock (&self->mutex);

  return ret;
}
