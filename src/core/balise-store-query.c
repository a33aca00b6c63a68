/* balise-store-query.c: viewport, clusters, search and nearby features
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "balise-category.h"
#include "balise-rtree-load.h"
#include "balise-store-private.h"
#include "balise-store-query.h"
#include "balise-text.h"

/* Every query here reads the base copy through the read connection and lays
 * the journal over it in C: the unsent edits are few (hundreds), the base
 * rows many. The base rows that an edit targets are skipped in SQL order
 * and replaced by the edit's effective feature, so that the viewport, the
 * clusters and the search agree on one definition of a feature. */

#define FEATURE_CATEGORY_SQL BALISE_STORE_FEATURE_CATEGORY_SQL ("")

#define FEATURE_COLUMNS \
  "osm_type, osm_id, version, geom, NULL, category, name, ref, tags"

#define UNSENT_STATUSES \
  "('pending', 'approved', 'uploading', 'failed', 'conflict', 'has_issues')"

#define METRES_PER_DEGREE 111320.0

/*
 * BaliseFeature
 */

G_DEFINE_BOXED_TYPE (BaliseFeature, balise_feature, balise_feature_ref, balise_feature_unref)

BaliseFeature *
balise_feature_new (void)
{
  BaliseFeature *self = g_new0 (BaliseFeature, 1);

  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

BaliseFeature *
balise_feature_ref (BaliseFeature *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
balise_feature_unref (BaliseFeature *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->name);
      g_free (self->ref);
      g_free (self->edit_uuid);
      g_clear_pointer (&self->tags, balise_tags_unref);
      g_free (self);
    }
}

static const char * const status_names[] = {
  "clean", "new", "modified", "deleted", "conflict", "uploaded",
};

