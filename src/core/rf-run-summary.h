/*
 * rf-run-summary.h
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

#include <json-glib/json-glib.h>

#include "rf-types.h"

G_BEGIN_DECLS

/* What one run took: times, frames, bytes, and what it cost — the usage
 * as the provider sent it, its cost when sent (OpenRouter), else an
 * estimate from the price table (data/prices.json), and what the partial
 * images added. Made from a finished (or running) session on its thread. */
typedef struct
{
  gint64    first_partial_ms;     /* -1: none */
  gint64    first_final_ms;       /* -1: none */
  gint64    final_ms;             /* the last lane's final, -1: none */
  gint64    duration_ms;
  guint     n_lanes;
  guint     n_frames;
  guint     n_partials;
  guint     n_finals;
  guint64   bytes_received;
  guint64   image_bytes;
  JsonNode *usage;                /* as sent, or NULL */
  char     *usage_event;          /* the event type it came in */
  char     *model;                /* image model, when known */
  gboolean  has_cost;             /* the provider sent a cost */
  double    cost;
  gboolean  has_estimate;         /* estimated from the price table */
  double    estimate;
  guint     partial_tokens;       /* output tokens the partials added */
  gboolean  has_partial_cost;
  double    partial_cost;
} RfRunSummary;

/* Returns: (transfer full) */
RfRunSummary *rf_run_summary_new      (RfSession          *session);
void          rf_run_summary_free     (RfRunSummary       *self);
/* Adds the summary as one JSON object value. */
void          rf_run_summary_add_json (const RfRunSummary *self,
                                       JsonBuilder        *builder);
/* Translated lines for people, each ending in a newline.
 * Returns: (transfer full) */
char         *rf_run_summary_format   (const RfRunSummary *self);

/* The price table: USD per million tokens of @model ("openai/" prefix
 * allowed). FALSE for a model it does not list. */
gboolean      rf_prices_lookup        (const char         *model,
                                       double             *text_input,
                                       double             *image_input,
                                       double             *image_output);
/* Its date, source page and output tokens one partial image adds.
 * Returns: (transfer none) (nullable) */
const char   *rf_prices_get_date      (void);
/* Returns: (transfer none) (nullable) */
const char   *rf_prices_get_source    (void);
guint         rf_prices_get_partial_image_tokens (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfRunSummary, rf_run_summary_free)

G_END_DECLS
