/*
 * rf-redactor.c
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

#define G_LOG_DOMAIN "rf-redactor"

#include "config.h"

#include <string.h>

#include "rf-redactor.h"

#define REPLACEMENT "[redacted]"

struct _RfRedactor
{
  GPtrArray  *secrets;
  gsize       longest;
  GByteArray *held;
};

RfRedactor *
rf_redactor_new (GPtrArray *secrets)
{
  RfRedactor *self = g_new0 (RfRedactor, 1);

  self->secrets = g_ptr_array_new_with_free_func (g_free);
  self->held = g_byte_array_new ();
  for (guint i = 0; secrets != NULL && i < secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (secrets, i);

      if (secret != NULL && secret[0] != '\0')
        {
          g_ptr_array_add (self->secrets, g_strdup (secret));
          self->longest = MAX (self->longest, strlen (secret));
        }
    }

  return self;
}

/* The earliest occurrence of any secret in @data from @from on. */
static gboolean
find_secret (RfRedactor   *self,
             const guint8 *data,
             gsize         len,
             gsize         from,
             gsize        *at,
             gsize        *secret_len)
{
  gboolean found = FALSE;

  for (guint i = 0; i < self->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (self->secrets, i);
      gsize n = strlen (secret);
      const guint8 *hit = len > from ? memmem (data + from, len - from, secret, n) : NULL;

      if (hit != NULL && (!found || (gsize) (hit - data) < *at))
        {
          *at = hit - data;
          *secret_len = n;
          found = TRUE;
        }
    }

  return found;
}

/* The longest tail of @data (after @from) that starts some secret. */
static gsize
prefix_tail (RfRedactor   *self,
             const guint8 *data,
             gsize         len,
             gsize         from)
{
  for (gsize keep = MIN (self->longest - 1, len - from); keep > 0; keep--)
    for (guint i = 0; i < self->secrets->len; i++)
      {
        const char *secret = g_ptr_array_index (self->secrets, i);

        if (strlen (secret) > keep && memcmp (data + len - keep, secret, keep) == 0)
          return keep;
      }

  return 0;
}

static void
drain (RfRedactor *self,
       GByteArray *out,
       gboolean    flush)
{
  GByteArray *held = self->held;
  gsize start = 0;
  gsize at = 0, n = 0, keep;

  while (find_secret (self, held->data, held->len, start, &at, &n))
    {
      g_byte_array_append (out, held->data + start, at - start);
      g_byte_array_append (out, (const guint8 *) REPLACEMENT, strlen (REPLACEMENT));
      start = at + n;
    }

  keep = flush ? 0 : prefix_tail (self, held->data, held->len, start);
  g_byte_array_append (out, held->data + start, held->len - start - keep);
  g_byte_array_remove_range (held, 0, held->len - keep);
}

void
rf_redactor_feed (RfRedactor   *self,
                  const guint8 *buf,
                  gsize         len,
                  GByteArray   *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  if (self->secrets->len == 0)
    {
      g_byte_array_append (out, buf, len);
      return;
    }

  g_byte_array_append (self->held, buf, len);
  drain (self, out, FALSE);
}

void
rf_redactor_flush (RfRedactor *self,
                   GByteArray *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  if (self->secrets->len > 0)
    drain (self, out, TRUE);
}

void
rf_redactor_free (RfRedactor *self)
{
  if (self == NULL)
    return;

  /* The copies of the keys do not outlive the redactor in freed memory,
   * as the sources' own copies do not. */
  for (guint i = 0; i < self->secrets->len; i++)
    {
      char *secret = g_ptr_array_index (self->secrets, i);

      memset (secret, 0, strlen (secret));
    }
  g_ptr_array_unref (self->secrets);
  g_byte_array_unref (self->held);
  g_free (self);
}

char *
rf_redactor_redact_text (GPtrArray  *secrets,
                         const char *text)
{
  GString *str;

  if (text == NULL)
    return NULL;

  str = g_string_new (text);
  for (guint i = 0; secrets != NULL && i < secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (secrets, i);

      if (secret != NULL && secret[0] != '\0')
        g_string_replace (str, secret, REPLACEMENT, 0);
    }

  return g_string_free (str, FALSE);
}
