/* balise-window-feature.c: a feature on the map — its panel, and confirm,
 * edit, move, delete, report
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-window-feature"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-delete-dialog.h"
#include "balise-feature-editor.h"
#include "balise-feature-panel.h"
#include "balise-move-mode.h"
#include "balise-record-dialog.h"
#include "balise-store-journal.h"
#include "balise-tag-editor.h"
#include "balise-window-private.h"

/* A tap on a feature selects it and the panel shows it: a sheet along the
 * bottom on a phone, a card at the top left on a desktop, switched by the
 * width of the map (libadwaita 1.2 has no breakpoints). The panel follows
 * the store: after an edit, an undo or a redo it shows the feature's
 * effective state, and it closes when the feature is gone (an undone
 * create). Every change goes through the store's writer thread. */

/* Below this width of the map, the panel is a bottom sheet. */
#define PANEL_WIDE_MIN_WIDTH 600
#define PANEL_CARD_WIDTH     360
#define PANEL_MARGIN         12
/* The sheet leaves the top of the map visible. */
#define PANEL_SHEET_MAX_FRACTION 0.6
#define MOVE_BAR_WIDTH       400

static gboolean set_narrow_cb (gpointer user_data);

static char *
feature_contributor (BaliseWindow *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "contributor-name");

  g_strstrip (name);
  if (name[0] == '\0')
    {
      /* Every change carries who made it: ask once, then do it again. */
      gtk_window_present (GTK_WINDOW (balise_window_ask_contributor (self)));
      return NULL;
    }

  return g_steal_pointer (&name);
}

static BaliseFeature *
shown_feature (BaliseWindow *self)
{
  return balise_feature_panel_get_feature (BALISE_FEATURE_PANEL (self->feature_panel));
}

/* “Casino” or “Bus stop”: the feature in a message. */
static char *
describe_feature (BaliseWindow  *self,
                  BaliseFeature *feature)
{
  BalisePreset *preset = NULL;

  if (feature->name != NULL && *feature->name != '\0')
    return g_strdup_printf ("“%s”", feature->name);

  if (self->presets != NULL && feature->tags != NULL)
    preset = balise_preset_catalogue_match_element (self->presets, feature->tags);
  if (preset != NULL)
    return g_strdup (balise_preset_get_name (preset));

  return g_strdup (_("The feature"));
}

static void
update_actions (BaliseWindow *self)
{
  BaliseFeature *feature = shown_feature (self);
  gboolean shown = feature != NULL && gtk_widget_get_visible (self->feature_panel);
  gboolean moving = balise_move_mode_get_active (BALISE_MOVE_MODE (self->move_mode));
  gboolean live = shown && !moving && feature->status != BALISE_FEATURE_DELETED;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "feature.close", shown && !moving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "feature.confirm", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "feature.edit", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "feature.edit-tags", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "feature.move", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "feature.delete", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "feature.report",
                                 shown && !moving && self->presets != NULL);
}

/* On a phone the sheet covers the bottom of the map: when the feature is
 * under it, the map moves up to put it in the middle of what is left. */
static void
keep_in_view (BaliseWindow  *self,
              BaliseFeature *feature)
{
  ShumateMap *map = shumate_simple_map_get_map (self->map);
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  int width = gtk_widget_get_width (GTK_WIDGET (map));
  int height = gtk_widget_get_height (GTK_WIDGET (map));
  int nat_height, sheet, visible;
  double x, y, lat, lon;

  if (!self->panel_narrow || width <= 0 || height <= 0 ||
      shumate_viewport_get_reference_map_source (viewport) == NULL)
    return;

  gtk_widget_measure (self->feature_panel, GTK_ORIENTATION_VERTICAL, width, NULL, &nat_height,
                      NULL, NULL);
  sheet = MIN (nat_height, (int) (height * PANEL_SHEET_MAX_FRACTION));
  visible = height - sheet;

  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (map), feature->lat, feature->lon,
                                              &x, &y);
  g_debug ("Feature at %.0f,%.0f; %d px above the sheet", x, y, visible);
  if (y >= PANEL_MARGIN * 3 && y <= visible - PANEL_MARGIN * 3)
    return;

  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (map), width / 2.0,
                                              height / 2.0 + (y - visible / 2.0), &lat, &lon);
  shumate_map_center_on (map, lat, lon);
}

