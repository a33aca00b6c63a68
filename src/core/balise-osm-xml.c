/* balise-osm-xml.c: OSM API 0.6 documents
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-osm-xml"

#include "config.h"

#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>

#include "balise-osm-xml.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlTextReader, xmlFreeTextReader)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlTextWriter, xmlFreeTextWriter)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlBuffer, xmlBufferFree)

/* No network, no DTD, no entity substitution: an answer from a server is
 * data, never instructions to fetch more. */
#define READER_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT)

/*
 * Writing
 */

static void
format_coordinate (char   *buffer,
                   gsize   size,
                   double  value)
{
  /* Seven decimals: the precision OSM stores (about 1 cm). */
  g_ascii_formatd (buffer, size, "%.7f", value);
}

static void
write_tags (xmlTextWriter *writer,
            BaliseTags    *tags)
{
  if (tags == NULL)
    return;

  for (guint i = 0; i < balise_tags_get_size (tags); i++)
    {
      xmlTextWriterStartElement (writer, BAD_CAST "tag");
      xmlTextWriterWriteAttribute (writer, BAD_CAST "k", BAD_CAST balise_tags_get_key (tags, i));
      xmlTextWriterWriteAttribute (writer, BAD_CAST "v", BAD_CAST balise_tags_get_value (tags, i));
      xmlTextWriterEndElement (writer);
    }
}

static GBytes *
writer_finish (xmlTextWriter **writer,
               xmlBuffer      *buffer)
{
  gsize length;

  xmlTextWriterEndDocument (*writer);
  g_clear_pointer (writer, xmlFreeTextWriter);

  /* A NUL follows the document (not counted in its size), so it can be
   * read as a string too. */
  length = (gsize) xmlBufferLength (buffer);
  return g_bytes_new_take (g_strndup ((const char *) xmlBufferContent (buffer), length), length);
}

/*
 * The osmChange is written straight into a string: it holds up to 10 000
 * elements, and libxml2's writer spent more on it than the rest of the
 * upload's preparation. The layout is the one xmlTextWriter gives with an
 * indent of one space.
 */

/* @value as the text of a double-quoted attribute. */
static void
append_escaped (GString    *out,
                const char *value)
{
  const char *run = value;

  for (const char *p = value; *p != '\0'; p++)
    {
      const char *entity;

      switch (*p)
        {
        case '&':  entity = "&amp;"; break;
        case '<':  entity = "&lt;"; break;
        case '>':  entity = "&gt;"; break;
        case '"':  entity = "&quot;"; break;
        case '\t': entity = "&#9;"; break;
        case '\n': entity = "&#10;"; break;
        case '\r': entity = "&#13;"; break;
        default:   continue;
        }
      g_string_append_len (out, run, p - run);
      g_string_append (out, entity);
      run = p + 1;
    }
  g_string_append (out, run);
}

static void
append_int64 (GString *out,
              gint64   value)
{
  char buffer[24];
  char *p = buffer + sizeof buffer;
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;

  do
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (out, p, buffer + sizeof buffer - p);
}

