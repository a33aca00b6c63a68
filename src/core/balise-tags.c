/* balise-tags.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-tags"

#include "config.h"

#include <json-glib/json-glib.h>

#include "balise-tags.h"

/* A small ordered map: tags sorted by key, so that equal sets compare and
 * serialise identically, and lookups are a binary search. */
struct _BaliseTags
{
  gatomicrefcount  ref_count;
  GPtrArray       *pairs;     /* char* key, char* value, alternating */
};

G_DEFINE_BOXED_TYPE (BaliseTags, balise_tags, balise_tags_ref, balise_tags_unref)

BaliseTags *
balise_tags_new (void)
{
  BaliseTags *self = g_new0 (BaliseTags, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->pairs = g_ptr_array_new_with_free_func (g_free);
  return self;
}

BaliseTags *
balise_tags_ref (BaliseTags *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
balise_tags_unref (BaliseTags *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_ptr_array_unref (self->pairs);
      g_free (self);
    }
}

BaliseTags *
balise_tags_copy (const BaliseTags *self)
{
  BaliseTags *copy = balise_tags_new ();

  g_return_val_if_fail (self != NULL, copy);

  for (guint i = 0; i < self->pairs->len; i++)
    g_ptr_array_add (copy->pairs, g_strdup (g_ptr_array_index (self->pairs, i)));
  return copy;
}

guint
balise_tags_get_size (const BaliseTags *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->pairs->len / 2;
}

const char * const *
balise_tags_get_pairs (const BaliseTags *self,
                       guint            *n_pairs)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_pairs != NULL, NULL);

  *n_pairs = self->pairs->len / 2;
  return (const char * const *) self->pairs->pdata;
}

const char *
balise_tags_get_key (const BaliseTags *self,
                     guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->pairs->len / 2, NULL);
  return g_ptr_array_index (self->pairs, index * 2);
}

const char *
balise_tags_get_value (const BaliseTags *self,
                       guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->pairs->len / 2, NULL);
  return g_ptr_array_index (self->pairs, index * 2 + 1);
}

/* Returns the pair index of @key, or the index where it would be inserted
 * with *found = FALSE. */
static guint
find_key (const BaliseTags *self,
          const char       *key,
          gboolean         *found)
{
  guint lo = 0;
  guint hi = self->pairs->len / 2;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      int cmp = strcmp (g_ptr_array_index (self->pairs, mid * 2), key);

      if (cmp == 0)
        {
          *found = TRUE;
          return mid;
        }
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  *found = FALSE;
  return lo;
}

const char *
balise_tags_lookup (const BaliseTags *self,
                    const char       *key)
{
  gboolean found;
  guint index;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  index = find_key (self, key, &found);
  return found ? g_ptr_array_index (self->pairs, index * 2 + 1) : NULL;
}

void
balise_tags_set (BaliseTags *self,
                 const char *key,
                 const char *value)
{
  gboolean found;
  guint index;

  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);
  g_return_if_fail (value != NULL);

  index = find_key (self, key, &found);
  if (found)
    {
      g_free (self->pairs->pdata[index * 2 + 1]);
      self->pairs->pdata[index * 2 + 1] = g_strdup (value);
      return;
    }

  g_ptr_array_insert (self->pairs, index * 2, g_strdup (value));
  g_ptr_array_insert (self->pairs, index * 2, g_strdup (key));
}

gboolean
balise_tags_remove (BaliseTags *self,
                    const char *key)
{
  gboolean found;
  guint index;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  index = find_key (self, key, &found);
  if (found)
    g_ptr_array_remove_range (self->pairs, index * 2, 2);
  return found;
}

gboolean
balise_tags_equal (const BaliseTags *a,
                   const BaliseTags *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  if (a->pairs->len != b->pairs->len)
    return FALSE;

  for (guint i = 0; i < a->pairs->len; i++)
    {
      if (!g_str_equal (g_ptr_array_index (a->pairs, i), g_ptr_array_index (b->pairs, i)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_text (const char  *what,
            const char  *key,
            const char  *text,
            GError     **error)
{
  glong n_chars;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG,
                   "The %s of tag “%s” is not valid UTF-8", what, key);
      return FALSE;
    }

  n_chars = g_utf8_strlen (text, -1);
  if (n_chars > BALISE_TAG_MAX_CHARS)
    {
      glong key_chars = g_utf8_strlen (key, -1);
      g_autofree char *start = g_utf8_substring (key, 0, MIN (key_chars, 40));
      g_autofree char *shown = g_strconcat (start, key_chars > 40 ? "…" : "", NULL);

      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG,
                   "The %s of tag “%s” has %ld characters; OpenStreetMap allows at most %d",
                   what, shown, n_chars, BALISE_TAG_MAX_CHARS);
      return FALSE;
    }

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        {
          g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG,
                       "The %s of tag “%s” contains a control character (U+%04X)",
                       what, key, c);
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
balise_tag_validate (const char  *key,
                     const char  *value,
                     GError     **error)
{
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (*key == '\0')
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG,
                           "A tag has an empty key");
      return FALSE;
    }
  if (*value == '\0')
    {
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG,
                   "Tag “%s” has an empty value", key);
      return FALSE;
    }

  return check_text ("key", key, key, error) && check_text ("value", key, value, error);
}

