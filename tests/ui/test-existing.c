/* test-existing.c: what a volunteer does to a feature already on the map —
 * its panel, confirm, move, delete, edit, report, find — in the real
 * window under Xvfb, on the Monaco demo data, at a phone's and a
 * desktop's size
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#define G_LOG_DOMAIN "test-existing"

#include "config.h"

#include <glib/gstdio.h>

#include "balise-application.h"
#include "balise-choice-row.h"
#include "balise-delete-dialog.h"
#include "balise-feature-editor.h"
#include "balise-feature-layer.h"
#include "balise-feature-panel.h"
#include "balise-import.h"
#include "balise-move-mode.h"
#include "balise-preset-chooser.h"
#include "balise-preset-form.h"
#include "balise-record-dialog.h"
#include "balise-store-journal.h"
#include "balise-photo-strip.h"
#include "balise-store-notes.h"
#include "balise-store-photos.h"
#include "balise-store-query.h"
#include "balise-ui-test-utils.h"
#include "balise-window-private.h"

typedef struct
{
  int width;
  int height;
} Size;

static const Size phone = { 360, 720 };
static const Size desktop = { 1280, 800 };

typedef struct
{
  BaliseStore   *store;
  BaliseWindow  *window;
  BaliseFeature *stop;      /* a named bus stop of the demo, unedited */
  const Size    *size;
} Fixture;

static BaliseApplication *app;
static char **real_mime_dirs;
static char *template_dir;
static char *template_path;

/*
 * Waiting
 */

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
spin (guint ms)
{
  g_autoptr(GTimer) timer = g_timer_new ();

  while (g_timer_elapsed (timer, NULL) * 1000 < ms)
    g_main_context_iteration (NULL, FALSE);
}

/* For screenshots: BALISE_TEST_HOLD=NAME keeps the window as it is at the
 * step NAME for a while, for /work/shared/tools/screenshot to take it. */
static void
hold (const char *name)
{
  if (g_strcmp0 (g_getenv ("BALISE_TEST_HOLD"), name) == 0)
    balise_ui_test_wait (never, NULL, 20);
}

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
panel_shown (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_mapped (fixture->window->feature_panel) &&
         gtk_widget_get_width (fixture->window->feature_panel) > 0;
}

static gboolean
sized (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *overlay = GTK_WIDGET (fixture->window->map_overlay);

  /* The map is the window less its header bar; Xvfb's screen is
   * 1280×800, so the desktop window loses a few pixels to its edges. */
  return gtk_widget_get_width (overlay) >= fixture->size->width - 16 &&
         gtk_widget_get_height (overlay) >= fixture->size->height - 100;
}

typedef struct
{
  BaliseStore *store;
  guint        n;
} CountWait;

static gboolean
has_n_edits (gpointer data)
{
  CountWait *wait = data;
  g_autoptr(GPtrArray) edits = balise_store_list_edits (wait->store, 0, NULL);

  return edits != NULL && edits->len == wait->n;
}

static void
wait_for_edits (Fixture *fixture,
                guint    n)
{
  CountWait wait = { fixture->store, n };

  balise_ui_test_wait_until (has_n_edits, &wait, "the journal to hold the edit");
  /* The window hears of it in the main loop. */
  spin (100);
}

static BaliseEdit *
last_edit (Fixture *fixture)
{
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;

  edits = balise_store_list_edits (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, >, 0);
  return balise_edit_ref (g_ptr_array_index (edits, edits->len - 1));
}

static char *
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

/*
 * Fixture
 */

static BaliseFeaturePanel *
panel (Fixture *fixture)
{
  return BALISE_FEATURE_PANEL (fixture->window->feature_panel);
}

static void
clicked_cb (GtkWidget *button,
            gboolean  *clicked)
{
  *clicked = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* A tap, as a finger makes it: the button must be on screen and enabled.
 * GtkButton shows itself pressed for a moment before it emits "clicked". */
static void
tap (GtkWidget *button)
{
  gboolean clicked = FALSE;
  gulong handler;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));

  handler = g_signal_connect (button, GTK_IS_CHECK_BUTTON (button) ? "toggled" : "clicked",
                              G_CALLBACK (clicked_cb), &clicked);
  g_assert_true (gtk_widget_activate (button));
  balise_ui_test_wait_until (flag_set, &clicked, "the button to be clicked");
  g_signal_handler_disconnect (button, handler);
}

