/* balise-window-position.c: the volunteer's position, from GeoClue
 *
 * The Locate button asks GeoClue for the position, shows it with its
 * accuracy and keeps the map on it as it moves. Without GeoClue (a build
 * without it, no location service, or no permission) the app works on, and
 * says why there is no position.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-window"

#include "config.h"

#include <glib/gi18n.h>

#ifdef HAVE_GEOCLUE
# include <geoclue.h>
#endif

#include "balise-window-private.h"

static void
position_unavailable (BaliseWindow *self,
                      const char   *reason)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_free (self->position_error);
  self->position_error = g_strdup (reason);
  balise_position_layer_clear_fix (self->position_layer);

  /* Translators: the reason follows, such as "no location service" */
  title = g_strdup_printf (_("Your position is unavailable: %s"), reason);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 6);
  balise_window_add_toast (self, toast);
}

#ifdef HAVE_GEOCLUE
static void
location_changed_cb (BaliseWindow *self,
                     GParamSpec   *pspec,
                     GClueSimple  *simple)
{
  GClueLocation *location = gclue_simple_get_location (simple);
  double lat, lon;

  if (location == NULL)
    return;

  lat = gclue_location_get_latitude (location);
  lon = gclue_location_get_longitude (location);
  balise_position_layer_set_fix (self->position_layer, lat, lon, gclue_location_get_accuracy (location));
  g_clear_pointer (&self->position_error, g_free);

  /* Following: the map stays on the volunteer as they walk. */
  shumate_map_center_on (shumate_simple_map_get_map (self->map), lat, lon);
}

static void
geoclue_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BaliseWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GClueSimple *simple = gclue_simple_new_finish (result, &error);

  g_clear_object (&self->locate_cancellable);

  if (simple == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        position_unavailable (self, error->message);
      return;
    }

  self->geoclue = G_OBJECT (simple);
  g_signal_connect_object (simple, "notify::location", G_CALLBACK (location_changed_cb), self,
                           G_CONNECT_SWAPPED);
  location_changed_cb (self, NULL, simple);
}
#endif

static void
locate_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BaliseWindow *self = BALISE_WINDOW (widget);

  if (balise_position_layer_get_has_fix (self->position_layer))
    {
      double lat, lon;

      balise_position_layer_get_fix (self->position_layer, &lat, &lon);
      shumate_map_center_on (shumate_simple_map_get_map (self->map), lat, lon);
      return;
    }

#ifdef HAVE_GEOCLUE
  if (self->geoclue != NULL || self->locate_cancellable != NULL)
    return;

  self->locate_cancellable = g_cancellable_new ();
  gclue_simple_new_with_thresholds (APP_ID, GCLUE_ACCURACY_LEVEL_EXACT, 0, 0,
                                    self->locate_cancellable, geoclue_ready_cb, g_object_ref (self));
#else
  position_unavailable (self, _("this build of Balise has no GeoClue support"));
#endif
}

void
_balise_window_setup_position (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));

  self->position_layer = balise_position_layer_new (shumate_simple_map_get_viewport (self->map));
  shumate_map_add_layer (shumate_simple_map_get_map (self->map), SHUMATE_LAYER (self->position_layer));
}

void
_balise_window_dispose_position (BaliseWindow *self)
{
  g_cancellable_cancel (self->locate_cancellable);
  g_clear_object (&self->locate_cancellable);
  g_clear_object (&self->geoclue);
  g_clear_pointer (&self->position_error, g_free);
}

/**
 * balise_window_get_position_error:
 * @self: a #BaliseWindow
 *
 * Returns: (nullable): why the position is unavailable, after Locate
 *   failed; %NULL otherwise
 */
const char *
balise_window_get_position_error (BaliseWindow *self)
{
  g_return_val_if_fail (BALISE_IS_WINDOW (self), NULL);

  return self->position_error;
}

BalisePositionLayer *
balise_window_get_position_layer (BaliseWindow *self)
{
  g_return_val_if_fail (BALISE_IS_WINDOW (self), NULL);

  return self->position_layer;
}

void
_balise_window_class_position_init (BaliseWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.locate", NULL, locate_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.locate", NULL);
}
