/*
 * rf-export.c
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

#define G_LOG_DOMAIN "rf-export"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "rf-run-summary.h"
#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-export.h"
#include "rf-file-util.h"
#include "rf-frame.h"
#include "rf-image-params.h"
#include "rf-lane.h"
#include "rf-session.h"
#include "rf-source.h"
#include "rf-text.h"

/* File names come from lane numbers and partial indexes only, never from
 * server-supplied strings such as item ids. The image is numbered as
 * people see it, from 1 ("Image 1" in the app and the CLI); the partial
 * image index is the API's own. */
char *
rf_export_frame_file_name (RfFrame *frame)
{
  g_return_val_if_fail (RF_IS_FRAME (frame), NULL);

  if (rf_frame_get_kind (frame) == RF_FRAME_KIND_FINAL)
    return g_strdup_printf ("image-%u-final.png", rf_frame_get_lane_index (frame) + 1);

  return g_strdup_printf ("image-%u-partial-%lld.png",
                          rf_frame_get_lane_index (frame) + 1,
                          (long long) rf_frame_get_partial_index (frame));
}

/* The payload's own extension, from its bytes (not from what the stream
 * said it was). */
static const char *
original_extension (RfImageFormat format)
{
  switch (format)
    {
    case RF_IMAGE_FORMAT_PNG:  return "png";
    case RF_IMAGE_FORMAT_JPEG: return "jpg";
    case RF_IMAGE_FORMAT_WEBP: return "webp";
    case RF_IMAGE_FORMAT_SVG:  return "svg";
    case RF_IMAGE_FORMAT_UNKNOWN:
    default:                   return "bin";
    }
}

/* "original/image-1-final.jpg" beside "image-1-final.png". */
static char *
original_file_name (RfFrame    *frame,
                    const char *png_name)
{
  g_autofree char *stem = g_strndup (png_name, strlen (png_name) - strlen (".png"));

  return g_strdup_printf ("original/%s.%s", stem, original_extension (rf_frame_get_format (frame)));
}

/* Unique names: a partial index that arrived twice gets a suffix. */
static GPtrArray *
assign_file_names (GPtrArray *frames)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < frames->len; i++)
    {
      RfFrame *frame = g_ptr_array_index (frames, i);
      g_autofree char *name = rf_export_frame_file_name (frame);
      char *unique = g_strdup (name);

      for (guint n = 2; g_hash_table_contains (used, unique); n++)
        {
          g_autofree char *stem = g_strndup (name, strlen (name) - 4);
          g_free (unique);
          unique = g_strdup_printf ("%s-%u.png", stem, n);
        }

      g_hash_table_add (used, g_strdup (unique));
      g_ptr_array_add (names, unique);
    }

  return names;
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_nullable_int (JsonBuilder *builder,
                  const char  *name,
                  gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value >= 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}


void
rf_export_add_diagnostic_json (JsonBuilder  *builder,
                               RfDiagnostic *diagnostic)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "severity");
  json_builder_add_string_value (builder, rf_severity_to_string (rf_diagnostic_get_severity (diagnostic)));
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, rf_diagnostic_get_code (diagnostic));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, rf_diagnostic_get_message (diagnostic));
  add_nullable_int (builder, "sequence_number", rf_diagnostic_get_sequence_number (diagnostic));
  add_nullable_int (builder, "lane", rf_diagnostic_get_lane (diagnostic));
  json_builder_end_object (builder);
}

/* Rounded: more digits than these say nothing about 8-bit pixels. */
static void
add_measures (JsonBuilder *builder,
              RfFrame     *frame)
{
  double diff, rgb[3], ssim;

  json_builder_set_member_name (builder, "diff_prev");
  if (rf_frame_get_diff_prev (frame, &diff, rgb))
    {
      json_builder_add_double_value (builder, round (diff * 1e4) / 1e4);
      json_builder_set_member_name (builder, "diff_prev_rgb");
      json_builder_begin_array (builder);
      for (int c = 0; c < 3; c++)
        json_builder_add_double_value (builder, round (rgb[c] * 1e4) / 1e4);
      json_builder_end_array (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "diff_prev_rgb");
      json_builder_add_null_value (builder);
    }

  json_builder_set_member_name (builder, "ssim_final");
  if (rf_frame_get_ssim_final (frame, &ssim))
    json_builder_add_double_value (builder, round (ssim * 1e6) / 1e6);
  else
    json_builder_add_null_value (builder);
}

