/*
 * rf-test-util.h
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

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "rf-types.h"

G_BEGIN_DECLS

/* Fixtures made at test time: tiny images, base64, image bombs, temp
 * files and SSE streams in the framing of each provider. */

/* A small image (8x8 … 64x64 is plenty) that differs for every seed:
 * a solid colour with a pattern on top. @alpha gives soft, partly
 * transparent pixels (kept by PNG and WebP; JPEG has no alpha and ignores
 * it). Always decodable by the installed loaders (WebP needs the loader). */
GBytes    *rf_test_make_image           (RfImageFormat  format,
                                         int            width,
                                         int            height,
                                         gboolean       alpha,
                                         guint          seed);
/* The pixbuf rf_test_make_image() encodes (before lossy compression). */
GdkPixbuf *rf_test_make_pixbuf          (int            width,
                                         int            height,
                                         gboolean       alpha,
                                         guint          seed);
/* Standard padded base64 of @bytes. */
char      *rf_test_base64               (GBytes        *bytes);
/* A small, well-formed PNG (correct CRCs, valid zlib IDAT) whose IHDR
 * declares @width x @height RGBA pixels: an image bomb. */
GBytes    *rf_test_make_png_header_bomb (guint32        width,
                                         guint32        height);
/* Decodes @bytes with GdkPixbuf (no limits); fails the test on error. */
GdkPixbuf *rf_test_decode               (GBytes        *bytes);

/* Iterates the default main context until @cond (@data) holds or
 * @timeout_ms pass; returns whether it held. A timer wakes the loop so
 * that conditions no source reports on are seen too. */
gboolean   rf_test_wait_until           (gboolean     (*cond) (gpointer),
                                         gpointer       data,
                                         guint          timeout_ms);
/* Iterates the default main context for @ms. */
void       rf_test_spin                 (guint          ms);

/* A directory made with g_dir_make_tmp() once per test program and
 * removed with its contents at exit. */
const char *rf_test_get_temp_dir        (void);
/* Writes @bytes to a new file in rf_test_get_temp_dir(); @suffix such as
 * ".sse" (may be NULL). Returns the path. */
char      *rf_test_write_temp_file      (GBytes        *bytes,
                                         const char    *suffix);

/* Exact comparison of RGBA pixels; rowstride may differ, and an RGB
 * pixbuf equals an RGBA one whose alpha is 255 everywhere. */
gboolean   rf_test_pixbufs_equal        (GdkPixbuf     *a,
                                         GdkPixbuf     *b);
/* Mean absolute difference per channel (0–255) over RGBA, as above;
 * -1 when the sizes differ. */
double     rf_test_pixbufs_mean_diff    (GdkPixbuf     *a,
                                         GdkPixbuf     *b);

typedef enum
{
  /* OpenAI Responses API: `event: <type>` + `data: <json>`. */
  RF_TEST_FLAVOR_RESPONSES,
  /* OpenRouter: `data:` lines only, starting with a
   * `: OPENROUTER PROCESSING` comment; end with rf_test_stream_done(). */
  RF_TEST_FLAVOR_OPENROUTER,
  /* OpenAI Images API: `event:` + `data:`, image_generation.* events. */
  RF_TEST_FLAVOR_IMAGES,
} RfTestFlavor;

/* One image generation call in a response.completed output. */
typedef struct
{
  int         output_index;
  const char *item_id;
  GBytes     *image;           /* NULL: "result":null */
  const char *revised_prompt;  /* NULL: no revised_prompt */
} RfTestOutput;

typedef struct _RfTestStream RfTestStream;

/* Builder of SSE text. Every convenience function that writes an event
 * with a sequence_number takes it from the stream's counter (starting at
 * 0) and increments it. Images API events carry no sequence_number and
 * leave the counter alone. */
RfTestStream *rf_test_stream_new        (RfTestFlavor   flavor);
void       rf_test_stream_free          (RfTestStream  *s);
RfTestFlavor rf_test_stream_get_flavor  (RfTestStream  *s);
/* Line ending used from now on ("\n" by default; "\r\n", "\r"). */
void       rf_test_stream_set_newline   (RfTestStream  *s,
                                         const char    *newline);
/* Tool fields put on partial images and items (OpenAI flavors only).
 * Defaults: each image's own size ("1024x1024" for bytes that are no
 * image), "low", "opaque"; output_format is sniffed from the image bytes
 * ("png" when there are none). NULL keeps a value. */
void       rf_test_stream_set_image_params (RfTestStream *s,
                                         const char    *size,
                                         const char    *quality,
                                         const char    *background);
gint64     rf_test_stream_get_seq       (RfTestStream  *s);
void       rf_test_stream_set_seq       (RfTestStream  *s,
                                         gint64         seq);
/* Returns the counter and increments it: for hand-written events. */
gint64     rf_test_stream_next_seq      (RfTestStream  *s);

/* Raw SSE text, appended verbatim. */
void       rf_test_stream_add_raw       (RfTestStream  *s,
                                         const char    *text);
