/* test-download.c: map?bbox from the OSM API test server into a store
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <libsoup/soup.h>

#include "balise-core.h"
#include "balise-download.h"
#include "balise-store-query.h"
#include "balise-test-server.h"
#include "balise-test-utils.h"
#include "test-elements.h"

#define TOKEN "volunteer-token"

typedef struct
{
  BaliseTestServer *server;
  BaliseStore      *source;   /* uploads the server's data */
  BaliseStore      *store;    /* downloads it */
} Fixture;

typedef struct
{
  GMainLoop *loop;
  gpointer   result;
  GError    *error;
  guint      progress_calls;
} Wait;

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = balise_sync_client_sync_finish (BALISE_SYNC_CLIENT (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
download_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = balise_store_download_area_finish (BALISE_STORE (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  Wait *wait = user_data;

  g_assert_cmpuint (done, <=, total);
  wait->progress_calls++;
}

static BaliseStore *
open_store (const char *prefix)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("%s-%u.sqlite", prefix, ++counter);
  g_autofree char *path = balise_test_tmp_path (name);
  g_autoptr(GError) error = NULL;
  BaliseStore *store = balise_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
upload (Fixture *fixture)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(BaliseSyncClient) client = NULL;
  Wait wait = { loop, NULL, NULL, 0 };

  client = balise_sync_client_new (balise_test_server_get_url (fixture->server), TOKEN);
  balise_sync_client_sync_async (client, fixture->source, "Test data", NULL, sync_done_cb, &wait);
  g_main_loop_run (loop);
  g_assert_no_error (wait.error);
  g_free (wait.result);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const struct { double lat, lon; const char *name; } stops[] = {
    { 43.7300, 7.4200, "Casino" },
    { 43.7310, 7.4210, "Place d'Armes" },
    { 43.7320, 7.4220, "Stade" },
    { 43.7330, 7.4230, "Port" },
    { 43.7340, 7.4240, "Gare" },
    { 44.2000, 7.9000, "Far north-east" },
  };

  fixture->server = balise_test_server_new (NULL, TOKEN);
  g_assert_true (balise_test_server_start (fixture->server, 0, &error));
  g_assert_no_error (error);
  fixture->source = open_store ("download-source");
  fixture->store = open_store ("download");

  for (guint i = 0; i < G_N_ELEMENTS (stops); i++)
    {
      g_autoptr(BaliseEdit) edit = test_add_edit (fixture->source, BALISE_EDIT_CREATE, 0,
                                                  stops[i].lat, stops[i].lon,
                                                  "highway", "bus_stop", "name", stops[i].name,
                                                  NULL);
    }
  upload (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  balise_test_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->source);
  g_clear_object (&fixture->store);
}

static BaliseDownloadReport *
download (Fixture  *fixture,
          double    west,
          double    south,
          double    east,
          double    north,
          guint    *progress_calls,
          GError  **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL, NULL, 0 };

  balise_store_download_area_async (fixture->store, balise_test_server_get_url (fixture->server),
                                    west, south, east, north, NULL, progress_cb,
                                    download_done_cb, &wait);
  g_main_loop_run (loop);
  /* The progress calls queued before the answer. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (progress_calls != NULL)
    *progress_calls = wait.progress_calls;
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.result;
}

static GPtrArray *
features_in (Fixture *fixture,
             double   west,
             double   south,
             double   east,
             double   north)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *features;

  features = balise_store_query_viewport (fixture->store, west, south, east, north, 0, &error);
  g_assert_no_error (error);
  return features;
}

static void
test_download_features (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree BaliseDownloadReport *report = NULL;
  g_autofree BaliseDownloadReport *again = NULL;
  g_autoptr(GPtrArray) features = NULL;
  guint progress_calls = 0;
  gboolean found_casino = FALSE;

  report = download (fixture, 7.41, 43.72, 7.44, 43.74, &progress_calls, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->requests, ==, 1);
  g_assert_cmpuint (report->tiles, ==, 1);
  g_assert_cmpuint (report->nodes, ==, 5);
  g_assert_cmpuint (progress_calls, ==, 1);

  features = features_in (fixture, 7.41, 43.72, 7.44, 43.74);
  g_assert_cmpuint (features->len, ==, 5);
  for (guint i = 0; i < features->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (features, i);

      g_assert_cmpint (feature->osm_id, >, 0);
      g_assert_cmpint (feature->version, ==, 1);
      g_assert_cmpint (feature->status, ==, BALISE_FEATURE_CLEAN);
      g_assert_cmpstr (feature->category, ==, "bus_stop");
      if (g_strcmp0 (feature->name, "Casino") == 0)
        {
          found_casino = TRUE;
          g_assert_cmpfloat_with_epsilon (feature->lat, 43.73, 1e-7);
          g_assert_cmpfloat_with_epsilon (feature->lon, 7.42, 1e-7);
        }
    }
  g_assert_true (found_casino);

  /* Downloading again changes nothing. */
  again = download (fixture, 7.41, 43.72, 7.44, 43.74, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&features, g_ptr_array_unref);
  features = features_in (fixture, -180, -90, 180, 90);
  g_assert_cmpuint (features->len, ==, 5);
}

static void
test_download_split_too_many_nodes (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree BaliseDownloadReport *report = NULL;
  g_autoptr(GPtrArray) features = NULL;

  balise_test_server_set_max_nodes (fixture->server, 3);
  report = download (fixture, 7.41, 43.72, 7.44, 43.74, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->requests, >, 1);
  g_assert_cmpuint (report->tiles, >, 1);
  /* A node on the line between two tiles comes in both. */
  g_assert_cmpuint (report->nodes, >=, 5);

  features = features_in (fixture, 7.41, 43.72, 7.44, 43.74);
  g_assert_cmpuint (features->len, ==, 5);

  /* One node too many where no split can separate them. */
  balise_test_server_set_max_nodes (fixture->server, 1);
  {
    g_autoptr(BaliseEdit) twin = test_add_edit (fixture->source, BALISE_EDIT_CREATE, 0,
                                                43.7300, 7.4200,
                                                "amenity", "bench", NULL);
  }
  balise_test_server_set_max_nodes (fixture->server, 50000);
  upload (fixture);
  balise_test_server_set_max_nodes (fixture->server, 1);
  g_clear_pointer (&report, g_free);
  report = download (fixture, 7.4199, 43.7299, 7.4201, 43.7301, NULL, &error);
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BAD_REQUEST);
  g_assert_null (report);
}

