/* balise-upload-dialog.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-upload-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-changeset-summary.h"
#include "balise-changeset-tags.h"
#include "balise-upload-dialog.h"

struct _BaliseUploadDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  AdwActionRow         *changes_row;
  AdwActionRow         *notes_row;
  AdwActionRow         *server_row;
  AdwPreferencesGroup  *comment_group;
  GtkLabel             *counter_label;
  AdwEntryRow          *comment_row;
  AdwActionRow         *hashtags_row;
  AdwActionRow         *full_comment_row;
  AdwPreferencesGroup  *error_group;
  GtkLabel             *error_label;
  AdwActionRow         *credit_row;
  GtkSwitch            *credit_switch;

  /* Owned references */
  GSettings            *settings;
  char                 *changes_text;
  char                 *full_comment;
  char                 *problem;
};

G_DEFINE_FINAL_TYPE (BaliseUploadDialog, balise_upload_dialog, ADW_TYPE_WINDOW)

enum {
  UPLOAD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Follows the comment typed and the project's hashtags: the comment as it
 * will be sent, its length, and whether OSM would take it. */
static void
balise_upload_dialog_update (BaliseUploadDialog *self)
{
  g_autofree char *hashtags_text = g_settings_get_string (self->settings, "hashtags");
  g_auto(GStrv) hashtags = NULL;
  g_autoptr(GError) hashtags_error = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *counter = NULL;
  g_autofree char *stripped = NULL;
  glong n_chars;

  g_assert (BALISE_IS_UPLOAD_DIALOG (self));

  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->full_comment, g_free);

  hashtags = balise_hashtags_parse (hashtags_text, &hashtags_error);
  if (hashtags_error != NULL)
    {
      adw_action_row_set_subtitle (self->hashtags_row, hashtags_text);
      /* Translators: %s says which word is wrong */
      self->problem = g_strdup_printf (_("The project hashtags in Preferences are not valid: %s"),
                                       hashtags_error->message);
    }
  else
    {
      g_autofree char *shown = g_strjoinv (" ", hashtags);

      adw_action_row_set_subtitle (self->hashtags_row, *shown ? shown : _("None — set them in Preferences"));
    }

  typed = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->comment_row)));
  self->full_comment = balise_changeset_comment_add_hashtags (typed, (const char * const *) hashtags);
  n_chars = g_utf8_strlen (self->full_comment, -1);
  stripped = g_strstrip (g_strdup (typed));

  counter = g_strdup_printf ("%ld/%d", n_chars, BALISE_CHANGESET_COMMENT_MAX);
  gtk_label_set_label (self->counter_label, counter);
  adw_action_row_set_subtitle (self->full_comment_row, self->full_comment);

  if (self->problem != NULL)
    {
      /* The hashtags' problem comes first: the comment cannot fix it. */
    }
  else if (*stripped == '\0')
    self->problem = g_strdup (_("Write a comment: it is required, and says what the changes do."));
  else if (n_chars > BALISE_CHANGESET_COMMENT_MAX)
    self->problem = g_strdup_printf (_("With its hashtags the comment has %ld characters; "
                                       "OpenStreetMap takes %d at most."),
                                     n_chars, BALISE_CHANGESET_COMMENT_MAX);
  else
    {
      g_autoptr(GError) error = NULL;

      if (!balise_changeset_comment_validate (self->full_comment, &error))
        self->problem = g_strdup (error->message);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->error_group), self->problem != NULL);
  gtk_label_set_label (self->error_label, self->problem ? self->problem : "");
  if (self->problem != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->comment_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->counter_label), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->comment_row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->comment_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->problem,
                                      -1);
    }
  else
    {
      g_autofree char *description = NULL;

      gtk_widget_remove_css_class (GTK_WIDGET (self->comment_row), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->counter_label), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->comment_row), GTK_ACCESSIBLE_STATE_INVALID);
      /* Translators: the comment field's description for screen readers, e.g. "57 of 255 characters" */
      description = g_strdup_printf (_("%ld of %d characters"), n_chars, BALISE_CHANGESET_COMMENT_MAX);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->comment_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                      -1);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "upload.send", self->problem == NULL);
}

static void
balise_upload_dialog_comment_changed_cb (BaliseUploadDialog *self)
{
  balise_upload_dialog_update (self);
}

static void
balise_upload_dialog_settings_changed_cb (BaliseUploadDialog *self,
                                          const char         *key)
{
  if (g_strcmp0 (key, "hashtags") == 0)
    balise_upload_dialog_update (self);
}

static void
balise_upload_dialog_send_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  BaliseUploadDialog *self = BALISE_UPLOAD_DIALOG (widget);

  g_assert (BALISE_IS_UPLOAD_DIALOG (self));

  if (self->problem != NULL)
    return;

  g_signal_emit (self, signals[UPLOAD], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
balise_upload_dialog_comment_activated_cb (BaliseUploadDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "upload.send", NULL);
}

