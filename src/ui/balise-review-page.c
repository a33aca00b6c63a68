/* balise-review-page.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-review-page"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-review-labels.h"
#include "balise-review-page-private.h"
#include "balise-store-queue.h"

G_DEFINE_FINAL_TYPE (BaliseReviewPage, balise_review_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_REVIEWER,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define MASK(s) BALISE_EDIT_STATUS_MASK (BALISE_EDIT_STATUS_##s)

/* The statuses behind each entry of the status drop-down, in its order. */
static const guint status_masks[] = {
  MASK (PENDING) | MASK (HAS_ISSUES) | MASK (CONFLICT),
  MASK (APPROVED),
  MASK (REJECTED),
  MASK (HAS_ISSUES),
  MASK (CONFLICT),
  MASK (FAILED),
  MASK (PENDING) | MASK (APPROVED) | MASK (REJECTED) | MASK (HAS_ISSUES) |
    MASK (CONFLICT) | MASK (FAILED) | MASK (UPLOADING) | MASK (DRAFT),
};

static char *
group_title (const char          *label,
             BaliseQueueGrouping  grouping)
{
  if (grouping == BALISE_QUEUE_BY_CATEGORY)
    return g_strdup (balise_category_label (label));
  if (grouping == BALISE_QUEUE_BY_CONTRIBUTOR && *label == '\0')
    return g_strdup (_("Unknown contributor"));

  return g_strdup (label);
}

static gboolean
balise_review_page_message_timeout_cb (gpointer data)
{
  BaliseReviewPage *self = data;

  self->message_id = 0;
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);

  return G_SOURCE_REMOVE;
}

void
_balise_review_page_toast (BaliseReviewPage *self,
                           const char       *message)
{
  g_assert (BALISE_IS_REVIEW_PAGE (self));

  gtk_label_set_label (self->message_label, message);
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->message_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);

  g_clear_handle_id (&self->message_id, g_source_remove);
  self->message_id = g_timeout_add_seconds (6, balise_review_page_message_timeout_cb, self);
}

void
balise_review_page_show_message (BaliseReviewPage *self,
                                 const char       *message)
{
  g_return_if_fail (BALISE_IS_REVIEW_PAGE (self));
  g_return_if_fail (message != NULL);

  _balise_review_page_toast (self, message);
}

const char *
balise_review_page_get_message (BaliseReviewPage *self)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_PAGE (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->message_revealer))
    return NULL;

  return gtk_label_get_label (self->message_label);
}

static void
balise_review_page_dismiss_message_action (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *param)
{
  BaliseReviewPage *self = BALISE_REVIEW_PAGE (widget);

  g_clear_handle_id (&self->message_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
}

GStrv
_balise_review_page_get_selected (BaliseReviewPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer uuid;

  g_assert (BALISE_IS_REVIEW_PAGE (self));

  /* Only what is shown: a filter may hide an edit selected earlier. */
  g_hash_table_iter_init (&iter, self->selected);
  while (g_hash_table_iter_next (&iter, &uuid, NULL))
    {
      if (g_hash_table_contains (self->rows, uuid))
        g_strv_builder_add (builder, uuid);
    }

  return g_strv_builder_end (builder);
}

void
_balise_review_page_update_selection (BaliseReviewPage *self)
{
  g_auto(GStrv) selected = _balise_review_page_get_selected (self);
  guint n = g_strv_length (selected);
  g_autofree char *text = NULL;

  g_assert (BALISE_IS_REVIEW_PAGE (self));

  /* Translators: how many edits are selected for a bulk action */
  text = g_strdup_printf (ngettext ("%u selected", "%u selected", n), n);
  gtk_label_set_label (self->selection_label, text);
  gtk_revealer_set_reveal_child (self->bulk_revealer, n > 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.approve-selected", n > 0 && self->busy == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.reject-selected", n > 0 && self->busy == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.has-issues-selected", n > 0 && self->busy == 0);
}

static void
balise_review_page_row_selected_cb (BaliseReviewPage *self,
                                    GParamSpec       *pspec,
                                    BaliseReviewRow  *row)
{
  const char *uuid = balise_review_row_get_edit (row)->uuid;

  g_assert (BALISE_IS_REVIEW_PAGE (self));

  if (balise_review_row_get_selected (row))
    g_hash_table_add (self->selected, g_strdup (uuid));
  else
    g_hash_table_remove (self->selected, uuid);

  _balise_review_page_update_selection (self);
}

static void
balise_review_page_row_expanded_cb (BaliseReviewPage *self,
                                    GParamSpec       *pspec,
                                    BaliseReviewRow  *row)
{
  const char *uuid = balise_review_row_get_edit (row)->uuid;

  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)))
    g_hash_table_add (self->expanded, g_strdup (uuid));
  else
    g_hash_table_remove (self->expanded, uuid);
}

