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

#include <glib/gi18n-lib.h>

#include "rf-types.h"

G_DEFINE_QUARK (rf-error-quark, rf_error)

const char *
rf_image_param_to_string (RfImageParam param)
{
  switch (param)
    {
    case RF_IMAGE_PARAM_SIZE:          return "size";
    case RF_IMAGE_PARAM_QUALITY:       return "quality";
    case RF_IMAGE_PARAM_OUTPUT_FORMAT: return "output_format";
    case RF_IMAGE_PARAM_BACKGROUND:    return "background";
    case RF_IMAGE_PARAM_ASPECT_RATIO:  return "aspect_ratio";
    default:                           return "unknown";
    }
}

const char *
rf_image_format_to_string (RfImageFormat format)
{
  switch (format)
    {
    case RF_IMAGE_FORMAT_PNG:  return "png";
    case RF_IMAGE_FORMAT_JPEG: return "jpeg";
    case RF_IMAGE_FORMAT_WEBP: return "webp";
    case RF_IMAGE_FORMAT_SVG:  return "svg";
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

const char *
rf_session_state_to_display (RfSessionState state)
{
  switch (state)
    {
    /* TRANSLATORS: the state of a run (one stream of events being
     * received); shown after "State:" and in the inspector */
    case RF_SESSION_STATE_IDLE:       return C_("run state", "Waiting");
    case RF_SESSION_STATE_CONNECTING: return C_("run state", "Connecting");
    /* TRANSLATORS: events are arriving now (not "Received", the
     * inspector's row with the number of bytes that have arrived) */
    case RF_SESSION_STATE_STREAMING:  return C_("run state", "Receiving");
    case RF_SESSION_STATE_FINISHED:   return C_("run state", "Finished");
    case RF_SESSION_STATE_FAILED:     return C_("run state", "Failed");
    case RF_SESSION_STATE_CANCELLED:  return C_("run state", "Cancelled");
    default:                          return C_("run state", "Unknown");
    }
}

const char *
rf_severity_to_display (RfSeverity severity)
{
  switch (severity)
    {
    /* TRANSLATORS: the severity of a diagnostic (a problem found in the
     * stream), shown before its message */
    case RF_SEVERITY_INFO:    return C_("severity", "note");
    case RF_SEVERITY_WARNING: return C_("severity", "warning");
    case RF_SEVERITY_ERROR:   return C_("severity", "error");
    default:                  return C_("severity", "unknown");
    }
}

void
rf_i18n_init (void)
{
  const char *localedir = g_getenv ("REFINERY_LOCALEDIR");

  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}
