/* balise-opening-hours.h: a syntax check of OSM's opening_hours values
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core-types.h"

G_BEGIN_DECLS

#define BALISE_OPENING_HOURS_ERROR (balise_opening_hours_error_quark ())

typedef enum
{
  BALISE_OPENING_HOURS_ERROR_SYNTAX,
} BaliseOpeningHoursError;

GQuark   balise_opening_hours_error_quark (void);
gboolean balise_opening_hours_validate    (const char  *value,
                                           GError     **error);

G_END_DECLS
