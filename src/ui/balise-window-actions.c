/* balise-window-actions.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-window-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-servers.h"
#include "balise-token-store.h"
#include "balise-upload-dialog.h"
#include "balise-upload-preview.h"
#include "balise-window-private.h"

typedef struct
{
  BaliseWindow *self;
  GApplication *app;
  char         *comment;   /* as the composer wrote it; NULL for a summary */
  gboolean      credit;
  gboolean      automatic; /* started by automatic sync, not by hand */
} SyncData;

static void
sync_data_free (SyncData *data)
{
  if (data->app != NULL)
    g_application_release (data->app);

  g_clear_object (&data->app);
  g_clear_object (&data->self);
  g_free (data->comment);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncData, sync_data_free)

static void
balise_window_set_syncing (BaliseWindow *self,
                           gboolean      syncing)
{
  g_assert (BALISE_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->sync_stack, syncing ? "busy" : "idle");
  gtk_spinner_set_spinning (self->sync_spinner, syncing);

  _balise_window_actions_update (self);
  _balise_window_notify_syncing (self);
}

static void
balise_window_sync_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  BaliseSyncClient *client = (BaliseSyncClient *)object;
  g_autoptr(SyncData) data = user_data;
  g_autofree BaliseSyncReport *report = NULL;
  g_autoptr(GError) error = NULL;
  BaliseWindow *self = data->self;
  AdwToast *toast;
  gboolean quiet;

  g_assert (BALISE_IS_SYNC_CLIENT (client));
  g_assert (BALISE_IS_WINDOW (self));

  report = balise_sync_client_sync_finish (client, result, &error);

  /* An automatic sync that found no server is no news: the status over the
   * map says it retries, and nobody asked for this sync. */
  quiet = data->automatic && g_error_matches (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NETWORK);
  if (quiet)
    g_message ("Automatic sync with %s failed: %s",
               balise_sync_client_get_api_url (client), error->message);
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Sync with %s failed: %s",
               balise_sync_client_get_api_url (client), error->message);

  g_clear_object (&self->sync_cancellable);

  /* The window was closed while the sync ran: nothing left to show. */
  if (self->store == NULL)
    return;

  balise_window_set_syncing (self, FALSE);

  if (report != NULL)
    {
      g_autofree char *summary = balise_sync_report_describe (report);

      toast = adw_toast_new (summary);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      toast = adw_toast_new (_("Sync cancelled"));
    }
  else
    {
      const char *title;

      /* A toast holds one short line: the server's words go in Details. */
      if (g_error_matches (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NETWORK))
        title = _("Sync failed: could not reach the server");
      else if (g_error_matches (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAUTHORIZED))
        title = _("Sync failed: sign in again");
      else if (g_error_matches (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BUSY))
        title = _("Another sync of this database is running");
      else
        title = _("Sync failed");

      toast = adw_toast_new (title);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_button_label (toast, _("_Details"));
      adw_toast_set_action_name (toast, "win.show-sync-error");
      adw_toast_set_action_target_value (toast, g_variant_new_string (error->message));
    }

  _balise_window_emit_sync_finished (self, adw_toast_get_title (toast));
  if (quiet)
    g_object_unref (toast);
  else
    balise_window_add_toast (self, toast);

  /* Last: automatic sync backs off after a failure, and may start the
   * next sync at once. */
  if (self->auto_sync != NULL)
    balise_auto_sync_controller_sync_finished (self->auto_sync, report != NULL);
}

/* The client for the server of the settings, with the project's hashtags
 * and the composer's choice of credits. */
static BaliseSyncClient *
balise_window_new_sync_client (BaliseWindow *self,
                               SyncData     *data,
                               const char   *token)
{
  g_autofree char *server_url = g_settings_get_string (self->settings, "server-url");
  g_autofree char *hashtags = g_settings_get_string (self->settings, "hashtags");
  g_autoptr(BaliseSyncClient) client = balise_sync_client_new (balise_server_api_url (server_url), token);
  g_autoptr(GError) error = NULL;

  /* The composer refuses hashtags that are not; a sync with nothing to
   * send (no composer) goes on without them. */
  if (!balise_sync_client_set_hashtags (client, hashtags, &error))
    g_message ("Hashtags left out: %s", error->message);
  balise_sync_client_set_credit_contributors (client, data->credit);

  return g_steal_pointer (&client);
}

static void
balise_window_token_found_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(SyncData) data = user_data;
  g_autoptr(BaliseSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  BaliseWindow *self = data->self;
  const char *comment;

  token = balise_token_store_lookup_finish (result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* No keyring: notes can still go, anonymously; a changeset then asks
       * to sign in, and nothing is lost. */
      g_message ("%s", error->message);
    }

  /* The sync copies the comment before data goes to the callback. */
  comment = data->comment;
  client = balise_window_new_sync_client (self, data, token);
  balise_sync_client_sync_async (client,
                                 self->store,
                                 comment,
                                 self->sync_cancellable,
                                 balise_window_sync_cb,
                                 g_steal_pointer (&data));
}

