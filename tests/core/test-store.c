/* test-store.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "balise-core.h"
#include "balise-test-utils.h"

static char *
temp_db_path (const char *name)
{
  return balise_test_tmp_path (name);
}

static BaliseEdit *
new_bus_stop (const char *name,
              double      lat,
              double      lon)
{
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);

  edit->lat = lat;
  edit->lon = lon;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  balise_tags_set (edit->new_tags, "public_transport", "platform");
  balise_tags_set (edit->new_tags, "bus", "yes");
  if (name != NULL)
    balise_tags_set (edit->new_tags, "name", name);
  edit->contributor = g_strdup ("Camille");
  return edit;
}

static void
sqlite_exec (const char *path,
             const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize size;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, size);
}

static void
test_store_create (void)
{
  g_autofree char *path = temp_db_path ("create.sqlite");
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (balise_store_get_schema_version (store), ==, BALISE_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (balise_store_count_pending (store), ==, 0);

  /* Volunteers' names are in there: only the owner may read it. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_store_round_trip (void)
{
  g_autofree char *path = temp_db_path ("round-trip.sqlite");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  g_autofree char *first_uuid = NULL;
  BaliseEdit *edit;


  {
    g_autoptr(BaliseStore) store = balise_store_open (path, &error);
    g_autoptr(BaliseEdit) first = new_bus_stop ("Place d'Armes", 43.7314, 7.4197);
    g_autoptr(BaliseEdit) second = new_bus_stop (NULL, 43.7401, 7.4266);

    g_assert_no_error (error);
    g_assert_true (balise_store_add_edit (store, first, &error));
    g_assert_no_error (error);
    g_assert_true (balise_store_add_edit (store, second, &error));
    g_assert_no_error (error);

    /* Creates get stable negative ids: the osmChange placeholders. */
    g_assert_cmpint (first->osm_id, ==, -1);
    g_assert_cmpint (second->osm_id, ==, -2);
    g_assert_nonnull (first->uuid);
    g_assert_true (g_uuid_string_is_valid (first->uuid));
    g_assert_cmpuint (balise_store_count_pending (store), ==, 2);
    first_uuid = g_strdup (first->uuid);
  }

  /* Everything is still there after closing and opening again. */
  {
    g_autoptr(BaliseStore) store = balise_store_open (path, &error);
    g_autoptr(BaliseEdit) again = NULL;

    g_assert_no_error (error);
    edits = balise_store_list_edits (store, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (edits->len, ==, 2);

    edit = g_ptr_array_index (edits, 0);
    g_assert_cmpstr (edit->uuid, ==, first_uuid);
    g_assert_cmpint (edit->kind, ==, BALISE_EDIT_CREATE);
    g_assert_cmpint (edit->osm_type, ==, BALISE_OSM_NODE);
    g_assert_cmpint (edit->osm_id, ==, -1);
    g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_PENDING);
    g_assert_cmpfloat_with_epsilon (edit->lat, 43.7314, 1e-9);
    g_assert_cmpfloat_with_epsilon (edit->lon, 7.4197, 1e-9);
    g_assert_cmpstr (edit->contributor, ==, "Camille");
    g_assert_nonnull (edit->created_at);
    g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "name"), ==, "Place d'Armes");
    g_assert_cmpuint (balise_tags_get_size (edit->new_tags), ==, 4);
    g_assert_null (edit->base_tags);

    again = balise_store_get_edit (store, first_uuid, &error);
    g_assert_no_error (error);
    g_assert_true (balise_tags_equal (again->new_tags, edit->new_tags));

    g_assert_null (balise_store_get_edit (store, "00000000-0000-4000-8000-000000000000", &error));
    g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);

    /* The status mask filters. */
    g_clear_pointer (&edits, g_ptr_array_unref);
    edits = balise_store_list_edits (store,
                                     BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_UPLOADED),
                                     &error);
    g_assert_no_error (error);
    g_assert_cmpuint (edits->len, ==, 0);
  }
}

