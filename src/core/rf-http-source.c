/*
 * rf-http-source.c
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

#define G_LOG_DOMAIN "rf-http-source"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rf-event.h"
#include "rf-http-source-private.h"
#include "rf-ingest.h"
#include "rf-redactor.h"

#define READ_SIZE          (64 * 1024)
#define MAX_ATTEMPTS       3
#define MAX_REDIRECTS      5

struct _RfHttpSource
{
  RfSource    parent_instance;

  RfRequest  *request;
  char       *uri;
  char       *display_uri;   /* keys in the URI redacted (rf_http_dup_display_uri()) */
  GPtrArray  *uri_secrets;   /* and those keys, taken out of everything shown */
  char       *api_key;
  RfRecorder *recorder;

  guint       idle_timeout;
  guint       retry_base_ms;
  guint       retry_max_ms;
  guint       max_resumes;
};

G_DEFINE_FINAL_TYPE (RfHttpSource, rf_http_source, RF_TYPE_SOURCE)

typedef enum
{
  PUMP_EOF,
  PUMP_DROPPED,
  PUMP_TIMED_OUT,
  PUMP_CANCELLED,
  PUMP_STOPPED,     /* the ingest ended the run (an event over the limit) */
} PumpResult;

/* The state of one request across its redirects. */
typedef struct
{
  const char *method;
  GBytes     *body;
} Target;

/* The key as the one secret to take out (borrowed: the redactor copies
 * it, and no other copy is left in freed memory). */
static GPtrArray *
borrow_secrets (RfHttpSource *self)
{
  GPtrArray *secrets = g_ptr_array_new ();

  if (self->api_key != NULL)
    g_ptr_array_add (secrets, self->api_key);
  for (guint i = 0; self->uri_secrets != NULL && i < self->uri_secrets->len; i++)
    g_ptr_array_add (secrets, g_ptr_array_index (self->uri_secrets, i));

  return secrets;
}

static char *
redact (RfHttpSource *self,
        const char   *text)
{
  g_autoptr(GPtrArray) secrets = borrow_secrets (self);

  return rf_redactor_redact_text (secrets, text);
}

/* Errors from the server or the network go through redact() before
 * anyone sees them: a server may echo the key. */
static void
fail (RfHttpSource  *self,
      RfIngest      *ingest,
      GError       **error,
      int            code,
      const char    *message)
{
  g_autofree char *clean = redact (self, message);

  rf_ingest_add_diagnostic (ingest, RF_SEVERITY_ERROR, "http-error", -1, "%s", clean);
  g_set_error_literal (error, RF_ERROR, code, clean);
}

static gboolean
is_cancelled (const GError *error,
              GCancellable *cancellable)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_cancellable_is_cancelled (cancellable);
}

static void
set_cancelled (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
}

/* Sleeps @ms unless cancelled first. */
static gboolean
wait_ms (gint64        ms,
         GCancellable *cancellable)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (!g_cancellable_is_cancelled (cancellable))
    {
      gint64 left = deadline - g_get_monotonic_time ();

      if (left <= 0)
        return TRUE;
      g_usleep (MIN (left, 20000));
    }

  return FALSE;
}

static SoupMessage *
build_message (RfHttpSource *self,
               const char   *method,
               GUri         *uri,
               GBytes       *body,
               gboolean      with_auth)
{
  SoupMessage *msg = soup_message_new_from_uri (method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  /* Redirects are followed by hand to check each hop. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");

  if (with_auth && self->api_key != NULL)
    {
      RfProvider provider = self->request != NULL ? rf_request_get_provider (self->request)
                                                  : RF_PROVIDER_OPENAI;

      /* Gemini takes the bare key in its own header, never in the URL. */
      if (provider == RF_PROVIDER_GEMINI)
        soup_message_headers_replace (headers, rf_request_auth_header (provider), self->api_key);
      else
        {
          g_autofree char *value = g_strconcat ("Bearer ", self->api_key, NULL);
          soup_message_headers_replace (headers, "Authorization", value);
        }
    }

  if (self->request != NULL)
    {
      g_auto(GStrv) extra = rf_request_dup_extra_headers (self->request);

      for (guint i = 0; extra[i] != NULL && extra[i + 1] != NULL; i += 2)
        soup_message_headers_replace (headers, extra[i], extra[i + 1]);
    }

  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);

  return msg;
}

