/* balise-record-dialog-photos.c: photos that follow the volunteer from a
 * form left for another one
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-record-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-record-dialog-private.h"
#include "balise-store-drafts.h"
#include "balise-store-photos.h"

/* A volunteer who attached photos and then goes for another kind (Choose
 * Another Kind) or for the element already there (Edit It Instead) keeps
 * them. The draft left is not discarded: it holds the photos (carried_uuid)
 * until the next record is in the journal, then one transaction moves them
 * there and discards it. Photos chosen but not stored yet go along as files.
 * A crash in between loses nothing: the draft left is filed at the next
 * start, as any draft is. Only the volunteer throws them away, when asked. */

guint
_balise_record_dialog_count_carried (BaliseRecordDialog *self)
{
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  /* A form shows them all, carried or its own. */
  if (self->photo_strip != NULL)
    return balise_photo_strip_get_n_photos (self->photo_strip);

  if (self->carried_uuid != NULL)
    {
      photos = balise_store_list_photos (self->store, self->carried_uuid, NULL, &error);
      if (photos != NULL)
        n += photos->len;
      else
        {
          /* Unsure: count one, so that the volunteer is asked. */
          g_warning ("Could not count the photos carried: %s", error->message);
          n++;
        }
    }
  if (self->carried_files != NULL)
    n += g_list_model_get_n_items (G_LIST_MODEL (self->carried_files));

  return n;
}

static void
photos_attached_cb (GObject      *object,
                                         GAsyncResult *result,
                                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A refused photo is said in the strip, with its file's name. */
  if (!balise_photo_strip_attach_pending_finish (BALISE_PHOTO_STRIP (object), result, &error))
    g_debug ("Not every photo was attached: %s", error->message);
}

/* The photos on their way are stored: what waited for them goes on. */
void
_balise_record_dialog_photos_settled (BaliseRecordDialog *self)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  if (self->leaving)
    {
      _balise_record_dialog_leave_settled (self);
    }
  else if (self->attach_wait)
    {
      self->attach_wait = FALSE;
      _balise_record_dialog_file_draft_photos (self);
    }
  else if (self->photos_wait && self->closing)
    {
      /* Filing waited for them. */
      self->photos_wait = FALSE;
      _balise_record_dialog_commit (self);
    }
}

/* The draft is written: the photos chosen while it was, and those carried
 * from a form left, go to it. Those chosen later go at once. */
void
_balise_record_dialog_file_draft_photos (BaliseRecordDialog *self)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  if (self->photo_strip == NULL || self->draft_uuid == NULL)
    return;

  if (balise_photo_strip_get_busy (self->photo_strip))
    {
      self->attach_wait = TRUE;
      return;
    }

  if (self->carried_uuid != NULL)
    _balise_record_dialog_carry_to_draft (self);
  else
    balise_photo_strip_attach_pending_async (self->photo_strip, self->draft_uuid, NULL, NULL,
                                             photos_attached_cb, NULL);
}

static void
carried_files_added_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A refused photo is said in the strip, with its file's name. */
  if (!balise_photo_strip_add_files_finish (BALISE_PHOTO_STRIP (object), result, &error))
    g_debug ("Not every photo carried was taken: %s", error->message);
}

/* A new form: its strip shows the photos carried and adds to them. */
void
_balise_record_dialog_carry_to_strip (BaliseRecordDialog *self)
{
  g_autoptr(GListStore) files = NULL;

  g_assert (BALISE_IS_RECORD_DIALOG (self));
  g_assert (self->photo_strip != NULL);

  if (self->carried_uuid != NULL)
    balise_photo_strip_set_target (self->photo_strip, self->carried_uuid, NULL);

  files = g_steal_pointer (&self->carried_files);
  if (files != NULL && g_list_model_get_n_items (G_LIST_MODEL (files)) > 0)
    balise_photo_strip_add_files_async (self->photo_strip, G_LIST_MODEL (files), NULL,
                                        carried_files_added_cb, NULL);
}

static char *
describe_record (BaliseRecordDialog *self)
{
  const char *kind = balise_preset_get_name (self->preset);

  if (self->editing != NULL && self->editing->name != NULL)
    /* Translators: a kind of place, like “Bus Stop”, then its name */
    return g_strdup_printf (_("%s “%s”"), kind, self->editing->name);
  return g_strdup (kind);
}