static void
test_download_large_box (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree BaliseDownloadReport *report = NULL;
  g_autoptr(GPtrArray) features = NULL;
  guint before = balise_test_server_get_request_count (fixture->server);
  guint progress_calls = 0;

  /* 1° × 0.6°: 0.6 deg², at least three tiles of 0.25 deg². */
  report = download (fixture, 7.0, 43.7, 8.0, 44.3, &progress_calls, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->requests, >=, 3);
  g_assert_cmpuint (report->requests, ==, report->tiles);
  g_assert_cmpuint (progress_calls, ==, report->tiles);
  /* The capabilities and the tiles. */
  g_assert_cmpuint (balise_test_server_get_request_count (fixture->server) - before, ==,
                    report->requests + 1);
  g_assert_cmpuint (report->nodes, ==, 6);

  features = features_in (fixture, -180, -90, 180, 90);
  g_assert_cmpuint (features->len, ==, 6);
}

static void
test_download_conflict (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree BaliseDownloadReport *first = NULL;
  g_autofree BaliseDownloadReport *second = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GPtrArray) source_edits = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  BaliseFeature *casino = NULL;
  BaliseEdit *uploaded = NULL;

  first = download (fixture, 7.41, 43.72, 7.44, 43.74, NULL, &error);
  g_assert_no_error (error);
  features = features_in (fixture, 7.4199, 43.7299, 7.4201, 43.7301);
  g_assert_cmpuint (features->len, ==, 1);
  casino = g_ptr_array_index (features, 0);

  /* A local modify of version 1... */
  {
    g_autoptr(BaliseEdit) edit = test_add_edit (fixture->store, BALISE_EDIT_MODIFY, casino->osm_id,
                                                43.73, 7.42, "highway", "bus_stop",
                                                "name", "Casino", "shelter", "yes", NULL);
  }

  /* ... while someone else makes it version 2 on the server. */
  source_edits = balise_store_list_edits (fixture->source, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < source_edits->len; i++)
    if (((BaliseEdit *) g_ptr_array_index (source_edits, i))->new_id == casino->osm_id)
      uploaded = g_ptr_array_index (source_edits, i);
  g_assert_nonnull (uploaded);
  {
    g_autoptr(BaliseEdit) edit = test_add_edit (fixture->source, BALISE_EDIT_MODIFY,
                                                casino->osm_id, 43.73, 7.42,
                                                "highway", "bus_stop", "name", "Casino",
                                                "bench", "yes", NULL);
  }
  upload (fixture);

  second = download (fixture, 7.41, 43.72, 7.44, 43.74, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->conflicts, ==, 1);

  edits = balise_store_list_edits (fixture->store, BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_CONFLICT),
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 1);

  g_clear_pointer (&features, g_ptr_array_unref);
  features = features_in (fixture, 7.4199, 43.7299, 7.4201, 43.7301);
  g_assert_cmpuint (features->len, ==, 1);
  casino = g_ptr_array_index (features, 0);
  g_assert_cmpint (casino->status, ==, BALISE_FEATURE_CONFLICT);
  g_assert_cmpint (casino->version, ==, 2);
}

