/* balise-tile-renderer.h: the local basemap, drawn from the store
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "balise-mbtiles.h"

G_BEGIN_DECLS

/* The zooms the local map is drawn at: below, a tile would read too much of
 * a big store; above, nothing more to see. */
#define BALISE_TILE_RENDERER_MIN_ZOOM 10
#define BALISE_TILE_RENDERER_MAX_ZOOM 19

#define BALISE_TYPE_TILE_RENDERER (balise_tile_renderer_get_type ())

G_DECLARE_FINAL_TYPE (BaliseTileRenderer, balise_tile_renderer, BALISE, TILE_RENDERER, GObject)

/* The cache file of a store: "monaco.sqlite" → "monaco-basemap.mbtiles". */
char               *balise_tile_renderer_cache_path_for (const char           *store_path);

/* Opens @store_path read-only on a connection of its own, and the cache
 * (created if needed) at @cache_path. Nothing is read until the first tile. */
BaliseTileRenderer *balise_tile_renderer_new            (const char           *store_path,
                                                         const char           *cache_path,
                                                         GError              **error);

BaliseMbtiles      *balise_tile_renderer_get_cache      (BaliseTileRenderer   *self);

/* Draws a 256 px PNG of tile @zoom/@x/@y (XYZ), ignoring the cache. Blocks:
 * for tests, benchmarks and worker threads. */
GBytes             *balise_tile_renderer_render         (BaliseTileRenderer   *self,
                                                         int                   zoom,
                                                         int                   x,
                                                         int                   y,
                                                         GCancellable         *cancellable,
                                                         GError              **error);

/* The tile from the cache, or drawn and cached on a miss, in a worker
 * thread. Requests are served one at a time. */
void                balise_tile_renderer_get_tile_async  (BaliseTileRenderer  *self,
                                                          int                  zoom,
                                                          int                  x,
                                                          int                  y,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GBytes             *balise_tile_renderer_get_tile_finish (BaliseTileRenderer  *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
