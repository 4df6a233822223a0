/*
 * test-request.c
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

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "rf-http-source.h"
#include "rf-request.h"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static RfRequest *
new_request (void)
{
  RfRequest *req = rf_request_new ();

  rf_request_set_prompt (req, "A river of owl feathers");
  return req;
}

static void
test_responses_body (void)
{
  g_autoptr(RfRequest) req = new_request ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *json = NULL;
  g_autofree char *uri = NULL;
  JsonArray *tools;
  JsonObject *tool;

  g_assert_true (rf_request_set_option (req, "partial-images", "2", &error));
  g_assert_true (rf_request_set_option (req, "quality", "low", &error));
  g_assert_true (rf_request_set_option (req, "format", "webp", &error));
  g_assert_true (rf_request_set_option (req, "compression", "80", &error));
  g_assert_true (rf_request_set_option (req, "size", "1024x1536", &error));
  g_assert_true (rf_request_set_option (req, "background", "opaque", &error));
  g_assert_true (rf_request_set_option (req, "moderation", "low", &error));
  g_assert_no_error (error);

  json = rf_request_build_body (req, &error);
  g_assert_no_error (error);
  body = parse_object (json);

  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "gpt-5");
  g_assert_cmpstr (json_object_get_string_member (body, "input"), ==, "A river of owl feathers");
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_false (json_object_has_member (body, "background"));
  g_assert_false (json_object_has_member (body, "store"));

  tools = json_object_get_array_member (body, "tools");
  g_assert_cmpuint (json_array_get_length (tools), ==, 1);
  tool = json_array_get_object_element (tools, 0);
  g_assert_cmpstr (json_object_get_string_member (tool, "type"), ==, "image_generation");
  g_assert_cmpstr (json_object_get_string_member (tool, "model"), ==, "gpt-image-1");
  g_assert_cmpint (json_object_get_int_member (tool, "partial_images"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (tool, "quality"), ==, "low");
  g_assert_cmpstr (json_object_get_string_member (tool, "output_format"), ==, "webp");
  g_assert_cmpint (json_object_get_int_member (tool, "output_compression"), ==, 80);
  g_assert_cmpstr (json_object_get_string_member (tool, "size"), ==, "1024x1536");
  g_assert_cmpstr (json_object_get_string_member (tool, "background"), ==, "opaque");
  g_assert_cmpstr (json_object_get_string_member (tool, "moderation"), ==, "low");

  uri = rf_request_dup_endpoint_uri (req);
  g_assert_cmpstr (uri, ==, "https://api.openai.com/v1/responses");
}

static void
test_unset_fields_left_out (void)
{
  g_autoptr(RfRequest) req = new_request ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *json = NULL;
  JsonObject *tool;

  json = rf_request_build_body (req, &error);
  g_assert_no_error (error);
  body = parse_object (json);
  tool = json_array_get_object_element (json_object_get_array_member (body, "tools"), 0);

  g_assert_cmpint (json_object_get_int_member (tool, "partial_images"), ==, 3);
  g_assert_false (json_object_has_member (tool, "size"));
  g_assert_false (json_object_has_member (tool, "quality"));
  g_assert_false (json_object_has_member (tool, "output_compression"));
  g_assert_false (json_object_has_member (tool, "background"));
}

static void
test_images_body (void)
{
  g_autoptr(RfRequest) req = new_request ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *json = NULL;
  g_autofree char *uri = NULL;

  g_assert_true (rf_request_set_option (req, "api", "images", &error));
  g_assert_true (rf_request_set_option (req, "partial-images", "0", &error));
  g_assert_true (rf_request_set_option (req, "image-model", "gpt-image-1-mini", &error));
  g_assert_true (rf_request_set_option (req, "size", "1536x1024", &error));

  json = rf_request_build_body (req, &error);
  g_assert_no_error (error);
  body = parse_object (json);

  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "gpt-image-1-mini");
  g_assert_cmpstr (json_object_get_string_member (body, "prompt"), ==, "A river of owl feathers");
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_cmpint (json_object_get_int_member (body, "n"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (body, "partial_images"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (body, "size"), ==, "1536x1024");
  g_assert_false (json_object_has_member (body, "input"));
  g_assert_false (json_object_has_member (body, "tools"));

  uri = rf_request_dup_endpoint_uri (req);
  g_assert_cmpstr (uri, ==, "https://api.openai.com/v1/images/generations");
}

static void
test_openrouter (void)
{
  g_autoptr(RfRequest) req = new_request ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *images_uri = NULL;
  g_auto(GStrv) headers = NULL;
  gboolean referer = FALSE, title = FALSE;

  g_assert_true (rf_request_set_option (req, "provider", "openrouter", &error));
  g_assert_cmpstr (rf_request_get_model (req), ==, "openai/gpt-5");
  g_assert_cmpstr (rf_request_get_base_url (req), ==, "https://openrouter.ai/api/v1");

  uri = rf_request_dup_endpoint_uri (req);
  g_assert_cmpstr (uri, ==, "https://openrouter.ai/api/v1/responses");

  headers = rf_request_dup_extra_headers (req);
  for (guint i = 0; headers[i] != NULL; i += 2)
    {
      g_assert_nonnull (headers[i + 1]);
      referer |= g_str_equal (headers[i], "HTTP-Referer");
      title |= g_str_equal (headers[i], "X-Title");
    }
  g_assert_true (referer);
  g_assert_true (title);

  rf_request_set_api (req, RF_REQUEST_API_IMAGES);
  images_uri = rf_request_dup_endpoint_uri (req);
  g_assert_cmpstr (images_uri, ==, "https://openrouter.ai/api/v1/images");
  g_assert_cmpstr (rf_request_get_image_model (req), ==, "openai/gpt-image-1");

  /* No attribution headers for anyone else. */
  {
    g_autoptr(RfRequest) openai = new_request ();
    g_auto(GStrv) none = rf_request_dup_extra_headers (openai);

    g_assert_cmpuint (g_strv_length (none), ==, 0);
  }
}

