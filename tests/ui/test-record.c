/* test-record.c: recording with presets, in the real window under Xvfb
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#define G_LOG_DOMAIN "test-record"

#include "config.h"

#include <glib/gstdio.h>

#include "balise-application.h"
#include "balise-choice-row.h"
#include "balise-import.h"
#include "balise-preset-chooser.h"
#include "balise-preset-form.h"
#include "balise-record-dialog.h"
#include "balise-store-drafts.h"
#include "balise-store-query.h"
#include "balise-window.h"
#include "balise-ui-test-utils.h"
#include "balise-note.h"
#include "balise-store-notes.h"


/* A phone's screen, in portrait. */
#define PHONE_WIDTH  360
#define PHONE_HEIGHT 720

typedef struct
{
  BaliseStore  *store;
  BaliseWindow *window;
  guint         clicks;
} Fixture;

static BaliseApplication *app;
static char **real_mime_dirs;

static BaliseRecordDialog *
find_record_dialog (void)
{
  return balise_ui_test_find_toplevel (BALISE_TYPE_RECORD_DIALOG);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  return balise_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
no_record_dialog (gpointer data)
{
  return find_record_dialog () == NULL;
}

static gboolean
can_record (gpointer data)
{
  return balise_window_get_presets (data) != NULL;
}

static gboolean
dialog_idle (gpointer data)
{
  return !balise_record_dialog_is_busy (data);
}

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
is_phone_sized (gpointer data)
{
  GtkWidget *content = gtk_widget_get_first_child (data);
  int min_width;

  /* The header bar may ask for more than a phone has: then the window is
   * as narrow as it can be, and the test says so. */
  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);

  return gtk_widget_get_width (content) == MAX (PHONE_WIDTH, min_width) &&
         gtk_widget_get_height (content) == PHONE_HEIGHT;
}

