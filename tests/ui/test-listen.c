/*
 * rf-http-test-util.h
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

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "rf-http-test-util.h"
#include "rf-journal.h"
#include "rf-test-util.h"
#include "rf-ui-test-util.h"
#include "rf-window-private.h"

#define KEY "sk-test-Ls4kV9-listen-never-show-me-2b7e"

#define STREAM_BODY \
  "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"A lantern of folded paper\"," \
  "\"tools\":[{\"type\":\"image_generation\",\"partial_images\":2}]}"

/* A client of the user's app, on a thread of its own so that the window
 * keeps running while it waits for the stream. */
typedef struct
{
  char     *url;
  GBytes   *got;
  guint     status;
  gboolean  done;
} Client;

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  const char * const headers[] = { "Authorization", "Bearer " KEY, NULL };

  c->got = rf_http_test_client_request (c->url, "POST", STREAM_BODY, headers, &c->status, NULL);
  g_atomic_int_set (&c->done, TRUE);

  return NULL;
}

static GThread *
client_start (Client     *c,
              const char *tap_uri)
{
  memset (c, 0, sizeof *c);
  c->url = g_strconcat (tap_uri, "/v1/responses", NULL);
  return g_thread_new ("client", client_thread, c);
}

static void
client_finish (Client  *c,
               GThread *thread,
               GBytes  *expected)
{
  g_thread_join (thread);
  g_assert_cmpuint (c->status, ==, 200);
  /* The app got the stream byte for byte. */
  g_assert_true (g_bytes_equal (c->got, expected));
  g_clear_pointer (&c->got, g_bytes_unref);
  g_clear_pointer (&c->url, g_free);
}

/* The rows of the panel's list, top first: "#N|title|subtitle". */
static char *
list_rows (RfListenPanel *panel)
{
  GtkWidget *list = rf_ui_test_find_descendant (GTK_WIDGET (panel), GTK_TYPE_LIST_BOX);
  GString *s = g_string_new (NULL);
  GtkListBoxRow *row;

  g_assert_nonnull (list);
  for (guint i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i)); i++)
    {
      RfTapRun *run = g_object_get_data (G_OBJECT (row), "rf-run");

      g_string_append_printf (s, "#%u|%s|%s\n", rf_tap_run_get_index (run),
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
    }

  return g_string_free (s, FALSE);
}

static void
activate_row (RfListenPanel *panel,
              guint          index)
{
  GtkWidget *list = rf_ui_test_find_descendant (GTK_WIDGET (panel), GTK_TYPE_LIST_BOX);
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), index);

  g_assert_nonnull (row);
  g_signal_emit_by_name (list, "row-activated", row);
}

typedef struct
{
  RfWindow *window;
  guint     index;
} Shown;

static gboolean
shows_run (gpointer data)
{
  Shown *s = data;
  RfTapRun *run = _rf_window_get_tap_run (s->window);

  return run != NULL && rf_tap_run_get_index (run) == s->index;
}

static gboolean
shown_run_finished (gpointer data)
{
  RfWindow *window = data;
  RfSession *session = rf_window_get_session (window);

  return session != NULL && rf_session_get_finished (session);
}

static gboolean
n_runs_is (gpointer data)
{
  RfWindow *window = data;
  RfTap *tap = rf_listen_panel_get_tap (window->listen_panel);
  GListModel *runs = rf_tap_get_runs (tap);

  if (g_list_model_get_n_items (runs) < GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (window), "want")))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
    {
      g_autoptr(RfTapRun) run = g_list_model_get_item (runs, i);

      /* A run the tap has let go of had finished. */
      if (rf_tap_run_get_session (run) != NULL && !rf_session_get_finished (rf_tap_run_get_session (run)))
        return FALSE;
    }

  return TRUE;
}

static void
wait_all_finished (RfWindow *window,
                   guint     n)
{
  g_object_set_data (G_OBJECT (window), "want", GUINT_TO_POINTER (n));
  g_assert_true (rf_test_wait_until (n_runs_is, window, 60000));
}

