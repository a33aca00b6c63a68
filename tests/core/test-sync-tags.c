/* test-sync-tags.c: a changeset's comment, hashtags and credits, from the
 * words to the changeset the test server holds, over real HTTP
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <string.h>

#include "sync-fixture.h"

static void
test_hashtags_parse (void)
{
  g_auto(GStrv) spaced = NULL;
  g_auto(GStrv) listed = NULL;
  g_auto(GStrv) empty = NULL;
  g_auto(GStrv) bad = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected[] = { "#balise", "#monaco-stops", NULL };
  const char *accented[] = { "#balise", "#monaco-stops", "#arrêts_2026", NULL };

  spaced = balise_hashtags_parse ("  #balise   #monaco-stops ", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (spaced, expected);

  /* Without their '#', with commas, and a repeat in another case. */
  listed = balise_hashtags_parse ("balise, monaco-stops;#BALISE #arrêts_2026", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (listed, accented);

  empty = balise_hashtags_parse ("", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (empty), ==, 0);

  bad = balise_hashtags_parse ("#balise #monaco.stops", &error);
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "“#monaco.stops” is not a hashtag"));
  g_clear_error (&error);

  bad = balise_hashtags_parse ("# balise", &error);
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID);
  g_assert_null (bad);
}

static void
test_comment_hashtags (void)
{
  const char *hashtags[] = { "#balise", "#monaco-stops", NULL };
  g_autofree char *appended = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *alone = NULL;
  g_autofree char *value = NULL;
  g_autofree char *none = NULL;

  appended = balise_changeset_comment_add_hashtags ("12 bus stops added in Beausoleil  ", hashtags);
  g_assert_cmpstr (appended, ==, "12 bus stops added in Beausoleil #balise #monaco-stops");

  /* A hashtag the comment holds already, in any case, is not repeated. */
  kept = balise_changeset_comment_add_hashtags ("#Balise survey of the port", hashtags);
  g_assert_cmpstr (kept, ==, "#Balise survey of the port #monaco-stops");

  alone = balise_changeset_comment_add_hashtags ("", hashtags);
  g_assert_cmpstr (alone, ==, "#balise #monaco-stops");

  value = balise_changeset_hashtags_value ("Stops #balise, shelters #monaco-stops and #balise again; C#9 is none");
  g_assert_cmpstr (value, ==, "#balise;#monaco-stops");
  none = balise_changeset_hashtags_value ("No hashtag here, # neither");
  g_assert_null (none);
}

static void
test_credits_value (void)
{
  const char *names[] = { "Alice", "Bob;Co", "Claire", NULL };
  g_autofree char *value = balise_changeset_credits_value (names);
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cut = NULL;
  const char *no_names[] = { NULL };

  g_assert_cmpstr (value, ==, "Alice;Bob;;Co;Claire");
  g_assert_null (balise_changeset_credits_value (no_names));
  g_assert_null (balise_changeset_credits_value (NULL));

  /* 40 names of 9 characters do not fit in 255: the rest is counted. */
  for (guint i = 0; i < 40; i++)
    g_ptr_array_add (many, g_strdup_printf ("Volunt%03u", i));
  g_ptr_array_add (many, NULL);
  cut = balise_changeset_credits_value ((const char * const *) many->pdata);
  g_assert_cmpint (g_utf8_strlen (cut, -1), <=, 255);
  g_assert_true (g_str_has_prefix (cut, "Volunt000;Volunt001;"));
  g_assert_true (g_str_has_suffix (cut, ";Volunt024;+15"));
}

static void
test_comment_validate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) accents = g_string_new (NULL);

  for (guint i = 0; i < 255; i++)
    g_string_append (accents, "é");
  g_assert_true (balise_changeset_comment_validate (accents->str, &error));
  g_assert_no_error (error);

  g_string_append (accents, "é");
  g_assert_false (balise_changeset_comment_validate (accents->str, &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "256 characters"));
  g_clear_error (&error);

  g_assert_false (balise_changeset_comment_validate ("  \t ", &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (balise_changeset_comment_validate ("Bus stops\nand shelters", &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "U+000A"));
}

static BaliseEdit *
add_stop_by (Fixture    *fixture,
             const char *contributor,
             const char *name,
             double      lat,
             double      lon)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);

  /* Two people make the database shared: no review before upload here. */
  g_assert_true (balise_store_set_review_before_upload (fixture->store, FALSE, &error));
  g_assert_no_error (error);
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

