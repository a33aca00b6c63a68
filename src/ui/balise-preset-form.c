/* balise-preset-form.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-preset-form"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-choice-row.h"
#include "balise-preset-form.h"

/* The form of a preset: one row per field, built from its type.
 *
 *   text, number          AdwEntryRow
 *   check                 BaliseChoiceRow: one tap per answer, "Unknown" first
 *   combo                 AdwComboRow, "Unknown" first
 *   multi_combo           AdwExpanderRow of check buttons; with custom values
 *                         an AdwEntryRow taking "12; 34"
 *   opening_hours         AdwEntryRow
 *   date                  AdwEntryRow with a "Today" button
 *
 * Each field has a row below it that shows what is wrong with its answer.
 * The form keeps nothing: its owner reads the answers on every "changed". */

#define OPTION_VALUE_KEY "balise-option-value"

typedef struct
{
  BalisePresetField *field;       /* borrowed from the preset */
  GtkWidget         *row;
  GtkWidget         *error_row;
  GtkLabel          *error_label;
  GtkWidget         *today_button;
  GPtrArray         *check_buttons; /* multi_combo options */
} FieldRow;

struct _BalisePresetForm
{
  GtkWidget            parent_instance;

  /* Template widgets */
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *fields_group;
  AdwPreferencesGroup *extra_group;
  GtkButton           *discard_button;

  /* Owned references */
  BalisePreset        *preset;
  GArray              *rows;      /* of FieldRow */

  guint                loading : 1;
};

G_DEFINE_FINAL_TYPE (BalisePresetForm, balise_preset_form, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PRESET,
  N_PROPS
};

enum {
  CHANGED,
  DISCARD,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
field_row_clear (gpointer data)
{
  FieldRow *row = data;

  g_clear_pointer (&row->check_buttons, g_ptr_array_unref);
}

static FieldRow *
find_row (BalisePresetForm *self,
          const char       *key)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = &g_array_index (self->rows, FieldRow, i);

      if (g_strcmp0 (balise_preset_field_get_key (row->field), key) == 0)
        return row;
    }

  return NULL;
}

static char *
row_get_value (FieldRow *row)
{
  switch (balise_preset_field_get_field_type (row->field))
    {
    case BALISE_PRESET_FIELD_CHECK:
      return g_strdup (balise_choice_row_get_value (BALISE_CHOICE_ROW (row->row)));

    case BALISE_PRESET_FIELD_COMBO:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row->row));

        /* Item 0 is "Unknown". */
        if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
          return NULL;
        return g_strdup (balise_preset_field_get_option_value (row->field, selected - 1));
      }

    case BALISE_PRESET_FIELD_MULTI_COMBO:
      if (row->check_buttons != NULL)
        {
          g_autoptr(GString) joined = g_string_new (NULL);

          for (guint i = 0; i < row->check_buttons->len; i++)
            {
              GtkCheckButton *check = g_ptr_array_index (row->check_buttons, i);

              if (!gtk_check_button_get_active (check))
                continue;
              if (joined->len > 0)
                g_string_append_c (joined, ';');
              g_string_append (joined, g_object_get_data (G_OBJECT (check), OPTION_VALUE_KEY));
            }

          return joined->len > 0 ? g_string_free (g_steal_pointer (&joined), FALSE) : NULL;
        }
      G_GNUC_FALLTHROUGH;

    case BALISE_PRESET_FIELD_TEXT:
    case BALISE_PRESET_FIELD_NUMBER:
    case BALISE_PRESET_FIELD_OPENING_HOURS:
    case BALISE_PRESET_FIELD_DATE:
    default:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->row)));
    }
}

