/* test-dashboard.c: the dashboard page counts off the main thread, under Xvfb
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#define G_LOG_DOMAIN "test-dashboard"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "balise-dashboard.h"
#include "balise-dashboard-page.h"
#include "balise-freshness-layer.h"
#include "balise-store.h"
#include "balise-ui-test-utils.h"

typedef struct
{
  BaliseDashboardPage *page;
  guint                reads;          /* times the page began to count */
  guint                reads_blank;    /* … with no number on the page */
} Loading;

static void
loading_cb (BaliseDashboardPage *page,
            GParamSpec          *pspec,
            Loading             *loading)
{
  if (!balise_dashboard_page_get_loading (page))
    return;
  loading->reads++;
  if (balise_dashboard_page_get_shown (page, "stops", "unknown") == -1)
    loading->reads_blank++;
}

static gboolean
is_loading (gpointer data)
{
  return balise_dashboard_page_get_loading (data);
}

static gboolean
is_idle (gpointer data)
{
  return !balise_dashboard_page_get_loading (data);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
add_stop (BaliseStore *store,
          const char  *contributor,
          const char  *check_date,
          double       lat,
          double       lon)
{
  g_autoptr(BaliseEdit) edit = balise_edit_new (BALISE_EDIT_CREATE);
  g_autoptr(GError) error = NULL;

  edit->lat = lat;
  edit->lon = lon;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  if (check_date != NULL)
    balise_tags_set (edit->new_tags, "check_date", check_date);
  edit->contributor = g_strdup (contributor);
  g_assert_true (balise_store_add_edit (store, edit, &error));
  g_assert_no_error (error);
}

/* Every number on the page is the store's, counted now on the main thread. */
static void
assert_shows_store (BaliseDashboardPage *page,
                    BaliseStore         *store)
{
  g_autoptr(BaliseDashboard) dashboard = NULL;
  g_autoptr(GError) error = NULL;
  BaliseFreshnessLayer *layer = balise_dashboard_page_get_freshness_layer (page);
  GPtrArray *sections[] = { NULL, NULL, NULL };
  const char *names[] = { "contributor", "status", "category" };

  dashboard = balise_store_get_dashboard (store, NULL, BALISE_DASHBOARD_RECENT_DAYS, &error);
  g_assert_no_error (error);
  sections[0] = dashboard->by_contributor;
  sections[1] = dashboard->by_status;
  sections[2] = dashboard->by_category;

  for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
    for (guint i = 0; i < sections[s]->len; i++)
      {
        BaliseCount *count = g_ptr_array_index (sections[s], i);

        g_assert_cmpint (balise_dashboard_page_get_shown (page, names[s], count->name), ==,
                         (gint64) count->count);
      }
  for (BaliseFreshness f = BALISE_FRESHNESS_RECENT; f <= BALISE_FRESHNESS_UNKNOWN; f++)
    {
      g_assert_cmpint (balise_dashboard_page_get_shown (page, "stops", balise_freshness_to_string (f)),
                       ==, dashboard->stops[f]);
      /* The map's dots come from the same read as the legend. */
      g_assert_cmpuint (balise_freshness_layer_get_count (layer, f), ==, dashboard->stops[f]);
    }
}

/* The page shows a placeholder while it first counts, then the store's
 * numbers; a burst of edits makes one read, during which the old numbers
 * stay whole; hiding the page cancels its read and it counts again when
 * shown. */
static void
test_dashboard_async (void)
{
  g_autofree char *path = NULL;
  g_autoptr(BaliseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) recent = g_date_time_add_days (now, -3);
  g_autofree char *recent_date = g_date_time_format (recent, "%Y-%m-%d");
  Loading loading = { 0, };
  GtkWidget *window;
  GtkWidget *page;
  guint reads;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  path = g_build_filename (g_get_user_data_dir (), "dashboard.sqlite", NULL);
  store = balise_store_open (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 40; i++)
    add_stop (store, i % 2 ? "Alice" : "Bob", i % 4 == 0 ? recent_date : i % 4 == 1 ? "2019-04-01" : NULL,
              43.73 + i * 1e-3, 7.42);

  page = balise_dashboard_page_new (store);
  loading.page = BALISE_DASHBOARD_PAGE (page);
  g_signal_connect (page, "notify::loading", G_CALLBACK (loading_cb), &loading);

  /* Not shown, the page does not read. */
  balise_ui_test_spin ();
  g_assert_false (balise_dashboard_page_get_loading (loading.page));
  g_assert_cmpuint (loading.reads, ==, 0);

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 700);
  adw_window_set_content (ADW_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  balise_ui_test_wait_until (is_mapped, page, "the page to be shown");

  /* Shown: one read, begun with nothing on the page but the placeholder. */
  g_assert_cmpuint (loading.reads, ==, 1);
  g_assert_cmpuint (loading.reads_blank, ==, 1);
  balise_ui_test_wait_until (is_idle, page, "the first count");
  g_assert_cmpint (balise_dashboard_page_get_shown (loading.page, "contributor", "Alice"), ==, 20);
  g_assert_cmpint (balise_dashboard_page_get_shown (loading.page, "stops", "recent"), ==, 10);
  g_assert_cmpint (balise_dashboard_page_get_shown (loading.page, "stops", "stale"), ==, 10);
  g_assert_cmpint (balise_dashboard_page_get_shown (loading.page, "stops", "unknown"), ==, 20);
  assert_shows_store (loading.page, store);

  /* Ten edits in a row: one read, and until it ends the old numbers, all
   * of them. */
  reads = loading.reads;
  for (guint i = 0; i < 10; i++)
    add_stop (store, "Camille", recent_date, 43.70 - i * 1e-3, 7.41);
  balise_ui_test_wait_until (is_loading, page, "the page to count the new edits");
  g_assert_cmpuint (loading.reads, ==, reads + 1);
  g_assert_cmpint (balise_dashboard_page_get_shown (loading.page, "contributor", "Camille"), ==, -1);
  g_assert_cmpint (balise_dashboard_page_get_shown (loading.page, "stops", "recent"), ==, 10);
  balise_ui_test_wait_until (is_idle, page, "the second count");
  g_assert_cmpuint (loading.reads, ==, reads + 1);
  g_assert_cmpuint (loading.reads_blank, ==, 1);
  g_assert_cmpint (balise_dashboard_page_get_shown (loading.page, "contributor", "Camille"), ==, 10);
  g_assert_cmpint (balise_dashboard_page_get_shown (loading.page, "stops", "recent"), ==, 20);
  assert_shows_store (loading.page, store);

  /* A read under way is cancelled when the page is hidden; the numbers
   * shown stay those of the last read that ended. Changes while hidden
   * start no read. */
  balise_dashboard_page_reload (loading.page);
  g_assert_true (balise_dashboard_page_get_loading (loading.page));
  gtk_widget_set_visible (window, FALSE);
  g_assert_false (gtk_widget_get_mapped (page));
  g_assert_false (balise_dashboard_page_get_loading (loading.page));
  reads = loading.reads;
  add_stop (store, "Dominique", NULL, 43.69, 7.40);
  {
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

    g_timeout_add_once (600, (GSourceOnceFunc) g_main_loop_quit, loop);
    g_main_loop_run (loop);
  }
  g_assert_cmpuint (loading.reads, ==, reads);
  g_assert_cmpint (balise_dashboard_page_get_shown (loading.page, "contributor", "Dominique"), ==, -1);
  g_assert_cmpint (balise_dashboard_page_get_shown (loading.page, "contributor", "Camille"), ==, 10);

  /* Shown again, it counts what changed meanwhile. */
  gtk_window_present (GTK_WINDOW (window));
  balise_ui_test_wait_until (is_mapped, page, "the page to be shown again");
  g_assert_cmpuint (loading.reads, ==, reads + 1);
  balise_ui_test_wait_until (is_idle, page, "the count after showing");
  g_assert_cmpint (balise_dashboard_page_get_shown (loading.page, "contributor", "Dominique"), ==, 1);
  assert_shows_store (loading.page, store);

  /* Closed while it counts: the read is cancelled and ends with the page. */
  balise_dashboard_page_reload (loading.page);
  g_signal_handlers_disconnect_by_func (page, loading_cb, &loading);
  gtk_window_destroy (GTK_WINDOW (window));
  balise_ui_test_spin ();
}

static char **real_mime_dirs;

/* G_TEST_OPTION_ISOLATE_DIRS hides the MIME database that GTK needs to load
 * the spinner's SVG icon, and the icon themes: both are pointed back at the
 * real ones. */
static void
restore_mime_dirs (gconstpointer test)
{
  g_content_type_set_mime_dirs ((const char * const *) real_mime_dirs);
  ((GTestFunc) test) ();
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) icon_path = NULL;
  GtkIconTheme *icon_theme;
  int ret;

  real_mime_dirs = g_strdupv ((char **) g_content_type_get_mime_dirs ());
  gtk_init ();
  adw_init ();
  icon_theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  icon_path = gtk_icon_theme_get_search_path (icon_theme);
  gtk_icon_theme_set_search_path (icon_theme, (const char * const *) icon_path);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_data_func ("/ui/dashboard/async", test_dashboard_async, restore_mime_dirs);

  ret = g_test_run ();
  g_strfreev (real_mime_dirs);
  return ret;
}
