/* balise-record-dialog.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-record-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-category.h"
#include "balise-edit.h"
#include "balise-note.h"
#include "balise-photo-strip.h"
#include "balise-preset-chooser.h"
#include "balise-preset-form.h"
#include "balise-record-dialog-private.h"
#include "balise-store-photos.h"
#include "balise-store-drafts.h"
#include "balise-store-notes.h"
#include "balise-store-query.h"

/* Recording, start to end: what is it (the chooser), is it already there
 * (balise-duplicate-check.c), then its form.
 *
 * An element is in the journal from the moment its form opens: a draft edit
 * at the dialog's position with the preset's tags. Every answer is written
 * into that draft — a tap at once, typing after a pause — so a crash or a
 * flat battery loses nothing. Closing the dialog, whichever way (Done,
 * Escape, the window's close button), commits the draft: it becomes pending.
 * Only "Discard" throws it away. An answer that breaks a rule is shown under
 * its field and keeps the dialog open; the draft keeps the last right answers.
 *
 * A fault has no tags: it is written as a note when the dialog closes.
 *
 * Photos go under the questions. An element's are linked to its draft as
 * soon as they are chosen, so they are filed with it, and discarded with it
 * (the question says how many); a fault's wait in the strip, checked, and are
 * linked to its note once the note is written. A volunteer who leaves a form
 * for another one (Choose Another Kind, Edit It Instead) keeps the photos:
 * they go to the next record (balise-record-dialog-photos.c). */

#define TYPING_PAUSE_MS    500
#define MAX_RECENT         8

G_DEFINE_FINAL_TYPE (BaliseRecordDialog, balise_record_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CATALOGUE,
  PROP_LATITUDE,
  PROP_LONGITUDE,
  PROP_CONTRIBUTOR,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void balise_record_dialog_save            (BaliseRecordDialog *self);

void
_balise_record_dialog_show_error (BaliseRecordDialog *self,
                                  const char         *message)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

void
_balise_record_dialog_show_toast (BaliseRecordDialog *self,
                                  const char         *message)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

void
_balise_record_dialog_finish (BaliseRecordDialog *self,
                              const char         *saved_what)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  self->finished = TRUE;

  /* Given up: the photos carried for it go with it (the volunteer was
   * asked). */
  if (saved_what == NULL)
    _balise_record_dialog_drop_carried (self);

  if (saved_what != NULL)
    g_signal_emit (self, signals[SAVED], 0, saved_what);

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
remember_preset (BaliseRecordDialog *self,
                 BalisePreset       *preset)
{
  g_auto(GStrv) recent = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  if (self->settings == NULL)
    return;

  recent = g_settings_get_strv (self->settings, "recent-presets");
  g_strv_builder_add (builder, balise_preset_get_id (preset));

  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT; i++)
    {
      if (g_str_equal (recent[i], balise_preset_get_id (preset)))
        continue;
      g_strv_builder_add (builder, recent[i]);
      n++;
    }

  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-presets", (const char * const *) updated);
}

/* The tags the form's answers make now, or %NULL when an answer is wrong
 * (shown under its field). */
static BaliseTags *
build_tags (BaliseRecordDialog  *self,
            GError             **error)
{
  g_autoptr(GHashTable) values = balise_preset_form_get_values (self->form);
  g_autoptr(BaliseTags) tags = balise_tags_copy (self->base_tags);

  if (!balise_preset_form_check (self->form, error) ||
      !balise_preset_apply_values (self->preset, tags, values, error))
    return NULL;

  return g_steal_pointer (&tags);
}

static void
balise_record_dialog_save_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(BaliseRecordDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;

  if (!balise_store_save_draft_finish (self->store, result, &error))
    {
      g_autofree char *message = NULL;

      g_warning ("Could not save the draft %s: %s", self->draft_uuid, error->message);
      /* Translators: %s is the reason, from the database */
      message = g_strdup_printf (_("The last answer could not be saved: %s"), error->message);
      _balise_record_dialog_show_error (self, message);
      self->closing = FALSE;
      return;
    }

  if (self->dirty)
    balise_record_dialog_save (self);
  else if (self->closing)
    _balise_record_dialog_commit (self);
}

