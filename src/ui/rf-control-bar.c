/*
 * rf-control-bar.c
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

#define G_LOG_DOMAIN "rf-control-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "rf-control-bar.h"
#include "rf-frame.h"
#include "rf-session.h"

/* The replay speeds offered; the player takes any in its bounds (the
 * preferences keep one), the nearest is shown. */
static const double speeds[] = { 0.25, 0.5, 1.0, 2.0, 4.0, 8.0 };

struct _RfControlBar
{
  GtkWidget      parent_instance;

  RfPlayer      *player;
  GSignalGroup  *player_signals;
  GSignalGroup  *session_signals;
  GObject       *zoomable;
  GSignalGroup  *zoom_signals;
  guint          tick_id;
  guint          updating : 1;
  char          *time_text;
  char          *zoom_text;

  /* Template widgets */
  GtkButton     *play_button;
  GtkDropDown   *speed_dropdown;
  GtkLabel      *time_label;
  GtkLabel      *zoom_label;
  GtkToggleButton *fit_button;
};

G_DEFINE_FINAL_TYPE (RfControlBar, rf_control_bar, GTK_TYPE_WIDGET)

static void
set_label (GtkLabel    *label,
           char       **store,
           char        *text)
{
  if (g_strcmp0 (*store, text) == 0)
    {
      g_free (text);
      return;
    }

  g_free (*store);
  *store = text;
  gtk_label_set_label (label, text);
}

static void
update_time (RfControlBar *self)
{
  RfSession *session = self->player ? rf_player_get_session (self->player) : NULL;
  double t_ms = 0;
  double total_ms;

  if (session == NULL)
    {
      set_label (self->time_label, &self->time_text, g_strdup (""));
      return;
    }

  if (!rf_player_get_playhead_ms (self->player, &t_ms))
    t_ms = 0;
  total_ms = MAX ((double) rf_session_get_duration_ms (session), t_ms);

  /* TRANSLATORS: the playhead's time, then the run's length, in seconds */
  set_label (self->time_label, &self->time_text,
             g_strdup_printf (_("%.1f s / %.1f s"), t_ms / 1000.0, total_ms / 1000.0));
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  update_time (RF_CONTROL_BAR (widget));

  return G_SOURCE_CONTINUE;
}

