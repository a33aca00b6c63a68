/* balise-test-server-upload.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /api/0.6/changeset/ID/upload: an osmChange applied in one SQLite
 * transaction (all or nothing), answered with a diffResult.
 */

#define G_LOG_DOMAIN "balise-test-server"

#include <math.h>
#include <string.h>

#include "balise-test-server-private.h"

enum { NODE, WAY, RELATION, N_TYPES };

static const char * const type_names[N_TYPES] = { "node", "way", "relation" };
static const char * const type_titles[N_TYPES] = { "Node", "Way", "Relation" };

typedef enum { ACTION_CREATE, ACTION_MODIFY, ACTION_DELETE } Action;

typedef struct
{
  BaliseTestServer  *self;
  SoupServerMessage *msg;
  gint64             changeset;
  const OsmUser     *user;
  gint64             now;
  char              *timestamp;
  GHashTable        *placeholders[N_TYPES];  /* gint64 old id → gint64 new id */
  gint64             next_id[N_TYPES];
  GString           *diff;
  double             bbox[4];                /* min lat, min lon, max lat, max lon */
  gboolean           has_bbox;

  sqlite3_stmt      *get;
  sqlite3_stmt      *put;
  sqlite3_stmt      *put_history;
  sqlite3_stmt      *del_way_nodes;
  sqlite3_stmt      *add_way_node;
  sqlite3_stmt      *del_members;
  sqlite3_stmt      *add_member;
  sqlite3_stmt      *used_by_ways;
  sqlite3_stmt      *used_by_relations;
} Upload;

/* One element of the osmChange, as parsed. */
typedef struct
{
  int        type;
  gint64     id;            /* as given (placeholder or real) */
  gint64     real_id;       /* resolved */
  gint64     version;
  double     lat;
  double     lon;
  GPtrArray *tags;          /* key, value, key, value… */
  GArray    *refs;          /* way nodes (resolved ids) */
  GArray    *member_types;  /* int */
  GArray    *member_refs;   /* gint64, resolved */
  GPtrArray *member_roles;
} Element;

