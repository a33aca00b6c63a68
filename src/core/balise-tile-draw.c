/* balise-tile-draw.c: one tile of the local basemap, with cairo and Pango
 *
 * A calm map for reading in the street: pale land, soft greens and blues,
 * white streets with thin casings, the big roads in warm tints, names in
 * dark grey on a white halo. Tunnels are faded, footways dashed. What is
 * too small to read at a zoom is left out.
 *
 * Everything is placed in world pixels (Web Mercator at 256 × 2^zoom), so
 * a road or a name that crosses a tile edge is drawn by both tiles at the
 * same place and the tiles join without seams.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-tile-renderer"

#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "balise-tile-renderer-private.h"

/* Shapes reach into a tile from this far around it (line widths, names). */
#define MARGIN_PX 128
/* Below the zoom of the first street names, a shape reaches into a tile by
 * half its line width at most; names of places and the coastline (which
 * closes the sea over the tile's box) still come from MARGIN_PX around. */
#define SHAPE_MARGIN_PX 16
#define FIRST_LABEL_ZOOM 15
/* How far to look for a coastline, to tell the open sea from inland. */
#define COAST_SEARCH_PX 4096
/* A coastline that stops this close to the edge of the data (in degrees,
 * about 500 m) was cut there by the extract. */
#define DATA_EDGE_DEGREES 0.005

#define LAND_RGB       0xf3f0ea
#define WATER_RGB      0xaad3df
#define BUILDING_RGB   0xdcd5ce
#define BUILDING_EDGE  0xc9bdb2
#define LABEL_RGB      0x3d3846
#define FONT_FAMILY    "Cantarell, DejaVu Sans, Sans"

typedef struct
{
  const char *value;
  int         min_zoom;
  double      width16;      /* px at zoom 16 */
  guint32     fill;
  guint32     casing;       /* 0: none */
  int         label_zoom;   /* names from this zoom */
  gboolean    dashed;
} RoadStyle;

/* Lowest first: the big roads are drawn over the small ones. */
static const RoadStyle road_styles[] = {
  { "steps", 16, 2.0, 0xe3907f, 0, 18, TRUE },
  { "path", 15, 1.4, 0xd08f7f, 0, 18, TRUE },
  { "footway", 15, 1.6, 0xe3907f, 0, 18, TRUE },
  { "bridleway", 15, 1.4, 0x6fa36f, 0, 18, TRUE },
  { "cycleway", 15, 1.6, 0x6f86d8, 0, 18, TRUE },
  { "track", 15, 2.0, 0xa8865a, 0, 18, TRUE },
  { "pedestrian", 14, 5.0, 0xeeeef3, 0xb8b6c4, 17, FALSE },
  { "service", 14, 3.5, 0xffffff, 0xc4bab0, 17, FALSE },
  { "living_street", 13, 5.5, 0xf5f5f5, 0xbab2a8, 16, FALSE },
  { "road", 13, 5.5, 0xffffff, 0xbab2a8, 16, FALSE },
  { "unclassified", 13, 6.0, 0xffffff, 0xbab2a8, 16, FALSE },
  { "residential", 13, 6.0, 0xffffff, 0xbab2a8, 16, FALSE },
  { "tertiary_link", 13, 5.0, 0xffffff, 0xa9a199, 16, FALSE },
  { "tertiary", 12, 7.5, 0xffffff, 0xa9a199, 15, FALSE },
  { "secondary_link", 13, 5.5, 0xf6f7c9, 0x9ea35f, 16, FALSE },
  { "secondary", 11, 8.5, 0xf6f7c9, 0x9ea35f, 15, FALSE },
  { "primary_link", 13, 6.0, 0xfbdcad, 0xc5935b, 16, FALSE },
  { "primary", 10, 9.0, 0xfbdcad, 0xc5935b, 15, FALSE },
  { "trunk_link", 12, 6.0, 0xf7bba6, 0xc97d68, 16, FALSE },
  { "trunk", 10, 10.0, 0xf7bba6, 0xc97d68, 15, FALSE },
  { "motorway_link", 12, 6.0, 0xe9a0ad, 0xc0606f, 16, FALSE },
  { "motorway", 10, 10.0, 0xe9a0ad, 0xc0606f, 15, FALSE },
};

typedef struct
{
  const char *value;
  guint32     rgb;
  int         order;        /* drawn in this order: the big, pale ones first */
} AreaStyle;

