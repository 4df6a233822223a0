/*
 * rf-base64.c
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

#define G_LOG_DOMAIN "rf-base64"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#ifdef G_OS_UNIX
#include <sys/mman.h>
#endif

#include "rf-base64.h"

static const gint8 *
base64_table (void)
{
  static gint8 table[256];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

      memset (table, -1, sizeof table);
      for (int i = 0; i < 64; i++)
        table[(guint8) alphabet[i]] = i;
      /* The URL-safe alphabet decodes too. */
      table['-'] = 62;
      table['_'] = 63;
      g_once_init_leave (&initialized, 1);
    }

  return table;
}

/* Four tables, one per position in a quad, holding each symbol's bits
 * already shifted to where they land in the 3 output bytes (stored
 * little-endian: byte 0 in the low bits). Non-alphabet characters carry
 * bit 24, so one test of the OR of four look-ups rejects the quad. */
#define B64_BAD 0x01000000u

static const guint32 *
base64_quad_tables (void)
{
  static guint32 tables[4][256];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      const gint8 *table = base64_table ();

      for (int c = 0; c < 256; c++)
        {
          gint8 v = table[c];

          if (v < 0)
            {
              tables[0][c] = tables[1][c] = tables[2][c] = tables[3][c] = B64_BAD;
              continue;
            }
          tables[0][c] = (guint32) v << 2;
          tables[1][c] = ((guint32) v >> 4) | (((guint32) v & 0x0F) << 12);
          tables[2][c] = (((guint32) v >> 2) << 8) | (((guint32) v & 0x03) << 22);
          tables[3][c] = (guint32) v << 16;
        }
      g_once_init_leave (&initialized, 1);
    }

  return &tables[0][0];
}

/* An image's bytes are kept for as long as its frame. Taken from the
 * decode worker's heap, each frame's bytes were pages never touched
 * before, and faulting them in one 4 KiB page at a time cost the workers
 * more CPU time than anything but the image library itself (a page fault
 * per 4 KiB: 13,000 for the photo stream's 55 MB). Kept bytes are packed
 * instead, one after the other, into blocks of 32 MiB that the
 * kernel may back with 2 MiB pages (RfKeptBytes, one per decode pool);
 * a block goes when the last bytes in it do. The decode's scratch buffers stay in the heap, where they reuse
 * the pages of the frame before (with rf_thread_prepare_heap()). */
#define BLOCK_SIZE ((gsize) 32 << 20)

typedef struct
{
  gatomicrefcount refs;
  guint8         *base;
  gsize           size;
  gsize           used;      /* only the owning thread moves it */
} Block;

static Block *
block_ref (Block *block)
{
  g_atomic_ref_count_inc (&block->refs);
  return block;
}

static void
block_unref (gpointer data)
{
  Block *block = data;

  if (block == NULL || !g_atomic_ref_count_dec (&block->refs))
    return;
#ifdef G_OS_UNIX
  munmap (block->base, block->size);
#else
  g_free (block->base);
#endif
  g_free (block);
}

static Block *
block_new (gsize size)
{
  Block *block;
  void *base;

#ifdef G_OS_UNIX
  base = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED)
    return NULL;
#ifdef MADV_HUGEPAGE
  madvise (base, size, MADV_HUGEPAGE);
#endif
#else
  base = g_try_malloc (size);
  if (base == NULL)
    return NULL;
#endif

  block = g_new0 (Block, 1);
  g_atomic_ref_count_init (&block->refs);
  block->base = base;
  block->size = size;
  return block;
}

struct _RfKeptBytes
{
  GMutex  mutex;
  Block  *current;   /* the block being filled */
};

RfKeptBytes *
rf_kept_bytes_new (void)
{
  RfKeptBytes *self = g_new0 (RfKeptBytes, 1);

  g_mutex_init (&self->mutex);
  return self;
}

void
rf_kept_bytes_free (RfKeptBytes *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->current, block_unref);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

typedef struct
{
  guint8 *data;
  Block  *block;   /* kept bytes: the block @data is in */
} Output;

