/*
 * rf-bench-floor.c
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

#define G_LOG_DOMAIN "rf-bench-floor"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib.h>
#include <json-glib/json-glib.h>

/* The reference points of the benchmark, on one thread and with nothing
 * but the libraries: the floor reads the stream, finds lines with memchr,
 * cuts each image's base64 out of its data line with memchr, decodes it
 * with g_base64_decode_step and the image with GdkPixbufLoader, inline.
 * --naive parses every event's JSON in full instead of cutting, as a
 * straightforward client would. Either way the time spent in the image
 * library alone is measured per frame: that is the "raw" decode cost the
 * pipeline's own per-frame figure is compared with. */

#define READ_SIZE (1024 * 1024)

typedef struct
{
  gboolean    naive;
  gboolean    repeat;    /* the current event repeats the final images */
  GByteArray *line;      /* a line that spans reads */
  GByteArray *data;      /* naive: the event's data field */
  guint8     *decoded;
  gsize       decoded_size;
  GArray     *decode_ms; /* double, GdkPixbufLoader only */
  guint       frames;
  guint       failed;
  gint64      base64_usec;
  gint64      image_usec;
  gint64      json_usec;
} Floor;

static void
decode_image (Floor        *self,
              const guint8 *data,
              gsize         len)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  gint64 begin = g_get_monotonic_time ();
  gboolean ok;
  double ms;

  ok = gdk_pixbuf_loader_write (loader, data, len, NULL);
  ok = gdk_pixbuf_loader_close (loader, NULL) && ok;
  ok = ok && gdk_pixbuf_loader_get_pixbuf (loader) != NULL;

  ms = (g_get_monotonic_time () - begin) / 1000.0;
  self->image_usec += g_get_monotonic_time () - begin;
  g_array_append_val (self->decode_ms, ms);

  if (ok)
    self->frames++;
  else
    self->failed++;
}

static void
decode_b64 (Floor      *self,
            const char *b64,
            gsize       len)
{
  gint64 begin = g_get_monotonic_time ();
  gint state = 0;
  guint save = 0;
  gsize n;

  if (self->decoded_size < len / 4 * 3 + 3)
    {
      self->decoded_size = len / 4 * 3 + 3;
      g_free (self->decoded);
      self->decoded = g_malloc (self->decoded_size);
    }

  n = g_base64_decode_step (b64, len, self->decoded, &state, &save);
  self->base64_usec += g_get_monotonic_time () - begin;

  decode_image (self, self->decoded, n);
}

/* Floor: jump from quote to quote with memchr; a value that follows one of
 * the image keys is a base64 payload. */
static void
cut_images (Floor      *self,
            const char *p,
            gsize       len)
{
  const char *end = p + len;

  while (p < end)
    {
      const char *q = memchr (p, '"', end - p);
      const char *key;
      gsize key_len;

      if (q == NULL)
        return;
      key = q + 1;
      q = memchr (key, '"', end - key);
      if (q == NULL)
        return;
      key_len = q - key;

      if (q + 2 < end && q[1] == ':' && q[2] == '"' &&
          ((key_len == 17 && memcmp (key, "partial_image_b64", 17) == 0) ||
           (key_len == 6 && memcmp (key, "result", 6) == 0)))
        {
          const char *value = q + 3;
          const char *close = memchr (value, '"', end - value);

          if (close == NULL)
            return;
          decode_b64 (self, value, close - value);
          p = close + 1;
        }
      else
        p = q + 1;
    }
}

static const char *
image_in (JsonObject *obj)
{
  const char *type = json_object_get_string_member_with_default (obj, "type", "");

  if (g_str_equal (type, "response.image_generation_call.partial_image"))
    return json_object_get_string_member_with_default (obj, "partial_image_b64", NULL);

  if (g_str_equal (type, "response.output_item.done"))
    {
      JsonObject *item = json_object_get_object_member (obj, "item");

      if (item != NULL && json_object_has_member (item, "result") &&
          !json_object_get_null_member (item, "result"))
        return json_object_get_string_member_with_default (item, "result", NULL);
    }

  return NULL;
}

/* Naive: the whole event through the JSON parser, then g_base64_decode. */
static void
naive_event (Floor *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gint64 begin = g_get_monotonic_time ();
  JsonNode *root;
  const char *b64;

  if (self->data->len == 0)
    return;

  /* Drop the trailing LF, as dispatch does. */
  g_byte_array_set_size (self->data, self->data->len - 1);

  if (!json_parser_load_from_data (parser, (const char *) self->data->data, self->data->len, NULL))
    goto out;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    goto out;
  self->json_usec += g_get_monotonic_time () - begin;

  b64 = image_in (json_node_get_object (root));
  if (b64 != NULL)
    {
      g_autofree guint8 *bytes = NULL;
      gsize n;

      begin = g_get_monotonic_time ();
      bytes = g_base64_decode (b64, &n);
      self->base64_usec += g_get_monotonic_time () - begin;
      decode_image (self, bytes, n);
    }

out:
  g_byte_array_set_size (self->data, 0);
}

