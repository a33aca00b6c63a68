/* test-export.c: GeoJSON, CSV, osmChange and .osm files read back
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "balise-core.h"
#include "balise-export.h"
#include "balise-store-query.h"
#include "balise-test-utils.h"
#include "test-elements.h"
#include "test-store.h"

typedef struct
{
  BaliseStore *store;
  char        *db_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint counter;
  g_autofree char *db_name = g_strdup_printf ("export-%u.sqlite", ++counter);
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseEdit) create = NULL;
  g_autoptr(BaliseEdit) modify = NULL;
  g_autoptr(BaliseEdit) delete = NULL;

  fixture->db_path = balise_test_tmp_path (db_name);
  fixture->store = balise_store_open (fixture->db_path, &error);
  g_assert_no_error (error);

  test_insert_node (fixture->store, 1, 43.73, 7.42, "highway", "bus_stop",
                    "name", "Casino, \"Monte\"\nCarlo", "ref", "12", NULL);
  test_insert_node (fixture->store, 2, 43.731, 7.421, "amenity", "bench", NULL);
  test_insert_node (fixture->store, 3, 43.732, 7.423, "highway", "residential", NULL);
  test_insert_node (fixture->store, 5, 43.74, 7.43, "amenity", "toilets", NULL);
  test_insert_node (fixture->store, 6, 43.735, 7.425, "highway", "bus_stop", "name", "Armes", NULL);

  create = test_add_edit (fixture->store, BALISE_EDIT_CREATE, 0, 43.732, 7.422,
                          "highway", "bus_stop", "name", "Nouvel arrêt & <abri>", NULL);
  modify = test_add_edit (fixture->store, BALISE_EDIT_MODIFY, 6, 43.735, 7.425,
                          "highway", "bus_stop", "name", "Armes", "shelter", "yes", NULL);
  delete = test_add_edit (fixture->store, BALISE_EDIT_DELETE, 5, 43.74, 7.43, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->db_path);
}

static GPtrArray *
effective_features (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *features;

  features = balise_store_query_viewport (fixture->store, -180, -90, 180, 90, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (features->len, ==, 4);
  return features;
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

static void
test_geojson (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = effective_features (fixture);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = balise_test_tmp_path ("features.geojson");
  JsonObject *root;
  JsonArray *array;

  g_assert_true (balise_export_to_file (fixture->store, BALISE_EXPORT_GEOJSON, NULL, path, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "type"), ==, "FeatureCollection");
  array = json_object_get_array_member (root, "features");
  g_assert_cmpuint (json_array_get_length (array), ==, features->len);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      JsonObject *properties = json_object_get_object_member (object, "properties");
      JsonArray *coordinates = json_object_get_array_member (
        json_object_get_object_member (object, "geometry"), "coordinates");
      gint64 osm_id = json_object_get_int_member (properties, "@osm_id");
      BaliseFeature *feature = find_feature (features, osm_id);
      g_autoptr(GList) members = json_object_get_members (properties);
      guint tag_count = 0;

      g_assert_nonnull (feature);
      g_assert_cmpstr (json_object_get_string_member (properties, "@osm_type"), ==, "node");
      g_assert_cmpstr (json_object_get_string_member (properties, "@category"), ==,
                       feature->category);
      g_assert_cmpstr (json_object_get_string_member (properties, "@status"), ==,
                       balise_feature_status_to_string (feature->status));
      g_assert_cmpfloat_with_epsilon (json_array_get_double_element (coordinates, 0),
                                      feature->lon, 1e-9);
      g_assert_cmpfloat_with_epsilon (json_array_get_double_element (coordinates, 1),
                                      feature->lat, 1e-9);
      for (GList *l = members; l != NULL; l = l->next)
        {
          if (((const char *) l->data)[0] == '@')
            continue;
          tag_count++;
          g_assert_cmpstr (json_object_get_string_member (properties, l->data), ==,
                           balise_tags_lookup (feature->tags, l->data));
        }
      g_assert_cmpuint (tag_count, ==, balise_tags_get_size (feature->tags));
    }

  /* A box: only the new stop. */
  {
    BaliseBox box = { 7.4215, 43.7315, 7.4225, 43.7325 };
    g_autoptr(JsonParser) small = json_parser_new ();

    bytes = balise_export (fixture->store, BALISE_EXPORT_GEOJSON, &box, &error);
    g_assert_no_error (error);
    g_assert_true (json_parser_load_from_data (small, g_bytes_get_data (bytes, NULL),
                                               (gssize) g_bytes_get_size (bytes), &error));
    g_assert_no_error (error);
    array = json_object_get_array_member (json_node_get_object (json_parser_get_root (small)),
                                          "features");
    g_assert_cmpuint (json_array_get_length (array), ==, 1);
  }
}

