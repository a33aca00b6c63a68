/* test-journal.c: changing existing elements, undo/redo, photos, profiles
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <glib/gstdio.h>

#include "balise-core.h"
#include "balise-export.h"
#include "balise-store-drafts.h"
#include "balise-store-notes.h"
#include "balise-store-query.h"
#include "balise-store-sync.h"
#include "balise-test-utils.h"
#include "test-elements.h"
#include "test-photos.h"
#include "test-store.h"

/* Monaco, around the Place d'Armes. */
#define LAT 43.7314
#define LON 7.4197

static void
insert_bus_stop (BaliseStore *store,
                 gint64       osm_id)
{
  test_insert_node (store, osm_id, LAT, LON,
                    "highway", "bus_stop", "public_transport", "platform", "bus", "yes",
                    "name", "Place d'Armes", "bench", "yes", NULL);
}

/* The effective feature of node @osm_id, or NULL when the map shows none. */
static BaliseFeature *
effective_node (BaliseStore *store,
                gint64       osm_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) features = NULL;

  features = balise_store_query_viewport (store, LON - 0.1, LAT - 0.1, LON + 0.1, LAT + 0.1, 0,
                                          &error);
  g_assert_no_error (error);
  for (guint i = 0; i < features->len; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (features, i);

      if (feature->osm_type == BALISE_OSM_NODE && feature->osm_id == osm_id)
        return balise_feature_ref (feature);
    }
  return NULL;
}

static guint
count_edits (BaliseStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) edits = balise_store_list_edits (store, 0, &error);

  g_assert_no_error (error);
  return edits->len;
}

