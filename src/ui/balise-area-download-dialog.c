/* balise-area-download-dialog.c: the map of an area, kept for the field
 *
 * The area is the window's view; the user picks the zoom levels and sees
 * how many tiles and megabytes that is before anything is fetched. The
 * download runs with a progress bar and can be cancelled (what came is
 * kept, and a second download completes it). On success the file becomes
 * the basemap.
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-area-download-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-area-download-dialog.h"
#include "balise-window.h"

struct _BaliseAreaDownloadDialog
{
  AdwWindow        parent_instance;

  /* Template widgets */
  AdwEntryRow     *url_row;
  GtkSpinButton   *min_zoom_spin;
  GtkSpinButton   *max_zoom_spin;
  GtkLabel        *estimate_label;
  GtkProgressBar  *progress_bar;
  GtkButton       *download_button;
  GtkButton       *cancel_button;

  /* Owned references */
  GSettings       *settings;
  GCancellable    *cancellable;
  char            *path;

  /* Borrowed references */
  BaliseWindow    *window;

  BaliseTileArea   area;
};

G_DEFINE_FINAL_TYPE (BaliseAreaDownloadDialog, balise_area_download_dialog, ADW_TYPE_WINDOW)

static void
read_area (BaliseAreaDownloadDialog *self,
           BaliseTileArea           *area)
{
  *area = self->area;
  area->min_zoom = gtk_spin_button_get_value_as_int (self->min_zoom_spin);
  area->max_zoom = gtk_spin_button_get_value_as_int (self->max_zoom_spin);
}

static void
update_cb (BaliseAreaDownloadDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  BaliseTileArea area;
  guint64 count;
  gboolean ok;

  g_assert (BALISE_IS_AREA_DOWNLOAD_DIALOG (self));

  read_area (self, &area);
  count = balise_tile_area_count_tiles (&area);

  if (url[0] != '\0' && !balise_tile_download_check_url (url, &error))
    text = g_strdup (error->message);
  else if (count == 0)
    text = g_strdup (_("Choose zoom levels, the first no higher than the last."));
  else if (count > BALISE_TILE_DOWNLOAD_MAX_TILES)
    text = g_strdup_printf (_("%'" G_GUINT64_FORMAT " tiles: too many at once (at most %'d). "
                              "Zoom in, or choose fewer zoom levels."),
                            count, BALISE_TILE_DOWNLOAD_MAX_TILES);
  else
    {
      g_autofree char *size = g_format_size (count * BALISE_TILE_DOWNLOAD_BYTES_PER_TILE);

      /* Translators: the first is a number of tiles, the second a size such as "12.3 MB" */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" G_GUINT64_FORMAT " tile, about %s",
                                           "%'" G_GUINT64_FORMAT " tiles, about %s", count),
                              count, size);
    }

  ok = url[0] != '\0' && error == NULL && count > 0 && count <= BALISE_TILE_DOWNLOAD_MAX_TILES;
  gtk_label_set_label (self->estimate_label, text);
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->estimate_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->estimate_label), "error");
  gtk_widget_set_sensitive (GTK_WIDGET (self->download_button), ok && self->cancellable == NULL);
}

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  g_autoptr(BaliseAreaDownloadDialog) self = g_weak_ref_get (user_data);
  g_autofree char *text = NULL;

  if (self == NULL)
    return;

  /* Translators: tiles downloaded so far, of all */
  text = g_strdup_printf (_("%'" G_GUINT64_FORMAT " of %'" G_GUINT64_FORMAT " tiles"), done, total);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
download_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BaliseAreaDownloadDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), TRUE);

  if (!balise_tile_download_finish (result, NULL, &error) ||
      (self->window != NULL && !balise_window_open_basemap_file (self->window, self->path, &error)))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_window_destroy (GTK_WINDOW (self));
      else
        {
          gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
          gtk_label_set_label (self->estimate_label, error->message);
          gtk_widget_add_css_class (GTK_WIDGET (self->estimate_label), "error");
          gtk_widget_set_sensitive (GTK_WIDGET (self->download_button), TRUE);
        }
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
download_clicked_cb (BaliseAreaDownloadDialog *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  GWeakRef *weak = g_new0 (GWeakRef, 1);
  BaliseTileArea area;

  g_assert (BALISE_IS_AREA_DOWNLOAD_DIALOG (self));

  if (self->cancellable != NULL)
    return;

  g_settings_set_string (self->settings, "tile-download-url", url);
  read_area (self, &area);
  self->cancellable = g_cancellable_new ();
  g_weak_ref_init (weak, self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->download_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);

  balise_tile_download_async (url, &area, self->path, NULL, progress_cb, weak, weak_ref_free,
                              self->cancellable, download_done_cb, g_object_ref (self));
}

