/* test-sign-in.c: OAuth 2 with PKCE against the test server, and the
 * keyring (libsecret's own file backend, the real API)
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#define _GNU_SOURCE
#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sys/stat.h>

#include "balise-core.h"
#include "balise-test-server.h"
#include "balise-test-utils.h"

/* libsecret's file backend (the tests' keyring) leaks one small string
 * inside GIO when it writes its file (libsecret 0.20.5); not ours. */
const char *__lsan_default_suppressions (void);
const char *__asan_default_options (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:libsecret-1.so\n";
}

/* The slow unwinder, so that the suppression sees libsecret's frames. */
const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

static void
test_pkce (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = balise_oauth_new_verifier (&error);
  g_autofree char *b = balise_oauth_new_verifier (&error);
  g_autofree char *rfc = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (a), ==, 43);
  g_assert_cmpstr (a, !=, b);
  for (const char *p = a; *p; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');

  /* RFC 7636, appendix B. */
  rfc = balise_oauth_challenge ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  g_assert_cmpstr (rfc, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

typedef struct
{
  GMainLoop *loop;
  char      *token;
  GError    *error;
  guint      browser_status;
  gboolean   login_done;
  gboolean   browser_done;
} Flow;

static void
login_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Flow *flow = user_data;

  flow->token = balise_oauth_login_wait_finish (BALISE_OAUTH_LOGIN (source), result, &flow->error);
  flow->login_done = TRUE;
  if (flow->browser_done)
    g_main_loop_quit (flow->loop);
}

static void
browser_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Flow *flow = user_data;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GError) error = NULL;

  page = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  flow->browser_status =
    soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (source), result));
  flow->browser_done = TRUE;
  if (flow->login_done)
    g_main_loop_quit (flow->loop);
}

/* The browser: opens @uri and follows the redirects, as a person's would. */
static void
browse (SoupSession *session,
        const char  *uri,
        Flow        *flow)
{
  g_autoptr(SoupMessage) message = soup_message_new ("GET", uri);

  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL,
                                    browser_done_cb, flow);
}

static void
test_login (void)
{
  g_autoptr(BaliseTestServer) server = balise_test_server_new (NULL, "issued-token");
  g_autoptr(BaliseOAuthLogin) login = NULL;
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) authorize = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *stray = NULL;
  Flow flow = { loop, };

  g_assert_true (balise_test_server_start (server, 0, &error));
  login = balise_oauth_login_new (balise_test_server_get_url (server), "balise-test", &error);
  g_assert_no_error (error);

  authorize = g_uri_parse (balise_oauth_login_get_authorize_url (login), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  params = g_uri_parse_params (g_uri_get_query (authorize), -1, "&", G_URI_PARAMS_WWW_FORM, &error);
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, "balise-test");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==, "read_prefs write_api write_notes");
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (params, "redirect_uri"), "http://127.0.0.1:"));
  g_assert_cmpuint (strlen (g_hash_table_lookup (params, "state")), >=, 16);

  balise_oauth_login_wait_async (login, NULL, login_done_cb, &flow);

  /* Another page comes to the loopback port with a state that is not
   * ours: refused, and the sign-in goes on. */
  stray = g_strdup_printf ("%s?code=forged&state=not-ours", balise_oauth_login_get_redirect_uri (login));
  browse (browser, stray, &flow);
  while (!flow.browser_done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (flow.browser_status, ==, 400);
  g_assert_false (flow.login_done);

  flow.browser_done = FALSE;
  browse (browser, balise_oauth_login_get_authorize_url (login), &flow);
  g_main_loop_run (loop);

  g_assert_no_error (flow.error);
  g_assert_cmpstr (flow.token, ==, "issued-token");
  g_assert_cmpuint (flow.browser_status, ==, 200);
  g_free (flow.token);

  /* The code was used once; the server will not take it again. */
  g_assert_cmpint (balise_test_server_query_int (server, "SELECT count(*) FROM oauth_code WHERE used = 1"),
                   ==, 1);
}

static void
test_login_refused (void)
{
  g_autoptr(BaliseOAuthLogin) login = NULL;
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) authorize = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *denied = NULL;
  Flow flow = { loop, };

  login = balise_oauth_login_new ("http://127.0.0.1:9/", "balise-test", &error);
  g_assert_no_error (error);
  authorize = g_uri_parse (balise_oauth_login_get_authorize_url (login), G_URI_FLAGS_NONE, NULL);
  params = g_uri_parse_params (g_uri_get_query (authorize), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);

  balise_oauth_login_wait_async (login, NULL, login_done_cb, &flow);
  /* The person pressed "Deny": the website sends the browser back so. */
  denied = g_strdup_printf ("%s?error=access_denied&state=%s",
                            balise_oauth_login_get_redirect_uri (login),
                            (char *) g_hash_table_lookup (params, "state"));
  browse (browser, denied, &flow);
  g_main_loop_run (loop);

  g_assert_null (flow.token);
  g_assert_error (flow.error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (flow.error->message, "access_denied"));
  g_clear_error (&flow.error);
}

