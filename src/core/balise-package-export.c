/* balise-package-export.c: writing a volunteer's work to a field package
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-package"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "balise-package-private.h"

gboolean
_balise_package_copy_row (sqlite3       *db,
                          sqlite3_stmt  *from,
                          sqlite3_stmt  *to,
                          int            n_columns,
                          GError       **error)
{
  sqlite3_reset (to);
  for (int i = 0; i < n_columns; i++)
    sqlite3_bind_value (to, i + 1, sqlite3_column_value (from, i));
  if (sqlite3_step (to) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not copy a row");
      return FALSE;
    }
  return TRUE;
}

/* The journal rows of the contributor that go in the package. */
#define EDIT_FILTER \
  "contributor = ?1 AND kind != 'note' AND status IN " BALISE_PACKAGE_STATUSES
#define NOTE_FILTER \
  "contributor = ?1 AND status IN " BALISE_PACKAGE_STATUSES

typedef struct
{
  sqlite3             *store;     /* a read-only connection of its own */
  sqlite3             *package;
  const char          *contributor;
  BalisePackageReport *report;
} Export;

/* Copies the rows of @select (on the store, ?1 the contributor) with @insert
 * (on the package), numbering them in parameter @n_columns + 1 when @seq. */
static gboolean
copy_rows (Export      *export,
           const char  *select_sql,
           const char  *insert_sql,
           int          n_columns,
           gboolean     seq,
           guint       *count,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  int rc;

  if (!_balise_store_prepare (export->store, select_sql, &select, error) ||
      !_balise_store_prepare (export->package, insert_sql, &insert, error))
    return FALSE;
  sqlite3_bind_text (select, 1, export->contributor, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      if (seq)
        {
          sqlite3_reset (insert);
          sqlite3_bind_int (insert, n_columns + 1, (int) *count);
        }
      if (!_balise_package_copy_row (export->package, select, insert, n_columns, error))
        return FALSE;
      (*count)++;
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, export->store, "Could not read the journal");
      return FALSE;
    }
  return TRUE;
}

