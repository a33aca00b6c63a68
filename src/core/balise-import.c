/* balise-import.c: importing OpenStreetMap extracts (.osm, .osm.pbf) into a store
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-import"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <readosm.h>
#include <string.h>
#include <unistd.h>

#include "balise-category.h"
#include "balise-import.h"
#include "balise-store-private.h"

/* How an import works
 *
 * The whole import is one write transaction (_balise_store_write()): a
 * cancelled or failed import, or a damaged file, leaves the store exactly as
 * it was. readosm streams the file; we keep:
 *
 *  - every tagged node, as a feature row (category, name and ref derived
 *    from its tags);
 *  - the ways a map needs (roads, buildings, land use, water, railways and
 *    every tagged way with a category), with their shape (LINESTRING, or
 *    POLYGON for closed areas) and a representative point in geom.
 *
 * Building a way's shape needs the coordinates of its nodes, which come
 * earlier in the file (extracts are sorted nodes, ways, relations). So we
 * keep a compact map of every node: a sorted array of 64-bit ids and two
 * arrays of 32-bit fixed-point coordinates (1e-7 degrees, OSM's own
 * precision): 16 bytes a node, 21 MB for the 1.34 M nodes of the 14 MB
 * benchmark file. That is the only memory that grows with the file; rows are
 * written as they are read. An unsorted file (ids going down) is sorted once
 * before the first way; ways that come before their nodes are skipped and
 * counted, like ways whose nodes are missing from a cut extract.
 *
 * Speed: the spatial index of element.geom is disabled and dropped for the
 * bulk insert and rebuilt at the end, inside the same transaction;
 * statements are prepared once; geometries are assembled in C as SpatiaLite
 * BLOBs, so SQLite never parses WKT or WKB.
 */

#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)
#define FIXED_SCALE 1e7

typedef struct
{
  gint64   base_version;
  gint64   edit_id;
} UnsentEdit;

typedef struct
{
  /* Input */
  char                     *path;          /* as the caller named it */
  char                     *read_path;     /* what readosm opens */
  char                     *tmp_dir;       /* holds a symlink with the right suffix */
  BaliseImportProgressFunc  progress;
  gpointer                  progress_data;
  GDestroyNotify            progress_data_free;
  GMainContext             *context;       /* async: where progress is delivered */
  BaliseImportProgressFunc  caller_progress;  /* async: the caller's callback */
  gpointer                  caller_progress_data;

  /* State of one run */
  sqlite3                  *db;
  GCancellable             *cancellable;
  sqlite3_stmt             *insert;
  GError                   *error;         /* why a callback aborted the parse */
  gint64                    last_progress;

  GArray                   *node_ids;      /* gint64, ascending once sorted */
  GArray                   *node_lat;      /* gint32, 1e-7 degrees */
  GArray                   *node_lon;
  gboolean                  nodes_unsorted;
  gboolean                  nodes_ready;

  GHashTable               *unsent_nodes;  /* osm_id → GArray of UnsentEdit */
  GHashTable               *unsent_ways;
  GArray                   *flags;         /* UnsentEdit to mark, base_version = new version */
  GArray                   *flag_from;     /* gint64: the edit's base version */

  GByteArray               *blob;
  GString                  *json;
  GString                  *nodes_json;
  GArray                   *coords;        /* double x, y pairs */

  BaliseImportStats         stats;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  if (job->tmp_dir != NULL)
    {
      g_unlink (job->read_path);
      g_rmdir (job->tmp_dir);
      g_free (job->tmp_dir);
    }
  if (job->progress_data_free != NULL)
    job->progress_data_free (job->caller_progress_data);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job->path);
  g_free (job->read_path);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportJob, import_job_free)

/*
 * Finding out what the file is
 */

typedef enum
{
  FORMAT_UNKNOWN,
  FORMAT_XML,
  FORMAT_PBF,
} Format;

