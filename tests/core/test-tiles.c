/* test-tiles.c: the local basemap renderer and MBTiles files
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "balise-core.h"
#include "balise-import.h"
#include "balise-mbtiles.h"
#include "balise-test-utils.h"
#include "balise-tile-renderer.h"

/* Fontconfig keeps its configuration and font cache for the life of the
 * process (Pango loads them for the names on the map); LeakSanitizer is told
 * to ignore allocations made inside it. */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:libfontconfig.so\n";
}

/* A tile over Monaco's harbour, and the colours the style gives things. */
#define Z 16
#define TX 34119
#define TY 23896

#define LAND      0xf3f0ea
#define PRIMARY   0xfbdcad
#define BUILDING  0xdcd5ce
#define PARK      0xcdeac2
#define WATER     0xaad3df

/* Where pixel (px, py) of tile Z/TX/TY is, in degrees. */
static double
pixel_lon (double px)
{
  return (TX * 256.0 + px) / (256.0 * (1 << Z)) * 360.0 - 180.0;
}

static double
pixel_lat (double py)
{
  double n = G_PI * (1 - 2 * (TY * 256.0 + py) / (256.0 * (1 << Z)));

  return atan (sinh (n)) * 180.0 / G_PI;
}

static void
append_node (GString *xml,
             int      id,
             double   px,
             double   py)
{
  char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (lat, sizeof lat, "%.7f", pixel_lat (py));
  g_ascii_formatd (lon, sizeof lon, "%.7f", pixel_lon (px));
  g_string_append_printf (xml, " <node id=\"%d\" version=\"1\" lat=\"%s\" lon=\"%s\"/>\n", id, lat, lon);
}

/* A way through @node_ids, with one tag. */
static void
append_way (GString    *xml,
            int         id,
            const int  *node_ids,
            guint       n_nodes,
            const char *key,
            const char *value)
{
  g_string_append_printf (xml, " <way id=\"%d\" version=\"1\">\n", id);
  for (guint i = 0; i < n_nodes; i++)
    g_string_append_printf (xml, "  <nd ref=\"%d\"/>\n", node_ids[i]);
  g_string_append_printf (xml, "  <tag k=\"%s\" v=\"%s\"/>\n </way>\n", key, value);
}

/* A square area from (x0, y0) to (x1, y1), in pixels of the tile; its
 * nodes go to @nodes and the way to @ways (OSM files list the nodes first). */
static void
append_square (GString    *nodes,
               GString    *ways,
               int         id,
               double      x0,
               double      y0,
               double      x1,
               double      y1,
               const char *key,
               const char *value)
{
  int ids[5] = { id * 10 + 1, id * 10 + 2, id * 10 + 3, id * 10 + 4, id * 10 + 1 };

  append_node (nodes, ids[0], x0, y0);
  append_node (nodes, ids[1], x1, y0);
  append_node (nodes, ids[2], x1, y1);
  append_node (nodes, ids[3], x0, y1);
  append_way (ways, id, ids, 5, key, value);
}

static BaliseStore *
store_from_xml (const char *name,
                const char *body,
                char      **path_out)
{
  g_autofree char *xml_name = g_strconcat (name, ".osm", NULL);
  g_autofree char *db_name = g_strconcat (name, ".sqlite", NULL);
  g_autofree char *xml_path = balise_test_tmp_path (xml_name);
  g_autofree char *xml = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                          "<osm version=\"0.6\" generator=\"test\">\n%s</osm>\n", body);
  g_autoptr(GError) error = NULL;
  BaliseStore *store;

  *path_out = balise_test_tmp_path (db_name);
  g_assert_true (g_file_set_contents (xml_path, xml, -1, &error));
  store = balise_store_open (*path_out, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, xml_path, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  return store;
}

/* A primary road across the tile at row 128, a building and a park. */
static BaliseStore *
street_store (const char  *name,
              char       **path_out)
{
  g_autoptr(GString) xml = g_string_new (NULL);
  g_autoptr(GString) ways = g_string_new (NULL);
  int road[3] = { 1, 2, 3 };

  append_node (xml, 1, -60, 128);
  append_node (xml, 2, 128, 128);
  append_node (xml, 3, 316, 128);
  append_way (ways, 100, road, 3, "highway", "primary");
  append_square (xml, ways, 101, 30, 170, 90, 230, "building", "yes");
  append_square (xml, ways, 102, 160, 170, 240, 240, "leisure", "park");
  g_string_append (xml, ways->str);

  return store_from_xml (name, xml->str, path_out);
}

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         offset;
} PngReader;