/* RFC 4180 rows, for the test. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            g_string_append_c (field, *p++);
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
        }
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == ',')
        g_ptr_array_add (fields, g_strdup (field->str)), g_string_truncate (field, 0);
      else if (*p == '\r' && p[1] == '\n')
        {
          p++;
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (fields, NULL);
          g_ptr_array_add (rows, g_ptr_array_steal (fields, NULL));
        }
      else
        g_string_append_c (field, *p);
    }
  g_assert_false (quoted);
  g_assert_cmpuint (field->len, ==, 0);
  return rows;
}

static void
test_csv (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = effective_features (fixture);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *text = NULL;
  g_autofree char *header = NULL;

  bytes = balise_export (fixture->store, BALISE_EXPORT_CSV, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  rows = parse_csv (text);
  g_assert_cmpuint (rows->len, ==, features->len + 1);

  header = g_strjoinv (",", g_ptr_array_index (rows, 0));
  g_assert_cmpstr (header, ==, BALISE_EXPORT_CSV_HEADER);

  for (guint i = 1; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      BaliseFeature *feature;
      g_autoptr(BaliseTags) tags = NULL;

      g_assert_cmpuint (g_strv_length (row), ==, 9);
      g_assert_cmpstr (row[0], ==, "node");
      feature = find_feature (features, g_ascii_strtoll (row[1], NULL, 10));
      g_assert_nonnull (feature);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (row[2], NULL), feature->lat, 1e-7);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (row[3], NULL), feature->lon, 1e-7);
      g_assert_cmpstr (row[4], ==, feature->category);
      g_assert_cmpstr (row[5], ==, balise_feature_status_to_string (feature->status));
      g_assert_cmpstr (row[6], ==, feature->name ? feature->name : "");
      g_assert_cmpstr (row[7], ==, feature->ref ? feature->ref : "");
      tags = balise_tags_new_from_json (row[8], &error);
      g_assert_no_error (error);
      g_assert_true (balise_tags_equal (tags, feature->tags));
    }
}

static xmlNode *
find_node (xmlNode    *osm,
           const char *id)
{
  for (xmlNode *node = osm->children; node != NULL; node = node->next)
    {
      g_autofree char *node_id = NULL;

      if (node->type != XML_ELEMENT_NODE)
        continue;
      node_id = (char *) xmlGetProp (node, (const xmlChar *) "id");
      if (g_strcmp0 (node_id, id) == 0)
        return node;
    }
  return NULL;
}

static char *
prop (xmlNode    *node,
      const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

static char *
tag_value (xmlNode    *node,
           const char *key)
{
  for (xmlNode *tag = node->children; tag != NULL; tag = tag->next)
    {
      g_autofree char *k = NULL;

      if (tag->type != XML_ELEMENT_NODE)
        continue;
      k = prop (tag, "k");
      if (g_strcmp0 (k, key) == 0)
        return prop (tag, "v");
    }
  return NULL;
}

static void
test_josm (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) with_box = NULL;
  BaliseBox box = { 7.40, 43.70, 7.45, 43.76 };
  xmlDoc *doc;
  xmlNode *osm, *node;
  guint count = 0;
  char *value;

  bytes = balise_export (fixture->store, BALISE_EXPORT_OSM, NULL, &error);
  g_assert_no_error (error);
  doc = xmlReadMemory (g_bytes_get_data (bytes, NULL), (int) g_bytes_get_size (bytes),
                       "edits.osm", NULL, XML_PARSE_NONET);
  g_assert_nonnull (doc);
  osm = xmlDocGetRootElement (doc);
  g_assert_cmpstr ((const char *) osm->name, ==, "osm");
  value = prop (osm, "generator");
  g_assert_cmpstr (value, ==, "Balise");
  g_free (value);
  value = prop (osm, "version");
  g_assert_cmpstr (value, ==, "0.6");
  g_free (value);

  for (node = osm->children; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE)
      count++;
  g_assert_cmpuint (count, ==, 3);

  /* The create: a negative id, action="modify", its tags escaped and back. */
  node = find_node (osm, "-1");
  g_assert_nonnull (node);
  value = prop (node, "action");
  g_assert_cmpstr (value, ==, "modify");
  g_free (value);
  value = tag_value (node, "name");
  g_assert_cmpstr (value, ==, "Nouvel arrêt & <abri>");
  g_free (value);

  node = find_node (osm, "6");
  g_assert_nonnull (node);
  value = prop (node, "action");
  g_assert_cmpstr (value, ==, "modify");
  g_free (value);
  value = prop (node, "version");
  g_assert_cmpstr (value, ==, "1");
  g_free (value);
  value = tag_value (node, "shelter");
  g_assert_cmpstr (value, ==, "yes");
  g_free (value);

  node = find_node (osm, "5");
  g_assert_nonnull (node);
  value = prop (node, "action");
  g_assert_cmpstr (value, ==, "delete");
  g_free (value);

  g_assert_null (find_node (osm, "1"));
  xmlFreeDoc (doc);

  /* With a box, the unchanged features come too, with no action. */
  with_box = balise_export (fixture->store, BALISE_EXPORT_OSM, &box, &error);
  g_assert_no_error (error);
  doc = xmlReadMemory (g_bytes_get_data (with_box, NULL), (int) g_bytes_get_size (with_box),
                       "all.osm", NULL, XML_PARSE_NONET);
  g_assert_nonnull (doc);
  osm = xmlDocGetRootElement (doc);
  node = find_node (osm, "1");
  g_assert_nonnull (node);
  value = prop (node, "action");
  g_assert_null (value);
  value = tag_value (node, "name");
  g_assert_cmpstr (value, ==, "Casino, \"Monte\"\nCarlo");
  g_free (value);
  g_assert_null (find_node (osm, "3"));
  xmlFreeDoc (doc);
}

