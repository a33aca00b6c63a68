/* balise-tag-editor.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-tag-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-store-review.h"
#include "balise-tag-editor.h"

struct _BaliseTagEditor
{
  AdwWindow      parent_instance;

  /* Template widgets */
  GtkLabel      *intro_label;
  GtkTextView   *text_view;
  GtkLabel      *error_label;
  GtkButton     *save_button;

  /* Owned references */
  BaliseStore   *store;
  BaliseEdit    *edit;          /* in review */
  char          *reviewer;
  BaliseFeature *feature;       /* on the map */
  char          *contributor;

  gboolean       saving;
};

G_DEFINE_FINAL_TYPE (BaliseTagEditor, balise_tag_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

BaliseTags *
balise_tag_editor_parse (const char  *text,
                         GError     **error)
{
  g_autoptr(BaliseTags) tags = balise_tags_new ();
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      char *equals;

      if (line[0] == '\0')
        continue;

      equals = strchr (line, '=');
      if (equals == NULL || equals == line)
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                       _("Line %u is not key=value: “%s”"), i + 1, line);
          return NULL;
        }

      *equals = '\0';
      g_strchomp (line);
      if (balise_tags_lookup (tags, line) != NULL)
        {
          g_set_error (error, BALISE_STORE_ERROR, BALISE_STORE_ERROR_INVALID,
                       _("Line %u repeats the key “%s”"), i + 1, line);
          return NULL;
        }
      balise_tags_set (tags, line, g_strchug (equals + 1));
    }

  if (!balise_tags_validate (tags, error))
    return NULL;

  return g_steal_pointer (&tags);
}

static void
show_error (BaliseTagEditor *self,
            const char      *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
feature_changed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BaliseTagEditor) self = user_data;
  g_autoptr(BaliseEdit) changed = NULL;
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->text_view), TRUE);

  if (!(changed = balise_store_change_element_finish (BALISE_STORE (object), result, &error)))
    {
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, changed);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* On the map: the whole list replaces the feature's tags, unless it is
 * what the feature has already. */
static void
save_feature (BaliseTagEditor *self,
              BaliseTags      *tags)
{
  g_autoptr(BaliseChange) change = NULL;

  if (self->saving)
    return;

  if (balise_tags_equal (tags, self->feature->tags))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  change = balise_change_new (BALISE_CHANGE_REPLACE_TAGS, self->feature->osm_type,
                              self->feature->osm_id, self->contributor);
  change->tags = balise_tags_ref (tags);
  self->saving = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->text_view), FALSE);
  balise_store_change_element_async (self->store, change, NULL, feature_changed_cb,
                                     g_object_ref (self));
}

static void
balise_tag_editor_save_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  BaliseTagEditor *self = BALISE_TAG_EDITOR (widget);
  g_autoptr(BaliseTags) tags = NULL;
  g_autoptr(BaliseEdit) changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  BaliseChange *change;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  if (!(tags = balise_tag_editor_parse (text, &error)))
    {
      show_error (self, error->message);
      return;
    }

  if (self->feature != NULL)
    {
      save_feature (self, tags);
      return;
    }

  change = balise_change_new (BALISE_CHANGE_REPLACE_TAGS, self->edit->osm_type,
                              self->edit->osm_id, self->edit->contributor);
  change->tags = g_steal_pointer (&tags);
  change->preset = g_strdup (self->edit->preset);
  changed = balise_store_review_change (self->store, self->edit->uuid, change,
                                        self->reviewer, &error);
  balise_change_free (change);

  if (changed == NULL)
    {
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, changed);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
balise_tag_editor_finalize (GObject *object)
{
  BaliseTagEditor *self = (BaliseTagEditor *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->edit, balise_edit_unref);
  g_clear_pointer (&self->reviewer, g_free);
  g_clear_pointer (&self->feature, balise_feature_unref);
  g_clear_pointer (&self->contributor, g_free);

  G_OBJECT_CLASS (balise_tag_editor_parent_class)->finalize (object);
}

static void
balise_tag_editor_class_init (BaliseTagEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = balise_tag_editor_finalize;

  /**
   * BaliseTagEditor::saved:
   * @edit: the new edit, approved, credited to the volunteer and the reviewer
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, BALISE_TYPE_EDIT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-tag-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseTagEditor, intro_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseTagEditor, text_view);
  gtk_widget_class_bind_template_child (widget_class, BaliseTagEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseTagEditor, save_button);

  gtk_widget_class_install_action (widget_class, "tag-editor.save", NULL,
                                   balise_tag_editor_save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "tag-editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
balise_tag_editor_init (BaliseTagEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
balise_tag_editor_new (GtkWindow   *parent,
                       BaliseStore *store,
                       BaliseEdit  *edit,
                       const char  *reviewer)
{
  BaliseTagEditor *self;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *intro = NULL;
  BaliseTags *tags;

  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);
  g_return_val_if_fail (edit != NULL, NULL);
  g_return_val_if_fail (reviewer != NULL, NULL);

  self = g_object_new (BALISE_TYPE_TAG_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->edit = balise_edit_ref (edit);
  self->reviewer = g_strdup (reviewer);

  tags = edit->new_tags ? edit->new_tags : edit->base_tags;
  for (guint i = 0; tags != NULL && i < balise_tags_get_size (tags); i++)
    g_string_append_printf (text, "%s=%s\n", balise_tags_get_key (tags, i),
                            balise_tags_get_value (tags, i));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text->str, -1);

  /* Translators: above the raw tag editor of a volunteer's change */
  intro = g_strdup_printf (_("One key=value a line. Your change is approved and credited to %s and to you."),
                           edit->contributor && *edit->contributor ? edit->contributor : _("the volunteer"));
  gtk_label_set_label (self->intro_label, intro);

  return GTK_WIDGET (self);
}

static void
set_tags_text (BaliseTagEditor *self,
               BaliseTags      *tags)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; tags != NULL && i < balise_tags_get_size (tags); i++)
    g_string_append_printf (text, "%s=%s\n", balise_tags_get_key (tags, i),
                            balise_tags_get_value (tags, i));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text->str, -1);
}

/**
 * balise_tag_editor_new_for_feature:
 * @parent: (nullable): the window the editor is modal for
 * @store: where the change goes
 * @feature: the feature, with its effective tags
 * @contributor: who makes the change
 *
 * Returns: (transfer none): a new editor, owned by GTK's list of toplevels
 */
GtkWidget *
balise_tag_editor_new_for_feature (GtkWindow     *parent,
                                   BaliseStore   *store,
                                   BaliseFeature *feature,
                                   const char    *contributor)
{
  BaliseTagEditor *self;

  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);
  g_return_val_if_fail (feature != NULL, NULL);
  g_return_val_if_fail (contributor != NULL, NULL);

  self = g_object_new (BALISE_TYPE_TAG_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->feature = balise_feature_ref (feature);
  self->contributor = g_strdup (contributor);

  set_tags_text (self, feature->tags);
  gtk_label_set_label (self->intro_label,
                       _("One key=value a line, as OpenStreetMap has them. "
                         "Saving records the whole list as your change."));
  gtk_button_set_label (self->save_button, _("_Save"));

  return GTK_WIDGET (self);
}

void
balise_tag_editor_set_text (BaliseTagEditor *self,
                            const char      *text)
{
  g_return_if_fail (BALISE_IS_TAG_EDITOR (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
}
