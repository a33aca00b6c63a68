/* balise-record-dialog-discard.c: giving a record up, asked first
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-record-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-record-dialog-private.h"
#include "balise-store-drafts.h"

/* Discard throws the draft away with its answers and photos, after a
 * question that says how many photos go; Choose Another Kind asks only
 * when answers would be lost, and keeps the photos. */

static void
balise_record_dialog_discarded_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(BaliseRecordDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);

  if (!balise_store_discard_draft_finish (BALISE_STORE (object), result, &error))
    {
      g_autofree char *message = NULL;

      g_warning ("Could not discard the draft: %s", error->message);
      /* Translators: %s is the reason, from the database */
      message = g_strdup_printf (_("The record could not be discarded: %s"), error->message);
      _balise_record_dialog_show_error (self, message);
      return;
    }

  _balise_record_dialog_finish (self, NULL);
}

/* Throws the draft away, with its photos, once its writes are done, and
 * closes; a fault has none. */
void
_balise_record_dialog_discard (BaliseRecordDialog *self)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (self->draft_uuid == NULL)
    {
      _balise_record_dialog_finish (self, NULL);
      return;
    }

  /* The store runs writes in order: this one comes after any answer still
   * being written. */
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  balise_store_discard_draft_async (self->store, self->draft_uuid, NULL,
                                    balise_record_dialog_discarded_cb, g_object_ref (self));
}

static void
balise_record_dialog_discard_response_cb (BaliseRecordDialog *self,
                                          const char         *response,
                                          AdwMessageDialog   *dialog)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  if (g_strcmp0 (response, "discard") != 0)
    return;

  if (g_object_get_data (G_OBJECT (dialog), "back"))
    _balise_record_dialog_leave_form (self, NULL, NULL);
  else
    _balise_record_dialog_discard (self);
}

static gboolean
has_answers (GHashTable *values)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_autofree char *stripped = g_strstrip (g_strdup (value));

      if (stripped[0] != '\0')
        return TRUE;
    }

  return FALSE;
}

void
_balise_record_dialog_ask_discard (BaliseRecordDialog *self,
                                  gboolean            back)
{
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  guint n_photos;

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  values = balise_preset_form_get_values (self->form);
  n_photos = _balise_record_dialog_count_carried (self);

  /* Nothing answered yet (an empty field is no answer): nothing to lose,
   * nothing to ask. The photos go with the volunteer to the kind chosen
   * next. */
  if (back && !has_answers (values))
    {
      _balise_record_dialog_leave_form (self, NULL, NULL);
      return;
    }

  if (back && n_photos > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Its answers will be gone. Its photo stays with you, for the kind you choose next.",
                                         "Its answers will be gone. Its %u photos stay with you, for the kind you choose next.",
                                         n_photos), n_photos);
  else if (n_photos > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Its answers and its photo will be gone. To take back a record already filed, use Undo.",
                                         "Its answers and its %u photos will be gone. To take back a record already filed, use Undo.",
                                         n_photos), n_photos);
  else
    body = g_strdup (_("Its answers will be gone. To take back a record already filed, use Undo."));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Discard This Record?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep It"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "back", GINT_TO_POINTER (back));
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (balise_record_dialog_discard_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_balise_record_dialog_form_discard_cb (BaliseRecordDialog *self)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  if (self->form != NULL && !self->closing && !self->leaving)
    _balise_record_dialog_ask_discard (self, FALSE);
}
