/*
 * rf-request.c
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

#define G_LOG_DOMAIN "rf-request"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rf-request-private.h"

G_DEFINE_FINAL_TYPE (RfRequest, rf_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_API,
  PROP_PROVIDER,
  PROP_BASE_URL,
  PROP_PROMPT,
  PROP_MODEL,
  PROP_IMAGE_MODEL,
  PROP_PARTIAL_IMAGES,
  PROP_SIZE,
  PROP_QUALITY,
  PROP_OUTPUT_FORMAT,
  PROP_OUTPUT_COMPRESSION,
  PROP_BACKGROUND,
  PROP_MODERATION,
  PROP_BACKGROUND_MODE,
  PROP_ASPECT_RATIO,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const char * const qualities[] = { "low", "medium", "high", "auto", NULL };
static const char * const formats[] = { "png", "webp", "jpeg", NULL };
static const char * const backgrounds[] = { "transparent", "opaque", "auto", NULL };
static const char * const moderations[] = { "auto", "low", NULL };

/* Free sizes: the limits gpt-image-2 documents. */
#define SIZE_STEP       16
#define SIZE_MAX_SIDE   3840
#define SIZE_MAX_PIXELS (3840 * 2160)

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
in_list (const char         *value,
         const char * const *list)
{
  return value == NULL || g_strv_contains (list, value);
}

static char *
join_list (const char * const *list)
{
  return g_strjoinv (", ", (char **) list);
}

static gboolean
invalid (GError     **error,
         const char  *field,
         const char  *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError     **error,
         const char  *field,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: the first %s is a request field such as "size" */
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID_PARAMETER,
               _("Invalid %s: %s"), field, message);
  return FALSE;
}

static gboolean
check_choice (const char         *field,
              const char         *value,
              const char * const *list,
              GError            **error)
{
  g_autofree char *choices = NULL;

  if (in_list (value, list))
    return TRUE;

  choices = join_list (list);
  /* Translators: %s are a value and the list of allowed values */
  return invalid (error, field, _("“%s” is not one of %s"), value, choices);
}

static gboolean
parse_size (const char *size,
            guint64    *width,
            guint64    *height)
{
  const char *x = strchr (size, 'x');
  g_autofree char *w = NULL;

  if (x == NULL)
    return FALSE;

  w = g_strndup (size, x - size);
  return g_ascii_string_to_unsigned (w, 10, 1, G_MAXUINT32, width, NULL) &&
         g_ascii_string_to_unsigned (x + 1, 10, 1, G_MAXUINT32, height, NULL);
}

/* W:H, whole numbers from 1 to 100: every ratio the chat models and
 * Gemini list (1:1, 16:9, 21:9…) and nothing that reads as a size. */
static gboolean
check_aspect_ratio (const char  *ratio,
                    GError     **error)
{
  g_auto(GStrv) sides = NULL;
  guint64 w, h;

  if (ratio == NULL)
    return TRUE;

  sides = g_strsplit (ratio, ":", -1);
  if (g_strv_length (sides) != 2 ||
      !g_ascii_string_to_unsigned (sides[0], 10, 1, 100, &w, NULL) ||
      !g_ascii_string_to_unsigned (sides[1], 10, 1, 100, &h, NULL))
    /* TRANSLATORS: W:H stands for width:height; keep the examples */
    return invalid (error, "aspect-ratio",
                    _("“%s” is not W:H with whole numbers from 1 to 100 (e.g. 1:1, 16:9)"), ratio);

  return TRUE;
}

