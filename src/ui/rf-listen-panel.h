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

#pragma once

#include <adwaita.h>

#include "rf-tap.h"

G_BEGIN_DECLS

#define RF_TYPE_LISTEN_PANEL (rf_listen_panel_get_type())

G_DECLARE_FINAL_TYPE (RfListenPanel, rf_listen_panel, RF, LISTEN_PANEL, GtkWidget)

/* "Listen" mode: a pass-through proxy (RfTap) on 127.0.0.1 between the
 * user's own app and the API. Asks for the upstream URL (remembered in
 * the settings' "listen-upstream"; the port is "listen-port"), shows
 * what to set in the app and copies it, and lists the tapped streams as
 * they start, newest first.
 * - ::run-started (RfTapRun): a stream was tapped; its session has not
 *   started yet, so that handlers can set its options;
 * - ::run-activated (RfTapRun): the user chose a stream from the list. */
GtkWidget  *rf_listen_panel_new           (void);
void        rf_listen_panel_set_settings  (RfListenPanel  *self,
                                           GSettings      *settings);
void        rf_listen_panel_set_upstream  (RfListenPanel  *self,
                                           const char     *upstream);
/* 0: any free port. Without a call, the settings' "listen-port". */
void        rf_listen_panel_set_port      (RfListenPanel  *self,
                                           guint16         port);
/* Starts listening with the upstream in the entry; on failure the panel
 * shows the message too. */
gboolean    rf_listen_panel_start         (RfListenPanel  *self,
                                           GError        **error);
void        rf_listen_panel_stop          (RfListenPanel  *self);
gboolean    rf_listen_panel_get_listening (RfListenPanel  *self);
/* The tap while listening, else NULL. */
RfTap      *rf_listen_panel_get_tap       (RfListenPanel  *self);
/* What the app must set, e.g. "OPENAI_BASE_URL=http://127.0.0.1:8788/v1"
 * (NULL when not listening). */
const char *rf_listen_panel_get_hint      (RfListenPanel  *self);
/* The newest tapped stream, or NULL. */
RfTapRun   *rf_listen_panel_get_newest    (RfListenPanel  *self);

/* What a client of @upstream sets to go through @tap_uri. */
char       *rf_listen_panel_hint_for      (const char     *upstream,
                                           const char     *tap_uri);

G_END_DECLS
