/*
 * rf-mailbox.h
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

#include <glib.h>

G_BEGIN_DECLS

/* Hands items from any thread to the thread of one GMainContext without a
 * lock the two share: a worker that posts can be preempted at any point
 * (the decoders run behind the UI thread) and the UI thread never waits
 * for it. Items embed an RfMailboxLink as their first member. */
typedef struct _RfMailboxLink RfMailboxLink;

struct _RfMailboxLink
{
  RfMailboxLink *next;
};

typedef struct _RfMailbox RfMailbox;

/* Called on the context's thread with each item, in the order posted; it
 * then owns the item. */
typedef void (*RfMailboxFunc) (RfMailboxLink *item,
                               gpointer       user_data);

/* @name is a static string; @free_item frees what is never delivered. */
RfMailbox *rf_mailbox_new        (GMainContext   *context,
                                  const char     *name,
                                  int             priority,
                                  RfMailboxFunc   func,
                                  gpointer        user_data,
                                  GDestroyNotify  free_item);
/* Items delivered in one main-loop dispatch stop once @usec passed; the
 * rest follow in the next iteration. 0 (the default): no limit. */
void       rf_mailbox_set_budget (RfMailbox      *self,
                                  gint64          usec);
/* Any thread. Never blocks and takes no lock. */
void       rf_mailbox_post       (RfMailbox      *self,
                                  RfMailboxLink  *item);
/* A thread that posts after its owner may be gone holds a reference. */
RfMailbox *rf_mailbox_ref        (RfMailbox      *self);
void       rf_mailbox_unref      (RfMailbox      *self);
/* No more deliveries, also in a dispatch running now; items posted
 * later, or not delivered, are freed with the last reference. */
void       rf_mailbox_close      (RfMailbox      *self);
/* Closes and drops the owner's reference. */
void       rf_mailbox_free       (RfMailbox      *self);

G_END_DECLS