const char *
balise_feature_status_to_string (BaliseFeatureStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

gboolean
balise_feature_status_from_string (const char          *str,
                                   BaliseFeatureStatus *status)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (status_names); i++)
    {
      if (g_str_equal (str, status_names[i]))
        {
          *status = (BaliseFeatureStatus) i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
balise_category_is_basemap (const char *category)
{
  static const char * const basemap[] = {
    "road", "building", "water", "landuse", "railway", "place",
  };

  for (guint i = 0; i < G_N_ELEMENTS (basemap); i++)
    if (g_strcmp0 (category, basemap[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_feature_category (const char *category)
{
  return category != NULL && !balise_category_is_basemap (category);
}

/*
 * The journal's overlay
 */

typedef struct
{
  BaliseOsmType     osm_type;
  gint64            osm_id;
  BaliseEditKind    kind;
  BaliseEditStatus  status;
  char             *new_tags;    /* JSON, NULL for a delete */
  gboolean          has_position;
  double            lat;
  double            lon;
} OverlayEdit;

static void
overlay_edit_free (OverlayEdit *edit)
{
  g_free (edit->new_tags);
  g_free (edit);
}

static char *
target_key (BaliseOsmType type,
            gint64        id)
{
  return g_strdup_printf ("%d:%" G_GINT64_FORMAT, (int) type, id);
}

/* The latest standing edit of every target (undone, rejected and draft
 * edits do not stand), when it is not uploaded yet; keyed by target_key(). */
static GHashTable *
load_overlay (sqlite3  *db,
              GError  **error)
{
  g_autoptr(GHashTable) overlay = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_balise_store_prepare (db,
                              "SELECT kind, osm_type, osm_id, new_tags, lat, lon, status FROM edit "
                              "WHERE id IN (SELECT max(id) FROM edit WHERE status IN "
                              BALISE_STORE_LIVE_STATUSES " AND kind != 'note' "
                              "GROUP BY osm_type, osm_id) AND status IN " UNSENT_STATUSES,
                              &stmt, error))
    return NULL;

  overlay = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) overlay_edit_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OverlayEdit *edit = g_new0 (OverlayEdit, 1);

      balise_edit_kind_from_string ((const char *) sqlite3_column_text (stmt, 0), &edit->kind);
      balise_osm_type_from_string ((const char *) sqlite3_column_text (stmt, 1), &edit->osm_type);
      edit->osm_id = sqlite3_column_int64 (stmt, 2);
      edit->new_tags = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      edit->has_position = sqlite3_column_type (stmt, 4) != SQLITE_NULL &&
                           sqlite3_column_type (stmt, 5) != SQLITE_NULL;
      edit->lat = sqlite3_column_double (stmt, 4);
      edit->lon = sqlite3_column_double (stmt, 5);
      balise_edit_status_from_string ((const char *) sqlite3_column_text (stmt, 6), &edit->status);

      g_hash_table_insert (overlay, target_key (edit->osm_type, edit->osm_id), edit);
    }

  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return NULL;
    }

  return g_steal_pointer (&overlay);
}

/* The overlay of the read connection, kept while nothing is committed to
 * the database: PRAGMA data_version tells. Its query builds and drops
 * temporary B-trees (the IN lists, the GROUP BY), and the memory they give
 * back makes malloc trim the heap, a TLB flush on every CPU of the process:
 * on the 1 M-element benchmark that was a third of the viewport queries'
 * time, and most of it at zoom 17. Panning does not change the journal.
 * The search, on a connection of its own, reads it afresh. */
typedef struct
{
  gint64      data_version;
  GHashTable *overlay;
} OverlayCache;

static GMutex overlay_cache_lock;

static void
overlay_cache_free (OverlayCache *cache)
{
  g_clear_pointer (&cache->overlay, g_hash_table_unref);
  g_free (cache);
}

static GHashTable *
get_overlay (BaliseStore  *self,
             sqlite3      *db,
             GError      **error)
{
  static GQuark quark;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  OverlayCache *cache;
  GHashTable *overlay;
  gint64 data_version;

  if (db != _balise_store_get_read_db (self))
    return load_overlay (db, error);

  if (!_balise_store_prepare (db, "PRAGMA data_version", &stmt, error))
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return NULL;
    }
  data_version = sqlite3_column_int64 (stmt, 0);

  g_mutex_lock (&overlay_cache_lock);
  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("balise-store-query-overlay");
  cache = g_object_get_qdata (G_OBJECT (self), quark);
  if (cache != NULL && cache->data_version == data_version)
    {
      overlay = g_hash_table_ref (cache->overlay);
      g_mutex_unlock (&overlay_cache_lock);
      return overlay;
    }
  g_mutex_unlock (&overlay_cache_lock);

  overlay = load_overlay (db, error);
  if (overlay == NULL)
    return NULL;

  g_mutex_lock (&overlay_cache_lock);
  cache = g_new0 (OverlayCache, 1);
  cache->data_version = data_version;
  cache->overlay = g_hash_table_ref (overlay);
  g_object_set_qdata_full (G_OBJECT (self), quark, cache, (GDestroyNotify) overlay_cache_free);
  g_mutex_unlock (&overlay_cache_lock);
  return overlay;
}

static BaliseTags *
tags_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  BaliseTags *tags;

  if (json == NULL)
    return balise_tags_new ();

  tags = balise_tags_new_from_json (json, &error);
  if (tags == NULL)
    {
      g_warning ("Ignoring unreadable tags: %s", error->message);
      tags = balise_tags_new ();
    }
  return tags;
}

/* The position of a SpatiaLite POINT blob, read in place rather than with
 * X() and Y(), which cost two SQL function calls a row. The blob starts
 * 0x00, byte order, SRID (4 bytes), then its MBR as four doubles: minimum
 * X, minimum Y, …; for a point these are its X and Y. */
static void
point_from_blob (sqlite3_stmt *stmt,
                 int           column,
                 double       *lat,
                 double       *lon)
{
  const guint8 *blob = sqlite3_column_blob (stmt, column);
  int size = sqlite3_column_bytes (stmt, column);
  guint64 x_bits, y_bits;

  *lat = *lon = 0;
  if (blob == NULL || size < 60 || blob[0] != 0x00 || (blob[1] != 0x00 && blob[1] != 0x01))
    return;

  memcpy (&x_bits, blob + 6, sizeof x_bits);
  memcpy (&y_bits, blob + 14, sizeof y_bits);
  if ((blob[1] == 0x01) != (G_BYTE_ORDER == G_LITTLE_ENDIAN))
    {
      x_bits = GUINT64_SWAP_LE_BE (x_bits);
      y_bits = GUINT64_SWAP_LE_BE (y_bits);
    }
  memcpy (lon, &x_bits, sizeof *lon);
  memcpy (lat, &y_bits, sizeof *lat);
}

