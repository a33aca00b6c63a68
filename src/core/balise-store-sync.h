/* balise-store-sync.h: what the sync engine records in the store
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-osm-xml.h"
#include "balise-store.h"

G_BEGIN_DECLS

/* The life of one changeset attempt (DESIGN §4). Every state is written
 * before the request that follows it is sent, so after a crash the state
 * says what may have reached the server. */
typedef enum
{
  BALISE_BATCH_PLANNED,    /* edits chosen; the changeset may or may not exist */
  BALISE_BATCH_OPEN,       /* changeset created; nothing uploaded */
  BALISE_BATCH_UPLOADING,  /* the upload was sent: it may have landed */
  BALISE_BATCH_UPLOADED,   /* diffResult applied; the changeset may still be open */
  BALISE_BATCH_CLOSED,
  BALISE_BATCH_ABANDONED,  /* nothing landed; its edits are ready again */
} BaliseBatchState;

typedef struct
{
  char             *uuid;
  char             *server;
  gint64            changeset_id;
  BaliseBatchState  state;
  guint             element_count;
  char             *comment;
} BaliseBatch;

void        balise_batch_free                 (BaliseBatch      *batch);
const char *balise_batch_state_to_string      (BaliseBatchState  state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseBatch, balise_batch_free)

/* Chooses up to @max_edits ready edits (statuses in @ready_mask, oldest
 * first), writes a planned batch for @server and marks them uploading, in
 * one transaction. Returns NULL with no error when nothing is ready. */
BaliseBatch *_balise_store_plan_batch         (BaliseStore   *self,
                                               const char    *server,
                                               guint          ready_mask,
                                               guint          max_edits,
                                               const char    *comment,
                                               GError       **error);
/* The batch's edits, oldest first, with what an upload and its report
 * read: kind, target, versions, tags, position, status, batch, contributor
 * and edited_by; not the dates nor the review. */
GPtrArray   *_balise_store_list_batch_edits   (BaliseStore   *self,
                                               const char    *batch_uuid,
                                               GError       **error);
/* Batches for @server that are not closed or abandoned, oldest first. */
GPtrArray   *_balise_store_list_unfinished_batches (BaliseStore *self,
                                                    const char  *server,
                                                    GError     **error);
gboolean     _balise_store_set_batch_changeset (BaliseStore  *self,
                                                const char   *batch_uuid,
                                                gint64        changeset_id,
                                                GError      **error);
gboolean     _balise_store_set_batch_state    (BaliseStore      *self,
                                               const char       *batch_uuid,
                                               BaliseBatchState  state,
                                               GError          **error);
/* Writes the server's ids and versions to the batch's edits, marks them
 * uploaded, refreshes the base elements and marks the batch uploaded: all in
 * one transaction. Every edit of the batch must have its diff entry.
 * @edits: (nullable): the batch's edits as _balise_store_list_batch_edits()
 * read them for the upload, so their tags are not read again. */
gboolean     _balise_store_apply_diff         (BaliseStore   *self,
                                               const char    *batch_uuid,
                                               gint64         changeset_id,
                                               GArray        *diff,
                                               GPtrArray     *edits,
                                               GError       **error);
/* Nothing of the batch reached the server: its edits become failed (ready
 * to be sent again) with @reason, the batch abandoned. */
gboolean     _balise_store_abandon_batch      (BaliseStore   *self,
                                               const char    *batch_uuid,
                                               const char    *reason,
                                               GError       **error);

G_END_DECLS
