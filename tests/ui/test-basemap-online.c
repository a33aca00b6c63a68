/* test-basemap-online.c: a route is not a map
 *
 * GNetworkMonitor says the network is there whenever the machine has a
 * route, also on a hotspot with no Internet behind it. The window must then
 * keep the local map, and show the online one only once its tile server
 * has answered. Everything here is served on loopback.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <libsoup/soup.h>

#include "balise-application.h"
#include "balise-core.h"
#include "balise-ui-test-utils.h"
#include "balise-window.h"

static BaliseApplication *app;
static char **real_mime_dirs;

typedef struct
{
  BaliseStore  *store;
  BaliseWindow *window;
} Fixture;

static void
open_window (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_content_type_set_mime_dirs ((const char * const *) real_mime_dirs);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  path = g_build_filename (g_get_user_data_dir (), "test.sqlite", NULL);
  fixture->store = balise_store_open (path, &error);
  g_assert_no_error (error);

  fixture->window = balise_window_new (app, fixture->store);
  g_object_ref_sink (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
close_window (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->store);
  g_unsetenv ("BALISE_TILE_PROBE_URL");
  g_unsetenv ("BALISE_ONLINE_TILE_URL");
  g_setenv ("BALISE_NO_TILES", "1", TRUE);
}

static gboolean
basemap_is_online (gpointer data)
{
  return g_strcmp0 (balise_window_get_basemap (data), "online") == 0;
}

static gboolean
tiles_asked (gpointer data)
{
  /* The probe's request, then the map's own. */
  return *(guint *) data >= 2;
}

static void
tile_cb (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  guint *requests = user_data;

  (*requests)++;
  soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
}

static gboolean
skip_without_route (void)
{
  if (g_network_monitor_get_network_available (g_network_monitor_get_default ()))
    return FALSE;
  g_test_skip ("This machine has no network route: the window never probes");
  return TRUE;
}

/* A route, but the tile server does not answer: the local map stays. */
static void
test_route_without_tiles (void)
{
  g_autoptr(GSocketService) silent = g_socket_service_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Fixture fixture = { NULL, NULL };
  guint16 port;

  if (skip_without_route ())
    return;

  /* Accepts the connection and never answers, like a captive network. */
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (silent), NULL, &error);
  g_assert_no_error (error);
  g_socket_service_start (silent);
  url = g_strdup_printf ("http://127.0.0.1:%u/0/0/0.png", port);
  g_unsetenv ("BALISE_NO_TILES");
  g_setenv ("BALISE_TILE_PROBE_URL", url, TRUE);
  g_setenv ("BALISE_ONLINE_TILE_URL", "http://127.0.0.1:9/#Z#/#X#/#Y#.png", TRUE);

  open_window (&fixture);
  g_assert_cmpstr (balise_window_get_basemap (fixture.window), ==, "local");
  /* Longer than the probe's timeout: still the local map. */
  g_assert_false (balise_ui_test_wait (basemap_is_online, fixture.window, 10));
  g_assert_cmpstr (balise_window_get_basemap (fixture.window), ==, "local");

  close_window (&fixture);
  g_socket_service_stop (silent);
}

/* The tile server answers: the window moves to the online map, which then
 * asks that server (and only it) for tiles. */
static void
test_tiles_answer (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *probe = NULL;
  g_autofree char *tiles = NULL;
  Fixture fixture = { NULL, NULL };
  GSList *uris;
  guint requests = 0;

  if (skip_without_route ())
    return;

  soup_server_add_handler (server, NULL, tile_cb, &requests, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  probe = g_strconcat (base, "0/0/0.png", NULL);
  tiles = g_strconcat (base, "#Z#/#X#/#Y#.png", NULL);
  g_unsetenv ("BALISE_NO_TILES");
  g_setenv ("BALISE_TILE_PROBE_URL", probe, TRUE);
  g_setenv ("BALISE_ONLINE_TILE_URL", tiles, TRUE);

  open_window (&fixture);
  g_assert_true (balise_ui_test_wait (basemap_is_online, fixture.window, 10));
  g_assert_true (balise_ui_test_wait (tiles_asked, &requests, 10));

  close_window (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  real_mime_dirs = g_strdupv ((char **) g_content_type_get_mime_dirs ());
  gtk_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  app = balise_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/basemap/route-without-tiles", test_route_without_tiles);
  g_test_add_func ("/ui/basemap/tiles-answer", test_tiles_answer);

  ret = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&real_mime_dirs, g_strfreev);
  return ret;
}
