/* balise-cli-edits.c: add and queue
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "balise-cli.h"

typedef struct
{
  const char *name;
  const char *tags[4][2];
} Kind;

/* The kinds the command line knows; the full preset catalogue lives in data/presets. */
static const Kind kinds[] = {
  { "bus-stop", { { "highway", "bus_stop" }, { "public_transport", "platform" }, { "bus", "yes" } } },
};

static gboolean
parse_coordinate (const char  *text,
                  const char  *what,
                  double       limit,
                  double      *value,
                  GError     **error)
{
  char *end = NULL;

  if (text == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "--%s is required", what);
      return FALSE;
    }

  *value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(*value >= -limit && *value <= limit))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--%s %s: not a number between %g and %g", what, text, -limit, limit);
      return FALSE;
    }
  return TRUE;
}

int
balise_cli_add (BaliseCli  *cli,
                int         argc,
                char      **argv,
                GError    **error)
{
  g_autofree char *lat_text = NULL;
  g_autofree char *lon_text = NULL;
  g_autofree char *contributor = NULL;
  g_auto(GStrv) extra_tags = NULL;
  g_autoptr(BaliseEdit) edit = NULL;
  const Kind *kind = NULL;
  GOptionEntry entries[] = {
    { "lat", 0, 0, G_OPTION_ARG_STRING, &lat_text, N_("Latitude (WGS 84)"), N_("LAT") },
    { "lon", 0, 0, G_OPTION_ARG_STRING, &lon_text, N_("Longitude (WGS 84)"), N_("LON") },
    { "tag", 't', 0, G_OPTION_ARG_STRING_ARRAY, &extra_tags, N_("Add a tag"), N_("KEY=VALUE") },
    { "contributor", 'c', 0, G_OPTION_ARG_STRING, &contributor, N_("Who recorded it"), N_("NAME") },
    { NULL }
  };

  if (!balise_cli_parse_options ("add", "KIND", _("Record a new feature. Kinds: bus-stop."),
                                 entries, &argc, &argv, error))
    return BALISE_CLI_EXIT_USAGE;

  if (argc != 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "give one kind of feature, e.g. bus-stop");
      return BALISE_CLI_EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_str_equal (kinds[i].name, argv[1]))
        kind = &kinds[i];
    }
  if (kind == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "unknown kind “%s” (known: bus-stop)", argv[1]);
      return BALISE_CLI_EXIT_USAGE;
    }

  edit = balise_edit_new (BALISE_EDIT_CREATE);
  if (!parse_coordinate (lat_text, "lat", 90.0, &edit->lat, error) ||
      !parse_coordinate (lon_text, "lon", 180.0, &edit->lon, error))
    return BALISE_CLI_EXIT_USAGE;

  edit->new_tags = balise_tags_new ();
  for (guint i = 0; i < G_N_ELEMENTS (kind->tags) && kind->tags[i][0] != NULL; i++)
    balise_tags_set (edit->new_tags, kind->tags[i][0], kind->tags[i][1]);

  for (guint i = 0; extra_tags != NULL && extra_tags[i] != NULL; i++)
    {
      const char *equals = strchr (extra_tags[i], '=');
      g_autofree char *key = NULL;

      if (equals == NULL || equals == extra_tags[i])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--tag %s: expected KEY=VALUE", extra_tags[i]);
          return BALISE_CLI_EXIT_USAGE;
        }
      key = g_strndup (extra_tags[i], equals - extra_tags[i]);
      balise_tags_set (edit->new_tags, key, equals + 1);
    }

  edit->contributor = g_steal_pointer (&contributor);

  if (!balise_store_add_edit (cli->store, edit, error))
    return BALISE_CLI_EXIT_ERROR;

  g_print ("%s\n", edit->uuid);
  return BALISE_CLI_EXIT_OK;
}

