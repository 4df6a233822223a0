/*
 * test-stall-monitor.c
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

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rf-stall-monitor.h"
#include "rf-test-util.h"

static GPtrArray *messages;

/* The core logs structured: its messages reach the writer. */
static GLogWriterOutput
collect_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if (messages != NULL && g_strcmp0 (domain, "rf-stall-monitor") == 0 && message != NULL)
    {
      g_ptr_array_add (messages, g_strdup (message));
      return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static const char *
find_message (const char *prefix)
{
  for (guint i = 0; i < messages->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (messages, i), prefix))
      return g_ptr_array_index (messages, i);

  return NULL;
}

static gint64
thread_cpu_usec (void)
{
  struct timespec ts;

  g_assert_cmpint (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts), ==, 0);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* @ms of this thread's CPU time, however busy the machine is. */
static void
burn_cpu (guint ms)
{
  gint64 end = thread_cpu_usec () + ms * 1000;
  volatile guint64 x = 0;

  while (thread_cpu_usec () < end)
    x++;
}

/* The end of a run logs the UI thread's CPU time since the run started,
 * once, and only when the monitor runs and a run started. */
static void
test_stream_cpu_time (void)
{
  const char *message;
  double cpu_ms, wall_ms;

  messages = g_ptr_array_new_with_free_func (g_free);

  /* Off: nothing. */
  rf_stall_monitor_stream_finished ();
  g_assert_cmpuint (messages->len, ==, 0);

  rf_stall_monitor_start (NULL, 0);
  /* No run yet: nothing either. */
  rf_stall_monitor_stream_finished ();
  g_assert_null (find_message ("the UI thread ran"));

  burn_cpu (30);
  rf_stall_monitor_stream_started ();
  burn_cpu (60);
  g_usleep (40 * 1000);
  rf_stall_monitor_stream_finished ();

  message = find_message ("the UI thread ran ");
  g_assert_nonnull (message);
  g_assert_cmpint (sscanf (message, "the UI thread ran %lf ms of CPU time while it streamed (%lf ms)",
                           &cpu_ms, &wall_ms), ==, 2);
  /* The 60 ms of work after the start, not the 30 before nor the sleep. */
  g_assert_cmpfloat (cpu_ms, >=, 59);
  g_assert_cmpfloat (cpu_ms, <, 85);
  g_assert_cmpfloat (wall_ms, >=, 95);

  /* Once per run. */
  g_ptr_array_set_size (messages, 0);
  rf_stall_monitor_stream_finished ();
  g_assert_null (find_message ("the UI thread ran"));

  rf_stall_monitor_stop ();
  g_clear_pointer (&messages, g_ptr_array_unref);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (collect_writer, NULL, NULL);

  g_test_add_func ("/stall-monitor/stream-cpu-time", test_stream_cpu_time);

  return g_test_run ();
}
