/* balise-test-server-changesets.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Changesets: create, update, close, get, download and the list.
 */

#define G_LOG_DOMAIN "balise-test-server"

#include <string.h>

#include "balise-test-server-private.h"

/* Parses a request body as XML without network access, DTD loading or
 * entity substitution; documents with a DOCTYPE are refused. Answers 400
 * and returns NULL on errors. */
xmlDoc *
_bts_parse_body (SoupServerMessage *msg,
                 const char        *what)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  xmlDoc *doc = NULL;

  if (len > 0 && len <= G_MAXINT)
    doc = xmlReadMemory (data, (int) len, "request.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

  if (doc == NULL || xmlDocGetRootElement (doc) == NULL || doc->intSubset != NULL)
    {
      g_clear_pointer (&doc, xmlFreeDoc);
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                         "Cannot parse valid %s from xml string %.*s. XML is not well-formed",
                         what, (int) MIN (len, 200), data ? data : "");
      return NULL;
    }

  return doc;
}

/* Checks one tag against the API's rules; answers 400 on errors. */
gboolean
_bts_check_tag (SoupServerMessage *msg,
                const char        *key,
                const char        *value,
                const char        *owner)
{
  if (key == NULL || *key == '\0')
    {
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST, "Key may not be empty in %s", owner);
      return FALSE;
    }

  if (value == NULL)
    {
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST, "Value is required for key %s in %s", key, owner);
      return FALSE;
    }

  if (!g_utf8_validate (key, -1, NULL) || !g_utf8_validate (value, -1, NULL))
    {
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST, "Invalid UTF-8 in a tag of %s", owner);
      return FALSE;
    }

  if (g_utf8_strlen (key, -1) > 255)
    {
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST, "Key has more than 255 unicode characters in %s", owner);
      return FALSE;
    }

  if (g_utf8_strlen (value, -1) > 255)
    {
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST, "Value has more than 255 unicode characters in %s", owner);
      return FALSE;
    }

  return TRUE;
}

/* Reads the tags of <osm><changeset> into @tags (pairs of key, value). */
static gboolean
parse_changeset_body (SoupServerMessage *msg,
                      GPtrArray         *tags)
{
  g_autoptr(xmlDoc) doc = _bts_parse_body (msg, "changeset");
  g_autoptr(GHashTable) seen = NULL;
  xmlNode *root;
  xmlNode *changeset = NULL;

  if (doc == NULL)
    return FALSE;

  root = xmlDocGetRootElement (doc);
  if (root != NULL && xmlStrcmp (root->name, BAD_CAST "osm") == 0)
    {
      for (xmlNode *child = root->children; child != NULL; child = child->next)
        {
          if (child->type == XML_ELEMENT_NODE && xmlStrcmp (child->name, BAD_CAST "changeset") == 0)
            {
              changeset = child;
              break;
            }
        }
    }

  if (changeset == NULL)
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                        "Cannot parse valid changeset from xml string. XML doesn't contain an osm/changeset element.");
      return FALSE;
    }

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (xmlNode *child = changeset->children; child != NULL; child = child->next)
    {
      g_autoptr(xml_str) k = NULL;
      g_autoptr(xml_str) v = NULL;

      if (child->type != XML_ELEMENT_NODE || xmlStrcmp (child->name, BAD_CAST "tag") != 0)
        continue;

      k = xmlGetProp (child, BAD_CAST "k");
      v = xmlGetProp (child, BAD_CAST "v");
      if (!_bts_check_tag (msg, (const char *) k, (const char *) v, "Changeset"))
        return FALSE;

      if (g_hash_table_contains (seen, k))
        {
          _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                             "Element changeset/ has duplicate tags with key %s", (const char *) k);
          return FALSE;
        }
      g_hash_table_add (seen, g_strdup ((const char *) k));
      g_ptr_array_add (tags, g_strdup ((const char *) k));
      g_ptr_array_add (tags, g_strdup ((const char *) v));
    }

  return TRUE;
}

