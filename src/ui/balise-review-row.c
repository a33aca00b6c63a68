/* balise-review-row.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-review-row"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-photo-strip.h"
#include "balise-review-labels.h"
#include "balise-review-row.h"
#include "balise-store.h"
#include "balise-tags-diff.h"

struct _BaliseReviewRow
{
  AdwExpanderRow     parent_instance;

  /* Owned references */
  BaliseEdit        *edit;
  ShumateMapSource  *map_source;
  GHashTable        *buttons;       /* action name → GtkWidget */
  GPtrArray         *diff_labels;
  BaliseStore       *photo_store;

  /* Borrowed references */
  GtkCheckButton    *check;
  GtkWidget         *map_slot;
  GtkWidget         *server_box;
  GtkWidget         *photos_box;
  BalisePhotoStrip  *photo_strip;
};

G_DEFINE_FINAL_TYPE (BaliseReviewRow, balise_review_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
add_button (BaliseReviewRow *self,
            GtkWidget       *box,
            const char      *name,
            const char      *label,
            const char      *style)
{
  g_autofree char *action = g_strconcat ("review.", name, NULL);
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", self->edit->uuid);
  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  gtk_flow_box_insert (GTK_FLOW_BOX (box), button, -1);
  /* The flow box's own child need not take the focus: the button does. */
  gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
  g_hash_table_insert (self->buttons, g_strdup (name), button);

  return button;
}

static GtkWidget *
new_buttons_box (void)
{
  GtkWidget *box = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (box), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (box), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (box), 2);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (box), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (box), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (box), 6);

  return box;
}

static GtkWidget *
new_wrapped_label (const char *text,
                   const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);

  return label;
}

/* One line of a diff: a sign that reads without colour, the key and the
 * values, coloured by the kind of change. */
static GtkWidget *
diff_line (const BaliseTagChange *change)
{
  g_autofree char *markup = NULL;
  g_autofree char *key = g_markup_escape_text (change->key, -1);
  g_autofree char *old_value = change->old_value ? g_markup_escape_text (change->old_value, -1) : NULL;
  g_autofree char *new_value = change->new_value ? g_markup_escape_text (change->new_value, -1) : NULL;
  const char *style;
  const char *description;
  GtkWidget *label;

  switch (change->kind)
    {
    case BALISE_TAG_ADDED:
      /* Translators: a line of a tag diff: a key added, with its value */
      markup = g_strdup_printf (_("+ <b>%s</b> = %s"), key, new_value);
      style = "diff-added";
      description = _("Added");
      break;
    case BALISE_TAG_REMOVED:
      /* Translators: a line of a tag diff: a key removed, with its old value */
      markup = g_strdup_printf (_("− <b>%s</b> = <s>%s</s>"), key, old_value);
      style = "diff-removed";
      description = _("Removed");
      break;
    case BALISE_TAG_CHANGED:
    default:
      /* Translators: a line of a tag diff: a key whose value changed */
      markup = g_strdup_printf (_("~ <b>%s</b> = <s>%s</s> → %s"), key, old_value, new_value);
      style = "diff-changed";
      description = _("Changed");
      break;
    }

  label = new_wrapped_label (NULL, style);
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_tooltip_text (label, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  gtk_widget_add_css_class (label, "diff-line");

  return label;
}

static GtkWidget *
diff_box (BaliseTags *from,
          BaliseTags *to,
          GPtrArray  *labels)
{
  g_autoptr(GPtrArray) diff = balise_tags_diff (from, to);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  for (guint i = 0; i < diff->len; i++)
    {
      GtkWidget *line = diff_line (g_ptr_array_index (diff, i));

      gtk_box_append (GTK_BOX (box), line);
      if (labels != NULL)
        g_ptr_array_add (labels, g_object_ref (line));
    }

  if (diff->len == 0)
    gtk_box_append (GTK_BOX (box), new_wrapped_label (_("No tag changes"), "dim-label"));

  return box;
}

static void
add_map (BaliseReviewRow *self)
{
  ShumateMap *map;
  ShumateViewport *viewport;
  ShumateMapLayer *map_layer;
  ShumateMarkerLayer *marker_layer;
  ShumateMarker *marker;
  GtkWidget *pin;

  if (self->map_source == NULL || gtk_widget_get_first_child (self->map_slot) != NULL)
    return;

  map = shumate_map_new ();
  viewport = shumate_map_get_viewport (map);
  shumate_viewport_set_reference_map_source (viewport, self->map_source);
  shumate_viewport_set_zoom_level (viewport, 17);
  map_layer = shumate_map_layer_new (self->map_source, viewport);
  shumate_map_add_layer (map, SHUMATE_LAYER (map_layer));

  marker_layer = shumate_marker_layer_new (viewport);
  marker = shumate_marker_new ();
  pin = gtk_image_new_from_icon_name ("find-location-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (pin), 24);
  gtk_widget_add_css_class (pin, "review-pin");
  shumate_marker_set_child (marker, pin);
  shumate_location_set_location (SHUMATE_LOCATION (marker), self->edit->lat, self->edit->lon);
  shumate_marker_layer_add_marker (marker_layer, marker);
  shumate_map_add_layer (map, SHUMATE_LAYER (marker_layer));

  shumate_map_center_on (map, self->edit->lat, self->edit->lon);
  gtk_widget_set_size_request (GTK_WIDGET (map), -1, 160);
  gtk_widget_set_hexpand (GTK_WIDGET (map), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (map), "review-map");
  gtk_accessible_update_property (GTK_ACCESSIBLE (map),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Map of the change"),
                                  -1);
  gtk_box_append (GTK_BOX (self->map_slot), GTK_WIDGET (map));
}

static void
photo_count_changed_cb (BaliseReviewRow  *self,
                        GParamSpec       *pspec,
                        BalisePhotoStrip *strip)
{
  gtk_widget_set_visible (self->photos_box, balise_photo_strip_get_n_photos (strip) > 0);
}

/* The volunteer's photos, to look at: read once the row is opened. */
static void
add_photos (BaliseReviewRow *self)
{
  GtkWidget *strip;

  if (self->photo_store == NULL || self->photo_strip != NULL)
    return;

  strip = balise_photo_strip_new (self->photo_store);
  self->photo_strip = BALISE_PHOTO_STRIP (strip);
  balise_photo_strip_set_editable (self->photo_strip, FALSE);
  g_signal_connect_object (strip, "notify::n-photos", G_CALLBACK (photo_count_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->photos_box), strip);

  balise_photo_strip_set_target (self->photo_strip, self->edit->uuid, NULL);
}

static void
balise_review_row_expanded_cb (BaliseReviewRow *self)
{
  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)))
    {
      add_map (self);
      add_photos (self);
    }
}

