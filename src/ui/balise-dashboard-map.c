/* balise-dashboard-map.c: the dashboard's map of bus stops by last check
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-dashboard-map"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "balise-dashboard-page-private.h"

#define MAP_HEIGHT  280
#define MIN_ZOOM    3.0
#define MAX_ZOOM    17.0

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  GdkRGBA color;
  double r = MIN (width, height) / 2.0;

  balise_freshness_get_color (GPOINTER_TO_UINT (data), &color);
  cairo_arc (cr, width / 2.0, height / 2.0, r, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
  cairo_fill (cr);
  cairo_arc (cr, width / 2.0, height / 2.0, r - 1.5, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_fill (cr);
}

GtkWidget *
_balise_dashboard_map_swatch_new (BaliseFreshness freshness)
{
  GtkWidget *swatch = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 14);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 14);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                  GUINT_TO_POINTER (freshness), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (swatch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Colour on the map"),
                                  -1);
  gtk_widget_set_name (swatch, balise_freshness_to_string (freshness));

  return swatch;
}

/* Web Mercator y of @lat, 0 at the top of the world, 1 at the bottom. */
static double
mercator_y (double lat)
{
  double s = sin (CLAMP (lat, -85.0, 85.0) * G_PI / 180.0);

  return 0.5 - log ((1 + s) / (1 - s)) / (4 * G_PI);
}

/* Frames the stops once the map has a size. */
static gboolean
fit_cb (GtkWidget     *widget,
        GdkFrameClock *clock,
        gpointer       data)
{
  BaliseDashboardPage *self = data;
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  GArray *stops = balise_freshness_layer_get_stops (self->freshness_layer);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double west = 180, east = -180, south = 90, north = -90;
  double zoom;

  if (width <= 0 || height <= 0)
    return G_SOURCE_CONTINUE;

  self->fit_id = 0;
  if (stops == NULL || stops->len == 0)
    return G_SOURCE_REMOVE;

  for (guint i = 0; i < stops->len; i++)
    {
      const BaliseStopCheck *stop = &g_array_index (stops, BaliseStopCheck, i);

      west = MIN (west, stop->lon);
      east = MAX (east, stop->lon);
      south = MIN (south, stop->lat);
      north = MAX (north, stop->lat);
    }

  /* The zoom at which the box fills the map, with a margin for the dots. */
  {
    double x_span = MAX ((east - west) / 360.0, 1e-9);
    double y_span = MAX (mercator_y (south) - mercator_y (north), 1e-9);
    double tile = 256.0;
    double zx = log2 ((width - 40) / (tile * x_span));
    double zy = log2 ((height - 40) / (tile * y_span));

    zoom = CLAMP (floor (MIN (zx, zy) * 2) / 2, MIN_ZOOM, MAX_ZOOM);
  }

  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_map_center_on (self->map, (south + north) / 2, (west + east) / 2);

  return G_SOURCE_REMOVE;
}

static void
schedule_fit (BaliseDashboardPage *self)
{
  if (self->fit_id == 0)
    self->fit_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->map), fit_cb, self, NULL);
}

void
_balise_dashboard_map_set_stops (BaliseDashboardPage *self,
                                 GArray              *stops)
{
  g_autofree char *label = NULL;
  guint n = stops != NULL ? stops->len : 0;

  g_assert (BALISE_IS_DASHBOARD_PAGE (self));

  if (self->map == NULL)
    return;

  balise_freshness_layer_set_stops (self->freshness_layer, stops);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->map)), n > 0);

  /* Translators: the map's description for screen readers; the legend under it has the numbers */
  label = g_strdup_printf (ngettext ("Map of %u bus stop, coloured by its last check",
                                     "Map of %u bus stops, coloured by their last check",
                                     n), n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->map),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  if (n > 0)
    schedule_fit (self);
}

void
_balise_dashboard_map_init (BaliseDashboardPage *self)
{
  g_autoptr(ShumateMapSourceRegistry) registry = shumate_map_source_registry_new_with_defaults ();
  ShumateViewport *viewport;
  GtkWidget *overlay = gtk_overlay_new ();

  /* Without a basemap the dots still need a projection: OSM's tile grid,
   * with no layer drawing its tiles. */
  self->fallback_source = g_object_ref (shumate_map_source_registry_get_by_id (registry,
                                                                             SHUMATE_MAP_SOURCE_OSM_MAPNIK));

  self->map = shumate_map_new ();
  viewport = shumate_map_get_viewport (self->map);
  shumate_viewport_set_reference_map_source (viewport, self->fallback_source);
  shumate_viewport_set_zoom_level (viewport, 13);
  shumate_map_center_on (self->map, 43.7384, 7.4246);

  self->freshness_layer = BALISE_FRESHNESS_LAYER (balise_freshness_layer_new (viewport));
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->freshness_layer));

  gtk_widget_set_size_request (GTK_WIDGET (self->map), -1, MAP_HEIGHT);
  gtk_widget_set_hexpand (GTK_WIDGET (self->map), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->map),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Map of the bus stops, coloured by their last check"),
                                  -1);

  self->license = shumate_license_new ();
  gtk_widget_set_halign (GTK_WIDGET (self->license), GTK_ALIGN_END);
  gtk_widget_set_valign (GTK_WIDGET (self->license), GTK_ALIGN_END);

  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->map));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->license));
  gtk_widget_add_css_class (overlay, "card");
  gtk_widget_set_overflow (overlay, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_margin_top (overlay, 6);
  gtk_widget_set_visible (overlay, FALSE);
  adw_preferences_group_add (self->map_group, overlay);
}

void
_balise_dashboard_map_dispose (BaliseDashboardPage *self)
{
  if (self->fit_id != 0 && self->map != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->map), self->fit_id);
  self->fit_id = 0;
  self->map = NULL;
  self->freshness_layer = NULL;
  self->map_layer = NULL;
  self->license = NULL;
  g_clear_object (&self->map_source);
  g_clear_object (&self->fallback_source);
}

/**
 * balise_dashboard_page_set_map_source:
 * @map_source: (nullable): the basemap under the bus stops; without one
 *   the dots are drawn on the page's background
 */
void
balise_dashboard_page_set_map_source (BaliseDashboardPage *self,
                                      ShumateMapSource    *map_source)
{
  ShumateViewport *viewport;

  g_return_if_fail (BALISE_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (map_source == NULL || SHUMATE_IS_MAP_SOURCE (map_source));

  if (self->map == NULL || self->map_source == map_source)
    return;

  viewport = shumate_map_get_viewport (self->map);
  if (self->map_layer != NULL)
    {
      shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->map_layer));
      self->map_layer = NULL;
    }
  if (self->map_source != NULL)
    shumate_license_remove_map_source (self->license, self->map_source);
  g_set_object (&self->map_source, map_source);

  shumate_viewport_set_reference_map_source (viewport, map_source ? map_source : self->fallback_source);
  if (map_source != NULL)
    {
      self->map_layer = shumate_map_layer_new (map_source, viewport);
      shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->map_layer),
                                       SHUMATE_LAYER (self->freshness_layer));
      shumate_license_append_map_source (self->license, map_source);
    }
  schedule_fit (self);
}

BaliseFreshnessLayer *
balise_dashboard_page_get_freshness_layer (BaliseDashboardPage *self)
{
  g_return_val_if_fail (BALISE_IS_DASHBOARD_PAGE (self), NULL);

  return self->freshness_layer;
}