static gboolean
write_changeset_tags (BaliseTestServer *self,
                      gint64            id,
                      GPtrArray        *tags)
{
  g_autoptr(sqlite3_stmt) del = _bts_prepare (self, "DELETE FROM changeset_tag WHERE changeset = ?");
  g_autoptr(sqlite3_stmt) ins = _bts_prepare (self, "INSERT INTO changeset_tag (changeset, k, v) VALUES (?, ?, ?)");

  if (del == NULL || ins == NULL)
    return FALSE;

  sqlite3_bind_int64 (del, 1, id);
  if (sqlite3_step (del) != SQLITE_DONE)
    return FALSE;

  for (guint i = 0; i + 1 < tags->len; i += 2)
    {
      sqlite3_reset (ins);
      sqlite3_bind_int64 (ins, 1, id);
      sqlite3_bind_text (ins, 2, g_ptr_array_index (tags, i), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (ins, 3, g_ptr_array_index (tags, i + 1), -1, SQLITE_TRANSIENT);
      if (sqlite3_step (ins) != SQLITE_DONE)
        return FALSE;
    }

  return TRUE;
}

static void
append_changeset (BaliseTestServer *self,
                  GString          *out,
                  sqlite3_stmt     *row)
{
  /* row: id, uid, created_at, closed_at, num_changes, min_lat, min_lon, max_lat, max_lon, display_name */
  gint64 id = sqlite3_column_int64 (row, 0);
  gboolean closed = sqlite3_column_type (row, 3) != SQLITE_NULL;
  gint64 num_changes = sqlite3_column_int64 (row, 4);
  gboolean open = !closed && num_changes < g_atomic_int_get (&self->max_elements);
  g_autofree char *created = _bts_format_time (sqlite3_column_int64 (row, 2));
  g_autoptr(sqlite3_stmt) tags = NULL;

  g_string_append_printf (out, "  <changeset id=\"%" G_GINT64_FORMAT "\" created_at=\"%s\"", id, created);
  if (closed)
    {
      g_autofree char *closed_at = _bts_format_time (sqlite3_column_int64 (row, 3));
      g_string_append_printf (out, " closed_at=\"%s\"", closed_at);
    }
  g_string_append_printf (out, " open=\"%s\"", open ? "true" : "false");
  _bts_append_attr (out, "user", (const char *) sqlite3_column_text (row, 9));
  g_string_append_printf (out, " uid=\"%" G_GINT64_FORMAT "\"", (gint64) sqlite3_column_int64 (row, 1));
  if (sqlite3_column_type (row, 5) != SQLITE_NULL)
    {
      char buf[4][G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (out, " min_lat=\"%s\" min_lon=\"%s\" max_lat=\"%s\" max_lon=\"%s\"",
                              g_ascii_formatd (buf[0], sizeof buf[0], "%.7f", sqlite3_column_double (row, 5)),
                              g_ascii_formatd (buf[1], sizeof buf[1], "%.7f", sqlite3_column_double (row, 6)),
                              g_ascii_formatd (buf[2], sizeof buf[2], "%.7f", sqlite3_column_double (row, 7)),
                              g_ascii_formatd (buf[3], sizeof buf[3], "%.7f", sqlite3_column_double (row, 8)));
    }
  g_string_append_printf (out, " comments_count=\"0\" changes_count=\"%" G_GINT64_FORMAT "\">\n", num_changes);

  tags = _bts_prepare (self, "SELECT k, v FROM changeset_tag WHERE changeset = ? ORDER BY rowid");
  sqlite3_bind_int64 (tags, 1, id);
  while (sqlite3_step (tags) == SQLITE_ROW)
    {
      g_string_append (out, "    <tag");
      _bts_append_attr (out, "k", (const char *) sqlite3_column_text (tags, 0));
      _bts_append_attr (out, "v", (const char *) sqlite3_column_text (tags, 1));
      g_string_append (out, "/>\n");
    }
  g_string_append (out, "  </changeset>\n");
}

#define CHANGESET_COLUMNS \
  "c.id, c.uid, c.created_at, c.closed_at, c.num_changes, c.min_lat, c.min_lon, c.max_lat, c.max_lon, u.display_name"

static void
reply_changeset (BaliseTestServer  *self,
                 SoupServerMessage *msg,
                 gint64             id)
{
  g_autoptr(sqlite3_stmt) row = NULL;
  GString *out;

  row = _bts_prepare (self, "SELECT " CHANGESET_COLUMNS " FROM changeset c JOIN users u ON u.id = c.uid WHERE c.id = ?");
  sqlite3_bind_int64 (row, 1, id);
  if (sqlite3_step (row) != SQLITE_ROW)
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  out = g_string_new (OSM_HEADER);
  append_changeset (self, out, row);
  g_string_append (out, OSM_FOOTER);
  _bts_reply_take (msg, "application/xml; charset=utf-8", out);
}

/* Checks that @user may add @extra_changes elements to the changeset, the
 * way the real API does: 404, then owner, then closed or full. */
gboolean
_bts_check_changeset_writable (BaliseTestServer  *self,
                               SoupServerMessage *msg,
                               gint64             changeset_id,
                               const OsmUser     *user,
                               gint64             extra_changes)
{
  g_autoptr(sqlite3_stmt) row = NULL;
  guint max_elements = g_atomic_int_get (&self->max_elements);
  gint64 num_changes;

  row = _bts_prepare (self, "SELECT uid, closed_at, num_changes FROM changeset WHERE id = ?");
  sqlite3_bind_int64 (row, 1, changeset_id);
  if (sqlite3_step (row) != SQLITE_ROW)
    {
      _bts_reply_errorf (msg, SOUP_STATUS_NOT_FOUND, "Changeset %" G_GINT64_FORMAT " was not found", changeset_id);
      return FALSE;
    }

  if (sqlite3_column_int64 (row, 0) != user->id)
    {
      _bts_reply_error (msg, SOUP_STATUS_CONFLICT, "The user doesn't own that changeset");
      return FALSE;
    }

  num_changes = sqlite3_column_int64 (row, 2);
  if (sqlite3_column_type (row, 1) != SQLITE_NULL || num_changes >= max_elements ||
      num_changes + extra_changes > max_elements)
    {
      gint64 closed_at = sqlite3_column_type (row, 1) != SQLITE_NULL
                         ? sqlite3_column_int64 (row, 1)
                         : g_get_real_time () / G_USEC_PER_SEC;
      g_autofree char *when = _bts_format_closed_time (closed_at);

      _bts_reply_errorf (msg, SOUP_STATUS_CONFLICT, "The changeset %" G_GINT64_FORMAT " was closed at %s",
                         changeset_id, when);
      return FALSE;
    }

  return TRUE;
}

static void
handle_create (BaliseTestServer  *self,
               SoupServerMessage *msg)
{
  g_auto(OsmUser) user = { 0, };
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) ins = NULL;
  g_autofree char *text = NULL;
  gint64 id;

  if (!_bts_authenticate (self, msg, TRUE, &user))
    return;
  if (!parse_changeset_body (msg, tags))
    return;

  _bts_exec (self, "BEGIN IMMEDIATE");
  ins = _bts_prepare (self, "INSERT INTO changeset (uid, created_at) VALUES (?, ?)");
  sqlite3_bind_int64 (ins, 1, user.id);
  sqlite3_bind_int64 (ins, 2, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (ins) != SQLITE_DONE)
    {
      _bts_reply_db_error (self, msg);
      _bts_exec (self, "ROLLBACK");
      return;
    }
  id = sqlite3_last_insert_rowid (self->db);
  if (!write_changeset_tags (self, id, tags))
    {
      _bts_reply_db_error (self, msg);
      _bts_exec (self, "ROLLBACK");
      return;
    }
  _bts_exec (self, "COMMIT");

  text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  _bts_reply_text (msg, text);
}

static void
handle_update (BaliseTestServer  *self,
               SoupServerMessage *msg,
               gint64             id)
{
  g_auto(OsmUser) user = { 0, };
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);

  if (!_bts_authenticate (self, msg, TRUE, &user))
    return;
  if (!parse_changeset_body (msg, tags))
    return;
  if (!_bts_check_changeset_writable (self, msg, id, &user, 0))
    return;

  _bts_exec (self, "BEGIN IMMEDIATE");
  if (!write_changeset_tags (self, id, tags))
    {
      _bts_reply_db_error (self, msg);
      _bts_exec (self, "ROLLBACK");
      return;
    }
  _bts_exec (self, "COMMIT");

  reply_changeset (self, msg, id);
}