static cairo_status_t
read_png_cb (void          *closure,
             unsigned char *data,
             unsigned int   length)
{
  PngReader *reader = closure;

  if (reader->offset + length > reader->size)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, reader->data + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *
decode_png (GBytes *png)
{
  PngReader reader = { 0 };
  cairo_surface_t *surface;

  reader.data = g_bytes_get_data (png, &reader.size);
  surface = cairo_image_surface_create_from_png_stream (read_png_cb, &reader);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 256);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 256);

  return surface;
}

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  const guint8 *row = cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface);
  guint32 argb;

  memcpy (&argb, row + 4 * x, 4);
  return argb & 0xffffff;
}

static void
assert_pixel (cairo_surface_t *surface,
              int              x,
              int              y,
              guint32          expected)
{
  guint32 found = pixel (surface, x, y);

  if (found != expected)
    g_error ("Pixel (%d, %d) is #%06x, not #%06x", x, y, found, expected);
}

static GBytes *
render (const char *store_path,
        int         zoom,
        int         x,
        int         y)
{
  g_autofree char *cache_path = balise_tile_renderer_cache_path_for (store_path);
  g_autoptr(BaliseTileRenderer) renderer = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *png;

  renderer = balise_tile_renderer_new (store_path, cache_path, &error);
  g_assert_no_error (error);
  png = balise_tile_renderer_render (renderer, zoom, x, y, NULL, &error);
  g_assert_no_error (error);

  return png;
}

/* The road is where its nodes are, in the primary road's colour, with
 * land above and below it; the building and the park fill their squares. */
static void
test_render_street (void)
{
  g_autofree char *path = NULL;
  g_autoptr(BaliseStore) store = street_store ("street", &path);
  g_autoptr(GBytes) png = render (path, Z, TX, TY);
  cairo_surface_t *surface = decode_png (png);

  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);

  for (int x = 2; x < 256; x += 25)
    {
      assert_pixel (surface, x, 128, PRIMARY);
      assert_pixel (surface, x, 60, LAND);
    }
  /* A primary road is 9 px wide at zoom 16, with a casing: not 20 px. */
  assert_pixel (surface, 128, 108, LAND);
  assert_pixel (surface, 128, 148, LAND);
  assert_pixel (surface, 128, 125, PRIMARY);
  assert_pixel (surface, 128, 131, PRIMARY);

  assert_pixel (surface, 60, 200, BUILDING);
  assert_pixel (surface, 200, 205, PARK);
  assert_pixel (surface, 128, 200, LAND);
  assert_pixel (surface, 20, 240, LAND);

  cairo_surface_destroy (surface);

  /* The tile to the south has none of it: all land. */
  g_clear_pointer (&png, g_bytes_unref);
  png = render (path, Z, TX, TY + 1);
  surface = decode_png (png);
  for (int y = 0; y < 256; y += 51)
    for (int x = 0; x < 256; x += 51)
      assert_pixel (surface, x, y, LAND);
  cairo_surface_destroy (surface);
}

/* A coastline across the tile from west to east has the sea on its right,
 * to the south; drawn the other way, the sea is to the north. */
static void
test_render_coast (void)
{
  const char *names[2] = { "coast-east", "coast-west" };

  for (int reversed = 0; reversed < 2; reversed++)
    {
      g_autoptr(GString) xml = g_string_new (NULL);
      g_autofree char *path = NULL;
      g_autoptr(BaliseStore) store = NULL;
      g_autoptr(GBytes) png = NULL;
      cairo_surface_t *surface;
      int east[4] = { 1, 2, 3, 4 }, west[4] = { 4, 3, 2, 1 };

      append_node (xml, 1, -100, 90);
      append_node (xml, 2, 90, 120);
      append_node (xml, 3, 170, 100);
      append_node (xml, 4, 356, 110);
      append_way (xml, 200, reversed ? west : east, 4, "natural", "coastline");
      store = store_from_xml (names[reversed], xml->str, &path);

      png = render (path, Z, TX, TY);
      surface = decode_png (png);
      assert_pixel (surface, 10, 20, reversed ? WATER : LAND);
      assert_pixel (surface, 128, 60, reversed ? WATER : LAND);
      assert_pixel (surface, 128, 200, reversed ? LAND : WATER);
      assert_pixel (surface, 250, 250, reversed ? LAND : WATER);
      cairo_surface_destroy (surface);

      /* Two tiles away, out of sight of the coast: open sea or inland. */
      g_clear_pointer (&png, g_bytes_unref);
      png = render (path, Z, TX, TY + 2);
      surface = decode_png (png);
      assert_pixel (surface, 128, 128, reversed ? LAND : WATER);
      cairo_surface_destroy (surface);
      g_clear_pointer (&png, g_bytes_unref);
      png = render (path, Z, TX + 1, TY - 2);
      surface = decode_png (png);
      assert_pixel (surface, 128, 128, reversed ? WATER : LAND);
      cairo_surface_destroy (surface);
    }
}

