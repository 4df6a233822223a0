/*
 * rf-assembler.c
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

#define G_LOG_DOMAIN "rf-assembler"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rf-assembler-private.h"
#include "rf-diagnostic.h"
#include "rf-frame-private.h"
#include "rf-lane-private.h"

static void
lane_info_free (gpointer data)
{
  LaneInfo *info = data;

  g_clear_object (&info->lane);
  g_clear_pointer (&info->item_id, g_free);
  g_clear_pointer (&info->partial_indexes, g_hash_table_unref);
  g_free (info);
}

RfAssembler *
rf_assembler_new (const RfAssemblerSink *sink,
                  gpointer               user_data)
{
  RfAssembler *self = g_new0 (RfAssembler, 1);

  self->sink = *sink;
  self->user_data = user_data;
  self->lanes = g_ptr_array_new_with_free_func (lane_info_free);
  self->by_item_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_output_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->announced_items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen_seqs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->max_seq = -1;
  self->resume_after = -1;
  self->requested_partials = -1;

  return self;
}

void
rf_assembler_free (RfAssembler *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->lanes);
  g_hash_table_unref (self->by_item_id);
  g_hash_table_unref (self->by_output_index);
  g_hash_table_unref (self->announced_items);
  g_hash_table_unref (self->seen_seqs);
  g_free (self->seen_ring);
  g_hash_table_unref (self->by_key);
  g_free (self->first_event);
  g_free (self->first_problem);
  g_free (self->finish_reason);
  g_free (self->response_id);
  g_free (self);
}

void
rf_assembler_set_requested_partials (RfAssembler *self,
                                     int          n)
{
  self->requested_partials = n;
}

int
rf_assembler_get_requested_partials (RfAssembler *self)
{
  return self->requested_partials;
}

gboolean
rf_assembler_get_ended (RfAssembler *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->ended;
}

gboolean
rf_assembler_get_failed (RfAssembler *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->failed;
}

gint64
rf_assembler_get_last_sequence_number (RfAssembler *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_seq;
}

const char *
rf_assembler_get_response_id (RfAssembler *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->response_id;
}

guint
rf_assembler_get_n_frames (RfAssembler *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_frames;
}


void
rf_assembler_begin_resume (RfAssembler *self)
{
  self->resuming = TRUE;
  self->resume_after = self->max_seq;
}

void
_rf_assembler_diagnose (RfAssembler *self,
                        RfSeverity   severity,
                        const char  *code,
                        gint64       seq,
                        int          lane,
                        const char  *format,
                        ...)
{
  g_autoptr(RfDiagnostic) diagnostic = NULL;
  va_list args;

  va_start (args, format);
  diagnostic = rf_diagnostic_new_valist (severity, code, seq, format, args);
  va_end (args);

  rf_diagnostic_set_lane (diagnostic, lane);
  self->sink.diagnostic (diagnostic, self->user_data);
}

/* "event 12 (response.output_item.done)" or "event #3" when there is no
 * sequence number, so every message names the event concerned. */
static char *
describe_event (RfEvent *event)
{
  const char *type = rf_event_get_kind_nick (event);

  if (rf_event_get_sequence_number (event) >= 0)
    /* TRANSLATORS: names an event in a diagnostic: its sequence number and
     * its type, e.g. “event 12
     * (response.image_generation_call.partial_image)”. The sequence number
     * is the number the server gives each event, in order */
    return g_strdup_printf (_("event %lld (%s)"),
                            (long long) rf_event_get_sequence_number (event), type);

  /* TRANSLATORS: names an event without a sequence number in a diagnostic:
   * its position in the stream and its type. An event is one server-sent
   * event of the stream */
  return g_strdup_printf (_("event #%u (%s)"), rf_event_get_position (event) + 1, type);
}

