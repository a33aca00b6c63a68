/* bench-tiles.c: milliseconds per tile of the local basemap
 *
 *   bench-tiles [EXTRACT|STORE]   p50/p95 at zooms 13, 15 and 17, for
 *                                 tiles around random roads
 *   bench-tiles STORE Z X Y OUT   draws one tile to OUT (PNG), to look at it
 *
 * EXTRACT (an .osm.pbf: the benchmark file) is imported into a new store
 * first; a STORE (.sqlite) is used as it is; with neither, the demo
 * extract (Monaco).
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <time.h>

#include "balise-core.h"
#include "balise-import.h"
#include "balise-test-utils.h"
#include "balise-tile-renderer.h"

#define TILES_PER_ZOOM 60

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return da < db ? -1 : da > db;
}

static void
lon_lat_to_tile (double  lon,
                 double  lat,
                 int     zoom,
                 int    *x,
                 int    *y)
{
  double n = ldexp (1.0, zoom);
  double s = sin (lat * G_PI / 180);

  *x = CLAMP ((int) floor ((lon + 180) / 360 * n), 0, (int) n - 1);
  *y = CLAMP ((int) floor ((0.5 - log ((1 + s) / (1 - s)) / (4 * G_PI)) * n), 0, (int) n - 1);
}

/* Imports @extract (the demo extract if NULL or missing) into a new store. */
static char *
import_extract (const char *extract)
{
  g_autofree char *demo = g_build_filename (SOURCE_DATADIR, "demo", "monaco-2016.osm.pbf", NULL);
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char *path = balise_test_tmp_path ("bench-tiles.sqlite");
  gint64 start = g_get_monotonic_time ();

  if (extract == NULL || !g_file_test (extract, G_FILE_TEST_IS_REGULAR))
    extract = demo;

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, extract, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_print ("Bench store: %s imported in %.1f s\n", extract, (g_get_monotonic_time () - start) / 1e6);

  return path;
}

/* Where the roads are: tiles are drawn where a volunteer would look. */
static GArray *
road_positions (const char *store_path)
{
  GArray *positions = g_array_new (FALSE, FALSE, 2 * sizeof (double));
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (store_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT geom FROM element WHERE category = 'road' "
                                           "AND shape IS NOT NULL ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const guint8 *blob = sqlite3_column_blob (stmt, 0);
      double lon_lat[2];

      /* A SpatiaLite POINT: its x and y follow the 43-byte header. */
      if (sqlite3_column_bytes (stmt, 0) < 60)
        continue;
      memcpy (lon_lat, blob + 43, sizeof lon_lat);
      g_array_append_val (positions, lon_lat);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_cmpuint (positions->len, >, 0);
  return positions;
}

/* The CPU time of this thread, in ms: what a tile costs whatever else
 * runs on the machine. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
bench_zoom (BaliseTileRenderer *renderer,
            GArray             *positions,
            int                 zoom)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = g_rand_new_with_seed (zoom);
  gsize total_bytes = 0;

  for (int i = 0; i < TILES_PER_ZOOM; i++)
    {
      g_autoptr(GBytes) png = NULL;
      g_autoptr(GError) error = NULL;
      const double *lon_lat = &g_array_index (positions, double,
                                              2 * g_rand_int_range (rand, 0, positions->len));
      gint64 start;
      double ms, cpu_start, cpu_ms;
      int x, y;

      lon_lat_to_tile (lon_lat[0], lon_lat[1], zoom, &x, &y);
      start = g_get_monotonic_time ();
      cpu_start = thread_cpu_ms ();
      png = balise_tile_renderer_render (renderer, zoom, x, y, NULL, &error);
      cpu_ms = thread_cpu_ms () - cpu_start;
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      total_bytes += g_bytes_get_size (png);
      g_array_append_val (times, ms);
      g_array_append_val (cpu_times, cpu_ms);
    }

  g_array_sort (times, compare_doubles);
  g_array_sort (cpu_times, compare_doubles);
  g_print ("zoom %d: %d tiles around random roads: p50 %.1f ms, p95 %.1f ms, max %.1f ms "
           "(CPU time: p50 %.1f ms, p95 %.1f ms), %.1f kB a tile\n",
           zoom, TILES_PER_ZOOM,
           g_array_index (times, double, TILES_PER_ZOOM / 2),
           g_array_index (times, double, (TILES_PER_ZOOM * 95) / 100),
           g_array_index (times, double, TILES_PER_ZOOM - 1),
           g_array_index (cpu_times, double, TILES_PER_ZOOM / 2),
           g_array_index (cpu_times, double, (TILES_PER_ZOOM * 95) / 100),
           total_bytes / 1024.0 / TILES_PER_ZOOM);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BaliseTileRenderer) renderer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *cache_path = NULL;
  g_autoptr(GArray) positions = NULL;
  g_autoptr(GBytes) first = NULL;
  gint64 start;

  store_path = argc > 1 && g_str_has_suffix (argv[1], ".sqlite") ? g_strdup (argv[1])
                                                                 : import_extract (argc > 1 ? argv[1] : NULL);
  cache_path = balise_test_tmp_path ("bench-tiles.mbtiles");
  renderer = balise_tile_renderer_new (store_path, cache_path, &error);
  g_assert_no_error (error);

  if (argc == 6)
    {
      g_autoptr(GBytes) png = NULL;
      int z = atoi (argv[2]), x = atoi (argv[3]), y = atoi (argv[4]);

      png = balise_tile_renderer_render (renderer, z, x, y, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_file_set_contents (argv[5], g_bytes_get_data (png, NULL),
                                          g_bytes_get_size (png), &error));
      return 0;
    }

  /* The first tile indexes the store's shapes: timed apart. */
  start = g_get_monotonic_time ();
  first = balise_tile_renderer_render (renderer, 18, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_print ("Local basemap of %s: shapes indexed (and an empty tile drawn) in %.0f ms\n", store_path,
           (g_get_monotonic_time () - start) / 1000.0);

  positions = road_positions (store_path);
  bench_zoom (renderer, positions, 13);
  bench_zoom (renderer, positions, 15);
  bench_zoom (renderer, positions, 17);

  return 0;
}
