/* balise-preset.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-preset"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "balise-preset.h"

/* A preset, read from JSON:
 *
 *   { "id": "bus_stop", "name": "Bus Stop", "terms": "bus, stop, platform",
 *     "icon": "…-symbolic",
 *     "tags": { "highway": "bus_stop", … },      (an element preset)
 *     "note": "pothole",                         (or a fault: its category, in English)
 *     "fields": [ "shelter", { "key": …, "type": … }, … ] }
 *
 * A field given as a string is one of the shared fields (fields.json). */

#define DEFAULT_SITE_URL "https://www.openstreetmap.org"

struct _BalisePreset
{
  GObject           parent_instance;

  char             *id;
  char             *name;
  char             *terms;
  char             *icon_name;
  char             *category;
  char             *note_category;
  char             *domain;
  BaliseTags       *tags;
  GPtrArray        *fields;

  BalisePresetKind  kind;
};

G_DEFINE_FINAL_TYPE (BalisePreset, balise_preset, G_TYPE_OBJECT)

static void
balise_preset_finalize (GObject *object)
{
  BalisePreset *self = (BalisePreset *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->terms, g_free);
  g_clear_pointer (&self->icon_name, g_free);
  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->note_category, g_free);
  g_clear_pointer (&self->domain, g_free);
  g_clear_pointer (&self->tags, balise_tags_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);

  G_OBJECT_CLASS (balise_preset_parent_class)->finalize (object);
}

static void
balise_preset_class_init (BalisePresetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = balise_preset_finalize;
}

static void
balise_preset_init (BalisePreset *self)
{
  self->fields = g_ptr_array_new_with_free_func (g_object_unref);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      json_node_get_string (node)[0] == '\0')
    return NULL;

  return json_node_get_string (node);
}

static gboolean
read_tags (BalisePreset  *self,
           JsonObject    *object,
           GError       **error)
{
  JsonNode *node = json_object_get_member (object, "tags");
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  self->tags = balise_tags_new ();

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "The tags of the preset “%s” are not an object", self->id);
      return FALSE;
    }

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                       "The tag “%s” of the preset “%s” is not a string", key, self->id);
          return FALSE;
        }

      if (!balise_tag_validate (key, json_node_get_string (value), error))
        {
          g_prefix_error (error, "The preset “%s”: ", self->id);
          return FALSE;
        }

      balise_tags_set (self->tags, key, json_node_get_string (value));
    }

  return TRUE;
}

static gboolean
read_fields (BalisePreset  *self,
             JsonObject    *object,
             GHashTable    *shared_fields,
             GError       **error)
{
  JsonNode *node = json_object_get_member (object, "fields");
  JsonArray *array;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "The fields of the preset “%s” are not a list", self->id);
      return FALSE;
    }

  array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(BalisePresetField) field = NULL;

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        {
          const char *ref = json_node_get_string (element);
          BalisePresetField *shared = shared_fields ? g_hash_table_lookup (shared_fields, ref) : NULL;

          if (shared == NULL)
            {
              g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                           "The preset “%s” uses the field “%s”, which no fields file defines",
                           self->id, ref);
              return FALSE;
            }

          field = g_object_ref (shared);
        }
      else if (JSON_NODE_HOLDS_OBJECT (element))
        {
          field = balise_preset_field_new_from_json (json_node_get_object (element), self->domain, error);
          if (field == NULL)
            {
              g_prefix_error (error, "The preset “%s”: ", self->id);
              return FALSE;
            }
        }
      else
        {
          g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                       "Field %u of the preset “%s” is neither a name nor an object", i + 1, self->id);
          return FALSE;
        }

      if (balise_preset_lookup_field (self, balise_preset_field_get_key (field)) != NULL)
        {
          g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                       "The preset “%s” has two fields for “%s”",
                       self->id, balise_preset_field_get_key (field));
          return FALSE;
        }

      g_ptr_array_add (self->fields, g_steal_pointer (&field));
    }

  return TRUE;
}

/**
 * balise_preset_new_from_json:
 * @object: the preset's JSON object
 * @category: the id of its category
 * @shared_fields: (nullable): fields by name, for the fields given as strings
 * @domain: the gettext domain of its strings
 * @error: where to put what is wrong
 *
 * Returns: (transfer full) (nullable): the preset
 */
