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

/* A way modify carries the way's whole node list. The upload reads it from
 * the server just before sending; the dry run sends nothing, so it takes
 * the list the store keeps (element.way_nodes). Returns the ids (gint64)
 * of the ways modified whose list the store does not have. */
static GArray *
fill_way_nodes (BaliseCli  *cli,
                GPtrArray  *edits,
                GError    **error)
{
  g_autoptr(GArray) incomplete = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);
      g_autoptr(GArray) nodes = NULL;
      g_autoptr(GError) local_error = NULL;
      GArray *ids;

      if (edit->kind != BALISE_EDIT_MODIFY || edit->osm_type != BALISE_OSM_WAY || edit->osm_id <= 0)
        continue;

      nodes = balise_store_get_way_nodes (cli->store, edit->osm_id, &local_error);
      if (nodes == NULL || nodes->len == 0)
        {
          if (local_error != NULL &&
              !g_error_matches (local_error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_array_append_val (incomplete, edit->osm_id);
          continue;
        }

      ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), nodes->len);
      for (guint j = 0; j < nodes->len; j++)
        g_array_append_val (ids, g_array_index (nodes, BaliseWayNode, j).id);
      g_clear_pointer (&edit->way_nodes, g_array_unref);
      edit->way_nodes = ids;
    }

  return g_steal_pointer (&incomplete);
}

/* Prints what a sync would send, and changes nothing. */
static int
dry_run (BaliseCli   *cli,
         const char  *comment,
         GError     **error)
{
  g_autoptr(GPtrArray) edits = balise_store_list_ready_edits (cli->store, error);
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GBytes) change = NULL;
  g_autoptr(GArray) incomplete = NULL;
  guint note_mask = BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_APPROVED) |
                    BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_FAILED);

  if (edits == NULL)
    return BALISE_CLI_EXIT_ERROR;
  if (!balise_store_get_review_before_upload (cli->store))
    note_mask |= BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_PENDING);
  notes = balise_store_list_notes (cli->store, note_mask, error);
  if (notes == NULL)
    return BALISE_CLI_EXIT_ERROR;
  incomplete = fill_way_nodes (cli, edits, error);
  if (incomplete == NULL)
    return BALISE_CLI_EXIT_ERROR;

  /* The document itself on stdout, for a pipe; the rest on stderr. */
  change = balise_osm_xml_write_change (edits, 0, "Balise " PACKAGE_VERSION);
  fwrite (g_bytes_get_data (change, NULL), 1, g_bytes_get_size (change), stdout);
  fflush (stdout);

  g_printerr (_("Comment: %s\n"), comment);
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u edit would be sent", "%u edits would be sent",
                           edits->len), edits->len);
  g_printerr ("\n");
  for (guint i = 0; i < notes->len; i++)
    {
      BaliseNote *note = g_ptr_array_index (notes, i);

      g_printerr (_("A note would be created at %.7f, %.7f: %s\n"), note->lat, note->lon,
                  note->text);
    }
  for (guint i = 0; i < incomplete->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (incomplete, gint64, i));

      g_printerr (_("Way %s is incomplete here: the database does not have its node list, so "
                    "its <way> has no <nd>; a real sync reads the list from the server.\n"), id);
    }
  g_printerr ("%s\n", _("Dry run: nothing was sent, nothing was changed."));
  return BALISE_CLI_EXIT_OK;
}

static char *
generated_comment (BaliseCli  *cli,
                   GError    **error)
{
  g_autoptr(GPtrArray) edits = balise_store_list_ready_edits (cli->store, error);

  if (edits == NULL)
    return NULL;
  if (edits->len == 0)
    return g_strdup ("Survey with Balise");
  return balise_store_summarize_edits (cli->store, edits);
}

int
balise_cli_sync (BaliseCli  *cli,
                 int         argc,
                 char      **argv,
                 GError    **error)
{
  g_autofree char *server = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *hashtags = NULL;
  g_autofree char *token = NULL;
  g_autoptr(BaliseSyncClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree BaliseSyncReport *report = NULL;
  g_autofree char *summary = NULL;
  SyncWait wait = { loop, NULL, NULL };
  gboolean dry = FALSE;
  gboolean credit = FALSE;
  const char *api_url;
  guint sigint_id;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_("openstreetmap, dev, or the server's base URL, e.g. https://api.openstreetmap.org/"),
      N_("SERVER") },
    { "comment", 'm', 0, G_OPTION_ARG_STRING, &comment,
      N_("The changeset comment (a summary of the edits when absent)"), N_("TEXT") },
    { "hashtags", 0, 0, G_OPTION_ARG_STRING, &hashtags,
      N_("Hashtags to end the comment with and send as the hashtags tag, e.g. “#balise #survey”"),
      N_("TAGS") },
    { "credit", 0, 0, G_OPTION_ARG_NONE, &credit,
      N_("Name the contributors of the edits in each changeset (balise:contributors)"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry,
      N_("Print the osmChange that would be sent, and change nothing"), NULL },
    { NULL }
  };

  if (!balise_cli_parse_options ("sync", NULL,
                                 _("Upload the ready edits (approved ones, or pending ones too when "
                                   "review before upload is off) and notes. The access token is "
                                   "the one kept by “login”, or BALISE_TOKEN for one run."),
                                 entries, &argc, &argv, error))
    return BALISE_CLI_EXIT_USAGE;

  if (comment == NULL || *comment == '\0')
    {
      g_free (comment);
      comment = generated_comment (cli, error);
      if (comment == NULL)
        return BALISE_CLI_EXIT_ERROR;
      if (!dry)
        g_print (_("No --comment given; using: %s\n"), comment);
    }

  if (dry)
    return dry_run (cli, comment, error);

  if (server == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "--server is required");
      return BALISE_CLI_EXIT_USAGE;
    }

  api_url = balise_server_api_url (server);
  token = balise_cli_get_token (api_url);
  client = balise_sync_client_new (api_url, token);
  if (!balise_sync_client_set_hashtags (client, hashtags, error))
    return BALISE_CLI_EXIT_USAGE;
  balise_sync_client_set_credit_contributors (client, credit);
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
