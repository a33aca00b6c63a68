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
const char *balise_osm_category_for_tags (BaliseTags *tags);

G_END_DECLS
