/* balise-preset-field.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-preset-field"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>

#include "balise-opening-hours.h"
#include "balise-preset-field.h"
#include "balise-tags.h"

/* A field of a preset, read from JSON:
 *
 *   { "key": "wheelchair", "type": "check", "label": "Wheelchair Access",
 *     "options": [ { "value": "yes", "label": "Yes" }, … ],
 *     "required": false, "placeholder": "…", "custom": false,
 *     "min": 0, "max": 10, "integer": true }
 *
 * Labels are English msgids, translated when asked for in the preset's
 * gettext domain. A multi_combo whose key ends with ":" writes one
 * "key:value=yes" tag per answer (recycling:glass_bottles=yes); any other
 * joins its answers with ";" (route_ref=12;34). */

typedef struct
{
  char *value;
  char *label;
} Option;

struct _BalisePresetField
{
  GObject                parent_instance;

  char                  *key;
  char                  *label;
  char                  *placeholder;
  char                  *domain;
  GArray                *options;     /* of Option */
  double                 min;
  double                 max;

  BalisePresetFieldType  type;
  guint                  required : 1;
  guint                  custom : 1;
  guint                  integer : 1;
  guint                  has_range : 1;
};

G_DEFINE_FINAL_TYPE (BalisePresetField, balise_preset_field, G_TYPE_OBJECT)

G_DEFINE_QUARK (balise-preset-error-quark, balise_preset_error)

static const char *type_names[] = {
  "text", "number", "check", "combo", "multi_combo", "opening_hours", "date",
};

/* Dates may be a day ahead of UTC in the volunteer's time zone, no more. */
#define DATE_SLACK_DAYS 1

const char *
balise_preset_field_type_to_string (BalisePresetFieldType type)
{
  g_return_val_if_fail (type < G_N_ELEMENTS (type_names), NULL);

  return type_names[type];
}

gboolean
balise_preset_field_type_from_string (const char            *str,
                                      BalisePresetFieldType *type)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (type_names); i++)
    {
      if (g_str_equal (str, type_names[i]))
        {
          *type = (BalisePresetFieldType) i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
option_clear (gpointer data)
{
  Option *option = data;

  g_clear_pointer (&option->value, g_free);
  g_clear_pointer (&option->label, g_free);
}

static const char *
translate (BalisePresetField *self,
           const char        *msgid)
{
  if (msgid == NULL || msgid[0] == '\0')
    return msgid;

  return g_dgettext (self->domain, msgid);
}

static void
balise_preset_field_finalize (GObject *object)
{
  BalisePresetField *self = (BalisePresetField *)object;

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->placeholder, g_free);
  g_clear_pointer (&self->domain, g_free);
  g_clear_pointer (&self->options, g_array_unref);

  G_OBJECT_CLASS (balise_preset_field_parent_class)->finalize (object);
}

static void
balise_preset_field_class_init (BalisePresetFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = balise_preset_field_finalize;
}

static void
balise_preset_field_init (BalisePresetField *self)
{
  self->options = g_array_new (FALSE, TRUE, sizeof (Option));
  g_array_set_clear_func (self->options, option_clear);
}

static gboolean
read_string (JsonObject  *object,
             const char  *member,
             gboolean     required,
             const char  *field_key,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL && !required)
    return TRUE;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      json_node_get_string (node)[0] == '\0')
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "The field “%s” needs a non-empty string “%s”",
                   field_key ? field_key : "(no key)", member);
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_options (BalisePresetField  *self,
              JsonObject         *object,
              GError            **error)
{
  JsonArray *array;
  JsonNode *node = json_object_get_member (object, "options");

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "The options of the field “%s” are not a list", self->key);
      return FALSE;
    }

  array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      Option option = { NULL, NULL };

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                       "Option %u of the field “%s” is not an object", i + 1, self->key);
          return FALSE;
        }

      if (!read_string (json_node_get_object (element), "value", TRUE, self->key, &option.value, error) ||
          !read_string (json_node_get_object (element), "label", TRUE, self->key, &option.label, error))
        {
          option_clear (&option);
          return FALSE;
        }

      if (strchr (option.value, ';') != NULL || !balise_tag_validate ("key", option.value, error))
        {
          g_clear_error (error);
          g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                       "The option “%s” of the field “%s” is not a valid OSM value",
                       option.value, self->key);
          option_clear (&option);
          return FALSE;
        }

      g_array_append_val (self->options, option);
    }

  return TRUE;
}

