/* balise-tile-renderer.c: the local basemap, drawn from the store
 *
 * The renderer has its own connection: the cache file (an MBTiles file that
 * also holds the R*Tree of the basemap's shapes) with the store attached
 * read-only. Tiles are drawn in worker threads, one at a time, and stored in
 * the cache. The cache remembers which state of the store it was drawn from
 * (a fingerprint of the element table); when the store has changed since,
 * the index is rebuilt and the cached tiles are dropped.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-tile-renderer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "balise-tile-renderer-private.h"

#define FINGERPRINT_KEY "balise-fingerprint"
/* Changes with the index's tables and the style: old caches are redrawn. */
#define CACHE_VERSION 4

struct _BaliseTileRenderer
{
  GObject         parent_instance;

  char           *store_path;
  BaliseMbtiles  *cache;
  sqlite3        *db;
  GMutex          mutex;       /* guards db and the drawing */
  gboolean        ready;
  gboolean        has_bounds;
  double          bounds[4];   /* where the data stops: west, south, east, north */
};

G_DEFINE_FINAL_TYPE (BaliseTileRenderer, balise_tile_renderer, G_TYPE_OBJECT)

typedef sqlite3_stmt BaliseTileStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseTileStmt, sqlite3_finalize)

typedef struct
{
  int zoom;
  int x;
  int y;
} TileRequest;

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_FAILED,
                   "Could not prepare the local map: %s", message);
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

static char *
read_fingerprint (BaliseTileRenderer  *self,
                  GError             **error)
{
  g_autoptr(BaliseTileStmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT count (*), coalesce (max (id), 0), coalesce (sum (version), 0) "
                          "FROM store.element",
                          -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_FAILED,
                   "Could not read the store “%s”: %s", self->store_path, sqlite3_errmsg (self->db));
      return NULL;
    }

  return g_strdup_printf ("v%d:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                          CACHE_VERSION,
                          (gint64) sqlite3_column_int64 (stmt, 0),
                          (gint64) sqlite3_column_int64 (stmt, 1),
                          (gint64) sqlite3_column_int64 (stmt, 2));
}

/* Fills the R*Tree with the extent of every shape the basemap draws, and
 * of the place nodes, read from the BLOBs' headers. */
static gboolean
build_index (BaliseTileRenderer  *self,
             GError             **error)
{
  g_autoptr(BaliseTileStmt) select = NULL;
  g_autoptr(BaliseTileStmt) insert = NULL;
  int rc;

  if (!exec (self->db,
             "DROP TABLE IF EXISTS " BALISE_TILE_INDEX_TABLE ";"
             "DROP TABLE IF EXISTS " BALISE_TILE_COAST_TABLE ";"
             "CREATE VIRTUAL TABLE " BALISE_TILE_INDEX_TABLE
             " USING rtree (id, xmin, xmax, ymin, ymax, +minzoom INTEGER, +kind INTEGER);"
             "CREATE VIRTUAL TABLE " BALISE_TILE_COAST_TABLE
             " USING rtree (id, xmin, xmax, ymin, ymax, +minzoom INTEGER, +kind INTEGER);",
             error))
    return FALSE;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT e.id, coalesce (e.shape, e.geom), e.category, "
                          BALISE_TILE_VALUE_SQL ", e.name IS NOT NULL FROM store.element AS e "
                          "WHERE e.category IN " BALISE_TILE_CATEGORIES_SQL
                          " AND (e.shape IS NOT NULL OR e.category = 'place')",
                          -1, &select, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db,
                          "INSERT INTO " BALISE_TILE_INDEX_TABLE " VALUES (?, ?, ?, ?, ?, ?, ?)",
                          -1, &insert, NULL) != SQLITE_OK)
    goto failed;

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const guint8 *blob = sqlite3_column_blob (select, 1);
      const char *category = (const char *) sqlite3_column_text (select, 2);
      const char *value = (const char *) sqlite3_column_text (select, 3);
      double min_x, min_y, max_x, max_y;
      guint32 geometry_class;
      int min_zoom;

      if (!_balise_tile_blob_mbr (blob, sqlite3_column_bytes (select, 1), &min_x, &min_y, &max_x, &max_y))
        continue;

      /* What is never drawn is never indexed; the rest from its zoom. */
      memcpy (&geometry_class, blob + 39, 4);
      min_zoom = _balise_tile_min_zoom (category, value,
                                        (int) GUINT32_FROM_LE (geometry_class),
                                        sqlite3_column_int (select, 4),
                                        max_x - min_x, max_y - min_y);
      if (min_zoom > BALISE_TILE_RENDERER_MAX_ZOOM)
        continue;

      sqlite3_bind_int64 (insert, 1, sqlite3_column_int64 (select, 0));
      sqlite3_bind_double (insert, 2, min_x);
      sqlite3_bind_double (insert, 3, max_x);
      sqlite3_bind_double (insert, 4, min_y);
      sqlite3_bind_double (insert, 5, max_y);
      sqlite3_bind_int (insert, 6, min_zoom);
      sqlite3_bind_int (insert, 7, g_strcmp0 (category, "place") == 0 ? BALISE_TILE_KIND_PLACE :
                                   g_strcmp0 (value, "coastline") == 0 ? BALISE_TILE_KIND_COASTLINE :
                                   BALISE_TILE_KIND_SHAPE);
      if (sqlite3_step (insert) != SQLITE_DONE)
        goto failed;
      sqlite3_reset (insert);
    }

  if (rc != SQLITE_DONE)
    goto failed;

  if (!exec (self->db,
             "INSERT INTO " BALISE_TILE_COAST_TABLE " SELECT * FROM " BALISE_TILE_INDEX_TABLE
             " WHERE kind = " G_STRINGIFY (BALISE_TILE_KIND_COASTLINE),
             error))
    return FALSE;

  return TRUE;

