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

/* --compare: runs @sources (A and B, which it takes and frees) at once
 * with @workers decode workers each, pairs their frames by @align and
 * writes the comparison to stdout, as JSON when @json. Returns the exit
 * status: 2 when a run could not be read, else the worse of the two
 * runs' own. */
int rf_inspect_compare (RfSource       *sources[2],
                        RfCompareAlign  align,
                        int             workers,
                        gboolean        json);

G_END_DECLS
