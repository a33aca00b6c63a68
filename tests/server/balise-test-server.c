/* balise-test-server.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server object: its thread, database, routing, authentication and
 * errors. Fault injection is in -faults.c. The API calls live in the -changesets, -upload,
 * -elements and -notes files.
 */

#define G_LOG_DOMAIN "balise-test-server"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "balise-test-server-private.h"

G_DEFINE_FINAL_TYPE (BaliseTestServer, balise_test_server, G_TYPE_OBJECT)

static const char schema_sql[] =
  "PRAGMA journal_mode=WAL;"
  "PRAGMA synchronous=OFF;"
  "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, token_hash TEXT UNIQUE NOT NULL,"
  "  display_name TEXT NOT NULL, created_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS changeset (id INTEGER PRIMARY KEY, uid INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL, closed_at INTEGER, num_changes INTEGER NOT NULL DEFAULT 0,"
  "  min_lat REAL, min_lon REAL, max_lat REAL, max_lon REAL);"
  "CREATE TABLE IF NOT EXISTS changeset_tag (changeset INTEGER NOT NULL, k TEXT NOT NULL, v TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS changeset_tag_cs ON changeset_tag (changeset);"
  /* The current version of every element, with its XML as the API shows it */
  "CREATE TABLE IF NOT EXISTS element (type TEXT NOT NULL, id INTEGER NOT NULL, version INTEGER NOT NULL,"
  "  changeset INTEGER NOT NULL, visible INTEGER NOT NULL, lat REAL, lon REAL, timestamp INTEGER NOT NULL,"
  "  xml TEXT NOT NULL, PRIMARY KEY (type, id));"
  "CREATE INDEX IF NOT EXISTS element_lat ON element (lat) WHERE type = 'node' AND visible = 1;"
  /* Every version, in the order they were written */
  "CREATE TABLE IF NOT EXISTS history (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, id INTEGER NOT NULL,"
  "  version INTEGER NOT NULL, changeset INTEGER NOT NULL, visible INTEGER NOT NULL, xml TEXT NOT NULL);"
  "CREATE UNIQUE INDEX IF NOT EXISTS history_element ON history (type, id, version);"
  "CREATE INDEX IF NOT EXISTS history_changeset ON history (changeset);"
  /* Members of the current, visible ways and relations */
  "CREATE TABLE IF NOT EXISTS way_node (way INTEGER NOT NULL, seq INTEGER NOT NULL, node INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS way_node_way ON way_node (way);"
  "CREATE INDEX IF NOT EXISTS way_node_node ON way_node (node);"
  "CREATE TABLE IF NOT EXISTS relation_member (relation INTEGER NOT NULL, seq INTEGER NOT NULL,"
  "  type TEXT NOT NULL, ref INTEGER NOT NULL, role TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS relation_member_rel ON relation_member (relation);"
  "CREATE INDEX IF NOT EXISTS relation_member_ref ON relation_member (type, ref);"
  /* Notes */
  "CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, lat REAL NOT NULL, lon REAL NOT NULL,"
  "  created_at INTEGER NOT NULL, closed_at INTEGER, status TEXT NOT NULL DEFAULT 'open');"
  "CREATE TABLE IF NOT EXISTS note_comment (seq INTEGER PRIMARY KEY, note INTEGER NOT NULL,"
  "  date INTEGER NOT NULL, uid INTEGER, action TEXT NOT NULL, text TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS note_comment_note ON note_comment (note);"
  /* OAuth 2 authorization codes */
  "CREATE TABLE IF NOT EXISTS oauth_code (code TEXT PRIMARY KEY, client_id TEXT NOT NULL,"
  "  redirect_uri TEXT NOT NULL, challenge TEXT NOT NULL, scope TEXT NOT NULL, token TEXT NOT NULL,"
  "  used INTEGER NOT NULL DEFAULT 0);";

void
osm_user_clear (OsmUser *user)
{
  g_clear_pointer (&user->display_name, g_free);
  user->id = 0;
}

