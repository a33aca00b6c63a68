/* test-osm-server.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the OSM API test server itself, over real HTTP.
 */

#define G_LOG_DOMAIN "test-osm-server"

#undef G_DISABLE_ASSERT

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "balise-test-server.h"

typedef struct
{
  BaliseTestServer *server;
  SoupSession      *session;
} Fixture;

typedef struct
{
  guint  status;
  char  *body;
  char  *error;        /* the Error header */
  char  *retry_after;
  GError *transport;   /* set when no HTTP answer arrived */
} Response;

static void
response_clear (Response *response)
{
  g_clear_pointer (&response->body, g_free);
  g_clear_pointer (&response->error, g_free);
  g_clear_pointer (&response->retry_after, g_free);
  g_clear_error (&response->transport);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, response_clear)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = balise_test_server_new (NULL, data);
  g_assert_true (balise_test_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->session = soup_session_new_with_options ("timeout", 10, "proxy-resolver", NULL, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  balise_test_server_stop (f->server);
  g_clear_object (&f->server);
}

/* Sends a request; @token NULL sends no Authorization header. */
static void
request_full (SoupSession *session,
              const char  *base_url,
              const char  *method,
              const char  *path,
              const char  *token,
              const char  *body,
              const char  *extra_header,
              const char  *extra_value,
              Response    *response)
{
  g_autofree char *url = g_strconcat (base_url, path[0] == '/' ? path + 1 : path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (extra_header != NULL)
    soup_message_headers_replace (headers, extra_header, extra_value);
  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "text/xml", request_body);
    }

  memset (response, 0, sizeof *response);
  bytes = soup_session_send_and_read (session, msg, NULL, &response->transport);
  if (bytes == NULL)
    return;

  response->status = soup_message_get_status (msg);
  response->body = g_bytes_get_size (bytes) > 0
                   ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
                   : g_strdup ("");
  headers = soup_message_get_response_headers (msg);
  response->error = g_strdup (soup_message_headers_get_one (headers, "Error"));
  response->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
}

static void
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *body,
         Response   *response)
{
  request_full (f->session, balise_test_server_get_url (f->server), method, path, token, body,
                NULL, NULL, response);
}

static void
assert_error (Response   *response,
              guint       status,
              const char *message)
{
  g_assert_no_error (response->transport);
  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (response->body, ==, message);
  g_assert_cmpstr (response->error, ==, message);
}

static gint64
create_changeset (Fixture    *f,
                  const char *token)
{
  g_auto(Response) r = { 0, };
  gint64 id;

  request (f, "PUT", "/api/0.6/changeset/create", token,
           "<osm><changeset><tag k=\"created_by\" v=\"test-osm-server\"/>"
           "<tag k=\"comment\" v=\"Bus stops &amp; shelters\"/></changeset></osm>", &r);
  g_assert_no_error (r.transport);
  g_assert_cmpuint (r.status, ==, 200);
  id = g_ascii_strtoll (r.body, NULL, 10);
  g_assert_cmpint (id, >, 0);

  return id;
}

static void
upload (Fixture    *f,
        const char *token,
        gint64      changeset,
        const char *changes,
        Response   *response)
{
  g_autofree char *path = g_strdup_printf ("/api/0.6/changeset/%" G_GINT64_FORMAT "/upload", changeset);
  g_autofree char *quoted = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", changeset);
  g_autoptr(GString) body = g_string_new ("<osmChange version=\"0.6\" generator=\"test\">");

  /* changeset="CS" in @changes stands for the changeset id. */
  g_string_append (body, changes);
  g_string_append (body, "</osmChange>");
  g_string_replace (body, "\"CS\"", quoted, 0);
  request (f, "POST", path, token, body->str, response);
}

/* Returns the attribute @attr of the diffResult entry with old_id @old_id. */
static gint64
diff_value (const char *diff,
            const char *type,
            gint64      old_id,
            const char *attr)
{
  g_autofree char *pattern = g_strdup_printf ("<%s old_id=\"%" G_GINT64_FORMAT "\"[^>]* %s=\"(-?[0-9]+)\"",
                                              type, old_id, attr);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *value = NULL;

  if (!g_regex_match (regex, diff, 0, &match))
    return G_MININT64;
  value = g_match_info_fetch (match, 1);
  return g_ascii_strtoll (value, NULL, 10);
}

/*
 * Tests
 */

static void
test_capabilities (Fixture       *f,
                   gconstpointer  data)
{
  const char *paths[] = { "/api/capabilities", "/api/0.6/capabilities" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto(Response) r = { 0, };

      request (f, "GET", paths[i], NULL, NULL, &r);
      g_assert_no_error (r.transport);
      g_assert_cmpuint (r.status, ==, 200);
      g_assert_nonnull (strstr (r.body, "<osm version=\"0.6\" generator=\"osm-test-server\""));
      g_assert_nonnull (strstr (r.body, "<version minimum=\"0.6\" maximum=\"0.6\"/>"));
      g_assert_nonnull (strstr (r.body, "<area maximum=\"0.25\"/>"));
      g_assert_nonnull (strstr (r.body, "<note_area maximum=\"25\"/>"));
      g_assert_nonnull (strstr (r.body, "<waynodes maximum=\"2000\"/>"));
      g_assert_nonnull (strstr (r.body, "<relationmembers maximum=\"32000\"/>"));
      g_assert_nonnull (strstr (r.body, "<changesets maximum_elements=\"10000\" default_query_limit=\"100\" maximum_query_limit=\"100\"/>"));
      g_assert_nonnull (strstr (r.body, "<timeout seconds=\"300\"/>"));
      g_assert_nonnull (strstr (r.body, "<status database=\"online\" api=\"online\" gpx=\"online\"/>"));
    }

  {
    g_auto(Response) r = { 0, };

    balise_test_server_set_max_elements (f->server, 3);
    request (f, "GET", "/api/0.6/capabilities", NULL, NULL, &r);
    g_assert_nonnull (strstr (r.body, "maximum_elements=\"3\""));
  }
}

