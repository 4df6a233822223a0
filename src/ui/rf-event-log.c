/*
 * rf-event-log.c
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

#define G_LOG_DOMAIN "rf-event-log"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rf-sched.h"
#include "rf-event.h"
#include "rf-event-log-private.h"
#include "rf-frame.h"

/* RfEventLog: every event of the run in a column view, filtered by type
 * and search, sorted by any column, following the run (new rows in the
 * window pacer's frames, scrolled to) and kept in step with the selected
 * frame both ways; copy from the selected row. Main thread only. What
 * each cell shows, the sorting and the filter are in
 * rf-event-log-columns.c. */

G_DEFINE_FINAL_TYPE (RfEventLog, rf_event_log, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLLOW,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
update_count (RfEventLog *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->batch));
  g_autofree char *text = NULL;

  if (shown == total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", total), total);
  else
    /* Translators: events shown of all events */
    text = g_strdup_printf (_("%u of %u"), shown, total);

  gtk_label_set_label (self->count_label, text);
  /* An empty list says why when a filter hides every event. */
  gtk_widget_set_visible (self->placeholder_label, shown == 0 && total > 0);
}

static void
scroll_to_end (RfEventLog *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->scroll_to_end_pending = FALSE;
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
}

/* Rows just added are not laid out yet, so the adjustment does not reach
 * them. Rows have one height, so the end they make is known from the
 * @shown rows laid out before them: it is scrolled to in the frame that
 * lays them out, not in a frame of its own. */
static void
scroll_to_new_end (RfEventLog *self,
                   guint       shown)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  double upper = gtk_adjustment_get_upper (adj);
  double page = gtk_adjustment_get_page_size (adj);

  /* Nothing laid out yet to take a row's height from: once they are. */
  if (shown == 0 || upper <= 0)
    {
      self->scroll_to_end_pending = TRUE;
      rf_pacer_queue_rows (self->pacer);
      return;
    }

  self->scroll_to_end_pending = FALSE;
  upper = upper / shown * n;
  gtk_adjustment_configure (adj, MAX (0, upper - page),
                            gtk_adjustment_get_lower (adj), upper,
                            gtk_adjustment_get_step_increment (adj),
                            gtk_adjustment_get_page_increment (adj),
                            page);
}

/* New events come in batches, at most ten a second, in the window
 * pacer's frames for rows: each appended row would otherwise lay the
 * whole window out again. Rows added out of those frames (a run that
 * ends, a new run) are scrolled to in the next one, once the list view
 * has allocated them (moving the adjustment before the list view laid
 * out a changed model makes it lose its anchor). */
static void
queue_rows (RfEventLog *self)
{
  if (self->pacer != NULL)
    rf_pacer_queue_rows (self->pacer);
  else
    rf_batch_model_flush (self->batch);
}

static void
queue_scroll_to_end (RfEventLog *self)
{
  self->scroll_to_end_pending = TRUE;
  queue_rows (self);
}

/* GTK 4.8 has no gtk_column_view_scroll_to(): rows have one height, so
 * the adjustment (which scrolls the rows under a fixed header) gives the
 * row's place. */
static gboolean
scroll_to_row_cb (gpointer user_data)
{
  RfEventLog *self = user_data;
  guint row = self->scroll_row;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  double upper = gtk_adjustment_get_upper (adj);
  double page = gtk_adjustment_get_page_size (adj);
  double value = gtk_adjustment_get_value (adj);
  double row_height;
  double y;

  self->scroll_row_source = 0;

  if (row >= n || upper <= page || page <= 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return G_SOURCE_REMOVE;

  row_height = upper / n;
  y = row * row_height;

  if (y < value)
    gtk_adjustment_set_value (adj, y);
  else if (y + row_height > value + page)
    gtk_adjustment_set_value (adj, MIN (y + row_height - page, upper - page));

  return G_SOURCE_REMOVE;
}

/* Later, as the end: moving the adjustment before the list view laid out
 * a changed model makes it lose its anchor. */
static void
scroll_to_row (RfEventLog *self,
               guint       row)
{
  self->scroll_row = row;
  if (self->scroll_row_source == 0)
    self->scroll_row_source = g_timeout_add (30, scroll_to_row_cb, self);
}

static RfEvent *
get_selected_event (RfEventLog *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
select_event_position (RfEventLog *self,
                       guint       event_position)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfEvent) event = g_list_model_get_item (model, i);

      if (rf_event_get_position (event) == event_position)
        {
          self->syncing = TRUE;
          gtk_single_selection_set_selected (self->selection, i);
          self->syncing = FALSE;
          if (self->session == NULL || !rf_session_get_follow (self->session))
            scroll_to_row (self, i);
          return;
        }
    }

  /* Its batch has not come yet: selected when it does. */
  if (event_position >= g_list_model_get_n_items (G_LIST_MODEL (self->batch)))
    {
      self->pending_select = event_position;
      self->has_pending_select = TRUE;
    }
}

