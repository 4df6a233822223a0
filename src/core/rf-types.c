/*
 * rf-types.c
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

#define G_LOG_DOMAIN "rf-types"

#include "config.h"

#include <glib/gi18n.h>

#include "rf-types.h"

G_DEFINE_QUARK (rf-error-quark, rf_error)

const char *
rf_image_format_to_string (RfImageFormat format)
{
  switch (format)
    {
    case RF_IMAGE_FORMAT_PNG:  return "png";
    case RF_IMAGE_FORMAT_JPEG: return "jpeg";
    case RF_IMAGE_FORMAT_WEBP: return "webp";
    case RF_IMAGE_FORMAT_UNKNOWN:
    default:                   return "unknown";
    }
}

const char *
rf_frame_kind_to_string (RfFrameKind kind)
{
  return kind == RF_FRAME_KIND_FINAL ? "final" : "partial";
}

const char *
rf_session_state_to_string (RfSessionState state)
{
  switch (state)
    {
    case RF_SESSION_STATE_IDLE:       return "idle";
    case RF_SESSION_STATE_CONNECTING: return "connecting";
    case RF_SESSION_STATE_STREAMING:  return "streaming";
    case RF_SESSION_STATE_FINISHED:   return "finished";
    case RF_SESSION_STATE_FAILED:     return "failed";
    case RF_SESSION_STATE_CANCELLED:  return "cancelled";
    default:                          return "unknown";
    }
}

const char *
rf_severity_to_string (RfSeverity severity)
{
  switch (severity)
    {
    case RF_SEVERITY_INFO:    return "info";
    case RF_SEVERITY_WARNING: return "warning";
    case RF_SEVERITY_ERROR:   return "error";
    default:                  return "unknown";
    }
}