static void
test_create_upload_close (Fixture       *f,
                          gconstpointer  data)
{
  g_auto(Response) r = { 0, };
  g_auto(Response) get = { 0, };
  g_auto(Response) down = { 0, };
  g_auto(Response) closed = { 0, };
  g_autofree char *path = NULL;
  gint64 cs, n1, n2, w;

  cs = create_changeset (f, "alice");
  g_assert_cmpint (balise_test_server_query_int (f->server, "SELECT count(*) FROM changeset_tag"), ==, 2);

  upload (f, "alice", cs,
          "<create>"
          "<node id=\"-1\" changeset=\"CS\" lat=\"51.5\" lon=\"-0.1\"><tag k=\"highway\" v=\"bus_stop\"/></node>"
          "<node id=\"-2\" changeset=\"CS\" lat=\"51.501\" lon=\"-0.101\"/>"
          "<way id=\"-1\" changeset=\"CS\"><nd ref=\"-1\"/><nd ref=\"-2\"/><tag k=\"highway\" v=\"footway\"/></way>"
          "</create>", &r);
  g_assert_no_error (r.transport);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_nonnull (strstr (r.body, "<diffResult version=\"0.6\" generator=\"osm-test-server\">"));
  n1 = diff_value (r.body, "node", -1, "new_id");
  n2 = diff_value (r.body, "node", -2, "new_id");
  w = diff_value (r.body, "way", -1, "new_id");
  g_assert_cmpint (n1, >, 0);
  g_assert_cmpint (n2, >, 0);
  g_assert_cmpint (n1, !=, n2);
  g_assert_cmpint (w, >, 0);
  g_assert_cmpint (diff_value (r.body, "node", -1, "new_version"), ==, 1);
  g_assert_cmpint (diff_value (r.body, "way", -1, "new_version"), ==, 1);
  /* In input order */
  g_assert_true (strstr (r.body, "old_id=\"-1\" new_id") < strstr (r.body, "old_id=\"-2\""));
  g_assert_cmpint (balise_test_server_query_int (f->server, "SELECT count(*) FROM way_node"), ==, 2);

  /* Modify and delete with the right versions */
  response_clear (&r);
  {
    g_autofree char *changes = g_strdup_printf (
      "<modify><node id=\"%" G_GINT64_FORMAT "\" changeset=\"CS\" version=\"1\" lat=\"51.5\" lon=\"-0.1\">"
      "<tag k=\"highway\" v=\"bus_stop\"/><tag k=\"name\" v=\"Gare\"/></node></modify>"
      "<delete><way id=\"%" G_GINT64_FORMAT "\" changeset=\"CS\" version=\"1\"/>"
      "<node id=\"%" G_GINT64_FORMAT "\" changeset=\"CS\" version=\"1\"/></delete>", n1, w, n2);
    upload (f, "alice", cs, changes, &r);
  }
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpint (diff_value (r.body, "node", n1, "new_version"), ==, 2);
  {
    g_autofree char *deleted = g_strdup_printf ("<node old_id=\"%" G_GINT64_FORMAT "\"/>", n2);
    g_assert_nonnull (strstr (r.body, deleted));
  }

  path = g_strdup_printf ("/api/0.6/changeset/%" G_GINT64_FORMAT, cs);
  request (f, "GET", path, NULL, NULL, &get);
  g_assert_cmpuint (get.status, ==, 200);
  g_assert_nonnull (strstr (get.body, "open=\"true\""));
  g_assert_nonnull (strstr (get.body, "changes_count=\"6\""));
  g_assert_nonnull (strstr (get.body, "<tag k=\"comment\" v=\"Bus stops &amp; shelters\"/>"));

  g_free (path);
  path = g_strdup_printf ("/api/0.6/changeset/%" G_GINT64_FORMAT "/download", cs);
  request (f, "GET", path, NULL, NULL, &down);
  g_assert_cmpuint (down.status, ==, 200);
  g_assert_nonnull (strstr (down.body, "<osmChange version=\"0.6\""));
  g_assert_nonnull (strstr (down.body, "<create>"));
  g_assert_nonnull (strstr (down.body, "<modify>"));
  g_assert_nonnull (strstr (down.body, "<delete>"));
  g_assert_nonnull (strstr (down.body, "<tag k=\"name\" v=\"Gare\"/>"));

  g_free (path);
  path = g_strdup_printf ("/api/0.6/changeset/%" G_GINT64_FORMAT "/close", cs);
  request (f, "PUT", path, "alice", NULL, &closed);
  g_assert_no_error (closed.transport);
  g_assert_cmpuint (closed.status, ==, 200);
  g_assert_cmpstr (closed.body, ==, "");

  response_clear (&get);
  g_free (path);
  path = g_strdup_printf ("/api/0.6/changeset/%" G_GINT64_FORMAT, cs);
  request (f, "GET", path, NULL, NULL, &get);
  g_assert_nonnull (strstr (get.body, "open=\"false\""));
  g_assert_nonnull (strstr (get.body, "closed_at=\""));
}

