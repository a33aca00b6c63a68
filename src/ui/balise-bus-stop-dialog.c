/* balise-bus-stop-dialog.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-bus-stop-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-bus-stop-dialog.h"
#include "balise-choice-row.h"
#include "balise-edit.h"

struct _BaliseBusStopDialog
{
  AdwWindow        parent_instance;

  /* Template widgets */
  AdwWindowTitle  *window_title;
  GtkButton       *cancel_button;
  GtkButton       *save_button;
  GtkRevealer     *error_revealer;
  GtkLabel        *error_label;
  AdwEntryRow     *name_row;
  AdwEntryRow     *ref_row;
  BaliseChoiceRow *shelter_row;
  BaliseChoiceRow *bench_row;
  BaliseChoiceRow *wheelchair_row;

  /* Owned references */
  BaliseStore     *store;
  BaliseEdit      *saving_edit;
  char            *contributor;

  double           latitude;
  double           longitude;

  guint            saving : 1;
};

G_DEFINE_FINAL_TYPE (BaliseBusStopDialog, balise_bus_stop_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LATITUDE,
  PROP_LONGITUDE,
  PROP_CONTRIBUTOR,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
dup_stripped_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);

  if (text[0] == '\0')
    return NULL;

  return g_steal_pointer (&text);
}

static void
balise_bus_stop_dialog_show_error (BaliseBusStopDialog *self,
                                   const char          *message)
{
  g_assert (BALISE_IS_BUS_STOP_DIALOG (self));

  gtk_label_set_label (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
balise_bus_stop_dialog_set_saving (BaliseBusStopDialog *self,
                                   gboolean             saving)
{
  g_assert (BALISE_IS_BUS_STOP_DIALOG (self));

  self->saving = !!saving;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), !saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !saving);
}

static gboolean
balise_bus_stop_dialog_check_row (BaliseBusStopDialog  *self,
                                  AdwEntryRow          *row,
                                  const char           *key,
                                  GError              **error)
{
  g_autofree char *value = dup_stripped_text (row);
  glong n_chars;

  g_assert (BALISE_IS_BUS_STOP_DIALOG (self));
  g_assert (ADW_IS_ENTRY_ROW (row));

  if (value == NULL)
    goto valid;

  /* Say it in the volunteer's words and language rather than in tags. */
  n_chars = g_utf8_strlen (value, -1);
  if (n_chars > BALISE_TAG_MAX_CHARS)
    {
      g_set_error (error, BALISE_OSM_ERROR, BALISE_OSM_ERROR_INVALID_TAG,
                   /* Translators: the first %s is a field of the form, like “Name” */
                   _("%s is too long: %ld characters, where OpenStreetMap allows %d"),
                   adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                   n_chars, BALISE_TAG_MAX_CHARS);
      goto invalid;
    }

  if (!balise_tag_validate (key, value, error))
    goto invalid;

valid:
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  return TRUE;

invalid:
  gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  return FALSE;
}

static void
balise_bus_stop_dialog_add_edit_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  BaliseStore *store = (BaliseStore *)object;
  g_autoptr(BaliseBusStopDialog) self = user_data;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (BALISE_IS_STORE (store));
  g_assert (BALISE_IS_BUS_STOP_DIALOG (self));

  edit = g_steal_pointer (&self->saving_edit);

  balise_bus_stop_dialog_set_saving (self, FALSE);

  if (!balise_store_add_edit_finish (store, result, &error))
    {
      g_autofree char *message = NULL;

      g_warning ("Could not save the bus stop: %s", error->message);

      /* Translators: %s is the reason, from the database */
      message = g_strdup_printf (_("The bus stop could not be saved: %s"), error->message);
      balise_bus_stop_dialog_show_error (self, message);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, edit);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
