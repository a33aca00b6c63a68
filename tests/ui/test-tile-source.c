/* test-tile-source.c: MBTiles files and the local map, served into a real
 * ShumateSimpleMap under Xvfb
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#define G_LOG_DOMAIN "test-tile-source"

#include "config.h"

#include <math.h>

#include "balise-import.h"
#include "balise-store.h"
#include "balise-tile-source.h"
#include "balise-ui-test-utils.h"

#define WAIT_SECONDS 20

static cairo_status_t
append_cb (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A tile of one colour, as PNG. */
static GBytes *
solid_png (guint32 rgb)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_cb, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (png);
}

typedef struct
{
  GtkWidget *map;
  guint32    expected;
  int        x;
  int        y;
  guint32    found;
} PixelWait;

static gboolean
pixel_is (gpointer data)
{
  PixelWait *wait = data;
  g_autoptr(GdkTexture) texture = NULL;

  if (gtk_widget_get_width (wait->map) == 0)
    return FALSE;
  texture = balise_ui_test_render_widget (wait->map);
  if (texture == NULL)
    return FALSE;
  wait->found = balise_ui_test_pixel (texture, wait->x, wait->y);
  return wait->found == wait->expected;
}

static void
wait_for_pixel (GtkWidget *map,
                int        x,
                int        y,
                guint32    expected)
{
  PixelWait wait = { map, expected, x, y, 0 };

  if (!balise_ui_test_wait (pixel_is, &wait, WAIT_SECONDS))
    g_error ("Pixel (%d, %d) of the map stayed #%06x, not #%06x", x, y, wait.found, expected);
}

static GtkLabel *
find_label_containing (GtkWidget  *widget,
                       const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label_containing (child, text);

      if (label != NULL)
        return label;
    }

  return NULL;
}

static ShumateSimpleMap *
show_map (ShumateMapSource *source,
          double            lat,
          double            lon,
          double            zoom,
          GtkWindow       **window_out)
{
  ShumateSimpleMap *map = shumate_simple_map_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  shumate_simple_map_set_map_source (map, source);
  gtk_widget_set_size_request (GTK_WIDGET (map), 400, 300);
  gtk_window_set_default_size (window, 400, 300);
  gtk_window_set_resizable (window, FALSE);
  gtk_window_set_child (window, GTK_WIDGET (map));
  gtk_window_present (window);

  shumate_viewport_set_zoom_level (shumate_simple_map_get_viewport (map), zoom);
  shumate_map_center_on (shumate_simple_map_get_map (map), lat, lon);

  *window_out = window;
  return map;
}

/* A user's raster file: its tiles show, its attribution is on the map. */
static void
test_mbtiles (void)
{
  g_autofree char *path = NULL;
  g_autoptr(BaliseMbtiles) writer = NULL;
  g_autoptr(BaliseMbtiles) mbtiles = NULL;
  g_autoptr(BaliseTileSource) source = NULL;
  g_autoptr(ShumateMapSource) map_source = NULL;
  g_autoptr(GBytes) red = solid_png (0xd01c28);
  g_autoptr(GBytes) blue = solid_png (0x1c71d8);
  g_autoptr(GError) error = NULL;
  ShumateSimpleMap *map;
  GtkWindow *window;
  double greenwich_x, greenwich_y;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  path = g_build_filename (g_get_user_data_dir (), "user.mbtiles", NULL);

  /* Zoom 3: the west half of the world red, the east half blue. */
  writer = balise_mbtiles_create (path, &error);
  g_assert_no_error (error);
  for (int x = 0; x < 8; x++)
    for (int y = 0; y < 8; y++)
      g_assert_true (balise_mbtiles_put_tile (writer, 3, x, y, x < 4 ? red : blue, &error));
  g_assert_true (balise_mbtiles_set_metadata (writer, "name", "Test Atlas", &error));
  g_assert_true (balise_mbtiles_set_metadata (writer, "format", "png", &error));
  g_assert_true (balise_mbtiles_set_metadata (writer, "minzoom", "3", &error));
  g_assert_true (balise_mbtiles_set_metadata (writer, "maxzoom", "3", &error));
  g_assert_true (balise_mbtiles_set_metadata (writer, "attribution", "© Test Atlas makers", &error));
  g_assert_no_error (error);
  g_clear_object (&writer);

  mbtiles = balise_mbtiles_open (path, &error);
  g_assert_no_error (error);
  source = balise_tile_source_new_for_mbtiles (mbtiles);
  map_source = balise_tile_source_create_map_source (source);
  g_assert_cmpuint (shumate_map_source_get_min_zoom_level (map_source), ==, 3);
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 3);
  g_assert_cmpstr (shumate_map_source_get_license (map_source), ==, "© Test Atlas makers");

  map = show_map (map_source, 20, -1, 3, &window);

  /* Red west of Greenwich, blue east of it. */
  wait_for_pixel (GTK_WIDGET (map), 200, 150, 0xd01c28);
  shumate_viewport_location_to_widget_coords (shumate_simple_map_get_viewport (map), GTK_WIDGET (map),
                                              20, 0, &greenwich_x, &greenwich_y);
  g_test_message ("Greenwich is at x = %.0f in a map %d px wide", greenwich_x,
                  gtk_widget_get_width (GTK_WIDGET (map)));
  g_assert_cmpfloat (greenwich_x, >, 200);
  g_assert_cmpfloat (greenwich_x, <, gtk_widget_get_width (GTK_WIDGET (map)) - 20);
  wait_for_pixel (GTK_WIDGET (map), greenwich_x - 10, 150, 0xd01c28);
  wait_for_pixel (GTK_WIDGET (map), greenwich_x + 10, 150, 0x1c71d8);
  g_assert_cmpuint (balise_tile_source_get_n_served (source), >=, 2);

  g_assert_nonnull (find_label_containing (GTK_WIDGET (map), "© Test Atlas makers"));

  gtk_window_destroy (window);
}

