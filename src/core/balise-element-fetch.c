/* balise-element-fetch.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-element-fetch"

#include "config.h"

#include <libsoup/soup.h>

#include "balise-element-fetch.h"
#include "balise-osm-xml.h"
#include "balise-sync-client.h"

/* An element is a few kilobytes; refuse anything absurd. */
#define MAX_ANSWER_BYTES (4 * 1024 * 1024)

typedef struct
{
  SoupSession *session;
  gboolean     deleted;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_clear_object (&data->session);
  g_free (data);
}

static void
balise_element_fetch_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (object);
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *message;
  BaliseEdit *element;
  guint status;

  bytes = soup_session_send_and_read_finish (session, result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NETWORK,
                                 "Could not reach the server: %s", error->message);
      return;
    }

  message = soup_session_get_async_result_message (session, result);
  status = soup_message_get_status (message);

  if (status == SOUP_STATUS_GONE)
    {
      data->deleted = TRUE;
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      g_task_return_new_error (task, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NOT_FOUND,
                               "The server has no such element");
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      const char *reason = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                         "Error");

      g_task_return_new_error (task, BALISE_SYNC_ERROR,
                               status >= 500 ? BALISE_SYNC_ERROR_SERVER : BALISE_SYNC_ERROR_FAILED,
                               "The server answered %u %s", status,
                               reason ? reason : soup_message_get_reason_phrase (message));
      return;
    }
  if (g_bytes_get_size (bytes) > MAX_ANSWER_BYTES)
    {
      g_task_return_new_error (task, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BAD_RESPONSE,
                               "The server's answer is too large for one element");
      return;
    }

  element = balise_osm_xml_parse_element (bytes, &error);
  if (element == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, element, (GDestroyNotify) balise_edit_unref);
}

/**
 * balise_element_fetch_async:
 * @api_url: the server's base URL, e.g. "https://api.openstreetmap.org/"
 */
void
balise_element_fetch_async (const char          *api_url,
                            BaliseOsmType        osm_type,
                            gint64               osm_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  FetchData *data;

  g_return_if_fail (api_url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_element_fetch_async);

  if (!balise_sync_check_server_url (api_url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (osm_id <= 0)
    {
      g_task_return_new_error (task, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NOT_FOUND,
                               "The element %" G_GINT64_FORMAT " is not on the server yet", osm_id);
      return;
    }

  url = g_strdup_printf ("%s%sapi/0.6/%s/%" G_GINT64_FORMAT, api_url,
                         g_str_has_suffix (api_url, "/") ? "" : "/",
                         balise_osm_type_to_string (osm_type), osm_id);
  message = soup_message_new ("GET", url);
  if (message == NULL)
    {
      g_task_return_new_error (task, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED,
                               "“%s” is not a valid address", url);
      return;
    }

  data = g_new0 (FetchData, 1);
  data->session = soup_session_new_with_options ("user-agent", "Balise/" PACKAGE_VERSION " ",
                                                 "timeout", 30,
                                                 NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  soup_session_send_and_read_async (data->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    balise_element_fetch_cb, g_steal_pointer (&task));
}

BaliseEdit *
balise_element_fetch_finish (GAsyncResult  *result,
                             gboolean      *deleted,
                             GError       **error)
{
  FetchData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (deleted != NULL)
    *deleted = data != NULL && data->deleted;

  return g_task_propagate_pointer (G_TASK (result), error);
}
