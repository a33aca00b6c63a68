/* balise-test-server-private.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <sqlite3.h>

#include "balise-test-server.h"

G_BEGIN_DECLS

#define OSM_GENERATOR "osm-test-server"
#define OSM_HEADER \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
  "<osm version=\"0.6\" generator=\"" OSM_GENERATOR "\" copyright=\"OpenStreetMap and contributors\"" \
  " attribution=\"http://www.openstreetmap.org/copyright\"" \
  " license=\"http://opendatacommons.org/licenses/odbl/1-0/\">\n"
#define OSM_FOOTER "</osm>\n"

#define MAX_BODY_SIZE (50 * 1024 * 1024)
#define MAX_AREA 0.25
#define MAX_NOTE_AREA 25.0
#define MAX_WAY_NODES 2000
#define MAX_RELATION_MEMBERS 32000

typedef char sqlite_str;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite_str, sqlite3_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
typedef xmlChar xml_str;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xml_str, xmlFree)

struct _BaliseTestServer
{
  GObject       parent_instance;

  /* Set at construction, read-only afterwards */
  char         *db_path;
  char         *tmp_dir;
  char         *token;

  /* Owned by the server thread while it runs */
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  sqlite3      *db;
  char         *url;
  GError       *start_error;
  gboolean      started;

  /* Start handshake */
  GMutex        start_mutex;
  GCond         start_cond;

  /* Inspection connection, used by other threads */
  GMutex        query_mutex;
  sqlite3      *query_db;

  /* Protected by fault_mutex */
  GMutex        fault_mutex;
  GPtrArray    *faults;

  /* Request bodies kept for a test to read; protected by body_mutex */
  GMutex        body_mutex;
  GByteArray   *bodies;        /* NULL unless kept */

  /* Settings (atomic) */
  guint         max_elements;
  guint         max_nodes;
  guint         request_count;
};

/* A user authenticated by a Bearer token. */
typedef struct
{
  gint64  id;
  char   *display_name;
} OsmUser;

void        osm_user_clear                   (OsmUser *user);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OsmUser, osm_user_clear)

/* Replies (balise-test-server.c) */
void        _bts_reply_error                 (SoupServerMessage *msg,
                                              guint              status,
                                              const char        *message);
void        _bts_reply_errorf                (SoupServerMessage *msg,
                                              guint              status,
                                              const char        *format,
                                              ...) G_GNUC_PRINTF (3, 4);
void        _bts_reply_empty                 (SoupServerMessage *msg,
                                              guint              status);
void        _bts_reply_take                  (SoupServerMessage *msg,
                                              const char        *content_type,
                                              GString           *body);
void        _bts_reply_text                  (SoupServerMessage *msg,
                                              const char        *text);
void        _bts_reply_db_error              (BaliseTestServer  *self,
                                              SoupServerMessage *msg);
gboolean    _bts_authenticate                (BaliseTestServer  *self,
                                              SoupServerMessage *msg,
                                              gboolean           required,
                                              OsmUser           *user);
sqlite3_stmt *_bts_prepare                   (BaliseTestServer  *self,
                                              const char        *sql);
gboolean    _bts_exec                        (BaliseTestServer  *self,
                                              const char        *sql);
char       *_bts_format_time                 (gint64             unix_time);
char       *_bts_format_closed_time          (gint64             unix_time);
void        _bts_append_escaped              (GString           *out,
                                              const char        *text);
void        _bts_append_attr                 (GString           *out,
                                              const char        *name,
                                              const char        *value);
gboolean    _bts_parse_id                    (const char        *text,
                                              gint64            *id);
gboolean    _bts_parse_bbox                  (SoupServerMessage *msg,
                                              GHashTable        *query,
                                              double             bbox[4]);

void        _bts_dispatch                    (BaliseTestServer  *self,
                                              SoupServerMessage *msg,
                                              const char        *path,
                                              GHashTable        *query);

/* Fault injection (balise-test-server-faults.c) */
void        _bts_fault_free                  (gpointer           data);
void        _bts_early_handler_cb            (SoupServer        *server,
                                              SoupServerMessage *msg,
                                              const char        *path,
                                              GHashTable        *query,
                                              gpointer           user_data);
void        _bts_handler_cb                  (SoupServer        *server,
                                              SoupServerMessage *msg,
                                              const char        *path,
                                              GHashTable        *query,
                                              gpointer           user_data);
void        _bts_handle_test_endpoint        (BaliseTestServer  *self,
                                              SoupServerMessage *msg,
                                              const char        *method,
                                              const char        *path,
                                              GHashTable        *query);

/* Changesets (balise-test-server-changesets.c) */
xmlDoc     *_bts_parse_body                  (SoupServerMessage *msg,
                                              const char        *what);
gboolean    _bts_check_tag                   (SoupServerMessage *msg,
                                              const char        *key,
                                              const char        *value,
                                              const char        *owner);
void        _bts_handle_changeset            (BaliseTestServer  *self,
                                              SoupServerMessage *msg,
                                              const char        *method,
                                              char             **parts,
                                              GHashTable        *query);
void        _bts_handle_changesets           (BaliseTestServer  *self,
                                              SoupServerMessage *msg,
                                              GHashTable        *query);

/* Upload (balise-test-server-upload.c) */
void        _bts_handle_upload               (BaliseTestServer  *self,
                                              SoupServerMessage *msg,
                                              gint64             changeset_id);
gboolean    _bts_check_changeset_writable    (BaliseTestServer  *self,
                                              SoupServerMessage *msg,
                                              gint64             changeset_id,
                                              const OsmUser     *user,
                                              gint64             extra_changes);

/* Elements and map (balise-test-server-elements.c) */
void        _bts_handle_element              (BaliseTestServer  *self,
                                              SoupServerMessage *msg,
                                              const char        *type,
                                              char             **parts);
void        _bts_handle_elements             (BaliseTestServer  *self,
                                              SoupServerMessage *msg,
                                              const char        *type,
                                              GHashTable        *query);
void        _bts_handle_map                  (BaliseTestServer  *self,
                                              SoupServerMessage *msg,
                                              GHashTable        *query);

/* Notes and OAuth 2 (balise-test-server-notes.c) */
void        _bts_handle_notes                (BaliseTestServer  *self,
                                              SoupServerMessage *msg,
                                              const char        *method,
                                              char             **parts,
                                              GHashTable        *query);
void        _bts_handle_oauth2               (BaliseTestServer  *self,
                                              SoupServerMessage *msg,
                                              const char        *method,
                                              const char        *path,
                                              GHashTable        *query);

G_END_DECLS
