/* balise-servers.c: the OpenStreetMap servers Balise knows by name
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "balise-servers.h"

static const BaliseServerPreset presets[] = {
  { "openstreetmap", N_("OpenStreetMap"),
    "https://api.openstreetmap.org/", "https://www.openstreetmap.org/" },
  /* For training: the same software, a separate database anyone may break. */
  { "dev", N_("OpenStreetMap development server"),
    "https://master.apis.dev.openstreetmap.org/", "https://master.apis.dev.openstreetmap.org/" },
};

const BaliseServerPreset *
balise_server_presets (guint *n_presets)
{
  if (n_presets != NULL)
    *n_presets = G_N_ELEMENTS (presets);
  return presets;
}

/**
 * balise_server_url_equal:
 *
 * Whether two server addresses are the same, a trailing slash and the case
 * aside ("https://api.openstreetmap.org" and ".../").
 */
gboolean
balise_server_url_equal (const char *a,
                         const char *b)
{
  gsize len_a = strlen (a);
  gsize len_b = strlen (b);

  while (len_a > 0 && a[len_a - 1] == '/')
    len_a--;
  while (len_b > 0 && b[len_b - 1] == '/')
    len_b--;
  return len_a == len_b && g_ascii_strncasecmp (a, b, len_a) == 0;
}

const BaliseServerPreset *
balise_server_preset_lookup (const char *id_or_url)
{
  g_return_val_if_fail (id_or_url != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      if (g_str_equal (presets[i].id, id_or_url) ||
          balise_server_url_equal (presets[i].api_url, id_or_url) ||
          balise_server_url_equal (presets[i].auth_url, id_or_url))
        return &presets[i];
    }
  return NULL;
}

const char *
balise_server_api_url (const char *id_or_url)
{
  const BaliseServerPreset *preset = balise_server_preset_lookup (id_or_url);

  return preset != NULL ? preset->api_url : id_or_url;
}

const char *
balise_server_auth_url (const char *api_url)
{
  const BaliseServerPreset *preset = balise_server_preset_lookup (api_url);

  return preset != NULL ? preset->auth_url : api_url;
}