failed:
  g_set_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_FAILED,
               "Could not index the store “%s” for the local map: %s",
               self->store_path, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
write_metadata (BaliseTileRenderer  *self,
                const char          *fingerprint,
                GError             **error)
{
  g_autoptr(BaliseTileStmt) extent = NULL;
  g_autofree char *bounds = NULL;
  g_autofree char *min_zoom = g_strdup_printf ("%d", BALISE_TILE_RENDERER_MIN_ZOOM);
  g_autofree char *max_zoom = g_strdup_printf ("%d", BALISE_TILE_RENDERER_MAX_ZOOM);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT min (xmin), min (ymin), max (xmax), max (ymax) FROM "
                          BALISE_TILE_INDEX_TABLE,
                          -1, &extent, NULL) == SQLITE_OK &&
      sqlite3_step (extent) == SQLITE_ROW && sqlite3_column_type (extent, 0) == SQLITE_FLOAT)
    {
      char v[4][G_ASCII_DTOSTR_BUF_SIZE];

      for (int i = 0; i < 4; i++)
        g_ascii_formatd (v[i], sizeof v[i], "%.6f", sqlite3_column_double (extent, i));
      bounds = g_strjoin (",", v[0], v[1], v[2], v[3], NULL);
    }

  return balise_mbtiles_set_metadata (self->cache, "name", "Balise local map", error) &&
         balise_mbtiles_set_metadata (self->cache, "format", "png", error) &&
         balise_mbtiles_set_metadata (self->cache, "type", "baselayer", error) &&
         balise_mbtiles_set_metadata (self->cache, "version", "1", error) &&
         balise_mbtiles_set_metadata (self->cache, "description",
                                      "Drawn by Balise from the OpenStreetMap data of its database", error) &&
         balise_mbtiles_set_metadata (self->cache, "attribution", "© OpenStreetMap contributors", error) &&
         balise_mbtiles_set_metadata (self->cache, "minzoom", min_zoom, error) &&
         balise_mbtiles_set_metadata (self->cache, "maxzoom", max_zoom, error) &&
         (bounds == NULL || balise_mbtiles_set_metadata (self->cache, "bounds", bounds, error)) &&
         balise_mbtiles_set_metadata (self->cache, FINGERPRINT_KEY, fingerprint, error);
}

