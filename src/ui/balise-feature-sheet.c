/* balise-feature-sheet.c: the features of a view drawn once, panned for free
 *
 * Thousands of texture nodes a frame cost the renderer more than the
 * markers are worth (PLATFORM.md §1.4: the render, not the snapshot, is the
 * bottleneck with software GL). So the features of the view and a margin
 * around it are drawn with cairo into one image, the sheet, anchored to the
 * map at its top-left corner; at low zoom, the clusters and their counts
 * the same way. While the view pans inside the sheet, a frame is the
 * sheet's pieces moved to where the anchor now is; the sheet is drawn again
 * when the view leaves it, when the zoom or the rotation changes, or when
 * the store changes.
 *
 * A software renderer pays for every pixel a texture covers, transparent or
 * not, about twice what a plain colour costs. So the sheet is cut into
 * pieces of PIECE_PX, the empty ones are dropped, and only the pieces in
 * view are appended: a frame costs the markers' area, not the screen's. The
 * pieces share the sheet's pixels.
 *
 * Single features on an unrotated map go further: their pieces sit on a
 * grid of the world at this zoom and are kept while the map pans, so
 * leaving the drawn area draws only the strip of pieces coming into the
 * margin, not the whole sheet again. Clusters, whose cells must be counted
 * whole, and a rotated map keep the one sheet.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-feature-layer"

#include "config.h"

#include <math.h>

#include "balise-feature-sheet.h"

/* Around the view, on each side: panning this far draws nothing new. */
#define MARGIN_PX 256
/* Cells of the clusters; the sheet's corner sits on their grid in world
 * pixels, so that a cluster stays where it is when the sheet is redrawn. */
#define CELL_PX   96
/* The sheet's pieces: small enough to leave out the empty space between
 * groups of markers, large enough to stay a few hundred nodes. */
#define PIECE_PX  64

typedef struct
{
  float  x;                 /* in the sheet */
  float  y;
  guint  count;             /* 1 for a feature */
  float  radius;            /* of a cluster's disc */
  double lat;               /* a cluster's centre, and the cell it counts */
  double lon;
  double west;
  double south;
  double east;
  double north;
} Mark;

typedef struct
{
  int         x;                /* in the sheet, in widget pixels */
  int         y;
  int         width;
  int         height;
  GdkTexture *texture;
} Piece;

static void
piece_clear (Piece *piece)
{
  g_clear_object (&piece->texture);
}

/* A piece of the world grid: its column and row at the sheet's zoom. */
typedef struct
{
  gint64      col;
  gint64      row;
  GdkTexture *texture;          /* NULL when nothing is drawn on it */
  GArray     *centres;          /* Centre: the features it holds */
} WorldPiece;

typedef struct
{
  double x;                     /* in world pixels */
  double y;
} Centre;

static guint
world_piece_hash (gconstpointer key)
{
  const WorldPiece *piece = key;

  return (guint) (piece->col * 73856093 ^ piece->row * 19349663);
}

static gboolean
world_piece_equal (gconstpointer a,
                   gconstpointer b)
{
  const WorldPiece *pa = a, *pb = b;

  return pa->col == pb->col && pa->row == pb->row;
}

static void
world_piece_free (WorldPiece *piece)
{
  g_clear_object (&piece->texture);
  g_array_unref (piece->centres);
  g_free (piece);
}

struct _BaliseFeatureSheet
{
  guint                    limit;
  BaliseFeatureMarkerFunc  marker;
  gpointer                 marker_data;

  gboolean                 drawn;
  GArray                  *pieces;        /* Piece, the sheet's non-empty ones */
  double                   anchor_lat;    /* the sheet's top-left corner */
  double                   anchor_lon;
  int                      width;         /* in widget pixels */
  int                      height;
  double                   zoom;
  int                      scale;
  gboolean                 clusters;
  double                   grid_west;     /* the clusters' cells, in degrees */
  double                   grid_south;
  double                   cell_width;
  double                   cell_height;
  GArray                  *marks;         /* Mark */

  /* The world's pieces, for single features on an unrotated map. */
  GHashTable              *world;         /* WorldKey → WorldPiece */
  double                   world_zoom;
  int                      world_scale;
};

