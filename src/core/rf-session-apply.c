/*
 * rf-session-apply.c
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

#define G_LOG_DOMAIN "rf-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rf-analyzer.h"
#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-frame-private.h"
#include "rf-image-params.h"
#include "rf-ingest-private.h"
#include "rf-lane-private.h"
#include "rf-session-private.h"

/* What a run's ingest posts, applied to the model on the session's
 * thread: events and diagnostics (kept within their caps, counted past
 * them), lanes and frames, decode results (pixels to the cache, a
 * failure as a diagnostic, the frame to the analyzer), the analyzer's
 * measures, and the run's end. The model and its getters are in
 * rf-session.c. */

/* g_set_str() is GLib 2.76. */
void
_rf_session_set_str (char       **field,
                     const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static void
keep_diagnostic (RfSession    *self,
                 RfDiagnostic *diagnostic)
{
  g_list_store_append (self->diagnostics, diagnostic);
  g_signal_emit (self, _rf_session_signals [DIAGNOSTIC_ADDED], 0, diagnostic);
}

/* Codes are a fixed set of the program's, so a cap per code bounds the
 * diagnostics kept, and a flood of one kind (a warning per event) never
 * hides the others (the error that ended the run comes last). */
static void
add_diagnostic (RfSession    *self,
                RfDiagnostic *diagnostic)
{
  const char *code = rf_diagnostic_get_code (diagnostic);
  guint count;

  if (code == NULL)
    code = "";

  if (rf_diagnostic_get_severity (diagnostic) == RF_SEVERITY_ERROR)
    self->has_errors = TRUE;

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->diagnostic_counts, code)) + 1;
  if (count < G_MAXUINT)
    g_hash_table_insert (self->diagnostic_counts, g_strdup (code), GUINT_TO_POINTER (count));

  if (count <= RF_SESSION_MAX_DIAGNOSTICS_PER_CODE)
    {
      keep_diagnostic (self, diagnostic);
      return;
    }

  self->n_diagnostics_dropped++;
  if (count == RF_SESSION_MAX_DIAGNOSTICS_PER_CODE + 1)
    {
      g_autoptr(RfDiagnostic) note = NULL;

      note = rf_diagnostic_new_printf (RF_SEVERITY_INFO, "diagnostics-not-kept", -1,
                                       _("More than %u “%s” diagnostics: the later ones are counted, not kept"),
                                       RF_SESSION_MAX_DIAGNOSTICS_PER_CODE, code);
      keep_diagnostic (self, note);
    }
}

/* The first events are kept for the log and the timeline; past the caps
 * a run of any length is counted, and its events still pass through
 * ::event-added (--dump=events writes them all). */
static void
add_event (RfSession *self,
           RfEvent   *event)
{
  gsize size = rf_event_get_kept_size (event);

  if (self->n_events < G_MAXUINT)
    self->n_events++;

  if (!self->events_capped &&
      (g_list_model_get_n_items (G_LIST_MODEL (self->events)) >= RF_SESSION_MAX_EVENTS ||
       self->kept_event_bytes + size > RF_SESSION_MAX_EVENT_BYTES))
    {
      g_autoptr(RfDiagnostic) note = NULL;
      g_autofree char *bytes = g_format_size (RF_SESSION_MAX_EVENT_BYTES);

      self->events_capped = TRUE;
      note = rf_diagnostic_new_printf (RF_SEVERITY_INFO, "events-not-kept", -1,
                                       g_dngettext (GETTEXT_PACKAGE,
                                                    /* TRANSLATORS: a diagnostic: the event
                                                     * log’s limits, a count and a size. An
                                                     * event is one server-sent event of
                                                     * the stream */
                                                    "The log keeps the first %u event (at most %u, %s); the later ones are counted, not kept",
                                                    "The log keeps the first %u events (at most %u, %s); the later ones are counted, not kept",
                                                    g_list_model_get_n_items (G_LIST_MODEL (self->events))),
                                       g_list_model_get_n_items (G_LIST_MODEL (self->events)),
                                       RF_SESSION_MAX_EVENTS, bytes);
      add_diagnostic (self, note);
    }

  if (!self->events_capped)
    {
      self->kept_event_bytes += size;
      g_list_store_append (self->events, event);
    }
  g_signal_emit (self, _rf_session_signals [EVENT_ADDED], 0, event);
}

