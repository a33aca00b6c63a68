/* balise-feature-sheet.h: the features of a view drawn once, panned for free
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "balise-store-query.h"

G_BEGIN_DECLS

typedef struct _BaliseFeatureSheet BaliseFeatureSheet;

/* A cluster as drawn: its disc in the widget, and the cell it counts. */
typedef struct
{
  double x;
  double y;
  double radius;
  guint  count;
  double lat;               /* the mean of its features */
  double lon;
  double west;
  double south;
  double east;
  double north;
} BaliseSheetCluster;

/* The marker image of @feature, owned by the caller's cache. */
typedef cairo_surface_t *(*BaliseFeatureMarkerFunc) (const BaliseFeature *feature,
                                                     gpointer             user_data);

BaliseFeatureSheet *balise_feature_sheet_new        (guint                    limit,
                                                     BaliseFeatureMarkerFunc  marker,
                                                     gpointer                 user_data);
void                balise_feature_sheet_free       (BaliseFeatureSheet      *self);
void                balise_feature_sheet_invalidate (BaliseFeatureSheet      *self);

/* Appends the markers of the features in view of @widget (a layer over
 * @viewport), or their clusters, to @snapshot, drawing them again only when
 * the view has left the sheet, the zoom changed, or the sheet was
 * invalidated. Returns how many markers or clusters are in view, and in
 * @total_in_view how many features they stand for. */
guint               balise_feature_sheet_snapshot   (BaliseFeatureSheet      *self,
                                                     GtkWidget               *widget,
                                                     ShumateViewport         *viewport,
                                                     BaliseStore             *store,
                                                     gboolean                 clusters,
                                                     GtkSnapshot             *snapshot,
                                                     guint                   *total_in_view);

GArray             *balise_feature_sheet_get_clusters (BaliseFeatureSheet  *self,
                                                       GtkWidget           *widget,
                                                       ShumateViewport     *viewport);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseFeatureSheet, balise_feature_sheet_free)

G_END_DECLS
