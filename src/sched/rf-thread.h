/*
 * rf-thread.h
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

#include <glib.h>

G_BEGIN_DECLS

/* Puts the calling thread behind the UI thread (nice +10 on Linux, where
 * threads have their own; nothing elsewhere). Only for threads the caller
 * owns: shared pool threads would carry it into unrelated work. Does
 * nothing the second time on the same thread. */
void rf_thread_lower_priority (void);

/* Has the heap serve and keep blocks of up to 32 MiB (the buffers each
 * frame needs), so threads reuse pages instead of faulting in new ones.
 * Process-wide: for main(), before threads start. */
void rf_thread_prepare_heap   (void);

G_END_DECLS
