/* test-sync-conflicts.c: 409, 410, 412 and conflicts, over real HTTP
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <libsoup/soup.h>

#include "balise-store-private.h"
#include "sync-fixture.h"

/*
 * Our side
 */

typedef struct
{
  gint64 id;
  gint64 version;
} ServerNode;

/* A bus stop created on the server by a first sync: the store's base copy
 * holds it at version 1. */
static ServerNode
bus_stop_on_server (Fixture    *fixture,
                    const char *name)
{
  g_autoptr(BaliseEdit) edit = add_bus_stop (fixture, name, 43.7314, 7.4197);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseEdit) stored = NULL;
  g_autoptr(GError) error = NULL;
  ServerNode node;

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  stored = balise_store_get_edit (fixture->store, edit->uuid, &error);
  g_assert_no_error (error);
  node.id = stored->new_id;
  node.version = stored->new_version;
  g_assert_cmpint (node.id, >, 0);
  return node;
}

static BaliseTags *
bus_stop_tags (const char *name)
{
  BaliseTags *tags = balise_tags_new ();

  balise_tags_set (tags, "highway", "bus_stop");
  balise_tags_set (tags, "public_transport", "platform");
  balise_tags_set (tags, "bus", "yes");
  balise_tags_set (tags, "name", name);
  return tags;
}

/* A local change of the node's tags, from version @node.version. */
static BaliseEdit *
modify_tags (Fixture     *fixture,
             ServerNode   node,
             const char  *base_name,
             const char  *key,
             const char  *value)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_MODIFY);

  edit->osm_id = node.id;
  edit->base_version = node.version;
  edit->base_tags = bus_stop_tags (base_name);
  edit->new_tags = bus_stop_tags (base_name);
  balise_tags_set (edit->new_tags, key, value);
  edit->lat = 43.7314;
  edit->lon = 7.4197;
  edit->status = BALISE_EDIT_STATUS_APPROVED;
  g_assert_true (balise_store_add_edit (fixture->store, edit, &error));
  g_assert_no_error (error);
  return edit;
}

static char *
node_xml (ServerNode  node,
          const char *name,
          const char *extra)
{
  return g_strdup_printf ("<node id=\"%" G_GINT64_FORMAT "\" changeset=\"{cs}\" version=\"%" G_GINT64_FORMAT
                          "\" lat=\"43.7314\" lon=\"7.4197\"><tag k=\"highway\" v=\"bus_stop\"/>"
                          "<tag k=\"public_transport\" v=\"platform\"/><tag k=\"bus\" v=\"yes\"/>"
                          "<tag k=\"name\" v=\"%s\"/>%s</node>",
                          node.id, node.version, name, extra ? extra : "");
}

static void
other_mapper_modifies (Fixture    *fixture,
                       ServerNode  node,
                       const char *name,
                       const char *extra)
{
  g_autofree char *xml = node_xml (node, name, extra);
  g_autofree char *change = g_strdup_printf ("<osmChange version=\"0.6\"><modify>%s</modify></osmChange>",
                                             xml);

  other_mapper_uploads (fixture, change);
}

static BaliseEdit *
stored_edit (Fixture    *fixture,
             const char *uuid)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_store_get_edit (fixture->store, uuid, &error);

  g_assert_no_error (error);
  return edit;
}

static gint64
node_version (Fixture *fixture,
              gint64   id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT version FROM element WHERE type = 'node' AND id = %"
                                          G_GINT64_FORMAT, id);

  return server_count (fixture, sql);
}

