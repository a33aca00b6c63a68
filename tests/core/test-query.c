/* test-query.c: viewport, clusters, search and nearby features
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "balise-core.h"
#include "balise-import.h"
#include "balise-store-query.h"
#include "balise-test-utils.h"
#include "test-elements.h"

typedef struct
{
  BaliseStore *store;
  char        *db_path;
  char        *modify_uuid;
} Fixture;

#define WEST  7.41
#define SOUTH 43.72
#define EAST  7.44
#define NORTH 43.75

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint counter;
  g_autofree char *db_name = g_strdup_printf ("query-%u.sqlite", ++counter);
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseEdit) create = NULL;
  g_autoptr(BaliseEdit) modify = NULL;
  g_autoptr(BaliseEdit) move = NULL;
  g_autoptr(BaliseEdit) delete = NULL;

  fixture->db_path = balise_test_tmp_path (db_name);
  fixture->store = balise_store_open (fixture->db_path, &error);
  g_assert_no_error (error);

  test_insert_node (fixture->store, 1, 43.73, 7.42, "highway", "bus_stop",
                    "name", "Casino", "ref", "12", NULL);
  test_insert_node (fixture->store, 2, 43.731, 7.421, "amenity", "bench", NULL);
  test_insert_node (fixture->store, 3, 43.732, 7.423, "highway", "residential", NULL);
  test_insert_node (fixture->store, 4, 43.733, 7.424, "created_by", "JOSM", NULL);
  test_insert_node (fixture->store, 5, 43.74, 7.43, "amenity", "toilets", NULL);
  test_insert_node (fixture->store, 6, 43.735, 7.425, "highway", "bus_stop",
                    "name", "Place d'Armes", NULL);
  test_insert_node (fixture->store, 7, 44.0, 8.0, "highway", "bus_stop", "name", "Far", NULL);
  test_insert_node (fixture->store, 8, 43.9, 7.9, "amenity", "bench", "name", "Moved", NULL);
  test_insert_node (fixture->store, 9, 44.1, 8.1, "amenity", "community_centre",
                    "name", "Maison ÉCOLOGIE Straße", NULL);

  create = test_add_edit (fixture->store, BALISE_EDIT_CREATE, 0, 43.732, 7.422,
                          "highway", "bus_stop", "name", "Nouvel arrêt", NULL);
  modify = test_add_edit (fixture->store, BALISE_EDIT_MODIFY, 6, 43.735, 7.425,
                          "highway", "bus_stop", "name", "Place d'Armes", "shelter", "yes", NULL);
  move = test_add_edit (fixture->store, BALISE_EDIT_MODIFY, 8, 43.745, 7.435,
                        "amenity", "bench", "name", "Moved", NULL);
  delete = test_add_edit (fixture->store, BALISE_EDIT_DELETE, 5, 43.74, 7.43, NULL);
  fixture->modify_uuid = g_strdup (modify->uuid);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->db_path);
  g_free (fixture->modify_uuid);
}

static BaliseFeature *
find_feature (GPtrArray *features,
              gint64     osm_id)
{
  for (guint i = 0; i < features->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (features, i);

      if (feature->osm_id == osm_id)
        return feature;
    }
  return NULL;
}

static guint
cluster_total (GArray *clusters)
{
  guint total = 0;

  for (guint i = 0; i < clusters->len; i++)
    total += g_array_index (clusters, BaliseCluster, i).count;
  return total;
}

static void
test_viewport_effective_state (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = NULL;
  BaliseFeature *feature;

  features = balise_store_query_viewport (fixture->store, WEST, SOUTH, EAST, NORTH, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (features);
  g_assert_cmpuint (features->len, ==, 5);

  feature = find_feature (features, 1);
  g_assert_nonnull (feature);
  g_assert_cmpint (feature->status, ==, BALISE_FEATURE_CLEAN);
  g_assert_cmpstr (feature->category, ==, "bus_stop");
  g_assert_cmpstr (feature->name, ==, "Casino");
  g_assert_cmpstr (feature->ref, ==, "12");
  g_assert_cmpfloat_with_epsilon (feature->lat, 43.73, 1e-9);
  g_assert_cmpfloat_with_epsilon (feature->lon, 7.42, 1e-9);

  g_assert_nonnull (find_feature (features, 2));
  /* A road node and an element of no category are not features. */
  g_assert_null (find_feature (features, 3));
  g_assert_null (find_feature (features, 4));
  /* The pending delete hides its element. */
  g_assert_null (find_feature (features, 5));
  g_assert_null (find_feature (features, 7));

  /* The pending modify shows its new tags. */
  feature = find_feature (features, 6);
  g_assert_nonnull (feature);
  g_assert_cmpint (feature->status, ==, BALISE_FEATURE_MODIFIED);
  g_assert_cmpstr (balise_tags_lookup (feature->tags, "shelter"), ==, "yes");
  g_assert_cmpint (feature->version, ==, 1);

  /* A modify that moves an element into the box brings it in. */
  feature = find_feature (features, 8);
  g_assert_nonnull (feature);
  g_assert_cmpint (feature->status, ==, BALISE_FEATURE_MODIFIED);
  g_assert_cmpfloat_with_epsilon (feature->lat, 43.745, 1e-9);

  /* The pending create appears, with its local id. */
  feature = find_feature (features, -1);
  g_assert_nonnull (feature);
  g_assert_cmpint (feature->status, ==, BALISE_FEATURE_NEW);
  g_assert_cmpstr (feature->name, ==, "Nouvel arrêt");
  g_assert_cmpstr (feature->category, ==, "bus_stop");
}

