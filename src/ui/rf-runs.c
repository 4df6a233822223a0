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
#include <json-glib/json-glib.h>

#include "rf-assembler.h"
#include "rf-base64.h"
#include "rf-event.h"
#include "rf-image.h"
#include "rf-recorder.h"
#include "rf-runs.h"
#include "rf-sse-parser.h"

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

typedef struct
{
  char      *path;
  GDateTime *modified;
  char      *prompt;
  guint      n_frames;
  GdkPixbuf *thumbnail;
} RunInfo;

typedef struct
{
  RfAssembler *assembler;
  GBytes      *last_b64;
  guint        n_frames;
} ScanState;

static void
run_info_free (gpointer data)
{
  RunInfo *info = data;

  g_free (info->path);
  g_clear_pointer (&info->modified, g_date_time_unref);
  g_free (info->prompt);
  g_clear_object (&info->thumbnail);
  g_free (info);
}

static void
scan_frame_added (RfFrame  *frame,
                  GBytes   *b64,
                  gpointer  user_data)
{
  ScanState *state = user_data;

  state->n_frames++;
  if (b64 != NULL)
    {
      g_clear_pointer (&state->last_b64, g_bytes_unref);
      state->last_b64 = g_bytes_ref (b64);
    }
}

/* The assembler calls every sink function: the others are no-ops here. */
static void
scan_lane_added (RfLane   *lane,
                 gpointer  user_data)
{
}

static void
scan_diagnostic (RfDiagnostic *diagnostic,
                 gpointer      user_data)
{
}

static void
scan_revised_prompt (RfLane     *lane,
                     const char *revised_prompt,
                     gpointer    user_data)
{
}

static void
scan_string (const char *text,
             gpointer    user_data)
{
}

static void
scan_event (RfSseParser *parser,
            const char  *event_type,
            const char  *data,
            gsize        data_len,
            const char  *id,
            gpointer     user_data)
{
  ScanState *state = user_data;
  g_autoptr(RfEvent) event = NULL;

  event = rf_event_new_from_sse (event_type, rf_sse_parser_steal_data (parser), id, 0);
  rf_assembler_push (state->assembler, event);
}

/* A request sidecar is a few kilobytes; anything much bigger is not one. */
#define MAX_SIDECAR_SIZE (1024 * 1024)

static char *
prompt_from_sidecar (const char *journal)
{
  g_autofree char *sidecar = rf_recorder_dup_sidecar_path (journal);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GMappedFile) mapped = NULL;
  const char *text;
  gsize len;
  JsonObject *root;
  JsonObject *body;
  JsonNode *node;

  /* The history reads every sidecar in the folder: an oversized or deeply
   * nested one (json-glib recurses once per level, and this runs on a
   * worker thread's stack) is skipped, not parsed. */
  mapped = g_mapped_file_new (sidecar, FALSE, NULL);
  if (mapped == NULL)
    return NULL;
  text = g_mapped_file_get_contents (mapped);
  len = g_mapped_file_get_length (mapped);
  if (text == NULL || len > MAX_SIDECAR_SIZE ||
      !rf_json_safe_to_parse (text, len, RF_JSON_MAX_DEPTH) ||
      !json_parser_load_from_data (parser, text, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "body") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "body")))
    return NULL;

  body = json_object_get_object_member (root, "body");
  /* Images API: "prompt"; Responses API: "input" as a string. */
  if ((node = json_object_get_member (body, "prompt")) && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if ((node = json_object_get_member (body, "input")) && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return NULL;
}

static void
scan_journal (RunInfo      *info,
              GCancellable *cancellable)
{
  static const RfAssemblerSink sink = {
    .lane_added = scan_lane_added,
    .frame_added = scan_frame_added,
    .diagnostic = scan_diagnostic,
    .revised_prompt = scan_revised_prompt,
    .response_id = scan_string,
    .failure = scan_string,
  };
  g_autoptr(GFile) file = g_file_new_for_path (info->path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(RfSseParser) parser = NULL;
  g_autofree guint8 *buf = g_malloc (64 * 1024);
  ScanState state = { 0 };
  gssize n;

  info->prompt = prompt_from_sidecar (info->path);

  if (!(stream = g_file_read (file, cancellable, NULL)))
    return;

  state.assembler = rf_assembler_new (&sink, &state);
  parser = rf_sse_parser_new (scan_event, NULL, NULL, &state);
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buf, 64 * 1024, cancellable, NULL)) > 0)
    rf_sse_parser_push (parser, buf, n);
  rf_assembler_finish (state.assembler, rf_sse_parser_finish (parser));
  info->n_frames = state.n_frames;

  if (state.last_b64 != NULL)
    {
      RfDecodeLimits limits;
      g_autoptr(GBytes) encoded = NULL;
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      gsize len;
      const char *b64 = g_bytes_get_data (state.last_b64, &len);

      rf_decode_limits_init_default (&limits);
      if ((encoded = rf_base64_decode_bytes (b64, len, limits.max_encoded_bytes, NULL)) &&
          (pixbuf = rf_image_decode (encoded, &limits, NULL)))
        {
          int w = gdk_pixbuf_get_width (pixbuf);
          int h = gdk_pixbuf_get_height (pixbuf);
          double scale = (double) THUMBNAIL_SIZE / MAX (w, h);

          info->thumbnail = gdk_pixbuf_scale_simple (pixbuf,
                                                     MAX (1, (int) (w * scale)),
                                                     MAX (1, (int) (h * scale)),
                                                     GDK_INTERP_BILINEAR);
        }
    }

  g_clear_pointer (&state.last_b64, g_bytes_unref);
  rf_assembler_free (state.assembler);
}

static int
compare_runs (gconstpointer a,
              gconstpointer b)
{
  const RunInfo *ra = *(RunInfo **) a;
  const RunInfo *rb = *(RunInfo **) b;

  return -g_date_time_compare (ra->modified, rb->modified);
}

static void
scan_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *directory = task_data;
  g_autoptr(GFile) dir = g_file_new_for_path (directory);
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (run_info_free);
  GFileInfo *file_info;

  enumerator = g_file_enumerate_children (dir,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                          G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  while (enumerator != NULL &&
         (file_info = g_file_enumerator_next_file (enumerator, cancellable, NULL)))
    {
      const char *name = g_file_info_get_name (file_info);

      if (g_str_has_suffix (name, ".sse"))
        {
          RunInfo *info = g_new0 (RunInfo, 1);

          info->path = g_build_filename (directory, name, NULL);
          info->modified = g_file_info_get_modification_date_time (file_info);
          if (info->modified == NULL)
            info->modified = g_date_time_new_now_utc ();
          g_ptr_array_add (runs, info);
        }
      g_object_unref (file_info);
    }

  g_ptr_array_sort (runs, compare_runs);
  if (runs->len > MAX_RUNS)
    g_ptr_array_set_size (runs, MAX_RUNS);

  for (guint i = 0; i < runs->len; i++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      scan_journal (g_ptr_array_index (runs, i), cancellable);
    }

  g_task_return_pointer (task, g_steal_pointer (&runs), (GDestroyNotify) g_ptr_array_unref);
}

static GtkWidget *
create_row (RunInfo *info)
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

  directory = self->directory ? g_strdup (self->directory) : rf_recorder_dup_runs_dir ();

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
