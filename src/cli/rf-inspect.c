/*
 * rf-inspect.c
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

#define G_LOG_DOMAIN "rf-inspect"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rf-compare.h"
#include "rf-demo-source.h"
#include "rf-diagnostic.h"
#include "rf-event.h"
#include "rf-export.h"
#include "rf-file-source.h"
#include "rf-frame.h"
#include "rf-http-source.h"
#include "rf-image.h"
#include "rf-inspect-compare.h"
#include "rf-inspect-listen.h"
#include "rf-inspect-output.h"
#include "rf-inspect.h"
#include "rf-recorder.h"
#include "rf-request.h"
#include "rf-run-summary.h"
#include "rf-session.h"
#include "rf-text.h"

typedef enum
{
  DUMP_NONE,
  DUMP_SSE,
  DUMP_EVENTS,
} DumpMode;

typedef struct
{
  /* Options. */
  gboolean   json;
  char      *dump;
  char      *export_dir;
  char      *record;
  double     speed;
  gboolean   realtime;
  gboolean   bench;
  gboolean   version;
  gboolean   compare;
  char      *align;
  char      *lanes;
  int        workers;
  gint64     max_bytes;
  int        max_side;
  gint64     max_pixels;
  char      *prompt;
  char      *api;
  char      *provider;
  char      *base_url;
  char      *model;
  char      *image_model;
  char      *partial_images;
  char      *size;
  char      *quality;
  char      *format;
  char      *background;
  gboolean   background_mode;
  char      *compression;
  char      *moderation;
  char      *aspect_ratio;
  int        idle_timeout;
  gboolean   listen;
  char      *listen_address;
  char      *upstream;

  DumpMode   dump_mode;
  gboolean   progress;
  GMainLoop *loop;
  RfSession *session;
  GString   *out;
  gint64     start_usec;
  gint64     first_pixel_ms;
  GArray    *decode_ms[RF_IMAGE_FORMAT_SVG + 1]; /* by RfImageFormat */
  gboolean   stdin_closed;
} Inspect;

static void
flush_out (Inspect *self)
{
  if (self->out->len == 0)
    return;

  fwrite (self->out->str, 1, self->out->len, stdout);
  fflush (stdout);
  g_string_truncate (self->out, 0);
}

static void
sse_cb (RfSession  *session,
        GBytes     *event,
        GBytes     *data,
        const char *id,
        Inspect    *self)
{
  rf_inspect_print_sse (self->out, event, data, id);
  flush_out (self);
}

static void
event_added_cb (RfSession *session,
                RfEvent   *event,
                Inspect   *self)
{
  rf_inspect_print_event (self->out, event);
  if (self->out->len > 64 * 1024)
    flush_out (self);
}

static void
diagnostic_added_cb (RfSession    *session,
                     RfDiagnostic *diagnostic,
                     Inspect      *self)
{
  rf_inspect_print_diagnostic (self->out, diagnostic);
}

static void
frame_decoded_cb (RfSession *session,
                  RfFrame   *frame,
                  Inspect   *self)
{
  /* On a terminal, the summary run shows each frame as it arrives; the
   * summary itself (stdout) comes at the end. */
  if (self->progress)
    {
      g_autofree char *label = rf_frame_dup_label (frame);

      /* TRANSLATORS: refinery-inspect’s progress on a terminal, a frame as
       * it arrives: image number, “partial 0” or “final”, “seq” the short
       * form of the event’s sequence number, arrival in seconds. The
       * sequence number is the number the server gives each event, in order */
      g_printerr (_("  image %u, %s: seq %lld, %.1f s%s\n"),
                  rf_frame_get_lane_index (frame) + 1, label,
                  (long long) rf_frame_get_sequence_number (frame),
                  rf_frame_get_t_ms (frame) / 1000.0,
                  rf_frame_get_decode_status (frame) == RF_DECODE_OK ? "" : _(" (did not decode)"));
    }

  if (rf_frame_get_decode_status (frame) != RF_DECODE_OK)
    return;

  if (self->first_pixel_ms < 0)
    self->first_pixel_ms = (g_get_monotonic_time () - self->start_usec) / 1000 - rf_frame_get_t_ms (frame);

  g_array_append_val (self->decode_ms[rf_frame_get_format (frame)], (double) { rf_frame_get_decode_ms (frame) });
}

static void
finished_cb (RfSession *session,
             Inspect   *self)
{
  g_main_loop_quit (self->loop);
}

/* Ingest thread: every chunk goes to the journal before it is parsed. */
static void
record_tap (const guint8 *buf,
            gsize         len,
            gint64        t_ms,
            gpointer      user_data)
{
  rf_recorder_write (user_data, buf, len, t_ms);
}

static gboolean
sigint_cb (gpointer data)
{
  Inspect *self = data;

  rf_session_cancel (self->session);
  return G_SOURCE_CONTINUE;
}

