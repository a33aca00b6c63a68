/* balise-store-undo.c: undo and redo over the journal, per contributor
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include "balise-store-journal.h"
#include "balise-store-private.h"

/* The undo history of a contributor is their edits in journal order: undo
 * takes back the latest that still stands, redo restores the undone edit
 * just above the latest standing one. A new edit stands above every undone
 * one, which empties the redo history without writing anything. Rejections
 * are the reviewer's and are not part of it. */

#define UNDO_CANDIDATE_SQL \
  "SELECT id, status FROM edit WHERE contributor = ?1 AND kind != 'note' " \
  "AND status NOT IN ('undone', 'rejected') ORDER BY id DESC LIMIT 1"

#define REDO_CANDIDATE_SQL \
  "SELECT id, status FROM edit WHERE contributor = ?1 AND kind != 'note' AND status = 'undone' " \
  "AND id > coalesce ((SELECT max (id) FROM edit WHERE contributor = ?1 AND kind != 'note' " \
  "AND status NOT IN ('undone', 'rejected')), 0) ORDER BY id LIMIT 1"

/* The candidate's id and status, or 0 when there is none. */
static gint64
find_candidate (sqlite3      *db,
                const char   *sql,
                const char   *contributor,
                char        **status,
                GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_balise_store_prepare (db, sql, &stmt, error))
    return -1;
  sqlite3_bind_text (stmt, 1, contributor, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return 0;
  if (rc != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return -1;
    }
  if (status != NULL)
    *status = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  return sqlite3_column_int64 (stmt, 0);
}

static BaliseEdit *
read_edit (sqlite3  *db,
           gint64    id,
           GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_balise_store_prepare (db, "SELECT " BALISE_STORE_EDIT_COLUMNS " FROM edit WHERE id = ?",
                              &stmt, error))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return NULL;
    }
  return _balise_store_edit_from_row (stmt);
}

static gboolean
set_status (sqlite3     *db,
            gint64       id,
            const char  *status,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();

  if (!_balise_store_prepare (db, "UPDATE edit SET status = ?, updated_at = ? WHERE id = ?",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not change the journal");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  char       *contributor;
  gboolean    redo;
  BaliseEdit *edit;     /* out */
} UndoJob;

static void
undo_job_free (UndoJob *job)
{
  g_free (job->contributor);
  g_clear_pointer (&job->edit, balise_edit_unref);
  g_free (job);
}

static gboolean
undo_redo_func (BaliseStore   *self,
                sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  UndoJob *job = data;
  g_autofree char *status = NULL;
  gint64 id;

  id = find_candidate (db, job->redo ? REDO_CANDIDATE_SQL : UNDO_CANDIDATE_SQL,
                       job->contributor, &status, error);
  if (id < 0)
    return FALSE;
  if (id == 0)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   job->redo ? "%s has nothing to redo" : "%s has nothing to undo",
                   job->contributor);
      return FALSE;
    }

  if (!job->redo &&
      (g_str_equal (status, "uploaded") || g_str_equal (status, "uploading")))
    {
      g_autoptr(BaliseEdit) edit = read_edit (db, id, NULL);

      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_UPLOADED,
                   "“%s” was %s OpenStreetMap and cannot be undone; change it again instead",
                   edit ? balise_edit_describe (edit) : "The edit",
                   g_str_equal (status, "uploaded") ? "already uploaded to"
                                                    : "is being uploaded to");
      return FALSE;
    }

  if (!set_status (db, id, job->redo ? "pending" : "undone", error))
    return FALSE;
  job->edit = read_edit (db, id, error);
  return job->edit != NULL;
}

static BaliseEdit *
undo_redo (BaliseStore  *self,
           const char   *contributor,
           gboolean      redo,
           GError      **error)
{
  UndoJob job = { (char *) contributor, redo, NULL };
  BaliseEdit *edit = NULL;

  if (_balise_store_write (self, undo_redo_func, &job, NULL, error))
    edit = g_steal_pointer (&job.edit);
  g_clear_pointer (&job.edit, balise_edit_unref);
  return edit;
}

BaliseEdit *
balise_store_undo (BaliseStore  *self,
                   const char   *contributor,
                   GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (contributor != NULL, NULL);

  return undo_redo (self, contributor, FALSE, error);
}

BaliseEdit *
balise_store_redo (BaliseStore  *self,
                   const char   *contributor,
                   GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (contributor != NULL, NULL);

  return undo_redo (self, contributor, TRUE, error);
}

static void
undo_redo_written_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UndoJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!_balise_store_write_finish (BALISE_STORE (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&job->edit), (GDestroyNotify) balise_edit_unref);
}

static void
undo_redo_async (BaliseStore         *self,
                 const char          *contributor,
                 gboolean             redo,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  UndoJob *job = g_new0 (UndoJob, 1);

  job->contributor = g_strdup (contributor);
  job->redo = redo;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_undo_redo_finish);
  g_task_set_task_data (task, job, (GDestroyNotify) undo_job_free);
  _balise_store_write_async (self, undo_redo_func, job, NULL, cancellable,
                             undo_redo_written_cb, g_steal_pointer (&task));
}

void
balise_store_undo_async (BaliseStore         *self,
                         const char          *contributor,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (contributor != NULL);

  undo_redo_async (self, contributor, FALSE, cancellable, callback, user_data);
}

void
balise_store_redo_async (BaliseStore         *self,
                         const char          *contributor,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (contributor != NULL);

  undo_redo_async (self, contributor, TRUE, cancellable, callback, user_data);
}

BaliseEdit *
balise_store_undo_redo_finish (BaliseStore   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
balise_store_can_undo (BaliseStore *self,
                       const char  *contributor)
{
  g_autofree char *status = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  if (contributor == NULL ||
      find_candidate (_balise_store_get_read_db (self), UNDO_CANDIDATE_SQL, contributor,
                      &status, NULL) <= 0)
    return FALSE;
  return !g_str_equal (status, "uploaded") && !g_str_equal (status, "uploading");
}

gboolean
balise_store_can_redo (BaliseStore *self,
                       const char  *contributor)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  return contributor != NULL &&
         find_candidate (_balise_store_get_read_db (self), REDO_CANDIDATE_SQL, contributor,
                         NULL, NULL) > 0;
}
