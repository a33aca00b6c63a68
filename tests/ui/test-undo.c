/* test-undo.c: who records, and Ctrl+Z takes back what they recorded last
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "balise-application.h"
#include "balise-core.h"
#include "balise-store-contributors.h"
#include "balise-store-journal.h"
#include "balise-ui-test-utils.h"
#include "balise-window.h"

static BaliseApplication *app;
static char **real_mime_dirs;

static BaliseWindow *
open_window (BaliseStore *store)
{
  BaliseWindow *window = balise_window_new (app, store);

  g_object_ref_sink (window);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
close_window (BaliseWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

static BaliseEdit *
record_stop (BaliseStore *store,
             const char  *contributor,
             const char  *name)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);

  edit->lat = 43.7384;
  edit->lon = 7.4246;
  edit->contributor = g_strdup (contributor);
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  balise_tags_set (edit->new_tags, "name", name);
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);
  return edit;
}

typedef struct
{
  BaliseStore *store;
  const char  *uuid;
  BaliseEditStatus status;
} StatusWait;

static gboolean
status_is (gpointer data)
{
  StatusWait *wait = data;
  g_autoptr(BaliseEdit) edit = balise_store_get_edit (wait->store, wait->uuid, NULL);

  return edit != NULL && edit->status == wait->status;
}

/* The edit has its status once the writer committed; the window hears of
 * it a moment later, in the main loop: let it. */
static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
wait_for_status (BaliseStore      *store,
                 const char       *uuid,
                 BaliseEditStatus  status)
{
  StatusWait wait = { store, uuid, status };

  g_assert_true (balise_ui_test_wait (status_is, &wait, 10));
  balise_ui_test_wait (never, NULL, 1);
}

static void
test_undo_redo (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "undo.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(BaliseEdit) first = NULL;
  g_autoptr(BaliseEdit) second = NULL;
  g_autoptr(BaliseEdit) other = NULL;
  BaliseWindow *window;
  StatusWait wait;

  g_content_type_set_mime_dirs ((const char * const *) real_mime_dirs);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_settings_set_string (settings, "contributor-name", "Camille");

  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  first = record_stop (store, "Camille", "Casino");
  second = record_stop (store, "Camille", "Place d'Armes");
  /* Someone else's stop is not in Camille's history. */
  other = record_stop (store, "Malik", "Monte-Carlo");

  window = open_window (store);
  g_assert_true (balise_store_can_undo (store, "Camille"));
  g_assert_false (balise_store_can_redo (store, "Camille"));

  /* Undo: Camille's last stop, not Malik's. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  wait_for_status (store, second->uuid, BALISE_EDIT_STATUS_UNDONE);
  wait = (StatusWait) { store, other->uuid, BALISE_EDIT_STATUS_PENDING };
  g_assert_true (status_is (&wait));
  g_assert_cmpuint (balise_store_count_pending (store), ==, 2);

  /* A restart keeps the history: redo in a new window over the reopened store. */
  close_window (window);
  g_clear_object (&store);
  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  window = open_window (store);
  g_assert_true (balise_store_can_redo (store, "Camille"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
  wait_for_status (store, second->uuid, BALISE_EDIT_STATUS_PENDING);
  g_assert_cmpuint (balise_store_count_pending (store), ==, 3);

  /* Twice: both of Camille's stops are taken back, in reverse order. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  wait_for_status (store, second->uuid, BALISE_EDIT_STATUS_UNDONE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  wait_for_status (store, first->uuid, BALISE_EDIT_STATUS_UNDONE);
  g_assert_false (balise_store_can_undo (store, "Camille"));

  close_window (window);
}

/* The first run's question: the name given becomes the profile that every
 * edit carries, and the one whose history undo follows. */
static void
test_ask_contributor (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.balise.Balise");
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "names.sqlite", NULL);
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseStore) store = NULL;
  g_auto(GStrv) profiles = NULL;
  BaliseWindow *window;
  GtkWidget *dialog;
  GtkWidget *entry;

  g_content_type_set_mime_dirs ((const char * const *) real_mime_dirs);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_settings_set_string (settings, "contributor-name", "");
  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  window = open_window (store);

  dialog = balise_window_ask_contributor (window);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  entry = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  /* An empty name cannot be given. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "continue"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "  Aïcha Benali ");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "continue"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "continue");

  name = g_settings_get_string (settings, "contributor-name");
  g_assert_cmpstr (name, ==, "Aïcha Benali");
  profiles = balise_store_list_contributors (store, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) profiles, "Aïcha Benali"));

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  real_mime_dirs = g_strdupv ((char **) g_content_type_get_mime_dirs ());
  gtk_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  app = balise_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/undo/undo-redo", test_undo_redo);
  g_test_add_func ("/ui/undo/ask-contributor", test_ask_contributor);

  ret = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&real_mime_dirs, g_strfreev);
  return ret;
}
