/*
 * rf-contact-sheet.c
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

#define G_LOG_DOMAIN "rf-contact-sheet"

#include "config.h"

#include <string.h>

#include "rf-contact-sheet.h"
#include "rf-export.h"
#include "rf-frame.h"

/* The core draws without Pango (it must not depend on a display stack),
 * so labels use this small built-in 5×8 font of printable ASCII, drawn at
 * twice its size. Labels are therefore plain ASCII and not translated. */
#define GLYPH_W      5
#define GLYPH_H      8
#define FONT_SCALE   2
#define ADVANCE      ((GLYPH_W + 1) * FONT_SCALE)
#define LINE_HEIGHT  ((GLYPH_H + 2) * FONT_SCALE)

#define MARGIN       24
#define GAP          16
#define LABEL_PAD    8
#define LABEL_HEIGHT (LABEL_PAD + 2 * LINE_HEIGHT)
#define CHECKER      8

static const guint8 font[95][GLYPH_H] = {
  { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, /* ' ' */
  { 0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x04, 0x00 }, /* '!' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '"' */
  { 0x0a, 0x0a, 0x1f, 0x0a, 0x1f, 0x0a, 0x0a, 0x00 }, /* '#' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '$' */
  { 0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03, 0x00 }, /* '%' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '&' */
  { 0x04, 0x04, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00 }, /* '\'' */
  { 0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02, 0x00 }, /* '(' */
  { 0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08, 0x00 }, /* ')' */
  { 0x00, 0x04, 0x15, 0x0e, 0x15, 0x04, 0x00, 0x00 }, /* 'star' */
  { 0x00, 0x04, 0x04, 0x1f, 0x04, 0x04, 0x00, 0x00 }, /* '+' */
  { 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c, 0x04, 0x08 }, /* ',' */
  { 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00 }, /* '-' */
  { 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c, 0x00 }, /* '.' */
  { 0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00, 0x00 }, /* '/' */
  { 0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e, 0x00 }, /* '0' */
  { 0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e, 0x00 }, /* '1' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f, 0x00 }, /* '2' */
  { 0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e, 0x00 }, /* '3' */
  { 0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02, 0x00 }, /* '4' */
  { 0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e, 0x00 }, /* '5' */
  { 0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e, 0x00 }, /* '6' */
  { 0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08, 0x00 }, /* '7' */
  { 0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e, 0x00 }, /* '8' */
  { 0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c, 0x00 }, /* '9' */
  { 0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00, 0x00 }, /* ':' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* ';' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '<' */
  { 0x00, 0x00, 0x1f, 0x00, 0x1f, 0x00, 0x00, 0x00 }, /* '=' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '>' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '?' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '@' */
  { 0x0e, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11, 0x00 }, /* 'A' */
  { 0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e, 0x00 }, /* 'B' */
  { 0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e, 0x00 }, /* 'C' */
  { 0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c, 0x00 }, /* 'D' */
  { 0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f, 0x00 }, /* 'E' */
  { 0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10, 0x00 }, /* 'F' */
  { 0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f, 0x00 }, /* 'G' */
  { 0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11, 0x00 }, /* 'H' */
  { 0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e, 0x00 }, /* 'I' */
  { 0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c, 0x00 }, /* 'J' */
  { 0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11, 0x00 }, /* 'K' */
  { 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f, 0x00 }, /* 'L' */
  { 0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11, 0x00 }, /* 'M' */
  { 0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11, 0x00 }, /* 'N' */
  { 0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e, 0x00 }, /* 'O' */
  { 0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10, 0x00 }, /* 'P' */
  { 0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d, 0x00 }, /* 'Q' */
  { 0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11, 0x00 }, /* 'R' */
  { 0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e, 0x00 }, /* 'S' */
  { 0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x00 }, /* 'T' */
  { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e, 0x00 }, /* 'U' */
  { 0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04, 0x00 }, /* 'V' */
  { 0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a, 0x00 }, /* 'W' */
  { 0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11, 0x00 }, /* 'X' */
  { 0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04, 0x00 }, /* 'Y' */
  { 0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f, 0x00 }, /* 'Z' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '[' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '\\' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* ']' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '^' */
  { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1f }, /* '_' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '`' */
  { 0x00, 0x00, 0x0e, 0x01, 0x0f, 0x11, 0x0f, 0x00 }, /* 'a' */
  { 0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x1e, 0x00 }, /* 'b' */
  { 0x00, 0x00, 0x0e, 0x10, 0x10, 0x11, 0x0e, 0x00 }, /* 'c' */
  { 0x01, 0x01, 0x0d, 0x13, 0x11, 0x11, 0x0f, 0x00 }, /* 'd' */
  { 0x00, 0x00, 0x0e, 0x11, 0x1f, 0x10, 0x0e, 0x00 }, /* 'e' */
  { 0x06, 0x09, 0x08, 0x1c, 0x08, 0x08, 0x08, 0x00 }, /* 'f' */
  { 0x00, 0x00, 0x0f, 0x11, 0x11, 0x0f, 0x01, 0x0e }, /* 'g' */
  { 0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11, 0x00 }, /* 'h' */
  { 0x04, 0x00, 0x0c, 0x04, 0x04, 0x04, 0x0e, 0x00 }, /* 'i' */
  { 0x02, 0x00, 0x06, 0x02, 0x02, 0x02, 0x12, 0x0c }, /* 'j' */
  { 0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12, 0x00 }, /* 'k' */
  { 0x0c, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e, 0x00 }, /* 'l' */
  { 0x00, 0x00, 0x1a, 0x15, 0x15, 0x11, 0x11, 0x00 }, /* 'm' */
  { 0x00, 0x00, 0x16, 0x19, 0x11, 0x11, 0x11, 0x00 }, /* 'n' */
  { 0x00, 0x00, 0x0e, 0x11, 0x11, 0x11, 0x0e, 0x00 }, /* 'o' */
  { 0x00, 0x00, 0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10 }, /* 'p' */
  { 0x00, 0x00, 0x0f, 0x11, 0x11, 0x0f, 0x01, 0x01 }, /* 'q' */
  { 0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10, 0x00 }, /* 'r' */
  { 0x00, 0x00, 0x0f, 0x10, 0x0e, 0x01, 0x1e, 0x00 }, /* 's' */
  { 0x08, 0x08, 0x1c, 0x08, 0x08, 0x09, 0x06, 0x00 }, /* 't' */
  { 0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0d, 0x00 }, /* 'u' */
  { 0x00, 0x00, 0x11, 0x11, 0x11, 0x0a, 0x04, 0x00 }, /* 'v' */
  { 0x00, 0x00, 0x11, 0x11, 0x15, 0x15, 0x0a, 0x00 }, /* 'w' */
  { 0x00, 0x00, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x00 }, /* 'x' */
  { 0x00, 0x00, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x0e }, /* 'y' */
  { 0x00, 0x00, 0x1f, 0x02, 0x04, 0x08, 0x1f, 0x00 }, /* 'z' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '{' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '|' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '}' */
  { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00 }, /* '~' */
};

typedef struct { guint8 r, g, b; } Rgb;

static const Rgb background = { 0xfa, 0xfa, 0xfa };
static const Rgb text_colour = { 0x24, 0x1f, 0x31 };
static const Rgb dim_colour = { 0x77, 0x76, 0x7b };
static const Rgb border_colour = { 0xde, 0xdd, 0xda };
static const Rgb failed_colour = { 0xe0, 0x1b, 0x24 };
static const Rgb checker_light = { 0xf6, 0xf5, 0xf4 };
static const Rgb checker_dark = { 0xc0, 0xbf, 0xbc };
static const Rgb empty_colour = { 0xde, 0xdd, 0xda };

typedef struct
{
  GPtrArray *frames;
  int        columns;
  int        cell_size;
  char      *path;
} SaveJob;

static void
fill_rect (GdkPixbuf *pixbuf,
           int        x,
           int        y,
           int        w,
           int        h,
           Rgb        c)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int x1 = MIN (x + w, width);
  int y1 = MIN (y + h, height);

  for (int yy = MAX (y, 0); yy < y1; yy++)
    {
      guint8 *p = pixels + (gsize) yy * stride + (gsize) MAX (x, 0) * n_channels;

      for (int xx = MAX (x, 0); xx < x1; xx++, p += n_channels)
        {
          p[0] = c.r;
          p[1] = c.g;
          p[2] = c.b;
          if (n_channels == 4)
            p[3] = 0xff;
        }
    }
}