static gboolean
contains (const guint8 *buf,
          gsize         len,
          const char   *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (buf + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static Format
sniff_format (const guint8 *buf,
              gsize         len)
{
  gsize i = 0;

  /* PBF: a 4-byte big-endian BlobHeader length, then the BlobHeader whose
   * first field is the string "OSMHeader". */
  if (len >= 16)
    {
      guint32 header_len = ((guint32) buf[0] << 24) | ((guint32) buf[1] << 16) |
                           ((guint32) buf[2] << 8) | buf[3];

      if (header_len > 0 && header_len < 64 * 1024 &&
          contains (buf + 4, MIN (len - 4, header_len), "OSMHeader"))
        return FORMAT_PBF;
    }

  /* XML: an optional byte-order mark and white space, then <?xml or <osm. */
  if (len >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf)
    i = 3;
  while (i < len && g_ascii_isspace (buf[i]))
    i++;
  if (len - i >= 5 && (memcmp (buf + i, "<?xml", 5) == 0 || memcmp (buf + i, "<osm", 4) == 0))
    return FORMAT_XML;

  return FORMAT_UNKNOWN;
}

/* readosm picks its parser from the file name alone (".osm" or ".pbf"). A
 * file with any other name, or a misleading one, is opened through a
 * symlink with the right suffix in a private temporary directory. */
static gboolean
prepare_read_path (ImportJob  *job,
                   GError    **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (job->path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *lower = NULL;
  guint8 buf[256];
  gsize len = 0;
  Format format;
  const char *suffix;

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    {
      g_prefix_error (error, "Could not import “%s”: ", job->path);
      return FALSE;
    }
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buf, sizeof buf, &len, NULL, error))
    {
      g_prefix_error (error, "Could not import “%s”: ", job->path);
      return FALSE;
    }

  format = sniff_format (buf, len);
  if (format == FORMAT_UNKNOWN)
    {
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                   "Could not import “%s”: it is neither an OpenStreetMap XML file (.osm) "
                   "nor an OpenStreetMap PBF file (.osm.pbf)", job->path);
      return FALSE;
    }

  lower = g_ascii_strdown (job->path, -1);
  suffix = format == FORMAT_PBF ? ".pbf" : ".osm";
  if (g_str_has_suffix (lower, suffix))
    {
      job->read_path = g_strdup (job->path);
      return TRUE;
    }

  job->tmp_dir = g_dir_make_tmp ("balise-import-XXXXXX", error);
  if (job->tmp_dir == NULL)
    {
      g_prefix_error (error, "Could not import “%s”: ", job->path);
      return FALSE;
    }
  absolute = g_file_get_path (file);
  job->read_path = g_build_filename (job->tmp_dir,
                                     format == FORMAT_PBF ? "extract.osm.pbf" : "extract.osm",
                                     NULL);
  if (symlink (absolute, job->read_path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not import “%s”: %s", job->path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static const char *
readosm_error_message (int code)
{
  switch (code)
    {
    case READOSM_INVALID_SUFFIX:
      return "the file name does not end in .osm or .pbf";
    case READOSM_FILE_NOT_FOUND:
      return "the file does not exist or cannot be read";
    case READOSM_INSUFFICIENT_MEMORY:
      return "out of memory";
    case READOSM_READ_ERROR:
      return "the file is truncated or could not be read";
    case READOSM_XML_ERROR:
      return "the XML is malformed or truncated";
    case READOSM_INVALID_PBF_HEADER:
      return "the PBF data is damaged or truncated (invalid block header)";
    case READOSM_UNZIP_ERROR:
      return "the PBF data is damaged or truncated (a block does not decompress)";
    default:
      return "the file could not be parsed";
    }
}

/*
 * The node coordinate map
 */

typedef struct
{
  gint64 id;
  gint32 lat;
  gint32 lon;
} NodeEntry;

static int
compare_node_entries (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  gint64 ia = ((const NodeEntry *) a)->id;
  gint64 ib = ((const NodeEntry *) b)->id;

  return ia < ib ? -1 : ia > ib;
}

/* Only for files whose nodes are not in id order. */
static void
sort_nodes (ImportJob *job)
{
  guint n = job->node_ids->len;
  g_autofree NodeEntry *entries = NULL;

  if (!job->nodes_unsorted)
    return;

  entries = g_new (NodeEntry, n);
  for (guint i = 0; i < n; i++)
    {
      entries[i].id = g_array_index (job->node_ids, gint64, i);
      entries[i].lat = g_array_index (job->node_lat, gint32, i);
      entries[i].lon = g_array_index (job->node_lon, gint32, i);
    }
  g_qsort_with_data (entries, n, sizeof (NodeEntry), compare_node_entries, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_array_index (job->node_ids, gint64, i) = entries[i].id;
      g_array_index (job->node_lat, gint32, i) = entries[i].lat;
      g_array_index (job->node_lon, gint32, i) = entries[i].lon;
    }
  job->nodes_unsorted = FALSE;
}

static gboolean
lookup_node (ImportJob *job,
             gint64     id,
             double    *lon,
             double    *lat)
{
  const gint64 *ids = (const gint64 *) (gpointer) job->node_ids->data;
  guint lo = 0, hi = job->node_ids->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (ids[mid] < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo >= job->node_ids->len || ids[lo] != id)
    return FALSE;

  *lat = g_array_index (job->node_lat, gint32, lo) / FIXED_SCALE;
  *lon = g_array_index (job->node_lon, gint32, lo) / FIXED_SCALE;
  return TRUE;
}

/*
 * Geometry as SpatiaLite BLOBs
 */

static void
blob_put_int32 (GByteArray *blob,
                gint32      value)
{
  g_byte_array_append (blob, (const guint8 *) &value, sizeof value);
}

static void
blob_put_double (GByteArray *blob,
                 double      value)
{
  g_byte_array_append (blob, (const guint8 *) &value, sizeof value);
}

/* The SpatiaLite header: start, byte order, SRID, MBR, MBR end, class. */
static void
blob_begin (GByteArray   *blob,
            gint32        geometry_class,
            const double *xy,
            guint         n_points)
{
  guint8 start[2] = { 0x00, G_BYTE_ORDER == G_LITTLE_ENDIAN ? 0x01 : 0x00 };
  guint8 mbr_end = 0x7c;
  double min_x = xy[0], max_x = xy[0], min_y = xy[1], max_y = xy[1];

  for (guint i = 1; i < n_points; i++)
    {
      min_x = MIN (min_x, xy[2 * i]);
      max_x = MAX (max_x, xy[2 * i]);
      min_y = MIN (min_y, xy[2 * i + 1]);
      max_y = MAX (max_y, xy[2 * i + 1]);
    }

  g_byte_array_set_size (blob, 0);
  g_byte_array_append (blob, start, sizeof start);
  blob_put_int32 (blob, 4326);
  blob_put_double (blob, min_x);
  blob_put_double (blob, min_y);
  blob_put_double (blob, max_x);
  blob_put_double (blob, max_y);
  g_byte_array_append (blob, &mbr_end, 1);
  blob_put_int32 (blob, geometry_class);
}

static void
blob_end (GByteArray *blob)
{
  guint8 end = 0xfe;

  g_byte_array_append (blob, &end, 1);
}

static void
blob_point (GByteArray *blob,
            double      x,
            double      y)
{
  double xy[2] = { x, y };

  blob_begin (blob, 1, xy, 1);
  blob_put_double (blob, x);
  blob_put_double (blob, y);
  blob_end (blob);
}

/* A LINESTRING, or a POLYGON with one ring. */
static void
blob_shape (GByteArray   *blob,
            gboolean      polygon,
            const double *xy,
            guint         n_points)
{
  blob_begin (blob, polygon ? 3 : 2, xy, n_points);
  if (polygon)
    blob_put_int32 (blob, 1);
  blob_put_int32 (blob, n_points);
  g_byte_array_append (blob, (const guint8 *) xy, n_points * 2 * sizeof (double));
  blob_end (blob);
}

/* The area-weighted centroid of a ring, or the mean of its vertices when it
 * has no area. */
static void
ring_centroid (const double *xy,
               guint         n_points,
               double       *cx,
               double       *cy)
{
  double area = 0, sx = 0, sy = 0;
  double ox = xy[0], oy = xy[1];   /* relative to the first vertex, for precision */

  for (guint i = 0; i + 1 < n_points; i++)
    {
      double x0 = xy[2 * i] - ox, y0 = xy[2 * i + 1] - oy;
      double x1 = xy[2 * i + 2] - ox, y1 = xy[2 * i + 3] - oy;
      double cross = x0 * y1 - x1 * y0;

      area += cross;
      sx += (x0 + x1) * cross;
      sy += (y0 + y1) * cross;
    }

  if (fabs (area) > 1e-18)
    {
      *cx = ox + sx / (3 * area);
      *cy = oy + sy / (3 * area);
      return;
    }

  sx = sy = 0;
  for (guint i = 0; i < n_points; i++)
    {
      sx += xy[2 * i];
      sy += xy[2 * i + 1];
    }
  *cx = sx / n_points;
  *cy = sy / n_points;
}

/*
 * Tags
 */

static BaliseTags *
tags_from_readosm (int                 count,
                   const readosm_tag  *tags)
{
  BaliseTags *result = balise_tags_new ();

  for (int i = 0; i < count; i++)
    if (tags[i].key != NULL && tags[i].value != NULL)
      balise_tags_set (result, tags[i].key, tags[i].value);
  return result;
}

static void
json_append_string (GString    *json,
                    const char *s)
{
  g_string_append_c (json, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (json, '\\');
          g_string_append_c (json, c);
        }
      else if (c == '\n')
        g_string_append (json, "\\n");
      else if (c == '\t')
        g_string_append (json, "\\t");
      else if (c == '\r')
        g_string_append (json, "\\r");
      else if (c < 0x20)
        g_string_append_printf (json, "\\u%04x", c);
      else
        g_string_append_c (json, c);
    }
  g_string_append_c (json, '"');
}

/* The same JSON object as balise_tags_to_json() (keys in the same order),
 * without building a JSON tree for every element. */
static void
tags_to_json (GString    *json,
              BaliseTags *tags)
{
  guint n = balise_tags_get_size (tags);

  g_string_truncate (json, 0);
  g_string_append_c (json, '{');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      json_append_string (json, balise_tags_get_key (tags, i));
      g_string_append_c (json, ':');
      json_append_string (json, balise_tags_get_value (tags, i));
    }
  g_string_append_c (json, '}');
}

static gboolean
way_is_area (BaliseTags *tags)
{
  static const char * const area_keys[] = {
    "building", "landuse", "natural", "amenity", "leisure", "shop", "tourism",
    "water", "place", "man_made", "military", "aeroway", "historic",
  };
  const char *area = balise_tags_lookup (tags, "area");
  const char *natural;
  const char *waterway;

  if (area != NULL)
    return !g_str_equal (area, "no");

  natural = balise_tags_lookup (tags, "natural");
  if (natural != NULL && (g_str_equal (natural, "coastline") || g_str_equal (natural, "tree_row") ||
                          g_str_equal (natural, "cliff") || g_str_equal (natural, "ridge")))
    return FALSE;
  waterway = balise_tags_lookup (tags, "waterway");
  if (waterway != NULL && (g_str_equal (waterway, "riverbank") || g_str_equal (waterway, "dock")))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (area_keys); i++)
    {
      const char *value = balise_tags_lookup (tags, area_keys[i]);

      if (value != NULL && !g_str_equal (value, "no"))
        return TRUE;
    }
  return FALSE;
}

