/*
 * test-security.c
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
#include <sys/stat.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "rf-reliability-util.h"
#include "rf-test-util.h"

/* Keys never reach output, logs, journals or error messages; export file
 * names never come from server strings; journals are private and exports
 * not world-writable. refinery-inspect runs as a subprocess in each mode
 * and every artefact is searched. */

#define MARKER_PREFIX "sk-reltest-"

static char *marker;

static char **
env_with_keys (const char *home)
{
  char **env = g_get_environ ();

  env = g_environ_setenv (env, "REFINERY_API_KEY", marker, TRUE);
  env = g_environ_setenv (env, "OPENAI_API_KEY", marker, TRUE);
  env = g_environ_setenv (env, "OPENROUTER_API_KEY", marker, TRUE);
  env = g_environ_setenv (env, "GEMINI_API_KEY", marker, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", home, TRUE);
  env = g_environ_setenv (env, "XDG_CACHE_HOME", home, TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", home, TRUE);
  env = g_environ_setenv (env, "G_MESSAGES_DEBUG", "all", TRUE);

  return env;
}

static void
open_umask_cb (gpointer user_data)
{
  /* The most permissive umask: files must still not be world-writable. */
  umask (0);
}

static void
assert_no_marker (const char *what,
                  const char *text,
                  gsize       len)
{
  if (text != NULL && memmem (text, len, marker, strlen (marker)) != NULL)
    g_error ("the API key appears in %s", what);
  /* A part of the key is as bad as all of it. */
  if (text != NULL && memmem (text, len, marker + 4, 12) != NULL)
    g_error ("part of the API key appears in %s", what);
}

static int
run (const char  *home,
     const char **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = env_with_keys (home);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = NULL;
  int status;

  g_ptr_array_add (argv, (char *) rf_rel_inspect_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (home, (char **) argv->pdata, env, G_SPAWN_DEFAULT, open_umask_cb, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);

  joined = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("%s -> %d", joined, WIFEXITED (status) ? WEXITSTATUS (status) : -1);
  g_assert_true (WIFEXITED (status));
  assert_no_marker ("standard output", out, strlen (out));
  assert_no_marker ("standard error", err, strlen (err));

  return WEXITSTATUS (status);
}

/* Every file under @dir: no key inside, nothing world-writable and, with
 * @journals, every journal and request sidecar private. */
static void
scan_tree (const char *dir,
           gboolean    journals,
           guint      *n_files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      GStatBuf st;
      gsize len;

      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      assert_no_marker (path, name, strlen (name));

      if (S_ISDIR (st.st_mode))
        {
          g_assert_cmpint (st.st_mode & S_IWOTH, ==, 0);
          scan_tree (path, journals, n_files);
          continue;
        }

      (*n_files)++;
      if ((st.st_mode & S_IWOTH) != 0)
        g_error ("%s is world-writable (mode %o)", path, st.st_mode & 0777);
      if (journals && (g_str_has_suffix (name, ".sse") || g_str_has_suffix (name, ".request.json")))
        if ((st.st_mode & 0077) != 0)
          g_error ("the journal %s is not private (mode %o)", path, st.st_mode & 0777);

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      assert_no_marker (path, contents, len);
    }
}

static void
test_keys_never_leak (void)
{
  g_autofree char *home = g_build_filename (rf_test_get_temp_dir (), "home", NULL);
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG,
                                                   TRUE, NULL);
  g_autoptr(GBytes) broken = g_bytes_new_from_bytes (stream, 0, g_bytes_get_size (stream) / 2);
  g_autofree char *file = rf_test_write_temp_file (stream, ".sse");
  g_autofree char *broken_file = rf_test_write_temp_file (broken, ".sse");
  g_autofree char *export_arg = g_strdup_printf ("--export=%s/export", home);
  g_autofree char *record_arg = g_strdup_printf ("--record=%s/run.sse", home);
  g_autofree char *record2_arg = g_strdup_printf ("--record=%s/demo.sse", home);
  g_autofree char *record3_arg = g_strdup_printf ("--record=%s/url.sse", home);
  /* Keys in a URL, as Google's APIs and signed URLs take them. */
  g_autofree char *key_url = g_strdup_printf ("http://127.0.0.1:9/v1beta/models/m:streamGenerateContent"
                                              "?alt=sse&key=%s", marker);
  g_autofree char *password_url = g_strdup_printf ("http://user:%s@127.0.0.1:9/stream?sig=%s", marker, marker);
  guint n_files = 0;
  const char *modes[][6] = {
    { "demo", NULL },
    { "--json", "demo", NULL },
    { "--dump=sse", "demo", NULL },
    { "--dump=events", "demo", NULL },
    { "--bench", "demo", NULL },
    { record2_arg, "demo", NULL },
    { file, NULL },
    { "--json", file, NULL },
    { "--dump=events", broken_file, NULL },
    { export_arg, record_arg, file, NULL },
    { "--dump=sse", "/nonexistent/recording.sse", NULL },
    /* Live requests against a closed port: they fail early, with an error
     * message, a journal and a request sidecar to search. */
    { "--prompt=a lighthouse", "--base-url=http://127.0.0.1:9/v1", "--json", NULL },
    { "--prompt=a lighthouse", "--api=images", "--base-url=http://127.0.0.1:9/v1",
      "--record", "live.sse", NULL },
    { "--prompt=a lighthouse", "--provider=gemini", "--base-url=http://127.0.0.1:9",
      "--record", "gemini.sse", NULL },
    { key_url, NULL },
    { "--json", record3_arg, key_url, NULL },
    { "--json", password_url, NULL },
  };

  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      int status = run (home, modes[i]);

      g_assert_cmpint (status, <=, 2);
    }

  scan_tree (home, TRUE, &n_files);
  /* The test's own input files are there too: keys only. */
  scan_tree (rf_test_get_temp_dir (), FALSE, &n_files);
  g_test_message ("%u files searched", n_files);
  g_assert_cmpuint (n_files, >=, 8);
}

