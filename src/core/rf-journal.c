/*
 * rf-journal.c
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


#define G_LOG_DOMAIN "rf-journal"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "rf-assembler.h"
#include "rf-base64.h"
#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-image.h"
#include "rf-journal.h"
#include "rf-sse-parser.h"

#define READ_SIZE (64 * 1024)

typedef struct
{
  RfAssembler *assembler;
  GBytes      *last_b64;
  guint        n_frames;
  gint64       last_t_ms;
  char        *outcome_code;
  char        *outcome_message;
  char        *first_error;
} ScanState;

static const char * const stream_suffixes[] = { RF_JOURNAL_SUFFIX, ".jsonl", ".ndjson" };

void
rf_journal_summary_free (RfJournalSummary *summary)
{
  if (summary == NULL)
    return;

  g_free (summary->path);
  g_clear_pointer (&summary->modified, g_date_time_unref);
  g_free (summary->prompt);
  g_free (summary->message);
  g_clear_object (&summary->thumbnail);
  g_free (summary);
}

char *
rf_journal_dup_sidecar_path (const char *journal_path)
{
  g_return_val_if_fail (journal_path != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (stream_suffixes); i++)
    if (g_str_has_suffix (journal_path, stream_suffixes[i]))
      {
        g_autofree char *stem = g_strndup (journal_path,
                                           strlen (journal_path) - strlen (stream_suffixes[i]));

        return g_strconcat (stem, ".request.json", NULL);
      }

  return g_strconcat (journal_path, ".request.json", NULL);
}

char *
rf_journal_dup_runs_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "refinery", "runs", NULL);
}

/* A request sidecar is a few kilobytes; anything much bigger is not one. */
#define MAX_SIDECAR_SIZE (1024 * 1024)