/* A shelter (a way that is a feature) whose corner is a bus stop, a corner
 * tagged with something that is no feature, a footway (no feature) and
 * toilets. Versions differ from node to node. */
static const char shelter_osm[] =
  "<?xml version='1.0' encoding='UTF-8'?>\n"
  "<osm version='0.6' generator='balise tests'>\n"
  " <node id='101' version='3' lat='43.7301000' lon='7.4201000'>"
  "<tag k='highway' v='bus_stop'/><tag k='name' v='Abri Sud'/></node>\n"
  " <node id='102' version='1' lat='43.7301000' lon='7.4203000'/>\n"
  " <node id='103' version='2' lat='43.7303000' lon='7.4203000'/>\n"
  " <node id='104' version='6' lat='43.7303000' lon='7.4201001'><tag k='fixme' v='corner?'/></node>\n"
  " <node id='105' version='1' lat='43.7310000' lon='7.4210000'/>\n"
  " <node id='106' version='4' lat='43.7320000' lon='7.4220000'><tag k='amenity' v='toilets'/></node>\n"
  " <way id='201' version='5'><nd ref='101'/><nd ref='102'/><nd ref='103'/><nd ref='104'/>"
  "<nd ref='101'/><tag k='amenity' v='shelter'/><tag k='name' v='Abri &amp; banc'/></way>\n"
  " <way id='202' version='2'><nd ref='103'/><nd ref='105'/><tag k='highway' v='footway'/></way>\n"
  "</osm>\n";

static xmlNode *
find_element (xmlNode    *osm,
              const char *name,
              gint64      id)
{
  g_autofree char *wanted = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  for (xmlNode *node = osm->children; node != NULL; node = node->next)
    {
      g_autofree char *node_id = NULL;

      if (node->type != XML_ELEMENT_NODE || g_strcmp0 ((const char *) node->name, name) != 0)
        continue;
      node_id = prop (node, "id");
      if (g_strcmp0 (node_id, wanted) == 0)
        return node;
    }
  return NULL;
}

static guint
count_elements (xmlNode    *osm,
                const char *name,
                gint64      id)
{
  g_autofree char *wanted = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  guint count = 0;

  for (xmlNode *node = osm->children; node != NULL; node = node->next)
    {
      g_autofree char *node_id = NULL;

      if (node->type != XML_ELEMENT_NODE || g_strcmp0 ((const char *) node->name, name) != 0)
        continue;
      node_id = prop (node, "id");
      count += g_strcmp0 (node_id, wanted) == 0;
    }
  return count;
}

