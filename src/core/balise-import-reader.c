/* balise-import-reader.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-import"

#include "config.h"

#include <math.h>
#include <readosm.h>
#include <string.h>

#include "balise-category.h"
#include "balise-import-reader.h"
#include "balise-store-private.h"
#include "balise-tags.h"
#include "balise-way-nodes.h"

/* How the reader works
 *
 * The parser (libreadosm, for .osm.pbf and .osm) calls us
 * back for every node, way and relation, on the reader's thread. We keep:
 *
 *  - every tagged node, as a feature row (category, name and ref derived
 *    from its tags);
 *  - the ways a map needs (roads, buildings, land use, water, railways and
 *    every tagged way with a category), with their shape (LINESTRING, or
 *    POLYGON for closed areas) and a representative point.
 *
 * Building a way's shape needs the coordinates of its nodes, which come
 * earlier in the file (extracts are sorted nodes, ways, relations). So we
 * keep a compact map of every node: a sorted array of 64-bit ids and, in
 * the same order, one of 32-bit fixed-point coordinates (1e-7 degrees, OSM's
 * own precision) with each node's version (a way's node list keeps them,
 * for the .osm export): 20 bytes a node, 27 MB for the 1.34 M nodes of the 14 MB
 * benchmark file. That is the only memory that grows with the file; rows go
 * to the writer in chunks, at most CHUNKS_IN_FLIGHT at a time. An unsorted
 * file (ids going down) is sorted once before the first way; ways that
 * come before their nodes are skipped and counted, like ways whose nodes
 * are missing from a cut extract.
 *
 * Geometries are assembled here as SpatiaLite BLOBs and tags as JSON, so
 * SQLite never parses WKT, WKB or JSON during an import.
 */

#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)
#define FIXED_SCALE          1e7
#define CHUNKS_IN_FLIGHT     4
#define CHUNK_ROWS           2048
#define CHUNK_BYTES          (2 * 1024 * 1024)

/* Buffers to build one way's geometry in: one set for each thread. */
typedef struct
{
  GByteArray *point;
  GByteArray *shape;
  GByteArray *nodes;              /* balise-way-nodes.h */
  GArray     *coords;             /* double x, y pairs */
} WayScratch;

struct _BaliseImportReader
{
  char                     *path;          /* as the caller named it, for messages */
  char                     *read_path;     /* what readosm opens */
  GHashTable               *unsent_nodes;  /* osm_id → GArray of BaliseUnsentEdit */
  GHashTable               *unsent_ways;
  BaliseImportProgressFunc  progress;
  gpointer                  progress_data;
  GCancellable             *cancellable;

  GThread                  *thread;
  GAsyncQueue              *full;          /* chunks for the writer, then the end mark */
  GAsyncQueue              *empty;         /* chunks to fill */
  BaliseImportChunk        *filling;
  gint                      stop;          /* atomic: the writer gave up */
  gboolean                  ended;         /* the writer saw the end mark */

  /* Owned by the reading thread until it ends */
  int                       rc;
  GError                   *error;         /* why a callback aborted the parse */
  gint64                    last_progress;
  GArray                   *node_ids;      /* gint64, ascending once sorted */
  GArray                   *node_data;     /* NodeData, in the order of node_ids */
  gboolean                  nodes_unsorted;
  gboolean                  nodes_ready;
  GArray                   *flags;         /* BaliseImportFlag */
  guint64                   nodes_after_ways;
  GByteArray               *blob;
  GPtrArray                *pairs;         /* the element's tags, see view_tags() */
  GString                  *json;
  BaliseImportStats         stats;

  /* Way geometry is built from the node map, which the reading thread no
   * longer changes once the first way has come (the chunk queue orders
   * the two): on the writer's thread, or on the reading thread while the
   * writer is behind. Each has its own buffers and counts. */
  WayScratch                reader_scratch;
  WayScratch                writer_scratch;
  guint64                   reader_ways_kept;
  guint64                   reader_ways_skipped;
  guint64                   ways_kept;
  guint64                   ways_skipped;
};

