/* test-photo-links.c: photos that follow the volunteer from one record to
 * another, in a real SpatiaLite file
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "balise-core.h"
#include "balise-store-drafts.h"
#include "balise-store-notes.h"
#include "test-elements.h"
#include "test-photos.h"
#include "test-store.h"

/* Monaco, around the Place d'Armes. */
#define LAT 43.7314
#define LON 7.4197

#define NO_SUCH_UUID "00000000-0000-4000-8000-000000000000"

static BaliseEdit *
add_draft (BaliseStore *store,
           const char  *key,
           const char  *value)
{
  g_autoptr(BaliseEdit) draft = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(GError) error = NULL;

  draft->osm_type = BALISE_OSM_NODE;
  draft->status = BALISE_EDIT_STATUS_DRAFT;
  draft->lat = LAT;
  draft->lon = LON;
  draft->new_tags = balise_tags_new ();
  balise_tags_set (draft->new_tags, key, value);
  g_assert_true (balise_store_add_edit (store, draft, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&draft);
}

static char *
attach (BaliseStore *store,
        const char  *path,
        const char  *edit_uuid)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  char *sha256;

  sha256 = balise_store_attach_photo (store, file, edit_uuid, NULL, NULL, &error);
  g_assert_no_error (error);
  return sha256;
}

/* The sha256 of the photos of @edit_uuid, in their order, joined by ','. */
static char *
photos_of (BaliseStore *store,
           const char  *edit_uuid,
           const char  *note_uuid)
{
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);

  photos = balise_store_list_photos (store, edit_uuid, note_uuid, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < photos->len; i++)
    {
      BalisePhoto *photo = g_ptr_array_index (photos, i);

      if (i > 0)
        g_string_append_c (joined, ',');
      g_string_append (joined, photo->sha256);
    }
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/* From one draft to another: the links move in their order, no photo is
 * lost, the draft left goes, and doing it again changes nothing. */
static void
test_move_to_draft (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("move-draft.sqlite");
  g_autofree char *first_path = test_write_jpeg ("first.jpg", "the shelter");
  g_autofree char *second_path = test_write_jpeg ("second.jpg", "the timetable");
  g_autoptr(BaliseEdit) from = add_draft (store, "amenity", "bench");
  g_autoptr(BaliseEdit) to = add_draft (store, "highway", "bus_stop");
  g_autoptr(BaliseEdit) other = test_add_edit (store, BALISE_EDIT_CREATE, 0, LAT, LON,
                                               "amenity", "waste_basket", NULL);
  g_autofree char *first = attach (store, first_path, from->uuid);
  g_autofree char *second = attach (store, second_path, from->uuid);
  g_autofree char *shared = attach (store, second_path, other->uuid);
  g_autofree char *expected = g_strdup_printf ("%s,%s", first, second);
  g_autofree char *moved = NULL;
  g_autoptr(GError) error = NULL;
  guint n_moved = 99;

  g_assert_cmpstr (shared, ==, second);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo"), ==, 2);

  g_assert_true (balise_store_move_photo_links (store, from->uuid, to->uuid, NULL, FALSE, &n_moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_moved, ==, 2);
  moved = photos_of (store, to->uuid, NULL);
  g_assert_cmpstr (moved, ==, expected);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                                    from->uuid), ==, 0);
  /* The photo another record shows keeps its link there. */
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                                    other->uuid), ==, 1);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo"), ==, 2);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM edit WHERE uuid = '%s'", from->uuid), ==, 1);

  /* Again: nothing more to move, nothing changed. */
  g_assert_true (balise_store_move_photo_links (store, from->uuid, to->uuid, NULL, FALSE, &n_moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_moved, ==, 0);
  g_clear_pointer (&moved, g_free);
  moved = photos_of (store, to->uuid, NULL);
  g_assert_cmpstr (moved, ==, expected);

  /* Back, with the draft left discarded in the same write; then to a
   * record that has one of them already: linked once. */
  g_assert_true (balise_store_move_photo_links (store, to->uuid, other->uuid, NULL, FALSE, &n_moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_moved, ==, 2);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                                    other->uuid), ==, 2);
  g_clear_pointer (&moved, g_free);
  moved = photos_of (store, other->uuid, NULL);
  g_assert_nonnull (strstr (moved, first));
  g_assert_nonnull (strstr (moved, second));

  g_assert_true (balise_store_move_photo_links (store, other->uuid, from->uuid, NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (balise_store_move_photo_links (store, from->uuid, to->uuid, NULL, TRUE, &n_moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_moved, ==, 2);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM edit WHERE uuid = '%s'", from->uuid), ==, 0);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                                    to->uuid), ==, 2);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo"), ==, 2);

  /* The draft left is gone: a second try is refused and changes nothing. */
  g_assert_false (balise_store_move_photo_links (store, from->uuid, to->uuid, NULL, TRUE, &n_moved, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, from->uuid));
  g_assert_cmpuint (n_moved, ==, 0);
  g_clear_error (&error);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'",
                                    to->uuid), ==, 2);

  /* Survives a restart as it is: the photo the other record had first
   * comes first. */
  store = test_store_reopen (store);
  g_clear_pointer (&moved, g_free);
  g_clear_pointer (&expected, g_free);
  moved = photos_of (store, to->uuid, NULL);
  expected = g_strdup_printf ("%s,%s", second, first);
  g_assert_cmpstr (moved, ==, expected);
  g_assert_true (balise_store_verify_photos (store, NULL, &error));
  g_assert_no_error (error);
}

