/* bench-pan.c: frames per second of the map while panning, under Xvfb
 *
 * Balise's feature layer against a ShumateMarkerLayer with one marker
 * widget per feature, both showing the same 10 000 bus stops with the same
 * 18 px image (the feature layer's own marker), then the feature layer alone
 * with 100 000 in view: packed in the screen at zoom 16 (single features, as
 * many as the layer draws), and spread over the screen at zoom 13 (clusters).
 *
 * The map is panned the way an app pans it: a tick callback moves the
 * viewport once a frame, and GTK draws the frame itself, through its frame
 * clock, its layout and its window's GskRenderer onto the X window. A frame's
 * cost is GTK's work for it, from the frame clock's "before-paint" to its
 * "after-paint" (our tick, the layout where the marker layer places its
 * widgets, the window's snapshot and the renderer's drawing and buffer
 * swap). The wait for the next refresh between frames is not counted, so
 * the display's 60 Hz never caps the figure (DESIGN.md §7); the capped,
 * wall-clock rate is printed beside it. Nothing is read back.
 *
 * Two pans: a short one, 4 px a frame to 120 px either side and back, which
 * keeps every feature in view; and a long one, 8 px a frame eastwards over
 * 960 px, which makes the feature layer draw its sheet again as the view
 * leaves it. Each case runs ROUNDS times, interleaved, and the best run of
 * each is compared. There is no basemap: only the layers are measured.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "config.h"

#include <math.h>

#include "balise-feature-layer.h"
#include "balise-store-private.h"
#include "balise-test-utils.h"
#include "balise-ui-test-utils.h"

#define WIDTH       1024
#define HEIGHT      768
#define N_FRAMES    120
#define N_WARM_UP   8
#define ROUNDS      3
#define MARKER_SIZE 18
#define CENTRE_LAT  43.7384
#define CENTRE_LON  7.4246
/* The features fill this share of the screen at zoom 16: the short pan
 * (120 px either way) keeps every one of them in view. */
#define BOX_SHARE   0.7

typedef enum
{
  PAN_SHORT,
  PAN_LONG,
} PanKind;

typedef struct
{
  guint  n;
  double zoom;              /* the box is BOX_SHARE of the screen at this zoom */
  double west;
  double south;
  double east;
  double north;
} Fill;

typedef struct
{
  ShumateViewport *viewport;
  PanKind          kind;
  double           degrees_per_px;
  int              frame;           /* ticks so far, warm-up included */
  gint64           paint_start;
  gint64           first_measured;
  GArray          *work_ms;         /* double */
  gboolean         done;
} Pan;

typedef struct
{
  double fps;                       /* frames / GTK's work time */
  double wall_fps;                  /* frames / wall-clock time, capped by the display */
  double p95_ms;
  double max_ms;
} PanResult;

static void
feature_box (Fill *fill)
{
  double degrees_per_px = 360.0 / (256.0 * pow (2, fill->zoom));
  double half_w = BOX_SHARE * WIDTH / 2 * degrees_per_px;
  double half_h = BOX_SHARE * HEIGHT / 2 * degrees_per_px * cos (CENTRE_LAT * G_PI / 180);

  fill->west = CENTRE_LON - half_w;
  fill->east = CENTRE_LON + half_w;
  fill->south = CENTRE_LAT - half_h;
  fill->north = CENTRE_LAT + half_h;
}

/* The same positions for both layers: a GRand seeded with the count. */
static void
feature_position (GRand      *rand,
                  const Fill *fill,
                  double     *lat,
                  double     *lon)
{
  *lon = g_rand_double_range (rand, fill->west, fill->east);
  *lat = g_rand_double_range (rand, fill->south, fill->north);
}

