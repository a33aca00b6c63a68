/* balise-mbtiles.c: MBTiles files, read and written
 *
 * The format is MBTiles 1.3 (github.com/mapbox/mbtiles-spec): an SQLite
 * database with a `tiles` table (zoom_level, tile_column, tile_row,
 * tile_data), rows counted from the south (TMS), and a `metadata` table of
 * name/value pairs. Balise reads users' files, and writes the cache of the
 * local map rendered from the store.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-mbtiles"

#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "balise-mbtiles.h"

#define MAX_ZOOM 30
/* Web Mercator stops at ±85.0511°. */
#define MERCATOR_MAX_LAT 85.0511287798

struct _BaliseMbtiles
{
  GObject        parent_instance;

  char          *path;
  sqlite3       *db;
  sqlite3_stmt  *select_tile;
  sqlite3_stmt  *insert_tile;
  GMutex         mutex;
  gboolean       writable;
};

G_DEFINE_FINAL_TYPE (BaliseMbtiles, balise_mbtiles, G_TYPE_OBJECT)

G_DEFINE_QUARK (balise-mbtiles-error-quark, balise_mbtiles_error)

typedef sqlite3_stmt BaliseMbtilesStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseMbtilesStmt, sqlite3_finalize)

static void
set_sqlite_error (BaliseMbtiles  *self,
                  GError        **error,
                  int             code,
                  const char     *what)
{
  g_set_error (error, BALISE_MBTILES_ERROR, code, "%s “%s”: %s", what, self->path,
               sqlite3_errmsg (self->db));
}

static gboolean
has_table (BaliseMbtiles  *self,
           const char     *name,
           gboolean       *found,
           GError        **error)
{
  g_autoptr(BaliseMbtilesStmt) stmt = NULL;
  int rc;

  /* The first read of a file that is not a database fails here. */
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT 1 FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto failed;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    goto failed;

  *found = rc == SQLITE_ROW;
  return TRUE;

failed:
  g_set_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_CORRUPT,
               "“%s” is not an MBTiles file: %s", self->path, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
prepare_statements (BaliseMbtiles  *self,
                    GError        **error)
{
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT tile_data FROM tiles "
                          "WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                          -1, &self->select_tile, NULL) != SQLITE_OK)
    {
      g_set_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_CORRUPT,
                   "“%s” is not an MBTiles file: its tiles table cannot be read (%s)",
                   self->path, sqlite3_errmsg (self->db));
      return FALSE;
    }

  if (self->writable &&
      sqlite3_prepare_v2 (self->db,
                          "INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) "
                          "VALUES (?, ?, ?, ?)",
                          -1, &self->insert_tile, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, BALISE_MBTILES_ERROR_FAILED, "Could not prepare writing to");
      return FALSE;
    }

  return TRUE;
}

