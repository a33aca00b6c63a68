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
#include <string.h>
#include <unistd.h>

#include "balise-category.h"
#include "balise-import.h"
#include "balise-import-reader.h"
#include "balise-rtree-load.h"
#include "balise-store-private.h"

/* How an import works
 *
 * The whole import is one write transaction (_balise_store_write()): a
 * cancelled or failed import, or a damaged file, leaves the store exactly as
 * it was. The reader (balise-import-reader.c) parses the file on a thread of
 * its own and hands over rows ready to bind; this side, on the store's
 * writer thread, only steps one prepared INSERT a row.
 *
 * Speed: the triggers and secondary indexes of element are dropped for the
 * bulk insert and put back at the end, inside the same transaction; the
 * R*Trees (idx_element_geom and feature_index) are packed in one pass by
 * _balise_rtree_load() rather than grown a row at a time.
 */

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
  GHashTable               *unsent_nodes;  /* osm_id → GArray of BaliseUnsentEdit */
  GHashTable               *unsent_ways;
  GArray                   *flags;         /* BaliseImportFlag */
  BaliseImportStats         stats;

  /* The R*Tree boxes of the rows, gathered as they are written when the
   * table was empty: every row is then a new one, with the next rowid. */
  BaliseRtreeBoxes         *geom_boxes;
  BaliseRtreeBoxes         *feature_boxes;
  gint64                    last_rowid;
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

/*
 * Writing rows
 */

static void
bind_value (sqlite3_stmt            *stmt,
            int                      column,
            const BaliseImportChunk *chunk,
            guint32                  offset,
            gint32                   len,
            gboolean                 blob)
{
  if (len < 0)
    sqlite3_bind_null (stmt, column);
  else if (blob)
    sqlite3_bind_blob (stmt, column, BALISE_IMPORT_CHUNK_AT (chunk, offset), len, SQLITE_STATIC);
  else
    sqlite3_bind_text (stmt, column, BALISE_IMPORT_CHUNK_AT (chunk, offset), len, SQLITE_STATIC);
}

static gboolean
write_chunk (ImportJob                *job,
             BaliseImportReader       *reader,
             const BaliseImportChunk  *chunk,
             GError                  **error)
{
  sqlite3_stmt *stmt = job->insert;

  for (guint i = 0; i < chunk->rows->len; i++)
    {
      const BaliseImportRow *row = &g_array_index (chunk->rows, BaliseImportRow, i);
      BaliseImportWay way;
      double x = row->x, y = row->y;
      const char *category;
      int rc;

      if (row->type == BALISE_OSM_WAY)
        {
          if (!_balise_import_reader_build_way (reader, chunk, row, &way))
            continue;
          sqlite3_bind_blob (stmt, 8, way.geom, way.geom_len, SQLITE_STATIC);
          sqlite3_bind_blob (stmt, 9, way.nodes, way.nodes_len, SQLITE_STATIC);
          sqlite3_bind_blob (stmt, 13, way.shape, way.shape_len, SQLITE_STATIC);
          x = way.x;
          y = way.y;
        }
      else
        {
          bind_value (stmt, 8, chunk, row->geom, row->geom_len, TRUE);
          sqlite3_bind_null (stmt, 9);
          sqlite3_bind_null (stmt, 13);
        }

      sqlite3_bind_text (stmt, 1, balise_osm_type_to_string (row->type), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, row->id);
      sqlite3_bind_int64 (stmt, 3, row->version);
      if (row->changeset > 0)
        sqlite3_bind_int64 (stmt, 4, row->changeset);
      else
        sqlite3_bind_null (stmt, 4);
      bind_value (stmt, 5, chunk, row->timestamp, row->timestamp_len, FALSE);
      bind_value (stmt, 6, chunk, row->user, row->user_len, FALSE);
      bind_value (stmt, 7, chunk, row->tags, row->tags_len, FALSE);
      bind_value (stmt, 10, chunk, row->category, row->category_len, FALSE);
      bind_value (stmt, 11, chunk, row->name, row->name_len, FALSE);
      bind_value (stmt, 12, chunk, row->ref, row->ref_len, FALSE);

      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _balise_store_set_error (error, job->db, "Could not write an imported element");
          return FALSE;
        }

      if (job->geom_boxes != NULL)
        {
          gint64 rowid = sqlite3_last_insert_rowid (job->db);

          if (rowid <= job->last_rowid)
            {
              /* An element twice in the file: updated, not inserted. The
               * boxes are read back from the table instead. */
              g_clear_pointer (&job->geom_boxes, _balise_rtree_boxes_free);
              g_clear_pointer (&job->feature_boxes, _balise_rtree_boxes_free);
              continue;
            }
          job->last_rowid = rowid;
          _balise_rtree_boxes_add (job->geom_boxes, rowid, x, x, y, y);
          category = row->category_len >= 0 ? BALISE_IMPORT_CHUNK_AT (chunk, row->category) : NULL;
          if (_balise_store_is_feature_category (category))
            _balise_rtree_boxes_add (job->feature_boxes, rowid, x, x, y, y);
        }
    }
  return TRUE;
}

