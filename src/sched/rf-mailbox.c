/*
 * rf-mailbox.c
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

#define G_LOG_DOMAIN "rf-mailbox"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib-unix.h>

#include "rf-mailbox.h"

/* A GSource that watches the read end of a pipe. Posting pushes onto a
 * lock-free stack (newest first) and writes a byte when the stack was
 * empty; the context's thread takes the whole stack at once and turns it
 * around. Only one thread takes, so the stack has no ABA problem. */
struct _RfMailbox
{
  GSource         source;

  RfMailboxFunc   func;
  gpointer        user_data;
  GDestroyNotify  free_item;
  gint64          budget_usec;
  gpointer        fd_tag;
  int             fds[2];
  int             closed;          /* atomic */

  RfMailboxLink  *posted;          /* atomic; newest first */

  /* Context thread only: taken, in order, not yet delivered. */
  RfMailboxLink  *ready_head;
  RfMailboxLink  *ready_tail;
};

static void
drain_pipe (RfMailbox *self)
{
  char buf[64];

  while (read (self->fds[0], buf, sizeof buf) > 0)
    ;
}

/* Before taking: a byte written after the drain announces an item this
 * take may already get, which only costs an empty dispatch; draining
 * after taking could swallow the byte of an item it missed. */
static void
take_posted (RfMailbox *self)
{
  RfMailboxLink *list;
  RfMailboxLink *head = NULL;
  RfMailboxLink *tail;

  drain_pipe (self);

  list = g_atomic_pointer_exchange (&self->posted, NULL);
  tail = list;
  while (list != NULL)
    {
      RfMailboxLink *next = list->next;

      list->next = head;
      head = list;
      list = next;
    }

  if (head == NULL)
    return;

  if (self->ready_tail != NULL)
    self->ready_tail->next = head;
  else
    self->ready_head = head;
  self->ready_tail = tail;
}

static RfMailboxLink *
pop_ready (RfMailbox *self)
{
  RfMailboxLink *item = self->ready_head;

  if (item != NULL)
    {
      self->ready_head = item->next;
      if (self->ready_head == NULL)
        self->ready_tail = NULL;
      item->next = NULL;
    }

  return item;
}

static gboolean
mailbox_prepare (GSource *source,
                 int     *timeout)
{
  RfMailbox *self = (RfMailbox *) source;

  *timeout = -1;
  return self->ready_head != NULL;
}

static gboolean
mailbox_check (GSource *source)
{
  RfMailbox *self = (RfMailbox *) source;

  return self->ready_head != NULL ||
         (g_source_query_unix_fd (source, self->fd_tag) & G_IO_IN) != 0;
}

static gboolean
mailbox_dispatch (GSource     *source,
                  GSourceFunc  callback,
                  gpointer     data)
{
  RfMailbox *self = (RfMailbox *) source;
  gint64 deadline = 0;
  RfMailboxLink *item;

  take_posted (self);

  if (self->budget_usec > 0)
    deadline = g_get_monotonic_time () + self->budget_usec;

  /* The callback may close the mailbox, and the main loop keeps the
   * source alive until this returns. */
  while (!g_atomic_int_get (&self->closed) && (item = pop_ready (self)) != NULL)
    {
      self->func (item, self->user_data);

      if (deadline != 0 && g_get_monotonic_time () > deadline)
        break;
    }

  return G_SOURCE_CONTINUE;
}

static void
free_list (RfMailbox     *self,
           RfMailboxLink *list)
{
  while (list != NULL)
    {
      RfMailboxLink *next = list->next;

      if (self->free_item != NULL)
        self->free_item (list);
      list = next;
    }
}

static void
mailbox_finalize (GSource *source)
{
  RfMailbox *self = (RfMailbox *) source;

  free_list (self, g_steal_pointer (&self->ready_head));
  self->ready_tail = NULL;
  free_list (self, g_atomic_pointer_exchange (&self->posted, NULL));

  close (self->fds[0]);
  close (self->fds[1]);
}

static GSourceFuncs mailbox_funcs = {
  mailbox_prepare,
  mailbox_check,
  mailbox_dispatch,
  mailbox_finalize,
  NULL, NULL,
};

RfMailbox *
rf_mailbox_new (GMainContext   *context,
                const char     *name,
                int             priority,
                RfMailboxFunc   func,
                gpointer        user_data,
                GDestroyNotify  free_item)
{
  g_autoptr(GError) error = NULL;
  RfMailbox *self;
  int fds[2];

  g_return_val_if_fail (func != NULL, NULL);

  if (!g_unix_open_pipe (fds, FD_CLOEXEC, &error) ||
      !g_unix_set_fd_nonblocking (fds[0], TRUE, &error) ||
      !g_unix_set_fd_nonblocking (fds[1], TRUE, &error))
    g_error ("Cannot make a pipe for %s: %s", name, error->message);

  self = (RfMailbox *) g_source_new (&mailbox_funcs, sizeof (RfMailbox));
  self->func = func;
  self->user_data = user_data;
  self->free_item = free_item;
  self->fds[0] = fds[0];
  self->fds[1] = fds[1];
  self->fd_tag = g_source_add_unix_fd (&self->source, fds[0], G_IO_IN);

  g_source_set_priority (&self->source, priority);
  g_source_set_static_name (&self->source, name);
  g_source_attach (&self->source, context);

  return self;
}

void
rf_mailbox_set_budget (RfMailbox *self,
                       gint64     usec)
{
  g_return_if_fail (self != NULL);

  self->budget_usec = MAX (usec, 0);
}

void
rf_mailbox_post (RfMailbox     *self,
                 RfMailboxLink *item)
{
  RfMailboxLink *old;

  g_return_if_fail (self != NULL);
  g_return_if_fail (item != NULL);

  do
    {
      old = g_atomic_pointer_get (&self->posted);
      item->next = old;
    }
  while (!g_atomic_pointer_compare_and_exchange (&self->posted, old, item));

  /* Only the first item of a batch wakes the context. A full pipe
   * (EAGAIN) already holds a wake-up. */
  if (old == NULL)
    {
      ssize_t r;

      do
        r = write (self->fds[1], "", 1);
      while (r < 0 && errno == EINTR);
    }
}

RfMailbox *
rf_mailbox_ref (RfMailbox *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (RfMailbox *) g_source_ref (&self->source);
}

void
rf_mailbox_unref (RfMailbox *self)
{
  g_return_if_fail (self != NULL);

  g_source_unref (&self->source);
}

void
rf_mailbox_close (RfMailbox *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_int_set (&self->closed, TRUE);
  g_source_destroy (&self->source);
}

void
rf_mailbox_free (RfMailbox *self)
{
  if (self == NULL)
    return;

  rf_mailbox_close (self);
  g_source_unref (&self->source);
}