static void
moved_to_draft_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BaliseRecordDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_moved = 0;

  self->moving = FALSE;

  if (!balise_store_move_photo_links_finish (BALISE_STORE (object), result, &n_moved, &error))
    {
      g_autofree char *message = NULL;

      g_warning ("Could not move the photos of %s: %s", self->carried_uuid, error->message);
      if (self->finished)
        return;
      /* They stay with the draft left, which is filed at the next start. */
      /* Translators: %s is the reason, from the database */
      message = g_strdup_printf (_("The photos could not be moved to this record, and stay with the one "
                                   "you left: %s"), error->message);
      _balise_record_dialog_show_error (self, message);
    }
  else
    {
      g_clear_pointer (&self->carried_uuid, g_free);
      if (self->finished)
        return;
      if (self->photo_strip != NULL)
        balise_photo_strip_set_target (self->photo_strip, self->draft_uuid, NULL);
      if (n_moved > 0)
        {
          g_autofree char *what = describe_record (self);
          g_autofree char *message = NULL;

          /* Translators: %u is a number of photos, %s a record, like “Bus Stop “Place d'Armes”” */
          message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo moved to %s",
                                                  "%u photos moved to %s", n_moved),
                                     n_moved, what);
          _balise_record_dialog_show_toast (self, message);
        }
    }

  if (self->photo_strip != NULL)
    balise_photo_strip_set_editable (self->photo_strip, TRUE);

  if (self->leaving)
    _balise_record_dialog_leave_settled (self);
  else if (self->closing)
    _balise_record_dialog_commit (self);
}

/* The new draft is written and no photo is on its way: the carried ones
 * move to it, and the draft left goes, in one transaction. */
void
_balise_record_dialog_carry_to_draft (BaliseRecordDialog *self)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));
  g_assert (self->carried_uuid != NULL);
  g_assert (self->draft_uuid != NULL);

  self->moving = TRUE;
  /* Nothing may be added to the draft left while its photos move. */
  if (self->photo_strip != NULL)
    balise_photo_strip_set_editable (self->photo_strip, FALSE);
  balise_store_move_photo_links_async (self->store, self->carried_uuid, self->draft_uuid, NULL, TRUE,
                                       NULL, moved_to_draft_cb, g_object_ref (self));
}

static void
moved_to_note_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BaliseRecordDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->moving = FALSE;

  if (!balise_store_move_photo_links_finish (BALISE_STORE (object), result, NULL, &error))
    {
      g_autofree char *message = NULL;

      g_warning ("Could not move the photos of %s: %s", self->carried_uuid, error->message);
      if (self->finished)
        return;
      /* The note is filed; closing again only closes. The photos stay with
       * the draft left, filed at the next start. */
      self->closing = FALSE;
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
      /* Translators: %s is the reason, from the database */
      message = g_strdup_printf (_("The report is filed, but the photos of the record you left could not "
                                   "be moved to it: %s"), error->message);
      _balise_record_dialog_show_error (self, message);
      return;
    }

  g_clear_pointer (&self->carried_uuid, g_free);
  if (!self->finished)
    _balise_record_dialog_note_file_photos (self);
}

/* The fault is written: the carried photos go to its note. */
void
_balise_record_dialog_carry_to_note (BaliseRecordDialog *self)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));
  g_assert (self->carried_uuid != NULL);
  g_assert (self->note != NULL && self->note->uuid != NULL);

  self->moving = TRUE;
  balise_store_move_photo_links_async (self->store, self->carried_uuid, NULL, self->note->uuid, TRUE,
                                       NULL, moved_to_note_cb, g_object_ref (self));
}

/*
 * Leaving a form for another
 */

static void
leave_done (BaliseRecordDialog *self)
{
  g_autoptr(BaliseFeature) then = g_steal_pointer (&self->leave_then);
  g_autoptr(GHashTable) values = g_steal_pointer (&self->leave_values);
  guint n_photos;

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  self->leaving = FALSE;
  self->attach_wait = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  _balise_record_dialog_go_back (self);

  if (then != NULL)
    {
      BalisePreset *preset = balise_preset_catalogue_match_tags (self->catalogue, then->tags);
      g_autoptr(BalisePreset) current = g_object_ref (self->preset);

      _balise_record_dialog_show_form (self, preset ? preset : current, then, values);
      return;
    }

  if ((n_photos = _balise_record_dialog_count_carried (self)) > 0)
    {
      g_autofree char *message = NULL;

      /* Translators: %u is a number of photos */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo kept for the record you choose next",
                                              "%u photos kept for the record you choose next", n_photos),
                                 n_photos);
      _balise_record_dialog_show_toast (self, message);
    }
}

static void
left_draft_discarded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(BaliseRecordDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Not discarded, it is filed at the next start: nothing is lost. */
  if (!balise_store_discard_draft_finish (BALISE_STORE (object), result, &error))
    g_warning ("Could not discard the draft left: %s", error->message);

  if (!self->finished)
    leave_done (self);
}

