/* balise-tag-merge.h: three-way merge of an element's tags and position
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-tags.h"

G_BEGIN_DECLS

/**
 * BaliseTagConflict:
 *
 * A key that both sides changed, to different values. A %NULL value means
 * the key is absent on that side (removed, or never there).
 */
typedef struct
{
  char *key;
  char *base;
  char *ours;
  char *theirs;
} BaliseTagConflict;

void        balise_tag_conflict_free (BaliseTagConflict *conflict);

/* Merges the changes from @base to @ours with those from @base to @theirs,
 * key by key: a key changed on one side only takes that side's value; a
 * key changed the same way on both sides takes it; a key changed both ways
 * is a conflict and keeps @theirs' value in @merged. @base may be NULL (no
 * common ancestor: every difference is then a conflict). Returns TRUE when
 * nothing conflicts. @merged and @conflicts (of BaliseTagConflict, sorted
 * by key) are always set when not NULL. Pure: no I/O, no state. */
gboolean    balise_tags_merge3       (const BaliseTags   *base,
                                      const BaliseTags   *ours,
                                      const BaliseTags   *theirs,
                                      BaliseTags        **merged,
                                      GPtrArray         **conflicts);

/* After a person decided: the merge of @base, @ours and @theirs, where each
 * conflicting key takes @ours' value when it is in @keep_mine (a
 * NULL-terminated list; NULL for none) and @theirs' otherwise. */
BaliseTags *balise_tags_merge3_decide (const BaliseTags   *base,
                                       const BaliseTags   *ours,
                                       const BaliseTags   *theirs,
                                       const char * const *keep_mine);

/* The same rule for a node's position: returns TRUE and the merged
 * position unless both sides moved it to different places. An unknown base
 * (NAN) only merges when ours and theirs agree. Positions closer than
 * 1e-7° (what OSM stores) are the same. */
gboolean    balise_position_merge3   (double              base_lat,
                                      double              base_lon,
                                      double              our_lat,
                                      double              our_lon,
                                      double              their_lat,
                                      double              their_lon,
                                      double             *lat,
                                      double             *lon);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseTagConflict, balise_tag_conflict_free)

G_END_DECLS