static BaliseStore *
import_osm_text (const char *name,
                 const char *text,
                 gsize       len)
{
  g_autofree char *db_name = g_strconcat (name, ".sqlite", NULL);
  g_autofree char *db_path = balise_test_tmp_path (db_name);
  g_autofree char *osm_name = g_strconcat (name, ".osm", NULL);
  g_autofree char *osm_path = balise_test_tmp_path (osm_name);
  g_autoptr(GError) error = NULL;
  BaliseStore *store;

  g_assert_true (g_file_set_contents (osm_path, text, len, &error));
  g_assert_no_error (error);
  store = balise_store_open (db_path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, osm_path, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return store;
}

static void
assert_same_way_nodes (BaliseStore *a,
                       BaliseStore *b,
                       gint64       way_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) nodes_a = balise_store_get_way_nodes (a, way_id, &error);
  g_autoptr(GArray) nodes_b = NULL;

  g_assert_no_error (error);
  nodes_b = balise_store_get_way_nodes (b, way_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes_a->len, ==, nodes_b->len);
  for (guint i = 0; i < nodes_a->len; i++)
    {
      BaliseWayNode *na = &g_array_index (nodes_a, BaliseWayNode, i);
      BaliseWayNode *nb = &g_array_index (nodes_b, BaliseWayNode, i);

      g_assert_cmpint (na->id, ==, nb->id);
      g_assert_cmpint (na->version, ==, nb->version);
      g_assert_cmpfloat (na->lat, ==, nb->lat);
      g_assert_cmpfloat (na->lon, ==, nb->lon);
    }
}

/* A way goes to the .osm file with its nodes, which JOSM needs to draw it:
 * read back by libxml2 and by Balise's import, the file has the same way,
 * nodes, versions, positions and tags, and the action markers of the
 * pending edits. */
