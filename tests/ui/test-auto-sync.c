/* test-auto-sync.c: the window uploads by itself when online, under Xvfb,
 * against the OSM API test server on loopback
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#undef G_DISABLE_ASSERT

#define G_LOG_DOMAIN "test-auto-sync"

#include "config.h"

#include <glib/gstdio.h>

#include "balise-application.h"
#include "balise-auto-sync-controller.h"
#include "balise-store-review.h"
#include "balise-upload-preview.h"
#include "balise-test-server.h"
#include "balise-ui-test-sync.h"
#include "balise-ui-test-utils.h"
#include "balise-window.h"

/* The machine's network as the test decides: a GNetworkMonitor that GIO
 * returns as its default (GIO_USE_NETWORK_MONITOR), whose network comes
 * and goes on demand. The server is on loopback either way. */
#define TEST_TYPE_NETWORK_MONITOR (test_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestNetworkMonitor, test_network_monitor, TEST, NETWORK_MONITOR, GObject)

struct _TestNetworkMonitor
{
  GObject  parent_instance;
  gboolean available;
};

static void test_network_monitor_iface_init (GNetworkMonitorInterface *iface);
static void test_network_monitor_initable_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNetworkMonitor, test_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      test_network_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      test_network_monitor_iface_init))

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static gboolean
test_network_monitor_can_reach (GNetworkMonitor     *monitor,
                                GSocketConnectable  *connectable,
                                GCancellable        *cancellable,
                                GError             **error)
{
  if (TEST_NETWORK_MONITOR (monitor)->available)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "Network unreachable");
  return FALSE;
}

static gboolean
test_network_monitor_initable (GInitable     *initable,
                               GCancellable  *cancellable,
                               GError       **error)
{
  return TRUE;
}

static void
test_network_monitor_initable_init (GInitableIface *iface)
{
  iface->init = test_network_monitor_initable;
}

static void
test_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_network_monitor_can_reach;
}

static void
test_network_monitor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TestNetworkMonitor *self = TEST_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_network_monitor_class_init (TestNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_network_monitor_get_property;
  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
test_network_monitor_init (TestNetworkMonitor *self)
{
  self->available = TRUE;
}

static void
set_network_available (gboolean available)
{
  TestNetworkMonitor *monitor = TEST_NETWORK_MONITOR (g_network_monitor_get_default ());

  monitor->available = available;
  g_object_notify (G_OBJECT (monitor), "network-available");
  g_signal_emit_by_name (monitor, "network-changed", available);
}

typedef struct
{
  BaliseTestServer *server;
  guint             port;
  BaliseStore      *store;
  BaliseWindow     *window;
  GSettings        *settings;
} Fixture;

static BaliseApplication *app;
static char **real_mime_dirs;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;

  /* The isolated XDG dirs have no shared-mime-info: the icons need it. */
  g_content_type_set_mime_dirs ((const char * const *) real_mime_dirs);
  fixture->server = balise_test_server_new (NULL, "volunteer-token");
  g_assert_true (balise_test_server_start (fixture->server, 0, &error));
  g_assert_no_error (error);
  uri = g_uri_parse (balise_test_server_get_url (fixture->server), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  fixture->port = (guint) g_uri_get_port (uri);

  fixture->settings = g_settings_new ("io.github.balise.Balise");
  g_settings_set_string (fixture->settings, "server-url", balise_test_server_get_url (fixture->server));
  g_settings_set_string (fixture->settings, "hashtags", "#balise");
  g_setenv ("BALISE_TOKEN", "volunteer-token", TRUE);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  path = g_build_filename (g_get_user_data_dir (), "auto-sync.sqlite", NULL);
  g_unlink (path);
  fixture->store = balise_store_open (path, &error);
  g_assert_no_error (error);
  /* A solo mapper: recorded edits are ready as they are. */
  g_assert_true (balise_store_set_review_before_upload (fixture->store, FALSE, &error));
  g_assert_no_error (error);
}

static void
open_window (Fixture *fixture)
{
  static const guint backoff[] = { 300 };
  BaliseAutoSyncController *controller;

  fixture->window = balise_window_new (app, fixture->store);
  g_object_ref_sink (fixture->window);
  controller = balise_window_get_auto_sync_controller (fixture->window);
  g_assert_nonnull (controller);
  /* Minutes in the field, a fraction of a second here. */
  balise_auto_sync_set_backoff (balise_auto_sync_controller_get_auto_sync (controller),
                                backoff, G_N_ELEMENTS (backoff));
  balise_auto_sync_controller_set_probe_interval (controller, 300);
  gtk_window_present (GTK_WINDOW (fixture->window));
  balise_ui_test_spin ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      balise_ui_test_spin ();
      g_clear_object (&fixture->window);
    }
  g_clear_object (&fixture->store);

  g_unsetenv ("BALISE_TOKEN");
  g_settings_reset (fixture->settings, "server-url");
  g_settings_reset (fixture->settings, "hashtags");
  g_settings_reset (fixture->settings, "auto-sync");
  g_clear_object (&fixture->settings);

  balise_test_server_stop (fixture->server);
  g_clear_object (&fixture->server);
}