static void
check_finished (RfSession *self)
{
  if (self->finished || !self->eof || self->n_decoded < self->n_frames_total ||
      self->n_analyzed < self->n_to_analyze)
    return;

  self->finished = TRUE;
  self->end_time = g_get_monotonic_time ();

  if (self->cancel_requested)
    _rf_session_set_state (self, RF_SESSION_STATE_CANCELLED);
  else if (self->error != NULL || self->failure_message != NULL)
    _rf_session_set_state (self, RF_SESSION_STATE_FAILED);
  else
    _rf_session_set_state (self, RF_SESSION_STATE_FINISHED);

  g_object_notify_by_pspec (G_OBJECT (self), _rf_session_properties [PROP_FINISHED]);
  g_signal_emit (self, _rf_session_signals [FINISHED], 0);
}

/* A final image whose pixels are not the size the server said it sent
 * (else the size the request asked for): a warning, as a client that
 * trusts the number would lay it out wrongly. */
static void
check_size (RfSession *self,
            RfFrame   *frame)
{
  g_autoptr(RfDiagnostic) diagnostic = NULL;
  g_autofree char *requested = NULL;
  const char *said = rf_frame_get_image_param (frame, RF_IMAGE_PARAM_SIZE);
  int width, height;

  if (said == NULL)
    {
      RfLane *lane = rf_session_get_lane (self, rf_frame_get_lane_index (frame));

      said = lane != NULL ? rf_image_params_get_echoed (lane, RF_IMAGE_PARAM_SIZE) : NULL;
    }
  if (said == NULL)
    said = requested = rf_image_params_dup_requested (self->request_json, RF_IMAGE_PARAM_SIZE);

  if (!rf_image_params_parse_size (said, &width, &height) ||
      (width == rf_frame_get_width (frame) && height == rf_frame_get_height (frame)))
    return;

  if (requested == NULL)
    diagnostic = rf_diagnostic_new_printf (RF_SEVERITY_WARNING, "size-mismatch",
                                           rf_frame_get_sequence_number (frame),
                                           /* TRANSLATORS: a diagnostic; the first %s
                                            * is a size as the server wrote it, e.g.
                                            * 1024x1536, then the decoded image’s
                                            * width and height in pixels */
                                           _("Image %u: the server gave its size as %s, but the image is %d×%d"),
                                           rf_frame_get_lane_index (frame) + 1, said,
                                           rf_frame_get_width (frame), rf_frame_get_height (frame));
  else
    diagnostic = rf_diagnostic_new_printf (RF_SEVERITY_WARNING, "size-mismatch",
                                           rf_frame_get_sequence_number (frame),
                                           /* TRANSLATORS: a diagnostic; the first %s
                                            * is a size as the request wrote it, e.g.
                                            * 1024x1536, then the decoded image’s
                                            * width and height in pixels */
                                           _("Image %u: the request asked for %s, but the image is %d×%d"),
                                           rf_frame_get_lane_index (frame) + 1, said,
                                           rf_frame_get_width (frame), rf_frame_get_height (frame));
  rf_diagnostic_set_lane (diagnostic, (int) rf_frame_get_lane_index (frame));
  add_diagnostic (self, diagnostic);
}

