/* balise-feature-panel.c: the selected feature, and what can be done to it
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-feature-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-feature-panel.h"
#include "balise-photo-strip.h"

/* What a volunteer needs to decide at a glance: what it is, whether it has
 * a change waiting, when someone last saw it as it is, and its main tags,
 * named as the form names them. Its buttons activate the window's
 * "feature." actions; the window places the panel, a bottom sheet on a
 * phone and a card beside the map on a desktop (balise-window-feature.c). */

/* Tags that say what the feature is, not about it: shown as its category. */
static const char * const identity_keys[] = {
  "highway", "public_transport", "bus", "amenity", "emergency", "leisure", "shop",
  "tourism", "social_facility", "recycling_type", NULL
};

struct _BaliseFeaturePanel
{
  GtkWidget              parent_instance;

  /* Template widgets */
  GtkWidget             *box;
  GtkLabel              *title_label;
  GtkLabel              *category_label;
  GtkLabel              *status_label;
  GtkLabel              *freshness_label;
  GtkListBox            *tags_list;
  AdwBin                *photo_bin;
  GtkButton             *close_button;
  GtkButton             *confirm_button;
  GtkButton             *edit_button;
  GtkButton             *move_button;
  GtkButton             *edit_tags_button;
  GtkButton             *report_button;
  GtkButton             *delete_button;

  /* Borrowed references */
  BalisePhotoStrip      *photo_strip;

  /* Owned references */
  BalisePresetCatalogue *catalogue;
  BaliseFeature         *feature;

  gboolean               narrow;
};

G_DEFINE_FINAL_TYPE (BaliseFeaturePanel, balise_feature_panel, GTK_TYPE_WIDGET)

static const char *
status_text (BaliseFeatureStatus status)
{
  switch (status)
    {
    case BALISE_FEATURE_NEW:
      /* Translators: the edit status of a feature, in a small pill */
      return C_("feature status", "New");
    case BALISE_FEATURE_MODIFIED:
      return C_("feature status", "Modified");
    case BALISE_FEATURE_DELETED:
      return C_("feature status", "Deleted");
    case BALISE_FEATURE_CONFLICT:
      return C_("feature status", "Conflict");
    case BALISE_FEATURE_UPLOADED:
      return C_("feature status", "Uploaded");
    case BALISE_FEATURE_CLEAN:
    default:
      return C_("feature status", "Unchanged");
    }
}

/* "bus_stop" → "Bus stop", for a feature no preset matches. */
static char *
category_label (const char *category)
{
  g_autofree char *spaced = NULL;
  g_autofree char *first = NULL;

  if (category == NULL || *category == '\0')
    return g_strdup (_("Feature"));

  spaced = g_strdelimit (g_strdup (category), "_", ' ');
  first = g_utf8_strup (spaced, g_utf8_next_char (spaced) - spaced);
  return g_strconcat (first, g_utf8_next_char (spaced), NULL);
}

static gboolean
parse_check_date (const char *value,
                  GDate      *date)
{
  guint year = 0, month = 0, day = 1;
  int n;

  if (value == NULL)
    return FALSE;

  /* OSM's check_date is YYYY-MM-DD, sometimes YYYY-MM. */
  n = sscanf (value, "%4u-%2u-%2u", &year, &month, &day);
  if (n < 2 || !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/**
 * balise_feature_panel_describe_check_date:
 * @check_date: (nullable): the value of check_date
 * @today: the day to count from
 *
 * Returns: (transfer full): how fresh the feature's data is, in words
 */
char *
balise_feature_panel_describe_check_date (const char *check_date,
                                          GDate      *today)
{
  GDate date;
  int days;
  int months;

  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  if (check_date == NULL)
    return g_strdup (_("Never confirmed"));

  if (!parse_check_date (check_date, &date))
    /* Translators: %s is a check_date value Balise cannot read */
    return g_strdup_printf (_("Confirmed on “%s”"), check_date);

  days = g_date_days_between (&date, today);
  if (days < 0)
    /* Translators: %s is a date in the future, as written in the data */
    return g_strdup_printf (_("Confirmed on %s, a date to come"), check_date);
  if (days == 0)
    return g_strdup (_("Confirmed today"));
  if (days == 1)
    return g_strdup (_("Confirmed yesterday"));
  if (days < 31)
    return g_strdup_printf (ngettext ("Confirmed %d day ago", "Confirmed %d days ago", days), days);

  months = (g_date_get_year (today) - g_date_get_year (&date)) * 12 +
           (int) g_date_get_month (today) - (int) g_date_get_month (&date);
  if (g_date_get_day (today) < g_date_get_day (&date))
    months--;
  months = MAX (months, 1);
  if (months < 24)
    return g_strdup_printf (ngettext ("Confirmed %d month ago", "Confirmed %d months ago", months),
                            months);

  return g_strdup_printf (ngettext ("Confirmed %d year ago", "Confirmed %d years ago", months / 12),
                          months / 12);
}

static void
add_row (BaliseFeaturePanel *self,
         const char         *title,
         const char         *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "property");
  gtk_list_box_append (self->tags_list, row);
}

static void
clear_rows (BaliseFeaturePanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_list))))
    gtk_list_box_remove (self->tags_list, child);
}

