/*
 * rf-demo-source.c
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

#define G_LOG_DOMAIN "rf-demo-source"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rf-demo-source.h"
#include "rf-ingest.h"
#include "rf-recorder.h"
#include "rf-synth.h"

/* The demo is an OpenAI Responses API stream of one image generation call
 * with three partial images, written exactly as the API frames it
 * (`event:` + `data:` lines) and pushed through the ingest's SSE parser
 * like bytes from the network. Frames are rendered and encoded on the
 * ingest thread only when the stream reaches them. */

#define DEMO_SEED           RF_DEMO_SEED
#define DEMO_N_STEPS        (RF_DEMO_N_PARTIALS + 1)
#define DEMO_DEFAULT_SIZE   RF_DEMO_DEFAULT_SIZE
#define DEMO_RESPONSE_ID    "resp_demo0000000000000000000000000000000000000001"
#define DEMO_ITEM_ID        "ig_demo0000000000000000000000000000000000000000001"
#define DEMO_CREATED_AT     1758000000
#define DEMO_PROMPT         "A quiet valley at dusk: layered ridges fading into haze, " \
                            "a low sun among drifting clouds, pines in the foreground"
#define DEMO_REVISED_PROMPT "A calm mountain valley at dusk seen from a forested hillside: " \
                            "several ridges recede into soft atmospheric haze, a pale sun " \
                            "hangs low among thin, drifting clouds, and dark pine " \
                            "silhouettes line the foreground."

struct _RfDemoSource
{
  RfSource    parent_instance;
  double      speed;
  int         width;
  int         height;
  RfRecorder *recorder;   /* journals the run, as a live one's; or NULL */
};

G_DEFINE_FINAL_TYPE (RfDemoSource, rf_demo_source, RF_TYPE_SOURCE)

typedef enum
{
  EV_CREATED,
  EV_IN_PROGRESS,
  EV_ITEM_ADDED,
  EV_CALL_IN_PROGRESS,
  EV_CALL_GENERATING,
  EV_PARTIAL_0,
  EV_PARTIAL_1,
  EV_PARTIAL_2,
  EV_CALL_COMPLETED,
  EV_ITEM_DONE,
  EV_COMPLETED,
  N_EVENTS
} DemoEvent;

G_STATIC_ASSERT (EV_PARTIAL_2 - EV_PARTIAL_0 + 1 == RF_DEMO_N_PARTIALS);

/* When each event leaves the "server" at speed 1, in ms: partials about
 * 1.2 s apart, as a real low-quality generation paces them. */
static const gint64 event_t_ms[N_EVENTS] = {
  0, 45, 130, 160, 320, 1500, 2700, 3900, 5000, 5060, 5150,
};

typedef struct
{
  int    width;
  int    height;
  char  *size;
  /* base64 of each step, made on first use; the final is sent twice. */
  char  *b64[DEMO_N_STEPS];
} DemoBuilder;

static void
demo_builder_init (DemoBuilder *b,
                   int          width,
                   int          height)
{
  memset (b, 0, sizeof *b);
  b->width = width;
  b->height = height;
  b->size = g_strdup_printf ("%dx%d", width, height);
}

static void
demo_builder_clear (DemoBuilder *b)
{
  g_clear_pointer (&b->size, g_free);
  for (guint i = 0; i < DEMO_N_STEPS; i++)
    g_clear_pointer (&b->b64[i], g_free);
}

static const char *
demo_builder_get_b64 (DemoBuilder  *b,
                      guint         step,
                      GError      **error)
{
  g_assert (step < DEMO_N_STEPS);

  if (b->b64[step] == NULL)
    {
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autoptr(GBytes) png = NULL;
      gsize len;
      const guint8 *data;

      pixbuf = rf_synth_render (b->width, b->height, DEMO_SEED, step, DEMO_N_STEPS, FALSE);
      png = rf_synth_encode (pixbuf, RF_IMAGE_FORMAT_PNG, error);
      if (png == NULL)
        return NULL;

      data = g_bytes_get_data (png, &len);
      b->b64[step] = g_base64_encode (data, len);
    }

  return b->b64[step];
}

