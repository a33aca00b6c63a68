/* balise-text.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-text"

#include "config.h"

#include <string.h>

#include "balise-text.h"

char *
balise_text_fold (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *bare;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  /* Most names are plain ASCII: no normalization needed. */
  for (p = text; *p != '\0' && (guchar) *p < 0x80; p++)
    ;
  if (*p == '\0')
    return g_ascii_strdown (text, -1);

  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup ("");

  /* Case first (ß becomes ss, Σ σ), then decompose and drop the marks. */
  folded = g_utf8_casefold (text, -1);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  bare = g_string_sized_new (strlen (decomposed));
  for (p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      g_string_append_unichar (bare, c);
    }
  return g_string_free (bare, FALSE);
}
