/* balise-review-page-private.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-review-page.h"

G_BEGIN_DECLS

struct _BaliseReviewPage
{
  AdwBin             parent_instance;

  /* Template widgets */
  GtkSearchEntry    *search_entry;
  GtkDropDown       *grouping_dropdown;
  GtkDropDown       *status_dropdown;
  GtkStack          *stack;
  GtkBox            *groups_box;
  AdwStatusPage     *empty_page;
  GtkRevealer       *bulk_revealer;
  GtkLabel          *selection_label;
  GtkRevealer       *message_revealer;
  GtkLabel          *message_label;

  /* Owned references */
  BaliseStore       *store;
  ShumateMapSource  *map_source;
  GCancellable      *cancellable;
  char              *reviewer;
  char              *server_url;
  GHashTable        *rows;        /* uuid → BaliseReviewRow (borrowed) */
  GHashTable        *selected;    /* uuids */
  GHashTable        *expanded;    /* uuids */

  gulong             changed_id;
  guint              reload_id;
  guint              message_id;
  guint              busy;
};

void    _balise_review_page_class_actions_init (BaliseReviewPageClass *klass);
void    _balise_review_page_toast              (BaliseReviewPage      *self,
                                                const char            *message);
void    _balise_review_page_update_selection   (BaliseReviewPage      *self);
GStrv   _balise_review_page_get_selected       (BaliseReviewPage      *self);
void    _balise_review_page_set_busy           (BaliseReviewPage      *self,
                                                gboolean               busy);

G_END_DECLS
