/* test-tile-download.c: downloading an area of a tile server into MBTiles
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <libsoup/soup.h>
#include <string.h>

#include "balise-mbtiles.h"
#include "balise-test-utils.h"
#include "balise-tile-download.h"

/* Monaco, zooms 12 to 14: 1 + 4 + 4 tiles (see test_count). */
static const BaliseTileArea monaco = { 7.409, 43.725, 7.439, 43.752, 12, 14 };

typedef struct
{
  SoupServer *server;
  char       *url_template;
  guint       requests;
  guint       fail_status;   /* answer this to every request when not 0 */
  char       *missing;       /* a path answered with 404 */
} TileServer;

static const guint8 png_header[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

/* Every tile is "PNG" followed by its own path, so that a test can tell
 * which tile went where. */
static void
tile_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  TileServer *tiles = user_data;
  g_autoptr(GByteArray) body = g_byte_array_new ();

  tiles->requests++;
  if (tiles->fail_status != 0)
    {
      soup_server_message_set_status (msg, tiles->fail_status, NULL);
      return;
    }
  if (g_strcmp0 (path, tiles->missing) == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  g_byte_array_append (body, png_header, sizeof png_header);
  g_byte_array_append (body, (const guint8 *) path, strlen (path));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY, (const char *) body->data,
                                    body->len);
}

static void
tile_server_start (TileServer *tiles)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *base = NULL;

  memset (tiles, 0, sizeof *tiles);
  tiles->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (tiles->server, NULL, tile_cb, tiles, NULL);
  soup_server_listen_local (tiles->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (tiles->server);
  base = g_uri_to_string (uris->data);
  tiles->url_template = g_strconcat (base, "tiles/{z}/{x}/{y}.png", NULL);
}

static void
tile_server_stop (TileServer *tiles)
{
  soup_server_disconnect (tiles->server);
  g_clear_object (&tiles->server);
  g_clear_pointer (&tiles->url_template, g_free);
  g_clear_pointer (&tiles->missing, g_free);
}

typedef struct
{
  gboolean       done;
  gboolean       ok;
  guint64        stored;
  GError        *error;
  guint64        last_done;
  guint64        last_total;
  guint          n_reports;
  GCancellable  *cancel_on_report;
} Result;

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Result *result = user_data;

  g_assert_cmpuint (done, >=, result->last_done);
  result->last_done = done;
  result->last_total = total;
  result->n_reports++;
  if (result->cancel_on_report != NULL)
    g_cancellable_cancel (result->cancel_on_report);
}

static void
done_cb (GObject      *object,
         GAsyncResult *async_result,
         gpointer      user_data)
{
  Result *result = user_data;

  result->ok = balise_tile_download_finish (async_result, &result->stored, &result->error);
  result->done = TRUE;
}

