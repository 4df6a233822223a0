/*
 * rf-file-util.h
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

#include <gio/gio.h>

G_BEGIN_DECLS

/* Threads: any thread; each function blocks on file I/O. */

/* Every file Refinery writes goes through these: nothing is created
 * through a link planted where the file goes, and a file seen under its
 * final name is always complete. */

/* Opens the folder @path (O_DIRECTORY), creating it and its missing
 * parents with @mode when @create. A folder that is a symbolic link is
 * refused: neither the folder itself nor one this call creates is ever
 * reached through a link. Returns a descriptor for the *_at() calls. */
int       rf_file_open_dir             (const char    *path,
                                        gboolean       create,
                                        int            mode,
                                        GError       **error);
/* rf_file_open_dir() with @create, the descriptor closed. */
gboolean  rf_file_ensure_dir           (const char    *path,
                                        int            mode,
                                        GError       **error);
/* Writes @data into a new temporary file in @dir_fd, then renames it to
 * @name (@dir_path only names the folder in messages): a file or link already there is replaced, a link's target is
 * never touched. @mode is applied less the umask. */
gboolean  rf_file_replace_contents_at  (int            dir_fd,
                                        const char    *dir_path,
                                        const char    *name,
                                        const void    *data,
                                        gsize          len,
                                        int            mode,
                                        GError       **error);
/* The same for a path whose folder exists (a file the user chose). */
gboolean  rf_file_replace_contents     (const char    *path,
                                        const void    *data,
                                        gsize          len,
                                        int            mode,
                                        GError       **error);
/* Copies the file @src to @dest as rf_file_replace_contents() would,
 * streaming. */
gboolean  rf_file_replace_with_copy    (const char    *dest,
                                        const char    *src,
                                        int            mode,
                                        GCancellable  *cancellable,
                                        GError       **error);

G_END_DECLS
