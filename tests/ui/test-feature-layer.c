/* test-feature-layer.c: hit-testing, keyboard selection and clusters of the
 * feature layer, in a real ShumateMap under Xvfb
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#define G_LOG_DOMAIN "test-feature-layer"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "balise-feature-layer.h"
#include "balise-position-layer.h"
#include "balise-store-query.h"
#include "balise-store.h"
#include "balise-ui-test-utils.h"

/* A 5 × 5 grid of stops around the Prince's Palace, and one stop alone
 * 2 km east of it, all in view at zoom 12 to 18 in an 800 × 600 map when
 * the map is centred on the grid (the lone one only up to zoom 14). */
#define GRID          5
#define GRID_LAT      43.7310
#define GRID_LON      7.4200
#define GRID_STEP     0.0005     /* 55 m north, 40 m east: 6 px at zoom 14 */
#define LONE_LAT      43.7330
#define LONE_LON      7.4450
#define N_FEATURES    (GRID * GRID + 1)

typedef struct
{
  char               *path;
  BaliseStore        *store;
  GtkWindow          *window;
  ShumateMap         *map;
  ShumateViewport    *viewport;
  BaliseFeatureLayer *layer;
  gint64              ids[GRID][GRID];
  gint64              lone_id;
} Fixture;

static gboolean
layer_is_allocated (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_width (GTK_WIDGET (fixture->layer)) == 800 &&
         gtk_widget_get_height (GTK_WIDGET (fixture->layer)) == 600;
}

static gint64
add_stop (BaliseStore *store,
          double       lat,
          double       lon)
{
  g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(GError) error = NULL;

  edit->lat = lat;
  edit->lon = lon;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);
  g_assert_cmpint (edit->osm_id, <, 0);

  return edit->osm_id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ShumateRasterRenderer *source;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  fixture->path = g_build_filename (g_get_user_data_dir (), "layer.sqlite", NULL);
  fixture->store = balise_store_open (fixture->path, &error);
  g_assert_no_error (error);

  for (int i = 0; i < GRID; i++)
    for (int j = 0; j < GRID; j++)
      fixture->ids[i][j] = add_stop (fixture->store, GRID_LAT + i * GRID_STEP, GRID_LON + j * GRID_STEP);
  fixture->lone_id = add_stop (fixture->store, LONE_LAT, LONE_LON);

  /* A reference source for the projection only: no layer fetches its tiles. */
  source = shumate_raster_renderer_new_from_url ("file:///nonexistent/{z}/{x}/{y}.png");
  fixture->map = shumate_map_new ();
  fixture->viewport = shumate_map_get_viewport (fixture->map);
  shumate_viewport_set_reference_map_source (fixture->viewport, SHUMATE_MAP_SOURCE (source));
  g_object_unref (source);

  fixture->layer = balise_feature_layer_new (fixture->viewport, fixture->store);
  shumate_map_add_layer (fixture->map, SHUMATE_LAYER (fixture->layer));

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 600);
  gtk_window_set_resizable (fixture->window, FALSE);
  gtk_widget_set_size_request (GTK_WIDGET (fixture->map), 800, 600);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->map));
  gtk_window_present (fixture->window);

  balise_ui_test_wait_until (layer_is_allocated, fixture, "the layer's allocation");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fixture->store);
  g_unlink (fixture->path);
  g_free (fixture->path);
}

static void
view (Fixture *fixture,
      double   zoom)
{
  shumate_viewport_set_zoom_level (fixture->viewport, zoom);
  shumate_map_center_on (fixture->map,
                         GRID_LAT + (GRID - 1) * GRID_STEP / 2,
                         GRID_LON + (GRID - 1) * GRID_STEP / 2);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (fixture->viewport), ==, zoom);
}

static void
widget_coords (Fixture *fixture,
               double   lat,
               double   lon,
               double  *x,
               double  *y)
{
  shumate_viewport_location_to_widget_coords (fixture->viewport, GTK_WIDGET (fixture->layer),
                                              lat, lon, x, y);
}

