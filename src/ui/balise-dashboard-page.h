/* balise-dashboard-page.h: the coordinator's numbers, as pictures
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-freshness-layer.h"
#include "balise-store.h"
#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_DASHBOARD_PAGE (balise_dashboard_page_get_type ())

G_DECLARE_FINAL_TYPE (BaliseDashboardPage, balise_dashboard_page, BALISE, DASHBOARD_PAGE, AdwBin)

#define BALISE_DASHBOARD_RECENT_DAYS 30

/* The page counts when first shown, off the main thread, and again (a
 * moment after the last of a run of changes) when the store changes. */
GtkWidget *balise_dashboard_page_new          (BaliseStore         *store);
/* Counts again now; a read under way is cancelled. */
void       balise_dashboard_page_reload       (BaliseDashboardPage *self);
/* Whether a read is under way (the spinner is shown). */
gboolean   balise_dashboard_page_get_loading  (BaliseDashboardPage *self);
/* The number shown for @key in @section ("category", "contributor",
 * "status", "stops" as in the CSV), or -1 when none is shown. */
gint64     balise_dashboard_page_get_shown    (BaliseDashboardPage *self,
                                               const char          *section,
                                               const char          *key);
GtkWidget *balise_dashboard_page_get_chart    (BaliseDashboardPage *self);
/* The basemap of the freshness map (nullable). */
void       balise_dashboard_page_set_map_source (BaliseDashboardPage *self,
                                                 ShumateMapSource    *map_source);
/* The layer of the freshness map: the bus stops it holds, by freshness. */
BaliseFreshnessLayer *balise_dashboard_page_get_freshness_layer (BaliseDashboardPage *self);
/* Writes the numbers shown as CSV to @file. */
void       balise_dashboard_page_export_csv_async  (BaliseDashboardPage  *self,
                                                    GFile                *file,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean   balise_dashboard_page_export_csv_finish (BaliseDashboardPage  *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
