/* balise-feature-editor.c: the preset form of a feature that is on the map
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-feature-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-feature-editor.h"
#include "balise-preset-form.h"
#include "balise-store-journal.h"

/* The answers become one change of the element: the tags they set and the
 * tags they clear, over its effective tags, with the server's base version
 * (balise_store_change_element). Tags the form does not show are not
 * touched. As with a new record, closing the window files the answers —
 * nothing the volunteer typed is lost to a stray Escape — and Cancel is
 * the one way to drop them. */

struct _BaliseFeatureEditor
{
  AdwWindow         parent_instance;

  /* Template widgets */
  AdwWindowTitle   *window_title;
  GtkButton        *save_button;
  GtkRevealer      *error_revealer;
  GtkLabel         *error_label;
  AdwBin           *form_bin;

  /* Borrowed references */
  BalisePresetForm *form;

  /* Owned references */
  BaliseStore      *store;
  BalisePreset     *preset;
  BaliseFeature    *feature;
  char             *contributor;

  guint             saving : 1;
  guint             finished : 1;
};

G_DEFINE_FINAL_TYPE (BaliseFeatureEditor, balise_feature_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (BaliseFeatureEditor *self,
            const char          *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
finish (BaliseFeatureEditor *self,
        BaliseEdit          *edit)
{
  self->finished = TRUE;
  if (edit != NULL)
    g_signal_emit (self, signals[SAVED], 0, edit);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* What the answers change: the keys they set to a new value and the keys
 * they clear. NULL with @error when an answer is wrong. */
static BaliseChange *
build_change (BaliseFeatureEditor  *self,
              GError              **error)
{
  g_autoptr(GHashTable) values = balise_preset_form_get_values (self->form);
  g_autoptr(BaliseTags) before = balise_tags_copy (self->feature->tags);
  g_autoptr(BaliseTags) after = balise_tags_copy (self->feature->tags);
  g_autoptr(BaliseChange) change = NULL;
  g_autoptr(GStrvBuilder) removed = g_strv_builder_new ();

  if (!balise_preset_form_check (self->form, error) ||
      !balise_preset_apply_values (self->preset, after, values, error))
    return NULL;

  if (balise_tags_equal (before, after))
    return NULL;

  change = balise_change_new (BALISE_CHANGE_TAGS, self->feature->osm_type,
                              self->feature->osm_id, self->contributor);
  change->preset = g_strdup (balise_preset_get_id (self->preset));
  change->tags = balise_tags_new ();

  for (guint i = 0; i < balise_tags_get_size (after); i++)
    {
      const char *key = balise_tags_get_key (after, i);
      const char *value = balise_tags_get_value (after, i);

      if (g_strcmp0 (balise_tags_lookup (before, key), value) != 0)
        balise_tags_set (change->tags, key, value);
    }
  for (guint i = 0; i < balise_tags_get_size (before); i++)
    {
      const char *key = balise_tags_get_key (before, i);

      if (balise_tags_lookup (after, key) == NULL)
        g_strv_builder_add (removed, key);
    }
  change->remove_keys = g_strv_builder_end (removed);

  return g_steal_pointer (&change);
}

static void
changed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BaliseFeatureEditor) self = user_data;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->form_bin), TRUE);

  if (!(edit = balise_store_change_element_finish (BALISE_STORE (object), result, &error)))
    {
      g_autofree char *message = NULL;

      g_warning ("Could not save the change: %s", error->message);
      /* Translators: %s is the reason, from the database */
      message = g_strdup_printf (_("The change could not be saved: %s"), error->message);
      show_error (self, message);
      return;
    }

  finish (self, edit);
}

/**
 * balise_feature_editor_save:
 * @self: a #BaliseFeatureEditor
 *
 * Records the answers, as Save does; the window closes once they are in
 * the journal, or at once when they change nothing. A wrong answer keeps
 * it open, said under its field.
 */