static void
test_export_names (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) a = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 8, 8, TRUE, 1);
  g_autoptr(GBytes) b = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 8, 8, TRUE, 2);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *root = g_build_filename (rf_test_get_temp_dir (), "names", NULL);
  g_autofree char *dir = g_build_filename (root, "out", NULL);
  g_autofree char *export_arg = g_strconcat ("--export=", dir, NULL);
  g_autofree char *file = NULL;
  g_autoptr(GDir) d = NULL;
  g_autoptr(GDir) r = NULL;
  const char *name;
  guint n = 0;
  static const char *hostile_ids[] = {
    "../../escaped", "/tmp/absolute", "..", "a/b/../../../c", "ig_1\nimage-1-final.png",
  };

  rf_test_stream_created (s, "../../resp", 1);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_ids); i++)
    {
      rf_test_stream_item_added (s, i, hostile_ids[i]);
      rf_test_stream_partial (s, i, hostile_ids[i], 0, a);
      rf_test_stream_item_done (s, i, hostile_ids[i], b, "../../prompt");
    }
  rf_test_stream_add_event (s, "{\"type\":\"response.completed\",\"sequence_number\":99,"
                            "\"response\":{\"id\":\"../x\",\"status\":\"completed\",\"output\":[]}}");
  bytes = rf_test_stream_to_bytes (s);
  file = rf_test_write_temp_file (bytes, ".sse");

  g_assert_cmpint (g_mkdir_with_parents (root, 0700), ==, 0);
  {
    const char *args[] = { export_arg, file, NULL };
    g_assert_cmpint (run (root, args), <=, 1);
  }

  /* Only the export folder was created next to nothing else… */
  r = g_dir_open (root, 0, NULL);
  while ((name = g_dir_read_name (r)) != NULL)
    g_assert_cmpstr (name, ==, "out");

  /* … and inside it, only the names the contract gives. */
  d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      n++;
      g_assert_false (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
      /* original/: the payloads as they arrived, named the same way. */
      if (g_str_equal (name, "original"))
        {
          g_autoptr(GDir) o = g_dir_open (path, 0, NULL);
          const char *inner;

          g_assert_nonnull (o);
          while ((inner = g_dir_read_name (o)) != NULL)
            {
              g_autofree char *inner_path = g_build_filename (path, inner, NULL);

              g_assert_true (g_file_test (inner_path, G_FILE_TEST_IS_REGULAR));
              g_assert_false (g_file_test (inner_path, G_FILE_TEST_IS_SYMLINK));
              if (!g_regex_match_simple ("^image-[0-9]+-(final|partial-[0-9]+)(-[0-9]+)?\\.(png|jpg|webp|svg|bin)$",
                                         inner, 0, 0))
                g_error ("unexpected original file name “%s”", inner);
            }
          continue;
        }
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      if (!g_regex_match_simple ("^(manifest\\.json|image-[0-9]+-(final|partial-[0-9]+)(-[0-9]+)?\\.png)$",
                                 name, 0, 0))
        g_error ("unexpected export file name “%s”", name);
    }
  g_assert_cmpuint (n, ==, 2 + 2 * G_N_ELEMENTS (hostile_ids));
  g_assert_false (g_file_test ("/tmp/absolute", G_FILE_TEST_EXISTS));

  {
    guint n_files = 0;
    scan_tree (root, TRUE, &n_files);
  }
}