typedef struct
{
  double      lat;
  double      lon;
  gboolean    sea;
  const char *what;
} Place;

/* Where the Monaco extract cuts the coastline, at its east end (Cap Martin)
 * and its west end (Èze-sur-Mer), the sea on the open side of the cut is
 * sea; the villages above the coast, and the Rock, are land. */
static const Place monaco_places[] = {
  { 43.7475, 7.4933, TRUE, "the sea off Cap Martin, east end of the extract" },
  { 43.7077, 7.3731, TRUE, "the sea off Èze-sur-Mer, west end of the extract" },
  { 43.7300, 7.4450, TRUE, "the sea off Monte-Carlo" },
  { 43.7610, 7.4740, FALSE, "Roquebrune village" },
  { 43.7280, 7.3617, FALSE, "Èze village" },
  { 43.7311, 7.4200, FALSE, "the Rock of Monaco" },
};

static void
test_render_extract_edges (void)
{
  g_autofree char *extract = g_build_filename (SOURCE_DATADIR, "demo", "monaco-2016.osm.pbf", NULL);
  g_autofree char *path = balise_test_tmp_path ("monaco-coast.sqlite");
  g_autofree char *cache_path = balise_tile_renderer_cache_path_for (path);
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(BaliseTileRenderer) renderer = NULL;
  g_autoptr(GError) error = NULL;

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, extract, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  renderer = balise_tile_renderer_new (path, cache_path, &error);
  g_assert_no_error (error);

  for (int zoom = 13; zoom <= 15; zoom++)
    for (guint i = 0; i < G_N_ELEMENTS (monaco_places); i++)
      {
        const Place *place = &monaco_places[i];
        double n = ldexp (1.0, zoom), s = sin (place->lat * G_PI / 180);
        double wx = (place->lon + 180) / 360 * n * 256;
        double wy = (0.5 - log ((1 + s) / (1 - s)) / (4 * G_PI)) * n * 256;
        int tx = (int) (wx / 256), ty = (int) (wy / 256);
        g_autoptr(GBytes) png = NULL;
        cairo_surface_t *surface;
        guint32 found;

        png = balise_tile_renderer_render (renderer, zoom, tx, ty, NULL, &error);
        g_assert_no_error (error);
        surface = decode_png (png);
        found = pixel (surface, (int) wx - 256 * tx, (int) wy - 256 * ty);
        g_test_message ("zoom %d, %s: #%06x in tile %d/%d/%d", zoom, place->what, found, zoom, tx, ty);
        if (place->sea && found != WATER)
          g_error ("Zoom %d: %s is #%06x, not the sea's #%06x", zoom, place->what, found, WATER);
        if (!place->sea && found == WATER)
          g_error ("Zoom %d: %s is drawn as sea", zoom, place->what);
        cairo_surface_destroy (surface);
      }
}

static void
got_tile_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GBytes **png = user_data;
  g_autoptr(GError) error = NULL;

  *png = balise_tile_renderer_get_tile_finish (BALISE_TILE_RENDERER (object), result, &error);
  g_assert_no_error (error);
}

static GBytes *
get_tile (BaliseTileRenderer *renderer,
          int                 zoom,
          int                 x,
          int                 y)
{
  GBytes *png = NULL;

  balise_tile_renderer_get_tile_async (renderer, zoom, x, y, NULL, got_tile_cb, &png);
  while (png == NULL)
    g_main_context_iteration (NULL, TRUE);

  return png;
}

