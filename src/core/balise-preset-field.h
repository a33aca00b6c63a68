/* balise-preset-field.h: one question of a preset's form
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "balise-core-types.h"

G_BEGIN_DECLS

#define BALISE_PRESET_ERROR (balise_preset_error_quark ())

typedef enum
{
  BALISE_PRESET_ERROR_INVALID_FILE,   /* a preset file that is not what Balise expects */
  BALISE_PRESET_ERROR_UNKNOWN_TYPE,   /* a field type Balise does not know */
  BALISE_PRESET_ERROR_REQUIRED,       /* a required field left empty */
  BALISE_PRESET_ERROR_INVALID_VALUE,  /* an answer that breaks the field's or OSM's rules */
  BALISE_PRESET_ERROR_NOT_FOUND,
} BalisePresetError;

typedef enum
{
  BALISE_PRESET_FIELD_TEXT,
  BALISE_PRESET_FIELD_NUMBER,
  BALISE_PRESET_FIELD_CHECK,          /* yes / no (or its own answers) / unknown */
  BALISE_PRESET_FIELD_COMBO,
  BALISE_PRESET_FIELD_MULTI_COMBO,    /* values joined with ";" */
  BALISE_PRESET_FIELD_OPENING_HOURS,
  BALISE_PRESET_FIELD_DATE,           /* YYYY-MM-DD */
} BalisePresetFieldType;

#define BALISE_TYPE_PRESET_FIELD (balise_preset_field_get_type ())

G_DECLARE_FINAL_TYPE (BalisePresetField, balise_preset_field, BALISE, PRESET_FIELD, GObject)

GQuark                 balise_preset_error_quark              (void);

BalisePresetField     *balise_preset_field_new_from_json      (JsonObject          *object,
                                                               const char          *domain,
                                                               GError             **error);
const char            *balise_preset_field_get_key            (BalisePresetField   *self);
BalisePresetFieldType  balise_preset_field_get_field_type     (BalisePresetField   *self);
gboolean               balise_preset_field_get_required       (BalisePresetField   *self);
gboolean               balise_preset_field_get_custom         (BalisePresetField   *self);
gboolean               balise_preset_field_is_prefix          (BalisePresetField   *self);
const char            *balise_preset_field_get_label          (BalisePresetField   *self);
const char            *balise_preset_field_get_label_untranslated (BalisePresetField *self);
const char            *balise_preset_field_get_placeholder    (BalisePresetField   *self);
guint                  balise_preset_field_get_n_options      (BalisePresetField   *self);
const char            *balise_preset_field_get_option_value   (BalisePresetField   *self,
                                                               guint                index);
const char            *balise_preset_field_get_option_label   (BalisePresetField   *self,
                                                               guint                index);
const char            *balise_preset_field_lookup_option_label (BalisePresetField  *self,
                                                                const char         *value);
gboolean               balise_preset_field_get_range          (BalisePresetField   *self,
                                                               double              *min,
                                                               double              *max);
char                  *balise_preset_field_normalize          (BalisePresetField   *self,
                                                               const char          *value,
                                                               GError             **error);

const char            *balise_preset_field_type_to_string     (BalisePresetFieldType type);
gboolean               balise_preset_field_type_from_string   (const char          *str,
                                                               BalisePresetFieldType *type);

G_END_DECLS
