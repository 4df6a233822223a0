/*
 * rf-inspector.c
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

#define G_LOG_DOMAIN "rf-inspector"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-frame.h"
#include "rf-convergence-plot.h"
#include "rf-image-params.h"
#include "rf-inspector.h"
#include "rf-run-summary.h"
#include "rf-text.h"
#include "rf-lane.h"
#include "rf-sched.h"
#include "rf-source.h"
#include "rf-text.h"

struct _RfInspector
{
  GtkWidget             parent_instance;

  RfSession            *session;
  GSignalGroup         *session_signals;
  GHashTable           *values;        /* key → GtkLabel */
  RfPacer              *pacer;
  gboolean              dirty;
  char                 *request_json;
  char                 *error_text;    /* whole, for Copy; the card shows a cut */

  GtkWidget            *scroller;
  AdwPreferencesGroup  *run_group;
  AdwPreferencesGroup  *frame_group;
  GtkWidget            *error_box;
  GtkLabel             *error_label;
  GtkWidget            *copy_error_button;
  GtkListBox           *diagnostics_list;
  GtkWidget            *prompt_group;
  GtkLabel             *prompt_label;
  GtkWidget            *request_group;
  GtkLabel             *request_label;
  RfConvergencePlot    *convergence_plot;

  /* Made once the run finished: the usage comes from its events. */
  RfRunSummary         *summary;
};

G_DEFINE_FINAL_TYPE (RfInspector, rf_inspector, GTK_TYPE_WIDGET)

