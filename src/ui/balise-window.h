/* balise-window.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-auto-sync-controller.h"
#include "balise-position-layer.h"
#include "balise-ui-types.h"

#include "balise-preset-catalogue.h"
#include "balise-store.h"

G_BEGIN_DECLS

#define BALISE_TYPE_WINDOW (balise_window_get_type ())

G_DECLARE_FINAL_TYPE (BaliseWindow, balise_window, BALISE, WINDOW, AdwApplicationWindow)

BaliseWindow *balise_window_new               (BaliseApplication *app,
                                               BaliseStore       *store);
BaliseStore  *balise_window_get_store         (BaliseWindow      *self);
guint         balise_window_get_pending_count (BaliseWindow      *self);
GtkWidget    *balise_window_get_pending_label (BaliseWindow      *self);
gboolean      balise_window_get_syncing       (BaliseWindow      *self);
BaliseAutoSyncController *balise_window_get_auto_sync_controller (BaliseWindow *self);
void          balise_window_get_center        (BaliseWindow      *self,
                                               double            *latitude,
                                               double            *longitude);
void          balise_window_center_on         (BaliseWindow      *self,
                                               double             latitude,
                                               double             longitude,
                                               double             zoom);
void          balise_window_add_toast         (BaliseWindow      *self,
                                               AdwToast          *toast);
void          balise_window_import_file       (BaliseWindow      *self,
                                               const char        *path,
                                               const char        *what);
gboolean      balise_window_get_importing     (BaliseWindow      *self);
const char   *balise_window_get_basemap       (BaliseWindow      *self);
const char   *balise_window_get_position_error (BaliseWindow     *self);
BalisePositionLayer *balise_window_get_position_layer (BaliseWindow *self);
void          balise_window_set_basemap       (BaliseWindow      *self,
                                               const char        *basemap);
gboolean      balise_window_open_basemap_file (BaliseWindow      *self,
                                               const char        *path,
                                               GError           **error);
GtkWidget    *balise_window_ask_contributor   (BaliseWindow      *self);
void          balise_window_set_location      (BaliseWindow      *self,
                                               double             latitude,
                                               double             longitude);
void          balise_window_clear_location    (BaliseWindow      *self);
gboolean      balise_window_get_record_position (BaliseWindow    *self,
                                               double            *latitude,
                                               double            *longitude);
BalisePresetCatalogue *balise_window_get_presets (BaliseWindow   *self);

G_END_DECLS
