/* balise-store-edits.c: the edit journal
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include "balise-store-private.h"

static BaliseTags *
column_tags (sqlite3_stmt *stmt,
             int           column)
{
  const char *json = (const char *) sqlite3_column_text (stmt, column);
  g_autoptr(GError) error = NULL;
  BaliseTags *tags;

  if (json == NULL)
    return NULL;

  tags = balise_tags_new_from_json (json, &error);
  if (tags == NULL)
    {
      g_warning ("Ignoring unreadable tags in the journal: %s", error->message);
      tags = balise_tags_new ();
    }
  return tags;
}

static char *
column_strdup (sqlite3_stmt *stmt,
               int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

BaliseEdit *
_balise_store_edit_from_row (sqlite3_stmt *stmt)
{
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);
  const char *created_at;

  edit->id = sqlite3_column_int64 (stmt, 0);
  edit->uuid = column_strdup (stmt, 1);
  balise_edit_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &edit->kind);
  balise_osm_type_from_string ((const char *) sqlite3_column_text (stmt, 3), &edit->osm_type);
  edit->osm_id = sqlite3_column_int64 (stmt, 4);
  edit->base_version = sqlite3_column_int64 (stmt, 5);
  edit->base_tags = column_tags (stmt, 6);
  edit->new_tags = column_tags (stmt, 7);
  edit->lat = sqlite3_column_double (stmt, 8);
  edit->lon = sqlite3_column_double (stmt, 9);
  edit->contributor = column_strdup (stmt, 10);
  created_at = (const char *) sqlite3_column_text (stmt, 11);
  if (created_at != NULL)
    edit->created_at = g_date_time_new_from_iso8601 (created_at, NULL);
  balise_edit_status_from_string ((const char *) sqlite3_column_text (stmt, 12), &edit->status);
  edit->batch = column_strdup (stmt, 13);
  edit->new_id = sqlite3_column_int64 (stmt, 14);
  edit->new_version = sqlite3_column_int64 (stmt, 15);
  edit->error = column_strdup (stmt, 16);
  edit->reason = column_strdup (stmt, 17);
  edit->preset = column_strdup (stmt, 18);
  edit->edited_by = column_strdup (stmt, 19);
  edit->reviewer = column_strdup (stmt, 20);
  edit->review_comment = column_strdup (stmt, 21);
  if (sqlite3_column_type (stmt, 22) != SQLITE_NULL)
    edit->reviewed_at = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 22),
                                                      NULL);

  return edit;
}

static gboolean
validate_edit (BaliseEdit  *edit,
               GError     **error)
{
  if (edit->kind != BALISE_EDIT_DELETE && edit->new_tags == NULL)
    {
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                           "The edit has no tags");
      return FALSE;
    }
  if (edit->new_tags != NULL && !balise_tags_validate (edit->new_tags, error))
    return FALSE;
  if (!(edit->lat >= -90.0 && edit->lat <= 90.0 && edit->lon >= -180.0 && edit->lon <= 180.0))
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "The position %.7f, %.7f is not on the globe", edit->lat, edit->lon);
      return FALSE;
    }
  if (edit->kind == BALISE_EDIT_CREATE && edit->osm_type != BALISE_OSM_NODE)
    {
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                           "Only nodes can be created");
      return FALSE;
    }
  if (edit->kind == BALISE_EDIT_DELETE && edit->osm_id < 0 && edit->base_version == 0)
    return TRUE;  /* a point created here, taken away before it was uploaded */
  if ((edit->kind == BALISE_EDIT_MODIFY || edit->kind == BALISE_EDIT_DELETE) &&
      (edit->osm_id <= 0 || edit->base_version <= 0))
    {
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                           "A change to an existing element needs its id and base version");
      return FALSE;
    }
  return TRUE;
}

/* Creates take the next free negative id. It is stable: it is stored in the
 * journal and used as the osmChange placeholder, whatever happens later. */
static gboolean
next_local_id (sqlite3  *db,
               gint64   *id,
               GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_balise_store_prepare (db, "SELECT min(0, coalesce(min(osm_id), 0)) - 1 FROM edit", &stmt,
                              error))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not allocate a local id");
      return FALSE;
    }
  *id = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static void
bind_tags (sqlite3_stmt *stmt,
           int           column,
           BaliseTags   *tags)
{
  if (tags == NULL)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_text (stmt, column, balise_tags_to_json (tags), -1, g_free);
}