/* The first named bus stop of the demo that is a node with no edit, and
 * with a tag the bus stop form does not show when @with_other_tag. */
static BaliseFeature *
find_stop (BaliseStore *store,
           gboolean     with_other_tag)
{
  g_autoptr(GPtrArray) stops = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const form_keys[] = {
    "highway", "public_transport", "bus", "shelter", "bench", "bin", "lit", "tactile_paving",
    "wheelchair", "name", "ref", "local_ref", "route_ref", "departures_board", "check_date", NULL
  };

  stops = balise_store_query_near (store, BALISE_DEMO_LATITUDE, BALISE_DEMO_LONGITUDE, 3000.0,
                                   "bus_stop", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < stops->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (stops, i);
      gboolean other = FALSE;

      if (feature->osm_type != BALISE_OSM_NODE || feature->osm_id <= 0 || feature->name == NULL ||
          feature->status != BALISE_FEATURE_CLEAN || balise_tags_lookup (feature->tags, "bench"))
        continue;
      for (guint j = 0; j < balise_tags_get_size (feature->tags); j++)
        other |= !g_strv_contains (form_keys, balise_tags_get_key (feature->tags, j));
      if (other == with_other_tag)
        return balise_feature_ref (feature);
    }

  return NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  fixture->size = user_data;
  g_content_type_set_mime_dirs ((const char * const *) real_mime_dirs);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_settings_set_string (settings, "contributor-name", "Camille");

  /* A copy of the demo store imported once. */
  path = g_build_filename (g_get_user_data_dir (), "existing.sqlite", NULL);
  g_assert_true (g_file_get_contents (template_path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_no_error (error);
  fixture->store = balise_store_open (path, &error);
  g_assert_no_error (error);

  fixture->window = balise_window_new (app, fixture->store);
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), fixture->size->width, fixture->size->height);
  balise_window_center_on (fixture->window, BALISE_DEMO_LATITUDE, BALISE_DEMO_LONGITUDE, 17);
  gtk_window_present (GTK_WINDOW (fixture->window));
  balise_ui_test_wait_until (mapped, fixture->window, "the window to show");
  balise_ui_test_wait_until (sized, fixture, "the window to take its size");
  g_assert_true (balise_ui_test_wait ((gboolean (*) (gpointer)) balise_window_get_presets,
                                      fixture->window, BALISE_UI_TEST_WAIT_SECONDS));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Dialogs the test left open. */
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (window != GTK_WINDOW (fixture->window))
        gtk_window_destroy (window);
    }

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  spin (50);
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->stop, balise_feature_unref);
}

/* Centres the map on the stop, picks it where a tap would land (the map's
 * centre) and activates it, as a second tap does. */
static void
activate_stop (Fixture  *fixture,
               gboolean  with_other_tag)
{
  BaliseFeatureLayer *layer = fixture->window->feature_layer;
  g_autoptr(BaliseFeature) picked = NULL;

  if (fixture->stop == NULL)
    fixture->stop = find_stop (fixture->store, with_other_tag);
  g_assert_nonnull (fixture->stop);
  g_test_message ("bus stop node %" G_GINT64_FORMAT " v%" G_GINT64_FORMAT " “%s”",
                  fixture->stop->osm_id, fixture->stop->version, fixture->stop->name);

  balise_window_center_on (fixture->window, fixture->stop->lat, fixture->stop->lon, 19);
  spin (200);
  picked = balise_feature_layer_pick (layer, gtk_widget_get_width (GTK_WIDGET (layer)) / 2.0,
                                      gtk_widget_get_height (GTK_WIDGET (layer)) / 2.0);
  g_assert_nonnull (picked);
  g_assert_cmpint (picked->osm_id, ==, fixture->stop->osm_id);

  balise_feature_layer_set_selected (layer, picked);
  g_signal_emit_by_name (layer, "feature-activated", picked);
  balise_ui_test_wait_until (panel_shown, fixture, "the panel to show");
  spin (100);
}