/* Starts the sync; @comment is the composer's, or NULL when there is
 * nothing to send (notes are refreshed, unfinished batches settled). */
static void
balise_window_start_sync (BaliseWindow *self,
                          const char   *comment,
                          gboolean      credit,
                          gboolean      automatic)
{
  g_autofree char *server_url = NULL;
  GtkApplication *app;
  SyncData *data;
  const char *env_token;

  g_assert (BALISE_IS_WINDOW (self));

  if (self->sync_cancellable != NULL || self->store == NULL)
    return;

  server_url = g_settings_get_string (self->settings, "server-url");
  self->sync_cancellable = g_cancellable_new ();
  /* By hand or by itself, this is the sync automatic sync waits for. */
  self->auto_sync_deferred = FALSE;
  if (self->auto_sync != NULL)
    balise_auto_sync_controller_sync_started (self->auto_sync);

  /* No "Syncing…" toast: the header's spinner says it, and is the Cancel
   * button. libadwaita 1.2 crashes when a toast is dismissed or replaced
   * while it is still sliding in, which a quick sync (or one failing at
   * once, offline) would do. */
  balise_window_set_syncing (self, TRUE);

  /* Keep the application alive until the sync has written its results back,
   * even when the window is closed in the middle. */
  data = g_new0 (SyncData, 1);
  data->self = g_object_ref (self);
  data->comment = g_strdup (comment);
  data->credit = credit;
  data->automatic = automatic;

  if ((app = gtk_window_get_application (GTK_WINDOW (self))))
    {
      data->app = g_object_ref (G_APPLICATION (app));
      g_application_hold (data->app);
    }

  /* The token of that server, from the keyring (BALISE_TOKEN, when set,
   * is for scripted runs and tests). */
  env_token = g_getenv ("BALISE_TOKEN");
  if (env_token != NULL && *env_token != '\0')
    {
      g_autoptr(BaliseSyncClient) client = balise_window_new_sync_client (self, data, env_token);

      balise_sync_client_sync_async (client, self->store, data->comment, self->sync_cancellable,
                                     balise_window_sync_cb, data);
      return;
    }

  balise_token_store_lookup_async (balise_server_api_url (server_url), self->sync_cancellable,
                                   balise_window_token_found_cb, data);
}

static void
balise_window_upload_cb (BaliseWindow       *self,
                         BaliseUploadDialog *dialog)
{
  g_assert (BALISE_IS_WINDOW (self));
  g_assert (BALISE_IS_UPLOAD_DIALOG (dialog));

  balise_window_start_sync (self,
                            balise_upload_dialog_get_comment (dialog),
                            balise_upload_dialog_get_credit (dialog),
                            FALSE);
}

static void
balise_window_start_auto_sync (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));

  /* The comment is the summary with the project's hashtags, as the
   * composer offers it; the credits as the composer's switch was left. */
  balise_window_start_sync (self, NULL,
                            g_settings_get_boolean (self->settings, "credit-contributors"),
                            TRUE);
}

/* Automatic sync waited for the composer, closed without Upload, or for
 * its preparation, which ended without one. */
static void
balise_window_run_deferred_auto_sync (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));

  if (!self->auto_sync_deferred || self->composer != NULL || self->preparing_upload ||
      self->sync_cancellable != NULL)
    return;

  self->auto_sync_deferred = FALSE;
  balise_window_start_auto_sync (self);
}

static void
balise_window_composer_destroyed_cb (BaliseWindow *self,
                                     GtkWidget    *composer)
{
  g_assert (BALISE_IS_WINDOW (self));

  if (self->composer == composer)
    self->composer = NULL;
  balise_window_run_deferred_auto_sync (self);
}

static void
balise_window_auto_sync_wanted_cb (BaliseWindow   *self,
                                   BaliseAutoSync *auto_sync)
{
  g_assert (BALISE_IS_WINDOW (self));

  /* A sync by hand runs: the automatic one is that one. */
  if (self->sync_cancellable != NULL)
    return;

  /* Someone is writing a comment in the composer: their upload comes
   * first; without it, the automatic one goes once the composer closes. */
  if (self->composer != NULL || self->preparing_upload)
    {
      g_debug ("Automatic sync waits for the composer");
      self->auto_sync_deferred = TRUE;
      return;
    }

  g_debug ("Automatic sync starts");
  balise_window_start_auto_sync (self);
}