/*
 * Helpers shared by the API files
 */

static const char *
status_line (guint status)
{
  switch (status)
    {
    case 509:
      return "Bandwidth Limit Exceeded";
    default:
      return soup_status_get_phrase (status);
    }
}

void
_bts_reply_error (SoupServerMessage *msg,
                  guint              status,
                  const char        *message)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *format = soup_message_headers_get_one (request_headers, "X-Error-Format");
  g_autofree char *header = NULL;
  const char *p;

  /* A header cannot carry line breaks: keep the first line. */
  p = strchr (message, '\n');
  header = p != NULL ? g_strndup (message, p - message) : g_strdup (message);
  soup_message_headers_replace (headers, "Error", header);

  if (status == 429 || status == 503 || status == 509)
    soup_message_headers_replace (headers, "Retry-After", "1");

  if (format != NULL && g_ascii_strcasecmp (format, "xml") == 0)
    {
      GString *body = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osmError>\n  <status>");

      g_string_append_printf (body, "%u %s</status>\n  <message>", status, status_line (status));
      _bts_append_escaped (body, message);
      g_string_append (body, "</message>\n</osmError>\n");
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      _bts_reply_take (msg, "application/xml; charset=utf-8", body);
      return;
    }

  soup_server_message_set_status (msg, status, status_line (status));
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    message, strlen (message));
}

void
_bts_reply_errorf (SoupServerMessage *msg,
                   guint              status,
                   const char        *format,
                   ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  _bts_reply_error (msg, status, message);
}

void
_bts_reply_empty (SoupServerMessage *msg,
                  guint              status)
{
  soup_server_message_set_status (msg, status, status_line (status));
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC, "", 0);
}

void
_bts_reply_take (SoupServerMessage *msg,
                 const char        *content_type,
                 GString           *body)
{
  gsize len = body->len;

  if (soup_server_message_get_status (msg) == 0)
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), len);
}

void
_bts_reply_text (SoupServerMessage *msg,
                 const char        *text)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

void
_bts_reply_db_error (BaliseTestServer  *self,
                     SoupServerMessage *msg)
{
  _bts_reply_errorf (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Database error: %s",
                     sqlite3_errmsg (self->db));
}

sqlite3_stmt *
_bts_prepare (BaliseTestServer *self,
              const char       *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_critical ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (self->db));
      return NULL;
    }

  return stmt;
}

gboolean
_bts_exec (BaliseTestServer *self,
           const char       *sql)
{
  g_autoptr(sqlite_str) errmsg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_warning ("SQL “%s” failed: %s", sql, errmsg);
      return FALSE;
    }

  return TRUE;
}

char *
_bts_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

char *
_bts_format_closed_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC");
}

/* Escapes like the real API's XML writers: & < > " (not '). */
void
_bts_append_escaped (GString    *out,
                     const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      switch (*p)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\n':
          g_string_append (out, "&#10;");
          break;
        case '\r':
          g_string_append (out, "&#13;");
          break;
        case '\t':
          g_string_append (out, "&#9;");
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

void
_bts_append_attr (GString    *out,
                  const char *name,
                  const char *value)
{
  g_string_append_printf (out, " %s=\"", name);
  _bts_append_escaped (out, value);
  g_string_append_c (out, '"');
}

gboolean
_bts_parse_id (const char *text,
               gint64     *id)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;

  *id = (gint64) value;
  return TRUE;
}

static gboolean
parse_double (const char *text,
              double     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;

  *value = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0' && isfinite (*value);
}