static GPtrArray *
model_to_array (GListModel *model)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (array, g_list_model_get_item (model, i));

  return array;
}

/* One line on stderr. Error texts carry what the stream or the server
 * sent (messages, ids, reason phrases): escaped like the summary. */
static void
print_error (const char *message)
{
  g_autofree char *escaped = rf_text_show (message, RF_TEXT_SHOW_LONG);

  g_printerr ("refinery-inspect: %s\n", escaped);
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  print_error (message);
  g_printerr (_("Try “refinery-inspect --help” for more information.\n"));
  return 2;
}

static gboolean
listen_option_cb (const char  *name,
                  const char  *value,
                  gpointer     data,
                  GError     **error)
{
  Inspect *self = data;

  self->listen = TRUE;
  g_free (self->listen_address);
  self->listen_address = g_strdup (value);

  return TRUE;
}

static void
print_version (void)
{
  static const RfImageFormat formats[] = { RF_IMAGE_FORMAT_PNG, RF_IMAGE_FORMAT_JPEG, RF_IMAGE_FORMAT_WEBP,
                                           RF_IMAGE_FORMAT_SVG };

  g_autofree char *glib = g_strdup_printf ("%u.%u.%u", glib_major_version, glib_minor_version,
                                           glib_micro_version);
  g_autofree char *soup = g_strdup_printf ("%u.%u.%u", soup_get_major_version (),
                                           soup_get_minor_version (), soup_get_micro_version ());
  g_autofree char *soup_built = g_strdup_printf ("%d.%d.%d", SOUP_MAJOR_VERSION, SOUP_MINOR_VERSION,
                                                 SOUP_MICRO_VERSION);
  g_autofree char *glib_built = g_strdup_printf ("%d.%d.%d", GLIB_MAJOR_VERSION, GLIB_MINOR_VERSION,
                                                 GLIB_MICRO_VERSION);

  g_print ("refinery-inspect %s\n", PACKAGE_VERSION);
  /* TRANSLATORS: --version: a library, the version in use and the one
   * refinery-inspect was built with */
  g_print (_("%s %s (compiled against %s)\n"), "GLib", glib, glib_built);
  g_print (_("%s %s (compiled against %s)\n"), "GdkPixbuf", gdk_pixbuf_version, GDK_PIXBUF_VERSION);
  g_print (_("%s %s (compiled against %s)\n"), "libsoup", soup, soup_built);
  /* TRANSLATORS: --version: json-glib tells only the version it was built as */
  g_print (_("%s (compiled against %s)\n"), "json-glib", JSON_VERSION_S);
  g_print (_("Image formats:"));
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    g_print (" %s=%s", rf_image_format_to_string (formats[i]),
             rf_image_format_is_supported (formats[i]) ? _("yes") : _("no"));
  g_print ("\n");
  if (!rf_image_format_is_supported (RF_IMAGE_FORMAT_WEBP))
    /* TRANSLATORS: webp-pixbuf-loader is a package name: keep it. A frame is
     * one step of an image’s refinement: a partial image or the final image */
    g_print (_("WebP frames will not decode: install webp-pixbuf-loader\n"));
}

static double
median (GArray *values)
{
  g_autoptr(GArray) sorted = g_array_copy (values);
  int (*cmp) (gconstpointer, gconstpointer);

  if (values->len == 0)
    return 0;

  cmp = (int (*) (gconstpointer, gconstpointer)) NULL;
  (void) cmp;
  for (guint i = 1; i < sorted->len; i++)
    for (guint j = i; j > 0 && g_array_index (sorted, double, j - 1) > g_array_index (sorted, double, j); j--)
      {
        double t = g_array_index (sorted, double, j);
        g_array_index (sorted, double, j) = g_array_index (sorted, double, j - 1);
        g_array_index (sorted, double, j - 1) = t;
      }

  return g_array_index (sorted, double, sorted->len / 2);
}