/* Draws one frame of the layer as GTK would, and returns the node. */
static GskRenderNode *
draw (Fixture *fixture)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  GTK_WIDGET_GET_CLASS (fixture->layer)->snapshot (GTK_WIDGET (fixture->layer), snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

static void
assert_picks (Fixture *fixture,
              double   x,
              double   y,
              gint64   expected_id)
{
  g_autoptr(BaliseFeature) feature = balise_feature_layer_pick (fixture->layer, x, y);

  if (expected_id == 0)
    {
      g_assert_null (feature);
      return;
    }

  g_assert_nonnull (feature);
  g_assert_cmpint (feature->osm_type, ==, BALISE_OSM_NODE);
  g_assert_cmpint (feature->osm_id, ==, expected_id);
}

/* Each stop of the grid is picked a few pixels off its centre, at every
 * zoom where stops are drawn one by one; an empty spot picks nothing. */
static void
test_pick (Fixture       *fixture,
           gconstpointer  data)
{
  const double zooms[] = { 14, 15.5, 16, 17, 18 };

  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      double x, y, x1, y1, step_px;

      view (fixture, zooms[z]);

      /* Pixels between two neighbours east-west, at this zoom. */
      widget_coords (fixture, GRID_LAT, GRID_LON, &x, &y);
      widget_coords (fixture, GRID_LAT, GRID_LON + GRID_STEP, &x1, &y1);
      step_px = x1 - x;
      g_assert_cmpfloat (step_px, >, 5);
      g_test_message ("zoom %.1f: the stops are %.1f px apart", zooms[z], step_px);

      for (int i = 0; i < GRID; i++)
        for (int j = 0; j < GRID; j++)
          {
            widget_coords (fixture, GRID_LAT + i * GRID_STEP, GRID_LON + j * GRID_STEP, &x, &y);
            g_assert_cmpfloat (x, >, 0);
            g_assert_cmpfloat (y, >, 0);
            g_assert_cmpfloat (x, <, 800);
            g_assert_cmpfloat (y, <, 600);

            /* Just off the centre, towards the neighbour on the right, but
             * nearer this one. */
            assert_picks (fixture, x + MIN (2.0, step_px / 3), y - 1, fixture->ids[i][j]);
          }

      /* Half-way between the bottom-right stop and the edge of the hit
       * area, past the grid: still that stop; 40 px further: nothing. */
      widget_coords (fixture, GRID_LAT, GRID_LON + (GRID - 1) * GRID_STEP, &x, &y);
      assert_picks (fixture, x + 10, y + 5, fixture->ids[0][GRID - 1]);
      assert_picks (fixture, x + 50, y + 40, 0);
    }
}

static void
test_pick_low_zoom (Fixture       *fixture,
                    gconstpointer  data)
{
  double x, y;

  /* At low zoom the layer draws clusters: no single feature to pick. */
  view (fixture, 12);
  widget_coords (fixture, LONE_LAT, LONE_LON, &x, &y);
  assert_picks (fixture, x, y, 0);

  view (fixture, 14);
  widget_coords (fixture, LONE_LAT, LONE_LON, &x, &y);
  assert_picks (fixture, x + 1, y + 1, fixture->lone_id);
}

static void
selected_changed_cb (GObject    *object,
                     GParamSpec *pspec,
                     guint      *count)
{
  (*count)++;
}

static void
activated_cb (BaliseFeatureLayer *layer,
              BaliseFeature      *feature,
              gint64             *activated_id)
{
  *activated_id = feature->osm_id;
}

#define HALO_RGB 0xffd642

/* Within 2 of each channel: cairo and the renderer round their own way. */
static gboolean
colour_near (guint32 a,
             guint32 b)
{
  for (int shift = 0; shift < 24; shift += 8)
    if (ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)) > 2)
      return FALSE;

  return TRUE;
}

/* The pixel 10.5 px right of the stop's centre: between the edge of its
 * marker (9 px) and the edge of the halo (12 px). */
