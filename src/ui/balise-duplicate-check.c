/* balise-duplicate-check.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-duplicate-check"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-category.h"
#include "balise-duplicate-check.h"

/* Two checks keep a volunteer from recording twice what is already there.
 * When a preset is chosen: the same kind of feature within a few steps
 * (balise_duplicate_check_find_same_kind(), asked on the dialog's
 * "Already Recorded?" page). While the form is filled in: a feature near
 * with the name or ref typed, said on a card over the form, which offers to
 * edit that one instead ("edit-instead"). */

struct _BaliseDuplicateCheck
{
  GtkWidget      parent_instance;

  /* Template widgets */
  GtkRevealer   *revealer;
  GtkLabel      *label;
  GtkButton     *button;

  /* Owned references */
  BaliseStore   *store;
  BaliseFeature *found;

  double         latitude;
  double         longitude;
};

G_DEFINE_FINAL_TYPE (BaliseDuplicateCheck, balise_duplicate_check, GTK_TYPE_WIDGET)

enum {
  EDIT_INSTEAD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

BaliseFeature *
balise_duplicate_check_find_same_kind (BaliseStore   *store,
                                       double         latitude,
                                       double         longitude,
                                       BalisePreset  *preset,
                                       GError       **error)
{
  g_autoptr(GPtrArray) near = NULL;
  const char *category;

  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);
  g_return_val_if_fail (BALISE_IS_PRESET (preset), NULL);

  if (balise_preset_get_kind (preset) != BALISE_PRESET_ELEMENT ||
      !(category = balise_osm_category_for_tags (balise_preset_get_tags (preset))))
    return NULL;

  near = balise_store_query_near (store, latitude, longitude, BALISE_DUPLICATE_RADIUS_M, category, error);
  if (near == NULL || near->len == 0)
    return NULL;

  return balise_feature_ref (g_ptr_array_index (near, 0));
}

static void
balise_duplicate_check_button_clicked_cb (BaliseDuplicateCheck *self)
{
  g_assert (BALISE_IS_DUPLICATE_CHECK (self));

  if (self->found != NULL)
    g_signal_emit (self, signals[EDIT_INSTEAD], 0);
}

static void
balise_duplicate_check_dispose (GObject *object)
{
  BaliseDuplicateCheck *self = (BaliseDuplicateCheck *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BALISE_TYPE_DUPLICATE_CHECK);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (balise_duplicate_check_parent_class)->dispose (object);
}

static void
balise_duplicate_check_finalize (GObject *object)
{
  BaliseDuplicateCheck *self = (BaliseDuplicateCheck *)object;

  g_clear_pointer (&self->found, balise_feature_unref);

  G_OBJECT_CLASS (balise_duplicate_check_parent_class)->finalize (object);
}

static void
balise_duplicate_check_class_init (BaliseDuplicateCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_duplicate_check_dispose;
  object_class->finalize = balise_duplicate_check_finalize;

  /**
   * BaliseDuplicateCheck::edit-instead:
   * @self: a #BaliseDuplicateCheck
   *
   * Emitted when the volunteer chose to edit the feature found
   * (balise_duplicate_check_get_found()) rather than record a new one.
   */
  signals[EDIT_INSTEAD] =
    g_signal_new ("edit-instead",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-duplicate-check.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseDuplicateCheck, revealer);
  gtk_widget_class_bind_template_child (widget_class, BaliseDuplicateCheck, label);
  gtk_widget_class_bind_template_child (widget_class, BaliseDuplicateCheck, button);
  gtk_widget_class_bind_template_callback (widget_class, balise_duplicate_check_button_clicked_cb);
}