static void
print_bench (Inspect *self)
{
  struct rusage usage;
  double secs = (g_get_monotonic_time () - self->start_usec) / 1e6;
  guint64 bytes = rf_session_get_bytes_received (self->session);
  GListModel *model = rf_session_get_frames (self->session);
  guint frames = g_list_model_get_n_items (model);
  guint64 kept = 0;

  getrusage (RUSAGE_SELF, &usage);
  for (guint i = 0; i < frames; i++)
    {
      g_autoptr(RfFrame) frame = g_list_model_get_item (model, i);

      kept += rf_frame_get_encoded_size (frame);
    }

  g_print ("workers: %u\n", rf_session_get_n_workers (self->session));
  g_print ("bytes: %" G_GUINT64_FORMAT "\n", bytes);
  g_print ("frames: %u\n", frames);
  g_print ("seconds: %.3f\n", secs);
  g_print ("MB/s: %.1f\n", bytes / 1e6 / secs);
  g_print ("frames/s: %.1f\n", frames / secs);
  for (guint f = RF_IMAGE_FORMAT_PNG; f <= RF_IMAGE_FORMAT_SVG; f++)
    if (self->decode_ms[f]->len > 0)
      g_print ("decode ms per frame (%s, median): %.2f\n",
               rf_image_format_to_string (f), median (self->decode_ms[f]));
  g_print ("first pixel ms after its event: %" G_GINT64_FORMAT "\n", self->first_pixel_ms);
  g_print ("peak RSS MiB: %.1f\n", usage.ru_maxrss / 1024.0);
  g_print ("image bytes kept: %" G_GUINT64_FORMAT "\n", kept);
  g_print ("cpu s: %.3f\n", usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                             usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6);
  g_print ("page faults: %ld\n", usage.ru_minflt + usage.ru_majflt);
}

static const char *
option_value (Inspect    *self,
              const char *name)
{
  if (g_str_equal (name, "api")) return self->api;
  if (g_str_equal (name, "provider")) return self->provider;
  if (g_str_equal (name, "base-url")) return self->base_url;
  if (g_str_equal (name, "model")) return self->model;
  if (g_str_equal (name, "image-model")) return self->image_model;
  if (g_str_equal (name, "partial-images")) return self->partial_images;
  if (g_str_equal (name, "size")) return self->size;
  if (g_str_equal (name, "quality")) return self->quality;
  if (g_str_equal (name, "format")) return self->format;
  if (g_str_equal (name, "background")) return self->background;
  if (g_str_equal (name, "background-mode")) return self->background_mode ? "true" : NULL;
  if (g_str_equal (name, "compression")) return self->compression;
  if (g_str_equal (name, "moderation")) return self->moderation;
  if (g_str_equal (name, "aspect-ratio")) return self->aspect_ratio;
  return NULL;
}

static RfSource *
make_source (Inspect     *self,
             const char  *arg,
             RfRequest  **request_out,
             GError     **error)
{
  static const char * const request_options[] = {
    "api", "provider", "base-url", "model", "image-model", "partial-images", "size",
    "quality", "format", "background", "background-mode", "compression", "moderation",
    "aspect-ratio",
  };
  double speed = self->realtime ? 1.0 : self->speed;

  if (self->prompt != NULL)
    {
      g_autoptr(RfRequest) request = rf_request_new ();
      g_autofree char *key = NULL;
      RfSource *source;

      rf_request_set_prompt (request, self->prompt);
      for (guint i = 0; i < G_N_ELEMENTS (request_options); i++)
        {
          const char *value = option_value (self, request_options[i]);

          if (value != NULL && !rf_request_set_option (request, request_options[i], value, error))
            return NULL;
        }
      if (!rf_request_validate (request, error))
        return NULL;

      key = rf_request_lookup_api_key (rf_request_get_provider (request));
      if (key == NULL)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_AUTH,
                       _("No API key: set REFINERY_API_KEY, or %s"),
                       rf_request_get_provider (request) == RF_PROVIDER_GEMINI
                         ? "GEMINI_API_KEY (GOOGLE_API_KEY)"
                         : rf_request_api_key_variables (rf_request_get_provider (request)));
          return NULL;
        }

      source = rf_http_source_new_for_request (request, key);
      if (self->idle_timeout > 0)
        rf_http_source_set_idle_timeout (RF_HTTP_SOURCE (source), self->idle_timeout);
      *request_out = g_steal_pointer (&request);
      return source;
    }

  if (g_strcmp0 (arg, "demo") == 0)
    return rf_demo_source_new (speed);

  if (g_strcmp0 (arg, "-") == 0)
    {
      RfSource *source;

      if (self->stdin_closed)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_IO, _("Standard input is closed"));
          return NULL;
        }
      source = rf_file_source_new_stdin ();
      rf_file_source_set_speed (RF_FILE_SOURCE (source), speed);
      return source;
    }

  if (g_str_has_prefix (arg, "http://") || g_str_has_prefix (arg, "https://"))
    {
      g_autofree char *key = g_strdup (g_getenv ("REFINERY_API_KEY"));
      RfSource *source = rf_http_source_new_get (arg, key);

      if (self->idle_timeout > 0)
        rf_http_source_set_idle_timeout (RF_HTTP_SOURCE (source), self->idle_timeout);
      return source;
    }

  {
    g_autoptr(GFile) file = g_file_new_for_commandline_arg (arg);
    RfSource *source;

    if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
      {
        g_set_error (error, RF_ERROR, RF_ERROR_IO, _("%s is a folder, not a recording"), arg);
        return NULL;
      }

    source = rf_file_source_new (file);
    rf_file_source_set_speed (RF_FILE_SOURCE (source), speed);
    return source;
  }
}

