/*
 * test-event.c
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

#include "rf-base64.h"
#include "rf-event.h"
#include "rf-sse-parser.h"
#include "rf-test-util.h"
#include "rf-text.h"

/* Typed protocol events (PROTOCOL.md §3.3, §4, §5, §6, §7.2) from the data
 * of one SSE event. */

static RfEvent *
event_new (const char *json)
{
  return rf_event_new_from_sse ("message", g_bytes_new (json, strlen (json)), "", 0);
}

static void
collect_cb (RfSseParser *parser,
            const char  *event_type,
            const char  *data,
            gsize        data_len,
            const char  *id,
            gpointer     user_data)
{
  g_ptr_array_add (user_data, rf_event_new_from_sse (event_type, rf_sse_parser_steal_data (parser), id, 0));
}

/* The events of a whole SSE stream built with RfTestStream. */
static GPtrArray *
events_from_stream (RfTestStream *s)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(RfSseParser) parser = rf_sse_parser_new (collect_cb, NULL, NULL, events);
  gsize len;
  const char *text = rf_test_stream_peek (s, &len);

  rf_sse_parser_push (parser, (const guint8 *) text, len);
  g_assert_false (rf_sse_parser_finish (parser));

  return events;
}

static RfEvent *
last_event (RfTestStream *s)
{
  g_autoptr(GPtrArray) events = events_from_stream (s);

  g_assert_cmpuint (events->len, >, 0);
  return g_object_ref (events->pdata[events->len - 1]);
}

/* The image an event carries, base64-decoded. */
static GBytes *
event_image (RfEvent *event,
             guint    i)
{
  const RfEventImage *image;
  g_autoptr(GError) error = NULL;
  const char *b64;
  gsize len;
  GBytes *bytes;

  g_assert_cmpuint (rf_event_get_n_images (event), >, i);
  image = rf_event_get_image (event, i);
  b64 = g_bytes_get_data (image->b64, &len);
  bytes = rf_base64_decode_bytes (b64, len, G_MAXSIZE, &error);
  g_assert_no_error (error);

  return bytes;
}

static void
assert_same_bytes (GBytes *a,
                   GBytes *b)
{
  g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a),
                   g_bytes_get_data (b, NULL), g_bytes_get_size (b));
}

typedef struct
{
  const char  *json;
  RfEventKind  kind;
  gint64       seq;
  const char  *item_id;
  gint64       output_index;
  gint64       partial_index;
  guint        n_images;
} KindCase;

