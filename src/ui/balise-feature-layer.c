/* balise-feature-layer.c: the store's features drawn over the map
 *
 * One layer draws every feature in view with GtkSnapshot: a shared texture
 * per kind of feature and status, never a widget per feature (PLATFORM.md
 * §1.4). At low zoom it draws the store's clusters with their counts.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-feature-layer"

#include "config.h"

#include <math.h>

#include "balise-feature-layer.h"
#include "balise-feature-sheet.h"
#include "balise-store-query.h"

/* Below this zoom, counts per cell instead of single features. */
#define CLUSTER_BELOW_ZOOM  14.0
#define CLUSTER_CELL_PX     96
#define MARKER_SIZE         18
#define MAX_FEATURES        20000
#define SELECTED_SIZE       30
/* How far from a marker's centre a click or tap still picks it: a fingertip. */
#define HIT_RADIUS_PX       (MARKER_SIZE / 2.0 + 8)
/* A cluster opened fits its features in the view inside this margin. */
#define CLUSTER_PADDING_PX  48
#define CLUSTER_MAX_ZOOM    18
/* At most this many features are read to find a cluster's extent. */
#define CLUSTER_READ_LIMIT  20000

struct _BaliseFeatureLayer
{
  ShumateLayer    parent_instance;

  BaliseStore    *store;
  GHashTable     *surfaces;     /* "colour/status" → cairo_surface_t */
  GHashTable     *textures;     /* cairo_surface_t → GdkTexture */
  BaliseFeatureSheet *sheet;
  GdkTexture     *halo;         /* behind the selected feature */
  BaliseFeature  *selected;
  BaliseSheetCluster selected_cluster; /* chosen with the arrow keys at low zoom */
  double          cluster_zoom;        /* where it was chosen */
  gboolean        has_cluster;
  guint           n_drawn;
  guint           cluster_total; /* features counted in the clusters drawn */
};

G_DEFINE_FINAL_TYPE (BaliseFeatureLayer, balise_feature_layer, SHUMATE_TYPE_LAYER)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SELECTED,
  N_PROPS
};

enum {
  FEATURE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  const char *category;
  guint32     rgb;
} CategoryColour;

/* Transit blue, resources green, the rest grey: readable on a light map. */
static const CategoryColour colours[] = {
  { "bus_stop", 0x1c71d8 },
  { "stop_position", 0x1a5fb4 },
  { "shelter", 0x3584e4 },
  { "drinking_water", 0x26a269 },
  { "toilets", 0x2ec27e },
  { "defibrillator", 0xc01c28 },
  { "bench", 0x865e3c },
  { "waste_basket", 0x5e5c64 },
  { "recycling", 0x33d17a },
  { "food_bank", 0xe66100 },
  { "community_centre", 0x9141ac },
  { "library", 0x613583 },
  { "social_facility", 0xc64600 },
};

static guint32
category_rgb (const char *category)
{
  for (guint i = 0; i < G_N_ELEMENTS (colours); i++)
    {
      if (g_strcmp0 (colours[i].category, category) == 0)
        return colours[i].rgb;
    }
  return 0x77767b;
}

static void
set_source_rgb (cairo_t *cr,
                guint32  rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  g_autoptr(GBytes) bytes = NULL;
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);

  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) stride * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, (gsize) stride);
}

/* A disc in the category's colour with a white edge; a coloured ring says
 * the feature has an edit waiting (green new, orange changed, red conflict). */
