/* balise-application.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-application"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "balise-application.h"
#include "balise-import.h"
#include "balise-preferences-window.h"
#include "balise-store.h"
#include "balise-window.h"

struct _BaliseApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (BaliseApplication, balise_application, ADW_TYPE_APPLICATION)

typedef struct
{
  BaliseApplication *self;
  char              *path;
  gboolean           demo;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_application_release (G_APPLICATION (data->self));
  g_clear_object (&data->self);
  g_clear_pointer (&data->path, g_free);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenData, open_data_free)

static const GOptionEntry main_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the demo database, with the map on Monaco"), NULL },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the database FILE (created if missing)"), N_("FILE") },
  { NULL }
};

static BaliseWindow *
balise_application_find_window (BaliseApplication *self,
                                 const char        *path)
{
  for (GList *iter = gtk_application_get_windows (GTK_APPLICATION (self));
       iter != NULL;
       iter = iter->next)
    {
      if (BALISE_IS_WINDOW (iter->data))
        {
          BaliseStore *store = balise_window_get_store (iter->data);

          if (store != NULL && g_strcmp0 (balise_store_get_path (store), path) == 0)
            return iter->data;
        }
    }

  return NULL;
}

static void
balise_application_show_open_error (BaliseApplication *self,
                                    const char        *path,
                                    const GError      *error)
{
  g_autofree char *heading = NULL;
  g_autofree char *basename = g_path_get_basename (path);
  GtkWidget *dialog;

  /* Translators: %s is the file name of a database */
  heading = g_strdup_printf (_("Could Not Open “%s”"), basename);

  dialog = adw_message_dialog_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                   heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

#define BALISE_DEMO_EXTRACT "monaco-2016.osm.pbf"

/* Installed with Balise, or, when it runs from its build tree, in the
 * source tree; BALISE_DEMO_EXTRACT_PATH overrides both. */
static char *
balise_application_find_demo_extract (void)
{
  const char *override = g_getenv ("BALISE_DEMO_EXTRACT_PATH");
  g_autofree char *installed = g_build_filename (PKGDATADIR, "demo", BALISE_DEMO_EXTRACT, NULL);
  g_autofree char *in_source = g_build_filename (SOURCE_DATADIR, "demo", BALISE_DEMO_EXTRACT, NULL);

  if (override != NULL)
    return g_strdup (override);
  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);
  if (g_file_test (in_source, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&in_source);
  return NULL;
}

static gboolean
balise_application_contributor_unknown (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autofree char *name = g_settings_get_string (settings, "contributor-name");

  return g_strstrip (name)[0] == '\0';
}

static void
balise_application_store_opened_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(OpenData) data = user_data;
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  BaliseWindow *window;

  if (!(store = balise_store_open_finish (result, &error)))
    {
      g_warning ("Could not open %s: %s", data->path, error->message);
      balise_application_show_open_error (data->self, data->path, error);
      return;
    }

  /* Opened twice at once: show the window that won. */
  if ((window = balise_application_find_window (data->self, balise_store_get_path (store))))
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  window = balise_window_new (data->self, store);

  if (data->demo)
    balise_window_center_on (window,
                             BALISE_DEMO_LATITUDE,
                             BALISE_DEMO_LONGITUDE,
                             BALISE_DEMO_ZOOM);

  gtk_window_present (GTK_WINDOW (window));

  /* The first run asks who is recording; the demo is for looking around. */
  if (!data->demo && balise_application_contributor_unknown ())
    balise_window_ask_contributor (window);

  /* The demo database starts with the OpenStreetMap data of Monaco. */
  if (data->demo && balise_store_is_empty (store, NULL))
    {
      g_autofree char *extract = balise_application_find_demo_extract ();

      if (extract != NULL)
        balise_window_import_file (window, extract, _("Monaco"));
      else
        g_warning ("The demo extract %s is not installed", BALISE_DEMO_EXTRACT);
    }
}

static char *
balise_application_dup_default_path (gboolean   demo,
                                     GError   **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "balise", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   /* Translators: %s is a folder, then the system's reason */
                   _("Could not create the folder %s: %s"), dir, g_strerror (errsv));
      return NULL;
    }

  return g_build_filename (dir, demo ? "demo.sqlite" : "balise.sqlite", NULL);
}

static void
balise_application_activate (GApplication *app)
{
  BaliseApplication *self = BALISE_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GtkWindow *window;

  if ((window = gtk_application_get_active_window (GTK_APPLICATION (self))))
    {
      gtk_window_present (window);
      return;
    }

  if (!(path = balise_application_dup_default_path (FALSE, &error)))
    {
      g_warning ("%s", error->message);
      return;
    }

  balise_application_open_database (self, path, FALSE);
}

