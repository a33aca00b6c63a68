/* balise-window-record.c: recording from the window — the presets, where a
 * record goes, and the drafts a crash left behind
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-window-record"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-record-dialog.h"
#include "balise-store-drafts.h"
#include "balise-window-private.h"

/* Below this width the window is a phone's screen. */
#define RECORD_DIALOG_MIN_DESKTOP_WIDTH 480

static char *
find_presets_dir (void)
{
  const char *env = g_getenv ("BALISE_PRESETS_DIR");
  g_autofree char *installed = g_build_filename (PKGDATADIR, "presets", NULL);

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&installed);

  /* Run from the build tree. */
  return g_build_filename (SOURCE_DATADIR, "presets", NULL);
}

static void
balise_window_presets_loaded_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  BalisePresetCatalogue *catalogue = BALISE_PRESET_CATALOGUE (object);
  g_autoptr(BaliseWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!balise_preset_catalogue_load_finish (catalogue, result, &error))
    {
      g_autofree char *message = NULL;

      /* A broken install: say it, the rest of the window still works. */
      g_warning ("Could not load the presets: %s", error->message);
      /* Translators: %s says what is wrong with the preset files */
      message = g_strdup_printf (_("Recording is not possible: %s"), error->message);
      balise_window_add_toast (self, adw_toast_new (message));
      return;
    }

  self->presets = g_object_ref (catalogue);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.record", TRUE);
  _balise_window_feature_presets_loaded (self);
}

static void
balise_window_drafts_committed_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(BaliseWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!balise_store_save_draft_finish (BALISE_STORE (object), result, &error))
    g_warning ("Could not file a record left unfinished: %s", error->message);
}

/* A form that was open when Balise stopped (a crash, a flat battery) left
 * its draft with every answer given: file it as the form would have. */
static void
balise_window_file_left_drafts (BaliseWindow *self)
{
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  drafts = balise_store_list_edits (self->store,
                                    BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_DRAFT),
                                    &error);
  if (drafts == NULL)
    {
      g_warning ("Could not look for unfinished records: %s", error->message);
      return;
    }

  if (drafts->len == 0)
    return;

  for (guint i = 0; i < drafts->len; i++)
    {
      BaliseEdit *edit = g_ptr_array_index (drafts, i);

      balise_store_save_draft_async (self->store, edit->uuid, edit->new_tags, NULL, TRUE, NULL,
                                     balise_window_drafts_committed_cb, g_object_ref (self));
    }

  message = g_strdup_printf (ngettext ("%u record left unfinished last time was filed",
                                       "%u records left unfinished last time were filed",
                                       drafts->len),
                             drafts->len);
  balise_window_add_toast (self, adw_toast_new (message));
}

void
_balise_window_record_setup (BaliseWindow *self)
{
  g_autoptr(BalisePresetCatalogue) catalogue = balise_preset_catalogue_new (GETTEXT_PACKAGE);
  g_autofree char *dir = find_presets_dir ();

  g_assert (BALISE_IS_WINDOW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.record", FALSE);
  balise_preset_catalogue_load_async (catalogue, dir, NULL,
                                      balise_window_presets_loaded_cb,
                                      g_object_ref (self));

  balise_window_file_left_drafts (self);
}

static void
balise_window_record_saved_cb (BaliseWindow       *self,
                               const char         *what,
                               BaliseRecordDialog *dialog)
{
  g_autofree char *message = NULL;
  g_autoptr(BaliseEdit) edit = NULL;
  const char *uuid;
  AdwToast *toast;

  g_assert (BALISE_IS_WINDOW (self));

  /* Translators: %s is what was recorded, like “Bus Stop” */
  message = g_strdup_printf (_("%s saved"), what);
  toast = adw_toast_new (message);

  /* A new point went to the GPS fix or the map's centre: the toast offers
   * to put it where it really is, with no tap added to the record. */
  if ((uuid = balise_record_dialog_get_draft_uuid (dialog)) &&
      (edit = balise_store_get_edit (self->store, uuid, NULL)) &&
      edit->kind == BALISE_EDIT_CREATE)
    {
      adw_toast_set_button_label (toast, _("_Adjust Position"));
      adw_toast_set_action_name (toast, "feature.adjust");
      adw_toast_set_action_target (toast, "(sx)", balise_osm_type_to_string (edit->osm_type),
                                   edit->osm_id);
      adw_toast_set_timeout (toast, 10);
    }

  balise_window_add_toast (self, toast);
}

static void
balise_window_record_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);
  BaliseRecordDialog *dialog;
  g_autofree char *contributor = NULL;
  double latitude;
  double longitude;
  int width;
  int height;

  g_assert (BALISE_IS_WINDOW (self));

  if (self->presets == NULL)
    return;

  balise_window_get_record_position (self, &latitude, &longitude);
  contributor = g_settings_get_string (self->settings, "contributor-name");

  dialog = balise_record_dialog_new (GTK_WINDOW (self), self->store, self->presets,
                                     latitude, longitude, contributor);
  g_signal_connect_object (dialog, "saved",
                           G_CALLBACK (balise_window_record_saved_cb),
                           self, G_CONNECT_SWAPPED);

  /* On a phone the dialog takes the whole screen, as the window does. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && width < RECORD_DIALOG_MIN_DESKTOP_WIDTH)
    gtk_window_set_default_size (GTK_WINDOW (dialog), width, height);

  gtk_window_present (GTK_WINDOW (dialog));
}

void
_balise_window_class_record_init (BaliseWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.record", NULL,
                                   balise_window_record_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.record", NULL);
}

/**
 * balise_window_set_location:
 * @self: a #BaliseWindow
 * @latitude: the latitude of the fix
 * @longitude: the longitude of the fix
 *
 * Tells the window where the volunteer is, as GeoClue does (see
 * balise-window-position.c): new records go there rather than at the map's
 * centre.
 */
void
balise_window_set_location (BaliseWindow *self,
                            double        latitude,
                            double        longitude)
{
  g_return_if_fail (BALISE_IS_WINDOW (self));
  g_return_if_fail (latitude >= -90.0 && latitude <= 90.0);
  g_return_if_fail (longitude >= -180.0 && longitude <= 180.0);

  /* No accuracy known: drawn as a dot without its circle. */
  balise_position_layer_set_fix (self->position_layer, latitude, longitude, 0.0);
}

/* The fix is lost: records go to the map's centre again. */
void
balise_window_clear_location (BaliseWindow *self)
{
  g_return_if_fail (BALISE_IS_WINDOW (self));

  balise_position_layer_clear_fix (self->position_layer);
}

/**
 * balise_window_get_record_position:
 * @self: a #BaliseWindow
 * @latitude: (out): where a new record goes
 * @longitude: (out): where a new record goes
 *
 * Returns: %TRUE when the position is the GPS fix, %FALSE for the map's centre
 */
gboolean
balise_window_get_record_position (BaliseWindow *self,
                                   double       *latitude,
                                   double       *longitude)
{
  g_return_val_if_fail (BALISE_IS_WINDOW (self), FALSE);

  if (self->position_layer != NULL &&
      balise_position_layer_get_fix (self->position_layer, latitude, longitude))
    return TRUE;

  balise_window_get_center (self, latitude, longitude);
  return FALSE;
}

/* Returns: (transfer none) (nullable): the presets, once loaded */
BalisePresetCatalogue *
balise_window_get_presets (BaliseWindow *self)
{
  g_return_val_if_fail (BALISE_IS_WINDOW (self), NULL);

  return self->presets;
}