static char *
demo_request_json (int width,
                   int height)
{
  return g_strdup_printf ("{\"model\":\"gpt-5\",\"input\":\"" DEMO_PROMPT "\",\"stream\":true,"
                          "\"tools\":[{\"type\":\"image_generation\",\"partial_images\":%d,"
                          "\"size\":\"%dx%d\",\"quality\":\"high\",\"output_format\":\"png\","
                          "\"background\":\"opaque\"}]}",
                          DEMO_N_STEPS - 1, width, height);
}

static void
append_response (GString    *s,
                 const char *status,
                 gboolean    with_partials_echo)
{
  g_string_append_printf (s, "\"response\":{\"id\":\"" DEMO_RESPONSE_ID "\","
                             "\"object\":\"response\",\"created_at\":%d,\"status\":\"%s\","
                             "\"background\":false,\"error\":null,\"incomplete_details\":null,"
                             "\"instructions\":null,\"model\":\"gpt-5\",\"output\":[",
                          DEMO_CREATED_AT, status);
  if (!with_partials_echo)
    return;
  g_string_append (s, "],\"parallel_tool_calls\":true,\"store\":true,\"tool_choice\":\"auto\","
                      "\"tools\":[{\"type\":\"image_generation\",\"background\":\"opaque\","
                      "\"moderation\":\"auto\",\"n\":1,\"output_compression\":100,"
                      "\"output_format\":\"png\"");
  g_string_append_printf (s, ",\"partial_images\":%d", DEMO_N_STEPS - 1);
  g_string_append (s, ",\"quality\":\"high\",\"size\":\"auto\"}],\"usage\":null}");
}

static void
append_final_item (DemoBuilder *b,
                   GString     *s,
                   const char  *b64)
{
  g_string_append (s, "{\"id\":\"" DEMO_ITEM_ID "\",\"type\":\"image_generation_call\","
                      "\"status\":\"completed\",\"background\":\"opaque\","
                      "\"output_format\":\"png\",\"quality\":\"high\",\"result\":\"");
  g_string_append (s, b64);
  g_string_append_printf (s, "\",\"revised_prompt\":\"" DEMO_REVISED_PROMPT "\","
                             "\"size\":\"%s\"}", b->size);
}

static const char *
event_type (DemoEvent ev)
{
  switch (ev)
    {
    case EV_CREATED:          return "response.created";
    case EV_IN_PROGRESS:      return "response.in_progress";
    case EV_ITEM_ADDED:       return "response.output_item.added";
    case EV_CALL_IN_PROGRESS: return "response.image_generation_call.in_progress";
    case EV_CALL_GENERATING:  return "response.image_generation_call.generating";
    case EV_PARTIAL_0:
    case EV_PARTIAL_1:
    case EV_PARTIAL_2:        return "response.image_generation_call.partial_image";
    case EV_CALL_COMPLETED:   return "response.image_generation_call.completed";
    case EV_ITEM_DONE:        return "response.output_item.done";
    case EV_COMPLETED:        return "response.completed";
    case N_EVENTS:
    default:                  break;
    }

  g_return_val_if_reached (NULL);
}