static void
apply_decoded (RfSession      *self,
               RfFrame        *frame,
               RfDecodeResult *result)
{
  _rf_frame_apply_result (frame, result);

  if (result->pixbuf != NULL)
    _rf_session_cache_insert (self, frame, result->pixbuf);

  if (result->status == RF_DECODE_FAILED)
    {
      g_autoptr(RfDiagnostic) diagnostic = NULL;
      g_autofree char *label = rf_frame_dup_label (frame);

      if (rf_frame_get_sequence_number (frame) >= 0)
        diagnostic = rf_diagnostic_new_printf (RF_SEVERITY_ERROR, "decode-failed",
                                               rf_frame_get_sequence_number (frame),
                                               /* TRANSLATORS: a diagnostic; %s is
                                                * “partial 0” or “final”, then the
                                                * event’s sequence number and why. The
                                                * sequence number is the number the
                                                * server gives each event, in order */
                                               _("Image %u, %s (event %lld) did not decode: %s"),
                                               rf_frame_get_lane_index (frame) + 1, label,
                                               (long long) rf_frame_get_sequence_number (frame),
                                               result->error);
      else
        diagnostic = rf_diagnostic_new_printf (RF_SEVERITY_ERROR, "decode-failed", -1,
                                               /* TRANSLATORS: a diagnostic; %s is
                                                * “partial 0” or “final”, then the
                                                * event’s position in the stream and
                                                * why. An event is one server-sent
                                                * event of the stream */
                                               _("Image %u, %s (event #%u) did not decode: %s"),
                                               rf_frame_get_lane_index (frame) + 1, label,
                                               rf_frame_get_event_position (frame) + 1,
                                               result->error);
      rf_diagnostic_set_lane (diagnostic, (int) rf_frame_get_lane_index (frame));
      add_diagnostic (self, diagnostic);
    }

  if (result->status == RF_DECODE_OK && rf_frame_get_kind (frame) == RF_FRAME_KIND_FINAL)
    check_size (self, frame);

  self->n_decoded++;
  g_signal_emit (self, _rf_session_signals [FRAME_DECODED], 0, frame);

  if (self->analyzer != NULL)
    {
      RfLane *lane = rf_session_get_lane (self, rf_frame_get_lane_index (frame));
      GListModel *lane_frames = lane ? rf_lane_get_frames (lane) : NULL;
      guint n = lane_frames ? g_list_model_get_n_items (lane_frames) : 0;

      /* Its position in its lane: the analyzer measures a lane in order.
       * Newest first, as decodes finish near the end of their lane. */
      for (guint i = n; i > 0; i--)
        {
          g_autoptr(RfFrame) other = g_list_model_get_item (lane_frames, i - 1);

          if (other == frame)
            {
              self->n_to_analyze++;
              rf_analyzer_push (self->analyzer, frame, i - 1,
                                result->status == RF_DECODE_OK, result->pixbuf);
              break;
            }
        }
    }
}

void
_rf_session_analyzed_cb (RfAnalysisResult *result,
                         gpointer          user_data)
{
  RfSession *self = user_data;

  if (result->has_diff_prev)
    _rf_frame_set_diff_prev (result->frame, result->diff_prev, result->diff_prev_rgb);
  if (result->has_ssim_final)
    _rf_frame_set_ssim_final (result->frame, result->ssim_final);
  if (result->counted)
    self->n_analyzed++;

  /* Its measures stay null: say why, once a run, rather than leave the
   * plot and the figures without it unexplained. */
  if (result->too_large && !self->noted_unmeasured)
    {
      g_autoptr(RfDiagnostic) note = NULL;

      self->noted_unmeasured = TRUE;
      note = rf_diagnostic_new_printf (RF_SEVERITY_INFO, "not-measured", -1,
                                       /* TRANSLATORS: a diagnostic; %u×%u is a frame’s
                                        * size in pixels, the last %u a number of
                                        * megapixels. A frame is one picture of the
                                        * sequence (a partial image or the final one);
                                        * its measures are how much it changed and how
                                        * close it is to the final */
                                       _("A frame of %u×%u is not measured: frames over %u megapixels are "
                                         "left out of the change and closeness figures"),
                                       rf_frame_get_width (result->frame), rf_frame_get_height (result->frame),
                                       RF_ANALYZER_MAX_PIXELS / 1000000);
      add_diagnostic (self, note);
    }

  g_signal_emit (self, _rf_session_signals [FRAME_ANALYZED], 0, result->frame);
  check_finished (self);
}