static void
append_element (GString    *out,
                BaliseEdit *edit,
                gint64      changeset_id)
{
  const char *name = balise_osm_type_to_string (edit->osm_type);
  gboolean way_nodes = edit->osm_type == BALISE_OSM_WAY && edit->kind != BALISE_EDIT_DELETE &&
                       edit->way_nodes != NULL && edit->way_nodes->len > 0;
  gboolean tags = edit->kind != BALISE_EDIT_DELETE && edit->new_tags != NULL &&
                  balise_tags_get_size (edit->new_tags) > 0;

  g_string_append (out, "  <");
  g_string_append (out, name);
  g_string_append (out, " id=\"");
  append_int64 (out, edit->osm_id);
  g_string_append_c (out, '"');
  if (changeset_id > 0)
    {
      g_string_append (out, " changeset=\"");
      append_int64 (out, changeset_id);
      g_string_append_c (out, '"');
    }
  if (edit->kind != BALISE_EDIT_CREATE)
    {
      g_string_append (out, " version=\"");
      append_int64 (out, edit->base_version);
      g_string_append_c (out, '"');
    }

  if (edit->osm_type == BALISE_OSM_NODE)
    {
      char lat[G_ASCII_DTOSTR_BUF_SIZE];
      char lon[G_ASCII_DTOSTR_BUF_SIZE];

      format_coordinate (lat, sizeof lat, edit->lat);
      format_coordinate (lon, sizeof lon, edit->lon);
      g_string_append (out, " lat=\"");
      g_string_append (out, lat);
      g_string_append (out, "\" lon=\"");
      g_string_append (out, lon);
      g_string_append_c (out, '"');
    }

  if (!way_nodes && !tags)
    {
      g_string_append (out, "/>\n");
      return;
    }
  g_string_append (out, ">\n");

  /* A way's create or modify carries its whole node list: the API
   * replaces the way's nodes with it. */
  for (guint i = 0; way_nodes && i < edit->way_nodes->len; i++)
    {
      g_string_append (out, "   <nd ref=\"");
      append_int64 (out, g_array_index (edit->way_nodes, gint64, i));
      g_string_append (out, "\"/>\n");
    }

  for (guint i = 0; tags && i < balise_tags_get_size (edit->new_tags); i++)
    {
      g_string_append (out, "   <tag k=\"");
      append_escaped (out, balise_tags_get_key (edit->new_tags, i));
      g_string_append (out, "\" v=\"");
      append_escaped (out, balise_tags_get_value (edit->new_tags, i));
      g_string_append (out, "\"/>\n");
    }

  g_string_append (out, "  </");
  g_string_append (out, name);
  g_string_append (out, ">\n");
}

/**
 * balise_osm_xml_write_change:
 * @edits: (element-type BaliseEdit): creates, modifies and deletes, in order
 *
 * Writes one osmChange document for @changeset_id (0 for a file that is
 * not bound to a changeset, such as an export). Consecutive edits of the same kind share a
 * block; the order of the edits is kept, as the API applies them in order.
 * Notes are not part of an osmChange and are skipped.
 */
GBytes *
balise_osm_xml_write_change (GPtrArray  *edits,
                             gint64      changeset_id,
                             const char *generator)
{
  GString *out;
  int open_kind = -1;
  gsize length;

  g_return_val_if_fail (edits != NULL, NULL);

  /* About 250 bytes an element. */
  out = g_string_sized_new (256 + (gsize) edits->len * 256);
  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<osmChange version=\"0.6\" generator=\"");
  append_escaped (out, generator ? generator : "Balise");
  g_string_append (out, "\">\n");

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);

      if (edit->kind == BALISE_EDIT_NOTE)
        continue;

      if ((int) edit->kind != open_kind)
        {
          if (open_kind != -1)
            g_string_append_printf (out, " </%s>\n", balise_edit_kind_to_string (open_kind));
          /* No if-unused on deletes: a node still used by a way is refused
           * with a 412 that names the ways, and becomes a conflict a person
           * can read, instead of being skipped without a word. */
          g_string_append_printf (out, " <%s>\n", balise_edit_kind_to_string (edit->kind));
          open_kind = edit->kind;
        }

      append_element (out, edit, changeset_id);
    }

  if (open_kind != -1)
    g_string_append_printf (out, " </%s>\n", balise_edit_kind_to_string (open_kind));
  g_string_append (out, "</osmChange>\n");

  /* A NUL follows the document (not counted in its size), so it can be
   * read as a string too. */
  length = out->len;
  return g_bytes_new_take (g_string_free (out, FALSE), length);
}

/**
 * balise_osm_xml_write_changeset:
 *
 * Writes the body of `PUT /api/0.6/changeset/create`.
 */