/**
 * balise_preset_field_new_from_json:
 * @object: the field's JSON object
 * @domain: the gettext domain of its labels
 * @error: where to put an error
 *
 * Reads a field. An unknown "type", a missing key or label, or options on a
 * type that has none fail with %BALISE_PRESET_ERROR naming the field.
 *
 * Returns: (transfer full) (nullable): the field
 */
BalisePresetField *
balise_preset_field_new_from_json (JsonObject  *object,
                                   const char  *domain,
                                   GError     **error)
{
  g_autoptr(BalisePresetField) self = NULL;
  g_autofree char *type = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  self = g_object_new (BALISE_TYPE_PRESET_FIELD, NULL);
  self->domain = g_strdup (domain);

  if (!read_string (object, "key", TRUE, NULL, &self->key, error) ||
      !read_string (object, "type", TRUE, self->key, &type, error) ||
      !read_string (object, "label", TRUE, self->key, &self->label, error) ||
      !read_string (object, "placeholder", FALSE, self->key, &self->placeholder, error))
    return NULL;

  if (!balise_preset_field_type_from_string (type, &self->type))
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_UNKNOWN_TYPE,
                   "The field “%s” has the unknown type “%s” (known: text, number, check, "
                   "combo, multi_combo, opening_hours, date)", self->key, type);
      return NULL;
    }

  if (!balise_tag_validate (self->key, "yes", error))
    {
      g_prefix_error (error, "The field “%s”: ", self->key);
      return NULL;
    }

  self->required = json_object_get_boolean_member_with_default (object, "required", FALSE);
  self->custom = json_object_get_boolean_member_with_default (object, "custom", FALSE);
  self->integer = json_object_get_boolean_member_with_default (object, "integer", FALSE);

  if (json_object_has_member (object, "min") || json_object_has_member (object, "max"))
    {
      self->has_range = TRUE;
      self->min = json_object_get_double_member_with_default (object, "min", -G_MAXDOUBLE);
      self->max = json_object_get_double_member_with_default (object, "max", G_MAXDOUBLE);
    }

  if (!read_options (self, object, error))
    return NULL;

  switch (self->type)
    {
    case BALISE_PRESET_FIELD_CHECK:
      /* Yes and no unless the field says otherwise (wheelchair=limited). */
      if (self->options->len == 0)
        {
          Option yes = { g_strdup ("yes"), g_strdup (N_("Yes")) };
          Option no = { g_strdup ("no"), g_strdup (N_("No")) };

          g_array_append_val (self->options, yes);
          g_array_append_val (self->options, no);
        }
      break;

    case BALISE_PRESET_FIELD_COMBO:
    case BALISE_PRESET_FIELD_MULTI_COMBO:
      if (self->options->len == 0 && !self->custom)
        {
          g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                       "The field “%s” is a %s without options", self->key, type);
          return NULL;
        }
      break;

    case BALISE_PRESET_FIELD_TEXT:
    case BALISE_PRESET_FIELD_NUMBER:
    case BALISE_PRESET_FIELD_OPENING_HOURS:
    case BALISE_PRESET_FIELD_DATE:
    default:
      if (self->options->len > 0)
        {
          g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                       "The field “%s” is a %s: it takes no options", self->key, type);
          return NULL;
        }
      break;
    }

  if (balise_preset_field_is_prefix (self) && self->custom)
    {
      g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE,
                   "The field “%s” writes one tag per option: it cannot take custom values",
                   self->key);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
balise_preset_field_get_key (BalisePresetField *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), NULL);

  return self->key;
}

BalisePresetFieldType
balise_preset_field_get_field_type (BalisePresetField *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), BALISE_PRESET_FIELD_TEXT);

  return self->type;
}

gboolean
balise_preset_field_get_required (BalisePresetField *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), FALSE);

  return self->required;
}

/* TRUE when the answers are not limited to the options. */
gboolean
balise_preset_field_get_custom (BalisePresetField *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), FALSE);

  return self->custom;
}

