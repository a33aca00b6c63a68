/* balise-auto-sync.c: when to sync by itself
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-auto-sync"

#include "config.h"

#include "balise-auto-sync.h"

#define MAX_DELAYS 8

typedef enum
{
  REACHABLE_UNKNOWN,
  REACHABLE_YES,
  REACHABLE_NO,
} Reachable;

struct _BaliseAutoSync
{
  GObject    parent_instance;

  gboolean   enabled;
  gboolean   network;        /* a route exists */
  Reachable  reachable;      /* what the last probe said */
  gboolean   probing;
  guint      ready;
  gboolean   signed_in;
  gboolean   syncing;
  /* Something new since the last sync started: coming online, new ready
   * edits, signing in, the setting switched on, a back-off ended. */
  gboolean   pending;

  guint      failures;       /* in a row */
  guint      backoff_id;     /* a GSource, while backing off */
  gint64     retry_time;     /* when it ends, monotonic */
  guint      delays[MAX_DELAYS];
  guint      n_delays;
};

G_DEFINE_FINAL_TYPE (BaliseAutoSync, balise_auto_sync, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENABLED,
  N_PROPS
};

enum {
  PROBE_WANTED,
  SYNC_WANTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
evaluate (BaliseAutoSync *self)
{
  g_assert (BALISE_IS_AUTO_SYNC (self));

  if (!self->enabled || !self->signed_in || !self->network || self->ready == 0 ||
      self->syncing || self->backoff_id != 0 || !self->pending || self->probing)
    return;

  switch (self->reachable)
    {
    case REACHABLE_UNKNOWN:
      g_debug ("Online with %u ready: probing the server", self->ready);
      self->probing = TRUE;
      g_signal_emit (self, signals[PROBE_WANTED], 0);
      break;

    case REACHABLE_YES:
      g_debug ("The server answers and %u are ready: syncing", self->ready);
      self->syncing = TRUE;
      self->pending = FALSE;
      g_signal_emit (self, signals[SYNC_WANTED], 0);
      break;

    case REACHABLE_NO:
    default:
      break;
    }
}

static gboolean
backoff_done_cb (gpointer user_data)
{
  BaliseAutoSync *self = user_data;

  self->backoff_id = 0;
  self->retry_time = 0;
  /* Whatever failed, the server may be gone: ask again before syncing. */
  self->reachable = REACHABLE_UNKNOWN;
  self->pending = TRUE;
  evaluate (self);
  return G_SOURCE_REMOVE;
}

static void
balise_auto_sync_dispose (GObject *object)
{
  BaliseAutoSync *self = (BaliseAutoSync *)object;

  g_clear_handle_id (&self->backoff_id, g_source_remove);

  G_OBJECT_CLASS (balise_auto_sync_parent_class)->dispose (object);
}

static void
balise_auto_sync_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BaliseAutoSync *self = BALISE_AUTO_SYNC (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_auto_sync_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BaliseAutoSync *self = BALISE_AUTO_SYNC (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      balise_auto_sync_set_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_auto_sync_class_init (BaliseAutoSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = balise_auto_sync_dispose;
  object_class->get_property = balise_auto_sync_get_property;
  object_class->set_property = balise_auto_sync_set_property;

  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BaliseAutoSync::probe-wanted:
   *
   * Everything else says sync: is the API server really reachable? Answer
   * with balise_auto_sync_probe_result().
   */
  signals[PROBE_WANTED] = g_signal_new ("probe-wanted", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);

  /**
   * BaliseAutoSync::sync-wanted:
   *
   * Start the sync the Sync button starts, and report its end with
   * balise_auto_sync_sync_finished().
   */
  signals[SYNC_WANTED] = g_signal_new ("sync-wanted", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 0);
}

static void
balise_auto_sync_init (BaliseAutoSync *self)
{
  static const guint delays[] = { 60 * 1000, 5 * 60 * 1000, 15 * 60 * 1000 };

  balise_auto_sync_set_backoff (self, delays, G_N_ELEMENTS (delays));
}

BaliseAutoSync *
balise_auto_sync_new (void)
{
  return g_object_new (BALISE_TYPE_AUTO_SYNC, NULL);
}

void
balise_auto_sync_set_enabled (BaliseAutoSync *self,
                              gboolean        enabled)
{
  g_return_if_fail (BALISE_IS_AUTO_SYNC (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;

  self->enabled = enabled;
  self->pending = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
  evaluate (self);
}

gboolean
balise_auto_sync_get_enabled (BaliseAutoSync *self)
{
  g_return_val_if_fail (BALISE_IS_AUTO_SYNC (self), FALSE);
  return self->enabled;
}

void
balise_auto_sync_network_changed (BaliseAutoSync *self,
                                  gboolean        available)
{
  g_return_if_fail (BALISE_IS_AUTO_SYNC (self));

  self->network = !!available;
  /* A new network may reach the server where the last one did not, and
   * the other way round. */
  self->reachable = available ? REACHABLE_UNKNOWN : REACHABLE_NO;
  if (available)
    self->pending = TRUE;
  evaluate (self);
}

void
balise_auto_sync_probe_result (BaliseAutoSync *self,
                               gboolean        reachable)
{
  g_return_if_fail (BALISE_IS_AUTO_SYNC (self));

  self->probing = FALSE;
  self->reachable = reachable ? REACHABLE_YES : REACHABLE_NO;
  evaluate (self);
}

void
balise_auto_sync_set_ready_count (BaliseAutoSync *self,
                                  guint           count)
{
  g_return_if_fail (BALISE_IS_AUTO_SYNC (self));

  /* Only more is news: what a sync left (failed, conflicts) waits. */
  if (count > self->ready)
    self->pending = TRUE;
  self->ready = count;
  evaluate (self);
}

void
balise_auto_sync_set_signed_in (BaliseAutoSync *self,
                                gboolean        signed_in)
{
  g_return_if_fail (BALISE_IS_AUTO_SYNC (self));

  signed_in = !!signed_in;
  if (self->signed_in == signed_in)
    return;

  self->signed_in = signed_in;
  if (signed_in)
    self->pending = TRUE;
  evaluate (self);
}

void
balise_auto_sync_sync_started (BaliseAutoSync *self)
{
  g_return_if_fail (BALISE_IS_AUTO_SYNC (self));

  self->syncing = TRUE;
  self->pending = FALSE;
}

void
balise_auto_sync_sync_finished (BaliseAutoSync *self,
                                gboolean        success)
{
  g_return_if_fail (BALISE_IS_AUTO_SYNC (self));

  self->syncing = FALSE;
  if (success)
    {
      self->failures = 0;
      self->retry_time = 0;
      g_clear_handle_id (&self->backoff_id, g_source_remove);
    }
  else
    {
      guint delay = self->delays[MIN (self->failures, self->n_delays - 1)];

      self->failures = MIN (self->failures + 1, G_MAXUINT - 1);
      g_clear_handle_id (&self->backoff_id, g_source_remove);
      g_debug ("Sync failed (%u in a row): waiting %u s", self->failures, delay / 1000);
      self->backoff_id = g_timeout_add (delay, backoff_done_cb, self);
      self->retry_time = g_get_monotonic_time () + (gint64) delay * 1000;
    }
  evaluate (self);
}

gboolean
balise_auto_sync_is_backing_off (BaliseAutoSync *self)
{
  g_return_val_if_fail (BALISE_IS_AUTO_SYNC (self), FALSE);
  return self->backoff_id != 0;
}

gint64
balise_auto_sync_get_retry_time (BaliseAutoSync *self)
{
  g_return_val_if_fail (BALISE_IS_AUTO_SYNC (self), 0);
  return self->backoff_id != 0 ? self->retry_time : 0;
}

void
balise_auto_sync_set_backoff (BaliseAutoSync *self,
                              const guint    *delays_ms,
                              guint           n_delays)
{
  g_return_if_fail (BALISE_IS_AUTO_SYNC (self));
  g_return_if_fail (delays_ms != NULL);
  g_return_if_fail (n_delays > 0 && n_delays <= MAX_DELAYS);

  memcpy (self->delays, delays_ms, n_delays * sizeof (guint));
  self->n_delays = n_delays;
}
