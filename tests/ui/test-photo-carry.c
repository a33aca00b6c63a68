/* test-photo-carry.c: photos that follow the volunteer from one form to
 * another, in the real window under Xvfb
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With BALISE_TEST_HOLD_SECONDS=N the form the photos moved to stays on
 * screen N seconds, for /work/shared/tools/screenshot.
 */

#undef G_DISABLE_ASSERT

#define G_LOG_DOMAIN "test-photo-carry"

#include "config.h"

#include "balise-import.h"
#include "balise-store-notes.h"
#include "test-photos-common.h"

/*
 * Photos that follow the volunteer from one form to another
 */

static gboolean
on_chooser (gpointer data)
{
  return !balise_record_dialog_is_busy (data) &&
         g_strcmp0 (balise_record_dialog_get_page (data), "chooser") == 0;
}

static gboolean
nearby_shown (gpointer data)
{
  return gtk_widget_get_mapped (balise_record_dialog_get_nearby_label (data));
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
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

/* A tap: GtkButton shows itself pressed for a moment before "clicked". */
static void
press (GtkWidget *button)
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

static gboolean
no_message_dialog (gpointer data)
{
  return find_message_dialog () == NULL;
}

/* Answers the question, as a tap on @response would, and closes it as the
 * tap does too. */
static void
answer (const char *response)
{
  AdwMessageDialog *message = find_message_dialog ();

  adw_message_dialog_response (message, response);
  gtk_window_destroy (GTK_WINDOW (message));
  balise_ui_test_wait_until (no_message_dialog, NULL, "the question to close");
}

static const char *
message_body (void)
{
  balise_ui_test_wait_until (message_dialog_shown, NULL, "the question");
  return adw_message_dialog_get_body (find_message_dialog ());
}

static BaliseEdit *
only_edit (BaliseStore *store)
{
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;

  edits = balise_store_list_edits (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 1);
  return balise_edit_ref (g_ptr_array_index (edits, 0));
}

/* A bus stop in OSM, 5 m north of where the dialog records: what the
 * volunteer names in a new record, not knowing it is on the map. */
static void
import_bus_stop (Fixture *fixture,
                 gint64   osm_id)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "stop.osm", NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  char lat[G_ASCII_DTOSTR_BUF_SIZE];
  char lon[G_ASCII_DTOSTR_BUF_SIZE];
  double latitude;
  double longitude;

  balise_window_get_record_position (fixture->window, &latitude, &longitude);
  g_ascii_dtostr (lat, sizeof lat, latitude + 0.000045);
  g_ascii_dtostr (lon, sizeof lon, longitude);
  xml = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<osm version=\"0.6\" generator=\"balise tests\">\n"
                         " <node id=\"%" G_GINT64_FORMAT "\" version=\"3\" lat=\"%s\" lon=\"%s\">\n"
                         "  <tag k=\"highway\" v=\"bus_stop\"/>\n"
                         "  <tag k=\"public_transport\" v=\"platform\"/>\n"
                         "  <tag k=\"bus\" v=\"yes\"/>\n"
                         "  <tag k=\"name\" v=\"Place d'Armes\"/>\n"
                         " </node>\n"
                         "</osm>\n", osm_id, lat, lon);
  g_assert_true (g_file_set_contents (path, xml, -1, &error));
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (fixture->store, path, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Photos taken for a new bus stop, then "Edit It Instead": they go to the
 * edit of the one on the map, and stay with it when nothing else changes. */
static void
test_carry_edit_instead (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *jpeg = data_path ("bus-shelter.jpg");
  g_autofree char *png = data_path ("kerb-ramp.png");
  g_autofree char *jpeg_sha = file_sha256 (jpeg);
  g_autofree char *png_sha = file_sha256 (png);
  g_autofree char *left = NULL;
  g_autofree char *today = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GListModel) photos = files_of (jpeg, NULL);
  g_autoptr(GListModel) more = files_of (png, NULL);
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  BaliseRecordDialog *dialog;
  BalisePhotoStrip *strip;
  BalisePresetForm *form;
  const char *draft;

  import_bus_stop (fixture, 7001);

  balise_ui_test_wait_until (can_record, fixture->window, "the presets to load");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.record", NULL));
  dialog = find_record_dialog ();
  balise_ui_test_wait_until (allocated, dialog, "the dialog to show");
  balise_record_dialog_choose_preset (dialog, "bus_stop");
  g_assert_cmpstr (balise_record_dialog_get_page (dialog), ==, "duplicate");
  press (balise_record_dialog_get_button (dialog, "record-new"));
  form = balise_record_dialog_get_form (dialog);
  balise_ui_test_wait_until (mapped, form, "the form to show");
  balise_ui_test_wait_until (dialog_idle, dialog, "the draft to be written");
  left = g_strdup (balise_record_dialog_get_draft_uuid (dialog));

  strip = balise_record_dialog_get_photo_strip (dialog);
  g_assert_true (add_files (strip, photos, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                               left), ==, 1);

  /* The name on the sign: it is the one on the map. Edit it instead while
   * a second photo is still being stored: that one follows too. */
  gtk_editable_set_text (GTK_EDITABLE (balise_preset_form_get_field_widget (form, "name")), "Place d'Armes");
  balise_ui_test_wait_until (nearby_shown, dialog, "the warning about the same name");
  g_object_ref (strip);
  balise_photo_strip_add_files_async (strip, more, NULL, result_cb, &result);
  g_assert_true (balise_photo_strip_get_busy (strip));
  press (balise_record_dialog_get_button (dialog, "edit-nearby"));
  balise_ui_test_wait_until (has_result, &result, "the second photo");
  g_assert_true (balise_photo_strip_add_files_finish (strip, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_object_unref (strip);
  balise_ui_test_wait_until (dialog_idle, dialog, "the photos to follow");

  /* Its form, with the photos, now linked to its edit; the record left is
   * gone, no photo with it. */
  g_assert_cmpstr (balise_record_dialog_get_page (dialog), ==, "form");
  draft = balise_record_dialog_get_draft_uuid (dialog);
  g_assert_nonnull (draft);
  g_assert_cmpstr (draft, !=, left);
  g_assert_null (balise_record_dialog_get_carried_uuid (dialog));
  strip = balise_record_dialog_get_photo_strip (dialog);
  wait_for_thumbnails (strip, 2);
  g_assert_cmpstr (balise_photo_strip_get_sha256 (strip, 0), ==, jpeg_sha);
  g_assert_cmpstr (balise_photo_strip_get_sha256 (strip, 1), ==, png_sha);
  g_assert_cmpstr (balise_record_dialog_get_last_message (dialog), ==,
                   "2 photos moved to Bus Stop “Place d'Armes”");
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM edit WHERE uuid = '%s'", left), ==, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link JOIN edit ON uuid = edit_uuid "
                               "WHERE edit_uuid = '%s' AND kind = 'modify' AND osm_id = 7001 "
                               "AND status = 'draft'", draft), ==, 2);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo"), ==, 2);
  hold_for_screenshot (NULL);

  /* Filed with nothing else changed: a check that it is there, with the
   * photos that show it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");
  edit = only_edit (fixture->store);
  today = g_date_time_format (now, "%Y-%m-%d");
  g_assert_cmpint (edit->kind, ==, BALISE_EDIT_MODIFY);
  g_assert_cmpint (edit->osm_id, ==, 7001);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_PENDING);
  g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "check_date"), ==, today);
  g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "name"), ==, "Place d'Armes");
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s' "
                               "AND sha256 IN ('%s', '%s')", edit->uuid, jpeg_sha, png_sha), ==, 2);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link"), ==, 2);
}

static gboolean
no_edit_left (gpointer data)
{
  return count_rows (data, "SELECT count(*) FROM edit") == 0;
}

/* Photos taken, then "Choose Another Kind": they wait, and go to the
 * record of the kind chosen next; closing in between asks first. */
static void
test_carry_another_kind (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *jpeg = data_path ("bus-shelter.jpg");
  g_autofree char *png = data_path ("kerb-ramp.png");
  g_autofree char *left = NULL;
  g_autofree char *filed = NULL;
  g_autoptr(GListModel) photos = files_of (jpeg, png, NULL);
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  BaliseRecordDialog *dialog;
  BalisePhotoStrip *strip;

  dialog = open_form (fixture, "bench");
  left = g_strdup (balise_record_dialog_get_draft_uuid (dialog));
  strip = balise_record_dialog_get_photo_strip (dialog);
  g_assert_true (add_files (strip, photos, &error));
  g_assert_no_error (error);

  /* No answer given: nothing to ask. The draft left holds the photos. */
  press (balise_record_dialog_get_button (dialog, "back"));
  balise_ui_test_wait_until (on_chooser, dialog, "the chooser");
  g_assert_null (find_message_dialog ());
  g_assert_cmpstr (balise_record_dialog_get_carried_uuid (dialog), ==, left);
  g_assert_cmpstr (balise_record_dialog_get_last_message (dialog), ==,
                   "2 photos kept for the record you choose next");
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                               left), ==, 2);

  /* Closing now would lose them: asked, and kept. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  g_assert_cmpstr (adw_message_dialog_get_heading (find_message_dialog ()), ==, "Discard 2 Photos?");
  answer ("cancel");
  g_assert_true (find_record_dialog () == dialog);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                               left), ==, 2);

  /* The kind it really is: the photos move to its draft. */
  balise_record_dialog_choose_preset (dialog, "waste_basket");
  g_assert_cmpstr (balise_record_dialog_get_page (dialog), ==, "form");
  balise_ui_test_wait_until (dialog_idle, dialog, "the photos to follow");
  filed = g_strdup (balise_record_dialog_get_draft_uuid (dialog));
  strip = balise_record_dialog_get_photo_strip (dialog);
  wait_for_thumbnails (strip, 2);
  g_assert_null (balise_record_dialog_get_carried_uuid (dialog));
  g_assert_cmpstr (balise_record_dialog_get_last_message (dialog), ==, "2 photos moved to Waste Basket");
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM edit WHERE uuid = '%s'", left), ==, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                               filed), ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");
  edit = only_edit (fixture->store);
  g_assert_cmpstr (edit->uuid, ==, filed);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_PENDING);
  g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "amenity"), ==, "waste_basket");
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                               filed), ==, 2);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo"), ==, 2);
}

