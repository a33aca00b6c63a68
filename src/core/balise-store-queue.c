/* balise-store-queue.c: the review queue, grouped
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include <string.h>

#include "balise-category.h"
#include "balise-store-private.h"
#include "balise-store-queue.h"

void
balise_queue_group_free (BaliseQueueGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->label);
  g_clear_pointer (&group->edits, g_ptr_array_unref);
  g_free (group);
}

static const char *
edit_category (BaliseEdit *edit)
{
  const char *category = balise_osm_category_for_tags (edit->new_tags ? edit->new_tags
                                                                      : edit->base_tags);

  return category ? category : "other";
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
matches (BaliseEdit *edit,
         const char *folded_search)
{
  BaliseTags *tags = edit->new_tags ? edit->new_tags : edit->base_tags;

  if (folded_search == NULL)
    return TRUE;
  return contains_casefold (tags ? balise_tags_lookup (tags, "name") : NULL, folded_search) ||
         contains_casefold (tags ? balise_tags_lookup (tags, "ref") : NULL, folded_search) ||
         contains_casefold (edit->contributor, folded_search) ||
         contains_casefold (edit_category (edit), folded_search) ||
         contains_casefold (edit->uuid, folded_search);
}

static char *
group_label (BaliseEdit          *edit,
             BaliseQueueGrouping  grouping,
             GArray              *places)
{
  const char *area;

  switch (grouping)
    {
    case BALISE_QUEUE_BY_CONTRIBUTOR:
      return g_strdup (edit->contributor ? edit->contributor : "");
    case BALISE_QUEUE_BY_DAY:
      if (edit->created_at != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (edit->created_at);

          return g_date_time_format (local, "%Y-%m-%d");
        }
      return g_strdup ("");
    case BALISE_QUEUE_BY_CATEGORY:
      return g_strdup (edit_category (edit));
    case BALISE_QUEUE_BY_AREA:
    default:
      area = _balise_places_nearest (places, edit->lat, edit->lon);
      return area ? g_strdup (area) : g_strdup_printf ("%.2f, %.2f", edit->lat, edit->lon);
    }
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const BaliseQueueGroup *ga = *(BaliseQueueGroup * const *) a;
  const BaliseQueueGroup *gb = *(BaliseQueueGroup * const *) b;

  return g_utf8_collate (ga->label, gb->label);
}

static int
compare_groups_newest_first (gconstpointer a,
                             gconstpointer b)
{
  return -compare_groups (a, b);
}

GPtrArray *
balise_store_list_review_queue (BaliseStore          *self,
                                guint                 status_mask,
                                BaliseQueueGrouping   grouping,
                                const char           *search,
                                GError              **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GHashTable) by_label = NULL;
  g_autoptr(GArray) places = NULL;
  g_autofree char *folded_search = NULL;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

  if (status_mask == 0)
    status_mask = BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_PENDING) |
                  BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_HAS_ISSUES) |
                  BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_CONFLICT);
  if (search != NULL && *search != '\0')
    folded_search = g_utf8_casefold (search, -1);

  db = _balise_store_get_read_db (self);
  if (grouping == BALISE_QUEUE_BY_AREA && !(places = _balise_store_load_places (db, error)))
    return NULL;
  if (!_balise_store_prepare (db,
                              "SELECT " BALISE_STORE_EDIT_COLUMNS " FROM edit WHERE kind != 'note' "
                              "AND status NOT IN ('uploaded', 'undone') AND "
                              "NOT " BALISE_STORE_SUPERSEDED_SQL ("edit") " ORDER BY id",
                              &stmt, error))
    return NULL;

  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_queue_group_free);
  by_label = g_hash_table_new (g_str_hash, g_str_equal);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(BaliseEdit) edit = _balise_store_edit_from_row (stmt);
      g_autofree char *label = NULL;
      BaliseQueueGroup *group;

      if ((status_mask & BALISE_EDIT_STATUS_MASK (edit->status)) == 0 ||
          !matches (edit, folded_search))
        continue;

      label = group_label (edit, grouping, places);
      group = g_hash_table_lookup (by_label, label);
      if (group == NULL)
        {
          group = g_new0 (BaliseQueueGroup, 1);
          group->label = g_steal_pointer (&label);
          group->edits = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_edit_unref);
          g_hash_table_insert (by_label, group->label, group);
          g_ptr_array_add (groups, group);
        }
      g_ptr_array_add (group->edits, g_steal_pointer (&edit));
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return NULL;
    }

  g_ptr_array_sort (groups, grouping == BALISE_QUEUE_BY_DAY ? compare_groups_newest_first
                                                            : compare_groups);
  return g_steal_pointer (&groups);
}