/* @size bytes from @kept's current block (a new one when it is full), or
 * from the heap. The space is taken whole: several workers fill one
 * block at once, so what a decode leaves unused (a few bytes of padding)
 * is not given back. */
static void
output_alloc (Output      *out,
              gsize        size,
              RfKeptBytes *kept)
{
  Block *block = NULL;

  out->block = NULL;
  if (kept != NULL && size > BLOCK_SIZE / 4)
    {
      /* A payload larger than a quarter block gets a block of its own,
       * so that a new block is never mostly wasted. */
      block = block_new (size);
      if (block != NULL)
        {
          block->used = size;
          out->block = block;
          out->data = block->base;
        }
    }
  else if (kept != NULL)
    {
      g_mutex_lock (&kept->mutex);
      if (kept->current == NULL || kept->current->size - kept->current->used < size)
        {
          g_clear_pointer (&kept->current, block_unref);
          kept->current = block_new (BLOCK_SIZE);
        }
      if ((block = kept->current) != NULL)
        {
          out->block = block_ref (block);
          out->data = block->base + block->used;
          /* The next bytes start on a cache line of their own. */
          block->used = MIN (block->size, block->used + ((size + 63) & ~(gsize) 63));
        }
      g_mutex_unlock (&kept->mutex);
    }

  if (out->block == NULL)
    out->data = g_malloc (size);
}

static void
output_clear (Output *out)
{
  if (out->data == NULL)
    return;
  if (out->block != NULL)
    block_unref (g_steal_pointer (&out->block));
  else
    g_free (out->data);
  out->data = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Output, output_clear)

static GBytes *
output_steal_bytes (Output *out,
                    gsize   len)
{
  Block *block = out->block;
  guint8 *data = out->data;

  out->data = NULL;
  out->block = NULL;
  if (block == NULL)
    return g_bytes_new_take (data, len);

  return g_bytes_new_with_free_func (data, len, block_unref, block);
}

/* Decodes whole quads of alphabet characters from the start of @in into
 * @out from *@n_out on, and stops before the first quad that holds
 * anything else (padding, whitespace, an error) or at the last whole
 * quad. @out needs one spare byte: the fast path stores 4 bytes to write
 * 3. Returns: how many characters of @in it took. */
static inline gsize
decode_whole_quads (const guint8 *in,
                    gsize         len,
                    guint8       *out,
                    gsize        *n_out)
{
  const gint8 *table = base64_table ();
  gsize start = 0;
  /* Kept in a register: the stores through @out cannot change it. */
  gsize n = *n_out;

  /* Fast path: four table look-ups give the three bytes in place. */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  {
    const guint32 *t = base64_quad_tables ();

    while (start + 4 <= len)
      {
        guint32 w = t[in[start]] | t[256 + in[start + 1]] |
                    t[512 + in[start + 2]] | t[768 + in[start + 3]];

        /* The careful loop stops at the same quad. */
        if (w & B64_BAD)
          break;
        memcpy (out + n, &w, 4);
        n += 3;
        start += 4;
      }
  }
#endif

  while (start + 4 <= len)
    {
      gint32 a = table[in[start]];
      gint32 b = table[in[start + 1]];
      gint32 c = table[in[start + 2]];
      gint32 d = table[in[start + 3]];
      guint32 v;

      if ((a | b | c | d) < 0)
        break;

      v = ((guint32) a << 18) | ((guint32) b << 12) | ((guint32) c << 6) | (guint32) d;
      out[n] = (v >> 16) & 0xFF;
      out[n + 1] = (v >> 8) & 0xFF;
      out[n + 2] = v & 0xFF;
      n += 3;
      start += 4;
    }

  *n_out = n;
  return start;
}

