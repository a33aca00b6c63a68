/* balise-tags-diff.c: what an edit changes in an element's tags
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-tags"

#include "config.h"

#include <string.h>

#include "balise-tags-diff.h"

void
balise_tag_change_free (BaliseTagChange *change)
{
  if (change == NULL)
    return;
  g_free (change->key);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

static BaliseTagChange *
tag_change_new (BaliseTagChangeKind  kind,
                const char          *key,
                const char          *old_value,
                const char          *new_value)
{
  BaliseTagChange *change = g_new0 (BaliseTagChange, 1);

  change->kind = kind;
  change->key = g_strdup (key);
  change->old_value = g_strdup (old_value);
  change->new_value = g_strdup (new_value);
  return change;
}

static int
compare_changes (gconstpointer a,
                 gconstpointer b)
{
  const BaliseTagChange *ca = *(BaliseTagChange * const *) a;
  const BaliseTagChange *cb = *(BaliseTagChange * const *) b;

  return strcmp (ca->key, cb->key);
}

GPtrArray *
balise_tags_diff (const BaliseTags *base,
                  const BaliseTags *result)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_tag_change_free);
  guint n_base = base ? balise_tags_get_size (base) : 0;
  guint n_result = result ? balise_tags_get_size (result) : 0;

  for (guint i = 0; i < n_base; i++)
    {
      const char *key = balise_tags_get_key (base, i);
      const char *old_value = balise_tags_get_value (base, i);
      const char *new_value = result ? balise_tags_lookup (result, key) : NULL;

      if (new_value == NULL)
        g_ptr_array_add (changes, tag_change_new (BALISE_TAG_REMOVED, key, old_value, NULL));
      else if (!g_str_equal (old_value, new_value))
        g_ptr_array_add (changes, tag_change_new (BALISE_TAG_CHANGED, key, old_value, new_value));
    }

  for (guint i = 0; i < n_result; i++)
    {
      const char *key = balise_tags_get_key (result, i);

      if (base == NULL || balise_tags_lookup (base, key) == NULL)
        g_ptr_array_add (changes, tag_change_new (BALISE_TAG_ADDED, key, NULL,
                                                  balise_tags_get_value (result, i)));
    }

  g_ptr_array_sort (changes, compare_changes);
  return changes;
}