/* Writes the answers into the draft, one write at a time. */
static void
balise_record_dialog_save (BaliseRecordDialog *self)
{
  g_autoptr(BaliseTags) tags = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (self->form == NULL || balise_preset_get_kind (self->preset) != BALISE_PRESET_ELEMENT)
    return;

  /* The same name or ref close by: said over the form as the answers come. */
  {
    g_autoptr(GHashTable) values = balise_preset_form_get_values (self->form);

    balise_duplicate_check_update (self->duplicate_check, values, self->editing);
  }

  if (self->creating || self->writing || self->draft_uuid == NULL)
    {
      self->dirty = TRUE;
      return;
    }

  self->dirty = FALSE;

  if (!(tags = build_tags (self, &error)))
    {
      /* Shown under the field; the draft keeps the last right answers. */
      g_debug ("Not saving the draft: %s", error->message);
      return;
    }

  _balise_record_dialog_show_error (self, NULL);
  self->writing = TRUE;
  balise_store_save_draft_async (self->store, self->draft_uuid, tags,
                                 balise_preset_get_id (self->preset), FALSE,
                                 self->cancellable,
                                 balise_record_dialog_save_cb,
                                 g_object_ref (self));
}

static gboolean
balise_record_dialog_typing_paused_cb (gpointer user_data)
{
  BaliseRecordDialog *self = user_data;

  self->save_source = 0;
  balise_record_dialog_save (self);

  return G_SOURCE_REMOVE;
}

static void
balise_record_dialog_form_changed_cb (BaliseRecordDialog *self,
                                      gboolean            immediate,
                                      BalisePresetForm   *form)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  if (immediate)
    {
      balise_record_dialog_save (self);
      return;
    }

  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (TYPING_PAUSE_MS, balise_record_dialog_typing_paused_cb, self);
}

static void
balise_record_dialog_photo_strip_busy_cb (BaliseRecordDialog *self)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  if (!self->finished && self->photo_strip != NULL && !balise_photo_strip_get_busy (self->photo_strip))
    _balise_record_dialog_photos_settled (self);
}

