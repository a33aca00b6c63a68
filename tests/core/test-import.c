/* test-import.c: importing OpenStreetMap extracts
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <spatialite.h>

#include "balise-core.h"
#include "balise-store-notes.h"
#include "balise-store-schema.h"
#include "balise-test-utils.h"

/* readosm 1.1.0a does not free its expat parser when the XML is malformed
 * (readosm_parse() returns READOSM_XML_ERROR and leaks about 8 kB); not ours
 * to fix, so LeakSanitizer is told to ignore allocations made in expat. */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:libexpat.so\n";
}

static char *
monaco_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo", "monaco-2016.osm.pbf", NULL);
}

static char *
big_ids_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "big-ids.osm", NULL);
}

/* A plain connection beside the store's, for counting. */
static gint64
query_int64 (const char *db_path,
             const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  void *cache = spatialite_alloc_connection ();

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  spatialite_init_ex (db, cache, 0);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  spatialite_cleanup_ex (cache);
  return value;
}

static char *
query_text (const char *db_path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value;

  void *cache = spatialite_alloc_connection ();

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  spatialite_init_ex (db, cache, 0);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  spatialite_cleanup_ex (cache);
  return value;
}

static gint64
count_category (const char *db_path,
                const char *category)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM element WHERE category = '%s'",
                                          category);
  return query_int64 (db_path, sql);
}

/* A summary of everything an import could change. */
static char *
store_fingerprint (const char *db_path)
{
  return query_text (db_path,
                     "SELECT (SELECT count(*) FROM element) || '/' || "
                     "(SELECT coalesce (sum (version), 0) FROM element) || '/' || "
                     "(SELECT count(*) FROM idx_element_geom) || '/' || "
                     "(SELECT group_concat (status || ':' || coalesce (error, ''), ',') FROM edit) || '/' || "
                     "(SELECT count(*) FROM sqlite_master WHERE type = 'trigger') || '/' || "
                     "(SELECT count(*) FROM meta)");
}

static void
check_integrity (const char *db_path)
{
  g_autofree char *integrity = query_text (db_path, "PRAGMA integrity_check");

  g_autofree char *geom_tree = query_text (db_path, "SELECT rtreecheck ('idx_element_geom')");
  g_autofree char *feature_tree = query_text (db_path, "SELECT rtreecheck ('feature_index')");

  g_assert_cmpstr (integrity, ==, "ok");
  /* The packed R*Trees are consistent, as SQLite itself checks them. */
  g_assert_cmpstr (geom_tree, ==, "ok");
  g_assert_cmpstr (feature_tree, ==, "ok");
  /* Every point is where its element is. */
  g_assert_cmpint (query_int64 (db_path,
                                "SELECT count(*) FROM element AS e JOIN idx_element_geom AS r ON r.pkid = e.id "
                                "WHERE X (e.geom) NOT BETWEEN r.xmin AND r.xmax "
                                "OR Y (e.geom) NOT BETWEEN r.ymin AND r.ymax"), ==, 0);
  /* The rebuilt spatial index holds every element, and its triggers are back. */
  g_assert_cmpint (query_int64 (db_path, "SELECT count(*) FROM idx_element_geom"), ==,
                   query_int64 (db_path, "SELECT count(*) FROM element"));
  g_assert_cmpint (query_int64 (db_path,
                                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                "AND name IN ('gii_element_geom', 'ggi_element_geom', 'ggi_element_shape')"),
                   ==, 3);
  /* The secondary indexes dropped for a first import are back. */
  g_assert_cmpint (query_int64 (db_path,
                                "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                "AND name IN ('element_category', 'element_name')"),
                   ==, 2);
}

static void
test_import_monaco (void)
{
  g_autofree char *path = balise_test_tmp_path ("monaco.db");
  g_autofree char *extract = monaco_path ();
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  BaliseImportStats stats = { 0, };

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_is_empty (store, &error));
  g_assert_no_error (error);

  g_assert_true (balise_store_import_file (store, extract, NULL, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_false (balise_store_is_empty (store, &error));

  /* osmium fileinfo -e (tests/../shared/data/README.md) */
  g_assert_cmpuint (stats.nodes_read, ==, 180118);
  g_assert_cmpuint (stats.ways_read, ==, 27377);
  g_assert_cmpuint (stats.relations_read, ==, 212);
  /* Every tagged node is a feature. */
  g_assert_cmpuint (stats.features, ==, 3090);
  g_assert_cmpuint (stats.ways_skipped_missing_nodes, ==, 0);
  g_assert_cmpuint (stats.edits_flagged, ==, 0);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE osm_type = 'node'"), ==, 3090);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE osm_type = 'way'"), ==,
                   stats.ways_kept);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE osm_type = 'relation'"), ==, 0);

  /* The union of highway=bus_stop and public_transport=platform: 161, all nodes. */
  g_assert_cmpint (count_category (path, "bus_stop"), ==, 161);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE category = 'bus_stop' "
                                      "AND osm_type = 'node'"), ==, 161);
  g_assert_cmpint (count_category (path, "drinking_water"), ==, 11);
  g_assert_cmpint (count_category (path, "toilets"), ==, 28);
  g_assert_cmpint (count_category (path, "defibrillator"), ==, 5);
  g_assert_cmpint (count_category (path, "pharmacy"), ==, 23);
  g_assert_cmpint (count_category (path, "post_box"), ==, 14);
  /* highway=* ways: 2,927, all with their nodes in this extract, but three
   * have a single node (w156571105, w170077901, w224823020): no line. */
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE osm_type = 'way' "
                                      "AND json_extract (tags, '$.highway') IS NOT NULL"), ==, 2927 - 3);

  /* Ways have a shape, their node list and a point inside the bbox. */
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE osm_type = 'way' "
                                      "AND (shape IS NULL OR way_nodes IS NULL)"), ==, 0);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE "
                                      "MbrMinX (geom) < 7.348 OR MbrMaxX (geom) > 7.492 OR "
                                      "MbrMinY (geom) < 43.714 OR MbrMaxY (geom) > 43.771"), ==, 0);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE category = 'building' "
                                      "AND GeometryType (shape) = 'POLYGON'"), >, 20000);
  /* Metadata and tags as JSON. */
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE version < 1 OR "
                                      "user IS NULL OR timestamp IS NULL OR changeset IS NULL"), ==, 0);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE json_valid (tags) = 0"), ==, 0);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE category = 'bus_stop' "
                                      "AND name = json_extract (tags, '$.name')"), >, 100);
  check_integrity (path);
}

