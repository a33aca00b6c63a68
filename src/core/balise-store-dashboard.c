/* balise-store-dashboard.c: the coordinator's numbers, and the same as CSV
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-dashboard"

#include "config.h"

#include <string.h>

#include "balise-category.h"
#include "balise-dashboard.h"
#include "balise-store-query.h"

#define STALE_DAYS 365

static const char * const freshness_names[] = { "recent", "aging", "stale", "unknown" };

const char *
balise_freshness_to_string (BaliseFreshness freshness)
{
  g_return_val_if_fail (freshness <= BALISE_FRESHNESS_UNKNOWN, NULL);
  return freshness_names[freshness];
}

void
balise_dashboard_free (BaliseDashboard *dashboard)
{
  if (dashboard == NULL)
    return;
  g_clear_pointer (&dashboard->by_category, g_ptr_array_unref);
  g_clear_pointer (&dashboard->by_contributor, g_ptr_array_unref);
  g_clear_pointer (&dashboard->by_status, g_ptr_array_unref);
  g_clear_pointer (&dashboard->per_day, g_ptr_array_unref);
  g_free (dashboard);
}

static gboolean
digits (const char *text,
        guint       from,
        guint       to,
        int        *value)
{
  *value = 0;
  for (guint i = from; i < to; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      *value = *value * 10 + (text[i] - '0');
    }
  return TRUE;
}

/* check_date is YYYY-MM-DD, or YYYY-MM (the first of the month) in older data. */
static gboolean
parse_check_date (const char *text,
                  GDate      *date)
{
  gsize length = text ? strlen (text) : 0;
  int year, month, day = 1;

  if ((length != 10 && length != 7) || text[4] != '-' ||
      !digits (text, 0, 4, &year) || !digits (text, 5, 7, &month))
    return FALSE;
  if (length == 10 && (text[7] != '-' || !digits (text, 8, 10, &day)))
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

BaliseFreshness
balise_freshness_for_check_date (const char *check_date,
                                 GDate      *today,
                                 guint       recent_days)
{
  GDate date;
  int age;

  g_return_val_if_fail (today != NULL && g_date_valid (today), BALISE_FRESHNESS_UNKNOWN);

  g_date_clear (&date, 1);
  if (!parse_check_date (check_date, &date))
    return BALISE_FRESHNESS_UNKNOWN;
  age = g_date_days_between (&date, today);
  if (age <= (int) recent_days)
    return BALISE_FRESHNESS_RECENT;
  if (age > STALE_DAYS)
    return BALISE_FRESHNESS_STALE;
  return BALISE_FRESHNESS_AGING;
}

static void
today_or (GDate *today,
          GDate *out)
{
  g_date_clear (out, 1);
  if (today != NULL)
    *out = *today;
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_set_dmy (out, (GDateDay) g_date_time_get_day_of_month (now),
                      (GDateMonth) g_date_time_get_month (now),
                      (GDateYear) g_date_time_get_year (now));
    }
}

GArray *
balise_store_query_stop_checks (BaliseStore  *self,
                                double        west,
                                double        south,
                                double        east,
                                double        north,
                                GDate        *today,
                                guint         recent_days,
                                GError      **error)
{
  g_autoptr(GPtrArray) features = NULL;
  GArray *checks;
  GDate day;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

  features = balise_store_query_features (self, west, south, east, north, 0, FALSE, error);
  if (features == NULL)
    return NULL;

  today_or (today, &day);
  checks = g_array_new (FALSE, FALSE, sizeof (BaliseStopCheck));
  for (guint i = 0; i < features->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (features, i);
      BaliseStopCheck check;

      if (g_strcmp0 (feature->category, "bus_stop") != 0)
        continue;
      check.osm_type = feature->osm_type;
      check.osm_id = feature->osm_id;
      check.lat = feature->lat;
      check.lon = feature->lon;
      check.freshness = balise_freshness_for_check_date (balise_tags_lookup (feature->tags,
                                                                             "check_date"),
                                                         &day, recent_days);
      g_array_append_val (checks, check);
    }
  return checks;
}

/*
 * Counting
 */

static void
count (GHashTable *table,
       const char *key)
{
  guint64 *value = g_hash_table_lookup (table, key);

  if (value == NULL)
    {
      value = g_new0 (guint64, 1);
      g_hash_table_insert (table, g_strdup (key), value);
    }
  (*value)++;
}

