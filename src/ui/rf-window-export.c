/*
 * rf-window-export.c
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

/* The window's exports: the win.export-* actions, their file dialogs,
 * and the tasks that tie the core's writers (rf-export, rf-contact-sheet,
 * rf-webp-export, the heat map) to the window; the dialogs remember the
 * folder the last export went to.
 *
 * Threads: main thread only, but for heat_map_worker(), which runs in a
 * GTask worker on the frames and the path its job holds; the core's
 * writers run in workers of their own. */

#define G_LOG_DOMAIN "rf-window-actions"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rf-export.h"
#include "rf-file-util.h"
#include "rf-frame.h"
#include "rf-contact-sheet.h"
#include "rf-generate-dialog.h"
#include "rf-journal.h"
#include "rf-lane.h"
#include "rf-webp-export.h"
#include "rf-compare-window.h"
#include "rf-window-private.h"
#include "rf-text.h"

/* Where a frame changed is shown per region of this many pixels a side. */
#define HEAT_MAP_BLOCK 16

static GPtrArray *
list_to_array (GListModel *model)
{
  GPtrArray *ar = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ar, g_list_model_get_item (model, i));

  return ar;
}

/* Export dialogs open in the folder the last export went to. */
GtkFileChooserNative *
_rf_window_new_chooser (RfWindow             *self,
                        const char           *title,
                        GtkFileChooserAction  action,
                        const char           *accept)
{
  GtkFileChooserNative *native = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action,
                                                              accept, _("_Cancel"));
  g_autofree char *folder = self->settings ? g_settings_get_string (self->settings, "export-folder") : NULL;

  if (folder != NULL && *folder != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) file = g_file_new_for_path (folder);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), file, NULL);
    }

  return native;
}

/* The folder an export goes to: kept for the next export dialog, and
 * opened by its toast. */
static void
remember_export_folder (RfWindow             *self,
                        GtkFileChooserNative *native,
                        GFile                *chosen)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;

  if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (native)) == GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER)
    folder = g_object_ref (chosen);
  else
    folder = g_file_get_parent (chosen);
  if (folder == NULL)
    return;

  g_set_object (&self->export_folder, folder);
  if (self->settings != NULL && (path = g_file_get_path (folder)) != NULL)
    g_settings_set_string (self->settings, "export-folder", path);
}

static void
report_error (RfWindow     *self,
              const char   *what,
              const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("%s: cancelled", what);
      return;
    }

  rf_window_add_error_toast (self, what, error->message);
}

/* Exports: the writers are the core's (rf-export, rf-contact-sheet,
 * rf-webp-export), each copying its inputs for its worker thread; the
 * window's task only ties the result to the window. */

typedef gboolean (*ExportFinish) (GAsyncResult  *result,
                                  GError       **error);

static GTask *
export_task_new (RfWindow            *self,
                 gpointer             source_tag,
                 ExportFinish         finish,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (self, self->export_cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) finish, NULL);
  return task;
}

static void
export_forward_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportFinish finish = (ExportFinish) g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
_rf_window_export_frame_async (RfWindow            *self,
                               RfFrame             *frame,
                               GFile               *file,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (RF_IS_FRAME (frame));
  g_return_if_fail (G_IS_FILE (file));

  task = export_task_new (self, _rf_window_export_frame_async, rf_export_frame_png_finish,
                          callback, user_data);
  rf_export_frame_png_async (frame, file, self->export_cancellable, export_forward_cb, task);
}

void
_rf_window_export_frames_async (RfWindow            *self,
                                GFile               *dir,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GPtrArray) frames = NULL;
  g_autoptr(GPtrArray) diagnostics = NULL;
  GTask *task;

  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (dir));
  g_return_if_fail (self->session != NULL);

  task = export_task_new (self, _rf_window_export_frames_async, rf_export_frames_finish,
                          callback, user_data);
  /* A run still receiving or decoding would be exported half built, its
   * manifest counting frames whose files are missing (the action is off
   * until the run ends; this holds for any other caller too). */
  if (!rf_session_get_finished (self->session))
    {
      g_task_return_new_error (task, RF_ERROR, RF_ERROR_USAGE, "%s",
                               /* TRANSLATORS: a run is one generation watched from its
                                * request to its end; a frame is one step of an
                                * image's refinement (a partial image or the final) */
                               _("The run has not finished yet: export its frames when it ends"));
      g_object_unref (task);
      return;
    }
  frames = list_to_array (rf_session_get_frames (self->session));
  diagnostics = list_to_array (rf_session_get_diagnostics (self->session));
  rf_export_frames_async (frames, diagnostics, dir, self->export_cancellable,
                          export_forward_cb, task);
}

