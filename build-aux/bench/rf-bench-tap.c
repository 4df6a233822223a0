/*
 * rf-bench-tap.c
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

/* The tap's overhead: time to first and to last byte of the same paced
 * event stream, fetched directly from a loopback upstream and through
 * an RfTap, with 1, 4 and 16 streams at once. The tapped streams are
 * decoded as refinery-inspect --listen decodes them.
 *
 *   refinery-inspect --record=demo.sse demo
 *   rf-bench-tap demo.sse [ROUNDS]
 *
 * The last two columns are the differences with the runs cancelled as
 * they start: bytes passed through and journalled, nothing decoded.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsoup/soup.h>

#include "rf-session.h"
#include "rf-tap.h"

#define CHUNK     (16 * 1024)
#define GAP_US    2000

typedef struct
{
  GBytes       *stream;
  GMainContext *context;
  GMainLoop    *loop;
  char         *uri;
  GMutex        mutex;
  GCond         cond;
} Upstream;

typedef struct
{
  SoupServerMessage *msg;
  Upstream          *up;
  gsize              offset;
} Send;

static gboolean
send_next (gpointer data)
{
  Send *send = data;
  gsize len = g_bytes_get_size (send->up->stream);
  SoupMessageBody *body = soup_server_message_get_response_body (send->msg);

  if (send->offset >= len)
    {
      soup_message_body_complete (body);
      soup_server_message_unpause (send->msg);
      g_object_unref (send->msg);
      g_free (send);
      return G_SOURCE_REMOVE;
    }

  soup_message_body_append (body, SOUP_MEMORY_COPY,
                            (const char *) g_bytes_get_data (send->up->stream, NULL) + send->offset,
                            MIN (CHUNK, len - send->offset));
  send->offset += CHUNK;
  soup_server_message_unpause (send->msg);

  return G_SOURCE_CONTINUE;
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           data)
{
  Send *send = g_new0 (Send, 1);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  GSource *source;

  send->msg = g_object_ref (msg);
  send->up = data;
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_replace (headers, "Content-Type", "text/event-stream");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  soup_server_message_pause (msg);

  source = g_timeout_source_new (GAP_US / 1000);
  g_source_set_callback (source, send_next, send, NULL);
  g_source_attach (source, send->up->context);
  g_source_unref (source);
  send_next (send);
}

static gpointer
upstream_thread (gpointer data)
{
  Upstream *up = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (up->context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, handler, up, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("%s", error->message);
  uris = soup_server_get_uris (server);

  g_mutex_lock (&up->mutex);
  up->uri = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_cond_signal (&up->cond);
  g_mutex_unlock (&up->mutex);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (up->loop);
  g_main_context_pop_thread_default (up->context);

  return NULL;
}

typedef struct
{
  const char *uri;
  gsize       expected;
  double      first_ms;
  double      last_ms;
} Fetch;

static gpointer
fetch_thread (gpointer data)
{
  Fetch *fetch = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", fetch->uri);
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"stream\":true}", 15);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *buf = g_malloc (65536);
  gint64 start = g_get_monotonic_time ();
  gsize total = 0;
  gssize n;

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  if (!(in = soup_session_send (session, msg, NULL, &error)))
    g_error ("%s", error->message);
  while ((n = g_input_stream_read (in, buf, 65536, NULL, &error)) > 0)
    {
      if (total == 0)
        fetch->first_ms = (g_get_monotonic_time () - start) / 1000.0;
      total += n;
    }
  fetch->last_ms = (g_get_monotonic_time () - start) / 1000.0;
  if (n < 0 || total != fetch->expected)
    g_error ("stream cut short: %zu of %zu bytes", total, fetch->expected);

  return NULL;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, cmp_double);
  return g_array_index (values, double, values->len / 2);
}

/* Runs @n fetches at once from @uri, keeps the main context going (the
 * tap's sessions live there) and appends the times. */
static void
run_round (const char *uri,
           guint       n,
           gsize       expected,
           GArray     *firsts,
           GArray     *lasts)
{
  g_autofree Fetch *fetches = g_new0 (Fetch, n);
  g_autofree GThread **threads = g_new0 (GThread *, n);
  guint joined = 0;

  for (guint i = 0; i < n; i++)
    {
      fetches[i] = (Fetch) { uri, expected, 0, 0 };
      threads[i] = g_thread_new ("fetch", fetch_thread, &fetches[i]);
    }

  while (joined < n)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
      for (guint i = 0; i < n; i++)
        if (threads[i] != NULL && fetches[i].last_ms > 0)
          {
            g_thread_join (threads[i]);
            threads[i] = NULL;
            g_array_append_val (firsts, fetches[i].first_ms);
            g_array_append_val (lasts, fetches[i].last_ms);
            joined++;
          }
    }
}

