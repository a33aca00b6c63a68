/* balise-preset.h: a kind of thing a volunteer records, and its form
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-note.h"
#include "balise-preset-field.h"
#include "balise-tags.h"

G_BEGIN_DECLS

typedef enum
{
  BALISE_PRESET_ELEMENT,   /* becomes an OSM node with the preset's tags */
  BALISE_PRESET_NOTE,      /* a fault: becomes an OSM note with generated text */
} BalisePresetKind;


#define BALISE_TYPE_PRESET (balise_preset_get_type ())

G_DECLARE_FINAL_TYPE (BalisePreset, balise_preset, BALISE, PRESET, GObject)

BalisePreset      *balise_preset_new_from_json          (JsonObject      *object,
                                                         const char      *category,
                                                         GHashTable      *shared_fields,
                                                         const char      *domain,
                                                         GError         **error);
const char        *balise_preset_get_id                 (BalisePreset    *self);
const char        *balise_preset_get_name               (BalisePreset    *self);
const char        *balise_preset_get_name_untranslated  (BalisePreset    *self);
const char        *balise_preset_get_terms              (BalisePreset    *self);
const char        *balise_preset_get_icon_name          (BalisePreset    *self);
const char        *balise_preset_get_category           (BalisePreset    *self);
BalisePresetKind   balise_preset_get_kind               (BalisePreset    *self);
const char        *balise_preset_get_note_category      (BalisePreset    *self);
BaliseTags        *balise_preset_get_tags               (BalisePreset    *self);
guint              balise_preset_get_n_fields           (BalisePreset    *self);
BalisePresetField *balise_preset_get_field              (BalisePreset    *self,
                                                         guint            index);
BalisePresetField *balise_preset_lookup_field           (BalisePreset    *self,
                                                         const char      *key);
guint              balise_preset_match_tags             (BalisePreset    *self,
                                                         BaliseTags      *tags);
gboolean           balise_preset_apply_values           (BalisePreset    *self,
                                                         BaliseTags      *tags,
                                                         GHashTable      *values,
                                                         GError         **error);
BaliseTags        *balise_preset_build_tags             (BalisePreset    *self,
                                                         GHashTable      *values,
                                                         GError         **error);
GHashTable        *balise_preset_values_from_tags       (BalisePreset    *self,
                                                         BaliseTags      *tags);
char              *balise_preset_build_note_text        (BalisePreset    *self,
                                                         GHashTable      *values,
                                                         BaliseOsmType    osm_type,
                                                         gint64           osm_id,
                                                         const char      *site_url,
                                                         GError         **error);

G_END_DECLS