static void
test_base_url (void)
{
  g_autoptr(RfRequest) req = new_request ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  g_assert_true (rf_request_set_option (req, "provider", "custom", &error));
  g_assert_false (rf_request_validate (req, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "base-url"));
  g_clear_error (&error);

  g_assert_true (rf_request_set_option (req, "base-url", "http://127.0.0.1:8080/v1/", &error));
  g_assert_no_error (error);
  g_assert_true (rf_request_validate (req, &error));
  uri = rf_request_dup_endpoint_uri (req);
  g_assert_cmpstr (uri, ==, "http://127.0.0.1:8080/v1/responses");

  g_assert_false (rf_request_set_option (req, "base-url", "ftp://example.com/v1", &error));
  g_assert_nonnull (strstr (error->message, "base-url"));
  g_clear_error (&error);

  g_assert_false (rf_request_set_option (req, "base-url", "https://user:secret@example.com", &error));
  g_assert_nonnull (strstr (error->message, "base-url"));
  g_assert_null (strstr (error->message, "secret"));
  g_clear_error (&error);
}

typedef struct
{
  const char *name;
  const char *value;
} Option;

static void
test_invalid_options (void)
{
  static const Option bad[] = {
    { "partial-images", "4" },
    { "partial-images", "-1" },
    { "partial-images", "two" },
    { "size", "1000x1000" },
    { "size", "4096x4096" },
    { "size", "3840x1024" },
    { "size", "big" },
    { "size", "1024x" },
    { "quality", "ultra" },
    { "format", "gif" },
    { "background", "green" },
    { "moderation", "none" },
    { "compression", "101" },
    { "api", "completions" },
    { "aspect-ratio", "16x9" },
    { "provider", "elsewhere" },
    { "model", "  " },
    { "image-model", "" },
    { "background-mode", "maybe" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(RfRequest) req = new_request ();
      g_autoptr(GError) error = NULL;

      g_assert_false (rf_request_set_option (req, bad[i].name, bad[i].value, &error));
      g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_PARAMETER);
      if (strstr (error->message, bad[i].name) == NULL)
        g_error ("“%s” does not name %s", error->message, bad[i].name);
    }

  {
    g_autoptr(RfRequest) req = new_request ();
    g_autoptr(GError) error = NULL;

    g_assert_false (rf_request_set_option (req, "no-such-option", "1", &error));
    g_assert_error (error, RF_ERROR, RF_ERROR_USAGE);
  }
}