/* A feature from a row of FEATURE_COLUMNS. */
static BaliseFeature *
feature_from_row (sqlite3_stmt *stmt)
{
  BaliseFeature *feature = balise_feature_new ();

  balise_osm_type_from_string ((const char *) sqlite3_column_text (stmt, 0), &feature->osm_type);
  feature->osm_id = sqlite3_column_int64 (stmt, 1);
  feature->version = sqlite3_column_int64 (stmt, 2);
  point_from_blob (stmt, 3, &feature->lat, &feature->lon);
  feature->category = g_intern_string ((const char *) sqlite3_column_text (stmt, 5));
  feature->name = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  feature->ref = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  feature->tags = tags_from_json ((const char *) sqlite3_column_text (stmt, 8));
  feature->status = BALISE_FEATURE_CLEAN;
  return feature;
}

/* The effective feature of an edit, or NULL when there is none to show. */
static BaliseFeature *
overlay_feature (sqlite3      *db,
                 OverlayEdit  *edit,
                 gboolean      include_deleted,
                 GError      **error)
{
  g_autoptr(BaliseFeature) feature = NULL;

  if (edit->kind != BALISE_EDIT_CREATE)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      int rc;

      if (!_balise_store_prepare (db,
                                  "SELECT " FEATURE_COLUMNS " FROM element "
                                  "WHERE osm_type = ? AND osm_id = ?",
                                  &stmt, error))
        return NULL;
      sqlite3_bind_text (stmt, 1, balise_osm_type_to_string (edit->osm_type), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, edit->osm_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        feature = feature_from_row (stmt);
      else if (rc != SQLITE_DONE)
        {
          _balise_store_set_error (error, db, "Could not read an element");
          return NULL;
        }
    }

  if (feature == NULL)
    {
      /* A create, or a later edit of one: nothing on the server yet. */
      if (edit->kind == BALISE_EDIT_DELETE || !edit->has_position)
        return NULL;
      feature = balise_feature_new ();
      feature->osm_type = edit->osm_type;
      feature->osm_id = edit->osm_id;
    }

  if (edit->kind != BALISE_EDIT_DELETE)
    {
      g_clear_pointer (&feature->tags, balise_tags_unref);
      feature->tags = tags_from_json (edit->new_tags);
      if (edit->has_position)
        {
          feature->lat = edit->lat;
          feature->lon = edit->lon;
        }
    }

  if (edit->status == BALISE_EDIT_STATUS_CONFLICT)
    feature->status = BALISE_FEATURE_CONFLICT;
  else if (edit->kind == BALISE_EDIT_DELETE)
    feature->status = BALISE_FEATURE_DELETED;
  else if (edit->kind == BALISE_EDIT_CREATE || feature->osm_id < 0)
    feature->status = BALISE_FEATURE_NEW;
  else
    feature->status = BALISE_FEATURE_MODIFIED;

  if (feature->status == BALISE_FEATURE_DELETED && !include_deleted)
    return NULL;

  feature->category = g_intern_string (balise_osm_category_for_tags (feature->tags));
  if (!is_feature_category (feature->category))
    return NULL;

  g_free (feature->name);
  feature->name = g_strdup (balise_tags_lookup (feature->tags, "name"));
  g_free (feature->ref);
  feature->ref = g_strdup (balise_tags_lookup (feature->tags, "ref"));

  return g_steal_pointer (&feature);
}

/* The read connection, tuned on first use: features are spread over the
 * whole element table (one row in twenty), so reading them through
 * pread() into SQLite's default 2 MB cache costs more than the query; a
 * memory map and a larger cache make the pages free to revisit. */
sqlite3 *
_balise_store_get_query_db (BaliseStore *self)
{
  static GQuark tuned_quark;
  sqlite3 *db = _balise_store_get_read_db (self);

  if (G_UNLIKELY (tuned_quark == 0))
    tuned_quark = g_quark_from_static_string ("balise-store-query-tuned");

  if (g_object_get_qdata (G_OBJECT (self), tuned_quark) == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!_balise_store_exec (db, "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -65536;",
                               &error))
        g_debug ("Could not tune the read connection: %s", error->message);
      g_object_set_qdata (G_OBJECT (self), tuned_quark, GINT_TO_POINTER (1));
    }

  return db;
}

gboolean
_balise_store_rebuild_feature_index (sqlite3  *db,
                                     GError  **error)
{
  return _balise_rtree_load (db, "feature_index",
                             "SELECT id, X (geom), X (geom), Y (geom), Y (geom) "
                             "FROM element WHERE " FEATURE_CATEGORY_SQL " AND geom IS NOT NULL",
                             error);
}

typedef gboolean (*FeatureFilter) (BaliseFeature *feature,
                                   gconstpointer  data);

