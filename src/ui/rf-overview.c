/*
 * rf-overview.c
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

#define G_LOG_DOMAIN "rf-overview"

#include "config.h"

#include <glib/gi18n.h>

#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-overview.h"
#include "rf-session.h"

/* A tile per image: a button holding its newest frame's thumbnail (made
 * by the decode workers) and its name. */
typedef struct
{
  GtkWidget  *button;
  GtkPicture *picture;
  GtkLabel   *title;
  GtkLabel   *subtitle;
} Tile;

struct _RfOverview
{
  GtkWidget      parent_instance;

  GtkFlowBox    *grid;

  RfSession     *session;
  GSignalGroup  *session_signals;
  GPtrArray     *tiles;          /* Tile*, one per lane in order */
  /* Hidden, the overview makes and changes no tiles (a run of a thousand
   * images would lay out a thousand of them with every frame): it notes
   * which lanes changed, and brings them up to date when it is shown. */
  GHashTable    *stale;          /* lane index → TRUE */
};

G_DEFINE_FINAL_TYPE (RfOverview, rf_overview, GTK_TYPE_WIDGET)

enum {
  LANE_ACTIVATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static RfFrame *
dup_newest_frame (RfLane *lane)
{
  GListModel *frames = rf_lane_get_frames (lane);
  guint n = g_list_model_get_n_items (frames);

  return n > 0 ? g_list_model_get_item (frames, n - 1) : NULL;
}

static void
update_tile (RfOverview *self,
             guint       index)
{
  Tile *tile = g_ptr_array_index (self->tiles, index);
  RfLane *lane = rf_session_get_lane (self->session, index);
  g_autoptr(RfFrame) newest = lane ? dup_newest_frame (lane) : NULL;
  g_autofree char *title = lane ? rf_lane_dup_title (lane) : NULL;
  g_autofree char *label = newest ? rf_frame_dup_label (newest) : NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;
  GdkPixbuf *thumbnail = NULL;
  guint n = lane ? g_list_model_get_n_items (rf_lane_get_frames (lane)) : 0;

  if (lane == NULL)
    return;

  if (newest != NULL && rf_frame_get_decode_status (newest) == RF_DECODE_OK)
    thumbnail = rf_frame_get_thumbnail (newest);
  if (thumbnail != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (thumbnail);

      gtk_picture_set_paintable (tile->picture, GDK_PAINTABLE (texture));
    }
  else if (newest == NULL || rf_frame_get_decode_status (newest) != RF_DECODE_PENDING)
    gtk_picture_set_paintable (tile->picture, NULL);

  /* TRANSLATORS: under an image in the overview: its newest frame
   * ("final", "partial 2") and how many frames it has */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u frame", "%s · %u frames", n),
                              label ? label : "", n);
  gtk_label_set_label (tile->title, title);
  gtk_label_set_label (tile->subtitle, subtitle);

