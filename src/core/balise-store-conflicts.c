/* balise-store-conflicts.c: edits the server's version disagrees with
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include <math.h>

#include "balise-category.h"
#include "balise-store-conflicts.h"
#include "balise-store-private.h"

/* What download.c writes when a node it expected is gone. */
#define DELETED_ON_SERVER "The element was deleted on the server"

void
balise_conflict_free (BaliseConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_clear_pointer (&conflict->edit, balise_edit_unref);
  g_clear_pointer (&conflict->server_tags, balise_tags_unref);
  g_clear_pointer (&conflict->tag_conflicts, g_ptr_array_unref);
  g_clear_pointer (&conflict->merged, balise_tags_unref);
  g_free (conflict);
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

/* The position the edit started from, when the base copy still has the
 * edit's base version; NAN otherwise. */
static void
base_position (sqlite3    *db,
               BaliseEdit *edit,
               double     *lat,
               double     *lon)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *lat = *lon = NAN;
  if (edit->osm_type != BALISE_OSM_NODE ||
      !_balise_store_prepare (db,
                              "SELECT Y (geom), X (geom) FROM element WHERE osm_type = 'node' "
                              "AND osm_id = ? AND version = ? AND geom IS NOT NULL",
                              &stmt, NULL))
    return;
  sqlite3_bind_int64 (stmt, 1, edit->osm_id);
  sqlite3_bind_int64 (stmt, 2, edit->base_version);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *lat = sqlite3_column_double (stmt, 0);
      *lon = sqlite3_column_double (stmt, 1);
    }
}

/* Reads the edit and the server's version of its element into a conflict. */
static BaliseConflict *
read_conflict (sqlite3     *db,
               const char  *uuid,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(BaliseConflict) conflict = g_new0 (BaliseConflict, 1);
  const int server = BALISE_STORE_EDIT_N_COLUMNS;   /* the server_* columns follow */
  double base_lat, base_lon, lat, lon;
  int rc;

  if (!_balise_store_prepare (db,
                              "SELECT " BALISE_STORE_EDIT_COLUMNS ", server_version, server_tags, "
                              "server_lat, server_lon, server_deleted FROM edit WHERE uuid = ?",
                              &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                     "No edit %s in the journal", uuid);
      else
        _balise_store_set_error (error, db, "Could not read the journal");
      return NULL;
    }

  conflict->edit = _balise_store_edit_from_row (stmt);
  conflict->server_lat = conflict->server_lon = NAN;
  if (conflict->edit->status != BALISE_EDIT_STATUS_CONFLICT)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "The edit of %s is %s, not in conflict", balise_edit_describe (conflict->edit),
                   balise_edit_status_to_string (conflict->edit->status));
      return NULL;
    }

  if (sqlite3_column_int (stmt, server + 4) != 0)
    conflict->server_deleted = TRUE;
  else if (sqlite3_column_type (stmt, server) != SQLITE_NULL)
    {
      const char *tags = (const char *) sqlite3_column_text (stmt, server + 1);

      conflict->server_version = sqlite3_column_int64 (stmt, server);
      conflict->server_tags = tags ? balise_tags_new_from_json (tags, NULL) : balise_tags_new ();
      if (sqlite3_column_type (stmt, server + 2) != SQLITE_NULL)
        {
          conflict->server_lat = sqlite3_column_double (stmt, server + 2);
          conflict->server_lon = sqlite3_column_double (stmt, server + 3);
        }
    }
  else
    {
      /* Found by a download: the base copy holds the server's version. */
      g_autoptr(sqlite3_stmt) element = NULL;

      if (!_balise_store_prepare (db,
                                  "SELECT version, tags, Y (geom), X (geom), geom IS NULL FROM element "
                                  "WHERE osm_type = ? AND osm_id = ?",
                                  &element, error))
        return NULL;
      sqlite3_bind_text (element, 1, balise_osm_type_to_string (conflict->edit->osm_type), -1,
                         SQLITE_STATIC);
      sqlite3_bind_int64 (element, 2, conflict->edit->osm_id);

      if (g_strcmp0 (conflict->edit->error, DELETED_ON_SERVER) == 0)
        conflict->server_deleted = TRUE;
      else if (sqlite3_step (element) == SQLITE_ROW)
        {
          const char *tags = (const char *) sqlite3_column_text (element, 1);

          conflict->server_version = sqlite3_column_int64 (element, 0);
          conflict->server_tags = balise_tags_new_from_json (tags ? tags : "{}", NULL);
          if (conflict->server_tags == NULL)
            conflict->server_tags = balise_tags_new ();
          if (sqlite3_column_int (element, 4) == 0)
            {
              conflict->server_lat = sqlite3_column_double (element, 2);
              conflict->server_lon = sqlite3_column_double (element, 3);
            }
        }
      else
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                       "The server's version of %s is not known; sync or download the area first",
                       balise_edit_describe (conflict->edit));
          return NULL;
        }
    }

  conflict->tag_conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_tag_conflict_free);
  if (!conflict->server_deleted && conflict->edit->kind == BALISE_EDIT_MODIFY)
    {
      g_clear_pointer (&conflict->tag_conflicts, g_ptr_array_unref);
      balise_tags_merge3 (conflict->edit->base_tags, conflict->edit->new_tags,
                          conflict->server_tags, &conflict->merged, &conflict->tag_conflicts);
      if (!isnan (conflict->server_lat))
        {
          base_position (db, conflict->edit, &base_lat, &base_lon);
          conflict->position_conflict =
            !balise_position_merge3 (base_lat, base_lon, conflict->edit->lat, conflict->edit->lon,
                                     conflict->server_lat, conflict->server_lon, &lat, &lon);
        }
    }

  return g_steal_pointer (&conflict);
}