/* NULL past RF_ASSEMBLER_MAX_LANES: the event's image is not kept. */
static LaneInfo *
add_lane (RfAssembler *self,
          const char  *item_id,
          gint64       output_index)
{
  LaneInfo *info;

  if (self->lanes->len >= RF_ASSEMBLER_MAX_LANES)
    {
      if (self->n_lanes_refused++ == 0)
        {
          /* The events of those images are still counted and logged. */
          _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "too-many-lanes", -1, -1,
                    g_dngettext (GETTEXT_PACKAGE,
                                 "The stream names more than %u image; the images after the first %u "
                                 "are not kept",
                                 "The stream names more than %u images; the images after the first %u "
                                 "are not kept",
                                 RF_ASSEMBLER_MAX_LANES),
                    RF_ASSEMBLER_MAX_LANES, RF_ASSEMBLER_MAX_LANES);
        }
      return NULL;
    }

  info = g_new0 (LaneInfo, 1);

  info->lane = _rf_lane_new (self->lanes->len, item_id, output_index);
  info->item_id = g_strdup (item_id);
  info->output_index = output_index;
  info->partial_indexes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_ptr_array_add (self->lanes, info);

  if (item_id != NULL)
    g_hash_table_insert (self->by_item_id, g_strdup (item_id), info);
  if (output_index >= 0 && !g_hash_table_contains (self->by_output_index, &output_index))
    g_hash_table_insert (self->by_output_index, g_memdup2 (&output_index, sizeof output_index), info);

  self->sink.lane_added (info->lane, self->user_data);

  return info;
}

/* Lanes are keyed by item_id, else output_index. A final whose item id
 * differs from the streamed one is matched by output_index. */
static LaneInfo *
find_lane (RfAssembler *self,
           const char  *item_id,
           gint64       output_index)
{
  LaneInfo *info = NULL;

  if (item_id != NULL)
    info = g_hash_table_lookup (self->by_item_id, item_id);
  if (info == NULL && output_index >= 0)
    {
      info = g_hash_table_lookup (self->by_output_index, &output_index);
      /* Only adopt a lane by position when its own id cannot clash. */
      if (info != NULL && item_id != NULL && info->item_id != NULL &&
          g_hash_table_contains (self->announced_items, item_id))
        info = NULL;
    }
  if (info == NULL && item_id == NULL && output_index < 0 && self->lanes->len > 0)
    info = g_ptr_array_index (self->lanes, self->lanes->len - 1);

  return info;
}

static LaneInfo *
ensure_lane (RfAssembler *self,
             const char  *item_id,
             gint64       output_index)
{
  LaneInfo *info = find_lane (self, item_id, output_index);

  if (info == NULL)
    info = add_lane (self, item_id, output_index);

  return info;
}

static void
check_partial_count (RfAssembler *self,
                     LaneInfo    *info,
                     gint64       seq)
{
  int lane = rf_lane_get_index (info->lane);

  if (self->requested_partials <= 0)
    return;

  /* A partial skipped for its size did arrive: the server is not to be
   * blamed for it. */
  if (info->n_partials < (guint) self->requested_partials && self->n_oversized_partials > 0)
    _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "fewer-partials", seq, lane,
              g_dngettext (GETTEXT_PACKAGE,
                           /* TRANSLATORS: a diagnostic: some partial images
                            * were too large to read. A partial image is a
                            * blurry preview the server streams before the
                            * final image. An event is one server-sent event
                            * of the stream */
                           "Image %d: %u of %d requested partial images were read; "
                           "%u event over the size limit was skipped",
                           "Image %d: %u of %d requested partial images were read; "
                           "%u events over the size limit were skipped",
                           self->n_oversized_partials),
              lane + 1, info->n_partials, self->requested_partials, self->n_oversized_partials);
  else if (info->n_partials == 0)
    _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "partials-ignored", seq, lane,
              /* TRANSLATORS: a diagnostic; partial_images is the request’s
               * parameter name: keep it. A partial image is a blurry preview
               * the server streams before the final image */
              _("Image %d: no partial images arrived although %d were requested; "
                "the server ignored partial_images"),
              lane + 1, self->requested_partials);
  else if (info->n_partials < (guint) self->requested_partials)
    _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "fewer-partials", seq, lane,
              /* TRANSLATORS: a diagnostic. A partial image is a blurry
               * preview the server streams before the final image */
              _("Image %d: %u of %d requested partial images arrived"),
              lane + 1, info->n_partials, self->requested_partials);
}

