/*
 * test-recorder.c
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

#include <glib/gstdio.h>

#include "rf-file-source.h"
#include "rf-frame.h"
#include "rf-event.h"
#include "rf-journal.h"
#include "rf-recorder.h"
#include "rf-session.h"
#include "rf-sse-parser.h"
#include "rf-test-util.h"

static char *
temp_path (const char *name)
{
  static guint counter;
  g_autofree char *base = g_strdup_printf ("%u-%s", ++counter, name);

  return g_build_filename (rf_test_get_temp_dir (), base, NULL);
}

static char *
read_file (const char *path,
           gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);

  return contents;
}

typedef struct
{
  const char *chunks[4];
  const char *expected;
} TimingCase;

/* Chunk i arrives at t = i + 1. */
static void
test_timing_rule (void)
{
  static const TimingCase cases[] = {
    { { "data: a\n\n" }, ": t=1\ndata: a\n\n" },
    { { "da", "ta: a\n", "\n" }, ": t=1\nda" "ta: a\n: t=2\n" ": t=3\n\n" },
    { { "a\r", "\nb" }, ": t=1\na\r" "\n: t=2\nb" },
    { { "a\r", "b" }, ": t=1\na\r" ": t=2\nb" },
    { { "ab", "c\rd" }, ": t=1\nab" "c\r: t=2\nd" },
    { { "ab", "cd\r", "\n" }, ": t=1\nab" "cd\r" "\n: t=3\n" },
    { { "ab", "cd\r", "x" }, ": t=1\nab" "cd\r" ": t=3\nx" },
    { { "ab", "c\r\nd" }, ": t=1\nab" "c\r\n: t=2\nd" },
    { { "ab", "cd", "e\n\n" }, ": t=1\nab" "cd" "e\n: t=3\n\n" },
    { { "ab\n", "\r\n" }, ": t=1\nab\n" ": t=2\n\r\n" },
    { { ": keepalive\n\n", "data: x\r\n\r\n" }, ": t=1\n: keepalive\n\n" ": t=2\ndata: x\r\n\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = temp_path ("timing.sse");
      g_autoptr(RfRecorder) recorder = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;

      recorder = rf_recorder_new (path, NULL, &error);
      g_assert_no_error (error);

      for (guint j = 0; j < G_N_ELEMENTS (cases[i].chunks) && cases[i].chunks[j]; j++)
        rf_recorder_write (recorder, (const guint8 *) cases[i].chunks[j],
                           strlen (cases[i].chunks[j]), j + 1);
      rf_recorder_finish (recorder, NULL);

      contents = read_file (path, NULL);
      g_assert_cmpstr (contents, ==, cases[i].expected);
      g_assert_false (rf_recorder_get_incomplete (recorder));
    }
}

/* A resumed connection starts after the last complete event: the half
 * event before the drop is cut, so replay never glues the two. */
static void
test_resume_cut (void)
{
  static const struct {
    const char *before[3];
    const char *after;
    const char *expected;
  } cases[] = {
    { { "data: a\n\nda" }, "data: b\n\n",
      ": t=1\ndata: a\n\n: resume\n: t=9\ndata: b\n\n" },
    { { "data: a\r\n\r\nda", "ta: x\r\n" }, "data: b\r\n\r\n",
      ": t=1\ndata: a\r\n\r\n: resume\n: t=9\ndata: b\r\n\r\n" },
    { { "data: a\r\r", "data: half\r" }, "data: b\r\r",
      ": t=1\ndata: a\r\r: resume\n: t=9\ndata: b\r\r" },
    { { "data: a\n\n" }, "data: b\n\n",
      ": t=1\ndata: a\n\n: resume\n: t=9\ndata: b\n\n" },
    { { "data: a\n", "\n: keep", "alive\n" }, "data: b\n\n",
      ": t=1\ndata: a\n: t=2\n\n: resume\n: t=9\ndata: b\n\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = temp_path ("resume.sse");
      g_autoptr(RfRecorder) recorder = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;

      recorder = rf_recorder_new (path, NULL, &error);
      g_assert_no_error (error);

      for (guint j = 0; j < G_N_ELEMENTS (cases[i].before) && cases[i].before[j]; j++)
        rf_recorder_write (recorder, (const guint8 *) cases[i].before[j],
                           strlen (cases[i].before[j]), j + 1);
      rf_recorder_begin_resume (recorder);
      rf_recorder_write (recorder, (const guint8 *) cases[i].after, strlen (cases[i].after), 9);
      rf_recorder_finish (recorder, NULL);

      contents = read_file (path, NULL);
      g_assert_cmpstr (contents, ==, cases[i].expected);
    }
}

typedef struct
{
  GString *log;
  gint64   now;
} ParseState;

static void
record_event_cb (RfSseParser *parser,
                 const char  *event_type,
                 const char  *data,
                 gsize        data_len,
                 const char  *id,
                 gpointer     user_data)
{
  ParseState *state = user_data;

  g_string_append_printf (state->log, "t=%" G_GINT64_FORMAT " %s [", state->now,
                          event_type ? event_type : "message");
  g_string_append_len (state->log, data, data_len);
  g_string_append (state->log, "]\n");
}

static void
record_comment_cb (RfSseParser *parser,
                   const char  *comment,
                   gsize        len,
                   gpointer     user_data)
{
  ParseState *state = user_data;
  g_autofree char *text = g_strndup (comment, len);
  const char *p = text;

  while (*p == ' ')
    p++;

  if (g_str_has_prefix (p, "t="))
    state->now = g_ascii_strtoll (p + 2, NULL, 10);
}

/* The journal, parsed with its `: t=` clock, gives the same events at the
 * same times as the original stream parsed with its arrival times,
 * whatever the chunking and line endings. */
static void
test_timing_roundtrip (void)
{
  static const char * const newlines[] = { "\n", "\r\n", "\r" };

  for (guint round = 0; round < 60; round++)
    {
      g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
      g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 8, 8, FALSE, round);
      g_autofree char *path = temp_path ("roundtrip.sse");
      g_autoptr(RfRecorder) recorder = NULL;
      g_autoptr(RfSseParser) live = NULL;
      g_autoptr(RfSseParser) replay = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *journal = NULL;
      ParseState live_state = { g_string_new (NULL), 0 };
      ParseState replay_state = { g_string_new (NULL), 0 };
      GRand *rand = g_rand_new_with_seed (round);
      const guint8 *data;
      gsize len, journal_len;
      gint64 t = 0;

      rf_test_stream_set_newline (s, newlines[round % G_N_ELEMENTS (newlines)]);
      rf_test_stream_created (s, "resp_1", 1);
      rf_test_stream_comment (s, "keepalive");
      rf_test_stream_partial (s, 0, "ig_1", 0, image);
      rf_test_stream_keepalive (s);
      rf_test_stream_item_done (s, 0, "ig_1", image, NULL);
      rf_test_stream_completed (s, NULL, "ig_1", image);
      data = (const guint8 *) rf_test_stream_peek (s, &len);

      recorder = rf_recorder_new (path, NULL, &error);
      g_assert_no_error (error);
      live = rf_sse_parser_new (record_event_cb, record_comment_cb, NULL, &live_state);

      for (gsize off = 0; off < len; )
        {
          gsize want = g_rand_int_range (rand, 1, 40);
          gsize n = MIN (len - off, want);

          t += g_rand_int_range (rand, 0, 30);
          live_state.now = t;
          rf_sse_parser_push (live, data + off, n);
          rf_recorder_write (recorder, data + off, n, t);
          off += n;
        }
      rf_sse_parser_finish (live);
      rf_recorder_finish (recorder, NULL);

      journal = read_file (path, &journal_len);
      replay = rf_sse_parser_new (record_event_cb, record_comment_cb, NULL, &replay_state);
      rf_sse_parser_push (replay, (const guint8 *) journal, journal_len);
      rf_sse_parser_finish (replay);

      g_assert_cmpuint (live_state.log->len, >, 0);
      g_assert_cmpstr (replay_state.log->str, ==, live_state.log->str);
      g_assert_cmpuint (rf_recorder_get_n_bytes (recorder), ==, len);

      g_string_free (live_state.log, TRUE);
      g_string_free (replay_state.log, TRUE);
      g_rand_free (rand);
    }
}

static void
test_files_private (void)
{
  g_autofree char *path = temp_path ("private.sse");
  g_autofree char *sidecar = NULL;
  g_autofree char *request_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  /* Whatever the umask, the journal stays private. */
  umask (0);
  recorder = rf_recorder_new (path, "{\"method\":\"POST\"}", &error);
  umask (022);
  g_assert_no_error (error);

  sidecar = rf_journal_dup_sidecar_path (path);
  request_path = rf_recorder_dup_request_path (recorder);
  g_assert_cmpstr (sidecar, ==, request_path);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (sidecar, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  contents = read_file (sidecar, NULL);
  g_assert_cmpstr (contents, ==, "{\"method\":\"POST\"}\n");
}

static void
test_no_overwrite (void)
{
  g_autofree char *path = temp_path ("exists.sse");
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (path, "precious", -1, NULL));

  recorder = rf_recorder_new (path, NULL, &error);
  g_assert_null (recorder);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "exists.sse"));

  contents = read_file (path, NULL);
  g_assert_cmpstr (contents, ==, "precious");
}

