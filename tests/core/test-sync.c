/* test-sync.c: the sync client against the OSM API test server, over real HTTP
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <string.h>

#include "balise-sync-lock.h"
#include "sync-fixture.h"

static gboolean
contains_bytes (GBytes       *haystack,
                const guint8 *needle,
                gsize         needle_size)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (haystack, &size);

  for (gsize i = 0; i + needle_size <= size; i++)
    if (memcmp (data + i, needle, needle_size) == 0)
      return TRUE;
  return FALSE;
}

static void
test_sync_create (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(BaliseEdit) first = add_bus_stop (fixture, "Place d'Armes", 43.7314, 7.4197);
  g_autoptr(BaliseEdit) second = add_bus_stop (fixture, "Casino & Opéra", 43.7396, 7.4272);
  g_autofree BaliseSyncReport *report = NULL;
  g_autofree BaliseSyncReport *again = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  gint64 changesets;

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 2);
  g_assert_cmpuint (report->changesets, ==, 1);
  g_assert_cmpint (report->last_changeset_id, >, 0);
  g_assert_cmpint (visible_nodes (fixture), ==, 2);
  g_assert_cmpuint (balise_store_count_pending (fixture->store), ==, 0);

  /* The journal holds what the server allocated. */
  edits = balise_store_list_edits (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 2);
  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);

      g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_UPLOADED);
      g_assert_cmpint (edit->new_id, >, 0);
      g_assert_cmpint (edit->new_version, ==, 1);
      g_assert_cmpint (edit->osm_id, ==, -(gint64) (i + 1));
      assert_server_node_tags (fixture, edit->new_id, edit->new_tags);
    }

  /* The changeset carries the survey tags and is closed. */
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset WHERE closed_at IS NOT NULL"),
                   ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset_tag WHERE "
                                 "(k = 'source' AND v = 'survey') OR k = 'balise:batch' OR "
                                 "(k = 'comment' AND v = 'Bus stops of Monaco') OR "
                                 "(k = 'created_by' AND v LIKE 'Balise %')"),
                   ==, 4);

  /* A second sync sends nothing. */
  changesets = server_count (fixture, "SELECT count(*) FROM changeset");
  again = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->created + again->modified + again->deleted, ==, 0);
  g_assert_cmpuint (again->changesets, ==, 0);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, changesets);
  g_assert_cmpint (visible_nodes (fixture), ==, 2);
}

/* One sync at a time per database: while another holds the database's sync
 * lock (another window, balise-cli), a sync is refused before it sends or
 * recovers anything, and goes through once the lock is free. */
static void
test_sync_busy (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(BaliseEdit) stop = add_bus_stop (fixture, "Place d'Armes", 43.7314, 7.4197);
  g_autoptr(BaliseSyncLock) held = NULL;
  g_autofree BaliseSyncReport *refused = NULL;
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseSyncLock) after = NULL;
  g_autoptr(GError) error = NULL;

  held = _balise_sync_lock_acquire (fixture->db_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (held);

  refused = run_sync (fixture, NULL, &error);
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BUSY);
  g_assert_null (refused);
  g_clear_error (&error);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 0);
  g_assert_cmpuint (balise_store_count_pending (fixture->store), ==, 1);

  /* A second holder is refused as well, in the same process. */
  g_assert_null (_balise_sync_lock_acquire (fixture->db_path, &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BUSY);
  g_clear_error (&error);

  g_clear_pointer (&held, _balise_sync_lock_release);
  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1);
  g_assert_cmpint (visible_nodes (fixture), ==, 1);

  /* The sync let go of the lock when it ended. */
  after = _balise_sync_lock_acquire (fixture->db_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (after);
}

/* Photos stay in the database: the upload carries the element and its tags,
 * never a photo, its bytes or its checksum. */
