/* balise-store-notes.c: faults in the store, on their way to OSM notes
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include "balise-store-notes.h"
#include "balise-store-private.h"

#define NOTE_COLUMNS \
  "id, uuid, lat, lon, category, text, element_type, element_id, contributor, created_at, " \
  "status, osm_note_id, error, preset, reason, review_comment, reviewer, reviewed_at, " \
  "comments, refreshed_at, updated_at, server"

static GDateTime *
column_date (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

static char *
column_strdup (sqlite3_stmt *stmt,
               int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static BaliseNote *
note_from_row (sqlite3_stmt *stmt)
{
  BaliseNote *note = balise_note_new (sqlite3_column_double (stmt, 2),
                                      sqlite3_column_double (stmt, 3),
                                      (const char *) sqlite3_column_text (stmt, 4),
                                      (const char *) sqlite3_column_text (stmt, 5));
  const char *comments = (const char *) sqlite3_column_text (stmt, 18);

  note->id = sqlite3_column_int64 (stmt, 0);
  note->uuid = column_strdup (stmt, 1);
  if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
    {
      balise_osm_type_from_string ((const char *) sqlite3_column_text (stmt, 6),
                                   &note->element_type);
      note->element_id = sqlite3_column_int64 (stmt, 7);
    }
  note->contributor = column_strdup (stmt, 8);
  note->created_at = column_date (stmt, 9);
  balise_note_status_from_string ((const char *) sqlite3_column_text (stmt, 10), &note->status);
  note->osm_note_id = sqlite3_column_int64 (stmt, 11);
  note->server = column_strdup (stmt, 21);
  note->error = column_strdup (stmt, 12);
  note->preset = column_strdup (stmt, 13);
  note->reason = column_strdup (stmt, 14);
  note->review_comment = column_strdup (stmt, 15);
  note->reviewer = column_strdup (stmt, 16);
  note->reviewed_at = column_date (stmt, 17);
  if (comments != NULL)
    {
      g_autoptr(GError) error = NULL;
      GPtrArray *parsed = balise_note_comments_from_json (comments, &error);

      if (parsed != NULL)
        {
          g_ptr_array_unref (note->comments);
          note->comments = parsed;
        }
      else
        g_warning ("Ignoring the unreadable comments of note %s: %s", note->uuid, error->message);
    }
  note->refreshed_at = column_date (stmt, 19);
  note->updated_at = column_date (stmt, 20);
  return note;
}

static gboolean
step_done (sqlite3       *db,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, what);
      return FALSE;
    }
  return TRUE;
}

/*
 * Adding
 */