static void
balise_record_dialog_draft_created_cb (GObject      *object,
                                       GAsyncResult *result,
                                       gpointer      user_data)
{
  g_autoptr(BaliseRecordDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->creating = FALSE;

  if (!balise_store_add_edit_finish (self->store, result, &error))
    {
      g_autofree char *message = NULL;

      g_warning ("Could not start the record: %s", error->message);
      g_clear_pointer (&self->draft_uuid, g_free);
      /* Translators: %s is the reason, from the database */
      message = g_strdup_printf (_("The record could not be started: %s"), error->message);
      _balise_record_dialog_show_error (self, message);
      self->closing = FALSE;
      if (self->leaving)
        _balise_record_dialog_leave_settled (self);
      return;
    }

  /* Left before it was written: leaving goes on. */
  if (self->leaving)
    {
      _balise_record_dialog_leave_settled (self);
      return;
    }

  _balise_record_dialog_file_draft_photos (self);

  /* Answers given while the draft was being written. */
  if (self->dirty || self->closing)
    balise_record_dialog_save (self);
  if (self->closing && !self->writing)
    _balise_record_dialog_commit (self);
}

static void
balise_record_dialog_start_draft (BaliseRecordDialog *self)
{
  g_autoptr(BaliseEdit) edit = NULL;

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  if (self->editing != NULL)
    {
      edit = balise_edit_new (BALISE_EDIT_MODIFY);
      edit->osm_type = self->editing->osm_type;
      edit->osm_id = self->editing->osm_id;
      edit->base_version = self->editing->version;
      edit->base_tags = balise_tags_copy (self->base_tags);
      edit->lat = self->editing->lat;
      edit->lon = self->editing->lon;
    }
  else
    {
      edit = balise_edit_new (BALISE_EDIT_CREATE);
      edit->osm_type = BALISE_OSM_NODE;
      edit->lat = self->latitude;
      edit->lon = self->longitude;
    }

  edit->uuid = g_uuid_string_random ();
  edit->status = BALISE_EDIT_STATUS_DRAFT;
  edit->contributor = g_strdup (self->contributor);
  edit->new_tags = balise_tags_copy (self->base_tags);
  balise_preset_apply_values (self->preset, edit->new_tags, NULL, NULL);

  self->draft_uuid = g_strdup (edit->uuid);
  self->creating = TRUE;
  /* The preset goes in with the first save, which the draft needs anyway. */
  self->dirty = TRUE;

  balise_store_add_edit_async (self->store, edit, self->cancellable,
                               balise_record_dialog_draft_created_cb,
                               g_object_ref (self));
}

void
_balise_record_dialog_show_form (BaliseRecordDialog *self,
                                BalisePreset       *preset,
                                BaliseFeature      *existing,
                                GHashTable         *carried)
{
  g_autoptr(GHashTable) values = NULL;
  GtkWidget *form;

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  g_set_object (&self->preset, preset);
  g_clear_pointer (&self->editing, balise_feature_unref);
  g_clear_pointer (&self->base_tags, balise_tags_unref);

  if (existing != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      self->editing = balise_feature_ref (existing);
      self->base_tags = balise_tags_copy (existing->tags);
      values = balise_preset_values_from_tags (preset, existing->tags);

      /* What the volunteer already answered wins over the map's data. */
      if (carried != NULL)
        {
          g_hash_table_iter_init (&iter, carried);
          while (g_hash_table_iter_next (&iter, &key, &value))
            g_hash_table_insert (values, g_strdup (key), g_strdup (value));
        }
    }
  else
    {
      self->base_tags = balise_tags_new ();
    }

  form = balise_preset_form_new (preset, values);
  self->form = BALISE_PRESET_FORM (form);
  adw_bin_set_child (self->form_bin, form);

  self->photo_strip = BALISE_PHOTO_STRIP (balise_photo_strip_new (self->store));
  balise_preset_form_set_extra (self->form, _("Photos"), GTK_WIDGET (self->photo_strip));
  g_signal_connect_object (self->photo_strip, "notify::busy",
                           G_CALLBACK (balise_record_dialog_photo_strip_busy_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (form, "changed",
                           G_CALLBACK (balise_record_dialog_form_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (form, "discard",
                           G_CALLBACK (_balise_record_dialog_form_discard_cb),
                           self, G_CONNECT_SWAPPED);
  /* Photos carried from a form left are shown, and go on from here. */
  _balise_record_dialog_carry_to_strip (self);

  adw_window_title_set_title (self->window_title, balise_preset_get_name (preset));
  if (existing != NULL)
    adw_window_title_set_subtitle (self->window_title,
                                   existing->name ? existing->name : _("Editing what is on the map"));

  gtk_stack_set_visible_child_name (self->stack, "form");
  gtk_widget_set_visible (GTK_WIDGET (self->done_button), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->done_button));
  gtk_widget_grab_focus (form);

  if (balise_preset_get_kind (preset) == BALISE_PRESET_ELEMENT)
    balise_record_dialog_start_draft (self);
}

static void
balise_record_dialog_preset_activated_cb (BaliseRecordDialog *self,
                                          BalisePreset       *preset,
                                          BalisePresetChooser *chooser)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  g_assert (BALISE_IS_RECORD_DIALOG (self));
  g_assert (BALISE_IS_PRESET (preset));

  remember_preset (self, preset);
  g_clear_pointer (&self->duplicate, balise_feature_unref);

  self->duplicate = balise_duplicate_check_find_same_kind (self->store, self->latitude, self->longitude,
                                                           preset, &error);
  if (error != NULL)
    g_warning ("Could not look for duplicates: %s", error->message);

  if (self->duplicate == NULL)
    {
      _balise_record_dialog_show_form (self, preset, NULL, NULL);
      return;
    }

  /* The same kind within a few steps: most likely the same thing. */
  g_set_object (&self->preset, preset);

  if (self->duplicate->name != NULL)
    /* Translators: the first %s is a kind of place, like “Bus Stop”, then its name and a distance */
    description = g_strdup_printf (_("A %s, “%s”, is %.0f m from here. Is it the one you see?"),
                                   balise_preset_get_name (preset), self->duplicate->name,
                                   self->duplicate->distance);
  else
    /* Translators: %s is a kind of place, like “Bus Stop”, then a distance */
    description = g_strdup_printf (_("A %s is %.0f m from here. Is it the one you see?"),
                                   balise_preset_get_name (preset), self->duplicate->distance);

  adw_status_page_set_description (self->duplicate_page, description);
  /* A point recorded here and not uploaded yet has no version to edit. */
  gtk_widget_set_visible (GTK_WIDGET (self->edit_existing_button), self->duplicate->osm_id > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), TRUE);
  adw_window_title_set_title (self->window_title, balise_preset_get_name (preset));
  gtk_stack_set_visible_child_name (self->stack, "duplicate");
  gtk_widget_grab_focus (GTK_WIDGET (self->duplicate->osm_id > 0 ? self->edit_existing_button
                                                                  : self->record_new_button));
}

static void
balise_record_dialog_edit_existing_clicked_cb (BaliseRecordDialog *self)
{
  BalisePreset *preset;

  g_assert (BALISE_IS_RECORD_DIALOG (self));
  g_assert (self->duplicate != NULL);

  preset = balise_preset_catalogue_match_tags (self->catalogue, self->duplicate->tags);
  _balise_record_dialog_show_form (self, preset ? preset : self->preset, self->duplicate, NULL);
}

static void
balise_record_dialog_record_new_clicked_cb (BaliseRecordDialog *self)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  _balise_record_dialog_show_form (self, self->preset, NULL, NULL);
}

void
_balise_record_dialog_go_back (BaliseRecordDialog *self)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_pointer (&self->draft_uuid, g_free);
  g_clear_pointer (&self->editing, balise_feature_unref);
  self->dirty = FALSE;
  self->form = NULL;
  self->photo_strip = NULL;
  adw_bin_set_child (self->form_bin, NULL);

  adw_window_title_set_title (self->window_title, _("What Is It?"));
  adw_window_title_set_subtitle (self->window_title, NULL);
  balise_duplicate_check_clear (self->duplicate_check);
  _balise_record_dialog_show_error (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->done_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), TRUE);
  gtk_stack_set_visible_child_name (self->stack, "chooser");
  gtk_widget_grab_focus (GTK_WIDGET (self->chooser));
}