typedef struct
{
  GMainLoop        *loop;
  BaliseSyncReport *report;
  GError           *error;
} Wait;

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->report = balise_sync_client_sync_finish (BALISE_SYNC_CLIENT (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static BaliseSyncReport *
sync_with (Fixture           *fixture,
           BaliseSyncClient  *client,
           const char        *comment,
           GError           **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL, NULL };

  balise_sync_client_sync_async (client, fixture->store, comment, NULL, synced_cb, &wait);
  g_main_loop_run (loop);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.report;
}

/* The tags of changeset @id, read back over HTTP as any client would. */
static BaliseTags *
server_changeset_tags (Fixture *fixture,
                       gint64   id)
{
  g_autofree char *path = g_strdup_printf ("api/0.6/changeset/%" G_GINT64_FORMAT, id);
  g_autoptr(GBytes) body = fixture_http (fixture, "GET", path, NULL, 200);
  g_autoptr(GPtrArray) changesets = NULL;
  g_autoptr(GError) error = NULL;
  BaliseChangesetInfo *info;

  changesets = balise_osm_xml_parse_changesets (body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changesets->len, ==, 1);
  info = g_ptr_array_index (changesets, 0);
  g_assert_cmpint (info->id, ==, id);

  return balise_tags_ref (info->tags);
}

/* The changeset holds exactly the comment with the hashtags appended, the
 * hashtags tag, source=survey, the people credited and the batch tag. */
static void
test_sync_changeset_tags (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(BaliseSyncClient) client = balise_sync_client_new (balise_test_server_get_url (fixture->server),
                                                               "volunteer-token");
  g_autoptr(BaliseEdit) a = add_stop_by (fixture, "Alice", "Gare", 43.7384, 7.4246);
  g_autoptr(BaliseEdit) b = add_stop_by (fixture, "Bob", "Port", 43.7350, 7.4210);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseTags) tags = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  g_assert_true (balise_sync_client_set_hashtags (client, "#balise monaco-stops", &error));
  g_assert_no_error (error);
  balise_sync_client_set_credit_contributors (client, TRUE);

  report = sync_with (fixture, client, "2 bus stops added in Monaco", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->changesets, ==, 1);
  g_assert_cmpint (visible_nodes (fixture), ==, 2);

  tags = server_changeset_tags (fixture, report->last_changeset_id);
  g_assert_cmpuint (balise_tags_get_size (tags), ==, 6);
  g_assert_cmpstr (balise_tags_lookup (tags, "comment"), ==, "2 bus stops added in Monaco #balise #monaco-stops");
  g_assert_cmpstr (balise_tags_lookup (tags, "hashtags"), ==, "#balise;#monaco-stops");
  g_assert_cmpstr (balise_tags_lookup (tags, "source"), ==, "survey");
  g_assert_cmpstr (balise_tags_lookup (tags, "balise:contributors"), ==, "Alice;Bob");
  g_assert_true (g_str_has_prefix (balise_tags_lookup (tags, "created_by"), "Balise "));
  g_assert_nonnull (balise_tags_lookup (tags, "balise:batch"));

  /* The comment the store keeps for the batch is the one sent. */
  sql = g_strdup_printf ("SELECT count(*) FROM changeset_tag WHERE changeset = %" G_GINT64_FORMAT
                         " AND k = 'balise:batch'", report->last_changeset_id);
  g_assert_cmpint (server_count (fixture, sql), ==, 1);
}

/* Without hashtags or credits: no hashtags tag, no names published. */
static void
test_sync_no_credits (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BaliseSyncClient) client = balise_sync_client_new (balise_test_server_get_url (fixture->server),
                                                               "volunteer-token");
  g_autoptr(BaliseEdit) a = add_stop_by (fixture, "Alice", "Gare", 43.7384, 7.4246);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(BaliseTags) tags = NULL;
  g_autoptr(GError) error = NULL;

  report = sync_with (fixture, client, "Bus stop added", &error);
  g_assert_no_error (error);

  tags = server_changeset_tags (fixture, report->last_changeset_id);
  g_assert_cmpuint (balise_tags_get_size (tags), ==, 4);
  g_assert_cmpstr (balise_tags_lookup (tags, "comment"), ==, "Bus stop added");
  g_assert_null (balise_tags_lookup (tags, "hashtags"));
  g_assert_null (balise_tags_lookup (tags, "balise:contributors"));
}

