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
#include "balise-store-query.h"

/* Below this zoom, counts per cell instead of single features. */
#define CLUSTER_BELOW_ZOOM  14.0
#define CLUSTER_CELL_PX     96
#define MARKER_SIZE         18
#define MAX_FEATURES        20000

struct _BaliseFeatureLayer
{
  ShumateLayer  parent_instance;

  BaliseStore  *store;
  GHashTable   *textures;     /* "colour/status" → GdkTexture */
  guint         n_drawn;
};

G_DEFINE_FINAL_TYPE (BaliseFeatureLayer, balise_feature_layer, SHUMATE_TYPE_LAYER)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
static GdkTexture *
marker_texture (BaliseFeatureLayer  *self,
                const char          *category,
                BaliseFeatureStatus  status)
{
  guint32 rgb = category_rgb (category);
  g_autofree char *key = g_strdup_printf ("%06x/%d", rgb, status);
  GdkTexture *texture = g_hash_table_lookup (self->textures, key);
  cairo_surface_t *surface;
  cairo_t *cr;
  double c = MARKER_SIZE / 2.0;

  if (texture != NULL)
    return texture;

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
  texture = texture_from_surface (surface);
  cairo_surface_destroy (surface);

  g_hash_table_insert (self->textures, g_steal_pointer (&key), texture);
  return texture;
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
draw_clusters (BaliseFeatureLayer *self,
               GtkSnapshot        *snapshot,
               double west, double south, double east, double north)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  guint cols = MAX (1, gtk_widget_get_width (GTK_WIDGET (self)) / CLUSTER_CELL_PX);
  guint rows = MAX (1, gtk_widget_get_height (GTK_WIDGET (self)) / CLUSTER_CELL_PX);
  g_autoptr(GArray) clusters = NULL;
  g_autoptr(GError) error = NULL;
  PangoLayout *layout;

  clusters = balise_store_query_clusters (self->store, west, south, east, north, cols, rows, &error);
  if (clusters == NULL)
    {
      g_warning ("Could not read the clusters: %s", error->message);
      return;
    }

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  for (guint i = 0; i < clusters->len; i++)
    {
      const BaliseCluster *cluster = &g_array_index (clusters, BaliseCluster, i);
      char count[16];
      double x, y, r;
      GskRoundedRect disc;
      int text_w, text_h;

      if (cluster->count == 0)
        continue;

      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self),
                                                  cluster->lat, cluster->lon, &x, &y);
      r = 11 + 4 * log10 (cluster->count);
      gsk_rounded_rect_init_from_rect (&disc, &GRAPHENE_RECT_INIT (x - r, y - r, 2 * r, 2 * r), r);
      gtk_snapshot_push_rounded_clip (snapshot, &disc);
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.11, 0.44, 0.85, 0.85 }, &disc.bounds);
      gtk_snapshot_pop (snapshot);

      g_snprintf (count, sizeof count, "%u", cluster->count);
      pango_layout_set_text (layout, count, -1);
      pango_layout_get_pixel_size (layout, &text_w, &text_h);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - text_w / 2.0, y - text_h / 2.0));
      gtk_snapshot_append_layout (snapshot, layout, &(GdkRGBA) { 1, 1, 1, 1 });
      gtk_snapshot_restore (snapshot);
      self->n_drawn++;
    }
  g_object_unref (layout);
}

static void
draw_features (BaliseFeatureLayer *self,
               GtkSnapshot        *snapshot,
               double west, double south, double east, double north)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GError) error = NULL;

  features = balise_store_query_viewport (self->store, west, south, east, north, MAX_FEATURES,
                                          &error);
  if (features == NULL)
    {
      g_warning ("Could not read the features in view: %s", error->message);
      return;
    }

  for (guint i = 0; i < features->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (features, i);
      GdkTexture *texture = marker_texture (self, feature->category, feature->status);
      double x, y;

      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self),
                                                  feature->lat, feature->lon, &x, &y);
      gtk_snapshot_append_texture (snapshot, texture,
                                   &GRAPHENE_RECT_INIT (x - MARKER_SIZE / 2.0,
                                                        y - MARKER_SIZE / 2.0,
                                                        MARKER_SIZE, MARKER_SIZE));
      self->n_drawn++;
    }
}

static void
balise_feature_layer_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  BaliseFeatureLayer *self = BALISE_FEATURE_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double west, south, east, north;

  self->n_drawn = 0;
  if (self->store == NULL || shumate_viewport_get_reference_map_source (viewport) == NULL)
    return;

  visible_box (self, &west, &south, &east, &north);

  if (shumate_viewport_get_zoom_level (viewport) < CLUSTER_BELOW_ZOOM)
    draw_clusters (self, snapshot, west, south, east, north);
  else
    draw_features (self, snapshot, west, south, east, north);

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
    g_signal_connect_object (self->store, "changed", G_CALLBACK (gtk_widget_queue_draw), self,
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

  g_clear_pointer (&self->textures, g_hash_table_unref);

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

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
balise_feature_layer_init (BaliseFeatureLayer *self)
{
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
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
