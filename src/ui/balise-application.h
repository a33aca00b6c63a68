/* balise-application.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_APPLICATION (balise_application_get_type ())

G_DECLARE_FINAL_TYPE (BaliseApplication, balise_application, BALISE, APPLICATION, AdwApplication)

/* Where --demo puts the map: Monaco, whose data the demo database holds. */
#define BALISE_DEMO_LATITUDE  43.7384
#define BALISE_DEMO_LONGITUDE  7.4246
#define BALISE_DEMO_ZOOM      16.0

BaliseApplication *balise_application_new           (void);
void               balise_application_open_database (BaliseApplication *self,
                                                     const char        *path,
                                                     gboolean           demo);

G_END_DECLS
