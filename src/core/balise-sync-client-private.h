/* balise-sync-client-private.h: what the sync engine's files share
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "balise-osm-xml.h"
#include "balise-store-sync.h"
#include "balise-sync-client.h"

G_BEGIN_DECLS

/* One sync, run on a worker thread with its own blocking SoupSession: the
 * steps are strictly sequential and each one is recorded in the store
 * before the next request goes out (DESIGN §4). */
typedef struct
{
  BaliseSyncClient   *client;
  BaliseStore        *store;
  char               *comment;
  GStrv               hashtags;        /* appended to the comment */
  gboolean            credit;          /* name the contributors in each changeset */
  SoupSession        *session;
  BaliseCapabilities  capabilities;
  BaliseSyncReport    report;
  guint               edit_ready_mask;
  guint               note_ready_mask;
} BaliseSyncRun;

const char *_balise_sync_client_get_token   (BaliseSyncClient  *self);
/* The HTTP timeout, in seconds. */
guint       _balise_sync_client_get_timeout (BaliseSyncClient  *self);

/* Sends one API request (@path is relative to the API base, e.g.
 * "api/0.6/notes.json") and returns the body of a 2xx answer; any other
 * answer becomes a BALISE_SYNC_ERROR naming the status and the server's
 * message. 429, 509 and 503 are waited out and sent again a few times.
 * @status_out gets the HTTP status, 0 when no answer came. */
GBytes     *_balise_sync_api_call           (BaliseSyncRun     *run,
                                             const char        *method,
                                             const char        *path,
                                             const char        *content_type,
                                             GBytes            *body,
                                             guint             *status_out,
                                             GCancellable      *cancellable,
                                             GError           **error);

/* Notes (balise-sync-notes.c): settle the notes whose creation got no
 * answer, refresh the ones on the server, then send the ready ones. */
gboolean    _balise_sync_recover_notes      (BaliseSyncRun     *run,
                                             GCancellable      *cancellable,
                                             GError           **error);
gboolean    _balise_sync_refresh_notes      (BaliseSyncRun     *run,
                                             GCancellable      *cancellable,
                                             GError           **error);
gboolean    _balise_sync_send_notes         (BaliseSyncRun     *run,
                                             GCancellable      *cancellable,
                                             GError           **error);

/* Conflicts (balise-sync-conflicts.c): the server refused the upload of
 * @batch (@edits) with @refusal, a 409 version mismatch, a 410 or a 412
 * naming one of its elements; nothing landed. Settles that element's edit:
 * merged with the server's version and replaced in the batch, or made a
 * conflict holding the server's version; the batch is open again. Returns
 * FALSE without an error when the refusal names nothing of the batch. */
gboolean    _balise_sync_settle_refusal     (BaliseSyncRun     *run,
                                             BaliseBatch       *batch,
                                             GPtrArray         *edits,
                                             const GError      *refusal,
                                             GCancellable      *cancellable,
                                             GError           **error);

/* @edit of @batch was made on an older version than the server's @server
 * (a carrier from balise_osm_xml_parse_element(); NULL or of kind DELETE
 * when the server deleted it): the same three-way merge as for a 409. */
gboolean    _balise_sync_settle_with_server (BaliseSyncRun     *run,
                                             BaliseBatch       *batch,
                                             BaliseEdit        *edit,
                                             BaliseEdit        *server,
                                             GError           **error);

/* Ways (balise-sync-ways.c): a way modify must carry the way's node list,
 * which the store does not keep. Reads the ways of @edits from the server
 * and gives each way modify made on the server's version its nodes; one
 * made on an older version is merged or becomes a conflict, as for a 409,
 * and @settled is set: the batch changed and must be read again. */
gboolean    _balise_sync_fill_way_nodes     (BaliseSyncRun     *run,
                                             BaliseBatch       *batch,
                                             GPtrArray         *edits,
                                             gboolean          *settled,
                                             GCancellable      *cancellable,
                                             GError           **error);

/* Counts one uploaded edit in the report's parts (balise-sync-report.c). */
void        _balise_sync_report_count       (BaliseSyncReport  *report,
                                             BaliseEdit        *edit);

G_END_DECLS
