/* test-sync-writeback.c: a large diffResult written back keeps the base
 * elements and both R*Trees exact, over real HTTP
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <sqlite3.h>
#include <spatialite.h>

#include "sync-fixture.h"

/* More than the bulk write-back's threshold, so the triggers are off and
 * the R*Trees are kept by hand. */
#define N_EDITS 300

/* The first column of @sql's first row, read from the store's file with
 * SpatiaLite's functions. */
static char *
store_query (Fixture    *fixture,
             const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  void *cache = spatialite_alloc_connection ();
  char *value;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  spatialite_init_ex (db, cache, 0);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  spatialite_cleanup_ex (cache);
  return value;
}

static gint64
store_count (Fixture    *fixture,
             const char *sql)
{
  g_autofree char *value = store_query (fixture, sql);

  return g_ascii_strtoll (value, NULL, 10);
}

/* Every node of the base in both trees, once, at its position; nothing else in them. */
static void
assert_rtrees_exact (Fixture *fixture,
                     gint64   n_nodes)
{
  g_assert_cmpint (store_count (fixture, "SELECT count(*) FROM element WHERE osm_type = 'node'"), ==, n_nodes);
  g_assert_cmpint (store_count (fixture, "SELECT count(*) FROM idx_element_geom"), ==, n_nodes);
  g_assert_cmpint (store_count (fixture, "SELECT count(*) FROM feature_index"), ==, n_nodes);
  g_assert_cmpint (store_count (fixture,
                                "SELECT count(*) FROM element e JOIN idx_element_geom r ON r.pkid = e.id "
                                "WHERE abs (r.xmin - X (e.geom)) < 1e-5 AND abs (r.ymin - Y (e.geom)) < 1e-5"),
                   ==, n_nodes);
  g_assert_cmpint (store_count (fixture,
                                "SELECT count(*) FROM element e JOIN feature_index r ON r.id = e.id "
                                "WHERE abs (r.xmin - X (e.geom)) < 1e-5 AND abs (r.ymin - Y (e.geom)) < 1e-5"),
                   ==, n_nodes);
}

/* Creates, then moves of what they created together with new creates:
 * new rows and updated rows in one bulk write-back. */
static void
test_writeback_rtrees (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_edit_unref);
  g_autofree BaliseSyncReport *first = NULL;
  g_autofree BaliseSyncReport *second = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_EDITS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Stop %u", i);

      g_ptr_array_add (created, add_bus_stop (fixture, name, 43.72 + i * 1e-4, 7.41));
    }
  first = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->created, ==, N_EDITS);
  assert_rtrees_exact (fixture, N_EDITS);

  for (guint i = 0; i < N_EDITS; i++)
    {
      g_autoptr(BaliseEdit) stored = balise_store_get_edit (fixture->store,
                                                            ((BaliseEdit *) g_ptr_array_index (created, i))->uuid,
                                                            &error);
      g_autoptr(BaliseEdit) move = balise_edit_new (BALISE_EDIT_MODIFY);
      g_autoptr(BaliseEdit) more = NULL;
      g_autofree char *name = g_strdup_printf ("Stop %u bis", i);

      g_assert_no_error (error);
      move->osm_id = stored->new_id;
      move->base_version = stored->new_version;
      move->base_tags = balise_tags_copy (stored->new_tags);
      move->new_tags = balise_tags_copy (stored->new_tags);
      move->lat = stored->lat;
      move->lon = 7.42;   /* moved east */
      move->status = BALISE_EDIT_STATUS_APPROVED;
      g_assert_true (balise_store_add_edit (fixture->store, move, &error));
      g_assert_no_error (error);
      more = add_bus_stop (fixture, name, 43.72 + i * 1e-4, 7.43);
    }

  second = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->created, ==, N_EDITS);
  g_assert_cmpuint (second->modified, ==, N_EDITS);
  assert_rtrees_exact (fixture, 2 * N_EDITS);
  /* The moved ones are where they were moved to, in both trees. */
  g_assert_cmpint (store_count (fixture, "SELECT count(*) FROM feature_index WHERE xmin BETWEEN 7.4199 AND 7.4201"),
                   ==, N_EDITS);
  g_assert_cmpint (store_count (fixture, "SELECT count(*) FROM idx_element_geom WHERE xmin < 7.415"), ==, 0);
  {
    g_autofree char *integrity = store_query (fixture, "PRAGMA integrity_check");

    g_assert_cmpstr (integrity, ==, "ok");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/writeback/rtrees", Fixture, NULL,
              fixture_set_up, test_writeback_rtrees, fixture_tear_down);

  return g_test_run ();
}
