/* balise-store-sync.c: batches, and what the server answered
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include "balise-category.h"
#include "balise-store-private.h"
#include "balise-store-sync.h"

static const char * const batch_state_names[] = {
  "planned", "open", "uploading", "uploaded", "closed", "abandoned",
};

const char *
balise_batch_state_to_string (BaliseBatchState state)
{
  g_return_val_if_fail (state <= BALISE_BATCH_ABANDONED, NULL);
  return batch_state_names[state];
}

static BaliseBatchState
batch_state_from_string (const char *str)
{
  for (guint i = 0; i < G_N_ELEMENTS (batch_state_names); i++)
    {
      if (g_strcmp0 (batch_state_names[i], str) == 0)
        return (BaliseBatchState) i;
    }
  return BALISE_BATCH_ABANDONED;
}

void
balise_batch_free (BaliseBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->uuid);
  g_free (batch->server);
  g_free (batch->comment);
  g_free (batch);
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
 * Planning
 */

typedef struct
{
  const char  *server;
  guint        ready_mask;
  guint        max_edits;
  const char  *comment;
  BaliseBatch *batch;
} PlanData;

static GString *
status_list (guint mask)
{
  GString *list = g_string_new (NULL);

  for (BaliseEditStatus s = BALISE_EDIT_STATUS_DRAFT; s <= BALISE_EDIT_STATUS_LAST; s++)
    {
      if ((mask & BALISE_EDIT_STATUS_MASK (s)) == 0)
        continue;
      if (list->len > 0)
        g_string_append_c (list, ',');
      g_string_append_printf (list, "'%s'", balise_edit_status_to_string (s));
    }
  return list;
}

static gboolean
plan_batch_func (BaliseStore   *self,
                 sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  PlanData *plan = data;
  g_autoptr(GString) statuses = status_list (plan->ready_mask);
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) mark = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *now = _balise_store_now_iso8601 ();
  g_autofree char *mark_sql = NULL;
  int count;

  if (statuses->len == 0)
    return TRUE;

  if (!_balise_store_prepare (db,
                              "INSERT INTO batch (uuid, server, state, element_count, comment, "
                              "created_at, updated_at) VALUES (?, ?, 'planned', 0, ?, ?, ?)",
                              &insert, error))
    return FALSE;
  sqlite3_bind_text (insert, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, plan->server, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, plan->comment, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, now, -1, SQLITE_STATIC);
  if (!step_done (db, insert, "Could not plan a changeset", error))
    return FALSE;

  /* Oldest first, so that an edit of an element follows the edit that
   * created it. Notes travel apart from changesets. */
  mark_sql = g_strdup_printf ("UPDATE edit SET status = 'uploading', batch = ?1, error = NULL "
                              "WHERE id IN (SELECT id FROM edit WHERE status IN (%s) "
                              "AND kind != 'note' AND " BALISE_STORE_SENDABLE_SQL ("edit")
                              " ORDER BY id LIMIT ?2)",
                              statuses->str);
  if (!_balise_store_prepare (db, mark_sql, &mark, error))
    return FALSE;
  sqlite3_bind_text (mark, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int (mark, 2, (int) MIN (plan->max_edits, G_MAXINT));
  if (!step_done (db, mark, "Could not plan a changeset", error))
    return FALSE;

  count = sqlite3_changes (db);
  if (count == 0)
    {
      /* Nothing is ready: the empty batch row is removed again. */
      g_autoptr(sqlite3_stmt) remove = NULL;

      if (!_balise_store_prepare (db, "DELETE FROM batch WHERE uuid = ?", &remove, error))
        return FALSE;
      sqlite3_bind_text (remove, 1, uuid, -1, SQLITE_STATIC);
      return step_done (db, remove, "Could not plan a changeset", error);
    }

  {
    g_autoptr(sqlite3_stmt) update = NULL;

    if (!_balise_store_prepare (db, "UPDATE batch SET element_count = ? WHERE uuid = ?",
                                &update, error))
      return FALSE;
    sqlite3_bind_int (update, 1, count);
    sqlite3_bind_text (update, 2, uuid, -1, SQLITE_STATIC);
    if (!step_done (db, update, "Could not plan a changeset", error))
      return FALSE;
  }

  plan->batch = g_new0 (BaliseBatch, 1);
  plan->batch->uuid = g_steal_pointer (&uuid);
  plan->batch->server = g_strdup (plan->server);
  plan->batch->state = BALISE_BATCH_PLANNED;
  plan->batch->element_count = (guint) count;
  plan->batch->comment = g_strdup (plan->comment);
  return TRUE;
}

