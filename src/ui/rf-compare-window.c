/*
 * rf-http-test-util.h
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

#include <math.h>

#include <glib/gi18n.h>

#include "rf-compare-window-private.h"
#include "rf-convergence-plot.h"
#include "rf-file-source.h"
#include "rf-file-util.h"
#include "rf-frame.h"
#include "rf-journal.h"
#include "rf-run-summary.h"
#include "rf-session.h"

#define MAX_HISTORY  50

/* RfCompareWindow: two runs side by side, main thread only. It reads both
 * journals and measures their pairs of frames in GTask workers, fills the
 * pickers (run, image, alignment), the list of pairs, the view, the plot
 * and the summaries, and shows the pair picked. Its exports are in
 * rf-compare-window-export.c. */

G_DEFINE_FINAL_TYPE (RfCompareWindow, rf_compare_window, ADW_TYPE_WINDOW)

static void update_actions (RfCompareWindow *self);

static void
effective_lanes (RfCompareWindow *self,
                 guint           *a,
                 guint           *b)
{
  *a = self->lanes[0] != G_MAXUINT ? self->lanes[0] : self->lanes[1];
  *b = self->lanes[1] != G_MAXUINT ? self->lanes[1] : self->lanes[0];
}

static char *
frame_label (RfFrame *frame)
{
  if (frame == NULL)
    /* Translators: a run has no frame to pair with the other's */
    return g_strdup (_("none"));
  if (rf_frame_get_partial_index (frame) >= 0)
    /* Translators: a frame in the comparison: partial image index, arrival */
    return g_strdup_printf (_("partial %d, %.2f s"), (int) rf_frame_get_partial_index (frame),
                            rf_frame_get_t_ms (frame) / 1000.0);
  /* Translators: the final frame in the comparison, its arrival */
  return g_strdup_printf (_("final, %.2f s"), rf_frame_get_t_ms (frame) / 1000.0);
}

static GtkWidget *
pair_row (RfComparePair *pair)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *a = frame_label (pair->a);
  g_autofree char *b = frame_label (pair->b);
  g_autofree char *title = NULL;
  g_autofree char *measures = NULL;
  GtkWidget *label;
  GtkWidget *sub;

  if (pair->lane_b != pair->lane)
    /* TRANSLATORS: a pair of frames of two chosen images: A's image
     * number and frame, B's image number and frame */
    title = g_strdup_printf (_("A image %u, %s · B image %u, %s"), pair->lane + 1, a, pair->lane_b + 1, b);
  else
    /* Translators: a pair of frames: image number, A's frame, B's frame */
    title = g_strdup_printf (_("Image %u · A %s · B %s"), pair->lane + 1, a, b);
  label = gtk_label_new (title);

  if (pair->measured && !isnan (pair->ssim))
    /* Translators: how far apart two frames are: mean difference, SSIM */
    measures = g_strdup_printf (_("difference %.2f · SSIM %.3f"), pair->diff, pair->ssim);
  else if (pair->measured)
    measures = g_strdup_printf (_("difference %.2f"), pair->diff);
  else
    measures = g_strdup (_("not compared"));
  sub = gtk_label_new (measures);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_add_css_class (sub, "caption");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), sub);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  return box;
}

static char *
format_ms (gint64 ms)
{
  if (ms < 0)
    return g_strdup ("—");
  return g_strdup_printf (_("%.2f s"), ms / 1000.0);
}

static char *
format_cost (const RfRunSummary *s)
{
  if (s->has_cost)
    return g_strdup_printf ("$%.4f", s->cost);
  if (s->has_estimate)
    /* Translators: an estimated cost in US dollars */
    return g_strdup_printf (_("≈ $%.4f (estimate)"), s->estimate);
  return g_strdup ("—");
}

static void
add_summary_row (RfCompareWindow *self,
                 int              row,
                 const char      *label,
                 char            *a,
                 char            *b)
{
  const char *texts[3] = { label, a, b };

  for (int col = 0; col < 3; col++)
    {
      GtkWidget *cell = gtk_label_new (texts[col]);

      gtk_label_set_xalign (GTK_LABEL (cell), col == 0 ? 0 : 1);
      gtk_widget_add_css_class (cell, col == 0 ? "dim-label" : "numeric");
      if (row == 0)
        gtk_widget_add_css_class (cell, "heading");
      gtk_grid_attach (self->summary_grid, cell, col, row, 1, 1);
    }
  g_free (a);
  g_free (b);
}

