/* balise-move-mode.c: putting a point somewhere else by moving the map under a pin
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-move-mode"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "balise-move-mode.h"

/* The pin stays at the centre of the map and the map moves under it, as
 * in a maps app: a drag with a finger, the mouse or the arrow keys, and
 * the finger never hides the point. The bar says how far it has gone and
 * ends the mode with Done or Cancel (Escape). The window shows the pin
 * while the mode is active (balise-window-feature.c). */

/* Close enough to place a bus stop on the right side of the street. */
#define MOVE_MIN_ZOOM   18.0
#define NUDGE_PX        8.0
#define NUDGE_FINE_PX   1.0

struct _BaliseMoveMode
{
  GtkWidget   parent_instance;

  /* Template widgets */
  GtkWidget  *box;
  GtkLabel   *title_label;
  GtkLabel   *distance_label;
  GtkButton  *cancel_button;
  GtkButton  *done_button;

  /* Owned references */
  ShumateMap *map;

  double      start_latitude;
  double      start_longitude;
  gulong      viewport_handler;
  gboolean    active;
};

G_DEFINE_FINAL_TYPE (BaliseMoveMode, balise_move_mode, GTK_TYPE_WIDGET)

enum {
  DONE,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static double
distance_m (double lat1,
            double lon1,
            double lat2,
            double lon2)
{
  const double r = 6371008.8;
  double phi1 = lat1 * G_PI / 180.0;
  double phi2 = lat2 * G_PI / 180.0;
  double dphi = (lat2 - lat1) * G_PI / 180.0;
  double dlambda = (lon2 - lon1) * G_PI / 180.0;
  double a = sin (dphi / 2) * sin (dphi / 2) +
             cos (phi1) * cos (phi2) * sin (dlambda / 2) * sin (dlambda / 2);

  return 2 * r * asin (MIN (1.0, sqrt (a)));
}

static void
update_distance (BaliseMoveMode *self)
{
  g_autofree char *text = NULL;
  double metres = balise_move_mode_get_distance (self);

  if (metres < 0.5)
    text = g_strdup (_("Not moved yet"));
  else
    /* Translators: how far the point is from where it was, in metres */
    text = g_strdup_printf (_("Moved %.0f m"), metres);
  gtk_label_set_label (self->distance_label, text);
}

static void
viewport_changed_cb (BaliseMoveMode *self)
{
  if (self->active)
    update_distance (self);
}

static void
nudge (BaliseMoveMode *self,
       double          dx,
       double          dy)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  GtkWidget *widget = GTK_WIDGET (self->map);
  double lat, lon;

  shumate_viewport_widget_coords_to_location (viewport, widget,
                                              gtk_widget_get_width (widget) / 2.0 + dx,
                                              gtk_widget_get_height (widget) / 2.0 + dy,
                                              &lat, &lon);
  shumate_map_center_on (self->map, lat, lon);
}