/* Answers given up, photos kept: the question says so; a fault chosen next
 * gets them, with one more taken on its form. */
static void
test_carry_to_fault (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *jpeg = data_path ("bus-shelter.jpg");
  g_autofree char *png = data_path ("kerb-ramp.png");
  g_autofree char *jpeg_sha = file_sha256 (jpeg);
  g_autofree char *png_sha = file_sha256 (png);
  g_autoptr(GListModel) first = files_of (jpeg, NULL);
  g_autoptr(GListModel) second = files_of (png, NULL);
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  BaliseRecordDialog *dialog;
  BalisePresetForm *form;
  BalisePhotoStrip *strip;
  BaliseNote *note;

  dialog = open_form (fixture, "bench");
  form = balise_record_dialog_get_form (dialog);
  g_assert_true (add_files (balise_record_dialog_get_photo_strip (dialog), first, &error));
  g_assert_no_error (error);
  press (balise_preset_form_get_option_button (form, "backrest", "yes"));
  balise_ui_test_wait_until (dialog_idle, dialog, "the answer to be written");

  press (balise_record_dialog_get_button (dialog, "back"));
  g_assert_nonnull (strstr (message_body (), "Its photo stays with you"));
  answer ("discard");
  balise_ui_test_wait_until (on_chooser, dialog, "the chooser");

  balise_record_dialog_choose_preset (dialog, "fault_pothole");
  balise_ui_test_wait_until (dialog_idle, dialog, "the fault's form");
  strip = balise_record_dialog_get_photo_strip (dialog);
  wait_for_thumbnails (strip, 1);
  g_assert_true (add_files (strip, second, &error));
  g_assert_no_error (error);
  wait_for_thumbnails (strip, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  balise_ui_test_wait_until (no_record_dialog, NULL, "the fault to be filed");

  notes = balise_store_list_notes (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 1);
  note = g_ptr_array_index (notes, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link WHERE note_uuid = '%s' "
                               "AND sha256 IN ('%s', '%s')", note->uuid, jpeg_sha, png_sha), ==, 2);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link"), ==, 2);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM edit"), ==, 0);
}