static void
fill_summaries (RfCompareWindow *self)
{
  g_autoptr(RfRunSummary) sa = rf_run_summary_new (self->sessions[0]);
  g_autoptr(RfRunSummary) sb = rf_run_summary_new (self->sessions[1]);
  GtkWidget *child;
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->summary_grid))))
    gtk_grid_remove (self->summary_grid, child);

  add_summary_row (self, row++, "", g_strdup ("A"), g_strdup ("B"));
  add_summary_row (self, row++, _("First partial"), format_ms (sa->first_partial_ms), format_ms (sb->first_partial_ms));
  add_summary_row (self, row++, _("Final"), format_ms (sa->final_ms), format_ms (sb->final_ms));
  add_summary_row (self, row++, _("Frames"), g_strdup_printf ("%u", sa->n_frames), g_strdup_printf ("%u", sb->n_frames));
  /* TRANSLATORS: column title in the Compare Runs window: how many partial
   * images a run has. A partial image is a blurry preview the server streams
   * before the final image */
  add_summary_row (self, row++, _("Partials"), g_strdup_printf ("%u", sa->n_partials), g_strdup_printf ("%u", sb->n_partials));
  add_summary_row (self, row++, _("Received"), g_format_size (sa->bytes_received), g_format_size (sb->bytes_received));
  add_summary_row (self, row++, _("Cost"), format_cost (sa), format_cost (sb));
}

typedef struct
{
  GdkPixbuf *a;
  GdkPixbuf *b;
  GdkPixbuf *difference;
} Shown;

static void
shown_free (Shown *shown)
{
  g_clear_object (&shown->a);
  g_clear_object (&shown->b);
  g_clear_object (&shown->difference);
  g_free (shown);
}

static void
decode_pair_worker (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  RfComparePair *pair = task_data;
  Shown *shown = g_new0 (Shown, 1);

  if (pair->a != NULL && rf_frame_get_decode_status (pair->a) == RF_DECODE_OK)
    shown->a = rf_frame_decode_pixbuf (pair->a, NULL);
  if (pair->b != NULL && rf_frame_get_decode_status (pair->b) == RF_DECODE_OK)
    shown->b = rf_frame_decode_pixbuf (pair->b, NULL);
  if (shown->a != NULL && shown->b != NULL && !g_cancellable_is_cancelled (cancellable))
    shown->difference = rf_compare_difference_pixbuf (shown->a, shown->b);

  g_task_return_pointer (task, shown, (GDestroyNotify) shown_free);
}

static void
decode_pair_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  RfCompareWindow *self = RF_COMPARE_WINDOW (object);
  Shown *shown = g_task_propagate_pointer (G_TASK (result), NULL);

  if (shown == NULL)
    return;
  if (!g_task_had_error (G_TASK (result)) && !g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    rf_compare_view_set_images (self->view, shown->a, shown->b, shown->difference);
  shown_free (shown);
}

static void
show_pair (RfCompareWindow *self,
           guint            index)
{
  g_autoptr(GTask) task = NULL;
  RfComparePair *pair;

  if (self->pairs == NULL || index >= self->pairs->len)
    return;

  pair = g_ptr_array_index (self->pairs, index);
  if (self->show_cancellable != NULL)
    g_cancellable_cancel (self->show_cancellable);
  g_clear_object (&self->show_cancellable);
  self->show_cancellable = g_cancellable_new ();

  /* The pairs outlive the task: the array is kept alive with it. */
  task = g_task_new (self, self->show_cancellable, decode_pair_done_cb, NULL);
  g_task_set_source_tag (task, show_pair);
  g_task_set_task_data (task, pair, NULL);
  g_object_set_data_full (G_OBJECT (task), "rf-pairs", g_ptr_array_ref (self->pairs),
                          (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, decode_pair_worker);
}

static void
pair_selected_cb (RfCompareWindow *self,
                  GtkListBoxRow   *row,
                  GtkListBox      *list)
{
  if (row != NULL)
    show_pair (self, gtk_list_box_row_get_index (row));
}

static void
measure_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GPtrArray *pairs = task_data;

  for (guint i = 0; i < pairs->len; i++)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      rf_compare_measure (g_ptr_array_index (pairs, i));
    }

  g_task_return_boolean (task, TRUE);
}

