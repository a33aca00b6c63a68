/* balise-tile-renderer-private.h: what the renderer's files share
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <sqlite3.h>

#include "balise-tile-renderer.h"

G_BEGIN_DECLS

/* Tiles are square, 256 px: the web's and libshumate's size. */
#define BALISE_TILE_SIZE 256

/* The R*Tree of the basemap's elements, kept in the cache file: the store
 * indexes the representative points only, a map needs the shapes' extents. */
#define BALISE_TILE_INDEX_TABLE "balise_basemap_index"
/* The coastlines alone: the sea far from any coast is found through them. */
#define BALISE_TILE_COAST_TABLE "balise_coast_index"

/* The tag value that styles an element of the basemap, from store.element
 * as "e": what read_items() and the index both classify by. */
#define BALISE_TILE_VALUE_SQL \
  "CASE e.category" \
  " WHEN 'road' THEN json_extract (e.tags, '$.highway')" \
  " WHEN 'railway' THEN json_extract (e.tags, '$.railway')" \
  " WHEN 'water' THEN coalesce (json_extract (e.tags, '$.waterway'), 'water')" \
  " WHEN 'landuse' THEN coalesce (json_extract (e.tags, '$.landuse')," \
  "                               json_extract (e.tags, '$.natural'))" \
  " WHEN 'leisure' THEN json_extract (e.tags, '$.leisure')" \
  " WHEN 'place' THEN json_extract (e.tags, '$.place')" \
  " END"

/* The categories the basemap draws. */
#define BALISE_TILE_CATEGORIES_SQL \
  "('road', 'railway', 'water', 'landuse', 'leisure', 'building', 'place')"

/* Draws tile @zoom/@x/@y from @db, a connection on which the store is
 * attached as "store" and the index is in "main"; @bounds (west, south,
 * east, north in degrees, or NULL) is where the data stops. */
cairo_surface_t *_balise_tile_draw            (sqlite3        *db,
                                               int             zoom,
                                               int             x,
                                               int             y,
                                               const double   *bounds,
                                               GCancellable   *cancellable,
                                               GError        **error);

/* What an entry of the index is, in its kind column. */
#define BALISE_TILE_KIND_SHAPE     0
#define BALISE_TILE_KIND_PLACE     1
#define BALISE_TILE_KIND_COASTLINE 2

/* The lowest zoom at which the basemap draws an element of @category
 * styled by @value, of SpatiaLite geometry class @geometry_class, named or
 * not, whose extent is @width × @height degrees: the zoom of its style, or
 * where it grows to a pixel. G_MAXINT if it is never drawn. */
int              _balise_tile_min_zoom        (const char     *category,
                                               const char     *value,
                                               int             geometry_class,
                                               gboolean        named,
                                               double          width,
                                               double          height);

/* Reads the bounding box stored in a SpatiaLite geometry BLOB's header. */
gboolean         _balise_tile_blob_mbr        (const guint8   *blob,
                                               gsize           size,
                                               double         *min_x,
                                               double         *min_y,
                                               double         *max_x,
                                               double         *max_y);

/* Paints the sea (in the current source) from @lines, the coastline ways
 * around the tile as GArrays of {x, y} doubles in tile pixels; their open
 * ends are extended out of @data_box (west, north, east, south in tile
 * pixels, or NULL) when within @near_px of it. */
gboolean         _balise_tile_fill_sea        (cairo_t        *cr,
                                               GPtrArray      *lines,
                                               double          margin,
                                               const double   *data_box,
                                               double          near_px);

G_END_DECLS
