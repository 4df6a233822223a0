/*
 * rf-run-summary.c
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

#define G_LOG_DOMAIN "rf-run-summary"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "rf-core-resources.h"
#include "rf-event.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-run-summary.h"
#include "rf-session.h"

#define PRICES_PATH "/io/github/refinery/Refinery/core/prices.json"

static JsonObject *
prices (void)
{
  static JsonObject *table;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      g_autoptr(GBytes) bytes = g_resource_lookup_data (rf_core_get_resource (), PRICES_PATH, 0, NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonNode *root;

      if (bytes != NULL &&
          json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
        table = json_object_ref (json_node_get_object (root));
      else
        g_warning ("The built-in price table does not load: %s", error ? error->message : "missing");

      g_once_init_leave (&initialized, 1);
    }

  return table;
}

const char *
rf_prices_get_date (void)
{
  return prices () ? json_object_get_string_member_with_default (prices (), "date", NULL) : NULL;
}

const char *
rf_prices_get_source (void)
{
  return prices () ? json_object_get_string_member_with_default (prices (), "source", NULL) : NULL;
}

guint
rf_prices_get_partial_image_tokens (void)
{
  return prices () ? (guint) json_object_get_int_member_with_default (prices (), "partial_image_output_tokens", 0) : 0;
}

gboolean
rf_prices_lookup (const char *model,
                  double     *text_input,
                  double     *image_input,
                  double     *image_output)
{
  JsonObject *models;
  JsonObject *entry;

  if (model == NULL || prices () == NULL)
    return FALSE;

  /* OpenRouter names OpenAI's models "openai/…". */
  if (g_str_has_prefix (model, "openai/"))
    model += strlen ("openai/");

  models = json_object_get_object_member (prices (), "models");
  if (models == NULL || !json_object_has_member (models, model))
    return FALSE;
  entry = json_object_get_object_member (models, model);
  if (entry == NULL)
    return FALSE;

  *text_input = json_object_get_double_member_with_default (entry, "text_input", 0);
  *image_input = json_object_get_double_member_with_default (entry, "image_input", 0);
  *image_output = json_object_get_double_member_with_default (entry, "image_output", 0);
  return TRUE;
}

static JsonNode *
parse_small (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  /* The event's JSON with its images cut out: small, but from the stream. */
  if (json == NULL || strlen (json) > 1024 * 1024 ||
      !rf_json_safe_to_parse (json, -1, RF_JSON_MAX_DEPTH) ||
      !json_parser_load_from_data (parser, json, -1, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
    ? json_node_get_string (node) : NULL;
}

static gboolean
member_number (JsonObject *object,
               const char *name,
               double     *value)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = (double) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return TRUE;
    default:
      return FALSE;
    }
}

/* The image model of a request or an echoed response: the Images API's
 * "model", or the image_generation tool's (gpt-image-1 when the tool
 * names none, its documented default). */
static char *
model_of (JsonObject *object,
          gboolean    images_api)
{
  JsonNode *tools = json_object_get_member (object, "tools");

  if (tools != NULL && JSON_NODE_HOLDS_ARRAY (tools))
    {
      JsonArray *array = json_node_get_array (tools);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *tool = json_array_get_element (array, i);
          const char *type;

          if (!JSON_NODE_HOLDS_OBJECT (tool))
            continue;
          type = member_string (json_node_get_object (tool), "type");
          if (type != NULL && g_str_has_suffix (type, "image_generation"))
            {
              const char *model = member_string (json_node_get_object (tool), "model");

              return g_strdup (model ? model : "gpt-image-1");
            }
        }
      return NULL;
    }

  return images_api ? g_strdup (member_string (object, "model")) : NULL;
}

/* The usage is the session's, read from the events by the one reader
 * that every output uses (rf-event-formats.c: usage, response.usage,
 * Gemini's usageMetadata); only the event it came in is looked up here.
 * The image model is the request's or the echoed tool's. */
static void
find_usage_and_model (RfRunSummary *self,
                      RfSession    *session)
{
  GListModel *events = rf_session_get_events (session);
  guint n = g_list_model_get_n_items (events);
  const char *request = rf_session_get_request_json (session);
  const char *usage = rf_session_get_usage_json (session);

  if (request != NULL)
    {
      g_autoptr(JsonNode) root = parse_small (request);

      /* A journal's sidecar wraps the body the request sent. */
      if (root != NULL)
        {
          JsonObject *body = member_object (json_node_get_object (root), "body");

          self->model = model_of (body ? body : json_node_get_object (root), TRUE);
        }
    }

  if (usage != NULL)
    self->usage = parse_small (usage);

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(RfEvent) event = g_list_model_get_item (events, i - 1);
      RfEventKind kind = rf_event_get_kind (event);
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object, *response;

      if (kind == RF_EVENT_INVALID || kind == RF_EVENT_DONE || kind == RF_EVENT_KEEPALIVE ||
          kind == RF_EVENT_IMAGE_CALL_PARTIAL || kind == RF_EVENT_IMAGES_PARTIAL)
        continue;

      /* The session keeps the last usage sent: so does this. */
      if (self->usage != NULL && self->usage_event == NULL && rf_event_get_usage_json (event) != NULL)
        self->usage_event = g_strdup (rf_event_get_type_name (event));

      if (self->model != NULL)
        {
          if (self->usage == NULL || self->usage_event != NULL)
            break;
          continue;
        }

      root = parse_small (rf_event_get_elided_json (event));
      if (root == NULL)
        continue;
      object = json_node_get_object (root);
      response = member_object (object, "response");

      if (response != NULL)
        self->model = model_of (response, FALSE);
      else if (kind == RF_EVENT_IMAGES_COMPLETED)
        self->model = g_strdup (member_string (object, "model"));
    }
}

