/* balise-package-import.c: reading a field package into the database
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-package"

#include "config.h"

#include <string.h>

#include "balise-package-private.h"

typedef struct
{
  sqlite3             *package;
  char                *name;          /* for messages */
  BalisePackageReport *report;
  GHashTable          *uuids;         /* every edit uuid of the package */
  GHashTable          *local_ids;     /* package's negative id → this database's */
} Import;

static int
query_int (sqlite3    *db,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

/* Refuses a file that is not a package, or one from a newer Balise. */
static gboolean
check_package (Import  *import,
               GError **error)
{
  int application_id = query_int (import->package, "PRAGMA application_id");
  int version = query_int (import->package, "PRAGMA user_version");

  if (application_id != BALISE_PACKAGE_APPLICATION_ID || version < 1)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                   "“%s” is not a Balise field package", import->name);
      return FALSE;
    }
  if (version > BALISE_PACKAGE_FORMAT_VERSION)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_TOO_NEW,
                   "“%s” was written by a newer version of Balise (package format %d; this "
                   "version reads up to %d). Update Balise to import it; nothing was imported.",
                   import->name, version, BALISE_PACKAGE_FORMAT_VERSION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_uuids (Import  *import,
            GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_balise_store_prepare (import->package, "SELECT uuid FROM edit", &stmt, error))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (import->uuids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, import->package, "Could not read the package");
      return FALSE;
    }
  return TRUE;
}

/* Whether this database has the edit or note @uuid, and for an edit its
 * target id. */
static gboolean
find_existing (sqlite3     *db,
               const char  *table,
               const char  *uuid,
               gboolean    *exists,
               gint64      *osm_id,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE uuid = ?",
                                          g_str_equal (table, "edit") ? "osm_id" : "0", table);
  int rc;

  if (!_balise_store_prepare (db, sql, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return FALSE;
    }
  *exists = rc == SQLITE_ROW;
  if (osm_id != NULL)
    *osm_id = *exists ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

static BaliseTags *
column_tags (sqlite3_stmt  *stmt,
             int            column,
             GError       **error)
{
  const char *json = (const char *) sqlite3_column_text (stmt, column);

  if (json == NULL)
    return NULL;
  return balise_tags_new_from_json (json, error);
}

static BaliseEdit *
edit_from_package_row (sqlite3_stmt  *stmt,
                       GError       **error)
{
  g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(GError) local_error = NULL;
  const char *text;
  gboolean ok;

  edit->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  ok = edit->uuid != NULL && g_uuid_string_is_valid (edit->uuid) &&
       balise_edit_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &edit->kind) &&
       edit->kind != BALISE_EDIT_NOTE &&
       balise_osm_type_from_string ((const char *) sqlite3_column_text (stmt, 2), &edit->osm_type) &&
       balise_edit_status_from_string ((const char *) sqlite3_column_text (stmt, 11), &edit->status);
  if (ok)
    {
      edit->osm_id = sqlite3_column_int64 (stmt, 3);
      edit->base_version = sqlite3_column_int64 (stmt, 4);
      edit->base_tags = column_tags (stmt, 5, &local_error);
      if (local_error == NULL)
        edit->new_tags = column_tags (stmt, 6, &local_error);
      edit->lat = sqlite3_column_double (stmt, 7);
      edit->lon = sqlite3_column_double (stmt, 8);
      edit->contributor = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      text = (const char *) sqlite3_column_text (stmt, 10);
      edit->created_at = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
      edit->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 12));
      edit->preset = g_strdup ((const char *) sqlite3_column_text (stmt, 13));
      edit->edited_by = g_strdup ((const char *) sqlite3_column_text (stmt, 14));
      edit->reviewer = g_strdup ((const char *) sqlite3_column_text (stmt, 15));
      edit->review_comment = g_strdup ((const char *) sqlite3_column_text (stmt, 16));
      text = (const char *) sqlite3_column_text (stmt, 17);
      edit->reviewed_at = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
      ok = local_error == NULL && edit->created_at != NULL;
    }
  if (!ok)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                   "The package holds a damaged edit %s%s%s; nothing was imported",
                   edit->uuid ? edit->uuid : "", local_error ? ": " : "",
                   local_error ? local_error->message : "");
      return NULL;
    }
  return g_steal_pointer (&edit);
}

/* The standing unsent edit of the element that did not come with this
 * package, if there is one: importing over it would overwrite it. */
