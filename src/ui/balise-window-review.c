/* balise-window-review.c: the way from the map to the coordinator's review
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-window-review"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-review-window.h"
#include "balise-window-private.h"

#define TO_REVIEW (BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_PENDING) | \
                   BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_CONFLICT))

static void
balise_window_review_update (BaliseWindow *self)
{
  g_autoptr(GPtrArray) edits = NULL;
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;
  guint count;

  g_assert (BALISE_IS_WINDOW (self));

  edits = balise_store_list_edits (self->store, TO_REVIEW, NULL);
  count = edits ? edits->len : 0;

  text = count > 99 ? g_strdup ("99+") : g_strdup_printf ("%u", count);
  gtk_label_set_label (self->review_badge, text);
  gtk_widget_set_visible (GTK_WIDGET (self->review_badge), count > 0);

  /* Translators: the review button's description for screen readers */
  description = g_strdup_printf (ngettext ("%u change to review", "%u changes to review", count), count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->review_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
balise_window_review_store_changed_cb (BaliseWindow *self,
                                       BaliseStore  *store)
{
  balise_window_review_update (self);
}

static void
balise_window_review_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);
  GtkWidget *window;

  g_assert (BALISE_IS_WINDOW (self));

  window = balise_review_window_new (GTK_WINDOW (self), self->store, self->map_source);
  gtk_window_present (GTK_WINDOW (window));
}

void
_balise_window_setup_review (BaliseWindow *self)
{
  g_assert (BALISE_IS_WINDOW (self));

  g_signal_connect_object (self->store, "changed",
                           G_CALLBACK (balise_window_review_store_changed_cb),
                           self, G_CONNECT_SWAPPED);
  balise_window_review_update (self);
}

void
_balise_window_class_review_init (BaliseWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, review_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseWindow, review_badge);

  gtk_widget_class_install_action (widget_class, "win.review", NULL,
                                   balise_window_review_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.review", NULL);
}