static gboolean
history_has_3 (gpointer data)
{
  return rf_runs_get_n_runs (data) == 3;
}

static gboolean
passed_counted (gpointer data)
{
  RfWindow *window = data;

  return rf_tap_get_n_passed (rf_listen_panel_get_tap (window->listen_panel)) == 1;
}

static void
assert_private_without_key (const char *path)
{
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_nonnull (path);
  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, KEY));
}

/* What the panel tells the user to set, for each kind of upstream. */
static void
test_hint (void)
{
  static const struct { const char *upstream, *hint; } cases[] = {
    { "https://api.openai.com", "OPENAI_BASE_URL=http://127.0.0.1:8788/v1" },
    { "https://api.openai.com/", "OPENAI_BASE_URL=http://127.0.0.1:8788/v1" },
    { "https://openrouter.ai", "OPENAI_BASE_URL=http://127.0.0.1:8788/api/v1" },
    { "https://generativelanguage.googleapis.com", "http://127.0.0.1:8788" },
    /* The upstream names the API's path: the SDK's paths follow as they are. */
    { "https://api.openai.com/v1", "OPENAI_BASE_URL=http://127.0.0.1:8788" },
    { "http://127.0.0.1:9000", "OPENAI_BASE_URL=http://127.0.0.1:8788/v1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *hint = rf_listen_panel_hint_for (cases[i].upstream, "http://127.0.0.1:8788");

      g_assert_cmpstr (hint, ==, cases[i].hint);
    }
}

/* A URL that is not http(s) is refused with a message, before any
 * listening; so is a port already taken. */
static void
test_bad_upstream (void)
{
  RfWindow *window = rf_window_new (NULL);
  RfListenPanel *panel = window->listen_panel;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketService) squatter = g_socket_service_new ();
  GtkWidget *entry = rf_ui_test_find_descendant (GTK_WIDGET (panel), GTK_TYPE_ENTRY);
  guint16 port;

  gtk_window_present (GTK_WINDOW (window));
  rf_listen_panel_set_port (panel, 0);

  rf_listen_panel_set_upstream (panel, "ftp://example.invalid/");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_false (rf_listen_panel_start (panel, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "ftp://example.invalid/"));
  g_assert_false (rf_listen_panel_get_listening (panel));
  g_assert_null (rf_listen_panel_get_tap (panel));
  g_assert_null (rf_listen_panel_get_hint (panel));
  g_clear_error (&error);

  rf_listen_panel_set_upstream (panel, "https://api.openai.com");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (squatter), NULL, &error);
  g_assert_no_error (error);
  rf_listen_panel_set_port (panel, port);
  g_assert_false (rf_listen_panel_start (panel, &error));
  g_assert_nonnull (error);
  g_assert_false (rf_listen_panel_get_listening (panel));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Listening from the empty window: the app's streams pass through byte
 * for byte; the first opens live, the next replaces it, until the user
 * chooses an older one; the list has them all, newest first, with
 * method, path, model and status; each is journalled and in the history. */
