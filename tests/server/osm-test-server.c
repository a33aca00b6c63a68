/* osm-test-server.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * osm-test-server --port 0 [--db FILE] [--token TOKEN] [--max-elements N] [--max-nodes N]
 *
 * Prints its base URL and a newline on stdout, then serves until SIGTERM
 * or SIGINT.
 */

#define G_LOG_DOMAIN "osm-test-server"

#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

#include "balise-test-server.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(BaliseTestServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *token = NULL;
  int port = 0;
  int max_elements = 0;
  int max_nodes = 0;
  guint term_id, int_id;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: a free port)", "PORT" },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db, "SQLite database (default: a temporary one)", "FILE" },
    { "token", 't', 0, G_OPTION_ARG_STRING, &token, "The only Bearer token accepted (default: any)", "TOKEN" },
    { "max-elements", 0, 0, G_OPTION_ARG_INT, &max_elements, "Changeset maximum_elements (default 10000)", "N" },
    { "max-nodes", 0, 0, G_OPTION_ARG_INT, &max_nodes, "Node limit of map?bbox (default 50000)", "N" },
    { NULL }
  };

  context = g_option_context_new ("- an OpenStreetMap API 0.6 server for tests");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (port < 0 || port > 65535 || max_elements < 0 || max_nodes < 0)
    {
      g_printerr ("Invalid --port, --max-elements or --max-nodes\n");
      return EXIT_FAILURE;
    }

  server = balise_test_server_new (db, token);
  if (max_elements > 0)
    balise_test_server_set_max_elements (server, max_elements);
  if (max_nodes > 0)
    balise_test_server_set_max_nodes (server, max_nodes);

  if (!balise_test_server_start (server, port, &error))
    {
      g_printerr ("Cannot start the server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  term_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  int_id = g_unix_signal_add (SIGINT, quit_cb, loop);

  g_print ("%s\n", balise_test_server_get_url (server));
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (term_id);
  g_source_remove (int_id);
  balise_test_server_stop (server);

  return EXIT_SUCCESS;
}