static BaliseMbtiles *
open_file (const char  *path,
           gboolean     create,
           GError     **error)
{
  g_autoptr(BaliseMbtiles) self = g_object_new (BALISE_TYPE_MBTILES, NULL);
  int flags = SQLITE_OPEN_FULLMUTEX;
  gboolean found_tiles = FALSE;
  gboolean found_metadata = FALSE;

  self->path = g_strdup (path);
  self->writable = create;
  flags |= create ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY;

  if (!create && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No MBTiles file at “%s”", path);
      return NULL;
    }

  if (sqlite3_open_v2 (path, &self->db, flags, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, BALISE_MBTILES_ERROR_FAILED, "Could not open");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);

  if (!has_table (self, "tiles", &found_tiles, error) ||
      !has_table (self, "metadata", &found_metadata, error))
    return NULL;

  if (create && !found_tiles && !found_metadata)
    {
      if (sqlite3_exec (self->db,
                        "PRAGMA journal_mode = WAL;"
                        "PRAGMA application_id = 0x4d504258;"   /* "MPBX", as the spec asks */
                        "CREATE TABLE metadata (name TEXT PRIMARY KEY, value TEXT);"
                        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER,"
                        "  tile_row INTEGER, tile_data BLOB);"
                        "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
                        NULL, NULL, NULL) != SQLITE_OK)
        {
          set_sqlite_error (self, error, BALISE_MBTILES_ERROR_FAILED, "Could not create");
          return NULL;
        }
    }
  else if (!found_tiles || !found_metadata)
    {
      g_set_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_CORRUPT,
                   "“%s” is not an MBTiles file: it has no %s table", path,
                   found_tiles ? "metadata" : "tiles");
      return NULL;
    }

  if (!prepare_statements (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
balise_mbtiles_finalize (GObject *object)
{
  BaliseMbtiles *self = BALISE_MBTILES (object);

  g_clear_pointer (&self->select_tile, sqlite3_finalize);
  g_clear_pointer (&self->insert_tile, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (balise_mbtiles_parent_class)->finalize (object);
}

static void
balise_mbtiles_class_init (BaliseMbtilesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = balise_mbtiles_finalize;
}

static void
balise_mbtiles_init (BaliseMbtiles *self)
{
  g_mutex_init (&self->mutex);
}

/**
 * balise_mbtiles_open:
 * @path: an MBTiles file
 * @error: return location for a #GError
 *
 * Opens @path read-only. A file that is not an SQLite database, or has no
 * tiles or metadata table, fails with %BALISE_MBTILES_ERROR_CORRUPT.
 *
 * Returns: (transfer full): the file, or %NULL
 */
BaliseMbtiles *
balise_mbtiles_open (const char  *path,
                     GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_file (path, FALSE, error);
}

/**
 * balise_mbtiles_create:
 * @path: where the file is, or goes
 * @error: return location for a #GError
 *
 * Opens @path for writing, creating an empty MBTiles file if there is none.
 *
 * Returns: (transfer full): the file, or %NULL
 */
BaliseMbtiles *
balise_mbtiles_create (const char  *path,
                       GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_file (path, TRUE, error);
}

const char *
balise_mbtiles_get_path (BaliseMbtiles *self)
{
  g_return_val_if_fail (BALISE_IS_MBTILES (self), NULL);

  return self->path;
}

static gboolean
check_address (int      zoom,
               int      x,
               int      y,
               GError **error)
{
  if (zoom < 0 || zoom > MAX_ZOOM || x < 0 || y < 0 || x >= (1 << zoom) || y >= (1 << zoom))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "No tile %d/%d/%d in Web Mercator", zoom, x, y);
      return FALSE;
    }

  return TRUE;
}

/**
 * balise_mbtiles_get_tile:
 * @self: a #BaliseMbtiles
 * @zoom: the zoom level
 * @x: the column, from the west
 * @y: the row, from the north (XYZ)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the tile's bytes, or %NULL with
 *   %BALISE_MBTILES_ERROR_NOT_FOUND when the file does not have it
 */
GBytes *
balise_mbtiles_get_tile (BaliseMbtiles  *self,
                         int             zoom,
                         int             x,
                         int             y,
                         GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GBytes *bytes = NULL;
  int rc;

  g_return_val_if_fail (BALISE_IS_MBTILES (self), NULL);

  if (!check_address (zoom, x, y, error))
    return NULL;

  locker = g_mutex_locker_new (&self->mutex);
  sqlite3_bind_int (self->select_tile, 1, zoom);
  sqlite3_bind_int (self->select_tile, 2, x);
  sqlite3_bind_int (self->select_tile, 3, (1 << zoom) - 1 - y);

  rc = sqlite3_step (self->select_tile);
  if (rc == SQLITE_ROW && sqlite3_column_bytes (self->select_tile, 0) > 0)
    bytes = g_bytes_new (sqlite3_column_blob (self->select_tile, 0),
                         sqlite3_column_bytes (self->select_tile, 0));
  else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    g_set_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_NOT_FOUND,
                 "No tile %d/%d/%d in “%s”", zoom, x, y, self->path);
  else
    set_sqlite_error (self, error, BALISE_MBTILES_ERROR_CORRUPT, "Could not read a tile of");

  sqlite3_reset (self->select_tile);
  return bytes;
}

/**
 * balise_mbtiles_put_tile:
 * @self: a #BaliseMbtiles opened with balise_mbtiles_create()
 * @zoom: the zoom level
 * @x: the column, from the west
 * @y: the row, from the north (XYZ)
 * @data: the tile's bytes
 * @error: return location for a #GError
 *
 * Stores a tile, replacing the one at the same address.
 *
 * Returns: %TRUE on success
 */
gboolean
balise_mbtiles_put_tile (BaliseMbtiles  *self,
                         int             zoom,
                         int             x,
                         int             y,
                         GBytes         *data,
                         GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gsize size;
  const void *bytes;
  int rc;

  g_return_val_if_fail (BALISE_IS_MBTILES (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (!self->writable)
    {
      g_set_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_READ_ONLY,
                   "“%s” is open for reading only", self->path);
      return FALSE;
    }

  if (!check_address (zoom, x, y, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->mutex);
  bytes = g_bytes_get_data (data, &size);
  sqlite3_bind_int (self->insert_tile, 1, zoom);
  sqlite3_bind_int (self->insert_tile, 2, x);
  sqlite3_bind_int (self->insert_tile, 3, (1 << zoom) - 1 - y);
  sqlite3_bind_blob (self->insert_tile, 4, bytes, (int) size, SQLITE_STATIC);

  rc = sqlite3_step (self->insert_tile);
  sqlite3_reset (self->insert_tile);
  sqlite3_clear_bindings (self->insert_tile);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, BALISE_MBTILES_ERROR_FAILED, "Could not write a tile to");
      return FALSE;
    }

  return TRUE;
}