/* Chunked: each changeset credits the people of its own edits, and both
 * carry the hashtags. */
static void
test_sync_credits_per_changeset (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(BaliseSyncClient) client = balise_sync_client_new (balise_test_server_get_url (fixture->server),
                                                               "volunteer-token");
  g_autoptr(BaliseEdit) a = add_stop_by (fixture, "Alice", "Gare", 43.7384, 7.4246);
  g_autoptr(BaliseEdit) b = add_stop_by (fixture, "Bob", "Port", 43.7350, 7.4210);
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(GError) error = NULL;

  balise_test_server_set_max_elements (fixture->server, 1);
  g_assert_true (balise_sync_client_set_hashtags (client, "#balise", &error));
  balise_sync_client_set_credit_contributors (client, TRUE);

  report = sync_with (fixture, client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->changesets, ==, 2);

  for (gint64 id = report->last_changeset_id - 1; id <= report->last_changeset_id; id++)
    {
      g_autoptr(BaliseTags) tags = server_changeset_tags (fixture, id);
      const char *expected = id == report->last_changeset_id ? "Bob" : "Alice";

      g_assert_cmpstr (balise_tags_lookup (tags, "balise:contributors"), ==, expected);
      g_assert_cmpstr (balise_tags_lookup (tags, "hashtags"), ==, "#balise");
      g_assert_true (g_str_has_suffix (balise_tags_lookup (tags, "comment"), " #balise"));
    }
}

/* A comment OSM would refuse is refused before any request, and nothing
 * leaves the journal. A bad hashtag setting is refused and changes nothing. */
static void
test_sync_comment_too_long (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(BaliseSyncClient) client = balise_sync_client_new (balise_test_server_get_url (fixture->server),
                                                               "volunteer-token");
  g_autoptr(BaliseEdit) a = add_stop_by (fixture, "Alice", "Gare", 43.7384, 7.4246);
  g_autoptr(BaliseEdit) after = NULL;
  g_autofree BaliseSyncReport *report = NULL;
  g_autofree char *comment = g_strnfill (250, 'x');
  g_autoptr(GError) error = NULL;

  g_assert_false (balise_sync_client_set_hashtags (client, "#ok #not.ok", &error));
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID);
  g_clear_error (&error);

  /* 250 characters fit; with " #balise" they no longer do. */
  g_assert_true (balise_sync_client_set_hashtags (client, "#balise", &error));
  report = sync_with (fixture, client, comment, &error);
  g_assert_null (report);
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "258 characters"));
  g_assert_cmpuint (balise_test_server_get_request_count (fixture->server), ==, 0);

  after = balise_store_get_edit (fixture->store, a->uuid, NULL);
  g_assert_cmpint (after->status, ==, BALISE_EDIT_STATUS_PENDING);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  fixture_tolerate_vanished_clients ();

  g_test_add_func ("/changeset-tags/hashtags-parse", test_hashtags_parse);
  g_test_add_func ("/changeset-tags/comment-hashtags", test_comment_hashtags);
  g_test_add_func ("/changeset-tags/credits-value", test_credits_value);
  g_test_add_func ("/changeset-tags/comment-validate", test_comment_validate);
  g_test_add ("/sync-tags/changeset-tags", Fixture, NULL,
              fixture_set_up, test_sync_changeset_tags, fixture_tear_down);
  g_test_add ("/sync-tags/no-credits", Fixture, NULL,
              fixture_set_up, test_sync_no_credits, fixture_tear_down);
  g_test_add ("/sync-tags/credits-per-changeset", Fixture, NULL,
              fixture_set_up, test_sync_credits_per_changeset, fixture_tear_down);
  g_test_add ("/sync-tags/comment-too-long", Fixture, NULL,
              fixture_set_up, test_sync_comment_too_long, fixture_tear_down);

  return g_test_run ();
}
