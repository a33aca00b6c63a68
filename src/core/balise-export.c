/* balise-export.c: GeoJSON, CSV, osmChange and JOSM files
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-export"

#include "config.h"

#include <json-glib/json-glib.h>

#include "balise-export.h"
#include "balise-osm-xml.h"
#include "balise-store-query.h"
#include "balise-store-review.h"
#include "balise-store-ways.h"

static const BaliseBox whole_world = { -180.0, -90.0, 180.0, 90.0 };

gboolean
balise_export_format_from_string (const char         *str,
                                  BaliseExportFormat *format)
{
  static const char * const names[] = { "geojson", "csv", "osc", "osm" };

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (str, names[i]) == 0)
        {
          *format = (BaliseExportFormat) i;
          return TRUE;
        }
    }
  return FALSE;
}

static GPtrArray *
query_box (BaliseStore      *store,
           const BaliseBox  *box,
           gboolean          include_deleted,
           GError          **error)
{
  if (box == NULL)
    box = &whole_world;
  return balise_store_query_features (store, box->west, box->south, box->east, box->north,
                                      0, include_deleted, error);
}

static void
append_double (GString *string,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (string, g_ascii_formatd (buffer, sizeof buffer, "%.7f", value));
}

/*
 * GeoJSON
 */

static GBytes *
export_geojson (BaliseStore      *store,
                const BaliseBox  *box,
                GError          **error)
{
  g_autoptr(GPtrArray) features = query_box (store, box, FALSE, error);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;
  char *data;

  if (features == NULL)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "FeatureCollection");
  json_builder_set_member_name (builder, "features");
  json_builder_begin_array (builder);

  for (guint i = 0; i < features->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (features, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "Feature");
      json_builder_set_member_name (builder, "id");
      {
        g_autofree char *id = g_strdup_printf ("%s/%" G_GINT64_FORMAT,
                                               balise_osm_type_to_string (feature->osm_type),
                                               feature->osm_id);
        json_builder_add_string_value (builder, id);
      }
      json_builder_set_member_name (builder, "geometry");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "Point");
      json_builder_set_member_name (builder, "coordinates");
      json_builder_begin_array (builder);
      json_builder_add_double_value (builder, feature->lon);
      json_builder_add_double_value (builder, feature->lat);
      json_builder_end_array (builder);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "properties");
      json_builder_begin_object (builder);
      for (guint j = 0; j < balise_tags_get_size (feature->tags); j++)
        {
          json_builder_set_member_name (builder, balise_tags_get_key (feature->tags, j));
          json_builder_add_string_value (builder, balise_tags_get_value (feature->tags, j));
        }
      json_builder_set_member_name (builder, "@category");
      json_builder_add_string_value (builder, feature->category);
      json_builder_set_member_name (builder, "@status");
      json_builder_add_string_value (builder, balise_feature_status_to_string (feature->status));
      json_builder_set_member_name (builder, "@osm_type");
      json_builder_add_string_value (builder, balise_osm_type_to_string (feature->osm_type));
      json_builder_set_member_name (builder, "@osm_id");
      json_builder_add_int_value (builder, feature->osm_id);
      json_builder_end_object (builder);

      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

/*
 * CSV
 */

static void
append_csv_field (GString    *string,
                  const char *value)
{
  if (value == NULL)
    return;

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (string, value);
      return;
    }

  g_string_append_c (string, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (string, '"');
      g_string_append_c (string, *p);
    }
  g_string_append_c (string, '"');
}

static GBytes *
export_csv (BaliseStore      *store,
            const BaliseBox  *box,
            GError          **error)
{
  g_autoptr(GPtrArray) features = query_box (store, box, FALSE, error);
  GString *csv;

  if (features == NULL)
    return NULL;

  csv = g_string_new (BALISE_EXPORT_CSV_HEADER "\r\n");
  for (guint i = 0; i < features->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (features, i);
      g_autofree char *tags = balise_tags_to_json (feature->tags);

      g_string_append_printf (csv, "%s,%" G_GINT64_FORMAT ",",
                              balise_osm_type_to_string (feature->osm_type), feature->osm_id);
      append_double (csv, feature->lat);
      g_string_append_c (csv, ',');
      append_double (csv, feature->lon);
      g_string_append_c (csv, ',');
      append_csv_field (csv, feature->category);
      g_string_append_c (csv, ',');
      append_csv_field (csv, balise_feature_status_to_string (feature->status));
      g_string_append_c (csv, ',');
      append_csv_field (csv, feature->name);
      g_string_append_c (csv, ',');
      append_csv_field (csv, feature->ref);
      g_string_append_c (csv, ',');
      append_csv_field (csv, tags);
      g_string_append (csv, "\r\n");
    }

  return g_string_free_to_bytes (csv);
}

