/* balise-preferences-window.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-changeset-tags.h"
#include "balise-oauth.h"
#include "balise-preferences-window.h"
#include "balise-servers.h"
#include "balise-sync-client.h"
#include "balise-token-store.h"

struct _BalisePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwEntryRow          *contributor_row;
  AdwEntryRow          *server_row;
  AdwActionRow         *auto_sync_row;
  GtkSwitch            *auto_sync_switch;
  AdwPreferencesGroup  *project_group;
  AdwEntryRow          *hashtags_row;
  AdwActionRow         *account_row;
  GtkButton            *sign_in_button;
  GtkButton            *sign_out_button;
  AdwEntryRow          *client_id_row;

  /* Owned references */
  GSettings            *settings;
  GCancellable         *account_cancellable;   /* reading who is signed in */
  GCancellable         *login_cancellable;     /* a sign-in in the browser */
  BaliseOAuthLogin     *login;
};

G_DEFINE_FINAL_TYPE (BalisePreferencesWindow, balise_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/*
 * Account
 */

static char *
api_url (BalisePreferencesWindow *self)
{
  g_autofree char *setting = g_settings_get_string (self->settings, "server-url");

  return g_strdup (balise_server_api_url (setting));
}

static void
show_account (BalisePreferencesWindow *self,
              const char              *title,
              const char              *subtitle,
              gboolean                 signed_in)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), title);
  adw_action_row_set_subtitle (self->account_row, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), !signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_out_button), signed_in);
}

static void
user_found_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BalisePreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *url = NULL;

  name = balise_sync_client_get_user_finish (BALISE_SYNC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  url = api_url (self);
  if (name != NULL)
    {
      title = g_strdup_printf (_("Signed In as %s"), name);
      show_account (self, title, url, TRUE);
    }
  else if (g_error_matches (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAUTHORIZED))
    show_account (self, _("Sign-In Expired"), _("The server no longer accepts it: sign in again"),
                  FALSE);
  else
    show_account (self, _("Signed In"), _("The server could not be reached to tell by whom"), TRUE);
}

static void
token_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BalisePreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseSyncClient) client = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;

  token = balise_token_store_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      show_account (self, _("Not Signed In"), _("No keyring is available to keep a sign-in"), FALSE);
      return;
    }
  if (token == NULL)
    {
      show_account (self, _("Not Signed In"), _("Notes can still be sent anonymously"), FALSE);
      return;
    }

  url = api_url (self);
  show_account (self, _("Signed In"), url, TRUE);
  client = balise_sync_client_new (url, token);
  balise_sync_client_get_user_async (client, self->account_cancellable, user_found_cb,
                                     g_object_ref (self));
}

static void
refresh_account (BalisePreferencesWindow *self)
{
  g_autofree char *url = api_url (self);

  g_cancellable_cancel (self->account_cancellable);
  g_clear_object (&self->account_cancellable);
  self->account_cancellable = g_cancellable_new ();

  balise_token_store_lookup_async (url, self->account_cancellable, token_found_cb,
                                   g_object_ref (self));
}

static void
show_error (BalisePreferencesWindow *self,
            const GError            *error)
{
  g_autoptr(AdwToast) toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 0);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), g_steal_pointer (&toast));
}

static void
end_login (BalisePreferencesWindow *self)
{
  g_clear_object (&self->login);
  g_clear_object (&self->login_cancellable);
  gtk_button_set_label (self->sign_in_button, _("_Sign In"));
}

static void
token_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BalisePreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!balise_token_store_save_finish (result, &error))
    show_error (self, error);
  refresh_account (self);
}

static void
login_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BalisePreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;

  token = balise_oauth_login_wait_finish (BALISE_OAUTH_LOGIN (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  end_login (self);
  if (token == NULL)
    {
      show_error (self, error);
      refresh_account (self);
      return;
    }

  url = api_url (self);
  balise_token_store_save_async (url, token, NULL, token_saved_cb, g_object_ref (self));
}

static void
browser_launched_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(BalisePreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error);
}

