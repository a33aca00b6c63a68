/* balise-photo-viewer.h: one photo at a time, full size, fitted
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-photo-decode.h"
#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_PHOTO_VIEWER (balise_photo_viewer_get_type ())

G_DECLARE_FINAL_TYPE (BalisePhotoViewer, balise_photo_viewer, BALISE, PHOTO_VIEWER, AdwWindow)

/* Shows @photos (BalisePhotoItem, copied) from @index; @can_remove offers
 * "Remove From Record", which asks first and then emits ::remove. */
BalisePhotoViewer *balise_photo_viewer_new          (GtkWindow         *parent,
                                                     BaliseStore       *store,
                                                     GPtrArray         *photos,
                                                     guint              index,
                                                     gboolean           can_remove);
guint              balise_photo_viewer_get_index    (BalisePhotoViewer *self);
guint              balise_photo_viewer_get_n_photos (BalisePhotoViewer *self);
/* The photo shown now, once decoded; NULL while it loads or if it cannot. */
GdkPaintable      *balise_photo_viewer_get_paintable (BalisePhotoViewer *self);
/* Takes the photo at @index out of the viewer (it was removed from the
 * record); the viewer closes with its last photo. */
void               balise_photo_viewer_drop_photo   (BalisePhotoViewer *self,
                                                     guint              index);

G_END_DECLS
