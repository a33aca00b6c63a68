/* test-sync-ways.c: a way modify carries the way's nodes, over real HTTP
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "sync-fixture.h"

/* A footway of three nodes another mapper drew: its id, at version 1. */
static gint64
footway_on_server (Fixture *fixture)
{
  other_mapper_uploads (fixture,
                        "<osmChange version=\"0.6\"><create>"
                        "<node id=\"-1\" changeset=\"{cs}\" lat=\"43.7310\" lon=\"7.4190\"/>"
                        "<node id=\"-2\" changeset=\"{cs}\" lat=\"43.7315\" lon=\"7.4195\"/>"
                        "<node id=\"-3\" changeset=\"{cs}\" lat=\"43.7320\" lon=\"7.4200\"/>"
                        "<way id=\"-1\" changeset=\"{cs}\"><nd ref=\"-1\"/><nd ref=\"-2\"/><nd ref=\"-3\"/>"
                        "<tag k=\"highway\" v=\"footway\"/><tag k=\"surface\" v=\"asphalt\"/></way>"
                        "</create></osmChange>");
  return server_count (fixture, "SELECT max(id) FROM element WHERE type = 'way'");
}

static BaliseTags *
footway_tags (void)
{
  BaliseTags *tags = balise_tags_new ();

  balise_tags_set (tags, "highway", "footway");
  balise_tags_set (tags, "surface", "asphalt");
  return tags;
}

/* A volunteer's change of the way's tags, from version 1. */
static BaliseEdit *
modify_way_tags (Fixture    *fixture,
                 gint64      way,
                 const char *key,
                 const char *value)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_MODIFY);

  edit->osm_type = BALISE_OSM_WAY;
  edit->osm_id = way;
  edit->base_version = 1;
  edit->base_tags = footway_tags ();
  edit->new_tags = footway_tags ();
  balise_tags_set (edit->new_tags, key, value);
  edit->lat = 43.7315;
  edit->lon = 7.4195;
  edit->status = BALISE_EDIT_STATUS_APPROVED;
  g_assert_true (balise_store_add_edit (fixture->store, edit, &error));
  g_assert_no_error (error);
  return edit;
}

/* The way's nodes on the server, in order: "12,13,14". */
static char *
server_way_nodes (Fixture *fixture,
                  gint64   way)
{
  g_autofree char *path = g_strdup_printf ("api/0.6/way/%" G_GINT64_FORMAT, way);
  g_autoptr(GBytes) answer = fixture_http (fixture, "GET", path, NULL, 200);
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseEdit) element = balise_osm_xml_parse_element (answer, &error);
  g_autoptr(GString) list = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (element->way_nodes);
  for (guint i = 0; i < element->way_nodes->len; i++)
    g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (element->way_nodes, gint64, i));
  return g_string_free (g_steal_pointer (&list), FALSE);
}

static BaliseEdit *
server_way (Fixture *fixture,
            gint64   way)
{
  g_autofree char *path = g_strdup_printf ("api/0.6/way/%" G_GINT64_FORMAT, way);
  g_autoptr(GBytes) answer = fixture_http (fixture, "GET", path, NULL, 200);
  g_autoptr(GError) error = NULL;
  BaliseEdit *element = balise_osm_xml_parse_element (answer, &error);

  g_assert_no_error (error);
  return element;
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

/* A tag change arrives with the way's nodes as they were, and the new tags. */
static void
test_ways_keep_nodes (Fixture       *fixture,
                      gconstpointer  data)
{
  gint64 way = footway_on_server (fixture);
  g_autofree char *nodes_before = server_way_nodes (fixture, way);
  g_autoptr(BaliseEdit) ours = modify_way_tags (fixture, way, "lit", "yes");
  g_autoptr(BaliseEdit) created = add_bus_stop (fixture, "Casino", 43.7314, 7.4197);
  g_autofree BaliseSyncReport *report = NULL;
  g_autofree char *nodes_after = NULL;
  g_autoptr(BaliseEdit) after = NULL;
  g_autoptr(BaliseEdit) stored = NULL;
  g_autoptr(BaliseTags) expected = footway_tags ();
  g_autoptr(GError) error = NULL;

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->modified, ==, 1);
  g_assert_cmpuint (report->created, ==, 1);
  g_assert_cmpuint (report->conflicts, ==, 0);
  g_assert_cmpuint (report->merged, ==, 0);

  nodes_after = server_way_nodes (fixture, way);
  g_assert_cmpuint (strlen (nodes_before), >, 0);
  g_assert_cmpstr (nodes_after, ==, nodes_before);
  after = server_way (fixture, way);
  g_assert_cmpint (after->base_version, ==, 2);
  balise_tags_set (expected, "lit", "yes");
  g_assert_true (balise_tags_equal (after->new_tags, expected));

  stored = stored_edit (fixture, ours->uuid);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_UPLOADED);
  g_assert_cmpint (stored->new_version, ==, 2);
}

