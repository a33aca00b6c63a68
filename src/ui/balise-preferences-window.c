/* balise-preferences-window.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-preferences-window.h"

struct _BalisePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwEntryRow          *contributor_row;
  AdwEntryRow          *server_row;

  /* Owned references */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (BalisePreferencesWindow, balise_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
balise_preferences_window_dispose (GObject *object)
{
  BalisePreferencesWindow *self = (BalisePreferencesWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (balise_preferences_window_parent_class)->dispose (object);
}

static void
balise_preferences_window_class_init (BalisePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BalisePreferencesWindow, contributor_row);
  gtk_widget_class_bind_template_child (widget_class, BalisePreferencesWindow, server_row);
}

static void
balise_preferences_window_init (BalisePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.balise.Balise");

  g_settings_bind (self->settings, "contributor-name",
                   self->contributor_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "server-url",
                   self->server_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
}

BalisePreferencesWindow *
balise_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (BALISE_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}