static gboolean
fill_func (BaliseStore   *store,
           sqlite3       *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Fill *fill = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (fill->n);

  if (!_balise_store_prepare (db,
                              "INSERT INTO element (osm_type, osm_id, version, tags, geom, category) "
                              "VALUES ('node', ?, 1, '{\"highway\":\"bus_stop\"}', MakePoint (?, ?, 4326), "
                              "'bus_stop')",
                              &stmt, error))
    return FALSE;

  for (guint i = 0; i < fill->n; i++)
    {
      double lat, lon;

      feature_position (rand, fill, &lat, &lon);
      sqlite3_bind_int64 (stmt, 1, i + 1);
      sqlite3_bind_double (stmt, 2, lon);
      sqlite3_bind_double (stmt, 3, lat);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _balise_store_set_error (error, db, "Could not insert a bench feature");
          return FALSE;
        }
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static BaliseStore *
bench_store (guint  n,
             double zoom)
{
  g_autofree char *name = g_strdup_printf ("pan-%u-z%.0f.sqlite", n, zoom);
  g_autofree char *path = balise_test_tmp_path (name);
  g_autoptr(GError) error = NULL;
  BaliseStore *store;
  Fill fill = { n, zoom };

  feature_box (&fill);
  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (_balise_store_write (store, fill_func, &fill, NULL, &error));
  g_assert_no_error (error);

  return store;
}

static GtkWindow *
map_window (ShumateMap **map_out)
{
  g_autoptr(ShumateRasterRenderer) source = NULL;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  ShumateMap *map = shumate_map_new ();

  /* The projection's reference only: no layer draws its tiles. */
  source = shumate_raster_renderer_new_from_url ("file:///nonexistent/{z}/{x}/{y}.png");
  shumate_viewport_set_reference_map_source (shumate_map_get_viewport (map), SHUMATE_MAP_SOURCE (source));

  /* An opaque background, as a basemap would give: the frame is never empty. */
  gtk_widget_add_css_class (GTK_WIDGET (map), "view");
  gtk_widget_set_size_request (GTK_WIDGET (map), WIDTH, HEIGHT);
  gtk_window_set_default_size (window, WIDTH, HEIGHT);
  gtk_window_set_resizable (window, FALSE);
  gtk_window_set_child (window, GTK_WIDGET (map));

  *map_out = map;
  return window;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return da < db ? -1 : da > db;
}

/* Where the view's centre is, in pixels east of the start, at @frame. */
static double
pan_offset (PanKind kind,
            int     frame)
{
  int i = frame % N_FRAMES;

  if (kind == PAN_LONG)
    return 8.0 * frame;
  if (i < N_FRAMES / 4)
    return 4.0 * i;
  if (i < 3 * N_FRAMES / 4)
    return 4.0 * (N_FRAMES / 2 - i);
  return 4.0 * (i - N_FRAMES);
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Pan           *pan)
{
  pan->paint_start = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Pan           *pan)
{
  double ms = (g_get_monotonic_time () - pan->paint_start) / 1000.0;

  /* Frames whose tick moved the view, after the warm-up. */
  if (pan->paint_start == 0 || pan->frame <= N_WARM_UP || pan->done)
    return;

  g_array_append_val (pan->work_ms, ms);
  if (pan->work_ms->len == N_FRAMES)
    pan->done = TRUE;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Pan *pan = data;
  int moving = pan->frame - N_WARM_UP;

  if (pan->done)
    return G_SOURCE_REMOVE;

  /* The warm-up frames draw the layers once where the pan starts. */
  if (moving == 0)
    pan->first_measured = g_get_monotonic_time ();
  if (moving >= 0)
    shumate_location_set_location (SHUMATE_LOCATION (pan->viewport), CENTRE_LAT,
                                   CENTRE_LON + pan_offset (pan->kind, moving) * pan->degrees_per_px);
  /* As the map's tile layer would: a moved map is drawn again, layer or not. */
  gtk_widget_queue_draw (widget);
  pan->frame++;

  return G_SOURCE_CONTINUE;
}

static gboolean
pan_done (gpointer data)
{
  return ((Pan *) data)->done;
}

static PanResult
pan (GtkWindow  *window,
     ShumateMap *map,
     double      zoom,
     PanKind     kind)
{
  g_autoptr(GArray) work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  Pan pan = { 0 };
  PanResult result;
  GdkFrameClock *clock;
  gulong before, after;
  double total = 0;

  pan.viewport = shumate_map_get_viewport (map);
  pan.kind = kind;
  pan.degrees_per_px = 360.0 / (256.0 * pow (2, zoom));
  pan.work_ms = work_ms;
  shumate_location_set_location (SHUMATE_LOCATION (pan.viewport), CENTRE_LAT, CENTRE_LON);
  shumate_viewport_set_zoom_level (pan.viewport, zoom);

  gtk_window_present (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (map)))
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (map));
  before = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &pan);
  after = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &pan);
  gtk_widget_add_tick_callback (GTK_WIDGET (map), tick_cb, &pan, NULL);

  g_assert_true (balise_ui_test_wait (pan_done, &pan, 300));
  result.wall_fps = N_FRAMES / ((g_get_monotonic_time () - pan.first_measured) / 1e6);

  g_signal_handler_disconnect (clock, before);
  g_signal_handler_disconnect (clock, after);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (map)), ==, WIDTH);

  for (guint i = 0; i < work_ms->len; i++)
    total += g_array_index (work_ms, double, i);
  g_array_sort (work_ms, compare_doubles);
  result.fps = work_ms->len / (total / 1000);
  result.p95_ms = g_array_index (work_ms, double, (work_ms->len * 95) / 100);
  result.max_ms = g_array_index (work_ms, double, work_ms->len - 1);

  return result;
}

