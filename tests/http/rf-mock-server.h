/*
 * rf-mock-server.h
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

#include <gio/gio.h>

G_BEGIN_DECLS

/* A loopback HTTP server in its own thread and main context that records
 * every request and answers from a script, for the HTTP source tests. */

typedef struct _RfMockServer   RfMockServer;
typedef struct _RfMockResponse RfMockResponse;

typedef struct
{
  char       *method;
  char       *path;
  char       *query;    /* NULL when none */
  GHashTable *headers;  /* lower-case name → value */
  GBytes     *body;
} RfMockRequest;

/* One scripted answer: a status, headers, then steps run in order. Each
 * step waits its delay first. Without steps the body is sent at once. */
RfMockResponse *rf_mock_response_new        (guint           status);
void            rf_mock_response_free       (RfMockResponse *resp);
void            rf_mock_response_add_header (RfMockResponse *resp,
                                             const char     *name,
                                             const char     *value);
/* The reason phrase after the status code, sent as given (any bytes). */
void            rf_mock_response_set_reason (RfMockResponse *resp,
                                             const char     *reason);
/* Whole body at once (e.g. a JSON error), sent with Content-Length. */
void            rf_mock_response_set_body   (RfMockResponse *resp,
                                             const char     *content_type,
                                             const char     *body);
/* Steps. The first step's delay holds back the status line too (a slow
 * first byte). */
void            rf_mock_response_add_chunk  (RfMockResponse *resp,
                                             guint           delay_ms,
                                             const void     *data,
                                             gsize           len);
/* @data cut into pieces of @piece bytes, each after @delay_ms: splits
 * lines, CRLFs and UTF-8 sequences anywhere. */
void            rf_mock_response_add_drip   (RfMockResponse *resp,
                                             guint           delay_ms,
                                             const void     *data,
                                             gsize           len,
                                             gsize           piece);
/* A 200 text/event-stream response of @stream, one SSE event per chunk,
 * @delay_ms apart, as a server that renders between partials sends it. */
RfMockResponse *rf_mock_response_new_events (GBytes         *stream,
                                             guint           delay_ms);
/* Closes the connection abruptly (mid-body). */
void            rf_mock_response_add_reset  (RfMockResponse *resp,
                                             guint           delay_ms);
/* Never finishes: holds the connection open until the server is freed. */
void            rf_mock_response_add_hang   (RfMockResponse *resp);

RfMockServer   *rf_mock_server_new          (void);
void            rf_mock_server_free         (RfMockServer   *server);
/* "http://127.0.0.1:PORT" (no trailing slash). */
const char     *rf_mock_server_get_uri      (RfMockServer   *server);
char           *rf_mock_server_dup_url      (RfMockServer   *server,
                                             const char     *path);
/* Answers requests in arrival order (takes @resp). Once the queue is
 * empty, requests get a 404 with a JSON error body. */
void            rf_mock_server_enqueue      (RfMockServer   *server,
                                             RfMockResponse *resp);
/* A stored background response: GET …/responses/@response_id with
 * ?stream=true&starting_after=N replays the events whose
 * "sequence_number" is > N (all without starting_after), each event one
 * chunk, keeping the original numbers. @events: complete SSE events
 * (text ending in a blank line). */
void            rf_mock_server_set_stored_response (RfMockServer *server,
                                             const char     *response_id,
                                             const char * const *events,
                                             guint           n_events);
guint           rf_mock_server_get_n_requests (RfMockServer *server);
/* Valid until the server is freed. */
const RfMockRequest *rf_mock_server_get_request (RfMockServer *server,
                                             guint           index);
/* Waits (up to @timeout_ms) until @n requests arrived. */
gboolean        rf_mock_server_wait_requests (RfMockServer  *server,
                                             guint           n,
                                             guint           timeout_ms);

/* Responses whose client went away before their script ended (libsoup
 * notices when it next writes), and a wait (up to @timeout_ms) for @n. */
guint           rf_mock_server_get_n_aborted (RfMockServer *server);
gboolean        rf_mock_server_wait_aborted (RfMockServer  *server,
                                             guint           n,
                                             guint           timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfMockServer, rf_mock_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfMockResponse, rf_mock_response_free)

G_END_DECLS