static void
add_frame (RfAssembler *self,
           LaneInfo    *info,
           RfEvent     *event,
           RfFrameKind  kind,
           gint64       partial_index,
           GBytes      *b64,
           const char  *item_id,
           gint64       output_index)
{
  g_autoptr(RfFrame) frame = NULL;

  frame = _rf_frame_new (self->n_frames++,
                         rf_lane_get_index (info->lane),
                         kind,
                         partial_index,
                         rf_event_get_sequence_number (event),
                         item_id,
                         output_index,
                         rf_event_get_t_ms (event),
                         rf_event_get_position (event));

  for (guint i = 0; i < RF_N_IMAGE_PARAMS; i++)
    _rf_frame_set_image_param (frame, i, rf_event_get_image_param (event, i));

  if (kind == RF_FRAME_KIND_FINAL)
    info->has_final = TRUE;
  else
    info->n_partials++;

  self->sink.frame_added (frame, b64, self->user_data);
}

static void
push_partial (RfAssembler *self,
              RfEvent     *event,
              LaneInfo    *info)
{
  const RfEventImage *image;
  g_autofree char *what = describe_event (event);
  gint64 seq = rf_event_get_sequence_number (event);
  gint64 index = rf_event_get_partial_image_index (event);
  int lane = rf_lane_get_index (info->lane);

  if (rf_event_get_n_images (event) == 0)
    return;

  image = rf_event_get_image (event, 0);

  if (info->has_final)
    _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "partial-after-final", seq, lane,
              /* TRANSLATORS: a diagnostic; %s names the event (“event 12
               * (…)”). A partial image is a blurry preview the server
               * streams before the final image */
              _("Image %d: a partial image arrived after its final image in %s"), lane + 1, what);

  if (index < 0)
    {
      index = info->n_partials;
      _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "bad-partial-index", seq, lane,
                _("Image %d: %s has no valid partial_image_index; numbered %lld by arrival"),
                lane + 1, what, (long long) index);
    }
  else if (g_hash_table_contains (info->partial_indexes, &index))
    {
      _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "duplicate-partial", seq, lane,
                /* TRANSLATORS: a diagnostic: a partial image with the same
                 * index came again; %lld is that index, %s names the event.
                 * A partial image is a blurry preview the server streams
                 * before the final image */
                _("Image %d: partial image %lld arrived twice (%s); both are kept"),
                lane + 1, (long long) index, what);
    }

  g_hash_table_add (info->partial_indexes, g_memdup2 (&index, sizeof index));
  add_frame (self, info, event, RF_FRAME_KIND_PARTIAL, index, image->b64,
             image->item_id ? image->item_id : info->item_id,
             image->output_index >= 0 ? image->output_index : info->output_index);
}

static void
push_final (RfAssembler        *self,
            RfEvent            *event,
            LaneInfo           *info,
            const RfEventImage *image)
{
  gint64 seq = rf_event_get_sequence_number (event);

  add_frame (self, info, event, RF_FRAME_KIND_FINAL, -1, image->b64,
             image->item_id ? image->item_id : info->item_id,
             image->output_index >= 0 ? image->output_index : info->output_index);
  check_partial_count (self, info, seq);
}

/* Sequence numbers remembered to tell a repeat from a late event: the
 * last ones only, so a run of millions of events holds a bounded set (a
 * repeat of an older number is reported as out of order). */
#define SEEN_WINDOW 65536

static void
remember_sequence (RfAssembler *self,
                   gint64       seq)
{
  if (g_hash_table_contains (self->seen_seqs, &seq))
    return;

  if (self->seen_ring == NULL)
    self->seen_ring = g_new (gint64, SEEN_WINDOW);

  if (self->seen_len == SEEN_WINDOW)
    {
      g_hash_table_remove (self->seen_seqs, &self->seen_ring[self->seen_head]);
      self->seen_ring[self->seen_head] = seq;
      self->seen_head = (self->seen_head + 1) % SEEN_WINDOW;
    }
  else
    {
      self->seen_ring[(self->seen_head + self->seen_len) % SEEN_WINDOW] = seq;
      self->seen_len++;
    }
  g_hash_table_add (self->seen_seqs, g_memdup2 (&seq, sizeof seq));
}

