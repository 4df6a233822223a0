/*
 * rf-inspect-compare.c
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

#include <math.h>
#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rf-frame.h"
#include "rf-inspect-compare.h"
#include "rf-inspect-output.h"
#include "rf-run-summary.h"
#include "rf-session.h"
#include "rf-source.h"

/* refinery-inspect --compare A B: both runs read at once, each measured,
 * their frames paired and measured against each other, and the table or
 * the JSON of the comparison. The options are checked in rf-inspect.c. */

typedef struct
{
  GMainLoop *loop;
  RfSession *sessions[2];
} CompareRun;

static void
compare_finished_cb (RfSession  *session,
                     CompareRun *run)
{
  if (rf_session_get_finished (run->sessions[0]) && rf_session_get_finished (run->sessions[1]))
    g_main_loop_quit (run->loop);
}

static gboolean
compare_sigint_cb (gpointer data)
{
  CompareRun *run = data;

  rf_session_cancel (run->sessions[0]);
  rf_session_cancel (run->sessions[1]);
  return G_SOURCE_CONTINUE;
}

/* A frame of the comparison, padded to 22 terminal cells so the columns
 * line up whatever the language ("—" is three bytes and one cell). */
static char *
format_frame_ref (RfFrame *frame)
{
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;
  GString *out = g_string_new (NULL);

  if (frame == NULL)
    text = g_strdup ("—");
  else
    {
      label = rf_frame_dup_label (frame);
      text = g_strdup_printf (_("%s (%.2f s)"), label, rf_frame_get_t_ms (frame) / 1000.0);
    }
  rf_inspect_append_padded (out, text, 22);

  return g_string_free (out, FALSE);
}