static gboolean
key_pressed_cb (BaliseMoveMode        *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  double step = (state & GDK_SHIFT_MASK) ? NUDGE_FINE_PX : NUDGE_PX;

  if (!self->active)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left: case GDK_KEY_KP_Left:
      nudge (self, -step, 0);
      return TRUE;
    case GDK_KEY_Right: case GDK_KEY_KP_Right:
      nudge (self, step, 0);
      return TRUE;
    case GDK_KEY_Up: case GDK_KEY_KP_Up:
      nudge (self, 0, -step);
      return TRUE;
    case GDK_KEY_Down: case GDK_KEY_KP_Down:
      nudge (self, 0, step);
      return TRUE;
    case GDK_KEY_Escape:
      balise_move_mode_finish (self, FALSE);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
balise_move_mode_cancel_clicked_cb (BaliseMoveMode *self)
{
  balise_move_mode_finish (self, FALSE);
}

static void
balise_move_mode_done_clicked_cb (BaliseMoveMode *self)
{
  balise_move_mode_finish (self, TRUE);
}

static void
balise_move_mode_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  BaliseMoveMode *self = BALISE_MOVE_MODE (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
balise_move_mode_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  BaliseMoveMode *self = BALISE_MOVE_MODE (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
}

static gboolean
balise_move_mode_grab_focus (GtkWidget *widget)
{
  BaliseMoveMode *self = BALISE_MOVE_MODE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
}

static void
balise_move_mode_dispose (GObject *object)
{
  BaliseMoveMode *self = (BaliseMoveMode *)object;

  if (self->map != NULL && self->viewport_handler != 0)
    g_clear_signal_handler (&self->viewport_handler, shumate_map_get_viewport (self->map));
  g_clear_object (&self->map);
  gtk_widget_dispose_template (GTK_WIDGET (self), BALISE_TYPE_MOVE_MODE);

  G_OBJECT_CLASS (balise_move_mode_parent_class)->dispose (object);
}

static void
balise_move_mode_class_init (BaliseMoveModeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_move_mode_dispose;

  widget_class->measure = balise_move_mode_measure;
  widget_class->size_allocate = balise_move_mode_size_allocate;
  widget_class->grab_focus = balise_move_mode_grab_focus;

  /**
   * BaliseMoveMode::done:
   * @self: the mode
   * @latitude: where the pin is
   * @longitude: where the pin is
   *
   * The volunteer put the pin where the point goes.
   */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  /**
   * BaliseMoveMode::cancelled:
   * @self: the mode
   *
   * The point stays where it was.
   */
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-move-mode.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseMoveMode, box);
  gtk_widget_class_bind_template_child (widget_class, BaliseMoveMode, title_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseMoveMode, distance_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseMoveMode, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseMoveMode, done_button);
  gtk_widget_class_bind_template_callback (widget_class, balise_move_mode_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, balise_move_mode_done_clicked_cb);
}

static void
balise_move_mode_init (BaliseMoveMode *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Before the buttons, which would move the focus on arrows. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

GtkWidget *
balise_move_mode_new (ShumateMap *map)
{
  BaliseMoveMode *self;

  g_return_val_if_fail (SHUMATE_IS_MAP (map), NULL);

  self = g_object_new (BALISE_TYPE_MOVE_MODE, NULL);
  self->map = g_object_ref (map);
  self->viewport_handler = g_signal_connect_object (shumate_map_get_viewport (map), "notify",
                                                    G_CALLBACK (viewport_changed_cb), self,
                                                    G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

void
balise_move_mode_start (BaliseMoveMode *self,
                        const char     *title,
                        double          latitude,
                        double          longitude)
{
  ShumateViewport *viewport;

  g_return_if_fail (BALISE_IS_MOVE_MODE (self));

  viewport = shumate_map_get_viewport (self->map);
  self->start_latitude = latitude;
  self->start_longitude = longitude;
  self->active = TRUE;

  gtk_label_set_label (self->title_label, title);
  if (shumate_viewport_get_zoom_level (viewport) < MOVE_MIN_ZOOM)
    shumate_viewport_set_zoom_level (viewport, MOVE_MIN_ZOOM);
  shumate_map_center_on (self->map, latitude, longitude);
  update_distance (self);
}

gboolean
balise_move_mode_get_active (BaliseMoveMode *self)
{
  g_return_val_if_fail (BALISE_IS_MOVE_MODE (self), FALSE);

  return self->active;
}

void
balise_move_mode_get_position (BaliseMoveMode *self,
                               double         *latitude,
                               double         *longitude)
{
  ShumateLocation *location;

  g_return_if_fail (BALISE_IS_MOVE_MODE (self));

  location = SHUMATE_LOCATION (shumate_map_get_viewport (self->map));
  if (latitude != NULL)
    *latitude = shumate_location_get_latitude (location);
  if (longitude != NULL)
    *longitude = shumate_location_get_longitude (location);
}

double
balise_move_mode_get_distance (BaliseMoveMode *self)
{
  double lat, lon;

  g_return_val_if_fail (BALISE_IS_MOVE_MODE (self), 0);

  balise_move_mode_get_position (self, &lat, &lon);
  return distance_m (self->start_latitude, self->start_longitude, lat, lon);
}

void
balise_move_mode_finish (BaliseMoveMode *self,
                         gboolean        done)
{
  double lat, lon;

  g_return_if_fail (BALISE_IS_MOVE_MODE (self));

  if (!self->active)
    return;

  self->active = FALSE;
  if (done)
    {
      balise_move_mode_get_position (self, &lat, &lon);
      g_signal_emit (self, signals[DONE], 0, lat, lon);
    }
  else
    {
      g_signal_emit (self, signals[CANCELLED], 0);
    }
}

/* Returns: (transfer none) (nullable): "done" or "cancel", for tests */
GtkWidget *
balise_move_mode_get_button (BaliseMoveMode *self,
                             const char     *name)
{
  g_return_val_if_fail (BALISE_IS_MOVE_MODE (self), NULL);

  if (g_strcmp0 (name, "done") == 0)
    return GTK_WIDGET (self->done_button);
  if (g_strcmp0 (name, "cancel") == 0)
    return GTK_WIDGET (self->cancel_button);
  return NULL;
}
