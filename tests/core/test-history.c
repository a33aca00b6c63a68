/* test-history.c: what the next upload sends, and what was uploaded, from
 * a real store synced to the OSM API test server
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "sync-fixture.h"

static BaliseEdit *
add_stop_by (Fixture    *fixture,
             const char *contributor,
             const char *name,
             double      lat,
             double      lon)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);

  edit->lat = lat;
  edit->lon = lon;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  balise_tags_set (edit->new_tags, "name", name);
  edit->contributor = g_strdup (contributor);
  g_assert_true (balise_store_add_edit (fixture->store, edit, &error));
  g_assert_no_error (error);
  return edit;
}

static BaliseNote *
add_pothole (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  BaliseNote *note = balise_note_new (43.7360, 7.4220, "pothole", "Deep pothole in front of the bakery");

  note->contributor = g_strdup ("Alice");
  g_assert_true (balise_store_add_note (fixture->store, note, &error));
  g_assert_no_error (error);
  return note;
}

static void
set_review (Fixture  *fixture,
            gboolean  review)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (balise_store_set_review_before_upload (fixture->store, review, &error));
  g_assert_no_error (error);
}

/* The composer's numbers: what is ready, in the sync's own counting. */
static void
test_preview (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(BaliseEdit) a = add_stop_by (fixture, "Alice", "Gare", 43.7384, 7.4246);
  g_autoptr(BaliseEdit) b = add_stop_by (fixture, "Bob", "Port", 43.7350, 7.4210);
  g_autoptr(BaliseNote) note = add_pothole (fixture);
  g_autoptr(BaliseUploadPreview) preview = NULL;
  g_autoptr(BaliseUploadPreview) reviewed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;
  const char *credits[] = { "Alice", "Bob", NULL };
  const char *uuids[] = { b->uuid, NULL };

  set_review (fixture, FALSE);
  preview = balise_store_preview_upload (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->n_edits, ==, 2);
  g_assert_cmpuint (preview->n_notes, ==, 1);
  g_assert_cmpuint (preview->counts.created, ==, 2);
  g_assert_cmpstr (preview->summary, ==, "2 bus stops added");
  g_assert_cmpstrv (preview->credits, credits);
  described = balise_sync_report_describe (&preview->counts);
  g_assert_cmpstr (described, ==, "2 bus stops added");

  /* With review on, only what was approved. */
  set_review (fixture, TRUE);
  reviewed = balise_store_preview_upload (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reviewed->n_edits, ==, 0);
  g_assert_cmpuint (reviewed->n_notes, ==, 0);
  g_assert_null (reviewed->summary);
  g_clear_pointer (&reviewed, balise_upload_preview_free);

  g_assert_true (balise_store_review_edits (fixture->store, uuids, BALISE_REVIEW_APPROVE, "Claire",
                                            NULL, &error));
  g_assert_no_error (error);
  reviewed = balise_store_preview_upload (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reviewed->n_edits, ==, 1);
  g_assert_cmpstr (reviewed->credits[0], ==, "Bob");
  g_assert_null (reviewed->credits[1]);
  (void) a;
  (void) note;
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *records;
  GError    *error;
} ListWait;

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ListWait *wait = user_data;

  wait->records = balise_store_list_uploaded_changesets_finish (BALISE_STORE (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

/* Two changesets (the server takes one element each), newest first, with
 * the ids the server gave, their comment and what each carried. */
static void
test_uploaded_changesets (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(BaliseEdit) a = add_stop_by (fixture, "Alice", "Gare", 43.7384, 7.4246);
  g_autoptr(BaliseEdit) b = add_stop_by (fixture, "Bob", "Port", 43.7350, 7.4210);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) other = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = balise_test_server_get_url (fixture->server);
  ListWait wait = { loop, NULL, NULL };

  set_review (fixture, FALSE);
  none = balise_store_list_uploaded_changesets (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  balise_test_server_set_max_elements (fixture->server, 1);
  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->changesets, ==, 2);

  balise_store_list_uploaded_changesets_async (fixture->store, url, NULL, listed_cb, &wait);
  g_main_loop_run (loop);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wait.records->len, ==, 2);

  for (guint i = 0; i < 2; i++)
    {
      BaliseChangesetRecord *record = g_ptr_array_index (wait.records, i);
      g_autofree char *described = balise_sync_report_describe (&record->counts);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM changeset_tag WHERE changeset = %"
                                              G_GINT64_FORMAT " AND k = 'balise:batch' AND v = '%s'",
                                              record->changeset_id, record->batch_uuid);

      /* Newest first: the last changeset the sync made comes first. */
      g_assert_cmpint (record->changeset_id, ==, report->last_changeset_id - (gint64) i);
      g_assert_cmpint (server_count (fixture, sql), ==, 1);
      g_assert_cmpstr (record->server, ==, url);
      g_assert_cmpstr (record->comment, ==, "Bus stops of Monaco");
      g_assert_cmpuint (record->n_edits, ==, 1);
      g_assert_cmpuint (record->counts.created, ==, 1);
      g_assert_cmpstr (described, ==, "1 bus stop added");
      g_assert_nonnull (record->uploaded_at);
    }
  g_ptr_array_unref (wait.records);

  other = balise_store_list_uploaded_changesets (fixture->store, "https://api.openstreetmap.org/", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (other->len, ==, 0);
}

