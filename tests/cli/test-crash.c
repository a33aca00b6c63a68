/* test-crash.c: balise-cli sync killed with SIGKILL at random moments
 *
 * Whatever the moment of the kill, a normal sync afterwards must leave the
 * server with every recorded stop exactly once, and the database intact.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <signal.h>
#include <sqlite3.h>

#include "balise-core.h"
#include "balise-test-server.h"
#include "balise-test-utils.h"

#define DEFAULT_RUNS 50
#define STOPS_PER_RUN 3

static void
add_stops (const char *db_path,
           guint       run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseStore) store = balise_store_open (db_path, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < STOPS_PER_RUN; i++)
    {
      g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_CREATE);
      g_autofree char *name = g_strdup_printf ("Stop %u.%u", run, i);

      edit->lat = 43.72 + g_random_double_range (0, 0.04);
      edit->lon = 7.40 + g_random_double_range (0, 0.05);
      edit->new_tags = balise_tags_new ();
      balise_tags_set (edit->new_tags, "highway", "bus_stop");
      balise_tags_set (edit->new_tags, "name", name);
      g_assert_true (balise_store_add_edit (store, edit, &error));
      g_assert_no_error (error);
    }
}

static GSubprocess *
spawn_sync (const char *db_path,
            const char *url)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "BALISE_TOKEN", "volunteer-token", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, BALISE_CLI_PATH, "--db", db_path,
                                         "sync", "--server", url, NULL);
  g_assert_no_error (error);
  return process;
}

static int
run_sync_to_end (const char *db_path,
                 const char *url)
{
  g_autoptr(GSubprocess) process = spawn_sync (db_path, url);

  g_assert_true (g_subprocess_wait (process, NULL, NULL));
  return g_subprocess_get_exit_status (process);
}

static void
assert_integrity (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* What the journal and the batches say, when the server is not as expected. */
static void
dump_state (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT 'edit ' || status || ' ' || count(*) || ' ' || "
                                       "  coalesce (group_concat (coalesce (error, '') || ' batch ' || "
                                       "  coalesce (batch, '-') || ' id ' || coalesce (new_id, 0), '; '), '') "
                                       "FROM edit WHERE status != 'uploaded' OR new_id IS NULL GROUP BY status "
                                       "UNION ALL SELECT 'batch ' || uuid || ' ' || state || ' changeset ' || "
                                       "  coalesce (changeset_id, 0) || ' ' || element_count FROM batch "
                                       "  WHERE state != 'closed'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_test_message ("%s", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_crash_sync (void)
{
  g_autofree char *db_path = balise_test_tmp_path ("crash.sqlite");
  g_autoptr(BaliseTestServer) server = balise_test_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  const char *runs_env = g_getenv ("BALISE_CRASH_RUNS");
  guint runs = runs_env ? (guint) g_ascii_strtoull (runs_env, NULL, 10) : DEFAULT_RUNS;
  guint killed = 0;
  guint total;

  g_assert_true (balise_test_server_start (server, 0, &error));
  g_assert_no_error (error);
  /* Small changesets: more steps, so more places for the kill to land. */
  balise_test_server_set_max_elements (server, 2);

  for (guint run = 0; run < runs; run++)
    {
      g_autoptr(GSubprocess) process = NULL;
      /* A sync takes a few tens of milliseconds here: the kill lands
       * anywhere from before the first request to after the last. */
      guint delay_ms = (guint) g_random_int_range (0, 150);

      add_stops (db_path, run);

      process = spawn_sync (db_path, balise_test_server_get_url (server));
      g_usleep (delay_ms * 1000);
      g_subprocess_force_exit (process);
      g_assert_true (g_subprocess_wait (process, NULL, NULL));
      if (g_subprocess_get_if_signaled (process) && g_subprocess_get_term_sig (process) == SIGKILL)
        killed++;

      assert_integrity (db_path);
    }

  g_test_message ("%u of %u syncs were killed before they ended", killed, runs);
  g_assert_cmpuint (killed, >=, runs / 5);

  g_assert_cmpint (run_sync_to_end (db_path, balise_test_server_get_url (server)), ==, 0);
  assert_integrity (db_path);

  total = runs * STOPS_PER_RUN;
  if (balise_test_server_query_int (server, "SELECT count(*) FROM element WHERE type = 'node' "
                                            "AND visible = 1") != (gint64) total)
    dump_state (db_path);

  /* 0 lost, 0 duplicated. */
  g_assert_cmpint (balise_test_server_query_int (server,
                     "SELECT count(*) FROM element WHERE type = 'node' AND visible = 1"), ==, total);
  g_assert_cmpint (balise_test_server_query_int (server,
                     "SELECT count(DISTINCT substr(xml, instr(xml, 'k=\"name\"'))) FROM element "
                     "WHERE type = 'node'"), ==, total);
  g_assert_cmpint (balise_test_server_query_int (server,
                     "SELECT count(*) FROM changeset WHERE closed_at IS NULL"), ==, 0);

  {
    g_autoptr(BaliseStore) store = balise_store_open (db_path, &error);
    g_autoptr(GPtrArray) edits = NULL;
    g_autoptr(GHashTable) ids = g_hash_table_new (g_int64_hash, g_int64_equal);

    g_assert_no_error (error);
    edits = balise_store_list_edits (store, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (edits->len, ==, total);
    for (guint i = 0; i < edits->len; i++)
      {
        BaliseEdit *edit = g_ptr_array_index (edits, i);

        g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_UPLOADED);
        g_assert_cmpint (edit->new_id, >, 0);
        g_assert_false (g_hash_table_contains (ids, &edit->new_id));
        g_hash_table_add (ids, &edit->new_id);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crash/sync-killed", test_crash_sync);

  return g_test_run ();
}
