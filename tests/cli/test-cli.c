/* test-cli.c: balise-cli from the outside, against a separate osm-test-server
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>

#include "balise-core.h"
#include "balise-test-utils.h"

typedef struct
{
  GSubprocess *server;
  char        *url;
  char        *db;
} Fixture;

/* Runs balise-cli with @args; returns its exit status and output. */
static int
run_cli (Fixture     *fixture,
         char       **out,
         char       **err,
         const char  *first_arg,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) BALISE_CLI_PATH);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, fixture->db);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "BALISE_TOKEN", "volunteer-token", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
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

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint counter;
  g_autofree char *db_name = g_strdup_printf ("cli-%u.sqlite", ++counter);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  GInputStream *stdout_pipe;

  fixture->db = balise_test_tmp_path (db_name);

  fixture->server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                      OSM_TEST_SERVER_PATH, "--port", "0", NULL);
  g_assert_no_error (error);

  stdout_pipe = g_subprocess_get_stdout_pipe (fixture->server);
  lines = g_data_input_stream_new (stdout_pipe);
  fixture->url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->url);
  g_assert_true (g_str_has_prefix (fixture->url, "http://127.0.0.1:"));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_subprocess_send_signal (fixture->server, SIGTERM);
  g_subprocess_wait (fixture->server, NULL, NULL);
  g_clear_object (&fixture->server);
  g_free (fixture->url);
  g_free (fixture->db);
}

static JsonArray *
queue_json (Fixture    *fixture,
            JsonParser *parser,
            gboolean    all)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  if (all)
    g_assert_cmpint (run_cli (fixture, &out, NULL, "queue", "--json", "--all", NULL), ==, 0);
  else
    g_assert_cmpint (run_cli (fixture, &out, NULL, "queue", "--json", NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

static void
test_cli_round_trip (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *osc = NULL;
  g_autofree char *osc_path = NULL;
  g_autofree char *node_uri = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GBytes) osc_bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *queue;
  JsonObject *edit;
  JsonObject *tags;

  g_assert_cmpint (run_cli (fixture, &out, NULL, "add", "bus-stop", "--lat", "43.7314",
                            "--lon", "7.4197", "--tag", "name=Place d'Armes",
                            "--tag", "shelter=yes", NULL), ==, 0);
  g_assert_true (g_uuid_string_is_valid (g_strstrip (out)));

  queue = queue_json (fixture, parser, FALSE);
  g_assert_cmpuint (json_array_get_length (queue), ==, 1);
  edit = json_array_get_object_element (queue, 0);
  g_assert_cmpstr (json_object_get_string_member (edit, "status"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (edit, "kind"), ==, "create");
  tags = json_object_get_object_member (edit, "tags");
  g_assert_cmpuint (json_object_get_size (tags), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (tags, "highway"), ==, "bus_stop");
  g_assert_cmpstr (json_object_get_string_member (tags, "public_transport"), ==, "platform");
  g_assert_cmpstr (json_object_get_string_member (tags, "bus"), ==, "yes");
  g_assert_cmpstr (json_object_get_string_member (tags, "name"), ==, "Place d'Armes");
  g_assert_cmpstr (json_object_get_string_member (tags, "shelter"), ==, "yes");

  /* The osmChange export holds the same edit. */
  osc_path = balise_test_tmp_path ("pending.osc");
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "export", "--format", "osc", osc_path, NULL), ==, 0);
  g_assert_true (g_file_get_contents (osc_path, &osc, NULL, NULL));
  osc_bytes = g_bytes_new (osc, strlen (osc));
  parsed = balise_osm_xml_parse_change (osc_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->len, ==, 1);
  g_assert_cmpstr (balise_tags_lookup (((BaliseEdit *) parsed->pdata[0])->new_tags, "name"), ==,
                   "Place d'Armes");

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, &out, NULL, "sync", "--server", fixture->url, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "1 bus stop added"));

  queue = queue_json (fixture, parser, TRUE);
  g_assert_cmpuint (json_array_get_length (queue), ==, 1);
  edit = json_array_get_object_element (queue, 0);
  g_assert_cmpstr (json_object_get_string_member (edit, "status"), ==, "uploaded");
  g_assert_cmpint (json_object_get_int_member (edit, "new_id"), >, 0);
  g_assert_cmpint (json_object_get_int_member (edit, "new_version"), ==, 1);

  /* The server holds that node with exactly those tags. */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) message = NULL;
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GPtrArray) wrapped = NULL;
    g_autofree char *text = NULL;
    g_autofree char *as_change = NULL;
    g_autoptr(GBytes) change_bytes = NULL;
    BaliseEdit *node;
    char *start;

    node_uri = g_strdup_printf ("%sapi/0.6/node/%" G_GINT64_FORMAT, fixture->url,
                                json_object_get_int_member (edit, "new_id"));
    message = soup_message_new ("GET", node_uri);
    body = soup_session_send_and_read (session, message, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (message), ==, 200);

    /* Read the <node> with the osmChange reader by putting it in a block. */
    text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    start = strstr (text, "<node");
    g_assert_nonnull (start);
    *strstr (start, "</osm>") = '\0';
    as_change = g_strconcat ("<osmChange><modify>", start, "</modify></osmChange>", NULL);
    change_bytes = g_bytes_new (as_change, strlen (as_change));
    wrapped = balise_osm_xml_parse_change (change_bytes, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (wrapped->len, ==, 1);
    node = g_ptr_array_index (wrapped, 0);
    g_assert_cmpuint (balise_tags_get_size (node->new_tags), ==, 5);
    g_assert_cmpstr (balise_tags_lookup (node->new_tags, "name"), ==, "Place d'Armes");
    g_assert_cmpstr (balise_tags_lookup (node->new_tags, "shelter"), ==, "yes");
    g_assert_cmpfloat_with_epsilon (node->lat, 43.7314, 1e-7);
  }

  /* A second sync sends nothing. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, &out, NULL, "sync", "--server", fixture->url, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Nothing to send"));

  queue = queue_json (fixture, parser, FALSE);
  g_assert_cmpuint (json_array_get_length (queue), ==, 0);
}

static void
test_cli_errors (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *long_tag = g_strnfill (300, 'x');
  g_autofree char *tag = g_strconcat ("name=", long_tag, NULL);

  g_assert_cmpint (run_cli (fixture, NULL, &err, "add", "bus-stop", "--lat", "91", "--lon", "7",
                            NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--lat"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, NULL, &err, "add", "bus-stop", "--lat", "43", "--lon", "7",
                            "--tag", tag, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "255"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, NULL, &err, "add", "tram-stop", "--lat", "43", "--lon", "7",
                            NULL), ==, 2);
  g_assert_nonnull (strstr (err, "unknown kind"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, NULL, &err, "frobnicate", NULL), ==, 2);
  g_clear_pointer (&err, g_free);

  /* A server that is not there: a clear error, nothing lost. */
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "add", "bus-stop", "--lat", "43.7", "--lon", "7.4",
                            NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, NULL, &err, "sync", "--server", "http://127.0.0.1:1/", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "No answer"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, NULL, &err, "sync", "--server", fixture->url, NULL), ==, 0);
}