static gboolean
check_size (const char  *size,
            GError     **error)
{
  guint64 w, h;

  if (size == NULL ||
      g_str_equal (size, "auto") ||
      g_str_equal (size, "1024x1024") ||
      g_str_equal (size, "1024x1536") ||
      g_str_equal (size, "1536x1024"))
    return TRUE;

  if (!parse_size (size, &w, &h))
    return invalid (error, "size",
                    _("“%s” is not WIDTHxHEIGHT (e.g. 1024x1536) or auto"), size);

  if (w % SIZE_STEP != 0 || h % SIZE_STEP != 0)
    return invalid (error, "size", _("%s: both sides must be multiples of %d"),
                    size, SIZE_STEP);

  if (w > SIZE_MAX_SIDE || h > SIZE_MAX_SIDE || w * h > SIZE_MAX_PIXELS)
    return invalid (error, "size", _("%s is larger than %dx%d"),
                    size, SIZE_MAX_SIDE, SIZE_MAX_PIXELS / SIZE_MAX_SIDE);

  if (w > 3 * h || h > 3 * w)
    return invalid (error, "size", _("%s: the aspect ratio must be within 3:1"), size);

  return TRUE;
}

static gboolean
check_base_url (const char  *base_url,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (base_url == NULL)
    return TRUE;

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return invalid (error, "base-url", _("“%s” is not a URL"), base_url);

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    return invalid (error, "base-url", _("“%s” is not an http or https URL"), base_url);

  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return invalid (error, "base-url", _("“%s” has no host"), base_url);

  if (g_uri_get_userinfo (uri) != NULL)
    return invalid (error, "base-url", _("credentials do not belong in the URL"));

  return TRUE;
}

static const char *
default_model (RfRequest *self)
{
  return self->provider == RF_PROVIDER_OPENROUTER ? "openai/gpt-5" : "gpt-5";
}

static const char *
default_image_model (RfRequest *self)
{
  if (self->provider == RF_PROVIDER_GEMINI)
    return "gemini-2.5-flash-image";
  /* An image model that answers chat completions; OpenRouter names it
   * with its vendor. */
  if (self->api == RF_REQUEST_API_CHAT)
    return "google/gemini-2.5-flash-image";

  /* OpenRouter routes /images by the top-level model, which needs the
   * vendor prefix; the tool inside a Responses request does not. */
  if (self->provider == RF_PROVIDER_OPENROUTER && self->api == RF_REQUEST_API_IMAGES)
    return "openai/gpt-image-1";
  return "gpt-image-1";
}

static void
rf_request_finalize (GObject *object)
{
  RfRequest *self = (RfRequest *)object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->image_model, g_free);
  g_clear_pointer (&self->size, g_free);
  g_clear_pointer (&self->quality, g_free);
  g_clear_pointer (&self->output_format, g_free);
  g_clear_pointer (&self->background, g_free);
  g_clear_pointer (&self->moderation, g_free);
  g_clear_pointer (&self->aspect_ratio, g_free);

  G_OBJECT_CLASS (rf_request_parent_class)->finalize (object);
}

