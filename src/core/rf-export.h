/*
 * rf-export.h
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

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-types.h"

G_BEGIN_DECLS

/* Export file name of a frame: image-<L>-partial-<K>.png / image-<L>-final.png
 * Returns: (transfer full) */
char     *rf_export_frame_file_name     (RfFrame      *frame);
/* The manifest (and --json summary) shape, as a JSON string.
 * Returns: (transfer full) */
char     *rf_export_build_manifest      (GPtrArray    *frames,
                                         GPtrArray    *diagnostics,
                                         RfSession    *session_or_null,
                                         gboolean      with_files);
/* Write every decoded frame as PNG, every frame's bytes as they arrived
 * in original/ (same name, real extension), plus manifest.json into @dir. */
gboolean  rf_export_frames              (GPtrArray    *frames,
                                         GPtrArray    *diagnostics,
                                         GFile        *dir,
                                         GCancellable *cancellable,
                                         GError      **error);
/* The same with the run's own fields (source, format, model, usage…) in
 * the manifest when @session_or_null is given. */
gboolean  rf_export_frames_full         (GPtrArray    *frames,
                                         GPtrArray    *diagnostics,
                                         RfSession    *session_or_null,
                                         GFile        *dir,
                                         GCancellable *cancellable,
                                         GError      **error);
void      rf_export_frames_async        (GPtrArray          *frames,
                                         GPtrArray          *diagnostics,
                                         GFile              *dir,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean  rf_export_frames_finish       (GAsyncResult *result,
                                         GError      **error);
/* One diagnostic as a JSON object (manifest and dumps share the shape). */
void      rf_export_add_diagnostic_json (JsonBuilder  *builder,
                                         RfDiagnostic *diagnostic);
/* One frame's pixels as a PNG at @file (a local path), decoded again from
 * its kept bytes in a worker thread. */
void      rf_export_frame_png_async     (RfFrame            *frame,
                                         GFile              *file,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean  rf_export_frame_png_finish    (GAsyncResult *result,
                                         GError      **error);
/* A copy of the @journal at @dest (local paths), mode 0600, replacing a
 * link planted at @dest rather than writing through it. */
void      rf_export_copy_journal_async  (GFile              *journal,
                                         GFile              *dest,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean  rf_export_copy_journal_finish (GAsyncResult *result,
                                         GError      **error);
/* What an export does on its worker thread with its job (its own copies
 * of the inputs); FALSE with @error set when it failed. */
typedef gboolean (*RfExportJobFunc) (gpointer       job,
                                     GCancellable  *cancellable,
                                     GError       **error);
/* Runs @func on @job in a worker thread, as a GTask tagged @source_tag
 * and named @name; @job is freed with @job_free when the task ends.
 * Every export's _async form is this one call; rf_export_job_finish()
 * is every _finish. Main thread. */
void      rf_export_run_job_async       (gpointer            source_tag,
                                         const char         *name,
                                         RfExportJobFunc     func,
                                         gpointer            job,
                                         GDestroyNotify      job_free,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean  rf_export_job_finish          (GAsyncResult *result,
                                         GError      **error);
/* Save decoded pixels as 8-bit PNG, alpha kept. */
gboolean  rf_export_save_png            (GdkPixbuf    *pixbuf,
                                         const char   *path,
                                         GError      **error);

G_END_DECLS