static BaliseEdit *
add_stop (Fixture    *fixture,
          const char *name,
          double      lat,
          double      lon)
{
  g_autoptr(GError) error = NULL;
  BaliseEdit *edit = balise_edit_new (BALISE_EDIT_CREATE);

  edit->lat = lat;
  edit->lon = lon;
  edit->new_tags = balise_tags_new ();
  balise_tags_set (edit->new_tags, "highway", "bus_stop");
  balise_tags_set (edit->new_tags, "public_transport", "platform");
  balise_tags_set (edit->new_tags, "name", name);
  edit->contributor = g_strdup ("Alice");
  g_assert_true (balise_store_add_edit (fixture->store, edit, &error));
  g_assert_no_error (error);

  return edit;
}

static gint64
server_count (Fixture    *fixture,
              const char *sql)
{
  return balise_test_server_query_int (fixture->server, sql);
}

/* The stop named @name on the server: how many nodes carry that name. */
static gint64
nodes_named (Fixture    *fixture,
             const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM element WHERE type = 'node' AND "
                                          "xml LIKE '%%\"%s\"%%'", name);

  return server_count (fixture, sql);
}

static const char *
status (Fixture *fixture)
{
  return balise_auto_sync_controller_get_status (balise_window_get_auto_sync_controller (fixture->window));
}

static GtkWidget *
find_status_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "auto-sync-status"))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_status_label (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The words over the map, as the volunteer reads them: NULL when hidden. */
static const char *
shown_status (Fixture *fixture)
{
  GtkWidget *label = find_status_label (GTK_WIDGET (fixture->window));
  GtkWidget *revealer;

  g_assert_nonnull (label);
  revealer = gtk_widget_get_parent (label);
  g_assert_true (GTK_IS_REVEALER (revealer));
  if (!gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (label));
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
} StatusWait;

static gboolean
status_is (gpointer data)
{
  StatusWait *wait = data;

  return g_strcmp0 (status (wait->fixture), wait->text) == 0;
}

static void
wait_status (Fixture    *fixture,
             const char *text)
{
  StatusWait wait = { fixture, text };
  g_autofree char *what = g_strdup_printf ("the status “%s”", text ? text : "(none)");

  balise_ui_test_wait_until (status_is, &wait, what);
  g_assert_cmpstr (shown_status (fixture), ==, text);
}

typedef struct
{
  Fixture    *fixture;
  const char *sql;
  gint64      value;
} CountWait;

static gboolean
count_is (gpointer data)
{
  CountWait *wait = data;

  return server_count (wait->fixture, wait->sql) == wait->value;
}

static gboolean
nothing_ready (gpointer data)
{
  Fixture *fixture = data;

  return !balise_window_get_syncing (fixture->window) &&
         balise_store_count_ready (fixture->store) == 0;
}

/* Waits for the server to hold @value nodes, then for the window to be
 * done with the sync. */
static void
wait_nodes (Fixture *fixture,
            gint64   value)
{
  CountWait wait = { fixture, "SELECT count(*) FROM element WHERE type = 'node'", value };

  balise_ui_test_wait_until (count_is, &wait, "the nodes on the server");
  balise_ui_test_wait_until (nothing_ready, fixture, "the sync to end");
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the window run for @ms: time for anything it would do by itself. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true_cb, &done);
  balise_ui_test_wait_until (is_true, &done, "the time to pass");
}

/* Whether a label under @widget starts with @prefix. */
static gboolean
has_label (GtkWidget  *widget,
           const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, prefix))
      return TRUE;
  return FALSE;
}

/* The toasts on screen under @widget (libadwaita's AdwToastWidget) whose
 * title starts with @prefix. */
