/* balise-window.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-window"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-application.h"
#include "balise-feature-layer.h"
#include "balise-window-private.h"

G_DEFINE_FINAL_TYPE (BaliseWindow, balise_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PENDING_COUNT,
  PROP_BASEMAP,
  PROP_SYNCING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SYNC_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
balise_window_update_pending (BaliseWindow *self)
{
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;
  GtkWidget *labels[2];
  guint count;

  g_assert (BALISE_IS_WINDOW (self));

  count = balise_store_count_pending (self->store);

  /* Translators: the number of edits not uploaded yet, shown in the header bar */
  text = g_strdup_printf (ngettext ("%u pending", "%u pending", count), count);
  number = g_strdup_printf ("%u", count);

  gtk_label_set_label (self->pending_label, text);
  gtk_label_set_label (self->pending_short_label, number);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pending_short_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);

  labels[0] = GTK_WIDGET (self->pending_label);
  labels[1] = GTK_WIDGET (self->pending_short_label);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      if (count > 0)
        gtk_widget_add_css_class (labels[i], "has-pending");
      else
        gtk_widget_remove_css_class (labels[i], "has-pending");
    }

  /* Let screen readers hear the count with the button it belongs to. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);

  if (count != self->pending_count)
    {
      self->pending_count = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_COUNT]);
    }
}

static void
balise_window_store_changed_cb (BaliseWindow *self,
                                BaliseStore  *store)
{
  g_assert (BALISE_IS_WINDOW (self));
  g_assert (BALISE_IS_STORE (store));

  balise_window_update_pending (self);
  _balise_window_undo_update (self);
}

/* Undo follows the history of whoever is named in the preferences. */
static void
balise_window_contributor_changed_cb (BaliseWindow *self,
                                      const char   *key,
                                      GSettings    *settings)
{
  _balise_window_undo_update (self);
}

static void
balise_window_restore_state (BaliseWindow *self)
{
  int width;
  int height;

  g_assert (BALISE_IS_WINDOW (self));

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  balise_window_center_on (self,
                           g_settings_get_double (self->settings, "last-latitude"),
                           g_settings_get_double (self->settings, "last-longitude"),
                           g_settings_get_double (self->settings, "last-zoom"));
}

static void
balise_window_save_state (BaliseWindow *self)
{
  ShumateViewport *viewport;
  gboolean maximized;
  int width;
  int height;

  g_assert (BALISE_IS_WINDOW (self));

  maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  g_settings_set_boolean (self->settings, "window-maximized", maximized);

  /* The default size follows the window, except while it is maximized. */
  if (!maximized)
    {
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  viewport = shumate_simple_map_get_viewport (self->map);
  g_settings_set_double (self->settings, "last-latitude",
                         shumate_location_get_latitude (SHUMATE_LOCATION (viewport)));
  g_settings_set_double (self->settings, "last-longitude",
                         shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
  g_settings_set_double (self->settings, "last-zoom",
                         shumate_viewport_get_zoom_level (viewport));
}

static gboolean
balise_window_close_request (GtkWindow *window)
{
  BaliseWindow *self = BALISE_WINDOW (window);

  balise_window_save_state (self);

  return GTK_WINDOW_CLASS (balise_window_parent_class)->close_request (window);
}

static void
balise_window_constructed (GObject *object)
{
  BaliseWindow *self = (BaliseWindow *)object;
  g_autofree char *basename = NULL;

  G_OBJECT_CLASS (balise_window_parent_class)->constructed (object);

  g_assert (BALISE_IS_STORE (self->store));

  basename = g_path_get_basename (balise_store_get_path (self->store));
  adw_window_title_set_subtitle (self->window_title, basename);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title),
                               balise_store_get_path (self->store));

  g_signal_connect_object (self->store,
                           "changed",
                           G_CALLBACK (balise_window_store_changed_cb),
                           self,
                           G_CONNECT_SWAPPED);

  _balise_window_setup_basemap (self);
  _balise_window_undo_update (self);
  g_signal_connect_object (self->settings, "changed::contributor-name",
                           G_CALLBACK (balise_window_contributor_changed_cb), self,
                           G_CONNECT_SWAPPED);
  self->feature_layer = balise_feature_layer_new (shumate_simple_map_get_viewport (self->map),
                                                  self->store);
  shumate_map_add_layer (shumate_simple_map_get_map (self->map), SHUMATE_LAYER (self->feature_layer));
  _balise_window_setup_feature (self);
  _balise_window_setup_search (self);
  _balise_window_setup_position (self);
  balise_window_restore_state (self);
  balise_window_update_pending (self);
  _balise_window_setup_review (self);
  _balise_window_actions_update (self);
  _balise_window_record_setup (self);
  _balise_window_setup_auto_sync (self);
}