/* One attempt: sends, follows redirects. Returns the body stream of the
 * final response (any status) with *out_msg, or NULL + @error for a
 * connection failure or a refused redirect (*refused set). */
static GInputStream *
send_one (RfHttpSource  *self,
          SoupSession   *session,
          const char    *method,
          const char    *uri_string,
          GBytes        *body,
          SoupMessage  **out_msg,
          gboolean      *refused,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GUri) origin = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GBytes) current_body = body ? g_bytes_ref (body) : NULL;

  *refused = FALSE;

  if (!(uri = g_uri_parse (uri_string, SOUP_HTTP_URI_FLAGS, error)))
    {
      *refused = TRUE;
      return NULL;
    }
  origin = g_uri_ref (uri);

  for (guint hop = 0; ; hop++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GUri) next = NULL;
      const char *location;
      guint status;

      msg = build_message (self, method, uri, current_body, _rf_http_same_origin (origin, uri));

      if (!(stream = soup_session_send (session, msg, cancellable, error)))
        return NULL;

      status = soup_message_get_status (msg);
      if (!SOUP_STATUS_IS_REDIRECTION (status) || status == 304 || status == 305 || status == 306)
        {
          *out_msg = g_steal_pointer (&msg);
          return g_steal_pointer (&stream);
        }

      location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
      g_input_stream_close (stream, NULL, NULL);

      if (location == NULL)
        {
          *out_msg = g_steal_pointer (&msg);
          return g_memory_input_stream_new ();
        }

      if (hop >= MAX_REDIRECTS)
        {
          *refused = TRUE;
          g_set_error (error, RF_ERROR, RF_ERROR_HTTP, _("HTTP %u: too many redirects"), status);
          return NULL;
        }

      if (!(next = _rf_http_resolve_redirect (uri, location, status, error)))
        {
          *refused = TRUE;
          return NULL;
        }

      if (status == 303 || ((status == 301 || status == 302) && g_str_equal (method, "POST")))
        {
          method = "GET";
          g_clear_pointer (&current_body, g_bytes_unref);
        }

      g_clear_pointer (&uri, g_uri_unref);
      uri = g_steal_pointer (&next);
    }
}

/* Sends with retries: before the first event only, on connection
 * failure, 408, 429 and 5xx. Returns a 2xx body stream, or NULL with
 * @error set (HTTP errors also become a diagnostic). */
