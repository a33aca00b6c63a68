/* balise-store-schema.c: the schema and its migrations
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include <sqlite3.h>
#include <spatialite.h>

#include "balise-store-schema.h"
#include "balise-way-nodes.h"

/* Every migration takes the database from version N-1 to N. They run, in
 * order, inside the one transaction that opening a store starts; a database
 * is never left half-migrated. Never edit a migration once released: add one. */

static const char migration_1[] =
  /* The base copy of server data: tagged nodes as features, ways later. */
  "CREATE TABLE element ("
  "  id         INTEGER PRIMARY KEY,"
  "  osm_type   TEXT    NOT NULL CHECK (osm_type IN ('node', 'way', 'relation')),"
  "  osm_id     INTEGER NOT NULL,"
  "  version    INTEGER NOT NULL DEFAULT 0,"
  "  changeset  INTEGER,"
  "  timestamp  TEXT,"
  "  user       TEXT,"
  "  tags       TEXT    NOT NULL DEFAULT '{}',"
  "  UNIQUE (osm_type, osm_id));"
  "SELECT AddGeometryColumn ('element', 'geom', 4326, 'POINT', 'XY', 1);"
  "SELECT CreateSpatialIndex ('element', 'geom');"
  /* The local journal: rows are never rewritten except their status and
   * what the server answered. */
  "CREATE TABLE edit ("
  "  id           INTEGER PRIMARY KEY,"
  "  uuid         TEXT    NOT NULL UNIQUE,"
  "  kind         TEXT    NOT NULL CHECK (kind IN ('create', 'modify', 'delete', 'note')),"
  "  osm_type     TEXT    NOT NULL CHECK (osm_type IN ('node', 'way', 'relation')),"
  "  osm_id       INTEGER NOT NULL,"
  "  base_version INTEGER NOT NULL DEFAULT 0,"
  "  base_tags    TEXT,"
  "  new_tags     TEXT,"
  "  lat          REAL,"
  "  lon          REAL,"
  "  contributor  TEXT,"
  "  created_at   TEXT    NOT NULL,"
  "  status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN"
  "    ('draft', 'pending', 'approved', 'rejected', 'uploading', 'uploaded', 'conflict', 'failed')),"
  "  batch        TEXT    REFERENCES batch (uuid),"
  "  new_id       INTEGER,"
  "  new_version  INTEGER,"
  "  error        TEXT);"
  "CREATE INDEX edit_status ON edit (status);"
  "CREATE INDEX edit_target ON edit (osm_type, osm_id);"
  /* One changeset attempt. Written before any request is sent. */
  "CREATE TABLE batch ("
  "  uuid          TEXT    PRIMARY KEY,"
  "  server        TEXT    NOT NULL,"
  "  changeset_id  INTEGER,"
  "  state         TEXT    NOT NULL CHECK (state IN"
  "    ('planned', 'open', 'uploading', 'uploaded', 'closed', 'abandoned')),"
  "  element_count INTEGER NOT NULL,"
  "  comment       TEXT,"
  "  created_at    TEXT    NOT NULL,"
  "  updated_at    TEXT    NOT NULL);";