static void
measure_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RfCompareWindow *self = RF_COMPARE_WINDOW (object);
  GPtrArray *pairs = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return;

  g_clear_pointer (&self->pairs, g_ptr_array_unref);
  self->pairs = g_ptr_array_ref (pairs);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pairs_list))))
    gtk_list_box_remove (self->pairs_list, child);
  for (guint i = 0; i < pairs->len; i++)
    gtk_list_box_append (self->pairs_list, pair_row (g_ptr_array_index (pairs, i)));

  fill_summaries (self);
  rf_convergence_plot_set_session (self->plot, self->sessions[0]);
  rf_convergence_plot_set_compare_session (self->plot, self->sessions[1]);
  {
    guint a, b;

    effective_lanes (self, &a, &b);
    rf_convergence_plot_set_lanes (self->plot, a, b);
  }

  self->ready = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "compare");
  update_actions (self);
  if (pairs->len > 0)
    gtk_list_box_select_row (self->pairs_list, gtk_list_box_get_row_at_index (self->pairs_list, 0));
}

/* The image pickers offer "All Images" and each image of their run. The
 * list is grown or cut in place: a picker's model is never replaced while
 * its own selection is being changed. */
static void
fill_lane_picker (RfCompareWindow *self,
                  guint            k)
{
  GtkDropDown *drop = k == 0 ? self->a_lane_drop : self->b_lane_drop;
  GtkStringList *names = GTK_STRING_LIST (gtk_drop_down_get_model (drop));
  guint n = g_list_model_get_n_items (rf_session_get_lanes (self->sessions[k]));
  guint selected = self->lanes[k] == G_MAXUINT ? 0 : self->lanes[k] + 1;
  guint wanted = 1 + MAX (n, selected);
  guint have = g_list_model_get_n_items (G_LIST_MODEL (names));

  self->filling = TRUE;
  if (have > wanted)
    gtk_string_list_splice (names, wanted, have - wanted, NULL);
  for (guint l = have; l < wanted; l++)
    {
      /* TRANSLATORS: an entry of the image picker; images are numbered
       * from 1 as in the timeline */
      g_autofree char *name = g_strdup_printf (_("Image %u"), l);

      gtk_string_list_append (names, name);
    }
  if (gtk_drop_down_get_selected (drop) != selected)
    gtk_drop_down_set_selected (drop, selected);
  self->filling = FALSE;
}

/* A chosen image the run does not have is said on the status page, not
 * shown as an empty comparison. */
static gboolean
check_lanes (RfCompareWindow *self)
{
  guint lanes[2];

  effective_lanes (self, &lanes[0], &lanes[1]);
  for (guint k = 0; k < 2; k++)
    {
      guint n = g_list_model_get_n_items (rf_session_get_lanes (self->sessions[k]));

      if (lanes[k] != G_MAXUINT && lanes[k] >= n)
        {
          g_autofree char *text = NULL;

          /* TRANSLATORS: %s is the run, A or B */
          text = g_strdup_printf (ngettext ("Run %s has %u image: there is no image %u. Choose another image above.",
                                            "Run %s has %u images: there is no image %u. Choose another image above.",
                                            n),
                                  k == 0 ? "A" : "B", n, lanes[k] + 1);
          adw_status_page_set_description (self->status_page, text);
          gtk_stack_set_visible_child_name (self->stack, "loading");
          return FALSE;
        }
    }

  return TRUE;
}

static void
start_measuring (RfCompareWindow *self)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *pairs;
  guint lane_a, lane_b;

  self->ready = FALSE;
  update_actions (self);
  if (!check_lanes (self))
    return;
  effective_lanes (self, &lane_a, &lane_b);
  if (lane_a == G_MAXUINT)
    pairs = rf_compare_pair_sessions (self->sessions[0], self->sessions[1], self->align);
  else
    pairs = rf_compare_pair_chosen_lanes (self->sessions[0], lane_a, self->sessions[1], lane_b, self->align);
  task = g_task_new (self, self->cancellable, measure_done_cb, NULL);
  g_task_set_source_tag (task, start_measuring);
  g_task_set_task_data (task, pairs, (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, measure_worker);
}