static void
test_default_location (void)
{
  g_autoptr(RfRecorder) first = NULL;
  g_autoptr(RfRecorder) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rf_journal_dup_runs_dir ();
  g_autofree char *path1 = NULL;
  g_autofree char *path2 = NULL;
  g_autofree char *base = NULL;
  GStatBuf st;

  g_assert_true (g_str_has_prefix (dir, g_get_user_data_dir ()));
  g_assert_true (g_str_has_suffix (dir, "refinery" G_DIR_SEPARATOR_S "runs"));

  first = rf_recorder_new (NULL, "{}", &error);
  g_assert_no_error (error);
  second = rf_recorder_new (NULL, "{}", &error);
  g_assert_no_error (error);

  path1 = rf_recorder_dup_path (first);
  path2 = rf_recorder_dup_path (second);
  g_assert_cmpstr (path1, !=, path2);

  base = g_path_get_basename (path1);
  g_assert_true (g_str_has_prefix (path1, dir));
  /* 20261125T133038Z-run.sse */
  g_assert_true (g_regex_match_simple ("^[0-9]{8}T[0-9]{6}Z-run(-[0-9]+)?\\.sse$", base, 0, 0));

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
}

static void
test_write_error (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = temp_path ("full.sse");
      g_autoptr(RfRecorder) recorder = NULL;
      g_autoptr(GError) error = NULL;
      struct rlimit limit = { 100, 100 };
      char line[64];
      GStatBuf st;

      /* A file size limit stands in for a full disk. */
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      recorder = rf_recorder_new (path, NULL, &error);
      g_assert_no_error (error);

      memset (line, 'x', sizeof line - 1);
      line[sizeof line - 1] = '\n';
      for (guint i = 0; i < 10; i++)
        rf_recorder_write (recorder, (const guint8 *) line, sizeof line, i);

      g_assert_true (rf_recorder_get_incomplete (recorder));
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, <=, 100);
      rf_recorder_finish (recorder, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
run_session (RfSession *session,
             RfSource  *source)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, wake_cb, NULL);

  rf_session_start (session, source);
  while (!rf_session_get_finished (session))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
}