enum {
  DIAGNOSTIC_ACTIVATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* Shown for a value the run or the frame does not have. */
#define MISSING_VALUE "—"

static const struct {
  const char *key;
  const char *title;
} run_rows[] = {
  { "state", N_("State") },
  { "source", N_("Source") },
  { "response-id", N_("Response") },
  { "model", N_("Model") },
  { "provider", N_("Provider") },
  { "duration", N_("Duration") },
  { "received", N_("Received") },
  { "frames", N_("Frames") },
  /* TRANSLATORS: inspector row: when the first partial image arrived. A
   * partial image is a blurry preview the server streams before the final
   * image */
  { "first-partial", N_("First Partial") },
  { "final-at", N_("Final") },
  { "cost", N_("Cost") },
  /* TRANSLATORS: inspector row: the output tokens and cost the partial
   * images add. A partial image is a blurry preview the server streams
   * before the final image */
  { "partial-cost", N_("Partial Images Add") },
}, frame_rows[] = {
  { "lane", N_("Image") },
  { "kind", N_("Kind") },
  /* TRANSLATORS: inspector row: the number of the partial image (0, 1, 2),
   * or “final”. A partial image is a blurry preview the server streams
   * before the final image */
  { "partial-index", N_("Partial Index") },
  /* TRANSLATORS: inspector row. The sequence number is the number the server
   * gives each event, in order */
  { "sequence-number", N_("Sequence Number") },
  { "arrival", N_("Arrival") },
  /* TRANSLATORS: inspector row: time since the frame before. A frame is one
   * step of an image’s refinement: a partial image or the final image */
  { "delta", N_("Since Previous Frame") },
  { "format", N_("Format") },
  /* TRANSLATORS: inspector row: the image fields the request asked for
   * (size, quality, format, background or aspect ratio), as sent */
  { "requested", N_("Requested") },
  /* TRANSLATORS: inspector row: the image fields the server said it used
   * (size, quality, format, background), as sent */
  { "echoed", N_("Returned") },
  { "declared-size", N_("Declared Size") },
  { "decoded-size", N_("Decoded Size") },
  { "bytes", N_("Bytes") },
  { "decode-time", N_("Decode Time") },
  { "sha256", N_("SHA-256") },
  { "diff-prev", N_("Change From Previous") },
  { "ssim-final", N_("Similarity to Final") },
};

/* The full value of an id or a hash cut in the middle, asked for when the
 * pointer rests on it: setting tooltips on every update cost a round trip
 * to the display server per label, 20 times a second while a run
 * streams. */
static gboolean
value_query_tooltip_cb (GtkLabel   *label,
                        int         x,
                        int         y,
                        gboolean    keyboard_mode,
                        GtkTooltip *tooltip)
{
  const char *text = gtk_label_get_label (label);

  if (text == NULL || text[0] == '\0' || g_str_equal (text, MISSING_VALUE))
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* Ids and hashes of the stream are one long word each: they are cut in
 * the middle instead of widening the panel, and shown whole in a tooltip
 * and when selected. Marked "rf-data": never translated. */
static void
make_data_value (RfInspector *self,
                 const char  *key,
                 int          max_chars)
{
  GtkLabel *label = g_hash_table_lookup (self->values, key);

  gtk_label_set_wrap (label, FALSE);
  gtk_label_set_ellipsize (label, PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (label, max_chars);
  gtk_widget_add_css_class (GTK_WIDGET (label), "rf-data");
  gtk_widget_set_has_tooltip (GTK_WIDGET (label), TRUE);
  g_signal_connect (label, "query-tooltip", G_CALLBACK (value_query_tooltip_cb), NULL);
}

static void
add_row (RfInspector         *self,
         AdwPreferencesGroup *group,
         const char          *key,
         const char          *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (MISSING_VALUE);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  /* A value too long for the panel (a phrase in a longer language, a
   * file name) goes on to a second line between words: it is never cut. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_widget_set_can_focus (label, FALSE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);

  g_hash_table_insert (self->values, (gpointer) key, label);
}

static void
set_value (RfInspector *self,
           const char  *key,
           const char  *value)
{
  GtkLabel *label = g_hash_table_lookup (self->values, key);

  g_autofree char *shown = NULL;

  g_assert (label != NULL);

  /* Values from the stream (an id, a model name) are shown as a display
   * copy: Pango lays out a label whole, and a row is one line of data. */
  if (value != NULL && strlen (value) > RF_TEXT_SHOW_SHORT)
    value = shown = rf_text_shorten (value, RF_TEXT_SHOW_SHORT);

  /* GtkLabel itself ignores unchanged text: no new layout then. A
   * missing value shows a dash rather than hiding its row: rows that come
   * and go reflow the panel as frames are scrubbed, and the rows laid out
   * with the window cost nothing when a run's first frame arrives. */
  if (value == NULL)
    gtk_label_set_label (label, MISSING_VALUE);
  else if (gtk_widget_has_css_class (GTK_WIDGET (label), "rf-data") ||
           g_str_equal (key, "source"))
    /* Data, copied as it was sent: a file called "run 2 final.sse"
     * keeps its spaces. */
    gtk_label_set_label (label, value);
  else
    {
      /* These labels wrap: "12,3 MB" must not become "12,3" over "MB". */
      g_autofree char *bound = rf_text_bind_numbers (value);

      gtk_label_set_label (label, bound);
    }
}

static char *
format_ms (gint64 ms)
{
  if (ms < 0)
    return NULL;
  if (ms < 1000)
    /* Translators: a time in milliseconds */
    return g_strdup_printf (_("%lld ms"), (long long) ms);
  /* Translators: a time in seconds */
  return g_strdup_printf (_("%.3f s"), ms / 1000.0);
}

static char *
format_size (int width,
             int height)
{
  if (width <= 0 || height <= 0)
    return NULL;
  /* Translators: image size in pixels, width × height */
  return g_strdup_printf (_("%d × %d"), width, height);
}

static const char *
severity_icon (RfSeverity severity)
{
  switch (severity)
    {
    case RF_SEVERITY_ERROR:
      return "dialog-error-symbolic";
    case RF_SEVERITY_WARNING:
      return "dialog-warning-symbolic";
    case RF_SEVERITY_INFO:
    default:
      return "dialog-information-symbolic";
    }
}

static const char *
severity_class (RfSeverity severity)
{
  switch (severity)
    {
    case RF_SEVERITY_ERROR:
      return "error";
    case RF_SEVERITY_WARNING:
      return "warning";
    case RF_SEVERITY_INFO:
    default:
      return "accent";
    }
}

static GtkWidget *
create_diagnostic_row (gpointer item,
                       gpointer user_data)
{
  RfDiagnostic *diagnostic = item;
  RfSeverity severity = rf_diagnostic_get_severity (diagnostic);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *image = gtk_image_new_from_icon_name (severity_icon (severity));
  g_autofree char *subtitle = NULL;
  g_autofree char *code = rf_text_shorten (rf_diagnostic_get_code (diagnostic), RF_TEXT_SHOW_SHORT);
  g_autofree char *message = rf_text_shorten (rf_diagnostic_get_message (diagnostic), RF_TEXT_SHOW_LONG);
  gint64 seq = rf_diagnostic_get_sequence_number (diagnostic);

  if (seq >= 0)
    /* Translators: diagnostic row subtitle: code and event sequence number */
    subtitle = g_strdup_printf (_("%s · event %lld"), code, (long long) seq);
  else
    subtitle = g_strdup (code);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* A display copy: the message whole is in the event (its JSON, Copy). */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (image, severity_class (severity));
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  rf_severity_to_display (severity), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);
  /* One about an event leads to it: its row in the log, its time. */
  if (seq >= 0)
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      /* TRANSLATORS: tooltip: select the event a diagnostic is about in the
       * event log. An event is one server-sent event of the stream */
      gtk_widget_set_tooltip_text (row, _("Show This Event"));
    }

  return row;
}

static void
diagnostic_row_activated_cb (RfInspector   *self,
                             GtkListBoxRow *row,
                             GtkListBox    *list_box)
{
  g_autoptr(RfDiagnostic) diagnostic = NULL;
  int index = gtk_list_box_row_get_index (row);

  if (self->session == NULL || index < 0)
    return;

  diagnostic = g_list_model_get_item (rf_session_get_diagnostics (self->session), index);
  if (diagnostic != NULL && rf_diagnostic_get_sequence_number (diagnostic) >= 0)
    g_signal_emit (self, signals [DIAGNOSTIC_ACTIVATED], 0, diagnostic);
}

static char *
format_summary_ms (gint64 ms)
{
  if (ms < 0)
    return NULL;
  /* Translators: a time since the run started, in seconds */
  return g_strdup_printf (_("%.2f s"), ms / 1000.0);
}

/* Times from the frames while the run streams (few, and cheap); the cost
 * once it finished, from the usage its events sent. */
static void
update_summary (RfInspector *self)
{
  g_autoptr(RfRunSummary) live = NULL;
  RfRunSummary *summary;
  g_autofree char *first = NULL;
  g_autofree char *final = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *partial_cost = NULL;

  if (self->summary == NULL && rf_session_get_finished (self->session))
    self->summary = rf_run_summary_new (self->session);

  if (self->summary != NULL)
    summary = self->summary;
  else
    {
      GListModel *frames = rf_session_get_frames (self->session);

      live = g_new0 (RfRunSummary, 1);
      live->first_partial_ms = live->final_ms = -1;
      for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
        {
          g_autoptr(RfFrame) frame = g_list_model_get_item (frames, i);

          if (rf_frame_get_kind (frame) == RF_FRAME_KIND_PARTIAL && live->first_partial_ms < 0)
            live->first_partial_ms = rf_frame_get_t_ms (frame);
        }
      summary = live;
    }

  first = format_summary_ms (summary->first_partial_ms);
  final = format_summary_ms (summary->final_ms);
  if (summary->has_cost)
    /* Translators: a cost in US dollars, as the provider sent it */
    cost = g_strdup_printf (_("$%.4f"), summary->cost);
  else if (summary->has_estimate)
    /* Translators: an estimated cost in US dollars */
    cost = g_strdup_printf (_("≈ $%.4f (estimate)"), summary->estimate);
  else if (self->summary != NULL)
    cost = g_strdup (summary->usage ? _("Usage sent, no price known") : _("Not sent"));

  if (self->summary != NULL && summary->n_partials > 0)
    {
      if (summary->has_partial_cost)
        /* Translators: output tokens and estimated dollars the partial images added */
        partial_cost = g_strdup_printf (ngettext ("%u token, ≈ $%.4f", "%u tokens, ≈ $%.4f", summary->partial_tokens),
                                        summary->partial_tokens, summary->partial_cost);
      else
        partial_cost = g_strdup_printf (ngettext ("%u token", "%u tokens", summary->partial_tokens),
                                        summary->partial_tokens);
    }

  set_value (self, "first-partial", first);
  set_value (self, "final-at", final);
  set_value (self, "cost", cost);
  set_value (self, "partial-cost", partial_cost);
}

static void
update_run (RfInspector *self)
{
  RfSessionState state = rf_session_get_state (self->session);
  const GError *error = rf_session_get_error (self->session);
  const char *failure = rf_session_get_failure_message (self->session);
  RfSource *source = rf_session_get_source (self->session);
  g_autofree char *source_text = source ? rf_source_dup_display_name (source) : NULL;
  g_autofree char *duration = format_ms (rf_session_get_elapsed_ms (self->session));
  g_autofree char *received = g_format_size (rf_session_get_bytes_received (self->session));
  g_autofree char *frames = NULL;
  guint n_frames = g_list_model_get_n_items (rf_session_get_frames (self->session));
  guint n_lanes = g_list_model_get_n_items (rf_session_get_lanes (self->session));
  const char *state_text;

  if (state == RF_SESSION_STATE_FINISHED && rf_session_has_errors (self->session))
    state_text = _("Finished with errors");
  else
    state_text = rf_session_state_to_display (state);

  {
    g_autofree char *n_frames_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u frame", "%u frames",
                                                                   n_frames),
                                                      n_frames);

