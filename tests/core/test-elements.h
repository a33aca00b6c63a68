/* test-elements.h: writes base elements straight into a store, for tests
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-core.h"
#include "balise-store-private.h"

typedef struct
{
  const char *osm_type;
  gint64      osm_id;
  gint64      version;
  double      lat;
  double      lon;
  BaliseTags *tags;
} TestElement;

static gboolean
test_insert_element_func (BaliseStore   *store,
                          sqlite3       *db,
                          gpointer       data,
                          GCancellable  *cancellable,
                          GError       **error)
{
  TestElement *element = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_balise_store_prepare (db,
                              "INSERT INTO element (osm_type, osm_id, version, tags, geom, "
                              "category, name, ref) VALUES (?, ?, ?, ?, MakePoint (?, ?, 4326), ?, ?, ?)",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, element->osm_type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, element->osm_id);
  sqlite3_bind_int64 (stmt, 3, element->version);
  sqlite3_bind_text (stmt, 4, balise_tags_to_json (element->tags), -1, g_free);
  sqlite3_bind_double (stmt, 5, element->lon);
  sqlite3_bind_double (stmt, 6, element->lat);
  sqlite3_bind_text (stmt, 7, balise_osm_category_for_tags (element->tags), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, balise_tags_lookup (element->tags, "name"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, balise_tags_lookup (element->tags, "ref"), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not insert a test element");
      return FALSE;
    }
  return TRUE;
}

/* Inserts a node with the tags given as NULL-terminated key, value pairs. */
static G_GNUC_NULL_TERMINATED G_GNUC_UNUSED void
test_insert_node (BaliseStore *store,
                  gint64       osm_id,
                  double       lat,
                  double       lon,
                  ...)
{
  g_autoptr(BaliseTags) tags = balise_tags_new ();
  g_autoptr(GError) error = NULL;
  TestElement element = { "node", osm_id, 1, lat, lon, tags };
  const char *key;
  va_list args;

  va_start (args, lon);
  while ((key = va_arg (args, const char *)) != NULL)
    balise_tags_set (tags, key, va_arg (args, const char *));
  va_end (args);

  g_assert_true (_balise_store_write (store, test_insert_element_func, &element, NULL, &error));
  g_assert_no_error (error);
}

/* Adds an edit to the journal; the tags as for test_insert_node(). */
static G_GNUC_NULL_TERMINATED G_GNUC_UNUSED BaliseEdit *
test_add_edit (BaliseStore    *store,
               BaliseEditKind  kind,
               gint64          osm_id,
               double          lat,
               double          lon,
               ...)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_edit_new (kind);
  const char *key;
  va_list args;

  edit->osm_type = BALISE_OSM_NODE;
  edit->osm_id = kind == BALISE_EDIT_CREATE ? 0 : osm_id;
  edit->base_version = kind == BALISE_EDIT_CREATE ? 0 : 1;
  edit->lat = lat;
  edit->lon = lon;
  edit->contributor = g_strdup ("Camille");
  if (kind != BALISE_EDIT_CREATE)
    edit->base_tags = balise_tags_new ();
  if (kind != BALISE_EDIT_DELETE)
    {
      edit->new_tags = balise_tags_new ();
      va_start (args, lon);
      while ((key = va_arg (args, const char *)) != NULL)
        balise_tags_set (edit->new_tags, key, va_arg (args, const char *));
      va_end (args);
    }

  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);
  return edit;
}
