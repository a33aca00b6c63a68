/* balise-rtree-load.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-rtree"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "balise-rtree-load.h"
#include "balise-store-private.h"

/* SQLite's R*Tree format (ext/rtree/rtree.c, "Database Format of R-Tree
 * Tables"): the tree lives in three shadow tables. `%_node` holds one blob
 * per node: a 2-byte tree depth (meaningful in the root, node 1, only), a
 * 2-byte cell count, then the cells; all integers are big-endian. A cell
 * of a 2-D `rtree` is an 8-byte id (a rowid in a leaf, a child node number
 * above) and four 32-bit floats (min x, max x, min y, max y). Every blob
 * has the size of the root's. `%_rowid` maps each rowid to its leaf, and
 * `%_parent` each node but the root to its parent. */
#define CELL_SIZE   (8 + 4 * 4)
#define HEADER_SIZE 4

typedef struct
{
  gint64 id;
  float  box[4];   /* min x, max x, min y, max y */
} Cell;

typedef struct
{
  sqlite3      *db;
  sqlite3_stmt *node;
  sqlite3_stmt *rowid;
  sqlite3_stmt *parent;
  guint8       *blob;
  gsize         node_size;
  guint         max_cells;
  gint64        next_node;
  GArray       *leaf_rows;   /* LeafRow, written to %_rowid at the end */
} Loader;

/* A row of %_rowid: which leaf holds @rowid. */
typedef struct
{
  gint64 rowid;
  gint64 node_no;
} LeafRow;

/* Rounds outwards, as SQLite does, so that a float box always holds the
 * double one. */
static float
round_down (double value)
{
  float f = (float) value;

  return (double) f > value ? nextafterf (f, -INFINITY) : f;
}

static float
round_up (double value)
{
  float f = (float) value;

  return (double) f < value ? nextafterf (f, INFINITY) : f;
}

static void
put_u16 (guint8  *p,
         guint16  value)
{
  p[0] = value >> 8;
  p[1] = value & 0xff;
}

static void
put_u64 (guint8  *p,
         guint64  value)
{
  for (int i = 7; i >= 0; i--, value >>= 8)
    p[i] = value & 0xff;
}

static void
put_float (guint8 *p,
           float   value)
{
  guint32 bits;

  memcpy (&bits, &value, sizeof bits);
  p[0] = bits >> 24;
  p[1] = (bits >> 16) & 0xff;
  p[2] = (bits >> 8) & 0xff;
  p[3] = bits & 0xff;
}

static int
compare_x (const void *a,
           const void *b)
{
  const Cell *ca = a, *cb = b;
  float xa = ca->box[0] + ca->box[1];
  float xb = cb->box[0] + cb->box[1];

  return (xa > xb) - (xa < xb);
}

static int
compare_y (const void *a,
           const void *b)
{
  const Cell *ca = a, *cb = b;
  float ya = ca->box[2] + ca->box[3];
  float yb = cb->box[2] + cb->box[3];

  return (ya > yb) - (ya < yb);
}

static gboolean
step_done (Loader        *loader,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, loader->db, "Could not write the spatial index");
      return FALSE;
    }
  return TRUE;
}

