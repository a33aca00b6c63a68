/* balise-tile-source.h: tiles from an MBTiles file or the local renderer
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "balise-mbtiles.h"
#include "balise-tile-renderer.h"

G_BEGIN_DECLS

#define BALISE_TYPE_TILE_SOURCE (balise_tile_source_get_type ())

G_DECLARE_FINAL_TYPE (BaliseTileSource, balise_tile_source, BALISE, TILE_SOURCE, ShumateDataSource)

BaliseTileSource      *balise_tile_source_new_for_mbtiles  (BaliseMbtiles      *mbtiles);
BaliseTileSource      *balise_tile_source_new_for_renderer (BaliseTileRenderer *renderer);

/* A raster map source for ShumateSimpleMap over @self, with the zooms and
 * the attribution of the file's metadata (or the local map's). */
ShumateMapSource      *balise_tile_source_create_map_source (BaliseTileSource  *self);

guint                  balise_tile_source_get_n_served      (BaliseTileSource  *self);

G_END_DECLS