static void
stroke_rect (GdkPixbuf *pixbuf,
             int        x,
             int        y,
             int        w,
             int        h,
             int        t,
             Rgb        c)
{
  fill_rect (pixbuf, x, y, w, t, c);
  fill_rect (pixbuf, x, y + h - t, w, t, c);
  fill_rect (pixbuf, x, y, t, h, c);
  fill_rect (pixbuf, x + w - t, y, t, h, c);
}

static void
checkerboard (GdkPixbuf *pixbuf,
              int        x,
              int        y,
              int        w,
              int        h)
{
  for (int yy = 0; yy < h; yy += CHECKER)
    for (int xx = 0; xx < w; xx += CHECKER)
      fill_rect (pixbuf, x + xx, y + yy, MIN (CHECKER, w - xx), MIN (CHECKER, h - yy),
                 ((xx / CHECKER + yy / CHECKER) % 2) ? checker_dark : checker_light);
}

/* Draws ASCII @text at (@x, @y), at most @max_width px wide; characters
 * that do not fit are replaced by a trailing "..". Bold draws twice. */
static void
draw_text (GdkPixbuf  *pixbuf,
           int         x,
           int         y,
           int         max_width,
           const char *text,
           gboolean    bold,
           Rgb         c)
{
  int max_chars = MAX (0, max_width / ADVANCE);
  int len = strlen (text);

  for (int i = 0; i < len && i < max_chars; i++)
    {
      guchar ch = text[i];
      const guint8 *glyph;

      if (len > max_chars && i >= max_chars - 2)
        ch = '.';
      if (ch < 32 || ch > 126)
        ch = '?';
      glyph = font[ch - 32];

      for (int row = 0; row < GLYPH_H; row++)
        for (int col = 0; col < GLYPH_W; col++)
          if (glyph[row] & (1 << (GLYPH_W - 1 - col)))
            fill_rect (pixbuf,
                       x + i * ADVANCE + col * FONT_SCALE,
                       y + row * FONT_SCALE,
                       FONT_SCALE + (bold ? 1 : 0), FONT_SCALE, c);
    }
}