/* A fault chosen after all: the photos go to its note. */
static void
test_move_to_note (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("move-note.sqlite");
  g_autofree char *path = test_write_jpeg ("pothole.jpg", "the pothole");
  g_autoptr(BaliseEdit) from = add_draft (store, "highway", "street_lamp");
  g_autoptr(BaliseNote) note = balise_note_new (LAT, LON, "road", "A pothole by the kerb");
  g_autofree char *sha256 = attach (store, path, from->uuid);
  g_autofree char *moved = NULL;
  g_autoptr(GError) error = NULL;
  guint n_moved = 0;

  g_assert_true (balise_store_add_note (store, note, &error));
  g_assert_no_error (error);

  g_assert_true (balise_store_move_photo_links (store, from->uuid, NULL, note->uuid, TRUE, &n_moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_moved, ==, 1);
  moved = photos_of (store, NULL, note->uuid);
  g_assert_cmpstr (moved, ==, sha256);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM edit"), ==, 0);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo"), ==, 1);
}

/* Wrong records are refused by name, and nothing is changed. */
static void
test_move_refused (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("move-refused.sqlite");
  g_autofree char *path = test_write_jpeg ("bench.jpg", "the bench");
  g_autoptr(BaliseEdit) from = add_draft (store, "amenity", "bench");
  g_autoptr(BaliseEdit) filed = test_add_edit (store, BALISE_EDIT_CREATE, 0, LAT, LON,
                                               "amenity", "bench", NULL);
  g_autofree char *sha256 = attach (store, path, from->uuid);
  g_autofree char *filed_sha = attach (store, path, filed->uuid);
  g_autoptr(GError) error = NULL;
  guint n_moved = 7;

  g_assert_false (balise_store_move_photo_links (store, from->uuid, NO_SUCH_UUID, NULL, FALSE, &n_moved, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, NO_SUCH_UUID));
  g_assert_cmpuint (n_moved, ==, 0);
  g_clear_error (&error);

  g_assert_false (balise_store_move_photo_links (store, from->uuid, NULL, NO_SUCH_UUID, TRUE, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "note"));
  g_clear_error (&error);

  g_assert_false (balise_store_move_photo_links (store, NO_SUCH_UUID, from->uuid, NULL, FALSE, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (balise_store_move_photo_links (store, from->uuid, from->uuid, NULL, FALSE, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A filed edit is never discarded as a draft would be. */
  g_assert_false (balise_store_move_photo_links (store, filed->uuid, from->uuid, NULL, TRUE, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "draft"));
  g_clear_error (&error);

  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM edit"), ==, 2);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s' "
                                    "AND sha256 = '%s'", from->uuid, sha256), ==, 1);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s' "
                                    "AND sha256 = '%s'", filed->uuid, filed_sha), ==, 1);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link"), ==, 2);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo"), ==, 1);
}

static void
moved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Through the writer: the answer comes back on the calling thread, with
 * the count or the error. */
static void
test_move_async (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("move-async.sqlite");
  g_autofree char *path = test_write_jpeg ("lamp.jpg", "the lamp");
  g_autoptr(BaliseEdit) from = add_draft (store, "highway", "street_lamp");
  g_autoptr(BaliseEdit) to = add_draft (store, "amenity", "bench");
  g_autofree char *sha256 = attach (store, path, from->uuid);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  guint n_moved = 0;

  balise_store_move_photo_links_async (store, from->uuid, to->uuid, NULL, TRUE, NULL, moved_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (balise_store_move_photo_links_finish (store, result, &n_moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_moved, ==, 1);
  g_clear_object (&result);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link WHERE edit_uuid = '%s' "
                                    "AND sha256 = '%s'", to->uuid, sha256), ==, 1);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM edit WHERE uuid = '%s'", from->uuid), ==, 0);

  balise_store_move_photo_links_async (store, from->uuid, to->uuid, NULL, TRUE, NULL, moved_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (balise_store_move_photo_links_finish (store, result, &n_moved, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_assert_cmpuint (n_moved, ==, 0);
  g_clear_object (&result);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/photo-links/move-to-draft", test_move_to_draft);
  g_test_add_func ("/photo-links/move-to-note", test_move_to_note);
  g_test_add_func ("/photo-links/refused", test_move_refused);
  g_test_add_func ("/photo-links/async", test_move_async);

  return g_test_run ();
}