static void
test_cli_no_gtk (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "ldd", BALISE_CLI_PATH, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "libsoup-3.0"));
  g_assert_null (strstr (out, "libgtk"));
  g_assert_null (strstr (out, "libadwaita"));
  g_assert_null (strstr (out, "libshumate"));
}

/* An area downloaded into a fresh database, then exported in every format. */
static void
test_cli_download_export (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *source_db = NULL;
  JsonArray *features;
  JsonObject *properties;

  g_assert_cmpint (run_cli (fixture, NULL, NULL, "add", "bus-stop", "--lat", "43.7314",
                            "--lon", "7.4197", "--tag", "name=Place d'Armes", NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "sync", "--server", fixture->url, NULL), ==, 0);

  source_db = fixture->db;
  fixture->db = balise_test_tmp_path ("cli-download.sqlite");

  g_assert_cmpint (run_cli (fixture, NULL, &err, "download", "--server", fixture->url,
                            "--bbox", "7.41,43.72,7.43", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--bbox"));
  g_assert_cmpint (run_cli (fixture, &out, NULL, "download", "--server", fixture->url,
                            "--bbox", "7.41,43.72,7.43,43.74", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Downloaded 1 nodes"));

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, &out, NULL, "export", "--format", "geojson", "-", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  features = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "features");
  g_assert_cmpuint (json_array_get_length (features), ==, 1);
  properties = json_object_get_object_member (json_array_get_object_element (features, 0),
                                              "properties");
  g_assert_cmpstr (json_object_get_string_member (properties, "name"), ==, "Place d'Armes");
  g_assert_cmpstr (json_object_get_string_member (properties, "@status"), ==, "clean");

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, &out, NULL, "export", "--format", "csv", "-", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "osm_type,osm_id,lat,lon,category,status,name,ref,tags\r\n"));
  g_assert_nonnull (strstr (out, ",bus_stop,clean,Place d'Armes,,"));

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, &out, NULL, "export", "--format", "osm",
                            "--bbox", "7.41,43.72,7.43,43.74", "-", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "generator=\"Balise\""));
  g_assert_nonnull (strstr (out, "<tag k=\"name\" v=\"Place d'Armes\"/>"));

  g_assert_cmpint (run_cli (fixture, NULL, NULL, "export", "--format", "shp", "-", NULL), ==, 2);

  g_free (fixture->db);
  fixture->db = g_steal_pointer (&source_db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/round-trip", Fixture, NULL, fixture_set_up, test_cli_round_trip,
              fixture_tear_down);
  g_test_add ("/cli/errors", Fixture, NULL, fixture_set_up, test_cli_errors, fixture_tear_down);
  g_test_add ("/cli/download-export", Fixture, NULL, fixture_set_up, test_cli_download_export,
              fixture_tear_down);
  g_test_add_func ("/cli/links-no-gtk", test_cli_no_gtk);

  return g_test_run ();
}
