/* balise-freshness-layer.h: bus stops on the map, coloured by how recently
 * they were confirmed (check_date)
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-dashboard.h"
#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_FRESHNESS_LAYER (balise_freshness_layer_get_type ())

G_DECLARE_FINAL_TYPE (BaliseFreshnessLayer, balise_freshness_layer, BALISE, FRESHNESS_LAYER, ShumateLayer)

ShumateLayer *balise_freshness_layer_new       (ShumateViewport      *viewport);
/* @stops: BaliseStopCheck elements (the layer keeps a reference), or NULL. */
void          balise_freshness_layer_set_stops (BaliseFreshnessLayer *self,
                                                GArray               *stops);
GArray       *balise_freshness_layer_get_stops (BaliseFreshnessLayer *self);
/* How many stops of @freshness the layer holds. */
guint         balise_freshness_layer_get_count (BaliseFreshnessLayer *self,
                                                BaliseFreshness       freshness);
/* How many it drew in its last frame (those in view). */
guint         balise_freshness_layer_get_n_drawn (BaliseFreshnessLayer *self);
/* The colour of @freshness on the map and in its legend: the same in light
 * and dark mode, as the map under it does not change. */
void          balise_freshness_get_color       (BaliseFreshness       freshness,
                                                GdkRGBA              *color);

G_END_DECLS
