/* balise-store.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core-types.h"
#include "balise-edit.h"

G_BEGIN_DECLS

/* The schema this build writes; a database with a higher user_version is refused. */
#define BALISE_STORE_SCHEMA_VERSION 6

#define BALISE_TYPE_STORE (balise_store_get_type ())

G_DECLARE_FINAL_TYPE (BaliseStore, balise_store, BALISE, STORE, GObject)

/* Signal "changed" (no arguments): the journal changed. Emitted in the main
 * context of the thread that opened the store, after the write committed. */

/* Opening runs the migrations in one transaction. The file is created 0600. */
BaliseStore *balise_store_open               (const char           *path,
                                              GError              **error);
void         balise_store_open_async         (const char           *path,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
BaliseStore *balise_store_open_finish        (GAsyncResult         *result,
                                              GError              **error);

const char  *balise_store_get_path           (BaliseStore          *self);
int          balise_store_get_schema_version (BaliseStore          *self);

/* Writing to the journal. The synchronous form is for the CLI and tests; the
 * application uses the async form, which runs on the store's writer thread.
 * On success @edit gets its id, uuid, created_at and (for creates) local id. */
gboolean     balise_store_add_edit           (BaliseStore          *self,
                                              BaliseEdit           *edit,
                                              GError              **error);
void         balise_store_add_edit_async     (BaliseStore          *self,
                                              BaliseEdit           *edit,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     balise_store_add_edit_finish    (BaliseStore          *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* Reading the journal. @status_mask is a bit mask of BALISE_EDIT_STATUS_MASK()
 * values; 0 means every status. The edits come in journal order. */
GPtrArray   *balise_store_list_edits         (BaliseStore          *self,
                                              guint                 status_mask,
                                              GError              **error);
BaliseEdit  *balise_store_get_edit           (BaliseStore          *self,
                                              const char           *uuid,
                                              GError              **error);
/* Edits waiting to be uploaded (pending, approved, uploading, failed). */
guint        balise_store_count_pending      (BaliseStore          *self);

#define BALISE_EDIT_STATUS_MASK(s) (1u << (s))
#define BALISE_STORE_UNSENT_MASK (BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_PENDING) | \
                                  BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_APPROVED) | \
                                  BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_UPLOADING) | \
                                  BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_FAILED))

G_END_DECLS