void
_balise_store_base_position (BaliseStore *self,
                             BaliseEdit  *edit,
                             double      *lat,
                             double      *lon)
{
  base_position (_balise_store_get_read_db (self), edit, lat, lon);
}

BaliseConflict *
balise_store_get_conflict (BaliseStore  *self,
                           const char   *uuid,
                           GError      **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  return read_conflict (_balise_store_get_read_db (self), uuid, error);
}

/*
 * Writing
 */

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

/* Writes @replacement as a new edit that carries over the contributor,
 * preset and reason of the edit @old_uuid. */
static gboolean
insert_replacement (sqlite3     *db,
                    const char  *old_uuid,
                    BaliseEdit  *replacement,
                    const char  *batch_uuid,
                    const char  *edited_by,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();

  if (replacement->new_tags != NULL && !balise_tags_validate (replacement->new_tags, error))
    return FALSE;
  if (replacement->kind == BALISE_EDIT_CREATE && !next_local_id (db, &replacement->osm_id, error))
    return FALSE;
  if (replacement->uuid == NULL)
    replacement->uuid = g_uuid_string_random ();

  if (!_balise_store_prepare (db,
                              "INSERT INTO edit (uuid, kind, osm_type, osm_id, base_version, base_tags, "
                              "new_tags, lat, lon, contributor, created_at, status, batch, reason, "
                              "edited_by, preset, updated_at) "
                              "SELECT ?1, ?2, osm_type, ?3, ?4, ?5, ?6, ?7, ?8, contributor, ?9, ?10, ?11, "
                              "reason, coalesce (?12, edited_by), preset, ?9 FROM edit WHERE uuid = ?13",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, replacement->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, balise_edit_kind_to_string (replacement->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, replacement->osm_id);
  sqlite3_bind_int64 (stmt, 4, replacement->base_version);
  bind_tags (stmt, 5, replacement->base_tags);
  bind_tags (stmt, 6, replacement->new_tags);
  sqlite3_bind_double (stmt, 7, replacement->lat);
  sqlite3_bind_double (stmt, 8, replacement->lon);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, balise_edit_status_to_string (replacement->status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, batch_uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, edited_by, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, old_uuid, -1, SQLITE_STATIC);
  if (!step_done (db, stmt, "Could not record the merged edit", error))
    return FALSE;
  if (sqlite3_changes (db) != 1)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "No edit %s in the journal", old_uuid);
      return FALSE;
    }

  replacement->id = sqlite3_last_insert_rowid (db);
  return TRUE;
}

