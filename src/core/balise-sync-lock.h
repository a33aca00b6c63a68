/* balise-sync-lock.h: one sync at a time per database, across processes
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BaliseSyncLock BaliseSyncLock;

/* Takes the sync lock of the database at @db_path (a file beside it,
 * "@db_path.sync-lock", locked with flock()). A sync already running on that
 * database, in this process or another, gives BALISE_SYNC_ERROR_BUSY at once:
 * its batches are in flight, and recovering them now would close its
 * changeset under it. The kernel drops the lock of a killed process. */
BaliseSyncLock *_balise_sync_lock_acquire (const char      *db_path,
                                           GError         **error);
void            _balise_sync_lock_release (BaliseSyncLock  *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseSyncLock, _balise_sync_lock_release)

G_END_DECLS