/* Appends the SSE text of event @ev (sequence_number = @ev) to @out. */
static gboolean
demo_builder_append_event (DemoBuilder  *b,
                           DemoEvent     ev,
                           GString      *out,
                           GError      **error)
{
  const char *type = event_type (ev);
  const char *b64;

  g_string_append_printf (out, "event: %s\ndata: {\"type\":\"%s\",\"sequence_number\":%d,",
                          type, type, (int) ev);

  switch (ev)
    {
    case EV_CREATED:
      append_response (out, "in_progress", TRUE);
      break;

    case EV_IN_PROGRESS:
      append_response (out, "in_progress", TRUE);
      break;

    case EV_ITEM_ADDED:
      g_string_append (out, "\"output_index\":0,\"item\":{\"id\":\"" DEMO_ITEM_ID "\","
                            "\"type\":\"image_generation_call\",\"status\":\"in_progress\"}");
      break;

    case EV_CALL_IN_PROGRESS:
    case EV_CALL_GENERATING:
    case EV_CALL_COMPLETED:
      g_string_append (out, "\"output_index\":0,\"item_id\":\"" DEMO_ITEM_ID "\"");
      break;

    case EV_PARTIAL_0:
    case EV_PARTIAL_1:
    case EV_PARTIAL_2:
      if (!(b64 = demo_builder_get_b64 (b, ev - EV_PARTIAL_0, error)))
        return FALSE;
      g_string_append_printf (out, "\"output_index\":0,\"item_id\":\"" DEMO_ITEM_ID "\","
                                   "\"partial_image_index\":%d,\"partial_image_b64\":\"",
                              (int) (ev - EV_PARTIAL_0));
      g_string_append (out, b64);
      g_string_append_printf (out, "\",\"size\":\"%s\",\"quality\":\"high\","
                                   "\"background\":\"opaque\",\"output_format\":\"png\"",
                              b->size);
      break;

    case EV_ITEM_DONE:
      if (!(b64 = demo_builder_get_b64 (b, DEMO_N_STEPS - 1, error)))
        return FALSE;
      g_string_append (out, "\"output_index\":0,\"item\":");
      append_final_item (b, out, b64);
      break;

    case EV_COMPLETED:
      if (!(b64 = demo_builder_get_b64 (b, DEMO_N_STEPS - 1, error)))
        return FALSE;
      append_response (out, "completed", FALSE);
      append_final_item (b, out, b64);
      g_string_append (out, "],\"parallel_tool_calls\":true,\"store\":true,"
                            "\"tool_choice\":\"auto\",\"tools\":[{\"type\":\"image_generation\","
                            "\"background\":\"opaque\",\"moderation\":\"auto\",\"n\":1,"
                            "\"output_compression\":100,\"output_format\":\"png\","
                            "\"quality\":\"high\",\"size\":\"auto\"}],"
                            "\"usage\":{\"input_tokens\":2150,\"input_tokens_details\":"
                            "{\"cached_tokens\":0},\"output_tokens\":310,"
                            "\"output_tokens_details\":{\"reasoning_tokens\":192},"
                            "\"total_tokens\":2460}}");
      break;

    case N_EVENTS:
    default:
      g_assert_not_reached ();
    }

  g_string_append (out, "}\n\n");
  return TRUE;
}

/* Sleeps until @deadline (monotonic µs); FALSE as soon as @cancellable is
 * cancelled. */
static gboolean
wait_until (gint64        deadline,
            GCancellable *cancellable)
{
  GPollFD pfd;
  gboolean have_fd;

  have_fd = cancellable != NULL && g_cancellable_make_pollfd (cancellable, &pfd);

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 remaining_ms;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      if (now >= deadline)
        break;

      remaining_ms = (deadline - now + 999) / 1000;
      if (have_fd)
        g_poll (&pfd, 1, (int) MIN (remaining_ms, G_MAXINT));
      else
        g_usleep (MIN (deadline - now, 20 * 1000));
    }

  if (have_fd)
    g_cancellable_release_fd (cancellable);

  return !g_cancellable_is_cancelled (cancellable);
}

/* A paced image event is sent over this long (at speed 1) before the
 * moment it ends, as a server writes an image it is still encoding, so
 * that its frame can be seen arriving; never more than most of the time
 * since the event before. */
#define IMAGE_SEND_MS 700
#define IMAGE_SEND_PIECES 24

static gboolean
is_image_event (guint ev)
{
  return (ev >= EV_PARTIAL_0 && ev <= EV_PARTIAL_2) || ev == EV_ITEM_DONE;
}

/* Pushes @len bytes in IMAGE_SEND_PIECES pieces spread from @from to
 * @until (monotonic µs). */