  /* TRANSLATORS: what a screen reader says for an overview tile:
   * "Image 2, final · 4 frames" */
  accessible = g_strdup_printf (_("%s, %s"), title, subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (tile->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
tile_clicked_cb (GtkButton  *button,
                 RfOverview *self)
{
  for (guint i = 0; i < self->tiles->len; i++)
    {
      Tile *tile = g_ptr_array_index (self->tiles, i);

      if (tile->button == GTK_WIDGET (button))
        g_signal_emit (self, signals [LANE_ACTIVATED], 0, i);
    }
}

static void
add_tile (RfOverview *self)
{
  Tile *tile = g_new0 (Tile, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *frame = gtk_frame_new (NULL);

  tile->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (tile->picture, TRUE);
  gtk_picture_set_content_fit (tile->picture, GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (GTK_WIDGET (tile->picture), 160, 160);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (tile->picture));
  gtk_box_append (GTK_BOX (box), frame);

  tile->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (tile->title), "heading");
  gtk_label_set_ellipsize (tile->title, PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (tile->title));

  tile->subtitle = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (tile->subtitle), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (tile->subtitle), "caption");
  gtk_label_set_ellipsize (tile->subtitle, PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (tile->subtitle));

  tile->button = gtk_button_new ();
  gtk_widget_add_css_class (tile->button, "flat");
  gtk_button_set_child (GTK_BUTTON (tile->button), box);
  gtk_widget_set_tooltip_text (tile->button, _("Show This Image"));
  g_signal_connect (tile->button, "clicked", G_CALLBACK (tile_clicked_cb), self);

  gtk_flow_box_append (self->grid, tile->button);
  g_ptr_array_add (self->tiles, tile);
  update_tile (self, self->tiles->len - 1);
}

static void
sync_tiles (RfOverview *self)
{
  guint n = self->session ? g_list_model_get_n_items (rf_session_get_lanes (self->session)) : 0;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  while (self->tiles->len < n)
    add_tile (self);
}

static void
lane_added_cb (RfOverview *self)
{
  sync_tiles (self);
}

static void
frame_changed_cb (RfOverview *self,
                  RfFrame    *frame)
{
  guint lane = rf_frame_get_lane_index (frame);

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_hash_table_add (self->stale, GUINT_TO_POINTER (lane));
      return;
    }

  sync_tiles (self);
  if (lane < self->tiles->len)
    update_tile (self, lane);
}

static void
rf_overview_map (GtkWidget *widget)
{
  RfOverview *self = RF_OVERVIEW (widget);
  GHashTableIter iter;
  gpointer key;

  GTK_WIDGET_CLASS (rf_overview_parent_class)->map (widget);

  /* New tiles are made up to date; the others that changed meanwhile
   * are brought up to date. */
  g_hash_table_iter_init (&iter, self->stale);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (GPOINTER_TO_UINT (key) < self->tiles->len)
      update_tile (self, GPOINTER_TO_UINT (key));
  g_hash_table_remove_all (self->stale);
  sync_tiles (self);
}

static void
clear_tiles (RfOverview *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_flow_box_remove (self->grid, child);
  g_ptr_array_set_size (self->tiles, 0);
  g_hash_table_remove_all (self->stale);
}

static void
rf_overview_dispose (GObject *object)
{
  RfOverview *self = RF_OVERVIEW (object);

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), RF_TYPE_OVERVIEW);
  /* The scrolled window is not bound to a pointer: it goes by hand. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (rf_overview_parent_class)->dispose (object);
}

static void
rf_overview_finalize (GObject *object)
{
  RfOverview *self = RF_OVERVIEW (object);

  g_clear_object (&self->session_signals);
  g_clear_pointer (&self->tiles, g_ptr_array_unref);
  g_clear_pointer (&self->stale, g_hash_table_unref);

  G_OBJECT_CLASS (rf_overview_parent_class)->finalize (object);
}

static void
rf_overview_class_init (RfOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_overview_dispose;
  object_class->finalize = rf_overview_finalize;
  widget_class->map = rf_overview_map;

  /**
   * RfOverview::lane-activated:
   * @lane: the index of the image chosen
   */
  signals [LANE_ACTIVATED] =
    g_signal_new ("lane-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/refinery/Refinery/ui/rf-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, RfOverview, grid);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rfoverview");
}

static void
rf_overview_init (RfOverview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->tiles = g_ptr_array_new_with_free_func (g_free);
  self->stale = g_hash_table_new (NULL, NULL);
  self->session_signals = g_signal_group_new (RF_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "lane-added",
                                 G_CALLBACK (lane_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-added",
                                 G_CALLBACK (frame_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-decoded",
                                 G_CALLBACK (frame_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
rf_overview_new (void)
{
  return g_object_new (RF_TYPE_OVERVIEW, NULL);
}

void
rf_overview_set_session (RfOverview *self,
                         RfSession  *session)
{
  g_return_if_fail (RF_IS_OVERVIEW (self));
  g_return_if_fail (!session || RF_IS_SESSION (session));

  if (self->session == session)
    return;

  clear_tiles (self);
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  sync_tiles (self);
}

guint
rf_overview_get_n_tiles (RfOverview *self)
{
  g_return_val_if_fail (RF_IS_OVERVIEW (self), 0);

  return self->tiles->len;
}

GtkWidget *
rf_overview_get_tile (RfOverview *self,
                      guint       lane)
{
  g_return_val_if_fail (RF_IS_OVERVIEW (self), NULL);

  if (lane >= self->tiles->len)
    return NULL;

  return ((Tile *) g_ptr_array_index (self->tiles, lane))->button;
}

GdkPaintable *
rf_overview_get_tile_paintable (RfOverview *self,
                                guint       lane)
{
  g_return_val_if_fail (RF_IS_OVERVIEW (self), NULL);

  if (lane >= self->tiles->len)
    return NULL;

  return gtk_picture_get_paintable (((Tile *) g_ptr_array_index (self->tiles, lane))->picture);
}
