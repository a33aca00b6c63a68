/* balise-preset-catalogue.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-preset-catalogue"

#include "config.h"

#include "balise-category.h"
#include "balise-preset-catalogue.h"

/* The presets of a directory of JSON files. A fields file holds the fields
 * that presets share ({ "fields": { "name": { … }, … } }); every other file
 * is a category ({ "category": { "id", "name", "icon", "order" }, "presets": […] }).
 * Categories come by their "order", then in the order they were loaded.
 * Fields files are read first, whatever their names. */

/* Preset files are a few kilobytes; refuse anything that could not be one. */
#define MAX_FILE_SIZE (4 * 1024 * 1024)

typedef struct
{
  char   *id;
  char   *name;
  char   *icon;
  gint64  order;
} Category;

struct _BalisePresetCatalogue
{
  GObject     parent_instance;

  char       *domain;
  GPtrArray  *presets;      /* of BalisePreset, in file order */
  GArray     *categories;   /* of Category */
  GHashTable *by_id;        /* id → BalisePreset (borrowed) */
  GHashTable *fields;       /* name → BalisePresetField */
};

G_DEFINE_FINAL_TYPE (BalisePresetCatalogue, balise_preset_catalogue, G_TYPE_OBJECT)

static void
category_clear (gpointer data)
{
  Category *category = data;

  g_clear_pointer (&category->id, g_free);
  g_clear_pointer (&category->name, g_free);
  g_clear_pointer (&category->icon, g_free);
}

static void
balise_preset_catalogue_finalize (GObject *object)
{
  BalisePresetCatalogue *self = (BalisePresetCatalogue *)object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->presets, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_array_unref);
  g_clear_pointer (&self->domain, g_free);

  G_OBJECT_CLASS (balise_preset_catalogue_parent_class)->finalize (object);
}

static void
balise_preset_catalogue_class_init (BalisePresetCatalogueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = balise_preset_catalogue_finalize;
}

static void
balise_preset_catalogue_init (BalisePresetCatalogue *self)
{
  self->presets = g_ptr_array_new_with_free_func (g_object_unref);
  self->categories = g_array_new (FALSE, TRUE, sizeof (Category));
  g_array_set_clear_func (self->categories, category_clear);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/**
 * balise_preset_catalogue_new:
 * @domain: the gettext domain of the presets' strings
 *
 * Returns: (transfer full): an empty catalogue
 */
BalisePresetCatalogue *
balise_preset_catalogue_new (const char *domain)
{
  BalisePresetCatalogue *self;

  g_return_val_if_fail (domain != NULL, NULL);

  self = g_object_new (BALISE_TYPE_PRESET_CATALOGUE, NULL);
  self->domain = g_strdup (domain);

  return self;
}

static gboolean
is_fields_file (JsonObject *root)
{
  return json_object_has_member (root, "fields") && !json_object_has_member (root, "presets");
}

static gboolean
load_fields (BalisePresetCatalogue  *self,
             const char             *name,
             JsonObject             *root,
             GError                **error)
{
  JsonNode *node = json_object_get_member (root, "fields");
  JsonObjectIter iter;
  const char *field_name;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "%s: “fields” is not an object", name);
      return FALSE;
    }

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &field_name, &value))
    {
      g_autoptr(BalisePresetField) field = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (value))
        {
          g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                       "%s: the field “%s” is not an object", name, field_name);
          return FALSE;
        }

      if (!(field = balise_preset_field_new_from_json (json_node_get_object (value), self->domain, error)))
        {
          g_prefix_error (error, "%s: ", name);
          return FALSE;
        }

      if (g_hash_table_contains (self->fields, field_name))
        {
          g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                       "%s: the field “%s” is defined twice", name, field_name);
          return FALSE;
        }

      g_hash_table_insert (self->fields, g_strdup (field_name), g_steal_pointer (&field));
    }

  return TRUE;
}