/* Reads the file on the reader's thread while writing its rows here. */
static gboolean
read_and_write (ImportJob  *job,
                GError    **error)
{
  BaliseImportReader *reader;
  BaliseImportChunk *chunk;
  g_autoptr(GError) write_error = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu = _balise_thread_cpu_seconds ();
  gint64 busy = 0;

  reader = _balise_import_reader_start (job->path, job->read_path,
                                        job->unsent_nodes, job->unsent_ways,
                                        job->progress, job->progress_data,
                                        job->cancellable);
  while ((chunk = _balise_import_reader_next (reader)) != NULL)
    {
      gint64 t = g_get_monotonic_time ();
      gboolean ok = write_chunk (job, reader, chunk, &write_error);

      busy += g_get_monotonic_time () - t;
      _balise_import_reader_release (reader, chunk);
      if (!ok)
        break;
    }

  if (!_balise_import_reader_finish (reader, write_error != NULL, &job->stats, &job->flags, error))
    return FALSE;
  g_debug ("Read and written in %.2f s, writing %.2f s of it (%.2f s CPU)",
           (g_get_monotonic_time () - start) / 1e6, busy / 1e6, _balise_thread_cpu_seconds () - cpu);
  if (write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&write_error));
      return FALSE;
    }
  return TRUE;
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
      BaliseUnsentEdit edit = { sqlite3_column_int64 (stmt, 3), sqlite3_column_int64 (stmt, 0) };
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
          edits = g_array_new (FALSE, FALSE, sizeof (BaliseUnsentEdit));
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

  if (job->flags == NULL || job->flags->len == 0)
    return TRUE;

  if (!_balise_store_prepare (job->db,
                              "UPDATE edit SET status = 'conflict', error = ? WHERE id = ?",
                              &stmt, error))
    return FALSE;

  for (guint i = 0; i < job->flags->len; i++)
    {
      BaliseImportFlag *flag = &g_array_index (job->flags, BaliseImportFlag, i);

      sqlite3_bind_text (stmt, 1,
                         g_strdup_printf ("The element changed on the server (version %"
                                          G_GINT64_FORMAT " → %" G_GINT64_FORMAT ")",
                                          flag->base_version, flag->new_version),
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

  if (!_balise_store_exec (job->db, rtree_sql, error))
    {
      g_prefix_error (error, "Could not rebuild the spatial index: ");
      return FALSE;
    }
  if (job->geom_boxes != NULL)
    return _balise_rtree_load_boxes (job->db, "idx_element_geom", job->geom_boxes, error);
  return _balise_rtree_load (job->db, "idx_element_geom",
                             "SELECT id, MbrMinX (geom), MbrMaxX (geom), MbrMinY (geom), MbrMaxY (geom) "
                             "FROM element WHERE geom IS NOT NULL",
                             error);
}

static void
import_job_reset (ImportJob *job)
{
  g_clear_pointer (&job->insert, sqlite3_finalize);
  g_clear_pointer (&job->unsent_nodes, g_hash_table_unref);
  g_clear_pointer (&job->unsent_ways, g_hash_table_unref);
  g_clear_pointer (&job->flags, g_array_unref);
  g_clear_pointer (&job->geom_boxes, _balise_rtree_boxes_free);
  g_clear_pointer (&job->feature_boxes, _balise_rtree_boxes_free);
  job->db = NULL;
  job->cancellable = NULL;
}

static gboolean
import_run (ImportJob     *job,
            GError       **error)
{
  g_autofree char *now = NULL;
  g_autoptr(sqlite3_stmt) meta = NULL;
  g_autoptr(GPtrArray) triggers = NULL;
  g_autoptr(GPtrArray) indexes = NULL;
  g_autofree char *rtree_sql = NULL;
  gboolean element_was_empty;
  gint64 start;
  double cpu;

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
  if (!_balise_store_save_and_drop (job->db, "trigger", &triggers, error) ||
      !drop_spatial_index (job, &rtree_sql, error))
    return FALSE;
  /* The secondary indexes (category, name) are built again at the end: one
   * sort is cheaper than a random B-tree insert a row. The UNIQUE
   * (osm_type, osm_id) constraint stays, ON CONFLICT needs it. */
  if (element_was_empty && !_balise_store_save_and_drop (job->db, "index", &indexes, error))
    return FALSE;
  if (element_was_empty)
    {
      job->geom_boxes = _balise_rtree_boxes_new ();
      job->feature_boxes = _balise_rtree_boxes_new ();
      job->last_rowid = 0;
    }

  /* SQLite checks element's CHECK (osm_type IN ('node', 'way',
   * 'relation')) by building a temporary table of the three names for every
   * row inserted: a B-tree opened, two pages zeroed and freed, which cost
   * more than the rest of the INSERT. The import writes osm_type from
   * balise_osm_type_to_string() only, so the bulk INSERT runs without the
   * CHECK. The pragma is read when a statement is compiled, and changing
   * it expires every prepared statement (recompiled at its next step), so
   * it stays on until the last row is written; import_func() turns it off
   * whatever happens. */
  if (!_balise_store_exec (job->db, "PRAGMA ignore_check_constraints = ON", error) ||
      !_balise_store_prepare (job->db,
                              "INSERT INTO element (osm_type, osm_id, version, changeset, timestamp, "
                              "user, tags, geom, way_nodes, category, name, ref, shape) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                              "ON CONFLICT (osm_type, osm_id) DO UPDATE SET "
                              "version = excluded.version, changeset = excluded.changeset, "
                              "timestamp = excluded.timestamp, user = excluded.user, "
                              "tags = excluded.tags, geom = excluded.geom, way_nodes = excluded.way_nodes, "
                              "category = excluded.category, name = excluded.name, "
                              "ref = excluded.ref, shape = excluded.shape "
                              "WHERE excluded.version = 0 OR excluded.version >= element.version",
                              &job->insert, error))
    return FALSE;

  if (!read_and_write (job, error) ||
      !_balise_store_exec (job->db, "PRAGMA ignore_check_constraints = OFF", error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (job->cancellable, error))
    return FALSE;

  if (job->progress != NULL)
    job->progress (job->stats.nodes_read, job->stats.ways_read, job->progress_data);

  start = g_get_monotonic_time ();
  cpu = _balise_thread_cpu_seconds ();
  for (guint i = 0; indexes != NULL && i < indexes->len; i++)
    if (!_balise_store_exec (job->db, g_ptr_array_index (indexes, i), error))
      return FALSE;
  for (guint i = 0; i < triggers->len; i++)
    if (!_balise_store_exec (job->db, g_ptr_array_index (triggers, i), error))
      return FALSE;
  g_debug ("Indexes and triggers restored in %.2f s (%.2f s CPU)",
           (g_get_monotonic_time () - start) / 1e6, _balise_thread_cpu_seconds () - cpu);
  if (!rebuild_spatial_index (job, rtree_sql, error) ||
      !(job->feature_boxes != NULL
        ? _balise_rtree_load_boxes (job->db, "feature_index", job->feature_boxes, error)
        : _balise_store_rebuild_feature_index (job->db, error)) ||
      !flag_conflicts (job, error))
    return FALSE;
  g_debug ("Spatial index rebuilt in %.2f s (%.2f s CPU)",
           (g_get_monotonic_time () - start) / 1e6, _balise_thread_cpu_seconds () - cpu);

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

  ok = import_run (job, error);
  import_job_reset (job);
  _balise_store_exec (db, "PRAGMA ignore_check_constraints = OFF; PRAGMA cache_size = -2000", NULL);
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
