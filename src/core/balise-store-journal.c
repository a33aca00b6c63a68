/* balise-store-journal.c: changing existing elements
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include "balise-store-journal.h"
#include "balise-store-private.h"

BaliseChange *
balise_change_new (BaliseChangeKind  kind,
                   BaliseOsmType     osm_type,
                   gint64            osm_id,
                   const char       *contributor)
{
  BaliseChange *change = g_new0 (BaliseChange, 1);

  change->kind = kind;
  change->osm_type = osm_type;
  change->osm_id = osm_id;
  change->contributor = g_strdup (contributor);
  return change;
}

BaliseChange *
balise_change_copy (const BaliseChange *change)
{
  BaliseChange *copy;

  g_return_val_if_fail (change != NULL, NULL);

  copy = balise_change_new (change->kind, change->osm_type, change->osm_id, change->contributor);
  copy->preset = g_strdup (change->preset);
  copy->tags = change->tags ? balise_tags_copy (change->tags) : NULL;
  copy->remove_keys = g_strdupv (change->remove_keys);
  copy->date = g_strdup (change->date);
  copy->lat = change->lat;
  copy->lon = change->lon;
  copy->reason = g_strdup (change->reason);
  return copy;
}

void
balise_change_free (BaliseChange *change)
{
  if (change == NULL)
    return;
  g_free (change->contributor);
  g_free (change->preset);
  g_clear_pointer (&change->tags, balise_tags_unref);
  g_strfreev (change->remove_keys);
  g_free (change->date);
  g_free (change->reason);
  g_free (change);
}

/*
 * The effective state of one element, read on the writer connection
 */

typedef struct
{
  gint64      osm_id;        /* may differ from the change's: an uploaded create */
  gint64      base_version;  /* 0 for a point created here */
  BaliseTags *base_tags;
  BaliseTags *tags;          /* NULL when the journal deletes it */
  double      lat;
  double      lon;
} Effective;

static void
effective_clear (Effective *state)
{
  g_clear_pointer (&state->base_tags, balise_tags_unref);
  g_clear_pointer (&state->tags, balise_tags_unref);
}

static BaliseTags *
column_tags (sqlite3_stmt *stmt,
             int           column)
{
  const char *json = (const char *) sqlite3_column_text (stmt, column);
  g_autoptr(GError) error = NULL;
  BaliseTags *tags;

  if (json == NULL)
    return NULL;
  if (!(tags = balise_tags_new_from_json (json, &error)))
    {
      g_warning ("Ignoring unreadable tags in the journal: %s", error->message);
      tags = balise_tags_new ();
    }
  return tags;
}

/* A point created here keeps its negative id in the journal; once uploaded,
 * the server's id is the one to change. */
static gboolean
resolve_uploaded_create (sqlite3        *db,
                         BaliseOsmType   type,
                         gint64         *osm_id,
                         GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (*osm_id > 0)
    return TRUE;
  if (!_balise_store_prepare (db,
                              "SELECT new_id FROM edit WHERE osm_type = ? AND osm_id = ? "
                              "AND kind = 'create' AND status = 'uploaded' AND new_id > 0 "
                              "ORDER BY id DESC LIMIT 1",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, balise_osm_type_to_string (type), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, *osm_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *osm_id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return FALSE;
    }
  return TRUE;
}

/* Sets *found when the element has a standing edit that is not uploaded. */
static gboolean
load_from_journal (sqlite3        *db,
                   BaliseOsmType   type,
                   Effective      *state,
                   gboolean       *found,
                   GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *status;
  int rc;

  *found = FALSE;
  if (!_balise_store_prepare (db,
                              "SELECT kind, status, base_version, base_tags, new_tags, lat, lon "
                              "FROM edit WHERE osm_type = ? AND osm_id = ? AND kind != 'note' "
                              "AND status IN " BALISE_STORE_LIVE_STATUSES " "
                              "ORDER BY id DESC LIMIT 1",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, balise_osm_type_to_string (type), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, state->osm_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not read the journal");
      return FALSE;
    }

  status = (const char *) sqlite3_column_text (stmt, 1);
  if (g_strcmp0 (status, "uploaded") == 0)
    return TRUE;  /* the base copy holds what the server has now */
  if (g_strcmp0 (status, "uploading") == 0 && state->osm_id < 0)
    {
      /* Its create is on its way: another one would make the point twice. */
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_UPLOADED,
                   "The new %s is being uploaded; change it again once the upload finished",
                   balise_osm_type_to_string (type));
      return FALSE;
    }

  *found = TRUE;
  state->base_version = sqlite3_column_int64 (stmt, 2);
  state->base_tags = column_tags (stmt, 3);
  state->tags = column_tags (stmt, 4);
  state->lat = sqlite3_column_double (stmt, 5);
  state->lon = sqlite3_column_double (stmt, 6);
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "delete") == 0)
    g_clear_pointer (&state->tags, balise_tags_unref);
  return TRUE;
}

