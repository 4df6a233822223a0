/*
 * rf-runs.h
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

#include <adwaita.h>

G_BEGIN_DECLS

/* Threads: main thread only, as every widget. */

#define RF_TYPE_RUNS (rf_runs_get_type())

G_DECLARE_FINAL_TYPE (RfRuns, rf_runs, RF, RUNS, GtkWidget)

/* The run history: every journal in $XDG_DATA_HOME/refinery/runs, newest
 * first, with its date, prompt, frame count, recorded length, outcome
 * (failed runs marked, with why) and a thumbnail, then the recordings
 * opened recently; all read in a worker thread. ::activated (GFile
 * *journal) when one is chosen. Main thread only. */
GtkWidget *rf_runs_new             (void);
/* Scans the folder again (in a worker). */
void       rf_runs_reload          (RfRuns     *self);
/* Overrides the folder (tests); NULL = the default. */
void       rf_runs_set_directory   (RfRuns     *self,
                                    const char *path);
guint      rf_runs_get_n_runs      (RfRuns     *self);
/* How many recently opened files are listed after the runs. */
guint      rf_runs_get_n_recent    (RfRuns     *self);
/* Registers @file as opened in Refinery, for the history's recent files. */
void       rf_runs_add_recent      (GFile      *file);

G_END_DECLS