static gboolean
allocated (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static gboolean
pending_count_is_one (gpointer data)
{
  return balise_window_get_pending_count (data) == 1;
}

static gboolean
pending_count_is_two (gpointer data)
{
  return balise_window_get_pending_count (data) == 2;
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

/* A tap on a button, counted: the number the volunteer's finger makes.
 * GtkButton shows itself pressed for a moment before it emits "clicked". */
static void
click (Fixture   *fixture,
       GtkWidget *button)
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

  fixture->clicks++;
}

static BaliseRecordDialog *
open_record_dialog (Fixture *fixture)
{
  BaliseRecordDialog *dialog;

  balise_ui_test_wait_until (can_record, fixture->window, "the presets to load");
  g_assert_null (find_record_dialog ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.record", NULL));

  dialog = find_record_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  balise_ui_test_wait_until (allocated, dialog, "the dialog to show");
  g_assert_cmpstr (balise_record_dialog_get_page (dialog), ==, "chooser");

  return dialog;
}

static BalisePresetForm *
choose (BaliseRecordDialog *dialog,
        const char         *id)
{
  BalisePresetForm *form;

  balise_record_dialog_choose_preset (dialog, id);
  g_assert_cmpstr (balise_record_dialog_get_page (dialog), ==, "form");
  form = balise_record_dialog_get_form (dialog);
  g_assert_nonnull (form);
  g_assert_cmpstr (balise_preset_get_id (balise_preset_form_get_preset (form)), ==, id);
  balise_ui_test_wait_until (mapped, form, "the form to show");
  balise_ui_test_wait_until (dialog_idle, dialog, "the draft to be written");

  return form;
}

/* Escape, as the volunteer would press it: the binding closes the window. */
static void
close_with_escape (BaliseRecordDialog *dialog)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
}

static BaliseEdit *
only_edit (Fixture *fixture)
{
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;

  edits = balise_store_list_edits (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 1);

  return balise_edit_ref (g_ptr_array_index (edits, 0));
}

static void
assert_tags (BaliseTags *tags,
             const char *expected_json)
{
  g_autofree char *json = balise_tags_to_json (tags);

  g_assert_cmpstr (json, ==, expected_json);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_content_type_set_mime_dirs ((const char * const *)real_mime_dirs);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  path = g_build_filename (g_get_user_data_dir (), "test.sqlite", NULL);

  fixture->store = balise_store_open (path, &error);
  g_assert_no_error (error);

  if (user_data != NULL)
    {
      /* The demo extract: real OSM elements to find near, and to edit. */
      g_autofree char *extract = g_build_filename (SOURCE_DATADIR, "demo", "monaco-2016.osm.pbf", NULL);

      g_assert_true (balise_store_import_file (fixture->store, extract, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  fixture->window = balise_window_new (app, fixture->store);
  g_object_ref_sink (fixture->window);
  /* The window's own area is the phone's screen: the decorations' margins
   * that Xvfb gets come on top. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), PHONE_WIDTH, PHONE_HEIGHT);
  gtk_widget_set_size_request (gtk_widget_get_first_child (GTK_WIDGET (fixture->window)), PHONE_WIDTH, PHONE_HEIGHT);
  balise_window_center_on (fixture->window, BALISE_DEMO_LATITUDE, BALISE_DEMO_LONGITUDE, BALISE_DEMO_ZOOM);
  gtk_window_present (GTK_WINDOW (fixture->window));
  balise_ui_test_wait_until (mapped, fixture->window, "the window to show");

  balise_ui_test_spin ();
  balise_ui_test_wait_until (is_phone_sized, fixture->window, "the window to be a phone's screen");
  balise_ui_test_spin ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  BaliseRecordDialog *dialog;
  AdwMessageDialog *message;

  if ((message = find_message_dialog ()))
    gtk_window_destroy (GTK_WINDOW (message));
  if ((dialog = find_record_dialog ()))
    gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  balise_ui_test_spin ();

  g_clear_object (&fixture->window);
  g_clear_object (&fixture->store);
}

/* The measure: a bus stop with its six checklist answers in at most
 * six taps once the preset is chosen, on a phone, and the journal holds
 * exactly those tags — after each tap, not only once the form closes. */
static void
test_bus_stop_six_clicks (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autoptr(BaliseEdit) draft = NULL;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *preset = NULL;
  g_auto(GStrv) recent = NULL;
  BaliseRecordDialog *dialog;
  BalisePresetForm *form;
  struct {
    const char *key;
    const char *value;
  } answers[] = {
    { "shelter", "yes" },
    { "bench", "no" },
    { "bin", "yes" },
    { "lit", "yes" },
    { "tactile_paving", "no" },
    { "wheelchair", "limited" },
  };
  const char *expected =
    "{\"bench\":\"no\",\"bin\":\"yes\",\"bus\":\"yes\",\"highway\":\"bus_stop\",\"lit\":\"yes\","
    "\"public_transport\":\"platform\",\"shelter\":\"yes\",\"tactile_paving\":\"no\","
    "\"wheelchair\":\"limited\"}";
  double latitude;
  double longitude;
  int window_width;

  g_settings_set_string (settings, "contributor-name", "Amélie");
  window_width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
  if (window_width > PHONE_WIDTH)
    g_test_message ("The main window cannot be narrower than %d px: its header bar is too wide for a phone",
                    window_width);

  dialog = open_record_dialog (fixture);
  /* On the phone the dialog takes the screen, as the window does. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), ==, window_width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (dialog)), ==, PHONE_HEIGHT);

  form = choose (dialog, "bus_stop");

  fixture->clicks = 0;
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      click (fixture, balise_preset_form_get_option_button (form, answers[i].key, answers[i].value));
      balise_ui_test_wait_until (dialog_idle, dialog, "the answer to be written");
    }
  g_assert_cmpuint (fixture->clicks, <=, 6);
  g_test_message ("bus stop with 6 answers: %u clicks after choosing the preset", fixture->clicks);

  /* Already in the journal, as a draft, with exactly those tags. */
  draft = only_edit (fixture);
  g_assert_cmpstr (draft->uuid, ==, balise_record_dialog_get_draft_uuid (dialog));
  g_assert_cmpint (draft->status, ==, BALISE_EDIT_STATUS_DRAFT);
  assert_tags (draft->new_tags, expected);
  g_assert_cmpuint (balise_window_get_pending_count (fixture->window), ==, 0);

  /* Escape files it: no Save to forget. */
  close_with_escape (dialog);
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");
  balise_ui_test_wait_until (pending_count_is_one, fixture->window, "the pending count to become 1");

  edit = only_edit (fixture);
  g_assert_cmpstr (edit->uuid, ==, draft->uuid);
  g_assert_cmpint (edit->kind, ==, BALISE_EDIT_CREATE);
  g_assert_cmpint (edit->osm_type, ==, BALISE_OSM_NODE);
  g_assert_cmpint (edit->osm_id, <, 0);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_PENDING);
  g_assert_cmpstr (edit->contributor, ==, "Amélie");
  assert_tags (edit->new_tags, expected);

  /* At the map's centre: there is no GPS fix. */
  g_assert_false (balise_window_get_record_position (fixture->window, &latitude, &longitude));
  g_assert_cmpfloat_with_epsilon (edit->lat, latitude, 1e-7);
  g_assert_cmpfloat_with_epsilon (edit->lon, longitude, 1e-7);
  g_assert_cmpfloat_with_epsilon (edit->lat, BALISE_DEMO_LATITUDE, 1e-6);

  preset = balise_store_get_edit_preset (fixture->store, edit->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (preset, ==, "bus_stop");

  recent = g_settings_get_strv (settings, "recent-presets");
  g_assert_cmpstr (recent[0], ==, "bus_stop");

  g_settings_reset (settings, "contributor-name");
  g_settings_reset (settings, "recent-presets");
}

static gboolean
has_result (gpointer data)
{
  return balise_preset_chooser_get_first_result (data) != NULL;
}

static gboolean
error_label_shown (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_label_get_label (data)[0] != '\0';
}

/* A resource found by typing, a wrong opening_hours shown under its field
 * (the dialog stays, the draft keeps the right answers), then fixed. */
static void
test_resource_with_search (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *expected = NULL;
  BaliseRecordDialog *dialog;
  BalisePresetChooser *chooser;
  BalisePresetForm *form;
  GtkWidget *hours;
  GtkWidget *error_label;

  dialog = open_record_dialog (fixture);
  chooser = balise_record_dialog_get_chooser (dialog);

  /* "toil" and Enter. */
  gtk_editable_set_text (GTK_EDITABLE (balise_preset_chooser_get_search_entry (chooser)), "toil");
  balise_ui_test_wait_until (has_result, chooser, "the search results");
  g_signal_emit_by_name (balise_preset_chooser_get_search_entry (chooser), "activate");
  g_assert_cmpstr (balise_record_dialog_get_page (dialog), ==, "form");
  form = balise_record_dialog_get_form (dialog);
  g_assert_cmpstr (balise_preset_get_id (balise_preset_form_get_preset (form)), ==, "toilets");
  balise_ui_test_wait_until (dialog_idle, dialog, "the draft to be written");

  click (fixture, balise_preset_form_get_option_button (form, "fee", "no"));
  click (fixture, balise_preset_form_get_option_button (form, "wheelchair", "yes"));
  hours = balise_preset_form_get_field_widget (form, "opening_hours");
  gtk_editable_set_text (GTK_EDITABLE (hours), "Mo-Fr 8-18");

  close_with_escape (dialog);
  error_label = balise_preset_form_get_error_label (form, "opening_hours");
  balise_ui_test_wait_until (error_label_shown, error_label, "the opening hours error");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "expected a time like 08:00"));
  g_assert_true (gtk_widget_has_css_class (hours, "error"));
  g_assert_true (find_record_dialog () == dialog);
  balise_ui_test_wait_until (dialog_idle, dialog, "the answers to be written");

  /* Nothing lost: the right answers are in the draft, the wrong one is
   * still in its field. */
  edit = only_edit (fixture);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_DRAFT);
  assert_tags (edit->new_tags, "{\"amenity\":\"toilets\",\"fee\":\"no\",\"wheelchair\":\"yes\"}");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (hours)), ==, "Mo-Fr 8-18");
  g_clear_pointer (&edit, balise_edit_unref);

  /* Fixing it clears the message at once. */
  gtk_editable_set_text (GTK_EDITABLE (hours), "Mo-Fr 08:00-18:00; Sa 09:00-12:00");
  g_assert_false (gtk_widget_has_css_class (hours, "error"));
  click (fixture, balise_preset_form_get_option_button (form, "check_date", "today"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (balise_preset_form_get_field_widget (form, "check_date"))), ==, today);

  click (fixture, balise_record_dialog_get_button (dialog, "done"));
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");
  balise_ui_test_wait_until (pending_count_is_one, fixture->window, "the pending count to become 1");

  edit = only_edit (fixture);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_PENDING);
  expected = g_strdup_printf ("{\"amenity\":\"toilets\",\"check_date\":\"%s\",\"fee\":\"no\","
                              "\"opening_hours\":\"Mo-Fr 08:00-18:00; Sa 09:00-12:00\",\"wheelchair\":\"yes\"}",
                              today);
  assert_tags (edit->new_tags, expected);
}

