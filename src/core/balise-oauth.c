/* balise-oauth.c: OAuth 2.0 sign-in (authorization code with PKCE)
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-oauth"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sys/random.h>

#include "balise-oauth.h"
#include "balise-sync-client.h"

struct _BaliseOAuthLogin
{
  GObject      parent_instance;

  char        *auth_url;        /* ends with '/' */
  char        *client_id;
  char        *verifier;
  char        *state;
  char        *redirect_uri;
  char        *authorize_url;

  SoupServer  *server;
  SoupSession *session;
  GTask       *waiting;         /* the wait_async() in progress */
  gulong       cancelled_id;
  gboolean     answered;        /* a code (or a refusal) came back */
};

G_DEFINE_FINAL_TYPE (BaliseOAuthLogin, balise_oauth_login, G_TYPE_OBJECT)

/*
 * PKCE
 */

static char *
base64url (const guint8 *data,
           gsize         size)
{
  g_autofree char *b64 = g_base64_encode (data, size);
  GString *out = g_string_sized_new (strlen (b64));

  for (const char *p = b64; *p != '\0' && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

static gboolean
random_bytes (guint8  *buffer,
              gsize    size,
              GError **error)
{
  gsize done = 0;

  /* g_random_*() is not a CSPRNG: the kernel's is. */
  while (done < size)
    {
      ssize_t n = getrandom (buffer + done, size - done, 0);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "No random numbers for the sign-in: %s", g_strerror (saved_errno));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

char *
balise_oauth_new_verifier (GError **error)
{
  guint8 bytes[32];

  if (!random_bytes (bytes, sizeof bytes, error))
    return NULL;
  return base64url (bytes, sizeof bytes);
}

char *
balise_oauth_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize size = sizeof digest;

  g_return_val_if_fail (verifier != NULL, NULL);

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &size);
  return base64url (digest, size);
}

/*
 * The loopback redirect
 */

static const char page_done[] =
  "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Balise</title></head>"
  "<body><h1>%s</h1><p>%s</p></body></html>";

static void
reply_page (SoupServerMessage *msg,
            guint              status,
            const char        *title,
            const char        *text)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_text = g_markup_escape_text (text, -1);
  g_autofree char *page = g_strdup_printf (page_done, escaped_title, escaped_text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    page, strlen (page));
}

static void
exchange_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonObject *object = NULL;
  JsonNode *root;
  const char *token = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_new_error (task, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_NETWORK,
                               "Could not finish signing in: %s", error->message);
      return;
    }

  if (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                  (gssize) g_bytes_get_size (body), NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);

  if (soup_message_get_status (message) != SOUP_STATUS_OK || object == NULL)
    {
      const char *reason = object ? json_object_get_string_member_with_default (object, "error_description",
                                                                                json_object_get_string_member_with_default (object, "error", NULL))
                                  : NULL;

      g_task_return_new_error (task, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAUTHORIZED,
                               "The server refused to finish the sign-in (%u): %s",
                               soup_message_get_status (message),
                               reason ? reason : soup_message_get_reason_phrase (message));
      return;
    }

  if (g_ascii_strcasecmp (json_object_get_string_member_with_default (object, "token_type", ""),
                          "Bearer") == 0)
    token = json_object_get_string_member_with_default (object, "access_token", NULL);
  if (token == NULL || *token == '\0')
    {
      g_task_return_new_error (task, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_BAD_RESPONSE,
                               "The server's answer to the sign-in holds no Bearer token");
      return;
    }

  g_task_return_pointer (task, g_strdup (token), g_free);
}

static void
exchange_code (BaliseOAuthLogin *self,
               GTask            *task,
               const char       *code)
{
  g_autofree char *uri = g_strconcat (self->auth_url, "oauth2/token", NULL);
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *form = NULL;
  g_autoptr(GBytes) body = NULL;

  form = soup_form_encode ("grant_type", "authorization_code",
                           "code", code,
                           "redirect_uri", self->redirect_uri,
                           "client_id", self->client_id,
                           "code_verifier", self->verifier,
                           NULL);
  message = soup_message_new ("POST", uri);
  body = g_bytes_new (form, strlen (form));
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", body);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), exchange_done_cb,
                                    g_object_ref (task));
}

static void
callback_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  BaliseOAuthLogin *self = user_data;
  const char *state = query ? g_hash_table_lookup (query, "state") : NULL;
  const char *code = query ? g_hash_table_lookup (query, "code") : NULL;
  const char *refusal = query ? g_hash_table_lookup (query, "error") : NULL;
  g_autoptr(GTask) task = NULL;

  /* Anything else on this port, or another sign-in's answer, is not ours:
   * refused, and the wait goes on. */
  if (g_strcmp0 (state, self->state) != 0)
    {
      reply_page (msg, SOUP_STATUS_BAD_REQUEST, _("Sign-in not recognised"),
                  _("This page does not belong to the sign-in Balise is waiting for."));
      return;
    }

  if (self->answered || self->waiting == NULL)
    {
      reply_page (msg, SOUP_STATUS_CONFLICT, _("Already answered"),
                  _("Balise already has the answer to this sign-in."));
      return;
    }
  self->answered = TRUE;
  task = g_steal_pointer (&self->waiting);
  g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
  self->cancelled_id = 0;

  if (refusal != NULL || code == NULL || *code == '\0')
    {
      reply_page (msg, SOUP_STATUS_OK, _("Not signed in"),
                  _("Balise was not allowed to use your account. You can close this page."));
      g_task_return_new_error (task, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_UNAUTHORIZED,
                               "The sign-in was refused: %s",
                               refusal ? refusal : "no authorization code");
      return;
    }

  reply_page (msg, SOUP_STATUS_OK, _("Signed in"),
              _("Balise may now upload your edits. You can close this page and go back to Balise."));
  exchange_code (self, task, code);
}

