/* balise-cli.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core.h"

G_BEGIN_DECLS

/* Exit statuses of balise-cli. */
#define BALISE_CLI_EXIT_OK    0
#define BALISE_CLI_EXIT_ERROR 1
#define BALISE_CLI_EXIT_USAGE 2

typedef struct
{
  const char  *db_path;
  BaliseStore *store;
} BaliseCli;

/* A command gets its own arguments, argv[0] being its name. It returns an
 * exit status; an error it sets is printed by the caller. */
typedef int (*BaliseCliCommandFunc) (BaliseCli  *cli,
                                     int         argc,
                                     char      **argv,
                                     GError    **error);

int  balise_cli_add     (BaliseCli *cli, int argc, char **argv, GError **error);
int  balise_cli_queue   (BaliseCli *cli, int argc, char **argv, GError **error);
int  balise_cli_sync    (BaliseCli *cli, int argc, char **argv, GError **error);
int  balise_cli_download (BaliseCli *cli, int argc, char **argv, GError **error);
int  balise_cli_export  (BaliseCli *cli, int argc, char **argv, GError **error);
int  balise_cli_import  (BaliseCli *cli, int argc, char **argv, GError **error);
int  balise_cli_stats   (BaliseCli *cli, int argc, char **argv, GError **error);
int  balise_cli_review  (BaliseCli *cli, int argc, char **argv, GError **error);
int  balise_cli_package (BaliseCli *cli, int argc, char **argv, GError **error);
int  balise_cli_login   (BaliseCli *cli, int argc, char **argv, GError **error);
int  balise_cli_logout  (BaliseCli *cli, int argc, char **argv, GError **error);
int  balise_cli_whoami  (BaliseCli *cli, int argc, char **argv, GError **error);

/* The access token for @api_url: BALISE_TOKEN for one run, else the
 * keyring's; NULL when signed out (a keyring error is printed). */
char *balise_cli_get_token (const char *api_url);
int  balise_cli_dashboard (BaliseCli *cli, int argc, char **argv, GError **error);

/* Parses a command's options; on failure sets a usage error. */
gboolean balise_cli_parse_options (const char    *command,
                                   const char    *parameters,
                                   const char    *summary,
                                   GOptionEntry  *entries,
                                   int           *argc,
                                   char        ***argv,
                                   GError       **error);

G_END_DECLS