/* Pushed after the last chunk. */
static BaliseImportChunk end_mark;

/*
 * Messages
 */

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

/* What a way needs of a node, in one place: one cache line to read, not
 * three. The ids are apart, for the search. */
typedef struct
{
  gint32  lat;       /* 1e-7 degrees */
  gint32  lon;
  guint32 version;
} NodeData;

typedef struct
{
  gint64   id;
  NodeData data;
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
sort_nodes (BaliseImportReader *reader)
{
  guint n = reader->node_ids->len;
  g_autofree NodeEntry *entries = NULL;

  if (!reader->nodes_unsorted)
    return;

  entries = g_new (NodeEntry, n);
  for (guint i = 0; i < n; i++)
    {
      entries[i].id = g_array_index (reader->node_ids, gint64, i);
      entries[i].data = g_array_index (reader->node_data, NodeData, i);
    }
  g_qsort_with_data (entries, n, sizeof (NodeEntry), compare_node_entries, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_array_index (reader->node_ids, gint64, i) = entries[i].id;
      g_array_index (reader->node_data, NodeData, i) = entries[i].data;
    }
  reader->nodes_unsorted = FALSE;
}

/* Finds node @id, searching first near *@hint (where the way's previous
 * node was found; G_MAXUINT: nowhere yet), and sets *@hint to where it is.
 * The nodes of a way mostly have near ids, often consecutive ones, so a
 * gallop from there touches a few cache lines where a binary search over
 * the whole map touches twenty. */
static gboolean
lookup_node (BaliseImportReader *reader,
             gint64              id,
             guint              *hint,
             double             *lon,
             double             *lat,
             guint32            *version)
{
  const gint64 *ids = (const gint64 *) (gpointer) reader->node_ids->data;
  guint len = reader->node_ids->len;
  guint lo = 0, hi = len;
  guint at = *hint;

  /* Bracket @id between lo and hi by steps of 1, 2, 4… from the hint. */
  if (at < len && ids[at] < id)
    {
      guint step = 1;

      lo = at + 1;
      while (lo + step < len && ids[lo + step - 1] < id)
        {
          lo += step;
          step *= 2;
        }
      hi = MIN (lo + step, len);
    }
  else if (at < len)
    {
      guint step = 1;

      hi = at + 1;
      while (hi > step && ids[hi - step - 1] >= id)
        {
          hi -= step;
          step *= 2;
        }
      lo = hi > step ? hi - step : 0;
    }

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (ids[mid] < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo >= len || ids[lo] != id)
    return FALSE;

  *hint = lo;
  {
    const NodeData *data = &g_array_index (reader->node_data, NodeData, lo);

    *lat = data->lat / FIXED_SCALE;
    *lon = data->lon / FIXED_SCALE;
    *version = data->version;
  }
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

/* An element's tags as key, value, key, value… sorted by key, pointing
 * into readosm's strings: no copy, no allocation once the array has grown.
 * A key given twice keeps its last value, as balise_tags_set() would. */
static void
view_tags (BaliseImportReader *reader,
           int                 count,
           const readosm_tag  *tags)
{
  GPtrArray *pairs = reader->pairs;

  g_ptr_array_set_size (pairs, 0);
  for (int i = 0; i < count; i++)
    {
      const char *key = tags[i].key;
      guint pos;

      if (key == NULL || tags[i].value == NULL)
        continue;
      pos = pairs->len / 2;
      while (pos > 0 && strcmp (key, pairs->pdata[2 * (pos - 1)]) < 0)
        pos--;
      if (pos > 0 && strcmp (key, pairs->pdata[2 * (pos - 1)]) == 0)
        {
          pairs->pdata[2 * (pos - 1) + 1] = (gpointer) tags[i].value;
          continue;
        }
      g_ptr_array_insert (pairs, 2 * pos, (gpointer) tags[i].value);
      g_ptr_array_insert (pairs, 2 * pos, (gpointer) key);
    }
}

static const char *
lookup_tag (BaliseImportReader *reader,
            const char         *key)
{
  GPtrArray *pairs = reader->pairs;

  for (guint i = 0; i < pairs->len; i += 2)
    if (strcmp (pairs->pdata[i], key) == 0)
      return pairs->pdata[i + 1];
  return NULL;
}

static const char *
category_of_tags (BaliseImportReader *reader)
{
  return balise_osm_category_for_pairs ((const char * const *) reader->pairs->pdata,
                                        reader->pairs->len / 2);
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
tags_to_json (GString   *json,
              GPtrArray *pairs)
{
  g_string_truncate (json, 0);
  g_string_append_c (json, '{');
  for (guint i = 0; i < pairs->len; i += 2)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      json_append_string (json, pairs->pdata[i]);
      g_string_append_c (json, ':');
      json_append_string (json, pairs->pdata[i + 1]);
    }
  g_string_append_c (json, '}');
}

static gboolean
way_is_area (BaliseImportReader *reader)
{
  static const char * const area_keys[] = {
    "building", "landuse", "natural", "amenity", "leisure", "shop", "tourism",
    "water", "place", "man_made", "military", "aeroway", "historic",
  };
  const char *area = lookup_tag (reader, "area");
  const char *natural;
  const char *waterway;

  if (area != NULL)
    return !g_str_equal (area, "no");

  natural = lookup_tag (reader, "natural");
  if (natural != NULL && (g_str_equal (natural, "coastline") || g_str_equal (natural, "tree_row") ||
                          g_str_equal (natural, "cliff") || g_str_equal (natural, "ridge")))
    return FALSE;
  waterway = lookup_tag (reader, "waterway");
  if (waterway != NULL && (g_str_equal (waterway, "riverbank") || g_str_equal (waterway, "dock")))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (area_keys); i++)
    {
      const char *value = lookup_tag (reader, area_keys[i]);

      if (value != NULL && !g_str_equal (value, "no"))
        return TRUE;
    }
  return FALSE;
}


/*
 * Chunks
 */

static BaliseImportChunk *
chunk_new (void)
{
  BaliseImportChunk *chunk = g_new0 (BaliseImportChunk, 1);

  chunk->rows = g_array_sized_new (FALSE, FALSE, sizeof (BaliseImportRow), CHUNK_ROWS);
  chunk->data = g_byte_array_sized_new (CHUNK_BYTES + 64 * 1024);
  return chunk;
}

static void
chunk_free (BaliseImportChunk *chunk)
{
  if (chunk == NULL || chunk == &end_mark)
    return;
  g_array_unref (chunk->rows);
  g_byte_array_unref (chunk->data);
  g_free (chunk);
}

/* Hands the chunk being filled to the writer. */
static void
flush_chunk (BaliseImportReader *reader)
{
  if (reader->filling == NULL)
    return;
  if (reader->filling->rows->len == 0)
    {
      g_async_queue_push (reader->empty, g_steal_pointer (&reader->filling));
      return;
    }
  g_async_queue_push (reader->full, g_steal_pointer (&reader->filling));
}

/* A new row in the chunk being filled, waiting for a free chunk if the
 * writer is behind. */
static BaliseImportRow *
begin_row (BaliseImportReader *reader,
           BaliseOsmType       type,
           gint64              id,
           int                 version,
           long long           changeset)
{
  BaliseImportRow *row;

  if (reader->filling != NULL &&
      (reader->filling->rows->len >= CHUNK_ROWS || reader->filling->data->len >= CHUNK_BYTES))
    flush_chunk (reader);
  if (reader->filling == NULL)
    {
      reader->filling = g_async_queue_pop (reader->empty);
      g_array_set_size (reader->filling->rows, 0);
      g_byte_array_set_size (reader->filling->data, 0);
    }

  g_array_set_size (reader->filling->rows, reader->filling->rows->len + 1);
  row = &g_array_index (reader->filling->rows, BaliseImportRow, reader->filling->rows->len - 1);
  memset (row, 0, sizeof *row);
  row->type = type;
  row->id = id;
  row->version = version > 0 ? version : 0;
  row->changeset = changeset > 0 ? changeset : 0;
  row->timestamp_len = row->user_len = row->tags_len = row->category_len = -1;
  row->name_len = row->ref_len = row->geom_len = -1;
  return row;
}

/* Copies @len bytes (a string when @len is -1; nothing for NULL), NUL-terminated. */
static void
put_value (BaliseImportReader *reader,
           const void         *value,
           gssize              len,
           guint32            *offset,
           gint32             *len_out)
{
  GByteArray *data = reader->filling->data;
  static const guint8 nul = 0;

  if (value == NULL)
    return;
  if (len < 0)
    len = strlen (value);
  *offset = data->len;
  *len_out = (gint32) len;
  g_byte_array_append (data, value, len);
  g_byte_array_append (data, &nul, 1);
}

static void
put_string (BaliseImportReader *reader,
            const char         *value,
            guint32            *offset,
            gint32             *len_out)
{
  put_value (reader, value != NULL && value[0] != '\0' ? value : NULL, -1, offset, len_out);
}

static void
put_metadata (BaliseImportReader *reader,
              BaliseImportRow    *row,
              const char         *timestamp,
              const char         *user)
{
  put_string (reader, timestamp, &row->timestamp, &row->timestamp_len);
  put_string (reader, user, &row->user, &row->user_len);
}

static void
put_tags (BaliseImportReader *reader,
          BaliseImportRow    *row,
          const char         *category)
{
  tags_to_json (reader->json, reader->pairs);
  put_value (reader, reader->json->str, reader->json->len, &row->tags, &row->tags_len);
  put_string (reader, category, &row->category, &row->category_len);
  put_string (reader, lookup_tag (reader, "name"), &row->name, &row->name_len);
  put_string (reader, lookup_tag (reader, "ref"), &row->ref, &row->ref_len);
}

static void
check_unsent (BaliseImportReader *reader,
              GHashTable         *unsent,
              gint64              id,
              int                 version)
{
  GArray *edits;

  if (unsent == NULL || version <= 0)
    return;
  edits = g_hash_table_lookup (unsent, &id);
  if (edits == NULL)
    return;

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseUnsentEdit *edit = &g_array_index (edits, BaliseUnsentEdit, i);

      if (edit->base_version > 0 && version > edit->base_version)
        {
          BaliseImportFlag flag = { edit->edit_id, edit->base_version, version };

          g_array_append_val (reader->flags, flag);
        }
    }
}