static gboolean
copy_photos (Export  *export,
             GError **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  int rc;

  if (!_balise_store_prepare (export->store,
                              "SELECT sha256, mime_type, size, data, created_at FROM photo "
                              "WHERE sha256 IN (SELECT sha256 FROM photo_link "
                              "WHERE edit_uuid IN (SELECT uuid FROM edit WHERE " EDIT_FILTER ") "
                              "OR note_uuid IN (SELECT uuid FROM note WHERE " NOTE_FILTER "))",
                              &select, error) ||
      !_balise_store_prepare (export->package,
                              "INSERT INTO photo (sha256, mime_type, size, data, created_at) "
                              "VALUES (?, ?, ?, ?, ?)",
                              &insert, error))
    return FALSE;
  sqlite3_bind_text (select, 1, export->contributor, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const char *sha256 = (const char *) sqlite3_column_text (select, 0);
      g_autofree char *actual = NULL;

      actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, sqlite3_column_blob (select, 3),
                                            (gsize) sqlite3_column_bytes (select, 3));
      if (g_strcmp0 (actual, sha256) != 0)
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                       "The photo %s is damaged in the database; the package was not written",
                       sha256);
          return FALSE;
        }
      if (!_balise_package_copy_row (export->package, select, insert, 5, error))
        return FALSE;
      export->report->photos++;
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, export->store, "Could not read the photos");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_meta (Export  *export,
            GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();
  const char *pairs[][2] = {
    { "generator", "Balise " PACKAGE_VERSION },
    { "created_at", now },
    { "contributor", export->contributor },
  };

  if (!_balise_store_prepare (export->package, "INSERT INTO package (key, value) VALUES (?, ?)",
                              &stmt, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, pairs[i][0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, pairs[i][1], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _balise_store_set_error (error, export->package, "Could not write the package");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
contributor_known (sqlite3     *db,
                   const char  *name,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_balise_store_prepare (db, "SELECT 1 FROM contributor WHERE name = ?", &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                 "There is no contributor named “%s” in this database", name);
  else
    _balise_store_set_error (error, db, "Could not read the contributors");
  return FALSE;
}

static gboolean
export_to (Export   *export,
           GError  **error)
{
  g_autofree char *pragmas = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                                              BALISE_PACKAGE_APPLICATION_ID,
                                              BALISE_PACKAGE_FORMAT_VERSION);

  return contributor_known (export->store, export->contributor, error) &&
         _balise_store_exec (export->package, "PRAGMA journal_mode = DELETE; BEGIN;", error) &&
         _balise_store_exec (export->package, BALISE_PACKAGE_SCHEMA, error) &&
         _balise_store_exec (export->package, pragmas, error) &&
         write_meta (export, error) &&
         copy_rows (export,
                    "SELECT " BALISE_PACKAGE_EDIT_COLUMNS " FROM edit WHERE " EDIT_FILTER
                    " ORDER BY id",
                    "INSERT INTO edit (" BALISE_PACKAGE_EDIT_COLUMNS ", seq) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    18, TRUE, &export->report->edits, error) &&
         copy_rows (export,
                    "SELECT " BALISE_PACKAGE_NOTE_COLUMNS " FROM note WHERE " NOTE_FILTER
                    " ORDER BY id",
                    "INSERT INTO note (" BALISE_PACKAGE_NOTE_COLUMNS ", seq) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    15, TRUE, &export->report->notes, error) &&
         copy_photos (export, error);
}

static gboolean
copy_links (Export  *export,
            GError **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  int rc;

  if (!_balise_store_prepare (export->store,
                              "SELECT sha256, edit_uuid, note_uuid FROM photo_link "
                              "WHERE edit_uuid IN (SELECT uuid FROM edit WHERE " EDIT_FILTER ") "
                              "OR note_uuid IN (SELECT uuid FROM note WHERE " NOTE_FILTER ") "
                              "ORDER BY rowid",
                              &select, error) ||
      !_balise_store_prepare (export->package,
                              "INSERT INTO photo_link (sha256, edit_uuid, note_uuid) "
                              "VALUES (?, ?, ?)",
                              &insert, error))
    return FALSE;
  sqlite3_bind_text (select, 1, export->contributor, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      if (!_balise_package_copy_row (export->package, select, insert, 3, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, export->store, "Could not read the photos");
      return FALSE;
    }
  return TRUE;
}

gboolean
balise_store_export_package (BaliseStore          *self,
                             const char           *contributor,
                             GFile                *file,
                             BalisePackageReport  *report,
                             GCancellable         *cancellable,
                             GError              **error)
{
  g_autofree char *path = NULL;
  g_autofree char *part = NULL;
  BalisePackageReport local_report = { 0, };
  Export export = { NULL, NULL, contributor, report ? report : &local_report };
  gboolean ok;
  int fd;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (contributor != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  memset (export.report, 0, sizeof *export.report);

  if (!(path = g_file_get_path (file)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "A package is written to a local file");
      return FALSE;
    }

  /* Written beside the target, then renamed over it: a package on a USB
   * stick is either whole or not there. Volunteers' names are in it. */
  part = g_strconcat (path, ".part", NULL);
  g_unlink (part);
  fd = g_open (part, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create “%s”: %s", part, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  ok = sqlite3_open_v2 (balise_store_get_path (self), &export.store, SQLITE_OPEN_READONLY, NULL)
         == SQLITE_OK &&
       sqlite3_open_v2 (part, &export.package, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK;
  if (!ok)
    g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_FAILED,
                 "Could not open the database or the package: %s",
                 sqlite3_errmsg (export.package ? export.package : export.store));
  else
    {
      sqlite3_busy_timeout (export.store, 10000);
      ok = _balise_store_exec (export.store, "BEGIN", error) &&
           export_to (&export, error) &&
           copy_links (&export, error) &&
           !g_cancellable_set_error_if_cancelled (cancellable, error) &&
           _balise_store_exec (export.package, "COMMIT", error);
      _balise_store_exec (export.store, "ROLLBACK", NULL);
    }

  sqlite3_close (export.store);
  sqlite3_close (export.package);

  if (ok && g_rename (part, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not write “%s”: %s", path, g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (part);
  return ok;
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  g_autoptr(GError) error = NULL;
  BalisePackageReport *report = g_new0 (BalisePackageReport, 1);

  if (balise_store_export_package (source_object, task_data, file, report, cancellable, &error))
    g_task_return_pointer (task, report, g_free);
  else
    {
      g_free (report);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

void
balise_store_export_package_async (BaliseStore         *self,
                                   const char          *contributor,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (contributor != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_export_package_async);
  g_task_set_task_data (task, g_strdup (contributor), g_free);
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, export_in_thread);
}

gboolean
balise_store_export_package_finish (BaliseStore          *self,
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
