/* balise-cli-auth.c: login, logout, whoami
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
  GMainLoop *loop;
  char      *text;
  GError    *error;
} Wait;

static gboolean
cancel_on_signal_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static void
login_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *wait = user_data;

  wait->text = balise_oauth_login_wait_finish (BALISE_OAUTH_LOGIN (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
user_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->text = balise_sync_client_get_user_finish (BALISE_SYNC_CLIENT (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

/* Who @token belongs to on @api_url, or NULL with @error set. */
static char *
ask_user (const char  *api_url,
          const char  *token,
          GError     **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(BaliseSyncClient) client = balise_sync_client_new (api_url, token);
  Wait wait = { loop, NULL, NULL };

  balise_sync_client_get_user_async (client, NULL, user_done_cb, &wait);
  g_main_loop_run (loop);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.text;
}

char *
balise_cli_get_token (const char *api_url)
{
  g_autoptr(GError) error = NULL;
  const char *from_env = g_getenv ("BALISE_TOKEN");
  char *token;

  if (from_env != NULL && *from_env != '\0')
    return g_strdup (from_env);

  token = balise_token_store_lookup (api_url, NULL, &error);
  if (error != NULL)
    g_printerr ("balise-cli: %s\n", error->message);
  return token;
}

static gboolean
parse_server (const char  *command,
              const char  *summary,
              GOptionEntry *extra,
              int         *argc,
              char      ***argv,
              char       **server,
              GError     **error)
{
  if (!balise_cli_parse_options (command, NULL, summary, extra, argc, argv, error))
    return FALSE;

  if (*server == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "--server is required: openstreetmap, dev, or a URL");
      return FALSE;
    }
  return TRUE;
}

int
balise_cli_login (BaliseCli  *cli,
                  int         argc,
                  char      **argv,
                  GError    **error)
{
  g_autofree char *server = NULL;
  g_autofree char *auth_url = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *name = NULL;
  g_autoptr(BaliseOAuthLogin) login = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL, NULL };
  const char *api_url;
  guint sigint_id;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_("openstreetmap, dev, or the server's base URL"), N_("SERVER") },
    { "auth-url", 0, 0, G_OPTION_ARG_STRING, &auth_url,
      N_("Where to sign in, when it is not the server itself"), N_("URL") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
      N_("The OAuth 2 client id of Balise on that server (or BALISE_OAUTH_CLIENT_ID)"), N_("ID") },
    { NULL }
  };

  if (!parse_server ("login", _("Sign in through the browser; the access token is kept in the "
                                "keyring, never in a file."),
                     entries, &argc, &argv, &server, error))
    return BALISE_CLI_EXIT_USAGE;

  api_url = balise_server_api_url (server);
  if (client_id == NULL)
    client_id = g_strdup (g_getenv ("BALISE_OAUTH_CLIENT_ID"));

  login = balise_oauth_login_new (auth_url ? auth_url : balise_server_auth_url (api_url),
                                  client_id, error);
  if (login == NULL)
    return BALISE_CLI_EXIT_ERROR;

  g_print ("%s\n%s\n", _("Open this page in a browser to sign in:"),
           balise_oauth_login_get_authorize_url (login));
  fflush (stdout);

  sigint_id = g_unix_signal_add (SIGINT, cancel_on_signal_cb, cancellable);
  balise_oauth_login_wait_async (login, cancellable, login_done_cb, &wait);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);

  token = g_steal_pointer (&wait.text);
  if (token == NULL)
    {
      g_propagate_error (error, wait.error);
      return BALISE_CLI_EXIT_ERROR;
    }

  if (!balise_token_store_save (api_url, token, NULL, error))
    return BALISE_CLI_EXIT_ERROR;

  name = ask_user (api_url, token, error);
  if (name == NULL)
    return BALISE_CLI_EXIT_ERROR;

  g_print (_("Signed in to %s as %s\n"), api_url, name);
  return BALISE_CLI_EXIT_OK;
}

int
balise_cli_logout (BaliseCli  *cli,
                   int         argc,
                   char      **argv,
                   GError    **error)
{
  g_autofree char *server = NULL;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_("openstreetmap, dev, or the server's base URL"), N_("SERVER") },
    { NULL }
  };

  if (!parse_server ("logout", _("Sign out: the access token is removed from the keyring."),
                     entries, &argc, &argv, &server, error))
    return BALISE_CLI_EXIT_USAGE;

  if (!balise_token_store_clear (balise_server_api_url (server), NULL, error))
    return BALISE_CLI_EXIT_ERROR;

  g_print (_("Signed out of %s\n"), balise_server_api_url (server));
  return BALISE_CLI_EXIT_OK;
}

int
balise_cli_whoami (BaliseCli  *cli,
                   int         argc,
                   char      **argv,
                   GError    **error)
{
  g_autofree char *server = NULL;
  g_autofree char *token = NULL;
  g_autofree char *name = NULL;
  const char *api_url;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_("openstreetmap, dev, or the server's base URL"), N_("SERVER") },
    { NULL }
  };

  if (!parse_server ("whoami", _("Tell who is signed in, as the server knows them."),
                     entries, &argc, &argv, &server, error))
    return BALISE_CLI_EXIT_USAGE;

  api_url = balise_server_api_url (server);
  token = balise_cli_get_token (api_url);
  if (token == NULL)
    {
      g_print (_("Nobody is signed in to %s\n"), api_url);
      return BALISE_CLI_EXIT_ERROR;
    }

  name = ask_user (api_url, token, error);
  if (name == NULL)
    return BALISE_CLI_EXIT_ERROR;

  g_print (_("Signed in to %s as %s\n"), api_url, name);
  return BALISE_CLI_EXIT_OK;
}
