/* bench-dashboard.c: how long the dashboard counts, and what the main thread
 * feels of it
 *
 *   bench-dashboard [EXTRACT|STORE]
 *
 * EXTRACT (an .osm.pbf: the benchmark file) is imported into a new store and
 * BALISE_BENCH_EDITS (10 000) bus stops are recorded by five contributors;
 * a STORE (.sqlite) is used as it is; with neither, the demo extract.
 * BALISE_BENCH_STORE names where to build the store, to keep it.
 * Prints the synchronous read (what the page did on the main thread before)
 * and the asynchronous one, with the longest the main loop went without
 * running while it ran.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "config.h"

#include "balise-core.h"
#include "balise-dashboard.h"
#include "balise-import.h"
#include "balise-test-utils.h"

#define ROUNDS 5

static char *
make_store (const char *extract,
            guint       n_edits)
{
  static const char * const contributors[] = { "Alice", "Bob", "Camille", "Dominique", "Ezra" };
  g_autofree char *demo = g_build_filename (SOURCE_DATADIR, "demo", "monaco-2016.osm.pbf", NULL);
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *keep = g_getenv ("BALISE_BENCH_STORE");
  char *path = keep ? g_strdup (keep) : balise_test_tmp_path ("bench-dashboard.sqlite");
  gint64 start = g_get_monotonic_time ();

  if (extract == NULL || !g_file_test (extract, G_FILE_TEST_IS_REGULAR))
    extract = demo;

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, extract, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_print ("Bench store: %s imported in %.1f s\n", extract, (g_get_monotonic_time () - start) / 1e6);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_edits; i++)
    {
      g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_CREATE);

      edit->lat = 35.85 + (i % 100) * 0.0004;
      edit->lon = 14.45 + (i / 100) * 0.0005;
      edit->new_tags = balise_tags_new ();
      balise_tags_set (edit->new_tags, "highway", "bus_stop");
      if (i % 3 == 0)
        balise_tags_set (edit->new_tags, "check_date", "2026-01-15");
      edit->contributor = g_strdup (contributors[i % G_N_ELEMENTS (contributors)]);
      g_assert_true (balise_store_add_edit (store, edit, &error));
      g_assert_no_error (error);
    }
  g_print ("%u edits recorded in %.1f s\n", n_edits, (g_get_monotonic_time () - start) / 1e6);

  return path;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return da < db ? -1 : da > db;
}

typedef struct
{
  BaliseDashboard *dashboard;
  gint64           last_tick;
  gint64           longest_gap;
} AsyncRun;

static gboolean
tick_cb (gpointer data)
{
  AsyncRun *run = data;
  gint64 now = g_get_monotonic_time ();

  run->longest_gap = MAX (run->longest_gap, now - run->last_tick);
  run->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
dashboard_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncRun *run = user_data;
  g_autoptr(GError) error = NULL;

  run->dashboard = balise_store_get_dashboard_finish (BALISE_STORE (object), result, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  const char *n_env = g_getenv ("BALISE_BENCH_EDITS");
  guint n_edits = n_env ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 10000;
  g_autofree char *path = NULL;
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  double sync_ms[ROUNDS], async_ms[ROUNDS], gap_ms[ROUNDS];
  guint stops = 0, edits = 0;

  path = argc > 1 && g_str_has_suffix (argv[1], ".sqlite") ? g_strdup (argv[1])
                                                           : make_store (argc > 1 ? argv[1] : NULL, n_edits);
  store = balise_store_open (path, &error);
  g_assert_no_error (error);

  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr(BaliseDashboard) dashboard = NULL;
      gint64 start = g_get_monotonic_time ();
      AsyncRun run = { NULL, 0, 0 };
      guint tick;

      dashboard = balise_store_get_dashboard (store, NULL, 30, &error);
      g_assert_no_error (error);
      sync_ms[r] = (g_get_monotonic_time () - start) / 1000.0;
      stops = dashboard->stop_checks->len;
      edits = dashboard->edits;

      /* The main loop wakes every millisecond meanwhile, as a window would
       * to draw: its longest wait is what the read costs the UI. */
      start = run.last_tick = g_get_monotonic_time ();
      tick = g_timeout_add (1, tick_cb, &run);
      balise_store_get_dashboard_async (store, NULL, 30, NULL, dashboard_cb, &run);
      while (run.dashboard == NULL)
        g_main_context_iteration (NULL, TRUE);
      async_ms[r] = (g_get_monotonic_time () - start) / 1000.0;
      tick_cb (&run);
      gap_ms[r] = run.longest_gap / 1000.0;
      g_source_remove (tick);
      g_assert_cmpuint (run.dashboard->edits, ==, dashboard->edits);
      g_assert_cmpuint (run.dashboard->stop_checks->len, ==, dashboard->stop_checks->len);
      balise_dashboard_free (run.dashboard);
    }

  qsort (sync_ms, ROUNDS, sizeof (double), compare_doubles);
  qsort (async_ms, ROUNDS, sizeof (double), compare_doubles);
  qsort (gap_ms, ROUNDS, sizeof (double), compare_doubles);
  g_print ("Dashboard of %s: %u edits, %u bus stops\n", path, edits, stops);
  g_print ("  on the main thread (sync):  median %.1f ms, worst %.1f ms (the UI frozen as long)\n",
           sync_ms[ROUNDS / 2], sync_ms[ROUNDS - 1]);
  g_print ("  off the main thread (async): median %.1f ms, worst %.1f ms; the main loop's longest wait "
           "meanwhile: median %.1f ms, worst %.1f ms\n",
           async_ms[ROUNDS / 2], async_ms[ROUNDS - 1], gap_ms[ROUNDS / 2], gap_ms[ROUNDS - 1]);

  return 0;
}
