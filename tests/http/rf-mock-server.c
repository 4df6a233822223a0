/*
 * rf-mock-server.c
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

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "rf-mock-server.h"

typedef enum
{
  STEP_DATA,
  STEP_RESET,
  STEP_HANG,
} StepKind;

typedef struct
{
  StepKind  kind;
  guint     delay_ms;
  GBytes   *data;
} Step;

struct _RfMockResponse
{
  guint       status;
  char       *reason;
  GPtrArray  *headers;       /* name, value, name, value… */
  char       *content_type;
  GBytes     *body;
  GArray     *steps;
};

struct _RfMockServer
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;

  GMutex        mutex;
  GCond         cond;
  char         *uri;
  GQueue        responses;
  GPtrArray    *requests;
  GPtrArray    *runs;

  guint         n_aborted;

  char         *stored_id;
  GPtrArray    *stored_events;
};

/* One response being sent, step by step, on the server thread. */
typedef struct
{
  RfMockServer      *server;
  SoupServerMessage *msg;
  RfMockResponse    *resp;
  guint              next;
  guint              waiting_write : 1;
  guint              done : 1;
  guint              completed : 1;
} Run;

static void run_schedule (Run *run);

static void
step_clear (gpointer data)
{
  Step *step = data;

  g_clear_pointer (&step->data, g_bytes_unref);
}

RfMockResponse *
rf_mock_response_new (guint status)
{
  RfMockResponse *resp = g_new0 (RfMockResponse, 1);

  resp->status = status;
  resp->headers = g_ptr_array_new_with_free_func (g_free);
  resp->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (resp->steps, step_clear);

  return resp;
}

void
rf_mock_response_free (RfMockResponse *resp)
{
  if (resp == NULL)
    return;

  g_ptr_array_unref (resp->headers);
  g_array_unref (resp->steps);
  g_clear_pointer (&resp->body, g_bytes_unref);
  g_free (resp->content_type);
  g_free (resp->reason);
  g_free (resp);
}

void
rf_mock_response_set_reason (RfMockResponse *resp,
                             const char     *reason)
{
  g_free (resp->reason);
  resp->reason = g_strdup (reason);
}

void
rf_mock_response_add_header (RfMockResponse *resp,
                             const char     *name,
                             const char     *value)
{
  g_ptr_array_add (resp->headers, g_strdup (name));
  g_ptr_array_add (resp->headers, g_strdup (value));
}

void
rf_mock_response_set_body (RfMockResponse *resp,
                           const char     *content_type,
                           const char     *body)
{
  g_free (resp->content_type);
  resp->content_type = g_strdup (content_type);
  g_clear_pointer (&resp->body, g_bytes_unref);
  resp->body = g_bytes_new (body, strlen (body));
}

void
rf_mock_response_add_chunk (RfMockResponse *resp,
                            guint           delay_ms,
                            const void     *data,
                            gsize           len)
{
  Step step = { STEP_DATA, delay_ms, g_bytes_new (data, len) };

  g_array_append_val (resp->steps, step);
}

void
rf_mock_response_add_drip (RfMockResponse *resp,
                           guint           delay_ms,
                           const void     *data,
                           gsize           len,
                           gsize           piece)
{
  const guint8 *p = data;

  g_assert (piece > 0);

  for (gsize off = 0; off < len; off += piece)
    rf_mock_response_add_chunk (resp, delay_ms, p + off, MIN (piece, len - off));
}

RfMockResponse *
rf_mock_response_new_events (GBytes *stream,
                             guint   delay_ms)
{
  RfMockResponse *resp = rf_mock_response_new (200);
  gsize len;
  const char *data = g_bytes_get_data (stream, &len);
  const char *end = data + len;
  const char *p = data;

  rf_mock_response_add_header (resp, "Content-Type", "text/event-stream");
  while (p < end)
    {
      const char *next = g_strstr_len (p, end - p, "\n\n");

      next = next ? next + 2 : end;
      rf_mock_response_add_chunk (resp, delay_ms, p, next - p);
      p = next;
    }

  return resp;
}