static BaliseEdit *
uploaded_edit (Fixture    *fixture,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) edits = balise_store_list_edits (fixture->source, 0, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);

      if (edit->kind == BALISE_EDIT_CREATE &&
          g_strcmp0 (balise_tags_lookup (edit->new_tags, "name"), name) == 0)
        return balise_edit_ref (edit);
    }
  g_assert_not_reached ();
}

/* Nodes deleted on the server go; an edited one becomes a conflict. */
static void
test_download_deleted_upstream (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree BaliseDownloadReport *first = NULL;
  g_autofree BaliseDownloadReport *second = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(BaliseEdit) stade = uploaded_edit (fixture, "Stade");
  g_autoptr(BaliseEdit) port = uploaded_edit (fixture, "Port");

  first = download (fixture, 7.41, 43.72, 7.44, 43.74, NULL, &error);
  g_assert_no_error (error);

  /* Locally, someone edits the Port stop... */
  {
    g_autoptr(BaliseEdit) edit = test_add_edit (fixture->store, BALISE_EDIT_MODIFY, port->new_id,
                                                43.733, 7.423, "highway", "bus_stop",
                                                "name", "Port Hercule", NULL);
  }
  /* ... while both it and the Stade stop are deleted on the server. */
  {
    g_autoptr(BaliseEdit) delete_stade = test_add_edit (fixture->source, BALISE_EDIT_DELETE,
                                                        stade->new_id, 43.732, 7.422, NULL);
    g_autoptr(BaliseEdit) delete_port = test_add_edit (fixture->source, BALISE_EDIT_DELETE,
                                                       port->new_id, 43.733, 7.423, NULL);
  }
  upload (fixture);

  second = download (fixture, 7.41, 43.72, 7.44, 43.74, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->deleted, ==, 1);
  g_assert_cmpuint (second->conflicts, ==, 1);

  features = features_in (fixture, 7.41, 43.72, 7.44, 43.74);
  g_assert_cmpuint (features->len, ==, 4);
  for (guint i = 0; i < features->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (features, i);

      g_assert_cmpint (feature->osm_id, !=, stade->new_id);
      if (feature->osm_id == port->new_id)
        g_assert_cmpint (feature->status, ==, BALISE_FEATURE_CONFLICT);
    }
}

