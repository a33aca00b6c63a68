/* balise-category.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-category"

#include "config.h"

#include "balise-category.h"

typedef struct
{
  const char *key;
  const char *value;     /* NULL: any value */
  const char *category;
} Rule;

/* First match wins: the most specific rules come first. */
static const Rule rules[] = {
  { "highway", "bus_stop", "bus_stop" },
  { "public_transport", "platform", "bus_stop" },
  { "public_transport", "stop_position", "stop_position" },
  { "amenity", "shelter", "shelter" },
  { "emergency", "defibrillator", "defibrillator" },
  { "amenity", "drinking_water", "drinking_water" },
  { "amenity", "toilets", "toilets" },
  { "amenity", "bench", "bench" },
  { "leisure", "picnic_table", "bench" },
  { "amenity", "waste_basket", "waste_basket" },
  { "amenity", "recycling", "recycling" },
  { "amenity", "food_bank", "food_bank" },
  { "social_facility", "food_bank", "food_bank" },
  { "amenity", "community_centre", "community_centre" },
  { "amenity", "library", "library" },
  { "amenity", "public_bookcase", "public_bookcase" },
  { "amenity", "social_facility", "social_facility" },
  { "amenity", "bicycle_parking", "bicycle_parking" },
  { "amenity", "charging_station", "charging_station" },
  { "amenity", "pharmacy", "pharmacy" },
  { "amenity", "post_box", "post_box" },
  { "internet_access", "wlan", "wifi" },
  { "highway", "street_lamp", "street_lamp" },
  { "kerb", NULL, "kerb" },
  { "amenity", NULL, "amenity" },
  { "shop", NULL, "shop" },
  { "tourism", NULL, "tourism" },
  { "leisure", NULL, "leisure" },
  { "railway", NULL, "railway" },
  { "highway", NULL, "road" },
  { "building", NULL, "building" },
  { "natural", "water", "water" },
  { "waterway", NULL, "water" },
  { "landuse", NULL, "landuse" },
  { "natural", NULL, "landuse" },
  { "place", NULL, "place" },
};

const char *
balise_osm_category_for_pairs (const char * const *pairs,
                               guint               n_pairs)
{
  guint best = G_N_ELEMENTS (rules);

  /* Each tag against the rules of its key: the rules of one key are in
   * order, so the first that matches is that key's best. */
  for (guint p = 0; p < n_pairs; p++)
    {
      const char *key = pairs[2 * p];
      const char *value = pairs[2 * p + 1];

      if (g_str_equal (value, "no"))
        continue;
      for (guint i = 0; i < best; i++)
        {
          if (rules[i].key[0] != key[0] || !g_str_equal (rules[i].key, key))
            continue;
          if (rules[i].value == NULL || g_str_equal (value, rules[i].value))
            {
              best = i;
              break;
            }
        }
    }

  return best < G_N_ELEMENTS (rules) ? rules[best].category : NULL;
}

const char *
balise_osm_category_for_tags (BaliseTags *tags)
{
  const char * const *pairs;
  guint n_pairs;

  if (tags == NULL)
    return NULL;

  pairs = balise_tags_get_pairs (tags, &n_pairs);
  return balise_osm_category_for_pairs (pairs, n_pairs);
}
