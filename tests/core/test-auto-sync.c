/* test-auto-sync.c: when Balise syncs by itself
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "balise-auto-sync.h"

typedef struct
{
  BaliseAutoSync *auto_sync;
  guint           probes;
  guint           syncs;
} Fixture;

static void
probe_wanted_cb (BaliseAutoSync *auto_sync,
                 Fixture        *fixture)
{
  fixture->probes++;
}

static void
sync_wanted_cb (BaliseAutoSync *auto_sync,
                Fixture        *fixture)
{
  fixture->syncs++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const guint delays[] = { 40, 200 };

  fixture->auto_sync = balise_auto_sync_new ();
  balise_auto_sync_set_backoff (fixture->auto_sync, delays, G_N_ELEMENTS (delays));
  g_signal_connect (fixture->auto_sync, "probe-wanted", G_CALLBACK (probe_wanted_cb), fixture);
  g_signal_connect (fixture->auto_sync, "sync-wanted", G_CALLBACK (sync_wanted_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->auto_sync);
}

/* Signed in, online, three edits ready. */
static void
everything_ready (Fixture *fixture)
{
  balise_auto_sync_set_signed_in (fixture->auto_sync, TRUE);
  balise_auto_sync_set_ready_count (fixture->auto_sync, 3);
  balise_auto_sync_network_changed (fixture->auto_sync, TRUE);
}

static void
wait_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

/* Off (the default): never a probe, never a sync. */
static void
test_auto_sync_off (Fixture       *fixture,
                    gconstpointer  data)
{
  everything_ready (fixture);
  balise_auto_sync_set_ready_count (fixture->auto_sync, 5);
  balise_auto_sync_network_changed (fixture->auto_sync, TRUE);
  g_assert_cmpuint (fixture->probes, ==, 0);
  g_assert_cmpuint (fixture->syncs, ==, 0);
  g_assert_false (balise_auto_sync_get_enabled (fixture->auto_sync));
}

/* On, online, ready: one probe, then one sync, and no second one for the
 * same edits; new edits recorded while online sync again. */
static void
test_auto_sync_once (Fixture       *fixture,
                     gconstpointer  data)
{
  everything_ready (fixture);
  g_object_set (fixture->auto_sync, "enabled", TRUE, NULL);
  g_assert_cmpuint (fixture->probes, ==, 1);
  g_assert_cmpuint (fixture->syncs, ==, 0);

  balise_auto_sync_probe_result (fixture->auto_sync, TRUE);
  g_assert_cmpuint (fixture->syncs, ==, 1);

  /* While it runs: at most one at a time. */
  balise_auto_sync_set_ready_count (fixture->auto_sync, 4);
  g_assert_cmpuint (fixture->syncs, ==, 1);

  /* It sent all but one, which became a conflict (still counted ready):
   * the news of the fourth arrived while syncing, so once more. */
  balise_auto_sync_set_ready_count (fixture->auto_sync, 1);
  balise_auto_sync_sync_finished (fixture->auto_sync, TRUE);
  g_assert_cmpuint (fixture->syncs, ==, 2);
  balise_auto_sync_sync_finished (fixture->auto_sync, TRUE);
  /* The one left is not news: no loop. */
  balise_auto_sync_set_ready_count (fixture->auto_sync, 1);
  wait_ms (60);
  g_assert_cmpuint (fixture->syncs, ==, 2);

  /* A new edit recorded while online: synced without a new probe. */
  balise_auto_sync_set_ready_count (fixture->auto_sync, 2);
  g_assert_cmpuint (fixture->syncs, ==, 3);
  g_assert_cmpuint (fixture->probes, ==, 1);
}

/* A failure waits the first delay, probes again, syncs; a second failure
 * waits the longer one. */