static gboolean
add_note_func (BaliseStore   *self,
               sqlite3       *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  BaliseNote *note = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();

  if (!balise_note_validate (note, error))
    return FALSE;

  if (note->status != BALISE_NOTE_STATUS_PENDING && note->status != BALISE_NOTE_STATUS_APPROVED)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "A new note cannot be %s", balise_note_status_to_string (note->status));
      return FALSE;
    }

  if (note->uuid == NULL)
    note->uuid = g_uuid_string_random ();
  if (note->created_at == NULL)
    note->created_at = g_date_time_new_now_utc ();
  created_at = g_date_time_format_iso8601 (note->created_at);

  if (!_balise_store_prepare (db,
                              "INSERT INTO note (uuid, lat, lon, category, text, element_type, "
                              "element_id, contributor, created_at, status, preset, updated_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              &stmt, error))
    return FALSE;

  sqlite3_bind_text (stmt, 1, note->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 2, note->lat);
  sqlite3_bind_double (stmt, 3, note->lon);
  sqlite3_bind_text (stmt, 4, note->category, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, note->text, -1, SQLITE_STATIC);
  if (note->element_id > 0)
    {
      sqlite3_bind_text (stmt, 6, balise_osm_type_to_string (note->element_type), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, note->element_id);
    }
  sqlite3_bind_text (stmt, 8, note->contributor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, created_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, balise_note_status_to_string (note->status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, note->preset, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, now, -1, SQLITE_STATIC);

  if (!step_done (db, stmt, "Could not record the note", error))
    {
      if (sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_UNIQUE)
        g_prefix_error (error, "A note %s is already stored: ", note->uuid);
      return FALSE;
    }

  note->id = sqlite3_last_insert_rowid (db);
  return TRUE;
}

/**
 * balise_store_add_note:
 *
 * Records @note, in its own transaction.
 */
gboolean
balise_store_add_note (BaliseStore  *self,
                       BaliseNote   *note,
                       GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (note != NULL, FALSE);

  return _balise_store_write (self, add_note_func, note, NULL, error);
}

void
balise_store_add_note_async (BaliseStore         *self,
                             BaliseNote          *note,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (note != NULL);

  _balise_store_write_async (self, add_note_func, balise_note_ref (note),
                             (GDestroyNotify) balise_note_unref,
                             cancellable, callback, user_data);
}

gboolean
balise_store_add_note_finish (BaliseStore   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  return _balise_store_write_finish (self, result, error);
}

/*
 * Reading
 */

GPtrArray *
balise_store_list_notes (BaliseStore  *self,
                         guint         status_mask,
                         GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db, "SELECT " NOTE_COLUMNS " FROM note ORDER BY id", &stmt, error))
    return NULL;

  notes = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_note_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BaliseNoteStatus status = BALISE_NOTE_STATUS_PENDING;

      balise_note_status_from_string ((const char *) sqlite3_column_text (stmt, 10), &status);
      if (status_mask == 0 || (status_mask & BALISE_NOTE_STATUS_MASK (status)) != 0)
        g_ptr_array_add (notes, note_from_row (stmt));
    }

  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the notes");
      return NULL;
    }
  return g_steal_pointer (&notes);
}

static void
list_notes_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BaliseStore *self = source_object;
  GPtrArray *notes = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (_balise_store_begin_thread_reads (self, &error))
    {
      notes = balise_store_list_notes (self, GPOINTER_TO_UINT (task_data), &error);
      _balise_store_end_thread_reads (self);
    }

  if (notes != NULL)
    g_task_return_pointer (task, notes, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
balise_store_list_notes_async (BaliseStore         *self,
                               guint                status_mask,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_list_notes_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (status_mask), NULL);
  /* Not returned on cancel: the read is short, and a thread left running
   * would outlive whoever let go of the store. */
  g_task_run_in_thread (task, list_notes_thread);
}

GPtrArray *
balise_store_list_notes_finish (BaliseStore   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}


BaliseNote *
balise_store_get_note (BaliseStore  *self,
                       const char   *uuid,
                       GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db, "SELECT " NOTE_COLUMNS " FROM note WHERE uuid = ?", &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return note_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                 "No note %s in the store", uuid);
  else
    _balise_store_set_error (error, db, "Could not read the notes");
  return NULL;
}

/*
 * Status
 */

#define M(s) BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_##s)

/* Where people may move a note from each status. */
static const guint allowed_moves[] = {
  [BALISE_NOTE_STATUS_PENDING]    = M (APPROVED) | M (REJECTED) | M (HAS_ISSUES) | M (UNDONE),
  [BALISE_NOTE_STATUS_APPROVED]   = M (PENDING) | M (REJECTED) | M (HAS_ISSUES) | M (UNDONE),
  [BALISE_NOTE_STATUS_REJECTED]   = M (PENDING) | M (APPROVED),
  [BALISE_NOTE_STATUS_UPLOADING]  = 0,
  [BALISE_NOTE_STATUS_OPEN]       = 0,
  [BALISE_NOTE_STATUS_CLOSED]     = 0,
  [BALISE_NOTE_STATUS_HIDDEN]     = 0,
  [BALISE_NOTE_STATUS_FAILED]     = M (PENDING) | M (APPROVED) | M (REJECTED),
  [BALISE_NOTE_STATUS_UNDONE]     = M (PENDING),
  [BALISE_NOTE_STATUS_HAS_ISSUES] = M (PENDING) | M (APPROVED) | M (REJECTED) | M (UNDONE),
};

