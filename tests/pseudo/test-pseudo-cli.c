/*
 * test-pseudo-cli.c
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

#include <gio/gio.h>

#include "rf-pseudo-check.h"
#include "rf-test-util.h"

/* refinery-inspect in the pseudo-locale: every output mode a person reads
 * (the summary, its diagnostics, --help, --version, every error) is made
 * of translated messages and data only. JSON and the dumps are for
 * programs and stay as they are. */

static char *fixture_ok;
static char *fixture_error;
static char *fixture_decode;
static char *fixture_truncated;

static void
assert_translated (const char         *what,
                   const char         *text,
                   const char * const *data)
{
  g_autofree char *word = rf_pseudo_find_untranslated (text, data);

  if (word != NULL)
    g_error ("%s: “%s” was not translated in:\n%s", what, word, text);
}

/* Runs refinery-inspect with @args and checks both its outputs; returns
 * its exit status. */
static int
run_checked (const char * const *args,
             const char * const *data)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                               G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *what = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("REFINERY_INSPECT"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_unsetenv (launcher, "REFINERY_API_KEY");
  g_subprocess_launcher_unsetenv (launcher, "OPENAI_API_KEY");
  g_subprocess_launcher_unsetenv (launcher, "OPENROUTER_API_KEY");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", rf_test_get_temp_dir (), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "", NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  what = g_strjoinv (" ", (char **) args);
  g_test_message ("refinery-inspect %s\n%s%s", what, out, err);
  assert_translated (what, out, data);
  assert_translated (what, err, data);

  return g_subprocess_get_exit_status (process);
}

static char *
write_fixture (const char *name,
               GBytes     *bytes)
{
  char *path = g_build_filename (rf_test_get_temp_dir (), name, NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
  return path;
}

static void
write_fixtures (void)
{
  g_autoptr(GBytes) png0 = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, TRUE, 0);
  g_autoptr(GBytes) png1 = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, TRUE, 1);
  g_autoptr(RfTestStream) ok = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(RfTestStream) failed = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(RfTestStream) decode = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(RfTestStream) truncated = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) b1 = NULL;
  g_autoptr(GBytes) b2 = NULL;
  g_autoptr(GBytes) b3 = NULL;
  g_autoptr(GBytes) b4 = NULL;

  rf_test_stream_created (ok, "resp_1", 2);
  rf_test_stream_item_added (ok, 0, "ig_1");
  rf_test_stream_partial (ok, 0, "ig_1", 0, png0);
  rf_test_stream_item_done (ok, 0, "ig_1", png1, NULL);
  rf_test_stream_completed (ok, NULL, "ig_1", png1);
  rf_test_stream_done (ok);
  fixture_ok = write_fixture ("ok.sse", b1 = rf_test_stream_to_bytes (ok));

  rf_test_stream_created (failed, "resp_2", 2);
  rf_test_stream_partial (failed, 0, "ig_2", 0, png0);
  rf_test_stream_error_nested (failed, "server_error", NULL, "Sorry, something went wrong.");
  fixture_error = write_fixture ("error.sse", b2 = rf_test_stream_to_bytes (failed));

  /* A frame that does not decode, a second image, events missing. */
  rf_test_stream_created (decode, "resp_3", 1);
  rf_test_stream_add_eventf (decode, "{\"type\":\"response.image_generation_call.partial_image\","
                             "\"sequence_number\":5,\"output_index\":0,\"item_id\":\"ig_3\","
                             "\"partial_image_index\":0,\"partial_image_b64\":\"bm90IGFuIGltYWdl\"}");
  rf_test_stream_set_seq (decode, 9);
  rf_test_stream_partial (decode, 1, "ig_4", 0, png0);
  rf_test_stream_item_done (decode, 1, "ig_4", png1, NULL);
  rf_test_stream_done (decode);
  fixture_decode = write_fixture ("decode.sse", b3 = rf_test_stream_to_bytes (decode));

  rf_test_stream_created (truncated, "resp_5", 2);
  rf_test_stream_partial (truncated, 0, "ig_5", 0, png0);
  fixture_truncated = write_fixture ("truncated.sse", b4 = rf_test_stream_to_bytes (truncated));
}