    /* TRANSLATORS: the inspector's Frames row: "4 frames" and the number
     * of images they belong to, "4 frames of 1 image" */
    frames = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %u image", "%s of %u images", n_lanes),
                              n_frames_text, n_lanes);
  }

  set_value (self, "state", state_text);
  set_value (self, "source", source_text);
  set_value (self, "response-id", rf_session_get_response_id (self->session));
  set_value (self, "model", rf_session_get_model (self->session));
  set_value (self, "provider", rf_session_get_provider (self->session));
  set_value (self, "duration", duration);
  set_value (self, "received", received);
  set_value (self, "frames", frames);
  update_summary (self);

  /* The error stays here after its toast is gone: a display copy, the
   * message whole for the card's Copy button. */
  {
    const char *text = error != NULL ? error->message : failure;

    if (g_strcmp0 (text, self->error_text) != 0)
      {
        g_autofree char *shown = rf_text_shorten (text, RF_TEXT_SHOW_LONG);

        g_free (self->error_text);
        self->error_text = g_strdup (text);
        if (shown != NULL)
          gtk_label_set_label (self->error_label, shown);
      }
  }
  gtk_widget_set_visible (self->copy_error_button, self->error_text != NULL);
  if (self->error_text == NULL && state == RF_SESSION_STATE_CANCELLED)
    /* TRANSLATORS: the inspector after the user stopped a run. A frame is
     * one step of an image’s refinement: a partial image or the final image */
    gtk_label_set_label (self->error_label, _("Cancelled: the frames received so far are kept."));
  gtk_widget_set_visible (self->error_box,
                          error != NULL || failure != NULL || state == RF_SESSION_STATE_CANCELLED);
}

