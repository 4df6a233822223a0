/*
 * rf-tap.c
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
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rf-event.h"
#include "rf-http-source.h"
#include "rf-recorder.h"
#include "rf-redactor.h"
#include "rf-tap-private.h"
#include "rf-tap-run-private.h"
#include "rf-tap.h"

/* RfTap, the recording proxy: the object, the proxy's thread (its own
 * main context, the server and the upstream session) and what that
 * thread hands to the main thread: each run, which the main thread
 * starts and keeps in the list of runs, and each request passed on. The
 * public functions are called on the main thread; the exchanges
 * themselves run on the proxy's thread (rf-tap-exchange.c). */

#define DEFAULT_MAX_PENDING (32 * 1024 * 1024)
#define UPSTREAM_TIMEOUT_S  600

G_DEFINE_FINAL_TYPE (RfTap, rf_tap, G_TYPE_OBJECT)

enum {
  RUN_STARTED,
  RUN_FINISHED,
  REQUEST_PASSED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

typedef struct
{
  RfTap    *tap;
  RfTapRun *run;
  char     *method;
  char     *path;
  guint     status;
} Post;

static void
post_free (Post *post)
{
  g_clear_object (&post->tap);
  g_clear_object (&post->run);
  g_free (post->method);
  g_free (post->path);
  g_free (post);
}

/* Memory stays that of the runs being read and a few finished ones: the
 * newest max_sessions_kept finished runs keep their sessions (picking one
 * again is instant), older ones let go of theirs and are read back from
 * their journals when picked. The list of runs is capped too: past
 * max_runs_listed, the oldest finished runs leave it (their journals stay
 * in the history). */
static void
forget_old_runs (RfTap *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->runs));
  guint kept = 0;

  for (guint i = n; i-- > 0;)
    {
      g_autoptr(RfTapRun) run = g_list_model_get_item (G_LIST_MODEL (self->runs), i);
      RfSession *session = rf_tap_run_get_session (run);

      if (session == NULL || !rf_session_get_finished (session))
        continue;
      if (++kept > self->max_sessions_kept)
        _rf_tap_run_release_session (run);
    }

  for (guint i = 0; i < n && n > self->max_runs_listed;)
    {
      g_autoptr(RfTapRun) run = g_list_model_get_item (G_LIST_MODEL (self->runs), i);

      if (rf_tap_run_get_session (run) == NULL)
        {
          g_list_store_remove (self->runs, i);
          n--;
        }
      else
        i++;
    }
}

static gboolean
run_finished_cb (RfSession *session,
                 RfTapRun  *run)
{
  RfTap *self = g_object_get_data (G_OBJECT (run), "rf-tap");

  g_signal_handlers_disconnect_by_func (session, run_finished_cb, run);
  g_atomic_int_dec_and_test (&self->n_active);
  g_signal_emit (self, signals [RUN_FINISHED], 0, run);
  forget_old_runs (self);

  return FALSE;
}

/* Main thread. */
static gboolean
run_started_idle (gpointer data)
{
  Post *post = data;
  RfTap *self = post->tap;
  g_autoptr(RfSession) session = rf_session_new ();

  _rf_tap_run_set_session (post->run, session);
  /* The client waits for the proxy's next chunk, not for these frames. */
  rf_session_set_yield_cpu (session, TRUE);
  g_object_set_data (G_OBJECT (post->run), "rf-tap", self);
  g_list_store_append (self->runs, post->run);
  g_signal_connect (session, "finished", G_CALLBACK (run_finished_cb), post->run);

  g_signal_emit (self, signals [RUN_STARTED], 0, post->run);
  rf_session_start (session, RF_SOURCE (_rf_tap_run_get_source (post->run)));

  return G_SOURCE_REMOVE;
}

static gboolean
request_passed_idle (gpointer data)
{
  Post *post = data;

  g_signal_emit (post->tap, signals [REQUEST_PASSED], 0, post->method, post->path, post->status);

  return G_SOURCE_REMOVE;
}

