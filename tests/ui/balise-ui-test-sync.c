/* balise-ui-test-sync.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include "balise-ui-test-sync.h"
#include "balise-ui-test-utils.h"

#define WAIT_SECONDS 60

BaliseUploadDialog *
balise_ui_test_find_upload_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (BALISE_IS_UPLOAD_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return BALISE_UPLOAD_DIALOG (item);
    }

  return NULL;
}

static gboolean
composer_or_done (gpointer data)
{
  return balise_ui_test_find_upload_dialog () != NULL || !balise_window_get_syncing (data);
}

static gboolean
composer_gone (gpointer data)
{
  return balise_ui_test_find_upload_dialog () == NULL;
}

BaliseUploadDialog *
balise_ui_test_open_composer (BaliseWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  if (!balise_ui_test_wait (composer_or_done, window, WAIT_SECONDS))
    g_error ("Neither the composer nor a sync followed Sync");

  return balise_ui_test_find_upload_dialog ();
}

static GtkWidget *
find_upload_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "upload.send") == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_upload_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

void
balise_ui_test_press_upload (BaliseUploadDialog *dialog)
{
  GtkWidget *button = find_upload_button (GTK_WIDGET (dialog));

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
  /* A button clicks a moment after it is activated. */
  if (!balise_ui_test_wait (composer_gone, NULL, WAIT_SECONDS))
    g_error ("The composer stayed open after Upload");
}

void
balise_ui_test_start_sync (BaliseWindow *window,
                           const char   *comment)
{
  BaliseUploadDialog *dialog = balise_ui_test_open_composer (window);

  if (dialog == NULL)
    return;

  if (comment != NULL)
    gtk_editable_set_text (balise_upload_dialog_get_comment_field (dialog), comment);
  balise_ui_test_press_upload (dialog);
}
