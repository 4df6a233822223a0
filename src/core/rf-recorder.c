/*
 * rf-recorder.c
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

#define G_LOG_DOMAIN "rf-recorder"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rf-file-util.h"
#include "rf-ingest.h"
#include "rf-journal.h"
#include "rf-recorder.h"
#include "rf-text.h"

typedef enum
{
  AT_LINE_START,
  AFTER_CR,
  IN_LINE,
} LineState;

struct _RfRecorder
{
  GObject    parent_instance;

  /* Guards the fields read from other threads: paths and counters. */
  GMutex     mutex;
  char      *path;
  char      *request_path;
  guint64    n_bytes;
  int        fd;
  LineState  line_state;
  char      *write_error;

  /* Where the last event ended (file offset after a blank line): a
   * resumed connection continues from there. */
  guint64    file_offset;
  guint64    boundary;
  guint      line_empty : 1;
  guint      blank_cr : 1;

  /* Default names: runs dir + UTC stamp, renamed once with the id. */
  char      *dir;
  char      *stamp;
  guint      default_name : 1;
  guint      renamed : 1;
  guint      incomplete : 1;
  guint      reported : 1;
  guint64    max_size;
};

G_DEFINE_FINAL_TYPE (RfRecorder, rf_recorder, G_TYPE_OBJECT)

static gboolean
write_all (int           fd,
           const guint8 *buf,
           gsize         len,
           int          *errsv)
{
  while (len > 0)
    {
      gssize n = write (fd, buf, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          *errsv = errno;
          return FALSE;
        }

      buf += n;
      len -= n;
    }

  return TRUE;
}

static int
create_private (const char  *path,
                GError     **error)
{
  int fd;

  /* O_EXCL: a journal is never overwritten, nor a symlink followed. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int errsv = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot create recording “%s”: %s"), display, g_strerror (errsv));
    }

  return fd;
}

static gboolean
write_sidecar (const char  *path,
               const char  *json,
               GError     **error)
{
  int fd;
  int errsv = 0;
  gboolean ok;

  if ((fd = create_private (path, error)) < 0)
    return FALSE;

  ok = write_all (fd, (const guint8 *) json, strlen (json), &errsv) &&
       write_all (fd, (const guint8 *) "\n", 1, &errsv);
  close (fd);

  if (!ok)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_unlink (path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot write “%s”: %s"), display, g_strerror (errsv));
    }

  return ok;
}

static char *
sanitize_id (const char *id)
{
  GString *str = g_string_new (NULL);

  for (const char *p = id; *p != '\0' && str->len < 64; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_')
        g_string_append_c (str, *p);
    }

  return g_string_free (str, FALSE);
}

/* Moves without replacing anything: link() fails on an existing name. */
static gboolean
move_no_clobber (const char *from,
                 const char *to)
{
  if (link (from, to) == 0)
    {
      g_unlink (from);
      return TRUE;
    }

  if (errno == EEXIST)
    return FALSE;

  /* No hard links on this file system: a rename that still refuses to
   * replace anything, a dangling link included. */
  return renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0;
}

static void
rename_for_id (RfRecorder *self,
               const char *response_id)
{
  g_autofree char *id = sanitize_id (response_id);

  if (id[0] == '\0')
    return;

  for (guint i = 1; i < 100; i++)
    {
      g_autofree char *base = NULL;
      g_autofree char *path = NULL;
      g_autofree char *request_path = NULL;

      if (i == 1)
        base = g_strdup_printf ("%s-%s.sse", self->stamp, id);
      else
        base = g_strdup_printf ("%s-%s-%u.sse", self->stamp, id, i);
      path = g_build_filename (self->dir, base, NULL);
      request_path = rf_journal_dup_sidecar_path (path);

      if (g_file_test (request_path, G_FILE_TEST_EXISTS))
        continue;

      if (!move_no_clobber (self->path, path))
        continue;

      if (self->request_path != NULL && !move_no_clobber (self->request_path, request_path))
        g_clear_pointer (&request_path, g_free);

      g_mutex_lock (&self->mutex);
      g_free (self->path);
      self->path = g_steal_pointer (&path);
      if (request_path != NULL && self->request_path != NULL)
        {
          g_free (self->request_path);
          self->request_path = g_steal_pointer (&request_path);
        }
      g_mutex_unlock (&self->mutex);
      return;
    }
}

/* Finds blank lines (event ends) in @buf, whose first byte is at file
 * offset @offset, @shift_at its index where @shift bytes were inserted. */
static void
scan_boundaries (RfRecorder   *self,
                 const guint8 *buf,
                 gsize         len,
                 guint64       offset,
                 gsize         shift_at,
                 gsize         shift)
{
  gboolean prev_cr = self->line_state == AFTER_CR;

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = buf[i];
      guint64 after = offset + i + 1 + (i >= shift_at ? shift : 0);

      if (c == '\n' && prev_cr)
        {
          /* The LF of a CRLF: the line already ended at the CR. */
          prev_cr = FALSE;
          if (self->blank_cr)
            self->boundary = after;
          continue;
        }

      prev_cr = FALSE;

      if (c == '\r' || c == '\n')
        {
          self->blank_cr = self->line_empty && c == '\r';
          if (self->line_empty)
            self->boundary = after;
          self->line_empty = TRUE;
          prev_cr = c == '\r';
        }
      else
        self->line_empty = FALSE;
    }
}