gboolean
balise_tags_validate (const BaliseTags  *self,
                      GError           **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->pairs->len; i += 2)
    {
      if (!balise_tag_validate (g_ptr_array_index (self->pairs, i),
                                g_ptr_array_index (self->pairs, i + 1),
                                error))
        return FALSE;
    }
  return TRUE;
}

char *
balise_tags_to_json (const BaliseTags *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < self->pairs->len; i += 2)
    {
      json_builder_set_member_name (builder, g_ptr_array_index (self->pairs, i));
      json_builder_add_string_value (builder, g_ptr_array_index (self->pairs, i + 1));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Reads one JSON string at *p (just after its opening quote) into @out.
 * Returns FALSE on anything unexpected, leaving the caller to fall back to
 * the full parser. */
static gboolean
read_json_string (const char **p,
                  GString     *out)
{
  const char *s = *p;

  g_string_truncate (out, 0);
  for (;;)
    {
      const char *start = s;

      while (*s != '"' && *s != '\\' && (guchar) *s >= 0x20)
        s++;
      g_string_append_len (out, start, s - start);

      if (*s == '"')
        {
          *p = s + 1;
          return TRUE;
        }
      if (*s != '\\')
        return FALSE;

      s++;
      switch (*s++)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar c = 0;

            for (int i = 0; i < 4; i++, s++)
              {
                if (!g_ascii_isxdigit (*s))
                  return FALSE;
                c = c * 16 + g_ascii_xdigit_value (*s);
              }
            /* A surrogate pair, or anything unusual: the full parser. */
            if (c >= 0xd800 && c <= 0xdfff)
              return FALSE;
            g_string_append_unichar (out, c);
          }
          break;
        default:
          return FALSE;
        }
    }
}

/* The tags Balise writes are a flat object of strings: read them without
 * building a JSON tree (the map reads thousands of them per frame). */
static BaliseTags *
parse_flat_object (const char *json)
{
  g_autoptr(BaliseTags) tags = balise_tags_new ();
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(GString) value = g_string_new (NULL);
  const char *p = json;

#define SKIP_SPACE() while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') p++

  SKIP_SPACE ();
  if (*p++ != '{')
    return NULL;
  SKIP_SPACE ();
  if (*p == '}')
    {
      p++;
      SKIP_SPACE ();
      return *p == '\0' ? g_steal_pointer (&tags) : NULL;
    }

  for (;;)
    {
      SKIP_SPACE ();
      if (*p++ != '"' || !read_json_string (&p, key))
        return NULL;
      SKIP_SPACE ();
      if (*p++ != ':')
        return NULL;
      SKIP_SPACE ();
      if (*p++ != '"' || !read_json_string (&p, value))
        return NULL;
      /* Duplicate keys: let the full parser decide. */
      if (balise_tags_lookup (tags, key->str) != NULL)
        return NULL;
      balise_tags_set (tags, key->str, value->str);
      SKIP_SPACE ();
      if (*p == ',')
        {
          p++;
          continue;
        }
      if (*p++ != '}')
        return NULL;
      SKIP_SPACE ();
      return *p == '\0' ? g_steal_pointer (&tags) : NULL;
    }

#undef SKIP_SPACE
}

BaliseTags *
balise_tags_new_from_json (const char  *json,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(BaliseTags) tags = NULL;
  JsonObject *object;
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;

  g_return_val_if_fail (json != NULL, NULL);

  if (g_utf8_validate (json, -1, NULL) && (tags = parse_flat_object (json)) != NULL)
    return g_steal_pointer (&tags);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;

  if (json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           "Tags must be a JSON object");
      return NULL;
    }

  tags = balise_tags_new ();
  object = json_node_get_object (json_parser_get_root (parser));
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &member))
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        {
          g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                       "The value of tag “%s” is not a string", key);
          return NULL;
        }
      balise_tags_set (tags, key, json_node_get_string (member));
    }

  return g_steal_pointer (&tags);
}
