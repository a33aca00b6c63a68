/* balise-store-private.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "balise-store-journal.h"

G_BEGIN_DECLS

typedef char sqlite_str;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite_str, sqlite3_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* A unit of work on the writer connection. It runs inside one transaction
 * (BEGIN IMMEDIATE … COMMIT, or ROLLBACK when it returns FALSE). */
typedef gboolean (*BaliseStoreWriteFunc) (BaliseStore   *self,
                                          sqlite3       *db,
                                          gpointer       data,
                                          GCancellable  *cancellable,
                                          GError       **error);

gboolean  _balise_store_write         (BaliseStore           *self,
                                       BaliseStoreWriteFunc   func,
                                       gpointer               data,
                                       GCancellable          *cancellable,
                                       GError               **error);
void      _balise_store_write_async   (BaliseStore           *self,
                                       BaliseStoreWriteFunc   func,
                                       gpointer               data,
                                       GDestroyNotify         data_free,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data);
gboolean  _balise_store_write_finish  (BaliseStore           *self,
                                       GAsyncResult          *result,
                                       GError               **error);

/* The read-only connection of the thread that opened the store, or the
 * calling thread's own between _begin_thread_reads() and _end_. */
sqlite3  *_balise_store_get_read_db   (BaliseStore           *self);
/* The same, tuned on first use for reads over many features. */
sqlite3  *_balise_store_get_query_db  (BaliseStore           *self);
/* Until _balise_store_end_thread_reads(), reads of @self on the calling
 * thread go to a connection of its own: they see every write committed
 * before they start, whatever the other threads' reads keep open. */
gboolean  _balise_store_begin_thread_reads (BaliseStore      *self,
                                            GError          **error);
void      _balise_store_end_thread_reads   (BaliseStore      *self);
/* A read-only connection for searches on any thread, opened on first use;
 * held by the caller until unlocked (NULL with @error when it cannot open). */
sqlite3  *_balise_store_lock_search_db   (BaliseStore        *self,
                                          GError            **error);
void      _balise_store_unlock_search_db (BaliseStore        *self);

/* One read on the search connection, for a task's thread. */
typedef gpointer (*BaliseSearchReadFunc) (BaliseStore   *self,
                                          sqlite3       *db,
                                          gpointer       data,
                                          GCancellable  *cancellable,
                                          GError       **error);
/* Runs @read on the search connection (locked meanwhile), a cancellation of
 * the task's cancellable stopping its statements, and returns its result
 * (freed with @free_result if cancelled) or its error through @task. */
void      _balise_store_task_search_read (BaliseStore        *self,
                                          GTask              *task,
                                          BaliseSearchReadFunc read,
                                          gpointer            data,
                                          GDestroyNotify      free_result);

/* Readers that take their connection, for work off the main thread on the
 * search connection (see balise_store_list_edits() and
 * balise_store_query_features()). */
GPtrArray *_balise_store_list_edits_in_db     (sqlite3               *db,
                                               guint                  status_mask,
                                               GError               **error);
GPtrArray *_balise_store_query_features_in_db (BaliseStore           *self,
                                               sqlite3               *db,
                                               double                 west,
                                               double                 south,
                                               double                 east,
                                               double                 north,
                                               guint                  limit,
                                               gboolean               include_deleted,
                                               GError               **error);

/* Helpers shared by the store's files. */
gboolean  _balise_store_exec          (sqlite3               *db,
                                       const char            *sql,
                                       GError               **error);
gboolean  _balise_store_prepare       (sqlite3               *db,
                                       const char            *sql,
                                       sqlite3_stmt         **stmt,
                                       GError               **error);
void      _balise_store_set_error     (GError               **error,
                                       sqlite3               *db,
                                       const char            *what);
BaliseEdit *_balise_store_edit_from_row (sqlite3_stmt        *stmt);
gboolean  _balise_store_save_and_drop (sqlite3               *db,
                                       const char            *type,
                                       GPtrArray            **sql_out,
                                       GError               **error);
gboolean  _balise_store_exec_all      (sqlite3               *db,
                                       GPtrArray             *sql,
                                       GError               **error);
char       *_balise_store_now_iso8601   (void);
double      _balise_thread_cpu_seconds  (void);

/* Validates and inserts @edit on the writer connection, inside the caller's
 * transaction; fills in its id, uuid, created_at and local id. */
