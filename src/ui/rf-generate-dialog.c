/*
 * rf-generate-dialog.c
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

#define G_LOG_DOMAIN "rf-generate-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "rf-generate-dialog.h"

struct _RfGenerateDialog
{
  AdwWindow            parent_instance;

  GSettings           *settings;
  GCancellable        *cancellable;
  /* A key from the keyring: used, never put in a widget. */
  char                *stored_key;

  AdwToastOverlay     *toast_overlay;
  GtkLabel            *error_label;
  GtkWidget           *prompt_frame;
  GtkWidget           *error_field;   /* the field in the error style, or NULL */
  GtkTextView         *prompt_view;
  AdwComboRow         *api_row;
  AdwComboRow         *provider_row;
  AdwEntryRow         *base_url_row;
  AdwEntryRow         *model_row;
  AdwEntryRow         *image_model_row;
  AdwPreferencesGroup *key_group;
  AdwPasswordEntryRow *key_row;
  GtkSwitch           *remember_switch;
  GtkWidget           *partials_row;
  GtkSpinButton       *partials_spin;
  AdwComboRow         *aspect_row;
  AdwComboRow         *size_row;
  AdwComboRow         *quality_row;
  AdwComboRow         *format_row;
  AdwComboRow         *background_row;
  GtkWidget           *background_mode_row;
  GtkSwitch           *background_mode_switch;
};

G_DEFINE_FINAL_TYPE (RfGenerateDialog, rf_generate_dialog, ADW_TYPE_WINDOW)

