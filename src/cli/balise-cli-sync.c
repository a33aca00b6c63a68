/* balise-cli-sync.c: sync
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

typedef struct
{
  GMainLoop        *loop;
  BaliseSyncReport *report;
  GError           *error;
} SyncWait;

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncWait *wait = user_data;

  wait->report = balise_sync_client_sync_finish (BALISE_SYNC_CLIENT (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static gboolean
cancel_on_signal_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

int
balise_cli_sync (BaliseCli  *cli,
                 int         argc,
                 char      **argv,
                 GError    **error)
{
  g_autofree char *server = NULL;
  g_autofree char *comment = NULL;
  g_autoptr(BaliseSyncClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree BaliseSyncReport *report = NULL;
  g_autofree char *summary = NULL;
  SyncWait wait = { loop, NULL, NULL };
  guint sigint_id;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_("The server's base URL, e.g. https://api.openstreetmap.org/"), N_("URL") },
    { "comment", 'm', 0, G_OPTION_ARG_STRING, &comment, N_("The changeset comment"), N_("TEXT") },
    { NULL }
  };

  if (!balise_cli_parse_options ("sync", NULL,
                                 _("Upload the waiting edits. The access token is read from "
                                   "the BALISE_TOKEN environment variable."),
                                 entries, &argc, &argv, error))
    return BALISE_CLI_EXIT_USAGE;

  if (server == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "--server is required");
      return BALISE_CLI_EXIT_USAGE;
    }

  client = balise_sync_client_new (server, g_getenv ("BALISE_TOKEN"));
  sigint_id = g_unix_signal_add (SIGINT, cancel_on_signal_cb, cancellable);

  balise_sync_client_sync_async (client, cli->store, comment, cancellable, sync_done_cb, &wait);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);

  report = wait.report;
  if (report == NULL)
    {
      g_propagate_error (error, wait.error);
      return BALISE_CLI_EXIT_ERROR;
    }

  summary = balise_sync_report_describe (report);
  g_print ("%s\n", summary);
  if (report->last_changeset_id > 0)
    g_print ("%s %" G_GINT64_FORMAT "\n", _("Last changeset:"), report->last_changeset_id);
  return BALISE_CLI_EXIT_OK;
}