/* A link planted in the export folder under a frame's or the manifest's
 * name is replaced by the file, never written through: its target keeps
 * its bytes and its mode, a dangling link's target is never created. An
 * export folder that is itself a link is refused. */
static void
test_export_no_follow (void)
{
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 1, RF_IMAGE_FORMAT_PNG,
                                                   FALSE, NULL);
  g_autofree char *file = rf_test_write_temp_file (stream, ".sse");
  g_autofree char *root = g_build_filename (rf_test_get_temp_dir (), "nofollow", NULL);
  g_autofree char *dir = g_build_filename (root, "out", NULL);
  g_autofree char *export_arg = g_strconcat ("--export=", dir, NULL);
  g_autofree char *target = g_build_filename (root, "victim", NULL);
  g_autofree char *dangling = g_build_filename (root, "never-created", NULL);
  static const char *linked[] = { "image-1-final.png", "manifest.json" };
  const char *args[] = { export_arg, file, NULL };
  GStatBuf st;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (target, "keep me", -1, NULL));
  g_assert_cmpint (g_chmod (target, 0600), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (linked); i++)
    {
      g_autofree char *link = g_build_filename (dir, linked[i], NULL);
      g_assert_cmpint (symlink (target, link), ==, 0);
    }
  {
    g_autofree char *link = g_build_filename (dir, "image-1-partial-0.png", NULL);
    g_assert_cmpint (symlink (dangling, link), ==, 0);
  }

  g_assert_cmpint (run (root, args), ==, 0);

  /* The target is untouched… */
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "keep me");
    g_assert_cmpint (g_stat (target, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    g_assert_false (g_file_test (dangling, G_FILE_TEST_EXISTS));
  }

  /* … and the links became the export's own files, which open as PNGs. */
  {
    static const char *names[] = { "image-1-final.png", "image-1-partial-0.png" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);
        g_autoptr(GdkPixbuf) pixbuf = NULL;

        g_assert_cmpint (g_lstat (path, &st), ==, 0);
        g_assert_true (S_ISREG (st.st_mode));
        pixbuf = gdk_pixbuf_new_from_file (path, NULL);
        g_assert_nonnull (pixbuf);
      }
  }
  {
    g_autofree char *manifest = g_build_filename (dir, "manifest.json", NULL);
    g_autofree char *contents = NULL;

    g_assert_cmpint (g_lstat (manifest, &st), ==, 0);
    g_assert_true (S_ISREG (st.st_mode));
    g_assert_true (g_file_get_contents (manifest, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "\"frames\""));
  }

  /* No temporary file is left behind. */
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      g_assert_false (g_str_has_prefix (name, "."));
  }

  /* The export folder itself a link (to a folder elsewhere): refused,
   * nothing written where it points, and the message says why. */
  {
    g_autofree char *elsewhere = g_build_filename (root, "elsewhere", NULL);
    g_autofree char *link = g_build_filename (root, "linked-out", NULL);
    g_autofree char *link_arg = g_strconcat ("--export=", link, NULL);
    const char *link_args[] = { link_arg, file, NULL };
    g_autoptr(GDir) d = NULL;

    g_assert_cmpint (g_mkdir (elsewhere, 0700), ==, 0);
    g_assert_cmpint (symlink (elsewhere, link), ==, 0);
    g_assert_cmpint (run (root, link_args), ==, 2);
    d = g_dir_open (elsewhere, 0, NULL);
    g_assert_null (g_dir_read_name (d));
  }

  /* Nor with a trailing slash, which makes the kernel resolve a link. */
  {
    g_autofree char *elsewhere = g_build_filename (root, "elsewhere2", NULL);
    g_autofree char *planted = g_build_filename (root, "planted", NULL);
    g_autofree char *slash_arg = g_strconcat ("--export=", planted, "/", NULL);
    const char *slash_args[] = { slash_arg, file, NULL };
    g_autoptr(GDir) d = NULL;

    g_assert_cmpint (g_mkdir (elsewhere, 0700), ==, 0);
    g_assert_cmpint (symlink (elsewhere, planted), ==, 0);
    g_assert_cmpint (run (root, slash_args), ==, 2);
    d = g_dir_open (elsewhere, 0, NULL);
    g_assert_null (g_dir_read_name (d));
  }

  /* The runs folder a live run creates for its journal: a link planted
   * there stops the run (exit 2) before anything is written through it. */
  {
    g_autofree char *home = g_build_filename (root, "home", NULL);
    g_autofree char *parent = g_build_filename (home, "refinery", NULL);
    g_autofree char *runs = g_build_filename (parent, "runs", NULL);
    g_autofree char *elsewhere = g_build_filename (root, "elsewhere3", NULL);
    const char *live_args[] = { "--prompt=a lighthouse", "--base-url=http://127.0.0.1:9/v1", NULL };
    g_autoptr(GDir) d = NULL;

    g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
    g_assert_cmpint (g_mkdir (elsewhere, 0700), ==, 0);
    g_assert_cmpint (symlink (elsewhere, runs), ==, 0);
    g_assert_cmpint (run (home, live_args), ==, 2);
    d = g_dir_open (elsewhere, 0, NULL);
    g_assert_null (g_dir_read_name (d));
  }
}