/* The effective features of the journal that pass @filter. */
static gboolean
collect_overlay (sqlite3        *db,
                 GHashTable     *overlay,
                 gboolean        include_deleted,
                 FeatureFilter   filter,
                 gconstpointer   filter_data,
                 GPtrArray      *features,
                 GError        **error)
{
  GHashTableIter iter;
  OverlayEdit *edit;

  g_hash_table_iter_init (&iter, overlay);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &edit))
    {
      g_autoptr(GError) local_error = NULL;
      BaliseFeature *feature = overlay_feature (db, edit, include_deleted, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (feature == NULL)
        continue;
      if (filter != NULL && !filter (feature, filter_data))
        {
          balise_feature_unref (feature);
          continue;
        }
      g_ptr_array_add (features, feature);
    }

  return TRUE;
}

/* Adds the base rows of @stmt that no edit overlays, until @limit. */
static gboolean
collect_base (sqlite3     *db,
              sqlite3_stmt *stmt,
              GHashTable  *overlay,
              guint        limit,
              GPtrArray   *features,
              GError     **error)
{
  gboolean check_overlay = g_hash_table_size (overlay) > 0;
  int rc;

  while ((limit == 0 || features->len < limit) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (check_overlay)
        {
          BaliseOsmType type = BALISE_OSM_NODE;
          g_autofree char *key = NULL;

          balise_osm_type_from_string ((const char *) sqlite3_column_text (stmt, 0), &type);
          key = target_key (type, sqlite3_column_int64 (stmt, 1));
          if (g_hash_table_contains (overlay, key))
            continue;
        }
      g_ptr_array_add (features, feature_from_row (stmt));
    }

  if (limit != 0 && features->len >= limit)
    return TRUE;

  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the features");
      return FALSE;
    }
  return TRUE;
}

/*
 * Viewport
 */

typedef struct
{
  double west, south, east, north;
} Box;

static gboolean
box_contains (const Box *box,
              double     lat,
              double     lon)
{
  return lon >= box->west && lon <= box->east && lat >= box->south && lat <= box->north;
}

static gboolean
filter_box (BaliseFeature *feature,
            gconstpointer  data)
{
  return box_contains (data, feature->lat, feature->lon);
}

static gboolean
check_box (const Box  *box,
           GError    **error)
{
  if (!(box->west <= box->east && box->south <= box->north &&
        box->south >= -90.0 && box->north <= 90.0 &&
        box->west >= -180.0 && box->east <= 180.0))
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "The box %g,%g,%g,%g is not on the globe",
                   box->west, box->south, box->east, box->north);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
_balise_store_query_features_in_db (BaliseStore  *self,
                                    sqlite3      *db,
                                    double        west,
                                    double        south,
                                    double        east,
                                    double        north,
                                    guint         limit,
                                    gboolean      include_deleted,
                                    GError      **error)
{
  g_autoptr(GHashTable) overlay = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  Box box = { west, south, east, north };

  if (!check_box (&box, error))
    return NULL;

  overlay = get_overlay (self, db, error);
  if (overlay == NULL)
    return NULL;

  features = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_feature_unref);

  /* The journal's features first: they are what the volunteer works on. */
  if (!collect_overlay (db, overlay, include_deleted, filter_box, &box, features, error))
    return NULL;
  if (limit != 0 && features->len > limit)
    g_ptr_array_set_size (features, limit);

  if (!_balise_store_prepare (db,
                              "SELECT " FEATURE_COLUMNS " FROM feature_index AS f "
                              "JOIN element AS e ON e.id = f.id "
                              "WHERE f.xmin <= ?1 AND f.xmax >= ?2 AND f.ymin <= ?3 AND f.ymax >= ?4",
                              &stmt, error))
    return NULL;
  sqlite3_bind_double (stmt, 1, east);
  sqlite3_bind_double (stmt, 2, west);
  sqlite3_bind_double (stmt, 3, north);
  sqlite3_bind_double (stmt, 4, south);

  if (!collect_base (db, stmt, overlay, limit, features, error))
    return NULL;

  return g_steal_pointer (&features);
}

GPtrArray *
balise_store_query_features (BaliseStore  *self,
                             double        west,
                             double        south,
                             double        east,
                             double        north,
                             guint         limit,
                             gboolean      include_deleted,
                             GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _balise_store_query_features_in_db (self, _balise_store_get_query_db (self), west, south, east, north,
                                             limit, include_deleted, error);
}

/**
 * balise_store_query_viewport:
 *
 * Returns: (transfer container) (element-type BaliseFeature): the effective
 *   features in the box; pending deletes are left out.
 */
