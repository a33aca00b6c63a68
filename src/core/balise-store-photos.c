/* balise-store-photos.c: photos of edits and notes, kept in the database
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include <string.h>

#include "balise-store-photos.h"
#include "balise-store-private.h"

void
balise_photo_free (BalisePhoto *photo)
{
  if (photo == NULL)
    return;
  g_free (photo->sha256);
  g_free (photo->mime_type);
  g_clear_pointer (&photo->created_at, g_date_time_unref);
  g_free (photo);
}

const char *
balise_photo_sniff_mime_type (const guint8 *data,
                              gsize         size)
{
  static const struct { const char *brand; const char *mime_type; } brands[] = {
    { "heic", "image/heic" }, { "heix", "image/heic" }, { "heim", "image/heic" },
    { "heis", "image/heic" }, { "hevc", "image/heic" }, { "mif1", "image/heif" },
    { "msf1", "image/heif" }, { "avif", "image/avif" }, { "avis", "image/avif" },
  };

  g_return_val_if_fail (data != NULL || size == 0, NULL);

  if (size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "image/jpeg";
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "image/gif";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  if (size >= 4 && (memcmp (data, "II*\0", 4) == 0 || memcmp (data, "MM\0*", 4) == 0))
    return "image/tiff";
  if (size >= 12 && memcmp (data + 4, "ftyp", 4) == 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (brands); i++)
        if (memcmp (data + 8, brands[i].brand, 4) == 0)
          return brands[i].mime_type;
    }
  return NULL;
}

/*
 * Writing
 */

gboolean
_balise_store_insert_photo (sqlite3     *db,
                            const char  *sha256,
                            const char  *mime_type,
                            GBytes      *bytes,
                            const char  *created_at,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = NULL;
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  if (created_at == NULL)
    created_at = now = _balise_store_now_iso8601 ();

  if (!_balise_store_prepare (db,
                              "INSERT INTO photo (sha256, mime_type, size, data, created_at) "
                              "VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, mime_type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) size);
  sqlite3_bind_blob64 (stmt, 4, data, size, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, created_at, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not store the photo");
      return FALSE;
    }
  return TRUE;
}

static gboolean
row_exists (sqlite3     *db,
            const char  *sql,
            const char  *value,
            gboolean    *exists,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_balise_store_prepare (db, sql, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the database");
      return FALSE;
    }
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

gboolean
_balise_store_link_photo (sqlite3     *db,
                          const char  *sha256,
                          const char  *edit_uuid,
                          const char  *note_uuid,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean exists;

  g_assert ((edit_uuid == NULL) != (note_uuid == NULL));

  if (!row_exists (db, edit_uuid ? "SELECT 1 FROM edit WHERE uuid = ?1 AND ?2 IS NOT NULL"
                                 : "SELECT 1 FROM note WHERE uuid = ?1 AND ?2 IS NOT NULL",
                   edit_uuid ? edit_uuid : note_uuid, &exists, error))
    return FALSE;
  if (!exists)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   edit_uuid ? "No edit %s to attach the photo to"
                             : "No note %s to attach the photo to",
                   edit_uuid ? edit_uuid : note_uuid);
      return FALSE;
    }

  if (!_balise_store_prepare (db,
                              "INSERT INTO photo_link (sha256, edit_uuid, note_uuid) "
                              "SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM photo_link "
                              "WHERE sha256 = ?1 AND edit_uuid IS ?2 AND note_uuid IS ?3)",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, edit_uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, note_uuid, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not link the photo");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  char        sha256[65];
  const char *mime_type;
  GBytes     *bytes;
  const char *edit_uuid;
  const char *note_uuid;
} AttachJob;

static gboolean
attach_func (BaliseStore   *self,
             sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  AttachJob *job = data;

  return _balise_store_insert_photo (db, job->sha256, job->mime_type, job->bytes, NULL, error) &&
         _balise_store_link_photo (db, job->sha256, job->edit_uuid, job->note_uuid, error);
}

static GBytes *
load_photo_file (GFile         *file,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  char *contents = NULL;
  gsize length;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_size (info) > BALISE_PHOTO_MAX_SIZE)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_TOO_LARGE,
                   "“%s” is %.1f MB; photos may be at most %d MB",
                   name, g_file_info_get_size (info) / 1e6, BALISE_PHOTO_MAX_SIZE / 1000000);
      return NULL;
    }
  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
    return NULL;
  if (length > BALISE_PHOTO_MAX_SIZE)
    {
      g_free (contents);
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_TOO_LARGE,
                   "“%s” grew over %d MB while it was read", name,
                   BALISE_PHOTO_MAX_SIZE / 1000000);
      return NULL;
    }
  return g_bytes_new_take (contents, length);
}

