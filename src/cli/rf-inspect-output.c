/*
 * rf-inspect-output.c
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

#define G_LOG_DOMAIN "rf-inspect"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "rf-types.h"

#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-frame.h"
#include "rf-inspect-output.h"
#include "rf-lane.h"
#include "rf-run-summary.h"
#include "rf-session.h"
#include "rf-source.h"
#include "rf-text.h"

void
rf_inspect_append_json_string (GString    *out,
                               const char *s,
                               gsize       len)
{
  gsize run = 0;

  g_string_append_c (out, '"');

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];
      gsize n = 0;

      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
        {
          run++;
          continue;
        }

      /* Multi-byte UTF-8: copied unless it is not valid (the document
       * must be UTF-8 whatever the input held) or is a control. */
      if (c >= 0x80)
        {
          gsize seq;

          if (c < 0xc2 || c > 0xf4)
            seq = 1;
          else
            seq = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

          if (seq > 1 && i + seq <= len && g_utf8_validate (s + i, seq, NULL))
            {
              if ((n = rf_text_control_len ((const guchar *) s + i, len - i)) == 0)
                {
                  run += seq;
                  i += seq - 1;
                  continue;
                }
            }

          g_string_append_len (out, s + i - run, run);
          run = 0;

          if (n > 0)
            {
              g_string_append_printf (out, "\\u%04x", g_utf8_get_char (s + i));
              i += n - 1;
            }
          else
            g_string_append (out, "\\ufffd");
          continue;
        }

      g_string_append_len (out, s + i - run, run);
      run = 0;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:   g_string_append_printf (out, "\\u%04x", c); break;
        }
    }

  g_string_append_len (out, s + len - run, run);
  g_string_append_c (out, '"');
}

static void
append_nullable_string (GString    *out,
                        const char *s)
{
  if (s == NULL)
    g_string_append (out, "null");
  else
    rf_inspect_append_json_string (out, s, strlen (s));
}

static void
append_nullable_int (GString *out,
                     gint64   v)
{
  if (v < 0)
    g_string_append (out, "null");
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT, v);
}

void
rf_inspect_print_sse (GString    *out,
                      GBytes     *event,
                      GBytes     *data,
                      const char *id)
{
  gsize len;
  const char *text;

  /* Bytes with a length: a U+0000 in the stream is written \u0000. */
  g_string_append (out, "{\"event\":");
  text = event ? g_bytes_get_data (event, &len) : NULL;
  if (text != NULL)
    rf_inspect_append_json_string (out, text, len);
  else
    g_string_append (out, "\"message\"");
  g_string_append (out, ",\"data\":");
  text = data ? g_bytes_get_data (data, &len) : NULL;
  rf_inspect_append_json_string (out, text ? text : "", text ? len : 0);
  g_string_append (out, ",\"id\":");
  append_nullable_string (out, id ? id : "");
  g_string_append (out, "}\n");
}

void
rf_inspect_print_event (GString *out,
                        RfEvent *event)
{
  g_string_append (out, "{\"type\":");
  append_nullable_string (out, rf_event_get_type_name (event));
  g_string_append (out, ",\"sequence_number\":");
  append_nullable_int (out, rf_event_get_sequence_number (event));
  g_string_append (out, ",\"item_id\":");
  append_nullable_string (out, rf_event_get_item_id (event));
  g_string_append (out, ",\"output_index\":");
  append_nullable_int (out, rf_event_get_output_index (event));
  g_string_append (out, ",\"partial_image_index\":");
  append_nullable_int (out, rf_event_get_partial_image_index (event));
  g_string_append (out, ",\"image_bytes\":");
  append_nullable_int (out, rf_event_get_image_bytes (event));
  g_string_append (out, ",\"image_sha256\":");
  append_nullable_string (out, rf_event_get_image_sha256 (event));
  g_string_append_printf (out, ",\"t_ms\":%" G_GINT64_FORMAT, rf_event_get_t_ms (event));
  if (rf_event_get_problem (event) != NULL)
    {
      g_string_append (out, ",\"problem\":");
      append_nullable_string (out, rf_event_get_problem (event));
    }
  g_string_append (out, "}\n");
}

