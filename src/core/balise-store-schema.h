/* balise-store-schema.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store-private.h"

G_BEGIN_DECLS

/* PRAGMA application_id of every Balise database: "BALI". */
#define BALISE_STORE_APPLICATION_ID 0x42414c49

gboolean _balise_store_migrate (sqlite3  *db,
                                int       from_version,
                                GError  **error);

gboolean _balise_store_create_at_version_for_test (const char  *path,
                                                   int          version,
                                                   GError     **error);

G_END_DECLS
