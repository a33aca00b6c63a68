/* balise-download.c: map?bbox into the base copy, tile by tile
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-download"

#include "config.h"

#include <math.h>
#include <libsoup/soup.h>
#include <libxml/xmlreader.h>

#include "balise-category.h"
#include "balise-download.h"
#include "balise-sync-client.h"
#include "balise-osm-xml.h"
#include "balise-store-private.h"
#include "balise-way-nodes.h"

#define DEFAULT_AREA_MAXIMUM 0.25

typedef struct
{
  BaliseStore            *store;
  char                   *api_url;
  double                  west, south, east, north;
  SoupSession            *session;
  GMainContext           *context;
  BaliseDownloadProgress  progress;
  gpointer                user_data;
  guint                   total;
  BaliseDownloadReport    report;
} Download;

static void
download_free (Download *download)
{
  g_clear_object (&download->store);
  g_clear_object (&download->session);
  g_clear_pointer (&download->context, g_main_context_unref);
  g_free (download->api_url);
  g_free (download);
}

/*
 * The answer: nodes and ways of one tile
 */

typedef struct
{
  BaliseOsmType  type;
  gint64         id;
  gint64         version;
  gint64         changeset;
  char          *timestamp;
  char          *user;
  double         lat;
  double         lon;
  BaliseTags    *tags;
  GArray        *refs;     /* gint64, ways only */
} Element;

static void
element_free (Element *element)
{
  g_free (element->timestamp);
  g_free (element->user);
  g_clear_pointer (&element->tags, balise_tags_unref);
  g_clear_pointer (&element->refs, g_array_unref);
  g_free (element);
}

typedef struct
{
  GPtrArray  *elements;    /* tagged nodes and ways */
  GHashTable *positions;   /* node id → double[3] lat, lon, version, for the ways */
} Tile;

static void
tile_free (Tile *tile)
{
  g_clear_pointer (&tile->elements, g_ptr_array_unref);
  g_clear_pointer (&tile->positions, g_hash_table_unref);
  g_free (tile);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tile, tile_free)

