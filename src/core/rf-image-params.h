/*
 * rf-image-params.h
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


#pragma once

#include "rf-lane.h"
#include "rf-types.h"

G_BEGIN_DECLS

/* What was asked of an image and what the server said of it: the
 * request's image fields, the ones echoed on an image's frames, and their
 * sizes, for --json, the manifest, the inspector and the size check.
 * Threads: the request functions are pure; the lane one on the thread
 * that owns the lane (the main thread). */

/* The value of @param in a request as a journal or a source keeps it:
 * the body itself or a record with a "body" (or "request") member;
 * OpenAI's image_generation tool or the Images API's top level, chat
 * completions' image_config.aspect_ratio, Gemini's
 * generationConfig.imageConfig.aspectRatio. Strings only, as sent.
 * Returns: (transfer full) (nullable) */
char       *rf_image_params_dup_requested       (const char   *request_json,
                                                 RfImageParam  param);
/* The image model the request asked for: the tool's model, else the
 * body's.
 * Returns: (transfer full) (nullable) */
char       *rf_image_params_dup_requested_model (const char   *request_json);
/* The newest frame of @lane that says @param: its value.
 * Returns: (transfer none) (nullable) */
const char *rf_image_params_get_echoed          (RfLane       *lane,
                                                 RfImageParam  param);
/* "1024x1536" → 1024, 1536. FALSE for "auto" and anything not WxH. */
gboolean    rf_image_params_parse_size          (const char   *size,
                                                 int          *width,
                                                 int          *height);

G_END_DECLS
