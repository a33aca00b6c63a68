/* balise-preferences-window.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-ui-types.h"

G_BEGIN_DECLS

#define BALISE_TYPE_PREFERENCES_WINDOW (balise_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (BalisePreferencesWindow, balise_preferences_window, BALISE, PREFERENCES_WINDOW, AdwPreferencesWindow)

BalisePreferencesWindow *balise_preferences_window_new (GtkWindow *parent);

G_END_DECLS