static void
post (RfTap       *self,
      GSourceFunc  func,
      Post        *data)
{
  data->tap = g_object_ref (self);
  g_main_context_invoke_full (self->owner, G_PRIORITY_DEFAULT, func, data,
                              (GDestroyNotify) post_free);
}

void
_rf_tap_post_run_started (RfTap    *self,
                          RfTapRun *run)
{
  Post *data = g_new0 (Post, 1);

  data->run = run;
  g_atomic_int_inc (&self->n_active);
  post (self, run_started_idle, data);
}

void
_rf_tap_post_request_passed (RfTap      *self,
                             const char *method,
                             const char *path,
                             guint       status)
{
  Post *data = g_new0 (Post, 1);

  g_atomic_int_inc (&self->n_passed);
  data->method = g_strdup (method);
  data->path = g_strdup (path);
  data->status = status;
  post (self, request_passed_idle, data);
}

static gpointer
tap_thread (gpointer data)
{
  RfTap *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  g_main_context_push_thread_default (self->context);

  self->session = soup_session_new_with_options ("max-conns", 256,
                                                 "max-conns-per-host", 256,
                                                 "timeout", UPSTREAM_TIMEOUT_S,
                                                 NULL);
  /* Bytes pass through as upstream sent them. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);

  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, _rf_tap_handle_request, self, NULL);

  if (g_strcmp0 (self->address, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (self->address);

  if (inet == NULL)
    g_set_error (&error, RF_ERROR, RF_ERROR_USAGE,
                 _("“%s” is not an IP address to listen on"), self->address);
  else
    {
      address = g_inet_socket_address_new (inet, self->port);
      if (soup_server_listen (self->server, address, 0, &error))
        {
          GSList *listeners = soup_server_get_listeners (self->server);
          g_autoptr(GSocketAddress) bound = NULL;

          if (listeners != NULL &&
              (bound = g_socket_get_local_address (listeners->data, &error)))
            self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
          g_slist_free (listeners);
        }
    }

  g_mutex_lock (&self->mutex);
  self->listen_error = g_steal_pointer (&error);
  self->listen_done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (self->listen_error == NULL)
    g_main_loop_run (self->loop);

  /* Stopping: the requests in flight end now, then no new ones. */
  self->stopping = TRUE;
  _rf_tap_end_exchanges (self);

  soup_server_disconnect (self->server);

  g_clear_object (&self->server);
  soup_session_abort (self->session);
  g_clear_object (&self->session);

  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);

  return NULL;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
rf_tap_dispose (GObject *object)
{
  RfTap *self = (RfTap *)object;

  rf_tap_stop (self);

  G_OBJECT_CLASS (rf_tap_parent_class)->dispose (object);
}

static void
rf_tap_finalize (GObject *object)
{
  RfTap *self = (RfTap *)object;

  g_clear_pointer (&self->owner, g_main_context_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->exchanges, g_ptr_array_unref);
  g_clear_pointer (&self->upstream, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_error (&self->listen_error);
  g_clear_object (&self->runs);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (rf_tap_parent_class)->finalize (object);
}

static void
rf_tap_class_init (RfTapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rf_tap_dispose;
  object_class->finalize = rf_tap_finalize;

  signals [RUN_STARTED] =
    g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, RF_TYPE_TAP_RUN);
  signals [RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, RF_TYPE_TAP_RUN);
  signals [REQUEST_PASSED] =
    g_signal_new ("request-passed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT);
}

static void
rf_tap_init (RfTap *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->owner = g_main_context_ref_thread_default ();
  self->runs = g_list_store_new (RF_TYPE_TAP_RUN);
  self->exchanges = g_ptr_array_new ();
  self->max_pending = DEFAULT_MAX_PENDING;
  self->max_runs_listed = RF_TAP_MAX_RUNS_LISTED;
  self->max_sessions_kept = RF_TAP_MAX_SESSIONS_KEPT;
}

RfTap *
rf_tap_new (const char  *upstream_uri,
            GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(RfTap) self = NULL;
  const char *scheme;
  gsize len;

  g_return_val_if_fail (upstream_uri != NULL, NULL);

  uri = g_uri_parse (upstream_uri, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_USAGE,
                   _("The upstream “%s” is not an http(s) URL"), upstream_uri);
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_USAGE,
                   _("The upstream URL cannot have a query or a fragment"));
      return NULL;
    }

  self = g_object_new (RF_TYPE_TAP, NULL);
  self->upstream = g_strdup (upstream_uri);
  /* The request's path follows: no slash of the base's own. */
  len = strlen (self->upstream);
  while (len > 0 && self->upstream[len - 1] == '/')
    self->upstream[--len] = '\0';

  return g_steal_pointer (&self);
}