/* A fault becomes a note, with its text written for mappers. */
static void
test_fault (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  BaliseRecordDialog *dialog;
  BalisePresetForm *form;
  BaliseNote *note;

  dialog = open_record_dialog (fixture);
  form = choose (dialog, "fault_pothole");
  g_assert_null (balise_record_dialog_get_draft_uuid (dialog));

  adw_combo_row_set_selected (ADW_COMBO_ROW (balise_preset_form_get_field_widget (form, "size")), 3);
  click (fixture, balise_preset_form_get_option_button (form, "danger", "yes"));
  gtk_editable_set_text (GTK_EDITABLE (balise_preset_form_get_field_widget (form, "description")),
                         "Right in front of the school gate");

  click (fixture, balise_record_dialog_get_button (dialog, "done"));
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");

  notes = balise_store_list_notes (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 1);
  note = g_ptr_array_index (notes, 0);
  g_assert_cmpstr (note->category, ==, "pothole");
  g_assert_cmpstr (note->preset, ==, "fault_pothole");
  g_assert_cmpfloat_with_epsilon (note->lat, BALISE_DEMO_LATITUDE, 1e-6);
  g_assert_cmpfloat_with_epsilon (note->lon, BALISE_DEMO_LONGITUDE, 1e-6);
  g_assert_cmpstr (note->text, ==,
                   "Pothole\n"
                   "Size: Bigger than a wheel\n"
                   "Dangerous: Yes\n"
                   "What You See: Right in front of the school gate\n"
                   "Recorded on the spot with Balise");

  /* No tags, no edit. */
  edits = balise_store_list_edits (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 0);
}

