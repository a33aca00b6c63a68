/* balise-osm-xml.h: OSM API 0.6 documents (osmChange, diffResult, capabilities, errors)
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core-types.h"
#include "balise-edit.h"

G_BEGIN_DECLS

/* Answers larger than this are refused before they are parsed. */
#define BALISE_OSM_XML_MAX_BYTES (256 * 1024 * 1024)

typedef struct
{
  BaliseOsmType type;
  gint64        old_id;
  gint64        new_id;       /* 0 for a delete */
  gint64        new_version;  /* 0 for a delete */
} BaliseDiffEntry;

typedef struct
{
  double   area_maximum;          /* deg² for map?bbox */
  double   note_area_maximum;
  guint    waynodes_maximum;
  guint    changeset_maximum_elements;
  guint    timeout;
  gboolean api_online;            /* status api="online" */
  gboolean database_online;
} BaliseCapabilities;

typedef struct
{
  gint64      id;
  gboolean    open;
  BaliseTags *tags;
} BaliseChangesetInfo;

void       balise_changeset_info_free         (BaliseChangesetInfo *info);

GBytes    *balise_osm_xml_write_change        (GPtrArray           *edits,
                                               gint64               changeset_id,
                                               const char          *generator);
GPtrArray *balise_osm_xml_parse_change        (GBytes              *bytes,
                                               GError             **error);
GBytes    *balise_osm_xml_write_changeset     (BaliseTags          *tags,
                                               const char          *generator);
GArray    *balise_osm_xml_parse_diff_result   (GBytes              *bytes,
                                               GError             **error);
gboolean   balise_osm_xml_parse_capabilities  (GBytes              *bytes,
                                               BaliseCapabilities  *capabilities,
                                               GError             **error);
GPtrArray *balise_osm_xml_parse_changesets    (GBytes              *bytes,
                                               GError             **error);
gboolean   balise_osm_xml_parse_user          (GBytes              *bytes,
                                               gint64              *uid,
                                               char               **display_name,
                                               GError             **error);
/* Reads one element (`GET /api/0.6/node/ID`) into a BaliseEdit carrier:
 * osm_type, osm_id, base_version (its version), new_tags, lat/lon. */
BaliseEdit *balise_osm_xml_parse_element     (GBytes              *bytes,
                                              GError             **error);
/* Every element of `GET /api/0.6/ways?ways=ID,ID`: carriers as above, with
 * a way's @way_nodes; one deleted on the server has kind DELETE. */
GPtrArray  *balise_osm_xml_parse_elements    (GBytes              *bytes,
                                              GError             **error);
gboolean   balise_osm_xml_parse_error         (GBytes              *bytes,
                                               guint               *status,
                                               char               **message,
                                               GError             **error);

G_END_DECLS
