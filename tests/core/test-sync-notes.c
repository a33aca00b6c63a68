/* test-sync-notes.c: faults become OSM notes, exactly once, over real HTTP
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <libsoup/soup.h>

#include "balise-note-json.h"
#include "balise-servers.h"
#include "balise-store-notes.h"
#include "sync-fixture.h"
#include "test-store.h"

static BaliseNote *
add_note (Fixture          *fixture,
          const char       *text,
          double            lat,
          double            lon,
          BaliseNoteStatus  status)
{
  g_autoptr(GError) error = NULL;
  BaliseNote *note = balise_note_new (lat, lon, "street_lamp", text);

  note->contributor = g_strdup ("Camille");
  note->status = status;
  g_assert_true (balise_store_add_note (fixture->store, note, &error));
  g_assert_no_error (error);
  return note;
}

static BaliseNote *
stored_note (Fixture    *fixture,
             const char *uuid)
{
  g_autoptr(GError) error = NULL;
  BaliseNote *note = balise_store_get_note (fixture->store, uuid, &error);

  g_assert_no_error (error);
  return note;
}

static BaliseSyncClient *
new_client (Fixture    *fixture,
            const char *token)
{
  BaliseSyncClient *client = balise_sync_client_new (balise_test_server_get_url (fixture->server),
                                                     token);

  /* A request unanswered for a second counts as lost; one that got no
   * answer is sent again only after twice that. */
  balise_sync_client_set_timeout (client, 1);
  return client;
}

static gint64
server_notes (Fixture *fixture)
{
  return server_count (fixture, "SELECT count(*) FROM note");
}

/* Sends a request to the test server as another mapper would. */
static guint
http_post (Fixture    *fixture,
           const char *path)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (balise_test_server_get_url (fixture->server), path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Authorization", "Bearer town-hall-token");
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (message);
}

static void
test_notes_anonymous (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BaliseNote) lamp = add_note (fixture, "Street light out since Monday",
                                         43.7310, 7.4190, BALISE_NOTE_STATUS_APPROVED);
  g_autoptr(BaliseNote) bench = add_note (fixture, "Bench broken: two planks missing",
                                          43.7320, 7.4200, BALISE_NOTE_STATUS_PENDING);
  g_autoptr(BaliseNote) rejected = add_note (fixture, "Not a fault",
                                             43.7330, 7.4210, BALISE_NOTE_STATUS_PENDING);
  g_autoptr(BaliseSyncClient) client = new_client (fixture, NULL);
  g_autofree BaliseSyncReport *report = NULL;
  g_autofree BaliseSyncReport *again = NULL;
  g_autoptr(BaliseNote) read = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (balise_store_set_note_status (fixture->store, rejected->uuid,
                                               BALISE_NOTE_STATUS_REJECTED, &error));

  report = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->notes, ==, 2);
  g_assert_cmpuint (report->changesets, ==, 0);
  g_assert_cmpint (server_notes (fixture), ==, 2);
  /* Anonymous: no user on the opening comment. */
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM note_comment WHERE uid IS NULL "
                                 "AND action = 'opened'"), ==, 2);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM note_comment WHERE "
                                 "text = 'Street light out since Monday'"), ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM note WHERE "
                                 "abs (lat - 43.7310) < 1e-7 AND abs (lon - 7.4190) < 1e-7"), ==, 1);

  read = stored_note (fixture, lamp->uuid);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_OPEN);
  g_assert_cmpint (read->osm_note_id, ==,
                   server_count (fixture, "SELECT note FROM note_comment WHERE "
                                 "text = 'Street light out since Monday'"));
  g_assert_cmpuint (read->comments->len, ==, 1);
  g_assert_cmpstr (((BaliseNoteComment *) read->comments->pdata[0])->action, ==, "opened");
  g_assert_cmpstr (((BaliseNoteComment *) read->comments->pdata[0])->text, ==, lamp->text);
  g_assert_nonnull (read->refreshed_at);
  /* The server it went to, as the client names it. */
  g_assert_cmpstr (read->server, ==, balise_sync_client_get_api_url (client));
  g_assert_true (balise_server_url_equal (read->server, balise_test_server_get_url (fixture->server)));
  g_clear_pointer (&read, balise_note_unref);

  read = stored_note (fixture, rejected->uuid);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_REJECTED);
  g_assert_cmpint (read->osm_note_id, ==, 0);
  g_assert_null (read->server);

  /* Nothing is sent twice. */
  again = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->notes, ==, 0);
  g_assert_cmpint (server_notes (fixture), ==, 2);
}