BaliseBatch *
_balise_store_plan_batch (BaliseStore  *self,
                          const char   *server,
                          guint         ready_mask,
                          guint         max_edits,
                          const char   *comment,
                          GError      **error)
{
  PlanData plan = { server, ready_mask, max_edits, comment, NULL };

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (max_edits > 0, NULL);

  if (!_balise_store_write (self, plan_batch_func, &plan, NULL, error))
    {
      balise_batch_free (plan.batch);
      return NULL;
    }
  return plan.batch;
}

/*
 * Reading batches
 */

/* As the journal reads them: unreadable tags are empty, and said so. */
static BaliseTags *
read_tags (const char *json)
{
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

GPtrArray *
_balise_store_list_batch_edits (BaliseStore  *self,
                                const char   *batch_uuid,
                                GError      **error)
{
  sqlite3 *db = _balise_store_get_read_db (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  int rc;

  /* What an upload, a merge, the credits and the report read: up to
   * 10 000 rows, so not the journal's dates and review notes. */
  if (!_balise_store_prepare (db,
                              "SELECT id, uuid, kind, osm_type, osm_id, base_version, base_tags, "
                              "new_tags, lat, lon, status, batch, contributor, edited_by FROM edit "
                              "WHERE batch = ? ORDER BY id",
                              &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, batch_uuid, -1, SQLITE_TRANSIENT);

  edits = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_edit_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);
      const char *base_tags = (const char *) sqlite3_column_text (stmt, 6);
      const char *new_tags = (const char *) sqlite3_column_text (stmt, 7);

      edit->id = sqlite3_column_int64 (stmt, 0);
      edit->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      balise_edit_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &edit->kind);
      balise_osm_type_from_string ((const char *) sqlite3_column_text (stmt, 3), &edit->osm_type);
      edit->osm_id = sqlite3_column_int64 (stmt, 4);
      edit->base_version = sqlite3_column_int64 (stmt, 5);
      edit->base_tags = read_tags (base_tags);
      edit->new_tags = read_tags (new_tags);
      edit->lat = sqlite3_column_double (stmt, 8);
      edit->lon = sqlite3_column_double (stmt, 9);
      balise_edit_status_from_string ((const char *) sqlite3_column_text (stmt, 10), &edit->status);
      edit->batch = g_strdup ((const char *) sqlite3_column_text (stmt, 11));
      edit->contributor = g_strdup ((const char *) sqlite3_column_text (stmt, 12));
      edit->edited_by = g_strdup ((const char *) sqlite3_column_text (stmt, 13));
      g_ptr_array_add (edits, edit);
    }

  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read a batch");
      return NULL;
    }
  return g_steal_pointer (&edits);
}

GPtrArray *
_balise_store_list_unfinished_batches (BaliseStore  *self,
                                       const char   *server,
                                       GError      **error)
{
  sqlite3 *db = _balise_store_get_read_db (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) batches = NULL;
  int rc;

  if (!_balise_store_prepare (db,
                              "SELECT uuid, server, changeset_id, state, element_count, comment "
                              "FROM batch WHERE server = ? AND state NOT IN ('closed', 'abandoned') "
                              "ORDER BY created_at, rowid",
                              &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, server, -1, SQLITE_TRANSIENT);

  batches = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_batch_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BaliseBatch *batch = g_new0 (BaliseBatch, 1);

      batch->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      batch->server = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      batch->changeset_id = sqlite3_column_int64 (stmt, 2);
      batch->state = batch_state_from_string ((const char *) sqlite3_column_text (stmt, 3));
      batch->element_count = (guint) sqlite3_column_int (stmt, 4);
      batch->comment = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (batches, batch);
    }

  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the batches");
      return NULL;
    }
  return g_steal_pointer (&batches);
}