static gboolean
nearby_shown (gpointer data)
{
  return gtk_widget_get_mapped (balise_record_dialog_get_nearby_label (data));
}

/* Something of the same kind a few steps away: most likely the same one. */
static void
test_duplicate_of_local_record (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) earlier = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(GError) error = NULL;
  BaliseRecordDialog *dialog;
  BalisePresetForm *form;
  double latitude;
  double longitude;

  balise_window_get_record_position (fixture->window, &latitude, &longitude);

  /* Recorded earlier, 11 m north, not uploaded yet. */
  earlier->lat = latitude + 0.0001;
  earlier->lon = longitude;
  earlier->status = BALISE_EDIT_STATUS_PENDING;
  earlier->new_tags = balise_tags_new ();
  balise_tags_set (earlier->new_tags, "highway", "bus_stop");
  balise_tags_set (earlier->new_tags, "name", "Place d'Armes");
  g_assert_true (balise_store_add_edit (fixture->store, earlier, &error));
  g_assert_no_error (error);
  balise_ui_test_wait_until (pending_count_is_one, fixture->window, "the earlier record to count");

  dialog = open_record_dialog (fixture);
  balise_record_dialog_choose_preset (dialog, "bus_stop");
  g_assert_cmpstr (balise_record_dialog_get_page (dialog), ==, "duplicate");
  /* It has no version on the server to edit: only a new one is offered. */
  g_assert_false (gtk_widget_get_visible (balise_record_dialog_get_button (dialog, "edit-existing")));
  click (fixture, balise_record_dialog_get_button (dialog, "record-new"));
  g_assert_cmpstr (balise_record_dialog_get_page (dialog), ==, "form");
  form = balise_record_dialog_get_form (dialog);

  /* The same name, typed: said again, over the form. */
  gtk_editable_set_text (GTK_EDITABLE (balise_preset_form_get_field_widget (form, "name")), "place d'armes");
  balise_ui_test_wait_until (nearby_shown, dialog, "the warning about the same name");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (balise_record_dialog_get_nearby_label (dialog))),
                            "is already on the map, 11 m from here"));

  click (fixture, balise_record_dialog_get_button (dialog, "done"));
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");
  balise_ui_test_wait_until (pending_count_is_two, fixture->window, "the second record to count");
}

