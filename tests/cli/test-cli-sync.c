/* test-cli-sync.c: balise-cli login, logout, whoami and sync --comment,
 * --dry-run, from the outside, against the OSM API test server
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "balise-core.h"
#include "balise-test-server.h"
#include "balise-test-utils.h"

typedef struct
{
  BaliseTestServer *server;
  char             *db;
  char             *keyring;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint counter;
  g_autofree char *db_name = g_strdup_printf ("cli-sync-%u.sqlite", ++counter);
  g_autofree char *keyring_name = g_strdup_printf ("keyring-%u", counter);
  g_autoptr(GError) error = NULL;

  fixture->db = balise_test_tmp_path (db_name);
  fixture->keyring = balise_test_tmp_path (keyring_name);
  fixture->server = balise_test_server_new (NULL, "issued-token");
  g_assert_true (balise_test_server_start (fixture->server, 0, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  balise_test_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  g_free (fixture->db);
  g_free (fixture->keyring);
}

/* balise-cli with the keyring in a file of this test (libsecret's own file
 * backend) and no BALISE_TOKEN unless @token. */
static GSubprocess *
spawn_cli (Fixture     *fixture,
           const char  *token,
           const char **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (char *) BALISE_CLI_PATH);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, fixture->db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "BALISE_TOKEN");
  if (token != NULL)
    g_subprocess_launcher_setenv (launcher, "BALISE_TOKEN", token, TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH", fixture->keyring, TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD", "test-only", TRUE);
  {
    g_autofree char *supp = g_test_build_filename (G_TEST_DIST, "cli", "lsan-libsecret.supp", NULL);
    g_autofree char *lsan = g_strdup_printf ("suppressions=%s", supp);

    g_subprocess_launcher_setenv (launcher, "LSAN_OPTIONS", lsan, TRUE);
    /* The slow unwinder, so that the suppression sees libsecret's frames. */
    g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS",
                                  "detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0", TRUE);
  }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static int
run_cli (Fixture     *fixture,
         const char  *token,
         char       **out,
         char       **err,
         const char  *first_arg,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = spawn_cli (fixture, token, (const char **) args->pdata);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_test_message ("balise-cli %s → %d\n%s%s", first_arg, g_subprocess_get_exit_status (process),
                  stdout_text, stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

static BaliseStore *
open_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  BaliseStore *store = balise_store_open (fixture->db, &error);

  g_assert_no_error (error);
  return store;
}

static void
add_bus_stop (BaliseStore      *store,
              const char       *name,
              double            lat,
              BaliseEditStatus  status)
{
  g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(GError) error = NULL;

  edit->lat = lat;
  edit->lon = 7.42;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  balise_tags_set (edit->new_tags, "name", name);
  edit->contributor = g_strdup ("Camille");
  edit->status = status;
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);
}

static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(BaliseStore) store = open_store (fixture);
  g_autoptr(BaliseNote) note = balise_note_new (43.73, 7.42, "street_lamp", "Street light out");
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  guint requests = balise_test_server_get_request_count (fixture->server);

  add_bus_stop (store, "Place d'Armes", 43.7314, BALISE_EDIT_STATUS_PENDING);
  add_bus_stop (store, "Casino", 43.7396, BALISE_EDIT_STATUS_PENDING);
  g_assert_true (balise_store_add_note (store, note, &error));
  before = balise_store_list_edits (store, 0, &error);

  g_assert_cmpint (run_cli (fixture, "issued-token", &out, &err, "sync", "--dry-run",
                            "--server", balise_test_server_get_url (fixture->server), NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "<?xml"));
  g_assert_nonnull (strstr (out, "<osmChange"));
  g_assert_nonnull (strstr (out, "<create>"));
  g_assert_nonnull (strstr (out, "Place d"));
  g_assert_nonnull (strstr (out, "k=\"highway\" v=\"bus_stop\""));
  g_assert_nonnull (strstr (out, "id=\"-2\""));
  g_assert_nonnull (strstr (err, "2 edits would be sent"));
  g_assert_nonnull (strstr (err, "Street light out"));
  g_assert_nonnull (strstr (err, "Comment: 2 bus stops added"));

  /* Nothing sent, nothing changed. */
  g_assert_cmpuint (balise_test_server_get_request_count (fixture->server), ==, requests);
  after = balise_store_list_edits (store, 0, &error);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    g_assert_cmpint (((BaliseEdit *) after->pdata[i])->status, ==, BALISE_EDIT_STATUS_PENDING);
}

