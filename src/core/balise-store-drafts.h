/* balise-store-drafts.h: the edit a form is filling in
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"
#include "balise-tags.h"

G_BEGIN_DECLS

/* A form records its element at once, as an edit in the "draft" status
 * (balise_store_add_edit() with status BALISE_EDIT_STATUS_DRAFT), and
 * writes every answer into that draft: a crash loses nothing. Closing the
 * form commits it (the edit becomes pending, the journal's usual life) or
 * discards it. Only drafts are ever rewritten; the map and the sync never
 * see them. */

gboolean   balise_store_save_draft          (BaliseStore          *self,
                                             const char           *uuid,
                                             BaliseTags           *tags,
                                             const char           *preset,
                                             gboolean              commit,
                                             GError              **error);
void       balise_store_save_draft_async    (BaliseStore          *self,
                                             const char           *uuid,
                                             BaliseTags           *tags,
                                             const char           *preset,
                                             gboolean              commit,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean   balise_store_save_draft_finish   (BaliseStore          *self,
                                             GAsyncResult         *result,
                                             GError              **error);
gboolean   balise_store_discard_draft       (BaliseStore          *self,
                                             const char           *uuid,
                                             GError              **error);
void       balise_store_discard_draft_async (BaliseStore          *self,
                                             const char           *uuid,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean   balise_store_discard_draft_finish (BaliseStore         *self,
                                              GAsyncResult        *result,
                                              GError             **error);
char      *balise_store_get_edit_preset     (BaliseStore          *self,
                                             const char           *uuid,
                                             GError              **error);

G_END_DECLS
