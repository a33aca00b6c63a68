/* balise-window-basemap.c: which map is under the features
 *
 * Three basemaps: OpenStreetMap's online tiles, the local map drawn from
 * the store's own data, and an MBTiles file the user opens. With no choice
 * made ("auto"), the window shows the online map when the network is up and
 * the local map when it is not, so that a volunteer always sees where they
 * are. The attribution of the basemap shown is always on the map.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "balise-area-download-dialog.h"
#include "balise-online-probe.h"
#include "balise-tile-source.h"
#include "balise-window-private.h"

/* OSM's attribution guideline: https://osmfoundation.org/wiki/Licence/Attribution_Guidelines */
#define OSM_ATTRIBUTION     "© OpenStreetMap contributors"
#define OSM_COPYRIGHT_URL   "https://www.openstreetmap.org/copyright"

static ShumateMapSource *
create_online_source (void)
{
  g_autoptr(ShumateMapSourceRegistry) registry = NULL;
  const char *url = g_getenv ("BALISE_ONLINE_TILE_URL");
  ShumateMapSource *source;

  /* Tests serve their own tiles on loopback: they never ask OSM's servers. */
  if (url != NULL)
    {
      source = SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full_from_url (
        SHUMATE_MAP_SOURCE_OSM_MAPNIK, "OpenStreetMap", OSM_ATTRIBUTION, OSM_COPYRIGHT_URL,
        0, 19, 256, SHUMATE_MAP_PROJECTION_MERCATOR, url));
      return source;
    }

  registry = shumate_map_source_registry_new_with_defaults ();
  source = shumate_map_source_registry_get_by_id (registry, SHUMATE_MAP_SOURCE_OSM_MAPNIK);
  if (source == NULL)
    return NULL;

  /* libshumate 1.0 still carries the pre-2012 CC-BY-SA wording: say what OSM asks for. */
  shumate_map_source_set_license (source, OSM_ATTRIBUTION);
  shumate_map_source_set_license_uri (source, OSM_COPYRIGHT_URL);

  return g_object_ref (source);
}

static ShumateMapSource *
create_local_source (BaliseWindow  *self,
                     GError       **error)
{
  g_autoptr(BaliseTileRenderer) renderer = NULL;
  g_autoptr(BaliseTileSource) source = NULL;
  g_autofree char *cache_path = NULL;

  cache_path = balise_tile_renderer_cache_path_for (balise_store_get_path (self->store));
  renderer = balise_tile_renderer_new (balise_store_get_path (self->store), cache_path, error);
  if (renderer == NULL)
    return NULL;

  source = balise_tile_source_new_for_renderer (renderer);
  return balise_tile_source_create_map_source (source);
}

static ShumateMapSource *
create_file_source (const char  *path,
                    GError     **error)
{
  g_autoptr(BaliseMbtiles) mbtiles = NULL;
  g_autoptr(BaliseTileSource) source = NULL;
  g_autofree char *format = NULL;

  mbtiles = balise_mbtiles_open (path, error);
  if (mbtiles == NULL)
    return NULL;

  /* libshumate draws raster tiles; vector tiles need its vector renderer,
   * which Debian's build lacks (PLATFORM.md §1.3). */
  format = balise_mbtiles_get_metadata (mbtiles, "format");
  if (format != NULL && !g_str_equal (format, "png") && !g_str_equal (format, "jpg") &&
      !g_str_equal (format, "jpeg") && !g_str_equal (format, "webp"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” holds %s tiles; only raster maps (PNG or JPEG) can be shown"),
                   path, format);
      return NULL;
    }

  source = balise_tile_source_new_for_mbtiles (mbtiles);
  return balise_tile_source_create_map_source (source);
}

static void
show_error (BaliseWindow *self,
            const char   *what,
            const GError *error)
{
  g_autofree char *title = g_strdup_printf ("%s: %s", what, error->message);
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 0);
  balise_window_add_toast (self, toast);
}

static void
show_source (BaliseWindow     *self,
             const char       *basemap,
             ShumateMapSource *source)
{
  g_set_object (&self->map_source, source);
  shumate_simple_map_set_map_source (self->map, source);

  if (g_strcmp0 (self->basemap, basemap) != 0)
    {
      g_free (self->basemap);
      self->basemap = g_strdup (basemap);
      g_object_notify (G_OBJECT (self), "basemap");
    }
}

