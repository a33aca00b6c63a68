/* balise-store-review.c: the coordinator's decisions before upload
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include "balise-store-notes.h"
#include "balise-store-private.h"
#include "balise-store-review.h"

#define REVIEW_META_KEY "review_before_upload"

static const char * const decision_names[] = { "approve", "reject", "has_issues" };
static const char * const decision_statuses[] = { "approved", "rejected", "has_issues" };

/* The statuses each decision may be taken from: an edit that is on its way
 * to the server, on it, undone or in conflict is not the reviewer's. */
static const char * const decision_sources[][6] = {
  { "pending", "approved", "has_issues", "rejected", "conflict", NULL },
  { "pending", "approved", "has_issues", "failed", "conflict", NULL },
  { "pending", "approved", "has_issues", "failed", NULL },
};

const char *
balise_review_decision_to_string (BaliseReviewDecision decision)
{
  g_return_val_if_fail (decision <= BALISE_REVIEW_HAS_ISSUES, NULL);
  return decision_names[decision];
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    {
      if (!g_ascii_isspace (*text))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_decision (BaliseReviewDecision   decision,
                const char            *reviewer,
                const char            *comment,
                GError               **error)
{
  if (decision > BALISE_REVIEW_HAS_ISSUES)
    {
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                           "Unknown review decision");
      return FALSE;
    }
  if (is_blank (reviewer))
    {
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                           "A review needs its reviewer");
      return FALSE;
    }
  if (decision != BALISE_REVIEW_APPROVE && is_blank (comment))
    {
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                           decision == BALISE_REVIEW_REJECT
                             ? "Say why the edit is rejected: the volunteer will read it"
                             : "Say what the issues are: the volunteer will read it");
      return FALSE;
    }
  return TRUE;
}

static gboolean
status_allows (BaliseReviewDecision  decision,
               const char           *status,
               gboolean              note)
{
  BaliseNoteStatus from, to;

  /* Notes move by the rules of the notes' own life (balise-store-notes.c). */
  if (note)
    return balise_note_status_from_string (status, &from) &&
           balise_note_status_from_string (decision_statuses[decision], &to) &&
           balise_note_status_can_change (from, to);

  for (guint i = 0; decision_sources[decision][i] != NULL; i++)
    if (g_strcmp0 (decision_sources[decision][i], status) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  GStrv                 uuids;
  BaliseReviewDecision  decision;
  char                 *reviewer;
  char                 *comment;
  gboolean              notes;
} ReviewJob;

static void
review_job_free (ReviewJob *job)
{
  g_strfreev (job->uuids);
  g_free (job->reviewer);
  g_free (job->comment);
  g_free (job);
}

static gboolean
review_one (sqlite3     *db,
            ReviewJob   *job,
            const char  *uuid,
            const char  *now,
            GError     **error)
{
  const char *table = job->notes ? "note" : "edit";
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autofree char *select_sql = g_strdup_printf ("SELECT status, %s FROM %s WHERE uuid = ?",
                                                 job->notes ? "NULL" : "server_version", table);
  g_autofree char *update_sql = NULL;
  g_autofree char *status = NULL;
  int rc;

  if (!_balise_store_prepare (db, select_sql, &select, error))
    return FALSE;
  sqlite3_bind_text (select, 1, uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (select);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "No %s %s in the journal; nothing was changed", table, uuid);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return FALSE;
    }
  status = g_strdup ((const char *) sqlite3_column_text (select, 0));
  if (!status_allows (job->decision, status, job->notes))
    {
      g_set_error (error, BALISE_STORE_ERROR,
                   g_strcmp0 (status, "uploaded") == 0 || g_strcmp0 (status, "uploading") == 0 ||
                   g_strcmp0 (status, "open") == 0 || g_strcmp0 (status, "closed") == 0
                     ? BALISE_STORE_ERROR_UPLOADED : BALISE_STORE_ERROR_INVALID,
                   "The %s %.8s is %s and cannot be given “%s”; nothing was changed",
                   table, uuid, status, decision_names[job->decision]);
      return FALSE;
    }

  /* A conflict with another edit (two field packages) is settled here; one
   * with the server's version needs that version merged first. */
  if (job->decision == BALISE_REVIEW_APPROVE && g_str_equal (status, "conflict") &&
      sqlite3_column_type (select, 1) != SQLITE_NULL)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "The edit %.8s conflicts with the server's version; resolve the conflict "
                   "before approving it; nothing was changed", uuid);
      return FALSE;
    }

  update_sql = g_strdup_printf ("UPDATE %s SET status = ?, reviewer = ?, reviewed_at = ?, "
                                "review_comment = ?, updated_at = ? WHERE uuid = ?", table);
  if (!_balise_store_prepare (db, update_sql, &update, error))
    return FALSE;
  sqlite3_bind_text (update, 1, decision_statuses[job->decision], -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 2, job->reviewer, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 3, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 4, is_blank (job->comment) ? NULL : job->comment, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 5, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 6, uuid, -1, SQLITE_STATIC);
  if (sqlite3_step (update) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not record the review");
      return FALSE;
    }
  return TRUE;
}