static const char migration_2[] =
  /* Ways: their node list (JSON array of ids) and their shape, a LINESTRING
   * or a POLYGON; geom stays the representative point that the map and the
   * queries use for every element. category, name and ref are derived from
   * the tags when a row is written (balise_osm_category_for_tags()), so the
   * viewport, cluster and search queries never parse JSON. */
  "ALTER TABLE element ADD COLUMN nodes TEXT;"
  "ALTER TABLE element ADD COLUMN category TEXT;"
  "ALTER TABLE element ADD COLUMN name TEXT;"
  "ALTER TABLE element ADD COLUMN ref TEXT;"
  "SELECT AddGeometryColumn ('element', 'shape', 4326, 'GEOMETRY', 'XY', 0);"
  /* SpatiaLite's triggers that stamp geometry_columns_time on every row
   * written cost an UPDATE per element and tell Balise nothing. */
  "DROP TRIGGER IF EXISTS tmi_element_geom;"
  "DROP TRIGGER IF EXISTS tmu_element_geom;"
  "DROP TRIGGER IF EXISTS tmd_element_geom;"
  "DROP TRIGGER IF EXISTS tmi_element_shape;"
  "DROP TRIGGER IF EXISTS tmu_element_shape;"
  "DROP TRIGGER IF EXISTS tmd_element_shape;"
  "CREATE INDEX element_category ON element (category) WHERE category IS NOT NULL;"
  "CREATE INDEX element_name ON element (name COLLATE NOCASE) WHERE name IS NOT NULL;"
  /* Why an element was deleted, or an edit rejected, in a person's words. */
  "ALTER TABLE edit ADD COLUMN reason TEXT;"
  /* Local profiles; every edit names one. */
  "CREATE TABLE contributor ("
  "  id          INTEGER PRIMARY KEY,"
  "  name        TEXT    NOT NULL UNIQUE,"
  "  created_at  TEXT    NOT NULL);"
  "INSERT INTO contributor (name, created_at)"
  "  SELECT DISTINCT contributor, min(created_at) FROM edit"
  "  WHERE contributor IS NOT NULL GROUP BY contributor;"
  /* Faults, on their way to becoming OSM notes. */
  "CREATE TABLE note ("
  "  id           INTEGER PRIMARY KEY,"
  "  uuid         TEXT    NOT NULL UNIQUE,"
  "  lat          REAL    NOT NULL,"
  "  lon          REAL    NOT NULL,"
  "  category     TEXT    NOT NULL,"
  "  text         TEXT    NOT NULL,"
  "  element_type TEXT    CHECK (element_type IN ('node', 'way', 'relation')),"
  "  element_id   INTEGER,"
  "  contributor  TEXT,"
  "  created_at   TEXT    NOT NULL,"
  "  status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN"
  "    ('pending', 'approved', 'rejected', 'uploading', 'open', 'closed', 'hidden', 'failed')),"
  "  osm_note_id  INTEGER,"
  "  error        TEXT);"
  /* Photos, content-addressed; never uploaded to OSM. */
  "CREATE TABLE photo ("
  "  sha256      TEXT    PRIMARY KEY CHECK (length (sha256) = 64),"
  "  mime_type   TEXT    NOT NULL,"
  "  size        INTEGER NOT NULL,"
  "  data        BLOB    NOT NULL,"
  "  created_at  TEXT    NOT NULL);"
  "CREATE TABLE photo_link ("
  "  sha256      TEXT    NOT NULL REFERENCES photo (sha256),"
  "  edit_uuid   TEXT,"
  "  note_uuid   TEXT,"
  "  CHECK ((edit_uuid IS NULL) != (note_uuid IS NULL)));"
  "CREATE INDEX photo_link_edit ON photo_link (edit_uuid);"
  "CREATE INDEX photo_link_note ON photo_link (note_uuid);"
  /* Small facts about the database: its demo flag, import history. */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT);";

static const char migration_3[] =
  /* The features alone (no road, building, water, landuse, railway or place
   * node, no element without a category) in their own R*Tree, kept by
   * triggers: the viewport and cluster queries read 20 times fewer entries
   * than through idx_element_geom, and the clusters never touch element. */
  "CREATE VIRTUAL TABLE feature_index USING rtree (id, xmin, xmax, ymin, ymax);"
  "INSERT INTO feature_index SELECT id, X (geom), X (geom), Y (geom), Y (geom) FROM element"
  "  WHERE " BALISE_STORE_FEATURE_CATEGORY_SQL ("") " AND geom IS NOT NULL;"
  "CREATE TRIGGER feature_index_insert AFTER INSERT ON element"
  "  WHEN " BALISE_STORE_FEATURE_CATEGORY_SQL ("new.") " AND new.geom IS NOT NULL BEGIN"
  "  INSERT INTO feature_index VALUES"
  "    (new.id, X (new.geom), X (new.geom), Y (new.geom), Y (new.geom));"
  "END;"
  "CREATE TRIGGER feature_index_update AFTER UPDATE OF geom, category ON element BEGIN"
  "  DELETE FROM feature_index WHERE id = old.id;"
  "  INSERT INTO feature_index SELECT new.id, X (new.geom), X (new.geom), Y (new.geom), Y (new.geom)"
  "    WHERE " BALISE_STORE_FEATURE_CATEGORY_SQL ("new.") " AND new.geom IS NOT NULL;"
  "END;"
  "CREATE TRIGGER feature_index_delete AFTER DELETE ON element BEGIN"
  "  DELETE FROM feature_index WHERE id = old.id;"
  "END;";

