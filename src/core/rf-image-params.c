/*
 * rf-image-params.c
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


#define G_LOG_DOMAIN "rf-image-params"

#include "config.h"

#include <json-glib/json-glib.h>

#include "rf-event.h"
#include "rf-frame.h"
#include "rf-image-params.h"

static const char *
string_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The request body inside what a source keeps: a journal's record wraps
 * it in "body", a tapped request may in "request". */
static JsonObject *
find_body (JsonParser *parser,
           const char *request_json)
{
  JsonNode *root;
  JsonObject *obj;

  if (request_json == NULL ||
      !rf_json_safe_to_parse (request_json, -1, RF_JSON_MAX_DEPTH) ||
      !json_parser_load_from_data (parser, request_json, -1, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  obj = json_node_get_object (root);
  for (guint depth = 0; depth < 2; depth++)
    {
      JsonObject *inner = object_member (obj, "body");

      if (inner == NULL)
        inner = object_member (obj, "request");
      if (inner == NULL)
        break;
      obj = inner;
    }

  return obj;
}

/* The image_generation tool of a Responses request. */
static JsonObject *
find_image_tool (JsonObject *body)
{
  JsonNode *node = json_object_get_member (body, "tools");
  JsonArray *tools;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  tools = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (tools); i++)
    {
      JsonNode *tool = json_array_get_element (tools, i);

      if (JSON_NODE_HOLDS_OBJECT (tool) &&
          g_strcmp0 (string_member (json_node_get_object (tool), "type"), "image_generation") == 0)
        return json_node_get_object (tool);
    }

  return NULL;
}

char *
rf_image_params_dup_requested (const char   *request_json,
                               RfImageParam  param)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *body = find_body (parser, request_json);
  JsonObject *tool;

  g_return_val_if_fail (param < RF_N_IMAGE_PARAMS, NULL);

  if (body == NULL)
    return NULL;

  if (param == RF_IMAGE_PARAM_ASPECT_RATIO)
    {
      const char *ratio = string_member (object_member (body, "image_config"), "aspect_ratio");

      if (ratio == NULL)
        ratio = string_member (object_member (object_member (body, "generationConfig"), "imageConfig"),
                               "aspectRatio");
      return g_strdup (ratio);
    }

  tool = find_image_tool (body);
  return g_strdup (string_member (tool != NULL ? tool : body, rf_image_param_to_string (param)));
}

char *
rf_image_params_dup_requested_model (const char *request_json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *body = find_body (parser, request_json);
  const char *model;

  if (body == NULL)
    return NULL;

  model = string_member (find_image_tool (body), "model");
  if (model == NULL)
    model = string_member (body, "model");
  return g_strdup (model);
}

const char *
rf_image_params_get_echoed (RfLane       *lane,
                            RfImageParam  param)
{
  GListModel *frames;

  g_return_val_if_fail (RF_IS_LANE (lane), NULL);
  g_return_val_if_fail (param < RF_N_IMAGE_PARAMS, NULL);

  frames = rf_lane_get_frames (lane);
  for (guint i = g_list_model_get_n_items (frames); i > 0; i--)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i - 1);
      const char *value = rf_frame_get_image_param (frame, param);

      if (value != NULL)
        return value;
    }

  return NULL;
}

gboolean
rf_image_params_parse_size (const char *size,
                            int        *width,
                            int        *height)
{
  g_auto(GStrv) sides = NULL;
  guint64 w, h;

  if (size == NULL)
    return FALSE;

  sides = g_strsplit (size, "x", -1);
  if (g_strv_length (sides) != 2 ||
      !g_ascii_string_to_unsigned (sides[0], 10, 1, G_MAXINT, &w, NULL) ||
      !g_ascii_string_to_unsigned (sides[1], 10, 1, G_MAXINT, &h, NULL))
    return FALSE;

  *width = (int) w;
  *height = (int) h;
  return TRUE;
}
