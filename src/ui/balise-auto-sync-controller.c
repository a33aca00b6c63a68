/* balise-auto-sync-controller.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-auto-sync-controller"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-auto-sync-controller.h"
#include "balise-online-probe.h"
#include "balise-servers.h"
#include "balise-token-store.h"
#include "balise-upload-preview.h"

#define PROBE_TIMEOUT_SECONDS 15
#define DEFAULT_PROBE_INTERVAL_MS (3 * 60 * 1000)
#define STATUS_REFRESH_SECONDS 20

typedef enum
{
  REACHABLE_UNKNOWN,
  REACHABLE_YES,
  REACHABLE_NO,
} Reachable;

struct _BaliseAutoSyncController
{
  GObject          parent_instance;

  /* Owned references */
  BaliseStore     *store;
  GSettings       *settings;
  BaliseAutoSync  *auto_sync;
  GNetworkMonitor *monitor;
  GCancellable    *probe_cancellable;
  GCancellable    *token_cancellable;
  char            *status;

  guint            reprobe_id;      /* while the server does not answer */
  guint            refresh_id;      /* while backing off: the minutes left */
  guint            probe_interval;  /* ms */

  /* What the BaliseAutoSync was told, for the status */
  gboolean         started;
  gboolean         network;
  Reachable        reachable;
  gboolean         signed_in;
  gboolean         syncing;
  guint            ready;
};

G_DEFINE_FINAL_TYPE (BaliseAutoSyncController, balise_auto_sync_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
compute_status (BaliseAutoSyncController *self)
{
  gint64 retry_time;

  if (!balise_auto_sync_get_enabled (self->auto_sync))
    return NULL;

  if (self->syncing)
    return g_strdup (_("Uploading…"));

  if ((retry_time = balise_auto_sync_get_retry_time (self->auto_sync)) != 0)
    {
      gint64 left = retry_time - g_get_monotonic_time ();
      guint minutes = (guint) MAX (1, (left + G_USEC_PER_SEC * 60 - 1) / (G_USEC_PER_SEC * 60));

      return g_strdup_printf (ngettext ("Last upload failed — retrying in %u minute",
                                        "Last upload failed — retrying in %u minutes",
                                        minutes),
                              minutes);
    }

  if (!self->network || self->reachable == REACHABLE_NO)
    {
      if (self->ready > 0 && self->signed_in)
        return g_strdup (_("Will upload when online"));
      return g_strdup (_("Offline — edits are kept on this device"));
    }

  if (self->ready > 0 && !self->signed_in)
    return g_strdup (_("Sign in to upload automatically"));

  /* Online: the server is being asked, the sync follows. */
  if (self->ready > 0 && self->reachable == REACHABLE_UNKNOWN)
    return g_strdup (_("Will upload when online"));

  return NULL;
}

static gboolean
refresh_status_cb (gpointer user_data);

static void
update_status (BaliseAutoSyncController *self)
{
  g_autofree char *status = NULL;

  g_assert (BALISE_IS_AUTO_SYNC_CONTROLLER (self));

  status = compute_status (self);

  /* The minutes left of a back-off count down. */
  if (balise_auto_sync_is_backing_off (self->auto_sync) && self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (STATUS_REFRESH_SECONDS, refresh_status_cb, self);

  if (g_strcmp0 (status, self->status) == 0)
    return;

  g_debug ("Automatic sync: %s", status ? status : "(nothing to say)");
  g_free (self->status);
  self->status = g_steal_pointer (&status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static gboolean
refresh_status_cb (gpointer user_data)
{
  BaliseAutoSyncController *self = user_data;

  self->refresh_id = 0;
  update_status (self);
  return G_SOURCE_REMOVE;
}

static void
network_changed (BaliseAutoSyncController *self,
                 gboolean                  available)
{
  self->network = available;
  self->reachable = available ? REACHABLE_UNKNOWN : REACHABLE_NO;
  g_clear_handle_id (&self->reprobe_id, g_source_remove);
  balise_auto_sync_network_changed (self->auto_sync, available);
  update_status (self);
}

static void
network_changed_cb (BaliseAutoSyncController *self,
                    gboolean                  available,
                    GNetworkMonitor          *monitor)
{
  g_assert (BALISE_IS_AUTO_SYNC_CONTROLLER (self));

  network_changed (self, available);
}

/* The server did not answer: it may come back without the network
 * changing (a server restarted, a hotspot's portal passed). */
static gboolean
reprobe_cb (gpointer user_data)
{
  BaliseAutoSyncController *self = user_data;

  self->reprobe_id = 0;
  network_changed (self, g_network_monitor_get_network_available (self->monitor));
  return G_SOURCE_REMOVE;
}

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BaliseAutoSyncController) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean reachable;

  reachable = balise_online_probe_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->auto_sync == NULL)
    return;

  g_clear_object (&self->probe_cancellable);
  if (error != NULL)
    g_debug ("The server does not answer: %s", error->message);

  self->reachable = reachable ? REACHABLE_YES : REACHABLE_NO;
  g_clear_handle_id (&self->reprobe_id, g_source_remove);
  if (!reachable && self->network)
    self->reprobe_id = g_timeout_add (self->probe_interval, reprobe_cb, self);

  /* May start the sync at once. */
  balise_auto_sync_probe_result (self->auto_sync, reachable);
  update_status (self);
}

static void
probe_wanted_cb (BaliseAutoSyncController *self,
                 BaliseAutoSync           *auto_sync)
{
  g_autofree char *setting = NULL;
  g_autofree char *url = NULL;
  const char *api_url;

  g_assert (BALISE_IS_AUTO_SYNC_CONTROLLER (self));

  setting = g_settings_get_string (self->settings, "server-url");
  api_url = balise_server_api_url (setting);
  url = g_strconcat (api_url, g_str_has_suffix (api_url, "/") ? "" : "/", "api/0.6/capabilities", NULL);

  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  self->probe_cancellable = g_cancellable_new ();
  /* After a back-off too: the last answer is too old. */
  self->reachable = REACHABLE_UNKNOWN;

  g_debug ("Probing %s", url);
  balise_online_probe_async (url, PROBE_TIMEOUT_SECONDS, self->probe_cancellable,
                             probe_done_cb, g_object_ref (self));
  update_status (self);
}

static void
token_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BaliseAutoSyncController) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = balise_token_store_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->auto_sync == NULL)
    return;

  g_clear_object (&self->token_cancellable);
  if (error != NULL)
    g_debug ("No sign-in: %s", error->message);

  self->signed_in = token != NULL;
  balise_auto_sync_set_signed_in (self->auto_sync, self->signed_in);
  update_status (self);
}

