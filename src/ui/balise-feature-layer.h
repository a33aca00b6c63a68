/* balise-feature-layer.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "balise-store.h"
#include "balise-feature-sheet.h"
#include "balise-store-query.h"

G_BEGIN_DECLS

#define BALISE_TYPE_FEATURE_LAYER (balise_feature_layer_get_type ())

G_DECLARE_FINAL_TYPE (BaliseFeatureLayer, balise_feature_layer, BALISE, FEATURE_LAYER, ShumateLayer)

BaliseFeatureLayer *balise_feature_layer_new          (ShumateViewport    *viewport,
                                                       BaliseStore        *store);
guint               balise_feature_layer_get_n_drawn  (BaliseFeatureLayer *self);
guint               balise_feature_layer_get_cluster_total (BaliseFeatureLayer *self);
GArray             *balise_feature_layer_get_clusters (BaliseFeatureLayer *self);
BaliseFeature      *balise_feature_layer_pick         (BaliseFeatureLayer *self,
                                                       double              x,
                                                       double              y);
gboolean            balise_feature_layer_select_next  (BaliseFeatureLayer *self,
                                                       double              dx,
                                                       double              dy);
BaliseFeature      *balise_feature_layer_get_selected (BaliseFeatureLayer *self);
void                balise_feature_layer_set_selected (BaliseFeatureLayer *self,
                                                       BaliseFeature      *feature);
GdkTexture         *balise_feature_layer_get_marker_texture (BaliseFeatureLayer  *self,
                                                             const char          *category,
                                                             BaliseFeatureStatus  status);

G_END_DECLS