static GInputStream *
open_stream (RfHttpSource  *self,
             SoupSession   *session,
             RfIngest      *ingest,
             const char    *method,
             const char    *uri,
             GBytes        *body,
             guint          max_attempts,
             GCancellable  *cancellable,
             GError       **error)
{
  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GInputStream) stream = NULL;
      g_autofree char *problem = NULL;
      gboolean refused = FALSE;
      gboolean retryable;
      gint64 delay_ms = -1;
      int code = RF_ERROR_HTTP;

      rf_ingest_set_connecting (ingest);

      stream = send_one (self, session, method, uri, body, &msg, &refused,
                         cancellable, &local_error);

      if (stream == NULL)
        {
          if (is_cancelled (local_error, cancellable))
            {
              set_cancelled (error);
              return NULL;
            }

          retryable = !refused && _rf_http_error_is_retryable (local_error);
          code = refused ? RF_ERROR_HTTP : RF_ERROR_IO;
          if (refused)
            problem = g_strdup (local_error->message);
          else
            problem = g_strdup_printf (_("Cannot connect to %s: %s"), uri, local_error->message);
        }
      else
        {
          guint status = soup_message_get_status (msg);
          g_autoptr(GBytes) error_body = NULL;

          if (SOUP_STATUS_IS_SUCCESSFUL (status))
            {
              const char *type;

              type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                            NULL);

              /* A proxy that answers 200 with a JSON error instead of a
               * stream: show its message rather than "truncated". */
              /* A web page (a login portal, a wrong base URL): not a
               * stream at all, an HTTP-level error (exit 2). */
              if (type != NULL && (g_ascii_strcasecmp (type, "text/html") == 0 ||
                                   g_ascii_strcasecmp (type, "application/xhtml+xml") == 0))
                {
                  /* TRANSLATORS: opening a URL; %s is the page’s content
                   * type. An event is one server-sent event of the stream */
                  g_autofree char *page = g_strdup_printf (_("HTTP %u: the server sent a web page (%s), "
                                                             "not an event stream: check the URL"),
                                                           status, type);

                  fail (self, ingest, error, RF_ERROR_HTTP, page);
                  return NULL;
                }

              if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0)
                {
                  if (type != NULL && g_ascii_strcasecmp (type, "text/event-stream") != 0)
                    rf_ingest_add_diagnostic (ingest, RF_SEVERITY_WARNING, "content-type", -1,
                                              /* TRANSLATORS: opening a URL; %s is
                                               * the content type the server sent. An
                                               * event is one server-sent event of
                                               * the stream */
                                              _("The server sent “%s”, not an event stream"),
                                              type);
                  return g_steal_pointer (&stream);
                }

              error_body = _rf_http_read_error_body (stream, cancellable);
              problem = rf_http_describe_error (status, soup_message_get_reason_phrase (msg),
                                             error_body);
              fail (self, ingest, error, RF_ERROR_HTTP, problem);
              return NULL;
            }

          error_body = _rf_http_read_error_body (stream, cancellable);
          if (g_cancellable_is_cancelled (cancellable))
            {
              set_cancelled (error);
              return NULL;
            }

          problem = rf_http_describe_error (status, soup_message_get_reason_phrase (msg), error_body);
          retryable = _rf_http_status_is_retryable (status);
          code = _rf_http_is_auth_error (status, error_body) ? RF_ERROR_AUTH : RF_ERROR_HTTP;
          if (self->request != NULL)
            {
              g_autofree char *hinted = _rf_http_add_hint (problem, status, code == RF_ERROR_AUTH,
                                                           rf_request_get_provider (self->request));
              g_free (problem);
              problem = g_steal_pointer (&hinted);
            }
          delay_ms = _rf_http_parse_retry_after (msg);
        }

      if (!retryable || attempt >= max_attempts || rf_ingest_get_n_events (ingest) > 0)
        {
          fail (self, ingest, error, code, problem);
          return NULL;
        }

      if (delay_ms < 0)
        delay_ms = (gint64) self->retry_base_ms << (attempt - 1);
      delay_ms = MIN (delay_ms, (gint64) self->retry_max_ms);

      {
        g_autofree char *clean = redact (self, problem);

        rf_ingest_add_diagnostic (ingest, RF_SEVERITY_INFO, "retry", -1,
                                  /* Translators: %s is an HTTP or network error */
                                  _("%s — retrying in %.1f s (attempt %u of %u)"),
                                  clean, delay_ms / 1000.0, attempt + 1, max_attempts);
      }

      if (!wait_ms (delay_ms, cancellable))
        {
          set_cancelled (error);
          return NULL;
        }
    }
}

static void
push (RfHttpSource *self,
      RfIngest     *ingest,
      const guint8 *buf,
      gsize         len)
{
  if (len == 0)
    return;

  rf_ingest_push (ingest, buf, len);
  if (self->recorder != NULL)
    rf_recorder_sync (self->recorder, ingest);
}

/* A server may echo the key inside the stream (an error message, an id):
 * the redactor replaces it before the bytes reach the parser or the
 * journal, so no message, id, journal or journal name can hold it. It
 * holds back a tail that may be the start of the key split across reads;
 * @flush pushes it. @clean is scratch space reused across reads. */