/* The third measurement: runs cancelled as they start, so the tap only
 * passes bytes through and journals them: the proxy's own cost. */
static gboolean no_decode;

static gboolean
cancel_cb (gpointer data)
{
  rf_session_cancel (data);
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
run_started_cb (RfTap    *tap,
                RfTapRun *run,
                gpointer  data)
{
  /* As refinery-inspect --listen: decode, keep no pixels. */
  rf_session_set_pixel_cache_size (rf_tap_run_get_session (run), 0);
  if (no_decode)
    g_idle_add (cancel_cb, g_object_ref (rf_tap_run_get_session (run)));
}

int
main (int   argc,
      char *argv[])
{
  static const guint widths[] = { 1, 4, 16 };
  Upstream up = { 0 };
  g_autoptr(RfTap) tap = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *tap_uri = NULL;
  g_autofree char *direct_url = NULL;
  g_autofree char *tap_url = NULL;
  GThread *thread;
  gsize len;
  guint rounds;

  if (argc < 2 || !g_file_get_contents (argv[1], &contents, &len, &error))
    {
      g_printerr ("usage: rf-bench-tap STREAM.sse [ROUNDS]%s%s\n",
                  error ? ": " : "", error ? error->message : "");
      return 2;
    }
  rounds = argc > 2 ? (guint) atoi (argv[2]) : 5;

  up.stream = g_bytes_new_take (g_steal_pointer (&contents), len);
  up.context = g_main_context_new ();
  up.loop = g_main_loop_new (up.context, FALSE);
  g_mutex_init (&up.mutex);
  g_cond_init (&up.cond);
  thread = g_thread_new ("upstream", upstream_thread, &up);
  g_mutex_lock (&up.mutex);
  while (up.uri == NULL)
    g_cond_wait (&up.cond, &up.mutex);
  g_mutex_unlock (&up.mutex);

  if (!(tap = rf_tap_new (up.uri, &error)) || !rf_tap_listen (tap, "127.0.0.1", 0, &error))
    g_error ("%s", error->message);
  g_signal_connect (tap, "run-started", G_CALLBACK (run_started_cb), NULL);
  tap_uri = rf_tap_dup_uri (tap);
  direct_url = g_strconcat (up.uri, "/v1/responses", NULL);
  tap_url = g_strconcat (tap_uri, "/v1/responses", NULL);

  g_print ("stream: %zu bytes in %u-byte chunks %u ms apart; %u rounds, median over all streams\n",
           len, CHUNK, GAP_US / 1000, rounds);
  g_print ("%-8s %12s %12s %10s %12s %12s %10s %14s %14s\n", "streams", "TTFB direct", "TTFB tap", "diff",
           "TTLB direct", "TTLB tap", "diff", "TTFB no-decode", "TTLB no-decode");

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autoptr(GArray) df = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) dl = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) tf = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) tl = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) nf = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) nl = g_array_new (FALSE, FALSE, sizeof (double));
      double mdf, mtf, mdl, mtl;

      /* Alternate, so that neither side always runs on a warmer machine. */
      for (guint r = 0; r < rounds; r++)
        {
          run_round (direct_url, widths[w], len, df, dl);
          run_round (tap_url, widths[w], len, tf, tl);
          no_decode = TRUE;
          run_round (tap_url, widths[w], len, nf, nl);
          no_decode = FALSE;
          while (rf_tap_get_n_active (tap) > 0)
            g_main_context_iteration (NULL, TRUE);
        }

      mdf = median (df); mtf = median (tf); mdl = median (dl); mtl = median (tl);
      g_print ("%-8u %9.2f ms %9.2f ms %+7.2f ms %9.1f ms %9.1f ms %+7.2f ms %+11.2f ms %+11.2f ms\n",
               widths[w], mdf, mtf, mtf - mdf, mdl, mtl, mtl - mdl,
               median (nf) - mdf, median (nl) - mdl);
    }

  /* Let the last runs finish before stopping. */
  while (rf_tap_get_n_active (tap) > 0)
    g_main_context_iteration (NULL, TRUE);
  rf_tap_stop (tap);
  g_main_context_invoke (up.context, quit_cb, up.loop);
  g_thread_join (thread);

  return 0;
}
