/* balise-cli-import.c: import and stats
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <unistd.h>

#include "balise-cli.h"

static void
print_progress (guint64  nodes,
                guint64  ways,
                gpointer user_data)
{
  g_printerr ("\r");
  g_printerr (_("Read %" G_GUINT64_FORMAT " nodes, %" G_GUINT64_FORMAT " ways…"), nodes, ways);
}

int
balise_cli_import (BaliseCli  *cli,
                   int         argc,
                   char      **argv,
                   GError    **error)
{
  BaliseImportStats stats = { 0, };
  gboolean quiet = FALSE;
  gboolean tty;
  gint64 start;
  double seconds;
  GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print no progress"), NULL },
    { NULL }
  };

  if (!balise_cli_parse_options ("import", "EXTRACT",
                                 _("Import an OpenStreetMap extract (.osm or .osm.pbf)."),
                                 entries, &argc, &argv, error))
    return BALISE_CLI_EXIT_USAGE;

  if (argc != 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "give one extract to import");
      return BALISE_CLI_EXIT_USAGE;
    }

  tty = !quiet && isatty (STDERR_FILENO);
  start = g_get_monotonic_time ();
  if (!balise_store_import_file (cli->store, argv[1], tty ? print_progress : NULL, NULL,
                                 NULL, &stats, error))
    {
      if (tty)
        g_printerr ("\n");
      return BALISE_CLI_EXIT_ERROR;
    }
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  if (tty)
    g_printerr ("\n");

  g_print (_("Imported %s in %.2f s\n"), argv[1], seconds);
  g_print (_("  read:    %" G_GUINT64_FORMAT " nodes, %" G_GUINT64_FORMAT " ways, %"
             G_GUINT64_FORMAT " relations (relations are not imported)\n"),
           stats.nodes_read, stats.ways_read, stats.relations_read);
  g_print (_("  written: %" G_GUINT64_FORMAT " tagged nodes, %" G_GUINT64_FORMAT " ways\n"),
           stats.features, stats.ways_kept);
  if (stats.ways_skipped_missing_nodes > 0)
    g_print (_("  skipped: %" G_GUINT64_FORMAT " ways with nodes missing from the file\n"),
             stats.ways_skipped_missing_nodes);
  if (stats.edits_flagged > 0)
    g_print (_("  %" G_GUINT64_FORMAT " waiting edits now conflict with newer data\n"),
             stats.edits_flagged);
  return BALISE_CLI_EXIT_OK;
}

static void
add_counts_json (JsonBuilder *builder,
                 const char  *member,
                 GPtrArray   *counts)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  for (guint i = 0; i < counts->len; i++)
    {
      BaliseCount *count = g_ptr_array_index (counts, i);

      json_builder_set_member_name (builder, count->name);
      json_builder_add_int_value (builder, count->count);
    }
  json_builder_end_object (builder);
}

static void
print_counts (const char *title,
              GPtrArray  *counts)
{
  g_print ("%s\n", title);
  if (counts->len == 0)
    g_print ("  %s\n", _("(none)"));
  for (guint i = 0; i < counts->len; i++)
    {
      BaliseCount *count = g_ptr_array_index (counts, i);

      g_print ("  %-20s %10" G_GUINT64_FORMAT "\n", count->name, count->count);
    }
}

int
balise_cli_stats (BaliseCli  *cli,
                  int         argc,
                  char      **argv,
                  GError    **error)
{
  g_autoptr(GPtrArray) types = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!balise_cli_parse_options ("stats", NULL,
                                 _("Count the elements per category and the edits per status."),
                                 entries, &argc, &argv, error))
    return BALISE_CLI_EXIT_USAGE;

  if (argc != 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "stats takes no arguments");
      return BALISE_CLI_EXIT_USAGE;
    }

  types = balise_store_count_element_types (cli->store, error);
  if (types == NULL)
    return BALISE_CLI_EXIT_ERROR;
  categories = balise_store_count_categories (cli->store, error);
  if (categories == NULL)
    return BALISE_CLI_EXIT_ERROR;
  statuses = balise_store_count_edit_statuses (cli->store, error);
  if (statuses == NULL)
    return BALISE_CLI_EXIT_ERROR;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      add_counts_json (builder, "elements", types);
      add_counts_json (builder, "categories", categories);
      add_counts_json (builder, "edits", statuses);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
      return BALISE_CLI_EXIT_OK;
    }

  print_counts (_("Elements:"), types);
  print_counts (_("Categories:"), categories);
  print_counts (_("Edits:"), statuses);
  return BALISE_CLI_EXIT_OK;
}
