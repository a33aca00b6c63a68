/* balise-pbf.h: a reader of OpenStreetMap PBF files
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <readosm.h>

G_BEGIN_DECLS

/* Return codes beyond readosm's own (READOSM_OK, READOSM_READ_ERROR,
 * READOSM_INVALID_PBF_HEADER, READOSM_UNZIP_ERROR, READOSM_FILE_NOT_FOUND,
 * READOSM_INSUFFICIENT_MEMORY, or what a callback returned). */
#define BALISE_PBF_UNSUPPORTED_COMPRESSION (-100)
#define BALISE_PBF_UNSUPPORTED_FEATURE     (-101)

int _balise_pbf_parse (const char                *path,
                       const void                *user_data,
                       readosm_node_callback      node_func,
                       readosm_way_callback       way_func,
                       readosm_relation_callback  relation_func);

G_END_DECLS