static gboolean
find_other_edit (Import      *import,
                 sqlite3     *db,
                 BaliseEdit  *edit,
                 char       **other,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *other = NULL;
  if (!_balise_store_prepare (db,
                              "SELECT uuid, coalesce (contributor, '?') FROM edit "
                              "WHERE osm_type = ? AND osm_id = ? AND kind != 'note' AND status IN "
                              "('pending', 'approved', 'has_issues', 'failed', 'conflict', "
                              "'uploading') ORDER BY id DESC",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, balise_osm_type_to_string (edit->osm_type), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, edit->osm_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *uuid = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_hash_table_contains (import->uuids, uuid))
        {
          *other = g_strdup_printf ("%.8s by %s", uuid, sqlite3_column_text (stmt, 1));
          return TRUE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return FALSE;
    }
  return TRUE;
}

static gboolean
mark_conflict (sqlite3     *db,
               BaliseEdit  *edit,
               const char  *other,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *message = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();

  message = g_strdup_printf ("Imported from a field package while edit %s of the same %s "
                             "was waiting here: decide which to keep", other,
                             balise_osm_type_to_string (edit->osm_type));
  if (!_balise_store_prepare (db,
                              "UPDATE edit SET status = 'conflict', error = ?, updated_at = ? "
                              "WHERE id = ?",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, message, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, edit->id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not record the conflict");
      return FALSE;
    }
  edit->status = BALISE_EDIT_STATUS_CONFLICT;
  return TRUE;
}

static gboolean
next_local_id (sqlite3  *db,
               gint64   *id,
               GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_balise_store_prepare (db, "SELECT min (0, coalesce (min (osm_id), 0)) - 1 FROM edit",
                              &stmt, error))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not allocate a local id");
      return FALSE;
    }
  *id = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
import_edit (Import        *import,
             sqlite3       *db,
             sqlite3_stmt  *row,
             GError       **error)
{
  g_autoptr(BaliseEdit) edit = NULL;
  g_autofree char *other = NULL;
  gint64 package_id;
  gint64 existing;
  gboolean exists;
  gint64 *mapped = NULL;

  if (!(edit = edit_from_package_row (row, error)))
    return FALSE;
  package_id = edit->osm_id;

  if (!find_existing (db, "edit", edit->uuid, &exists, &existing, error))
    return FALSE;
  if (exists)
    {
      /* Imported before: keep its local id for the package's later edits. */
      if (package_id < 0)
        g_hash_table_insert (import->local_ids, g_memdup2 (&package_id, sizeof package_id),
                             g_memdup2 (&existing, sizeof existing));
      import->report->skipped_edits++;
      return TRUE;
    }

  if (package_id < 0)
    {
      /* The field machine's local ids mean nothing here. */
      mapped = g_hash_table_lookup (import->local_ids, &package_id);
      if (mapped != NULL)
        edit->osm_id = *mapped;
      else if (edit->kind == BALISE_EDIT_CREATE)
        edit->osm_id = 0;
      else if (!next_local_id (db, &edit->osm_id, error))
        return FALSE;
    }
  else if (!find_other_edit (import, db, edit, &other, error))
    return FALSE;

  if (!_balise_store_add_edit_in_transaction (db, edit, error))
    {
      g_prefix_error (error, "Edit %s of the package: ", edit->uuid);
      return FALSE;
    }
  if (package_id < 0 && mapped == NULL)
    g_hash_table_insert (import->local_ids, g_memdup2 (&package_id, sizeof package_id),
                         g_memdup2 (&edit->osm_id, sizeof edit->osm_id));

  if (other != NULL)
    {
      if (!mark_conflict (db, edit, other, error))
        return FALSE;
      import->report->conflicts++;
    }
  import->report->edits++;
  return TRUE;
}

static gboolean
import_edits (Import  *import,
              sqlite3 *db,
              GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_balise_store_prepare (import->package,
                              "SELECT " BALISE_PACKAGE_EDIT_COLUMNS " FROM edit ORDER BY seq",
                              &stmt, error))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!import_edit (import, db, stmt, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, import->package, "Could not read the package");
      return FALSE;
    }
  return TRUE;
}

static gboolean
import_notes (Import  *import,
              sqlite3 *db,
              GError **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  int rc;

  if (!_balise_store_prepare (import->package,
                              "SELECT " BALISE_PACKAGE_NOTE_COLUMNS " FROM note ORDER BY seq",
                              &select, error) ||
      !_balise_store_prepare (db,
                              "INSERT INTO note (" BALISE_PACKAGE_NOTE_COLUMNS ") VALUES "
                              "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              &insert, error))
    return FALSE;

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const char *uuid = (const char *) sqlite3_column_text (select, 0);
      const char *contributor = (const char *) sqlite3_column_text (select, 7);
      gboolean exists;

      if (uuid == NULL || !g_uuid_string_is_valid (uuid))
        {
          g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                               "The package holds a note without a valid uuid; nothing was imported");
          return FALSE;
        }
      if (!find_existing (db, "note", uuid, &exists, NULL, error))
        return FALSE;
      if (exists)
        {
          import->report->skipped_notes++;
          continue;
        }
      if (!_balise_package_copy_row (db, select, insert, 15, error))
        {
          g_prefix_error (error, "Note %s of the package: ", uuid);
          return FALSE;
        }
      if (contributor != NULL && !_balise_store_ensure_contributor (db, contributor, error))
        return FALSE;
      import->report->notes++;
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, import->package, "Could not read the package");
      return FALSE;
    }
  return TRUE;
}