/* "1024x1536 · high · png · opaque": the values as sent, in the order of
 * RfImageParam; NULL when there is none. */
static char *
join_params (const char * const *values)
{
  GString *text = g_string_new (NULL);

  for (guint p = 0; p < RF_N_IMAGE_PARAMS; p++)
    if (values[p] != NULL)
      g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", values[p]);

  return text->len > 0 ? g_string_free (text, FALSE) : (g_string_free (text, TRUE), NULL);
}

static char *
dup_requested_params (RfInspector *self)
{
  const char *request = rf_session_get_request_json (self->session);
  char *values[RF_N_IMAGE_PARAMS];
  char *ret;

  for (guint p = 0; p < RF_N_IMAGE_PARAMS; p++)
    values[p] = rf_image_params_dup_requested (request, p);
  ret = join_params ((const char * const *) values);
  for (guint p = 0; p < RF_N_IMAGE_PARAMS; p++)
    g_free (values[p]);

  return ret;
}

static char *
dup_echoed_params (RfLane *lane)
{
  const char *values[RF_N_IMAGE_PARAMS] = { NULL };

  for (guint p = 0; lane != NULL && p < RF_N_IMAGE_PARAMS; p++)
    values[p] = rf_image_params_get_echoed (lane, p);

  return join_params (values);
}