static gboolean
check_sequence (RfAssembler *self,
                RfEvent     *event)
{
  gint64 seq = rf_event_get_sequence_number (event);
  g_autofree char *what = NULL;

  if (seq < 0)
    return TRUE;

  if (self->resuming && seq <= self->resume_after)
    {
      self->n_replays_dropped++;
      return FALSE;
    }

  what = describe_event (event);

  if (g_hash_table_contains (self->seen_seqs, &seq))
    {
      _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "sequence-duplicate", seq, -1,
                /* TRANSLATORS: a diagnostic: two events carry the same
                 * number; %s names the second event. The sequence number is
                 * the number the server gives each event, in order */
                _("Sequence number %lld repeats in %s"), (long long) seq, what);
    }
  else if (seq < self->max_seq)
    {
      _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "sequence-order", seq, -1,
                /* TRANSLATORS: a diagnostic; %s names an event (“event 12
                 * (…)”). The sequence number is the number the server gives
                 * each event, in order */
                _("%s arrived after sequence number %lld (out of order)"),
                what, (long long) self->max_seq);
    }
  else if (seq - 1 > self->max_seq)
    {
      /* Ordered so that no step overflows, whatever the numbers. */
      gint64 missing = (seq - 1) - self->max_seq;

      _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "sequence-gap", seq, -1,
                g_dngettext (GETTEXT_PACKAGE,
                             /* TRANSLATORS: a diagnostic: a gap in the
                              * sequence numbers; %s names the event after
                              * the gap. The sequence number is the number
                              * the server gives each event, in order */
                             "%lld event is missing before %s",
                             "%lld events are missing before %s",
                             missing),
                (long long) missing, what);
    }

  remember_sequence (self, seq);
  self->max_seq = MAX (self->max_seq, seq);

  return TRUE;
}

/* The Images API has no item ids: one lane per image, a new one after
 * each final. */
static LaneInfo *
images_lane (RfAssembler *self)
{
  LaneInfo *info = NULL;

  self->saw_images_api = TRUE;

  if (self->lanes->len > 0)
    info = g_ptr_array_index (self->lanes, self->lanes->len - 1);
  if (info == NULL || info->has_final)
    info = add_lane (self, NULL, -1);

  return info;   /* NULL past the lane cap */
}

void
_rf_assembler_fail (RfAssembler *self,
                    const char  *message)
{
  self->failed = TRUE;
  self->sink.failure (message, self->user_data);
}

char *
_rf_assembler_error_text (RfEvent    *event,
                          const char *fallback)
{
  const char *code = rf_event_get_error_code (event);
  const char *message = rf_event_get_error_message (event);

  if (message != NULL && code != NULL)
    return g_strdup_printf ("%s (%s)", message, code);
  if (message != NULL)
    return g_strdup (message);
  if (code != NULL)
    return g_strdup (code);
  return g_strdup (fallback);
}

/* Chat completions and Gemini have no item ids: an image's place
 * ("choice 0 image 1", "candidate 0") makes its lane, and a new lane
 * starts after that place's final, as the model draws another image. */
static LaneInfo *
keyed_lane (RfAssembler        *self,
            const RfEventImage *image)
{
  LaneInfo *info = g_hash_table_lookup (self->by_key, image->lane_key);

  if (info == NULL || info->has_final)
    {
      /* Past the lane cap the key is not remembered either. */
      if ((info = add_lane (self, NULL, image->output_index)) != NULL)
        g_hash_table_replace (self->by_key, g_strdup (image->lane_key), info);
    }

  return info;
}