static char *
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static void
test_journal_modify (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("modify.sqlite");
  g_autoptr(BaliseChange) change = balise_change_new (BALISE_CHANGE_TAGS, BALISE_OSM_NODE, 100,
                                                      "Camille");
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(BaliseFeature) feature = NULL;
  g_autoptr(GError) error = NULL;

  insert_bus_stop (store, 100);

  change->tags = balise_tags_new ();
  balise_tags_set (change->tags, "shelter", "yes");
  change->remove_keys = g_strsplit ("bench", ",", -1);
  change->preset = g_strdup ("bus_stop");
  edit = balise_store_change_element (store, change, &error);
  g_assert_no_error (error);

  /* A modify with the base copy's version and tags, and the whole result. */
  g_assert_cmpint (edit->kind, ==, BALISE_EDIT_MODIFY);
  g_assert_cmpint (edit->osm_id, ==, 100);
  g_assert_cmpint (edit->base_version, ==, 1);
  g_assert_cmpstr (balise_tags_lookup (edit->base_tags, "bench"), ==, "yes");
  g_assert_null (balise_tags_lookup (edit->base_tags, "shelter"));
  g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "shelter"), ==, "yes");
  g_assert_null (balise_tags_lookup (edit->new_tags, "bench"));
  g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "name"), ==, "Place d'Armes");
  g_assert_cmpfloat_with_epsilon (edit->lat, LAT, 1e-7);
  g_assert_cmpfloat_with_epsilon (edit->lon, LON, 1e-7);

  /* It reads back as stored, with its contributor and preset. */
  {
    g_autoptr(BaliseEdit) stored = balise_store_get_edit (store, edit->uuid, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (stored->contributor, ==, "Camille");
    g_assert_cmpstr (stored->preset, ==, "bus_stop");
    g_assert_true (balise_tags_equal (stored->new_tags, edit->new_tags));
    g_assert_true (balise_tags_equal (stored->base_tags, edit->base_tags));
  }

  feature = effective_node (store, 100);
  g_assert_nonnull (feature);
  g_assert_cmpint (feature->status, ==, BALISE_FEATURE_MODIFIED);
  g_assert_cmpstr (balise_tags_lookup (feature->tags, "shelter"), ==, "yes");
  g_assert_null (balise_tags_lookup (feature->tags, "bench"));

  /* Changing nothing records nothing. */
  g_clear_pointer (&edit, balise_edit_unref);
  edit = balise_store_change_element (store, change, &error);
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_assert_null (edit);
  g_clear_error (&error);

  /* Nor does a change without its contributor, or of an unknown node. */
  g_clear_pointer (&change->contributor, g_free);
  balise_tags_set (change->tags, "lit", "yes");
  g_assert_null (balise_store_change_element (store, change, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  change->contributor = g_strdup ("Camille");
  change->osm_id = 4242;
  g_assert_null (balise_store_change_element (store, change, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpuint (count_edits (store), ==, 1);
}

static void
test_journal_confirm (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("confirm.sqlite");
  g_autoptr(BaliseChange) change = balise_change_new (BALISE_CHANGE_CONFIRM, BALISE_OSM_NODE, 7,
                                                      "Camille");
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(BaliseFeature) feature = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = today ();

  insert_bus_stop (store, 7);

  edit = balise_store_confirm_element (store, BALISE_OSM_NODE, 7, "Camille", &error);
  g_assert_no_error (error);
  g_assert_cmpint (edit->kind, ==, BALISE_EDIT_MODIFY);
  g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "check_date"), ==, date);
  /* Everything else unchanged. */
  g_assert_cmpuint (balise_tags_get_size (edit->new_tags), ==,
                    balise_tags_get_size (edit->base_tags) + 1);

  /* Confirming again the same day changes nothing. */
  g_clear_pointer (&edit, balise_edit_unref);
  g_assert_null (balise_store_confirm_element (store, BALISE_OSM_NODE, 7, "Camille", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A date given, which updates the check_date already there. */
  change->date = g_strdup ("2031-02-03");
  edit = balise_store_change_element (store, change, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (balise_tags_lookup (edit->new_tags, "check_date"), ==, "2031-02-03");
  feature = effective_node (store, 7);
  g_assert_cmpstr (balise_tags_lookup (feature->tags, "check_date"), ==, "2031-02-03");

  g_free (change->date);
  change->date = g_strdup ("2031-02-30");
  g_assert_null (balise_store_change_element (store, change, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2031-02-30"));
  g_clear_error (&error);

  g_assert_cmpuint (count_edits (store), ==, 2);
}

static void
test_journal_move (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("move.sqlite");
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(BaliseFeature) feature = NULL;
  g_autoptr(GError) error = NULL;

  insert_bus_stop (store, 8);

  edit = balise_store_move_element (store, BALISE_OSM_NODE, 8, LAT + 0.0002, LON - 0.0001,
                                    "Camille", &error);
  g_assert_no_error (error);
  g_assert_cmpint (edit->kind, ==, BALISE_EDIT_MODIFY);
  g_assert_true (balise_tags_equal (edit->new_tags, edit->base_tags));

  feature = effective_node (store, 8);
  g_assert_cmpfloat_with_epsilon (feature->lat, LAT + 0.0002, 1e-7);
  g_assert_cmpfloat_with_epsilon (feature->lon, LON - 0.0001, 1e-7);

  g_assert_null (balise_store_move_element (store, BALISE_OSM_NODE, 8, 95.0, LON,
                                            "Camille", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Ways carry their node list, which the journal does not keep. */
  g_assert_null (balise_store_move_element (store, BALISE_OSM_WAY, 8, LAT, LON,
                                            "Camille", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpuint (count_edits (store), ==, 1);
}

static void
test_journal_delete (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("delete.sqlite");
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(BaliseFeature) feature = NULL;
  g_autoptr(GError) error = NULL;

  insert_bus_stop (store, 9);

  g_assert_null (balise_store_delete_element (store, BALISE_OSM_NODE, 9, "  ", "Camille", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (count_edits (store), ==, 0);

  edit = balise_store_delete_element (store, BALISE_OSM_NODE, 9,
                                      "The stop moved across the road", "Camille", &error);
  g_assert_no_error (error);
  g_assert_cmpint (edit->kind, ==, BALISE_EDIT_DELETE);
  g_assert_cmpint (edit->base_version, ==, 1);
  g_assert_null (edit->new_tags);

  {
    g_autoptr(BaliseEdit) stored = balise_store_get_edit (store, edit->uuid, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (stored->reason, ==, "The stop moved across the road");
  }

  feature = effective_node (store, 9);
  g_assert_null (feature);

  /* A deleted element cannot be changed until the deletion is undone. */
  g_assert_null (balise_store_confirm_element (store, BALISE_OSM_NODE, 9, "Camille", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&edit, balise_edit_unref);
  edit = balise_store_undo (store, "Camille", &error);
  g_assert_no_error (error);
  g_clear_pointer (&edit, balise_edit_unref);
  edit = balise_store_confirm_element (store, BALISE_OSM_NODE, 9, "Camille", &error);
  g_assert_no_error (error);
}

static void
test_journal_raw_tags (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("raw.sqlite");
  g_autoptr(BaliseChange) change = balise_change_new (BALISE_CHANGE_REPLACE_TAGS, BALISE_OSM_NODE,
                                                      10, "Dominique");
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_value = g_strnfill (256, 'x');

  insert_bus_stop (store, 10);

  change->tags = balise_tags_new ();
  balise_tags_set (change->tags, "highway", "bus_stop");
  balise_tags_set (change->tags, "name:fr", "Place d'Armes");
  balise_tags_set (change->tags, "note", long_value);
  g_assert_null (balise_store_change_element (store, change, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "255"));
  g_clear_error (&error);
  g_assert_cmpuint (count_edits (store), ==, 0);

  balise_tags_remove (change->tags, "note");
  edit = balise_store_change_element (store, change, &error);
  g_assert_no_error (error);
  /* The whole list: what is not in it is gone. */
  g_assert_true (balise_tags_equal (edit->new_tags, change->tags));
  g_assert_null (balise_tags_lookup (edit->new_tags, "bench"));
  g_assert_cmpstr (edit->contributor, ==, "Dominique");
}

static void
test_journal_stacking (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("stacking.sqlite");
  g_autoptr(BaliseChange) first = balise_change_new (BALISE_CHANGE_TAGS, BALISE_OSM_NODE, 11,
                                                     "Camille");
  g_autoptr(BaliseChange) second = balise_change_new (BALISE_CHANGE_TAGS, BALISE_OSM_NODE, 11,
                                                      "Camille");
  g_autoptr(BaliseEdit) a = NULL;
  g_autoptr(BaliseEdit) b = NULL;
  g_autoptr(BaliseEdit) undone = NULL;
  g_autoptr(BaliseFeature) feature = NULL;
  g_autoptr(BaliseBatch) batch = NULL;
  g_autoptr(GPtrArray) batch_edits = NULL;
  g_autoptr(GError) error = NULL;

  insert_bus_stop (store, 11);

  first->tags = balise_tags_new ();
  balise_tags_set (first->tags, "shelter", "yes");
  a = balise_store_change_element (store, first, &error);
  g_assert_no_error (error);
  second->tags = balise_tags_new ();
  balise_tags_set (second->tags, "lit", "yes");
  b = balise_store_change_element (store, second, &error);
  g_assert_no_error (error);

  /* The second carries the whole change from the server's version. */
  g_assert_cmpint (b->base_version, ==, 1);
  g_assert_true (balise_tags_equal (b->base_tags, a->base_tags));
  g_assert_cmpstr (balise_tags_lookup (b->new_tags, "shelter"), ==, "yes");
  g_assert_cmpstr (balise_tags_lookup (b->new_tags, "lit"), ==, "yes");

  feature = effective_node (store, 11);
  g_assert_cmpstr (balise_tags_lookup (feature->tags, "lit"), ==, "yes");
  g_assert_cmpstr (balise_tags_lookup (feature->tags, "shelter"), ==, "yes");

  /* One element, one change to send: the first is superseded. */
  g_assert_cmpuint (balise_store_count_pending (store), ==, 1);
  {
    g_autoptr(GBytes) osc = balise_export (store, BALISE_EXPORT_OSC, NULL, &error);
    g_autoptr(GPtrArray) changes = NULL;

    g_assert_no_error (error);
    changes = balise_osm_xml_parse_change (osc, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (changes->len, ==, 1);
    g_assert_cmpstr (balise_tags_lookup (((BaliseEdit *) g_ptr_array_index (changes, 0))->new_tags,
                                         "lit"), ==, "yes");
  }

  /* Undo brings the first back, in the map and in what would be sent. */
  undone = balise_store_undo (store, "Camille", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (undone->uuid, ==, b->uuid);
  g_clear_pointer (&feature, balise_feature_unref);
  feature = effective_node (store, 11);
  g_assert_cmpstr (balise_tags_lookup (feature->tags, "shelter"), ==, "yes");
  g_assert_null (balise_tags_lookup (feature->tags, "lit"));
  g_assert_cmpuint (balise_store_count_pending (store), ==, 1);

  g_clear_pointer (&undone, balise_edit_unref);
  undone = balise_store_redo (store, "Camille", &error);
  g_assert_no_error (error);

  /* The upload plan takes the latest only. */
  batch = _balise_store_plan_batch (store, "http://127.0.0.1:1/api", 
                                    BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_PENDING),
                                    100, "test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
  batch_edits = _balise_store_list_batch_edits (store, batch->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch_edits->len, ==, 1);
  g_assert_cmpstr (((BaliseEdit *) g_ptr_array_index (batch_edits, 0))->uuid, ==, b->uuid);
}

static void
test_journal_stacking_create (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("stacking-create.sqlite");
  g_autoptr(BaliseEdit) created = NULL;
  g_autoptr(BaliseEdit) moved = NULL;
  g_autoptr(BaliseEdit) deleted = NULL;
  g_autoptr(BaliseFeature) feature = NULL;
  g_autoptr(GError) error = NULL;

  created = test_add_edit (store, BALISE_EDIT_CREATE, 0, LAT, LON,
                           "highway", "bus_stop", "name", "Nouveau", NULL);
  g_assert_cmpint (created->osm_id, ==, -1);

  /* A point created here and not uploaded: a new version of its create. */
  moved = balise_store_move_element (store, BALISE_OSM_NODE, -1, LAT + 0.001, LON,
                                     "Camille", &error);
  g_assert_no_error (error);
  g_assert_cmpint (moved->kind, ==, BALISE_EDIT_CREATE);
  g_assert_cmpint (moved->osm_id, ==, -1);
  g_assert_cmpint (moved->base_version, ==, 0);
  g_assert_cmpstr (balise_tags_lookup (moved->new_tags, "name"), ==, "Nouveau");
  g_assert_cmpuint (balise_store_count_pending (store), ==, 1);

  feature = effective_node (store, -1);
  g_assert_nonnull (feature);
  g_assert_cmpint (feature->status, ==, BALISE_FEATURE_NEW);
  g_assert_cmpfloat_with_epsilon (feature->lat, LAT + 0.001, 1e-7);

  /* Deleting it before upload leaves nothing to send. */
  deleted = balise_store_delete_element (store, BALISE_OSM_NODE, -1, "Recorded twice",
                                         "Camille", &error);
  g_assert_no_error (error);
  g_assert_cmpint (deleted->kind, ==, BALISE_EDIT_DELETE);
  g_assert_cmpuint (balise_store_count_pending (store), ==, 0);
  g_clear_pointer (&feature, balise_feature_unref);
  feature = effective_node (store, -1);
  g_assert_null (feature);

  /* While its create is being uploaded, a point cannot be changed. */
  test_store_exec (store, "UPDATE edit SET status = 'undone' WHERE kind = 'delete';"
                          "UPDATE edit SET status = 'uploading' WHERE id = 2");
  g_assert_null (balise_store_confirm_element (store, BALISE_OSM_NODE, -1, "Camille", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_UPLOADED);
  g_clear_error (&error);
}

static void
test_journal_undo_redo (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("undo.sqlite");
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_uuid = NULL;
  g_autofree char *second_uuid = NULL;
  g_autofree char *third_uuid = NULL;
  g_autofree char *other_uuid = NULL;

  insert_bus_stop (store, 20);
  insert_bus_stop (store, 21);
  insert_bus_stop (store, 22);

  g_assert_false (balise_store_can_undo (store, "Camille"));
  g_assert_null (balise_store_undo (store, "Camille", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  edit = balise_store_confirm_element (store, BALISE_OSM_NODE, 20, "Camille", &error);
  first_uuid = g_strdup (edit->uuid);
  g_clear_pointer (&edit, balise_edit_unref);
  edit = balise_store_confirm_element (store, BALISE_OSM_NODE, 21, "Camille", &error);
  second_uuid = g_strdup (edit->uuid);
  g_clear_pointer (&edit, balise_edit_unref);
  /* Someone else's edit, in between, is not Camille's to undo. */
  edit = balise_store_confirm_element (store, BALISE_OSM_NODE, 22, "Dominique", &error);
  other_uuid = g_strdup (edit->uuid);
  g_clear_pointer (&edit, balise_edit_unref);
  edit = balise_store_move_element (store, BALISE_OSM_NODE, 20, LAT + 0.001, LON, "Camille",
                                    &error);
  third_uuid = g_strdup (edit->uuid);
  g_clear_pointer (&edit, balise_edit_unref);
  g_assert_no_error (error);

  g_assert_true (balise_store_can_undo (store, "Camille"));
  g_assert_false (balise_store_can_redo (store, "Camille"));

  edit = balise_store_undo (store, "Camille", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (edit->uuid, ==, third_uuid);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_UNDONE);
  g_clear_pointer (&edit, balise_edit_unref);
  edit = balise_store_undo (store, "Camille", &error);
  g_assert_cmpstr (edit->uuid, ==, second_uuid);
  g_clear_pointer (&edit, balise_edit_unref);

  /* The history survives a restart. */
  store = test_store_reopen (store);
  g_assert_true (balise_store_can_redo (store, "Camille"));
  g_assert_false (balise_store_can_redo (store, "Dominique"));

  edit = balise_store_redo (store, "Camille", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (edit->uuid, ==, second_uuid);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_PENDING);
  g_clear_pointer (&edit, balise_edit_unref);

  /* A new edit empties the redo history: the third stays undone. */
  edit = balise_store_move_element (store, BALISE_OSM_NODE, 22, LAT, LON + 0.001, "Camille",
                                    &error);
  g_assert_no_error (error);
  g_clear_pointer (&edit, balise_edit_unref);
  g_assert_false (balise_store_can_redo (store, "Camille"));
  g_assert_null (balise_store_redo (store, "Camille", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  edit = balise_store_get_edit (store, third_uuid, &error);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_UNDONE);
  g_clear_pointer (&edit, balise_edit_unref);

  /* Dominique's edit was never touched. */
  edit = balise_store_get_edit (store, other_uuid, &error);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_PENDING);
  g_clear_pointer (&edit, balise_edit_unref);

  /* An uploaded edit cannot be undone. */
  test_store_exec (store, "UPDATE edit SET status = 'uploaded' WHERE contributor = 'Camille'");
  g_assert_false (balise_store_can_undo (store, "Camille"));
  g_assert_null (balise_store_undo (store, "Camille", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_UPLOADED);
  g_assert_nonnull (strstr (error->message, "already uploaded"));
  g_clear_error (&error);
  edit = balise_store_get_edit (store, first_uuid, &error);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_UPLOADED);
}

/* The plan of a lookup: every table it reads is searched through @index
 * (a range of it), never scanned. */
static void
assert_plan_uses (sqlite3    *db,
                  const char *sql,
                  const char *edit_index,
                  const char *note_index)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  g_autoptr(GString) plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  guint searches = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *detail = (const char *) sqlite3_column_text (stmt, 3);

      g_string_append_printf (plan, "%s\n", detail);
      if (g_str_has_prefix (detail, "SCAN edit") || g_str_has_prefix (detail, "SCAN note"))
        g_error ("The lookup scans a table:\n%s", plan->str);
      if (g_str_has_prefix (detail, "SEARCH edit USING INDEX ") && strstr (detail, edit_index) != NULL)
        searches++;
      if (g_str_has_prefix (detail, "SEARCH note USING INDEX ") && strstr (detail, note_index) != NULL)
        searches++;
    }
  sqlite3_finalize (stmt);
  g_test_message ("%s", plan->str);
  g_assert_cmpuint (searches, ==, 2);
}

/* Undo and redo know at once what they would take back: can_undo() and
 * can_redo() run on the main thread after every change, as two lookups in
 * an index, however long the journal. */
static void
test_journal_undo_plan (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("undo-plan.sqlite");
  sqlite3 *db = _balise_store_get_read_db (store);

  assert_plan_uses (db, _balise_store_undo_sql (FALSE), "edit_history", "note_history");
  assert_plan_uses (db, _balise_store_undo_sql (TRUE), "edit_history", "note_history");

  /* The indexes keep what the lookups need: the order in one history. */
  test_store_exec (store,
                   "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                   "INSERT INTO edit (uuid, kind, osm_type, osm_id, contributor, created_at, status) "
                   "SELECT 'u' || i, 'modify', 'node', i, "
                   "CASE i % 3 WHEN 0 THEN 'Camille' ELSE 'Dominique' END, "
                   "printf ('2026-01-01T00:%02d:%02dZ', i / 60 % 60, i % 60), "
                   "CASE WHEN i > 1990 AND i % 3 = 0 THEN 'undone' ELSE 'pending' END FROM n");
  g_assert_true (balise_store_can_undo (store, "Camille"));
  g_assert_true (balise_store_can_redo (store, "Camille"));
  g_assert_true (balise_store_can_undo (store, "Dominique"));
  g_assert_false (balise_store_can_redo (store, "Dominique"));
  g_assert_false (balise_store_can_undo (store, "Nobody"));
}

/* A fault recorded between two edits is undone and redone in its turn. */
static void
test_journal_undo_notes (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("undo-notes.sqlite");
  g_autoptr(BaliseNote) note = balise_note_new (LAT, LON, "pothole", "Pothole in the bus lane");
  g_autoptr(BaliseNote) stored = NULL;
  g_autoptr(BaliseEdit) first = NULL;
  g_autoptr(BaliseEdit) last = NULL;
  g_autoptr(BaliseEdit) entry = NULL;
  g_autoptr(GError) error = NULL;

  insert_bus_stop (store, 60);
  insert_bus_stop (store, 61);

  first = balise_store_confirm_element (store, BALISE_OSM_NODE, 60, "Camille", &error);
  g_assert_no_error (error);
  note->contributor = g_strdup ("Camille");
  g_assert_true (balise_store_add_note (store, note, &error));
  g_assert_no_error (error);
  last = balise_store_confirm_element (store, BALISE_OSM_NODE, 61, "Camille", &error);
  g_assert_no_error (error);

  entry = balise_store_undo (store, "Camille", &error);
  g_assert_cmpstr (entry->uuid, ==, last->uuid);
  g_clear_pointer (&entry, balise_edit_unref);

  entry = balise_store_undo (store, "Camille", &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry->kind, ==, BALISE_EDIT_NOTE);
  g_assert_cmpstr (entry->uuid, ==, note->uuid);
  g_assert_cmpint (entry->status, ==, BALISE_EDIT_STATUS_UNDONE);
  g_clear_pointer (&entry, balise_edit_unref);
  stored = balise_store_get_note (store, note->uuid, &error);
  g_assert_cmpint (stored->status, ==, BALISE_NOTE_STATUS_UNDONE);
  g_clear_pointer (&stored, balise_note_unref);

  /* Across a restart, redo brings the note back first, then the edit. */
  store = test_store_reopen (store);
  entry = balise_store_redo (store, "Camille", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (entry->uuid, ==, note->uuid);
  g_assert_cmpint (entry->status, ==, BALISE_EDIT_STATUS_PENDING);
  g_clear_pointer (&entry, balise_edit_unref);
  stored = balise_store_get_note (store, note->uuid, &error);
  g_assert_cmpint (stored->status, ==, BALISE_NOTE_STATUS_PENDING);
  entry = balise_store_redo (store, "Camille", &error);
  g_assert_cmpstr (entry->uuid, ==, last->uuid);
  g_clear_pointer (&entry, balise_edit_unref);

  /* A note on the server is not taken back. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE note SET status = 'open' WHERE uuid = '%s';"
                                            "UPDATE edit SET status = 'undone' WHERE uuid = '%s'",
                                            note->uuid, last->uuid);

    test_store_exec (store, sql);
  }
  g_assert_false (balise_store_can_undo (store, "Camille"));
  g_assert_null (balise_store_undo (store, "Camille", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_UPLOADED);
}

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
test_journal_async (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("async.sqlite");
  g_autoptr(BaliseChange) change = balise_change_new (BALISE_CHANGE_CONFIRM, BALISE_OSM_NODE, 30,
                                                      "Camille");
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(BaliseEdit) undone = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  insert_bus_stop (store, 30);

  balise_store_change_element_async (store, change, NULL, async_done_cb, &result);
  edit = balise_store_change_element_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (edit);
  g_clear_object (&result);

  balise_store_undo_async (store, "Camille", NULL, async_done_cb, &result);
  undone = balise_store_undo_redo_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (undone->uuid, ==, edit->uuid);
  g_clear_object (&result);

  g_clear_pointer (&undone, balise_edit_unref);
  balise_store_redo_async (store, "Camille", NULL, async_done_cb, &result);
  undone = balise_store_undo_redo_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (undone->status, ==, BALISE_EDIT_STATUS_PENDING);
  g_clear_object (&result);

  /* An invalid change fails through the callback too. */
  change->kind = BALISE_CHANGE_DELETE;
  balise_store_change_element_async (store, change, NULL, async_done_cb, &result);
  g_assert_null (balise_store_change_element_finish (store, wait_for (&result), &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_object (&result);
}

static void
test_journal_photos (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("photos.sqlite");
  g_autofree char *jpeg = test_write_jpeg ("shelter.jpg", "the shelter, roof broken");
  g_autofree char *text = balise_test_tmp_path ("notes.txt");
  g_autofree char *big = balise_test_tmp_path ("big.jpg");
  g_autoptr(GFile) file = g_file_new_for_path (jpeg);
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *again = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  BalisePhoto *photo;
  gsize length;
  guint checked = 0;

  insert_bus_stop (store, 40);
  edit = balise_store_confirm_element (store, BALISE_OSM_NODE, 40, "Camille", &error);
  g_assert_no_error (error);

  sha256 = balise_store_attach_photo (store, file, edit->uuid, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (jpeg, &contents, &length, NULL));
  expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  g_assert_cmpstr (sha256, ==, expected);

  /* Attached twice, stored and linked once. */
  again = balise_store_attach_photo (store, file, edit->uuid, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, sha256);

  store = test_store_reopen (store);
  photos = balise_store_list_photos (store, edit->uuid, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photos->len, ==, 1);
  photo = g_ptr_array_index (photos, 0);
  g_assert_cmpstr (photo->sha256, ==, sha256);
  g_assert_cmpstr (photo->mime_type, ==, "image/jpeg");
  g_assert_cmpuint (photo->size, ==, length);
  g_assert_nonnull (photo->created_at);

  /* Read back whole, byte for byte. */
  bytes = balise_store_read_photo (store, sha256, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), contents, length);
  g_assert_true (balise_store_verify_photos (store, &checked, &error));
  g_assert_cmpuint (checked, ==, 1);

  /* Not a photo; too large; attached to nothing. */
  g_assert_true (g_file_set_contents (text, "Shelter roof broken", -1, NULL));
  g_clear_object (&file);
  file = g_file_new_for_path (text);
  g_assert_null (balise_store_attach_photo (store, file, edit->uuid, NULL, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "notes.txt"));
  g_clear_error (&error);

  {
    FILE *f = fopen (big, "w");

    g_assert_nonnull (f);
    g_assert_cmpint (fseek (f, BALISE_PHOTO_MAX_SIZE, SEEK_SET), ==, 0);
    g_assert_cmpint (fputc (0, f), ==, 0);
    fclose (f);
  }
  g_clear_object (&file);
  file = g_file_new_for_path (big);
  g_assert_null (balise_store_attach_photo (store, file, edit->uuid, NULL, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_clear_object (&file);
  file = g_file_new_for_path (jpeg);
  g_assert_null (balise_store_attach_photo (store, file, "00000000-0000-4000-8000-000000000000",
                                            NULL, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_pointer (&photos, g_ptr_array_unref);
  photos = balise_store_list_photos (store, edit->uuid, NULL, &error);
  g_assert_cmpuint (photos->len, ==, 1);

  /* A damaged photo is never handed out as if it were whole. */
  test_store_exec (store, "UPDATE photo SET data = zeroblob (40)");
  g_clear_pointer (&bytes, g_bytes_unref);
  g_assert_null (balise_store_read_photo (store, sha256, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (balise_store_verify_photos (store, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT);
}

static void
test_journal_photo_async (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("photo-async.sqlite");
  g_autofree char *jpeg = test_write_jpeg ("kerb.jpg", "the kerb ramp");
  g_autoptr(GFile) file = g_file_new_for_path (jpeg);
  g_autoptr(BaliseEdit) edit = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  edit = test_add_edit (store, BALISE_EDIT_CREATE, 0, LAT, LON, "highway", "bus_stop", NULL);
  balise_store_attach_photo_async (store, file, edit->uuid, NULL, NULL, async_done_cb, &result);
  sha256 = balise_store_attach_photo_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (sha256), ==, 64);
  g_clear_object (&result);
}

/* Taking a photo off a record: the link goes; the photo goes with its last
 * link, never while another record still shows it. */
static void
test_journal_photo_unlink (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("photo-unlink.sqlite");
  g_autofree char *jpeg = test_write_jpeg ("bench.jpg", "the broken bench");
  g_autoptr(GFile) file = g_file_new_for_path (jpeg);
  g_autoptr(BaliseEdit) first = NULL;
  g_autoptr(BaliseEdit) second = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  gsize length;

  first = test_add_edit (store, BALISE_EDIT_CREATE, 0, LAT, LON, "highway", "bus_stop", NULL);
  second = test_add_edit (store, BALISE_EDIT_CREATE, 0, LAT + 0.001, LON, "amenity", "bench", NULL);
  sha256 = balise_store_attach_photo (store, file, first->uuid, NULL, NULL, &error);
  g_assert_no_error (error);
  g_free (balise_store_attach_photo (store, file, second->uuid, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo"), ==, 1);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link"), ==, 2);

  /* Read off the main thread, whole and checked. */
  balise_store_read_photo_async (store, sha256, NULL, async_done_cb, &result);
  bytes = balise_store_read_photo_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (g_file_get_contents (jpeg, &contents, &length, NULL));
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), contents, length);

  /* Off the first record: the second still has it. */
  g_assert_true (balise_store_unlink_photo (store, sha256, first->uuid, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo"), ==, 1);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link"), ==, 1);
  g_assert_false (balise_store_unlink_photo (store, sha256, first->uuid, NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Off the last one, through the writer thread: the photo goes too. */
  balise_store_unlink_photo_async (store, sha256, second->uuid, NULL, NULL, async_done_cb, &result);
  g_assert_true (balise_store_unlink_photo_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo"), ==, 0);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link"), ==, 0);

  balise_store_read_photo_async (store, sha256, NULL, async_done_cb, &result);
  g_assert_null (balise_store_read_photo_finish (store, wait_for (&result), &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);
}

/* A draft given up takes its photos with it, except those another record
 * still shows. */
static void
test_journal_photo_discard_draft (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("photo-draft.sqlite");
  g_autofree char *shared_path = test_write_jpeg ("shared.jpg", "seen from both");
  g_autofree char *own_path = test_write_jpeg ("own.jpg", "only the draft's");
  g_autoptr(GFile) shared = g_file_new_for_path (shared_path);
  g_autoptr(GFile) own = g_file_new_for_path (own_path);
  g_autoptr(BaliseEdit) kept = NULL;
  g_autoptr(BaliseEdit) draft = balise_edit_new (BALISE_EDIT_CREATE);
  g_autofree char *shared_sha = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;

  kept = test_add_edit (store, BALISE_EDIT_CREATE, 0, LAT, LON, "highway", "bus_stop", NULL);
  draft->osm_type = BALISE_OSM_NODE;
  draft->status = BALISE_EDIT_STATUS_DRAFT;
  draft->lat = LAT;
  draft->lon = LON + 0.001;
  draft->new_tags = balise_tags_new ();
  balise_tags_set (draft->new_tags, "amenity", "bench");
  g_assert_true (balise_store_add_edit (store, draft, &error));
  g_assert_no_error (error);

  shared_sha = balise_store_attach_photo (store, shared, kept->uuid, NULL, NULL, &error);
  g_assert_no_error (error);
  g_free (balise_store_attach_photo (store, shared, draft->uuid, NULL, NULL, &error));
  g_assert_no_error (error);
  g_free (balise_store_attach_photo (store, own, draft->uuid, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo"), ==, 2);

  g_assert_true (balise_store_discard_draft (store, draft->uuid, &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT count(*) FROM photo_link WHERE edit_uuid = '%s'", draft->uuid);
  g_assert_cmpint (test_count_rows (store, "%s", sql), ==, 0);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo_link"), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM photo WHERE sha256 = '%s'", shared_sha);
  g_assert_cmpint (test_count_rows (store, "%s", sql), ==, 1);
  g_assert_cmpint (test_count_rows (store, "SELECT count(*) FROM photo"), ==, 1);
}

static void
test_journal_sniff (void)
{
  g_assert_cmpstr (balise_photo_sniff_mime_type ((const guint8 *) "\x89PNG\r\n\x1a\n....", 12),
                   ==, "image/png");
  g_assert_cmpstr (balise_photo_sniff_mime_type ((const guint8 *) "RIFF\0\0\0\0WEBPVP8 ", 16),
                   ==, "image/webp");
  g_assert_cmpstr (balise_photo_sniff_mime_type ((const guint8 *) "\0\0\0\x18" "ftypheic", 12),
                   ==, "image/heic");
  g_assert_cmpstr (balise_photo_sniff_mime_type ((const guint8 *) "\xff\xd8\xff", 3),
                   ==, "image/jpeg");
  g_assert_null (balise_photo_sniff_mime_type ((const guint8 *) "<svg", 4));
  g_assert_null (balise_photo_sniff_mime_type ((const guint8 *) "", 0));
}

static void
test_journal_contributors (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("contributors.sqlite");
  g_auto(GStrv) names = NULL;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (256, 'a');

  g_assert_true (balise_store_add_contributor (store, "  Dominique ", &error));
  g_assert_no_error (error);
  g_assert_false (balise_store_add_contributor (store, "Dominique", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (balise_store_add_contributor (store, " ", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (balise_store_add_contributor (store, long_name, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (balise_store_add_contributor (store, "Tab\there", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Recording an edit makes its contributor a profile. */
  insert_bus_stop (store, 50);
  edit = balise_store_confirm_element (store, BALISE_OSM_NODE, 50, "Camille", &error);
  g_assert_no_error (error);

  names = balise_store_list_contributors (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "Camille");
  g_assert_cmpstr (names[1], ==, "Dominique");

  /* Renamed, the edits and the undo history follow. */
  g_assert_false (balise_store_rename_contributor (store, "Camille", "Dominique", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (balise_store_rename_contributor (store, "Nobody", "Else", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (balise_store_rename_contributor (store, "Camille", "Camille M.", &error));
  g_assert_no_error (error);

  g_clear_pointer (&edit, balise_edit_unref);
  edit = balise_store_undo (store, "Camille M.", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (edit->contributor, ==, "Camille M.");

  g_strfreev (names);
  names = balise_store_list_contributors (store, &error);
  g_assert_cmpstr (names[0], ==, "Camille M.");
  g_assert_cmpuint (g_strv_length (names), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/journal/modify", test_journal_modify);
  g_test_add_func ("/journal/confirm", test_journal_confirm);
  g_test_add_func ("/journal/move", test_journal_move);
  g_test_add_func ("/journal/delete", test_journal_delete);
  g_test_add_func ("/journal/raw-tags", test_journal_raw_tags);
  g_test_add_func ("/journal/stacking", test_journal_stacking);
  g_test_add_func ("/journal/stacking-create", test_journal_stacking_create);
  g_test_add_func ("/journal/undo-redo", test_journal_undo_redo);
  g_test_add_func ("/journal/undo-notes", test_journal_undo_notes);
  g_test_add_func ("/journal/undo-plan", test_journal_undo_plan);
  g_test_add_func ("/journal/async", test_journal_async);
  g_test_add_func ("/journal/photos", test_journal_photos);
  g_test_add_func ("/journal/photo-async", test_journal_photo_async);
  g_test_add_func ("/journal/photo-unlink", test_journal_photo_unlink);
  g_test_add_func ("/journal/photo-discard-draft", test_journal_photo_discard_draft);
  g_test_add_func ("/journal/sniff", test_journal_sniff);
  g_test_add_func ("/journal/contributors", test_journal_contributors);

  return g_test_run ();
}
