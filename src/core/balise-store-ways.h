/* balise-store-ways.h: the nodes of a way in the base copy
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-store.h"
#include "balise-tags.h"
#include "balise-way-nodes.h"

G_BEGIN_DECLS

/* The nodes of way @osm_id, in order, with their versions (0 when the store
 * does not know it: a node list written before schema version 5) and
 * positions (from the way's shape). %BALISE_STORE_ERROR_NOT_FOUND when the
 * store has no such way or no node list for it. Returns a GArray of
 * BaliseWayNode. Reads on the store's read connection. */
GArray *balise_store_get_way_nodes (BaliseStore  *self,
                                    gint64        osm_id,
                                    GError      **error);

/* The base tags of node @osm_id: empty when the store does not hold it (it
 * keeps tagged nodes only). NULL only on a read error. */
BaliseTags *balise_store_get_node_tags (BaliseStore  *self,
                                        gint64        osm_id,
                                        GError      **error);

G_END_DECLS