BaliseFeatureSheet *
balise_feature_sheet_new (guint                    limit,
                          BaliseFeatureMarkerFunc  marker,
                          gpointer                 user_data)
{
  BaliseFeatureSheet *self = g_new0 (BaliseFeatureSheet, 1);

  self->limit = limit;
  self->marker = marker;
  self->marker_data = user_data;
  self->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  self->pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  g_array_set_clear_func (self->pieces, (GDestroyNotify) piece_clear);
  self->world = g_hash_table_new_full (world_piece_hash, world_piece_equal,
                                       (GDestroyNotify) world_piece_free, NULL);
  return self;
}

void
balise_feature_sheet_free (BaliseFeatureSheet *self)
{
  g_array_unref (self->pieces);
  g_array_unref (self->marks);
  g_hash_table_unref (self->world);
  g_free (self);
}

void
balise_feature_sheet_invalidate (BaliseFeatureSheet *self)
{
  self->drawn = FALSE;
  g_array_set_size (self->pieces, 0);
  g_hash_table_remove_all (self->world);
}

static gboolean
pixels_empty (const guchar *data,
              int           stride,
              int           x,
              int           y,
              int           width,
              int           height)
{
  for (int row = y; row < y + height; row++)
    {
      const guint32 *pixel = (const guint32 *) (data + (gsize) row * stride) + x;

      for (int col = 0; col < width; col++)
        if (pixel[col] != 0)
          return FALSE;
    }
  return TRUE;
}

/* Takes @surface: its non-empty pieces become textures over its pixels,
 * with no copy. The surface has one spare row, so that the bytes of a piece
 * may always run a whole stride past its last row. */
static void
cut_pieces (BaliseFeatureSheet *self,
            cairo_surface_t    *surface)
{
  g_autoptr(GBytes) bytes = NULL;
  const guchar *data;
  int stride = cairo_image_surface_get_stride (surface);
  int piece = PIECE_PX * self->scale;
  int width = self->width * self->scale;
  int height = self->height * self->scale;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  bytes = g_bytes_new_with_free_func (data, (gsize) stride * cairo_image_surface_get_height (surface),
                                      (GDestroyNotify) cairo_surface_destroy, surface);

  g_array_set_size (self->pieces, 0);
  for (int y = 0; y < height; y += piece)
    for (int x = 0; x < width; x += piece)
      {
        g_autoptr(GBytes) slice = NULL;
        int w = MIN (piece, width - x);
        int h = MIN (piece, height - y);
        gsize offset = (gsize) y * stride + (gsize) x * 4;
        Piece p;

        if (pixels_empty (data, stride, x, y, w, h))
          continue;

        slice = g_bytes_new_from_bytes (bytes, offset, (gsize) h * stride);
        p = (Piece) { x / self->scale, y / self->scale, w / self->scale, h / self->scale,
                      gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, slice, (gsize) stride) };
        g_array_append_val (self->pieces, p);
      }
}

/* The size of the world in pixels at the viewport's zoom (Web Mercator). */
static double
world_size (ShumateViewport *viewport)
{
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);

  return shumate_map_source_get_tile_size (source) * pow (2, shumate_viewport_get_zoom_level (viewport));
}

static void
location_to_world (double  world,
                   double  lat,
                   double  lon,
                   double *x,
                   double *y)
{
  double s = sin (CLAMP (lat, -85.0511, 85.0511) * G_PI / 180);

  *x = (lon + 180) / 360 * world;
  *y = (0.5 - log ((1 + s) / (1 - s)) / (4 * G_PI)) * world;
}

static void
world_to_location (double  world,
                   double  x,
                   double  y,
                   double *lat,
                   double *lon)
{
  *lon = x / world * 360 - 180;
  *lat = atan (sinh (G_PI * (1 - 2 * y / world))) * 180 / G_PI;
}

/* Where the widget's top-left corner is in world pixels, to put the sheet's
 * corner on the cells' grid. */
