/* main.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise"

#include "config.h"

#include <locale.h>

#include "balise-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BaliseApplication) app = NULL;

  setlocale (LC_ALL, "");

  app = balise_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