void
rf_mock_response_add_reset (RfMockResponse *resp,
                            guint           delay_ms)
{
  Step step = { STEP_RESET, delay_ms, NULL };

  g_array_append_val (resp->steps, step);
}

void
rf_mock_response_add_hang (RfMockResponse *resp)
{
  Step step = { STEP_HANG, 0, NULL };

  g_array_append_val (resp->steps, step);
}

static void
mock_request_free (gpointer data)
{
  RfMockRequest *req = data;

  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  g_hash_table_unref (req->headers);
  g_bytes_unref (req->body);
  g_free (req);
}

static void
run_free (gpointer data)
{
  Run *run = data;

  g_clear_object (&run->msg);
  rf_mock_response_free (run->resp);
  g_free (run);
}

static void
collect_header (const char *name,
                const char *value,
                gpointer    user_data)
{
  g_hash_table_insert (user_data, g_ascii_strdown (name, -1), g_strdup (value));
}

static gint64
event_sequence_number (const char *event)
{
  const char *p = strstr (event, "\"sequence_number\":");

  if (p == NULL)
    return -1;

  return g_ascii_strtoll (p + strlen ("\"sequence_number\":"), NULL, 10);
}

static void
run_step (Run *run)
{
  Step *step;
  SoupMessageBody *body;

  if (run->done)
    return;

  body = soup_server_message_get_response_body (run->msg);

  if (run->next >= run->resp->steps->len)
    {
      run->done = TRUE;
      run->completed = TRUE;
      soup_message_body_complete (body);
      soup_server_message_unpause (run->msg);
      return;
    }

  step = &g_array_index (run->resp->steps, Step, run->next++);

  switch (step->kind)
    {
    case STEP_DATA:
      soup_message_body_append_bytes (body, step->data);
      run->waiting_write = TRUE;
      soup_server_message_unpause (run->msg);
      break;

    case STEP_RESET:
      {
        /* What was written has reached the socket (wrote-chunk); the
         * client now sees the connection end in the middle of the body. */
        GIOStream *io = soup_server_message_steal_connection (run->msg);

        run->done = TRUE;
        run->completed = TRUE;
        if (io != NULL)
          {
            g_io_stream_close (io, NULL, NULL);
            g_object_unref (io);
          }
      }
      break;

    case STEP_HANG:
      run->done = TRUE;
      break;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
run_step_cb (gpointer data)
{
  run_step (data);
  return G_SOURCE_REMOVE;
}

static void
run_schedule (Run *run)
{
  guint delay = 0;
  GSource *source;

  if (run->next < run->resp->steps->len)
    delay = g_array_index (run->resp->steps, Step, run->next).delay_ms;

  source = g_timeout_source_new (delay);
  g_source_set_callback (source, run_step_cb, run, NULL);
  g_source_attach (source, run->server->context);
  g_source_unref (source);
}

static void
wrote_chunk_cb (SoupServerMessage *msg,
                Run               *run)
{
  if (run->waiting_write)
    {
      run->waiting_write = FALSE;
      soup_server_message_pause (msg);
      run_schedule (run);
    }
}

static void
finished_cb (SoupServerMessage *msg,
             Run               *run)
{
  /* The client went away before the scripted response ended. */
  if (!run->completed)
    {
      g_mutex_lock (&run->server->mutex);
      run->server->n_aborted++;
      g_cond_broadcast (&run->server->cond);
      g_mutex_unlock (&run->server->mutex);
    }

  run->done = TRUE;
  run->completed = TRUE;
}

static RfMockResponse *
stored_response (RfMockServer *server,
                 GHashTable   *query)
{
  RfMockResponse *resp = rf_mock_response_new (200);
  const char *after = query ? g_hash_table_lookup (query, "starting_after") : NULL;
  gint64 n = after ? g_ascii_strtoll (after, NULL, 10) : -1;

  rf_mock_response_add_header (resp, "Content-Type", "text/event-stream; charset=utf-8");

  for (guint i = 0; i < server->stored_events->len; i++)
    {
      const char *event = g_ptr_array_index (server->stored_events, i);

      if (event_sequence_number (event) > n)
        rf_mock_response_add_chunk (resp, 5, event, strlen (event));
    }

  return resp;
}

static void
handler_cb (SoupServer        *soup_server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  RfMockServer *server = user_data;
  RfMockRequest *req = g_new0 (RfMockRequest, 1);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (request_body);
  RfMockResponse *resp = NULL;
  g_autofree char *stored_path = NULL;
  SoupMessageHeaders *headers;
  Run *run;

  req->method = g_strdup (soup_server_message_get_method (msg));
  req->path = g_strdup (path);
  req->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  req->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg),
                                collect_header, req->headers);
  req->body = g_bytes_ref (flat);

  g_mutex_lock (&server->mutex);
  g_ptr_array_add (server->requests, req);
  g_cond_broadcast (&server->cond);

  if (server->stored_id != NULL)
    stored_path = g_strconcat ("/responses/", server->stored_id, NULL);

  if (stored_path != NULL && g_str_has_suffix (path, stored_path) &&
      g_str_equal (req->method, "GET"))
    resp = stored_response (server, query);
  else
    resp = g_queue_pop_head (&server->responses);
  g_mutex_unlock (&server->mutex);

  if (resp == NULL)
    {
      const char *json = "{\"error\":{\"message\":\"No scripted response\",\"type\":\"mock\"}}";

      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        json, strlen (json));
      return;
    }

  soup_server_message_set_status (msg, resp->status, resp->reason);
  headers = soup_server_message_get_response_headers (msg);
  for (guint i = 0; i + 1 < resp->headers->len; i += 2)
    soup_message_headers_replace (headers,
                                  g_ptr_array_index (resp->headers, i),
                                  g_ptr_array_index (resp->headers, i + 1));

  if (resp->steps->len == 0)
    {
      gsize len = 0;
      const char *data = resp->body ? g_bytes_get_data (resp->body, &len) : "";

      soup_server_message_set_response (msg,
                                        resp->content_type ? resp->content_type : "text/plain",
                                        SOUP_MEMORY_COPY, data, len);
      rf_mock_response_free (resp);
      return;
    }

  if (soup_message_headers_get_one (headers, "Content-Type") == NULL)
    soup_message_headers_replace (headers, "Content-Type", "text/event-stream; charset=utf-8");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);

  run = g_new0 (Run, 1);
  run->server = server;
  run->msg = g_object_ref (msg);
  run->resp = resp;
  g_ptr_array_add (server->runs, run);

  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (wrote_chunk_cb), run);
  g_signal_connect (msg, "finished", G_CALLBACK (finished_cb), run);

  soup_server_message_pause (msg);
  run_schedule (run);
}

