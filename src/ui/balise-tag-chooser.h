/* balise-tag-chooser.h: a conflict decided key by key
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store-conflicts.h"
#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_TAG_CHOOSER (balise_tag_chooser_get_type ())

G_DECLARE_FINAL_TYPE (BaliseTagChooser, balise_tag_chooser, BALISE, TAG_CHOOSER, AdwWindow)

/* Shows each key of @conflict changed both ways with its base, mine and
 * theirs; Apply emits "decided" with the keys where mine wins and whether
 * my position wins. */
GtkWidget  *balise_tag_chooser_new      (GtkWindow        *parent,
                                         BaliseConflict   *conflict);
const char *balise_tag_chooser_get_uuid (BaliseTagChooser *self);
/* The radio button that keeps mine (@mine) or theirs for @key. */
GtkWidget  *balise_tag_chooser_get_choice (BaliseTagChooser *self,
                                           const char       *key,
                                           gboolean          mine);

G_END_DECLS