static void
test_auto_sync_backoff (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 failed_at;

  balise_auto_sync_set_enabled (fixture->auto_sync, TRUE);
  everything_ready (fixture);
  balise_auto_sync_probe_result (fixture->auto_sync, TRUE);
  g_assert_cmpuint (fixture->syncs, ==, 1);

  balise_auto_sync_sync_finished (fixture->auto_sync, FALSE);
  g_assert_true (balise_auto_sync_is_backing_off (fixture->auto_sync));
  /* New edits during the back-off wait for it too. */
  balise_auto_sync_set_ready_count (fixture->auto_sync, 7);
  g_assert_cmpuint (fixture->syncs, ==, 1);
  g_assert_cmpuint (fixture->probes, ==, 1);

  while (fixture->probes < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (balise_auto_sync_is_backing_off (fixture->auto_sync));
  g_assert_cmpuint (fixture->syncs, ==, 1);
  balise_auto_sync_probe_result (fixture->auto_sync, TRUE);
  g_assert_cmpuint (fixture->syncs, ==, 2);

  /* The second failure in a row: 200 ms, not 40. */
  g_assert_cmpint (balise_auto_sync_get_retry_time (fixture->auto_sync), ==, 0);
  balise_auto_sync_sync_finished (fixture->auto_sync, FALSE);
  failed_at = g_get_monotonic_time ();
  /* The window tells when the next try comes: 200 ms from the failure. */
  g_assert_cmpint (balise_auto_sync_get_retry_time (fixture->auto_sync) - failed_at, <=, 200 * 1000);
  g_assert_cmpint (balise_auto_sync_get_retry_time (fixture->auto_sync) - failed_at, >, 150 * 1000);
  wait_ms (100);
  g_assert_cmpuint (fixture->probes, ==, 2);
  while (fixture->probes < 3)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_get_monotonic_time () - failed_at, >=, 200 * 1000);
  g_assert_cmpint (balise_auto_sync_get_retry_time (fixture->auto_sync), ==, 0);

  /* A success ends the back-off series. */
  balise_auto_sync_probe_result (fixture->auto_sync, TRUE);
  g_assert_cmpuint (fixture->syncs, ==, 3);
  balise_auto_sync_sync_finished (fixture->auto_sync, TRUE);
  g_assert_false (balise_auto_sync_is_backing_off (fixture->auto_sync));
}

/* Nothing ready, or not signed in: never; a server that does not answer:
 * no sync until the network changes and a new probe says yes. */
static void
test_auto_sync_never (Fixture       *fixture,
                      gconstpointer  data)
{
  balise_auto_sync_set_enabled (fixture->auto_sync, TRUE);
  balise_auto_sync_set_signed_in (fixture->auto_sync, TRUE);
  balise_auto_sync_network_changed (fixture->auto_sync, TRUE);
  balise_auto_sync_set_ready_count (fixture->auto_sync, 0);
  g_assert_cmpuint (fixture->probes, ==, 0);
  g_assert_cmpuint (fixture->syncs, ==, 0);

  balise_auto_sync_set_signed_in (fixture->auto_sync, FALSE);
  balise_auto_sync_set_ready_count (fixture->auto_sync, 2);
  g_assert_cmpuint (fixture->probes, ==, 0);

  balise_auto_sync_set_signed_in (fixture->auto_sync, TRUE);
  g_assert_cmpuint (fixture->probes, ==, 1);
  balise_auto_sync_probe_result (fixture->auto_sync, FALSE);
  balise_auto_sync_set_ready_count (fixture->auto_sync, 3);
  g_assert_cmpuint (fixture->syncs, ==, 0);
  g_assert_cmpuint (fixture->probes, ==, 1);

  balise_auto_sync_network_changed (fixture->auto_sync, FALSE);
  g_assert_cmpuint (fixture->probes, ==, 1);
  balise_auto_sync_network_changed (fixture->auto_sync, TRUE);
  g_assert_cmpuint (fixture->probes, ==, 2);
  balise_auto_sync_probe_result (fixture->auto_sync, TRUE);
  g_assert_cmpuint (fixture->syncs, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/auto-sync/off", Fixture, NULL, fixture_set_up, test_auto_sync_off, fixture_tear_down);
  g_test_add ("/auto-sync/once", Fixture, NULL, fixture_set_up, test_auto_sync_once, fixture_tear_down);
  g_test_add ("/auto-sync/backoff", Fixture, NULL, fixture_set_up, test_auto_sync_backoff, fixture_tear_down);
  g_test_add ("/auto-sync/never", Fixture, NULL, fixture_set_up, test_auto_sync_never, fixture_tear_down);

  return g_test_run ();
}