/* The read connection keeps the journal's overlay between queries while
 * nothing is committed: every edit written in between shows at once. */
static void
test_viewport_after_each_edit (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GPtrArray) deleted = NULL;
  g_autoptr(GArray) clusters_before = NULL;
  g_autoptr(GArray) clusters_after = NULL;
  g_autoptr(BaliseEdit) create = NULL;
  g_autoptr(BaliseEdit) delete = NULL;

  before = balise_store_query_viewport (fixture->store, WEST, SOUTH, EAST, NORTH, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, ==, 5);
  clusters_before = balise_store_query_clusters (fixture->store, WEST, SOUTH, EAST, NORTH, 4, 4, &error);
  g_assert_no_error (error);

  create = test_add_edit (fixture->store, BALISE_EDIT_CREATE, 0, 43.733, 7.433,
                          "amenity", "bench", "name", "Second", NULL);
  created = balise_store_query_viewport (fixture->store, WEST, SOUTH, EAST, NORTH, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (created->len, ==, 6);
  g_assert_nonnull (find_feature (created, create->osm_id));

  delete = test_add_edit (fixture->store, BALISE_EDIT_DELETE, 1, 43.73, 7.42, NULL);
  deleted = balise_store_query_viewport (fixture->store, WEST, SOUTH, EAST, NORTH, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (deleted->len, ==, 5);
  g_assert_null (find_feature (deleted, 1));
  g_assert_nonnull (find_feature (deleted, create->osm_id));

  /* One in, one out. */
  clusters_after = balise_store_query_clusters (fixture->store, WEST, SOUTH, EAST, NORTH, 4, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cluster_total (clusters_after), ==, cluster_total (clusters_before));
  g_assert_cmpuint (cluster_total (clusters_after), ==, 5);
}

static void
test_viewport_deleted_and_limit (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) limited = NULL;
  g_autoptr(GPtrArray) moved_out = NULL;
  BaliseFeature *feature;

  all = balise_store_query_features (fixture->store, WEST, SOUTH, EAST, NORTH, 0, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 6);
  feature = find_feature (all, 5);
  g_assert_nonnull (feature);
  g_assert_cmpint (feature->status, ==, BALISE_FEATURE_DELETED);

  limited = balise_store_query_viewport (fixture->store, WEST, SOUTH, EAST, NORTH, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (limited->len, ==, 2);

  /* The moved element is no longer where the base copy puts it. */
  moved_out = balise_store_query_viewport (fixture->store, 7.89, 43.89, 7.91, 43.91, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (moved_out->len, ==, 0);

  g_assert_null (balise_store_query_viewport (fixture->store, 10, 0, 5, 1, 0, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
}

static void
test_clusters_add_up (Fixture       *fixture,
                      gconstpointer  data)
{
  const guint grids[][2] = { { 1, 1 }, { 3, 3 }, { 16, 10 }, { 64, 40 } };
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < G_N_ELEMENTS (grids); i++)
    {
      g_autoptr(GArray) clusters = NULL;

      clusters = balise_store_query_clusters (fixture->store, WEST, SOUTH, EAST, NORTH,
                                              grids[i][0], grids[i][1], &error);
      g_assert_no_error (error);
      g_assert_cmpuint (cluster_total (clusters), ==, 5);
      for (guint j = 0; j < clusters->len; j++)
        {
          BaliseCluster *cluster = &g_array_index (clusters, BaliseCluster, j);

          g_assert_cmpuint (cluster->count, >, 0);
          g_assert_cmpfloat (cluster->lat, >=, SOUTH - 1e-4);
          g_assert_cmpfloat (cluster->lat, <=, NORTH + 1e-4);
          g_assert_cmpfloat (cluster->lon, >=, WEST - 1e-4);
          g_assert_cmpfloat (cluster->lon, <=, EAST + 1e-4);
        }
    }

  /* Many random nodes and edits, many random boxes. */
  for (gint64 id = 100; id < 600; id++)
    test_insert_node (fixture->store, id,
                      g_rand_double_range (rand, 43.70, 43.78),
                      g_rand_double_range (rand, 7.38, 7.46),
                      "amenity", id % 5 == 0 ? "parking_space_x" : "bench", NULL);
  for (gint64 id = 100; id < 600; id += 7)
    {
      g_autoptr(BaliseEdit) edit = NULL;

      if (id % 3 == 0)
        edit = test_add_edit (fixture->store, BALISE_EDIT_DELETE, id, 43.74, 7.42, NULL);
      else
        edit = test_add_edit (fixture->store, BALISE_EDIT_MODIFY, id,
                              g_rand_double_range (rand, 43.70, 43.78),
                              g_rand_double_range (rand, 7.38, 7.46),
                              "amenity", "bench", NULL);
    }
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(BaliseEdit) edit = NULL;

      edit = test_add_edit (fixture->store, BALISE_EDIT_CREATE, 0,
                            g_rand_double_range (rand, 43.70, 43.78),
                            g_rand_double_range (rand, 7.38, 7.46),
                            "amenity", "toilets", NULL);
    }

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(GPtrArray) features = NULL;
      g_autoptr(GArray) clusters = NULL;
      double west = g_rand_double_range (rand, 7.37, 7.45);
      double south = g_rand_double_range (rand, 43.69, 43.77);
      double east = west + g_rand_double_range (rand, 0.001, 0.05);
      double north = south + g_rand_double_range (rand, 0.001, 0.05);

      features = balise_store_query_viewport (fixture->store, west, south, east, north, 0, &error);
      g_assert_no_error (error);
      clusters = balise_store_query_clusters (fixture->store, west, south, east, north,
                                              1 + i % 17, 1 + i % 11, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (cluster_total (clusters), ==, features->len);
    }

  g_rand_free (rand);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) casino = NULL;
  g_autoptr(GPtrArray) armes = NULL;
  g_autoptr(GPtrArray) stops = NULL;
  g_autoptr(GPtrArray) toilets = NULL;
  g_autoptr(GPtrArray) ref = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autoptr(GPtrArray) percent = NULL;

  casino = balise_store_search (fixture->store, "CASI", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (casino->len, ==, 1);
  g_assert_cmpint (((BaliseFeature *) g_ptr_array_index (casino, 0))->osm_id, ==, 1);

  /* A substring; the effective tags of the modified element. */
  armes = balise_store_search (fixture->store, "d'armes", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (armes->len, ==, 1);
  g_assert_cmpint (((BaliseFeature *) g_ptr_array_index (armes, 0))->status, ==,
                   BALISE_FEATURE_MODIFIED);

  /* By category: the far one, both in the box and the new one. */
  stops = balise_store_search (fixture->store, "bus_st", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stops->len, ==, 4);
  g_assert_nonnull (find_feature (stops, -1));

  /* Deleted: not found. */
  toilets = balise_store_search (fixture->store, "toilets", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (toilets->len, ==, 0);

  ref = balise_store_search (fixture->store, "12", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ref->len, ==, 1);

  empty = balise_store_search (fixture->store, "  ", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);

  percent = balise_store_search (fixture->store, "%", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (percent->len, ==, 0);
}

/* Without case and accents, as a phone keyboard types them: in the base
 * data (SQL) and in the journal (C) alike. */
static void
test_search_folded (Fixture       *fixture,
                    gconstpointer  data)
{
  static const struct { const char *text; gint64 osm_id; } cases[] = {
    { "ecologie", 9 }, { "Écologie", 9 }, { "ÉCOLOGIE", 9 }, { "strasse", 9 },
    { "arret", -1 }, { "ARRÊT", -1 }, { "nouvel arret", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) found = balise_store_search (fixture->store, cases[i].text, 0, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, 1);
      g_assert_cmpint (((BaliseFeature *) g_ptr_array_index (found, 0))->osm_id, ==, cases[i].osm_id);
    }
}

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GPtrArray *
search_async (BaliseStore   *store,
              const char    *text,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  balise_store_search_async (store, text, 0, cancellable, search_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return balise_store_search_finish (store, result, error);
}

/* On its own thread and connection: the same answers as on the main
 * thread's, and a cancelled search says so rather than returning a list. */
static void
test_search_async (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const texts[] = { "casi", "d'armes", "bus_st", "toilets", "arret", "" };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) cancelled = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GPtrArray) sync = balise_store_search (fixture->store, texts[i], 0, &error);
      g_autoptr(GPtrArray) async = NULL;

      g_assert_no_error (error);
      async = search_async (fixture->store, texts[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (async->len, ==, sync->len);
      for (guint j = 0; j < sync->len; j++)
        {
          BaliseFeature *a = g_ptr_array_index (async, j);
          BaliseFeature *b = g_ptr_array_index (sync, j);

          g_assert_cmpint (a->osm_id, ==, b->osm_id);
          g_assert_cmpint (a->status, ==, b->status);
        }
    }

  g_cancellable_cancel (cancellable);
  cancelled = search_async (fixture->store, "bus", cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (cancelled);
}

/* One feature as the panel shows it: clean, changed, created, deleted and
 * uploaded, and a clear error for what is not a feature. */
static void
test_get_feature (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseFeature) clean = NULL;
  g_autoptr(BaliseFeature) modified = NULL;
  g_autoptr(BaliseFeature) moved = NULL;
  g_autoptr(BaliseFeature) created = NULL;
  g_autoptr(BaliseFeature) deleted = NULL;
  g_autoptr(BaliseFeature) road = NULL;
  g_autoptr(BaliseFeature) missing = NULL;
  g_autoptr(BaliseFeature) uploaded = NULL;
  g_autoptr(BaliseEdit) sent = NULL;

  clean = balise_store_get_feature (fixture->store, BALISE_OSM_NODE, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (clean->status, ==, BALISE_FEATURE_CLEAN);
  g_assert_null (clean->edit_uuid);
  g_assert_cmpstr (clean->name, ==, "Casino");
  g_assert_cmpstr (clean->category, ==, "bus_stop");
  g_assert_cmpfloat_with_epsilon (clean->lat, 43.73, 1e-9);

  modified = balise_store_get_feature (fixture->store, BALISE_OSM_NODE, 6, &error);
  g_assert_no_error (error);
  g_assert_cmpint (modified->status, ==, BALISE_FEATURE_MODIFIED);
  g_assert_cmpstr (balise_tags_lookup (modified->tags, "shelter"), ==, "yes");
  g_assert_cmpstr (modified->edit_uuid, ==, fixture->modify_uuid);

  moved = balise_store_get_feature (fixture->store, BALISE_OSM_NODE, 8, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (moved->lat, 43.745, 1e-9);
  g_assert_cmpfloat_with_epsilon (moved->lon, 7.435, 1e-9);

  created = balise_store_get_feature (fixture->store, BALISE_OSM_NODE, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (created->status, ==, BALISE_FEATURE_NEW);
  g_assert_cmpstr (created->name, ==, "Nouvel arrêt");

  deleted = balise_store_get_feature (fixture->store, BALISE_OSM_NODE, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (deleted->status, ==, BALISE_FEATURE_DELETED);
  g_assert_cmpstr (deleted->category, ==, "toilets");

  road = balise_store_get_feature (fixture->store, BALISE_OSM_NODE, 3, &error);
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_assert_null (road);
  g_clear_error (&error);

  missing = balise_store_get_feature (fixture->store, BALISE_OSM_WAY, 1, &error);
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_assert_null (missing);
  g_clear_error (&error);

  /* The bench's edit reached the server: the base copy, marked uploaded. */
  sent = balise_edit_new (BALISE_EDIT_MODIFY);
  sent->osm_type = BALISE_OSM_NODE;
  sent->osm_id = 2;
  sent->base_version = 1;
  sent->lat = 43.731;
  sent->lon = 7.421;
  sent->contributor = g_strdup ("Camille");
  sent->status = BALISE_EDIT_STATUS_UPLOADED;
  sent->base_tags = balise_tags_new ();
  sent->new_tags = balise_tags_new ();
  balise_tags_set (sent->new_tags, "amenity", "bench");
  balise_tags_set (sent->new_tags, "backrest", "yes");
  g_assert_true (balise_store_add_edit (fixture->store, sent, &error));
  g_assert_no_error (error);
  uploaded = balise_store_get_feature (fixture->store, BALISE_OSM_NODE, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (uploaded->status, ==, BALISE_FEATURE_UPLOADED);
  g_assert_cmpstr (uploaded->edit_uuid, ==, sent->uuid);
  g_assert_cmpstr (uploaded->category, ==, "bench");
}

static void
test_near (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) near = NULL;
  g_autoptr(GPtrArray) stops = NULL;
  g_autoptr(GPtrArray) none = NULL;
  BaliseFeature *first;

  /* 10 m north of the Casino stop; the bench is ~ 140 m away. */
  near = balise_store_query_near (fixture->store, 43.73009, 7.42, 25, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (near->len, ==, 1);
  first = g_ptr_array_index (near, 0);
  g_assert_cmpint (first->osm_id, ==, 1);
  g_assert_cmpfloat (first->distance, >, 9);
  g_assert_cmpfloat (first->distance, <, 11);

  stops = balise_store_query_near (fixture->store, 43.7305, 7.4205, 700, "bus_stop", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stops->len, ==, 3);
  for (guint i = 1; i < stops->len; i++)
    g_assert_cmpfloat (((BaliseFeature *) g_ptr_array_index (stops, i - 1))->distance, <=,
                       ((BaliseFeature *) g_ptr_array_index (stops, i))->distance);

  none = balise_store_query_near (fixture->store, 43.7305, 7.4205, 500, "pharmacy", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_feature_status_names (void)
{
  BaliseFeatureStatus status;

  for (guint i = BALISE_FEATURE_CLEAN; i <= BALISE_FEATURE_UPLOADED; i++)
    {
      g_assert_true (balise_feature_status_from_string (balise_feature_status_to_string (i),
                                                        &status));
      g_assert_cmpuint (status, ==, i);
    }
  g_assert_false (balise_feature_status_from_string ("bogus", &status));
  g_assert_true (balise_category_is_basemap ("road"));
  g_assert_false (balise_category_is_basemap ("bus_stop"));
}

/* The importer writes without the element triggers; the features' index
 * must still hold every feature it wrote. */
static void
test_after_import (void)
{
  g_autofree char *path = balise_test_tmp_path ("query-import.sqlite");
  g_autofree char *extract = g_test_build_filename (G_TEST_DIST, "..", "data", "demo",
                                                    "monaco-2016.osm.pbf", NULL);
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GArray) clusters = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  BaliseImportStats stats;
  guint expected;

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, extract, NULL, NULL, NULL, &stats, &error));
  g_assert_no_error (error);

  g_assert_true (_balise_store_prepare (_balise_store_get_read_db (store),
                                        "SELECT count (*) FROM element WHERE "
                                        BALISE_STORE_FEATURE_CATEGORY_SQL (""),
                                        &stmt, &error));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  expected = (guint) sqlite3_column_int (stmt, 0);
  g_assert_cmpuint (expected, >, 1000);

  features = balise_store_query_viewport (store, -180, -90, 180, 90, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (features->len, ==, expected);

  clusters = balise_store_query_clusters (store, 7.40, 43.72, 7.44, 43.76, 8, 8, &error);
  g_assert_no_error (error);
  g_clear_pointer (&features, g_ptr_array_unref);
  features = balise_store_query_viewport (store, 7.40, 43.72, 7.44, 43.76, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (features->len, >, 100);
  g_assert_cmpuint (cluster_total (clusters), ==, features->len);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/query/status-names", test_feature_status_names);
  g_test_add_func ("/query/after-import", test_after_import);
  g_test_add ("/query/viewport/effective-state", Fixture, NULL,
              fixture_set_up, test_viewport_effective_state, fixture_tear_down);
  g_test_add ("/query/viewport/after-each-edit", Fixture, NULL,
              fixture_set_up, test_viewport_after_each_edit, fixture_tear_down);
  g_test_add ("/query/viewport/deleted-and-limit", Fixture, NULL,
              fixture_set_up, test_viewport_deleted_and_limit, fixture_tear_down);
  g_test_add ("/query/clusters/add-up", Fixture, NULL,
              fixture_set_up, test_clusters_add_up, fixture_tear_down);
  g_test_add ("/query/search", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/query/search-folded", Fixture, NULL, fixture_set_up, test_search_folded,
              fixture_tear_down);
  g_test_add ("/query/search-async", Fixture, NULL, fixture_set_up, test_search_async,
              fixture_tear_down);
  g_test_add ("/query/get-feature", Fixture, NULL, fixture_set_up, test_get_feature,
              fixture_tear_down);
  g_test_add ("/query/near", Fixture, NULL, fixture_set_up, test_near, fixture_tear_down);

  return g_test_run ();
}
