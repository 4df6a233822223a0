/*
 * rf-http-test-util.h
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

#include <libsoup/soup.h>

#include "rf-mock-server.h"
#include "rf-session.h"

G_BEGIN_DECLS

/* What the tests of live runs and of the tap check alike: the frames a
 * session got, its diagnostics, that a secret appears nowhere, and a
 * client of their own that sees the bytes exactly as they arrive. */

/* From now on every log message is also kept, so that a test can prove
 * a key was never logged. */
void            rf_http_test_capture_logs      (void);
gboolean        rf_http_test_logs_contain      (const char   *needle);
/* A warning of @domain containing @text is printed but not fatal: for
 * a known warning of a library that the test cannot avoid. */
void            rf_http_test_tolerate_warning  (const char   *domain,
                                                const char   *text);

/* The session has @n frames, decoded, whose payloads are the first @n
 * of @images, in order. */
void            rf_http_test_assert_frames     (RfSession    *session,
                                                GPtrArray    *images,
                                                guint         n);
/* Diagnostics whose code is @code (every one for ""). */
guint           rf_http_test_count_diagnostics (RfSession    *session,
                                                const char   *code);
/* No diagnostic, error, failure message, request nor log holds @secret. */
void            rf_http_test_assert_no_secret  (RfSession    *session,
                                                const char   *secret);

/* 200, the whole @stream in one step. */
RfMockResponse *rf_http_test_sse_response      (GBytes       *stream);

/* A request from a client of its own, on the calling thread, as an
 * application's SDK would send it: no content decoding, @headers as
 * name, value pairs (NULL-terminated), @body JSON (may be NULL). Returns
 * the body as received; @response_headers (optional) gets a copy. */
GBytes         *rf_http_test_client_request    (const char          *uri,
                                                const char          *method,
                                                const char          *body,
                                                const char * const  *headers,
                                                guint               *status,
                                                SoupMessageHeaders **response_headers);

G_END_DECLS