static cairo_surface_t *
marker_surface (BaliseFeatureLayer  *self,
                const char          *category,
                BaliseFeatureStatus  status)
{
  guint32 rgb = category_rgb (category);
  g_autofree char *key = g_strdup_printf ("%06x/%d", rgb, status);
  cairo_surface_t *surface = g_hash_table_lookup (self->surfaces, key);
  cairo_t *cr;
  double c = MARKER_SIZE / 2.0;

  if (surface != NULL)
    return surface;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, MARKER_SIZE, MARKER_SIZE);
  cr = cairo_create (surface);

  if (status != BALISE_FEATURE_CLEAN)
    {
      guint32 ring = status == BALISE_FEATURE_NEW ? 0x2ec27e :
                     status == BALISE_FEATURE_CONFLICT ? 0xe01b24 :
                     status == BALISE_FEATURE_UPLOADED ? 0x62a0ea : 0xff7800;

      cairo_arc (cr, c, c, c, 0, 2 * G_PI);
      set_source_rgb (cr, ring);
      cairo_fill (cr);
    }

  cairo_arc (cr, c, c, c - 3, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);
  cairo_arc (cr, c, c, c - 4.5, 0, 2 * G_PI);
  set_source_rgb (cr, rgb);
  cairo_fill (cr);

  cairo_destroy (cr);
  cairo_surface_flush (surface);

  g_hash_table_insert (self->surfaces, g_steal_pointer (&key), surface);
  return surface;
}

static cairo_surface_t *
feature_marker_cb (const BaliseFeature *feature,
                   gpointer             user_data)
{
  return marker_surface (user_data, feature->category, feature->status);
}

static GdkTexture *
marker_texture (BaliseFeatureLayer  *self,
                const char          *category,
                BaliseFeatureStatus  status)
{
  cairo_surface_t *surface = marker_surface (self, category, status);
  GdkTexture *texture = g_hash_table_lookup (self->textures, surface);

  if (texture == NULL)
    {
      texture = texture_from_surface (surface);
      g_hash_table_insert (self->textures, surface, texture);
    }

  return texture;
}

/* A soft white disc with a dark edge behind the selected marker: visible on
 * any basemap colour, and on top of its neighbours. */
static GdkTexture *
halo_texture (BaliseFeatureLayer *self)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  double c = SELECTED_SIZE / 2.0;

  if (self->halo != NULL)
    return self->halo;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, SELECTED_SIZE, SELECTED_SIZE);
  cr = cairo_create (surface);
  cairo_arc (cr, c, c, c - 1, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 0.14, 0.12, 0.16, 0.85);
  cairo_fill (cr);
  cairo_arc (cr, c, c, c - 3, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 1, 0.84, 0.26);
  cairo_fill (cr);
  cairo_destroy (cr);

  self->halo = texture_from_surface (surface);
  cairo_surface_destroy (surface);
  return self->halo;
}

static gboolean
same_feature (const BaliseFeature *a,
              const BaliseFeature *b)
{
  return a != NULL && b != NULL && a->osm_type == b->osm_type && a->osm_id == b->osm_id;
}

static void
visible_box (BaliseFeatureLayer *self,
             double             *west,
             double             *south,
             double             *east,
             double             *north)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double lat[4], lon[4];
  double corners[4][2] = { { 0, 0 }, { width, 0 }, { 0, height }, { width, height } };

  /* Corners in any order: the map may be rotated. */
  for (int i = 0; i < 4; i++)
    shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self),
                                                corners[i][0], corners[i][1], &lat[i], &lon[i]);

  *west = MIN (MIN (lon[0], lon[1]), MIN (lon[2], lon[3]));
  *east = MAX (MAX (lon[0], lon[1]), MAX (lon[2], lon[3]));
  *south = MIN (MIN (lat[0], lat[1]), MIN (lat[2], lat[3]));
  *north = MAX (MAX (lat[0], lat[1]), MAX (lat[2], lat[3]));
}

static void
draw_features (BaliseFeatureLayer *self,
               GtkSnapshot        *snapshot)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double x, y;

  self->n_drawn = balise_feature_sheet_snapshot (self->sheet, GTK_WIDGET (self), viewport,
                                                 self->store, FALSE, snapshot, NULL);

  /* The selection over the sheet, above its neighbours. */
  if (self->selected == NULL)
    return;

  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self),
                                              self->selected->lat, self->selected->lon, &x, &y);
  gtk_snapshot_append_texture (snapshot, halo_texture (self),
                               &GRAPHENE_RECT_INIT (x - SELECTED_SIZE / 2.0,
                                                    y - SELECTED_SIZE / 2.0,
                                                    SELECTED_SIZE, SELECTED_SIZE));
  gtk_snapshot_append_texture (snapshot, marker_texture (self, self->selected->category,
                                                         self->selected->status),
                               &GRAPHENE_RECT_INIT (x - MARKER_SIZE / 2.0,
                                                    y - MARKER_SIZE / 2.0,
                                                    MARKER_SIZE, MARKER_SIZE));
}

