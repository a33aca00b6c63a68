/* balise-store-undo.c: undo and redo over the journal, per contributor
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include "balise-store-journal.h"
#include "balise-store-notes.h"
#include "balise-store-private.h"

/* The undo history of a contributor is what they recorded, edits and notes
 * (faults) together, in the order they recorded it (a reviewer's change in
 * review is in the reviewer's history, not the volunteer's): undo takes back the
 * latest entry that still stands, redo restores the undone entry just after
 * the latest standing one. A new entry is later than every undone one,
 * which empties the redo history without writing anything. Rejections are
 * the reviewer's and are not part of it. A NULL contributor is the history
 * of what was recorded before anyone gave a name. */

/* Each lookup is one range of an index, edit_history or note_history
 * (schema version 5), in each of the two tables: the latest standing entry
 * for undo, the first undone entry after it for redo. Running after every
 * change on the main thread, they never scan the journal. */
#define ENTRIES_SQL(where, order) \
  "SELECT * FROM (" \
  "SELECT * FROM (SELECT 0 AS is_note, id, status, created_at FROM edit " \
  "WHERE coalesce (edited_by, contributor) IS ?1 AND kind != 'note' AND " where " " \
  "ORDER BY " order " LIMIT 1) " \
  "UNION ALL " \
  "SELECT * FROM (SELECT 1 AS is_note, id, status, created_at FROM note " \
  "WHERE contributor IS ?1 AND " where " ORDER BY " order " LIMIT 1)) " \
  "ORDER BY " order " LIMIT 1"

#define UNDO_CANDIDATE_SQL \
  ENTRIES_SQL ("status NOT IN ('undone', 'rejected')", "created_at DESC, id DESC")

/* ?2: the creation time of the undo candidate, or '' when there is none. */
#define REDO_CANDIDATE_SQL \
  ENTRIES_SQL ("status = 'undone' AND created_at > ?2", "created_at, id")

/* For the tests, which check that SQLite serves them from the indexes. */
const char *
_balise_store_undo_sql (gboolean redo)
{
  return redo ? REDO_CANDIDATE_SQL : UNDO_CANDIDATE_SQL;
}

typedef struct
{
  gboolean  note;
  gint64    id;
  char     *status;
} Entry;

static void
entry_clear (Entry *entry)
{
  g_clear_pointer (&entry->status, g_free);
}

/* Sets @entry->id to 0 when there is no candidate; @created_at, when
 * given, to the candidate's creation time. */
