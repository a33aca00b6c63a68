/* sync-fixture.c: a store and the OSM API test server, for the sync tests
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <libsoup/soup.h>
#include <libxml/parser.h>

#include "sync-fixture.h"

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint counter;
  g_autofree char *db_name = g_strdup_printf ("sync-%u.sqlite", ++counter);
  g_autoptr(GError) error = NULL;
  const char *token = data;

  fixture->db_path = balise_test_tmp_path (db_name);
  fixture->store = balise_store_open (fixture->db_path, &error);
  g_assert_no_error (error);

  fixture->server = balise_test_server_new (NULL, token);
  g_assert_true (balise_test_server_start (fixture->server, 0, &error));
  g_assert_no_error (error);
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  balise_test_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->store);
  g_free (fixture->db_path);
}

BaliseEdit *
add_bus_stop (Fixture    *fixture,
              const char *name,
              double      lat,
              double      lon)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);

  edit->lat = lat;
  edit->lon = lon;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  balise_tags_set (edit->new_tags, "public_transport", "platform");
  balise_tags_set (edit->new_tags, "bus", "yes");
  balise_tags_set (edit->new_tags, "name", name);
  g_assert_true (balise_store_add_edit (fixture->store, edit, &error));
  g_assert_no_error (error);
  return edit;
}

typedef struct
{
  GMainLoop        *loop;
  BaliseSyncReport *report;
  GError           *error;
} SyncResult;

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncResult *sync = user_data;

  sync->report = balise_sync_client_sync_finish (BALISE_SYNC_CLIENT (object), result, &sync->error);
  g_main_loop_quit (sync->loop);
}

BaliseSyncReport *
run_sync_with_client (Fixture           *fixture,
                      BaliseSyncClient  *client,
                      GError           **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  SyncResult sync = { loop, NULL, NULL };

  balise_sync_client_sync_async (client, fixture->store, "Bus stops of Monaco", NULL,
                                 sync_done_cb, &sync);
  g_main_loop_run (loop);

  if (sync.error != NULL)
    g_propagate_error (error, sync.error);
  return sync.report;
}

BaliseSyncReport *
run_sync (Fixture     *fixture,
          const char  *token,
          GError     **error)
{
  g_autoptr(BaliseSyncClient) client = NULL;

  client = balise_sync_client_new (balise_test_server_get_url (fixture->server),
                                   token ? token : "volunteer-token");
  return run_sync_with_client (fixture, client, error);
}

gint64
server_count (Fixture    *fixture,
              const char *sql)
{
  return balise_test_server_query_int (fixture->server, sql);
}

gint64
visible_nodes (Fixture *fixture)
{
  return server_count (fixture, "SELECT count(*) FROM element WHERE type = 'node' AND visible = 1");
}

/* Reads the node back from the server over HTTP, as any client would. */
BaliseTags *
fetch_server_node_tags (Fixture *fixture,
                        gint64   id)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strdup_printf ("%sapi/0.6/node/%" G_GINT64_FORMAT,
                                          balise_test_server_get_url (fixture->server), id);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  BaliseTags *tags = balise_tags_new ();
  xmlDoc *doc;
  xmlNode *node;

  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);

  doc = xmlReadMemory (g_bytes_get_data (body, NULL), (int) g_bytes_get_size (body), NULL, NULL,
                       XML_PARSE_NONET);
  g_assert_nonnull (doc);
  node = xmlDocGetRootElement (doc)->children;
  while (node != NULL && node->type != XML_ELEMENT_NODE)
    node = node->next;
  g_assert_nonnull (node);
  g_assert_cmpstr ((const char *) node->name, ==, "node");

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      xmlChar *k, *v;

      if (child->type != XML_ELEMENT_NODE || !xmlStrEqual (child->name, BAD_CAST "tag"))
        continue;
      k = xmlGetProp (child, BAD_CAST "k");
      v = xmlGetProp (child, BAD_CAST "v");
      g_assert_null (balise_tags_lookup (tags, (const char *) k));
      balise_tags_set (tags, (const char *) k, (const char *) v);
      xmlFree (k);
      xmlFree (v);
    }

  xmlFreeDoc (doc);
  return tags;
}

/* The node on the server carries exactly these tags, no more. */
void
assert_server_node_tags (Fixture    *fixture,
                         gint64      id,
                         BaliseTags *tags)
{
  g_autoptr(BaliseTags) on_server = fetch_server_node_tags (fixture, id);

  g_assert_true (balise_tags_equal (on_server, tags));
}


/*
 * Another mapper, editing the same server with plain HTTP
 */

GBytes *
fixture_http (Fixture    *fixture,
      const char *method,
      const char *path,
      const char *body,
      guint       expected_status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (balise_test_server_get_url (fixture->server), path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  GBytes *answer;

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Authorization", "Bearer other-mapper-token");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (message, "text/xml", bytes);
    }
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (message) != expected_status)
    g_error ("%s %s: %u %.*s", method, path, soup_message_get_status (message),
             (int) g_bytes_get_size (answer), (const char *) g_bytes_get_data (answer, NULL));
  return answer;
}

/* Uploads @change (with "{cs}" for the changeset id) as another mapper. */
void
other_mapper_uploads (Fixture    *fixture,
                      const char *change)
{
  g_autoptr(GBytes) id = NULL;
  g_autoptr(GBytes) diff = NULL;
  g_autoptr(GBytes) closed = NULL;
  g_autofree char *cs = NULL;
  g_autofree char *path = NULL;
  g_autofree char *close = NULL;
  g_autofree char *body = NULL;

  id = fixture_http (fixture, "PUT", "api/0.6/changeset/create",
             "<osm><changeset><tag k=\"comment\" v=\"Other mapper\"/></changeset></osm>", 200);
  cs = g_strndup (g_bytes_get_data (id, NULL), g_bytes_get_size (id));
  path = g_strdup_printf ("api/0.6/changeset/%s/upload", cs);
  {
    g_auto(GStrv) parts = g_strsplit (change, "{cs}", -1);
    body = g_strjoinv (cs, parts);
  }
  diff = fixture_http (fixture, "POST", path, body, 200);
  close = g_strdup_printf ("api/0.6/changeset/%s/close", cs);
  closed = fixture_http (fixture, "PUT", close, NULL, 200);
}


static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }

  /* A client that gives up (a timeout, a dropped connection) may be gone
   * before the test server asks for its address: libsoup warns, and the
   * server goes on. Nothing else is forgiven. */
  if (g_strcmp0 (domain, "libsoup") == 0 && message != NULL &&
      strstr (message, "could not get remote address") != NULL)
    return G_LOG_WRITER_HANDLED;

  /* Every other warning stays fatal, as g_test_init() makes them. */
  if (log_level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL))
    log_level |= G_LOG_FLAG_FATAL;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
fixture_tolerate_vanished_clients (void)
{
  /* The writer decides what is fatal; g_test_init() made every warning
   * fatal before any writer could look at it. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_log_set_writer_func (log_writer, NULL, NULL);
}