static void
rf_request_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  RfRequest *self = RF_REQUEST (object);

  switch (prop_id)
    {
    case PROP_API:
      g_value_set_int (value, self->api);
      break;
    case PROP_PROVIDER:
      g_value_set_int (value, self->provider);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, rf_request_get_base_url (self));
      break;
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_MODEL:
      g_value_set_string (value, rf_request_get_model (self));
      break;
    case PROP_IMAGE_MODEL:
      g_value_set_string (value, rf_request_get_image_model (self));
      break;
    case PROP_PARTIAL_IMAGES:
      g_value_set_int (value, self->partial_images);
      break;
    case PROP_SIZE:
      g_value_set_string (value, self->size);
      break;
    case PROP_QUALITY:
      g_value_set_string (value, self->quality);
      break;
    case PROP_OUTPUT_FORMAT:
      g_value_set_string (value, self->output_format);
      break;
    case PROP_OUTPUT_COMPRESSION:
      g_value_set_int (value, self->output_compression);
      break;
    case PROP_BACKGROUND:
      g_value_set_string (value, self->background);
      break;
    case PROP_MODERATION:
      g_value_set_string (value, self->moderation);
      break;
    case PROP_BACKGROUND_MODE:
      g_value_set_boolean (value, self->background_mode);
      break;
    case PROP_ASPECT_RATIO:
      g_value_set_string (value, self->aspect_ratio);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_request_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  RfRequest *self = RF_REQUEST (object);

  switch (prop_id)
    {
    case PROP_API:
      rf_request_set_api (self, g_value_get_int (value));
      break;
    case PROP_PROVIDER:
      rf_request_set_provider (self, g_value_get_int (value));
      break;
    case PROP_BASE_URL:
      rf_request_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_PROMPT:
      rf_request_set_prompt (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      rf_request_set_model (self, g_value_get_string (value));
      break;
    case PROP_IMAGE_MODEL:
      rf_request_set_image_model (self, g_value_get_string (value));
      break;
    case PROP_PARTIAL_IMAGES:
      rf_request_set_partial_images (self, g_value_get_int (value));
      break;
    case PROP_SIZE:
      rf_request_set_size (self, g_value_get_string (value));
      break;
    case PROP_QUALITY:
      rf_request_set_quality (self, g_value_get_string (value));
      break;
    case PROP_OUTPUT_FORMAT:
      rf_request_set_output_format (self, g_value_get_string (value));
      break;
    case PROP_OUTPUT_COMPRESSION:
      rf_request_set_output_compression (self, g_value_get_int (value));
      break;
    case PROP_BACKGROUND:
      rf_request_set_background (self, g_value_get_string (value));
      break;
    case PROP_MODERATION:
      rf_request_set_moderation (self, g_value_get_string (value));
      break;
    case PROP_BACKGROUND_MODE:
      rf_request_set_background_mode (self, g_value_get_boolean (value));
      break;
    case PROP_ASPECT_RATIO:
      rf_request_set_aspect_ratio (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_request_class_init (RfRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rf_request_finalize;
  object_class->get_property = rf_request_get_property;
  object_class->set_property = rf_request_set_property;

  /* Enums as ints: the core registers no enum GTypes for these. */
  properties [PROP_API] =
    g_param_spec_int ("api", NULL, NULL, 0, RF_REQUEST_API_CHAT, 0, flags);
  properties [PROP_PROVIDER] =
    g_param_spec_int ("provider", NULL, NULL, 0, RF_PROVIDER_GEMINI, 0, flags);
  properties [PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL, flags);
  properties [PROP_PROMPT] =
    g_param_spec_string ("prompt", NULL, NULL, NULL, flags);
  properties [PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL, flags);
  properties [PROP_IMAGE_MODEL] =
    g_param_spec_string ("image-model", NULL, NULL, NULL, flags);
  properties [PROP_PARTIAL_IMAGES] =
    g_param_spec_int ("partial-images", NULL, NULL, 0, 3, 3, flags);
  properties [PROP_SIZE] =
    g_param_spec_string ("size", NULL, NULL, NULL, flags);
  properties [PROP_QUALITY] =
    g_param_spec_string ("quality", NULL, NULL, NULL, flags);
  properties [PROP_OUTPUT_FORMAT] =
    g_param_spec_string ("output-format", NULL, NULL, NULL, flags);
  properties [PROP_OUTPUT_COMPRESSION] =
    g_param_spec_int ("output-compression", NULL, NULL, -1, 100, -1, flags);
  properties [PROP_BACKGROUND] =
    g_param_spec_string ("background", NULL, NULL, NULL, flags);
  properties [PROP_MODERATION] =
    g_param_spec_string ("moderation", NULL, NULL, NULL, flags);
  properties [PROP_BACKGROUND_MODE] =
    g_param_spec_boolean ("background-mode", NULL, NULL, FALSE, flags);
  properties [PROP_ASPECT_RATIO] =
    g_param_spec_string ("aspect-ratio", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rf_request_init (RfRequest *self)
{
  self->api = RF_REQUEST_API_RESPONSES;
  self->provider = RF_PROVIDER_OPENAI;
  self->partial_images = 3;
  self->output_compression = -1;
}

RfRequest *
rf_request_new (void)
{
  return g_object_new (RF_TYPE_REQUEST, NULL);
}

RfRequest *
rf_request_copy (RfRequest *self)
{
  RfRequest *copy;

  g_return_val_if_fail (RF_IS_REQUEST (self), NULL);

  copy = rf_request_new ();
  copy->api = self->api;
  copy->provider = self->provider;
  copy->base_url = g_strdup (self->base_url);
  copy->prompt = g_strdup (self->prompt);
  copy->model = g_strdup (self->model);
  copy->image_model = g_strdup (self->image_model);
  copy->size = g_strdup (self->size);
  copy->quality = g_strdup (self->quality);
  copy->output_format = g_strdup (self->output_format);
  copy->background = g_strdup (self->background);
  copy->moderation = g_strdup (self->moderation);
  copy->aspect_ratio = g_strdup (self->aspect_ratio);
  copy->partial_images = self->partial_images;
  copy->output_compression = self->output_compression;
  copy->background_mode = self->background_mode;

  return copy;
}

RfRequestApi
rf_request_get_api (RfRequest *self)
{
  g_return_val_if_fail (RF_IS_REQUEST (self), 0);
  return self->api;
}

void
rf_request_set_api (RfRequest    *self,
                    RfRequestApi  api)
{
  g_return_if_fail (RF_IS_REQUEST (self));
  g_return_if_fail (api <= RF_REQUEST_API_CHAT);

  if (self->api != api)
    {
      self->api = api;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_API]);
    }
}

RfProvider
rf_request_get_provider (RfRequest *self)
{
  g_return_val_if_fail (RF_IS_REQUEST (self), 0);
  return self->provider;
}

void
rf_request_set_provider (RfRequest  *self,
                         RfProvider  provider)
{
  g_return_if_fail (RF_IS_REQUEST (self));
  g_return_if_fail (provider <= RF_PROVIDER_GEMINI);

  if (self->provider != provider)
    {
      self->provider = provider;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROVIDER]);
    }
}

const char *
rf_request_get_base_url (RfRequest *self)
{
  g_return_val_if_fail (RF_IS_REQUEST (self), NULL);

  if (self->base_url != NULL)
    return self->base_url;

  switch (self->provider)
    {
    case RF_PROVIDER_OPENAI:
      return RF_REQUEST_OPENAI_BASE_URL;
    case RF_PROVIDER_OPENROUTER:
      return RF_REQUEST_OPENROUTER_BASE_URL;
    case RF_PROVIDER_GEMINI:
      return RF_REQUEST_GEMINI_BASE_URL;
    case RF_PROVIDER_CUSTOM:
    default:
      return NULL;
    }
}

void
rf_request_set_base_url (RfRequest  *self,
                         const char *base_url)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (RF_IS_REQUEST (self));

  /* Endpoints are appended with a slash. */
  if (base_url != NULL)
    {
      gsize len;

      trimmed = g_strstrip (g_strdup (base_url));
      len = strlen (trimmed);
      while (len > 0 && trimmed[len - 1] == '/')
        trimmed[--len] = '\0';
    }

  if (set_string (&self->base_url, trimmed))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BASE_URL]);
}

