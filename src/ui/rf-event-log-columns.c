/*
 * rf-event-log-columns.c
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

#include "rf-event.h"
#include "rf-event-log-private.h"
#include "rf-text.h"

/* What the event log shows of an event, main thread only: the text of
 * each column's cells (one line each, shortened for display), how each
 * column sorts (ties keep arrival order), the filter on type and search,
 * and the text Copy Event JSON (indented) and Copy Summary put on the
 * clipboard. The widget, its models and its scrolling are in
 * rf-event-log.c. */

typedef enum
{
  COLUMN_SEQ,
  COLUMN_TIME,
  COLUMN_TYPE,
  COLUMN_ITEM,
  COLUMN_SUMMARY,
} Column;

const char *
_rf_event_log_type_name (RfEvent *event)
{
  const char *name = rf_event_get_type_name (event);

  return name ? name : rf_event_get_kind_nick (event);
}

static char *
dup_summary (RfEvent *event)
{
  return rf_event_dup_summary (event);
}

static char *
column_text (RfEvent *event,
             Column   column)
{
  switch (column)
    {
    case COLUMN_SEQ:
      if (rf_event_get_sequence_number (event) < 0)
        return g_strdup ("—");
      return g_strdup_printf ("%" G_GINT64_FORMAT, rf_event_get_sequence_number (event));
    case COLUMN_TIME:
      return g_strdup_printf ("%.3f", rf_event_get_t_ms (event) / 1000.0);
    case COLUMN_TYPE:
      return g_strdup (_rf_event_log_type_name (event));
    case COLUMN_ITEM:
      if (rf_event_get_item_id (event) != NULL)
        return g_strdup (rf_event_get_item_id (event));
      if (rf_event_get_output_index (event) >= 0)
        return g_strdup_printf ("#%" G_GINT64_FORMAT, rf_event_get_output_index (event));
      return g_strdup ("");
    case COLUMN_SUMMARY:
    default:
      return dup_summary (event);
    }
}