char *
balise_store_attach_photo (BaliseStore   *self,
                           GFile         *file,
                           const char    *edit_uuid,
                           const char    *note_uuid,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *checksum = NULL;
  AttachJob job = { { 0, }, NULL, NULL, edit_uuid, note_uuid };
  const guint8 *data;
  gsize size;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail ((edit_uuid == NULL) != (note_uuid == NULL), NULL);

  if (!(bytes = load_photo_file (file, cancellable, error)))
    return NULL;

  data = g_bytes_get_data (bytes, &size);
  job.mime_type = balise_photo_sniff_mime_type (data, size);
  if (job.mime_type == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "“%s” is not a photo (JPEG, PNG, WebP, HEIC, AVIF, GIF or TIFF)", name);
      return NULL;
    }

  checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_strlcpy (job.sha256, checksum, sizeof job.sha256);
  job.bytes = bytes;

  if (!_balise_store_write (self, attach_func, &job, cancellable, error))
    return NULL;
  return g_steal_pointer (&checksum);
}

typedef struct
{
  GFile *file;
  char  *edit_uuid;
  char  *note_uuid;
} AttachTaskData;

static void
attach_task_data_free (AttachTaskData *data)
{
  g_object_unref (data->file);
  g_free (data->edit_uuid);
  g_free (data->note_uuid);
  g_free (data);
}

static void
attach_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  AttachTaskData *data = task_data;
  g_autoptr(GError) error = NULL;
  char *sha256;

  sha256 = balise_store_attach_photo (source_object, data->file, data->edit_uuid,
                                      data->note_uuid, cancellable, &error);
  if (sha256 == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, sha256, g_free);
}

void
balise_store_attach_photo_async (BaliseStore         *self,
                                 GFile               *file,
                                 const char          *edit_uuid,
                                 const char          *note_uuid,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AttachTaskData *data;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail ((edit_uuid == NULL) != (note_uuid == NULL));

  data = g_new0 (AttachTaskData, 1);
  data->file = g_object_ref (file);
  data->edit_uuid = g_strdup (edit_uuid);
  data->note_uuid = g_strdup (note_uuid);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_attach_photo_async);
  g_task_set_task_data (task, data, (GDestroyNotify) attach_task_data_free);
  g_task_run_in_thread (task, attach_in_thread);
}

char *
balise_store_attach_photo_finish (BaliseStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_balise_store_drop_unlinked_photo (sqlite3     *db,
                                   const char  *sha256,
                                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_balise_store_prepare (db,
                              "DELETE FROM photo WHERE sha256 = ?1 AND NOT EXISTS "
                              "(SELECT 1 FROM photo_link WHERE sha256 = ?1)",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not delete the photo");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  char *sha256;
  char *edit_uuid;
  char *note_uuid;
} UnlinkJob;

static void
unlink_job_free (UnlinkJob *job)
{
  g_free (job->sha256);
  g_free (job->edit_uuid);
  g_free (job->note_uuid);
  g_free (job);
}

static UnlinkJob *
unlink_job_new (const char *sha256,
                const char *edit_uuid,
                const char *note_uuid)
{
  UnlinkJob *job = g_new0 (UnlinkJob, 1);

  job->sha256 = g_strdup (sha256);
  job->edit_uuid = g_strdup (edit_uuid);
  job->note_uuid = g_strdup (note_uuid);
  return job;
}

static gboolean
unlink_func (BaliseStore   *self,
             sqlite3       *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  UnlinkJob *job = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_balise_store_prepare (db,
                              "DELETE FROM photo_link WHERE sha256 = ? AND edit_uuid IS ? "
                              "AND note_uuid IS ?",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, job->edit_uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, job->note_uuid, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not unlink the photo");
      return FALSE;
    }
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   job->edit_uuid ? "The photo %s is not attached to the edit %s"
                                  : "The photo %s is not attached to the note %s",
                   job->sha256, job->edit_uuid ? job->edit_uuid : job->note_uuid);
      return FALSE;
    }

  return _balise_store_drop_unlinked_photo (db, job->sha256, error);
}

