/* balise-servers.h: the OpenStreetMap servers Balise knows by name
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core-types.h"

G_BEGIN_DECLS

typedef struct
{
  const char *id;         /* "openstreetmap", "dev" */
  const char *name;       /* for people, translatable */
  const char *api_url;    /* the API's base, "api/0.6/" is added */
  const char *auth_url;   /* the website serving /oauth2/ */
} BaliseServerPreset;

const BaliseServerPreset *balise_server_presets       (guint       *n_presets);
/* A preset by its id or its API URL; NULL for a custom server. */
const BaliseServerPreset *balise_server_preset_lookup (const char  *id_or_url);
/* The API URL for an id or a URL (a custom server's URL as it is). */
const char               *balise_server_api_url       (const char  *id_or_url);
gboolean                  balise_server_url_equal     (const char  *a,
                                                       const char  *b);
/* Where to sign in for @api_url: the preset's website, or the server itself. */
const char               *balise_server_auth_url      (const char  *api_url);

G_END_DECLS