static const KindCase kind_cases[] = {
  { "{\"type\":\"keepalive\",\"sequence_number\":4}", RF_EVENT_KEEPALIVE, 4, NULL, -1, -1, 0 },
  { "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"output\":[]}}",
    RF_EVENT_RESPONSE_CREATED, 0, NULL, -1, -1, 0 },
  { "{\"type\":\"response.queued\",\"sequence_number\":1,\"response\":{\"id\":\"resp_1\",\"status\":\"queued\"}}",
    RF_EVENT_RESPONSE_QUEUED, 1, NULL, -1, -1, 0 },
  { "{\"type\":\"response.in_progress\",\"sequence_number\":1,\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}",
    RF_EVENT_RESPONSE_IN_PROGRESS, 1, NULL, -1, -1, 0 },
  { "{\"type\":\"response.completed\",\"sequence_number\":9,\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"output\":[]}}",
    RF_EVENT_RESPONSE_COMPLETED, 9, NULL, -1, -1, 0 },
  { "{\"type\":\"response.failed\",\"sequence_number\":9,\"response\":{\"id\":\"resp_1\",\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"m\"}}}",
    RF_EVENT_RESPONSE_FAILED, 9, NULL, -1, -1, 0 },
  { "{\"type\":\"response.incomplete\",\"sequence_number\":9,\"response\":{\"id\":\"resp_1\",\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"content_filter\"}}}",
    RF_EVENT_RESPONSE_INCOMPLETE, 9, NULL, -1, -1, 0 },
  { "{\"type\":\"response.output_item.added\",\"sequence_number\":2,\"output_index\":1,\"item\":{\"id\":\"ig_1\",\"type\":\"image_generation_call\",\"status\":\"in_progress\"}}",
    RF_EVENT_OUTPUT_ITEM_ADDED, 2, "ig_1", 1, -1, 0 },
  { "{\"type\":\"response.output_item.done\",\"sequence_number\":8,\"output_index\":0,\"item\":{\"id\":\"ig_1\",\"type\":\"image_generation_call\",\"status\":\"completed\",\"result\":\"aGVsbG8=\"}}",
    RF_EVENT_OUTPUT_ITEM_DONE, 8, "ig_1", 0, -1, 1 },
  { "{\"type\":\"response.output_item.done\",\"sequence_number\":8,\"output_index\":0,\"item\":{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[]}}",
    RF_EVENT_OUTPUT_ITEM_DONE, 8, "rs_1", 0, -1, 0 },
  { "{\"type\":\"response.image_generation_call.in_progress\",\"sequence_number\":3,\"output_index\":0,\"item_id\":\"ig_1\"}",
    RF_EVENT_IMAGE_CALL_IN_PROGRESS, 3, "ig_1", 0, -1, 0 },
  { "{\"type\":\"response.image_generation_call.generating\",\"sequence_number\":4,\"output_index\":0,\"item_id\":\"ig_1\"}",
    RF_EVENT_IMAGE_CALL_GENERATING, 4, "ig_1", 0, -1, 0 },
  { "{\"type\":\"response.image_generation_call.partial_image\",\"sequence_number\":5,\"output_index\":0,\"item_id\":\"ig_1\",\"partial_image_index\":0,\"partial_image_b64\":\"aGVsbG8=\",\"size\":\"1024x1024\",\"quality\":\"low\",\"background\":\"opaque\",\"output_format\":\"png\"}",
    RF_EVENT_IMAGE_CALL_PARTIAL, 5, "ig_1", 0, 0, 1 },
  { "{\"type\":\"response.image_generation_call.completed\",\"sequence_number\":7,\"output_index\":0,\"item_id\":\"ig_1\"}",
    RF_EVENT_IMAGE_CALL_COMPLETED, 7, "ig_1", 0, -1, 0 },
  { "{\"type\":\"image_generation.partial_image\",\"b64_json\":\"aGVsbG8=\",\"partial_image_index\":1,\"created_at\":1758000000,\"size\":\"1024x1024\",\"quality\":\"low\",\"background\":\"auto\",\"output_format\":\"png\"}",
    RF_EVENT_IMAGES_PARTIAL, -1, NULL, -1, 1, 1 },
  { "{\"type\":\"image_edit.partial_image\",\"b64_json\":\"aGVsbG8=\",\"partial_image_index\":0}",
    RF_EVENT_IMAGES_PARTIAL, -1, NULL, -1, 0, 1 },
  { "{\"type\":\"image_generation.completed\",\"b64_json\":\"aGVsbG8=\",\"created_at\":1758000000,\"usage\":{\"total_tokens\":1,\"input_tokens\":1,\"output_tokens\":0,\"input_tokens_details\":{\"text_tokens\":1,\"image_tokens\":0}}}",
    RF_EVENT_IMAGES_COMPLETED, -1, NULL, -1, -1, 1 },
  { "{\"type\":\"image_edit.completed\",\"b64_json\":\"aGVsbG8=\"}",
    RF_EVENT_IMAGES_COMPLETED, -1, NULL, -1, -1, 1 },
  { "{\"type\":\"image_generation.text_chunk\",\"text\":\"Drawing\",\"phase\":\"thinking\"}",
    RF_EVENT_IMAGES_TEXT_CHUNK, -1, NULL, -1, -1, 0 },
  { "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"m\",\"param\":null,\"sequence_number\":2}",
    RF_EVENT_ERROR, 2, NULL, -1, -1, 0 },
  { "{\"type\":\"response.output_text.delta\",\"sequence_number\":6,\"item_id\":\"msg_1\",\"output_index\":1,\"content_index\":0,\"delta\":\"Hi\",\"obfuscation\":\"x\"}",
    RF_EVENT_OTHER, 6, "msg_1", 1, -1, 0 },
  { "{\"type\":\"something.new\",\"sequence_number\":6,\"whatever\":[1,2,{}]}",
    RF_EVENT_OTHER, 6, NULL, -1, -1, 0 },
};

static void
test_kinds (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_cases); i++)
    {
      const KindCase *kc = &kind_cases[i];
      g_autoptr(RfEvent) event = event_new (kc->json);

      g_test_message ("%s", kc->json);
      g_assert_cmpint (rf_event_get_kind (event), ==, kc->kind);
      g_assert_cmpint (rf_event_get_sequence_number (event), ==, kc->seq);
      g_assert_cmpstr (rf_event_get_item_id (event), ==, kc->item_id);
      g_assert_cmpint (rf_event_get_output_index (event), ==, kc->output_index);
      g_assert_cmpint (rf_event_get_partial_image_index (event), ==, kc->partial_index);
      g_assert_cmpuint (rf_event_get_n_images (event), ==, kc->n_images);
      g_assert_null (rf_event_get_problem (event));
      g_assert_nonnull (rf_event_get_type_name (event));
      g_assert_nonnull (rf_event_get_elided_json (event));
      g_assert_cmpstr (rf_event_get_sse_event (event), ==, "message");

      if (kc->n_images > 0)
        {
          g_autoptr(GBytes) bytes = event_image (event, 0);
          g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "hello", 5);
        }
    }
}

