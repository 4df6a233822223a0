/*
 * rf-types.h
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

#include <glib-object.h>

G_BEGIN_DECLS

/* Threads: the *_to_string () and *_to_display () functions are pure:
 * any thread. */

typedef struct _RfAssembler   RfAssembler;
typedef struct _RfDecoder     RfDecoder;
typedef struct _RfDiagnostic  RfDiagnostic;
typedef struct _RfEvent       RfEvent;
typedef struct _RfFrame       RfFrame;
typedef struct _RfIngest      RfIngest;
typedef struct _RfLane        RfLane;
typedef struct _RfRequest     RfRequest;
typedef struct _RfSession     RfSession;
typedef struct _RfSource      RfSource;
typedef struct _RfSseParser   RfSseParser;

typedef enum
{
  RF_FRAME_KIND_PARTIAL,
  RF_FRAME_KIND_FINAL,
} RfFrameKind;

typedef enum
{
  RF_IMAGE_FORMAT_UNKNOWN,
  RF_IMAGE_FORMAT_PNG,
  RF_IMAGE_FORMAT_JPEG,
  RF_IMAGE_FORMAT_WEBP,
  /* Vector results (media_type image/svg+xml), rendered by librsvg. */
  RF_IMAGE_FORMAT_SVG,
} RfImageFormat;

typedef enum
{
  RF_SESSION_STATE_IDLE,
  RF_SESSION_STATE_CONNECTING,
  RF_SESSION_STATE_STREAMING,
  RF_SESSION_STATE_FINISHED,
  RF_SESSION_STATE_FAILED,
  RF_SESSION_STATE_CANCELLED,
} RfSessionState;

typedef enum
{
  RF_SEVERITY_INFO,
  RF_SEVERITY_WARNING,
  RF_SEVERITY_ERROR,
} RfSeverity;

typedef enum
{
  RF_DECODE_PENDING,
  RF_DECODE_OK,
  RF_DECODE_FAILED,
} RfDecodeStatus;

#define RF_ERROR (rf_error_quark ())

/* Errors that map to refinery-inspect's exit status 2 (usage, I/O, HTTP,
 * auth) are RF_ERROR_{USAGE,IO,HTTP,AUTH}; the rest describe the stream. */
typedef enum
{
  RF_ERROR_USAGE,
  RF_ERROR_IO,
  RF_ERROR_HTTP,
  RF_ERROR_AUTH,
  RF_ERROR_INVALID_PARAMETER,
  RF_ERROR_TOO_LARGE,
  RF_ERROR_DECODE,
  RF_ERROR_UNSUPPORTED_FORMAT,
  RF_ERROR_CANCELLED,
} RfError;

GQuark      rf_error_quark              (void);
/* What a request asks of an image and a server says of it, by the names
 * of OpenAI's image fields. The aspect ratio is only asked (chat
 * completions' image_config, Gemini's imageConfig). */
typedef enum
{
  RF_IMAGE_PARAM_SIZE,
  RF_IMAGE_PARAM_QUALITY,
  RF_IMAGE_PARAM_OUTPUT_FORMAT,
  RF_IMAGE_PARAM_BACKGROUND,
  RF_IMAGE_PARAM_ASPECT_RATIO,
} RfImageParam;

#define RF_N_IMAGE_PARAMS (RF_IMAGE_PARAM_ASPECT_RATIO + 1)

/* "size", "quality", "output_format", "background", "aspect_ratio". */
const char *rf_image_param_to_string    (RfImageParam    param);
/* Returns: (transfer none) */
const char *rf_image_format_to_string   (RfImageFormat   format);
/* Returns: (transfer none) */
const char *rf_frame_kind_to_string     (RfFrameKind     kind);
/* Returns: (transfer none) */
const char *rf_session_state_to_string  (RfSessionState  state);
/* Returns: (transfer none) */
const char *rf_severity_to_string       (RfSeverity      severity);
/* The same in the user's language, for people; the _to_string names are
 * for JSON and other machine-read output.
 * Returns: (transfer none) */
const char *rf_session_state_to_display (RfSessionState  state);
/* Returns: (transfer none) */
const char *rf_severity_to_display      (RfSeverity      severity);

/* Binds Refinery's message catalog: LOCALEDIR, or REFINERY_LOCALEDIR when
 * set (the tests' pseudo-locale, built but never installed). Call after
 * setlocale(). */
void        rf_i18n_init                (void);

G_END_DECLS