void
balise_review_page_reload (BaliseReviewPage *self)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  BaliseQueueGrouping grouping;
  GtkWidget *child;
  guint status;
  guint n_rows = 0;

  g_return_if_fail (BALISE_IS_REVIEW_PAGE (self));

  g_clear_handle_id (&self->reload_id, g_source_remove);

  grouping = gtk_drop_down_get_selected (self->grouping_dropdown);
  if (grouping > BALISE_QUEUE_BY_AREA)
    grouping = BALISE_QUEUE_BY_CONTRIBUTOR;
  status = gtk_drop_down_get_selected (self->status_dropdown);
  if (status >= G_N_ELEMENTS (status_masks))
    status = 0;

  g_hash_table_remove_all (self->rows);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))))
    gtk_box_remove (self->groups_box, child);

  groups = balise_store_list_review_queue (self->store, status_masks[status], grouping,
                                           gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                           &error);
  if (groups == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("Could Not Read the Queue"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      _balise_review_page_update_selection (self);
      return;
    }

  for (guint i = 0; i < groups->len; i++)
    {
      BaliseQueueGroup *group = g_ptr_array_index (groups, i);
      g_autofree char *title = group_title (group->label, grouping);
      g_autofree char *count = NULL;
      GtkWidget *pref_group = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (pref_group), title);
      /* Translators: how many edits a group of the review queue holds */
      count = g_strdup_printf (ngettext ("%u change", "%u changes", group->edits->len),
                               group->edits->len);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (pref_group), count);

      for (guint j = 0; j < group->edits->len; j++)
        {
          BaliseEdit *edit = g_ptr_array_index (group->edits, j);
          GtkWidget *row = balise_review_row_new (edit, self->map_source);

          balise_review_row_set_photo_store (BALISE_REVIEW_ROW (row), self->store);

          if (g_hash_table_contains (self->selected, edit->uuid))
            balise_review_row_set_selected (BALISE_REVIEW_ROW (row), TRUE);
          if (g_hash_table_contains (self->expanded, edit->uuid))
            adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

          g_signal_connect_object (row, "notify::selected",
                                   G_CALLBACK (balise_review_page_row_selected_cb),
                                   self, G_CONNECT_SWAPPED);
          g_signal_connect_object (row, "notify::expanded",
                                   G_CALLBACK (balise_review_page_row_expanded_cb),
                                   self, G_CONNECT_SWAPPED);
          g_hash_table_insert (self->rows, g_strdup (edit->uuid), row);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (pref_group), row);
          n_rows++;
        }

      gtk_box_append (self->groups_box, pref_group);
    }

  if (n_rows == 0)
    {
      const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

      if (search[0] != '\0' || status != 0)
        {
          adw_status_page_set_title (self->empty_page, _("No Matching Changes"));
          adw_status_page_set_description (self->empty_page,
                                           _("Try another search or another status."));
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("Nothing to Review"));
          adw_status_page_set_description (self->empty_page,
                                           _("Changes recorded by volunteers appear here before they are uploaded."));
        }
    }

  gtk_stack_set_visible_child_name (self->stack, n_rows > 0 ? "queue" : "empty");
  _balise_review_page_update_selection (self);
}

static gboolean
balise_review_page_reload_idle_cb (gpointer data)
{
  BaliseReviewPage *self = data;

  self->reload_id = 0;
  balise_review_page_reload (self);

  return G_SOURCE_REMOVE;
}

static void
balise_review_page_queue_reload (BaliseReviewPage *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE,
                                       balise_review_page_reload_idle_cb,
                                       self, NULL);
}

static void
balise_review_page_filters_changed_cb (BaliseReviewPage *self)
{
  g_assert (BALISE_IS_REVIEW_PAGE (self));

  /* Template callbacks may run while the template is still being built. */
  if (self->store != NULL)
    balise_review_page_queue_reload (self);
}

static void
balise_review_page_store_changed_cb (BaliseReviewPage *self,
                                     BaliseStore      *store)
{
  g_assert (BALISE_IS_REVIEW_PAGE (self));

  balise_review_page_queue_reload (self);
}

static void
balise_review_page_constructed (GObject *object)
{
  BaliseReviewPage *self = (BaliseReviewPage *)object;

  G_OBJECT_CLASS (balise_review_page_parent_class)->constructed (object);

  g_assert (BALISE_IS_STORE (self->store));

  self->changed_id = g_signal_connect_object (self->store, "changed",
                                              G_CALLBACK (balise_review_page_store_changed_cb),
                                              self, G_CONNECT_SWAPPED);
  balise_review_page_reload (self);
}