static GBytes *
decode (const char   *b64,
        gsize         len,
        gsize         max_decoded,
        RfKeptBytes  *kept,
        GError      **error)
{
  const gint8 *table = base64_table ();
  g_auto(Output) output = { 0 };
  guint8 *out;
  guint32 acc = 0;
  gsize n_out = 0;
  gsize n_sym = 0;
  gsize pad = 0;
  gsize start = 0;

  g_return_val_if_fail (b64 != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Written so that max_decoded = G_MAXSIZE (no limit) cannot wrap. */
  if (len / 4 * 3 > max_decoded && len / 4 * 3 - max_decoded > 3)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   _("The image payload (%lu base64 characters) is over the limit of %lu bytes"),
                   (unsigned long) len, (unsigned long) max_decoded);
      return NULL;
    }

  /* One spare byte: the fast path stores 4 bytes to write 3. */
  output_alloc (&output, len / 4 * 3 + 4, kept);
  out = output.data;

  /* Whole quads first, the bulk of any payload; the per-symbol loop
   * below takes over where they stop (on a quad boundary, so its count
   * of symbols stays in step). */
  start = decode_whole_quads ((const guint8 *) b64, len, out, &n_out);

  for (gsize i = start; i < len; i++)
    {
      guint8 c = (guint8) b64[i];
      gint8 v = table[c];

      if (v >= 0)
        {
          if (pad > 0)
            goto invalid;
          acc = (acc << 6) | (guint32) v;
          n_sym++;
          if ((n_sym & 3) == 0)
            {
              out[n_out++] = (acc >> 16) & 0xFF;
              out[n_out++] = (acc >> 8) & 0xFF;
              out[n_out++] = acc & 0xFF;
              acc = 0;
            }
        }
      else if (c == '=')
        {
          pad++;
          if (pad > 2)
            goto invalid;
        }
      else if (c == '\n' || c == '\r' || c == ' ' || c == '\t')
        {
          continue;
        }
      else
        {
          g_set_error (error, RF_ERROR, RF_ERROR_DECODE,
                       _("The image payload is not valid base64 (character 0x%02x at offset %lu)"),
                       c, (unsigned long) i);
          return NULL;
        }
    }

  switch (n_sym & 3)
    {
    case 0:
      if (pad != 0)
        goto invalid;
      break;
    case 2:
      out[n_out++] = (acc >> 4) & 0xFF;
      break;
    case 3:
      out[n_out++] = (acc >> 10) & 0xFF;
      out[n_out++] = (acc >> 2) & 0xFF;
      break;
    default:
      goto invalid;
    }

  if (n_out == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_DECODE, _("The image payload is empty"));
      return NULL;
    }

  return output_steal_bytes (&output, n_out);

invalid:
  g_set_error (error, RF_ERROR, RF_ERROR_DECODE,
               _("The image payload is not valid base64 (bad length or padding)"));
  return NULL;
}

GBytes *
rf_base64_decode_bytes (const char  *b64,
                        gsize        len,
                        gsize        max_decoded,
                        GError     **error)
{
  return decode (b64, len, max_decoded, NULL, error);
}

GBytes *
rf_base64_decode_kept (const char   *b64,
                       gsize         len,
                       gsize         max_decoded,
                       RfKeptBytes  *kept,
                       GError      **error)
{
  g_return_val_if_fail (kept != NULL, NULL);

  return decode (b64, len, max_decoded, kept, error);
}

gsize
rf_base64_decode_quads (const char *b64,
                        gsize       len,
                        guint8     *out)
{
  gsize n_out = 0;

  g_return_val_if_fail (b64 != NULL || len == 0, 0);

  /* The quads decode() takes first, giving the same bytes: a prefix
   * decoded here and the rest decoded by rf_base64_decode_bytes() from
   * that quad boundary on are the bytes a decode of the whole would
   * give. */
  return decode_whole_quads ((const guint8 *) b64, len, out, &n_out);
}

GBytes *
rf_kept_bytes_copy (RfKeptBytes  *kept,
                    const guint8 *data,
                    gsize         len)
{
  Output output = { 0 };

  g_return_val_if_fail (kept != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  output_alloc (&output, MAX (len, 1), kept);
  memcpy (output.data, data, len);

  return output_steal_bytes (&output, len);
}