static void
world_origin (GtkWidget       *widget,
              ShumateViewport *viewport,
              double          *wx,
              double          *wy)
{
  double lat, lon;

  shumate_viewport_widget_coords_to_location (viewport, widget, 0, 0, &lat, &lon);
  location_to_world (world_size (viewport), lat, lon, wx, wy);
}

static void
draw_features (BaliseFeatureSheet *self,
               cairo_t            *cr,
               GtkWidget          *widget,
               ShumateViewport    *viewport,
               GPtrArray          *features,
               double              sx,
               double              sy)
{
  for (guint i = 0; i < features->len; i++)
    {
      const BaliseFeature *feature = g_ptr_array_index (features, i);
      cairo_surface_t *marker = self->marker (feature, self->marker_data);
      double x, y, size = cairo_image_surface_get_width (marker);
      Mark mark;

      shumate_viewport_location_to_widget_coords (viewport, widget, feature->lat, feature->lon, &x, &y);
      x -= sx;
      y -= sy;
      if (x < -size || y < -size || x > self->width + size || y > self->height + size)
        continue;

      cairo_set_source_surface (cr, marker, round (x - size / 2), round (y - size / 2));
      cairo_paint (cr);
      mark = (Mark) { x, y, 1, size / 2, feature->lat, feature->lon };
      g_array_append_val (self->marks, mark);
    }
}

static double
cluster_radius (guint count)
{
  return 11 + 4 * log10 (count);
}

/* Discs of neighbouring cells that would overlap become one: its count the
 * sum, its centre their weighted mean, its cells their union, so that no
 * count hides another and a click still zooms to everything it holds. */
static void
merge_overlapping (GArray *marks)
{
  gboolean merged = TRUE;

  while (merged)
    {
      merged = FALSE;
      for (guint i = 0; i < marks->len; i++)
        for (guint j = i + 1; j < marks->len; j++)
          {
            Mark *a = &g_array_index (marks, Mark, i);
            const Mark *b = &g_array_index (marks, Mark, j);
            double wa, wb;

            /* Two pixels of the map between two discs. */
            if (hypot (a->x - b->x, a->y - b->y) >= a->radius + b->radius + 2)
              continue;

            wa = (double) a->count / (a->count + b->count);
            wb = 1 - wa;
            a->x = wa * a->x + wb * b->x;
            a->y = wa * a->y + wb * b->y;
            a->lat = wa * a->lat + wb * b->lat;
            a->lon = wa * a->lon + wb * b->lon;
            a->west = MIN (a->west, b->west);
            a->south = MIN (a->south, b->south);
            a->east = MAX (a->east, b->east);
            a->north = MAX (a->north, b->north);
            a->count += b->count;
            a->radius = cluster_radius (a->count);
            g_array_remove_index_fast (marks, j);
            merged = TRUE;
            j--;
          }
    }
}

/* A blue disc growing with the count, the count in white. */
static void
draw_clusters (BaliseFeatureSheet *self,
               cairo_t            *cr,
               GtkWidget          *widget,
               ShumateViewport    *viewport,
               GArray             *clusters,
               double              sx,
               double              sy)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);

  for (guint i = 0; i < clusters->len; i++)
    {
      const BaliseCluster *cluster = &g_array_index (clusters, BaliseCluster, i);
      double x, y, col, row;
      Mark mark;

      if (cluster->count == 0)
        continue;

      shumate_viewport_location_to_widget_coords (viewport, widget, cluster->lat, cluster->lon, &x, &y);

      /* The mean of a cell's features lies in the cell. */
      col = floor ((cluster->lon - self->grid_west) / self->cell_width);
      row = floor ((cluster->lat - self->grid_south) / self->cell_height);
      mark = (Mark) { x - sx, y - sy, cluster->count, cluster_radius (cluster->count),
                      cluster->lat, cluster->lon,
                      self->grid_west + col * self->cell_width,
                      self->grid_south + row * self->cell_height,
                      self->grid_west + (col + 1) * self->cell_width,
                      self->grid_south + (row + 1) * self->cell_height };
      g_array_append_val (self->marks, mark);
    }
  merge_overlapping (self->marks);

  pango_cairo_update_layout (cr, layout);
  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *mark = &g_array_index (self->marks, Mark, i);
      char count[16];
      int text_w, text_h;

      cairo_arc (cr, mark->x, mark->y, mark->radius, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.11, 0.44, 0.85, 0.85);
      cairo_fill (cr);

      g_snprintf (count, sizeof count, "%u", mark->count);
      pango_layout_set_text (layout, count, -1);
      pango_layout_get_pixel_size (layout, &text_w, &text_h);
      cairo_move_to (cr, mark->x - text_w / 2.0, mark->y - text_h / 2.0);
      cairo_set_source_rgb (cr, 1, 1, 1);
      pango_cairo_show_layout (cr, layout);
    }
}