static void
update_frame (RfInspector *self)
{
  RfFrame *frame = rf_session_get_selected_frame (self->session);
  g_autofree char *lane = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *seq = NULL;
  g_autofree char *arrival = NULL;
  g_autofree char *delta = NULL;
  g_autofree char *declared = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *decode_time = NULL;
  g_autofree char *requested = NULL;
  g_autofree char *echoed = NULL;
  const char *format;
  RfLane *lane_obj;
  guint index;

  /* Above the rows, which stay. "" rather than NULL: the group compares
   * with its label's text ("" when empty), so an unchanged description
   * costs nothing on the updates that follow every frame. */
  /* TRANSLATORS: the inspector before a frame is selected. A frame is one
   * step of an image’s refinement: a partial image or the final image */
  adw_preferences_group_set_description (self->frame_group, frame == NULL ? _("No frame yet") : "");

  lane_obj = frame ? rf_session_get_lane (self->session, rf_frame_get_lane_index (frame)) : NULL;
  if (lane_obj != NULL && rf_lane_get_revised_prompt (lane_obj) != NULL)
    {
      g_autofree char *prompt = rf_text_shorten (rf_lane_get_revised_prompt (lane_obj), RF_TEXT_SHOW_LONG);

      gtk_label_set_label (self->prompt_label, prompt);
      gtk_widget_set_visible (self->prompt_group, TRUE);
    }
  else
    gtk_widget_set_visible (self->prompt_group, FALSE);

  if (frame == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (frame_rows); i++)
        set_value (self, frame_rows[i].key, NULL);
      return;
    }

  if (lane_obj != NULL)
    lane = rf_lane_dup_title (lane_obj);
  else
    lane = g_strdup_printf ("%u", rf_frame_get_lane_index (frame));
  kind = rf_frame_dup_label (frame);
  if (rf_frame_get_partial_index (frame) >= 0)
    partial = g_strdup_printf ("%" G_GINT64_FORMAT, rf_frame_get_partial_index (frame));
  if (rf_frame_get_sequence_number (frame) >= 0)
    seq = g_strdup_printf ("%" G_GINT64_FORMAT, rf_frame_get_sequence_number (frame));
  arrival = format_ms (rf_frame_get_t_ms (frame));

  index = rf_frame_get_index (frame);
  if (index > 0)
    {
      g_autoptr(RfFrame) previous = g_list_model_get_item (rf_session_get_frames (self->session),
                                                            index - 1);

      if (previous != NULL)
        {
          gint64 d = rf_frame_get_t_ms (frame) - rf_frame_get_t_ms (previous);
          g_autofree char *d_text = format_ms (ABS (d));

          delta = g_strdup_printf ("%s%s", d < 0 ? "−" : "+", d_text);
        }
    }
  else
    /* TRANSLATORS: inspector value of “Since Previous Frame” for an image’s
     * first frame. A frame is one step of an image’s refinement: a partial
     * image or the final image */
    delta = g_strdup (_("first frame"));

  format = rf_image_format_to_string (rf_frame_get_format (frame));
  declared = format_size (rf_frame_get_declared_width (frame), rf_frame_get_declared_height (frame));
  bytes = g_format_size_full (rf_frame_get_encoded_size (frame), G_FORMAT_SIZE_LONG_FORMAT);

  switch (rf_frame_get_decode_status (frame))
    {
    case RF_DECODE_OK:
      decoded = format_size (rf_frame_get_width (frame), rf_frame_get_height (frame));
      if (rf_frame_get_has_alpha (frame))
        {
          g_autofree char *plain = g_steal_pointer (&decoded);

          /* Translators: decoded size of an image with an alpha channel */
          decoded = g_strdup_printf (_("%s, alpha"), plain);
        }
      /* Translators: decode time in milliseconds */
      decode_time = g_strdup_printf (_("%.1f ms"), rf_frame_get_decode_ms (frame));
      break;
    case RF_DECODE_FAILED:
      decoded = g_strdup_printf (_("Failed: %s"), rf_frame_get_decode_error (frame));
      break;
    case RF_DECODE_PENDING:
    default:
      decoded = g_strdup (_("Decoding…"));
      break;
    }

  set_value (self, "lane", lane);
  set_value (self, "kind", kind);
  set_value (self, "partial-index", partial);
  set_value (self, "sequence-number", seq);
  set_value (self, "arrival", arrival);
  set_value (self, "delta", delta);
  set_value (self, "format", format);
  requested = dup_requested_params (self);
  echoed = dup_echoed_params (lane_obj);
  set_value (self, "requested", requested);
  set_value (self, "echoed", echoed);
  set_value (self, "declared-size", declared);
  set_value (self, "decoded-size", decoded);
  set_value (self, "bytes", bytes);
  set_value (self, "decode-time", decode_time);
  set_value (self, "sha256", rf_frame_get_sha256 (frame));

  {
    double diff, ssim;
    g_autofree char *diff_text = NULL;
    g_autofree char *ssim_text = NULL;

    if (rf_frame_get_diff_prev (frame, &diff, NULL))
      /* Translators: mean change of the pixels from the previous frame, on a 0–255 scale */
      diff_text = g_strdup_printf (_("%.1f of 255"), diff);
    else if (rf_frame_get_decode_status (frame) == RF_DECODE_OK && rf_session_get_analyze (self->session))
      /* TRANSLATORS: inspector value of the change from the previous frame,
       * for an image’s first frame. A frame is one step of an image’s
       * refinement: a partial image or the final image */
      diff_text = g_strdup (_("none (first frame)"));
    if (rf_frame_get_ssim_final (frame, &ssim))
      /* Translators: SSIM, a similarity from −1 to 1 */
      ssim_text = g_strdup_printf (_("SSIM %.4f"), ssim);

    set_value (self, "diff-prev", diff_text);
    set_value (self, "ssim-final", ssim_text);
  }
}