/* Parses query "bbox" as left,bottom,right,top; answers 400 on errors. */
gboolean
_bts_parse_bbox (SoupServerMessage *msg,
                 GHashTable        *query,
                 double             bbox[4])
{
  const char *text = query != NULL ? g_hash_table_lookup (query, "bbox") : NULL;
  g_auto(GStrv) parts = NULL;

  if (text != NULL)
    parts = g_strsplit (text, ",", -1);

  if (parts == NULL || g_strv_length (parts) != 4 ||
      !parse_double (parts[0], &bbox[0]) || !parse_double (parts[1], &bbox[1]) ||
      !parse_double (parts[2], &bbox[2]) || !parse_double (parts[3], &bbox[3]))
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                        "The parameter bbox is required, and must be of the form min_lon,min_lat,max_lon,max_lat.");
      return FALSE;
    }

  if (bbox[0] < -180 || bbox[2] > 180 || bbox[1] < -90 || bbox[3] > 90)
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                        "The latitudes must be between -90 and 90, longitudes between -180 and 180 "
                        "and the minima must be less than the maxima.");
      return FALSE;
    }

  if (bbox[0] > bbox[2])
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                        "The minimum longitude must be less than the maximum longitude, but it wasn't");
      return FALSE;
    }

  if (bbox[1] > bbox[3])
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                        "The minimum latitude must be less than the maximum latitude, but it wasn't");
      return FALSE;
    }

  return TRUE;
}

/*
 * Authentication: every distinct Bearer token is a user.
 */

static gboolean
lookup_user (BaliseTestServer *self,
             const char       *token,
             OsmUser          *user)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *name = NULL;

  stmt = _bts_prepare (self, "SELECT id, display_name FROM users WHERE token_hash = ?");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      user->id = sqlite3_column_int64 (stmt, 0);
      user->display_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      return TRUE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  name = g_strdup_printf ("user-%.6s", hash);
  stmt = _bts_prepare (self, "INSERT INTO users (token_hash, display_name, created_at) VALUES (?, ?, ?)");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return FALSE;

  user->id = sqlite3_last_insert_rowid (self->db);
  user->display_name = g_steal_pointer (&name);
  return TRUE;
}

/* Fills @user from the Authorization header. Answers 401 and returns FALSE
 * for a bad token, or for no token when @required. */
gboolean
_bts_authenticate (BaliseTestServer  *self,
                   SoupServerMessage *msg,
                   gboolean           required,
                   OsmUser           *user)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  const char *token;

  user->id = 0;
  user->display_name = NULL;

  if (auth == NULL)
    {
      if (required)
        {
          _bts_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "Couldn't authenticate you");
          return FALSE;
        }
      return TRUE;
    }

  if (g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    {
      _bts_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "Couldn't authenticate you");
      return FALSE;
    }

  token = auth + 7;
  while (*token == ' ')
    token++;

  if (*token == '\0' || (self->token != NULL && strcmp (token, self->token) != 0))
    {
      _bts_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "Couldn't authenticate you");
      return FALSE;
    }

  if (!lookup_user (self, token, user))
    {
      _bts_reply_db_error (self, msg);
      return FALSE;
    }

  return TRUE;
}

/*
 * Small endpoints
 */

static void
handle_capabilities (BaliseTestServer  *self,
                     SoupServerMessage *msg)
{
  GString *out = g_string_new (OSM_HEADER);

  g_string_append_printf (out,
                          "  <api>\n"
                          "    <version minimum=\"0.6\" maximum=\"0.6\"/>\n"
                          "    <area maximum=\"0.25\"/>\n"
                          "    <note_area maximum=\"25\"/>\n"
                          "    <tracepoints per_page=\"5000\"/>\n"
                          "    <waynodes maximum=\"%d\"/>\n"
                          "    <relationmembers maximum=\"%d\"/>\n"
                          "    <changesets maximum_elements=\"%u\" default_query_limit=\"100\" maximum_query_limit=\"100\"/>\n"
                          "    <notes default_query_limit=\"100\" maximum_query_limit=\"10000\"/>\n"
                          "    <timeout seconds=\"300\"/>\n"
                          "    <status database=\"online\" api=\"online\" gpx=\"online\"/>\n"
                          "  </api>\n"
                          "  <policy>\n"
                          "    <imagery>\n"
                          "      <blacklist regex=\".*\\.google(apis)?\\..*/.*\"/>\n"
                          "    </imagery>\n"
                          "  </policy>\n",
                          MAX_WAY_NODES, MAX_RELATION_MEMBERS,
                          g_atomic_int_get (&self->max_elements));
  g_string_append (out, OSM_FOOTER);
  _bts_reply_take (msg, "application/xml; charset=utf-8", out);
}