static void
cancel_clicked_cb (BaliseAreaDownloadDialog *self)
{
  g_assert (BALISE_IS_AREA_DOWNLOAD_DIALOG (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
balise_area_download_dialog_dispose (GObject *object)
{
  BaliseAreaDownloadDialog *self = (BaliseAreaDownloadDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->window);

  G_OBJECT_CLASS (balise_area_download_dialog_parent_class)->dispose (object);
}

static void
balise_area_download_dialog_finalize (GObject *object)
{
  BaliseAreaDownloadDialog *self = (BaliseAreaDownloadDialog *)object;

  g_free (self->path);

  G_OBJECT_CLASS (balise_area_download_dialog_parent_class)->finalize (object);
}

static void
balise_area_download_dialog_class_init (BaliseAreaDownloadDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_area_download_dialog_dispose;
  object_class->finalize = balise_area_download_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/balise/Balise/ui/balise-area-download-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseAreaDownloadDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, BaliseAreaDownloadDialog, min_zoom_spin);
  gtk_widget_class_bind_template_child (widget_class, BaliseAreaDownloadDialog, max_zoom_spin);
  gtk_widget_class_bind_template_child (widget_class, BaliseAreaDownloadDialog, estimate_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseAreaDownloadDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BaliseAreaDownloadDialog, download_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseAreaDownloadDialog, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, update_cb);
  gtk_widget_class_bind_template_callback (widget_class, download_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
balise_area_download_dialog_init (BaliseAreaDownloadDialog *self)
{
  self->settings = g_settings_new ("io.github.balise.Balise");
  gtk_widget_init_template (GTK_WIDGET (self));
}

BaliseAreaDownloadDialog *
balise_area_download_dialog_new (BaliseWindow         *window,
                                 const BaliseTileArea *area,
                                 const char           *path)
{
  BaliseAreaDownloadDialog *self;
  g_autofree char *url = NULL;

  g_return_val_if_fail (BALISE_IS_WINDOW (window), NULL);
  g_return_val_if_fail (area != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (BALISE_TYPE_AREA_DOWNLOAD_DIALOG,
                       "transient-for", window,
                       NULL);
  g_set_weak_pointer (&self->window, window);
  self->area = *area;
  self->path = g_strdup (path);

  url = g_settings_get_string (self->settings, "tile-download-url");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  balise_area_download_dialog_set_zooms (self, area->min_zoom, area->max_zoom);
  update_cb (self);

  return self;
}

void
balise_area_download_dialog_set_zooms (BaliseAreaDownloadDialog *self,
                                       int                       min_zoom,
                                       int                       max_zoom)
{
  g_return_if_fail (BALISE_IS_AREA_DOWNLOAD_DIALOG (self));

  gtk_spin_button_set_value (self->min_zoom_spin, min_zoom);
  gtk_spin_button_set_value (self->max_zoom_spin, max_zoom);
}

GtkWidget *
balise_area_download_dialog_get_url_row (BaliseAreaDownloadDialog *self)
{
  g_return_val_if_fail (BALISE_IS_AREA_DOWNLOAD_DIALOG (self), NULL);
  return GTK_WIDGET (self->url_row);
}

GtkWidget *
balise_area_download_dialog_get_download_button (BaliseAreaDownloadDialog *self)
{
  g_return_val_if_fail (BALISE_IS_AREA_DOWNLOAD_DIALOG (self), NULL);
  return GTK_WIDGET (self->download_button);
}

GtkWidget *
balise_area_download_dialog_get_estimate_label (BaliseAreaDownloadDialog *self)
{
  g_return_val_if_fail (BALISE_IS_AREA_DOWNLOAD_DIALOG (self), NULL);
  return GTK_WIDGET (self->estimate_label);
}
