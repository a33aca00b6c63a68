/* balise-tags-diff.h: what an edit changes in an element's tags
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-tags.h"

G_BEGIN_DECLS

typedef enum
{
  BALISE_TAG_ADDED,
  BALISE_TAG_REMOVED,
  BALISE_TAG_CHANGED,
} BaliseTagChangeKind;

typedef struct
{
  BaliseTagChangeKind  kind;
  char                *key;
  char                *old_value;   /* NULL when added */
  char                *new_value;   /* NULL when removed */
} BaliseTagChange;

void       balise_tag_change_free (BaliseTagChange  *change);

/* The keys added, removed and changed from @base to @result, sorted by key;
 * an unchanged key is not listed. Either side may be NULL (no tags: a
 * create's base, a delete's result). BaliseTagChange elements. */
GPtrArray *balise_tags_diff       (const BaliseTags *base,
                                   const BaliseTags *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseTagChange, balise_tag_change_free)

G_END_DECLS