/* Both changed different keys: merged, sent, nothing to decide. */
static void
test_conflicts_disjoint_merge (Fixture       *fixture,
                               gconstpointer  data)
{
  ServerNode node = bus_stop_on_server (fixture, "Casino");
  g_autoptr(BaliseEdit) ours = modify_tags (fixture, node, "Casino", "shelter", "yes");
  g_autoptr(BaliseEdit) created = add_bus_stop (fixture, "Opéra", 43.7400, 7.4280);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseEdit) old = NULL;
  g_autoptr(BaliseTags) expected = bus_stop_tags ("Casino");
  g_autoptr(GPtrArray) uploaded = NULL;
  g_autoptr(GError) error = NULL;
  gint64 changesets;

  other_mapper_modifies (fixture, node, "Casino", "<tag k=\"bench\" v=\"yes\"/>");
  changesets = server_count (fixture, "SELECT count(*) FROM changeset");

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->merged, ==, 1);
  g_assert_cmpuint (report->conflicts, ==, 0);
  g_assert_cmpuint (report->modified, ==, 1);
  g_assert_cmpuint (report->created, ==, 1);
  /* One changeset: the refused upload was sent again in it. */
  g_assert_cmpuint (report->changesets, ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, changesets + 1);

  balise_tags_set (expected, "shelter", "yes");
  balise_tags_set (expected, "bench", "yes");
  assert_server_node_tags (fixture, node.id, expected);
  g_assert_cmpint (node_version (fixture, node.id), ==, 3);

  /* The journal keeps the edit as it was, and says what became of it. */
  old = stored_edit (fixture, ours->uuid);
  g_assert_cmpint (old->status, ==, BALISE_EDIT_STATUS_REJECTED);
  g_assert_nonnull (strstr (old->error, "Merged with the server's version 2"));
  g_assert_cmpint (old->base_version, ==, 1);
  g_assert_null (balise_tags_lookup (old->new_tags, "bench"));

  uploaded = balise_store_list_edits (fixture->store,
                                      BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_UPLOADED), &error);
  g_assert_cmpuint (uploaded->len, ==, 3);   /* the first create, the new one, the merge */
  g_assert_cmpuint (balise_store_count_pending (fixture->store), ==, 0);
}

/* Both changed the name: a conflict with both versions kept; the rest of
 * the batch goes; keeping mine sends it over the server's version. */
static void
test_conflicts_same_key (Fixture       *fixture,
                         gconstpointer  data)
{
  ServerNode node = bus_stop_on_server (fixture, "Casino");
  g_autoptr(BaliseEdit) ours = modify_tags (fixture, node, "Casino", "name", "Casino Opéra");
  g_autoptr(BaliseEdit) created = add_bus_stop (fixture, "Larvotto", 43.7470, 7.4340);
  g_autofree BaliseSyncReport *report = NULL;
  g_autofree BaliseSyncReport *after = NULL;
  g_autoptr(BaliseConflict) conflict = NULL;
  g_autoptr(BaliseEdit) stored = NULL;
  g_autoptr(BaliseEdit) replacement = NULL;
  g_autoptr(BaliseTags) expected = bus_stop_tags ("Casino Opéra");
  g_autofree char *new_uuid = NULL;
  g_autoptr(GError) error = NULL;
  BaliseTagConflict *name;

  other_mapper_modifies (fixture, node, "Place du Casino", "<tag k=\"lit\" v=\"yes\"/>");

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->conflicts, ==, 1);
  g_assert_cmpuint (report->created, ==, 1);
  g_assert_cmpuint (report->modified, ==, 0);

  stored = stored_edit (fixture, ours->uuid);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_CONFLICT);
  g_assert_nonnull (strstr (stored->error, "version 2"));
  g_assert_nonnull (strstr (stored->error, "name"));
  g_assert_null (stored->batch);
  /* Not lost, not waiting to be sent as it is. */
  g_assert_cmpuint (balise_store_count_pending (fixture->store), ==, 0);

  conflict = balise_store_get_conflict (fixture->store, ours->uuid, &error);
  g_assert_no_error (error);
  g_assert_false (conflict->server_deleted);
  g_assert_cmpint (conflict->server_version, ==, 2);
  g_assert_cmpstr (balise_tags_lookup (conflict->server_tags, "name"), ==, "Place du Casino");
  g_assert_cmpfloat_with_epsilon (conflict->server_lat, 43.7314, 1e-7);
  g_assert_false (conflict->position_conflict);
  g_assert_cmpuint (conflict->tag_conflicts->len, ==, 1);
  name = g_ptr_array_index (conflict->tag_conflicts, 0);
  g_assert_cmpstr (name->key, ==, "name");
  g_assert_cmpstr (name->base, ==, "Casino");
  g_assert_cmpstr (name->ours, ==, "Casino Opéra");
  g_assert_cmpstr (name->theirs, ==, "Place du Casino");
  g_assert_cmpstr (balise_tags_lookup (conflict->merged, "lit"), ==, "yes");

  g_assert_true (balise_store_resolve_conflict (fixture->store, ours->uuid,
                                                BALISE_CONFLICT_KEEP_MINE, NULL, FALSE,
                                                "Coordinator", &new_uuid, &error));
  g_assert_no_error (error);
  g_assert_nonnull (new_uuid);
  replacement = stored_edit (fixture, new_uuid);
  g_assert_cmpint (replacement->status, ==, BALISE_EDIT_STATUS_APPROVED);
  g_assert_cmpint (replacement->base_version, ==, 2);
  g_assert_cmpstr (balise_tags_lookup (replacement->new_tags, "name"), ==, "Casino Opéra");
  g_assert_cmpstr (replacement->contributor, ==, stored->contributor);

  after = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->modified, ==, 1);
  /* Mine, whole: lit=yes, theirs, is not in it. */
  assert_server_node_tags (fixture, node.id, expected);
  g_assert_cmpint (node_version (fixture, node.id), ==, 3);
}