static void
test_envelope_fields (void)
{
  g_autoptr(RfEvent) created = NULL;
  g_autoptr(RfEvent) failed = NULL;
  g_autoptr(RfEvent) incomplete = NULL;
  g_autoptr(RfEvent) done = NULL;
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);

  rf_test_stream_created (s, "resp_42", 2);
  created = last_event (s);
  g_assert_cmpint (rf_event_get_kind (created), ==, RF_EVENT_RESPONSE_CREATED);
  g_assert_cmpstr (rf_event_get_response_id (created), ==, "resp_42");
  g_assert_cmpstr (rf_event_get_response_status (created), ==, "in_progress");
  g_assert_cmpint (rf_event_get_echoed_partial_images (created), ==, 2);
  g_assert_cmpstr (rf_event_get_sse_event (created), ==, "response.created");

  rf_test_stream_failed (s, "image_content_policy_violation", "Blocked by policy");
  failed = last_event (s);
  g_assert_cmpint (rf_event_get_kind (failed), ==, RF_EVENT_RESPONSE_FAILED);
  g_assert_cmpstr (rf_event_get_error_code (failed), ==, "image_content_policy_violation");
  g_assert_cmpstr (rf_event_get_error_message (failed), ==, "Blocked by policy");
  g_assert_true (rf_event_is_terminal (failed));

  rf_test_stream_incomplete (s, "max_output_tokens");
  incomplete = last_event (s);
  g_assert_cmpint (rf_event_get_kind (incomplete), ==, RF_EVENT_RESPONSE_INCOMPLETE);
  g_assert_cmpstr (rf_event_get_error_code (incomplete), ==, "max_output_tokens");
  g_assert_nonnull (strstr (rf_event_get_error_message (incomplete), "max_output_tokens"));
  g_assert_true (rf_event_is_terminal (incomplete));

  done = event_new ("{\"type\":\"response.output_item.done\",\"sequence_number\":8,\"output_index\":0,"
                    "\"item\":{\"id\":\"ig_9\",\"type\":\"image_generation_call\",\"status\":\"generating\","
                    "\"result\":\"aGVsbG8=\",\"revised_prompt\":\"An owl\"}}");
  g_assert_cmpstr (rf_event_get_item_type (done), ==, "image_generation_call");
  g_assert_cmpstr (rf_event_get_item_status (done), ==, "generating");
  g_assert_cmpstr (rf_event_get_revised_prompt (done), ==, "An owl");
  g_assert_cmpstr (rf_event_get_image (done, 0)->item_id, ==, "ig_9");
  g_assert_cmpint (rf_event_get_image (done, 0)->output_index, ==, 0);
}

static void
test_shuffled_keys (void)
{
  g_autoptr(GBytes) png = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 1);
  g_autofree char *b64 = rf_test_base64 (png);
  g_autofree char *json = g_strdup_printf ("{\"partial_image_b64\":\"%s\",\"output_format\":\"png\","
                                           "\"partial_image_index\":2,\"item_id\":\"ig_7\","
                                           "\"sequence_number\":11,\"output_index\":3,"
                                           "\"type\":\"response.image_generation_call.partial_image\"}",
                                           b64);
  g_autoptr(RfEvent) event = event_new (json);
  g_autoptr(GBytes) image = NULL;

  g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_IMAGE_CALL_PARTIAL);
  g_assert_cmpint (rf_event_get_sequence_number (event), ==, 11);
  g_assert_cmpint (rf_event_get_output_index (event), ==, 3);
  g_assert_cmpint (rf_event_get_partial_image_index (event), ==, 2);
  g_assert_cmpstr (rf_event_get_item_id (event), ==, "ig_7");
  g_assert_null (rf_event_get_problem (event));
  image = event_image (event, 0);
  assert_same_bytes (image, png);
  g_assert_true (rf_event_is_image_event (event));
}

static void
test_integral_floats (void)
{
  g_autoptr(RfEvent) event =
    event_new ("{\"type\":\"response.image_generation_call.partial_image\",\"sequence_number\":3.0,"
               "\"output_index\":0.0,\"item_id\":\"ig_1\",\"partial_image_index\":1.0,"
               "\"partial_image_b64\":\"aGVsbG8=\"}");

  g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_IMAGE_CALL_PARTIAL);
  g_assert_cmpint (rf_event_get_sequence_number (event), ==, 3);
  g_assert_cmpint (rf_event_get_output_index (event), ==, 0);
  g_assert_cmpint (rf_event_get_partial_image_index (event), ==, 1);
  g_assert_null (rf_event_get_problem (event));
}