static gint64
count_user_changesets (BaliseTestServer *self,
                       gint64            uid)
{
  g_autoptr(sqlite3_stmt) stmt = _bts_prepare (self, "SELECT count(*) FROM changeset WHERE uid = ?");

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, uid);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

static void
handle_user_details (BaliseTestServer  *self,
                     SoupServerMessage *msg)
{
  g_auto(OsmUser) user = { 0, };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *created = NULL;
  GString *out;

  if (!_bts_authenticate (self, msg, TRUE, &user))
    return;

  stmt = _bts_prepare (self, "SELECT created_at FROM users WHERE id = ?");
  sqlite3_bind_int64 (stmt, 1, user.id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _bts_reply_db_error (self, msg);
      return;
    }
  created = _bts_format_time (sqlite3_column_int64 (stmt, 0));

  out = g_string_new (OSM_HEADER);
  g_string_append_printf (out, "  <user id=\"%" G_GINT64_FORMAT "\"", user.id);
  _bts_append_attr (out, "display_name", user.display_name);
  _bts_append_attr (out, "account_created", created);
  g_string_append_printf (out,
                          ">\n"
                          "    <description></description>\n"
                          "    <contributor-terms agreed=\"true\" pd=\"false\"/>\n"
                          "    <roles/>\n"
                          "    <changesets count=\"%" G_GINT64_FORMAT "\"/>\n"
                          "    <traces count=\"0\"/>\n"
                          "    <blocks>\n"
                          "      <received count=\"0\" active=\"0\"/>\n"
                          "    </blocks>\n"
                          "    <languages>\n"
                          "      <lang>en</lang>\n"
                          "    </languages>\n"
                          "    <messages>\n"
                          "      <received count=\"0\" unread=\"0\"/>\n"
                          "      <sent count=\"0\"/>\n"
                          "    </messages>\n"
                          "  </user>\n",
                          count_user_changesets (self, user.id));
  g_string_append (out, OSM_FOOTER);
  _bts_reply_take (msg, "application/xml; charset=utf-8", out);
}

static void
handle_permissions (BaliseTestServer  *self,
                    SoupServerMessage *msg)
{
  static const char * const permissions[] = {
    "allow_read_prefs", "allow_write_api", "allow_write_notes", NULL
  };
  g_auto(OsmUser) user = { 0, };
  GString *out;

  if (!_bts_authenticate (self, msg, FALSE, &user))
    return;

  out = g_string_new (OSM_HEADER);
  g_string_append (out, "  <permissions>\n");
  for (guint i = 0; user.id != 0 && permissions[i] != NULL; i++)
    g_string_append_printf (out, "    <permission name=\"%s\"/>\n", permissions[i]);
  g_string_append (out, "  </permissions>\n" OSM_FOOTER);
  _bts_reply_take (msg, "application/xml; charset=utf-8", out);
}

/*
 * Routing
 */

static void
reply_method_not_allowed (SoupServerMessage *msg)
{
  _bts_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Only GET, PUT, POST and DELETE are allowed here");
}

static gboolean
is_element_type (const char *word)
{
  return g_strcmp0 (word, "node") == 0 || g_strcmp0 (word, "way") == 0 || g_strcmp0 (word, "relation") == 0;
}