/* Writes node @node_no holding @cells, and the mappings of its children. */
static gboolean
write_node (Loader      *loader,
            gint64       node_no,
            guint        depth,
            gboolean     leaf,
            const Cell  *cells,
            guint        n_cells,
            Cell        *bounds,
            GError     **error)
{
  guint8 *p = loader->blob + HEADER_SIZE;

  g_assert (n_cells <= loader->max_cells);

  memset (loader->blob, 0, loader->node_size);
  put_u16 (loader->blob, node_no == 1 ? depth : 0);
  put_u16 (loader->blob + 2, n_cells);

  bounds->id = node_no;
  if (n_cells > 0)
    memcpy (bounds->box, cells[0].box, sizeof bounds->box);
  else
    memset (bounds->box, 0, sizeof bounds->box);
  for (guint i = 0; i < n_cells; i++, p += CELL_SIZE)
    {
      const Cell *cell = &cells[i];
      sqlite3_stmt *map = leaf ? loader->rowid : loader->parent;

      put_u64 (p, (guint64) cell->id);
      for (guint k = 0; k < 4; k++)
        put_float (p + 8 + 4 * k, cell->box[k]);
      bounds->box[0] = MIN (bounds->box[0], cell->box[0]);
      bounds->box[1] = MAX (bounds->box[1], cell->box[1]);
      bounds->box[2] = MIN (bounds->box[2], cell->box[2]);
      bounds->box[3] = MAX (bounds->box[3], cell->box[3]);

      if (leaf)
        {
          LeafRow row = { cell->id, node_no };

          g_array_append_val (loader->leaf_rows, row);
          continue;
        }
      sqlite3_bind_int64 (map, 1, cell->id);
      sqlite3_bind_int64 (map, 2, node_no);
      if (!step_done (loader, map, error))
        return FALSE;
    }

  sqlite3_bind_int64 (loader->node, 1, node_no);
  sqlite3_bind_blob (loader->node, 2, loader->blob, loader->node_size, SQLITE_STATIC);
  return step_done (loader, loader->node, error);
}

/* Packs one level with Sort-Tile-Recursive: sorted by x into vertical
 * slices of about √P nodes each, each slice sorted by y and cut into
 * nodes of equal fill. Returns the cells of the level above. */
static GArray *
pack_level (Loader   *loader,
            GArray   *level,
            gboolean  leaf,
            GError  **error)
{
  Cell *cells = (Cell *) (gpointer) level->data;
  guint n = level->len;
  guint m = loader->max_cells;
  guint n_nodes = (n + m - 1) / m;
  guint n_slices = (guint) ceil (sqrt ((double) n_nodes));
  guint per_slice = ((n_nodes + n_slices - 1) / n_slices) * m;
  g_autoptr(GArray) parents = g_array_sized_new (FALSE, FALSE, sizeof (Cell), n_nodes);

  qsort (cells, n, sizeof (Cell), compare_x);
  for (guint start = 0; start < n; start += per_slice)
    {
      guint count = MIN (per_slice, n - start);
      guint slice_nodes = (count + m - 1) / m;
      guint offset = 0;

      qsort (cells + start, count, sizeof (Cell), compare_y);
      for (guint k = 0; k < slice_nodes; k++)
        {
          /* Spread the cells evenly rather than leave one node nearly empty. */
          guint take = count / slice_nodes + (k < count % slice_nodes ? 1 : 0);
          Cell bounds;

          if (!write_node (loader, loader->next_node++, 0, leaf,
                           cells + start + offset, take, &bounds, error))
            return NULL;
          g_array_append_val (parents, bounds);
          offset += take;
        }
    }
  return g_steal_pointer (&parents);
}

static int
compare_leaf_rows (const void *a,
                   const void *b)
{
  gint64 ra = ((const LeafRow *) a)->rowid;
  gint64 rb = ((const LeafRow *) b)->rowid;

  return (ra > rb) - (ra < rb);
}

/* The leaves hold rows in the order of space; %_rowid is written in the
 * order of rowids, each row appended to the B-tree's last page rather than
 * inserted somewhere in the middle (bench file, 262 000 boxes: the two
 * loads from 0.29 s to 0.21 s of CPU). */