/* TRUE for a multi_combo that writes one "key:option=yes" tag per answer. */
gboolean
balise_preset_field_is_prefix (BalisePresetField *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), FALSE);

  return self->type == BALISE_PRESET_FIELD_MULTI_COMBO && g_str_has_suffix (self->key, ":");
}

/* The label in the volunteer's language. */
const char *
balise_preset_field_get_label (BalisePresetField *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), NULL);

  return translate (self, self->label);
}

const char *
balise_preset_field_get_label_untranslated (BalisePresetField *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), NULL);

  return self->label;
}

const char *
balise_preset_field_get_placeholder (BalisePresetField *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), NULL);

  return translate (self, self->placeholder);
}

guint
balise_preset_field_get_n_options (BalisePresetField *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), 0);

  return self->options->len;
}

const char *
balise_preset_field_get_option_value (BalisePresetField *self,
                                      guint              index)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), NULL);
  g_return_val_if_fail (index < self->options->len, NULL);

  return g_array_index (self->options, Option, index).value;
}

const char *
balise_preset_field_get_option_label (BalisePresetField *self,
                                      guint              index)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), NULL);
  g_return_val_if_fail (index < self->options->len, NULL);

  return translate (self, g_array_index (self->options, Option, index).label);
}

/* The translated label of the option @value, or %NULL when it is none of them. */
const char *
balise_preset_field_lookup_option_label (BalisePresetField *self,
                                         const char        *value)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), NULL);

  for (guint i = 0; value != NULL && i < self->options->len; i++)
    {
      if (g_str_equal (g_array_index (self->options, Option, i).value, value))
        return balise_preset_field_get_option_label (self, i);
    }

  return NULL;
}

gboolean
balise_preset_field_get_range (BalisePresetField *self,
                               double            *min,
                               double            *max)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), FALSE);

  if (min != NULL)
    *min = self->has_range ? self->min : -G_MAXDOUBLE;
  if (max != NULL)
    *max = self->has_range ? self->max : G_MAXDOUBLE;

  return self->has_range;
}

static gboolean
set_invalid (BalisePresetField  *self,
             GError            **error,
             const char         *reason)
{
  g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_VALUE,
               /* Translators: “%s” is a field of a form, then why its answer is wrong */
               _("%s: %s"), balise_preset_field_get_label (self), reason);
  return FALSE;
}

static gboolean
is_option (BalisePresetField *self,
           const char        *value)
{
  for (guint i = 0; i < self->options->len; i++)
    {
      if (g_str_equal (g_array_index (self->options, Option, i).value, value))
        return TRUE;
    }

  return FALSE;
}

static char *
normalize_number (BalisePresetField  *self,
                  const char         *text,
                  GError            **error)
{
  g_autofree char *copy = g_strdup (text);
  g_autofree char *reason = NULL;
  char *end = NULL;
  char *comma;
  double number;

  /* A decimal comma, as many keyboards type it; OSM wants a point. */
  if ((comma = strchr (copy, ',')) && strchr (copy, '.') == NULL && strchr (comma + 1, ',') == NULL)
    *comma = '.';

  number = g_ascii_strtod (copy, &end);

  if (end == copy || *end != '\0' || !isfinite (number))
    {
      set_invalid (self, error, _("not a number"));
      return NULL;
    }

  if (self->integer && number != floor (number))
    {
      set_invalid (self, error, _("a whole number is needed"));
      return NULL;
    }

  if (self->has_range && (number < self->min || number > self->max))
    {
      reason = g_strdup_printf (_("must be between %g and %g"), self->min, self->max);
      set_invalid (self, error, reason);
      return NULL;
    }

  if (self->integer)
    return g_strdup_printf ("%.0f", number);

  return g_steal_pointer (&copy);
}

static char *
normalize_date (BalisePresetField  *self,
                const char         *text,
                GError            **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) latest = g_date_time_add_days (now, DATE_SLACK_DAYS);
  g_autoptr(GDateTime) date = NULL;
  guint year = 0, month = 0, day = 0;
  int consumed = 0;

  if (strlen (text) != 10 ||
      sscanf (text, "%4u-%2u-%2u%n", &year, &month, &day, &consumed) != 3 ||
      consumed != 10 ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[8]) ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      set_invalid (self, error, _("not a date written as YYYY-MM-DD"));
      return NULL;
    }

  date = g_date_time_new_utc ((int) year, (int) month, (int) day, 0, 0, 0);

  if (date == NULL || g_date_time_compare (date, latest) > 0)
    {
      set_invalid (self, error, _("the date is in the future"));
      return NULL;
    }

  return g_strdup (text);
}