static const AreaStyle area_styles[] = {
  { "residential", 0xebe7e1, 0 },
  { "commercial", 0xf1e4e1, 0 },
  { "retail", 0xf1e2df, 0 },
  { "industrial", 0xeae3ea, 0 },
  { "railway", 0xe8e3e8, 0 },
  { "construction", 0xe9e6d8, 0 },
  { "brownfield", 0xe9e6d8, 0 },
  { "military", 0xefe1dc, 0 },
  { "farmland", 0xeef0d8, 1 },
  { "farmyard", 0xf0e4d3, 1 },
  { "vineyard", 0xdfeccb, 1 },
  { "orchard", 0xdaecc6, 1 },
  { "allotments", 0xdfe8cf, 1 },
  { "meadow", 0xdceec9, 1 },
  { "grassland", 0xdceec9, 1 },
  { "grass", 0xd5ecc4, 2 },
  { "village_green", 0xd5ecc4, 2 },
  { "recreation_ground", 0xd5ecc4, 2 },
  { "scrub", 0xcfe0b6, 2 },
  { "heath", 0xe2e5c0, 2 },
  { "forest", 0xb9d8aa, 2 },
  { "wood", 0xb9d8aa, 2 },
  { "cemetery", 0xcadfc9, 2 },
  { "park", 0xcdeac2, 3 },
  { "garden", 0xcdeac2, 3 },
  { "nature_reserve", 0xd5e9c9, 3 },
  { "golf_course", 0xcdeac2, 3 },
  { "playground", 0xc8eadb, 4 },
  { "pitch", 0xb9e4cc, 4 },
  { "sports_centre", 0xd5efe0, 4 },
  { "stadium", 0xd5efe0, 4 },
  { "track", 0xc9e3d5, 4 },
  { "marina", 0xc4dfe8, 4 },
  { "beach", 0xf7ecc3, 4 },
  { "sand", 0xf3e9c6, 4 },
  { "bare_rock", 0xe4dfd9, 4 },
  { "pedestrian", 0xeeeef3, 5 },
  { "water", WATER_RGB, 6 },
  { "reservoir", WATER_RGB, 6 },
  { "basin", WATER_RGB, 6 },
  { "swimming_pool", WATER_RGB, 6 },
  { "riverbank", WATER_RGB, 6 },
};

typedef struct
{
  const char *value;
  int         min_zoom;
  int         max_zoom;
  double      size;         /* px */
  guint32     rgb;
  gboolean    bold;
} PlaceStyle;

static const PlaceStyle place_styles[] = {
  { "city", 8, 15, 16, 0x2e2c33, TRUE },
  { "town", 10, 16, 14, 0x333138, TRUE },
  { "village", 12, 17, 13, 0x3d3846, FALSE },
  { "suburb", 12, 16, 13, 0x5e5c64, FALSE },
  { "quarter", 14, 17, 12, 0x5e5c64, FALSE },
  { "hamlet", 14, 18, 11.5, 0x3d3846, FALSE },
  { "neighbourhood", 15, 18, 11.5, 0x6a6870, FALSE },
  { "locality", 16, 19, 10.5, 0x77767b, FALSE },
};

typedef enum
{
  ITEM_AREA,
  ITEM_BUILDING,
  ITEM_WATERWAY,
  ITEM_COASTLINE,
  ITEM_ROAD,
  ITEM_RAIL,
  ITEM_PLACE,
} ItemKind;

typedef struct
{
  ItemKind        kind;
  gconstpointer   style;
  const guint8   *blob;
  gsize           size;
  char           *name;
  char           *value;
  gboolean        tunnel;
  gboolean        bridge;
  gboolean        polygon;
  int             order;
} Item;

typedef struct
{
  cairo_t       *cr;
  int            zoom;
  double         world;     /* world size in px */
  double         ox;        /* tile origin in world px */
  double         oy;
  GPtrArray     *items;
  GArray        *placed;    /* graphene-free boxes of the names drawn: 4 doubles each */
  PangoLayout   *layout;
  const double  *bounds;    /* where the data stops, in degrees; NULL: unknown */
} Tile;

/*
 * SpatiaLite BLOBs
 */

static gint32
read_i32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return (gint32) GUINT32_FROM_LE (v);
}

static double
read_f64 (const guint8 *p)
{
  guint64 bits;
  double v;

  memcpy (&bits, p, 8);
  bits = GUINT64_FROM_LE (bits);
  memcpy (&v, &bits, 8);
  return v;
}

static gboolean
blob_is_valid (const guint8 *blob,
               gsize         size)
{
  /* START, little-endian, SRID, MBR, MBR_END … END */
  return blob != NULL && size >= 44 + 16 && blob[0] == 0x00 && blob[1] == 0x01 &&
         blob[38] == 0x7c && blob[size - 1] == 0xfe;
}

gboolean
_balise_tile_blob_mbr (const guint8 *blob,
                       gsize         size,
                       double       *min_x,
                       double       *min_y,
                       double       *max_x,
                       double       *max_y)
{
  if (!blob_is_valid (blob, size))
    return FALSE;

  *min_x = read_f64 (blob + 6);
  *min_y = read_f64 (blob + 14);
  *max_x = read_f64 (blob + 22);
  *max_y = read_f64 (blob + 30);
  return isfinite (*min_x) && isfinite (*min_y) && isfinite (*max_x) && isfinite (*max_y);
}

static void
project (const Tile *tile,
         double      lon,
         double      lat,
         double     *px,
         double     *py)
{
  double s = sin (CLAMP (lat, -85.0511, 85.0511) * G_PI / 180.0);

  *px = (lon + 180.0) / 360.0 * tile->world - tile->ox;
  *py = (0.5 - log ((1 + s) / (1 - s)) / (4 * G_PI)) * tile->world - tile->oy;
}