static void
test_import_big_ids (void)
{
  g_autofree char *path = balise_test_tmp_path ("big-ids.db");
  g_autofree char *extract = big_ids_path ();
  g_autoptr(GArray) nodes = NULL;
  BaliseWayNode *node;
  g_autofree char *name = NULL;
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  BaliseImportStats stats = { 0, };

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, extract, NULL, NULL, NULL, &stats, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (stats.nodes_read, ==, 4);
  g_assert_cmpuint (stats.ways_read, ==, 2);
  g_assert_cmpuint (stats.relations_read, ==, 1);
  g_assert_cmpuint (stats.features, ==, 2);
  g_assert_cmpuint (stats.ways_kept, ==, 1);
  g_assert_cmpuint (stats.ways_skipped_missing_nodes, ==, 1);

  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE osm_type = 'node' "
                                      "AND osm_id = 5861455949 AND category = 'bus_stop' "
                                      "AND version = 1 AND changeset = 61000001"), ==, 1);
  name = query_text (path, "SELECT name FROM element WHERE osm_id = 5861455949");
  g_assert_cmpstr (name, ==, "Valletta \"B\"");
  /* The way's nodes, their versions and positions, ids above 2^32. */
  nodes = balise_store_get_way_nodes (store, 6000000001, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 3);
  node = &g_array_index (nodes, BaliseWayNode, 0);
  g_assert_cmpint (node->id, ==, 5861455949);
  g_assert_cmpint (node->version, ==, 1);
  g_assert_cmpfloat (node->lat, ==, 358989000 / 1e7);
  g_assert_cmpfloat (node->lon, ==, 145146000 / 1e7);
  node = &g_array_index (nodes, BaliseWayNode, 1);
  g_assert_cmpint (node->id, ==, 5861455950);
  g_assert_cmpint (node->version, ==, 4);
  node = &g_array_index (nodes, BaliseWayNode, 2);
  g_assert_cmpint (node->id, ==, 5861455951);
  g_assert_cmpfloat (node->lat, ==, 359001000 / 1e7);
  g_assert_cmpfloat (node->lon, ==, 145160000 / 1e7);
  /* The way whose node is missing was left out. */
  g_assert_null (balise_store_get_way_nodes (store, 6000000002, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (query_int64 (path, "SELECT GeometryType (shape) = 'LINESTRING' "
                                      "AND abs (Y (geom) - 35.8995) < 1e-9 FROM element "
                                      "WHERE osm_id = 6000000001"), ==, 1);
  /* No metadata: accepted, stored as version 0 and NULLs. */
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE osm_id = 42 AND "
                                      "version = 0 AND user IS NULL AND timestamp IS NULL"), ==, 1);
  check_integrity (path);
}