static void
test_bad_indexes (void)
{
  const char *values[] = { "1.5", "-1", "\"1\"", "true", "[1]", "{}", "-0.5", "1e300" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *json =
        g_strdup_printf ("{\"type\":\"response.image_generation_call.partial_image\",\"sequence_number\":5,"
                         "\"output_index\":0,\"item_id\":\"ig_1\",\"partial_image_index\":%s,"
                         "\"partial_image_b64\":\"aGVsbG8=\"}", values[i]);
      g_autoptr(RfEvent) event = event_new (json);

      g_test_message ("partial_image_index %s", values[i]);
      g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_IMAGE_CALL_PARTIAL);
      g_assert_cmpint (rf_event_get_partial_image_index (event), ==, -1);
      g_assert_nonnull (rf_event_get_problem (event));
      g_assert_nonnull (strstr (rf_event_get_problem (event), "partial_image_index"));
      /* The rest of the event is still usable. */
      g_assert_cmpint (rf_event_get_sequence_number (event), ==, 5);
      g_assert_cmpuint (rf_event_get_n_images (event), ==, 1);
    }

  {
    g_autoptr(RfEvent) event = event_new ("{\"type\":\"keepalive\",\"sequence_number\":-3}");

    g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_KEEPALIVE);
    g_assert_cmpint (rf_event_get_sequence_number (event), ==, -1);
    g_assert_nonnull (rf_event_get_problem (event));
  }
}

static void
test_done (void)
{
  const char *datas[] = { "[DONE]", " [DONE] ", "[DONE]\n", "\t[DONE]\r\n" };

  for (guint i = 0; i < G_N_ELEMENTS (datas); i++)
    {
      g_autoptr(RfEvent) event = event_new (datas[i]);

      g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_DONE);
      g_assert_cmpstr (rf_event_get_type_name (event), ==, "[DONE]");
      g_assert_true (rf_event_is_terminal (event));
      g_assert_null (rf_event_get_problem (event));
    }

  {
    g_autoptr(RfEvent) event = event_new ("[DONE] x");
    g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_INVALID);
  }
}

static void
test_not_object (void)
{
  const char *datas[] = { "[1,2]", "\"text\"", "42", "null", "true", "[]" };

  for (guint i = 0; i < G_N_ELEMENTS (datas); i++)
    {
      g_autoptr(RfEvent) event = event_new (datas[i]);

      g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_INVALID);
      g_assert_nonnull (rf_event_get_problem (event));
      g_assert_null (rf_event_get_type_name (event));
      g_assert_nonnull (rf_event_get_elided_json (event));
      g_assert_false (rf_event_is_terminal (event));
    }
}

static void
test_invalid_json (void)
{
  const char *datas[] = { "{", "{\"type\":", "not json", "", "{\"type\":\"keepalive\"} trailing",
                          "{\"partial_image_b64\":\"" };

  for (guint i = 0; i < G_N_ELEMENTS (datas); i++)
    {
      g_autoptr(RfEvent) event = event_new (datas[i]);

      g_test_message ("data: %s", datas[i]);
      g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_INVALID);
      g_assert_nonnull (rf_event_get_problem (event));
      g_assert_nonnull (rf_event_get_elided_json (event));
    }

  /* No type at all, or a type that is not a string: kept as other. */
  {
    g_autoptr(RfEvent) event = event_new ("{\"sequence_number\":1}");

    g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_OTHER);
    g_assert_nonnull (rf_event_get_problem (event));
  }
  {
    g_autoptr(RfEvent) event = event_new ("{\"type\":7}");

    g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_OTHER);
    g_assert_nonnull (rf_event_get_problem (event));
  }
}

/* A non-null top-level error object is an error whatever the type. */
static void
test_error_on_other_type (void)
{
  g_autoptr(RfEvent) event =
    event_new ("{\"type\":\"response.in_progress\",\"sequence_number\":3,"
               "\"error\":{\"code\":\"server_error\",\"message\":\"Backend fell over\"}}");
  g_autoptr(RfEvent) null_error =
    event_new ("{\"type\":\"response.in_progress\",\"sequence_number\":3,\"error\":null}");

  g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_ERROR);
  g_assert_cmpstr (rf_event_get_error_code (event), ==, "server_error");
  g_assert_cmpstr (rf_event_get_error_message (event), ==, "Backend fell over");
  g_assert_cmpint (rf_event_get_sequence_number (event), ==, 3);

  g_assert_cmpint (rf_event_get_kind (null_error), ==, RF_EVENT_RESPONSE_IN_PROGRESS);
}