/* The extent of the data, as written in the metadata with the index. */
static void
read_bounds (BaliseTileRenderer *self)
{
  g_autofree char *bounds = balise_mbtiles_get_metadata (self->cache, "bounds");
  g_auto(GStrv) parts = NULL;

  self->has_bounds = FALSE;
  if (bounds == NULL)
    return;

  parts = g_strsplit (bounds, ",", -1);
  if (g_strv_length (parts) != 4)
    return;

  for (int i = 0; i < 4; i++)
    {
      char *end = NULL;

      self->bounds[i] = g_ascii_strtod (parts[i], &end);
      if (end == parts[i] || *end != '\0' || !isfinite (self->bounds[i]))
        return;
    }

  self->has_bounds = self->bounds[0] < self->bounds[2] && self->bounds[1] < self->bounds[3];
}

/* Called with the mutex held, in a worker thread. */
static gboolean
ensure_ready (BaliseTileRenderer  *self,
              GError             **error)
{
  g_autofree char *fingerprint = NULL;
  g_autofree char *cached = NULL;
  g_autoptr(BaliseTileStmt) check = NULL;
  gboolean has_index;

  if (self->ready)
    return TRUE;

  if (!(fingerprint = read_fingerprint (self, error)))
    return FALSE;

  cached = balise_mbtiles_get_metadata (self->cache, FINGERPRINT_KEY);
  has_index = sqlite3_prepare_v2 (self->db, "SELECT 1 FROM " BALISE_TILE_INDEX_TABLE " LIMIT 1",
                                  -1, &check, NULL) == SQLITE_OK;

  if (!has_index || g_strcmp0 (cached, fingerprint) != 0)
    {
      gint64 start = g_get_monotonic_time ();

      g_debug ("The store changed (%s, cache drawn from %s): indexing it again",
               fingerprint, cached ? cached : "nothing");
      g_clear_pointer (&check, sqlite3_finalize);
      if (!exec (self->db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!build_index (self, error))
        {
          exec (self->db, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!exec (self->db, "COMMIT", error))
        return FALSE;

      if (!balise_mbtiles_clear_tiles (self->cache, error) ||
          !write_metadata (self, fingerprint, error))
        return FALSE;

      g_debug ("Indexed the basemap in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
    }

  read_bounds (self);
  self->ready = TRUE;
  return TRUE;
}

static cairo_status_t
append_png_cb (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Called with the mutex held. */
static GBytes *
render_locked (BaliseTileRenderer  *self,
               int                  zoom,
               int                  x,
               int                  y,
               GCancellable        *cancellable,
               GError             **error)
{
  g_autoptr(GByteArray) png = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;

  if (zoom < 0 || zoom > 30 || x < 0 || y < 0 || x >= (1 << zoom) || y >= (1 << zoom))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "No tile %d/%d/%d in Web Mercator", zoom, x, y);
      return NULL;
    }

  if (!ensure_ready (self, error))
    return NULL;

  surface = _balise_tile_draw (self->db, zoom, x, y, self->has_bounds ? self->bounds : NULL,
                               cancellable, error);
  if (surface == NULL)
    return NULL;

  png = g_byte_array_sized_new (16 * 1024);
  status = cairo_surface_write_to_png_stream (surface, append_png_cb, png);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not encode tile %d/%d/%d: %s",
                   zoom, x, y, cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

static void
get_tile_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  BaliseTileRenderer *self = source_object;
  TileRequest *request = task_data;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  locker = g_mutex_locker_new (&self->mutex);

  if (!ensure_ready (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  bytes = balise_mbtiles_get_tile (self->cache, request->zoom, request->x, request->y, &error);
  if (bytes != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (!g_error_matches (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_error (&error);

  bytes = render_locked (self, request->zoom, request->x, request->y, cancellable, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A cache that cannot be written (a full disk) still shows the tile. */
  if (!balise_mbtiles_put_tile (self->cache, request->zoom, request->x, request->y, bytes, &error))
    g_warning ("Could not cache tile %d/%d/%d: %s", request->zoom, request->x, request->y,
               error->message);

  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
balise_tile_renderer_finalize (GObject *object)
{
  BaliseTileRenderer *self = BALISE_TILE_RENDERER (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->store_path, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (balise_tile_renderer_parent_class)->finalize (object);
}

static void
balise_tile_renderer_class_init (BaliseTileRendererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = balise_tile_renderer_finalize;
}

static void
balise_tile_renderer_init (BaliseTileRenderer *self)
{
  g_mutex_init (&self->mutex);
}

char *
balise_tile_renderer_cache_path_for (const char *store_path)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  char *dot;

  g_return_val_if_fail (store_path != NULL, NULL);

  dir = g_path_get_dirname (store_path);
  base = g_path_get_basename (store_path);
  if ((dot = strrchr (base, '.')) != NULL && dot != base)
    *dot = '\0';
  name = g_strconcat (base, "-basemap.mbtiles", NULL);

  return g_build_filename (dir, name, NULL);
}

/**
 * balise_tile_renderer_new:
 * @store_path: a Balise database
 * @cache_path: where the rendered tiles are kept
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the renderer, or %NULL if the store or the
 *   cache cannot be opened
 */
BaliseTileRenderer *
balise_tile_renderer_new (const char  *store_path,
                          const char  *cache_path,
                          GError     **error)
{
  g_autoptr(BaliseTileRenderer) self = NULL;
  g_autoptr(BaliseTileStmt) check = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;
  char *attach;
  gboolean attached;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (cache_path != NULL, NULL);

  if (!g_file_test (store_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No database at “%s”", store_path);
      return NULL;
    }

  self = g_object_new (BALISE_TYPE_TILE_RENDERER, NULL);
  self->store_path = g_strdup (store_path);

  if (!(self->cache = balise_mbtiles_create (cache_path, error)))
    return NULL;

  /* Used by one thread at a time, under the mutex. */
  if (sqlite3_open_v2 (cache_path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_FAILED,
                   "Could not open the map cache “%s”: %s", cache_path, sqlite3_errmsg (self->db));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);

  escaped = g_uri_escape_string (store_path, "/", FALSE);
  uri = g_strdup_printf ("file:%s?mode=ro", escaped);
  attach = sqlite3_mprintf ("ATTACH %Q AS store", uri);
  attached = sqlite3_exec (self->db, attach, NULL, NULL, NULL) == SQLITE_OK;
  sqlite3_free (attach);
  if (!attached)
    {
      g_set_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_CORRUPT,
                   "“%s” is not a Balise database: %s", store_path, sqlite3_errmsg (self->db));
      return NULL;
    }

  /* A tile reads rows all over the store: keep them in memory between
   * tiles rather than reading them again through the kernel. */
  exec (self->db, "PRAGMA store.cache_size = -32768; PRAGMA store.mmap_size = 268435456", NULL);

  if (sqlite3_prepare_v2 (self->db, "SELECT id, category, shape, geom, tags, name FROM store.element",
                          -1, &check, NULL) != SQLITE_OK)
    {
      g_set_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_CORRUPT,
                   "“%s” is not a Balise database: %s", store_path, sqlite3_errmsg (self->db));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * balise_tile_renderer_get_cache:
 * @self: a #BaliseTileRenderer
 *
 * Returns: (transfer none): the MBTiles file that keeps the drawn tiles
 */
BaliseMbtiles *
balise_tile_renderer_get_cache (BaliseTileRenderer *self)
{
  g_return_val_if_fail (BALISE_IS_TILE_RENDERER (self), NULL);

  return self->cache;
}

GBytes *
balise_tile_renderer_render (BaliseTileRenderer  *self,
                             int                  zoom,
                             int                  x,
                             int                  y,
                             GCancellable        *cancellable,
                             GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (BALISE_IS_TILE_RENDERER (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  return render_locked (self, zoom, x, y, cancellable, error);
}

void
balise_tile_renderer_get_tile_async (BaliseTileRenderer  *self,
                                     int                  zoom,
                                     int                  x,
                                     int                  y,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TileRequest *request;

  g_return_if_fail (BALISE_IS_TILE_RENDERER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request = g_new (TileRequest, 1);
  request->zoom = zoom;
  request->x = x;
  request->y = y;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_tile_renderer_get_tile_async);
  g_task_set_task_data (task, request, g_free);
  g_task_run_in_thread (task, get_tile_thread);
}

GBytes *
balise_tile_renderer_get_tile_finish (BaliseTileRenderer  *self,
                                      GAsyncResult        *result,
                                      GError             **error)
{
  g_return_val_if_fail (BALISE_IS_TILE_RENDERER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