GBytes *
balise_osm_xml_write_changeset (BaliseTags *tags,
                                const char *generator)
{
  g_autoptr(xmlBuffer) buffer = xmlBufferCreate ();
  g_autoptr(xmlTextWriter) writer = xmlNewTextWriterMemory (buffer, 0);

  g_return_val_if_fail (tags != NULL, NULL);

  xmlTextWriterStartDocument (writer, NULL, "UTF-8", NULL);
  xmlTextWriterStartElement (writer, BAD_CAST "osm");
  xmlTextWriterWriteAttribute (writer, BAD_CAST "version", BAD_CAST "0.6");
  xmlTextWriterWriteAttribute (writer, BAD_CAST "generator", BAD_CAST (generator ? generator : "Balise"));
  xmlTextWriterStartElement (writer, BAD_CAST "changeset");
  write_tags (writer, tags);
  xmlTextWriterEndElement (writer);
  xmlTextWriterEndElement (writer);

  return writer_finish (&writer, buffer);
}

/*
 * Reading
 */

static xmlTextReader *
reader_new (GBytes  *bytes,
            GError **error)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  xmlTextReader *reader;

  if (size == 0)
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           "The document is empty");
      return NULL;
    }
  if (size > BALISE_OSM_XML_MAX_BYTES || size > G_MAXINT)
    {
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                   "The document is too large (%" G_GSIZE_FORMAT " bytes)", size);
      return NULL;
    }

  reader = xmlReaderForMemory (data, (int) size, NULL, "UTF-8", READER_OPTIONS);
  if (reader == NULL)
    g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                         "Could not read the XML document");
  return reader;
}

static void
set_parse_error (GError        **error,
                 xmlTextReader  *reader,
                 const char     *what)
{
  const xmlError *xml_error = xmlGetLastError ();

  if (xml_error != NULL && xml_error->message != NULL)
    g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                 "%s: line %d: %s", what, xml_error->line, g_strchomp (xml_error->message));
  else
    g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                 "%s: malformed XML", what);
}

