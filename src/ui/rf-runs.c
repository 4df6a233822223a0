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
#include "rf-text.h"

#define MAX_RUNS        50
#define MAX_RECENT      10
#define THUMBNAIL_SIZE  48
/* Recordings opened in Refinery are registered under this name, so the
 * history lists them beside its own runs. */
#define RECENT_APP_NAME "refinery"

struct _RfRuns
{
  GtkWidget     parent_instance;

  char         *directory;
  GCancellable *cancellable;
  guint         n_runs;
  guint         n_recent;

  GtkStack     *stack;
  GtkListBox   *list_box;
};

G_DEFINE_FINAL_TYPE (RfRuns, rf_runs, GTK_TYPE_WIDGET)

enum {
  ACTIVATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

typedef struct
{
  char      *directory;
  GStrv      recent_paths;
  GPtrArray *runs;    /* RfJournalSummary */
  GPtrArray *recent;  /* RfJournalSummary */
} Scan;

static void
scan_free (Scan *scan)
{
  g_free (scan->directory);
  g_strfreev (scan->recent_paths);
  g_clear_pointer (&scan->runs, g_ptr_array_unref);
  g_clear_pointer (&scan->recent, g_ptr_array_unref);
  g_free (scan);
}

static void
scan_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Scan *scan = task_data;

  scan->runs = rf_journal_list (scan->directory, MAX_RUNS, THUMBNAIL_SIZE, cancellable);
  scan->recent = g_ptr_array_new_with_free_func ((GDestroyNotify) rf_journal_summary_free);
  /* A recent file that is gone, or unreadable now, is not offered. */
  for (guint i = 0; scan->recent_paths[i] != NULL && !g_cancellable_is_cancelled (cancellable); i++)
    {
      RfJournalSummary *summary = rf_journal_read_summary (scan->recent_paths[i], THUMBNAIL_SIZE,
                                                          cancellable, NULL);

      if (summary != NULL)
        g_ptr_array_add (scan->recent, summary);
    }

  g_task_return_boolean (task, TRUE);
}

static int
compare_recent_newest_first (gconstpointer a,
                             gconstpointer b)
{
  GDateTime *ta = gtk_recent_info_get_modified (*(GtkRecentInfo * const *) a);
  GDateTime *tb = gtk_recent_info_get_modified (*(GtkRecentInfo * const *) b);

  return g_date_time_compare (tb, ta);
}

/* The recent files Refinery opened, newest first, outside the runs
 * folder (those are listed already). GtkRecentManager lives on the main
 * thread: the worker gets paths. */
static GStrv
collect_recent_paths (const char *runs_dir)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *prefix = g_strconcat (runs_dir, G_DIR_SEPARATOR_S, NULL);
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  guint n = 0;

  for (GList *l = items; l != NULL; l = l->next)
    if (gtk_recent_info_has_application (l->data, RECENT_APP_NAME))
      g_ptr_array_add (sorted, l->data);

  g_ptr_array_sort (sorted, compare_recent_newest_first);

  for (guint i = 0; i < sorted->len && n < MAX_RECENT; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (gtk_recent_info_get_uri (g_ptr_array_index (sorted, i)));
      g_autofree char *path = g_file_get_path (file);

      if (path == NULL || g_str_has_prefix (path, prefix))
        continue;

      g_strv_builder_add (builder, path);
      n++;
    }

  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);

  return g_strv_builder_end (builder);
}

/* "Failed: HTTP 401: …", kept to a line or two: the full message is in
 * the tooltip and in the run itself. */
static char *
dup_outcome_text (RfJournalSummary *info)
{
  switch (info->outcome)
    {
    case RF_JOURNAL_OUTCOME_FAILED:
      if (info->message != NULL)
        {
          /* The row shows a display copy on one line, control characters
           * written out (a server's CR/LF would forge a line of the row);
           * the tooltip has it whole. */
          g_autofree char *shortened = rf_text_shorten (info->message, RF_TEXT_SHOW_SHORT);
          g_autofree char *cut = rf_text_escape (shortened);

          /* TRANSLATORS: a run in the history list, then why it failed */
          return g_strdup_printf (_("Failed: %s"), cut);
        }
      return g_strdup (C_("run state", "Failed"));

    case RF_JOURNAL_OUTCOME_CANCELLED:
      return g_strdup (C_("run state", "Cancelled"));

    case RF_JOURNAL_OUTCOME_FINISHED:
    default:
      return NULL;
    }
}

