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

#include "rf-tap-run.h"
#include "rf-tap.h"

G_BEGIN_DECLS

/* What the tap's own files share: rf-tap.c (the object, its thread and
 * what it hands to the main thread), rf-tap-exchange.c (one request and
 * its response, on the proxy's thread) and rf-tap-request.c. */

struct _RfTap
{
  GObject       parent_instance;

  GMainContext *owner;
  char         *upstream;
  gsize         max_pending;
  GListStore   *runs;
  guint         max_runs_listed;
  guint         max_sessions_kept;
  guint         n_active;        /* atomic */
  guint         n_passed;        /* atomic */

  /* The proxy's thread and what lives on it. */
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  SoupSession  *session;
  GPtrArray    *exchanges;
  guint         next_index;
  guint         stopping : 1;

  /* Hands the bind result back to rf_tap_listen(). */
  GMutex        mutex;
  GCond         cond;
  char         *address;
  guint16       port;
  GError       *listen_error;
  gboolean      listen_done;
};

/* rf-tap.c, from the proxy's thread: a run began (@run, taken), or a
 * request that is no stream was passed on. The main thread gets them as
 * RfTap's signals. */
void      _rf_tap_post_run_started         (RfTap              *self,
                                            RfTapRun           *run);
void      _rf_tap_post_request_passed      (RfTap              *self,
                                            const char         *method,
                                            const char         *path,
                                            guint               status);

/* rf-tap-exchange.c, the proxy's thread: the server's handler for every
 * request (@user_data: the tap), and the end of them all when it stops. */
void      _rf_tap_handle_request           (SoupServer         *server,
                                            SoupServerMessage  *msg,
                                            const char         *path,
                                            GHashTable         *query,
                                            gpointer            user_data);
void      _rf_tap_end_exchanges            (RfTap              *self);

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
