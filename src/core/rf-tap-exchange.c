/*
 * rf-tap-exchange.c
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

#define G_LOG_DOMAIN "rf-tap"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "rf-event.h"
#include "rf-http-source.h"
#include "rf-recorder.h"
#include "rf-redactor.h"
#include "rf-tap-private.h"
#include "rf-tap-run-private.h"
#include "rf-tap-source.h"

/* One exchange of RfTap, on the proxy's thread only: a client's request
 * passed on upstream, and its response relayed back chunk by chunk as it
 * arrives, at the client's pace (upstream waits while the client lags).
 * A stream is also a run: its bytes, with the client's keys taken out,
 * go to a journal and to the run's source. A client that hangs up
 * cancels the upstream request. What the tap reads from the request is in
 * rf-tap-request.c; the object, its thread and the runs it hands to the
 * main thread are in rf-tap.c. */

#define READ_SIZE           (64 * 1024)
/* Bytes read from upstream but not yet written to a slow client: past
 * this, upstream is read no further until the client catches up. */
#define MAX_CLIENT_BACKLOG  (4 * 1024 * 1024)
#define ERROR_BODY_MAX      (64 * 1024)

/* One request and its response. */
typedef struct
{
  RfTap             *tap;
  SoupServerMessage *msg;
  SoupMessage       *upstream;
  GCancellable      *cancellable;
  GInputStream      *stream;
  GSource           *hup_source;
  GBytes            *request_body;
  char              *method;
  char              *path;          /* redacted */
  char              *target;        /* redacted */
  GPtrArray         *secrets;
  gint64             t0;
  gint64             wall0;
  guint              status;

  RfTapSource       *source;
  RfRecorder        *recorder;
  GByteArray        *error_body;
  /* The run and the journal get the stream with the client's keys taken
   * out (a server may echo one in an error or an id); the client gets it
   * as it came. */
  RfRedactor        *redactor;
  GByteArray        *redacted;

  guint64            backlog;
  guint64            appended;
  gint64             content_length;
  guint              wants_stream : 1;
  guint              tapped : 1;
  guint              reading : 1;
  guint              read_deferred : 1;
  guint              client_gone : 1;
  guint              server_done : 1;
  guint              upstream_done : 1;
} Exchange;

static void exchange_read_next (Exchange *ex);

static void
exchange_free (Exchange *ex)
{
  if (ex->hup_source != NULL)
    {
      g_source_destroy (ex->hup_source);
      g_clear_pointer (&ex->hup_source, g_source_unref);
    }
  if (ex->msg != NULL)
    g_signal_handlers_disconnect_by_data (ex->msg, ex);
  g_clear_object (&ex->msg);
  g_clear_object (&ex->upstream);
  g_clear_object (&ex->cancellable);
  g_clear_object (&ex->stream);
  g_clear_pointer (&ex->request_body, g_bytes_unref);
  g_clear_pointer (&ex->method, g_free);
  g_clear_pointer (&ex->path, g_free);
  g_clear_pointer (&ex->target, g_free);
  g_clear_pointer (&ex->secrets, g_ptr_array_unref);
  g_clear_object (&ex->source);
  g_clear_object (&ex->recorder);
  g_clear_pointer (&ex->error_body, g_byte_array_unref);
  g_clear_pointer (&ex->redactor, rf_redactor_free);
  g_clear_pointer (&ex->redacted, g_byte_array_unref);
  g_free (ex);
}

static void
exchange_maybe_free (Exchange *ex)
{
  if (!ex->server_done || !ex->upstream_done)
    return;

  g_ptr_array_remove_fast (ex->tap->exchanges, ex);
  exchange_free (ex);
}

/* The client's connection is closed without completing the response:
 * what an upstream that broke off looks like, passed through. */
static void
exchange_close_client (Exchange *ex)
{
  GSocket *socket;

  if (ex->server_done)
    return;

  /* The socket is shut rather than the connection stolen: libsoup fails
   * its next write and drops the message, and it complains when a
   * connection whose client already hung up is stolen. */
  ex->server_done = TRUE;
  g_signal_handlers_disconnect_by_data (ex->msg, ex);
  if ((socket = soup_server_message_get_socket (ex->msg)))
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  soup_server_message_unpause (ex->msg);
}