static void
element_clear (Element *element)
{
  g_clear_pointer (&element->tags, g_ptr_array_unref);
  g_clear_pointer (&element->refs, g_array_unref);
  g_clear_pointer (&element->member_types, g_array_unref);
  g_clear_pointer (&element->member_refs, g_array_unref);
  g_clear_pointer (&element->member_roles, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Element, element_clear)

static void
upload_clear (Upload *upload)
{
  for (guint i = 0; i < N_TYPES; i++)
    g_clear_pointer (&upload->placeholders[i], g_hash_table_unref);
  g_clear_pointer (&upload->timestamp, g_free);
  if (upload->diff != NULL)
    g_string_free (upload->diff, TRUE);
  upload->diff = NULL;
  g_clear_pointer (&upload->get, sqlite3_finalize);
  g_clear_pointer (&upload->put, sqlite3_finalize);
  g_clear_pointer (&upload->put_history, sqlite3_finalize);
  g_clear_pointer (&upload->del_way_nodes, sqlite3_finalize);
  g_clear_pointer (&upload->add_way_node, sqlite3_finalize);
  g_clear_pointer (&upload->del_members, sqlite3_finalize);
  g_clear_pointer (&upload->add_member, sqlite3_finalize);
  g_clear_pointer (&upload->used_by_ways, sqlite3_finalize);
  g_clear_pointer (&upload->used_by_relations, sqlite3_finalize);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Upload, upload_clear)

static int
type_from_name (const xmlChar *name)
{
  for (int i = 0; i < N_TYPES; i++)
    if (xmlStrcmp (name, BAD_CAST type_names[i]) == 0)
      return i;
  return -1;
}

static int
type_from_member_name (const char *name)
{
  for (int i = 0; name != NULL && i < N_TYPES; i++)
    if (g_ascii_strcasecmp (name, type_names[i]) == 0)
      return i;
  return -1;
}

static gboolean
parse_int64_attr (xmlNode    *node,
                  const char *name,
                  gint64     *value,
                  gboolean   *present)
{
  g_autoptr(xml_str) text = xmlGetProp (node, BAD_CAST name);

  *present = text != NULL;
  if (text == NULL)
    return TRUE;

  return g_ascii_string_to_signed ((const char *) text, 10, G_MININT64, G_MAXINT64, value, NULL);
}

static gboolean
parse_coord_attr (xmlNode    *node,
                  const char *name,
                  double     *value)
{
  g_autoptr(xml_str) text = xmlGetProp (node, BAD_CAST name);
  char *end = NULL;

  if (text == NULL)
    return FALSE;

  *value = g_ascii_strtod ((const char *) text, &end);
  return end != NULL && end != (char *) text && *end == '\0' && isfinite (*value);
}

static gboolean
lookup_placeholder (Upload *upload,
                    int     type,
                    gint64  id,
                    gint64 *real_id)
{
  gint64 *value = g_hash_table_lookup (upload->placeholders[type], &id);

  if (value == NULL)
    return FALSE;

  *real_id = *value;
  return TRUE;
}

/* Current state of an element: returns FALSE if it does not exist. */
static gboolean
get_current (Upload   *upload,
             int       type,
             gint64    id,
             gint64   *version,
             gboolean *visible,
             double   *lat,
             double   *lon)
{
  gboolean found;

  sqlite3_reset (upload->get);
  sqlite3_bind_text (upload->get, 1, type_names[type], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (upload->get, 2, id);
  found = sqlite3_step (upload->get) == SQLITE_ROW;
  if (found)
    {
      *version = sqlite3_column_int64 (upload->get, 0);
      *visible = sqlite3_column_int (upload->get, 1) != 0;
      if (lat != NULL)
        *lat = sqlite3_column_double (upload->get, 2);
      if (lon != NULL)
        *lon = sqlite3_column_double (upload->get, 3);
    }
  sqlite3_reset (upload->get);

  return found;
}

static void
extend_bbox (Upload *upload,
             double  lat,
             double  lon)
{
  if (!upload->has_bbox)
    {
      upload->bbox[0] = upload->bbox[2] = lat;
      upload->bbox[1] = upload->bbox[3] = lon;
      upload->has_bbox = TRUE;
      return;
    }

  upload->bbox[0] = MIN (upload->bbox[0], lat);
  upload->bbox[1] = MIN (upload->bbox[1], lon);
  upload->bbox[2] = MAX (upload->bbox[2], lat);
  upload->bbox[3] = MAX (upload->bbox[3], lon);
}

/* Resolves a member reference (placeholder or real id); answers 400 for an
 * unknown placeholder and returns FALSE. Real ids are checked later. */
static gboolean
resolve_ref (Upload     *upload,
             int         owner_type,
             gint64      owner_id,
             int         type,
             gint64      ref,
             gint64     *real_id)
{
  if (ref >= 0)
    {
      *real_id = ref;
      return TRUE;
    }

  if (lookup_placeholder (upload, type, ref, real_id))
    return TRUE;

  _bts_reply_errorf (upload->msg, SOUP_STATUS_BAD_REQUEST,
                     "Placeholder %s not found for reference %" G_GINT64_FORMAT " in %s %" G_GINT64_FORMAT,
                     type_names[type], ref, type_names[owner_type], owner_id);
  return FALSE;
}

/* Parses one element of the osmChange into @element; answers 400/409 and
 * returns FALSE on errors. */
static gboolean
parse_element (Upload  *upload,
               xmlNode *node,
               Action   action,
               Element *element)
{
  SoupServerMessage *msg = upload->msg;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *owner = NULL;
  gint64 changeset = 0;
  gboolean present;

  element->type = type_from_name (node->name);
  if (element->type < 0)
    {
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                         "Unknown element %s, expecting node, way or relation", (const char *) node->name);
      return FALSE;
    }

  if (!parse_int64_attr (node, "id", &element->id, &present) || !present || element->id == 0)
    {
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                         "Cannot parse valid %s from xml string. ID is required", type_names[element->type]);
      return FALSE;
    }

  owner = g_strdup_printf ("%s %" G_GINT64_FORMAT, type_titles[element->type], element->id);

  if (!parse_int64_attr (node, "changeset", &changeset, &present))
    {
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST, "Changeset id is not a number in %s", owner);
      return FALSE;
    }
  if (!present)
    {
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                         "Cannot parse valid %s from xml string. Changeset id is missing", type_names[element->type]);
      return FALSE;
    }
  if (changeset != upload->changeset)
    {
      _bts_reply_errorf (msg, SOUP_STATUS_CONFLICT,
                         "Changeset mismatch: Provided %" G_GINT64_FORMAT " but only %" G_GINT64_FORMAT " is allowed",
                         changeset, upload->changeset);
      return FALSE;
    }

  if (action != ACTION_CREATE)
    {
      if (!parse_int64_attr (node, "version", &element->version, &present) || !present)
        {
          _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                             "Cannot parse valid %s from xml string. Version is required when updating",
                             type_names[element->type]);
          return FALSE;
        }
    }

  if (element->type == NODE && action != ACTION_DELETE)
    {
      if (!parse_coord_attr (node, "lat", &element->lat) || !parse_coord_attr (node, "lon", &element->lon))
        {
          _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                             "Cannot parse valid node from xml string. lat or lon missing or not a number in %s", owner);
          return FALSE;
        }
      if (element->lat < -90 || element->lat > 90)
        {
          _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST, "Latitude outside of valid range in %s", owner);
          return FALSE;
        }
      if (element->lon < -180 || element->lon > 180)
        {
          _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST, "Longitude outside of valid range in %s", owner);
          return FALSE;
        }
    }

  element->tags = g_ptr_array_new_with_free_func (g_free);
  element->refs = g_array_new (FALSE, FALSE, sizeof (gint64));
  element->member_types = g_array_new (FALSE, FALSE, sizeof (int));
  element->member_refs = g_array_new (FALSE, FALSE, sizeof (gint64));
  element->member_roles = g_ptr_array_new_with_free_func (g_free);

  /* A delete ignores the element's content, like the real API. */
  if (action == ACTION_DELETE)
    return TRUE;

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;

      if (xmlStrcmp (child->name, BAD_CAST "tag") == 0)
        {
          g_autoptr(xml_str) k = xmlGetProp (child, BAD_CAST "k");
          g_autoptr(xml_str) v = xmlGetProp (child, BAD_CAST "v");

          if (!_bts_check_tag (msg, (const char *) k, (const char *) v, owner))
            return FALSE;
          if (g_hash_table_contains (seen, k))
            {
              _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST, "%s has duplicate tags with key %s",
                                 owner, (const char *) k);
              return FALSE;
            }
          g_hash_table_add (seen, g_strdup ((const char *) k));
          g_ptr_array_add (element->tags, g_strdup ((const char *) k));
          g_ptr_array_add (element->tags, g_strdup ((const char *) v));
        }
      else if (xmlStrcmp (child->name, BAD_CAST "nd") == 0 && element->type == WAY)
        {
          gint64 ref = 0;
          gint64 real_id;

          if (!parse_int64_attr (child, "ref", &ref, &present) || !present || ref == 0)
            {
              _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST, "Missing or invalid nd ref in %s", owner);
              return FALSE;
            }
          if (!resolve_ref (upload, WAY, element->id, NODE, ref, &real_id))
            return FALSE;
          g_array_append_val (element->refs, real_id);
        }
      else if (xmlStrcmp (child->name, BAD_CAST "member") == 0 && element->type == RELATION)
        {
          g_autoptr(xml_str) type_text = xmlGetProp (child, BAD_CAST "type");
          g_autoptr(xml_str) role = xmlGetProp (child, BAD_CAST "role");
          int type = type_from_member_name ((const char *) type_text);
          gint64 ref = 0;
          gint64 real_id;

          if (type < 0)
            {
              _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST, "Invalid type %s in member relation",
                                 type_text ? (const char *) type_text : "(none)");
              return FALSE;
            }
          if (!parse_int64_attr (child, "ref", &ref, &present) || !present || ref == 0)
            {
              _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "Relation member 'ref' attribute may not be 0");
              return FALSE;
            }
          if (role != NULL && g_utf8_strlen ((const char *) role, -1) > 255)
            {
              _bts_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "Relation Role has more than 255 unicode characters");
              return FALSE;
            }
          if (!resolve_ref (upload, RELATION, element->id, type, ref, &real_id))
            return FALSE;
          g_array_append_val (element->member_types, type);
          g_array_append_val (element->member_refs, real_id);
          g_ptr_array_add (element->member_roles, g_strdup (role ? (const char *) role : ""));
        }
    }

  if (element->type == WAY)
    {
      if (element->refs->len == 0)
        {
          _bts_reply_errorf (msg, SOUP_STATUS_PRECONDITION_FAILED,
                             "Precondition failed: Way %" G_GINT64_FORMAT " must have at least one node", element->id);
          return FALSE;
        }
      if (element->refs->len > MAX_WAY_NODES)
        {
          _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                             "You tried to add %u nodes to way %" G_GINT64_FORMAT ", however only %d are allowed",
                             element->refs->len, element->id, MAX_WAY_NODES);
          return FALSE;
        }
    }

  if (element->type == RELATION && element->member_refs->len > MAX_RELATION_MEMBERS)
    {
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                         "You tried to add %u members to relation %" G_GINT64_FORMAT ", however only %d are allowed",
                         element->member_refs->len, element->id, MAX_RELATION_MEMBERS);
      return FALSE;
    }

  return TRUE;
}