static const char ways_osm[] =
  "<?xml version='1.0' encoding='UTF-8'?>\n"
  "<osm version='0.6' generator='balise tests'>\n"
  " <node id='101' version='3' lat='43.7301000' lon='7.4201000'/>\n"
  " <node id='102' version='1' lat='43.7301000' lon='7.4203000'/>\n"
  " <node id='103' version='2' lat='43.7303000' lon='7.4203000'/>\n"
  " <node id='105' version='1' lat='43.7310000' lon='7.4210000'/>\n"
  " <way id='201' version='5'><nd ref='101'/><nd ref='102'/><nd ref='103'/><nd ref='101'/>"
  "<tag k='amenity' v='shelter'/></way>\n"
  " <way id='202' version='2'><nd ref='103'/><nd ref='105'/><tag k='highway' v='footway'/></way>\n"
  "</osm>\n";

static void
add_way_modify (BaliseStore *store,
                gint64       osm_id,
                gint64       version,
                const char  *key,
                const char  *value,
                const char  *new_value)
{
  g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_MODIFY);
  g_autoptr(GError) error = NULL;

  edit->osm_type = BALISE_OSM_WAY;
  edit->osm_id = osm_id;
  edit->base_version = version;
  edit->base_tags = balise_tags_new ();
  balise_tags_set (edit->base_tags, key, value);
  edit->new_tags = balise_tags_copy (edit->base_tags);
  balise_tags_set (edit->new_tags, "name", new_value);
  edit->lat = 43.7302;
  edit->lon = 7.4202;
  edit->contributor = g_strdup ("Camille");
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);
}

/* The <way> of way @id in @osc, up to its end. */
static char *
way_in (const char *osc,
        const char *id)
{
  g_autofree char *start = g_strdup_printf ("<way id=\"%s\"", id);
  const char *begin = strstr (osc, start);
  const char *end;

  g_assert_nonnull (begin);
  end = strstr (begin, "</way>");
  g_assert_nonnull (end);
  return g_strndup (begin, end - begin);
}

/* The refs of the <nd> of @way, in order, space-separated. */
static char *
node_refs (const char *way)
{
  g_autoptr(GString) refs = g_string_new (NULL);

  for (const char *nd = strstr (way, "<nd ref=\""); nd != NULL; nd = strstr (nd, "<nd ref=\""))
    {
      const char *end;

      nd += strlen ("<nd ref=\"");
      end = strchr (nd, '"');
      g_assert_nonnull (end);
      if (refs->len > 0)
        g_string_append_c (refs, ' ');
      g_string_append_len (refs, nd, end - nd);
    }
  return g_string_free (g_steal_pointer (&refs), FALSE);
}

/* A way modify in the dry run carries the way's node list, from the store
 * as the upload would read it from the server; a way whose list the store
 * lacks is named on stderr. */
