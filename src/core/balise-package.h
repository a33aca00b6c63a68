/* balise-package.h: field packages, to carry a volunteer's work between
 * machines without a network
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"

G_BEGIN_DECLS

/* A package is an SQLite file of its own kind (its application_id), named
 * *.balisepkg. Its user_version is the format; a package from a newer
 * Balise is refused with BALISE_STORE_ERROR_TOO_NEW and left untouched. */
#define BALISE_PACKAGE_FORMAT_VERSION 1
#define BALISE_PACKAGE_EXTENSION      ".balisepkg"
#define BALISE_PACKAGE_MIME_TYPE      "application/x-balise-package"

typedef struct
{
  guint edits;           /* written, or imported */
  guint notes;
  guint photos;
  guint skipped_edits;   /* import: already in the database */
  guint skipped_notes;
  guint conflicts;       /* import: edits of an element that already had an
                          * unsent edit from elsewhere, now in conflict */
} BalisePackageReport;

/* Writes @contributor's unsent edits (pending, approved, sent back or
 * failed), notes and the photos of both to @file, replacing it only once
 * the whole package is written. The file is created 0600. */
gboolean balise_store_export_package        (BaliseStore          *self,
                                             const char           *contributor,
                                             GFile                *file,
                                             BalisePackageReport  *report,
                                             GCancellable         *cancellable,
                                             GError              **error);
void     balise_store_export_package_async  (BaliseStore          *self,
                                             const char           *contributor,
                                             GFile                *file,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean balise_store_export_package_finish (BaliseStore          *self,
                                             GAsyncResult         *result,
                                             BalisePackageReport  *report,
                                             GError              **error);

/* Imports a package in one transaction: edits and notes whose uuid the
 * database already has are skipped (importing twice changes nothing), the
 * rest keep their contributor, reviewer and status. Points created in the
 * field get local ids of this database. Every photo is checked against its
 * sha256 first: one damaged photo and nothing is imported. An edit of an
 * element that has an unsent edit from elsewhere is imported as a
 * conflict, naming the other edit: it is never uploaded over it. */
gboolean balise_store_import_package        (BaliseStore          *self,
                                             GFile                *file,
                                             BalisePackageReport  *report,
                                             GCancellable         *cancellable,
                                             GError              **error);
void     balise_store_import_package_async  (BaliseStore          *self,
                                             GFile                *file,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean balise_store_import_package_finish (BaliseStore          *self,
                                             GAsyncResult         *result,
                                             BalisePackageReport  *report,
                                             GError              **error);

G_END_DECLS
