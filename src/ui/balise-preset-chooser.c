/* balise-preset-chooser.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-preset-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-preset-chooser.h"

/* The first step of recording: what is it? A search entry (typing anywhere
 * in the dialog lands there), the presets used last, then every preset by
 * category. One tap or Enter on a row chooses it. */

#define MAX_RESULTS 20
#define MAX_RECENT  4
#define PRESET_KEY  "balise-preset"

struct _BalisePresetChooser
{
  GtkWidget              parent_instance;

  /* Template widgets */
  GtkSearchEntry        *search_entry;
  GtkStack              *stack;
  AdwPreferencesPage    *browse_page;
  AdwPreferencesGroup   *recent_group;
  AdwPreferencesGroup   *results_group;

  /* Owned references */
  BalisePresetCatalogue *catalogue;
  GPtrArray             *recent_rows;    /* GtkWidget, borrowed from recent_group */
  GPtrArray             *result_rows;    /* GtkWidget, borrowed from results_group */
  GHashTable            *rows;           /* preset id → its row in a category */

  int                    kind;           /* a BalisePresetKind, or -1 for all */
};

G_DEFINE_FINAL_TYPE (BalisePresetChooser, balise_preset_chooser, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CATALOGUE,
  N_PROPS
};

enum {
  PRESET_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
balise_preset_chooser_row_activated_cb (BalisePresetChooser *self,
                                        AdwActionRow        *row)
{
  BalisePreset *preset;

  g_assert (BALISE_IS_PRESET_CHOOSER (self));

  preset = g_object_get_data (G_OBJECT (row), PRESET_KEY);
  g_signal_emit (self, signals[PRESET_ACTIVATED], 0, preset);
}

static GtkWidget *
create_row (BalisePresetChooser *self,
            BalisePreset        *preset,
            gboolean             with_category)
{
  GtkWidget *row;
  GtkWidget *icon;
  GtkWidget *arrow;

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), balise_preset_get_name (preset));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), PRESET_KEY, g_object_ref (preset), g_object_unref);

  if (with_category)
    {
      BalisePresetCatalogue *catalogue = self->catalogue;

      for (guint i = 0; i < balise_preset_catalogue_get_n_categories (catalogue); i++)
        {
          if (g_strcmp0 (balise_preset_catalogue_get_category_id (catalogue, i),
                         balise_preset_get_category (preset)) == 0)
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                         balise_preset_catalogue_get_category_name (catalogue, i));
        }
    }

  icon = gtk_image_new_from_icon_name (balise_preset_get_icon_name (preset));
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  g_signal_connect_object (row, "activated",
                           G_CALLBACK (balise_preset_chooser_row_activated_cb),
                           self, G_CONNECT_SWAPPED);

  return row;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));

  g_ptr_array_set_size (rows, 0);
}

static void
balise_preset_chooser_search_changed_cb (BalisePresetChooser *self)
{
  g_autoptr(GPtrArray) hits = NULL;
  const char *text;

  g_assert (BALISE_IS_PRESET_CHOOSER (self));

  clear_rows (self->results_group, self->result_rows);

  text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  hits = balise_preset_catalogue_search (self->catalogue, text, MAX_RESULTS);

  /* Only spaces: back to browsing. */
  if (text[strspn (text, " \t")] == '\0')
    {
      gtk_stack_set_visible_child_name (self->stack, "browse");
      return;
    }

  for (guint i = 0; i < hits->len; i++)
    {
      BalisePreset *preset = g_ptr_array_index (hits, i);
      GtkWidget *row;

      if (self->kind >= 0 && (int) balise_preset_get_kind (preset) != self->kind)
        continue;

      row = create_row (self, preset, TRUE);

      adw_preferences_group_add (self->results_group, row);
      g_ptr_array_add (self->result_rows, row);
    }

  gtk_stack_set_visible_child_name (self->stack, self->result_rows->len > 0 ? "results" : "empty");
}