static gboolean
push_spread (RfIngest      *ingest,
             RfRecorder    *recorder,
             const guint8  *data,
             gsize          len,
             gint64         from,
             gint64         until,
             GCancellable  *cancellable)
{
  gsize piece = (len + IMAGE_SEND_PIECES - 1) / IMAGE_SEND_PIECES;

  for (guint i = 0; len > 0; i++)
    {
      gsize n = MIN (piece, len);

      if (!wait_until (from + (until - from) * i / IMAGE_SEND_PIECES, cancellable))
        return FALSE;
      rf_ingest_push (ingest, data, n);
      if (recorder != NULL)
        rf_recorder_sync (recorder, ingest);
      data += n;
      len -= n;
    }

  return wait_until (until, cancellable);
}

/* Pushes @len bytes in network-sized pieces (16–64 KiB, varying) that
 * split lines anywhere. */
static gboolean
push_chunked (RfIngest      *ingest,
              RfRecorder    *recorder,
              const guint8  *data,
              gsize          len,
              guint32       *chunk_counter,
              GCancellable  *cancellable)
{
  while (len > 0)
    {
      guint32 h = *chunk_counter * 0x9e3779b1U;
      gsize piece;

      h ^= h >> 15;
      h *= 0x2c1b3c6dU;
      h ^= h >> 12;
      piece = 16 * 1024 + h % (48 * 1024);
      piece = MIN (piece, len);
      (*chunk_counter)++;

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;

      rf_ingest_push (ingest, data, piece);
      if (recorder != NULL)
        rf_recorder_sync (recorder, ingest);
      data += piece;
      len -= piece;
    }

  return TRUE;
}

static gboolean
rf_demo_source_run (RfSource      *source,
                    RfIngest      *ingest,
                    GCancellable  *cancellable,
                    GError       **error)
{
  RfDemoSource *self = RF_DEMO_SOURCE (source);
  g_autofree char *request = NULL;
  g_autoptr(GString) pending = g_string_new (NULL);
  DemoBuilder builder;
  guint32 chunk_counter = 0;
  gint64 start;
  gboolean ok = TRUE;

  request = demo_request_json (self->width, self->height);
  rf_ingest_set_request (ingest, request, DEMO_N_STEPS - 1);
  if (self->recorder != NULL)
    rf_recorder_attach (self->recorder, ingest);
  rf_ingest_set_connecting (ingest);
  if (self->speed > 0)
    rf_ingest_set_paced (ingest);

  demo_builder_init (&builder, self->width, self->height);
  start = g_get_monotonic_time ();

  for (guint ev = 0; ev < N_EVENTS && ok; ev++)
    {
      /* Build (render, encode) first, then wait, so the pace holds. */
      if (!demo_builder_append_event (&builder, ev, pending, error))
        {
          ok = FALSE;
          break;
        }

      if (self->speed > 0 && is_image_event (ev) && ev > 0)
        {
          /* Sent over a while, ending when the event is due. */
          gint64 send_ms = MIN (IMAGE_SEND_MS, (event_t_ms[ev] - event_t_ms[ev - 1]) * 4 / 5);
          gint64 deadline = start + (gint64) (event_t_ms[ev] * 1000.0 / self->speed);
          gint64 from = deadline - (gint64) (send_ms * 1000.0 / self->speed);

          if (!push_spread (ingest, self->recorder, (const guint8 *) pending->str, pending->len,
                            from, deadline, cancellable))
            {
              ok = FALSE;
              break;
            }
          g_string_truncate (pending, 0);
          continue;
        }

      if (self->speed > 0)
        {
          gint64 deadline = start + (gint64) (event_t_ms[ev] * 1000.0 / self->speed);

          if (!wait_until (deadline, cancellable))
            {
              ok = FALSE;
              break;
            }
        }

      if (ev == 0)
        rf_ingest_set_streaming (ingest);

      /* Instant replay lets pieces straddle events, as a fast network
       * would; paced replay sends each event whole before pausing. */
      if (self->speed > 0 || ev + 1 == N_EVENTS || pending->len >= 64 * 1024)
        {
          gsize keep = 0;

          if (self->speed <= 0 && ev + 1 < N_EVENTS)
            keep = pending->len % (16 * 1024);

          if (!push_chunked (ingest, self->recorder, (const guint8 *) pending->str, pending->len - keep,
                             &chunk_counter, cancellable))
            {
              ok = FALSE;
              break;
            }
          g_string_erase (pending, 0, pending->len - keep);
        }
    }

  demo_builder_clear (&builder);
  if (self->recorder != NULL)
    {
      if (!ok && g_cancellable_is_cancelled (cancellable))
        rf_recorder_note_outcome (self->recorder, "cancelled", NULL);
      rf_recorder_finish (self->recorder, ingest);
    }

  if (!ok && (error == NULL || *error == NULL))
    g_cancellable_set_error_if_cancelled (cancellable, error);

  return ok;
}