static void
session_finished_cb (RfCompareWindow *self,
                     RfSession       *session)
{
  if (self->sessions[0] == NULL || self->sessions[1] == NULL ||
      !rf_session_get_finished (self->sessions[0]) || !rf_session_get_finished (self->sessions[1]))
    return;

  fill_lane_picker (self, 0);
  fill_lane_picker (self, 1);
  start_measuring (self);
}

static void
lane_picked_cb (RfCompareWindow *self)
{
  guint a = gtk_drop_down_get_selected (self->a_lane_drop);
  guint b = gtk_drop_down_get_selected (self->b_lane_drop);

  if (self->filling || a == GTK_INVALID_LIST_POSITION || b == GTK_INVALID_LIST_POSITION)
    return;

  rf_compare_window_set_lanes (self, a ? a - 1 : G_MAXUINT, b ? b - 1 : G_MAXUINT);
}

static void
align_changed_cb (RfCompareWindow *self)
{
  RfCompareAlign align = gtk_drop_down_get_selected (self->align_drop) == 1
                         ? RF_COMPARE_ALIGN_TIME : RF_COMPARE_ALIGN_INDEX;

  rf_compare_window_set_align (self, align);
}

static void
mode_toggled_cb (RfCompareWindow *self,
                 GtkToggleButton *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;

  if (button == self->wipe_button)
    rf_compare_view_set_mode (self->view, RF_COMPARE_VIEW_WIPE);
  else if (button == self->difference_button)
    rf_compare_view_set_mode (self->view, RF_COMPARE_VIEW_DIFFERENCE);
  else
    rf_compare_view_set_mode (self->view, RF_COMPARE_VIEW_SIDE_BY_SIDE);
}

static void
picked_cb (RfCompareWindow *self)
{
  guint a = gtk_drop_down_get_selected (self->a_drop);
  guint b = gtk_drop_down_get_selected (self->b_drop);
  g_autoptr(GFile) fa = NULL;
  g_autoptr(GFile) fb = NULL;

  if (self->filling || self->history == NULL || a >= self->history->len || b >= self->history->len)
    return;

  fa = g_file_new_for_path (g_ptr_array_index (self->history, a));
  fb = g_file_new_for_path (g_ptr_array_index (self->history, b));
  rf_compare_window_open (self, fa, fb);
}

static void
list_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autofree char *dir = rf_journal_dup_runs_dir ();

  g_task_return_pointer (task, rf_journal_list (dir, MAX_HISTORY, 16, cancellable),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
list_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RfCompareWindow *self = RF_COMPARE_WINDOW (object);
  g_autoptr(GPtrArray) journals = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *wanted = self->wanted_a ? g_file_get_path (self->wanted_a) : NULL;
  guint a = 0;

  if (journals == NULL)
    return;

  g_clear_pointer (&self->history, g_ptr_array_unref);
  self->history = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < journals->len; i++)
    {
      RfJournalSummary *j = g_ptr_array_index (journals, i);
      g_autofree char *when = j->modified ? g_date_time_format (j->modified, "%Y-%m-%d %H:%M") : g_strdup ("");
      g_autofree char *base = g_path_get_basename (j->path);
      g_autofree char *name = NULL;

      /* Translators: a run in the compare window's pickers: date, then
       * its prompt (or its file's name) */
      name = g_strdup_printf (_("%s · %s"), when, j->prompt ? j->prompt : base);
      /* Two pickers and the pairing fit in a narrow window. */
      if (g_utf8_strlen (name, -1) > 40)
        {
          char *cut = g_strdup_printf ("%.*s…", (int) (g_utf8_offset_to_pointer (name, 39) - name), name);

          g_free (name);
          name = cut;
        }
      gtk_string_list_append (names, name);
      g_ptr_array_add (self->history, g_strdup (j->path));
      if (wanted != NULL && g_strcmp0 (wanted, j->path) == 0)
        a = i;
    }

  self->filling = TRUE;
  gtk_drop_down_set_model (self->a_drop, G_LIST_MODEL (names));
  gtk_drop_down_set_model (self->b_drop, G_LIST_MODEL (names));
  self->filling = FALSE;

  if (self->history->len < 2)
    {
      adw_status_page_set_description (self->status_page,
                                       /* TRANSLATORS: A run is one stream
                                        * followed from start to end, kept in
                                        * the history */
                                       _("The history needs two runs to compare: generate, open or watch another."));
      return;
    }

  self->filling = TRUE;
  gtk_drop_down_set_selected (self->a_drop, a);
  gtk_drop_down_set_selected (self->b_drop, a == 0 ? 1 : 0);
  self->filling = FALSE;
  picked_cb (self);
}