static void
balise_review_page_dispose (GObject *object)
{
  BaliseReviewPage *self = (BaliseReviewPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_handle_id (&self->message_id, g_source_remove);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_hash_table_remove_all (self->rows);


  g_clear_object (&self->store);
  g_clear_object (&self->map_source);

  G_OBJECT_CLASS (balise_review_page_parent_class)->dispose (object);
}

static void
balise_review_page_finalize (GObject *object)
{
  BaliseReviewPage *self = (BaliseReviewPage *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->reviewer, g_free);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->selected, g_hash_table_unref);
  g_clear_pointer (&self->expanded, g_hash_table_unref);

  G_OBJECT_CLASS (balise_review_page_parent_class)->finalize (object);
}

static void
balise_review_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BaliseReviewPage *self = BALISE_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_REVIEWER:
      g_value_set_string (value, self->reviewer);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_review_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BaliseReviewPage *self = BALISE_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_REVIEWER:
      balise_review_page_set_reviewer (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_review_page_class_init (BaliseReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = balise_review_page_constructed;
  object_class->dispose = balise_review_page_dispose;
  object_class->finalize = balise_review_page_finalize;
  object_class->get_property = balise_review_page_get_property;
  object_class->set_property = balise_review_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BALISE_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REVIEWER] =
    g_param_spec_string ("reviewer", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseReviewPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BaliseReviewPage, grouping_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BaliseReviewPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BaliseReviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BaliseReviewPage, groups_box);
  gtk_widget_class_bind_template_child (widget_class, BaliseReviewPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BaliseReviewPage, bulk_revealer);
  gtk_widget_class_bind_template_child (widget_class, BaliseReviewPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseReviewPage, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, BaliseReviewPage, message_label);
  gtk_widget_class_bind_template_callback (widget_class, balise_review_page_filters_changed_cb);

  gtk_widget_class_install_action (widget_class, "review.dismiss-message", NULL,
                                   balise_review_page_dismiss_message_action);
  _balise_review_page_class_actions_init (klass);
}

static void
balise_review_page_init (BaliseReviewPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->selected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
balise_review_page_new (BaliseStore *store)
{
  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);

  return g_object_new (BALISE_TYPE_REVIEW_PAGE, "store", store, NULL);
}

BaliseStore *
balise_review_page_get_store (BaliseReviewPage *self)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_PAGE (self), NULL);

  return self->store;
}

const char *
balise_review_page_get_reviewer (BaliseReviewPage *self)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_PAGE (self), NULL);

  return self->reviewer;
}

void
balise_review_page_set_reviewer (BaliseReviewPage *self,
                                 const char       *reviewer)
{
  g_return_if_fail (BALISE_IS_REVIEW_PAGE (self));

  if (g_strcmp0 (self->reviewer, reviewer) == 0)
    return;

  g_free (self->reviewer);
  self->reviewer = g_strdup (reviewer);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVIEWER]);
}

/**
 * balise_review_page_set_map_source:
 * @map_source: (nullable): the basemap of the small maps
 */
void
balise_review_page_set_map_source (BaliseReviewPage *self,
                                   ShumateMapSource *map_source)
{
  g_return_if_fail (BALISE_IS_REVIEW_PAGE (self));

  if (g_set_object (&self->map_source, map_source))
    balise_review_page_queue_reload (self);
}

void
balise_review_page_set_server_url (BaliseReviewPage *self,
                                   const char       *server_url)
{
  g_return_if_fail (BALISE_IS_REVIEW_PAGE (self));

  g_free (self->server_url);
  self->server_url = g_strdup (server_url);
}

BaliseReviewRow *
balise_review_page_find_row (BaliseReviewPage *self,
                             const char       *uuid)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_PAGE (self), NULL);

  return g_hash_table_lookup (self->rows, uuid);
}

guint
balise_review_page_get_n_rows (BaliseReviewPage *self)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_PAGE (self), 0);

  return g_hash_table_size (self->rows);
}

gboolean
balise_review_page_get_busy (BaliseReviewPage *self)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_PAGE (self), FALSE);

  return self->busy > 0;
}

void
_balise_review_page_set_busy (BaliseReviewPage *self,
                              gboolean          busy)
{
  g_assert (BALISE_IS_REVIEW_PAGE (self));

  if (busy)
    self->busy++;
  else
    self->busy--;

  _balise_review_page_update_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}