static void
update_ready (BaliseAutoSyncController *self)
{
  self->ready = balise_store_count_ready (self->store);
  balise_auto_sync_set_ready_count (self->auto_sync, self->ready);
  update_status (self);
}

static void
store_changed_cb (BaliseAutoSyncController *self,
                  BaliseStore              *store)
{
  g_assert (BALISE_IS_AUTO_SYNC_CONTROLLER (self));

  update_ready (self);
}

static void
server_changed_cb (BaliseAutoSyncController *self)
{
  g_assert (BALISE_IS_AUTO_SYNC_CONTROLLER (self));

  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  balise_auto_sync_controller_refresh_sign_in (self);
  /* Another server: its answer is not known. */
  network_changed (self, g_network_monitor_get_network_available (self->monitor));
}

static void
enabled_changed_cb (BaliseAutoSyncController *self)
{
  update_status (self);
}

static void
balise_auto_sync_controller_dispose (GObject *object)
{
  BaliseAutoSyncController *self = (BaliseAutoSyncController *)object;

  g_cancellable_cancel (self->probe_cancellable);
  g_cancellable_cancel (self->token_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_clear_object (&self->token_cancellable);
  g_clear_handle_id (&self->reprobe_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->auto_sync != NULL)
    g_signal_handlers_disconnect_by_data (self->auto_sync, self);

  g_clear_object (&self->monitor);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->auto_sync);

  G_OBJECT_CLASS (balise_auto_sync_controller_parent_class)->dispose (object);
}

static void
balise_auto_sync_controller_finalize (GObject *object)
{
  BaliseAutoSyncController *self = (BaliseAutoSyncController *)object;

  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (balise_auto_sync_controller_parent_class)->finalize (object);
}

