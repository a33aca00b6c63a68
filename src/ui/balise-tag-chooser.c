/* balise-tag-chooser.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-tag-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-tag-chooser.h"

/* The key of the position among the tag keys: a tag key cannot be empty. */
#define POSITION_KEY ""

struct _BaliseTagChooser
{
  AdwWindow             parent_instance;

  /* Template widgets */
  AdwPreferencesGroup  *tags_group;

  /* Owned references */
  char                 *uuid;
  GHashTable           *mine;   /* key → GtkCheckButton keeping mine */
  GHashTable           *theirs; /* key → GtkCheckButton keeping theirs */
};

G_DEFINE_FINAL_TYPE (BaliseTagChooser, balise_tag_chooser, ADW_TYPE_WINDOW)

enum {
  DECIDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
choice_button (const char *side,
               const char *value,
               GtkWidget  *group)
{
  g_autofree char *label = NULL;
  GtkWidget *button;

  /* Translators: one side of a conflicting tag, e.g. "Mine: 12" or "Theirs: (none)" */
  label = g_strdup_printf (_("%s: %s"), side, value ? value : _("(none)"));
  button = gtk_check_button_new_with_label (label);
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (button), GTK_CHECK_BUTTON (group));

  return button;
}

static void
add_choice (BaliseTagChooser *self,
            const char       *key,
            const char       *title,
            const char       *base,
            const char       *ours,
            const char       *theirs)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *mine_button;
  GtkWidget *theirs_button;
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* Translators: the value a conflicting tag had before both changes */
  subtitle = g_strdup_printf (_("Before: %s"), base ? base : _("(none)"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  mine_button = choice_button (_("Mine"), ours, NULL);
  theirs_button = choice_button (_("Theirs"), theirs, mine_button);
  /* The server's value is what the merge holds until someone decides. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (theirs_button), TRUE);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), mine_button);
  gtk_box_append (GTK_BOX (box), theirs_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);

  g_hash_table_insert (self->mine, g_strdup (key), mine_button);
  g_hash_table_insert (self->theirs, g_strdup (key), theirs_button);
  adw_preferences_group_add (self->tags_group, row);
}

static void
balise_tag_chooser_apply_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  BaliseTagChooser *self = BALISE_TAG_CHOOSER (widget);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) keep_mine = NULL;
  gboolean keep_my_position = FALSE;
  GHashTableIter iter;
  gpointer key, button;

  g_hash_table_iter_init (&iter, self->mine);
  while (g_hash_table_iter_next (&iter, &key, &button))
    {
      if (!gtk_check_button_get_active (button))
        continue;
      if (g_str_equal (key, POSITION_KEY))
        keep_my_position = TRUE;
      else
        g_strv_builder_add (builder, key);
    }

  keep_mine = g_strv_builder_end (builder);
  g_signal_emit (self, signals[DECIDED], 0, keep_mine, keep_my_position);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
balise_tag_chooser_finalize (GObject *object)
{
  BaliseTagChooser *self = (BaliseTagChooser *)object;

  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->mine, g_hash_table_unref);
  g_clear_pointer (&self->theirs, g_hash_table_unref);

  G_OBJECT_CLASS (balise_tag_chooser_parent_class)->finalize (object);
}

static void
balise_tag_chooser_class_init (BaliseTagChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = balise_tag_chooser_finalize;

  /**
   * BaliseTagChooser::decided:
   * @keep_mine: the keys where mine wins
   * @keep_my_position: whether my position wins
   */
  signals[DECIDED] = g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   G_TYPE_STRV, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-tag-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseTagChooser, tags_group);

  gtk_widget_class_install_action (widget_class, "tag-chooser.apply", NULL,
                                   balise_tag_chooser_apply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
balise_tag_chooser_init (BaliseTagChooser *self)
{
  self->mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->theirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
balise_tag_chooser_new (GtkWindow      *parent,
                        BaliseConflict *conflict)
{
  BaliseTagChooser *self;

  g_return_val_if_fail (conflict != NULL, NULL);
  g_return_val_if_fail (conflict->edit != NULL, NULL);

  self = g_object_new (BALISE_TYPE_TAG_CHOOSER, "transient-for", parent, NULL);
  self->uuid = g_strdup (conflict->edit->uuid);

  for (guint i = 0; conflict->tag_conflicts != NULL && i < conflict->tag_conflicts->len; i++)
    {
      BaliseTagConflict *tag = g_ptr_array_index (conflict->tag_conflicts, i);

      add_choice (self, tag->key, tag->key, tag->base, tag->ours, tag->theirs);
    }

  if (conflict->position_conflict)
    {
      g_autofree char *ours = g_strdup_printf ("%.6f, %.6f", conflict->edit->lat, conflict->edit->lon);
      g_autofree char *theirs = g_strdup_printf ("%.6f, %.6f", conflict->server_lat, conflict->server_lon);

      add_choice (self, POSITION_KEY, _("Position"), NULL, ours, theirs);
    }

  if (g_hash_table_size (self->mine) == 0)
    adw_preferences_group_set_description (self->tags_group,
                                           _("No tag was changed on both sides: Apply merges both changes."));

  return GTK_WIDGET (self);
}

const char *
balise_tag_chooser_get_uuid (BaliseTagChooser *self)
{
  g_return_val_if_fail (BALISE_IS_TAG_CHOOSER (self), NULL);

  return self->uuid;
}

GtkWidget *
balise_tag_chooser_get_choice (BaliseTagChooser *self,
                               const char       *key,
                               gboolean          mine)
{
  g_return_val_if_fail (BALISE_IS_TAG_CHOOSER (self), NULL);

  return g_hash_table_lookup (mine ? self->mine : self->theirs, key);
}