static void
balise_window_auto_sync_status_cb (BaliseWindow             *self,
                                   GParamSpec               *pspec,
                                   BaliseAutoSyncController *controller)
{
  const char *status = balise_auto_sync_controller_get_status (controller);

  g_assert (BALISE_IS_WINDOW (self));

  /* A hidden revealer keeps the last words while it fades out. */
  if (status != NULL)
    gtk_label_set_label (self->auto_sync_label, status);
  gtk_revealer_set_reveal_child (self->auto_sync_revealer, status != NULL);
}

/* Back from the preferences (or the browser), maybe signed in. */
static void
balise_window_active_changed_cb (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));

  if (self->auto_sync != NULL && gtk_window_is_active (GTK_WINDOW (self)))
    balise_auto_sync_controller_refresh_sign_in (self->auto_sync);
}

void
_balise_window_setup_auto_sync (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));
  g_assert (self->auto_sync == NULL);

  self->auto_sync = balise_auto_sync_controller_new (self->store);
  g_signal_connect_object (balise_auto_sync_controller_get_auto_sync (self->auto_sync),
                           "sync-wanted", G_CALLBACK (balise_window_auto_sync_wanted_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->auto_sync, "notify::status",
                           G_CALLBACK (balise_window_auto_sync_status_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (balise_window_active_changed_cb), NULL);
  balise_auto_sync_controller_start (self->auto_sync);
}

void
_balise_window_dispose_auto_sync (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));

  if (self->composer != NULL)
    g_signal_handlers_disconnect_by_data (self->composer, self);
  self->composer = NULL;
  g_clear_object (&self->auto_sync);
}

static void
balise_window_preview_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(BaliseWindow) self = user_data;
  g_autoptr(BaliseUploadPreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  GtkApplication *app;
  GtkWindow *parent;
  GtkWidget *dialog;

  self->preparing_upload = FALSE;
  preview = balise_store_preview_upload_finish (BALISE_STORE (object), result, &error);
  if (self->store == NULL)
    return;
  _balise_window_notify_syncing (self);

  if (preview == NULL)
    {
      AdwToast *toast = adw_toast_new (_("Could not read the changes to upload"));

      g_warning ("%s", error->message);
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_button_label (toast, _("_Details"));
      adw_toast_set_action_name (toast, "win.show-sync-error");
      adw_toast_set_action_target_value (toast, g_variant_new_string (error->message));
      balise_window_add_toast (self, toast);
      balise_window_run_deferred_auto_sync (self);
      return;
    }

  /* Nothing to send: no comment to write; the sync still settles what an
   * interrupted one left and refreshes the notes. */
  if (preview->n_edits == 0 && preview->n_notes == 0)
    {
      balise_window_start_sync (self, NULL, FALSE, FALSE);
      return;
    }

  /* Over the window Sync was pressed in: this one, or the review window. */
  app = gtk_window_get_application (GTK_WINDOW (self));
  parent = app != NULL ? gtk_application_get_active_window (app) : NULL;
  if (parent == NULL)
    parent = GTK_WINDOW (self);

  server_url = g_settings_get_string (self->settings, "server-url");
  dialog = balise_upload_dialog_new (parent, preview, balise_server_api_url (server_url));
  g_signal_connect_object (dialog, "upload", G_CALLBACK (balise_window_upload_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (balise_window_composer_destroyed_cb),
                           self, G_CONNECT_SWAPPED);
  self->composer = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Sync starts with the composer: what will be sent, the comment, the
 * hashtags and the credits, then Upload. */
static void
balise_window_sync_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);

  g_assert (BALISE_IS_WINDOW (self));

  if (self->sync_cancellable != NULL || self->preparing_upload)
    return;

  self->preparing_upload = TRUE;
  _balise_window_notify_syncing (self);
  balise_store_preview_upload_async (self->store, NULL, balise_window_preview_cb, g_object_ref (self));
}

static void
balise_window_show_sync_error_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);
  GtkWidget *dialog;

  g_assert (BALISE_IS_WINDOW (self));
  g_assert (g_variant_is_of_type (param, G_VARIANT_TYPE_STRING));

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("Sync Failed"),
                                   g_variant_get_string (param, NULL));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
balise_window_cancel_sync_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  _balise_window_cancel_sync (BALISE_WINDOW (widget));
}

void
_balise_window_cancel_sync (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));

  if (self->sync_cancellable != NULL)
    g_cancellable_cancel (self->sync_cancellable);
}

void
_balise_window_actions_update (BaliseWindow *self)
{
  gboolean syncing;

  g_assert (BALISE_IS_WINDOW (self));

  syncing = self->sync_cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync", !syncing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-sync", syncing);
}

void
_balise_window_class_actions_init (BaliseWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.sync", NULL,
                                   balise_window_sync_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-sync", NULL,
                                   balise_window_cancel_sync_action);
  gtk_widget_class_install_action (widget_class, "win.show-sync-error", "s",
                                   balise_window_show_sync_error_action);
}
