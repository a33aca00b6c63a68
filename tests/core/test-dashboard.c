/* test-dashboard.c: the coordinator's numbers equal the store's
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <glib/gstdio.h>

#include "balise-core.h"
#include "balise-test-utils.h"
#include "test-elements.h"
#include "test-store.h"

#define LAT 43.7314
#define LON 7.4197

static BaliseEdit *
add_created (BaliseStore *store,
             const char  *contributor,
             const char  *key,
             const char  *value,
             const char  *created_at)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);

  edit->lat = LAT;
  edit->lon = LON;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, key, value);
  edit->contributor = g_strdup (contributor);
  edit->created_at = g_date_time_new_from_iso8601 (created_at, NULL);
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);
  return edit;
}

/* A count straight from SQLite, on a connection of the test's own. */
static guint64
sql_count (BaliseStore *store,
           const char  *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint64 value;

  g_assert_cmpint (sqlite3_open_v2 (balise_store_get_path (store), &db, SQLITE_OPEN_READONLY,
                                    NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = (guint64) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static guint64
lookup (GPtrArray  *counts,
        const char *name)
{
  for (guint i = 0; i < counts->len; i++)
    {
      BaliseCount *entry = g_ptr_array_index (counts, i);

      if (g_str_equal (entry->name, name))
        return entry->count;
    }
  return 0;
}

static guint64
total (GPtrArray *counts)
{
  guint64 sum = 0;

  for (guint i = 0; i < counts->len; i++)
    sum += ((BaliseCount *) g_ptr_array_index (counts, i))->count;
  return sum;
}

static void
test_dashboard_freshness (void)
{
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, G_DATE_NOVEMBER, 2026);

  g_assert_cmpint (balise_freshness_for_check_date ("2026-11-23", &today, 30), ==,
                   BALISE_FRESHNESS_RECENT);
  g_assert_cmpint (balise_freshness_for_check_date ("2026-10-24", &today, 30), ==,
                   BALISE_FRESHNESS_RECENT);
  g_assert_cmpint (balise_freshness_for_check_date ("2026-10-23", &today, 30), ==,
                   BALISE_FRESHNESS_AGING);
  g_assert_cmpint (balise_freshness_for_check_date ("2025-11-23", &today, 30), ==,
                   BALISE_FRESHNESS_AGING);
  g_assert_cmpint (balise_freshness_for_check_date ("2025-11-22", &today, 30), ==,
                   BALISE_FRESHNESS_STALE);
  g_assert_cmpint (balise_freshness_for_check_date ("2026-11", &today, 30), ==,
                   BALISE_FRESHNESS_RECENT);
  g_assert_cmpint (balise_freshness_for_check_date ("2027-01-01", &today, 30), ==,
                   BALISE_FRESHNESS_RECENT);
  g_assert_cmpint (balise_freshness_for_check_date ("2026-02-30", &today, 30), ==,
                   BALISE_FRESHNESS_UNKNOWN);
  g_assert_cmpint (balise_freshness_for_check_date ("yesterday", &today, 30), ==,
                   BALISE_FRESHNESS_UNKNOWN);
  g_assert_cmpint (balise_freshness_for_check_date (NULL, &today, 30), ==,
                   BALISE_FRESHNESS_UNKNOWN);
}

/* Stops of every freshness in the base data, and a journal of created,
 * rejected and undone edits by three contributors, one with a comma in
 * their name. */
static void
fill_store (BaliseStore *store)
{
  g_autoptr(BaliseChange) confirm = NULL;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  const char *reject[2] = { NULL, NULL };

  test_insert_node (store, 1, LAT, LON, "highway", "bus_stop", "check_date", "2026-11-13", NULL);
  test_insert_node (store, 2, LAT, LON, "highway", "bus_stop", "check_date", "2024-06-01", NULL);
  test_insert_node (store, 3, LAT, LON, "highway", "bus_stop", NULL);
  test_insert_node (store, 4, LAT, LON, "highway", "bus_stop", "check_date", "2026-05-07", NULL);
  test_insert_node (store, 5, LAT, LON, "amenity", "bench", "check_date", "2020-01-01", NULL);

  balise_edit_unref (add_created (store, "Camille", "highway", "bus_stop", "2026-11-20T12:00:00Z"));
  balise_edit_unref (add_created (store, "Camille", "highway", "bus_stop", "2026-11-21T12:00:00Z"));
  edit = add_created (store, "Smith, J.", "amenity", "bench", "2026-11-21T12:00:00Z");
  balise_edit_unref (add_created (store, "Dominique", "amenity", "toilets", "2026-11-22T12:00:00Z"));

  /* The stale stop confirmed since; a rejection and an undo change statuses. */
  confirm = balise_change_new (BALISE_CHANGE_CONFIRM, BALISE_OSM_NODE, 2, "Dominique");
  confirm->date = g_strdup ("2026-11-20");
  balise_edit_unref (balise_store_change_element (store, confirm, &error));
  g_assert_no_error (error);
  reject[0] = edit->uuid;
  g_assert_true (balise_store_review_edits (store, reject, BALISE_REVIEW_REJECT, "Morgane",
                                            "Not a bench", &error));
  balise_edit_unref (balise_store_undo (store, "Dominique", &error));
  g_assert_no_error (error);
}

static void
test_dashboard_counts (void)
{
  g_autofree char *path = balise_test_tmp_path ("dashboard.sqlite");
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(BaliseDashboard) dashboard = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) checks = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  GDate today;
  guint64 csv_sums[5] = { 0, };
  static const char * const sections[] = { "category", "contributor", "status", "day", "stops" };

  g_remove (path);
  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, G_DATE_NOVEMBER, 2026);

  fill_store (store);

  dashboard = balise_store_get_dashboard (store, &today, 30, &error);
  g_assert_no_error (error);

  /* Every number equals what SQLite counts in the file. */
  g_assert_cmpuint (dashboard->edits, ==, sql_count (store, "SELECT count(*) FROM edit"));
  g_assert_cmpuint (total (dashboard->by_status), ==, dashboard->edits);
  g_assert_cmpuint (total (dashboard->by_category), ==, dashboard->edits);
  g_assert_cmpuint (total (dashboard->by_contributor), ==, dashboard->edits);
  g_assert_cmpuint (total (dashboard->per_day), ==, dashboard->edits);
  for (guint i = 0; i < dashboard->by_status->len; i++)
    {
      BaliseCount *entry = g_ptr_array_index (dashboard->by_status, i);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM edit WHERE status = '%s'",
                                              entry->name);

      g_assert_cmpuint (entry->count, ==, sql_count (store, sql));
    }
  for (guint i = 0; i < dashboard->by_contributor->len; i++)
    {
      BaliseCount *entry = g_ptr_array_index (dashboard->by_contributor, i);
      char *sql = sqlite3_mprintf ("SELECT count(*) FROM edit WHERE contributor = %Q", entry->name);

      g_assert_cmpuint (entry->count, ==, sql_count (store, sql));
      sqlite3_free (sql);
    }
  g_assert_cmpuint (lookup (dashboard->by_status, "pending"), ==, 3);
  g_assert_cmpuint (lookup (dashboard->by_status, "rejected"), ==, 1);
  g_assert_cmpuint (lookup (dashboard->by_status, "undone"), ==, 1);
  g_assert_cmpuint (lookup (dashboard->by_category, "bus_stop"), ==, 3);
  g_assert_cmpuint (lookup (dashboard->by_category, "bench"), ==, 1);
  g_assert_cmpuint (lookup (dashboard->by_category, "toilets"), ==, 1);
  g_assert_cmpstr (((BaliseCount *) g_ptr_array_index (dashboard->by_contributor, 0))->name, ==,
                   "Camille");
  g_assert_cmpuint (lookup (dashboard->per_day, "2026-11-21"), ==, 2);
  g_assert_cmpstr (((BaliseCount *) g_ptr_array_index (dashboard->per_day, 0))->name, ==,
                   "2026-11-20");

  /* The stops of the effective state: the undo took back the confirmation,
   * and the two created in the journal have no check_date. */
  g_assert_cmpuint (dashboard->stops[BALISE_FRESHNESS_RECENT], ==, 1);
  g_assert_cmpuint (dashboard->stops[BALISE_FRESHNESS_AGING], ==, 1);
  g_assert_cmpuint (dashboard->stops[BALISE_FRESHNESS_STALE], ==, 1);
  g_assert_cmpuint (dashboard->stops[BALISE_FRESHNESS_UNKNOWN], ==, 3);
  checks = balise_store_query_stop_checks (store, LON - 1, LAT - 1, LON + 1, LAT + 1, &today, 30,
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (checks->len, ==, 6);

  /* The CSV holds the same numbers, quoted where needed. */
  csv = balise_dashboard_to_csv (dashboard);
  g_assert_true (g_str_has_prefix (csv, "section,key,count\r\n"));
  g_assert_nonnull (strstr (csv, "contributor,\"Smith, J.\",1\r\n"));
  g_assert_nonnull (strstr (csv, "stops,stale,1\r\n"));
  lines = g_strsplit (csv, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      const char *last_comma = strrchr (lines[i], ',');

      g_assert_nonnull (last_comma);
      for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
        if (g_str_has_prefix (lines[i], sections[s]) && lines[i][strlen (sections[s])] == ',')
          csv_sums[s] += g_ascii_strtoull (last_comma + 1, NULL, 10);
    }
  for (guint s = 0; s < 4; s++)
    g_assert_cmpuint (csv_sums[s], ==, dashboard->edits);
  g_assert_cmpuint (csv_sums[4], ==, 6);
}