static void
assert_halo (Fixture  *fixture,
             gint64    id,
             gboolean  expected)
{
  g_autoptr(GdkTexture) texture = NULL;
  double x = 0, y = 0;
  guint32 found;

  for (int i = 0; i < GRID; i++)
    for (int j = 0; j < GRID; j++)
      if (fixture->ids[i][j] == id)
        widget_coords (fixture, GRID_LAT + i * GRID_STEP, GRID_LON + j * GRID_STEP, &x, &y);

  texture = balise_ui_test_render_widget (GTK_WIDGET (fixture->layer));
  g_assert_nonnull (texture);
  found = balise_ui_test_pixel (texture, (int) floor (x + 10.5), (int) floor (y));
  if (colour_near (found, HALO_RGB) != expected)
    g_error ("Stop %" G_GINT64_FORMAT ": pixel #%06x, %s the halo", id, found,
             expected ? "not" : "yet");
}

/* Presses a key as the layer's key controller sees it. */
static gboolean
press_key (Fixture *fixture,
           guint    keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->layer));
  gboolean handled = FALSE;
  guint n_keys = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
          n_keys++;
        }
    }
  g_assert_cmpuint (n_keys, ==, 1);

  return handled;
}

/* The arrow keys walk the grid; the selection is drawn last, over a halo. */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(BaliseFeature) first = NULL;
  g_autoptr(GskRenderNode) plain = NULL;
  g_autoptr(GskRenderNode) highlighted = NULL;
  guint notified = 0;
  gint64 activated_id = 0;
  double x, y;

  view (fixture, 17);
  g_signal_connect (fixture->layer, "notify::selected", G_CALLBACK (selected_changed_cb), &notified);
  g_signal_connect (fixture->layer, "feature-activated", G_CALLBACK (activated_cb), &activated_id);

  plain = draw (fixture);
  g_assert_cmpuint (balise_feature_layer_get_n_drawn (fixture->layer), ==, GRID * GRID);

  widget_coords (fixture, GRID_LAT, GRID_LON, &x, &y);
  first = balise_feature_layer_pick (fixture->layer, x, y);
  balise_feature_layer_set_selected (fixture->layer, first);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (balise_feature_layer_get_selected (fixture->layer)->osm_id, ==, fixture->ids[0][0]);

  /* Right, right, up (north): row 1, column 2. */
  g_assert_true (press_key (fixture, GDK_KEY_Right));
  g_assert_cmpint (balise_feature_layer_get_selected (fixture->layer)->osm_id, ==, fixture->ids[0][1]);
  g_assert_true (press_key (fixture, GDK_KEY_Right));
  g_assert_true (press_key (fixture, GDK_KEY_Up));
  g_assert_cmpint (balise_feature_layer_get_selected (fixture->layer)->osm_id, ==, fixture->ids[1][2]);
  g_assert_cmpuint (notified, ==, 4);

  /* Nothing further south of row 0 in view: the selection stays. */
  g_assert_true (press_key (fixture, GDK_KEY_Down));
  g_assert_false (press_key (fixture, GDK_KEY_Down));
  g_assert_cmpint (balise_feature_layer_get_selected (fixture->layer)->osm_id, ==, fixture->ids[0][2]);

  /* From the far left column, left goes nowhere; up four times reaches the top row. */
  g_assert_true (press_key (fixture, GDK_KEY_Left));
  g_assert_true (press_key (fixture, GDK_KEY_Left));
  g_assert_false (press_key (fixture, GDK_KEY_Left));
  for (int i = 0; i < GRID - 1; i++)
    g_assert_true (press_key (fixture, GDK_KEY_Up));
  g_assert_false (press_key (fixture, GDK_KEY_Up));
  g_assert_cmpint (balise_feature_layer_get_selected (fixture->layer)->osm_id, ==, fixture->ids[GRID - 1][0]);
  g_assert_true (press_key (fixture, GDK_KEY_Right));
  g_assert_true (press_key (fixture, GDK_KEY_Right));
  g_assert_true (press_key (fixture, GDK_KEY_Down));
  g_assert_true (press_key (fixture, GDK_KEY_Down));
  g_assert_true (press_key (fixture, GDK_KEY_Down));
  g_assert_true (press_key (fixture, GDK_KEY_Down));
  g_assert_cmpint (balise_feature_layer_get_selected (fixture->layer)->osm_id, ==, fixture->ids[0][2]);

  /* Same count of markers, and a yellow halo around the selected one only. */
  highlighted = draw (fixture);
  g_assert_cmpuint (balise_feature_layer_get_n_drawn (fixture->layer), ==, GRID * GRID);
  assert_halo (fixture, fixture->ids[0][2], TRUE);
  assert_halo (fixture, fixture->ids[0][1], FALSE);
  assert_halo (fixture, fixture->ids[1][2], FALSE);

  /* Enter activates the selection; Escape clears it, and then Enter does nothing. */
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (fixture->layer)));
  g_assert_cmpint (activated_id, ==, 0);
  g_assert_true (press_key (fixture, GDK_KEY_Return));
  g_assert_cmpint (activated_id, ==, fixture->ids[0][2]);

  g_assert_true (press_key (fixture, GDK_KEY_Escape));
  g_assert_null (balise_feature_layer_get_selected (fixture->layer));
  activated_id = 0;
  g_assert_false (press_key (fixture, GDK_KEY_Return));
  g_assert_cmpint (activated_id, ==, 0);
}