static int
compare_largest_first (gconstpointer a,
                       gconstpointer b)
{
  const BaliseCount *ca = *(BaliseCount * const *) a;
  const BaliseCount *cb = *(BaliseCount * const *) b;

  if (ca->count != cb->count)
    return ca->count > cb->count ? -1 : 1;
  return g_utf8_collate (ca->name, cb->name);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp ((*(BaliseCount * const *) a)->name, (*(BaliseCount * const *) b)->name);
}

static GPtrArray *
counts_from_table (GHashTable   *table,
                   GCompareFunc  compare)
{
  GPtrArray *counts = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_count_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      BaliseCount *entry = g_new0 (BaliseCount, 1);

      entry->name = g_strdup (key);
      entry->count = *(guint64 *) value;
      g_ptr_array_add (counts, entry);
    }
  g_ptr_array_sort (counts, compare);
  return counts;
}

BaliseDashboard *
balise_store_get_dashboard (BaliseStore  *self,
                            GDate        *today,
                            guint         recent_days,
                            GError      **error)
{
  g_autoptr(BaliseDashboard) dashboard = g_new0 (BaliseDashboard, 1);
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GArray) stops = NULL;
  g_autoptr(GHashTable) categories = NULL;
  g_autoptr(GHashTable) contributors = NULL;
  g_autoptr(GHashTable) days = NULL;
  guint64 statuses[BALISE_EDIT_STATUS_LAST + 1] = { 0, };

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

  edits = balise_store_list_edits (self, 0, error);
  if (edits == NULL)
    return NULL;

  categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  contributors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);
      const char *category;

      if (edit->kind == BALISE_EDIT_NOTE)
        continue;
      category = balise_osm_category_for_tags (edit->new_tags ? edit->new_tags : edit->base_tags);
      count (categories, category ? category : "other");
      count (contributors, edit->contributor ? edit->contributor : "");
      statuses[edit->status]++;
      if (edit->created_at != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (edit->created_at);
          g_autofree char *day = g_date_time_format (local, "%Y-%m-%d");

          count (days, day);
        }
      dashboard->edits++;
    }

  dashboard->by_category = counts_from_table (categories, compare_largest_first);
  dashboard->by_contributor = counts_from_table (contributors, compare_largest_first);
  dashboard->per_day = counts_from_table (days, compare_names);
  dashboard->by_status = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_count_free);
  for (BaliseEditStatus s = BALISE_EDIT_STATUS_DRAFT; s <= BALISE_EDIT_STATUS_LAST; s++)
    {
      BaliseCount *entry;

      if (statuses[s] == 0)
        continue;
      entry = g_new0 (BaliseCount, 1);
      entry->name = g_strdup (balise_edit_status_to_string (s));
      entry->count = statuses[s];
      g_ptr_array_add (dashboard->by_status, entry);
    }

  stops = balise_store_query_stop_checks (self, -180, -90, 180, 90, today, recent_days, error);
  if (stops == NULL)
    return NULL;
  for (guint i = 0; i < stops->len; i++)
    dashboard->stops[g_array_index (stops, BaliseStopCheck, i).freshness]++;

  return g_steal_pointer (&dashboard);
}

/*
 * CSV
 */

static void
append_field (GString    *csv,
              const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (csv, text);
      return;
    }
  g_string_append_c (csv, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static void
append_line (GString    *csv,
             const char *section,
             const char *key,
             guint64     value)
{
  g_string_append (csv, section);
  g_string_append_c (csv, ',');
  append_field (csv, key);
  g_string_append_printf (csv, ",%" G_GUINT64_FORMAT "\r\n", value);
}

static void
append_counts (GString    *csv,
               const char *section,
               GPtrArray  *counts)
{
  for (guint i = 0; i < counts->len; i++)
    {
      BaliseCount *entry = g_ptr_array_index (counts, i);

      append_line (csv, section, entry->name, entry->count);
    }
}

char *
balise_dashboard_to_csv (BaliseDashboard *dashboard)
{
  GString *csv = g_string_new ("section,key,count\r\n");

  g_return_val_if_fail (dashboard != NULL, NULL);

  append_counts (csv, "category", dashboard->by_category);
  append_counts (csv, "contributor", dashboard->by_contributor);
  append_counts (csv, "status", dashboard->by_status);
  append_counts (csv, "day", dashboard->per_day);
  for (BaliseFreshness f = BALISE_FRESHNESS_RECENT; f <= BALISE_FRESHNESS_UNKNOWN; f++)
    append_line (csv, "stops", freshness_names[f], dashboard->stops[f]);
  return g_string_free (csv, FALSE);
}