static void
update_request (RfInspector *self)
{
  const char *json = rf_session_get_request_json (self->session);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *pretty = NULL;

  if (g_strcmp0 (json, self->request_json) == 0)
    return;

  g_free (self->request_json);
  self->request_json = g_strdup (json);

  /* The request may come from a sidecar on disk: parsed only within the
   * depth guard, else shown as it is. */
  if (json != NULL && rf_json_safe_to_parse (json, -1, RF_JSON_MAX_DEPTH) &&
      (node = json_from_string (json, NULL)) != NULL)
    pretty = json_to_string (node, TRUE);

  /* A request holding input images would be megabytes of one label. */
  {
    g_autofree char *shown = rf_text_shorten (pretty ? pretty : json, 4 * RF_TEXT_SHOW_LONG);

    gtk_label_set_label (self->request_label, shown ? shown : "");
  }
  gtk_widget_set_visible (self->request_group, json != NULL);
}

static void
update_now (RfInspector *self)
{
  gint64 start = g_get_monotonic_time ();

  self->dirty = FALSE;

  if (self->session == NULL)
    return;

  update_run (self);
  update_frame (self);
  update_request (self);
  rf_stall_monitor_add_phase ("inspector", g_get_monotonic_time () - start);
}

/* The rows change size with their values: the bursts of signals a
 * streaming run emits come together in the window's next update. Out of
 * a window, they wait until one is asked for. */
