/* balise-photo-strip.h: the photos of a record, and a button to add more
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_PHOTO_STRIP (balise_photo_strip_get_type ())

G_DECLARE_FINAL_TYPE (BalisePhotoStrip, balise_photo_strip, BALISE, PHOTO_STRIP, GtkWidget)

GtkWidget  *balise_photo_strip_new                    (BaliseStore          *store);
/* The record whose photos are shown and added to: an edit or a note (at
 * most one). With neither, photos added wait in the strip, checked but not
 * stored, until balise_photo_strip_attach_pending_async(). */
void        balise_photo_strip_set_target             (BalisePhotoStrip     *self,
                                                       const char           *edit_uuid,
                                                       const char           *note_uuid);
/* Whether photos can be added and removed (a reviewer only looks). */
void        balise_photo_strip_set_editable           (BalisePhotoStrip     *self,
                                                       gboolean              editable);
gboolean    balise_photo_strip_get_editable           (BalisePhotoStrip     *self);
guint       balise_photo_strip_get_n_photos           (BalisePhotoStrip     *self);
/* TRUE while photos are being attached or removed. */
gboolean    balise_photo_strip_get_busy               (BalisePhotoStrip     *self);
/* The files chosen that wait for their record (not stored yet), in order:
 * a new list of GFile, empty when none wait. */
GListModel *balise_photo_strip_get_pending_files      (BalisePhotoStrip     *self);

/* Attaches @files (a GListModel of GFile) one after the other, as the file
 * chooser does. Each refused file is said in the strip, by name and why;
 * the others are stored all the same. The result is the first refusal. */
void        balise_photo_strip_add_files_async        (BalisePhotoStrip     *self,
                                                       GListModel           *files,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean    balise_photo_strip_add_files_finish       (BalisePhotoStrip     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* Stores the photos waiting in the strip and links them to @edit_uuid or
 * @note_uuid, which becomes the strip's target. */
void        balise_photo_strip_attach_pending_async   (BalisePhotoStrip     *self,
                                                       const char           *edit_uuid,
                                                       const char           *note_uuid,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean    balise_photo_strip_attach_pending_finish  (BalisePhotoStrip     *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* For tests: the thumbnail button of photo @index, the sha256 of a stored
 * photo (NULL while it waits), the texture drawn in a thumbnail (NULL while
 * it is decoded), the error label, the "Add Photo" button, and the viewer
 * a thumbnail opened (NULL when none is open). */
GtkWidget  *balise_photo_strip_get_thumbnail          (BalisePhotoStrip     *self,
                                                       guint                 index);
const char *balise_photo_strip_get_sha256             (BalisePhotoStrip     *self,
                                                       guint                 index);
GdkPaintable *balise_photo_strip_get_thumbnail_paintable (BalisePhotoStrip  *self,
                                                       guint                 index);
GtkWidget  *balise_photo_strip_get_error_label        (BalisePhotoStrip     *self);
GtkWidget  *balise_photo_strip_get_add_button         (BalisePhotoStrip     *self);
GtkWidget  *balise_photo_strip_get_viewer             (BalisePhotoStrip     *self);

G_END_DECLS