/* Adds one ring or line to the path, leaving out points closer than half a
 * pixel to the previous one. */
static gboolean
add_points (const Tile    *tile,
            const guint8 **q,
            const guint8  *end,
            gboolean       close)
{
  gint32 n;
  double last_x = 0, last_y = 0;

  if (*q + 4 > end)
    return FALSE;
  n = read_i32 (*q);
  *q += 4;
  if (n < 0 || (gsize) (end - *q) < (gsize) n * 16)
    return FALSE;

  for (gint32 i = 0; i < n; i++)
    {
      double x, y;

      project (tile, read_f64 (*q + 16 * i), read_f64 (*q + 16 * i + 8), &x, &y);
      if (i == 0)
        cairo_move_to (tile->cr, x, y);
      else if (i == n - 1 || fabs (x - last_x) + fabs (y - last_y) >= 0.5)
        cairo_line_to (tile->cr, x, y);
      else
        continue;
      last_x = x;
      last_y = y;
    }
  if (close && n > 0)
    cairo_close_path (tile->cr);

  *q += (gsize) n * 16;
  return TRUE;
}

static gboolean
add_geometry (const Tile    *tile,
              gint32         geometry_class,
              const guint8 **q,
              const guint8  *end)
{
  gint32 count;

  switch (geometry_class)
    {
    case 1: /* POINT */
      *q += 16;
      return *q <= end;

    case 2: /* LINESTRING */
      return add_points (tile, q, end, FALSE);

    case 3: /* POLYGON */
      if (*q + 4 > end)
        return FALSE;
      count = read_i32 (*q);
      *q += 4;
      for (gint32 i = 0; i < count; i++)
        if (!add_points (tile, q, end, TRUE))
          return FALSE;
      return TRUE;

    case 4: case 5: case 6: case 7: /* MULTI… and GEOMETRYCOLLECTION */
      if (*q + 4 > end)
        return FALSE;
      count = read_i32 (*q);
      *q += 4;
      for (gint32 i = 0; i < count; i++)
        {
          gint32 member_class;

          if (*q + 5 > end || **q != 0x69)
            return FALSE;
          member_class = read_i32 (*q + 1);
          *q += 5;
          if (!add_geometry (tile, member_class, q, end))
            return FALSE;
        }
      return TRUE;

    default:
      return FALSE;
    }
}

static gboolean
add_path (const Tile *tile,
          const Item *item)
{
  const guint8 *q = item->blob + 43;

  cairo_new_path (tile->cr);
  return add_geometry (tile, read_i32 (item->blob + 39), &q, item->blob + item->size - 1);
}

static gint32
geometry_class (const Item *item)
{
  return read_i32 (item->blob + 39);
}

/*
 * Styles
 */

static void
set_rgb (cairo_t *cr,
         guint32  rgb,
         double   alpha)
{
  cairo_set_source_rgba (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0, alpha);
}

/* Line widths grow by 2^0.7 a zoom level: wide enough to read at 18, thin
 * enough not to merge at 13. */
static double
scaled_width (double width16,
              int    zoom)
{
  return MAX (0.6, width16 * pow (2, (zoom - 16) * 0.7));
}

static const RoadStyle *
road_style (const char *value,
            int        *order)
{
  if (value == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (road_styles); i++)
    if (g_str_equal (road_styles[i].value, value))
      {
        *order = (int) i;
        return &road_styles[i];
      }

  return NULL;
}

static const AreaStyle *
area_style (const char *value)
{
  if (value == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (area_styles); i++)
    if (g_str_equal (area_styles[i].value, value))
      return &area_styles[i];

  return NULL;
}

static const PlaceStyle *
place_style (const char *value,
             int         zoom)
{
  if (value == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (place_styles); i++)
    if (g_str_equal (place_styles[i].value, value))
      return zoom >= place_styles[i].min_zoom && zoom <= place_styles[i].max_zoom
             ? &place_styles[i] : NULL;

  return NULL;
}