static gboolean
import_photos (Import  *import,
               sqlite3 *db,
               GError **error)
{
  g_autoptr(sqlite3_stmt) photos = NULL;
  g_autoptr(sqlite3_stmt) links = NULL;
  int rc;

  if (!_balise_store_prepare (import->package,
                              "SELECT sha256, mime_type, data, created_at FROM photo",
                              &photos, error) ||
      !_balise_store_prepare (import->package,
                              "SELECT sha256, edit_uuid, note_uuid FROM photo_link ORDER BY rowid",
                              &links, error))
    return FALSE;

  while ((rc = sqlite3_step (photos)) == SQLITE_ROW)
    {
      const char *sha256 = (const char *) sqlite3_column_text (photos, 0);
      g_autoptr(GBytes) bytes = g_bytes_new (sqlite3_column_blob (photos, 2),
                                             (gsize) sqlite3_column_bytes (photos, 2));
      g_autofree char *actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

      if (g_strcmp0 (actual, sha256) != 0)
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                       "The photo %s in “%s” is damaged (its bytes do not match its checksum); "
                       "nothing was imported", sha256 ? sha256 : "?", import->name);
          return FALSE;
        }
      if (!_balise_store_insert_photo (db, sha256, (const char *) sqlite3_column_text (photos, 1),
                                       bytes, (const char *) sqlite3_column_text (photos, 3),
                                       error))
        return FALSE;
      import->report->photos += (guint) sqlite3_changes (db);
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, import->package, "Could not read the package");
      return FALSE;
    }

  while ((rc = sqlite3_step (links)) == SQLITE_ROW)
    {
      const char *edit_uuid = (const char *) sqlite3_column_text (links, 1);
      const char *note_uuid = (const char *) sqlite3_column_text (links, 2);

      if ((edit_uuid == NULL) == (note_uuid == NULL))
        continue;
      if (!_balise_store_link_photo (db, (const char *) sqlite3_column_text (links, 0),
                                     edit_uuid, note_uuid, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, import->package, "Could not read the package");
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
  Import *import = data;

  return import_edits (import, db, error) &&
         import_notes (import, db, error) &&
         import_photos (import, db, error);
}

gboolean
balise_store_import_package (BaliseStore          *self,
                             GFile                *file,
                             BalisePackageReport  *report,
                             GCancellable         *cancellable,
                             GError              **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) local_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                           g_free, g_free);
  BalisePackageReport local_report = { 0, };
  Import import = { NULL, NULL, report ? report : &local_report, uuids, local_ids };
  gboolean ok;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  memset (import.report, 0, sizeof *import.report);
  import.name = g_file_get_parse_name (file);

  if (!(path = g_file_get_path (file)) || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "There is no file “%s”", import.name);
      g_free (import.name);
      return FALSE;
    }

  if (sqlite3_open_v2 (path, &import.package, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                   "Could not open “%s”: %s", import.name, sqlite3_errmsg (import.package));
      ok = FALSE;
    }
  else
    {
      ok = check_package (&import, error) &&
           _balise_store_exec (import.package, "BEGIN", error) &&
           load_uuids (&import, error) &&
           _balise_store_write (self, import_func, &import, cancellable, error);
    }

  if (!ok)
    memset (import.report, 0, sizeof *import.report);
  sqlite3_close (import.package);
  g_free (import.name);
  return ok;
}

static void
import_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  BalisePackageReport *report = g_new0 (BalisePackageReport, 1);

  if (balise_store_import_package (source_object, task_data, report, cancellable, &error))
    g_task_return_pointer (task, report, g_free);
  else
    {
      g_free (report);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

void
balise_store_import_package_async (BaliseStore         *self,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_import_package_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, import_in_thread);
}

gboolean
balise_store_import_package_finish (BaliseStore          *self,
                                    GAsyncResult         *result,
                                    BalisePackageReport  *report,
                                    GError              **error)
{
  g_autofree BalisePackageReport *done = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  done = g_task_propagate_pointer (G_TASK (result), error);
  if (done != NULL && report != NULL)
    *report = *done;
  return done != NULL;
}
