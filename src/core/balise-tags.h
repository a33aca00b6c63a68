/* balise-tags.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core-types.h"

G_BEGIN_DECLS

/* OSM's limit on the length of a key or a value, in characters (not bytes). */
#define BALISE_TAG_MAX_CHARS 255

#define BALISE_TYPE_TAGS (balise_tags_get_type ())

GType        balise_tags_get_type   (void) G_GNUC_CONST;
BaliseTags  *balise_tags_new        (void);
BaliseTags  *balise_tags_ref        (BaliseTags        *self);
void         balise_tags_unref      (BaliseTags        *self);
BaliseTags  *balise_tags_copy       (const BaliseTags  *self);
guint        balise_tags_get_size   (const BaliseTags  *self);
/* Key, value, key, value…, sorted by key; valid until the tags change. */
const char * const *balise_tags_get_pairs (const BaliseTags *self,
                                           guint            *n_pairs);
const char  *balise_tags_get_key    (const BaliseTags  *self,
                                     guint              index);
const char  *balise_tags_get_value  (const BaliseTags  *self,
                                     guint              index);
const char  *balise_tags_lookup     (const BaliseTags  *self,
                                     const char        *key);
void         balise_tags_set        (BaliseTags        *self,
                                     const char        *key,
                                     const char        *value);
gboolean     balise_tags_remove     (BaliseTags        *self,
                                     const char        *key);
gboolean     balise_tags_equal      (const BaliseTags  *a,
                                     const BaliseTags  *b);
gboolean     balise_tags_validate   (const BaliseTags  *self,
                                     GError           **error);
gboolean     balise_tag_validate    (const char        *key,
                                     const char        *value,
                                     GError           **error);
char        *balise_tags_to_json    (const BaliseTags  *self);
BaliseTags  *balise_tags_new_from_json (const char     *json,
                                        GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseTags, balise_tags_unref)

G_END_DECLS
