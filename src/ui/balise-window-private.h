/* balise-window-private.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-auto-sync-controller.h"
#include "balise-feature-layer.h"
#include "balise-position-layer.h"
#include "balise-preset-catalogue.h"
#include "balise-sync-client.h"
#include "balise-window.h"

G_BEGIN_DECLS

struct _BaliseWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkLabel             *pending_label;
  GtkLabel             *pending_short_label;
  GtkStack             *sync_stack;
  GtkButton            *sync_button;
  GtkButton            *cancel_sync_button;
  GtkSpinner           *sync_spinner;
  AdwToastOverlay      *toast_overlay;
  ShumateSimpleMap     *map;
  GtkRevealer          *import_revealer;
  GtkLabel             *import_label;
  GtkProgressBar       *import_progress;
  GtkButton            *review_button;
  GtkLabel             *review_badge;
  GtkOverlay           *map_overlay;
  GtkWidget            *crosshair;
  GtkWidget            *move_pin;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkToggleButton      *search_button;
  GtkWidget            *map_search_button;
  GtkRevealer          *search_revealer;
  GtkListBox           *search_results;
  GtkRevealer          *auto_sync_revealer;
  GtkLabel             *auto_sync_label;

  /* Owned references */
  BaliseStore          *store;
  GSettings            *settings;
  ShumateMapSource     *map_source;
  GCancellable         *sync_cancellable;
  GCancellable         *import_cancellable;

  char                 *basemap;      /* "online", "local" or "file" */
  BalisePositionLayer  *position_layer;
  GObject              *geoclue;      /* GClueSimple, when built with GeoClue */
  GCancellable         *locate_cancellable;
  char                 *position_error;
  GCancellable         *probe_cancellable;
  gboolean              tiles_reachable; /* the online tile server answered */
  gboolean              undo_running;
  gboolean              preparing_upload; /* reading what the composer shows */

  /* Borrowed references */
  AdwToast             *undo_toast;   /* while it is shown */

  guint                 pending_count;

  /* Recording (balise-window-record.c) */
  BalisePresetCatalogue *presets;

  /* Features on the map (balise-window-feature.c) */
  BaliseFeatureLayer   *feature_layer;
  GtkWidget            *feature_panel;
  GtkWidget            *move_mode;
  BaliseFeature        *moving;       /* the feature the move mode moves */
  gboolean              panel_narrow;
  guint                 panel_narrow_source;
  gboolean              syncing_selection;

  /* Automatic sync (balise-window-actions.c) */
  BaliseAutoSyncController *auto_sync;
  GtkWidget            *composer;     /* the upload composer, while open */
  gboolean              auto_sync_deferred; /* wanted while the composer was open */

  /* Finding features (balise-window-search.c) */
  GCancellable         *search_cancellable;
  guint                 search_source;
};

void _balise_window_class_actions_init (BaliseWindowClass *klass);
void _balise_window_actions_update     (BaliseWindow      *self);
void _balise_window_cancel_sync        (BaliseWindow      *self);
void _balise_window_setup_auto_sync    (BaliseWindow      *self);
void _balise_window_dispose_auto_sync  (BaliseWindow      *self);
void _balise_window_notify_syncing     (BaliseWindow      *self);
void _balise_window_emit_sync_finished (BaliseWindow      *self,
                                        const char        *summary);
void _balise_window_class_import_init  (BaliseWindowClass *klass);
void _balise_window_class_basemap_init (BaliseWindowClass *klass);
void _balise_window_class_position_init (BaliseWindowClass *klass);
void _balise_window_setup_position     (BaliseWindow      *self);
void _balise_window_dispose_position   (BaliseWindow      *self);
void _balise_window_setup_basemap      (BaliseWindow      *self);
void _balise_window_basemap_data_changed (BaliseWindow    *self);
void _balise_window_class_undo_init    (BaliseWindowClass *klass);
void _balise_window_undo_update        (BaliseWindow      *self);
void _balise_window_class_review_init  (BaliseWindowClass *klass);
void _balise_window_setup_review       (BaliseWindow      *self);
void _balise_window_class_record_init  (BaliseWindowClass *klass);
void _balise_window_record_setup       (BaliseWindow      *self);
void _balise_window_class_feature_init (BaliseWindowClass *klass);
void _balise_window_setup_feature      (BaliseWindow      *self);
void _balise_window_dispose_feature    (BaliseWindow      *self);
void _balise_window_feature_presets_loaded (BaliseWindow  *self);
void _balise_window_select_feature     (BaliseWindow      *self,
                                        BaliseFeature     *feature,
                                        gboolean           focus_panel);
void _balise_window_class_search_init  (BaliseWindowClass *klass);
void _balise_window_setup_search       (BaliseWindow      *self);
void _balise_window_dispose_search     (BaliseWindow      *self);

G_END_DECLS