static void
push_redacted (RfHttpSource *self,
               RfIngest     *ingest,
               RfRedactor   *redactor,
               GByteArray   *clean,
               const guint8 *buf,
               gsize         len,
               gboolean      flush)
{
  g_byte_array_set_size (clean, 0);
  if (flush)
    rf_redactor_flush (redactor, clean);
  else
    rf_redactor_feed (redactor, buf, len, clean);
  push (self, ingest, clean->data, clean->len);
}

/* Reads until EOF, error or cancellation, pushing every chunk. */
static PumpResult
pump (RfHttpSource  *self,
      RfIngest      *ingest,
      GInputStream  *stream,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autofree guint8 *buf = g_malloc (READ_SIZE);
  g_autoptr(GPtrArray) secrets = borrow_secrets (self);
  g_autoptr(RfRedactor) redactor = rf_redactor_new (secrets);
  g_autoptr(GByteArray) clean = g_byte_array_new ();
  PumpResult result;

  rf_ingest_set_streaming (ingest);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n = g_input_stream_read (stream, buf, READ_SIZE, cancellable, &local_error);

      if (n > 0)
        {
          push_redacted (self, ingest, redactor, clean, buf, n, FALSE);
          if (!rf_ingest_is_stopped (ingest))
            continue;
          result = PUMP_STOPPED;
          break;
        }

      /* What was held back is not the key after all. */
      push_redacted (self, ingest, redactor, clean, NULL, 0, TRUE);

      if (n == 0)
        result = PUMP_EOF;
      else if (is_cancelled (local_error, cancellable))
        result = PUMP_CANCELLED;
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        result = PUMP_TIMED_OUT;
      else
        result = PUMP_DROPPED;

      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      break;
    }

  g_input_stream_close (stream, NULL, NULL);

  return result;
}

static SoupSession *
create_session (RfHttpSource *self)
{
  SoupSession *session;

  session = soup_session_new_with_options ("timeout", self->idle_timeout,
                                           "user-agent", "refinery/" PACKAGE_VERSION " ",
                                           NULL);

  /* No Accept-Encoding: compressed event streams arrive in bursts, and
   * the journal keeps the bytes as sent. */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);

  return session;
}

