/* balise-import.h: importing OpenStreetMap extracts (.osm, .osm.pbf) into a store
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 nodes_read;
  guint64 ways_read;
  guint64 relations_read;              /* relations are not imported */
  guint64 features;                    /* tagged nodes written */
  guint64 ways_kept;                   /* ways written with their shape */
  guint64 ways_skipped_missing_nodes;  /* kept ways with a node not in the file */
  guint64 edits_flagged;               /* unsent edits set to 'conflict' */
} BaliseImportStats;

/* Called at most about ten times a second with the number of nodes and ways
 * read so far: on the importing thread by balise_store_import_file(), in the
 * caller's thread-default main context by balise_store_import_file_async(). */
typedef void (*BaliseImportProgressFunc) (guint64   nodes,
                                          guint64   ways,
                                          gpointer  user_data);

gboolean balise_store_import_file        (BaliseStore               *self,
                                          const char                *path,
                                          BaliseImportProgressFunc   progress,
                                          gpointer                   progress_data,
                                          GCancellable              *cancellable,
                                          BaliseImportStats         *stats_out,
                                          GError                   **error);
void     balise_store_import_file_async  (BaliseStore               *self,
                                          const char                *path,
                                          BaliseImportProgressFunc   progress,
                                          gpointer                   progress_data,
                                          GDestroyNotify             progress_data_free,
                                          GCancellable              *cancellable,
                                          GAsyncReadyCallback        callback,
                                          gpointer                   user_data);
gboolean balise_store_import_file_finish (BaliseStore               *self,
                                          GAsyncResult              *result,
                                          BaliseImportStats         *stats_out,
                                          GError                   **error);

/* TRUE when the store holds no base data (no element at all): the demo
 * build imports its extract then. */
gboolean balise_store_is_empty           (BaliseStore               *self,
                                          GError                   **error);

/* Counts for `balise-cli stats`. */
typedef struct
{
  char    *name;      /* a category (or "none"), an edit status, or an element type */
  guint64  count;
} BaliseCount;

void       balise_count_free                 (BaliseCount  *count);
/* GPtrArray of BaliseCount, largest first. */
GPtrArray *balise_store_count_categories     (BaliseStore  *self,
                                              GError      **error);
GPtrArray *balise_store_count_edit_statuses  (BaliseStore  *self,
                                              GError      **error);
GPtrArray *balise_store_count_element_types  (BaliseStore  *self,
                                              GError      **error);

G_END_DECLS