BalisePreset *
balise_preset_new_from_json (JsonObject  *object,
                             const char  *category,
                             GHashTable  *shared_fields,
                             const char  *domain,
                             GError     **error)
{
  g_autoptr(BalisePreset) self = NULL;
  const char *id;
  const char *name;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (category != NULL, NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  if (!(id = get_string (object, "id")) || !(name = get_string (object, "name")))
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "A preset of “%s” has no id or no name", category);
      return NULL;
    }

  self = g_object_new (BALISE_TYPE_PRESET, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->category = g_strdup (category);
  self->domain = g_strdup (domain);
  self->terms = g_strdup (get_string (object, "terms"));
  self->icon_name = g_strdup (get_string (object, "icon"));
  self->note_category = g_strdup (get_string (object, "note"));
  self->kind = self->note_category ? BALISE_PRESET_NOTE : BALISE_PRESET_ELEMENT;

  if (!read_tags (self, object, error) || !read_fields (self, object, shared_fields, error))
    return NULL;

  if (self->kind == BALISE_PRESET_ELEMENT && balise_tags_get_size (self->tags) == 0)
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "The preset “%s” has neither tags nor a note category", self->id);
      return NULL;
    }

  if (self->kind == BALISE_PRESET_NOTE && balise_tags_get_size (self->tags) > 0)
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "The preset “%s” is a note: it cannot have tags", self->id);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
balise_preset_get_id (BalisePreset *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET (self), NULL);

  return self->id;
}

/* The name in the volunteer's language. */
const char *
balise_preset_get_name (BalisePreset *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET (self), NULL);

  return g_dgettext (self->domain, self->name);
}

const char *
balise_preset_get_name_untranslated (BalisePreset *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET (self), NULL);

  return self->name;
}

/* Other words for it, comma-separated, in the volunteer's language. */
const char *
balise_preset_get_terms (BalisePreset *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET (self), NULL);

  return self->terms ? g_dgettext (self->domain, self->terms) : NULL;
}

const char *
balise_preset_get_icon_name (BalisePreset *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET (self), NULL);

  return self->icon_name;
}

const char *
balise_preset_get_category (BalisePreset *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET (self), NULL);

  return self->category;
}

BalisePresetKind
balise_preset_get_kind (BalisePreset *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET (self), BALISE_PRESET_ELEMENT);

  return self->kind;
}

/* For a fault: its category in English, as the note table and mappers read it. */
const char *
balise_preset_get_note_category (BalisePreset *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET (self), NULL);

  return self->note_category;
}

/* Returns: (transfer none): the tags every element of the preset carries */
BaliseTags *
balise_preset_get_tags (BalisePreset *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET (self), NULL);

  return self->tags;
}

guint
balise_preset_get_n_fields (BalisePreset *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET (self), 0);

  return self->fields->len;
}

BalisePresetField *
balise_preset_get_field (BalisePreset *self,
                         guint         index)
{
  g_return_val_if_fail (BALISE_IS_PRESET (self), NULL);
  g_return_val_if_fail (index < self->fields->len, NULL);

  return g_ptr_array_index (self->fields, index);
}

BalisePresetField *
balise_preset_lookup_field (BalisePreset *self,
                            const char   *key)
{
  g_return_val_if_fail (BALISE_IS_PRESET (self), NULL);

  for (guint i = 0; key != NULL && i < self->fields->len; i++)
    {
      BalisePresetField *field = g_ptr_array_index (self->fields, i);

      if (g_str_equal (balise_preset_field_get_key (field), key))
        return field;
    }

  return NULL;
}

/**
 * balise_preset_match_tags:
 * @self: a #BalisePreset
 * @tags: the tags of an element
 *
 * Returns: how many tags of the preset @tags has, or 0 unless it has them all
 */
guint
balise_preset_match_tags (BalisePreset *self,
                          BaliseTags   *tags)
{
  guint n;

  g_return_val_if_fail (BALISE_IS_PRESET (self), 0);

  if (tags == NULL || self->kind != BALISE_PRESET_ELEMENT)
    return 0;

  n = balise_tags_get_size (self->tags);

  for (guint i = 0; i < n; i++)
    {
      const char *value = balise_tags_lookup (tags, balise_tags_get_key (self->tags, i));

      if (g_strcmp0 (value, balise_tags_get_value (self->tags, i)) != 0)
        return 0;
    }

  return n;
}

static void
remove_prefixed (BalisePresetField *field,
                 BaliseTags        *tags)
{
  const char *prefix = balise_preset_field_get_key (field);

  for (guint i = 0; i < balise_preset_field_get_n_options (field); i++)
    {
      g_autofree char *key = g_strconcat (prefix, balise_preset_field_get_option_value (field, i), NULL);

      balise_tags_remove (tags, key);
    }
}

