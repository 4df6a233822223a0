/*
 * rf-http-source.h
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

#include "rf-recorder.h"
#include "rf-request.h"
#include "rf-source.h"

G_BEGIN_DECLS

#define RF_TYPE_HTTP_SOURCE (rf_http_source_get_type())

G_DECLARE_FINAL_TYPE (RfHttpSource, rf_http_source, RF, HTTP_SOURCE, RfSource)

/* A live stream over HTTP(S) with libsoup, read on the ingest thread and
 * pushed chunk by chunk as it arrives.
 *
 * - Retries (at most 2, with backoff and Retry-After) only before the
 *   first event, on connection failure, 408, 429 and 5xx.
 * - HTTP errors fail the run with "HTTP <status>: <server message>"
 *   (RF_ERROR_AUTH for 401/403, else RF_ERROR_HTTP) plus a diagnostic.
 * - Cancelling keeps what arrived; run() then fails with
 *   G_IO_ERROR_CANCELLED.
 * - A dropped connection ends the run (truncated) unless the request used
 *   background mode: then it resumes with
 *   GET {base}/responses/{id}?stream=true&starting_after=<last seq>.
 * - Redirects: never from https to http; the key goes to the original
 *   origin only.
 * - The key is never in an error, diagnostic, log or recording.
 * Returns: (transfer full) */
RfSource *rf_http_source_new_for_request (RfRequest     *request,
                                          const char    *api_key);
/* GET of any SSE URL; @api_key may be NULL (no Authorization header).
 * Returns: (transfer full) */
/* @uri as it may be shown: a password in it and the values of query
 * parameters that carry keys (key=, api_key=, access_token=, sig=, …, as
 * Google's APIs and signed URLs take them) become "[redacted]". Those
 * values of 8 bytes or more are added to @secrets (nullable; strings it
 * then owns), for a redactor to take out wherever else they appear.
 * Returns: (transfer full) */
char     *rf_http_dup_display_uri        (const char    *uri,
                                          GPtrArray     *secrets);
RfSource *rf_http_source_new_get         (const char    *uri,
                                          const char    *api_key);

/* Returns: (transfer none) (nullable): NULL for a plain GET */
RfRequest *rf_http_source_get_request    (RfHttpSource  *self);
/* Returns: (transfer none) */
const char *rf_http_source_get_uri       (RfHttpSource  *self);
/* Seconds without a single byte (keepalives count) after which the
 * stream is considered stalled; 0 = wait forever. Default 300. */
void      rf_http_source_set_idle_timeout (RfHttpSource *self,
                                          guint          seconds);
guint     rf_http_source_get_idle_timeout (RfHttpSource *self);
/* Backoff before retry k (1-based) is @base_ms * 2^(k-1) unless the
 * server sent Retry-After; every wait is capped at @max_ms. Defaults:
 * 1000 ms, 60000 ms. */
void      rf_http_source_set_retry_delays (RfHttpSource *self,
                                          guint          base_ms,
                                          guint          max_ms);
/* Resume attempts allowed per run in background mode (default 5). */
void      rf_http_source_set_max_resumes (RfHttpSource  *self,
                                          guint          max_resumes);
/* Journals the run: attached at the start of run(), finished at its
 * end. */
void      rf_http_source_set_recorder    (RfHttpSource  *self,
                                          RfRecorder    *recorder);
/* What the journal's request sidecar should hold: the request's
 * rf_request_dup_redacted_json(), or {"method":"GET","url":…} for a GET
 * source. Never contains the key.
 * Returns: (transfer full) (nullable) */
char     *rf_http_source_dup_redacted_request_json (RfHttpSource *self);

/* The redirect policy, exposed for tests: resolves @location against
 * @from (the URL that answered 3xx). Fails for a target that is not
 * http(s) and for a redirect from https to http. *@keeps_key says whether
 * the Authorization header may follow: same scheme, host and port as
 * @origin (the URL first asked).
 * Returns: (transfer full) (nullable): NULL with @error set */
char     *rf_http_source_resolve_redirect (const char   *origin,
                                          const char   *from,
                                          const char   *location,
                                          gboolean     *keeps_key,
                                          GError      **error);

/* "HTTP 401: Incorrect API key provided (invalid_api_key)": the message
 * of an HTTP error body ({"error":{"message","code",…}}, else its text,
 * else the reason phrase). The caller redacts any key it may echo.
 * Returns: (transfer full) */
char     *rf_http_describe_error          (guint         status,
                                          const char   *reason,
                                          GBytes       *body);

G_END_DECLS
