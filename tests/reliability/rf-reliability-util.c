/*
 * rf-reliability-util.c
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

#include <stdlib.h>
#include <string.h>

#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-file-source.h"
#include "rf-frame.h"
#include "rf-reliability-util.h"
#include "rf-session.h"
#include "rf-sse-parser.h"

#ifndef __has_feature
# define __has_feature(x) 0
#endif

gboolean
rf_rel_sanitized (void)
{
  /* Either sanitizer (the compiler says so), or a run that says so:
   * .ci/run sets RF_TEST_SANITIZED=1 for both sanitizer builds, and
   * RF_TEST_TSAN=1 too for the ThreadSanitizer one. */
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer) || \
    defined(__SANITIZE_THREAD__) || __has_feature(thread_sanitizer)
  return TRUE;
#else
  return g_strcmp0 (g_getenv ("RF_TEST_SANITIZED"), "1") == 0;
#endif
}

guint
rf_rel_scale (guint plain,
              guint sanitized)
{
  return rf_rel_sanitized () ? sanitized : plain;
}

static guint64
status_kib (const char *field)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return 0;
  line = strstr (contents, field);
  if (line == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen (field), NULL, 10);
}

guint64
rf_rel_peak_rss_kib (void)
{
  return status_kib ("VmHWM:");
}

guint64
rf_rel_rss_kib (void)
{
  return status_kib ("VmRSS:");
}

static void
finished_cb (RfSession *session,
             gboolean  *done)
{
  *done = TRUE;
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

RfSession *
rf_rel_run_stream (GInputStream *stream,
                   guint         n_workers,
                   double        timeout_s)
{
  g_autoptr(RfSession) session = rf_session_new ();
  g_autoptr(RfSource) source = rf_file_source_new_for_stream (stream, "test stream");
  gboolean done = FALSE;
  gboolean timed_out = FALSE;
  guint timeout_id;

  rf_session_set_n_workers (session, n_workers);
  g_signal_connect (session, "finished", G_CALLBACK (finished_cb), &done);
  timeout_id = g_timeout_add ((guint) (timeout_s * 1000), timeout_cb, &timed_out);

  rf_session_start (session, source);
  while (!done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);
  if (timed_out)
    g_error ("The session did not finish within %.0f s", timeout_s);

  g_assert_true (rf_session_get_finished (session));
  g_signal_handlers_disconnect_by_func (session, finished_cb, &done);

  return g_steal_pointer (&session);
}

RfSession *
rf_rel_run_bytes (GBytes *bytes,
                  guint   n_workers,
                  double  timeout_s)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

  return rf_rel_run_stream (stream, n_workers, timeout_s);
}

char *
rf_rel_frame_sha256 (RfFrame *frame)
{
  GBytes *encoded = rf_frame_get_encoded (frame);

  return encoded != NULL ? g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, encoded) : NULL;
}

RfDiagnostic *
rf_rel_find_diagnostic (RfSession  *session,
                        const char *code)
{
  GListModel *list = rf_session_get_diagnostics (session);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(RfDiagnostic) diagnostic = g_list_model_get_item (list, i);

      if (g_strcmp0 (rf_diagnostic_get_code (diagnostic), code) == 0)
        return diagnostic;   /* the list keeps a reference */
    }

  return NULL;
}

char *
rf_rel_dump_diagnostics (RfSession *session)
{
  GListModel *list = rf_session_get_diagnostics (session);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(RfDiagnostic) diagnostic = g_list_model_get_item (list, i);

      g_string_append_printf (s, "  %s: %s\n", rf_diagnostic_get_code (diagnostic),
                              rf_diagnostic_get_message (diagnostic));
    }

  return g_string_free (s, FALSE);
}

void
rf_rel_assert_texts_valid (RfSession *session)
{
  GListModel *diagnostics = rf_session_get_diagnostics (session);
  GListModel *events = rf_session_get_events (session);

  for (guint i = 0; i < g_list_model_get_n_items (diagnostics); i++)
    {
      g_autoptr(RfDiagnostic) diagnostic = g_list_model_get_item (diagnostics, i);
      const char *code = rf_diagnostic_get_code (diagnostic);
      const char *message = rf_diagnostic_get_message (diagnostic);

      g_assert_nonnull (code);
      g_assert_cmpstr (code, !=, "");
      g_assert_nonnull (message);
      g_assert_true (g_utf8_validate (message, -1, NULL));
    }

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(RfEvent) event = g_list_model_get_item (events, i);
      g_autofree char *summary = rf_event_dup_summary (event);

      g_assert_true (g_utf8_validate (summary, -1, NULL));
      g_assert_true (g_utf8_validate (rf_event_get_elided_json (event), -1, NULL));
    }

  if (rf_session_get_failure_message (session) != NULL)
    g_assert_true (g_utf8_validate (rf_session_get_failure_message (session), -1, NULL));
}

typedef struct
{
  GArray  *offsets;
  guint64  consumed;
} OffsetCapture;

static void
offset_event_cb (RfSseParser *parser,
                 const char  *event_type,
                 const char  *data,
                 gsize        data_len,
                 const char  *id,
                 gpointer     user_data)
{
  OffsetCapture *capture = user_data;

  g_array_append_val (capture->offsets, capture->consumed);
}

GArray *
rf_rel_event_end_offsets (GBytes *stream)
{
  OffsetCapture capture = { g_array_new (FALSE, FALSE, sizeof (guint64)), 0 };
  g_autoptr(RfSseParser) parser = rf_sse_parser_new (offset_event_cb, NULL, NULL, &capture);
  gsize len;
  const guint8 *data = g_bytes_get_data (stream, &len);

  /* One byte at a time: an event is complete at the byte that
   * dispatched it. */
  for (gsize i = 0; i < len; i++)
    {
      capture.consumed = i + 1;
      rf_sse_parser_push (parser, data + i, 1);
    }
  rf_sse_parser_finish (parser);

  return capture.offsets;
}

const char *
rf_rel_inspect_path (void)
{
  static char *path;

  if (path == NULL)
    {
      const char *env = g_getenv ("REFINERY_INSPECT");

      if (env != NULL)
        {
          path = g_strdup (env);
        }
      else
        {
          /* BUILD/tests/reliability/test-x → BUILD/src/cli/refinery-inspect */
          g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
          g_autofree char *dir = g_path_get_dirname (exe);

          path = g_build_filename (dir, "..", "..", "src", "cli", "refinery-inspect", NULL);
        }
    }

  return path;
}