static void
test_sync_photos_stay_local (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(BaliseEdit) stop = add_bus_stop (fixture, "Place d'Armes", 43.7314, 7.4197);
  g_autofree char *photo_path = g_test_build_filename (G_TEST_DIST, "data", "photos", "bus-shelter.jpg", NULL);
  g_autoptr(GFile) photo = g_file_new_for_path (photo_path);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(GBytes) bodies = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *jpeg_data;
  gsize jpeg_size;

  sha256 = balise_store_attach_photo (fixture->store, photo, stop->uuid, NULL, NULL, &error);
  g_assert_no_error (error);
  jpeg = g_file_load_bytes (photo, NULL, NULL, &error);
  g_assert_no_error (error);
  jpeg_data = g_bytes_get_data (jpeg, &jpeg_size);

  balise_test_server_keep_bodies (fixture->server);
  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1);

  bodies = balise_test_server_dup_bodies (fixture->server);
  text = g_strndup (g_bytes_get_data (bodies, NULL), g_bytes_get_size (bodies));
  g_assert_nonnull (strstr (text, "<osmChange"));
  g_assert_nonnull (strstr (text, "bus_stop"));
  g_assert_null (strstr (text, sha256));
  g_assert_null (strstr (text, "photo"));
  g_assert_null (g_strstr_len (text, -1, "JFIF"));
  g_assert_false (contains_bytes (bodies, jpeg_data + jpeg_size - 64, 64));
  g_assert_cmpuint (g_bytes_get_size (bodies), <, jpeg_size);

  /* And the photo is still here, linked to the uploaded edit. */
  photos = balise_store_list_photos (fixture->store, stop->uuid, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photos->len, ==, 1);
}

static void
test_sync_chunked (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(GError) error = NULL;

  balise_test_server_set_max_elements (fixture->server, 2);
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Stop %d", i);
      g_autoptr(BaliseEdit) edit = add_bus_stop (fixture, name, 43.73 + i * 0.001, 7.42);
    }

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 5);
  g_assert_cmpuint (report->changesets, ==, 3);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 3);
  g_assert_cmpint (server_count (fixture, "SELECT max(num_changes) FROM changeset"), ==, 2);
  g_assert_cmpint (visible_nodes (fixture), ==, 5);
}

/* The upload lands but its answer is lost: the next sync must find it on
 * the server instead of sending it again. */
static void
test_sync_lost_answer (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(BaliseEdit) edit = add_bus_stop (fixture, "Fontvieille", 43.7285, 7.4150);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseEdit) stored = NULL;
  g_autoptr(GError) error = NULL;

  balise_test_server_add_fault (fixture->server, "POST", "/api/0.6/changeset/*/upload",
                                BALISE_TEST_FAULT_DROP_AFTER_COMMIT, 0, 1);
  report = run_sync (fixture, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NETWORK);
  g_clear_error (&error);

  /* It landed, but Balise cannot know yet: still counted as waiting. */
  g_assert_cmpint (visible_nodes (fixture), ==, 1);
  g_assert_cmpuint (balise_store_count_pending (fixture->store), ==, 1);

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1);
  g_assert_cmpint (visible_nodes (fixture), ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset WHERE closed_at IS NULL"),
                   ==, 0);

  stored = balise_store_get_edit (fixture->store, edit->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_UPLOADED);
  g_assert_cmpint (stored->new_id, ==,
                   server_count (fixture, "SELECT id FROM element WHERE type = 'node'"));
  g_assert_cmpint (stored->new_version, ==, 1);
}

/* The upload never reaches the server: the next sync sends it, once. */
static void
test_sync_dropped_request (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(BaliseEdit) edit = add_bus_stop (fixture, "Larvotto", 43.7470, 7.4340);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(GError) error = NULL;

  balise_test_server_add_fault (fixture->server, "POST", "/api/0.6/changeset/*/upload",
                                BALISE_TEST_FAULT_DROP_BEFORE, 0, 1);
  g_assert_null (run_sync (fixture, NULL, &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpint (visible_nodes (fixture), ==, 0);

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1);
  g_assert_cmpint (visible_nodes (fixture), ==, 1);
  /* The empty changeset of the failed attempt was closed too. */
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset WHERE closed_at IS NULL"),
                   ==, 0);
}

