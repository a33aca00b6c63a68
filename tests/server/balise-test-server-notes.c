/* balise-test-server-notes.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Notes (XML and GeoJSON) and the OAuth 2 authorization code flow with
 * PKCE, as osm.org runs them.
 */

#define G_LOG_DOMAIN "balise-test-server"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "balise-test-server-private.h"

typedef struct
{
  gint64  id;
  double  lat;
  double  lon;
  gint64  created_at;
  gint64  closed_at;   /* 0: open */
} Note;

typedef struct
{
  gint64      date;
  gint64      uid;
  const char *user;
  const char *action;
  const char *text;
} NoteComment;

static const char *
param (SoupServerMessage *msg,
       GHashTable        *query,
       GHashTable        *form,
       const char        *name)
{
  const char *value = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  if (value == NULL && form != NULL)
    value = g_hash_table_lookup (form, name);

  return value;
}

/* Parameters may also come as an application/x-www-form-urlencoded body. */
static GHashTable *
decode_form (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  if (g_strcmp0 (type, "application/x-www-form-urlencoded") != 0 || body == NULL || body->length == 0)
    return NULL;

  bytes = soup_message_body_flatten (body);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_form_decode (text);
}

static gboolean
parse_coord (const char *text,
             double     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0' && isfinite (*value);
}

static gboolean
load_note (BaliseTestServer *self,
           gint64            id,
           Note             *note)
{
  g_autoptr(sqlite3_stmt) stmt = _bts_prepare (self, "SELECT id, lat, lon, created_at, closed_at FROM note WHERE id = ?");

  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;

  note->id = sqlite3_column_int64 (stmt, 0);
  note->lat = sqlite3_column_double (stmt, 1);
  note->lon = sqlite3_column_double (stmt, 2);
  note->created_at = sqlite3_column_int64 (stmt, 3);
  note->closed_at = sqlite3_column_type (stmt, 4) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, 4);
  return TRUE;
}

static sqlite3_stmt *
prepare_comments (BaliseTestServer *self,
                  gint64            id)
{
  sqlite3_stmt *stmt = _bts_prepare (self,
                                     "SELECT c.date, c.uid, u.display_name, c.action, c.text FROM note_comment c"
                                     " LEFT JOIN users u ON u.id = c.uid WHERE c.note = ? ORDER BY c.seq");

  sqlite3_bind_int64 (stmt, 1, id);
  return stmt;
}

static void
read_comment (sqlite3_stmt *stmt,
              NoteComment  *comment)
{
  comment->date = sqlite3_column_int64 (stmt, 0);
  comment->uid = sqlite3_column_type (stmt, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, 1);
  comment->user = (const char *) sqlite3_column_text (stmt, 2);
  comment->action = (const char *) sqlite3_column_text (stmt, 3);
  comment->text = (const char *) sqlite3_column_text (stmt, 4);
}

static char *
note_url (BaliseTestServer *self,
          gint64            id,
          const char       *suffix)
{
  return g_strdup_printf ("%sapi/0.6/notes/%" G_GINT64_FORMAT "%s", self->url, id, suffix);
}

static char *
user_url (BaliseTestServer *self,
          const char       *user)
{
  g_autofree char *escaped = g_uri_escape_string (user, NULL, FALSE);

  return g_strdup_printf ("%suser/%s", self->url, escaped);
}

static char *
comment_html (const char *text)
{
  GString *out = g_string_new ("<p>");

  _bts_append_escaped (out, text);
  g_string_append (out, "</p>");
  return g_string_free (out, FALSE);
}

static void
append_element (GString    *out,
                const char *indent,
                const char *name,
                const char *text)
{
  g_string_append_printf (out, "%s<%s>", indent, name);
  _bts_append_escaped (out, text);
  g_string_append_printf (out, "</%s>\n", name);
}