static void
balise_review_row_check_toggled_cb (BaliseReviewRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static char *
describe_review (BaliseEdit *edit)
{
  g_autofree char *when = NULL;

  if (edit->reviewer == NULL)
    return NULL;
  if (edit->reviewed_at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (edit->reviewed_at);

      when = g_date_time_format (local, "%Y-%m-%d %H:%M");
    }

  if (edit->review_comment != NULL && *edit->review_comment != '\0')
    /* Translators: who reviewed an edit, when, and what they wrote */
    return g_strdup_printf (_("%s by %s on %s: “%s”"),
                            balise_edit_status_label (edit->status), edit->reviewer,
                            when ? when : "?", edit->review_comment);

  /* Translators: who reviewed an edit, and when */
  return g_strdup_printf (_("%s by %s on %s"),
                          balise_edit_status_label (edit->status), edit->reviewer,
                          when ? when : "?");
}

static void
build (BaliseReviewRow *self)
{
  BaliseEdit *edit = self->edit;
  g_autofree char *title = balise_edit_title (edit);
  g_autofree char *subtitle = NULL;
  g_autofree char *date = NULL;
  g_autofree char *check_label = NULL;
  g_autofree char *review = NULL;
  GtkWidget *status;
  GtkWidget *icon;
  GtkWidget *detail;
  GtkWidget *content;
  GtkWidget *buttons;
  GtkWidget *heading;

  if (edit->created_at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (edit->created_at);

      date = g_date_time_format (local, "%Y-%m-%d %H:%M");
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  /* Translators: under an edit in the review queue: what it does, who, when */
  subtitle = g_strdup_printf (_("%s · %s · %s"), balise_edit_kind_label (edit),
                              edit->contributor && *edit->contributor ? edit->contributor
                                                                      : _("Unknown contributor"),
                              date ? date : "");
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  /* Selection for the actions on many edits at once. */
  self->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->check), GTK_ALIGN_CENTER);
  /* Translators: the check box that selects an edit for bulk actions */
  check_label = g_strdup_printf (_("Select %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, check_label,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->check), _("Select"));
  g_signal_connect_object (self->check, "toggled",
                           G_CALLBACK (balise_review_row_check_toggled_cb),
                           self, G_CONNECT_SWAPPED);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->check));

  icon = gtk_image_new_from_icon_name (balise_edit_kind_icon_name (edit));
  gtk_widget_set_tooltip_text (icon, balise_edit_kind_label (edit));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, balise_edit_kind_label (edit),
                                  -1);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (self), icon);

  status = gtk_label_new (balise_edit_status_label (edit->status));
  gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (status, "status-pill");
  gtk_widget_add_css_class (status, balise_edit_status_to_string (edit->status));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), status);

  /* The detail, shown when the row is expanded. */
  detail = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (detail), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (detail), FALSE);
  gtk_widget_set_focusable (detail, FALSE);
  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (content, "review-detail");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (detail), content);

  self->map_slot = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (content), self->map_slot);

  if ((review = describe_review (edit)) != NULL)
    gtk_box_append (GTK_BOX (content), new_wrapped_label (review, "review-comment"));
  if (edit->reason != NULL && *edit->reason != '\0' && edit->status != BALISE_EDIT_STATUS_REJECTED)
    {
      /* Translators: the reason a volunteer gave, e.g. for removing a stop */
      g_autofree char *reason = g_strdup_printf (_("Reason: %s"), edit->reason);

      gtk_box_append (GTK_BOX (content), new_wrapped_label (reason, NULL));
    }
  if (edit->edited_by != NULL)
    {
      /* Translators: a reviewer who changed a volunteer's edit */
      g_autofree char *edited = g_strdup_printf (_("Changed in review by %s"), edit->edited_by);

      gtk_box_append (GTK_BOX (content), new_wrapped_label (edited, "dim-label"));
    }
  if (edit->error != NULL && *edit->error != '\0')
    gtk_box_append (GTK_BOX (content), new_wrapped_label (edit->error, "error"));

  heading = new_wrapped_label (_("Changes to the tags"), "heading");
  gtk_box_append (GTK_BOX (content), heading);
  gtk_box_append (GTK_BOX (content), diff_box (edit->base_tags, edit->new_tags, self->diff_labels));

  self->photos_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_visible (self->photos_box, FALSE);
  gtk_box_append (GTK_BOX (self->photos_box), new_wrapped_label (_("Photos"), "heading"));
  gtk_box_append (GTK_BOX (content), self->photos_box);

  self->server_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_append (GTK_BOX (content), self->server_box);

  if (edit->status == BALISE_EDIT_STATUS_CONFLICT)
    {
      gtk_box_append (GTK_BOX (content),
                      new_wrapped_label (_("The server’s version changed since this edit was made. "
                                           "Choose which version to keep."), NULL));
      buttons = new_buttons_box ();
      add_button (self, buttons, "keep-mine", _("Keep _Mine"), NULL);
      add_button (self, buttons, "keep-theirs", _("Keep _Theirs"), NULL);
      add_button (self, buttons, "choose-tags", _("_Choose per Tag…"), NULL);
      gtk_box_append (GTK_BOX (content), buttons);
    }

  buttons = new_buttons_box ();
  if (edit->status != BALISE_EDIT_STATUS_CONFLICT)
    add_button (self, buttons, "approve", _("_Approve"), "suggested-action");
  add_button (self, buttons, "reject", _("_Reject…"), "destructive-action");
  if (edit->status != BALISE_EDIT_STATUS_CONFLICT)
    add_button (self, buttons, "has-issues", _("_Has Issues…"), NULL);
  add_button (self, buttons, "edit", _("_Edit Tags…"), NULL);
  if (edit->osm_id > 0)
    add_button (self, buttons, "compare", _("Compare with _Server"), NULL);
  gtk_box_append (GTK_BOX (content), buttons);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), detail);

  g_signal_connect (self, "notify::expanded",
                    G_CALLBACK (balise_review_row_expanded_cb), NULL);
}

