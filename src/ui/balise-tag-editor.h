/* balise-tag-editor.h: the raw tag editor, of the review and of the map
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"
#include "balise-store-query.h"
#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_TAG_EDITOR (balise_tag_editor_get_type ())

G_DECLARE_FINAL_TYPE (BaliseTagEditor, balise_tag_editor, BALISE, TAG_EDITOR, AdwWindow)

/* Edits the tags of @edit as key=value lines; saving records the reviewer's
 * change (credited to the volunteer and, as edited_by, to @reviewer) and
 * emits "saved" with the new edit. */
GtkWidget  *balise_tag_editor_new      (GtkWindow        *parent,
                                        BaliseStore      *store,
                                        BaliseEdit       *edit,
                                        const char       *reviewer);
/* Edits the effective tags of @feature, on the map; saving records them as
 * one change by @contributor (balise_store_change_element_async) and emits
 * "saved" with the new edit. */
GtkWidget  *balise_tag_editor_new_for_feature (GtkWindow     *parent,
                                               BaliseStore   *store,
                                               BaliseFeature *feature,
                                               const char    *contributor);
void        balise_tag_editor_set_text (BaliseTagEditor  *self,
                                        const char       *text);
/* Parses key=value lines (blank lines are skipped) into tags; the error
 * names the line that is wrong. */
BaliseTags *balise_tag_editor_parse    (const char       *text,
                                        GError          **error);

G_END_DECLS
