/* balise-history-page.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-history-page"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-history-page.h"
#include "balise-servers.h"
#include "balise-store-history.h"
#include "balise-store-notes.h"

#define SERVER_NOTES (BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_OPEN) | \
                      BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_CLOSED) | \
                      BALISE_NOTE_STATUS_MASK (BALISE_NOTE_STATUS_HIDDEN))

struct _BaliseHistoryPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  AdwPreferencesGroup  *changesets_group;
  AdwPreferencesGroup  *notes_group;

  /* Owned references */
  BaliseStore          *store;
  char                 *api_url;
  GCancellable         *cancellable;
  GPtrArray            *changeset_rows;
  GPtrArray            *note_rows;

  guint                 reload_id;
};

G_DEFINE_FINAL_TYPE (BaliseHistoryPage, balise_history_page, ADW_TYPE_BIN)

static void
balise_history_page_launched_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      GtkRoot *root = gtk_widget_get_root (row);
      GtkWidget *dialog;

      if (root == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      dialog = adw_message_dialog_new (GTK_WINDOW (root), _("Could Not Open the Link"),
                                       error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

/* Opens the row's page on the server in the browser (through the portal
 * when sandboxed). */
static void
balise_history_page_row_activated_cb (AdwActionRow *row)
{
  const char *link = g_object_get_data (G_OBJECT (row), "link");
  g_autoptr(GdkAppLaunchContext) context = NULL;

  g_assert (link != NULL);

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (row)));
  g_app_info_launch_default_for_uri_async (link, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           balise_history_page_launched_cb,
                                           g_object_ref (row));
}

static GtkWidget *
add_link_row (AdwPreferencesGroup *group,
              GPtrArray           *rows,
              const char          *title,
              const char          *subtitle,
              char                *link)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("adw-external-link-symbolic");
  g_autofree char *description = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, link);
  /* Translators: how a screen reader describes a history row; %s is an address */
  description = g_strdup_printf (_("Opens %s in the browser"), link);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "link", link, g_free);
  g_signal_connect (row, "activated", G_CALLBACK (balise_history_page_row_activated_cb), NULL);

  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);

  return row;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
add_placeholder (AdwPreferencesGroup *group,
                 GPtrArray           *rows,
                 const char          *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
}

static void
show_changesets (BaliseHistoryPage *self,
                 GPtrArray         *records)
{
  clear_rows (self->changesets_group, self->changeset_rows);

  for (guint i = 0; i < records->len; i++)
    {
      BaliseChangesetRecord *record = g_ptr_array_index (records, i);
      g_autofree char *counts = balise_sync_report_describe (&record->counts);
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      g_autoptr(GDateTime) local = NULL;

      if (record->uploaded_at != NULL)
        {
          local = g_date_time_to_local (record->uploaded_at);
          /* Translators: a date and time, see g_date_time_format() */
          when = g_date_time_format (local, _("%e %b %Y, %H:%M"));
          g_strstrip (when);
        }
      /* Translators: "Changeset 1234 · 23 Nov 2026, 15:20 · 2 bus stops added" */
      subtitle = g_strdup_printf (_("Changeset %" G_GINT64_FORMAT " · %s · %s"),
                                  record->changeset_id, when ? when : "", counts);
      add_link_row (self->changesets_group, self->changeset_rows,
                    record->comment ? record->comment : "", subtitle,
                    balise_server_changeset_url (record->server, record->changeset_id));
    }

  if (records->len == 0)
    add_placeholder (self->changesets_group, self->changeset_rows,
                     _("No changeset uploaded to this server yet"));
}

static const char *
note_status_label (BaliseNoteStatus status)
{
  switch ((int) status)
    {
    case BALISE_NOTE_STATUS_OPEN:   return C_("note status", "Open");
    case BALISE_NOTE_STATUS_CLOSED: return C_("note status", "Closed");
    case BALISE_NOTE_STATUS_HIDDEN: return C_("note status", "Hidden by a moderator");
    default:                        return "";
    }
}

static void
show_notes (BaliseHistoryPage *self,
            GPtrArray         *notes,
            const GError      *error)
{
  clear_rows (self->notes_group, self->note_rows);

  if (notes == NULL)
    {
      add_placeholder (self->notes_group, self->note_rows, error->message);
      return;
    }

  /* The latest first. */
  for (guint i = notes->len; i > 0; i--)
    {
      BaliseNote *note = g_ptr_array_index (notes, i - 1);
      guint n_comments = note->comments ? note->comments->len : 0;
      g_autofree char *comments = NULL;
      g_autofree char *subtitle = NULL;
      gboolean guessed = FALSE;
      char *link;
      GtkWidget *row;

      if (note->osm_note_id <= 0)
        continue;

      comments = g_strdup_printf (ngettext ("%u comment", "%u comments", n_comments), n_comments);
      /* Translators: "Note 77 · Open · 2 comments" */
      subtitle = g_strdup_printf (_("Note %" G_GINT64_FORMAT " · %s · %s"),
                                  note->osm_note_id, note_status_label (note->status), comments);
      link = balise_note_page_url (note, self->api_url, &guessed);
      row = add_link_row (self->notes_group, self->note_rows, note->text, subtitle, link);
      if (guessed)
        {
          g_autofree char *tooltip = NULL;

          /* Translators: %s is the address the row opens */
          tooltip = g_strdup_printf (_("Sent before Balise recorded each note’s server: "
                                       "opens it on the current server, %s"), link);
          gtk_widget_set_tooltip_text (row, tooltip);
        }
    }

  if (self->note_rows->len == 0)
    add_placeholder (self->notes_group, self->note_rows, _("No note sent yet"));
}

