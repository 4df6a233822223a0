/*
 * rf-sched.h
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

/* What a widget author needs to know about scheduling, in one place.
 *
 * Asking for a redraw while a run streams. Frames arrive faster than a
 * window can lay itself out (on X11 a layout costs a dozen round trips to
 * the display server), so a widget does not redraw on every session
 * signal. It joins its window's pacer in its root vfunc and leaves it in
 * unroot:
 *
 *   self->pacer = rf_pacer_connect (widget, "update", G_CALLBACK (update_cb));
 *   ...
 *   rf_pacer_disconnect (&self->pacer, widget);
 *
 * then marks what changed and asks for the kind of frame it needs:
 * - rf_pacer_queue_image(): a new picture, same size (the canvas); the
 *   ::image handler calls gtk_widget_queue_draw().
 * - rf_pacer_queue_update(): something whose size follows the run (a
 *   label's text, a lane added); the ::update handler applies it and may
 *   call gtk_widget_queue_resize(). At most every RF_PACER_INTERVAL_MS.
 * - rf_pacer_queue_rows(): rows appended to a list; use an RfBatchModel
 *   between the session's list and the view, flushed on ::rows.
 * A change the user made (a click, a key) redraws at once: the pacer is for
 * what a run does on its own.
 *
 * Handing work back from a thread. Workers never touch a widget or emit a
 * signal; they post results to the main context through an RfMailbox
 * (lock-free, so the UI thread never waits for a worker), and threads the
 * caller owns call rf_thread_lower_priority() so they run behind the UI.
 *
 * Measuring. REFINERY_PROFILE=1 starts the stall monitor
 * (rf_stall_monitor_start_if_enabled()); rf_stall_monitor_add_phase()
 * names where an iteration's time went.
 *
 * Threads: the pacer, the batch model and the spinner are main-thread
 * only; rf_mailbox_post() and rf_thread_lower_priority() are for any
 * thread; the stall monitor's functions are for the thread of the context
 * it watches. */

#include "rf-batch-model.h"
#include "rf-mailbox.h"
#include "rf-pacer.h"
#include "rf-stall-monitor.h"
#include "rf-thread.h"
