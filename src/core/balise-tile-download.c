/* balise-tile-download.c: an area of a tile server, kept in an MBTiles file
 *
 * For the basemap a volunteer takes into the field with no network. Only
 * from a server whose terms allow it (the URL template is a setting):
 * OpenStreetMap's tile policy forbids bulk downloads from its servers, so
 * those are refused. Tiles are fetched one after the other, in a worker
 * thread with its own SoupSession, and stored as they come: a cancelled
 * download keeps what it has, and running it again completes it.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-tile-download"

#include "config.h"

#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "balise-mbtiles.h"
#include "balise-sync-client.h"
#include "balise-tile-download.h"

#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 5)

typedef struct
{
  char                        *url_template;
  BaliseTileArea               area;
  char                        *path;
  char                        *attribution;
  BaliseTileDownloadProgress   progress;
  gpointer                     progress_data;
  GDestroyNotify               progress_data_free;
  GMainContext                *context;
  guint64                      total;
  guint64                      stored;
} Download;

typedef struct
{
  GTask    *task;          /* keeps the download alive until the report ran */
  guint64   done;
} Progress;

static void
download_free (gpointer data)
{
  Download *download = data;

  if (download->progress_data_free != NULL)
    download->progress_data_free (download->progress_data);
  g_clear_pointer (&download->context, g_main_context_unref);
  g_free (download->url_template);
  g_free (download->path);
  g_free (download->attribution);
  g_free (download);
}

static void
tile_range (const BaliseTileArea *area,
            int                   zoom,
            int                  *x0,
            int                  *y0,
            int                  *x1,
            int                  *y1)
{
  double n = ldexp (1.0, zoom);
  double north = CLAMP (area->north, -85.0511, 85.0511) * G_PI / 180;
  double south = CLAMP (area->south, -85.0511, 85.0511) * G_PI / 180;

  *x0 = CLAMP ((int) floor ((area->west + 180) / 360 * n), 0, (int) n - 1);
  *x1 = CLAMP ((int) floor ((area->east + 180) / 360 * n), 0, (int) n - 1);
  *y0 = CLAMP ((int) floor ((1 - asinh (tan (north)) / G_PI) / 2 * n), 0, (int) n - 1);
  *y1 = CLAMP ((int) floor ((1 - asinh (tan (south)) / G_PI) / 2 * n), 0, (int) n - 1);
}

guint64
balise_tile_area_count_tiles (const BaliseTileArea *area)
{
  guint64 count = 0;

  g_return_val_if_fail (area != NULL, 0);

  if (area->west >= area->east || area->south >= area->north || area->min_zoom < 0 ||
      area->max_zoom > 22 || area->min_zoom > area->max_zoom)
    return 0;

  for (int zoom = area->min_zoom; zoom <= area->max_zoom; zoom++)
    {
      int x0, y0, x1, y1;

      tile_range (area, zoom, &x0, &y0, &x1, &y1);
      count += (guint64) (x1 - x0 + 1) * (guint64) (y1 - y0 + 1);
    }

  return count;
}

static char *
tile_url (const char *url_template,
          int         zoom,
          int         x,
          int         y)
{
  g_autoptr(GString) url = g_string_new (url_template);
  char number[16];

  g_snprintf (number, sizeof number, "%d", zoom);
  g_string_replace (url, "{z}", number, 0);
  g_snprintf (number, sizeof number, "%d", x);
  g_string_replace (url, "{x}", number, 0);
  g_snprintf (number, sizeof number, "%d", y);
  g_string_replace (url, "{y}", number, 0);

  return g_string_free (g_steal_pointer (&url), FALSE);
}

gboolean
balise_tile_download_check_url (const char  *url_template,
                                GError     **error)
{
  g_autofree char *sample = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *host;

  g_return_val_if_fail (url_template != NULL, FALSE);

  if (strstr (url_template, "{z}") == NULL || strstr (url_template, "{x}") == NULL ||
      strstr (url_template, "{y}") == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The tile address “%s” needs {z}, {x} and {y} in it", url_template);
      return FALSE;
    }

  sample = tile_url (url_template, 0, 0, 0);
  if (!balise_sync_check_server_url (sample, error))
    return FALSE;

  uri = g_uri_parse (sample, G_URI_FLAGS_NONE, NULL);
  host = g_uri_get_host (uri);
  if (g_str_equal (host, "openstreetmap.org") || g_str_has_suffix (host, ".openstreetmap.org") ||
      g_str_equal (host, "openstreetmap.fr") || g_str_has_suffix (host, ".openstreetmap.fr"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "%s does not allow downloading areas of its map "
                   "(https://operations.osmfoundation.org/policies/tiles/); "
                   "choose a tile server whose terms allow it", host);
      return FALSE;
    }

  return TRUE;
}

