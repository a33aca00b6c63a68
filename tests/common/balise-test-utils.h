/* balise-test-utils.h: helpers shared by the test programs
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A path in this test program's own temporary directory, which is created
 * on first use and removed with everything in it when the program exits.
 * (G_TEST_OPTION_ISOLATE_DIRS would do, but GLib 2.74 leaks in it, and the
 * core tests run under LeakSanitizer.) */
char   *balise_test_tmp_path   (const char *name);

/* A count read from the database file at @db_path as another program would
 * (its own read-only connection): the first column of the first row of the
 * query @format; the test fails if the query cannot run. */
gint64  balise_test_count_rows (const char *db_path,
                                const char *format,
                                ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