/* Shows @feature's effective state, read again from the store; hides the
 * panel when there is nothing (left) to show. */
static void
show_feature (BaliseWindow  *self,
              BaliseFeature *selected)
{
  g_autoptr(BaliseFeature) fresh = NULL;
  g_autoptr(GError) error = NULL;
  gboolean opening;

  if (selected != NULL)
    {
      fresh = balise_store_get_feature (self->store, selected->osm_type, selected->osm_id, &error);
      if (fresh == NULL && !g_error_matches (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND))
        {
          g_warning ("Could not read the selected feature: %s", error->message);
          fresh = balise_feature_ref (selected);
        }
    }

  balise_feature_panel_set_feature (BALISE_FEATURE_PANEL (self->feature_panel), fresh);

  /* Styled for the width the map has now; allocations follow it later. */
  opening = fresh != NULL && !gtk_widget_get_visible (self->feature_panel);
  if (opening && gtk_widget_get_width (GTK_WIDGET (self->map_overlay)) > 0)
    {
      self->panel_narrow = gtk_widget_get_width (GTK_WIDGET (self->map_overlay)) < PANEL_WIDE_MIN_WIDTH;
      g_clear_handle_id (&self->panel_narrow_source, g_source_remove);
      set_narrow_cb (self);
    }

  gtk_widget_set_visible (self->feature_panel,
                          fresh != NULL &&
                          !balise_move_mode_get_active (BALISE_MOVE_MODE (self->move_mode)));
  if (opening && gtk_widget_get_visible (self->feature_panel) &&
      fresh->status != BALISE_FEATURE_DELETED)
    keep_in_view (self, fresh);

  /* The layer draws the selection where the feature is now; a deleted
   * one is no longer on the map, though the panel keeps it for Undo. */
  self->syncing_selection = TRUE;
  if (fresh == NULL || fresh->status == BALISE_FEATURE_DELETED)
    balise_feature_layer_set_selected (self->feature_layer, NULL);
  else
    balise_feature_layer_set_selected (self->feature_layer, fresh);
  self->syncing_selection = FALSE;

  update_actions (self);
}

static void
selected_changed_cb (BaliseWindow       *self,
                     GParamSpec         *pspec,
                     BaliseFeatureLayer *layer)
{
  BaliseFeature *selected = balise_feature_layer_get_selected (layer);

  /* While a feature is being moved, a tap on another changes nothing. */
  if (self->syncing_selection || self->moving != NULL)
    return;

  /* A deleted feature stays in the panel, for Undo, until another is chosen. */
  if (selected == NULL && shown_feature (self) != NULL &&
      shown_feature (self)->status == BALISE_FEATURE_DELETED &&
      gtk_widget_get_visible (self->feature_panel))
    return;

  show_feature (self, selected);
}

static void
focus_panel (BaliseWindow *self)
{
  if (gtk_widget_get_visible (self->feature_panel))
    gtk_widget_child_focus (self->feature_panel, GTK_DIR_TAB_FORWARD);
}

static void
feature_activated_cb (BaliseWindow       *self,
                      BaliseFeature      *feature,
                      BaliseFeatureLayer *layer)
{
  show_feature (self, feature);
  focus_panel (self);
}

static void
store_changed_cb (BaliseWindow *self)
{
  BaliseFeature *feature = shown_feature (self);

  if (feature != NULL)
    {
      g_autoptr(BaliseFeature) keep = balise_feature_ref (feature);

      show_feature (self, keep);
    }
}

/*
 * Where the panel goes
 */