/* Below zoom 14 the clusters count every feature in view, once. */
static void
test_clusters (Fixture       *fixture,
               gconstpointer  data)
{
  const double zooms[] = { 10, 11, 12, 13, 13.5 };

  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      g_autoptr(GskRenderNode) node = NULL;
      double x, y;
      guint in_view = GRID * GRID;

      view (fixture, zooms[z]);
      widget_coords (fixture, LONE_LAT, LONE_LON, &x, &y);
      if (x >= 0 && x <= 800 && y >= 0 && y <= 600)
        in_view++;

      node = draw (fixture);
      g_assert_nonnull (node);
      g_test_message ("zoom %.1f: %u clusters for %u features", zooms[z],
                      balise_feature_layer_get_n_drawn (fixture->layer), in_view);
      g_assert_cmpuint (balise_feature_layer_get_cluster_total (fixture->layer), ==, in_view);
      g_assert_cmpuint (balise_feature_layer_get_n_drawn (fixture->layer), >=, 1);
      g_assert_cmpuint (balise_feature_layer_get_n_drawn (fixture->layer), <=, in_view);
    }

  /* Moved far east, only the lone stop stays in view. */
  shumate_map_center_on (fixture->map, LONE_LAT, LONE_LON + 0.04);
  gsk_render_node_unref (draw (fixture));
  g_assert_cmpuint (balise_feature_layer_get_cluster_total (fixture->layer), ==, 1);

  /* Zoom 12 holds them all. */
  view (fixture, 12);
  gsk_render_node_unref (draw (fixture));
  g_assert_cmpuint (balise_feature_layer_get_cluster_total (fixture->layer), ==, N_FEATURES);
}

/* Twenty stops each side of a border between two cells of the cluster
 * grid, 3 px from it at zoom 13: their two discs would overlap, so they are
 * drawn as one, and no two discs in view overlap at any zoom. */
static void
assert_no_overlap (Fixture *fixture,
                   guint    expected_total)
{
  g_autoptr(GArray) clusters = balise_feature_layer_get_clusters (fixture->layer);
  guint total = 0;

  g_assert_cmpuint (clusters->len, ==, balise_feature_layer_get_n_drawn (fixture->layer));
  for (guint i = 0; i < clusters->len; i++)
    {
      const BaliseSheetCluster *a = &g_array_index (clusters, BaliseSheetCluster, i);

      total += a->count;
      for (guint j = i + 1; j < clusters->len; j++)
        {
          const BaliseSheetCluster *b = &g_array_index (clusters, BaliseSheetCluster, j);

          if (hypot (a->x - b->x, a->y - b->y) < a->radius + b->radius)
            g_error ("Clusters of %u and %u overlap at %.0f,%.0f and %.0f,%.0f", a->count, b->count,
                     a->x, a->y, b->x, b->y);
        }
    }
  g_assert_cmpuint (total, ==, expected_total);
}