#define STRING_ACCESSORS(field, PROP, fallback) \
const char * \
rf_request_get_##field (RfRequest *self) \
{ \
  g_return_val_if_fail (RF_IS_REQUEST (self), NULL); \
  return self->field != NULL ? self->field : fallback; \
} \
\
void \
rf_request_set_##field (RfRequest  *self, \
                        const char *value) \
{ \
  g_return_if_fail (RF_IS_REQUEST (self)); \
  if (set_string (&self->field, value)) \
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP]); \
}

STRING_ACCESSORS (prompt, PROP_PROMPT, NULL)
STRING_ACCESSORS (model, PROP_MODEL, default_model (self))
STRING_ACCESSORS (image_model, PROP_IMAGE_MODEL, default_image_model (self))
STRING_ACCESSORS (size, PROP_SIZE, NULL)
STRING_ACCESSORS (quality, PROP_QUALITY, NULL)
STRING_ACCESSORS (output_format, PROP_OUTPUT_FORMAT, NULL)
STRING_ACCESSORS (background, PROP_BACKGROUND, NULL)
STRING_ACCESSORS (moderation, PROP_MODERATION, NULL)
STRING_ACCESSORS (aspect_ratio, PROP_ASPECT_RATIO, NULL)

#undef STRING_ACCESSORS

