/* test-store.h: opening, reopening and writing into a fresh store, for tests
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib/gstdio.h>

#include "balise-core.h"
#include "balise-store-private.h"
#include "balise-test-utils.h"

/* A new, empty store in the test's temporary directory. */
static G_GNUC_UNUSED BaliseStore *
test_store_open (const char *name)
{
  g_autofree char *path = balise_test_tmp_path (name);
  g_autoptr(GError) error = NULL;
  BaliseStore *store;

  g_remove (path);
  store = balise_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

/* Closes @store and opens its file again, as a restart would. */
static G_GNUC_UNUSED BaliseStore *
test_store_reopen (BaliseStore *store)
{
  g_autofree char *path = g_strdup (balise_store_get_path (store));
  g_autoptr(GError) error = NULL;
  BaliseStore *again;

  g_object_unref (store);
  again = balise_store_open (path, &error);
  g_assert_no_error (error);
  return again;
}

static gboolean
test_store_exec_func (BaliseStore   *store,
                      sqlite3       *db,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return _balise_store_exec (db, data, error);
}

/* Runs @sql on the store's writer connection, as another program would. */
static G_GNUC_UNUSED void
test_store_exec (BaliseStore *store,
                 const char  *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_balise_store_write (store, test_store_exec_func, (gpointer) sql, NULL, &error));
  g_assert_no_error (error);
}