gboolean
_rf_window_export_finish (RfWindow      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RfWindow *self = RF_WINDOW (object);
  g_autofree char *what = user_data;
  g_autoptr(GError) error = NULL;

  if (!_rf_window_export_finish (self, result, &error))
    report_error (self, what, error);
  else
    _rf_window_add_folder_toast (self, _("Export finished"), self->export_folder);
}

static void
export_frame_response_cb (RfWindow             *self,
                          int                   response,
                          GtkFileChooserNative *native)
{
  g_autoptr(GFile) file = NULL;
  RfFrame *frame;

  if (response == GTK_RESPONSE_ACCEPT &&
      self->session != NULL &&
      (frame = rf_session_get_selected_frame (self->session)) != NULL &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native))) != NULL &&
      (remember_export_folder (self, native, file), TRUE))
    _rf_window_export_frame_async (self, frame, file, export_done_cb,
                                   /* TRANSLATORS: error title. A frame is
                                    * one step of an image’s refinement: a
                                    * partial image or the final image */
                                   g_strdup (_("Could not export the frame")));

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
}

void
_rf_window_export_frame_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);
  g_autofree char *name = NULL;
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  RfFrame *frame;

  if (self->session == NULL || !(frame = rf_session_get_selected_frame (self->session)))
    return;

  /* TRANSLATORS: file dialog title. A frame is one step of an image’s
   * refinement: a partial image or the final image */
  native = _rf_window_new_chooser (self, _("Export Frame"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  name = rf_export_frame_file_name (frame);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  gtk_file_filter_set_name (filter, _("PNG Images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_signal_connect_object (native, "response", G_CALLBACK (export_frame_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
export_frames_response_cb (RfWindow             *self,
                           int                   response,
                           GtkFileChooserNative *native)
{
  g_autoptr(GFile) dir = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      self->session != NULL &&
      (dir = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native))) != NULL &&
      (remember_export_folder (self, native, dir), TRUE))
    _rf_window_export_frames_async (self, dir, export_done_cb,
                                    /* TRANSLATORS: error title. A frame is
                                     * one step of an image’s refinement: a
                                     * partial image or the final image */
                                    g_strdup (_("Could not export the frames")));

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
}

void
_rf_window_export_frames_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);
  GtkFileChooserNative *native;

  if (self->session == NULL)
    return;

  /* TRANSLATORS: file dialog title. A frame is one step of an image’s
   * refinement: a partial image or the final image */
  native = _rf_window_new_chooser (self, _("Export All Frames to Folder"),
                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"));
  g_signal_connect_object (native, "response", G_CALLBACK (export_frames_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
copy_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RfWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!rf_export_copy_journal_finish (result, &error))
    report_error (self, _("Could not save the recording"), error);
  else
    _rf_window_add_folder_toast (self, _("Recording saved"), self->export_folder);
}

static void
export_recording_response_cb (RfWindow             *self,
                              int                   response,
                              GtkFileChooserNative *native)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) journal = _rf_window_dup_journal (self);

  if (response == GTK_RESPONSE_ACCEPT &&
      journal != NULL &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native))) != NULL &&
      (remember_export_folder (self, native, file), TRUE))
    rf_export_copy_journal_async (journal, file, self->export_cancellable,
                                  copy_done_cb, g_object_ref (self));

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
}