static void
handle_close (BaliseTestServer  *self,
              SoupServerMessage *msg,
              gint64             id)
{
  g_auto(OsmUser) user = { 0, };
  g_autoptr(sqlite3_stmt) upd = NULL;

  if (!_bts_authenticate (self, msg, TRUE, &user))
    return;
  if (!_bts_check_changeset_writable (self, msg, id, &user, 0))
    return;

  upd = _bts_prepare (self, "UPDATE changeset SET closed_at = ? WHERE id = ?");
  sqlite3_bind_int64 (upd, 1, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int64 (upd, 2, id);
  if (sqlite3_step (upd) != SQLITE_DONE)
    {
      _bts_reply_db_error (self, msg);
      return;
    }

  _bts_reply_text (msg, "");
}

static void
handle_download (BaliseTestServer  *self,
                 SoupServerMessage *msg,
                 gint64             id)
{
  g_autoptr(sqlite3_stmt) exists = NULL;
  g_autoptr(sqlite3_stmt) rows = NULL;
  const char *open_action = NULL;
  GString *out;

  exists = _bts_prepare (self, "SELECT 1 FROM changeset WHERE id = ?");
  sqlite3_bind_int64 (exists, 1, id);
  if (sqlite3_step (exists) != SQLITE_ROW)
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<osmChange version=\"0.6\" generator=\"" OSM_GENERATOR "\""
                      " copyright=\"OpenStreetMap and contributors\""
                      " attribution=\"http://www.openstreetmap.org/copyright\""
                      " license=\"http://opendatacommons.org/licenses/odbl/1-0/\">\n");

  rows = _bts_prepare (self, "SELECT version, visible, xml FROM history WHERE changeset = ? ORDER BY seq");
  sqlite3_bind_int64 (rows, 1, id);
  while (sqlite3_step (rows) == SQLITE_ROW)
    {
      const char *action;

      if (sqlite3_column_int (rows, 1) == 0)
        action = "delete";
      else if (sqlite3_column_int64 (rows, 0) == 1)
        action = "create";
      else
        action = "modify";

      if (open_action != action)
        {
          if (open_action != NULL)
            g_string_append_printf (out, "  </%s>\n", open_action);
          g_string_append_printf (out, "  <%s>\n", action);
          open_action = action;
        }
      g_string_append (out, (const char *) sqlite3_column_text (rows, 2));
    }
  if (open_action != NULL)
    g_string_append_printf (out, "  </%s>\n", open_action);
  g_string_append (out, "</osmChange>\n");

  _bts_reply_take (msg, "application/xml; charset=utf-8", out);
}