/**
 * balise_preset_apply_values:
 * @self: a #BalisePreset
 * @tags: the tags to change: empty for a new element, a copy of its tags
 *   for an existing one
 * @values: (element-type utf8 utf8): the answers of the form, by field key;
 *   a missing or empty answer is "unknown"
 * @error: where to put the first wrong answer
 *
 * Writes the preset's tags and one tag per answered field into @tags; an
 * unknown answer removes its tag, unless @tags held a value the field
 * cannot show, which is kept. Every answer is checked first (type,
 * required, OSM's 255 characters): on error @tags is left as it was.
 *
 * Returns: %TRUE if every answer is right
 */
gboolean
balise_preset_apply_values (BalisePreset  *self,
                            BaliseTags    *tags,
                            GHashTable    *values,
                            GError       **error)
{
  g_autoptr(BaliseTags) result = NULL;

  g_return_val_if_fail (BALISE_IS_PRESET (self), FALSE);
  g_return_val_if_fail (tags != NULL, FALSE);

  if (self->kind != BALISE_PRESET_ELEMENT)
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_VALUE,
                   "The preset “%s” records a note, not tags", self->id);
      return FALSE;
    }

  result = balise_tags_copy (tags);

  for (guint i = 0; i < balise_tags_get_size (self->tags); i++)
    balise_tags_set (result, balise_tags_get_key (self->tags, i), balise_tags_get_value (self->tags, i));

  for (guint i = 0; i < self->fields->len; i++)
    {
      BalisePresetField *field = g_ptr_array_index (self->fields, i);
      const char *key = balise_preset_field_get_key (field);
      g_autofree char *value = NULL;
      g_autoptr(GError) local_error = NULL;

      value = balise_preset_field_normalize (field, values ? g_hash_table_lookup (values, key) : NULL,
                                             &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (balise_preset_field_is_prefix (field))
        {
          g_auto(GStrv) answers = value ? g_strsplit (value, ";", -1) : NULL;

          remove_prefixed (field, result);
          for (guint j = 0; answers != NULL && answers[j] != NULL; j++)
            {
              g_autofree char *prefixed = g_strconcat (key, answers[j], NULL);

              balise_tags_set (result, prefixed, "yes");
            }
        }
      else if (value != NULL)
        {
          balise_tags_set (result, key, value);
        }
      else
        {
          const char *existing = balise_tags_lookup (tags, key);
          g_autoptr(GError) shown_error = NULL;
          g_autofree char *shown = NULL;

          /* A value the form cannot show (wheelchair=designated, say) came
           * back as "unknown": it is kept, never silently removed. */
          if (existing != NULL)
            shown = balise_preset_field_normalize (field, existing, &shown_error);
          if (shown_error != NULL)
            continue;
          balise_tags_remove (result, key);
        }
    }

  if (!balise_tags_validate (result, error))
    return FALSE;

  /* Copy back in place: the caller's reference stays valid. */
  while (balise_tags_get_size (tags) > 0)
    balise_tags_remove (tags, balise_tags_get_key (tags, 0));
  for (guint i = 0; i < balise_tags_get_size (result); i++)
    balise_tags_set (tags, balise_tags_get_key (result, i), balise_tags_get_value (result, i));

  return TRUE;
}

/**
 * balise_preset_build_tags:
 * @self: a #BalisePreset
 * @values: (element-type utf8 utf8) (nullable): the answers by field key
 * @error: where to put the first wrong answer
 *
 * The tags of a new element: the form's answers, as
 * balise_preset_apply_values() writes them, on the preset's tags.
 *
 * Returns: (transfer full) (nullable): the tags
 */
BaliseTags *
balise_preset_build_tags (BalisePreset  *self,
                          GHashTable    *values,
                          GError       **error)
{
  g_autoptr(BaliseTags) tags = balise_tags_new ();

  g_return_val_if_fail (BALISE_IS_PRESET (self), NULL);

  if (!balise_preset_apply_values (self, tags, values, error))
    return NULL;

  return g_steal_pointer (&tags);
}

/**
 * balise_preset_values_from_tags:
 * @self: a #BalisePreset
 * @tags: (nullable): the tags of an existing element
 *
 * The answers a form starts from when it edits an existing element: the
 * value of each field's tag, and for a field that writes one tag per option,
 * the options set to "yes" joined with ";".
 *
 * Returns: (transfer full) (element-type utf8 utf8): the answers by key
 */