/* One event with the framing of the flavor: for RESPONSES and IMAGES an
 * `event:` line taken from the JSON's "type" (none when @json has no
 * string "type", e.g. invalid JSON), then `data: @json` and a blank line.
 * If @json has an integer "sequence_number" N, the counter becomes N + 1. */
void       rf_test_stream_add_event     (RfTestStream  *s,
                                         const char    *json);
void       rf_test_stream_add_eventf    (RfTestStream  *s,
                                         const char    *format,
                                         ...) G_GNUC_PRINTF (2, 3);
/* An SSE comment line `: @text` + blank line. */
void       rf_test_stream_comment       (RfTestStream  *s,
                                         const char    *text);

/* Responses API events. @partial_images: the tool's echoed
 * "partial_images" in response.created, or -1 to leave it out. */
void       rf_test_stream_created       (RfTestStream  *s,
                                         const char    *resp_id,
                                         int            partial_images);
void       rf_test_stream_in_progress   (RfTestStream  *s);
void       rf_test_stream_item_added    (RfTestStream  *s,
                                         int            output_index,
                                         const char    *item_id);
/* response.image_generation_call.@status: "in_progress", "generating"
 * or "completed" (no image). */
void       rf_test_stream_call_status   (RfTestStream  *s,
                                         int            output_index,
                                         const char    *item_id,
                                         const char    *status);
void       rf_test_stream_partial       (RfTestStream  *s,
                                         int            output_index,
                                         const char    *item_id,
                                         int            partial_index,
                                         GBytes        *image);
/* response.output_item.done; @final_image NULL gives "result":null and
 * status "failed". */
void       rf_test_stream_item_done     (RfTestStream  *s,
                                         int            output_index,
                                         const char    *item_id,
                                         GBytes        *final_image,
                                         const char    *revised_prompt);
/* A whole image generation call: item added, in_progress, generating,
 * the @n_partials partials (index 0…), .completed and item done with
 * @final_image (may be NULL). */
void       rf_test_stream_image_call    (RfTestStream  *s,
                                         int            output_index,
                                         const char    *item_id,
                                         GBytes       **partials,
                                         guint          n_partials,
                                         GBytes        *final_image,
                                         const char    *revised_prompt);
/* response.completed with one image item (@item_id NULL: empty output)
 * repeating @final_image; @resp_id NULL uses the one from created. */
void       rf_test_stream_completed     (RfTestStream  *s,
                                         const char    *resp_id,
                                         const char    *item_id,
                                         GBytes        *final_image);
void       rf_test_stream_completed_multi (RfTestStream *s,
                                         const char    *resp_id,
                                         const RfTestOutput *outputs,
                                         guint          n_outputs);
/* response.failed with response.error {code, message}. */
void       rf_test_stream_failed        (RfTestStream  *s,
                                         const char    *code,
                                         const char    *message);
/* response.incomplete with incomplete_details.reason. */
void       rf_test_stream_incomplete    (RfTestStream  *s,
                                         const char    *reason);
/* `error` events: {"type":"error","code",…,"message",…} and
 * {"type":"error","error":{"type","code","message","param"}}. NULL
 * strings are JSON null. */
void       rf_test_stream_error_flat    (RfTestStream  *s,
                                         const char    *code,
                                         const char    *message);
void       rf_test_stream_error_nested  (RfTestStream  *s,
                                         const char    *type,
                                         const char    *code,
                                         const char    *message);
/* OpenAI's {"type":"keepalive","sequence_number":N}; for OPENROUTER the
 * `: OPENROUTER PROCESSING` comment instead. */
void       rf_test_stream_keepalive     (RfTestStream  *s);
/* `data: [DONE]`. */
void       rf_test_stream_done          (RfTestStream  *s);

/* Images API events (OpenRouter's /images shape for OPENROUTER). */
void       rf_test_stream_images_partial   (RfTestStream *s,
                                            int           partial_index,
                                            GBytes       *image);
void       rf_test_stream_images_completed (RfTestStream *s,
                                            GBytes       *image);

const char *rf_test_stream_peek         (RfTestStream  *s,
                                         gsize         *len);
GBytes    *rf_test_stream_to_bytes      (RfTestStream  *s);

/* A complete, well-formed stream of one image: @n_partials partials and
 * the final, in the framing of @flavor (Responses: created echoing
 * @n_partials, in_progress, the call, completed; OpenRouter adds [DONE];
 * Images: partials + completed). Item id "ig_1", response id "resp_1"
 * (OpenRouter "gen-1"). @images_out (optional) receives the image bytes
 * in frame order, the final last. Images are 16x16 + seed = index. */
GBytes    *rf_test_build_stream         (RfTestFlavor   flavor,
                                         guint          n_partials,
                                         RfImageFormat  format,
                                         gboolean       alpha,
                                         GPtrArray    **images_out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfTestStream, rf_test_stream_free)

G_END_DECLS