void
_rf_session_apply_msg (gpointer     data,
                       RfIngestMsg *msg)
{
  RfSession *self = data;

  if (msg->bytes > self->bytes_received)
    self->bytes_received = msg->bytes;

  switch (msg->kind)
    {
    case RF_INGEST_MSG_STATE:
      if (!self->finished && !self->cancel_requested)
        _rf_session_set_state (self, msg->number);
      break;

    case RF_INGEST_MSG_SSE:
      g_signal_emit (self, _rf_session_signals [SSE], 0, msg->sse_event, msg->sse_data, msg->text3);
      break;

    case RF_INGEST_MSG_EVENT:
      {
        RfEvent *event = RF_EVENT (msg->object);

        if (rf_event_get_t_ms (event) > self->duration_ms)
          {
            self->duration_ms = rf_event_get_t_ms (event);
            g_object_notify_by_pspec (G_OBJECT (self), _rf_session_properties [PROP_DURATION_MS]);
          }
        /* The assembler takes the requested count from the tool echoed in
         * the envelope when the request did not say: so does the model. */
        if (self->requested_partials < 0 && rf_event_get_echoed_partial_images (event) >= 0)
          self->requested_partials = (int) rf_event_get_echoed_partial_images (event);
        if (self->stream_format == RF_STREAM_FORMAT_UNKNOWN)
          self->stream_format = rf_event_get_format (event);
        /* Later chunks repeat or refine these: the last one sent wins
         * (chat usage grows to its final count in the last chunk). */
        if (rf_event_get_model (event) != NULL)
          _rf_session_set_str (&self->model, rf_event_get_model (event));
        if (rf_event_get_provider (event) != NULL)
          _rf_session_set_str (&self->provider, rf_event_get_provider (event));
        if (rf_event_get_usage_json (event) != NULL)
          _rf_session_set_str (&self->usage_json, rf_event_get_usage_json (event));
        add_event (self, event);
      }
      break;

    case RF_INGEST_MSG_LANE:
      g_list_store_append (self->lanes, msg->object);
      g_signal_emit (self, _rf_session_signals [LANE_ADDED], 0, msg->object);
      break;

    case RF_INGEST_MSG_FRAME:
      {
        RfFrame *frame = RF_FRAME (msg->object);
        RfLane *lane = rf_session_get_lane (self, rf_frame_get_lane_index (frame));

        if (lane != NULL)
          _rf_lane_add_frame (lane, frame);
        g_list_store_append (self->frames, frame);
        self->n_frames_total++;
        g_object_notify_by_pspec (G_OBJECT (self), _rf_session_properties [PROP_N_FRAMES]);
        g_signal_emit (self, _rf_session_signals [FRAME_ADDED], 0, frame);
      }
      break;

    case RF_INGEST_MSG_DIAGNOSTIC:
      add_diagnostic (self, RF_DIAGNOSTIC (msg->object));
      break;

    case RF_INGEST_MSG_DECODED:
      apply_decoded (self, RF_FRAME (msg->object), msg->result);
      if (self->ingest != NULL)
        _rf_ingest_release_decode (self->ingest);
      /* Follow the newest frame once it can be shown, so the canvas never
       * switches to a frame that has no pixels yet. */
      if (self->follow && rf_frame_get_decode_status (RF_FRAME (msg->object)) == RF_DECODE_OK)
        {
          guint n = g_list_model_get_n_items (G_LIST_MODEL (self->frames));
          g_autoptr(RfFrame) newest = n ? g_list_model_get_item (G_LIST_MODEL (self->frames), n - 1) : NULL;

          if (newest == RF_FRAME (msg->object) || self->selected_frame == NULL ||
              rf_frame_get_index (RF_FRAME (msg->object)) > rf_frame_get_index (self->selected_frame))
            _rf_session_select_frame (self, RF_FRAME (msg->object));
        }
      check_finished (self);
      break;

    case RF_INGEST_MSG_REVISED_PROMPT:
      _rf_lane_set_revised_prompt (RF_LANE (msg->object), msg->text);
      break;

    case RF_INGEST_MSG_REQUEST:
      g_free (self->request_json);
      self->request_json = g_strdup (msg->text);
      self->requested_partials = msg->number;
      g_object_notify_by_pspec (G_OBJECT (self), _rf_session_properties [PROP_REQUEST_JSON]);
      break;

    case RF_INGEST_MSG_RESPONSE_ID:
      g_free (self->response_id);
      self->response_id = g_strdup (msg->text);
      g_object_notify_by_pspec (G_OBJECT (self), _rf_session_properties [PROP_RESPONSE_ID]);
      break;

    case RF_INGEST_MSG_FAILURE:
      if (self->failure_message == NULL)
        {
          self->failure_message = g_strdup (msg->text);
          g_object_notify_by_pspec (G_OBJECT (self), _rf_session_properties [PROP_FAILURE_MESSAGE]);
        }
      break;

    case RF_INGEST_MSG_ARRIVING:
      if (!self->finished && !self->cancel_requested)
        g_signal_emit (self, _rf_session_signals [FRAME_ARRIVING], 0,
                       msg->index, msg->object, msg->number);
      break;

    case RF_INGEST_MSG_EOF:
      self->eof = TRUE;
      if (msg->t_ms >= 0)
        self->recorded_ms = MAX (msg->t_ms, self->duration_ms);
      if (msg->error != NULL && !self->cancel_requested)
        {
          self->error = g_error_copy (msg->error);
          if (self->failure_message == NULL)
            {
              self->failure_message = g_strdup (msg->error->message);
              g_object_notify_by_pspec (G_OBJECT (self), _rf_session_properties [PROP_FAILURE_MESSAGE]);
            }
        }
      check_finished (self);
      break;

    default:
      g_assert_not_reached ();
    }
}