int
_balise_tile_min_zoom (const char *category,
                       const char *value,
                       int         geometry_class,
                       gboolean    named,
                       double      width,
                       double      height)
{
  gboolean polygon = geometry_class == 3 || geometry_class == 6;
  int order, zoom = G_MAXINT;
  const RoadStyle *road;
  double extent = MAX (width, height);

  if (category == NULL)
    return G_MAXINT;

  /* As classify() sorts them. */
  if (g_str_equal (category, "road"))
    {
      road = road_style (value, &order);
      if (road != NULL)
        zoom = road->min_zoom;
      if (polygon && area_style (value) != NULL)
        zoom = MIN (zoom, 14);
    }
  else if (g_str_equal (category, "railway"))
    {
      if (value != NULL && !polygon &&
          (g_str_equal (value, "rail") || g_str_equal (value, "tram") ||
           g_str_equal (value, "light_rail") || g_str_equal (value, "subway") ||
           g_str_equal (value, "narrow_gauge") || g_str_equal (value, "funicular")))
        zoom = 12;
    }
  else if (g_str_equal (category, "building"))
    {
      if (polygon)
        zoom = 14;
    }
  else if (g_str_equal (category, "water"))
    {
      if (polygon || (value != NULL && (g_str_equal (value, "river") || g_str_equal (value, "canal"))))
        zoom = 0;
      else if (value != NULL)
        zoom = 14;
    }
  else if (g_str_equal (category, "landuse") || g_str_equal (category, "leisure"))
    {
      /* Every piece of the coastline counts, however small: the sea is
       * closed from the chains they make. */
      if (g_strcmp0 (value, "coastline") == 0)
        return 0;
      if (polygon && area_style (value) != NULL)
        zoom = 0;
    }
  else if (g_str_equal (category, "place"))
    {
      for (guint i = 0; value != NULL && i < G_N_ELEMENTS (place_styles); i++)
        if (g_str_equal (place_styles[i].value, value) && named && geometry_class == 1)
          return place_styles[i].min_zoom;
      return G_MAXINT;
    }

  if (zoom == G_MAXINT || geometry_class == 1)
    return zoom;

  /* A shape is drawn from the zoom where it spans a pixel. */
  if (extent <= 0)
    return G_MAXINT;
  return MAX (zoom, (int) ceil (log2 (360.0 / (BALISE_TILE_SIZE * extent))));
}

static gboolean
is_yes (const char *flags,
        guint       index)
{
  g_auto(GStrv) parts = NULL;

  if (flags == NULL)
    return FALSE;

  parts = g_strsplit (flags, "|", -1);
  return index < g_strv_length (parts) && parts[index][0] != '\0' && !g_str_equal (parts[index], "no");
}

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free ((gpointer) item->blob);
  g_free (item->name);
  g_free (item->value);
  g_free (item);
}

/* Sorts a row of the query into what it is drawn as, or drops it. */
static Item *
classify (const Tile   *tile,
          const char   *category,
          const guint8 *blob,
          gsize         size,
          const char   *name,
          const char   *value,
          const char   *flags)
{
  g_autofree Item *item = g_new0 (Item, 1);
  gint32 cls;
  int order = 0;

  if (category == NULL || !blob_is_valid (blob, size))
    return NULL;

  cls = read_i32 (blob + 39);
  item->polygon = cls == 3 || cls == 6;

  if (g_str_equal (category, "road"))
    {
      const RoadStyle *style = road_style (value, &order);
      const AreaStyle *area;

      if (item->polygon && (area = area_style (value)) != NULL && tile->zoom >= 14)
        {
          item->kind = ITEM_AREA;
          item->style = area;
          item->order = area->order;
        }
      else if (style != NULL && tile->zoom >= style->min_zoom)
        {
          item->kind = ITEM_ROAD;
          item->style = style;
          item->order = order;
        }
      else
        return NULL;
    }
  else if (g_str_equal (category, "railway"))
    {
      if (value == NULL || tile->zoom < 12 || item->polygon ||
          !(g_str_equal (value, "rail") || g_str_equal (value, "tram") ||
            g_str_equal (value, "light_rail") || g_str_equal (value, "subway") ||
            g_str_equal (value, "narrow_gauge") || g_str_equal (value, "funicular")))
        return NULL;
      item->kind = ITEM_RAIL;
    }
  else if (g_str_equal (category, "building"))
    {
      if (tile->zoom < 14 || !item->polygon)
        return NULL;
      item->kind = ITEM_BUILDING;
    }
  else if (g_str_equal (category, "water"))
    {
      if (item->polygon)
        {
          item->kind = ITEM_AREA;
          item->style = area_style ("water");
          item->order = ((const AreaStyle *) item->style)->order;
        }
      else if (value != NULL && (g_str_equal (value, "river") || g_str_equal (value, "canal") ||
                                 tile->zoom >= 14))
        item->kind = ITEM_WATERWAY;
      else
        return NULL;
    }
  else if (g_str_equal (category, "landuse") || g_str_equal (category, "leisure"))
    {
      const AreaStyle *style = area_style (value);

      if (g_strcmp0 (value, "coastline") == 0)
        item->kind = ITEM_COASTLINE;
      else if (item->polygon && style != NULL)
        {
          item->kind = ITEM_AREA;
          item->style = style;
          item->order = style->order;
        }
      else
        return NULL;
    }
  else if (g_str_equal (category, "place"))
    {
      const PlaceStyle *style = place_style (value, tile->zoom);

      if (style == NULL || name == NULL || cls != 1)
        return NULL;
      item->kind = ITEM_PLACE;
      item->style = style;
    }
  else
    return NULL;

  item->blob = g_memdup2 (blob, size);
  item->size = size;
  item->name = g_strdup (name);
  item->value = g_strdup (value);
  item->tunnel = is_yes (flags, 0) || is_yes (flags, 2);
  item->bridge = is_yes (flags, 1);

  return g_steal_pointer (&item);
}

/* Reads the rows whose extent meets the tile grown by @margin px, from the
 * index of everything, or of the coastlines only; @kinds, if not NULL,
 * limits them to some kinds of BaliseTileKind (an SQL condition on r.kind). */
