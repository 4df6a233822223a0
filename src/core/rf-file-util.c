/*
 * rf-file-util.c
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

#define G_LOG_DOMAIN "rf-file-util"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "rf-file-util.h"

typedef enum
{
  FAILED_CREATE,
  FAILED_OPEN,
  FAILED_READ,
  FAILED_WRITE,
} Failed;

static void
set_errno_error (GError     **error,
                 int          errsv,
                 Failed       failed,
                 const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);
  GIOErrorEnum code = g_io_error_from_errno (errsv);
  const char *why = g_strerror (errsv);

  switch (failed)
    {
    case FAILED_CREATE:
      g_set_error (error, G_IO_ERROR, code, _("Cannot create “%s”: %s"), display, why);
      break;
    case FAILED_OPEN:
      g_set_error (error, G_IO_ERROR, code, _("Cannot open %s: %s"), display, why);
      break;
    case FAILED_READ:
      g_set_error (error, G_IO_ERROR, code, _("Cannot read %s: %s"), display, why);
      break;
    case FAILED_WRITE:
    default:
      g_set_error (error, G_IO_ERROR, code, _("Cannot write “%s”: %s"), display, why);
      break;
    }
}

static gboolean
is_symlink (const char *path)
{
  struct stat st;

  return lstat (path, &st) == 0 && S_ISLNK (st.st_mode);
}

/* "out/" would make the kernel resolve a link named out: the slash must go
 * before O_NOFOLLOW can see the last component. */
static char *
strip_trailing_slashes (const char *path)
{
  gsize len = strlen (path);

  while (len > 1 && path[len - 1] == G_DIR_SEPARATOR)
    len--;

  return g_strndup (path, len);
}

static int
open_dir_no_follow (const char *path)
{
  return open (path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int
rf_file_open_dir (const char  *path,
                  gboolean     create,
                  int          mode,
                  GError     **error)
{
  g_autofree char *dir = NULL;
  int fd;
  int errsv;

  g_return_val_if_fail (path != NULL && path[0] != '\0', -1);

  dir = strip_trailing_slashes (path);
  if ((fd = open_dir_no_follow (dir)) >= 0)
    return fd;
  errsv = errno;

  if (errsv == ENOENT && create)
    {
      g_autofree char *parent = g_path_get_dirname (dir);

      /* Parents that exist are taken as they are (a home folder may well
       * be a link); the ones made here are checked like @path. */
      if (!g_str_equal (parent, dir) && !g_file_test (parent, G_FILE_TEST_IS_DIR))
        {
          int parent_fd = rf_file_open_dir (parent, TRUE, mode, error);

          if (parent_fd < 0)
            return -1;
          close (parent_fd);
        }

      /* mkdir() never follows a link; one planted meanwhile fails below. */
      if (mkdir (dir, mode) != 0 && errno != EEXIST)
        {
          set_errno_error (error, errno, FAILED_CREATE, dir);
          return -1;
        }

      if ((fd = open_dir_no_follow (dir)) >= 0)
        return fd;
      errsv = errno;
    }

  if ((errsv == ELOOP || errsv == ENOTDIR) && is_symlink (dir))
    {
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS,
                   /* Translators: %s is a folder name */
                   _("“%s” is a symbolic link: Refinery writes only into a real folder"),
                   display);
      return -1;
    }

  set_errno_error (error, errsv, FAILED_OPEN, dir);
  return -1;
}

gboolean
rf_file_ensure_dir (const char  *path,
                    int          mode,
                    GError     **error)
{
  int fd = rf_file_open_dir (path, TRUE, mode, error);

  if (fd < 0)
    return FALSE;

  close (fd);
  return TRUE;
}

static gboolean
write_all (int          fd,
           const void  *data,
           gsize        len,
           int         *errsv)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize n = write (fd, p, MIN (len, (gsize) G_MAXSSIZE));

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          *errsv = errno;
          return FALSE;
        }

      p += n;
      len -= n;
    }

  return TRUE;
}

/* A fresh name in @dir_fd, created exclusively: nothing planted there is
 * opened. The name does not derive from the final one, so it always fits. */
static int
create_temp_at (int    dir_fd,
                int    mode,
                char **tmp_name)
{
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf (".refinery-%08x.tmp", g_random_int ());
      int fd = openat (dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);

      if (fd >= 0)
        {
          *tmp_name = g_steal_pointer (&name);
          return fd;
        }

      if (errno != EEXIST)
        return -1;
    }

  errno = EEXIST;
  return -1;
}

typedef gboolean (*FillFunc) (int      fd,
                              gpointer user_data,
                              int     *errsv,
                              GError **error);