/* A JSON text the stream sent (already parsed once, when it arrived),
 * embedded as a value. */
static void
add_json_or_null (JsonBuilder *builder,
                  const char  *name,
                  const char  *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  json_builder_set_member_name (builder, name);
  if (json != NULL && rf_json_safe_to_parse (json, -1, RF_JSON_MAX_DEPTH) &&
      json_parser_load_from_data (parser, json, -1, NULL))
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_null_value (builder);
}

/* What the frame's event said of its image, only what it said. */
static void
add_frame_params (JsonBuilder *builder,
                  RfFrame     *frame)
{
  json_builder_set_member_name (builder, "image_params");
  json_builder_begin_object (builder);
  for (guint p = 0; p < RF_N_IMAGE_PARAMS; p++)
    if (rf_frame_get_image_param (frame, p) != NULL)
      {
        json_builder_set_member_name (builder, rf_image_param_to_string (p));
        json_builder_add_string_value (builder, rf_frame_get_image_param (frame, p));
      }
  json_builder_end_object (builder);
}

/* Per image: what was asked (the request's image fields, as sent) and
 * what came back (the fields the server echoed, its revised prompt, the
 * model and provider that answered, the final's decoded size). */
static void
add_images (JsonBuilder *builder,
            RfSession   *session)
{
  GListModel *lanes = rf_session_get_lanes (session);
  const char *request = rf_session_get_request_json (session);
  g_autofree char *requested_model = rf_image_params_dup_requested_model (request);

  json_builder_set_member_name (builder, "images");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (lanes); i++)
    {
      g_autoptr(RfLane) lane = g_list_model_get_item (lanes, i);
      GListModel *frames = rf_lane_get_frames (lane);
      g_autoptr(RfFrame) final = NULL;

      for (guint k = g_list_model_get_n_items (frames); k > 0 && final == NULL; k--)
        {
          g_autoptr(RfFrame) frame = g_list_model_get_item (frames, k - 1);

          if (rf_frame_get_kind (frame) == RF_FRAME_KIND_FINAL &&
              rf_frame_get_decode_status (frame) == RF_DECODE_OK)
            final = g_steal_pointer (&frame);
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "lane");
      json_builder_add_int_value (builder, rf_lane_get_index (lane));
      json_builder_set_member_name (builder, "image");
      json_builder_add_int_value (builder, rf_lane_get_index (lane) + 1);
      add_nullable_string (builder, "revised_prompt", rf_lane_get_revised_prompt (lane));
      add_nullable_string (builder, "model", rf_session_get_model (session) != NULL
                                               ? rf_session_get_model (session) : requested_model);
      add_nullable_string (builder, "provider", rf_session_get_provider (session));
      json_builder_set_member_name (builder, "requested");
      json_builder_begin_object (builder);
      for (guint p = 0; p < RF_N_IMAGE_PARAMS; p++)
        {
          g_autofree char *value = rf_image_params_dup_requested (request, p);

          add_nullable_string (builder, rf_image_param_to_string (p), value);
        }
      add_nullable_string (builder, "model", requested_model);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "echoed");
      json_builder_begin_object (builder);
      for (guint p = 0; p < RF_IMAGE_PARAM_ASPECT_RATIO; p++)
        add_nullable_string (builder, rf_image_param_to_string (p), rf_image_params_get_echoed (lane, p));
      json_builder_end_object (builder);
      add_nullable_int (builder, "width", final != NULL ? rf_frame_get_width (final) : -1);
      add_nullable_int (builder, "height", final != NULL ? rf_frame_get_height (final) : -1);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* @png_shas: frame → SHA-256 of the PNG file written for it, when the
 * files were written; then each frame also names its original. */
