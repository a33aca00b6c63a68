/* balise-review-row.h: one edit in the review queue
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-edit.h"
#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_REVIEW_ROW (balise_review_row_get_type ())

G_DECLARE_FINAL_TYPE (BaliseReviewRow, balise_review_row, BALISE, REVIEW_ROW, AdwExpanderRow)

GtkWidget  *balise_review_row_new               (BaliseEdit        *edit,
                                                 ShumateMapSource  *map_source);
BaliseEdit *balise_review_row_get_edit          (BaliseReviewRow   *self);
/* Shows the edit's photos, read-only, once the row is expanded. */
void        balise_review_row_set_photo_store   (BaliseReviewRow   *self,
                                                 BaliseStore       *store);
BalisePhotoStrip *balise_review_row_get_photo_strip (BaliseReviewRow *self);
gboolean    balise_review_row_get_selected      (BaliseReviewRow   *self);
void        balise_review_row_set_selected      (BaliseReviewRow   *self,
                                                 gboolean           selected);
/* The button of the row's action @name ("approve", "reject", "has-issues",
 * "edit", "compare", "keep-mine", "keep-theirs", "choose-tags"), or NULL
 * when the row has none. */
GtkWidget  *balise_review_row_get_button        (BaliseReviewRow   *self,
                                                 const char        *name);
/* The label of each line of the tag diff, in key order. */
GPtrArray  *balise_review_row_get_diff_labels   (BaliseReviewRow   *self);
/* Shows the server's current version of the element under the diff (NULL:
 * it is gone from the server), or @error_message when it could not be read. */
void        balise_review_row_show_server       (BaliseReviewRow   *self,
                                                 BaliseTags        *server_tags,
                                                 gint64             server_version,
                                                 gboolean           deleted,
                                                 const char        *error_message);

G_END_DECLS