static void
run_download (const char           *url_template,
              const BaliseTileArea *area,
              const char           *path,
              GCancellable         *cancellable,
              Result               *result)
{
  balise_tile_download_async (url_template, area, path, "© Test tiles", progress_cb, result, NULL,
                              cancellable, done_cb, result);
  while (!result->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_count (void)
{
  BaliseTileArea world = { -180, -85, 180, 85, 0, 2 };
  BaliseTileArea empty = { 7.5, 43, 7.4, 44, 10, 12 };

  /* 1 + 4 + 16 */
  g_assert_cmpuint (balise_tile_area_count_tiles (&world), ==, 21);
  /* Monaco: 1 tile at 12 (2132/1493), 2 × 2 at 13 (4264–4265/2986–2987),
   * 2 × 2 at 14 (8529–8530/5973–5974). */
  g_assert_cmpuint (balise_tile_area_count_tiles (&monaco), ==, 9);
  g_assert_cmpuint (balise_tile_area_count_tiles (&empty), ==, 0);
}

static void
test_check_url (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (balise_tile_download_check_url ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "tile.openstreetmap.org"));
  g_clear_error (&error);

  g_assert_false (balise_tile_download_check_url ("http://tiles.example.org/{z}/{x}/{y}.png", &error));
  g_assert_nonnull (strstr (error->message, "https://"));
  g_clear_error (&error);

  g_assert_false (balise_tile_download_check_url ("https://tiles.example.org/{x}/{y}.png", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (balise_tile_download_check_url ("https://tiles.example.org/{z}/{x}/{y}.png", &error));
  g_assert_no_error (error);
  g_assert_true (balise_tile_download_check_url ("http://127.0.0.1:8080/{z}/{x}/{y}.png", &error));
  g_assert_no_error (error);
}

/* Every tile of the area is stored at its TMS row, with the metadata; a
 * tile the server lacks is skipped; a second run fetches only what is
 * missing. */
static void
test_download (void)
{
  g_autofree char *path = balise_test_tmp_path ("area.mbtiles");
  g_autoptr(BaliseMbtiles) mbtiles = NULL;
  g_autoptr(GBytes) tile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  Result result = { 0 };
  TileServer tiles;
  int min_zoom, max_zoom;

  tile_server_start (&tiles);
  tiles.missing = g_strdup ("/tiles/14/8530/5974.png");

  run_download (tiles.url_template, &monaco, path, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpuint (tiles.requests, ==, 9);
  g_assert_cmpuint (result.stored, ==, 8);
  g_assert_cmpuint (result.last_done, ==, 9);
  g_assert_cmpuint (result.last_total, ==, 9);

  mbtiles = balise_mbtiles_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (balise_mbtiles_count_tiles (mbtiles), ==, 8);
  tile = balise_mbtiles_get_tile (mbtiles, 13, 4265, 2987, &error);
  g_assert_no_error (error);
  g_assert_cmpmem ((const char *) g_bytes_get_data (tile, NULL) + 8, g_bytes_get_size (tile) - 8,
                   "/tiles/13/4265/2987.png", strlen ("/tiles/13/4265/2987.png"));
  g_assert_null (balise_mbtiles_get_tile (mbtiles, 14, 8530, 5974, &error));
  g_assert_error (error, BALISE_MBTILES_ERROR, BALISE_MBTILES_ERROR_NOT_FOUND);
  g_clear_error (&error);

  value = balise_mbtiles_get_metadata (mbtiles, "format");
  g_assert_cmpstr (value, ==, "png");
  g_clear_pointer (&value, g_free);
  value = balise_mbtiles_get_metadata (mbtiles, "attribution");
  g_assert_cmpstr (value, ==, "© Test tiles");
  balise_mbtiles_get_zoom_range (mbtiles, &min_zoom, &max_zoom);
  g_assert_cmpint (min_zoom, ==, 12);
  g_assert_cmpint (max_zoom, ==, 14);
  g_clear_object (&mbtiles);

  /* Again: only the missing tile is asked for. */
  tiles.requests = 0;
  g_clear_pointer (&tiles.missing, g_free);
  result = (Result) { 0 };
  run_download (tiles.url_template, &monaco, path, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (tiles.requests, ==, 1);
  g_assert_cmpuint (result.stored, ==, 1);

  tile_server_stop (&tiles);
}

/* Cancelled after the first tile: the file keeps what came, and is valid. */
static void
test_cancel (void)
{
  g_autofree char *path = balise_test_tmp_path ("cancelled.mbtiles");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(BaliseMbtiles) mbtiles = NULL;
  g_autoptr(GError) error = NULL;
  Result result = { 0 };
  TileServer tiles;

  tile_server_start (&tiles);
  result.cancel_on_report = cancellable;
  run_download (tiles.url_template, &monaco, path, cancellable, &result);
  g_assert_false (result.ok);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&result.error);
  g_assert_cmpuint (result.stored, <, 9);
  g_assert_cmpuint (result.stored, >=, 1);

  mbtiles = balise_mbtiles_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (balise_mbtiles_count_tiles (mbtiles), ==, (gint64) result.stored);

  tile_server_stop (&tiles);
}

/* Server errors and refused servers stop with an error that says why. */
static void
test_errors (void)
{
  g_autofree char *path = balise_test_tmp_path ("errors.mbtiles");
  BaliseTileArea too_big = { 7.0, 43.0, 8.0, 44.0, 10, 16 };
  Result result = { 0 };
  TileServer tiles;

  tile_server_start (&tiles);
  tiles.fail_status = SOUP_STATUS_SERVICE_UNAVAILABLE;
  run_download (tiles.url_template, &monaco, path, NULL, &result);
  g_assert_false (result.ok);
  g_assert_nonnull (result.error);
  g_assert_nonnull (strstr (result.error->message, "503"));
  g_clear_error (&result.error);
  g_assert_cmpuint (tiles.requests, ==, 1);

  result = (Result) { 0 };
  run_download ("https://a.tile.openstreetmap.org/{z}/{x}/{y}.png", &monaco, path, NULL, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&result.error);

  result = (Result) { 0 };
  g_assert_cmpuint (balise_tile_area_count_tiles (&too_big), >, BALISE_TILE_DOWNLOAD_MAX_TILES);
  run_download (tiles.url_template, &too_big, path, NULL, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&result.error);
  g_assert_cmpuint (tiles.requests, ==, 1);

  tile_server_stop (&tiles);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tile-download/count", test_count);
  g_test_add_func ("/tile-download/check-url", test_check_url);
  g_test_add_func ("/tile-download/download", test_download);
  g_test_add_func ("/tile-download/cancel", test_cancel);
  g_test_add_func ("/tile-download/errors", test_errors);

  return g_test_run ();
}