gboolean
rf_tap_listen (RfTap       *self,
               const char  *address,
               guint16      port,
               GError     **error)
{
  gboolean ret;

  g_return_val_if_fail (RF_IS_TAP (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  self->address = g_strdup (address);
  self->port = port;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("rf-tap", tap_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->listen_done)
    g_cond_wait (&self->cond, &self->mutex);
  ret = self->listen_error == NULL;
  if (!ret)
    g_propagate_error (error, g_error_copy (self->listen_error));
  g_mutex_unlock (&self->mutex);

  if (!ret)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->address, g_free);
    }

  return ret;
}

char *
rf_tap_dup_uri (RfTap *self)
{
  g_autoptr(GInetAddress) inet = NULL;

  g_return_val_if_fail (RF_IS_TAP (self), NULL);

  if (self->thread == NULL || self->address == NULL)
    return NULL;

  inet = g_inet_address_new_from_string (self->address);
  if (inet != NULL && g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("http://[%s]:%u", self->address, self->port);

  return g_strdup_printf ("http://%s:%u", self->address, self->port);
}

guint16
rf_tap_get_port (RfTap *self)
{
  g_return_val_if_fail (RF_IS_TAP (self), 0);
  return self->thread ? self->port : 0;
}

const char *
rf_tap_get_upstream (RfTap *self)
{
  g_return_val_if_fail (RF_IS_TAP (self), NULL);
  return self->upstream;
}

void
rf_tap_stop (RfTap *self)
{
  g_return_if_fail (RF_IS_TAP (self));

  if (self->thread == NULL)
    return;

  g_main_context_invoke (self->context, quit_cb, self->loop);
  g_thread_join (g_steal_pointer (&self->thread));
}

GListModel *
rf_tap_get_runs (RfTap *self)
{
  g_return_val_if_fail (RF_IS_TAP (self), NULL);
  return G_LIST_MODEL (self->runs);
}

guint
rf_tap_get_n_active (RfTap *self)
{
  g_return_val_if_fail (RF_IS_TAP (self), 0);
  return g_atomic_int_get (&self->n_active);
}

guint
rf_tap_get_n_passed (RfTap *self)
{
  g_return_val_if_fail (RF_IS_TAP (self), 0);
  return g_atomic_int_get (&self->n_passed);
}

void
rf_tap_set_max_pending (RfTap *self,
                        gsize  max_pending)
{
  g_return_if_fail (RF_IS_TAP (self));
  g_return_if_fail (max_pending > 0);
  self->max_pending = max_pending;
}

gboolean
rf_tap_address_is_loopback (const char *address)
{
  g_autoptr(GInetAddress) inet = NULL;

  g_return_val_if_fail (address != NULL, FALSE);

  if (g_ascii_strcasecmp (address, "localhost") == 0)
    return TRUE;

  inet = g_inet_address_new_from_string (address);
  return inet != NULL && g_inet_address_get_is_loopback (inet);
}

void
rf_tap_set_max_runs_listed (RfTap *self,
                            guint  max_runs)
{
  g_return_if_fail (RF_IS_TAP (self));
  g_return_if_fail (max_runs > 0);

  self->max_runs_listed = max_runs;
}

void
rf_tap_set_max_sessions_kept (RfTap *self,
                              guint  max_sessions)
{
  g_return_if_fail (RF_IS_TAP (self));

  self->max_sessions_kept = max_sessions;
}
