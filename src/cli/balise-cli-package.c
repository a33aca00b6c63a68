/* balise-cli-package.c: package export|import
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-cli.h"

static int
package_export (BaliseCli   *cli,
                const char  *contributor,
                const char  *out,
                GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (out);
  BalisePackageReport report;

  if (contributor == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "whose work? Give it with --contributor NAME");
      return BALISE_CLI_EXIT_USAGE;
    }
  if (!g_str_has_suffix (out, BALISE_PACKAGE_EXTENSION))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: a field package is named *%s", out, BALISE_PACKAGE_EXTENSION);
      return BALISE_CLI_EXIT_USAGE;
    }
  if (!balise_store_export_package (cli->store, contributor, file, &report, NULL, error))
    return BALISE_CLI_EXIT_ERROR;

  g_print (_("Wrote %u edits, %u notes and %u photos of %s to %s\n"),
           report.edits, report.notes, report.photos, contributor, out);
  return BALISE_CLI_EXIT_OK;
}

static int
package_import (BaliseCli   *cli,
                const char  *in,
                GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (in);
  BalisePackageReport report;

  if (!balise_store_import_package (cli->store, file, &report, NULL, error))
    return BALISE_CLI_EXIT_ERROR;

  g_print (_("Imported %u edits, %u notes and %u photos; %u edits and %u notes were already "
             "here\n"),
           report.edits, report.notes, report.photos, report.skipped_edits, report.skipped_notes);
  if (report.conflicts > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u edit changes an element that had an unsent edit here: it is in "
                          "conflict, see “review list”\n",
                          "%u edits change elements that had unsent edits here: they are in "
                          "conflict, see “review list”\n",
                          report.conflicts),
             report.conflicts);
  return BALISE_CLI_EXIT_OK;
}

int
balise_cli_package (BaliseCli  *cli,
                    int         argc,
                    char      **argv,
                    GError    **error)
{
  g_autofree char *contributor = NULL;
  GOptionEntry entries[] = {
    { "contributor", 'c', 0, G_OPTION_ARG_STRING, &contributor,
      N_("export: whose edits, notes and photos"), N_("NAME") },
    { NULL }
  };

  if (!balise_cli_parse_options ("package", "export --contributor NAME OUT|import FILE",
                                 _("Carry a volunteer’s work between machines in a field package "
                                   "(*.balisepkg)."),
                                 entries, &argc, &argv, error))
    return BALISE_CLI_EXIT_USAGE;

  if (argc == 3 && g_str_equal (argv[1], "export"))
    return package_export (cli, contributor, argv[2], error);
  if (argc == 3 && g_str_equal (argv[1], "import"))
    return package_import (cli, argv[2], error);

  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       "expected export --contributor NAME OUT, or import FILE");
  return BALISE_CLI_EXIT_USAGE;
}