static gboolean
is_identity_key (const char *key)
{
  return g_strv_contains (identity_keys, key) || g_str_equal (key, "check_date");
}

/* The preset's fields that have a value, labelled as the form labels them;
 * without a preset, the tags as they are. */
static void
fill_rows (BaliseFeaturePanel *self,
           BalisePreset       *preset)
{
  BaliseTags *tags = self->feature->tags;
  guint n_rows = 0;

  clear_rows (self);
  if (tags == NULL)
    return;

  if (preset != NULL)
    {
      for (guint i = 0; i < balise_preset_get_n_fields (preset); i++)
        {
          BalisePresetField *field = balise_preset_get_field (preset, i);
          const char *key = balise_preset_field_get_key (field);
          const char *value;
          const char *label;

          if (balise_preset_field_is_prefix (field) || is_identity_key (key) ||
              (value = balise_tags_lookup (tags, key)) == NULL)
            continue;

          label = balise_preset_field_lookup_option_label (field, value);
          add_row (self, balise_preset_field_get_label (field), label ? label : value);
          n_rows++;
        }
    }
  else
    {
      for (guint i = 0; i < balise_tags_get_size (tags); i++)
        {
          const char *key = balise_tags_get_key (tags, i);

          if (is_identity_key (key))
            continue;
          add_row (self, key, balise_tags_get_value (tags, i));
          n_rows++;
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->tags_list), n_rows > 0);
}

static void
balise_feature_panel_update (BaliseFeaturePanel *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *category = NULL;
  g_autofree char *freshness = NULL;
  BalisePreset *preset = NULL;
  const char *check_date = NULL;
  GDate today;
  static const char * const status_classes[] = {
    "clean", "new", "modified", "deleted", "conflict", "uploaded"
  };

  g_assert (BALISE_IS_FEATURE_PANEL (self));

  if (self->feature == NULL)
    return;

  if (self->catalogue != NULL && self->feature->tags != NULL)
    preset = balise_preset_catalogue_match_element (self->catalogue, self->feature->tags);

  category = preset ? g_strdup (balise_preset_get_name (preset))
                    : category_label (self->feature->category);
  gtk_label_set_label (self->title_label,
                       self->feature->name && *self->feature->name ? self->feature->name : category);
  gtk_label_set_label (self->category_label, category);

  gtk_label_set_label (self->status_label, status_text (self->feature->status));
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), status_classes[i]);
  if ((guint) self->feature->status < G_N_ELEMENTS (status_classes))
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label),
                              status_classes[self->feature->status]);

  now = g_date_time_new_now_local ();
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  if (self->feature->tags != NULL)
    check_date = balise_tags_lookup (self->feature->tags, "check_date");
  freshness = balise_feature_panel_describe_check_date (check_date, &today);
  gtk_label_set_label (self->freshness_label, freshness);

  fill_rows (self, preset);

  /* The photos taken with its latest edit, if any. */
  if (self->photo_strip != NULL)
    balise_photo_strip_set_target (self->photo_strip, self->feature->edit_uuid, NULL);

  /* A deleted feature waits for its upload or an undo; a new point has no
   * version on the server to confirm. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_button),
                            self->feature->status != BALISE_FEATURE_DELETED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->edit_button),
                            self->feature->status != BALISE_FEATURE_DELETED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->move_button),
                            self->feature->status != BALISE_FEATURE_DELETED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->edit_tags_button),
                            self->feature->status != BALISE_FEATURE_DELETED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delete_button),
                            self->feature->status != BALISE_FEATURE_DELETED);
}

static void
balise_feature_panel_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  BaliseFeaturePanel *self = BALISE_FEATURE_PANEL (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
balise_feature_panel_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  BaliseFeaturePanel *self = BALISE_FEATURE_PANEL (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
}

static void
balise_feature_panel_dispose (GObject *object)
{
  BaliseFeaturePanel *self = (BaliseFeaturePanel *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BALISE_TYPE_FEATURE_PANEL);
  g_clear_object (&self->catalogue);

  G_OBJECT_CLASS (balise_feature_panel_parent_class)->dispose (object);
}

static void
balise_feature_panel_finalize (GObject *object)
{
  BaliseFeaturePanel *self = (BaliseFeaturePanel *)object;

  g_clear_pointer (&self->feature, balise_feature_unref);

  G_OBJECT_CLASS (balise_feature_panel_parent_class)->finalize (object);
}

static void
balise_feature_panel_class_init (BaliseFeaturePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_feature_panel_dispose;
  object_class->finalize = balise_feature_panel_finalize;

  widget_class->measure = balise_feature_panel_measure;
  widget_class->size_allocate = balise_feature_panel_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-feature-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, box);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, category_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, freshness_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, tags_list);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, photo_bin);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, close_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, edit_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, move_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, edit_tags_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, report_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseFeaturePanel, delete_button);

  gtk_widget_class_set_css_name (widget_class, "featurepanel");
}

static void
balise_feature_panel_init (BaliseFeaturePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  balise_feature_panel_set_narrow (self, FALSE);
}

static void
n_photos_changed_cb (BaliseFeaturePanel *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->photo_bin),
                          balise_photo_strip_get_n_photos (self->photo_strip) > 0);
}

/**
 * balise_feature_panel_new:
 * @store: where the photos of the features' edits are
 *
 * Returns: (transfer full): a new panel
 */
