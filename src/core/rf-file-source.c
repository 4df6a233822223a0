/*
 * rf-file-source.c
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

#define G_LOG_DOMAIN "rf-file-source"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "rf-event.h"
#include "rf-file-source.h"
#include "rf-image.h"
#include "rf-ingest.h"
#include "rf-journal.h"

/* Large reads: a frame is 2–3 MB, and fewer reads mean fewer wake-ups. */
#define READ_SIZE (1024 * 1024)
/* A JSON line longer than this is an event too large to keep. */
#define MAX_JSON_LINE ((gsize) 96 * 1024 * 1024)

struct _RfFileSource
{
  RfSource      parent_instance;

  GFile        *file;
  GInputStream *stream;
  char         *description;
  double        speed;
};

G_DEFINE_FINAL_TYPE (RfFileSource, rf_file_source, RF_TYPE_SOURCE)

/* Recordings are told apart by content: a JSON-lines file starts with
 * '{' (after whitespace); anything else is an event stream. */
static gboolean
looks_like_json_lines (const guint8 *buf,
                       gsize         len)
{
  gsize i = 0;

  if (len >= 3 && memcmp (buf, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
    i++;

  return i < len && buf[i] == '{';
}

static gint64
member_int (JsonObject *obj,
            const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* Out-of-range doubles cannot be cast. */
      return d >= 0 && d < 9.0e15 ? (gint64) d : -1;
    }
  return -1;
}

/* A string member, or @fallback when it is absent or not a string (a
 * mistyped member must not reach json-glib's typed getters). */
static const char *
member_string (JsonObject *obj,
               const char *name,
               const char *fallback)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      !g_utf8_validate (json_node_get_string (node), -1, NULL))
    return fallback;
  return json_node_get_string (node);
}

/* One JSON line: either a --dump=sse record {"event","data","id"} (with an
 * optional "t_ms") or the event's data object itself. */
static void
push_json_line (RfIngest   *ingest,
                const char *line,
                gsize       len)
{
  g_autoptr(GBytes) data = NULL;

  while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
    len--;
  while (len > 0 && (*line == ' ' || *line == '\t'))
    line++, len--;
  if (len == 0)
    return;

  /* A protocol event starts with its "type"; anything else that names
   * "data" early may be a --dump=sse record, whose data is a string. */
  if (len > 2 && line[0] == '{' &&
      !(len >= 7 && memcmp (line, "{\"type\"", 7) == 0) &&
      memmem (line, MIN (len, 4096), "\"data\"", 6) != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      if (rf_json_safe_to_parse (line, len, RF_JSON_MAX_DEPTH) &&
          json_parser_load_from_data (parser, line, len, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *obj = json_node_get_object (json_parser_get_root (parser));
          JsonNode *data_node = json_object_get_member (obj, "data");

          if (data_node != NULL && JSON_NODE_HOLDS_VALUE (data_node) &&
              json_node_get_value_type (data_node) == G_TYPE_STRING &&
              json_object_has_member (obj, "event"))
            {
              const char *text = json_node_get_string (data_node);
              const char *event = member_string (obj, "event", "message");
              const char *id = member_string (obj, "id", "");

              data = g_bytes_new (text, strlen (text));
              rf_ingest_push_event (ingest, event, data, id, member_int (obj, "t_ms"));
              return;
            }
        }
    }

  data = g_bytes_new (line, len);
  rf_ingest_push_event (ingest, "message", data, "", -1);
}

static gboolean
run_json_lines (RfFileSource  *self,
                RfIngest      *ingest,
                GByteArray    *head,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GByteArray) line = g_byte_array_new ();
  g_autofree guint8 *buf = g_malloc (READ_SIZE);
  gboolean skipping = FALSE;
  gboolean first = TRUE;

  for (;;)
    {
      const guint8 *p;
      gsize len;
      gssize n;

      if (first)
        {
          p = head->data;
          len = head->len;
          first = FALSE;
        }
      else
        {
          n = g_input_stream_read (self->stream, buf, READ_SIZE, cancellable, error);
          if (n < 0)
            return FALSE;
          if (n == 0)
            break;
          p = buf;
          len = n;
        }

      while (len > 0)
        {
          const guint8 *nl = memchr (p, '\n', len);
          gsize seg = nl ? (gsize) (nl - p) : len;

          if (!skipping)
            {
              if (line->len + seg > MAX_JSON_LINE)
                {
                  skipping = TRUE;
                  g_byte_array_set_size (line, 0);
                  rf_ingest_add_diagnostic (ingest, RF_SEVERITY_ERROR, "event-too-large", -1,
                                            _("A JSON line is larger than %lu MiB; it was skipped"),
                                            (unsigned long) (MAX_JSON_LINE / (1024 * 1024)));
                }
              else
                g_byte_array_append (line, p, seg);
            }

          if (nl == NULL)
            break;

          if (!skipping)
            push_json_line (ingest, (const char *) line->data, line->len);
          g_byte_array_set_size (line, 0);
          skipping = FALSE;
          p = nl + 1;
          len -= seg + 1;
        }
    }

  /* A last line without its newline is still a whole JSON value. */
  if (!skipping && line->len > 0)
    push_json_line (ingest, (const char *) line->data, line->len);

  return TRUE;
}

