/* balise-note-json.h: the notes API's GeoJSON answers
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-note.h"

G_BEGIN_DECLS

/* Reads `GET /api/0.6/notes/ID.json` (a Feature) or a list (a
 * FeatureCollection) into notes as the server holds them: osm_note_id,
 * position, status (open, closed), comments, and the opening comment's text
 * as @text. No category, uuid or created_at. Errors are BALISE_OSM_ERROR_PARSE. */
GPtrArray *balise_note_json_parse (GBytes   *bytes,
                                   GError  **error);

G_END_DECLS
