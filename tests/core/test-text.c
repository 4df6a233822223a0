/*
 * test-text.c
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

#include <glib.h>

#include "rf-text.h"

/* A number and the word after it share a no-break space; other spaces,
 * and text without numbers, are left as they are. */
static void
test_bind_numbers (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "12,3 MB", "12,3\u00a0MB" },
    { "418 ms", "418\u00a0ms" },
    { "0,0120 $", "0,0120\u00a0$" },
    { "45 %", "45\u00a0%" },
    { "12,3 MB (12.345.678 Bytes)", "12,3\u00a0MB (12.345.678\u00a0Bytes)" },
    { "3 Teilbilder, 1 Endbild", "3\u00a0Teilbilder, 1\u00a0Endbild" },
    { "1 étape", "1\u00a0étape" },
    { "768 × 768", "768 × 768" },
    { "1 – 3", "1 – 3" },
    { "Image 2 (partial)", "Image 2 (partial)" },
    { "no numbers here", "no numbers here" },
    { "trailing 5 ", "trailing 5 " },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = rf_text_bind_numbers (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_null (rf_text_bind_numbers (NULL));
}

/* Bytes that are not UTF-8 come back as they were: no character is read
 * past the end. */
static void
test_bind_numbers_invalid (void)
{
  g_autofree char *out = rf_text_bind_numbers ("5 \xff\xfe MB");

  g_assert_cmpstr (out, ==, "5 \xff\xfe MB");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/bind-numbers", test_bind_numbers);
  g_test_add_func ("/text/bind-numbers-invalid", test_bind_numbers_invalid);

  return g_test_run ();
}
