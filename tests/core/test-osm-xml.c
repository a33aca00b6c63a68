/* test-osm-xml.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "balise-core.h"
#include "balise-test-utils.h"

static GBytes *
bytes_from_string (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static BaliseEdit *
make_edit (BaliseEditKind kind,
           gint64         id,
           gint64         version,
           double         lat,
           double         lon,
           const char    *name)
{
  BaliseEdit *edit = balise_edit_new (kind);

  edit->osm_id = id;
  edit->base_version = version;
  edit->lat = lat;
  edit->lon = lon;
  if (kind != BALISE_EDIT_DELETE)
    {
      edit->new_tags = balise_tags_new ();
      balise_tags_set (edit->new_tags, "highway", "bus_stop");
      if (name)
        balise_tags_set (edit->new_tags, "name", name);
    }
  return edit;
}

static void
test_change_round_trip (void)
{
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_edit_unref);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *xml;

  g_ptr_array_add (edits, make_edit (BALISE_EDIT_CREATE, -1, 0, 43.7314123, 7.4197456,
                                     "Place d'Armes & <Co> \"quoted\""));
  g_ptr_array_add (edits, make_edit (BALISE_EDIT_CREATE, -2, 0, -33.9, -151.2, NULL));
  g_ptr_array_add (edits, make_edit (BALISE_EDIT_MODIFY, 4035273179, 3, 43.74, 7.43, "Casino"));
  g_ptr_array_add (edits, make_edit (BALISE_EDIT_DELETE, 5861455949, 2, 35.9, 14.5, NULL));

  bytes = balise_osm_xml_write_change (edits, 42, "Balise test");
  xml = g_bytes_get_data (bytes, NULL);
  g_assert_nonnull (strstr (xml, "<osmChange version=\"0.6\" generator=\"Balise test\">"));
  g_assert_nonnull (strstr (xml, "changeset=\"42\""));
  g_assert_nonnull (strstr (xml, "<delete>"));
  g_assert_null (strstr (xml, "if-unused"));
  g_assert_nonnull (strstr (xml, "lat=\"43.7314123\""));
  /* Creates carry no version; the others carry their base version. */
  g_assert_nonnull (strstr (xml, "<node id=\"-1\" changeset=\"42\" lat="));
  g_assert_nonnull (strstr (xml, "<node id=\"4035273179\" changeset=\"42\" version=\"3\""));

  back = balise_osm_xml_parse_change (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, edits->len);

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *a = g_ptr_array_index (edits, i);
      BaliseEdit *b = g_ptr_array_index (back, i);

      g_assert_cmpint (a->kind, ==, b->kind);
      g_assert_cmpint (a->osm_type, ==, b->osm_type);
      g_assert_cmpint (a->osm_id, ==, b->osm_id);
      g_assert_cmpint (a->base_version, ==, b->base_version);
      g_assert_cmpfloat_with_epsilon (a->lat, b->lat, 1e-7);
      g_assert_cmpfloat_with_epsilon (a->lon, b->lon, 1e-7);
      if (a->kind != BALISE_EDIT_DELETE)
        g_assert_true (balise_tags_equal (a->new_tags, b->new_tags));
    }
}

static void
test_change_without_changeset (void)
{
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_edit_unref);
  g_autoptr(GBytes) bytes = NULL;

  g_ptr_array_add (edits, make_edit (BALISE_EDIT_CREATE, -1, 0, 43.7, 7.4, NULL));
  bytes = balise_osm_xml_write_change (edits, 0, NULL);
  g_assert_null (strstr (g_bytes_get_data (bytes, NULL), "changeset="));
}

static void
test_change_malformed (void)
{
  const char *bad[] = {
    "",
    "<osmChange><create><node id=\"-1\"",
    "<osm version=\"0.6\"/>",
    "<osmChange><create><node id=\"abc\" lat=\"1\" lon=\"2\"/></create></osmChange>",
    "<osmChange><modify><node id=\"3\" lat=\"1\" lon=\"2\"/></modify></osmChange>",
    "<osmChange><explode/></osmChange>",
    "<osmChange><create><node id=\"-1\"><tag k=\"a\"/></node></create></osmChange>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) bytes = bytes_from_string (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) edits = balise_osm_xml_parse_change (bytes, &error);

      g_test_message ("document %u: %s", i, bad[i]);
      g_assert_null (edits);
      g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
    }
}