/* The changeset is created but its id never comes back: the next sync finds
 * it by its batch tag and closes it, then sends the edit once. */
static void
test_sync_lost_changeset_id (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(BaliseEdit) edit = add_bus_stop (fixture, "Condamine", 43.7350, 7.4210);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(GError) error = NULL;

  balise_test_server_add_fault (fixture->server, "PUT", "/api/0.6/changeset/create",
                                BALISE_TEST_FAULT_DROP_AFTER_COMMIT, 0, 1);
  g_assert_null (run_sync (fixture, NULL, &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset WHERE closed_at IS NULL"),
                   ==, 1);

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1);
  g_assert_cmpint (visible_nodes (fixture), ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 2);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset WHERE closed_at IS NULL"),
                   ==, 0);
}

/* A refusal (4xx) means nothing landed: the edit is kept and sent later. */
static void
test_sync_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BaliseEdit) edit = add_bus_stop (fixture, "Moneghetti", 43.7365, 7.4140);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseEdit) stored = NULL;
  g_autoptr(GError) error = NULL;

  /* Refused more times than the client retries. */
  balise_test_server_add_fault (fixture->server, "POST", "/api/0.6/changeset/*/upload",
                                BALISE_TEST_FAULT_STATUS, 409, 1);
  g_assert_null (run_sync (fixture, NULL, &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_CONFLICT);
  g_clear_error (&error);

  stored = balise_store_get_edit (fixture->store, edit->uuid, &error);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_FAILED);
  g_assert_nonnull (stored->error);
  g_assert_cmpuint (balise_store_count_pending (fixture->store), ==, 1);

  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1);
  g_assert_cmpint (visible_nodes (fixture), ==, 1);
}

/* A rate limit answered with Retry-After is waited out, then the same
 * request goes again: it was refused, so nothing is duplicated. */
static void
test_sync_rate_limited (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(BaliseEdit) edit = add_bus_stop (fixture, "Saint-Roman", 43.7505, 7.4405);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  balise_test_server_add_fault (fixture->server, "POST", "/api/0.6/changeset/*/upload",
                                BALISE_TEST_FAULT_STATUS, 429, 1);
  balise_test_server_add_fault (fixture->server, "PUT", "/api/0.6/changeset/create",
                                BALISE_TEST_FAULT_STATUS, 503, 1);
  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1);
  g_assert_cmpint (visible_nodes (fixture), ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 1);
  /* Retry-After: 1, twice. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);

  /* Always refused: a clear error after a few tries, and nothing lost. */
  {
    g_autoptr(BaliseEdit) second = add_bus_stop (fixture, "Moneghetti", 43.7365, 7.4140);

    balise_test_server_add_fault (fixture->server, "PUT", "/api/0.6/changeset/create",
                                  BALISE_TEST_FAULT_STATUS, 509, 100);
    g_assert_null (run_sync (fixture, NULL, &error));
    g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_RATE_LIMITED);
    g_assert_cmpuint (balise_store_count_pending (fixture->store), ==, 1);
  }
}