static void
balise_record_dialog_back_clicked_cb (BaliseRecordDialog *self)
{
  g_assert (BALISE_IS_RECORD_DIALOG (self));

  if (self->closing || self->leaving)
    return;

  if (self->form != NULL)
    _balise_record_dialog_ask_discard (self, TRUE);
  else
    _balise_record_dialog_go_back (self);
}

static void
balise_record_dialog_edit_nearby_clicked_cb (BaliseRecordDialog *self)
{
  g_autoptr(GHashTable) carried = NULL;
  g_autoptr(BaliseFeature) nearby = NULL;

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  if (!balise_duplicate_check_get_found (self->duplicate_check) || self->form == NULL ||
      self->closing || self->leaving)
    return;

  /* Carry the answers, and the photos, over to the element that is already
   * there. */
  carried = balise_preset_form_get_values (self->form);
  nearby = balise_feature_ref (balise_duplicate_check_get_found (self->duplicate_check));
  balise_duplicate_check_clear (self->duplicate_check);
  _balise_record_dialog_leave_form (self, nearby, carried);
}

static void
balise_record_dialog_committed_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(BaliseRecordDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;

  if (!balise_store_save_draft_finish (self->store, result, &error))
    {
      g_autofree char *message = NULL;

      g_warning ("Could not file the record %s: %s", self->draft_uuid, error->message);
      self->closing = FALSE;
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
      /* Translators: %s is the reason, from the database */
      message = g_strdup_printf (_("The record could not be filed: %s"), error->message);
      _balise_record_dialog_show_error (self, message);
      return;
    }

  _balise_record_dialog_finish (self, balise_preset_get_name (self->preset));
}


