/* test-photos.c: photos of records, in real windows under Xvfb
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With BALISE_TEST_HOLD_SECONDS=N the record form (with two photos) and the
 * viewer stay on screen N seconds, for /work/shared/tools/screenshot; with
 * BALISE_TEST_WINDOW_SIZE=WxH the main window has that size, not a phone's.
 */

#undef G_DISABLE_ASSERT

#define G_LOG_DOMAIN "test-photos"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "balise-application.h"
#include "balise-import.h"
#include "balise-photo-strip.h"
#include "balise-photo-viewer.h"
#include "balise-preset-form.h"
#include "balise-record-dialog.h"
#include "balise-review-row.h"
#include "balise-store-notes.h"
#include "balise-store-photos.h"
#include "balise-ui-test-utils.h"
#include "test-photos-common.h"
#include "balise-window.h"

static BaliseEdit *
add_pending_edit (BaliseStore *store,
                  const char  *key,
                  const char  *value,
                  double       lat)
{
  g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(GError) error = NULL;

  edit->osm_type = BALISE_OSM_NODE;
  edit->lat = lat;
  edit->lon = BALISE_DEMO_LONGITUDE;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, key, value);
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&edit);
}

static GtkWindow *
strip_window (BalisePhotoStrip *strip)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), PHONE_WIDTH, PHONE_HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (strip));
  gtk_window_present (GTK_WINDOW (window));
  balise_ui_test_wait_until (allocated, strip, "the strip to show");

  return GTK_WINDOW (window);
}

static void
pixel (GdkTexture *texture,
       int         x,
       int         y,
       guint8      rgb[3])
{
  guint32 colour = balise_ui_test_pixel (texture, x, y);

  rgb[0] = colour >> 16;
  rgb[1] = (colour >> 8) & 0xff;
  rgb[2] = colour & 0xff;
}

/*
 * The strip on its own
 */

static void
test_strip_attach (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "strip.sqlite", NULL);
  g_autofree char *jpeg = data_path ("bus-shelter.jpg");
  g_autofree char *png = data_path ("kerb-ramp.png");
  g_autofree char *text = data_path ("not-a-photo.txt");
  g_autofree char *jpeg_sha = file_sha256 (jpeg);
  g_autofree char *png_sha = file_sha256 (png);
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GListModel) photos = files_of (jpeg, png, NULL);
  g_autoptr(GListModel) not_photo = files_of (text, NULL);
  g_autoptr(GError) error = NULL;
  BalisePhotoStrip *strip;
  GdkTexture *thumbnail;
  GtkWindow *window;
  guint8 rgb[3];
  int side;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  edit = add_pending_edit (store, "highway", "bus_stop", BALISE_DEMO_LATITUDE);

  strip = BALISE_PHOTO_STRIP (balise_photo_strip_new (store));
  balise_photo_strip_set_target (strip, edit->uuid, NULL);
  window = strip_window (strip);
  g_assert_cmpuint (balise_photo_strip_get_n_photos (strip), ==, 0);
  g_assert_true (gtk_widget_get_mapped (balise_photo_strip_get_add_button (strip)));

  /* Both stored whole, under their own checksum, linked to the edit. */
  g_assert_true (add_files (strip, photos, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM photo"), ==, 2);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM photo WHERE sha256 = '%s' AND "
                               "mime_type = 'image/jpeg' AND size = 12341", jpeg_sha), ==, 1);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM photo WHERE sha256 = '%s' AND "
                               "mime_type = 'image/png'", png_sha), ==, 1);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s' AND "
                               "sha256 IN ('%s', '%s')", edit->uuid, jpeg_sha, png_sha), ==, 2);
  g_assert_cmpuint (balise_photo_strip_get_n_photos (strip), ==, 2);
  g_assert_cmpstr (balise_photo_strip_get_sha256 (strip, 0), ==, jpeg_sha);
  g_assert_cmpstr (balise_photo_strip_get_sha256 (strip, 1), ==, png_sha);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (gtk_widget_get_parent (balise_photo_strip_get_error_label (strip))))));

  /* Square thumbnails, scaled in a thread: the JPEG's middle square, without
   * the blue bands of its sides. */
  wait_for_thumbnails (strip, 2);
  thumbnail = GDK_TEXTURE (balise_photo_strip_get_thumbnail_paintable (strip, 0));
  side = gdk_texture_get_width (thumbnail);
  g_assert_cmpint (side, ==, gdk_texture_get_height (thumbnail));
  g_assert_cmpint (side, >=, 88);
  g_assert_cmpint (side, <, 480);
  pixel (thumbnail, 1, side / 2 + side / 4, rgb);
  g_assert_cmpint (rgb[1], >, 120);
  g_assert_cmpint (rgb[2], <, 110);
  g_assert_true (gtk_widget_get_mapped (balise_photo_strip_get_thumbnail (strip, 1)));

  /* Not an image: said by name, nothing stored, nothing lost. */
  g_assert_false (add_files (strip, not_photo, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not-a-photo.txt"));
  g_clear_error (&error);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (balise_photo_strip_get_error_label (strip))),
                            "“not-a-photo.txt” is not a photo"));
  balise_ui_test_wait_until (mapped, balise_photo_strip_get_error_label (strip), "the error to show");
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM photo"), ==, 2);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM photo_link"), ==, 2);
  g_assert_cmpuint (balise_photo_strip_get_n_photos (strip), ==, 2);

  gtk_window_destroy (window);
  balise_ui_test_spin ();
}

