/* balise-test-server.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An OpenStreetMap API 0.6 server for tests: SoupServer + SQLite on
 * 127.0.0.1, with the real API's formats, status codes and messages.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BALISE_TYPE_TEST_SERVER (balise_test_server_get_type ())

G_DECLARE_FINAL_TYPE (BaliseTestServer, balise_test_server, BALISE, TEST_SERVER, GObject)

typedef enum {
  BALISE_TEST_FAULT_NONE,
  BALISE_TEST_FAULT_STATUS,            /* answer HTTP status @param with an OSM-style error */
  BALISE_TEST_FAULT_DROP_BEFORE,       /* close the connection, nothing processed */
  BALISE_TEST_FAULT_DROP_AFTER_COMMIT, /* process and commit, then close without answering */
  BALISE_TEST_FAULT_DROP_MID_REQUEST,  /* close after reading @param bytes of the body */
  BALISE_TEST_FAULT_DELAY,             /* wait @param ms, then answer normally */
  BALISE_TEST_FAULT_CLOSE_CHANGESET,   /* close the changeset of the path (as if it expired), then answer */
} BaliseTestFault;

BaliseTestServer *balise_test_server_new              (const char       *db_path,
                                                       const char       *token);
gboolean          balise_test_server_start            (BaliseTestServer *self,
                                                       guint             port,
                                                       GError          **error);
const char       *balise_test_server_get_url          (BaliseTestServer *self);
void              balise_test_server_stop             (BaliseTestServer *self);
gint64            balise_test_server_query_int        (BaliseTestServer *self,
                                                       const char       *sql);
void              balise_test_server_set_max_elements (BaliseTestServer *self,
                                                       guint             max_elements);
void              balise_test_server_set_max_nodes    (BaliseTestServer *self,
                                                       guint             max_nodes);
void              balise_test_server_add_fault        (BaliseTestServer *self,
                                                       const char       *method,
                                                       const char       *path_glob,
                                                       BaliseTestFault   fault,
                                                       guint             param,
                                                       guint             count);
void              balise_test_server_clear_faults     (BaliseTestServer *self);
guint             balise_test_server_get_request_count (BaliseTestServer *self);
/* Keeps every request body from now on; the bodies kept, one after the other. */
void              balise_test_server_keep_bodies      (BaliseTestServer *self);
GBytes           *balise_test_server_dup_bodies       (BaliseTestServer *self);

G_END_DECLS
