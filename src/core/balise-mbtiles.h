/* balise-mbtiles.h: MBTiles files, read and written
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BALISE_MBTILES_ERROR (balise_mbtiles_error_quark ())

typedef enum
{
  BALISE_MBTILES_ERROR_FAILED,
  BALISE_MBTILES_ERROR_CORRUPT,    /* not an MBTiles file, or a damaged one */
  BALISE_MBTILES_ERROR_NOT_FOUND,  /* no such tile */
  BALISE_MBTILES_ERROR_READ_ONLY,  /* a write to a file opened for reading */
} BaliseMbtilesError;

GQuark balise_mbtiles_error_quark (void);

#define BALISE_TYPE_MBTILES (balise_mbtiles_get_type ())

G_DECLARE_FINAL_TYPE (BaliseMbtiles, balise_mbtiles, BALISE, MBTILES, GObject)

/* Opening for reading checks that the file is an MBTiles database (a tiles
 * table or view and a metadata table); creating makes both if the file has
 * none. Every call is safe from any thread: one connection, one lock. */
BaliseMbtiles *balise_mbtiles_open            (const char     *path,
                                               GError        **error);
BaliseMbtiles *balise_mbtiles_create          (const char     *path,
                                               GError        **error);

const char    *balise_mbtiles_get_path        (BaliseMbtiles  *self);

/* Tiles are addressed as on the web (XYZ, y going south); the file stores
 * TMS rows (row = 2^z - 1 - y) as the specification says. */
GBytes        *balise_mbtiles_get_tile        (BaliseMbtiles  *self,
                                               int             zoom,
                                               int             x,
                                               int             y,
                                               GError        **error);
gboolean       balise_mbtiles_put_tile        (BaliseMbtiles  *self,
                                               int             zoom,
                                               int             x,
                                               int             y,
                                               GBytes         *data,
                                               GError        **error);
gboolean       balise_mbtiles_clear_tiles     (BaliseMbtiles  *self,
                                               GError        **error);
gint64         balise_mbtiles_count_tiles     (BaliseMbtiles  *self);

/* The metadata table: name, format (png, jpg, pbf…), bounds, minzoom,
 * maxzoom, attribution, and any key of the application's own. */
char          *balise_mbtiles_get_metadata    (BaliseMbtiles  *self,
                                               const char     *key);
gboolean       balise_mbtiles_set_metadata    (BaliseMbtiles  *self,
                                               const char     *key,
                                               const char     *value,
                                               GError        **error);

/* Typed reads of the metadata, with the specification's defaults when a key
 * is missing or malformed: zooms 0 to 22, the whole Web Mercator world. */
void           balise_mbtiles_get_zoom_range  (BaliseMbtiles  *self,
                                               int            *min_zoom,
                                               int            *max_zoom);
void           balise_mbtiles_get_bounds      (BaliseMbtiles  *self,
                                               double         *west,
                                               double         *south,
                                               double         *east,
                                               double         *north);

G_END_DECLS
