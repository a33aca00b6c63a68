/* balise-tag-merge.c: three-way merge of an element's tags and position
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-tags"

#include "config.h"

#include <math.h>

#include "balise-tag-merge.h"

void
balise_tag_conflict_free (BaliseTagConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->key);
  g_free (conflict->base);
  g_free (conflict->ours);
  g_free (conflict->theirs);
  g_free (conflict);
}

static const char *
lookup (const BaliseTags *tags,
        const char       *key)
{
  return tags != NULL ? balise_tags_lookup (tags, key) : NULL;
}

static void
add_keys (GPtrArray        *keys,
          GHashTable       *seen,
          const BaliseTags *tags)
{
  if (tags == NULL)
    return;

  for (guint i = 0; i < balise_tags_get_size (tags); i++)
    {
      const char *key = balise_tags_get_key (tags, i);

      if (g_hash_table_add (seen, (gpointer) key))
        g_ptr_array_add (keys, (gpointer) key);
    }
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
set_or_remove (BaliseTags *tags,
               const char *key,
               const char *value)
{
  if (value != NULL)
    balise_tags_set (tags, key, value);
  else
    balise_tags_remove (tags, key);
}

/* Merges every key; conflicting keys take ours when @keep_mine lists them
 * (or always when @all_mine), theirs otherwise. */
static gboolean
merge (const BaliseTags   *base,
       const BaliseTags   *ours,
       const BaliseTags   *theirs,
       const char * const *keep_mine,
       BaliseTags        **merged_out,
       GPtrArray         **conflicts_out)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(BaliseTags) merged = balise_tags_new ();
  g_autoptr(GPtrArray) conflicts = NULL;

  conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_tag_conflict_free);

  add_keys (keys, seen, base);
  add_keys (keys, seen, ours);
  add_keys (keys, seen, theirs);
  g_ptr_array_sort (keys, compare_keys);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const char *b = lookup (base, key);
      const char *o = lookup (ours, key);
      const char *t = lookup (theirs, key);

      if (g_strcmp0 (o, t) == 0)
        set_or_remove (merged, key, o);
      else if (base != NULL && g_strcmp0 (o, b) == 0)
        set_or_remove (merged, key, t);     /* only theirs changed it */
      else if (base != NULL && g_strcmp0 (t, b) == 0)
        set_or_remove (merged, key, o);     /* only ours changed it */
      else
        {
          BaliseTagConflict *conflict = g_new0 (BaliseTagConflict, 1);

          conflict->key = g_strdup (key);
          conflict->base = g_strdup (b);
          conflict->ours = g_strdup (o);
          conflict->theirs = g_strdup (t);
          g_ptr_array_add (conflicts, conflict);

          if (keep_mine != NULL && g_strv_contains (keep_mine, key))
            set_or_remove (merged, key, o);
          else
            set_or_remove (merged, key, t);
        }
    }

  if (merged_out != NULL)
    *merged_out = g_steal_pointer (&merged);
  if (conflicts_out != NULL)
    *conflicts_out = g_ptr_array_ref (conflicts);
  return conflicts->len == 0;
}

gboolean
balise_tags_merge3 (const BaliseTags  *base,
                    const BaliseTags  *ours,
                    const BaliseTags  *theirs,
                    BaliseTags       **merged,
                    GPtrArray        **conflicts)
{
  return merge (base, ours, theirs, NULL, merged, conflicts);
}

BaliseTags *
balise_tags_merge3_decide (const BaliseTags   *base,
                           const BaliseTags   *ours,
                           const BaliseTags   *theirs,
                           const char * const *keep_mine)
{
  BaliseTags *merged = NULL;

  merge (base, ours, theirs, keep_mine, &merged, NULL);
  return merged;
}

static gboolean
same_place (double lat_a,
            double lon_a,
            double lat_b,
            double lon_b)
{
  return fabs (lat_a - lat_b) < 1e-7 && fabs (lon_a - lon_b) < 1e-7;
}

gboolean
balise_position_merge3 (double  base_lat,
                        double  base_lon,
                        double  our_lat,
                        double  our_lon,
                        double  their_lat,
                        double  their_lon,
                        double *lat,
                        double *lon)
{
  gboolean known_base = !isnan (base_lat) && !isnan (base_lon);

  g_return_val_if_fail (lat != NULL && lon != NULL, FALSE);

  if (same_place (our_lat, our_lon, their_lat, their_lon) ||
      (known_base && same_place (our_lat, our_lon, base_lat, base_lon)))
    {
      /* Nobody moved it, both moved it alike, or only theirs moved it. */
      *lat = their_lat;
      *lon = their_lon;
      return TRUE;
    }

  if (known_base && same_place (their_lat, their_lon, base_lat, base_lon))
    {
      *lat = our_lat;
      *lon = our_lon;
      return TRUE;
    }

  *lat = their_lat;
  *lon = their_lon;
  return FALSE;
}
