/*
 * rf-event.h
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

#include "rf-types.h"

G_BEGIN_DECLS

/* Threads: an event is used by one thread at a time: the ingest thread
 * makes it and hands it to the main thread, which keeps it in the
 * session. */

typedef enum
{
  RF_EVENT_OTHER,                  /* any other JSON object type: logged only */
  RF_EVENT_INVALID,                /* data that is not a JSON object */
  RF_EVENT_DONE,                   /* data: [DONE] */
  RF_EVENT_KEEPALIVE,
  RF_EVENT_ERROR,                  /* flat or nested error event */
  RF_EVENT_RESPONSE_CREATED,
  RF_EVENT_RESPONSE_QUEUED,
  RF_EVENT_RESPONSE_IN_PROGRESS,
  RF_EVENT_RESPONSE_COMPLETED,
  RF_EVENT_RESPONSE_FAILED,
  RF_EVENT_RESPONSE_INCOMPLETE,
  RF_EVENT_OUTPUT_ITEM_ADDED,
  RF_EVENT_OUTPUT_ITEM_DONE,
  RF_EVENT_IMAGE_CALL_IN_PROGRESS, /* response.image_generation_call.in_progress */
  RF_EVENT_IMAGE_CALL_GENERATING,
  RF_EVENT_IMAGE_CALL_PARTIAL,     /* response.image_generation_call.partial_image */
  RF_EVENT_IMAGE_CALL_COMPLETED,   /* carries no image */
  RF_EVENT_IMAGES_PARTIAL,         /* image_generation/image_edit.partial_image */
  RF_EVENT_IMAGES_COMPLETED,       /* image_generation/image_edit.completed (b64_json = final) */
  RF_EVENT_IMAGES_TEXT_CHUNK,      /* OpenRouter image_generation.text_chunk */
  RF_EVENT_CHAT_CHUNK,             /* chat.completion.chunk (delta.images[] data URLs) */
  RF_EVENT_GEMINI_CHUNK,           /* Gemini GenerateContentResponse (inlineData parts) */
} RfEventKind;

/* The wire format an event belongs to: recognised by content, so a
 * stream needs no flag to say what it is. */
typedef enum
{
  RF_STREAM_FORMAT_UNKNOWN,
  RF_STREAM_FORMAT_RESPONSES,      /* OpenAI or OpenRouter Responses API */
  RF_STREAM_FORMAT_IMAGES,         /* Images API generations, OpenRouter /images */
  RF_STREAM_FORMAT_IMAGE_EDITS,    /* Images API edits */
  RF_STREAM_FORMAT_CHAT,           /* chat completions (OpenRouter image modalities) */
  RF_STREAM_FORMAT_GEMINI,         /* Gemini streamGenerateContent */
} RfStreamFormat;

/* "OpenAI chat completions", …: untranslated protocol names. */
const char   *rf_stream_format_to_string       (RfStreamFormat format);

#define RF_TYPE_EVENT (rf_event_get_type())

G_DECLARE_FINAL_TYPE (RfEvent, rf_event, RF, EVENT, GObject)

/* One image carried by an event: the base64 text as received. For
 * response.completed, one per image_generation_call output with a result. */
typedef struct
{
  GBytes *b64;             /* base64 text (owned) */
  char   *item_id;         /* may be NULL */
  gint64  output_index;    /* -1 when absent */
  /* Chat completions and Gemini: the image's place in the stream
   * ("choice 0 image 1", "candidate 0"), which makes its lane; NULL for
   * the OpenAI shapes, which have item ids. */
  char   *lane_key;
  /* The media type declared next to the payload (data URL head,
   * inlineData.mimeType, media_type), or NULL. */
  char   *mime_type;
  /* Gemini thought images: previews before the answer. */
  gboolean partial;
} RfEventImage;

/* Parse one SSE event. Never fails: bad input becomes RF_EVENT_INVALID with
 * rf_event_get_problem() saying why. @data (transfer none): the event's
 * data (no NUL); the event keeps slices of it, with their own references.
 * Returns: (transfer full) */
RfEvent      *rf_event_new_from_sse            (const char   *sse_event,
                                                GBytes       *data,
                                                const char   *sse_id,
                                                gint64        t_ms);
RfEventKind   rf_event_get_kind                (RfEvent      *self);
/* Returns: (transfer none) */
const char   *rf_event_get_kind_nick           (RfEvent      *self);
/* The JSON "type" (or "[DONE]", or NULL for invalid data).
 * Returns: (transfer none) (nullable) */
const char   *rf_event_get_type_name           (RfEvent      *self);
/* Returns: (transfer none) */
const char   *rf_event_get_sse_event           (RfEvent      *self);
/* Returns: (transfer none) */
const char   *rf_event_get_sse_id              (RfEvent      *self);
gint64        rf_event_get_sequence_number     (RfEvent      *self);
/* Returns: (transfer none) (nullable) */
const char   *rf_event_get_item_id             (RfEvent      *self);
gint64        rf_event_get_output_index        (RfEvent      *self);
gint64        rf_event_get_partial_image_index (RfEvent      *self);
gint64        rf_event_get_t_ms                (RfEvent      *self);
void          rf_event_set_t_ms                (RfEvent      *self,
                                                gint64        t_ms);
/* Position of the event in the stream (0-based count of events). */
guint         rf_event_get_position            (RfEvent      *self);
void          rf_event_set_position            (RfEvent      *self,
                                                guint         position);
/* The data with image payloads replaced by a short placeholder: small
 * enough to keep for every event and to show in the log.
 * Returns: (transfer none) */
