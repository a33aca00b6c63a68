/* balise-sync-lock.c: one sync at a time per database, across processes
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "balise-core-types.h"
#include "balise-sync-lock.h"

struct _BaliseSyncLock
{
  int fd;
};

BaliseSyncLock *
_balise_sync_lock_acquire (const char  *db_path,
                           GError     **error)
{
  g_autofree char *path = NULL;
  BaliseSyncLock *lock;
  int fd;

  g_return_val_if_fail (db_path != NULL, NULL);

  /* An open file description of its own: flock() then also keeps two
   * syncs of one process apart. */
  path = g_strconcat (db_path, ".sync-lock", NULL);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open the sync lock “%s”: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) < 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;
      close (fd);
      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BUSY,
                     _("Another sync of this database is running, in this window or another "
                       "program; try again when it has finished"));
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("Could not lock “%s”: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  lock = g_new (BaliseSyncLock, 1);
  lock->fd = fd;
  return lock;
}

void
_balise_sync_lock_release (BaliseSyncLock *lock)
{
  if (lock == NULL)
    return;

  /* Closing the descriptor drops the lock; the file stays for the next sync. */
  close (lock->fd);
  g_free (lock);
}