static void
test_sync_unauthorized (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(BaliseEdit) edit = add_bus_stop (fixture, "Monte-Carlo", 43.7396, 7.4272);
  g_autoptr(GError) error = NULL;

  g_assert_null (run_sync (fixture, "not-the-token", &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  g_assert_cmpint (visible_nodes (fixture), ==, 0);
  g_assert_cmpuint (balise_store_count_pending (fixture->store), ==, 1);

  {
    g_autofree BaliseSyncReport *report = run_sync (fixture, "secret-token", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (report->created, ==, 1);
    g_assert_cmpint (visible_nodes (fixture), ==, 1);
  }
}

static void
test_sync_requires_tls (void)
{
  g_autoptr(BaliseSyncClient) client = balise_sync_client_new ("http://api.example.org/", "t");
  g_autofree char *path = NULL;
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { NULL, };

  path = balise_test_tmp_path ("tls.sqlite");
  store = balise_store_open (path, &error);
  g_assert_no_error (error);

  fixture.store = store;
  g_assert_null (run_sync_with_client (&fixture, client, &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "https://"));
}

static void
test_sync_report_describe (void)
{
  BaliseSyncReport report = { .created = 12, .modified = 3, .conflicts = 1 };
  BaliseSyncReport nothing = { 0, };
  g_autofree char *text = balise_sync_report_describe (&report);
  g_autofree char *none = balise_sync_report_describe (&nothing);

  g_assert_cmpstr (text, ==, "12 features added, 3 updated, 1 conflict to decide");
  g_assert_cmpstr (none, ==, "Nothing to send: everything is up to date");
}

/* The window's words after a real sync. */
static void
test_sync_report_plain (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(BaliseEdit) first = add_bus_stop (fixture, "Place d'Armes", 43.7314, 7.4197);
  g_autoptr(BaliseEdit) second = add_bus_stop (fixture, "Casino", 43.7396, 7.4272);
  g_autoptr(BaliseNote) note = balise_note_new (43.73, 7.42, "street_lamp", "Street light out");
  g_autofree BaliseSyncReport *report = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (balise_store_add_note (fixture->store, note, &error));
  report = run_sync (fixture, NULL, &error);
  g_assert_no_error (error);
  text = balise_sync_report_describe (report);
  g_assert_cmpstr (text, ==, "2 bus stops added, 1 note sent");
}

static void
test_sync_report_parts (void)
{
  BaliseSyncReport report = { .conflicts = 1, .notes = 2 };
  g_autofree char *text = NULL;
  const struct { const char *category; BaliseEditKind kind; guint n; } edits[] = {
    { "shelter", BALISE_EDIT_MODIFY, 3 }, { "bus_stop", BALISE_EDIT_CREATE, 12 },
    { "bench", BALISE_EDIT_DELETE, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      BaliseSyncReportPart *part = &report.parts[report.n_parts++];

      g_strlcpy (part->category, edits[i].category, sizeof part->category);
      part->kind = edits[i].kind;
      part->count = edits[i].n;
    }
  report.other_changes = 4;

  text = balise_sync_report_describe (&report);
  g_assert_cmpstr (text, ==, "3 shelters updated, 12 bus stops added, 1 bench removed, "
                   "4 other changes, 2 notes sent, 1 conflict to decide");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/create", Fixture, NULL, fixture_set_up, test_sync_create, fixture_tear_down);
  g_test_add ("/sync/photos-stay-local", Fixture, NULL,
              fixture_set_up, test_sync_photos_stay_local, fixture_tear_down);
  g_test_add ("/sync/busy", Fixture, NULL, fixture_set_up, test_sync_busy, fixture_tear_down);
  g_test_add ("/sync/chunked", Fixture, NULL, fixture_set_up, test_sync_chunked, fixture_tear_down);
  g_test_add ("/sync/lost-answer", Fixture, NULL,
              fixture_set_up, test_sync_lost_answer, fixture_tear_down);
  g_test_add ("/sync/dropped-request", Fixture, NULL,
              fixture_set_up, test_sync_dropped_request, fixture_tear_down);
  g_test_add ("/sync/lost-changeset-id", Fixture, NULL,
              fixture_set_up, test_sync_lost_changeset_id, fixture_tear_down);
  g_test_add ("/sync/refused", Fixture, NULL, fixture_set_up, test_sync_refused, fixture_tear_down);
  g_test_add ("/sync/rate-limited", Fixture, NULL,
              fixture_set_up, test_sync_rate_limited, fixture_tear_down);
  g_test_add ("/sync/unauthorized", Fixture, "secret-token",
              fixture_set_up, test_sync_unauthorized, fixture_tear_down);
  g_test_add_func ("/sync/requires-tls", test_sync_requires_tls);
  g_test_add_func ("/sync/report-describe", test_sync_report_describe);
  g_test_add_func ("/sync/report-parts", test_sync_report_parts);
  g_test_add ("/sync/report-plain", Fixture, NULL,
              fixture_set_up, test_sync_report_plain, fixture_tear_down);

  return g_test_run ();
}