static gboolean
viewer_shows_photo (gpointer data)
{
  return balise_photo_viewer_get_paintable (data) != NULL;
}

static gboolean
viewer_gone (gpointer data)
{
  return balise_photo_strip_get_viewer (data) == NULL;
}

static gboolean
viewer_open (gpointer data)
{
  return balise_photo_strip_get_viewer (data) != NULL;
}

/* A tap on thumbnail @index: GtkButton shows itself pressed a moment
 * before it emits "clicked". */
static BalisePhotoViewer *
open_viewer (BalisePhotoStrip *strip,
             guint             index)
{
  GtkWidget *viewer;

  g_assert_true (gtk_widget_activate (balise_photo_strip_get_thumbnail (strip, index)));
  balise_ui_test_wait_until (viewer_open, strip, "the viewer to open");
  viewer = balise_photo_strip_get_viewer (strip);
  balise_ui_test_wait_until (allocated, viewer, "the viewer to show");

  return BALISE_PHOTO_VIEWER (viewer);
}

static gboolean
strip_has_one (gpointer data)
{
  return balise_photo_strip_get_n_photos (data) == 1 && !balise_photo_strip_get_busy (data);
}

static void
remove_shown_photo (BalisePhotoViewer *viewer)
{
  AdwMessageDialog *confirm;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.remove", NULL));
  confirm = find_message_dialog ();
  g_assert_nonnull (confirm);
  adw_message_dialog_response (confirm, "remove");
  gtk_window_destroy (GTK_WINDOW (confirm));
}

