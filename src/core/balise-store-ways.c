/* balise-store-ways.c: the nodes of a way in the base copy
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include <sqlite3.h>
#include <spatialite/gaiageo.h>

#include "balise-store-private.h"
#include "balise-store-ways.h"

/* The vertices of a way's shape: a LINESTRING, or a POLYGON's one ring. */
static gboolean
shape_vertices (const guint8     *blob,
                gsize             len,
                const double    **coords,
                int              *n_points,
                int              *dims,
                gaiaGeomCollPtr  *geometry)
{
  gaiaGeomCollPtr geom;

  if (blob == NULL || len == 0 || len > G_MAXINT)
    return FALSE;
  geom = gaiaFromSpatiaLiteBlobWkb (blob, (unsigned int) len);
  if (geom == NULL)
    return FALSE;
  *geometry = geom;

  if (geom->FirstLinestring != NULL && geom->FirstPolygon == NULL)
    {
      *coords = geom->FirstLinestring->Coords;
      *n_points = geom->FirstLinestring->Points;
      *dims = geom->FirstLinestring->DimensionModel;
    }
  else if (geom->FirstPolygon != NULL && geom->FirstLinestring == NULL)
    {
      *coords = geom->FirstPolygon->Exterior->Coords;
      *n_points = geom->FirstPolygon->Exterior->Points;
      *dims = geom->FirstPolygon->Exterior->DimensionModel;
    }
  else
    return FALSE;
  return TRUE;
}

static guint
dimension_count (int model)
{
  switch (model)
    {
    case GAIA_XY_Z:
    case GAIA_XY_M:
      return 3;
    case GAIA_XY_Z_M:
      return 4;
    default:
      return 2;
    }
}

GArray *
balise_store_get_way_nodes (BaliseStore  *self,
                            gint64        osm_id,
                            GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) nodes = NULL;
  gaiaGeomCollPtr geometry = NULL;
  const double *coords = NULL;
  int n_points = 0;
  int dims = GAIA_XY;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db,
                              "SELECT way_nodes, shape FROM element "
                              "WHERE osm_type = 'way' AND osm_id = ?",
                              &stmt, error))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, osm_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read a way");
      return NULL;
    }
  if (rc == SQLITE_DONE || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "The store has no node list for way %" G_GINT64_FORMAT, osm_id);
      return NULL;
    }

  nodes = g_array_new (FALSE, FALSE, sizeof (BaliseWayNode));
  if (!_balise_way_nodes_decode (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0), nodes) ||
      !shape_vertices (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                       &coords, &n_points, &dims, &geometry) ||
      n_points < 0 || (guint) n_points != nodes->len)
    {
      g_clear_pointer (&geometry, gaiaFreeGeomColl);
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                   "The node list or the shape of way %" G_GINT64_FORMAT " is damaged", osm_id);
      return NULL;
    }

  for (guint i = 0; i < nodes->len; i++)
    {
      BaliseWayNode *node = &g_array_index (nodes, BaliseWayNode, i);

      node->lon = coords[i * dimension_count (dims)];
      node->lat = coords[i * dimension_count (dims) + 1];
    }
  gaiaFreeGeomColl (geometry);
  return g_steal_pointer (&nodes);
}

BaliseTags *
balise_store_get_node_tags (BaliseStore  *self,
                            gint64        osm_id,
                            GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db,
                              "SELECT tags FROM element WHERE osm_type = 'node' AND osm_id = ?",
                              &stmt, error))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, osm_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return balise_tags_new ();
  if (rc != SQLITE_ROW)
    {
      _balise_store_set_error (error, db, "Could not read a node");
      return NULL;
    }
  return balise_tags_new_from_json ((const char *) sqlite3_column_text (stmt, 0), error);
}