static gboolean
load_category (BalisePresetCatalogue  *self,
               const char             *name,
               JsonObject             *root,
               GError                **error)
{
  g_autoptr(GPtrArray) presets = g_ptr_array_new_with_free_func (g_object_unref);
  JsonNode *category_node = json_object_get_member (root, "category");
  JsonNode *presets_node = json_object_get_member (root, "presets");
  JsonObject *category_object;
  Category category = { NULL, NULL, NULL, 0 };
  JsonArray *array;
  guint index;

  if (category_node == NULL || !JSON_NODE_HOLDS_OBJECT (category_node) ||
      presets_node == NULL || !JSON_NODE_HOLDS_ARRAY (presets_node))
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "%s: a preset file needs a “category” object and a “presets” list", name);
      return FALSE;
    }

  category_object = json_node_get_object (category_node);
  if (!json_object_has_member (category_object, "id") || !json_object_has_member (category_object, "name") ||
      json_node_get_value_type (json_object_get_member (category_object, "id")) != G_TYPE_STRING ||
      json_node_get_value_type (json_object_get_member (category_object, "name")) != G_TYPE_STRING)
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "%s: the category needs an id and a name", name);
      return FALSE;
    }

  array = json_node_get_array (presets_node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      BalisePreset *preset;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                       "%s: preset %u is not an object", name, i + 1);
          return FALSE;
        }

      preset = balise_preset_new_from_json (json_node_get_object (element),
                                            json_object_get_string_member (category_object, "id"),
                                            self->fields, self->domain, error);
      if (preset == NULL)
        {
          g_prefix_error (error, "%s: ", name);
          return FALSE;
        }

      g_ptr_array_add (presets, preset);

      for (guint j = 0; j < presets->len - 1; j++)
        {
          if (g_str_equal (balise_preset_get_id (g_ptr_array_index (presets, j)), balise_preset_get_id (preset)))
            goto duplicate;
        }
      if (g_hash_table_contains (self->by_id, balise_preset_get_id (preset)))
        goto duplicate;
      continue;

    duplicate:
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "%s: two presets have the id “%s”", name, balise_preset_get_id (preset));
      return FALSE;
    }

  /* All or nothing: a file that fails adds no preset. */
  for (guint i = 0; i < presets->len; i++)
    {
      BalisePreset *preset = g_ptr_array_index (presets, i);

      g_hash_table_insert (self->by_id, (gpointer) balise_preset_get_id (preset), preset);
      g_ptr_array_add (self->presets, g_object_ref (preset));
    }

  category.id = g_strdup (json_object_get_string_member (category_object, "id"));
  category.name = g_strdup (json_object_get_string_member (category_object, "name"));
  category.icon = g_strdup (json_object_get_string_member_with_default (category_object, "icon", NULL));
  category.order = json_object_get_int_member_with_default (category_object, "order", G_MAXINT);

  /* Keep them sorted: after the last one of the same order or lower. */
  for (index = self->categories->len; index > 0; index--)
    {
      if (g_array_index (self->categories, Category, index - 1).order <= category.order)
        break;
    }
  g_array_insert_val (self->categories, index, category);

  return TRUE;
}

static JsonNode *
parse (const char  *name,
       const char  *data,
       gssize       length,
       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (parser, data, length, error))
    {
      g_prefix_error (error, "%s: ", name);
      if (error != NULL && (*error)->domain != BALISE_PRESET_ERROR)
        {
          GError *wrapped = g_error_new_literal (BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                                                 (*error)->message);
          g_clear_error (error);
          g_propagate_error (error, wrapped);
        }
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "%s: not a JSON object", name);
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

/**
 * balise_preset_catalogue_load_data:
 * @self: a #BalisePresetCatalogue
 * @name: the file's name, for messages
 * @data: the JSON text of a fields file or a category file
 * @length: its length, or -1 when nul-terminated
 * @error: where to put what is wrong, naming @name
 *
 * Adds one file. A category file refers to fields loaded before it.
 *
 * Returns: %TRUE if the file was loaded; on error nothing of it is
 */
