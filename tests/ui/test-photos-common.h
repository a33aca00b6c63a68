/* test-photos-common.h: the window, the store and the photo files that the
 * photo tests share
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "balise-application.h"
#include "balise-photo-strip.h"
#include "balise-preset-form.h"
#include "balise-record-dialog.h"
#include "balise-store-photos.h"
#include "balise-test-utils.h"
#include "balise-ui-test-utils.h"
#include "balise-window.h"

#define PHONE_WIDTH  360
#define PHONE_HEIGHT 720

typedef struct
{
  BaliseStore  *store;
  BaliseWindow *window;
} Fixture;

static BaliseApplication *app;
static char **real_mime_dirs;

/*
 * Helpers
 */

static G_GNUC_UNUSED gboolean
hold_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Keeps what is on screen for a screenshot, when asked to, with @focus
 * (nullable) focused and so scrolled to. */
static G_GNUC_UNUSED void
hold_for_screenshot (GtkWidget *focus)
{
  const char *seconds = g_getenv ("BALISE_TEST_HOLD_SECONDS");
  gboolean done = FALSE;

  if (seconds == NULL)
    return;
  if (focus != NULL)
    gtk_widget_grab_focus (focus);
  g_timeout_add_seconds ((guint) g_ascii_strtoull (seconds, NULL, 10), hold_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static G_GNUC_UNUSED gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static G_GNUC_UNUSED gboolean
allocated (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static G_GNUC_UNUSED gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static G_GNUC_UNUSED void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static G_GNUC_UNUSED char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "photos", name, NULL);
}

static G_GNUC_UNUSED char *
file_sha256 (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* A count from the database file, read as another program would. */
#define count_rows(store, ...) balise_test_count_rows (balise_store_get_path (store), __VA_ARGS__)

static G_GNUC_UNUSED GListModel *
files_of (const char *first,
          ...)
{
  GListStore *files = g_list_store_new (G_TYPE_FILE);
  va_list args;

  va_start (args, first);
  for (const char *path = first; path != NULL; path = va_arg (args, const char *))
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      g_list_store_append (files, file);
    }
  va_end (args);

  return G_LIST_MODEL (files);
}

/* Adds @files through the strip's own entry point (the file chooser's),
 * waits, and returns whether all were taken. */
static G_GNUC_UNUSED gboolean
add_files (BalisePhotoStrip  *strip,
           GListModel        *files,
           GError           **error)
{
  GAsyncResult *result = NULL;
  gboolean ok;

  balise_photo_strip_add_files_async (strip, files, NULL, result_cb, &result);
  g_assert_true (balise_photo_strip_get_busy (strip));
  balise_ui_test_wait_until (has_result, &result, "the photos to be attached");
  ok = balise_photo_strip_add_files_finish (strip, result, error);
  g_object_unref (result);
  g_assert_false (balise_photo_strip_get_busy (strip));

  return ok;
}

typedef struct
{
  BalisePhotoStrip *strip;
  guint             n;
} StripCount;

static G_GNUC_UNUSED gboolean
thumbnails_drawn (gpointer data)
{
  StripCount *count = data;

  if (balise_photo_strip_get_n_photos (count->strip) != count->n)
    return FALSE;
  for (guint i = 0; i < count->n; i++)
    if (balise_photo_strip_get_thumbnail_paintable (count->strip, i) == NULL)
      return FALSE;
  return TRUE;
}

static G_GNUC_UNUSED void
wait_for_thumbnails (BalisePhotoStrip *strip,
                     guint             n)
{
  StripCount count = { strip, n };

  balise_ui_test_wait_until (thumbnails_drawn, &count, "the thumbnails");
}

static G_GNUC_UNUSED AdwMessageDialog *
find_message_dialog (void)
{
  return balise_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static G_GNUC_UNUSED BaliseRecordDialog *
find_record_dialog (void)
{
  return balise_ui_test_find_toplevel (BALISE_TYPE_RECORD_DIALOG);
}

static G_GNUC_UNUSED gboolean
no_record_dialog (gpointer data)
{
  return find_record_dialog () == NULL;
}

/* The colour of a pixel as (r, g, b). */
static G_GNUC_UNUSED gboolean
can_record (gpointer data)
{
  return balise_window_get_presets (data) != NULL;
}

static G_GNUC_UNUSED gboolean
dialog_idle (gpointer data)
{
  return !balise_record_dialog_is_busy (data);
}

static G_GNUC_UNUSED void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *size = g_getenv ("BALISE_TEST_WINDOW_SIZE");
  int width = PHONE_WIDTH;
  int height = PHONE_HEIGHT;

  if (size != NULL)
    g_assert_cmpint (sscanf (size, "%dx%d", &width, &height), ==, 2);

  g_content_type_set_mime_dirs ((const char * const *) real_mime_dirs);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  path = g_build_filename (g_get_user_data_dir (), "record.sqlite", NULL);
  fixture->store = balise_store_open (path, &error);
  g_assert_no_error (error);

  fixture->window = balise_window_new (app, fixture->store);
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, height);
  gtk_widget_set_size_request (gtk_widget_get_first_child (GTK_WIDGET (fixture->window)), width, height);
  balise_window_center_on (fixture->window, BALISE_DEMO_LATITUDE, BALISE_DEMO_LONGITUDE, BALISE_DEMO_ZOOM);
  gtk_window_present (GTK_WINDOW (fixture->window));
  balise_ui_test_wait_until (mapped, fixture->window, "the window to show");
  balise_ui_test_spin ();
}