/* Runs once nothing is on its way: the draft being written, photos being
 * stored or moved. Called again by each of them while leaving. */
void
_balise_record_dialog_leave_settled (BaliseRecordDialog *self)
{
  g_autoptr(GListModel) pending = NULL;
  g_autofree char *draft_uuid = NULL;
  guint n_stored = 0;

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  if (!self->leaving || self->creating || self->moving ||
      (self->photo_strip != NULL && balise_photo_strip_get_busy (self->photo_strip)))
    return;

  /* Chosen, not stored: they go along as files. */
  if (self->photo_strip != NULL)
    {
      pending = balise_photo_strip_get_pending_files (self->photo_strip);
      n_stored = balise_photo_strip_get_n_photos (self->photo_strip) - g_list_model_get_n_items (pending);
      for (guint i = 0; i < g_list_model_get_n_items (pending); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (pending, i);

          if (self->carried_files == NULL)
            self->carried_files = g_list_store_new (G_TYPE_FILE);
          g_list_store_append (self->carried_files, file);
        }
    }

  draft_uuid = g_steal_pointer (&self->draft_uuid);

  if (draft_uuid != NULL && self->carried_uuid == NULL && n_stored > 0)
    {
      /* The draft left holds its photos until the next record is written. */
      self->carried_uuid = g_steal_pointer (&draft_uuid);
      leave_done (self);
    }
  else if (draft_uuid != NULL)
    {
      /* Nothing of the volunteer's in it but answers they gave up. */
      balise_store_discard_draft_async (self->store, draft_uuid, NULL,
                                        left_draft_discarded_cb, g_object_ref (self));
    }
  else
    {
      leave_done (self);
    }
}

/**
 * _balise_record_dialog_leave_form:
 * @self: a #BaliseRecordDialog
 * @then_edit: (nullable): the element whose form opens next, or %NULL for
 *   the chooser
 * @values: (nullable): the answers @then_edit's form starts from
 *
 * Leaves the form for another, once what is on its way is stored; the
 * photos go along.
 */
void
_balise_record_dialog_leave_form (BaliseRecordDialog *self,
                                  BaliseFeature      *then_edit,
                                  GHashTable         *values)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  if (self->leaving)
    return;

  g_clear_handle_id (&self->save_source, g_source_remove);
  self->leaving = TRUE;
  self->leave_then = then_edit ? balise_feature_ref (then_edit) : NULL;
  self->leave_values = values ? g_hash_table_ref (values) : NULL;
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);

  _balise_record_dialog_leave_settled (self);
}

/*
 * Giving them up
 */

static void
carried_dropped_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!balise_store_discard_draft_finish (BALISE_STORE (object), result, &error))
    g_warning ("Could not discard the draft left: %s", error->message);
}

/* The volunteer gave them up (asked first): the draft left goes, with them. */
void
_balise_record_dialog_drop_carried (BaliseRecordDialog *self)
{
  g_autofree char *uuid = g_steal_pointer (&self->carried_uuid);

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  g_clear_object (&self->carried_files);
  if (uuid != NULL && self->store != NULL)
    balise_store_discard_draft_async (self->store, uuid, NULL, carried_dropped_cb, NULL);
}

static void
dropped_then_close_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(BaliseRecordDialog) self = user_data;

  carried_dropped_cb (object, result, NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
drop_response_cb (BaliseRecordDialog *self,
                  const char         *response,
                  AdwMessageDialog   *dialog)
{
  g_autofree char *uuid = NULL;

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  if (g_strcmp0 (response, "discard") != 0)
    return;

  /* Closed once the draft left is gone, not while the question answers. */
  uuid = g_steal_pointer (&self->carried_uuid);
  g_clear_object (&self->carried_files);
  if (uuid == NULL)
    {
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  balise_store_discard_draft_async (self->store, uuid, NULL, dropped_then_close_cb, g_object_ref (self));
}

/* Closing with photos carried and no form to take them: ask first. */
void
_balise_record_dialog_ask_drop_carried (BaliseRecordDialog *self)
{
  g_autofree char *title = NULL;
  GtkWidget *dialog;
  guint n_photos;

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  n_photos = _balise_record_dialog_count_carried (self);
  /* Translators: %u is a number of photos */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Discard %u Photo?", "Discard %u Photos?", n_photos),
                           n_photos);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), title,
                                   _("They were taken for the record you left, and go with the kind you "
                                     "choose next."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Choosing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (drop_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}