static void
push_keyed_images (RfAssembler *self,
                   RfEvent     *event)
{
  for (guint i = 0; i < rf_event_get_n_images (event); i++)
    {
      const RfEventImage *image = rf_event_get_image (event, i);
      LaneInfo *info;

      if (image->lane_key == NULL)
        continue;

      if ((info = keyed_lane (self, image)) == NULL)
        continue;
      if (image->partial)
        {
          /* Gemini's thought images carry no index: numbered by arrival. */
          gint64 index = info->n_partials;

          g_hash_table_add (info->partial_indexes, g_memdup2 (&index, sizeof index));
          add_frame (self, info, event, RF_FRAME_KIND_PARTIAL, index, image->b64, NULL,
                     image->output_index);
        }
      else
        {
          push_final (self, event, info, image);
        }
    }
}

/* Printable, short and single-line: the start of an event's text as a
 * diagnostic shows it. Control characters are escaped, so nothing from
 * the stream reaches a terminal as is. */
static char *
describe_start (const char *text)
{
  GString *s = g_string_new (NULL);
  const char *p = text;
  guint n = 0;

  while (*p != 0 && n < 60)
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_unichar (s, c);
      p = g_utf8_next_char (p);
      n++;
    }
  if (*p != 0)
    g_string_append (s, "…");

  return g_string_free (s, FALSE);
}

static void
note_format (RfAssembler *self,
             RfEvent     *event)
{
  RfStreamFormat format = rf_event_get_format (event);

  if (self->first_event == NULL)
    {
      const char *text = rf_event_get_elided_json (event);

      g_autofree char *start = describe_start (text ? text : "");

      self->first_event = g_strdup_printf ("“%s”", start);
      /* JSON that could not be read (too deep, two values) may well be an
       * image event: its problem is the news. Plain text is of another
       * kind, and says so by how it starts. */
      if (rf_event_get_kind (event) == RF_EVENT_INVALID && rf_event_get_problem (event) != NULL &&
          text != NULL && (text[strspn (text, " \t\r\n")] == '{' || text[strspn (text, " \t\r\n")] == '['))
        self->first_problem = g_strdup (rf_event_get_problem (event));
      else if (rf_event_get_kind (event) == RF_EVENT_INVALID && rf_event_get_problem (event) != NULL)
        {
          g_free (self->first_event);
          self->first_event = g_strdup_printf ("“%s” (%s)", start, rf_event_get_problem (event));
        }
    }

  if (self->format == RF_STREAM_FORMAT_UNKNOWN && format != RF_STREAM_FORMAT_UNKNOWN)
    self->format = format;

  if (rf_event_get_text (event) != NULL && *rf_event_get_text (event) != 0)
    self->saw_text = TRUE;

  if (rf_event_get_finish_reason (event) != NULL &&
      (rf_event_get_kind (event) == RF_EVENT_CHAT_CHUNK ||
       rf_event_get_kind (event) == RF_EVENT_GEMINI_CHUNK))
    {
      self->saw_finish = TRUE;
      g_free (self->finish_reason);
      self->finish_reason = g_strdup (rf_event_get_finish_reason (event));
    }
}

void
rf_assembler_note_oversized (RfAssembler *self,
                             const char  *type,
                             gint64       sequence_number)
{
  self->n_oversized++;
  if (type == NULL || strstr (type, "partial_image") != NULL)
    self->n_oversized_partials++;

  /* Its number was sent: the next event is no gap. */
  if (sequence_number >= 0 && !g_hash_table_contains (self->seen_seqs, &sequence_number))
    {
      g_hash_table_add (self->seen_seqs, g_memdup2 (&sequence_number, sizeof sequence_number));
      self->max_seq = MAX (self->max_seq, sequence_number);
    }
}

RfStreamFormat
rf_assembler_get_format (RfAssembler *self)
{
  return self->format;
}

