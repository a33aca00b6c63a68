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


/* After a change, the page waits this long for more before it counts. */
#define RELOAD_DELAY_MS 300

G_DEFINE_FINAL_TYPE (BaliseDashboardPage, balise_dashboard_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

static void
remove_rows (BaliseDashboardPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)),
                                    row);
    }
  g_ptr_array_set_size (self->rows, 0);
  g_hash_table_remove_all (self->shown);
}

/* Replaces every number on the page, the chart and the map with those of
 * @dashboard (one read of the store), or with @error: nothing of an
 * earlier read stays beside them. */
static void
show_dashboard (BaliseDashboardPage *self,
                BaliseDashboard     *dashboard,
                const GError        *error)
{
  static const char *freshness_titles[] = {
    N_("Confirmed in the last 30 days"),
    N_("Confirmed within a year"),
    N_("Not seen for over a year"),
    N_("Never confirmed (no check_date)"),
  };

  remove_rows (self);
  g_clear_pointer (&self->dashboard, balise_dashboard_free);
  self->dashboard = dashboard;
  gtk_stack_set_visible_child_name (self->stack, "numbers");

  if (self->dashboard == NULL)
    {
      adw_preferences_group_set_description (self->day_group, error->message);
      balise_day_chart_set_days (self->chart, NULL);
      _balise_dashboard_map_set_stops (self, NULL);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.export-csv", FALSE);
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
  _balise_dashboard_map_set_stops (self, self->dashboard->stop_checks);
  add_counts (self, self->status_group, "status", self->dashboard->by_status);
  add_counts (self, self->category_group, "category", self->dashboard->by_category);
  add_counts (self, self->contributor_group, "contributor", self->dashboard->by_contributor);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.export-csv", TRUE);
}

static void
set_loading (BaliseDashboardPage *self,
             gboolean             loading)
{
  gboolean was_loading = gtk_spinner_get_spinning (self->loading_spinner);

  /* The first read has nothing to show yet; later ones keep the numbers
   * of the last read, whole, until the new ones replace them. */
  if (loading && self->dashboard == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_set_spinning (self->loading_spinner, loading);
  gtk_spinner_set_spinning (self->refresh_spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_spinner), loading && self->dashboard != NULL);
  if (was_loading != loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void start_read (BaliseDashboardPage *self);

static void
dashboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BaliseDashboardPage) self = user_data;
  g_autoptr(GError) error = NULL;
  BaliseDashboard *dashboard;

  dashboard = balise_store_get_dashboard_finish (BALISE_STORE (object), result, &error);
  /* Cancelled by whoever started a newer read, hid or disposed the page. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_loading (self, FALSE);
  if (dashboard == NULL)
    g_warning ("Could not count the dashboard: %s", error->message);
  show_dashboard (self, dashboard, error);

  if (self->reload_again)
    {
      self->reload_again = FALSE;
      start_read (self);
    }
}

static void
start_read (BaliseDashboardPage *self)
{
  g_assert (BALISE_IS_DASHBOARD_PAGE (self));

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->store == NULL)
    return;

  self->dirty = FALSE;
  self->reload_again = FALSE;
  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  balise_store_get_dashboard_async (self->store, NULL, BALISE_DASHBOARD_RECENT_DAYS, self->cancellable,
                                    dashboard_read_cb, g_object_ref (self));
}

/* Stops the read under way, if any; the page reads again when shown. */
static void
cancel_read (BaliseDashboardPage *self)
{
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->dirty = TRUE;
  set_loading (self, FALSE);
  if (self->dashboard == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
}

/**
 * balise_dashboard_page_reload:
 *
 * Counts again at once, off the main thread; a read under way is cancelled.
 */
void
balise_dashboard_page_reload (BaliseDashboardPage *self)
{
  g_return_if_fail (BALISE_IS_DASHBOARD_PAGE (self));

  start_read (self);
}

static gboolean
balise_dashboard_page_reload_cb (gpointer data)
{
  BaliseDashboardPage *self = data;

  self->reload_id = 0;
  /* A read under way is let finish, so a stream of edits cannot keep the
   * page from ever showing numbers; the next read follows it. */
  if (self->cancellable != NULL)
    self->reload_again = TRUE;
  else
    start_read (self);

  return G_SOURCE_REMOVE;
}

/* Many edits in a row (an import, a review of a hundred) make one read. */
static void
balise_dashboard_page_store_changed_cb (BaliseDashboardPage *self)
{
  self->dirty = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->reload_id == 0)
    self->reload_id = g_timeout_add (RELOAD_DELAY_MS, balise_dashboard_page_reload_cb, self);
}

static void
balise_dashboard_page_map (GtkWidget *widget)
{
  BaliseDashboardPage *self = BALISE_DASHBOARD_PAGE (widget);

  GTK_WIDGET_CLASS (balise_dashboard_page_parent_class)->map (widget);

  if (self->dirty && self->cancellable == NULL)
    start_read (self);
}

static void
balise_dashboard_page_unmap (GtkWidget *widget)
{
  cancel_read (BALISE_DASHBOARD_PAGE (widget));

  GTK_WIDGET_CLASS (balise_dashboard_page_parent_class)->unmap (widget);
}

gboolean
balise_dashboard_page_get_loading (BaliseDashboardPage *self)
{
  g_return_val_if_fail (BALISE_IS_DASHBOARD_PAGE (self), FALSE);

  return gtk_spinner_get_spinning (self->loading_spinner);
}

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * balise_dashboard_page_export_csv_async:
 *
 * Writes the numbers shown as CSV to @file, off the main thread.
 */
void
balise_dashboard_page_export_csv_async (BaliseDashboardPage *self,
                                        GFile               *file,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *csv;

  g_return_if_fail (BALISE_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, balise_dashboard_page_export_csv_async);

  if (self->dashboard == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               _("There are no numbers to export"));
      return;
    }

  csv = balise_dashboard_to_csv (self->dashboard);
  bytes = g_bytes_new_take (csv, strlen (csv));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, export_written_cb, g_steal_pointer (&task));
}

gboolean
balise_dashboard_page_export_csv_finish (BaliseDashboardPage  *self,
                                         GAsyncResult         *result,
                                         GError              **error)
{
  g_return_val_if_fail (BALISE_IS_DASHBOARD_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BaliseDashboardPage *self = BALISE_DASHBOARD_PAGE (object);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  GtkRoot *root;

  if (balise_dashboard_page_export_csv_finish (self, result, &error))
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Could Not Export"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
balise_dashboard_page_chooser_response_cb (BaliseDashboardPage  *self,
                                           int                   response,
                                           GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    balise_dashboard_page_export_csv_async (self, file, NULL, export_done_cb, NULL);

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
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
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
balise_dashboard_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BaliseDashboardPage *self = BALISE_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, balise_dashboard_page_get_loading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_dashboard_page_class_init (BaliseDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_dashboard_page_dispose;
  object_class->finalize = balise_dashboard_page_finalize;
  object_class->get_property = balise_dashboard_page_get_property;

  /**
   * BaliseDashboardPage:loading:
   *
   * Whether the page is counting: a read of the store is under way.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->map = balise_dashboard_page_map;
  widget_class->unmap = balise_dashboard_page_unmap;

  g_type_ensure (BALISE_TYPE_DAY_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseDashboardPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BaliseDashboardPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, BaliseDashboardPage, refresh_spinner);
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
  /* Nothing read yet: the first read starts when the page is shown. */
  self->dirty = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
  _balise_dashboard_map_init (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.export-csv", FALSE);
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