static gint64
create_node (Fixture    *f,
             const char *token,
             gint64      cs,
             double      lat,
             double      lon)
{
  g_auto(Response) r = { 0, };
  char la[G_ASCII_DTOSTR_BUF_SIZE], lo[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *changes = g_strdup_printf ("<create><node id=\"-1\" changeset=\"CS\" lat=\"%s\" lon=\"%s\"/></create>",
                                              g_ascii_dtostr (la, sizeof la, lat), g_ascii_dtostr (lo, sizeof lo, lon));

  upload (f, token, cs, changes, &r);
  g_assert_cmpuint (r.status, ==, 200);
  return diff_value (r.body, "node", -1, "new_id");
}

static void
test_version_mismatch (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(Response) r = { 0, };
  g_autofree char *changes = NULL;
  g_autofree char *expected = NULL;
  gint64 cs = create_changeset (f, "alice");
  gint64 node = create_node (f, "alice", cs, 10, 10);
  gint64 before = balise_test_server_query_int (f->server, "SELECT count(*) FROM history");

  /* A valid create, then a stale modify: nothing of the upload is kept. */
  changes = g_strdup_printf ("<create><node id=\"-5\" changeset=\"CS\" lat=\"1\" lon=\"1\"/></create>"
                             "<modify><node id=\"%" G_GINT64_FORMAT "\" changeset=\"CS\" version=\"2\" lat=\"1\" lon=\"1\"/></modify>",
                             node);
  upload (f, "alice", cs, changes, &r);
  expected = g_strdup_printf ("Version mismatch: Provided 2, server had: 1 of Node %" G_GINT64_FORMAT, node);
  assert_error (&r, 409, expected);
  g_assert_cmpint (balise_test_server_query_int (f->server, "SELECT count(*) FROM history"), ==, before);
  g_assert_cmpint (balise_test_server_query_int (f->server, "SELECT count(*) FROM element WHERE type = 'node'"), ==, 1);
}

static void
test_still_used (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(Response) r = { 0, };
  g_auto(Response) skip = { 0, };
  g_autofree char *changes = NULL;
  g_autofree char *expected = NULL;
  gint64 cs = create_changeset (f, "alice");
  gint64 n, w1, w2;

  upload (f, "alice", cs,
          "<create><node id=\"-1\" changeset=\"CS\" lat=\"1\" lon=\"1\"/>"
          "<node id=\"-2\" changeset=\"CS\" lat=\"1.001\" lon=\"1\"/>"
          "<way id=\"-1\" changeset=\"CS\"><nd ref=\"-1\"/><nd ref=\"-2\"/></way>"
          "<way id=\"-2\" changeset=\"CS\"><nd ref=\"-2\"/><nd ref=\"-1\"/></way></create>", &r);
  g_assert_cmpuint (r.status, ==, 200);
  n = diff_value (r.body, "node", -1, "new_id");
  w1 = diff_value (r.body, "way", -1, "new_id");
  w2 = diff_value (r.body, "way", -2, "new_id");
  response_clear (&r);

  changes = g_strdup_printf ("<delete><node id=\"%" G_GINT64_FORMAT "\" changeset=\"CS\" version=\"1\"/></delete>", n);
  upload (f, "alice", cs, changes, &r);
  expected = g_strdup_printf ("Precondition failed: Node %" G_GINT64_FORMAT " is still used by ways %"
                              G_GINT64_FORMAT ",%" G_GINT64_FORMAT ".", n, w1, w2);
  assert_error (&r, 412, expected);

  /* if-unused: skipped, answered with the current id and version */
  g_free (changes);
  changes = g_strdup_printf ("<delete if-unused=\"true\"><node id=\"%" G_GINT64_FORMAT "\" changeset=\"CS\" version=\"1\"/></delete>", n);
  upload (f, "alice", cs, changes, &skip);
  g_assert_cmpuint (skip.status, ==, 200);
  g_assert_cmpint (diff_value (skip.body, "node", n, "new_id"), ==, n);
  g_assert_cmpint (diff_value (skip.body, "node", n, "new_version"), ==, 1);
  g_assert_cmpint (balise_test_server_query_int (f->server, "SELECT visible FROM element WHERE type = 'node' AND id = 1"), ==, 1);

  /* A way that needs a missing node */
  response_clear (&r);
  upload (f, "alice", cs, "<create><way id=\"-1\" changeset=\"CS\"><nd ref=\"999\"/></way></create>", &r);
  assert_error (&r, 412, "Precondition failed: Way -1 requires the nodes with id in (999), "
                         "which either do not exist, or are not visible.");
}

static void
test_closed_changeset (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(Response) r = { 0, };
  g_auto(Response) closed = { 0, };
  g_auto(Response) again = { 0, };
  g_autofree char *path = NULL;
  g_autofree char *prefix = NULL;
  gint64 cs = create_changeset (f, "alice");

  path = g_strdup_printf ("/api/0.6/changeset/%" G_GINT64_FORMAT "/close", cs);
  request (f, "PUT", path, "alice", NULL, &closed);
  g_assert_cmpuint (closed.status, ==, 200);

  upload (f, "alice", cs, "<create><node id=\"-1\" changeset=\"CS\" lat=\"1\" lon=\"1\"/></create>", &r);
  g_assert_cmpuint (r.status, ==, 409);
  g_assert_true (g_regex_match_simple ("^The changeset [0-9]+ was closed at "
                                       "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC$",
                                       r.body, 0, 0));
  prefix = g_strdup_printf ("The changeset %" G_GINT64_FORMAT " was closed at ", cs);
  g_assert_true (g_str_has_prefix (r.body, prefix));
  g_assert_cmpstr (r.error, ==, r.body);
  g_assert_cmpint (balise_test_server_query_int (f->server, "SELECT count(*) FROM element"), ==, 0);

  /* Closing twice is the same conflict */
  request (f, "PUT", path, "alice", NULL, &again);
  g_assert_cmpuint (again.status, ==, 409);
  g_assert_true (g_str_has_prefix (again.body, prefix));
}

static void
test_max_elements (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Response) r = { 0, };
  g_auto(Response) over = { 0, };
  g_auto(Response) get = { 0, };
  g_autofree char *path = NULL;
  gint64 cs;

  balise_test_server_set_max_elements (f->server, 2);
  cs = create_changeset (f, "alice");

  upload (f, "alice", cs,
          "<create><node id=\"-1\" changeset=\"CS\" lat=\"1\" lon=\"1\"/><node id=\"-2\" changeset=\"CS\" lat=\"1\" lon=\"1\"/>"
          "<node id=\"-3\" changeset=\"CS\" lat=\"1\" lon=\"1\"/></create>", &over);
  g_assert_cmpuint (over.status, ==, 409);
  g_assert_true (g_regex_match_simple ("^The changeset [0-9]+ was closed at .* UTC$", over.body, 0, 0));
  g_assert_cmpint (balise_test_server_query_int (f->server, "SELECT count(*) FROM element"), ==, 0);

  upload (f, "alice", cs,
          "<create><node id=\"-1\" changeset=\"CS\" lat=\"1\" lon=\"1\"/><node id=\"-2\" changeset=\"CS\" lat=\"1\" lon=\"1\"/>"
          "</create>", &r);
  g_assert_cmpuint (r.status, ==, 200);

  /* A full changeset is closed, as on the real API */
  path = g_strdup_printf ("/api/0.6/changeset/%" G_GINT64_FORMAT, cs);
  request (f, "GET", path, NULL, NULL, &get);
  g_assert_nonnull (strstr (get.body, "open=\"false\""));
  g_assert_nonnull (strstr (get.body, "changes_count=\"2\""));
}