/* The redacted copy of the stream goes to the journal and the run. */
static void
exchange_pass_on (Exchange     *ex,
                  const guint8 *buf,
                  gsize         len,
                  gboolean      flush)
{
  if (ex->redactor == NULL)
    {
      ex->redactor = rf_redactor_new (ex->secrets);
      ex->redacted = g_byte_array_new ();
    }
  g_byte_array_set_size (ex->redacted, 0);
  if (flush)
    rf_redactor_flush (ex->redactor, ex->redacted);
  else
    rf_redactor_feed (ex->redactor, buf, len, ex->redacted);
  if (ex->redacted->len == 0)
    return;

  if (ex->recorder != NULL)
    rf_recorder_write (ex->recorder, ex->redacted->data, ex->redacted->len,
                       (g_get_monotonic_time () - ex->t0) / 1000);
  if (ex->source != NULL)
    rf_tap_source_push (ex->source, ex->redacted->data, ex->redacted->len);
}

static void
exchange_end_run (Exchange     *ex,
                  const GError *error)
{
  /* A tail held back in case it began a key was not one. */
  if (ex->redactor != NULL && ex->error_body == NULL)
    exchange_pass_on (ex, NULL, 0, TRUE);

  if (ex->recorder != NULL)
    {
      rf_recorder_finish (ex->recorder, NULL);
      if (rf_recorder_get_incomplete (ex->recorder) && ex->source != NULL)
        {
          g_autofree char *reason = rf_recorder_dup_stop_reason (ex->recorder);
          /* TRANSLATORS: %s says why the recording stopped (a full disk,
           * its size limit) */
          g_autofree char *message = g_strdup_printf (_("The recording is incomplete: %s"), reason);

          rf_tap_source_add_diagnostic (ex->source, RF_SEVERITY_WARNING, "journal-incomplete", message);
        }
    }
  if (ex->source != NULL)
    rf_tap_source_end (ex->source, error);
}

