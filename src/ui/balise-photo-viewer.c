/* balise-photo-viewer.c
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "balise-photo-viewer"

#include "config.h"

#include <glib/gi18n.h>

#include "balise-photo-viewer.h"

/* The photo at full resolution, fitted to the window. Anything larger than
 * this on its longer side (no camera of a phone, a panorama maybe) is
 * scaled down to it: no GPU takes textures much larger. */
#define MAX_SIDE 8192

struct _BalisePhotoViewer
{
  AdwWindow       parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkPicture     *picture;
  GtkSpinner     *spinner;
  GtkLabel       *error_label;
  GtkButton      *remove_button;

  /* Owned references */
  BaliseStore    *store;
  GPtrArray      *photos;        /* BalisePhotoItem */
  GCancellable   *cancellable;   /* the photo being decoded */

  guint           index;
  guint           can_remove : 1;
};

G_DEFINE_FINAL_TYPE (BalisePhotoViewer, balise_photo_viewer, ADW_TYPE_WINDOW)

enum {
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_actions (BalisePhotoViewer *self)
{
  g_autofree char *title = NULL;
  guint n = self->photos->len;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.previous", self->index > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.next", self->index + 1 < n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.remove", self->can_remove && n > 0);

  /* Translators: the viewer's title, e.g. “Photo 2 of 3” */
  title = g_strdup_printf (_("Photo %u of %u"), MIN (self->index + 1, n), n);
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
photo_decoded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BalisePhotoViewer) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = balise_photo_decode_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);

  if (texture == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why, e.g. that the image type is not supported */
      message = g_strdup_printf (_("This photo cannot be shown here: %s. It is kept all the same."),
                                 error->message);
      gtk_label_set_label (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

static void
show_photo (BalisePhotoViewer *self)
{
  BalisePhotoItem *item;

  g_assert (BALISE_IS_PHOTO_VIEWER (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  update_actions (self);
  gtk_picture_set_paintable (self->picture, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  if (self->index >= self->photos->len)
    return;

  item = g_ptr_array_index (self->photos, self->index);
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  balise_photo_decode_async (self->store, item->sha256, item->file,
                             BALISE_PHOTO_FIT_WHOLE, MAX_SIDE, self->cancellable,
                             photo_decoded_cb, g_object_ref (self));
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  BalisePhotoViewer *self = BALISE_PHOTO_VIEWER (widget);

  if (self->index > 0)
    {
      self->index--;
      show_photo (self);
    }
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  BalisePhotoViewer *self = BALISE_PHOTO_VIEWER (widget);

  if (self->index + 1 < self->photos->len)
    {
      self->index++;
      show_photo (self);
    }
}

static void
remove_response_cb (BalisePhotoViewer *self,
                    const char        *response,
                    AdwMessageDialog  *dialog)
{
  if (g_strcmp0 (response, "remove") == 0 && self->index < self->photos->len)
    g_signal_emit (self, signals[REMOVE], 0, self->index);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  BalisePhotoViewer *self = BALISE_PHOTO_VIEWER (widget);
  GtkWidget *dialog;

  if (!self->can_remove || self->index >= self->photos->len)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("Remove This Photo?"),
                                   _("It is taken off this record. A photo that no other record has is deleted."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep It"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
balise_photo_viewer_dispose (GObject *object)
{
  BalisePhotoViewer *self = (BalisePhotoViewer *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (balise_photo_viewer_parent_class)->dispose (object);
}

static void
balise_photo_viewer_finalize (GObject *object)
{
  BalisePhotoViewer *self = (BalisePhotoViewer *)object;

  g_clear_pointer (&self->photos, g_ptr_array_unref);

  G_OBJECT_CLASS (balise_photo_viewer_parent_class)->finalize (object);
}

static void
balise_photo_viewer_class_init (BalisePhotoViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = balise_photo_viewer_dispose;
  object_class->finalize = balise_photo_viewer_finalize;

  /**
   * BalisePhotoViewer::remove:
   * @self: a #BalisePhotoViewer
   * @index: the photo the volunteer chose to take off the record
   *
   * Emitted once the volunteer confirmed; whoever owns the record unlinks
   * it and calls balise_photo_viewer_drop_photo().
   */
  signals[REMOVE] =
    g_signal_new ("remove",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/balise/Balise/ui/balise-photo-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, BalisePhotoViewer, window_title);
  gtk_widget_class_bind_template_child (widget_class, BalisePhotoViewer, picture);
  gtk_widget_class_bind_template_child (widget_class, BalisePhotoViewer, spinner);
  gtk_widget_class_bind_template_child (widget_class, BalisePhotoViewer, error_label);
  gtk_widget_class_bind_template_child (widget_class, BalisePhotoViewer, remove_button);

  gtk_widget_class_install_action (widget_class, "viewer.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "viewer.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "viewer.remove", NULL, remove_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "viewer.remove", NULL);
}

static void
add_key (GtkShortcutController *controller,
         guint                  key,
         const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (key, 0),
                                                          gtk_named_action_new (action)));
}

static void
balise_photo_viewer_init (BalisePhotoViewer *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();

  self->photos = g_ptr_array_new_with_free_func ((GDestroyNotify) balise_photo_item_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Left and Right page through the photos wherever the focus is: caught
   * before the window's own arrow keys move the focus. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_Left, "viewer.previous");
  add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_Page_Up, "viewer.previous");
  add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_Right, "viewer.next");
  add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_Page_Down, "viewer.next");
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/**
 * balise_photo_viewer_new:
 * @parent: (nullable): the window it is modal for
 * @store: (nullable): where photos with a sha256 are read; may be %NULL
 *   when every photo is a file
 * @photos: (element-type BalisePhotoItem): the photos, copied
 * @index: the one shown first
 * @can_remove: whether to offer "Remove From Record"
 *
 * Returns: (transfer none): a new viewer, shown, owned by GTK's toplevels
 */
BalisePhotoViewer *
balise_photo_viewer_new (GtkWindow   *parent,
                         BaliseStore *store,
                         GPtrArray   *photos,
                         guint        index,
                         gboolean     can_remove)
{
  BalisePhotoViewer *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (!store || BALISE_IS_STORE (store), NULL);
  g_return_val_if_fail (photos != NULL, NULL);
  g_return_val_if_fail (index < photos->len, NULL);

  self = g_object_new (BALISE_TYPE_PHOTO_VIEWER,
                       "transient-for", parent,
                       NULL);
  g_set_object (&self->store, store);
  for (guint i = 0; i < photos->len; i++)
    g_ptr_array_add (self->photos, balise_photo_item_copy (g_ptr_array_index (photos, i)));
  self->index = index;
  self->can_remove = !!can_remove;
  gtk_widget_set_visible (GTK_WIDGET (self->remove_button), self->can_remove);

  show_photo (self);
  gtk_window_present (GTK_WINDOW (self));

  return self;
}

guint
balise_photo_viewer_get_index (BalisePhotoViewer *self)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_VIEWER (self), 0);

  return self->index;
}

guint
balise_photo_viewer_get_n_photos (BalisePhotoViewer *self)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_VIEWER (self), 0);

  return self->photos->len;
}

GdkPaintable *
balise_photo_viewer_get_paintable (BalisePhotoViewer *self)
{
  g_return_val_if_fail (BALISE_IS_PHOTO_VIEWER (self), NULL);

  return gtk_picture_get_paintable (self->picture);
}

void
balise_photo_viewer_drop_photo (BalisePhotoViewer *self,
                                guint              index)
{
  g_return_if_fail (BALISE_IS_PHOTO_VIEWER (self));
  g_return_if_fail (index < self->photos->len);

  g_ptr_array_remove_index (self->photos, index);

  if (self->photos->len == 0)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (self->index > index || self->index >= self->photos->len)
    self->index--;
  show_photo (self);
}