static void
print_result (const char      *what,
              guint            n,
              double           zoom,
              PanKind          kind,
              const PanResult *r,
              int              round)
{
  g_print ("  %-36s %6u features, zoom %2.0f, %s pan: %6.1f fps (%5.2f ms a frame, p95 %5.2f, max %5.2f; "
           "%4.1f fps on the 60 Hz display) [round %d]\n",
           what, n, zoom, kind == PAN_SHORT ? "short" : "long ", r->fps, 1000 / r->fps, r->p95_ms,
           r->max_ms, r->wall_fps, round + 1);
}

static void
keep_best (PanResult       *best,
           const PanResult *r)
{
  if (r->fps > best->fps)
    *best = *r;
}

static PanResult
bench_feature_layer (BaliseStore *store,
                     guint        n,
                     double       zoom,
                     PanKind      kind,
                     const char  *what,
                     int          round,
                     guint       *n_drawn)
{
  BaliseFeatureLayer *layer;
  ShumateMap *map;
  GtkWindow *window = map_window (&map);
  PanResult r;

  layer = balise_feature_layer_new (shumate_map_get_viewport (map), store);
  shumate_map_add_layer (map, SHUMATE_LAYER (layer));

  r = pan (window, map, zoom, kind);
  print_result (what, n, zoom, kind, &r, round);
  if (n_drawn != NULL)
    *n_drawn = balise_feature_layer_get_n_drawn (layer);

  gtk_window_destroy (window);
  return r;
}

/* The map with no layer: what every frame costs before any feature. */
static PanResult
bench_empty (int round)
{
  ShumateMap *map;
  GtkWindow *window = map_window (&map);
  PanResult r = pan (window, map, 16, PAN_SHORT);

  print_result ("No layer (the frame's fixed cost)", 0, 16, PAN_SHORT, &r, round);
  gtk_window_destroy (window);
  return r;
}

/* The bus stop marker as the feature layer draws it, from a layer that is
 * never shown. */
static GdkTexture *
feature_marker (BaliseStore *store)
{
  g_autoptr(ShumateViewport) viewport = shumate_viewport_new ();
  g_autoptr(BaliseFeatureLayer) layer = g_object_ref_sink (balise_feature_layer_new (viewport, store));

  return g_object_ref (balise_feature_layer_get_marker_texture (layer, "bus_stop",
                                                                BALISE_FEATURE_CLEAN));
}

static PanResult
bench_marker_layer (GdkTexture *marker,
                    guint       n,
                    PanKind     kind,
                    int         round)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (n);
  ShumateMarkerLayer *layer;
  ShumateMap *map;
  GtkWindow *window = map_window (&map);
  Fill fill = { n, 16 };
  PanResult r;

  feature_box (&fill);
  layer = shumate_marker_layer_new (shumate_map_get_viewport (map));
  for (guint i = 0; i < n; i++)
    {
      ShumateMarker *m = shumate_marker_new ();
      GtkWidget *image = gtk_image_new_from_paintable (GDK_PAINTABLE (marker));
      double lat, lon;

      feature_position (rand, &fill, &lat, &lon);
      gtk_image_set_pixel_size (GTK_IMAGE (image), MARKER_SIZE);
      shumate_marker_set_child (m, image);
      shumate_location_set_location (SHUMATE_LOCATION (m), lat, lon);
      shumate_marker_layer_add_marker (layer, m);
    }
  shumate_map_add_layer (map, SHUMATE_LAYER (layer));

  r = pan (window, map, 16, kind);
  print_result ("ShumateMarkerLayer, a marker each", n, 16, kind, &r, round);

  gtk_window_destroy (window);
  return r;
}

static gboolean
wanted (const char *only,
        const char *name)
{
  return only == NULL || g_str_equal (only, name);
}

/*   bench-pan [CASE]   CASE, to profile one of them alone: empty, layer,
 *                      markers, layer-long, markers-long, layer-100k or
 *                      clusters-100k */