static void
test_error_shapes (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(RfEvent) flat = NULL;
  g_autoptr(RfEvent) nested = NULL;
  g_autoptr(RfEvent) openrouter = NULL;
  g_autoptr(RfEvent) null_code = NULL;

  rf_test_stream_error_flat (s, "server_error", "Sorry, flat.");
  flat = last_event (s);
  g_assert_cmpint (rf_event_get_kind (flat), ==, RF_EVENT_ERROR);
  g_assert_cmpstr (rf_event_get_error_code (flat), ==, "server_error");
  g_assert_cmpstr (rf_event_get_error_message (flat), ==, "Sorry, flat.");
  g_assert_cmpint (rf_event_get_sequence_number (flat), ==, 0);

  rf_test_stream_error_nested (s, "insufficient_quota", "insufficient_quota", "You exceeded your current quota");
  nested = last_event (s);
  g_assert_cmpint (rf_event_get_kind (nested), ==, RF_EVENT_ERROR);
  g_assert_cmpstr (rf_event_get_error_code (nested), ==, "insufficient_quota");
  g_assert_cmpstr (rf_event_get_error_type (nested), ==, "insufficient_quota");
  g_assert_cmpstr (rf_event_get_error_message (nested), ==, "You exceeded your current quota");
  g_assert_cmpint (rf_event_get_sequence_number (nested), ==, 1);

  openrouter = event_new ("{\"type\":\"error\",\"error\":{\"code\":402,\"message\":\"Insufficient credits\","
                          "\"metadata\":{}},\"user_id\":\"u\"}");
  g_assert_cmpint (rf_event_get_kind (openrouter), ==, RF_EVENT_ERROR);
  g_assert_cmpstr (rf_event_get_error_code (openrouter), ==, "402");
  g_assert_cmpstr (rf_event_get_error_message (openrouter), ==, "Insufficient credits");

  null_code = event_new ("{\"type\":\"error\",\"sequence_number\":2,\"error\":{\"type\":\"server_error\","
                         "\"code\":null,\"message\":\"Sorry, something went wrong.\",\"param\":null}}");
  g_assert_cmpint (rf_event_get_kind (null_code), ==, RF_EVENT_ERROR);
  g_assert_null (rf_event_get_error_code (null_code));
  g_assert_null (rf_event_get_error_param (null_code));
  g_assert_cmpstr (rf_event_get_error_message (null_code), ==, "Sorry, something went wrong.");
}

/* An image whose base64 has a '/' (escaped as \/ in JSON) and is long
 * enough for the fast path. */
static GBytes *
image_with_slash (char **b64_out)
{
  for (guint seed = 0; seed < 1000; seed++)
    {
      g_autoptr(GBytes) png = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, TRUE, seed);
      g_autofree char *b64 = rf_test_base64 (png);

      if (strchr (b64, '/') != NULL && strlen (b64) > 200)
        {
          *b64_out = g_steal_pointer (&b64);
          return g_steal_pointer (&png);
        }
    }

  g_assert_not_reached ();
}

static char *
escape_slashes (const char *b64)
{
  g_auto(GStrv) parts = g_strsplit (b64, "/", -1);

  return g_strjoinv ("\\/", parts);
}

static void
test_escaped_base64 (void)
{
  g_autofree char *b64 = NULL;
  g_autoptr(GBytes) png = image_with_slash (&b64);
  g_autofree char *escaped = escape_slashes (b64);
#define PARTIAL_FORMAT "{\"type\":\"response.image_generation_call.partial_image\",\"sequence_number\":5," \
                       "\"output_index\":0,\"item_id\":\"ig_1\",\"partial_image_index\":0," \
                       "\"partial_image_b64\":\"%s\"}"
  g_autofree char *fast_json = g_strdup_printf (PARTIAL_FORMAT, b64);
  g_autofree char *slow_json = g_strdup_printf (PARTIAL_FORMAT, escaped);
#undef PARTIAL_FORMAT
  g_autoptr(RfEvent) fast = event_new (fast_json);
  g_autoptr(RfEvent) slow = event_new (slow_json);
  g_autoptr(GBytes) fast_image = NULL;
  g_autoptr(GBytes) slow_image = NULL;

  g_assert_cmpint (rf_event_get_kind (slow), ==, RF_EVENT_IMAGE_CALL_PARTIAL);
  g_assert_null (rf_event_get_problem (slow));
  g_assert_cmpint (rf_event_get_partial_image_index (slow), ==, 0);

  fast_image = event_image (fast, 0);
  slow_image = event_image (slow, 0);
  assert_same_bytes (fast_image, png);
  assert_same_bytes (slow_image, png);

  /* Neither keeps the payload in the text kept for the log. */
  g_assert_null (strstr (rf_event_get_elided_json (fast), b64));
  g_assert_null (strstr (rf_event_get_elided_json (slow), b64));
  g_assert_null (strstr (rf_event_get_elided_json (slow), escaped));
  g_assert_null (strstr (rf_event_get_elided_json (slow), b64 + strlen (b64) / 2));
}

