/* test-package.c: field packages between two real databases
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <glib/gstdio.h>

#include "balise-core.h"
#include "balise-store-query.h"
#include "balise-test-utils.h"
#include "test-elements.h"
#include "test-store.h"

#define LAT 43.7314
#define LON 7.4197

static void
file_exec (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static BaliseEdit *
add_stop (BaliseStore *store,
          const char  *contributor,
          const char  *name)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);

  edit->lat = LAT;
  edit->lon = LON;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  balise_tags_set (edit->new_tags, "name", name);
  edit->contributor = g_strdup (contributor);
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);
  return edit;
}

static char *
write_photo (const char *name,
             const char *text)
{
  g_autofree char *contents = g_strconcat ("\xff\xd8\xff\xe0", text, "\xff\xd9", NULL);
  char *path = balise_test_tmp_path (name);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static char *
attach (BaliseStore *store,
        const char  *photo_name,
        const char  *edit_uuid,
        const char  *note_uuid)
{
  g_autofree char *path = write_photo (photo_name, photo_name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  char *sha256;

  sha256 = balise_store_attach_photo (store, file, edit_uuid, note_uuid, NULL, &error);
  g_assert_no_error (error);
  return sha256;
}

static GFile *
export (BaliseStore         *store,
        const char          *contributor,
        const char          *name,
        BalisePackageReport *report)
{
  g_autofree char *path = balise_test_tmp_path (name);
  GFile *file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (balise_store_export_package (store, contributor, file, report, NULL, &error));
  g_assert_no_error (error);
  return file;
}

static GPtrArray *
edits_of (BaliseStore *store,
          const char  *contributor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = balise_store_list_edits (store, 0, &error);
  GPtrArray *edits = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_edit_unref);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (all, i);

      if (g_strcmp0 (edit->contributor, contributor) == 0)
        g_ptr_array_add (edits, balise_edit_ref (edit));
    }
  return edits;
}

static void
assert_same_edit (BaliseEdit *a,
                  BaliseEdit *b)
{
  g_assert_cmpstr (a->uuid, ==, b->uuid);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpint (a->osm_type, ==, b->osm_type);
  g_assert_cmpint (a->base_version, ==, b->base_version);
  g_assert_true ((a->base_tags == NULL) == (b->base_tags == NULL));
  if (a->base_tags != NULL)
    g_assert_true (balise_tags_equal (a->base_tags, b->base_tags));
  g_assert_true ((a->new_tags == NULL) == (b->new_tags == NULL));
  if (a->new_tags != NULL)
    g_assert_true (balise_tags_equal (a->new_tags, b->new_tags));
  g_assert_cmpfloat (a->lat, ==, b->lat);
  g_assert_cmpfloat (a->lon, ==, b->lon);
  g_assert_cmpstr (a->contributor, ==, b->contributor);
  g_assert_true (g_date_time_equal (a->created_at, b->created_at));
  g_assert_cmpint (a->status, ==, b->status);
  g_assert_cmpstr (a->reason, ==, b->reason);
  g_assert_cmpstr (a->reviewer, ==, b->reviewer);
  g_assert_cmpstr (a->review_comment, ==, b->review_comment);
  g_assert_cmpstr (a->edited_by, ==, b->edited_by);
  if (a->osm_id > 0)
    g_assert_cmpint (a->osm_id, ==, b->osm_id);
}

static void
test_package_round_trip (void)
{
  g_autoptr(BaliseStore) field = test_store_open ("field.sqlite");
  g_autoptr(BaliseStore) office = test_store_open ("office.sqlite");
  g_autoptr(BaliseEdit) created = NULL;
  g_autoptr(BaliseEdit) moved = NULL;
  g_autoptr(BaliseEdit) confirmed = NULL;
  g_autoptr(BaliseEdit) other = NULL;
  g_autoptr(BaliseEdit) own = NULL;
  g_autoptr(GPtrArray) field_edits = NULL;
  g_autoptr(GPtrArray) office_edits = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GFile) package = NULL;
  g_autoptr(BaliseFeature) feature = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *edit_photo = NULL;
  g_autofree char *note_photo = NULL;
  BalisePackageReport report;
  const char *approve[2] = { NULL, NULL };
  guint checked = 0;

  test_insert_node (field, 100, LAT, LON, "highway", "bus_stop", "name", "Casino", NULL);
  test_insert_node (office, 100, LAT, LON, "highway", "bus_stop", "name", "Casino", NULL);

  created = add_stop (field, "Camille", "Moneghetti");
  moved = balise_store_move_element (field, BALISE_OSM_NODE, created->osm_id, LAT + 0.001, LON,
                                     "Camille", &error);
  g_assert_no_error (error);
  confirmed = balise_store_confirm_element (field, BALISE_OSM_NODE, 100, "Camille", &error);
  g_assert_no_error (error);
  other = add_stop (field, "Dominique", "Not exported");
  approve[0] = confirmed->uuid;
  g_assert_true (balise_store_review_edits (field, approve, BALISE_REVIEW_APPROVE, "Morgane",
                                            "Checked on street view", &error));
  test_store_exec (field,
                   "INSERT INTO note (uuid, lat, lon, category, text, contributor, created_at, status) "
                   "VALUES ('33333333-3333-4333-8333-333333333333', 43.73, 7.42, 'pothole', "
                   "'Pothole at the stop', 'Camille', '2026-11-20T10:00:00Z', 'pending')");
  edit_photo = attach (field, "stop.jpg", moved->uuid, NULL);
  note_photo = attach (field, "pothole.jpg", NULL, "33333333-3333-4333-8333-333333333333");
  /* Dominique's photo stays behind with Dominique's edit. */
  g_free (attach (field, "other.jpg", other->uuid, NULL));

  package = export (field, "Camille", "camille.balisepkg", &report);
  g_assert_cmpuint (report.edits, ==, 3);
  g_assert_cmpuint (report.notes, ==, 1);
  g_assert_cmpuint (report.photos, ==, 2);

  /* The office has a point of its own: the imported ones must not take its id. */
  own = add_stop (office, "Morgane", "Office");
  g_assert_cmpint (own->osm_id, ==, -1);

  g_assert_true (balise_store_import_package (office, package, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.edits, ==, 3);
  g_assert_cmpuint (report.notes, ==, 1);
  g_assert_cmpuint (report.photos, ==, 2);
  g_assert_cmpuint (report.skipped_edits, ==, 0);
  g_assert_cmpuint (report.conflicts, ==, 0);

  /* The same edits, attribution and review included. */
  field_edits = edits_of (field, "Camille");
  office_edits = edits_of (office, "Camille");
  g_assert_cmpuint (office_edits->len, ==, field_edits->len);
  for (guint i = 0; i < field_edits->len; i++)
    assert_same_edit (g_ptr_array_index (field_edits, i), g_ptr_array_index (office_edits, i));

  /* The created point has one local id of the office's, for both its edits. */
  {
    BaliseEdit *first = g_ptr_array_index (office_edits, 0);
    BaliseEdit *second = g_ptr_array_index (office_edits, 1);

    g_assert_cmpint (first->osm_id, <, 0);
    g_assert_cmpint (first->osm_id, !=, own->osm_id);
    g_assert_cmpint (second->osm_id, ==, first->osm_id);

    feature = NULL;
    {
      g_autoptr(GPtrArray) features = balise_store_query_viewport (office, LON - 0.01, LAT - 0.01,
                                                                   LON + 0.01, LAT + 0.01, 0,
                                                                   &error);
      g_assert_no_error (error);
      for (guint i = 0; i < features->len; i++)
        {
          BaliseFeature *f = g_ptr_array_index (features, i);

          if (f->osm_id == first->osm_id)
            feature = balise_feature_ref (f);
        }
    }
    g_assert_nonnull (feature);
    g_assert_cmpfloat_with_epsilon (feature->lat, LAT + 0.001, 1e-7);
  }

  /* The photos, whole. */
  photos = balise_store_list_photos (office, moved->uuid, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photos->len, ==, 1);
  g_assert_cmpstr (((BalisePhoto *) g_ptr_array_index (photos, 0))->sha256, ==, edit_photo);
  g_clear_pointer (&photos, g_ptr_array_unref);
  photos = balise_store_list_photos (office, NULL, "33333333-3333-4333-8333-333333333333", &error);
  g_assert_cmpuint (photos->len, ==, 1);
  g_assert_cmpstr (((BalisePhoto *) g_ptr_array_index (photos, 0))->sha256, ==, note_photo);
  {
    g_autoptr(GBytes) a = balise_store_read_photo (field, edit_photo, &error);
    g_autoptr(GBytes) b = balise_store_read_photo (office, edit_photo, &error);

    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (a, b));
  }
  g_assert_true (balise_store_verify_photos (office, &checked, &error));
  g_assert_cmpuint (checked, ==, 2);

  /* Importing twice changes nothing. */
  g_assert_true (balise_store_import_package (office, package, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.edits, ==, 0);
  g_assert_cmpuint (report.notes, ==, 0);
  g_assert_cmpuint (report.photos, ==, 0);
  g_assert_cmpuint (report.skipped_edits, ==, 3);
  g_assert_cmpuint (report.skipped_notes, ==, 1);
  g_clear_pointer (&office_edits, g_ptr_array_unref);
  office_edits = edits_of (office, "Camille");
  g_assert_cmpuint (office_edits->len, ==, 3);
  g_clear_pointer (&photos, g_ptr_array_unref);
  photos = balise_store_list_photos (office, moved->uuid, NULL, &error);
  g_assert_cmpuint (photos->len, ==, 1);

  /* A later package of the same volunteer stacks on the same new point. */
  {
    g_autoptr(BaliseEdit) again = NULL;
    g_autoptr(GFile) later = NULL;
    gint64 point_id = ((BaliseEdit *) g_ptr_array_index (office_edits, 0))->osm_id;

    again = balise_store_confirm_element (field, BALISE_OSM_NODE, created->osm_id, "Camille",
                                          &error);
    g_assert_no_error (error);
    later = export (field, "Camille", "camille-2.balisepkg", &report);
    g_assert_true (balise_store_import_package (office, later, &report, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (report.edits, ==, 1);
    g_clear_pointer (&office_edits, g_ptr_array_unref);
    office_edits = edits_of (office, "Camille");
    g_assert_cmpuint (office_edits->len, ==, 4);
    g_assert_cmpint (((BaliseEdit *) g_ptr_array_index (office_edits, 3))->osm_id, ==, point_id);
  }
}

/* Two volunteers changed the same stop on two machines. */
static void
test_package_conflict (void)
{
  g_autoptr(BaliseStore) first = test_store_open ("conflict-1.sqlite");
  g_autoptr(BaliseStore) second = test_store_open ("conflict-2.sqlite");
  g_autoptr(BaliseStore) office = test_store_open ("conflict-office.sqlite");
  g_autoptr(BaliseChange) shelter = balise_change_new (BALISE_CHANGE_TAGS, BALISE_OSM_NODE, 200,
                                                       "Camille");
  g_autoptr(BaliseChange) bench = balise_change_new (BALISE_CHANGE_TAGS, BALISE_OSM_NODE, 200,
                                                     "Dominique");
  g_autoptr(BaliseEdit) a = NULL;
  g_autoptr(BaliseEdit) b = NULL;
  g_autoptr(BaliseEdit) stored = NULL;
  g_autoptr(GFile) package_a = NULL;
  g_autoptr(GFile) package_b = NULL;
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GError) error = NULL;
  BalisePackageReport report;
  const char *reject[2] = { NULL, NULL };

  test_insert_node (first, 200, LAT, LON, "highway", "bus_stop", NULL);
  test_insert_node (second, 200, LAT, LON, "highway", "bus_stop", NULL);
  test_insert_node (office, 200, LAT, LON, "highway", "bus_stop", NULL);

  shelter->tags = balise_tags_new ();
  balise_tags_set (shelter->tags, "shelter", "yes");
  a = balise_store_change_element (first, shelter, &error);
  g_assert_no_error (error);
  bench->tags = balise_tags_new ();
  balise_tags_set (bench->tags, "shelter", "no");
  b = balise_store_change_element (second, bench, &error);
  g_assert_no_error (error);

  package_a = export (first, "Camille", "a.balisepkg", &report);
  package_b = export (second, "Dominique", "b.balisepkg", &report);

  g_assert_true (balise_store_import_package (office, package_a, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.conflicts, ==, 0);
  g_assert_true (balise_store_import_package (office, package_b, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.edits, ==, 1);
  g_assert_cmpuint (report.conflicts, ==, 1);

  /* Visible: a conflict naming the other edit, on the map and in the queue. */
  stored = balise_store_get_edit (office, b->uuid, &error);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_CONFLICT);
  g_assert_nonnull (strstr (stored->error, "Camille"));
  features = balise_store_query_features (office, LON - 0.01, LAT - 0.01, LON + 0.01, LAT + 0.01,
                                          0, TRUE, &error);
  g_assert_cmpuint (features->len, ==, 1);
  g_assert_cmpint (((BaliseFeature *) g_ptr_array_index (features, 0))->status, ==,
                   BALISE_FEATURE_CONFLICT);
  queue = balise_store_list_review_queue (office, 0, BALISE_QUEUE_BY_CONTRIBUTOR, NULL, &error);
  g_assert_cmpuint (queue->len, ==, 1);
  g_assert_cmpstr (((BaliseQueueGroup *) g_ptr_array_index (queue, 0))->label, ==, "Dominique");

  /* Never a silent overwrite: neither goes to the server until decided. */
  g_assert_true (balise_store_set_review_before_upload (office, FALSE, &error));
  ready = balise_store_list_ready_edits (office, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ready->len, ==, 0);

  /* Rejecting the second brings the first back. */
  reject[0] = b->uuid;
  g_assert_true (balise_store_review_edits (office, reject, BALISE_REVIEW_REJECT, "Morgane",
                                            "The shelter is there", &error));
  g_assert_no_error (error);
  g_clear_pointer (&ready, g_ptr_array_unref);
  ready = balise_store_list_ready_edits (office, &error);
  g_assert_cmpuint (ready->len, ==, 1);
  g_assert_cmpstr (((BaliseEdit *) g_ptr_array_index (ready, 0))->uuid, ==, a->uuid);
}

static void
test_package_refused (void)
{
  g_autoptr(BaliseStore) field = test_store_open ("refused-field.sqlite");
  g_autoptr(BaliseStore) office = test_store_open ("refused-office.sqlite");
  g_autoptr(BaliseEdit) edit = add_stop (field, "Camille", "Casino");
  g_autoptr(GFile) package = NULL;
  g_autoptr(GFile) not_package = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *checksum_before = NULL;
  g_autofree char *checksum_after = NULL;
  g_autofree char *contents = NULL;
  BalisePackageReport report;
  gsize length;

  g_free (attach (field, "refused.jpg", edit->uuid, NULL));

  /* Unknown contributor: nothing written. */
  path = balise_test_tmp_path ("nobody.balisepkg");
  package = g_file_new_for_path (path);
  g_assert_false (balise_store_export_package (field, "Nobody", package, &report, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_object (&package);

  /* From a newer Balise: refused, untouched. */
  package = export (field, "Camille", "newer.balisepkg", &report);
  g_free (path);
  path = g_file_get_path (package);
  file_exec (path, "PRAGMA user_version = 99");
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  checksum_before = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);
  g_clear_pointer (&contents, g_free);
  g_assert_false (balise_store_import_package (office, package, &report, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Balise"));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  checksum_after = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);
  g_assert_cmpstr (checksum_before, ==, checksum_after);

  /* Not a package at all: a Balise database. */
  not_package = g_file_new_for_path (balise_store_get_path (field));
  g_assert_false (balise_store_import_package (office, not_package, &report, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  /* A damaged photo: nothing at all is imported. */
  file_exec (path, "PRAGMA user_version = 1; UPDATE photo SET data = zeroblob (12)");
  g_assert_false (balise_store_import_package (office, package, &report, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_clear_error (&error);
  edits = balise_store_list_edits (office, 0, &error);
  g_assert_cmpuint (edits->len, ==, 0);
}

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_package_async (void)
{
  g_autoptr(BaliseStore) field = test_store_open ("async-field.sqlite");
  g_autoptr(BaliseStore) office = test_store_open ("async-office.sqlite");
  g_autoptr(BaliseEdit) edit = add_stop (field, "Camille", "Casino");
  g_autofree char *path = balise_test_tmp_path ("async.balisepkg");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  BalisePackageReport report;

  balise_store_export_package_async (field, "Camille", file, NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (balise_store_export_package_finish (field, result, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.edits, ==, 1);
  g_clear_object (&result);

  balise_store_import_package_async (office, file, NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (balise_store_import_package_finish (office, result, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.edits, ==, 1);
  g_clear_object (&result);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/package/round-trip", test_package_round_trip);
  g_test_add_func ("/package/conflict", test_package_conflict);
  g_test_add_func ("/package/refused", test_package_refused);
  g_test_add_func ("/package/async", test_package_async);

  return g_test_run ();
}
