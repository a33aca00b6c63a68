/* balise-review-window.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-review-window"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-dashboard-page.h"
#include "balise-history-page.h"
#include "balise-review-window.h"
#include "balise-window.h"

struct _BaliseReviewWindow
{
  AdwWindow              parent_instance;

  /* Template widgets */
  AdwViewSwitcherTitle  *switcher_title;
  AdwViewStack          *view_stack;

  /* Owned references */
  BaliseStore           *store;
  GSettings             *settings;

  /* Borrowed references */
  BaliseReviewPage      *review_page;
  BaliseHistoryPage     *history_page;
};

G_DEFINE_FINAL_TYPE (BaliseReviewWindow, balise_review_window, ADW_TYPE_WINDOW)

static void
balise_review_window_settings_changed_cb (BaliseReviewWindow *self,
                                          const char         *key,
                                          GSettings          *settings)
{
  g_autofree char *reviewer = g_settings_get_string (settings, "contributor-name");
  g_autofree char *server_url = g_settings_get_string (settings, "server-url");

  balise_review_page_set_reviewer (self->review_page, reviewer[0] ? reviewer : NULL);
  balise_review_page_set_server_url (self->review_page, server_url);
  balise_history_page_set_server_url (self->history_page, server_url);
}

/* Upload from here too: the main window's Sync, with its composer. */
static void
balise_review_window_upload_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (widget));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.sync", NULL);
}

/* Upload is off while the main window syncs; what the sync did is said
 * under the queue, as the main window's toast says it. */
static void
balise_review_window_syncing_cb (BaliseReviewWindow *self,
                                 GParamSpec         *pspec,
                                 BaliseWindow       *window)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review-window.upload",
                                 !balise_window_get_syncing (window));
}

static void
balise_review_window_sync_finished_cb (BaliseReviewWindow *self,
                                       const char         *summary)
{
  balise_review_page_show_message (self->review_page, summary);
}

static void
balise_review_window_dispose (GObject *object)
{
  BaliseReviewWindow *self = (BaliseReviewWindow *)object;


  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (balise_review_window_parent_class)->dispose (object);
}

static void
balise_review_window_class_init (BaliseReviewWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_review_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-review-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseReviewWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BaliseReviewWindow, view_stack);

  gtk_widget_class_install_action (widget_class, "review-window.upload", NULL,
                                   balise_review_window_upload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
balise_review_window_init (BaliseReviewWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.balise.Balise");
}

/**
 * balise_review_window_new:
 * @parent: (nullable): the main window
 * @map_source: (nullable): the basemap of the small maps
 */
GtkWidget *
balise_review_window_new (GtkWindow        *parent,
                          BaliseStore      *store,
                          ShumateMapSource *map_source)
{
  BaliseReviewWindow *self;
  AdwViewStackPage *page;
  GtkWidget *dashboard;

  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);

  self = g_object_new (BALISE_TYPE_REVIEW_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);

  self->review_page = BALISE_REVIEW_PAGE (balise_review_page_new (store));
  balise_review_page_set_map_source (self->review_page, map_source);
  page = adw_view_stack_add_titled (self->view_stack, GTK_WIDGET (self->review_page),
                                    "review", _("Queue"));
  adw_view_stack_page_set_icon_name (page, "emblem-ok-symbolic");

  dashboard = balise_dashboard_page_new (store);
  balise_dashboard_page_set_map_source (BALISE_DASHBOARD_PAGE (dashboard), map_source);
  page = adw_view_stack_add_titled (self->view_stack, dashboard, "dashboard", _("Dashboard"));
  adw_view_stack_page_set_icon_name (page, "view-grid-symbolic");

  self->history_page = BALISE_HISTORY_PAGE (balise_history_page_new (store));
  page = adw_view_stack_add_titled (self->view_stack, GTK_WIDGET (self->history_page),
                                    "history", _("History"));
  adw_view_stack_page_set_icon_name (page, "document-open-recent-symbolic");

  if (BALISE_IS_WINDOW (parent))
    {
      g_signal_connect_object (parent, "notify::syncing",
                               G_CALLBACK (balise_review_window_syncing_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (parent, "sync-finished",
                               G_CALLBACK (balise_review_window_sync_finished_cb),
                               self, G_CONNECT_SWAPPED);
      balise_review_window_syncing_cb (self, NULL, BALISE_WINDOW (parent));
    }

  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (balise_review_window_settings_changed_cb),
                           self, G_CONNECT_SWAPPED);
  balise_review_window_settings_changed_cb (self, NULL, self->settings);

  return GTK_WIDGET (self);
}

GtkWidget *
balise_review_window_get_page (BaliseReviewWindow *self,
                               const char         *name)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_WINDOW (self), NULL);

  return adw_view_stack_get_child_by_name (self->view_stack, name);
}

BaliseReviewPage *
balise_review_window_get_review_page (BaliseReviewWindow *self)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_WINDOW (self), NULL);

  return self->review_page;
}

void
balise_review_window_show_page (BaliseReviewWindow *self,
                                const char         *name)
{
  g_return_if_fail (BALISE_IS_REVIEW_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}