static void
test_josm_ways (void)
{
  g_autoptr(BaliseStore) store = import_osm_text ("shelter", shelter_osm, strlen (shelter_osm));
  g_autoptr(BaliseStore) back = NULL;
  g_autoptr(BaliseEdit) modify = NULL;
  g_autoptr(BaliseEdit) delete = NULL;
  g_autoptr(BaliseEdit) create = NULL;
  g_autoptr(BaliseTags) tags = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  BaliseBox box = { 7.41, 43.72, 7.43, 43.74 };
  gint64 expected_nodes[] = { 101, 102, 103, 104, 106 };
  gint64 refs[] = { 101, 102, 103, 104, 101 };
  gboolean seen_way = FALSE;
  xmlDoc *doc;
  xmlNode *osm, *node, *way;
  guint nd = 0;
  char *value;

  modify = test_add_edit (store, BALISE_EDIT_MODIFY, 101, 43.7301, 7.4201,
                          "highway", "bus_stop", "name", "Abri Sud", "shelter", "yes", NULL);
  delete = test_add_edit (store, BALISE_EDIT_DELETE, 106, 43.732, 7.422, NULL);
  create = test_add_edit (store, BALISE_EDIT_CREATE, 0, 43.7305, 7.4205,
                          "amenity", "bench", NULL);

  bytes = balise_export (store, BALISE_EXPORT_OSM, &box, &error);
  g_assert_no_error (error);
  doc = xmlReadMemory (g_bytes_get_data (bytes, NULL), (int) g_bytes_get_size (bytes),
                       "shelter.osm", NULL, XML_PARSE_NONET);
  g_assert_nonnull (doc);
  osm = xmlDocGetRootElement (doc);

  /* Every node once, all before the ways; the footway is no feature. */
  for (node = osm->children; node != NULL; node = node->next)
    {
      if (node->type != XML_ELEMENT_NODE)
        continue;
      if (g_str_equal ((const char *) node->name, "way"))
        seen_way = TRUE;
      else
        g_assert_false (seen_way);
    }
  for (guint i = 0; i < G_N_ELEMENTS (expected_nodes); i++)
    {
      g_autofree char *version = NULL;

      node = find_element (osm, "node", expected_nodes[i]);
      g_assert_nonnull (node);
      g_assert_cmpuint (count_elements (osm, "node", expected_nodes[i]), ==, 1);
      version = prop (node, "version");
      g_assert_nonnull (version);
    }
  g_assert_null (find_element (osm, "node", 105));
  g_assert_null (find_element (osm, "way", 202));

  /* The pending edits are marked; the base elements are not. */
  node = find_element (osm, "node", 101);
  value = prop (node, "action");
  g_assert_cmpstr (value, ==, "modify");
  g_free (value);
  value = tag_value (node, "shelter");
  g_assert_cmpstr (value, ==, "yes");
  g_free (value);
  value = prop (find_element (osm, "node", 106), "action");
  g_assert_cmpstr (value, ==, "delete");
  g_free (value);
  value = prop (find_element (osm, "node", -1), "action");
  g_assert_cmpstr (value, ==, "modify");
  g_free (value);
  node = find_element (osm, "node", 103);
  g_assert_null (prop (node, "action"));
  value = prop (node, "version");
  g_assert_cmpstr (value, ==, "2");
  g_free (value);
  value = tag_value (find_element (osm, "node", 104), "fixme");
  g_assert_cmpstr (value, ==, "corner?");
  g_free (value);

  /* The way: its version, its tags and its nodes in order, no action. */
  way = find_element (osm, "way", 201);
  g_assert_nonnull (way);
  g_assert_null (prop (way, "action"));
  value = prop (way, "version");
  g_assert_cmpstr (value, ==, "5");
  g_free (value);
  value = tag_value (way, "name");
  g_assert_cmpstr (value, ==, "Abri & banc");
  g_free (value);
  for (xmlNode *child = way->children; child != NULL; child = child->next)
    {
      g_autofree char *ref = NULL;

      if (child->type != XML_ELEMENT_NODE || !g_str_equal ((const char *) child->name, "nd"))
        continue;
      g_assert_cmpuint (nd, <, G_N_ELEMENTS (refs));
      ref = prop (child, "ref");
      g_assert_cmpint (g_ascii_strtoll (ref, NULL, 10), ==, refs[nd]);
      nd++;
    }
  g_assert_cmpuint (nd, ==, G_N_ELEMENTS (refs));
  xmlFreeDoc (doc);

  /* Imported back: the same way, node for node, and the effective tags. */
  back = import_osm_text ("shelter-back", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  assert_same_way_nodes (store, back, 201);
  tags = balise_store_get_node_tags (back, 101, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (balise_tags_lookup (tags, "shelter"), ==, "yes");
  g_clear_pointer (&tags, balise_tags_unref);
  tags = balise_store_get_node_tags (back, 104, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (balise_tags_lookup (tags, "fixme"), ==, "corner?");
  g_clear_pointer (&tags, balise_tags_unref);
  /* Untagged nodes are no rows: their tags are empty. */
  tags = balise_store_get_node_tags (back, 102, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (balise_tags_get_size (tags), ==, 0);
}

/* A way whose node versions the store does not know (written before
 * schema version 5) is left out rather than written without them. */
static void
test_josm_ways_unknown_versions (void)
{
  g_autoptr(BaliseStore) store = import_osm_text ("shelter-old", shelter_osm, strlen (shelter_osm));
  g_autoptr(GArray) nodes = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  BaliseBox box = { 7.41, 43.72, 7.43, 43.74 };
  const char *text;

  /* The same node list as migration 5 makes of a JSON list. */
  test_store_exec (store, "UPDATE element SET way_nodes = x'CA01000200020002000500' "
                          "WHERE osm_type = 'way' AND osm_id = 201");
  nodes = balise_store_get_way_nodes (store, 201, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 5);
  g_assert_cmpint (g_array_index (nodes, BaliseWayNode, 4).id, ==, 101);
  g_assert_cmpint (g_array_index (nodes, BaliseWayNode, 4).version, ==, 0);

  bytes = balise_export (store, BALISE_EXPORT_OSM, &box, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (bytes, NULL);
  g_assert_null (g_strstr_len (text, g_bytes_get_size (bytes), "<way"));
  g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (bytes), "<node id=\"101\""));
}

static void
test_osc (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  BaliseExportFormat format;

  bytes = balise_export (fixture->store, BALISE_EXPORT_OSC, NULL, &error);
  g_assert_no_error (error);
  edits = balise_osm_xml_parse_change (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 3);

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);

      switch (edit->kind)
        {
        case BALISE_EDIT_CREATE:
          g_assert_cmpint (edit->osm_id, ==, -1);
          g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "name"), ==, "Nouvel arrêt & <abri>");
          break;
        case BALISE_EDIT_MODIFY:
          g_assert_cmpint (edit->osm_id, ==, 6);
          g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "shelter"), ==, "yes");
          break;
        case BALISE_EDIT_DELETE:
          g_assert_cmpint (edit->osm_id, ==, 5);
          break;
        case BALISE_EDIT_NOTE:
        default:
          g_assert_not_reached ();
        }
    }

  g_assert_true (balise_export_format_from_string ("GeoJSON", &format));
  g_assert_cmpint (format, ==, BALISE_EXPORT_GEOJSON);
  g_assert_false (balise_export_format_from_string ("shp", &format));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/export/geojson", Fixture, NULL, fixture_set_up, test_geojson, fixture_tear_down);
  g_test_add ("/export/csv", Fixture, NULL, fixture_set_up, test_csv, fixture_tear_down);
  g_test_add ("/export/josm", Fixture, NULL, fixture_set_up, test_josm, fixture_tear_down);
  g_test_add ("/export/osc", Fixture, NULL, fixture_set_up, test_osc, fixture_tear_down);
  g_test_add_func ("/export/josm-ways", test_josm_ways);
  g_test_add_func ("/export/josm-ways-unknown-versions", test_josm_ways_unknown_versions);

  return g_test_run ();
}
