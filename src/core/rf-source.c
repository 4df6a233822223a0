/*
 * rf-source.c
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

#define G_LOG_DOMAIN "rf-source"

#include "config.h"

#include "rf-source.h"

G_DEFINE_ABSTRACT_TYPE (RfSource, rf_source, G_TYPE_OBJECT)

static char *
rf_source_real_dup_description (RfSource *self)
{
  return g_strdup (G_OBJECT_TYPE_NAME (self));
}

static void
rf_source_class_init (RfSourceClass *klass)
{
  klass->dup_description = rf_source_real_dup_description;
  klass->dup_display_name = rf_source_dup_description;
}

static void
rf_source_init (RfSource *self)
{
}

gboolean
rf_source_run (RfSource      *self,
               RfIngest      *ingest,
               GCancellable  *cancellable,
               GError       **error)
{
  g_return_val_if_fail (RF_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (ingest != NULL, FALSE);

  return RF_SOURCE_GET_CLASS (self)->run (self, ingest, cancellable, error);
}

char *
rf_source_dup_description (RfSource *self)
{
  g_return_val_if_fail (RF_IS_SOURCE (self), NULL);

  return RF_SOURCE_GET_CLASS (self)->dup_description (self);
}

char *
rf_source_dup_display_name (RfSource *self)
{
  g_return_val_if_fail (RF_IS_SOURCE (self), NULL);

  return RF_SOURCE_GET_CLASS (self)->dup_display_name (self);
}