static void
store_changed_cb (BaliseFeatureLayer *self)
{
  balise_feature_sheet_invalidate (self->sheet);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The features in the box of widget coordinates around (x, y), each with its
 * position in the widget. */
static GPtrArray *
features_around (BaliseFeatureLayer *self,
                 double              x0,
                 double              y0,
                 double              x1,
                 double              y1,
                 GError            **error)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double corners[4][2] = { { x0, y0 }, { x1, y0 }, { x0, y1 }, { x1, y1 } };
  double west = G_MAXDOUBLE, south = G_MAXDOUBLE, east = -G_MAXDOUBLE, north = -G_MAXDOUBLE;

  for (int i = 0; i < 4; i++)
    {
      double lat, lon;

      shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self),
                                                  corners[i][0], corners[i][1], &lat, &lon);
      west = MIN (west, lon);
      east = MAX (east, lon);
      south = MIN (south, lat);
      north = MAX (north, lat);
    }

  return balise_store_query_viewport (self->store, west, south, east, north, 0, error);
}

static gboolean
can_pick (BaliseFeatureLayer *self)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));

  return self->store != NULL &&
         shumate_viewport_get_reference_map_source (viewport) != NULL &&
         shumate_viewport_get_zoom_level (viewport) >= CLUSTER_BELOW_ZOOM;
}

static void
balise_feature_layer_set_selected_internal (BaliseFeatureLayer *self,
                                            BaliseFeature      *feature)
{
  /* The same feature read again after a move is drawn where it is now. */
  if (feature == self->selected || (same_feature (feature, self->selected) &&
                                    feature->status == self->selected->status &&
                                    feature->lat == self->selected->lat &&
                                    feature->lon == self->selected->lon))
    return;

  g_clear_pointer (&self->selected, balise_feature_unref);
  if (feature != NULL)
    self->selected = balise_feature_ref (feature);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static double
mercator_y (double lat)
{
  double s = sin (CLAMP (lat, -85.0511, 85.0511) * G_PI / 180);

  return 0.5 - log ((1 + s) / (1 - s)) / (4 * G_PI);
}

/* The cluster whose disc holds (x, y), a fingertip around it included. */
static gboolean
cluster_at (BaliseFeatureLayer *self,
            double              x,
            double              y,
            BaliseSheetCluster *found)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_autoptr(GArray) clusters = balise_feature_sheet_get_clusters (self->sheet, GTK_WIDGET (self), viewport);
  double best_d2 = G_MAXDOUBLE;
  gboolean any = FALSE;

  for (guint i = 0; i < clusters->len; i++)
    {
      const BaliseSheetCluster *cluster = &g_array_index (clusters, BaliseSheetCluster, i);
      double d2 = (cluster->x - x) * (cluster->x - x) + (cluster->y - y) * (cluster->y - y);
      double reach = cluster->radius + 8;

      if (d2 <= reach * reach && d2 < best_d2)
        {
          *found = *cluster;
          best_d2 = d2;
          any = TRUE;
        }
    }

  return any;
}

/* Clusters whose discs overlap @cluster's look like one: their cells join
 * its box, so that opening it shows what was under the click. */
