/* balise-element-fetch.h: the server's current version of one element
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-edit.h"

G_BEGIN_DECLS

/* GET /api/0.6/TYPE/ID from the server at @api_url (the base URL, as for
 * sync), on demand, e.g. to compare an edit with what the server has now.
 * The answer is a BaliseEdit carrier as balise_osm_xml_parse_element()
 * returns (base_version is the server's version); NULL with no error and
 * @deleted set when the server says it was deleted (410). */
void        balise_element_fetch_async  (const char          *api_url,
                                         BaliseOsmType        osm_type,
                                         gint64               osm_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
BaliseEdit *balise_element_fetch_finish (GAsyncResult        *result,
                                         gboolean            *deleted,
                                         GError             **error);

G_END_DECLS
