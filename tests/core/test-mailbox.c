/*
 * test-mailbox.c
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

#include "config.h"

#include <string.h>

#include "rf-mailbox.h"
#include "rf-test-util.h"

typedef struct
{
  RfMailboxLink link;
  guint         producer;
  guint         seq;
} Item;

typedef struct
{
  GMainContext *context;
  RfMailbox    *mailbox;
  GThread      *consumer;
  guint         n_delivered;
  guint         n_freed;
  guint        *next_seq;      /* per producer */
  gboolean      in_order;
  gboolean      on_consumer;
  guint         close_after;   /* 0: never */
  gint64        busy_usec;     /* per item, in the callback */
} Fixture;

static Item *
item_new (guint producer,
          guint seq)
{
  Item *item = g_new0 (Item, 1);

  item->producer = producer;
  item->seq = seq;
  return item;
}

static void
item_free (gpointer data)
{
  g_free (data);
}

static Fixture *current;

static void
count_freed (gpointer data)
{
  current->n_freed++;
  g_free (data);
}

static void
deliver_cb (RfMailboxLink *link,
            gpointer       user_data)
{
  Fixture *f = user_data;
  Item *item = (Item *) link;

  if (g_thread_self () != f->consumer)
    f->on_consumer = FALSE;
  if (item->seq != f->next_seq[item->producer])
    f->in_order = FALSE;
  f->next_seq[item->producer] = item->seq + 1;
  f->n_delivered++;

  if (f->busy_usec > 0)
    {
      gint64 end = g_get_monotonic_time () + f->busy_usec;

      while (g_get_monotonic_time () < end)
        ;
    }

  if (f->close_after != 0 && f->n_delivered == f->close_after)
    rf_mailbox_close (f->mailbox);

  item_free (item);
}

static void
fixture_init (Fixture *f,
              guint    n_producers)
{
  memset (f, 0, sizeof *f);
  f->context = g_main_context_new ();
  f->consumer = g_thread_self ();
  f->next_seq = g_new0 (guint, n_producers);
  f->in_order = TRUE;
  f->on_consumer = TRUE;
  current = f;
  f->mailbox = rf_mailbox_new (f->context, "[test] mailbox", G_PRIORITY_DEFAULT,
                               deliver_cb, f, count_freed);
}

static void
fixture_clear (Fixture *f)
{
  g_clear_pointer (&f->mailbox, rf_mailbox_free);
  g_main_context_unref (f->context);
  g_free (f->next_seq);
  current = NULL;
}

static void
run_until (Fixture *f,
           guint    n_delivered)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (f->n_delivered < n_delivered && g_get_monotonic_time () < end)
    g_main_context_iteration (f->context, TRUE);
}

#define N_PRODUCERS 4
#define N_PER_PRODUCER 5000

typedef struct
{
  RfMailbox *mailbox;
  guint      producer;
} Producer;

static gpointer
producer_thread (gpointer data)
{
  Producer *p = data;

  for (guint i = 0; i < N_PER_PRODUCER; i++)
    {
      rf_mailbox_post (p->mailbox, &item_new (p->producer, i)->link);
      if ((i & 255) == 0)
        g_thread_yield ();
    }

  rf_mailbox_unref (p->mailbox);
  return NULL;
}

/* Every item from every thread arrives once, on the consumer's thread,
 * in the order each thread posted it. */
static void
test_order_across_threads (void)
{
  Fixture f;
  GThread *threads[N_PRODUCERS];
  Producer producers[N_PRODUCERS];

  fixture_init (&f, N_PRODUCERS);

  for (guint i = 0; i < N_PRODUCERS; i++)
    {
      producers[i].mailbox = rf_mailbox_ref (f.mailbox);
      producers[i].producer = i;
      threads[i] = g_thread_new ("producer", producer_thread, &producers[i]);
    }

  run_until (&f, N_PRODUCERS * N_PER_PRODUCER);
  for (guint i = 0; i < N_PRODUCERS; i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (f.n_delivered, ==, N_PRODUCERS * N_PER_PRODUCER);
  g_assert_true (f.in_order);
  g_assert_true (f.on_consumer);
  for (guint i = 0; i < N_PRODUCERS; i++)
    g_assert_cmpuint (f.next_seq[i], ==, N_PER_PRODUCER);

  /* Nothing more comes. */
  while (g_main_context_iteration (f.context, FALSE))
    ;
  g_assert_cmpuint (f.n_delivered, ==, N_PRODUCERS * N_PER_PRODUCER);

  fixture_clear (&f);
  g_assert_cmpuint (f.n_freed, ==, 0);
}

/* A dispatch stops once its time is up; the rest follow in order. */
static void
test_budget (void)
{
  Fixture f;

  fixture_init (&f, 1);
  f.busy_usec = 200;
  rf_mailbox_set_budget (f.mailbox, 2000);

  for (guint i = 0; i < 200; i++)
    rf_mailbox_post (f.mailbox, &item_new (0, i)->link);

  g_assert_true (g_main_context_iteration (f.context, FALSE));
  /* About 10 in 2 ms; never all 200 (40 ms of work). */
  g_assert_cmpuint (f.n_delivered, >=, 1);
  g_assert_cmpuint (f.n_delivered, <, 100);

  run_until (&f, 200);
  g_assert_cmpuint (f.n_delivered, ==, 200);
  g_assert_true (f.in_order);

  fixture_clear (&f);
}

/* Closing from a callback ends delivery at once; what was not delivered
 * is freed with the mailbox. */
static void
test_close_in_callback (void)
{
  Fixture f;

  fixture_init (&f, 1);
  f.close_after = 3;

  for (guint i = 0; i < 10; i++)
    rf_mailbox_post (f.mailbox, &item_new (0, i)->link);

  run_until (&f, 3);
  while (g_main_context_iteration (f.context, FALSE))
    ;
  g_assert_cmpuint (f.n_delivered, ==, 3);
  g_assert_cmpuint (f.n_freed, ==, 0);

  fixture_clear (&f);
  g_assert_cmpuint (f.n_freed, ==, 7);
}

/* A thread that still holds a reference may post after the owner let
 * go: nothing is delivered, and the item goes with the last reference. */
static void
test_post_after_close (void)
{
  Fixture f;
  RfMailbox *held;

  fixture_init (&f, 1);
  held = rf_mailbox_ref (f.mailbox);
  g_clear_pointer (&f.mailbox, rf_mailbox_free);

  rf_mailbox_post (held, &item_new (0, 0)->link);
  rf_mailbox_post (held, &item_new (0, 1)->link);
  while (g_main_context_iteration (f.context, FALSE))
    ;
  g_assert_cmpuint (f.n_delivered, ==, 0);
  g_assert_cmpuint (f.n_freed, ==, 0);

  rf_mailbox_unref (held);
  g_assert_cmpuint (f.n_freed, ==, 2);

  fixture_clear (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mailbox/order-across-threads", test_order_across_threads);
  g_test_add_func ("/mailbox/budget", test_budget);
  g_test_add_func ("/mailbox/close-in-callback", test_close_in_callback);
  g_test_add_func ("/mailbox/post-after-close", test_post_after_close);

  return g_test_run ();
}