static gboolean
review_func (BaliseStore   *self,
             sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  ReviewJob *job = data;
  g_autofree char *now = _balise_store_now_iso8601 ();

  for (guint i = 0; job->uuids[i] != NULL; i++)
    {
      if (!review_one (db, job, job->uuids[i], now, error))
        return FALSE;
    }
  return _balise_store_ensure_contributor (db, job->reviewer, error);
}

static ReviewJob *
review_job_new (const char * const    *uuids,
                BaliseReviewDecision   decision,
                const char            *reviewer,
                const char            *comment,
                gboolean               notes)
{
  ReviewJob *job = g_new0 (ReviewJob, 1);

  job->uuids = g_strdupv ((char **) uuids);
  job->decision = decision;
  job->reviewer = g_strstrip (g_strdup (reviewer));
  job->comment = comment ? g_strstrip (g_strdup (comment)) : NULL;
  job->notes = notes;
  return job;
}

static gboolean
review (BaliseStore           *self,
        const char * const    *uuids,
        BaliseReviewDecision   decision,
        const char            *reviewer,
        const char            *comment,
        gboolean               notes,
        GError               **error)
{
  ReviewJob *job;
  gboolean ok;

  if (!check_decision (decision, reviewer, comment, error))
    return FALSE;
  job = review_job_new (uuids, decision, reviewer, comment, notes);
  ok = _balise_store_write (self, review_func, job, NULL, error);
  review_job_free (job);
  return ok;
}

gboolean
balise_store_review_edits (BaliseStore           *self,
                           const char * const    *uuids,
                           BaliseReviewDecision   decision,
                           const char            *reviewer,
                           const char            *comment,
                           GError               **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuids != NULL, FALSE);

  return review (self, uuids, decision, reviewer, comment, FALSE, error);
}

gboolean
balise_store_review_notes (BaliseStore           *self,
                           const char * const    *uuids,
                           BaliseReviewDecision   decision,
                           const char            *reviewer,
                           const char            *comment,
                           GError               **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuids != NULL, FALSE);

  return review (self, uuids, decision, reviewer, comment, TRUE, error);
}

static void
review_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!_balise_store_write_finish (BALISE_STORE (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
balise_store_review_edits_async (BaliseStore           *self,
                                 const char * const    *uuids,
                                 BaliseReviewDecision   decision,
                                 const char            *reviewer,
                                 const char            *comment,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ReviewJob *job;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (uuids != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_review_edits_async);
  if (!check_decision (decision, reviewer, comment, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job = review_job_new (uuids, decision, reviewer, comment, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify) review_job_free);
  _balise_store_write_async (self, review_func, job, NULL, cancellable,
                             review_written_cb, g_steal_pointer (&task));
}

gboolean
balise_store_review_edits_finish (BaliseStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/*
 * A reviewer's own change
 */

typedef struct
{
  const char         *uuid;
  const BaliseChange *change;
  const char         *reviewer;
  BaliseEdit         *edit;     /* out */
} ReviewChange;

static gboolean
review_change_func (BaliseStore   *self,
                    sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  ReviewChange *job = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(BaliseEdit) reviewed = NULL;
  g_autoptr(BaliseChange) change = NULL;
  int rc;

  if (!_balise_store_prepare (db,
                              "SELECT " BALISE_STORE_EDIT_COLUMNS ", "
                              BALISE_STORE_SUPERSEDED_SQL ("edit") " FROM edit WHERE uuid = ?",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                     "No edit %s in the journal", job->uuid);
      else
        _balise_store_set_error (error, db, "Could not read the journal");
      return FALSE;
    }
  reviewed = _balise_store_edit_from_row (stmt);

  if (reviewed->status != BALISE_EDIT_STATUS_PENDING &&
      reviewed->status != BALISE_EDIT_STATUS_APPROVED &&
      reviewed->status != BALISE_EDIT_STATUS_HAS_ISSUES &&
      reviewed->status != BALISE_EDIT_STATUS_CONFLICT)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "The edit %.8s is %s; only a pending, approved, sent back or conflicting "
                   "edit can be changed in review", job->uuid, balise_edit_status_to_string (reviewed->status));
      return FALSE;
    }
  if (sqlite3_column_int (stmt, BALISE_STORE_EDIT_N_COLUMNS) != 0)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "A later edit of %s %" G_GINT64_FORMAT " replaces %.8s; review that one",
                   balise_osm_type_to_string (reviewed->osm_type), reviewed->osm_id, job->uuid);
      return FALSE;
    }

  change = balise_change_copy (job->change);
  change->osm_type = reviewed->osm_type;
  change->osm_id = reviewed->osm_id;
  g_free (change->contributor);
  change->contributor = g_strdup (reviewed->contributor ? reviewed->contributor : job->reviewer);
  if (change->preset == NULL)
    change->preset = g_strdup (reviewed->preset);

  job->edit = _balise_store_change_in_transaction (db, change, job->reviewer, error);
  return job->edit != NULL && _balise_store_ensure_contributor (db, job->reviewer, error);
}