static void
test_bad_uploads (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *long_value = g_strnfill (256, 'x');
  g_autofree char *long_tag = NULL;
  g_autofree char *mismatch = NULL;
  gint64 cs = create_changeset (f, "alice");
  struct {
    const char *changes;
    guint       status;
    const char *message;
  } cases[] = {
    { "<create><node id=\"-1\" changeset=\"CS\" lat=\"1\" lon=\"1\"/><node id=\"-1\" changeset=\"CS\" lat=\"2\" lon=\"2\"/></create>",
      400, "Placeholder IDs must be unique for created elements." },
    { "<create><node id=\"-1\" lat=\"1\" lon=\"1\"/></create>",
      400, "Cannot parse valid node from xml string. Changeset id is missing" },
    { "<create><node id=\"-1\" changeset=\"CS\" lat=\"1\" lon=\"1\"><tag k=\"a\" v=\"1\"/><tag k=\"a\" v=\"2\"/></node></create>",
      400, "Node -1 has duplicate tags with key a" },
    { "<create><node id=\"-1\" changeset=\"CS\" lat=\"91\" lon=\"1\"/></create>",
      400, "Latitude outside of valid range in Node -1" },
    { "<modify><node id=\"12345\" changeset=\"CS\" version=\"1\" lat=\"1\" lon=\"1\"/></modify>",
      404, "The node with the id 12345 was not found" },
    { "<create><node id=\"-1\" changeset=\"CS\" lat=\"1\" lon=\"1\"/>", 400, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Response) r = { 0, };

      upload (f, "alice", cs, cases[i].changes, &r);
      g_assert_no_error (r.transport);
      g_assert_cmpuint (r.status, ==, cases[i].status);
      if (cases[i].message != NULL)
        assert_error (&r, cases[i].status, cases[i].message);
    }

  {
    g_auto(Response) r = { 0, };

    long_tag = g_strdup_printf ("<create><node id=\"-1\" changeset=\"CS\" lat=\"1\" lon=\"1\"><tag k=\"name\" v=\"%s\"/></node></create>",
                                long_value);
    upload (f, "alice", cs, long_tag, &r);
    assert_error (&r, 400, "Value has more than 255 unicode characters in Node -1");
  }

  {
    g_auto(Response) r = { 0, };
    g_autofree char *expected = g_strdup_printf ("Changeset mismatch: Provided 999 but only %" G_GINT64_FORMAT " is allowed", cs);

    mismatch = g_strdup ("<create><node id=\"-1\" changeset=\"999\" lat=\"1\" lon=\"1\"/></create>");
    upload (f, "alice", cs, mismatch, &r);
    assert_error (&r, 409, expected);
  }

  g_assert_cmpint (balise_test_server_query_int (f->server, "SELECT count(*) FROM element"), ==, 0);
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_auto(Response) none = { 0, };
  g_auto(Response) basic = { 0, };
  g_auto(Response) other = { 0, };
  g_auto(Response) details = { 0, };
  g_auto(Response) anon_details = { 0, };
  gint64 cs;

  request (f, "PUT", "/api/0.6/changeset/create", NULL, "<osm><changeset/></osm>", &none);
  assert_error (&none, 401, "Couldn't authenticate you");

  request_full (f->session, balise_test_server_get_url (f->server), "PUT", "/api/0.6/changeset/create", NULL,
                "<osm><changeset/></osm>", "Authorization", "Basic dXNlcjpwYXNz", &basic);
  assert_error (&basic, 401, "Couldn't authenticate you");

  /* Two tokens are two users */
  cs = create_changeset (f, "alice");
  upload (f, "bob", cs, "<create><node id=\"-1\" changeset=\"CS\" lat=\"1\" lon=\"1\"/></create>", &other);
  assert_error (&other, 409, "The user doesn't own that changeset");

  request (f, "GET", "/api/0.6/user/details", "alice", NULL, &details);
  g_assert_cmpuint (details.status, ==, 200);
  g_assert_true (g_regex_match_simple ("<user id=\"[0-9]+\" display_name=\"user-[0-9a-f]{6}\" account_created=\"[0-9T:Z-]+\"",
                                       details.body, 0, 0));
  g_assert_nonnull (strstr (details.body, "<changesets count=\"1\"/>"));

  request (f, "GET", "/api/0.6/user/details", NULL, NULL, &anon_details);
  assert_error (&anon_details, 401, "Couldn't authenticate you");
}

static void
test_fixed_token (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(Response) wrong = { 0, };
  g_auto(Response) read = { 0, };
  g_auto(Response) perms = { 0, };

  request (f, "PUT", "/api/0.6/changeset/create", "not-the-token", "<osm><changeset/></osm>", &wrong);
  assert_error (&wrong, 401, "Couldn't authenticate you");

  create_changeset (f, "s3cret");

  /* A bad token is refused on reads too, as on the real API */
  request (f, "GET", "/api/0.6/permissions", "not-the-token", NULL, &read);
  g_assert_cmpuint (read.status, ==, 401);
  request (f, "GET", "/api/0.6/permissions", "s3cret", NULL, &perms);
  g_assert_cmpuint (perms.status, ==, 200);
  g_assert_nonnull (strstr (perms.body, "<permission name=\"allow_write_api\"/>"));
}

