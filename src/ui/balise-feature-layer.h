/* balise-feature-layer.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "balise-store.h"

G_BEGIN_DECLS

#define BALISE_TYPE_FEATURE_LAYER (balise_feature_layer_get_type ())

G_DECLARE_FINAL_TYPE (BaliseFeatureLayer, balise_feature_layer, BALISE, FEATURE_LAYER, ShumateLayer)

BaliseFeatureLayer *balise_feature_layer_new          (ShumateViewport    *viewport,
                                                       BaliseStore        *store);
guint               balise_feature_layer_get_n_drawn  (BaliseFeatureLayer *self);

G_END_DECLS
