/* balise-cli-data.c: download and export
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "balise-cli.h"
#include "balise-download.h"
#include "balise-export.h"

/* "W,S,E,N" in degrees. */
static gboolean
parse_bbox (const char  *text,
            BaliseBox   *box,
            GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  double values[4];

  if (g_strv_length (parts) != 4)
    goto invalid;

  for (guint i = 0; i < 4; i++)
    {
      char *end = NULL;

      values[i] = g_ascii_strtod (g_strstrip (parts[i]), &end);
      if (end == parts[i] || *end != '\0')
        goto invalid;
    }

  box->west = values[0];
  box->south = values[1];
  box->east = values[2];
  box->north = values[3];
  if (box->west < box->east && box->south < box->north &&
      box->west >= -180 && box->east <= 180 && box->south >= -90 && box->north <= 90)
    return TRUE;

invalid:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--bbox “%s” is not WEST,SOUTH,EAST,NORTH in degrees", text);
  return FALSE;
}

typedef struct
{
  GMainLoop            *loop;
  BaliseDownloadReport *report;
  GError               *error;
} DownloadWait;

static void
download_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DownloadWait *wait = user_data;

  wait->report = balise_store_download_area_finish (BALISE_STORE (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
download_progress_cb (guint    done,
                      guint    total,
                      gpointer user_data)
{
  g_printerr ("\r%s %u/%u", _("Downloading:"), done, total);
  if (done == total)
    g_printerr ("\n");
}

static gboolean
cancel_on_signal_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

int
balise_cli_download (BaliseCli  *cli,
                     int         argc,
                     char      **argv,
                     GError    **error)
{
  g_autofree char *server = NULL;
  g_autofree char *bbox = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree BaliseDownloadReport *report = NULL;
  DownloadWait wait = { loop, NULL, NULL };
  BaliseBox box;
  guint sigint_id;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_("The server's base URL, e.g. https://api.openstreetmap.org/"), N_("URL") },
    { "bbox", 'b', 0, G_OPTION_ARG_STRING, &bbox,
      N_("The area: west,south,east,north in degrees"), N_("W,S,E,N") },
    { NULL }
  };

  if (!balise_cli_parse_options ("download", NULL,
                                 _("Download the elements of an area from an OpenStreetMap "
                                   "server into the database."),
                                 entries, &argc, &argv, error))
    return BALISE_CLI_EXIT_USAGE;

  if (server == NULL || bbox == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "--server and --bbox are required");
      return BALISE_CLI_EXIT_USAGE;
    }
  if (!parse_bbox (bbox, &box, error))
    return BALISE_CLI_EXIT_USAGE;

  sigint_id = g_unix_signal_add (SIGINT, cancel_on_signal_cb, cancellable);
  balise_store_download_area_async (cli->store, server, box.west, box.south, box.east, box.north,
                                    cancellable, download_progress_cb, download_done_cb, &wait);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  /* The progress lines queued before the answer. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  report = wait.report;
  if (report == NULL)
    {
      g_propagate_error (error, wait.error);
      return BALISE_CLI_EXIT_ERROR;
    }

  g_print (_("Downloaded %u nodes and %u ways in %u requests"),
           report->nodes, report->ways, report->requests);
  g_print ("\n");
  if (report->conflicts > 0)
    {
      g_print (_("%u waiting edits are now in conflict: their elements changed on the server"),
               report->conflicts);
      g_print ("\n");
    }
  return BALISE_CLI_EXIT_OK;
}

int
balise_cli_export (BaliseCli  *cli,
                   int         argc,
                   char      **argv,
                   GError    **error)
{
  g_autofree char *format_name = NULL;
  g_autofree char *bbox = NULL;
  g_autoptr(GBytes) bytes = NULL;
  BaliseExportFormat format;
  BaliseBox box;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("Output format: geojson, csv, osc or osm"), N_("FORMAT") },
    { "bbox", 'b', 0, G_OPTION_ARG_STRING, &bbox,
      N_("Only this area: west,south,east,north in degrees"), N_("W,S,E,N") },
    { NULL }
  };

  if (!balise_cli_parse_options ("export", "OUT",
                                 _("Write the features (geojson, csv), the waiting edits "
                                   "(osc) or the edited elements for JOSM (osm) to OUT "
                                   "(- for standard output)."),
                                 entries, &argc, &argv, error))
    return BALISE_CLI_EXIT_USAGE;

  if (argc != 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "give one output file");
      return BALISE_CLI_EXIT_USAGE;
    }
  if (!balise_export_format_from_string (format_name, &format))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "unknown format “%s” (known: geojson, csv, osc, osm)",
                   format_name ? format_name : "");
      return BALISE_CLI_EXIT_USAGE;
    }
  if (bbox != NULL && !parse_bbox (bbox, &box, error))
    return BALISE_CLI_EXIT_USAGE;

  bytes = balise_export (cli->store, format, bbox ? &box : NULL, error);
  if (bytes == NULL)
    return BALISE_CLI_EXIT_ERROR;

  if (g_str_equal (argv[1], "-"))
    {
      fwrite (g_bytes_get_data (bytes, NULL), 1, g_bytes_get_size (bytes), stdout);
      return BALISE_CLI_EXIT_OK;
    }

  if (!g_file_set_contents (argv[1], g_bytes_get_data (bytes, NULL),
                            (gssize) g_bytes_get_size (bytes), error))
    return BALISE_CLI_EXIT_ERROR;

  return BALISE_CLI_EXIT_OK;
}