static void
test_store_invalid_edit (void)
{
  g_autofree char *path = temp_db_path ("invalid.sqlite");
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(BaliseEdit) too_long = new_bus_stop (NULL, 43.73, 7.42);
  g_autoptr(BaliseEdit) off_globe = new_bus_stop ("Nowhere", 91.0, 7.42);
  g_autoptr(GString) value = g_string_new (NULL);

  store = balise_store_open (path, &error);
  g_assert_no_error (error);

  for (int i = 0; i < 300; i++)
    g_string_append_c (value, 'x');
  balise_tags_set (too_long->new_tags, "name", value->str);

  g_assert_false (balise_store_add_edit (store, too_long, &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG);
  g_clear_error (&error);

  g_assert_false (balise_store_add_edit (store, off_globe, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);

  /* Nothing was written, and the next create still gets -1. */
  g_assert_cmpuint (balise_store_count_pending (store), ==, 0);
}

static void
test_store_migrate_from_empty (void)
{
  g_autofree char *path = temp_db_path ("empty.sqlite");
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseEdit) edit = new_bus_stop ("Fontvieille", 43.7285, 7.4150);

  /* An empty file (what a crash right after creating it leaves) is version 0. */
  g_assert_true (g_file_set_contents (path, "", 0, NULL));

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (balise_store_get_schema_version (store), ==, BALISE_STORE_SCHEMA_VERSION);
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);
}

static void
test_store_too_new (void)
{
  g_autofree char *path = temp_db_path ("future.sqlite");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;


  {
    g_autoptr(BaliseStore) store = balise_store_open (path, &error);
    g_assert_no_error (error);
  }

  sql = g_strdup_printf ("PRAGMA user_version = %d", BALISE_STORE_SCHEMA_VERSION + 1);
  sqlite_exec (path, sql);
  before = file_checksum (path);

  g_assert_null (balise_store_open (path, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Balise"));

  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_store_not_ours (void)
{
  g_autofree char *other = temp_db_path ("other.sqlite");
  g_autofree char *garbage = temp_db_path ("garbage.sqlite");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;


  sqlite_exec (other, "CREATE TABLE photos (id INTEGER); PRAGMA user_version = 3;");
  before = file_checksum (other);
  g_assert_null (balise_store_open (other, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  after = file_checksum (other);
  g_assert_cmpstr (before, ==, after);

  g_assert_true (g_file_set_contents (garbage, "this is not a database, just some text\n", -1, NULL));
  g_assert_null (balise_store_open (garbage, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not a Balise database"));
}

typedef struct
{
  GMainLoop  *loop;
  guint       changed;
  gboolean    done;
  GError     *error;
} AsyncState;

static void
changed_cb (BaliseStore *store,
            AsyncState  *state)
{
  state->changed++;
  if (state->done)
    g_main_loop_quit (state->loop);
}

static void
add_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncState *state = user_data;

  balise_store_add_edit_finish (BALISE_STORE (object), result, &state->error);
  state->done = TRUE;
  if (state->changed > 0 || state->error != NULL)
    g_main_loop_quit (state->loop);
}

static void
open_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  BaliseStore **store = user_data;
  g_autoptr(GError) error = NULL;

  *store = balise_store_open_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_store_async (void)
{
  g_autofree char *path = temp_db_path ("async.sqlite");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(BaliseEdit) edit = new_bus_stop ("Monte-Carlo", 43.7396, 7.4272);
  AsyncState state = { loop, 0, FALSE, NULL };


  balise_store_open_async (path, NULL, open_done_cb, &store);
  while (store == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &state);
  balise_store_add_edit_async (store, edit, NULL, add_done_cb, &state);
  g_main_loop_run (loop);

  g_assert_no_error (state.error);
  g_assert_cmpuint (state.changed, ==, 1);
  g_assert_cmpint (edit->osm_id, ==, -1);
  g_assert_cmpuint (balise_store_count_pending (store), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/create", test_store_create);
  g_test_add_func ("/store/round-trip", test_store_round_trip);
  g_test_add_func ("/store/invalid-edit", test_store_invalid_edit);
  g_test_add_func ("/store/migrate/from-empty", test_store_migrate_from_empty);
  g_test_add_func ("/store/migrate/too-new", test_store_too_new);
  g_test_add_func ("/store/not-ours", test_store_not_ours);
  g_test_add_func ("/store/async", test_store_async);

  return g_test_run ();
}