static void
row_set_value (FieldRow   *row,
               const char *value)
{
  BalisePresetField *field = row->field;

  switch (balise_preset_field_get_field_type (field))
    {
    case BALISE_PRESET_FIELD_CHECK:
      if (balise_choice_row_get_button (BALISE_CHOICE_ROW (row->row), value) != NULL)
        balise_choice_row_set_value (BALISE_CHOICE_ROW (row->row), value);
      break;

    case BALISE_PRESET_FIELD_COMBO:
      for (guint i = 0; i < balise_preset_field_get_n_options (field); i++)
        {
          if (g_strcmp0 (balise_preset_field_get_option_value (field, i), value) == 0)
            adw_combo_row_set_selected (ADW_COMBO_ROW (row->row), i + 1);
        }
      break;

    case BALISE_PRESET_FIELD_MULTI_COMBO:
      if (row->check_buttons != NULL)
        {
          g_auto(GStrv) values = g_strsplit (value ? value : "", ";", -1);

          for (guint i = 0; i < row->check_buttons->len; i++)
            {
              GtkCheckButton *check = g_ptr_array_index (row->check_buttons, i);
              const char *option = g_object_get_data (G_OBJECT (check), OPTION_VALUE_KEY);

              gtk_check_button_set_active (check, g_strv_contains ((const char * const *) values, option));
            }
          break;
        }
      G_GNUC_FALLTHROUGH;

    case BALISE_PRESET_FIELD_TEXT:
    case BALISE_PRESET_FIELD_NUMBER:
    case BALISE_PRESET_FIELD_OPENING_HOURS:
    case BALISE_PRESET_FIELD_DATE:
    default:
      gtk_editable_set_text (GTK_EDITABLE (row->row), value ? value : "");
      break;
    }
}

static void
row_show_error (FieldRow   *row,
                const char *message)
{
  gtk_label_set_label (row->error_label, message ? message : "");
  gtk_widget_set_visible (row->error_row, message != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (row->row, "error");
  else
    gtk_widget_remove_css_class (row->row, "error");
}

static void
emit_changed (BalisePresetForm *self,
              gboolean          immediate)
{
  if (!self->loading)
    g_signal_emit (self, signals[CHANGED], 0, immediate);
}

static void
balise_preset_form_choice_changed_cb (BalisePresetForm *self)
{
  g_assert (BALISE_IS_PRESET_FORM (self));

  emit_changed (self, TRUE);
}

static void
balise_preset_form_text_changed_cb (BalisePresetForm *self,
                                    GtkEditable      *editable)
{
  g_assert (BALISE_IS_PRESET_FORM (self));

  /* A fix clears the message at once; a new one waits for a pause in typing. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = &g_array_index (self->rows, FieldRow, i);
      g_autofree char *value = NULL;
      g_autofree char *normalized = NULL;
      g_autoptr(GError) error = NULL;

      if (row->row != GTK_WIDGET (editable))
        continue;

      value = row_get_value (row);
      normalized = balise_preset_field_normalize (row->field, value, &error);
      if (error == NULL || g_error_matches (error, BALISE_PRESET_ERROR, BALISE_PRESET_ERROR_REQUIRED))
        row_show_error (row, NULL);
    }

  emit_changed (self, FALSE);
}

static void
balise_preset_form_multi_toggled_cb (BalisePresetForm *self,
                                     GtkCheckButton   *check)
{
  g_assert (BALISE_IS_PRESET_FORM (self));

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = &g_array_index (self->rows, FieldRow, i);
      g_autoptr(GString) summary = NULL;

      if (row->check_buttons == NULL)
        continue;

      summary = g_string_new (NULL);
      for (guint j = 0; j < row->check_buttons->len; j++)
        {
          if (!gtk_check_button_get_active (g_ptr_array_index (row->check_buttons, j)))
            continue;
          if (summary->len > 0)
            g_string_append (summary, ", ");
          g_string_append (summary, balise_preset_field_get_option_label (row->field, j));
        }

      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row->row), summary->str);
    }

  emit_changed (self, TRUE);
}

static void
balise_preset_form_today_clicked_cb (BalisePresetForm *self,
                                     GtkButton        *button)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  g_assert (BALISE_IS_PRESET_FORM (self));

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = &g_array_index (self->rows, FieldRow, i);

      if (row->today_button == GTK_WIDGET (button))
        gtk_editable_set_text (GTK_EDITABLE (row->row), today);
    }
}

static void
balise_preset_form_discard_clicked_cb (BalisePresetForm *self)
{
  g_assert (BALISE_IS_PRESET_FORM (self));

  g_signal_emit (self, signals[DISCARD], 0);
}

static GtkWidget *
create_entry_row (BalisePresetForm  *self,
                  FieldRow          *row)
{
  BalisePresetField *field = row->field;
  const char *placeholder = balise_preset_field_get_placeholder (field);
  GtkWidget *entry = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), balise_preset_field_get_label (field));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (entry), FALSE);

  /* AdwEntryRow 1.2 has no placeholder: the example goes in the tooltip
   * and, for screen readers, the description. */
  if (placeholder != NULL)
    {
      gtk_widget_set_tooltip_text (entry, placeholder);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, placeholder,
                                      -1);
    }

  switch (balise_preset_field_get_field_type (field))
    {
    case BALISE_PRESET_FIELD_NUMBER:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (entry), GTK_INPUT_PURPOSE_NUMBER);
      break;

    case BALISE_PRESET_FIELD_DATE:
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (entry), GTK_INPUT_PURPOSE_DIGITS);
      row->today_button = gtk_button_new_with_mnemonic (_("_Today"));
      gtk_widget_set_valign (row->today_button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (row->today_button, "flat");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->today_button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      balise_preset_field_get_label (field),
                                      -1);
      g_signal_connect_object (row->today_button, "clicked",
                               G_CALLBACK (balise_preset_form_today_clicked_cb),
                               self, G_CONNECT_SWAPPED);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (entry), row->today_button);
      break;

    case BALISE_PRESET_FIELD_TEXT:
    case BALISE_PRESET_FIELD_CHECK:
    case BALISE_PRESET_FIELD_COMBO:
    case BALISE_PRESET_FIELD_MULTI_COMBO:
    case BALISE_PRESET_FIELD_OPENING_HOURS:
    default:
      break;
    }

  g_signal_connect_object (entry, "changed",
                           G_CALLBACK (balise_preset_form_text_changed_cb),
                           self, G_CONNECT_SWAPPED);

  return entry;
}