/*
 * Writing rows
 */

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           column,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

static void
bind_metadata (sqlite3_stmt *stmt,
               long long     id,
               int           version,
               long long     changeset,
               const char   *timestamp,
               const char   *user)
{
  sqlite3_bind_int64 (stmt, 2, id);
  sqlite3_bind_int64 (stmt, 3, version > 0 ? version : 0);
  if (changeset > 0)
    sqlite3_bind_int64 (stmt, 4, changeset);
  else
    sqlite3_bind_null (stmt, 4);
  bind_text_or_null (stmt, 5, timestamp != NULL && timestamp[0] != '\0' ? timestamp : NULL);
  bind_text_or_null (stmt, 6, user != NULL && user[0] != '\0' ? user : NULL);
}

static void
bind_tags (ImportJob  *job,
           BaliseTags *tags)
{
  tags_to_json (job->json, tags);
  sqlite3_bind_text (job->insert, 7, job->json->str, job->json->len, SQLITE_STATIC);
  bind_text_or_null (job->insert, 10, balise_osm_category_for_tags (tags));
  bind_text_or_null (job->insert, 11, balise_tags_lookup (tags, "name"));
  bind_text_or_null (job->insert, 12, balise_tags_lookup (tags, "ref"));
}

static int
step_insert (ImportJob *job)
{
  int rc = sqlite3_step (job->insert);

  sqlite3_reset (job->insert);
  sqlite3_clear_bindings (job->insert);
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (&job->error, job->db, "Could not write an imported element");
      return READOSM_ABORT;
    }
  return READOSM_OK;
}

