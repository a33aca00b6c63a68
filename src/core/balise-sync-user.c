/* balise-sync-user.c: who is signed in (user/details)
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-sync"

#include "config.h"

#include "balise-sync-client-private.h"

static void
get_user_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  BaliseSyncClient *client = source_object;
  BaliseSyncRun run = { client, NULL, };
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gint64 uid = 0;

  if (_balise_sync_client_get_token (client) == NULL)
    {
      g_task_return_new_error (task, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAUTHORIZED,
                               "Nobody is signed in to %s",
                               balise_sync_client_get_api_url (client));
      return;
    }

  session = soup_session_new_with_options ("user-agent", "Balise/" PACKAGE_VERSION " ",
                                           "timeout", _balise_sync_client_get_timeout (client),
                                           NULL);
  run.session = session;

  if (!balise_sync_check_server_url (balise_sync_client_get_api_url (client), &error) ||
      !(answer = _balise_sync_api_call (&run, "GET", "api/0.6/user/details", NULL, NULL, NULL,
                                        cancellable, &error)) ||
      !balise_osm_xml_parse_user (answer, &uid, &name, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&name), g_free);
}

/**
 * balise_sync_client_get_user_async:
 *
 * Asks the server who the token belongs to (`GET /api/0.6/user/details`).
 */
void
balise_sync_client_get_user_async (BaliseSyncClient    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BALISE_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_sync_client_get_user_async);
  g_task_run_in_thread (task, get_user_thread);
}

/**
 * balise_sync_client_get_user_finish:
 *
 * Returns: (transfer full): the display name of the signed-in mapper.
 */
char *
balise_sync_client_get_user_finish (BaliseSyncClient  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (BALISE_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