char *
rf_journal_dup_prompt (const char *journal_path)
{
  g_autofree char *sidecar = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GMappedFile) mapped = NULL;
  const char *text;
  gsize len;
  JsonObject *root;
  JsonObject *body;
  JsonNode *node;

  g_return_val_if_fail (journal_path != NULL, NULL);

  sidecar = rf_journal_dup_sidecar_path (journal_path);
  /* The history reads every sidecar in the folder: an oversized or deeply
   * nested one (json-glib recurses once per level, and this runs on a
   * worker thread's stack) is skipped, not parsed. */
  mapped = g_mapped_file_new (sidecar, FALSE, NULL);
  if (mapped == NULL)
    return NULL;
  text = g_mapped_file_get_contents (mapped);
  len = g_mapped_file_get_length (mapped);
  if (text == NULL || len > MAX_SIDECAR_SIZE ||
      !rf_json_safe_to_parse (text, len, RF_JSON_MAX_DEPTH) ||
      !json_parser_load_from_data (parser, text, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "body") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "body")))
    return NULL;

  body = json_object_get_object_member (root, "body");
  /* Images API: "prompt"; Responses API: "input" as a string. */
  if ((node = json_object_get_member (body, "prompt")) && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if ((node = json_object_get_member (body, "input")) && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return NULL;
}

static void
scan_frame_added (RfFrame  *frame,
                  GBytes   *b64,
                  gpointer  user_data)
{
  ScanState *state = user_data;

  state->n_frames++;
  if (b64 != NULL)
    {
      g_clear_pointer (&state->last_b64, g_bytes_unref);
      state->last_b64 = g_bytes_ref (b64);
    }
}

/* The assembler calls every sink function: a summary needs only frames. */
static void
scan_lane_added (RfLane   *lane,
                 gpointer  user_data)
{
}

static void
scan_diagnostic (RfDiagnostic *diagnostic,
                 gpointer      user_data)
{
  ScanState *state = user_data;

  if (state->first_error == NULL && rf_diagnostic_get_severity (diagnostic) == RF_SEVERITY_ERROR)
    state->first_error = g_strdup (rf_diagnostic_get_message (diagnostic));
}

gboolean
rf_journal_parse_outcome (const char  *comment,
                          gsize        len,
                          char       **code,
                          char       **message)
{
  const char *end = comment + len;
  const char *p = comment;
  const char *code_end;

  g_return_val_if_fail (comment != NULL, FALSE);

  while (p < end && *p == ' ')
    p++;
  if ((gsize) (end - p) <= strlen (RF_JOURNAL_OUTCOME_PREFIX) ||
      strncmp (p, RF_JOURNAL_OUTCOME_PREFIX, strlen (RF_JOURNAL_OUTCOME_PREFIX)) != 0)
    return FALSE;
  p += strlen (RF_JOURNAL_OUTCOME_PREFIX);

  for (code_end = p; code_end < end && *code_end != ' '; code_end++)
    if (!g_ascii_isalnum (*code_end) && *code_end != '-')
      return FALSE;
  if (code_end == p)
    return FALSE;

  if (code != NULL)
    *code = g_strndup (p, code_end - p);
  if (message != NULL)
    {
      gsize n = code_end < end ? MIN ((gsize) (end - code_end - 1), RF_JOURNAL_OUTCOME_MAX) : 0;

      *message = n > 0 ? g_utf8_make_valid (code_end + 1, n) : NULL;
    }

  return TRUE;
}

static void
scan_comment (RfSseParser *parser,
              const char  *comment,
              gsize        len,
              gpointer     user_data)
{
  ScanState *state = user_data;
  const char *p = comment;
  char *t_end = NULL;
  gint64 t;

  while (p < comment + len && *p == ' ')
    p++;
  if (comment + len - p >= 2 && p[0] == 't' && p[1] == '=')
    {
      t = g_ascii_strtoll (p + 2, &t_end, 10);
      if (t_end != p + 2 && t >= 0)
        state->last_t_ms = t;
      return;
    }

  g_clear_pointer (&state->outcome_code, g_free);
  g_clear_pointer (&state->outcome_message, g_free);
  rf_journal_parse_outcome (comment, len, &state->outcome_code, &state->outcome_message);
}

static void
scan_revised_prompt (RfLane     *lane,
                     const char *revised_prompt,
                     gpointer    user_data)
{
}

static void
scan_string (const char *text,
             gpointer    user_data)
{
}

static void
scan_event (RfSseParser *parser,
            const char  *event_type,
            const char  *data,
            gsize        data_len,
            const char  *id,
            gpointer     user_data)
{
  ScanState *state = user_data;
  g_autoptr(GBytes) bytes = rf_sse_parser_steal_data (parser);
  g_autoptr(RfEvent) event = NULL;

  event = rf_event_new_from_sse (event_type, bytes, id, 0);
  rf_assembler_push (state->assembler, event);
}

static GdkPixbuf *
decode_thumbnail (GBytes *b64,
                  int     size)
{
  RfDecodeLimits limits;
  g_autoptr(GBytes) encoded = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  const char *text;
  gsize len;

  rf_decode_limits_init_default (&limits);
  text = g_bytes_get_data (b64, &len);
  if (!(encoded = rf_base64_decode_bytes (text ? text : "", len, limits.max_encoded_bytes, NULL)) ||
      !(pixbuf = rf_image_decode (encoded, &limits, NULL)))
    return NULL;

  return rf_image_scale_thumbnail (pixbuf, size);
}

RfJournalSummary *
rf_journal_read_summary (const char    *path,
                         int            thumbnail_size,
                         GCancellable  *cancellable,
                         GError       **error)
{
  static const RfAssemblerSink sink = {
    .lane_added = scan_lane_added,
    .frame_added = scan_frame_added,
    .diagnostic = scan_diagnostic,
    .revised_prompt = scan_revised_prompt,
    .response_id = scan_string,
    .failure = scan_string,
  };
  g_autoptr(RfJournalSummary) summary = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(RfSseParser) parser = NULL;
  g_autofree guint8 *buf = NULL;
  ScanState state = { .last_t_ms = -1 };
  gssize n;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (thumbnail_size > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  if (!(stream = g_file_read (file, cancellable, error)))
    return NULL;

  summary = g_new0 (RfJournalSummary, 1);
  summary->path = g_strdup (path);
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_TIME_MODIFIED, cancellable, NULL);
  if (info != NULL)
    summary->modified = g_file_info_get_modification_date_time (info);
  if (summary->modified == NULL)
    summary->modified = g_date_time_new_now_utc ();
  summary->prompt = rf_journal_dup_prompt (path);

  buf = g_malloc (READ_SIZE);
  state.assembler = rf_assembler_new (&sink, &state);
  parser = rf_sse_parser_new (scan_event, scan_comment, NULL, &state);
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buf, READ_SIZE, cancellable, NULL)) > 0)
    rf_sse_parser_push (parser, buf, n);
  rf_assembler_finish (state.assembler, rf_sse_parser_finish (parser));
  summary->n_frames = state.n_frames;
  summary->duration_ms = state.last_t_ms;

  /* The recorded outcome first: it is the cause (cannot connect, 401),
   * what the bytes say (no final event) only its consequence. */
  if (g_strcmp0 (state.outcome_code, "cancelled") == 0)
    summary->outcome = RF_JOURNAL_OUTCOME_CANCELLED;
  else if (state.outcome_code != NULL)
    {
      summary->outcome = RF_JOURNAL_OUTCOME_FAILED;
      summary->message = g_steal_pointer (&state.outcome_message);
    }
  else if (state.first_error != NULL)
    {
      summary->outcome = RF_JOURNAL_OUTCOME_FAILED;
      summary->message = g_steal_pointer (&state.first_error);
    }

  if (state.last_b64 != NULL)
    summary->thumbnail = decode_thumbnail (state.last_b64, thumbnail_size);

  g_clear_pointer (&state.last_b64, g_bytes_unref);
  g_clear_pointer (&state.outcome_code, g_free);
  g_clear_pointer (&state.outcome_message, g_free);
  g_clear_pointer (&state.first_error, g_free);
  rf_assembler_free (state.assembler);

  return g_steal_pointer (&summary);
}