static char *
reader_attribute (xmlTextReaderPtr  reader,
                  const char       *name)
{
  xmlChar *value = xmlTextReaderGetAttribute (reader, (const xmlChar *) name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

static gint64
reader_int (xmlTextReaderPtr  reader,
            const char       *name)
{
  g_autofree char *value = reader_attribute (reader, name);

  return value ? g_ascii_strtoll (value, NULL, 10) : 0;
}

static gboolean
reader_double (xmlTextReaderPtr  reader,
               const char       *name,
               double           *out)
{
  g_autofree char *value = reader_attribute (reader, name);
  char *end = NULL;

  if (value == NULL)
    return FALSE;
  *out = g_ascii_strtod (value, &end);
  return end != value && *end == '\0' && isfinite (*out);
}

static void
finish_element (Tile    *tile,
                Element *element)
{
  if (element->type == BALISE_OSM_NODE)
    {
      double *position = g_new (double, 3);

      position[0] = element->lat;
      position[1] = element->lon;
      position[2] = element->version;
      g_hash_table_insert (tile->positions, g_memdup2 (&element->id, sizeof (gint64)), position);
    }

  if (balise_tags_get_size (element->tags) > 0 &&
      (element->type == BALISE_OSM_NODE || element->type == BALISE_OSM_WAY))
    g_ptr_array_add (tile->elements, element);
  else
    element_free (element);
}

static Tile *
parse_map (GBytes  *bytes,
           GError **error)
{
  g_autoptr(Tile) tile = g_new0 (Tile, 1);
  xmlTextReaderPtr reader;
  Element *current = NULL;
  gboolean seen_root = FALSE;
  int rc;

  tile->elements = g_ptr_array_new_with_free_func ((GDestroyNotify) element_free);
  tile->positions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  if (g_bytes_get_size (bytes) > BALISE_OSM_XML_MAX_BYTES)
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           "The server's answer is too large");
      return NULL;
    }

  reader = xmlReaderForMemory (g_bytes_get_data (bytes, NULL), (int) g_bytes_get_size (bytes),
                               "map.osm", NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
  if (reader == NULL)
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           "Could not read the server's answer");
      return NULL;
    }

  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      int type = xmlTextReaderNodeType (reader);
      const char *name = (const char *) xmlTextReaderConstLocalName (reader);

      if (type == XML_READER_TYPE_ELEMENT)
        {
          gboolean empty = xmlTextReaderIsEmptyElement (reader);

          if (!seen_root)
            {
              seen_root = TRUE;
              if (g_strcmp0 (name, "osm") != 0)
                break;
              continue;
            }

          if (g_strcmp0 (name, "node") == 0 || g_strcmp0 (name, "way") == 0 ||
              g_strcmp0 (name, "relation") == 0)
            {
              if (current != NULL)
                {
                  rc = -1;
                  break;
                }
              current = g_new0 (Element, 1);
              balise_osm_type_from_string (name, &current->type);
              current->id = reader_int (reader, "id");
              current->version = reader_int (reader, "version");
              current->changeset = reader_int (reader, "changeset");
              current->timestamp = reader_attribute (reader, "timestamp");
              current->user = reader_attribute (reader, "user");
              current->tags = balise_tags_new ();
              if (current->type == BALISE_OSM_NODE &&
                  (!reader_double (reader, "lat", &current->lat) ||
                   !reader_double (reader, "lon", &current->lon) ||
                   fabs (current->lat) > 90 || fabs (current->lon) > 180))
                {
                  rc = -1;
                  break;
                }
              if (current->type == BALISE_OSM_WAY)
                current->refs = g_array_new (FALSE, FALSE, sizeof (gint64));
              if (empty)
                finish_element (tile, g_steal_pointer (&current));
            }
          else if (g_strcmp0 (name, "tag") == 0 && current != NULL)
            {
              g_autofree char *k = reader_attribute (reader, "k");
              g_autofree char *v = reader_attribute (reader, "v");

              if (k != NULL && v != NULL)
                balise_tags_set (current->tags, k, v);
            }
          else if (g_strcmp0 (name, "nd") == 0 && current != NULL && current->refs != NULL)
            {
              gint64 ref = reader_int (reader, "ref");

              g_array_append_val (current->refs, ref);
            }
        }
      else if (type == XML_READER_TYPE_END_ELEMENT && current != NULL &&
               (g_strcmp0 (name, "node") == 0 || g_strcmp0 (name, "way") == 0 ||
                g_strcmp0 (name, "relation") == 0))
        {
          finish_element (tile, g_steal_pointer (&current));
        }
    }

  g_clear_pointer (&current, element_free);
  xmlFreeTextReader (reader);

  if (rc != 0 || !seen_root)
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           "The server's answer is not an OSM document");
      return NULL;
    }

  return g_steal_pointer (&tile);
}

/*
 * Writing a tile
 */

/* The shape of a way from the node positions of the answer, as WKT, and
 * its representative point: the mean of its nodes. */
static char *
way_shape (Tile    *tile,
           Element *way,
           double  *lat,
           double  *lon)
{
  g_autoptr(GString) wkt = g_string_new (NULL);
  gboolean closed;
  guint n = 0;
  double sum_lat = 0, sum_lon = 0;

  if (way->refs->len < 2)
    return NULL;

  closed = way->refs->len >= 4 &&
           g_array_index (way->refs, gint64, 0) ==
           g_array_index (way->refs, gint64, way->refs->len - 1);
  g_string_append (wkt, closed ? "POLYGON((" : "LINESTRING(");

  for (guint i = 0; i < way->refs->len; i++)
    {
      gint64 ref = g_array_index (way->refs, gint64, i);
      const double *position = g_hash_table_lookup (tile->positions, &ref);
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      if (position == NULL)
        return NULL;
      if (i > 0)
        g_string_append_c (wkt, ',');
      g_string_append (wkt, g_ascii_formatd (buffer, sizeof buffer, "%.7f", position[1]));
      g_string_append_c (wkt, ' ');
      g_string_append (wkt, g_ascii_formatd (buffer, sizeof buffer, "%.7f", position[0]));
      if (!closed || i + 1 < way->refs->len)
        {
          sum_lat += position[0];
          sum_lon += position[1];
          n++;
        }
    }
  g_string_append (wkt, closed ? "))" : ")");

  *lat = sum_lat / n;
  *lon = sum_lon / n;
  return g_string_free (g_steal_pointer (&wkt), FALSE);
}

