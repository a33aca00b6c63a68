/* balise-history-page.h: what was uploaded — changesets and notes, with
 * links to the server
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"
#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_HISTORY_PAGE (balise_history_page_get_type ())

G_DECLARE_FINAL_TYPE (BaliseHistoryPage, balise_history_page, BALISE, HISTORY_PAGE, AdwBin)

GtkWidget  *balise_history_page_new             (BaliseStore       *store);
/* The server (its API URL or a preset id) whose changesets are shown. */
void        balise_history_page_set_server_url  (BaliseHistoryPage *self,
                                                 const char        *server_url);
/* Reads the store again, on a worker thread. */
void        balise_history_page_reload          (BaliseHistoryPage *self);
/* Whether a reload is under way. */
gboolean    balise_history_page_get_busy        (BaliseHistoryPage *self);
/* The rows shown, in order: "changeset" or "note" rows, each with the
 * link it opens (NULL-terminated; free with g_strfreev()). */
GStrv       balise_history_page_get_links       (BaliseHistoryPage *self,
                                                 const char        *kind);
/* The row of @kind ("changeset" or "note") at @index, or NULL. */
AdwActionRow *balise_history_page_get_row       (BaliseHistoryPage *self,
                                                 const char        *kind,
                                                 guint              index);

G_END_DECLS