/*
 * osmChange
 */

static GBytes *
export_osc (BaliseStore  *store,
            GError      **error)
{
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GPtrArray) changes = NULL;

  /* One change per element: an edit that a later one supersedes is not sent. */
  edits = balise_store_list_unsent_edits (store, error);
  if (edits == NULL)
    return NULL;

  changes = g_ptr_array_new ();
  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);

      if (edit->kind != BALISE_EDIT_NOTE)
        g_ptr_array_add (changes, edit);
    }

  return balise_osm_xml_write_change (changes, 0, "Balise " PACKAGE_VERSION);
}

/*
 * JOSM .osm
 */

/* XML attribute text: line breaks and tabs as character references, so
 * that a parser does not normalise them into spaces. */
static void
append_xml_attribute (GString    *string,
                      const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (string, "&amp;"); break;
        case '<': g_string_append (string, "&lt;"); break;
        case '>': g_string_append (string, "&gt;"); break;
        case '"': g_string_append (string, "&quot;"); break;
        case '\n': g_string_append (string, "&#10;"); break;
        case '\r': g_string_append (string, "&#13;"); break;
        case '\t': g_string_append (string, "&#9;"); break;
        default: g_string_append_c (string, *p); break;
        }
    }
}

static void
append_josm_tags (GString    *osm,
                  BaliseTags *tags)
{
  for (guint j = 0; j < balise_tags_get_size (tags); j++)
    {
      g_string_append (osm, "    <tag k=\"");
      append_xml_attribute (osm, balise_tags_get_key (tags, j));
      g_string_append (osm, "\" v=\"");
      append_xml_attribute (osm, balise_tags_get_value (tags, j));
      g_string_append (osm, "\"/>\n");
    }
}

static void
append_josm_node (GString    *osm,
                  gint64      id,
                  gint64      version,
                  const char *action,
                  double      lat,
                  double      lon,
                  BaliseTags *tags)
{
  g_string_append_printf (osm, "  <node id=\"%" G_GINT64_FORMAT "\"", id);
  if (id > 0)
    g_string_append_printf (osm, " version=\"%" G_GINT64_FORMAT "\"", version);
  if (action != NULL)
    g_string_append_printf (osm, " action=\"%s\"", action);
  g_string_append (osm, " visible=\"true\" lat=\"");
  append_double (osm, lat);
  g_string_append (osm, "\" lon=\"");
  append_double (osm, lon);
  if (balise_tags_get_size (tags) == 0)
    {
      g_string_append (osm, "\"/>\n");
      return;
    }
  g_string_append (osm, "\">\n");
  append_josm_tags (osm, tags);
  g_string_append (osm, "  </node>\n");
}

static const char *
josm_action (BaliseFeatureStatus status)
{
  if (status == BALISE_FEATURE_DELETED)
    return "delete";
  if (status != BALISE_FEATURE_CLEAN)
    return "modify";
  return NULL;
}

/* The nodes of a way, or NULL when the store cannot give them all with
 * their versions (JOSM refuses a node of the server without its version):
 * the way is then left out. */