const char   *rf_event_get_elided_json         (RfEvent      *self);
gsize         rf_event_get_data_size           (RfEvent      *self);
/* One-line human summary, payloads elided.
 * Returns: (transfer full) */
char         *rf_event_dup_summary             (RfEvent      *self);
/* Images carried (partial, final, repeats). Owned by the event until
 * rf_event_clear_images() drops the base64 to save memory. */
guint         rf_event_get_n_images            (RfEvent      *self);
/* Returns: (transfer none) */
const RfEventImage *rf_event_get_image         (RfEvent      *self,
                                                guint         i);
void          rf_event_clear_images            (RfEvent      *self);
/* About how many bytes the event holds (its fields, its texts, its
 * images' descriptions): every text in it is cut to a few KiB, so this
 * is bounded whatever the event's size on the wire. */
gsize         rf_event_get_kept_size           (RfEvent      *self);
/* Decoded length and sha256 of the first image, when computed with
 * rf_event_hash_images(); -1 / NULL otherwise. */
void          rf_event_hash_images             (RfEvent      *self);
gint64        rf_event_get_image_bytes         (RfEvent      *self);
/* Returns: (transfer none) (nullable) */
const char   *rf_event_get_image_sha256        (RfEvent      *self);
/* Error details for error / response.failed / response.incomplete and
 * HTTP-like failures; NULL when none.
 * Returns: (transfer none) (nullable) */
const char   *rf_event_get_error_code          (RfEvent      *self);
/* Returns: (transfer none) (nullable) */
const char   *rf_event_get_error_message       (RfEvent      *self);
/* Returns: (transfer none) (nullable) */
const char   *rf_event_get_error_type          (RfEvent      *self);
/* Returns: (transfer none) (nullable) */
const char   *rf_event_get_error_param         (RfEvent      *self);
/* For envelope events: response id and status.
 * Returns: (transfer none) (nullable) */
const char   *rf_event_get_response_id         (RfEvent      *self);
/* Returns: (transfer none) (nullable) */
const char   *rf_event_get_response_status     (RfEvent      *self);
/* For output items: the item's "type" (e.g. image_generation_call) and
 * "status", and its revised prompt when present.
 * Returns: (transfer none) (nullable) */
const char   *rf_event_get_item_type           (RfEvent      *self);
/* Returns: (transfer none) (nullable) */
const char   *rf_event_get_item_status         (RfEvent      *self);
/* Returns: (transfer none) (nullable) */
const char   *rf_event_get_revised_prompt      (RfEvent      *self);
/* What the event says of its image: the size, quality, output_format or
 * background a Responses item, partial image event or Images API event
 * echoes, as sent.
 * Returns: (transfer none) (nullable) */
const char   *rf_event_get_image_param        (RfEvent      *self,
                                               RfImageParam  param);
/* partial_images echoed by the image_generation tool in response.created,
 * -1 when absent. */
gint64        rf_event_get_echoed_partial_images (RfEvent    *self);
/* Why the event could not be fully understood (invalid JSON, mistyped or
 * out-of-range field), or NULL.
 * Returns: (transfer none) (nullable) */
const char   *rf_event_get_problem             (RfEvent      *self);
gboolean      rf_event_is_image_event          (RfEvent      *self);
RfStreamFormat rf_event_get_format             (RfEvent      *self);
/* Text carried by the event (chat content deltas, Gemini text parts,
 * OpenRouter text chunks), or NULL.
 * Returns: (transfer none) (nullable) */
const char   *rf_event_get_text                (RfEvent      *self);
/* finish_reason (chat) or finishReason (Gemini) when the event has one.
 * Returns: (transfer none) (nullable) */
const char   *rf_event_get_finish_reason       (RfEvent      *self);
/* "model" / "modelVersion" and OpenRouter's "provider", when sent.
 * Returns: (transfer none) (nullable) */
const char   *rf_event_get_model               (RfEvent      *self);
/* Returns: (transfer none) (nullable) */
const char   *rf_event_get_provider            (RfEvent      *self);
/* The usage object (usage, usageMetadata, response.usage) as sent,
 * serialized; NULL when the event has none.
 * Returns: (transfer none) (nullable) */
const char   *rf_event_get_usage_json          (RfEvent      *self);
gboolean      rf_event_is_terminal             (RfEvent      *self);

/* JSON nested deeper than this is refused before parsing: json-glib's
 * parser recurses once per level and a line of "[[[[…" would overflow the
 * stack. Protocol events nest less than 10 deep. */
#define RF_JSON_MAX_DEPTH 128

/* FALSE when @text (@len bytes, or NUL-terminated if -1) nests arrays and
 * objects deeper than @max_depth, or holds a second value after the first
 * (json-glib 1.6 accepts that, keeps the last value and leaks the
 * others). Linear, no allocation. */
gboolean      rf_json_safe_to_parse            (const char   *text,
                                                gssize        len,
                                                guint         max_depth);

typedef enum
{
  RF_JSON_SHAPE_OK,
  RF_JSON_SHAPE_TOO_DEEP,
  RF_JSON_SHAPE_SEVERAL_VALUES,
} RfJsonShape;

/* As rf_json_safe_to_parse(), saying which of the two it found first, so
 * that a message can name it. */
RfJsonShape   rf_json_check_shape              (const char   *text,
                                                gssize        len,
                                                guint         max_depth);

/* Takes @text (JSON from json-glib) and returns it with each number that
 * has a fraction or an exponent written in the fewest digits that read
 * back as the same double (json-glib writes 17: 0.0387 would come out as
 * 0.038699999999999998).
 * Returns: (transfer full): @text, which it takes */
char         *rf_json_shorten_numbers          (char         *text);

G_END_DECLS