static char *
get_attribute (xmlTextReader *reader,
               const char    *name)
{
  xmlChar *value = xmlTextReaderGetAttribute (reader, BAD_CAST name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

static char *
read_text (xmlTextReader *reader)
{
  xmlChar *value = xmlTextReaderReadString (reader);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

static gboolean
get_int64_attribute (xmlTextReader  *reader,
                     const char     *name,
                     gboolean        required,
                     gint64         *value,
                     GError        **error)
{
  g_autofree char *text = get_attribute (reader, name);
  g_autoptr(GError) local_error = NULL;

  if (text == NULL)
    {
      *value = 0;
      if (required)
        g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                     "<%s> has no %s attribute", xmlTextReaderConstName (reader), name);
      return !required;
    }

  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, value, &local_error))
    {
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                   "<%s %s=\"%s\">: not an integer", xmlTextReaderConstName (reader), name, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_double_attribute (xmlTextReader  *reader,
                      const char     *name,
                      double         *value,
                      GError        **error)
{
  g_autofree char *text = get_attribute (reader, name);
  char *end = NULL;

  *value = 0.0;
  if (text == NULL)
    return TRUE;

  *value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    {
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                   "<%s %s=\"%s\">: not a number", xmlTextReaderConstName (reader), name, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_element (xmlTextReader *reader,
            const char    *name)
{
  return xmlTextReaderNodeType (reader) == XML_READER_TYPE_ELEMENT &&
         g_strcmp0 ((const char *) xmlTextReaderConstName (reader), name) == 0;
}

static gboolean
expect_root (xmlTextReader  *reader,
             const char     *root,
             GError        **error)
{
  int rc;

  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      if (xmlTextReaderNodeType (reader) != XML_READER_TYPE_ELEMENT)
        continue;
      if (is_element (reader, root))
        return TRUE;
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                   "Expected a <%s> document, got <%s>", root, xmlTextReaderConstName (reader));
      return FALSE;
    }

  set_parse_error (error, reader, root);
  return FALSE;
}

/**
 * balise_osm_xml_parse_change:
 *
 * Reads an osmChange document into edits (kind, type, id, version as
 * base_version, position, tags as new_tags). Used to read back what Balise
 * wrote and what a server reports a changeset did.
 *
 * Returns: (element-type BaliseEdit) (transfer full):
 */
GPtrArray *
balise_osm_xml_parse_change (GBytes  *bytes,
                             GError **error)
{
  g_autoptr(xmlTextReader) reader = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  BaliseEdit *current = NULL;
  int kind = -1;
  int rc;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (!(reader = reader_new (bytes, error)) || !expect_root (reader, "osmChange", error))
    return NULL;

  edits = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_edit_unref);
  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      int depth = xmlTextReaderDepth (reader);
      const char *name = (const char *) xmlTextReaderConstName (reader);
      BaliseOsmType type;
      BaliseEditKind edit_kind;

      if (xmlTextReaderNodeType (reader) != XML_READER_TYPE_ELEMENT)
        continue;

      if (depth == 1)
        {
          if (!balise_edit_kind_from_string (name, &edit_kind) || edit_kind == BALISE_EDIT_NOTE)
            {
              g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           "Unknown osmChange block <%s>", name);
              return NULL;
            }
          kind = edit_kind;
        }
      else if (depth == 2)
        {
          if (kind < 0 || !balise_osm_type_from_string (name, &type))
            {
              g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           "Unexpected element <%s> in osmChange", name);
              return NULL;
            }

          current = balise_edit_new ((BaliseEditKind) kind);
          g_ptr_array_add (edits, current);
          current->osm_type = type;
          if (!get_int64_attribute (reader, "id", TRUE, &current->osm_id, error) ||
              !get_int64_attribute (reader, "version", kind != BALISE_EDIT_CREATE,
                                    &current->base_version, error) ||
              !get_double_attribute (reader, "lat", &current->lat, error) ||
              !get_double_attribute (reader, "lon", &current->lon, error))
            return NULL;
          if (kind != BALISE_EDIT_DELETE)
            current->new_tags = balise_tags_new ();
        }
      else if (depth == 3 && is_element (reader, "tag") && current != NULL)
        {
          g_autofree char *k = get_attribute (reader, "k");
          g_autofree char *v = get_attribute (reader, "v");

          if (k == NULL || v == NULL)
            {
              g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                                   "A <tag> lacks its k or v attribute");
              return NULL;
            }
          if (current->new_tags == NULL)
            current->new_tags = balise_tags_new ();
          balise_tags_set (current->new_tags, k, v);
        }
    }

  if (rc < 0)
    {
      set_parse_error (error, reader, "osmChange");
      return NULL;
    }

  return g_steal_pointer (&edits);
}

/**
 * balise_osm_xml_parse_diff_result:
 *
 * Returns: (element-type BaliseDiffEntry): one entry per uploaded element, in order
 */
GArray *
balise_osm_xml_parse_diff_result (GBytes  *bytes,
                                  GError **error)
{
  g_autoptr(xmlTextReader) reader = NULL;
  g_autoptr(GArray) entries = NULL;
  int rc;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (!(reader = reader_new (bytes, error)) || !expect_root (reader, "diffResult", error))
    return NULL;

  entries = g_array_new (FALSE, TRUE, sizeof (BaliseDiffEntry));
  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      BaliseDiffEntry entry = { 0, };
      const char *name;

      if (xmlTextReaderNodeType (reader) != XML_READER_TYPE_ELEMENT || xmlTextReaderDepth (reader) != 1)
        continue;

      name = (const char *) xmlTextReaderConstName (reader);
      if (!balise_osm_type_from_string (name, &entry.type))
        {
          g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                       "Unexpected element <%s> in diffResult", name);
          return NULL;
        }

      if (!get_int64_attribute (reader, "old_id", TRUE, &entry.old_id, error) ||
          !get_int64_attribute (reader, "new_id", FALSE, &entry.new_id, error) ||
          !get_int64_attribute (reader, "new_version", FALSE, &entry.new_version, error))
        return NULL;

      if ((entry.new_id == 0) != (entry.new_version == 0) || entry.new_id < 0 || entry.new_version < 0)
        {
          g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                       "diffResult entry for %s %" G_GINT64_FORMAT " has an invalid new id or version",
                       name, entry.old_id);
          return NULL;
        }

      g_array_append_val (entries, entry);
    }

  if (rc < 0)
    {
      set_parse_error (error, reader, "diffResult");
      return NULL;
    }

  return g_steal_pointer (&entries);
}