/* Files the record: waits for the draft and its writes, then makes it
 * pending in one write. Wrong answers keep the dialog open. */
void
_balise_record_dialog_commit (BaliseRecordDialog *self)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(BaliseTags) tags = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (BALISE_IS_RECORD_DIALOG (self));

  g_clear_handle_id (&self->save_source, g_source_remove);
  self->closing = TRUE;

  /* A fault already written whose photo was refused: nothing more to file. */
  if (self->note != NULL && self->note->uuid != NULL)
    {
      _balise_record_dialog_finish (self, balise_preset_get_name (self->preset));
      return;
    }

  /* Photos on their way: this runs again once they are stored. */
  if (self->photo_strip != NULL && balise_photo_strip_get_busy (self->photo_strip))
    {
      self->photos_wait = TRUE;
      return;
    }

  /* Photos carried from a form left, still going to the draft: this runs
   * again once they are there. */
  if (self->moving || self->attach_wait)
    {
      self->photos_wait = TRUE;
      return;
    }

  values = balise_preset_form_get_values (self->form);

  if (!balise_preset_form_check (self->form, &error))
    {
      self->closing = FALSE;
      _balise_record_dialog_show_error (self, error->message);
      return;
    }

  if (balise_preset_get_kind (self->preset) == BALISE_PRESET_NOTE)
    {
      _balise_record_dialog_commit_note (self, values);
      return;
    }

  /* The draft or an answer is still on its way: this runs again after. */
  if (self->creating || self->writing)
    return;

  if (self->draft_uuid == NULL || !(tags = build_tags (self, &error)))
    {
      self->closing = FALSE;
      _balise_record_dialog_show_error (self, error ? error->message : _("The record could not be started"));
      return;
    }

  /* Editing what is on the map and changing nothing is no edit at all,
   * unless it has photos: they are never thrown away behind the
   * volunteer's back. Then it is filed as what it is, a check that the
   * element is there as the photos show it (check_date, as Confirm does). */
  if (self->editing != NULL && balise_tags_equal (tags, self->base_tags))
    {
      g_autoptr(GDateTime) now = NULL;
      g_autofree char *today = NULL;

      if (self->photo_strip == NULL || balise_photo_strip_get_n_photos (self->photo_strip) == 0)
        {
          _balise_record_dialog_discard (self);
          return;
        }

      now = g_date_time_new_now_local ();
      today = g_date_time_format (now, "%Y-%m-%d");
      balise_tags_set (tags, "check_date", today);
    }

  self->dirty = FALSE;
  self->writing = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  balise_store_save_draft_async (self->store, self->draft_uuid, tags,
                                 balise_preset_get_id (self->preset), TRUE,
                                 NULL,
                                 balise_record_dialog_committed_cb,
                                 g_object_ref (self));
}

static gboolean
balise_record_dialog_close_request (GtkWindow *window)
{
  BaliseRecordDialog *self = BALISE_RECORD_DIALOG (window);

  if (self->leaving)
    return TRUE;

  /* Photos carried from a form left, and no form to take them: ask. */
  if (!self->finished && self->form == NULL && _balise_record_dialog_count_carried (self) > 0)
    {
      _balise_record_dialog_ask_drop_carried (self);
      return TRUE;
    }

  if (self->finished || self->form == NULL)
    return GTK_WINDOW_CLASS (balise_record_dialog_parent_class)->close_request (window);

  /* Closing files the record; the dialog goes once it is in the journal. */
  if (!self->closing)
    _balise_record_dialog_commit (self);

  return TRUE;
}

