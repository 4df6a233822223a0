/*
 * test-batch-model.c
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

#include <gio/gio.h>

#include "rf-batch-model.h"

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint n_signals;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Change     *change)
{
  change->position = position;
  change->removed = removed;
  change->added = added;
  change->n_signals++;
}

static void
append (GListStore *store,
        guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GSimpleAction) item = g_simple_action_new ("item", NULL);

      g_list_store_append (store, item);
    }
}

static void
count_cb (RfBatchModel *batch,
          guint        *count)
{
  (*count)++;
}

/* Appends wait for the next flush, which carries all of them at once;
 * ::pending tells, once, that some wait. */
static void
test_batches_appends (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_SIMPLE_ACTION);
  g_autoptr(RfBatchModel) batch = NULL;
  Change change = { 0 };
  guint n_pending = 0;

  append (store, 3);
  batch = rf_batch_model_new (G_LIST_MODEL (store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (batch)), ==, 3);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (batch)) == G_TYPE_SIMPLE_ACTION);
  g_assert_false (rf_batch_model_has_pending (batch));
  g_signal_connect (batch, "items-changed", G_CALLBACK (items_changed_cb), &change);
  g_signal_connect (batch, "pending", G_CALLBACK (count_cb), &n_pending);

  append (store, 40);
  g_assert_cmpuint (change.n_signals, ==, 0);
  g_assert_cmpuint (n_pending, ==, 1);
  g_assert_true (rf_batch_model_has_pending (batch));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (batch)), ==, 3);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (batch), 3));

  /* Nothing comes by itself. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (change.n_signals, ==, 0);

  rf_batch_model_flush (batch);
  g_assert_cmpuint (change.n_signals, ==, 1);
  g_assert_cmpuint (change.position, ==, 3);
  g_assert_cmpuint (change.removed, ==, 0);
  g_assert_cmpuint (change.added, ==, 40);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (batch)), ==, 43);
  g_assert_false (rf_batch_model_has_pending (batch));

  {
    g_autoptr(GObject) a = g_list_model_get_item (G_LIST_MODEL (store), 42);
    g_autoptr(GObject) b = g_list_model_get_item (G_LIST_MODEL (batch), 42);

    g_assert_true (a == b);
  }

  /* Nothing more is pending: a flush changes nothing; the next append
   * is pending again. */
  rf_batch_model_flush (batch);
  g_assert_cmpuint (change.n_signals, ==, 1);
  append (store, 2);
  g_assert_cmpuint (n_pending, ==, 2);
  g_assert_cmpuint (change.n_signals, ==, 1);
}

/* A flush passes pending appends on at once; changes to shown items and
 * a new model are passed on at once, whole. */
static void
test_flush_and_other_changes (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_SIMPLE_ACTION);
  g_autoptr(GListStore) other = g_list_store_new (G_TYPE_SIMPLE_ACTION);
  g_autoptr(RfBatchModel) batch = rf_batch_model_new (NULL);
  Change change = { 0 };

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (batch)), ==, 0);
  g_signal_connect (batch, "items-changed", G_CALLBACK (items_changed_cb), &change);

  rf_batch_model_set_model (batch, G_LIST_MODEL (store));
  g_assert_cmpuint (change.n_signals, ==, 0);   /* empty to empty */

  append (store, 5);
  rf_batch_model_flush (batch);
  g_assert_cmpuint (change.n_signals, ==, 1);
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.added, ==, 5);

  rf_batch_model_flush (batch);
  g_assert_cmpuint (change.n_signals, ==, 1);

  /* Pending appends, then a removal among the shown items. */
  append (store, 2);
  g_list_store_remove (store, 1);
  g_assert_cmpuint (change.n_signals, ==, 2);
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.removed, ==, 5);
  g_assert_cmpuint (change.added, ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (batch)), ==, 6);

  append (other, 1);
  rf_batch_model_set_model (batch, G_LIST_MODEL (other));
  g_assert_true (rf_batch_model_get_model (batch) == G_LIST_MODEL (other));
  g_assert_cmpuint (change.n_signals, ==, 3);
  g_assert_cmpuint (change.removed, ==, 6);
  g_assert_cmpuint (change.added, ==, 1);

  /* The old model no longer reaches it. */
  append (store, 3);
  rf_batch_model_flush (batch);
  g_assert_cmpuint (change.n_signals, ==, 3);

  rf_batch_model_set_model (batch, NULL);
  g_assert_cmpuint (change.n_signals, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (batch)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/batch-model/batches-appends", test_batches_appends);
  g_test_add_func ("/batch-model/flush-and-other-changes", test_flush_and_other_changes);

  return g_test_run ();
}