static gboolean
set_narrow_cb (gpointer user_data)
{
  BaliseWindow *self = user_data;

  self->panel_narrow_source = 0;
  balise_feature_panel_set_narrow (BALISE_FEATURE_PANEL (self->feature_panel), self->panel_narrow);
  /* A phone's header bar has no room for Search: it goes over the map. */
  gtk_widget_set_visible (GTK_WIDGET (self->search_button), !self->panel_narrow);
  gtk_widget_set_visible (self->map_search_button, self->panel_narrow);
  if (self->panel_narrow)
    gtk_widget_add_css_class (self->move_mode, "bottom-sheet");
  else
    gtk_widget_remove_css_class (self->move_mode, "bottom-sheet");

  return G_SOURCE_REMOVE;
}

static gboolean
get_child_position_cb (BaliseWindow  *self,
                       GtkWidget     *child,
                       GdkRectangle  *allocation,
                       GtkOverlay    *overlay)
{
  int width = gtk_widget_get_width (GTK_WIDGET (overlay));
  int height = gtk_widget_get_height (GTK_WIDGET (overlay));
  gboolean narrow = width < PANEL_WIDE_MIN_WIDTH;
  int min_height, nat_height;

  /* Every child of the overlay comes here: the crosshair always is. */
  if (narrow != self->panel_narrow)
    {
      /* Not while allocating: the style classes change the sizes. */
      self->panel_narrow = narrow;
      if (self->panel_narrow_source == 0)
        self->panel_narrow_source = g_idle_add (set_narrow_cb, self);
    }

  if (child != self->feature_panel && child != self->move_mode)
    return FALSE;

  if (child == self->feature_panel)
    {
      allocation->width = narrow ? width : MIN (PANEL_CARD_WIDTH, width - 2 * PANEL_MARGIN);
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, allocation->width,
                          &min_height, &nat_height, NULL, NULL);
      if (narrow)
        {
          allocation->height = MAX (min_height, MIN (nat_height, (int) (height * PANEL_SHEET_MAX_FRACTION)));
          allocation->x = 0;
          allocation->y = height - allocation->height;
        }
      else
        {
          allocation->height = MAX (min_height, MIN (nat_height, height - 2 * PANEL_MARGIN));
          allocation->x = PANEL_MARGIN;
          allocation->y = PANEL_MARGIN;
        }
      return TRUE;
    }

  /* The move bar, at the bottom: the whole width of a phone. */
  allocation->width = narrow ? width : MIN (MOVE_BAR_WIDTH, width - 2 * PANEL_MARGIN);
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, allocation->width,
                      &min_height, &nat_height, NULL, NULL);
  allocation->height = MIN (nat_height, height);
  allocation->x = narrow ? 0 : (width - allocation->width) / 2;
  allocation->y = height - allocation->height - (narrow ? 0 : PANEL_MARGIN);
  return TRUE;
}

/*
 * Changes
 */

typedef struct
{
  BaliseWindow *self;
  char         *done_message;
} ChangeData;

static void
change_data_free (ChangeData *data)
{
  g_clear_object (&data->self);
  g_free (data->done_message);
  g_free (data);
}

static void
changed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ChangeData *data = user_data;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  edit = balise_store_change_element_finish (BALISE_STORE (object), result, &error);
  if (edit == NULL)
    {
      g_autofree char *message = NULL;

      g_warning ("Could not record the change: %s", error->message);
      /* Translators: %s is the reason, from the database */
      message = g_strdup_printf (_("Not saved: %s"), error->message);
      balise_window_add_toast (data->self, adw_toast_new (message));
      change_data_free (data);
      return;
    }

  toast = adw_toast_new (data->done_message);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo");
  balise_window_add_toast (data->self, toast);
  change_data_free (data);
}