static gboolean
report_progress_cb (gpointer data)
{
  Progress *progress = data;
  Download *download = g_task_get_task_data (progress->task);

  download->progress (progress->done, download->total, download->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  g_object_unref (progress->task);
  g_free (progress);
}

static void
report_progress (GTask    *task,
                 Download *download,
                 guint64   done)
{
  Progress *progress;

  if (download->progress == NULL)
    return;

  progress = g_new (Progress, 1);
  progress->task = g_object_ref (task);
  progress->done = done;
  g_main_context_invoke_full (download->context, G_PRIORITY_DEFAULT, report_progress_cb,
                              progress, progress_free);
}

static const char *
format_of (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "jpg";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "webp";
  return NULL;
}

static gboolean
write_metadata (Download       *download,
                BaliseMbtiles  *mbtiles,
                const char     *format,
                GError        **error)
{
  char v[4][G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *bounds = NULL;
  g_autofree char *min_zoom = g_strdup_printf ("%d", download->area.min_zoom);
  g_autofree char *max_zoom = g_strdup_printf ("%d", download->area.max_zoom);
  double b[4] = { download->area.west, download->area.south, download->area.east, download->area.north };

  for (int i = 0; i < 4; i++)
    g_ascii_formatd (v[i], sizeof v[i], "%.6f", b[i]);
  bounds = g_strjoin (",", v[0], v[1], v[2], v[3], NULL);

  return balise_mbtiles_set_metadata (mbtiles, "name", "Downloaded area", error) &&
         balise_mbtiles_set_metadata (mbtiles, "type", "baselayer", error) &&
         balise_mbtiles_set_metadata (mbtiles, "version", "1", error) &&
         balise_mbtiles_set_metadata (mbtiles, "format", format, error) &&
         balise_mbtiles_set_metadata (mbtiles, "bounds", bounds, error) &&
         balise_mbtiles_set_metadata (mbtiles, "minzoom", min_zoom, error) &&
         balise_mbtiles_set_metadata (mbtiles, "maxzoom", max_zoom, error) &&
         balise_mbtiles_set_metadata (mbtiles, "attribution", download->attribution, error) &&
         balise_mbtiles_set_metadata (mbtiles, "source", download->url_template, error);
}

static gboolean
fetch_tile (Download       *download,
            SoupSession    *session,
            BaliseMbtiles  *mbtiles,
            int             zoom,
            int             x,
            int             y,
            char          **format,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autofree char *url = tile_url (download->url_template, zoom, x, y);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  const char *found;
  guint status;

  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not a valid tile address: %s", url);
      return FALSE;
    }

  body = soup_session_send_and_read (session, message, cancellable, error);
  if (body == NULL)
    return FALSE;

  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_NO_CONTENT)
    return TRUE;
  if (status != SOUP_STATUS_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The tile server answered %u %s for %s",
                   status, soup_message_get_reason_phrase (message), url);
      return FALSE;
    }

  found = format_of (body);
  if (found == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not a PNG, JPEG or WebP image: not a raster tile server", url);
      return FALSE;
    }
  if (*format == NULL)
    *format = g_strdup (found);

  if (!balise_mbtiles_put_tile (mbtiles, zoom, x, y, body, error))
    return FALSE;

  download->stored++;
  return TRUE;
}

static void
download_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Download *download = task_data;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(BaliseMbtiles) mbtiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format = NULL;
  gint64 last_report = 0;
  guint64 done = 0;

  mbtiles = balise_mbtiles_create (download->path, &error);
  if (mbtiles == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  session = soup_session_new_with_options ("user-agent", "Balise/" PACKAGE_VERSION, "timeout", 60, NULL);
  format = balise_mbtiles_get_metadata (mbtiles, "format");

  for (int zoom = download->area.min_zoom; zoom <= download->area.max_zoom; zoom++)
    {
      int x0, y0, x1, y1;

      tile_range (&download->area, zoom, &x0, &y0, &x1, &y1);
      for (int x = x0; x <= x1; x++)
        for (int y = y0; y <= y1; y++)
          {
            g_autoptr(GBytes) stored = NULL;

            if (g_task_return_error_if_cancelled (task))
              return;

            stored = balise_mbtiles_get_tile (mbtiles, zoom, x, y, NULL);
            if (stored == NULL &&
                !fetch_tile (download, session, mbtiles, zoom, x, y, &format, cancellable, &error))
              {
                g_task_return_error (task, g_steal_pointer (&error));
                return;
              }

            done++;
            if (g_get_monotonic_time () - last_report >= PROGRESS_INTERVAL_US || done == download->total)
              {
                last_report = g_get_monotonic_time ();
                report_progress (task, download, done);
              }
          }
    }

  if (!write_metadata (download, mbtiles, format != NULL ? format : "png", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
balise_tile_download_async (const char                 *url_template,
                            const BaliseTileArea       *area,
                            const char                 *path,
                            const char                 *attribution,
                            BaliseTileDownloadProgress  progress,
                            gpointer                    progress_data,
                            GDestroyNotify              progress_data_free,
                            GCancellable               *cancellable,
                            GAsyncReadyCallback         callback,
                            gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Download *download;

  g_return_if_fail (url_template != NULL);
  g_return_if_fail (area != NULL);
  g_return_if_fail (path != NULL);

  download = g_new0 (Download, 1);
  download->url_template = g_strdup (url_template);
  download->area = *area;
  download->path = g_strdup (path);
  download->attribution = g_strdup (attribution != NULL && attribution[0] != '\0'
                                    ? attribution : url_template);
  download->progress = progress;
  download->progress_data = progress_data;
  download->progress_data_free = progress_data_free;
  download->context = g_main_context_ref_thread_default ();
  download->total = balise_tile_area_count_tiles (area);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_tile_download_async);
  g_task_set_task_data (task, download, download_free);

  if (!balise_tile_download_check_url (url_template, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (download->total == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "The area to download is empty");
      return;
    }

  if (download->total > BALISE_TILE_DOWNLOAD_MAX_TILES)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               "The area holds %" G_GUINT64_FORMAT " tiles, more than the %d "
                               "allowed at once: choose a smaller area or fewer zoom levels",
                               download->total, BALISE_TILE_DOWNLOAD_MAX_TILES);
      return;
    }

  g_task_run_in_thread (task, download_thread);
}

gboolean
balise_tile_download_finish (GAsyncResult  *result,
                             guint64       *n_stored,
                             GError       **error)
{
  Download *download;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  download = g_task_get_task_data (G_TASK (result));
  if (n_stored != NULL)
    *n_stored = download->stored;

  return g_task_propagate_boolean (G_TASK (result), error);
}
