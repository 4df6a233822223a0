/*
 * rf-compare-window-export.c
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

#define G_LOG_DOMAIN "rf-compare-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rf-compare-window-private.h"
#include "rf-file-util.h"

/* The comparison's exports: the PNG grid (a row per pair: A, B,
 * difference) and the JSON report refinery-inspect --compare --json
 * prints. The window's actions ask for a file and start them on the main
 * thread; the grid is drawn and both are written in GTask workers, which
 * get their inputs copied or referenced and touch no widget. */

#define GRID_CELL    256

static gboolean
check_path (GFile   *file,
            GError **error)
{
  if (!g_file_is_native (file))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be written"));
      return FALSE;
    }
  return TRUE;
}

static void
export_grid_worker (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GPtrArray *pairs = task_data;
  GFile *file = g_object_get_data (G_OBJECT (task), "rf-file");
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GdkPixbuf) grid = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  GError *error = NULL;

  if (!(grid = rf_compare_render_grid (pairs, GRID_CELL, cancellable, &error)) ||
      !gdk_pixbuf_save_to_buffer (grid, &data, &len, "png", &error, NULL) ||
      !rf_file_replace_contents (path, data, len, 0644, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
write_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *text = task_data;
  GFile *file = g_object_get_data (G_OBJECT (task), "rf-file");
  g_autofree char *path = g_file_get_path (file);
  GError *error = NULL;

  if (!rf_file_replace_contents (path, text, strlen (text), 0644, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RfCompareWindow *self = RF_COMPARE_WINDOW (object);
  g_autoptr(GError) error = NULL;

  if (!rf_compare_window_export_finish (self, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                                              _("Export Failed"),
                                                                              error->message));

      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
save_response_cb (GtkNativeDialog *native,
                  int              response,
                  RfCompareWindow *self)
{
  const char *what = g_object_get_data (G_OBJECT (native), "rf-what");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (g_strcmp0 (what, "grid") == 0)
        rf_compare_window_export_grid_async (self, file, export_done_cb, NULL);
      else
        rf_compare_window_export_json_async (self, file, export_done_cb, NULL);
    }
  g_object_unref (native);
}

void
_rf_compare_window_export_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  RfCompareWindow *self = RF_COMPARE_WINDOW (widget);
  gboolean grid = g_str_has_suffix (action_name, "grid");
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (grid ? _("Export the Comparison as PNG") : _("Export the Comparison as JSON"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), grid ? "comparison.png" : "comparison.json");
  g_object_set_data (G_OBJECT (native), "rf-what", (gpointer) (grid ? "grid" : "json"));
  g_signal_connect (native, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static GTask *
export_task (RfCompareWindow     *self,
             GFile               *file,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, rf_compare_window_export_finish);
  if (!self->ready)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, _("The comparison is not ready yet"));
      g_object_unref (task);
      return NULL;
    }
  if (!check_path (file, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return NULL;
    }
  g_object_set_data_full (G_OBJECT (task), "rf-file", g_object_ref (file), g_object_unref);

  return task;
}

void
rf_compare_window_export_grid_async (RfCompareWindow     *self,
                                     GFile               *file,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RF_IS_COMPARE_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!(task = export_task (self, file, callback, user_data)))
    return;
  g_task_set_task_data (task, g_ptr_array_ref (self->pairs), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, export_grid_worker);
}

void
rf_compare_window_export_json_async (RfCompareWindow     *self,
                                     GFile               *file,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  char *text;

  g_return_if_fail (RF_IS_COMPARE_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!(task = export_task (self, file, callback, user_data)))
    return;
  /* The report refinery-inspect --compare --json prints, line end included. */
  text = rf_compare_dup_json (self->sessions[0], self->sessions[1], self->align, self->pairs);
  g_task_set_task_data (task, g_strconcat (text, "\n", NULL), g_free);
  g_free (text);
  g_task_run_in_thread (task, write_worker);
}

gboolean
rf_compare_window_export_finish (RfCompareWindow  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (RF_IS_COMPARE_WINDOW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
