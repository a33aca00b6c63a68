/* balise-store-history.h: what was uploaded — changesets and their links
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-note.h"
#include "balise-store.h"
#include "balise-sync-client.h"

G_BEGIN_DECLS

/**
 * BaliseChangesetRecord:
 *
 * One changeset the store uploaded (a batch that reached the uploaded or
 * closed state), with its edits counted as the sync counted them.
 */
typedef struct
{
  char             *batch_uuid;
  char             *server;        /* the API URL it went to */
  gint64            changeset_id;
  GDateTime        *uploaded_at;   /* UTC, when the batch last changed state */
  char             *comment;       /* as sent, hashtags included */
  guint             n_edits;       /* edits the server took */
  BaliseSyncReport  counts;        /* those edits by category and kind */
} BaliseChangesetRecord;

void        balise_changeset_record_free          (BaliseChangesetRecord *record);

/* The uploaded changesets, newest first, of @server (an API URL) or of
 * every server when NULL. BaliseChangesetRecord elements. */
GPtrArray  *balise_store_list_uploaded_changesets (BaliseStore          *self,
                                                   const char           *server,
                                                   GError              **error);
void        balise_store_list_uploaded_changesets_async  (BaliseStore          *self,
                                                          const char           *server,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GPtrArray  *balise_store_list_uploaded_changesets_finish (BaliseStore          *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* Where people see a changeset or a note of the server @api_url: its
 * website (www.openstreetmap.org for api.openstreetmap.org), then
 * "changeset/ID" or "note/ID". */
char       *balise_server_changeset_url           (const char           *api_url,
                                                   gint64                changeset_id);
char       *balise_server_note_url                (const char           *api_url,
                                                   gint64                note_id);
/* The page of @note on the server it was sent to (note->server). A note
 * sent before Balise recorded servers has none: it is taken to be on
 * @current_api_url, and @guessed (nullable) is set to TRUE. NULL for a
 * note the server has not numbered yet. */
char       *balise_note_page_url                  (const BaliseNote     *note,
                                                   const char           *current_api_url,
                                                   gboolean             *guessed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseChangesetRecord, balise_changeset_record_free)

G_END_DECLS