void
_bts_dispatch (BaliseTestServer  *self,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  g_auto(GStrv) parts = NULL;
  guint n_parts;

  if (strcmp (path, "/api/capabilities") == 0 || strcmp (path, "/api/0.6/capabilities") == 0)
    {
      if (get)
        handle_capabilities (self, msg);
      else
        reply_method_not_allowed (msg);
      return;
    }

  if (g_str_has_prefix (path, "/__test__/"))
    {
      _bts_handle_test_endpoint (self, msg, method, path, query);
      return;
    }

  if (g_str_has_prefix (path, "/oauth2/"))
    {
      _bts_handle_oauth2 (self, msg, method, path, query);
      return;
    }

  if (!g_str_has_prefix (path, "/api/0.6/"))
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  parts = g_strsplit (path + strlen ("/api/0.6/"), "/", -1);
  n_parts = g_strv_length (parts);
  if (n_parts == 0)
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  if (strcmp (parts[0], "changeset") == 0 && n_parts >= 2)
    _bts_handle_changeset (self, msg, method, parts, query);
  else if (strcmp (parts[0], "changesets") == 0 && n_parts == 1)
    {
      if (get)
        _bts_handle_changesets (self, msg, query);
      else
        reply_method_not_allowed (msg);
    }
  else if (is_element_type (parts[0]) && n_parts >= 2)
    {
      if (get)
        _bts_handle_element (self, msg, parts[0], parts);
      else
        reply_method_not_allowed (msg);
    }
  else if (n_parts == 1 && (strcmp (parts[0], "nodes") == 0 || strcmp (parts[0], "ways") == 0 ||
                            strcmp (parts[0], "relations") == 0))
    {
      g_autofree char *type = g_strndup (parts[0], strlen (parts[0]) - 1);

      if (get)
        _bts_handle_elements (self, msg, type, query);
      else
        reply_method_not_allowed (msg);
    }
  else if (n_parts == 1 && strcmp (parts[0], "map") == 0)
    {
      if (get)
        _bts_handle_map (self, msg, query);
      else
        reply_method_not_allowed (msg);
    }
  else if (n_parts == 2 && strcmp (parts[0], "user") == 0 && strcmp (parts[1], "details") == 0)
    {
      if (get)
        handle_user_details (self, msg);
      else
        reply_method_not_allowed (msg);
    }
  else if (n_parts == 1 && strcmp (parts[0], "permissions") == 0)
    {
      if (get)
        handle_permissions (self, msg);
      else
        reply_method_not_allowed (msg);
    }
  else if (strcmp (parts[0], "notes") == 0 || g_str_has_prefix (parts[0], "notes."))
    _bts_handle_notes (self, msg, method, parts, query);
  else
    _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
}

/*
 * Server thread
 */