static void
test_viewer (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "viewer.sqlite", NULL);
  g_autofree char *jpeg = data_path ("bus-shelter.jpg");
  g_autofree char *png = data_path ("kerb-ramp.png");
  g_autofree char *jpeg_sha = file_sha256 (jpeg);
  g_autofree char *png_sha = file_sha256 (png);
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(BaliseEdit) other = NULL;
  g_autoptr(GListModel) photos = files_of (jpeg, png, NULL);
  g_autoptr(GFile) jpeg_file = g_file_new_for_path (jpeg);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = NULL;
  BalisePhotoViewer *viewer;
  BalisePhotoStrip *strip;
  GdkPaintable *shown;
  GtkWindow *window;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  edit = add_pending_edit (store, "highway", "bus_stop", BALISE_DEMO_LATITUDE);
  /* The shelter's photo is another record's too. */
  other = add_pending_edit (store, "amenity", "shelter", BALISE_DEMO_LATITUDE + 0.001);
  sha = balise_store_attach_photo (store, jpeg_file, other->uuid, NULL, NULL, &error);
  g_assert_no_error (error);

  strip = BALISE_PHOTO_STRIP (balise_photo_strip_new (store));
  balise_photo_strip_set_target (strip, edit->uuid, NULL);
  window = strip_window (strip);
  g_assert_true (add_files (strip, photos, &error));
  g_assert_no_error (error);
  wait_for_thumbnails (strip, 2);

  /* Escape (window.close) closes the viewer; the strip can open another. */
  viewer = open_viewer (strip, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "window.close", NULL));
  balise_ui_test_wait_until (viewer_gone, strip, "the viewer to close");

  /* A tap on the second thumbnail: that photo, at full resolution. */
  viewer = open_viewer (strip, 1);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (viewer)));
  g_assert_cmpuint (balise_photo_viewer_get_index (viewer), ==, 1);
  balise_ui_test_wait_until (viewer_shows_photo, viewer, "the photo to be decoded");
  shown = balise_photo_viewer_get_paintable (viewer);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (shown), ==, 300);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (shown), ==, 200);

  /* Previous and next, as Left and Right do; no wrapping round. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.previous", NULL));
  g_assert_cmpuint (balise_photo_viewer_get_index (viewer), ==, 0);
  balise_ui_test_wait_until (viewer_shows_photo, viewer, "the first photo to be decoded");
  shown = balise_photo_viewer_get_paintable (viewer);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (shown), ==, 640);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (shown), ==, 480);
  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.previous", NULL);
  g_assert_cmpuint (balise_photo_viewer_get_index (viewer), ==, 0);
  hold_for_screenshot (NULL);

  /* Removed from this record: the link goes; the photo stays for the
   * other record that has it. */
  remove_shown_photo (viewer);
  balise_ui_test_wait_until (strip_has_one, strip, "the photo to be removed");
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                               edit->uuid), ==, 1);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s' "
                               "AND sha256 = '%s'", other->uuid, jpeg_sha), ==, 1);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM photo WHERE sha256 = '%s'", jpeg_sha), ==, 1);
  g_assert_cmpstr (balise_photo_strip_get_sha256 (strip, 0), ==, png_sha);
  g_assert_true (balise_photo_strip_get_viewer (strip) == GTK_WIDGET (viewer));
  g_assert_cmpuint (balise_photo_viewer_get_n_photos (viewer), ==, 1);
  g_assert_cmpuint (balise_photo_viewer_get_index (viewer), ==, 0);

  /* Its last photo: it goes from the database, and the viewer closes. */
  remove_shown_photo (viewer);
  balise_ui_test_wait_until (viewer_gone, strip, "the viewer to close");
  g_assert_cmpuint (balise_photo_strip_get_n_photos (strip), ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM photo WHERE sha256 = '%s'", png_sha), ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                               edit->uuid), ==, 0);

  gtk_window_destroy (window);
  balise_ui_test_spin ();
}

/*
 * In the record dialog, in the real window
 */

static double
bottom_in (GtkWidget *widget,
           GtkWidget *page)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, page, &bounds));
  return bounds.origin.y + bounds.size.height;
}

static double
top_in (GtkWidget *widget,
        GtkWidget *page)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, page, &bounds));
  return bounds.origin.y;
}

static void
write_own_png (const char *path)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 30);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x884422ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
}

