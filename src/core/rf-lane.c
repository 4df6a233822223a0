/*
 * rf-lane.c
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

#define G_LOG_DOMAIN "rf-lane"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rf-frame.h"
#include "rf-lane-private.h"

struct _RfLane
{
  GObject     parent_instance;

  guint       index;
  char       *item_id;
  gint64      output_index;
  char       *revised_prompt;
  GListStore *frames;
  RfFrame    *final;
  guint       n_partials;
};

G_DEFINE_FINAL_TYPE (RfLane, rf_lane, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REVISED_PROMPT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
rf_lane_finalize (GObject *object)
{
  RfLane *self = (RfLane *)object;

  g_clear_pointer (&self->item_id, g_free);
  g_clear_pointer (&self->revised_prompt, g_free);
  g_clear_object (&self->frames);

  G_OBJECT_CLASS (rf_lane_parent_class)->finalize (object);
}

static void
rf_lane_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RfLane *self = RF_LANE (object);

  switch (prop_id)
    {
    case PROP_REVISED_PROMPT:
      g_value_set_string (value, self->revised_prompt);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_lane_class_init (RfLaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rf_lane_finalize;
  object_class->get_property = rf_lane_get_property;

  properties [PROP_REVISED_PROMPT] =
    g_param_spec_string ("revised-prompt", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rf_lane_init (RfLane *self)
{
  self->frames = g_list_store_new (RF_TYPE_FRAME);
}

RfLane *
_rf_lane_new (guint       index,
              const char *item_id,
              gint64      output_index)
{
  RfLane *self = g_object_new (RF_TYPE_LANE, NULL);

  self->index = index;
  self->item_id = g_strdup (item_id);
  self->output_index = output_index;

  return self;
}

void
_rf_lane_add_frame (RfLane  *self,
                    RfFrame *frame)
{
  g_return_if_fail (RF_IS_LANE (self));
  g_return_if_fail (RF_IS_FRAME (frame));

  if (rf_frame_get_kind (frame) == RF_FRAME_KIND_FINAL)
    self->final = frame;
  else
    self->n_partials++;

  g_list_store_append (self->frames, frame);
}

void
_rf_lane_set_revised_prompt (RfLane     *self,
                             const char *revised_prompt)
{
  if (g_strcmp0 (self->revised_prompt, revised_prompt) == 0)
    return;

  g_free (self->revised_prompt);
  self->revised_prompt = g_strdup (revised_prompt);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REVISED_PROMPT]);
}

guint
rf_lane_get_index (RfLane *self)
{
  g_return_val_if_fail (RF_IS_LANE (self), 0);

  return self->index;
}

const char *
rf_lane_get_item_id (RfLane *self)
{
  g_return_val_if_fail (RF_IS_LANE (self), NULL);

  return self->item_id;
}

gint64
rf_lane_get_output_index (RfLane *self)
{
  g_return_val_if_fail (RF_IS_LANE (self), 0);

  return self->output_index;
}

GListModel *
rf_lane_get_frames (RfLane *self)
{
  g_return_val_if_fail (RF_IS_LANE (self), NULL);

  return G_LIST_MODEL (self->frames);
}

guint
rf_lane_get_n_partials (RfLane *self)
{
  g_return_val_if_fail (RF_IS_LANE (self), 0);

  return self->n_partials;
}

RfFrame *
rf_lane_get_final (RfLane *self)
{
  g_return_val_if_fail (RF_IS_LANE (self), NULL);

  return self->final;
}

const char *
rf_lane_get_revised_prompt (RfLane *self)
{
  g_return_val_if_fail (RF_IS_LANE (self), NULL);

  return self->revised_prompt;
}


char *
rf_lane_dup_title (RfLane *self)
{
  g_return_val_if_fail (RF_IS_LANE (self), NULL);

  /* Translators: a lane of the timeline holds the frames of one image */
  return g_strdup_printf (_("Image %u"), self->index + 1);
}
