/*
 * rf-tap-run.c
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

#define G_LOG_DOMAIN "rf-tap-run"

#include "config.h"

#include "rf-tap-run-private.h"

struct _RfTapRun
{
  GObject      parent_instance;

  guint        index;
  char        *method;
  char        *path;
  char        *model;
  guint        status;
  gint64       start_time;
  RfTapSource *source;
  RfRecorder  *recorder;
  RfSession   *session;

  /* What the rows and the summary need once the session is let go. */
  RfSessionState state;
  guint        n_frames;
};

G_DEFINE_FINAL_TYPE (RfTapRun, rf_tap_run, G_TYPE_OBJECT)

static void
rf_tap_run_finalize (GObject *object)
{
  RfTapRun *self = (RfTapRun *)object;

  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_object (&self->source);
  g_clear_object (&self->recorder);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (rf_tap_run_parent_class)->finalize (object);
}

static void
rf_tap_run_class_init (RfTapRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rf_tap_run_finalize;
}

static void
rf_tap_run_init (RfTapRun *self)
{
}

RfTapRun *
_rf_tap_run_new (guint        index,
                 const char  *method,
                 const char  *path,
                 const char  *model,
                 guint        status,
                 gint64       start_time,
                 RfTapSource *source,
                 RfRecorder  *recorder)
{
  RfTapRun *self = g_object_new (RF_TYPE_TAP_RUN, NULL);

  self->index = index;
  self->method = g_strdup (method);
  self->path = g_strdup (path);
  self->model = g_strdup (model);
  self->status = status;
  self->start_time = start_time;
  self->source = g_object_ref (source);
  self->recorder = recorder ? g_object_ref (recorder) : NULL;

  return self;
}

RfTapSource *
_rf_tap_run_get_source (RfTapRun *self)
{
  return self->source;
}

void
_rf_tap_run_set_session (RfTapRun  *self,
                         RfSession *session)
{
  g_set_object (&self->session, session);
}

guint
rf_tap_run_get_index (RfTapRun *self)
{
  g_return_val_if_fail (RF_IS_TAP_RUN (self), 0);
  return self->index;
}

const char *
rf_tap_run_get_method (RfTapRun *self)
{
  g_return_val_if_fail (RF_IS_TAP_RUN (self), NULL);
  return self->method;
}

const char *
rf_tap_run_get_path (RfTapRun *self)
{
  g_return_val_if_fail (RF_IS_TAP_RUN (self), NULL);
  return self->path;
}

const char *
rf_tap_run_get_model (RfTapRun *self)
{
  g_return_val_if_fail (RF_IS_TAP_RUN (self), NULL);
  return self->model;
}

guint
rf_tap_run_get_status (RfTapRun *self)
{
  g_return_val_if_fail (RF_IS_TAP_RUN (self), 0);
  return self->status;
}

gint64
rf_tap_run_get_start_time (RfTapRun *self)
{
  g_return_val_if_fail (RF_IS_TAP_RUN (self), 0);
  return self->start_time;
}

RfSession *
rf_tap_run_get_session (RfTapRun *self)
{
  g_return_val_if_fail (RF_IS_TAP_RUN (self), NULL);
  return self->session;
}

RfSessionState
rf_tap_run_get_state (RfTapRun *self)
{
  g_return_val_if_fail (RF_IS_TAP_RUN (self), RF_SESSION_STATE_IDLE);

  if (self->session != NULL)
    return rf_session_get_state (self->session);
  return self->state;
}

guint
rf_tap_run_get_n_frames (RfTapRun *self)
{
  g_return_val_if_fail (RF_IS_TAP_RUN (self), 0);

  if (self->session != NULL)
    return g_list_model_get_n_items (rf_session_get_frames (self->session));
  return self->n_frames;
}

void
_rf_tap_run_release_session (RfTapRun *self)
{
  if (self->session == NULL)
    return;

  self->state = rf_session_get_state (self->session);
  self->n_frames = g_list_model_get_n_items (rf_session_get_frames (self->session));
  g_clear_object (&self->session);
  /* The source holds the stream's bytes while it is read: done now. */
  g_clear_object (&self->source);
}

char *
rf_tap_run_dup_journal_path (RfTapRun *self)
{
  g_return_val_if_fail (RF_IS_TAP_RUN (self), NULL);

  return self->recorder ? rf_recorder_dup_path (self->recorder) : NULL;
}