/**
 * balise_store_unlink_photo:
 * @self: a #BaliseStore
 * @sha256: the photo
 * @edit_uuid: (nullable): the edit it is taken off
 * @note_uuid: (nullable): or the note
 * @error: where to put an error
 *
 * Takes a photo off a record. The photo itself goes too once nothing else
 * links it, in the same transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
balise_store_unlink_photo (BaliseStore  *self,
                           const char   *sha256,
                           const char   *edit_uuid,
                           const char   *note_uuid,
                           GError      **error)
{
  UnlinkJob job = { (char *) sha256, (char *) edit_uuid, (char *) note_uuid };

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);
  g_return_val_if_fail ((edit_uuid == NULL) != (note_uuid == NULL), FALSE);

  return _balise_store_write (self, unlink_func, &job, NULL, error);
}

void
balise_store_unlink_photo_async (BaliseStore         *self,
                                 const char          *sha256,
                                 const char          *edit_uuid,
                                 const char          *note_uuid,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (sha256 != NULL);
  g_return_if_fail ((edit_uuid == NULL) != (note_uuid == NULL));

  _balise_store_write_async (self, unlink_func,
                             unlink_job_new (sha256, edit_uuid, note_uuid),
                             (GDestroyNotify) unlink_job_free,
                             cancellable, callback, user_data);
}

gboolean
balise_store_unlink_photo_finish (BaliseStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  return _balise_store_write_finish (self, result, error);
}

/*
 * Moving
 */

typedef struct
{
  char     *from_edit_uuid;
  char     *to_edit_uuid;
  char     *to_note_uuid;
  gboolean  discard_from;
  guint     n_moved;
} MoveJob;

static void
move_job_free (MoveJob *job)
{
  g_free (job->from_edit_uuid);
  g_free (job->to_edit_uuid);
  g_free (job->to_note_uuid);
  g_free (job);
}

static MoveJob *
move_job_new (const char *from_edit_uuid,
              const char *to_edit_uuid,
              const char *to_note_uuid,
              gboolean    discard_from)
{
  MoveJob *job = g_new0 (MoveJob, 1);

  job->from_edit_uuid = g_strdup (from_edit_uuid);
  job->to_edit_uuid = g_strdup (to_edit_uuid);
  job->to_note_uuid = g_strdup (to_note_uuid);
  job->discard_from = !!discard_from;
  return job;
}

