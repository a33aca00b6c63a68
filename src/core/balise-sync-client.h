/* balise-sync-client.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core-types.h"
#include "balise-store.h"

G_BEGIN_DECLS

#define BALISE_TYPE_SYNC_CLIENT (balise_sync_client_get_type ())

G_DECLARE_FINAL_TYPE (BaliseSyncClient, balise_sync_client, BALISE, SYNC_CLIENT, GObject)

/* What one sync did to the features of one category, one way. */
typedef struct
{
  char           category[32];   /* balise_osm_category_for_tags(), "" for none */
  BaliseEditKind kind;
  guint          count;
} BaliseSyncReportPart;

#define BALISE_SYNC_REPORT_MAX_PARTS 8

/**
 * BaliseSyncReport:
 *
 * What one sync did, for a plain-language summary. A plain struct: free
 * it with g_free().
 */
typedef struct
{
  guint  created;
  guint  modified;
  guint  deleted;
  guint  notes;
  guint  conflicts;
  guint  failed;
  guint  changesets;
  gint64 last_changeset_id;
  guint  notes_closed;     /* notes the server closed since the last sync */
  guint  merged;           /* edits merged with a newer version on the server */
  /* The uploaded edits by category and kind, most first; what does not
   * fit is counted in @other_changes. */
  BaliseSyncReportPart parts[BALISE_SYNC_REPORT_MAX_PARTS];
  guint  n_parts;
  guint  other_changes;
} BaliseSyncReport;

/* @api_url is the server's base URL, e.g. "https://api.openstreetmap.org/"
 * (the "api/0.6/" part is added). @token may be NULL for anonymous calls. */
BaliseSyncClient *balise_sync_client_new          (const char           *api_url,
                                                   const char           *token);
const char       *balise_sync_client_get_api_url  (BaliseSyncClient     *self);
void              balise_sync_client_set_timeout  (BaliseSyncClient     *self,
                                                   guint                 seconds);
/* The project's hashtags ("#balise #monaco-stops"), appended to every
 * changeset comment and sent as the `hashtags` tag; NULL for none. */
gboolean          balise_sync_client_set_hashtags (BaliseSyncClient     *self,
                                                   const char           *hashtags,
                                                   GError              **error);
/* Name the contributors of each changeset's edits in its
 * "balise:contributors" tag (off by default). */
void              balise_sync_client_set_credit_contributors (BaliseSyncClient *self,
                                                              gboolean          credit);

/* Uploads every unsent edit of @store in changesets (DESIGN §4), writing the
 * server's ids and versions back. Returns a BaliseSyncReport to g_free(). */
void              balise_sync_client_sync_async   (BaliseSyncClient     *self,
                                                   BaliseStore          *store,
                                                   const char           *comment,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
BaliseSyncReport *balise_sync_client_sync_finish  (BaliseSyncClient     *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Who the token belongs to (user/details): the display name. */
void              balise_sync_client_get_user_async  (BaliseSyncClient     *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char             *balise_sync_client_get_user_finish (BaliseSyncClient     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* "12 bus stops added, 3 shelters updated, 2 notes sent, 1 conflict to
 * decide", translated. */
char             *balise_sync_report_describe     (const BaliseSyncReport *report);
gboolean          balise_sync_check_server_url    (const char           *api_url,
                                                   GError              **error);

G_END_DECLS