static void
update_playing (RfControlBar *self)
{
  gboolean playing = self->player != NULL && rf_player_get_playing (self->player);
  const char *label = playing ? _("Pause") : _("Play");

  gtk_button_set_icon_name (self->play_button,
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  /* The time moves with the clock only while playing. */
  if (playing && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  else if (!playing && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }

  update_time (self);
}

static void
update_speed (RfControlBar *self)
{
  double speed = self->player ? rf_player_get_speed (self->player) : 1.0;
  guint best = 2;

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (ABS (speeds[i] - speed) < ABS (speeds[best] - speed))
      best = i;

  self->updating = TRUE;
  gtk_drop_down_set_selected (self->speed_dropdown, best);
  self->updating = FALSE;
}

static void
speed_selected_cb (RfControlBar *self)
{
  guint i = gtk_drop_down_get_selected (self->speed_dropdown);

  if (self->updating || self->player == NULL || i >= G_N_ELEMENTS (speeds))
    return;

  rf_player_set_speed (self->player, speeds[i]);
}

static void
update_zoom (RfControlBar *self)
{
  double zoom = 1.0;
  gboolean best_fit = TRUE;

  if (self->zoomable != NULL)
    g_object_get (self->zoomable, "zoom", &zoom, "best-fit", &best_fit, NULL);

  /* TRANSLATORS: the canvas's zoom level, e.g. "150 %" */
  set_label (self->zoom_label, &self->zoom_text, g_strdup_printf (_("%.0f %%"), zoom * 100.0));

  self->updating = TRUE;
  gtk_toggle_button_set_active (self->fit_button, best_fit);
  self->updating = FALSE;
}

static void
fit_toggled_cb (RfControlBar *self)
{
  if (self->updating || self->zoomable == NULL)
    return;

  /* Fit on; off goes to 1:1, as in an image viewer. */
  if (gtk_toggle_button_get_active (self->fit_button))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.zoom-fit", NULL);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.zoom-1", NULL);
  update_zoom (self);
}

static void
build_speeds (RfControlBar *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      char number[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *text = NULL;

      /* The locale's decimal mark: "0,25×" in French. */
      g_snprintf (number, sizeof number, "%g", speeds[i]);
      /* TRANSLATORS: a replay speed, e.g. "2×" (twice as fast) */
      text = g_strdup_printf (_("%s×"), number);
      gtk_string_list_append (list, text);
    }

  gtk_drop_down_set_model (self->speed_dropdown, G_LIST_MODEL (list));
}

static void
player_session_cb (RfControlBar *self)
{
  g_signal_group_set_target (self->session_signals,
                             self->player ? rf_player_get_session (self->player) : NULL);
  update_time (self);
}

static void
rf_control_bar_dispose (GObject *object)
{
  RfControlBar *self = RF_CONTROL_BAR (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_object (&self->player_signals);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->zoom_signals);
  g_clear_object (&self->player);
  g_clear_object (&self->zoomable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RF_TYPE_CONTROL_BAR);
  /* Template children without a bound pointer (the linked boxes) are
   * not unparented by gtk_widget_dispose_template(). */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (rf_control_bar_parent_class)->dispose (object);
}

static void
rf_control_bar_finalize (GObject *object)
{
  RfControlBar *self = RF_CONTROL_BAR (object);

  g_free (self->time_text);
  g_free (self->zoom_text);

  G_OBJECT_CLASS (rf_control_bar_parent_class)->finalize (object);
}

static void
rf_control_bar_class_init (RfControlBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_control_bar_dispose;
  object_class->finalize = rf_control_bar_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/rf-control-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, RfControlBar, play_button);
  gtk_widget_class_bind_template_child (widget_class, RfControlBar, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RfControlBar, time_label);
  gtk_widget_class_bind_template_child (widget_class, RfControlBar, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, RfControlBar, fit_button);
  gtk_widget_class_bind_template_callback (widget_class, speed_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, fit_toggled_cb);

  gtk_widget_class_set_css_name (widget_class, "rfcontrolbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TOOLBAR);
}

static void
rf_control_bar_init (RfControlBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  build_speeds (self);

  self->player_signals = g_signal_group_new (RF_TYPE_PLAYER);
  g_signal_group_connect_swapped (self->player_signals, "notify::playing",
                                  G_CALLBACK (update_playing), self);
  g_signal_group_connect_swapped (self->player_signals, "notify::speed",
                                  G_CALLBACK (update_speed), self);
  g_signal_group_connect_swapped (self->player_signals, "notify::session",
                                  G_CALLBACK (player_session_cb), self);

  self->session_signals = g_signal_group_new (RF_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::selected-frame",
                                  G_CALLBACK (update_time), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::finished",
                                  G_CALLBACK (update_time), self);

  self->zoom_signals = g_signal_group_new (G_TYPE_OBJECT);
  g_signal_group_connect_swapped (self->zoom_signals, "notify::zoom",
                                  G_CALLBACK (update_zoom), self);
  g_signal_group_connect_swapped (self->zoom_signals, "notify::best-fit",
                                  G_CALLBACK (update_zoom), self);

  update_playing (self);
  update_speed (self);
  update_zoom (self);
}

GtkWidget *
rf_control_bar_new (void)
{
  return g_object_new (RF_TYPE_CONTROL_BAR, NULL);
}

void
rf_control_bar_set_player (RfControlBar *self,
                           RfPlayer     *player)
{
  g_return_if_fail (RF_IS_CONTROL_BAR (self));
  g_return_if_fail (!player || RF_IS_PLAYER (player));

  if (!g_set_object (&self->player, player))
    return;

  g_signal_group_set_target (self->player_signals, player);
  player_session_cb (self);
  update_playing (self);
  update_speed (self);
}

void
rf_control_bar_set_zoomable (RfControlBar *self,
                             GObject      *zoomable)
{
  g_return_if_fail (RF_IS_CONTROL_BAR (self));
  g_return_if_fail (!zoomable || G_IS_OBJECT (zoomable));

  if (!g_set_object (&self->zoomable, zoomable))
    return;

  g_signal_group_set_target (self->zoom_signals, zoomable);
  update_zoom (self);
}

const char *
rf_control_bar_get_time_text (RfControlBar *self)
{
  g_return_val_if_fail (RF_IS_CONTROL_BAR (self), NULL);

  return self->time_text ? self->time_text : "";
}

const char *
rf_control_bar_get_zoom_text (RfControlBar *self)
{
  g_return_val_if_fail (RF_IS_CONTROL_BAR (self), NULL);

  return self->zoom_text ? self->zoom_text : "";
}
