/* balise-online-probe.h: is a server really reachable?
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* GNetworkMonitor says whether the machine has a route, not whether a
 * server answers: a phone on a captive hotspot, or a laptop on a network
 * without Internet access, has a route and gets no tiles. The probe sends
 * one HEAD request to @url: any HTTP answer, even an error status, proves
 * that the server is reachable; no answer within @timeout_seconds, a name
 * that does not resolve or a TLS failure means it is not. */
void     balise_online_probe_async  (const char           *url,
                                     guint                 timeout_seconds,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean balise_online_probe_finish (GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