GtkWidget *
balise_feature_panel_new (BaliseStore *store)
{
  BaliseFeaturePanel *self;
  GtkWidget *strip;

  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);

  self = g_object_new (BALISE_TYPE_FEATURE_PANEL, NULL);
  strip = balise_photo_strip_new (store);
  self->photo_strip = BALISE_PHOTO_STRIP (strip);
  balise_photo_strip_set_editable (self->photo_strip, FALSE);
  adw_bin_set_child (self->photo_bin, strip);
  g_signal_connect_object (strip, "notify::n-photos", G_CALLBACK (n_photos_changed_cb), self,
                           G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

void
balise_feature_panel_set_catalogue (BaliseFeaturePanel    *self,
                                    BalisePresetCatalogue *catalogue)
{
  g_return_if_fail (BALISE_IS_FEATURE_PANEL (self));
  g_return_if_fail (!catalogue || BALISE_IS_PRESET_CATALOGUE (catalogue));

  if (g_set_object (&self->catalogue, catalogue))
    balise_feature_panel_update (self);
}

/**
 * balise_feature_panel_set_feature:
 * @self: a #BaliseFeaturePanel
 * @feature: (nullable): the feature to show, its effective state
 */
void
balise_feature_panel_set_feature (BaliseFeaturePanel *self,
                                  BaliseFeature      *feature)
{
  g_return_if_fail (BALISE_IS_FEATURE_PANEL (self));

  if (feature == self->feature)
    return;

  g_clear_pointer (&self->feature, balise_feature_unref);
  if (feature != NULL)
    self->feature = balise_feature_ref (feature);
  balise_feature_panel_update (self);
}

/* Returns: (transfer none) (nullable): the feature shown */
BaliseFeature *
balise_feature_panel_get_feature (BaliseFeaturePanel *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_PANEL (self), NULL);

  return self->feature;
}

/* A sheet along the bottom of a phone's screen, or a card beside the map. */
void
balise_feature_panel_set_narrow (BaliseFeaturePanel *self,
                                 gboolean            narrow)
{
  g_return_if_fail (BALISE_IS_FEATURE_PANEL (self));

  self->narrow = !!narrow;
  if (self->narrow)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "bottom-sheet");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "side-card");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "side-card");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "bottom-sheet");
    }
}

gboolean
balise_feature_panel_get_narrow (BaliseFeaturePanel *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_PANEL (self), FALSE);

  return self->narrow;
}

const char *
balise_feature_panel_get_title (BaliseFeaturePanel *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_PANEL (self), NULL);

  return gtk_label_get_label (self->title_label);
}

const char *
balise_feature_panel_get_status_text (BaliseFeaturePanel *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_PANEL (self), NULL);

  return gtk_label_get_label (self->status_label);
}

const char *
balise_feature_panel_get_freshness (BaliseFeaturePanel *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_PANEL (self), NULL);

  return gtk_label_get_label (self->freshness_label);
}

/**
 * balise_feature_panel_get_button:
 * @self: a #BaliseFeaturePanel
 * @name: "close", "confirm", "edit", "move", "edit-tags", "report" or "delete"
 *
 * Returns: (transfer none) (nullable): that button, for tests
 */
GtkWidget *
balise_feature_panel_get_button (BaliseFeaturePanel *self,
                                 const char         *name)
{
  const struct { const char *name; GtkButton *button; } buttons[] = {
    { "close", self->close_button }, { "confirm", self->confirm_button },
    { "edit", self->edit_button }, { "move", self->move_button },
    { "edit-tags", self->edit_tags_button }, { "report", self->report_button },
    { "delete", self->delete_button },
  };

  g_return_val_if_fail (BALISE_IS_FEATURE_PANEL (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    if (g_strcmp0 (name, buttons[i].name) == 0)
      return GTK_WIDGET (buttons[i].button);

  return NULL;
}

/* Returns: (transfer none): the strip of the photos of the latest edit */
GtkWidget *
balise_feature_panel_get_photo_strip (BaliseFeaturePanel *self)
{
  g_return_val_if_fail (BALISE_IS_FEATURE_PANEL (self), NULL);

  return GTK_WIDGET (self->photo_strip);
}