/* "partial 1", or with several images "image 2 partial 1" (numbered
 * from 1, as the app names them). */
static char *
dup_title (RfFrame  *frame,
           gboolean  with_image)
{
  g_autofree char *kind = NULL;

  if (rf_frame_get_kind (frame) == RF_FRAME_KIND_FINAL)
    kind = g_strdup ("final");
  else
    kind = g_strdup_printf ("partial %" G_GINT64_FORMAT, rf_frame_get_partial_index (frame));

  if (!with_image)
    return g_steal_pointer (&kind);

  return g_strdup_printf ("image %u %s", rf_frame_get_lane_index (frame) + 1, kind);
}

static int
compare_by_lane (gconstpointer a,
                 gconstpointer b)
{
  RfFrame *fa = *(RfFrame **) a;
  RfFrame *fb = *(RfFrame **) b;
  guint la = rf_frame_get_lane_index (fa);
  guint lb = rf_frame_get_lane_index (fb);

  if (la != lb)
    return la < lb ? -1 : 1;
  return rf_frame_get_index (fa) < rf_frame_get_index (fb) ? -1 :
         rf_frame_get_index (fa) > rf_frame_get_index (fb) ? 1 : 0;
}

static char *
dup_detail (RfFrame *frame)
{
  GString *str = g_string_new (NULL);
  gint64 t_ms = rf_frame_get_t_ms (frame);

  if (rf_frame_get_sequence_number (frame) >= 0)
    g_string_append_printf (str, "seq %" G_GINT64_FORMAT "  ", rf_frame_get_sequence_number (frame));
  g_string_append_printf (str, "t %" G_GINT64_FORMAT ".%03d s",
                          t_ms / 1000, (int) (ABS (t_ms) % 1000));

  return g_string_free (str, FALSE);
}