static void
test_record_form (Fixture       *fixture,
                  gconstpointer  user_data)
{
  static const char * const checklist[] = {
    "shelter", "bench", "bin", "lit", "tactile_paving", "wheelchair",
  };
  g_autofree char *jpeg = data_path ("bus-shelter.jpg");
  g_autofree char *png = data_path ("kerb-ramp.png");
  g_autofree char *own = g_build_filename (g_get_user_data_dir (), "own.png", NULL);
  g_autofree char *jpeg_sha = file_sha256 (jpeg);
  g_autofree char *png_sha = NULL;
  g_autofree char *own_sha = NULL;
  g_autofree char *filed = NULL;
  g_autoptr(GListModel) photos = files_of (jpeg, png, NULL);
  g_autoptr(GListModel) more = NULL;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  BaliseRecordDialog *dialog;
  BalisePhotoStrip *strip;
  GtkWidget *page;
  double questions_bottom = 0;

  png_sha = file_sha256 (png);
  dialog = open_form (fixture, "bus_stop");
  strip = balise_record_dialog_get_photo_strip (dialog);
  page = balise_preset_form_get_page (balise_record_dialog_get_form (dialog));
  balise_ui_test_wait_until (allocated, strip, "the strip to show");

  /* Under the six questions, which stay on the first screen. */
  for (guint i = 0; i < G_N_ELEMENTS (checklist); i++)
    {
      GtkWidget *row = balise_preset_form_get_field_widget (balise_record_dialog_get_form (dialog),
                                                            checklist[i]);

      questions_bottom = MAX (questions_bottom, bottom_in (row, page));
    }
  if (g_getenv ("BALISE_TEST_WINDOW_SIZE") == NULL)
    g_assert_cmpfloat (questions_bottom, <=, gtk_widget_get_height (page));
  g_assert_cmpfloat (top_in (GTK_WIDGET (strip), page), >=, questions_bottom);

  /* Photos taken before the form is filed go to its draft at once. */
  filed = g_strdup (balise_record_dialog_get_draft_uuid (dialog));
  g_assert_nonnull (filed);
  g_assert_true (add_files (strip, photos, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link JOIN edit "
                               "ON edit.uuid = edit_uuid WHERE edit_uuid = '%s' AND status = 'draft'",
                               filed), ==, 2);
  wait_for_thumbnails (strip, 2);
  hold_for_screenshot (balise_photo_strip_get_add_button (strip));

  /* Filed: the edit is pending, its photos with it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");
  edit = balise_store_get_edit (fixture->store, filed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_PENDING);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s' "
                               "AND sha256 IN ('%s', '%s')", filed, jpeg_sha, png_sha), ==, 2);

  /* A second record, given up: its links go, and its own photo; the
   * photo the first record has too stays. */
  write_own_png (own);
  own_sha = file_sha256 (own);
  more = files_of (png, own, NULL);
  dialog = open_form (fixture, "bench");
  strip = balise_record_dialog_get_photo_strip (dialog);
  g_assert_true (add_files (strip, more, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                               balise_record_dialog_get_draft_uuid (dialog)), ==, 2);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo"), ==, 3);

  g_signal_emit_by_name (balise_record_dialog_get_form (dialog), "discard");
  g_assert_nonnull (find_message_dialog ());
  adw_message_dialog_response (find_message_dialog (), "discard");
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");

  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM edit"), ==, 1);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link WHERE edit_uuid != '%s' "
                               "OR edit_uuid IS NULL", filed), ==, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo WHERE sha256 = '%s'", own_sha), ==, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo WHERE sha256 = '%s'", png_sha), ==, 1);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo"), ==, 2);
}

/* The form given up while its photos are still being stored: nothing is
 * left behind, and nothing breaks. */
static void
test_discard_while_attaching (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *jpeg = data_path ("bus-shelter.jpg");
  g_autofree char *png = data_path ("kerb-ramp.png");
  g_autoptr(GListModel) photos = files_of (jpeg, png, NULL);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  BaliseRecordDialog *dialog;
  BalisePhotoStrip *strip;

  dialog = open_form (fixture, "bench");
  strip = balise_record_dialog_get_photo_strip (dialog);
  g_object_ref (strip);
  balise_photo_strip_add_files_async (strip, photos, NULL, result_cb, &result);
  g_assert_true (balise_photo_strip_get_busy (strip));

  g_signal_emit_by_name (balise_record_dialog_get_form (dialog), "discard");
  adw_message_dialog_response (find_message_dialog (), "discard");
  balise_ui_test_wait_until (no_record_dialog, NULL, "the dialog to close");
  balise_ui_test_wait_until (has_result, &result, "the attaching to end");
  /* Stored before the discard or refused after it: either way, gone. */
  balise_photo_strip_add_files_finish (strip, result, NULL);
  g_object_unref (result);
  g_object_unref (strip);

  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM edit"), ==, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link"), ==, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo"), ==, 0);
}

/* A fault is written when its form is filed: its photos wait in the strip,
 * checked, and go to its note then. */