balise_bus_stop_dialog_save_clicked_cb (BaliseBusStopDialog *self)
{
  g_autoptr(BaliseTags) tags = NULL;
  g_autoptr(BaliseEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  gboolean fields_valid;

  g_assert (BALISE_IS_BUS_STOP_DIALOG (self));

  if (self->saving)
    return;

  /* Check the fields one by one first, to point at the one that is wrong. */
  fields_valid = balise_bus_stop_dialog_check_row (self, self->name_row, "name", &error);
  if (fields_valid)
    fields_valid = balise_bus_stop_dialog_check_row (self, self->ref_row, "ref", &error);

  tags = balise_bus_stop_dialog_build_tags (self);

  if (!fields_valid || !balise_tags_validate (tags, &error))
    {
      balise_bus_stop_dialog_show_error (self, error->message);
      return;
    }

  balise_bus_stop_dialog_show_error (self, NULL);

  edit = balise_edit_new (BALISE_EDIT_CREATE);
  edit->osm_type = BALISE_OSM_NODE;
  edit->status = BALISE_EDIT_STATUS_PENDING;
  edit->lat = self->latitude;
  edit->lon = self->longitude;
  edit->new_tags = g_steal_pointer (&tags);
  edit->contributor = g_strdup (self->contributor);

  balise_bus_stop_dialog_set_saving (self, TRUE);
  self->saving_edit = balise_edit_ref (edit);

  balise_store_add_edit_async (self->store,
                               edit,
                               NULL,
                               balise_bus_stop_dialog_add_edit_cb,
                               g_object_ref (self));
}

static void
balise_bus_stop_dialog_name_activated_cb (BaliseBusStopDialog *self)
{
  g_assert (BALISE_IS_BUS_STOP_DIALOG (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->ref_row));
}

static void
balise_bus_stop_dialog_ref_activated_cb (BaliseBusStopDialog *self)
{
  g_assert (BALISE_IS_BUS_STOP_DIALOG (self));

  gtk_widget_activate (GTK_WIDGET (self->save_button));
}

static void
balise_bus_stop_dialog_field_changed_cb (BaliseBusStopDialog *self,
                                         GtkEditable         *editable)
{
  g_assert (BALISE_IS_BUS_STOP_DIALOG (self));

  /* Keep the message until the volunteer fixes the field it points at. */
  if (gtk_widget_has_css_class (GTK_WIDGET (editable), "error"))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
      balise_bus_stop_dialog_show_error (self, NULL);
    }
}

static gboolean
balise_bus_stop_dialog_close_request (GtkWindow *window)
{
  BaliseBusStopDialog *self = BALISE_BUS_STOP_DIALOG (window);

  /* Never drop the form while its edit is being written. */
  if (self->saving)
    return TRUE;

  return GTK_WINDOW_CLASS (balise_bus_stop_dialog_parent_class)->close_request (window);
}

static void
balise_bus_stop_dialog_constructed (GObject *object)
{
  BaliseBusStopDialog *self = (BaliseBusStopDialog *)object;
  g_autofree char *position = NULL;

  G_OBJECT_CLASS (balise_bus_stop_dialog_parent_class)->constructed (object);

  /* Translators: a position as latitude, longitude in degrees */
  position = g_strdup_printf (_("At %.5f, %.5f"), self->latitude, self->longitude);
  adw_window_title_set_subtitle (self->window_title, position);

  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->name_row));
}

static void
balise_bus_stop_dialog_dispose (GObject *object)
{
  BaliseBusStopDialog *self = (BaliseBusStopDialog *)object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (balise_bus_stop_dialog_parent_class)->dispose (object);
}

static void
balise_bus_stop_dialog_finalize (GObject *object)
{
  BaliseBusStopDialog *self = (BaliseBusStopDialog *)object;

  g_clear_pointer (&self->saving_edit, balise_edit_unref);
  g_clear_pointer (&self->contributor, g_free);

  G_OBJECT_CLASS (balise_bus_stop_dialog_parent_class)->finalize (object);
}