static void
test_notes_signed_in (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BaliseNote) note = add_note (fixture, "Pothole, 30 cm, in the cycle lane",
                                         43.7350, 7.4210, BALISE_NOTE_STATUS_APPROVED);
  g_autoptr(BaliseSyncClient) client = new_client (fixture, "volunteer-token");
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(GError) error = NULL;

  report = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->notes, ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM note_comment WHERE "
                                 "uid IS NOT NULL AND action = 'opened'"), ==, 1);
}

/* The note is created, the answer is lost: the next sync finds it by its
 * position and text, and does not create it again. */
static void
test_notes_lost_answer (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(BaliseNote) note = add_note (fixture, "Bus shelter glass broken",
                                         43.7396, 7.4272, BALISE_NOTE_STATUS_APPROVED);
  /* A note with the same text and place on the server already, sent by
   * someone else and known to the store: not to be taken for ours. */
  g_autoptr(BaliseNote) twin = add_note (fixture, "Bus shelter glass broken",
                                         43.7396, 7.4272, BALISE_NOTE_STATUS_PENDING);
  g_autoptr(BaliseSyncClient) client = new_client (fixture, NULL);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseNote) read = NULL;
  g_autoptr(BaliseNote) read_twin = NULL;
  g_autoptr(GError) error = NULL;

  balise_test_server_add_fault (fixture->server, "POST", "/api/0.6/notes*",
                                BALISE_TEST_FAULT_DROP_AFTER_COMMIT, 0, 1);
  g_assert_null (run_sync_with_client (fixture, client, &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpint (server_notes (fixture), ==, 1);

  read = stored_note (fixture, note->uuid);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_UPLOADING);
  g_clear_pointer (&read, balise_note_unref);

  report = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->notes, ==, 2);
  /* Ours was found, the twin was created: two, not three. */
  g_assert_cmpint (server_notes (fixture), ==, 2);

  read = stored_note (fixture, note->uuid);
  read_twin = stored_note (fixture, twin->uuid);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_OPEN);
  g_assert_cmpint (read_twin->status, ==, BALISE_NOTE_STATUS_OPEN);
  g_assert_cmpint (read->osm_note_id, ==, server_count (fixture, "SELECT min(id) FROM note"));
  g_assert_cmpint (read_twin->osm_note_id, ==, server_count (fixture, "SELECT max(id) FROM note"));
}

/* The request never reaches the server: once it can no longer land, the
 * note is sent again, once. */
static void
test_notes_dropped_request (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(BaliseNote) note = add_note (fixture, "Manhole cover missing",
                                         43.7285, 7.4150, BALISE_NOTE_STATUS_APPROVED);
  g_autoptr(BaliseSyncClient) client = new_client (fixture, NULL);
  g_autofree BaliseSyncReport *early = NULL;
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseNote) read = NULL;
  g_autoptr(GError) error = NULL;

  balise_test_server_add_fault (fixture->server, "POST", "/api/0.6/notes*",
                                BALISE_TEST_FAULT_DROP_BEFORE, 0, 1);
  g_assert_null (run_sync_with_client (fixture, client, &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpint (server_notes (fixture), ==, 0);

  /* At once: the request might still be on its way; nothing is re-sent. */
  early = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (early->notes, ==, 0);
  g_assert_cmpint (server_notes (fixture), ==, 0);
  read = stored_note (fixture, note->uuid);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_UPLOADING);
  g_clear_pointer (&read, balise_note_unref);

  /* Twice the timeout later, it is sent again. */
  g_usleep (3 * G_USEC_PER_SEC);
  report = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->notes, ==, 1);
  g_assert_cmpint (server_notes (fixture), ==, 1);
  read = stored_note (fixture, note->uuid);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_OPEN);
}