GdkPixbuf *
rf_contact_sheet_render (GPtrArray  *frames,
                         int         columns,
                         int         cell_size,
                         GError    **error)
{
  g_autoptr(GdkPixbuf) sheet = NULL;
  g_autoptr(GPtrArray) sorted = NULL;
  g_autofree int *cell_row = NULL;
  g_autofree int *cell_column = NULL;
  int rows, width, height;
  gboolean several = FALSE;
  guint max_per_lane = 0;
  guint n;

  g_return_val_if_fail (frames != NULL, NULL);

  if ((n = frames->len) == 0)
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_INVALID_PARAMETER,
                           "No frames to put on a contact sheet");
      return NULL;
    }

  /* Frames of several images: one image after the other, each starting
   * a row, in the order they came. */
  sorted = g_ptr_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (frames, i));
  for (guint i = 1; i < n; i++)
    if (rf_frame_get_lane_index (g_ptr_array_index (frames, i)) !=
        rf_frame_get_lane_index (g_ptr_array_index (frames, 0)))
      several = TRUE;
  if (several)
    g_ptr_array_sort (sorted, compare_by_lane);

  for (guint i = 0, run = 0; i < n; i++)
    {
      run = (i > 0 && rf_frame_get_lane_index (g_ptr_array_index (sorted, i)) ==
                      rf_frame_get_lane_index (g_ptr_array_index (sorted, i - 1))) ? run + 1 : 1;
      max_per_lane = MAX (max_per_lane, run);
    }

  if (columns <= 0)
    columns = MIN (several ? max_per_lane : n, 4);
  columns = MIN ((guint) columns, several ? max_per_lane : n);
  if (cell_size <= 0)
    cell_size = 256;
  cell_size = CLAMP (cell_size, 32, 4096);

  cell_row = g_new0 (int, n);
  cell_column = g_new0 (int, n);
  rows = 0;
  for (guint i = 0, column = 0; i < n; i++)
    {
      gboolean new_lane = i > 0 && several &&
                          rf_frame_get_lane_index (g_ptr_array_index (sorted, i)) !=
                          rf_frame_get_lane_index (g_ptr_array_index (sorted, i - 1));

      if (i == 0 || new_lane || column == (guint) columns)
        {
          rows++;
          column = 0;
        }
      cell_row[i] = rows - 1;
      cell_column[i] = column++;
    }

  width = 2 * MARGIN + columns * cell_size + (columns - 1) * GAP;
  height = 2 * MARGIN + rows * (cell_size + LABEL_HEIGHT) + (rows - 1) * GAP;

  if (!(sheet = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height)))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "A contact sheet of %d × %d pixels is too large", width, height);
      return NULL;
    }

  fill_rect (sheet, 0, 0, width, height, background);

  for (guint i = 0; i < n; i++)
    {
      RfFrame *frame = g_ptr_array_index (sorted, i);
      int cx = MARGIN + cell_column[i] * (cell_size + GAP);
      int cy = MARGIN + cell_row[i] * (cell_size + LABEL_HEIGHT + GAP);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GdkPixbuf) pixbuf = rf_frame_decode_pixbuf (frame, &local_error);
      g_autofree char *title = dup_title (frame, several);
      g_autofree char *detail = dup_detail (frame);
      gboolean is_final = rf_frame_get_kind (frame) == RF_FRAME_KIND_FINAL;

      if (pixbuf != NULL)
        {
          int pw = gdk_pixbuf_get_width (pixbuf);
          int ph = gdk_pixbuf_get_height (pixbuf);
          double scale = MIN ((double) cell_size / pw, (double) cell_size / ph);
          int dw = MAX (1, (int) (pw * scale + 0.5));
          int dh = MAX (1, (int) (ph * scale + 0.5));
          int dx = cx + (cell_size - dw) / 2;
          int dy = cy + (cell_size - dh) / 2;

          if (gdk_pixbuf_get_has_alpha (pixbuf))
            checkerboard (sheet, dx, dy, dw, dh);

          gdk_pixbuf_composite (pixbuf, sheet, dx, dy, dw, dh, dx, dy,
                                (double) dw / pw, (double) dh / ph,
                                GDK_INTERP_BILINEAR, 255);
          stroke_rect (sheet, dx - 1, dy - 1, dw + 2, dh + 2, 1, border_colour);
        }
      else
        {
          fill_rect (sheet, cx, cy, cell_size, cell_size, empty_colour);
          stroke_rect (sheet, cx, cy, cell_size, cell_size, 2, failed_colour);
          draw_text (sheet, cx + 8, cy + cell_size / 2 - LINE_HEIGHT / 2, cell_size - 16,
                     "did not decode", TRUE, failed_colour);
        }

      draw_text (sheet, cx, cy + cell_size + LABEL_PAD, cell_size, title, TRUE,
                 pixbuf == NULL ? failed_colour : text_colour);
      if (is_final)
        fill_rect (sheet, cx + (int) strlen (title) * ADVANCE + 6,
                   cy + cell_size + LABEL_PAD + 2, 10, 10, (Rgb) { 0x2e, 0xc2, 0x7e });
      draw_text (sheet, cx, cy + cell_size + LABEL_PAD + LINE_HEIGHT, cell_size, detail, FALSE,
                 dim_colour);
    }

  return g_steal_pointer (&sheet);
}

gboolean
rf_contact_sheet_save_png (GPtrArray   *frames,
                           int          columns,
                           int          cell_size,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(GdkPixbuf) sheet = NULL;

  g_return_val_if_fail (frames != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!(sheet = rf_contact_sheet_render (frames, columns, cell_size, error)))
    return FALSE;

  return rf_export_save_png (sheet, path, error);
}

static void
save_job_free (gpointer data)
{
  SaveJob *job = data;

  g_clear_pointer (&job->frames, g_ptr_array_unref);
  g_free (job->path);
  g_free (job);
}

static gboolean
save_job (gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  SaveJob *job = data;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  return rf_contact_sheet_save_png (job->frames, job->columns, job->cell_size, job->path, error);
}

void
rf_contact_sheet_save_png_async (GPtrArray           *frames,
                                 int                  columns,
                                 int                  cell_size,
                                 const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  SaveJob *job;

  g_return_if_fail (frames != NULL);
  g_return_if_fail (path != NULL);

  job = g_new0 (SaveJob, 1);
  job->frames = g_ptr_array_ref (frames);
  job->columns = columns;
  job->cell_size = cell_size;
  job->path = g_strdup (path);

  rf_export_run_job_async (rf_contact_sheet_save_png_async, "[rf-contact-sheet] save", save_job, job,
                           save_job_free, cancellable, callback, user_data);
}

gboolean
rf_contact_sheet_save_png_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return rf_export_job_finish (result, error);
}