GPtrArray *
balise_store_query_viewport (BaliseStore  *self,
                             double        west,
                             double        south,
                             double        east,
                             double        north,
                             guint         limit,
                             GError      **error)
{
  return balise_store_query_features (self, west, south, east, north, limit, FALSE, error);
}

/*
 * Clusters
 */

typedef struct
{
  Box    box;
  guint  cols;
  guint  rows;
  double cell_width;
  double cell_height;
} Grid;

static guint
grid_cell (const Grid *grid,
           double      lat,
           double      lon)
{
  gint64 col = (gint64) ((lon - grid->box.west) / grid->cell_width);
  gint64 row = (gint64) ((lat - grid->box.south) / grid->cell_height);

  col = CLAMP (col, 0, (gint64) grid->cols - 1);
  row = CLAMP (row, 0, (gint64) grid->rows - 1);
  return (guint) (row * grid->cols + col);
}

typedef struct
{
  double sum_lat;
  double sum_lon;
  gint64 count;
} CellSum;

/* Takes the base copy of an edited element out of the counts, when the
 * base query counted it. */
static gboolean
remove_base_copy (sqlite3      *db,
                  const Grid   *grid,
                  OverlayEdit  *edit,
                  CellSum      *cells,
                  GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_balise_store_prepare (db,
                              "SELECT f.ymin, f.xmin FROM element AS e "
                              "JOIN feature_index AS f ON f.id = e.id "
                              "WHERE e.osm_type = ?5 AND e.osm_id = ?6 "
                              "AND f.xmin <= ?1 AND f.xmax >= ?2 AND f.ymin <= ?3 AND f.ymax >= ?4",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_double (stmt, 1, grid->box.east);
  sqlite3_bind_double (stmt, 2, grid->box.west);
  sqlite3_bind_double (stmt, 3, grid->box.north);
  sqlite3_bind_double (stmt, 4, grid->box.south);
  sqlite3_bind_text (stmt, 5, balise_osm_type_to_string (edit->osm_type), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, edit->osm_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      double lat = sqlite3_column_double (stmt, 0);
      double lon = sqlite3_column_double (stmt, 1);
      CellSum *cell = &cells[grid_cell (grid, lat, lon)];

      cell->sum_lat -= lat;
      cell->sum_lon -= lon;
      cell->count--;
    }
  else if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not count the features");
      return FALSE;
    }
  return TRUE;
}

/**
 * balise_store_query_clusters:
 *
 * Returns: (transfer full) (element-type BaliseCluster): the non-empty cells.
 */