static void
estimate_cost (RfRunSummary *self)
{
  double text_in, image_in, image_out;
  JsonObject *usage = self->usage ? json_node_get_object (self->usage) : NULL;
  gboolean priced = rf_prices_lookup (self->model, &text_in, &image_in, &image_out);

  if (usage != NULL && member_number (usage, "cost", &self->cost))
    self->has_cost = TRUE;

  self->partial_tokens = self->n_partials * rf_prices_get_partial_image_tokens ();
  if (priced)
    {
      self->has_partial_cost = TRUE;
      self->partial_cost = self->partial_tokens * image_out / 1e6;
    }

  /* Only the image endpoints' usage counts the image model's tokens (the
   * Responses API's is the text model's), so only it is priced. */
  if (!self->has_cost && priced && usage != NULL && self->usage_event != NULL &&
      (g_str_has_prefix (self->usage_event, "image_generation.") ||
       g_str_has_prefix (self->usage_event, "image_edit.")))
    {
      JsonObject *details = member_object (usage, "input_tokens_details");
      double input = 0, output = 0, text = 0, image = 0;

      member_number (usage, "input_tokens", &input);
      member_number (usage, "output_tokens", &output);
      if (details != NULL && member_number (details, "text_tokens", &text))
        member_number (details, "image_tokens", &image);
      else
        text = input;

      self->has_estimate = TRUE;
      self->estimate = (text * text_in + image * image_in + output * image_out) / 1e6;
    }
}

RfRunSummary *
rf_run_summary_new (RfSession *session)
{
  RfRunSummary *self = g_new0 (RfRunSummary, 1);
  GListModel *frames = rf_session_get_frames (session);
  GListModel *lanes = rf_session_get_lanes (session);

  self->first_partial_ms = self->first_final_ms = self->final_ms = -1;
  self->duration_ms = rf_session_get_elapsed_ms (session);
  self->bytes_received = rf_session_get_bytes_received (session);
  self->n_lanes = g_list_model_get_n_items (lanes);
  self->n_frames = g_list_model_get_n_items (frames);

  for (guint i = 0; i < self->n_frames; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
      gint64 t = rf_frame_get_t_ms (frame);

      self->image_bytes += rf_frame_get_encoded_size (frame);
      if (rf_frame_get_kind (frame) == RF_FRAME_KIND_FINAL)
        {
          self->n_finals++;
          if (self->first_final_ms < 0 || t < self->first_final_ms)
            self->first_final_ms = t;
        }
      else
        {
          self->n_partials++;
          if (self->first_partial_ms < 0 || t < self->first_partial_ms)
            self->first_partial_ms = t;
        }
    }

  /* The run is done when its last lane has its final. */
  for (guint i = 0; i < self->n_lanes; i++)
    {
      g_autoptr(RfLane) lane = g_list_model_get_item (lanes, i);
      RfFrame *final = rf_lane_get_final (lane);

      if (final == NULL)
        {
          self->final_ms = -1;
          break;
        }
      self->final_ms = MAX (self->final_ms, rf_frame_get_t_ms (final));
    }

  find_usage_and_model (self, session);
  estimate_cost (self);

  return self;
}

void
rf_run_summary_free (RfRunSummary *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->usage, json_node_unref);
  g_free (self->usage_event);
  g_free (self->model);
  g_free (self);
}

static void
add_ms (JsonBuilder *builder,
        const char  *name,
        gint64       ms)
{
  json_builder_set_member_name (builder, name);
  if (ms < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, ms);
}

static void
add_money (JsonBuilder *builder,
           const char  *name,
           gboolean     has,
           double       usd)
{
  json_builder_set_member_name (builder, name);
  if (has)
    json_builder_add_double_value (builder, round (usd * 1e6) / 1e6);
  else
    json_builder_add_null_value (builder);
}

