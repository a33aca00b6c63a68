/* test-online-probe.c: a route is not an answer
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#include <libsoup/soup.h>

#include "balise-online-probe.h"

typedef struct
{
  GMainLoop *loop;
  gboolean   done;
  gboolean   reachable;
  GError    *error;
} Probe;

static void
probe_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Probe *probe = user_data;

  probe->reachable = balise_online_probe_finish (result, &probe->error);
  probe->done = TRUE;
  g_main_loop_quit (probe->loop);
}

/* Runs one probe to its end; returns whether the server answered. */
static gboolean
run_probe (const char  *url,
           guint        timeout_seconds,
           GError     **error)
{
  Probe probe = { g_main_loop_new (NULL, FALSE), FALSE, FALSE, NULL };

  balise_online_probe_async (url, timeout_seconds, NULL, probe_done_cb, &probe);
  if (!probe.done)
    g_main_loop_run (probe.loop);
  g_main_loop_unref (probe.loop);
  if (probe.error != NULL)
    g_propagate_error (error, probe.error);
  return probe.reachable;
}

static void
not_found_cb (SoupServer        *server,
              SoupServerMessage *message,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  guint *requests = user_data;

  (*requests)++;
  g_assert_cmpstr (soup_server_message_get_method (message), ==, "HEAD");
  g_assert_nonnull (g_strrstr (soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                             "User-Agent"), "Balise/"));
  soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
}

static char *
listen_on_loopback (SoupServer *server)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  char *url;

  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

/* Any answer, even an error status, means the server is reachable. */
static void
test_probe_answer (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *tile = NULL;
  guint requests = 0;

  soup_server_add_handler (server, NULL, not_found_cb, &requests, NULL);
  url = listen_on_loopback (server);
  tile = g_strconcat (url, "0/0/0.png", NULL);

  g_assert_true (run_probe (tile, 5, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (requests, ==, 1);
}

/* A port nobody listens on: refused at once. */
static void
test_probe_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* Take a free port, then let it go. */
  g_assert_true (g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u/0/0/0.png", port);

  g_assert_false (run_probe (url, 5, &error));
  g_assert_nonnull (error);
}

/* A server that takes the connection and never answers, as a captive
 * network may: given up after the timeout. */
static gboolean
silent_incoming_cb (GSocketService     *service,
                    GSocketConnection  *connection,
                    GObject            *source_object,
                    gpointer            user_data)
{
  GPtrArray *kept = user_data;

  g_ptr_array_add (kept, g_object_ref (connection));
  return TRUE;
}

static void
test_probe_silent (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gint64 start;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (silent_incoming_cb), kept);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u/0/0/0.png", port);

  start = g_get_monotonic_time ();
  g_assert_false (run_probe (url, 1, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (kept->len, ==, 1);
  g_socket_service_stop (service);
}

static void
test_probe_bad_url (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (run_probe ("not a url", 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/online-probe/answer", test_probe_answer);
  g_test_add_func ("/online-probe/refused", test_probe_refused);
  g_test_add_func ("/online-probe/silent", test_probe_silent);
  g_test_add_func ("/online-probe/bad-url", test_probe_bad_url);

  return g_test_run ();
}