GArray *
balise_store_query_clusters (BaliseStore  *self,
                             double        west,
                             double        south,
                             double        east,
                             double        north,
                             guint         grid_cols,
                             guint         grid_rows,
                             GError      **error)
{
  sqlite3 *db;
  g_autoptr(GHashTable) overlay = NULL;
  g_autoptr(GPtrArray) edited = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree CellSum *cells = NULL;
  GArray *clusters;
  GHashTableIter iter;
  OverlayEdit *edit;
  Grid grid = { { west, south, east, north }, grid_cols, grid_rows, 0, 0 };
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (grid_cols > 0 && grid_rows > 0, NULL);
  g_return_val_if_fail (grid_cols <= 1024 && grid_rows <= 1024, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_box (&grid.box, error))
    return NULL;

  grid.cell_width = MAX (east - west, 1e-9) / grid_cols;
  grid.cell_height = MAX (north - south, 1e-9) / grid_rows;
  cells = g_new0 (CellSum, (gsize) grid_cols * grid_rows);

  db = _balise_store_get_query_db (self);
  overlay = get_overlay (self, db, error);
  if (overlay == NULL)
    return NULL;

  /* The base copy, grouped in SQL from the features' R*Tree alone. */
  if (!_balise_store_prepare (db,
                              "SELECT min (max (CAST ((r.ymin - ?4) / ?6 AS INTEGER), 0), ?8 - 1) * ?7 "
                              "     + min (max (CAST ((r.xmin - ?2) / ?5 AS INTEGER), 0), ?7 - 1) AS cell, "
                              "  count (*), sum (r.ymin), sum (r.xmin) "
                              "FROM feature_index AS r "
                              "WHERE r.xmin <= ?1 AND r.xmax >= ?2 AND r.ymin <= ?3 AND r.ymax >= ?4 "
                              "GROUP BY cell",
                              &stmt, error))
    return NULL;
  sqlite3_bind_double (stmt, 1, east);
  sqlite3_bind_double (stmt, 2, west);
  sqlite3_bind_double (stmt, 3, north);
  sqlite3_bind_double (stmt, 4, south);
  sqlite3_bind_double (stmt, 5, grid.cell_width);
  sqlite3_bind_double (stmt, 6, grid.cell_height);
  sqlite3_bind_int (stmt, 7, (int) grid_cols);
  sqlite3_bind_int (stmt, 8, (int) grid_rows);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 index = sqlite3_column_int64 (stmt, 0);
      CellSum *cell;

      if (index < 0 || index >= (gint64) grid_cols * grid_rows)
        continue;
      cell = &cells[index];
      cell->count += sqlite3_column_int64 (stmt, 1);
      cell->sum_lat += sqlite3_column_double (stmt, 2);
      cell->sum_lon += sqlite3_column_double (stmt, 3);
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not count the features");
      return NULL;
    }

  /* The journal: out with the base copies it changes, in with its features. */
  g_hash_table_iter_init (&iter, overlay);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &edit))
    {
      if (edit->kind != BALISE_EDIT_CREATE && !remove_base_copy (db, &grid, edit, cells, error))
        return NULL;
    }

  edited = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_feature_unref);
  if (!collect_overlay (db, overlay, FALSE, filter_box, &grid.box, edited, error))
    return NULL;
  for (guint i = 0; i < edited->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (edited, i);
      CellSum *cell = &cells[grid_cell (&grid, feature->lat, feature->lon)];

      cell->sum_lat += feature->lat;
      cell->sum_lon += feature->lon;
      cell->count++;
    }

  clusters = g_array_new (FALSE, FALSE, sizeof (BaliseCluster));
  for (gsize i = 0; i < (gsize) grid_cols * grid_rows; i++)
    {
      BaliseCluster cluster;

      if (cells[i].count <= 0)
        continue;
      cluster.count = (guint) cells[i].count;
      cluster.lat = cells[i].sum_lat / cells[i].count;
      cluster.lon = cells[i].sum_lon / cells[i].count;
      g_array_append_val (clusters, cluster);
    }

  return clusters;
}

/*
 * Search
 */

static gboolean
filter_text (BaliseFeature *feature,
             gconstpointer  data)
{
  const char *folded_text = data;
  const char *fields[] = { feature->name, feature->ref };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *folded = NULL;

      if (fields[i] == NULL)
        continue;
      folded = balise_text_fold (fields[i]);
      if (strstr (folded, folded_text) != NULL)
        return TRUE;
    }

  return feature->category != NULL && g_str_has_prefix (feature->category, folded_text);
}

static char *
escape_like (const char *text)
{
  GString *escaped = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (escaped, '\\');
      g_string_append_c (escaped, *p);
    }
  return g_string_free (escaped, FALSE);
}

static int
compare_search (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const BaliseFeature *fa = *(BaliseFeature **) a;
  const BaliseFeature *fb = *(BaliseFeature **) b;
  const char *folded_text = user_data;
  g_autofree char *name_a = balise_text_fold (fa->name ? fa->name : "");
  g_autofree char *name_b = balise_text_fold (fb->name ? fb->name : "");
  gboolean prefix_a = g_str_has_prefix (name_a, folded_text);
  gboolean prefix_b = g_str_has_prefix (name_b, folded_text);

  if (prefix_a != prefix_b)
    return prefix_a ? -1 : 1;
  return g_utf8_collate (name_a, name_b);
}