static gboolean
read_items (Tile          *tile,
            sqlite3       *db,
            double         margin,
            gboolean       coastlines,
            const char    *kinds,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  double west, east, north, south, n;
  guint rows = 0;
  int rc;

  /* The tile's box in degrees, with the margin. */
  west = (tile->ox - margin) / tile->world * 360.0 - 180.0;
  east = west + (BALISE_TILE_SIZE + 2 * margin) / tile->world * 360.0;
  n = G_PI * (1 - 2 * (tile->oy - margin) / tile->world);
  north = atan (sinh (CLAMP (n, -G_PI, G_PI))) * 180.0 / G_PI;
  n = G_PI * (1 - 2 * (tile->oy + BALISE_TILE_SIZE + margin) / tile->world);
  south = atan (sinh (CLAMP (n, -G_PI, G_PI))) * 180.0 / G_PI;

  g_string_append (sql,
                   "SELECT e.category, coalesce (e.shape, e.geom), e.name,"
                   " " BALISE_TILE_VALUE_SQL ","
                   " CASE WHEN e.category IN ('road', 'railway') THEN"
                   "  coalesce (json_extract (e.tags, '$.tunnel'), '') || '|' ||"
                   "  coalesce (json_extract (e.tags, '$.bridge'), '') || '|' ||"
                   "  coalesce (json_extract (e.tags, '$.covered'), '')"
                   " END"
                   " FROM main.");
  g_string_append (sql, coastlines ? BALISE_TILE_COAST_TABLE : BALISE_TILE_INDEX_TABLE);
  g_string_append (sql,
                   " AS r JOIN store.element AS e ON e.id = r.id"
                   /* Only what this zoom draws: the index knows from which
                    * zoom each shape is drawn, so that the small streets,
                    * the buildings and what is smaller than a pixel are
                    * never read at low zoom. */
                   " WHERE r.xmin <= ?1 AND r.xmax >= ?2 AND r.ymin <= ?3 AND r.ymax >= ?4"
                   " AND r.minzoom <= ?5");
  if (kinds != NULL)
    g_string_append_printf (sql, " AND %s", kinds);

  if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not read the map data: %s", sqlite3_errmsg (db));
      return FALSE;
    }

  sqlite3_bind_double (stmt, 1, east);
  sqlite3_bind_double (stmt, 2, west);
  sqlite3_bind_double (stmt, 3, north);
  sqlite3_bind_double (stmt, 4, south);
  sqlite3_bind_int (stmt, 5, tile->zoom);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Item *item;

      if (++rows % 1024 == 0 && g_cancellable_is_cancelled (cancellable))
        break;

      item = classify (tile,
                       (const char *) sqlite3_column_text (stmt, 0),
                       sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                       (const char *) sqlite3_column_text (stmt, 2),
                       (const char *) sqlite3_column_text (stmt, 3),
                       (const char *) sqlite3_column_text (stmt, 4));
      if (item != NULL)
        g_ptr_array_add (tile->items, item);
    }

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "Could not read the map data: %s", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return FALSE;

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/*
 * Drawing
 */

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const Item *ia = *(const Item * const *) a;
  const Item *ib = *(const Item * const *) b;

  if (ia->order != ib->order)
    return ia->order - ib->order;
  /* Ties in a fixed order, so that two tiles agree. */
  if (ia->size != ib->size)
    return ia->size < ib->size ? -1 : 1;
  return memcmp (ia->blob, ib->blob, ia->size);
}

/* The sea first, over the land colour, from the coastlines around. */
static void
draw_sea (Tile *tile)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  double data_box[4];

  for (guint i = 0; i < tile->items->len; i++)
    {
      const Item *item = g_ptr_array_index (tile->items, i);
      const guint8 *q = item->blob + 43;
      const guint8 *end = item->blob + item->size - 1;
      GArray *line;
      gint32 n;

      if (item->kind != ITEM_COASTLINE || geometry_class (item) != 2)
        continue;
      n = read_i32 (q);
      q += 4;
      if (n < 2 || (gsize) (end - q) < (gsize) n * 16)
        continue;

      line = g_array_sized_new (FALSE, FALSE, 2 * sizeof (double), n);
      for (gint32 j = 0; j < n; j++)
        {
          double xy[2];

          project (tile, read_f64 (q + 16 * j), read_f64 (q + 16 * j + 8), &xy[0], &xy[1]);
          g_array_append_val (line, xy);
        }
      g_ptr_array_add (lines, line);
    }

  if (lines->len == 0)
    return;

  if (tile->bounds != NULL)
    {
      project (tile, tile->bounds[0], tile->bounds[3], &data_box[0], &data_box[1]);
      project (tile, tile->bounds[2], tile->bounds[1], &data_box[2], &data_box[3]);
    }

  set_rgb (tile->cr, WATER_RGB, 1);
  if (!_balise_tile_fill_sea (tile->cr, lines, MARGIN_PX / 2, tile->bounds != NULL ? data_box : NULL,
                              DATA_EDGE_DEGREES / 360 * tile->world))
    g_debug ("The coastline stops inside tile %d/%.0f/%.0f: no sea drawn", tile->zoom,
             tile->ox / BALISE_TILE_SIZE, tile->oy / BALISE_TILE_SIZE);
}

