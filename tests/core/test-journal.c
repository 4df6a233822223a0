/*
 * test-journal.c
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

#include <glib/gstdio.h>

#include "rf-demo-source.h"
#include "rf-file-source.h"
#include "rf-frame.h"
#include "rf-image.h"
#include "rf-journal.h"
#include "rf-redactor.h"
#include "rf-session.h"
#include "rf-test-util.h"

/* Journals as the history list reads them, and the one sidecar rule. */

#define DEMO_FRAMES 4

static void
test_sidecar_name (void)
{
  static const struct { const char *journal; const char *sidecar; } cases[] = {
    { "/tmp/run.sse", "/tmp/run.request.json" },
    { "/tmp/run", "/tmp/run.request.json" },
    { "run.jsonl", "run.request.json" },
    { "run.ndjson", "run.request.json" },
    { "run.txt", "run.txt.request.json" },
    { "a.sse.b", "a.sse.b.request.json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sidecar = rf_journal_dup_sidecar_path (cases[i].journal);

      g_assert_cmpstr (sidecar, ==, cases[i].sidecar);
    }
}

static char *
write_journal (const char *dir,
               const char *name,
               GBytes     *stream,
               const char *sidecar_json,
               gint64      mtime)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (stream, NULL),
                                      g_bytes_get_size (stream), &error));
  g_assert_no_error (error);
  if (sidecar_json != NULL)
    {
      g_autofree char *sidecar = rf_journal_dup_sidecar_path (path);

      g_assert_true (g_file_set_contents (sidecar, sidecar_json, -1, &error));
      g_assert_no_error (error);
    }
  if (mtime != 0)
    {
      g_assert_true (g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, mtime,
                                                  G_FILE_QUERY_INFO_NONE, NULL, &error));
      g_assert_no_error (error);
    }

  return g_steal_pointer (&path);
}

static void
finished_cb (RfSession *session,
             GMainLoop *loop)
{
  g_main_loop_quit (loop);
}

/* The last frame's pixels as a replay of the same file decodes them. */
static GdkPixbuf *
replay_last_frame (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(RfSource) source = rf_file_source_new (file);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(RfSession) session = rf_session_new ();
  GListModel *frames;
  g_autoptr(RfFrame) last = NULL;

  g_signal_connect (session, "finished", G_CALLBACK (finished_cb), loop);
  rf_session_start (session, source);
  g_main_loop_run (loop);

  frames = rf_session_get_frames (session);
  g_assert_cmpuint (g_list_model_get_n_items (frames), ==, DEMO_FRAMES);
  last = g_list_model_get_item (frames, DEMO_FRAMES - 1);

  return rf_frame_decode_pixbuf (last, NULL);
}

