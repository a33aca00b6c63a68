/* balise-export.h: the effective features and the journal as files
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"

G_BEGIN_DECLS

typedef enum
{
  BALISE_EXPORT_GEOJSON,   /* FeatureCollection of the effective features */
  BALISE_EXPORT_CSV,       /* one row per effective feature, RFC 4180 */
  BALISE_EXPORT_OSC,       /* osmChange of the unsent edits */
  BALISE_EXPORT_OSM,       /* JOSM .osm: edited features with their actions */
} BaliseExportFormat;

typedef struct
{
  double west;
  double south;
  double east;
  double north;
} BaliseBox;

#define BALISE_EXPORT_CSV_HEADER "osm_type,osm_id,lat,lon,category,status,name,ref,tags"

gboolean  balise_export_format_from_string (const char          *str,
                                            BaliseExportFormat  *format);

/* @box limits the features to a bounding box; NULL means the whole store.
 * GeoJSON and CSV hold the effective features (pending deletes left out).
 * OSC ignores @box. The .osm file holds the edited features (new ones with
 * their negative ids) marked with JOSM's action="modify" or "delete", and
 * with a @box the unchanged features in it too; a way comes with its nd
 * refs and its nodes (version, position, base tags), or is left out when
 * the store does not know all their versions (a store filled before schema
 * version 5: importing again fills them in). */
GBytes   *balise_export                    (BaliseStore         *store,
                                            BaliseExportFormat   format,
                                            const BaliseBox     *box,
                                            GError             **error);
gboolean  balise_export_to_file            (BaliseStore         *store,
                                            BaliseExportFormat   format,
                                            const BaliseBox     *box,
                                            const char          *path,
                                            GError             **error);

G_END_DECLS