static void
balise_history_page_notes_listed_cb (GObject      *object,
                                     GAsyncResult *result,
                                     gpointer      user_data)
{
  g_autoptr(BaliseHistoryPage) self = user_data;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;

  notes = balise_store_list_notes_finish (BALISE_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  show_notes (self, notes, error);
}

static void
balise_history_page_listed_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(BaliseHistoryPage) self = user_data;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  records = balise_store_list_uploaded_changesets_finish (BALISE_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (records == NULL)
    {
      clear_rows (self->changesets_group, self->changeset_rows);
      add_placeholder (self->changesets_group, self->changeset_rows, error->message);
    }
  else
    show_changesets (self, records);

  /* Then the notes, still off the main thread, under the same cancellable. */
  balise_store_list_notes_async (self->store, SERVER_NOTES, self->cancellable,
                                 balise_history_page_notes_listed_cb, g_object_ref (self));
}

void
balise_history_page_reload (BaliseHistoryPage *self)
{
  g_return_if_fail (BALISE_IS_HISTORY_PAGE (self));

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  self->cancellable = g_cancellable_new ();
  balise_store_list_uploaded_changesets_async (self->store, self->api_url, self->cancellable,
                                               balise_history_page_listed_cb,
                                               g_object_ref (self));
}

static gboolean
balise_history_page_reload_cb (gpointer data)
{
  BaliseHistoryPage *self = data;

  self->reload_id = 0;
  balise_history_page_reload (self);

  return G_SOURCE_REMOVE;
}

/* A sync writes many times: read once it is quiet. */
static void
balise_history_page_store_changed_cb (BaliseHistoryPage *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (300, balise_history_page_reload_cb, self);
}

static void
balise_history_page_dispose (GObject *object)
{
  BaliseHistoryPage *self = (BaliseHistoryPage *)object;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (balise_history_page_parent_class)->dispose (object);
}

static void
balise_history_page_finalize (GObject *object)
{
  BaliseHistoryPage *self = (BaliseHistoryPage *)object;

  g_free (self->api_url);
  g_clear_pointer (&self->changeset_rows, g_ptr_array_unref);
  g_clear_pointer (&self->note_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (balise_history_page_parent_class)->finalize (object);
}

static void
balise_history_page_class_init (BaliseHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_history_page_dispose;
  object_class->finalize = balise_history_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseHistoryPage, changesets_group);
  gtk_widget_class_bind_template_child (widget_class, BaliseHistoryPage, notes_group);
}

static void
balise_history_page_init (BaliseHistoryPage *self)
{
  self->changeset_rows = g_ptr_array_new ();
  self->note_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
balise_history_page_new (BaliseStore *store)
{
  BaliseHistoryPage *self;

  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);

  self = g_object_new (BALISE_TYPE_HISTORY_PAGE, NULL);
  self->store = g_object_ref (store);
  self->api_url = g_strdup (balise_server_api_url ("openstreetmap"));
  g_signal_connect_object (store, "changed",
                           G_CALLBACK (balise_history_page_store_changed_cb),
                           self, G_CONNECT_SWAPPED);
  balise_history_page_reload (self);

  return GTK_WIDGET (self);
}

void
balise_history_page_set_server_url (BaliseHistoryPage *self,
                                    const char        *server_url)
{
  const char *api_url;

  g_return_if_fail (BALISE_IS_HISTORY_PAGE (self));
  g_return_if_fail (server_url != NULL);

  api_url = balise_server_api_url (server_url);
  if (g_strcmp0 (api_url, self->api_url) == 0)
    return;

  g_free (self->api_url);
  self->api_url = g_strdup (api_url);
  balise_history_page_reload (self);
}

gboolean
balise_history_page_get_busy (BaliseHistoryPage *self)
{
  g_return_val_if_fail (BALISE_IS_HISTORY_PAGE (self), FALSE);

  return self->cancellable != NULL || self->reload_id != 0;
}

static GPtrArray *
rows_of (BaliseHistoryPage *self,
         const char        *kind)
{
  if (g_strcmp0 (kind, "changeset") == 0)
    return self->changeset_rows;
  if (g_strcmp0 (kind, "note") == 0)
    return self->note_rows;
  g_return_val_if_reached (NULL);
}

GStrv
balise_history_page_get_links (BaliseHistoryPage *self,
                               const char        *kind)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GPtrArray *rows;

  g_return_val_if_fail (BALISE_IS_HISTORY_PAGE (self), NULL);

  rows = rows_of (self, kind);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const char *link = g_object_get_data (g_ptr_array_index (rows, i), "link");

      if (link != NULL)
        g_strv_builder_add (builder, link);
    }

  return g_strv_builder_end (builder);
}

AdwActionRow *
balise_history_page_get_row (BaliseHistoryPage *self,
                             const char        *kind,
                             guint              index)
{
  GPtrArray *rows;

  g_return_val_if_fail (BALISE_IS_HISTORY_PAGE (self), NULL);

  rows = rows_of (self, kind);
  if (rows == NULL || index >= rows->len ||
      g_object_get_data (g_ptr_array_index (rows, index), "link") == NULL)
    return NULL;

  return g_ptr_array_index (rows, index);
}
