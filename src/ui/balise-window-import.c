/* balise-window-import.c: loading an OSM extract, with progress and cancel
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-window"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-import.h"
#include "balise-window-private.h"

typedef struct
{
  GWeakRef  window;
  guint64   nodes;
  guint64   ways;
} ImportProgress;

static void
import_progress_free (gpointer data)
{
  ImportProgress *progress = data;

  g_weak_ref_clear (&progress->window);
  g_free (progress);
}

/* Called in the window's main context, at most a few times a second. */
static void
import_progress_cb (guint64  nodes,
                    guint64  ways,
                    gpointer user_data)
{
  ImportProgress *progress = user_data;
  g_autoptr(BaliseWindow) self = g_weak_ref_get (&progress->window);
  g_autofree char *text = NULL;

  if (self == NULL)
    return;

  progress->nodes = nodes;
  progress->ways = ways;
  /* Translators: progress of reading an OpenStreetMap extract */
  text = g_strdup_printf (_("%'" G_GUINT64_FORMAT " points, %'" G_GUINT64_FORMAT " ways read"),
                          nodes, ways);
  gtk_progress_bar_set_text (self->import_progress, text);
  gtk_progress_bar_pulse (self->import_progress);
}

static void
import_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BaliseWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  BaliseImportStats stats = { 0, };
  AdwToast *toast;

  g_clear_object (&self->import_cancellable);
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-import", FALSE);

  if (!balise_store_import_file_finish (BALISE_STORE (object), result, &stats, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast = adw_toast_new (_("Loading the map data was cancelled; nothing was changed"));
      else
        {
          g_autofree char *title = g_strdup_printf (_("Could not load the map data: %s"),
                                                    error->message);
          toast = adw_toast_new (title);
          adw_toast_set_timeout (toast, 0);
        }
    }
  else
    {
      g_autofree char *title = NULL;

      _balise_window_basemap_data_changed (self);
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Map data loaded: %'" G_GUINT64_FORMAT " feature",
                                            "Map data loaded: %'" G_GUINT64_FORMAT " features",
                                            stats.features),
                               stats.features);
      toast = adw_toast_new (title);
    }

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * balise_window_import_file:
 * @path: a .osm or .osm.pbf extract
 * @what: (nullable): what it is, for the progress card ("the Monaco demo")
 *
 * Loads @path into the window's store on the store's writer thread, showing
 * progress with a Cancel button. Cancelling leaves the store as it was.
 */
void
balise_window_import_file (BaliseWindow *self,
                           const char   *path,
                           const char   *what)
{
  ImportProgress *progress;
  g_autofree char *label = NULL;

  g_return_if_fail (BALISE_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (self->import_cancellable != NULL)
    return;

  if (what != NULL)
    label = g_strdup_printf (_("Loading the map data of %s…"), what);
  else
    label = g_strdup (_("Loading map data…"));
  gtk_label_set_label (self->import_label, label);
  gtk_progress_bar_set_text (self->import_progress, NULL);
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-import", TRUE);

  progress = g_new0 (ImportProgress, 1);
  g_weak_ref_init (&progress->window, self);

  self->import_cancellable = g_cancellable_new ();
  balise_store_import_file_async (self->store, path,
                                  import_progress_cb, progress, import_progress_free,
                                  self->import_cancellable,
                                  import_done_cb, g_object_ref (self));
}

gboolean
balise_window_get_importing (BaliseWindow *self)
{
  g_return_val_if_fail (BALISE_IS_WINDOW (self), FALSE);
  return self->import_cancellable != NULL;
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BaliseWindow *self = BALISE_WINDOW (widget);

  g_cancellable_cancel (self->import_cancellable);
}

void
_balise_window_class_import_init (BaliseWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.cancel-import", NULL, cancel_import_action);
}
