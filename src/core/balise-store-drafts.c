/* balise-store-drafts.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store-drafts"

#include "config.h"

#include "balise-store-drafts.h"
#include "balise-store-private.h"

typedef struct
{
  char       *uuid;
  BaliseTags *tags;
  char       *preset;
  gboolean    commit;
  gboolean    discard;
} DraftWrite;

static void
draft_write_free (DraftWrite *write)
{
  g_clear_pointer (&write->uuid, g_free);
  g_clear_pointer (&write->tags, balise_tags_unref);
  g_clear_pointer (&write->preset, g_free);
  g_free (write);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DraftWrite, draft_write_free)

static DraftWrite *
draft_write_new (const char *uuid,
                 BaliseTags *tags,
                 const char *preset,
                 gboolean    commit,
                 gboolean    discard)
{
  DraftWrite *write = g_new0 (DraftWrite, 1);

  write->uuid = g_strdup (uuid);
  write->tags = tags ? balise_tags_copy (tags) : NULL;
  write->preset = g_strdup (preset);
  write->commit = commit;
  write->discard = discard;

  return write;
}

static gboolean
draft_write_func (BaliseStore   *self,
                  sqlite3       *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  DraftWrite *write = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = NULL;

  if (write->discard)
    {
      /* A draft never left the form: it goes without a trace, and so do
       * the photos linked to it. */
      if (!_balise_store_prepare (db, "DELETE FROM edit WHERE uuid = ? AND status = 'draft'", &stmt, error))
        return FALSE;
      sqlite3_bind_text (stmt, 1, write->uuid, -1, SQLITE_TRANSIENT);
    }
  else
    {
      if (!balise_tags_validate (write->tags, error))
        return FALSE;

      now = _balise_store_now_iso8601 ();
      if (!_balise_store_prepare (db,
                                  "UPDATE edit SET new_tags = ?, preset = coalesce(?, preset), "
                                  "updated_at = ?, status = ? "
                                  "WHERE uuid = ? AND status = 'draft'",
                                  &stmt, error))
        return FALSE;

      sqlite3_bind_text (stmt, 1, balise_tags_to_json (write->tags), -1, g_free);
      sqlite3_bind_text (stmt, 2, write->preset, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, write->commit ? "pending" : "draft", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, write->uuid, -1, SQLITE_TRANSIENT);
    }

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not write the draft");
      return FALSE;
    }

  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "No draft %s: it was committed or discarded already", write->uuid);
      return FALSE;
    }

  if (write->discard)
    {
      g_autoptr(sqlite3_stmt) photos = NULL;
      g_autoptr(GPtrArray) unlinked = g_ptr_array_new_with_free_func (g_free);
      int rc;

      /* The links go, and each photo nothing else links goes with them. */
      if (!_balise_store_prepare (db, "DELETE FROM photo_link WHERE edit_uuid = ? RETURNING sha256",
                                  &photos, error))
        return FALSE;
      sqlite3_bind_text (photos, 1, write->uuid, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (photos)) == SQLITE_ROW)
        g_ptr_array_add (unlinked, g_strdup ((const char *) sqlite3_column_text (photos, 0)));
      if (rc != SQLITE_DONE)
        {
          _balise_store_set_error (error, db, "Could not unlink the draft's photos");
          return FALSE;
        }
      g_clear_pointer (&photos, sqlite3_finalize);

      for (guint i = 0; i < unlinked->len; i++)
        if (!_balise_store_drop_unlinked_photo (db, g_ptr_array_index (unlinked, i), error))
          return FALSE;
    }

  return TRUE;
}

/**
 * balise_store_save_draft:
 * @self: a #BaliseStore
 * @uuid: the draft edit
 * @tags: its tags now
 * @preset: (nullable): the id of the preset of its form, %NULL to keep it
 * @commit: %TRUE when the form is done: the edit becomes pending
 * @error: where to put an error: %BALISE_STORE_ERROR_NOT_FOUND when @uuid
 *   is not a draft (any more), %BALISE_OSM_ERROR for tags OSM refuses
 *
 * Writes the tags of a draft, in one transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
balise_store_save_draft (BaliseStore  *self,
                         const char   *uuid,
                         BaliseTags   *tags,
                         const char   *preset,
                         gboolean      commit,
                         GError      **error)
{
  g_autoptr(DraftWrite) write = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (tags != NULL, FALSE);

  write = draft_write_new (uuid, tags, preset, commit, FALSE);

  return _balise_store_write (self, draft_write_func, write, NULL, error);
}

void
balise_store_save_draft_async (BaliseStore         *self,
                               const char          *uuid,
                               BaliseTags          *tags,
                               const char          *preset,
                               gboolean             commit,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (uuid != NULL);
  g_return_if_fail (tags != NULL);

  _balise_store_write_async (self, draft_write_func,
                             draft_write_new (uuid, tags, preset, commit, FALSE),
                             (GDestroyNotify) draft_write_free,
                             cancellable, callback, user_data);
}

gboolean
balise_store_save_draft_finish (BaliseStore   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  return _balise_store_write_finish (self, result, error);
}

/**
 * balise_store_discard_draft:
 * @self: a #BaliseStore
 * @uuid: the draft edit
 * @error: where to put an error, %BALISE_STORE_ERROR_NOT_FOUND when @uuid is
 *   not a draft: a committed edit is never discarded, only undone
 *
 * Removes a draft the volunteer gave up.
 *
 * Returns: %TRUE on success
 */
gboolean
balise_store_discard_draft (BaliseStore  *self,
                            const char   *uuid,
                            GError      **error)
{
  g_autoptr(DraftWrite) write = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  write = draft_write_new (uuid, NULL, NULL, FALSE, TRUE);

  return _balise_store_write (self, draft_write_func, write, NULL, error);
}

void
balise_store_discard_draft_async (BaliseStore         *self,
                                  const char          *uuid,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (uuid != NULL);

  _balise_store_write_async (self, draft_write_func,
                             draft_write_new (uuid, NULL, NULL, FALSE, TRUE),
                             (GDestroyNotify) draft_write_free,
                             cancellable, callback, user_data);
}

gboolean
balise_store_discard_draft_finish (BaliseStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  return _balise_store_write_finish (self, result, error);
}

/**
 * balise_store_get_edit_preset:
 * @self: a #BaliseStore
 * @uuid: an edit
 * @error: where to put an error
 *
 * Returns: (transfer full) (nullable): the id of the preset the edit's form
 *   used, %NULL with no error when it had none
 */
char *
balise_store_get_edit_preset (BaliseStore  *self,
                              const char   *uuid,
                              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db, "SELECT preset FROM edit WHERE uuid = ?", &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND, "No edit %s", uuid);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not read the edit");
      return NULL;
    }

  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}
