/*
 * rf-source.h
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

#include "rf-types.h"

G_BEGIN_DECLS

#define RF_TYPE_SOURCE (rf_source_get_type())

G_DECLARE_DERIVABLE_TYPE (RfSource, rf_source, RF, SOURCE, GObject)

struct _RfSourceClass
{
  GObjectClass parent_class;

  /* Runs on the session's ingest thread. Pushes what it receives into
   * @ingest (rf_ingest_push() and friends) and returns when the input
   * ends. FALSE + @error for I/O, HTTP and auth failures (exit status 2);
   * what was pushed before stays. */
  gboolean (*run)             (RfSource      *self,
                               RfIngest      *ingest,
                               GCancellable  *cancellable,
                               GError       **error);
  /* Short human description: file name, URL, "demo". */
  char    *(*dup_description) (RfSource      *self);
  /* The description as the app shows it; the description by default. A
   * source named by a word of Refinery's (the demo) says it in the
   * user's language. */
  char    *(*dup_display_name) (RfSource     *self);

  /*< private >*/
  gpointer _reserved[7];
};

gboolean  rf_source_run             (RfSource      *self,
                                     RfIngest      *ingest,
                                     GCancellable  *cancellable,
                                     GError       **error);
/* Returns: (transfer full) */
char     *rf_source_dup_description (RfSource      *self);
/* Returns: (transfer full) */
char     *rf_source_dup_display_name (RfSource     *self);

G_END_DECLS
