/* balise-upload-preview.c: what the next sync would send
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-upload-preview"

#include "config.h"

#include "balise-changeset-summary.h"
#include "balise-store-notes.h"
#include "balise-store-private.h"
#include "balise-store-review.h"
#include "balise-sync-client-private.h"
#include "balise-upload-preview.h"

void
balise_upload_preview_free (BaliseUploadPreview *preview)
{
  if (preview == NULL)
    return;

  g_free (preview->summary);
  g_strfreev (preview->credits);
  g_free (preview);
}

guint
balise_store_get_note_ready_mask (BaliseStore *self)
{
  guint mask = BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_APPROVED) |
               BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_FAILED);

  g_return_val_if_fail (BALISE_IS_STORE (self), 0);

  if (!balise_store_get_review_before_upload (self))
    mask |= BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_PENDING);
  return mask;
}

/* "'approved', 'failed'": the SQL list of the statuses in @mask. */
static char *
status_list (guint         mask,
             guint         n_statuses,
             const char *(*to_string) (int status))
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint status = 0; status < n_statuses; status++)
    {
      if ((mask & (1u << status)) == 0)
        continue;
      if (list->len > 0)
        g_string_append (list, ", ");
      g_string_append_printf (list, "'%s'", to_string ((int) status));
    }
  return g_string_free (g_steal_pointer (&list), FALSE);
}

static const char *
edit_status_name (int status)
{
  return balise_edit_status_to_string ((BaliseEditStatus) status);
}

static const char *
note_status_name (int status)
{
  return balise_note_status_to_string ((BaliseNoteStatus) status);
}

guint
balise_store_count_ready (BaliseStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *edit_statuses = NULL;
  g_autofree char *note_statuses = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db;

  g_return_val_if_fail (BALISE_IS_STORE (self), 0);

  /* The rows of balise_store_list_ready_edits() and the notes the preview
   * counts, and what a failed sync left uploading. */
  edit_statuses = status_list (balise_store_get_ready_mask (self) |
                               BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_UPLOADING),
                               BALISE_EDIT_STATUS_LAST + 1, edit_status_name);
  note_statuses = status_list (balise_store_get_note_ready_mask (self) |
                               BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_UPLOADING),
                               BALISE_NOTE_STATUS_LAST + 1, note_status_name);
  sql = g_strdup_printf ("SELECT (SELECT count(*) FROM edit WHERE status IN (%s) AND "
                         "kind != 'note' AND " BALISE_STORE_SENDABLE_SQL ("edit") "), "
                         "(SELECT count(*) FROM note WHERE status IN (%s))",
                         edit_statuses, note_statuses);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db, sql, &stmt, NULL) || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return (guint) (sqlite3_column_int64 (stmt, 0) + sqlite3_column_int64 (stmt, 1));
}

BaliseUploadPreview *
balise_store_preview_upload (BaliseStore  *self,
                             GError      **error)
{
  g_autoptr(BaliseUploadPreview) preview = g_new0 (BaliseUploadPreview, 1);
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GPtrArray) notes = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

  if (!(edits = balise_store_list_ready_edits (self, error)) ||
      !(notes = balise_store_list_notes (self, balise_store_get_note_ready_mask (self), error)))
    return NULL;

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);

      switch (edit->kind)
        {
        case BALISE_EDIT_CREATE: preview->counts.created++; break;
        case BALISE_EDIT_MODIFY: preview->counts.modified++; break;
        case BALISE_EDIT_DELETE: preview->counts.deleted++; break;
        case BALISE_EDIT_NOTE:
        default:
          break;
        }
      _balise_sync_report_count (&preview->counts, edit);
    }

  preview->n_edits = edits->len;
  preview->n_notes = notes->len;
  preview->credits = balise_changeset_credits (edits);
  if (edits->len > 0)
    preview->summary = balise_store_summarize_edits (self, edits);

  return g_steal_pointer (&preview);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  BaliseUploadPreview *preview;
  GError *error = NULL;

  if ((preview = balise_store_preview_upload (source_object, &error)))
    g_task_return_pointer (task, preview, (GDestroyNotify) balise_upload_preview_free);
  else
    g_task_return_error (task, error);
}

void
balise_store_preview_upload_async (BaliseStore         *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BALISE_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_preview_upload_async);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, preview_thread);
}

BaliseUploadPreview *
balise_store_preview_upload_finish (BaliseStore   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
