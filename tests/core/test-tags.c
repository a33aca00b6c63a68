/* test-tags.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "balise-core.h"
#include "balise-test-utils.h"

static void
test_tags_sorted (void)
{
  g_autoptr(BaliseTags) tags = balise_tags_new ();
  g_autoptr(BaliseTags) other = balise_tags_new ();
  g_autoptr(BaliseTags) copy = NULL;

  balise_tags_set (tags, "name", "Casino");
  balise_tags_set (tags, "highway", "bus_stop");
  balise_tags_set (tags, "bus", "yes");
  balise_tags_set (tags, "name", "Casino de Monte-Carlo");

  g_assert_cmpuint (balise_tags_get_size (tags), ==, 3);
  g_assert_cmpstr (balise_tags_get_key (tags, 0), ==, "bus");
  g_assert_cmpstr (balise_tags_get_key (tags, 1), ==, "highway");
  g_assert_cmpstr (balise_tags_get_key (tags, 2), ==, "name");
  g_assert_cmpstr (balise_tags_lookup (tags, "name"), ==, "Casino de Monte-Carlo");
  g_assert_null (balise_tags_lookup (tags, "ref"));

  balise_tags_set (other, "bus", "yes");
  balise_tags_set (other, "name", "Casino de Monte-Carlo");
  g_assert_false (balise_tags_equal (tags, other));
  balise_tags_set (other, "highway", "bus_stop");
  g_assert_true (balise_tags_equal (tags, other));

  copy = balise_tags_copy (tags);
  g_assert_true (balise_tags_remove (copy, "highway"));
  g_assert_false (balise_tags_remove (copy, "highway"));
  g_assert_cmpuint (balise_tags_get_size (copy), ==, 2);
  g_assert_cmpuint (balise_tags_get_size (tags), ==, 3);
}

static void
test_tags_json (void)
{
  g_autoptr(BaliseTags) tags = balise_tags_new ();
  g_autoptr(BaliseTags) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  balise_tags_set (tags, "name", "Gare de Monaco \"Rail\" – 摩纳哥");
  balise_tags_set (tags, "shelter", "yes");

  json = balise_tags_to_json (tags);
  back = balise_tags_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_true (balise_tags_equal (tags, back));

  g_assert_null (balise_tags_new_from_json ("[1, 2]", &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (balise_tags_new_from_json ("{\"a\": 3}", &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (balise_tags_new_from_json ("{not json", &error));
  g_assert_nonnull (error);
}

static void
test_tags_json_forms (void)
{
  struct {
    const char *json;
    const char *key;
    const char *value;
    guint       size;
  } cases[] = {
    { "{}", NULL, NULL, 0 },
    { " { \"name\" : \"Caf\\u00e9 \\\"Chez Jo\\\"\" } ", "name", "Café \"Chez Jo\"", 1 },
    { "{\"a\":\"1\",\"b\":\"tab\\there\\nnext\\\\\\/\"}", "b", "tab\there\nnext\\/", 2 },
    /* A surrogate pair goes through the full parser. */
    { "{\"emoji\":\"\\ud83d\\ude8f\"}", "emoji", "\xf0\x9f\x9a\x8f", 1 },
    { "{\"name\":\"摩纳哥\"}", "name", "摩纳哥", 1 },
  };
  const char *bad[] = { "{\"a\":1}", "{\"a\":\"1\"", "{\"a\":{\"b\":\"c\"}}", "[]",
                        "{\"a\":\"1\"} trailing", "" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BaliseTags) tags = balise_tags_new_from_json (cases[i].json, &error);

      g_test_message ("%s", cases[i].json);
      g_assert_no_error (error);
      g_assert_cmpuint (balise_tags_get_size (tags), ==, cases[i].size);
      if (cases[i].key != NULL)
        g_assert_cmpstr (balise_tags_lookup (tags, cases[i].key), ==, cases[i].value);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BaliseTags) tags = balise_tags_new_from_json (bad[i], &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (tags);
      g_assert_nonnull (error);
    }
}

static void
test_tags_validate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_value = g_string_new (NULL);
  g_autoptr(GString) long_multibyte = g_string_new (NULL);

  for (int i = 0; i < 255; i++)
    g_string_append_c (long_value, 'a');
  for (int i = 0; i < 255; i++)
    g_string_append (long_multibyte, "é");

  /* 255 characters are allowed, whatever their size in bytes. */
  g_assert_true (balise_tag_validate ("name", long_value->str, &error));
  g_assert_no_error (error);
  g_assert_true (balise_tag_validate ("name", long_multibyte->str, &error));
  g_assert_no_error (error);

  g_string_append_c (long_value, 'a');
  g_assert_false (balise_tag_validate ("name", long_value->str, &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG);
  g_assert_nonnull (strstr (error->message, "256 characters"));
  g_clear_error (&error);

  g_assert_false (balise_tag_validate (long_value->str, "x", &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG);
  g_clear_error (&error);

  g_assert_false (balise_tag_validate ("name", "line\nbreak", &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG);
  g_clear_error (&error);

  g_assert_false (balise_tag_validate ("", "x", &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG);
  g_clear_error (&error);

  g_assert_false (balise_tag_validate ("name", "", &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG);
  g_clear_error (&error);

  g_assert_false (balise_tag_validate ("name", "\xff\xfe", &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tags/sorted", test_tags_sorted);
  g_test_add_func ("/tags/json", test_tags_json);
  g_test_add_func ("/tags/json-forms", test_tags_json_forms);
  g_test_add_func ("/tags/validate", test_tags_validate);

  return g_test_run ();
}