static void
select_frame_event (RfEventLog *self)
{
  RfFrame *frame = self->session ? rf_session_get_selected_frame (self->session) : NULL;
  RfEvent *current = get_selected_event (self);

  if (frame == NULL)
    return;
  if (current != NULL && rf_event_get_position (current) == rf_frame_get_event_position (frame))
    return;

  select_event_position (self, rf_frame_get_event_position (frame));
}

static void
session_selected_frame_cb (RfEventLog *self,
                           GParamSpec *pspec,
                           RfSession  *session)
{
  /* Following a live run, the selection moves with every frame that
   * arrives, and moving it restyles two rows and lays the window out
   * again. The log catches up at the pace it takes new events instead. */
  if (rf_session_is_following_live (session))
    {
      self->live_select_pending = TRUE;
      queue_rows (self);
      return;
    }

  self->live_select_pending = FALSE;
  select_frame_event (self);
}

static void
events_changed_cb (RfEventLog *self,
                   guint       position,
                   guint       removed,
                   guint       added,
                   GListModel *events)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(RfEvent) event = g_list_model_get_item (events, i);
      const char *name = _rf_event_log_type_name (event);

      if (name != NULL && !g_hash_table_contains (self->seen_types, name))
        {
          g_hash_table_add (self->seen_types, g_strdup (name));
          gtk_string_list_append (self->types, name);
        }
    }

  update_count (self);

  if (self->follow && added > 0 && !self->taking_rows)
    queue_scroll_to_end (self);

  if (self->has_pending_select && self->pending_select < position + added)
    {
      self->has_pending_select = FALSE;
      select_event_position (self, self->pending_select);
    }
}

static void
session_finished_cb (RfEventLog *self)
{
  rf_batch_model_flush (self->batch);
  self->live_select_pending = FALSE;
  select_frame_event (self);
}

static void
pacer_rows_cb (RfEventLog *self,
               RfPacer    *pacer)
{
  gint64 start = g_get_monotonic_time ();
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (self->scroll_to_end_pending && self->follow)
    scroll_to_end (self);

  self->taking_rows = TRUE;
  rf_batch_model_flush (self->batch);
  self->taking_rows = FALSE;
  if (self->follow && g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > shown)
    scroll_to_new_end (self, shown);

  if (self->live_select_pending)
    {
      self->live_select_pending = FALSE;
      select_frame_event (self);
    }

  rf_stall_monitor_add_phase ("event log", g_get_monotonic_time () - start);
}

static void
rf_event_log_root (GtkWidget *widget)
{
  RfEventLog *self = RF_EVENT_LOG (widget);

  GTK_WIDGET_CLASS (rf_event_log_parent_class)->root (widget);

  self->pacer = rf_pacer_connect (widget, "rows", G_CALLBACK (pacer_rows_cb));
  if (rf_batch_model_has_pending (self->batch) || self->live_select_pending)
    rf_pacer_queue_rows (self->pacer);
}

static void
rf_event_log_unroot (GtkWidget *widget)
{
  RfEventLog *self = RF_EVENT_LOG (widget);

  rf_pacer_disconnect (&self->pacer, widget);

  GTK_WIDGET_CLASS (rf_event_log_parent_class)->unroot (widget);
}

static void
selection_changed_cb (RfEventLog        *self,
                      guint              position,
                      guint              n_items,
                      GtkSelectionModel *selection)
{
  RfEvent *event;
  GListModel *frames;
  guint n;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "event-log.copy-json",
                                 get_selected_event (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "event-log.copy-summary",
                                 get_selected_event (self) != NULL);

  if (self->syncing || self->session == NULL || !(event = get_selected_event (self)))
    return;

  frames = rf_session_get_frames (self->session);
  n = g_list_model_get_n_items (frames);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);

      if (rf_frame_get_event_position (frame) == rf_event_get_position (event))
        {
          rf_session_set_selected_frame (self->session, frame);
          break;
        }
    }
}