static int
compare_int64 (gint64 a,
               gint64 b)
{
  return a < b ? GTK_ORDERING_SMALLER : a > b ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  RfEvent *ea = (RfEvent *) a;
  RfEvent *eb = (RfEvent *) b;
  Column column = GPOINTER_TO_INT (user_data);
  int ret;

  switch (column)
    {
    case COLUMN_SEQ:
      ret = compare_int64 (rf_event_get_sequence_number (ea), rf_event_get_sequence_number (eb));
      break;
    case COLUMN_TIME:
      ret = compare_int64 (rf_event_get_t_ms (ea), rf_event_get_t_ms (eb));
      break;
    case COLUMN_TYPE:
      ret = g_strcmp0 (_rf_event_log_type_name (ea), _rf_event_log_type_name (eb));
      break;
    case COLUMN_ITEM:
      ret = g_strcmp0 (rf_event_get_item_id (ea), rf_event_get_item_id (eb));
      break;
    case COLUMN_SUMMARY:
    default:
      {
        g_autofree char *sa = dup_summary (ea);
        g_autofree char *sb = dup_summary (eb);

        ret = g_strcmp0 (sa, sb);
      }
      break;
    }

  /* Ties keep arrival order. */
  if (ret == 0)
    ret = compare_int64 (rf_event_get_position (ea), rf_event_get_position (eb));

  return ret < 0 ? GTK_ORDERING_SMALLER : ret > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

gboolean
_rf_event_log_filter_func (gpointer item,
                           gpointer user_data)
{
  RfEventLog *self = user_data;
  RfEvent *event = item;
  g_autofree char *summary = NULL;
  g_autofree char *folded = NULL;

  if (self->type_filter != NULL && g_strcmp0 (_rf_event_log_type_name (event), self->type_filter) != 0)
    return FALSE;

  if (self->search_text == NULL)
    return TRUE;

  summary = g_strjoin ("\n",
                       _rf_event_log_type_name (event),
                       rf_event_get_item_id (event) ? rf_event_get_item_id (event) : "",
                       rf_event_get_elided_json (event) ? rf_event_get_elided_json (event) : "",
                       NULL);
  folded = g_utf8_casefold (summary, -1);

  return strstr (folded, self->search_text) != NULL;
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (column == COLUMN_SEQ || column == COLUMN_TIME)
    {
      gtk_inscription_set_xalign (GTK_INSCRIPTION (label), 1.0);
      gtk_widget_add_css_class (label, "numeric");
    }
  if (column == COLUMN_SUMMARY || column == COLUMN_ITEM)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  RfEvent *event = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = column_text (event, column);
  g_autofree char *shown = NULL;

  /* A cell is one line: a display copy of what the stream sent (a type or
   * an id may be 64 KiB); Copy Summary and Copy JSON give it whole. */
  if (text != NULL && strlen (text) > RF_TEXT_SHOW_SHORT)
    shown = rf_text_shorten (text, column == COLUMN_SUMMARY ? RF_TEXT_SHOW_LONG : RF_TEXT_SHOW_SHORT);
  gtk_inscription_set_text (GTK_INSCRIPTION (label), shown ? shown : text);
  g_object_set_data (G_OBJECT (label), "rf-position",
                     GUINT_TO_POINTER (gtk_list_item_get_position (item) + 1));
  if (column == COLUMN_TYPE)
    {
      if (rf_event_get_kind (event) == RF_EVENT_ERROR ||
          rf_event_get_kind (event) == RF_EVENT_RESPONSE_FAILED ||
          rf_event_get_kind (event) == RF_EVENT_INVALID)
        gtk_widget_add_css_class (label, "error");
      else
        gtk_widget_remove_css_class (label, "error");
      if (rf_event_is_image_event (event))
        gtk_widget_add_css_class (label, "accent");
      else
        gtk_widget_remove_css_class (label, "accent");
    }
}

static void
add_column (RfEventLog *self,
            Column      column,
            const char *title,
            int         fixed_width,
            gboolean    expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;
  GtkSorter *sorter;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));

  /* A column is never narrower than its title in the user's language:
   * the header's bold text, its padding and the sort arrow. */
  if (fixed_width > 0)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), title);
      PangoAttrList *attrs = pango_attr_list_new ();
      int width;

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_get_pixel_size (layout, &width, NULL);
      fixed_width = MAX (fixed_width, width + 40);
    }

  col = gtk_column_view_column_new (title, factory);
  sorter = GTK_SORTER (gtk_custom_sorter_new (sort_func, GINT_TO_POINTER (column), NULL));
  gtk_column_view_column_set_sorter (col, sorter);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_column_set_expand (col, expand);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (col, fixed_width);
  gtk_column_view_append_column (self->column_view, col);

  g_object_unref (sorter);
  g_object_unref (col);
}

/* Copied JSON is for reading and pasting into a bug report: indented.
 * The elided text is small (images are replaced by their size); one
 * that is not, or does not parse, is copied as it is. */
#define MAX_PRETTY_JSON (1024 * 1024)

static char *
dup_pretty_json (const char *json)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  gsize len;

  if (json == NULL)
    return NULL;

  len = strlen (json);
  if (len > MAX_PRETTY_JSON || !rf_json_safe_to_parse (json, len, RF_JSON_MAX_DEPTH))
    return g_strdup (json);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, len, NULL) || json_parser_get_root (parser) == NULL)
    return g_strdup (json);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, json_parser_get_root (parser));

  return json_generator_to_data (generator, NULL);
}

void
_rf_event_log_add_columns (RfEventLog *self)
{
  /* TRANSLATORS: column title of the event log, the short form of “sequence
   * number”: keep it short. The sequence number is the number the server
   * gives each event, in order */
  add_column (self, COLUMN_SEQ, _("Seq"), 64, FALSE);
  add_column (self, COLUMN_TIME, _("Time (s)"), 80, FALSE);
  add_column (self, COLUMN_TYPE, _("Type"), 280, FALSE);
  add_column (self, COLUMN_ITEM, _("Item"), 110, FALSE);
  add_column (self, COLUMN_SUMMARY, _("Summary"), 240, TRUE);
}

char *
_rf_event_log_dup_copy_text (RfEvent  *event,
                             gboolean  json)
{
  char *text = json ? dup_pretty_json (rf_event_get_elided_json (event)) : dup_summary (event);

  return text != NULL ? text : g_strdup ("");
}