/* Upstream is done with, one way or another. */
static void
exchange_upstream_done (Exchange *ex)
{
  ex->upstream_done = TRUE;
  if (ex->stream != NULL)
    g_input_stream_close_async (ex->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  exchange_maybe_free (ex);
}

static void
exchange_cancelled (Exchange *ex)
{
  if (ex->source != NULL)
    {
      if (ex->client_gone)
        rf_tap_source_add_diagnostic (ex->source, RF_SEVERITY_WARNING, "client-closed",
                                      _("The client closed the connection: the request to the "
                                        "server was cancelled"));
      else
        rf_tap_source_add_diagnostic (ex->source, RF_SEVERITY_WARNING, "tap-stopped",
                                      _("Listening stopped before the stream ended"));
    }
  exchange_end_run (ex, NULL);
  exchange_close_client (ex);
  exchange_upstream_done (ex);
}

static void
exchange_client_gone (Exchange *ex)
{
  if (ex->client_gone || ex->upstream_done)
    return;

  ex->client_gone = TRUE;
  g_cancellable_cancel (ex->cancellable);
}

static void
server_finished_cb (SoupServerMessage *msg,
                    Exchange          *ex)
{
  ex->server_done = TRUE;
  if (ex->hup_source != NULL)
    {
      g_source_destroy (ex->hup_source);
      g_clear_pointer (&ex->hup_source, g_source_unref);
    }
  /* Finished before upstream was: the client went away, unless a
   * Content-Length told libsoup the body was complete before upstream's
   * end of file was read. */
  if (ex->content_length < 0 || ex->appended < (guint64) ex->content_length)
    exchange_client_gone (ex);
  exchange_maybe_free (ex);
}

static void
wrote_body_data_cb (SoupServerMessage *msg,
                    guint              size,
                    Exchange          *ex)
{
  ex->backlog -= MIN (ex->backlog, size);
  if (ex->read_deferred && ex->backlog <= MAX_CLIENT_BACKLOG / 2)
    {
      ex->read_deferred = FALSE;
      exchange_read_next (ex);
    }
}

/* libsoup notices a client that hung up only when it next writes; a
 * stream may be silent for many seconds while an image renders. */
static gboolean
client_socket_cb (GSocket      *socket,
                  GIOCondition  condition,
                  gpointer      data)
{
  Exchange *ex = data;
  guint8 byte;
  GInputVector vector = { &byte, 1 };
  int flags = G_SOCKET_MSG_PEEK;
  gssize n;

  if (condition & (G_IO_HUP | G_IO_ERR))
    n = 0;
  else
    n = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags, NULL, NULL);

  if (n > 0)
    {
      /* A pipelined request, not a hang-up: stop watching. */
      g_clear_pointer (&ex->hup_source, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  if (n < 0)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&ex->hup_source, g_source_unref);
  exchange_client_gone (ex);
  return G_SOURCE_REMOVE;
}

static void
watch_client (Exchange *ex)
{
  GSocket *socket = soup_server_message_get_socket (ex->msg);

  if (socket == NULL)
    return;

  ex->hup_source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (ex->hup_source, (GSourceFunc) client_socket_cb, ex, NULL);
  g_source_attach (ex->hup_source, ex->tap->context);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  Exchange *ex = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageBody *body;
  gsize len;
  const guint8 *buf;

  ex->reading = FALSE;
  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          exchange_cancelled (ex);
          return;
        }

      /* Upstream broke off: so does the response to the client. */
      if (ex->source != NULL)
        {
          g_autofree char *clean = rf_redactor_redact_text (ex->secrets, error->message);
          g_autofree char *message = g_strdup_printf (_("The connection was lost: %s"), clean);

          rf_tap_source_add_diagnostic (ex->source, RF_SEVERITY_WARNING, "connection-lost", message);
        }
      exchange_end_run (ex, NULL);
      exchange_close_client (ex);
      exchange_upstream_done (ex);
      return;
    }

  body = soup_server_message_get_response_body (ex->msg);
  buf = g_bytes_get_data (bytes, &len);

  if (len == 0)
    {
      g_autoptr(GError) failure = NULL;

      /* With a Content-Length, libsoup may be done with the client
       * before upstream's end of file is read. */
      if (!ex->server_done)
        {
          soup_message_body_complete (body);
          soup_server_message_unpause (ex->msg);
        }

      if (ex->error_body != NULL)
        {
          g_autoptr(GBytes) error_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&ex->error_body));
          g_autofree char *problem = rf_http_describe_error (ex->status,
                                                             soup_message_get_reason_phrase (ex->upstream),
                                                             error_bytes);
          g_autofree char *clean = rf_redactor_redact_text (ex->secrets, problem);
          g_autofree char *text = g_strndup (g_bytes_get_data (error_bytes, NULL),
                                             g_bytes_get_size (error_bytes));
          g_autofree char *clean_body = rf_redactor_redact_text (ex->secrets, text);

          if (ex->recorder != NULL)
            rf_recorder_write (ex->recorder, (const guint8 *) clean_body, strlen (clean_body),
                               (g_get_monotonic_time () - ex->t0) / 1000);

          failure = g_error_new_literal (RF_ERROR,
                                         ex->status == 401 || ex->status == 403
                                           ? RF_ERROR_AUTH : RF_ERROR_HTTP,
                                         clean);
        }
      exchange_end_run (ex, failure);
      exchange_upstream_done (ex);
      return;
    }

  /* The client's bytes go first; the journal and the run follow. */
  if (!ex->server_done)
    {
      soup_message_body_append_bytes (body, bytes);
      ex->backlog += len;
      soup_server_message_unpause (ex->msg);
    }
  ex->appended += len;

  if (ex->error_body != NULL)
    {
      /* An error body may echo the key: it is journalled redacted, whole,
       * at its end. */
      if (ex->error_body->len < ERROR_BODY_MAX)
        g_byte_array_append (ex->error_body, buf, MIN (len, ERROR_BODY_MAX - ex->error_body->len));
    }
  else if (ex->recorder != NULL || ex->source != NULL)
    exchange_pass_on (ex, buf, len, FALSE);

  exchange_read_next (ex);
}

static void
exchange_read_next (Exchange *ex)
{
  if (ex->reading || ex->upstream_done)
    return;

  /* A client that reads slower than upstream sends: wait for it rather
   * than keep the difference in memory. */
  if (ex->backlog > MAX_CLIENT_BACKLOG)
    {
      ex->read_deferred = TRUE;
      return;
    }

  ex->reading = TRUE;
  g_input_stream_read_bytes_async (ex->stream, READ_SIZE, G_PRIORITY_DEFAULT,
                                   ex->cancellable, read_cb, ex);
}