static void
balise_duplicate_check_init (BaliseDuplicateCheck *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
balise_duplicate_check_new (void)
{
  return g_object_new (BALISE_TYPE_DUPLICATE_CHECK, NULL);
}

void
balise_duplicate_check_set_place (BaliseDuplicateCheck *self,
                                  BaliseStore          *store,
                                  double                latitude,
                                  double                longitude)
{
  g_return_if_fail (BALISE_IS_DUPLICATE_CHECK (self));
  g_return_if_fail (BALISE_IS_STORE (store));

  g_set_object (&self->store, store);
  self->latitude = latitude;
  self->longitude = longitude;
}

/* The answer @key of @values, casefolded, or NULL when it is blank. */
static char *
folded_answer (GHashTable *values,
               const char *key)
{
  g_autofree char *value = g_strdup (g_hash_table_lookup (values, key));

  if (value == NULL || *g_strstrip (value) == '\0')
    return NULL;
  return g_utf8_casefold (value, -1);
}

static char *
folded_tag (BaliseFeature *feature,
            const char    *key)
{
  const char *value = feature->tags ? balise_tags_lookup (feature->tags, key) : NULL;

  return value ? g_utf8_casefold (value, -1) : NULL;
}

void
balise_duplicate_check_update (BaliseDuplicateCheck *self,
                               GHashTable           *values,
                               BaliseFeature        *editing)
{
  g_autoptr(GPtrArray) near = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *ref = NULL;
  BaliseFeature *found = NULL;
  const char *found_what = NULL;

  g_return_if_fail (BALISE_IS_DUPLICATE_CHECK (self));
  g_return_if_fail (values != NULL);
  g_return_if_fail (self->store != NULL);

  name = folded_answer (values, "name");
  ref = folded_answer (values, "ref");

  if (name != NULL || ref != NULL)
    near = balise_store_query_near (self->store, self->latitude, self->longitude,
                                    BALISE_DUPLICATE_RADIUS_M, NULL, &error);
  if (error != NULL)
    g_warning ("Could not look for duplicates: %s", error->message);

  for (guint i = 0; near != NULL && i < near->len && found == NULL; i++)
    {
      BaliseFeature *feature = g_ptr_array_index (near, i);
      g_autofree char *feature_name = folded_tag (feature, "name");
      g_autofree char *feature_ref = folded_tag (feature, "ref");

      /* Not the element the form edits. */
      if (editing != NULL && feature->osm_type == editing->osm_type && feature->osm_id == editing->osm_id)
        continue;

      if (name != NULL && g_strcmp0 (name, feature_name) == 0)
        found_what = balise_tags_lookup (feature->tags, "name");
      else if (ref != NULL && g_strcmp0 (ref, feature_ref) == 0)
        found_what = balise_tags_lookup (feature->tags, "ref");
      else
        continue;
      found = feature;
    }

  g_clear_pointer (&self->found, balise_feature_unref);

  if (found != NULL)
    {
      g_autofree char *text = NULL;

      self->found = balise_feature_ref (found);
      /* Translators: “%s” is a name or a code, %.0f a distance in metres */
      text = g_strdup_printf (_("“%s” is already on the map, %.0f m from here."), found_what, found->distance);
      gtk_label_set_label (self->label, text);
      /* A point recorded here and not uploaded yet has no version to edit. */
      gtk_widget_set_visible (GTK_WIDGET (self->button), found->osm_id > 0);
    }

  gtk_revealer_set_reveal_child (self->revealer, found != NULL);
}

void
balise_duplicate_check_clear (BaliseDuplicateCheck *self)
{
  g_return_if_fail (BALISE_IS_DUPLICATE_CHECK (self));

  g_clear_pointer (&self->found, balise_feature_unref);
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
}

BaliseFeature *
balise_duplicate_check_get_found (BaliseDuplicateCheck *self)
{
  g_return_val_if_fail (BALISE_IS_DUPLICATE_CHECK (self), NULL);

  return self->found;
}

GtkWidget *
balise_duplicate_check_get_label (BaliseDuplicateCheck *self)
{
  g_return_val_if_fail (BALISE_IS_DUPLICATE_CHECK (self), NULL);

  return GTK_WIDGET (self->label);
}

GtkWidget *
balise_duplicate_check_get_button (BaliseDuplicateCheck *self)
{
  g_return_val_if_fail (BALISE_IS_DUPLICATE_CHECK (self), NULL);

  return GTK_WIDGET (self->button);
}
