/* test-window.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "balise-application.h"
#include "balise-area-download-dialog.h"
#include "balise-import.h"
#include "balise-preset-form.h"
#include "balise-record-dialog.h"
#include "balise-store.h"
#include "balise-mbtiles.h"
#include "balise-test-server.h"
#include "balise-ui-test-sync.h"
#include "balise-ui-test-utils.h"
#include "balise-window.h"

/* Generous: the store writes on its own thread, and Xvfb may be slow under ASan. */

typedef struct
{
  BaliseStore  *store;
  BaliseWindow *window;
} Fixture;

static BaliseApplication *app;
static char **real_mime_dirs;

static gboolean
pending_count_is_one (gpointer data)
{
  return balise_window_get_pending_count (data) == 1;
}

static gboolean
can_record (gpointer data)
{
  return balise_window_get_presets (data) != NULL;
}

static BaliseRecordDialog *
find_record_dialog (void)
{
  return balise_ui_test_find_toplevel (BALISE_TYPE_RECORD_DIALOG);
}

static BaliseRecordDialog *
open_record_dialog (Fixture *fixture)
{
  BaliseRecordDialog *dialog;

  balise_ui_test_wait_until (can_record, fixture->window, "the presets to load");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.record", NULL));
  dialog = find_record_dialog ();
  g_assert_nonnull (dialog);

  return dialog;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  /* G_TEST_OPTION_ISOLATE_DIRS gives every test its own data directory, and
   * hides the MIME database that GTK and libshumate need to load their SVG
   * icons: point GIO back at the real one. */
  g_content_type_set_mime_dirs ((const char * const *)real_mime_dirs);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  path = g_build_filename (g_get_user_data_dir (), "test.sqlite", NULL);

  fixture->store = balise_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);

  fixture->window = balise_window_new (app, fixture->store);
  g_object_ref_sink (fixture->window);
  balise_window_center_on (fixture->window,
                           BALISE_DEMO_LATITUDE,
                           BALISE_DEMO_LONGITUDE,
                           BALISE_DEMO_ZOOM);
  gtk_window_present (GTK_WINDOW (fixture->window));
  balise_ui_test_spin ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  BaliseRecordDialog *dialog;

  if ((dialog = find_record_dialog ()))
    gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  balise_ui_test_spin ();

  g_clear_object (&fixture->window);
  g_clear_object (&fixture->store);
}

static void
test_counter_follows_store (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(GError) error = NULL;

  /* An edit from elsewhere (the CLI, an import) shows up in the header too. */
  edit->lat = 43.73;
  edit->lon = 7.42;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "amenity", "bench");

  g_assert_true (balise_store_add_edit (fixture->store, edit, &error));
  g_assert_no_error (error);

  balise_ui_test_wait_until (pending_count_is_one, fixture->window, "the pending count to become 1");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (balise_window_get_pending_label (fixture->window))),
                   ==, "1 pending");
}

static void
hang_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  GPtrArray *held = user_data;

  /* A server that takes the request and never answers: the sync hangs
   * until it is cancelled. */
  soup_server_message_pause (msg);
  g_ptr_array_add (held, g_object_ref (msg));
}

static gboolean
is_syncing (gpointer data)
{
  return balise_window_get_syncing (data);
}

static gboolean
is_not_syncing (gpointer data)
{
  return !balise_window_get_syncing (data);
}

static gboolean
request_arrived (gpointer data)
{
  GPtrArray *held = data;

  return held->len > 0;
}