/* A request sidecar is a few KiB. */
#define SIDECAR_MAX (1024 * 1024)

static void
read_sidecar (RfFileSource *self,
              RfIngest     *ingest)
{
  g_autofree char *journal = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  struct stat st;
  int fd;

  if (self->file == NULL || !(journal = g_file_get_path (self->file)))
    return;

  path = rf_journal_dup_sidecar_path (journal);
  /* Its size is checked before anything is read, and no more than the
   * limit is read: a sidecar of gigabytes (or a FIFO, a device) planted
   * next to a recording is skipped at once. */
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > SIDECAR_MAX)
    {
      close (fd);
      return;
    }
  contents = g_malloc (SIDECAR_MAX + 1);
  while (len <= SIDECAR_MAX)
    {
      gssize n = read (fd, contents + len, SIDECAR_MAX + 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      len += n;
    }
  close (fd);
  contents[MIN (len, SIDECAR_MAX)] = 0;

  /* It grew while read. */
  if (len > SIDECAR_MAX || !g_utf8_validate_len (contents, len, NULL))
    return;

  rf_ingest_set_request (ingest, contents, -1);
}

static gboolean
rf_file_source_run (RfSource      *source,
                    RfIngest      *ingest,
                    GCancellable  *cancellable,
                    GError       **error)
{
  RfFileSource *self = RF_FILE_SOURCE (source);
  g_autoptr(GByteArray) head = g_byte_array_new ();
  g_autofree guint8 *buf = g_malloc (READ_SIZE);
  g_autoptr(GError) local_error = NULL;

  if (self->stream == NULL)
    {
      g_autoptr(GFileInputStream) stream = g_file_read (self->file, cancellable, &local_error);

      if (stream == NULL)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_IO, _("Cannot open %s: %s"),
                       self->description, local_error->message);
          return FALSE;
        }
      self->stream = G_INPUT_STREAM (g_steal_pointer (&stream));
    }

  read_sidecar (self, ingest);
  rf_ingest_set_replay_speed (ingest, self->speed);

  /* Sniff from the first bytes, then hand them on. */
  while (head->len < 64)
    {
      gssize n = g_input_stream_read (self->stream, buf, READ_SIZE, cancellable, &local_error);

      if (n < 0)
        goto read_error;
      if (n == 0)
        break;
      g_byte_array_append (head, buf, n);
    }

  if (looks_like_json_lines (head->data, head->len))
    {
      if (!run_json_lines (self, ingest, head, cancellable, &local_error))
        goto read_error;
      return TRUE;
    }

  rf_ingest_push (ingest, head->data, head->len);

  for (;;)
    {
      gssize n = g_input_stream_read (self->stream, buf, READ_SIZE, cancellable, &local_error);

      if (n < 0)
        goto read_error;
      if (n == 0)
        break;
      rf_ingest_push (ingest, buf, n);
    }

  return TRUE;

read_error:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return TRUE;

  g_set_error (error, RF_ERROR, RF_ERROR_IO, _("Cannot read %s: %s"),
               self->description, local_error->message);
  return FALSE;
}

static char *
rf_file_source_dup_description (RfSource *source)
{
  return g_strdup (RF_FILE_SOURCE (source)->description);
}

static void
rf_file_source_finalize (GObject *object)
{
  RfFileSource *self = (RfFileSource *)object;

  g_clear_object (&self->file);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (rf_file_source_parent_class)->finalize (object);
}

static void
rf_file_source_class_init (RfFileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RfSourceClass *source_class = RF_SOURCE_CLASS (klass);

  object_class->finalize = rf_file_source_finalize;
  source_class->run = rf_file_source_run;
  source_class->dup_description = rf_file_source_dup_description;
}

static void
rf_file_source_init (RfFileSource *self)
{
}

RfSource *
rf_file_source_new (GFile *file)
{
  RfFileSource *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (RF_TYPE_FILE_SOURCE, NULL);
  self->file = g_object_ref (file);
  self->description = g_file_get_parse_name (file);

  return RF_SOURCE (self);
}

RfSource *
rf_file_source_new_for_stream (GInputStream *stream,
                               const char   *description)
{
  RfFileSource *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_object_new (RF_TYPE_FILE_SOURCE, NULL);
  self->stream = g_object_ref (stream);
  self->description = g_strdup (description);

  return RF_SOURCE (self);
}

RfSource *
rf_file_source_new_stdin (void)
{
  g_autoptr(GInputStream) stream = g_unix_input_stream_new (0, FALSE);

  return rf_file_source_new_for_stream (stream, _("standard input"));
}

void
rf_file_source_set_speed (RfFileSource *self,
                          double        speed)
{
  g_return_if_fail (RF_IS_FILE_SOURCE (self));

  self->speed = MAX (speed, 0.0);
}

/* Checking a file before it is opened */

/* The first bytes read to tell what a file is. */
#define CHECK_HEAD_SIZE 4096