static gboolean
redraw (BaliseFeatureSheet  *self,
        GtkWidget           *widget,
        ShumateViewport     *viewport,
        BaliseStore         *store,
        gboolean             clusters,
        double              *sx,
        double              *sy,
        GError             **error)
{
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GArray) cells = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double corners[4][2];
  double west = G_MAXDOUBLE, south = G_MAXDOUBLE, east = -G_MAXDOUBLE, north = -G_MAXDOUBLE;
  double wx, wy;
  gint64 start = g_get_monotonic_time (), queried;

  /* The sheet's corner, in widget pixels, on the cells' grid. */
  world_origin (widget, viewport, &wx, &wy);
  *sx = floor ((wx - MARGIN_PX) / CELL_PX) * CELL_PX - wx;
  *sy = floor ((wy - MARGIN_PX) / CELL_PX) * CELL_PX - wy;
  if (shumate_viewport_get_rotation (viewport) != 0)
    *sx = *sy = -MARGIN_PX;

  self->width = (int) ceil ((gtk_widget_get_width (widget) - *sx + MARGIN_PX) / CELL_PX) * CELL_PX;
  self->height = (int) ceil ((gtk_widget_get_height (widget) - *sy + MARGIN_PX) / CELL_PX) * CELL_PX;
  self->zoom = shumate_viewport_get_zoom_level (viewport);
  self->scale = gtk_widget_get_scale_factor (widget);
  self->clusters = clusters;

  corners[0][0] = corners[2][0] = *sx;
  corners[1][0] = corners[3][0] = *sx + self->width;
  corners[0][1] = corners[1][1] = *sy;
  corners[2][1] = corners[3][1] = *sy + self->height;
  for (int i = 0; i < 4; i++)
    {
      double lat, lon;

      shumate_viewport_widget_coords_to_location (viewport, widget, corners[i][0], corners[i][1],
                                                  &lat, &lon);
      if (i == 0)
        {
          self->anchor_lat = lat;
          self->anchor_lon = lon;
        }
      west = MIN (west, lon);
      east = MAX (east, lon);
      south = MIN (south, lat);
      north = MAX (north, lat);
    }

  self->grid_west = west;
  self->grid_south = south;
  self->cell_width = MAX (east - west, 1e-9) / (self->width / CELL_PX);
  self->cell_height = MAX (north - south, 1e-9) / (self->height / CELL_PX);
  if (clusters)
    cells = balise_store_query_clusters (store, west, south, east, north,
                                         self->width / CELL_PX, self->height / CELL_PX, error);
  else
    features = balise_store_query_viewport (store, west, south, east, north, self->limit, error);
  if (cells == NULL && features == NULL)
    return FALSE;
  queried = g_get_monotonic_time ();

  /* One row more than drawn: see cut_pieces(). */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, self->width * self->scale,
                                        self->height * self->scale + 1);
  cairo_surface_set_device_scale (surface, self->scale, self->scale);
  cr = cairo_create (surface);

  g_array_set_size (self->marks, 0);
  if (clusters)
    draw_clusters (self, cr, widget, viewport, cells, *sx, *sy);
  else
    draw_features (self, cr, widget, viewport, features, *sx, *sy);

  cairo_destroy (cr);
  cut_pieces (self, surface);
  self->drawn = TRUE;

  g_debug ("Sheet of %u × %u px drawn again: %u marks in %u pieces, %.1f ms to read, %.1f ms to draw",
           self->width, self->height, self->marks->len, self->pieces->len, (queried - start) / 1000.0,
           (g_get_monotonic_time () - queried) / 1000.0);
  return TRUE;
}

