/* test-photos.h: photo files and row counts, for the store's photo tests
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>
#include <sqlite3.h>

#include "balise-core.h"
#include "balise-test-utils.h"

/* A tiny but real JPEG in the test's temporary directory: SOI, an APP0
 * JFIF segment and EOI, plus @tail, which makes each photo distinct. */
static G_GNUC_UNUSED char *
test_write_jpeg (const char *name,
                 const char *tail)
{
  static const guint8 head[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00,
    0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  };
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  char *path = balise_test_tmp_path (name);

  g_byte_array_append (bytes, head, sizeof head);
  g_byte_array_append (bytes, (const guint8 *) tail, strlen (tail));
  g_byte_array_append (bytes, (const guint8 *) "\xff\xd9", 2);
  g_assert_true (g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error));
  g_assert_no_error (error);
  return path;
}

/* A count from the database file, read as another program would. */
static G_GNUC_UNUSED G_GNUC_PRINTF (2, 3) gint64
test_count_rows (BaliseStore *store,
                 const char  *format,
                 ...)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  va_list args;
  gint64 count;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  g_assert_cmpint (sqlite3_open_v2 (balise_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}
