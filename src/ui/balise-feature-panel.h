/* balise-feature-panel.h: the selected feature, and what can be done to it
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

#include "balise-preset-catalogue.h"
#include "balise-store-query.h"

G_BEGIN_DECLS

#define BALISE_TYPE_FEATURE_PANEL (balise_feature_panel_get_type ())

G_DECLARE_FINAL_TYPE (BaliseFeaturePanel, balise_feature_panel, BALISE, FEATURE_PANEL, GtkWidget)

GtkWidget     *balise_feature_panel_new           (BaliseStore           *store);
void           balise_feature_panel_set_catalogue (BaliseFeaturePanel    *self,
                                                   BalisePresetCatalogue *catalogue);
void           balise_feature_panel_set_feature   (BaliseFeaturePanel    *self,
                                                   BaliseFeature         *feature);
BaliseFeature *balise_feature_panel_get_feature   (BaliseFeaturePanel    *self);
void           balise_feature_panel_set_narrow    (BaliseFeaturePanel    *self,
                                                   gboolean               narrow);
gboolean       balise_feature_panel_get_narrow    (BaliseFeaturePanel    *self);
const char    *balise_feature_panel_get_title     (BaliseFeaturePanel    *self);
const char    *balise_feature_panel_get_status_text (BaliseFeaturePanel  *self);
const char    *balise_feature_panel_get_freshness (BaliseFeaturePanel    *self);
GtkWidget     *balise_feature_panel_get_button    (BaliseFeaturePanel    *self,
                                                   const char            *name);
/* The photos of the feature's latest edit, read-only. */
GtkWidget     *balise_feature_panel_get_photo_strip (BaliseFeaturePanel  *self);

/* "Confirmed 3 months ago", "Never confirmed"… from a check_date value and
 * today's date; NULL @check_date is never. */
char          *balise_feature_panel_describe_check_date (const char      *check_date,
                                                         GDate           *today);

G_END_DECLS
