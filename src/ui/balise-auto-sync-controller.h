/* balise-auto-sync-controller.h: automatic sync, fed from the desktop
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "balise-auto-sync.h"
#include "balise-store.h"

G_BEGIN_DECLS

#define BALISE_TYPE_AUTO_SYNC_CONTROLLER (balise_auto_sync_controller_get_type ())

G_DECLARE_FINAL_TYPE (BaliseAutoSyncController, balise_auto_sync_controller, BALISE, AUTO_SYNC_CONTROLLER, GObject)

/* Feeds a BaliseAutoSync with what the desktop knows: the `auto-sync`
 * setting, GNetworkMonitor, a probe of the API server of the settings
 * (asynchronous, again every few minutes while it does not answer), the
 * number of ready edits and notes of @store (followed on every change of
 * the journal) and the sign-in (BALISE_TOKEN or the keyring). The owner
 * starts the sync on the BaliseAutoSync's "sync-wanted" and reports every
 * sync, automatic or by hand, with _sync_started() and _sync_finished().
 * "status" says, in a few words for the volunteer, where it stands. */
BaliseAutoSyncController *balise_auto_sync_controller_new                (BaliseStore              *store);
/* Starts following the network and the store; call it once "sync-wanted"
 * is connected. */
void                      balise_auto_sync_controller_start              (BaliseAutoSyncController *self);
BaliseAutoSync           *balise_auto_sync_controller_get_auto_sync      (BaliseAutoSyncController *self);
/* "Offline — edits are kept on this device", "Uploading…"; NULL when
 * there is nothing to say (automatic sync off, or online and nothing
 * waiting). */
const char               *balise_auto_sync_controller_get_status         (BaliseAutoSyncController *self);
/* Asks the keyring again, e.g. after the preferences were used. */
void                      balise_auto_sync_controller_refresh_sign_in    (BaliseAutoSyncController *self);
void                      balise_auto_sync_controller_sync_started       (BaliseAutoSyncController *self);
void                      balise_auto_sync_controller_sync_finished      (BaliseAutoSyncController *self,
                                                                          gboolean                  success);
/* How long after a probe without answer the server is probed again, in
 * milliseconds (3 minutes by default). For tests. */
void                      balise_auto_sync_controller_set_probe_interval (BaliseAutoSyncController *self,
                                                                          guint                     interval_ms);

G_END_DECLS
