/*
 * rf-stall-monitor.c
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

#define G_LOG_DOMAIN "rf-stall-monitor"

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "rf-stall-monitor.h"

/* A source that never dispatches: its check() runs right after the poll
 * and its prepare() at the start of the next iteration, so the time
 * between the two is what that iteration spent in callbacks. An idle loop
 * blocks in poll between prepare and check, which is not counted. */

/* Where the main thread's time went, as counters that only grow: a
 * stall with little CPU time in it was the thread waiting, and these say
 * for what. */
typedef struct
{
  gint64 cpu_usec;      /* on the CPU */
  gint64 runqueue_usec; /* ready, waiting for a core other threads held */
  glong  n_blocked;     /* voluntary switches: locks, display round trips */
  glong  n_faults;      /* minor page faults: memory touched the first time */
} Counters;

typedef struct
{
  GSource  source;
  gint64   after_poll;     /* µs; 0 before the first check */
  Counters at_check;
} StallSource;

/* Named parts of an iteration (the batch idle, layout, paint), summed
 * per iteration so that a stall says where its time went. */
#define MAX_PHASES 8

typedef struct
{
  const char *name;  /* static */
  gint64      usec;
} Phase;

static struct
{
  GSource *source;
  Phase    phases[MAX_PHASES];
  guint    n_phases;
  double   threshold_ms;
  double   worst_ms;
  guint    n_stalls;
  /* Before the first run starts: the window's own first paint. */
  gboolean streaming;
  gint64   stream_start_usec;
  Counters at_stream_start;
  int      schedstat_fd;   /* of the thread that started the monitor */
  double   worst_startup_ms;
  guint64  n_iterations;
  double   worst_frame_ms;
  guint    n_frames;
} monitor = { .schedstat_fd = -1 };

/* CPU time of the calling thread: a stall with little CPU in it was the
 * thread waiting (for a lock, or for a core other work held), not its
 * own callbacks being slow. */
static gint64
thread_cpu_usec (void)
{
#ifdef CLOCK_THREAD_CPUTIME_ID
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
    return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
#endif
  return 0;
}

/* Time this thread spent runnable but not running, from the scheduler's
 * own account (Linux); 0 elsewhere. */
static gint64
thread_runqueue_usec (void)
{
  char buf[96];
  ssize_t n;
  unsigned long long on_cpu_ns, waiting_ns;

  if (monitor.schedstat_fd < 0)
    return 0;

  n = pread (monitor.schedstat_fd, buf, sizeof buf - 1, 0);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  if (sscanf (buf, "%llu %llu", &on_cpu_ns, &waiting_ns) != 2)
    return 0;

  return (gint64) (waiting_ns / 1000);
}

static void
sample_counters (Counters *counters)
{
  counters->cpu_usec = thread_cpu_usec ();
  counters->runqueue_usec = thread_runqueue_usec ();
  counters->n_blocked = 0;
  counters->n_faults = 0;
#ifdef RUSAGE_THREAD
  {
    struct rusage usage;

    if (getrusage (RUSAGE_THREAD, &usage) == 0)
      {
        counters->n_blocked = usage.ru_nvcsw;
        counters->n_faults = usage.ru_minflt;
      }
  }
#endif
}

static void
note_busy (gint64          busy_usec,
           const Counters *before)
{
  Counters now;
  double ms = busy_usec / 1000.0;
  g_autoptr(GString) parts = NULL;

  monitor.n_iterations++;
  if (ms <= monitor.threshold_ms)
    return;

  sample_counters (&now);

  if (!monitor.streaming)
    {
      monitor.worst_startup_ms = MAX (monitor.worst_startup_ms, ms);
      g_message ("startup stall %.0f ms (%.0f ms of it on the CPU), before any run started",
                 ms, (now.cpu_usec - before->cpu_usec) / 1000.0);
      return;
    }

  monitor.n_stalls++;
  if (ms > monitor.worst_ms)
    monitor.worst_ms = ms;

  parts = g_string_new (NULL);
  for (guint i = 0; i < monitor.n_phases; i++)
    if (monitor.phases[i].usec >= 500)
      g_string_append_printf (parts, "%s%s %.0f ms", parts->len ? ", " : "; ",
                              monitor.phases[i].name, monitor.phases[i].usec / 1000.0);

  /* The monotonic time of its end matches a profiler's clock (perf -k mono). */
  g_message ("stall %.0f ms at %.4f s (%.0f ms of it on the CPU, %.0f ms waiting for a core, "
             "%ld blocking waits, %ld page faults; worst %.0f ms%s)",
             ms, g_get_monotonic_time () / (double) G_USEC_PER_SEC,
             (now.cpu_usec - before->cpu_usec) / 1000.0,
             (now.runqueue_usec - before->runqueue_usec) / 1000.0,
             now.n_blocked - before->n_blocked, now.n_faults - before->n_faults,
             monitor.worst_ms, parts->str);
}

static gboolean
stall_prepare (GSource *source,
               int     *timeout)
{
  StallSource *self = (StallSource *) source;

  if (self->after_poll != 0)
    {
      note_busy (g_get_monotonic_time () - self->after_poll, &self->at_check);
      self->after_poll = 0;
    }

  *timeout = -1;
  return FALSE;
}