/* The window reads the store on its own thread while a sync runs (the
 * queue, the map, the counts), on the same read connection: a read left
 * open there must not hide the sync's own writes from the sync, which
 * reads its batch again after each conflict. Seen once as "No edit … in
 * batch …" in tests/ui/test-review.c under ASan. */
static void
test_conflicts_reader_open (Fixture       *fixture,
                            gconstpointer  data)
{
  ServerNode node = bus_stop_on_server (fixture, "Casino");
  g_autoptr(BaliseEdit) ours = modify_tags (fixture, node, "Casino", "name", "Casino Opéra");
  g_autoptr(BaliseEdit) created = add_bus_stop (fixture, "Larvotto", 43.7470, 7.4340);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseEdit) stored = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *reader = NULL;

  other_mapper_modifies (fixture, node, "Place du Casino", "<tag k=\"lit\" v=\"yes\"/>");

  /* A read on the main thread's connection, stopped after its first row:
   * its snapshot stays open for the whole sync. */
  g_assert_cmpint (sqlite3_prepare_v2 (_balise_store_get_read_db (fixture->store),
                                       "SELECT id FROM edit", -1, &reader, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (reader), ==, SQLITE_ROW);

  report = run_sync (fixture, NULL, &error);
  sqlite3_finalize (reader);
  g_assert_no_error (error);
  g_assert_cmpuint (report->conflicts, ==, 1);
  g_assert_cmpuint (report->created, ==, 1);

  stored = stored_edit (fixture, ours->uuid);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_CONFLICT);
  g_clear_pointer (&stored, balise_edit_unref);
  stored = stored_edit (fixture, created->uuid);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_UPLOADED);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM element WHERE type = 'node' AND "
                                          "xml LIKE '%Larvotto%'"), ==, 1);
}