/* The panel where the size says, and every button inside the window. */
static void
assert_panel_fits (Fixture *fixture)
{
  GtkWidget *overlay = GTK_WIDGET (fixture->window->map_overlay);
  GtkWidget *widget = fixture->window->feature_panel;
  static const char * const buttons[] = {
    "close", "confirm", "edit", "move", "edit-tags", "report", "delete"
  };
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, overlay, &bounds));
  if (fixture->size == &phone)
    {
      /* A sheet along the bottom, the whole width. */
      g_assert_true (balise_feature_panel_get_narrow (panel (fixture)));
      g_assert_cmpfloat (bounds.origin.x, ==, 0);
      g_assert_cmpfloat (bounds.size.width, ==, gtk_widget_get_width (overlay));
      g_assert_cmpfloat_with_epsilon (bounds.origin.y + bounds.size.height,
                                      gtk_widget_get_height (overlay), 0.5);
    }
  else
    {
      /* A card at the top left, the map beside it. */
      g_assert_false (balise_feature_panel_get_narrow (panel (fixture)));
      g_assert_cmpfloat (bounds.origin.x, ==, 12);
      g_assert_cmpfloat (bounds.origin.y, ==, 12);
      g_assert_cmpfloat (bounds.size.width, ==, 360);
    }

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkWidget *button = balise_feature_panel_get_button (panel (fixture), buttons[i]);
      graphene_rect_t b;

      g_assert_true (gtk_widget_get_mapped (button));
      g_assert_true (gtk_widget_compute_bounds (button, overlay, &b));
      g_assert_cmpfloat (b.origin.x, >=, 0);
      g_assert_cmpfloat (b.origin.y, >=, 0);
      g_assert_cmpfloat (b.origin.x + b.size.width, <=, gtk_widget_get_width (overlay) + 0.5);
      g_assert_cmpfloat (b.origin.y + b.size.height, <=, gtk_widget_get_height (overlay) + 0.5);
      g_assert_cmpint (gtk_widget_get_height (button), >=, 24);
    }
}

/* The selected feature is on the map and not under the panel. */
static void
assert_feature_in_view (Fixture *fixture)
{
  ShumateMap *map = shumate_simple_map_get_map (fixture->window->map);
  BaliseFeature *feature = balise_feature_panel_get_feature (panel (fixture));
  graphene_rect_t bounds;
  double x, y;

  g_assert_nonnull (feature);
  spin (100);
  shumate_viewport_location_to_widget_coords (shumate_map_get_viewport (map), GTK_WIDGET (map),
                                              feature->lat, feature->lon, &x, &y);
  g_assert_true (gtk_widget_compute_bounds (fixture->window->feature_panel, GTK_WIDGET (map), &bounds));
  g_test_message ("feature at %.0f,%.0f; panel %.0f,%.0f %.0f×%.0f", x, y, bounds.origin.x,
                  bounds.origin.y, bounds.size.width, bounds.size.height);
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (y, >, 0);
  g_assert_cmpfloat (x, <, gtk_widget_get_width (GTK_WIDGET (map)));
  g_assert_cmpfloat (y, <, gtk_widget_get_height (GTK_WIDGET (map)));
  g_assert_false (graphene_rect_contains_point (&bounds, &GRAPHENE_POINT_INIT (x, y)));
}

/*
 * Tests
 */

static gboolean
panel_says_modified (gpointer data)
{
  return g_strcmp0 (balise_feature_panel_get_status_text (panel (data)), "Modified") == 0;
}

static gboolean
panel_says_unchanged (gpointer data)
{
  return g_strcmp0 (balise_feature_panel_get_status_text (panel (data)), "Unchanged") == 0;
}