/* A journal replays to the same frames, each at the time it arrived. */
static void
test_replay_identical (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *path = temp_path ("replay.sse");
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(RfSession) session = NULL;
  g_autoptr(RfSource) source = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) arrival = g_array_new (FALSE, FALSE, sizeof (gint64));
  GListModel *frames;
  gint64 t = 0;

  rf_test_stream_created (s, "resp_7", 2);
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (images, rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, TRUE, i));

  recorder = rf_recorder_new (path, NULL, &error);
  g_assert_no_error (error);

  /* Each partial and the final dripped in 3 pieces, the event completing
   * with the last one: its arrival time is that piece's time. */
  for (guint i = 0; i < 3; i++)
    {
      gsize before, after;
      const char *data;

      rf_test_stream_peek (s, &before);
      if (i < 2)
        rf_test_stream_partial (s, 0, "ig_1", i, g_ptr_array_index (images, i));
      else
        rf_test_stream_item_done (s, 0, "ig_1", g_ptr_array_index (images, i), NULL);
      data = rf_test_stream_peek (s, &after);

      if (i == 0)
        before = 0;
      for (guint k = 0; k < 3; k++)
        {
          gsize from = before + (after - before) * k / 3;
          gsize to = before + (after - before) * (k + 1) / 3;

          t += 37;
          rf_recorder_write (recorder, (const guint8 *) data + from, to - from, t);
        }
      g_array_append_val (arrival, t);
    }
  rf_recorder_finish (recorder, NULL);

  file = g_file_new_for_path (path);
  source = rf_file_source_new (file);
  session = rf_session_new ();
  run_session (session, source);

  frames = rf_session_get_frames (session);
  g_assert_cmpuint (g_list_model_get_n_items (frames), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);
      g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      GBytes *image = g_ptr_array_index (images, i);

      g_checksum_update (sum, g_bytes_get_data (image, NULL), g_bytes_get_size (image));
      g_assert_cmpstr (rf_frame_get_sha256 (frame), ==, g_checksum_get_string (sum));
      g_assert_cmpint (rf_frame_get_t_ms (frame), ==, g_array_index (arrival, gint64, i));
      /* Its first byte came with the first of its 3 pieces (the first
       * event's pieces also carry the events before it: any of them). */
      if (i > 0)
        g_assert_cmpint (rf_frame_get_first_byte_t_ms (frame), ==, g_array_index (arrival, gint64, i) - 2 * 37);
      else
        g_assert_cmpint (rf_frame_get_first_byte_t_ms (frame), <, g_array_index (arrival, gint64, i));
      /* Its pixels were ready after its end, within the run. */
      g_assert_cmpint (rf_frame_get_decoded_t_ms (frame), >=, rf_frame_get_t_ms (frame));
      g_assert_cmpint (rf_frame_get_decoded_t_ms (frame), <, rf_frame_get_t_ms (frame) + 60000);
      g_assert_cmpint (rf_frame_get_kind (frame), ==, i < 2 ? RF_FRAME_KIND_PARTIAL : RF_FRAME_KIND_FINAL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/recorder/timing-rule", test_timing_rule);
  g_test_add_func ("/recorder/timing-roundtrip", test_timing_roundtrip);
  g_test_add_func ("/recorder/resume-cut", test_resume_cut);
  g_test_add_func ("/recorder/files-private", test_files_private);
  g_test_add_func ("/recorder/no-overwrite", test_no_overwrite);
  g_test_add_func ("/recorder/default-location", test_default_location);
  g_test_add_func ("/recorder/write-error", test_write_error);
  g_test_add_func ("/recorder/replay-identical", test_replay_identical);

  return g_test_run ();
}