static void
test_diff_result (void)
{
  g_autoptr(GBytes) bytes = bytes_from_string (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<diffResult version=\"0.6\" generator=\"OpenStreetMap server\">\n"
    "  <node old_id=\"-1\" new_id=\"5861455950\" new_version=\"1\"/>\n"
    "  <node old_id=\"123\" new_id=\"123\" new_version=\"4\"/>\n"
    "  <node old_id=\"456\"/>\n"
    "  <way old_id=\"-1\" new_id=\"77\" new_version=\"1\"/>\n"
    "</diffResult>\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) diff = balise_osm_xml_parse_diff_result (bytes, &error);
  BaliseDiffEntry *entry;

  g_assert_no_error (error);
  g_assert_cmpuint (diff->len, ==, 4);

  entry = &g_array_index (diff, BaliseDiffEntry, 0);
  g_assert_cmpint (entry->type, ==, BALISE_OSM_NODE);
  g_assert_cmpint (entry->old_id, ==, -1);
  g_assert_cmpint (entry->new_id, ==, 5861455950);   /* above 2^32 */
  g_assert_cmpint (entry->new_version, ==, 1);

  entry = &g_array_index (diff, BaliseDiffEntry, 2);
  g_assert_cmpint (entry->old_id, ==, 456);
  g_assert_cmpint (entry->new_id, ==, 0);
  g_assert_cmpint (entry->new_version, ==, 0);

  entry = &g_array_index (diff, BaliseDiffEntry, 3);
  g_assert_cmpint (entry->type, ==, BALISE_OSM_WAY);
}

static void
test_diff_result_malformed (void)
{
  const char *bad[] = {
    "<html><body>502 Bad Gateway</body></html>",
    "<diffResult><node new_id=\"3\" new_version=\"1\"/></diffResult>",
    "<diffResult><node old_id=\"-1\" new_id=\"3\"/></diffResult>",
    "<diffResult><node old_id=\"-1\" new_id=\"-3\" new_version=\"1\"/></diffResult>",
    "<diffResult><banana old_id=\"-1\"/></diffResult>",
    "<diffResult><node old_id=\"-1\" new_id=\"99999999999999999999\" new_version=\"1\"/></diffResult>",
    "<diffResult><node old_id=\"-1\" new_id=\"3\" new_version=\"1\">",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) bytes = bytes_from_string (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) diff = balise_osm_xml_parse_diff_result (bytes, &error);

      g_test_message ("document %u: %s", i, bad[i]);
      g_assert_null (diff);
      g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
    }
}

static void
test_no_external_entities (void)
{
  /* An answer must never make the parser read a file or the network. */
  g_autoptr(GBytes) bytes = bytes_from_string (
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE diffResult [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>\n"
    "<diffResult><node old_id=\"-1\" new_id=\"3\" new_version=\"1\"/>&secret;</diffResult>");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) diff = balise_osm_xml_parse_diff_result (bytes, &error);

  /* Either refused, or parsed without the file's contents. */
  if (diff != NULL)
    g_assert_cmpuint (diff->len, ==, 1);
  else
    g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
}

