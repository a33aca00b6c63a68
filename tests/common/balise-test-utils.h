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
char *balise_test_tmp_path (const char *name);

G_END_DECLS
