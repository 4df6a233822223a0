/*
 * rf-pacer.h
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

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Threads: main thread only. */

#define RF_TYPE_PACER (rf_pacer_get_type())

G_DECLARE_FINAL_TYPE (RfPacer, rf_pacer, RF, PACER, GObject)

/* Paces what a streaming run changes in a window. Three kinds of change
 * make costly frames: a new canvas image repaints most of the window; a
 * change of size anywhere (a label's text, a lane added to the timeline)
 * lays the whole window out, and on X11 each layout makes a dozen round
 * trips to the display server; rows added to a list are laid out and
 * styled for the first time. Each kind has frames of its own: the canvas
 * repaints on ::image, the widgets that change size apply their changes
 * together on ::update, the lists take their new rows on ::rows, the last
 * two at most every RF_PACER_INTERVAL_MS. None is emitted while a frame
 * holding another kind is still to be painted. */

#define RF_PACER_INTERVAL_MS 100

/* The pacer of @widget's window, made the first time it is asked for;
 * NULL while @widget has no root. */
RfPacer *rf_pacer_get_for_widget (GtkWidget *widget);
/* For a widget's root vfunc: the pacer of its window (a reference), with
 * @callback connected to @signal, @widget passed first. */
RfPacer *rf_pacer_connect        (GtkWidget  *widget,
                                  const char *signal,
                                  GCallback   callback);
/* For its unroot vfunc: undoes rf_pacer_connect() and clears @pacer. */
void     rf_pacer_disconnect     (RfPacer   **pacer,
                                  GtkWidget  *widget);

/* ::update and ::rows are emitted soon: at once after a quiet spell,
 * otherwise RF_PACER_INTERVAL_MS after the last one of their kind. */
void     rf_pacer_queue_update   (RfPacer   *self);
void     rf_pacer_queue_rows     (RfPacer   *self);
/* ::image is emitted now, or once the frame of another kind is painted. */
void     rf_pacer_queue_image    (RfPacer   *self);

G_END_DECLS