static void
test_panel (Fixture       *fixture,
            gconstpointer  user_data)
{
  activate_stop (fixture, FALSE);

  g_assert_cmpstr (balise_feature_panel_get_title (panel (fixture)), ==, fixture->stop->name);
  g_assert_cmpstr (balise_feature_panel_get_status_text (panel (fixture)), ==, "Unchanged");
  if (balise_tags_lookup (fixture->stop->tags, "check_date") == NULL)
    g_assert_cmpstr (balise_feature_panel_get_freshness (panel (fixture)), ==, "Never confirmed");
  assert_panel_fits (fixture);
  assert_feature_in_view (fixture);

  /* The keyboard is in the panel, on its first button. */
  g_assert_true (gtk_widget_has_focus (balise_feature_panel_get_button (panel (fixture), "confirm")) ||
                 gtk_widget_has_focus (balise_feature_panel_get_button (panel (fixture), "close")));
  hold ("panel");

  /* Escape lets it go. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "feature.close", NULL));
  g_assert_false (gtk_widget_get_visible (fixture->window->feature_panel));
  g_assert_null (balise_feature_layer_get_selected (fixture->window->feature_layer));
}

static void
test_confirm (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) edit = NULL;
  g_autofree char *date = today ();

  activate_stop (fixture, FALSE);
  tap (balise_feature_panel_get_button (panel (fixture), "confirm"));
  wait_for_edits (fixture, 1);

  edit = last_edit (fixture);
  g_assert_cmpint (edit->kind, ==, BALISE_EDIT_MODIFY);
  g_assert_cmpint (edit->osm_id, ==, fixture->stop->osm_id);
  g_assert_cmpint (edit->base_version, ==, fixture->stop->version);
  g_assert_cmpstr (edit->contributor, ==, "Camille");
  g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "check_date"), ==, date);
  g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "name"), ==, fixture->stop->name);

  /* The panel follows the store. */
  balise_ui_test_wait_until (panel_says_modified, fixture, "the panel to say Modified");
  g_assert_cmpstr (balise_feature_panel_get_freshness (panel (fixture)), ==, "Confirmed today");

  /* Undo takes it back, and the panel with it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL));
  balise_ui_test_wait_until (panel_says_unchanged, fixture, "the panel to say Unchanged after the undo");
  g_assert_cmpint (last_edit (fixture)->status, ==, BALISE_EDIT_STATUS_UNDONE);
}

static gboolean
panel_hidden (gpointer data)
{
  return !gtk_widget_get_visible (((Fixture *) data)->window->feature_panel);
}

static void
test_move (Fixture       *fixture,
           gconstpointer  user_data)
{
  BaliseMoveMode *mode;
  ShumateMap *map;
  g_autoptr(BaliseEdit) edit = NULL;
  double lat, lon;

  activate_stop (fixture, FALSE);
  tap (balise_feature_panel_get_button (panel (fixture), "move"));

  mode = BALISE_MOVE_MODE (fixture->window->move_mode);
  g_assert_true (balise_move_mode_get_active (mode));
  balise_ui_test_wait_until (mapped, fixture->window->move_mode, "the move bar to show");
  g_assert_true (gtk_widget_get_visible (fixture->window->move_pin));
  g_assert_true (panel_hidden (fixture));
  /* The map starts on the stop, under the pin. */
  balise_move_mode_get_position (mode, &lat, &lon);
  g_assert_cmpfloat_with_epsilon (lat, fixture->stop->lat, 1e-6);
  g_assert_cmpfloat_with_epsilon (lon, fixture->stop->lon, 1e-6);

  /* A drag of the map: about 11 m north, 8 m east. */
  map = shumate_simple_map_get_map (fixture->window->map);
  shumate_map_center_on (map, fixture->stop->lat + 0.0001, fixture->stop->lon + 0.0001);
  spin (100);
  g_assert_cmpfloat (balise_move_mode_get_distance (mode), >, 10);
  hold ("move");

  tap (balise_move_mode_get_button (mode, "done"));
  wait_for_edits (fixture, 1);
  edit = last_edit (fixture);
  g_assert_cmpint (edit->kind, ==, BALISE_EDIT_MODIFY);
  g_assert_cmpint (edit->osm_id, ==, fixture->stop->osm_id);
  g_assert_cmpint (edit->base_version, ==, fixture->stop->version);
  g_assert_cmpfloat_with_epsilon (edit->lat, fixture->stop->lat + 0.0001, 1e-7);
  g_assert_cmpfloat_with_epsilon (edit->lon, fixture->stop->lon + 0.0001, 1e-7);
  g_assert_true (balise_tags_equal (edit->new_tags, fixture->stop->tags));

  /* The panel is back, on the stop where it is now. */
  g_assert_false (balise_move_mode_get_active (mode));
  balise_ui_test_wait_until (panel_shown, fixture, "the panel to come back");
  g_assert_cmpfloat_with_epsilon (balise_feature_panel_get_feature (panel (fixture))->lat,
                                  fixture->stop->lat + 0.0001, 1e-7);
  g_assert_cmpfloat_with_epsilon (balise_feature_layer_get_selected (fixture->window->feature_layer)->lat,
                                  fixture->stop->lat + 0.0001, 1e-7);
}

