/* balise-tile-download.h: an area of a tile server, kept in an MBTiles file
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Past this, a download is refused: an area for a day in the field, not a
 * country. */
#define BALISE_TILE_DOWNLOAD_MAX_TILES 50000
/* What a raster tile of a street map weighs, on average, for the estimate. */
#define BALISE_TILE_DOWNLOAD_BYTES_PER_TILE (20 * 1024)

typedef struct
{
  double  west;
  double  south;
  double  east;
  double  north;
  int     min_zoom;
  int     max_zoom;
} BaliseTileArea;

/* Called in the caller's main context, a few times a second at most. */
typedef void (*BaliseTileDownloadProgress) (guint64   done,
                                            guint64   total,
                                            gpointer  user_data);

guint64  balise_tile_area_count_tiles     (const BaliseTileArea       *area);

/* Checks the URL template ({z}, {x} and {y}; https:// unless on this
 * machine) and refuses servers whose terms forbid bulk download, such as
 * OpenStreetMap's own tile servers. */
gboolean balise_tile_download_check_url   (const char                 *url_template,
                                           GError                    **error);

/* Downloads the tiles of @area into the MBTiles file at @path (created, or
 * completed: tiles already there are not fetched again), with its metadata.
 * A tile the server does not have (404) is skipped; any other failure stops
 * the download, keeping what was stored. */
void     balise_tile_download_async       (const char                 *url_template,
                                           const BaliseTileArea       *area,
                                           const char                 *path,
                                           const char                 *attribution,
                                           BaliseTileDownloadProgress  progress,
                                           gpointer                    progress_data,
                                           GDestroyNotify              progress_data_free,
                                           GCancellable               *cancellable,
                                           GAsyncReadyCallback         callback,
                                           gpointer                    user_data);
gboolean balise_tile_download_finish      (GAsyncResult               *result,
                                           guint64                    *n_stored,
                                           GError                    **error);

G_END_DECLS
