/*
 * test-sse-parser.c
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
#include <sys/resource.h>

#include "rf-sse-parser.h"
#include "rf-test-util.h"

/* Every rule of PROTOCOL.md §2, each case fed whole, one byte at a time,
 * split at every point, and split at random places (fixed seed): any
 * chunking must give the same events. */

typedef struct
{
  const char *event;
  const char *data;
  const char *id;
} Expected;

typedef struct
{
  const char *path;
  const char *input;
  gsize       len;
  Expected    events[6];
  gboolean    discarded;
  gint64      retry;
  const char *comments;   /* comment texts joined by '|', NULL = don't check */
} Case;

#define IN(s) s, sizeof (s) - 1
#define NO_RETRY -1

static const Case cases[] = {
  { "/sse-parser/lf", IN ("data: a\n\n"), { { "message", "a", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/crlf", IN ("data: a\r\n\r\n"), { { "message", "a", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/cr", IN ("data: a\r\r"), { { "message", "a", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/crlf-split", IN ("event: x\r\ndata: a\r\n\r\ndata: b\r\n\r\n"),
    { { "x", "a", "" }, { "message", "b", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/lone-cr-lines", IN ("data: a\rdata: b\r\rdata: c\r\r"),
    { { "message", "a\nb", "" }, { "message", "c", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/mixed-line-ends", IN ("data: a\r\ndata: b\rdata: c\n\r\ndata: d\n\r"),
    { { "message", "a\nb\nc", "" }, { "message", "d", "" } }, FALSE, NO_RETRY, NULL },
  /* CR then LF is one line end; CR CR is two (a blank line). */
  { "/sse-parser/cr-cr-lf", IN ("data: a\r\r\ndata: b\n\n"),
    { { "message", "a", "" }, { "message", "b", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/bom", IN ("\xEF\xBB\xBF" "data: a\n\n"), { { "message", "a", "" } }, FALSE, NO_RETRY, NULL },
  /* Only one BOM is dropped: the second one makes the field name unknown. */
  { "/sse-parser/bom-twice", IN ("\xEF\xBB\xBF\xEF\xBB\xBF" "data: a\n\ndata: b\n\n"),
    { { "message", "b", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/bom-not-at-start", IN ("data: a\n\n\xEF\xBB\xBF" "data: b\n\ndata: c\n\n"),
    { { "message", "a", "" }, { "message", "c", "" } }, FALSE, NO_RETRY, NULL },
  /* A stream that starts like a BOM but is not one. */
  { "/sse-parser/bom-prefix", IN ("\xEF\xBB" "data: a\n\ndata: b\n\n"),
    { { "message", "b", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/comments", IN (": hello\ndata: a\n:mid: x\n\n:\n\n"),
    { { "message", "a", "" } }, FALSE, NO_RETRY, " hello|mid: x|" },
  { "/sse-parser/field-without-colon", IN ("data\n\nevent\ndata: b\n\n"),
    { { "message", "", "" }, { "message", "b", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/no-space", IN ("data:x\n\n"), { { "message", "x", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/one-space", IN ("data: x\n\n"), { { "message", "x", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/two-spaces", IN ("data:  x\n\n"), { { "message", " x", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/tab-kept", IN ("data:\tx\n\n"), { { "message", "\tx", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/trailing-space-kept", IN ("data: x \n\n"), { { "message", "x ", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/colons-in-value", IN ("data: a:b: c\n\n"), { { "message", "a:b: c", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/event-two-spaces", IN ("event:  sp\ndata: a\n\n"), { { " sp", "a", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/multi-line-data", IN ("data: a\ndata: b\ndata:\ndata: c\n\n"),
    { { "message", "a\nb\n\nc", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/empty-data-line", IN ("data:\n\ndata: \n\n"),
    { { "message", "", "" }, { "message", "", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/trailing-empty-data", IN ("data: a\ndata:\n\n"), { { "message", "a\n", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/event-reset", IN ("event: foo\ndata: a\n\ndata: b\n\n"),
    { { "foo", "a", "" }, { "message", "b", "" } }, FALSE, NO_RETRY, NULL },
  /* A block without data dispatches nothing but still resets the type. */
  { "/sse-parser/event-reset-without-data", IN ("event: foo\n\ndata: b\n\n"),
    { { "message", "b", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/event-last-wins", IN ("event: a\nevent: b\ndata: x\n\n"), { { "b", "x", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/id-persists", IN ("id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n"),
    { { "message", "a", "1" }, { "message", "b", "1" }, { "message", "c", "2" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/id-only-block", IN ("id: 7\n\ndata: a\n\n"), { { "message", "a", "7" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/id-with-nul", IN ("id: 1\n\nid: 2\0x\ndata: a\n\n"), { { "message", "a", "1" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/id-empty-resets", IN ("id: 1\ndata: a\n\nid\ndata: b\n\n"),
    { { "message", "a", "1" }, { "message", "b", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/retry", IN ("retry: 1500\ndata: a\n\n"), { { "message", "a", "" } }, FALSE, 1500, NULL },
  { "/sse-parser/retry-not-digits", IN ("retry: 15a\n\nretry: -5\n\nretry:\n\nretry: 1.5\ndata: a\n\n"),
    { { "message", "a", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/retry-last-valid", IN ("retry: 10\n\nretry: x\n\nretry: 20\ndata: a\n\n"),
    { { "message", "a", "" } }, FALSE, 20, NULL },
  { "/sse-parser/unknown-fields", IN ("foo: bar\nData: x\nEVENT: y\nid : z\ndata: a\n\n"),
    { { "message", "a", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/unterminated-discarded", IN ("data: a\n\ndata: b\n"), { { "message", "a", "" } }, TRUE, NO_RETRY, NULL },
  { "/sse-parser/unterminated-no-newline", IN ("data: a\n\ndata: b"), { { "message", "a", "" } }, TRUE, NO_RETRY, NULL },
  { "/sse-parser/terminated-nothing-discarded", IN ("data: a\n\n"), { { "message", "a", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/invalid-utf8", IN ("data: a\xFF" "b\n\nevent: \xC3\n" "data: c\n\n"),
    { { "message", "a\xEF\xBF\xBD" "b", "" }, { "\xEF\xBF\xBD", "c", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/valid-utf8", IN ("data: \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n\n"),
    { { "message", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/done", IN ("data: [DONE]\n\n"), { { "message", "[DONE]", "" } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/blank-lines-only", IN ("\n\r\n\r\n\n"), { { NULL } }, FALSE, NO_RETRY, NULL },
  { "/sse-parser/empty", IN (""), { { NULL } }, FALSE, NO_RETRY, NULL },
};

typedef struct
{
  GString  *events;
  GString  *comments;
  guint     n_events;
  guint     n_overflows;
  gsize     last_len;
  gboolean  check_data;
} Collector;

static void
append_escaped (GString    *out,
                const char *s,
                gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = s[i];

      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\\' || c == '|')
        g_string_append_printf (out, "\\%c", c);
      else
        g_string_append_c (out, c);
    }
}

static void
event_cb (RfSseParser *parser,
          const char  *event_type,
          const char  *data,
          gsize        data_len,
          const char  *id,
          gpointer     user_data)
{
  Collector *c = user_data;

  g_assert_true (g_utf8_validate (event_type, -1, NULL));
  g_assert_true (g_utf8_validate_len (data, data_len, NULL));
  g_assert_cmpint (data[data_len], ==, 0);

  c->n_events++;
  c->last_len = data_len;

  if (c->events != NULL)
    {
      append_escaped (c->events, event_type, strlen (event_type));
      g_string_append_c (c->events, '|');
      append_escaped (c->events, data, data_len);
      g_string_append_c (c->events, '|');
      append_escaped (c->events, id, strlen (id));
      g_string_append_c (c->events, '\n');
    }
}

static void
comment_cb (RfSseParser *parser,
            const char  *comment,
            gsize        len,
            gpointer     user_data)
{
  Collector *c = user_data;

  if (c->comments == NULL)
    return;
  if (c->comments->len > 0)
    g_string_append_c (c->comments, '|');
  g_string_append_len (c->comments, comment, len);
}

static void
overflow_cb (RfSseParser *parser,
             gsize        limit,
             gpointer     user_data)
{
  Collector *c = user_data;

  c->n_overflows++;
}

static char *
expected_text (const Case *tc)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tc->events) && tc->events[i].event != NULL; i++)
    {
      append_escaped (out, tc->events[i].event, strlen (tc->events[i].event));
      g_string_append_c (out, '|');
      append_escaped (out, tc->events[i].data, strlen (tc->events[i].data));
      g_string_append_c (out, '|');
      append_escaped (out, tc->events[i].id, strlen (tc->events[i].id));
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

/* Feeds @tc split at the sorted offsets @splits and checks everything. */
static void
run_split (const Case  *tc,
           const gsize *splits,
           guint        n_splits,
           const char  *expected,
           const char  *how)
{
  Collector c = { g_string_new (NULL), g_string_new (NULL), 0 };
  g_autoptr(RfSseParser) parser = rf_sse_parser_new (event_cb, comment_cb, overflow_cb, &c);
  gsize pos = 0;
  gboolean discarded;

  for (guint i = 0; i <= n_splits; i++)
    {
      gsize end = i < n_splits ? splits[i] : tc->len;

      g_assert_cmpuint (end, >=, pos);
      /* Copy each chunk so reads past its end are caught by sanitizers. */
      if (end > pos)
        {
          g_autofree guint8 *chunk = g_memdup2 (tc->input + pos, end - pos);
          rf_sse_parser_push (parser, chunk, end - pos);
        }
      pos = end;
    }
  discarded = rf_sse_parser_finish (parser);

  if (g_strcmp0 (c.events->str, expected) != 0)
    g_error ("%s (%s): got\n%s\nexpected\n%s", tc->path, how, c.events->str, expected);
  g_assert_cmpint (discarded, ==, tc->discarded);
  g_assert_cmpint (rf_sse_parser_get_retry (parser), ==, tc->retry);
  g_assert_cmpuint (rf_sse_parser_get_bytes_consumed (parser), ==, tc->len);
  g_assert_cmpuint (c.n_overflows, ==, 0);
  if (tc->comments != NULL)
    g_assert_cmpstr (c.comments->str, ==, tc->comments);

  g_string_free (c.events, TRUE);
  g_string_free (c.comments, TRUE);
}

static int
cmp_gsize (gconstpointer a,
           gconstpointer b)
{
  gsize x = *(const gsize *) a;
  gsize y = *(const gsize *) b;

  return x < y ? -1 : x > y;
}

static void
test_case (gconstpointer data)
{
  const Case *tc = data;
  g_autofree char *expected = expected_text (tc);
  g_autofree gsize *splits = g_new0 (gsize, tc->len + 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed);

  /* Whole. */
  run_split (tc, NULL, 0, expected, "whole");

  /* One byte at a time. */
  for (gsize i = 0; i < tc->len; i++)
    splits[i] = i + 1;
  run_split (tc, splits, tc->len > 0 ? tc->len - 1 : 0, expected, "1-byte chunks");

  /* Every 2-way split. */
  for (gsize i = 0; i <= tc->len; i++)
    {
      g_autofree char *how = g_strdup_printf ("split at %" G_GSIZE_FORMAT, i);

      splits[0] = i;
      run_split (tc, splits, 1, expected, how);
    }

  /* Random splits, fixed seed. */
  for (guint round = 0; round < 64 && tc->len > 1; round++)
    {
      guint n = g_rand_int_range (rand, 1, MIN (tc->len, 8) + 1);
      g_autoptr(GString) how = g_string_new ("random splits at");

      for (guint i = 0; i < n; i++)
        splits[i] = g_rand_int_range (rand, 0, tc->len + 1);
      qsort (splits, n, sizeof (gsize), cmp_gsize);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (how, " %" G_GSIZE_FORMAT, splits[i]);
      run_split (tc, splits, n, expected, how->str);
    }
}

/* steal_data inside the callback hands over the buffer without a copy and
 * leaves the parser working. */
static void
steal_cb (RfSseParser *parser,
          const char  *event_type,
          const char  *data,
          gsize        data_len,
          const char  *id,
          gpointer     user_data)
{
  GPtrArray *stolen = user_data;
  GBytes *bytes = rf_sse_parser_steal_data (parser);

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, data_len);
  g_assert_true (g_bytes_get_data (bytes, NULL) == (gconstpointer) data);
  g_ptr_array_add (stolen, bytes);
}

static void
test_steal_data (void)
{
  g_autoptr(GPtrArray) stolen = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(RfSseParser) parser = rf_sse_parser_new (steal_cb, NULL, NULL, stolen);
  const char *text = "data: first\n\ndata: second\ndata: line\n\n";

  rf_sse_parser_push (parser, (const guint8 *) text, strlen (text));
  g_assert_false (rf_sse_parser_finish (parser));

  g_assert_cmpuint (stolen->len, ==, 2);
  g_assert_cmpmem (g_bytes_get_data (stolen->pdata[0], NULL), 5, "first", 5);
  g_assert_cmpmem (g_bytes_get_data (stolen->pdata[1], NULL), 11, "second\nline", 11);
}

/* U+0000 in a data or event field is data (WHATWG): kept with its
 * length, neither cut nor replaced. */
static void
nul_cb (RfSseParser *parser,
        const char  *event_type,
        const char  *data,
        gsize        data_len,
        const char  *id,
        gpointer     user_data)
{
  GPtrArray *seen = user_data;
  gsize type_len;
  const char *type = rf_sse_parser_get_event_type (parser, &type_len);

  g_ptr_array_add (seen, g_bytes_new (type, type_len));
  g_ptr_array_add (seen, g_bytes_new (data, data_len));
}

static void
test_nul_is_data (void)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(RfSseParser) parser = rf_sse_parser_new (nul_cb, NULL, NULL, seen);
  /* With invalid UTF-8 beside the NUL, the line is repaired around it. */
  static const char text[] = "event: a\0b\ndata: x\0y\ndata: \xFF\0\n\ndata: \0\n\n";

  rf_sse_parser_push (parser, (const guint8 *) text, sizeof text - 1);
  g_assert_false (rf_sse_parser_finish (parser));

  g_assert_cmpuint (seen->len, ==, 4);
  g_assert_cmpmem (g_bytes_get_data (seen->pdata[0], NULL), g_bytes_get_size (seen->pdata[0]), "a\0b", 3);
  g_assert_cmpmem (g_bytes_get_data (seen->pdata[1], NULL), g_bytes_get_size (seen->pdata[1]),
                   "x\0y\n\xEF\xBF\xBD\0", 8);
  g_assert_cmpmem (g_bytes_get_data (seen->pdata[2], NULL), g_bytes_get_size (seen->pdata[2]), "message", 7);
  g_assert_cmpmem (g_bytes_get_data (seen->pdata[3], NULL), g_bytes_get_size (seen->pdata[3]), "\0", 1);
}

/* The start hook fires once per event, at the byte where its first field
 * line begins: never for comments or blank lines, whatever the chunking. */
typedef struct
{
  GString *log;
} StartLog;

static void
start_log_cb (RfSseParser *parser,
              gpointer     user_data)
{
  StartLog *l = user_data;

  g_string_append_c (l->log, 'S');
}

static void
start_event_cb (RfSseParser *parser,
                const char  *event_type,
                const char  *data,
                gsize        data_len,
                const char  *id,
                gpointer     user_data)
{
  StartLog *l = user_data;

  g_string_append_printf (l->log, "E(%s)", data);
}

static void
test_start_func (void)
{
  const char *text = ": hello\r\n\nevent: a\ndata: one\n: t=5\n\n\n\r\nid: 7\r\ndata: two\r\n\r\n: bye\n";
  gsize len = strlen (text);

  for (gsize chunk = 1; chunk <= len; chunk++)
    {
      g_autoptr(GString) log = g_string_new (NULL);
      StartLog l = { log };
      g_autoptr(RfSseParser) parser = rf_sse_parser_new (start_event_cb, NULL, NULL, &l);
      gsize at_start = 0;

      rf_sse_parser_set_start_func (parser, start_log_cb);
      for (gsize off = 0; off < len; off += chunk)
        {
          gsize n = MIN (chunk, len - off);

          rf_sse_parser_push (parser, (const guint8 *) text + off, n);
          /* With one byte a push, the first start comes with the 'e' of
           * "event", at offset 10. */
          if (chunk == 1 && at_start == 0 && log->len > 0)
            at_start = off;
        }
      rf_sse_parser_finish (parser);

      g_assert_cmpstr (log->str, ==, "SE(one)SE(two)");
      if (chunk == 1)
        g_assert_cmpuint (at_start, ==, 10);
    }
}

typedef struct
{
  GString *last;      /* the line as last reported */
  guint    n_calls;
  gboolean grew;      /* each report extends the one before */
  GString *events;
} LineLog;

static void
line_log_cb (RfSseParser  *parser,
             const guint8 *line,
             gsize         len,
             gpointer      user_data)
{
  LineLog *l = user_data;

  if (l->last->len > 0 && (len <= l->last->len || memcmp (line, l->last->str, l->last->len) != 0))
    l->grew = FALSE;
  if (len <= 5 || memcmp (line, "data:", 5) != 0)
    l->grew = FALSE;
  g_string_truncate (l->last, 0);
  g_string_append_len (l->last, (const char *) line, len);
  l->n_calls++;
}

static void
line_event_cb (RfSseParser *parser,
               const char  *event_type,
               const char  *data,
               gsize        data_len,
               const char  *id,
               gpointer     user_data)
{
  LineLog *l = user_data;

  g_string_append_printf (l->events, "E(%s)", data);
  /* The next event's line starts anew. */
  g_string_truncate (l->last, 0);
}

/* The line callback reports the event's first data line while it grows
 * (field name included, each report extending the last), never a line
 * that ended, a second data line, a comment or another field. */
static void
test_line_func (void)
{
  const char *text = "event: x\n: a comment that is long\ndata: {\"v\":\"abcdefgh\"}\ndata: second line\n\n"
                     "data: short\n\n";
  gsize len = strlen (text);

  for (gsize chunk = 1; chunk <= len; chunk++)
    {
      g_autoptr(GString) last = g_string_new (NULL);
      g_autoptr(GString) events = g_string_new (NULL);
      LineLog l = { last, 0, TRUE, events };
      g_autoptr(RfSseParser) parser = rf_sse_parser_new (line_event_cb, NULL, NULL, &l);

      rf_sse_parser_set_line_func (parser, line_log_cb);
      for (gsize off = 0; off < len; off += chunk)
        rf_sse_parser_push (parser, (const guint8 *) text + off, MIN (chunk, len - off));
      rf_sse_parser_finish (parser);

      g_assert_cmpstr (events->str, ==, "E({\"v\":\"abcdefgh\"}\nsecond line)E(short)");
      g_assert_true (l.grew);
      /* Only ever a beginning of a first data line (the last report
       * was cleared by its event). */
      g_assert_cmpuint (last->len, ==, 0);
      if (chunk == 1)
        /* "data: ", then every byte up to the whole line (its end is
         * the next push), and the same for "data: short". */
        g_assert_cmpuint (l.n_calls, ==, (strlen ("data: {\"v\":\"abcdefgh\"}") - 5) +
                                          (strlen ("data: short") - 5));
      else if (chunk < 6)
        g_assert_cmpuint (l.n_calls, >, 0);
    }
}

/* A 20 MB single-line event, whole and in 64 KiB chunks. */
static GBytes *
make_big_event (gsize payload_len)
{
  GByteArray *array = g_byte_array_sized_new (payload_len + 64);
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  g_byte_array_append (array, (const guint8 *) "event: big\ndata: ", 17);
  g_byte_array_set_size (array, 17 + payload_len);
  for (gsize i = 0; i < payload_len; i++)
    array->data[17 + i] = alphabet[(i * 7 + i / 64) & 63];
  g_byte_array_append (array, (const guint8 *) "\n\ndata: next\n\n", 14);

  return g_byte_array_free_to_bytes (array);
}

typedef struct
{
  GBytes *first;
  guint   n;
} BigCollector;

static void
big_cb (RfSseParser *parser,
        const char  *event_type,
        const char  *data,
        gsize        data_len,
        const char  *id,
        gpointer     user_data)
{
  BigCollector *c = user_data;

  if (c->n++ == 0)
    {
      g_assert_cmpstr (event_type, ==, "big");
      c->first = rf_sse_parser_steal_data (parser);
    }
  else
    {
      g_assert_cmpstr (event_type, ==, "message");
      g_assert_cmpstr (data, ==, "next");
    }
}

static void
test_big_line (void)
{
  const gsize payload_len = 20 * 1000 * 1000;
  g_autoptr(GBytes) input = make_big_event (payload_len);
  gsize len;
  const guint8 *buf = g_bytes_get_data (input, &len);
  const gsize chunk_sizes[] = { 0, 64 * 1024, 1000003 };

  for (guint k = 0; k < G_N_ELEMENTS (chunk_sizes); k++)
    {
      BigCollector c = { NULL, 0 };
      g_autoptr(RfSseParser) parser = rf_sse_parser_new (big_cb, NULL, NULL, &c);
      gsize step = chunk_sizes[k] ? chunk_sizes[k] : len;

      for (gsize pos = 0; pos < len; pos += step)
        rf_sse_parser_push (parser, buf + pos, MIN (step, len - pos));
      g_assert_false (rf_sse_parser_finish (parser));

      g_assert_cmpuint (c.n, ==, 2);
      g_assert_nonnull (c.first);
      g_assert_cmpuint (g_bytes_get_size (c.first), ==, payload_len);
      g_assert_true (memcmp (g_bytes_get_data (c.first, NULL), buf + 17, payload_len) == 0);
      g_bytes_unref (c.first);
    }
}

static void
count_cb (RfSseParser *parser,
          const char  *event_type,
          const char  *data,
          gsize        data_len,
          const char  *id,
          gpointer     user_data)
{
  BigCollector *c = user_data;

  c->n++;
}

static double
time_push (const guint8   *buf,
           gsize           len,
           gsize           chunk,
           RfSseEventFunc  func,
           guint          *n_events)
{
  BigCollector c = { NULL, 0 };
  g_autoptr(RfSseParser) parser = rf_sse_parser_new (func, NULL, NULL, &c);
  gint64 begin = g_get_monotonic_time ();

  for (gsize pos = 0; pos < len; pos += chunk)
    rf_sse_parser_push (parser, buf + pos, MIN (chunk, len - pos));
  rf_sse_parser_finish (parser);

  g_clear_pointer (&c.first, g_bytes_unref);
  *n_events = c.n;

  return (g_get_monotonic_time () - begin) / 1e6;
}

/* Linear time whatever the chunking: a 10 MB line in 1-byte chunks costs a
 * per-call overhead, never a rescan of what was buffered. */
static void
test_linear_time (void)
{
  const gsize payload_len = 10 * 1000 * 1000;
  g_autoptr(GBytes) input = make_big_event (payload_len);
  gsize len;
  const guint8 *buf = g_bytes_get_data (input, &len);
  double t_big, t_small;
  guint n;

  t_big = time_push (buf, len, 64 * 1024, big_cb, &n);
  g_assert_cmpuint (n, ==, 2);
  t_small = time_push (buf, len, 1, big_cb, &n);
  g_assert_cmpuint (n, ==, 2);

  g_test_message ("10 MB line: %.3f s in 64 KiB chunks, %.3f s in 1-byte chunks", t_big, t_small);
  /* Quadratic behaviour would take hours; a per-call overhead is at most a
   * few hundred ns per byte, even under sanitizers. */
  g_assert_cmpfloat (t_small, <, MAX (200 * t_big, 20.0));
}

/* Many short lines in one big chunk, ended by lone CRs (no LF anywhere):
 * finding each line end must not rescan the rest of the chunk. */
static void
test_linear_lone_cr (void)
{
  const guint n_lines = 200000;
  g_autoptr(GString) cr = g_string_sized_new (n_lines * 10);
  g_autoptr(GString) lf = g_string_sized_new (n_lines * 10);
  double t_cr, t_lf;
  guint n;

  for (guint i = 0; i < n_lines; i++)
    {
      g_string_append (cr, "data: x\r\r");
      g_string_append (lf, "data: x\n\n");
    }

  t_lf = time_push ((const guint8 *) lf->str, lf->len, lf->len, count_cb, &n);
  g_assert_cmpuint (n, ==, n_lines);
  t_cr = time_push ((const guint8 *) cr->str, cr->len, cr->len, count_cb, &n);
  g_assert_cmpuint (n, ==, n_lines);

  g_test_message ("%u events in one chunk: %.3f s with LF, %.3f s with lone CR", n_lines, t_lf, t_cr);
  g_assert_cmpfloat (t_cr, <, MAX (20 * t_lf, 2.0));
}

typedef struct
{
  GPtrArray *data;
  guint      n_overflows;
  gsize      limit;
} LimitCollector;

static void
limit_event_cb (RfSseParser *parser,
                const char  *event_type,
                const char  *data,
                gsize        data_len,
                const char  *id,
                gpointer     user_data)
{
  LimitCollector *c = user_data;

  g_ptr_array_add (c->data, g_strdup_printf ("%s:%s", event_type, data_len < 64 ? data : "(long)"));
}

static void
limit_overflow_cb (RfSseParser *parser,
                   gsize        limit,
                   gpointer     user_data)
{
  LimitCollector *c = user_data;

  c->n_overflows++;
  c->limit = limit;
}

static void
push_pattern (RfSseParser *parser,
              char         c,
              gsize        n,
              gsize        chunk)
{
  g_autofree guint8 *buf = g_malloc (chunk);

  memset (buf, c, chunk);
  while (n > 0)
    {
      gsize step = MIN (n, chunk);
      rf_sse_parser_push (parser, buf, step);
      n -= step;
    }
}

static void
push_str (RfSseParser *parser,
          const char  *s)
{
  rf_sse_parser_push (parser, (const guint8 *) s, strlen (s));
}

/* An event beyond the limit is skipped with one overflow call; the next
 * event still parses, whichever way the oversized part arrives. */
static void
test_event_size_limit (void)
{
  const gsize chunks[] = { 1, 7, 4096, 1 << 20 };

  for (guint k = 0; k < G_N_ELEMENTS (chunks); k++)
    {
      LimitCollector c = { g_ptr_array_new_with_free_func (g_free), 0, 0 };
      g_autoptr(RfSseParser) parser = rf_sse_parser_new (limit_event_cb, NULL, limit_overflow_cb, &c);
      gsize chunk = chunks[k];

      rf_sse_parser_set_max_event_size (parser, 64 * 1024);

      push_str (parser, "event: small\ndata: ok\n\n");

      /* One huge line. */
      push_str (parser, "event: huge\ndata: ");
      push_pattern (parser, 'A', chunk == 1 ? 100 * 1024 : 3 * 1000 * 1000, chunk);
      push_str (parser, "\n\n");

      push_str (parser, "event: after\ndata: one\n\n");

      /* Many lines that only together pass the limit. */
      push_str (parser, "event: many\n");
      for (guint i = 0; i < 200; i++)
        {
          push_str (parser, "data: ");
          push_pattern (parser, 'B', 1000, MIN (chunk, 1000));
          push_str (parser, "\r\n");
        }
      push_str (parser, "\r\n");

      push_str (parser, "data: two\n\n");

      /* Just under the limit still parses. */
      push_str (parser, "data: ");
      push_pattern (parser, 'C', 60 * 1024, MIN (chunk, 4096));
      push_str (parser, "\n\n");

      g_assert_false (rf_sse_parser_finish (parser));

      g_assert_cmpuint (c.n_overflows, ==, 2);
      g_assert_cmpuint (c.limit, ==, 64 * 1024);
      g_assert_cmpuint (c.data->len, ==, 4);
      g_assert_cmpstr (c.data->pdata[0], ==, "small:ok");
      g_assert_cmpstr (c.data->pdata[1], ==, "after:one");
      g_assert_cmpstr (c.data->pdata[2], ==, "message:two");
      g_assert_cmpstr (c.data->pdata[3], ==, "message:(long)");

      g_ptr_array_unref (c.data);
    }
}

static glong
max_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* 256 MB of one oversized event streamed through: memory stays bounded by
 * the limit, not by the input. An oversized event cut off by EOF counts as
 * discarded. */
static void
test_event_size_limit_memory (void)
{
  LimitCollector c = { g_ptr_array_new_with_free_func (g_free), 0, 0 };
  g_autoptr(RfSseParser) parser = rf_sse_parser_new (limit_event_cb, NULL, limit_overflow_cb, &c);
  glong before;
  glong after;

  rf_sse_parser_set_max_event_size (parser, 1024 * 1024);
  before = max_rss_kib ();

  push_str (parser, "data: ");
  push_pattern (parser, 'A', (gsize) 256 * 1024 * 1024, 256 * 1024);
  push_str (parser, "\n\ndata: after\n\ndata: ");
  push_pattern (parser, 'A', (gsize) 8 * 1024 * 1024, 256 * 1024);

  after = max_rss_kib ();
  g_test_message ("peak RSS grew by %ld KiB", after - before);
  g_assert_cmpint (after - before, <, 64 * 1024);

  g_assert_true (rf_sse_parser_finish (parser));
  g_assert_cmpuint (c.n_overflows, ==, 2);
  g_assert_cmpuint (c.data->len, ==, 1);
  g_assert_cmpstr (c.data->pdata[0], ==, "message:after");

  g_ptr_array_unref (c.data);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_case);

  g_test_add_func ("/sse-parser/steal-data", test_steal_data);
  g_test_add_func ("/sse-parser/start-func", test_start_func);
  g_test_add_func ("/sse-parser/line-func", test_line_func);
  /* Before the big inputs raise the peak RSS it measures. */
  g_test_add_func ("/sse-parser/event-size-limit-memory", test_event_size_limit_memory);
  g_test_add_func ("/sse-parser/big-line", test_big_line);
  g_test_add_func ("/sse-parser/nul-is-data", test_nul_is_data);
  g_test_add_func ("/sse-parser/linear-time", test_linear_time);
  g_test_add_func ("/sse-parser/linear-time-lone-cr", test_linear_lone_cr);
  g_test_add_func ("/sse-parser/event-size-limit", test_event_size_limit);

  return g_test_run ();
}
