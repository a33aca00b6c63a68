/* balise-changeset-summary.c: a changeset comment and its credits
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-summary"

#include "config.h"

#include <math.h>
#include <string.h>

#include "balise-category.h"
#include "balise-changeset-summary.h"
#include "balise-store-private.h"
#include "balise-tags-diff.h"

#define MAX_PARTS 4

typedef struct
{
  const char *category;
  const char *one;
  const char *many;
} Noun;

static const Noun nouns[] = {
  { "bus_stop", "bus stop", "bus stops" },
  { "stop_position", "stop position", "stop positions" },
  { "shelter", "shelter", "shelters" },
  { "defibrillator", "defibrillator", "defibrillators" },
  { "drinking_water", "drinking water tap", "drinking water taps" },
  { "toilets", "toilets", "toilets" },
  { "bench", "bench", "benches" },
  { "waste_basket", "waste basket", "waste baskets" },
  { "recycling", "recycling point", "recycling points" },
  { "food_bank", "food bank", "food banks" },
  { "community_centre", "community centre", "community centres" },
  { "library", "library", "libraries" },
  { "public_bookcase", "public bookcase", "public bookcases" },
  { "social_facility", "social facility", "social facilities" },
  { "bicycle_parking", "bicycle parking", "bicycle parkings" },
  { "charging_station", "charging station", "charging stations" },
  { "pharmacy", "pharmacy", "pharmacies" },
  { "post_box", "post box", "post boxes" },
  { "wifi", "Wi-Fi hotspot", "Wi-Fi hotspots" },
  { "street_lamp", "street lamp", "street lamps" },
  { "kerb", "kerb", "kerbs" },
  { "shop", "shop", "shops" },
  { "amenity", "amenity", "amenities" },
  { "tourism", "tourism feature", "tourism features" },
  { "leisure", "leisure feature", "leisure features" },
};

static const Noun other_noun = { NULL, "feature", "features" };

static const Noun *
noun_for (const char *category)
{
  for (guint i = 0; category != NULL && i < G_N_ELEMENTS (nouns); i++)
    if (g_str_equal (nouns[i].category, category))
      return &nouns[i];
  return &other_noun;
}

/* What an edit did, as the comment says it. */
static const char *
edit_verb (BaliseEdit *edit)
{
  g_autoptr(GPtrArray) diff = NULL;

  switch (edit->kind)
    {
    case BALISE_EDIT_CREATE:
      return "added";
    case BALISE_EDIT_DELETE:
      return "removed";
    case BALISE_EDIT_MODIFY:
      diff = balise_tags_diff (edit->base_tags, edit->new_tags);
      if (diff->len == 0)
        return "moved";
      if (diff->len == 1 &&
          g_str_equal (((BaliseTagChange *) g_ptr_array_index (diff, 0))->key, "check_date"))
        return "confirmed";
      return "updated";
    case BALISE_EDIT_NOTE:
    default:
      return NULL;
    }
}

typedef struct
{
  const Noun *noun;
  const char *verb;
  guint       count;
} Part;

static int
compare_parts (gconstpointer a,
               gconstpointer b)
{
  const Part *pa = a;
  const Part *pb = b;
  int by_noun;

  if (pa->count != pb->count)
    return pa->count > pb->count ? -1 : 1;
  by_noun = g_strcmp0 (pa->noun->many, pb->noun->many);
  return by_noun != 0 ? by_noun : g_strcmp0 (pa->verb, pb->verb);
}

static void
append_list_separator (GString *text,
                       guint    index,
                       guint    count)
{
  if (index == 0)
    return;
  g_string_append (text, index == count - 1 ? " and " : ", ");
}

/* Cuts @text to at most @max bytes at a word boundary, never inside a
 * UTF-8 character. */
static void
truncate_words (GString *text,
                gsize    max)
{
  gsize cut;

  if (text->len <= max)
    return;
  cut = max - 3;
  while (cut > 0 && text->str[cut] != ' ')
    cut--;
  if (cut == 0)
    cut = (gsize) (g_utf8_find_prev_char (text->str, text->str + max - 2) - text->str);
  g_string_truncate (text, cut);
  g_string_append (text, "…");
}

char *
balise_changeset_summary (GPtrArray          *edits,
                          const char * const *areas)
{
  g_autoptr(GArray) parts = g_array_new (FALSE, FALSE, sizeof (Part));
  GString *text = g_string_new (NULL);
  guint shown;
  guint rest = 0;
  guint n_areas;

  g_return_val_if_fail (edits != NULL, NULL);

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);
      const char *verb = edit_verb (edit);
      const Noun *noun;
      gboolean found = FALSE;

      if (verb == NULL)
        continue;
      noun = noun_for (balise_osm_category_for_tags (edit->new_tags ? edit->new_tags
                                                                    : edit->base_tags));
      for (guint j = 0; j < parts->len && !found; j++)
        {
          Part *part = &g_array_index (parts, Part, j);

          if (part->noun == noun && part->verb == verb)
            {
              part->count++;
              found = TRUE;
            }
        }
      if (!found)
        {
          Part part = { noun, verb, 1 };

          g_array_append_val (parts, part);
        }
    }

  if (parts->len == 0)
    return g_string_free (text, FALSE);

  g_array_sort (parts, compare_parts);
  shown = MIN (parts->len, MAX_PARTS);
  for (guint i = shown; i < parts->len; i++)
    rest += g_array_index (parts, Part, i).count;

  for (guint i = 0; i < shown; i++)
    {
      Part *part = &g_array_index (parts, Part, i);

      append_list_separator (text, i, shown + (rest > 0 ? 1 : 0));
      g_string_append_printf (text, "%u %s %s", part->count,
                              part->count == 1 ? part->noun->one : part->noun->many, part->verb);
    }
  if (rest > 0)
    g_string_append_printf (text, " and %u other change%s", rest, rest == 1 ? "" : "s");

  n_areas = areas ? g_strv_length ((char **) areas) : 0;
  if (n_areas > 0)
    {
      g_string_append_printf (text, " in %s", areas[0]);
      if (n_areas == 2)
        g_string_append_printf (text, " and %s", areas[1]);
      else if (n_areas > 2)
        g_string_append_printf (text, ", %s and %u other place%s", areas[1], n_areas - 2,
                                n_areas == 3 ? "" : "s");
    }

  truncate_words (text, BALISE_CHANGESET_COMMENT_MAX);
  return g_string_free (text, FALSE);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