static void
append_note_xml (BaliseTestServer *self,
                 GString          *out,
                 const Note       *note)
{
  g_autoptr(sqlite3_stmt) comments = prepare_comments (self, note->id);
  g_autofree char *url = note_url (self, note->id, "");
  g_autofree char *created = _bts_format_closed_time (note->created_at);
  char lat[G_ASCII_DTOSTR_BUF_SIZE];
  char lon[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "  <note lon=\"%s\" lat=\"%s\">\n",
                          g_ascii_formatd (lon, sizeof lon, "%.7f", note->lon),
                          g_ascii_formatd (lat, sizeof lat, "%.7f", note->lat));
  g_string_append_printf (out, "    <id>%" G_GINT64_FORMAT "</id>\n", note->id);
  append_element (out, "    ", "url", url);
  if (note->closed_at == 0)
    {
      g_autofree char *comment_url = note_url (self, note->id, "/comment");
      g_autofree char *close_url = note_url (self, note->id, "/close");

      append_element (out, "    ", "comment_url", comment_url);
      append_element (out, "    ", "close_url", close_url);
    }
  else
    {
      g_autofree char *reopen_url = note_url (self, note->id, "/reopen");

      append_element (out, "    ", "reopen_url", reopen_url);
    }
  append_element (out, "    ", "date_created", created);
  append_element (out, "    ", "status", note->closed_at == 0 ? "open" : "closed");
  if (note->closed_at != 0)
    {
      g_autofree char *closed = _bts_format_closed_time (note->closed_at);
      append_element (out, "    ", "date_closed", closed);
    }

  g_string_append (out, "    <comments>\n");
  while (sqlite3_step (comments) == SQLITE_ROW)
    {
      NoteComment comment;
      g_autofree char *date = NULL;
      g_autofree char *html = NULL;

      read_comment (comments, &comment);
      date = _bts_format_closed_time (comment.date);
      html = comment_html (comment.text);

      g_string_append (out, "      <comment>\n");
      append_element (out, "        ", "date", date);
      if (comment.uid != 0 && comment.user != NULL)
        {
          g_autofree char *uurl = user_url (self, comment.user);

          g_string_append_printf (out, "        <uid>%" G_GINT64_FORMAT "</uid>\n", comment.uid);
          append_element (out, "        ", "user", comment.user);
          append_element (out, "        ", "user_url", uurl);
        }
      append_element (out, "        ", "action", comment.action);
      append_element (out, "        ", "text", comment.text);
      append_element (out, "        ", "html", html);
      g_string_append (out, "      </comment>\n");
    }
  g_string_append (out, "    </comments>\n  </note>\n");
}

static JsonNode *
note_json (BaliseTestServer *self,
           const Note       *note)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(sqlite3_stmt) comments = prepare_comments (self, note->id);
  g_autofree char *url = note_url (self, note->id, "");
  g_autofree char *created = _bts_format_closed_time (note->created_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "Feature");
  json_builder_set_member_name (builder, "geometry");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "Point");
  json_builder_set_member_name (builder, "coordinates");
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, note->lon);
  json_builder_add_double_value (builder, note->lat);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, note->id);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  if (note->closed_at == 0)
    {
      g_autofree char *comment_url = note_url (self, note->id, "/comment");
      g_autofree char *close_url = note_url (self, note->id, "/close");

      json_builder_set_member_name (builder, "comment_url");
      json_builder_add_string_value (builder, comment_url);
      json_builder_set_member_name (builder, "close_url");
      json_builder_add_string_value (builder, close_url);
    }
  else
    {
      g_autofree char *reopen_url = note_url (self, note->id, "/reopen");
      g_autofree char *closed = _bts_format_closed_time (note->closed_at);

      json_builder_set_member_name (builder, "reopen_url");
      json_builder_add_string_value (builder, reopen_url);
      json_builder_set_member_name (builder, "closed_at");
      json_builder_add_string_value (builder, closed);
    }
  json_builder_set_member_name (builder, "date_created");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, note->closed_at == 0 ? "open" : "closed");

  json_builder_set_member_name (builder, "comments");
  json_builder_begin_array (builder);
  while (sqlite3_step (comments) == SQLITE_ROW)
    {
      NoteComment comment;
      g_autofree char *date = NULL;
      g_autofree char *html = NULL;

      read_comment (comments, &comment);
      date = _bts_format_closed_time (comment.date);
      html = comment_html (comment.text);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, date);
      if (comment.uid != 0 && comment.user != NULL)
        {
          g_autofree char *uurl = user_url (self, comment.user);

          json_builder_set_member_name (builder, "uid");
          json_builder_add_int_value (builder, comment.uid);
          json_builder_set_member_name (builder, "user");
          json_builder_add_string_value (builder, comment.user);
          json_builder_set_member_name (builder, "user_url");
          json_builder_add_string_value (builder, uurl);
        }
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, comment.action);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, comment.text);
      json_builder_set_member_name (builder, "html");
      json_builder_add_string_value (builder, html);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
