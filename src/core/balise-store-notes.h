/* balise-store-notes.h: faults in the store, on their way to OSM notes
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-note.h"
#include "balise-store.h"

G_BEGIN_DECLS

/* Recording a note. It is validated first (balise_note_validate()); nothing
 * is written when it fails. On success @note gets its id, uuid and
 * created_at. The synchronous form is for the CLI and tests; the
 * application uses the async form, which runs on the store's writer thread. */
gboolean     balise_store_add_note               (BaliseStore          *self,
                                                  BaliseNote           *note,
                                                  GError              **error);
void         balise_store_add_note_async         (BaliseStore          *self,
                                                  BaliseNote           *note,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean     balise_store_add_note_finish        (BaliseStore          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* @status_mask is a bit mask of BALISE_NOTE_STATUS_MASK() values; 0 means
 * every status. The notes come in the order they were recorded. */
GPtrArray   *balise_store_list_notes             (BaliseStore          *self,
                                                  guint                 status_mask,
                                                  GError              **error);
/* The same, read in a worker thread on a connection of its own, for a page
 * that must not wait for the store. */
void         balise_store_list_notes_async       (BaliseStore          *self,
                                                  guint                 status_mask,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray   *balise_store_list_notes_finish      (BaliseStore          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
BaliseNote  *balise_store_get_note               (BaliseStore          *self,
                                                  const char           *uuid,
                                                  GError              **error);

/* The statuses people set: review (approved, rejected, has_issues, back to
 * pending) and undo/redo (undone, pending). A note that is on the server
 * (uploading, open, closed, hidden) only changes through sync; any other
 * move is refused with BALISE_STORE_ERROR_INVALID naming both statuses. */
gboolean     balise_store_set_note_status        (BaliseStore          *self,
                                                  const char           *uuid,
                                                  BaliseNoteStatus      status,
                                                  GError              **error);
void         balise_store_set_note_status_async  (BaliseStore          *self,
                                                  const char           *uuid,
                                                  BaliseNoteStatus      status,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean     balise_store_set_note_status_finish (BaliseStore          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
gboolean     balise_note_status_can_change       (BaliseNoteStatus      from,
                                                  BaliseNoteStatus      to);

/* For sync (balise-sync-client.c): every step is written before the
 * request that follows it. */
/* Ready (statuses in @ready_mask) → uploading to @server (its API URL,
 * recorded as the note's server); FALSE with NOT_FOUND when it is no longer
 * ready. */
gboolean     _balise_store_claim_note            (BaliseStore          *self,
                                                  const char           *uuid,
                                                  const char           *server,
                                                  guint                 ready_mask,
                                                  GError              **error);
/* Uploading → failed with @message: the server refused it, nothing exists. */
gboolean     _balise_store_fail_note             (BaliseStore          *self,
                                                  const char           *uuid,
                                                  const char           *message,
                                                  GError              **error);
/* What the server holds: its id, open/closed/hidden and the comments.
 * @server (nullable): the API URL where the note was found or created, to
 * record; NULL keeps the one recorded. */
gboolean     _balise_store_set_note_server_state (BaliseStore          *self,
                                                  const char           *uuid,
                                                  const char           *server,
                                                  gint64                osm_note_id,
                                                  BaliseNoteStatus      status,
                                                  GPtrArray            *comments,
                                                  GError              **error);

G_END_DECLS