GStrv
balise_changeset_credits (GPtrArray *edits)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (edits != NULL, NULL);

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);
      const char *people[] = { edit->contributor, edit->edited_by };

      for (guint j = 0; j < G_N_ELEMENTS (people); j++)
        {
          if (people[j] != NULL && *people[j] != '\0' && g_hash_table_add (seen, (char *) people[j]))
            g_ptr_array_add (names, g_strdup (people[j]));
        }
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/*
 * Places
 */

typedef struct
{
  char   *name;
  double  lat;
  double  lon;
  gboolean town;     /* city, town or village */
} Place;

static void
place_clear (Place *place)
{
  g_free (place->name);
}

GArray *
_balise_store_load_places (sqlite3  *db,
                           GError  **error)
{
  static const char * const towns[] = { "city", "town", "village", NULL };
  static const char * const locals[] = {
    "suburb", "quarter", "neighbourhood", "hamlet", NULL,
  };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) places = g_array_new (FALSE, TRUE, sizeof (Place));
  int rc;

  g_array_set_clear_func (places, (GDestroyNotify) place_clear);
  if (!_balise_store_prepare (db,
                              "SELECT name, tags, Y (geom), X (geom) FROM element "
                              "WHERE category = 'place' AND name IS NOT NULL AND geom IS NOT NULL",
                              &stmt, error))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(BaliseTags) tags = NULL;
      const char *type;
      Place place;

      tags = balise_tags_new_from_json ((const char *) sqlite3_column_text (stmt, 1), NULL);
      type = tags ? balise_tags_lookup (tags, "place") : NULL;
      if (type == NULL)
        continue;
      place.town = g_strv_contains (towns, type);
      if (!place.town && !g_strv_contains (locals, type))
        continue;
      place.name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      place.lat = sqlite3_column_double (stmt, 2);
      place.lon = sqlite3_column_double (stmt, 3);
      g_array_append_val (places, place);
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the places");
      return NULL;
    }
  return g_steal_pointer (&places);
}

static double
distance_m (double lat1,
            double lon1,
            double lat2,
            double lon2)
{
  double x = (lon2 - lon1) * cos ((lat1 + lat2) / 2 * G_PI / 180);
  double y = lat2 - lat1;

  return sqrt (x * x + y * y) * 111320.0;
}

const char *
_balise_places_nearest (GArray *places,
                        double  lat,
                        double  lon)
{
  const Place *best_town = NULL;
  const Place *best_local = NULL;
  double town_distance = 10000.0;
  double local_distance = 3000.0;

  for (guint i = 0; places != NULL && i < places->len; i++)
    {
      const Place *place = &g_array_index (places, Place, i);
      double d = distance_m (lat, lon, place->lat, place->lon);

      if (place->town && d < town_distance)
        {
          town_distance = d;
          best_town = place;
        }
      else if (!place->town && d < local_distance)
        {
          local_distance = d;
          best_local = place;
        }
    }
  if (best_town != NULL)
    return best_town->name;
  return best_local ? best_local->name : NULL;
}

char *
balise_store_find_area_name (BaliseStore *self,
                             double       lat,
                             double       lon)
{
  g_autoptr(GArray) places = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

  places = _balise_store_load_places (_balise_store_get_read_db (self), NULL);
  return g_strdup (_balise_places_nearest (places, lat, lon));
}

typedef struct
{
  const char *name;
  guint       count;
} AreaCount;

static int
compare_area_counts (gconstpointer a,
                     gconstpointer b)
{
  const AreaCount *ca = a;
  const AreaCount *cb = b;

  if (ca->count != cb->count)
    return ca->count > cb->count ? -1 : 1;
  return g_utf8_collate (ca->name, cb->name);
}

char *
balise_store_summarize_edits (BaliseStore *self,
                              GPtrArray   *edits)
{
  g_autoptr(GArray) places = NULL;
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (AreaCount));
  g_autoptr(GPtrArray) areas = g_ptr_array_new ();

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (edits != NULL, NULL);

  places = _balise_store_load_places (_balise_store_get_read_db (self), NULL);
  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);
      const char *name = _balise_places_nearest (places, edit->lat, edit->lon);
      gboolean found = FALSE;

      for (guint j = 0; name != NULL && j < counts->len && !found; j++)
        {
          AreaCount *count = &g_array_index (counts, AreaCount, j);

          if (g_str_equal (count->name, name))
            {
              count->count++;
              found = TRUE;
            }
        }
      if (name != NULL && !found)
        {
          AreaCount count = { name, 1 };

          g_array_append_val (counts, count);
        }
    }

  g_array_sort (counts, compare_area_counts);
  for (guint i = 0; i < counts->len; i++)
    g_ptr_array_add (areas, (gpointer) g_array_index (counts, AreaCount, i).name);
  g_ptr_array_add (areas, NULL);

  return balise_changeset_summary (edits, (const char * const *) areas->pdata);
}