/* Way nodes and relation members must exist and be visible: 412. */
static gboolean
check_references (Upload  *upload,
                  Element *element)
{
  for (int type = NODE; type < N_TYPES; type++)
    {
      g_autoptr(GString) missing = g_string_new (NULL);
      GArray *refs = element->type == WAY ? element->refs : element->member_refs;

      if (element->type == WAY && type != NODE)
        break;
      if (element->type == NODE)
        break;

      for (guint i = 0; i < refs->len; i++)
        {
          gint64 ref = g_array_index (refs, gint64, i);
          gint64 version;
          gboolean visible;

          if (element->type == RELATION && g_array_index (element->member_types, int, i) != type)
            continue;
          if (get_current (upload, type, ref, &version, &visible, NULL, NULL) && visible)
            continue;
          g_string_append_printf (missing, "%s%" G_GINT64_FORMAT, missing->len ? "," : "", ref);
        }

      if (missing->len > 0)
        {
          _bts_reply_errorf (upload->msg, SOUP_STATUS_PRECONDITION_FAILED,
                             "Precondition failed: %s %" G_GINT64_FORMAT " requires the %ss with id in (%s), "
                             "which either do not exist, or are not visible.",
                             type_titles[element->type], element->id, type_names[type], missing->str);
          return FALSE;
        }
    }

  return TRUE;
}