void
rf_inspect_print_diagnostic (GString      *out,
                             RfDiagnostic *diagnostic)
{
  g_string_append (out, "{\"type\":\"diagnostic\",\"severity\":");
  append_nullable_string (out, rf_severity_to_string (rf_diagnostic_get_severity (diagnostic)));
  g_string_append (out, ",\"code\":");
  append_nullable_string (out, rf_diagnostic_get_code (diagnostic));
  g_string_append (out, ",\"message\":");
  append_nullable_string (out, rf_diagnostic_get_message (diagnostic));
  g_string_append (out, ",\"sequence_number\":");
  append_nullable_int (out, rf_diagnostic_get_sequence_number (diagnostic));
  g_string_append (out, "}\n");
}

static char *
format_bytes (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_DEFAULT);
}

/* Columns are counted in what a terminal shows, not in bytes: "×", "é"
 * take two bytes and one cell, CJK characters one character and two cells,
 * combining marks none. */
guint
rf_inspect_display_width (const char *s)
{
  guint width = 0;

  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

void
rf_inspect_append_padded (GString    *out,
                          const char *s,
                          guint       width)
{
  guint w = rf_inspect_display_width (s);

  g_string_append (out, s);
  for (; w < width; w++)
    g_string_append_c (out, ' ');
}

void
rf_inspect_print_summary (GString   *out,
                          RfSession *session)
{
  GListModel *lanes = rf_session_get_lanes (session);
  GListModel *frames_model = rf_session_get_frames (session);
  GListModel *diagnostics = rf_session_get_diagnostics (session);
  guint n_lanes = g_list_model_get_n_items (lanes);
  guint n_frames = g_list_model_get_n_items (frames_model);
  guint n_events = rf_session_get_n_events (session);
  g_autofree char *description = rf_source_dup_description (rf_session_get_source (session));
  g_autofree char *source = rf_text_show (description, RF_TEXT_SHOW_LONG);
  g_autofree char *received = format_bytes (rf_session_get_bytes_received (session));
  g_autofree char *lanes_text = NULL;
  g_autofree char *frames_text = NULL;
  g_autofree char *events_text = NULL;
  guint label_width = 10;
  guint severity_width = 0;

  /* One width for every frame's label, whatever the language makes of
   * "partial 0" and "final". */
  for (guint i = 0; i < n_frames; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (frames_model, i);
      g_autofree char *label = rf_frame_dup_label (frame);

      label_width = MAX (label_width, rf_inspect_display_width (label));
    }
  for (RfSeverity sev = RF_SEVERITY_INFO; sev <= RF_SEVERITY_ERROR; sev++)
    severity_width = MAX (severity_width, rf_inspect_display_width (rf_severity_to_display (sev)));

  g_string_append_printf (out, _("Source: %s\n"), source);
  /* Every text from the stream goes through rf_inspect_escape(): an
   * escape sequence must not drive the terminal, nor a CR or LF forge a
   * line of the summary. */
  if (rf_session_get_response_id (session) != NULL)
    {
      g_autofree char *id = rf_text_show (rf_session_get_response_id (session), RF_TEXT_SHOW_SHORT);
      g_string_append_printf (out, _("Response: %s\n"), id);
    }
  if (rf_session_get_requested_partials (session) >= 0)
    /* TRANSLATORS: refinery-inspect’s summary: how many partial images the
     * request asked for. A partial image is a blurry preview the server
     * streams before the final image */
    g_string_append_printf (out, _("Requested partial images: %d\n"),
                            rf_session_get_requested_partials (session));
  if (rf_session_get_stream_format (session) != RF_STREAM_FORMAT_UNKNOWN)
    g_string_append_printf (out, _("Format: %s\n"),
                            rf_stream_format_to_string (rf_session_get_stream_format (session)));
  if (rf_session_get_model (session) != NULL)
    {
      g_autofree char *model = rf_text_show (rf_session_get_model (session), RF_TEXT_SHOW_SHORT);
      g_autofree char *provider = rf_session_get_provider (session)
        ? rf_text_show (rf_session_get_provider (session), RF_TEXT_SHOW_SHORT) : NULL;

      if (provider != NULL)
        /* Translators: the model, then the provider that ran it */
        g_string_append_printf (out, _("Model: %s (%s)\n"), model, provider);
      else
        g_string_append_printf (out, _("Model: %s\n"), model);
    }
  if (rf_session_get_usage_json (session) != NULL)
    {
      g_autofree char *usage = rf_text_show (rf_session_get_usage_json (session), RF_TEXT_SHOW_LONG);
      g_string_append_printf (out, _("Usage: %s\n"), usage);
    }

  for (guint i = 0; i < n_lanes; i++)
    {
      g_autoptr(RfLane) lane = g_list_model_get_item (lanes, i);
      GListModel *frames = rf_lane_get_frames (lane);
      guint n = g_list_model_get_n_items (frames);
      g_autofree char *item_id = rf_text_show (rf_lane_get_item_id (lane) ? rf_lane_get_item_id (lane) : "-",
                                                 RF_TEXT_SHOW_SHORT);
      guint n_partials = rf_lane_get_n_partials (lane);
      g_autofree char *partials = NULL;
      g_autofree char *output = NULL;

      partials = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               /* TRANSLATORS: refinery-inspect’s
                                                * summary, in a lane’s line. A partial
                                                * image is a blurry preview the server
                                                * streams before the final image */
                                               "%u partial image", "%u partial images",
                                               n_partials),
                                  n_partials);
      /* Images API streams number no outputs: a dash, not "-1". */
      if (rf_lane_get_output_index (lane) >= 0)
        output = g_strdup_printf ("%lld", (long long) rf_lane_get_output_index (lane));
      else
        output = g_strdup ("—");
      /* TRANSLATORS: a lane is the row of frames of one image; "item" is
       * the stream's id for that image, "output" its position in the
       * response; then "3 partial images" and "final" or "no final" */
      g_string_append_printf (out, _("Lane %u: item %s, output %s — %s, %s\n"),
                              i,
                              item_id,
                              output,
                              partials,
                              /* TRANSLATORS: whether the lane received its final image */
                              rf_lane_get_final (lane) ? _("final") : _("no final"));

      for (guint j = 0; j < n; j++)
        {
          g_autoptr(RfFrame) frame = g_list_model_get_item (frames, j);
          g_autofree char *label = rf_frame_dup_label (frame);
          g_autofree char *seq = rf_frame_get_sequence_number (frame) >= 0
            ? g_strdup_printf ("%lld", (long long) rf_frame_get_sequence_number (frame))
            : g_strdup ("-");

          double diff, ssim;
          g_autofree char *diff_text = rf_frame_get_diff_prev (frame, &diff, NULL)
            ? g_strdup_printf ("%5.1f", diff) : g_strdup ("    -");
          g_autofree char *ssim_text = rf_frame_get_ssim_final (frame, &ssim)
            ? g_strdup_printf ("%.4f", ssim) : g_strdup ("     -");

          g_string_append (out, "  ");
          rf_inspect_append_padded (out, label, label_width);
          g_string_append_c (out, ' ');
          if (rf_frame_get_decode_status (frame) == RF_DECODE_OK)
            g_string_append_printf (out,
                                    /* TRANSLATORS: one frame (one decoded partial or final
                                     * image) of refinery-inspect's summary: "seq" its event's
                                     * sequence number in the stream, size, format, bytes,
                                     * "t=" its arrival after the start, "decode" the time its
                                     * decoding took, "sha256" a hash of its bytes, "diff" its
                                     * change from the frame before, "ssim" its likeness to the
                                     * final image. Keep the widths (%-5s, %9lu…) so the
                                     * columns line up. */
                                    _("seq %-5s %4d×%-4d %-4s %9lu B  t=%6lld ms  decode %6.1f ms  sha256 %.12s  diff %s  ssim %s\n"),
                                    seq,
                                    rf_frame_get_width (frame), rf_frame_get_height (frame),
                                    rf_image_format_to_string (rf_frame_get_format (frame)),
                                    (unsigned long) rf_frame_get_encoded_size (frame),
                                    (long long) rf_frame_get_t_ms (frame),
                                    rf_frame_get_decode_ms (frame),
                                    rf_frame_get_sha256 (frame),
                                    diff_text, ssim_text);
          else
            {
              g_autofree char *why = rf_text_show (rf_frame_get_decode_error (frame)
                                                        ? rf_frame_get_decode_error (frame) : "?",
                                                        RF_TEXT_SHOW_LONG);

              /* TRANSLATORS: a frame that did not decode: sequence number, arrival, why */
              g_string_append_printf (out, _("seq %-5s t=%6lld ms  NOT DECODED: %s\n"),
                                      seq, (long long) rf_frame_get_t_ms (frame), why);
            }
        }
    }

  if (g_list_model_get_n_items (diagnostics) > 0)
    {
      g_string_append (out, _("Diagnostics:\n"));
      for (guint i = 0; i < g_list_model_get_n_items (diagnostics); i++)
        {
          g_autoptr(RfDiagnostic) d = g_list_model_get_item (diagnostics, i);
          g_autofree char *code = rf_text_show (rf_diagnostic_get_code (d), RF_TEXT_SHOW_SHORT);
          g_autofree char *message = rf_text_show (rf_diagnostic_get_message (d), RF_TEXT_SHOW_LONG);

          g_string_append (out, "  ");
          rf_inspect_append_padded (out, rf_severity_to_display (rf_diagnostic_get_severity (d)), severity_width);
          g_string_append_printf (out, " [%s] %s\n", code, message);
        }
    }

  {
    g_autoptr(RfRunSummary) summary = rf_run_summary_new (session);
    g_autofree char *text = rf_run_summary_format (summary);

    g_string_append (out, text);
  }

  /* TRANSLATORS: refinery-inspect’s summary, the last line. A lane is the
   * row of frames of one image */
  lanes_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u lane", "%u lanes", n_lanes), n_lanes);
  frames_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u frame", "%u frames", n_frames), n_frames);
  /* TRANSLATORS: a count of events (refinery-inspect’s summary, the event
   * log). An event is one server-sent event of the stream */
  events_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", n_events), n_events);
  /* TRANSLATORS: the last line of refinery-inspect's summary: the run's
   * state ("Finished"), "2 lanes", "8 frames", "40 events", the bytes
   * received and the time it took */
  g_string_append_printf (out, _("State: %s — %s, %s, %s, %s in %.2f s\n"),
                          rf_session_state_to_display (rf_session_get_state (session)),
                          lanes_text, frames_text, events_text, received,
                          rf_session_get_elapsed_ms (session) / 1000.0);
}

/* 2 for errors outside the stream (usage, I/O, HTTP, auth), 1 for a stream
 * that carried an error, failed, broke off or had a frame that did not
 * decode, 0 otherwise: the same whatever the output mode. */
int
rf_inspect_exit_status (RfSession *session)
{
  const GError *error = rf_session_get_error (session);
  guint n_events = rf_session_get_n_events (session);

  if (error != NULL)
    {
      if (error->domain == RF_ERROR &&
          (error->code == RF_ERROR_USAGE || error->code == RF_ERROR_IO ||
           error->code == RF_ERROR_HTTP || error->code == RF_ERROR_AUTH ||
           error->code == RF_ERROR_INVALID_PARAMETER) &&
          n_events == 0)
        return 2;
      if (n_events == 0)
        return 2;
      return 1;
    }

  if (rf_session_has_errors (session) || rf_session_get_state (session) != RF_SESSION_STATE_FINISHED)
    return 1;

  return 0;
}