static char *
build_manifest (GPtrArray  *frames,
                GPtrArray  *diagnostics,
                RfSession  *session,
                gboolean    with_files,
                GHashTable *png_shas)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) names = assign_file_names (frames);

  json_builder_begin_object (builder);

  if (session != NULL)
    {
      const char *request = rf_session_get_request_json (session);
      const char *failure = rf_session_get_failure_message (session);
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autofree char *source = rf_session_get_source (session)
        ? rf_source_dup_description (rf_session_get_source (session)) : NULL;

      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, source ? source : "");
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, rf_session_state_to_string (rf_session_get_state (session)));
      add_nullable_string (builder, "failure", failure);
      add_nullable_string (builder, "response_id", rf_session_get_response_id (session));
      add_nullable_int (builder, "requested_partials", rf_session_get_requested_partials (session));
      json_builder_set_member_name (builder, "request");
      if (request != NULL && rf_json_safe_to_parse (request, -1, RF_JSON_MAX_DEPTH) &&
          json_parser_load_from_data (parser, request, -1, NULL))
        json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "lanes");
      json_builder_add_int_value (builder, g_list_model_get_n_items (rf_session_get_lanes (session)));
      json_builder_set_member_name (builder, "events");
      json_builder_add_int_value (builder, rf_session_get_n_events (session));
      /* Past the caps of rf-session.h events and diagnostics are counted only. */
      json_builder_set_member_name (builder, "events_kept");
      json_builder_add_int_value (builder, g_list_model_get_n_items (rf_session_get_events (session)));
      json_builder_set_member_name (builder, "diagnostics_not_kept");
      json_builder_add_int_value (builder, rf_session_get_n_diagnostics_dropped (session));
      json_builder_set_member_name (builder, "bytes_received");
      json_builder_add_int_value (builder, (gint64) rf_session_get_bytes_received (session));
      json_builder_set_member_name (builder, "duration_ms");
      json_builder_add_int_value (builder, rf_session_get_elapsed_ms (session));
      {
        g_autoptr(RfRunSummary) summary = rf_run_summary_new (session);

        json_builder_set_member_name (builder, "summary");
        rf_run_summary_add_json (summary, builder);
      }
      add_nullable_string (builder, "format",
                           rf_session_get_stream_format (session) != RF_STREAM_FORMAT_UNKNOWN
                             ? rf_stream_format_to_string (rf_session_get_stream_format (session)) : NULL);
      add_nullable_string (builder, "model", rf_session_get_model (session));
      add_nullable_string (builder, "provider", rf_session_get_provider (session));
      add_json_or_null (builder, "usage", rf_session_get_usage_json (session));
      add_images (builder, session);
    }

  json_builder_set_member_name (builder, "frames");
  json_builder_begin_array (builder);
  for (guint i = 0; i < frames->len; i++)
    {
      RfFrame *frame = g_ptr_array_index (frames, i);
      gboolean ok = rf_frame_get_decode_status (frame) == RF_DECODE_OK;

      json_builder_begin_object (builder);
      if (with_files)
        add_nullable_string (builder, "file", ok ? g_ptr_array_index (names, i) : NULL);
      if (png_shas != NULL)
        {
          g_autofree char *original = rf_frame_get_encoded (frame) != NULL
            ? original_file_name (frame, g_ptr_array_index (names, i)) : NULL;

          add_nullable_string (builder, "original", original);
          add_nullable_string (builder, "png_sha256", g_hash_table_lookup (png_shas, frame));
        }
      /* The lane's index (from 0) and the image's number as shown and
       * in the file names (from 1). */
      json_builder_set_member_name (builder, "lane");
      json_builder_add_int_value (builder, rf_frame_get_lane_index (frame));
      json_builder_set_member_name (builder, "image");
      json_builder_add_int_value (builder, rf_frame_get_lane_index (frame) + 1);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, rf_frame_kind_to_string (rf_frame_get_kind (frame)));
      add_nullable_int (builder, "partial_image_index", rf_frame_get_partial_index (frame));
      add_nullable_int (builder, "sequence_number", rf_frame_get_sequence_number (frame));
      add_nullable_string (builder, "item_id", rf_frame_get_item_id (frame));
      add_nullable_int (builder, "output_index", rf_frame_get_output_index (frame));
      json_builder_set_member_name (builder, "t_ms");
      json_builder_add_int_value (builder, rf_frame_get_t_ms (frame));
      json_builder_set_member_name (builder, "first_byte_t_ms");
      json_builder_add_int_value (builder, rf_frame_get_first_byte_t_ms (frame));
      add_nullable_int (builder, "decoded_t_ms", rf_frame_get_decoded_t_ms (frame));
      add_nullable_string (builder, "format",
                           rf_frame_get_format (frame) != RF_IMAGE_FORMAT_UNKNOWN
                             ? rf_image_format_to_string (rf_frame_get_format (frame)) : NULL);
      add_nullable_int (builder, "width", ok ? rf_frame_get_width (frame) : -1);
      add_nullable_int (builder, "height", ok ? rf_frame_get_height (frame) : -1);
      add_nullable_int (builder, "declared_width",
                        rf_frame_get_declared_width (frame) > 0 ? rf_frame_get_declared_width (frame) : -1);
      add_nullable_int (builder, "declared_height",
                        rf_frame_get_declared_height (frame) > 0 ? rf_frame_get_declared_height (frame) : -1);
      json_builder_set_member_name (builder, "bytes");
      json_builder_add_int_value (builder, rf_frame_get_encoded_size (frame));
      add_nullable_string (builder, "sha256", rf_frame_get_sha256 (frame));
      json_builder_set_member_name (builder, "decoded");
      json_builder_add_boolean_value (builder, ok);
      json_builder_set_member_name (builder, "decode_ms");
      /* Milliseconds to the microsecond: more digits would be noise. */
      json_builder_add_double_value (builder, round (rf_frame_get_decode_ms (frame) * 1000.0) / 1000.0);
      add_nullable_string (builder, "decode_error", rf_frame_get_decode_error (frame));
      add_measures (builder, frame);
      add_frame_params (builder, frame);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "diagnostics");
  json_builder_begin_array (builder);
  for (guint i = 0; diagnostics != NULL && i < diagnostics->len; i++)
    rf_export_add_diagnostic_json (builder, g_ptr_array_index (diagnostics, i));
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  /* json-glib copies strings as they are: what a stream sent may not be
   * UTF-8, or hold controls a terminal acts on. */
  return rf_text_json_safe (rf_json_shorten_numbers (json_generator_to_data (generator, NULL)));
}