static void
balise_upload_dialog_dispose (GObject *object)
{
  BaliseUploadDialog *self = (BaliseUploadDialog *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (balise_upload_dialog_parent_class)->dispose (object);
}

static void
balise_upload_dialog_finalize (GObject *object)
{
  BaliseUploadDialog *self = (BaliseUploadDialog *)object;

  g_free (self->changes_text);
  g_free (self->full_comment);
  g_free (self->problem);

  G_OBJECT_CLASS (balise_upload_dialog_parent_class)->finalize (object);
}

static void
balise_upload_dialog_class_init (BaliseUploadDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_upload_dialog_dispose;
  object_class->finalize = balise_upload_dialog_finalize;

  /**
   * BaliseUploadDialog::upload:
   *
   * Upload was pressed with a comment OSM takes: read it with
   * balise_upload_dialog_get_comment().
   */
  signals[UPLOAD] = g_signal_new ("upload", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-upload-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseUploadDialog, changes_row);
  gtk_widget_class_bind_template_child (widget_class, BaliseUploadDialog, notes_row);
  gtk_widget_class_bind_template_child (widget_class, BaliseUploadDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, BaliseUploadDialog, comment_group);
  gtk_widget_class_bind_template_child (widget_class, BaliseUploadDialog, counter_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseUploadDialog, comment_row);
  gtk_widget_class_bind_template_child (widget_class, BaliseUploadDialog, hashtags_row);
  gtk_widget_class_bind_template_child (widget_class, BaliseUploadDialog, full_comment_row);
  gtk_widget_class_bind_template_child (widget_class, BaliseUploadDialog, error_group);
  gtk_widget_class_bind_template_child (widget_class, BaliseUploadDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseUploadDialog, credit_row);
  gtk_widget_class_bind_template_child (widget_class, BaliseUploadDialog, credit_switch);
  gtk_widget_class_bind_template_callback (widget_class, balise_upload_dialog_comment_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, balise_upload_dialog_comment_activated_cb);

  gtk_widget_class_install_action (widget_class, "upload.send", NULL, balise_upload_dialog_send_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "upload.send", NULL);
}

static void
balise_upload_dialog_init (BaliseUploadDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.balise.Balise");
  g_settings_bind (self->settings, "credit-contributors", self->credit_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (balise_upload_dialog_settings_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

/* "2 bus stops added, 1 shelter updated", or the count alone. */
static char *
describe_changes (BaliseUploadPreview *preview)
{
  if (preview->n_edits == 0)
    return g_strdup (_("No changes to the map"));

  return balise_sync_report_describe (&preview->counts);
}

GtkWidget *
balise_upload_dialog_new (GtkWindow           *parent,
                          BaliseUploadPreview *preview,
                          const char          *server_url)
{
  BaliseUploadDialog *self;
  g_autofree char *changes_title = NULL;
  g_autofree char *notes_title = NULL;
  g_autofree char *credits = NULL;

  g_return_val_if_fail (preview != NULL, NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  /* In the application, for app.preferences (the hashtags' button). */
  self = g_object_new (BALISE_TYPE_UPLOAD_DIALOG,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);

  self->changes_text = describe_changes (preview);
  changes_title = g_strdup_printf (ngettext ("%u Change", "%u Changes", preview->n_edits), preview->n_edits);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->changes_row), changes_title);
  adw_action_row_set_subtitle (self->changes_row, self->changes_text);

  notes_title = g_strdup_printf (ngettext ("%u Note", "%u Notes", preview->n_notes), preview->n_notes);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->notes_row), notes_title);
  adw_action_row_set_subtitle (self->notes_row,
                               preview->n_notes > 0 ? _("Faults, each sent as an OpenStreetMap note")
                                                    : _("No faults to report"));
  adw_action_row_set_subtitle (self->server_row, server_url);

  /* Notes alone need no changeset, hence no comment. */
  gtk_widget_set_visible (GTK_WIDGET (self->comment_group), preview->n_edits > 0);

  if (preview->credits != NULL && preview->credits[0] != NULL)
    {
      credits = g_strjoinv (", ", preview->credits);
      adw_action_row_set_subtitle (self->credit_row, credits);
    }
  else
    {
      adw_action_row_set_subtitle (self->credit_row, _("No contributor names were recorded"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->credit_row), FALSE);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->comment_row),
                         preview->summary ? preview->summary : "Survey with Balise");
  balise_upload_dialog_update (self);

  /* Notes alone: nothing to write. */
  if (preview->n_edits == 0)
    {
      g_clear_pointer (&self->problem, g_free);
      gtk_widget_set_visible (GTK_WIDGET (self->error_group), FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "upload.send", TRUE);
    }

  return GTK_WIDGET (self);
}

const char *
balise_upload_dialog_get_comment (BaliseUploadDialog *self)
{
  g_return_val_if_fail (BALISE_IS_UPLOAD_DIALOG (self), NULL);

  return self->full_comment;
}

GtkEditable *
balise_upload_dialog_get_comment_field (BaliseUploadDialog *self)
{
  g_return_val_if_fail (BALISE_IS_UPLOAD_DIALOG (self), NULL);

  return GTK_EDITABLE (self->comment_row);
}

gboolean
balise_upload_dialog_get_credit (BaliseUploadDialog *self)
{
  g_return_val_if_fail (BALISE_IS_UPLOAD_DIALOG (self), FALSE);

  return gtk_widget_get_sensitive (GTK_WIDGET (self->credit_row)) &&
         gtk_switch_get_active (self->credit_switch);
}

const char *
balise_upload_dialog_get_problem (BaliseUploadDialog *self)
{
  g_return_val_if_fail (BALISE_IS_UPLOAD_DIALOG (self), NULL);

  return self->problem;
}

const char *
balise_upload_dialog_get_changes_text (BaliseUploadDialog *self)
{
  g_return_val_if_fail (BALISE_IS_UPLOAD_DIALOG (self), NULL);

  return self->changes_text;
}