/* An element twice in one file: the later version wins, and the spatial
 * indexes (packed from the rows as they are written when the store is
 * empty) still match the table. */
static void
test_import_twice_in_file (void)
{
  g_autofree char *path = balise_test_tmp_path ("twice.db");
  g_autofree char *extract = balise_test_tmp_path ("twice.osm");
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *xml =
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<osm version='0.6'>\n"
    " <node id='1' version='1' lat='43.73' lon='7.42'><tag k='highway' v='bus_stop'/></node>\n"
    " <node id='2' version='1' lat='43.74' lon='7.43'><tag k='amenity' v='bench'/></node>\n"
    " <node id='1' version='2' lat='43.735' lon='7.425'>"
    "<tag k='highway' v='bus_stop'/><tag k='name' v='Moved'/></node>\n"
    " <node id='3' version='1' lat='43.75' lon='7.44'><tag k='amenity' v='toilets'/></node>\n"
    "</osm>\n";

  g_assert_true (g_file_set_contents (extract, xml, -1, NULL));
  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, extract, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element"), ==, 3);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element WHERE osm_id = 1 AND version = 2 "
                                      "AND name = 'Moved' AND abs (Y (geom) - 43.735) < 1e-9"), ==, 1);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM feature_index"), ==, 3);
  check_integrity (path);
}

static void
test_import_any_name (void)
{
  g_autofree char *path = balise_test_tmp_path ("any-name.db");
  g_autofree char *monaco = monaco_path ();
  g_autofree char *big_ids = big_ids_path ();
  g_autofree char *dat = balise_test_tmp_path ("monaco-extract.dat");
  g_autofree char *xml = balise_test_tmp_path ("small.xml");
  g_autofree char *contents = NULL;
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  g_assert_true (g_file_get_contents (monaco, &contents, &size, NULL));
  g_assert_true (g_file_set_contents (dat, contents, size, NULL));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (big_ids, &contents, &size, NULL));
  g_assert_true (g_file_set_contents (xml, contents, size, NULL));

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, dat, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_category (path, "bus_stop"), ==, 161);
  g_assert_true (balise_store_import_file (store, xml, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_category (path, "bus_stop"), ==, 162);
  check_integrity (path);
}