static void
print_compare (GString        *out,
               RfSession      *a,
               RfSession      *b,
               RfCompareAlign  align,
               guint           lane_a,
               guint           lane_b,
               GPtrArray      *pairs)
{
  g_autoptr(RfRunSummary) sa = rf_run_summary_new (a);
  g_autoptr(RfRunSummary) sb = rf_run_summary_new (b);
  RfRunSummary *s[2] = { sa, sb };
  RfSession *sessions[2] = { a, b };
  char *cells[8][2] = { { NULL } };
  const char *rows[] = {
    N_("Source"), N_("State"),
    /* TRANSLATORS: row of refinery-inspect --compare and of the Compare
     * Runs window: when the first partial image arrived. A partial image is
     * a blurry preview the server streams before the final image */
    N_("First partial"),
    N_("Final"),
    /* TRANSLATORS: row and column title: how many frames a run has. A frame
     * is one step of an image’s refinement: a partial image or the final
     * image */
    N_("Frames"),
    N_("Received"), N_("Cost"),
    /* TRANSLATORS: row of refinery-inspect --compare: the output tokens and
     * cost the partial images add to the request. A partial image is a
     * blurry preview the server streams before the final image */
    N_("Partial images add"),
  };
  guint lane = G_MAXUINT;
  guint label_width = 21;
  guint a_width = 31;
  guint ref_width = 22;

  for (guint k = 0; k < 2; k++)
    {
      cells[0][k] = rf_source_dup_description (rf_session_get_source (sessions[k]));
      cells[1][k] = g_strdup (rf_session_state_to_display (rf_session_get_state (sessions[k])));
      cells[2][k] = s[k]->first_partial_ms >= 0 ? g_strdup_printf (_("%.2f s"), s[k]->first_partial_ms / 1000.0) : g_strdup ("—");
      cells[3][k] = s[k]->final_ms >= 0 ? g_strdup_printf (_("%.2f s"), s[k]->final_ms / 1000.0) : g_strdup ("—");
      /* TRANSLATORS: the frames of a run: all of them, how many are partial
       * images, how many final images. A partial image is a blurry preview
       * the server streams before the final image */
      cells[4][k] = g_strdup_printf (ngettext ("%u (%u partial, %u final)", "%u (%u partial, %u final)",
                                               s[k]->n_frames),
                                     s[k]->n_frames, s[k]->n_partials, s[k]->n_finals);
      cells[5][k] = g_format_size (s[k]->bytes_received);
      cells[6][k] = s[k]->has_cost ? g_strdup_printf (_("$%.4f (sent)"), s[k]->cost)
                    : s[k]->has_estimate ? g_strdup_printf (_("≈ $%.4f (estimate)"), s[k]->estimate)
                    : g_strdup (_("unknown"));
      cells[7][k] = s[k]->has_partial_cost
                    ? g_strdup_printf (ngettext ("%u token, ≈ $%.4f", "%u tokens, ≈ $%.4f", s[k]->partial_tokens),
                                       s[k]->partial_tokens, s[k]->partial_cost)
                    : g_strdup_printf (ngettext ("%u token", "%u tokens", s[k]->partial_tokens),
                                       s[k]->partial_tokens);
    }

  g_string_append_printf (out, _("Comparison, aligned by %s\n"),
                          align == RF_COMPARE_ALIGN_TIME ? _("time") :
                          /* TRANSLATORS: refinery-inspect --compare:
                           * “Comparison, aligned by partial index”, frames
                           * paired by the number of their partial image (0,
                           * 1, 2) rather than by time */
                          _("partial index"));
  if (lane_a != G_MAXUINT)
    /* TRANSLATORS: --compare --lanes: which image of run A is compared
     * with which image of run B (numbered as the app numbers them) */
    g_string_append_printf (out, _("A: image %u · B: image %u\n"), lane_a + 1, lane_b + 1);
  /* Columns by what a terminal shows: "—", "≈" and translated labels
   * take more bytes than cells. */
  /* The columns are as wide as their longest text in this language
   * ("Première image partielle"). */
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      label_width = MAX (label_width, rf_inspect_display_width (_(rows[r])) + 1);
      a_width = MAX (a_width, rf_inspect_display_width (cells[r][0]) + 1);
    }
  rf_inspect_append_padded (out, "", label_width);
  rf_inspect_append_padded (out, "A", a_width);
  g_string_append (out, "B\n");
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      rf_inspect_append_padded (out, _(rows[r]), label_width);
      rf_inspect_append_padded (out, cells[r][0], a_width);
      g_string_append_printf (out, "%s\n", cells[r][1]);
      g_free (cells[r][0]);
      g_free (cells[r][1]);
    }

  /* The frame names padded by their display width beforehand: the
   * message's %-22s then adds nothing, and "partielle 0 (1,30 s)" lines
   * up with "finale (1,82 s)". */
  for (guint i = 0; i < pairs->len; i++)
    {
      RfComparePair *pair = g_ptr_array_index (pairs, i);
      g_autofree char *ref_a = format_frame_ref (pair->a);
      g_autofree char *ref_b = format_frame_ref (pair->b);

      ref_width = MAX (ref_width, MAX (rf_inspect_display_width (ref_a), rf_inspect_display_width (ref_b)));
    }

  for (guint i = 0; i < pairs->len; i++)
    {
      RfComparePair *pair = g_ptr_array_index (pairs, i);
      g_autofree char *ref_a = format_frame_ref (pair->a);
      g_autofree char *ref_b = format_frame_ref (pair->b);
      g_autoptr(GString) fa = g_string_new (NULL);
      g_autoptr(GString) fb = g_string_new (NULL);

      rf_inspect_append_padded (fa, ref_a, ref_width);
      rf_inspect_append_padded (fb, ref_b, ref_width);

      if (pair->lane != lane)
        {
          lane = pair->lane;
          if (pair->lane_b != pair->lane)
            /* TRANSLATORS: a heading in --compare's report: image N of
             * run A against image M of run B */
            g_string_append_printf (out, _("Image %u of A with image %u of B:\n"), lane + 1, pair->lane_b + 1);
          else
            /* TRANSLATORS: a heading in --compare's report; images are
             * numbered as the app numbers them */
            g_string_append_printf (out, _("Image %u:\n"), lane + 1);
        }

      if (pair->measured)
        {
          char ssim[32] = "-";

          if (!isnan (pair->ssim))
            g_snprintf (ssim, sizeof ssim, "%.4f", pair->ssim);
          /* TRANSLATORS: refinery-inspect --compare, one pair of frames: A
           * and B are the two runs, “diff” the mean pixel change (0–255),
           * “ssim” the structural similarity; keep the columns aligned. SSIM
           * (structural similarity) is a technical measure: keep it as is */
          g_string_append_printf (out, _("  A %-22s B %-22s diff %5.1f  ssim %s\n"),
                                  fa->str, fb->str, pair->diff, ssim);
        }
      else
        g_string_append_printf (out, _("  A %-22s B %-22s not compared\n"), fa->str, fb->str);
    }
}