static void
test_element_get (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(Response) ok = { 0, };
  g_auto(Response) del = { 0, };
  g_auto(Response) del_again = { 0, };
  g_auto(Response) gone = { 0, };
  g_auto(Response) unknown = { 0, };
  g_auto(Response) multi = { 0, };
  g_auto(Response) history = { 0, };
  g_autofree char *path = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *expected = NULL;
  gint64 cs = create_changeset (f, "alice");
  gint64 node = create_node (f, "alice", cs, 51.5, -0.1);

  path = g_strdup_printf ("/api/0.6/node/%" G_GINT64_FORMAT, node);
  request (f, "GET", path, NULL, NULL, &ok);
  g_assert_cmpuint (ok.status, ==, 200);
  g_assert_nonnull (strstr (ok.body, "visible=\"true\" version=\"1\""));
  g_assert_nonnull (strstr (ok.body, "lat=\"51.5000000\" lon=\"-0.1000000\""));

  changes = g_strdup_printf ("<delete><node id=\"%" G_GINT64_FORMAT "\" changeset=\"CS\" version=\"1\"/></delete>", node);
  upload (f, "alice", cs, changes, &del);
  g_assert_cmpuint (del.status, ==, 200);

  request (f, "GET", path, NULL, NULL, &gone);
  g_assert_cmpuint (gone.status, ==, 410);
  g_assert_cmpstr (gone.body, ==, "");

  /* Deleting it again, even with the old version */
  upload (f, "alice", cs, changes, &del_again);
  expected = g_strdup_printf ("The node with the id %" G_GINT64_FORMAT " has already been deleted", node);
  assert_error (&del_again, 410, expected);

  request (f, "GET", "/api/0.6/node/987654", NULL, NULL, &unknown);
  g_assert_cmpuint (unknown.status, ==, 404);

  g_free (path);
  path = g_strdup_printf ("/api/0.6/nodes?nodes=%" G_GINT64_FORMAT, node);
  request (f, "GET", path, NULL, NULL, &multi);
  g_assert_cmpuint (multi.status, ==, 200);
  g_assert_nonnull (strstr (multi.body, "visible=\"false\" version=\"2\""));

  g_free (path);
  path = g_strdup_printf ("/api/0.6/node/%" G_GINT64_FORMAT "/history", node);
  request (f, "GET", path, NULL, NULL, &history);
  g_assert_cmpuint (history.status, ==, 200);
  g_assert_nonnull (strstr (history.body, "version=\"1\""));
  g_assert_nonnull (strstr (history.body, "version=\"2\""));
}

static void
test_way_full (Fixture       *f,
               gconstpointer  data)
{
  g_auto(Response) r = { 0, };
  g_auto(Response) full = { 0, };
  g_autofree char *path = NULL;
  gint64 cs = create_changeset (f, "alice");
  gint64 w;

  upload (f, "alice", cs,
          "<create><node id=\"-1\" changeset=\"CS\" lat=\"1\" lon=\"1\"/><node id=\"-2\" changeset=\"CS\" lat=\"1.001\" lon=\"1\"/>"
          "<way id=\"-1\" changeset=\"CS\"><nd ref=\"-1\"/><nd ref=\"-2\"/></way></create>", &r);
  w = diff_value (r.body, "way", -1, "new_id");

  path = g_strdup_printf ("/api/0.6/way/%" G_GINT64_FORMAT "/full", w);
  request (f, "GET", path, NULL, NULL, &full);
  g_assert_cmpuint (full.status, ==, 200);
  g_assert_nonnull (strstr (full.body, "<nd ref=\""));
  g_assert_true (strstr (full.body, "<node id=") < strstr (full.body, "<way id="));
}

static void
test_map (Fixture       *f,
          gconstpointer  data)
{
  g_auto(Response) r = { 0, };
  g_auto(Response) map = { 0, };
  g_auto(Response) big = { 0, };
  g_auto(Response) bad = { 0, };
  g_auto(Response) limit = { 0, };
  gint64 cs = create_changeset (f, "alice");

  upload (f, "alice", cs,
          "<create><node id=\"-1\" changeset=\"CS\" lat=\"45.001\" lon=\"5.001\"/>"
          "<node id=\"-2\" changeset=\"CS\" lat=\"45.5\" lon=\"5.5\"/>"
          "<node id=\"-3\" changeset=\"CS\" lat=\"45.002\" lon=\"5.002\"/>"
          "<way id=\"-1\" changeset=\"CS\"><nd ref=\"-1\"/><nd ref=\"-2\"/></way></create>", &r);
  g_assert_cmpuint (r.status, ==, 200);

  request (f, "GET", "/api/0.6/map?bbox=5,45,5.01,45.01", NULL, NULL, &map);
  g_assert_cmpuint (map.status, ==, 200);
  g_assert_nonnull (strstr (map.body, "<bounds minlat=\"45.0000000\" minlon=\"5.0000000\" maxlat=\"45.0100000\" maxlon=\"5.0100000\"/>"));
  g_assert_nonnull (strstr (map.body, "lat=\"45.0010000\""));
  g_assert_nonnull (strstr (map.body, "lat=\"45.0020000\""));
  /* The way's other node, outside the box, comes with the way */
  g_assert_nonnull (strstr (map.body, "lat=\"45.5000000\""));
  g_assert_nonnull (strstr (map.body, "<way id="));

  request (f, "GET", "/api/0.6/map?bbox=5,45,6,46", NULL, NULL, &big);
  assert_error (&big, 400, "The maximum bbox size is 0.25, and your request was too large. "
                           "Either request a smaller area, or use planet.osm");

  request (f, "GET", "/api/0.6/map?bbox=5,45,nope", NULL, NULL, &bad);
  g_assert_cmpuint (bad.status, ==, 400);

  balise_test_server_set_max_nodes (f->server, 1);
  request (f, "GET", "/api/0.6/map?bbox=5,45,5.01,45.01", NULL, NULL, &limit);
  assert_error (&limit, 400, "You requested too many nodes (limit is 1). Either request a smaller area, or use planet.osm");
}