/* --compare A B: both runs are read at once, measured, paired and
 * measured against each other. Exit status: 2 for usage and I/O errors,
 * else the worse of the two runs' own statuses. */
static int
run_compare (Inspect         *self,
             GOptionContext  *context,
             int              argc,
             char           **argv)
{
  RfCompareAlign align = RF_COMPARE_ALIGN_INDEX;
  RfSource *sources[2] = { NULL, NULL };
  guint64 lane_numbers[2] = { 0, 0 };
  gboolean chosen_lanes = self->lanes != NULL;
  guint n_sources;

  if (!self->compare)
    return usage_error (context, _("--align only goes with --compare"));
  if (self->align != NULL && !rf_compare_align_from_string (self->align, &align))
    {
      g_autofree char *msg = g_strdup_printf (_("Unknown --align “%s”: use index or time"), self->align);
      return usage_error (context, msg);
    }
  if (self->prompt != NULL || self->dump != NULL || self->bench || self->export_dir != NULL || self->record != NULL)
    return usage_error (context, _("--compare takes two recordings and no --prompt, --dump, --bench, --export or --record"));
  if (chosen_lanes)
    {
      g_auto(GStrv) parts = g_strsplit (self->lanes, ",", -1);

      if (g_strv_length (parts) != 2 ||
          !g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 1, 100000, &lane_numbers[0], NULL) ||
          !g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, 1, 100000, &lane_numbers[1], NULL))
        {
          g_autofree char *cut = rf_text_shorten (self->lanes, 64);
          g_autofree char *shown = rf_text_escape (cut);
          /* TRANSLATORS: --lanes is an option name (keep it); a lane is the
           * row of frames of one image, numbered from 1 as images are */
          g_autofree char *msg = g_strdup_printf (_("--lanes takes two image numbers such as 1,2, not “%s”"), shown);

          return usage_error (context, msg);
        }
    }
  /* Two images of one run need the run only once. */
  n_sources = chosen_lanes && argc == 2 ? 1 : 2;
  if (argc != 1 + (int) n_sources)
    return usage_error (context, chosen_lanes
                                 /* TRANSLATORS: --compare and --lanes are option
                                  * names; SOURCE is a recording, file or URL */
                                 ? _("--compare --lanes needs one SOURCE, or two: A and B")
                                 : _("--compare needs two SOURCEs: A and B"));
  if (n_sources == 2 && g_strcmp0 (argv[1], "-") == 0 && g_strcmp0 (argv[2], "-") == 0)
    return usage_error (context, _("Standard input can be only one of the two SOURCEs"));

  for (guint k = 0; k < n_sources; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RfRequest) request = NULL;

      sources[k] = make_source (self, argv[1 + k], &request, &error);
      if (sources[k] == NULL)
        {
          g_printerr ("refinery-inspect: %s\n", error->message);
          g_clear_object (&sources[0]);
          return 2;
        }
    }

  return rf_inspect_compare (sources, n_sources, align,
                             chosen_lanes ? (guint) lane_numbers[0] - 1 : G_MAXUINT,
                             chosen_lanes ? (guint) lane_numbers[1] - 1 : G_MAXUINT,
                             self->workers, self->json);
}

/* What the numeric options may hold: 0 keeps a default; a thread per
 * worker, so their number is capped where threads are cheap. */
#define MAX_WORKERS 64

static const char *
check_numbers (const Inspect *self)
{
  if (isnan (self->speed) || isinf (self->speed))
    return _("--speed takes a number, such as 2 or 0.5");
  if (self->speed < 0 || self->workers < 0 || self->max_bytes < 0 || self->max_side < 0 ||
      self->max_pixels < 0 || self->idle_timeout < 0)
    return _("Numeric options cannot be negative");
  if (self->workers > MAX_WORKERS)
    /* TRANSLATORS: --workers is an option name; a decode worker is a
     * thread that decodes frames */
    return _("--workers takes at most 64 decode workers");

  return NULL;
}

static void
inspect_clear (Inspect *self)
{
  g_clear_object (&self->session);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  if (self->out)
    g_string_free (self->out, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (self->decode_ms); i++)
    g_clear_pointer (&self->decode_ms[i], g_array_unref);
  g_free (self->dump);
  g_free (self->align);
  g_free (self->lanes);
  g_free (self->export_dir);
  g_free (self->record);
  g_free (self->prompt);
  g_free (self->api);
  g_free (self->provider);
  g_free (self->base_url);
  g_free (self->model);
  g_free (self->image_model);
  g_free (self->partial_images);
  g_free (self->size);
  g_free (self->quality);
  g_free (self->format);
  g_free (self->background);
  g_free (self->compression);
  g_free (self->moderation);
  g_free (self->aspect_ratio);
  g_free (self->listen_address);
  g_free (self->upstream);
}