static void
queue_update (RfInspector *self)
{
  self->dirty = TRUE;
  if (self->pacer != NULL)
    rf_pacer_queue_update (self->pacer);
}

static void
pacer_update_cb (RfInspector *self,
                 RfPacer     *pacer)
{
  if (self->dirty)
    update_now (self);

  /* A live run's duration and bytes received move on between the
   * signals that ask for an update: they follow with every update. */
  if (self->session != NULL && rf_session_is_receiving (self->session))
    queue_update (self);
}

static void
session_frame_decoded_cb (RfInspector *self,
                          RfFrame     *frame,
                          RfSession   *session)
{
  if (frame == rf_session_get_selected_frame (session))
    queue_update (self);
}

static void
session_frame_analyzed_cb (RfInspector *self,
                           RfFrame     *frame,
                           RfSession   *session)
{
  if (frame == rf_session_get_selected_frame (session))
    queue_update (self);
}

static void
rf_inspector_dispose (GObject *object)
{
  RfInspector *self = RF_INSPECTOR (object);

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RF_TYPE_INSPECTOR);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->request_json, g_free);
  g_clear_pointer (&self->error_text, g_free);

  g_clear_pointer (&self->summary, rf_run_summary_free);

  G_OBJECT_CLASS (rf_inspector_parent_class)->dispose (object);
}

static void
rf_inspector_root (GtkWidget *widget)
{
  RfInspector *self = RF_INSPECTOR (widget);

  GTK_WIDGET_CLASS (rf_inspector_parent_class)->root (widget);

  self->pacer = rf_pacer_connect (widget, "update", G_CALLBACK (pacer_update_cb));
  if (self->dirty)
    rf_pacer_queue_update (self->pacer);
}

static void
rf_inspector_unroot (GtkWidget *widget)
{
  RfInspector *self = RF_INSPECTOR (widget);

  rf_pacer_disconnect (&self->pacer, widget);

  GTK_WIDGET_CLASS (rf_inspector_parent_class)->unroot (widget);
}

/* The error whole, as the session keeps it (the card shows a cut). */
static void
copy_error_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  RfInspector *self = RF_INSPECTOR (widget);

  if (self->error_text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->error_text);
}

