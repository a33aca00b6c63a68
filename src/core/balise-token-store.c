/* balise-token-store.c: the access token of each server, in the keyring
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-token"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "balise-token-store.h"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.balise.Balise.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* The same server whatever the caller wrote: a trailing '/' always. */
static char *
server_key (const char *api_url)
{
  return g_str_has_suffix (api_url, "/") ? g_strdup (api_url) : g_strconcat (api_url, "/", NULL);
}

/* libsecret's errors (no D-Bus session, a locked or missing keyring) as
 * one plain error that says what it means for the person. */
static void
set_keyring_error (GError     **error,
                   GError      *cause,
                   const char  *what)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return;
    }

  g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED,
               "%s: no keyring could be reached (%s). Balise keeps working signed out; "
               "for one command, balise-cli reads a token from BALISE_TOKEN",
               what, cause->message);
  g_error_free (cause);
}

gboolean
balise_token_store_save (const char    *api_url,
                         const char    *token,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *key = NULL;
  g_autofree char *label = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (api_url != NULL, FALSE);
  g_return_val_if_fail (token != NULL && *token != '\0', FALSE);

  key = server_key (api_url);
  label = g_strdup_printf (_("Balise sign-in for %s"), key);
  if (!secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                                   cancellable, &local_error, "server", key, NULL))
    {
      set_keyring_error (error, local_error, "Could not keep the sign-in");
      return FALSE;
    }
  return TRUE;
}

char *
balise_token_store_lookup (const char    *api_url,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *key = NULL;
  GError *local_error = NULL;
  char *secret;
  char *token;

  g_return_val_if_fail (api_url != NULL, NULL);

  key = server_key (api_url);
  secret = secret_password_lookup_sync (token_schema (), cancellable, &local_error,
                                        "server", key, NULL);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, "Could not read the sign-in");
      return NULL;
    }

  /* Out of libsecret's non-pageable memory into an ordinary string: it
   * goes into an HTTP header anyway. */
  token = g_strdup (secret);
  secret_password_free (secret);
  return token;
}

gboolean
balise_token_store_clear (const char    *api_url,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree char *key = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (api_url != NULL, FALSE);

  key = server_key (api_url);
  secret_password_clear_sync (token_schema (), cancellable, &local_error, "server", key, NULL);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, "Could not sign out");
      return FALSE;
    }
  return TRUE;
}

/*
 * Async
 */

static void
store_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    {
      GError *plain = NULL;

      set_keyring_error (&plain, error, "Could not keep the sign-in");
      g_task_return_error (task, plain);
    }
}

void
balise_token_store_save_async (const char          *api_url,
                               const char          *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *key = NULL;
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (api_url != NULL);
  g_return_if_fail (token != NULL && *token != '\0');

  key = server_key (api_url);
  label = g_strdup_printf (_("Balise sign-in for %s"), key);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_token_store_save_async);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                         store_done_cb, task, "server", key, NULL);
}

gboolean
balise_token_store_save_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      GError *plain = NULL;

      set_keyring_error (&plain, error, "Could not read the sign-in");
      g_task_return_error (task, plain);
      return;
    }

  g_task_return_pointer (task, g_strdup (secret), g_free);
  secret_password_free (secret);
}

void
balise_token_store_lookup_async (const char          *api_url,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *key = NULL;
  GTask *task;

  g_return_if_fail (api_url != NULL);

  key = server_key (api_url);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_token_store_lookup_async);
  secret_password_lookup (token_schema (), cancellable, lookup_done_cb, task, "server", key, NULL);
}

char *
balise_token_store_lookup_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      GError *plain = NULL;

      set_keyring_error (&plain, error, "Could not sign out");
      g_task_return_error (task, plain);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
balise_token_store_clear_async (const char          *api_url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *key = NULL;
  GTask *task;

  g_return_if_fail (api_url != NULL);

  key = server_key (api_url);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_token_store_clear_async);
  secret_password_clear (token_schema (), cancellable, clear_done_cb, task, "server", key, NULL);
}

gboolean
balise_token_store_clear_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