static GtkWidget *
create_choice_row (BalisePresetForm *self,
                   FieldRow         *row)
{
  BalisePresetField *field = row->field;
  GtkWidget *choice = balise_choice_row_new (balise_preset_field_get_label (field));

  for (guint i = 0; i < balise_preset_field_get_n_options (field); i++)
    {
      g_autofree char *label = NULL;
      char *underscore;

      /* No mnemonics from the data: a label with "_" shows it as typed. */
      label = g_strdup (balise_preset_field_get_option_label (field, i));
      while ((underscore = strchr (label, '_')))
        *underscore = ' ';

      balise_choice_row_add_choice (BALISE_CHOICE_ROW (choice),
                                    balise_preset_field_get_option_value (field, i),
                                    label);
    }
  balise_choice_row_add_choice (BALISE_CHOICE_ROW (choice), NULL, _("Unknown"));

  g_signal_connect_object (choice, "notify::value",
                           G_CALLBACK (balise_preset_form_choice_changed_cb),
                           self, G_CONNECT_SWAPPED);

  return choice;
}

static GtkWidget *
create_combo_row (BalisePresetForm *self,
                  FieldRow         *row)
{
  BalisePresetField *field = row->field;
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  GtkWidget *combo = adw_combo_row_new ();

  gtk_string_list_append (model, _("Unknown"));
  for (guint i = 0; i < balise_preset_field_get_n_options (field); i++)
    gtk_string_list_append (model, balise_preset_field_get_option_label (field, i));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), balise_preset_field_get_label (field));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (combo), FALSE);
  adw_combo_row_set_model (ADW_COMBO_ROW (combo), G_LIST_MODEL (model));

  g_signal_connect_object (combo, "notify::selected",
                           G_CALLBACK (balise_preset_form_choice_changed_cb),
                           self, G_CONNECT_SWAPPED);

  return combo;
}

