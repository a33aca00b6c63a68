/* balise-tile-source.c: tiles from an MBTiles file or the local renderer
 *
 * A ShumateDataSource for ShumateRasterRenderer. Tiles are read (or drawn)
 * in worker threads and handed back on the main thread. libshumate 1.0 makes
 * the tile's texture only in its "received-data" handler, so the source
 * emits it before returning the bytes (PLATFORM.md §1.1); from 1.1 on the
 * signal is deprecated and ignored, and the returned bytes are used.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-tile-source"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-tile-source.h"

#define OSM_ATTRIBUTION   "© OpenStreetMap contributors"
#define OSM_COPYRIGHT_URL "https://www.openstreetmap.org/copyright"

struct _BaliseTileSource
{
  ShumateDataSource    parent_instance;

  BaliseMbtiles       *mbtiles;     /* one of the two */
  BaliseTileRenderer  *renderer;
  guint                n_served;
};

G_DEFINE_FINAL_TYPE (BaliseTileSource, balise_tile_source, SHUMATE_TYPE_DATA_SOURCE)

typedef struct
{
  int x;
  int y;
  int zoom;
} TileAddress;

static void
serve (BaliseTileSource *self,
       GTask            *task,
       GBytes           *bytes,
       GError           *error)
{
  TileAddress *address = g_task_get_task_data (task);

  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  self->n_served++;
  g_signal_emit_by_name (self, "received-data", address->x, address->y, address->zoom, bytes);
  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
read_mbtiles_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  BaliseTileSource *self = source_object;
  TileAddress *address = task_data;
  GError *error = NULL;
  GBytes *bytes;

  bytes = balise_mbtiles_get_tile (self->mbtiles, address->zoom, address->x, address->y, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/* Back on the main thread, where the signal must be emitted. */
static void
read_mbtiles_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *bytes = g_task_propagate_pointer (G_TASK (result), &error);

  serve (BALISE_TILE_SOURCE (object), task, bytes, error);
}

static void
render_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BaliseTileSource *self = g_task_get_source_object (task);
  GError *error = NULL;
  GBytes *bytes;

  bytes = balise_tile_renderer_get_tile_finish (BALISE_TILE_RENDERER (object), result, &error);
  serve (self, task, bytes, error);
}

static void
balise_tile_source_get_tile_data_async (ShumateDataSource   *source,
                                        int                  x,
                                        int                  y,
                                        int                  zoom,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  BaliseTileSource *self = BALISE_TILE_SOURCE (source);
  g_autoptr(GTask) task = NULL;
  TileAddress *address;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_tile_source_get_tile_data_async);

  address = g_new (TileAddress, 1);
  address->x = x;
  address->y = y;
  address->zoom = zoom;
  g_task_set_task_data (task, address, g_free);

  if (self->renderer != NULL)
    {
      /* Far out, a tile would read a whole country: the local map starts
       * at the zoom of a town. */
      if (zoom < BALISE_TILE_RENDERER_MIN_ZOOM)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                   "The local map is not drawn at zoom %d", zoom);
          return;
        }

      balise_tile_renderer_get_tile_async (self->renderer, zoom, x, y, cancellable,
                                           render_cb, g_steal_pointer (&task));
    }
  else
    {
      GTask *read = g_task_new (self, cancellable, read_mbtiles_cb, g_steal_pointer (&task));

      g_task_set_task_data (read, g_memdup2 (address, sizeof *address), g_free);
      g_task_run_in_thread (read, read_mbtiles_thread);
      g_object_unref (read);
    }
}

static void
balise_tile_source_dispose (GObject *object)
{
  BaliseTileSource *self = BALISE_TILE_SOURCE (object);

  g_clear_object (&self->mbtiles);
  g_clear_object (&self->renderer);

  G_OBJECT_CLASS (balise_tile_source_parent_class)->dispose (object);
}

static void
balise_tile_source_class_init (BaliseTileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->dispose = balise_tile_source_dispose;

  /* The default finish propagates the task's pointer. */
  source_class->get_tile_data_async = balise_tile_source_get_tile_data_async;
}

static void
balise_tile_source_init (BaliseTileSource *self)
{
}

/**
 * balise_tile_source_new_for_mbtiles:
 * @mbtiles: a raster MBTiles file (PNG or JPEG tiles)
 *
 * Returns: (transfer full): a source serving the tiles of @mbtiles
 */
BaliseTileSource *
balise_tile_source_new_for_mbtiles (BaliseMbtiles *mbtiles)
{
  BaliseTileSource *self;

  g_return_val_if_fail (BALISE_IS_MBTILES (mbtiles), NULL);

  self = g_object_new (BALISE_TYPE_TILE_SOURCE, NULL);
  self->mbtiles = g_object_ref (mbtiles);
  return self;
}

/**
 * balise_tile_source_new_for_renderer:
 * @renderer: the local map's renderer
 *
 * Returns: (transfer full): a source serving the tiles of @renderer, drawn
 *   on the first request and cached
 */
BaliseTileSource *
balise_tile_source_new_for_renderer (BaliseTileRenderer *renderer)
{
  BaliseTileSource *self;

  g_return_val_if_fail (BALISE_IS_TILE_RENDERER (renderer), NULL);

  self = g_object_new (BALISE_TYPE_TILE_SOURCE, NULL);
  self->renderer = g_object_ref (renderer);
  return self;
}

/**
 * balise_tile_source_create_map_source:
 * @self: a #BaliseTileSource
 *
 * Returns: (transfer full): a raster map source drawing the tiles of @self
 */
ShumateMapSource *
balise_tile_source_create_map_source (BaliseTileSource *self)
{
  g_autofree char *name = NULL;
  g_autofree char *attribution = NULL;
  g_autofree char *id = NULL;
  int min_zoom, max_zoom;

  g_return_val_if_fail (BALISE_IS_TILE_SOURCE (self), NULL);

  if (self->renderer != NULL)
    return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full ("balise-local",
                                                                 _("Local Map"),
                                                                 OSM_ATTRIBUTION,
                                                                 OSM_COPYRIGHT_URL,
                                                                 BALISE_TILE_RENDERER_MIN_ZOOM,
                                                                 BALISE_TILE_RENDERER_MAX_ZOOM,
                                                                 256,
                                                                 SHUMATE_MAP_PROJECTION_MERCATOR,
                                                                 SHUMATE_DATA_SOURCE (self)));

  name = balise_mbtiles_get_metadata (self->mbtiles, "name");
  if (name == NULL)
    name = g_path_get_basename (balise_mbtiles_get_path (self->mbtiles));
  attribution = balise_mbtiles_get_metadata (self->mbtiles, "attribution");
  balise_mbtiles_get_zoom_range (self->mbtiles, &min_zoom, &max_zoom);
  id = g_strdup_printf ("balise-mbtiles:%s", balise_mbtiles_get_path (self->mbtiles));

  /* A file that does not say whose map it is still gets a visible line:
   * its name. The user chose it; the map must not hide where it came from. */
  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (id, name,
                                                               attribution != NULL ? attribution : name,
                                                               NULL,
                                                               min_zoom, max_zoom, 256,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}

guint
balise_tile_source_get_n_served (BaliseTileSource *self)
{
  g_return_val_if_fail (BALISE_IS_TILE_SOURCE (self), 0);

  return self->n_served;
}
