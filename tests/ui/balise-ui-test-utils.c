/* balise-ui-test-utils.c: helpers for the GTK tests and benchmarks
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "balise-ui-test-utils.h"

GdkTexture *
balise_ui_test_render_widget (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  graphene_rect_t bounds;

  g_assert_nonnull (parent);
  g_assert_nonnull (renderer);
  g_assert_true (gtk_widget_compute_bounds (widget, parent, &bounds));

  /* Not a GtkWidgetPaintable: it shows the node of the last frame drawn,
   * and this must draw the widget as it is now. */
  gtk_widget_snapshot_child (parent, widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return NULL;

  return gsk_renderer_render_texture (renderer, node, &bounds);
}

guint32
balise_ui_test_pixel (GdkTexture *texture,
                      int         x,
                      int         y)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *data = g_new (guint32, (gsize) width * height);

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, <, height);

  /* Cairo's ARGB32: one native-endian word a pixel. */
  gdk_texture_download (texture, (guchar *) data, (gsize) width * 4);
  return data[(gsize) y * width + x] & 0xffffff;
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
balise_ui_test_wait (gboolean (*done) (gpointer data),
                     gpointer   data,
                     guint      seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timed_out_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return !timed_out;
}

void
balise_ui_test_wait_until (gboolean  (*done) (gpointer data),
                           gpointer    data,
                           const char *what)
{
  if (!balise_ui_test_wait (done, data, BALISE_UI_TEST_WAIT_SECONDS))
    g_error ("Timed out waiting for %s", what);
}

void
balise_ui_test_spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

gpointer
balise_ui_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (item, type))
        return item;
    }

  return NULL;
}
