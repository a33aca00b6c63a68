/* balise-dashboard-page-private.h: what the dashboard page's files share
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-dashboard.h"
#include "balise-dashboard-page.h"
#include "balise-day-chart.h"
#include "balise-freshness-layer.h"

G_BEGIN_DECLS

struct _BaliseDashboardPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  GtkStack             *stack;
  GtkSpinner           *loading_spinner;
  GtkSpinner           *refresh_spinner;
  AdwPreferencesGroup  *day_group;
  AdwPreferencesGroup  *map_group;
  AdwPreferencesGroup  *stops_group;
  AdwPreferencesGroup  *status_group;
  AdwPreferencesGroup  *category_group;
  AdwPreferencesGroup  *contributor_group;
  BaliseDayChart       *chart;

  /* Owned references */
  BaliseStore          *store;
  BaliseDashboard      *dashboard;
  GHashTable           *shown;      /* "section/key" → the count, as gint64 */
  GPtrArray            *rows;       /* rows added, to remove on reload */
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;  /* of the read under way */

  /* The freshness map (balise-dashboard-map.c) */
  ShumateMap           *map;
  ShumateLicense       *license;
  BaliseFreshnessLayer *freshness_layer;
  ShumateMapLayer      *map_layer;
  ShumateMapSource     *map_source;
  ShumateMapSource     *fallback_source;

  guint                 reload_id;
  guint                 fit_id;
  guint                 dirty : 1;         /* the store changed since the last read began */
  guint                 reload_again : 1;  /* it changed while a read was under way */
};

/* The freshness map (balise-dashboard-map.c): a small map of the bus stops
 * coloured by their last check, its legend's colour swatches. */
void       _balise_dashboard_map_init       (BaliseDashboardPage *self);
void       _balise_dashboard_map_dispose    (BaliseDashboardPage *self);
/* Shows @stops (BaliseStopCheck, from the dashboard shown), or none. */
void       _balise_dashboard_map_set_stops  (BaliseDashboardPage *self,
                                             GArray              *stops);
GtkWidget *_balise_dashboard_map_swatch_new (BaliseFreshness      freshness);

G_END_DECLS