static void
join_overlapping (BaliseFeatureLayer *self,
                  BaliseSheetCluster *cluster)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_autoptr(GArray) clusters = balise_feature_sheet_get_clusters (self->sheet, GTK_WIDGET (self), viewport);
  double x, y;

  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self), cluster->lat, cluster->lon,
                                              &x, &y);
  for (guint i = 0; i < clusters->len; i++)
    {
      const BaliseSheetCluster *other = &g_array_index (clusters, BaliseSheetCluster, i);

      if (hypot (other->x - x, other->y - y) >= other->radius + cluster->radius ||
          (other->lat == cluster->lat && other->lon == cluster->lon))
        continue;
      cluster->count += other->count;
      cluster->west = MIN (cluster->west, other->west);
      cluster->south = MIN (cluster->south, other->south);
      cluster->east = MAX (cluster->east, other->east);
      cluster->north = MAX (cluster->north, other->north);
    }
}

/* Zooms in on @cluster, animated, until its features fill the view: they
 * split into smaller clusters, or show one by one. */
static void
zoom_to_cluster (BaliseFeatureLayer *self,
                 BaliseSheetCluster *cluster)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  GtkWidget *map = gtk_widget_get_ancestor (GTK_WIDGET (self), SHUMATE_TYPE_MAP);
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GError) error = NULL;
  double west, south, east, north;
  double tile = source != NULL ? shumate_map_source_get_tile_size (source) : 256;
  double width = MAX (gtk_widget_get_width (GTK_WIDGET (self)) - 2 * CLUSTER_PADDING_PX, 1);
  double height = MAX (gtk_widget_get_height (GTK_WIDGET (self)) - 2 * CLUSTER_PADDING_PX, 1);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double dx, dy, fit, lat, lon, y;
  double max_zoom = MIN (CLUSTER_MAX_ZOOM, shumate_viewport_get_max_zoom_level (viewport));

  join_overlapping (self, cluster);
  west = cluster->west;
  south = cluster->south;
  east = cluster->east;
  north = cluster->north;

  /* The features' own extent; the cell's when there are too many to read. */
  features = balise_store_query_viewport (self->store, west, south, east, north, CLUSTER_READ_LIMIT,
                                          &error);
  if (features == NULL)
    g_warning ("Could not read the features of a cluster: %s", error->message);
  else if (features->len > 0 && features->len < CLUSTER_READ_LIMIT)
    {
      west = south = G_MAXDOUBLE;
      east = north = -G_MAXDOUBLE;
      for (guint i = 0; i < features->len; i++)
        {
          const BaliseFeature *feature = g_ptr_array_index (features, i);

          west = MIN (west, feature->lon);
          east = MAX (east, feature->lon);
          south = MIN (south, feature->lat);
          north = MAX (north, feature->lat);
        }
    }

  dx = (east - west) / 360 * tile;
  dy = (mercator_y (south) - mercator_y (north)) * tile;
  fit = log2 (MIN (dx > 0 ? width / dx : G_MAXDOUBLE, dy > 0 ? height / dy : G_MAXDOUBLE));
  zoom = CLAMP (floor (fit), floor (zoom) + 1, MAX (max_zoom, floor (zoom) + 1));
  zoom = MIN (zoom, shumate_viewport_get_max_zoom_level (viewport));

  lon = (west + east) / 2;
  y = (mercator_y (south) + mercator_y (north)) / 2;
  lat = atan (sinh (G_PI * (1 - 2 * y))) * 180 / G_PI;

  g_debug ("Opening a cluster of %u: zoom %.0f on %.5f, %.5f", cluster->count, zoom, lat, lon);
  self->has_cluster = FALSE;
  if (map != NULL && gtk_widget_get_mapped (map))
    shumate_map_go_to_full (SHUMATE_MAP (map), lat, lon, zoom);
  else
    {
      shumate_viewport_set_zoom_level (viewport, zoom);
      shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
    }
}