static void
start_run (Exchange *ex)
{
  RfTap *self = ex->tap;
  g_autoptr(GError) record_error = NULL;
  g_autofree char *model = NULL;
  g_autofree char *sidecar = _rf_tap_build_sidecar (ex->msg, ex->method, ex->target, ex->path,
                                                    ex->request_body, ex->secrets, &model);
  g_autofree char *description = g_strdup_printf ("%s %s", ex->method, ex->path);

  ex->tapped = TRUE;
  ex->source = RF_TAP_SOURCE (rf_tap_source_new (description, sidecar, self->max_pending));

  /* Failed runs are journalled too, so that history keeps them. */
  ex->recorder = rf_recorder_new (NULL, sidecar, &record_error);
  if (ex->recorder == NULL)
    {
      /* TRANSLATORS: listening to an app’s requests, the journal could not
       * be written; %s says why. A run is one stream followed from start to
       * end, kept in the history */
      g_autofree char *message = g_strdup_printf (_("This run is not recorded: %s"),
                                                  record_error->message);

      rf_tap_source_add_diagnostic (ex->source, RF_SEVERITY_WARNING, "journal-failed", message);
    }
  else
    rf_tap_source_set_recorder (ex->source, ex->recorder);

  _rf_tap_post_run_started (self, _rf_tap_run_new (++self->next_index, ex->method, ex->path, model,
                                                   ex->status, ex->wall0, ex->source, ex->recorder));
}

static void
count_passed (Exchange *ex)
{
  _rf_tap_post_request_passed (ex->tap, ex->method, ex->path, ex->status);
}

static void
copy_response_header (const char *name,
                      const char *value,
                      gpointer    data)
{
  Exchange *ex = data;
  SoupMessageHeaders *from = soup_message_get_response_headers (ex->upstream);
  const char *connection = soup_message_headers_get_list (from, "Connection");

  if (_rf_tap_is_hop_by_hop (name, connection) || g_ascii_strcasecmp (name, "Content-Length") == 0)
    return;

  soup_message_headers_append (soup_server_message_get_response_headers (ex->msg), name, value);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  Exchange *ex = data;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *from;
  SoupMessageHeaders *to;
  const char *type;

  ex->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);

  if (ex->stream == NULL)
    {
      g_autofree char *clean = NULL;
      g_autofree char *message = NULL;
      g_autoptr(GError) failure = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          exchange_cancelled (ex);
          return;
        }

      clean = rf_redactor_redact_text (ex->secrets, error->message);
      message = g_strdup_printf (_("Cannot connect to %s: %s"), ex->target, clean);

      ex->status = SOUP_STATUS_BAD_GATEWAY;
      soup_server_message_set_status (ex->msg, ex->status, NULL);
      soup_server_message_set_response (ex->msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                        message, strlen (message));
      soup_server_message_unpause (ex->msg);

      if (ex->wants_stream)
        {
          failure = g_error_new_literal (RF_ERROR, RF_ERROR_IO, message);
          start_run (ex);
          exchange_end_run (ex, failure);
        }
      else
        count_passed (ex);

      exchange_upstream_done (ex);
      return;
    }

  ex->status = soup_message_get_status (ex->upstream);
  from = soup_message_get_response_headers (ex->upstream);
  to = soup_server_message_get_response_headers (ex->msg);

  soup_server_message_set_status (ex->msg, ex->status, soup_message_get_reason_phrase (ex->upstream));
  soup_message_headers_foreach (from, copy_response_header, ex);

  if (soup_message_headers_get_encoding (from) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      ex->content_length = soup_message_headers_get_content_length (from);
      soup_message_headers_set_content_length (to, ex->content_length);
    }
  else if (soup_message_headers_get_encoding (from) != SOUP_ENCODING_NONE)
    soup_message_headers_set_encoding (to, SOUP_ENCODING_CHUNKED);

  soup_message_body_set_accumulate (soup_server_message_get_response_body (ex->msg), FALSE);

  /* The headers go out and upstream is read before the run's journal
   * is created: no file is made while the client waits. The read's
   * callback comes from a later iteration, after the run exists. */
  soup_server_message_unpause (ex->msg);
  exchange_read_next (ex);

  type = soup_message_headers_get_content_type (from, NULL);
  if (type != NULL && g_ascii_strcasecmp (type, "text/event-stream") == 0)
    start_run (ex);
  else if (ex->wants_stream && !SOUP_STATUS_IS_SUCCESSFUL (ex->status))
    {
      /* The failure of a stream request is a run that failed: its body
       * gives the message once it has all passed through. */
      ex->error_body = g_byte_array_new ();
      start_run (ex);
    }
  else
    count_passed (ex);

  g_clear_pointer (&ex->request_body, g_bytes_unref);
}

typedef struct
{
  Exchange           *ex;
  SoupMessageHeaders *to;
  const char         *connection;
} CopyRequest;

static void
copy_request_header (const char *name,
                     const char *value,
                     gpointer    data)
{
  CopyRequest *copy = data;

  if (_rf_tap_is_hop_by_hop (name, copy->connection) ||
      g_ascii_strcasecmp (name, "Host") == 0 ||
      g_ascii_strcasecmp (name, "Content-Length") == 0 ||
      g_ascii_strcasecmp (name, "Expect") == 0)
    return;

  /* An event stream must reach the tap as sent, not compressed; other
   * requests keep their Accept-Encoding and pass through untouched. */
  if (copy->ex->wants_stream && g_ascii_strcasecmp (name, "Accept-Encoding") == 0)
    return;

  soup_message_headers_append (copy->to, name, value);
}

