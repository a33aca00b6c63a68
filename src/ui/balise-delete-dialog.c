/* balise-delete-dialog.c: asks why a feature is to be deleted
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-delete-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-delete-dialog.h"

/* A delete is the one edit a reviewer cannot judge from the tags: the
 * reason goes with it to the review and into the changeset. It is
 * required; Delete stays disabled until one is written. Cancel is the
 * default, so Enter on an empty reason never deletes. */

struct _BaliseDeleteDialog
{
  AdwMessageDialog  parent_instance;

  GtkEntry         *entry;
};

G_DEFINE_FINAL_TYPE (BaliseDeleteDialog, balise_delete_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
entry_changed_cb (BaliseDeleteDialog *self)
{
  g_autofree char *reason = balise_delete_dialog_get_reason (self);
  gboolean has_reason = reason[0] != '\0';

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "delete", has_reason);
  /* With a reason, Enter deletes; without one, it cancels. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self),
                                           has_reason ? "delete" : "cancel");
}

static void
balise_delete_dialog_class_init (BaliseDeleteDialogClass *klass)
{
}

static void
balise_delete_dialog_init (BaliseDeleteDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "delete", FALSE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_activates_default (self->entry, TRUE);
  gtk_entry_set_max_length (self->entry, 255);
  gtk_entry_set_placeholder_text (self->entry, _("For example: removed, the stop moved across the street"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for Deleting"),
                                  GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE,
                                  -1);
  g_signal_connect_object (self->entry, "changed", G_CALLBACK (entry_changed_cb), self,
                           G_CONNECT_SWAPPED);
  adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (self->entry));
}

/**
 * balise_delete_dialog_new:
 * @parent: the window the dialog is modal for
 * @what: what is deleted, in words
 *
 * Returns: (transfer none): a new dialog, owned by GTK's list of toplevels
 */
GtkWidget *
balise_delete_dialog_new (GtkWindow  *parent,
                          const char *what)
{
  BaliseDeleteDialog *self;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (what != NULL, NULL);

  /* Translators: %s is what is deleted, like “Bus Stop “Casino”” */
  heading = g_strdup_printf (_("Delete %s?"), what);
  self = g_object_new (BALISE_TYPE_DELETE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "heading", heading,
                       "body", _("Say why it is gone, for the reviewer and the map's other mappers. "
                                 "Until it is uploaded, Undo brings it back."),
                       NULL);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->entry));

  return GTK_WIDGET (self);
}

/* Returns: (transfer full): the reason written, stripped; "" when none */
char *
balise_delete_dialog_get_reason (BaliseDeleteDialog *self)
{
  g_return_val_if_fail (BALISE_IS_DELETE_DIALOG (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
}

GtkWidget *
balise_delete_dialog_get_entry (BaliseDeleteDialog *self)
{
  g_return_val_if_fail (BALISE_IS_DELETE_DIALOG (self), NULL);

  return GTK_WIDGET (self->entry);
}