static void
test_cluster_overlap (Fixture       *fixture,
                      gconstpointer  data)
{
  const double zooms[] = { 10, 11, 12, 13, 13.5 };
  double world = 256 * pow (2, 13);
  /* A border of the 96 px cells, in world pixels at zoom 13, east of the grid. */
  double border = (floor ((GRID_LON + 0.01 + 180) / 360 * world / 96) + 1) * 96;
  double lat = GRID_LAT, lon_west = (border - 3) / world * 360 - 180, lon_east = (border + 3) / world * 360 - 180;
  g_autoptr(GArray) clusters = NULL;
  gboolean found = FALSE;

  for (int i = 0; i < 20; i++)
    {
      add_stop (fixture->store, lat + i * 1e-5, lon_west);
      add_stop (fixture->store, lat + i * 1e-5, lon_east);
    }

  shumate_viewport_set_zoom_level (fixture->viewport, 13);
  shumate_map_center_on (fixture->map, lat, (lon_west + lon_east) / 2);
  gsk_render_node_unref (draw (fixture));
  assert_no_overlap (fixture, balise_feature_layer_get_cluster_total (fixture->layer));
  g_assert_cmpuint (balise_feature_layer_get_cluster_total (fixture->layer), ==, N_FEATURES + 40);

  /* The forty are one disc, whose cells hold them all. */
  clusters = balise_feature_layer_get_clusters (fixture->layer);
  for (guint i = 0; i < clusters->len; i++)
    {
      const BaliseSheetCluster *c = &g_array_index (clusters, BaliseSheetCluster, i);

      if (c->count >= 40)
        {
          found = TRUE;
          g_assert_cmpfloat (c->west, <, lon_west);
          g_assert_cmpfloat (c->east, >, lon_east);
        }
    }
  g_assert_true (found);

  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      view (fixture, zooms[z]);
      gsk_render_node_unref (draw (fixture));
      assert_no_overlap (fixture, balise_feature_layer_get_cluster_total (fixture->layer));
    }
}

/* The fix as a dot, inside a circle as wide as its accuracy on the ground:
 * 100 m at zoom 16 over Monaco is 57.9 px (Web Mercator: 156 543 m a pixel
 * at the equator at zoom 0, times cos (latitude), over 2^16). */
static void
test_position (Fixture       *fixture,
               gconstpointer  data)
{
  BalisePositionLayer *position = balise_position_layer_new (fixture->viewport);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  double expected = 100 / (156543.03392 * cos (GRID_LAT * G_PI / 180) / 65536);
  double x, y;

  shumate_map_add_layer (fixture->map, SHUMATE_LAYER (position));
  while (gtk_widget_get_width (GTK_WIDGET (position)) != 800)
    g_main_context_iteration (NULL, TRUE);
  view (fixture, 16);
  g_assert_false (balise_position_layer_get_has_fix (position));

  balise_position_layer_set_fix (position, GRID_LAT, GRID_LON, 100);
  g_assert_true (balise_position_layer_get_has_fix (position));
  texture = balise_ui_test_render_widget (GTK_WIDGET (position));
  g_assert_nonnull (texture);
  g_assert_cmpfloat_with_epsilon (balise_position_layer_get_drawn_radius (position), expected, 0.01);
  g_assert_cmpfloat_with_epsilon (expected, 57.9, 0.1);

  widget_coords (fixture, GRID_LAT, GRID_LON, &x, &y);
  /* The dot, the pale circle, and nothing past the circle. */
  g_assert_true (colour_near (balise_ui_test_pixel (texture, (int) x, (int) y), 0x1c70d9));
  g_assert_cmpuint (balise_ui_test_pixel (texture, (int) (x + 30), (int) y), !=, 0);
  g_assert_cmpuint (balise_ui_test_pixel (texture, (int) (x + 70), (int) y), ==, 0);

  /* Worse accuracy, wider circle; no fix, nothing at all. */
  balise_position_layer_set_fix (position, GRID_LAT, GRID_LON, 200);
  g_clear_object (&texture);
  texture = balise_ui_test_render_widget (GTK_WIDGET (position));
  g_assert_cmpfloat_with_epsilon (balise_position_layer_get_drawn_radius (position), 2 * expected, 0.01);
  g_assert_cmpuint (balise_ui_test_pixel (texture, (int) (x + 70), (int) y), !=, 0);

  balise_position_layer_clear_fix (position);
  g_assert_false (balise_position_layer_get_has_fix (position));
  g_clear_object (&texture);
  g_assert_null (balise_ui_test_render_widget (GTK_WIDGET (position)));
}