enum {
  GENERATE,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* What a list shows and what the request sends: the API's values are
 * words of the protocol, a person reads a phrase in their language. The
 * order of quality, format and background is their settings enum's. */
typedef struct
{
  const char *value;
  const char *label;
} Choice;

static const Choice size_choices[] = {
  /* TRANSLATORS: image size chosen by the model */
  { "auto",      NC_("image size", "Automatic") },
  /* TRANSLATORS: image size in pixels, width × height */
  { "1024x1024", NC_("image size", "1024 × 1024 (square)") },
  /* TRANSLATORS: image size in pixels, width × height */
  { "1536x1024", NC_("image size", "1536 × 1024 (landscape)") },
  /* TRANSLATORS: image size in pixels, width × height */
  { "1024x1536", NC_("image size", "1024 × 1536 (portrait)") },
};

static const Choice quality_choices[] = {
  /* TRANSLATORS: image quality chosen by the model */
  { "auto",   NC_("image quality", "Automatic") },
  /* TRANSLATORS: image quality; lower is quicker and cheaper */
  { "low",    NC_("image quality", "Low") },
  /* TRANSLATORS: image quality */
  { "medium", NC_("image quality", "Medium") },
  /* TRANSLATORS: image quality */
  { "high",   NC_("image quality", "High") },
};

/* File format names are the same in every language. */
static const Choice format_choices[] = {
  { "png",  "PNG" },
  { "webp", "WebP" },
  { "jpeg", "JPEG" },
};

static const Choice background_choices[] = {
  /* TRANSLATORS: image background chosen by the model */
  { "auto",        NC_("image background", "Automatic") },
  /* TRANSLATORS: image background; see-through pixels */
  { "transparent", NC_("image background", "Transparent") },
  /* TRANSLATORS: image background; no see-through pixels */
  { "opaque",      NC_("image background", "Opaque") },
};

/* Chat completions and Gemini take a ratio, not a size. */
static const Choice aspect_choices[] = {
  /* TRANSLATORS: aspect ratio chosen by the model */
  { NULL,   NC_("aspect ratio", "Automatic") },
  /* TRANSLATORS: aspect ratio, width:height */
  { "1:1",  NC_("aspect ratio", "1:1 (square)") },
  /* TRANSLATORS: aspect ratio, width:height */
  { "3:2",  NC_("aspect ratio", "3:2 (landscape)") },
  /* TRANSLATORS: aspect ratio, width:height */
  { "2:3",  NC_("aspect ratio", "2:3 (portrait)") },
  /* TRANSLATORS: aspect ratio, width:height */
  { "4:3",  NC_("aspect ratio", "4:3 (landscape)") },
  /* TRANSLATORS: aspect ratio, width:height */
  { "3:4",  NC_("aspect ratio", "3:4 (portrait)") },
  /* TRANSLATORS: aspect ratio, width:height */
  { "16:9", NC_("aspect ratio", "16:9 (wide)") },
  /* TRANSLATORS: aspect ratio, width:height */
  { "9:16", NC_("aspect ratio", "9:16 (tall)") },
  /* TRANSLATORS: aspect ratio, width:height */
  { "21:9", NC_("aspect ratio", "21:9 (cinema)") },
};

/* Rows of the API list, in the order of the settings enum. */
enum {
  API_ROW_RESPONSES,
  API_ROW_IMAGES,
  API_ROW_CHAT,
};

/* Rows of the provider list; the first three in the order of the
 * settings enum. */
enum {
  PROVIDER_ROW_OPENAI,
  PROVIDER_ROW_OPENROUTER,
  PROVIDER_ROW_GEMINI,
  PROVIDER_ROW_CUSTOM,
};

/* The image models Refinery fills in by itself: one of them in the field
 * is replaced when the API or provider changes, a name typed is kept. */
static const char * const default_image_models[] = {
  "gpt-image-1", "openai/gpt-image-1", "google/gemini-2.5-flash-image", "gemini-2.5-flash-image", NULL
};

static const SecretSchema *
get_secret_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".ApiKey", SECRET_SCHEMA_NONE,
    {
      { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
free_secret (char *key)
{
  if (key != NULL)
    {
      memset (key, 0, strlen (key));
      g_free (key);
    }
}

static RfProvider
get_provider (RfGenerateDialog *self)
{
  switch (adw_combo_row_get_selected (self->provider_row))
    {
    case PROVIDER_ROW_OPENROUTER:
      return RF_PROVIDER_OPENROUTER;
    case PROVIDER_ROW_GEMINI:
      return RF_PROVIDER_GEMINI;
    case PROVIDER_ROW_CUSTOM:
      return RF_PROVIDER_CUSTOM;
    case PROVIDER_ROW_OPENAI:
    default:
      return RF_PROVIDER_OPENAI;
    }
}

/* Gemini has one API of its own: the API list does not apply to it. */
static RfRequestApi
get_api (RfGenerateDialog *self)
{
  if (get_provider (self) == RF_PROVIDER_GEMINI)
    return RF_REQUEST_API_RESPONSES;

  switch (adw_combo_row_get_selected (self->api_row))
    {
    case API_ROW_IMAGES:
      return RF_REQUEST_API_IMAGES;
    case API_ROW_CHAT:
      return RF_REQUEST_API_CHAT;
    case API_ROW_RESPONSES:
    default:
      return RF_REQUEST_API_RESPONSES;
    }
}

/* Chat completions and Gemini: no partial images, no OpenAI image
 * fields, an aspect ratio instead of a size. */
static gboolean
is_chat_like (RfGenerateDialog *self)
{
  return get_provider (self) == RF_PROVIDER_GEMINI || get_api (self) == RF_REQUEST_API_CHAT;
}

/* Each label was marked with NC_(@context, …); without a context the
 * labels are names, shown as they are. */
static void
fill_choices (AdwComboRow  *row,
              const Choice *choices,
              guint         n_choices,
              const char   *context)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n_choices; i++)
    {
      const char *label = choices[i].label;

      if (context != NULL)
        label = g_dpgettext2 (GETTEXT_PACKAGE, context, label);
      gtk_string_list_append (list, label);
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

static const char *
get_choice (AdwComboRow  *row,
            const Choice *choices,
            guint         n_choices)
{
  guint i = adw_combo_row_get_selected (row);

  return choices[i < n_choices ? i : 0].value;
}

/* What stops the request: said in full above the form, the field it is
 * about (nullable) in the error style, focused and so scrolled into
 * view. The next try clears it. */
static void
show_error (RfGenerateDialog *self,
            GtkWidget        *field,
            const char       *message)
{
  if (self->error_field != NULL)
    gtk_widget_remove_css_class (self->error_field, "error");
  self->error_field = field;

  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (field == NULL)
    return;

  gtk_widget_add_css_class (field, "error");
  gtk_widget_grab_focus (field == GTK_WIDGET (self->prompt_frame) ? GTK_WIDGET (self->prompt_view) : field);
}

/* The field a request that does not validate is about. */
static GtkWidget *
find_error_field (RfGenerateDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);
  g_autoptr(RfRequest) probe = rf_request_new ();
  GtkTextIter start, end;
  g_autofree char *prompt = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  prompt = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (prompt[0] == '\0')
    return GTK_WIDGET (self->prompt_frame);

  /* The base URL alone, on a request valid otherwise. */
  rf_request_set_prompt (probe, prompt);
  rf_request_set_provider (probe, get_provider (self));
  if (get_provider (self) == RF_PROVIDER_CUSTOM)
    rf_request_set_base_url (probe, gtk_editable_get_text (GTK_EDITABLE (self->base_url_row)));
  if (!rf_request_validate (probe, NULL))
    return GTK_WIDGET (self->base_url_row);

  /* Then the API with the provider (OpenAI's chat makes no images). */
  rf_request_set_api (probe, get_api (self));
  if (!rf_request_validate (probe, NULL))
    return GTK_WIDGET (self->api_row);

  return NULL;
}

static char *
mask_key (const char *key)
{
  gsize len = strlen (key);

  /* Enough to tell two keys apart, never enough to use one. */
  if (len < 12)
    return g_strdup ("…");
  return g_strdup_printf ("…%s", key + len - 4);
}

static void
update_key_description (RfGenerateDialog *self)
{
  RfProvider provider = get_provider (self);
  g_autofree char *env_key = rf_request_lookup_api_key (provider);
  g_autofree char *masked = NULL;
  g_autofree char *text = NULL;

  if (self->stored_key != NULL)
    {
      masked = mask_key (self->stored_key);
      /* Translators: %s is the last characters of the key, e.g. "…abcd" */
      text = g_strdup_printf (_("Using the key stored in the keyring (%s). Type a key to replace it."),
                              masked);
    }
  else if (env_key != NULL)
    {
      masked = mask_key (env_key);
      /* Translators: %s is the last characters of the key, e.g. "…abcd" */
      text = g_strdup_printf (_("Using the key from the environment (%s). Type a key to use another."),
                              masked);
      free_secret (g_steal_pointer (&env_key));
    }
  else
    text = g_strdup (_("Set REFINERY_API_KEY, or type a key here."));

  adw_preferences_group_set_description (self->key_group, text);
}

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RfGenerateDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  char *key = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Keyring lookup failed: %s", error->message);
      return;
    }

