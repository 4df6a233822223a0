/*
 * rf-text.c
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

#define G_LOG_DOMAIN "rf-text"

#include "config.h"

#include <string.h>

#include "rf-text.h"

/* Length of a code point at @p (of @avail bytes) that a terminal could
 * take for a control or a direction change even inside JSON text: C1
 * controls (U+0080–U+009F: 0x9B is a CSI), the line and paragraph
 * separators and the bidirectional overrides and isolates. 0 otherwise. */
gsize
rf_text_control_len (const guchar *p,
                       gsize         avail)
{
  if (avail >= 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
    return 2;
  if (avail >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
      (p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xa8 && p[2] <= 0xae)))
    return 3;
  if (avail >= 3 && p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
    return 3;
  return 0;
}

void
rf_text_append_escaped (GString    *out,
                           const char *s)
{
  gsize len;

  if (s == NULL)
    return;

  len = strlen (s);
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];
      gsize n;

      if (c >= 0x20 && c < 0x7f)
        {
          g_string_append_c (out, c);
          continue;
        }

      switch (c)
        {
        case '\n': g_string_append (out, "\\n"); continue;
        case '\r': g_string_append (out, "\\r"); continue;
        case '\t': g_string_append (out, "\\t"); continue;
        default: break;
        }

      if (c < 0x80)
        {
          /* C0 controls, ESC included, and DEL. */
          g_string_append_printf (out, "\\x%02x", c);
          continue;
        }

      if ((n = rf_text_control_len ((const guchar *) s + i, len - i)) > 0)
        {
          g_string_append_printf (out, "\\u%04x", g_utf8_get_char (s + i));
          i += n - 1;
          continue;
        }

      {
        gsize seq = c < 0xc2 || c > 0xf4 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

        if (seq > 1 && i + seq <= len && g_utf8_validate (s + i, seq, NULL))
          {
            g_string_append_len (out, s + i, seq);
            i += seq - 1;
          }
        else
          g_string_append_printf (out, "\\x%02x", c);
      }
    }
}

char *
rf_text_escape (const char *s)
{
  GString *out = g_string_new (NULL);

  rf_text_append_escaped (out, s);

  return g_string_free (out, FALSE);
}

/* Rewrites a JSON document for output: invalid UTF-8 becomes U+FFFD and
 * the controls rf_text_control_len() finds become \\u escapes. Outside
 * strings a JSON text is ASCII, so the rewrite only ever touches string
 * contents. */
char *
rf_text_json_safe (char *json)
{
  GString *out;
  const char *p;
  gsize len;

  if (json == NULL)
    return NULL;

  len = strlen (json);
  for (p = json; *p != '\0' && (guchar) *p < 0x80; p++)
    ;
  if (*p == '\0')
    return json;

  out = g_string_sized_new (len + 16);
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) json[i];
      gsize n;

      if (c < 0x80)
        {
          g_string_append_c (out, c);
          continue;
        }

      if ((n = rf_text_control_len ((const guchar *) json + i, len - i)) > 0)
        {
          g_string_append_printf (out, "\\u%04x", g_utf8_get_char (json + i));
          i += n - 1;
          continue;
        }

      {
        gsize seq = c < 0xc2 || c > 0xf4 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

        if (seq > 1 && i + seq <= len && g_utf8_validate (json + i, seq, NULL))
          {
            g_string_append_len (out, json + i, seq);
            i += seq - 1;
          }
        else
          g_string_append (out, "\\ufffd");
      }
    }

  g_free (json);
  return g_string_free (out, FALSE);
}

/* The largest N of a "… [N bytes]" note in @s from @from on: the size a
 * value had as sent, before the core cut it (rf-event.c). */
static void
hidden_size_note (const char *s,
                  gsize       from,
                  gsize       len,
                  guint64    *size)
{
  static const char head[] = "… [";
  const char *p = s + from;
  const char *end = s + len;

  while ((p = memmem (p, end - p, head, sizeof head - 1)) != NULL)
    {
      const char *q = p + sizeof head - 1;
      guint64 value = 0;
      guint digits = 0;

      for (; q < end && g_ascii_isdigit (*q) && digits < 19; q++, digits++)
        value = value * 10 + (guint64) (*q - '0');
      if (digits > 0 && end - q >= 7 && memcmp (q, " bytes]", 7) == 0 && value > *size)
        *size = value;
      p = q;
    }
}

char *
rf_text_shorten (const char *s,
                 gsize       max_bytes)
{
  gsize len;
  gsize keep;

  if (s == NULL)
    return NULL;

  len = strlen (s);
  keep = MIN (len, max_bytes);
  /* Never in the middle of a character; only the part kept is read and
   * made valid. */
  while (keep > 0 && keep < len && ((guchar) s[keep] & 0xC0) == 0x80)
    keep--;

  if (keep == len)
    return g_utf8_make_valid (s, len);
  else
    {
      g_autofree char *head = g_utf8_make_valid (s, keep);
      guint64 size = len;

      /* A value the core already cut holds the note of its size as sent
       * (rf-event.c): when the cut hides it, that size is told, not the
       * kept copy's. */
      hidden_size_note (s, keep, len, &size);
      return g_strdup_printf ("%s… [%" G_GUINT64_FORMAT " bytes]", head, size);
    }
}

char *
rf_text_show (const char *s,
              gsize       max_bytes)
{
  g_autofree char *cut = rf_text_shorten (s, max_bytes);

  return cut ? rf_text_escape (cut) : NULL;
}

char *
rf_text_bind_numbers (const char *s)
{
  GString *out;
  gunichar previous = 0;

  if (s == NULL)
    return NULL;
  if (!g_utf8_validate (s, -1, NULL))
    return g_strdup (s);

  out = g_string_sized_new (strlen (s) + 8);
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ' ' && g_unichar_isdigit (previous))
        {
          gunichar next = g_utf8_get_char (p + 1);

          /* A unit, a word or a currency sign; not a dash, a bracket or
           * another number ("1 – 3", "(2)", "768 × 768" stay as they are). */
          if (g_unichar_isalpha (next) || g_unichar_type (next) == G_UNICODE_CURRENCY_SYMBOL ||
              next == '%')
            {
              g_string_append (out, "\u00a0");
              previous = c;
              continue;
            }
        }
      g_string_append_unichar (out, c);
      previous = c;
    }

  return g_string_free (out, FALSE);
}