#undef M

G_STATIC_ASSERT (G_N_ELEMENTS (allowed_moves) == BALISE_NOTE_STATUS_LAST + 1);

/**
 * balise_note_status_can_change:
 *
 * Returns: whether a person may move a note from @from to @to.
 */
gboolean
balise_note_status_can_change (BaliseNoteStatus from,
                               BaliseNoteStatus to)
{
  g_return_val_if_fail (from <= BALISE_NOTE_STATUS_LAST, FALSE);
  g_return_val_if_fail (to <= BALISE_NOTE_STATUS_LAST, FALSE);

  return from == to || (allowed_moves[from] & BALISE_NOTE_STATUS_MASK (to)) != 0;
}

typedef struct
{
  char             *uuid;
  BaliseNoteStatus  status;
  guint             ready_mask;     /* claim: the statuses it may leave */
  gboolean          by_sync;
  char             *message;
  gint64            osm_note_id;
  GPtrArray        *comments;
  char             *server;         /* the API URL it goes to, or NULL */
} StatusChange;

static void
status_change_free (StatusChange *change)
{
  g_free (change->uuid);
  g_free (change->message);
  g_free (change->server);
  g_clear_pointer (&change->comments, g_ptr_array_unref);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StatusChange, status_change_free)

static gboolean
read_status (sqlite3           *db,
             const char        *uuid,
             BaliseNoteStatus  *status,
             GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_balise_store_prepare (db, "SELECT status FROM note WHERE uuid = ?", &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (!balise_note_status_from_string ((const char *) sqlite3_column_text (stmt, 0), status))
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                       "Note %s has an unknown status", uuid);
          return FALSE;
        }
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                 "No note %s in the store", uuid);
  else
    _balise_store_set_error (error, db, "Could not read the notes");
  return FALSE;
}

