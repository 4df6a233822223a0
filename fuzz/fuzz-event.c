/*
 * fuzz-event.c
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

#include <stdlib.h>
#include <string.h>

#include "rf-assembler.h"
#include "rf-decoder-private.h"
#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-frame.h"
#include "rf-lane.h"
#include "rf-sse-parser.h"

#include "fuzz-warm-up.h"

/* The input is an event stream: every dispatched SSE event goes through
 * the protocol event decoder and then the assembler (the session's model
 * rules), with no session, threads or main loop in between. */

typedef struct
{
  RfAssembler *assembler;
  guint        position;
  guint        n_frames;
} Fuzz;

/* Every text that reaches output, the log or a diagnostic is valid UTF-8. */
#define check_text(s) check_text_impl (#s, s)

static void
check_text_impl (const char *what,
                 const char *s)
{
  /* abort (), not g_error (): libFuzzer saves the input on SIGABRT only. */
  if (s != NULL && !g_utf8_validate (s, -1, NULL))
    {
      g_printerr ("%s is not valid UTF-8\n", what);
      abort ();
    }
}

static void
lane_added_cb (RfLane   *lane,
               gpointer  user_data)
{
  g_assert (RF_IS_LANE (lane));
}

static void
frame_added_cb (RfFrame  *frame,
                GBytes   *b64,
                gpointer  user_data)
{
  Fuzz *fuzz = user_data;

  g_assert (RF_IS_FRAME (frame));
  g_assert (b64 != NULL);
  g_assert_cmpuint (rf_frame_get_index (frame), ==, fuzz->n_frames);
  fuzz->n_frames++;

  /* Short payloads go through the decode step as well (base64, sniffing,
   * header checks); real images are the image harness's business. */
  if (g_bytes_get_size (b64) < 512)
    {
      RfDecodeLimits limits;
      g_autoptr(RfDecodeResult) result = NULL;

      rf_decode_limits_init_default (&limits);
      limits.max_pixels = 4096 * 4096;
      result = rf_decoder_decode_frame (&limits, b64, NULL, FALSE);
      g_assert (result != NULL);
      check_text (result->error);
    }
}

static void
diagnostic_cb (RfDiagnostic *diagnostic,
               gpointer      user_data)
{
  const char *code = rf_diagnostic_get_code (diagnostic);

  g_assert (code != NULL && *code != 0);
  check_text (rf_diagnostic_get_message (diagnostic));
  g_assert (rf_diagnostic_get_message (diagnostic) != NULL);
}

static void
revised_prompt_cb (RfLane     *lane,
                   const char *revised_prompt,
                   gpointer    user_data)
{
  check_text (revised_prompt);
}

static void
response_id_cb (const char *response_id,
                gpointer    user_data)
{
  check_text (response_id);
}

static void
failure_cb (const char *message,
            gpointer    user_data)
{
  check_text (message);
}

static const RfAssemblerSink sink = {
  lane_added_cb,
  frame_added_cb,
  diagnostic_cb,
  revised_prompt_cb,
  response_id_cb,
  failure_cb,
};

static void
event_cb (RfSseParser *parser,
          const char  *event_type,
          const char  *data,
          gsize        data_len,
          const char  *id,
          gpointer     user_data)
{
  Fuzz *fuzz = user_data;
  g_autoptr(GBytes) stolen = rf_sse_parser_steal_data (parser);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfEvent) event = NULL;
  g_autofree char *summary = NULL;

  /* A copy without the trailing NUL the parser leaves in place, so that a
   * read past the data is caught. */
  bytes = g_bytes_new (g_bytes_get_data (stolen, NULL), data_len);
  event = rf_event_new_from_sse (event_type, bytes, id, fuzz->position);
  g_assert (RF_IS_EVENT (event));
  rf_event_set_position (event, fuzz->position++);

  check_text (rf_event_get_elided_json (event));
  check_text (rf_event_get_problem (event));
  check_text (rf_event_get_kind_nick (event));
  check_text (rf_event_get_error_message (event));
  summary = rf_event_dup_summary (event);
  check_text (summary);

  for (guint i = 0; i < rf_event_get_n_images (event); i++)
    g_assert (rf_event_get_image (event, i)->b64 != NULL);

  if (rf_event_get_n_images (event) > 0 &&
      g_bytes_get_size (rf_event_get_image (event, 0)->b64) < 4096)
    {
      rf_event_hash_images (event);
      if (rf_event_get_image_sha256 (event) != NULL)
        g_assert_cmpint (rf_event_get_image_bytes (event), >, 0);
    }

  rf_assembler_push (fuzz->assembler, event);
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_warm_up ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  Fuzz fuzz = { 0 };
  g_autoptr(RfSseParser) parser = NULL;
  gboolean discarded;

  fuzz.assembler = rf_assembler_new (&sink, &fuzz);
  if (size > 0 && data[0] == '2')
    rf_assembler_set_requested_partials (fuzz.assembler, 2);

  parser = rf_sse_parser_new (event_cb, NULL, NULL, &fuzz);
  rf_sse_parser_push (parser, data, size);
  discarded = rf_sse_parser_finish (parser);
  rf_assembler_finish (fuzz.assembler, discarded);

  g_assert_cmpuint (rf_assembler_get_n_frames (fuzz.assembler), ==, fuzz.n_frames);
  rf_assembler_free (fuzz.assembler);

  return 0;
}