static gboolean
move_func (BaliseStore   *self,
           sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  MoveJob *job = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func (g_free);
  const char *target = job->to_edit_uuid ? job->to_edit_uuid : job->to_note_uuid;
  gboolean exists;
  int rc;

  job->n_moved = 0;

  if (g_strcmp0 (job->from_edit_uuid, job->to_edit_uuid) == 0)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "The photos of the edit %s cannot be moved onto the same edit",
                   job->from_edit_uuid);
      return FALSE;
    }

  if (!row_exists (db, job->discard_from ? "SELECT 1 FROM edit WHERE uuid = ?1 AND status = 'draft' "
                                           "AND ?2 IS NOT NULL"
                                         : "SELECT 1 FROM edit WHERE uuid = ?1 AND ?2 IS NOT NULL",
                   job->from_edit_uuid, &exists, error))
    return FALSE;
  if (!exists)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   job->discard_from ? "No draft %s to take the photos from"
                                     : "No edit %s to take the photos from",
                   job->from_edit_uuid);
      return FALSE;
    }

  if (!row_exists (db, job->to_edit_uuid ? "SELECT 1 FROM edit WHERE uuid = ?1 AND ?2 IS NOT NULL"
                                         : "SELECT 1 FROM note WHERE uuid = ?1 AND ?2 IS NOT NULL",
                   target, &exists, error))
    return FALSE;
  if (!exists)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   job->to_edit_uuid ? "No edit %s to move the photos to"
                                     : "No note %s to move the photos to",
                   target);
      return FALSE;
    }

  /* In the order they were taken. */
  if (!_balise_store_prepare (db, "SELECT sha256 FROM photo_link WHERE edit_uuid = ? ORDER BY rowid",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->from_edit_uuid, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (photos, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the photos to move");
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < photos->len; i++)
    if (!_balise_store_link_photo (db, g_ptr_array_index (photos, i),
                                   job->to_edit_uuid, job->to_note_uuid, error))
      return FALSE;

  if (!_balise_store_prepare (db, "DELETE FROM photo_link WHERE edit_uuid = ?", &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->from_edit_uuid, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not move the photos");
      return FALSE;
    }
  job->n_moved = (guint) sqlite3_changes (db);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (job->discard_from)
    {
      if (!_balise_store_prepare (db, "DELETE FROM edit WHERE uuid = ? AND status = 'draft'", &stmt, error))
        return FALSE;
      sqlite3_bind_text (stmt, 1, job->from_edit_uuid, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _balise_store_set_error (error, db, "Could not discard the draft");
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * balise_store_move_photo_links:
 * @self: a #BaliseStore
 * @from_edit_uuid: the edit the photos are taken from
 * @to_edit_uuid: (nullable): the edit they go to
 * @to_note_uuid: (nullable): or the note
 * @discard_from: %TRUE when @from_edit_uuid is a draft given up, discarded
 *   in the same transaction
 * @n_moved: (out) (optional): how many photos moved
 * @error: where to put an error
 *
 * Moves a record's photos to another record, in one transaction: a
 * volunteer who goes from one form to another keeps them.
 *
 * Returns: %TRUE on success
 */
gboolean
balise_store_move_photo_links (BaliseStore  *self,
                               const char   *from_edit_uuid,
                               const char   *to_edit_uuid,
                               const char   *to_note_uuid,
                               gboolean      discard_from,
                               guint        *n_moved,
                               GError      **error)
{
  MoveJob job = { (char *) from_edit_uuid, (char *) to_edit_uuid, (char *) to_note_uuid,
                  !!discard_from, 0 };
  gboolean ok;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (from_edit_uuid != NULL, FALSE);
  g_return_val_if_fail ((to_edit_uuid == NULL) != (to_note_uuid == NULL), FALSE);

  ok = _balise_store_write (self, move_func, &job, NULL, error);
  if (n_moved != NULL)
    *n_moved = ok ? job.n_moved : 0;
  return ok;
}

static void
move_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MoveJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!_balise_store_write_finish (BALISE_STORE (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, job->n_moved);
}

void
balise_store_move_photo_links_async (BaliseStore         *self,
                                     const char          *from_edit_uuid,
                                     const char          *to_edit_uuid,
                                     const char          *to_note_uuid,
                                     gboolean             discard_from,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MoveJob *job;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (from_edit_uuid != NULL);
  g_return_if_fail ((to_edit_uuid == NULL) != (to_note_uuid == NULL));

  job = move_job_new (from_edit_uuid, to_edit_uuid, to_note_uuid, discard_from);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_move_photo_links_async);
  g_task_set_task_data (task, job, (GDestroyNotify) move_job_free);

  /* Through the writer, in order with the other writes; the job lives in
   * this task until the write is done. */
  _balise_store_write_async (self, move_func, job, NULL, cancellable,
                             move_written_cb, g_steal_pointer (&task));
}

gboolean
balise_store_move_photo_links_finish (BaliseStore   *self,
                                      GAsyncResult  *result,
                                      guint         *n_moved,
                                      GError       **error)
{
  gssize moved;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  moved = g_task_propagate_int (G_TASK (result), error);
  if (n_moved != NULL)
    *n_moved = moved < 0 ? 0 : (guint) moved;
  return moved >= 0;
}

/*
 * Reading
 */

GPtrArray *
balise_store_list_photos (BaliseStore  *self,
                          const char   *edit_uuid,
                          const char   *note_uuid,
                          GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail ((edit_uuid == NULL) != (note_uuid == NULL), NULL);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db,
                              "SELECT photo.sha256, mime_type, size, created_at FROM photo_link "
                              "JOIN photo USING (sha256) WHERE edit_uuid IS ? AND note_uuid IS ? "
                              "ORDER BY photo_link.rowid",
                              &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, edit_uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, note_uuid, -1, SQLITE_STATIC);

  photos = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_photo_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BalisePhoto *photo = g_new0 (BalisePhoto, 1);

      photo->sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      photo->mime_type = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      photo->size = (gsize) sqlite3_column_int64 (stmt, 2);
      photo->created_at = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 3),
                                                        NULL);
      g_ptr_array_add (photos, photo);
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the photos");
      return NULL;
    }
  return g_steal_pointer (&photos);
}

