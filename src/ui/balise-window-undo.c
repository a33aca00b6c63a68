/* balise-window-undo.c: undo and redo over the journal
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-window-undo"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-store-journal.h"
#include "balise-window-private.h"

/* Whose history: the name in the preferences, or NULL for what was
 * recorded before anyone gave one. */
static char *
current_contributor (BaliseWindow *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "contributor-name");

  g_strstrip (name);
  return name[0] != '\0' ? g_steal_pointer (&name) : NULL;
}

void
_balise_window_undo_update (BaliseWindow *self)
{
  g_autofree char *contributor = NULL;

  g_assert (BALISE_IS_WINDOW (self));

  if (self->store == NULL)
    return;

  contributor = current_contributor (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo",
                                 !self->undo_running &&
                                 balise_store_can_undo (self->store, contributor));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo",
                                 !self->undo_running &&
                                 balise_store_can_redo (self->store, contributor));
}

/* "Bus stop “Casino”" or "Pothole": what the entry was, for the toast. */
static char *
describe_entry (BaliseEdit *entry)
{
  const char *name = entry->new_tags != NULL ? balise_tags_lookup (entry->new_tags, "name") : NULL;

  if (name == NULL && entry->base_tags != NULL)
    name = balise_tags_lookup (entry->base_tags, "name");
  if (entry->kind == BALISE_EDIT_NOTE)
    /* Translators: a fault reported as a note, with its category. */
    return g_strdup_printf (_("fault report (%s)"), entry->preset ? entry->preset : _("other"));
  if (name != NULL)
    return g_strdup_printf ("%s “%s”", balise_edit_describe (entry), name);
  return g_strdup (balise_edit_describe (entry));
}

static void
undo_toast_dismissed_cb (AdwToast     *toast,
                         BaliseWindow *self)
{
  if (self->undo_toast == toast)
    self->undo_toast = NULL;
}

/* One toast for a run of undos: its words change in place. libadwaita 1.2
 * can crash when a toast is replaced while it slides in, which quick
 * presses of Ctrl+Z would do. */
static void
show_undo_toast (BaliseWindow *self,
                 const char   *title,
                 gboolean      offer_redo)
{
  if (self->undo_toast != NULL)
    {
      adw_toast_set_title (self->undo_toast, title);
      return;
    }

  self->undo_toast = adw_toast_new (title);
  if (offer_redo)
    {
      adw_toast_set_button_label (self->undo_toast, _("_Redo"));
      adw_toast_set_action_name (self->undo_toast, "win.redo");
    }
  g_signal_connect_object (self->undo_toast, "dismissed",
                           G_CALLBACK (undo_toast_dismissed_cb), self, 0);
  balise_window_add_toast (self, self->undo_toast);
}

static void
undo_redo_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BaliseWindow) self = user_data;
  g_autoptr(BaliseEdit) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;
  g_autofree char *title = NULL;
  const char *problem = NULL;

  self->undo_running = FALSE;
  entry = balise_store_undo_redo_finish (BALISE_STORE (source), result, &error);
  _balise_window_undo_update (self);

  if (entry == NULL)
    {
      if (g_error_matches (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_UPLOADED))
        problem = _("Already on the server: it cannot be undone here");
      else if (g_error_matches (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND))
        problem = _("Nothing to undo");
      else
        {
          g_warning ("Undo failed: %s", error->message);
          problem = _("Could not undo");
        }
      show_undo_toast (self, problem, FALSE);
      return;
    }

  what = describe_entry (entry);
  if (entry->status == BALISE_EDIT_STATUS_UNDONE)
    /* Translators: %s is what was taken back, e.g. "new bus stop “Casino”". */
    title = g_strdup_printf (_("Undone: %s"), what);
  else
    /* Translators: %s is what was restored. */
    title = g_strdup_printf (_("Redone: %s"), what);
  show_undo_toast (self, title, entry->status == BALISE_EDIT_STATUS_UNDONE);
}

static void
undo_redo (BaliseWindow *self,
           gboolean      redo)
{
  g_autofree char *contributor = current_contributor (self);

  if (self->undo_running)
    return;
  self->undo_running = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo", FALSE);

  if (redo)
    balise_store_redo_async (self->store, contributor, NULL, undo_redo_done_cb, g_object_ref (self));
  else
    balise_store_undo_async (self->store, contributor, NULL, undo_redo_done_cb, g_object_ref (self));
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  undo_redo (BALISE_WINDOW (widget), FALSE);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  undo_redo (BALISE_WINDOW (widget), TRUE);
}

void
_balise_window_class_undo_init (BaliseWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.redo", NULL);
}