static void
rf_inspector_class_init (RfInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_inspector_dispose;

  widget_class->root = rf_inspector_root;
  widget_class->unroot = rf_inspector_unroot;

  g_type_ensure (RF_TYPE_CONVERGENCE_PLOT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/rf-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, RfInspector, scroller);
  gtk_widget_class_bind_template_child (widget_class, RfInspector, run_group);
  gtk_widget_class_bind_template_child (widget_class, RfInspector, frame_group);
  gtk_widget_class_bind_template_child (widget_class, RfInspector, error_box);
  gtk_widget_class_bind_template_child (widget_class, RfInspector, error_label);
  gtk_widget_class_bind_template_child (widget_class, RfInspector, copy_error_button);
  gtk_widget_class_bind_template_child (widget_class, RfInspector, diagnostics_list);
  gtk_widget_class_bind_template_child (widget_class, RfInspector, prompt_group);
  gtk_widget_class_bind_template_child (widget_class, RfInspector, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, RfInspector, request_group);
  gtk_widget_class_bind_template_child (widget_class, RfInspector, request_label);
  gtk_widget_class_bind_template_child (widget_class, RfInspector, convergence_plot);

  /* ::diagnostic-activated (RfDiagnostic *): a diagnostic about an event
   * was chosen; the window shows the event. */
  signals [DIAGNOSTIC_ACTIVATED] =
    g_signal_new ("diagnostic-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, RF_TYPE_DIAGNOSTIC);

  gtk_widget_class_install_action (widget_class, "inspector.copy-error", NULL, copy_error_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rfinspector");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
rf_inspector_init (RfInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->values = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect_object (self->diagnostics_list, "row-activated",
                           G_CALLBACK (diagnostic_row_activated_cb), self, G_CONNECT_SWAPPED);

  for (guint i = 0; i < G_N_ELEMENTS (run_rows); i++)
    add_row (self, self->run_group, run_rows[i].key, _(run_rows[i].title));
  for (guint i = 0; i < G_N_ELEMENTS (frame_rows); i++)
    add_row (self, self->frame_group, frame_rows[i].key, _(frame_rows[i].title));
  make_data_value (self, "response-id", 24);
  make_data_value (self, "sha256", 16);
  /* What the stream and the request say: data, never translated. */
  make_data_value (self, "model", 32);
  make_data_value (self, "provider", 32);
  make_data_value (self, "requested", 32);
  make_data_value (self, "echoed", 32);

  self->session_signals = g_signal_group_new (RF_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::state",
                                 G_CALLBACK (queue_update), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::selected-frame",
                                 G_CALLBACK (queue_update), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-added",
                                 G_CALLBACK (queue_update), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-decoded",
                                 G_CALLBACK (session_frame_decoded_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "frame-analyzed",
                                 G_CALLBACK (session_frame_analyzed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "finished",
                                 G_CALLBACK (queue_update), self, G_CONNECT_SWAPPED);
}

GtkWidget *
rf_inspector_new (void)
{
  return g_object_new (RF_TYPE_INSPECTOR, NULL);
}

void
rf_inspector_set_session (RfInspector *self,
                          RfSession   *session)
{
  g_return_if_fail (RF_IS_INSPECTOR (self));
  g_return_if_fail (!session || RF_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  g_signal_group_set_target (self->session_signals, session);
  g_clear_pointer (&self->summary, rf_run_summary_free);
  rf_convergence_plot_set_session (self->convergence_plot, session);
  gtk_list_box_bind_model (self->diagnostics_list,
                           session ? rf_session_get_diagnostics (session) : NULL,
                           create_diagnostic_row, NULL, NULL);
  g_clear_pointer (&self->request_json, g_free);
  gtk_widget_set_visible (self->request_group, FALSE);

  if (session != NULL)
    update_now (self);
}

RfConvergencePlot *
rf_inspector_get_convergence_plot (RfInspector *self)
{
  g_return_val_if_fail (RF_IS_INSPECTOR (self), NULL);

  return self->convergence_plot;
}

const char *
rf_inspector_get_value (RfInspector *self,
                        const char  *key)
{
  GtkLabel *label;

  g_return_val_if_fail (RF_IS_INSPECTOR (self), NULL);

  if (self->dirty)
    update_now (self);

  /* The error card and the request, when shown. */
  if (g_str_equal (key, "error"))
    return gtk_widget_get_visible (self->error_box) ? gtk_label_get_label (self->error_label) : NULL;
  if (g_str_equal (key, "request"))
    return gtk_widget_get_visible (self->request_group) ? gtk_label_get_label (self->request_label) : NULL;

  label = g_hash_table_lookup (self->values, key);

  return label ? gtk_label_get_label (label) : NULL;
}