char *
rf_export_build_manifest (GPtrArray *frames,
                          GPtrArray *diagnostics,
                          RfSession *session,
                          gboolean   with_files)
{
  return build_manifest (frames, diagnostics, session, with_files, NULL);
}

static gboolean
encode_png (GdkPixbuf  *pixbuf,
            char      **buffer,
            gsize      *len,
            GError    **error)
{
  if (gdk_pixbuf_get_bits_per_sample (pixbuf) != 8)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_UNSUPPORTED_FORMAT,
                   _("Only 8-bit images can be exported"));
      return FALSE;
    }

  return gdk_pixbuf_save_to_buffer (pixbuf, buffer, len, "png", error, NULL);
}

gboolean
rf_export_save_png (GdkPixbuf   *pixbuf,
                    const char  *path,
                    GError     **error)
{
  g_autofree char *buffer = NULL;
  gsize len = 0;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* 0644 less the umask: others never get to write an export, and a link
   * planted at @path is replaced, never written through. */
  return encode_png (pixbuf, &buffer, &len, error) &&
         rf_file_replace_contents (path, buffer, len, 0644, error);
}

gboolean
rf_export_frames (GPtrArray     *frames,
                  GPtrArray     *diagnostics,
                  GFile         *dir,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return rf_export_frames_full (frames, diagnostics, NULL, dir, cancellable, error);
}

