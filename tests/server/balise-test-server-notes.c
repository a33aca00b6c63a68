/* balise-test-server-notes.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-test-server"

#include "balise-test-server-private.h"

void
_bts_handle_notes (BaliseTestServer  *self,
                   SoupServerMessage *msg,
                   const char        *method,
                   char             **parts,
                   GHashTable        *query)
{
  _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
}

void
_bts_handle_oauth2 (BaliseTestServer  *self,
                    SoupServerMessage *msg,
                    const char        *method,
                    const char        *path,
                    GHashTable        *query)
{
  _bts_reply_empty (msg, SOUP_STATUS_NOT_FOUND);
}