void
_bts_handle_changeset (BaliseTestServer  *self,
                       SoupServerMessage *msg,
                       const char        *method,
                       char             **parts,
                       GHashTable        *query)
{
  guint n_parts = g_strv_length (parts);
  gboolean put = strcmp (method, "PUT") == 0;
  gboolean post = strcmp (method, "POST") == 0;
  gboolean get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  gint64 id;

  if (n_parts == 2 && strcmp (parts[1], "create") == 0)
    {
      if (put)
        handle_create (self, msg);
      else
        _bts_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Only PUT is allowed here");
      return;
    }

  if (!_bts_parse_id (parts[1], &id))
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  if (n_parts == 2)
    {
      if (get)
        reply_changeset (self, msg, id);
      else if (put)
        handle_update (self, msg, id);
      else
        _bts_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Only GET and PUT are allowed here");
    }
  else if (n_parts == 3 && strcmp (parts[2], "close") == 0)
    {
      if (put)
        handle_close (self, msg, id);
      else
        _bts_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Only PUT is allowed here");
    }
  else if (n_parts == 3 && strcmp (parts[2], "upload") == 0)
    {
      if (post)
        _bts_handle_upload (self, msg, id);
      else
        _bts_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Only POST is allowed here");
    }
  else if (n_parts == 3 && strcmp (parts[2], "download") == 0)
    {
      if (get)
        handle_download (self, msg, id);
      else
        _bts_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Only GET is allowed here");
    }
  else
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
    }
}

