/*
 * rf-error-toast.c
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

#include <glib/gi18n.h>

#include "rf-error-toast.h"

/* What a toast takes around its text in libadwaita 1.2: its margins
 * (12 px a side), padding (12 px and 6 px), the title's margins (6 px),
 * the spacing and the close button (34 px); and a button's padding. */
#define TOAST_CHROME_PX  (2 * 12 + 12 + 6 + 2 * 6 + 2 * 6 + 34)
#define BUTTON_CHROME_PX (2 * 17)
/* Pango's width of a text, less what the toast's own style may add. */
#define FIT_SLACK 0.9

static int
text_width (GtkWidget  *widget,
            const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width = 0;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static int
button_width (GtkWidget  *widget,
              const char *mnemonic)
{
  g_autofree char *plain = NULL;
  g_autoptr(GString) text = g_string_new (mnemonic);

  g_string_replace (text, "_", "", 0);
  plain = g_string_free (g_steal_pointer (&text), FALSE);
  return text_width (widget, plain) + BUTTON_CHROME_PX;
}

/* The longest start of @text, cut after a word, that fits @width with an
 * ellipsis. */
static char *
shorten_to (GtkWidget  *widget,
            const char *text,
            int         width)
{
  const char *end = text + strlen (text);
  const char *lo = text;
  const char *hi = end;
  const char *cut;

  /* Binary search over character boundaries. */
  while (lo < hi)
    {
      const char *mid = g_utf8_find_prev_char (text, lo + (hi - lo + 1) / 2 + 1);
      g_autofree char *candidate = NULL;

      if (mid == NULL || mid <= lo)
        mid = g_utf8_next_char (lo);
      candidate = g_strdup_printf ("%.*s…", (int) (mid - text), text);
      if (text_width (widget, candidate) <= width)
        lo = mid;
      else
        hi = g_utf8_find_prev_char (text, mid) ? g_utf8_find_prev_char (text, mid) : text;
    }

  /* At a word, when there is one. */
  cut = lo;
  while (cut > text && !g_unichar_isspace (g_utf8_get_char (cut)))
    cut = g_utf8_prev_char (cut);
  if (cut == text)
    cut = lo;
  while (cut > text && g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (cut))))
    cut = g_utf8_prev_char (cut);

  return g_strdup_printf ("%.*s…", (int) (cut - text), text);
}

AdwToast *
rf_error_toast_new (GtkWidget  *overlay,
                    const char *text,
                    const char *heading,
                    const char *full_text,
                    gboolean    keep_button)
{
  /* TRANSLATORS: button of a toast whose message is too long to show:
   * shows the whole message */
  const char *details = _("_Details");
  AdwToast *toast;
  GtkWidget *label;
  g_autofree char *shown = NULL;
  int overlay_width, line, width;
  gboolean shortened = FALSE;

  g_return_val_if_fail (GTK_IS_WIDGET (overlay), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  overlay_width = gtk_widget_get_width (overlay);
  if (overlay_width <= 0)
    overlay_width = 600;
  /* Room for the text on one line, beside a button. */
  line = MAX (80, overlay_width - TOAST_CHROME_PX - button_width (overlay, details));
  /* Measured in the title's own (bold) font. */
  label = gtk_label_new (NULL);
  gtk_widget_add_css_class (label, "heading");
  width = text_width (label, text);
  if (width > FIT_SLACK * RF_TOAST_MAX_LINES * line && !keep_button)
    {
      shown = shorten_to (label, text, FIT_SLACK * RF_TOAST_MAX_LINES * line);
      shortened = TRUE;
    }

  gtk_label_set_label (GTK_LABEL (label), shown ? shown : text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* A toast gives its title no more than the title's minimum width: the
   * text asks for one line as wide as the window allows, then wraps. */
  gtk_widget_set_size_request (label, MIN (text_width (label, shown ? shown : text) + 1, line), -1);

  toast = adw_toast_new ("");
  adw_toast_set_custom_title (toast, label);
  adw_toast_set_timeout (toast, RF_TOAST_TIMEOUT_S);
  if ((shortened || full_text != NULL) && !keep_button)
    {
      adw_toast_set_button_label (toast, details);
      adw_toast_set_action_name (toast, "win.show-error");
      adw_toast_set_action_target_value (toast, g_variant_new ("(ss)", heading ? heading : "",
                                                               full_text ? full_text : text));
    }
  g_object_set_data (G_OBJECT (toast), "rf-shortened", GINT_TO_POINTER (shortened));

  return toast;
}

gboolean
rf_error_toast_is_shortened (AdwToast *toast)
{
  g_return_val_if_fail (ADW_IS_TOAST (toast), FALSE);

  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (toast), "rf-shortened"));
}