/* A bus stop already in OSM: edit it instead, from its version. */
static void
test_duplicate_edit_existing (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GPtrArray) stops = NULL;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(BaliseTags) expected = NULL;
  g_autoptr(GError) error = NULL;
  BaliseFeature *stop = NULL;
  BaliseRecordDialog *dialog;
  BalisePresetForm *form;
  GtkWidget *bench;

  stops = balise_store_query_near (fixture->store, BALISE_DEMO_LATITUDE, BALISE_DEMO_LONGITUDE,
                                   2000.0, "bus_stop", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < stops->len && stop == NULL; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (stops, i);

      if (feature->osm_type == BALISE_OSM_NODE && feature->osm_id > 0 &&
          balise_tags_lookup (feature->tags, "bench") == NULL)
        stop = feature;
    }
  g_assert_nonnull (stop);
  g_test_message ("editing node %" G_GINT64_FORMAT " v%" G_GINT64_FORMAT " “%s”",
                  stop->osm_id, stop->version, stop->name ? stop->name : "");

  /* Standing 5 m from it. */
  balise_window_set_location (fixture->window, stop->lat + 0.000045, stop->lon);

  dialog = open_record_dialog (fixture);
  balise_record_dialog_choose_preset (dialog, "bus_stop");
  g_assert_cmpstr (balise_record_dialog_get_page (dialog), ==, "duplicate");
  click (fixture, balise_record_dialog_get_button (dialog, "edit-existing"));
  g_assert_cmpstr (balise_record_dialog_get_page (dialog), ==, "form");
  form = balise_record_dialog_get_form (dialog);
  balise_ui_test_wait_until (dialog_idle, dialog, "the draft to be written");

  /* The form starts from what OSM has. */
  if (stop->name != NULL)
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (balise_preset_form_get_field_widget (form, "name"))),
                     ==, stop->name);
  bench = balise_preset_form_get_field_widget (form, "bench");
  g_assert_null (balise_choice_row_get_value (BALISE_CHOICE_ROW (bench)));

  click (fixture, balise_preset_form_get_option_button (form, "bench", "yes"));
  balise_ui_test_wait_until (dialog_idle, dialog, "the answer to be written");
  close_with_escape (dialog);
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");
  balise_ui_test_wait_until (pending_count_is_one, fixture->window, "the pending count to become 1");

  edit = only_edit (fixture);
  g_assert_cmpint (edit->kind, ==, BALISE_EDIT_MODIFY);
  g_assert_cmpint (edit->osm_id, ==, stop->osm_id);
  g_assert_cmpint (edit->base_version, ==, stop->version);
  g_assert_true (balise_tags_equal (edit->base_tags, stop->tags));
  expected = balise_tags_copy (stop->tags);
  balise_tags_set (expected, "bench", "yes");
  /* The preset's own tags, if the element lacked some, come with it. */
  balise_tags_set (expected, "highway", "bus_stop");
  balise_tags_set (expected, "public_transport", "platform");
  balise_tags_set (expected, "bus", "yes");
  g_assert_true (balise_tags_equal (edit->new_tags, expected));
  g_assert_cmpfloat_with_epsilon (edit->lat, stop->lat, 1e-7);
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