gboolean
rf_export_frames_full (GPtrArray     *frames,
                       GPtrArray     *diagnostics,
                       RfSession     *session,
                       GFile         *dir,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GHashTable) png_shas = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autofree char *manifest = NULL;
  g_autofree char *dir_path = NULL;
  g_autofree char *original_path = NULL;
  g_autoptr(GError) local_error = NULL;
  int dir_fd;
  int original_fd = -1;

  g_return_val_if_fail (frames != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (dir), FALSE);

  dir_path = g_file_get_path (dir);
  if (dir_path == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO, _("Only local files can be written"));
      return FALSE;
    }

  /* Every file is written relative to the folder opened once: the folder
   * cannot be swapped for a link half way. */
  if ((dir_fd = rf_file_open_dir (dir_path, TRUE, 0755, &local_error)) < 0)
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_IO, local_error->message);
      return FALSE;
    }

  names = assign_file_names (frames);

  for (guint i = 0; i < frames->len; i++)
    {
      RfFrame *frame = g_ptr_array_index (frames, i);
      GBytes *encoded = rf_frame_get_encoded (frame);
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autofree char *png = NULL;
      gsize png_len = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;

      /* The bytes as they arrived, decoded or not: provenance chunks and
       * all, under their real extension. */
      if (encoded != NULL)
        {
          g_autofree char *name = original_file_name (frame, g_ptr_array_index (names, i));

          if (original_fd < 0)
            {
              original_path = g_build_filename (dir_path, "original", NULL);
              if ((original_fd = rf_file_open_dir (original_path, TRUE, 0755, &local_error)) < 0)
                {
                  g_set_error_literal (error, RF_ERROR, RF_ERROR_IO, local_error->message);
                  goto failed;
                }
            }
          if (!rf_file_replace_contents_at (original_fd, original_path, name + strlen ("original/"),
                                            g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded),
                                            0644, &local_error))
            {
              g_set_error_literal (error, RF_ERROR, RF_ERROR_IO, local_error->message);
              goto failed;
            }
        }

      if (rf_frame_get_decode_status (frame) != RF_DECODE_OK)
        continue;

      pixbuf = rf_frame_decode_pixbuf (frame, &local_error);
      if (pixbuf == NULL)
        {
          /* TRANSLATORS: exporting frames: its number and why. A frame is
           * one step of an image’s refinement: a partial image or the final
           * image */
          g_set_error (error, RF_ERROR, RF_ERROR_DECODE, _("Frame %u did not decode: %s"),
                       rf_frame_get_index (frame), local_error->message);
          goto failed;
        }

      if (!encode_png (pixbuf, &png, &png_len, &local_error) ||
          !rf_file_replace_contents_at (dir_fd, dir_path, g_ptr_array_index (names, i),
                                        png, png_len, 0644, &local_error))
        {
          g_set_error_literal (error, RF_ERROR, RF_ERROR_IO, local_error->message);
          goto failed;
        }
      g_hash_table_insert (png_shas, frame,
                           g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) png, png_len));
    }

  manifest = build_manifest (frames, diagnostics, session, TRUE, png_shas);
  if (!rf_file_replace_contents_at (dir_fd, dir_path, "manifest.json",
                                    manifest, strlen (manifest), 0644, &local_error))
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_IO, local_error->message);
      goto failed;
    }

  if (original_fd >= 0)
    close (original_fd);
  close (dir_fd);
  return TRUE;

failed:
  if (original_fd >= 0)
    close (original_fd);
  close (dir_fd);
  return FALSE;
}

typedef struct
{
  RfExportJobFunc  func;
  gpointer         job;
  GDestroyNotify   job_free;
} JobTask;

static void
job_task_free (gpointer data)
{
  JobTask *jt = data;

  if (jt->job_free != NULL)
    jt->job_free (jt->job);
  g_free (jt);
}

static void
job_worker (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  JobTask *jt = task_data;
  GError *error = NULL;

  if (jt->func (jt->job, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
rf_export_run_job_async (gpointer             source_tag,
                         const char          *name,
                         RfExportJobFunc      func,
                         gpointer             job,
                         GDestroyNotify       job_free,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JobTask *jt;

  g_return_if_fail (func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  jt = g_new0 (JobTask, 1);
  jt->func = func;
  jt->job = job;
  jt->job_free = job_free;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, name);
  g_task_set_task_data (task, jt, job_task_free);
  g_task_run_in_thread (task, job_worker);
}

gboolean
rf_export_job_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GPtrArray *frames;
  GPtrArray *diagnostics;
  GFile     *dir;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_pointer (&data->frames, g_ptr_array_unref);
  g_clear_pointer (&data->diagnostics, g_ptr_array_unref);
  g_clear_object (&data->dir);
  g_free (data);
}

static gboolean
export_job (gpointer       job,
            GCancellable  *cancellable,
            GError       **error)
{
  ExportData *data = job;

  return rf_export_frames (data->frames, data->diagnostics, data->dir, cancellable, error);
}

static GPtrArray *
copy_objects (GPtrArray *array)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; array != NULL && i < array->len; i++)
    g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (array, i)));

  return copy;
}