/* The search on @db, whichever connection it is. */
static GPtrArray *
search_in_db (sqlite3     *db,
              const char  *text,
              guint        limit,
              GError     **error)
{
  g_autoptr(GHashTable) overlay = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *escaped = NULL;
  guint edited;

  stripped = g_strstrip (g_strdup (text));
  folded = balise_text_fold (stripped);
  escaped = escape_like (folded);
  features = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_feature_unref);
  if (*stripped == '\0')
    return g_steal_pointer (&features);

  overlay = load_overlay (db, error);
  if (overlay == NULL)
    return NULL;

  if (!collect_overlay (db, overlay, FALSE, filter_text, folded, features, error))
    return NULL;
  g_ptr_array_sort_with_data (features, compare_search, folded);
  if (limit != 0 && features->len > limit)
    g_ptr_array_set_size (features, limit);
  edited = features->len;

  if (!_balise_store_prepare (db,
                              "SELECT " FEATURE_COLUMNS " FROM element WHERE " FEATURE_CATEGORY_SQL " "
                              "AND (instr (balise_fold (name), ?1) > 0 "
                              "  OR instr (balise_fold (ref), ?1) > 0 "
                              "  OR category LIKE ?2 || '%' ESCAPE '\\') "
                              "ORDER BY coalesce (instr (balise_fold (name), ?1) = 1, 0) DESC, "
                              "name COLLATE NOCASE",
                              &stmt, error))
    return NULL;
  /* Names and refs are compared folded (no case, no accents), so that
   * "ecole" finds "École"; categories are ASCII ids. */
  sqlite3_bind_text (stmt, 1, folded, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, escaped, -1, SQLITE_STATIC);

  if (!collect_base (db, stmt, overlay, limit, features, error))
    return NULL;

  /* Keep the whole list in one order. */
  if (edited > 0)
    g_ptr_array_sort_with_data (features, compare_search, folded);

  return g_steal_pointer (&features);
}

/**
 * balise_store_search:
 *
 * Returns: (transfer container) (element-type BaliseFeature): at most @limit
 *   (0: no limit) matching features.
 */
GPtrArray *
balise_store_search (BaliseStore  *self,
                     const char   *text,
                     guint         limit,
                     GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return search_in_db (_balise_store_get_query_db (self), text, limit, error);
}

typedef struct
{
  char  *text;
  guint  limit;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_free (data->text);
  g_free (data);
}

static gpointer
search_read (BaliseStore   *self,
             sqlite3       *db,
             gpointer       user_data,
             GCancellable  *cancellable,
             GError       **error)
{
  SearchData *data = user_data;

  return search_in_db (db, data->text, data->limit, error);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  _balise_store_task_search_read (source_object, task, search_read, task_data,
                                  (GDestroyNotify) g_ptr_array_unref);
}

/**
 * balise_store_search_async:
 * @self: a #BaliseStore
 * @text: what to look for
 * @limit: at most this many features, 0 for all
 * @cancellable: (nullable): stops the search, even in the middle of its query
 * @callback: called in the thread-default main context of the caller
 * @user_data: for @callback
 *
 * Runs balise_store_search() on a thread of its own with its own read-only
 * connection: a search reads every element's name, which takes long in a
 * large store and must not hold up the map.
 */
void
balise_store_search_async (BaliseStore         *self,
                           const char          *text,
                           guint                limit,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SearchData *data;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (SearchData, 1);
  data->text = g_strdup (text);
  data->limit = limit;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_search_async);
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  g_task_run_in_thread (task, search_thread);
}

/**
 * balise_store_search_finish:
 *
 * Returns: (transfer container) (element-type BaliseFeature): the features
 *   found, or %NULL with @error (G_IO_ERROR_CANCELLED when cancelled)
 */