/* Lists the ways or relations using an element, "7,8", or NULL. */
static char *
users_of (sqlite3_stmt *stmt,
          const char   *type,
          gint64        id)
{
  GString *list = NULL;

  sqlite3_reset (stmt);
  if (type != NULL)
    {
      sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
    }
  else
    {
      sqlite3_bind_int64 (stmt, 1, id);
    }

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (list == NULL)
        list = g_string_new (NULL);
      else
        g_string_append_c (list, ',');
      g_string_append_printf (list, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
    }
  sqlite3_reset (stmt);

  return list ? g_string_free (list, FALSE) : NULL;
}

static char *
element_xml (Upload  *upload,
             Element *element,
             gint64   id,
             gint64   version,
             gboolean visible)
{
  GString *out = g_string_new ("  <");
  gboolean empty;

  g_string_append_printf (out, "%s id=\"%" G_GINT64_FORMAT "\" visible=\"%s\" version=\"%" G_GINT64_FORMAT "\""
                          " changeset=\"%" G_GINT64_FORMAT "\" timestamp=\"%s\"",
                          type_names[element->type], id, visible ? "true" : "false", version,
                          upload->changeset, upload->timestamp);
  _bts_append_attr (out, "user", upload->user->display_name);
  g_string_append_printf (out, " uid=\"%" G_GINT64_FORMAT "\"", upload->user->id);

  if (element->type == NODE && visible)
    {
      char lat[G_ASCII_DTOSTR_BUF_SIZE];
      char lon[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (out, " lat=\"%s\" lon=\"%s\"",
                              g_ascii_formatd (lat, sizeof lat, "%.7f", element->lat),
                              g_ascii_formatd (lon, sizeof lon, "%.7f", element->lon));
    }

  empty = !visible || (element->tags->len == 0 && element->refs->len == 0 && element->member_refs->len == 0);
  if (empty)
    {
      g_string_append (out, "/>\n");
      return g_string_free (out, FALSE);
    }

  g_string_append (out, ">\n");
  for (guint i = 0; i < element->refs->len; i++)
    g_string_append_printf (out, "    <nd ref=\"%" G_GINT64_FORMAT "\"/>\n", g_array_index (element->refs, gint64, i));
  for (guint i = 0; i < element->member_refs->len; i++)
    {
      g_string_append_printf (out, "    <member type=\"%s\" ref=\"%" G_GINT64_FORMAT "\"",
                              type_names[g_array_index (element->member_types, int, i)],
                              g_array_index (element->member_refs, gint64, i));
      _bts_append_attr (out, "role", g_ptr_array_index (element->member_roles, i));
      g_string_append (out, "/>\n");
    }
  for (guint i = 0; i + 1 < element->tags->len; i += 2)
    {
      g_string_append (out, "    <tag");
      _bts_append_attr (out, "k", g_ptr_array_index (element->tags, i));
      _bts_append_attr (out, "v", g_ptr_array_index (element->tags, i + 1));
      g_string_append (out, "/>\n");
    }
  g_string_append_printf (out, "  </%s>\n", type_names[element->type]);

  return g_string_free (out, FALSE);
}

/* Writes a new version of an element: current row, history, members. */
static gboolean
write_element (Upload  *upload,
               Element *element,
               gint64   id,
               gint64   version,
               gboolean visible)
{
  g_autofree char *xml = element_xml (upload, element, id, version, visible);
  const char *type = type_names[element->type];

  sqlite3_reset (upload->put);
  sqlite3_bind_text (upload->put, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (upload->put, 2, id);
  sqlite3_bind_int64 (upload->put, 3, version);
  sqlite3_bind_int64 (upload->put, 4, upload->changeset);
  sqlite3_bind_int (upload->put, 5, visible);
  if (element->type == NODE && visible)
    {
      sqlite3_bind_double (upload->put, 6, element->lat);
      sqlite3_bind_double (upload->put, 7, element->lon);
    }
  else
    {
      sqlite3_bind_null (upload->put, 6);
      sqlite3_bind_null (upload->put, 7);
    }
  sqlite3_bind_int64 (upload->put, 8, upload->now);
  sqlite3_bind_text (upload->put, 9, xml, -1, SQLITE_STATIC);
  if (sqlite3_step (upload->put) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (upload->put);

  sqlite3_reset (upload->put_history);
  sqlite3_bind_text (upload->put_history, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (upload->put_history, 2, id);
  sqlite3_bind_int64 (upload->put_history, 3, version);
  sqlite3_bind_int64 (upload->put_history, 4, upload->changeset);
  sqlite3_bind_int (upload->put_history, 5, visible);
  sqlite3_bind_text (upload->put_history, 6, xml, -1, SQLITE_STATIC);
  if (sqlite3_step (upload->put_history) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (upload->put_history);

  if (element->type == WAY)
    {
      sqlite3_reset (upload->del_way_nodes);
      sqlite3_bind_int64 (upload->del_way_nodes, 1, id);
      if (sqlite3_step (upload->del_way_nodes) != SQLITE_DONE)
        return FALSE;
      for (guint i = 0; visible && i < element->refs->len; i++)
        {
          sqlite3_reset (upload->add_way_node);
          sqlite3_bind_int64 (upload->add_way_node, 1, id);
          sqlite3_bind_int (upload->add_way_node, 2, i);
          sqlite3_bind_int64 (upload->add_way_node, 3, g_array_index (element->refs, gint64, i));
          if (sqlite3_step (upload->add_way_node) != SQLITE_DONE)
            return FALSE;
        }
    }
  else if (element->type == RELATION)
    {
      sqlite3_reset (upload->del_members);
      sqlite3_bind_int64 (upload->del_members, 1, id);
      if (sqlite3_step (upload->del_members) != SQLITE_DONE)
        return FALSE;
      for (guint i = 0; visible && i < element->member_refs->len; i++)
        {
          sqlite3_reset (upload->add_member);
          sqlite3_bind_int64 (upload->add_member, 1, id);
          sqlite3_bind_int (upload->add_member, 2, i);
          sqlite3_bind_text (upload->add_member, 3, type_names[g_array_index (element->member_types, int, i)],
                             -1, SQLITE_STATIC);
          sqlite3_bind_int64 (upload->add_member, 4, g_array_index (element->member_refs, gint64, i));
          sqlite3_bind_text (upload->add_member, 5, g_ptr_array_index (element->member_roles, i), -1, SQLITE_STATIC);
          if (sqlite3_step (upload->add_member) != SQLITE_DONE)
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
apply_create (Upload  *upload,
              Element *element)
{
  gint64 new_id;

  if (g_hash_table_contains (upload->placeholders[element->type], &element->id))
    {
      _bts_reply_error (upload->msg, SOUP_STATUS_BAD_REQUEST, "Placeholder IDs must be unique for created elements.");
      return FALSE;
    }

  if (!check_references (upload, element))
    return FALSE;

  new_id = ++upload->next_id[element->type];
  if (!write_element (upload, element, new_id, 1, TRUE))
    {
      _bts_reply_db_error (upload->self, upload->msg);
      return FALSE;
    }

  g_hash_table_insert (upload->placeholders[element->type],
                       g_memdup2 (&element->id, sizeof (gint64)), g_memdup2 (&new_id, sizeof (gint64)));
  if (element->type == NODE)
    extend_bbox (upload, element->lat, element->lon);

  g_string_append_printf (upload->diff, "  <%s old_id=\"%" G_GINT64_FORMAT "\" new_id=\"%" G_GINT64_FORMAT
                          "\" new_version=\"1\"/>\n", type_names[element->type], element->id, new_id);
  return TRUE;
}

/* Resolves the element's id and loads its current version; answers 400 or
 * 404 and returns FALSE when it does not exist. */
static gboolean
load_existing (Upload   *upload,
               Element  *element,
               gint64   *version,
               gboolean *visible,
               double   *lat,
               double   *lon)
{
  if (element->id < 0)
    {
      if (!lookup_placeholder (upload, element->type, element->id, &element->real_id))
        {
          _bts_reply_errorf (upload->msg, SOUP_STATUS_BAD_REQUEST,
                             "Placeholder %s not found for reference %" G_GINT64_FORMAT,
                             type_names[element->type], element->id);
          return FALSE;
        }
    }
  else
    {
      element->real_id = element->id;
    }

  if (!get_current (upload, element->type, element->real_id, version, visible, lat, lon))
    {
      _bts_reply_errorf (upload->msg, SOUP_STATUS_NOT_FOUND, "The %s with the id %" G_GINT64_FORMAT " was not found",
                         type_names[element->type], element->real_id);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_version (Upload  *upload,
               Element *element,
               gint64   version)
{
  if (element->version != version)
    {
      _bts_reply_errorf (upload->msg, SOUP_STATUS_CONFLICT,
                         "Version mismatch: Provided %" G_GINT64_FORMAT ", server had: %" G_GINT64_FORMAT
                         " of %s %" G_GINT64_FORMAT,
                         element->version, version, type_titles[element->type], element->real_id);
      return FALSE;
    }

  return TRUE;
}

static gboolean
apply_modify (Upload  *upload,
              Element *element)
{
  gint64 version;
  gboolean visible;
  double lat, lon;

  if (!load_existing (upload, element, &version, &visible, &lat, &lon))
    return FALSE;

  /* Like the real API: a deleted element is gone whatever the version. */
  if (!visible)
    {
      _bts_reply_errorf (upload->msg, SOUP_STATUS_GONE, "The %s with the id %" G_GINT64_FORMAT " has already been deleted",
                         type_names[element->type], element->real_id);
      return FALSE;
    }

  if (!check_version (upload, element, version))
    return FALSE;

  if (!check_references (upload, element))
    return FALSE;

  if (!write_element (upload, element, element->real_id, version + 1, TRUE))
    {
      _bts_reply_db_error (upload->self, upload->msg);
      return FALSE;
    }

  if (element->type == NODE)
    {
      extend_bbox (upload, lat, lon);
      extend_bbox (upload, element->lat, element->lon);
    }

  g_string_append_printf (upload->diff, "  <%s old_id=\"%" G_GINT64_FORMAT "\" new_id=\"%" G_GINT64_FORMAT
                          "\" new_version=\"%" G_GINT64_FORMAT "\"/>\n",
                          type_names[element->type], element->id, element->real_id, version + 1);
  return TRUE;
}

static gboolean
apply_delete (Upload   *upload,
              Element  *element,
              gboolean  if_unused)
{
  g_autofree char *ways = NULL;
  g_autofree char *relations = NULL;
  gint64 version;
  gboolean visible;
  double lat, lon;

  if (!load_existing (upload, element, &version, &visible, &lat, &lon))
    return FALSE;

  if (visible && !check_version (upload, element, version))
    return FALSE;

  if (visible && element->type == NODE)
    ways = users_of (upload->used_by_ways, NULL, element->real_id);
  if (visible && ways == NULL)
    relations = users_of (upload->used_by_relations, type_names[element->type], element->real_id);

  if (!visible || ways != NULL || relations != NULL)
    {
      if (if_unused)
        {
          /* Skipped: the real API answers the current id and version. */
          g_string_append_printf (upload->diff, "  <%s old_id=\"%" G_GINT64_FORMAT "\" new_id=\"%" G_GINT64_FORMAT
                                  "\" new_version=\"%" G_GINT64_FORMAT "\"/>\n",
                                  type_names[element->type], element->id, element->real_id, version);
          return TRUE;
        }

      if (!visible)
        _bts_reply_errorf (upload->msg, SOUP_STATUS_GONE, "The %s with the id %" G_GINT64_FORMAT " has already been deleted",
                           type_names[element->type], element->real_id);
      else
        _bts_reply_errorf (upload->msg, SOUP_STATUS_PRECONDITION_FAILED,
                           "Precondition failed: %s %" G_GINT64_FORMAT " is still used by %s %s.",
                           type_titles[element->type], element->real_id,
                           ways != NULL ? "ways" : "relations", ways != NULL ? ways : relations);
      return FALSE;
    }

  if (!write_element (upload, element, element->real_id, version + 1, FALSE))
    {
      _bts_reply_db_error (upload->self, upload->msg);
      return FALSE;
    }

  if (element->type == NODE)
    extend_bbox (upload, lat, lon);

  g_string_append_printf (upload->diff, "  <%s old_id=\"%" G_GINT64_FORMAT "\"/>\n",
                          type_names[element->type], element->id);
  return TRUE;
}

static gboolean
prepare_upload (Upload *upload)
{
  BaliseTestServer *self = upload->self;

  upload->get = _bts_prepare (self, "SELECT version, visible, lat, lon FROM element WHERE type = ? AND id = ?");
  upload->put = _bts_prepare (self, "INSERT OR REPLACE INTO element (type, id, version, changeset, visible, lat, lon,"
                                    " timestamp, xml) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  upload->put_history = _bts_prepare (self, "INSERT INTO history (type, id, version, changeset, visible, xml)"
                                            " VALUES (?, ?, ?, ?, ?, ?)");
  upload->del_way_nodes = _bts_prepare (self, "DELETE FROM way_node WHERE way = ?");
  upload->add_way_node = _bts_prepare (self, "INSERT INTO way_node (way, seq, node) VALUES (?, ?, ?)");
  upload->del_members = _bts_prepare (self, "DELETE FROM relation_member WHERE relation = ?");
  upload->add_member = _bts_prepare (self, "INSERT INTO relation_member (relation, seq, type, ref, role)"
                                           " VALUES (?, ?, ?, ?, ?)");
  upload->used_by_ways = _bts_prepare (self, "SELECT DISTINCT way FROM way_node WHERE node = ? ORDER BY way");
  upload->used_by_relations = _bts_prepare (self, "SELECT DISTINCT relation FROM relation_member"
                                                  " WHERE type = ? AND ref = ? ORDER BY relation");

  if (upload->get == NULL || upload->put == NULL || upload->put_history == NULL ||
      upload->del_way_nodes == NULL || upload->add_way_node == NULL || upload->del_members == NULL ||
      upload->add_member == NULL || upload->used_by_ways == NULL || upload->used_by_relations == NULL)
    return FALSE;

  for (int type = NODE; type < N_TYPES; type++)
    {
      g_autoptr(sqlite3_stmt) max = _bts_prepare (self, "SELECT COALESCE (MAX (id), 0) FROM element WHERE type = ?");

      sqlite3_bind_text (max, 1, type_names[type], -1, SQLITE_STATIC);
      if (sqlite3_step (max) != SQLITE_ROW)
        return FALSE;
      upload->next_id[type] = sqlite3_column_int64 (max, 0);
      upload->placeholders[type] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
    }

  return TRUE;
}

static gboolean
finish_changeset (Upload *upload,
                  gint64  n_changes)
{
  g_autoptr(sqlite3_stmt) upd = NULL;
  guint max_elements = g_atomic_int_get (&upload->self->max_elements);

  /* A changeset that reaches maximum_elements is closed, like on the real API. */
  upd = _bts_prepare (upload->self,
                      "UPDATE changeset SET num_changes = num_changes + :n,"
                      " closed_at = CASE WHEN num_changes + :n >= :max THEN :now ELSE closed_at END,"
                      " min_lat = CASE WHEN :has THEN MIN (COALESCE (min_lat, :minlat), :minlat) ELSE min_lat END,"
                      " min_lon = CASE WHEN :has THEN MIN (COALESCE (min_lon, :minlon), :minlon) ELSE min_lon END,"
                      " max_lat = CASE WHEN :has THEN MAX (COALESCE (max_lat, :maxlat), :maxlat) ELSE max_lat END,"
                      " max_lon = CASE WHEN :has THEN MAX (COALESCE (max_lon, :maxlon), :maxlon) ELSE max_lon END"
                      " WHERE id = :id");
  if (upd == NULL)
    return FALSE;

  sqlite3_bind_int64 (upd, sqlite3_bind_parameter_index (upd, ":n"), n_changes);
  sqlite3_bind_int64 (upd, sqlite3_bind_parameter_index (upd, ":max"), max_elements);
  sqlite3_bind_int64 (upd, sqlite3_bind_parameter_index (upd, ":now"), upload->now);
  sqlite3_bind_int (upd, sqlite3_bind_parameter_index (upd, ":has"), upload->has_bbox);
  sqlite3_bind_double (upd, sqlite3_bind_parameter_index (upd, ":minlat"), upload->bbox[0]);
  sqlite3_bind_double (upd, sqlite3_bind_parameter_index (upd, ":minlon"), upload->bbox[1]);
  sqlite3_bind_double (upd, sqlite3_bind_parameter_index (upd, ":maxlat"), upload->bbox[2]);
  sqlite3_bind_double (upd, sqlite3_bind_parameter_index (upd, ":maxlon"), upload->bbox[3]);
  sqlite3_bind_int64 (upd, sqlite3_bind_parameter_index (upd, ":id"), upload->changeset);

  return sqlite3_step (upd) == SQLITE_DONE;
}

static gboolean
action_from_name (const xmlChar *name,
                  Action        *action)
{
  if (xmlStrcmp (name, BAD_CAST "create") == 0)
    *action = ACTION_CREATE;
  else if (xmlStrcmp (name, BAD_CAST "modify") == 0)
    *action = ACTION_MODIFY;
  else if (xmlStrcmp (name, BAD_CAST "delete") == 0)
    *action = ACTION_DELETE;
  else
    return FALSE;

  return TRUE;
}

/* Everything of the upload that runs inside the transaction. */
static gboolean
apply_upload (Upload  *upload,
              xmlNode *root)
{
  gint64 n_changes = 0;

  /* Count first: the real API refuses an upload that would overflow the
   * changeset before touching anything. */
  for (xmlNode *block = root->children; block != NULL; block = block->next)
    {
      Action action;

      if (block->type != XML_ELEMENT_NODE)
        continue;
      if (!action_from_name (block->name, &action))
        {
          _bts_reply_errorf (upload->msg, SOUP_STATUS_BAD_REQUEST,
                             "Unknown action %s, choices are create, modify, delete", (const char *) block->name);
          return FALSE;
        }
      for (xmlNode *node = block->children; node != NULL; node = node->next)
        if (node->type == XML_ELEMENT_NODE)
          n_changes++;
    }

  if (!_bts_check_changeset_writable (upload->self, upload->msg, upload->changeset, upload->user, n_changes))
    return FALSE;

  for (xmlNode *block = root->children; block != NULL; block = block->next)
    {
      g_autoptr(xml_str) if_unused_text = NULL;
      gboolean if_unused;
      Action action;

      if (block->type != XML_ELEMENT_NODE)
        continue;
      /* Every block name was checked by the count above. */
      if (!action_from_name (block->name, &action))
        g_assert_not_reached ();
      if_unused_text = xmlGetProp (block, BAD_CAST "if-unused");
      if_unused = if_unused_text != NULL && xmlStrcmp (if_unused_text, BAD_CAST "false") != 0 &&
                  xmlStrcmp (if_unused_text, BAD_CAST "0") != 0;

      for (xmlNode *node = block->children; node != NULL; node = node->next)
        {
          g_auto(Element) element = { 0, };
          gboolean ok;

          if (node->type != XML_ELEMENT_NODE)
            continue;
          if (!parse_element (upload, node, action, &element))
            return FALSE;

          switch (action)
            {
            case ACTION_CREATE:
              ok = apply_create (upload, &element);
              break;
            case ACTION_MODIFY:
              ok = apply_modify (upload, &element);
              break;
            case ACTION_DELETE:
            default:
              ok = apply_delete (upload, &element, if_unused);
              break;
            }

          if (!ok)
            return FALSE;
        }
    }

  if (!finish_changeset (upload, n_changes))
    {
      _bts_reply_db_error (upload->self, upload->msg);
      return FALSE;
    }

  return TRUE;
}

void
_bts_handle_upload (BaliseTestServer  *self,
                    SoupServerMessage *msg,
                    gint64             changeset_id)
{
  g_auto(OsmUser) user = { 0, };
  g_auto(Upload) upload = { 0, };
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *root;
  GString *diff;

  if (!_bts_authenticate (self, msg, TRUE, &user))
    return;

  doc = _bts_parse_body (msg, "osmChange");
  if (doc == NULL)
    return;

  root = xmlDocGetRootElement (doc);
  if (xmlStrcmp (root->name, BAD_CAST "osmChange") != 0)
    {
      _bts_reply_errorf (msg, SOUP_STATUS_BAD_REQUEST,
                         "Cannot parse valid osmChange from xml string. Unknown root element %s, expecting osmChange",
                         (const char *) root->name);
      return;
    }

  upload.self = self;
  upload.msg = msg;
  upload.changeset = changeset_id;
  upload.user = &user;
  upload.now = g_get_real_time () / G_USEC_PER_SEC;
  upload.timestamp = _bts_format_time (upload.now);
  upload.diff = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<diffResult version=\"0.6\" generator=\"" OSM_GENERATOR "\">\n");

  if (!_bts_exec (self, "BEGIN IMMEDIATE"))
    {
      _bts_reply_db_error (self, msg);
      return;
    }

  if (!prepare_upload (&upload) || !apply_upload (&upload, root))
    {
      if (soup_server_message_get_status (msg) == 0)
        _bts_reply_db_error (self, msg);
      upload_clear (&upload);
      _bts_exec (self, "ROLLBACK");
      return;
    }

  /* Statements must be finalized before the commit can complete. */
  diff = g_steal_pointer (&upload.diff);
  upload_clear (&upload);
  if (!_bts_exec (self, "COMMIT"))
    {
      g_string_free (diff, TRUE);
      _bts_reply_db_error (self, msg);
      _bts_exec (self, "ROLLBACK");
      return;
    }

  g_string_append (diff, "</diffResult>\n");
  _bts_reply_take (msg, "application/xml; charset=utf-8", diff);
}