static gboolean
read_double (xmlTextReader  *reader,
             const char     *attribute,
             double         *value,
             GError        **error)
{
  g_autofree char *text = get_attribute (reader, attribute);

  if (text == NULL)
    return TRUE;
  return get_double_attribute (reader, attribute, value, error);
}

static gboolean
read_uint (xmlTextReader  *reader,
           const char     *attribute,
           guint          *value,
           GError        **error)
{
  gint64 v;

  if (!get_int64_attribute (reader, attribute, FALSE, &v, error))
    return FALSE;
  if (v > 0 && v <= G_MAXUINT)
    *value = (guint) v;
  return TRUE;
}

/**
 * balise_osm_xml_parse_capabilities:
 *
 * Reads `GET /api/capabilities`. Values the server leaves out keep the
 * defaults of openstreetmap.org.
 */
gboolean
balise_osm_xml_parse_capabilities (GBytes              *bytes,
                                   BaliseCapabilities  *capabilities,
                                   GError             **error)
{
  g_autoptr(xmlTextReader) reader = NULL;
  gboolean seen_api = FALSE;
  int rc;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (capabilities != NULL, FALSE);

  *capabilities = (BaliseCapabilities) {
    .area_maximum = 0.25,
    .note_area_maximum = 25,
    .waynodes_maximum = 2000,
    .changeset_maximum_elements = 10000,
    .timeout = 300,
    .api_online = TRUE,
    .database_online = TRUE,
  };

  if (!(reader = reader_new (bytes, error)) || !expect_root (reader, "osm", error))
    return FALSE;

  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      if (xmlTextReaderNodeType (reader) != XML_READER_TYPE_ELEMENT)
        continue;

      if (is_element (reader, "api"))
        seen_api = TRUE;
      else if (is_element (reader, "area") && xmlTextReaderDepth (reader) == 2)
        {
          if (!read_double (reader, "maximum", &capabilities->area_maximum, error))
            return FALSE;
        }
      else if (is_element (reader, "note_area"))
        {
          if (!read_double (reader, "maximum", &capabilities->note_area_maximum, error))
            return FALSE;
        }
      else if (is_element (reader, "waynodes"))
        {
          if (!read_uint (reader, "maximum", &capabilities->waynodes_maximum, error))
            return FALSE;
        }
      else if (is_element (reader, "changesets"))
        {
          if (!read_uint (reader, "maximum_elements",
                          &capabilities->changeset_maximum_elements, error))
            return FALSE;
        }
      else if (is_element (reader, "timeout"))
        {
          if (!read_uint (reader, "seconds", &capabilities->timeout, error))
            return FALSE;
        }
      else if (is_element (reader, "status"))
        {
          g_autofree char *api = get_attribute (reader, "api");
          g_autofree char *database = get_attribute (reader, "database");

          capabilities->api_online = api == NULL || g_str_equal (api, "online");
          capabilities->database_online = database == NULL || g_str_equal (database, "online");
        }
    }

  if (rc < 0)
    {
      set_parse_error (error, reader, "capabilities");
      return FALSE;
    }
  if (!seen_api)
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           "The capabilities document has no <api> element");
      return FALSE;
    }

  return TRUE;
}

/**
 * balise_osm_xml_parse_error:
 *
 * Reads an `<osmError>` document (sent with HTTP 200 when the request had
 * `X-Error-Format: xml`): "409 Conflict" gives @status 409.
 */