/* Changed on the server meanwhile, another key and its nodes: merged, and
 * the server's new node list is kept. */
static void
test_ways_merged (Fixture       *fixture,
                  gconstpointer  data)
{
  gint64 way = footway_on_server (fixture);
  g_autoptr(BaliseEdit) ours = modify_way_tags (fixture, way, "lit", "yes");
  gint64 first = server_count (fixture, "SELECT min(id) FROM element WHERE type = 'node'");
  g_autofree char *change = NULL;
  g_autofree char *nodes_theirs = NULL;
  g_autofree char *nodes_after = NULL;
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseEdit) after = NULL;
  g_autoptr(BaliseTags) expected = footway_tags ();
  g_autoptr(GError) error = NULL;

  /* Two nodes left, and a width. */
  change = g_strdup_printf ("<osmChange version=\"0.6\"><modify>"
                            "<way id=\"%" G_GINT64_FORMAT "\" changeset=\"{cs}\" version=\"1\">"
                            "<nd ref=\"%" G_GINT64_FORMAT "\"/><nd ref=\"%" G_GINT64_FORMAT "\"/>"
                            "<tag k=\"highway\" v=\"footway\"/><tag k=\"surface\" v=\"asphalt\"/>"
                            "<tag k=\"width\" v=\"2\"/></way></modify></osmChange>",
                            way, first, first + 2);
  other_mapper_uploads (fixture, change);
  nodes_theirs = server_way_nodes (fixture, way);

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->merged, ==, 1);
  g_assert_cmpuint (report->modified, ==, 1);
  g_assert_cmpuint (report->conflicts, ==, 0);

  after = server_way (fixture, way);
  g_assert_cmpint (after->base_version, ==, 3);
  balise_tags_set (expected, "lit", "yes");
  balise_tags_set (expected, "width", "2");
  g_assert_true (balise_tags_equal (after->new_tags, expected));
  nodes_after = server_way_nodes (fixture, way);
  g_assert_cmpstr (nodes_after, ==, nodes_theirs);
  g_assert_cmpuint (balise_store_count_pending (fixture->store), ==, 0);
}

/* The same key changed on both sides: a conflict, the server's way
 * untouched, the rest of the batch sent. */
static void
test_ways_conflict (Fixture       *fixture,
                    gconstpointer  data)
{
  gint64 way = footway_on_server (fixture);
  g_autoptr(BaliseEdit) ours = modify_way_tags (fixture, way, "surface", "gravel");
  g_autoptr(BaliseEdit) created = add_bus_stop (fixture, "Casino", 43.7314, 7.4197);
  g_autofree char *change = NULL;
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseEdit) stored = NULL;
  g_autoptr(BaliseEdit) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first = server_count (fixture, "SELECT min(id) FROM element WHERE type = 'node'");

  change = g_strdup_printf ("<osmChange version=\"0.6\"><modify>"
                            "<way id=\"%" G_GINT64_FORMAT "\" changeset=\"{cs}\" version=\"1\">"
                            "<nd ref=\"%" G_GINT64_FORMAT "\"/><nd ref=\"%" G_GINT64_FORMAT "\"/>"
                            "<nd ref=\"%" G_GINT64_FORMAT "\"/>"
                            "<tag k=\"highway\" v=\"footway\"/><tag k=\"surface\" v=\"paving_stones\"/>"
                            "</way></modify></osmChange>",
                            way, first, first + 1, first + 2);
  other_mapper_uploads (fixture, change);

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->conflicts, ==, 1);
  g_assert_cmpuint (report->modified, ==, 0);
  g_assert_cmpuint (report->created, ==, 1);

  stored = stored_edit (fixture, ours->uuid);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_CONFLICT);
  g_assert_nonnull (strstr (stored->error, "surface"));
  after = server_way (fixture, way);
  g_assert_cmpint (after->base_version, ==, 2);
  g_assert_cmpstr (balise_tags_lookup (after->new_tags, "surface"), ==, "paving_stones");
}

