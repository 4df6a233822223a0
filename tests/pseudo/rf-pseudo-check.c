/*
 * rf-pseudo-check.c
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

#define PAD "·"

/* Strings of GLib and GTK, which have their own catalogs: the
 * pseudo-locale does not reach them. Regular expressions. */
static const char * const toolkit_strings[] = {
  "Usage:", "Help Options:", "Application Options:", "Show help options", "\\[OPTION…\\]",
  "Unknown option \\S+", "Cannot parse (?:integer|double|integer64) value “[^”]*” for \\S+",
  NULL
};

/* Words that are no language: product and format names, GLib's units. */
static const char * const fixed_words[] = {
  "refinery-inspect", "GLib", "GdkPixbuf", "libsoup", "json-glib",
  "png", "jpeg", "webp", "PNG", "JPEG", "WebP",
  "B", "kB", "MB", "GB", "KiB", "MiB", "GiB", "bytes", "byte",
  NULL
};

/* Replaces each innermost "[…·]" by a space until none is left; nested
 * messages (one inserted into another's %s) go from the inside out. */
static void
remove_pseudo_messages (GString *s)
{
  gboolean changed = TRUE;

  while (changed)
    {
      const char *start = NULL;

      changed = FALSE;
      for (const char *p = s->str; *p != '\0'; p++)
        {
          if (*p == '[')
            start = p;
          else if (*p == ']' && start != NULL &&
                   p - start >= (gssize) strlen (PAD) &&
                   memcmp (p - strlen (PAD), PAD, strlen (PAD)) == 0)
            {
              gsize pos = start - s->str;

              g_string_erase (s, pos, p + 1 - start);
              g_string_insert_c (s, pos, ' ');
              changed = TRUE;
              break;
            }
          else if (*p == ']')
            start = NULL;
        }
    }
}

static gboolean
has_letter (const char *word)
{
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalpha (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static gboolean
is_data_word (const char         *word,
              const char * const *data)
{
  static GRegex *data_re;

  if (data_re == NULL)
    data_re = g_regex_new (
      /* hashes and hex; ids and event types of the stream (ig_1,
       * resp_abc, response.completed); option names and values; file
       * names (run-1.sse) and URLs; a diagnostic's code; a single letter (a
       * metavariable) */
      "^(?:[0-9a-fA-F]+|[A-Za-z0-9-]*[._][A-Za-z0-9._…-]*|--?[a-z-]+(?:=\\S*)?"
      "|\\S*[/|=]\\S*|\\[[a-z0-9-]+\\]|.)$",
      G_REGEX_OPTIMIZE, 0, NULL);

  if (g_strv_contains (fixed_words, word) || (data != NULL && g_strv_contains (data, word)))
    return TRUE;

  return g_regex_match (data_re, word, 0, NULL);
}

char *
rf_pseudo_find_untranslated (const char         *text,
                             const char * const *data)
{
  g_autoptr(GString) s = g_string_new (text);
  g_auto(GStrv) words = NULL;

  for (guint i = 0; toolkit_strings[i] != NULL; i++)
    {
      g_autoptr(GRegex) re = g_regex_new (toolkit_strings[i], 0, 0, NULL);
      g_autofree char *rest = g_regex_replace (re, s->str, -1, 0, " ", 0, NULL);

      g_string_assign (s, rest);
    }
  remove_pseudo_messages (s);

  words = g_regex_split_simple ("[\\s\u00a0\u202f,;:()\"“”«»‹›'’!?<>]+", s->str, 0, 0);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (*word == '\0' || !has_letter (word))
        continue;
      if (!is_data_word (word, data))
        return g_strdup (word);
    }

  return NULL;
}

gboolean
rf_pseudo_setup_env (void)
{
  const char *mo = g_getenv ("REFINERY_PSEUDO_MO");
  g_autofree char *localedir = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *target = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (mo == NULL || !g_file_get_contents (mo, &contents, &len, NULL))
    return FALSE;

  localedir = g_build_filename (rf_test_get_temp_dir (), "locale", NULL);
  dir = g_build_filename (localedir, "en_XA", "LC_MESSAGES", NULL);
  target = g_build_filename (dir, "refinery.mo", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (target, contents, len, NULL));

  g_setenv ("REFINERY_LOCALEDIR", localedir, TRUE);
  g_setenv ("LANGUAGE", "en_XA", TRUE);
  return TRUE;
}