gboolean
_balise_store_add_edit_in_transaction (sqlite3     *db,
                                       BaliseEdit  *edit,
                                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *created_at = NULL;

  if (!validate_edit (edit, error))
    return FALSE;

  /* A create with a negative id is a later version of a point created here
   * and not uploaded yet (balise_store_change_element()): it keeps its id. */
  if (edit->kind == BALISE_EDIT_CREATE && edit->osm_id >= 0 &&
      !next_local_id (db, &edit->osm_id, error))
    return FALSE;

  if (edit->uuid == NULL)
    edit->uuid = g_uuid_string_random ();
  if (edit->created_at == NULL)
    edit->created_at = g_date_time_new_now_utc ();
  created_at = g_date_time_format_iso8601 (edit->created_at);

  if (!_balise_store_prepare (db,
                              "INSERT INTO edit (uuid, kind, osm_type, osm_id, base_version, "
                              "base_tags, new_tags, lat, lon, contributor, created_at, status, "
                              "reason, preset, edited_by, updated_at, reviewer, review_comment, "
                              "reviewed_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              &stmt, error))
    return FALSE;

  sqlite3_bind_text (stmt, 1, edit->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, balise_edit_kind_to_string (edit->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, balise_osm_type_to_string (edit->osm_type), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, edit->osm_id);
  sqlite3_bind_int64 (stmt, 5, edit->base_version);
  bind_tags (stmt, 6, edit->base_tags);
  bind_tags (stmt, 7, edit->new_tags);
  sqlite3_bind_double (stmt, 8, edit->lat);
  sqlite3_bind_double (stmt, 9, edit->lon);
  sqlite3_bind_text (stmt, 10, edit->contributor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, created_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 12, balise_edit_status_to_string (edit->status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, edit->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 14, edit->preset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 15, edit->edited_by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 16, created_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 17, edit->reviewer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 18, edit->review_comment, -1, SQLITE_TRANSIENT);
  if (edit->reviewed_at != NULL)
    sqlite3_bind_text (stmt, 19, g_date_time_format_iso8601 (edit->reviewed_at), -1, g_free);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not record the edit");
      return FALSE;
    }

  edit->id = sqlite3_last_insert_rowid (db);

  /* Every name that records an edit is a profile of this database. */
  if (edit->contributor != NULL &&
      !_balise_store_ensure_contributor (db, edit->contributor, error))
    return FALSE;

  return TRUE;
}

static gboolean
add_edit_func (BaliseStore   *self,
               sqlite3       *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  return _balise_store_add_edit_in_transaction (db, data, error);
}

/**
 * balise_store_add_edit:
 *
 * Records @edit in the journal, in its own transaction. Tags are checked
 * against OSM's rules first; nothing is written when they break them.
 */
gboolean
balise_store_add_edit (BaliseStore  *self,
                       BaliseEdit   *edit,
                       GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (edit != NULL, FALSE);

  return _balise_store_write (self, add_edit_func, edit, NULL, error);
}

void
balise_store_add_edit_async (BaliseStore         *self,
                             BaliseEdit          *edit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (edit != NULL);

  _balise_store_write_async (self, add_edit_func, balise_edit_ref (edit),
                             (GDestroyNotify) balise_edit_unref,
                             cancellable, callback, user_data);
}

gboolean
balise_store_add_edit_finish (BaliseStore   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  return _balise_store_write_finish (self, result, error);
}

GPtrArray *
_balise_store_list_edits_in_db (sqlite3  *db,
                                guint     status_mask,
                                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  int rc;

  if (!_balise_store_prepare (db,
                              "SELECT " BALISE_STORE_EDIT_COLUMNS " FROM edit ORDER BY id",
                              &stmt, error))
    return NULL;

  edits = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_edit_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BaliseEdit *edit = _balise_store_edit_from_row (stmt);

      if (status_mask == 0 || (status_mask & BALISE_EDIT_STATUS_MASK (edit->status)) != 0)
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
balise_store_list_edits (BaliseStore  *self,
                         guint         status_mask,
                         GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

  return _balise_store_list_edits_in_db (_balise_store_get_read_db (self), status_mask, error);
}

BaliseEdit *
balise_store_get_edit (BaliseStore  *self,
                       const char   *uuid,
                       GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db,
                              "SELECT " BALISE_STORE_EDIT_COLUMNS " FROM edit WHERE uuid = ?",
                              &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _balise_store_edit_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                 "No edit %s in the journal", uuid);
  else
    _balise_store_set_error (error, db, "Could not read the journal");
  return NULL;
}

guint
balise_store_count_pending (BaliseStore *self)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), 0);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db,
                              "SELECT count(*) FROM edit WHERE status IN "
                              "('pending', 'approved', 'uploading', 'failed') AND "
                              BALISE_STORE_SENDABLE_SQL ("edit"),
                              &stmt, NULL))
    return 0;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return (guint) sqlite3_column_int (stmt, 0);
}
