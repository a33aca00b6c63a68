/* balise-upload-preview.h: what the next sync would send, before it is sent
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"
#include "balise-sync-client.h"

G_BEGIN_DECLS

/**
 * BaliseUploadPreview:
 *
 * The ready edits and notes, counted as a sync counts what it sent, with
 * the comment a sync would write for them and the people to credit.
 */
typedef struct
{
  BaliseSyncReport  counts;     /* the edits by category and kind; notes not counted here */
  guint             n_edits;
  guint             n_notes;    /* notes (faults) ready to be sent */
  char             *summary;    /* "12 bus stops added in Beausoleil"; NULL without edits */
  GStrv             credits;    /* balise_changeset_credits() of the edits, sorted */
} BaliseUploadPreview;

void                 balise_upload_preview_free          (BaliseUploadPreview  *preview);

/* The notes ready to upload: approved and failed, and pending ones when
 * nobody reviews before upload (a BALISE_NOTE_STATUS_MASK mask). */
guint                balise_store_get_note_ready_mask    (BaliseStore          *self);

/* How many edits and notes the next sync would send or settle: the ready
 * ones, and those of an interrupted upload (uploading), which it recovers.
 * Counted in SQL, cheap enough to follow every change of the journal; 0
 * when it cannot be read. */
guint                balise_store_count_ready            (BaliseStore          *self);

BaliseUploadPreview *balise_store_preview_upload         (BaliseStore          *self,
                                                          GError              **error);
/* The same on a worker thread: the store's reads can take a while with
 * thousands of edits, and the place names are looked up for the summary. */
void                 balise_store_preview_upload_async   (BaliseStore          *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
BaliseUploadPreview *balise_store_preview_upload_finish  (BaliseStore          *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseUploadPreview, balise_upload_preview_free)

G_END_DECLS