static gboolean
find_entry (sqlite3      *db,
            const char   *sql,
            const char   *contributor,
            const char   *after,
            Entry        *entry,
            char        **created_at,
            GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  entry->id = 0;
  if (!_balise_store_prepare (db, sql, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, contributor, -1, SQLITE_TRANSIENT);
  if (after != NULL)
    sqlite3_bind_text (stmt, 2, after, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return FALSE;
    }
  entry->note = sqlite3_column_int (stmt, 0) != 0;
  entry->id = sqlite3_column_int64 (stmt, 1);
  entry->status = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (created_at != NULL)
    *created_at = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  return TRUE;
}

/* The entry undo takes back, or (@redo) the one redo restores. */
static gboolean
find_candidate (sqlite3      *db,
                gboolean      redo,
                const char   *contributor,
                Entry        *entry,
                GError      **error)
{
  g_autofree char *standing_at = NULL;

  if (!find_entry (db, UNDO_CANDIDATE_SQL, contributor, NULL, entry,
                   redo ? &standing_at : NULL, error))
    return FALSE;
  if (!redo)
    return TRUE;

  entry_clear (entry);
  return find_entry (db, REDO_CANDIDATE_SQL, contributor, standing_at ? standing_at : "",
                     entry, NULL, error);
}

static gboolean
is_on_server (Entry *entry)
{
  static const char * const sent[] = { "uploading", "uploaded", "open", "closed", "hidden", NULL };

  return g_strv_contains (sent, entry->status);
}

/* A note as a journal entry of kind note: its uuid, place, contributor,
 * creation and status (undone or pending). */
static BaliseEdit *
read_note (sqlite3  *db,
           gint64    id,
           GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  BaliseEdit *edit;
  const char *created_at;
  BaliseNoteStatus status;

  if (!_balise_store_prepare (db,
                              "SELECT uuid, lat, lon, contributor, created_at, status, category, "
                              "text FROM note WHERE id = ?",
                              &stmt, error))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not read the notes");
      return NULL;
    }

  edit = balise_edit_new (BALISE_EDIT_NOTE);
  edit->id = id;
  edit->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  edit->lat = sqlite3_column_double (stmt, 1);
  edit->lon = sqlite3_column_double (stmt, 2);
  edit->contributor = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  created_at = (const char *) sqlite3_column_text (stmt, 4);
  edit->created_at = created_at ? g_date_time_new_from_iso8601 (created_at, NULL) : NULL;
  if (balise_note_status_from_string ((const char *) sqlite3_column_text (stmt, 5), &status))
    edit->status = status == BALISE_NOTE_STATUS_UNDONE ? BALISE_EDIT_STATUS_UNDONE
                                                       : BALISE_EDIT_STATUS_PENDING;
  edit->preset = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  edit->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  return edit;
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

static BaliseEdit *
read_entry (sqlite3  *db,
            Entry    *entry,
            GError  **error)
{
  return entry->note ? read_note (db, entry->id, error) : read_edit (db, entry->id, error);
}

static gboolean
set_status (sqlite3     *db,
            Entry       *entry,
            const char  *status,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();

  if (entry->note)
    {
      BaliseNoteStatus from, to;

      /* Notes move by the rules of their own life (balise-store-notes.c). */
      if (!balise_note_status_from_string (entry->status, &from) ||
          !balise_note_status_from_string (status, &to) ||
          !balise_note_status_can_change (from, to))
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                       "A note cannot go from %s to %s", entry->status, status);
          return FALSE;
        }
    }

  if (!_balise_store_prepare (db, entry->note
                                    ? "UPDATE note SET status = ?, updated_at = ? WHERE id = ?"
                                    : "UPDATE edit SET status = ?, updated_at = ? WHERE id = ?",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, entry->id);
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
  Entry entry = { 0, };
  gboolean ok = FALSE;

  if (!find_candidate (db, job->redo, job->contributor, &entry, error))
    return FALSE;

  if (entry.id == 0)
    g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                 job->redo ? "%s has nothing to redo" : "%s has nothing to undo",
                 job->contributor);
  else if (!job->redo && is_on_server (&entry))
    {
      g_autoptr(BaliseEdit) edit = read_entry (db, &entry, NULL);

      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_UPLOADED,
                   "“%s” %s OpenStreetMap and cannot be undone; change it again instead",
                   edit ? balise_edit_describe (edit) : "The edit",
                   g_str_equal (entry.status, "uploading") ? "is being uploaded to"
                                                           : "was already uploaded to");
    }
  else if (set_status (db, &entry, job->redo ? "pending" : "undone", error))
    {
      job->edit = read_entry (db, &entry, error);
      ok = job->edit != NULL;
    }

  entry_clear (&entry);
  return ok;
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

  return undo_redo (self, contributor, FALSE, error);
}

BaliseEdit *
balise_store_redo (BaliseStore  *self,
                   const char   *contributor,
                   GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

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
  Entry entry = { 0, };
  gboolean can;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  if (!find_candidate (_balise_store_get_read_db (self), FALSE, contributor, &entry, NULL))
    return FALSE;
  can = entry.id != 0 && !is_on_server (&entry);
  entry_clear (&entry);
  return can;
}

gboolean
balise_store_can_redo (BaliseStore *self,
                       const char  *contributor)
{
  Entry entry = { 0, };
  gboolean can;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  if (!find_candidate (_balise_store_get_read_db (self), TRUE, contributor, &entry, NULL))
    return FALSE;
  can = entry.id != 0;
  entry_clear (&entry);
  return can;
}