/* Decided tag by tag, and keeping theirs. */
static void
test_conflicts_decide (Fixture       *fixture,
                       gconstpointer  data)
{
  ServerNode node = bus_stop_on_server (fixture, "Casino");
  ServerNode other = bus_stop_on_server (fixture, "Opéra");
  g_autoptr(BaliseEdit) ours = NULL;
  g_autoptr(BaliseEdit) ours_other = NULL;
  g_autofree BaliseSyncReport *report = NULL;
  g_autofree BaliseSyncReport *after = NULL;
  g_autoptr(BaliseTags) expected = bus_stop_tags ("Casino Opéra");
  g_autoptr(BaliseTags) expected_other = bus_stop_tags ("Opéra Garnier");
  g_autoptr(BaliseEdit) retired = NULL;
  g_autofree char *new_uuid = NULL;
  g_autofree char *none = NULL;
  g_autoptr(GError) error = NULL;
  const char * const keep_mine[] = { "name", NULL };

  ours = modify_tags (fixture, node, "Casino", "name", "Casino Opéra");
  balise_tags_set (ours->new_tags, "shelter", "yes");
  ours_other = modify_tags (fixture, other, "Opéra", "name", "Opéra de Monte-Carlo");
  other_mapper_modifies (fixture, node, "Place du Casino", "<tag k=\"shelter\" v=\"no\"/>");
  other_mapper_modifies (fixture, other, "Opéra Garnier", NULL);

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->conflicts, ==, 2);

  /* Node: my name, their shelter (shelter=yes was only mine, but theirs
   * is shelter=no: both changed it). */
  g_assert_true (balise_store_resolve_conflict (fixture->store, ours->uuid,
                                                BALISE_CONFLICT_DECIDE_TAGS, keep_mine, FALSE,
                                                "Coordinator", &new_uuid, &error));
  g_assert_no_error (error);
  /* Other: theirs. Nothing to send, and the base copy is the server's. */
  g_assert_true (balise_store_resolve_conflict (fixture->store, ours_other->uuid,
                                                BALISE_CONFLICT_KEEP_THEIRS, NULL, FALSE,
                                                "Coordinator", &none, &error));
  g_assert_no_error (error);
  g_assert_null (none);
  retired = stored_edit (fixture, ours_other->uuid);
  g_assert_cmpint (retired->status, ==, BALISE_EDIT_STATUS_REJECTED);
  g_assert_nonnull (strstr (retired->error, "version 2 was kept"));

  /* A settled conflict cannot be settled again. */
  g_assert_false (balise_store_resolve_conflict (fixture->store, ours_other->uuid,
                                                 BALISE_CONFLICT_KEEP_MINE, NULL, FALSE,
                                                 NULL, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  after = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->modified, ==, 1);
  balise_tags_set (expected, "shelter", "no");
  assert_server_node_tags (fixture, node.id, expected);
  assert_server_node_tags (fixture, other.id, expected_other);
  g_assert_cmpint (node_version (fixture, other.id), ==, 2);
}

/* Deleted on the server while we changed it: a conflict (410); keeping
 * mine adds it again as a new node. */
static void
test_conflicts_deleted (Fixture       *fixture,
                        gconstpointer  data)
{
  ServerNode node = bus_stop_on_server (fixture, "Casino");
  g_autoptr(BaliseEdit) ours = modify_tags (fixture, node, "Casino", "shelter", "yes");
  g_autofree char *change = NULL;
  g_autofree BaliseSyncReport *report = NULL;
  g_autofree BaliseSyncReport *after = NULL;
  g_autoptr(BaliseConflict) conflict = NULL;
  g_autoptr(BaliseEdit) replacement = NULL;
  g_autofree char *new_uuid = NULL;
  g_autoptr(GError) error = NULL;

  change = g_strdup_printf ("<osmChange version=\"0.6\"><delete><node id=\"%" G_GINT64_FORMAT
                            "\" changeset=\"{cs}\" version=\"1\" lat=\"43.7314\" lon=\"7.4197\"/>"
                            "</delete></osmChange>", node.id);
  other_mapper_uploads (fixture, change);

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->conflicts, ==, 1);
  g_assert_cmpuint (report->modified, ==, 0);

  conflict = balise_store_get_conflict (fixture->store, ours->uuid, &error);
  g_assert_no_error (error);
  g_assert_true (conflict->server_deleted);
  g_assert_nonnull (strstr (conflict->edit->error, "Deleted on the server"));

  g_assert_true (balise_store_resolve_conflict (fixture->store, ours->uuid,
                                                BALISE_CONFLICT_KEEP_MINE, NULL, FALSE,
                                                "Coordinator", &new_uuid, &error));
  g_assert_no_error (error);
  replacement = stored_edit (fixture, new_uuid);
  g_assert_cmpint (replacement->kind, ==, BALISE_EDIT_CREATE);
  g_assert_cmpint (replacement->osm_id, <, 0);

  after = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->created, ==, 1);
  g_assert_cmpint (visible_nodes (fixture), ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM element WHERE type = 'node' "
                                 "AND visible = 1 AND xml LIKE '%shelter%'"), ==, 1);
}

/* Deleting a node a way uses: 412, a conflict naming the way; the rest of
 * the batch goes. */