static void
balise_auto_sync_controller_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  BaliseAutoSyncController *self = BALISE_AUTO_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_auto_sync_controller_class_init (BaliseAutoSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = balise_auto_sync_controller_dispose;
  object_class->finalize = balise_auto_sync_controller_finalize;
  object_class->get_property = balise_auto_sync_controller_get_property;

  /**
   * BaliseAutoSyncController:status:
   *
   * Where automatic sync stands, for the volunteer; %NULL when there is
   * nothing to say.
   */
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
balise_auto_sync_controller_init (BaliseAutoSyncController *self)
{
  self->probe_interval = DEFAULT_PROBE_INTERVAL_MS;
  self->auto_sync = balise_auto_sync_new ();
  self->settings = g_settings_new ("io.github.balise.Balise");
}

BaliseAutoSyncController *
balise_auto_sync_controller_new (BaliseStore *store)
{
  BaliseAutoSyncController *self;

  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);

  self = g_object_new (BALISE_TYPE_AUTO_SYNC_CONTROLLER, NULL);
  self->store = g_object_ref (store);

  return self;
}

void
balise_auto_sync_controller_start (BaliseAutoSyncController *self)
{
  g_return_if_fail (BALISE_IS_AUTO_SYNC_CONTROLLER (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network = g_network_monitor_get_network_available (self->monitor);
  self->reachable = self->network ? REACHABLE_UNKNOWN : REACHABLE_NO;

  g_signal_connect_object (self->auto_sync, "probe-wanted",
                           G_CALLBACK (probe_wanted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->auto_sync, "notify::enabled",
                           G_CALLBACK (enabled_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "network-changed",
                           G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::server-url",
                           G_CALLBACK (server_changed_cb), self, G_CONNECT_SWAPPED);
  /* Only read: the preferences write it. */
  g_settings_bind (self->settings, "auto-sync", self->auto_sync, "enabled", G_SETTINGS_BIND_GET);

  balise_auto_sync_network_changed (self->auto_sync, self->network);
  update_ready (self);
  balise_auto_sync_controller_refresh_sign_in (self);
}

BaliseAutoSync *
balise_auto_sync_controller_get_auto_sync (BaliseAutoSyncController *self)
{
  g_return_val_if_fail (BALISE_IS_AUTO_SYNC_CONTROLLER (self), NULL);

  return self->auto_sync;
}

const char *
balise_auto_sync_controller_get_status (BaliseAutoSyncController *self)
{
  g_return_val_if_fail (BALISE_IS_AUTO_SYNC_CONTROLLER (self), NULL);

  return self->status;
}

void
balise_auto_sync_controller_refresh_sign_in (BaliseAutoSyncController *self)
{
  g_autofree char *setting = NULL;
  const char *env_token;

  g_return_if_fail (BALISE_IS_AUTO_SYNC_CONTROLLER (self));

  if (self->auto_sync == NULL)
    return;

  /* The token the sync would use: BALISE_TOKEN for scripted runs and
   * tests, else the keyring's. */
  env_token = g_getenv ("BALISE_TOKEN");
  if (env_token != NULL && *env_token != '\0')
    {
      self->signed_in = TRUE;
      balise_auto_sync_set_signed_in (self->auto_sync, TRUE);
      update_status (self);
      return;
    }

  g_cancellable_cancel (self->token_cancellable);
  g_clear_object (&self->token_cancellable);
  self->token_cancellable = g_cancellable_new ();

  setting = g_settings_get_string (self->settings, "server-url");
  balise_token_store_lookup_async (balise_server_api_url (setting), self->token_cancellable,
                                   token_found_cb, g_object_ref (self));
}

void
balise_auto_sync_controller_sync_started (BaliseAutoSyncController *self)
{
  g_return_if_fail (BALISE_IS_AUTO_SYNC_CONTROLLER (self));

  if (self->auto_sync == NULL)
    return;

  self->syncing = TRUE;
  balise_auto_sync_sync_started (self->auto_sync);
  update_status (self);
}

void
balise_auto_sync_controller_sync_finished (BaliseAutoSyncController *self,
                                           gboolean                  success)
{
  g_return_if_fail (BALISE_IS_AUTO_SYNC_CONTROLLER (self));

  if (self->auto_sync == NULL)
    return;

  self->syncing = FALSE;
  /* A sync that reached the server says it answers. */
  if (success && self->network)
    self->reachable = REACHABLE_YES;
  /* May start the next one at once. */
  balise_auto_sync_sync_finished (self->auto_sync, success);
  update_status (self);
}

void
balise_auto_sync_controller_set_probe_interval (BaliseAutoSyncController *self,
                                                guint                     interval_ms)
{
  g_return_if_fail (BALISE_IS_AUTO_SYNC_CONTROLLER (self));
  g_return_if_fail (interval_ms > 0);

  self->probe_interval = interval_ms;
}