static void
balise_bus_stop_dialog_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BaliseBusStopDialog *self = BALISE_BUS_STOP_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_LATITUDE:
      g_value_set_double (value, self->latitude);
      break;

    case PROP_LONGITUDE:
      g_value_set_double (value, self->longitude);
      break;

    case PROP_CONTRIBUTOR:
      g_value_set_string (value, self->contributor);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_bus_stop_dialog_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  BaliseBusStopDialog *self = BALISE_BUS_STOP_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_LATITUDE:
      self->latitude = g_value_get_double (value);
      break;

    case PROP_LONGITUDE:
      self->longitude = g_value_get_double (value);
      break;

    case PROP_CONTRIBUTOR:
      {
        const char *contributor = g_value_get_string (value);

        /* An empty name means "anonymous". */
        self->contributor = (contributor && contributor[0]) ? g_strdup (contributor) : NULL;
      }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
balise_bus_stop_dialog_class_init (BaliseBusStopDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = balise_bus_stop_dialog_constructed;
  object_class->dispose = balise_bus_stop_dialog_dispose;
  object_class->finalize = balise_bus_stop_dialog_finalize;
  object_class->get_property = balise_bus_stop_dialog_get_property;
  object_class->set_property = balise_bus_stop_dialog_set_property;

  window_class->close_request = balise_bus_stop_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BALISE_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LATITUDE] =
    g_param_spec_double ("latitude", NULL, NULL,
                         -90.0, 90.0, 0.0,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LONGITUDE] =
    g_param_spec_double ("longitude", NULL, NULL,
                         -180.0, 180.0, 0.0,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONTRIBUTOR] =
    g_param_spec_string ("contributor", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BaliseBusStopDialog::saved:
   * @self: a #BaliseBusStopDialog
   * @edit: the #BaliseEdit now in the journal
   *
   * Emitted once the new bus stop is in the store, just before the dialog
   * closes.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BALISE_TYPE_EDIT);

  g_type_ensure (BALISE_TYPE_CHOICE_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-bus-stop-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BaliseBusStopDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, BaliseBusStopDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseBusStopDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, BaliseBusStopDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, BaliseBusStopDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, BaliseBusStopDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, BaliseBusStopDialog, ref_row);
  gtk_widget_class_bind_template_child (widget_class, BaliseBusStopDialog, shelter_row);
  gtk_widget_class_bind_template_child (widget_class, BaliseBusStopDialog, bench_row);
  gtk_widget_class_bind_template_child (widget_class, BaliseBusStopDialog, wheelchair_row);
  gtk_widget_class_bind_template_callback (widget_class, balise_bus_stop_dialog_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, balise_bus_stop_dialog_name_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, balise_bus_stop_dialog_ref_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, balise_bus_stop_dialog_field_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
balise_bus_stop_dialog_init (BaliseBusStopDialog *self)
{
  BaliseChoiceRow *yes_no_rows[] = { NULL, NULL };

  gtk_widget_init_template (GTK_WIDGET (self));

  yes_no_rows[0] = self->shelter_row;
  yes_no_rows[1] = self->bench_row;

  for (guint i = 0; i < G_N_ELEMENTS (yes_no_rows); i++)
    {
      balise_choice_row_add_choice (yes_no_rows[i], "yes", _("_Yes"));
      balise_choice_row_add_choice (yes_no_rows[i], "no", _("_No"));
      balise_choice_row_add_choice (yes_no_rows[i], NULL, _("_Unknown"));
    }

  balise_choice_row_add_choice (self->wheelchair_row, "yes", _("_Yes"));
  balise_choice_row_add_choice (self->wheelchair_row, "limited", _("_Limited"));
  balise_choice_row_add_choice (self->wheelchair_row, "no", _("_No"));
  balise_choice_row_add_choice (self->wheelchair_row, NULL, _("_Unknown"));
}

/**
 * balise_bus_stop_dialog_new:
 * @parent: (nullable): the window the dialog is modal for
 * @store: the store that receives the edit
 * @latitude: where the stop is
 * @longitude: where the stop is
 * @contributor: (nullable): who records it, %NULL or "" for nobody in particular
 *
 * Returns: (transfer none): a new dialog, owned by GTK's list of toplevels
 */
BaliseBusStopDialog *
balise_bus_stop_dialog_new (GtkWindow   *parent,
                            BaliseStore *store,
                            double       latitude,
                            double       longitude,
                            const char  *contributor)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BALISE_IS_STORE (store), NULL);

  return g_object_new (BALISE_TYPE_BUS_STOP_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       "latitude", latitude,
                       "longitude", longitude,
                       "contributor", contributor,
                       NULL);
}