static gboolean
stall_check (GSource *source)
{
  StallSource *self = (StallSource *) source;

  self->after_poll = g_get_monotonic_time ();
  sample_counters (&self->at_check);
  for (guint i = 0; i < monitor.n_phases; i++)
    monitor.phases[i].usec = 0;
  return FALSE;
}

static gboolean
stall_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs stall_funcs = {
  stall_prepare,
  stall_check,
  stall_dispatch,
  NULL, NULL, NULL,
};

void
rf_stall_monitor_start (GMainContext *context,
                        double        threshold_ms)
{
  if (monitor.source != NULL)
    return;

  monitor.threshold_ms = threshold_ms > 0 ? threshold_ms : RF_STALL_MONITOR_DEFAULT_THRESHOLD_MS;
  monitor.worst_ms = 0;
  monitor.n_stalls = 0;
  monitor.streaming = FALSE;
  monitor.stream_start_usec = 0;
  monitor.worst_startup_ms = 0;
  monitor.n_iterations = 0;
  monitor.worst_frame_ms = 0;
  monitor.n_frames = 0;

  /* Bound to this thread: /proc/thread-self resolves when it is opened. */
  monitor.schedstat_fd = open ("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  monitor.source = g_source_new (&stall_funcs, sizeof (StallSource));
  /* Prepared and checked before every other source of the iteration. */
  g_source_set_priority (monitor.source, G_PRIORITY_HIGH);
  g_source_set_name (monitor.source, "[rf-stall-monitor]");
  g_source_attach (monitor.source, context);

  g_message ("stall monitor on: logging main-loop iterations over %.0f ms", monitor.threshold_ms);
}

gboolean
rf_stall_monitor_start_if_enabled (GMainContext *context)
{
  const char *threshold;

  if (g_strcmp0 (g_getenv ("REFINERY_PROFILE"), "1") != 0)
    return FALSE;

  /* A lower threshold shows the iterations that come close, which is
   * what tells a cost that grows apart from one that happens once. */
  threshold = g_getenv ("REFINERY_PROFILE_THRESHOLD_MS");
  rf_stall_monitor_start (context,
                          threshold != NULL ? g_ascii_strtod (threshold, NULL)
                                            : RF_STALL_MONITOR_DEFAULT_THRESHOLD_MS);
  return TRUE;
}

void
rf_stall_monitor_stop (void)
{
  if (monitor.source == NULL)
    return;

  g_message ("worst stall %.0f ms (%u over %.0f ms in %" G_GUINT64_FORMAT " iterations); "
             "worst frame latency %.0f ms over %u frames; worst startup stall %.0f ms",
             monitor.worst_ms, monitor.n_stalls, monitor.threshold_ms, monitor.n_iterations,
             monitor.worst_frame_ms, monitor.n_frames, monitor.worst_startup_ms);

  g_source_destroy (monitor.source);
  g_clear_pointer (&monitor.source, g_source_unref);
  if (monitor.schedstat_fd >= 0)
    close (monitor.schedstat_fd);
  monitor.schedstat_fd = -1;
}

void
rf_stall_monitor_stream_started (void)
{
  monitor.streaming = TRUE;
  monitor.stream_start_usec = g_get_monotonic_time ();
  if (monitor.source != NULL)
    sample_counters (&monitor.at_stream_start);
}

void
rf_stall_monitor_stream_finished (void)
{
  Counters now;

  if (monitor.source == NULL || monitor.stream_start_usec == 0)
    return;

  sample_counters (&now);
  g_message ("the UI thread ran %.0f ms of CPU time while it streamed (%.0f ms), "
             "and waited %.0f ms for a core",
             (now.cpu_usec - monitor.at_stream_start.cpu_usec) / 1000.0,
             (g_get_monotonic_time () - monitor.stream_start_usec) / 1000.0,
             (now.runqueue_usec - monitor.at_stream_start.runqueue_usec) / 1000.0);
  monitor.stream_start_usec = 0;
}

void
rf_stall_monitor_add_phase (const char *name,
                            gint64      usec)
{
  if (monitor.source == NULL)
    return;

  for (guint i = 0; i < monitor.n_phases; i++)
    if (monitor.phases[i].name == name || g_str_equal (monitor.phases[i].name, name))
      {
        monitor.phases[i].usec += usec;
        return;
      }

  if (monitor.n_phases < MAX_PHASES)
    monitor.phases[monitor.n_phases++] = (Phase) { name, usec };
}

gboolean
rf_stall_monitor_is_running (void)
{
  return monitor.source != NULL;
}

double
rf_stall_monitor_get_worst_ms (void)
{
  return monitor.worst_ms;
}

guint
rf_stall_monitor_get_n_stalls (void)
{
  return monitor.n_stalls;
}

void
rf_stall_monitor_frame_shown (guint  frame_index,
                              gint64 session_start_usec,
                              gint64 frame_t_ms)
{
  double ms;

  if (monitor.source == NULL)
    return;

  ms = (g_get_monotonic_time () - session_start_usec) / 1000.0 - frame_t_ms;
  monitor.n_frames++;
  if (ms > monitor.worst_frame_ms)
    monitor.worst_frame_ms = ms;
  g_message ("frame %u on screen %.0f ms after its event", frame_index, ms);
}
