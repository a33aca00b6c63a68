/* balise-osm-xml-element.c: one element as `GET /api/0.6/node/ID` sends it
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-osm"

#include "config.h"

#include <libxml/xmlreader.h>
#include <math.h>

#include "balise-osm-xml.h"

/* No network, no entities: the server's answer is data, never a program. */
#define ELEMENT_READER_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA)
#define MAX_ELEMENT_BYTES      (16 * 1024 * 1024)

static char *
attribute (xmlTextReader *reader,
           const char    *name)
{
  xmlChar *value = xmlTextReaderGetAttribute (reader, BAD_CAST name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

static gboolean
int64_attribute (xmlTextReader *reader,
                 const char    *name,
                 gint64         min,
                 gint64        *value)
{
  g_autofree char *text = attribute (reader, name);

  return text != NULL && g_ascii_string_to_signed (text, 10, min, G_MAXINT64, value, NULL);
}

static gboolean
double_attribute (xmlTextReader *reader,
                  const char    *name,
                  double         limit,
                  double        *value)
{
  g_autofree char *text = attribute (reader, name);
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*value) && fabs (*value) <= limit;
}

/**
 * balise_osm_xml_parse_element:
 *
 * Reads the one element of an `<osm>` document (`GET /api/0.6/node/ID`,
 * `way/ID`, `relation/ID`) into a BaliseEdit used as a carrier: @osm_type,
 * @osm_id, @base_version (the element's version), @new_tags (its tags) and,
 * for a node, @lat and @lon. Errors are BALISE_OSM_ERROR_PARSE.
 */
BaliseEdit *
balise_osm_xml_parse_element (GBytes  *bytes,
                              GError **error)
{
  g_autoptr(BaliseEdit) element = NULL;
  xmlTextReader *reader;
  gsize size = 0;
  const char *data;
  gboolean seen_root = FALSE;
  gboolean inside = FALSE;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size == 0 || size > MAX_ELEMENT_BYTES)
    {
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                   "The server's element is %s", size == 0 ? "empty" : "too large");
      return NULL;
    }

  reader = xmlReaderForMemory (data, (int) size, NULL, "UTF-8", ELEMENT_READER_OPTIONS);
  if (reader == NULL)
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           "Could not read the server's element");
      return NULL;
    }

  while (ok && (rc = xmlTextReaderRead (reader)) == 1)
    {
      const char *name = (const char *) xmlTextReaderConstLocalName (reader);
      int type = xmlTextReaderNodeType (reader);
      BaliseOsmType osm_type;

      if (type == XML_READER_TYPE_END_ELEMENT && element != NULL &&
          g_strcmp0 (name, balise_osm_type_to_string (element->osm_type)) == 0)
        inside = FALSE;

      if (type != XML_READER_TYPE_ELEMENT)
        continue;

      if (!seen_root)
        {
          seen_root = TRUE;
          ok = g_strcmp0 (name, "osm") == 0;
          continue;
        }

      if (balise_osm_type_from_string (name, &osm_type))
        {
          if (element != NULL)
            {
              ok = FALSE;   /* one element only */
              break;
            }
          element = balise_edit_new (BALISE_EDIT_MODIFY);
          element->osm_type = osm_type;
          element->new_tags = balise_tags_new ();
          ok = int64_attribute (reader, "id", 1, &element->osm_id) &&
               int64_attribute (reader, "version", 1, &element->base_version);
          if (ok && osm_type == BALISE_OSM_NODE)
            ok = double_attribute (reader, "lat", 90.0, &element->lat) &&
                 double_attribute (reader, "lon", 180.0, &element->lon);
          inside = !xmlTextReaderIsEmptyElement (reader);
        }
      else if (g_strcmp0 (name, "tag") == 0 && inside)
        {
          g_autofree char *k = attribute (reader, "k");
          g_autofree char *v = attribute (reader, "v");

          ok = k != NULL && v != NULL;
          if (ok)
            balise_tags_set (element->new_tags, k, v);
        }
    }

  xmlFreeTextReader (reader);

  if (!ok || rc < 0 || element == NULL)
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           element == NULL && ok && rc >= 0
                             ? "The server's answer holds no element"
                             : "The server's element is malformed");
      return NULL;
    }

  return g_steal_pointer (&element);
}