void
rf_export_frames_async (GPtrArray           *frames,
                        GPtrArray           *diagnostics,
                        GFile               *dir,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  ExportData *data;

  g_return_if_fail (frames != NULL);
  g_return_if_fail (G_IS_FILE (dir));

  /* The worker gets its own copies of the inputs. */
  data = g_new0 (ExportData, 1);
  data->frames = copy_objects (frames);
  data->diagnostics = copy_objects (diagnostics);
  data->dir = g_object_ref (dir);

  rf_export_run_job_async (rf_export_frames_async, "[rf-export] frames", export_job, data,
                           (GDestroyNotify) export_data_free, cancellable, callback, user_data);
}

gboolean
rf_export_frames_finish (GAsyncResult  *result,
                         GError       **error)
{
  return rf_export_job_finish (result, error);
}

/* One frame */

typedef struct
{
  RfFrame *frame;
  GFile   *file;
} ExportFrame;

static void
export_frame_free (ExportFrame *state)
{
  g_clear_object (&state->frame);
  g_clear_object (&state->file);
  g_free (state);
}

/* Touches only thread-safe frame API: its kept encoded bytes. */
static gboolean
export_frame_job (gpointer       job,
                  GCancellable  *cancellable,
                  GError       **error)
{
  ExportFrame *state = job;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *path = g_file_get_path (state->file);

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Only local files can be written"));
      return FALSE;
    }

  return (pixbuf = rf_frame_decode_pixbuf (state->frame, error)) != NULL &&
         rf_export_save_png (pixbuf, path, error);
}

void
rf_export_frame_png_async (RfFrame             *frame,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  ExportFrame *state;

  g_return_if_fail (RF_IS_FRAME (frame));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  state = g_new0 (ExportFrame, 1);
  state->frame = g_object_ref (frame);
  state->file = g_object_ref (file);

  rf_export_run_job_async (rf_export_frame_png_async, "[rf-export] frame", export_frame_job, state,
                           (GDestroyNotify) export_frame_free, cancellable, callback, user_data);
}

gboolean
rf_export_frame_png_finish (GAsyncResult  *result,
                            GError       **error)
{
  return rf_export_job_finish (result, error);
}

/* A journal's copy */

typedef struct
{
  GFile *journal;
  GFile *dest;
} CopyJournal;

static void
copy_journal_free (CopyJournal *state)
{
  g_clear_object (&state->journal);
  g_clear_object (&state->dest);
  g_free (state);
}

/* Through the write helper: a link planted where the copy goes is
 * replaced, its target left alone, and the copy keeps the journal's
 * private mode. */
static gboolean
copy_journal_job (gpointer       job,
                  GCancellable  *cancellable,
                  GError       **error)
{
  CopyJournal *state = job;
  g_autofree char *src = g_file_get_path (state->journal);
  g_autofree char *dest = g_file_get_path (state->dest);

  if (src == NULL || dest == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Only local files can be written"));
      return FALSE;
    }

  return rf_file_replace_with_copy (dest, src, 0600, cancellable, error);
}

void
rf_export_copy_journal_async (GFile               *journal,
                              GFile               *dest,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  CopyJournal *state;

  g_return_if_fail (G_IS_FILE (journal));
  g_return_if_fail (G_IS_FILE (dest));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  state = g_new0 (CopyJournal, 1);
  state->journal = g_object_ref (journal);
  state->dest = g_object_ref (dest);

  rf_export_run_job_async (rf_export_copy_journal_async, "[rf-export] journal", copy_journal_job, state,
                           (GDestroyNotify) copy_journal_free, cancellable, callback, user_data);
}

gboolean
rf_export_copy_journal_finish (GAsyncResult  *result,
                               GError       **error)
{
  return rf_export_job_finish (result, error);
}
