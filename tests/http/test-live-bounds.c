/*
 * test-live-bounds.c
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
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "rf-mock-server.h"
#include "rf-recorder.h"
#include "rf-session.h"
#include "rf-sse-parser.h"
#include "rf-test-util.h"

/* A live run is bounded by the limits whatever the server sends: an
 * endless event ends the run, and a journal never passes its cap. Each
 * talks to a loopback server this test starts. */

/* A server that sends a valid start, then one event that never ends (no
 * newline at all), and then holds the connection open: the run ends on
 * its own with "event-too-large" (exit 1), stops reading and stops
 * journalling. It once went on reading, and filled 6.3 GB of journal in
 * 25 s. */
static void
test_endless_event (void)
{
  const char *inspect = g_getenv ("REFINERY_INSPECT");
  g_autoptr(RfMockServer) server = NULL;
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 1);
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) start = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "endless.sse", NULL);
  g_autofree char *record = g_strconcat ("--record=", path, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree guint8 *piece = g_malloc (1024 * 1024);
  RfMockResponse *resp = rf_mock_response_new (200);
  const gsize total = RF_SSE_DEFAULT_MAX_EVENT_SIZE + 8 * 1024 * 1024;
  gint64 t0;
  double seconds;
  GStatBuf st;
  goffset size_at_end;

  if (inspect == NULL || !g_file_test (inspect, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("REFINERY_INSPECT is not set");
      rf_mock_response_free (resp);
      return;
    }

  rf_test_stream_created (s, "resp_endless", 2);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, image);
  start = rf_test_stream_to_bytes (s);

  server = rf_mock_server_new ();
  url = rf_mock_server_dup_url (server, "/stream");
  rf_mock_response_add_header (resp, "Content-Type", "text/event-stream");
  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (start, NULL), g_bytes_get_size (start));
  rf_mock_response_add_chunk (resp, 0, "data: ", 6);
  memset (piece, 'A', 1024 * 1024);
  for (gsize sent = 0; sent < total; sent += 1024 * 1024)
    rf_mock_response_add_chunk (resp, 0, piece, 1024 * 1024);
  rf_mock_response_add_hang (resp);
  rf_mock_server_enqueue (server, resp);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  t0 = g_get_monotonic_time ();
  proc = g_subprocess_launcher_spawn (launcher, &error, inspect, record, url, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  g_test_message ("stdout:\n%s\nstderr:\n%s\n%.2f s", out, err, seconds);
  g_printerr ("FIGURES endless_event_time_s=%.2f\n", seconds);

  /* It ended by itself (the server never closes), with a stream error. */
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_nonnull (strstr (out, "event-too-large"));
  g_assert_nonnull (strstr (out, "the run ends here"));
  g_assert_cmpfloat (seconds, <, 60);

  /* The journal holds the start and at most the limit and one read of
   * the endless event, and grows no more. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_test_message ("journal: %" G_GOFFSET_FORMAT " bytes", (goffset) st.st_size);
  g_assert_cmpint (st.st_size, <, (goffset) (RF_SSE_DEFAULT_MAX_EVENT_SIZE + 2 * 1024 * 1024));
  g_assert_cmpint (st.st_size, >, (goffset) g_bytes_get_size (start));
  size_at_end = st.st_size;
  g_usleep (300 * 1000);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, size_at_end);
  g_unlink (path);
}

static guint64
peak_rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

static void
exited_cb (GObject      *proc,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* A server that sends keepalive events as fast as it can (400 000 here,
 * 11 MB) between two frames: the run keeps its first events, counts all
 * of them, and its memory stays bounded by the cap, not by the flood. It
 * once grew by about 50 MB a second. */
static void
test_keepalive_flood (void)
{
  const char *inspect = g_getenv ("REFINERY_INSPECT");
  g_autoptr(RfMockServer) server = NULL;
  g_autoptr(GBytes) first = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 1);
  g_autoptr(GBytes) final = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, TRUE, 9);
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(RfTestStream) t = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) head = NULL;
  g_autoptr(GBytes) tail = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) piece = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  RfMockResponse *resp = rf_mock_response_new (200);
  const guint per_piece = 10000;
  const guint n_pieces = 40;
  guint64 peak = 0;
  gboolean exited = FALSE;
  JsonObject *root;
  GPid pid;

  if (inspect == NULL || !g_file_test (inspect, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("REFINERY_INSPECT is not set");
      rf_mock_response_free (resp);
      return;
    }

  rf_test_stream_created (s, "resp_flood", 2);
  rf_test_stream_item_added (s, 0, "ig_1");
  rf_test_stream_partial (s, 0, "ig_1", 0, first);
  head = rf_test_stream_to_bytes (s);
  rf_test_stream_set_seq (t, 4);
  rf_test_stream_item_done (t, 0, "ig_1", final, NULL);
  rf_test_stream_completed (t, NULL, "ig_1", final);
  tail = rf_test_stream_to_bytes (t);

  for (guint i = 0; i < per_piece; i++)
    g_string_append (piece, "data: {\"type\":\"keepalive\"}\n\n");

  server = rf_mock_server_new ();
  url = rf_mock_server_dup_url (server, "/stream");
  rf_mock_response_add_header (resp, "Content-Type", "text/event-stream");
  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (head, NULL), g_bytes_get_size (head));
  for (guint i = 0; i < n_pieces; i++)
    rf_mock_response_add_chunk (resp, 0, piece->str, piece->len);
  rf_mock_response_add_chunk (resp, 0, g_bytes_get_data (tail, NULL), g_bytes_get_size (tail));
  rf_mock_server_enqueue (server, resp);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  proc = g_subprocess_launcher_spawn (launcher, &error, inspect, "--json", url, NULL);
  g_assert_no_error (error);
  pid = atoi (g_subprocess_get_identifier (proc));

  /* Its peak while it runs (VmHWM only grows), read until it is about to
   * end; the output is small, so the pipes never fill. */
  g_subprocess_wait_async (proc, NULL, exited_cb, &exited);
  while (!exited)
    {
      peak = MAX (peak, peak_rss_kib (pid));
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20 * 1000);
    }
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("stderr:\n%s\npeak RSS %" G_GUINT64_FORMAT " KiB", err, peak);
  g_printerr ("FIGURES keepalive_flood events=%u peak_rss_mib=%" G_GUINT64_FORMAT "\n",
              per_piece * n_pieces, peak / 1024);

  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  /* Every event counted (the start, the flood, the final and the end),
   * the first ones kept, the cap said once, both frames there. */
  g_assert_cmpint (json_object_get_int_member (root, "events"), ==, per_piece * n_pieces + 5);
  g_assert_cmpint (json_object_get_int_member (root, "events_kept"), ==, RF_SESSION_MAX_EVENTS);
  g_assert_nonnull (strstr (out, "events-not-kept"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "frames")), ==, 2);
  /* Uncapped, the flood's 400 000 events took about 260 MB. */
  g_assert_cmpuint (peak, >, 0);
  /* Under ASan its quarantine holds what is freed (624 MiB measured). */
  g_assert_cmpuint (peak / 1024, <, g_getenv ("RF_TEST_SANITIZED") != NULL ? 1024 : 160);
}