static GArray *
josm_way_nodes (BaliseStore    *store,
                BaliseFeature  *way,
                GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) nodes = balise_store_get_way_nodes (store, way->osm_id, &local_error);

  if (nodes == NULL)
    {
      if (!g_error_matches (local_error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND) &&
          !g_error_matches (local_error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  for (guint i = 0; i < nodes->len; i++)
    if (g_array_index (nodes, BaliseWayNode, i).version <= 0)
      return NULL;
  return g_steal_pointer (&nodes);
}

/* A JOSM file: nodes first, then ways with their nd refs. A way's nodes
 * that are not features of the file come with their position and version
 * from the way, and the tags the store has for them. */
static GBytes *
export_josm (BaliseStore      *store,
             const BaliseBox  *box,
             GError          **error)
{
  g_autoptr(GPtrArray) features = query_box (store, box, TRUE, error);
  g_autoptr(GPtrArray) ways = NULL;
  g_autoptr(GPtrArray) way_nodes = NULL;
  g_autoptr(GHashTable) written = NULL;
  g_autoptr(GString) osm = NULL;
  guint skipped = 0;

  if (features == NULL)
    return NULL;

  ways = g_ptr_array_new ();
  way_nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  written = g_hash_table_new (g_int64_hash, g_int64_equal);

  /* upload="never": Balise uploads these edits itself, exactly once; JOSM
   * is for looking at them. */
  osm = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<osm version=\"0.6\" generator=\"Balise\" upload=\"never\">\n");

  for (guint i = 0; i < features->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (features, i);
      g_autoptr(GError) local_error = NULL;
      GArray *nodes;

      if (feature->status == BALISE_FEATURE_CLEAN && box == NULL)
        continue;

      if (feature->osm_type == BALISE_OSM_NODE)
        {
          append_josm_node (osm, feature->osm_id, feature->version, josm_action (feature->status),
                            feature->lat, feature->lon, feature->tags);
          g_hash_table_add (written, &feature->osm_id);
          continue;
        }
      if (feature->osm_type != BALISE_OSM_WAY)
        continue;

      nodes = josm_way_nodes (store, feature, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (nodes == NULL)
        {
          skipped++;
          continue;
        }
      g_ptr_array_add (ways, feature);
      g_ptr_array_add (way_nodes, nodes);
    }

  for (guint i = 0; i < ways->len; i++)
    {
      GArray *nodes = g_ptr_array_index (way_nodes, i);

      for (guint j = 0; j < nodes->len; j++)
        {
          BaliseWayNode *node = &g_array_index (nodes, BaliseWayNode, j);
          g_autoptr(BaliseTags) tags = NULL;

          if (g_hash_table_contains (written, &node->id))
            continue;
          tags = balise_store_get_node_tags (store, node->id, error);
          if (tags == NULL)
            return NULL;
          append_josm_node (osm, node->id, node->version, NULL, node->lat, node->lon, tags);
          g_hash_table_add (written, &node->id);
        }
    }

  for (guint i = 0; i < ways->len; i++)
    {
      BaliseFeature *way = g_ptr_array_index (ways, i);
      GArray *nodes = g_ptr_array_index (way_nodes, i);
      const char *action = josm_action (way->status);

      g_string_append_printf (osm, "  <way id=\"%" G_GINT64_FORMAT "\" version=\"%" G_GINT64_FORMAT "\"",
                              way->osm_id, way->version);
      if (action != NULL)
        g_string_append_printf (osm, " action=\"%s\"", action);
      g_string_append (osm, " visible=\"true\">\n");
      for (guint j = 0; j < nodes->len; j++)
        g_string_append_printf (osm, "    <nd ref=\"%" G_GINT64_FORMAT "\"/>\n",
                                g_array_index (nodes, BaliseWayNode, j).id);
      append_josm_tags (osm, way->tags);
      g_string_append (osm, "  </way>\n");
    }

  g_string_append (osm, "</osm>\n");

  if (skipped > 0)
    g_debug ("Left %u ways out of the .osm file: the store has not all their nodes' versions",
             skipped);

  return g_string_free_to_bytes (g_steal_pointer (&osm));
}

/**
 * balise_export:
 * @box: (nullable): the features in this box only
 *
 * Returns: (transfer full): the file's contents
 */
GBytes *
balise_export (BaliseStore         *store,
               BaliseExportFormat   format,
               const BaliseBox     *box,
               GError             **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (format)
    {
    case BALISE_EXPORT_GEOJSON:
      return export_geojson (store, box, error);
    case BALISE_EXPORT_CSV:
      return export_csv (store, box, error);
    case BALISE_EXPORT_OSC:
      return export_osc (store, error);
    case BALISE_EXPORT_OSM:
      return export_josm (store, box, error);
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
balise_export_to_file (BaliseStore         *store,
                       BaliseExportFormat   format,
                       const BaliseBox     *box,
                       const char          *path,
                       GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  bytes = balise_export (store, format, box, error);
  if (bytes == NULL)
    return FALSE;

  file = g_file_new_for_path (path);
  return g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, error);
}
