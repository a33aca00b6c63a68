/* balise-review-page-actions.c: what the coordinator decides in the queue
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-review-page"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-element-fetch.h"
#include "balise-review-page-private.h"
#include "balise-store-conflicts.h"
#include "balise-store-review.h"
#include "balise-tag-chooser.h"
#include "balise-tag-editor.h"

typedef struct
{
  BaliseReviewPage     *self;
  GStrv                 uuids;
  BaliseReviewDecision  decision;
} ReviewJob;

static void
review_job_free (ReviewJob *job)
{
  g_clear_object (&job->self);
  g_clear_pointer (&job->uuids, g_strfreev);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReviewJob, review_job_free)

static const char *
reviewer_of (BaliseReviewPage *self)
{
  if (self->reviewer != NULL && *self->reviewer != '\0')
    return self->reviewer;

  return g_get_real_name ();
}

static char *
describe_done (BaliseReviewDecision decision,
               guint                n)
{
  switch (decision)
    {
    case BALISE_REVIEW_APPROVE:
      return g_strdup_printf (ngettext ("%u change approved", "%u changes approved", n), n);
    case BALISE_REVIEW_REJECT:
      return g_strdup_printf (ngettext ("%u change rejected", "%u changes rejected", n), n);
    case BALISE_REVIEW_HAS_ISSUES:
    default:
      return g_strdup_printf (ngettext ("%u change sent back", "%u changes sent back", n), n);
    }
}

static void
review_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BaliseStore *store = BALISE_STORE (object);
  g_autoptr(ReviewJob) job = user_data;
  g_autoptr(GError) error = NULL;
  BaliseReviewPage *self = job->self;
  g_autofree char *message = NULL;

  _balise_review_page_set_busy (self, FALSE);

  if (!balise_store_review_edits_finish (store, result, &error))
    {
      g_debug ("Review of %u edits failed: %s", g_strv_length (job->uuids), error->message);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _balise_review_page_toast (self, error->message);
      return;
    }

  for (guint i = 0; job->uuids[i] != NULL; i++)
    g_hash_table_remove (self->selected, job->uuids[i]);

  message = describe_done (job->decision, g_strv_length (job->uuids));
  _balise_review_page_toast (self, message);
  balise_review_page_reload (self);
}

static void
review (BaliseReviewPage     *self,
        GStrv                 uuids,
        BaliseReviewDecision  decision,
        const char           *comment)
{
  ReviewJob *job;

  g_assert (BALISE_IS_REVIEW_PAGE (self));

  if (uuids == NULL || uuids[0] == NULL)
    {
      g_strfreev (uuids);
      return;
    }

  job = g_new0 (ReviewJob, 1);
  job->self = g_object_ref (self);
  job->uuids = uuids;
  job->decision = decision;

  g_debug ("Reviewing %u edits: %s", g_strv_length (uuids), balise_review_decision_to_string (decision));
  _balise_review_page_set_busy (self, TRUE);
  balise_store_review_edits_async (self->store,
                                   (const char * const *)job->uuids,
                                   decision,
                                   reviewer_of (self),
                                   comment,
                                   self->cancellable,
                                   review_done_cb,
                                   job);
}

/*
 * Asking for a reason or a comment
 */

static void
comment_entry_changed_cb (GtkEditable      *entry,
                          AdwMessageDialog *dialog)
{
  const char *text = gtk_editable_get_text (entry);
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  adw_message_dialog_set_response_enabled (dialog, "confirm", stripped[0] != '\0');
}

static void
comment_dialog_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            ReviewJob        *job)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  g_autofree char *comment = NULL;

  if (g_strcmp0 (response, "confirm") != 0)
    return;

  comment = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  if (comment[0] == '\0')
    return;

  review (job->self, g_steal_pointer (&job->uuids), job->decision, comment);
}