/* The check itself: what it lets through and what it finds. */
static void
test_checker (void)
{
  const char *data[] = { "demo", NULL };
  g_autofree char *english = rf_pseudo_find_untranslated ("[Šţàţé: %s····] Finished", NULL);
  g_autofree char *cut = rf_pseudo_find_untranslated ("[Ŝéàŕçĥ éṽé", NULL);
  g_autofree char *unclosed = rf_pseudo_find_untranslated ("[Ŝéàŕçĥ]", NULL);
  g_autofree char *nested = rf_pseudo_find_untranslated ("[Ĺàñé [ƒíñàĺ··] ig_1, 4 MB·····]", NULL);
  g_autofree char *with_data = rf_pseudo_find_untranslated ("  [ƒíñàĺ··] demo 768×768 ig_demo1 993dfcad100a\n", data);

  g_assert_cmpstr (english, ==, "Finished");
  g_assert_cmpstr (cut, ==, "[Ŝéàŕçĥ");
  g_assert_cmpstr (unclosed, ==, "[Ŝéàŕçĥ]");
  g_assert_null (nested);
  g_assert_null (with_data);
}

static void
test_summaries (void)
{
  const char *sources[] = { "demo", fixture_ok, fixture_error, fixture_decode, fixture_truncated };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      const char *args[] = { sources[i], NULL };
      const char *data[] = { sources[i], NULL };

      run_checked (args, data);
    }
}

static char *
run_output (const char *language,
            const char *localedir)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", language, TRUE);
  g_subprocess_launcher_setenv (launcher, "REFINERY_LOCALEDIR", localedir, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("REFINERY_INSPECT"), "demo", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);

  return out;
}

/* The frame lines' columns line up on screen: the labels ("partielle 0",
 * "[þàŕţíàĺ 0····]") are padded by what they show, not by their bytes. */
static void
assert_columns (const char *out,
                const char *column_start)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  glong column = -1;
  guint n = 0;

  g_test_message ("%s", out);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *at;

      /* After the label's first character. */
      if (!g_str_has_prefix (line, "  ") || line[2] == ' ' ||
          (at = strstr (g_utf8_next_char (line + 2), column_start)) == NULL)
        continue;
      if (column < 0)
        column = g_utf8_strlen (line, at - line);
      g_assert_cmpint (g_utf8_strlen (line, at - line), ==, column);
      n++;
    }
  /* The demo's 3 partial images and its final image. */
  g_assert_cmpuint (n, ==, 4);
}

static char *
run_compare_output (const char *language,
                    const char *localedir)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", language, TRUE);
  g_subprocess_launcher_setenv (launcher, "REFINERY_LOCALEDIR", localedir, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("REFINERY_INSPECT"),
                                         "--compare", fixture_ok, fixture_ok, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);

  return out;
}

/* The character shown at terminal column @column of @line (0 past its
 * end); every character here takes one column. */
static gunichar
char_at_column (const char *line,
                glong       column)
{
  if (column >= g_utf8_strlen (line, -1))
    return 0;
  return g_utf8_get_char (g_utf8_offset_to_pointer (line, column));
}

/* Past the next frame reference of a pair line ("partial 0 (0.28 s)"),
 * what follows it without a space, and the padding after it. */
static const char *
skip_frame_ref (const char *at)
{
  at = strchr (at, ')');
  g_assert_nonnull (at);
  while (*at != '\0' && *at != ' ')
    at++;
  while (*at == ' ')
    at++;
  return at;
}

/* --compare's table and its frame pairs line up on screen whatever the
 * length and the accents of the row names ("Première image partielle",
 * "Endgültig"): each row's A and B values start in the columns of the
 * header's "A" and "B", and the pairs' "B" and measures start in one
 * column. */
