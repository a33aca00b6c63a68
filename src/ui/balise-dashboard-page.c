/* balise-dashboard-page.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-dashboard-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "balise-dashboard.h"
#include "balise-dashboard-page-private.h"
#include "balise-day-chart.h"
#include "balise-review-labels.h"


G_DEFINE_FINAL_TYPE (BaliseDashboardPage, balise_dashboard_page, ADW_TYPE_BIN)

static GtkWidget *
add_row (BaliseDashboardPage *self,
         AdwPreferencesGroup *group,
         const char          *section,
         const char          *key,
         const char          *title,
         guint64              count)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  GtkWidget *label = gtk_label_new (text);
  gint64 *value = g_new (gint64, 1);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "title-4");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);

  *value = (gint64) count;
  g_hash_table_insert (self->shown, g_strdup_printf ("%s/%s", section, key), value);

  return row;
}

static void
add_counts (BaliseDashboardPage *self,
            AdwPreferencesGroup *group,
            const char          *section,
            GPtrArray           *counts)
{
  for (guint i = 0; counts != NULL && i < counts->len; i++)
    {
      BaliseCount *count = g_ptr_array_index (counts, i);
      const char *title = count->name;
      BaliseEditStatus status;

      if (g_str_equal (section, "category"))
        title = balise_category_label (count->name);
      else if (g_str_equal (section, "status") && balise_edit_status_from_string (count->name, &status))
        title = balise_edit_status_label (status);
      else if (g_str_equal (section, "contributor") && count->name[0] == '\0')
        title = _("Unknown contributor");

      add_row (self, group, section, count->name, title, count->count);
    }
}

void
balise_dashboard_page_reload (BaliseDashboardPage *self)
{
  static const char *freshness_titles[] = {
    N_("Confirmed in the last 30 days"),
    N_("Confirmed within a year"),
    N_("Not seen for over a year"),
    N_("Never confirmed (no check_date)"),
  };
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BALISE_IS_DASHBOARD_PAGE (self));

  g_clear_handle_id (&self->reload_id, g_source_remove);

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)),
                                    row);
    }
  g_ptr_array_set_size (self->rows, 0);
  g_hash_table_remove_all (self->shown);
  g_clear_pointer (&self->dashboard, balise_dashboard_free);

  self->dashboard = balise_store_get_dashboard (self->store, NULL, BALISE_DASHBOARD_RECENT_DAYS, &error);
  if (self->dashboard == NULL)
    {
      adw_preferences_group_set_description (self->day_group, error->message);
      balise_day_chart_set_days (self->chart, NULL);
      return;
    }

  adw_preferences_group_set_description (self->day_group, NULL);
  balise_day_chart_set_days (self->chart, self->dashboard->per_day);

  for (guint i = 0; i < G_N_ELEMENTS (freshness_titles); i++)
    {
      GtkWidget *row = add_row (self, self->stops_group, "stops", balise_freshness_to_string (i),
                                _(freshness_titles[i]), self->dashboard->stops[i]);

      /* The legend of the map: the colour of the dots it counts. */
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), _balise_dashboard_map_swatch_new (i));
    }
  _balise_dashboard_map_reload (self);
  add_counts (self, self->status_group, "status", self->dashboard->by_status);
  add_counts (self, self->category_group, "category", self->dashboard->by_category);
  add_counts (self, self->contributor_group, "contributor", self->dashboard->by_contributor);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.export-csv", TRUE);
}

static gboolean
balise_dashboard_page_reload_cb (gpointer data)
{
  BaliseDashboardPage *self = data;

  self->reload_id = 0;
  balise_dashboard_page_reload (self);

  return G_SOURCE_REMOVE;
}

static void
balise_dashboard_page_store_changed_cb (BaliseDashboardPage *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (300, balise_dashboard_page_reload_cb, self);
}

gboolean
balise_dashboard_page_export_csv (BaliseDashboardPage  *self,
                                  GFile                *file,
                                  GError              **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (BALISE_IS_DASHBOARD_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->dashboard == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There are no numbers to export"));
      return FALSE;
    }

  csv = balise_dashboard_to_csv (self->dashboard);

  return g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

static void
balise_dashboard_page_chooser_response_cb (BaliseDashboardPage  *self,
                                           int                   response,
                                           GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      !balise_dashboard_page_export_csv (self, file, &error))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                  _("Could Not Export"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }

  g_clear_object (&self->chooser);
}

static void
balise_dashboard_page_export_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  BaliseDashboardPage *self = BALISE_DASHBOARD_PAGE (widget);

  if (self->chooser != NULL)
    return;

  /* GtkFileDialog is GTK 4.10; on 4.8 the native chooser (a portal in Flatpak). */
  self->chooser = gtk_file_chooser_native_new (_("Export Dashboard"),
                                               GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "balise-dashboard.csv");
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (balise_dashboard_page_chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
balise_dashboard_page_dispose (GObject *object)
{
  BaliseDashboardPage *self = (BaliseDashboardPage *)object;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  _balise_dashboard_map_dispose (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (balise_dashboard_page_parent_class)->dispose (object);
}

static void
balise_dashboard_page_finalize (GObject *object)
{
  BaliseDashboardPage *self = (BaliseDashboardPage *)object;

  g_clear_pointer (&self->dashboard, balise_dashboard_free);
  g_clear_pointer (&self->shown, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (balise_dashboard_page_parent_class)->finalize (object);
}

static void
balise_dashboard_page_class_init (BaliseDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_dashboard_page_dispose;
  object_class->finalize = balise_dashboard_page_finalize;

  g_type_ensure (BALISE_TYPE_DAY_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseDashboardPage, day_group);
  gtk_widget_class_bind_template_child (widget_class, BaliseDashboardPage, map_group);
  gtk_widget_class_bind_template_child (widget_class, BaliseDashboardPage, stops_group);
  gtk_widget_class_bind_template_child (widget_class, BaliseDashboardPage, status_group);
  gtk_widget_class_bind_template_child (widget_class, BaliseDashboardPage, category_group);
  gtk_widget_class_bind_template_child (widget_class, BaliseDashboardPage, contributor_group);
  gtk_widget_class_bind_template_child (widget_class, BaliseDashboardPage, chart);

  gtk_widget_class_install_action (widget_class, "dashboard.export-csv", NULL,
                                   balise_dashboard_page_export_action);
}

static void
balise_dashboard_page_init (BaliseDashboardPage *self)
{
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  _balise_dashboard_map_init (self);
}

GtkWidget *
balise_dashboard_page_new (BaliseStore *store)
{
  BaliseDashboardPage *self;

  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);

  self = g_object_new (BALISE_TYPE_DASHBOARD_PAGE, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed",
                           G_CALLBACK (balise_dashboard_page_store_changed_cb),
                           self, G_CONNECT_SWAPPED);
  balise_dashboard_page_reload (self);

  return GTK_WIDGET (self);
}

gint64
balise_dashboard_page_get_shown (BaliseDashboardPage *self,
                                 const char          *section,
                                 const char          *key)
{
  g_autofree char *name = NULL;
  gint64 *value;

  g_return_val_if_fail (BALISE_IS_DASHBOARD_PAGE (self), -1);

  name = g_strdup_printf ("%s/%s", section, key);
  value = g_hash_table_lookup (self->shown, name);

  return value ? *value : -1;
}

GtkWidget *
balise_dashboard_page_get_chart (BaliseDashboardPage *self)
{
  g_return_val_if_fail (BALISE_IS_DASHBOARD_PAGE (self), NULL);

  return GTK_WIDGET (self->chart);
}
