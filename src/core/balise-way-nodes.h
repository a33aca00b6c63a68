/* balise-way-nodes.h: a way's node list as the store keeps it
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core-types.h"

G_BEGIN_DECLS

/* element.way_nodes is a BLOB: for each node of the way, in order, its id
 * minus the previous node's id (the first: minus 0) as a zigzag varint, then
 * its version as a varint (0: not known). Neighbouring nodes of a way have
 * close ids, so a node takes 3 to 4 bytes where a JSON list of ids took 11. */

typedef struct
{
  gint64 id;
  gint64 version;     /* 0 when not known */
  double lat;
  double lon;
} BaliseWayNode;

void     _balise_way_nodes_append (GByteArray   *blob,
                                   gint64       *previous_id,
                                   gint64        id,
                                   gint64        version);

/* Appends the nodes of @blob to @nodes (BaliseWayNode, lat and lon left at
 * 0). FALSE when @blob is not a node list. */
gboolean _balise_way_nodes_decode (const guint8 *blob,
                                   gsize         len,
                                   GArray       *nodes);

/* The old form (schema 2 to 4), a JSON array of ids, packed with unknown
 * versions: for the migration. NULL when @json is not such an array. */
GBytes  *_balise_way_nodes_from_json (const char *json);

G_END_DECLS