static void
test_import_damaged (void)
{
  g_autofree char *path = balise_test_tmp_path ("damaged.db");
  g_autofree char *monaco = monaco_path ();
  g_autofree char *big_ids = big_ids_path ();
  g_autofree char *truncated = balise_test_tmp_path ("truncated.osm.pbf");
  g_autofree char *garbage = balise_test_tmp_path ("garbage.osm.pbf");
  g_autofree char *truncated_xml = balise_test_tmp_path ("truncated.osm");
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL;
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  g_assert_true (g_file_get_contents (monaco, &contents, &size, NULL));
  g_assert_cmpuint (size, >, 100 * 1000);
  g_assert_true (g_file_set_contents (truncated, contents, 100 * 1000, NULL));
  g_assert_true (g_file_set_contents (garbage, "This is not OpenStreetMap data at all.\n", -1, NULL));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (big_ids, &contents, &size, NULL));
  g_assert_true (g_file_set_contents (truncated_xml, contents, size / 2, NULL));

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, big_ids, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  before = store_fingerprint (path);

  g_assert_false (balise_store_import_file (store, truncated, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, truncated));
  g_assert_nonnull (strstr (error->message, "truncated"));
  g_clear_error (&error);
  {
    g_autofree char *after = store_fingerprint (path);
    g_assert_cmpstr (after, ==, before);
  }

  g_assert_false (balise_store_import_file (store, garbage, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, garbage));
  g_clear_error (&error);

  g_assert_false (balise_store_import_file (store, truncated_xml, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (balise_store_import_file (store, "/nonexistent/extract.osm.pbf", NULL, NULL,
                                            NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  {
    g_autofree char *after = store_fingerprint (path);
    g_assert_cmpstr (after, ==, before);
  }
  check_integrity (path);
}

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
  guint64       last_nodes;
} ProgressData;

static void
cancel_on_progress (guint64  nodes,
                    guint64  ways,
                    gpointer user_data)
{
  ProgressData *data = user_data;

  g_assert_cmpuint (nodes, >=, data->last_nodes);
  data->last_nodes = nodes;
  data->calls++;
  g_cancellable_cancel (data->cancellable);
}

static void
test_import_cancel (void)
{
  g_autofree char *path = balise_test_tmp_path ("cancel.db");
  g_autofree char *monaco = monaco_path ();
  g_autofree char *big_ids = big_ids_path ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  ProgressData data = { cancellable, 0, 0 };

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, big_ids, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  before = store_fingerprint (path);

  g_assert_false (balise_store_import_file (store, monaco, cancel_on_progress, &data,
                                            cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (data.calls, ==, 1);
  after = store_fingerprint (path);
  g_assert_cmpstr (after, ==, before);
  check_integrity (path);
}

static char *
big_ids_version (int version)
{
  g_autofree char *source = big_ids_path ();
  g_autofree char *contents = NULL;
  g_autofree char *name = g_strdup_printf ("big-ids-v%d.osm", version);
  g_autofree char *replacement = g_strdup_printf ("id=\"5861455949\" version=\"%d\"", version);
  g_autoptr(GString) text = NULL;
  char *path = balise_test_tmp_path (name);

  g_assert_true (g_file_get_contents (source, &contents, NULL, NULL));
  text = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (text, "id=\"5861455949\" version=\"1\"", replacement, 1), ==, 1);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  return path;
}

static void
test_import_conflict (void)
{
  g_autofree char *path = balise_test_tmp_path ("conflict.db");
  g_autofree char *big_ids = big_ids_path ();
  g_autofree char *v2 = big_ids_version (2);
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_MODIFY);
  g_autoptr(BaliseEdit) other = balise_edit_new (BALISE_EDIT_MODIFY);
  g_autoptr(BaliseEdit) stored = NULL;
  g_autoptr(BaliseEdit) stored_other = NULL;
  g_autoptr(GError) error = NULL;
  BaliseImportStats stats = { 0, };

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, big_ids, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  edit->osm_type = BALISE_OSM_NODE;
  edit->osm_id = 5861455949;
  edit->base_version = 1;
  edit->base_tags = balise_tags_new ();
  balise_tags_set (edit->base_tags, "highway", "bus_stop");
  edit->new_tags = balise_tags_copy (edit->base_tags);
  balise_tags_set (edit->new_tags, "shelter", "yes");
  edit->lat = 35.8989;
  edit->lon = 14.5146;
  edit->contributor = g_strdup ("Camille");
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);

  /* An edit of a way whose version does not change stays pending. */
  other->osm_type = BALISE_OSM_WAY;
  other->osm_id = 6000000001;
  other->base_version = 3;
  other->base_tags = balise_tags_new ();
  balise_tags_set (other->base_tags, "highway", "residential");
  other->new_tags = balise_tags_copy (other->base_tags);
  balise_tags_set (other->new_tags, "surface", "asphalt");
  other->lat = 35.8995;
  other->lon = 14.5150;
  other->contributor = g_strdup ("Camille");
  g_assert_true (balise_store_add_edit (store, other, &error));
  g_assert_no_error (error);

  /* Importing the same data again changes nothing. */
  g_assert_true (balise_store_import_file (store, big_ids, NULL, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.edits_flagged, ==, 0);

  g_assert_true (balise_store_import_file (store, v2, NULL, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.edits_flagged, ==, 1);

  stored = balise_store_get_edit (store, edit->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_CONFLICT);
  g_assert_cmpstr (stored->error, ==, "The element changed on the server (version 1 → 2)");
  g_assert_true (balise_tags_equal (stored->new_tags, edit->new_tags));
  stored_other = balise_store_get_edit (store, other->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored_other->status, ==, BALISE_EDIT_STATUS_PENDING);

  /* The base data was updated; no edit was deleted. */
  g_assert_cmpint (query_int64 (path, "SELECT version FROM element WHERE osm_id = 5861455949"), ==, 2);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM edit"), ==, 2);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM element"), ==, 3);
  check_integrity (path);
}

/* Every earlier schema version upgrades to the current one, keeping the
 * journal, the notes and the photos, and the upgraded store takes an import. */
static void
test_migrate_from (gconstpointer data)
{
  int from_version = GPOINTER_TO_INT (data);
  g_autofree char *name = g_strdup_printf ("v%d.db", from_version);
  g_autofree char *path = balise_test_tmp_path (name);
  g_autofree char *unused = balise_test_tmp_path ("unused.db");
  g_autofree char *big_ids = big_ids_path ();
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit;
  sqlite3 *db = NULL;
  void *spatialite_cache;

  /* Opening any store initializes SpatiaLite. */
  store = balise_store_open (unused, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_true (_balise_store_create_at_version_for_test (path, from_version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int64 (path, "PRAGMA user_version"), ==, from_version);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  spatialite_cache = spatialite_alloc_connection ();
  spatialite_init_ex (db, spatialite_cache, 0);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO edit (uuid, kind, osm_type, osm_id, new_tags, lat, lon, "
                                 "contributor, created_at, status) VALUES "
                                 "('0b7e2d4c-8d2f-4f57-9a57-6a8f1c0e3b11', 'create', 'node', -1, "
                                 "'{\"highway\":\"bus_stop\"}', 43.7384, 7.4246, 'Camille', "
                                 "'2026-01-02T03:04:05Z', 'pending')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  if (from_version >= 2)
    g_assert_cmpint (sqlite3_exec (db,
                                   "UPDATE edit SET reason = 'kept';"
                                   "INSERT INTO note (uuid, lat, lon, category, text, contributor, "
                                   "created_at, status, osm_note_id) VALUES "
                                   "('5d1c6a3e-2b8f-4e0a-9c1d-7f3e2a1b0c99', 43.73, 7.42, 'pothole', "
                                   "'Pothole on the kerb side', 'Camille', '2026-01-02T03:05:00Z', 'open', 77);"
                                   "INSERT INTO photo VALUES (printf ('%064d', 7), 'image/jpeg', 3, x'FFD8FF', "
                                   "'2026-01-02T03:06:00Z');"
                                   "INSERT INTO photo_link (sha256, note_uuid) VALUES (printf ('%064d', 7), "
                                   "'5d1c6a3e-2b8f-4e0a-9c1d-7f3e2a1b0c99');",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  /* A way with its node list as JSON, as versions 2 to 4 kept it. */
  if (from_version >= 2 && from_version < 5)
    g_assert_cmpint (sqlite3_exec (db,
                                   "INSERT INTO element (osm_type, osm_id, version, tags, geom, nodes, "
                                   "category, shape) VALUES ('way', 5000000001, 2, '{\"highway\":\"service\"}', "
                                   "MakePoint (7.42, 43.73, 4326), '[5861455949, 12,5861455949]', 'road', "
                                   "GeomFromText ('LINESTRING(7.4200001 43.73, 7.421 43.7300002, "
                                   "7.4200001 43.73)', 4326));",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  spatialite_cleanup_ex (spatialite_cache);

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (balise_store_get_schema_version (store), ==, BALISE_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int64 (path, "PRAGMA user_version"), ==, BALISE_STORE_SCHEMA_VERSION);

  edits = balise_store_list_edits (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 1);
  edit = g_ptr_array_index (edits, 0);
  g_assert_cmpstr (edit->uuid, ==, "0b7e2d4c-8d2f-4f57-9a57-6a8f1c0e3b11");
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_PENDING);
  g_assert_cmpstr (edit->contributor, ==, "Camille");
  g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "highway"), ==, "bus_stop");
  /* Version 2 made the contributors of version 1 journals into profiles. */
  if (from_version == 1)
    g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM contributor WHERE name = 'Camille'"), ==, 1);
  if (from_version >= 2)
    {
      g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM edit WHERE reason = 'kept'"), ==, 1);
      g_assert_cmpint (query_int64 (path, "SELECT osm_note_id FROM note WHERE status = 'open' "
                                          "AND category = 'pothole'"), ==, 77);
      g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM photo_link JOIN photo USING (sha256) "
                                          "WHERE note_uuid = '5d1c6a3e-2b8f-4e0a-9c1d-7f3e2a1b0c99' "
                                          "AND data = x'FFD8FF'"), ==, 1);
    }
  /* Version 5 packed the node lists of ways, with unknown versions. */
  if (from_version >= 2 && from_version < 5)
    {
      g_autoptr(GArray) nodes = balise_store_get_way_nodes (store, 5000000001, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (nodes->len, ==, 3);
      g_assert_cmpint (g_array_index (nodes, BaliseWayNode, 0).id, ==, 5861455949);
      g_assert_cmpint (g_array_index (nodes, BaliseWayNode, 1).id, ==, 12);
      g_assert_cmpint (g_array_index (nodes, BaliseWayNode, 2).id, ==, 5861455949);
      g_assert_cmpint (g_array_index (nodes, BaliseWayNode, 1).version, ==, 0);
      g_assert_cmpfloat (g_array_index (nodes, BaliseWayNode, 1).lon, ==, 7.421);
      g_assert_cmpfloat (g_array_index (nodes, BaliseWayNode, 1).lat, ==, 43.7300002);
    }
  /* Version 6 records each note's server; a note sent before has none,
   * and the history links it to the current server. */
  if (from_version >= 2)
    {
      g_autoptr(BaliseNote) note = balise_store_get_note (store, "5d1c6a3e-2b8f-4e0a-9c1d-7f3e2a1b0c99",
                                                          &error);

      g_assert_no_error (error);
      g_assert_cmpint (note->osm_note_id, ==, 77);
      g_assert_null (note->server);
    }
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM pragma_table_info ('note') "
                                      "WHERE name = 'server' AND type = 'TEXT'"), ==, 1);
  /* The statuses that version 4 added are accepted. */
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM edit WHERE status IN ('undone', 'has_issues')"), ==, 0);

  /* The migrated store takes an import. */
  g_assert_true (balise_store_import_file (store, big_ids, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_category (path, "bus_stop"), ==, 1);
  g_assert_cmpint (query_int64 (path, "SELECT count(*) FROM edit WHERE status = 'pending'"), ==, 1);
  check_integrity (path);
}

typedef struct
{
  GMainLoop *loop;
  GThread   *main_thread;
  guint      progress_calls;
  gboolean   done;
  gboolean   ok;
  BaliseImportStats stats;
  GError    *error;
} AsyncData;

static void
async_progress (guint64  nodes,
                guint64  ways,
                gpointer user_data)
{
  AsyncData *data = user_data;

  g_assert_true (g_thread_self () == data->main_thread);
  data->progress_calls++;
}

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncData *data = user_data;

  data->ok = balise_store_import_file_finish (BALISE_STORE (source), result, &data->stats,
                                              &data->error);
  data->done = TRUE;
  g_main_loop_quit (data->loop);
}

static void
test_import_async (void)
{
  g_autofree char *path = balise_test_tmp_path ("async.db");
  g_autofree char *monaco = monaco_path ();
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncData data = { loop, g_thread_self (), 0, };

  store = balise_store_open (path, &error);
  g_assert_no_error (error);

  balise_store_import_file_async (store, monaco, async_progress, &data, NULL, NULL,
                                  async_done, &data);
  g_main_loop_run (loop);
  g_assert_true (data.done);
  g_assert_no_error (data.error);
  g_assert_true (data.ok);
  g_assert_cmpuint (data.stats.features, ==, 3090);
  g_assert_cmpint (count_category (path, "bus_stop"), ==, 161);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/monaco", test_import_monaco);
  g_test_add_func ("/import/big-ids", test_import_big_ids);
  g_test_add_func ("/import/twice-in-file", test_import_twice_in_file);
  g_test_add_func ("/import/any-name", test_import_any_name);
  g_test_add_func ("/import/damaged", test_import_damaged);
  g_test_add_func ("/import/cancel", test_import_cancel);
  g_test_add_func ("/import/conflict", test_import_conflict);
  g_test_add_func ("/import/async", test_import_async);
  for (int v = 1; v < BALISE_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *test_path = g_strdup_printf ("/import/migrate-from-v%d", v);
      g_test_add_data_func (test_path, GINT_TO_POINTER (v), test_migrate_from);
    }

  return g_test_run ();
}