/* The arrow keys at low zoom: the nearest cluster that way. */
static gboolean
select_next_cluster (BaliseFeatureLayer *self,
                     double              dx,
                     double              dy)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_autoptr(GArray) clusters = balise_feature_sheet_get_clusters (self->sheet, GTK_WIDGET (self), viewport);
  double x0 = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y0 = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  double best_score = G_MAXDOUBLE;
  const BaliseSheetCluster *best = NULL;
  gboolean from_selected = self->has_cluster &&
                           self->cluster_zoom == shumate_viewport_get_zoom_level (viewport);

  if (from_selected)
    shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self), self->selected_cluster.lat,
                                                self->selected_cluster.lon, &x0, &y0);

  for (guint i = 0; i < clusters->len; i++)
    {
      const BaliseSheetCluster *cluster = &g_array_index (clusters, BaliseSheetCluster, i);
      double along = (cluster->x - x0) * dx + (cluster->y - y0) * dy;
      double across = fabs ((cluster->x - x0) * dy - (cluster->y - y0) * dx);

      /* From the centre, the first press may pick the cluster right there;
       * from a cluster, the next one is one that does not overlap it. */
      if (from_selected && hypot (cluster->x - x0, cluster->y - y0) <
                           cluster->radius + self->selected_cluster.radius)
        continue;
      if (along < 0 || across > MAX (along, cluster->radius))
        continue;

      if (along + 2 * across < best_score)
        {
          best = cluster;
          best_score = along + 2 * across;
        }
    }

  if (best == NULL)
    return FALSE;

  self->selected_cluster = *best;
  self->cluster_zoom = shumate_viewport_get_zoom_level (viewport);
  self->has_cluster = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

/* A ring around the cluster chosen with the keyboard. */
static void
draw_selected_cluster (BaliseFeatureLayer *self,
                       GtkSnapshot        *snapshot)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  const GdkRGBA colour = { 1, 0.84, 0.26, 1 };
  const GdkRGBA edge = { 0.14, 0.12, 0.16, 0.85 };
  GskRoundedRect ring;
  double x, y, r;

  if (self->cluster_zoom != shumate_viewport_get_zoom_level (viewport))
    {
      self->has_cluster = FALSE;
      return;
    }

  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self), self->selected_cluster.lat,
                                              self->selected_cluster.lon, &x, &y);
  r = self->selected_cluster.radius + 5;
  gsk_rounded_rect_init_from_rect (&ring, &GRAPHENE_RECT_INIT (x - r, y - r, 2 * r, 2 * r), r);
  gtk_snapshot_append_border (snapshot, &ring, (float[4]) { 4, 4, 4, 4 },
                              (GdkRGBA[4]) { colour, colour, colour, colour });
  gsk_rounded_rect_shrink (&ring, -1, -1, -1, -1);
  gtk_snapshot_append_border (snapshot, &ring, (float[4]) { 1, 1, 1, 1 },
                              (GdkRGBA[4]) { edge, edge, edge, edge });
}

/* Clicks select; a double click or a second tap on the selection activates.
 * A click on a cluster zooms in on it. */