reply_json (SoupServerMessage *msg,
            JsonNode          *root)
{
  g_autofree char *text = json_to_string (root, FALSE);
  GString *out = g_string_new (text);

  _bts_reply_take (msg, "application/json; charset=utf-8", out);
}

static void
reply_note (BaliseTestServer  *self,
            SoupServerMessage *msg,
            gint64             id,
            gboolean           json)
{
  Note note;

  if (!load_note (self, id, &note))
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  if (json)
    {
      g_autoptr(JsonNode) root = note_json (self, &note);
      reply_json (msg, root);
    }
  else
    {
      GString *out = g_string_new (OSM_HEADER);

      append_note_xml (self, out, &note);
      g_string_append (out, OSM_FOOTER);
      _bts_reply_take (msg, "application/xml; charset=utf-8", out);
    }
}

/* Replies a list of notes given by a statement whose first column is the id. */
static void
reply_note_list (BaliseTestServer  *self,
                 SoupServerMessage *msg,
                 sqlite3_stmt      *ids,
                 gboolean           json)
{
  g_autoptr(JsonArray) features = json_array_new ();
  GString *out = g_string_new (OSM_HEADER);

  while (sqlite3_step (ids) == SQLITE_ROW)
    {
      Note note;

      if (!load_note (self, sqlite3_column_int64 (ids, 0), &note))
        continue;
      if (json)
        json_array_add_element (features, note_json (self, &note));
      else
        append_note_xml (self, out, &note);
    }

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonObject) object = json_object_new ();

      g_string_free (out, TRUE);
      json_object_set_string_member (object, "type", "FeatureCollection");
      json_object_set_array_member (object, "features", json_array_ref (features));
      json_node_set_object (root, object);
      reply_json (msg, root);
      return;
    }

  g_string_append (out, OSM_FOOTER);
  _bts_reply_take (msg, "application/xml; charset=utf-8", out);
}

static gboolean
add_comment (BaliseTestServer *self,
             gint64            note,
             gint64            uid,
             const char       *action,
             const char       *text,
             gint64            now)
{
  g_autoptr(sqlite3_stmt) ins = _bts_prepare (self, "INSERT INTO note_comment (note, date, uid, action, text)"
                                                    " VALUES (?, ?, ?, ?, ?)");

  sqlite3_bind_int64 (ins, 1, note);
  sqlite3_bind_int64 (ins, 2, now);
  if (uid != 0)
    sqlite3_bind_int64 (ins, 3, uid);
  else
    sqlite3_bind_null (ins, 3);
  sqlite3_bind_text (ins, 4, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (ins, 5, text != NULL ? text : "", -1, SQLITE_TRANSIENT);
  return sqlite3_step (ins) == SQLITE_DONE;
}

static void
handle_create_note (BaliseTestServer  *self,
                    SoupServerMessage *msg,
                    GHashTable        *query,
                    gboolean           json)
{
  g_autoptr(GHashTable) form = decode_form (msg);
  g_auto(OsmUser) user = { 0, };
  g_autoptr(sqlite3_stmt) ins = NULL;
  const char *text = param (msg, query, form, "text");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  double lat, lon;
  gint64 id;

  if (!_bts_authenticate (self, msg, FALSE, &user))
    return;

  if (param (msg, query, form, "lat") == NULL)
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "No lat was given");
      return;
    }
  if (param (msg, query, form, "lon") == NULL)
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "No lon was given");
      return;
    }
  if (text == NULL || *text == '\0')
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "No text was given");
      return;
    }
  if (!parse_coord (param (msg, query, form, "lat"), &lat) || !parse_coord (param (msg, query, form, "lon"), &lon) ||
      lat < -90 || lat > 90 || lon < -180 || lon > 180)
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "Latitude or longitude outside of valid range");
      return;
    }

  _bts_exec (self, "BEGIN IMMEDIATE");
  ins = _bts_prepare (self, "INSERT INTO note (lat, lon, created_at) VALUES (?, ?, ?)");
  sqlite3_bind_double (ins, 1, lat);
  sqlite3_bind_double (ins, 2, lon);
  sqlite3_bind_int64 (ins, 3, now);
  if (sqlite3_step (ins) != SQLITE_DONE)
    {
      _bts_reply_db_error (self, msg);
      _bts_exec (self, "ROLLBACK");
      return;
    }
  id = sqlite3_last_insert_rowid (self->db);
  if (!add_comment (self, id, user.id, "opened", text, now))
    {
      _bts_reply_db_error (self, msg);
      _bts_exec (self, "ROLLBACK");
      return;
    }
  _bts_exec (self, "COMMIT");

  reply_note (self, msg, id, json);
}