static void
dashboard_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs the main context until the read ends; its result. */
static BaliseDashboard *
read_dashboard_async (BaliseStore   *store,
                      GDate         *today,
                      GCancellable  *cancellable,
                      gboolean       cancel_at_once,
                      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  balise_store_get_dashboard_async (store, today, 30, cancellable, dashboard_ready_cb, &result);
  if (cancel_at_once)
    g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return balise_store_get_dashboard_finish (store, result, error);
}

static void
assert_counts_equal (GPtrArray *a,
                     GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      BaliseCount *ca = g_ptr_array_index (a, i);
      BaliseCount *cb = g_ptr_array_index (b, i);

      g_assert_cmpstr (ca->name, ==, cb->name);
      g_assert_cmpuint (ca->count, ==, cb->count);
    }
}

/* The read off the main thread counts exactly what the synchronous one
 * does; a cancelled read ends with G_IO_ERROR_CANCELLED and no numbers. */
static void
test_dashboard_async (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("dashboard-async.sqlite");
  g_autoptr(BaliseDashboard) sync = NULL;
  g_autoptr(BaliseDashboard) async = NULL;
  g_autoptr(BaliseDashboard) cancelled = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, G_DATE_NOVEMBER, 2026);
  fill_store (store);
  /* Enough stops that the read takes more than one step of SQLite's
   * progress handler. */
  for (guint i = 0; i < 300; i++)
    test_insert_node (store, 100 + i, LAT + i * 1e-4, LON, "highway", "bus_stop",
                      "check_date", i % 3 == 0 ? "2026-11-01" : "2023-01-01", NULL);

  sync = balise_store_get_dashboard (store, &today, 30, &error);
  g_assert_no_error (error);
  async = read_dashboard_async (store, &today, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (async);

  g_assert_cmpuint (async->edits, ==, sync->edits);
  g_assert_cmpuint (async->edits, ==, sql_count (store, "SELECT count(*) FROM edit"));
  assert_counts_equal (async->by_category, sync->by_category);
  assert_counts_equal (async->by_contributor, sync->by_contributor);
  assert_counts_equal (async->by_status, sync->by_status);
  assert_counts_equal (async->per_day, sync->per_day);
  for (guint f = 0; f <= BALISE_FRESHNESS_UNKNOWN; f++)
    g_assert_cmpuint (async->stops[f], ==, sync->stops[f]);
  g_assert_cmpuint (async->stops[BALISE_FRESHNESS_RECENT], ==, 1 + 100);
  g_assert_cmpuint (async->stops[BALISE_FRESHNESS_STALE], ==, 1 + 200);

  /* The map's stops are the ones counted. */
  g_assert_cmpuint (async->stop_checks->len, ==, sync->stop_checks->len);
  g_assert_cmpuint (async->stop_checks->len, ==, 6 + 300);
  {
    guint per_freshness[BALISE_FRESHNESS_UNKNOWN + 1] = { 0, };

    for (guint i = 0; i < async->stop_checks->len; i++)
      per_freshness[g_array_index (async->stop_checks, BaliseStopCheck, i).freshness]++;
    for (guint f = 0; f <= BALISE_FRESHNESS_UNKNOWN; f++)
      g_assert_cmpuint (per_freshness[f], ==, async->stops[f]);
  }

  /* Cancelled before it starts, and cancelled while it runs. */
  cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  cancelled = read_dashboard_async (store, &today, cancellable, FALSE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (cancelled);
  g_clear_error (&error);
  g_clear_object (&cancellable);

  cancellable = g_cancellable_new ();
  cancelled = read_dashboard_async (store, &today, cancellable, TRUE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (cancelled);
  g_clear_error (&error);

  /* The search connection is free again: the next read runs to its end. */
  g_clear_pointer (&async, balise_dashboard_free);
  async = read_dashboard_async (store, &today, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (async->edits, ==, sync->edits);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dashboard/freshness", test_dashboard_freshness);
  g_test_add_func ("/dashboard/counts", test_dashboard_counts);
  g_test_add_func ("/dashboard/async", test_dashboard_async);

  return g_test_run ();
}