static GtkWidget *
create_multi_row (BalisePresetForm *self,
                  FieldRow         *row)
{
  BalisePresetField *field = row->field;
  GtkWidget *expander = adw_expander_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), balise_preset_field_get_label (field));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (expander), FALSE);
  row->check_buttons = g_ptr_array_new ();

  for (guint i = 0; i < balise_preset_field_get_n_options (field); i++)
    {
      GtkWidget *option_row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (option_row),
                                     balise_preset_field_get_option_label (field, i));
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (option_row), FALSE);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      balise_preset_field_get_option_label (field, i),
                                      -1);
      g_object_set_data_full (G_OBJECT (check), OPTION_VALUE_KEY,
                              g_strdup (balise_preset_field_get_option_value (field, i)), g_free);
      adw_action_row_add_prefix (ADW_ACTION_ROW (option_row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (option_row), check);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), option_row);
      g_ptr_array_add (row->check_buttons, check);

      g_signal_connect_object (check, "toggled",
                               G_CALLBACK (balise_preset_form_multi_toggled_cb),
                               self, G_CONNECT_SWAPPED);
    }

  return expander;
}

static void
balise_preset_form_build (BalisePresetForm *self)
{
  g_assert (BALISE_IS_PRESET_FORM (self));

  self->loading = TRUE;

  for (guint i = 0; i < balise_preset_get_n_fields (self->preset); i++)
    {
      FieldRow row = { balise_preset_get_field (self->preset, i), NULL, NULL, NULL, NULL, NULL };
      GtkWidget *label;

      switch (balise_preset_field_get_field_type (row.field))
        {
        case BALISE_PRESET_FIELD_CHECK:
          row.row = create_choice_row (self, &row);
          break;

        case BALISE_PRESET_FIELD_COMBO:
          row.row = create_combo_row (self, &row);
          break;

        case BALISE_PRESET_FIELD_MULTI_COMBO:
          row.row = balise_preset_field_get_custom (row.field) ? create_entry_row (self, &row)
                                                              : create_multi_row (self, &row);
          break;

        case BALISE_PRESET_FIELD_TEXT:
        case BALISE_PRESET_FIELD_NUMBER:
        case BALISE_PRESET_FIELD_OPENING_HOURS:
        case BALISE_PRESET_FIELD_DATE:
        default:
          row.row = create_entry_row (self, &row);
          break;
        }

      if (balise_preset_field_get_required (row.field))
        gtk_accessible_update_property (GTK_ACCESSIBLE (row.row),
                                        GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE,
                                        -1);

      /* Where the field says what is wrong, right under it. */
      label = gtk_label_new (NULL);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_add_css_class (label, "error");
      row.error_label = GTK_LABEL (label);
      row.error_row = g_object_new (ADW_TYPE_PREFERENCES_ROW,
                                    "activatable", FALSE,
                                    "focusable", FALSE,
                                    "child", label,
                                    "visible", FALSE,
                                    NULL);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (row.row),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL,
                                      -1);

      adw_preferences_group_add (self->fields_group, row.row);
      adw_preferences_group_add (self->fields_group, row.error_row);
      g_array_append_val (self->rows, row);
    }

  self->loading = FALSE;
}

static void
balise_preset_form_constructed (GObject *object)
{
  BalisePresetForm *self = (BalisePresetForm *)object;

  G_OBJECT_CLASS (balise_preset_form_parent_class)->constructed (object);

  balise_preset_form_build (self);
}

static void
balise_preset_form_dispose (GObject *object)
{
  BalisePresetForm *self = (BalisePresetForm *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), BALISE_TYPE_PRESET_FORM);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->preset);

  G_OBJECT_CLASS (balise_preset_form_parent_class)->dispose (object);
}