BaliseEdit *
balise_store_review_change (BaliseStore         *self,
                            const char          *uuid,
                            const BaliseChange  *change,
                            const char          *reviewer,
                            GError             **error)
{
  g_autofree char *clean_reviewer = NULL;
  ReviewChange job = { uuid, change, NULL, NULL };
  BaliseEdit *edit = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);
  g_return_val_if_fail (change != NULL, NULL);

  if (!check_decision (BALISE_REVIEW_APPROVE, reviewer, NULL, error))
    return NULL;
  job.reviewer = clean_reviewer = g_strstrip (g_strdup (reviewer));

  if (_balise_store_write (self, review_change_func, &job, NULL, error))
    edit = g_steal_pointer (&job.edit);
  g_clear_pointer (&job.edit, balise_edit_unref);
  return edit;
}

/*
 * Review before upload
 */

gboolean
balise_store_get_review_before_upload (BaliseStore *self)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), TRUE);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db,
                              "SELECT coalesce ((SELECT value = '1' FROM meta WHERE key = '"
                              REVIEW_META_KEY "'), (SELECT count (*) > 1 FROM contributor))",
                              &stmt, NULL) ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return TRUE;  /* in doubt, nothing leaves unreviewed */
  return sqlite3_column_int (stmt, 0) != 0;
}

static gboolean
set_review_func (BaliseStore   *self,
                 sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_balise_store_prepare (db,
                              "INSERT INTO meta (key, value) VALUES ('" REVIEW_META_KEY "', ?) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, GPOINTER_TO_INT (data) ? "1" : "0", -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not save the setting");
      return FALSE;
    }
  return TRUE;
}

gboolean
balise_store_set_review_before_upload (BaliseStore  *self,
                                       gboolean      review,
                                       GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  return _balise_store_write (self, set_review_func, GINT_TO_POINTER (review ? 1 : 0), NULL, error);
}

guint
balise_store_get_ready_mask (BaliseStore *self)
{
  guint mask = BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_APPROVED) |
               BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_FAILED);

  g_return_val_if_fail (BALISE_IS_STORE (self), mask);

  if (!balise_store_get_review_before_upload (self))
    mask |= BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_PENDING);
  return mask;
}

static GPtrArray *
list_sendable (BaliseStore  *self,
               guint         mask,
               GError      **error)
{
  sqlite3 *db = _balise_store_get_read_db (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  int rc;

  if (!_balise_store_prepare (db,
                              "SELECT " BALISE_STORE_EDIT_COLUMNS " FROM edit WHERE "
                              "status IN ('pending', 'approved', 'uploading', 'failed') AND "
                              "kind != 'note' AND " BALISE_STORE_SENDABLE_SQL ("edit") " ORDER BY id",
                              &stmt, error))
    return NULL;

  edits = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_edit_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BaliseEdit *edit = _balise_store_edit_from_row (stmt);

      if ((mask & BALISE_EDIT_STATUS_MASK (edit->status)) != 0)
        g_ptr_array_add (edits, edit);
      else
        balise_edit_unref (edit);
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return NULL;
    }
  return g_steal_pointer (&edits);
}

GPtrArray *
balise_store_list_ready_edits (BaliseStore  *self,
                               GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

  return list_sendable (self, balise_store_get_ready_mask (self), error);
}

GPtrArray *
balise_store_list_unsent_edits (BaliseStore  *self,
                                GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

  return list_sendable (self, BALISE_STORE_UNSENT_MASK, error);
}
