/*
 * fuzz-sse-parser.c
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

#define G_LOG_DOMAIN "rf-fuzz"

#include "config.h"

#include <string.h>

#include "rf-sse-parser.h"

/* Parses the input twice, once in one piece and once cut into chunks
 * whose sizes come from the input itself, and checks that both give the
 * same events: the parser's output must not depend on the chunking. */

typedef struct
{
  GString *log;
} Capture;

static void
event_cb (RfSseParser *parser,
          const char  *event_type,
          const char  *data,
          gsize        data_len,
          const char  *id,
          gpointer     user_data)
{
  Capture *capture = user_data;

  g_assert (g_utf8_validate (event_type, -1, NULL));
  g_assert (g_utf8_validate (id, -1, NULL));
  g_assert (data[data_len] == 0);
  g_assert (g_utf8_validate_len (data, data_len, NULL));

  g_string_append_printf (capture->log, "E[%s][%s][%" G_GSIZE_FORMAT "]", event_type, id, data_len);
  g_string_append_len (capture->log, data, data_len);

  /* Every other event steals its data, as the ingest side does. */
  if (data_len & 1)
    {
      g_autoptr(GBytes) stolen = rf_sse_parser_steal_data (parser);

      g_assert (g_bytes_get_size (stolen) == data_len);
    }
}

static void
comment_cb (RfSseParser *parser,
            const char  *comment,
            gsize        len,
            gpointer     user_data)
{
  Capture *capture = user_data;

  g_string_append_printf (capture->log, "C[%" G_GSIZE_FORMAT "]", len);
}

static void
overflow_cb (RfSseParser *parser,
             gsize        limit,
             gpointer     user_data)
{
  Capture *capture = user_data;

  g_string_append (capture->log, "O");
}

static char *
run (const guint8 *data,
     gsize         size,
     gsize         max_event,
     const guint8 *cuts,
     gsize         n_cuts)
{
  Capture capture = { g_string_new (NULL) };
  g_autoptr(RfSseParser) parser = rf_sse_parser_new (event_cb, comment_cb, overflow_cb, &capture);
  gsize pos = 0;
  gsize i = 0;

  if (max_event > 0)
    rf_sse_parser_set_max_event_size (parser, max_event);

  while (pos < size)
    {
      gsize step = n_cuts > 0 ? (gsize) cuts[i++ % n_cuts] + 1 : size - pos;
      /* Copies so that ASan sees reads past each chunk. */
      g_autofree guint8 *chunk = g_memdup2 (data + pos, MIN (step, size - pos));

      rf_sse_parser_push (parser, chunk, MIN (step, size - pos));
      pos += MIN (step, size - pos);
    }

  g_string_append_printf (capture.log, "F%d", rf_sse_parser_finish (parser));
  g_string_append_printf (capture.log, "R%" G_GINT64_FORMAT "I[%s]",
                          rf_sse_parser_get_retry (parser),
                          rf_sse_parser_get_last_event_id (parser));
  g_assert (rf_sse_parser_get_bytes_consumed (parser) == size);

  return g_string_free (capture.log, FALSE);
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *whole = NULL;
  g_autofree char *chunked = NULL;
  g_autofree char *bytewise = NULL;
  gsize max_event = 0;

  /* The first byte picks a small event limit (the minimum is 1 KiB) half
   * of the time, so that overflow paths are reached with short inputs. */
  if (size > 0 && (data[0] & 1))
    max_event = 1024 + data[0] * 4;

  whole = run (data, size, max_event, NULL, 0);
  chunked = run (data, size, max_event, data, MIN (size, 16));
  g_assert_cmpstr (whole, ==, chunked);

  if (size < 4096)
    {
      static const guint8 one = 0;

      bytewise = run (data, size, max_event, &one, 1);
      g_assert_cmpstr (whole, ==, bytewise);
    }

  return 0;
}