/* Deleted on the server meanwhile: a conflict saying so; nothing lost. */
static void
test_ways_deleted (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 way = footway_on_server (fixture);
  g_autoptr(BaliseEdit) ours = modify_way_tags (fixture, way, "lit", "yes");
  g_autofree char *change = NULL;
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseEdit) stored = NULL;
  g_autoptr(GError) error = NULL;

  change = g_strdup_printf ("<osmChange version=\"0.6\"><delete>"
                            "<way id=\"%" G_GINT64_FORMAT "\" changeset=\"{cs}\" version=\"1\"/>"
                            "</delete></osmChange>", way);
  other_mapper_uploads (fixture, change);

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->conflicts, ==, 1);
  g_assert_cmpuint (report->modified, ==, 0);

  stored = stored_edit (fixture, ours->uuid);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_CONFLICT);
  g_assert_nonnull (strstr (stored->error, "Deleted on the server"));
  g_assert_cmpstr (balise_tags_lookup (stored->new_tags, "lit"), ==, "yes");
}

/* The multi-fetch answer: ways with their nodes in order, a deleted one
 * with visible="false". */
static void
test_ways_parse_elements (void)
{
  static const char xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<osm version=\"0.6\" generator=\"test\">\n"
    " <way id=\"7\" visible=\"true\" version=\"3\" changeset=\"9\">\n"
    "  <nd ref=\"21\"/>\n  <nd ref=\"20\"/>\n  <nd ref=\"22\"/>\n"
    "  <tag k=\"highway\" v=\"footway\"/>\n </way>\n"
    " <way id=\"8\" visible=\"false\" version=\"2\" changeset=\"10\"/>\n"
    "</osm>\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (xml, sizeof xml - 1);
  g_autoptr(GPtrArray) elements = NULL;
  g_autoptr(GError) error = NULL;
  BaliseEdit *way;

  elements = balise_osm_xml_parse_elements (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (elements->len, ==, 2);

  way = g_ptr_array_index (elements, 0);
  g_assert_cmpint (way->kind, ==, BALISE_EDIT_MODIFY);
  g_assert_cmpint (way->osm_id, ==, 7);
  g_assert_cmpint (way->base_version, ==, 3);
  g_assert_cmpuint (way->way_nodes->len, ==, 3);
  g_assert_cmpint (g_array_index (way->way_nodes, gint64, 0), ==, 21);
  g_assert_cmpint (g_array_index (way->way_nodes, gint64, 1), ==, 20);
  g_assert_cmpint (g_array_index (way->way_nodes, gint64, 2), ==, 22);
  g_assert_cmpstr (balise_tags_lookup (way->new_tags, "highway"), ==, "footway");

  way = g_ptr_array_index (elements, 1);
  g_assert_cmpint (way->kind, ==, BALISE_EDIT_DELETE);
  g_assert_cmpint (way->osm_id, ==, 8);
  g_assert_cmpint (way->base_version, ==, 2);
}

/* A broken nd is an error naming the problem, not a way with fewer nodes. */
static void
test_ways_parse_bad_nd (void)
{
  static const char xml[] =
    "<osm version=\"0.6\"><way id=\"7\" version=\"3\"><nd ref=\"x\"/></way></osm>";
  g_autoptr(GBytes) bytes = g_bytes_new_static (xml, sizeof xml - 1);
  g_autoptr(GPtrArray) elements = NULL;
  g_autoptr(GError) error = NULL;

  elements = balise_osm_xml_parse_elements (bytes, &error);
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
  g_assert_null (elements);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/ways/parse-elements", test_ways_parse_elements);
  g_test_add_func ("/sync/ways/parse-bad-nd", test_ways_parse_bad_nd);
  g_test_add ("/sync/ways/keep-nodes", Fixture, NULL,
              fixture_set_up, test_ways_keep_nodes, fixture_tear_down);
  g_test_add ("/sync/ways/merged", Fixture, NULL,
              fixture_set_up, test_ways_merged, fixture_tear_down);
  g_test_add ("/sync/ways/conflict", Fixture, NULL,
              fixture_set_up, test_ways_conflict, fixture_tear_down);
  g_test_add ("/sync/ways/deleted", Fixture, NULL,
              fixture_set_up, test_ways_deleted, fixture_tear_down);

  return g_test_run ();
}
