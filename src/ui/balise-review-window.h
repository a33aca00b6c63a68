/* balise-review-window.h: the coordinator's window — review, history, dashboard
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-review-page.h"
#include "balise-store.h"
#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_REVIEW_WINDOW (balise_review_window_get_type ())

G_DECLARE_FINAL_TYPE (BaliseReviewWindow, balise_review_window, BALISE, REVIEW_WINDOW, AdwWindow)

/* @map_source (nullable) draws the small maps of the queue. */
GtkWidget        *balise_review_window_new             (GtkWindow          *parent,
                                                        BaliseStore        *store,
                                                        ShumateMapSource   *map_source);
BaliseReviewPage *balise_review_window_get_review_page (BaliseReviewWindow *self);
/* The page @name: "review", "dashboard" or "history". */
GtkWidget        *balise_review_window_get_page        (BaliseReviewWindow *self,
                                                        const char         *name);
/* Shows the page @name: "review", "dashboard" or "history". */
void              balise_review_window_show_page       (BaliseReviewWindow *self,
                                                        const char         *name);

G_END_DECLS