static GtkWidget *
create_row (RfJournalSummary *info)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *thumb;
  g_autofree char *date = NULL;
  g_autofree char *frames = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  g_autofree char *outcome = dup_outcome_text (info);
  g_autofree char *tooltip = NULL;
  g_autoptr(GDateTime) local = g_date_time_to_local (info->modified);

  date = g_date_time_format (local, "%x %X");
  /* TRANSLATORS: a row of the run history: the run’s time and its number of
   * frames. A frame is one step of an image’s refinement: a partial image or
   * the final image */
  frames = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u frame", "%s · %u frames",
                                         info->n_frames),
                            date, info->n_frames);
  if (info->duration_ms >= 0)
    {
      g_autofree char *with_time = NULL;

      /* TRANSLATORS: "date · 4 frames", then the run's recorded length in seconds */
      with_time = g_strdup_printf (_("%s · %.1f s"), frames, info->duration_ms / 1000.0);
      g_free (frames);
      frames = g_steal_pointer (&with_time);
    }
  subtitle = outcome ? g_strdup_printf ("%s\n%s", frames, outcome) : g_strdup (frames);
  /* The prompt whole, wrapped (a display copy of a long one): the
   * demo's alone is two lines of the popover. */
  title = info->prompt ? rf_text_shorten (info->prompt, RF_TEXT_SHOW_SHORT) : g_path_get_basename (info->path);
  tooltip = info->message ? g_strdup_printf ("%s\n%s", info->path, info->message) : g_strdup (info->path);

  if (info->thumbnail != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (info->thumbnail);

      /* A GtkImage stays THUMBNAIL_SIZE square however tall the row
       * grows with a long failure message; a picture would widen with
       * the row's height. */
      thumb = gtk_image_new_from_paintable (GDK_PAINTABLE (texture));
      gtk_image_set_pixel_size (GTK_IMAGE (thumb), THUMBNAIL_SIZE);
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
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), thumb);
  if (info->outcome != RF_JOURNAL_OUTCOME_FINISHED)
    {
      GtkWidget *mark = gtk_image_new_from_icon_name (info->outcome == RF_JOURNAL_OUTCOME_FAILED
                                                      ? "dialog-error-symbolic"
                                                      : "process-stop-symbolic");

      gtk_widget_add_css_class (mark, info->outcome == RF_JOURNAL_OUTCOME_FAILED ? "error" : "dim-label");
      gtk_accessible_update_property (GTK_ACCESSIBLE (mark), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      info->outcome == RF_JOURNAL_OUTCOME_FAILED
                                      ? C_("run state", "Failed") : C_("run state", "Cancelled"),
                                      -1);
      gtk_widget_set_valign (mark, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), mark);
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  /* A run's prompt is its own words, not the app's. */
  gtk_widget_add_css_class (row, "rf-data");
  gtk_widget_set_tooltip_text (row, tooltip);
  g_object_set_data_full (G_OBJECT (row), "rf-path", g_strdup (info->path), g_free);

  return row;
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RfRuns *self = RF_RUNS (object);
  Scan *scan = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list runs: %s", error->message);
      return;
    }
  if (g_task_had_error (G_TASK (result)) || scan->runs == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))))
    gtk_list_box_remove (self->list_box, child);

  for (guint i = 0; i < scan->runs->len; i++)
    gtk_list_box_append (self->list_box, create_row (g_ptr_array_index (scan->runs, i)));
  for (guint i = 0; i < scan->recent->len; i++)
    {
      GtkWidget *row = create_row (g_ptr_array_index (scan->recent, i));

      g_object_set_data (G_OBJECT (row), "rf-recent", GINT_TO_POINTER (TRUE));
      gtk_list_box_append (self->list_box, row);
    }

  self->n_runs = scan->runs->len;
  self->n_recent = scan->recent->len;
  gtk_stack_set_visible_child_name (self->stack, self->n_runs + self->n_recent ? "list" : "empty");
}

/* Two sections: the runs recorded here, then the files opened. */
static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  gboolean recent = g_object_get_data (G_OBJECT (row), "rf-recent") != NULL;
  gboolean before_recent = before && g_object_get_data (G_OBJECT (before), "rf-recent") != NULL;
  GtkWidget *header = NULL;

  if (recent && (before == NULL || !before_recent))
    {
      header = gtk_label_new (_("Opened Files"));
      gtk_label_set_xalign (GTK_LABEL (header), 0.0);
      gtk_widget_add_css_class (header, "heading");
      gtk_widget_add_css_class (header, "rf-runs-header");
    }

  gtk_list_box_row_set_header (row, header);
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
  gtk_list_box_set_header_func (self->list_box, header_func, NULL, NULL);
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
  Scan *scan;

  g_return_if_fail (RF_IS_RUNS (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  scan = g_new0 (Scan, 1);
  scan->directory = self->directory ? g_strdup (self->directory) : rf_journal_dup_runs_dir ();
  scan->recent_paths = collect_recent_paths (scan->directory);

  task = g_task_new (self, self->cancellable, scan_done_cb, NULL);
  g_task_set_source_tag (task, rf_runs_reload);
  g_task_set_task_data (task, scan, (GDestroyNotify) scan_free);
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

guint
rf_runs_get_n_recent (RfRuns *self)
{
  g_return_val_if_fail (RF_IS_RUNS (self), 0);

  return self->n_recent;
}

void
rf_runs_add_recent (GFile *file)
{
  g_autofree char *uri = NULL;
  GtkRecentData data = {
    .mime_type = (char *) "text/event-stream",
    .app_name = (char *) RECENT_APP_NAME,
    .app_exec = (char *) "refinery %u",
  };

  g_return_if_fail (G_IS_FILE (file));

  uri = g_file_get_uri (file);
  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}
