/* balise-import-reader.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-import.h"

G_BEGIN_DECLS

/* The reading half of an import: readosm parses the extract on a thread of
 * its own, which also builds every row to write (tags as JSON, geometries
 * as SpatiaLite BLOBs, a way's node list) and hands them over in chunks.
 * The store's writer thread only binds and steps its INSERT, so parsing
 * and writing run side by side. At most a few chunks are in flight: the
 * memory stays bounded whatever the size of the file. */

typedef struct _BaliseImportReader BaliseImportReader;

/* An edit not yet uploaded, whose element an import may bring in a newer
 * version. */
typedef struct
{
  gint64 base_version;
  gint64 edit_id;
} BaliseUnsentEdit;

/* An unsent edit whose element the import brings in a newer version. */
typedef struct
{
  gint64 edit_id;
  gint64 base_version;
  gint64 new_version;
} BaliseImportFlag;

typedef struct
{
  BaliseOsmType  type;
  gint64         id;
  gint64         version;
  gint64         changeset;     /* 0 when unknown */
  double         x, y;          /* the representative point */
  /* Offsets into the chunk's data, and lengths; a length of -1 is NULL.
   * A node's geom is ready; a way carries its node ids (gint64) in refs,
   * and _balise_import_reader_build_way() makes its geometry. */
  guint32        timestamp, user, tags, category, name, ref, geom, refs, nodes, shape;
  gint32         timestamp_len, user_len, tags_len, category_len, name_len, ref_len;
  gint32         geom_len, n_refs, nodes_len, shape_len;
  gboolean       area;          /* a closed way that is an area */
  gboolean       built;         /* a way whose geom, nodes and shape are ready */
} BaliseImportRow;

/* What a way row binds, built on the writer's thread. */
typedef struct
{
  const guint8 *geom;
  gsize         geom_len;
  const guint8 *nodes;          /* balise-way-nodes.h */
  gsize         nodes_len;
  const guint8 *shape;
  gsize         shape_len;
  double        x, y;           /* the representative point, in geom */
} BaliseImportWay;

typedef struct
{
  GArray     *rows;            /* BaliseImportRow */
  GByteArray *data;
} BaliseImportChunk;

/* @unsent_nodes and @unsent_ways map an osm_id (gint64) to a GArray of
 * BaliseUnsentEdit; either may be NULL. They are only read. */
BaliseImportReader *_balise_import_reader_start  (const char                *path,
                                                  const char                *read_path,
                                                  GHashTable                *unsent_nodes,
                                                  GHashTable                *unsent_ways,
                                                  BaliseImportProgressFunc   progress,
                                                  gpointer                   progress_data,
                                                  GCancellable              *cancellable);

/* The next chunk of rows, blocking until the reader has one; NULL when the
 * file is read to its end or the reader stopped (see _finish()). */
BaliseImportChunk  *_balise_import_reader_next   (BaliseImportReader        *reader);
void                _balise_import_reader_release (BaliseImportReader       *reader,
                                                  BaliseImportChunk         *chunk);

/* Builds a way's representative point, node list and shape from the node
 * map, unless the reading thread did (row->built: it does when the writer
 * falls behind). Only on the thread that calls _next(); the values stay
 * valid until the next call. Returns FALSE (and counts the way as skipped)
 * when one of its nodes is not in the file. */
gboolean            _balise_import_reader_build_way (BaliseImportReader      *reader,
                                                     const BaliseImportChunk *chunk,
                                                     const BaliseImportRow   *row,
                                                     BaliseImportWay         *way);

/* Waits for the reading thread, after telling it to stop if @abort, and
 * frees the reader. Fills @stats (nodes, ways and relations read, features
 * and ways kept) and @flags with a BaliseImportFlag for every unsent edit
 * whose element changed. */
gboolean            _balise_import_reader_finish (BaliseImportReader        *reader,
                                                  gboolean                   abort,
                                                  BaliseImportStats         *stats,
                                                  GArray                   **flags,
                                                  GError                   **error);

/* Where a chunk's value starts. */
#define BALISE_IMPORT_CHUNK_AT(chunk, offset) ((const char *) (chunk)->data->data + (offset))

G_END_DECLS