/* The edit leaves every queue; the journal keeps it with @why. */
static gboolean
retire_edit (sqlite3     *db,
             const char  *uuid,
             const char  *why,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();

  if (!_balise_store_prepare (db,
                              "UPDATE edit SET status = 'rejected', error = ?, batch = NULL, "
                              "updated_at = ? WHERE uuid = ?",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, why, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, uuid, -1, SQLITE_STATIC);
  return step_done (db, stmt, "Could not settle the conflict", error);
}

/* Brings the base copy to the server's version the person chose to keep. */
static gboolean
refresh_base (sqlite3         *db,
              BaliseConflict  *conflict,
              GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  BaliseEdit *edit = conflict->edit;

  if (conflict->server_deleted)
    {
      if (!_balise_store_prepare (db,
                                  "DELETE FROM element WHERE osm_type = ?1 AND osm_id = ?2 "
                                  "AND NOT EXISTS (SELECT 1 FROM edit WHERE osm_type = ?1 "
                                  "AND osm_id = ?2 AND status IN "
                                  "('pending', 'approved', 'uploading', 'failed', 'conflict'))",
                                  &stmt, error))
        return FALSE;
    }
  else if (conflict->server_version > 0 && conflict->server_tags != NULL)
    {
      if (!_balise_store_prepare (db,
                                  "UPDATE element SET version = ?3, tags = ?4, category = ?5, name = ?6, "
                                  "ref = ?7, geom = CASE WHEN ?8 IS NULL THEN geom "
                                  "ELSE MakePoint (?9, ?8, 4326) END "
                                  "WHERE osm_type = ?1 AND osm_id = ?2 AND version < ?3",
                                  &stmt, error))
        return FALSE;
      sqlite3_bind_int64 (stmt, 3, conflict->server_version);
      bind_tags (stmt, 4, conflict->server_tags);
      sqlite3_bind_text (stmt, 5, balise_osm_category_for_tags (conflict->server_tags), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, balise_tags_lookup (conflict->server_tags, "name"), -1,
                         SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, balise_tags_lookup (conflict->server_tags, "ref"), -1,
                         SQLITE_TRANSIENT);
      if (!isnan (conflict->server_lat))
        {
          sqlite3_bind_double (stmt, 8, conflict->server_lat);
          sqlite3_bind_double (stmt, 9, conflict->server_lon);
        }
    }
  else
    return TRUE;

  sqlite3_bind_text (stmt, 1, balise_osm_type_to_string (edit->osm_type), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, edit->osm_id);
  return step_done (db, stmt, "Could not refresh the base data", error);
}

typedef struct
{
  char                  *uuid;
  BaliseConflictChoice   choice;
  char                 **keep_mine;
  gboolean               keep_my_position;
  char                  *resolved_by;
  char                  *new_uuid;
} Resolution;

static void
resolution_free (Resolution *resolution)
{
  g_free (resolution->uuid);
  g_strfreev (resolution->keep_mine);
  g_free (resolution->resolved_by);
  g_free (resolution->new_uuid);
  g_free (resolution);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Resolution, resolution_free)

/* What keeping mine (or deciding) sends, based on the server's version. */
static BaliseEdit *
plan_replacement (sqlite3         *db,
                  BaliseConflict  *conflict,
                  Resolution      *resolution,
                  GError         **error)
{
  BaliseEdit *mine = conflict->edit;
  g_autoptr(BaliseEdit) replacement = NULL;

  if (conflict->server_deleted)
    {
      if (mine->kind == BALISE_EDIT_DELETE)
        return NULL;   /* deleted on both sides: nothing to send */
      if (mine->osm_type != BALISE_OSM_NODE || mine->new_tags == NULL)
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                       "%s was deleted on the server; only a node can be added again",
                       balise_edit_describe (mine));
          return NULL;
        }
      /* OSM cannot bring a deleted element back: a new node it is. */
      replacement = balise_edit_new (BALISE_EDIT_CREATE);
      replacement->osm_type = BALISE_OSM_NODE;
      replacement->new_tags = balise_tags_copy (mine->new_tags);
      replacement->lat = mine->lat;
      replacement->lon = mine->lon;
      replacement->status = BALISE_EDIT_STATUS_APPROVED;
      return g_steal_pointer (&replacement);
    }

  replacement = balise_edit_new (mine->kind);
  replacement->osm_type = mine->osm_type;
  replacement->osm_id = mine->osm_id;
  replacement->base_version = conflict->server_version;
  replacement->base_tags = conflict->server_tags ? balise_tags_copy (conflict->server_tags) : NULL;
  replacement->status = BALISE_EDIT_STATUS_APPROVED;
  replacement->lat = mine->lat;
  replacement->lon = mine->lon;

  if (mine->kind == BALISE_EDIT_DELETE)
    {
      if (!isnan (conflict->server_lat))
        {
          replacement->lat = conflict->server_lat;
          replacement->lon = conflict->server_lon;
        }
      return g_steal_pointer (&replacement);
    }

  if (resolution->choice == BALISE_CONFLICT_KEEP_MINE)
    {
      replacement->new_tags = balise_tags_copy (mine->new_tags);
      return g_steal_pointer (&replacement);
    }

  /* Decided per key. */
  replacement->new_tags = balise_tags_merge3_decide (mine->base_tags, mine->new_tags,
                                                     conflict->server_tags,
                                                     (const char * const *) resolution->keep_mine);
  if (!isnan (conflict->server_lat))
    {
      double base_lat, base_lon, lat, lon;

      base_position (db, mine, &base_lat, &base_lon);
      if (balise_position_merge3 (base_lat, base_lon, mine->lat, mine->lon,
                                  conflict->server_lat, conflict->server_lon, &lat, &lon) ||
          !resolution->keep_my_position)
        {
          replacement->lat = lat;
          replacement->lon = lon;
        }
    }
  return g_steal_pointer (&replacement);
}