gboolean
balise_preset_catalogue_load_data (BalisePresetCatalogue  *self,
                                   const char             *name,
                                   const char             *data,
                                   gssize                  length,
                                   GError                **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (!(root = parse (name, data, length, error)))
    return FALSE;

  if (is_fields_file (json_node_get_object (root)))
    return load_fields (self, name, json_node_get_object (root), error);

  return load_category (self, name, json_node_get_object (root), error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * balise_preset_catalogue_load_directory:
 * @self: a #BalisePresetCatalogue
 * @path: a directory of *.json preset files
 * @error: where to put what is wrong, naming the file
 *
 * Reads every *.json file of @path: the fields files first, then the
 * categories in the order of their file names. Any file that fails stops
 * the load with an error naming it.
 *
 * Returns: %TRUE if every file was loaded
 */
gboolean
balise_preset_catalogue_load_directory (BalisePresetCatalogue  *self,
                                        const char             *path,
                                        GError                **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) roots = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  const char *entry;

  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!(dir = g_dir_open (path, 0, error)))
    return FALSE;

  while ((entry = g_dir_read_name (dir)))
    {
      if (g_str_has_suffix (entry, ".json"))
        g_ptr_array_add (names, g_strdup (entry));
    }

  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_autofree char *data = NULL;
      gsize length;
      JsonNode *root;

      if (!g_file_get_contents (file, &data, &length, error))
        return FALSE;

      if (length > MAX_FILE_SIZE)
        {
          g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                       "%s: larger than %d bytes", name, MAX_FILE_SIZE);
          return FALSE;
        }

      if (!(root = parse (name, data, (gssize) length, error)))
        return FALSE;

      g_ptr_array_add (roots, root);
    }

  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < roots->len; i++)
        {
          JsonObject *root = json_node_get_object (g_ptr_array_index (roots, i));
          const char *name = g_ptr_array_index (names, i);
          gboolean fields = is_fields_file (root);

          if (pass == 0 && fields && !load_fields (self, name, root, error))
            return FALSE;
          if (pass == 1 && !fields && !load_category (self, name, root, error))
            return FALSE;
        }
    }

  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  BalisePresetCatalogue *self = source_object;
  GError *error = NULL;

  if (balise_preset_catalogue_load_directory (self, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * balise_preset_catalogue_load_async:
 *
 * Loads @path as balise_preset_catalogue_load_directory() does, on a
 * thread. Use the catalogue only once the load has finished.
 */
void
balise_preset_catalogue_load_async (BalisePresetCatalogue *self,
                                    const char            *path,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BALISE_IS_PRESET_CATALOGUE (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_preset_catalogue_load_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
balise_preset_catalogue_load_finish (BalisePresetCatalogue  *self,
                                     GAsyncResult           *result,
                                     GError                **error)
{
  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Returns: (transfer none) (element-type BalisePreset): every preset, in file order */
GPtrArray *
balise_preset_catalogue_get_presets (BalisePresetCatalogue *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (self), NULL);

  return self->presets;
}

guint
balise_preset_catalogue_get_n_categories (BalisePresetCatalogue *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (self), 0);

  return self->categories->len;
}

const char *
balise_preset_catalogue_get_category_id (BalisePresetCatalogue *self,
                                         guint                  index)
{
  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (self), NULL);
  g_return_val_if_fail (index < self->categories->len, NULL);

  return g_array_index (self->categories, Category, index).id;
}

const char *
balise_preset_catalogue_get_category_name (BalisePresetCatalogue *self,
                                           guint                  index)
{
  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (self), NULL);
  g_return_val_if_fail (index < self->categories->len, NULL);

  return g_dgettext (self->domain, g_array_index (self->categories, Category, index).name);
}

const char *
balise_preset_catalogue_get_category_icon (BalisePresetCatalogue *self,
                                           guint                  index)
{
  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (self), NULL);
  g_return_val_if_fail (index < self->categories->len, NULL);

  return g_array_index (self->categories, Category, index).icon;
}

/* Returns: (transfer none) (nullable): the preset called @id */
BalisePreset *
balise_preset_catalogue_lookup (BalisePresetCatalogue *self,
                                const char            *id)
{
  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (self), NULL);

  return id ? g_hash_table_lookup (self->by_id, id) : NULL;
}

typedef struct
{
  BalisePreset *preset;
  guint         score;
  guint         order;
} Hit;

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const Hit *hit_a = a;
  const Hit *hit_b = b;

  if (hit_a->score != hit_b->score)
    return hit_a->score > hit_b->score ? -1 : 1;

  return hit_a->order < hit_b->order ? -1 : (hit_a->order > hit_b->order);
}

