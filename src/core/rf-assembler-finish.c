/*
 * rf-assembler-finish.c
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

#define G_LOG_DOMAIN "rf-assembler"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rf-assembler-private.h"
#include "rf-frame.h"
#include "rf-lane.h"

/* What the end of a stream says, once every event was pushed (the rules
 * for each event are in rf-assembler.c): a lane without its final image,
 * fewer partial images than asked for, a stream cut short or in no known
 * format, each as a diagnostic or the run's failure. */

void
rf_assembler_finish (RfAssembler *self,
                     gboolean     discarded_event)
{
  gboolean images_done = self->saw_images_api;

  for (guint i = 0; i < self->lanes->len; i++)
    {
      LaneInfo *info = g_ptr_array_index (self->lanes, i);

      if (!info->has_final)
        images_done = FALSE;
    }

  if (self->n_frames == 0 && !self->failed && self->format == RF_STREAM_FORMAT_UNKNOWN)
    {
      /* Not a stream that was cut short, but one of another kind: say
       * what it looks like rather than call it truncated. */
      g_autofree char *message = NULL;

      if (self->first_event == NULL)
        /* TRANSLATORS: why a file or URL is not shown: it is not a
         * server-sent event stream of image generation. An event is one
         * server-sent event of the stream */
        message = g_strdup (_("not an image event stream: it holds no event"));
      else if (self->first_problem != NULL)
        /* Its kind is unknown because it could not be read, not because it
         * is of another kind: say so rather than call it no image stream. */
        /* TRANSLATORS: why a file or URL shows nothing; the first %s is
         * the start of the first event's data, the second why it could not
         * be read. An event is one server-sent event of the stream */
        message = g_strdup_printf (_("no image in this stream: its first event, %s, could not be read: %s"),
                                   self->first_event, self->first_problem);
      else
        /* TRANSLATORS: why a file or URL is not shown; %s is what the first
         * event looks like (e.g. a chat completion). An event is one
         * server-sent event of the stream */
        message = g_strdup_printf (_("not an image event stream: first event looks like %s"),
                                   self->first_event);

      _rf_assembler_diagnose (self, RF_SEVERITY_ERROR, "no-images", -1, -1, "%s", message);
      _rf_assembler_fail (self, message);
    }
  else if (!self->ended && !images_done && !self->failed &&
           !(self->saw_finish && !discarded_event))
    {
      g_autofree char *message = NULL;
      g_autofree char *ended = NULL;
      g_autofree char *kept = NULL;

      if (discarded_event && self->max_seq < 0)
        /* TRANSLATORS: a diagnostic: “numbered” means carrying a sequence
         * number. An event is one server-sent event of the stream */
        ended = g_strdup (_("The stream ended in the middle of an event before the first numbered one; "
                            "the incomplete event was discarded"));
      else if (discarded_event)
        /* TRANSLATORS: a diagnostic. The sequence number is the number the
         * server gives each event, in order */
        ended = g_strdup_printf (_("The stream ended in the middle of an event after sequence number %lld; "
                                   "the incomplete event was discarded"),
                                 (long long) self->max_seq);
      else if (self->max_seq >= 0)
        /* TRANSLATORS: a diagnostic: the “final event” is the one that says
         * the response is complete. The sequence number is the number the
         * server gives each event, in order */
        ended = g_strdup_printf (_("The stream ended without a final event after sequence number %lld"),
                                 (long long) self->max_seq);
      else
        ended = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              /* TRANSLATORS: a diagnostic: the
                                               * “final event” is the one that says
                                               * the response is complete; %u counts
                                               * the events received. An event is one
                                               * server-sent event of the stream */
                                              "The stream ended without a final event after %u event",
                                              "The stream ended without a final event after %u events",
                                              self->n_events),
                                 self->n_events);
      /* TRANSLATORS: a frame is one decoded partial or final image */
      kept = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u frame was kept", "%u frames were kept",
                                           self->n_frames),
                              self->n_frames);
      /* TRANSLATORS: how the stream ended, then "3 frames were kept" */
      message = g_strdup_printf (_("%s; %s"), ended, kept);

      _rf_assembler_diagnose (self, RF_SEVERITY_ERROR, "truncated", -1, -1, "%s", message);
      _rf_assembler_fail (self, message);
    }
  else if (discarded_event)
    {
      /* Bytes after the end, or after a failure, are not the stream's
       * content: worth knowing, not an error of their own. */
      if (self->max_seq < 0)
        _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "truncated", -1, -1, "%s",
                  /* TRANSLATORS: a diagnostic: “numbered” means carrying a
                   * sequence number. An event is one server-sent event of
                   * the stream */
                  _("An incomplete event before the first numbered one was discarded at the end of the stream"));
      else
        _rf_assembler_diagnose (self, RF_SEVERITY_WARNING, "truncated", -1, -1,
                  /* TRANSLATORS: a diagnostic. The sequence number is the
                   * number the server gives each event, in order */
                  _("An incomplete event after sequence number %lld was discarded at the end of the stream"),
                  (long long) self->max_seq);
    }

  /* A stream that is complete but carries no image: no frame to show is
   * never a success. */
  if (self->n_frames == 0 && !self->failed)
    {
      const char *format = rf_stream_format_to_string (self->format);
      g_autofree char *message = NULL;
      gboolean stopped = self->finish_reason == NULL ||
                         g_ascii_strcasecmp (self->finish_reason, "stop") == 0;

      if (self->saw_text && stopped)
        message = g_strdup_printf (_("%s, text only: no image in this stream"), format);
      else if (self->saw_text)
        message = g_strdup_printf (_("%s, text only: no image in this stream (finish reason %s)"),
                                   format, self->finish_reason);
      else if (!stopped)
        message = g_strdup_printf (_("%s: no image in this stream (finish reason %s)"),
                                   format, self->finish_reason);
      else
        message = g_strdup_printf (_("%s: no image in this stream"), format);

      _rf_assembler_diagnose (self, RF_SEVERITY_ERROR, "no-images", -1, -1, "%s", message);
      _rf_assembler_fail (self, message);
    }

  for (guint i = 0; i < self->lanes->len; i++)
    {
      LaneInfo *info = g_ptr_array_index (self->lanes, i);

      if (!info->has_final && !info->failed)
        _rf_assembler_diagnose (self, (self->ended || self->saw_finish) && !info->unannounced ? RF_SEVERITY_ERROR : RF_SEVERITY_WARNING,
                  "no-final", -1, (int) i,
                  g_dngettext (GETTEXT_PACKAGE,
                               /* TRANSLATORS: a diagnostic. A partial image
                                * is a blurry preview the server streams
                                * before the final image */
                               "Image %u has no final image (%u partial image kept)",
                               "Image %u has no final image (%u partial images kept)",
                               info->n_partials),
                  i + 1, info->n_partials);
    }

  if (self->n_replays_dropped > 0)
    _rf_assembler_diagnose (self, RF_SEVERITY_INFO, "resume-replay", -1, -1,
              g_dngettext (GETTEXT_PACKAGE,
                           /* TRANSLATORS: a diagnostic: after reconnecting,
                            * the server sent events again that had already
                            * arrived. An event is one server-sent event of
                            * the stream */
                           "%u replayed event was dropped after resuming",
                           "%u replayed events were dropped after resuming",
                           self->n_replays_dropped),
              self->n_replays_dropped);
}
