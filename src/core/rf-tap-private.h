/*
 * rf-tap-private.h
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

G_BEGIN_DECLS

/* rf-tap-request.c: what RfTap reads from a client's request. Pure
 * functions; called on the proxy's thread. */

/* Headers of the connection itself (and those @connection names), which
 * a proxy does not pass on. */
gboolean  _rf_tap_is_hop_by_hop            (const char         *name,
                                            const char         *connection);
/* Headers that carry a key or a cookie: written as "[redacted]". */
gboolean  _rf_tap_is_secret_header         (const char         *name);
/* Adds @value (stripped; NULL and values under 8 bytes are skipped) to
 * the strings @secrets that the redactor (rf-redactor.h) replaces. */
void      _rf_tap_add_secret               (GPtrArray          *secrets,
                                            const char         *value);
/* Returns: (transfer full): @path and @query (nullable) joined, with the
 * query's key= and api_key= values and each of @secrets redacted. */
char     *_rf_tap_redact_path              (GPtrArray          *secrets,
                                            const char         *path,
                                            const char         *query);
/* Whether the client asks for an event stream: its Accept header, a
 * Gemini streaming path or alt=sse, or "stream": true in @body. */
gboolean  _rf_tap_request_asks_for_stream  (SoupServerMessage  *msg,
                                            const char         *path,
                                            const char         *query,
                                            GBytes             *body);
/* The request sidecar: what the client asked, keys redacted (@path and
 * @target already are). Sets @model_out to the model named by the body
 * or the path, or NULL.
 * Returns: (transfer full): the sidecar's JSON */
char     *_rf_tap_build_sidecar            (SoupServerMessage  *msg,
                                            const char         *method,
                                            const char         *target,
                                            const char         *path,
                                            GBytes             *body,
                                            GPtrArray          *secrets,
                                            char              **model_out);

G_END_DECLS