static gboolean
resolve_func (BaliseStore   *self,
              sqlite3       *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Resolution *resolution = data;
  g_autoptr(BaliseConflict) conflict = NULL;
  g_autoptr(BaliseEdit) replacement = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *why = NULL;

  conflict = read_conflict (db, resolution->uuid, error);
  if (conflict == NULL)
    return FALSE;

  if (resolution->choice == BALISE_CONFLICT_DECIDE_TAGS &&
      (conflict->edit->kind != BALISE_EDIT_MODIFY || conflict->server_deleted))
    {
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                           "Only a change of tags of an element still on the server can be "
                           "decided tag by tag");
      return FALSE;
    }

  if (resolution->choice == BALISE_CONFLICT_KEEP_THEIRS)
    {
      if (conflict->server_deleted)
        why = g_strdup ("Conflict settled: the element stays deleted, as on the server");
      else
        why = g_strdup_printf ("Conflict settled: the server's version %" G_GINT64_FORMAT " was kept",
                               conflict->server_version);
      return retire_edit (db, resolution->uuid, why, error) && refresh_base (db, conflict, error);
    }

  replacement = plan_replacement (db, conflict, resolution, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (replacement == NULL)
    return retire_edit (db, resolution->uuid,
                        "Conflict settled: already deleted on the server", error) &&
           refresh_base (db, conflict, error);

  if (!insert_replacement (db, resolution->uuid, replacement, NULL, resolution->resolved_by, error))
    return FALSE;

  why = g_strdup_printf ("Conflict settled: replaced by edit %s", replacement->uuid);
  if (!retire_edit (db, resolution->uuid, why, error))
    return FALSE;

  resolution->new_uuid = g_strdup (replacement->uuid);
  return TRUE;
}

static Resolution *
resolution_new (const char           *uuid,
                BaliseConflictChoice  choice,
                const char * const   *keep_mine,
                gboolean              keep_my_position,
                const char           *resolved_by)
{
  Resolution *resolution = g_new0 (Resolution, 1);

  resolution->uuid = g_strdup (uuid);
  resolution->choice = choice;
  resolution->keep_mine = g_strdupv ((char **) keep_mine);
  resolution->keep_my_position = keep_my_position;
  resolution->resolved_by = g_strdup (resolved_by);
  return resolution;
}

gboolean
balise_store_resolve_conflict (BaliseStore           *self,
                               const char            *uuid,
                               BaliseConflictChoice   choice,
                               const char * const    *keep_mine,
                               gboolean               keep_my_position,
                               const char            *resolved_by,
                               char                 **new_uuid,
                               GError               **error)
{
  g_autoptr(Resolution) resolution = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (choice <= BALISE_CONFLICT_DECIDE_TAGS, FALSE);

  resolution = resolution_new (uuid, choice, keep_mine, keep_my_position, resolved_by);
  if (!_balise_store_write (self, resolve_func, resolution, NULL, error))
    return FALSE;

  if (new_uuid != NULL)
    *new_uuid = g_steal_pointer (&resolution->new_uuid);
  return TRUE;
}