static void
check_unsent (ImportJob  *job,
              GHashTable *unsent,
              gint64      id,
              int         version)
{
  GArray *edits;

  if (unsent == NULL || version <= 0)
    return;
  edits = g_hash_table_lookup (unsent, &id);
  if (edits == NULL)
    return;

  for (guint i = 0; i < edits->len; i++)
    {
      UnsentEdit *edit = &g_array_index (edits, UnsentEdit, i);

      if (edit->base_version > 0 && version > edit->base_version)
        {
          UnsentEdit flag = { version, edit->edit_id };

          g_array_append_val (job->flags, flag);
          g_array_append_val (job->flag_from, edit->base_version);
        }
    }
}

/* Reports progress and notices cancellation, at most ten times a second. */
static int
tick (ImportJob *job)
{
  guint64 count = job->stats.nodes_read + job->stats.ways_read + job->stats.relations_read;
  gint64 now;

  if ((count & 1023) != 0)
    return READOSM_OK;

  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    return READOSM_ABORT;

  now = g_get_monotonic_time ();
  if (job->progress != NULL && now - job->last_progress >= PROGRESS_INTERVAL_US)
    {
      job->last_progress = now;
      job->progress (job->stats.nodes_read, job->stats.ways_read, job->progress_data);
      if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
        return READOSM_ABORT;
    }
  return READOSM_OK;
}

static int
on_node (const void         *user_data,
         const readosm_node *node)
{
  ImportJob *job = (ImportJob *) user_data;
  gint64 id = node->id;
  gint32 lat = (gint32) lround (node->latitude * FIXED_SCALE);
  gint32 lon = (gint32) lround (node->longitude * FIXED_SCALE);

  job->stats.nodes_read++;

  if (job->node_ids->len > 0 &&
      id <= g_array_index (job->node_ids, gint64, job->node_ids->len - 1))
    job->nodes_unsorted = TRUE;
  g_array_append_val (job->node_ids, id);
  g_array_append_val (job->node_lat, lat);
  g_array_append_val (job->node_lon, lon);

  if (node->tag_count > 0)
    {
      g_autoptr(BaliseTags) tags = tags_from_readosm (node->tag_count, node->tags);
      int rc;

      sqlite3_bind_text (job->insert, 1, "node", -1, SQLITE_STATIC);
      bind_metadata (job->insert, id, node->version, node->changeset, node->timestamp, node->user);
      bind_tags (job, tags);
      blob_point (job->blob, lon / FIXED_SCALE, lat / FIXED_SCALE);
      sqlite3_bind_blob (job->insert, 8, job->blob->data, job->blob->len, SQLITE_STATIC);
      sqlite3_bind_null (job->insert, 9);
      sqlite3_bind_null (job->insert, 13);
      rc = step_insert (job);
      if (rc != READOSM_OK)
        return rc;
      job->stats.features++;
      check_unsent (job, job->unsent_nodes, id, node->version);
    }

  return tick (job);
}

