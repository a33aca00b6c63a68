/* balise-token-store.h: the access token of each server, in the keyring
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core-types.h"

G_BEGIN_DECLS

/* Tokens live in the Secret Service (GNOME Keyring, KWallet) through
 * libsecret, keyed by the server's API URL; in Flatpak, libsecret keeps
 * them in its own file, under the Secret portal's key. Never in the
 * database, a log, a command line or a file of Balise's. When no keyring
 * can be reached (no D-Bus session), the error says so plainly
 * (BALISE_SYNC_ERROR_FAILED) and Balise works signed out.
 *
 * The synchronous forms block on D-Bus: they are for the CLI. */
gboolean balise_token_store_save          (const char           *api_url,
                                           const char           *token,
                                           GCancellable         *cancellable,
                                           GError              **error);
/* Returns: the token, or NULL (and no error) when nobody is signed in. */
char    *balise_token_store_lookup        (const char           *api_url,
                                           GCancellable         *cancellable,
                                           GError              **error);
/* Signing out: TRUE when there was nothing to clear too. */
gboolean balise_token_store_clear         (const char           *api_url,
                                           GCancellable         *cancellable,
                                           GError              **error);

void     balise_token_store_save_async    (const char           *api_url,
                                           const char           *token,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean balise_token_store_save_finish   (GAsyncResult         *result,
                                           GError              **error);
void     balise_token_store_lookup_async  (const char           *api_url,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
char    *balise_token_store_lookup_finish (GAsyncResult         *result,
                                           GError              **error);
void     balise_token_store_clear_async   (const char           *api_url,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean balise_token_store_clear_finish  (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