static void
test_completed_two_outputs (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) a = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 1);
  g_autoptr(GBytes) b = rf_test_make_image (RF_IMAGE_FORMAT_JPEG, 16, 16, FALSE, 2);
  g_autoptr(RfEvent) event = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  RfTestOutput outputs[] = {
    { 1, "ig_b", b, NULL },
    { 0, "ig_a", a, "Revised" },
  };

  rf_test_stream_created (s, "resp_1", -1);
  rf_test_stream_completed_multi (s, NULL, outputs, G_N_ELEMENTS (outputs));
  event = last_event (s);

  g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_RESPONSE_COMPLETED);
  g_assert_true (rf_event_is_terminal (event));
  g_assert_cmpuint (rf_event_get_n_images (event), ==, 2);
  g_assert_cmpstr (rf_event_get_image (event, 0)->item_id, ==, "ig_a");
  g_assert_cmpint (rf_event_get_image (event, 0)->output_index, ==, 0);
  g_assert_cmpstr (rf_event_get_image (event, 1)->item_id, ==, "ig_b");
  g_assert_cmpint (rf_event_get_image (event, 1)->output_index, ==, 1);

  first = event_image (event, 0);
  second = event_image (event, 1);
  assert_same_bytes (first, a);
  assert_same_bytes (second, b);

  /* Outputs that are not images, and images without a result, bring none. */
  {
    g_autoptr(RfEvent) mixed =
      event_new ("{\"type\":\"response.completed\",\"sequence_number\":9,\"response\":{\"id\":\"r\","
                 "\"status\":\"completed\",\"output\":[{\"id\":\"rs_1\",\"type\":\"reasoning\"},"
                 "{\"id\":\"ig_1\",\"type\":\"image_generation_call\",\"status\":\"failed\",\"result\":null},"
                 "{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[]}]}}");

    g_assert_cmpuint (rf_event_get_n_images (mixed), ==, 0);
    g_assert_null (rf_event_get_problem (mixed));
  }
}

static void
test_openrouter_camel_case (void)
{
  g_autoptr(GBytes) png = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 16, 16, FALSE, 3);
  g_autofree char *b64 = rf_test_base64 (png);
  g_autofree char *b64_json =
    g_strdup_printf ("{\"type\":\"response.output_item.done\",\"sequence_number\":7,\"output_index\":0,"
                     "\"item\":{\"id\":\"ig_1\",\"type\":\"openrouter:image_generation\",\"status\":\"completed\","
                     "\"imageB64\":\"%s\",\"revisedPrompt\":\"Owls\"}}", b64);
  g_autofree char *url_json =
    g_strdup_printf ("{\"type\":\"response.output_item.done\",\"sequence_number\":7,\"output_index\":0,"
                     "\"item\":{\"id\":\"ig_1\",\"type\":\"openrouter:image_generation\",\"status\":\"completed\","
                     "\"imageUrl\":\"data:image/png;base64,%s\"}}", b64);
  const char *short_url_json =
    "{\"type\":\"response.output_item.done\",\"sequence_number\":7,\"output_index\":0,"
    "\"item\":{\"id\":\"ig_1\",\"type\":\"openrouter:image_generation\",\"imageUrl\":\"data:image/png;base64,aGVsbG8=\"}}";
  const char *http_url_json =
    "{\"type\":\"response.output_item.done\",\"sequence_number\":7,\"output_index\":0,"
    "\"item\":{\"id\":\"ig_1\",\"type\":\"openrouter:image_generation\",\"result\":\"https://example.invalid/i.png\"}}";
  g_autoptr(RfEvent) with_b64 = event_new (b64_json);
  g_autoptr(RfEvent) with_url = event_new (url_json);
  g_autoptr(RfEvent) with_short_url = event_new (short_url_json);
  g_autoptr(RfEvent) with_http = event_new (http_url_json);
  g_autoptr(GBytes) image1 = NULL;
  g_autoptr(GBytes) image2 = NULL;
  g_autoptr(GBytes) image3 = NULL;

  g_assert_cmpint (rf_event_get_kind (with_b64), ==, RF_EVENT_OUTPUT_ITEM_DONE);
  g_assert_cmpstr (rf_event_get_revised_prompt (with_b64), ==, "Owls");
  image1 = event_image (with_b64, 0);
  assert_same_bytes (image1, png);

  image2 = event_image (with_url, 0);
  assert_same_bytes (image2, png);
  g_assert_null (strstr (rf_event_get_elided_json (with_url), b64));

  image3 = event_image (with_short_url, 0);
  g_assert_cmpmem (g_bytes_get_data (image3, NULL), g_bytes_get_size (image3), "hello", 5);

  /* A URL is not fetched: no image, and a problem that says so. */
  g_assert_cmpuint (rf_event_get_n_images (with_http), ==, 0);
  g_assert_nonnull (rf_event_get_problem (with_http));
}