/*
 * The world's pieces
 */

/* Around the pieces drawn, the features whose marker reaches into them. */
#define PAD_PX 32

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* Draws the pieces of columns @col0 to @col1 and rows @row0 to @row1 of the
 * world grid, in place of any kept, with at most @limit features. */
static gboolean
draw_world_pieces (BaliseFeatureSheet  *self,
                   BaliseStore         *store,
                   double               world,
                   gint64               col0,
                   gint64               row0,
                   gint64               col1,
                   gint64               row1,
                   guint                limit,
                   GError             **error)
{
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree WorldPiece **pieces = NULL;
  guint n_cols = (guint) (col1 - col0 + 1), n_rows = (guint) (row1 - row0 + 1);
  int width = (int) n_cols * PIECE_PX, height = (int) n_rows * PIECE_PX;
  double x0 = (double) col0 * PIECE_PX, y0 = (double) row0 * PIECE_PX;
  double west, south, east, north;
  cairo_surface_t *surface;
  const guchar *data;
  cairo_t *cr;
  int stride, piece_px = PIECE_PX * self->world_scale;
  gint64 start = g_get_monotonic_time (), queried;

  world_to_location (world, x0 - PAD_PX, y0 + height + PAD_PX, &south, &west);
  world_to_location (world, x0 + width + PAD_PX, y0 - PAD_PX, &north, &east);
  features = balise_store_query_viewport (store, west, south, east, north, limit, error);
  if (features == NULL)
    return FALSE;
  queried = g_get_monotonic_time ();

  pieces = g_new0 (WorldPiece *, n_cols * n_rows);
  for (guint i = 0; i < n_cols * n_rows; i++)
    {
      pieces[i] = g_new0 (WorldPiece, 1);
      pieces[i]->col = col0 + i % n_cols;
      pieces[i]->row = row0 + i / n_cols;
      pieces[i]->centres = g_array_new (FALSE, FALSE, sizeof (Centre));
    }

  /* One row more than drawn: see cut_pieces(). */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * self->world_scale,
                                        height * self->world_scale + 1);
  cairo_surface_set_device_scale (surface, self->world_scale, self->world_scale);
  cr = cairo_create (surface);
  for (guint i = 0; i < features->len; i++)
    {
      const BaliseFeature *feature = g_ptr_array_index (features, i);
      cairo_surface_t *marker = self->marker (feature, self->marker_data);
      double size = cairo_image_surface_get_width (marker);
      Centre centre;
      double x, y;

      location_to_world (world, feature->lat, feature->lon, &centre.x, &centre.y);
      x = centre.x - x0;
      y = centre.y - y0;
      if (x < -size || y < -size || x > width + size || y > height + size)
        continue;

      cairo_set_source_surface (cr, marker, round (x - size / 2), round (y - size / 2));
      cairo_paint (cr);
      if (x >= 0 && y >= 0 && x < width && y < height)
        g_array_append_val (pieces[(guint) (y / PIECE_PX) * n_cols + (guint) (x / PIECE_PX)]->centres,
                            centre);
    }
  cairo_destroy (cr);

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new_with_free_func (data, (gsize) stride * cairo_image_surface_get_height (surface),
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  for (guint i = 0; i < n_cols * n_rows; i++)
    {
      int x = (int) (i % n_cols) * piece_px, y = (int) (i / n_cols) * piece_px;

      if (!pixels_empty (data, stride, x, y, piece_px, piece_px))
        {
          g_autoptr(GBytes) slice = g_bytes_new_from_bytes (bytes, (gsize) y * stride + (gsize) x * 4,
                                                            (gsize) piece_px * stride);

          pieces[i]->texture = gdk_memory_texture_new (piece_px, piece_px, GDK_MEMORY_DEFAULT,
                                                       slice, (gsize) stride);
        }
      g_hash_table_replace (self->world, pieces[i], pieces[i]);
    }

  g_debug ("%u × %u pieces drawn: %u features, %.1f ms to read, %.1f ms to draw", n_cols, n_rows,
           features->len, (queried - start) / 1000.0, (g_get_monotonic_time () - queried) / 1000.0);
  return TRUE;
}