static gboolean
open_database (BaliseTestServer  *self,
               GError           **error)
{
  g_autoptr(sqlite_str) errmsg = NULL;

  if (sqlite3_open_v2 (self->db_path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot open %s: %s",
                   self->db_path, sqlite3_errmsg (self->db));
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }

  sqlite3_busy_timeout (self->db, 5000);
  if (sqlite3_exec (self->db, schema_sql, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create the schema: %s", errmsg);
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }

  return TRUE;
}

static gboolean
quit_cb (gpointer data)
{
  BaliseTestServer *self = data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  BaliseTestServer *self;
  guint             port;
} StartData;

static gpointer
server_thread (gpointer data)
{
  StartData *start = data;
  BaliseTestServer *self = start->self;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);

  ok = open_database (self, &error);
  if (ok)
    {
      self->server = soup_server_new ("server-header", OSM_GENERATOR " ", NULL);
      soup_server_add_early_handler (self->server, NULL, _bts_early_handler_cb, self, NULL);
      soup_server_add_handler (self->server, NULL, _bts_handler_cb, self, NULL);
      ok = soup_server_listen_local (self->server, start->port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
    }

  if (ok)
    {
      GSList *uris = soup_server_get_uris (self->server);

      self->url = g_uri_to_string (uris->data);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  g_mutex_lock (&self->start_mutex);
  self->start_error = g_steal_pointer (&error);
  self->started = TRUE;
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_mutex);

  if (ok)
    g_main_loop_run (self->loop);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  /* Let the closed connections finish, then drop pending delays/drops. */
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_clear_pointer (&self->db, sqlite3_close);
  g_main_context_pop_thread_default (self->context);

  return NULL;
}

/*
 * GObject
 */

static void
balise_test_server_dispose (GObject *object)
{
  BaliseTestServer *self = (BaliseTestServer *) object;

  balise_test_server_stop (self);

  G_OBJECT_CLASS (balise_test_server_parent_class)->dispose (object);
}

static void
balise_test_server_finalize (GObject *object)
{
  BaliseTestServer *self = (BaliseTestServer *) object;

  g_clear_pointer (&self->query_db, sqlite3_close);

  if (self->tmp_dir != NULL)
    {
      g_autofree char *wal = g_strconcat (self->db_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (self->db_path, "-shm", NULL);

      g_unlink (wal);
      g_unlink (shm);
      g_unlink (self->db_path);
      g_rmdir (self->tmp_dir);
    }

  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->tmp_dir, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->start_mutex);
  g_cond_clear (&self->start_cond);
  g_mutex_clear (&self->query_mutex);
  g_mutex_clear (&self->fault_mutex);
  g_clear_pointer (&self->bodies, g_byte_array_unref);
  g_mutex_clear (&self->body_mutex);

  G_OBJECT_CLASS (balise_test_server_parent_class)->finalize (object);
}

static void
balise_test_server_class_init (BaliseTestServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = balise_test_server_dispose;
  object_class->finalize = balise_test_server_finalize;
}

static void
balise_test_server_init (BaliseTestServer *self)
{
  g_mutex_init (&self->start_mutex);
  g_cond_init (&self->start_cond);
  g_mutex_init (&self->query_mutex);
  g_mutex_init (&self->fault_mutex);
  g_mutex_init (&self->body_mutex);
  self->faults = g_ptr_array_new_with_free_func (_bts_fault_free);
  self->max_elements = 10000;
  self->max_nodes = 50000;
}

/*
 * Public API
 */

/**
 * balise_test_server_new:
 * @db_path: (nullable): the SQLite database, or %NULL for a private temporary one
 * @token: (nullable): the only Bearer token accepted, or %NULL to accept any
 *   (each distinct token is then a distinct user)
 */
BaliseTestServer *
balise_test_server_new (const char *db_path,
                        const char *token)
{
  BaliseTestServer *self = g_object_new (BALISE_TYPE_TEST_SERVER, NULL);

  if (db_path != NULL)
    {
      self->db_path = g_strdup (db_path);
    }
  else
    {
      g_autoptr(GError) error = NULL;

      self->tmp_dir = g_dir_make_tmp ("balise-test-server-XXXXXX", &error);
      if (self->tmp_dir == NULL)
        g_error ("Cannot create a temporary directory: %s", error->message);
      self->db_path = g_build_filename (self->tmp_dir, "osm.db", NULL);
    }

  self->token = g_strdup (token);

  return self;
}

/**
 * balise_test_server_start:
 *
 * Starts serving on 127.0.0.1:@port (0 picks a free port) on a thread of
 * its own, with its own #GMainContext.
 */
gboolean
balise_test_server_start (BaliseTestServer  *self,
                          guint              port,
                          GError           **error)
{
  StartData start = { self, port };

  g_return_val_if_fail (BALISE_IS_TEST_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->started = FALSE;

  self->thread = g_thread_new ("osm-test-server", server_thread, &start);

  g_mutex_lock (&self->start_mutex);
  while (!self->started)
    g_cond_wait (&self->start_cond, &self->start_mutex);
  g_mutex_unlock (&self->start_mutex);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      balise_test_server_stop (self);
      return FALSE;
    }

  return TRUE;
}

/**
 * balise_test_server_get_url:
 *
 * Returns: the base URL, like "http://127.0.0.1:41234/", or %NULL when not started
 */
const char *
balise_test_server_get_url (BaliseTestServer *self)
{
  g_return_val_if_fail (BALISE_IS_TEST_SERVER (self), NULL);

  return self->url;
}

/**
 * balise_test_server_stop:
 *
 * Stops the server and joins its thread. Safe to call more than once.
 */
void
balise_test_server_stop (BaliseTestServer *self)
{
  g_return_if_fail (BALISE_IS_TEST_SERVER (self));

  if (self->thread == NULL)
    return;

  g_main_context_invoke (self->context, quit_cb, self);
  g_thread_join (g_steal_pointer (&self->thread));

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->url, g_free);
}