/* Sends a click to the layer's click gesture, as a release at (x, y). */
static void
click (Fixture *fixture,
       double   x,
       double   y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->layer));
  guint n_clicks = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        {
          g_signal_emit_by_name (controller, "released", 1, x, y);
          n_clicks++;
        }
    }
  g_assert_cmpuint (n_clicks, ==, 1);
}

typedef struct
{
  Fixture *fixture;
  double   lat;
  double   lon;
} Target;

/* The animation has brought the view over the target, zoomed in past the
 * clusters to a whole zoom level (it goes through fractional ones). */
static gboolean
arrived (gpointer data)
{
  Target *target = data;
  ShumateViewport *viewport = target->fixture->viewport;
  double zoom = shumate_viewport_get_zoom_level (viewport);

  return zoom >= 14 && zoom == floor (zoom) &&
         fabs (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)) - target->lat) < 1e-6 &&
         fabs (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)) - target->lon) < 1e-6;
}

static gboolean
in_view (Fixture *fixture,
         double   lat,
         double   lon)
{
  double x, y;

  widget_coords (fixture, lat, lon, &x, &y);
  return x >= 0 && x <= 800 && y >= 0 && y <= 600;
}

/* A click on the grid's cluster zooms in, animated, until its stops are
 * seen one by one: all of them in view, the lone stop out of it. */
static void
test_cluster_click (Fixture       *fixture,
                    gconstpointer  data)
{
  Target target = { fixture, GRID_LAT + (GRID - 1) * GRID_STEP / 2, GRID_LON + (GRID - 1) * GRID_STEP / 2 };
  double x, y;

  view (fixture, 13);
  gsk_render_node_unref (draw (fixture));
  g_assert_cmpuint (balise_feature_layer_get_cluster_total (fixture->layer), ==, N_FEATURES);

  /* Beside the clusters, nothing happens. */
  click (fixture, 20, 20);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (fixture->viewport), ==, 13);

  widget_coords (fixture, target.lat, target.lon, &x, &y);
  click (fixture, x + 3, y - 3);
  g_assert_true (balise_ui_test_wait (arrived, &target, 30));
  g_test_message ("zoomed in to %.1f", shumate_viewport_get_zoom_level (fixture->viewport));

  for (int i = 0; i < GRID; i++)
    for (int j = 0; j < GRID; j++)
      g_assert_true (in_view (fixture, GRID_LAT + i * GRID_STEP, GRID_LON + j * GRID_STEP));
  g_assert_false (in_view (fixture, LONE_LAT, LONE_LON));

  /* Single features now: a click picks a stop. */
  widget_coords (fixture, GRID_LAT, GRID_LON, &x, &y);
  click (fixture, x, y);
  g_assert_nonnull (balise_feature_layer_get_selected (fixture->layer));
  g_assert_cmpint (balise_feature_layer_get_selected (fixture->layer)->osm_id, ==, fixture->ids[0][0]);
}

/* At low zoom the arrow keys go from cluster to cluster and Enter opens
 * the one chosen: Right picks the grid's (at the centre), Right again the
 * lone stop's, east of it. */