static void
balise_review_row_finalize (GObject *object)
{
  BaliseReviewRow *self = (BaliseReviewRow *)object;

  g_clear_pointer (&self->edit, balise_edit_unref);
  g_clear_object (&self->map_source);
  g_clear_object (&self->photo_store);
  g_clear_pointer (&self->buttons, g_hash_table_unref);
  g_clear_pointer (&self->diff_labels, g_ptr_array_unref);

  G_OBJECT_CLASS (balise_review_row_parent_class)->finalize (object);
}

static void
balise_review_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BaliseReviewRow *self = BALISE_REVIEW_ROW (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_boolean (value, balise_review_row_get_selected (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_review_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BaliseReviewRow *self = BALISE_REVIEW_ROW (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      balise_review_row_set_selected (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_review_row_class_init (BaliseReviewRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = balise_review_row_finalize;
  object_class->get_property = balise_review_row_get_property;
  object_class->set_property = balise_review_row_set_property;

  properties[PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
balise_review_row_init (BaliseReviewRow *self)
{
  self->buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->diff_labels = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * balise_review_row_new:
 * @map_source: (nullable): the basemap of the small map; none without it
 */
GtkWidget *
balise_review_row_new (BaliseEdit       *edit,
                       ShumateMapSource *map_source)
{
  BaliseReviewRow *self;

  g_return_val_if_fail (edit != NULL, NULL);
  g_return_val_if_fail (map_source == NULL || SHUMATE_IS_MAP_SOURCE (map_source), NULL);

  self = g_object_new (BALISE_TYPE_REVIEW_ROW, NULL);
  self->edit = balise_edit_ref (edit);
  g_set_object (&self->map_source, map_source);
  build (self);

  return GTK_WIDGET (self);
}

/**
 * balise_review_row_set_photo_store:
 * @store: where the edit's photos are read
 *
 * Shows the edit's photos (read-only) once the row is expanded.
 */
void
balise_review_row_set_photo_store (BaliseReviewRow *self,
                                   BaliseStore     *store)
{
  g_return_if_fail (BALISE_IS_REVIEW_ROW (self));
  g_return_if_fail (BALISE_IS_STORE (store));

  g_set_object (&self->photo_store, store);
  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)))
    add_photos (self);
}

/* Returns: (transfer none) (nullable): the photos, once the row was expanded */
BalisePhotoStrip *
balise_review_row_get_photo_strip (BaliseReviewRow *self)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_ROW (self), NULL);

  return self->photo_strip;
}

BaliseEdit *
balise_review_row_get_edit (BaliseReviewRow *self)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_ROW (self), NULL);

  return self->edit;
}

gboolean
balise_review_row_get_selected (BaliseReviewRow *self)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_ROW (self), FALSE);

  return self->check != NULL && gtk_check_button_get_active (self->check);
}

