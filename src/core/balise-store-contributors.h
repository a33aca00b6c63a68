/* balise-store-contributors.h: the local profiles that record edits
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"

G_BEGIN_DECLS

/* The profiles of the database, sorted by name. Every name that ever
 * recorded an edit is one. */
GStrv     balise_store_list_contributors  (BaliseStore  *self,
                                           GError      **error);
/* Adds a profile. The name is trimmed; it must not be empty, hold a control
 * character or be longer than 255 characters, and must not be taken
 * (BALISE_STORE_ERROR_EXISTS). */
gboolean  balise_store_add_contributor    (BaliseStore  *self,
                                           const char   *name,
                                           GError      **error);
/* Renames a profile; its edits, notes and reviews follow the new name, so
 * its undo history and its credit stay whole. */
gboolean  balise_store_rename_contributor (BaliseStore  *self,
                                           const char   *old_name,
                                           const char   *new_name,
                                           GError      **error);

G_END_DECLS