static WorldPiece *
lookup_world_piece (BaliseFeatureSheet *self,
                    gint64              col,
                    gint64              row)
{
  WorldPiece key = { col, row, NULL, NULL };

  return g_hash_table_lookup (self->world, &key);
}

/* The single features of an unrotated map: the pieces in view and in the
 * margin around it are drawn where missing, those far away dropped. */
static gboolean
snapshot_world (BaliseFeatureSheet  *self,
                GtkWidget           *widget,
                ShumateViewport     *viewport,
                BaliseStore         *store,
                GtkSnapshot         *snapshot,
                guint               *in_view,
                GError             **error)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double world = world_size (viewport);
  double wx, wy;
  gint64 ox, oy, col0, row0, col1, row1;
  gint64 miss_col0 = G_MAXINT64, miss_row0 = G_MAXINT64, miss_col1 = G_MININT64, miss_row1 = G_MININT64;
  GHashTableIter iter;
  WorldPiece *piece;

  if (self->world_zoom != shumate_viewport_get_zoom_level (viewport) ||
      self->world_scale != gtk_widget_get_scale_factor (widget))
    {
      g_hash_table_remove_all (self->world);
      self->world_zoom = shumate_viewport_get_zoom_level (viewport);
      self->world_scale = gtk_widget_get_scale_factor (widget);
    }

  world_origin (widget, viewport, &wx, &wy);
  ox = (gint64) round (wx);
  oy = (gint64) round (wy);

  /* The view and its margin. */
  col0 = floor_div (ox - MARGIN_PX, PIECE_PX);
  row0 = floor_div (oy - MARGIN_PX, PIECE_PX);
  col1 = floor_div (ox + width + MARGIN_PX - 1, PIECE_PX);
  row1 = floor_div (oy + height + MARGIN_PX - 1, PIECE_PX);
  for (gint64 row = row0; row <= row1; row++)
    for (gint64 col = col0; col <= col1; col++)
      if (lookup_world_piece (self, col, row) == NULL)
        {
          miss_col0 = MIN (miss_col0, col);
          miss_col1 = MAX (miss_col1, col);
          miss_row0 = MIN (miss_row0, row);
          miss_row1 = MAX (miss_row1, row);
        }

  if (miss_col0 <= miss_col1)
    {
      /* A strip gets its share of the limit, so that a crowded view is
       * thinned out alike in every piece. */
      double share = (double) ((miss_col1 - miss_col0 + 1) * (miss_row1 - miss_row0 + 1)) /
                     (double) ((col1 - col0 + 1) * (row1 - row0 + 1));
      guint limit = self->limit == 0 ? 0 : MAX (1, (guint) ceil (self->limit * share));
      gint64 keep = MARGIN_PX / PIECE_PX + 2;

      if (!draw_world_pieces (self, store, world, miss_col0, miss_row0, miss_col1, miss_row1,
                              limit, error))
        return FALSE;

      g_hash_table_iter_init (&iter, self->world);
      while (g_hash_table_iter_next (&iter, (gpointer *) &piece, NULL))
        if (piece->col < col0 - keep || piece->col > col1 + keep ||
            piece->row < row0 - keep || piece->row > row1 + keep)
          g_hash_table_iter_remove (&iter);
    }

  *in_view = 0;
  for (gint64 row = floor_div (oy, PIECE_PX); row <= floor_div (oy + height - 1, PIECE_PX); row++)
    for (gint64 col = floor_div (ox, PIECE_PX); col <= floor_div (ox + width - 1, PIECE_PX); col++)
      {
        piece = lookup_world_piece (self, col, row);
        if (piece == NULL || piece->texture == NULL)
          continue;

        gtk_snapshot_append_texture (snapshot, piece->texture,
                                     &GRAPHENE_RECT_INIT (col * PIECE_PX - ox, row * PIECE_PX - oy,
                                                          PIECE_PX, PIECE_PX));
        for (guint i = 0; i < piece->centres->len; i++)
          {
            const Centre *centre = &g_array_index (piece->centres, Centre, i);

            if (centre->x - wx >= 0 && centre->x - wx <= width &&
                centre->y - wy >= 0 && centre->y - wy <= height)
              (*in_view)++;
          }
      }

  return TRUE;
}