int
rf_inspect_compare (RfSource       *sources[2],
                    guint           n_sources,
                    RfCompareAlign  align,
                    guint           lane_a,
                    guint           lane_b,
                    int             workers,
                    gboolean        json)
{
  guint lanes[2] = { lane_a, lane_b };
  CompareRun run = { 0 };
  g_autoptr(GPtrArray) pairs = NULL;
  guint sigint_id;
  int status = 0;

  run.loop = g_main_loop_new (NULL, FALSE);
  for (guint k = 0; k < n_sources; k++)
    {
      run.sessions[k] = rf_session_new ();
      rf_session_set_n_workers (run.sessions[k], workers);
      rf_session_set_pixel_cache_size (run.sessions[k], 0);
      rf_session_set_analyze (run.sessions[k], TRUE);
      g_signal_connect (run.sessions[k], "finished", G_CALLBACK (compare_finished_cb), &run);
    }
  /* Two images of one run read it once. */
  if (n_sources == 1)
    run.sessions[1] = g_object_ref (run.sessions[0]);
  sigint_id = g_unix_signal_add (SIGINT, compare_sigint_cb, &run);
  for (guint k = 0; k < n_sources; k++)
    rf_session_start (run.sessions[k], sources[k]);
  if (!rf_session_get_finished (run.sessions[0]) || !rf_session_get_finished (run.sessions[1]))
    g_main_loop_run (run.loop);
  g_source_remove (sigint_id);

  for (guint k = 0; k < 2; k++)
    status = MAX (status, rf_inspect_exit_status (run.sessions[k]));

  if (lane_a != G_MAXUINT)
    pairs = rf_compare_pair_chosen_lanes (run.sessions[0], lane_a, run.sessions[1], lane_b, align);
  else
    pairs = rf_compare_pair_sessions (run.sessions[0], run.sessions[1], align);
  for (guint i = 0; i < pairs->len; i++)
    rf_compare_measure (g_ptr_array_index (pairs, i));

  /* A chosen image the run does not have is a mistake worth saying, not
   * an empty report. */
  for (guint k = 0; lane_a != G_MAXUINT && status != 2 && k < 2; k++)
    {
      guint n = g_list_model_get_n_items (rf_session_get_lanes (run.sessions[k]));

      if (lanes[k] >= n)
        {
          /* TRANSLATORS: a run is one stream followed from start to end;
           * %s is A or B, then its number of images and the image asked for */
          g_printerr (ngettext ("refinery-inspect: run %s has %u image: there is no image %u\n",
                                "refinery-inspect: run %s has %u images: there is no image %u\n", n),
                      k == 0 ? "A" : "B", n, lanes[k] + 1);
          status = 2;
        }
    }

  /* A run that could not be read has nothing to compare. */
  if (status == 2)
    ;
  else if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *doc = NULL;

      rf_compare_add_json (builder, run.sessions[0], run.sessions[1], align, pairs);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      doc = json_generator_to_data (generator, NULL);
      g_print ("%s\n", doc);
    }
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);

      print_compare (out, run.sessions[0], run.sessions[1], align, lane_a, lane_b, pairs);
      fwrite (out->str, 1, out->len, stdout);
    }

  for (guint k = 0; k < n_sources; k++)
    {
      if (rf_inspect_exit_status (run.sessions[k]) != 0)
        {
          const char *message = rf_session_get_failure_message (run.sessions[k]);

          /* TRANSLATORS: refinery-inspect --compare: run A or B failed, and
           * why. A run is one stream followed from start to end, kept in the
           * history */
          g_printerr (_("refinery-inspect: run %s: %s\n"), k == 0 ? "A" : "B",
                      message ? message : _("the stream carried errors"));
        }
    }

  g_clear_pointer (&pairs, g_ptr_array_unref);
  for (guint k = 0; k < 2; k++)
    {
      g_clear_object (&run.sessions[k]);
      g_clear_object (&sources[k]);
    }
  g_main_loop_unref (run.loop);

  return status;
}