  free_secret (self->stored_key);
  self->stored_key = key ? g_strdup (key) : NULL;
  secret_password_free (key);
  update_key_description (self);
}

static void
lookup_stored_key (RfGenerateDialog *self)
{
  free_secret (g_steal_pointer (&self->stored_key));
  update_key_description (self);

  if (!gtk_switch_get_active (self->remember_switch))
    return;

  secret_password_lookup (get_secret_schema (), self->cancellable, lookup_done_cb,
                          g_object_ref (self),
                          "provider", rf_provider_to_string (get_provider (self)),
                          NULL);
}

static void
store_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_warning ("Could not store the key in the keyring: %s", error->message);
}

/* The image model Refinery would call for this API and provider. */
static const char *
default_image_model (RfGenerateDialog *self)
{
  g_autoptr(RfRequest) probe = rf_request_new ();

  rf_request_set_provider (probe, get_provider (self));
  rf_request_set_api (probe, get_api (self));
  return g_intern_string (rf_request_get_image_model (probe));
}

static void
provider_changed_cb (RfGenerateDialog *self)
{
  RfProvider provider = get_provider (self);
  gboolean custom = provider == RF_PROVIDER_CUSTOM;
  gboolean gemini = provider == RF_PROVIDER_GEMINI;
  gboolean chat_like = is_chat_like (self);
  gboolean responses = get_api (self) == RF_REQUEST_API_RESPONSES && !gemini;
  const char *image_model = gtk_editable_get_text (GTK_EDITABLE (self->image_model_row));

  gtk_widget_set_visible (GTK_WIDGET (self->base_url_row), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->api_row), !gemini);
  gtk_widget_set_visible (GTK_WIDGET (self->model_row), responses);
  gtk_widget_set_sensitive (self->background_mode_row,
                            responses && provider == RF_PROVIDER_OPENAI);

  /* What the chosen API takes, and only that. */
  gtk_widget_set_visible (GTK_WIDGET (self->aspect_row), chat_like);
  gtk_widget_set_visible (self->partials_row, !chat_like);
  gtk_widget_set_visible (GTK_WIDGET (self->size_row), !chat_like);
  gtk_widget_set_visible (GTK_WIDGET (self->quality_row), !chat_like);
  gtk_widget_set_visible (GTK_WIDGET (self->format_row), !chat_like);
  gtk_widget_set_visible (GTK_WIDGET (self->background_row), !chat_like);
  gtk_widget_set_visible (self->background_mode_row, !chat_like);

  if (image_model[0] == '\0' || g_strv_contains (default_image_models, image_model))
    gtk_editable_set_text (GTK_EDITABLE (self->image_model_row), default_image_model (self));

  lookup_stored_key (self);
}