static void
test_move_cancel (Fixture       *fixture,
                  gconstpointer  user_data)
{
  BaliseMoveMode *mode;

  activate_stop (fixture, FALSE);
  tap (balise_feature_panel_get_button (panel (fixture), "move"));
  mode = BALISE_MOVE_MODE (fixture->window->move_mode);
  shumate_map_center_on (shumate_simple_map_get_map (fixture->window->map),
                         fixture->stop->lat + 0.0002, fixture->stop->lon);
  tap (balise_move_mode_get_button (mode, "cancel"));
  g_assert_false (balise_move_mode_get_active (mode));
  balise_ui_test_wait_until (panel_shown, fixture, "the panel to come back");
  spin (300);
  g_assert_true (has_n_edits (&(CountWait) { fixture->store, 0 }));
}

static BaliseDeleteDialog *
find_delete_dialog (void)
{
  return balise_ui_test_find_toplevel (BALISE_TYPE_DELETE_DIALOG);
}

static gboolean
panel_says_deleted (gpointer data)
{
  return g_strcmp0 (balise_feature_panel_get_status_text (panel (data)), "Deleted") == 0;
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  user_data)
{
  BaliseDeleteDialog *dialog;
  g_autoptr(BaliseEdit) edit = NULL;

  activate_stop (fixture, FALSE);
  tap (balise_feature_panel_get_button (panel (fixture), "delete"));
  dialog = find_delete_dialog ();
  g_assert_nonnull (dialog);
  balise_ui_test_wait_until (mapped, dialog, "the delete dialog to show");
  hold ("delete");

  /* No reason, no delete: the button is off, and forcing it writes nothing. */
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "delete"));
  gtk_editable_set_text (GTK_EDITABLE (balise_delete_dialog_get_entry (dialog)), "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "delete"));
  g_signal_emit_by_name (dialog, "response", "delete");
  spin (300);
  g_assert_true (has_n_edits (&(CountWait) { fixture->store, 0 }));

  gtk_editable_set_text (GTK_EDITABLE (balise_delete_dialog_get_entry (dialog)),
                         "The stop was removed when the road was rebuilt");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "delete"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  wait_for_edits (fixture, 1);

  edit = last_edit (fixture);
  g_assert_cmpint (edit->kind, ==, BALISE_EDIT_DELETE);
  g_assert_cmpint (edit->osm_id, ==, fixture->stop->osm_id);
  g_assert_cmpint (edit->base_version, ==, fixture->stop->version);
  g_assert_cmpstr (edit->reason, ==, "The stop was removed when the road was rebuilt");

  /* Off the map, still in the panel, for Undo. */
  balise_ui_test_wait_until (panel_says_deleted, fixture, "the panel to say Deleted");
  g_assert_null (balise_feature_layer_get_selected (fixture->window->feature_layer));
  g_assert_false (gtk_widget_is_sensitive (balise_feature_panel_get_button (panel (fixture), "confirm")));
}

static BaliseFeatureEditor *
find_editor (void)
{
  return balise_ui_test_find_toplevel (BALISE_TYPE_FEATURE_EDITOR);
}

static gboolean
no_editor (gpointer data)
{
  return find_editor () == NULL;
}

static void
test_edit (Fixture       *fixture,
           gconstpointer  user_data)
{
  BaliseFeatureEditor *editor;
  BalisePresetForm *form;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(BaliseTags) expected = NULL;

  activate_stop (fixture, TRUE);
  tap (balise_feature_panel_get_button (panel (fixture), "edit"));
  editor = find_editor ();
  g_assert_nonnull (editor);
  balise_ui_test_wait_until (mapped, editor, "the form to show");
  form = balise_feature_editor_get_form (editor);
  g_assert_cmpstr (balise_preset_get_id (balise_preset_form_get_preset (form)), ==, "bus_stop");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (balise_preset_form_get_field_widget (form, "name"))),
                   ==, fixture->stop->name);

  tap (balise_preset_form_get_option_button (form, "bench", "yes"));
  /* Escape files it, as a new record's form does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL));
  balise_ui_test_wait_until (no_editor, NULL, "the form to close");
  wait_for_edits (fixture, 1);

  edit = last_edit (fixture);
  g_assert_cmpint (edit->kind, ==, BALISE_EDIT_MODIFY);
  g_assert_cmpint (edit->osm_id, ==, fixture->stop->osm_id);
  g_assert_cmpint (edit->base_version, ==, fixture->stop->version);
  g_assert_cmpstr (edit->preset, ==, "bus_stop");
  expected = balise_tags_copy (fixture->stop->tags);
  balise_tags_set (expected, "bench", "yes");
  /* The preset's own tags come with the form. */
  balise_tags_set (expected, "highway", "bus_stop");
  balise_tags_set (expected, "public_transport", "platform");
  balise_tags_set (expected, "bus", "yes");
  /* Every tag the form does not show is still there. */
  g_assert_true (balise_tags_equal (edit->new_tags, expected));
  balise_ui_test_wait_until (panel_says_modified, fixture, "the panel to say Modified");
}

