/*
 * rf-frame.c
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

#define G_LOG_DOMAIN "rf-frame"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rf-frame-private.h"

/* Who may write what, and when (the rule rf-frame.h states):
 *
 * - identity (index … event_position, limits): written on the ingest
 *   thread before the frame is handed out, never after;
 * - the decode result (status … thumbnail, decoded_t_ms): written once,
 *   on the main thread, then published by the atomic store of @status.
 *   A reader on any thread loads @status first (acquire) and reads the
 *   other fields only when it is no longer RF_DECODE_PENDING;
 * - @sha256: set once, by compare-and-swap, by whichever thread hashes
 *   first (or from the decode result);
 * - the measures: written on the main thread whenever the analyzer hands
 *   them over, under measures_lock, which readers take too.
 *
 * So every field any thread reads either never changes once visible or
 * is read under the lock that guards its writes. */
G_LOCK_DEFINE_STATIC (measures_lock);

struct _RfFrame
{
  GObject         parent_instance;

  guint           index;
  guint           lane_index;
  RfFrameKind     kind;
  gint64          partial_index;
  gint64          sequence_number;
  char           *item_id;
  char           *image_params[RF_N_IMAGE_PARAMS];  /* set before it is shared */
  gint64          output_index;
  gint64          t_ms;              /* its event ended */
  gint64          first_byte_t_ms;   /* its event began to arrive */
  gint64          decoded_t_ms;      /* its pixels were ready; -1 before */
  gint64          event_end_usec;    /* monotonic, for decoded_t_ms */
  guint           event_position;

  gint            status;            /* RfDecodeStatus, atomic: publishes the result */
  char           *decode_error;
  GBytes         *encoded;
  RfImageFormat   format;
  char           *sha256;            /* atomic pointer, set once */
  int             declared_width;
  int             declared_height;
  int             width;
  int             height;
  gboolean        has_alpha;
  double          decode_ms;
  GdkPixbuf      *thumbnail;
  RfDecodeLimits  limits;

  /* Measures, set on the main thread as the analyzer hands them over;
   * under measures_lock. */
  gboolean        has_diff_prev;
  double          diff_prev;
  double          diff_prev_rgb[3];
  gboolean        has_ssim_final;
  double          ssim_final;
};