static void
load_settings (RfGenerateDialog *self)
{
  g_autofree char *base_url = NULL;
  g_autofree char *size = NULL;
  g_autofree char *model = NULL;
  g_autofree char *image_model = NULL;
  g_autofree char *aspect_ratio = NULL;

  if (self->settings == NULL)
    {
      adw_combo_row_set_selected (self->size_row, 1);
      gtk_editable_set_text (GTK_EDITABLE (self->model_row), "gpt-5");
      gtk_editable_set_text (GTK_EDITABLE (self->image_model_row), "gpt-image-1");
      return;
    }

  base_url = g_settings_get_string (self->settings, "base-url");
  size = g_settings_get_string (self->settings, "size");
  model = g_settings_get_string (self->settings, "model");
  image_model = g_settings_get_string (self->settings, "image-model");
  aspect_ratio = g_settings_get_string (self->settings, "aspect-ratio");

  adw_combo_row_set_selected (self->api_row, g_settings_get_enum (self->settings, "api"));
  if (base_url[0] != '\0')
    {
      adw_combo_row_set_selected (self->provider_row, PROVIDER_ROW_CUSTOM);
      gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), base_url);
    }
  else
    adw_combo_row_set_selected (self->provider_row, g_settings_get_enum (self->settings, "provider"));
  gtk_editable_set_text (GTK_EDITABLE (self->model_row), model);
  gtk_editable_set_text (GTK_EDITABLE (self->image_model_row), image_model);
  gtk_spin_button_set_value (self->partials_spin, g_settings_get_int (self->settings, "partial-images"));

  for (guint i = 0; i < G_N_ELEMENTS (size_choices); i++)
    if (g_strcmp0 (size_choices[i].value, size) == 0)
      adw_combo_row_set_selected (self->size_row, i);
  for (guint i = 1; i < G_N_ELEMENTS (aspect_choices); i++)
    if (g_strcmp0 (aspect_choices[i].value, aspect_ratio) == 0)
      adw_combo_row_set_selected (self->aspect_row, i);

  adw_combo_row_set_selected (self->quality_row, g_settings_get_enum (self->settings, "quality"));
  adw_combo_row_set_selected (self->format_row, g_settings_get_enum (self->settings, "format"));
  adw_combo_row_set_selected (self->background_row,
                              g_settings_get_enum (self->settings, "background"));
  gtk_switch_set_active (self->background_mode_switch,
                         g_settings_get_boolean (self->settings, "background-mode"));
  g_settings_bind (self->settings, "remember-key-in-keyring",
                   self->remember_switch, "active", G_SETTINGS_BIND_DEFAULT);
}