static void
cancelled_cb (GCancellable     *cancellable,
              BaliseOAuthLogin *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->waiting);

  if (task != NULL)
    g_task_return_error_if_cancelled (task);
}

/*
 * GObject
 */

static void
balise_oauth_login_dispose (GObject *object)
{
  BaliseOAuthLogin *self = (BaliseOAuthLogin *)object;

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (balise_oauth_login_parent_class)->dispose (object);
}

static void
balise_oauth_login_finalize (GObject *object)
{
  BaliseOAuthLogin *self = (BaliseOAuthLogin *)object;

  g_assert (self->waiting == NULL);

  g_free (self->auth_url);
  g_free (self->client_id);
  g_free (self->verifier);
  g_free (self->state);
  g_free (self->redirect_uri);
  g_free (self->authorize_url);

  G_OBJECT_CLASS (balise_oauth_login_parent_class)->finalize (object);
}

static void
balise_oauth_login_class_init (BaliseOAuthLoginClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = balise_oauth_login_dispose;
  object_class->finalize = balise_oauth_login_finalize;
}

static void
balise_oauth_login_init (BaliseOAuthLogin *self)
{
}

/*
 * Public API
 */

BaliseOAuthLogin *
balise_oauth_login_new (const char  *auth_url,
                        const char  *client_id,
                        GError     **error)
{
  g_autoptr(BaliseOAuthLogin) self = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *query = NULL;
  guint8 state[16];
  int port;

  g_return_val_if_fail (auth_url != NULL, NULL);

  if (!balise_sync_check_server_url (auth_url, error))
    return NULL;
  if (client_id == NULL || *client_id == '\0')
    {
      g_set_error (error, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED,
                   "No OAuth 2 client id is set for %s: register Balise there as an OAuth 2 "
                   "application (not confidential, redirect URI http://127.0.0.1/callback, "
                   "permissions %s) and give its client id", auth_url, BALISE_OAUTH_SCOPES);
      return NULL;
    }

  self = g_object_new (BALISE_TYPE_OAUTH_LOGIN, NULL);
  self->auth_url = g_str_has_suffix (auth_url, "/") ? g_strdup (auth_url)
                                                    : g_strconcat (auth_url, "/", NULL);
  self->client_id = g_strdup (client_id);
  self->verifier = balise_oauth_new_verifier (error);
  if (self->verifier == NULL || !random_bytes (state, sizeof state, error))
    return NULL;
  self->state = base64url (state, sizeof state);
  self->session = soup_session_new_with_options ("user-agent", "Balise/" PACKAGE_VERSION " ",
                                                 "timeout", 60, NULL);

  /* Loopback only (RFC 8252 §7.3): the port is chosen by the kernel. */
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, "/callback", callback_cb, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;
  uris = soup_server_get_uris (self->server);
  port = uris != NULL ? g_uri_get_port (uris->data) : -1;
  if (port <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "Could not listen on 127.0.0.1 for the sign-in");
      return NULL;
    }

  self->redirect_uri = g_strdup_printf ("http://127.0.0.1:%d/callback", port);
  challenge = balise_oauth_challenge (self->verifier);
  query = soup_form_encode ("response_type", "code",
                            "client_id", self->client_id,
                            "redirect_uri", self->redirect_uri,
                            "scope", BALISE_OAUTH_SCOPES,
                            "state", self->state,
                            "code_challenge", challenge,
                            "code_challenge_method", "S256",
                            NULL);
  self->authorize_url = g_strconcat (self->auth_url, "oauth2/authorize?", query, NULL);

  return g_steal_pointer (&self);
}

const char *
balise_oauth_login_get_authorize_url (BaliseOAuthLogin *self)
{
  g_return_val_if_fail (BALISE_IS_OAUTH_LOGIN (self), NULL);
  return self->authorize_url;
}

const char *
balise_oauth_login_get_redirect_uri (BaliseOAuthLogin *self)
{
  g_return_val_if_fail (BALISE_IS_OAUTH_LOGIN (self), NULL);
  return self->redirect_uri;
}

void
balise_oauth_login_wait_async (BaliseOAuthLogin    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BALISE_IS_OAUTH_LOGIN (self));
  g_return_if_fail (self->waiting == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_oauth_login_wait_async);

  if (self->answered)
    {
      g_task_return_new_error (task, BALISE_SYNC_ERROR, BALISE_SYNC_ERROR_FAILED,
                               "This sign-in is over; start a new one");
      return;
    }

  self->waiting = g_steal_pointer (&task);
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);
}

char *
balise_oauth_login_wait_finish (BaliseOAuthLogin  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (BALISE_IS_OAUTH_LOGIN (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