/**
 * balise_bus_stop_dialog_build_tags:
 * @self: a #BaliseBusStopDialog
 *
 * Builds the tags of the form as it is now: the bus stop's own tags, then one
 * tag per answered field. A field left empty or "unknown" adds no tag.
 *
 * Returns: (transfer full): the tags, not validated
 */
BaliseTags *
balise_bus_stop_dialog_build_tags (BaliseBusStopDialog *self)
{
  g_autoptr(BaliseTags) tags = NULL;
  g_autofree char *name = NULL;
  g_autofree char *ref = NULL;
  struct {
    const char      *key;
    BaliseChoiceRow *row;
  } choices[] = {
    { "shelter", self->shelter_row },
    { "bench", self->bench_row },
    { "wheelchair", self->wheelchair_row },
  };

  g_return_val_if_fail (BALISE_IS_BUS_STOP_DIALOG (self), NULL);

  tags = balise_tags_new ();
  balise_tags_set (tags, "highway", "bus_stop");
  balise_tags_set (tags, "public_transport", "platform");
  balise_tags_set (tags, "bus", "yes");

  if ((name = dup_stripped_text (self->name_row)))
    balise_tags_set (tags, "name", name);

  if ((ref = dup_stripped_text (self->ref_row)))
    balise_tags_set (tags, "ref", ref);

  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      const char *value = balise_choice_row_get_value (choices[i].row);

      if (value != NULL)
        balise_tags_set (tags, choices[i].key, value);
    }

  return g_steal_pointer (&tags);
}

double
balise_bus_stop_dialog_get_latitude (BaliseBusStopDialog *self)
{
  g_return_val_if_fail (BALISE_IS_BUS_STOP_DIALOG (self), 0.0);

  return self->latitude;
}

double
balise_bus_stop_dialog_get_longitude (BaliseBusStopDialog *self)
{
  g_return_val_if_fail (BALISE_IS_BUS_STOP_DIALOG (self), 0.0);

  return self->longitude;
}

GtkWidget *
balise_bus_stop_dialog_get_name_row (BaliseBusStopDialog *self)
{
  g_return_val_if_fail (BALISE_IS_BUS_STOP_DIALOG (self), NULL);

  return GTK_WIDGET (self->name_row);
}

GtkWidget *
balise_bus_stop_dialog_get_ref_row (BaliseBusStopDialog *self)
{
  g_return_val_if_fail (BALISE_IS_BUS_STOP_DIALOG (self), NULL);

  return GTK_WIDGET (self->ref_row);
}

GtkWidget *
balise_bus_stop_dialog_get_shelter_row (BaliseBusStopDialog *self)
{
  g_return_val_if_fail (BALISE_IS_BUS_STOP_DIALOG (self), NULL);

  return GTK_WIDGET (self->shelter_row);
}

GtkWidget *
balise_bus_stop_dialog_get_bench_row (BaliseBusStopDialog *self)
{
  g_return_val_if_fail (BALISE_IS_BUS_STOP_DIALOG (self), NULL);

  return GTK_WIDGET (self->bench_row);
}

GtkWidget *
balise_bus_stop_dialog_get_wheelchair_row (BaliseBusStopDialog *self)
{
  g_return_val_if_fail (BALISE_IS_BUS_STOP_DIALOG (self), NULL);

  return GTK_WIDGET (self->wheelchair_row);
}

GtkWidget *
balise_bus_stop_dialog_get_save_button (BaliseBusStopDialog *self)
{
  g_return_val_if_fail (BALISE_IS_BUS_STOP_DIALOG (self), NULL);

  return GTK_WIDGET (self->save_button);
}

GtkWidget *
balise_bus_stop_dialog_get_error_label (BaliseBusStopDialog *self)
{
  g_return_val_if_fail (BALISE_IS_BUS_STOP_DIALOG (self), NULL);

  return GTK_WIDGET (self->error_label);
}