/* Records @change (its contributor is set here) and says @done_message. */
static void
record_change (BaliseWindow *self,
               BaliseChange *change,
               const char   *done_message)
{
  ChangeData *data = g_new0 (ChangeData, 1);

  data->self = g_object_ref (self);
  data->done_message = g_strdup (done_message);
  balise_store_change_element_async (self->store, change, NULL, changed_cb, data);
}

static BaliseChange *
new_change (BaliseWindow     *self,
            BaliseChangeKind  kind,
            BaliseFeature    *feature)
{
  g_autofree char *contributor = feature_contributor (self);

  if (contributor == NULL)
    return NULL;

  return balise_change_new (kind, feature->osm_type, feature->osm_id, contributor);
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);
  BaliseFeature *feature = shown_feature (self);
  g_autoptr(BaliseChange) change = NULL;
  g_autofree char *what = NULL;
  g_autofree char *message = NULL;

  if (feature == NULL || !(change = new_change (self, BALISE_CHANGE_CONFIRM, feature)))
    return;

  what = describe_feature (self, feature);
  /* Translators: %s is the feature, like “Casino” */
  message = g_strdup_printf (_("%s confirmed as seen today"), what);
  record_change (self, change, message);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);

  self->syncing_selection = TRUE;
  balise_feature_layer_set_selected (self->feature_layer, NULL);
  self->syncing_selection = FALSE;
  show_feature (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->feature_layer));
}

/* Move */

static void
end_move_mode (BaliseWindow *self)
{
  g_autoptr(BaliseFeature) moved = g_steal_pointer (&self->moving);

  /* The panel shows the moved feature, whatever was tapped meanwhile. */
  self->syncing_selection = TRUE;
  balise_feature_layer_set_selected (self->feature_layer, moved);
  self->syncing_selection = FALSE;
  balise_feature_panel_set_feature (BALISE_FEATURE_PANEL (self->feature_panel), moved);
  gtk_widget_set_visible (self->move_mode, FALSE);
  gtk_widget_set_visible (self->move_pin, FALSE);
  gtk_widget_set_visible (self->crosshair, TRUE);
  gtk_widget_set_visible (self->feature_panel, shown_feature (self) != NULL);
  update_actions (self);
  focus_panel (self);
}

static void
move_done_cb (BaliseWindow   *self,
              double          latitude,
              double          longitude,
              BaliseMoveMode *mode)
{
  g_autoptr(BaliseFeature) feature = self->moving ? balise_feature_ref (self->moving) : NULL;
  g_autoptr(BaliseChange) change = NULL;
  g_autofree char *what = NULL;
  g_autofree char *message = NULL;

  end_move_mode (self);

  if (feature == NULL || balise_move_mode_get_distance (mode) < 0.05 ||
      !(change = new_change (self, BALISE_CHANGE_MOVE, feature)))
    return;

  change->lat = latitude;
  change->lon = longitude;
  what = describe_feature (self, feature);
  /* Translators: %s is the feature, like “Casino”, then a distance in metres */
  message = g_strdup_printf (_("%s moved %.0f m"), what, balise_move_mode_get_distance (mode));
  record_change (self, change, message);
}

static void
move_cancelled_cb (BaliseWindow   *self,
                   BaliseMoveMode *mode)
{
  end_move_mode (self);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);
  BaliseFeature *feature = shown_feature (self);
  g_autofree char *what = NULL;
  g_autofree char *title = NULL;

  if (feature == NULL)
    return;

  what = describe_feature (self, feature);
  /* Translators: %s is the feature, like “Casino” */
  title = g_strdup_printf (_("Move %s"), what);

  g_clear_pointer (&self->moving, balise_feature_unref);
  self->moving = balise_feature_ref (feature);
  gtk_widget_set_visible (self->feature_panel, FALSE);
  gtk_widget_set_visible (self->crosshair, FALSE);
  gtk_widget_set_visible (self->move_pin, TRUE);
  gtk_widget_set_visible (self->move_mode, TRUE);
  balise_move_mode_start (BALISE_MOVE_MODE (self->move_mode), title, feature->lat, feature->lon);
  update_actions (self);
  gtk_widget_grab_focus (self->move_mode);
}