/* The photo's bytes from a row of (sha256, data), checked. */
static GBytes *
checked_photo (sqlite3_stmt  *stmt,
               GError       **error)
{
  const char *sha256 = (const char *) sqlite3_column_text (stmt, 0);
  g_autoptr(GBytes) bytes = g_bytes_new (sqlite3_column_blob (stmt, 1),
                                         (gsize) sqlite3_column_bytes (stmt, 1));
  g_autofree char *actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  if (g_strcmp0 (actual, sha256) != 0)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                   "The photo %s is damaged: its bytes do not match its checksum", sha256);
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

GBytes *
balise_store_read_photo (BaliseStore  *self,
                         const char   *sha256,
                         GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db, "SELECT sha256, data FROM photo WHERE sha256 = ?", &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return checked_photo (stmt, error);
  if (rc == SQLITE_DONE)
    g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                 "No photo %s in the database", sha256);
  else
    _balise_store_set_error (error, db, "Could not read the photo");
  return NULL;
}

static void
read_photo_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  const char *sha256 = task_data;
  sqlite3 *db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *bytes = NULL;
  int rc;

  /* A connection of this thread's own: the store's reader belongs to the
   * main thread. The photo table needs no SpatiaLite. */
  if (sqlite3_open_v2 (balise_store_get_path (source_object), &db,
                       SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (&error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_FAILED,
                   "Could not open the database to read a photo: %s",
                   db ? sqlite3_errmsg (db) : "out of memory");
    }
  else
    {
      sqlite3_busy_timeout (db, 10000);
      if (_balise_store_prepare (db, "SELECT sha256, data FROM photo WHERE sha256 = ?", &stmt, &error))
        {
          sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            bytes = checked_photo (stmt, &error);
          else if (rc == SQLITE_DONE)
            g_set_error (&error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                         "No photo %s in the database", sha256);
          else
            _balise_store_set_error (&error, db, "Could not read the photo");
        }
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_close (db);

  if (bytes == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

void
balise_store_read_photo_async (BaliseStore         *self,
                               const char          *sha256,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BALISE_IS_STORE (self));
  g_return_if_fail (sha256 != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_store_read_photo_async);
  g_task_set_task_data (task, g_strdup (sha256), g_free);
  g_task_run_in_thread (task, read_photo_in_thread);
}

GBytes *
balise_store_read_photo_finish (BaliseStore   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
balise_store_verify_photos (BaliseStore  *self,
                            guint        *n_checked,
                            GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint count = 0;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db, "SELECT sha256, data FROM photo", &stmt, error))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GBytes) bytes = checked_photo (stmt, error);

      if (bytes == NULL)
        return FALSE;
      count++;
    }
  if (n_checked != NULL)
    *n_checked = count;
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the photos");
      return FALSE;
    }
  return TRUE;
}