static void
assert_compare_columns (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  glong a = -1, b = -1, pair_b = -1, pair_diff = -1;
  guint rows = 0, pairs = 0;

  g_test_message ("%s", out);

  /* Line 1 is the header: "<spaces>A<spaces>B". */
  g_assert_nonnull (lines[0]);
  g_assert_nonnull (lines[1]);
  a = g_utf8_pointer_to_offset (lines[1], strchr (lines[1], 'A'));
  b = g_utf8_pointer_to_offset (lines[1], strrchr (lines[1], 'B'));
  g_assert_cmpint (a, >, 0);
  g_assert_cmpint (b, >, a);

  for (guint i = 2; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "  ") && strchr (line, ')') != NULL)
        {
          /* "  A partielle 0 (0.28 s)   B partielle 0 (0.30 s)   diff.   0.0 …":
           * each frame ends at its ")" (then, in the pseudo-locale, the
           * message's own "··]"), and padding follows. */
          const char *at = line;
          glong column_b, column_diff;

          at = skip_frame_ref (at);
          column_b = g_utf8_pointer_to_offset (line, at);
          at = skip_frame_ref (at);
          column_diff = g_utf8_pointer_to_offset (line, at);
          if (pairs == 0)
            pair_b = column_b, pair_diff = column_diff;
          g_assert_cmpint (column_b, ==, pair_b);
          g_assert_cmpint (column_diff, ==, pair_diff);
          pairs++;
        }
      else if (line[0] != ' ' && rows < 8)
        {
          /* A row: its name, then its A and B values at the header's columns. */
          g_assert_cmpint (char_at_column (line, a - 1), ==, ' ');
          g_assert_cmpint (char_at_column (line, a), !=, ' ');
          g_assert_cmpint (char_at_column (line, b - 1), ==, ' ');
          g_assert_cmpint (char_at_column (line, b), !=, ' ');
          rows++;
        }
    }
  /* Source, State, First partial, Final, Frames, Received, Cost, Partial
   * images add; the lane's partial image and its final image. */
  g_assert_cmpuint (rows, ==, 8);
  g_assert_cmpuint (pairs, ==, 2);
}

static void
test_columns (void)
{
  const char *built = g_getenv ("REFINERY_BUILT_LOCALEDIR");
  g_autofree char *pseudo = run_output ("en_XA", g_getenv ("REFINERY_LOCALEDIR"));
  g_autofree char *pseudo_compare = run_compare_output ("en_XA", g_getenv ("REFINERY_LOCALEDIR"));

  assert_columns (pseudo, "[");
  assert_compare_columns (pseudo_compare);
  if (built != NULL)
    {
      g_autofree char *fr = run_output ("fr", built);
      g_autofree char *de = run_output ("de", built);
      g_autofree char *fr_compare = run_compare_output ("fr", built);
      g_autofree char *de_compare = run_compare_output ("de", built);

      /* Translated, not the English that would align anyway. */
      g_assert_nonnull (strstr (fr, "  partielle 0 "));
      assert_columns (fr, " n° ");
      g_assert_nonnull (strstr (de, "  Teilbild 0 "));
      assert_columns (de, " Nr. ");
      g_assert_nonnull (strstr (fr_compare, "Première image partielle "));
      assert_compare_columns (fr_compare);
      g_assert_nonnull (strstr (de_compare, "Teilbilder kosten zusätzlich "));
      assert_compare_columns (de_compare);
    }
}

static void
test_help_and_version (void)
{
  const char *help[] = { "--help", NULL };
  const char *version[] = { "--version", NULL };

  g_assert_cmpint (run_checked (help, NULL), ==, 0);
  g_assert_cmpint (run_checked (version, NULL), ==, 0);
}

static void
test_errors (void)
{
  g_autofree char *missing = g_build_filename (rf_test_get_temp_dir (), "missing.sse", NULL);
  g_autofree char *export_file = g_build_filename (rf_test_get_temp_dir (), "export-here", NULL);
  const char *folder = rf_test_get_temp_dir ();
  const char *cases[][5] = {
    { missing, NULL },
    { folder, NULL },
    { "--no-such-option", fixture_ok, NULL },
    { fixture_ok, fixture_ok, NULL },
    { "--dump=xml", fixture_ok, NULL },
    { "--json", "--dump=sse", fixture_ok, NULL },
    { "--prompt", "a lighthouse", fixture_ok, NULL },
    { "--prompt", "a lighthouse", NULL },
    { "--workers=-1", fixture_ok, NULL },
    { "--speed=x", fixture_ok, NULL },
    { "--export", export_file, fixture_ok, NULL },
    { NULL },
  };
  const char *data[] = { missing, folder, export_file, fixture_ok, "xml", "x", "no-such-option", NULL };

  g_assert_true (g_file_set_contents (export_file, "a file", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (run_checked (cases[i], data), !=, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("REFINERY_INSPECT") == NULL || !rf_pseudo_setup_env ())
    {
      g_test_skip ("the pseudo-locale or refinery-inspect was not built");
      return g_test_run ();
    }
  write_fixtures ();

  g_test_add_func ("/pseudo-cli/checker", test_checker);
  g_test_add_func ("/pseudo-cli/summaries", test_summaries);
  g_test_add_func ("/pseudo-cli/columns", test_columns);
  g_test_add_func ("/pseudo-cli/help-and-version", test_help_and_version);
  g_test_add_func ("/pseudo-cli/errors", test_errors);

  return g_test_run ();
}