static void
balise_preset_form_finalize (GObject *object)
{
  BalisePresetForm *self = (BalisePresetForm *)object;

  g_clear_pointer (&self->rows, g_array_unref);

  G_OBJECT_CLASS (balise_preset_form_parent_class)->finalize (object);
}

static void
balise_preset_form_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BalisePresetForm *self = BALISE_PRESET_FORM (object);

  switch (prop_id)
    {
    case PROP_PRESET:
      g_value_set_object (value, self->preset);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_preset_form_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BalisePresetForm *self = BALISE_PRESET_FORM (object);

  switch (prop_id)
    {
    case PROP_PRESET:
      self->preset = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_preset_form_class_init (BalisePresetFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = balise_preset_form_constructed;
  object_class->dispose = balise_preset_form_dispose;
  object_class->finalize = balise_preset_form_finalize;
  object_class->get_property = balise_preset_form_get_property;
  object_class->set_property = balise_preset_form_set_property;

  properties[PROP_PRESET] =
    g_param_spec_object ("preset", NULL, NULL,
                         BALISE_TYPE_PRESET,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BalisePresetForm::changed:
   * @self: a #BalisePresetForm
   * @immediate: %TRUE for a tap (write it now), %FALSE for typing (wait
   *   for a pause)
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  /**
   * BalisePresetForm::discard:
   *
   * The volunteer asked to throw the record away.
   */
  signals[DISCARD] =
    g_signal_new ("discard",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (BALISE_TYPE_CHOICE_ROW);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-preset-form.ui");
  gtk_widget_class_bind_template_child (widget_class, BalisePresetForm, page);
  gtk_widget_class_bind_template_child (widget_class, BalisePresetForm, fields_group);
  gtk_widget_class_bind_template_child (widget_class, BalisePresetForm, extra_group);
  gtk_widget_class_bind_template_child (widget_class, BalisePresetForm, discard_button);
  gtk_widget_class_bind_template_callback (widget_class, balise_preset_form_discard_clicked_cb);
}

static void
balise_preset_form_init (BalisePresetForm *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (FieldRow));
  g_array_set_clear_func (self->rows, field_row_clear);

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * balise_preset_form_new:
 * @preset: the preset whose fields the form asks
 * @values: (nullable) (element-type utf8 utf8): the answers to start from
 *
 * Returns: (transfer floating): a new form
 */
GtkWidget *
balise_preset_form_new (BalisePreset *preset,
                        GHashTable   *values)
{
  BalisePresetForm *self;

  g_return_val_if_fail (BALISE_IS_PRESET (preset), NULL);

  /* The answers must be in place while the rows are built in constructed(). */
  self = g_object_new (BALISE_TYPE_PRESET_FORM, "preset", preset, NULL);

  if (values != NULL)
    {
      self->loading = TRUE;
      for (guint i = 0; i < self->rows->len; i++)
        {
          FieldRow *row = &g_array_index (self->rows, FieldRow, i);

          row_set_value (row, g_hash_table_lookup (values, balise_preset_field_get_key (row->field)));
        }
      self->loading = FALSE;
    }

  return GTK_WIDGET (self);
}

BalisePreset *
balise_preset_form_get_preset (BalisePresetForm *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FORM (self), NULL);

  return self->preset;
}

/**
 * balise_preset_form_get_values:
 * @self: a #BalisePresetForm
 *
 * Returns: (transfer full) (element-type utf8 utf8): the answers as they
 *   are now, by field key; unanswered fields are left out
 */
GHashTable *
balise_preset_form_get_values (BalisePresetForm *self)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_val_if_fail (BALISE_IS_PRESET_FORM (self), values);

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = &g_array_index (self->rows, FieldRow, i);
      char *value = row_get_value (row);

      if (value != NULL)
        g_hash_table_insert (values, g_strdup (balise_preset_field_get_key (row->field)), value);
    }

  return values;
}

/**
 * balise_preset_form_check:
 * @self: a #BalisePresetForm
 * @error: where to put what is wrong with the first wrong answer
 *
 * Checks every answer and shows what is wrong under each field.
 *
 * Returns: %TRUE when every answer is right
 */
gboolean
balise_preset_form_check (BalisePresetForm  *self,
                          GError           **error)
{
  GError *first = NULL;

  g_return_val_if_fail (BALISE_IS_PRESET_FORM (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *row = &g_array_index (self->rows, FieldRow, i);
      g_autofree char *value = row_get_value (row);
      g_autofree char *normalized = NULL;
      g_autoptr(GError) local_error = NULL;

      normalized = balise_preset_field_normalize (row->field, value, &local_error);
      row_show_error (row, local_error ? local_error->message : NULL);

      if (local_error != NULL && first == NULL)
        first = g_steal_pointer (&local_error);
    }

  if (first != NULL)
    {
      g_propagate_error (error, first);
      return FALSE;
    }

  return TRUE;
}

/* Returns: (transfer none) (nullable): the row that asks @key */
GtkWidget *
balise_preset_form_get_field_widget (BalisePresetForm *self,
                                     const char       *key)
{
  FieldRow *row;

  g_return_val_if_fail (BALISE_IS_PRESET_FORM (self), NULL);

  row = find_row (self, key);
  return row ? row->row : NULL;
}

/* Returns: (transfer none) (nullable): the label that says what is wrong with @key */
GtkWidget *
balise_preset_form_get_error_label (BalisePresetForm *self,
                                    const char       *key)
{
  FieldRow *row;

  g_return_val_if_fail (BALISE_IS_PRESET_FORM (self), NULL);

  row = find_row (self, key);
  return row ? GTK_WIDGET (row->error_label) : NULL;
}

/**
 * balise_preset_form_get_option_button:
 * @self: a #BalisePresetForm
 * @key: a field
 * @value: (nullable): one of its answers: %NULL for "Unknown", "today" for
 *   the Today button of a date
 *
 * Returns: (transfer none) (nullable): the button that gives that answer
 */
GtkWidget *
balise_preset_form_get_option_button (BalisePresetForm *self,
                                      const char       *key,
                                      const char       *value)
{
  FieldRow *row;

  g_return_val_if_fail (BALISE_IS_PRESET_FORM (self), NULL);

  if (!(row = find_row (self, key)))
    return NULL;

  if (BALISE_IS_CHOICE_ROW (row->row))
    return balise_choice_row_get_button (BALISE_CHOICE_ROW (row->row), value);

  if (row->today_button != NULL && g_strcmp0 (value, "today") == 0)
    return row->today_button;

  for (guint i = 0; row->check_buttons != NULL && i < row->check_buttons->len; i++)
    {
      GtkWidget *check = g_ptr_array_index (row->check_buttons, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (check), OPTION_VALUE_KEY), value) == 0)
        return check;
    }

  return NULL;
}

/**
 * balise_preset_form_set_extra:
 * @title: the heading of the section
 * @child: what the section holds (the record's photos)
 *
 * Adds a section after the fields, before "Discard This Record": below the
 * questions, never pushing them off a phone's first screen.
 */
void
balise_preset_form_set_extra (BalisePresetForm *self,
                              const char       *title,
                              GtkWidget        *child)
{
  g_return_if_fail (BALISE_IS_PRESET_FORM (self));
  g_return_if_fail (GTK_IS_WIDGET (child));

  adw_preferences_group_set_title (self->extra_group, title);
  adw_preferences_group_add (self->extra_group, child);
  gtk_widget_set_visible (GTK_WIDGET (self->extra_group), TRUE);
}

GtkWidget *
balise_preset_form_get_page (BalisePresetForm *self)
{
  g_return_val_if_fail (BALISE_IS_PRESET_FORM (self), NULL);

  return GTK_WIDGET (self->page);
}

void
balise_preset_form_set_can_discard (BalisePresetForm *self,
                                    gboolean          can_discard)
{
  g_return_if_fail (BALISE_IS_PRESET_FORM (self));

  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->discard_button)), can_discard);
}