static gpointer
server_thread (gpointer data)
{
  RfMockServer *server = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (server->context);

  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, NULL, handler_cb, server, NULL);

  if (!soup_server_listen_local (server->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("mock server: %s", error->message);

  uris = soup_server_get_uris (server->server);
  g_assert (uris != NULL);

  g_mutex_lock (&server->mutex);
  server->uri = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->mutex);

  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (server->loop);

  /* Hanging responses keep their connection until here. */
  for (guint i = 0; i < server->runs->len; i++)
    {
      Run *run = g_ptr_array_index (server->runs, i);

      if (!run->done)
        {
          GSocket *socket = soup_server_message_get_socket (run->msg);

          run->done = TRUE;
          run->completed = TRUE;
          /* Not stolen: the client may have hung up already, and libsoup
           * complains when a dead connection is stolen. */
          if (socket != NULL)
            g_socket_shutdown (socket, TRUE, TRUE, NULL);
        }
    }

  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  g_clear_pointer (&server->runs, g_ptr_array_unref);

  while (g_main_context_iteration (server->context, FALSE))
    ;

  g_main_context_pop_thread_default (server->context);

  return NULL;
}

RfMockServer *
rf_mock_server_new (void)
{
  RfMockServer *server = g_new0 (RfMockServer, 1);

  g_mutex_init (&server->mutex);
  g_cond_init (&server->cond);
  g_queue_init (&server->responses);
  server->requests = g_ptr_array_new_with_free_func (mock_request_free);
  server->runs = g_ptr_array_new_with_free_func (run_free);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);

  server->thread = g_thread_new ("rf-mock-server", server_thread, server);

  g_mutex_lock (&server->mutex);
  while (server->uri == NULL)
    g_cond_wait (&server->cond, &server->mutex);
  g_mutex_unlock (&server->mutex);

  return server;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
