/*
 * rf-batch-model.c
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

#define G_LOG_DOMAIN "rf-batch-model"

#include "config.h"

#include "rf-batch-model.h"

struct _RfBatchModel
{
  GObject     parent_instance;

  GListModel *model;
  guint       n_shown;     /* the first n_shown items of @model */
};

enum {
  PENDING,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RfBatchModel, rf_batch_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
rf_batch_model_get_item_type (GListModel *list)
{
  RfBatchModel *self = RF_BATCH_MODEL (list);

  return self->model ? g_list_model_get_item_type (self->model) : G_TYPE_OBJECT;
}

static guint
rf_batch_model_get_n_items (GListModel *list)
{
  return RF_BATCH_MODEL (list)->n_shown;
}

static gpointer
rf_batch_model_get_item (GListModel *list,
                         guint       position)
{
  RfBatchModel *self = RF_BATCH_MODEL (list);

  if (self->model == NULL || position >= self->n_shown)
    return NULL;

  return g_list_model_get_item (self->model, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = rf_batch_model_get_item_type;
  iface->get_n_items = rf_batch_model_get_n_items;
  iface->get_item = rf_batch_model_get_item;
}

gboolean
rf_batch_model_has_pending (RfBatchModel *self)
{
  g_return_val_if_fail (RF_IS_BATCH_MODEL (self), FALSE);

  return self->model != NULL && g_list_model_get_n_items (self->model) > self->n_shown;
}

void
rf_batch_model_flush (RfBatchModel *self)
{
  guint n_items;
  guint old;

  g_return_if_fail (RF_IS_BATCH_MODEL (self));

  n_items = self->model ? g_list_model_get_n_items (self->model) : 0;
  if (n_items <= self->n_shown)
    return;

  old = self->n_shown;
  self->n_shown = n_items;
  g_list_model_items_changed (G_LIST_MODEL (self), old, 0, n_items - old);
}

/* Shows all of @model now, as one change. */
static void
show_all (RfBatchModel *self)
{
  guint old = self->n_shown;

  self->n_shown = self->model ? g_list_model_get_n_items (self->model) : 0;
  if (old > 0 || self->n_shown > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_shown);
}

static void
model_items_changed_cb (RfBatchModel *self,
                        guint         position,
                        guint         removed,
                        guint         added,
                        GListModel   *model)
{
  /* Appended past what is shown: wait for the next flush. */
  if (removed == 0 && position >= self->n_shown)
    {
      if (position == self->n_shown && added > 0)
        g_signal_emit (self, signals [PENDING], 0);
      return;
    }

  /* Anything else changes items already shown: all of it, now. */
  show_all (self);
}

void
rf_batch_model_set_model (RfBatchModel *self,
                          GListModel   *model)
{
  g_return_if_fail (RF_IS_BATCH_MODEL (self));
  g_return_if_fail (!model || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_items_changed_cb, self);

  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed", G_CALLBACK (model_items_changed_cb),
                             self, G_CONNECT_SWAPPED);

  show_all (self);
}

GListModel *
rf_batch_model_get_model (RfBatchModel *self)
{
  g_return_val_if_fail (RF_IS_BATCH_MODEL (self), NULL);

  return self->model;
}

static void
rf_batch_model_dispose (GObject *object)
{
  RfBatchModel *self = RF_BATCH_MODEL (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_items_changed_cb, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (rf_batch_model_parent_class)->dispose (object);
}

static void
rf_batch_model_class_init (RfBatchModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rf_batch_model_dispose;

  /**
   * RfBatchModel::pending:
   *
   * Items appended to the model wait for a flush; emitted once until
   * the next flush.
   */
  signals [PENDING] =
    g_signal_new ("pending",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
rf_batch_model_init (RfBatchModel *self)
{
}

RfBatchModel *
rf_batch_model_new (GListModel *model)
{
  RfBatchModel *self = g_object_new (RF_TYPE_BATCH_MODEL, NULL);

  rf_batch_model_set_model (self, model);

  return self;
}