static void
reply_note_closed (SoupServerMessage *msg,
                   const Note        *note)
{
  g_autofree char *when = _bts_format_closed_time (note->closed_at);

  _bts_reply_errorf (msg, SOUP_STATUS_CONFLICT, "The note %" G_GINT64_FORMAT " was closed at %s", note->id, when);
}

/* comment, close and reopen */
static void
handle_note_action (BaliseTestServer  *self,
                    SoupServerMessage *msg,
                    gint64             id,
                    const char        *action,
                    GHashTable        *query,
                    gboolean           json)
{
  g_autoptr(GHashTable) form = decode_form (msg);
  g_auto(OsmUser) user = { 0, };
  g_autoptr(sqlite3_stmt) upd = NULL;
  const char *text = param (msg, query, form, "text");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  Note note;

  if (!_bts_authenticate (self, msg, TRUE, &user))
    return;

  if (!load_note (self, id, &note))
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  if (strcmp (action, "comment") == 0)
    {
      if (text == NULL || *text == '\0')
        {
          _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "No text was given");
          return;
        }
      if (note.closed_at != 0)
        {
          reply_note_closed (msg, &note);
          return;
        }
      if (!add_comment (self, id, user.id, "commented", text, now))
        {
          _bts_reply_db_error (self, msg);
          return;
        }
    }
  else if (strcmp (action, "close") == 0)
    {
      if (note.closed_at != 0)
        {
          reply_note_closed (msg, &note);
          return;
        }
      _bts_exec (self, "BEGIN IMMEDIATE");
      upd = _bts_prepare (self, "UPDATE note SET closed_at = ?, status = 'closed' WHERE id = ?");
      sqlite3_bind_int64 (upd, 1, now);
      sqlite3_bind_int64 (upd, 2, id);
      if (sqlite3_step (upd) != SQLITE_DONE || !add_comment (self, id, user.id, "closed", text, now))
        {
          _bts_reply_db_error (self, msg);
          _bts_exec (self, "ROLLBACK");
          return;
        }
      _bts_exec (self, "COMMIT");
    }
  else
    {
      if (note.closed_at == 0)
        {
          _bts_reply_errorf (msg, SOUP_STATUS_CONFLICT, "The note %" G_GINT64_FORMAT " is already open", id);
          return;
        }
      _bts_exec (self, "BEGIN IMMEDIATE");
      upd = _bts_prepare (self, "UPDATE note SET closed_at = NULL, status = 'open' WHERE id = ?");
      sqlite3_bind_int64 (upd, 1, id);
      if (sqlite3_step (upd) != SQLITE_DONE || !add_comment (self, id, user.id, "reopened", text, now))
        {
          _bts_reply_db_error (self, msg);
          _bts_exec (self, "ROLLBACK");
          return;
        }
      _bts_exec (self, "COMMIT");
    }

  reply_note (self, msg, id, json);
}

static gboolean
parse_limit_closed (SoupServerMessage *msg,
                    GHashTable        *query,
                    gint64            *limit,
                    gint64            *closed_days)
{
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  const char *closed_text = query ? g_hash_table_lookup (query, "closed") : NULL;

  *limit = 100;
  *closed_days = 7;

  if (limit_text != NULL && !g_ascii_string_to_signed (limit_text, 10, 1, 10000, limit, NULL))
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "Note limit must be between 1 and 10000");
      return FALSE;
    }
  if (closed_text != NULL && !g_ascii_string_to_signed (closed_text, 10, G_MININT32, G_MAXINT32, closed_days, NULL))
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "The closed parameter must be a number of days");
      return FALSE;
    }

  return TRUE;
}

