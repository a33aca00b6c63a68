/* balise-review-labels.h: words for what the review shows
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-edit.h"

G_BEGIN_DECLS

/* A person's words for a category id ("bus_stop" → "Bus stop"); the id
 * itself when it has none. */
const char *balise_category_label      (const char       *category);
/* A person's words for an edit status ("has_issues" → "Has issues"). */
const char *balise_edit_status_label   (BaliseEditStatus  status);
/* The category id of what the edit leaves ("other" when none). */
const char *balise_edit_category       (BaliseEdit       *edit);
/* A short title for the edit: its name, else its ref, else its category. */
char       *balise_edit_title          (BaliseEdit       *edit);
/* What the edit does, in a few words: "Added", "Changed", "Removed"… */
const char *balise_edit_kind_label     (BaliseEdit       *edit);
/* A symbolic icon for what the edit does. */
const char *balise_edit_kind_icon_name (BaliseEdit       *edit);

G_END_DECLS
