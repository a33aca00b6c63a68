/* balise-changeset-tags.h: the words a changeset carries — its comment, the
 * project's hashtags and the people credited
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core-types.h"
#include "balise-tags.h"

G_BEGIN_DECLS

/* The changeset tag that names the people whose survey the changeset
 * carries (volunteers, and reviewers who changed an edit). */
#define BALISE_CHANGESET_CREDITS_KEY "balise:contributors"

/* A project's hashtags as a person types them ("#balise #monaco-stops",
 * "balise, monaco-stops"): each with its '#', in order, each once (case
 * does not count). An empty text gives an empty list. A word with other
 * characters than letters, digits, '-' and '_' is refused with
 * BALISE_SYNC_ERROR_INVALID naming it. */
GStrv       balise_hashtags_parse                 (const char          *text,
                                                   GError             **error);
/* @comment with each of @hashtags it does not already hold appended, a
 * space before each, as OSM's organised editing guidelines show it. */
char       *balise_changeset_comment_add_hashtags (const char          *comment,
                                                   const char * const  *hashtags);
/* The hashtags written in @comment, as the value of the `hashtags`
 * changeset tag ("#balise;#monaco-stops"), or NULL when it holds none. */
char       *balise_changeset_hashtags_value       (const char          *comment);
/* The value of the credits tag: the names joined by ';' (a ';' in a name
 * doubled), at most 255 characters — names that do not fit are counted at
 * the end ("+3"). NULL for no names. */
char       *balise_changeset_credits_value        (const char * const  *names);
/* A comment OSM takes: not blank, at most 255 characters, no control
 * character. BALISE_SYNC_ERROR_INVALID says what is wrong. */
gboolean    balise_changeset_comment_validate     (const char          *comment,
                                                   GError             **error);
/* The tags of a new changeset (DESIGN §4.2): created_by, comment,
 * source=survey, hashtags (from the comment), the credits when @credits
 * holds names, and the batch tag. */
BaliseTags *balise_changeset_tags_new             (const char          *comment,
                                                   const char * const  *credits,
                                                   const char          *batch_uuid);

G_END_DECLS
