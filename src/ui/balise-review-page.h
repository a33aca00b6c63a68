/* balise-review-page.h: the coordinator's review queue
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"
#include "balise-review-row.h"
#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_REVIEW_PAGE (balise_review_page_get_type ())

G_DECLARE_FINAL_TYPE (BaliseReviewPage, balise_review_page, BALISE, REVIEW_PAGE, AdwBin)

GtkWidget       *balise_review_page_new            (BaliseStore      *store);
BaliseStore     *balise_review_page_get_store      (BaliseReviewPage *self);
const char      *balise_review_page_get_reviewer   (BaliseReviewPage *self);
void             balise_review_page_set_reviewer   (BaliseReviewPage *self,
                                                    const char       *reviewer);
void             balise_review_page_set_map_source (BaliseReviewPage *self,
                                                    ShumateMapSource *map_source);
void             balise_review_page_set_server_url (BaliseReviewPage *self,
                                                    const char       *server_url);
/* Reads the queue again from the store. */
void             balise_review_page_reload         (BaliseReviewPage *self);
/* The row of the edit @uuid in the queue shown, or NULL. */
BaliseReviewRow *balise_review_page_find_row       (BaliseReviewPage *self,
                                                    const char       *uuid);
guint            balise_review_page_get_n_rows     (BaliseReviewPage *self);
/* What the last action did or why it failed, while it is shown; or NULL. */
const char      *balise_review_page_get_message    (BaliseReviewPage *self);
/* Says @message in the line under the queue for a few seconds. */
void             balise_review_page_show_message   (BaliseReviewPage *self,
                                                    const char       *message);
/* TRUE while a decision is being written. */
gboolean         balise_review_page_get_busy       (BaliseReviewPage *self);

G_END_DECLS
