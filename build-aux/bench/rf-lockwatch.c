/*
 * rf-lockwatch.c
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

/* Preloaded into the app by run-bench.py --gui: counts how long the
 * main thread sleeps on GLib's locks (GMutex, GCond, bit locks: GLib
 * calls futex(2) through syscall(3)) while it should be running the UI.
 * A lock the UI thread shares with a worker that runs behind it can
 * keep the UI waiting until the worker gets a core again.
 *
 * It prints "lockwatch: N waits over 0.5 ms, T ms in all, worst W ms" when
 * loaded and after each such wait, since the benchmark stops the app with
 * a signal. RF_LOCKWATCH_BACKTRACE=1 also prints where each wait began. */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <linux/futex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define REPORT_OVER_SEC 0.0005

static long (*real_syscall) (long number, ...);
static unsigned long n_waits;
static double total_sec;
static double worst_sec;
static int backtraces = -1;

static double
now_sec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
report (void)
{
  fprintf (stderr, "lockwatch: %lu waits over %.1f ms, %.1f ms in all, worst %.1f ms\n",
           n_waits, REPORT_OVER_SEC * 1000, total_sec * 1000, worst_sec * 1000);
}

static int
is_wait (long op)
{
  op &= FUTEX_CMD_MASK;
  return op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET;
}

long
syscall (long number, ...)
{
  va_list ap;
  long a[6];
  double start, waited;
  int saved_errno;
  long ret;

  va_start (ap, number);
  for (int i = 0; i < 6; i++)
    a[i] = va_arg (ap, long);
  va_end (ap);

  if (real_syscall == NULL)
    real_syscall = (long (*) (long, ...)) dlsym (RTLD_NEXT, "syscall");

  if (number != SYS_futex || !is_wait (a[1]) || gettid () != getpid ())
    return real_syscall (number, a[0], a[1], a[2], a[3], a[4], a[5]);

  start = now_sec ();
  ret = real_syscall (number, a[0], a[1], a[2], a[3], a[4], a[5]);
  saved_errno = errno;
  waited = now_sec () - start;

  if (waited > REPORT_OVER_SEC)
    {
      n_waits++;
      total_sec += waited;
      if (waited > worst_sec)
        worst_sec = waited;

      report ();

      if (backtraces < 0)
        backtraces = getenv ("RF_LOCKWATCH_BACKTRACE") != NULL;
      if (backtraces)
        {
          void *frames[24];
          int n = backtrace (frames, 24);

          fprintf (stderr, "lockwatch: the main thread waited %.2f ms in\n", waited * 1000);
          backtrace_symbols_fd (frames, n, 2);
        }
    }

  /* GLib reads errno after a timed wait (ETIMEDOUT); the report must not
   * change it. */
  errno = saved_errno;
  return ret;
}

__attribute__((constructor)) static void
loaded (void)
{
  report ();
}
