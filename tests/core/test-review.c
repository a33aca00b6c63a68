/* test-review.c: review decisions, what is ready to upload, the queue, the
 * tag diff and the changeset summary
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <glib/gstdio.h>

#include "balise-core.h"
#include "balise-store-sync.h"
#include "balise-test-server.h"
#include "balise-test-utils.h"
#include "test-elements.h"
#include "test-store.h"

#define LAT 43.7350
#define LON 7.4200

static BaliseEdit *
add_stop (BaliseStore *store,
          const char  *contributor,
          const char  *name,
          double       lat,
          double       lon)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);

  edit->lat = lat;
  edit->lon = lon;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  balise_tags_set (edit->new_tags, "public_transport", "platform");
  balise_tags_set (edit->new_tags, "bus", "yes");
  balise_tags_set (edit->new_tags, "name", name);
  edit->contributor = g_strdup (contributor);
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);
  return edit;
}

static BaliseEditStatus
status_of (BaliseStore *store,
           const char  *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseEdit) edit = balise_store_get_edit (store, uuid, &error);

  g_assert_no_error (error);
  return edit->status;
}

static void
test_review_transitions (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("transitions.sqlite");
  g_autoptr(BaliseEdit) a = add_stop (store, "Camille", "Casino", LAT, LON);
  g_autoptr(BaliseEdit) b = add_stop (store, "Dominique", "Moneghetti", LAT + 0.001, LON);
  g_autoptr(BaliseEdit) c = add_stop (store, "Dominique", "Saint-Roman", LAT + 0.002, LON);
  g_autoptr(BaliseEdit) stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *first[] = { a->uuid, NULL };
  const char *second[] = { b->uuid, NULL };
  const char *third[] = { c->uuid, NULL };
  const char *mixed[] = { a->uuid, c->uuid, NULL };
  g_autofree char *path = g_strdup (balise_store_get_path (store));

  g_assert_true (balise_store_review_edits (store, first, BALISE_REVIEW_APPROVE, "Morgane", NULL,
                                            &error));
  g_assert_no_error (error);

  /* Rejecting and sending back need a reason the volunteer can read. */
  g_assert_false (balise_store_review_edits (store, second, BALISE_REVIEW_REJECT, "Morgane", " ",
                                             &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (balise_store_review_edits (store, third, BALISE_REVIEW_HAS_ISSUES, "Morgane",
                                             NULL, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (balise_store_review_edits (store, first, BALISE_REVIEW_APPROVE, "", NULL,
                                             &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (balise_store_review_edits (store, second, BALISE_REVIEW_REJECT, "Morgane",
                                            "Already mapped as node 1234", &error));
  g_assert_no_error (error);
  g_assert_true (balise_store_review_edits (store, third, BALISE_REVIEW_HAS_ISSUES, "Morgane",
                                            "Which side of the road?", &error));
  g_assert_no_error (error);

  /* Kept in the journal, across a restart. */
  g_clear_object (&store);
  store = balise_store_open (path, &error);
  g_assert_no_error (error);

  stored = balise_store_get_edit (store, a->uuid, &error);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_APPROVED);
  g_assert_cmpstr (stored->reviewer, ==, "Morgane");
  g_assert_nonnull (stored->reviewed_at);
  g_clear_pointer (&stored, balise_edit_unref);
  stored = balise_store_get_edit (store, b->uuid, &error);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_REJECTED);
  g_assert_cmpstr (stored->review_comment, ==, "Already mapped as node 1234");
  g_assert_cmpstr (stored->reviewer, ==, "Morgane");
  g_clear_pointer (&stored, balise_edit_unref);
  stored = balise_store_get_edit (store, c->uuid, &error);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_HAS_ISSUES);
  g_assert_cmpstr (stored->review_comment, ==, "Which side of the road?");
  g_clear_pointer (&stored, balise_edit_unref);

  /* In bulk, all or nothing: an uploaded edit cannot be sent back. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE edit SET status = 'uploaded' WHERE uuid = '%s'",
                                            a->uuid);
    test_store_exec (store, sql);
  }
  g_assert_false (balise_store_review_edits (store, mixed, BALISE_REVIEW_HAS_ISSUES, "Morgane",
                                             "Check the names", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_UPLOADED);
  g_clear_error (&error);
  g_assert_cmpint (status_of (store, c->uuid), ==, BALISE_EDIT_STATUS_HAS_ISSUES);
  g_assert_cmpint (status_of (store, a->uuid), ==, BALISE_EDIT_STATUS_UPLOADED);

  /* A rejection can be reconsidered. */
  g_assert_true (balise_store_review_edits (store, second, BALISE_REVIEW_APPROVE, "Morgane", NULL,
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (store, b->uuid), ==, BALISE_EDIT_STATUS_APPROVED);

  /* An unknown edit changes nothing. */
  {
    const char *unknown[] = { c->uuid, "00000000-0000-4000-8000-000000000000", NULL };

    g_assert_false (balise_store_review_edits (store, unknown, BALISE_REVIEW_APPROVE, "Morgane",
                                               NULL, &error));
    g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_cmpint (status_of (store, c->uuid), ==, BALISE_EDIT_STATUS_HAS_ISSUES);
  }
}

static void
test_review_setting (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("setting.sqlite");
  g_autoptr(BaliseEdit) a = add_stop (store, "Camille", "Casino", LAT, LON);
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GError) error = NULL;

  /* A solo mapper uploads what they record. */
  g_assert_false (balise_store_get_review_before_upload (store));
  ready = balise_store_list_ready_edits (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ready->len, ==, 1);

  /* A shared database reviews first. */
  g_assert_true (balise_store_add_contributor (store, "Dominique", &error));
  g_assert_true (balise_store_get_review_before_upload (store));
  g_clear_pointer (&ready, g_ptr_array_unref);
  ready = balise_store_list_ready_edits (store, &error);
  g_assert_cmpuint (ready->len, ==, 0);
  g_assert_cmpuint (balise_store_get_ready_mask (store) &
                    BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_PENDING), ==, 0);

  /* The setting, once made, wins over the default, and is kept. */
  g_assert_true (balise_store_set_review_before_upload (store, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (balise_store_get_review_before_upload (store));
  g_clear_pointer (&ready, g_ptr_array_unref);
  ready = balise_store_list_ready_edits (store, &error);
  g_assert_cmpuint (ready->len, ==, 1);
  g_assert_true (balise_store_set_review_before_upload (store, TRUE, &error));
  g_assert_true (balise_store_get_review_before_upload (store));
}

/* The count automatic sync follows: what the next sync sends or settles,
 * under the review setting, notes included, each edit once. */
static void
test_review_count_ready (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("count-ready.sqlite");
  g_autoptr(BaliseEdit) a = add_stop (store, "Camille", "Casino", LAT, LON);
  g_autoptr(BaliseEdit) b = add_stop (store, "Camille", "Gare", LAT + 0.001, LON);
  g_autoptr(BaliseNote) note = balise_note_new (LAT, LON, "street_lamp", "Street light out");
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  const char *uuids[] = { a->uuid, NULL };

  /* A solo mapper: both stops and the fault. */
  g_assert_true (balise_store_add_note (store, note, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (balise_store_count_ready (store), ==, 3);

  /* Reviewed first: only what was approved. */
  g_assert_true (balise_store_set_review_before_upload (store, TRUE, &error));
  g_assert_cmpuint (balise_store_count_ready (store), ==, 0);
  g_assert_true (balise_store_review_edits (store, uuids, BALISE_REVIEW_APPROVE, "Dominique",
                                            NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (balise_store_count_ready (store), ==, 1);
  ready = balise_store_list_ready_edits (store, &error);
  g_assert_cmpuint (ready->len, ==, 1);

  /* A sync that failed midway left it uploading: the next one settles it,
   * so it still counts. */
  sql = g_strdup_printf ("UPDATE edit SET status = 'uploading' WHERE uuid = '%s'", a->uuid);
  test_store_exec (store, sql);
  g_assert_cmpuint (balise_store_count_ready (store), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE edit SET status = 'uploaded' WHERE uuid = '%s'", a->uuid);
  test_store_exec (store, sql);
  g_assert_cmpuint (balise_store_count_ready (store), ==, 0);
}

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Only approved edits reach the server. */
static void
test_review_sync (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("sync.sqlite");
  g_autoptr(BaliseTestServer) server = balise_test_server_new (NULL, NULL);
  g_autoptr(BaliseSyncClient) client = NULL;
  g_autoptr(BaliseEdit) a = add_stop (store, "Camille", "Casino", LAT, LON);
  g_autoptr(BaliseEdit) b = add_stop (store, "Dominique", "Moneghetti", LAT + 0.001, LON);
  g_autoptr(BaliseEdit) c = add_stop (store, "Dominique", "Saint-Roman", LAT + 0.002, LON);
  g_autoptr(BaliseEdit) d = add_stop (store, "Camille", "Larvotto", LAT + 0.003, LON);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree BaliseSyncReport *report = NULL;
  const char *approve[] = { a->uuid, c->uuid, NULL };
  const char *reject[] = { b->uuid, NULL };

  g_assert_true (balise_test_server_start (server, 0, &error));
  g_assert_no_error (error);

  g_assert_true (balise_store_review_edits (store, approve, BALISE_REVIEW_APPROVE, "Morgane", NULL,
                                            &error));
  g_assert_true (balise_store_review_edits (store, reject, BALISE_REVIEW_REJECT, "Morgane",
                                            "Duplicate", &error));
  g_assert_no_error (error);

  client = balise_sync_client_new (balise_test_server_get_url (server), "volunteer-token");
  balise_sync_client_sync_async (client, store, "Bus stops", NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = balise_sync_client_sync_finish (client, result, &error);
  g_assert_no_error (error);

  /* Two objects arrive: the approved ones. */
  g_assert_cmpint (balise_test_server_query_int (server, "SELECT count(*) FROM element "
                                                 "WHERE type = 'node' AND visible = 1"), ==, 2);
  g_assert_cmpint (status_of (store, a->uuid), ==, BALISE_EDIT_STATUS_UPLOADED);
  g_assert_cmpint (status_of (store, c->uuid), ==, BALISE_EDIT_STATUS_UPLOADED);
  g_assert_cmpint (status_of (store, b->uuid), ==, BALISE_EDIT_STATUS_REJECTED);
  g_assert_cmpint (status_of (store, d->uuid), ==, BALISE_EDIT_STATUS_PENDING);

  balise_test_server_stop (server);
}

static void
test_review_change (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("change.sqlite");
  g_autoptr(BaliseEdit) a = add_stop (store, "Camille", "Casino", LAT, LON);
  g_autoptr(BaliseChange) change = balise_change_new (BALISE_CHANGE_TAGS, BALISE_OSM_NODE, 0, NULL);
  g_autoptr(BaliseEdit) fixed = NULL;
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  g_auto(GStrv) credits = NULL;
  g_autoptr(GError) error = NULL;

  change->tags = balise_tags_new ();
  balise_tags_set (change->tags, "name", "Casino de Monte-Carlo");
  fixed = balise_store_review_change (store, a->uuid, change, "Morgane", &error);
  g_assert_no_error (error);

  /* Credited to both, approved by the reviewer, replacing the original. */
  g_assert_cmpstr (fixed->contributor, ==, "Camille");
  g_assert_cmpstr (fixed->edited_by, ==, "Morgane");
  g_assert_cmpstr (fixed->reviewer, ==, "Morgane");
  g_assert_cmpint (fixed->status, ==, BALISE_EDIT_STATUS_APPROVED);
  g_assert_cmpint (fixed->osm_id, ==, a->osm_id);
  g_assert_cmpint (fixed->kind, ==, BALISE_EDIT_CREATE);
  g_assert_cmpstr (balise_tags_lookup (fixed->new_tags, "name"), ==, "Casino de Monte-Carlo");
  g_assert_cmpstr (balise_tags_lookup (fixed->new_tags, "highway"), ==, "bus_stop");

  g_assert_true (balise_store_set_review_before_upload (store, TRUE, &error));
  ready = balise_store_list_ready_edits (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ready->len, ==, 1);
  g_assert_cmpstr (((BaliseEdit *) g_ptr_array_index (ready, 0))->uuid, ==, fixed->uuid);
  credits = balise_changeset_credits (ready);
  g_assert_cmpuint (g_strv_length (credits), ==, 2);
  g_assert_cmpstr (credits[0], ==, "Camille");
  g_assert_cmpstr (credits[1], ==, "Morgane");

  /* The original left the queue; reviewing it again is refused. */
  queue = balise_store_list_review_queue (store, 0, BALISE_QUEUE_BY_CONTRIBUTOR, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 0);
  {
    g_autoptr(BaliseEdit) again = balise_store_review_change (store, a->uuid, change, "Morgane",
                                                              &error);

    g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID);
    g_assert_null (again);
    g_clear_error (&error);
  }

  /* The change is in the reviewer's undo history, not the volunteer's. */
  {
    g_autoptr(BaliseEdit) undone = balise_store_undo (store, "Morgane", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (undone->uuid, ==, fixed->uuid);
    g_clear_pointer (&undone, balise_edit_unref);
    undone = balise_store_undo (store, "Camille", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (undone->uuid, ==, a->uuid);
  }
}

static void
test_review_notes (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("notes.sqlite");
  g_autoptr(GError) error = NULL;
  const char *uuids[] = { "11111111-1111-4111-8111-111111111111", NULL };
  const char *open[] = { "22222222-2222-4222-8222-222222222222", NULL };

  test_store_exec (store,
                   "INSERT INTO note (uuid, lat, lon, category, text, contributor, created_at, status) "
                   "VALUES ('11111111-1111-4111-8111-111111111111', 43.73, 7.42, 'pothole', "
                   "'Pothole in the bus lane', 'Camille', '2026-11-20T10:00:00Z', 'pending'),"
                   "('22222222-2222-4222-8222-222222222222', 43.73, 7.42, 'street_light', "
                   "'Street light out', 'Camille', '2026-11-20T10:00:00Z', 'open')");

  g_assert_true (balise_store_review_notes (store, uuids, BALISE_REVIEW_HAS_ISSUES, "Morgane",
                                            "Which lane?", &error));
  g_assert_no_error (error);
  g_assert_true (balise_store_review_notes (store, uuids, BALISE_REVIEW_APPROVE, "Morgane", NULL,
                                            &error));
  g_assert_no_error (error);
  /* A note already on the server is not the reviewer's any more. */
  g_assert_false (balise_store_review_notes (store, open, BALISE_REVIEW_REJECT, "Morgane",
                                             "Fixed already", &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_UPLOADED);
}

static BaliseQueueGroup *
group_at (GPtrArray *groups,
          guint      index)
{
  g_assert_cmpuint (index, <, groups->len);
  return g_ptr_array_index (groups, index);
}

static void
test_review_queue (void)
{
  g_autoptr(BaliseStore) store = test_store_open ("queue.sqlite");
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) ready = NULL;
  g_autoptr(BaliseEdit) a = NULL;
  g_autoptr(BaliseEdit) shelter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *area = NULL;
  g_autofree char *today = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *approve[2] = { NULL, NULL };

  test_insert_node (store, 1, 43.7285, 7.4160, "place", "town", "name", "Monaco", NULL);
  test_insert_node (store, 2, 43.7420, 7.4230, "place", "town", "name", "Beausoleil", NULL);
  test_insert_node (store, 3, 43.7410, 7.4226, "place", "locality", "name", "Les Moneghetti", NULL);
  test_insert_node (store, 10, 43.7412, 7.4227, "amenity", "shelter", "name", "Abri", NULL);

  a = add_stop (store, "Camille", "Casino", 43.7290, 7.4165);
  balise_edit_unref (add_stop (store, "Dominique", "Moneghetti", 43.7415, 7.4228));
  balise_edit_unref (add_stop (store, "Dominique", "Saint-Roman", 43.7418, 7.4229));
  shelter = balise_store_confirm_element (store, BALISE_OSM_NODE, 10, "Dominique", &error);
  g_assert_no_error (error);

  /* The nearest town, not the locality. */
  area = balise_store_find_area_name (store, 43.7411, 7.4226);
  g_assert_cmpstr (area, ==, "Beausoleil");
  g_clear_pointer (&area, g_free);
  area = balise_store_find_area_name (store, 48.85, 2.35);
  g_assert_null (area);

  groups = balise_store_list_review_queue (store, 0, BALISE_QUEUE_BY_CONTRIBUTOR, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 2);
  g_assert_cmpstr (group_at (groups, 0)->label, ==, "Camille");
  g_assert_cmpuint (group_at (groups, 0)->edits->len, ==, 1);
  g_assert_cmpstr (group_at (groups, 1)->label, ==, "Dominique");
  g_assert_cmpuint (group_at (groups, 1)->edits->len, ==, 3);

  g_clear_pointer (&groups, g_ptr_array_unref);
  groups = balise_store_list_review_queue (store, 0, BALISE_QUEUE_BY_CATEGORY, NULL, &error);
  g_assert_cmpuint (groups->len, ==, 2);
  g_assert_cmpstr (group_at (groups, 0)->label, ==, "bus_stop");
  g_assert_cmpuint (group_at (groups, 0)->edits->len, ==, 3);
  g_assert_cmpstr (group_at (groups, 1)->label, ==, "shelter");

  g_clear_pointer (&groups, g_ptr_array_unref);
  groups = balise_store_list_review_queue (store, 0, BALISE_QUEUE_BY_AREA, NULL, &error);
  g_assert_cmpuint (groups->len, ==, 2);
  g_assert_cmpstr (group_at (groups, 0)->label, ==, "Beausoleil");
  g_assert_cmpuint (group_at (groups, 0)->edits->len, ==, 3);
  g_assert_cmpstr (group_at (groups, 1)->label, ==, "Monaco");

  g_clear_pointer (&groups, g_ptr_array_unref);
  groups = balise_store_list_review_queue (store, 0, BALISE_QUEUE_BY_DAY, NULL, &error);
  today = g_date_time_format (now, "%Y-%m-%d");
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpstr (group_at (groups, 0)->label, ==, today);
  g_assert_cmpuint (group_at (groups, 0)->edits->len, ==, 4);

  /* Search, ignoring case. */
  g_clear_pointer (&groups, g_ptr_array_unref);
  groups = balise_store_list_review_queue (store, 0, BALISE_QUEUE_BY_CONTRIBUTOR, "ROMAN", &error);
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpuint (group_at (groups, 0)->edits->len, ==, 1);

  /* An approved edit leaves the default queue. */
  approve[0] = a->uuid;
  g_assert_true (balise_store_review_edits (store, approve, BALISE_REVIEW_APPROVE, "Morgane", NULL,
                                            &error));
  g_clear_pointer (&groups, g_ptr_array_unref);
  groups = balise_store_list_review_queue (store, 0, BALISE_QUEUE_BY_CONTRIBUTOR, NULL, &error);
  g_assert_cmpuint (groups->len, ==, 1);

  /* The summary of everything once review is off: areas by count. */
  g_assert_true (balise_store_set_review_before_upload (store, FALSE, &error));
  ready = balise_store_list_ready_edits (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ready->len, ==, 4);
  summary = balise_store_summarize_edits (store, ready);
  g_assert_cmpstr (summary, ==, "3 bus stops added and 1 shelter confirmed in Beausoleil and Monaco");
}

static BaliseEdit *
summary_edit (BaliseEditKind  kind,
              const char     *key,
              const char     *value,
              const char     *extra_key,
              const char     *contributor)
{
  BaliseEdit *edit = balise_edit_new (kind);

  if (kind != BALISE_EDIT_CREATE)
    {
      edit->base_tags = balise_tags_new ();
      balise_tags_set (edit->base_tags, key, value);
    }
  if (kind != BALISE_EDIT_DELETE)
    {
      edit->new_tags = balise_tags_new ();
      balise_tags_set (edit->new_tags, key, value);
      if (extra_key != NULL)
        balise_tags_set (edit->new_tags, extra_key, "yes");
    }
  edit->contributor = g_strdup (contributor);
  return edit;
}

static void
test_review_summary (void)
{
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_edit_unref);
  const char *beausoleil[] = { "Beausoleil", NULL };
  const char *three[] = { "Beausoleil", "Monaco", "Cap-d'Ail", NULL };
  g_autofree char *summary = NULL;
  g_auto(GStrv) credits = NULL;

  for (guint i = 0; i < 12; i++)
    g_ptr_array_add (edits, summary_edit (BALISE_EDIT_CREATE, "highway", "bus_stop", NULL,
                                          i % 2 ? "Camille" : "Dominique"));
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (edits, summary_edit (BALISE_EDIT_MODIFY, "amenity", "shelter", "bench",
                                          "Élodie"));

  summary = balise_changeset_summary (edits, beausoleil);
  g_assert_cmpstr (summary, ==, "12 bus stops added and 3 shelters updated in Beausoleil");

  credits = balise_changeset_credits (edits);
  g_assert_cmpuint (g_strv_length (credits), ==, 3);
  g_assert_cmpstr (credits[0], ==, "Camille");
  g_assert_cmpstr (credits[1], ==, "Dominique");
  g_assert_cmpstr (credits[2], ==, "Élodie");

  /* One of each, a deletion, more kinds than fit, more places. */
  g_ptr_array_add (edits, summary_edit (BALISE_EDIT_DELETE, "amenity", "bench", NULL, "Camille"));
  g_ptr_array_add (edits, summary_edit (BALISE_EDIT_CREATE, "emergency", "defibrillator", NULL,
                                        "Camille"));
  g_ptr_array_add (edits, summary_edit (BALISE_EDIT_CREATE, "amenity", "toilets", NULL, "Camille"));
  g_clear_pointer (&summary, g_free);
  summary = balise_changeset_summary (edits, three);
  g_assert_cmpstr (summary, ==, "12 bus stops added, 3 shelters updated, 1 bench removed, "
                                "1 defibrillator added and 1 other change in Beausoleil, Monaco "
                                "and 1 other place");

  /* Never longer than OSM takes. */
  {
    g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_edit_unref);
    g_autofree char *long_area = g_strnfill (300, 'x');
    const char *areas[] = { long_area, NULL };

    g_ptr_array_add (many, summary_edit (BALISE_EDIT_CREATE, "highway", "bus_stop", NULL, "A"));
    g_clear_pointer (&summary, g_free);
    summary = balise_changeset_summary (many, areas);
    g_assert_cmpuint (strlen (summary), <=, BALISE_CHANGESET_COMMENT_MAX);
    g_assert_true (g_utf8_validate (summary, -1, NULL));
    g_assert_true (g_str_has_prefix (summary, "1 bus stop added"));
  }

  /* Nothing to say about nothing. */
  g_ptr_array_set_size (edits, 0);
  g_clear_pointer (&summary, g_free);
  summary = balise_changeset_summary (edits, NULL);
  g_assert_cmpstr (summary, ==, "");
}

static void
test_review_diff (void)
{
  g_autoptr(BaliseTags) base = balise_tags_new ();
  g_autoptr(BaliseTags) result = balise_tags_new ();
  g_autoptr(GPtrArray) diff = NULL;
  BaliseTagChange *change;

  balise_tags_set (base, "highway", "bus_stop");
  balise_tags_set (base, "bench", "yes");
  balise_tags_set (base, "shelter", "no");
  balise_tags_set (result, "highway", "bus_stop");
  balise_tags_set (result, "shelter", "yes");
  balise_tags_set (result, "check_date", "2026-11-23");

  diff = balise_tags_diff (base, result);
  g_assert_cmpuint (diff->len, ==, 3);
  change = g_ptr_array_index (diff, 0);
  g_assert_cmpint (change->kind, ==, BALISE_TAG_REMOVED);
  g_assert_cmpstr (change->key, ==, "bench");
  g_assert_cmpstr (change->old_value, ==, "yes");
  g_assert_null (change->new_value);
  change = g_ptr_array_index (diff, 1);
  g_assert_cmpint (change->kind, ==, BALISE_TAG_ADDED);
  g_assert_cmpstr (change->key, ==, "check_date");
  g_assert_null (change->old_value);
  g_assert_cmpstr (change->new_value, ==, "2026-11-23");
  change = g_ptr_array_index (diff, 2);
  g_assert_cmpint (change->kind, ==, BALISE_TAG_CHANGED);
  g_assert_cmpstr (change->key, ==, "shelter");
  g_assert_cmpstr (change->old_value, ==, "no");
  g_assert_cmpstr (change->new_value, ==, "yes");

  /* A create, a delete, and nothing changed. */
  g_clear_pointer (&diff, g_ptr_array_unref);
  diff = balise_tags_diff (NULL, result);
  g_assert_cmpuint (diff->len, ==, 3);
  for (guint i = 0; i < diff->len; i++)
    g_assert_cmpint (((BaliseTagChange *) g_ptr_array_index (diff, i))->kind, ==, BALISE_TAG_ADDED);
  g_clear_pointer (&diff, g_ptr_array_unref);
  diff = balise_tags_diff (base, NULL);
  g_assert_cmpuint (diff->len, ==, 3);
  g_clear_pointer (&diff, g_ptr_array_unref);
  diff = balise_tags_diff (base, base);
  g_assert_cmpuint (diff->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/review/transitions", test_review_transitions);
  g_test_add_func ("/review/setting", test_review_setting);
  g_test_add_func ("/review/count-ready", test_review_count_ready);
  g_test_add_func ("/review/sync", test_review_sync);
  g_test_add_func ("/review/change", test_review_change);
  g_test_add_func ("/review/notes", test_review_notes);
  g_test_add_func ("/review/queue", test_review_queue);
  g_test_add_func ("/review/diff", test_review_diff);
  g_test_add_func ("/review/summary", test_review_summary);

  return g_test_run ();
}
