/* test-preferences.c: the account row of the preferences, under Xvfb,
 * against the OSM API test server and libsecret's own file backend
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "config.h"

#include <string.h>

#include "balise-preferences-window.h"
#include "balise-test-server.h"
#include "balise-test-utils.h"
#include "balise-token-store.h"
#include "balise-ui-test-utils.h"

static BaliseTestServer *server;

/* The first widget under @root (depth first) of @type that @match accepts. */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             gboolean  (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
row_title_starts_with (GtkWidget     *widget,
                       gconstpointer  prefix)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

  return title != NULL && g_str_has_prefix (title, prefix);
}

static gboolean
button_is (GtkWidget     *widget,
           gconstpointer  label)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 &&
         gtk_widget_get_visible (widget);
}

typedef struct
{
  GtkWidget  *window;
  const char *title;
} RowWait;

static gboolean
row_shown (gpointer data)
{
  RowWait *wait = data;

  return find_widget (wait->window, ADW_TYPE_ACTION_ROW, row_title_starts_with, wait->title) != NULL;
}

static void
wait_for_row (GtkWidget  *window,
              const char *title)
{
  RowWait wait = { window, title };

  if (!balise_ui_test_wait (row_shown, &wait, 30))
    g_error ("The account row never said “%s”", title);
}

static gboolean
laid_out (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_mapped (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  const char *dir = g_getenv ("BALISE_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  g_assert_true (balise_ui_test_wait (laid_out, window, 10));
  balise_ui_test_wait (never, NULL, 1);   /* a few frames */
  texture = balise_ui_test_render_widget (window);
  path = g_build_filename (dir, name, NULL);
  if (texture != NULL && gdk_texture_save_to_png (texture, path))
    g_test_message ("saved %s", path);
}

static void
test_account (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;
  GtkWidget *window;
  GtkWidget *sign_out;

  g_settings_set_string (settings, "server-url", balise_test_server_get_url (server));

  /* Nobody signed in. */
  window = GTK_WIDGET (balise_preferences_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 720);   /* all of it on screen */
  gtk_window_present (GTK_WINDOW (window));
  wait_for_row (window, "Not Signed In");
  g_assert_nonnull (find_widget (window, GTK_TYPE_BUTTON, button_is, "_Sign In"));
  save_screenshot (window, "balise-preferences-signed-out.png");
  gtk_window_destroy (GTK_WINDOW (window));

  /* A token in the keyring: the server says whose it is. */
  g_assert_true (balise_token_store_save (balise_test_server_get_url (server), "issued-token",
                                          NULL, &error));
  g_assert_no_error (error);
  window = GTK_WIDGET (balise_preferences_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 720);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_row (window, "Signed In as user-");
  save_screenshot (window, "balise-preferences-signed-in.png");

  /* Signing out clears the keyring. */
  sign_out = find_widget (window, GTK_TYPE_BUTTON, button_is, "Sign _Out");
  g_assert_nonnull (sign_out);
  g_signal_emit_by_name (sign_out, "clicked");
  wait_for_row (window, "Not Signed In");
  left = balise_token_store_lookup (balise_test_server_get_url (server), NULL, &error);
  g_assert_no_error (error);
  g_assert_null (left);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The project's hashtags: written to the setting when they are hashtags;
 * a word that is not one is marked and never stored. */
static void
test_hashtags (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autofree char *kept = NULL;
  GtkWidget *window;
  GtkWidget *row;

  window = GTK_WIDGET (balise_preferences_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 720);
  gtk_window_present (GTK_WINDOW (window));
  row = find_widget (window, ADW_TYPE_ENTRY_ROW, row_title_starts_with, "Hashtags");
  g_assert_nonnull (row);

  gtk_editable_set_text (GTK_EDITABLE (row), "#balise #monaco-stops");
  kept = g_settings_get_string (settings, "hashtags");
  g_assert_cmpstr (kept, ==, "#balise #monaco-stops");
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  gtk_editable_set_text (GTK_EDITABLE (row), "#balise #monaco.stops");
  g_clear_pointer (&kept, g_free);
  kept = g_settings_get_string (settings, "hashtags");
  g_assert_cmpstr (kept, ==, "#balise #monaco-stops");
  g_assert_true (gtk_widget_has_css_class (row, "error"));

  gtk_editable_set_text (GTK_EDITABLE (row), "balise");
  g_clear_pointer (&kept, g_free);
  kept = g_settings_get_string (settings, "hashtags");
  g_assert_cmpstr (kept, ==, "balise");
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  g_settings_reset (settings, "hashtags");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_widget (GtkWidget     *widget,
           gconstpointer  data)
{
  return TRUE;
}

/* The switch of automatic upload: off by default, bound to the setting
 * both ways, and its row says what goes up, and when. */
static void
test_auto_sync (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  GtkWidget *window;
  GtkWidget *row;
  GtkWidget *toggle;
  const char *subtitle;

  window = GTK_WIDGET (balise_preferences_window_new (NULL));
  gtk_window_present (GTK_WINDOW (window));
  row = find_widget (window, ADW_TYPE_ACTION_ROW, row_title_starts_with, "Upload Automatically When Online");
  g_assert_nonnull (row);
  toggle = find_widget (row, GTK_TYPE_SWITCH, is_widget, NULL);
  g_assert_nonnull (toggle);
  g_assert_true (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)) == toggle);

  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_nonnull (strstr (subtitle, "approved ones"));
  g_assert_nonnull (strstr (subtitle, "signed in"));
  g_assert_nonnull (strstr (subtitle, "hashtags"));

  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "auto-sync"));
  g_settings_set_boolean (settings, "auto-sync", FALSE);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));

  g_settings_reset (settings, "auto-sync");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = balise_test_tmp_path ("keyring");
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-only", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  server = balise_test_server_new (NULL, "issued-token");
  g_assert_true (balise_test_server_start (server, 0, &error));
  g_assert_no_error (error);

  g_test_add_func ("/ui/preferences/account", test_account);
  g_test_add_func ("/ui/preferences/hashtags", test_hashtags);
  g_test_add_func ("/ui/preferences/auto-sync", test_auto_sync);
  status = g_test_run ();

  balise_test_server_stop (server);
  g_clear_object (&server);
  return status;
}