static gboolean
load_from_base (sqlite3        *db,
                BaliseOsmType   type,
                Effective      *state,
                GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_balise_store_prepare (db,
                              "SELECT version, tags, Y (geom), X (geom) FROM element "
                              "WHERE osm_type = ? AND osm_id = ?",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, balise_osm_type_to_string (type), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, state->osm_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "There is no %s %" G_GINT64_FORMAT " in the database",
                   balise_osm_type_to_string (type), state->osm_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not read an element");
      return FALSE;
    }

  state->base_version = sqlite3_column_int64 (stmt, 0);
  state->base_tags = column_tags (stmt, 1);
  if (state->base_tags == NULL)
    state->base_tags = balise_tags_new ();
  state->tags = balise_tags_copy (state->base_tags);
  state->lat = sqlite3_column_double (stmt, 2);
  state->lon = sqlite3_column_double (stmt, 3);
  return TRUE;
}

static gboolean
load_effective (sqlite3        *db,
                BaliseOsmType   type,
                gint64          osm_id,
                Effective      *state,
                GError        **error)
{
  gboolean found;

  state->osm_id = osm_id;
  if (!resolve_uploaded_create (db, type, &state->osm_id, error) ||
      !load_from_journal (db, type, state, &found, error))
    return FALSE;
  if (found)
    return TRUE;
  if (state->osm_id < 0)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "The new %s %" G_GINT64_FORMAT " is not in the journal any more",
                   balise_osm_type_to_string (type), state->osm_id);
      return FALSE;
    }
  return load_from_base (db, type, state, error);
}

/*
 * Applying a change
 */

static gboolean
valid_date (const char *date)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *iso = NULL;

  if (date == NULL || strlen (date) != 10)
    return FALSE;
  iso = g_strconcat (date, "T00:00:00Z", NULL);
  parsed = g_date_time_new_from_iso8601 (iso, NULL);
  return parsed != NULL;
}

static char *
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
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
check_change (const BaliseChange  *change,
              GError             **error)
{
  if (is_blank (change->contributor))
    {
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                           "Every change needs its contributor");
      return FALSE;
    }
  if (change->osm_type != BALISE_OSM_NODE)
    {
      /* An osmChange of a way must carry its node list, which the journal
       * does not keep yet. */
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "Balise changes nodes only; change %s %" G_GINT64_FORMAT
                   " in a full OSM editor",
                   balise_osm_type_to_string (change->osm_type), change->osm_id);
      return FALSE;
    }
  switch (change->kind)
    {
    case BALISE_CHANGE_TAGS:
    case BALISE_CHANGE_REPLACE_TAGS:
      if (change->tags == NULL && change->kind == BALISE_CHANGE_REPLACE_TAGS)
        {
          g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                               "The change has no tags");
          return FALSE;
        }
      break;
    case BALISE_CHANGE_CONFIRM:
      if (change->date != NULL && !valid_date (change->date))
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                       "“%s” is not a date of the form YYYY-MM-DD", change->date);
          return FALSE;
        }
      break;
    case BALISE_CHANGE_MOVE:
      if (!(change->lat >= -90.0 && change->lat <= 90.0 &&
            change->lon >= -180.0 && change->lon <= 180.0))
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                       "The position %.7f, %.7f is not on the globe", change->lat, change->lon);
          return FALSE;
        }
      break;
    case BALISE_CHANGE_DELETE:
      if (is_blank (change->reason))
        {
          g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                               "Say why the element is deleted");
          return FALSE;
        }
      break;
    default:
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                           "Unknown kind of change");
      return FALSE;
    }
  return TRUE;
}