/* Given up on purpose, after the question: then, and only then, gone. */
static void
test_carry_dropped (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *jpeg = data_path ("bus-shelter.jpg");
  g_autoptr(GListModel) photos = files_of (jpeg, NULL);
  g_autoptr(GError) error = NULL;
  BaliseRecordDialog *dialog;

  /* The form's own Discard says how many photos go. */
  dialog = open_form (fixture, "bench");
  g_assert_true (add_files (balise_record_dialog_get_photo_strip (dialog), photos, &error));
  g_assert_no_error (error);
  g_signal_emit_by_name (balise_record_dialog_get_form (dialog), "discard");
  g_assert_nonnull (strstr (message_body (), "its photo will be gone"));
  answer ("cancel");

  press (balise_record_dialog_get_button (dialog, "back"));
  balise_ui_test_wait_until (on_chooser, dialog, "the chooser");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  g_assert_cmpstr (adw_message_dialog_get_heading (find_message_dialog ()), ==, "Discard 1 Photo?");
  adw_message_dialog_response (find_message_dialog (), "discard");
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");
  balise_ui_test_wait_until (no_edit_left, fixture->store, "the draft left to go");

  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link"), ==, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  photos_test_init (&argc, &argv);

  g_test_add ("/ui/photo-carry/edit-instead", Fixture, NULL,
              fixture_set_up, test_carry_edit_instead, fixture_tear_down);
  g_test_add ("/ui/photo-carry/another-kind", Fixture, NULL,
              fixture_set_up, test_carry_another_kind, fixture_tear_down);
  g_test_add ("/ui/photo-carry/to-fault", Fixture, NULL,
              fixture_set_up, test_carry_to_fault, fixture_tear_down);
  g_test_add ("/ui/photo-carry/dropped", Fixture, NULL,
              fixture_set_up, test_carry_dropped, fixture_tear_down);

  ret = g_test_run ();
  photos_test_clear ();

  return ret;
}