static void
test_capabilities (void)
{
  /* The shape openstreetmap.org answers. */
  g_autoptr(GBytes) bytes = bytes_from_string (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<osm version=\"0.6\" generator=\"OpenStreetMap server\" copyright=\"OpenStreetMap and contributors\">\n"
    "  <api>\n"
    "    <version minimum=\"0.6\" maximum=\"0.6\"/>\n"
    "    <area maximum=\"0.25\"/>\n"
    "    <note_area maximum=\"25\"/>\n"
    "    <tracepoints per_page=\"5000\"/>\n"
    "    <waynodes maximum=\"2000\"/>\n"
    "    <relationmembers maximum=\"32000\"/>\n"
    "    <changesets maximum_elements=\"10000\" default_query_limit=\"100\" maximum_query_limit=\"100\"/>\n"
    "    <notes default_query_limit=\"100\" maximum_query_limit=\"10000\"/>\n"
    "    <timeout seconds=\"300\"/>\n"
    "    <status database=\"online\" api=\"readonly\" gpx=\"online\"/>\n"
    "  </api>\n"
    "  <policy><imagery><blacklist regex=\".*\\.google(apis)?\\..*/.*\"/></imagery></policy>\n"
    "</osm>\n");
  g_autoptr(GBytes) small = bytes_from_string (
    "<osm><api><area maximum=\"0.5\"/><changesets maximum_elements=\"3\"/></api></osm>");
  g_autoptr(GBytes) not_caps = bytes_from_string ("<osm version=\"0.6\"><node id=\"1\"/></osm>");
  g_autoptr(GError) error = NULL;
  BaliseCapabilities caps;

  g_assert_true (balise_osm_xml_parse_capabilities (bytes, &caps, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (caps.area_maximum, ==, 0.25);
  g_assert_cmpfloat (caps.note_area_maximum, ==, 25);
  g_assert_cmpuint (caps.waynodes_maximum, ==, 2000);
  g_assert_cmpuint (caps.changeset_maximum_elements, ==, 10000);
  g_assert_cmpuint (caps.timeout, ==, 300);
  g_assert_false (caps.api_online);
  g_assert_true (caps.database_online);

  g_assert_true (balise_osm_xml_parse_capabilities (small, &caps, &error));
  g_assert_cmpfloat (caps.area_maximum, ==, 0.5);
  g_assert_cmpuint (caps.changeset_maximum_elements, ==, 3);
  g_assert_cmpuint (caps.waynodes_maximum, ==, 2000);
  g_assert_true (caps.api_online);

  g_assert_false (balise_osm_xml_parse_capabilities (not_caps, &caps, &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
}

static void
test_error_document (void)
{
  g_autoptr(GBytes) bytes = bytes_from_string (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<osmError>\n"
    "  <status>409 Conflict</status>\n"
    "  <message>Version mismatch: Provided 2, server had: 3 of Node 123</message>\n"
    "</osmError>\n");
  g_autoptr(GBytes) bad = bytes_from_string ("<osmError><message>no status</message></osmError>");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint status = 0;

  g_assert_true (balise_osm_xml_parse_error (bytes, &status, &message, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (message, ==, "Version mismatch: Provided 2, server had: 3 of Node 123");

  g_assert_false (balise_osm_xml_parse_error (bad, &status, &message, &error));
  g_assert_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE);
}

static void
test_changeset_body (void)
{
  g_autoptr(BaliseTags) tags = balise_tags_new ();
  g_autoptr(GBytes) bytes = NULL;
  const char *xml;

  balise_tags_set (tags, "comment", "Bus stops of Monaco");
  balise_tags_set (tags, "created_by", "Balise 0.1.0");
  bytes = balise_osm_xml_write_changeset (tags, NULL);
  xml = g_bytes_get_data (bytes, NULL);
  g_assert_nonnull (strstr (xml, "<osm version=\"0.6\""));
  g_assert_nonnull (strstr (xml, "<changeset><tag k=\"comment\" v=\"Bus stops of Monaco\"/>"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/osm-xml/change/round-trip", test_change_round_trip);
  g_test_add_func ("/osm-xml/change/without-changeset", test_change_without_changeset);
  g_test_add_func ("/osm-xml/change/malformed", test_change_malformed);
  g_test_add_func ("/osm-xml/diff-result/valid", test_diff_result);
  g_test_add_func ("/osm-xml/diff-result/malformed", test_diff_result_malformed);
  g_test_add_func ("/osm-xml/no-external-entities", test_no_external_entities);
  g_test_add_func ("/osm-xml/capabilities", test_capabilities);
  g_test_add_func ("/osm-xml/error-document", test_error_document);
  g_test_add_func ("/osm-xml/changeset-body", test_changeset_body);

  return g_test_run ();
}