gboolean
_rf_request_is_chat_like (RfRequest *self)
{
  return self->api == RF_REQUEST_API_CHAT || self->provider == RF_PROVIDER_GEMINI;
}

const char *
_rf_request_get_call_model (RfRequest *self)
{
  if (self->image_model != NULL)
    return self->image_model;
  if (self->model != NULL)
    return self->model;
  return default_image_model (self);
}

int
rf_request_get_partial_images (RfRequest *self)
{
  g_return_val_if_fail (RF_IS_REQUEST (self), 0);

  /* Nothing was asked for: no count of partials is expected. */
  if (_rf_request_is_chat_like (self))
    return -1;

  return self->partial_images;
}

void
rf_request_set_partial_images (RfRequest *self,
                               int        partial_images)
{
  g_return_if_fail (RF_IS_REQUEST (self));

  if (self->partial_images != partial_images)
    {
      self->partial_images = partial_images;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PARTIAL_IMAGES]);
    }
}

int
rf_request_get_output_compression (RfRequest *self)
{
  g_return_val_if_fail (RF_IS_REQUEST (self), -1);
  return self->output_compression;
}

void
rf_request_set_output_compression (RfRequest *self,
                                   int        compression)
{
  g_return_if_fail (RF_IS_REQUEST (self));

  if (compression < -1)
    compression = -1;

  if (self->output_compression != compression)
    {
      self->output_compression = compression;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_OUTPUT_COMPRESSION]);
    }
}

gboolean
rf_request_get_background_mode (RfRequest *self)
{
  g_return_val_if_fail (RF_IS_REQUEST (self), FALSE);
  return self->background_mode;
}

void
rf_request_set_background_mode (RfRequest *self,
                                gboolean   background_mode)
{
  g_return_if_fail (RF_IS_REQUEST (self));

  background_mode = !!background_mode;
  if (self->background_mode != background_mode)
    {
      self->background_mode = background_mode;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BACKGROUND_MODE]);
    }
}

int
rf_request_get_n (RfRequest *self)
{
  return 1;
}

static gboolean
parse_bool (const char *value,
            gboolean   *out)
{
  if (value == NULL ||
      g_ascii_strcasecmp (value, "true") == 0 ||
      g_ascii_strcasecmp (value, "yes") == 0 ||
      g_ascii_strcasecmp (value, "on") == 0 ||
      g_str_equal (value, "1"))
    {
      *out = TRUE;
      return TRUE;
    }

  if (g_ascii_strcasecmp (value, "false") == 0 ||
      g_ascii_strcasecmp (value, "no") == 0 ||
      g_ascii_strcasecmp (value, "off") == 0 ||
      g_str_equal (value, "0"))
    {
      *out = FALSE;
      return TRUE;
    }

  return FALSE;
}