static void
test_dry_run_ways (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BaliseStore) store = open_store (fixture);
  g_autofree char *osm = balise_test_tmp_path ("ways.osm");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *shelter = NULL;
  g_autofree char *footway = NULL;
  g_autofree char *refs = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_true (g_file_set_contents (osm, ways_osm, -1, &error));
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, osm, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  add_way_modify (store, 201, 5, "amenity", "shelter", "Abri du port");
  add_way_modify (store, 202, 2, "highway", "footway", "Chemin des pêcheurs");

  /* A database from before schema 5 kept no list for some ways. */
  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE element SET way_nodes = NULL "
                                     "WHERE osm_type = 'way' AND osm_id = 202",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_cmpint (run_cli (fixture, "issued-token", &out, &err, "sync", "--dry-run",
                            "--server", balise_test_server_get_url (fixture->server), NULL), ==, 0);
  g_assert_nonnull (strstr (out, "<modify>"));
  shelter = way_in (out, "201");
  g_assert_nonnull (strstr (shelter, "version=\"5\""));
  refs = node_refs (shelter);
  g_assert_cmpstr (refs, ==, "101 102 103 101");
  footway = way_in (out, "202");
  g_assert_null (strstr (footway, "<nd"));
  g_assert_nonnull (strstr (err, "Way 202 is incomplete"));
  g_assert_null (strstr (err, "Way 201"));
  g_assert_nonnull (strstr (err, "2 edits would be sent"));
}

static void
test_comment (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(BaliseStore) store = open_store (fixture);
  g_autofree char *out = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = balise_test_server_get_url (fixture->server);

  add_bus_stop (store, "Place d'Armes", 43.7314, BALISE_EDIT_STATUS_PENDING);
  add_bus_stop (store, "Casino", 43.7396, BALISE_EDIT_STATUS_PENDING);

  /* No comment: the summary is offered, and used. */
  g_assert_cmpint (run_cli (fixture, "issued-token", &out, NULL, "sync", "--server", url, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "No --comment given; using: 2 bus stops added"));
  g_assert_cmpint (balise_test_server_query_int (fixture->server,
                                                 "SELECT count(*) FROM changeset_tag WHERE k = 'comment' "
                                                 "AND v LIKE '2 bus stops added%'"), ==, 1);

  add_bus_stop (store, "Larvotto", 43.7470, BALISE_EDIT_STATUS_PENDING);
  g_assert_cmpint (run_cli (fixture, "issued-token", &again, NULL, "sync", "--server", url,
                            "--comment", "Bus stops checked on foot", NULL), ==, 0);
  g_assert_null (strstr (again, "No --comment"));
  g_assert_cmpint (balise_test_server_query_int (fixture->server,
                                                 "SELECT count(*) FROM changeset_tag WHERE k = 'comment' "
                                                 "AND v = 'Bus stops checked on foot'"), ==, 1);
}

/* --hashtags end the comment and make the hashtags tag; a word that is no
 * hashtag is refused before anything is sent. */
static void
test_hashtags (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(BaliseStore) store = open_store (fixture);
  g_autofree char *err = NULL;
  const char *url = balise_test_server_get_url (fixture->server);

  add_bus_stop (store, "Casino", 43.7396, BALISE_EDIT_STATUS_PENDING);

  g_assert_cmpint (run_cli (fixture, "issued-token", NULL, &err, "sync", "--server", url,
                            "--comment", "Stops", "--hashtags", "#balise #bad.one", NULL), !=, 0);
  g_assert_nonnull (strstr (err, "“#bad.one” is not a hashtag"));
  g_assert_cmpint (balise_test_server_query_int (fixture->server, "SELECT count(*) FROM changeset"), ==, 0);

  g_assert_cmpint (run_cli (fixture, "issued-token", NULL, NULL, "sync", "--server", url,
                            "--comment", "Stops", "--hashtags", "balise, monaco-stops", NULL), ==, 0);
  g_assert_cmpint (balise_test_server_query_int (fixture->server,
                                                 "SELECT count(*) FROM changeset_tag WHERE "
                                                 "(k = 'comment' AND v = 'Stops #balise #monaco-stops') OR "
                                                 "(k = 'hashtags' AND v = '#balise;#monaco-stops')"), ==, 2);
  g_assert_cmpint (balise_test_server_query_int (fixture->server,
                                                 "SELECT count(*) FROM changeset_tag WHERE k = 'balise:contributors'"),
                   ==, 0);
}