/* Discard asks first, then leaves no trace. */
static void
test_discard (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  BaliseRecordDialog *dialog;
  BalisePresetForm *form;

  dialog = open_record_dialog (fixture);
  form = choose (dialog, "bench");
  click (fixture, balise_preset_form_get_option_button (form, "backrest", "yes"));
  balise_ui_test_wait_until (dialog_idle, dialog, "the answer to be written");

  g_signal_emit_by_name (form, "discard");
  balise_ui_test_wait_until (message_dialog_shown, NULL, "the question");
  adw_message_dialog_response (find_message_dialog (), "discard");
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");

  edits = balise_store_list_edits (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 0);
}

/* A form open when Balise stopped left a draft: the next start files it. */
static void
test_left_draft_filed (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) draft = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  BaliseWindow *second;

  draft->status = BALISE_EDIT_STATUS_DRAFT;
  draft->lat = 43.73;
  draft->lon = 7.42;
  draft->new_tags = balise_tags_new ();
  balise_tags_set (draft->new_tags, "amenity", "drinking_water");
  g_assert_true (balise_store_add_edit (fixture->store, draft, &error));
  g_assert_no_error (error);

  second = balise_window_new (app, fixture->store);
  g_object_ref_sink (second);
  balise_ui_test_wait_until (pending_count_is_one, second, "the draft to be filed");

  edit = only_edit (fixture);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_PENDING);
  assert_tags (edit->new_tags, "{\"amenity\":\"drinking_water\"}");

  gtk_window_destroy (GTK_WINDOW (second));
  g_object_unref (second);
}

/* With a GPS fix the record goes there, not to the map's centre. */
static void
test_gps_position (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) edit = NULL;
  BaliseRecordDialog *dialog;
  double latitude;
  double longitude;

  balise_window_set_location (fixture->window, 43.7400, 7.4300);
  g_assert_true (balise_window_get_record_position (fixture->window, &latitude, &longitude));

  dialog = open_record_dialog (fixture);
  choose (dialog, "waste_basket");
  close_with_escape (dialog);
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");
  balise_ui_test_wait_until (pending_count_is_one, fixture->window, "the pending count to become 1");

  edit = only_edit (fixture);
  g_assert_cmpfloat_with_epsilon (edit->lat, 43.7400, 1e-9);
  g_assert_cmpfloat_with_epsilon (edit->lon, 7.4300, 1e-9);
  assert_tags (edit->new_tags, "{\"amenity\":\"waste_basket\"}");

  balise_window_clear_location (fixture->window);
  g_assert_false (balise_window_get_record_position (fixture->window, &latitude, &longitude));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) icon_path = NULL;
  GtkIconTheme *icon_theme;
  int ret;

  real_mime_dirs = g_strdupv ((char **)g_content_type_get_mime_dirs ());
  gtk_init ();
  icon_theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  icon_path = gtk_icon_theme_get_search_path (icon_theme);
  gtk_icon_theme_set_search_path (icon_theme, (const char * const *)icon_path);

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

  g_test_add ("/ui/record/bus-stop-six-clicks", Fixture, NULL,
              fixture_set_up, test_bus_stop_six_clicks, fixture_tear_down);
  g_test_add ("/ui/record/resource-with-search", Fixture, NULL,
              fixture_set_up, test_resource_with_search, fixture_tear_down);
  g_test_add ("/ui/record/fault", Fixture, NULL,
              fixture_set_up, test_fault, fixture_tear_down);
  g_test_add ("/ui/record/duplicate-of-local-record", Fixture, NULL,
              fixture_set_up, test_duplicate_of_local_record, fixture_tear_down);
  g_test_add ("/ui/record/duplicate-edit-existing", Fixture, "demo",
              fixture_set_up, test_duplicate_edit_existing, fixture_tear_down);
  g_test_add ("/ui/record/discard", Fixture, NULL,
              fixture_set_up, test_discard, fixture_tear_down);
  g_test_add ("/ui/record/left-draft-filed", Fixture, NULL,
              fixture_set_up, test_left_draft_filed, fixture_tear_down);
  g_test_add ("/ui/record/gps-position", Fixture, NULL,
              fixture_set_up, test_gps_position, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&real_mime_dirs, g_strfreev);

  return ret;
}
