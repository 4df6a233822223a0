/*
 * rf-gen-stream.c
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

#include <string.h>

#include "rf-gen-stream.h"

typedef struct
{
  GBytes  *bytes;   /* NULL for a run; repeated to fill @size */
  guint8   byte;
  guint64  size;
} Piece;

struct _RfGenStream
{
  GInputStream  parent_instance;
  GArray       *pieces;
  guint         current;
  guint64       offset;    /* within the current piece */
  guint64       size;
};

G_DEFINE_FINAL_TYPE (RfGenStream, rf_gen_stream, G_TYPE_INPUT_STREAM)

static void
clear_piece (gpointer data)
{
  Piece *piece = data;

  g_clear_pointer (&piece->bytes, g_bytes_unref);
}

static gssize
rf_gen_stream_read_fn (GInputStream  *stream,
                       void          *buffer,
                       gsize          count,
                       GCancellable  *cancellable,
                       GError       **error)
{
  RfGenStream *self = RF_GEN_STREAM (stream);
  gsize done = 0;

  while (done < count && self->current < self->pieces->len)
    {
      Piece *piece = &g_array_index (self->pieces, Piece, self->current);
      gsize n = (gsize) MIN ((guint64) (count - done), piece->size - self->offset);

      if (piece->bytes != NULL)
        {
          gsize period;
          const guint8 *data = g_bytes_get_data (piece->bytes, &period);
          gsize at = (gsize) (self->offset % period);

          n = MIN (n, period - at);
          memcpy ((guint8 *) buffer + done, data + at, n);
        }
      else
        memset ((guint8 *) buffer + done, piece->byte, n);

      done += n;
      self->offset += n;
      if (self->offset == piece->size)
        {
          self->current++;
          self->offset = 0;
        }
    }

  return done;
}

static void
rf_gen_stream_finalize (GObject *object)
{
  RfGenStream *self = (RfGenStream *)object;

  g_clear_pointer (&self->pieces, g_array_unref);

  G_OBJECT_CLASS (rf_gen_stream_parent_class)->finalize (object);
}

static void
rf_gen_stream_class_init (RfGenStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = rf_gen_stream_finalize;
  stream_class->read_fn = rf_gen_stream_read_fn;
}

static void
rf_gen_stream_init (RfGenStream *self)
{
  self->pieces = g_array_new (FALSE, TRUE, sizeof (Piece));
  g_array_set_clear_func (self->pieces, clear_piece);
}

RfGenStream *
rf_gen_stream_new (void)
{
  return g_object_new (RF_TYPE_GEN_STREAM, NULL);
}

void
rf_gen_stream_add_bytes (RfGenStream *self,
                         GBytes      *bytes)
{
  Piece piece = { g_bytes_ref (bytes), 0, g_bytes_get_size (bytes) };

  if (piece.size == 0)
    {
      g_bytes_unref (piece.bytes);
      return;
    }
  g_array_append_val (self->pieces, piece);
  self->size += piece.size;
}

void
rf_gen_stream_add_text (RfGenStream *self,
                        const char  *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  rf_gen_stream_add_bytes (self, bytes);
}

void
rf_gen_stream_add_run (RfGenStream *self,
                       guint8       byte,
                       guint64      count)
{
  Piece piece = { NULL, byte, count };

  if (count == 0)
    return;
  g_array_append_val (self->pieces, piece);
  self->size += count;
}

guint64
rf_gen_stream_get_size (RfGenStream *self)
{
  return self->size;
}

void
rf_gen_stream_add_repeat (RfGenStream *self,
                          const char  *text,
                          guint64      count)
{
  Piece piece = { g_bytes_new (text, strlen (text)), 0, strlen (text) * count };

  if (piece.size == 0)
    {
      g_bytes_unref (piece.bytes);
      return;
    }
  g_array_append_val (self->pieces, piece);
  self->size += piece.size;
}
