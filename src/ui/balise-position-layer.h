/* balise-position-layer.h: where the volunteer is, and how sure that is
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define BALISE_TYPE_POSITION_LAYER (balise_position_layer_get_type ())

G_DECLARE_FINAL_TYPE (BalisePositionLayer, balise_position_layer, BALISE, POSITION_LAYER, ShumateLayer)

BalisePositionLayer *balise_position_layer_new           (ShumateViewport     *viewport);
void                 balise_position_layer_set_fix       (BalisePositionLayer *self,
                                                          double               latitude,
                                                          double               longitude,
                                                          double               accuracy_m);
void                 balise_position_layer_clear_fix     (BalisePositionLayer *self);
gboolean             balise_position_layer_get_has_fix   (BalisePositionLayer *self);
gboolean             balise_position_layer_get_fix       (BalisePositionLayer *self,
                                                          double              *latitude,
                                                          double              *longitude);
/* The radius of the accuracy circle in the last frame, in pixels. */
double               balise_position_layer_get_drawn_radius (BalisePositionLayer *self);

G_END_DECLS