/* Where the probe asks whether the online tiles can be had: one tile of
 * the server the online map uses (BALISE_TILE_PROBE_URL in tests). */
#define TILE_PROBE_URL     "https://tile.openstreetmap.org/0/0/0.png"
#define TILE_PROBE_TIMEOUT 8

static gboolean
online_allowed (BaliseWindow *self)
{
  /* Tests never ask OSM's servers for tiles. A route is not enough: the
   * tile server must have answered the probe. */
  return g_getenv ("BALISE_NO_TILES") == NULL && self->tiles_reachable &&
         g_network_monitor_get_network_available (g_network_monitor_get_default ());
}

/* Shows @basemap ("online", "local" or "file"), or the local map if it
 * cannot be shown. */
static void
apply_basemap (BaliseWindow *self,
               const char   *basemap)
{
  g_autoptr(ShumateMapSource) source = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (basemap, "file") == 0)
    {
      g_autofree char *path = g_settings_get_string (self->settings, "basemap-file");

      if (path[0] != '\0' && (source = create_file_source (path, &error)) != NULL)
        {
          show_source (self, "file", source);
          return;
        }
      if (error != NULL)
        show_error (self, _("Could not open the map file"), error);
      g_clear_error (&error);
      g_settings_set_string (self->settings, "basemap", "auto");
    }

  if (g_strcmp0 (basemap, "online") == 0 && g_getenv ("BALISE_NO_TILES") == NULL &&
      (source = create_online_source ()) != NULL)
    {
      show_source (self, "online", source);
      return;
    }

  if ((source = create_local_source (self, &error)) != NULL)
    {
      show_source (self, "local", source);
      return;
    }

  g_warning ("No basemap can be shown: %s", error->message);
}

static const char *
automatic_basemap (BaliseWindow *self)
{
  g_autofree char *chosen = g_settings_get_string (self->settings, "basemap");

  if (g_str_equal (chosen, "local"))
    return "local";
  if (g_str_equal (chosen, "file"))
    return "file";

  return online_allowed (self) ? "online" : "local";
}

/* Only the automatic choice follows the network. */
static void
follow_network (BaliseWindow *self)
{
  g_autofree char *chosen = g_settings_get_string (self->settings, "basemap");
  const char *wanted;

  if (!g_str_equal (chosen, "auto"))
    return;

  wanted = online_allowed (self) ? "online" : "local";
  if (g_strcmp0 (wanted, self->basemap) != 0)
    apply_basemap (self, wanted);
}

static void
probe_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BaliseWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean reachable = balise_online_probe_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!reachable)
    g_debug ("No online tiles: %s", error->message);

  self->tiles_reachable = reachable;
  follow_network (self);
}

/* Asks the tile server, in the background, whether the online map can be
 * shown; the local map stays until it answers. */
static void
probe_tiles (BaliseWindow *self)
{
  const char *url = g_getenv ("BALISE_TILE_PROBE_URL");

  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);

  /* Until the new answer, the last one stands: no flicker to the local map
   * each time the network changes. */
  if (g_getenv ("BALISE_NO_TILES") != NULL ||
      !g_network_monitor_get_network_available (g_network_monitor_get_default ()))
    {
      self->tiles_reachable = FALSE;
      return;
    }

  self->probe_cancellable = g_cancellable_new ();
  balise_online_probe_async (url != NULL ? url : TILE_PROBE_URL, TILE_PROBE_TIMEOUT,
                             self->probe_cancellable, probe_done_cb, g_object_ref (self));
}

static void
network_changed_cb (BaliseWindow    *self,
                    gboolean         available,
                    GNetworkMonitor *monitor)
{
  g_assert (BALISE_IS_WINDOW (self));

  probe_tiles (self);
  follow_network (self);
}

void
_balise_window_setup_basemap (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));

  apply_basemap (self, automatic_basemap (self));
  g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                           G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
  probe_tiles (self);
}

/* New data in the store: the local map is drawn again. */
void
_balise_window_basemap_data_changed (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));

  if (g_strcmp0 (self->basemap, "local") == 0)
    apply_basemap (self, "local");
}

const char *
balise_window_get_basemap (BaliseWindow *self)
{
  g_return_val_if_fail (BALISE_IS_WINDOW (self), NULL);

  return self->basemap;
}