gboolean
balise_mbtiles_clear_tiles (BaliseMbtiles  *self,
                            GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (BALISE_IS_MBTILES (self), FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (sqlite3_exec (self->db, "DELETE FROM tiles", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, BALISE_MBTILES_ERROR_FAILED, "Could not clear the tiles of");
      return FALSE;
    }

  return TRUE;
}

gint64
balise_mbtiles_count_tiles (BaliseMbtiles *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(BaliseMbtilesStmt) stmt = NULL;
  gint64 count = -1;

  g_return_val_if_fail (BALISE_IS_MBTILES (self), -1);

  locker = g_mutex_locker_new (&self->mutex);
  if (sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM tiles", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);

  return count;
}

/**
 * balise_mbtiles_get_metadata:
 * @self: a #BaliseMbtiles
 * @key: a metadata name
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when the file
 *   does not say
 */
char *
balise_mbtiles_get_metadata (BaliseMbtiles *self,
                             const char    *key)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(BaliseMbtilesStmt) stmt = NULL;
  char *value = NULL;

  g_return_val_if_fail (BALISE_IS_MBTILES (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM metadata WHERE name = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  return value;
}

gboolean
balise_mbtiles_set_metadata (BaliseMbtiles  *self,
                             const char     *key,
                             const char     *value,
                             GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(BaliseMbtilesStmt) stmt = NULL;

  g_return_val_if_fail (BALISE_IS_MBTILES (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!self->writable)
    {
      g_set_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_READ_ONLY,
                   "“%s” is open for reading only", self->path);
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->mutex);
  if (sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO metadata (name, value) VALUES (?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, BALISE_MBTILES_ERROR_FAILED, "Could not write the metadata of");
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self, error, BALISE_MBTILES_ERROR_FAILED, "Could not write the metadata of");
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_int (const char *text,
           int        *value)
{
  gint64 parsed;

  if (text == NULL || !g_ascii_string_to_signed (g_strstrip ((char *) text), 10, 0, MAX_ZOOM,
                                                 &parsed, NULL))
    return FALSE;

  *value = (int) parsed;
  return TRUE;
}

/**
 * balise_mbtiles_get_zoom_range:
 * @self: a #BaliseMbtiles
 * @min_zoom: (out): the lowest zoom level with tiles
 * @max_zoom: (out): the highest
 *
 * From the metadata, or from the tiles when the metadata does not say.
 */
void
balise_mbtiles_get_zoom_range (BaliseMbtiles *self,
                               int           *min_zoom,
                               int           *max_zoom)
{
  g_autofree char *min_text = NULL;
  g_autofree char *max_text = NULL;
  int min_value = -1, max_value = -1;

  g_return_if_fail (BALISE_IS_MBTILES (self));

  min_text = balise_mbtiles_get_metadata (self, "minzoom");
  max_text = balise_mbtiles_get_metadata (self, "maxzoom");

  if (!parse_int (min_text, &min_value) || !parse_int (max_text, &max_value) ||
      min_value > max_value)
    {
      g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
      g_autoptr(BaliseMbtilesStmt) stmt = NULL;

      min_value = 0;
      max_value = 22;
      if (sqlite3_prepare_v2 (self->db, "SELECT min (zoom_level), max (zoom_level) FROM tiles",
                              -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW &&
          sqlite3_column_type (stmt, 0) == SQLITE_INTEGER)
        {
          min_value = CLAMP (sqlite3_column_int (stmt, 0), 0, MAX_ZOOM);
          max_value = CLAMP (sqlite3_column_int (stmt, 1), min_value, MAX_ZOOM);
        }
    }

  *min_zoom = min_value;
  *max_zoom = max_value;
}

/**
 * balise_mbtiles_get_bounds:
 * @self: a #BaliseMbtiles
 * @west: (out): in degrees
 * @south: (out): in degrees
 * @east: (out): in degrees
 * @north: (out): in degrees
 *
 * The area the file covers, from its "bounds" metadata ("west,south,east,north"),
 * or the whole Web Mercator world when it has none or a malformed one.
 */
void
balise_mbtiles_get_bounds (BaliseMbtiles *self,
                           double        *west,
                           double        *south,
                           double        *east,
                           double        *north)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  double v[4] = { -180, -MERCATOR_MAX_LAT, 180, MERCATOR_MAX_LAT };

  g_return_if_fail (BALISE_IS_MBTILES (self));

  text = balise_mbtiles_get_metadata (self, "bounds");
  if (text != NULL && (parts = g_strsplit (text, ",", 0)) != NULL && g_strv_length (parts) == 4)
    {
      double parsed[4];
      gboolean ok = TRUE;

      for (guint i = 0; i < 4 && ok; i++)
        {
          char *end = NULL;

          parsed[i] = g_ascii_strtod (parts[i], &end);
          ok = end != parts[i] && isfinite (parsed[i]);
        }

      if (ok && parsed[0] >= -180 && parsed[2] <= 180 && parsed[0] < parsed[2] &&
          parsed[1] >= -90 && parsed[3] <= 90 && parsed[1] < parsed[3])
        memcpy (v, parsed, sizeof v);
    }

  *west = v[0];
  *south = v[1];
  *east = v[2];
  *north = v[3];
}
