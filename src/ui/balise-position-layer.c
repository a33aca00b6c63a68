/* balise-position-layer.c: where the volunteer is, and how sure that is
 *
 * A blue dot on a white ring at the fix, inside a pale circle as wide as
 * the fix's accuracy on the ground. Nothing is drawn without a fix: the
 * window says why.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-position-layer"

#include "config.h"

#include <math.h>

#include "balise-position-layer.h"

#define DOT_RADIUS 7.0
/* Web Mercator: metres a pixel at the equator at zoom 0, for 256 px tiles. */
#define EQUATOR_M_PER_PX 156543.03392

struct _BalisePositionLayer
{
  ShumateLayer  parent_instance;

  gboolean      has_fix;
  double        latitude;
  double        longitude;
  double        accuracy;
  double        drawn_radius;
};

G_DEFINE_FINAL_TYPE (BalisePositionLayer, balise_position_layer, SHUMATE_TYPE_LAYER)

enum {
  PROP_0,
  PROP_HAS_FIX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GskRoundedRect
rounded_disc (double x,
              double y,
              double r)
{
  GskRoundedRect disc;

  gsk_rounded_rect_init_from_rect (&disc, &GRAPHENE_RECT_INIT (x - r, y - r, 2 * r, 2 * r), r);
  return disc;
}

/* Colour nodes under a round clip: no cairo surface to upload a frame. */
static void
append_disc (GtkSnapshot   *snapshot,
             double         x,
             double         y,
             double         r,
             const GdkRGBA *rgba)
{
  GskRoundedRect disc = rounded_disc (x, y, r);

  gtk_snapshot_push_rounded_clip (snapshot, &disc);
  gtk_snapshot_append_color (snapshot, rgba, &disc.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
balise_position_layer_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  BalisePositionLayer *self = BALISE_POSITION_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  double x, y, metres_per_px, radius;

  self->drawn_radius = 0;
  if (!self->has_fix || source == NULL)
    return;

  shumate_viewport_location_to_widget_coords (viewport, widget, self->latitude, self->longitude, &x, &y);
  metres_per_px = EQUATOR_M_PER_PX * 256.0 / shumate_map_source_get_tile_size (source) *
                  cos (self->latitude * G_PI / 180) / pow (2, shumate_viewport_get_zoom_level (viewport));
  radius = self->accuracy / metres_per_px;
  self->drawn_radius = radius;

  if (radius > DOT_RADIUS)
    {
      GdkRGBA edge = { 0.21, 0.52, 0.89, 0.5 };
      GskRoundedRect circle = rounded_disc (x, y, radius);

      append_disc (snapshot, x, y, radius, &(GdkRGBA) { 0.21, 0.52, 0.89, 0.15 });
      gtk_snapshot_append_border (snapshot, &circle,
                                  (const float[4]) { 1, 1, 1, 1 },
                                  (const GdkRGBA[4]) { edge, edge, edge, edge });
    }

  append_disc (snapshot, x, y, DOT_RADIUS + 2.5, &(GdkRGBA) { 1, 1, 1, 1 });
  append_disc (snapshot, x, y, DOT_RADIUS, &(GdkRGBA) { 0.11, 0.44, 0.85, 1 });
}

static void
balise_position_layer_constructed (GObject *object)
{
  BalisePositionLayer *self = BALISE_POSITION_LAYER (object);

  G_OBJECT_CLASS (balise_position_layer_parent_class)->constructed (object);

  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

static void
balise_position_layer_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BalisePositionLayer *self = BALISE_POSITION_LAYER (object);

  switch (prop_id)
    {
    case PROP_HAS_FIX:
      g_value_set_boolean (value, self->has_fix);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_position_layer_class_init (BalisePositionLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = balise_position_layer_constructed;
  object_class->get_property = balise_position_layer_get_property;

  widget_class->snapshot = balise_position_layer_snapshot;

  /**
   * BalisePositionLayer:has-fix:
   *
   * Whether a position is known and drawn.
   */
  properties[PROP_HAS_FIX] =
    g_param_spec_boolean ("has-fix", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
balise_position_layer_init (BalisePositionLayer *self)
{
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

BalisePositionLayer *
balise_position_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (BALISE_TYPE_POSITION_LAYER, "viewport", viewport, NULL);
}

void
balise_position_layer_set_fix (BalisePositionLayer *self,
                               double               latitude,
                               double               longitude,
                               double               accuracy_m)
{
  gboolean had_fix;

  g_return_if_fail (BALISE_IS_POSITION_LAYER (self));
  g_return_if_fail (latitude >= -90 && latitude <= 90);
  g_return_if_fail (longitude >= -180 && longitude <= 180);

  had_fix = self->has_fix;
  self->has_fix = TRUE;
  self->latitude = latitude;
  self->longitude = longitude;
  self->accuracy = isfinite (accuracy_m) && accuracy_m > 0 ? accuracy_m : 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (!had_fix)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_FIX]);
}

void
balise_position_layer_clear_fix (BalisePositionLayer *self)
{
  g_return_if_fail (BALISE_IS_POSITION_LAYER (self));

  if (!self->has_fix)
    return;

  self->has_fix = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_FIX]);
}

gboolean
balise_position_layer_get_has_fix (BalisePositionLayer *self)
{
  g_return_val_if_fail (BALISE_IS_POSITION_LAYER (self), FALSE);

  return self->has_fix;
}

double
balise_position_layer_get_drawn_radius (BalisePositionLayer *self)
{
  g_return_val_if_fail (BALISE_IS_POSITION_LAYER (self), 0);

  return self->drawn_radius;
}

gboolean
balise_position_layer_get_fix (BalisePositionLayer *self,
                               double              *latitude,
                               double              *longitude)
{
  g_return_val_if_fail (BALISE_IS_POSITION_LAYER (self), FALSE);

  if (self->has_fix)
    {
      *latitude = self->latitude;
      *longitude = self->longitude;
    }

  return self->has_fix;
}
