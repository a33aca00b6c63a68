/* balise-changeset-summary.h: a changeset comment and its credits, written
 * from the edits it carries
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"

G_BEGIN_DECLS

/* The longest changeset comment OSM takes (a tag value). */
#define BALISE_CHANGESET_COMMENT_MAX 255

/* What the edits do, in English as OSM's changeset comments are read by
 * mappers everywhere: "12 bus stops added and 3 shelters updated in
 * Beausoleil". Each edit counts as added, updated, confirmed (only its
 * check_date changed), moved or removed, per category; the largest counts
 * first, at most four, then "and N other changes". @areas: the place names
 * of the edits, most edits first, or NULL. At most 255 characters. */
char  *balise_changeset_summary      (GPtrArray    *edits,
                                      const char * const *areas);
/* The people to credit: every contributor, and every reviewer who changed
 * an edit (edited_by), sorted, each once. */
GStrv  balise_changeset_credits      (GPtrArray    *edits);

/* The name of the place nearest to the position, from the store's place
 * nodes: a city, town or village within 10 km first, else a suburb,
 * quarter, neighbourhood or hamlet within 3 km; NULL when there is none. */
char  *balise_store_find_area_name   (BaliseStore  *self,
                                      double        lat,
                                      double        lon);
/* balise_changeset_summary() with the areas of the edits found in the
 * store. */
char  *balise_store_summarize_edits  (BaliseStore  *self,
                                      GPtrArray    *edits);

G_END_DECLS