/*
 * Batch state
 */

typedef struct
{
  const char       *uuid;
  gint64            changeset_id;
  BaliseBatchState  state;
  const char       *reason;
  GArray           *diff;
  GPtrArray        *edits;        /* the batch's edits as read before the upload, or NULL */
} BatchUpdate;

static gboolean
update_batch_row (sqlite3      *db,
                  BatchUpdate  *update,
                  GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();

  if (!_balise_store_prepare (db,
                              "UPDATE batch SET state = ?, updated_at = ?, "
                              "changeset_id = coalesce(?, changeset_id) WHERE uuid = ?",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, balise_batch_state_to_string (update->state), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  if (update->changeset_id > 0)
    sqlite3_bind_int64 (stmt, 3, update->changeset_id);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, update->uuid, -1, SQLITE_STATIC);

  if (!step_done (db, stmt, "Could not update a batch", error))
    return FALSE;
  if (sqlite3_changes (db) != 1)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "No batch %s in the store", update->uuid);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_batch_state_func (BaliseStore   *self,
                      sqlite3       *db,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return update_batch_row (db, data, error);
}

gboolean
_balise_store_set_batch_changeset (BaliseStore  *self,
                                   const char   *batch_uuid,
                                   gint64        changeset_id,
                                   GError      **error)
{
  BatchUpdate update = { batch_uuid, changeset_id, BALISE_BATCH_OPEN, NULL, NULL, NULL };

  g_return_val_if_fail (changeset_id > 0, FALSE);
  return _balise_store_write (self, set_batch_state_func, &update, NULL, error);
}

gboolean
_balise_store_set_batch_state (BaliseStore       *self,
                               const char        *batch_uuid,
                               BaliseBatchState   state,
                               GError           **error)
{
  BatchUpdate update = { batch_uuid, 0, state, NULL, NULL, NULL };

  return _balise_store_write (self, set_batch_state_func, &update, NULL, error);
}

static gboolean
abandon_batch_func (BaliseStore   *self,
                    sqlite3       *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  BatchUpdate *update = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_balise_store_prepare (db,
                              "UPDATE edit SET status = 'failed', error = ?, batch = NULL "
                              "WHERE batch = ? AND status = 'uploading'",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, update->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, update->uuid, -1, SQLITE_STATIC);
  if (!step_done (db, stmt, "Could not release a batch", error))
    return FALSE;

  return update_batch_row (db, update, error);
}

gboolean
_balise_store_abandon_batch (BaliseStore  *self,
                             const char   *batch_uuid,
                             const char   *reason,
                             GError      **error)
{
  BatchUpdate update = { batch_uuid, 0, BALISE_BATCH_ABANDONED, reason, NULL, NULL };

  return _balise_store_write (self, abandon_batch_func, &update, NULL, error);
}

/*
 * Applying a diffResult
 */

/* Diff entries by (type, old id): a changeset holds up to 10 000 of them. */
static GHashTable *
index_diff (GArray *diff)
{
  GHashTable *index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < diff->len; i++)
    {
      BaliseDiffEntry *entry = &g_array_index (diff, BaliseDiffEntry, i);
      gint64 *key = g_new (gint64, 1);

      /* Placeholders are small negatives and ids below 2^61: the type fits
       * in the low bits. */
      *key = entry->old_id * 4 + entry->type;
      g_hash_table_insert (index, key, entry);
    }
  return index;
}

static const BaliseDiffEntry *
find_diff_entry (GHashTable *index,
                 BaliseEdit *edit)
{
  gint64 key = edit->osm_id * 4 + edit->osm_type;

  return g_hash_table_lookup (index, &key);
}