static void
line (Floor      *self,
      const char *p,
      gsize       len)
{
  if (len > 0 && p[len - 1] == '\r')
    len--;

  if (self->naive)
    {
      if (len == 0)
        naive_event (self);
      else if (len >= 5 && memcmp (p, "data:", 5) == 0)
        {
          gsize skip = len > 5 && p[5] == ' ' ? 6 : 5;

          g_byte_array_append (self->data, (const guint8 *) p + skip, len - skip);
          g_byte_array_append (self->data, (const guint8 *) "\n", 1);
        }
      return;
    }

  /* response.completed repeats every final image: Refinery decodes each
   * image once, and so does the floor. */
  if (len == 0)
    self->repeat = FALSE;
  else if (len >= 6 && memcmp (p, "event:", 6) == 0)
    self->repeat = memmem (p, len, "response.completed", 18) != NULL;
  else if (len >= 5 && memcmp (p, "data:", 5) == 0 && !self->repeat &&
           memmem (p, MIN (len, 64), "\"response.completed\"", 20) == NULL)
    cut_images (self, p + 5, len - 5);
}

static void
push (Floor        *self,
      const guint8 *buf,
      gsize         len)
{
  while (len > 0)
    {
      const guint8 *nl = memchr (buf, '\n', len);

      if (nl == NULL)
        {
          g_byte_array_append (self->line, buf, len);
          return;
        }

      if (self->line->len > 0)
        {
          g_byte_array_append (self->line, buf, nl - buf);
          line (self, (const char *) self->line->data, self->line->len);
          g_byte_array_set_size (self->line, 0);
        }
      else
        line (self, (const char *) buf, nl - buf);

      len -= nl + 1 - buf;
      buf = nl + 1;
    }
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *buf = NULL;
  Floor self = { 0 };
  struct rusage usage;
  guint64 bytes = 0;
  gint64 start;
  double secs;
  int fd;
  const GOptionEntry entries[] = {
    { "naive", 0, 0, G_OPTION_ARG_NONE, &self.naive, "Parse every event's JSON in full", NULL },
    { NULL }
  };

  context = g_option_context_new ("STREAM — decode a stream on one thread");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("rf-bench-floor: %s\n", error ? error->message : "give one STREAM");
      return 2;
    }

  fd = open (argv[1], O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      g_printerr ("rf-bench-floor: %s: %s\n", argv[1], g_strerror (errno));
      return 2;
    }

  self.line = g_byte_array_new ();
  self.data = g_byte_array_new ();
  self.decode_ms = g_array_new (FALSE, FALSE, sizeof (double));
  buf = g_malloc (READ_SIZE);

  start = g_get_monotonic_time ();
  for (;;)
    {
      gssize n = read (fd, buf, READ_SIZE);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_printerr ("rf-bench-floor: %s: %s\n", argv[1], g_strerror (errno));
          return 2;
        }
      if (n == 0)
        break;
      bytes += n;
      push (&self, buf, n);
    }
  secs = (g_get_monotonic_time () - start) / 1e6;
  close (fd);

  getrusage (RUSAGE_SELF, &usage);
  g_array_sort (self.decode_ms, cmp_double);

  g_print ("mode: %s\n", self.naive ? "naive" : "floor");
  g_print ("bytes: %" G_GUINT64_FORMAT "\n", bytes);
  g_print ("frames: %u\n", self.frames);
  g_print ("failed: %u\n", self.failed);
  g_print ("seconds: %.3f\n", secs);
  g_print ("MB/s: %.1f\n", bytes / 1e6 / secs);
  g_print ("frames/s: %.1f\n", self.frames / secs);
  g_print ("image library ms per frame (median): %.2f\n",
           self.decode_ms->len ? g_array_index (self.decode_ms, double, self.decode_ms->len / 2) : 0.0);
  g_print ("image library s: %.3f\n", self.image_usec / 1e6);
  g_print ("base64 s: %.3f\n", self.base64_usec / 1e6);
  g_print ("json s: %.3f\n", self.json_usec / 1e6);
  g_print ("peak RSS MiB: %.1f\n", usage.ru_maxrss / 1024.0);
  g_print ("cpu s: %.3f\n", usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                             usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6);
  g_print ("page faults: %ld\n", usage.ru_minflt + usage.ru_majflt);

  g_byte_array_unref (self.line);
  g_byte_array_unref (self.data);
  g_array_unref (self.decode_ms);
  g_free (self.decoded);

  return self.failed > 0 ? 1 : 0;
}
