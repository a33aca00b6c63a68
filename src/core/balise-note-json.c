/* balise-note-json.c: the notes API's GeoJSON answers
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-note"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>

#include "balise-note-json.h"

/* A notes answer is small; a bbox query holds at most 10 000 notes. */
#define MAX_NOTES_JSON_BYTES (64 * 1024 * 1024)

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
number_value (JsonNode *node,
              double   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else
    return FALSE;
  return isfinite (*value);
}

/* "2024-05-01 12:00:00 UTC", as the API writes dates. */
static GDateTime *
parse_api_date (const char *text)
{
  int year, month, day, hour, minute, second;
  char zone[4] = { 0, };

  if (text == NULL ||
      sscanf (text, "%4d-%2d-%2d %2d:%2d:%2d %3s", &year, &month, &day, &hour, &minute, &second,
              zone) != 7 ||
      strcmp (zone, "UTC") != 0)
    return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return g_date_time_new_utc (year, month, day, hour, minute, second);
}

static void
set_parse_error (GError     **error,
                 guint        index,
                 const char  *what)
{
  g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
               "Note %u of the server's answer %s", index + 1, what);
}

static BaliseNote *
parse_feature (JsonNode  *node,
               guint      index,
               GError   **error)
{
  JsonObject *feature = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonObject *geometry = member_object (feature, "geometry");
  JsonObject *properties = member_object (feature, "properties");
  JsonArray *coordinates = member_array (geometry, "coordinates");
  JsonArray *comments = member_array (properties, "comments");
  JsonNode *id_node = member (properties, "id");
  const char *status = member_string (properties, "status");
  g_autoptr(BaliseNote) note = NULL;
  double lat, lon;

  if (feature == NULL || g_strcmp0 (member_string (feature, "type"), "Feature") != 0)
    {
      set_parse_error (error, index, "is not a GeoJSON Feature");
      return NULL;
    }
  if (coordinates == NULL || json_array_get_length (coordinates) != 2 ||
      !number_value (json_array_get_element (coordinates, 0), &lon) ||
      !number_value (json_array_get_element (coordinates, 1), &lat) ||
      lat < -90 || lat > 90 || lon < -180 || lon > 180)
    {
      set_parse_error (error, index, "has no position");
      return NULL;
    }
  if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node) ||
      json_node_get_value_type (id_node) != G_TYPE_INT64 || json_node_get_int (id_node) <= 0)
    {
      set_parse_error (error, index, "has no id");
      return NULL;
    }

  note = balise_note_new (lat, lon, NULL, NULL);
  note->osm_note_id = json_node_get_int (id_node);

  if (g_strcmp0 (status, "open") == 0)
    note->status = BALISE_NOTE_STATUS_OPEN;
  else if (g_strcmp0 (status, "closed") == 0)
    note->status = BALISE_NOTE_STATUS_CLOSED;
  else if (g_strcmp0 (status, "hidden") == 0)
    note->status = BALISE_NOTE_STATUS_HIDDEN;
  else
    {
      set_parse_error (error, index, "has no status");
      return NULL;
    }

  for (guint i = 0; comments != NULL && i < json_array_get_length (comments); i++)
    {
      JsonNode *comment_node = json_array_get_element (comments, i);
      JsonObject *comment = JSON_NODE_HOLDS_OBJECT (comment_node)
                              ? json_node_get_object (comment_node) : NULL;
      g_autoptr(GDateTime) date = NULL;

      if (comment == NULL)
        {
          set_parse_error (error, index, "has a comment that is not an object");
          return NULL;
        }
      date = parse_api_date (member_string (comment, "date"));
      g_ptr_array_add (note->comments,
                       balise_note_comment_new (date,
                                                member_string (comment, "user"),
                                                member_string (comment, "action"),
                                                member_string (comment, "text")));
    }

  if (note->comments->len > 0)
    {
      BaliseNoteComment *first = g_ptr_array_index (note->comments, 0);

      if (g_strcmp0 (first->action, "opened") == 0)
        note->text = g_strdup (first->text);
      note->created_at = first->date ? g_date_time_ref (first->date) : NULL;
    }

  return g_steal_pointer (&note);
}

GPtrArray *
balise_note_json_parse (GBytes  *bytes,
                        GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) json_error = NULL;
  JsonObject *root_object;
  JsonNode *root;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size > MAX_NOTES_JSON_BYTES)
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           "The server's list of notes is too large");
      return NULL;
    }
  if (size == 0 || !json_parser_load_from_data (parser, data, (gssize) size, &json_error))
    {
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                   "The server's notes are not JSON: %s",
                   json_error ? json_error->message : "empty answer");
      return NULL;
    }

  root = json_parser_get_root (parser);
  root_object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  notes = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_note_unref);

  if (g_strcmp0 (member_string (root_object, "type"), "FeatureCollection") == 0)
    {
      JsonArray *features = member_array (root_object, "features");

      if (features == NULL)
        {
          g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                               "The server's list of notes has no features");
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (features); i++)
        {
          BaliseNote *note = parse_feature (json_array_get_element (features, i), i, error);

          if (note == NULL)
            return NULL;
          g_ptr_array_add (notes, note);
        }
    }
  else
    {
      BaliseNote *note = parse_feature (root, 0, error);

      if (note == NULL)
        return NULL;
      g_ptr_array_add (notes, note);
    }

  return g_steal_pointer (&notes);
}