static void
resolve_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!_balise_store_write_finish (BALISE_STORE (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
balise_store_resolve_conflict_async (BaliseStore          *self,
                                     const char           *uuid,
                                     BaliseConflictChoice  choice,
                                     const char * const   *keep_mine,
                                     gboolean              keep_my_position,
                                     const char           *resolved_by,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Resolution *resolution;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (uuid != NULL);
  g_return_if_fail (choice <= BALISE_CONFLICT_DECIDE_TAGS);

  /* The task owns the resolution and outlives the write job, which
   * borrows it: _finish() hands the new uuid over. */
  resolution = resolution_new (uuid, choice, keep_mine, keep_my_position, resolved_by);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_resolve_conflict_async);
  g_task_set_task_data (task, resolution, (GDestroyNotify) resolution_free);
  _balise_store_write_async (self, resolve_func, resolution, NULL, cancellable,
                             resolve_done_cb, g_steal_pointer (&task));
}

gboolean
balise_store_resolve_conflict_finish (BaliseStore   *self,
                                      GAsyncResult  *result,
                                      char         **new_uuid,
                                      GError       **error)
{
  Resolution *resolution;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  resolution = g_task_get_task_data (G_TASK (result));
  if (new_uuid != NULL)
    *new_uuid = g_steal_pointer (&resolution->new_uuid);
  return TRUE;
}

/*
 * For sync
 */

typedef struct
{
  const char *batch_uuid;
  const char *edit_uuid;
  BaliseEdit *server;
  gboolean    server_deleted;
  const char *message;
  BaliseEdit *replacement;
} BatchChange;

static gboolean
reopen_batch (sqlite3     *db,
              const char  *batch_uuid,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();

  if (!_balise_store_prepare (db,
                              "UPDATE batch SET state = 'open', updated_at = ?1, element_count = "
                              "(SELECT count(*) FROM edit WHERE batch = ?2) WHERE uuid = ?2",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, batch_uuid, -1, SQLITE_STATIC);
  return step_done (db, stmt, "Could not update a batch", error);
}

static gboolean
batch_conflict_func (BaliseStore   *self,
                     sqlite3       *db,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  BatchChange *change = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();

  if (!_balise_store_prepare (db,
                              "UPDATE edit SET status = 'conflict', batch = NULL, error = ?1, "
                              "server_version = ?2, server_tags = ?3, server_lat = ?4, server_lon = ?5, "
                              "server_deleted = ?6, updated_at = ?7 WHERE uuid = ?8 AND batch = ?9",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->message, -1, SQLITE_STATIC);
  if (change->server != NULL)
    {
      sqlite3_bind_int64 (stmt, 2, change->server->base_version);
      bind_tags (stmt, 3, change->server->new_tags);
      if (change->server->osm_type == BALISE_OSM_NODE)
        {
          sqlite3_bind_double (stmt, 4, change->server->lat);
          sqlite3_bind_double (stmt, 5, change->server->lon);
        }
    }
  sqlite3_bind_int (stmt, 6, change->server_deleted ? 1 : 0);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, change->edit_uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, change->batch_uuid, -1, SQLITE_STATIC);
  if (!step_done (db, stmt, "Could not record the conflict", error))
    return FALSE;
  if (sqlite3_changes (db) != 1)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "No edit %s in batch %s", change->edit_uuid, change->batch_uuid);
      return FALSE;
    }

  return reopen_batch (db, change->batch_uuid, error);
}

gboolean
_balise_store_batch_conflict (BaliseStore  *self,
                              const char   *batch_uuid,
                              const char   *edit_uuid,
                              BaliseEdit   *server,
                              gboolean      server_deleted,
                              const char   *message,
                              GError      **error)
{
  BatchChange change = { batch_uuid, edit_uuid, server, server_deleted, message, NULL };

  return _balise_store_write (self, batch_conflict_func, &change, NULL, error);
}

static gboolean
batch_replace_func (BaliseStore   *self,
                    sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  BatchChange *change = data;
  g_autofree char *why = NULL;

  change->replacement->status = BALISE_EDIT_STATUS_UPLOADING;
  if (!insert_replacement (db, change->edit_uuid, change->replacement, change->batch_uuid, NULL,
                           error))
    return FALSE;

  why = g_strdup_printf ("Merged with the server's version %" G_GINT64_FORMAT ": sent as edit %s",
                         change->replacement->base_version, change->replacement->uuid);
  return retire_edit (db, change->edit_uuid, why, error) &&
         reopen_batch (db, change->batch_uuid, error);
}

gboolean
_balise_store_batch_replace (BaliseStore  *self,
                             const char   *batch_uuid,
                             const char   *edit_uuid,
                             BaliseEdit   *replacement,
                             GError      **error)
{
  BatchChange change = { batch_uuid, edit_uuid, NULL, FALSE, NULL, replacement };

  g_return_val_if_fail (replacement != NULL, FALSE);
  return _balise_store_write (self, batch_replace_func, &change, NULL, error);
}
