/* balise-package-private.h: the layout of a field package
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-package.h"
#include "balise-store-private.h"

G_BEGIN_DECLS

/* "BPKG": tells a package from a Balise database and from any SQLite file. */
#define BALISE_PACKAGE_APPLICATION_ID 0x42504b47

/* The columns a package carries, in this order, in its tables and in the
 * store's: the journal entry as the volunteer's machine had it. */
#define BALISE_PACKAGE_EDIT_COLUMNS \
  "uuid, kind, osm_type, osm_id, base_version, base_tags, new_tags, lat, lon, contributor, " \
  "created_at, status, reason, preset, edited_by, reviewer, review_comment, reviewed_at"
#define BALISE_PACKAGE_NOTE_COLUMNS \
  "uuid, lat, lon, category, text, element_type, element_id, contributor, created_at, status, " \
  "preset, reason, reviewer, review_comment, reviewed_at"

/* What is exported and imported: work that has not reached the server. */
#define BALISE_PACKAGE_STATUSES "('pending', 'approved', 'has_issues', 'failed')"

#define BALISE_PACKAGE_SCHEMA \
  "CREATE TABLE package (key TEXT PRIMARY KEY, value TEXT);" \
  "CREATE TABLE edit (uuid TEXT PRIMARY KEY, kind TEXT NOT NULL, osm_type TEXT NOT NULL," \
  "  osm_id INTEGER NOT NULL, base_version INTEGER NOT NULL, base_tags TEXT, new_tags TEXT," \
  "  lat REAL, lon REAL, contributor TEXT, created_at TEXT NOT NULL, status TEXT NOT NULL," \
  "  reason TEXT, preset TEXT, edited_by TEXT, reviewer TEXT, review_comment TEXT," \
  "  reviewed_at TEXT, seq INTEGER NOT NULL);" \
  "CREATE TABLE note (uuid TEXT PRIMARY KEY, lat REAL NOT NULL, lon REAL NOT NULL," \
  "  category TEXT NOT NULL, text TEXT NOT NULL, element_type TEXT, element_id INTEGER," \
  "  contributor TEXT, created_at TEXT NOT NULL, status TEXT NOT NULL, preset TEXT," \
  "  reason TEXT, reviewer TEXT, review_comment TEXT, reviewed_at TEXT, seq INTEGER NOT NULL);" \
  "CREATE TABLE photo (sha256 TEXT PRIMARY KEY, mime_type TEXT NOT NULL, size INTEGER NOT NULL," \
  "  data BLOB NOT NULL, created_at TEXT NOT NULL);" \
  "CREATE TABLE photo_link (sha256 TEXT NOT NULL, edit_uuid TEXT, note_uuid TEXT);"

/* Copies the @n_columns columns of the current row of @from into the
 * parameters 1… of @to, and steps it. */
gboolean _balise_package_copy_row (sqlite3       *db,
                                   sqlite3_stmt  *from,
                                   sqlite3_stmt  *to,
                                   int            n_columns,
                                   GError       **error);

G_END_DECLS