/* A refusal means nothing was created: the note keeps the server's reason
 * and goes with the next sync. */
static void
test_notes_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(BaliseNote) note = add_note (fixture, "Graffiti on the bus shelter",
                                         43.7365, 7.4140, BALISE_NOTE_STATUS_APPROVED);
  g_autoptr(BaliseSyncClient) client = new_client (fixture, NULL);
  g_autofree BaliseSyncReport *first = NULL;
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseNote) read = NULL;
  g_autoptr(GError) error = NULL;

  balise_test_server_add_fault (fixture->server, "POST", "/api/0.6/notes*",
                                BALISE_TEST_FAULT_STATUS, 400, 1);
  first = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->notes, ==, 0);
  g_assert_cmpuint (first->failed, ==, 1);
  read = stored_note (fixture, note->uuid);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_FAILED);
  g_assert_nonnull (strstr (read->error, "400"));
  g_clear_pointer (&read, balise_note_unref);

  report = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->notes, ==, 1);
  g_assert_cmpint (server_notes (fixture), ==, 1);
}

/* The town hall comments and closes the note: the next sync brings it. */
static void
test_notes_refresh (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(BaliseNote) note = add_note (fixture, "Street light out at the corner",
                                         43.7505, 7.4405, BALISE_NOTE_STATUS_APPROVED);
  g_autoptr(BaliseSyncClient) client = new_client (fixture, NULL);
  g_autofree BaliseSyncReport *first = NULL;
  g_autofree BaliseSyncReport *second = NULL;
  g_autofree BaliseSyncReport *third = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *close = NULL;
  g_autoptr(BaliseNote) read = NULL;
  g_autoptr(GError) error = NULL;

  first = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  read = stored_note (fixture, note->uuid);
  g_assert_cmpint (read->osm_note_id, >, 0);

  comment = g_strdup_printf ("api/0.6/notes/%" G_GINT64_FORMAT "/comment?text=Seen,%%20thanks",
                             read->osm_note_id);
  g_assert_cmpuint (http_post (fixture, comment), ==, 200);
  second = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->notes_closed, ==, 0);
  g_clear_pointer (&read, balise_note_unref);
  read = stored_note (fixture, note->uuid);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_OPEN);
  g_assert_cmpuint (read->comments->len, ==, 2);
  g_assert_cmpstr (((BaliseNoteComment *) read->comments->pdata[1])->text, ==, "Seen, thanks");
  g_assert_cmpstr (((BaliseNoteComment *) read->comments->pdata[1])->action, ==, "commented");
  g_assert_nonnull (((BaliseNoteComment *) read->comments->pdata[1])->user);

  close = g_strdup_printf ("api/0.6/notes/%" G_GINT64_FORMAT "/close?text=Repaired",
                           read->osm_note_id);
  g_assert_cmpuint (http_post (fixture, close), ==, 200);
  third = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (third->notes_closed, ==, 1);
  g_assert_cmpuint (third->notes, ==, 0);
  g_clear_pointer (&read, balise_note_unref);
  read = stored_note (fixture, note->uuid);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_CLOSED);
  g_assert_cmpuint (read->comments->len, ==, 3);
  g_assert_cmpstr (((BaliseNoteComment *) read->comments->pdata[2])->action, ==, "closed");
  g_assert_cmpint (server_notes (fixture), ==, 1);
}