GPtrArray *
balise_store_search_finish (BaliseStore   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/*
 * One feature
 */

/**
 * balise_store_get_feature:
 * @self: a #BaliseStore
 * @osm_type: the type of the element
 * @osm_id: its id; negative for a point created here
 * @error: a #GError
 *
 * Reads the effective state of one feature, as the map would show it, with
 * a pending delete as %BALISE_FEATURE_DELETED and an element whose latest
 * edit reached the server as %BALISE_FEATURE_UPLOADED. One indexed read: fit
 * for the main thread.
 *
 * Returns: (transfer full): the feature, or %NULL with
 *   %BALISE_STORE_ERROR_NOT_FOUND when the store has no such feature
 */
BaliseFeature *
balise_store_get_feature (BaliseStore    *self,
                          BaliseOsmType   osm_type,
                          gint64          osm_id,
                          GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(BaliseFeature) feature = NULL;
  BaliseEditStatus status = BALISE_EDIT_STATUS_PENDING;
  g_autofree char *edit_uuid = NULL;
  gboolean has_edit = FALSE;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = _balise_store_get_query_db (self);
  if (!_balise_store_prepare (db,
                              "SELECT kind, osm_type, osm_id, new_tags, lat, lon, status, uuid FROM edit "
                              "WHERE id = (SELECT max(id) FROM edit WHERE osm_type = ?1 AND osm_id = ?2 "
                              "AND kind != 'note' AND status IN " BALISE_STORE_LIVE_STATUSES ")",
                              &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, balise_osm_type_to_string (osm_type), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, osm_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      OverlayEdit edit = { 0 };
      g_autoptr(GError) local_error = NULL;

      has_edit = TRUE;
      edit_uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      balise_edit_kind_from_string ((const char *) sqlite3_column_text (stmt, 0), &edit.kind);
      edit.osm_type = osm_type;
      edit.osm_id = osm_id;
      edit.new_tags = (char *) sqlite3_column_text (stmt, 3);
      edit.has_position = sqlite3_column_type (stmt, 4) != SQLITE_NULL &&
                          sqlite3_column_type (stmt, 5) != SQLITE_NULL;
      edit.lat = sqlite3_column_double (stmt, 4);
      edit.lon = sqlite3_column_double (stmt, 5);
      balise_edit_status_from_string ((const char *) sqlite3_column_text (stmt, 6), &status);
      edit.status = status;

      /* An edit on its way or waiting: the journal's state. */
      if (status != BALISE_EDIT_STATUS_UPLOADED)
        {
          feature = overlay_feature (db, &edit, TRUE, &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
        }
    }
  else if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return NULL;
    }

  if (feature == NULL && (!has_edit || status == BALISE_EDIT_STATUS_UPLOADED))
    {
      g_clear_pointer (&stmt, sqlite3_finalize);
      if (!_balise_store_prepare (db,
                                  "SELECT " FEATURE_COLUMNS " FROM element "
                                  "WHERE osm_type = ? AND osm_id = ? AND " FEATURE_CATEGORY_SQL,
                                  &stmt, error))
        return NULL;
      sqlite3_bind_text (stmt, 1, balise_osm_type_to_string (osm_type), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, osm_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          feature = feature_from_row (stmt);
          if (has_edit)
            feature->status = BALISE_FEATURE_UPLOADED;
        }
      else if (rc != SQLITE_DONE)
        {
          _balise_store_set_error (error, db, "Could not read an element");
          return NULL;
        }
    }

  if (feature == NULL)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "No feature %s/%" G_GINT64_FORMAT " in the store",
                   balise_osm_type_to_string (osm_type), osm_id);
      return NULL;
    }

  feature->edit_uuid = g_steal_pointer (&edit_uuid);
  return g_steal_pointer (&feature);
}

/*
 * Near
 */

static double
distance_m (double lat1,
            double lon1,
            double lat2,
            double lon2)
{
  const double r = 6371008.8;
  double phi1 = lat1 * G_PI / 180.0;
  double phi2 = lat2 * G_PI / 180.0;
  double dphi = (lat2 - lat1) * G_PI / 180.0;
  double dlambda = (lon2 - lon1) * G_PI / 180.0;
  double a = sin (dphi / 2) * sin (dphi / 2) +
             cos (phi1) * cos (phi2) * sin (dlambda / 2) * sin (dlambda / 2);

  return 2 * r * asin (MIN (1.0, sqrt (a)));
}

static int
compare_distance (gconstpointer a,
                  gconstpointer b)
{
  const BaliseFeature *fa = *(BaliseFeature **) a;
  const BaliseFeature *fb = *(BaliseFeature **) b;

  return (fa->distance > fb->distance) - (fa->distance < fb->distance);
}

/**
 * balise_store_query_near:
 *
 * Returns: (transfer container) (element-type BaliseFeature): the features
 *   within @radius_m, nearest first.
 */
GPtrArray *
balise_store_query_near (BaliseStore  *self,
                         double        lat,
                         double        lon,
                         double        radius_m,
                         const char   *category,
                         GError      **error)
{
  g_autoptr(GPtrArray) candidates = NULL;
  GPtrArray *near;
  double dlat, dlon;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (radius_m >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dlat = radius_m / METRES_PER_DEGREE;
  dlon = radius_m / (METRES_PER_DEGREE * MAX (cos (lat * G_PI / 180.0), 0.01));

  candidates = balise_store_query_features (self,
                                            MAX (lon - dlon, -180.0), MAX (lat - dlat, -90.0),
                                            MIN (lon + dlon, 180.0), MIN (lat + dlat, 90.0),
                                            0, FALSE, error);
  if (candidates == NULL)
    return NULL;

  near = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_feature_unref);
  for (guint i = 0; i < candidates->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (candidates, i);

      if (category != NULL && g_strcmp0 (feature->category, category) != 0)
        continue;
      feature->distance = distance_m (lat, lon, feature->lat, feature->lon);
      if (feature->distance <= radius_m)
        g_ptr_array_add (near, balise_feature_ref (feature));
    }
  g_ptr_array_sort (near, compare_distance);
  return near;
}
