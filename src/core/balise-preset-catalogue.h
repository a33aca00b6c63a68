/* balise-preset-catalogue.h: every preset, by category, searchable
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-preset.h"

G_BEGIN_DECLS

#define BALISE_TYPE_PRESET_CATALOGUE (balise_preset_catalogue_get_type ())

G_DECLARE_FINAL_TYPE (BalisePresetCatalogue, balise_preset_catalogue, BALISE, PRESET_CATALOGUE, GObject)

BalisePresetCatalogue *balise_preset_catalogue_new              (const char             *domain);
gboolean               balise_preset_catalogue_load_directory   (BalisePresetCatalogue  *self,
                                                                 const char             *path,
                                                                 GError                **error);
void                   balise_preset_catalogue_load_async       (BalisePresetCatalogue  *self,
                                                                 const char             *path,
                                                                 GCancellable           *cancellable,
                                                                 GAsyncReadyCallback     callback,
                                                                 gpointer                user_data);
gboolean               balise_preset_catalogue_load_finish      (BalisePresetCatalogue  *self,
                                                                 GAsyncResult           *result,
                                                                 GError                **error);
gboolean               balise_preset_catalogue_load_data        (BalisePresetCatalogue  *self,
                                                                 const char             *name,
                                                                 const char             *data,
                                                                 gssize                  length,
                                                                 GError                **error);
GPtrArray             *balise_preset_catalogue_get_presets      (BalisePresetCatalogue  *self);
guint                  balise_preset_catalogue_get_n_categories (BalisePresetCatalogue  *self);
const char            *balise_preset_catalogue_get_category_id  (BalisePresetCatalogue  *self,
                                                                 guint                   index);
const char            *balise_preset_catalogue_get_category_name (BalisePresetCatalogue *self,
                                                                  guint                  index);
const char            *balise_preset_catalogue_get_category_icon (BalisePresetCatalogue *self,
                                                                  guint                  index);
BalisePreset          *balise_preset_catalogue_lookup           (BalisePresetCatalogue  *self,
                                                                 const char             *id);
GPtrArray             *balise_preset_catalogue_search           (BalisePresetCatalogue  *self,
                                                                 const char             *text,
                                                                 guint                   limit);
BalisePreset          *balise_preset_catalogue_match_tags       (BalisePresetCatalogue  *self,
                                                                 BaliseTags             *tags);

BalisePreset          *balise_preset_catalogue_match_element    (BalisePresetCatalogue  *self,
                                                                 BaliseTags             *tags);

G_END_DECLS