static gboolean
replace_at (int          dir_fd,
            const char  *dir_path,
            const char  *name,
            int          mode,
            FillFunc     fill,
            gpointer     user_data,
            GError     **error)
{
  g_autofree char *tmp_name = NULL;
  g_autofree char *display_path = NULL;
  g_autoptr(GError) fill_error = NULL;
  int errsv = 0;
  int fd;

  g_return_val_if_fail (name != NULL && name[0] != '\0', FALSE);
  g_return_val_if_fail (strchr (name, G_DIR_SEPARATOR) == NULL, FALSE);

  display_path = dir_path ? g_build_filename (dir_path, name, NULL) : g_strdup (name);

  if ((fd = create_temp_at (dir_fd, mode, &tmp_name)) < 0)
    {
      set_errno_error (error, errno, FAILED_WRITE, display_path);
      return FALSE;
    }

  if (!fill (fd, user_data, &errsv, &fill_error))
    {
      close (fd);
      unlinkat (dir_fd, tmp_name, 0);
      if (fill_error != NULL)
        g_propagate_error (error, g_steal_pointer (&fill_error));
      else
        set_errno_error (error, errsv, FAILED_WRITE, display_path);
      return FALSE;
    }

  /* close() is where some file systems report a full disk. */
  if (close (fd) != 0 && errno != EINTR)
    {
      errsv = errno;
      unlinkat (dir_fd, tmp_name, 0);
      set_errno_error (error, errsv, FAILED_WRITE, display_path);
      return FALSE;
    }

  /* rename() replaces a link at @name by the file: its target stays. */
  if (renameat (dir_fd, tmp_name, dir_fd, name) != 0)
    {
      errsv = errno;
      unlinkat (dir_fd, tmp_name, 0);
      set_errno_error (error, errsv, FAILED_WRITE, display_path);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  const void *data;
  gsize       len;
} Buffer;

static gboolean
fill_from_buffer (int       fd,
                  gpointer  user_data,
                  int      *errsv,
                  GError  **error)
{
  Buffer *buffer = user_data;

  return write_all (fd, buffer->data, buffer->len, errsv);
}

gboolean
rf_file_replace_contents_at (int          dir_fd,
                             const char  *dir_path,
                             const char  *name,
                             const void  *data,
                             gsize        len,
                             int          mode,
                             GError     **error)
{
  Buffer buffer = { data, len };

  g_return_val_if_fail (dir_fd >= 0, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  return replace_at (dir_fd, dir_path, name, mode, fill_from_buffer, &buffer, error);
}

/* The folder of a path the user chose is taken as it is (links and all):
 * only the file's own name is guarded. */
static int
open_parent (const char  *path,
             char       **name,
             GError     **error)
{
  g_autofree char *clean = strip_trailing_slashes (path);
  g_autofree char *parent = g_path_get_dirname (clean);
  int fd;

  *name = g_path_get_basename (clean);

  fd = open (parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    set_errno_error (error, errno, FAILED_OPEN, parent);

  return fd;
}

gboolean
rf_file_replace_contents (const char  *path,
                          const void  *data,
                          gsize        len,
                          int          mode,
                          GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *dir_path = NULL;
  gboolean ok;
  int dir_fd;

  g_return_val_if_fail (path != NULL, FALSE);

  if ((dir_fd = open_parent (path, &name, error)) < 0)
    return FALSE;

  dir_path = g_path_get_dirname (path);
  ok = rf_file_replace_contents_at (dir_fd, dir_path, name, data, len, mode, error);
  close (dir_fd);

  return ok;
}

typedef struct
{
  int           src_fd;
  const char   *src;
  GCancellable *cancellable;
} Copy;

static gboolean
fill_from_file (int       fd,
                gpointer  user_data,
                int      *errsv,
                GError  **error)
{
  Copy *copy = user_data;
  g_autofree guint8 *buf = g_malloc (256 * 1024);

  for (;;)
    {
      gssize n;

      if (g_cancellable_set_error_if_cancelled (copy->cancellable, error))
        return FALSE;

      n = read (copy->src_fd, buf, 256 * 1024);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno, FAILED_READ, copy->src);
          return FALSE;
        }
      if (n == 0)
        return TRUE;
      if (!write_all (fd, buf, n, errsv))
        return FALSE;
    }
}

gboolean
rf_file_replace_with_copy (const char    *dest,
                           const char    *src,
                           int            mode,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *name = NULL;
  g_autofree char *dir_path = NULL;
  Copy copy = { -1, src, cancellable };
  gboolean ok;
  int dir_fd;

  g_return_val_if_fail (dest != NULL, FALSE);
  g_return_val_if_fail (src != NULL, FALSE);

  if ((copy.src_fd = open (src, O_RDONLY | O_CLOEXEC)) < 0)
    {
      set_errno_error (error, errno, FAILED_READ, src);
      return FALSE;
    }

  if ((dir_fd = open_parent (dest, &name, error)) < 0)
    {
      close (copy.src_fd);
      return FALSE;
    }

  dir_path = g_path_get_dirname (dest);
  ok = replace_at (dir_fd, dir_path, name, mode, fill_from_file, &copy, error);
  close (dir_fd);
  close (copy.src_fd);

  return ok;
}