/* A point just recorded, from the toast that says it is saved. */
static void
adjust_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);
  g_autoptr(BaliseFeature) feature = NULL;
  g_autoptr(GError) error = NULL;
  BaliseOsmType osm_type = BALISE_OSM_NODE;
  const char *type;
  gint64 osm_id;

  g_variant_get (param, "(&sx)", &type, &osm_id);
  if (!balise_osm_type_from_string (type, &osm_type) ||
      !(feature = balise_store_get_feature (self->store, osm_type, osm_id, &error)))
    {
      /* Undone since, or uploaded under its new id. */
      g_debug ("Nothing to adjust: %s", error ? error->message : type);
      return;
    }

  if (balise_move_mode_get_active (BALISE_MOVE_MODE (self->move_mode)) ||
      feature->status == BALISE_FEATURE_DELETED)
    return;

  _balise_window_select_feature (self, feature, FALSE);
  move_action (widget, "feature.move", NULL);
}

/* Delete */

static void
delete_response_cb (BaliseWindow       *self,
                    const char         *response,
                    BaliseDeleteDialog *dialog)
{
  BaliseFeature *feature = shown_feature (self);
  g_autoptr(BaliseChange) change = NULL;
  g_autofree char *what = NULL;
  g_autofree char *message = NULL;
  g_autofree char *reason = balise_delete_dialog_get_reason (dialog);

  if (!g_str_equal (response, "delete") || feature == NULL || reason[0] == '\0' ||
      !(change = new_change (self, BALISE_CHANGE_DELETE, feature)))
    return;

  change->reason = g_steal_pointer (&reason);
  what = describe_feature (self, feature);
  /* Translators: %s is the feature, like “Casino” */
  message = g_strdup_printf (_("%s deleted"), what);
  record_change (self, change, message);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);
  BaliseFeature *feature = shown_feature (self);
  g_autofree char *what = NULL;
  GtkWidget *dialog;

  if (feature == NULL)
    return;

  what = describe_feature (self, feature);
  dialog = balise_delete_dialog_new (GTK_WINDOW (self), what);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Edit, Edit Tags, Report */

static void
edited_cb (BaliseWindow *self,
           BaliseEdit   *edit)
{
  AdwToast *toast = adw_toast_new (_("Change saved"));

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo");
  balise_window_add_toast (self, toast);
}

static void
present_dialog (BaliseWindow *self,
                GtkWidget    *dialog)
{
  int width, height;

  /* On a phone a dialog takes the whole screen, as the window does. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && width < PANEL_WIDE_MIN_WIDTH)
    gtk_window_set_default_size (GTK_WINDOW (dialog), width, height);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
edit_tags_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);
  BaliseFeature *feature = shown_feature (self);
  g_autofree char *contributor = NULL;
  GtkWidget *editor;

  if (feature == NULL || !(contributor = feature_contributor (self)))
    return;

  editor = balise_tag_editor_new_for_feature (GTK_WINDOW (self), self->store, feature, contributor);
  g_signal_connect_object (editor, "saved", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  present_dialog (self, editor);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);
  BaliseFeature *feature = shown_feature (self);
  g_autofree char *contributor = NULL;
  BalisePreset *preset = NULL;
  GtkWidget *editor;

  if (feature == NULL)
    return;

  if (self->presets != NULL && feature->tags != NULL)
    preset = balise_preset_catalogue_match_element (self->presets, feature->tags);

  /* No form for what no preset knows: its tags, as they are. */
  if (preset == NULL || balise_preset_get_kind (preset) != BALISE_PRESET_ELEMENT)
    {
      edit_tags_action (widget, action_name, param);
      return;
    }

  if (!(contributor = feature_contributor (self)))
    return;

  editor = balise_feature_editor_new (GTK_WINDOW (self), self->store, preset, feature, contributor);
  g_signal_connect_object (editor, "saved", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  present_dialog (self, editor);
}

static void
reported_cb (BaliseWindow *self,
             const char   *what)
{
  g_autofree char *message = NULL;

  /* Translators: %s is the kind of problem, like “Pothole” */
  message = g_strdup_printf (_("%s reported"), what);
  balise_window_add_toast (self, adw_toast_new (message));
}

static void
report_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);
  BaliseFeature *feature = shown_feature (self);
  g_autofree char *contributor = NULL;
  BaliseRecordDialog *dialog;

  if (feature == NULL || self->presets == NULL || !(contributor = feature_contributor (self)))
    return;

  dialog = balise_record_dialog_new_report (GTK_WINDOW (self), self->store, self->presets,
                                            feature, contributor);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (reported_cb), self, G_CONNECT_SWAPPED);
  present_dialog (self, GTK_WIDGET (dialog));
}