static void
add_tree_park (BaliseStore *store)
{
  g_autoptr(GString) xml = g_string_new ("<?xml version=\"1.0\"?>\n<osm version=\"0.6\">\n");
  g_autoptr(GString) ways = g_string_new (NULL);
  g_autofree char *xml_path = balise_test_tmp_path ("more.osm");
  g_autoptr(GError) error = NULL;

  append_square (xml, ways, 301, 20, 20, 100, 100, "leisure", "park");
  g_string_append (xml, ways->str);
  g_string_append (xml, "</osm>\n");
  g_assert_true (g_file_set_contents (xml_path, xml->str, -1, &error));
  g_assert_true (balise_store_import_file (store, xml_path, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The cache is a valid MBTiles file: TMS rows, the metadata the
 * specification asks for; it is dropped when the store changes. */
static void
test_cache (void)
{
  g_autofree char *path = NULL;
  g_autoptr(BaliseStore) store = street_store ("cached", &path);
  g_autofree char *cache_path = balise_tile_renderer_cache_path_for (path);
  g_autoptr(BaliseTileRenderer) renderer = NULL;
  g_autoptr(BaliseMbtiles) mbtiles = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  cairo_surface_t *surface;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double west, south, east, north;
  int min_zoom, max_zoom;

  g_assert_true (g_str_has_suffix (cache_path, "cached-basemap.mbtiles"));
  renderer = balise_tile_renderer_new (path, cache_path, &error);
  g_assert_no_error (error);

  first = get_tile (renderer, Z, TX, TY);
  g_assert_cmpint (balise_mbtiles_count_tiles (balise_tile_renderer_get_cache (renderer)), ==, 1);
  again = get_tile (renderer, Z, TX, TY);
  g_assert_true (g_bytes_equal (first, again));
  g_clear_pointer (&again, g_bytes_unref);
  again = get_tile (renderer, Z, TX + 1, TY);
  g_assert_cmpint (balise_mbtiles_count_tiles (balise_tile_renderer_get_cache (renderer)), ==, 2);
  g_clear_pointer (&again, g_bytes_unref);

  /* Read back as any program would. */
  g_assert_cmpint (sqlite3_open_v2 (cache_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT zoom_level, tile_column, tile_row, tile_data "
                                           "FROM tiles ORDER BY tile_column", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, Z);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, TX);
  g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, (1 << Z) - 1 - TY);
  g_assert_cmpmem (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3),
                   g_bytes_get_data (first, NULL), g_bytes_get_size (first));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, TX + 1);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  mbtiles = balise_mbtiles_open (cache_path, &error);
  g_assert_no_error (error);
  stored = balise_mbtiles_get_tile (mbtiles, Z, TX, TY, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (first, stored));
  g_assert_null (balise_mbtiles_get_tile (mbtiles, Z, TX, TY + 5, &error));
  g_assert_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_NOT_FOUND);
  g_clear_error (&error);

  value = balise_mbtiles_get_metadata (mbtiles, "format");
  g_assert_cmpstr (value, ==, "png");
  g_clear_pointer (&value, g_free);
  value = balise_mbtiles_get_metadata (mbtiles, "name");
  g_assert_nonnull (value);
  g_clear_pointer (&value, g_free);
  value = balise_mbtiles_get_metadata (mbtiles, "attribution");
  g_assert_nonnull (strstr (value, "OpenStreetMap"));
  balise_mbtiles_get_zoom_range (mbtiles, &min_zoom, &max_zoom);
  g_assert_cmpint (min_zoom, ==, BALISE_TILE_RENDERER_MIN_ZOOM);
  g_assert_cmpint (max_zoom, ==, BALISE_TILE_RENDERER_MAX_ZOOM);
  /* The bounds hold the data: the road runs from pixel -60 to 316. */
  balise_mbtiles_get_bounds (mbtiles, &west, &south, &east, &north);
  g_assert_cmpfloat_with_epsilon (west, pixel_lon (-60), 1e-5);
  g_assert_cmpfloat_with_epsilon (east, pixel_lon (316), 1e-5);
  g_assert_cmpfloat_with_epsilon (north, pixel_lat (128), 1e-5);
  g_assert_cmpfloat_with_epsilon (south, pixel_lat (240), 1e-5);
  g_clear_object (&mbtiles);

  /* New data: a renderer opened later draws it, not the old tiles. */
  g_clear_object (&renderer);
  add_tree_park (store);
  renderer = balise_tile_renderer_new (path, cache_path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&again, g_bytes_unref);
  again = get_tile (renderer, Z, TX, TY);
  g_assert_false (g_bytes_equal (first, again));
  g_assert_cmpint (balise_mbtiles_count_tiles (balise_tile_renderer_get_cache (renderer)), ==, 1);
  surface = decode_png (again);
  assert_pixel (surface, 60, 60, PARK);
  cairo_surface_destroy (surface);
}