static void
update_actions (RfCompareWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.export-grid", self->ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.export-json", self->ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), self->ready);
}

static void
rf_compare_window_dispose (GObject *object)
{
  RfCompareWindow *self = RF_COMPARE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->show_cancellable != NULL)
    g_cancellable_cancel (self->show_cancellable);
  for (guint k = 0; k < 2; k++)
    {
      if (self->sessions[k] != NULL)
        {
          g_signal_handlers_disconnect_by_data (self->sessions[k], self);
          rf_session_cancel (self->sessions[k]);
        }
      g_clear_object (&self->sessions[k]);
      g_clear_object (&self->files[k]);
    }
  g_clear_pointer (&self->pairs, g_ptr_array_unref);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_object (&self->wanted_a);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->show_cancellable);

  G_OBJECT_CLASS (rf_compare_window_parent_class)->dispose (object);
}

static void
rf_compare_window_class_init (RfCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_compare_window_dispose;

  g_type_ensure (RF_TYPE_COMPARE_VIEW);
  g_type_ensure (RF_TYPE_CONVERGENCE_PLOT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/rf-compare-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, a_drop);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, b_drop);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, a_lane_drop);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, b_lane_drop);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, align_drop);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, side_button);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, wipe_button);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, difference_button);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, pairs_list);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, view);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, plot);
  gtk_widget_class_bind_template_child (widget_class, RfCompareWindow, summary_grid);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, pair_selected_cb);

  gtk_widget_class_install_action (widget_class, "compare.export-grid", NULL, _rf_compare_window_export_action);
  gtk_widget_class_install_action (widget_class, "compare.export-json", NULL, _rf_compare_window_export_action);
}

static void
rf_compare_window_init (RfCompareWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->lanes[0] = self->lanes[1] = G_MAXUINT;

  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->align_drop, "notify::selected", G_CALLBACK (align_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->a_drop, "notify::selected", G_CALLBACK (picked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->b_drop, "notify::selected", G_CALLBACK (picked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->a_lane_drop, "notify::selected", G_CALLBACK (lane_picked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->b_lane_drop, "notify::selected", G_CALLBACK (lane_picked_cb), self, G_CONNECT_SWAPPED);
  update_actions (self);
}

RfCompareWindow *
rf_compare_window_new (void)
{
  return g_object_new (RF_TYPE_COMPARE_WINDOW, NULL);
}

void
rf_compare_window_open (RfCompareWindow *self,
                        GFile           *a,
                        GFile           *b)
{
  GFile *files[2] = { a, b };

  g_return_if_fail (RF_IS_COMPARE_WINDOW (self));
  g_return_if_fail (G_IS_FILE (a) && G_IS_FILE (b));

  /* Whatever was being read or measured is dropped. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->ready = FALSE;
  gtk_stack_set_visible_child_name (self->stack, "loading");
  /* TRANSLATORS: the Compare Runs window while it loads. A run is one stream
   * followed from start to end, kept in the history */
  adw_status_page_set_description (self->status_page, _("Reading both runs…"));

  /* Opened directly (not picked from the history): the pickers name the
   * two files rather than showing nothing. */
  if (self->history == NULL)
    for (guint k = 0; k < 2; k++)
      {
        g_autofree char *name = g_file_get_basename (files[k]);
        const char *names[] = { name, NULL };
        g_autoptr(GtkStringList) list = gtk_string_list_new (names);

        self->filling = TRUE;
        gtk_drop_down_set_model (k == 0 ? self->a_drop : self->b_drop, G_LIST_MODEL (list));
        self->filling = FALSE;
      }

  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(RfSource) source = rf_file_source_new (files[k]);

      if (self->sessions[k] != NULL)
        {
          g_signal_handlers_disconnect_by_data (self->sessions[k], self);
          rf_session_cancel (self->sessions[k]);
        }
      g_set_object (&self->files[k], files[k]);
      g_clear_object (&self->sessions[k]);
      self->sessions[k] = rf_session_new ();
      rf_session_set_analyze (self->sessions[k], TRUE);
      /* Pixels are decoded per pair shown: none kept here. */
      rf_session_set_pixel_cache_size (self->sessions[k], 0);
      g_signal_connect_object (self->sessions[k], "finished", G_CALLBACK (session_finished_cb),
                               self, G_CONNECT_SWAPPED);
      rf_session_start (self->sessions[k], source);
    }
  update_actions (self);
}

void
rf_compare_window_pick (RfCompareWindow *self,
                        GFile           *a)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RF_IS_COMPARE_WINDOW (self));

  g_set_object (&self->wanted_a, a);
  task = g_task_new (self, self->cancellable, list_done_cb, NULL);
  g_task_set_source_tag (task, rf_compare_window_pick);
  g_task_run_in_thread (task, list_worker);
}

