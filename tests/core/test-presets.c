/* test-presets.c: the preset catalogue, its forms, opening hours, drafts
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "balise-core.h"
#include "balise-opening-hours.h"
#include "balise-preset-catalogue.h"
#include "balise-store-drafts.h"
#include "balise-test-utils.h"

static BalisePresetCatalogue *
load_catalogue (void)
{
  g_autoptr(BalisePresetCatalogue) catalogue = balise_preset_catalogue_new (GETTEXT_PACKAGE);
  g_autofree char *dir = g_build_filename (SOURCE_DATADIR, "presets", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (balise_preset_catalogue_load_directory (catalogue, dir, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&catalogue);
}

static GHashTable *
values_new (const char *first_key,
            ...)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *key = first_key;
  va_list args;

  va_start (args, first_key);
  while (key != NULL)
    {
      g_hash_table_insert (values, g_strdup (key), g_strdup (va_arg (args, const char *)));
      key = va_arg (args, const char *);
    }
  va_end (args);

  return values;
}

static void
assert_tags (BaliseTags *tags,
             const char *expected_json)
{
  g_autofree char *json = balise_tags_to_json (tags);

  g_assert_cmpstr (json, ==, expected_json);
}

static void
test_load_all (void)
{
  g_autoptr(BalisePresetCatalogue) catalogue = load_catalogue ();
  GPtrArray *presets = balise_preset_catalogue_get_presets (catalogue);
  const char *expected[] = {
    "bus_stop", "stop_position", "shelter",
    "fault_pothole", "fault_street_light", "fault_shelter", "fault_bench", "fault_kerb_ramp",
    "fault_sign", "fault_dumping", "fault_flooding", "fault_other",
    "drinking_water", "toilets", "defibrillator", "bench", "waste_basket", "recycling",
    "food_bank", "community_centre", "library", "social_facility", "bicycle_parking",
    "public_bookcase", "free_wifi", "charging_station",
  };
  const char *bus_stop_keys[] = {
    "shelter", "bench", "bin", "lit", "tactile_paving", "wheelchair", "name", "ref",
    "local_ref", "route_ref", "departures_board", "check_date",
  };
  guint n_notes = 0;
  BalisePreset *bus_stop;

  g_assert_cmpuint (balise_preset_catalogue_get_n_categories (catalogue), ==, 3);
  /* In the order of their "order", not of their files' names. */
  g_assert_cmpstr (balise_preset_catalogue_get_category_id (catalogue, 0), ==, "transport");
  g_assert_cmpstr (balise_preset_catalogue_get_category_id (catalogue, 1), ==, "resources");
  g_assert_cmpstr (balise_preset_catalogue_get_category_id (catalogue, 2), ==, "faults");
  for (guint i = 0; i < balise_preset_catalogue_get_n_categories (catalogue); i++)
    {
      g_assert_nonnull (balise_preset_catalogue_get_category_name (catalogue, i));
      g_assert_nonnull (balise_preset_catalogue_get_category_icon (catalogue, i));
    }

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      BalisePreset *preset = balise_preset_catalogue_lookup (catalogue, expected[i]);

      g_test_message ("preset %s", expected[i]);
      g_assert_nonnull (preset);
    }

  /* Every preset has what the chooser and the form need, and its fields a
   * known type with what that type needs. */
  g_assert_cmpuint (presets->len, >=, G_N_ELEMENTS (expected));
  for (guint i = 0; i < presets->len; i++)
    {
      BalisePreset *preset = g_ptr_array_index (presets, i);

      g_assert_nonnull (balise_preset_get_name (preset));
      g_assert_nonnull (balise_preset_get_icon_name (preset));
      g_assert_nonnull (balise_preset_get_terms (preset));
      g_assert_cmpuint (balise_preset_get_n_fields (preset), >, 0);
      g_assert_true (balise_preset_catalogue_lookup (catalogue, balise_preset_get_id (preset)) == preset);

      if (balise_preset_get_kind (preset) == BALISE_PRESET_NOTE)
        {
          n_notes++;
          g_assert_cmpstr (balise_preset_get_category (preset), ==, "faults");
          g_assert_nonnull (balise_preset_get_note_category (preset));
        }
      else
        {
          /* The tags of an element preset find that preset again. */
          g_assert_true (balise_preset_catalogue_match_tags (catalogue, balise_preset_get_tags (preset)) == preset);
        }

      for (guint j = 0; j < balise_preset_get_n_fields (preset); j++)
        {
          BalisePresetField *field = balise_preset_get_field (preset, j);
          BalisePresetFieldType type = balise_preset_field_get_field_type (field);

          g_assert_nonnull (balise_preset_field_type_to_string (type));
          g_assert_nonnull (balise_preset_field_get_label (field));
          if (type == BALISE_PRESET_FIELD_CHECK || type == BALISE_PRESET_FIELD_COMBO ||
              (type == BALISE_PRESET_FIELD_MULTI_COMBO && !balise_preset_field_get_custom (field)))
            g_assert_cmpuint (balise_preset_field_get_n_options (field), >=, 2);
        }
    }
  g_assert_cmpuint (n_notes, ==, 9);

  bus_stop = balise_preset_catalogue_lookup (catalogue, "bus_stop");
  g_assert_cmpuint (balise_preset_get_n_fields (bus_stop), ==, G_N_ELEMENTS (bus_stop_keys));
  for (guint i = 0; i < G_N_ELEMENTS (bus_stop_keys); i++)
    g_assert_cmpstr (balise_preset_field_get_key (balise_preset_get_field (bus_stop, i)), ==, bus_stop_keys[i]);
  g_assert_cmpint (balise_preset_field_get_field_type (balise_preset_lookup_field (bus_stop, "route_ref")),
                   ==, BALISE_PRESET_FIELD_MULTI_COMBO);
  g_assert_cmpint (balise_preset_field_get_field_type (balise_preset_lookup_field (bus_stop, "check_date")),
                   ==, BALISE_PRESET_FIELD_DATE);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_load_async (void)
{
  g_autoptr(BalisePresetCatalogue) catalogue = balise_preset_catalogue_new (GETTEXT_PACKAGE);
  g_autofree char *dir = g_build_filename (SOURCE_DATADIR, "presets", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  balise_preset_catalogue_load_async (catalogue, dir, NULL,
                                      store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (balise_preset_catalogue_load_finish (catalogue, result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (balise_preset_catalogue_lookup (catalogue, "toilets"));
}

static void
test_unknown_field_type (void)
{
  g_autoptr(BalisePresetCatalogue) catalogue = balise_preset_catalogue_new (GETTEXT_PACKAGE);
  g_autoptr(GError) error = NULL;
  const char *json =
    "{ \"category\": { \"id\": \"test\", \"name\": \"Test\" },"
    "  \"presets\": ["
    "    { \"id\": \"ok\", \"name\": \"OK\", \"tags\": { \"amenity\": \"bench\" },"
    "      \"fields\": [ { \"key\": \"name\", \"type\": \"text\", \"label\": \"Name\" } ] },"
    "    { \"id\": \"paint\", \"name\": \"Paint\", \"tags\": { \"amenity\": \"bench\" },"
    "      \"fields\": [ { \"key\": \"colour\", \"type\": \"colour_picker\", \"label\": \"Colour\" } ] } ] }";

  g_assert_false (balise_preset_catalogue_load_data (catalogue, "broken.json", json, -1, &error));
  g_assert_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_UNKNOWN_TYPE);
  g_assert_nonnull (strstr (error->message, "broken.json"));
  g_assert_nonnull (strstr (error->message, "paint"));
  g_assert_nonnull (strstr (error->message, "colour_picker"));

  /* All or nothing: the good preset before it did not slip in. */
  g_assert_cmpuint (balise_preset_catalogue_get_presets (catalogue)->len, ==, 0);
  g_assert_cmpuint (balise_preset_catalogue_get_n_categories (catalogue), ==, 0);
  g_assert_null (balise_preset_catalogue_lookup (catalogue, "ok"));
}

static void
test_invalid_files (void)
{
  struct {
    const char *json;
    const char *words;
  } cases[] = {
    { "{ \"category\": ", "broken.json" },
    { "[ 1, 2 ]", "not a JSON object" },
    { "{ \"presets\": [] }", "category" },
    { "{ \"category\": { \"id\": \"t\", \"name\": \"T\" }, \"presets\": ["
      "{ \"id\": \"a\", \"name\": \"A\", \"tags\": { \"amenity\": \"bench\" }, \"fields\": [ \"nowhere\" ] } ] }",
      "nowhere" },
    { "{ \"category\": { \"id\": \"t\", \"name\": \"T\" }, \"presets\": ["
      "{ \"id\": \"a\", \"name\": \"A\", \"tags\": { \"amenity\": \"bench\" } },"
      "{ \"id\": \"a\", \"name\": \"B\", \"tags\": { \"amenity\": \"bench\" } } ] }",
      "two presets" },
    { "{ \"category\": { \"id\": \"t\", \"name\": \"T\" }, \"presets\": ["
      "{ \"id\": \"a\", \"name\": \"A\", \"tags\": { \"amenity\": \"bench\" }, \"fields\": ["
      "{ \"key\": \"name\", \"type\": \"text\", \"label\": \"Name\", \"options\": ["
      "{ \"value\": \"x\", \"label\": \"X\" } ] } ] } ] }",
      "takes no options" },
    { "{ \"category\": { \"id\": \"t\", \"name\": \"T\" }, \"presets\": ["
      "{ \"id\": \"a\", \"name\": \"A\", \"tags\": { \"amenity\": \"bench\" }, \"fields\": ["
      "{ \"key\": \"kind\", \"type\": \"combo\", \"label\": \"Kind\" } ] } ] }",
      "without options" },
    { "{ \"category\": { \"id\": \"t\", \"name\": \"T\" }, \"presets\": ["
      "{ \"id\": \"a\", \"name\": \"A\", \"fields\": [] } ] }",
      "neither tags nor a note" },
    { "{ \"category\": { \"id\": \"t\", \"name\": \"T\" }, \"presets\": ["
      "{ \"id\": \"a\", \"name\": \"A\", \"tags\": { \"amenity\": \"bench\" }, \"fields\": ["
      "{ \"type\": \"text\", \"label\": \"Name\" } ] } ] }",
      "key" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BalisePresetCatalogue) catalogue = balise_preset_catalogue_new (GETTEXT_PACKAGE);
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_false (balise_preset_catalogue_load_data (catalogue, "broken.json", cases[i].json, -1, &error));
      g_assert_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_FILE);
      g_assert_nonnull (strstr (error->message, "broken.json"));
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_cmpuint (balise_preset_catalogue_get_presets (catalogue)->len, ==, 0);
    }
}

static void
test_form_to_tags (void)
{
  g_autoptr(BalisePresetCatalogue) catalogue = load_catalogue ();
  BalisePreset *bus_stop = balise_preset_catalogue_lookup (catalogue, "bus_stop");
  BalisePreset *recycling = balise_preset_catalogue_lookup (catalogue, "recycling");
  BalisePreset *bench = balise_preset_catalogue_lookup (catalogue, "bench");
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(BaliseTags) tags = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing answered: the preset's tags alone. */
  tags = balise_preset_build_tags (bus_stop, NULL, &error);
  g_assert_no_error (error);
  assert_tags (tags, "{\"bus\":\"yes\",\"highway\":\"bus_stop\",\"public_transport\":\"platform\"}");
  g_clear_pointer (&tags, balise_tags_unref);

  values = values_new ("shelter", "yes", "bench", "no", "bin", "yes", "lit", "no",
                       "tactile_paving", "yes", "wheelchair", "limited",
                       "name", "  Place d'Armes ", "ref", "", "route_ref", "12, 34;12; N1",
                       "departures_board", "realtime", "check_date", "2026-11-20",
                       "not_a_field", "ignored", NULL);
  tags = balise_preset_build_tags (bus_stop, values, &error);
  g_assert_no_error (error);
  assert_tags (tags,
               "{\"bench\":\"no\",\"bin\":\"yes\",\"bus\":\"yes\",\"check_date\":\"2026-11-20\","
               "\"departures_board\":\"realtime\",\"highway\":\"bus_stop\",\"lit\":\"no\","
               "\"name\":\"Place d'Armes\",\"public_transport\":\"platform\",\"route_ref\":\"12;34;N1\","
               "\"shelter\":\"yes\",\"tactile_paving\":\"yes\",\"wheelchair\":\"limited\"}");
  g_clear_pointer (&tags, balise_tags_unref);
  g_clear_pointer (&values, g_hash_table_unref);

  /* One tag per accepted material; a decimal comma becomes a point. */
  values = values_new ("recycling:", "glass_bottles;paper, clothes", "recycling_type", "container", NULL);
  tags = balise_preset_build_tags (recycling, values, &error);
  g_assert_no_error (error);
  assert_tags (tags,
               "{\"amenity\":\"recycling\",\"recycling:clothes\":\"yes\",\"recycling:glass_bottles\":\"yes\","
               "\"recycling:paper\":\"yes\",\"recycling_type\":\"container\"}");
  g_clear_pointer (&tags, balise_tags_unref);
  g_clear_pointer (&values, g_hash_table_unref);

  values = values_new ("seats", " 4 ", "backrest", "yes", "material", "wood", NULL);
  tags = balise_preset_build_tags (bench, values, &error);
  g_assert_no_error (error);
  assert_tags (tags, "{\"amenity\":\"bench\",\"backrest\":\"yes\",\"material\":\"wood\",\"seats\":\"4\"}");
}

static void
test_apply_to_existing (void)
{
  g_autoptr(BalisePresetCatalogue) catalogue = load_catalogue ();
  BalisePreset *recycling = balise_preset_catalogue_lookup (catalogue, "recycling");
  g_autoptr(BaliseTags) tags = balise_tags_new ();
  g_autoptr(BaliseTags) before = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;

  balise_tags_set (tags, "amenity", "recycling");
  balise_tags_set (tags, "recycling:paper", "yes");
  balise_tags_set (tags, "recycling:glass_bottles", "yes");
  balise_tags_set (tags, "operator", "Ville");
  balise_tags_set (tags, "source", "survey");

  /* The form starts from what the element has. */
  values = balise_preset_values_from_tags (recycling, tags);
  g_assert_cmpstr (g_hash_table_lookup (values, "recycling:"), ==, "glass_bottles;paper");
  g_assert_cmpstr (g_hash_table_lookup (values, "operator"), ==, "Ville");
  g_assert_false (g_hash_table_contains (values, "source"));

  /* Paper taken off, cans added, the operator cleared: other tags stay. */
  g_hash_table_insert (values, g_strdup ("recycling:"), g_strdup ("glass_bottles;cans"));
  g_hash_table_insert (values, g_strdup ("operator"), g_strdup (""));
  g_assert_true (balise_preset_apply_values (recycling, tags, values, &error));
  g_assert_no_error (error);
  assert_tags (tags,
               "{\"amenity\":\"recycling\",\"recycling:cans\":\"yes\",\"recycling:glass_bottles\":\"yes\","
               "\"source\":\"survey\"}");

  /* A wrong answer leaves the tags untouched. */
  before = balise_tags_copy (tags);
  g_hash_table_insert (values, g_strdup ("opening_hours"), g_strdup ("Mon-Fri 9-5"));
  g_assert_false (balise_preset_apply_values (recycling, tags, values, &error));
  g_assert_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_VALUE);
  g_assert_true (balise_tags_equal (tags, before));
}

/* A value the form cannot show comes back as "unknown": it must stay, not
 * be removed by saving the form unchanged. One the form shows and the
 * volunteer sets to unknown goes. */
static void
test_apply_keeps_unshown_values (void)
{
  g_autoptr(BalisePresetCatalogue) catalogue = load_catalogue ();
  BalisePreset *bus_stop = balise_preset_catalogue_lookup (catalogue, "bus_stop");
  g_autoptr(BaliseTags) tags = balise_tags_new ();
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;

  balise_tags_set (tags, "highway", "bus_stop");
  balise_tags_set (tags, "wheelchair", "designated");
  balise_tags_set (tags, "shelter", "yes");

  values = balise_preset_values_from_tags (bus_stop, tags);
  /* The form has no "designated" to show: it sends back "unknown" for it.
   * The volunteer answers "unknown" to the shelter, touches nothing else. */
  g_hash_table_insert (values, g_strdup ("wheelchair"), g_strdup (""));
  g_hash_table_insert (values, g_strdup ("shelter"), g_strdup (""));
  g_assert_true (balise_preset_apply_values (bus_stop, tags, values, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (balise_tags_lookup (tags, "wheelchair"), ==, "designated");
  g_assert_null (balise_tags_lookup (tags, "shelter"));
}

static void
assert_invalid (BalisePreset *preset,
                const char   *key,
                const char   *value,
                int           code,
                const char   *message_start)
{
  g_autoptr(GHashTable) values = values_new (key, value, NULL);
  g_autoptr(BaliseTags) tags = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("%s=%s", key, value);
  tags = balise_preset_build_tags (preset, values, &error);
  g_assert_null (tags);
  g_assert_error (error, BALISE_PRESET_ERROR, code);
  g_test_message ("→ %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, message_start));
}

static void
test_validation (void)
{
  g_autoptr(BalisePresetCatalogue) catalogue = load_catalogue ();
  BalisePreset *bus_stop = balise_preset_catalogue_lookup (catalogue, "bus_stop");
  BalisePreset *bench = balise_preset_catalogue_lookup (catalogue, "bench");
  BalisePreset *toilets = balise_preset_catalogue_lookup (catalogue, "toilets");
  BalisePreset *social = balise_preset_catalogue_lookup (catalogue, "social_facility");
  BalisePreset *recycling = balise_preset_catalogue_lookup (catalogue, "recycling");
  g_autofree char *long_name = g_strnfill (BALISE_TAG_MAX_CHARS + 1, 'a');
  g_autofree char *longest_name = g_strnfill (BALISE_TAG_MAX_CHARS, 'a');
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) next_week = g_date_time_add_days (now, 7);
  g_autofree char *future = g_date_time_format (next_week, "%Y-%m-%d");
  g_autoptr(GHashTable) values = values_new ("name", longest_name, NULL);
  g_autoptr(BaliseTags) tags = NULL;
  g_autoptr(GError) error = NULL;

  /* 255 characters is fine, 256 is not; characters, not bytes. */
  tags = balise_preset_build_tags (bus_stop, values, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tags);

  assert_invalid (bus_stop, "name", long_name, BALISE_PRESET_ERROR_INVALID_VALUE, "Name: too long: 256 characters");
  assert_invalid (bus_stop, "name", "Gare\x07", BALISE_PRESET_ERROR_INVALID_VALUE, "Name: ");
  assert_invalid (bus_stop, "shelter", "maybe", BALISE_PRESET_ERROR_INVALID_VALUE, "Shelter: “maybe” is not one of the answers");
  assert_invalid (bus_stop, "departures_board", "led", BALISE_PRESET_ERROR_INVALID_VALUE, "Departures Board: ");
  assert_invalid (bus_stop, "check_date", "20/11/2026", BALISE_PRESET_ERROR_INVALID_VALUE, "Confirmed On: not a date");
  assert_invalid (bus_stop, "check_date", "2026-02-30", BALISE_PRESET_ERROR_INVALID_VALUE, "Confirmed On: not a date");
  assert_invalid (bus_stop, "check_date", future, BALISE_PRESET_ERROR_INVALID_VALUE, "Confirmed On: the date is in the future");
  assert_invalid (bench, "seats", "three", BALISE_PRESET_ERROR_INVALID_VALUE, "Seats: not a number");
  assert_invalid (bench, "seats", "2.5", BALISE_PRESET_ERROR_INVALID_VALUE, "Seats: a whole number is needed");
  assert_invalid (bench, "seats", "0", BALISE_PRESET_ERROR_INVALID_VALUE, "Seats: must be between 1 and 100");
  assert_invalid (toilets, "opening_hours", "Mo-Fr 8-18", BALISE_PRESET_ERROR_INVALID_VALUE, "Opening Hours: ");
  assert_invalid (recycling, "recycling:", "paper;uranium", BALISE_PRESET_ERROR_INVALID_VALUE, "Accepts: “uranium”");
  assert_invalid (social, "name", "Le Refuge", BALISE_PRESET_ERROR_REQUIRED, "Type is needed");
  assert_invalid (social, "social_facility", "   ", BALISE_PRESET_ERROR_REQUIRED, "Type is needed");
}

static void
test_opening_hours (void)
{
  const char *valid[] = {
    "24/7",
    "off",
    "Mo-Fr 08:00-18:00",
    "Mo-Fr 08:00-18:00; Sa 09:00-12:00",
    "Mo-Fr 08:00-12:00,13:30-17:30",
    "Mo,We,Fr 09:00-12:00",
    "Mo-Sa 09:00-19:00; PH off",
    "Mo-Fr 08:00-18:00; Sa,Su closed",
    "Tu-Su 22:00-02:00",
    "Fr 18:00-26:00",
    "Mo-Fr 10:00-16:00, Sa 10:00-12:00",
    "Jan-Mar Mo-Fr 10:00-16:00; Apr-Dec Mo-Su 08:00-20:00",
    "Apr-Oct: Mo-Su 07:00-21:00",
    "Dec 25 off",
    "Mo-Fr 17:00",
    "Mo-Fr 08:00+",
    "sunrise-sunset",
    "Su[1] 10:00-12:00",
    "Mo-Fr 08:00-18:00 \"by appointment\"",
    "Mo-Fr 09:00-17:00 || \"call first\"",
    "PH,Su 10:00-12:00",
    "SH off",
  };
  struct {
    const char *value;
    const char *message;
  } invalid[] = {
    { "", "the end at character 1" },
    { "Mon-Fri 9:00-17:00", "“Mon” at character 1" },
    { "Mo-Fr 8-18", "“8” at character 7: expected a time like 08:00" },
    { "Mo-Fr 08:00-49:00", "at character 13: expected an end time" },
    { "Mo-Fr 24:30-25:00", "at character 7: expected a time from 00:00 to 24:00" },
    { "Mo-Fr 08:60-12:00", "at character 7" },
    { "Mo-Fr 08.00-12.00", "expected “:” between hours and minutes" },
    { "Mo-Fr 08:00-18:00;", "expected another rule" },
    { "Mo-Xy 08:00-18:00", "“Xy” at character 4" },
    { "Mo-Fr 08:00-18:00 Sa 09:00-12:00", "“Sa” at character 19: expected “;” between rules" },
    { "Mo-Fr \"open", "closing quote" },
    { "Jan-Foo Mo", "a month" },
    { "Mo[7] 10:00-12:00", "a week of the month" },
    { "ouvert", "expected days, times" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("valid: %s", valid[i]);
      g_assert_true (balise_opening_hours_validate (valid[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("invalid: %s", invalid[i].value);
      g_assert_false (balise_opening_hours_validate (invalid[i].value, &error));
      g_assert_error (error, BALISE_OPENING_HOURS_ERROR, BALISE_OPENING_HOURS_ERROR_SYNTAX);
      g_test_message ("→ %s", error->message);
      g_assert_nonnull (strstr (error->message, invalid[i].message));
    }
}

static void
test_search_and_match (void)
{
  g_autoptr(BalisePresetCatalogue) catalogue = load_catalogue ();
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(BaliseTags) tags = balise_tags_new ();

  hits = balise_preset_catalogue_search (catalogue, "bus", 0);
  g_assert_cmpuint (hits->len, >=, 2);
  g_assert_cmpstr (balise_preset_get_id (g_ptr_array_index (hits, 0)), ==, "bus_stop");
  g_clear_pointer (&hits, g_ptr_array_unref);

  hits = balise_preset_catalogue_search (catalogue, " TOIL ", 1);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (balise_preset_get_id (g_ptr_array_index (hits, 0)), ==, "toilets");
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Other words: the AED is the defibrillator. */
  hits = balise_preset_catalogue_search (catalogue, "aed", 0);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (balise_preset_get_id (g_ptr_array_index (hits, 0)), ==, "defibrillator");
  g_clear_pointer (&hits, g_ptr_array_unref);

  hits = balise_preset_catalogue_search (catalogue, "zzzz", 0);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  hits = balise_preset_catalogue_search (catalogue, "", 0);
  g_assert_cmpuint (hits->len, ==, 0);

  /* The most specific preset wins; extra tags do not matter. */
  balise_tags_set (tags, "amenity", "social_facility");
  g_assert_cmpstr (balise_preset_get_id (balise_preset_catalogue_match_tags (catalogue, tags)), ==, "social_facility");
  balise_tags_set (tags, "social_facility", "food_bank");
  balise_tags_set (tags, "name", "Restos");
  g_assert_cmpstr (balise_preset_get_id (balise_preset_catalogue_match_tags (catalogue, tags)), ==, "food_bank");
  balise_tags_set (tags, "amenity", "townhall");
  g_assert_null (balise_preset_catalogue_match_tags (catalogue, tags));

  /* An old bus stop, highway=bus_stop alone: no preset has all its tags,
   * the bus stop's form is still the one to edit it with. */
  g_clear_pointer (&tags, balise_tags_unref);
  tags = balise_tags_new ();
  balise_tags_set (tags, "highway", "bus_stop");
  balise_tags_set (tags, "name", "Casino");
  g_assert_null (balise_preset_catalogue_match_tags (catalogue, tags));
  g_assert_cmpstr (balise_preset_get_id (balise_preset_catalogue_match_element (catalogue, tags)), ==, "bus_stop");
  g_assert_cmpstr (balise_preset_get_id (balise_preset_catalogue_match_element (catalogue, tags)), ==, "bus_stop");
  balise_tags_set (tags, "public_transport", "platform");
  balise_tags_set (tags, "bus", "yes");
  g_assert_cmpstr (balise_preset_get_id (balise_preset_catalogue_match_element (catalogue, tags)), ==, "bus_stop");

  /* Nothing Balise has a form for. */
  g_clear_pointer (&tags, balise_tags_unref);
  tags = balise_tags_new ();
  balise_tags_set (tags, "amenity", "townhall");
  g_assert_null (balise_preset_catalogue_match_element (catalogue, tags));
}

static void
set_language (const char *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  /* gettext forgets the translations it found once the locale changes. */
  setlocale (LC_ALL, "C");
  setlocale (LC_ALL, "C.UTF-8");
}

static void
test_note_text (void)
{
  g_autoptr(BalisePresetCatalogue) catalogue = load_catalogue ();
  BalisePreset *pothole = balise_preset_catalogue_lookup (catalogue, "fault_pothole");
  BalisePreset *other = balise_preset_catalogue_lookup (catalogue, "fault_other");
  BalisePreset *bus_stop = balise_preset_catalogue_lookup (catalogue, "bus_stop");
  g_autoptr(GHashTable) values = values_new ("size", "large", "where", "carriageway", "danger", "yes",
                                             "description", "Deep, full of water", NULL);
  g_autofree char *long_text = g_strnfill (BALISE_TAG_MAX_CHARS, 'x');
  g_autoptr(GHashTable) long_values = values_new ("description", long_text, NULL);
  g_autoptr(GError) error = NULL;
  char *text;

  set_language ("en");
  text = balise_preset_build_note_text (pothole, values, BALISE_OSM_NODE, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "Pothole\n"
                   "Size: Bigger than a wheel\n"
                   "Where: Road\n"
                   "Dangerous: Yes\n"
                   "What You See: Deep, full of water\n"
                   "Recorded on the spot with Balise");
  g_free (text);

  /* In French, with the category in English for mappers everywhere, and
   * the element it concerns. */
  set_language ("fr");
  text = balise_preset_build_note_text (pothole, values, BALISE_OSM_WAY, 4242, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "Nid-de-poule [pothole]\n"
                   "Taille : Plus grand qu’une roue\n"
                   "Où : Chaussée\n"
                   "Dangereux : Oui\n"
                   "Ce que vous voyez : Deep, full of water\n"
                   "Concerne : https://www.openstreetmap.org/way/4242\n"
                   "Relevé sur place avec Balise");
  g_free (text);

  /* Errors speak the volunteer's language too. */
  text = balise_preset_build_note_text (other, NULL, BALISE_OSM_NODE, 0, NULL, &error);
  g_assert_null (text);
  g_assert_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_REQUIRED);
  g_assert_cmpstr (error->message, ==, "Ce que vous voyez est nécessaire");
  g_clear_error (&error);
  set_language ("en");

  text = balise_preset_build_note_text (other, long_values, BALISE_OSM_NODE, 7, "https://osm.example.org", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "Other Problem [other]\nWhat You See: xxx"));
  g_assert_nonnull (strstr (text, "\nConcerns: https://osm.example.org/node/7\n"));
  g_free (text);

  text = balise_preset_build_note_text (bus_stop, NULL, BALISE_OSM_NODE, 0, NULL, &error);
  g_assert_null (text);
  g_assert_error (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_INVALID_VALUE);
}

static void
test_drafts (void)
{
  g_autofree char *path = balise_test_tmp_path ("drafts.sqlite");
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(BaliseEdit) read = NULL;
  g_autoptr(BaliseEdit) second = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(BaliseTags) tags = balise_tags_new ();
  g_autoptr(BaliseTags) bad = balise_tags_new ();
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *preset = NULL;
  g_autofree char *long_value = g_strnfill (BALISE_TAG_MAX_CHARS + 1, 'a');

  store = balise_store_open (path, &error);
  g_assert_no_error (error);

  /* The form writes its element as a draft at once. */
  balise_tags_set (tags, "highway", "bus_stop");
  edit->osm_type = BALISE_OSM_NODE;
  edit->status = BALISE_EDIT_STATUS_DRAFT;
  edit->lat = 43.73;
  edit->lon = 7.42;
  edit->new_tags = balise_tags_copy (tags);
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (balise_store_count_pending (store), ==, 0);

  /* Each answer rewrites the draft, and only the draft. */
  balise_tags_set (tags, "shelter", "yes");
  g_assert_true (balise_store_save_draft (store, edit->uuid, tags, "bus_stop", FALSE, &error));
  g_assert_no_error (error);
  read = balise_store_get_edit (store, edit->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read->status, ==, BALISE_EDIT_STATUS_DRAFT);
  g_assert_true (balise_tags_equal (read->new_tags, tags));
  g_clear_pointer (&read, balise_edit_unref);
  preset = balise_store_get_edit_preset (store, edit->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (preset, ==, "bus_stop");

  /* Tags OSM refuses never reach the draft. */
  balise_tags_set (bad, "name", long_value);
  g_assert_false (balise_store_save_draft (store, edit->uuid, bad, NULL, FALSE, &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG);
  g_clear_error (&error);

  /* Closing the form commits it: pending, and never rewritten again. */
  balise_tags_set (tags, "bench", "no");
  g_assert_true (balise_store_save_draft (store, edit->uuid, tags, NULL, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (balise_store_count_pending (store), ==, 1);
  read = balise_store_get_edit (store, edit->uuid, &error);
  g_assert_cmpint (read->status, ==, BALISE_EDIT_STATUS_PENDING);
  g_assert_true (balise_tags_equal (read->new_tags, tags));
  g_clear_pointer (&read, balise_edit_unref);

  g_assert_false (balise_store_save_draft (store, edit->uuid, bad, NULL, TRUE, &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG);
  g_clear_error (&error);
  g_assert_false (balise_store_save_draft (store, edit->uuid, tags, NULL, FALSE, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (balise_store_discard_draft (store, edit->uuid, &error));
  g_assert_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A draft given up goes without a trace. */
  second->status = BALISE_EDIT_STATUS_DRAFT;
  second->lat = 43.74;
  second->lon = 7.43;
  second->new_tags = balise_tags_copy (tags);
  g_assert_true (balise_store_add_edit (store, second, &error));
  g_assert_true (balise_store_discard_draft (store, second->uuid, &error));
  g_assert_no_error (error);

  edits = balise_store_list_edits (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 1);
  g_assert_cmpstr (((BaliseEdit *) g_ptr_array_index (edits, 0))->uuid, ==, edit->uuid);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "en", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/presets/load-all", test_load_all);
  g_test_add_func ("/presets/load-async", test_load_async);
  g_test_add_func ("/presets/unknown-field-type", test_unknown_field_type);
  g_test_add_func ("/presets/invalid-files", test_invalid_files);
  g_test_add_func ("/presets/form-to-tags", test_form_to_tags);
  g_test_add_func ("/presets/apply-to-existing", test_apply_to_existing);
  g_test_add_func ("/presets/apply-keeps-unshown-values", test_apply_keeps_unshown_values);
  g_test_add_func ("/presets/validation", test_validation);
  g_test_add_func ("/presets/opening-hours", test_opening_hours);
  g_test_add_func ("/presets/search-and-match", test_search_and_match);
  g_test_add_func ("/presets/note-text", test_note_text);
  g_test_add_func ("/presets/drafts", test_drafts);

  return g_test_run ();
}