rf_mock_server_free (RfMockServer *server)
{
  if (server == NULL)
    return;

  g_main_context_invoke (server->context, quit_cb, server->loop);
  g_thread_join (server->thread);

  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_queue_clear_full (&server->responses, (GDestroyNotify) rf_mock_response_free);
  g_ptr_array_unref (server->requests);
  g_clear_pointer (&server->stored_events, g_ptr_array_unref);
  g_free (server->stored_id);
  g_free (server->uri);
  g_mutex_clear (&server->mutex);
  g_cond_clear (&server->cond);
  g_free (server);
}

const char *
rf_mock_server_get_uri (RfMockServer *server)
{
  return server->uri;
}

char *
rf_mock_server_dup_url (RfMockServer *server,
                        const char   *path)
{
  return g_strconcat (server->uri, path, NULL);
}

void
rf_mock_server_enqueue (RfMockServer   *server,
                        RfMockResponse *resp)
{
  g_mutex_lock (&server->mutex);
  g_queue_push_tail (&server->responses, resp);
  g_mutex_unlock (&server->mutex);
}

void
rf_mock_server_set_stored_response (RfMockServer       *server,
                                    const char         *response_id,
                                    const char * const *events,
                                    guint               n_events)
{
  g_mutex_lock (&server->mutex);
  g_free (server->stored_id);
  server->stored_id = g_strdup (response_id);
  g_clear_pointer (&server->stored_events, g_ptr_array_unref);
  server->stored_events = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_events; i++)
    g_ptr_array_add (server->stored_events, g_strdup (events[i]));
  g_mutex_unlock (&server->mutex);
}

guint
rf_mock_server_get_n_requests (RfMockServer *server)
{
  guint n;

  g_mutex_lock (&server->mutex);
  n = server->requests->len;
  g_mutex_unlock (&server->mutex);

  return n;
}

const RfMockRequest *
rf_mock_server_get_request (RfMockServer *server,
                            guint         index)
{
  const RfMockRequest *req = NULL;

  g_mutex_lock (&server->mutex);
  if (index < server->requests->len)
    req = g_ptr_array_index (server->requests, index);
  g_mutex_unlock (&server->mutex);

  return req;
}

gboolean
rf_mock_server_wait_requests (RfMockServer *server,
                              guint         n,
                              guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean ok = TRUE;

  g_mutex_lock (&server->mutex);
  while (server->requests->len < n && ok)
    ok = g_cond_wait_until (&server->cond, &server->mutex, deadline);
  ok = server->requests->len >= n;
  g_mutex_unlock (&server->mutex);

  return ok;
}

gboolean
rf_mock_server_wait_aborted (RfMockServer *server,
                             guint         n,
                             guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean ok = TRUE;

  g_mutex_lock (&server->mutex);
  while (server->n_aborted < n && ok)
    ok = g_cond_wait_until (&server->cond, &server->mutex, deadline);
  ok = server->n_aborted >= n;
  g_mutex_unlock (&server->mutex);

  return ok;
}

guint
rf_mock_server_get_n_aborted (RfMockServer *server)
{
  guint n;

  g_mutex_lock (&server->mutex);
  n = server->n_aborted;
  g_mutex_unlock (&server->mutex);

  return n;
}
