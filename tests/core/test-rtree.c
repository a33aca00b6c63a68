/* test-rtree.c: the packed R*Tree is one SQLite accepts, answers and updates
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "balise-rtree-load.h"
#include "balise-test-utils.h"

typedef struct
{
  double min_x, max_x, min_y, max_y;
} Box;

static sqlite3 *
open_db (const char *name)
{
  g_autofree char *path = balise_test_tmp_path (name);
  sqlite3 *db = NULL;

  g_unlink (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE item (id INTEGER PRIMARY KEY, min_x REAL, max_x REAL, "
                                 "                   min_y REAL, max_y REAL);"
                                 "CREATE VIRTUAL TABLE item_index USING rtree (id, xmin, xmax, ymin, ymax);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Fills item with @n boxes around Monaco: points (zero-size boxes) and
 * small and large rectangles, with duplicates. */
static GArray *
fill_items (sqlite3 *db,
            guint    n,
            GRand   *rand)
{
  GArray *boxes = g_array_sized_new (FALSE, FALSE, sizeof (Box), n);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO item VALUES (?, ?, ?, ?, ?)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; i < n; i++)
    {
      Box box;
      double w = 0, h = 0;

      box.min_x = g_rand_double_range (rand, 7.40, 7.44);
      box.min_y = g_rand_double_range (rand, 43.72, 43.76);
      if (i % 3 == 1)
        {
          w = g_rand_double_range (rand, 0, 0.001);
          h = g_rand_double_range (rand, 0, 0.001);
        }
      else if (i % 97 == 0)
        {
          w = g_rand_double_range (rand, 0, 0.05);
          h = g_rand_double_range (rand, 0, 0.05);
        }
      if (i % 50 == 7 && i > 0)
        box = g_array_index (boxes, Box, i - 1);
      else
        {
          box.max_x = box.min_x + w;
          box.max_y = box.min_y + h;
        }
      g_array_append_val (boxes, box);

      sqlite3_bind_int64 (stmt, 1, i + 1);
      sqlite3_bind_double (stmt, 2, box.min_x);
      sqlite3_bind_double (stmt, 3, box.max_x);
      sqlite3_bind_double (stmt, 4, box.min_y);
      sqlite3_bind_double (stmt, 5, box.max_y);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  return boxes;
}

/* Every window query finds exactly the boxes that intersect the window
 * (boxes are widened to float by the R*Tree, so compare with a margin and
 * demand the strict ones). */
static void
check_windows (sqlite3 *db,
               GArray  *boxes,
               GRand   *rand)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT id FROM item_index WHERE xmax >= ?1 AND xmin <= ?2 "
                                       "AND ymax >= ?3 AND ymin <= ?4",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint q = 0; q < 40; q++)
    {
      double x = g_rand_double_range (rand, 7.39, 7.45);
      double y = g_rand_double_range (rand, 43.71, 43.77);
      double size = q % 4 == 0 ? 0.03 : 0.004;
      g_autoptr(GHashTable) found = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      const double margin = 1e-5;

      sqlite3_bind_double (stmt, 1, x);
      sqlite3_bind_double (stmt, 2, x + size);
      sqlite3_bind_double (stmt, 3, y);
      sqlite3_bind_double (stmt, 4, y + size);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (ids, id);
        }
      sqlite3_reset (stmt);
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (found, &g_array_index (ids, gint64, i));

      for (guint i = 0; i < boxes->len; i++)
        {
          Box *box = &g_array_index (boxes, Box, i);
          gint64 id = i + 1;
          gboolean inside = box->max_x >= x + margin && box->min_x <= x + size - margin &&
                            box->max_y >= y + margin && box->min_y <= y + size - margin;
          gboolean outside = box->max_x < x - margin || box->min_x > x + size + margin ||
                             box->max_y < y - margin || box->min_y > y + size + margin;

          if (inside)
            g_assert_true (g_hash_table_contains (found, &id));
          if (outside)
            g_assert_false (g_hash_table_contains (found, &id));
        }
    }
  sqlite3_finalize (stmt);
}

static void
test_rtree_load (gconstpointer data)
{
  guint n = GPOINTER_TO_UINT (data);
  g_autofree char *name = g_strdup_printf ("rtree-%u.db", n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (n + 1);
  g_autoptr(GArray) boxes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *check = NULL;
  g_autofree char *check_after = NULL;
  sqlite3 *db = open_db (name);

  boxes = fill_items (db, n, rand);
  /* Something already in the index is replaced. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO item_index VALUES (999999, 0, 1, 0, 1)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (_balise_rtree_load (db, "item_index",
                                     "SELECT id, min_x, max_x, min_y, max_y FROM item", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);

  check = query_text (db, "SELECT rtreecheck ('item_index')");
  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM item_index"), ==, n);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM item_index WHERE id = 999999"), ==, 0);
  check_windows (db, boxes, rand);

  /* SQLite keeps the packed tree up to date as usual. */
  g_assert_cmpint (sqlite3_exec (db,
                                 "DELETE FROM item_index WHERE id % 3 = 0;"
                                 "INSERT INTO item_index SELECT id + 1000000, min_x, max_x, min_y, max_y "
                                 "  FROM item WHERE id % 5 = 0;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  check_after = query_text (db, "SELECT rtreecheck ('item_index')");
  g_assert_cmpstr (check_after, ==, "ok");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM item_index"), ==, n - n / 3 + n / 5);

  sqlite3_close (db);
}

static void
test_rtree_not_rtree (void)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = open_db ("not-rtree.db");

  g_assert_false (_balise_rtree_load (db, "item", "SELECT id, min_x, max_x, min_y, max_y FROM item",
                                      &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "item"));
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  /* Sizes around the node capacity (51 cells with 4 kB pages): empty, a
   * root that is a leaf, a root just too small, and trees of depth 2 and 3. */
  static const guint sizes[] = { 0, 1, 51, 52, 2000, 30000 };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rtree/load/%u", sizes[i]);

      g_test_add_data_func (path, GUINT_TO_POINTER (sizes[i]), test_rtree_load);
    }
  g_test_add_func ("/rtree/not-an-rtree", test_rtree_not_rtree);

  return g_test_run ();
}