/* closed=-1: all; closed=0: open only; closed=N: open or closed in the last N days. */
#define CLOSED_FILTER " AND (n.closed_at IS NULL OR :days < 0 OR n.closed_at > :now - :days * 86400)"

static void
bind_closed_filter (sqlite3_stmt *stmt,
                    gint64        closed_days)
{
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":days"), closed_days);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":now"), g_get_real_time () / G_USEC_PER_SEC);
}

static void
handle_notes_bbox (BaliseTestServer  *self,
                   SoupServerMessage *msg,
                   GHashTable        *query,
                   gboolean           json)
{
  g_autoptr(sqlite3_stmt) ids = NULL;
  gint64 limit, closed_days;
  double bbox[4];

  if (!_bts_parse_bbox (msg, query, bbox) || !parse_limit_closed (msg, query, &limit, &closed_days))
    return;

  if ((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]) > MAX_NOTE_AREA)
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                        "The maximum bbox size is 25, and your request was too large. "
                        "Either request a smaller area, or use planet.osm");
      return;
    }

  ids = _bts_prepare (self, "SELECT n.id FROM note n WHERE n.lat BETWEEN :minlat AND :maxlat"
                            " AND n.lon BETWEEN :minlon AND :maxlon" CLOSED_FILTER
                            " ORDER BY n.closed_at IS NOT NULL, n.id DESC LIMIT :limit");
  sqlite3_bind_double (ids, sqlite3_bind_parameter_index (ids, ":minlon"), bbox[0]);
  sqlite3_bind_double (ids, sqlite3_bind_parameter_index (ids, ":minlat"), bbox[1]);
  sqlite3_bind_double (ids, sqlite3_bind_parameter_index (ids, ":maxlon"), bbox[2]);
  sqlite3_bind_double (ids, sqlite3_bind_parameter_index (ids, ":maxlat"), bbox[3]);
  sqlite3_bind_int64 (ids, sqlite3_bind_parameter_index (ids, ":limit"), limit);
  bind_closed_filter (ids, closed_days);

  reply_note_list (self, msg, ids, json);
}