static void
draw_areas (Tile *tile)
{
  cairo_set_fill_rule (tile->cr, CAIRO_FILL_RULE_EVEN_ODD);

  for (guint i = 0; i < tile->items->len; i++)
    {
      const Item *item = g_ptr_array_index (tile->items, i);
      const AreaStyle *style = item->style;

      if (item->kind != ITEM_AREA || !add_path (tile, item))
        continue;

      set_rgb (tile->cr, style->rgb, 1);
      if (style->rgb == WATER_RGB || tile->zoom < 15)
        {
          cairo_fill (tile->cr);
          continue;
        }

      /* A slightly darker edge keeps neighbouring areas apart. */
      cairo_fill_preserve (tile->cr);
      cairo_set_source_rgba (tile->cr, 0, 0, 0, 0.06);
      cairo_set_line_width (tile->cr, 1);
      cairo_stroke (tile->cr);
    }
}

static void
draw_buildings (Tile *tile)
{
  gboolean edges = tile->zoom >= 16;

  for (guint i = 0; i < tile->items->len; i++)
    {
      const Item *item = g_ptr_array_index (tile->items, i);

      if (item->kind != ITEM_BUILDING || !add_path (tile, item))
        continue;

      set_rgb (tile->cr, BUILDING_RGB, tile->zoom < 15 ? 0.7 : 1);
      if (!edges)
        {
          cairo_fill (tile->cr);
          continue;
        }
      cairo_fill_preserve (tile->cr);
      set_rgb (tile->cr, BUILDING_EDGE, 1);
      cairo_set_line_width (tile->cr, 0.8);
      cairo_stroke (tile->cr);
    }
}

static void
draw_waterways (Tile *tile)
{
  cairo_set_line_cap (tile->cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (tile->cr, CAIRO_LINE_JOIN_ROUND);

  for (guint i = 0; i < tile->items->len; i++)
    {
      const Item *item = g_ptr_array_index (tile->items, i);
      double width;

      if (item->kind == ITEM_COASTLINE)
        width = 1.5;
      else if (item->kind == ITEM_WATERWAY)
        width = g_strcmp0 (item->value, "river") == 0 ? 6 :
                g_strcmp0 (item->value, "canal") == 0 ? 5 : 2;
      else
        continue;

      if (!add_path (tile, item))
        continue;

      set_rgb (tile->cr, item->kind == ITEM_COASTLINE ? 0x8fbccc : WATER_RGB, 1);
      cairo_set_line_width (tile->cr, item->kind == ITEM_COASTLINE ? width
                                                                    : scaled_width (width, tile->zoom));
      cairo_stroke (tile->cr);
    }
}

/* One pass over the roads of one layer (tunnels, ground, bridges): all the
 * casings, then all the fills, so that crossings join cleanly. */
static void
draw_roads (Tile     *tile,
            int       layer)
{
  cairo_t *cr = tile->cr;

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < tile->items->len; i++)
      {
        const Item *item = g_ptr_array_index (tile->items, i);
        const RoadStyle *style = item->style;
        int item_layer = item->tunnel ? -1 : item->bridge ? 1 : 0;
        double width, casing;

        if (item->kind != ITEM_ROAD || item_layer != layer)
          continue;

        width = scaled_width (style->width16, tile->zoom);
        casing = MAX (0.8, width * 0.14);

        /* Thin white streets on pale land would vanish: draw them in their
         * casing colour, without a casing. */
        if (pass == 0 && (style->casing == 0 || width < 2.5))
          continue;
        if (!add_path (tile, item))
          continue;

        cairo_set_line_cap (cr, layer == 1 || style->dashed ? CAIRO_LINE_CAP_BUTT
                                                            : CAIRO_LINE_CAP_ROUND);
        if (pass == 0)
          {
            double dashes[] = { 4, 3 };

            set_rgb (cr, layer == 1 ? 0x7d746b : style->casing, layer < 0 ? 0.45 : 1);
            cairo_set_line_width (cr, width + 2 * casing);
            if (layer < 0)
              cairo_set_dash (cr, dashes, 2, 0);
            cairo_stroke (cr);
            cairo_set_dash (cr, NULL, 0, 0);
            continue;
          }

        if (style->dashed)
          {
            double dashes[] = { width * 2.5, width * 1.6 };

            if (tile->zoom >= 17)
              {
                /* A pale bed under the dashes, as the street's edge. */
                set_rgb (cr, 0xffffff, layer < 0 ? 0.3 : 0.7);
                cairo_set_line_width (cr, width + 2);
                cairo_stroke_preserve (cr);
              }
            cairo_set_dash (cr, dashes, 2, 0);
            set_rgb (cr, style->fill, layer < 0 ? 0.45 : 1);
            cairo_set_line_width (cr, width);
            cairo_stroke (cr);
            cairo_set_dash (cr, NULL, 0, 0);
          }
        else
          {
            guint32 rgb = width < 2.5 && style->casing != 0 ? style->casing : style->fill;

            set_rgb (cr, rgb, layer < 0 ? 0.55 : 1);
            cairo_set_line_width (cr, width);
            cairo_stroke (cr);
          }
      }
}