static gboolean
write_leaf_rows (Loader  *loader,
                 GError **error)
{
  if (loader->leaf_rows->len > 1)
    qsort (loader->leaf_rows->data, loader->leaf_rows->len, sizeof (LeafRow), compare_leaf_rows);
  for (guint i = 0; i < loader->leaf_rows->len; i++)
    {
      const LeafRow *row = &g_array_index (loader->leaf_rows, LeafRow, i);

      sqlite3_bind_int64 (loader->rowid, 1, row->rowid);
      sqlite3_bind_int64 (loader->rowid, 2, row->node_no);
      if (!step_done (loader, loader->rowid, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_cells (sqlite3     *db,
            const char  *select,
            GArray      *cells,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_balise_store_prepare (db, select, &stmt, error))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Cell cell;

      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL ||
          sqlite3_column_type (stmt, 3) == SQLITE_NULL)
        continue;
      cell.id = sqlite3_column_int64 (stmt, 0);
      cell.box[0] = round_down (sqlite3_column_double (stmt, 1));
      cell.box[1] = round_up (sqlite3_column_double (stmt, 2));
      cell.box[2] = round_down (sqlite3_column_double (stmt, 3));
      cell.box[3] = round_up (sqlite3_column_double (stmt, 4));
      if (!(cell.box[0] <= cell.box[1] && cell.box[2] <= cell.box[3]))
        continue;
      g_array_append_val (cells, cell);
    }
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the rows to index");
      return FALSE;
    }
  return TRUE;
}

/* The size of the table's nodes, from its root; checks that it is a 2-D
 * R*Tree (an id and four coordinates). */
static gboolean
read_node_size (sqlite3     *db,
                const char  *table,
                gsize       *node_size,
                GError     **error)
{
  g_autoptr(sqlite_str) columns_sql = NULL;
  g_autoptr(sqlite_str) root_sql = NULL;
  g_autoptr(sqlite3_stmt) columns = NULL;
  g_autoptr(sqlite3_stmt) root = NULL;

  /* A 2-D rtree is a virtual table of five columns with a %_node table. */
  columns_sql = sqlite3_mprintf ("SELECT (SELECT count(*) FROM pragma_table_info (%Q)) = 5 "
                                 "AND EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                 "            AND name = %Q AND sql LIKE 'CREATE VIRTUAL TABLE%%rtree%%') "
                                 "AND EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                 "            AND name = %Q || '_node')",
                                 table, table, table);
  if (!_balise_store_prepare (db, columns_sql, &columns, error))
    return FALSE;
  if (sqlite3_step (columns) != SQLITE_ROW || sqlite3_column_int (columns, 0) != 1)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                   "“%s” is not a two-dimensional spatial index", table);
      return FALSE;
    }

  root_sql = sqlite3_mprintf ("SELECT length (data) FROM \"%w_node\" WHERE nodeno = 1", table);
  if (!_balise_store_prepare (db, root_sql, &root, error))
    return FALSE;
  if (sqlite3_step (root) != SQLITE_ROW)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                   "The spatial index “%s” is damaged (no root node)", table);
      return FALSE;
    }
  *node_size = sqlite3_column_int (root, 0);
  if (*node_size < HEADER_SIZE + 2 * CELL_SIZE)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_CORRUPT,
                   "The spatial index “%s” is damaged (root node of %zu bytes)",
                   table, *node_size);
      return FALSE;
    }
  return TRUE;
}

struct _BaliseRtreeBoxes
{
  GArray *cells;
};

BaliseRtreeBoxes *
_balise_rtree_boxes_new (void)
{
  BaliseRtreeBoxes *boxes = g_new0 (BaliseRtreeBoxes, 1);

  boxes->cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  return boxes;
}

void
_balise_rtree_boxes_free (BaliseRtreeBoxes *boxes)
{
  if (boxes == NULL)
    return;
  g_clear_pointer (&boxes->cells, g_array_unref);
  g_free (boxes);
}

void
_balise_rtree_boxes_add (BaliseRtreeBoxes *boxes,
                         gint64            id,
                         double            min_x,
                         double            max_x,
                         double            min_y,
                         double            max_y)
{
  Cell cell = { id, { round_down (min_x), round_up (max_x), round_down (min_y), round_up (max_y) } };

  if (cell.box[0] <= cell.box[1] && cell.box[2] <= cell.box[3])
    g_array_append_val (boxes->cells, cell);
}