gboolean
balise_osm_xml_parse_error (GBytes  *bytes,
                            guint   *status,
                            char   **message,
                            GError **error)
{
  g_autoptr(xmlTextReader) reader = NULL;
  g_autofree char *status_text = NULL;
  g_autofree char *message_text = NULL;
  int rc;

  g_return_val_if_fail (bytes != NULL, FALSE);

  if (!(reader = reader_new (bytes, error)) || !expect_root (reader, "osmError", error))
    return FALSE;

  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      if (is_element (reader, "status"))
        {
          g_free (status_text);
          status_text = read_text (reader);
        }
      else if (is_element (reader, "message"))
        {
          g_free (message_text);
          message_text = read_text (reader);
        }
    }

  if (rc < 0)
    {
      set_parse_error (error, reader, "osmError");
      return FALSE;
    }
  if (status_text == NULL || g_ascii_strtoull (status_text, NULL, 10) < 400)
    {
      g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                           "The osmError document has no valid <status>");
      return FALSE;
    }

  *status = (guint) g_ascii_strtoull (status_text, NULL, 10);
  *message = g_strdup (message_text ? message_text : "");
  return TRUE;
}

void
balise_changeset_info_free (BaliseChangesetInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->tags, balise_tags_unref);
  g_free (info);
}

/**
 * balise_osm_xml_parse_changesets:
 *
 * Reads `GET /api/0.6/changesets` (or one changeset).
 *
 * Returns: (element-type BaliseChangesetInfo) (transfer full):
 */
GPtrArray *
balise_osm_xml_parse_changesets (GBytes  *bytes,
                                 GError **error)
{
  g_autoptr(xmlTextReader) reader = NULL;
  g_autoptr(GPtrArray) changesets = NULL;
  BaliseChangesetInfo *current = NULL;
  int rc;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (!(reader = reader_new (bytes, error)) || !expect_root (reader, "osm", error))
    return NULL;

  changesets = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_changeset_info_free);
  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      if (is_element (reader, "changeset") && xmlTextReaderDepth (reader) == 1)
        {
          g_autofree char *open = get_attribute (reader, "open");

          current = g_new0 (BaliseChangesetInfo, 1);
          current->tags = balise_tags_new ();
          current->open = g_strcmp0 (open, "true") == 0;
          g_ptr_array_add (changesets, current);
          if (!get_int64_attribute (reader, "id", TRUE, &current->id, error))
            return NULL;
        }
      else if (is_element (reader, "tag") && xmlTextReaderDepth (reader) == 2 && current != NULL)
        {
          g_autofree char *k = get_attribute (reader, "k");
          g_autofree char *v = get_attribute (reader, "v");

          if (k != NULL && v != NULL)
            balise_tags_set (current->tags, k, v);
        }
    }

  if (rc < 0)
    {
      set_parse_error (error, reader, "changesets");
      return NULL;
    }

  return g_steal_pointer (&changesets);
}

/**
 * balise_osm_xml_parse_user:
 *
 * Reads `GET /api/0.6/user/details`.
 */
gboolean
balise_osm_xml_parse_user (GBytes  *bytes,
                           gint64  *uid,
                           char   **display_name,
                           GError **error)
{
  g_autoptr(xmlTextReader) reader = NULL;
  int rc;

  g_return_val_if_fail (bytes != NULL, FALSE);

  if (!(reader = reader_new (bytes, error)) || !expect_root (reader, "osm", error))
    return FALSE;

  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      if (is_element (reader, "user") && xmlTextReaderDepth (reader) == 1)
        {
          if (!get_int64_attribute (reader, "id", TRUE, uid, error))
            return FALSE;
          if (display_name != NULL)
            *display_name = get_attribute (reader, "display_name");
          return TRUE;
        }
    }

  if (rc < 0)
    set_parse_error (error, reader, "user details");
  else
    g_set_error_literal (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_PARSE,
                         "The user details hold no <user>");
  return FALSE;
}