void
_rf_tap_handle_request (SoupServer        *server,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data)
{
  RfTap *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_path = g_uri_get_path (uri);
  const char *raw_query = g_uri_get_query (uri);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *target = NULL;
  const char *authorization;
  CopyRequest copy;
  Exchange *ex;

  ex = g_new0 (Exchange, 1);
  ex->tap = self;
  ex->msg = g_object_ref (msg);
  ex->t0 = g_get_monotonic_time ();
  ex->content_length = -1;
  ex->wall0 = g_get_real_time ();
  ex->cancellable = g_cancellable_new ();
  ex->method = g_strdup (soup_server_message_get_method (msg));
  ex->secrets = g_ptr_array_new_with_free_func (g_free);
  ex->request_body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_ptr_array_add (self->exchanges, ex);

  authorization = soup_message_headers_get_one (headers, "Authorization");
  if (authorization != NULL)
    {
      const char *space = strchr (authorization, ' ');
      _rf_tap_add_secret (ex->secrets, space ? space + 1 : authorization);
    }
  _rf_tap_add_secret (ex->secrets, soup_message_headers_get_one (headers, "x-goog-api-key"));
  _rf_tap_add_secret (ex->secrets, soup_message_headers_get_one (headers, "api-key"));
  _rf_tap_add_secret (ex->secrets, soup_message_headers_get_one (headers, "x-api-key"));
  if (query != NULL)
    {
      _rf_tap_add_secret (ex->secrets, g_hash_table_lookup (query, "key"));
      _rf_tap_add_secret (ex->secrets, g_hash_table_lookup (query, "api_key"));
    }

  ex->path = _rf_tap_redact_path (ex->secrets, raw_path, raw_query);
  ex->target = g_strconcat (self->upstream, ex->path, NULL);
  target = g_strconcat (self->upstream, raw_path, raw_query ? "?" : "", raw_query ? raw_query : "", NULL);
  ex->wants_stream = _rf_tap_request_asks_for_stream (msg, raw_path, raw_query, ex->request_body);

  g_signal_connect (msg, "finished", G_CALLBACK (server_finished_cb), ex);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), ex);

  ex->upstream = soup_message_new (ex->method, target);
  if (ex->upstream == NULL)
    {
      static const char text[] = "Refinery: this request cannot be forwarded\n";

      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, text, strlen (text));
      ex->upstream_done = TRUE;
      return;
    }

  soup_message_add_flags (ex->upstream, SOUP_MESSAGE_NO_REDIRECT);
  copy.ex = ex;
  copy.to = soup_message_get_request_headers (ex->upstream);
  copy.connection = soup_message_headers_get_list (headers, "Connection");
  soup_message_headers_foreach (headers, copy_request_header, &copy);
  if (g_bytes_get_size (ex->request_body) > 0)
    soup_message_set_request_body_from_bytes (ex->upstream, NULL, ex->request_body);

  soup_server_message_pause (msg);
  watch_client (ex);
  soup_session_send_async (self->session, ex->upstream, G_PRIORITY_DEFAULT, ex->cancellable,
                           sent_cb, ex);
}

/* The proxy's thread, stopping: cancels every exchange, lets go of those
 * whose client never finishes, and frees them all. */
void
_rf_tap_end_exchanges (RfTap *self)
{
  for (guint i = 0; i < self->exchanges->len; i++)
    g_cancellable_cancel (((Exchange *) g_ptr_array_index (self->exchanges, i))->cancellable);

  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (self->exchanges->len > 0 && g_get_monotonic_time () < deadline)
      {
        /* An exchange whose client never finishes is let go. */
        for (guint i = 0; i < self->exchanges->len; i++)
          {
            Exchange *ex = g_ptr_array_index (self->exchanges, i);

            if (ex->upstream_done && !ex->server_done)
              {
                exchange_close_client (ex);
                exchange_maybe_free (ex);
                break;
              }
          }
        g_main_context_iteration (self->context, FALSE);
        g_usleep (1000);
      }
  }

  for (guint i = 0; i < self->exchanges->len; i++)
    exchange_free (g_ptr_array_index (self->exchanges, i));
  g_ptr_array_set_size (self->exchanges, 0);
}