static int
balise_application_command_line (GApplication            *app,
                                 GApplicationCommandLine *cmdline)
{
  BaliseApplication *self = BALISE_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *db = NULL;
  gboolean demo;

  demo = g_variant_dict_contains (options, "demo");

  if (g_variant_dict_lookup (options, "db", "^&ay", &db))
    {
      /* Relative to the directory of the command, which may be another process. */
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, db);

      path = g_file_get_path (file);
    }
  else if (!(path = balise_application_dup_default_path (demo, &error)))
    {
      g_application_command_line_printerr (cmdline, "%s\n", error->message);
      return EXIT_FAILURE;
    }

  balise_application_open_database (self, path, demo);

  return EXIT_SUCCESS;
}

static void
balise_application_quit_action (GSimpleAction *action,
                                GVariant      *param,
                                gpointer       user_data)
{
  BaliseApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  g_assert (BALISE_IS_APPLICATION (self));

  /* Close rather than quit: windows save their state, and a running sync
   * holds the application until its results are written back. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  for (GList *iter = windows; iter != NULL; iter = iter->next)
    gtk_window_close (iter->data);
}

static void
balise_application_about_action (GSimpleAction *action,
                                 GVariant      *param,
                                 gpointer       user_data)
{
  BaliseApplication *self = user_data;
  GtkWidget *about;

  g_assert (BALISE_IS_APPLICATION (self));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", "Balise",
                        "application-icon", APP_ID,
                        "developer-name", _("The Balise Authors"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/balise/balise",
                        "issue-url", "https://github.com/balise/balise/issues",
                        "copyright", "© 2026 The Balise Authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);

  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about),
                                      _("Map data"),
                                      "© OpenStreetMap contributors",
                                      GTK_LICENSE_CUSTOM,
                                      _("Map data is available under the Open Database License (ODbL) 1.0. "
                                        "https://www.openstreetmap.org/copyright"));
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about),
                                      _("Map tiles"),
                                      "© OpenStreetMap contributors",
                                      GTK_LICENSE_CUSTOM,
                                      _("The standard map tiles are served by the OpenStreetMap Foundation "
                                        "and used under its tile usage policy. "
                                        "https://operations.osmfoundation.org/policies/tiles/"));
  adw_about_window_add_credit_section (ADW_ABOUT_WINDOW (about),
                                       _("Map display"),
                                       (const char *[]) { "libshumate https://gitlab.gnome.org/GNOME/libshumate", NULL });

  gtk_window_present (GTK_WINDOW (about));
}

static void
balise_application_preferences_action (GSimpleAction *action,
                                       GVariant      *param,
                                       gpointer       user_data)
{
  BaliseApplication *self = user_data;
  BalisePreferencesWindow *preferences;

  g_assert (BALISE_IS_APPLICATION (self));

  preferences = balise_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "quit", balise_application_quit_action },
  { "about", balise_application_about_action },
  { "preferences", balise_application_preferences_action },
};

static void
balise_application_startup (GApplication *app)
{
  BaliseApplication *self = BALISE_APPLICATION (app);

  G_APPLICATION_CLASS (balise_application_parent_class)->startup (app);

  /* OSM's tile usage policy asks for an honest User-Agent. */
  shumate_set_user_agent ("Balise/" PACKAGE_VERSION " (+https://github.com/balise/balise)");

  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.record",
                                         (const char *[]) { "<Control>n", NULL });
}

static void
balise_application_class_init (BaliseApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = balise_application_activate;
  app_class->command_line = balise_application_command_line;
  app_class->startup = balise_application_startup;
}

static void
balise_application_init (BaliseApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Record bus stops and other features for OpenStreetMap, offline."));
}

/**
 * balise_application_new:
 *
 * Sets up translations, then creates the application.
 *
 * Returns: (transfer full): a new #BaliseApplication
 */
BaliseApplication *
balise_application_new (void)
{
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return g_object_new (BALISE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/balise/Balise",
                       NULL);
}

/**
 * balise_application_open_database:
 * @self: a #BaliseApplication
 * @path: the database file, created if missing
 * @demo: whether to put the map on the demo area
 *
 * Opens @path off the main thread, then shows it in a window; presents the
 * window instead when the database is already open.
 */
void
balise_application_open_database (BaliseApplication *self,
                                  const char        *path,
                                  gboolean           demo)
{
  BaliseWindow *window;
  OpenData *data;

  g_return_if_fail (BALISE_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  if ((window = balise_application_find_window (self, path)))
    {
      if (demo)
        balise_window_center_on (window,
                                 BALISE_DEMO_LATITUDE,
                                 BALISE_DEMO_LONGITUDE,
                                 BALISE_DEMO_ZOOM);
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  data = g_new0 (OpenData, 1);
  data->self = g_object_ref (self);
  data->path = g_strdup (path);
  data->demo = !!demo;

  /* The window appears when the store is ready; stay alive until then. */
  g_application_hold (G_APPLICATION (self));

  balise_store_open_async (path, NULL, balise_application_store_opened_cb, data);
}