/*
 * Setup
 */

void
_balise_window_feature_presets_loaded (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));

  balise_feature_panel_set_catalogue (BALISE_FEATURE_PANEL (self->feature_panel), self->presets);
  update_actions (self);
}

void
_balise_window_setup_feature (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));

  self->feature_panel = balise_feature_panel_new (self->store);
  gtk_widget_set_visible (self->feature_panel, FALSE);
  gtk_overlay_add_overlay (self->map_overlay, self->feature_panel);

  self->move_mode = balise_move_mode_new (shumate_simple_map_get_map (self->map));
  gtk_widget_set_visible (self->move_mode, FALSE);
  gtk_overlay_add_overlay (self->map_overlay, self->move_mode);
  g_signal_connect_object (self->move_mode, "done", G_CALLBACK (move_done_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->move_mode, "cancelled", G_CALLBACK (move_cancelled_cb), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (self->map_overlay, "get-child-position",
                           G_CALLBACK (get_child_position_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->feature_layer, "notify::selected",
                           G_CALLBACK (selected_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->feature_layer, "feature-activated",
                           G_CALLBACK (feature_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* Narrow until the map says otherwise: the header bar fits a phone. */
  self->panel_narrow = TRUE;
  set_narrow_cb (self);
  update_actions (self);
}

void
_balise_window_dispose_feature (BaliseWindow *self)
{
  g_clear_handle_id (&self->panel_narrow_source, g_source_remove);
  g_clear_pointer (&self->moving, balise_feature_unref);
}

void
_balise_window_class_feature_init (BaliseWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "feature.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "feature.confirm", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "feature.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "feature.edit-tags", NULL, edit_tags_action);
  gtk_widget_class_install_action (widget_class, "feature.move", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "feature.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "feature.report", NULL, report_action);
  gtk_widget_class_install_action (widget_class, "feature.adjust", "(sx)", adjust_action);

  /* Escape anywhere in the window lets the feature go, unless something
   * inside (a search, the move bar) takes it first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "feature.close", NULL);
}

/**
 * _balise_window_select_feature:
 * @self: a #BaliseWindow
 * @feature: the feature to select
 * @focus_panel: whether the keyboard goes to the panel
 *
 * Centres the map on @feature, selects it and shows its panel: what a
 * search result does.
 */
void
_balise_window_select_feature (BaliseWindow  *self,
                               BaliseFeature *feature,
                               gboolean       focus)
{
  ShumateViewport *viewport;

  g_assert (BALISE_IS_WINDOW (self));
  g_assert (feature != NULL);

  viewport = shumate_simple_map_get_viewport (self->map);
  balise_window_center_on (self, feature->lat, feature->lon,
                           MAX (shumate_viewport_get_zoom_level (viewport), 17.0));
  self->syncing_selection = TRUE;
  balise_feature_layer_set_selected (self->feature_layer, feature);
  self->syncing_selection = FALSE;
  show_feature (self, feature);
  if (focus)
    focus_panel (self);
}