/**
 * balise_test_server_query_int:
 * @sql: a read-only query whose first column of the first row is an integer
 *
 * Runs @sql on its own read-only connection (it sees committed data only).
 * Thread safe. A failing query is a critical warning and returns -1.
 */
gint64
balise_test_server_query_int (BaliseTestServer *self,
                              const char       *sql)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BALISE_IS_TEST_SERVER (self), -1);
  g_return_val_if_fail (sql != NULL, -1);

  locker = g_mutex_locker_new (&self->query_mutex);

  if (self->query_db == NULL)
    {
      if (sqlite3_open_v2 (self->db_path, &self->query_db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        {
          g_critical ("Cannot open %s: %s", self->db_path, sqlite3_errmsg (self->query_db));
          g_clear_pointer (&self->query_db, sqlite3_close);
          return -1;
        }
      sqlite3_busy_timeout (self->query_db, 5000);
    }

  if (sqlite3_prepare_v2 (self->query_db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_critical ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (self->query_db));
      return -1;
    }

  if (!sqlite3_stmt_readonly (stmt))
    {
      g_critical ("“%s” is not a read-only query", sql);
      return -1;
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc == SQLITE_DONE)
    return 0;

  g_critical ("“%s” failed: %s", sql, sqlite3_errmsg (self->query_db));
  return -1;
}

/**
 * balise_test_server_set_max_elements:
 *
 * Sets the changesets maximum_elements limit (10000 by default).
 */
void
balise_test_server_set_max_elements (BaliseTestServer *self,
                                     guint             max_elements)
{
  g_return_if_fail (BALISE_IS_TEST_SERVER (self));
  g_return_if_fail (max_elements > 0);

  g_atomic_int_set (&self->max_elements, max_elements);
}

/**
 * balise_test_server_set_max_nodes:
 *
 * Sets the node limit of map?bbox (50000 by default).
 */
void
balise_test_server_set_max_nodes (BaliseTestServer *self,
                                  guint             max_nodes)
{
  g_return_if_fail (BALISE_IS_TEST_SERVER (self));
  g_return_if_fail (max_nodes > 0);

  g_atomic_int_set (&self->max_nodes, max_nodes);
}

/**
 * balise_test_server_keep_bodies:
 *
 * From now on, keeps the body of every request, for
 * balise_test_server_dup_bodies().
 */
void
balise_test_server_keep_bodies (BaliseTestServer *self)
{
  g_return_if_fail (BALISE_IS_TEST_SERVER (self));

  g_mutex_lock (&self->body_mutex);
  if (self->bodies == NULL)
    self->bodies = g_byte_array_new ();
  g_mutex_unlock (&self->body_mutex);
}

/**
 * balise_test_server_dup_bodies:
 *
 * Returns: the bodies of the requests received since
 *   balise_test_server_keep_bodies(), one after the other
 */
GBytes *
balise_test_server_dup_bodies (BaliseTestServer *self)
{
  GBytes *bytes;

  g_return_val_if_fail (BALISE_IS_TEST_SERVER (self), NULL);

  g_mutex_lock (&self->body_mutex);
  bytes = self->bodies ? g_bytes_new (self->bodies->data, self->bodies->len) : g_bytes_new (NULL, 0);
  g_mutex_unlock (&self->body_mutex);

  return bytes;
}

/**
 * balise_test_server_get_request_count:
 *
 * Returns: how many requests the server has received (test endpoints included)
 */
guint
balise_test_server_get_request_count (BaliseTestServer *self)
{
  g_return_val_if_fail (BALISE_IS_TEST_SERVER (self), 0);

  return g_atomic_int_get (&self->request_count);
}