static void
test_sync_cancel (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;

  edit->lat = 43.73;
  edit->lon = 7.42;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  g_assert_true (balise_store_add_edit (fixture->store, edit, &error));
  g_assert_no_error (error);
  balise_ui_test_wait_until (pending_count_is_one, fixture->window, "the pending count to become 1");

  soup_server_add_handler (server, NULL, hang_cb, held, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_settings_set_string (settings, "server-url", url);

  g_assert_false (balise_window_get_syncing (fixture->window));
  balise_ui_test_start_sync (fixture->window, NULL);
  g_assert_true (balise_window_get_syncing (fixture->window));
  balise_ui_test_wait_until (request_arrived, held, "the sync to reach the server");
  g_assert_true (is_syncing (fixture->window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel-sync", NULL));
  balise_ui_test_wait_until (is_not_syncing, fixture->window, "the sync to stop");

  /* Cancelling loses nothing. */
  edits = balise_store_list_edits (fixture->store, BALISE_STORE_UNSENT_MASK, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 1);
  g_assert_cmpuint (balise_window_get_pending_count (fixture->window), ==, 1);

  soup_server_disconnect (server);
  g_settings_reset (settings, "server-url");
}

static gboolean
pending_count_is_zero (gpointer data)
{
  return balise_window_get_pending_count (data) == 0;
}

/* The whole way: a stop saved in the form reaches the OSM API test server
 * through the Sync button, over real HTTP. */
static void
test_sync_to_server (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autoptr(BaliseTestServer) server = balise_test_server_new (NULL, "volunteer-token");
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  BaliseRecordDialog *dialog;
  BalisePresetForm *form;
  BaliseEdit *edit;

  g_assert_true (balise_test_server_start (server, 0, &error));
  g_assert_no_error (error);
  g_settings_set_string (settings, "server-url", balise_test_server_get_url (server));
  g_setenv ("BALISE_TOKEN", "volunteer-token", TRUE);

  dialog = open_record_dialog (fixture);
  balise_record_dialog_choose_preset (dialog, "bus_stop");
  form = balise_record_dialog_get_form (dialog);
  g_assert_nonnull (form);
  gtk_editable_set_text (GTK_EDITABLE (balise_preset_form_get_field_widget (form, "name")), "Casino");
  g_assert_true (gtk_widget_activate (balise_preset_form_get_option_button (form, "shelter", "yes")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  balise_ui_test_wait_until (pending_count_is_one, fixture->window, "the pending count to become 1");

  balise_ui_test_start_sync (fixture->window, NULL);
  balise_ui_test_wait_until (is_not_syncing, fixture->window, "the sync to finish");
  balise_ui_test_wait_until (pending_count_is_zero, fixture->window, "the pending count to become 0");

  g_assert_cmpint (balise_test_server_query_int (server,
                     "SELECT count(*) FROM element WHERE type = 'node' AND visible = 1"), ==, 1);
  g_assert_cmpint (balise_test_server_query_int (server,
                     "SELECT count(*) FROM changeset WHERE closed_at IS NOT NULL"), ==, 1);

  edits = balise_store_list_edits (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 1);
  edit = g_ptr_array_index (edits, 0);
  g_assert_cmpint (edit->status, ==, BALISE_EDIT_STATUS_UPLOADED);
  g_assert_cmpint (edit->new_id, >, 0);

  g_unsetenv ("BALISE_TOKEN");
  g_settings_reset (settings, "server-url");
}

static gboolean
is_not_importing (gpointer data)
{
  return !balise_window_get_importing (data);
}

/* The demo extract loads with a progress card; cancelling it changes nothing. */
static void
test_import_demo (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *extract = g_build_filename (SOURCE_DATADIR, "demo", "monaco-2016.osm.pbf", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (balise_store_is_empty (fixture->store, &error));

  balise_window_import_file (fixture->window, extract, "Monaco");
  g_assert_true (balise_window_get_importing (fixture->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel-import", NULL));
  balise_ui_test_wait_until (is_not_importing, fixture->window, "the import to stop");
  g_assert_true (balise_store_is_empty (fixture->store, &error));
  g_assert_no_error (error);

  balise_window_import_file (fixture->window, extract, "Monaco");
  balise_ui_test_wait_until (is_not_importing, fixture->window, "the import to finish");
  g_assert_false (balise_store_is_empty (fixture->store, &error));
  g_assert_no_error (error);
}

static GtkWidget *
find_simple_map (GtkWidget *widget)
{
  if (SHUMATE_IS_SIMPLE_MAP (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *map = find_simple_map (child);

      if (map != NULL)
        return map;
    }

  return NULL;
}

static gboolean
map_centre_is_land (gpointer data)
{
  GtkWidget *map = data;
  g_autoptr(GdkTexture) texture = NULL;

  if (gtk_widget_get_width (map) < 100)
    return FALSE;
  texture = balise_ui_test_render_widget (map);

  /* The land colour of the local map: the store is empty. */
  return texture != NULL &&
         balise_ui_test_pixel (texture, gtk_widget_get_width (map) / 2,
                               gtk_widget_get_height (map) / 2) == 0xf3f0ea;
}

/* With no network (BALISE_NO_TILES stands for it in tests), the window
 * starts on the local map, drawn from the store; a damaged MBTiles file is
 * refused with an error that names it, and the local map stays. */
static void
test_offline_basemap (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *garbage = g_build_filename (g_get_user_data_dir (), "broken.mbtiles", NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *map = find_simple_map (GTK_WIDGET (fixture->window));
  ShumateMapSource *source;

  g_assert_nonnull (map);
  g_assert_cmpstr (balise_window_get_basemap (fixture->window), ==, "local");
  source = shumate_simple_map_get_map_source (SHUMATE_SIMPLE_MAP (map));
  g_assert_nonnull (source);
  g_assert_cmpstr (shumate_map_source_get_id (source), ==, "balise-local");
  g_assert_cmpstr (shumate_map_source_get_license (source), ==, "© OpenStreetMap contributors");
  balise_ui_test_wait_until (map_centre_is_land, map, "the local map to be drawn");

  g_assert_true (g_file_set_contents (garbage, "not a database, not tiles", -1, &error));
  g_assert_false (balise_window_open_basemap_file (fixture->window, garbage, &error));
  g_assert_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, garbage));
  g_assert_cmpstr (balise_window_get_basemap (fixture->window), ==, "local");
  g_assert_true (shumate_simple_map_get_map_source (SHUMATE_SIMPLE_MAP (map)) == source);
}

static BaliseAreaDownloadDialog *
find_area_dialog (void)
{
  return balise_ui_test_find_toplevel (BALISE_TYPE_AREA_DOWNLOAD_DIALOG);
}

static void
png_tile_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  GBytes *png = user_data;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (png, NULL), g_bytes_get_size (png));
}

static gboolean
basemap_is_file (gpointer data)
{
  return g_strcmp0 (balise_window_get_basemap (data), "file") == 0;
}

static gboolean
no_area_dialog (gpointer data)
{
  return find_area_dialog () == NULL;
}

/* The area in view, from a tile server of the settings, with an estimate
 * before and the file as the basemap after. */
static void
test_download_area (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseMbtiles) mbtiles = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  g_autofree char *path = NULL;
  g_autofree char *estimate = NULL;
  BaliseAreaDownloadDialog *dialog;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  guint64 count;

  {
    g_autofree char *tile_path = g_build_filename (g_get_user_data_dir (), "tile.png", NULL);
    char *contents = NULL;
    gsize size = 0;

    g_assert_cmpint (cairo_surface_write_to_png (surface, tile_path), ==, CAIRO_STATUS_SUCCESS);
    g_assert_true (g_file_get_contents (tile_path, &contents, &size, &error));
    png = g_bytes_new_take (contents, size);
  }
  cairo_surface_destroy (surface);

  soup_server_add_handler (server, NULL, png_tile_cb, png, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_uri_to_string (uris->data);
  url = g_strconcat (base, "{z}/{x}/{y}.png", NULL);
  g_settings_set_string (settings, "tile-download-url", url);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-area", NULL));
  dialog = find_area_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (balise_area_download_dialog_get_url_row (dialog))),
                   ==, url);

  /* One zoom level of the view: a handful of tiles. */
  balise_area_download_dialog_set_zooms (dialog, 16, 16);
  estimate = g_strdup (gtk_label_get_label (GTK_LABEL (balise_area_download_dialog_get_estimate_label (dialog))));
  g_test_message ("Estimate: %s", estimate);
  g_assert_nonnull (strstr (estimate, "tiles, about"));
  count = g_ascii_strtoull (estimate, NULL, 10);
  g_assert_cmpuint (count, >, 0);
  g_assert_cmpuint (count, <, 100);

  g_assert_true (gtk_widget_get_sensitive (balise_area_download_dialog_get_download_button (dialog)));
  g_assert_true (gtk_widget_activate (balise_area_download_dialog_get_download_button (dialog)));
  balise_ui_test_wait_until (basemap_is_file, fixture->window, "the downloaded area to be the basemap");
  balise_ui_test_wait_until (no_area_dialog, NULL, "the dialog to close");

  {
    g_autofree char *db = g_strdup (balise_store_get_path (fixture->store));

    db[strlen (db) - strlen (".sqlite")] = '\0';
    path = g_strconcat (db, "-area.mbtiles", NULL);
  }
  mbtiles = balise_mbtiles_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (balise_mbtiles_count_tiles (mbtiles), ==, (gint64) count);

  soup_server_disconnect (server);
  g_settings_reset (settings, "tile-download-url");
  g_settings_reset (settings, "basemap");
  g_settings_reset (settings, "basemap-file");
}

static gboolean
position_error_is_set (gpointer data)
{
  return balise_window_get_position_error (data) != NULL;
}

/* With no location service (the tests have no system bus), Locate says why
 * there is no position, and the window works on. */
static void
test_locate_without_service (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_assert_null (balise_window_get_position_error (fixture->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.locate", NULL));
  balise_ui_test_wait_until (position_error_is_set, fixture->window, "Locate to give up");
  g_test_message ("Position unavailable: %s", balise_window_get_position_error (fixture->window));
  g_assert_false (balise_position_layer_get_has_fix (balise_window_get_position_layer (fixture->window)));

  /* Still a working window. */
  g_assert_nonnull (open_record_dialog (fixture));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) icon_path = NULL;
  GtkIconTheme *icon_theme;
  int ret;

  /* G_TEST_OPTION_ISOLATE_DIRS gives every test private XDG directories,
   * which hide the system's icon themes and MIME database (GTK and libshumate
   * need it for their SVG icons). Note the real ones before g_test_init(). */
  real_mime_dirs = g_strdupv ((char **)g_content_type_get_mime_dirs ());
  gtk_init ();
  icon_theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  icon_path = gtk_icon_theme_get_search_path (icon_theme);
  gtk_icon_theme_set_search_path (icon_theme, (const char * const *)icon_path);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Never talk to a Balise the developer may be running. */
  app = balise_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/ui/window/counter-follows-store", Fixture, NULL,
              fixture_set_up, test_counter_follows_store, fixture_tear_down);
  g_test_add ("/ui/window/sync-cancel", Fixture, NULL,
              fixture_set_up, test_sync_cancel, fixture_tear_down);
  g_test_add ("/ui/window/import-demo", Fixture, NULL,
              fixture_set_up, test_import_demo, fixture_tear_down);
  g_test_add ("/ui/window/download-area", Fixture, NULL,
              fixture_set_up, test_download_area, fixture_tear_down);
  g_test_add ("/ui/window/locate-without-service", Fixture, NULL,
              fixture_set_up, test_locate_without_service, fixture_tear_down);
  g_test_add ("/ui/window/offline-basemap", Fixture, NULL,
              fixture_set_up, test_offline_basemap, fixture_tear_down);
  g_test_add ("/ui/window/sync-to-server", Fixture, NULL,
              fixture_set_up, test_sync_to_server, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&real_mime_dirs, g_strfreev);

  return ret;
}
