/* balise-store-history.c: the uploaded changesets, from the batch table
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store-history"

#include "config.h"

#include "balise-servers.h"
#include "balise-store-history.h"
#include "balise-store-private.h"
#include "balise-store-sync.h"
#include "balise-sync-client-private.h"

void
balise_changeset_record_free (BaliseChangesetRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->batch_uuid);
  g_free (record->server);
  g_clear_pointer (&record->uploaded_at, g_date_time_unref);
  g_free (record->comment);
  g_free (record);
}

static gboolean
count_edits (BaliseStore            *self,
             BaliseChangesetRecord  *record,
             GError                **error)
{
  g_autoptr(GPtrArray) edits = _balise_store_list_batch_edits (self, record->batch_uuid, error);

  if (edits == NULL)
    return FALSE;

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);

      /* A delete the server skipped (if-unused) is in the batch but not
       * in the changeset. */
      if (edit->status != BALISE_EDIT_STATUS_UPLOADED)
        continue;

      switch (edit->kind)
        {
        case BALISE_EDIT_CREATE: record->counts.created++; break;
        case BALISE_EDIT_MODIFY: record->counts.modified++; break;
        case BALISE_EDIT_DELETE: record->counts.deleted++; break;
        case BALISE_EDIT_NOTE:
        default:
          break;
        }
      _balise_sync_report_count (&record->counts, edit);
      record->n_edits++;
    }

  record->counts.changesets = 1;
  record->counts.last_changeset_id = record->changeset_id;
  return TRUE;
}

GPtrArray *
balise_store_list_uploaded_changesets (BaliseStore  *self,
                                       const char   *server,
                                       GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) records = NULL;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db,
                              "SELECT uuid, server, changeset_id, updated_at, comment FROM batch "
                              "WHERE state IN ('uploaded', 'closed') AND changeset_id IS NOT NULL "
                              "AND (?1 IS NULL OR server = ?1) "
                              "ORDER BY updated_at DESC, rowid DESC",
                              &stmt, error))
    return NULL;
  if (server != NULL)
    sqlite3_bind_text (stmt, 1, server, -1, SQLITE_TRANSIENT);

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_changeset_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BaliseChangesetRecord *record = g_new0 (BaliseChangesetRecord, 1);
      const char *updated_at = (const char *) sqlite3_column_text (stmt, 3);

      record->batch_uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      record->server = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      record->changeset_id = sqlite3_column_int64 (stmt, 2);
      record->uploaded_at = updated_at ? g_date_time_new_from_iso8601 (updated_at, NULL) : NULL;
      record->comment = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      g_ptr_array_add (records, record);
    }

  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the uploaded changesets");
      return NULL;
    }

  for (guint i = 0; i < records->len; i++)
    if (!count_edits (self, g_ptr_array_index (records, i), error))
      return NULL;

  return g_steal_pointer (&records);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GPtrArray *records;
  GError *error = NULL;

  if ((records = balise_store_list_uploaded_changesets (source_object, task_data, &error)))
    g_task_return_pointer (task, records, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
balise_store_list_uploaded_changesets_async (BaliseStore         *self,
                                             const char          *server,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BALISE_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_list_uploaded_changesets_async);
  g_task_set_task_data (task, g_strdup (server), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
balise_store_list_uploaded_changesets_finish (BaliseStore   *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
server_page_url (const char *api_url,
                 const char *what,
                 gint64      id)
{
  const char *site = balise_server_auth_url (api_url);

  return g_strdup_printf ("%s%s%s/%" G_GINT64_FORMAT, site,
                          g_str_has_suffix (site, "/") ? "" : "/", what, id);
}

char *
balise_server_changeset_url (const char *api_url,
                             gint64      changeset_id)
{
  g_return_val_if_fail (api_url != NULL, NULL);
  g_return_val_if_fail (changeset_id > 0, NULL);

  return server_page_url (api_url, "changeset", changeset_id);
}

char *
balise_note_page_url (const BaliseNote *note,
                      const char       *current_api_url,
                      gboolean         *guessed)
{
  g_return_val_if_fail (note != NULL, NULL);
  g_return_val_if_fail (current_api_url != NULL, NULL);

  if (guessed != NULL)
    *guessed = note->server == NULL;
  if (note->osm_note_id <= 0)
    return NULL;

  return server_page_url (note->server != NULL ? note->server : current_api_url, "note",
                          note->osm_note_id);
}

char *
balise_server_note_url (const char *api_url,
                        gint64      note_id)
{
  g_return_val_if_fail (api_url != NULL, NULL);
  g_return_val_if_fail (note_id > 0, NULL);

  return server_page_url (api_url, "note", note_id);
}