static void
test_cluster_keyboard (Fixture       *fixture,
                       gconstpointer  data)
{
  Target target = { fixture, LONE_LAT, LONE_LON };

  view (fixture, 13);
  gsk_render_node_unref (draw (fixture));

  /* Nothing chosen yet: Enter does nothing. */
  g_assert_false (press_key (fixture, GDK_KEY_Return));
  g_assert_true (press_key (fixture, GDK_KEY_Right));
  g_assert_true (press_key (fixture, GDK_KEY_Right));
  /* Nothing further east. */
  g_assert_false (press_key (fixture, GDK_KEY_Right));

  g_assert_true (press_key (fixture, GDK_KEY_Return));
  g_assert_true (balise_ui_test_wait (arrived, &target, 30));
  g_test_message ("zoomed in to %.1f", shumate_viewport_get_zoom_level (fixture->viewport));

  g_assert_true (in_view (fixture, LONE_LAT, LONE_LON));
  for (int i = 0; i < GRID; i++)
    for (int j = 0; j < GRID; j++)
      g_assert_false (in_view (fixture, GRID_LAT + i * GRID_STEP, GRID_LON + j * GRID_STEP));
}

/* A row of stops far longer than the view, panned along 40 px at a time:
 * the layer keeps the pieces it has drawn and draws those coming into
 * view, so every frame counts exactly the stops in view and draws the ones
 * that came from beyond the first view; a stop added on the way appears. */
#define ROW_LAT   (GRID_LAT - 0.004)
#define ROW_STEP  0.001          /* 93 px at zoom 17 */
#define ROW_LEN   40

/* How many stops are in view, a stop on the edge (within @slack px)
 * counting as in when @slack > 0, out when @slack < 0. */
static guint
stops_in_view (Fixture      *fixture,
               const double *row_lons,
               guint         n_row,
               double        extra_lat,
               double        extra_lon,
               double        slack)
{
  g_autoptr(GArray) stops = g_array_new (FALSE, FALSE, sizeof (double) * 2);
  double stop[2];
  guint n = 0;

  for (int i = 0; i < GRID; i++)
    for (int j = 0; j < GRID; j++)
      {
        stop[0] = GRID_LAT + i * GRID_STEP;
        stop[1] = GRID_LON + j * GRID_STEP;
        g_array_append_val (stops, stop);
      }
  stop[0] = LONE_LAT;
  stop[1] = LONE_LON;
  g_array_append_val (stops, stop);
  for (guint i = 0; i < n_row; i++)
    {
      stop[0] = ROW_LAT;
      stop[1] = row_lons[i];
      g_array_append_val (stops, stop);
    }
  if (extra_lat != 0)
    {
      stop[0] = extra_lat;
      stop[1] = extra_lon;
      g_array_append_val (stops, stop);
    }

  for (guint i = 0; i < stops->len; i++)
    {
      const double *s = &g_array_index (stops, double, 2 * i);
      double x, y;

      widget_coords (fixture, s[0], s[1], &x, &y);
      n += x >= -slack && x <= 800 + slack && y >= -slack && y <= 600 + slack;
    }
  return n;
}

/* The layer counts the stops in view, give or take one on the very edge. */
static void
assert_count (Fixture      *fixture,
              const double *row_lons,
              double        extra_lat,
              double        extra_lon)
{
  guint drawn = balise_feature_layer_get_n_drawn (fixture->layer);

  g_assert_cmpuint (drawn, >=, stops_in_view (fixture, row_lons, ROW_LEN, extra_lat, extra_lon, -0.5));
  g_assert_cmpuint (drawn, <=, stops_in_view (fixture, row_lons, ROW_LEN, extra_lat, extra_lon, 0.5));
}