static void
test_notes_json_parse (void)
{
  const char feature[] =
    "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[7.4197,43.7314]},"
    "\"properties\":{\"id\":17,\"url\":\"https://api.openstreetmap.org/api/0.6/notes/17.json\","
    "\"date_created\":\"2026-05-01 12:00:00 UTC\",\"status\":\"closed\","
    "\"closed_at\":\"2026-05-02 08:30:00 UTC\",\"comments\":["
    "{\"date\":\"2026-05-01 12:00:00 UTC\",\"action\":\"opened\",\"text\":\"Lamp out\",\"html\":\"<p>Lamp out</p>\"},"
    "{\"date\":\"2026-05-02 08:30:00 UTC\",\"uid\":5,\"user\":\"Mairie\",\"action\":\"closed\","
    "\"text\":\"Fixed\",\"html\":\"<p>Fixed</p>\"}]}}";
  const char collection[] = "{\"type\":\"FeatureCollection\",\"features\":[]}";
  const char *bad[] = {
    "", "[]", "{\"type\":\"Feature\"}",
    "{\"type\":\"Feature\",\"geometry\":{\"coordinates\":[7,43]},\"properties\":{\"status\":\"open\"}}",
    "{\"type\":\"Feature\",\"geometry\":{\"coordinates\":[700,43]},\"properties\":{\"id\":1,\"status\":\"open\"}}",
    "{\"type\":\"Feature\",\"geometry\":{\"coordinates\":[7,43]},\"properties\":{\"id\":1,\"status\":\"odd\"}}",
    "{\"type\":\"FeatureCollection\",\"features\":[1]}",
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (feature, strlen (feature));
  g_autoptr(GBytes) empty = g_bytes_new_static (collection, strlen (collection));
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  BaliseNote *note;
  BaliseNoteComment *closed;

  notes = balise_note_json_parse (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 1);
  note = g_ptr_array_index (notes, 0);
  g_assert_cmpint (note->osm_note_id, ==, 17);
  g_assert_cmpfloat_with_epsilon (note->lat, 43.7314, 1e-9);
  g_assert_cmpfloat_with_epsilon (note->lon, 7.4197, 1e-9);
  g_assert_cmpint (note->status, ==, BALISE_NOTE_STATUS_CLOSED);
  g_assert_cmpstr (note->text, ==, "Lamp out");
  g_assert_cmpuint (note->comments->len, ==, 2);
  closed = g_ptr_array_index (note->comments, 1);
  g_assert_cmpstr (closed->user, ==, "Mairie");
  g_assert_cmpstr (closed->action, ==, "closed");
  g_assert_cmpint (g_date_time_get_hour (closed->date), ==, 8);
  g_assert_cmpint (g_date_time_get_minute (closed->date), ==, 30);
  g_assert_null (((BaliseNoteComment *) note->comments->pdata[0])->user);

  none = balise_note_json_parse (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) b = g_bytes_new_static (bad[i], strlen (bad[i]));
      g_autoptr(GPtrArray) result = balise_note_json_parse (b, &error);

      g_assert_null (result);
      g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
      g_clear_error (&error);
    }
}

#define OTHER_SERVER "https://osm.example.org/"

/* Each note keeps the server it was sent to. A sync with another server
 * neither refreshes it from a note of the same number there, nor looks
 * for it there, nor sends it there again when its answer was lost. */