/* put/get agree with the TMS numbering of the specification. */
static void
test_mbtiles_rows (void)
{
  g_autofree char *path = balise_test_tmp_path ("rows.mbtiles");
  const int tiles[][3] = { { 0, 0, 0 }, { 1, 0, 0 }, { 1, 1, 1 }, { 3, 2, 5 }, { 18, 136476, 95586 } };
  g_autoptr(BaliseMbtiles) mbtiles = NULL;
  g_autoptr(GBytes) off_grid = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  mbtiles = balise_mbtiles_create (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      g_autofree char *data = g_strdup_printf ("tile %u", i);
      g_autoptr(GBytes) bytes = g_bytes_new (data, strlen (data));

      g_assert_true (balise_mbtiles_put_tile (mbtiles, tiles[i][0], tiles[i][1], tiles[i][2], bytes, &error));
      g_assert_no_error (error);
    }

  g_assert_false (balise_mbtiles_put_tile (mbtiles, 2, 4, 0, off_grid, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_object (&mbtiles);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT CAST (tile_data AS TEXT) FROM tiles WHERE zoom_level = %d "
                                              "AND tile_column = %d AND tile_row = %d",
                                              tiles[i][0], tiles[i][1], (1 << tiles[i][0]) - 1 - tiles[i][2]);
      g_autofree char *expected = g_strdup_printf ("tile %u", i);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, expected);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);

  mbtiles = balise_mbtiles_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      g_autoptr(GBytes) bytes = balise_mbtiles_get_tile (mbtiles, tiles[i][0], tiles[i][1], tiles[i][2], &error);
      g_autofree char *expected = g_strdup_printf ("tile %u", i);

      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, strlen (expected));
    }

  /* Opened for reading, it refuses writes. */
  g_assert_false (balise_mbtiles_set_metadata (mbtiles, "name", "x", &error));
  g_assert_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* No metadata: the zooms come from the tiles, the bounds are the world. */
  {
    int min_zoom, max_zoom;
    double west, south, east, north;

    balise_mbtiles_get_zoom_range (mbtiles, &min_zoom, &max_zoom);
    g_assert_cmpint (min_zoom, ==, 0);
    g_assert_cmpint (max_zoom, ==, 18);
    balise_mbtiles_get_bounds (mbtiles, &west, &south, &east, &north);
    g_assert_cmpfloat (west, ==, -180);
    g_assert_cmpfloat (east, ==, 180);
  }
}

/* Files that are not MBTiles fail with an error naming the file and what is wrong. */
static void
test_mbtiles_corrupt (void)
{
  g_autofree char *garbage = balise_test_tmp_path ("garbage.mbtiles");
  g_autofree char *other = balise_test_tmp_path ("other.sqlite");
  g_autofree char *missing = balise_test_tmp_path ("missing.mbtiles");
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  char noise[4096];

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (char) (i * 7919 % 251);
  g_assert_true (g_file_set_contents (garbage, noise, sizeof noise, &error));

  g_assert_null (balise_mbtiles_open (garbage, &error));
  g_assert_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, garbage));
  g_assert_nonnull (strstr (error->message, "not an MBTiles file"));
  g_clear_error (&error);

  /* Neither is it silently turned into a cache. */
  g_assert_null (balise_mbtiles_create (garbage, &error));
  g_assert_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_CORRUPT);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE metadata (name, value)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_null (balise_mbtiles_open (other, &error));
  g_assert_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "no tiles table"));
  g_clear_error (&error);

  g_assert_null (balise_mbtiles_open (missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A renderer on a file that is not a Balise database says so. */
  g_assert_null (balise_tile_renderer_new (garbage, missing, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, garbage));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tiles/render/street", test_render_street);
  g_test_add_func ("/tiles/render/coast", test_render_coast);
  g_test_add_func ("/tiles/render/extract-edges", test_render_extract_edges);
  g_test_add_func ("/tiles/cache", test_cache);
  g_test_add_func ("/tiles/mbtiles/rows", test_mbtiles_rows);
  g_test_add_func ("/tiles/mbtiles/corrupt", test_mbtiles_corrupt);

  return g_test_run ();
}