/* With review before upload on, only approved edits leave. */
static void
test_review_on (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(BaliseStore) store = open_store (fixture);
  g_autoptr(GError) error = NULL;

  g_assert_true (balise_store_set_review_before_upload (store, TRUE, &error));
  add_bus_stop (store, "Approved", 43.7314, BALISE_EDIT_STATUS_APPROVED);
  add_bus_stop (store, "Waiting", 43.7396, BALISE_EDIT_STATUS_PENDING);

  g_assert_cmpint (run_cli (fixture, "issued-token", NULL, NULL, "sync", "--server",
                            balise_test_server_get_url (fixture->server), NULL), ==, 0);
  g_assert_cmpint (balise_test_server_query_int (fixture->server,
                                                 "SELECT count(*) FROM element WHERE type = 'node'"), ==, 1);
  g_assert_cmpint (balise_test_server_query_int (fixture->server,
                                                 "SELECT count(*) FROM element WHERE xml LIKE '%Approved%'"),
                   ==, 1);
}

static void
browse_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GBytes) page = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  gboolean *done = user_data;

  *done = TRUE;
}

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  const char *url = balise_test_server_get_url (fixture->server);
  const char *login_args[] = { "login", "--server", url, "--client-id", "balise-test", NULL };
  g_autoptr(GSubprocess) login = spawn_cli (fixture, NULL, login_args);
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (login));
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(SoupMessage) page = NULL;
  g_autoptr(BaliseStore) store = open_store (fixture);
  g_autofree char *intro = NULL;
  g_autofree char *authorize = NULL;
  g_autofree char *signed_in = NULL;
  g_autofree char *whoami = NULL;
  g_autofree char *after = NULL;
  g_autofree char *keyring = NULL;
  g_autoptr(GError) error = NULL;
  gboolean browsed = FALSE;
  gsize size;

  intro = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  authorize = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (authorize, url));
  g_assert_nonnull (strstr (authorize, "oauth2/authorize?"));

  page = soup_message_new ("GET", authorize);
  soup_session_send_and_read_async (browser, page, G_PRIORITY_DEFAULT, NULL, browse_done_cb, &browsed);
  while (!browsed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (page), ==, 200);

  signed_in = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (login, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (signed_in, "Signed in to"));
  g_assert_nonnull (strstr (signed_in, " as user-"));

  /* The token is in the keyring file, never in clear anywhere. */
  g_assert_true (g_file_get_contents (fixture->keyring, &keyring, &size, NULL));
  g_assert_null (g_strstr_len (keyring, size, "issued-token"));

  g_assert_cmpint (run_cli (fixture, NULL, &whoami, NULL, "whoami", "--server", url, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (whoami, signed_in));

  /* sync finds the token without BALISE_TOKEN. */
  add_bus_stop (store, "Larvotto", 43.7470, BALISE_EDIT_STATUS_PENDING);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, "sync", "--server", url, NULL), ==, 0);
  g_assert_cmpint (balise_test_server_query_int (fixture->server,
                                                 "SELECT count(*) FROM element WHERE type = 'node'"), ==, 1);

  g_assert_cmpint (run_cli (fixture, NULL, NULL, NULL, "logout", "--server", url, NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, NULL, &after, NULL, "whoami", "--server", url, NULL), ==, 1);
  g_assert_nonnull (strstr (after, "Nobody is signed in"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/sync/dry-run", Fixture, NULL, fixture_set_up, test_dry_run, fixture_tear_down);
  g_test_add ("/cli/sync/dry-run-ways", Fixture, NULL, fixture_set_up, test_dry_run_ways,
              fixture_tear_down);
  g_test_add ("/cli/sync/comment", Fixture, NULL, fixture_set_up, test_comment, fixture_tear_down);
  g_test_add ("/cli/sync/hashtags", Fixture, NULL, fixture_set_up, test_hashtags, fixture_tear_down);
  g_test_add ("/cli/sync/review-on", Fixture, NULL, fixture_set_up, test_review_on, fixture_tear_down);
  g_test_add ("/cli/login", Fixture, NULL, fixture_set_up, test_login, fixture_tear_down);

  return g_test_run ();
}