/* g_string_append_printf() costs more than the rest of a way's node list. */
static void
append_int64 (GString *text,
              gint64   value)
{
  char digits[24];
  int n = 0;
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;

  do
    {
      digits[n++] = '0' + magnitude % 10;
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    g_string_append_c (text, '-');
  while (n > 0)
    g_string_append_c (text, digits[--n]);
}

static int
on_way (const void        *user_data,
        const readosm_way *way)
{
  ImportJob *job = (ImportJob *) user_data;
  g_autoptr(BaliseTags) tags = NULL;
  gboolean polygon;
  gboolean missing = FALSE;
  double rx, ry;
  guint n;
  const double *xy;
  int rc;

  job->stats.ways_read++;

  if (!job->nodes_ready)
    {
      sort_nodes (job);
      job->nodes_ready = TRUE;
    }

  if (way->tag_count == 0 || way->node_ref_count < 2)
    return tick (job);

  tags = tags_from_readosm (way->tag_count, way->tags);
  if (balise_osm_category_for_tags (tags) == NULL && balise_tags_lookup (tags, "water") == NULL)
    return tick (job);

  g_array_set_size (job->coords, 0);
  g_string_truncate (job->nodes_json, 0);
  g_string_append_c (job->nodes_json, '[');
  for (int i = 0; i < way->node_ref_count; i++)
    {
      double c[2];

      if (!lookup_node (job, way->node_refs[i], &c[0], &c[1]))
        {
          missing = TRUE;
          break;
        }
      g_array_append_vals (job->coords, c, 2);
      if (i > 0)
        g_string_append_c (job->nodes_json, ',');
      append_int64 (job->nodes_json, way->node_refs[i]);
    }
  g_string_append_c (job->nodes_json, ']');

  if (missing)
    {
      job->stats.ways_skipped_missing_nodes++;
      return tick (job);
    }

  n = job->coords->len / 2;
  xy = (const double *) (gpointer) job->coords->data;
  polygon = n >= 4 && way->node_refs[0] == way->node_refs[way->node_ref_count - 1] &&
            way_is_area (tags);
  if (polygon)
    ring_centroid (xy, n, &rx, &ry);
  else
    {
      rx = xy[2 * (n / 2)];
      ry = xy[2 * (n / 2) + 1];
    }

  sqlite3_bind_text (job->insert, 1, "way", -1, SQLITE_STATIC);
  bind_metadata (job->insert, way->id, way->version, way->changeset, way->timestamp, way->user);
  bind_tags (job, tags);
  blob_point (job->blob, rx, ry);
  sqlite3_bind_blob (job->insert, 8, job->blob->data, job->blob->len, SQLITE_TRANSIENT);
  sqlite3_bind_text (job->insert, 9, job->nodes_json->str, job->nodes_json->len, SQLITE_STATIC);
  blob_shape (job->blob, polygon, xy, n);
  sqlite3_bind_blob (job->insert, 13, job->blob->data, job->blob->len, SQLITE_STATIC);
  rc = step_insert (job);
  if (rc != READOSM_OK)
    return rc;

  job->stats.ways_kept++;
  check_unsent (job, job->unsent_ways, way->id, way->version);
  return tick (job);
}

static int
on_relation (const void             *user_data,
             const readosm_relation *relation)
{
  ImportJob *job = (ImportJob *) user_data;

  job->stats.relations_read++;
  return tick (job);
}

static void
unsent_edits_free (gpointer data)
{
  g_array_unref (data);
}

/* The unsent edits of existing elements, to flag those whose element the
 * import brings in a newer version. */
static gboolean
load_unsent_edits (ImportJob  *job,
                   GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_balise_store_prepare (job->db,
                              "SELECT id, osm_type, osm_id, base_version FROM edit "
                              "WHERE status IN ('pending', 'approved', 'failed') "
                              "AND kind IN ('modify', 'delete') AND osm_id > 0",
                              &stmt, error))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *type = (const char *) sqlite3_column_text (stmt, 1);
      gint64 osm_id = sqlite3_column_int64 (stmt, 2);
      UnsentEdit edit = { sqlite3_column_int64 (stmt, 3), sqlite3_column_int64 (stmt, 0) };
      GHashTable **table;
      GArray *edits;

      if (g_strcmp0 (type, "node") == 0)
        table = &job->unsent_nodes;
      else if (g_strcmp0 (type, "way") == 0)
        table = &job->unsent_ways;
      else
        continue;

      if (*table == NULL)
        *table = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, unsent_edits_free);
      edits = g_hash_table_lookup (*table, &osm_id);
      if (edits == NULL)
        {
          edits = g_array_new (FALSE, FALSE, sizeof (UnsentEdit));
          g_hash_table_insert (*table, g_memdup2 (&osm_id, sizeof osm_id), edits);
        }
      g_array_append_val (edits, edit);
    }

  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, job->db, "Could not read the edits");
      return FALSE;
    }
  return TRUE;
}

static gboolean
flag_conflicts (ImportJob  *job,
                GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (job->flags->len == 0)
    return TRUE;

  if (!_balise_store_prepare (job->db,
                              "UPDATE edit SET status = 'conflict', error = ? WHERE id = ?",
                              &stmt, error))
    return FALSE;

  for (guint i = 0; i < job->flags->len; i++)
    {
      UnsentEdit *flag = &g_array_index (job->flags, UnsentEdit, i);
      gint64 from = g_array_index (job->flag_from, gint64, i);

      sqlite3_bind_text (stmt, 1,
                         g_strdup_printf ("The element changed on the server (version %"
                                          G_GINT64_FORMAT " → %" G_GINT64_FORMAT ")",
                                          from, flag->base_version),
                         -1, g_free);
      sqlite3_bind_int64 (stmt, 2, flag->edit_id);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _balise_store_set_error (error, job->db, "Could not flag an edit");
          return FALSE;
        }
      sqlite3_reset (stmt);
      job->stats.edits_flagged++;
    }
  return TRUE;
}