static void
test_streams (void)
{
  g_autoptr(RfMockServer) server = rf_mock_server_new ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GBytes) stream = rf_test_build_stream (RF_TEST_FLAVOR_RESPONSES, 2, RF_IMAGE_FORMAT_PNG,
                                                   FALSE, &images);
  RfWindow *window = rf_window_new (NULL);
  RfListenPanel *panel = window->listen_panel;
  g_autoptr(GError) error = NULL;
  g_autofree char *tap_uri = NULL;
  g_autofree char *expected_hint = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *journal_path = NULL;
  g_autoptr(GFile) journal = NULL;
  g_autoptr(GBytes) models = NULL;
  RfMockResponse *json;
  RfSession *first;
  Shown shown = { window, 1 };
  Client c;
  GThread *thread;
  gboolean seen_live = FALSE;
  guint status = 0;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "empty");

  rf_listen_panel_set_port (panel, 0);
  rf_listen_panel_set_upstream (panel, rf_mock_server_get_uri (server));
  g_assert_true (rf_listen_panel_start (panel, &error));
  g_assert_no_error (error);
  g_assert_true (rf_listen_panel_get_listening (panel));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window->listen_button), "suggested-action"));

  /* The address to set: the tap's own, with the API's /v1. */
  tap_uri = rf_tap_dup_uri (rf_listen_panel_get_tap (panel));
  g_assert_true (g_str_has_prefix (tap_uri, "http://127.0.0.1:"));
  expected_hint = g_strdup_printf ("OPENAI_BASE_URL=%s/v1", tap_uri);
  g_assert_cmpstr (rf_listen_panel_get_hint (panel), ==, expected_hint);

  /* The first stream opens by itself, live. */
  rf_mock_server_enqueue (server, rf_mock_response_new_events (stream, 150));
  thread = client_start (&c, tap_uri);
  g_assert_true (rf_test_wait_until (shows_run, &shown, 30000));
  first = rf_window_get_session (window);
  g_assert_true (first == rf_tap_run_get_session (_rf_window_get_tap_run (window)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "session");
  while (!g_atomic_int_get (&c.done))
    {
      g_main_context_iteration (NULL, FALSE);
      if (rf_session_is_receiving (first) && rf_canvas_get_displayed_frame (window->canvas) != NULL)
        seen_live = TRUE;
      g_usleep (1000);
    }
  client_finish (&c, thread, stream);
  g_assert_true (rf_test_wait_until (shown_run_finished, window, 30000));
  /* Frames were on the canvas while the stream was still coming. */
  g_assert_true (seen_live);
  /* Watching a tapped stream never offers to cancel it. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->cancel_button)));
  g_assert_cmpint (rf_session_get_state (first), ==, RF_SESSION_STATE_FINISHED);
  rf_http_test_assert_frames (first, images, images->len);
  g_assert_true (rf_canvas_get_displayed_frame (window->canvas) != NULL);

  /* Its journal is the window's recording, private and without the key. */
  journal = _rf_window_dup_journal (window);
  g_assert_nonnull (journal);
  journal_path = g_file_get_path (journal);
  assert_private_without_key (journal_path);

  /* The second replaces it, as the user was following. */
  rf_mock_server_enqueue (server, rf_mock_response_new_events (stream, 20));
  thread = client_start (&c, tap_uri);
  shown.index = 2;
  g_assert_true (rf_test_wait_until (shows_run, &shown, 30000));
  g_assert_true (rf_window_get_session (window) != first);
  while (!g_atomic_int_get (&c.done))
    g_main_context_iteration (NULL, FALSE);
  client_finish (&c, thread, stream);

  /* The user picks the first again: the third stream does not take it away. */
  wait_all_finished (window, 2);
  rows = list_rows (panel);
  g_assert_true (g_str_has_prefix (rows, "#2|"));
  activate_row (panel, 1);
  g_assert_true (rf_window_get_session (window) == first);
  rf_mock_server_enqueue (server, rf_mock_response_new_events (stream, 10));
  thread = client_start (&c, tap_uri);
  while (!g_atomic_int_get (&c.done))
    g_main_context_iteration (NULL, FALSE);
  client_finish (&c, thread, stream);
  wait_all_finished (window, 3);
  g_assert_true (rf_window_get_session (window) == first);
  g_assert_cmpuint (rf_tap_run_get_index (_rf_window_get_tap_run (window)), ==, 1);

  /* Newest first, each with method, path, model, status and state. */
  g_free (rows);
  rows = list_rows (panel);
  g_assert_cmpstr (rows, ==,
                   "#3|POST /v1/responses|gpt-5 · HTTP 200 · Finished · 3 frames\n"
                   "#2|POST /v1/responses|gpt-5 · HTTP 200 · Finished · 3 frames\n"
                   "#1|POST /v1/responses|gpt-5 · HTTP 200 · Finished · 3 frames\n");

  /* A call that is no stream passes through and is only counted. */
  json = rf_mock_response_new (200);
  rf_mock_response_set_body (json, "application/json", "{\"object\":\"list\",\"data\":[]}");
  rf_mock_server_enqueue (server, json);
  {
    g_autofree char *url = g_strconcat (tap_uri, "/v1/models", NULL);

    models = rf_http_test_client_request (url, "GET", NULL, NULL, &status, NULL);
  }
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (rf_test_wait_until (passed_counted, window, 30000));
  g_assert_cmpuint (g_list_model_get_n_items (rf_tap_get_runs (rf_listen_panel_get_tap (panel))), ==, 3);

  /* Every tapped stream is in the history, as a live run is. */
  rf_runs_reload (window->runs);
  g_assert_true (rf_test_wait_until (history_has_3, window->runs, 30000));

  /* Past the few finished runs the tap keeps in memory, a run is read
   * back from its journal when picked; its row still says what it was. */
  rf_tap_set_max_sessions_kept (rf_listen_panel_get_tap (panel), 0);
  rf_mock_server_enqueue (server, rf_mock_response_new_events (stream, 50));
  thread = client_start (&c, tap_uri);
  while (!g_atomic_int_get (&c.done))
    g_main_context_iteration (NULL, FALSE);
  client_finish (&c, thread, stream);
  wait_all_finished (window, 4);
  {
    RfTapRun *second;
    g_autofree char *second_journal = NULL;
    g_autofree char *description = NULL;

    g_free (rows);
    rows = list_rows (panel);
    g_assert_nonnull (strstr (rows, "#2|POST /v1/responses|gpt-5 · HTTP 200 · Finished · 3 frames\n"));
    second = g_object_get_data (G_OBJECT (gtk_list_box_get_row_at_index (GTK_LIST_BOX (rf_ui_test_find_descendant (GTK_WIDGET (panel), GTK_TYPE_LIST_BOX)), 2)),
                                "rf-run");
    g_assert_cmpuint (rf_tap_run_get_index (second), ==, 2);
    g_assert_null (rf_tap_run_get_session (second));
    second_journal = rf_tap_run_dup_journal_path (second);
    activate_row (panel, 2);
    g_assert_null (_rf_window_get_tap_run (window));
    g_assert_true (rf_test_wait_until (shown_run_finished, window, 30000));
    description = rf_source_dup_description (rf_session_get_source (rf_window_get_session (window)));
    g_assert_nonnull (strstr (description, second_journal));
    rf_http_test_assert_frames (rf_window_get_session (window), images, images->len);
  }

  /* Stopping keeps the list; the address goes. */
  rf_listen_panel_stop (panel);
  g_assert_false (rf_listen_panel_get_listening (panel));
  g_assert_null (rf_listen_panel_get_hint (panel));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window->listen_button), "suggested-action"));
  g_free (rows);
  rows = list_rows (panel);
  g_assert_true (g_str_has_prefix (rows, "#4|"));

  /* Opening something else, the window stops following (and keeps no tap run). */
  rf_window_start_demo (window, 8.0);
  g_assert_null (_rf_window_get_tap_run (window));
  g_assert_false (window->follow_tap);
  g_assert_false (rf_http_test_logs_contain (KEY));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gboolean have_display = rf_ui_test_init (&argc, &argv, RF_UI_TEST_LOOPBACK);

  g_test_add_func ("/ui/listen/hint", test_hint);

  if (!have_display)
    return g_test_run ();

  rf_http_test_capture_logs ();
  /* GTK 4.8's list view warns when it loses its scroll anchor as the
   * event log is handed another run's events while laying out the last
   * one's; the log scrolls again afterwards. */
  rf_http_test_tolerate_warning ("Gtk", "failed to scroll to given position");

  g_test_add_func ("/ui/listen/bad-upstream", test_bad_upstream);
  g_test_add_func ("/ui/listen/streams", test_streams);

  return g_test_run ();
}
