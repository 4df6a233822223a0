/*
 * rf-preferences.c
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

#define G_LOG_DOMAIN "rf-preferences"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "rf-preferences.h"

struct _RfPreferences
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwPreferencesPage   *page;
  AdwPreferencesGroup  *generation_group;
  AdwPreferencesGroup  *viewing_group;
  AdwPreferencesGroup  *performance_group;
  AdwPreferencesGroup  *key_group;
  AdwComboRow          *provider_row;
  AdwComboRow          *api_row;
  AdwEntryRow          *model_row;
  AdwEntryRow          *image_model_row;
  GtkSpinButton        *partials_spin;
  GtkSwitch            *remember_switch;
  GtkSpinButton        *speed_spin;
  GtkSwitch            *follow_switch;
  GtkSpinButton        *cache_spin;
  GtkSpinButton        *workers_spin;
  GtkSpinButton        *timeout_spin;
};

G_DEFINE_FINAL_TYPE (RfPreferences, rf_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const provider_nicks[] = { "openai", "openrouter", "gemini", NULL };
static const char * const api_nicks[] = { "responses", "images", "chat", NULL };

/* Enum keys ↔ a combo row's position, by nick. */
static gboolean
nick_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i]; i++)
    {
      if (g_str_equal (nicks[i], nick))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
position_to_nick (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint position = g_value_get_uint (value);

  if (position >= g_strv_length ((char **) nicks))
    return NULL;

  return g_variant_new_string (nicks[position]);
}

static void
forget_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RfPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
  else
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (_("Stored keys forgotten")));
}

static void
forget_keys_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  static const SecretSchema schema = {
    APP_ID ".ApiKey", SECRET_SCHEMA_NONE,
    { { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };

  secret_password_clear (&schema, NULL, forget_done_cb, g_object_ref (widget), NULL);
}

static void
rf_preferences_dispose (GObject *object)
{
  RfPreferences *self = RF_PREFERENCES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RF_TYPE_PREFERENCES);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (rf_preferences_parent_class)->dispose (object);
}

static void
rf_preferences_class_init (RfPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/rf-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, page);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, generation_group);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, viewing_group);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, performance_group);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, key_group);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, provider_row);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, api_row);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, model_row);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, image_model_row);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, partials_spin);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, speed_spin);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, follow_switch);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, cache_spin);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, workers_spin);
  gtk_widget_class_bind_template_child (widget_class, RfPreferences, timeout_spin);

  gtk_widget_class_install_action (widget_class, "prefs.forget-keys", NULL, forget_keys_action);
}

static void
rf_preferences_init (RfPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RfPreferences *
rf_preferences_new (GSettings *settings)
{
  RfPreferences *self = g_object_new (RF_TYPE_PREFERENCES, NULL);

  if (settings == NULL)
    {
      /* Running uninstalled without the schema: show, but do not pretend. */
      adw_preferences_group_set_description (self->generation_group,
                                             _("Settings are unavailable: the settings schema is not installed."));
      gtk_widget_set_sensitive (GTK_WIDGET (self->generation_group), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->viewing_group), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->performance_group), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->remember_switch), FALSE);
      return self;
    }

  self->settings = g_object_ref (settings);

  g_settings_bind_with_mapping (settings, "provider", self->provider_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_to_position, position_to_nick,
                                (gpointer) provider_nicks, NULL);
  g_settings_bind_with_mapping (settings, "api", self->api_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_to_position, position_to_nick,
                                (gpointer) api_nicks, NULL);
  g_settings_bind (settings, "model", self->model_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "image-model", self->image_model_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "partial-images", self->partials_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "remember-key-in-keyring", self->remember_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "replay-speed", self->speed_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "follow-live", self->follow_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "pixel-cache-mb", self->cache_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "decode-workers", self->workers_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "idle-timeout-s", self->timeout_spin, "value", G_SETTINGS_BIND_DEFAULT);

  return self;
}