static void
append_node (GString *xml,
             int      id,
             double   lat,
             double   lon)
{
  char lat_text[G_ASCII_DTOSTR_BUF_SIZE], lon_text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (lat_text, sizeof lat_text, "%.7f", lat);
  g_ascii_formatd (lon_text, sizeof lon_text, "%.7f", lon);
  g_string_append_printf (xml, " <node id=\"%d\" version=\"1\" lat=\"%s\" lon=\"%s\"/>\n",
                          id, lat_text, lon_text);
}

/* The local map, drawn on demand in a worker: a primary road from west to
 * east through the centre shows in the primary road's colour, land above. */
static void
test_local (void)
{
  g_autoptr(GString) xml = g_string_new ("<?xml version=\"1.0\"?>\n<osm version=\"0.6\">\n");
  g_autofree char *xml_path = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *cache_path = NULL;
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(BaliseTileRenderer) renderer = NULL;
  g_autoptr(BaliseTileSource) source = NULL;
  g_autoptr(ShumateMapSource) map_source = NULL;
  g_autoptr(BaliseMbtiles) cache = NULL;
  g_autoptr(GError) error = NULL;
  ShumateSimpleMap *map;
  GtkWindow *window;

  append_node (xml, 1, 43.7350, 7.4100);
  append_node (xml, 2, 43.7350, 7.4300);
  g_string_append (xml, " <way id=\"10\" version=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/>"
                        "<tag k=\"highway\" v=\"primary\"/></way>\n</osm>\n");

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  xml_path = g_build_filename (g_get_user_data_dir (), "road.osm", NULL);
  db_path = g_build_filename (g_get_user_data_dir (), "road.sqlite", NULL);
  g_assert_true (g_file_set_contents (xml_path, xml->str, -1, &error));
  store = balise_store_open (db_path, &error);
  g_assert_no_error (error);
  g_assert_true (balise_store_import_file (store, xml_path, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  cache_path = balise_tile_renderer_cache_path_for (db_path);
  renderer = balise_tile_renderer_new (db_path, cache_path, &error);
  g_assert_no_error (error);
  source = balise_tile_source_new_for_renderer (renderer);
  map_source = balise_tile_source_create_map_source (source);
  g_assert_cmpstr (shumate_map_source_get_id (map_source), ==, "balise-local");

  map = show_map (map_source, 43.7350, 7.4200, 16, &window);
  wait_for_pixel (GTK_WIDGET (map), 200, 150, 0xfbdcad);
  wait_for_pixel (GTK_WIDGET (map), 200, 60, 0xf3f0ea);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (map), "OpenStreetMap contributors"));

  /* What was drawn is in the cache. */
  cache = balise_mbtiles_open (cache_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (balise_mbtiles_count_tiles (cache), >=, balise_tile_source_get_n_served (source));
  g_assert_cmpint (balise_mbtiles_count_tiles (cache), >, 0);

  gtk_window_destroy (window);
}

static char **real_mime_dirs;

/* G_TEST_OPTION_ISOLATE_DIRS hides the MIME database that libshumate needs
 * for its SVG icons: point GIO back at the real one in every test. */
static void
restore_mime_dirs (gconstpointer test)
{
  g_content_type_set_mime_dirs ((const char * const *) real_mime_dirs);
  ((GTestFunc) test) ();
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) icon_path = NULL;
  GtkIconTheme *icon_theme;
  int ret;

  real_mime_dirs = g_strdupv ((char **) g_content_type_get_mime_dirs ());
  gtk_init ();
  icon_theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  icon_path = gtk_icon_theme_get_search_path (icon_theme);
  gtk_icon_theme_set_search_path (icon_theme, (const char * const *) icon_path);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_data_func ("/ui/tile-source/mbtiles", test_mbtiles, restore_mime_dirs);
  g_test_add_data_func ("/ui/tile-source/local", test_local, restore_mime_dirs);

  ret = g_test_run ();
  g_strfreev (real_mime_dirs);
  return ret;
}
