/* balise-download.h: an area of the OSM API into the store's base copy
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"

G_BEGIN_DECLS

/* A box split into more tiles than this is refused. */
#define BALISE_DOWNLOAD_MAX_TILES 1024
/* How often a tile with too many nodes is split in four. */
#define BALISE_DOWNLOAD_MAX_SPLITS 6

typedef struct
{
  guint requests;     /* map?bbox calls, refused ones included */
  guint tiles;        /* tiles written */
  guint nodes;        /* tagged nodes written */
  guint ways;         /* tagged ways written */
  guint deleted;      /* nodes gone from the server (or no longer tagged) */
  guint conflicts;    /* unsent edits whose element changed on the server */
} BaliseDownloadReport;

/* Called in the caller's main context after each tile is written. */
typedef void (*BaliseDownloadProgress) (guint     done,
                                        guint     total,
                                        gpointer  user_data);

/* Downloads the box with GET map?bbox in tiles no larger than the server's
 * area maximum, splitting a tile in four when it holds too many nodes, and
 * writes each tile in one transaction. An element is never replaced by an
 * older version; an unsent edit of an element that changed on the server
 * becomes a conflict. A tagged node of the store well inside a tile that
 * the server no longer sends is deleted, or, when an unsent edit targets
 * it, the edit becomes a conflict. Returns a BaliseDownloadReport to g_free(). */
void                  balise_store_download_area_async  (BaliseStore            *store,
                                                         const char             *api_url,
                                                         double                  west,
                                                         double                  south,
                                                         double                  east,
                                                         double                  north,
                                                         GCancellable           *cancellable,
                                                         BaliseDownloadProgress  progress,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
BaliseDownloadReport *balise_store_download_area_finish (BaliseStore            *store,
                                                         GAsyncResult           *result,
                                                         GError                **error);

G_END_DECLS
