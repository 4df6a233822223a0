/*
 * test-faults.c
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

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "rf-frame.h"
#include "rf-reliability-util.h"
#include "rf-session.h"
#include "rf-test-util.h"

/* Faults that need no HTTP server: the disk fills up while recording, and
 * a journal cut at every byte boundary. */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
small_disk_cb (gpointer user_data)
{
  struct rlimit limit;
  rlim_t bytes = GPOINTER_TO_UINT (user_data);

  /* Writes past the limit then fail with EFBIG instead of killing the
   * process with SIGXFSZ: a full disk, as the recorder sees it. */
  signal (SIGXFSZ, SIG_IGN);
  limit.rlim_cur = limit.rlim_max = bytes;
  setrlimit (RLIMIT_FSIZE, &limit);
}

static void
run_inspect (const char * const *args,
             guint               fsize_limit,
             Run                *run)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) rf_rel_inspect_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT,
                               fsize_limit > 0 ? small_disk_cb : NULL,
                               GUINT_TO_POINTER (fsize_limit),
                               &run->out, &run->err, &run->status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (run->status));
}

static guint
count_lines (const char *text,
             const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (g_strchug (lines[i]), prefix))
      n++;

  return n;
}

static void
test_disk_full (void)
{
  g_autofree char *journal = g_build_filename (rf_test_get_temp_dir (), "full.sse", NULL);
  g_autofree char *record_arg = g_strconcat ("--record=", journal, NULL);
  const char *normal_args[] = { "demo", NULL };
  const char *record_args[] = { record_arg, "demo", NULL };
  const char *replay_args[] = { journal, NULL };
  Run normal = { 0 }, full = { 0 }, replay = { 0 };
  GStatBuf st;

  run_inspect (normal_args, 0, &normal);
  /* 256 KiB: the demo's first frame does not fit. */
  run_inspect (record_args, 256 * 1024, &full);

  g_test_message ("normal: %d, full disk: %d\n%s", WEXITSTATUS (normal.status),
                  WEXITSTATUS (full.status), full.err);

  /* The run goes on: the same frames, all shown… */
  g_assert_cmpint (WEXITSTATUS (normal.status), ==, 0);
  g_assert_cmpuint (count_lines (full.out, "partial"), ==, count_lines (normal.out, "partial"));
  g_assert_cmpuint (count_lines (full.out, "final"), ==, count_lines (normal.out, "final"));
  g_assert_cmpuint (count_lines (full.out, "final"), >=, 1);
  /* … but the recording asked for is incomplete: an output error, exit 2
   * (as the man page says), and stderr names the journal. */
  g_assert_cmpint (WEXITSTATUS (full.status), ==, 2);
  g_assert_nonnull (strstr (full.err, "incomplete"));
  g_assert_nonnull (strstr (full.err, journal));
  /* … and why: the system's own words for the write that failed. */
  g_assert_nonnull (strstr (full.err, g_strerror (EFBIG)));

  /* What was written stays within the limit, private, and still opens. */
  g_assert_cmpint (g_stat (journal, &st), ==, 0);
  g_assert_cmpint (st.st_size, <=, 256 * 1024);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  run_inspect (replay_args, 0, &replay);
  g_assert_cmpint (WEXITSTATUS (replay.status), ==, 1);
  g_assert_true (strstr (replay.out, "ended") != NULL || strstr (replay.err, "ended") != NULL);

  run_clear (&normal);
  run_clear (&full);
  run_clear (&replay);
}

typedef struct
{
  char        *sha;
  guint        event;
  RfFrameKind  kind;
} RefFrame;

static void
test_truncated_journal (void)
{
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG,
                                                   TRUE, NULL);
  g_autofree char *input = rf_test_write_temp_file (stream, ".sse");
  g_autofree char *journal_path = g_build_filename (rf_test_get_temp_dir (), "journal.sse", NULL);
  g_autofree char *record_arg = g_strconcat ("--record=", journal_path, NULL);
  const char *args[] = { record_arg, input, NULL };
  g_autoptr(GArray) refs = g_array_new (FALSE, TRUE, sizeof (RefFrame));
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GBytes) journal = NULL;
  g_autoptr(RfSession) whole = NULL;
  g_autofree char *contents = NULL;
  GListModel *frames;
  Run record = { 0 };
  gsize len;
  guint step = rf_rel_scale (1, 7);
  guint n_runs = 0;
  gint64 start;

  /* A real journal, with its timing comments, made by the recorder. */
  run_inspect (args, 0, &record);
  g_assert_cmpint (WEXITSTATUS (record.status), ==, 0);
  run_clear (&record);
  g_assert_true (g_file_get_contents (journal_path, &contents, &len, NULL));
  journal = g_bytes_new_take (g_steal_pointer (&contents), len);
  ends = rf_rel_event_end_offsets (journal);

  whole = rf_rel_run_bytes (journal, 1, 30);
  g_assert_cmpint (rf_session_get_state (whole), ==, RF_SESSION_STATE_FINISHED);
  frames = rf_session_get_frames (whole);
  g_assert_cmpuint (g_list_model_get_n_items (frames), ==, 3);
  for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
      RefFrame ref = { rf_rel_frame_sha256 (frame), rf_frame_get_event_position (frame),
                       rf_frame_get_kind (frame) };

      g_array_append_val (refs, ref);
    }

  start = g_get_monotonic_time ();

  for (gsize cut = 0; cut <= len; cut += (cut + step <= len || cut == len) ? step : len - cut)
    {
      g_autoptr(GBytes) prefix = g_bytes_new_from_bytes (journal, 0, cut);
      g_autoptr(RfSession) session = rf_rel_run_bytes (prefix, 1, 20);
      RfSessionState state = rf_session_get_state (session);
      GListModel *got = rf_session_get_frames (session);

      n_runs++;
      g_assert_true (state == RF_SESSION_STATE_FINISHED || state == RF_SESSION_STATE_FAILED);
      if (cut < len)
        rf_rel_assert_texts_valid (session);

      for (guint i = 0; i < refs->len; i++)
        {
          RefFrame *ref = &g_array_index (refs, RefFrame, i);
          g_autoptr(RfFrame) frame = NULL;
          g_autofree char *sha = NULL;

          if (g_array_index (ends, guint64, ref->event) > cut)
            break;
          if (i >= g_list_model_get_n_items (got))
            g_error ("journal cut at %" G_GSIZE_FORMAT ": frame %u is missing", cut, i);
          frame = g_list_model_get_item (got, i);
          sha = rf_rel_frame_sha256 (frame);
          g_assert_cmpstr (sha, ==, ref->sha);
          g_assert_cmpint (rf_frame_get_kind (frame), ==, ref->kind);
          g_assert_cmpint (rf_frame_get_decode_status (frame), ==, RF_DECODE_OK);
        }

      if (cut == len)
        break;
    }

  g_test_message ("%u cuts of a %" G_GSIZE_FORMAT "-byte journal in %.1f s", n_runs, len,
                  (g_get_monotonic_time () - start) / 1e6);

  for (guint i = 0; i < refs->len; i++)
    g_free (g_array_index (refs, RefFrame, i).sha);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/faults/disk-full-while-recording", test_disk_full);
  g_test_add_func ("/faults/journal-truncated-at-every-byte", test_truncated_journal);

  return g_test_run ();
}
