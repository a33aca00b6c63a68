/* balise-rtree-load.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "balise-core-types.h"

G_BEGIN_DECLS

/* Fills an SQLite R*Tree (a 2-D `rtree` virtual table) in one pass.
 *
 * SQLite's R*Tree has no bulk load: each INSERT descends the tree, and
 * splits and re-inserts as nodes fill, which costs about 8 µs a row. An
 * import writes hundreds of thousands of rows at once, so Balise packs the
 * tree itself with Sort-Tile-Recursive (Leutenegger et al., 1997) and
 * writes the nodes straight into the table's shadow tables (`%_node`,
 * `%_rowid`, `%_parent`) in SQLite's documented on-disk format. The tree
 * it writes passes `rtreecheck()` and is then updated by SQLite as usual.
 *
 * @select is an SQL query returning (id, min_x, max_x, min_y, max_y) rows;
 * rows with NULL coordinates are left out. The table's previous contents
 * are replaced. Runs inside the caller's transaction. */
gboolean _balise_rtree_load (sqlite3     *db,
                             const char  *table,
                             const char  *select,
                             GError     **error);

/* The same from boxes gathered by the caller, e.g. while it inserted the
 * rows: no query to read them back. */
typedef struct _BaliseRtreeBoxes BaliseRtreeBoxes;

BaliseRtreeBoxes *_balise_rtree_boxes_new   (void);
void              _balise_rtree_boxes_free  (BaliseRtreeBoxes  *boxes);
void              _balise_rtree_boxes_add   (BaliseRtreeBoxes  *boxes,
                                             gint64             id,
                                             double             min_x,
                                             double             max_x,
                                             double             min_y,
                                             double             max_y);
/* Consumes @boxes (they are sorted in place). */
gboolean          _balise_rtree_load_boxes  (sqlite3           *db,
                                             const char        *table,
                                             BaliseRtreeBoxes  *boxes,
                                             GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BaliseRtreeBoxes, _balise_rtree_boxes_free)

G_END_DECLS