static gboolean
run_stream (RfHttpSource  *self,
            RfIngest      *ingest,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(SoupSession) session = create_session (self);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *method = "GET";
  gboolean can_resume = FALSE;
  guint resumes = 0;

  if (self->request != NULL)
    {
      g_autofree char *json = rf_request_build_body (self->request, error);
      gsize len;

      if (json == NULL)
        return FALSE;

      rf_ingest_set_request (ingest, json, rf_request_get_partial_images (self->request));

      method = "POST";
      len = strlen (json);
      body = g_bytes_new_take (g_steal_pointer (&json), len);
      can_resume = rf_request_get_background_mode (self->request) &&
                   rf_request_get_api (self->request) == RF_REQUEST_API_RESPONSES;
    }

  if (!(stream = open_stream (self, session, ingest, method, self->uri, body,
                              MAX_ATTEMPTS, cancellable, error)))
    return FALSE;

  for (;;)
    {
      g_autoptr(GError) read_error = NULL;
      g_autofree char *response_id = NULL;
      g_autofree char *resume_uri = NULL;
      PumpResult result;
      gint64 last_seq;

      result = pump (self, ingest, stream, cancellable, &read_error);
      g_clear_object (&stream);

      if (result == PUMP_CANCELLED)
        {
          set_cancelled (error);
          return FALSE;
        }

      if (result == PUMP_STOPPED || rf_ingest_get_saw_terminal (ingest))
        return TRUE;

      if (result == PUMP_TIMED_OUT)
        rf_ingest_add_diagnostic (ingest, RF_SEVERITY_WARNING, "idle-timeout", -1,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "No data for %u second: the stream stalled",
                                               "No data for %u seconds: the stream stalled",
                                               self->idle_timeout),
                                  self->idle_timeout);
      else if (result == PUMP_DROPPED)
        {
          g_autofree char *clean = redact (self, read_error->message);

          rf_ingest_add_diagnostic (ingest, RF_SEVERITY_WARNING, "connection-lost", -1,
                                    _("The connection was lost: %s"), clean);
        }

      if (!can_resume ||
          !(response_id = rf_ingest_dup_response_id (ingest)))
        return TRUE;

      /* Each resume GET may itself need a few tries. */
      while (stream == NULL)
        {
          g_autoptr(GError) resume_error = NULL;

          if (resumes >= self->max_resumes)
            {
              rf_ingest_add_diagnostic (ingest, RF_SEVERITY_WARNING, "resume-failed", -1,
                                        g_dngettext (GETTEXT_PACKAGE,
                                                     "Gave up resuming response %s after %u attempt",
                                                     "Gave up resuming response %s after %u attempts",
                                                     resumes),
                                        response_id, resumes);
              return TRUE;
            }

          if (resumes > 0 &&
              !wait_ms (MIN ((gint64) self->retry_base_ms << MIN (resumes - 1, 10),
                             (gint64) self->retry_max_ms), cancellable))
            {
              set_cancelled (error);
              return FALSE;
            }

          resumes++;
          last_seq = rf_ingest_get_last_sequence_number (ingest);
          g_free (resume_uri);
          resume_uri = rf_request_dup_resume_uri (self->request, response_id, last_seq);

          if (self->recorder != NULL)
            rf_recorder_begin_resume (self->recorder);
          rf_ingest_begin_resume (ingest);
          rf_ingest_add_diagnostic (ingest, RF_SEVERITY_INFO, "resume", last_seq,
                                    /* TRANSLATORS: reconnecting to a
                                     * background response: its id, the last
                                     * event received, attempt counts. The
                                     * sequence number is the number the
                                     * server gives each event, in order */
                                    _("Resuming response %s after sequence number %lld (attempt %u of %u)"),
                                    response_id, (long long) last_seq, resumes, self->max_resumes);

          stream = open_stream (self, session, ingest, "GET", resume_uri, NULL, 1,
                                cancellable, &resume_error);

          if (stream == NULL && g_error_matches (resume_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&resume_error));
              return FALSE;
            }
        }
    }
}

static gboolean
rf_http_source_run (RfSource      *source,
                    RfIngest      *ingest,
                    GCancellable  *cancellable,
                    GError       **error)
{
  RfHttpSource *self = RF_HTTP_SOURCE (source);
  gboolean ret;

  rf_ingest_set_live (ingest);
  if (self->recorder != NULL)
    rf_recorder_attach (self->recorder, ingest);

  ret = run_stream (self, ingest, cancellable, error);

  if (self->recorder != NULL)
    {
      /* What ended the run is not in the bytes: the journal keeps it, so
       * the history and a replay can say why. */
      if (g_cancellable_is_cancelled (cancellable) ||
          (!ret && error != NULL && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
        rf_recorder_note_outcome (self->recorder, "cancelled", NULL);
      else if (!ret && error != NULL && *error != NULL)
        {
          g_autofree char *clean = redact (self, (*error)->message);

          rf_recorder_note_outcome (self->recorder,
                                    (g_error_matches (*error, RF_ERROR, RF_ERROR_HTTP) ||
                                     g_error_matches (*error, RF_ERROR, RF_ERROR_AUTH))
                                    ? "http-error" : "connection-lost",
                                    clean);
        }
      rf_recorder_finish (self->recorder, ingest);
    }

  return ret;
}

static char *
rf_http_source_dup_description (RfSource *source)
{
  RfHttpSource *self = RF_HTTP_SOURCE (source);

  return g_strdup (self->display_uri);
}

static void
rf_http_source_finalize (GObject *object)
{
  RfHttpSource *self = (RfHttpSource *)object;

  g_clear_object (&self->request);
  g_clear_object (&self->recorder);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->display_uri, g_free);
  g_clear_pointer (&self->uri_secrets, g_ptr_array_unref);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);

  G_OBJECT_CLASS (rf_http_source_parent_class)->finalize (object);
}