/* From this many edits on, the diffResult is written back with the
 * element table's triggers off, and its two R*Trees kept by hand: the
 * SpatiaLite triggers cost more than the rest of the write. */
#define BULK_REFRESH_MIN 256

typedef struct
{
  gint64   id;                  /* element rowid */
  double   x, y;
  gboolean feature;             /* in feature_index */
  gboolean deleted;
  gboolean fresh;               /* a new row: in neither R*Tree yet */
} Touched;

typedef struct
{
  sqlite3_stmt *delete;
  sqlite3_stmt *upsert;
  char         *timestamp;
  GArray       *touched;        /* Touched, when the triggers are off */
  gint64        max_rowid;      /* the element table's largest rowid before the writes */
} RefreshStatements;

static void
refresh_statements_clear (RefreshStatements *statements)
{
  g_clear_pointer (&statements->delete, sqlite3_finalize);
  g_clear_pointer (&statements->upsert, sqlite3_finalize);
  g_clear_pointer (&statements->timestamp, g_free);
  g_clear_pointer (&statements->touched, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RefreshStatements, refresh_statements_clear)

static BaliseEdit *
read_uploaded_edit (sqlite3_stmt *stmt)
{
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);
  const char *tags = (const char *) sqlite3_column_text (stmt, 4);

  edit->id = sqlite3_column_int64 (stmt, 0);
  balise_edit_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &edit->kind);
  balise_osm_type_from_string ((const char *) sqlite3_column_text (stmt, 2), &edit->osm_type);
  edit->osm_id = sqlite3_column_int64 (stmt, 3);
  if (tags != NULL)
    edit->new_tags = balise_tags_new_from_json (tags, NULL);
  edit->lat = sqlite3_column_double (stmt, 5);
  edit->lon = sqlite3_column_double (stmt, 6);
  return edit;
}

/* Steps a write that returns the element's rowid, and notes the row for
 * the R*Trees when the triggers are off. */
static gboolean
step_touched (sqlite3            *db,
              sqlite3_stmt       *stmt,
              RefreshStatements  *statements,
              BaliseEdit         *edit,
              const char         *category,
              gboolean            deleted,
              GError            **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Touched touched = { sqlite3_column_int64 (stmt, 0), edit->lon, edit->lat, FALSE, deleted, FALSE };

      if (statements->touched == NULL)
        continue;
      touched.feature = !deleted && _balise_store_is_feature_category (category);
      /* A rowid above every one before: no R*Tree entry to remove. */
      touched.fresh = touched.id > statements->max_rowid;
      g_array_append_val (statements->touched, touched);
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not refresh the base data");
      return FALSE;
    }
  return TRUE;
}

/* What the triggers would have done to the two R*Trees, for the rows
 * written while they were off. */
static gboolean
reindex_touched (sqlite3  *db,
                 GArray   *touched,
                 GError  **error)
{
  static const char * const sql[] = {
    "DELETE FROM idx_element_geom WHERE pkid = ?1",
    "INSERT INTO idx_element_geom (pkid, xmin, xmax, ymin, ymax) VALUES (?1, ?2, ?2, ?3, ?3)",
    "DELETE FROM feature_index WHERE id = ?1",
    "INSERT INTO feature_index (id, xmin, xmax, ymin, ymax) VALUES (?1, ?2, ?2, ?3, ?3)",
  };
  sqlite3_stmt *stmts[G_N_ELEMENTS (sql)] = { NULL, };
  gboolean ok = TRUE;

  for (guint k = 0; ok && k < G_N_ELEMENTS (sql); k++)
    ok = _balise_store_prepare (db, sql[k], &stmts[k], error);

  for (guint i = 0; ok && i < touched->len; i++)
    {
      const Touched *row = &g_array_index (touched, Touched, i);

      for (guint k = 0; ok && k < G_N_ELEMENTS (sql); k++)
        {
          /* A deleted row leaves both trees; a row not a feature leaves
           * feature_index; a new row has nothing to leave. */
          if ((k == 1 && row->deleted) || (k == 3 && !row->feature) ||
              ((k == 0 || k == 2) && row->fresh))
            continue;
          sqlite3_reset (stmts[k]);
          sqlite3_bind_int64 (stmts[k], 1, row->id);
          if (k == 1 || k == 3)
            {
              sqlite3_bind_double (stmts[k], 2, row->x);
              sqlite3_bind_double (stmts[k], 3, row->y);
            }
          ok = step_done (db, stmts[k], "Could not update the spatial index", error);
        }
    }

  for (guint k = 0; k < G_N_ELEMENTS (sql); k++)
    sqlite3_finalize (stmts[k]);
  return ok;
}