static void
draw_rails (Tile *tile,
            int   layer)
{
  cairo_t *cr = tile->cr;

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);

  for (guint i = 0; i < tile->items->len; i++)
    {
      const Item *item = g_ptr_array_index (tile->items, i);
      int item_layer = item->tunnel ? -1 : item->bridge ? 1 : 0;
      gboolean main_line = g_strcmp0 (item->value, "rail") == 0;
      double width;

      if (item->kind != ITEM_RAIL || item_layer != layer || !add_path (tile, item))
        continue;

      width = scaled_width (main_line ? 2.6 : 1.6, tile->zoom);
      if (layer < 0)
        {
          double dashes[] = { 5, 4 };

          cairo_set_dash (cr, dashes, 2, 0);
          set_rgb (cr, 0x8a8a8a, 0.5);
          cairo_set_line_width (cr, MIN (width, 2));
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          continue;
        }

      set_rgb (cr, main_line ? 0x8a8a8a : 0x6e6e72, 1);
      cairo_set_line_width (cr, width);
      if (main_line && tile->zoom >= 15)
        {
          double dashes[] = { width * 3, width * 3 };

          cairo_stroke_preserve (cr);
          cairo_set_dash (cr, dashes, 2, 0);
          set_rgb (cr, 0xffffff, 1);
          cairo_set_line_width (cr, width * 0.45);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
}

/* TRUE if the box (in tile px) is free of the names drawn so far; then it
 * is taken. */
static gboolean
take_space (Tile   *tile,
            double  x0,
            double  y0,
            double  x1,
            double  y1)
{
  for (guint i = 0; i + 3 < tile->placed->len; i += 4)
    {
      const double *b = &g_array_index (tile->placed, double, i);

      if (x0 < b[2] && x1 > b[0] && y0 < b[3] && y1 > b[1])
        return FALSE;
    }

  g_array_append_val (tile->placed, x0);
  g_array_append_val (tile->placed, y0);
  g_array_append_val (tile->placed, x1);
  g_array_append_val (tile->placed, y1);
  return TRUE;
}

static void
show_with_halo (Tile    *tile,
                guint32  rgb,
                double   halo)
{
  cairo_t *cr = tile->cr;

  cairo_new_path (cr);
  pango_cairo_layout_path (cr, tile->layout);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, halo);
  set_rgb (cr, 0xffffff, 0.85);
  cairo_stroke (cr);
  set_rgb (cr, rgb, 1);
  pango_cairo_show_layout (cr, tile->layout);
}

static void
set_font (Tile     *tile,
          double    size,
          gboolean  bold)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (tile->layout, font);
}

static void
draw_places (Tile *tile)
{
  for (guint i = 0; i < tile->items->len; i++)
    {
      const Item *item = g_ptr_array_index (tile->items, i);
      const PlaceStyle *style = item->style;
      int w, h;
      double x, y;

      if (item->kind != ITEM_PLACE)
        continue;

      project (tile, read_f64 (item->blob + 43), read_f64 (item->blob + 51), &x, &y);
      set_font (tile, style->size, style->bold);
      pango_layout_set_text (tile->layout, item->name, -1);
      pango_layout_get_pixel_size (tile->layout, &w, &h);
      x = round (x - w / 2.0);
      y = round (y - h / 2.0);
      if (!take_space (tile, x - 2, y - 2, x + w + 2, y + h + 2))
        continue;

      cairo_save (tile->cr);
      cairo_translate (tile->cr, x, y);
      show_with_halo (tile, style->rgb, 3.5);
      cairo_restore (tile->cr);
    }
}

/* The longest straight piece of a line, in tile px. */
static gboolean
longest_segment (const Tile *tile,
                 const Item *item,
                 double     *x0,
                 double     *y0,
                 double     *x1,
                 double     *y1)
{
  const guint8 *q = item->blob + 43;
  const guint8 *end = item->blob + item->size - 1;
  double best = 0, px = 0, py = 0;
  gint32 n;

  if (geometry_class (item) != 2 || q + 4 > end)
    return FALSE;
  n = read_i32 (q);
  q += 4;
  if (n < 2 || (gsize) (end - q) < (gsize) n * 16)
    return FALSE;

  for (gint32 i = 0; i < n; i++)
    {
      double x, y;

      project (tile, read_f64 (q + 16 * i), read_f64 (q + 16 * i + 8), &x, &y);
      if (i > 0 && hypot (x - px, y - py) > best)
        {
          best = hypot (x - px, y - py);
          *x0 = px;
          *y0 = py;
          *x1 = x;
          *y1 = y;
        }
      px = x;
      py = y;
    }

  return best > 0;
}

