/* sync-fixture.h: a store and the OSM API test server, for the sync tests
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core.h"
#include "balise-test-server.h"
#include "balise-test-utils.h"

typedef struct
{
  BaliseTestServer *server;
  BaliseStore      *store;
  char             *db_path;
} Fixture;

/* @data: (nullable): the token the server accepts, any when NULL. */
void              fixture_set_up          (Fixture       *fixture,
                                           gconstpointer  data);
void              fixture_tear_down       (Fixture       *fixture,
                                           gconstpointer  data);
BaliseEdit       *add_bus_stop            (Fixture       *fixture,
                                           const char    *name,
                                           double         lat,
                                           double         lon);
/* Runs one sync to the end with @token ("volunteer-token" when NULL);
 * returns the report, or NULL with @error set. */
BaliseSyncReport *run_sync                (Fixture       *fixture,
                                           const char    *token,
                                           GError       **error);
/* The same with a client the test set up (anonymous, a short timeout). */
BaliseSyncReport *run_sync_with_client    (Fixture          *fixture,
                                           BaliseSyncClient *client,
                                           GError          **error);
gint64            server_count            (Fixture       *fixture,
                                           const char    *sql);
gint64            visible_nodes           (Fixture       *fixture);
BaliseTags       *fetch_server_node_tags  (Fixture       *fixture,
                                           gint64         id);
void              assert_server_node_tags (Fixture       *fixture,
                                           gint64         id,
                                           BaliseTags    *tags);

/* Plain HTTP to the test server as another mapper ("other-mapper-token");
 * the status must be @expected_status. */
GBytes           *fixture_http            (Fixture       *fixture,
                                           const char    *method,
                                           const char    *path,
                                           const char    *body,
                                           guint          expected_status);
/* Uploads @change (with "{cs}" for the changeset id) as another mapper, in
 * a changeset of its own. */
void              other_mapper_uploads    (Fixture       *fixture,
                                           const char    *change);

/* After g_test_init(), before any logging: libsoup's warning about a client gone before the
 * server read its address is not fatal (the client's timeouts cause it). */
void              fixture_tolerate_vanished_clients (void);