static void
test_notes_server (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BaliseNote) here = add_note (fixture, "Street light out by the school",
                                         43.7312, 7.4188, BALISE_NOTE_STATUS_APPROVED);
  g_autoptr(BaliseNote) elsewhere = add_note (fixture, "Kerb broken at the crossing",
                                              43.7412, 7.4288, BALISE_NOTE_STATUS_APPROVED);
  g_autoptr(BaliseNote) lost = add_note (fixture, "Sign bent over the road",
                                         43.7452, 7.4318, BALISE_NOTE_STATUS_APPROVED);
  g_autoptr(BaliseSyncClient) client = new_client (fixture, NULL);
  g_autofree BaliseSyncReport *first = NULL;
  g_autofree BaliseSyncReport *second = NULL;
  g_autofree char *close = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(BaliseNote) read = NULL;
  g_autoptr(GError) error = NULL;
  gint64 here_id;

  /* Two notes sent to another server by an earlier sync: one answered
   * (with the number the test server is about to give), one whose
   * answer was lost long ago. */
  for (guint i = 0; i < 2; i++)
    {
      const char *uuid = i == 0 ? elsewhere->uuid : lost->uuid;

      g_assert_true (_balise_store_claim_note (fixture->store, uuid, OTHER_SERVER,
                                               BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_APPROVED),
                                               &error));
      g_assert_no_error (error);
    }
  comments = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_note_comment_free);
  g_ptr_array_add (comments, balise_note_comment_new (NULL, NULL, "opened", elsewhere->text));
  g_assert_true (_balise_store_set_note_server_state (fixture->store, elsewhere->uuid, OTHER_SERVER,
                                                      server_count (fixture, "SELECT coalesce (max(id), 0) + 1 FROM note"),
                                                      BALISE_NOTE_STATUS_OPEN, comments, &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("UPDATE note SET updated_at = '2020-01-01T00:00:00Z' WHERE uuid = '%s'", lost->uuid);
  test_store_exec (fixture->store, sql);

  first = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->notes, ==, 1);
  g_assert_cmpint (server_notes (fixture), ==, 1);
  read = stored_note (fixture, here->uuid);
  g_assert_cmpstr (read->server, ==, balise_sync_client_get_api_url (client));
  here_id = read->osm_note_id;
  g_clear_pointer (&read, balise_note_unref);

  /* The number is the same on both servers; the note is not. */
  read = stored_note (fixture, elsewhere->uuid);
  g_assert_cmpint (read->osm_note_id, ==, here_id);
  g_clear_pointer (&read, balise_note_unref);

  close = g_strdup_printf ("api/0.6/notes/%" G_GINT64_FORMAT "/close?text=Repaired", here_id);
  g_assert_cmpuint (http_post (fixture, close), ==, 200);
  second = run_sync_with_client (fixture, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->notes_closed, ==, 1);
  g_assert_cmpuint (second->notes, ==, 0);

  read = stored_note (fixture, here->uuid);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_CLOSED);
  g_clear_pointer (&read, balise_note_unref);
  read = stored_note (fixture, elsewhere->uuid);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_OPEN);
  g_assert_cmpuint (read->comments->len, ==, 1);
  g_assert_cmpstr (read->server, ==, OTHER_SERVER);
  g_clear_pointer (&read, balise_note_unref);

  /* Still possibly on the other server: left for a sync there. */
  read = stored_note (fixture, lost->uuid);
  g_assert_cmpint (read->status, ==, BALISE_NOTE_STATUS_UPLOADING);
  g_assert_cmpstr (read->server, ==, OTHER_SERVER);
  g_assert_cmpint (server_notes (fixture), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/notes/anonymous", Fixture, NULL,
              fixture_set_up, test_notes_anonymous, fixture_tear_down);
  g_test_add ("/sync/notes/signed-in", Fixture, NULL,
              fixture_set_up, test_notes_signed_in, fixture_tear_down);
  g_test_add ("/sync/notes/lost-answer", Fixture, NULL,
              fixture_set_up, test_notes_lost_answer, fixture_tear_down);
  g_test_add ("/sync/notes/dropped-request", Fixture, NULL,
              fixture_set_up, test_notes_dropped_request, fixture_tear_down);
  g_test_add ("/sync/notes/refused", Fixture, NULL,
              fixture_set_up, test_notes_refused, fixture_tear_down);
  g_test_add ("/sync/notes/refresh", Fixture, NULL,
              fixture_set_up, test_notes_refresh, fixture_tear_down);
  g_test_add ("/sync/notes/server", Fixture, NULL,
              fixture_set_up, test_notes_server, fixture_tear_down);
  g_test_add_func ("/sync/notes/json", test_notes_json_parse);

  return g_test_run ();
}