static gboolean
refresh_base_element (sqlite3            *db,
                      RefreshStatements  *statements,
                      BaliseEdit         *edit,
                      const char         *category,
                      const char         *tags_json,
                      gint64              id,
                      gint64              version,
                      gint64              changeset_id,
                      GError            **error)
{
  sqlite3_stmt *stmt;

  if (edit->kind == BALISE_EDIT_DELETE)
    {
      if (statements->delete == NULL &&
          !_balise_store_prepare (db, "DELETE FROM element WHERE osm_type = ? AND osm_id = ? "
                                      "RETURNING id",
                                  &statements->delete, error))
        return FALSE;
      stmt = statements->delete;
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, balise_osm_type_to_string (edit->osm_type), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      return step_touched (db, stmt, statements, edit, NULL, TRUE, error);
    }

  if (edit->osm_type != BALISE_OSM_NODE)
    return TRUE;

  if (statements->upsert == NULL &&
      !_balise_store_prepare (db,
                              "INSERT INTO element (osm_type, osm_id, version, changeset, timestamp, "
                              "tags, geom, category, name, ref) "
                              "VALUES ('node', ?1, ?2, ?3, ?4, ?5, MakePoint (?6, ?7, 4326), ?8, ?9, ?10) "
                              "ON CONFLICT (osm_type, osm_id) DO UPDATE SET version = ?2, "
                              "changeset = ?3, timestamp = ?4, tags = ?5, geom = MakePoint (?6, ?7, 4326), "
                              "category = ?8, name = ?9, ref = ?10 RETURNING id",
                              &statements->upsert, error))
    return FALSE;
  if (statements->timestamp == NULL)
    statements->timestamp = _balise_store_now_iso8601 ();

  stmt = statements->upsert;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, version);
  sqlite3_bind_int64 (stmt, 3, changeset_id);
  sqlite3_bind_text (stmt, 4, statements->timestamp, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, tags_json ? tags_json : "{}", -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 6, edit->lon);
  sqlite3_bind_double (stmt, 7, edit->lat);
  /* The category, name and ref the map and the queries read, from the new tags. */
  sqlite3_bind_text (stmt, 8, category, -1, SQLITE_STATIC);
  if (edit->new_tags != NULL)
    {
      sqlite3_bind_text (stmt, 9, balise_tags_lookup (edit->new_tags, "name"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 10, balise_tags_lookup (edit->new_tags, "ref"), -1, SQLITE_TRANSIENT);
    }
  return step_touched (db, stmt, statements, edit, category, FALSE, error);
}

