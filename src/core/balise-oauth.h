/* balise-oauth.h: OAuth 2.0 sign-in (authorization code with PKCE)
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core-types.h"

G_BEGIN_DECLS

/* What Balise asks for: read who is signed in, edit the map, write notes. */
#define BALISE_OAUTH_SCOPES "read_prefs write_api write_notes"

/* A PKCE code verifier: 32 bytes from the kernel's CSPRNG, base64url
 * without padding (43 characters). */
char *balise_oauth_new_verifier  (GError     **error);
/* The S256 challenge of @verifier: base64url (no padding) of its SHA-256. */
char *balise_oauth_challenge     (const char  *verifier);

#define BALISE_TYPE_OAUTH_LOGIN (balise_oauth_login_get_type ())

G_DECLARE_FINAL_TYPE (BaliseOAuthLogin, balise_oauth_login, BALISE, OAUTH_LOGIN, GObject)

/* Starts a sign-in: a verifier, a state, and a server on 127.0.0.1 (a free
 * port) that the browser is sent back to, listening in the thread-default
 * main context. @auth_url is the website that serves /oauth2/authorize and
 * /oauth2/token (https://www.openstreetmap.org/ for openstreetmap.org);
 * @client_id is the application registered there (public, no secret). */
BaliseOAuthLogin *balise_oauth_login_new               (const char           *auth_url,
                                                        const char           *client_id,
                                                        GError              **error);
/* The page to open in the browser. */
const char       *balise_oauth_login_get_authorize_url (BaliseOAuthLogin     *self);
const char       *balise_oauth_login_get_redirect_uri  (BaliseOAuthLogin     *self);
/* Waits for the browser to come back (a redirect whose state is not ours
 * is refused and waited past), then exchanges the code for the access
 * token. Refused by the person: BALISE_SYNC_ERROR_UNAUTHORIZED. */
void              balise_oauth_login_wait_async        (BaliseOAuthLogin     *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
/* Returns: (transfer full): the access token, to keep only in the keyring. */
char             *balise_oauth_login_wait_finish       (BaliseOAuthLogin     *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