static void
click_released_cb (BaliseFeatureLayer *self,
                   int                 n_press,
                   double              x,
                   double              y,
                   GtkGestureClick    *gesture)
{
  g_autoptr(BaliseFeature) feature = NULL;
  gboolean again;

  BaliseSheetCluster cluster;

  g_assert (BALISE_IS_FEATURE_LAYER (self));

  if (self->store != NULL &&
      shumate_viewport_get_zoom_level (shumate_layer_get_viewport (SHUMATE_LAYER (self))) < CLUSTER_BELOW_ZOOM)
    {
      if (!cluster_at (self, x, y, &cluster))
        return;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      zoom_to_cluster (self, &cluster);
      return;
    }

  feature = balise_feature_layer_pick (self, x, y);
  if (feature == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  again = same_feature (feature, self->selected);
  balise_feature_layer_set_selected_internal (self, feature);
  if (again || n_press >= 2)
    g_signal_emit (self, signals[FEATURE_ACTIVATED], 0, self->selected);
}

/* Arrow keys move the selection to the nearest feature that way; Enter
 * activates it; Escape clears it. At low zoom, they move among the
 * clusters, and Enter zooms in on the one chosen. */
static gboolean
key_pressed_cb (BaliseFeatureLayer    *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  gboolean clusters = self->store != NULL &&
                      shumate_viewport_get_zoom_level (viewport) < CLUSTER_BELOW_ZOOM;
  double dx = 0, dy = 0;

  g_assert (BALISE_IS_FEATURE_LAYER (self));

  if (clusters && self->cluster_zoom != shumate_viewport_get_zoom_level (viewport))
    self->has_cluster = FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left: case GDK_KEY_KP_Left: dx = -1; break;
    case GDK_KEY_Right: case GDK_KEY_KP_Right: dx = 1; break;
    case GDK_KEY_Up: case GDK_KEY_KP_Up: dy = -1; break;
    case GDK_KEY_Down: case GDK_KEY_KP_Down: dy = 1; break;

    case GDK_KEY_Return: case GDK_KEY_KP_Enter: case GDK_KEY_ISO_Enter: case GDK_KEY_space:
      if (clusters)
        {
          if (!self->has_cluster)
            return FALSE;
          zoom_to_cluster (self, &self->selected_cluster);
          return TRUE;
        }
      if (self->selected == NULL)
        return FALSE;
      g_signal_emit (self, signals[FEATURE_ACTIVATED], 0, self->selected);
      return TRUE;

    case GDK_KEY_Escape:
      if (clusters && self->has_cluster)
        {
          self->has_cluster = FALSE;
          gtk_widget_queue_draw (GTK_WIDGET (self));
          return TRUE;
        }
      if (self->selected == NULL)
        return FALSE;
      balise_feature_layer_set_selected (self, NULL);
      return TRUE;

    default:
      return FALSE;
    }

  if (clusters)
    return select_next_cluster (self, dx, dy);
  return balise_feature_layer_select_next (self, dx, dy);
}

static void
balise_feature_layer_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  BaliseFeatureLayer *self = BALISE_FEATURE_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double west, south, east, north;

  self->n_drawn = 0;
  self->cluster_total = 0;
  if (self->store == NULL || shumate_viewport_get_reference_map_source (viewport) == NULL)
    return;

  visible_box (self, &west, &south, &east, &north);

  if (shumate_viewport_get_zoom_level (viewport) < CLUSTER_BELOW_ZOOM)
    {
      self->n_drawn = balise_feature_sheet_snapshot (self->sheet, GTK_WIDGET (self), viewport,
                                                     self->store, TRUE, snapshot,
                                                     &self->cluster_total);
      if (self->has_cluster)
        draw_selected_cluster (self, snapshot);
    }
  else
    draw_features (self, snapshot);

  g_debug ("Drew %u markers for %.5f,%.5f – %.5f,%.5f at zoom %.1f", self->n_drawn,
           west, south, east, north, shumate_viewport_get_zoom_level (viewport));
}

static void
balise_feature_layer_constructed (GObject *object)
{
  BaliseFeatureLayer *self = BALISE_FEATURE_LAYER (object);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));

  G_OBJECT_CLASS (balise_feature_layer_parent_class)->constructed (object);

  g_signal_connect_object (viewport, "notify", G_CALLBACK (gtk_widget_queue_draw), self,
                           G_CONNECT_SWAPPED);
  if (self->store != NULL)
    g_signal_connect_object (self->store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
}