/* The way's node list with the nodes' versions (balise-way-nodes.h); the
 * caller has checked that the answer holds every node. */
static GBytes *
way_nodes_blob (Tile    *tile,
                Element *way)
{
  g_autoptr(GByteArray) blob = g_byte_array_new ();
  gint64 previous = 0;

  for (guint i = 0; i < way->refs->len; i++)
    {
      gint64 ref = g_array_index (way->refs, gint64, i);
      const double *position = g_hash_table_lookup (tile->positions, &ref);

      _balise_way_nodes_append (blob, &previous, ref, (gint64) position[2]);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&blob));
}

typedef struct
{
  Tile                 *tile;
  BaliseDownloadReport *report;
  double                west, south, east, north;
} TileWrite;

/* Nodes of the store inside the tile that the answer did not hold. The
 * R*Tree's rounded boxes make the containment test conservative: a node
 * on the tile's edge is never taken for gone. */
static gboolean
remove_gone_nodes (sqlite3    *db,
                   TileWrite  *write,
                   GError    **error)
{
  g_autoptr(sqlite3_stmt) seen = NULL;
  g_autoptr(sqlite3_stmt) conflict = NULL;
  g_autoptr(sqlite3_stmt) gone = NULL;
  GHashTableIter iter;
  gpointer key;

  if (!_balise_store_exec (db,
                           "CREATE TEMP TABLE IF NOT EXISTS download_seen (id INTEGER PRIMARY KEY);"
                           "DELETE FROM temp.download_seen;",
                           error) ||
      !_balise_store_prepare (db, "INSERT OR IGNORE INTO temp.download_seen VALUES (?)", &seen, error))
    return FALSE;

  g_hash_table_iter_init (&iter, write->tile->positions);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      sqlite3_reset (seen);
      sqlite3_bind_int64 (seen, 1, *(gint64 *) key);
      if (sqlite3_step (seen) != SQLITE_DONE)
        {
          _balise_store_set_error (error, db, "Could not compare the download");
          return FALSE;
        }
    }

#define GONE_NODES \
  "SELECT osm_id FROM element WHERE osm_type = 'node' AND osm_id > 0 " \
  "AND id IN (SELECT pkid FROM idx_element_geom " \
  "  WHERE xmin >= ?1 AND xmax <= ?3 AND ymin >= ?2 AND ymax <= ?4) " \
  "AND osm_id NOT IN (SELECT id FROM temp.download_seen)"

  if (!_balise_store_prepare (db,
                              "UPDATE edit SET status = 'conflict', "
                              "error = 'The element was deleted on the server' "
                              "WHERE osm_type = 'node' AND kind IN ('modify', 'delete') "
                              "AND status IN ('pending', 'approved', 'failed') "
                              "AND osm_id IN (" GONE_NODES ")",
                              &conflict, error) ||
      !_balise_store_prepare (db,
                              "DELETE FROM element WHERE osm_type = 'node' AND osm_id IN (" GONE_NODES ") "
                              "AND NOT EXISTS (SELECT 1 FROM edit WHERE edit.osm_type = 'node' "
                              "  AND edit.osm_id = element.osm_id AND edit.status IN "
                              "  ('pending', 'approved', 'uploading', 'failed', 'conflict'))",
                              &gone, error))
    return FALSE;