gboolean
rf_assembler_push (RfAssembler *self,
                   RfEvent     *event)
{
  g_autofree char *what = NULL;
  RfEventKind kind;
  gint64 seq;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (RF_IS_EVENT (event), FALSE);

  if (!check_sequence (self, event))
    return FALSE;

  self->n_events++;
  kind = rf_event_get_kind (event);
  seq = rf_event_get_sequence_number (event);
  what = describe_event (event);
  note_format (self, event);

  if (self->ended && kind != RF_EVENT_DONE)
    {
      self->n_after_end++;
      _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "after-end", seq, -1,
                _("%s arrived after the end of the stream"), what);
    }

  if (rf_event_get_problem (event) != NULL)
    {
      if (kind == RF_EVENT_INVALID)
        _rf_assembler_diagnose (self, RF_SEVERITY_ERROR, "invalid-event", seq, -1,
                  _("%s is not usable: %s"), what, rf_event_get_problem (event));
      else
        _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "invalid-field", seq, -1,
                  "%s: %s", what, rf_event_get_problem (event));
    }

  switch (kind)
    {
    case RF_EVENT_RESPONSE_CREATED:
    case RF_EVENT_RESPONSE_QUEUED:
    case RF_EVENT_RESPONSE_IN_PROGRESS:
      if (rf_event_get_response_id (event) != NULL && self->response_id == NULL)
        {
          self->response_id = g_strdup (rf_event_get_response_id (event));
          self->sink.response_id (self->response_id, self->user_data);
        }
      if (self->requested_partials < 0 && rf_event_get_echoed_partial_images (event) >= 0)
        self->requested_partials = (int) rf_event_get_echoed_partial_images (event);
      break;

    case RF_EVENT_OUTPUT_ITEM_ADDED:
      if (g_strcmp0 (rf_event_get_item_type (event), "image_generation_call") == 0 ||
          g_strcmp0 (rf_event_get_item_type (event), "openrouter:image_generation") == 0)
        {
          /* Announced only with its lane: past the lane cap nothing of
           * the item is remembered. */
          if (ensure_lane (self, rf_event_get_item_id (event), rf_event_get_output_index (event)) != NULL &&
              rf_event_get_item_id (event) != NULL)
            g_hash_table_add (self->announced_items, g_strdup (rf_event_get_item_id (event)));
        }
      break;

    case RF_EVENT_IMAGE_CALL_IN_PROGRESS:
    case RF_EVENT_IMAGE_CALL_GENERATING:
    case RF_EVENT_IMAGE_CALL_COMPLETED:
      ensure_lane (self, rf_event_get_item_id (event), rf_event_get_output_index (event));
      break;

    case RF_EVENT_IMAGE_CALL_PARTIAL:
      {
        const char *item_id = rf_event_get_item_id (event);
        LaneInfo *info;

        gboolean unknown = FALSE;

        /* The lanes are full and this is none of them: said once. */
        if (self->lanes->len >= RF_ASSEMBLER_MAX_LANES &&
            find_lane (self, item_id, rf_event_get_output_index (event)) == NULL)
          {
            add_lane (self, item_id, rf_event_get_output_index (event));
            break;
          }

        if (item_id != NULL && g_hash_table_size (self->announced_items) > 0 &&
            !g_hash_table_contains (self->announced_items, item_id) &&
            !g_hash_table_contains (self->by_item_id, item_id))
          {
            unknown = TRUE;
            _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "unknown-item", seq, -1,
                      _("%s names item “%s”, which no output_item.added announced"), what, item_id);
          }

        info = ensure_lane (self, item_id, rf_event_get_output_index (event));
        /* A stray item's missing final is not the stream's failure. */
        if (unknown && info->n_partials == 0 && !info->has_final)
          info->unannounced = TRUE;
        push_partial (self, event, info);
      }
      break;

    case RF_EVENT_OUTPUT_ITEM_DONE:
      {
        const char *item_type = rf_event_get_item_type (event);
        LaneInfo *info;

        if (g_strcmp0 (item_type, "image_generation_call") != 0 &&
            g_strcmp0 (item_type, "openrouter:image_generation") != 0)
          break;

        if ((info = ensure_lane (self, rf_event_get_item_id (event), rf_event_get_output_index (event))) == NULL)
          break;

        if (rf_event_get_revised_prompt (event) != NULL)
          self->sink.revised_prompt (info->lane, rf_event_get_revised_prompt (event), self->user_data);

        if (rf_event_get_n_images (event) > 0)
          {
            if (info->has_final)
              _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "duplicate-final", seq, rf_lane_get_index (info->lane),
                        _("Image %u: %s carries a second final image; it was ignored"),
                        rf_lane_get_index (info->lane) + 1, what);
            else
              push_final (self, event, info, rf_event_get_image (event, 0));
          }
        else if (g_strcmp0 (rf_event_get_item_status (event), "failed") == 0)
          {
            info->failed = TRUE;
            _rf_assembler_diagnose (self, RF_SEVERITY_ERROR, "image-failed", seq, rf_lane_get_index (info->lane),
                      _("Image %u: the image generation call failed (%s)"),
                      rf_lane_get_index (info->lane) + 1, what);
          }
      }
      break;

    case RF_EVENT_RESPONSE_COMPLETED:
      /* The repeat of each result: a final only where no output_item.done
       * carried that image. */
      for (guint i = 0; i < rf_event_get_n_images (event); i++)
        {
          const RfEventImage *image = rf_event_get_image (event, i);
          LaneInfo *info = ensure_lane (self, image->item_id, image->output_index);

          if (info != NULL && !info->has_final)
            push_final (self, event, info, image);
        }
      self->ended = TRUE;
      break;

    case RF_EVENT_RESPONSE_FAILED:
    case RF_EVENT_RESPONSE_INCOMPLETE:
      {
        gboolean failed = kind == RF_EVENT_RESPONSE_FAILED;
        g_autofree char *text = _rf_assembler_error_text (event, _("no reason given"));
        g_autofree char *message = NULL;

        message = failed
          ? g_strdup_printf (_("The response failed in %s: %s"), what, text)
          : g_strdup_printf (_("The response is incomplete in %s: %s"), what, text);
        _rf_assembler_diagnose (self, RF_SEVERITY_ERROR, failed ? "response-failed" : "response-incomplete",
                  seq, -1, "%s", message);
        _rf_assembler_fail (self, message);
        self->ended = TRUE;
      }
      break;

    case RF_EVENT_ERROR:
      {
        g_autofree char *text = _rf_assembler_error_text (event, _("no message"));
        g_autofree char *message = g_strdup_printf (_("The stream reported an error in %s: %s"), what, text);

        _rf_assembler_diagnose (self, RF_SEVERITY_ERROR, "stream-error", seq, -1, "%s", message);
        _rf_assembler_fail (self, message);
      }
      break;

    case RF_EVENT_IMAGES_PARTIAL:
      {
        LaneInfo *info = images_lane (self);

        if (info != NULL)
          push_partial (self, event, info);
      }
      break;

    case RF_EVENT_IMAGES_COMPLETED:
      {
        LaneInfo *info = images_lane (self);

        if (info != NULL && rf_event_get_n_images (event) > 0)
          push_final (self, event, info, rf_event_get_image (event, 0));
      }
      break;

    case RF_EVENT_DONE:
      self->ended = TRUE;
      break;

    case RF_EVENT_CHAT_CHUNK:
    case RF_EVENT_GEMINI_CHUNK:
      push_keyed_images (self, event);
      if (rf_event_get_error_message (event) != NULL || rf_event_get_error_code (event) != NULL)
        {
          g_autofree char *text = _rf_assembler_error_text (event, _("no message"));
          g_autofree char *message = g_strdup_printf (_("The stream reported an error in %s: %s"), what, text);

          _rf_assembler_diagnose (self, RF_SEVERITY_ERROR, "stream-error", seq, -1, "%s", message);
          _rf_assembler_fail (self, message);
        }
      break;

    case RF_EVENT_KEEPALIVE:
    case RF_EVENT_IMAGES_TEXT_CHUNK:
    case RF_EVENT_INVALID:
    case RF_EVENT_OTHER:
    default:
      break;
    }

  return TRUE;
}