void
balise_feature_editor_save (BaliseFeatureEditor *self)
{
  g_autoptr(BaliseChange) change = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BALISE_IS_FEATURE_EDITOR (self));

  if (self->saving || self->finished)
    return;

  if (!(change = build_change (self, &error)))
    {
      if (error != NULL)
        show_error (self, error->message);
      else
        finish (self, NULL);
      return;
    }

  show_error (self, NULL);
  self->saving = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->form_bin), FALSE);
  balise_store_change_element_async (self->store, change, NULL, changed_cb, g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  balise_feature_editor_save (BALISE_FEATURE_EDITOR (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  BaliseFeatureEditor *self = BALISE_FEATURE_EDITOR (widget);

  if (!self->saving)
    finish (self, NULL);
}

static gboolean
balise_feature_editor_close_request (GtkWindow *window)
{
  BaliseFeatureEditor *self = BALISE_FEATURE_EDITOR (window);

  if (self->finished)
    return GTK_WINDOW_CLASS (balise_feature_editor_parent_class)->close_request (window);

  /* Closing files the answers; the window goes once they are saved. */
  balise_feature_editor_save (self);
  return TRUE;
}

static void
balise_feature_editor_dispose (GObject *object)
{
  BaliseFeatureEditor *self = (BaliseFeatureEditor *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->preset);

  G_OBJECT_CLASS (balise_feature_editor_parent_class)->dispose (object);
}

static void
balise_feature_editor_finalize (GObject *object)
{
  BaliseFeatureEditor *self = (BaliseFeatureEditor *)object;

  g_clear_pointer (&self->feature, balise_feature_unref);
  g_clear_pointer (&self->contributor, g_free);

  G_OBJECT_CLASS (balise_feature_editor_parent_class)->finalize (object);
}

static void
balise_feature_editor_class_init (BaliseFeatureEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = balise_feature_editor_dispose;
  object_class->finalize = balise_feature_editor_finalize;
  window_class->close_request = balise_feature_editor_close_request;

  /**
   * BaliseFeatureEditor::saved:
   * @self: the editor
   * @edit: the edit recorded
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, BALISE_TYPE_EDIT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-feature-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseFeatureEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeatureEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeatureEditor, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeatureEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeatureEditor, form_bin);

  gtk_widget_class_install_action (widget_class, "feature-editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "feature-editor.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "feature-editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
balise_feature_editor_init (BaliseFeatureEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * balise_feature_editor_new:
 * @parent: the window the editor is modal for
 * @store: where the change goes
 * @preset: the preset whose form edits the feature
 * @feature: the feature, with its effective tags
 * @contributor: who makes the change
 *
 * Returns: (transfer none): a new editor, owned by GTK's list of toplevels
 */
GtkWidget *
balise_feature_editor_new (GtkWindow     *parent,
                           BaliseStore   *store,
                           BalisePreset  *preset,
                           BaliseFeature *feature,
                           const char    *contributor)
{
  g_autoptr(GHashTable) values = NULL;
  BaliseFeatureEditor *self;
  GtkWidget *form;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);
  g_return_val_if_fail (BALISE_IS_PRESET (preset), NULL);
  g_return_val_if_fail (feature != NULL && feature->tags != NULL, NULL);
  g_return_val_if_fail (contributor != NULL, NULL);

  self = g_object_new (BALISE_TYPE_FEATURE_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->preset = g_object_ref (preset);
  self->feature = balise_feature_ref (feature);
  self->contributor = g_strdup (contributor);

  values = balise_preset_values_from_tags (preset, feature->tags);
  form = balise_preset_form_new (preset, values);
  self->form = BALISE_PRESET_FORM (form);
  balise_preset_form_set_can_discard (self->form, FALSE);
  adw_bin_set_child (self->form_bin, form);

  adw_window_title_set_title (self->window_title, balise_preset_get_name (preset));
  adw_window_title_set_subtitle (self->window_title,
                                 feature->name ? feature->name : _("Editing what is on the map"));
  gtk_window_set_title (GTK_WINDOW (self), balise_preset_get_name (preset));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));

  return GTK_WIDGET (self);
}

/* Returns: (transfer none): the form */
BalisePresetForm *
balise_feature_editor_get_form (BaliseFeatureEditor *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_EDITOR (self), NULL);

  return self->form;
}

gboolean
balise_feature_editor_is_busy (BaliseFeatureEditor *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_EDITOR (self), FALSE);

  return self->saving;
}

GtkWidget *
balise_feature_editor_get_error_label (BaliseFeatureEditor *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_EDITOR (self), NULL);

  return GTK_WIDGET (self->error_label);
}