/* Opens /dev/null on each of the standard descriptors that is closed, so
 * that no file or pipe opened later takes its number and is read or
 * written as stdin, stdout or stderr (a closed stdin let the main loop's
 * wakeup descriptor take its place: reading "-" waited forever). TRUE
 * when stdin was closed. */
static gboolean
claim_standard_fds (void)
{
  gboolean stdin_closed = FALSE;

  for (int fd = 0; fd <= 2; fd++)
    {
      int null_fd;

      if (fcntl (fd, F_GETFD) != -1 || errno != EBADF)
        continue;
      if (fd == 0)
        stdin_closed = TRUE;
      null_fd = open ("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
      if (null_fd >= 0 && null_fd != fd)
        {
          dup2 (null_fd, fd);
          close (null_fd);
        }
    }

  return stdin_closed;
}

int
rf_inspect_main (int    argc,
                 char **argv)
{
  Inspect self = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSource) source = NULL;
  g_autoptr(RfRequest) request = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  RfDecodeLimits limits;
  const char *arg = NULL;
  guint sigint_id;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &self.json, N_("Print the summary as one JSON document"), NULL },
    /* TRANSLATORS: help of refinery-inspect’s --dump option; “sse” and
     * “events” are its values: keep them. An event is one server-sent event
     * of the stream */
    { "dump", 0, 0, G_OPTION_ARG_STRING, &self.dump, N_("Print every SSE event (sse) or protocol event (events) as JSON lines"), "sse|events" },
    /* TRANSLATORS: help of refinery-inspect’s --export option; DIR is its
     * argument, manifest.json a file name. A frame is one step of an image’s
     * refinement: a partial image or the final image */
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &self.export_dir, N_("Write every decoded frame as PNG plus manifest.json into DIR"), N_("DIR") },
    /* TRANSLATORS: help of refinery-inspect’s --record option; FILE is its
     * argument. The journal is the raw bytes of a run, written as they
     * arrive and replayable */
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &self.record, N_("Journal the raw stream into FILE (replayable)"), N_("FILE") },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &self.speed, N_("Replay recordings at X times their recorded pace"), "X" },
    { "realtime", 0, 0, G_OPTION_ARG_NONE, &self.realtime, N_("Replay recordings at their recorded pace"), NULL },
    { "prompt", 0, 0, G_OPTION_ARG_STRING, &self.prompt, N_("Start a generation with this prompt and follow it"), N_("TEXT") },
    { "api", 0, 0, G_OPTION_ARG_STRING, &self.api, N_("API to call"), "responses|images|chat" },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &self.provider, N_("Service to call"), "openai|openrouter|gemini|custom" },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &self.base_url, N_("Base URL of an OpenAI-compatible API"), N_("URL") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &self.model, N_("Text model (Responses API)"), N_("MODEL") },
    { "image-model", 0, 0, G_OPTION_ARG_STRING, &self.image_model, N_("Image model"), N_("MODEL") },
    /* TRANSLATORS: help of refinery-inspect’s --partial-images option. A
     * partial image is a blurry preview the server streams before the final
     * image */
    { "partial-images", 0, 0, G_OPTION_ARG_STRING, &self.partial_images, N_("Partial images to ask for (0–3)"), "N" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &self.size, N_("Image size"), N_("WxH|auto") },
    { "quality", 0, 0, G_OPTION_ARG_STRING, &self.quality, N_("Image quality"), "low|medium|high|auto" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &self.format, N_("Image format"), "png|jpeg|webp" },
    { "background", 0, 0, G_OPTION_ARG_STRING, &self.background, N_("Image background"), "transparent|opaque|auto" },
    /* TRANSLATORS: help of refinery-inspect’s --background-mode option:
     * “run” is the verb here: the generation runs on the server in
     * background mode */
    { "background-mode", 0, 0, G_OPTION_ARG_NONE, &self.background_mode, N_("Run as a resumable background response"), NULL },
    { "compression", 0, 0, G_OPTION_ARG_STRING, &self.compression, N_("Output compression (0–100)"), "N" },
    { "moderation", 0, 0, G_OPTION_ARG_STRING, &self.moderation, N_("Moderation level"), "auto|low" },
    /* TRANSLATORS: help of refinery-inspect’s --aspect-ratio option; W:H
     * stands for width:height. Chat completions and Gemini are names of
     * APIs */
    { "aspect-ratio", 0, 0, G_OPTION_ARG_STRING, &self.aspect_ratio, N_("Image aspect ratio, e.g. 16:9 (chat completions and Gemini)"), "W:H" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &self.idle_timeout, N_("Give up after SECONDS without any byte (default 300)"), N_("SECONDS") },
    { "workers", 0, 0, G_OPTION_ARG_INT, &self.workers, N_("Decode workers (default: one per core, at most 4)"), "N" },
    /* TRANSLATORS: help of a refinery-inspect limit option. A frame is one
     * step of an image’s refinement: a partial image or the final image */
    { "max-bytes", 0, 0, G_OPTION_ARG_INT64, &self.max_bytes, N_("Largest encoded frame to decode (default 64 MiB)"), N_("BYTES") },
    /* TRANSLATORS: help of a refinery-inspect limit option: the longest side
     * in pixels. A frame is one step of an image’s refinement: a partial
     * image or the final image */
    { "max-side", 0, 0, G_OPTION_ARG_INT, &self.max_side, N_("Largest frame side to decode (default 16384)"), N_("PIXELS") },
    /* TRANSLATORS: help of a refinery-inspect limit option: width × height
     * in pixels. A frame is one step of an image’s refinement: a partial
     * image or the final image */
    { "max-pixels", 0, 0, G_OPTION_ARG_INT64, &self.max_pixels, N_("Largest frame area to decode (default 100000000)"), N_("PIXELS") },
    /* TRANSLATORS: help of refinery-inspect’s --listen option: Refinery
     * stands between an app and its server and shows the streams that pass.
     * An event is one server-sent event of the stream */
    { "listen", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, listen_option_cb, N_("Pass requests through to --upstream and watch the event streams (default 127.0.0.1:8788)"), N_("ADDRESS:PORT") },
    { "upstream", 0, 0, G_OPTION_ARG_STRING, &self.upstream, N_("The API that --listen forwards to, e.g. https://api.openai.com"), N_("URL") },
    /* TRANSLATORS: help of refinery-inspect’s --compare option; SOURCE is a
     * placeholder: keep it. A run is one stream followed from start to end,
     * kept in the history. A frame is one step of an image’s refinement: a
     * partial image or the final image */
    { "compare", 0, 0, G_OPTION_ARG_NONE, &self.compare, N_("Compare two runs frame by frame: SOURCE A and SOURCE B"), NULL },
    /* TRANSLATORS: help of refinery-inspect’s --align option: pair frames by
     * the number of their partial image or by when they arrived. A frame is
     * one step of an image’s refinement: a partial image or the final image */
    { "align", 0, 0, G_OPTION_ARG_STRING, &self.align, N_("How --compare pairs frames: by partial index or by arrival time"), "index|time" },
    /* TRANSLATORS: an option of --compare; N and M are image numbers as the
     * app shows them (Image 1 is the first image of a run) */
    { "lanes", 0, 0, G_OPTION_ARG_STRING, &self.lanes, N_("With --compare, compare image N of A with image M of B (one SOURCE: two images of one run)"), "N,M" },
    { "bench", 0, 0, G_OPTION_ARG_NONE, &self.bench, N_("Ingest as fast as possible and print throughput figures"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &self.version, N_("Print versions and supported image formats"), NULL },
    { NULL }
  };

  self.stdin_closed = claim_standard_fds ();

  /* TRANSLATORS: refinery-inspect’s usage line; SOURCE is a placeholder:
   * keep it. A partial image is a blurry preview the server streams before
   * the final image */
  context = g_option_context_new (_("SOURCE — inspect a stream of partial images"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  {
    GOptionGroup *group = g_option_group_new (NULL, NULL, NULL, &self, NULL);

    g_option_group_add_entries (group, entries);
    g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
    g_option_context_set_main_group (context, group);
  }
  g_option_context_set_summary (context,
    /* TRANSLATORS: refinery-inspect --help; keep SOURCE, the file
     * extensions, “-”, “demo” and the option names; keep lines under 80
     * columns. An event is one server-sent event of the stream */
    _("SOURCE is a recording (.sse raw event stream or .jsonl JSON lines), - for standard\n"
      "input, an http(s):// URL serving an event stream, or demo. With --prompt, a\n"
      "generation is started instead and followed live. With --listen and --upstream,\n"
      "the requests of your own application pass through and their streams are shown.\n\n"
      "The API key comes from REFINERY_API_KEY, else OPENAI_API_KEY, OPENROUTER_API_KEY,\n"
      "or GEMINI_API_KEY or GOOGLE_API_KEY for --provider gemini."));
  g_option_context_set_description (context,
    /* TRANSLATORS: refinery-inspect --help, what its exit codes mean; keep
     * lines under 80 columns. A frame is one step of an image’s refinement:
     * a partial image or the final image */
    _("Exit status: 0 the stream is complete and every frame decoded; 1 the stream carried\n"
      "an error, failed, was incomplete or truncated, or a frame did not decode; 2 usage,\n"
      "I/O, HTTP or authentication error."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      status = usage_error (context, error->message);
      inspect_clear (&self);
      return status;
    }

  if (self.version)
    {
      print_version ();
      inspect_clear (&self);
      return 0;
    }

  if (self.dump != NULL)
    {
      if (g_str_equal (self.dump, "sse"))
        self.dump_mode = DUMP_SSE;
      else if (g_str_equal (self.dump, "events"))
        self.dump_mode = DUMP_EVENTS;
      else
        {
          /* TRANSLATORS: refinery-inspect: “sse” and “events” are the values
           * of --dump: keep them */
          g_autofree char *msg = g_strdup_printf (_("Unknown --dump mode “%s”: use sse or events"), self.dump);
          status = usage_error (context, msg);
          inspect_clear (&self);
          return status;
        }
    }

  if ((self.json ? 1 : 0) + (self.dump_mode != DUMP_NONE ? 1 : 0) + (self.bench ? 1 : 0) > 1)
    {
      status = usage_error (context, _("--json, --dump and --bench cannot be combined"));
      inspect_clear (&self);
      return status;
    }

  if (self.listen || self.upstream != NULL)
    {
      const char *problem = NULL;

      if (!self.listen)
        problem = _("--upstream goes with --listen");
      else if (self.upstream == NULL)
        problem = _("--listen needs --upstream=URL, the API to forward to");
      else if (argc > 1 || self.prompt != NULL)
        problem = _("--listen takes no SOURCE and no --prompt");
      else if (self.dump_mode != DUMP_NONE || self.bench || self.export_dir != NULL ||
               self.record != NULL || self.speed != 0 || self.realtime)
        problem = _("--listen cannot be combined with --dump, --bench, --export, --record, --speed or --realtime");
      else
        problem = check_numbers (&self);

      if (problem != NULL)
        {
          status = usage_error (context, problem);
          inspect_clear (&self);
          return status;
        }

      rf_decode_limits_init_default (&limits);
      if (self.max_bytes > 0)
        limits.max_encoded_bytes = self.max_bytes;
      if (self.max_side > 0)
        limits.max_side = self.max_side;
      if (self.max_pixels > 0)
        limits.max_pixels = self.max_pixels;

      status = rf_inspect_listen (self.listen_address, self.upstream, self.json,
                                  self.workers, &limits);
      inspect_clear (&self);
      return status;
    }

  if (self.compare || self.align != NULL)
    {
      status = run_compare (&self, context, argc, argv);
      inspect_clear (&self);
      return status;
    }

  if (self.prompt == NULL && argc != 2)
    {
      status = usage_error (context, argc < 2 ? _("No SOURCE given") : _("Only one SOURCE can be given"));
      inspect_clear (&self);
      return status;
    }
  if (self.prompt != NULL && argc > 1)
    {
      status = usage_error (context, _("--prompt starts a generation: give no SOURCE with it"));
      inspect_clear (&self);
      return status;
    }
  if (check_numbers (&self) != NULL)
    {
      status = usage_error (context, check_numbers (&self));
      inspect_clear (&self);
      return status;
    }
  arg = argc > 1 ? argv[1] : NULL;

  source = make_source (&self, arg, &request, &error);
  if (source == NULL)
    {
      print_error (error->message);
      inspect_clear (&self);
      return 2;
    }

  self.out = g_string_sized_new (64 * 1024);
  self.loop = g_main_loop_new (NULL, FALSE);
  self.session = rf_session_new ();
  self.first_pixel_ms = -1;
  for (guint i = 0; i < G_N_ELEMENTS (self.decode_ms); i++)
    self.decode_ms[i] = g_array_new (FALSE, FALSE, sizeof (double));

  rf_decode_limits_init_default (&limits);
  if (self.max_bytes > 0)
    limits.max_encoded_bytes = self.max_bytes;
  if (self.max_side > 0)
    limits.max_side = self.max_side;
  if (self.max_pixels > 0)
    limits.max_pixels = self.max_pixels;
  rf_session_set_decode_limits (self.session, &limits);
  rf_session_set_n_workers (self.session, self.workers);
  /* The CLI never shows pixels: keep none beyond the thumbnails. */
  rf_session_set_pixel_cache_size (self.session, 0);

  if (request != NULL)
    rf_session_set_requested_partials (self.session, rf_request_get_partial_images (request));

  /* Live generations are always journalled (in the runs folder unless
   * --record names a file); other sources only when asked. */
  if (self.record != NULL || request != NULL)
    {
      g_autofree char *redacted = NULL;

      if (RF_IS_HTTP_SOURCE (source))
        redacted = rf_http_source_dup_redacted_request_json (RF_HTTP_SOURCE (source));

      recorder = rf_recorder_new (self.record, redacted, &error);
      if (recorder == NULL)
        {
          print_error (error->message);
          inspect_clear (&self);
          return 2;
        }

      /* The HTTP source journals itself, so a resumed connection's half
       * event is cut from the journal as the parser drops it. */
      if (RF_IS_HTTP_SOURCE (source))
        rf_http_source_set_recorder (RF_HTTP_SOURCE (source), recorder);
      else
        rf_session_set_tap (self.session, record_tap, recorder);
    }

  switch (self.dump_mode)
    {
    case DUMP_SSE:
      rf_session_set_emit_sse (self.session, TRUE);
      g_signal_connect (self.session, "sse", G_CALLBACK (sse_cb), &self);
      break;

    case DUMP_EVENTS:
      rf_session_set_hash_images (self.session, TRUE);
      g_signal_connect (self.session, "event-added", G_CALLBACK (event_added_cb), &self);
      g_signal_connect (self.session, "diagnostic-added", G_CALLBACK (diagnostic_added_cb), &self);
      break;

    case DUMP_NONE:
    default:
      break;
    }

  /* The measures (diff_prev, ssim_final) go into every summary and
   * manifest; --bench and the dumps show no frame summary. */
  rf_session_set_analyze (self.session, !self.bench && (self.dump_mode == DUMP_NONE || self.export_dir != NULL));

  self.progress = self.dump_mode == DUMP_NONE && !self.json && !self.bench && isatty (STDERR_FILENO);
  g_signal_connect (self.session, "frame-decoded", G_CALLBACK (frame_decoded_cb), &self);
  g_signal_connect (self.session, "finished", G_CALLBACK (finished_cb), &self);
  sigint_id = g_unix_signal_add (SIGINT, sigint_cb, &self);

  self.start_usec = g_get_monotonic_time ();
  rf_session_start (self.session, source);
  g_main_loop_run (self.loop);
  g_source_remove (sigint_id);

  /* The ingest thread pushes no more bytes once the session finished. */
  if (recorder != NULL)
    {
      g_autofree char *journal = rf_recorder_dup_path (recorder);

      g_autofree char *shown = rf_text_escape (journal);

      if (rf_recorder_get_incomplete (recorder))
        {
          g_autofree char *reason = rf_recorder_dup_stop_reason (recorder);

          /* TRANSLATORS: The journal stopped short; the first %s is its
           * file name, the second why (a full disk, its size limit). The
           * journal is the raw bytes of a run, written as they arrive and
           * replayable */
          g_printerr (_("refinery-inspect: the journal %s is incomplete: %s\n"), shown, reason);
        }
      else if (self.record == NULL)
        /* TRANSLATORS: refinery-inspect’s summary: the journal’s file name.
         * The journal is the raw bytes of a run, written as they arrive and
         * replayable */
        g_printerr (_("Journal: %s\n"), shown);
    }
  flush_out (&self);
  status = rf_inspect_exit_status (self.session);

  /* A journal that could not be written whole (a full disk) is an output
   * error like an export that failed: everything else is still shown. */
  if (recorder != NULL && rf_recorder_get_incomplete (recorder))
    status = 2;
  g_clear_object (&recorder);

  if (self.export_dir != NULL)
    {
      g_autoptr(GPtrArray) frames = model_to_array (rf_session_get_frames (self.session));
      g_autoptr(GPtrArray) diagnostics = model_to_array (rf_session_get_diagnostics (self.session));
      g_autoptr(GFile) dir = g_file_new_for_commandline_arg (self.export_dir);
      g_autoptr(GError) export_error = NULL;

      if (!rf_export_frames_full (frames, diagnostics, self.session, dir, NULL, &export_error))
        {
          print_error (export_error->message);
          status = 2;
        }
    }

  if (self.bench)
    {
      print_bench (&self);
    }
  else if (self.json)
    {
      g_autoptr(GPtrArray) frames = model_to_array (rf_session_get_frames (self.session));
      g_autoptr(GPtrArray) diagnostics = model_to_array (rf_session_get_diagnostics (self.session));
      g_autofree char *doc = rf_export_build_manifest (frames, diagnostics, self.session, TRUE);

      g_print ("%s\n", doc);
    }
  else if (self.dump_mode == DUMP_NONE)
    {
      rf_inspect_print_summary (self.out, self.session);
      flush_out (&self);
    }

  /* The cause of a non-zero status always reaches stderr. */
  if (status != 0)
    {
      const char *message = rf_session_get_failure_message (self.session);

      if (message == NULL)
        {
          GListModel *diagnostics = rf_session_get_diagnostics (self.session);

          for (guint i = 0; i < g_list_model_get_n_items (diagnostics); i++)
            {
              g_autoptr(RfDiagnostic) d = g_list_model_get_item (diagnostics, i);

              if (rf_diagnostic_get_severity (d) == RF_SEVERITY_ERROR)
                print_error (rf_diagnostic_get_message (d));
            }
        }
      else
        print_error (message);
    }

  inspect_clear (&self);

  return status;
}