static const char migration_4[] =
  /* The journal grows what recording, review and sync need. SQLite cannot
   * change a CHECK constraint, so edit and note are rebuilt, rows unchanged.
   * - status: 'undone' (taken back by undo; redo makes it pending again) and
   *   'has_issues' (sent back to the volunteer by a reviewer, with a comment);
   * - review: who decided, when, and what they said (reason stays the
   *   rejection's or the deletion's reason);
   * - edited_by: a reviewer who changed the edit, credited beside the
   *   contributor; preset: the preset the form used;
   * - server_*: the server's current version of the element when a 409 or a
   *   410 made the edit a conflict ("theirs"; base_* stays the common base);
   * - updated_at: when the status last changed. */
  "CREATE TABLE edit_v4 ("
  "  id             INTEGER PRIMARY KEY,"
  "  uuid           TEXT    NOT NULL UNIQUE,"
  "  kind           TEXT    NOT NULL CHECK (kind IN ('create', 'modify', 'delete', 'note')),"
  "  osm_type       TEXT    NOT NULL CHECK (osm_type IN ('node', 'way', 'relation')),"
  "  osm_id         INTEGER NOT NULL,"
  "  base_version   INTEGER NOT NULL DEFAULT 0,"
  "  base_tags      TEXT,"
  "  new_tags       TEXT,"
  "  lat            REAL,"
  "  lon            REAL,"
  "  contributor    TEXT,"
  "  created_at     TEXT    NOT NULL,"
  "  status         TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN"
  "    ('draft', 'pending', 'approved', 'rejected', 'uploading', 'uploaded', 'conflict', 'failed',"
  "     'undone', 'has_issues')),"
  "  batch          TEXT    REFERENCES batch (uuid),"
  "  new_id         INTEGER,"
  "  new_version    INTEGER,"
  "  error          TEXT,"
  "  reason         TEXT,"
  "  review_comment TEXT,"
  "  reviewer       TEXT,"
  "  reviewed_at    TEXT,"
  "  edited_by      TEXT,"
  "  preset         TEXT,"
  "  server_version INTEGER,"
  "  server_tags    TEXT,"
  "  server_lat     REAL,"
  "  server_lon     REAL,"
  "  server_deleted INTEGER NOT NULL DEFAULT 0,"
  "  updated_at     TEXT);"
  "INSERT INTO edit_v4 (id, uuid, kind, osm_type, osm_id, base_version, base_tags, new_tags,"
  "    lat, lon, contributor, created_at, status, batch, new_id, new_version, error, reason)"
  "  SELECT id, uuid, kind, osm_type, osm_id, base_version, base_tags, new_tags,"
  "    lat, lon, contributor, created_at, status, batch, new_id, new_version, error, reason"
  "  FROM edit;"
  "DROP TABLE edit;"
  "ALTER TABLE edit_v4 RENAME TO edit;"
  "CREATE INDEX edit_status ON edit (status);"
  "CREATE INDEX edit_target ON edit (osm_type, osm_id);"
  "CREATE INDEX edit_contributor ON edit (contributor);"
  /* Notes: the same review states, the preset, the server's comments (a
   * JSON array of {date, user, action, text}) and when they were fetched. */
  "CREATE TABLE note_v4 ("
  "  id             INTEGER PRIMARY KEY,"
  "  uuid           TEXT    NOT NULL UNIQUE,"
  "  lat            REAL    NOT NULL,"
  "  lon            REAL    NOT NULL,"
  "  category       TEXT    NOT NULL,"
  "  text           TEXT    NOT NULL,"
  "  element_type   TEXT    CHECK (element_type IN ('node', 'way', 'relation')),"
  "  element_id     INTEGER,"
  "  contributor    TEXT,"
  "  created_at     TEXT    NOT NULL,"
  "  status         TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN"
  "    ('pending', 'approved', 'rejected', 'uploading', 'open', 'closed', 'hidden', 'failed',"
  "     'undone', 'has_issues')),"
  "  osm_note_id    INTEGER,"
  "  error          TEXT,"
  "  preset         TEXT,"
  "  reason         TEXT,"
  "  review_comment TEXT,"
  "  reviewer       TEXT,"
  "  reviewed_at    TEXT,"
  "  comments       TEXT,"
  "  refreshed_at   TEXT,"
  "  updated_at     TEXT);"
  "INSERT INTO note_v4 (id, uuid, lat, lon, category, text, element_type, element_id,"
  "    contributor, created_at, status, osm_note_id, error)"
  "  SELECT id, uuid, lat, lon, category, text, element_type, element_id,"
  "    contributor, created_at, status, osm_note_id, error"
  "  FROM note;"
  "DROP TABLE note;"
  "ALTER TABLE note_v4 RENAME TO note;"
  "CREATE INDEX note_status ON note (status);"
  /* The undo history of each contributor is the journal itself, in id
   * order; this index keeps "the last edit of X" cheap. */
  "CREATE INDEX edit_contributor_id ON edit (contributor, id);";

