/*
 * rf-inspect-listen.h
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

#include "rf-image.h"

G_BEGIN_DECLS

/* refinery-inspect --listen: runs the tap until SIGINT or SIGTERM, then
 * lets the runs in flight finish their journals. @listen is ADDR:PORT,
 * [ADDR]:PORT, PORT or NULL (127.0.0.1:8788). Returns the exit status:
 * 0 once stopped by a signal, 2 when it cannot listen. */
int rf_inspect_listen (const char           *listen,
                       const char           *upstream,
                       gboolean              json,
                       guint                 n_workers,
                       const RfDecodeLimits *limits);

G_END_DECLS