/* Rejecting and sending back need words for the volunteer. */
static void
ask_comment (BaliseReviewPage     *self,
             GStrv                 uuids,
             BaliseReviewDecision  decision)
{
  g_autofree char *heading = NULL;
  const char *body;
  const char *confirm;
  const char *placeholder;
  GtkWidget *dialog;
  GtkWidget *entry;
  ReviewJob *job;
  guint n;

  g_assert (BALISE_IS_REVIEW_PAGE (self));

  if (uuids == NULL || (n = g_strv_length (uuids)) == 0)
    {
      g_strfreev (uuids);
      return;
    }

  if (decision == BALISE_REVIEW_REJECT)
    {
      heading = g_strdup_printf (ngettext ("Reject %u Change?", "Reject %u Changes?", n), n);
      body = _("Rejected changes are never uploaded. The reason is kept in the journal and shown to the volunteer.");
      confirm = _("_Reject");
      placeholder = _("Reason, e.g. “stop already mapped”");
    }
  else
    {
      heading = g_strdup_printf (ngettext ("Send %u Change Back?", "Send %u Changes Back?", n), n);
      body = _("The volunteer sees your comment and can fix the change. It is not uploaded until it is approved.");
      confirm = _("_Send Back");
      placeholder = _("What needs fixing");
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", confirm,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              decision == BALISE_REVIEW_REJECT
                                              ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "confirm", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  decision == BALISE_REVIEW_REJECT ? _("Reason") : _("Comment"),
                                  -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_signal_connect (entry, "changed", G_CALLBACK (comment_entry_changed_cb), dialog);

  job = g_new0 (ReviewJob, 1);
  job->self = g_object_ref (self);
  job->uuids = uuids;
  job->decision = decision;
  g_signal_connect_data (dialog, "response", G_CALLBACK (comment_dialog_response_cb),
                         job, (GClosureNotify) (void (*) (void)) review_job_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static GStrv
one_uuid (GVariant *param)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, g_variant_get_string (param, NULL));

  return g_strv_builder_end (builder);
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  review (BALISE_REVIEW_PAGE (widget), one_uuid (param), BALISE_REVIEW_APPROVE, NULL);
}

static void
reject_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ask_comment (BALISE_REVIEW_PAGE (widget), one_uuid (param), BALISE_REVIEW_REJECT);
}

static void
has_issues_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  ask_comment (BALISE_REVIEW_PAGE (widget), one_uuid (param), BALISE_REVIEW_HAS_ISSUES);
}

static void
approve_selected_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  BaliseReviewPage *self = BALISE_REVIEW_PAGE (widget);

  review (self, _balise_review_page_get_selected (self), BALISE_REVIEW_APPROVE, NULL);
}

static void
reject_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  BaliseReviewPage *self = BALISE_REVIEW_PAGE (widget);

  ask_comment (self, _balise_review_page_get_selected (self), BALISE_REVIEW_REJECT);
}

static void
has_issues_selected_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  BaliseReviewPage *self = BALISE_REVIEW_PAGE (widget);

  ask_comment (self, _balise_review_page_get_selected (self), BALISE_REVIEW_HAS_ISSUES);
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  BaliseReviewPage *self = BALISE_REVIEW_PAGE (widget);
  GHashTableIter iter;
  gpointer row;
  gboolean all = TRUE;

  /* Selects every row shown, or clears the selection when all were. */
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    all = all && balise_review_row_get_selected (row);

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    balise_review_row_set_selected (row, !all);
}

/*
 * Editing the tags in review
 */

static void
tag_editor_saved_cb (BaliseReviewPage *self,
                     BaliseEdit       *edit)
{
  g_autofree char *message = NULL;

  /* Translators: the reviewer changed an edit; it is credited to both */
  message = g_strdup_printf (_("Changed and approved; credited to %s and %s"),
                             edit->contributor ? edit->contributor : "?",
                             edit->edited_by ? edit->edited_by : "?");
  _balise_review_page_toast (self, message);
  balise_review_page_reload (self);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  BaliseReviewPage *self = BALISE_REVIEW_PAGE (widget);
  const char *uuid = g_variant_get_string (param, NULL);
  BaliseReviewRow *row = balise_review_page_find_row (self, uuid);
  GtkWidget *editor;

  if (row == NULL)
    return;

  editor = balise_tag_editor_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->store,
                                  balise_review_row_get_edit (row), reviewer_of (self));
  g_signal_connect_object (editor, "saved", G_CALLBACK (tag_editor_saved_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

/*
 * The server's current version, on demand
 */

typedef struct
{
  BaliseReviewPage *self;
  char             *uuid;
} CompareJob;

static void
compare_job_free (CompareJob *job)
{
  g_clear_object (&job->self);
  g_free (job->uuid);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CompareJob, compare_job_free)

static void
compare_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CompareJob) job = user_data;
  g_autoptr(BaliseEdit) server = NULL;
  g_autoptr(GError) error = NULL;
  BaliseReviewRow *row;
  gboolean deleted = FALSE;

  server = balise_element_fetch_finish (result, &deleted, &error);
  _balise_review_page_set_busy (job->self, FALSE);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The queue may have been read again meanwhile: find the row anew. */
  row = balise_review_page_find_row (job->self, job->uuid);
  if (row == NULL)
    return;

  if (error != NULL)
    {
      /* Translators: the server's version of an element could not be read */
      g_autofree char *message = g_strdup_printf (_("Could not read the server’s version: %s"),
                                                  error->message);

      balise_review_row_show_server (row, NULL, 0, FALSE, message);
      return;
    }

  balise_review_row_show_server (row,
                                 server ? server->new_tags : NULL,
                                 server ? server->base_version : 0,
                                 deleted, NULL);
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  BaliseReviewPage *self = BALISE_REVIEW_PAGE (widget);
  BaliseReviewRow *row = balise_review_page_find_row (self, g_variant_get_string (param, NULL));
  BaliseEdit *edit;
  CompareJob *job;

  if (row == NULL || self->server_url == NULL)
    return;

  edit = balise_review_row_get_edit (row);
  job = g_new0 (CompareJob, 1);
  job->self = g_object_ref (self);
  job->uuid = g_strdup (edit->uuid);

  _balise_review_page_set_busy (self, TRUE);
  balise_element_fetch_async (self->server_url, edit->osm_type, edit->osm_id,
                              self->cancellable, compare_done_cb, job);
}