static void
balise_record_dialog_constructed (GObject *object)
{
  BaliseRecordDialog *self = (BaliseRecordDialog *)object;
  g_autofree char *position = NULL;
  GtkWidget *chooser;

  G_OBJECT_CLASS (balise_record_dialog_parent_class)->constructed (object);

  balise_duplicate_check_set_place (self->duplicate_check, self->store, self->latitude, self->longitude);

  chooser = balise_preset_chooser_new (self->catalogue);
  self->chooser = BALISE_PRESET_CHOOSER (chooser);
  adw_bin_set_child (self->chooser_bin, chooser);
  g_signal_connect_object (chooser, "preset-activated",
                           G_CALLBACK (balise_record_dialog_preset_activated_cb),
                           self, G_CONNECT_SWAPPED);

  if (self->settings != NULL)
    {
      g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-presets");

      balise_preset_chooser_set_recent (self->chooser, (const char * const *) recent);
    }

  /* Typing anywhere in the chooser searches. */
  gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (balise_preset_chooser_get_search_entry (self->chooser)),
                                           GTK_WIDGET (self));

  /* Translators: a position as latitude, longitude in degrees */
  position = g_strdup_printf (_("At %.5f, %.5f"), self->latitude, self->longitude);
  adw_window_title_set_subtitle (self->window_title, position);

  gtk_window_set_focus (GTK_WINDOW (self), balise_preset_chooser_get_search_entry (self->chooser));
}

static void
balise_record_dialog_dispose (GObject *object)
{
  BaliseRecordDialog *self = (BaliseRecordDialog *)object;

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  g_clear_object (&self->store);
  g_clear_object (&self->catalogue);
  g_clear_object (&self->settings);
  g_clear_object (&self->preset);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->carried_files);

  G_OBJECT_CLASS (balise_record_dialog_parent_class)->dispose (object);
}

static void
balise_record_dialog_finalize (GObject *object)
{
  BaliseRecordDialog *self = (BaliseRecordDialog *)object;

  g_clear_pointer (&self->duplicate, balise_feature_unref);
  g_clear_pointer (&self->editing, balise_feature_unref);
  g_clear_pointer (&self->base_tags, balise_tags_unref);
  g_clear_pointer (&self->draft_uuid, g_free);
  g_clear_pointer (&self->note, balise_note_unref);
  g_clear_pointer (&self->contributor, g_free);
  g_clear_pointer (&self->last_message, g_free);
  g_clear_pointer (&self->carried_uuid, g_free);
  g_clear_pointer (&self->leave_then, balise_feature_unref);
  g_clear_pointer (&self->leave_values, g_hash_table_unref);

  G_OBJECT_CLASS (balise_record_dialog_parent_class)->finalize (object);
}