static char *
server_call (Fixture    *fixture,
             SoupSession *session,
             const char *method,
             const char *path,
             const char *body)
{
  g_autofree char *uri = g_strconcat (balise_test_server_get_url (fixture->server), path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, uri);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (message, "text/xml", request);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Authorization", "Bearer " TOKEN);
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

/* A closed way becomes a feature at the mean of its nodes, with its polygon. */
static void
test_download_way (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *changeset = NULL;
  g_autofree char *path = NULL;
  g_autofree char *change = NULL;
  g_autofree char *diff = NULL;
  g_autofree BaliseDownloadReport *report = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) nodes = NULL;
  BaliseFeature *shelter = NULL;

  changeset = server_call (fixture, session, "PUT", "api/0.6/changeset/create",
                           "<osm><changeset><tag k=\"comment\" v=\"A shelter\"/></changeset></osm>");
  path = g_strdup_printf ("api/0.6/changeset/%s/upload", changeset);
  change = g_strdup_printf (
    "<osmChange version=\"0.6\"><create>"
    "<node id=\"-1\" changeset=\"%1$s\" lat=\"43.7360\" lon=\"7.4260\"/>"
    "<node id=\"-2\" changeset=\"%1$s\" lat=\"43.7360\" lon=\"7.4266\"/>"
    "<node id=\"-3\" changeset=\"%1$s\" lat=\"43.7366\" lon=\"7.4266\"/>"
    "<way id=\"-4\" changeset=\"%1$s\"><nd ref=\"-1\"/><nd ref=\"-2\"/><nd ref=\"-3\"/>"
    "<nd ref=\"-1\"/><tag k=\"amenity\" v=\"shelter\"/><tag k=\"name\" v=\"Abri\"/></way>"
    "</create></osmChange>", changeset);
  diff = server_call (fixture, session, "POST", path, change);

  report = download (fixture, 7.41, 43.72, 7.44, 43.74, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->ways, ==, 1);
  g_assert_cmpuint (report->nodes, ==, 5);

  features = features_in (fixture, 7.41, 43.72, 7.44, 43.74);
  g_assert_cmpuint (features->len, ==, 6);
  for (guint i = 0; i < features->len; i++)
    if (((BaliseFeature *) g_ptr_array_index (features, i))->osm_type == BALISE_OSM_WAY)
      shelter = g_ptr_array_index (features, i);
  g_assert_nonnull (shelter);
  g_assert_cmpstr (shelter->category, ==, "shelter");
  g_assert_cmpstr (shelter->name, ==, "Abri");
  g_assert_cmpfloat_with_epsilon (shelter->lat, (43.7360 * 2 + 43.7366) / 3, 1e-7);
  g_assert_cmpfloat_with_epsilon (shelter->lon, (7.4260 + 7.4266 * 2) / 3, 1e-7);

  g_assert_true (_balise_store_prepare (_balise_store_get_read_db (fixture->store),
                                        "SELECT GeometryType (shape) FROM element WHERE osm_type = 'way'",
                                        &stmt, &error));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "POLYGON");

  /* Its nodes, with the versions the server gave them, first and last the same. */
  nodes = balise_store_get_way_nodes (fixture->store, shelter->osm_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 4);
  for (guint i = 0; i < nodes->len; i++)
    g_assert_cmpint (g_array_index (nodes, BaliseWayNode, i).version, ==, 1);
  g_assert_cmpint (g_array_index (nodes, BaliseWayNode, 0).id, ==,
                   g_array_index (nodes, BaliseWayNode, 3).id);
  g_assert_cmpfloat (g_array_index (nodes, BaliseWayNode, 2).lat, ==, 43.7366);
  g_assert_cmpfloat (g_array_index (nodes, BaliseWayNode, 2).lon, ==, 7.4266);
}

static void
test_download_errors (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BaliseDownloadReport *report;

  report = download (fixture, 8.0, 43.0, 7.0, 44.0, NULL, &error);
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_assert_null (report);
  g_clear_error (&error);

  report = download (fixture, -180, -90, 180, 90, NULL, &error);
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED);
  g_assert_null (report);
  g_clear_error (&error);

  /* No plain HTTP to another machine. */
  {
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    Wait wait = { loop, NULL, NULL, 0 };

    balise_store_download_area_async (fixture->store, "http://api.openstreetmap.org/",
                                      7.41, 43.72, 7.44, 43.74, NULL, NULL,
                                      download_done_cb, &wait);
    g_main_loop_run (loop);
    g_assert_error (wait.error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED);
    g_assert_nonnull (strstr (wait.error->message, "https://"));
    g_assert_null (wait.result);
    g_clear_error (&wait.error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/download/features", Fixture, NULL,
              fixture_set_up, test_download_features, fixture_tear_down);
  g_test_add ("/download/split-too-many-nodes", Fixture, NULL,
              fixture_set_up, test_download_split_too_many_nodes, fixture_tear_down);
  g_test_add ("/download/large-box", Fixture, NULL,
              fixture_set_up, test_download_large_box, fixture_tear_down);
  g_test_add ("/download/conflict", Fixture, NULL,
              fixture_set_up, test_download_conflict, fixture_tear_down);
  g_test_add ("/download/deleted-upstream", Fixture, NULL,
              fixture_set_up, test_download_deleted_upstream, fixture_tear_down);
  g_test_add ("/download/way", Fixture, NULL, fixture_set_up, test_download_way, fixture_tear_down);
  g_test_add ("/download/errors", Fixture, NULL,
              fixture_set_up, test_download_errors, fixture_tear_down);

  return g_test_run ();
}