gboolean
rf_request_set_option (RfRequest   *self,
                       const char  *name,
                       const char  *value,
                       GError     **error)
{
  g_return_val_if_fail (RF_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_str_equal (name, "background-mode"))
    {
      gboolean b;

      if (!parse_bool (value, &b))
        return invalid (error, name, _("“%s” is not true or false"), value);
      rf_request_set_background_mode (self, b);
      return TRUE;
    }

  if (value == NULL)
    return invalid (error, name, _("a value is required"));

  if (g_str_equal (name, "prompt"))
    {
      if (g_utf8_strlen (value, -1) == 0 || !g_utf8_validate (value, -1, NULL))
        return invalid (error, name, _("the prompt is empty or not UTF-8"));
      rf_request_set_prompt (self, value);
    }
  else if (g_str_equal (name, "api"))
    {
      if (g_str_equal (value, "responses"))
        rf_request_set_api (self, RF_REQUEST_API_RESPONSES);
      else if (g_str_equal (value, "images"))
        rf_request_set_api (self, RF_REQUEST_API_IMAGES);
      else if (g_str_equal (value, "chat"))
        rf_request_set_api (self, RF_REQUEST_API_CHAT);
      else
        return invalid (error, name, _("“%s” is not one of %s"), value, "responses, images, chat");
    }
  else if (g_str_equal (name, "provider"))
    {
      if (g_str_equal (value, "openai"))
        rf_request_set_provider (self, RF_PROVIDER_OPENAI);
      else if (g_str_equal (value, "openrouter"))
        rf_request_set_provider (self, RF_PROVIDER_OPENROUTER);
      else if (g_str_equal (value, "custom"))
        rf_request_set_provider (self, RF_PROVIDER_CUSTOM);
      else if (g_str_equal (value, "gemini"))
        rf_request_set_provider (self, RF_PROVIDER_GEMINI);
      else
        return invalid (error, name, _("“%s” is not one of %s"), value,
                        "openai, openrouter, gemini, custom");
    }
  else if (g_str_equal (name, "base-url"))
    {
      if (!check_base_url (value[0] != '\0' ? value : NULL, error))
        return FALSE;
      rf_request_set_base_url (self, value);
    }
  else if (g_str_equal (name, "model") || g_str_equal (name, "image-model"))
    {
      g_autofree char *stripped = g_strstrip (g_strdup (value));

      if (stripped[0] == '\0')
        return invalid (error, name, _("the model name is empty"));
      if (g_str_equal (name, "model"))
        rf_request_set_model (self, stripped);
      else
        rf_request_set_image_model (self, stripped);
    }
  else if (g_str_equal (name, "partial-images") || g_str_equal (name, "compression"))
    {
      gboolean partials = g_str_equal (name, "partial-images");
      guint64 n;

      if (!g_ascii_string_to_unsigned (value, 10, 0, partials ? 3 : 100, &n, NULL))
        return invalid (error, name, _("“%s” is not a whole number from 0 to %d"),
                        value, partials ? 3 : 100);
      if (partials)
        rf_request_set_partial_images (self, (int) n);
      else
        rf_request_set_output_compression (self, (int) n);
    }
  else if (g_str_equal (name, "size"))
    {
      if (!check_size (value, error))
        return FALSE;
      rf_request_set_size (self, value);
    }
  else if (g_str_equal (name, "quality"))
    {
      if (!check_choice (name, value, qualities, error))
        return FALSE;
      rf_request_set_quality (self, value);
    }
  else if (g_str_equal (name, "format"))
    {
      if (g_ascii_strcasecmp (value, "jpg") == 0)
        value = "jpeg";
      if (!check_choice (name, value, formats, error))
        return FALSE;
      rf_request_set_output_format (self, value);
    }
  else if (g_str_equal (name, "background"))
    {
      if (!check_choice (name, value, backgrounds, error))
        return FALSE;
      rf_request_set_background (self, value);
    }
  else if (g_str_equal (name, "moderation"))
    {
      if (!check_choice (name, value, moderations, error))
        return FALSE;
      rf_request_set_moderation (self, value);
    }
  else if (g_str_equal (name, "aspect-ratio"))
    {
      if (!check_aspect_ratio (value, error))
        return FALSE;
      rf_request_set_aspect_ratio (self, value);
    }
  else
    {
      g_set_error (error, RF_ERROR, RF_ERROR_USAGE, _("Unknown request option “%s”"), name);
      return FALSE;
    }

  return TRUE;
}