void
rf_compare_window_set_align (RfCompareWindow *self,
                             RfCompareAlign   align)
{
  g_return_if_fail (RF_IS_COMPARE_WINDOW (self));

  if (self->align == align)
    return;
  self->align = align;
  if (gtk_drop_down_get_selected (self->align_drop) != (align == RF_COMPARE_ALIGN_TIME ? 1u : 0u))
    gtk_drop_down_set_selected (self->align_drop, align == RF_COMPARE_ALIGN_TIME ? 1 : 0);
  if (self->sessions[0] != NULL && self->sessions[1] != NULL &&
      rf_session_get_finished (self->sessions[0]) && rf_session_get_finished (self->sessions[1]))
    start_measuring (self);
}

void
rf_compare_window_set_lanes (RfCompareWindow *self,
                             guint            lane_a,
                             guint            lane_b)
{
  g_return_if_fail (RF_IS_COMPARE_WINDOW (self));

  if (self->lanes[0] == lane_a && self->lanes[1] == lane_b)
    return;
  self->lanes[0] = lane_a;
  self->lanes[1] = lane_b;
  if (self->sessions[0] != NULL && self->sessions[1] != NULL &&
      rf_session_get_finished (self->sessions[0]) && rf_session_get_finished (self->sessions[1]))
    {
      fill_lane_picker (self, 0);
      fill_lane_picker (self, 1);
      start_measuring (self);
    }
}

gboolean
rf_compare_window_get_ready (RfCompareWindow *self)
{
  g_return_val_if_fail (RF_IS_COMPARE_WINDOW (self), FALSE);

  return self->ready;
}

GPtrArray *
rf_compare_window_get_pairs (RfCompareWindow *self)
{
  g_return_val_if_fail (RF_IS_COMPARE_WINDOW (self), NULL);

  return self->ready ? self->pairs : NULL;
}

RfSession *
rf_compare_window_get_session (RfCompareWindow *self,
                               guint            which)
{
  g_return_val_if_fail (RF_IS_COMPARE_WINDOW (self), NULL);
  g_return_val_if_fail (which < 2, NULL);

  return self->sessions[which];
}

void
rf_compare_window_select_pair (RfCompareWindow *self,
                               guint            index)
{
  GtkListBoxRow *row;

  g_return_if_fail (RF_IS_COMPARE_WINDOW (self));

  if ((row = gtk_list_box_get_row_at_index (self->pairs_list, index)))
    gtk_list_box_select_row (self->pairs_list, row);
}

RfCompareView *
rf_compare_window_get_view (RfCompareWindow *self)
{
  g_return_val_if_fail (RF_IS_COMPARE_WINDOW (self), NULL);

  return self->view;
}

char *
rf_compare_window_dup_summary_text (RfCompareWindow *self)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (RF_IS_COMPARE_WINDOW (self), NULL);

  for (int row = 0; gtk_grid_get_child_at (self->summary_grid, 0, row); row++)
    for (int col = 0; col < 3; col++)
      {
        GtkWidget *cell = gtk_grid_get_child_at (self->summary_grid, col, row);

        g_string_append (s, cell ? gtk_label_get_label (GTK_LABEL (cell)) : "");
        g_string_append_c (s, col < 2 ? '|' : '\n');
      }

  return g_string_free (s, FALSE);
}
