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