static gboolean
apply_diff_func (BaliseStore   *self,
                 sqlite3       *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  BatchUpdate *update = data;
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) mark = NULL;
  g_autoptr(GHashTable) index = index_diff (update->diff);
  g_auto(RefreshStatements) statements = { NULL, };
  g_autoptr(GPtrArray) triggers = NULL;
  g_autoptr(GHashTable) read = g_hash_table_new (g_int64_hash, g_int64_equal);
  int rc;

  if (update->diff->len >= BULK_REFRESH_MIN)
    {
      g_autoptr(sqlite3_stmt) max = NULL;

      if (!_balise_store_save_and_drop (db, "trigger", &triggers, error) ||
          !_balise_store_prepare (db, "SELECT coalesce(max(id), 0) FROM element", &max, error))
        return FALSE;
      if (sqlite3_step (max) != SQLITE_ROW)
        {
          _balise_store_set_error (error, db, "Could not refresh the base data");
          return FALSE;
        }
      statements.max_rowid = sqlite3_column_int64 (max, 0);
      statements.touched = g_array_new (FALSE, FALSE, sizeof (Touched));
    }

  /* The edits the sync already holds, with their tags read: by row id. */
  for (guint i = 0; update->edits != NULL && i < update->edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (update->edits, i);

      g_hash_table_insert (read, &edit->id, edit);
    }

  /* Only what the answer changes: this runs for up to 10 000 edits at once. */
  if (!_balise_store_prepare (db,
                              "SELECT id, kind, osm_type, osm_id, new_tags, lat, lon FROM edit "
                              "WHERE batch = ? AND status = 'uploading' ORDER BY id",
                              &select, error) ||
      !_balise_store_prepare (db,
                              "UPDATE edit SET status = ?, new_id = ?, new_version = ?, error = ? "
                              "WHERE id = ?",
                              &mark, error))
    return FALSE;

  sqlite3_bind_text (select, 1, update->uuid, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      gint64 row_id = sqlite3_column_int64 (select, 0);
      BaliseEdit *known = g_hash_table_lookup (read, &row_id);
      g_autoptr(BaliseEdit) edit = known != NULL ? balise_edit_ref (known) : read_uploaded_edit (select);
      const char *tags_json = (const char *) sqlite3_column_text (select, 4);
      const BaliseDiffEntry *entry = find_diff_entry (index, edit);
      BaliseEditStatus status = BALISE_EDIT_STATUS_UPLOADED;
      const char *message = NULL;
      gint64 id;

      if (entry == NULL)
        {
          g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BAD_RESPONSE,
                       "The server's answer does not mention %s %" G_GINT64_FORMAT,
                       balise_osm_type_to_string (edit->osm_type), edit->osm_id);
          return FALSE;
        }

      /* A delete with if-unused that the server skipped comes back with
       * the element's id and current version: it was not deleted. */
      if (edit->kind == BALISE_EDIT_DELETE && entry->new_id != 0)
        {
          status = BALISE_EDIT_STATUS_CONFLICT;
          message = "The server kept this element because other elements still use it";
        }

      id = entry->new_id != 0 ? entry->new_id : entry->old_id;

      sqlite3_reset (mark);
      sqlite3_bind_text (mark, 1, balise_edit_status_to_string (status), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (mark, 2, id);
      if (entry->new_version != 0)
        sqlite3_bind_int64 (mark, 3, entry->new_version);
      else
        sqlite3_bind_null (mark, 3);
      sqlite3_bind_text (mark, 4, message, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (mark, 5, edit->id);
      if (!step_done (db, mark, "Could not record the upload", error))
        return FALSE;

      if (status == BALISE_EDIT_STATUS_UPLOADED &&
          !refresh_base_element (db, &statements, edit, balise_osm_category_for_tags (edit->new_tags),
                                 tags_json, id, entry->new_version, update->changeset_id, error))
        return FALSE;
    }

  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read a batch");
      return FALSE;
    }

  if (triggers != NULL &&
      (!reindex_touched (db, statements.touched, error) ||
       !_balise_store_exec_all (db, triggers, error)))
    return FALSE;

  update->state = BALISE_BATCH_UPLOADED;
  return update_batch_row (db, update, error);
}

gboolean
_balise_store_apply_diff (BaliseStore  *self,
                          const char   *batch_uuid,
                          gint64        changeset_id,
                          GArray       *diff,
                          GPtrArray    *edits,
                          GError      **error)
{
  BatchUpdate update = { batch_uuid, changeset_id, BALISE_BATCH_UPLOADED, NULL, diff, edits };

  g_return_val_if_fail (diff != NULL, FALSE);
  return _balise_store_write (self, apply_diff_func, &update, NULL, error);
}