static char *
format_tags (BaliseTags *tags)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; tags != NULL && i < balise_tags_get_size (tags); i++)
    g_string_append_printf (text, "%s%s=%s", i ? " " : "",
                            balise_tags_get_key (tags, i), balise_tags_get_value (tags, i));
  return g_string_free (text, FALSE);
}

static void
add_edit_json (JsonBuilder *builder,
               BaliseEdit  *edit)
{
  g_autofree char *created_at = g_date_time_format_iso8601 (edit->created_at);
  BaliseTags *tags = edit->new_tags;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "uuid");
  json_builder_add_string_value (builder, edit->uuid);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, balise_edit_kind_to_string (edit->kind));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, balise_edit_status_to_string (edit->status));
  json_builder_set_member_name (builder, "osm_type");
  json_builder_add_string_value (builder, balise_osm_type_to_string (edit->osm_type));
  json_builder_set_member_name (builder, "osm_id");
  json_builder_add_int_value (builder, edit->osm_id);
  json_builder_set_member_name (builder, "base_version");
  json_builder_add_int_value (builder, edit->base_version);
  json_builder_set_member_name (builder, "lat");
  json_builder_add_double_value (builder, edit->lat);
  json_builder_set_member_name (builder, "lon");
  json_builder_add_double_value (builder, edit->lon);
  json_builder_set_member_name (builder, "contributor");
  if (edit->contributor)
    json_builder_add_string_value (builder, edit->contributor);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created_at);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_object (builder);
  for (guint i = 0; tags != NULL && i < balise_tags_get_size (tags); i++)
    {
      json_builder_set_member_name (builder, balise_tags_get_key (tags, i));
      json_builder_add_string_value (builder, balise_tags_get_value (tags, i));
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "new_id");
  json_builder_add_int_value (builder, edit->new_id);
  json_builder_set_member_name (builder, "new_version");
  json_builder_add_int_value (builder, edit->new_version);
  if (edit->error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, edit->error);
    }
  json_builder_end_object (builder);
}

int
balise_cli_queue (BaliseCli  *cli,
                  int         argc,
                  char      **argv,
                  GError    **error)
{
  g_autoptr(GPtrArray) edits = NULL;
  gboolean json = FALSE;
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Include uploaded and rejected edits"), NULL },
    { NULL }
  };

  if (!balise_cli_parse_options ("queue", NULL, _("List the edits waiting to be uploaded."),
                                 entries, &argc, &argv, error))
    return BALISE_CLI_EXIT_USAGE;

  edits = all ? balise_store_list_edits (cli->store, 0, error)
             : balise_store_list_unsent_edits (cli->store, error);
  if (edits == NULL)
    return BALISE_CLI_EXIT_ERROR;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < edits->len; i++)
        add_edit_json (builder, g_ptr_array_index (edits, i));
      json_builder_end_array (builder);

      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
      return BALISE_CLI_EXIT_OK;
    }

  for (guint i = 0; i < edits->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (edits, i);
      g_autofree char *tags = format_tags (edit->new_tags);
      g_autofree char *target = NULL;

      if (edit->new_id != 0)
        target = g_strdup_printf ("%s/%" G_GINT64_FORMAT " v%" G_GINT64_FORMAT,
                                  balise_osm_type_to_string (edit->osm_type),
                                  edit->new_id, edit->new_version);
      else
        target = g_strdup_printf ("%s/%" G_GINT64_FORMAT,
                                  balise_osm_type_to_string (edit->osm_type), edit->osm_id);

      g_print ("%.8s  %-6s  %-9s  %-22s  %.7f,%.7f  %s\n", edit->uuid,
               balise_edit_kind_to_string (edit->kind),
               balise_edit_status_to_string (edit->status),
               target, edit->lat, edit->lon, tags);
    }

  if (!all)
    g_print (g_dngettext (GETTEXT_PACKAGE, "%u edit waiting\n", "%u edits waiting\n", edits->len),
             edits->len);
  return BALISE_CLI_EXIT_OK;
}
