/*
 * rf-batch-model.h
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

#include <gio/gio.h>

G_BEGIN_DECLS

/* Threads: main thread only. */

#define RF_TYPE_BATCH_MODEL (rf_batch_model_get_type())

G_DECLARE_FINAL_TYPE (RfBatchModel, rf_batch_model, RF, BATCH_MODEL, GObject)

/* Shows the items of another list model, but holds items appended at
 * its end back until rf_batch_model_flush(), which passes them on in one
 * change; any other change is passed on at once. ::pending is emitted
 * when appended items start to wait. A list view over a model that grows
 * by a hundred items a second, flushed ten times a second, lays out ten
 * times a second, not a hundred. */
RfBatchModel *rf_batch_model_new          (GListModel   *model);
GListModel   *rf_batch_model_get_model    (RfBatchModel *self);
void          rf_batch_model_set_model    (RfBatchModel *self,
                                           GListModel   *model);
gboolean      rf_batch_model_has_pending  (RfBatchModel *self);
/* Passes on what is pending now. */
void          rf_batch_model_flush        (RfBatchModel *self);

G_END_DECLS
