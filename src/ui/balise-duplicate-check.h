/* balise-duplicate-check.h: is what is being recorded already on the map?
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

#include "balise-preset.h"
#include "balise-store.h"
#include "balise-store-query.h"

G_BEGIN_DECLS

/* How far from the record a feature counts as the same one. */
#define BALISE_DUPLICATE_RADIUS_M 25.0

#define BALISE_TYPE_DUPLICATE_CHECK (balise_duplicate_check_get_type ())

G_DECLARE_FINAL_TYPE (BaliseDuplicateCheck, balise_duplicate_check, BALISE, DUPLICATE_CHECK, GtkWidget)

/* The nearest feature of @preset's kind within BALISE_DUPLICATE_RADIUS_M of
 * the position, or NULL (with no error) when there is none. */
BaliseFeature *balise_duplicate_check_find_same_kind (BaliseStore          *store,
                                                      double                latitude,
                                                      double                longitude,
                                                      BalisePreset         *preset,
                                                      GError              **error);

GtkWidget     *balise_duplicate_check_new            (void);
/* Where the record goes, and the store to look in. */
void           balise_duplicate_check_set_place      (BaliseDuplicateCheck *self,
                                                      BaliseStore          *store,
                                                      double                latitude,
                                                      double                longitude);
/* Looks for a feature near with the name or ref of @values (a form's
 * answers), not @editing (nullable), and shows a card about it, with "Edit
 * It Instead" when it is on the server. */
void           balise_duplicate_check_update         (BaliseDuplicateCheck *self,
                                                      GHashTable           *values,
                                                      BaliseFeature        *editing);
/* Hides the card and forgets what it found. */
void           balise_duplicate_check_clear          (BaliseDuplicateCheck *self);
/* Returns: (transfer none) (nullable): the feature the card is about */
BaliseFeature *balise_duplicate_check_get_found      (BaliseDuplicateCheck *self);

/* For tests: the card's text and its button. */
GtkWidget     *balise_duplicate_check_get_label      (BaliseDuplicateCheck *self);
GtkWidget     *balise_duplicate_check_get_button     (BaliseDuplicateCheck *self);

G_END_DECLS
