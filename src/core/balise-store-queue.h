/* balise-store-queue.h: the review queue, grouped
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"

G_BEGIN_DECLS

typedef enum
{
  BALISE_QUEUE_BY_CONTRIBUTOR,
  BALISE_QUEUE_BY_DAY,          /* the local day it was recorded, newest first */
  BALISE_QUEUE_BY_CATEGORY,     /* bus_stop, bench… ("other" for the rest) */
  BALISE_QUEUE_BY_AREA,         /* the nearest place (balise_store_find_area_name()) */
} BaliseQueueGrouping;

typedef struct
{
  char      *label;   /* a name, a YYYY-MM-DD day, a category id or a place */
  GPtrArray *edits;   /* BaliseEdit, in journal order */
} BaliseQueueGroup;

void       balise_queue_group_free         (BaliseQueueGroup     *group);

/* The edits to review (statuses in @status_mask; 0 means pending, sent back
 * and in conflict), leaving out the ones a later edit supersedes and notes, grouped.
 * @search, when not NULL or empty, keeps the edits whose name, ref,
 * contributor, category or uuid contains it, ignoring case. Groups are
 * sorted by label (days newest first); BaliseQueueGroup elements. */
GPtrArray *balise_store_list_review_queue  (BaliseStore          *self,
                                            guint                 status_mask,
                                            BaliseQueueGrouping   grouping,
                                            const char           *search,
                                            GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseQueueGroup, balise_queue_group_free)

G_END_DECLS
