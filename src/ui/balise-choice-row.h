/* balise-choice-row.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_CHOICE_ROW (balise_choice_row_get_type ())

G_DECLARE_FINAL_TYPE (BaliseChoiceRow, balise_choice_row, BALISE, CHOICE_ROW, AdwPreferencesRow)

GtkWidget  *balise_choice_row_new        (const char      *title);
void        balise_choice_row_add_choice (BaliseChoiceRow *self,
                                          const char      *value,
                                          const char      *label);
const char *balise_choice_row_get_value  (BaliseChoiceRow *self);
void        balise_choice_row_set_value  (BaliseChoiceRow *self,
                                          const char      *value);
GtkWidget  *balise_choice_row_get_button (BaliseChoiceRow *self,
                                          const char      *value);

G_END_DECLS