static guint
count_toasts (GtkWidget  *widget,
              const char *prefix)
{
  GType toast_type = g_type_from_name ("AdwToastWidget");
  guint count = 0;

  if (toast_type != 0 && G_TYPE_CHECK_INSTANCE_TYPE (widget, toast_type))
    return has_label (widget, prefix) ? 1 : 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count += count_toasts (child, prefix);
  return count;
}

static void
assert_uploaded (Fixture    *fixture,
                 BaliseEdit *edit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BaliseEdit) stored = balise_store_get_edit (fixture->store, edit->uuid, &error);

  g_assert_no_error (error);
  g_assert_cmpint (stored->status, ==, BALISE_EDIT_STATUS_UPLOADED);
  g_assert_cmpint (stored->new_id, >, 0);
}

/* Online and signed in: recorded edits go up by themselves, each once,
 * in one changeset with the composer's comment and the hashtags; new ones
 * go in the next. */
static void
test_upload_by_itself (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) gare = NULL;
  g_autoptr(BaliseEdit) casino = NULL;
  g_autoptr(BaliseEdit) port = NULL;

  g_settings_set_boolean (fixture->settings, "auto-sync", TRUE);
  open_window (fixture);
  /* Online, nothing waiting: nothing to say. */
  wait_status (fixture, NULL);

  gare = add_stop (fixture, "Gare", 43.7384, 7.4246);
  casino = add_stop (fixture, "Casino", 43.7395, 7.4260);
  wait_nodes (fixture, 2);

  g_assert_cmpint (nodes_named (fixture, "Gare"), ==, 1);
  g_assert_cmpint (nodes_named (fixture, "Casino"), ==, 1);
  assert_uploaded (fixture, gare);
  assert_uploaded (fixture, casino);
  /* The first add may have gone alone, the second in a changeset of its
   * own; never both twice. */
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), <=, 2);
  g_assert_cmpint (server_count (fixture,
                     "SELECT count(*) FROM changeset_tag WHERE k = 'comment' AND "
                     "v NOT LIKE '%bus stop% added #balise'"), ==, 0);
  g_assert_cmpint (server_count (fixture,
                     "SELECT count(*) FROM changeset_tag WHERE k = 'hashtags' AND v = '#balise'"), ==,
                   server_count (fixture, "SELECT count(*) FROM changeset"));
  wait_status (fixture, NULL);

  /* Something new: one more upload, of it alone. */
  port = add_stop (fixture, "Port", 43.7350, 7.4210);
  wait_nodes (fixture, 3);
  assert_uploaded (fixture, port);
  g_assert_cmpint (nodes_named (fixture, "Port"), ==, 1);
  g_assert_cmpint (nodes_named (fixture, "Gare"), ==, 1);
  g_assert_cmpint (nodes_named (fixture, "Casino"), ==, 1);
  g_assert_cmpint (server_count (fixture,
                     "SELECT count(*) FROM changeset_tag WHERE k = 'comment' AND "
                     "v = '1 bus stop added #balise'"), >=, 1);

  /* Nothing more happens by itself. */
  run_for (1000);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM element WHERE type = 'node'"), ==, 3);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM history"), ==, 3);
}

/* The server stopped: nothing goes, the window says it will; when the
 * server answers again (the next probe), the edits go, once. */
static void
test_server_comes_back (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) gare = NULL;
  g_autoptr(BaliseEdit) casino = NULL;
  g_autoptr(GError) error = NULL;
  guint requests;

  balise_test_server_stop (fixture->server);
  g_settings_set_boolean (fixture->settings, "auto-sync", TRUE);
  open_window (fixture);

  gare = add_stop (fixture, "Gare", 43.7384, 7.4246);
  casino = add_stop (fixture, "Casino", 43.7395, 7.4260);
  wait_status (fixture, "Will upload when online");
  /* Several probes go unanswered: still nothing sent, nothing lost. */
  run_for (1200);
  g_assert_cmpstr (status (fixture), ==, "Will upload when online");
  g_assert_false (balise_window_get_syncing (fixture->window));
  g_assert_cmpuint (balise_store_count_ready (fixture->store), ==, 2);
  g_assert_cmpuint (balise_test_server_get_request_count (fixture->server), ==, 0);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 0);

  g_assert_true (balise_test_server_start (fixture->server, fixture->port, &error));
  g_assert_no_error (error);
  wait_nodes (fixture, 2);
  assert_uploaded (fixture, gare);
  assert_uploaded (fixture, casino);
  wait_status (fixture, NULL);

  /* Once: one changeset, each stop once, and no upload after it. */
  requests = balise_test_server_get_request_count (fixture->server);
  run_for (1000);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 1);
  g_assert_cmpint (nodes_named (fixture, "Gare"), ==, 1);
  g_assert_cmpint (nodes_named (fixture, "Casino"), ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM history"), ==, 2);
  g_assert_cmpuint (balise_test_server_get_request_count (fixture->server), ==, requests);
}

