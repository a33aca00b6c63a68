/* balise-store-contributors.c: the local profiles that record edits
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-store"

#include "config.h"

#include "balise-store-contributors.h"
#include "balise-store-private.h"

#define MAX_NAME_LENGTH 255

gboolean
_balise_store_ensure_contributor (sqlite3     *db,
                                  const char  *name,
                                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _balise_store_now_iso8601 ();

  if (!_balise_store_prepare (db,
                              "INSERT INTO contributor (name, created_at) VALUES (?, ?) "
                              "ON CONFLICT (name) DO NOTHING",
                              &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not record the contributor");
      return FALSE;
    }
  return TRUE;
}

/* The trimmed name, or NULL with an error saying what is wrong with it. */
static char *
clean_name (const char  *name,
            GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name));

  if (!g_utf8_validate (trimmed, -1, NULL) || *trimmed == '\0')
    {
      g_set_error_literal (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                           "A contributor needs a name");
      return NULL;
    }
  if (g_utf8_strlen (trimmed, -1) > MAX_NAME_LENGTH)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                   "The name “%.40s…” is longer than %d characters", trimmed, MAX_NAME_LENGTH);
      return NULL;
    }
  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                       "The name “%s” holds a control character", trimmed);
          return NULL;
        }
    }
  return g_steal_pointer (&trimmed);
}

static gboolean
contributor_exists (sqlite3     *db,
                    const char  *name,
                    gboolean    *exists,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!_balise_store_prepare (db, "SELECT 1 FROM contributor WHERE name = ?", &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the contributors");
      return FALSE;
    }
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

GStrv
balise_store_list_contributors (BaliseStore  *self,
                                GError      **error)
{
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (BALISE_IS_STORE (self), NULL);

  db = _balise_store_get_read_db (self);
  if (!_balise_store_prepare (db, "SELECT name FROM contributor ORDER BY name COLLATE NOCASE, name",
                              &stmt, error))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _balise_store_set_error (error, db, "Could not read the contributors");
      return NULL;
    }
  return g_strv_builder_end (names);
}

static gboolean
add_contributor_func (BaliseStore   *self,
                      sqlite3       *db,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  const char *name = data;
  gboolean exists;

  if (!contributor_exists (db, name, &exists, error))
    return FALSE;
  if (exists)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_EXISTS,
                   "There is already a contributor named “%s”", name);
      return FALSE;
    }
  return _balise_store_ensure_contributor (db, name, error);
}

gboolean
balise_store_add_contributor (BaliseStore  *self,
                              const char   *name,
                              GError      **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!(clean = clean_name (name, error)))
    return FALSE;
  return _balise_store_write (self, add_contributor_func, clean, NULL, error);
}

typedef struct
{
  const char *old_name;
  const char *new_name;
} Rename;

static gboolean
rename_contributor_func (BaliseStore   *self,
                         sqlite3       *db,
                         gpointer       data,
                         GCancellable  *cancellable,
                         GError       **error)
{
  Rename *rename = data;
  static const char * const updates[] = {
    "UPDATE contributor SET name = ?2 WHERE name = ?1",
    "UPDATE edit SET contributor = ?2 WHERE contributor = ?1",
    "UPDATE edit SET edited_by = ?2 WHERE edited_by = ?1",
    "UPDATE edit SET reviewer = ?2 WHERE reviewer = ?1",
    "UPDATE note SET contributor = ?2 WHERE contributor = ?1",
    "UPDATE note SET reviewer = ?2 WHERE reviewer = ?1",
  };
  gboolean exists;

  if (!contributor_exists (db, rename->old_name, &exists, error))
    return FALSE;
  if (!exists)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_NOT_FOUND,
                   "There is no contributor named “%s”", rename->old_name);
      return FALSE;
    }
  if (g_str_equal (rename->old_name, rename->new_name))
    return TRUE;
  if (!contributor_exists (db, rename->new_name, &exists, error))
    return FALSE;
  if (exists)
    {
      g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_EXISTS,
                   "There is already a contributor named “%s”", rename->new_name);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (updates); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (!_balise_store_prepare (db, updates[i], &stmt, error))
        return FALSE;
      sqlite3_bind_text (stmt, 1, rename->old_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, rename->new_name, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _balise_store_set_error (error, db, "Could not rename the contributor");
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
balise_store_rename_contributor (BaliseStore  *self,
                                 const char   *old_name,
                                 const char   *new_name,
                                 GError      **error)
{
  g_autofree char *clean = NULL;
  Rename rename;

  g_return_val_if_fail (BALISE_IS_STORE (self), FALSE);
  g_return_val_if_fail (old_name != NULL, FALSE);
  g_return_val_if_fail (new_name != NULL, FALSE);

  if (!(clean = clean_name (new_name, error)))
    return FALSE;
  rename.old_name = old_name;
  rename.new_name = clean;
  return _balise_store_write (self, rename_contributor_func, &rename, NULL, error);
}
