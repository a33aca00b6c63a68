/* balise-category.h: what kind of thing an element is, for the map and lists
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-tags.h"

G_BEGIN_DECLS

/* Returns a stable category id ("bus_stop", "bench", "toilets", …) for a
 * feature a volunteer may edit, "road", "building", "water", "landuse",
 * "railway" for basemap ways, or NULL when the element is neither. */
const char *balise_osm_category_for_tags  (BaliseTags          *tags);

/* The same for tags given as key, value, key, value… with unique keys, in
 * any order: what an importer has before it builds a BaliseTags. */
const char *balise_osm_category_for_pairs (const char * const *pairs,
                                           guint               n_pairs);

G_END_DECLS