/* Reports progress, and notices cancellation or a writer that gave up, at
 * most ten times a second. */
static int
tick (BaliseImportReader *reader)
{
  guint64 count = reader->stats.nodes_read + reader->stats.ways_read + reader->stats.relations_read;
  gint64 now;

  if ((count & 1023) != 0)
    return READOSM_OK;

  if (g_atomic_int_get (&reader->stop))
    return READOSM_ABORT;
  if (g_cancellable_set_error_if_cancelled (reader->cancellable, &reader->error))
    return READOSM_ABORT;

  now = g_get_monotonic_time ();
  if (reader->progress != NULL && now - reader->last_progress >= PROGRESS_INTERVAL_US)
    {
      reader->last_progress = now;
      reader->progress (reader->stats.nodes_read, reader->stats.ways_read, reader->progress_data);
      if (g_cancellable_set_error_if_cancelled (reader->cancellable, &reader->error))
        return READOSM_ABORT;
    }
  return READOSM_OK;
}

/*
 * Way geometry
 */

static void
way_scratch_init (WayScratch *scratch)
{
  scratch->point = g_byte_array_sized_new (64);
  scratch->shape = g_byte_array_sized_new (1024);
  scratch->nodes = g_byte_array_sized_new (1024);
  scratch->coords = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
way_scratch_clear (WayScratch *scratch)
{
  g_byte_array_unref (scratch->point);
  g_byte_array_unref (scratch->shape);
  g_byte_array_unref (scratch->nodes);
  g_array_unref (scratch->coords);
}

/* @refs may be unaligned (in a chunk). FALSE when a node is missing. */
static gboolean
build_way (BaliseImportReader *reader,
           WayScratch         *scratch,
           const guint8       *refs,
           int                 n_refs,
           gboolean            area,
           BaliseImportWay    *out)
{
  GArray *coords = scratch->coords;
  GByteArray *nodes = scratch->nodes;
  gint64 previous = 0;
  guint hint = G_MAXUINT;
  const double *xy;
  double rx, ry;
  guint n;

  g_array_set_size (coords, 0);
  g_byte_array_set_size (nodes, 0);
  for (int i = 0; i < n_refs; i++)
    {
      gint64 ref;
      double c[2];
      guint32 version;

      memcpy (&ref, refs + i * sizeof (gint64), sizeof ref);
      if (!lookup_node (reader, ref, &hint, &c[0], &c[1], &version))
        return FALSE;
      g_array_append_vals (coords, c, 2);
      _balise_way_nodes_append (nodes, &previous, ref, version);
    }

  n = coords->len / 2;
  xy = (const double *) (gpointer) coords->data;
  if (area)
    ring_centroid (xy, n, &rx, &ry);
  else
    {
      rx = xy[2 * (n / 2)];
      ry = xy[2 * (n / 2) + 1];
    }

  blob_point (scratch->point, rx, ry);
  blob_shape (scratch->shape, area, xy, n);
  out->geom = scratch->point->data;
  out->geom_len = scratch->point->len;
  out->nodes = nodes->data;
  out->nodes_len = nodes->len;
  out->shape = scratch->shape->data;
  out->shape_len = scratch->shape->len;
  out->x = rx;
  out->y = ry;
  return TRUE;
}

/*
 * readosm's callbacks
 */

static int
on_node (const void         *user_data,
         const readosm_node *node)
{
  BaliseImportReader *reader = (BaliseImportReader *) user_data;
  gint64 id = node->id;
  gint32 lat = (gint32) lround (node->latitude * FIXED_SCALE);
  gint32 lon = (gint32) lround (node->longitude * FIXED_SCALE);
  guint32 version = node->version > 0 ? (guint32) node->version : 0;

  reader->stats.nodes_read++;

  /* The writer reads the node map from the first way on. */
  if (reader->nodes_ready)
    reader->nodes_after_ways++;
  else if (reader->node_ids->len > 0 &&
      id <= g_array_index (reader->node_ids, gint64, reader->node_ids->len - 1))
    reader->nodes_unsorted = TRUE;
  if (!reader->nodes_ready)
    {
      NodeData data = { lat, lon, version };

      g_array_append_val (reader->node_ids, id);
      g_array_append_val (reader->node_data, data);
    }

  if (node->tag_count > 0)
    {
      BaliseImportRow *row = begin_row (reader, BALISE_OSM_NODE, id, node->version, node->changeset);

      view_tags (reader, node->tag_count, node->tags);
      row->x = lon / FIXED_SCALE;
      row->y = lat / FIXED_SCALE;
      put_metadata (reader, row, node->timestamp, node->user);
      put_tags (reader, row, category_of_tags (reader));
      blob_point (reader->blob, row->x, row->y);
      put_value (reader, reader->blob->data, reader->blob->len, &row->geom, &row->geom_len);
      reader->stats.features++;
      check_unsent (reader, reader->unsent_nodes, id, node->version);
    }

  return tick (reader);
}

static int
on_way (const void        *user_data,
        const readosm_way *way)
{
  BaliseImportReader *reader = (BaliseImportReader *) user_data;
  BaliseImportRow *row;
  const char *category;
  BaliseImportWay built = { NULL, };
  gboolean area;
  gint32 refs_len;

  reader->stats.ways_read++;

  if (!reader->nodes_ready)
    {
      sort_nodes (reader);
      reader->nodes_ready = TRUE;
    }

  if (way->tag_count == 0 || way->node_ref_count < 2)
    return tick (reader);

  view_tags (reader, way->tag_count, way->tags);
  category = category_of_tags (reader);
  if (category == NULL && lookup_tag (reader, "water") == NULL)
    return tick (reader);

  area = way->node_ref_count >= 4 &&
         way->node_refs[0] == way->node_refs[way->node_ref_count - 1] &&
         way_is_area (reader);

  /* When the writer has chunks waiting, build the geometry here rather
   * than wait for a free chunk. */
  if (g_async_queue_length (reader->full) >= 2)
    {
      if (!build_way (reader, &reader->reader_scratch, (const guint8 *) way->node_refs,
                      way->node_ref_count, area, &built))
        {
          reader->reader_ways_skipped++;
          return tick (reader);
        }
      reader->reader_ways_kept++;
    }

  row = begin_row (reader, BALISE_OSM_WAY, way->id, way->version, way->changeset);
  put_metadata (reader, row, way->timestamp, way->user);
  put_tags (reader, row, category);
  row->area = area;
  if (built.geom != NULL)
    {
      row->built = TRUE;
      row->x = built.x;
      row->y = built.y;
      put_value (reader, built.geom, built.geom_len, &row->geom, &row->geom_len);
      put_value (reader, built.nodes, built.nodes_len, &row->nodes, &row->nodes_len);
      put_value (reader, built.shape, built.shape_len, &row->shape, &row->shape_len);
    }
  else
    {
      row->n_refs = way->node_ref_count;
      put_value (reader, way->node_refs, (gssize) way->node_ref_count * sizeof (gint64),
                 &row->refs, &refs_len);
    }

  check_unsent (reader, reader->unsent_ways, way->id, way->version);
  return tick (reader);
}

gboolean
_balise_import_reader_build_way (BaliseImportReader      *reader,
                                 const BaliseImportChunk *chunk,
                                 const BaliseImportRow   *row,
                                 BaliseImportWay         *out)
{
  const guint8 *data = chunk->data->data;

  if (row->built)
    {
      out->geom = data + row->geom;
      out->geom_len = row->geom_len;
      out->nodes = data + row->nodes;
      out->nodes_len = row->nodes_len;
      out->shape = data + row->shape;
      out->shape_len = row->shape_len;
      out->x = row->x;
      out->y = row->y;
      return TRUE;
    }

  if (!build_way (reader, &reader->writer_scratch, data + row->refs, row->n_refs, row->area, out))
    {
      reader->ways_skipped++;
      return FALSE;
    }
  reader->ways_kept++;
  return TRUE;
}

static int
on_relation (const void             *user_data,
             const readosm_relation *relation)
{
  BaliseImportReader *reader = (BaliseImportReader *) user_data;

  reader->stats.relations_read++;
  return tick (reader);
}

/*
 * The reading thread
 */

static gpointer
read_thread (gpointer data)
{
  BaliseImportReader *reader = data;
  const void *handle = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu = _balise_thread_cpu_seconds ();

  reader->rc = readosm_open (reader->read_path, &handle);
  if (reader->rc == READOSM_OK)
    reader->rc = readosm_parse (handle, reader, on_node, on_way, on_relation);
  readosm_close (handle);
  g_debug ("Parsed in %.2f s (%.2f s CPU)", (g_get_monotonic_time () - start) / 1e6,
           _balise_thread_cpu_seconds () - cpu);

  flush_chunk (reader);
  g_async_queue_push (reader->full, &end_mark);

  return NULL;
}

BaliseImportReader *
_balise_import_reader_start (const char                *path,
                             const char                *read_path,
                             GHashTable                *unsent_nodes,
                             GHashTable                *unsent_ways,
                             BaliseImportProgressFunc   progress,
                             gpointer                   progress_data,
                             GCancellable              *cancellable)
{
  BaliseImportReader *reader = g_new0 (BaliseImportReader, 1);

  reader->path = g_strdup (path);
  reader->read_path = g_strdup (read_path);
  reader->unsent_nodes = unsent_nodes != NULL ? g_hash_table_ref (unsent_nodes) : NULL;
  reader->unsent_ways = unsent_ways != NULL ? g_hash_table_ref (unsent_ways) : NULL;
  reader->progress = progress;
  reader->progress_data = progress_data;
  reader->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  reader->last_progress = g_get_monotonic_time ();

  reader->full = g_async_queue_new ();
  reader->empty = g_async_queue_new ();
  for (guint i = 0; i < CHUNKS_IN_FLIGHT; i++)
    g_async_queue_push (reader->empty, chunk_new ());

  reader->node_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  reader->node_data = g_array_new (FALSE, FALSE, sizeof (NodeData));
  reader->flags = g_array_new (FALSE, FALSE, sizeof (BaliseImportFlag));
  reader->blob = g_byte_array_sized_new (256);
  reader->pairs = g_ptr_array_sized_new (32);
  reader->json = g_string_sized_new (256);
  way_scratch_init (&reader->reader_scratch);
  way_scratch_init (&reader->writer_scratch);

  reader->thread = g_thread_new ("balise-import", read_thread, reader);
  return reader;
}

BaliseImportChunk *
_balise_import_reader_next (BaliseImportReader *reader)
{
  BaliseImportChunk *chunk;

  if (reader->ended)
    return NULL;
  chunk = g_async_queue_pop (reader->full);
  if (chunk == &end_mark)
    {
      reader->ended = TRUE;
      return NULL;
    }
  return chunk;
}

void
_balise_import_reader_release (BaliseImportReader *reader,
                               BaliseImportChunk  *chunk)
{
  g_async_queue_push (reader->empty, chunk);
}

gboolean
_balise_import_reader_finish (BaliseImportReader  *reader,
                              gboolean             abort,
                              BaliseImportStats   *stats,
                              GArray             **flags,
                              GError             **error)
{
  BaliseImportChunk *chunk;
  gboolean ok = TRUE;

  /* The reading thread may be waiting for a free chunk: release every
   * chunk it sends until its end mark. */
  if (abort)
    g_atomic_int_set (&reader->stop, 1);
  while ((chunk = _balise_import_reader_next (reader)) != NULL)
    _balise_import_reader_release (reader, chunk);
  g_thread_join (g_steal_pointer (&reader->thread));

  if (!abort)
    {
      if (reader->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&reader->error));
          ok = FALSE;
        }
      else if (reader->rc != READOSM_OK)
        {
          g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                       "Could not import “%s”: %s", reader->path, readosm_error_message (reader->rc));
          ok = FALSE;
        }
      else if (reader->stats.nodes_read + reader->stats.ways_read + reader->stats.relations_read == 0)
        {
          g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                       "Could not import “%s”: the file holds no OpenStreetMap data", reader->path);
          ok = FALSE;
        }
    }

  if (reader->nodes_after_ways > 0)
    g_debug ("%" G_GUINT64_FORMAT " nodes came after the first way: ways cannot use them",
             reader->nodes_after_ways);
  reader->stats.ways_kept = reader->ways_kept + reader->reader_ways_kept;
  reader->stats.ways_skipped_missing_nodes = reader->ways_skipped + reader->reader_ways_skipped;
  if (stats != NULL)
    *stats = reader->stats;
  if (flags != NULL)
    *flags = g_steal_pointer (&reader->flags);

  while ((chunk = g_async_queue_try_pop (reader->empty)) != NULL)
    chunk_free (chunk);
  chunk_free (reader->filling);
  g_async_queue_unref (reader->full);
  g_async_queue_unref (reader->empty);
  g_clear_pointer (&reader->flags, g_array_unref);
  g_byte_array_unref (reader->blob);
  g_ptr_array_unref (reader->pairs);
  g_string_free (reader->json, TRUE);
  way_scratch_clear (&reader->reader_scratch);
  way_scratch_clear (&reader->writer_scratch);
  g_clear_pointer (&reader->node_ids, g_array_unref);
  g_clear_pointer (&reader->node_data, g_array_unref);
  g_clear_pointer (&reader->unsent_nodes, g_hash_table_unref);
  g_clear_pointer (&reader->unsent_ways, g_hash_table_unref);
  g_clear_object (&reader->cancellable);
  g_clear_error (&reader->error);
  g_free (reader->path);
  g_free (reader->read_path);
  g_free (reader);
  return ok;
}
