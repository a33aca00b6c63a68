/* balise-preset-chooser.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

#include "balise-preset-catalogue.h"

G_BEGIN_DECLS

#define BALISE_TYPE_PRESET_CHOOSER (balise_preset_chooser_get_type ())

G_DECLARE_FINAL_TYPE (BalisePresetChooser, balise_preset_chooser, BALISE, PRESET_CHOOSER, GtkWidget)

GtkWidget *balise_preset_chooser_new              (BalisePresetCatalogue *catalogue);
void       balise_preset_chooser_set_recent       (BalisePresetChooser   *self,
                                                   const char * const    *ids);
void       balise_preset_chooser_set_kind         (BalisePresetChooser   *self,
                                                   BalisePresetKind       kind);
GtkWidget *balise_preset_chooser_get_search_entry (BalisePresetChooser   *self);
GtkWidget *balise_preset_chooser_get_row          (BalisePresetChooser   *self,
                                                   const char            *id);
GtkWidget *balise_preset_chooser_get_first_result (BalisePresetChooser   *self);

G_END_DECLS