static G_GNUC_UNUSED void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  AdwMessageDialog *message;
  BaliseRecordDialog *dialog;

  if ((message = find_message_dialog ()))
    gtk_window_destroy (GTK_WINDOW (message));
  if ((dialog = find_record_dialog ()))
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  balise_ui_test_spin ();

  g_clear_object (&fixture->window);
  g_clear_object (&fixture->store);
}

static G_GNUC_UNUSED BaliseRecordDialog *
open_form (Fixture    *fixture,
           const char *preset)
{
  BaliseRecordDialog *dialog;
  BalisePresetForm *form;

  balise_ui_test_wait_until (can_record, fixture->window, "the presets to load");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.record", NULL));
  dialog = find_record_dialog ();
  g_assert_nonnull (dialog);
  balise_ui_test_wait_until (allocated, dialog, "the dialog to show");
  balise_record_dialog_choose_preset (dialog, preset);
  g_assert_cmpstr (balise_record_dialog_get_page (dialog), ==, "form");
  form = balise_record_dialog_get_form (dialog);
  balise_ui_test_wait_until (mapped, form, "the form to show");
  balise_ui_test_wait_until (dialog_idle, dialog, "the draft to be written");
  g_assert_nonnull (balise_record_dialog_get_photo_strip (dialog));

  return dialog;
}

/* The bottom of @widget in @page's coordinates, with the page scrolled to
 * its top. */

/* GTK, the test framework (with its own directories) and the application
 * the windows belong to. */
static G_GNUC_UNUSED void
photos_test_init (int    *argc,
                  char ***argv)
{
  g_autoptr(GError) error = NULL;

  real_mime_dirs = g_strdupv ((char **) g_content_type_get_mime_dirs ());
  gtk_init ();
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* No blinking cursor: its timer, firing in a text field whose dialog is
   * gone or unfocused under a bare Xvfb, warns "GtkText - did not receive a
   * focus-out event", which the test log makes fatal. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", ":close",
                "gtk-cursor-blink", FALSE, NULL);

  app = balise_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
}

static G_GNUC_UNUSED void
photos_test_clear (void)
{
  g_clear_object (&app);
  g_clear_pointer (&real_mime_dirs, g_strfreev);
}