void
balise_review_row_set_selected (BaliseReviewRow *self,
                                gboolean         selected)
{
  g_return_if_fail (BALISE_IS_REVIEW_ROW (self));

  /* "toggled" notifies :selected */
  gtk_check_button_set_active (self->check, selected);
}

GtkWidget *
balise_review_row_get_button (BaliseReviewRow *self,
                              const char      *name)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_ROW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->buttons, name);
}

GPtrArray *
balise_review_row_get_diff_labels (BaliseReviewRow *self)
{
  g_return_val_if_fail (BALISE_IS_REVIEW_ROW (self), NULL);

  return self->diff_labels;
}

/**
 * balise_review_row_show_server:
 * @server_tags: (nullable): the tags of the server's current version
 * @error_message: (nullable): why it could not be read
 */
void
balise_review_row_show_server (BaliseReviewRow *self,
                               BaliseTags      *server_tags,
                               gint64           server_version,
                               gboolean         deleted,
                               const char      *error_message)
{
  GtkWidget *child;
  g_autofree char *heading = NULL;

  g_return_if_fail (BALISE_IS_REVIEW_ROW (self));

  while ((child = gtk_widget_get_first_child (self->server_box)))
    gtk_box_remove (GTK_BOX (self->server_box), child);

  if (error_message != NULL)
    {
      gtk_box_append (GTK_BOX (self->server_box), new_wrapped_label (error_message, "error"));
      return;
    }

  if (deleted)
    {
      gtk_box_append (GTK_BOX (self->server_box),
                      new_wrapped_label (_("It has been deleted on the server since."), "error"));
      return;
    }

  if (server_version == self->edit->base_version)
    /* Translators: the server's current version is the one the edit started from */
    heading = g_strdup_printf (_("The server still has version %" G_GINT64_FORMAT ", the one this edit started from. From it, this edit changes:"),
                               server_version);
  else
    /* Translators: the server's current version is newer than the edit's base */
    heading = g_strdup_printf (_("The server now has version %" G_GINT64_FORMAT " (this edit started from %" G_GINT64_FORMAT "). From it, this edit changes:"),
                               server_version, self->edit->base_version);

  gtk_box_append (GTK_BOX (self->server_box), new_wrapped_label (heading, "heading"));
  gtk_box_append (GTK_BOX (self->server_box), diff_box (server_tags, self->edit->new_tags, NULL));
}