static void
balise_record_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BaliseRecordDialog *self = BALISE_RECORD_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CATALOGUE:
      g_value_set_object (value, self->catalogue);
      break;

    case PROP_LATITUDE:
      g_value_set_double (value, self->latitude);
      break;

    case PROP_LONGITUDE:
      g_value_set_double (value, self->longitude);
      break;

    case PROP_CONTRIBUTOR:
      g_value_set_string (value, self->contributor);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_record_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BaliseRecordDialog *self = BALISE_RECORD_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_CATALOGUE:
      self->catalogue = g_value_dup_object (value);
      break;

    case PROP_LATITUDE:
      self->latitude = g_value_get_double (value);
      break;

    case PROP_LONGITUDE:
      self->longitude = g_value_get_double (value);
      break;

    case PROP_CONTRIBUTOR:
      {
        const char *contributor = g_value_get_string (value);

        /* An empty name means "anonymous". */
        self->contributor = (contributor && contributor[0]) ? g_strdup (contributor) : NULL;
      }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_record_dialog_class_init (BaliseRecordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = balise_record_dialog_constructed;
  object_class->dispose = balise_record_dialog_dispose;
  object_class->finalize = balise_record_dialog_finalize;
  object_class->get_property = balise_record_dialog_get_property;
  object_class->set_property = balise_record_dialog_set_property;

  window_class->close_request = balise_record_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BALISE_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CATALOGUE] =
    g_param_spec_object ("catalogue", NULL, NULL,
                         BALISE_TYPE_PRESET_CATALOGUE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LATITUDE] =
    g_param_spec_double ("latitude", NULL, NULL,
                         -90.0, 90.0, 0.0,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LONGITUDE] =
    g_param_spec_double ("longitude", NULL, NULL,
                         -180.0, 180.0, 0.0,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONTRIBUTOR] =
    g_param_spec_string ("contributor", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BaliseRecordDialog::saved:
   * @self: a #BaliseRecordDialog
   * @what: the name of the preset, for a message
   *
   * Emitted once the record is filed in the journal (or as a note), just
   * before the dialog closes.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (BALISE_TYPE_DUPLICATE_CHECK);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-record-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, duplicate_check);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, chooser_bin);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, duplicate_page);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, edit_existing_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, record_new_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseRecordDialog, form_bin);
  gtk_widget_class_bind_template_callback (widget_class, balise_record_dialog_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, balise_record_dialog_edit_existing_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, balise_record_dialog_record_new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, balise_record_dialog_edit_nearby_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
balise_record_dialog_init (BaliseRecordDialog *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  self->cancellable = g_cancellable_new ();

  /* Recent presets are a nicety: no schema (a test, an odd install), no list. */
  if (source != NULL && (schema = g_settings_schema_source_lookup (source, "io.github.balise.Balise", TRUE)) &&
      g_settings_schema_has_key (schema, "recent-presets"))
    self->settings = g_settings_new ("io.github.balise.Balise");

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * balise_record_dialog_new:
 * @parent: (nullable): the window the dialog is modal for
 * @store: the store that receives the record
 * @catalogue: the presets to choose from
 * @latitude: where the record goes
 * @longitude: where the record goes
 * @contributor: (nullable): who records it, %NULL or "" for nobody in particular
 *
 * Returns: (transfer none): a new dialog, owned by GTK's list of toplevels
 */
BaliseRecordDialog *
balise_record_dialog_new (GtkWindow             *parent,
                          BaliseStore           *store,
                          BalisePresetCatalogue *catalogue,
                          double                 latitude,
                          double                 longitude,
                          const char            *contributor)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);
  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (catalogue), NULL);

  return g_object_new (BALISE_TYPE_RECORD_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       "catalogue", catalogue,
                       "latitude", latitude,
                       "longitude", longitude,
                       "contributor", contributor,
                       NULL);
}

/**
 * balise_record_dialog_new_report:
 * @parent: (nullable): the window the dialog is modal for
 * @store: the store that receives the report
 * @catalogue: the presets, of which the faults are offered
 * @feature: the feature on the map the problem is about
 * @contributor: (nullable): who reports it
 *
 * A fault about @feature, at its position: the chooser offers the faults
 * only, and the note is linked to the element and names it in its text.
 *
 * Returns: (transfer none): a new dialog, owned by GTK's list of toplevels
 */
BaliseRecordDialog *
balise_record_dialog_new_report (GtkWindow             *parent,
                                 BaliseStore           *store,
                                 BalisePresetCatalogue *catalogue,
                                 BaliseFeature         *feature,
                                 const char            *contributor)
{
  BaliseRecordDialog *self;

  g_return_val_if_fail (feature != NULL, NULL);

  self = balise_record_dialog_new (parent, store, catalogue, feature->lat, feature->lon, contributor);
  self->about_type = feature->osm_type;
  self->about_id = feature->osm_id;
  balise_preset_chooser_set_kind (self->chooser, BALISE_PRESET_NOTE);
  adw_window_title_set_title (self->window_title, _("Report a Problem"));
  if (feature->name != NULL)
    adw_window_title_set_subtitle (self->window_title, feature->name);

  return self;
}

/* Chooses the preset @id as a tap on its row would. */
void
balise_record_dialog_choose_preset (BaliseRecordDialog *self,
                                    const char         *id)
{
  GtkWidget *row;

  g_return_if_fail (BALISE_IS_RECORD_DIALOG (self));

  if ((row = balise_preset_chooser_get_row (self->chooser, id)))
    gtk_widget_activate (row);
}