static void
balise_feature_layer_dispose (GObject *object)
{
  BaliseFeatureLayer *self = BALISE_FEATURE_LAYER (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (balise_feature_layer_parent_class)->dispose (object);
}

static void
balise_feature_layer_finalize (GObject *object)
{
  BaliseFeatureLayer *self = BALISE_FEATURE_LAYER (object);

  g_clear_pointer (&self->sheet, balise_feature_sheet_free);
  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_pointer (&self->surfaces, g_hash_table_unref);
  g_clear_object (&self->halo);
  g_clear_pointer (&self->selected, balise_feature_unref);

  G_OBJECT_CLASS (balise_feature_layer_parent_class)->finalize (object);
}

static void
balise_feature_layer_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BaliseFeatureLayer *self = BALISE_FEATURE_LAYER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SELECTED:
      balise_feature_layer_set_selected (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_feature_layer_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BaliseFeatureLayer *self = BALISE_FEATURE_LAYER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SELECTED:
      g_value_set_boxed (value, self->selected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_feature_layer_class_init (BaliseFeatureLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = balise_feature_layer_constructed;
  object_class->dispose = balise_feature_layer_dispose;
  object_class->finalize = balise_feature_layer_finalize;
  object_class->get_property = balise_feature_layer_get_property;
  object_class->set_property = balise_feature_layer_set_property;

  widget_class->snapshot = balise_feature_layer_snapshot;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BALISE_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * BaliseFeatureLayer:selected:
   *
   * The feature picked by a click, a tap or the arrow keys, drawn
   * highlighted; %NULL when none is.
   */
  properties[PROP_SELECTED] =
    g_param_spec_boxed ("selected", NULL, NULL,
                        BALISE_TYPE_FEATURE,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BaliseFeatureLayer::feature-activated:
   * @self: the layer
   * @feature: the selected feature
   *
   * The selected feature was clicked again, double-clicked, or Enter was
   * pressed on it: the user wants to open it.
   */
  signals[FEATURE_ACTIVATED] =
    g_signal_new ("feature-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BALISE_TYPE_FEATURE);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
balise_feature_layer_init (BaliseFeatureLayer *self)
{
  GtkGesture *click;
  GtkEventController *keys;

  self->surfaces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) cairo_surface_destroy);
  self->textures = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->sheet = balise_feature_sheet_new (MAX_FEATURES, feature_marker_cb, self);

  /* The map under the layer still gets the presses and drags: the click
   * claims its sequence only when it lands on a feature. */
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (click), FALSE);
  g_signal_connect_object (click, "released", G_CALLBACK (click_released_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}

BaliseFeatureLayer *
balise_feature_layer_new (ShumateViewport *viewport,
                          BaliseStore     *store)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);
  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);

  return g_object_new (BALISE_TYPE_FEATURE_LAYER,
                       "viewport", viewport,
                       "store", store,
                       NULL);
}

guint
balise_feature_layer_get_n_drawn (BaliseFeatureLayer *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_LAYER (self), 0);
  return self->n_drawn;
}

/**
 * balise_feature_layer_get_cluster_total:
 * @self: a #BaliseFeatureLayer
 *
 * Returns: how many features the clusters of the last frame count (0 when
 *   it drew single features)
 */
guint
balise_feature_layer_get_cluster_total (BaliseFeatureLayer *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_LAYER (self), 0);
  return self->cluster_total;
}

/**
 * balise_feature_layer_get_clusters:
 * @self: a #BaliseFeatureLayer
 *
 * The clusters drawn in view at the last frame, where they are in the
 * layer; none when single features are drawn.
 *
 * Returns: (transfer full) (element-type BaliseSheetCluster): the clusters
 */
GArray *
balise_feature_layer_get_clusters (BaliseFeatureLayer *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_LAYER (self), NULL);

  return balise_feature_sheet_get_clusters (self->sheet, GTK_WIDGET (self),
                                            shumate_layer_get_viewport (SHUMATE_LAYER (self)));
}

/**
 * balise_feature_layer_pick:
 * @self: a #BaliseFeatureLayer
 * @x: widget coordinate
 * @y: widget coordinate
 *
 * Hit-tests the features drawn one by one (not the clusters of low zooms):
 * the nearest within a fingertip of (@x, @y).
 *
 * Returns: (transfer full) (nullable): the feature, or %NULL
 */