static void
test_xml_errors (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(Response) r = { 0, };

  request_full (f->session, balise_test_server_get_url (f->server), "PUT", "/api/0.6/changeset/create", NULL,
                "<osm><changeset/></osm>", "X-Error-Format", "xml", &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_nonnull (strstr (r.body, "<osmError>"));
  g_assert_nonnull (strstr (r.body, "<status>401 Unauthorized</status>"));
  g_assert_nonnull (strstr (r.body, "<message>Couldn't authenticate you</message>"));
}

static void
test_changesets_list (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(Response) r = { 0, };
  g_auto(Response) open = { 0, };
  g_autofree char *close_path = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gint64 cs1 = create_changeset (f, "alice");
  gint64 cs2 = create_changeset (f, "alice");
  g_auto(Response) closed = { 0, };

  create_changeset (f, "bob");
  close_path = g_strdup_printf ("/api/0.6/changeset/%" G_GINT64_FORMAT "/close", cs1);
  request (f, "PUT", close_path, "alice", NULL, &closed);

  request (f, "GET", "/api/0.6/changesets?user=1", NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  first = g_strdup_printf ("<changeset id=\"%" G_GINT64_FORMAT "\"", cs2);
  second = g_strdup_printf ("<changeset id=\"%" G_GINT64_FORMAT "\"", cs1);
  g_assert_nonnull (strstr (r.body, first));
  g_assert_nonnull (strstr (r.body, second));
  g_assert_true (strstr (r.body, first) < strstr (r.body, second));   /* newest first */
  g_assert_null (strstr (r.body, "<changeset id=\"3\""));

  request (f, "GET", "/api/0.6/changesets?user=1&open=true", NULL, NULL, &open);
  g_assert_nonnull (strstr (open.body, first));
  g_assert_null (strstr (open.body, second));
}

static void
test_fault_status (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Response) r = { 0, };
  g_auto(Response) after = { 0, };

  balise_test_server_add_fault (f->server, "GET", "/api/0.6/capabilities", BALISE_TEST_FAULT_STATUS, 503, 1);
  request (f, "GET", "/api/0.6/capabilities", NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 503);
  g_assert_cmpstr (r.retry_after, ==, "1");
  g_assert_nonnull (r.error);

  request (f, "GET", "/api/0.6/capabilities", NULL, NULL, &after);
  g_assert_cmpuint (after.status, ==, 200);
}

static void
test_fault_drops (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *big = NULL;
  gint64 cs = create_changeset (f, "alice");
  const char *node = "<create><node id=\"-1\" changeset=\"CS\" lat=\"1\" lon=\"1\"/></create>";

  /* Nothing committed */
  {
    g_auto(Response) r = { 0, };

    balise_test_server_add_fault (f->server, "POST", "/api/0.6/changeset/*/upload", BALISE_TEST_FAULT_DROP_BEFORE, 0, 1);
    upload (f, "alice", cs, node, &r);
    g_assert_nonnull (r.transport);
    g_assert_cmpint (balise_test_server_query_int (f->server, "SELECT count(*) FROM element"), ==, 0);
  }

  /* Committed, but no answer */
  {
    g_auto(Response) r = { 0, };

    balise_test_server_add_fault (f->server, "POST", "/api/0.6/changeset/*/upload", BALISE_TEST_FAULT_DROP_AFTER_COMMIT, 0, 1);
    upload (f, "alice", cs, node, &r);
    g_assert_nonnull (r.transport);
    g_assert_cmpint (balise_test_server_query_int (f->server, "SELECT count(*) FROM element"), ==, 1);
  }

  /* Cut while the body is being read */
  {
    g_auto(Response) r = { 0, };
    GString *changes = g_string_new ("<create>");

    for (int i = 1; i <= 2000; i++)
      g_string_append_printf (changes, "<node id=\"-%d\" changeset=\"CS\" lat=\"1\" lon=\"1\"><tag k=\"n\" v=\"%d\"/></node>", i, i);
    g_string_append (changes, "</create>");
    big = g_string_free (changes, FALSE);

    balise_test_server_add_fault (f->server, "POST", "/api/0.6/changeset/*/upload", BALISE_TEST_FAULT_DROP_MID_REQUEST, 1000, 1);
    upload (f, "alice", cs, big, &r);
    g_assert_nonnull (r.transport);
    g_assert_cmpint (balise_test_server_query_int (f->server, "SELECT count(*) FROM element"), ==, 1);
  }

  /* And the server still works */
  {
    g_auto(Response) r = { 0, };

    upload (f, "alice", cs, node, &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_cmpint (balise_test_server_query_int (f->server, "SELECT count(*) FROM element"), ==, 2);
  }
}

static void
test_fault_delay (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(Response) r = { 0, };
  gint64 start;

  balise_test_server_add_fault (f->server, NULL, "/api/0.6/capabilities", BALISE_TEST_FAULT_DELAY, 300, 1);
  start = g_get_monotonic_time ();
  request (f, "GET", "/api/0.6/capabilities", NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
}

static JsonObject *
parse_json_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_notes (Fixture       *f,
            gconstpointer  data)
{
  g_auto(Response) created = { 0, };
  g_auto(Response) anon = { 0, };
  g_auto(Response) commented = { 0, };
  g_auto(Response) closed = { 0, };
  g_auto(Response) closed_again = { 0, };
  g_auto(Response) json = { 0, };
  g_auto(Response) list = { 0, };
  g_auto(Response) big = { 0, };
  g_auto(Response) search = { 0, };
  g_auto(Response) reopened = { 0, };
  g_auto(Response) missing = { 0, };
  g_autoptr(JsonObject) root = NULL;
  g_autofree char *path = NULL;
  g_autofree char *prefix = NULL;
  JsonObject *properties;
  JsonArray *comments;
  gint64 id;

  /* Anonymous creation is allowed */
  request (f, "POST", "/api/0.6/notes?lat=45.1&lon=5.2&text=Broken%20shelter%20%26%20bench", NULL, NULL, &created);
  g_assert_cmpuint (created.status, ==, 200);
  g_assert_nonnull (strstr (created.body, "<note lon=\"5.2000000\" lat=\"45.1000000\">"));
  g_assert_nonnull (strstr (created.body, "<status>open</status>"));
  g_assert_nonnull (strstr (created.body, "<text>Broken shelter &amp; bench</text>"));
  g_assert_nonnull (strstr (created.body, "<action>opened</action>"));
  id = g_ascii_strtoll (strstr (created.body, "<id>") + 4, NULL, 10);
  g_assert_cmpint (id, >, 0);

  request (f, "POST", "/api/0.6/notes?lat=45.1&lon=5.2", NULL, NULL, &missing);
  assert_error (&missing, 400, "No text was given");

  path = g_strdup_printf ("/api/0.6/notes/%" G_GINT64_FORMAT "/comment?text=Still%%20broken", id);
  request (f, "POST", path, NULL, NULL, &anon);
  assert_error (&anon, 401, "Couldn't authenticate you");
  request (f, "POST", path, "alice", NULL, &commented);
  g_assert_cmpuint (commented.status, ==, 200);
  g_assert_nonnull (strstr (commented.body, "<action>commented</action>"));
  g_assert_nonnull (strstr (commented.body, "<user>user-"));

  g_free (path);
  path = g_strdup_printf ("/api/0.6/notes/%" G_GINT64_FORMAT "/close?text=Fixed", id);
  request (f, "POST", path, "alice", NULL, &closed);
  g_assert_cmpuint (closed.status, ==, 200);
  g_assert_nonnull (strstr (closed.body, "<status>closed</status>"));
  g_assert_nonnull (strstr (closed.body, "<date_closed>"));

  request (f, "POST", path, "alice", NULL, &closed_again);
  g_assert_cmpuint (closed_again.status, ==, 409);
  prefix = g_strdup_printf ("The note %" G_GINT64_FORMAT " was closed at ", id);
  g_assert_true (g_str_has_prefix (closed_again.body, prefix));
  g_assert_true (g_str_has_suffix (closed_again.body, " UTC"));

  g_free (path);
  path = g_strdup_printf ("/api/0.6/notes/%" G_GINT64_FORMAT ".json", id);
  request (f, "GET", path, NULL, NULL, &json);
  g_assert_cmpuint (json.status, ==, 200);
  root = parse_json_object (json.body);
  g_assert_cmpstr (json_object_get_string_member (root, "type"), ==, "Feature");
  properties = json_object_get_object_member (root, "properties");
  g_assert_cmpint (json_object_get_int_member (properties, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (properties, "status"), ==, "closed");
  comments = json_object_get_array_member (properties, "comments");
  g_assert_cmpuint (json_array_get_length (comments), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (comments, 0), "action"), ==, "opened");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (comments, 2), "action"), ==, "closed");
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (
    json_object_get_array_member (json_object_get_object_member (root, "geometry"), "coordinates"), 0), 5.2, 1e-9);

  request (f, "GET", "/api/0.6/notes.json?bbox=5,45,5.5,45.5", NULL, NULL, &list);
  g_assert_cmpuint (list.status, ==, 200);
  g_assert_nonnull (strstr (list.body, "\"FeatureCollection\""));
  g_assert_nonnull (strstr (list.body, "Broken shelter"));

  request (f, "GET", "/api/0.6/notes?bbox=0,40,10,50", NULL, NULL, &big);
  assert_error (&big, 400, "The maximum bbox size is 25, and your request was too large. "
                           "Either request a smaller area, or use planet.osm");

  request (f, "GET", "/api/0.6/notes/search?q=shelter", NULL, NULL, &search);
  g_assert_cmpuint (search.status, ==, 200);
  g_assert_nonnull (strstr (search.body, "<text>Broken shelter &amp; bench</text>"));

  g_free (path);
  path = g_strdup_printf ("/api/0.6/notes/%" G_GINT64_FORMAT "/reopen", id);
  request (f, "POST", path, "alice", NULL, &reopened);
  g_assert_cmpuint (reopened.status, ==, 200);
  g_assert_nonnull (strstr (reopened.body, "<status>open</status>"));
}