/* Drops the R*Tree of element.geom, returning the SQL that creates it. */
static gboolean
drop_spatial_index (ImportJob  *job,
                    char      **sql_out,
                    GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_balise_store_prepare (job->db,
                              "SELECT sql FROM sqlite_master WHERE type = 'table' "
                              "AND name = 'idx_element_geom'",
                              &stmt, error))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      /* No spatial index: nothing to keep up to date. */
      *sql_out = NULL;
      return TRUE;
    }
  *sql_out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_clear_pointer (&stmt, sqlite3_finalize);

  return _balise_store_exec (job->db, "DROP TABLE idx_element_geom", error);
}

static gboolean
rebuild_spatial_index (ImportJob   *job,
                       const char  *rtree_sql,
                       GError     **error)
{
  if (rtree_sql == NULL)
    return TRUE;

  if (!_balise_store_exec (job->db, rtree_sql, error) ||
      !_balise_store_exec (job->db,
                           "INSERT INTO idx_element_geom (pkid, xmin, xmax, ymin, ymax) "
                           "SELECT id, MbrMinX (geom), MbrMaxX (geom), MbrMinY (geom), MbrMaxY (geom) "
                           "FROM element WHERE geom IS NOT NULL",
                           error))
    {
      g_prefix_error (error, "Could not rebuild the spatial index: ");
      return FALSE;
    }
  return TRUE;
}

/* Drops the triggers of the element table, returning the SQL that
 * creates them again. */
static gboolean
save_and_drop (ImportJob   *job,
               const char  *type,
               GPtrArray  **sql_out,
               GError     **error);

static gboolean
save_triggers (ImportJob   *job,
               GPtrArray  **triggers_out,
               GError     **error)
{
  return save_and_drop (job, "trigger", triggers_out, error);
}

/* Drops the triggers or the (explicitly created) indexes of the element
 * table, returning the SQL that creates them again. */
