/* balise-store-private.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "balise-store.h"

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

/* The read-only connection of the thread that opened the store. */
sqlite3  *_balise_store_get_read_db   (BaliseStore           *self);

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
char       *_balise_store_now_iso8601   (void);

/* The elements that are features, not basemap: @prefix is "" or "new." */
#define BALISE_STORE_FEATURE_CATEGORY_SQL(prefix) \
  prefix "category IS NOT NULL AND " prefix "category NOT IN " \
  "('road', 'building', 'water', 'landuse', 'railway', 'place')"

/* Refills feature_index from the element table, for writers that insert
 * with the element triggers dropped (the importer). */
gboolean  _balise_store_rebuild_feature_index (sqlite3           *db,
                                               GError           **error);

/* The columns _balise_store_edit_from_row() expects, in order. */
#define BALISE_STORE_EDIT_COLUMNS \
  "id, uuid, kind, osm_type, osm_id, base_version, base_tags, new_tags, lat, lon, " \
  "contributor, created_at, status, batch, new_id, new_version, error"

G_END_DECLS