static void
test_fault (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autofree char *jpeg = data_path ("bus-shelter.jpg");
  g_autofree char *text = data_path ("not-a-photo.txt");
  g_autofree char *jpeg_sha = file_sha256 (jpeg);
  g_autofree char *png = data_path ("kerb-ramp.png");
  g_autofree char *png_sha = file_sha256 (png);
  g_autoptr(GListModel) photos = files_of (jpeg, text, NULL);
  g_autoptr(GListModel) more = files_of (png, NULL);
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  BaliseRecordDialog *dialog;
  BalisePhotoStrip *strip;
  BaliseNote *note;

  dialog = open_form (fixture, "fault_pothole");
  strip = g_object_ref (balise_record_dialog_get_photo_strip (dialog));

  g_assert_false (add_files (strip, photos, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (balise_photo_strip_get_error_label (strip))),
                            "not-a-photo.txt"));
  g_assert_cmpuint (balise_photo_strip_get_n_photos (strip), ==, 1);
  g_assert_null (balise_photo_strip_get_sha256 (strip, 0));
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo"), ==, 0);
  wait_for_thumbnails (strip, 1);

  /* Done while a second photo is still being checked: filing waits for it. */
  balise_photo_strip_add_files_async (strip, more, NULL, result_cb, &result);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  balise_ui_test_wait_until (no_record_dialog, NULL, "the fault to be filed");
  balise_ui_test_wait_until (has_result, &result, "the second photo");
  g_assert_true (balise_photo_strip_add_files_finish (strip, result, &error));
  g_assert_no_error (error);
  g_object_unref (result);
  g_object_unref (strip);

  notes = balise_store_list_notes (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 1);
  note = g_ptr_array_index (notes, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link WHERE note_uuid = '%s' "
                               "AND sha256 = '%s'", note->uuid, jpeg_sha), ==, 1);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo_link WHERE note_uuid = '%s' "
                               "AND sha256 = '%s'", note->uuid, png_sha), ==, 1);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM photo"), ==, 2);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM note"), ==, 1);
}

/* A coordinator sees the volunteer's photos in the review queue, and cannot
 * change them there. */
static void
test_review_row (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "review.sqlite", NULL);
  g_autofree char *jpeg = data_path ("bus-shelter.jpg");
  g_autoptr(GFile) file = g_file_new_for_path (jpeg);
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(BaliseEdit) with_photo = NULL;
  g_autoptr(BaliseEdit) without = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row;
  GtkWidget *bare;
  BalisePhotoStrip *strip;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  with_photo = add_pending_edit (store, "highway", "bus_stop", BALISE_DEMO_LATITUDE);
  without = add_pending_edit (store, "amenity", "bench", BALISE_DEMO_LATITUDE + 0.001);
  sha = balise_store_attach_photo (store, file, with_photo->uuid, NULL, NULL, &error);
  g_assert_no_error (error);

  row = balise_review_row_new (with_photo, NULL);
  bare = balise_review_row_new (without, NULL);
  balise_review_row_set_photo_store (BALISE_REVIEW_ROW (row), store);
  balise_review_row_set_photo_store (BALISE_REVIEW_ROW (bare), store);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_list_box_append (GTK_LIST_BOX (list), bare);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_set_default_size (GTK_WINDOW (window), PHONE_WIDTH, PHONE_HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  balise_ui_test_wait_until (allocated, row, "the rows to show");

  /* Read once the row is opened. */
  g_assert_null (balise_review_row_get_photo_strip (BALISE_REVIEW_ROW (row)));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (bare), TRUE);
  strip = balise_review_row_get_photo_strip (BALISE_REVIEW_ROW (row));
  g_assert_nonnull (strip);
  balise_ui_test_wait_until (allocated, strip, "the photos to show");
  wait_for_thumbnails (strip, 1);
  g_assert_cmpstr (balise_photo_strip_get_sha256 (strip, 0), ==, sha);
  g_assert_false (balise_photo_strip_get_editable (strip));
  g_assert_false (gtk_widget_get_visible (balise_photo_strip_get_add_button (strip)));

  /* No photos, no empty Photos section. */
  strip = balise_review_row_get_photo_strip (BALISE_REVIEW_ROW (bare));
  g_assert_nonnull (strip);
  g_assert_cmpuint (balise_photo_strip_get_n_photos (strip), ==, 0);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (strip)));

  gtk_window_destroy (GTK_WINDOW (window));
  balise_ui_test_spin ();
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  photos_test_init (&argc, &argv);

  g_test_add_func ("/ui/photos/strip-attach", test_strip_attach);
  g_test_add_func ("/ui/photos/viewer", test_viewer);
  g_test_add ("/ui/photos/record-form", Fixture, NULL, fixture_set_up, test_record_form, fixture_tear_down);
  g_test_add ("/ui/photos/discard-while-attaching", Fixture, NULL,
              fixture_set_up, test_discard_while_attaching, fixture_tear_down);
  g_test_add ("/ui/photos/fault", Fixture, NULL, fixture_set_up, test_fault, fixture_tear_down);
  g_test_add_func ("/ui/photos/review-row", test_review_row);

  ret = g_test_run ();
  photos_test_clear ();

  return ret;
}