gboolean    _balise_store_add_edit_in_transaction (sqlite3    *db,
                                                   BaliseEdit *edit,
                                                   GError    **error);
/* Applies @change to its element and records the edit, inside the caller's
 * transaction. With a @reviewer, the edit is theirs as edited_by and is
 * recorded approved by them. */
BaliseEdit *_balise_store_change_in_transaction   (sqlite3            *db,
                                                   const BaliseChange *change,
                                                   const char         *reviewer,
                                                   GError            **error);
/* The named place nodes of the store (for area names), and the name of the
 * one nearest to a position; see balise_store_find_area_name(). */
GArray     *_balise_store_load_places             (sqlite3            *db,
                                                   GError            **error);
const char *_balise_places_nearest                (GArray             *places,
                                                   double              lat,
                                                   double              lon);
/* Adds @name to the contributor table unless it is there. */
gboolean    _balise_store_ensure_contributor      (sqlite3    *db,
                                                   const char *name,
                                                   GError    **error);

/* Photos, for the store's files and the field packages: insert (once per
 * checksum) and link to an edit or a note, inside the caller's transaction. */
gboolean    _balise_store_insert_photo            (sqlite3    *db,
                                                   const char *sha256,
                                                   const char *mime_type,
                                                   GBytes     *bytes,
                                                   const char *created_at,
                                                   GError    **error);
gboolean    _balise_store_link_photo              (sqlite3    *db,
                                                   const char *sha256,
                                                   const char *edit_uuid,
                                                   const char *note_uuid,
                                                   GError    **error);

/* Deletes the photo @sha256 when no edit or note links it any more, inside
 * the caller's transaction. */
gboolean    _balise_store_drop_unlinked_photo     (sqlite3    *db,
                                                   const char *sha256,
                                                   GError    **error);

/* The statuses of an edit that still stands: it is the effective state of
 * its target when it is the latest of them. Undone, rejected and draft
 * edits do not stand. */
#define BALISE_STORE_LIVE_STATUSES \
  "('pending', 'approved', 'uploading', 'uploaded', 'failed', 'conflict', 'has_issues')"

/* An edit of the table alias @a that a later standing edit of the same
 * target replaces: that later edit carries the whole change from the
 * server's version, so the earlier one is never uploaded on its own. */
#define BALISE_STORE_SUPERSEDED_SQL(a) \
  "EXISTS (SELECT 1 FROM edit AS later WHERE later.osm_type = " a ".osm_type " \
  "AND later.osm_id = " a ".osm_id AND later.id > " a ".id AND later.kind != 'note' " \
  "AND later.status IN " BALISE_STORE_LIVE_STATUSES ")"

/* An edit of alias @a that has something to send: not superseded, and not
 * the deletion of a point that never reached the server. */
#define BALISE_STORE_SENDABLE_SQL(a) \
  "(NOT " BALISE_STORE_SUPERSEDED_SQL (a) " AND NOT (" a ".kind = 'delete' AND " a ".osm_id < 0))"

/* The elements that are features, not basemap: @prefix is "" or "new." */
#define BALISE_STORE_FEATURE_CATEGORY_SQL(prefix) \
  prefix "category IS NOT NULL AND " prefix "category NOT IN " \
  "('road', 'building', 'water', 'landuse', 'railway', 'place')"

/* The same test in C, for writers that know a row's category. */
static inline gboolean
_balise_store_is_feature_category (const char *category)
{
  static const char * const basemap[] = { "road", "building", "water", "landuse", "railway", "place" };

  if (category == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (basemap); i++)
    if (g_str_equal (category, basemap[i]))
      return FALSE;
  return TRUE;
}

/* Refills feature_index from the element table, for writers that insert
 * with the element triggers dropped (the importer). */
gboolean  _balise_store_rebuild_feature_index (sqlite3           *db,
                                               GError           **error);

/* The columns _balise_store_edit_from_row() expects, in order. */
#define BALISE_STORE_EDIT_COLUMNS \
  "id, uuid, kind, osm_type, osm_id, base_version, base_tags, new_tags, lat, lon, " \
  "contributor, created_at, status, batch, new_id, new_version, error, " \
  "reason, preset, edited_by, reviewer, review_comment, reviewed_at"
#define BALISE_STORE_EDIT_N_COLUMNS 23

/* The undo and redo lookups (?1 the contributor; redo: ?2 a creation
 * time), for tests of their query plans. */
const char *_balise_store_undo_sql (gboolean redo);

G_END_DECLS