static void
test_edit_cancel (Fixture       *fixture,
                  gconstpointer  user_data)
{
  BaliseFeatureEditor *editor;

  activate_stop (fixture, FALSE);
  tap (balise_feature_panel_get_button (panel (fixture), "edit"));
  editor = find_editor ();
  balise_ui_test_wait_until (mapped, editor, "the form to show");
  tap (balise_preset_form_get_option_button (balise_feature_editor_get_form (editor), "bench", "no"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "feature-editor.cancel", NULL));
  balise_ui_test_wait_until (no_editor, NULL, "the form to close");
  spin (300);
  g_assert_true (has_n_edits (&(CountWait) { fixture->store, 0 }));
}

static BaliseRecordDialog *
find_record_dialog (void)
{
  return balise_ui_test_find_toplevel (BALISE_TYPE_RECORD_DIALOG);
}

static gboolean
no_record_dialog (gpointer data)
{
  return find_record_dialog () == NULL;
}

static void
test_report (Fixture       *fixture,
             gconstpointer  user_data)
{
  BaliseRecordDialog *dialog;
  BalisePresetChooser *chooser;
  BalisePresetForm *form;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  BaliseNote *note;

  activate_stop (fixture, FALSE);
  tap (balise_feature_panel_get_button (panel (fixture), "report"));
  dialog = find_record_dialog ();
  g_assert_nonnull (dialog);
  balise_ui_test_wait_until (mapped, dialog, "the fault chooser to show");

  /* Faults only. */
  chooser = balise_record_dialog_get_chooser (dialog);
  g_assert_false (gtk_widget_get_visible (balise_preset_chooser_get_row (chooser, "bus_stop")));
  g_assert_true (gtk_widget_get_visible (balise_preset_chooser_get_row (chooser, "fault_shelter")));

  balise_record_dialog_choose_preset (dialog, "fault_shelter");
  form = balise_record_dialog_get_form (dialog);
  g_assert_nonnull (form);
  balise_ui_test_wait_until (mapped, form, "the fault form to show");
  tap (balise_preset_form_get_option_button (form, "danger", "yes"));
  tap (balise_record_dialog_get_button (dialog, "done"));
  balise_ui_test_wait_until (no_record_dialog, NULL, "the report to be filed");

  notes = balise_store_list_notes (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 1);
  note = g_ptr_array_index (notes, 0);
  g_assert_cmpint (note->element_type, ==, BALISE_OSM_NODE);
  g_assert_cmpint (note->element_id, ==, fixture->stop->osm_id);
  g_assert_cmpfloat_with_epsilon (note->lat, fixture->stop->lat, 1e-7);
  g_assert_cmpfloat_with_epsilon (note->lon, fixture->stop->lon, 1e-7);
  g_assert_cmpstr (note->contributor, ==, "Camille");
  link = g_strdup_printf ("/node/%" G_GINT64_FORMAT "\n", fixture->stop->osm_id);
  g_assert_nonnull (strstr (note->text, link));
}

static gboolean
photo_shown (gpointer data)
{
  GtkWidget *strip = balise_feature_panel_get_photo_strip (panel (data));

  return balise_photo_strip_get_n_photos (BALISE_PHOTO_STRIP (strip)) == 1 &&
         gtk_widget_get_mapped (strip);
}