/* The tags after @change, applied to @state; NULL for a delete. */
static BaliseTags *
apply_tags (const BaliseChange *change,
            Effective          *state)
{
  BaliseTags *tags;
  g_autofree char *date = NULL;

  switch (change->kind)
    {
    case BALISE_CHANGE_TAGS:
      tags = balise_tags_copy (state->tags);
      for (guint i = 0; change->tags && i < balise_tags_get_size (change->tags); i++)
        balise_tags_set (tags, balise_tags_get_key (change->tags, i),
                         balise_tags_get_value (change->tags, i));
      for (guint i = 0; change->remove_keys && change->remove_keys[i]; i++)
        balise_tags_remove (tags, change->remove_keys[i]);
      return tags;
    case BALISE_CHANGE_REPLACE_TAGS:
      return balise_tags_copy (change->tags);
    case BALISE_CHANGE_CONFIRM:
      tags = balise_tags_copy (state->tags);
      date = change->date ? g_strdup (change->date) : today ();
      balise_tags_set (tags, "check_date", date);
      return tags;
    case BALISE_CHANGE_MOVE:
      return balise_tags_copy (state->tags);
    case BALISE_CHANGE_DELETE:
    default:
      return NULL;
    }
}

static gboolean
is_no_op (BaliseEdit *edit,
          Effective  *state)
{
  if (edit->kind == BALISE_EDIT_DELETE)
    return FALSE;
  return balise_tags_equal (edit->new_tags, state->tags) &&
         edit->lat == state->lat && edit->lon == state->lon;
}

static BaliseEdit *
build_edit (const BaliseChange  *change,
            Effective           *state,
            GError             **error)
{
  g_autoptr(BaliseEdit) edit = NULL;
  gboolean local = state->osm_id < 0;
  const char *type = balise_osm_type_to_string (change->osm_type);

  if (state->tags == NULL)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "%s %" G_GINT64_FORMAT " is deleted in the journal; undo the deletion "
                   "to change it", type, state->osm_id);
      return NULL;
    }

  if (change->kind == BALISE_CHANGE_DELETE)
    edit = balise_edit_new (BALISE_EDIT_DELETE);
  else
    edit = balise_edit_new (local ? BALISE_EDIT_CREATE : BALISE_EDIT_MODIFY);

  edit->osm_type = change->osm_type;
  edit->osm_id = state->osm_id;
  edit->base_version = local ? 0 : state->base_version;
  edit->base_tags = local || state->base_tags == NULL ? NULL : balise_tags_ref (state->base_tags);
  edit->new_tags = apply_tags (change, state);
  edit->lat = change->kind == BALISE_CHANGE_MOVE ? change->lat : state->lat;
  edit->lon = change->kind == BALISE_CHANGE_MOVE ? change->lon : state->lon;
  edit->contributor = g_strstrip (g_strdup (change->contributor));
  edit->preset = g_strdup (change->preset);
  if (change->kind == BALISE_CHANGE_DELETE)
    edit->reason = g_strstrip (g_strdup (change->reason));

  if (is_no_op (edit, state))
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "Nothing to record: %s %" G_GINT64_FORMAT " already has these tags "
                   "and this position", type, state->osm_id);
      return NULL;
    }
  return g_steal_pointer (&edit);
}

typedef struct
{
  BaliseChange *change;
  BaliseEdit   *edit;     /* out */
} ChangeJob;

static void
change_job_free (ChangeJob *job)
{
  balise_change_free (job->change);
  g_clear_pointer (&job->edit, balise_edit_unref);
  g_free (job);
}

