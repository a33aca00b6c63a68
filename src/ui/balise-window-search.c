/* balise-window-search.c: finding a feature by its name, ref or kind
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-window-search"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-window-private.h"

/* Ctrl+F or the header's button opens a search bar; the store searches on
 * its own thread and connection (a large store takes a while, the map must
 * not wait), a newer search cancelling the one before. The results drop
 * down over the map; activating one centres the map on it, selects it and
 * opens its panel. Keyboard: type, Down to the results, Enter. */

#define MAX_RESULTS 20
#define FEATURE_KEY "balise-feature"

static char *
feature_kind (BaliseWindow  *self,
              BaliseFeature *feature)
{
  BalisePreset *preset = NULL;
  g_autofree char *spaced = NULL;

  if (self->presets != NULL && feature->tags != NULL)
    preset = balise_preset_catalogue_match_element (self->presets, feature->tags);
  if (preset != NULL)
    return g_strdup (balise_preset_get_name (preset));

  spaced = g_strdelimit (g_strdup (feature->category ? feature->category : ""), "_", ' ');
  return g_steal_pointer (&spaced);
}

static void
clear_results (BaliseWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->search_results))))
    gtk_list_box_remove (self->search_results, child);
}

static void
add_result (BaliseWindow  *self,
            BaliseFeature *feature)
{
  g_autofree char *kind = feature_kind (self, feature);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 feature->name && *feature->name ? feature->name : kind);
  if (feature->ref != NULL)
    /* Translators: a kind of feature and its reference, like “Bus Stop · 12” */
    subtitle = g_strdup_printf (_("%s · %s"), kind, feature->ref);
  else
    subtitle = g_strdup (kind);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), FEATURE_KEY, balise_feature_ref (feature),
                          (GDestroyNotify) balise_feature_unref);
  gtk_list_box_append (self->search_results, row);
}

static void
searched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BaliseWindow) self = user_data;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(GError) error = NULL;

  features = balise_store_search_finish (BALISE_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->search_cancellable);
  clear_results (self);

  if (features == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      g_warning ("Could not search: %s", error->message);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The search failed"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->search_results, row);
    }
  else if (features->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No features found"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->search_results, row);
    }
  else
    {
      for (guint i = 0; i < features->len; i++)
        add_result (self, g_ptr_array_index (features, i));
    }

  gtk_revealer_set_reveal_child (self->search_revealer, TRUE);
}

static void
search_changed_cb (BaliseWindow   *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (text[strspn (text, " \t")] == '\0')
    {
      gtk_revealer_set_reveal_child (self->search_revealer, FALSE);
      clear_results (self);
      return;
    }

  self->search_cancellable = g_cancellable_new ();
  balise_store_search_async (self->store, text, MAX_RESULTS, self->search_cancellable,
                             searched_cb, g_object_ref (self));
}

static void
result_activated_cb (BaliseWindow  *self,
                     GtkListBoxRow *row,
                     GtkListBox    *list)
{
  BaliseFeature *feature = g_object_get_data (G_OBJECT (row), FEATURE_KEY);
  g_autoptr(BaliseFeature) keep = NULL;

  if (feature == NULL)
    return;

  /* Closing the search empties the list, and the row with it. */
  keep = balise_feature_ref (feature);
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  _balise_window_select_feature (self, keep, TRUE);
}

static void
search_activated_cb (BaliseWindow *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->search_results, 0);

  /* Enter takes the best match, once the results are there. */
  if (first != NULL && gtk_revealer_get_reveal_child (self->search_revealer) &&
      self->search_cancellable == NULL)
    result_activated_cb (self, first, self->search_results);
}

static gboolean
entry_key_pressed_cb (BaliseWindow          *self,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      GtkEventControllerKey *controller)
{
  GtkListBoxRow *first;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;

  first = gtk_list_box_get_row_at_index (self->search_results, 0);
  if (first == NULL || !gtk_revealer_get_reveal_child (self->search_revealer))
    return FALSE;

  gtk_widget_grab_focus (GTK_WIDGET (first));
  return TRUE;
}

static void
search_mode_cb (BaliseWindow *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      return;
    }

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  gtk_revealer_set_reveal_child (self->search_revealer, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  BaliseWindow *self = BALISE_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
_balise_window_setup_search (BaliseWindow *self)
{
  GtkEventController *keys;

  g_assert (BALISE_IS_WINDOW (self));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_object_bind_property (self->search_bar, "search-mode-enabled",
                          self->search_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (search_mode_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate",
                           G_CALLBACK (search_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_results, "row-activated",
                           G_CALLBACK (result_activated_cb), self, G_CONNECT_SWAPPED);

  keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (entry_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
}

void
_balise_window_dispose_search (BaliseWindow *self)
{
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
}

void
_balise_window_class_search_init (BaliseWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
}