/**
 * balise_window_set_basemap:
 * @self: a #BaliseWindow
 * @basemap: "online", "local" or "file"
 *
 * Shows a basemap and remembers the choice: the local map and a file stay
 * chosen; the online map is shown whenever the network allows.
 */
void
balise_window_set_basemap (BaliseWindow *self,
                           const char   *basemap)
{
  g_return_if_fail (BALISE_IS_WINDOW (self));
  g_return_if_fail (basemap != NULL);

  if (g_str_equal (basemap, "file"))
    {
      g_autofree char *path = g_settings_get_string (self->settings, "basemap-file");

      if (path[0] == '\0')
        {
          gtk_widget_activate_action (GTK_WIDGET (self), "win.open-basemap-file", NULL);
          return;
        }
    }

  g_settings_set_string (self->settings, "basemap", g_str_equal (basemap, "online") ? "auto" : basemap);
  apply_basemap (self, basemap);
}

/**
 * balise_window_open_basemap_file:
 * @self: a #BaliseWindow
 * @path: an MBTiles file
 * @error: return location for a #GError
 *
 * Shows the raster MBTiles file at @path as the basemap, and keeps it for
 * the next start. A file that is not MBTiles, or holds vector tiles, is
 * refused with an error that says so, and the basemap stays as it was.
 *
 * Returns: %TRUE if the file is shown
 */
gboolean
balise_window_open_basemap_file (BaliseWindow  *self,
                                 const char    *path,
                                 GError       **error)
{
  g_autoptr(ShumateMapSource) source = NULL;

  g_return_val_if_fail (BALISE_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  source = create_file_source (path, error);
  if (source == NULL)
    return FALSE;

  g_settings_set_string (self->settings, "basemap-file", path);
  g_settings_set_string (self->settings, "basemap", "file");
  show_source (self, "file", source);
  return TRUE;
}

static void
file_chosen_cb (BaliseWindow         *self,
                int                   response,
                GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL &&
      !balise_window_open_basemap_file (self, path, &error))
    show_error (self, _("Could not open the map file"), error);

  g_object_notify (G_OBJECT (self), "basemap");
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_object_unref (chooser);
}

static void
open_basemap_file_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  BaliseWindow *self = BALISE_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Map File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("MBTiles Maps"));
  gtk_file_filter_add_pattern (filter, "*.mbtiles");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  g_signal_connect_object (chooser, "response", G_CALLBACK (file_chosen_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The map of the area in view, from the tile server of the settings, kept
 * beside the database: "monaco.sqlite" → "monaco-area.mbtiles". */
static void
download_area_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BaliseWindow *self = BALISE_WINDOW (widget);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (self->map));
  BaliseTileArea area = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, 0, 0 };
  g_autofree char *dir = g_path_get_dirname (balise_store_get_path (self->store));
  g_autofree char *base = g_path_get_basename (balise_store_get_path (self->store));
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  BaliseAreaDownloadDialog *dialog;
  char *dot;
  int zoom;

  for (int i = 0; i < 4; i++)
    {
      double lat, lon;

      shumate_viewport_widget_coords_to_location (viewport, map,
                                                  (i & 1) ? gtk_widget_get_width (map) : 0,
                                                  (i & 2) ? gtk_widget_get_height (map) : 0,
                                                  &lat, &lon);
      area.west = MIN (area.west, lon);
      area.east = MAX (area.east, lon);
      area.south = MIN (area.south, lat);
      area.north = MAX (area.north, lat);
    }

  zoom = (int) floor (shumate_viewport_get_zoom_level (viewport));
  area.min_zoom = CLAMP (zoom, 0, 18);
  area.max_zoom = CLAMP (zoom + 3, area.min_zoom, 18);

  if ((dot = strrchr (base, '.')) != NULL && dot != base)
    *dot = '\0';
  name = g_strconcat (base, "-area.mbtiles", NULL);
  path = g_build_filename (dir, name, NULL);

  dialog = balise_area_download_dialog_new (self, &area, path);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_balise_window_class_basemap_init (BaliseWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_property_action (widget_class, "win.basemap", "basemap");
  gtk_widget_class_install_action (widget_class, "win.open-basemap-file", NULL,
                                   open_basemap_file_action);
  gtk_widget_class_install_action (widget_class, "win.download-area", NULL,
                                   download_area_action);
}