void
_rf_window_export_recording_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);
  g_autoptr(GFile) journal = _rf_window_dup_journal (self);
  g_autofree char *name = NULL;
  GtkFileChooserNative *native;

  if (journal == NULL)
    return;

  native = _rf_window_new_chooser (self, _("Save Raw Recording"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  name = g_file_get_basename (journal);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_signal_connect_object (native, "response", G_CALLBACK (export_recording_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* The animation shows one image's progression: the lane of the
 * selected frame (else the first lane). The contact sheet shows every
 * image, a row (or more) each. */
static GPtrArray *
dup_lane_frames (RfWindow *self)
{
  RfFrame *selected = rf_session_get_selected_frame (self->session);
  RfLane *lane = rf_session_get_lane (self->session,
                                      selected ? rf_frame_get_lane_index (selected) : 0);

  if (lane == NULL)
    return list_to_array (rf_session_get_frames (self->session));

  return list_to_array (rf_lane_get_frames (lane));
}

/* The contact sheet and the animation both take the selected lane's
 * frames and a local path; NULL when the task was already answered. */
static GTask *
lane_export_begin (RfWindow             *self,
                   GFile                *file,
                   gpointer              source_tag,
                   ExportFinish          finish,
                   GAsyncReadyCallback   callback,
                   gpointer              user_data,
                   char                **path,
                   GPtrArray           **frames)
{
  g_autoptr(GTask) task = export_task_new (self, source_tag, finish, callback, user_data);

  if (!(*path = g_file_get_path (file)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only local files can be written"));
      return NULL;
    }

  *frames = source_tag == _rf_window_export_contact_sheet_async
              ? list_to_array (rf_session_get_frames (self->session))
              : dup_lane_frames (self);
  return g_steal_pointer (&task);
}

void
_rf_window_export_contact_sheet_async (RfWindow            *self,
                                       GFile               *file,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GPtrArray) frames = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->session != NULL);

  task = lane_export_begin (self, file, _rf_window_export_contact_sheet_async,
                            rf_contact_sheet_save_png_finish, callback, user_data,
                            &path, &frames);
  if (task != NULL)
    rf_contact_sheet_save_png_async (frames, 0, 0, path, self->export_cancellable,
                                     export_forward_cb, task);
}

void
_rf_window_export_webp_async (RfWindow            *self,
                              GFile               *file,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GPtrArray) frames = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->session != NULL);

  task = lane_export_begin (self, file, _rf_window_export_webp_async,
                            rf_webp_export_animation_finish, callback, user_data,
                            &path, &frames);
  /* 0: each frame shows as long as it took to arrive. */
  if (task != NULL)
    rf_webp_export_animation_async (frames, 0, path, self->export_cancellable,
                                    export_forward_cb, task);
}

static void
export_file_response_cb (RfWindow             *self,
                         int                   response,
                         GtkFileChooserNative *native)
{
  g_autoptr(GFile) file = NULL;
  gboolean webp = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (native), "rf-webp"));

  if (response == GTK_RESPONSE_ACCEPT &&
      self->session != NULL &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native))) != NULL &&
      (remember_export_folder (self, native, file), TRUE))
    {
      if (webp)
        _rf_window_export_webp_async (self, file, export_done_cb,
                                      g_strdup (_("Could not export the animation")));
      else
        _rf_window_export_contact_sheet_async (self, file, export_done_cb,
                                               g_strdup (_("Could not export the contact sheet")));
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
}

static void
show_export_file_chooser (RfWindow   *self,
                          gboolean    webp)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  RfFrame *selected = rf_session_get_selected_frame (self->session);
  g_autofree char *name = NULL;

  native = _rf_window_new_chooser (self,
                        webp ? _("Export Animated WebP") : _("Export Contact Sheet"),
                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  /* The contact sheet covers every image; with one, it is named as the
   * animation is, by its image. */
  if (!webp && g_list_model_get_n_items (rf_session_get_lanes (self->session)) > 1)
    name = g_strdup ("contact-sheet.png");
  else
    name = g_strdup_printf ("image-%u-%s.%s",
                            (selected ? rf_frame_get_lane_index (selected) : 0) + 1,
                            webp ? "progression" : "contact-sheet",
                            webp ? "webp" : "png");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  gtk_file_filter_set_name (filter, webp ? _("WebP Images") : _("PNG Images"));
  gtk_file_filter_add_mime_type (filter, webp ? "image/webp" : "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_object_set_data (G_OBJECT (native), "rf-webp", GINT_TO_POINTER (webp));
  g_signal_connect_object (native, "response", G_CALLBACK (export_file_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

void
_rf_window_export_contact_sheet_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);

  if (self->session != NULL)
    show_export_file_chooser (self, FALSE);
}

void
_rf_window_export_webp_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);

  if (self->session != NULL)
    show_export_file_chooser (self, TRUE);
}