static guint
score_preset (BalisePreset *preset,
              const char   *folded,
              const char   *text)
{
  const char *name = balise_preset_get_name (preset);
  const char *terms = balise_preset_get_terms (preset);
  g_autofree char *name_folded = g_utf8_casefold (name, -1);

  if (g_str_has_prefix (name_folded, folded))
    return 4;
  if (g_str_match_string (text, name, TRUE))
    return 3;
  if (g_str_match_string (text, balise_preset_get_name_untranslated (preset), TRUE))
    return 2;
  if (terms != NULL && g_str_match_string (text, terms, TRUE))
    return 1;

  return 0;
}

/**
 * balise_preset_catalogue_search:
 * @self: a #BalisePresetCatalogue
 * @text: what the volunteer typed
 * @limit: at most this many results, 0 for all
 *
 * Finds presets by their name in the volunteer's language (accents and
 * case ignored, each word a prefix of a word of the name), their English
 * name, and their other terms: names that start with @text first.
 *
 * Returns: (transfer container) (element-type BalisePreset): the presets
 */
GPtrArray *
balise_preset_catalogue_search (BalisePresetCatalogue *self,
                                const char            *text,
                                guint                  limit)
{
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  g_autofree char *stripped = NULL;
  g_autofree char *folded = NULL;
  GPtrArray *result;

  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  result = g_ptr_array_new_with_free_func (g_object_unref);
  stripped = g_strstrip (g_strdup (text));
  if (stripped[0] == '\0')
    return result;
  folded = g_utf8_casefold (stripped, -1);

  for (guint i = 0; i < self->presets->len; i++)
    {
      Hit hit = { g_ptr_array_index (self->presets, i), 0, i };

      if ((hit.score = score_preset (hit.preset, folded, stripped)) > 0)
        g_array_append_val (hits, hit);
    }

  g_array_sort (hits, compare_hits);

  for (guint i = 0; i < hits->len && (limit == 0 || i < limit); i++)
    g_ptr_array_add (result, g_object_ref (g_array_index (hits, Hit, i).preset));

  return result;
}

/**
 * balise_preset_catalogue_match_tags:
 * @self: a #BalisePresetCatalogue
 * @tags: the tags of an element
 *
 * Finds the preset of an element: the one whose tags it all has, the most
 * specific first (the food bank before the social facility).
 *
 * Returns: (transfer none) (nullable): the preset
 */
BalisePreset *
balise_preset_catalogue_match_tags (BalisePresetCatalogue *self,
                                    BaliseTags            *tags)
{
  BalisePreset *best = NULL;
  guint best_score = 0;

  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (self), NULL);

  for (guint i = 0; tags != NULL && i < self->presets->len; i++)
    {
      BalisePreset *preset = g_ptr_array_index (self->presets, i);
      guint score = balise_preset_match_tags (preset, tags);

      if (score > best_score)
        {
          best = preset;
          best_score = score;
        }
    }

  return best;
}

/**
 * balise_preset_catalogue_match_element:
 * @self: a #BalisePresetCatalogue
 * @tags: the tags of an element on the map
 *
 * Finds the form to edit an element with: the preset whose tags it all
 * has (balise_preset_catalogue_match_tags()), or else the first preset of
 * its kind (an old bus stop tagged highway=bus_stop alone gets the bus
 * stop's form, which adds the tags it lacks).
 *
 * Returns: (transfer none) (nullable): the preset
 */
BalisePreset *
balise_preset_catalogue_match_element (BalisePresetCatalogue *self,
                                       BaliseTags            *tags)
{
  static const char * const generic[] = {
    "amenity", "shop", "tourism", "leisure", "road", "building", "water", "landuse", "place",
    "railway", NULL
  };
  BalisePreset *preset;
  const char *category;

  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (self), NULL);

  if (tags == NULL)
    return NULL;

  if ((preset = balise_preset_catalogue_match_tags (self, tags)))
    return preset;

  /* A kind, not the catch-all of its key: any amenity is no toilets. */
  if (!(category = balise_osm_category_for_tags (tags)) ||
      g_strv_contains (generic, category))
    return NULL;

  for (guint i = 0; i < self->presets->len; i++)
    {
      preset = g_ptr_array_index (self->presets, i);

      if (balise_preset_get_kind (preset) == BALISE_PRESET_ELEMENT &&
          g_strcmp0 (balise_osm_category_for_tags (balise_preset_get_tags (preset)), category) == 0)
        return preset;
    }

  return NULL;
}
