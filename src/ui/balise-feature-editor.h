/* balise-feature-editor.h: the preset form of a feature that is on the map
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

#include "balise-preset.h"
#include "balise-store-query.h"
#include "balise-store.h"

G_BEGIN_DECLS

#define BALISE_TYPE_FEATURE_EDITOR (balise_feature_editor_get_type ())

G_DECLARE_FINAL_TYPE (BaliseFeatureEditor, balise_feature_editor, BALISE, FEATURE_EDITOR, AdwWindow)

/* The form of @preset, filled from @feature's effective tags. Save or
 * closing the window records the answers as one change of the element
 * (balise_store_change_element_async) and emits "saved"; Cancel drops
 * them. Tags the form does not show stay as they are. */
GtkWidget        *balise_feature_editor_new       (GtkWindow           *parent,
                                                   BaliseStore         *store,
                                                   BalisePreset        *preset,
                                                   BaliseFeature       *feature,
                                                   const char          *contributor);
BalisePresetForm *balise_feature_editor_get_form  (BaliseFeatureEditor *self);
void              balise_feature_editor_save      (BaliseFeatureEditor *self);
gboolean          balise_feature_editor_is_busy   (BaliseFeatureEditor *self);
GtkWidget        *balise_feature_editor_get_error_label (BaliseFeatureEditor *self);

G_END_DECLS