static void
balise_preferences_window_sign_in_clicked_cb (BalisePreferencesWindow *self,
                                              GtkButton               *button)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *client_id = NULL;

  g_assert (BALISE_IS_PREFERENCES_WINDOW (self));

  /* Pressed again while the browser is open: give up that sign-in. */
  if (self->login != NULL)
    {
      g_cancellable_cancel (self->login_cancellable);
      end_login (self);
      refresh_account (self);
      return;
    }

  url = api_url (self);
  client_id = g_settings_get_string (self->settings, "oauth-client-id");
  self->login = balise_oauth_login_new (balise_server_auth_url (url), client_id, &error);
  if (self->login == NULL)
    {
      show_error (self, error);
      return;
    }

  self->login_cancellable = g_cancellable_new ();
  show_account (self, _("Signing In…"), _("Finish in your browser, then come back here"), FALSE);
  gtk_button_set_label (self->sign_in_button, _("_Cancel"));

  balise_oauth_login_wait_async (self->login, self->login_cancellable, login_done_cb,
                                 g_object_ref (self));
  g_app_info_launch_default_for_uri_async (balise_oauth_login_get_authorize_url (self->login),
                                           NULL, self->login_cancellable, browser_launched_cb,
                                           g_object_ref (self));
}

static void
signed_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BalisePreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!balise_token_store_clear_finish (result, &error))
    show_error (self, error);
  refresh_account (self);
}

static void
balise_preferences_window_sign_out_clicked_cb (BalisePreferencesWindow *self,
                                               GtkButton               *button)
{
  g_autofree char *url = api_url (self);

  g_assert (BALISE_IS_PREFERENCES_WINDOW (self));

  balise_token_store_clear_async (url, NULL, signed_out_cb, g_object_ref (self));
}

static void
server_changed_cb (BalisePreferencesWindow *self)
{
  refresh_account (self);
}

/*
 * GObject
 */

/* Only hashtags reach the setting: a word that is none stays in the field,
 * marked, with the reason under the group's title. */
static GVariant *
hashtags_to_setting (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  const char *text = g_value_get_string (value);
  g_auto(GStrv) hashtags = NULL;

  if (text == NULL || !(hashtags = balise_hashtags_parse (text, NULL)))
    return NULL;

  return g_variant_new_string (text);
}

static gboolean
hashtags_from_setting (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  g_value_set_string (value, g_variant_get_string (variant, NULL));
  return TRUE;
}

static void
balise_preferences_window_hashtags_changed_cb (BalisePreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) hashtags = NULL;

  hashtags = balise_hashtags_parse (gtk_editable_get_text (GTK_EDITABLE (self->hashtags_row)), &error);
  if (hashtags == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->hashtags_row), "error");
      adw_preferences_group_set_description (self->project_group, error->message);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->hashtags_row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->hashtags_row), "error");
      adw_preferences_group_set_description (self->project_group,
                                             _("Hashtags end every changeset comment and go in its "
                                               "hashtags tag, as OpenStreetMap’s organised editing "
                                               "guidelines ask, e.g. #balise #monaco-stops."));
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->hashtags_row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
balise_preferences_window_dispose (GObject *object)
{
  BalisePreferencesWindow *self = (BalisePreferencesWindow *)object;

  g_cancellable_cancel (self->account_cancellable);
  g_cancellable_cancel (self->login_cancellable);
  g_clear_object (&self->account_cancellable);
  g_clear_object (&self->login_cancellable);
  g_clear_object (&self->login);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (balise_preferences_window_parent_class)->dispose (object);
}

static void
balise_preferences_window_class_init (BalisePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BalisePreferencesWindow, contributor_row);
  gtk_widget_class_bind_template_child (widget_class, BalisePreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, BalisePreferencesWindow, auto_sync_row);
  gtk_widget_class_bind_template_child (widget_class, BalisePreferencesWindow, auto_sync_switch);
  gtk_widget_class_bind_template_child (widget_class, BalisePreferencesWindow, project_group);
  gtk_widget_class_bind_template_child (widget_class, BalisePreferencesWindow, hashtags_row);
  gtk_widget_class_bind_template_callback (widget_class, balise_preferences_window_hashtags_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, BalisePreferencesWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, BalisePreferencesWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, BalisePreferencesWindow, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, BalisePreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_callback (widget_class, balise_preferences_window_sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, balise_preferences_window_sign_out_clicked_cb);
}

static void
balise_preferences_window_init (BalisePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.balise.Balise");

  g_settings_bind (self->settings, "contributor-name",
                   self->contributor_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "server-url",
                   self->server_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "auto-sync",
                   self->auto_sync_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "hashtags",
                                self->hashtags_row, "text",
                                G_SETTINGS_BIND_DEFAULT,
                                hashtags_from_setting, hashtags_to_setting,
                                NULL, NULL);
  g_settings_bind (self->settings, "oauth-client-id",
                   self->client_id_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::server-url",
                           G_CALLBACK (server_changed_cb), self, G_CONNECT_SWAPPED);

  refresh_account (self);
}

BalisePreferencesWindow *
balise_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (BALISE_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}