static void
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
}

static void
test_login_cancelled (void)
{
  g_autoptr(BaliseOAuthLogin) login = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Flow flow = { loop, };

  login = balise_oauth_login_new ("http://127.0.0.1:9/", "balise-test", &error);
  g_assert_no_error (error);
  flow.browser_done = TRUE;
  balise_oauth_login_wait_async (login, cancellable, login_done_cb, &flow);
  g_timeout_add_once (50, cancel_cb, cancellable);
  g_main_loop_run (loop);
  g_assert_error (flow.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&flow.error);
}

static void
test_login_bad_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseOAuthLogin) plain = balise_oauth_login_new ("http://www.example.org/", "id", &error);
  g_autoptr(BaliseOAuthLogin) no_id = NULL;

  g_assert_null (plain);
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "https://"));
  g_clear_error (&error);

  no_id = balise_oauth_login_new ("https://www.openstreetmap.org/", "", &error);
  g_assert_null (no_id);
  g_assert_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "client id"));
}

typedef struct
{
  GMainLoop *loop;
  char      *name;
  GError    *error;
} UserResult;

static void
user_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  UserResult *user = user_data;

  user->name = balise_sync_client_get_user_finish (BALISE_SYNC_CLIENT (source), result, &user->error);
  g_main_loop_quit (user->loop);
}

static void
test_user_details (void)
{
  g_autoptr(BaliseTestServer) server = balise_test_server_new (NULL, "issued-token");
  g_autoptr(BaliseSyncClient) client = NULL;
  g_autoptr(BaliseSyncClient) anonymous = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  UserResult user = { loop, };

  g_assert_true (balise_test_server_start (server, 0, &error));
  client = balise_sync_client_new (balise_test_server_get_url (server), "issued-token");
  balise_sync_client_get_user_async (client, NULL, user_done_cb, &user);
  g_main_loop_run (loop);
  g_assert_no_error (user.error);
  g_assert_true (g_str_has_prefix (user.name, "user-"));
  g_free (user.name);

  anonymous = balise_sync_client_new (balise_test_server_get_url (server), NULL);
  balise_sync_client_get_user_async (anonymous, NULL, user_done_cb, &user);
  g_main_loop_run (loop);
  g_assert_error (user.error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAUTHORIZED);
  g_clear_error (&user.error);
}

static char *
read_file (const char *path,
           gsize      *size)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, size, NULL));
  return contents;
}

static gboolean
contains (const char *haystack,
          gsize       size,
          const char *needle)
{
  return memmem (haystack, size, needle, strlen (needle)) != NULL;
}

/* The real libsecret API, on its own file backend (PLATFORM.md §9). */
static void
test_token_store (void)
{
  const char *keyring = g_getenv ("SECRET_FILE_TEST_PATH");
  const char *token = "a-token-that-must-never-be-written-in-clear";
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *other = NULL;
  g_autofree char *after = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;
  gsize size;

  g_assert_true (balise_token_store_save ("https://api.example.org", token, NULL, &error));
  g_assert_no_error (error);

  /* Keyed by the server, with or without its trailing slash. */
  found = balise_token_store_lookup ("https://api.example.org/", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, token);
  other = balise_token_store_lookup ("https://master.apis.dev.openstreetmap.org/", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (other);

  g_assert_cmpint (g_stat (keyring, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  contents = read_file (keyring, &size);
  g_assert_false (contains (contents, size, token));

  g_assert_true (balise_token_store_clear ("https://api.example.org/", NULL, &error));
  g_assert_no_error (error);
  after = balise_token_store_lookup ("https://api.example.org/", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (after);
  /* Nothing to clear is fine too. */
  g_assert_true (balise_token_store_clear ("https://api.example.org/", NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring = balise_test_tmp_path ("keyring");

  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-only", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sign-in/pkce", test_pkce);
  g_test_add_func ("/sign-in/login", test_login);
  g_test_add_func ("/sign-in/refused", test_login_refused);
  g_test_add_func ("/sign-in/cancelled", test_login_cancelled);
  g_test_add_func ("/sign-in/bad-settings", test_login_bad_settings);
  g_test_add_func ("/sign-in/user-details", test_user_details);
  g_test_add_func ("/sign-in/token-store", test_token_store);

  return g_test_run ();
}
