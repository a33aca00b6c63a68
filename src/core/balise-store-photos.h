/* balise-store-photos.h: photos of edits and notes, kept in the database
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"

G_BEGIN_DECLS

/* Photos are kept at full resolution; a larger file is refused. */
#define BALISE_PHOTO_MAX_SIZE (40 * 1024 * 1024)

/**
 * BalisePhoto:
 *
 * A photo of the database, addressed by the SHA-256 of its bytes. Photos
 * are never uploaded to OpenStreetMap.
 */
typedef struct
{
  char      *sha256;      /* 64 lowercase hex digits */
  char      *mime_type;   /* image/jpeg, image/png, image/webp, image/heic… */
  gsize      size;
  GDateTime *created_at;
} BalisePhoto;

void         balise_photo_free             (BalisePhoto   *photo);

/* The image type of @data from its first bytes, or NULL when it is not an
 * image Balise keeps (JPEG, PNG, WebP, HEIC/HEIF, AVIF, GIF, TIFF). */
const char  *balise_photo_sniff_mime_type  (const guint8  *data,
                                            gsize          size);

/* Stores the photo in @file and links it to the edit @edit_uuid or the note
 * @note_uuid (exactly one of them). The same bytes are stored once however
 * often they are attached. Returns the photo's sha256, or NULL with
 * BALISE_STORE_ERROR_TOO_LARGE, _INVALID (not an image) or _NOT_FOUND (no
 * such edit or note). */
char        *balise_store_attach_photo        (BaliseStore          *self,
                                               GFile                *file,
                                               const char           *edit_uuid,
                                               const char           *note_uuid,
                                               GCancellable         *cancellable,
                                               GError              **error);
void         balise_store_attach_photo_async  (BaliseStore          *self,
                                               GFile                *file,
                                               const char           *edit_uuid,
                                               const char           *note_uuid,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
char        *balise_store_attach_photo_finish (BaliseStore          *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Takes the photo @sha256 off the edit @edit_uuid or the note @note_uuid
 * (exactly one of them). A photo that is then linked to nothing is deleted
 * in the same transaction. BALISE_STORE_ERROR_NOT_FOUND when the photo was
 * not linked there. */
gboolean     balise_store_unlink_photo        (BaliseStore          *self,
                                               const char           *sha256,
                                               const char           *edit_uuid,
                                               const char           *note_uuid,
                                               GError              **error);
void         balise_store_unlink_photo_async  (BaliseStore          *self,
                                               const char           *sha256,
                                               const char           *edit_uuid,
                                               const char           *note_uuid,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean     balise_store_unlink_photo_finish (BaliseStore          *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Moves every photo of the edit @from_edit_uuid to the edit @to_edit_uuid
 * or the note @to_note_uuid (exactly one of them), in one transaction, in
 * their order: no photo row is deleted, and a photo the target has already
 * is not linked twice. With @discard_from, @from_edit_uuid is a draft the
 * volunteer left for another record, and it goes in the same transaction
 * (its photos do not). @n_moved (nullable): how many links moved; moving
 * again moves none. BALISE_STORE_ERROR_NOT_FOUND for a record that does
 * not exist (or, with @discard_from, that is not a draft), _INVALID for a
 * move onto itself; nothing is changed then. */
gboolean     balise_store_move_photo_links        (BaliseStore          *self,
                                                   const char           *from_edit_uuid,
                                                   const char           *to_edit_uuid,
                                                   const char           *to_note_uuid,
                                                   gboolean              discard_from,
                                                   guint                *n_moved,
                                                   GError              **error);
void         balise_store_move_photo_links_async  (BaliseStore          *self,
                                                   const char           *from_edit_uuid,
                                                   const char           *to_edit_uuid,
                                                   const char           *to_note_uuid,
                                                   gboolean              discard_from,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean     balise_store_move_photo_links_finish (BaliseStore          *self,
                                                   GAsyncResult         *result,
                                                   guint                *n_moved,
                                                   GError              **error);

/* The photos of an edit or of a note (one of the uuids), oldest first;
 * BalisePhoto elements. */
GPtrArray   *balise_store_list_photos         (BaliseStore          *self,
                                               const char           *edit_uuid,
                                               const char           *note_uuid,
                                               GError              **error);
/* The photo's bytes, checked against its sha256: a damaged photo is
 * BALISE_STORE_ERROR_CORRUPT, never returned. */
GBytes      *balise_store_read_photo          (BaliseStore          *self,
                                               const char           *sha256,
                                               GError              **error);
/* The same off the calling thread, on a read-only connection of its own:
 * for a viewer that must not wait for megabytes on the main thread. */
void         balise_store_read_photo_async    (BaliseStore          *self,
                                               const char           *sha256,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GBytes      *balise_store_read_photo_finish   (BaliseStore          *self,
                                               GAsyncResult         *result,
                                               GError              **error);
/* Checks every photo of the database against its sha256; the first damaged
 * one is BALISE_STORE_ERROR_CORRUPT. @n_checked: how many were read. */
gboolean     balise_store_verify_photos       (BaliseStore          *self,
                                               guint                *n_checked,
                                               GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BalisePhoto, balise_photo_free)

G_END_DECLS
