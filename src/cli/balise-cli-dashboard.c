/* balise-cli-dashboard.c: the coordinator's numbers as CSV
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-cli.h"

int
balise_cli_dashboard (BaliseCli  *cli,
                      int         argc,
                      char      **argv,
                      GError    **error)
{
  g_autoptr(BaliseDashboard) dashboard = NULL;
  g_autofree char *output = NULL;
  g_autofree char *csv = NULL;
  int recent_days = 90;
  GOptionEntry entries[] = {
    { "recent-days", 0, 0, G_OPTION_ARG_INT, &recent_days,
      N_("A stop confirmed within DAYS is recent (default 90)"), N_("DAYS") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the CSV to FILE instead of the standard output"), N_("FILE") },
    { NULL }
  };

  if (!balise_cli_parse_options ("dashboard", NULL,
                                 _("Print the edits per category, contributor, status and day, "
                                   "and the bus stops by how recently they were confirmed, "
                                   "as CSV."),
                                 entries, &argc, &argv, error))
    return BALISE_CLI_EXIT_USAGE;
  if (argc != 1 || recent_days < 0 || recent_days > 365)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--recent-days takes 0 to 365, and there are no other arguments");
      return BALISE_CLI_EXIT_USAGE;
    }

  dashboard = balise_store_get_dashboard (cli->store, NULL, (guint) recent_days, error);
  if (dashboard == NULL)
    return BALISE_CLI_EXIT_ERROR;
  csv = balise_dashboard_to_csv (dashboard);

  if (output != NULL)
    return g_file_set_contents (output, csv, -1, error) ? BALISE_CLI_EXIT_OK : BALISE_CLI_EXIT_ERROR;
  g_print ("%s", csv);
  return BALISE_CLI_EXIT_OK;
}
