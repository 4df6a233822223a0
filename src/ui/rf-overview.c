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
 * by the decode workers) and its name. Tiles are made only for the images
 * in view, by a GtkGridView over the session's lanes, so a run of a
 * thousand images costs the overview the few dozen tiles it shows. */
typedef struct
{
  RfOverview *overview;
  GtkWidget  *button;
  GtkPicture *picture;
  GtkLabel   *title;
  GtkLabel   *subtitle;
  guint       lane;             /* G_MAXUINT while unbound */
} Tile;

struct _RfOverview
{
  GtkWidget      parent_instance;

  GtkGridView   *grid;

  RfSession     *session;
  GSignalGroup  *session_signals;
  GHashTable    *bound;          /* lane index → Tile*, the tiles in use */
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
             Tile       *tile)
{
  RfLane *lane = self->session ? rf_session_get_lane (self->session, tile->lane) : NULL;
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
tile_clicked_cb (GtkButton *button,
                 Tile      *tile)
{
  if (tile->lane != G_MAXUINT)
    g_signal_emit (tile->overview, signals [LANE_ACTIVATED], 0, tile->lane);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          RfOverview               *self)
{
  Tile *tile = g_new0 (Tile, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *frame = gtk_frame_new (NULL);

  tile->overview = self;
  tile->lane = G_MAXUINT;

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
  g_signal_connect (tile->button, "clicked", G_CALLBACK (tile_clicked_cb), tile);

  /* The button takes the clicks and the focus, not the grid's cell. */
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  /* The tile lives as long as its button, whose click handler uses it. */
  g_object_set_data_full (G_OBJECT (tile->button), "rf-tile", tile, g_free);
  gtk_list_item_set_child (item, tile->button);
}

static Tile *
item_tile (GtkListItem *item)
{
  return g_object_get_data (G_OBJECT (gtk_list_item_get_child (item)), "rf-tile");
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         RfOverview               *self)
{
  Tile *tile = item_tile (item);

  tile->lane = gtk_list_item_get_position (item);
  g_hash_table_insert (self->bound, GUINT_TO_POINTER (tile->lane), tile);
  update_tile (self, tile);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           RfOverview               *self)
{
  Tile *tile = item_tile (item);

  if (g_hash_table_lookup (self->bound, GUINT_TO_POINTER (tile->lane)) == tile)
    g_hash_table_remove (self->bound, GUINT_TO_POINTER (tile->lane));
  tile->lane = G_MAXUINT;
}

static void
frame_changed_cb (RfOverview *self,
                  RfFrame    *frame)
{
  Tile *tile = g_hash_table_lookup (self->bound, GUINT_TO_POINTER (rf_frame_get_lane_index (frame)));

  /* Only the tiles in view are kept up; the others are made up to date
   * when they are bound. */
  if (tile != NULL)
    update_tile (self, tile);
}

static void
rf_overview_dispose (GObject *object)
{
  RfOverview *self = RF_OVERVIEW (object);

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  if (self->grid != NULL)
    gtk_grid_view_set_model (self->grid, NULL);
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
  g_clear_pointer (&self->bound, g_hash_table_unref);

  G_OBJECT_CLASS (rf_overview_parent_class)->finalize (object);
}

static void
rf_overview_class_init (RfOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_overview_dispose;
  object_class->finalize = rf_overview_finalize;

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
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->bound = g_hash_table_new (NULL, NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_grid_view_set_factory (self->grid, factory);

  self->session_signals = g_signal_group_new (RF_TYPE_SESSION);
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
  g_autoptr(GtkNoSelection) model = NULL;

  g_return_if_fail (RF_IS_OVERVIEW (self));
  g_return_if_fail (!session || RF_IS_SESSION (session));

  if (self->session == session)
    return;

  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  if (session != NULL)
    model = gtk_no_selection_new (g_object_ref (rf_session_get_lanes (session)));
  gtk_grid_view_set_model (self->grid, GTK_SELECTION_MODEL (model));
}

guint
rf_overview_get_n_tiles (RfOverview *self)
{
  g_return_val_if_fail (RF_IS_OVERVIEW (self), 0);

  return g_hash_table_size (self->bound);
}

GtkWidget *
rf_overview_get_tile (RfOverview *self,
                      guint       lane)
{
  Tile *tile;

  g_return_val_if_fail (RF_IS_OVERVIEW (self), NULL);

  tile = g_hash_table_lookup (self->bound, GUINT_TO_POINTER (lane));
  return tile ? tile->button : NULL;
}

GdkPaintable *
rf_overview_get_tile_paintable (RfOverview *self,
                                guint       lane)
{
  Tile *tile;

  g_return_val_if_fail (RF_IS_OVERVIEW (self), NULL);

  tile = g_hash_table_lookup (self->bound, GUINT_TO_POINTER (lane));
  return tile ? gtk_picture_get_paintable (tile->picture) : NULL;
}