static void
type_selected_cb (RfEventLog  *self,
                  GParamSpec  *pspec,
                  GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  const char *name = NULL;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    name = gtk_string_list_get_string (self->types, selected);

  g_free (self->type_filter);
  self->type_filter = g_strdup (name);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

static void
search_changed_cb (RfEventLog     *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_free (self->search_text);
  self->search_text = (text && *text) ? g_utf8_casefold (text, -1) : NULL;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

static void
copy_selected (RfEventLog *self,
               gboolean    json)
{
  RfEvent *event = get_selected_event (self);
  g_autofree char *text = NULL;

  if (event == NULL)
    return;

  text = _rf_event_log_dup_copy_text (event, json);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
copy_json_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  copy_selected (RF_EVENT_LOG (widget), TRUE);
}

static void
copy_summary_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  copy_selected (RF_EVENT_LOG (widget), FALSE);
}

static guint
find_position_data (GtkWidget *widget)
{
  /* The picked widget is the cell's label, the cell, or the row. */
  for (guint depth = 0; widget != NULL && depth < 3; depth++)
    {
      gpointer data = g_object_get_data (G_OBJECT (widget), "rf-position");

      if (data != NULL)
        return GPOINTER_TO_UINT (data);
      widget = gtk_widget_get_first_child (widget);
    }

  return 0;
}

static void
context_pressed_cb (RfEventLog      *self,
                    int              n_press,
                    double           x,
                    double           y,
                    GtkGestureClick *gesture)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);
  guint position = 0;
  graphene_point_t point;

  for (GtkWidget *w = picked; w && w != GTK_WIDGET (self->column_view) && !position;
       w = gtk_widget_get_parent (w))
    position = find_position_data (w);

  if (position == 0)
    return;

  gtk_single_selection_set_selected (self->selection, position - 1);

  if (!gtk_widget_compute_point (GTK_WIDGET (self->column_view), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (x, y), &point))
    point = GRAPHENE_POINT_INIT (x, y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_popover),
                               &(GdkRectangle) { point.x, point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_popover));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
rf_event_log_dispose (GObject *object)
{
  RfEventLog *self = RF_EVENT_LOG (object);

  g_clear_handle_id (&self->scroll_row_source, g_source_remove);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_pointer (&self->context_popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), RF_TYPE_EVENT_LOG);

  if (self->filter_model != NULL)
    gtk_filter_list_model_set_model (self->filter_model, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->batch);
  g_clear_object (&self->filter);
  g_clear_object (&self->types);
  g_clear_object (&self->context_menu);
  g_clear_pointer (&self->seen_types, g_hash_table_unref);
  g_clear_pointer (&self->type_filter, g_free);
  g_clear_pointer (&self->search_text, g_free);

  G_OBJECT_CLASS (rf_event_log_parent_class)->dispose (object);
}