static const char migration_5[] =
  /* A way's node list becomes a BLOB of delta-coded ids with each node's
   * version (balise-way-nodes.h): a third of the bytes of the JSON list, and
   * what a .osm export needs to write the way's nodes. Lists written before
   * have no versions (0). */
  "ALTER TABLE element ADD COLUMN way_nodes BLOB;"
  "UPDATE element SET way_nodes = balise_way_nodes_from_json (nodes) WHERE nodes IS NOT NULL;"
  "ALTER TABLE element DROP COLUMN nodes;"
  /* The undo history of a person (balise-store-undo.c) is what they
   * recorded, or changed in review: both lookups, the latest standing entry
   * and the first undone one after it, are ranges of these indexes. */
  "CREATE INDEX edit_history ON edit (coalesce (edited_by, contributor), created_at, id)"
  "  WHERE kind != 'note';"
  "CREATE INDEX note_history ON note (contributor, created_at, id);";

static const char migration_6[] =
  /* The API URL of the server each note was sent to (as batch.server holds
   * a changeset's), written when it is sent: its id means something only
   * there. Notes sent before are NULL: their server is not known. */
  "ALTER TABLE note ADD COLUMN server TEXT;";

static const char * const migrations[] = {
  NULL,          /* version 0: an empty file */
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BALISE_STORE_SCHEMA_VERSION + 1);

/* balise_way_nodes_from_json (text): migration 5's conversion. */
static void
sql_way_nodes_from_json (sqlite3_context  *context,
                         int               argc,
                         sqlite3_value   **argv)
{
  g_autoptr(GBytes) blob = NULL;

  blob = _balise_way_nodes_from_json ((const char *) sqlite3_value_text (argv[0]));
  if (blob == NULL)
    sqlite3_result_null (context);
  else
    sqlite3_result_blob (context, g_bytes_get_data (blob, NULL), (int) g_bytes_get_size (blob),
                         SQLITE_TRANSIENT);
}

static void
register_migration_functions (sqlite3 *db)
{
  sqlite3_create_function (db, "balise_way_nodes_from_json", 1,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                           NULL, sql_way_nodes_from_json, NULL, NULL);
}

gboolean
_balise_store_migrate (sqlite3  *db,
                       int       from_version,
                       GError  **error)
{
  g_autofree char *set_version = NULL;

  g_assert (from_version >= 0 && from_version < BALISE_STORE_SCHEMA_VERSION);

  register_migration_functions (db);

  if (from_version == 0)
    {
      /* The spatial metadata tables, with only the WGS 84 reference systems. */
      if (!_balise_store_exec (db, "SELECT InitSpatialMetadata (0, 'WGS84_ONLY');", error))
        return FALSE;
    }

  for (int version = from_version + 1; version <= BALISE_STORE_SCHEMA_VERSION; version++)
    {
      g_debug ("Migrating the store to schema version %d", version);
      if (!_balise_store_exec (db, migrations[version], error))
        {
          g_prefix_error (error, "Could not upgrade the database to version %d: ", version);
          return FALSE;
        }
    }

  set_version = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                                 BALISE_STORE_APPLICATION_ID, BALISE_STORE_SCHEMA_VERSION);
  return _balise_store_exec (db, set_version, error);
}

/* For tests of the migrations: creates a database at @path as an older
 * Balise wrote it, running the migrations up to @version only. The caller
 * has initialized SpatiaLite (opening any store does). */
gboolean
_balise_store_create_at_version_for_test (const char  *path,
                                          int          version,
                                          GError     **error)
{
  sqlite3 *db = NULL;
  void *cache;
  g_autofree char *set_version = NULL;
  gboolean ok;

  g_assert (version >= 1 && version <= BALISE_STORE_SCHEMA_VERSION);

  if (sqlite3_open (path, &db) != SQLITE_OK)
    {
      _balise_store_set_error (error, db, "Could not create the database");
      sqlite3_close (db);
      return FALSE;
    }
  cache = spatialite_alloc_connection ();
  spatialite_init_ex (db, cache, 0);
  register_migration_functions (db);

  ok = _balise_store_exec (db, "BEGIN; SELECT InitSpatialMetadata (0, 'WGS84_ONLY');", error);
  for (int v = 1; ok && v <= version; v++)
    ok = _balise_store_exec (db, migrations[v], error);
  set_version = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d; COMMIT;",
                                 BALISE_STORE_APPLICATION_ID, version);
  if (ok)
    ok = _balise_store_exec (db, set_version, error);

  sqlite3_close (db);
  spatialite_cleanup_ex (cache);
  return ok;
}