#undef GONE_NODES

  for (int i = 0; i < 2; i++)
    {
      sqlite3_stmt *stmt = i == 0 ? conflict : gone;

      sqlite3_bind_double (stmt, 1, write->west);
      sqlite3_bind_double (stmt, 2, write->south);
      sqlite3_bind_double (stmt, 3, write->east);
      sqlite3_bind_double (stmt, 4, write->north);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _balise_store_set_error (error, db, "Could not remove the deleted elements");
          return FALSE;
        }
      if (i == 0)
        write->report->conflicts += (guint) sqlite3_changes (db);
      else
        write->report->deleted += (guint) sqlite3_changes (db);
    }

  return TRUE;
}

static gboolean
write_tile_func (BaliseStore   *store,
                 sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  TileWrite *write = data;
  g_autoptr(sqlite3_stmt) upsert = NULL;
  g_autoptr(sqlite3_stmt) conflict = NULL;

  /* Never replace a newer copy with an older one. */
  if (!_balise_store_prepare (db,
                              "INSERT INTO element (osm_type, osm_id, version, changeset, timestamp, "
                              "user, tags, geom, way_nodes, category, name, ref, shape) VALUES "
                              "(?1, ?2, ?3, ?4, ?5, ?6, ?7, MakePoint (?8, ?9, 4326), ?10, ?11, ?12, ?13, "
                              "GeomFromText (?14, 4326)) "
                              "ON CONFLICT (osm_type, osm_id) DO UPDATE SET version = ?3, "
                              "changeset = ?4, timestamp = ?5, user = ?6, tags = ?7, "
                              "geom = MakePoint (?8, ?9, 4326), way_nodes = ?10, category = ?11, "
                              "name = ?12, ref = ?13, shape = GeomFromText (?14, 4326) "
                              "WHERE version < ?3",
                              &upsert, error) ||
      !_balise_store_prepare (db,
                              "UPDATE edit SET status = 'conflict', "
                              "error = 'The element changed on the server (version ' || ?3 || ')' "
                              "WHERE osm_type = ?1 AND osm_id = ?2 AND base_version < ?3 "
                              "AND kind IN ('modify', 'delete') "
                              "AND status IN ('pending', 'approved', 'failed')",
                              &conflict, error))
    return FALSE;

  for (guint i = 0; i < write->tile->elements->len; i++)
    {
      Element *element = g_ptr_array_index (write->tile->elements, i);
      const char *type = balise_osm_type_to_string (element->type);
      g_autofree char *shape = NULL;
      g_autoptr(GBytes) nodes = NULL;
      double lat = element->lat, lon = element->lon;

      if (element->type == BALISE_OSM_WAY)
        {
          shape = way_shape (write->tile, element, &lat, &lon);
          if (shape == NULL)
            continue;
          nodes = way_nodes_blob (write->tile, element);
        }

      sqlite3_reset (upsert);
      sqlite3_bind_text (upsert, 1, type, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (upsert, 2, element->id);
      sqlite3_bind_int64 (upsert, 3, element->version);
      sqlite3_bind_int64 (upsert, 4, element->changeset);
      sqlite3_bind_text (upsert, 5, element->timestamp, -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 6, element->user, -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 7, balise_tags_to_json (element->tags), -1, g_free);
      sqlite3_bind_double (upsert, 8, lon);
      sqlite3_bind_double (upsert, 9, lat);
      if (nodes != NULL)
        sqlite3_bind_blob (upsert, 10, g_bytes_get_data (nodes, NULL), (int) g_bytes_get_size (nodes),
                           SQLITE_STATIC);
      else
        sqlite3_bind_null (upsert, 10);
      sqlite3_bind_text (upsert, 11, balise_osm_category_for_tags (element->tags), -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 12, balise_tags_lookup (element->tags, "name"), -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 13, balise_tags_lookup (element->tags, "ref"), -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 14, shape, -1, SQLITE_STATIC);
      if (sqlite3_step (upsert) != SQLITE_DONE)
        {
          _balise_store_set_error (error, db, "Could not write a downloaded element");
          return FALSE;
        }

      sqlite3_reset (conflict);
      sqlite3_bind_text (conflict, 1, type, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (conflict, 2, element->id);
      sqlite3_bind_int64 (conflict, 3, element->version);
      if (sqlite3_step (conflict) != SQLITE_DONE)
        {
          _balise_store_set_error (error, db, "Could not mark a conflict");
          return FALSE;
        }
      write->report->conflicts += (guint) sqlite3_changes (db);

      if (element->type == BALISE_OSM_NODE)
        write->report->nodes++;
      else
        write->report->ways++;
    }

  return remove_gone_nodes (db, write, error);
}

/*
 * HTTP
 */

static GBytes *
api_get (Download      *download,
         const char    *path,
         guint         *status_out,
         char         **message_out,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autofree char *uri = g_strconcat (download->api_url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *header;
  guint status;

  *status_out = 0;
  if (message == NULL)
    {
      g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED,
                   "“%s” is not a valid server address", uri);
      return NULL;
    }

  g_debug ("GET %s", uri);
  answer = soup_session_send_and_read (download->session, message, cancellable, &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NETWORK,
                     "No answer from %s: %s", download->api_url, local_error->message);
      return NULL;
    }

  status = soup_message_get_status (message);
  *status_out = status;
  if (status >= 200 && status < 300)
    return g_steal_pointer (&answer);

  header = soup_message_headers_get_one (soup_message_get_response_headers (message), "Error");
  if (header != NULL && *header != '\0')
    *message_out = g_strdup (header);
  else if (g_bytes_get_size (answer) > 0 && g_bytes_get_size (answer) < 4096 &&
           g_utf8_validate (g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer), NULL))
    *message_out = g_strstrip (g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer)));
  else
    *message_out = g_strdup (soup_message_get_reason_phrase (message));

  g_set_error (error, BALISE_SYNC_ERROR,
               status == 400 ? BALISE_SYNC_ERROR_BAD_REQUEST :
               status == 429 || status == 509 ? BALISE_SYNC_ERROR_RATE_LIMITED :
               status == 503 ? BALISE_SYNC_ERROR_UNAVAILABLE :
               status >= 500 ? BALISE_SYNC_ERROR_SERVER : BALISE_SYNC_ERROR_FAILED,
               "GET %s: %u %s", path, status, *message_out);
  return NULL;
}

