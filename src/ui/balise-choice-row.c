/* balise-choice-row.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-choice-row"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-choice-row.h"

/* A row that asks one question with a few fixed answers, one tap each: a
 * linked group of toggle buttons under the title. A choice added with a NULL
 * value stands for "unknown" and is the initial answer. */

struct _BaliseChoiceRow
{
  AdwPreferencesRow  parent_instance;

  /* Template widgets */
  GtkLabel          *title_label;
  GtkBox            *buttons;

  /* Borrowed references */
  GtkToggleButton   *first_button;

  /* Owned references */
  char              *value;
};

G_DEFINE_FINAL_TYPE (BaliseChoiceRow, balise_choice_row, ADW_TYPE_PREFERENCES_ROW)

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define CHOICE_VALUE_KEY "balise-choice-value"

static void
balise_choice_row_button_toggled_cb (BaliseChoiceRow *self,
                                     GtkToggleButton *button)
{
  const char *value;

  g_assert (BALISE_IS_CHOICE_ROW (self));
  g_assert (GTK_IS_TOGGLE_BUTTON (button));

  if (!gtk_toggle_button_get_active (button))
    return;

  value = g_object_get_data (G_OBJECT (button), CHOICE_VALUE_KEY);

  if (g_strcmp0 (value, self->value) != 0)
    {
      g_free (self->value);
      self->value = g_strdup (value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
    }
}

static void
balise_choice_row_title_changed_cb (BaliseChoiceRow *self)
{
  g_assert (BALISE_IS_CHOICE_ROW (self));

  gtk_label_set_label (self->title_label,
                       adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)));
}

static void
balise_choice_row_finalize (GObject *object)
{
  BaliseChoiceRow *self = (BaliseChoiceRow *)object;

  g_clear_pointer (&self->value, g_free);

  G_OBJECT_CLASS (balise_choice_row_parent_class)->finalize (object);
}

static void
balise_choice_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BaliseChoiceRow *self = BALISE_CHOICE_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_choice_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BaliseChoiceRow *self = BALISE_CHOICE_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      balise_choice_row_set_value (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_choice_row_class_init (BaliseChoiceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = balise_choice_row_finalize;
  object_class->get_property = balise_choice_row_get_property;
  object_class->set_property = balise_choice_row_set_property;

  /**
   * BaliseChoiceRow:value:
   *
   * The value of the chosen answer, or %NULL for "unknown".
   */
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-choice-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseChoiceRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseChoiceRow, buttons);
}

static void
balise_choice_row_init (BaliseChoiceRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::title",
                    G_CALLBACK (balise_choice_row_title_changed_cb), NULL);
}

GtkWidget *
balise_choice_row_new (const char *title)
{
  return g_object_new (BALISE_TYPE_CHOICE_ROW,
                       "title", title,
                       NULL);
}

/**
 * balise_choice_row_add_choice:
 * @self: a #BaliseChoiceRow
 * @value: (nullable): the value of the answer, %NULL for "unknown"
 * @label: the label of the button, with a mnemonic
 *
 * Adds an answer at the end of the row.
 */
void
balise_choice_row_add_choice (BaliseChoiceRow *self,
                              const char      *value,
                              const char      *label)
{
  GtkWidget *button;

  g_return_if_fail (BALISE_IS_CHOICE_ROW (self));
  g_return_if_fail (label != NULL);

  /* Not homogeneous: four answers must fit a phone, and share what is left. */
  button = gtk_toggle_button_new_with_mnemonic (label);
  gtk_widget_set_hexpand (button, TRUE);
  g_object_set_data_full (G_OBJECT (button), CHOICE_VALUE_KEY, g_strdup (value), g_free);

  if (self->first_button != NULL)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->first_button);
  else
    self->first_button = GTK_TOGGLE_BUTTON (button);

  g_signal_connect_object (button, "toggled",
                           G_CALLBACK (balise_choice_row_button_toggled_cb),
                           self, G_CONNECT_SWAPPED);

  gtk_box_append (self->buttons, button);

  if (value == NULL ? self->value == NULL : g_strcmp0 (value, self->value) == 0)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
}

/**
 * balise_choice_row_get_value:
 * @self: a #BaliseChoiceRow
 *
 * Returns: (nullable): the value of the chosen answer, %NULL for "unknown"
 */
const char *
balise_choice_row_get_value (BaliseChoiceRow *self)
{
  g_return_val_if_fail (BALISE_IS_CHOICE_ROW (self), NULL);

  return self->value;
}

void
balise_choice_row_set_value (BaliseChoiceRow *self,
                             const char      *value)
{
  GtkWidget *button;

  g_return_if_fail (BALISE_IS_CHOICE_ROW (self));

  if ((button = balise_choice_row_get_button (self, value)))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  else
    g_warning ("No answer \"%s\" in the row \"%s\"",
               value ? value : "(unknown)",
               adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)));
}

/**
 * balise_choice_row_get_button:
 * @self: a #BaliseChoiceRow
 * @value: (nullable): the value of an answer, %NULL for "unknown"
 *
 * Returns: (transfer none) (nullable): the toggle button of that answer
 */
GtkWidget *
balise_choice_row_get_button (BaliseChoiceRow *self,
                              const char      *value)
{
  g_return_val_if_fail (BALISE_IS_CHOICE_ROW (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->buttons));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *child_value = g_object_get_data (G_OBJECT (child), CHOICE_VALUE_KEY);

      if (g_strcmp0 (child_value, value) == 0)
        return child;
    }

  return NULL;
}