static void
rf_http_source_class_init (RfHttpSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RfSourceClass *source_class = RF_SOURCE_CLASS (klass);

  object_class->finalize = rf_http_source_finalize;

  source_class->run = rf_http_source_run;
  source_class->dup_description = rf_http_source_dup_description;
}

static void
rf_http_source_init (RfHttpSource *self)
{
  self->idle_timeout = 300;
  self->retry_base_ms = 1000;
  self->retry_max_ms = 60000;
  self->max_resumes = 5;
}

RfSource *
rf_http_source_new_for_request (RfRequest  *request,
                                const char *api_key)
{
  RfHttpSource *self;

  g_return_val_if_fail (RF_IS_REQUEST (request), NULL);

  self = g_object_new (RF_TYPE_HTTP_SOURCE, NULL);
  /* A copy: the caller may keep editing its request for the next run. */
  self->request = rf_request_copy (request);
  self->uri = rf_request_dup_endpoint_uri (request);
  self->uri_secrets = g_ptr_array_new_with_free_func (g_free);
  self->display_uri = rf_http_dup_display_uri (self->uri, self->uri_secrets);
  self->api_key = g_strdup (api_key);

  return RF_SOURCE (self);
}

RfSource *
rf_http_source_new_get (const char *uri,
                        const char *api_key)
{
  RfHttpSource *self;

  g_return_val_if_fail (uri != NULL, NULL);

  self = g_object_new (RF_TYPE_HTTP_SOURCE, NULL);
  self->uri = g_strdup (uri);
  self->uri_secrets = g_ptr_array_new_with_free_func (g_free);
  self->display_uri = rf_http_dup_display_uri (uri, self->uri_secrets);
  self->api_key = g_strdup (api_key);

  return RF_SOURCE (self);
}

RfRequest *
rf_http_source_get_request (RfHttpSource *self)
{
  g_return_val_if_fail (RF_IS_HTTP_SOURCE (self), NULL);
  return self->request;
}

const char *
rf_http_source_get_uri (RfHttpSource *self)
{
  g_return_val_if_fail (RF_IS_HTTP_SOURCE (self), NULL);
  return self->uri;
}

void
rf_http_source_set_idle_timeout (RfHttpSource *self,
                                 guint         seconds)
{
  g_return_if_fail (RF_IS_HTTP_SOURCE (self));
  self->idle_timeout = seconds;
}

guint
rf_http_source_get_idle_timeout (RfHttpSource *self)
{
  g_return_val_if_fail (RF_IS_HTTP_SOURCE (self), 0);
  return self->idle_timeout;
}

void
rf_http_source_set_retry_delays (RfHttpSource *self,
                                 guint         base_ms,
                                 guint         max_ms)
{
  g_return_if_fail (RF_IS_HTTP_SOURCE (self));
  self->retry_base_ms = base_ms;
  self->retry_max_ms = max_ms;
}

void
rf_http_source_set_max_resumes (RfHttpSource *self,
                                guint         max_resumes)
{
  g_return_if_fail (RF_IS_HTTP_SOURCE (self));
  self->max_resumes = max_resumes;
}

void
rf_http_source_set_recorder (RfHttpSource *self,
                             RfRecorder   *recorder)
{
  g_return_if_fail (RF_IS_HTTP_SOURCE (self));
  g_return_if_fail (!recorder || RF_IS_RECORDER (recorder));

  g_set_object (&self->recorder, recorder);
}

char *
rf_http_source_dup_redacted_request_json (RfHttpSource *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *uri = NULL;

  g_return_val_if_fail (RF_IS_HTTP_SOURCE (self), NULL);

  if (self->request != NULL)
    return rf_request_dup_redacted_json (self->request);

  uri = redact (self, self->uri);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "GET");
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, uri);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