static void
handle_notes_search (BaliseTestServer  *self,
                     SoupServerMessage *msg,
                     GHashTable        *query,
                     gboolean           json)
{
  const char *q = query ? g_hash_table_lookup (query, "q") : NULL;
  const char *display_name = query ? g_hash_table_lookup (query, "display_name") : NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT n.id FROM note n WHERE 1" CLOSED_FILTER);
  g_autoptr(sqlite3_stmt) ids = NULL;
  gint64 limit, closed_days;

  if (!parse_limit_closed (msg, query, &limit, &closed_days))
    return;

  if (q != NULL)
    g_string_append (sql, " AND EXISTS (SELECT 1 FROM note_comment c WHERE c.note = n.id"
                          " AND c.text LIKE '%' || :q || '%')");
  if (display_name != NULL)
    g_string_append (sql, " AND EXISTS (SELECT 1 FROM note_comment c JOIN users u ON u.id = c.uid"
                          " WHERE c.note = n.id AND u.display_name = :name)");
  g_string_append (sql, " ORDER BY n.id DESC LIMIT :limit");

  ids = _bts_prepare (self, sql->str);
  sqlite3_bind_text (ids, sqlite3_bind_parameter_index (ids, ":q"), q, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ids, sqlite3_bind_parameter_index (ids, ":name"), display_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (ids, sqlite3_bind_parameter_index (ids, ":limit"), limit);
  bind_closed_filter (ids, closed_days);

  reply_note_list (self, msg, ids, json);
}

/* Strips a ".json" or ".xml" suffix from @part; returns TRUE for JSON. */
static gboolean
strip_format (char *part)
{
  if (g_str_has_suffix (part, ".json"))
    {
      part[strlen (part) - 5] = '\0';
      return TRUE;
    }
  if (g_str_has_suffix (part, ".xml"))
    part[strlen (part) - 4] = '\0';
  return FALSE;
}

void
_bts_handle_notes (BaliseTestServer  *self,
                   SoupServerMessage *msg,
                   const char        *method,
                   char             **parts,
                   GHashTable        *query)
{
  guint n_parts = g_strv_length (parts);
  gboolean get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  gboolean post = strcmp (method, "POST") == 0;
  gboolean json = strip_format (parts[n_parts - 1]);
  gint64 id;

  if (strcmp (parts[0], "notes") != 0)
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  if (n_parts == 1)
    {
      if (post)
        handle_create_note (self, msg, query, json);
      else if (get)
        handle_notes_bbox (self, msg, query, json);
      else
        _bts_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Only GET and POST are allowed here");
      return;
    }

  if (n_parts == 2 && strcmp (parts[1], "search") == 0)
    {
      if (get)
        handle_notes_search (self, msg, query, json);
      else
        _bts_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Only GET is allowed here");
      return;
    }

  if (!_bts_parse_id (parts[1], &id) || n_parts > 3)
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  if (n_parts == 2)
    {
      if (get)
        reply_note (self, msg, id, json);
      else
        _bts_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Only GET is allowed here");
      return;
    }

  if (strcmp (parts[2], "comment") == 0 || strcmp (parts[2], "close") == 0 || strcmp (parts[2], "reopen") == 0)
    {
      if (post)
        handle_note_action (self, msg, id, parts[2], query, json);
      else
        _bts_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Only POST is allowed here");
      return;
    }

  _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
}

/*
 * OAuth 2: authorization code with PKCE (S256), answered at once.
 */

static char *
pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autofree char *b64 = NULL;
  GString *out;

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &len);
  b64 = g_base64_encode (digest, len);

  out = g_string_new (NULL);
  for (const char *p = b64; *p != '\0' && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

static void
redirect (SoupServerMessage *msg,
          const char        *redirect_uri,
          const char        *params)
{
  g_autofree char *location = g_strconcat (redirect_uri, strchr (redirect_uri, '?') ? "&" : "?", params, NULL);

  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location);
}

static void
handle_authorize (BaliseTestServer  *self,
                  SoupServerMessage *msg,
                  GHashTable        *query)
{
  const char *response_type = query ? g_hash_table_lookup (query, "response_type") : NULL;
  const char *client_id = query ? g_hash_table_lookup (query, "client_id") : NULL;
  const char *redirect_uri = query ? g_hash_table_lookup (query, "redirect_uri") : NULL;
  const char *scope = query ? g_hash_table_lookup (query, "scope") : NULL;
  const char *state = query ? g_hash_table_lookup (query, "state") : NULL;
  const char *challenge = query ? g_hash_table_lookup (query, "code_challenge") : NULL;
  const char *method = query ? g_hash_table_lookup (query, "code_challenge_method") : NULL;
  g_autofree char *escaped_state = g_uri_escape_string (state ? state : "", NULL, FALSE);
  g_autofree char *code = NULL;
  g_autofree char *token = NULL;
  g_autofree char *params = NULL;
  g_autoptr(sqlite3_stmt) ins = NULL;
  g_autoptr(GUri) uri = NULL;

  if (client_id == NULL || *client_id == '\0' || redirect_uri == NULL ||
      (uri = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL)) == NULL)
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request: client_id and a valid redirect_uri are required");
      return;
    }

  if (g_strcmp0 (response_type, "code") != 0)
    {
      params = g_strdup_printf ("error=unsupported_response_type&state=%s", escaped_state);
      redirect (msg, redirect_uri, params);
      return;
    }

  if (challenge == NULL || *challenge == '\0' || g_strcmp0 (method, "S256") != 0)
    {
      params = g_strdup_printf ("error=invalid_request&error_description=%s&state=%s",
                                "code_challenge+with+code_challenge_method%3DS256+is+required", escaped_state);
      redirect (msg, redirect_uri, params);
      return;
    }

  code = g_uuid_string_random ();
  if (self->token != NULL)
    token = g_strdup (self->token);
  else
    {
      g_autofree char *random = g_uuid_string_random ();
      token = g_compute_checksum_for_string (G_CHECKSUM_SHA256, random, -1);
    }

  ins = _bts_prepare (self, "INSERT INTO oauth_code (code, client_id, redirect_uri, challenge, scope, token)"
                            " VALUES (?, ?, ?, ?, ?, ?)");
  sqlite3_bind_text (ins, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (ins, 2, client_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (ins, 3, redirect_uri, -1, SQLITE_STATIC);
  sqlite3_bind_text (ins, 4, challenge, -1, SQLITE_STATIC);
  sqlite3_bind_text (ins, 5, scope ? scope : "read_prefs", -1, SQLITE_STATIC);
  sqlite3_bind_text (ins, 6, token, -1, SQLITE_STATIC);
  if (sqlite3_step (ins) != SQLITE_DONE)
    {
      _bts_reply_db_error (self, msg);
      return;
    }

  params = g_strdup_printf ("code=%s&state=%s", code, escaped_state);
  redirect (msg, redirect_uri, params);
}

static void
reply_oauth_error (SoupServerMessage *msg,
                   guint              status,
                   const char        *error,
                   const char        *description)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "error", error);
  json_object_set_string_member (object, "error_description", description);
  json_node_set_object (root, object);
  soup_server_message_set_status (msg, status, NULL);
  reply_json (msg, root);
}