static void
assert_marker_at (Fixture *fixture,
                  double   lat,
                  double   lon)
{
  g_autoptr(GdkTexture) texture = balise_ui_test_render_widget (GTK_WIDGET (fixture->layer));
  double x, y;

  widget_coords (fixture, lat, lon, &x, &y);
  g_assert_cmpfloat (x, >, 20);
  g_assert_cmpfloat (x, <, 780);
  /* A marker's centre is coloured; 40 px north of the row, nothing is drawn. */
  if (balise_ui_test_pixel (texture, (int) round (x), (int) round (y)) ==
      balise_ui_test_pixel (texture, (int) round (x), (int) round (y) - 40))
    g_error ("No marker drawn at %.1f, %.1f", x, y);
}

static void
test_long_pan (Fixture       *fixture,
               gconstpointer  data)
{
  double row_lons[ROW_LEN];
  double lon, x0, y0, x1, y1, degrees_per_px, extra_lat = 0, extra_lon = 0;
  guint checked = 0;

  for (guint i = 0; i < ROW_LEN; i++)
    {
      row_lons[i] = GRID_LON + i * ROW_STEP;
      add_stop (fixture->store, ROW_LAT, row_lons[i]);
    }

  shumate_viewport_set_zoom_level (fixture->viewport, 17);
  shumate_map_center_on (fixture->map, ROW_LAT, GRID_LON);
  widget_coords (fixture, ROW_LAT, GRID_LON, &x0, &y0);
  widget_coords (fixture, ROW_LAT, GRID_LON + ROW_STEP, &x1, &y1);
  degrees_per_px = ROW_STEP / (x1 - x0);

  for (lon = GRID_LON; lon < GRID_LON + (ROW_LEN - 5) * ROW_STEP; lon += 40 * degrees_per_px)
    {
      g_autoptr(GskRenderNode) node = NULL;

      shumate_map_center_on (fixture->map, ROW_LAT, lon);
      node = draw (fixture);
      assert_count (fixture, row_lons, extra_lat, extra_lon);

      /* Every 20 steps, the row's stop nearest the centre is drawn. */
      if (checked++ % 20 == 0)
        {
          guint nearest = (guint) round ((lon - GRID_LON) / ROW_STEP);

          assert_marker_at (fixture, ROW_LAT, row_lons[nearest]);
        }

      /* Half way, a stop recorded just north of the view's centre appears. */
      if (extra_lat == 0 && lon > GRID_LON + ROW_LEN / 2 * ROW_STEP)
        {
          extra_lat = ROW_LAT + 0.0003;
          extra_lon = lon;
          add_stop (fixture->store, extra_lat, extra_lon);
          g_clear_pointer (&node, gsk_render_node_unref);
          node = draw (fixture);
          assert_count (fixture, row_lons, extra_lat, extra_lon);
          assert_marker_at (fixture, extra_lat, extra_lon);
        }
    }
  g_assert_cmpuint (checked, >, 60);
  g_assert_cmpfloat (extra_lat, !=, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/ui/feature-layer/pick", Fixture, NULL, fixture_set_up, test_pick, fixture_tear_down);
  g_test_add ("/ui/feature-layer/long-pan", Fixture, NULL,
              fixture_set_up, test_long_pan, fixture_tear_down);
  g_test_add ("/ui/feature-layer/pick-low-zoom", Fixture, NULL,
              fixture_set_up, test_pick_low_zoom, fixture_tear_down);
  g_test_add ("/ui/feature-layer/keyboard", Fixture, NULL,
              fixture_set_up, test_keyboard, fixture_tear_down);
  g_test_add ("/ui/position-layer/accuracy", Fixture, NULL,
              fixture_set_up, test_position, fixture_tear_down);
  g_test_add ("/ui/feature-layer/clusters", Fixture, NULL,
              fixture_set_up, test_clusters, fixture_tear_down);
  g_test_add ("/ui/feature-layer/cluster-overlap", Fixture, NULL,
              fixture_set_up, test_cluster_overlap, fixture_tear_down);
  g_test_add ("/ui/feature-layer/cluster-click", Fixture, NULL,
              fixture_set_up, test_cluster_click, fixture_tear_down);
  g_test_add ("/ui/feature-layer/cluster-keyboard", Fixture, NULL,
              fixture_set_up, test_cluster_keyboard, fixture_tear_down);

  return g_test_run ();
}
