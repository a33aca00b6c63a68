/* balise-online-probe.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-online"

#include "config.h"

#include <libsoup/soup.h>

#include "balise-online-probe.h"

static void
probe_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GInputStream) stream = NULL;
  GError *error = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      g_debug ("The probe got no answer: %s", error->message);
      g_task_return_error (task, error);
      return;
    }

  g_input_stream_close (stream, NULL, NULL);
  g_task_return_boolean (task, TRUE);
}

void
balise_online_probe_async (const char          *url,
                           guint                timeout_seconds,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;

  g_return_if_fail (url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_online_probe_async);

  message = soup_message_new (SOUP_METHOD_HEAD, url);
  if (message == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "“%s” is not a web address", url);
      return;
    }

  session = soup_session_new_with_options ("timeout", timeout_seconds,
                                           "idle-timeout", timeout_seconds,
                                           "user-agent", "Balise/" PACKAGE_VERSION
                                                         " (+https://github.com/balise/balise)",
                                           NULL);
  /* The task keeps the session alive until the answer. */
  g_task_set_task_data (task, g_object_ref (session), g_object_unref);
  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, cancellable,
                           probe_sent_cb, g_steal_pointer (&task));
}

gboolean
balise_online_probe_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