static void
balise_preset_chooser_search_activated_cb (BalisePresetChooser *self)
{
  g_assert (BALISE_IS_PRESET_CHOOSER (self));

  /* Enter takes the best match: "toil" ⏎ is enough. */
  if (self->result_rows->len > 0)
    gtk_widget_activate (g_ptr_array_index (self->result_rows, 0));
}

static void
balise_preset_chooser_stop_search_cb (BalisePresetChooser *self)
{
  g_assert (BALISE_IS_PRESET_CHOOSER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
balise_preset_chooser_build (BalisePresetChooser *self)
{
  GPtrArray *presets;

  g_assert (BALISE_IS_PRESET_CHOOSER (self));

  presets = balise_preset_catalogue_get_presets (self->catalogue);

  for (guint i = 0; i < balise_preset_catalogue_get_n_categories (self->catalogue); i++)
    {
      const char *category = balise_preset_catalogue_get_category_id (self->catalogue, i);
      GtkWidget *group = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                       balise_preset_catalogue_get_category_name (self->catalogue, i));

      for (guint j = 0; j < presets->len; j++)
        {
          BalisePreset *preset = g_ptr_array_index (presets, j);
          GtkWidget *row;

          if (g_strcmp0 (balise_preset_get_category (preset), category) != 0)
            continue;

          row = create_row (self, preset, FALSE);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
          g_hash_table_insert (self->rows, g_strdup (balise_preset_get_id (preset)), row);
        }

      adw_preferences_page_add (self->browse_page, ADW_PREFERENCES_GROUP (group));
    }
}

static void
balise_preset_chooser_constructed (GObject *object)
{
  BalisePresetChooser *self = (BalisePresetChooser *)object;

  G_OBJECT_CLASS (balise_preset_chooser_parent_class)->constructed (object);

  balise_preset_chooser_build (self);
}

static gboolean
balise_preset_chooser_grab_focus (GtkWidget *widget)
{
  BalisePresetChooser *self = BALISE_PRESET_CHOOSER (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
balise_preset_chooser_dispose (GObject *object)
{
  BalisePresetChooser *self = (BalisePresetChooser *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), BALISE_TYPE_PRESET_CHOOSER);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->catalogue);

  G_OBJECT_CLASS (balise_preset_chooser_parent_class)->dispose (object);
}

static void
balise_preset_chooser_finalize (GObject *object)
{
  BalisePresetChooser *self = (BalisePresetChooser *)object;

  g_clear_pointer (&self->recent_rows, g_ptr_array_unref);
  g_clear_pointer (&self->result_rows, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (balise_preset_chooser_parent_class)->finalize (object);
}

static void
balise_preset_chooser_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BalisePresetChooser *self = BALISE_PRESET_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_CATALOGUE:
      g_value_set_object (value, self->catalogue);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_preset_chooser_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BalisePresetChooser *self = BALISE_PRESET_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_CATALOGUE:
      self->catalogue = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_preset_chooser_class_init (BalisePresetChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = balise_preset_chooser_constructed;
  object_class->dispose = balise_preset_chooser_dispose;
  object_class->finalize = balise_preset_chooser_finalize;
  object_class->get_property = balise_preset_chooser_get_property;
  object_class->set_property = balise_preset_chooser_set_property;

  widget_class->grab_focus = balise_preset_chooser_grab_focus;

  properties[PROP_CATALOGUE] =
    g_param_spec_object ("catalogue", NULL, NULL,
                         BALISE_TYPE_PRESET_CATALOGUE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BalisePresetChooser::preset-activated:
   * @self: a #BalisePresetChooser
   * @preset: the #BalisePreset chosen
   */
  signals[PRESET_ACTIVATED] =
    g_signal_new ("preset-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BALISE_TYPE_PRESET);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-preset-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, BalisePresetChooser, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BalisePresetChooser, stack);
  gtk_widget_class_bind_template_child (widget_class, BalisePresetChooser, browse_page);
  gtk_widget_class_bind_template_child (widget_class, BalisePresetChooser, recent_group);
  gtk_widget_class_bind_template_child (widget_class, BalisePresetChooser, results_group);
  gtk_widget_class_bind_template_callback (widget_class, balise_preset_chooser_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, balise_preset_chooser_search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, balise_preset_chooser_stop_search_cb);
}

static void
balise_preset_chooser_init (BalisePresetChooser *self)
{
  self->kind = -1;
  self->recent_rows = g_ptr_array_new ();
  self->result_rows = g_ptr_array_new ();
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
balise_preset_chooser_new (BalisePresetCatalogue *catalogue)
{
  g_return_val_if_fail (BALISE_IS_PRESET_CATALOGUE (catalogue), NULL);

  return g_object_new (BALISE_TYPE_PRESET_CHOOSER,
                       "catalogue", catalogue,
                       NULL);
}

/**
 * balise_preset_chooser_set_recent:
 * @self: a #BalisePresetChooser
 * @ids: (nullable) (array zero-terminated=1): preset ids, the latest first
 *
 * Shows the presets used last on top. Ids the catalogue does not know
 * (a preset removed since) are skipped.
 */
void
balise_preset_chooser_set_recent (BalisePresetChooser *self,
                                  const char * const  *ids)
{
  g_return_if_fail (BALISE_IS_PRESET_CHOOSER (self));

  clear_rows (self->recent_group, self->recent_rows);

  for (guint i = 0; ids != NULL && ids[i] != NULL && self->recent_rows->len < MAX_RECENT; i++)
    {
      BalisePreset *preset = balise_preset_catalogue_lookup (self->catalogue, ids[i]);
      GtkWidget *row;

      if (preset == NULL)
        continue;

      row = create_row (self, preset, FALSE);
      adw_preferences_group_add (self->recent_group, row);
      g_ptr_array_add (self->recent_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), self->recent_rows->len > 0);
}

GtkWidget *
balise_preset_chooser_get_search_entry (BalisePresetChooser *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_CHOOSER (self), NULL);

  return GTK_WIDGET (self->search_entry);
}

/* Returns: (transfer none) (nullable): the row of @id in its category */
GtkWidget *
balise_preset_chooser_get_row (BalisePresetChooser *self,
                               const char          *id)
{
  g_return_val_if_fail (BALISE_IS_PRESET_CHOOSER (self), NULL);

  return g_hash_table_lookup (self->rows, id);
}

/* Returns: (transfer none) (nullable): the first row of the search results */
GtkWidget *
balise_preset_chooser_get_first_result (BalisePresetChooser *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_CHOOSER (self), NULL);

  return self->result_rows->len > 0 ? g_ptr_array_index (self->result_rows, 0) : NULL;
}

/**
 * balise_preset_chooser_set_kind:
 * @self: a #BalisePresetChooser
 * @kind: the kind of presets to offer
 *
 * Offers the presets of @kind only, in browsing, recent and search alike:
 * the faults, to report a problem about a feature.
 */
void
balise_preset_chooser_set_kind (BalisePresetChooser *self,
                                BalisePresetKind     kind)
{
  g_autoptr(GHashTable) groups = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key, value;
  guint n_recent = 0;

  g_return_if_fail (BALISE_IS_PRESET_CHOOSER (self));

  self->kind = kind;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      BalisePreset *preset = g_object_get_data (value, PRESET_KEY);
      GtkWidget *group = gtk_widget_get_ancestor (value, ADW_TYPE_PREFERENCES_GROUP);
      gboolean shown = balise_preset_get_kind (preset) == kind;

      gtk_widget_set_visible (value, shown);
      if (group != NULL && (shown || !g_hash_table_contains (groups, group)))
        g_hash_table_insert (groups, group, GINT_TO_POINTER (shown));
    }

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    gtk_widget_set_visible (key, GPOINTER_TO_INT (value));

  for (guint i = 0; i < self->recent_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->recent_rows, i);
      BalisePreset *preset = g_object_get_data (G_OBJECT (row), PRESET_KEY);
      gboolean shown = balise_preset_get_kind (preset) == kind;

      gtk_widget_set_visible (row, shown);
      n_recent += shown;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), n_recent > 0);

  balise_preset_chooser_search_changed_cb (self);
}