static void
handle_token (BaliseTestServer  *self,
              SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = decode_form (msg);
  const char *grant_type = form ? g_hash_table_lookup (form, "grant_type") : NULL;
  const char *code = form ? g_hash_table_lookup (form, "code") : NULL;
  const char *redirect_uri = form ? g_hash_table_lookup (form, "redirect_uri") : NULL;
  const char *client_id = form ? g_hash_table_lookup (form, "client_id") : NULL;
  const char *verifier = form ? g_hash_table_lookup (form, "code_verifier") : NULL;
  g_autoptr(sqlite3_stmt) row = NULL;
  g_autoptr(sqlite3_stmt) use = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *challenge = NULL;

  if (g_strcmp0 (grant_type, "authorization_code") != 0)
    {
      reply_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                         "The authorization grant type is not supported by the authorization server.");
      return;
    }

  if (code == NULL || redirect_uri == NULL || client_id == NULL || verifier == NULL)
    {
      reply_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                         "code, redirect_uri, client_id and code_verifier are required.");
      return;
    }

  row = _bts_prepare (self, "SELECT client_id, redirect_uri, challenge, scope, token, used FROM oauth_code WHERE code = ?");
  sqlite3_bind_text (row, 1, code, -1, SQLITE_STATIC);
  challenge = pkce_challenge (verifier);
  if (sqlite3_step (row) != SQLITE_ROW || sqlite3_column_int (row, 5) != 0 ||
      g_strcmp0 ((const char *) sqlite3_column_text (row, 0), client_id) != 0 ||
      g_strcmp0 ((const char *) sqlite3_column_text (row, 1), redirect_uri) != 0 ||
      g_strcmp0 ((const char *) sqlite3_column_text (row, 2), challenge) != 0)
    {
      reply_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "The provided authorization grant is invalid, expired, revoked, does not match the "
                         "redirection URI used in the authorization request, or was issued to another client.");
      return;
    }

  use = _bts_prepare (self, "UPDATE oauth_code SET used = 1 WHERE code = ?");
  sqlite3_bind_text (use, 1, code, -1, SQLITE_STATIC);
  sqlite3_step (use);

  object = json_object_new ();
  json_object_set_string_member (object, "access_token", (const char *) sqlite3_column_text (row, 4));
  json_object_set_string_member (object, "token_type", "Bearer");
  json_object_set_string_member (object, "scope", (const char *) sqlite3_column_text (row, 3));
  json_object_set_int_member (object, "created_at", g_get_real_time () / G_USEC_PER_SEC);
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (root, object);
  reply_json (msg, root);
}

void
_bts_handle_oauth2 (BaliseTestServer  *self,
                    SoupServerMessage *msg,
                    const char        *method,
                    const char        *path,
                    GHashTable        *query)
{
  if (strcmp (path, "/oauth2/authorize") == 0 && strcmp (method, "GET") == 0)
    handle_authorize (self, msg, query);
  else if (strcmp (path, "/oauth2/token") == 0 && strcmp (method, "POST") == 0)
    handle_token (self, msg);
  else
    _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
}