static void
balise_window_dispose (GObject *object)
{
  BaliseWindow *self = (BaliseWindow *)object;

  _balise_window_cancel_sync (self);
  _balise_window_dispose_auto_sync (self);
  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_clear_object (&self->map_source);
  g_clear_pointer (&self->basemap, g_free);
  _balise_window_dispose_position (self);
  _balise_window_dispose_search (self);
  _balise_window_dispose_feature (self);
  g_clear_object (&self->presets);

  G_OBJECT_CLASS (balise_window_parent_class)->dispose (object);
}

static void
balise_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BaliseWindow *self = BALISE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_PENDING_COUNT:
      g_value_set_uint (value, self->pending_count);
      break;

    case PROP_BASEMAP:
      g_value_set_string (value, self->basemap);
      break;

    case PROP_SYNCING:
      g_value_set_boolean (value, balise_window_get_syncing (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BaliseWindow *self = BALISE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_BASEMAP:
      balise_window_set_basemap (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_window_class_init (BaliseWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = balise_window_constructed;
  object_class->dispose = balise_window_dispose;
  object_class->get_property = balise_window_get_property;
  object_class->set_property = balise_window_set_property;

  window_class->close_request = balise_window_close_request;

  /**
   * BaliseWindow:store:
   *
   * The database the window shows and edits.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BALISE_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * BaliseWindow:pending-count:
   *
   * How many edits of the store wait to be uploaded.
   */
  properties[PROP_PENDING_COUNT] =
    g_param_spec_uint ("pending-count", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * BaliseWindow:basemap:
   *
   * The map under the features: "online" (OpenStreetMap's tiles), "local"
   * (drawn from the store) or "file" (an MBTiles file).
   */
  properties[PROP_BASEMAP] =
    g_param_spec_string ("basemap", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * BaliseWindow:syncing:
   *
   * Whether a sync runs, or is being prepared: balise_window_get_syncing().
   */
  properties[PROP_SYNCING] =
    g_param_spec_boolean ("syncing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BaliseWindow::sync-finished:
   * @self: the window
   * @summary: what the sync did, in plain words ("2 bus stops added"), or
   *   why it stopped
   *
   * A sync started from this window ended, as its toast says.
   */
  signals[SYNC_FINISHED] =
    g_signal_new ("sync-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (SHUMATE_TYPE_SIMPLE_MAP);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, pending_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, pending_short_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, sync_stack);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, cancel_sync_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, map);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, import_revealer);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, import_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, import_progress);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, map_overlay);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, crosshair);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, move_pin);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, map_search_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, search_revealer);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, search_results);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, auto_sync_revealer);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, auto_sync_label);

  _balise_window_class_actions_init (klass);
  _balise_window_class_import_init (klass);
  _balise_window_class_basemap_init (klass);
  _balise_window_class_undo_init (klass);
  _balise_window_class_review_init (klass);
  _balise_window_class_position_init (klass);
  _balise_window_class_record_init (klass);
  _balise_window_class_feature_init (klass);
  _balise_window_class_search_init (klass);
}

static void
balise_window_init (BaliseWindow *self)
{
  /* Until the map is set up: the menu's property action needs a state. */
  self->basemap = g_strdup ("local");
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.balise.Balise");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-import", FALSE);

  if (g_str_has_suffix (APP_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

/**
 * balise_window_new:
 * @app: the application
 * @store: the opened database to show
 *
 * Returns: (transfer full): a new window on @store
 */
BaliseWindow *
balise_window_new (BaliseApplication *app,
                   BaliseStore       *store)
{
  g_return_val_if_fail (BALISE_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);

  return g_object_new (BALISE_TYPE_WINDOW,
                       "application", app,
                       "store", store,
                       NULL);
}

/**
 * balise_window_get_store:
 * @self: a #BaliseWindow
 *
 * Returns: (transfer none): the store of the window
 */
BaliseStore *
balise_window_get_store (BaliseWindow *self)
{
  g_return_val_if_fail (BALISE_IS_WINDOW (self), NULL);

  return self->store;
}

/**
 * balise_window_get_pending_count:
 * @self: a #BaliseWindow
 *
 * Returns: the number of edits shown as waiting for upload
 */
guint
balise_window_get_pending_count (BaliseWindow *self)
{
  g_return_val_if_fail (BALISE_IS_WINDOW (self), 0);

  return self->pending_count;
}

/**
 * balise_window_get_pending_label:
 * @self: a #BaliseWindow
 *
 * Returns: (transfer none): the label of the header bar that shows the count
 */
GtkWidget *
balise_window_get_pending_label (BaliseWindow *self)
{
  g_return_val_if_fail (BALISE_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->pending_label);
}

void
_balise_window_notify_syncing (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
}

void
_balise_window_emit_sync_finished (BaliseWindow *self,
                                   const char   *summary)
{
  g_assert (BALISE_IS_WINDOW (self));

  g_signal_emit (self, signals[SYNC_FINISHED], 0, summary);
}

/**
 * balise_window_get_syncing:
 * @self: a #BaliseWindow
 *
 * Returns: whether a sync runs, started from this window, or is being
 *   prepared (what the composer shows is being read)
 */
gboolean
balise_window_get_syncing (BaliseWindow *self)
{
  g_return_val_if_fail (BALISE_IS_WINDOW (self), FALSE);

  return self->sync_cancellable != NULL || self->preparing_upload;
}

/**
 * balise_window_get_auto_sync_controller:
 * @self: a #BaliseWindow
 *
 * Returns: (transfer none) (nullable): what starts syncs by itself when
 *   online, and the status it shows over the map
 */
BaliseAutoSyncController *
balise_window_get_auto_sync_controller (BaliseWindow *self)
{
  g_return_val_if_fail (BALISE_IS_WINDOW (self), NULL);

  return self->auto_sync;
}

/**
 * balise_window_get_center:
 * @self: a #BaliseWindow
 * @latitude: (out) (optional): the latitude of the map's centre
 * @longitude: (out) (optional): the longitude of the map's centre
 *
 * Gets where new features go: the centre of the map, under the crosshair.
 */
void
balise_window_get_center (BaliseWindow *self,
                          double       *latitude,
                          double       *longitude)
{
  ShumateLocation *location;

  g_return_if_fail (BALISE_IS_WINDOW (self));

  location = SHUMATE_LOCATION (shumate_simple_map_get_viewport (self->map));

  if (latitude != NULL)
    *latitude = shumate_location_get_latitude (location);

  if (longitude != NULL)
    *longitude = shumate_location_get_longitude (location);
}

void
balise_window_center_on (BaliseWindow *self,
                         double        latitude,
                         double        longitude,
                         double        zoom)
{
  ShumateViewport *viewport;

  g_return_if_fail (BALISE_IS_WINDOW (self));

  viewport = shumate_simple_map_get_viewport (self->map);
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_map_center_on (shumate_simple_map_get_map (self->map), latitude, longitude);
}

/**
 * balise_window_add_toast:
 * @self: a #BaliseWindow
 * @toast: (transfer full): the toast to show over the map
 */
void
balise_window_add_toast (BaliseWindow *self,
                         AdwToast     *toast)
{
  g_return_if_fail (BALISE_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