static void
test_sizes (void)
{
  static const char * const good[] = {
    "auto", "1024x1024", "1024x1536", "1536x1024", "2048x1152", "3840x2160", "16x48", "1024x3072",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(RfRequest) req = new_request ();
      g_autoptr(GError) error = NULL;

      g_assert_true (rf_request_set_option (req, "size", good[i], &error));
      g_assert_no_error (error);
      g_assert_true (rf_request_validate (req, &error));
      g_assert_cmpstr (rf_request_get_size (req), ==, good[i]);
    }
}

static void
test_validate_combinations (void)
{
  struct {
    const char *field;
    const Option options[3];
  } cases[] = {
    { "compression", { { "compression", "50" } } },
    { "compression", { { "format", "png" }, { "compression", "50" } } },
    { "background", { { "format", "jpeg" }, { "background", "transparent" } } },
    { "background-mode", { { "api", "images" }, { "background-mode", NULL } } },
    { "background-mode", { { "provider", "openrouter" }, { "background-mode", "true" } } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RfRequest) req = new_request ();
      g_autoptr(GError) error = NULL;
      g_autofree char *body = NULL;

      for (guint j = 0; j < G_N_ELEMENTS (cases[i].options) && cases[i].options[j].name; j++)
        {
          g_assert_true (rf_request_set_option (req, cases[i].options[j].name,
                                                cases[i].options[j].value, &error));
          g_assert_no_error (error);
        }

      g_assert_false (rf_request_validate (req, &error));
      g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_PARAMETER);
      g_assert_nonnull (strstr (error->message, cases[i].field));
      g_clear_error (&error);

      /* Refused before anything could be sent. */
      body = rf_request_build_body (req, &error);
      g_assert_null (body);
      g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_PARAMETER);
    }

  {
    g_autoptr(RfRequest) req = rf_request_new ();
    g_autoptr(GError) error = NULL;

    g_assert_false (rf_request_validate (req, &error));
    g_assert_nonnull (strstr (error->message, "prompt"));
  }
}

static void
test_background_mode (void)
{
  g_autoptr(RfRequest) req = new_request ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *json = NULL;
  g_autofree char *resume = NULL;
  g_autofree char *resume_start = NULL;

  g_assert_true (rf_request_set_option (req, "background-mode", NULL, &error));
  json = rf_request_build_body (req, &error);
  g_assert_no_error (error);
  body = parse_object (json);

  g_assert_true (json_object_get_boolean_member (body, "background"));
  g_assert_true (json_object_get_boolean_member (body, "store"));
  g_assert_true (json_object_get_boolean_member (body, "stream"));

  resume = rf_request_dup_resume_uri (req, "resp_abc", 7);
  g_assert_cmpstr (resume, ==,
                   "https://api.openai.com/v1/responses/resp_abc?stream=true&starting_after=7");
  resume_start = rf_request_dup_resume_uri (req, "resp_abc", -1);
  g_assert_cmpstr (resume_start, ==, "https://api.openai.com/v1/responses/resp_abc?stream=true");
}