static gboolean
save_and_drop (ImportJob   *job,
               const char  *type,
               GPtrArray  **triggers_out,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (!_balise_store_prepare (job->db,
                              "SELECT name, sql FROM sqlite_master "
                              "WHERE type = ? AND tbl_name = 'element' AND sql IS NOT NULL",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (triggers, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, job->db, "Could not read the triggers");
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(sqlite_str) sql = sqlite3_mprintf ("DROP %s \"%w\"", type,
                                                   (const char *) g_ptr_array_index (names, i));

      if (!_balise_store_exec (job->db, sql, error))
        return FALSE;
    }

  *triggers_out = g_steal_pointer (&triggers);
  return TRUE;
}

static void
import_job_reset (ImportJob *job)
{
  g_clear_pointer (&job->insert, sqlite3_finalize);
  g_clear_pointer (&job->node_ids, g_array_unref);
  g_clear_pointer (&job->node_lat, g_array_unref);
  g_clear_pointer (&job->node_lon, g_array_unref);
  g_clear_pointer (&job->unsent_nodes, g_hash_table_unref);
  g_clear_pointer (&job->unsent_ways, g_hash_table_unref);
  g_clear_pointer (&job->flags, g_array_unref);
  g_clear_pointer (&job->flag_from, g_array_unref);
  g_clear_pointer (&job->blob, g_byte_array_unref);
  if (job->json != NULL)
    g_string_free (g_steal_pointer (&job->json), TRUE);
  if (job->nodes_json != NULL)
    g_string_free (g_steal_pointer (&job->nodes_json), TRUE);
  g_clear_pointer (&job->coords, g_array_unref);
  g_clear_error (&job->error);
  job->db = NULL;
  job->cancellable = NULL;
}

static gboolean
import_run (ImportJob     *job,
            GError       **error)
{
  const void *handle = NULL;
  g_autofree char *now = NULL;
  g_autoptr(sqlite3_stmt) meta = NULL;
  g_autoptr(GPtrArray) triggers = NULL;
  g_autoptr(GPtrArray) indexes = NULL;
  g_autofree char *rtree_sql = NULL;
  gboolean element_was_empty;
  gint64 start;
  int rc;

  if (!load_unsent_edits (job, error))
    return FALSE;
  {
    g_autoptr(sqlite3_stmt) empty = NULL;

    if (!_balise_store_prepare (job->db, "SELECT NOT EXISTS (SELECT 1 FROM element)", &empty, error))
      return FALSE;
    element_was_empty = sqlite3_step (empty) == SQLITE_ROW && sqlite3_column_int (empty, 0) != 0;
  }

  /* A larger page cache for the import (64 MB), so that SQLite does not
   * spill pages to the WAL and read them back mid-transaction. */
  if (!_balise_store_exec (job->db, "PRAGMA cache_size = -65536", error))
    return FALSE;

  /* The bulk insert runs without the triggers of the element table (the
   * geometry constraints and timestamps cost four sub-queries a row, and
   * the geometries written here are built with the right type and SRID)
   * and without the R*Tree of the spatial index. Both are put back as they
   * were at the end, in this same transaction, the R*Tree filled with one
   * INSERT … SELECT. */
  if (!save_triggers (job, &triggers, error) ||
      !drop_spatial_index (job, &rtree_sql, error))
    return FALSE;
  /* The secondary indexes (category, name) are built again at the end: one
   * sort is cheaper than a random B-tree insert a row. The UNIQUE
   * (osm_type, osm_id) constraint stays, ON CONFLICT needs it. */
  if (element_was_empty && !save_and_drop (job, "index", &indexes, error))
    return FALSE;

  if (!_balise_store_prepare (job->db,
                              "INSERT INTO element (osm_type, osm_id, version, changeset, timestamp, "
                              "user, tags, geom, nodes, category, name, ref, shape) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                              "ON CONFLICT (osm_type, osm_id) DO UPDATE SET "
                              "version = excluded.version, changeset = excluded.changeset, "
                              "timestamp = excluded.timestamp, user = excluded.user, "
                              "tags = excluded.tags, geom = excluded.geom, nodes = excluded.nodes, "
                              "category = excluded.category, name = excluded.name, "
                              "ref = excluded.ref, shape = excluded.shape "
                              "WHERE excluded.version = 0 OR excluded.version >= element.version",
                              &job->insert, error))
    return FALSE;

  rc = readosm_open (job->read_path, &handle);
  if (rc != READOSM_OK)
    {
      readosm_close (handle);
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                   "Could not import “%s”: %s", job->path, readosm_error_message (rc));
      return FALSE;
    }
  start = g_get_monotonic_time ();
  rc = readosm_parse (handle, job, on_node, on_way, on_relation);
  readosm_close (handle);
  g_debug ("Parsed and inserted in %.2f s", (g_get_monotonic_time () - start) / 1e6);

  if (job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return FALSE;
    }
  if (rc != READOSM_OK)
    {
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                   "Could not import “%s”: %s", job->path, readosm_error_message (rc));
      return FALSE;
    }
  if (job->stats.nodes_read + job->stats.ways_read + job->stats.relations_read == 0)
    {
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                   "Could not import “%s”: the file holds no OpenStreetMap data", job->path);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (job->cancellable, error))
    return FALSE;

  if (job->progress != NULL)
    job->progress (job->stats.nodes_read, job->stats.ways_read, job->progress_data);

  start = g_get_monotonic_time ();
  for (guint i = 0; indexes != NULL && i < indexes->len; i++)
    if (!_balise_store_exec (job->db, g_ptr_array_index (indexes, i), error))
      return FALSE;
  for (guint i = 0; i < triggers->len; i++)
    if (!_balise_store_exec (job->db, g_ptr_array_index (triggers, i), error))
      return FALSE;
  if (!rebuild_spatial_index (job, rtree_sql, error) ||
      !_balise_store_rebuild_feature_index (job->db, error) ||
      !flag_conflicts (job, error))
    return FALSE;
  g_debug ("Spatial index rebuilt in %.2f s", (g_get_monotonic_time () - start) / 1e6);

  now = _balise_store_now_iso8601 ();
  if (!_balise_store_prepare (job->db,
                              "INSERT OR REPLACE INTO meta (key, value) VALUES "
                              "('last_import', ?1), ('last_import_at', ?2)",
                              &meta, error))
    return FALSE;
  sqlite3_bind_text (meta, 1, job->path, -1, SQLITE_STATIC);
  sqlite3_bind_text (meta, 2, now, -1, SQLITE_STATIC);
  if (sqlite3_step (meta) != SQLITE_DONE)
    {
      _balise_store_set_error (error, job->db, "Could not record the import");
      return FALSE;
    }
  return TRUE;
}

static gboolean
import_func (BaliseStore   *self,
             sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  ImportJob *job = data;
  gboolean ok;

  memset (&job->stats, 0, sizeof job->stats);
  job->db = db;
  job->cancellable = cancellable;
  job->last_progress = g_get_monotonic_time ();
  job->node_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  job->node_lat = g_array_new (FALSE, FALSE, sizeof (gint32));
  job->node_lon = g_array_new (FALSE, FALSE, sizeof (gint32));
  job->nodes_unsorted = FALSE;
  job->nodes_ready = FALSE;
  job->flags = g_array_new (FALSE, FALSE, sizeof (UnsentEdit));
  job->flag_from = g_array_new (FALSE, FALSE, sizeof (gint64));
  job->blob = g_byte_array_sized_new (256);
  job->json = g_string_sized_new (256);
  job->nodes_json = g_string_sized_new (256);
  job->coords = g_array_new (FALSE, FALSE, sizeof (double));

  ok = import_run (job, error);
  import_job_reset (job);
  _balise_store_exec (db, "PRAGMA cache_size = -2000", NULL);
  return ok;
}

static ImportJob *
import_job_new (const char                *path,
                BaliseImportProgressFunc   progress,
                gpointer                   progress_data)
{
  ImportJob *job = g_new0 (ImportJob, 1);

  job->path = g_strdup (path);
  job->progress = progress;
  job->progress_data = progress_data;
  return job;
}

/**
 * balise_store_import_file:
 * @path: an .osm or .osm.pbf file (any name: the format is read from the content)
 *
 * Imports an extract in one transaction. On failure or cancellation the
 * store is left exactly as it was.
 */
