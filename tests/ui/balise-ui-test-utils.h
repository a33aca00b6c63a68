/* balise-ui-test-utils.h: helpers for the GTK tests and benchmarks
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Draws @widget as GTK would (snapshot, then its window's GskRenderer) into
 * a texture of its size; NULL if it drew nothing. */
GdkTexture *balise_ui_test_render_widget (GtkWidget  *widget);

/* The colour of one pixel, as 0xRRGGBB (alpha dropped). */
guint32     balise_ui_test_pixel         (GdkTexture *texture,
                                          int         x,
                                          int         y);

/* Spins the main loop until @done (data) is TRUE or @seconds pass. */
gboolean    balise_ui_test_wait          (gboolean  (*done) (gpointer data),
                                          gpointer    data,
                                          guint       seconds);

/* Spins the main loop until @done holds; fails the test, naming @what, when
 * it still does not after BALISE_UI_TEST_WAIT_SECONDS. */
#define BALISE_UI_TEST_WAIT_SECONDS 90

void        balise_ui_test_wait_until    (gboolean  (*done) (gpointer data),
                                          gpointer    data,
                                          const char *what);

/* The first toplevel window of @type, or NULL (owned by GTK's list). */
gpointer    balise_ui_test_find_toplevel (GType       type);

/* Dispatches what is already pending on the main context, without blocking. */
void        balise_ui_test_spin          (void);

G_END_DECLS