/* The panel shows the photos of the feature's latest edit, and only those. */
static void
test_photos (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autofree char *photo = g_test_build_filename (G_TEST_DIST, "data", "photos", "bus-shelter.jpg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (photo);
  g_autoptr(BaliseEdit) confirmed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  GtkWidget *strip;

  fixture->stop = find_stop (fixture->store, FALSE);
  g_assert_nonnull (fixture->stop);

  /* A stop with no edit: no photos, no strip. */
  activate_stop (fixture, FALSE);
  strip = balise_feature_panel_get_photo_strip (panel (fixture));
  g_assert_false (gtk_widget_get_mapped (strip));
  g_assert_cmpuint (balise_photo_strip_get_n_photos (BALISE_PHOTO_STRIP (strip)), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "feature.close", NULL));

  /* Confirmed with a photo of its shelter. */
  confirmed = balise_store_confirm_element (fixture->store, fixture->stop->osm_type,
                                            fixture->stop->osm_id, "Camille", &error);
  g_assert_no_error (error);
  sha256 = balise_store_attach_photo (fixture->store, file, confirmed->uuid, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sha256);

  activate_stop (fixture, FALSE);
  balise_ui_test_wait_until (photo_shown, fixture, "the photo in the panel");
  g_assert_cmpstr (balise_photo_strip_get_sha256 (BALISE_PHOTO_STRIP (strip), 0), ==, sha256);
  /* Looking, not adding. */
  g_assert_false (balise_photo_strip_get_editable (BALISE_PHOTO_STRIP (strip)));
  assert_panel_fits (fixture);
}

static gboolean
record_dialog_shown (gpointer data)
{
  return find_record_dialog () != NULL && gtk_widget_get_mapped (GTK_WIDGET (find_record_dialog ()));
}

/* Adding: the new point goes to the map's centre (no GPS here), and the
 * toast that says it is saved offers to put it where it really is — the
 * move mode on the new point, with no tap added to the record itself. */
static void
test_adjust_new (Fixture       *fixture,
                 gconstpointer  user_data)
{
  BaliseRecordDialog *dialog;
  g_autoptr(BaliseEdit) created = NULL;
  g_autoptr(BaliseEdit) moved = NULL;
  BaliseMoveMode *mode;
  double lat, lon;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.record", NULL));
  balise_ui_test_wait_until (record_dialog_shown, NULL, "the record dialog");
  dialog = find_record_dialog ();
  balise_record_dialog_choose_preset (dialog, "bus_stop");
  if (g_strcmp0 (balise_record_dialog_get_page (dialog), "duplicate") == 0)
    tap (balise_record_dialog_get_button (dialog, "record-new"));
  g_assert_cmpstr (balise_record_dialog_get_page (dialog), ==, "form");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  balise_ui_test_wait_until (no_record_dialog, NULL, "the record to be filed");
  wait_for_edits (fixture, 1);

  created = last_edit (fixture);
  g_assert_cmpint (created->kind, ==, BALISE_EDIT_CREATE);
  g_assert_cmpint (created->osm_id, <, 0);
  balise_window_get_center (fixture->window, &lat, &lon);
  g_assert_cmpfloat_with_epsilon (created->lat, lat, 1e-6);

  /* What the toast's Adjust Position button does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "feature.adjust", "(sx)",
                                             "node", created->osm_id));
  mode = BALISE_MOVE_MODE (fixture->window->move_mode);
  g_assert_true (balise_move_mode_get_active (mode));
  balise_ui_test_wait_until (mapped, fixture->window->move_mode, "the move bar to show");
  shumate_map_center_on (shumate_simple_map_get_map (fixture->window->map),
                         created->lat - 0.00005, created->lon + 0.00005);
  spin (100);
  tap (balise_move_mode_get_button (mode, "done"));
  wait_for_edits (fixture, 2);

  /* Still one point to create, where the volunteer put it. */
  moved = last_edit (fixture);
  g_assert_cmpint (moved->kind, ==, BALISE_EDIT_CREATE);
  g_assert_cmpint (moved->osm_id, ==, created->osm_id);
  g_assert_cmpfloat_with_epsilon (moved->lat, created->lat - 0.00005, 1e-7);
  g_assert_cmpfloat_with_epsilon (moved->lon, created->lon + 0.00005, 1e-7);
  g_assert_true (balise_tags_equal (moved->new_tags, created->new_tags));
  g_assert_cmpuint (balise_store_count_pending (fixture->store), ==, 1);
  balise_ui_test_wait_until (panel_shown, fixture, "the panel of the new stop");
  g_assert_cmpstr (balise_feature_panel_get_status_text (panel (fixture)), ==, "New");
}

static gboolean
has_results (gpointer data)
{
  Fixture *fixture = data;
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (fixture->window->search_results, 0);

  return first != NULL && gtk_list_box_row_get_activatable (first) &&
         fixture->window->search_cancellable == NULL;
}