static char *
rf_demo_source_dup_description (RfSource *source)
{
  return g_strdup ("demo");
}

/* "demo" is what refinery-inspect is given; the app names it. */
static char *
rf_demo_source_dup_display_name (RfSource *source)
{
  /* TRANSLATORS: the source of the run shown, in the window's subtitle
   * and the inspector: the stream Refinery makes up itself, without a
   * network or a key */
  return g_strdup (_("Built-in demo"));
}

static void
rf_demo_source_dispose (GObject *object)
{
  RfDemoSource *self = RF_DEMO_SOURCE (object);

  g_clear_object (&self->recorder);

  G_OBJECT_CLASS (rf_demo_source_parent_class)->dispose (object);
}

static void
rf_demo_source_class_init (RfDemoSourceClass *klass)
{
  RfSourceClass *source_class = RF_SOURCE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = rf_demo_source_dispose;
  source_class->run = rf_demo_source_run;
  source_class->dup_description = rf_demo_source_dup_description;
  source_class->dup_display_name = rf_demo_source_dup_display_name;
}

static void
rf_demo_source_init (RfDemoSource *self)
{
  self->width = DEMO_DEFAULT_SIZE;
  self->height = DEMO_DEFAULT_SIZE;
}

RfSource *
rf_demo_source_new (double speed)
{
  RfDemoSource *self = g_object_new (RF_TYPE_DEMO_SOURCE, NULL);

  self->speed = MAX (0.0, speed);
  return RF_SOURCE (self);
}

void
rf_demo_source_set_size (RfDemoSource *self,
                         int           width,
                         int           height)
{
  g_return_if_fail (RF_IS_DEMO_SOURCE (self));
  g_return_if_fail (width > 0 && width <= 4096);
  g_return_if_fail (height > 0 && height <= 4096);

  self->width = width;
  self->height = height;
}

GBytes *
rf_demo_source_build_stream (int     width,
                             int     height,
                             GArray *t_ms_out)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  DemoBuilder builder;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (t_ms_out == NULL ||
                        g_array_get_element_size (t_ms_out) == sizeof (gint64), NULL);

  demo_builder_init (&builder, width, height);
  for (guint ev = 0; ev < N_EVENTS; ev++)
    {
      if (!demo_builder_append_event (&builder, ev, out, &error))
        {
          g_critical ("Cannot build the demo stream: %s", error->message);
          demo_builder_clear (&builder);
          return NULL;
        }
      if (t_ms_out != NULL)
        g_array_append_val (t_ms_out, event_t_ms[ev]);
    }
  demo_builder_clear (&builder);

  return g_string_free_to_bytes (g_steal_pointer (&out));
}

void
rf_demo_source_set_recorder (RfDemoSource *self,
                             RfRecorder   *recorder)
{
  g_return_if_fail (RF_IS_DEMO_SOURCE (self));
  g_return_if_fail (!recorder || RF_IS_RECORDER (recorder));

  g_set_object (&self->recorder, recorder);
}

char *
rf_demo_source_dup_sidecar_json (RfDemoSource *self)
{
  g_autofree char *body = NULL;

  g_return_val_if_fail (RF_IS_DEMO_SOURCE (self), NULL);

  body = demo_request_json (self->width, self->height);
  return g_strdup_printf ("{\"method\":\"POST\",\"api\":\"responses\",\"partial_images\":%d,\"body\":%s}",
                          DEMO_N_STEPS - 1, body);
}
