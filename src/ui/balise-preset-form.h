/* balise-preset-form.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

#include "balise-preset.h"

G_BEGIN_DECLS

#define BALISE_TYPE_PRESET_FORM (balise_preset_form_get_type ())

G_DECLARE_FINAL_TYPE (BalisePresetForm, balise_preset_form, BALISE, PRESET_FORM, GtkWidget)

GtkWidget    *balise_preset_form_new               (BalisePreset     *preset,
                                                    GHashTable       *values);
BalisePreset *balise_preset_form_get_preset        (BalisePresetForm *self);
GHashTable   *balise_preset_form_get_values        (BalisePresetForm *self);
gboolean      balise_preset_form_check             (BalisePresetForm *self,
                                                    GError          **error);
GtkWidget    *balise_preset_form_get_field_widget  (BalisePresetForm *self,
                                                    const char       *key);
GtkWidget    *balise_preset_form_get_error_label   (BalisePresetForm *self,
                                                    const char       *key);
GtkWidget    *balise_preset_form_get_option_button (BalisePresetForm *self,
                                                    const char       *key,
                                                    const char       *value);
void          balise_preset_form_set_extra         (BalisePresetForm *self,
                                                    const char       *title,
                                                    GtkWidget        *child);
GtkWidget    *balise_preset_form_get_page          (BalisePresetForm *self);
/* Shows or hides "Discard This Record" (a form of a new record has it). */
void          balise_preset_form_set_can_discard   (BalisePresetForm *self,
                                                    gboolean          can_discard);

G_END_DECLS