static void
test_conflicts_still_used (Fixture       *fixture,
                           gconstpointer  data)
{
  ServerNode node = bus_stop_on_server (fixture, "Casino");
  g_autoptr(BaliseEdit) deletion = balise_edit_new (BALISE_EDIT_DELETE);
  g_autoptr(BaliseEdit) created = add_bus_stop (fixture, "Larvotto", 43.7470, 7.4340);
  g_autofree char *change = NULL;
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseEdit) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *way = NULL;

  change = g_strdup_printf ("<osmChange version=\"0.6\"><create>"
                            "<node id=\"-1\" changeset=\"{cs}\" lat=\"43.7320\" lon=\"7.4200\"/>"
                            "<way id=\"-1\" changeset=\"{cs}\"><nd ref=\"%" G_GINT64_FORMAT "\"/>"
                            "<nd ref=\"-1\"/><tag k=\"highway\" v=\"footway\"/></way>"
                            "</create></osmChange>", node.id);
  other_mapper_uploads (fixture, change);
  way = g_strdup_printf ("way %" G_GINT64_FORMAT,
                         server_count (fixture, "SELECT max(id) FROM element WHERE type = 'way'"));

  deletion->osm_id = node.id;
  deletion->base_version = node.version;
  deletion->base_tags = bus_stop_tags ("Casino");
  deletion->lat = 43.7314;
  deletion->lon = 7.4197;
  g_assert_true (balise_store_add_edit (fixture->store, deletion, &error));
  g_assert_no_error (error);

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->conflicts, ==, 1);
  g_assert_cmpuint (report->deleted, ==, 0);
  g_assert_cmpuint (report->created, ==, 1);

  stored = stored_edit (fixture, deletion->uuid);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_CONFLICT);
  g_test_message ("412 became: %s", stored->error);
  g_assert_nonnull (strstr (stored->error, "still used by"));
  g_assert_nonnull (strstr (stored->error, way));
  g_assert_cmpint (server_count (fixture, "SELECT visible FROM element WHERE type = 'node' AND id = (SELECT min(id) FROM element WHERE type = 'node')"), ==, 1);
}

/* The changeset was closed (it expired) before the upload: a new one. */
static void
test_conflicts_changeset_closed (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(BaliseEdit) created = add_bus_stop (fixture, "Larvotto", 43.7470, 7.4340);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(GError) error = NULL;

  balise_test_server_add_fault (fixture->server, "POST", "/api/0.6/changeset/*/upload",
                                BALISE_TEST_FAULT_CLOSE_CHANGESET, 0, 1);
  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1);
  g_assert_cmpint (visible_nodes (fixture), ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 2);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset WHERE num_changes = 1"), ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset WHERE closed_at IS NULL"), ==, 0);
}

/* 401: a clear error asking to sign in again, and nothing lost. */
static void
test_conflicts_unauthorized (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(BaliseEdit) created = add_bus_stop (fixture, "Larvotto", 43.7470, 7.4340);
  g_autoptr(GError) error = NULL;

  g_assert_null (run_sync (fixture, "expired-token", &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "sign in again"));
  g_assert_cmpuint (balise_store_count_pending (fixture->store), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/conflicts/disjoint-merge", Fixture, NULL,
              fixture_set_up, test_conflicts_disjoint_merge, fixture_tear_down);
  g_test_add ("/sync/conflicts/reader-open", Fixture, NULL,
              fixture_set_up, test_conflicts_reader_open, fixture_tear_down);
  g_test_add ("/sync/conflicts/same-key", Fixture, NULL,
              fixture_set_up, test_conflicts_same_key, fixture_tear_down);
  g_test_add ("/sync/conflicts/decide", Fixture, NULL,
              fixture_set_up, test_conflicts_decide, fixture_tear_down);
  g_test_add ("/sync/conflicts/deleted", Fixture, NULL,
              fixture_set_up, test_conflicts_deleted, fixture_tear_down);
  g_test_add ("/sync/conflicts/still-used", Fixture, NULL,
              fixture_set_up, test_conflicts_still_used, fixture_tear_down);
  g_test_add ("/sync/conflicts/changeset-closed", Fixture, NULL,
              fixture_set_up, test_conflicts_changeset_closed, fixture_tear_down);
  g_test_add ("/sync/conflicts/unauthorized", Fixture, "volunteer-token",
              fixture_set_up, test_conflicts_unauthorized, fixture_tear_down);

  return g_test_run ();
}
