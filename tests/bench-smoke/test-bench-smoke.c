/*
 * test-bench-smoke.c
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

#include "rf-test-util.h"

/* The benchmark's output is read by build-aux/bench/run-bench.py: these
 * checks keep the "key: value" lines it parses in place. No timing is
 * checked; figures stay out of tests. */

static gint64 images_size;

static const char * const inspect_keys[] = {
  "workers", "bytes", "frames", "seconds", "MB/s", "frames/s",
  "decode ms per frame (png, median)", "first pixel ms after its event", "peak RSS MiB",
  "image bytes kept", "cpu s", "page faults",
};

static const char * const floor_keys[] = {
  "mode", "bytes", "frames", "failed", "seconds", "MB/s", "frames/s",
  "image library ms per frame (median)", "peak RSS MiB", "cpu s", "page faults",
};

static char *stream_path;
static gsize stream_size;

static GHashTable *
run_and_parse (const char * const *argv)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *sep = g_strrstr (lines[i], ": ");

      if (sep == NULL)
        continue;
      g_hash_table_insert (fields, g_strndup (lines[i], sep - lines[i]), g_strdup (sep + 2));
    }

  return fields;
}

static void
assert_keys (GHashTable         *fields,
             const char * const *keys,
             guint               n_keys)
{
  for (guint i = 0; i < n_keys; i++)
    if (!g_hash_table_contains (fields, keys[i]))
      g_error ("missing line “%s: …”", keys[i]);
}

static gint64
field_int (GHashTable *fields,
           const char *key)
{
  return g_ascii_strtoll (g_hash_table_lookup (fields, key), NULL, 10);
}

static gboolean
have (const char *env)
{
  const char *path = g_getenv (env);

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip_printf ("%s does not name a built program", env);
      return FALSE;
    }
  return TRUE;
}

static void
test_inspect (gconstpointer data)
{
  const char *workers = data;
  const char *argv[] = { g_getenv ("REFINERY_INSPECT"), "--bench", "--workers", workers, stream_path, NULL };
  g_autoptr(GHashTable) fields = NULL;

  if (!have ("REFINERY_INSPECT"))
    return;

  fields = run_and_parse (argv);
  assert_keys (fields, inspect_keys, G_N_ELEMENTS (inspect_keys));
  g_assert_cmpint (field_int (fields, "frames"), ==, 3);
  g_assert_cmpint (field_int (fields, "bytes"), ==, stream_size);
  if (g_strcmp0 (workers, "0") != 0)
    g_assert_cmpstr (g_hash_table_lookup (fields, "workers"), ==, workers);
  else
    g_assert_cmpint (field_int (fields, "workers"), >=, 1);
  g_assert_cmpint (field_int (fields, "first pixel ms after its event"), >=, 0);
  g_assert_cmpint (field_int (fields, "image bytes kept"), ==, images_size);
  g_assert_cmpint (field_int (fields, "page faults"), >, 0);
}

static void
test_floor (gconstpointer data)
{
  gboolean naive = GPOINTER_TO_INT (data);
  const char *argv[] = { g_getenv ("RF_BENCH_FLOOR"), naive ? "--naive" : stream_path,
                         naive ? stream_path : NULL, NULL };
  g_autoptr(GHashTable) fields = NULL;

  if (!have ("RF_BENCH_FLOOR"))
    return;

  fields = run_and_parse (argv);
  assert_keys (fields, floor_keys, G_N_ELEMENTS (floor_keys));
  g_assert_cmpstr (g_hash_table_lookup (fields, "mode"), ==, naive ? "naive" : "floor");
  g_assert_cmpint (field_int (fields, "frames"), ==, 3);
  g_assert_cmpint (field_int (fields, "failed"), ==, 0);
  g_assert_cmpint (field_int (fields, "bytes"), ==, stream_size);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GBytes) stream = NULL;
  g_autoptr(GPtrArray) images = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Two partials and a final of 16×16 PNG, Responses framing. */
  stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG, FALSE, &images);
  stream_size = g_bytes_get_size (stream);
  for (guint i = 0; i < images->len; i++)
    images_size += g_bytes_get_size (images->pdata[i]);
  stream_path = rf_test_write_temp_file (stream, ".sse");

  g_test_add_data_func ("/bench-smoke/inspect/default-workers", "0", test_inspect);
  g_test_add_data_func ("/bench-smoke/inspect/one-worker", "1", test_inspect);
  g_test_add_data_func ("/bench-smoke/floor/fast", GINT_TO_POINTER (FALSE), test_floor);
  g_test_add_data_func ("/bench-smoke/floor/naive", GINT_TO_POINTER (TRUE), test_floor);

  status = g_test_run ();
  g_free (stream_path);
  return status;
}