static gboolean
set_status_func (BaliseStore   *self,
                 sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  StatusChange *change = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();
  BaliseNoteStatus current;

  if (!read_status (db, change->uuid, &current, error))
    return FALSE;

  if (current == change->status)
    return TRUE;

  if (!balise_note_status_can_change (current, change->status))
    {
      if (allowed_moves[current] == 0)
        g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                     "The note is already on the server (%s); only sync changes it now",
                     balise_note_status_to_string (current));
      else
        g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                     "A note cannot go from %s to %s",
                     balise_note_status_to_string (current),
                     balise_note_status_to_string (change->status));
      return FALSE;
    }

  if (!_balise_store_prepare (db,
                              "UPDATE note SET status = ?, updated_at = ?, "
                              "error = CASE WHEN ? = 'failed' THEN error ELSE NULL END "
                              "WHERE uuid = ?",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, balise_note_status_to_string (change->status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, balise_note_status_to_string (change->status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, change->uuid, -1, SQLITE_STATIC);
  return step_done (db, stmt, "Could not change the note's status", error);
}

gboolean
balise_store_set_note_status (BaliseStore       *self,
                              const char        *uuid,
                              BaliseNoteStatus   status,
                              GError           **error)
{
  StatusChange change = { (char *) uuid, status, 0, FALSE, NULL, 0, NULL };

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (status <= BALISE_NOTE_STATUS_LAST, FALSE);

  return _balise_store_write (self, set_status_func, &change, NULL, error);
}

void
balise_store_set_note_status_async (BaliseStore         *self,
                                    const char          *uuid,
                                    BaliseNoteStatus     status,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  StatusChange *change;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (uuid != NULL);
  g_return_if_fail (status <= BALISE_NOTE_STATUS_LAST);

  change = g_new0 (StatusChange, 1);
  change->uuid = g_strdup (uuid);
  change->status = status;
  _balise_store_write_async (self, set_status_func, change, (GDestroyNotify) status_change_free,
                             cancellable, callback, user_data);
}

gboolean
balise_store_set_note_status_finish (BaliseStore   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  return _balise_store_write_finish (self, result, error);
}

/*
 * For sync
 */

static gboolean
claim_note_func (BaliseStore   *self,
                 sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  StatusChange *change = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();
  BaliseNoteStatus current;

  if (!read_status (db, change->uuid, &current, error))
    return FALSE;

  if ((change->ready_mask & BALISE_NOTE_STATUS_MASK (current)) == 0)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "Note %s is %s, not ready to be sent", change->uuid,
                   balise_note_status_to_string (current));
      return FALSE;
    }

  if (!_balise_store_prepare (db,
                              "UPDATE note SET status = 'uploading', error = NULL, updated_at = ?, "
                              "server = ? WHERE uuid = ?",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, change->server, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, change->uuid, -1, SQLITE_STATIC);
  return step_done (db, stmt, "Could not record the note's upload", error);
}

gboolean
_balise_store_claim_note (BaliseStore  *self,
                          const char   *uuid,
                          const char   *server,
                          guint         ready_mask,
                          GError      **error)
{
  StatusChange change = { (char *) uuid, BALISE_NOTE_STATUS_UPLOADING, ready_mask, TRUE, NULL, 0, NULL,
                          (char *) server };

  g_return_val_if_fail (server != NULL, FALSE);

  return _balise_store_write (self, claim_note_func, &change, NULL, error);
}

static gboolean
fail_note_func (BaliseStore   *self,
                sqlite3       *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  StatusChange *change = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();

  if (!_balise_store_prepare (db,
                              "UPDATE note SET status = 'failed', error = ?, updated_at = ? "
                              "WHERE uuid = ? AND status = 'uploading'",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->message, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, change->uuid, -1, SQLITE_STATIC);
  return step_done (db, stmt, "Could not record the note's failure", error);
}

gboolean
_balise_store_fail_note (BaliseStore  *self,
                         const char   *uuid,
                         const char   *message,
                         GError      **error)
{
  StatusChange change = { (char *) uuid, BALISE_NOTE_STATUS_FAILED, 0, TRUE, (char *) message, 0, NULL };

  return _balise_store_write (self, fail_note_func, &change, NULL, error);
}

static gboolean
server_state_func (BaliseStore   *self,
                   sqlite3       *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  StatusChange *change = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();
  g_autofree char *comments = balise_note_comments_to_json (change->comments);

  if (!_balise_store_prepare (db,
                              "UPDATE note SET osm_note_id = ?1, status = ?2, comments = ?3, "
                              "refreshed_at = ?4, error = NULL, server = coalesce (?6, server), "
                              "updated_at = CASE WHEN status = ?2 THEN updated_at ELSE ?4 END "
                              "WHERE uuid = ?5",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, change->osm_note_id);
  sqlite3_bind_text (stmt, 2, balise_note_status_to_string (change->status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, comments, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, change->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, change->server, -1, SQLITE_STATIC);
  if (!step_done (db, stmt, "Could not record the note's state on the server", error))
    return FALSE;

  if (sqlite3_changes (db) != 1)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "No note %s in the store", change->uuid);
      return FALSE;
    }
  return TRUE;
}

gboolean
_balise_store_set_note_server_state (BaliseStore       *self,
                                     const char        *uuid,
                                     const char        *server,
                                     gint64             osm_note_id,
                                     BaliseNoteStatus   status,
                                     GPtrArray         *comments,
                                     GError           **error)
{
  StatusChange change = { (char *) uuid, status, 0, TRUE, NULL, osm_note_id, comments, (char *) server };

  g_return_val_if_fail (osm_note_id > 0, FALSE);
  g_return_val_if_fail (status == BALISE_NOTE_STATUS_OPEN ||
                        status == BALISE_NOTE_STATUS_CLOSED ||
                        status == BALISE_NOTE_STATUS_HIDDEN, FALSE);

  return _balise_store_write (self, server_state_func, &change, NULL, error);
}