gboolean
_balise_rtree_load (sqlite3     *db,
                    const char  *table,
                    const char  *select,
                    GError     **error)
{
  g_autoptr(BaliseRtreeBoxes) boxes = _balise_rtree_boxes_new ();

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (select != NULL, FALSE);

  if (!read_cells (db, select, boxes->cells, error))
    {
      g_prefix_error (error, "Could not build the spatial index “%s”: ", table);
      return FALSE;
    }
  return _balise_rtree_load_boxes (db, table, boxes, error);
}

gboolean
_balise_rtree_load_boxes (sqlite3           *db,
                          const char        *table,
                          BaliseRtreeBoxes  *boxes,
                          GError           **error)
{
  g_autoptr(GArray) level = NULL;
  g_autoptr(sqlite_str) clear_sql = NULL;
  g_autoptr(sqlite_str) node_sql = NULL;
  g_autoptr(sqlite_str) rowid_sql = NULL;
  g_autoptr(sqlite_str) parent_sql = NULL;
  g_autofree guint8 *blob = NULL;
  Loader loader = { db, NULL, NULL, NULL, NULL, 0, 0, 2, NULL };
  gboolean leaf = TRUE;
  guint depth = 0;
  gboolean ok = FALSE;
  Cell root_bounds;
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (boxes != NULL, FALSE);

  if (!read_node_size (db, table, &loader.node_size, error))
    return FALSE;
  level = g_steal_pointer (&boxes->cells);
  boxes->cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  loader.max_cells = (loader.node_size - HEADER_SIZE) / CELL_SIZE;
  blob = loader.blob = g_malloc (loader.node_size);
  loader.leaf_rows = g_array_sized_new (FALSE, FALSE, sizeof (LeafRow), level->len);

  clear_sql = sqlite3_mprintf ("DELETE FROM \"%w_node\"; DELETE FROM \"%w_rowid\"; "
                               "DELETE FROM \"%w_parent\";", table, table, table);
  node_sql = sqlite3_mprintf ("INSERT INTO \"%w_node\" (nodeno, data) VALUES (?1, ?2)", table);
  rowid_sql = sqlite3_mprintf ("INSERT INTO \"%w_rowid\" (rowid, nodeno) VALUES (?1, ?2)", table);
  parent_sql = sqlite3_mprintf ("INSERT INTO \"%w_parent\" (nodeno, parentnode) VALUES (?1, ?2)", table);
  if (!_balise_store_exec (db, clear_sql, error) ||
      !_balise_store_prepare (db, node_sql, &loader.node, error) ||
      !_balise_store_prepare (db, rowid_sql, &loader.rowid, error) ||
      !_balise_store_prepare (db, parent_sql, &loader.parent, error))
    goto out;

  /* Levels from the leaves up, until one node holds them all: the root. */
  while (level->len > loader.max_cells)
    {
      g_autoptr(GArray) parents = pack_level (&loader, level, leaf, error);

      if (parents == NULL)
        goto out;
      g_clear_pointer (&level, g_array_unref);
      level = g_steal_pointer (&parents);
      leaf = FALSE;
      depth++;
    }
  ok = write_node (&loader, 1, depth, leaf, (const Cell *) (gpointer) level->data, level->len,
                   &root_bounds, error) &&
       write_leaf_rows (&loader, error);
  g_debug ("Packed %s: %" G_GINT64_FORMAT " nodes, depth %u, in %.3f s",
           table, loader.next_node - 1, depth, (g_get_monotonic_time () - start) / 1e6);

out:
  g_clear_pointer (&loader.node, sqlite3_finalize);
  g_clear_pointer (&loader.rowid, sqlite3_finalize);
  g_clear_pointer (&loader.parent, sqlite3_finalize);
  g_clear_pointer (&loader.leaf_rows, g_array_unref);
  if (!ok)
    g_prefix_error (error, "Could not build the spatial index “%s”: ", table);
  return ok;
}