/* GET /api/0.6/changesets?user=&display_name=&open=true&closed=true&limit= */
void
_bts_handle_changesets (BaliseTestServer  *self,
                        SoupServerMessage *msg,
                        GHashTable        *query)
{
  const char *user = query ? g_hash_table_lookup (query, "user") : NULL;
  const char *display_name = query ? g_hash_table_lookup (query, "display_name") : NULL;
  const char *open = query ? g_hash_table_lookup (query, "open") : NULL;
  const char *closed = query ? g_hash_table_lookup (query, "closed") : NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT " CHANGESET_COLUMNS " FROM changeset c JOIN users u ON u.id = c.uid WHERE 1");
  g_autoptr(sqlite3_stmt) rows = NULL;
  guint max_elements = g_atomic_int_get (&self->max_elements);
  guint64 limit = 100;
  gint64 uid = 0;
  GString *out;

  if (user != NULL && display_name != NULL)
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "provide either the user ID or display name, but not both");
      return;
    }
  if (user != NULL && !_bts_parse_id (user, &uid))
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }
  if (limit_text != NULL && !g_ascii_string_to_unsigned (limit_text, 10, 1, 100, &limit, NULL))
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "Changeset limit must be between 1 and 100");
      return;
    }

  if (user != NULL)
    g_string_append (sql, " AND c.uid = :uid");
  if (display_name != NULL)
    g_string_append (sql, " AND u.display_name = :name");
  if (g_strcmp0 (open, "true") == 0)
    g_string_append (sql, " AND c.closed_at IS NULL AND c.num_changes < :max");
  if (g_strcmp0 (closed, "true") == 0)
    g_string_append (sql, " AND (c.closed_at IS NOT NULL OR c.num_changes >= :max)");
  g_string_append (sql, " ORDER BY c.created_at DESC, c.id DESC LIMIT :limit");

  rows = _bts_prepare (self, sql->str);
  if (rows == NULL)
    {
      _bts_reply_db_error (self, msg);
      return;
    }
  sqlite3_bind_int64 (rows, sqlite3_bind_parameter_index (rows, ":uid"), uid);
  sqlite3_bind_text (rows, sqlite3_bind_parameter_index (rows, ":name"), display_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (rows, sqlite3_bind_parameter_index (rows, ":max"), max_elements);
  sqlite3_bind_int64 (rows, sqlite3_bind_parameter_index (rows, ":limit"), (gint64) limit);

  out = g_string_new (OSM_HEADER);
  while (sqlite3_step (rows) == SQLITE_ROW)
    append_changeset (self, out, rows);
  g_string_append (out, OSM_FOOTER);
  _bts_reply_take (msg, "application/xml; charset=utf-8", out);
}