gboolean
rf_request_validate (RfRequest  *self,
                     GError    **error)
{
  const char *format;

  g_return_val_if_fail (RF_IS_REQUEST (self), FALSE);

  if (self->prompt == NULL || !g_utf8_validate (self->prompt, -1, NULL))
    return invalid (error, "prompt", _("a prompt is required"));

  if (rf_request_get_base_url (self) == NULL)
    return invalid (error, "base-url", _("a custom provider needs a base URL"));
  if (!check_base_url (rf_request_get_base_url (self), error))
    return FALSE;

  if (self->partial_images < 0 || self->partial_images > 3)
    return invalid (error, "partial-images", _("%d is not from 0 to 3"), self->partial_images);

  if (!check_size (self->size, error) ||
      !check_choice ("quality", self->quality, qualities, error) ||
      !check_choice ("format", self->output_format, formats, error) ||
      !check_choice ("background", self->background, backgrounds, error) ||
      !check_choice ("moderation", self->moderation, moderations, error))
    return FALSE;

  format = self->output_format != NULL ? self->output_format : "png";

  if (self->output_compression > 100)
    return invalid (error, "compression", _("%d is not from 0 to 100"), self->output_compression);
  if (self->output_compression >= 0 && g_str_equal (format, "png"))
    return invalid (error, "compression", _("only jpeg and webp images are compressed"));

  if (g_strcmp0 (self->background, "transparent") == 0 && g_str_equal (format, "jpeg"))
    return invalid (error, "background", _("jpeg images cannot be transparent"));

  if (!check_aspect_ratio (self->aspect_ratio, error))
    return FALSE;

  if (self->provider == RF_PROVIDER_GEMINI && self->api != RF_REQUEST_API_RESPONSES)
    /* TRANSLATORS: Gemini is a product name; “API” is the --api option */
    return invalid (error, "api", _("Gemini has an API of its own: leave the API out"));

  if (self->api == RF_REQUEST_API_CHAT && self->provider == RF_PROVIDER_OPENAI)
    /* TRANSLATORS: OpenAI and OpenRouter are names; chat completions is
     * the name of an API */
    return invalid (error, "api", _("OpenAI’s chat completions return no images: use OpenRouter"));

  if (_rf_request_is_chat_like (self))
    {
      /* What these APIs would ignore is refused rather than dropped
       * without a word. */
      const struct { const char *field; gboolean set; } unsent[] = {
        { "size", self->size != NULL },
        { "quality", self->quality != NULL },
        { "format", self->output_format != NULL },
        { "compression", self->output_compression >= 0 },
        { "background", self->background != NULL },
        { "moderation", self->moderation != NULL },
      };

      for (guint i = 0; i < G_N_ELEMENTS (unsent); i++)
        if (unsent[i].set)
          /* TRANSLATORS: the Responses and Images APIs are names of APIs;
           * an aspect ratio is e.g. 16:9 */
          return invalid (error, unsent[i].field,
                          g_str_equal (unsent[i].field, "size")
                            ? _("only the Responses and Images APIs take a size: give an aspect ratio")
                            : _("only the Responses and Images APIs take it"));
    }
  else if (self->aspect_ratio != NULL)
    /* TRANSLATORS: chat completions and Gemini are names of APIs */
    return invalid (error, "aspect-ratio", _("only chat completions and Gemini take an aspect ratio: give a size"));

  if (self->background_mode)
    {
      if (self->api != RF_REQUEST_API_RESPONSES || self->provider == RF_PROVIDER_GEMINI)
        /* TRANSLATORS: “runs” is the verb: background mode exists only in
         * OpenAI’s Responses API (a product name: keep it) */
        return invalid (error, "background-mode", _("only the Responses API runs in the background"));
      if (self->provider == RF_PROVIDER_OPENROUTER)
        return invalid (error, "background-mode", _("OpenRouter cannot resume a stream"));
    }

  return TRUE;
}