static void
rf_event_log_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RfEventLog *self = RF_EVENT_LOG (object);

  switch (prop_id)
    {
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_event_log_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  RfEventLog *self = RF_EVENT_LOG (object);

  switch (prop_id)
    {
    case PROP_FOLLOW:
      rf_event_log_set_follow (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_event_log_class_init (RfEventLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_event_log_dispose;
  object_class->get_property = rf_event_log_get_property;
  object_class->set_property = rf_event_log_set_property;

  widget_class->root = rf_event_log_root;
  widget_class->unroot = rf_event_log_unroot;

  properties [PROP_FOLLOW] =
    g_param_spec_boolean ("follow", NULL, NULL, TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/rf-event-log.ui");
  gtk_widget_class_bind_template_child (widget_class, RfEventLog, box);
  gtk_widget_class_bind_template_child (widget_class, RfEventLog, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RfEventLog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RfEventLog, count_label);
  gtk_widget_class_bind_template_child (widget_class, RfEventLog, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, RfEventLog, follow_button);
  gtk_widget_class_bind_template_child (widget_class, RfEventLog, scroller);
  gtk_widget_class_bind_template_child (widget_class, RfEventLog, column_view);

  gtk_widget_class_install_action (widget_class, "event-log.copy-json", NULL, copy_json_action);
  gtk_widget_class_install_action (widget_class, "event-log.copy-summary", NULL,
                                   copy_summary_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "event-log.copy-json", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rfeventlog");
}

static void
rf_event_log_init (RfEventLog *self)
{
  g_autoptr(GMenu) menu = NULL;
  GtkGesture *gesture;
  GtkExpression *expression;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The search field is never narrower than its placeholder in the
   * user's language: the count beside it grows while a run streams, and
   * took its room from the placeholder. */
  {
    g_autofree char *placeholder = NULL;

    g_object_get (self->search_entry, "placeholder-text", &placeholder, NULL);
    if (placeholder != NULL)
      gtk_editable_set_width_chars (GTK_EDITABLE (self->search_entry),
                                    g_utf8_strlen (placeholder, -1) + 2);
  }

  self->follow = TRUE;
  self->seen_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->types = gtk_string_list_new ((const char * const []) { _("All Types"), NULL });
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->type_dropdown, expression);
  gtk_expression_unref (expression);
  gtk_drop_down_set_model (self->type_dropdown, G_LIST_MODEL (self->types));
  gtk_drop_down_set_enable_search (self->type_dropdown, TRUE);

  _rf_event_log_add_columns (self);

  self->filter = gtk_custom_filter_new (_rf_event_log_filter_func, self, NULL);
  self->batch = rf_batch_model_new (NULL);
  g_signal_connect_object (self->batch, "pending", G_CALLBACK (queue_rows), self,
                           G_CONNECT_SWAPPED);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->batch)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                              g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  /* After the filter and sort models: they have taken the change when
   * the count is updated. */
  g_signal_connect_object (self->batch, "items-changed", G_CALLBACK (events_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->type_dropdown, "notify::selected",
                           G_CALLBACK (type_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self, "follow", self->follow_button, "active",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  menu = g_menu_new ();
  /* TRANSLATORS: menu item: copy the selected event’s raw JSON. An event is
   * one server-sent event of the stream */
  g_menu_append (menu, _("_Copy Event JSON"), "event-log.copy-json");
  g_menu_append (menu, _("Copy _Summary"), "event-log.copy-summary");
  self->context_menu = G_MENU_MODEL (g_steal_pointer (&menu));
  self->context_popover = gtk_popover_menu_new_from_model (self->context_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_popover), FALSE);
  gtk_widget_set_halign (self->context_popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_popover, GTK_WIDGET (self));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (context_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (gesture));

  self->session_signals = g_signal_group_new (RF_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "finished",
                                 G_CALLBACK (session_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::selected-frame",
                                 G_CALLBACK (session_selected_frame_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "event-log.copy-json", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "event-log.copy-summary", FALSE);
  update_count (self);
}

GtkWidget *
rf_event_log_new (void)
{
  return g_object_new (RF_TYPE_EVENT_LOG, NULL);
}

void
rf_event_log_set_session (RfEventLog *self,
                          RfSession  *session)
{
  GListModel *events;

  g_return_if_fail (RF_IS_EVENT_LOG (self));
  g_return_if_fail (!session || RF_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  self->has_pending_select = FALSE;
  self->live_select_pending = FALSE;

  g_hash_table_remove_all (self->seen_types);
  gtk_string_list_splice (self->types, 1,
                          g_list_model_get_n_items (G_LIST_MODEL (self->types)) - 1, NULL);
  gtk_drop_down_set_selected (self->type_dropdown, 0);

  g_signal_group_set_target (self->session_signals, session);
  events = session ? rf_session_get_events (session) : NULL;
  /* A run that streams adds a hundred events a second; the list takes
   * them at most ten times a second, each time one layout. */
  rf_batch_model_set_model (self->batch, events);

  update_count (self);
}

const char *
rf_event_log_get_count_text (RfEventLog *self)
{
  g_return_val_if_fail (RF_IS_EVENT_LOG (self), NULL);

  return gtk_label_get_label (self->count_label);
}

GListModel *
rf_event_log_get_model (RfEventLog *self)
{
  g_return_val_if_fail (RF_IS_EVENT_LOG (self), NULL);

  return G_LIST_MODEL (self->selection);
}

void
rf_event_log_set_filter (RfEventLog *self,
                         const char *type_name,
                         const char *search_text)
{
  guint n;

  g_return_if_fail (RF_IS_EVENT_LOG (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->types));
  gtk_drop_down_set_selected (self->type_dropdown, 0);
  for (guint i = 1; type_name && i < n; i++)
    {
      if (g_strcmp0 (gtk_string_list_get_string (self->types, i), type_name) == 0)
        gtk_drop_down_set_selected (self->type_dropdown, i);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), search_text ? search_text : "");
  /* Do not wait for the entry's search delay. */
  search_changed_cb (self, self->search_entry);
}

gboolean
rf_event_log_get_follow (RfEventLog *self)
{
  g_return_val_if_fail (RF_IS_EVENT_LOG (self), FALSE);

  return self->follow;
}

void
rf_event_log_set_follow (RfEventLog *self,
                         gboolean    follow)
{
  g_return_if_fail (RF_IS_EVENT_LOG (self));

  follow = !!follow;
  if (self->follow == follow)
    return;

  self->follow = follow;
  if (follow)
    queue_scroll_to_end (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FOLLOW]);
}

void
rf_event_log_focus_search (RfEventLog *self)
{
  g_return_if_fail (RF_IS_EVENT_LOG (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
rf_event_log_show_event (RfEventLog *self,
                         RfEvent    *event)
{
  GListModel *model;
  guint n;

  g_return_if_fail (RF_IS_EVENT_LOG (self));
  g_return_if_fail (event != NULL);

  /* A filter that hides it is dropped: the person asked for this one. */
  model = G_LIST_MODEL (self->selection);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfEvent) shown = g_list_model_get_item (model, i);

      if (shown == event)
        {
          self->syncing = TRUE;
          gtk_single_selection_set_selected (self->selection, i);
          self->syncing = FALSE;
          scroll_to_row (self, i);
          return;
        }
    }

  if (self->search_text != NULL || gtk_drop_down_get_selected (self->type_dropdown) != 0)
    {
      rf_event_log_set_filter (self, NULL, NULL);
      rf_event_log_show_event (self, event);
    }
}