/*
 * Conflicts from sync
 */

static void
resolve_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BaliseReviewPage) self = user_data;
  g_autofree char *new_uuid = NULL;
  g_autoptr(GError) error = NULL;

  _balise_review_page_set_busy (self, FALSE);

  if (!balise_store_resolve_conflict_finish (BALISE_STORE (object), result, &new_uuid, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _balise_review_page_toast (self, error->message);
      return;
    }

  _balise_review_page_toast (self, new_uuid ? _("Conflict settled; the change is ready to upload")
                                            : _("Conflict settled; the server’s version stays"));
  balise_review_page_reload (self);
}

static void
resolve (BaliseReviewPage     *self,
                             const char           *uuid,
                             BaliseConflictChoice  choice,
                             const char * const   *keep_mine,
                             gboolean              keep_my_position)
{
  g_assert (BALISE_IS_REVIEW_PAGE (self));

  _balise_review_page_set_busy (self, TRUE);
  balise_store_resolve_conflict_async (self->store, uuid, choice, keep_mine, keep_my_position,
                                       reviewer_of (self), self->cancellable,
                                       resolve_done_cb, g_object_ref (self));
}

static void
keep_mine_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  resolve (BALISE_REVIEW_PAGE (widget), g_variant_get_string (param, NULL),
                               BALISE_CONFLICT_KEEP_MINE, NULL, TRUE);
}

static void
keep_theirs_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  resolve (BALISE_REVIEW_PAGE (widget), g_variant_get_string (param, NULL),
                               BALISE_CONFLICT_KEEP_THEIRS, NULL, FALSE);
}

static void
tag_chooser_decided_cb (BaliseTagChooser   *chooser,
                        const char * const *keep_mine,
                        gboolean            keep_my_position,
                        BaliseReviewPage   *self)
{
  resolve (self, balise_tag_chooser_get_uuid (chooser),
                               BALISE_CONFLICT_DECIDE_TAGS, keep_mine, keep_my_position);
}

static void
choose_tags_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  BaliseReviewPage *self = BALISE_REVIEW_PAGE (widget);
  g_autoptr(BaliseConflict) conflict = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *chooser;

  conflict = balise_store_get_conflict (self->store, g_variant_get_string (param, NULL), &error);
  if (conflict == NULL)
    {
      _balise_review_page_toast (self, error->message);
      return;
    }

  chooser = balise_tag_chooser_new (GTK_WINDOW (gtk_widget_get_root (widget)), conflict);
  g_signal_connect_object (chooser, "decided", G_CALLBACK (tag_chooser_decided_cb), self, 0);
  gtk_window_present (GTK_WINDOW (chooser));
}

void
_balise_review_page_class_actions_init (BaliseReviewPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "review.approve", "s", approve_action);
  gtk_widget_class_install_action (widget_class, "review.reject", "s", reject_action);
  gtk_widget_class_install_action (widget_class, "review.has-issues", "s", has_issues_action);
  gtk_widget_class_install_action (widget_class, "review.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "review.compare", "s", compare_action);
  gtk_widget_class_install_action (widget_class, "review.keep-mine", "s", keep_mine_action);
  gtk_widget_class_install_action (widget_class, "review.keep-theirs", "s", keep_theirs_action);
  gtk_widget_class_install_action (widget_class, "review.choose-tags", "s", choose_tags_action);
  gtk_widget_class_install_action (widget_class, "review.approve-selected", NULL,
                                   approve_selected_action);
  gtk_widget_class_install_action (widget_class, "review.reject-selected", NULL,
                                   reject_selected_action);
  gtk_widget_class_install_action (widget_class, "review.has-issues-selected", NULL,
                                   has_issues_selected_action);
  gtk_widget_class_install_action (widget_class, "review.select-all", NULL, select_all_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "review.select-all", NULL);
}
