/* balise-auto-sync.h: when to sync by itself
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BALISE_TYPE_AUTO_SYNC (balise_auto_sync_get_type ())

G_DECLARE_FINAL_TYPE (BaliseAutoSync, balise_auto_sync, BALISE, AUTO_SYNC, GObject)

/* The decision to sync when online, fed with what the window knows: the
 * setting, the network, the probe of the API server, the number of ready
 * edits and notes, the sign-in and how the last sync ended. It emits
 * "probe-wanted" when the server should be probed, and "sync-wanted" when a
 * sync should start: at most one at a time, again only once something new
 * is ready or the network came back, and after a failure only once the
 * back-off (1, 5, then 15 minutes) has passed. */
BaliseAutoSync *balise_auto_sync_new                (void);
void            balise_auto_sync_set_enabled        (BaliseAutoSync *self,
                                                     gboolean        enabled);
gboolean        balise_auto_sync_get_enabled        (BaliseAutoSync *self);
/* GNetworkMonitor's "network-available"; any change asks for a new probe. */
void            balise_auto_sync_network_changed    (BaliseAutoSync *self,
                                                     gboolean        available);
/* The answer to "probe-wanted". */
void            balise_auto_sync_probe_result       (BaliseAutoSync *self,
                                                     gboolean        reachable);
void            balise_auto_sync_set_ready_count    (BaliseAutoSync *self,
                                                     guint           count);
void            balise_auto_sync_set_signed_in      (BaliseAutoSync *self,
                                                     gboolean        signed_in);
/* A sync started, by this object's wish or by hand. */
void            balise_auto_sync_sync_started       (BaliseAutoSync *self);
void            balise_auto_sync_sync_finished      (BaliseAutoSync *self,
                                                     gboolean        success);
gboolean        balise_auto_sync_is_backing_off     (BaliseAutoSync *self);
/* When the back-off ends, in g_get_monotonic_time(); 0 when not backing off. */
gint64          balise_auto_sync_get_retry_time     (BaliseAutoSync *self);
/* The waits after 1, 2, 3… failures in a row, in milliseconds; the last
 * one repeats. For tests. */
void            balise_auto_sync_set_backoff        (BaliseAutoSync *self,
                                                     const guint    *delays_ms,
                                                     guint           n_delays);

G_END_DECLS
