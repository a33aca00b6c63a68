/* balise-cli.c: the balise-cli tool
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "balise-cli.h"

typedef struct
{
  const char           *name;
  BaliseCliCommandFunc  func;
  const char           *summary;
  gboolean              no_store;   /* needs no --db */
} Command;

static const Command commands[] = {
  { "add",    balise_cli_add,    N_("Record a new feature, e.g. add bus-stop --lat LAT --lon LON") },
  { "queue",  balise_cli_queue,  N_("List the edits waiting to be uploaded") },
  { "sync",   balise_cli_sync,   N_("Upload the waiting edits to an OpenStreetMap server") },
  { "download", balise_cli_download, N_("Download an area from an OpenStreetMap server") },
  { "export", balise_cli_export, N_("Write the features or the waiting edits to a file") },
  { "import", balise_cli_import, N_("Import an OpenStreetMap extract (.osm or .osm.pbf)") },
  { "stats",  balise_cli_stats,  N_("Count the elements per category and the edits per status") },
  { "review", balise_cli_review, N_("Review the edits: list, approve, reject, issues ID…") },
  { "package", balise_cli_package, N_("Export or import a field package (*.balisepkg)") },
  { "login",  balise_cli_login,  N_("Sign in to an OpenStreetMap server through the browser"), TRUE },
  { "logout", balise_cli_logout, N_("Sign out of an OpenStreetMap server"), TRUE },
  { "whoami", balise_cli_whoami, N_("Tell who is signed in to an OpenStreetMap server"), TRUE },
  { "dashboard", balise_cli_dashboard, N_("The coordinator's numbers, as CSV") },
};

gboolean
balise_cli_parse_options (const char    *command,
                          const char    *parameters,
                          const char    *summary,
                          GOptionEntry  *entries,
                          int           *argc,
                          char        ***argv,
                          GError       **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *full = g_strdup_printf ("%s%s%s", command, parameters ? " " : "",
                                           parameters ? parameters : "");

  context = g_option_context_new (full);
  g_option_context_set_summary (context, summary);
  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return g_option_context_parse (context, argc, argv, error);
}

static char *
describe_commands (void)
{
  GString *text = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "\n  %-8s %s", commands[i].name, _(commands[i].summary));
  return g_string_free (text, FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *description = NULL;
  BaliseCli cli = { 0, };
  const Command *command = NULL;
  int status;
  GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path, N_("The Balise database"), N_("FILE") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  description = describe_commands ();
  context = g_option_context_new (_("COMMAND [OPTION…]"));
  g_option_context_set_summary (context, _("Record, list and upload Balise edits."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Options after the command name belong to the command. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("balise-cli: %s\n", error->message);
      return BALISE_CLI_EXIT_USAGE;
    }

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return BALISE_CLI_EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (commands[i].name, argv[1]))
        command = &commands[i];
    }

  if (command == NULL)
    {
      g_printerr ("balise-cli: unknown command “%s”\n%s\n", argv[1], description);
      return BALISE_CLI_EXIT_USAGE;
    }

  if (db_path == NULL && !command->no_store)
    {
      g_printerr ("balise-cli: which database? Give it with --db FILE\n");
      return BALISE_CLI_EXIT_USAGE;
    }

  cli.db_path = db_path;
  if (!command->no_store)
    {
      cli.store = balise_store_open (db_path, &error);
      if (cli.store == NULL)
        {
          g_printerr ("balise-cli: %s\n", error->message);
          return BALISE_CLI_EXIT_ERROR;
        }
    }

  status = command->func (&cli, argc - 1, argv + 1, &error);
  if (error != NULL)
    {
      g_printerr ("balise-cli %s: %s\n", command->name, error->message);
      if (status == BALISE_CLI_EXIT_OK)
        status = BALISE_CLI_EXIT_ERROR;
      if (error->domain == G_OPTION_ERROR)
        status = BALISE_CLI_EXIT_USAGE;
    }

  g_clear_object (&cli.store);
  return status;
}
