/* balise-photo-decode.h: photos decoded and scaled off the main thread
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "balise-store.h"

G_BEGIN_DECLS

/* A photo to show: one of the store (@sha256) or a file not attached yet. */
typedef struct
{
  char  *sha256;
  GFile *file;
} BalisePhotoItem;

BalisePhotoItem *balise_photo_item_new  (const char      *sha256,
                                         GFile           *file);
BalisePhotoItem *balise_photo_item_copy (BalisePhotoItem *item);
void             balise_photo_item_free (BalisePhotoItem *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BalisePhotoItem, balise_photo_item_free)

/* How a photo is drawn: a square thumbnail, its shorter side @size pixels
 * and cropped in the middle, or the whole photo with its longer side at
 * most @size pixels (never enlarged). */
typedef enum {
  BALISE_PHOTO_FIT_SQUARE,
  BALISE_PHOTO_FIT_WHOLE,
} BalisePhotoFit;

/* Decodes the photo @sha256 of @store, or the file @file (exactly one),
 * turned as its camera's EXIF orientation says. Reading, decoding and
 * scaling all happen in threads; the texture is made there too. Errors are
 * those of the store, the file, or GDK_PIXBUF_ERROR for what it cannot
 * decode (a HEIC photo with no loader for it). */
void        balise_photo_decode_async  (BaliseStore          *store,
                                        const char           *sha256,
                                        GFile                *file,
                                        BalisePhotoFit        fit,
                                        int                   size,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
GdkTexture *balise_photo_decode_finish (GAsyncResult         *result,
                                        GError              **error);

/* The same on the calling thread, for tests and benchmarks. */
GdkTexture *balise_photo_decode_bytes  (GBytes               *bytes,
                                        BalisePhotoFit        fit,
                                        int                   size,
                                        GError              **error);

G_END_DECLS