/* The frame before @frame in its image, or NULL. */
static RfFrame *
dup_previous_in_lane (RfWindow *self,
                      RfFrame  *frame)
{
  RfLane *lane = rf_session_get_lane (self->session, rf_frame_get_lane_index (frame));
  GListModel *frames = lane ? rf_lane_get_frames (lane) : NULL;
  guint n = frames ? g_list_model_get_n_items (frames) : 0;

  for (guint i = 1; i < n; i++)
    {
      g_autoptr(RfFrame) f = g_list_model_get_item (frames, i);

      if (f == frame)
        return g_list_model_get_item (frames, i - 1);
    }

  return NULL;
}

typedef struct
{
  RfFrame *before;
  RfFrame *after;
  char    *path;
} HeatMapJob;

static void
heat_map_job_free (HeatMapJob *job)
{
  g_clear_object (&job->before);
  g_clear_object (&job->after);
  g_free (job->path);
  g_free (job);
}

static void
heat_map_worker (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  HeatMapJob *job = task_data;
  g_autoptr(GdkPixbuf) before = NULL;
  g_autoptr(GdkPixbuf) after = NULL;
  g_autoptr(GdkPixbuf) map = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  GError *error = NULL;

  if (!(before = rf_frame_decode_pixbuf (job->before, &error)) ||
      !(after = rf_frame_decode_pixbuf (job->after, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  map = rf_compare_change_heat_map (before, after, HEAT_MAP_BLOCK);
  if (!gdk_pixbuf_save_to_buffer (map, &data, &len, "png", &error, NULL) ||
      !rf_file_replace_contents (job->path, data, len, 0644, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
_rf_window_export_heat_map_async (RfWindow            *self,
                                  GFile               *file,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RfFrame *selected;
  HeatMapJob *job;

  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, self->export_cancellable, callback, user_data);
  g_task_set_source_tag (task, _rf_window_export_heat_map_async);
  selected = self->session ? rf_session_get_selected_frame (self->session) : NULL;
  job = g_new0 (HeatMapJob, 1);
  g_task_set_task_data (task, job, (GDestroyNotify) heat_map_job_free);
  if (selected == NULL || (job->before = dup_previous_in_lane (self, selected)) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               /* TRANSLATORS: why there is no heat map of
                                * the change. A frame is one step of an
                                * image’s refinement: a partial image or the
                                * final image */
                               _("The selected frame is its image’s first: it did not change from another"));
      return;
    }
  if ((job->path = g_file_get_path (file)) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be written"));
      return;
    }
  job->after = g_object_ref (selected);
  g_task_run_in_thread (task, heat_map_worker);
}

static void
heat_map_response_cb (RfWindow             *self,
                      int                   response,
                      GtkFileChooserNative *native)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native))) != NULL &&
      (remember_export_folder (self, native, file), TRUE))
    _rf_window_export_heat_map_async (self, file, export_done_cb,
                                      /* TRANSLATORS: error title: the heat
                                       * map is an image colouring where the
                                       * frame changed from the one before */
                                      g_strdup (_("Could not export the heat map")));

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
}

void
_rf_window_export_heat_map_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  RfWindow *self = RF_WINDOW (widget);
  RfFrame *selected = self->session ? rf_session_get_selected_frame (self->session) : NULL;
  GtkFileChooserNative *native;
  g_autofree char *name = NULL;

  if (selected == NULL)
    return;

  /* TRANSLATORS: file dialog title: a heat map of the pixels that changed
   * from the frame before. A frame is one step of an image’s refinement: a
   * partial image or the final image */
  native = _rf_window_new_chooser (self, _("Export Where the Frame Changed"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));
  name = g_strdup_printf ("image-%u-%s-changes.png", rf_frame_get_lane_index (selected) + 1,
                          rf_frame_get_partial_index (selected) >= 0 ? "partial" : "final");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_signal_connect_object (native, "response", G_CALLBACK (heat_map_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}