BalisePresetChooser *
balise_record_dialog_get_chooser (BaliseRecordDialog *self)
{
  g_return_val_if_fail (BALISE_IS_RECORD_DIALOG (self), NULL);

  return self->chooser;
}

/* Returns: (transfer none) (nullable): the form, once a preset is chosen */
BalisePresetForm *
balise_record_dialog_get_form (BaliseRecordDialog *self)
{
  g_return_val_if_fail (BALISE_IS_RECORD_DIALOG (self), NULL);

  return self->form;
}

/* Returns: "chooser", "duplicate" or "form" */
const char *
balise_record_dialog_get_page (BaliseRecordDialog *self)
{
  g_return_val_if_fail (BALISE_IS_RECORD_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* Returns: (nullable): the uuid of the draft edit the form writes into */
const char *
balise_record_dialog_get_draft_uuid (BaliseRecordDialog *self)
{
  g_return_val_if_fail (BALISE_IS_RECORD_DIALOG (self), NULL);

  return self->draft_uuid;
}

/* TRUE while a write to the store is on its way. */
gboolean
balise_record_dialog_is_busy (BaliseRecordDialog *self)
{
  g_return_val_if_fail (BALISE_IS_RECORD_DIALOG (self), FALSE);

  return self->creating || self->writing || self->save_source != 0 || self->dirty ||
         self->leaving || self->moving || self->attach_wait ||
         (self->photo_strip != NULL && balise_photo_strip_get_busy (self->photo_strip));
}

/* Returns: (transfer none) (nullable): the record's photos, once a preset is chosen */
BalisePhotoStrip *
balise_record_dialog_get_photo_strip (BaliseRecordDialog *self)
{
  g_return_val_if_fail (BALISE_IS_RECORD_DIALOG (self), NULL);

  return self->photo_strip;
}

/* Returns: (nullable): the uuid of a draft left for this record, whose
 * photos go to it once it is written */
const char *
balise_record_dialog_get_carried_uuid (BaliseRecordDialog *self)
{
  g_return_val_if_fail (BALISE_IS_RECORD_DIALOG (self), NULL);

  return self->carried_uuid;
}

/* Returns: (nullable): the text of the last toast the dialog showed */
const char *
balise_record_dialog_get_last_message (BaliseRecordDialog *self)
{
  g_return_val_if_fail (BALISE_IS_RECORD_DIALOG (self), NULL);

  return self->last_message;
}

GtkWidget *
balise_record_dialog_get_error_label (BaliseRecordDialog *self)
{
  g_return_val_if_fail (BALISE_IS_RECORD_DIALOG (self), NULL);

  return GTK_WIDGET (self->error_label);
}

GtkWidget *
balise_record_dialog_get_nearby_label (BaliseRecordDialog *self)
{
  g_return_val_if_fail (BALISE_IS_RECORD_DIALOG (self), NULL);

  return balise_duplicate_check_get_label (self->duplicate_check);
}

/**
 * balise_record_dialog_get_button:
 * @self: a #BaliseRecordDialog
 * @name: "done", "back", "edit-existing", "record-new" or "edit-nearby"
 *
 * Returns: (transfer none) (nullable): that button, for tests
 */
GtkWidget *
balise_record_dialog_get_button (BaliseRecordDialog *self,
                                 const char         *name)
{
  g_return_val_if_fail (BALISE_IS_RECORD_DIALOG (self), NULL);

  if (g_strcmp0 (name, "done") == 0)
    return GTK_WIDGET (self->done_button);
  if (g_strcmp0 (name, "back") == 0)
    return GTK_WIDGET (self->back_button);
  if (g_strcmp0 (name, "edit-existing") == 0)
    return GTK_WIDGET (self->edit_existing_button);
  if (g_strcmp0 (name, "record-new") == 0)
    return GTK_WIDGET (self->record_new_button);
  if (g_strcmp0 (name, "edit-nearby") == 0)
    return balise_duplicate_check_get_button (self->duplicate_check);

  return NULL;
}