static void
save_settings (RfGenerateDialog *self)
{
  RfProvider provider = get_provider (self);

  if (self->settings == NULL)
    return;

  g_settings_delay (self->settings);
  g_settings_set_enum (self->settings, "api", adw_combo_row_get_selected (self->api_row));
  if (provider == RF_PROVIDER_CUSTOM)
    g_settings_set_string (self->settings, "base-url",
                           gtk_editable_get_text (GTK_EDITABLE (self->base_url_row)));
  else
    {
      g_settings_set_string (self->settings, "base-url", "");
      g_settings_set_enum (self->settings, "provider", adw_combo_row_get_selected (self->provider_row));
    }
  g_settings_set_string (self->settings, "model",
                         gtk_editable_get_text (GTK_EDITABLE (self->model_row)));
  g_settings_set_string (self->settings, "image-model",
                         gtk_editable_get_text (GTK_EDITABLE (self->image_model_row)));
  g_settings_set_int (self->settings, "partial-images",
                      gtk_spin_button_get_value_as_int (self->partials_spin));
  g_settings_set_string (self->settings, "size",
                         get_choice (self->size_row, size_choices, G_N_ELEMENTS (size_choices)));
  g_settings_set_enum (self->settings, "quality", adw_combo_row_get_selected (self->quality_row));
  g_settings_set_enum (self->settings, "format", adw_combo_row_get_selected (self->format_row));
  g_settings_set_enum (self->settings, "background",
                       adw_combo_row_get_selected (self->background_row));
  g_settings_set_boolean (self->settings, "background-mode",
                          gtk_switch_get_active (self->background_mode_switch));
  {
    const char *ratio = get_choice (self->aspect_row, aspect_choices, G_N_ELEMENTS (aspect_choices));

    g_settings_set_string (self->settings, "aspect-ratio", ratio ? ratio : "");
  }
  g_settings_apply (self->settings);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  RfGenerateDialog *self = RF_GENERATE_DIALOG (widget);
  g_autoptr(RfRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  char *key = NULL;

  if (!(request = rf_generate_dialog_build_request (self, &error)))
    {
      show_error (self, find_error_field (self), error->message);
      return;
    }

  if (typed != NULL && typed[0] != '\0')
    key = g_strdup (typed);
  else if (self->stored_key != NULL)
    key = g_strdup (self->stored_key);
  else
    key = rf_request_lookup_api_key (rf_request_get_provider (request));

  if (key == NULL)
    {
      show_error (self, GTK_WIDGET (self->key_row), _("An API key is needed: type one or set REFINERY_API_KEY"));
      return;
    }

  if (typed != NULL && typed[0] != '\0' && gtk_switch_get_active (self->remember_switch))
    secret_password_store (get_secret_schema (), SECRET_COLLECTION_DEFAULT,
                           _("Refinery API key"), key, NULL, store_done_cb, NULL,
                           "provider", rf_provider_to_string (rf_request_get_provider (request)),
                           NULL);

  save_settings (self);
  g_signal_emit (self, signals [GENERATE], 0, request, key);
  free_secret (key);

  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
rf_generate_dialog_dispose (GObject *object)
{
  RfGenerateDialog *self = RF_GENERATE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RF_TYPE_GENERATE_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  free_secret (g_steal_pointer (&self->stored_key));

  G_OBJECT_CLASS (rf_generate_dialog_parent_class)->dispose (object);
}

static void
rf_generate_dialog_class_init (RfGenerateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_generate_dialog_dispose;

  signals [GENERATE] =
    g_signal_new ("generate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, RF_TYPE_REQUEST, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/rf-generate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, prompt_frame);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, api_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, provider_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, base_url_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, model_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, image_model_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, key_group);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, key_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, partials_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, partials_spin);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, aspect_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, size_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, quality_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, background_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, background_mode_row);
  gtk_widget_class_bind_template_child (widget_class, RfGenerateDialog, background_mode_switch);

  gtk_widget_class_install_action (widget_class, "generate.start", NULL, start_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "generate.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rf_generate_dialog_init (RfGenerateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  fill_choices (self->size_row, size_choices, G_N_ELEMENTS (size_choices), "image size");
  fill_choices (self->quality_row, quality_choices, G_N_ELEMENTS (quality_choices),
                "image quality");
  fill_choices (self->format_row, format_choices, G_N_ELEMENTS (format_choices), NULL);
  fill_choices (self->background_row, background_choices, G_N_ELEMENTS (background_choices),
                "image background");
  fill_choices (self->aspect_row, aspect_choices, G_N_ELEMENTS (aspect_choices), "aspect ratio");

  self->cancellable = g_cancellable_new ();
}

RfGenerateDialog *
rf_generate_dialog_new (GSettings *settings)
{
  RfGenerateDialog *self = g_object_new (RF_TYPE_GENERATE_DIALOG, NULL);

  g_set_object (&self->settings, settings);
  load_settings (self);

  g_signal_connect_object (self->provider_row, "notify::selected",
                           G_CALLBACK (provider_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->api_row, "notify::selected",
                           G_CALLBACK (provider_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->remember_switch, "notify::active",
                           G_CALLBACK (lookup_stored_key), self, G_CONNECT_SWAPPED);
  provider_changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->prompt_view));

  return self;
}

RfRequest *
rf_generate_dialog_build_request (RfGenerateDialog  *self,
                                  GError           **error)
{
  g_autoptr(RfRequest) request = rf_request_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);
  g_autofree char *prompt = NULL;
  GtkTextIter start, end;
  RfProvider provider = get_provider (self);
  const char *text;

  g_return_val_if_fail (RF_IS_GENERATE_DIALOG (self), NULL);

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  prompt = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (prompt[0] == '\0')
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_INVALID_PARAMETER,
                           _("Describe the image to generate"));
      return NULL;
    }

  rf_request_set_prompt (request, prompt);
  rf_request_set_api (request, get_api (self));
  rf_request_set_provider (request, provider);
  if (provider == RF_PROVIDER_CUSTOM)
    rf_request_set_base_url (request, gtk_editable_get_text (GTK_EDITABLE (self->base_url_row)));

  text = gtk_editable_get_text (GTK_EDITABLE (self->model_row));
  if (text[0] != '\0')
    rf_request_set_model (request, text);
  text = gtk_editable_get_text (GTK_EDITABLE (self->image_model_row));
  if (text[0] != '\0')
    rf_request_set_image_model (request, text);

  if (is_chat_like (self))
    rf_request_set_aspect_ratio (request, get_choice (self->aspect_row, aspect_choices,
                                                      G_N_ELEMENTS (aspect_choices)));
  else
    {
      rf_request_set_partial_images (request, gtk_spin_button_get_value_as_int (self->partials_spin));
      rf_request_set_size (request,
                           get_choice (self->size_row, size_choices, G_N_ELEMENTS (size_choices)));
      rf_request_set_quality (request, get_choice (self->quality_row, quality_choices,
                                                   G_N_ELEMENTS (quality_choices)));
      rf_request_set_output_format (request, get_choice (self->format_row, format_choices,
                                                         G_N_ELEMENTS (format_choices)));
      rf_request_set_background (request, get_choice (self->background_row, background_choices,
                                                      G_N_ELEMENTS (background_choices)));
      rf_request_set_background_mode (request,
                                      gtk_widget_get_sensitive (self->background_mode_row) &&
                                      gtk_switch_get_active (self->background_mode_switch));
    }

  if (!rf_request_validate (request, error))
    return NULL;

  return g_steal_pointer (&request);
}

void
rf_generate_dialog_set_prompt (RfGenerateDialog *self,
                               const char       *prompt)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;

  g_return_if_fail (RF_IS_GENERATE_DIALOG (self));

  buffer = gtk_text_view_get_buffer (self->prompt_view);
  gtk_text_buffer_set_text (buffer, prompt ? prompt : "", -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
}
