/* balise-test-server-elements.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading elements: node/way/relation, their history and versions, /full,
 * the multi-fetch calls and map?bbox.
 */

#define G_LOG_DOMAIN "balise-test-server"

#include <string.h>

#include "balise-test-server-private.h"

static GString *
new_osm_document (void)
{
  return g_string_new (OSM_HEADER);
}

static void
reply_osm_document (SoupServerMessage *msg,
                    GString           *out)
{
  g_string_append (out, OSM_FOOTER);
  _bts_reply_take (msg, "application/xml; charset=utf-8", out);
}

/* Appends the xml column of every row of @stmt. */
static guint
append_rows (GString      *out,
             sqlite3_stmt *stmt)
{
  guint n = 0;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_string_append (out, (const char *) sqlite3_column_text (stmt, 0));
      n++;
    }

  return n;
}

/* Returns 0 when absent, 1 when visible, -1 when deleted. */
static int
element_state (BaliseTestServer *self,
               const char       *type,
               gint64            id)
{
  g_autoptr(sqlite3_stmt) stmt = _bts_prepare (self, "SELECT visible FROM element WHERE type = ? AND id = ?");

  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  return sqlite3_column_int (stmt, 0) ? 1 : -1;
}

static void
handle_full (BaliseTestServer  *self,
             SoupServerMessage *msg,
             const char        *type,
             gint64             id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out;

  out = new_osm_document ();

  if (strcmp (type, "way") == 0)
    {
      stmt = _bts_prepare (self,
                           "SELECT e.xml FROM element e WHERE e.type = 'node' AND e.id IN"
                           " (SELECT node FROM way_node WHERE way = ?) ORDER BY e.id");
      sqlite3_bind_int64 (stmt, 1, id);
      append_rows (out, stmt);
    }
  else if (strcmp (type, "relation") == 0)
    {
      stmt = _bts_prepare (self,
                           "SELECT e.xml FROM element e WHERE e.type = 'node' AND e.id IN"
                           " (SELECT ref FROM relation_member WHERE relation = ?1 AND type = 'node'"
                           "  UNION SELECT node FROM way_node WHERE way IN"
                           "  (SELECT ref FROM relation_member WHERE relation = ?1 AND type = 'way'))"
                           " ORDER BY e.id");
      sqlite3_bind_int64 (stmt, 1, id);
      append_rows (out, stmt);
      g_clear_pointer (&stmt, sqlite3_finalize);

      stmt = _bts_prepare (self,
                           "SELECT e.xml FROM element e WHERE e.type = 'way' AND e.id IN"
                           " (SELECT ref FROM relation_member WHERE relation = ?1 AND type = 'way')"
                           " ORDER BY e.id");
      sqlite3_bind_int64 (stmt, 1, id);
      append_rows (out, stmt);
      g_clear_pointer (&stmt, sqlite3_finalize);

      stmt = _bts_prepare (self,
                           "SELECT e.xml FROM element e WHERE e.type = 'relation' AND e.id IN"
                           " (SELECT ref FROM relation_member WHERE relation = ?1 AND type = 'relation')"
                           " ORDER BY e.id");
      sqlite3_bind_int64 (stmt, 1, id);
      append_rows (out, stmt);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _bts_prepare (self, "SELECT xml FROM element WHERE type = ? AND id = ?");
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  append_rows (out, stmt);

  reply_osm_document (msg, out);
}

/* GET /api/0.6/TYPE/ID[/full|/history|/VERSION] */
void
_bts_handle_element (BaliseTestServer  *self,
                     SoupServerMessage *msg,
                     const char        *type,
                     char             **parts)
{
  guint n_parts = g_strv_length (parts);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 version;
  gint64 id;
  GString *out;
  int state;

  if (!_bts_parse_id (parts[1], &id) || n_parts > 3)
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  if (n_parts == 3 && strcmp (parts[2], "history") == 0)
    {
      stmt = _bts_prepare (self, "SELECT xml FROM history WHERE type = ? AND id = ? ORDER BY version");
      sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      out = new_osm_document ();
      if (append_rows (out, stmt) == 0)
        {
          g_string_free (out, TRUE);
          _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
          return;
        }
      reply_osm_document (msg, out);
      return;
    }

  if (n_parts == 3 && _bts_parse_id (parts[2], &version))
    {
      stmt = _bts_prepare (self, "SELECT xml FROM history WHERE type = ? AND id = ? AND version = ?");
      sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      sqlite3_bind_int64 (stmt, 3, version);
      out = new_osm_document ();
      if (append_rows (out, stmt) == 0)
        {
          g_string_free (out, TRUE);
          _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
          return;
        }
      reply_osm_document (msg, out);
      return;
    }

  if (n_parts == 3 && (strcmp (parts[2], "full") != 0 || strcmp (type, "node") == 0))
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  /* The real API answers 404 and 410 with an empty body here. */
  state = element_state (self, type, id);
  if (state == 0)
    {
      _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }
  if (state < 0)
    {
      _bts_reply_empty (msg, SOUP_STATUS_GONE);
      return;
    }

  if (n_parts == 3)
    {
      handle_full (self, msg, type, id);
      return;
    }

  stmt = _bts_prepare (self, "SELECT xml FROM element WHERE type = ? AND id = ?");
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  out = new_osm_document ();
  append_rows (out, stmt);
  reply_osm_document (msg, out);
}

/* GET /api/0.6/nodes?nodes=1,2 (also ways, relations). Deleted elements
 * are listed with visible="false"; one unknown id is a 404. */
void
_bts_handle_elements (BaliseTestServer  *self,
                      SoupServerMessage *msg,
                      const char        *type,
                      GHashTable        *query)
{
  g_autofree char *plural = g_strconcat (type, "s", NULL);
  const char *list = query ? g_hash_table_lookup (query, plural) : NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_auto(GStrv) ids = NULL;
  GString *out;

  if (list == NULL || *list == '\0')
    {
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                         "The parameter %s is required, and must be of the form %s=id[,id[,id...]]", plural, plural);
      return;
    }

  ids = g_strsplit (list, ",", -1);
  stmt = _bts_prepare (self, "SELECT xml FROM element WHERE type = ? AND id = ?");
  out = new_osm_document ();
  for (guint i = 0; ids[i] != NULL; i++)
    {
      gint64 id;

      if (!_bts_parse_id (g_strstrip (ids[i]), &id))
        {
          g_string_free (out, TRUE);
          _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                             "The parameter %s is required, and must be of the form %s=id[,id[,id...]]", plural, plural);
          return;
        }

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          g_string_free (out, TRUE);
          _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
          return;
        }
      g_string_append (out, (const char *) sqlite3_column_text (stmt, 0));
    }

  reply_osm_document (msg, out);
}