/* The machine loses its network (GNetworkMonitor says so): offline, the
 * edits kept; the network back, they go. */
static void
test_network_lost (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) gare = NULL;

  g_assert_true (TEST_IS_NETWORK_MONITOR (g_network_monitor_get_default ()));
  g_settings_set_boolean (fixture->settings, "auto-sync", TRUE);
  open_window (fixture);
  wait_status (fixture, NULL);

  set_network_available (FALSE);
  wait_status (fixture, "Offline — edits are kept on this device");

  gare = add_stop (fixture, "Gare", 43.7384, 7.4246);
  wait_status (fixture, "Will upload when online");
  run_for (800);
  g_assert_cmpuint (balise_test_server_get_request_count (fixture->server), ==, 0);

  set_network_available (TRUE);
  wait_nodes (fixture, 1);
  assert_uploaded (fixture, gare);
  wait_status (fixture, NULL);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 1);
}

/* The server refuses the changeset once: the window says it retries, and
 * does, after the back-off; the stop goes once. */
static void
test_retry_after_failure (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) gare = NULL;

  balise_test_server_add_fault (fixture->server, "PUT", "/api/0.6/changeset/create",
                                BALISE_TEST_FAULT_STATUS, 500, 1);
  /* A long first wait, to read the status. */
  g_settings_set_boolean (fixture->settings, "auto-sync", TRUE);
  open_window (fixture);
  {
    static const guint slow[] = { 2500, 300 };

    balise_auto_sync_set_backoff (balise_auto_sync_controller_get_auto_sync (
                                    balise_window_get_auto_sync_controller (fixture->window)),
                                  slow, G_N_ELEMENTS (slow));
  }

  /* The failure is logged as any sync's. */
  g_test_expect_message ("balise-window-actions", G_LOG_LEVEL_WARNING,
                         "Sync with * failed: *500*");
  gare = add_stop (fixture, "Gare", 43.7384, 7.4246);
  wait_status (fixture, "Last upload failed — retrying in 1 minute");
  g_test_assert_expected_messages ();
  /* The server refused: that one is said, as for a sync by hand. */
  g_assert_cmpuint (count_toasts (GTK_WIDGET (fixture->window), "Sync failed"), ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM element"), ==, 0);

  wait_nodes (fixture, 1);
  assert_uploaded (fixture, gare);
  wait_status (fixture, NULL);
  g_assert_cmpint (nodes_named (fixture, "Gare"), ==, 1);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 1);
}

/* Stops the server, records @name, and waits until the window says the
 * stop will go once online. After a sync that reached the server, the
 * next one is tried at once, fails and is retried after a probe. */
static void
stop_server_and_wait (Fixture     *fixture,
                      BaliseEdit **edit,
                      const char  *name,
                      gboolean     reached_before)
{
  balise_test_server_stop (fixture->server);
  if (reached_before)
    g_test_expect_message ("balise-window-actions", G_LOG_LEVEL_MESSAGE,
                           "Automatic sync with * failed: *");
  *edit = add_stop (fixture, name, 43.7384, 7.4246);
  wait_status (fixture, "Will upload when online");
  g_test_assert_expected_messages ();
  /* No toast for it: the status says it all. */
  g_assert_cmpuint (count_toasts (GTK_WIDGET (fixture->window), "Sync failed"), ==, 0);
}

static void
restart_server (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (balise_test_server_start (fixture->server, fixture->port, &error));
  g_assert_no_error (error);
}

/* Someone writes a comment in the composer when the server comes back:
 * their upload goes, with their comment, and the automatic one waits for
 * it; a composer closed without Upload lets the automatic one go. */