guint
balise_feature_sheet_snapshot (BaliseFeatureSheet *self,
                               GtkWidget          *widget,
                               ShumateViewport    *viewport,
                               BaliseStore        *store,
                               gboolean            clusters,
                               GtkSnapshot        *snapshot,
                               guint              *total_in_view)
{
  g_autoptr(GError) error = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean rotated = shumate_viewport_get_rotation (viewport) != 0;
  double x = 0, y = 0;
  guint in_view = 0, total = 0;

  if (!clusters && !rotated)
    {
      if (!snapshot_world (self, widget, viewport, store, snapshot, &in_view, &error))
        {
          g_warning ("Could not read the features in view: %s", error->message);
          return 0;
        }
      if (total_in_view != NULL)
        *total_in_view = in_view;
      return in_view;
    }

  if (self->drawn)
    {
      shumate_viewport_location_to_widget_coords (viewport, widget, self->anchor_lat,
                                                  self->anchor_lon, &x, &y);
      x = round (x);
      y = round (y);
    }

  if (!self->drawn || rotated || self->clusters != clusters ||
      self->zoom != shumate_viewport_get_zoom_level (viewport) ||
      self->scale != gtk_widget_get_scale_factor (widget) ||
      x > 0 || y > 0 || x + self->width < width || y + self->height < height)
    {
      if (!redraw (self, widget, viewport, store, clusters, &x, &y, &error))
        {
          g_warning ("Could not read the features in view: %s", error->message);
          return 0;
        }
    }

  for (guint i = 0; i < self->pieces->len; i++)
    {
      const Piece *piece = &g_array_index (self->pieces, Piece, i);
      double px = x + piece->x, py = y + piece->y;

      if (px + piece->width <= 0 || py + piece->height <= 0 || px >= width || py >= height)
        continue;
      gtk_snapshot_append_texture (snapshot, piece->texture,
                                   &GRAPHENE_RECT_INIT (px, py, piece->width, piece->height));
    }

  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *mark = &g_array_index (self->marks, Mark, i);

      if (x + mark->x >= 0 && x + mark->x <= width && y + mark->y >= 0 && y + mark->y <= height)
        {
          in_view++;
          total += mark->count;
        }
    }

  /* A rotated view is drawn for this frame only. */
  if (rotated)
    balise_feature_sheet_invalidate (self);

  if (total_in_view != NULL)
    *total_in_view = total;
  return in_view;
}

/**
 * balise_feature_sheet_get_clusters:
 * @self: a #BaliseFeatureSheet
 * @widget: the layer it is drawn in
 * @viewport: the layer's viewport
 *
 * The clusters of the sheet that are in view now, where they are in
 * @widget; none when the sheet holds single features or is to be drawn
 * again.
 *
 * Returns: (transfer full) (element-type BaliseSheetCluster): the clusters
 */
GArray *
balise_feature_sheet_get_clusters (BaliseFeatureSheet *self,
                                   GtkWidget          *widget,
                                   ShumateViewport    *viewport)
{
  GArray *clusters = g_array_new (FALSE, FALSE, sizeof (BaliseSheetCluster));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double x, y;

  if (!self->drawn || !self->clusters ||
      self->zoom != shumate_viewport_get_zoom_level (viewport))
    return clusters;

  shumate_viewport_location_to_widget_coords (viewport, widget, self->anchor_lat, self->anchor_lon,
                                              &x, &y);
  x = round (x);
  y = round (y);

  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *mark = &g_array_index (self->marks, Mark, i);
      BaliseSheetCluster cluster;

      if (x + mark->x < 0 || x + mark->x > width || y + mark->y < 0 || y + mark->y > height)
        continue;

      cluster = (BaliseSheetCluster) { x + mark->x, y + mark->y, mark->radius, mark->count,
                                       mark->lat, mark->lon,
                                       mark->west, mark->south, mark->east, mark->north };
      g_array_append_val (clusters, cluster);
    }

  return clusters;
}
