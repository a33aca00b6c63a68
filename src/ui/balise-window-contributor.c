/* balise-window-contributor.c: who is recording
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-window-contributor"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-store-contributors.h"
#include "balise-window-private.h"

/* A suggestion for the name: the profile used last on this database, or
 * the person's name on this computer. */
static char *
suggest_name (BaliseWindow *self)
{
  g_auto(GStrv) profiles = balise_store_list_contributors (self->store, NULL);
  const char *real_name = g_get_real_name ();

  if (profiles != NULL && profiles[0] != NULL && profiles[1] == NULL)
    return g_strdup (profiles[0]);
  if (real_name != NULL && !g_str_equal (real_name, "Unknown"))
    return g_strdup (real_name);
  return g_strdup ("");
}

static void
entry_changed_cb (GtkEditable      *entry,
                  AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "continue", name[0] != '\0');
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             BaliseWindow     *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "continue") || name[0] == '\0')
    return;

  if (!balise_store_add_contributor (self->store, name, &error) &&
      !g_error_matches (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_EXISTS))
    {
      g_autofree char *message = g_strdup_printf (_("That name cannot be used: %s"), error->message);

      balise_window_add_toast (self, adw_toast_new (message));
      return;
    }
  g_settings_set_string (self->settings, "contributor-name", name);
}

/**
 * balise_window_ask_contributor:
 *
 * Asks who is recording, as the first run does: every edit and fault
 * carries that name. Returns the dialog, already presented.
 */
GtkWidget *
balise_window_ask_contributor (BaliseWindow *self)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  g_autofree char *suggestion = NULL;

  g_return_val_if_fail (BALISE_IS_WINDOW (self), NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Who Is Recording?"),
                                                       _("Your name goes with every bus stop and fault "
                                                         "you record, so that your association can "
                                                         "credit you. Several people can share this "
                                                         "device: each has a name of their own.")));
  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_max_length (GTK_ENTRY (entry), 255);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_NAME);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Your name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Your name"),
                                  -1);
  suggestion = suggest_name (self);
  gtk_editable_set_text (GTK_EDITABLE (entry), suggestion);
  adw_message_dialog_set_extra_child (dialog, entry);

  adw_message_dialog_add_responses (dialog,
                                    "later", _("_Not Now"),
                                    "continue", _("_Continue"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "continue", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "continue");
  adw_message_dialog_set_close_response (dialog, "later");
  entry_changed_cb (GTK_EDITABLE (entry), dialog);

  g_signal_connect (entry, "changed", G_CALLBACK (entry_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}