BaliseEdit *
_balise_store_change_in_transaction (sqlite3             *db,
                                     const BaliseChange  *change,
                                     const char          *reviewer,
                                     GError             **error)
{
  Effective state = { 0, };
  g_autoptr(BaliseEdit) edit = NULL;
  gboolean ok;

  if (!check_change (change, error))
    return NULL;

  ok = load_effective (db, change->osm_type, change->osm_id, &state, error) &&
       (edit = build_edit (change, &state, error)) != NULL;
  effective_clear (&state);
  if (!ok)
    return NULL;

  if (reviewer != NULL)
    {
      /* A reviewer's change: credited to both, and approved by its author. */
      edit->edited_by = g_strdup (reviewer);
      edit->reviewer = g_strdup (reviewer);
      edit->reviewed_at = g_date_time_new_now_utc ();
      edit->status = BALISE_EDIT_STATUS_APPROVED;
    }

  if (!_balise_store_add_edit_in_transaction (db, edit, error))
    return NULL;
  return g_steal_pointer (&edit);
}

static gboolean
change_element_func (BaliseStore   *self,
                     sqlite3       *db,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  ChangeJob *job = data;

  job->edit = _balise_store_change_in_transaction (db, job->change, NULL, error);
  return job->edit != NULL;
}

BaliseEdit *
balise_store_change_element (BaliseStore         *self,
                             const BaliseChange  *change,
                             GError             **error)
{
  ChangeJob job = { NULL, NULL };
  BaliseEdit *edit = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (change != NULL, NULL);

  if (!check_change (change, error))
    return NULL;

  job.change = (BaliseChange *) change;
  if (_balise_store_write (self, change_element_func, &job, NULL, error))
    edit = g_steal_pointer (&job.edit);
  g_clear_pointer (&job.edit, balise_edit_unref);
  return edit;
}

static void
change_element_written_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ChangeJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!_balise_store_write_finish (BALISE_STORE (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&job->edit), (GDestroyNotify) balise_edit_unref);
}

void
balise_store_change_element_async (BaliseStore         *self,
                                   const BaliseChange  *change,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ChangeJob *job;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (change != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_change_element_async);

  if (!check_change (change, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job = g_new0 (ChangeJob, 1);
  job->change = balise_change_copy (change);
  g_task_set_task_data (task, job, (GDestroyNotify) change_job_free);
  _balise_store_write_async (self, change_element_func, job, NULL, cancellable,
                             change_element_written_cb, g_steal_pointer (&task));
}

BaliseEdit *
balise_store_change_element_finish (BaliseStore   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

BaliseEdit *
balise_store_confirm_element (BaliseStore    *self,
                              BaliseOsmType   osm_type,
                              gint64          osm_id,
                              const char     *contributor,
                              GError        **error)
{
  g_autoptr(BaliseChange) change = balise_change_new (BALISE_CHANGE_CONFIRM, osm_type, osm_id,
                                                      contributor);

  return balise_store_change_element (self, change, error);
}

BaliseEdit *
balise_store_move_element (BaliseStore    *self,
                           BaliseOsmType   osm_type,
                           gint64          osm_id,
                           double          lat,
                           double          lon,
                           const char     *contributor,
                           GError        **error)
{
  g_autoptr(BaliseChange) change = balise_change_new (BALISE_CHANGE_MOVE, osm_type, osm_id,
                                                      contributor);

  change->lat = lat;
  change->lon = lon;
  return balise_store_change_element (self, change, error);
}

BaliseEdit *
balise_store_delete_element (BaliseStore    *self,
                             BaliseOsmType   osm_type,
                             gint64          osm_id,
                             const char     *reason,
                             const char     *contributor,
                             GError        **error)
{
  g_autoptr(BaliseChange) change = balise_change_new (BALISE_CHANGE_DELETE, osm_type, osm_id,
                                                      contributor);

  change->reason = g_strdup (reason);
  return balise_store_change_element (self, change, error);
}