BaliseFeature *
balise_feature_layer_pick (BaliseFeatureLayer *self,
                           double              x,
                           double              y)
{
  ShumateViewport *viewport;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GError) error = NULL;
  BaliseFeature *best = NULL;
  double best_d2 = HIT_RADIUS_PX * HIT_RADIUS_PX;

  g_return_val_if_fail (BALISE_IS_FEATURE_LAYER (self), NULL);

  if (!can_pick (self))
    return NULL;

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  features = features_around (self, x - HIT_RADIUS_PX, y - HIT_RADIUS_PX,
                              x + HIT_RADIUS_PX, y + HIT_RADIUS_PX, &error);
  if (features == NULL)
    {
      g_warning ("Could not read the features under the pointer: %s", error->message);
      return NULL;
    }

  for (guint i = 0; i < features->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (features, i);
      double fx, fy, d2;

      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self),
                                                  feature->lat, feature->lon, &fx, &fy);
      d2 = (fx - x) * (fx - x) + (fy - y) * (fy - y);
      /* The selected one wins a tie: it is drawn on top. */
      if (d2 < best_d2 || (d2 == best_d2 && same_feature (feature, self->selected)))
        {
          best = feature;
          best_d2 = d2;
        }
    }

  return best != NULL ? balise_feature_ref (best) : NULL;
}

/**
 * balise_feature_layer_select_next:
 * @self: a #BaliseFeatureLayer
 * @dx: direction, -1, 0 or 1
 * @dy: direction, -1, 0 or 1
 *
 * Moves the selection to the nearest feature in view in the direction
 * (@dx, @dy) of the current one (of the centre when none is selected),
 * within 45° of it: what the arrow keys do.
 *
 * Returns: %TRUE if the selection moved
 */
gboolean
balise_feature_layer_select_next (BaliseFeatureLayer *self,
                                  double              dx,
                                  double              dy)
{
  ShumateViewport *viewport;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GError) error = NULL;
  BaliseFeature *best = NULL;
  double best_score = G_MAXDOUBLE;
  double x0, y0;
  int width, height;

  g_return_val_if_fail (BALISE_IS_FEATURE_LAYER (self), FALSE);

  if (!can_pick (self))
    return FALSE;

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  features = features_around (self, 0, 0, width, height, &error);
  if (features == NULL)
    {
      g_warning ("Could not read the features in view: %s", error->message);
      return FALSE;
    }

  x0 = width / 2.0;
  y0 = height / 2.0;
  if (self->selected != NULL)
    shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self),
                                                self->selected->lat, self->selected->lon,
                                                &x0, &y0);

  for (guint i = 0; i < features->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (features, i);
      double fx, fy, along, across, score;

      if (same_feature (feature, self->selected))
        continue;

      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self),
                                                  feature->lat, feature->lon, &fx, &fy);
      if (fx < 0 || fy < 0 || fx > width || fy > height)
        continue;

      along = (fx - x0) * dx + (fy - y0) * dy;
      across = fabs ((fx - x0) * dy - (fy - y0) * dx);
      if (along <= 0 || across > along)
        continue;

      /* Straight ahead beats off to the side. */
      score = along + 2 * across;
      if (score < best_score)
        {
          best = feature;
          best_score = score;
        }
    }

  if (best == NULL)
    return FALSE;

  balise_feature_layer_set_selected_internal (self, best);
  return TRUE;
}

/**
 * balise_feature_layer_get_selected:
 * @self: a #BaliseFeatureLayer
 *
 * Returns: (transfer none) (nullable): the selected feature
 */
BaliseFeature *
balise_feature_layer_get_selected (BaliseFeatureLayer *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_LAYER (self), NULL);

  return self->selected;
}

void
balise_feature_layer_set_selected (BaliseFeatureLayer *self,
                                   BaliseFeature      *feature)
{
  g_return_if_fail (BALISE_IS_FEATURE_LAYER (self));

  balise_feature_layer_set_selected_internal (self, feature);
}

/**
 * balise_feature_layer_get_marker_texture:
 * @self: a #BaliseFeatureLayer
 * @category: a feature category, such as "bus_stop"
 * @status: the feature's edit status
 *
 * The marker the layer draws for a feature of @category in @status: to show
 * the same image beside the map (a list, a panel).
 *
 * Returns: (transfer none): the marker's texture, kept by the layer
 */
GdkTexture *
balise_feature_layer_get_marker_texture (BaliseFeatureLayer  *self,
                                         const char          *category,
                                         BaliseFeatureStatus  status)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_LAYER (self), NULL);

  return marker_texture (self, category, status);
}
