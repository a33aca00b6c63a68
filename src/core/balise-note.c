/* balise-note.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-note"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "balise-note.h"

G_DEFINE_BOXED_TYPE (BaliseNote, balise_note, balise_note_ref, balise_note_unref)

static const char * const note_status_names[] = {
  "pending", "approved", "rejected", "uploading", "open", "closed", "hidden", "failed",
  "undone", "has_issues",
};

G_STATIC_ASSERT (G_N_ELEMENTS (note_status_names) == BALISE_NOTE_STATUS_LAST + 1);

const char *
balise_note_status_to_string (BaliseNoteStatus status)
{
  g_return_val_if_fail (status <= BALISE_NOTE_STATUS_LAST, NULL);
  return note_status_names[status];
}

gboolean
balise_note_status_from_string (const char       *str,
                                BaliseNoteStatus *status)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (note_status_names); i++)
    {
      if (g_str_equal (note_status_names[i], str))
        {
          *status = (BaliseNoteStatus) i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * balise_note_new:
 *
 * Returns: a pending note at @lat, @lon, not yet stored.
 */
BaliseNote *
balise_note_new (double      lat,
                 double      lon,
                 const char *category,
                 const char *text)
{
  BaliseNote *self = g_new0 (BaliseNote, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->lat = lat;
  self->lon = lon;
  self->category = g_strdup (category);
  self->text = g_strdup (text);
  self->element_type = BALISE_OSM_NODE;
  self->status = BALISE_NOTE_STATUS_PENDING;
  self->comments = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_note_comment_free);
  return self;
}

BaliseNote *
balise_note_ref (BaliseNote *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
balise_note_unref (BaliseNote *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->uuid);
  g_free (self->category);
  g_free (self->text);
  g_free (self->contributor);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_free (self->server);
  g_free (self->error);
  g_free (self->preset);
  g_free (self->reason);
  g_free (self->review_comment);
  g_free (self->reviewer);
  g_clear_pointer (&self->reviewed_at, g_date_time_unref);
  g_clear_pointer (&self->comments, g_ptr_array_unref);
  g_clear_pointer (&self->refreshed_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_free (self);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }
  return TRUE;
}

/**
 * balise_note_validate:
 *
 * Checks what the server would refuse, and what would make the note
 * useless to a mapper: a position off the globe, no text, a text longer
 * than OSM allows or with control characters, no category.
 */
gboolean
balise_note_validate (BaliseNote  *self,
                      GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!(isfinite (self->lat) && isfinite (self->lon) &&
        self->lat >= -90.0 && self->lat <= 90.0 && self->lon >= -180.0 && self->lon <= 180.0))
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "The position %.7f, %.7f of the note is not on the globe", self->lat, self->lon);
      return FALSE;
    }

  if (self->category == NULL || is_blank (self->category))
    {
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                           "The note has no category");
      return FALSE;
    }

  if (self->text == NULL || !g_utf8_validate (self->text, -1, NULL) || is_blank (self->text))
    {
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                           "The note has no text");
      return FALSE;
    }

  if (g_utf8_strlen (self->text, -1) > BALISE_NOTE_MAX_CHARS)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "The note's text has %ld characters; OpenStreetMap takes at most %d",
                   g_utf8_strlen (self->text, -1), BALISE_NOTE_MAX_CHARS);
      return FALSE;
    }

  for (const char *p = self->text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) && c != '\n' && c != '\t' && c != '\r')
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                       "The note's text holds the control character U+%04X", c);
          return FALSE;
        }
    }

  if (self->element_id < 0 || self->element_type > BALISE_OSM_RELATION)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "The note is about element %" G_GINT64_FORMAT ", which is not on the server",
                   self->element_id);
      return FALSE;
    }

  return TRUE;
}

gboolean
balise_note_is_on_server (BaliseNote *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->osm_note_id > 0 ||
         self->status == BALISE_NOTE_STATUS_UPLOADING ||
         self->status == BALISE_NOTE_STATUS_OPEN ||
         self->status == BALISE_NOTE_STATUS_CLOSED ||
         self->status == BALISE_NOTE_STATUS_HIDDEN;
}

/*
 * Comments
 */

BaliseNoteComment *
balise_note_comment_new (GDateTime  *date,
                         const char *user,
                         const char *action,
                         const char *text)
{
  BaliseNoteComment *comment = g_new0 (BaliseNoteComment, 1);

  comment->date = date ? g_date_time_ref (date) : NULL;
  comment->user = g_strdup (user);
  comment->action = g_strdup (action);
  comment->text = g_strdup (text);
  return comment;
}

void
balise_note_comment_free (BaliseNoteComment *comment)
{
  if (comment == NULL)
    return;
  g_clear_pointer (&comment->date, g_date_time_unref);
  g_free (comment->user);
  g_free (comment->action);
  g_free (comment->text);
  g_free (comment);
}

char *
balise_note_comments_to_json (GPtrArray *comments)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; comments != NULL && i < comments->len; i++)
    {
      BaliseNoteComment *comment = g_ptr_array_index (comments, i);
      g_autofree char *date = comment->date ? g_date_time_format_iso8601 (comment->date) : NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, date);
      json_builder_set_member_name (builder, "user");
      json_builder_add_string_value (builder, comment->user);
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, comment->action);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, comment->text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

GPtrArray *
balise_note_comments_from_json (const char  *json,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) comments = NULL;
  JsonArray *array;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                           "A note's comments are not a JSON array");
      return NULL;
    }

  array = json_node_get_array (root);
  comments = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_note_comment_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      const char *date;
      g_autoptr(GDateTime) when = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                       "Comment %u of a note is not a JSON object", i + 1);
          return NULL;
        }
      object = json_node_get_object (node);
      date = member_string (object, "date");
      if (date != NULL)
        when = g_date_time_new_from_iso8601 (date, NULL);
      g_ptr_array_add (comments,
                       balise_note_comment_new (when,
                                                member_string (object, "user"),
                                                member_string (object, "action"),
                                                member_string (object, "text")));
    }

  return g_steal_pointer (&comments);
}