gboolean
balise_store_import_file (BaliseStore               *self,
                          const char                *path,
                          BaliseImportProgressFunc   progress,
                          gpointer                   progress_data,
                          GCancellable              *cancellable,
                          BaliseImportStats         *stats_out,
                          GError                   **error)
{
  g_autoptr(ImportJob) job = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = import_job_new (path, progress, progress_data);
  if (!prepare_read_path (job, error))
    return FALSE;
  if (!_balise_store_write (self, import_func, job, cancellable, error))
    return FALSE;

  if (stats_out != NULL)
    *stats_out = job->stats;
  return TRUE;
}

/*
 * Async: the import runs on the store's writer thread, progress is sent to
 * the caller's main context.
 */

typedef struct
{
  GTask   *task;
  guint64  nodes;
  guint64  ways;
} ProgressUpdate;

static void
progress_update_free (ProgressUpdate *update)
{
  g_object_unref (update->task);
  g_free (update);
}

static gboolean
deliver_progress (gpointer data)
{
  ProgressUpdate *update = data;
  ImportJob *job = g_task_get_task_data (update->task);

  if (!g_task_get_completed (update->task) && job->caller_progress != NULL)
    job->caller_progress (update->nodes, update->ways, job->caller_progress_data);
  return G_SOURCE_REMOVE;
}

static void
forward_progress (ImportJob *job,
                  GTask     *task,
                  guint64    nodes,
                  guint64    ways)
{
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->task = g_object_ref (task);
  update->nodes = nodes;
  update->ways = ways;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, deliver_progress,
                              update, (GDestroyNotify) progress_update_free);
}

typedef struct
{
  ImportJob *job;
  GTask     *task;   /* not a reference: the task owns the job and outlives the run */
} AsyncRun;

static void
forward_progress_cb (guint64  nodes,
                     guint64  ways,
                     gpointer user_data)
{
  AsyncRun *run = user_data;

  forward_progress (run->job, run->task, nodes, ways);
}

static gboolean
import_async_func (BaliseStore   *self,
                   sqlite3       *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  AsyncRun *run = data;
  ImportJob *job = run->job;

  if (job->caller_progress != NULL)
    {
      job->progress = forward_progress_cb;
      job->progress_data = run;
    }
  return import_func (self, db, job, cancellable, error);
}

static void
import_async_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (_balise_store_write_finish (BALISE_STORE (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
balise_store_import_file_async (BaliseStore               *self,
                                const char                *path,
                                BaliseImportProgressFunc   progress,
                                gpointer                   progress_data,
                                GDestroyNotify             progress_data_free,
                                GCancellable              *cancellable,
                                GAsyncReadyCallback        callback,
                                gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ImportJob *job;
  AsyncRun *run;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (path != NULL);

  job = import_job_new (path, NULL, NULL);
  job->caller_progress = progress;
  job->caller_progress_data = progress_data;
  job->progress_data_free = progress_data_free;
  job->context = g_main_context_ref_thread_default ();
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_import_file_async);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);

  if (!prepare_read_path (job, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run = g_new0 (AsyncRun, 1);
  run->job = job;
  run->task = task;
  _balise_store_write_async (self, import_async_func, run, g_free, cancellable,
                             import_async_done, g_object_ref (task));
}

gboolean
balise_store_import_file_finish (BaliseStore        *self,
                                 GAsyncResult       *result,
                                 BaliseImportStats  *stats_out,
                                 GError            **error)
{
  ImportJob *job;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  job = g_task_get_task_data (G_TASK (result));
  if (stats_out != NULL)
    *stats_out = job->stats;
  return TRUE;
}

gboolean
balise_store_is_empty (BaliseStore  *self,
                       GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db, "SELECT NOT EXISTS (SELECT 1 FROM element)", &stmt, error))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not read the database");
      return FALSE;
    }
  return sqlite3_column_int (stmt, 0) != 0;
}

void
balise_count_free (BaliseCount *count)
{
  if (count == NULL)
    return;
  g_free (count->name);
  g_free (count);
}

static GPtrArray *
count_rows (BaliseStore  *self,
            const char   *sql,
            GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_count_free);
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db, sql, &stmt, error))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BaliseCount *count = g_new0 (BaliseCount, 1);

      count->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      count->count = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (counts, count);
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not count");
      return NULL;
    }
  return g_steal_pointer (&counts);
}

GPtrArray *
balise_store_count_categories (BaliseStore  *self,
                               GError      **error)
{
  return count_rows (self,
                     "SELECT coalesce (category, 'none'), count(*) AS n FROM element "
                     "GROUP BY category ORDER BY n DESC, category",
                     error);
}

GPtrArray *
balise_store_count_edit_statuses (BaliseStore  *self,
                                  GError      **error)
{
  return count_rows (self,
                     "SELECT status, count(*) AS n FROM edit GROUP BY status ORDER BY n DESC, status",
                     error);
}

GPtrArray *
balise_store_count_element_types (BaliseStore  *self,
                                  GError      **error)
{
  return count_rows (self,
                     "SELECT osm_type, count(*) AS n FROM element GROUP BY osm_type "
                     "ORDER BY n DESC, osm_type",
                     error);
}