/* GET /api/0.6/map?bbox=left,bottom,right,top: the visible nodes in the
 * box, the ways using them, all nodes of those ways, and the relations
 * using any of those nodes or ways. */
void
_bts_handle_map (BaliseTestServer  *self,
                 SoupServerMessage *msg,
                 GHashTable        *query)
{
  static const char * const reads[] = {
    "SELECT xml FROM element WHERE type = 'node' AND id IN"
    " (SELECT id FROM temp.map_node UNION SELECT node FROM way_node WHERE way IN (SELECT id FROM temp.map_way))"
    " ORDER BY id",
    "SELECT xml FROM element WHERE type = 'way' AND id IN (SELECT id FROM temp.map_way) ORDER BY id",
    "SELECT xml FROM element WHERE type = 'relation' AND id IN"
    " (SELECT relation FROM relation_member WHERE (type = 'node' AND ref IN (SELECT id FROM temp.map_node))"
    "  OR (type = 'way' AND ref IN (SELECT id FROM temp.map_way)))"
    " ORDER BY id",
  };
  g_autoptr(sqlite3_stmt) fill = NULL;
  guint max_nodes = g_atomic_int_get (&self->max_nodes);
  char buf[4][G_ASCII_DTOSTR_BUF_SIZE];
  double bbox[4];
  gint64 n_nodes;
  GString *out;

  if (!_bts_parse_bbox (msg, query, bbox))
    return;

  if ((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]) > MAX_AREA)
    {
      _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST,
                        "The maximum bbox size is 0.25, and your request was too large. "
                        "Either request a smaller area, or use planet.osm");
      return;
    }

  if (!_bts_exec (self,
                  "CREATE TEMP TABLE IF NOT EXISTS map_node (id INTEGER PRIMARY KEY);"
                  "CREATE TEMP TABLE IF NOT EXISTS map_way (id INTEGER PRIMARY KEY);"
                  "DELETE FROM temp.map_node; DELETE FROM temp.map_way;"))
    {
      _bts_reply_db_error (self, msg);
      return;
    }

  fill = _bts_prepare (self,
                       "INSERT INTO temp.map_node SELECT id FROM element"
                       " WHERE type = 'node' AND visible = 1 AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?");
  sqlite3_bind_double (fill, 1, bbox[1]);
  sqlite3_bind_double (fill, 2, bbox[3]);
  sqlite3_bind_double (fill, 3, bbox[0]);
  sqlite3_bind_double (fill, 4, bbox[2]);
  if (sqlite3_step (fill) != SQLITE_DONE)
    {
      _bts_reply_db_error (self, msg);
      return;
    }
  n_nodes = sqlite3_changes (self->db);

  if (n_nodes > max_nodes)
    {
      _bts_exec (self, "DELETE FROM temp.map_node");
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                         "You requested too many nodes (limit is %u). Either request a smaller area, or use planet.osm",
                         max_nodes);
      return;
    }

  _bts_exec (self, "INSERT INTO temp.map_way SELECT DISTINCT way FROM way_node"
                   " WHERE node IN (SELECT id FROM temp.map_node)");

  out = new_osm_document ();
  g_string_append_printf (out, "  <bounds minlat=\"%s\" minlon=\"%s\" maxlat=\"%s\" maxlon=\"%s\"/>\n",
                          g_ascii_formatd (buf[0], sizeof buf[0], "%.7f", bbox[1]),
                          g_ascii_formatd (buf[1], sizeof buf[1], "%.7f", bbox[0]),
                          g_ascii_formatd (buf[2], sizeof buf[2], "%.7f", bbox[3]),
                          g_ascii_formatd (buf[3], sizeof buf[3], "%.7f", bbox[2]));

  for (guint i = 0; i < G_N_ELEMENTS (reads); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = _bts_prepare (self, reads[i]);

      if (stmt != NULL)
        append_rows (out, stmt);
    }

  _bts_exec (self, "DELETE FROM temp.map_node; DELETE FROM temp.map_way;");
  reply_osm_document (msg, out);
}