typedef struct
{
  char      *path;
  GDateTime *modified;
} Entry;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->path);
  g_date_time_unref (entry->modified);
  g_free (entry);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const Entry *ea = *(Entry **) a;
  const Entry *eb = *(Entry **) b;

  return -g_date_time_compare (ea->modified, eb->modified);
}

GPtrArray *
rf_journal_list (const char   *directory,
                 guint         max_journals,
                 int           thumbnail_size,
                 GCancellable *cancellable)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  GPtrArray *summaries = g_ptr_array_new_with_free_func ((GDestroyNotify) rf_journal_summary_free);
  GFileInfo *file_info;

  g_return_val_if_fail (directory != NULL, summaries);

  dir = g_file_new_for_path (directory);
  enumerator = g_file_enumerate_children (dir,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                          G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  while (enumerator != NULL &&
         (file_info = g_file_enumerator_next_file (enumerator, cancellable, NULL)))
    {
      const char *name = g_file_info_get_name (file_info);

      if (g_str_has_suffix (name, RF_JOURNAL_SUFFIX))
        {
          Entry *entry = g_new0 (Entry, 1);

          entry->path = g_build_filename (directory, name, NULL);
          entry->modified = g_file_info_get_modification_date_time (file_info);
          if (entry->modified == NULL)
            entry->modified = g_date_time_new_now_utc ();
          g_ptr_array_add (entries, entry);
        }
      g_object_unref (file_info);
    }

  g_ptr_array_sort (entries, compare_newest_first);

  for (guint i = 0; i < entries->len && summaries->len < max_journals; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);
      RfJournalSummary *summary;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      /* A journal that cannot be read is still listed: opening it says
       * why. */
      summary = rf_journal_read_summary (entry->path, thumbnail_size, cancellable, NULL);
      if (summary == NULL)
        {
          summary = g_new0 (RfJournalSummary, 1);
          summary->path = g_strdup (entry->path);
          summary->prompt = rf_journal_dup_prompt (entry->path);
        }
      /* The listing's time, so the order shown is the order sorted. */
      g_clear_pointer (&summary->modified, g_date_time_unref);
      summary->modified = g_date_time_ref (entry->modified);
      g_ptr_array_add (summaries, summary);
    }

  return summaries;
}