static void
test_summary (void)
{
  g_autoptr(GBytes) stream = rf_demo_source_build_stream (96, 64, NULL);
  g_autofree char *dir = g_build_filename (rf_test_get_temp_dir (), "summary", NULL);
  g_autofree char *path = write_journal (dir, "20260101T000000Z-resp.sse", stream,
                                         "{\"body\":{\"prompt\":\"a red fox\"}}", 0);
  g_autoptr(RfJournalSummary) summary = NULL;
  g_autoptr(GdkPixbuf) last = NULL;
  g_autoptr(GdkPixbuf) expected = NULL;
  g_autoptr(GError) error = NULL;

  summary = rf_journal_read_summary (path, 48, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  g_assert_cmpstr (summary->path, ==, path);
  g_assert_cmpstr (summary->prompt, ==, "a red fox");
  g_assert_cmpuint (summary->n_frames, ==, DEMO_FRAMES);
  g_assert_nonnull (summary->modified);

  /* The thumbnail is the last frame, scaled to fit 48 px. */
  g_assert_nonnull (summary->thumbnail);
  g_assert_cmpint (gdk_pixbuf_get_width (summary->thumbnail), ==, 48);
  g_assert_cmpint (gdk_pixbuf_get_height (summary->thumbnail), ==, 32);
  last = replay_last_frame (path);
  g_assert_nonnull (last);
  expected = rf_image_scale_thumbnail (last, 48);
  g_assert_true (rf_test_pixbufs_equal (summary->thumbnail, expected));
}

static void
test_summary_bad_input (void)
{
  static const char text[] = "data: {\"type\":\nnot an event\n\n";
  g_autoptr(GBytes) garbage = g_bytes_new_static (text, sizeof text - 1);
  g_autofree char *dir = g_build_filename (rf_test_get_temp_dir (), "bad", NULL);
  g_autofree char *path = write_journal (dir, "garbage.sse", garbage, "[not json", 0);
  g_autofree char *missing = g_build_filename (dir, "missing.sse", NULL);
  g_autoptr(RfJournalSummary) summary = NULL;
  g_autoptr(RfJournalSummary) none = NULL;
  g_autoptr(GError) error = NULL;

  summary = rf_journal_read_summary (path, 48, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  g_assert_cmpuint (summary->n_frames, ==, 0);
  g_assert_null (summary->thumbnail);
  g_assert_null (summary->prompt);

  none = rf_journal_read_summary (missing, 48, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_list (void)
{
  g_autoptr(GBytes) stream = rf_demo_source_build_stream (64, 64, NULL);
  g_autofree char *dir = g_build_filename (rf_test_get_temp_dir (), "list", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "nowhere", NULL);
  g_autofree char *older = write_journal (dir, "older.sse", stream, NULL, 1700000000);
  g_autofree char *newer = write_journal (dir, "newer.sse", stream,
                                          "{\"body\":{\"input\":\"a blue bird\"}}", 1800000000);
  g_autofree char *other = write_journal (dir, "notes.txt", stream, NULL, 1900000000);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  RfJournalSummary *first;
  RfJournalSummary *second;

  /* Only journals, newest first; the sidecars are not journals. */
  all = rf_journal_list (dir, 50, 48, NULL);
  g_assert_cmpuint (all->len, ==, 2);
  first = g_ptr_array_index (all, 0);
  second = g_ptr_array_index (all, 1);
  g_assert_cmpstr (first->path, ==, newer);
  g_assert_cmpstr (first->prompt, ==, "a blue bird");
  g_assert_cmpint (g_date_time_to_unix (first->modified), ==, 1800000000);
  g_assert_cmpstr (second->path, ==, older);
  g_assert_null (second->prompt);
  g_assert_cmpuint (second->n_frames, ==, DEMO_FRAMES);

  one = rf_journal_list (dir, 1, 48, NULL);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpstr (((RfJournalSummary *) g_ptr_array_index (one, 0))->path, ==, newer);

  empty = rf_journal_list (nowhere, 50, 48, NULL);
  g_assert_cmpuint (empty->len, ==, 0);
}

/* Keys come out of a stream however it is cut: every chunk size from one
 * byte to the whole, two keys, a key right after a false start of itself,
 * and a false start at the very end (flushed as it is). */
static void
test_redactor (void)
{
  static const char input[] =
    "data: {\"id\":\"resp_sk-test-0123456789\",\"m\":\"sk-test-01 sk-test-sk-test-0123456789!\"}\n"
    "data: {\"key\":\"AIzaKEY-42\"}\nAIzaKEYsk-test-012";
  static const char expected[] =
    "data: {\"id\":\"resp_[redacted]\",\"m\":\"sk-test-01 sk-test-[redacted]!\"}\n"
    "data: {\"key\":\"[redacted]\"}\nAIzaKEYsk-test-012";
  g_autoptr(GPtrArray) secrets = g_ptr_array_new ();
  gsize len = strlen (input);

  g_ptr_array_add (secrets, (gpointer) "sk-test-0123456789");
  g_ptr_array_add (secrets, (gpointer) "AIzaKEY-42");
  g_ptr_array_add (secrets, (gpointer) "");

  for (gsize piece = 1; piece <= len; piece++)
    {
      g_autoptr(RfRedactor) redactor = rf_redactor_new (secrets);
      g_autoptr(GByteArray) out = g_byte_array_new ();

      for (gsize at = 0; at < len; at += piece)
        rf_redactor_feed (redactor, (const guint8 *) input + at, MIN (piece, len - at), out);
      rf_redactor_flush (redactor, out);
      g_assert_cmpmem (out->data, out->len, expected, strlen (expected));
    }

  /* No key: bytes pass as they are, nothing held back. */
  {
    g_autoptr(RfRedactor) none = rf_redactor_new (NULL);
    g_autoptr(GByteArray) out = g_byte_array_new ();

    rf_redactor_feed (none, (const guint8 *) input, len, out);
    g_assert_cmpmem (out->data, out->len, input, len);
  }

  /* One text at once, as error messages and URIs are redacted. */
  {
    g_autofree char *clean = rf_redactor_redact_text (secrets, input);
    g_autofree char *same = rf_redactor_redact_text (NULL, "no key here");

    g_assert_cmpstr (clean, ==, expected);
    g_assert_cmpstr (same, ==, "no key here");
    g_assert_null (rf_redactor_redact_text (secrets, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/journal/sidecar-name", test_sidecar_name);
  g_test_add_func ("/journal/summary", test_summary);
  g_test_add_func ("/journal/summary-bad-input", test_summary_bad_input);
  g_test_add_func ("/journal/list", test_list);
  g_test_add_func ("/journal/redactor", test_redactor);

  return g_test_run ();
}
