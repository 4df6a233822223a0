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
#ifdef __GLIBC__
#include <malloc.h>
#endif
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

/* Every frame passes through buffers of megabytes on the ingest thread
 * and the decode workers: the event's line, the image's bytes, the
 * loader's pixels. glibc maps each such block afresh from the kernel
 * (above a threshold that only follows the largest block freed so far)
 * and hands freed heap memory back to it, so every frame paid again for
 * faulting in and zeroing the pages a single-threaded loop reuses:
 * 26,000 page faults against the floor's 3,200 on the photo stream. From
 * the heap, and kept there, the blocks of one frame reuse the pages of
 * the frame before. */
#define HEAP_KEEP_BYTES (32 << 20)

void
rf_thread_prepare_heap (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, HEAP_KEEP_BYTES);
  mallopt (M_TRIM_THRESHOLD, HEAP_KEEP_BYTES);
#endif
}
