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

/* Reads every element of an `<osm>` document. A deleted element
 * (visible="false", as the multi-fetch calls send them) becomes a carrier
 * of kind BALISE_EDIT_DELETE with its version and no tags. */
static GPtrArray *
parse_elements (GBytes  *bytes,
                GError **error)
{
  g_autoptr(GPtrArray) elements = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_edit_unref);
  BaliseEdit *element = NULL;   /* the one being read, borrowed from @elements */
  xmlTextReader *reader;
  gsize size = 0;
  const char *data;
  gboolean seen_root = FALSE;
  gboolean ok = TRUE;
  int rc;

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
        element = NULL;

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
          g_autofree char *visible = attribute (reader, "visible");
          BaliseEdit *read = balise_edit_new (g_strcmp0 (visible, "false") == 0 ? BALISE_EDIT_DELETE
                                                                                 : BALISE_EDIT_MODIFY);

          g_ptr_array_add (elements, read);
          read->osm_type = osm_type;
          read->new_tags = balise_tags_new ();
          if (osm_type == BALISE_OSM_WAY)
            read->way_nodes = g_array_new (FALSE, FALSE, sizeof (gint64));
          ok = element == NULL &&
               int64_attribute (reader, "id", 1, &read->osm_id) &&
               int64_attribute (reader, "version", 1, &read->base_version);
          if (ok && osm_type == BALISE_OSM_NODE && read->kind != BALISE_EDIT_DELETE)
            ok = double_attribute (reader, "lat", 90.0, &read->lat) &&
                 double_attribute (reader, "lon", 180.0, &read->lon);
          element = xmlTextReaderIsEmptyElement (reader) ? NULL : read;
        }
      else if (g_strcmp0 (name, "tag") == 0 && element != NULL)
        {
          g_autofree char *k = attribute (reader, "k");
          g_autofree char *v = attribute (reader, "v");

          ok = k != NULL && v != NULL;
          if (ok)
            balise_tags_set (element->new_tags, k, v);
        }
      else if (g_strcmp0 (name, "nd") == 0 && element != NULL && element->way_nodes != NULL)
        {
          gint64 ref;

          ok = int64_attribute (reader, "ref", 1, &ref);
          if (ok)
            g_array_append_val (element->way_nodes, ref);
        }
    }

  xmlFreeTextReader (reader);

  if (!ok || rc < 0 || !seen_root)
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           "The server's element is malformed");
      return NULL;
    }

  return g_steal_pointer (&elements);
}

/**
 * balise_osm_xml_parse_element:
 *
 * Reads the one element of an `<osm>` document (`GET /api/0.6/node/ID`,
 * `way/ID`, `relation/ID`) into a BaliseEdit used as a carrier: @osm_type,
 * @osm_id, @base_version (the element's version), @new_tags (its tags),
 * for a node @lat and @lon, and for a way @way_nodes. Errors are
 * BALISE_OSM_ERROR_PARSE.
 */
BaliseEdit *
balise_osm_xml_parse_element (GBytes  *bytes,
                              GError **error)
{
  g_autoptr(GPtrArray) elements = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  elements = parse_elements (bytes, error);
  if (elements == NULL)
    return NULL;

  if (elements->len != 1)
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           elements->len == 0 ? "The server's answer holds no element"
                                              : "The server's element is malformed");
      return NULL;
    }

  return g_ptr_array_steal_index (elements, 0);
}

/**
 * balise_osm_xml_parse_elements:
 *
 * Reads every element of an `<osm>` document, as the multi-fetch calls
 * (`GET /api/0.6/ways?ways=1,2`) send them, into BaliseEdit carriers as
 * balise_osm_xml_parse_element() does; an element deleted on the server
 * (visible="false") is a carrier of kind %BALISE_EDIT_DELETE.
 *
 * Returns: (transfer container) (element-type BaliseEdit): the elements
 */
GPtrArray *
balise_osm_xml_parse_elements (GBytes  *bytes,
                               GError **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);

  return parse_elements (bytes, error);
}
