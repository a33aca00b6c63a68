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
#define test_count_rows(store, ...) balise_test_count_rows (balise_store_get_path (store), __VA_ARGS__)