static void
test_redacted_json (void)
{
  g_autoptr(RfRequest) req = new_request ();
  g_autoptr(JsonObject) obj = NULL;
  g_autofree char *json = NULL;
  JsonObject *body;

  g_setenv ("REFINERY_API_KEY", "sk-test-redacted-0123456789", TRUE);
  rf_request_set_partial_images (req, 1);

  json = rf_request_dup_redacted_json (req);
  g_assert_nonnull (json);
  g_assert_null (strstr (json, "sk-test-redacted"));

  obj = parse_object (json);
  g_assert_cmpstr (json_object_get_string_member (obj, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (obj, "url"), ==,
                   "https://api.openai.com/v1/responses");
  g_assert_cmpstr (json_object_get_string_member (obj, "api"), ==, "responses");
  g_assert_cmpstr (json_object_get_string_member (obj, "provider"), ==, "openai");
  g_assert_cmpint (json_object_get_int_member (obj, "partial_images"), ==, 1);
  body = json_object_get_object_member (obj, "body");
  g_assert_nonnull (body);
  g_assert_cmpstr (json_object_get_string_member (body, "input"), ==, "A river of owl feathers");

  g_unsetenv ("REFINERY_API_KEY");
}

static void
test_api_key_lookup (void)
{
  char *key;

  g_unsetenv ("REFINERY_API_KEY");
  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("OPENROUTER_API_KEY");
  g_assert_null (rf_request_lookup_api_key (RF_PROVIDER_OPENAI));

  g_setenv ("OPENAI_API_KEY", "openai-key", TRUE);
  g_setenv ("OPENROUTER_API_KEY", "openrouter-key\n", TRUE);

  key = rf_request_lookup_api_key (RF_PROVIDER_OPENAI);
  g_assert_cmpstr (key, ==, "openai-key");
  g_free (key);
  key = rf_request_lookup_api_key (RF_PROVIDER_OPENROUTER);
  g_assert_cmpstr (key, ==, "openrouter-key");
  g_free (key);

  g_setenv ("REFINERY_API_KEY", "refinery-key", TRUE);
  key = rf_request_lookup_api_key (RF_PROVIDER_OPENAI);
  g_assert_cmpstr (key, ==, "refinery-key");
  g_free (key);
  key = rf_request_lookup_api_key (RF_PROVIDER_OPENROUTER);
  g_assert_cmpstr (key, ==, "refinery-key");
  g_free (key);

  g_setenv ("REFINERY_API_KEY", "", TRUE);
  key = rf_request_lookup_api_key (RF_PROVIDER_OPENAI);
  g_assert_cmpstr (key, ==, "openai-key");
  g_free (key);

  g_unsetenv ("REFINERY_API_KEY");
  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("OPENROUTER_API_KEY");
}

static void
test_copy (void)
{
  g_autoptr(RfRequest) req = new_request ();
  g_autoptr(RfRequest) copy = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  rf_request_set_option (req, "provider", "openrouter", NULL);
  rf_request_set_option (req, "size", "2048x1152", NULL);
  rf_request_set_option (req, "format", "jpg", NULL);
  copy = rf_request_copy (req);

  a = rf_request_build_body (req, NULL);
  b = rf_request_build_body (copy, NULL);
  g_assert_nonnull (a);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (rf_request_get_output_format (copy), ==, "jpeg");
}

/* Keys in a URL never show: a password, key=, api_key=, sig=, …; other
 * parameters, the path and the fragment stay as they are. */
static void
test_display_uri (void)
{
  static const struct {
    const char *uri;
    const char *shown;
    guint       n_secrets;
  } cases[] = {
    { "https://example.com/v1/responses", "https://example.com/v1/responses", 0 },
    { "https://g.example/v1beta/m:stream?alt=sse&key=AIzaSyA-0123456789",
      "https://g.example/v1beta/m:stream?alt=sse&key=[redacted]", 1 },
    { "http://user:hunter2hunter2@h:8080/p?API_KEY=abc;x=1#frag",
      "http://user:[redacted]@h:8080/p?API_KEY=[redacted];x=1#frag", 1 },
    { "https://h/p?sig=0123456789abcdef&token&keyword=visible",
      "https://h/p?sig=[redacted]&token&keyword=visible", 1 },
    { "https://user@h/p?q=key=x", "https://user@h/p?q=key=x", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *shown = rf_http_dup_display_uri (cases[i].uri, secrets);

      g_assert_cmpstr (shown, ==, cases[i].shown);
      g_assert_cmpuint (secrets->len, ==, cases[i].n_secrets);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/request/display-uri", test_display_uri);
  g_test_add_func ("/request/responses-body", test_responses_body);
  g_test_add_func ("/request/unset-fields-left-out", test_unset_fields_left_out);
  g_test_add_func ("/request/images-body", test_images_body);
  g_test_add_func ("/request/openrouter", test_openrouter);
  g_test_add_func ("/request/base-url", test_base_url);
  g_test_add_func ("/request/invalid-options", test_invalid_options);
  g_test_add_func ("/request/sizes", test_sizes);
  g_test_add_func ("/request/validate-combinations", test_validate_combinations);
  g_test_add_func ("/request/background-mode", test_background_mode);
  g_test_add_func ("/request/redacted-json", test_redacted_json);
  g_test_add_func ("/request/api-key-lookup", test_api_key_lookup);
  g_test_add_func ("/request/copy", test_copy);

  return g_test_run ();
}