static void
test_composer_first (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) gare = NULL;
  g_autoptr(BaliseEdit) casino = NULL;
  BaliseUploadDialog *composer;

  g_settings_set_boolean (fixture->settings, "auto-sync", TRUE);
  open_window (fixture);
  stop_server_and_wait (fixture, &gare, "Gare", FALSE);

  composer = balise_ui_test_open_composer (fixture->window);
  g_assert_nonnull (composer);
  restart_server (fixture);
  /* The probes answer now; the automatic sync waits for the composer. */
  run_for (1200);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 0);
  g_assert_false (balise_window_get_syncing (fixture->window));
  gtk_editable_set_text (balise_upload_dialog_get_comment_field (composer), "Gare checked by hand");
  balise_ui_test_press_upload (composer);
  wait_nodes (fixture, 1);
  assert_uploaded (fixture, gare);
  run_for (800);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 1);
  g_assert_cmpint (server_count (fixture,
                     "SELECT count(*) FROM changeset_tag WHERE k = 'comment' AND "
                     "v = 'Gare checked by hand #balise'"), ==, 1);

  /* Closed without Upload: the automatic sync goes. */
  stop_server_and_wait (fixture, &casino, "Casino", TRUE);
  composer = balise_ui_test_open_composer (fixture->window);
  g_assert_nonnull (composer);
  restart_server (fixture);
  run_for (1200);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 1);
  gtk_window_close (GTK_WINDOW (composer));
  wait_nodes (fixture, 2);
  assert_uploaded (fixture, casino);
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM changeset"), ==, 2);
  g_assert_cmpint (server_count (fixture,
                     "SELECT count(*) FROM changeset_tag WHERE k = 'comment' AND "
                     "v = '1 bus stop added #balise'"), ==, 1);
  g_assert_cmpint (nodes_named (fixture, "Gare"), ==, 1);
  g_assert_cmpint (nodes_named (fixture, "Casino"), ==, 1);
}

/* Automatic sync off: nothing goes by itself, and nothing is shown; the
 * switch on (the setting), the edits go. */
static void
test_off (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) gare = NULL;

  g_settings_set_boolean (fixture->settings, "auto-sync", FALSE);
  open_window (fixture);

  gare = add_stop (fixture, "Gare", 43.7384, 7.4246);
  run_for (1500);
  g_assert_null (status (fixture));
  g_assert_null (shown_status (fixture));
  g_assert_cmpuint (balise_test_server_get_request_count (fixture->server), ==, 0);
  g_assert_cmpuint (balise_store_count_ready (fixture->store), ==, 1);

  g_settings_set_boolean (fixture->settings, "auto-sync", TRUE);
  wait_nodes (fixture, 1);
  assert_uploaded (fixture, gare);
}

/* Signed out: nothing goes, and the window says why. */
static void
test_signed_out (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(BaliseEdit) gare = NULL;

  g_unsetenv ("BALISE_TOKEN");
  g_settings_set_boolean (fixture->settings, "auto-sync", TRUE);
  open_window (fixture);

  gare = add_stop (fixture, "Gare", 43.7384, 7.4246);
  wait_status (fixture, "Sign in to upload automatically");
  run_for (1000);
  g_assert_cmpuint (balise_test_server_get_request_count (fixture->server), ==, 0);
  g_assert_cmpuint (balise_store_count_ready (fixture->store), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  real_mime_dirs = g_strdupv ((char **) g_content_type_get_mime_dirs ());
  gtk_init ();

  /* The test's network monitor, on every machine the same: GIO finds it
   * by its extension point, as its own. */
  g_io_extension_point_register (G_NETWORK_MONITOR_EXTENSION_POINT_NAME);
  g_io_extension_point_implement (G_NETWORK_MONITOR_EXTENSION_POINT_NAME,
                                  TEST_TYPE_NETWORK_MONITOR, "balise-test", 1000);
  g_setenv ("GIO_USE_NETWORK_MONITOR", "balise-test", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  app = balise_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/ui/auto-sync/upload-by-itself", Fixture, NULL,
              fixture_set_up, test_upload_by_itself, fixture_tear_down);
  g_test_add ("/ui/auto-sync/server-comes-back", Fixture, NULL,
              fixture_set_up, test_server_comes_back, fixture_tear_down);
  g_test_add ("/ui/auto-sync/network-lost", Fixture, NULL,
              fixture_set_up, test_network_lost, fixture_tear_down);
  g_test_add ("/ui/auto-sync/retry-after-failure", Fixture, NULL,
              fixture_set_up, test_retry_after_failure, fixture_tear_down);
  g_test_add ("/ui/auto-sync/composer-first", Fixture, NULL,
              fixture_set_up, test_composer_first, fixture_tear_down);
  g_test_add ("/ui/auto-sync/off", Fixture, NULL,
              fixture_set_up, test_off, fixture_tear_down);
  g_test_add ("/ui/auto-sync/signed-out", Fixture, NULL,
              fixture_set_up, test_signed_out, fixture_tear_down);

  ret = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&real_mime_dirs, g_strfreev);

  return ret;
}