int
main (int   argc,
      char *argv[])
{
  g_autoptr(BaliseStore) store_10k = NULL;
  g_autoptr(BaliseStore) store_100k = NULL;
  g_autoptr(BaliseStore) store_100k_wide = NULL;
  g_autoptr(GdkTexture) marker = NULL;
  PanResult empty = { 0 }, layer_10k = { 0 }, markers_10k = { 0 };
  PanResult layer_long = { 0 }, markers_long = { 0 }, layer_100k = { 0 }, clusters_100k = { 0 };
  guint drawn_10k = 0, drawn_100k = 0, clusters_drawn = 0;
  const char *only = argc > 1 ? argv[1] : NULL;
  GtkWindow *probe;
  ShumateMap *map;

  gtk_init ();

  probe = map_window (&map);
  gtk_window_present (probe);
  while (!gtk_widget_get_mapped (GTK_WIDGET (map)))
    g_main_context_iteration (NULL, TRUE);
  g_print ("Pan benchmark: %d frames of %d × %d px a run, %s renderer on %s, best of %d rounds\n",
           N_FRAMES, WIDTH, HEIGHT, G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (probe))),
           G_OBJECT_TYPE_NAME (gtk_widget_get_display (GTK_WIDGET (probe))), ROUNDS);
  gtk_window_destroy (probe);

  store_10k = bench_store (10000, 16);
  if (wanted (only, "layer-100k"))
    store_100k = bench_store (100000, 16);
  if (wanted (only, "clusters-100k"))
    store_100k_wide = bench_store (100000, 13);
  marker = feature_marker (store_10k);

  for (int round = 0; round < ROUNDS; round++)
    {
      PanResult r;

      if (wanted (only, "empty"))
        {
          r = bench_empty (round);
          keep_best (&empty, &r);
        }
      if (wanted (only, "layer"))
        {
          r = bench_feature_layer (store_10k, 10000, 16, PAN_SHORT, "Balise feature layer", round,
                                   &drawn_10k);
          keep_best (&layer_10k, &r);
        }
      if (wanted (only, "markers"))
        {
          r = bench_marker_layer (marker, 10000, PAN_SHORT, round);
          keep_best (&markers_10k, &r);
        }
      if (wanted (only, "layer-long"))
        {
          r = bench_feature_layer (store_10k, 10000, 16, PAN_LONG, "Balise feature layer", round, NULL);
          keep_best (&layer_long, &r);
        }
      if (wanted (only, "markers-long"))
        {
          r = bench_marker_layer (marker, 10000, PAN_LONG, round);
          keep_best (&markers_long, &r);
        }
      if (wanted (only, "layer-100k"))
        {
          r = bench_feature_layer (store_100k, 100000, 16, PAN_SHORT, "Balise feature layer", round,
                                   &drawn_100k);
          keep_best (&layer_100k, &r);
        }
      if (wanted (only, "clusters-100k"))
        {
          r = bench_feature_layer (store_100k_wide, 100000, 13, PAN_SHORT, "Balise feature layer (clusters)",
                                   round, &clusters_drawn);
          keep_best (&clusters_100k, &r);
        }
    }

  if (only != NULL)
    return 0;

  g_print ("Best of %d rounds:\n", ROUNDS);
  g_print ("  no layer: %.1f fps (%.2f ms a frame: the map and the window alone)\n",
           empty.fps, 1000 / empty.fps);
  g_print ("  10 000 features, all in view (%u drawn), short pan: feature layer %.1f fps, marker layer "
           "%.1f fps: %.1f× (target ≥ 10×)\n",
           drawn_10k, layer_10k.fps, markers_10k.fps, layer_10k.fps / markers_10k.fps);
  g_print ("  10 000 features, long pan (sheet drawn again as the view leaves it): feature layer %.1f fps "
           "(p95 %.2f ms, max %.2f ms), marker layer %.1f fps: %.1f×\n",
           layer_long.fps, layer_long.p95_ms, layer_long.max_ms, markers_long.fps,
           layer_long.fps / markers_long.fps);
  g_print ("  100 000 features in view: %.1f fps at zoom 16 (%u markers drawn, the layer's limit), "
           "%.1f fps at zoom 13 (%u clusters) (target ≥ 30 fps)\n",
           layer_100k.fps, drawn_100k, clusters_100k.fps, clusters_drawn);

  return 0;
}
