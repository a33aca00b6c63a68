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
  return self;
}

void
balise_feature_sheet_free (BaliseFeatureSheet *self)
{
  g_array_unref (self->pieces);
  g_array_unref (self->marks);
  g_free (self);
}

void
balise_feature_sheet_invalidate (BaliseFeatureSheet *self)
{
  self->drawn = FALSE;
  g_array_set_size (self->pieces, 0);
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

/* Where the widget's top-left corner is in world pixels (Web Mercator at
 * this zoom), to put the sheet's corner on the cells' grid. */
static void
world_origin (GtkWidget       *widget,
              ShumateViewport *viewport,
              double          *wx,
              double          *wy)
{
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  double world = shumate_map_source_get_tile_size (source) *
                 pow (2, shumate_viewport_get_zoom_level (viewport));
  double lat, lon, s;

  shumate_viewport_widget_coords_to_location (viewport, widget, 0, 0, &lat, &lon);
  s = sin (CLAMP (lat, -85.0511, 85.0511) * G_PI / 180);
  *wx = (lon + 180) / 360 * world;
  *wy = (0.5 - log ((1 + s) / (1 - s)) / (4 * G_PI)) * world;
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

  pango_cairo_update_layout (cr, layout);
  for (guint i = 0; i < clusters->len; i++)
    {
      const BaliseCluster *cluster = &g_array_index (clusters, BaliseCluster, i);
      char count[16];
      double x, y, r, col, row;
      int text_w, text_h;
      Mark mark;

      if (cluster->count == 0)
        continue;

      shumate_viewport_location_to_widget_coords (viewport, widget, cluster->lat, cluster->lon, &x, &y);
      x -= sx;
      y -= sy;
      r = 11 + 4 * log10 (cluster->count);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.11, 0.44, 0.85, 0.85);
      cairo_fill (cr);

      g_snprintf (count, sizeof count, "%u", cluster->count);
      pango_layout_set_text (layout, count, -1);
      pango_layout_get_pixel_size (layout, &text_w, &text_h);
      cairo_move_to (cr, x - text_w / 2.0, y - text_h / 2.0);
      cairo_set_source_rgb (cr, 1, 1, 1);
      pango_cairo_show_layout (cr, layout);

      /* The mean of a cell's features lies in the cell. */
      col = floor ((cluster->lon - self->grid_west) / self->cell_width);
      row = floor ((cluster->lat - self->grid_south) / self->cell_height);
      mark = (Mark) { x, y, cluster->count, r, cluster->lat, cluster->lon,
                      self->grid_west + col * self->cell_width,
                      self->grid_south + row * self->cell_height,
                      self->grid_west + (col + 1) * self->cell_width,
                      self->grid_south + (row + 1) * self->cell_height };
      g_array_append_val (self->marks, mark);
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