void
rf_run_summary_add_json (const RfRunSummary *self,
                         JsonBuilder        *builder)
{
  json_builder_begin_object (builder);
  add_ms (builder, "first_partial_ms", self->first_partial_ms);
  add_ms (builder, "first_final_ms", self->first_final_ms);
  add_ms (builder, "final_ms", self->final_ms);
  add_ms (builder, "duration_ms", self->duration_ms);
  json_builder_set_member_name (builder, "lanes");
  json_builder_add_int_value (builder, self->n_lanes);
  json_builder_set_member_name (builder, "frames");
  json_builder_add_int_value (builder, self->n_frames);
  json_builder_set_member_name (builder, "partials");
  json_builder_add_int_value (builder, self->n_partials);
  json_builder_set_member_name (builder, "finals");
  json_builder_add_int_value (builder, self->n_finals);
  json_builder_set_member_name (builder, "bytes_received");
  json_builder_add_int_value (builder, (gint64) self->bytes_received);
  json_builder_set_member_name (builder, "image_bytes");
  json_builder_add_int_value (builder, (gint64) self->image_bytes);
  json_builder_set_member_name (builder, "usage");
  if (self->usage != NULL)
    json_builder_add_value (builder, json_node_copy (self->usage));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "model");
  if (self->model != NULL)
    json_builder_add_string_value (builder, self->model);
  else
    json_builder_add_null_value (builder);
  add_money (builder, "cost", self->has_cost, self->cost);
  add_money (builder, "estimated_cost", self->has_estimate, self->estimate);
  json_builder_set_member_name (builder, "partial_image_tokens");
  json_builder_add_int_value (builder, self->partial_tokens);
  add_money (builder, "partial_image_cost", self->has_partial_cost, self->partial_cost);
  json_builder_set_member_name (builder, "prices");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "estimate");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, rf_prices_get_date () ? rf_prices_get_date () : "");
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, rf_prices_get_source () ? rf_prices_get_source () : "");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static char *
format_ms (gint64 ms)
{
  if (ms < 0)
    return g_strdup ("—");
  return g_strdup_printf (_("%.2f s"), ms / 1000.0);
}

char *
rf_run_summary_format (const RfRunSummary *self)
{
  GString *out = g_string_new (NULL);
  g_autofree char *first = format_ms (self->first_partial_ms);
  g_autofree char *final = format_ms (self->final_ms);
  g_autofree char *received = g_format_size (self->bytes_received);

  /* TRANSLATORS: refinery-inspect’s summary line: when the first partial
   * image and the final image arrived (in seconds). A partial image is a
   * blurry preview the server streams before the final image */
  g_string_append_printf (out, _("Summary: first partial %s, final %s; "), first, final);
  /* TRANSLATORS: refinery-inspect’s summary: frames, of which partial and
   * final images, and the bytes received. A frame is one step of an image’s
   * refinement: a partial image or the final image */
  g_string_append_printf (out, ngettext ("%u frame (%u partial, %u final), %s received\n",
                                         "%u frames (%u partial, %u final), %s received\n",
                                         self->n_frames),
                          self->n_frames, self->n_partials, self->n_finals, received);

  if (self->usage != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (generator, self->usage);
      text = json_generator_to_data (generator, NULL);
      /* Came from the stream: printable ASCII only on a terminal. */
      g_strcanon (text, " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
                  "abcdefghijklmnopqrstuvwxyz{|}~", '?');
      g_string_append_printf (out, _("Usage (%s): %s\n"), self->usage_event, text);
    }
  else
    g_string_append (out, _("Usage: not sent\n"));

  if (self->has_cost)
    g_string_append_printf (out, _("Cost: $%.4f (sent by the provider)\n"), self->cost);
  else if (self->has_estimate)
    g_string_append_printf (out, _("Cost: ≈ $%.4f, estimated from the %s prices of %s\n"),
                            self->estimate, self->model, rf_prices_get_date ());
  else
    g_string_append (out, _("Cost: unknown\n"));

  if (self->n_partials > 0)
    {
      if (self->has_partial_cost)
        /* TRANSLATORS: refinery-inspect’s summary: what the partial images
         * add to the cost. A partial image is a blurry preview the server
         * streams before the final image */
        g_string_append_printf (out, ngettext ("Partial images: %u, adding %u output tokens (≈ $%.4f, estimate)\n",
                                               "Partial images: %u, adding %u output tokens (≈ $%.4f, estimate)\n",
                                               self->n_partials),
                                self->n_partials, self->partial_tokens, self->partial_cost);
      else
        /* TRANSLATORS: refinery-inspect’s summary: what the partial images
         * add to the request. A partial image is a blurry preview the server
         * streams before the final image */
        g_string_append_printf (out, ngettext ("Partial images: %u, adding %u output tokens\n",
                                               "Partial images: %u, adding %u output tokens\n",
                                               self->n_partials),
                                self->n_partials, self->partial_tokens);
    }

  return g_string_free (out, FALSE);
}