/* A batch that never reached the server is not history. */
static void
test_abandoned_not_listed (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(BaliseEdit) a = add_stop_by (fixture, "Alice", "Gare", 43.7384, 7.4246);
  g_autoptr(BaliseSyncClient) client = NULL;
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  set_review (fixture, FALSE);
  /* The server refuses this token: the changeset is never created. */
  client = balise_sync_client_new (balise_test_server_get_url (fixture->server), "wrong-token");
  report = run_sync_with_client (fixture, client, &error);
  g_assert_null (report);
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  records = balise_store_list_uploaded_changesets (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 0);
}

static void
test_links (void)
{
  g_autofree char *osm = balise_server_changeset_url ("https://api.openstreetmap.org/", 155);
  g_autofree char *note = balise_server_note_url ("https://api.openstreetmap.org", 4021);
  g_autofree char *dev = balise_server_changeset_url ("https://master.apis.dev.openstreetmap.org/", 9);
  g_autofree char *own = balise_server_note_url ("http://127.0.0.1:8111", 7);

  g_assert_cmpstr (osm, ==, "https://www.openstreetmap.org/changeset/155");
  g_assert_cmpstr (note, ==, "https://www.openstreetmap.org/note/4021");
  g_assert_cmpstr (dev, ==, "https://master.apis.dev.openstreetmap.org/changeset/9");
  g_assert_cmpstr (own, ==, "http://127.0.0.1:8111/note/7");
}

/* A note links to the server it was sent to, whatever the current one; a
 * note sent before servers were recorded, to the current one, flagged. */
static void
test_note_links (void)
{
  g_autoptr(BaliseNote) note = balise_note_new (43.73, 7.42, "pothole", "Pothole by the bus stop");
  g_autofree char *on_dev = NULL;
  g_autofree char *old = NULL;
  g_autofree char *own = NULL;
  g_autofree char *unsent = NULL;
  gboolean guessed = TRUE;

  unsent = balise_note_page_url (note, "https://api.openstreetmap.org/", &guessed);
  g_assert_null (unsent);

  note->osm_note_id = 4021;
  note->server = g_strdup ("https://master.apis.dev.openstreetmap.org/");
  on_dev = balise_note_page_url (note, "https://api.openstreetmap.org/", &guessed);
  g_assert_cmpstr (on_dev, ==, "https://master.apis.dev.openstreetmap.org/note/4021");
  g_assert_false (guessed);

  g_free (note->server);
  note->server = g_strdup ("http://127.0.0.1:8111/");
  own = balise_note_page_url (note, "https://master.apis.dev.openstreetmap.org/", &guessed);
  g_assert_cmpstr (own, ==, "http://127.0.0.1:8111/note/4021");
  g_assert_false (guessed);

  g_clear_pointer (&note->server, g_free);
  old = balise_note_page_url (note, "https://api.openstreetmap.org/", &guessed);
  g_assert_cmpstr (old, ==, "https://www.openstreetmap.org/note/4021");
  g_assert_true (guessed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  fixture_tolerate_vanished_clients ();

  g_test_add ("/history/preview", Fixture, NULL, fixture_set_up, test_preview, fixture_tear_down);
  g_test_add ("/history/uploaded-changesets", Fixture, "volunteer-token",
              fixture_set_up, test_uploaded_changesets, fixture_tear_down);
  g_test_add ("/history/abandoned-not-listed", Fixture, "volunteer-token",
              fixture_set_up, test_abandoned_not_listed, fixture_tear_down);
  g_test_add_func ("/history/links", test_links);
  g_test_add_func ("/history/note-links", test_note_links);

  return g_test_run ();
}