/* Bytes a terminal acts on: C0 controls but the line end, DEL, and the
 * UTF-8 forms of C1 controls and of the direction overrides. */
static void
assert_terminal_safe (const char *what,
                      const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
        g_error ("%s holds the control byte 0x%02x: %s", what, *p, text);
      if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
        g_error ("%s holds a C1 control: %s", what, text);
      if (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0xae)
        g_error ("%s holds a right-to-left override: %s", what, text);
    }
}

static guint
count_lines_starting (const char *text,
                      const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      n++;

  return n;
}

/* A stream whose ids, codes and messages hold an OSC title sequence, a
 * screen clear, a C1 CSI, a direction override and CR/LF followed by
 * forged summary lines: the summary and stderr show them escaped, the
 * forged lines never start a line, and JSON output stays valid. */
static void
test_terminal_escapes (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) image = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 8, 8, FALSE, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *file = NULL;
  g_autofree char *root = g_build_filename (rf_test_get_temp_dir (), "escapes", NULL);
  const char *hostile = "\033]0;pwned\007\033[2J\r\nState: finished — 9 lanes\r\nDiagnostics:\302\233" "31m\342\200\256x\177";
  g_autofree char *id = g_strconcat ("ig_", hostile, NULL);
  g_autofree char *message = g_strconcat ("boom", hostile, NULL);
  g_autofree char *code = g_strconcat ("code", hostile, NULL);

  rf_test_stream_created (s, id, 1);
  rf_test_stream_item_added (s, 0, id);
  rf_test_stream_partial (s, 0, id, 0, image);
  rf_test_stream_error_flat (s, code, message);
  bytes = rf_test_stream_to_bytes (s);
  file = rf_test_write_temp_file (bytes, ".sse");
  g_assert_cmpint (g_mkdir_with_parents (root, 0700), ==, 0);

  {
    const char *argv[] = { rf_rel_inspect_path (), file, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GError) error = NULL;
    int status;

    g_assert_true (g_spawn_sync (root, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 1);
    g_test_message ("summary:\n%s\nstderr:\n%s", out, err);

    assert_terminal_safe ("the summary", out);
    assert_terminal_safe ("standard error", err);
    /* The message and the id are there, escaped, on their own lines. */
    g_assert_nonnull (strstr (out, "boom\\x1b]0;pwned\\x07\\x1b[2J\\r\\nState: finished"));
    g_assert_nonnull (strstr (out, "\\u009b31m\\u202ex\\x7f"));
    g_assert_nonnull (strstr (err, "boom\\x1b]0;pwned"));
    g_assert_cmpuint (count_lines_starting (out, "State:"), ==, 1);
    g_assert_cmpuint (count_lines_starting (out, "Diagnostics:"), ==, 1);
    g_assert_cmpuint (count_lines_starting (out, "Response: ig_\\x1b]0;pwned"), ==, 1);
    g_assert_cmpuint (count_lines_starting (out, "Lane 0: item ig_\\x1b]0;pwned"), ==, 1);
  }

  /* JSON keeps the value (escaped the JSON way) and stays one document. */
  {
    const char *modes[] = { "--json", "--dump=events", "--dump=sse" };

    for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
      {
        const char *argv[] = { rf_rel_inspect_path (), modes[i], file, NULL };
        g_autofree char *out = NULL;
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) lines = NULL;
        int status;

        g_assert_true (g_spawn_sync (root, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                     &out, NULL, &status, &error));
        g_assert_no_error (error);
        assert_terminal_safe (modes[i], out);
        g_assert_true (g_utf8_validate (out, -1, NULL));

        lines = i == 0 ? g_strdupv ((char *[]) { out, NULL }) : g_strsplit (out, "\n", -1);
        for (guint j = 0; lines[j] != NULL; j++)
          {
            g_autoptr(JsonParser) parser = json_parser_new ();

            if (lines[j][0] == '\0')
              continue;
            g_assert_true (json_parser_load_from_data (parser, lines[j], -1, &error));
            g_assert_no_error (error);
          }
      }
  }
}

