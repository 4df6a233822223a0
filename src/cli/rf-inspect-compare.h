/*
 * rf-inspect-compare.h
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

#include "rf-compare.h"
#include "rf-types.h"

G_BEGIN_DECLS

/* --compare: runs @sources (A and B, which it takes and frees; with
 * @n_sources 1, A is B) at once with @workers decode workers each, pairs
 * their frames by @align — image @lane_a of A with image @lane_b of B, or
 * every image with the one of the same number when they are G_MAXUINT —
 * and writes the comparison to stdout, as JSON when @json. Returns the
 * exit status: 2 when a run could not be read or lacks a chosen image,
 * else the worse of the two runs' own. */
int rf_inspect_compare (RfSource       *sources[2],
                        guint           n_sources,
                        RfCompareAlign  align,
                        guint           lane_a,
                        guint           lane_b,
                        int             workers,
                        gboolean        json);

G_END_DECLS