G_DEFINE_FINAL_TYPE (RfFrame, rf_frame, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DECODE_STATUS,
  PROP_THUMBNAIL,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* The decode result's fields may be read once this is TRUE (acquire). */
static inline gboolean
result_published (RfFrame *self)
{
  return g_atomic_int_get (&self->status) != RF_DECODE_PENDING;
}

static void
rf_frame_finalize (GObject *object)
{
  RfFrame *self = (RfFrame *)object;

  g_clear_pointer (&self->item_id, g_free);
  for (guint i = 0; i < RF_N_IMAGE_PARAMS; i++)
    g_clear_pointer (&self->image_params[i], g_free);
  g_clear_pointer (&self->decode_error, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->encoded, g_bytes_unref);
  g_clear_object (&self->thumbnail);

  G_OBJECT_CLASS (rf_frame_parent_class)->finalize (object);
}

static void
rf_frame_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  RfFrame *self = RF_FRAME (object);

  switch (prop_id)
    {
    case PROP_DECODE_STATUS:
      g_value_set_int (value, rf_frame_get_decode_status (self));
      break;

    case PROP_THUMBNAIL:
      g_value_set_object (value, rf_frame_get_thumbnail (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_frame_class_init (RfFrameClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rf_frame_finalize;
  object_class->get_property = rf_frame_get_property;

  properties [PROP_DECODE_STATUS] =
    g_param_spec_int ("decode-status", NULL, NULL,
                      RF_DECODE_PENDING, RF_DECODE_FAILED, RF_DECODE_PENDING,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_THUMBNAIL] =
    g_param_spec_object ("thumbnail", NULL, NULL, GDK_TYPE_PIXBUF,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rf_frame_init (RfFrame *self)
{
  rf_decode_limits_init_default (&self->limits);
}

RfFrame *
_rf_frame_new (guint        index,
               guint        lane_index,
               RfFrameKind  kind,
               gint64       partial_index,
               gint64       sequence_number,
               const char  *item_id,
               gint64       output_index,
               gint64       t_ms,
               guint        event_position)
{
  RfFrame *self = g_object_new (RF_TYPE_FRAME, NULL);

  self->index = index;
  self->lane_index = lane_index;
  self->kind = kind;
  self->partial_index = kind == RF_FRAME_KIND_FINAL ? -1 : partial_index;
  self->sequence_number = sequence_number;
  self->item_id = g_strdup (item_id);
  self->output_index = output_index;
  self->t_ms = t_ms;
  self->first_byte_t_ms = t_ms;
  self->decoded_t_ms = -1;
  self->event_position = event_position;

  return self;
}

/* Ingest thread, before the frame is handed out. */
void
_rf_frame_set_arrival (RfFrame *self,
                       gint64   first_byte_t_ms,
                       gint64   event_end_usec)
{
  if (first_byte_t_ms >= 0 && first_byte_t_ms <= self->t_ms)
    self->first_byte_t_ms = first_byte_t_ms;
  self->event_end_usec = event_end_usec;
}

void
_rf_frame_set_limits (RfFrame              *self,
                      const RfDecodeLimits *limits)
{
  self->limits = *limits;
}

void
_rf_frame_apply_result (RfFrame              *self,
                        const RfDecodeResult *result)
{
  g_return_if_fail (RF_IS_FRAME (self));
  g_return_if_fail (result != NULL);

  /* A re-decode of evicted pixels brings nothing new but the pixels; and
   * a published result is never written again (workers may read it). */
  if (g_atomic_int_get (&self->status) != RF_DECODE_PENDING)
    return;

  g_free (self->decode_error);
  self->decode_error = g_strdup (result->error);
  if (result->encoded != NULL && self->encoded == NULL)
    self->encoded = g_bytes_ref (result->encoded);
  self->format = result->format;
  /* No thread hashes a frame before its bytes are published (below). */
  if (result->sha256 != NULL)
    g_atomic_pointer_set (&self->sha256, g_strdup (result->sha256));
  self->declared_width = result->declared_width;
  self->declared_height = result->declared_height;
  self->width = result->width;
  self->height = result->height;
  self->has_alpha = result->has_alpha;
  self->decode_ms = result->decode_ms;
  /* On the clock of t_ms, whatever it is (live, or a recording's own
   * times when replayed at full speed): the time from the event's end to
   * its pixels as measured, added to the event's time. */
  if (result->status == RF_DECODE_OK)
    self->decoded_t_ms = self->t_ms +
      (self->event_end_usec > 0 && result->done_usec > self->event_end_usec
         ? (result->done_usec - self->event_end_usec + 500) / 1000 : 0);
  g_set_object (&self->thumbnail, result->thumbnail);

  /* Last: every field above is visible to whoever sees the status. */
  g_atomic_int_set (&self->status, result->status);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_THUMBNAIL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DECODE_STATUS]);
}

guint
rf_frame_get_index (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return self->index;
}

guint
rf_frame_get_lane_index (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return self->lane_index;
}

RfFrameKind
rf_frame_get_kind (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return self->kind;
}

gint64
rf_frame_get_partial_index (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return self->partial_index;
}

gint64
rf_frame_get_sequence_number (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return self->sequence_number;
}

void
_rf_frame_set_image_param (RfFrame      *self,
                           RfImageParam  param,
                           const char   *value)
{
  g_return_if_fail (RF_IS_FRAME (self));
  g_return_if_fail (param < RF_N_IMAGE_PARAMS);

  g_free (self->image_params[param]);
  self->image_params[param] = g_strdup (value);
}

const char *
rf_frame_get_image_param (RfFrame      *self,
                          RfImageParam  param)
{
  g_return_val_if_fail (RF_IS_FRAME (self), NULL);
  g_return_val_if_fail (param < RF_N_IMAGE_PARAMS, NULL);

  return self->image_params[param];
}

const char *
rf_frame_get_item_id (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), NULL);

  return self->item_id;
}

gint64
rf_frame_get_output_index (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return self->output_index;
}

gint64
rf_frame_get_t_ms (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return self->t_ms;
}

gint64
rf_frame_get_first_byte_t_ms (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return self->first_byte_t_ms;
}

gint64
rf_frame_get_decoded_t_ms (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return result_published (self) ? self->decoded_t_ms : -1;
}

guint
rf_frame_get_event_position (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return self->event_position;
}

RfDecodeStatus
rf_frame_get_decode_status (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return (RfDecodeStatus) g_atomic_int_get (&self->status);
}

const char *
rf_frame_get_decode_error (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), NULL);

  return result_published (self) ? self->decode_error : NULL;
}

GBytes *
rf_frame_get_encoded (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), NULL);

  return result_published (self) ? self->encoded : NULL;
}

RfImageFormat
rf_frame_get_format (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return result_published (self) ? self->format : RF_IMAGE_FORMAT_UNKNOWN;
}

/* Hashed on first use rather than in the decode worker: 1.5 MB of
 * SHA-256 costs as much CPU as a tenth of the image decode, and most
 * frames are never asked for it. Any thread may be first: the hash is
 * swapped in once, and a thread that lost the race takes the winner's. */