/* The text kept for every event never holds an image payload. */
static void
test_elided_json (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(RfTestStream) images = rf_test_stream_new (RF_TEST_FLAVOR_IMAGES);
  g_autoptr(GBytes) png = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 32, 32, TRUE, 9);
  g_autofree char *b64 = rf_test_base64 (png);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) image_events = NULL;
  guint n_with_images = 0;

  g_assert_cmpuint (strlen (b64), >, 200);

  rf_test_stream_created (s, "resp_1", 1);
  rf_test_stream_image_call (s, 0, "ig_1", &png, 1, png, "An owl");
  rf_test_stream_completed (s, NULL, "ig_1", png);
  events = events_from_stream (s);

  rf_test_stream_images_partial (images, 0, png);
  rf_test_stream_images_completed (images, png);
  image_events = events_from_stream (images);
  for (guint i = 0; i < image_events->len; i++)
    g_ptr_array_add (events, g_object_ref (image_events->pdata[i]));

  for (guint i = 0; i < events->len; i++)
    {
      RfEvent *event = events->pdata[i];
      const char *elided = rf_event_get_elided_json (event);
      g_autofree char *summary = rf_event_dup_summary (event);

      g_assert_nonnull (elided);
      g_assert_null (strstr (elided, b64));
      /* Not even a large piece of it. */
      g_assert_null (strstr (elided, b64 + 40));
      g_assert_null (strstr (summary, b64 + 40));
      g_assert_cmpuint (strlen (elided), <, 2048);
      if (rf_event_get_n_images (event) > 0)
        {
          g_autoptr(GBytes) image = event_image (event, 0);

          assert_same_bytes (image, png);
          n_with_images++;
        }
    }

  /* partial, item done, completed, Images partial, Images completed. */
  g_assert_cmpuint (n_with_images, ==, 5);
}

static void
test_hash_images (void)
{
  g_autoptr(RfTestStream) s = rf_test_stream_new (RF_TEST_FLAVOR_RESPONSES);
  g_autoptr(GBytes) png = rf_test_make_image (RF_IMAGE_FORMAT_PNG, 24, 24, FALSE, 4);
  g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  g_autoptr(RfEvent) event = NULL;
  g_autoptr(RfEvent) keepalive = NULL;

  rf_test_stream_partial (s, 0, "ig_1", 0, png);
  event = last_event (s);

  g_assert_cmpint (rf_event_get_image_bytes (event), ==, -1);
  g_assert_null (rf_event_get_image_sha256 (event));

  rf_event_hash_images (event);
  g_assert_cmpint (rf_event_get_image_bytes (event), ==, g_bytes_get_size (png));
  g_assert_cmpstr (rf_event_get_image_sha256 (event), ==, expected);

  /* Dropping the payload keeps the hash. */
  rf_event_clear_images (event);
  g_assert_cmpuint (rf_event_get_n_images (event), ==, 0);
  g_assert_cmpstr (rf_event_get_image_sha256 (event), ==, expected);

  keepalive = event_new ("{\"type\":\"keepalive\",\"sequence_number\":1}");
  rf_event_hash_images (keepalive);
  g_assert_cmpint (rf_event_get_image_bytes (keepalive), ==, -1);
  g_assert_null (rf_event_get_image_sha256 (keepalive));
}

/* A multi-megabyte payload takes the fast path and comes out whole. */
static void
test_big_payload (void)
{
  const gsize n = 6 * 1000 * 1000;
  g_autoptr(GString) json = g_string_sized_new (n + 256);
  g_autoptr(RfEvent) event = NULL;
  const RfEventImage *image;

  g_string_append (json, "{\"type\":\"image_generation.completed\",\"b64_json\":\"");
  for (gsize i = 0; i < n; i++)
    g_string_append_c (json, "ABCD"[i & 3]);
  g_string_append (json, "\",\"output_format\":\"png\"}");

  event = event_new (json->str);
  g_assert_cmpint (rf_event_get_kind (event), ==, RF_EVENT_IMAGES_COMPLETED);
  g_assert_cmpuint (rf_event_get_n_images (event), ==, 1);
  image = rf_event_get_image (event, 0);
  g_assert_cmpuint (g_bytes_get_size (image->b64), ==, n);
  g_assert_cmpuint (strlen (rf_event_get_elided_json (event)), <, 512);
  g_assert_cmpuint (rf_event_get_data_size (event), ==, json->len);
}

/* Kept bytes are packed into shared blocks: payloads of every size, some
 * larger than a block's quarter (a block of their own), decode to the
 * same bytes as the plain decoder, stay intact while their neighbours
 * are freed in any order, and a failed decode leaves nothing behind. */