/* A line of an event stream: a comment or one of its four fields. */
static gboolean
is_sse_line (const char *line,
             gsize       len)
{
  static const char *const fields[] = { "data", "event", "id", "retry" };

  if (len > 0 && line[0] == ':')
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gsize n = strlen (fields[i]);

      if (len >= n && memcmp (line, fields[i], n) == 0 && (len == n || line[n] == ':'))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_prefix_nocase (const guint8 *data,
                   gsize         len,
                   const char   *prefix)
{
  gsize n = strlen (prefix);

  return len >= n && g_ascii_strncasecmp ((const char *) data, prefix, n) == 0;
}

gboolean
rf_file_source_sniff (const guint8  *head,
                      gsize          len,
                      char         **what)
{
  const guint8 *p = head;
  const guint8 *end = head + len;
  const char *kind;
  RfImageFormat format;

  g_return_val_if_fail (head != NULL || len == 0, FALSE);

  if (what != NULL)
    *what = NULL;

  if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  while (p < end && g_ascii_isspace (*p))
    p++;

  /* JSON lines (or a JSON array of events) start with a bracket. */
  if (p < end && (*p == '{' || *p == '['))
    return TRUE;

  /* An event stream has a field or comment line near its start; a saved
   * `curl -i` puts its headers before them. A first line longer than the
   * head (a large image's data) still starts with its field. */
  for (const guint8 *line = p; line < end;)
    {
      const guint8 *eol = line;

      while (eol < end && *eol != '\n' && *eol != '\r')
        eol++;
      if (is_sse_line ((const char *) line, eol - line))
        return TRUE;
      line = eol;
      while (line < end && (*line == '\n' || *line == '\r'))
        line++;
    }

  format = rf_image_format_sniff (head, len);
  if (len == 0)
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s" */
    kind = _("an empty file");
  else if (p == end)
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s" */
    kind = _("blank text");
  else if (format == RF_IMAGE_FORMAT_PNG)
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s" */
    kind = _("a PNG image");
  else if (format == RF_IMAGE_FORMAT_JPEG)
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s" */
    kind = _("a JPEG image");
  else if (format == RF_IMAGE_FORMAT_WEBP)
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s" */
    kind = _("a WebP image");
  else if (format == RF_IMAGE_FORMAT_SVG)
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s" */
    kind = _("an SVG image");
  else if (has_prefix_nocase (head, len, "GIF8"))
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s" */
    kind = _("a GIF image");
  else if (has_prefix_nocase (head, len, "%PDF"))
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s" */
    kind = _("a PDF document");
  else if (len >= 4 && memcmp (head, "PK\x03\x04", 4) == 0)
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s" */
    kind = _("a ZIP archive");
  else if (len >= 2 && head[0] == 0x1f && head[1] == 0x8b)
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s" */
    kind = _("a gzip-compressed file");
  else if (has_prefix_nocase (p, end - p, "<!doctype html") || has_prefix_nocase (p, end - p, "<html"))
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s" */
    kind = _("an HTML page");
  else if (memchr (head, 0, len) != NULL || !g_utf8_validate_len ((const char *) head,
                                                                  /* A character cut at the end of the head is not an error. */
                                                                  len > 4 ? len - 4 : len, NULL))
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s" */
    kind = _("binary data");
  else
    /* TRANSLATORS: what a file is, in "run.sse is not an event stream: it is %s";
     * "data:" and "event:" are the lines of an event stream, not translated */
    kind = _("text without “data:” or “event:” lines");

  if (what != NULL)
    *what = g_strdup (kind);

  return FALSE;
}

gboolean
rf_file_source_check (GFile         *file,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *head = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *what = NULL;
  gsize len = 0;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  /* Named once, as people wrote it. */
  path = g_file_get_parse_name (file);
  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, RF_ERROR, RF_ERROR_IO, _("%s does not exist"), path);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        g_set_error (error, RF_ERROR, RF_ERROR_IO, _("%s is a folder, not a recording"), path);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
        g_set_error (error, RF_ERROR, RF_ERROR_IO, _("%s cannot be read: permission denied"), path);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        /* GIO's messages name the file themselves. */
        g_set_error_literal (error, RF_ERROR, RF_ERROR_IO, local_error->message);
      return FALSE;
    }

  head = g_malloc (CHECK_HEAD_SIZE);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), head, CHECK_HEAD_SIZE, &len,
                                cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, RF_ERROR, RF_ERROR_IO, _("%s cannot be read: %s"), path, local_error->message);
      return FALSE;
    }

  if (rf_file_source_sniff (head, len, &what))
    return TRUE;

  name = g_file_get_basename (file);
  {
    g_autofree char *display = g_filename_display_name (name);

    /* TRANSLATORS: %s is a file name, then what the file is instead:
     * "photo.sse is not an event stream: it is a PNG image" */
    g_set_error (error, RF_ERROR, RF_ERROR_UNSUPPORTED_FORMAT, _("%s is not an event stream: it is %s"),
                 display, what);
  }

  return FALSE;
}