GHashTable *
balise_preset_values_from_tags (BalisePreset *self,
                                BaliseTags   *tags)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_val_if_fail (BALISE_IS_PRESET (self), values);

  for (guint i = 0; tags != NULL && i < self->fields->len; i++)
    {
      BalisePresetField *field = g_ptr_array_index (self->fields, i);
      const char *key = balise_preset_field_get_key (field);

      if (balise_preset_field_is_prefix (field))
        {
          g_autoptr(GString) joined = g_string_new (NULL);

          for (guint j = 0; j < balise_preset_field_get_n_options (field); j++)
            {
              const char *option = balise_preset_field_get_option_value (field, j);
              g_autofree char *prefixed = g_strconcat (key, option, NULL);

              if (g_strcmp0 (balise_tags_lookup (tags, prefixed), "yes") != 0)
                continue;
              if (joined->len > 0)
                g_string_append_c (joined, ';');
              g_string_append (joined, option);
            }

          if (joined->len > 0)
            g_hash_table_insert (values, g_strdup (key), g_string_free (g_steal_pointer (&joined), FALSE));
        }
      else if (balise_tags_lookup (tags, key) != NULL)
        {
          g_hash_table_insert (values, g_strdup (key), g_strdup (balise_tags_lookup (tags, key)));
        }
    }

  return values;
}

/* An answer as a human reads it: the labels of the chosen options. */
static char *
describe_answer (BalisePresetField *field,
                 const char        *value)
{
  g_auto(GStrv) answers = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (balise_preset_field_get_field_type (field) != BALISE_PRESET_FIELD_MULTI_COMBO)
    {
      const char *label = balise_preset_field_lookup_option_label (field, value);

      return g_strdup (label ? label : value);
    }

  answers = g_strsplit (value, ";", -1);
  for (guint i = 0; answers[i] != NULL; i++)
    {
      const char *label = balise_preset_field_lookup_option_label (field, answers[i]);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, label ? label : answers[i]);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * balise_preset_build_note_text:
 * @self: a #BalisePreset of kind %BALISE_PRESET_NOTE
 * @values: (element-type utf8 utf8) (nullable): the answers by field key
 * @osm_type: the type of the element the fault concerns
 * @osm_id: its id, or 0 when it concerns no element
 * @site_url: (nullable): the website of the OSM server, for the link to the
 *   element; %NULL for openstreetmap.org
 * @error: where to put the first wrong answer
 *
 * Writes the text of a fault's note for the mappers who will read it: the
 * kind of fault in the volunteer's language with its category in English,
 * one line per answered field, and a link to the element it concerns.
 *
 * Returns: (transfer full) (nullable): the text
 */
char *
balise_preset_build_note_text (BalisePreset   *self,
                               GHashTable     *values,
                               BaliseOsmType   osm_type,
                               gint64          osm_id,
                               const char     *site_url,
                               GError        **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *name_folded = NULL;
  g_autofree char *category_folded = NULL;

  g_return_val_if_fail (BALISE_IS_PRESET (self), NULL);

  if (self->kind != BALISE_PRESET_NOTE)
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_VALUE,
                   "The preset “%s” records tags, not a note", self->id);
      return NULL;
    }

  /* "Nid-de-poule [pothole]": mappers anywhere can sort notes by category. */
  g_string_append (text, balise_preset_get_name (self));
  name_folded = g_utf8_casefold (balise_preset_get_name (self), -1);
  category_folded = g_utf8_casefold (self->note_category, -1);
  if (!g_str_equal (name_folded, category_folded))
    g_string_append_printf (text, " [%s]", self->note_category);
  g_string_append_c (text, '\n');

  for (guint i = 0; i < self->fields->len; i++)
    {
      BalisePresetField *field = g_ptr_array_index (self->fields, i);
      const char *key = balise_preset_field_get_key (field);
      g_autofree char *value = NULL;
      g_autofree char *answer = NULL;
      g_autoptr(GError) local_error = NULL;

      value = balise_preset_field_normalize (field, values ? g_hash_table_lookup (values, key) : NULL,
                                             &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      if (value == NULL)
        continue;

      answer = describe_answer (field, value);
      /* Translators: a line of a note: a field of the form, then its answer */
      g_string_append_printf (text, _("%s: %s"), balise_preset_field_get_label (field), answer);
      g_string_append_c (text, '\n');
    }

  if (osm_id > 0)
    {
      g_autofree char *url = g_strdup_printf ("%s/%s/%" G_GINT64_FORMAT,
                                              site_url ? site_url : DEFAULT_SITE_URL,
                                              balise_osm_type_to_string (osm_type), osm_id);

      /* Translators: %s is the web address of the element a fault concerns */
      g_string_append_printf (text, _("Concerns: %s"), url);
      g_string_append_c (text, '\n');
    }

  /* Translators: the last line of a fault's note */
  g_string_append (text, _("Recorded on the spot with Balise"));

  if (g_utf8_strlen (text->str, -1) > BALISE_NOTE_MAX_CHARS)
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_VALUE,
                   _("The note is too long: %ld characters, where OpenStreetMap allows %d"),
                   g_utf8_strlen (text->str, -1), BALISE_NOTE_MAX_CHARS);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