static void
test_base64_kept (void)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) plain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  RfKeptBytes *blocks = rf_kept_bytes_new ();
  guint32 state = 7;

  for (guint i = 0; i < 40; i++)
    {
      gsize n = i % 10 == 9 ? (gsize) 9 << 20 : 1 + (i * 977) % 3000000;
      g_autofree guint8 *raw = g_malloc (n);
      g_autofree char *b64 = NULL;
      g_autoptr(GError) error = NULL;
      GBytes *a, *b;

      for (gsize k = 0; k < n; k++)
        {
          state = state * 1103515245 + 12345;
          raw[k] = state >> 23;
        }
      b64 = g_base64_encode (raw, n);
      a = rf_base64_decode_kept (b64, strlen (b64), G_MAXSIZE, blocks, &error);
      g_assert_no_error (error);
      b = rf_base64_decode_bytes (b64, strlen (b64), G_MAXSIZE, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a), raw, n);
      g_ptr_array_add (kept, a);
      g_ptr_array_add (plain, b);

      /* Invalid input in the middle of the block fails cleanly. */
      g_assert_null (rf_base64_decode_kept ("QUJD*", 5, G_MAXSIZE, blocks, &error));
      g_assert_error (error, RF_ERROR, RF_ERROR_DECODE);
    }

  /* The bytes outlive where they were put. Every other one goes; the
   * rest are untouched. */
  rf_kept_bytes_free (blocks);
  for (guint i = kept->len; i-- > 0;)
    if (i % 2 == 0)
      {
        g_ptr_array_remove_index (kept, i);
        g_ptr_array_remove_index (plain, i);
      }
  for (guint i = 0; i < kept->len; i++)
    g_assert_true (g_bytes_equal (kept->pdata[i], plain->pdata[i]));
}

/* The display-copy rule (rf-text.h): what is shown of a stream's text is
 * cut at a character, with the size the value had; the terminal's copy is
 * escaped after the cut. */
static void
test_text_shorten (void)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(GString) accents = g_string_new (NULL);
  g_autofree char *whole = NULL;
  g_autofree char *cut = NULL;
  g_autofree char *cut_utf8 = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *noted = NULL;
  g_autofree char *shown = NULL;

  g_assert_null (rf_text_shorten (NULL, 10));
  whole = rf_text_shorten ("server_error", RF_TEXT_SHOW_SHORT);
  g_assert_cmpstr (whole, ==, "server_error");

  for (guint i = 0; i < 5000; i++)
    g_string_append_c (long_text, 'a' + i % 26);
  cut = rf_text_shorten (long_text->str, RF_TEXT_SHOW_LONG);
  g_assert_cmpint (memcmp (cut, long_text->str, RF_TEXT_SHOW_LONG), ==, 0);
  g_assert_true (g_str_has_suffix (cut, "… [5000 bytes]"));
  g_assert_cmpuint (strlen (cut), ==, RF_TEXT_SHOW_LONG + strlen ("… [5000 bytes]"));

  /* 2-byte characters and an odd limit: the cut falls before one. */
  for (guint i = 0; i < 300; i++)
    g_string_append (accents, "é");
  cut_utf8 = rf_text_shorten (accents->str, 201);
  g_assert_true (g_utf8_validate (cut_utf8, -1, NULL));
  g_assert_true (g_str_has_prefix (cut_utf8, "éé"));
  g_assert_cmpuint (strstr (cut_utf8, "…") - cut_utf8, ==, 200);

  /* A value the core kept cut (a 52 MB message) still says its size. */
  kept = g_strdup_printf ("%s… [54525957 bytes] (server_error)", long_text->str);
  noted = rf_text_shorten (kept, RF_TEXT_SHOW_SHORT);
  g_assert_true (g_str_has_suffix (noted, "… [54525957 bytes]"));

  /* Cut, then escaped: an ESC past the limit is gone, one before it is
   * shown as text. */
  shown = rf_text_show ("\x1b[2Jhello", 7);
  g_assert_null (strchr (shown, 0x1b));
  g_assert_true (g_str_has_prefix (shown, "\\x1b[2Jh"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/event/kinds", test_kinds);
  g_test_add_func ("/event/base64-kept", test_base64_kept);
  g_test_add_func ("/event/envelope-fields", test_envelope_fields);
  g_test_add_func ("/event/shuffled-keys", test_shuffled_keys);
  g_test_add_func ("/event/integral-floats", test_integral_floats);
  g_test_add_func ("/event/bad-indexes", test_bad_indexes);
  g_test_add_func ("/event/done", test_done);
  g_test_add_func ("/event/not-object", test_not_object);
  g_test_add_func ("/event/invalid-json", test_invalid_json);
  g_test_add_func ("/event/error-on-other-type", test_error_on_other_type);
  g_test_add_func ("/event/error-shapes", test_error_shapes);
  g_test_add_func ("/event/escaped-base64", test_escaped_base64);
  g_test_add_func ("/text/shorten", test_text_shorten);
  g_test_add_func ("/event/completed-two-outputs", test_completed_two_outputs);
  g_test_add_func ("/event/openrouter-camel-case", test_openrouter_camel_case);
  g_test_add_func ("/event/elided-json", test_elided_json);
  g_test_add_func ("/event/hash-images", test_hash_images);
  g_test_add_func ("/event/big-payload", test_big_payload);

  return g_test_run ();
}