static char *
base64url (const guint8 *data,
           gsize         len)
{
  g_autofree char *b64 = g_base64_encode (data, len);
  GString *out = g_string_new (NULL);

  for (const char *p = b64; *p != '\0' && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

static char *
exchange_code (Fixture    *f,
               const char *code,
               const char *verifier,
               guint      *status)
{
  g_autofree char *url = g_strconcat (balise_test_server_get_url (f->server), "oauth2/token", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  msg = soup_message_new_from_encoded_form ("POST", url,
                                            soup_form_encode ("grant_type", "authorization_code",
                                                              "code", code,
                                                              "redirect_uri", "http://127.0.0.1:1234/callback",
                                                              "client_id", "balise-test",
                                                              "code_verifier", verifier,
                                                              NULL));
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_oauth2 (Fixture       *f,
             gconstpointer  data)
{
  const char *verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *challenge = NULL;
  g_autofree char *url = NULL;
  g_autofree char *code = NULL;
  g_autofree char *body = NULL;
  g_autofree char *again = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) location = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(JsonObject) token = NULL;
  g_auto(Response) details = { 0, };
  guint8 digest[32];
  gsize len = sizeof digest;
  guint status;

  g_checksum_update (checksum, (const guchar *) verifier, -1);
  g_checksum_get_digest (checksum, digest, &len);
  challenge = base64url (digest, len);

  url = g_strdup_printf ("%soauth2/authorize?response_type=code&client_id=balise-test"
                         "&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A1234%%2Fcallback"
                         "&scope=read_prefs%%20write_api%%20write_notes&state=xyz"
                         "&code_challenge=%s&code_challenge_method=S256",
                         balise_test_server_get_url (f->server), challenge);
  msg = soup_message_new ("GET", url);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  location = g_uri_parse (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"),
                          G_URI_FLAGS_ENCODED_QUERY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_host (location), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (location), ==, 1234);
  g_assert_cmpstr (g_uri_get_path (location), ==, "/callback");
  params = soup_form_decode (g_uri_get_query (location));
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "xyz");
  code = g_strdup (g_hash_table_lookup (params, "code"));
  g_assert_nonnull (code);

  /* A wrong verifier is refused, and does not burn the code */
  body = exchange_code (f, code, "not-the-verifier-not-the-verifier-not-the-verifier", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (body, "invalid_grant"));
  g_free (body);

  body = exchange_code (f, code, verifier, &status);
  g_assert_cmpuint (status, ==, 200);
  token = parse_json_object (body);
  g_assert_cmpstr (json_object_get_string_member (token, "token_type"), ==, "Bearer");
  g_assert_cmpstr (json_object_get_string_member (token, "scope"), ==, "read_prefs write_api write_notes");
  g_assert_cmpint (json_object_get_int_member (token, "created_at"), >, 0);

  /* Codes are single use */
  again = exchange_code (f, code, verifier, &status);
  g_assert_cmpuint (status, ==, 400);

  request (f, "GET", "/api/0.6/user/details", json_object_get_string_member (token, "access_token"), NULL, &details);
  g_assert_cmpuint (details.status, ==, 200);
}

static void
test_oauth2_plain_refused (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%soauth2/authorize?response_type=code&client_id=c"
                                          "&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%2Fcb&state=s"
                                          "&code_challenge=abc&code_challenge_method=plain",
                                          balise_test_server_get_url (f->server));
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_assert_nonnull (strstr (location, "error=invalid_request"));
  g_assert_null (strstr (location, "code="));
}

static void
test_standalone (void)
{
  const char *argv[] = { OSM_TEST_SERVER_PATH, "--port", "0", "--max-elements", "7", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) input = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  input = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  url = g_data_input_stream_read_line_utf8 (input, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^http://127\\.0\\.0\\.1:[0-9]+/$", url, 0, 0));

  {
    g_auto(Response) r = { 0, };

    request_full (session, url, "GET", "/api/0.6/capabilities", NULL, NULL, NULL, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_nonnull (strstr (r.body, "maximum_elements=\"7\""));
  }

  /* Fault injection over HTTP */
  {
    g_auto(Response) set = { 0, };
    g_auto(Response) r = { 0, };
    g_auto(Response) clear = { 0, };
    g_auto(Response) after = { 0, };

    request_full (session, url, "POST", "/__test__/fault?method=GET&path=/api/0.6/capabilities&fault=status&param=429&count=5",
                  NULL, NULL, NULL, NULL, &set);
    g_assert_cmpuint (set.status, ==, 200);
    request_full (session, url, "GET", "/api/0.6/capabilities", NULL, NULL, NULL, NULL, &r);
    assert_error (&r, 429, "Rate limit exceeded");
    g_assert_cmpstr (r.retry_after, ==, "1");
    request_full (session, url, "POST", "/__test__/clear", NULL, NULL, NULL, NULL, &clear);
    g_assert_cmpuint (clear.status, ==, 200);
    request_full (session, url, "GET", "/api/0.6/capabilities", NULL, NULL, NULL, NULL, &after);
    g_assert_cmpuint (after.status, ==, 200);
  }

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
test_restart (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-osm-server-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "osm.db", NULL);

  for (int round = 0; round < 2; round++)
    {
      g_autoptr(BaliseTestServer) server = balise_test_server_new (db, NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (balise_test_server_start (server, 0, &error));
      if (round == 0)
        {
          Fixture f = { server, soup_session_new_with_options ("proxy-resolver", NULL, NULL) };
          create_changeset (&f, "alice");
          g_object_unref (f.session);
        }
      g_assert_cmpint (balise_test_server_query_int (server, "SELECT count(*) FROM changeset"), ==, 1);
    }

  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
    g_remove (db);
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  /* No G_TEST_OPTION_ISOLATE_DIRS: GLib 2.74 leaks the strings of
   * g_set_user_dirs(), and this test touches no user directory. */
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, token) \
  g_test_add (path, Fixture, token, fixture_setup, func, fixture_teardown)

  ADD ("/server/capabilities", test_capabilities, NULL);
  ADD ("/server/changeset/create-upload-close", test_create_upload_close, NULL);
  ADD ("/server/changeset/closed", test_closed_changeset, NULL);
  ADD ("/server/changeset/max-elements", test_max_elements, NULL);
  ADD ("/server/changeset/list", test_changesets_list, NULL);
  ADD ("/server/upload/version-mismatch", test_version_mismatch, NULL);
  ADD ("/server/upload/still-used", test_still_used, NULL);
  ADD ("/server/upload/bad", test_bad_uploads, NULL);
  ADD ("/server/auth/any-token", test_auth, NULL);
  ADD ("/server/auth/fixed-token", test_fixed_token, "s3cret");
  ADD ("/server/element/get", test_element_get, NULL);
  ADD ("/server/element/way-full", test_way_full, NULL);
  ADD ("/server/map", test_map, NULL);
  ADD ("/server/errors/xml", test_xml_errors, NULL);
  ADD ("/server/notes", test_notes, NULL);
  ADD ("/server/oauth2/pkce", test_oauth2, NULL);
  ADD ("/server/oauth2/fixed-token", test_oauth2, "s3cret");
  ADD ("/server/oauth2/plain-refused", test_oauth2_plain_refused, NULL);
  ADD ("/server/fault/status", test_fault_status, NULL);
  ADD ("/server/fault/drops", test_fault_drops, NULL);
  ADD ("/server/fault/delay", test_fault_delay, NULL);
  g_test_add_func ("/server/standalone", test_standalone);
  g_test_add_func ("/server/restart", test_restart);

  return g_test_run ();
}
