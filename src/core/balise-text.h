/* balise-text.h: text as people search it
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @text without case and without accents ("École" and "ECOLE" both give
 * "ecole"), for searching names as people type them on a phone keyboard.
 * Returns a newly allocated string; invalid UTF-8 gives "". */
char *balise_text_fold (const char *text);

G_END_DECLS
