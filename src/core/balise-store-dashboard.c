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
#include "balise-store-private.h"
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
  g_clear_pointer (&dashboard->stop_checks, g_array_unref);
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

static GArray *
stop_checks_in_db (BaliseStore  *self,
                   sqlite3      *db,
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

  features = _balise_store_query_features_in_db (self, db, west, south, east, north, 0, FALSE, error);
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
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return stop_checks_in_db (self, _balise_store_get_query_db (self), west, south, east, north,
                            today, recent_days, error);
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

/* Counts in @db, which the caller keeps in one read transaction. */
static BaliseDashboard *
count_in_db (BaliseStore   *self,
             sqlite3       *db,
             GDate         *today,
             guint          recent_days,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(BaliseDashboard) dashboard = g_new0 (BaliseDashboard, 1);
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GHashTable) categories = NULL;
  g_autoptr(GHashTable) contributors = NULL;
  g_autoptr(GHashTable) days = NULL;
  guint64 statuses[BALISE_EDIT_STATUS_LAST + 1] = { 0, };

  edits = _balise_store_list_edits_in_db (db, 0, error);
  if (edits == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
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

  dashboard->stop_checks = stop_checks_in_db (self, db, -180, -90, 180, 90, today, recent_days, error);
  if (dashboard->stop_checks == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  for (guint i = 0; i < dashboard->stop_checks->len; i++)
    dashboard->stops[g_array_index (dashboard->stop_checks, BaliseStopCheck, i).freshness]++;

  return g_steal_pointer (&dashboard);
}

/* Both reads in one snapshot of the store, so the numbers of the journal
 * and of the stops always come from the same moment. */
static BaliseDashboard *
dashboard_in_db (BaliseStore   *self,
                 sqlite3       *db,
                 GDate         *today,
                 guint          recent_days,
                 GCancellable  *cancellable,
                 GError       **error)
{
  BaliseDashboard *dashboard;
  gboolean own_transaction = sqlite3_get_autocommit (db);

  if (own_transaction && !_balise_store_exec (db, "BEGIN", error))
    return NULL;
  dashboard = count_in_db (self, db, today, recent_days, cancellable, error);
  /* A read-only transaction: ending it cannot lose anything. */
  if (own_transaction)
    _balise_store_exec (db, "ROLLBACK", NULL);

  return dashboard;
}

/**
 * balise_store_get_dashboard:
 * @self: a #BaliseStore
 * @today: (nullable): the day to judge freshness from, or %NULL for today
 * @recent_days: a check within this many days is recent
 * @error: a #GError
 *
 * Counts the journal and the bus stops on the main thread's connection.
 * It reads every edit and every feature: on a large store, use
 * balise_store_get_dashboard_async() from the UI.
 *
 * Returns: (transfer full): the numbers, or %NULL with @error
 */
BaliseDashboard *
balise_store_get_dashboard (BaliseStore  *self,
                            GDate        *today,
                            guint         recent_days,
                            GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return dashboard_in_db (self, _balise_store_get_query_db (self), today, recent_days, NULL, error);
}

typedef struct
{
  GDate today;                  /* cleared: today when the read runs */
  guint recent_days;
} DashboardData;

static gpointer
dashboard_read (BaliseStore   *self,
                sqlite3       *db,
                gpointer       user_data,
                GCancellable  *cancellable,
                GError       **error)
{
  DashboardData *data = user_data;

  return dashboard_in_db (self, db, g_date_valid (&data->today) ? &data->today : NULL,
                          data->recent_days, cancellable, error);
}

static void
dashboard_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  _balise_store_task_search_read (source_object, task, dashboard_read, task_data,
                                  (GDestroyNotify) balise_dashboard_free);
}

/**
 * balise_store_get_dashboard_async:
 * @self: a #BaliseStore
 * @today: (nullable): the day to judge freshness from, or %NULL for the day
 *   the read runs
 * @recent_days: a check within this many days is recent
 * @cancellable: (nullable): stops the read, even in the middle of a query
 * @callback: called in the thread-default main context of the caller
 * @user_data: for @callback
 *
 * Counts as balise_store_get_dashboard() does, on a thread of its own with
 * the store's search connection (one long read at a time), in one read
 * transaction: writes committed meanwhile are not half seen.
 */
void
balise_store_get_dashboard_async (BaliseStore         *self,
                                  GDate               *today,
                                  guint                recent_days,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DashboardData *data;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (today == NULL || g_date_valid (today));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (DashboardData, 1);
  g_date_clear (&data->today, 1);
  if (today != NULL)
    data->today = *today;
  data->recent_days = recent_days;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_get_dashboard_async);
  g_task_set_task_data (task, data, g_free);
  g_task_run_in_thread (task, dashboard_thread);
}

/**
 * balise_store_get_dashboard_finish:
 *
 * Returns: (transfer full): the numbers, or %NULL with @error
 *   (%G_IO_ERROR_CANCELLED when cancelled)
 */
BaliseDashboard *
balise_store_get_dashboard_finish (BaliseStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == balise_store_get_dashboard_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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
