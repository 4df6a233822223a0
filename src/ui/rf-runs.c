/*
 * rf-runs.c
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

#define G_LOG_DOMAIN "rf-runs"

#include "config.h"

#include <glib/gi18n.h>

#include "rf-journal.h"
#include "rf-runs.h"

#define MAX_RUNS        50
#define THUMBNAIL_SIZE  48

struct _RfRuns
{
  GtkWidget     parent_instance;

  char         *directory;
  GCancellable *cancellable;
  guint         n_runs;

  GtkStack     *stack;
  GtkListBox   *list_box;
};

G_DEFINE_FINAL_TYPE (RfRuns, rf_runs, GTK_TYPE_WIDGET)

enum {
  ACTIVATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
scan_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *directory = task_data;

  g_task_return_pointer (task, rf_journal_list (directory, MAX_RUNS, THUMBNAIL_SIZE, cancellable),
                         (GDestroyNotify) g_ptr_array_unref);
}

static GtkWidget *
create_row (RfJournalSummary *info)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *thumb;
  g_autofree char *date = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GDateTime) local = g_date_time_to_local (info->modified);

  date = g_date_time_format (local, "%x %X");
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u frame", "%s · %u frames",
                                           info->n_frames),
                              date, info->n_frames);
  title = info->prompt ? g_strdup (info->prompt) : g_path_get_basename (info->path);

  if (info->thumbnail != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (info->thumbnail);

      thumb = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
      gtk_picture_set_can_shrink (GTK_PICTURE (thumb), TRUE);
    }
  else
    {
      thumb = gtk_image_new_from_icon_name ("image-missing-symbolic");
      gtk_image_set_pixel_size (GTK_IMAGE (thumb), 24);
    }
  gtk_widget_set_size_request (thumb, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  gtk_widget_set_valign (thumb, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (thumb, "rf-run-thumbnail");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), thumb);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, info->path);
  g_object_set_data_full (G_OBJECT (row), "rf-path", g_strdup (info->path), g_free);

  return row;
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RfRuns *self = RF_RUNS (object);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  if (!(runs = g_task_propagate_pointer (G_TASK (result), &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list runs: %s", error->message);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))))
    gtk_list_box_remove (self->list_box, child);

  for (guint i = 0; i < runs->len; i++)
    gtk_list_box_append (self->list_box, create_row (g_ptr_array_index (runs, i)));

  self->n_runs = runs->len;
  gtk_stack_set_visible_child_name (self->stack, runs->len ? "list" : "empty");
}

static void
row_activated_cb (RfRuns        *self,
                  GtkListBoxRow *row,
                  GtkListBox    *list_box)
{
  const char *path = g_object_get_data (G_OBJECT (row), "rf-path");
  g_autoptr(GFile) file = NULL;

  if (path == NULL)
    return;

  file = g_file_new_for_path (path);
  g_signal_emit (self, signals [ACTIVATED], 0, file);
}

static void
rf_runs_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rf_runs_parent_class)->map (widget);

  rf_runs_reload (RF_RUNS (widget));
}

static void
rf_runs_dispose (GObject *object)
{
  RfRuns *self = RF_RUNS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RF_TYPE_RUNS);
  g_clear_pointer (&self->directory, g_free);

  G_OBJECT_CLASS (rf_runs_parent_class)->dispose (object);
}

static void
rf_runs_class_init (RfRunsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_runs_dispose;
  widget_class->map = rf_runs_map;

  signals [ACTIVATED] =
    g_signal_new ("activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/rf-runs.ui");
  gtk_widget_class_bind_template_child (widget_class, RfRuns, stack);
  gtk_widget_class_bind_template_child (widget_class, RfRuns, list_box);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rfruns");
}

static void
rf_runs_init (RfRuns *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->list_box, "row-activated",
                           G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
rf_runs_new (void)
{
  return g_object_new (RF_TYPE_RUNS, NULL);
}

void
rf_runs_reload (RfRuns *self)
{
  g_autoptr(GTask) task = NULL;
  char *directory;

  g_return_if_fail (RF_IS_RUNS (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  directory = self->directory ? g_strdup (self->directory) : rf_journal_dup_runs_dir ();

  task = g_task_new (self, self->cancellable, scan_done_cb, NULL);
  g_task_set_source_tag (task, rf_runs_reload);
  g_task_set_task_data (task, directory, g_free);
  g_task_run_in_thread (task, scan_worker);
}

void
rf_runs_set_directory (RfRuns     *self,
                       const char *path)
{
  g_return_if_fail (RF_IS_RUNS (self));

  g_free (self->directory);
  self->directory = g_strdup (path);
  rf_runs_reload (self);
}

guint
rf_runs_get_n_runs (RfRuns *self)
{
  g_return_val_if_fail (RF_IS_RUNS (self), 0);

  return self->n_runs;
}