static char *
normalize_multi (BalisePresetField  *self,
                 const char         *text,
                 GError            **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  /* Volunteers type "12, 34" as often as OSM's "12;34". */
  parts = g_strsplit_set (text, ";,", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      gboolean seen = FALSE;

      if (part[0] == '\0')
        continue;

      if (!self->custom && !is_option (self, part))
        {
          g_autofree char *reason = g_strdup_printf (_("“%s” is not one of the answers"), part);

          set_invalid (self, error, reason);
          return NULL;
        }

      for (guint j = 0; j < values->len; j++)
        seen |= g_str_equal (g_ptr_array_index (values, j), part);

      if (!seen)
        g_ptr_array_add (values, g_strdup (part));
    }

  if (values->len == 0)
    return NULL;

  g_ptr_array_add (values, NULL);
  return g_strjoinv (";", (char **) values->pdata);
}

/**
 * balise_preset_field_normalize:
 * @self: a #BalisePresetField
 * @value: (nullable): the answer as the form holds it
 * @error: where to put why the answer is wrong
 *
 * Checks an answer against the field's type and OSM's rules, and writes it
 * as OSM expects: stripped, numbers with a decimal point, lists joined with
 * ";". An empty answer is "unknown": %NULL with no error, or
 * %BALISE_PRESET_ERROR_REQUIRED for a required field. Errors name the field
 * by its label, in the volunteer's language.
 *
 * Returns: (transfer full) (nullable): the value to write
 */
char *
balise_preset_field_normalize (BalisePresetField  *self,
                               const char         *value,
                               GError            **error)
{
  g_autofree char *text = NULL;
  g_autofree char *result = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (BALISE_IS_PRESET_FIELD (self), NULL);

  text = g_strstrip (g_strdup (value ? value : ""));

  if (text[0] != '\0')
    {
      if (!g_utf8_validate (text, -1, NULL))
        {
          set_invalid (self, error, _("not valid text"));
          return NULL;
        }

      switch (self->type)
        {
        case BALISE_PRESET_FIELD_NUMBER:
          if (!(result = normalize_number (self, text, error)))
            return NULL;
          break;

        case BALISE_PRESET_FIELD_DATE:
          if (!(result = normalize_date (self, text, error)))
            return NULL;
          break;

        case BALISE_PRESET_FIELD_MULTI_COMBO:
          result = normalize_multi (self, text, &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          break;

        case BALISE_PRESET_FIELD_CHECK:
        case BALISE_PRESET_FIELD_COMBO:
          if (!self->custom && !is_option (self, text))
            {
              g_autofree char *reason = g_strdup_printf (_("“%s” is not one of the answers"), text);

              set_invalid (self, error, reason);
              return NULL;
            }
          result = g_steal_pointer (&text);
          break;

        case BALISE_PRESET_FIELD_OPENING_HOURS:
          if (!balise_opening_hours_validate (text, &local_error))
            {
              set_invalid (self, error, local_error->message);
              return NULL;
            }
          result = g_steal_pointer (&text);
          break;

        case BALISE_PRESET_FIELD_TEXT:
        default:
          result = g_steal_pointer (&text);
          break;
        }
    }

  if (result == NULL)
    {
      if (self->required)
        g_set_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_REQUIRED,
                     /* Translators: %s is a field of a form */
                     _("%s is needed"), balise_preset_field_get_label (self));
      return NULL;
    }

  /* OSM's own rules: 255 characters, no control characters. */
  if (g_utf8_strlen (result, -1) > BALISE_TAG_MAX_CHARS)
    {
      g_autofree char *reason =
        g_strdup_printf (_("too long: %ld characters, where OpenStreetMap allows %d"),
                         g_utf8_strlen (result, -1), BALISE_TAG_MAX_CHARS);

      set_invalid (self, error, reason);
      return NULL;
    }

  if (!balise_tag_validate ("key", result, &local_error))
    {
      set_invalid (self, error, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&result);
}