const char *
rf_frame_get_sha256 (RfFrame *self)
{
  char *sha256;
  GBytes *encoded;

  g_return_val_if_fail (RF_IS_FRAME (self), NULL);

  sha256 = g_atomic_pointer_get (&self->sha256);
  if (sha256 == NULL && (encoded = rf_frame_get_encoded (self)) != NULL)
    {
      char *mine = rf_sha256_hex (encoded);

      if (g_atomic_pointer_compare_and_exchange (&self->sha256, NULL, mine))
        sha256 = mine;
      else
        {
          g_free (mine);
          sha256 = g_atomic_pointer_get (&self->sha256);
        }
    }

  return sha256;
}

int
rf_frame_get_declared_width (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return result_published (self) ? self->declared_width : 0;
}

int
rf_frame_get_declared_height (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return result_published (self) ? self->declared_height : 0;
}

int
rf_frame_get_width (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return result_published (self) ? self->width : 0;
}

int
rf_frame_get_height (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return result_published (self) ? self->height : 0;
}

gboolean
rf_frame_get_has_alpha (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), FALSE);

  return result_published (self) && self->has_alpha;
}

double
rf_frame_get_decode_ms (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), 0);

  return result_published (self) ? self->decode_ms : 0;
}

GdkPixbuf *
rf_frame_get_thumbnail (RfFrame *self)
{
  g_return_val_if_fail (RF_IS_FRAME (self), NULL);

  return result_published (self) ? self->thumbnail : NULL;
}


gsize
rf_frame_get_encoded_size (RfFrame *self)
{
  GBytes *encoded = rf_frame_get_encoded (self);

  return encoded ? g_bytes_get_size (encoded) : 0;
}

char *
rf_frame_dup_label (RfFrame *self)
{
  g_autofree char *number = NULL;

  g_return_val_if_fail (RF_IS_FRAME (self), NULL);

  if (self->kind == RF_FRAME_KIND_FINAL)
    return g_strdup (_("final"));

  /* The index is the stream's, up to 2^63 - 1: printed whole, never cut
   * to an int. */
  number = g_strdup_printf ("%" G_GINT64_FORMAT, self->partial_index);
  /* Translators: a partial (preview) image and its 0-based index */
  return g_strdup_printf (_("partial %s"), number);
}

GdkPixbuf *
rf_frame_decode_pixbuf (RfFrame  *self,
                        GError  **error)
{
  g_return_val_if_fail (RF_IS_FRAME (self), NULL);

  if (rf_frame_get_encoded (self) == NULL)
    {
      const char *decode_error = rf_frame_get_decode_error (self);

      g_set_error (error, RF_ERROR, RF_ERROR_DECODE, "%s",
                   /* TRANSLATORS: why a frame could not be drawn or
                    * exported. A frame is one step of an image’s refinement:
                    * a partial image or the final image */
                   decode_error ? decode_error : _("The frame has no image bytes"));
      return NULL;
    }

  return rf_image_decode (self->encoded, &self->limits, error);
}

gboolean
rf_frame_get_diff_prev (RfFrame *self,
                        double  *mean,
                        double  *per_channel)
{
  gboolean has;

  g_return_val_if_fail (RF_IS_FRAME (self), FALSE);

  G_LOCK (measures_lock);
  has = self->has_diff_prev;
  if (mean != NULL)
    *mean = has ? self->diff_prev : 0;
  if (per_channel != NULL)
    for (int c = 0; c < 3; c++)
      per_channel[c] = has ? self->diff_prev_rgb[c] : 0;
  G_UNLOCK (measures_lock);

  return has;
}

gboolean
rf_frame_get_ssim_final (RfFrame *self,
                         double  *ssim)
{
  gboolean has;

  g_return_val_if_fail (RF_IS_FRAME (self), FALSE);

  G_LOCK (measures_lock);
  has = self->has_ssim_final;
  if (ssim != NULL)
    *ssim = has ? self->ssim_final : 0;
  G_UNLOCK (measures_lock);

  return has;
}

void
_rf_frame_set_diff_prev (RfFrame      *self,
                         double        mean,
                         const double *per_channel)
{
  g_return_if_fail (RF_IS_FRAME (self));

  G_LOCK (measures_lock);
  self->has_diff_prev = TRUE;
  self->diff_prev = mean;
  for (int c = 0; c < 3; c++)
    self->diff_prev_rgb[c] = per_channel[c];
  G_UNLOCK (measures_lock);
}

void
_rf_frame_set_ssim_final (RfFrame *self,
                          double   ssim)
{
  g_return_if_fail (RF_IS_FRAME (self));

  G_LOCK (measures_lock);
  self->has_ssim_final = TRUE;
  self->ssim_final = ssim;
  G_UNLOCK (measures_lock);
}
