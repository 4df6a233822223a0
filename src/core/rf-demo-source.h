/*
 * rf-demo-source.h
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

#include "rf-recorder.h"
#include "rf-source.h"

G_BEGIN_DECLS

/* Threads: made and set up on the main thread before the run starts;
 * it then runs on the run's ingest thread (rf-source.h). */

#define RF_TYPE_DEMO_SOURCE (rf_demo_source_get_type())

G_DECLARE_FINAL_TYPE (RfDemoSource, rf_demo_source, RF, DEMO_SOURCE, RfSource)

/* The demo's frames are rf_synth_render (width, height, RF_DEMO_SEED,
 * step, RF_DEMO_N_PARTIALS + 1, FALSE) for step 0 … RF_DEMO_N_PARTIALS
 * (the last is the final), PNG-encoded; 768x768 unless set_size. */
#define RF_DEMO_SEED        29
#define RF_DEMO_N_PARTIALS  3
#define RF_DEMO_DEFAULT_SIZE 768

/* The built-in demo: a Responses API stream of one image (3 partials and
 * the final) made by rf-synth, serialised as SSE and pushed through the
 * same parser as any other source. @speed 0 = instant, 1 = real-time
 * pace (partials 1.2 s apart, 5.15 s in all); @speed s scales that pace
 * by 1/s. Cancelling the session interrupts the waits at once.
 * Returns: (transfer full) */
RfSource *rf_demo_source_new       (double        speed);
void      rf_demo_source_set_size  (RfDemoSource *self,
                                    int           width,
                                    int           height);
/* Journals the run as a live one is (rf-recorder.h): call before the
 * run starts. @recorder: (nullable) */
void      rf_demo_source_set_recorder (RfDemoSource *self,
                                       RfRecorder   *recorder);
/* The request the demo stands for, as a journal's sidecar keeps a live
 * run's (method, api, partial_images, body), so the history names its
 * prompt. */
char     *rf_demo_source_dup_sidecar_json (RfDemoSource *self);
/* Bytes of the whole demo stream (for tests and recordings): exactly what
 * the source pushes. @t_ms_out (element size sizeof (gint64), or NULL)
 * receives, for each event in order, when it is sent at speed 1 in ms.
 * Returns: (transfer full) (nullable) */
GBytes   *rf_demo_source_build_stream (int         width,
                                       int         height,
                                       GArray     *t_ms_out);

G_END_DECLS
