/*
 * rf-inspect-listen.c
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

#define G_LOG_DOMAIN "rf-inspect-listen"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rf-diagnostic.h"
#include "rf-export.h"
#include "rf-frame.h"
#include "rf-inspect-listen.h"
#include "rf-lane.h"
#include "rf-session.h"
#include "rf-tap.h"
#include "rf-text.h"

#define DEFAULT_ADDRESS "127.0.0.1"
#define DEFAULT_PORT    8788

typedef struct
{
  gboolean        json;
  guint           n_workers;
  RfDecodeLimits  limits;
  GMainLoop      *loop;
  RfTap          *tap;
  gboolean        stopping;
} Listen;

/* What a client or a stream sent never reaches the terminal raw. */
static char *
escape (const char *text)
{
  return text ? rf_text_show (text, RF_TEXT_SHOW_LONG) : g_strdup ("-");
}

static void
print_line (const char *format,
            ...) G_GNUC_PRINTF (1, 2);

static void
print_line (const char *format,
            ...)
{
  va_list args;

  va_start (args, format);
  vfprintf (stdout, format, args);
  va_end (args);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
frame_decoded_cb (RfSession *session,
                  RfFrame   *frame,
                  RfTapRun  *run)
{
  g_autofree char *label = rf_frame_dup_label (frame);

  /* TRANSLATORS: refinery-inspect --listen, a frame of a watched run: run
   * number, image number, “partial 0” or “final”, “seq” the short form of
   * the event’s sequence number, arrival in seconds. The sequence number is
   * the number the server gives each event, in order */
  print_line (_("#%u   image %u, %s: seq %lld, %.1f s%s"),
              rf_tap_run_get_index (run),
              rf_frame_get_lane_index (frame) + 1, label,
              (long long) rf_frame_get_sequence_number (frame),
              rf_frame_get_t_ms (frame) / 1000.0,
              rf_frame_get_decode_status (frame) == RF_DECODE_OK ? "" : _(" (did not decode)"));
}

static void
run_started_cb (RfTap    *tap,
                RfTapRun *run,
                Listen   *self)
{
  RfSession *session = rf_tap_run_get_session (run);
  g_autofree char *path = escape (rf_tap_run_get_path (run));
  g_autofree char *model = escape (rf_tap_run_get_model (run));
  g_autofree char *method = escape (rf_tap_run_get_method (run));

  rf_session_set_decode_limits (session, &self->limits);
  rf_session_set_n_workers (session, self->n_workers);
  /* Nothing here shows pixels. */
  rf_session_set_pixel_cache_size (session, 0);

  if (self->json)
    return;

  print_line (_("#%u %s %s — %s, HTTP %u"),
              rf_tap_run_get_index (run), method, path,
              rf_tap_run_get_model (run) ? model : _("no model named"),
              rf_tap_run_get_status (run));
  g_signal_connect_object (session, "frame-decoded", G_CALLBACK (frame_decoded_cb), run, 0);
}

static char *
build_json (RfTapRun *run)
{
  RfSession *session = rf_tap_run_get_session (run);
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *manifest = NULL;
  g_autofree char *journal = rf_tap_run_dup_journal_path (run);
  JsonObject *root;

  for (guint i = 0; i < g_list_model_get_n_items (rf_session_get_frames (session)); i++)
    g_ptr_array_add (frames, g_list_model_get_item (rf_session_get_frames (session), i));
  for (guint i = 0; i < g_list_model_get_n_items (rf_session_get_diagnostics (session)); i++)
    g_ptr_array_add (diagnostics, g_list_model_get_item (rf_session_get_diagnostics (session), i));

  manifest = rf_export_build_manifest (frames, diagnostics, session, TRUE);
  if (!json_parser_load_from_data (parser, manifest, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    g_return_val_if_reached (g_strdup ("{}"));

  root = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (root, "method", rf_tap_run_get_method (run));
  json_object_set_string_member (root, "path", rf_tap_run_get_path (run));
  json_object_set_int_member (root, "status", rf_tap_run_get_status (run));
  if (rf_tap_run_get_model (run) != NULL)
    json_object_set_string_member (root, "model", rf_tap_run_get_model (run));
  else
    json_object_set_null_member (root, "model");
  if (journal != NULL)
    json_object_set_string_member (root, "journal", journal);
  else
    json_object_set_null_member (root, "journal");

  /* One document per line: no pretty printing. */
  json_generator_set_root (generator, json_parser_get_root (parser));
  return rf_text_json_safe (json_generator_to_data (generator, NULL));
}

static void
maybe_quit (Listen *self)
{
  if (self->stopping && rf_tap_get_n_active (self->tap) == 0)
    g_main_loop_quit (self->loop);
}

static void
run_finished_cb (RfTap    *tap,
                 RfTapRun *run,
                 Listen   *self)
{
  RfSession *session = rf_tap_run_get_session (run);

  if (self->json)
    {
      g_autofree char *doc = build_json (run);

      print_line ("%s", doc);
    }
  else
    {
      guint n_frames = g_list_model_get_n_items (rf_session_get_frames (session));
      guint n_lanes = g_list_model_get_n_items (rf_session_get_lanes (session));
      g_autofree char *journal = rf_tap_run_dup_journal_path (run);
      g_autofree char *failure = escape (rf_session_get_failure_message (session));
      g_autofree char *journal_text = escape (journal);
      g_autofree char *lanes = g_strdup_printf (ngettext ("%u image", "%u images", n_lanes), n_lanes);
      g_autofree char *frames = g_strdup_printf (ngettext ("%u frame", "%u frames", n_frames), n_frames);
      g_autofree char *counts = g_strconcat (lanes, ", ", frames, NULL);

      if (rf_session_get_failure_message (session) != NULL)
        /* TRANSLATORS: refinery-inspect --listen, a watched run ended: run
         * number, state, counts, why it failed, the journal file or “none”.
         * The journal is the raw bytes of a run, written as they arrive and
         * replayable */
        print_line (_("#%u %s: %s — %s; journal %s"),
                    rf_tap_run_get_index (run),
                    rf_session_state_to_string (rf_session_get_state (session)),
                    counts, failure, journal ? journal_text : _("none"));
      else
        /* TRANSLATORS: refinery-inspect --listen, a watched run ended: run
         * number, state, counts, the journal file or “none”. The journal is
         * the raw bytes of a run, written as they arrive and replayable */
        print_line (_("#%u %s: %s; journal %s"),
                    rf_tap_run_get_index (run),
                    rf_session_state_to_string (rf_session_get_state (session)),
                    counts, journal ? journal_text : _("none"));
    }

  maybe_quit (self);
}

static void
request_passed_cb (RfTap      *tap,
                   const char *method,
                   const char *path,
                   guint       status,
                   Listen     *self)
{
  g_autofree char *clean = NULL;
  g_autofree char *clean_method = NULL;

  if (self->json)
    return;

  clean = escape (path);
  clean_method = escape (method);
  /* TRANSLATORS: refinery-inspect --listen: a request whose answer is not a
   * server-sent event stream was passed on unwatched: method, path, HTTP
   * status */
  print_line (_("·  %s %s — HTTP %u, not an event stream: passed through"), clean_method, clean, status);
}

static gboolean
stop_cb (gpointer data)
{
  Listen *self = data;

  if (!self->stopping)
    {
      self->stopping = TRUE;
      /* The exchanges in flight end here; their runs finish their
       * journals and decoding, then the loop ends. */
      rf_tap_stop (self->tap);
      maybe_quit (self);
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
parse_listen (const char  *listen,
              char       **address,
              guint16     *port,
              GError     **error)
{
  const char *colon;
  const char *port_text = NULL;
  guint64 value;

  if (listen == NULL || listen[0] == '\0')
    {
      *address = g_strdup (DEFAULT_ADDRESS);
      *port = DEFAULT_PORT;
      return TRUE;
    }

  if (listen[0] == '[')
    {
      const char *end = strchr (listen, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        goto bad;
      *address = g_strndup (listen + 1, end - listen - 1);
      port_text = end[1] == ':' ? end + 2 : NULL;
    }
  else if ((colon = strrchr (listen, ':')) != NULL && strchr (listen, ':') == colon)
    {
      *address = colon == listen ? g_strdup (DEFAULT_ADDRESS) : g_strndup (listen, colon - listen);
      port_text = colon + 1;
    }
  else if (g_ascii_isdigit (listen[0]) && strchr (listen, '.') == NULL)
    {
      *address = g_strdup (DEFAULT_ADDRESS);
      port_text = listen;
    }
  else
    {
      *address = g_strdup (listen);
      port_text = NULL;
    }

  if (port_text == NULL)
    *port = DEFAULT_PORT;
  else if (g_ascii_string_to_unsigned (port_text, 10, 0, 65535, &value, NULL))
    *port = value;
  else
    {
      g_clear_pointer (address, g_free);
      goto bad;
    }

  return TRUE;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("--listen takes ADDRESS:PORT, not “%s”"), listen);
  return FALSE;
}

int
rf_inspect_listen (const char           *listen,
                   const char           *upstream,
                   gboolean              json,
                   guint                 n_workers,
                   const RfDecodeLimits *limits)
{
  Listen self = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *uri = NULL;
  guint16 port = 0;
  guint sigint_id;
  guint sigterm_id;

  if (!parse_listen (listen, &address, &port, &error))
    {
      g_printerr ("refinery-inspect: %s\n", error->message);
      return 2;
    }

  if (!(self.tap = rf_tap_new (upstream, &error)))
    {
      g_printerr ("refinery-inspect: %s\n", error->message);
      return 2;
    }

  if (!rf_tap_address_is_loopback (address))
    g_printerr (_("refinery-inspect: warning: %s is not a loopback address: anyone who can "
                  "reach it can send requests through this proxy\n"), address);

  self.json = json;
  self.n_workers = n_workers;
  self.limits = *limits;
  self.loop = g_main_loop_new (NULL, FALSE);

  g_signal_connect (self.tap, "run-started", G_CALLBACK (run_started_cb), &self);
  g_signal_connect (self.tap, "run-finished", G_CALLBACK (run_finished_cb), &self);
  g_signal_connect (self.tap, "request-passed", G_CALLBACK (request_passed_cb), &self);

  if (!rf_tap_listen (self.tap, address, port, &error))
    {
      g_printerr (_("refinery-inspect: cannot listen on %s:%u: %s\n"), address, port, error->message);
      g_clear_object (&self.tap);
      g_main_loop_unref (self.loop);
      return 2;
    }

  /* Before the first line: whoever reads it may signal at once. */
  sigint_id = g_unix_signal_add (SIGINT, stop_cb, &self);
  sigterm_id = g_unix_signal_add (SIGTERM, stop_cb, &self);

  /* The first line says where to point clients: with port 0 it is the
   * only place that tells. */
  uri = rf_tap_dup_uri (self.tap);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *doc = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "listening");
      json_builder_add_string_value (builder, uri);
      json_builder_set_member_name (builder, "upstream");
      json_builder_add_string_value (builder, rf_tap_get_upstream (self.tap));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      doc = json_generator_to_data (generator, NULL);
      print_line ("%s", doc);
    }
  else
    print_line (_("Listening on %s, forwarding to %s"), uri, rf_tap_get_upstream (self.tap));

  g_main_loop_run (self.loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  if (!json)
    {
      guint n_runs = g_list_model_get_n_items (rf_tap_get_runs (self.tap));
      guint n_passed = rf_tap_get_n_passed (self.tap);
      g_autofree char *runs = g_strdup_printf (ngettext ("%u stream tapped", "%u streams tapped", n_runs), n_runs);
      g_autofree char *passed = g_strdup_printf (ngettext ("%u other request passed through",
                                                           "%u other requests passed through", n_passed),
                                                 n_passed);

      print_line ("%s, %s", runs, passed);
    }

  g_clear_object (&self.tap);
  g_main_loop_unref (self.loop);

  return 0;
}