/* A journal stops at its cap: the chunk that would pass it and all after
 * are not written, and the recorder says why. */
static void
test_journal_cap (void)
{
  g_autofree char *path = g_build_filename (rf_test_get_temp_dir (), "capped.sse", NULL);
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  char chunk[4096];
  GStatBuf st;

  g_unlink (path);
  recorder = rf_recorder_new (path, NULL, &error);
  g_assert_no_error (error);
  rf_recorder_set_max_size (recorder, 1024 * 1024);

  memset (chunk, ':', sizeof chunk);
  chunk[sizeof chunk - 1] = '\n';
  for (guint i = 0; i < 1024; i++)
    rf_recorder_write (recorder, (const guint8 *) chunk, sizeof chunk, i);
  rf_recorder_finish (recorder, NULL);

  g_assert_true (rf_recorder_get_incomplete (recorder));
  /* It says why: the cap, not a failed write. */
  reason = rf_recorder_dup_stop_reason (recorder);
  g_assert_nonnull (strstr (reason, "size limit of 1 MiB"));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, <=, 1024 * 1024);
  g_assert_cmpint (st.st_size, >, 1024 * 1024 - 2 * (goffset) sizeof chunk);
  g_assert_cmpuint (rf_recorder_get_n_bytes (recorder), <=, 1024 * 1024);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/live/endless-event", test_endless_event);
  g_test_add_func ("/live/journal-cap", test_journal_cap);
  g_test_add_func ("/live/keepalive-flood", test_keepalive_flood);

  return g_test_run ();
}