typedef struct
{
  Download *download;
  guint     done;
} ProgressCall;

static gboolean
progress_idle (gpointer data)
{
  ProgressCall *call = data;

  call->download->progress (call->done, call->download->total, call->download->user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
fetch_tile (Download      *download,
            double         west,
            double         south,
            double         east,
            double         north,
            guint          depth,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(Tile) tile = NULL;
  char w[G_ASCII_DTOSTR_BUF_SIZE], s[G_ASCII_DTOSTR_BUF_SIZE];
  char e[G_ASCII_DTOSTR_BUF_SIZE], n[G_ASCII_DTOSTR_BUF_SIZE];
  TileWrite write;
  guint status = 0;

  path = g_strdup_printf ("api/0.6/map?bbox=%s,%s,%s,%s",
                          g_ascii_formatd (w, sizeof w, "%.7f", west),
                          g_ascii_formatd (s, sizeof s, "%.7f", south),
                          g_ascii_formatd (e, sizeof e, "%.7f", east),
                          g_ascii_formatd (n, sizeof n, "%.7f", north));
  download->report.requests++;
  answer = api_get (download, path, &status, &message, cancellable, &local_error);

  if (answer == NULL && status == 400 && message != NULL &&
      (strstr (message, "too many nodes") != NULL || strstr (message, "maximum bbox size") != NULL))
    {
      double mid_lon = (west + east) / 2, mid_lat = (south + north) / 2;

      if (depth >= BALISE_DOWNLOAD_MAX_SPLITS)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "The area is too dense even in small tiles: ");
          return FALSE;
        }
      g_debug ("Splitting %s: %s", path, message);
      return fetch_tile (download, west, south, mid_lon, mid_lat, depth + 1, cancellable, error) &&
             fetch_tile (download, mid_lon, south, east, mid_lat, depth + 1, cancellable, error) &&
             fetch_tile (download, west, mid_lat, mid_lon, north, depth + 1, cancellable, error) &&
             fetch_tile (download, mid_lon, mid_lat, east, north, depth + 1, cancellable, error);
    }
  if (answer == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  tile = parse_map (answer, error);
  if (tile == NULL)
    return FALSE;

  write.tile = tile;
  write.report = &download->report;
  write.west = west;
  write.south = south;
  write.east = east;
  write.north = north;
  if (!_balise_store_write (download->store, write_tile_func, &write, cancellable, error))
    return FALSE;

  download->report.tiles++;
  return TRUE;
}

static void
download_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Download *download = task_data;
  g_autoptr(GBytes) capabilities_xml = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  BaliseCapabilities capabilities = { 0 };
  double area, side;
  guint cols, rows, status;

  download->session = soup_session_new_with_options ("user-agent", "Balise/" PACKAGE_VERSION " ",
                                                     "timeout", 120,
                                                     NULL);

  capabilities_xml = api_get (download, "api/0.6/capabilities", &status, &message,
                              cancellable, &error);
  if (capabilities_xml == NULL ||
      !balise_osm_xml_parse_capabilities (capabilities_xml, &capabilities, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  area = capabilities.area_maximum > 0 ? capabilities.area_maximum : DEFAULT_AREA_MAXIMUM;
  side = sqrt (area);
  cols = (guint) MAX (1.0, ceil ((download->east - download->west) / side - 1e-9));
  rows = (guint) MAX (1.0, ceil ((download->north - download->south) / side - 1e-9));
  if ((guint64) cols * rows > BALISE_DOWNLOAD_MAX_TILES)
    {
      g_task_return_new_error (task, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED,
                               "The area is too large: it would take %u requests",
                               cols * rows);
      return;
    }
  download->total = cols * rows;

  for (guint row = 0; row < rows; row++)
    for (guint col = 0; col < cols; col++)
      {
        double width = (download->east - download->west) / cols;
        double height = (download->north - download->south) / rows;
        double west = download->west + col * width;
        double south = download->south + row * height;
        double east = col + 1 == cols ? download->east : west + width;
        double north = row + 1 == rows ? download->north : south + height;

        if (!fetch_tile (download, west, south, east, north, 0, cancellable, &error))
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }

        if (download->progress != NULL)
          {
            ProgressCall *call = g_new (ProgressCall, 1);

            call->download = download;
            call->done = row * cols + col + 1;
            /* The task data outlives these: the task returns on the same context. */
            g_main_context_invoke_full (download->context, G_PRIORITY_DEFAULT, progress_idle,
                                        call, g_free);
          }
      }

  g_task_return_pointer (task, g_memdup2 (&download->report, sizeof download->report), g_free);
}

void
balise_store_download_area_async (BaliseStore            *store,
                                  const char             *api_url,
                                  double                  west,
                                  double                  south,
                                  double                  east,
                                  double                  north,
                                  GCancellable           *cancellable,
                                  BaliseDownloadProgress  progress,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Download *download;

  g_return_if_fail (BALISE_IS_STORE (store));
  g_return_if_fail (api_url != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_download_area_async);

  if (!(west < east && south < north && west >= -180 && east <= 180 && south >= -90 && north <= 90))
    {
      g_task_return_new_error (task, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                               "The box %g,%g,%g,%g is not on the globe", west, south, east, north);
      return;
    }

  if (!balise_sync_check_server_url (api_url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  download = g_new0 (Download, 1);
  download->store = g_object_ref (store);
  download->api_url = g_str_has_suffix (api_url, "/") ? g_strdup (api_url)
                                                      : g_strconcat (api_url, "/", NULL);
  download->west = west;
  download->south = south;
  download->east = east;
  download->north = north;
  download->context = g_main_context_ref_thread_default ();
  download->progress = progress;
  download->user_data = user_data;

  g_task_set_task_data (task, download, (GDestroyNotify) download_free);
  g_task_run_in_thread (task, download_thread);
}

BaliseDownloadReport *
balise_store_download_area_finish (BaliseStore   *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