static void
test_journal_private (void)
{
  g_autofree char *home = g_build_filename (rf_test_get_temp_dir (), "private", NULL);
  g_autofree char *journal = g_build_filename (home, "j.sse", NULL);
  g_autofree char *record_arg = g_strconcat ("--record=", journal, NULL);
  const char *args[] = { record_arg, "demo", NULL };
  GStatBuf st;

  g_assert_cmpint (g_mkdir_with_parents (home, 0755), ==, 0);
  g_assert_cmpint (run (home, args), ==, 0);
  g_assert_cmpint (g_stat (journal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* An existing file (or a planted symlink) is never overwritten. */
  {
    g_autofree char *link = g_build_filename (home, "link.sse", NULL);
    g_autofree char *target = g_build_filename (home, "target", NULL);
    g_autofree char *link_arg = g_strconcat ("--record=", link, NULL);
    const char *link_args[] = { link_arg, "demo", NULL };
    g_autofree char *contents = NULL;

    g_assert_true (g_file_set_contents (target, "keep me", -1, NULL));
    g_assert_cmpint (symlink (target, link), ==, 0);
    g_assert_cmpint (run (home, link_args), ==, 2);
    g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "keep me");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  marker = g_strdup_printf (MARKER_PREFIX "%08x%08x", g_random_int (), g_random_int ());

  g_test_add_func ("/security/keys-never-leak", test_keys_never_leak);
  g_test_add_func ("/security/export-names", test_export_names);
  g_test_add_func ("/security/export-no-follow", test_export_no_follow);
  g_test_add_func ("/security/journal-private", test_journal_private);
  g_test_add_func ("/security/terminal-escapes", test_terminal_escapes);

  return g_test_run ();
}
