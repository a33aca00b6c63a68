/* balise-record-dialog-note.c: a fault, filed as a note when its form closes
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-record-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-record-dialog-private.h"
#include "balise-store-notes.h"

/* A fault has no tags and no draft: its note is written when the dialog
 * closes, then the photos go to it (those carried from a form left first). */

static void
balise_record_dialog_note_photos_attached_cb (GObject      *object,
                                              GAsyncResult *result,
                                              gpointer      user_data)
{
  g_autoptr(BaliseRecordDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!balise_photo_strip_attach_pending_finish (BALISE_PHOTO_STRIP (object), result, &error))
    {
      /* The note is filed: closing again only closes. The strip names the
       * photo that could not be stored, and why. */
      self->closing = FALSE;
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
      _balise_record_dialog_show_error (self, _("The report is filed, but a photo could not be attached to it."));
      return;
    }

  _balise_record_dialog_finish (self, balise_preset_get_name (self->preset));
}

static void
balise_record_dialog_note_added_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(BaliseRecordDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!balise_store_add_note_finish (self->store, result, &error))
    {
      g_autofree char *message = NULL;

      g_warning ("Could not save the fault: %s", error->message);
      g_clear_pointer (&self->note, balise_note_unref);
      self->closing = FALSE;
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
      /* Translators: %s is the reason, from the database */
      message = g_strdup_printf (_("The report could not be saved: %s"), error->message);
      _balise_record_dialog_show_error (self, message);
      return;
    }

  /* Photos carried from a form left go first, then those waiting here. */
  if (self->carried_uuid != NULL)
    _balise_record_dialog_carry_to_note (self);
  else
    _balise_record_dialog_note_file_photos (self);
}

/* The note is written: the photos waiting in the strip go to it, then the
 * dialog closes. */
void
_balise_record_dialog_note_file_photos (BaliseRecordDialog *self)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));
  g_assert (self->note != NULL);

  if (self->photo_strip != NULL && balise_photo_strip_get_n_photos (self->photo_strip) > 0)
    {
      balise_photo_strip_attach_pending_async (self->photo_strip, NULL, self->note->uuid, NULL,
                                               balise_record_dialog_note_photos_attached_cb,
                                               g_object_ref (self));
      return;
    }

  _balise_record_dialog_finish (self, balise_preset_get_name (self->preset));
}

/* Writes the fault as a note; the photos follow once it is written. */
void
_balise_record_dialog_commit_note (BaliseRecordDialog *self,
                                  GHashTable         *values)
{
  g_autoptr(BaliseNote) note = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  text = balise_preset_build_note_text (self->preset, values,
                                        self->about_id != 0 ? self->about_type : BALISE_OSM_NODE,
                                        self->about_id, NULL, &error);
  if (text == NULL)
    {
      self->closing = FALSE;
      _balise_record_dialog_show_error (self, error->message);
      return;
    }

  note = balise_note_new (self->latitude, self->longitude,
                          balise_preset_get_note_category (self->preset), text);
  note->contributor = g_strdup (self->contributor);
  note->preset = g_strdup (balise_preset_get_id (self->preset));
  g_clear_pointer (&self->note, balise_note_unref);
  self->note = balise_note_ref (note);
  if (self->about_id != 0)
    {
      note->element_type = self->about_type;
      note->element_id = self->about_id;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  balise_store_add_note_async (self->store, note, NULL,
                               balise_record_dialog_note_added_cb,
                               g_object_ref (self));
}
