/* bench-sync.c: syncing N edits to the test server, against curl posting
 * the same osmChange bytes (DESIGN §7: target ≤ 1.5×).
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "balise-core.h"
#include "balise-test-server.h"
#include "balise-test-utils.h"

#define REPEATS 3

static BaliseStore *
make_store (guint n_edits,
            guint repeat)
{
  g_autofree char *name = g_strdup_printf ("bench-sync-%u.sqlite", repeat);
  g_autofree char *path = balise_test_tmp_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseStore) store = balise_store_open (path, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n_edits; i++)
    {
      g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_CREATE);
      g_autofree char *ref = g_strdup_printf ("%u", i);

      edit->lat = 43.72 + (i % 100) * 0.0004;
      edit->lon = 7.40 + (i / 100) * 0.0005;
      edit->new_tags = balise_tags_new ();
      balise_tags_set (edit->new_tags, "highway", "bus_stop");
      balise_tags_set (edit->new_tags, "public_transport", "platform");
      balise_tags_set (edit->new_tags, "bus", "yes");
      balise_tags_set (edit->new_tags, "ref", ref);
      balise_tags_set (edit->new_tags, "shelter", i % 2 ? "yes" : "no");
      g_assert_true (balise_store_add_edit (store, edit, &error));
    }
  return g_steal_pointer (&store);
}

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  BaliseSyncReport **report = user_data;
  g_autoptr(GError) error = NULL;

  *report = balise_sync_client_sync_finish (BALISE_SYNC_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static double
time_balise (BaliseStore      *store,
             BaliseTestServer *server,
             guint             n_edits)
{
  g_autoptr(BaliseSyncClient) client = balise_sync_client_new (balise_test_server_get_url (server),
                                                               "bench-token");
  g_autofree BaliseSyncReport *report = NULL;
  gint64 start = g_get_monotonic_time ();

  balise_sync_client_sync_async (client, store, "Benchmark", NULL, sync_done_cb, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (report->created, ==, n_edits);
  return (g_get_monotonic_time () - start) / 1e6;
}

static char *
run_curl (const char  *method,
          const char  *url,
          const char  *body_file,
          gboolean     must_succeed)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_arg = body_file ? g_strconcat ("@", body_file, NULL) : NULL;
  int status = 0;
  const char *argv[] = {
    /* The close may answer 409 (see below): no message for it. */
    "curl", must_succeed ? "-sS" : "-s", must_succeed ? "--fail" : "--silent", "-X", method, "-H", "Authorization: Bearer bench-token",
    "-H", "Content-Type: text/xml", url, body_file ? "--data-binary" : NULL, data_arg, NULL
  };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  if (must_succeed)
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* The same work with curl: create a changeset, upload the same bytes, close. */
static double
time_curl (BaliseStore      *store,
           BaliseTestServer *server)
{
  g_autoptr(GPtrArray) edits = balise_store_list_edits (store, 0, NULL);
  g_autofree char *create_file = balise_test_tmp_path ("changeset.xml");
  g_autofree char *osc_file = balise_test_tmp_path ("upload.osc");
  g_autoptr(BaliseTags) tags = balise_tags_new ();
  g_autoptr(GBytes) create = NULL;
  g_autoptr(GBytes) osc = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *close_out = NULL;
  g_autofree char *diff = NULL;
  gint64 start, id;
  double seconds;

  balise_tags_set (tags, "comment", "Benchmark");
  create = balise_osm_xml_write_changeset (tags, "curl");
  g_assert_true (g_file_set_contents (create_file, g_bytes_get_data (create, NULL),
                                      g_bytes_get_size (create), NULL));

  start = g_get_monotonic_time ();
  url = g_strconcat (balise_test_server_get_url (server), "api/0.6/changeset/create", NULL);
  id_text = run_curl ("PUT", url, create_file, TRUE);
  id = g_ascii_strtoll (id_text, NULL, 10);
  g_assert_cmpint (id, >, 0);

  /* Preparing the bytes is not counted for curl. */
  seconds = (g_get_monotonic_time () - start) / 1e6;
  osc = balise_osm_xml_write_change (edits, id, "Balise benchmark");
  g_assert_true (g_file_set_contents (osc_file, g_bytes_get_data (osc, NULL),
                                      g_bytes_get_size (osc), NULL));

  start = g_get_monotonic_time ();
  g_free (url);
  url = g_strdup_printf ("%sapi/0.6/changeset/%" G_GINT64_FORMAT "/upload",
                         balise_test_server_get_url (server), id);
  diff = run_curl ("POST", url, osc_file, TRUE);
  g_assert_nonnull (strstr (diff, "<diffResult"));
  g_free (url);
  url = g_strdup_printf ("%sapi/0.6/changeset/%" G_GINT64_FORMAT "/close",
                         balise_test_server_get_url (server), id);
  /* A changeset that reached maximum_elements is already closed (409). */
  close_out = run_curl ("PUT", url, NULL, FALSE);
  seconds += (g_get_monotonic_time () - start) / 1e6;

  return seconds;
}

/* The 1-minute load average, as timings on a shared machine need it. */
static const char *
load_average (void)
{
  static char text[16];
  g_autofree char *contents = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    return "unknown";
  g_strlcpy (text, contents, MIN (sizeof text, strcspn (contents, " ") + 1));
  return text;
}

int
main (int   argc,
      char *argv[])
{
  const char *n_env = g_getenv ("BALISE_BENCH_SYNC_EDITS");
  guint n_edits = n_env ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 10000;
  double best_balise = G_MAXDOUBLE;
  double best_curl = G_MAXDOUBLE;
  g_autofree char *curl = g_find_program_in_path ("curl");

  if (curl == NULL)
    {
      g_print ("bench-sync: curl is not installed; skipped\n");
      return 77;
    }

  for (guint repeat = 0; repeat < REPEATS; repeat++)
    {
      g_autoptr(BaliseStore) store = make_store (n_edits, repeat);
      g_autoptr(BaliseTestServer) curl_server = balise_test_server_new (NULL, NULL);
      g_autoptr(BaliseTestServer) balise_server = balise_test_server_new (NULL, NULL);
      g_autoptr(GError) error = NULL;
      double t_curl, t_balise;

      g_assert_true (balise_test_server_start (curl_server, 0, &error));
      g_assert_true (balise_test_server_start (balise_server, 0, &error));

      /* Each goes first in turn: neither always gets the warmer caches. */
      if (repeat % 2 == 0)
        {
          t_curl = time_curl (store, curl_server);
          t_balise = time_balise (store, balise_server, n_edits);
        }
      else
        {
          t_balise = time_balise (store, balise_server, n_edits);
          t_curl = time_curl (store, curl_server);
        }
      g_print ("run %u: curl %.3f s, Balise %.3f s (%.2f x), load %s\n", repeat + 1, t_curl, t_balise,
               t_balise / t_curl, load_average ());

      best_curl = MIN (best_curl, t_curl);
      best_balise = MIN (best_balise, t_balise);
    }

  g_print ("sync %u edits (best of %d): Balise %.3f s, curl with the same osmChange %.3f s: "
           "%.2f x (target: at most 1.5 x)\n",
           n_edits, REPEATS, best_balise, best_curl, best_balise / best_curl);
  return 0;
}