static void
tap_cb (const guint8 *buf,
        gsize         len,
        gint64        t_ms,
        gpointer      user_data)
{
  rf_recorder_write (user_data, buf, len, t_ms);
}

static void
rf_recorder_finalize (GObject *object)
{
  RfRecorder *self = (RfRecorder *)object;

  if (self->fd >= 0)
    close (self->fd);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->request_path, g_free);
  g_clear_pointer (&self->write_error, g_free);
  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->stamp, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (rf_recorder_parent_class)->finalize (object);
}

static void
rf_recorder_class_init (RfRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rf_recorder_finalize;
}

static void
rf_recorder_init (RfRecorder *self)
{
  g_mutex_init (&self->mutex);
  self->fd = -1;
  self->line_state = AT_LINE_START;
  self->line_empty = TRUE;
  self->max_size = RF_RECORDER_DEFAULT_MAX_SIZE;
}

RfRecorder *
rf_recorder_new (const char  *path,
                 const char  *redacted_request_json,
                 GError     **error)
{
  g_autoptr(RfRecorder) self = g_object_new (RF_TYPE_RECORDER, NULL);

  if (path != NULL)
    {
      self->path = g_strdup (path);
      if ((self->fd = create_private (self->path, error)) < 0)
        return NULL;
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GError) local_error = NULL;

      self->default_name = TRUE;
      self->dir = rf_journal_dup_runs_dir ();
      self->stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");

      if (!rf_file_ensure_dir (self->dir, 0700, error))
        return NULL;

      /* Two runs within the same second get a counter. */
      for (guint i = 1; self->fd < 0; i++)
        {
          g_autofree char *base = NULL;

          g_clear_error (&local_error);
          g_clear_pointer (&self->path, g_free);

          if (i == 1)
            base = g_strdup_printf ("%s-run.sse", self->stamp);
          else
            base = g_strdup_printf ("%s-run-%u.sse", self->stamp, i);
          self->path = g_build_filename (self->dir, base, NULL);
          self->fd = create_private (self->path, &local_error);

          if (self->fd < 0 &&
              (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS) || i >= 100))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
        }
    }

  if (redacted_request_json != NULL)
    {
      self->request_path = rf_journal_dup_sidecar_path (self->path);

      if (!write_sidecar (self->request_path, redacted_request_json, error))
        {
          close (self->fd);
          self->fd = -1;
          g_unlink (self->path);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

void
rf_recorder_attach (RfRecorder *self,
                    RfIngest   *ingest)
{
  g_return_if_fail (RF_IS_RECORDER (self));
  g_return_if_fail (ingest != NULL);

  rf_ingest_set_tap (ingest, tap_cb, self);
}

/* The journal stops here (disk full, its cap): the run goes on, and the
 * journal is marked incomplete with why, the first reason kept. Takes
 * @why. */
static void
stop_journal (RfRecorder *self,
              char       *why)
{
  close (self->fd);
  self->fd = -1;

  g_mutex_lock (&self->mutex);
  self->incomplete = TRUE;
  if (self->write_error == NULL)
    self->write_error = why;
  else
    g_free (why);
  g_mutex_unlock (&self->mutex);
}

void
rf_recorder_write (RfRecorder   *self,
                   const guint8 *buf,
                   gsize         len,
                   gint64        t_ms)
{
  char comment[40];
  gsize comment_len;
  gsize p = G_MAXSIZE;
  int errsv = 0;

  g_return_if_fail (RF_IS_RECORDER (self));

  if (self->fd < 0 || len == 0)
    return;

  /* The replayer sets its clock from a `: t=` line for what follows, so
   * the line goes at the first line start inside the chunk: its bytes
   * before that point belong to a line that began earlier. A CR ending
   * the chunk may be the first half of a CRLF: no line start yet. */
  switch (self->line_state)
    {
    case AT_LINE_START:
      p = 0;
      break;

    case AFTER_CR:
      p = buf[0] == '\n' ? 1 : 0;
      break;

    case IN_LINE:
    default:
      for (gsize i = 0; i < len; i++)
        {
          if (buf[i] == '\n')
            {
              p = i + 1;
              break;
            }
          if (buf[i] == '\r')
            {
              if (i + 1 < len)
                p = buf[i + 1] == '\n' ? i + 2 : i + 1;
              break;
            }
        }
      break;
    }

  comment_len = g_snprintf (comment, sizeof comment, ": t=%" G_GINT64_FORMAT "\n", t_ms);

  /* A stream that never ends (one endless event, a keepalive flood) must
   * not fill the disk: the journal stops at its cap, whole chunks only. */
  if (self->file_offset + len + comment_len > self->max_size)
    {
      /* TRANSLATORS: why recording stopped. The journal is the raw bytes of
       * a run, written as they arrive and replayable */
      stop_journal (self, g_strdup_printf (_("the journal reached its size limit of %lu MiB"),
                                           (unsigned long) (self->max_size / (1024 * 1024))));
      return;
    }

  if (p == G_MAXSIZE)
    {
      if (!write_all (self->fd, buf, len, &errsv))
        goto failed;
    }
  else
    {
      if (!write_all (self->fd, buf, p, &errsv) ||
          !write_all (self->fd, (const guint8 *) comment, comment_len, &errsv) ||
          !write_all (self->fd, buf + p, len - p, &errsv))
        goto failed;
    }

  scan_boundaries (self, buf, len, self->file_offset,
                   p == G_MAXSIZE ? len : p, p == G_MAXSIZE ? 0 : comment_len);
  self->file_offset += len + (p == G_MAXSIZE ? 0 : comment_len);

  if (buf[len - 1] == '\n')
    self->line_state = AT_LINE_START;
  else if (buf[len - 1] == '\r')
    self->line_state = AFTER_CR;
  else
    self->line_state = IN_LINE;

  g_mutex_lock (&self->mutex);
  self->n_bytes += len;
  g_mutex_unlock (&self->mutex);

  return;

failed:
  /* Disk full or the like. */
  stop_journal (self, g_strdup (g_strerror (errsv)));
}

char *
rf_recorder_dup_stop_reason (RfRecorder *self)
{
  char *reason;

  g_return_val_if_fail (RF_IS_RECORDER (self), NULL);

  g_mutex_lock (&self->mutex);
  reason = g_strdup (self->write_error);
  g_mutex_unlock (&self->mutex);

  return reason;
}

void
rf_recorder_set_max_size (RfRecorder *self,
                          guint64     max_size)
{
  g_return_if_fail (RF_IS_RECORDER (self));

  self->max_size = max_size;
}

void
rf_recorder_begin_resume (RfRecorder *self)
{
  static const char marker[] = ": resume\n";
  int errsv = 0;

  g_return_if_fail (RF_IS_RECORDER (self));

  if (self->fd < 0)
    return;

  /* The replay parser must not glue the broken connection's half event
   * to the first line of the resumed one: cut it off, as the live parser
   * drops it. */
  if (self->boundary < self->file_offset)
    {
      if (ftruncate (self->fd, self->boundary) != 0 ||
          lseek (self->fd, self->boundary, SEEK_SET) < 0)
        {
          errsv = errno;
          goto failed;
        }
      self->file_offset = self->boundary;
    }

  self->line_state = AT_LINE_START;
  self->line_empty = TRUE;
  self->blank_cr = FALSE;

  if (!write_all (self->fd, (const guint8 *) marker, strlen (marker), &errsv))
    goto failed;
  self->file_offset += strlen (marker);

  return;

failed:
  stop_journal (self, g_strdup (g_strerror (errsv)));
}

void
rf_recorder_sync (RfRecorder *self,
                  RfIngest   *ingest)
{
  g_return_if_fail (RF_IS_RECORDER (self));
  g_return_if_fail (ingest != NULL);

  if (self->incomplete && !self->reported)
    {
      g_autofree char *display = NULL;

      self->reported = TRUE;
      g_mutex_lock (&self->mutex);
      display = g_filename_display_name (self->path);
      g_mutex_unlock (&self->mutex);

      rf_ingest_add_diagnostic (ingest, RF_SEVERITY_WARNING, "journal-incomplete", -1,
                                /* TRANSLATORS: the first %s is the recording's file
                                 * name, the second why it stopped short (a full
                                 * disk, its size limit) */
                                _("The recording “%s” is incomplete: %s"),
                                display, self->write_error);
    }

  if (self->default_name && !self->renamed)
    {
      g_autofree char *response_id = rf_ingest_dup_response_id (ingest);

      if (response_id != NULL)
        {
          self->renamed = TRUE;
          rename_for_id (self, response_id);
        }
    }
}

void
rf_recorder_rename_for_response_id (RfRecorder *self,
                                    const char *response_id)
{
  gboolean rename;

  g_return_if_fail (RF_IS_RECORDER (self));
  g_return_if_fail (response_id != NULL);

  /* The flags share a word with the writer's: change them under the
   * lock it takes. */
  g_mutex_lock (&self->mutex);
  rename = self->default_name && !self->renamed;
  self->renamed = TRUE;
  g_mutex_unlock (&self->mutex);

  if (rename)
    rename_for_id (self, response_id);
}

void
rf_recorder_note_outcome (RfRecorder *self,
                          const char *code,
                          const char *message)
{
  g_autoptr(GString) line = NULL;
  int errsv = 0;

  g_return_if_fail (RF_IS_RECORDER (self));
  g_return_if_fail (code != NULL);

  if (self->fd < 0)
    return;

  line = g_string_new (NULL);
  /* A comment needs a line of its own. A stream cut in the middle of a
   * line gets a line break: the cut event stays incomplete (no blank
   * line follows), as it was. */
  if (self->line_state != AT_LINE_START)
    g_string_append_c (line, '\n');
  g_string_append_printf (line, ": %s%s", RF_JOURNAL_OUTCOME_PREFIX, code);
  if (message != NULL && message[0] != '\0')
    {
      /* One line, bounded, and nothing a terminal would act on: the
       * message is shown again on replay, and people cat journals. */
      g_autofree char *cut = rf_text_shorten (message, RF_JOURNAL_OUTCOME_MAX);
      g_autofree char *escaped = rf_text_escape (cut);
      g_autofree char *shown = rf_text_shorten (escaped, RF_JOURNAL_OUTCOME_MAX);

      g_string_append_c (line, ' ');
      g_string_append (line, shown);
    }
  g_string_append_c (line, '\n');

  if (!write_all (self->fd, (const guint8 *) line->str, line->len, &errsv))
    {
      stop_journal (self, g_strdup (g_strerror (errsv)));
      return;
    }

  self->file_offset += line->len;
  self->line_state = AT_LINE_START;
}

void
rf_recorder_finish (RfRecorder *self,
                    RfIngest   *ingest)
{
  g_return_if_fail (RF_IS_RECORDER (self));

  if (ingest != NULL)
    rf_recorder_sync (self, ingest);

  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
}

char *
rf_recorder_dup_path (RfRecorder *self)
{
  char *ret;

  g_return_val_if_fail (RF_IS_RECORDER (self), NULL);

  g_mutex_lock (&self->mutex);
  ret = g_strdup (self->path);
  g_mutex_unlock (&self->mutex);

  return ret;
}

char *
rf_recorder_dup_request_path (RfRecorder *self)
{
  char *ret;

  g_return_val_if_fail (RF_IS_RECORDER (self), NULL);

  g_mutex_lock (&self->mutex);
  ret = g_strdup (self->request_path);
  g_mutex_unlock (&self->mutex);

  return ret;
}

gboolean
rf_recorder_get_incomplete (RfRecorder *self)
{
  gboolean ret;

  g_return_val_if_fail (RF_IS_RECORDER (self), FALSE);

  g_mutex_lock (&self->mutex);
  ret = self->incomplete;
  g_mutex_unlock (&self->mutex);

  return ret;
}

guint64
rf_recorder_get_n_bytes (RfRecorder *self)
{
  guint64 ret;

  g_return_val_if_fail (RF_IS_RECORDER (self), 0);

  g_mutex_lock (&self->mutex);
  ret = self->n_bytes;
  g_mutex_unlock (&self->mutex);

  return ret;
}

char *
rf_recorder_dup_sidecar_path (const char *journal_path)
{
  return rf_journal_dup_sidecar_path (journal_path);
}

char *
rf_recorder_dup_runs_dir (void)
{
  return rf_journal_dup_runs_dir ();
}
