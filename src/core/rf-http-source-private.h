/*
 * rf-http-source-private.h
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

#include "rf-http-source.h"
#include "rf-request.h"

G_BEGIN_DECLS

/* rf-http-policy.c: what an HTTP answer means to RfHttpSource. Any thread. */

/* 408, 429 and 5xx are asked again. */
gboolean  _rf_http_status_is_retryable (guint          status);
/* Only failures to connect or to get any answer are asked again: a
 * request the server may have had could start a second paid generation. */
gboolean  _rf_http_error_is_retryable  (const GError  *error);
/* Retry-After in ms (delta-seconds or an HTTP date), -1 when absent or bad. */
gint64    _rf_http_parse_retry_after   (SoupMessage   *msg);
/* Up to 64 KiB of an error answer's body; closes @stream.
 * Returns: (transfer full) */
GBytes   *_rf_http_read_error_body     (GInputStream  *stream,
                                        GCancellable  *cancellable);
gboolean  _rf_http_same_origin         (GUri          *a,
                                        GUri          *b);
/* The redirect policy: only to http(s), never from https down to http.
 * Returns: (transfer full) (nullable): NULL with @error set */
GUri     *_rf_http_resolve_redirect    (GUri          *from,
                                        const char    *location,
                                        guint          status,
                                        GError       **error);

/* 401, 403, or a 400 whose body gives Google's API_KEY_INVALID. */
gboolean  _rf_http_is_auth_error       (guint          status,
                                        GBytes        *body);
/* @problem followed by what to do about a refused key or a rate limit at
 * @provider, when there is something to say.
 * Returns: (transfer full) */
char     *_rf_http_add_hint            (const char    *problem,
                                        guint          status,
                                        gboolean       auth,
                                        RfProvider     provider);

G_END_DECLS
