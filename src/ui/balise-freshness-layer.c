/* balise-freshness-layer.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-freshness-layer"

#include "config.h"

#include <string.h>

#include "balise-freshness-layer.h"

#define DOT_RADIUS      5.0
#define OUTLINE_WIDTH   1.5

struct _BaliseFreshnessLayer
{
  ShumateLayer  parent_instance;

  GArray       *stops;     /* BaliseStopCheck */
  guint         counts[BALISE_FRESHNESS_UNKNOWN + 1];
  guint         n_drawn;
};

G_DEFINE_FINAL_TYPE (BaliseFreshnessLayer, balise_freshness_layer, SHUMATE_TYPE_LAYER)

/* Blue for confirmed, orange for not seen for a year, grey for never: told
 * apart with the common colour-vision deficiencies too (GNOME palette). */
void
balise_freshness_get_color (BaliseFreshness  freshness,
                            GdkRGBA         *color)
{
  static const char * const colors[] = {
    [BALISE_FRESHNESS_RECENT]  = "#1a5fb4",   /* Blue 5 */
    [BALISE_FRESHNESS_AGING]   = "#62a0ea",   /* Blue 2 */
    [BALISE_FRESHNESS_STALE]   = "#e66100",   /* Orange 5 */
    [BALISE_FRESHNESS_UNKNOWN] = "#77767b",   /* Dark 1 */
  };

  g_return_if_fail (freshness <= BALISE_FRESHNESS_UNKNOWN);
  g_return_if_fail (color != NULL);

  gdk_rgba_parse (color, colors[freshness]);
}

static void
draw_dot (GtkSnapshot   *snapshot,
          double         x,
          double         y,
          const GdkRGBA *fill)
{
  static const GdkRGBA outline = { 1.0, 1.0, 1.0, 0.95 };
  GskRoundedRect outer, inner;
  double r = DOT_RADIUS + OUTLINE_WIDTH;

  gsk_rounded_rect_init_from_rect (&outer, &GRAPHENE_RECT_INIT (x - r, y - r, 2 * r, 2 * r), r);
  gsk_rounded_rect_init_from_rect (&inner,
                                   &GRAPHENE_RECT_INIT (x - DOT_RADIUS, y - DOT_RADIUS,
                                                        2 * DOT_RADIUS, 2 * DOT_RADIUS),
                                   DOT_RADIUS);

  gtk_snapshot_push_rounded_clip (snapshot, &outer);
  gtk_snapshot_append_color (snapshot, &outline, &outer.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_push_rounded_clip (snapshot, &inner);
  gtk_snapshot_append_color (snapshot, fill, &inner.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
balise_freshness_layer_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  BaliseFreshnessLayer *self = BALISE_FRESHNESS_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  /* The ones to act on last, so that they are on top. */
  static const BaliseFreshness order[] = {
    BALISE_FRESHNESS_RECENT, BALISE_FRESHNESS_AGING,
    BALISE_FRESHNESS_UNKNOWN, BALISE_FRESHNESS_STALE,
  };

  self->n_drawn = 0;
  if (self->stops == NULL || shumate_viewport_get_reference_map_source (viewport) == NULL)
    return;

  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    {
      GdkRGBA color;

      balise_freshness_get_color (order[o], &color);
      for (guint i = 0; i < self->stops->len; i++)
        {
          const BaliseStopCheck *stop = &g_array_index (self->stops, BaliseStopCheck, i);
          double x, y;

          if (stop->freshness != order[o])
            continue;

          shumate_viewport_location_to_widget_coords (viewport, widget, stop->lat, stop->lon, &x, &y);
          if (x < -DOT_RADIUS * 2 || y < -DOT_RADIUS * 2 ||
              x > width + DOT_RADIUS * 2 || y > height + DOT_RADIUS * 2)
            continue;

          draw_dot (snapshot, x, y, &color);
          self->n_drawn++;
        }
    }
}

static void
balise_freshness_layer_constructed (GObject *object)
{
  BaliseFreshnessLayer *self = BALISE_FRESHNESS_LAYER (object);

  G_OBJECT_CLASS (balise_freshness_layer_parent_class)->constructed (object);

  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

static void
balise_freshness_layer_finalize (GObject *object)
{
  BaliseFreshnessLayer *self = BALISE_FRESHNESS_LAYER (object);

  g_clear_pointer (&self->stops, g_array_unref);

  G_OBJECT_CLASS (balise_freshness_layer_parent_class)->finalize (object);
}

static void
balise_freshness_layer_class_init (BaliseFreshnessLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = balise_freshness_layer_constructed;
  object_class->finalize = balise_freshness_layer_finalize;

  widget_class->snapshot = balise_freshness_layer_snapshot;
}

static void
balise_freshness_layer_init (BaliseFreshnessLayer *self)
{
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

ShumateLayer *
balise_freshness_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (BALISE_TYPE_FRESHNESS_LAYER, "viewport", viewport, NULL);
}

void
balise_freshness_layer_set_stops (BaliseFreshnessLayer *self,
                                  GArray               *stops)
{
  g_return_if_fail (BALISE_IS_FRESHNESS_LAYER (self));

  g_clear_pointer (&self->stops, g_array_unref);
  memset (self->counts, 0, sizeof self->counts);

  if (stops != NULL)
    {
      self->stops = g_array_ref (stops);
      for (guint i = 0; i < stops->len; i++)
        self->counts[g_array_index (stops, BaliseStopCheck, i).freshness]++;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GArray *
balise_freshness_layer_get_stops (BaliseFreshnessLayer *self)
{
  g_return_val_if_fail (BALISE_IS_FRESHNESS_LAYER (self), NULL);

  return self->stops;
}

guint
balise_freshness_layer_get_count (BaliseFreshnessLayer *self,
                                  BaliseFreshness       freshness)
{
  g_return_val_if_fail (BALISE_IS_FRESHNESS_LAYER (self), 0);
  g_return_val_if_fail (freshness <= BALISE_FRESHNESS_UNKNOWN, 0);

  return self->counts[freshness];
}

guint
balise_freshness_layer_get_n_drawn (BaliseFreshnessLayer *self)
{
  g_return_val_if_fail (BALISE_IS_FRESHNESS_LAYER (self), 0);

  return self->n_drawn;
}