static void
draw_road_names (Tile *tile)
{
  for (guint i = 0; i < tile->items->len; i++)
    {
      const Item *item = g_ptr_array_index (tile->items, i);
      const RoadStyle *style = item->style;
      double x0, y0, x1, y1, angle, length, cx, cy, r;
      int w, h;

      if (item->kind != ITEM_ROAD || item->name == NULL || item->tunnel ||
          tile->zoom < style->label_zoom || !longest_segment (tile, item, &x0, &y0, &x1, &y1))
        continue;

      set_font (tile, tile->zoom >= 17 ? 11.5 : 10.5, FALSE);
      pango_layout_set_text (tile->layout, item->name, -1);
      pango_layout_get_pixel_size (tile->layout, &w, &h);

      length = hypot (x1 - x0, y1 - y0);
      if (length < w + 12)
        continue;

      angle = atan2 (y1 - y0, x1 - x0);
      if (angle > G_PI / 2)
        angle -= G_PI;
      else if (angle < -G_PI / 2)
        angle += G_PI;

      cx = (x0 + x1) / 2;
      cy = (y0 + y1) / 2;
      r = w / 2.0;
      if (!take_space (tile, cx - r * fabs (cos (angle)) - h / 2.0, cy - r * fabs (sin (angle)) - h / 2.0,
                       cx + r * fabs (cos (angle)) + h / 2.0, cy + r * fabs (sin (angle)) + h / 2.0))
        continue;

      cairo_save (tile->cr);
      cairo_translate (tile->cr, cx, cy);
      cairo_rotate (tile->cr, angle);
      cairo_translate (tile->cr, -w / 2.0, -h / 2.0);
      show_with_halo (tile, LABEL_RGB, 3);
      cairo_restore (tile->cr);
    }
}

static gboolean
has_coastline (const Tile *tile)
{
  for (guint i = 0; i < tile->items->len; i++)
    if (((const Item *) g_ptr_array_index (tile->items, i))->kind == ITEM_COASTLINE)
      return TRUE;

  return FALSE;
}

cairo_surface_t *
_balise_tile_draw (sqlite3       *db,
                   int            zoom,
                   int            x,
                   int            y,
                   const double  *bounds,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (item_free);
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (double));
  cairo_surface_t *surface;
  Tile tile = { 0 };
  gint64 start = g_get_monotonic_time (), read, searched;

  tile.zoom = zoom;
  tile.world = BALISE_TILE_SIZE * ldexp (1.0, zoom);
  tile.ox = (double) x * BALISE_TILE_SIZE;
  tile.oy = (double) y * BALISE_TILE_SIZE;
  tile.items = items;
  tile.placed = placed;
  tile.bounds = bounds;

  if (zoom >= FIRST_LABEL_ZOOM)
    {
      if (!read_items (&tile, db, MARGIN_PX, FALSE, NULL, cancellable, error))
        return NULL;
    }
  else if (!read_items (&tile, db, SHAPE_MARGIN_PX, FALSE, "r.kind = " G_STRINGIFY (BALISE_TILE_KIND_SHAPE),
                        cancellable, error) ||
           !read_items (&tile, db, MARGIN_PX, FALSE, "r.kind != " G_STRINGIFY (BALISE_TILE_KIND_SHAPE),
                        cancellable, error))
    return NULL;
  read = g_get_monotonic_time ();

  /* No coast around: is this the open sea? The nearest coast far away says. */
  if (!has_coastline (&tile) &&
      !read_items (&tile, db, COAST_SEARCH_PX, TRUE, NULL, cancellable, error))
    return NULL;
  searched = g_get_monotonic_time ();

  g_ptr_array_sort (items, compare_items);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, BALISE_TILE_SIZE, BALISE_TILE_SIZE);
  tile.cr = cairo_create (surface);
  set_rgb (tile.cr, LAND_RGB, 1);
  cairo_paint (tile.cr);

  draw_sea (&tile);
  draw_areas (&tile);
  draw_waterways (&tile);
  draw_buildings (&tile);
  draw_rails (&tile, -1);
  draw_roads (&tile, -1);
  draw_roads (&tile, 0);
  draw_rails (&tile, 0);
  draw_roads (&tile, 1);
  draw_rails (&tile, 1);

  tile.layout = pango_cairo_create_layout (tile.cr);
  draw_places (&tile);
  draw_road_names (&tile);
  g_object_unref (tile.layout);

  if (cairo_status (tile.cr) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not draw tile %d/%d/%d: %s",
                   zoom, x, y, cairo_status_to_string (cairo_status (tile.cr)));
      cairo_destroy (tile.cr);
      cairo_surface_destroy (surface);
      return NULL;
    }

  cairo_destroy (tile.cr);
  cairo_surface_flush (surface);
  g_debug ("Tile %d/%d/%d: %u shapes, %.1f ms to read, %.1f ms to find the coast, %.1f ms to draw",
           zoom, x, y, items->len, (read - start) / 1000.0, (searched - read) / 1000.0,
           (g_get_monotonic_time () - searched) / 1000.0);
  return surface;
}