static void
test_search (Fixture       *fixture,
             gconstpointer  user_data)
{
  fixture->stop = find_stop (fixture->store, FALSE);
  g_assert_nonnull (fixture->stop);

  /* Ctrl+F, type the name, Enter: keyboard only. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (fixture->window->search_bar));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (fixture->window->search_entry)) ||
                 gtk_widget_is_focus (GTK_WIDGET (fixture->window->search_entry)) ||
                 gtk_widget_get_focus_child (GTK_WIDGET (fixture->window->search_entry)) != NULL);
  gtk_editable_set_text (GTK_EDITABLE (fixture->window->search_entry), fixture->stop->name);
  balise_ui_test_wait_until (has_results, fixture, "the search results");
  hold ("search");
  g_signal_emit_by_name (fixture->window->search_entry, "activate");

  balise_ui_test_wait_until (panel_shown, fixture, "the panel of the result");
  g_assert_false (gtk_search_bar_get_search_mode (fixture->window->search_bar));
  g_assert_cmpstr (balise_feature_panel_get_title (panel (fixture)), ==, fixture->stop->name);
  g_assert_nonnull (balise_feature_layer_get_selected (fixture->window->feature_layer));

  /* The map is on it, where the panel leaves it to be seen. */
  assert_panel_fits (fixture);
  assert_feature_in_view (fixture);
}

/* Freshness in words, from check_date. */
static void
test_check_date_words (void)
{
  static const struct { const char *value; const char *words; } cases[] = {
    { NULL, "Never confirmed" },
    { "2026-11-23", "Confirmed today" },
    { "2026-11-22", "Confirmed yesterday" },
    { "2026-11-03", "Confirmed 20 days ago" },
    { "2026-08-20", "Confirmed 3 months ago" },
    { "2026-08", "Confirmed 3 months ago" },
    { "2023-11-24", "Confirmed 2 years ago" },
    { "2027-01-01", "Confirmed on 2027-01-01, a date to come" },
    { "last week", "Confirmed on “last week”" },
  };
  GDate day;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 23, 11, 2026);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = balise_feature_panel_describe_check_date (cases[i].value, &day);

      g_assert_cmpstr (words, ==, cases[i].words);
    }
}

static void
make_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseStore) store = NULL;
  g_autofree char *extract = g_build_filename (SOURCE_DATADIR, "demo", "monaco-2016.osm.pbf", NULL);

  template_dir = g_dir_make_tmp ("balise-existing-XXXXXX", &error);
  g_assert_no_error (error);
  template_path = g_build_filename (template_dir, "demo.sqlite", NULL);
  store = balise_store_open (template_path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, extract, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
remove_template (void)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (template_path, suffixes[i], NULL);

      g_unlink (path);
    }
  g_rmdir (template_dir);
  g_clear_pointer (&template_path, g_free);
  g_clear_pointer (&template_dir, g_free);
}

static void
add_test (const char *name,
          void      (*func) (Fixture *, gconstpointer))
{
  g_autofree char *at_phone = g_strdup_printf ("/ui/existing/phone/%s", name);
  g_autofree char *at_desktop = g_strdup_printf ("/ui/existing/desktop/%s", name);

  g_test_add (at_phone, Fixture, &phone, fixture_set_up, func, fixture_tear_down);
  g_test_add (at_desktop, Fixture, &desktop, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  real_mime_dirs = g_strdupv ((char **) g_content_type_get_mime_dirs ());
  gtk_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* As on a phone (Phosh): the header bar has a close button only. No
   * blinking cursor: its timer, firing in a text field whose dialog is gone
   * or unfocused under a bare Xvfb, warns "GtkText - did not receive a
   * focus-out event", which the test log makes fatal. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", ":close",
                "gtk-cursor-blink", FALSE, NULL);

  app = balise_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  make_template ();

  g_test_add_func ("/ui/existing/check-date-words", test_check_date_words);
  add_test ("panel", test_panel);
  add_test ("confirm", test_confirm);
  add_test ("move", test_move);
  add_test ("move-cancel", test_move_cancel);
  add_test ("delete", test_delete);
  add_test ("edit", test_edit);
  add_test ("edit-cancel", test_edit_cancel);
  add_test ("report", test_report);
  add_test ("search", test_search);
  add_test ("adjust-new", test_adjust_new);
  add_test ("photos", test_photos);

  ret = g_test_run ();

  remove_template ();
  g_clear_object (&app);
  g_clear_pointer (&real_mime_dirs, g_strfreev);

  return ret;
}
